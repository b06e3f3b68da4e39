"""Testing packs with example personas: the helpers behind ``bounceback packs test``.

A persona is a pair of files in a ``personas/`` folder: ``NAME.answers.toml`` (or ``.json``)
with a questionnaire's answers, and ``NAME.expect.toml`` with what the plan for those answers
must satisfy. Pack authors use the same functions in their own pytest suites::

    import pytest
    import bounceback_graduates as plugin
    from bounceback.testing import assert_persona, load_for_test, read_personas

    APP = load_for_test(plugins=[plugin])

    @pytest.mark.parametrize("persona", read_personas(plugin.PACK_DIR / "personas"), ids=str)
    def test_persona(persona):
        assert_persona(persona, APP)

Nothing here imports pytest: failures are plain :class:`AssertionError`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import AnswersError, BouncebackError, Problem, did_you_mean
from ..model import Plan, Step

if TYPE_CHECKING:
    from ..api import Bounceback

#: How many steps ``top_topics_any`` looks at.
TOP = 3
#: At most this many steps are due "today" when an expectations file does not say
#: ``max_today`` (DESIGN §6b: ``today`` holds at most two steps).
MAX_TODAY = 2

#: Expectation keys and the kind of value each takes (see docs/pack-authoring.md).
EXPECTATIONS: dict[str, str] = {
    "first_topic": "text",  # the first step has this topic
    "top_topics_any": "list",  # at least one of these topics is in the first 3 steps
    "plan_topics_all": "list",  # each of these topics is somewhere in the plan
    "plan_topics_none": "list",  # none of these topics is in the plan
    "min_steps": "count",  # the plan has at least this many steps
    "min_categories": "count",  # the steps span at least this many categories
    "plan_rules_all": "list",  # each of these rule ids is a step of the plan
    "plan_rules_none": "list",  # none of these rule ids is a step of the plan
    "max_steps": "count",  # the plan has at most this many steps
    "max_actions": "count",  # the steps have at most this many actions together
    "max_today": "count",  # at most this many steps are due today (MAX_TODAY if absent)
    "text_none": "regexes",  # no step's text matches any of these (case-insensitive)
    "text_any": "regexes",  # at least one of these matches some step's text
}
_TOPIC_KEYS = ("first_topic", "top_topics_any", "plan_topics_all", "plan_topics_none")
_RULE_KEYS = ("plan_rules_all", "plan_rules_none")
ANSWERS_SUFFIXES = (".answers.toml", ".answers.json")
EXPECT_SUFFIX = ".expect.toml"
SNAPSHOT_SUFFIX = ".snapshot.txt"
SNAPSHOT_HEADER = """\
# The plan for this persona, step by step in order (rule id: title), recorded by
# `bounceback packs test --update`. `packs test` and pytest fail with a diff when a rule
# change moves the plan; run `packs test --update` again to accept the new plan.
"""


@attrs.frozen
class Persona:
    """An example questionnaire and what its plan must satisfy."""

    name: str
    answers_path: Path
    expect_path: Path
    expect: Mapping[str, Any] = attrs.field(factory=dict)

    def __str__(self) -> str:
        return self.name

    @property
    def snapshot_path(self) -> Path:
        """Where the persona's plan snapshot is kept: ``NAME.snapshot.txt`` beside its answers."""
        return self.answers_path.parent / f"{self.name}{SNAPSHOT_SUFFIX}"


@attrs.frozen
class PersonaResult:
    """The outcome of planning one persona: the plan (if the answers were valid) and failures.

    ``snapshot`` says how the plan compares with the recorded snapshot: ``"same"``,
    ``"differs"`` (``diff`` holds the unified diff's lines), ``"updated"`` (just recorded) or
    ``"none"`` (no snapshot file, or no plan).
    """

    persona: Persona
    failures: tuple[str, ...]
    plan: Plan | None = None
    snapshot: str = "none"
    diff: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.failures

    @property
    def topics(self) -> list[str]:
        """The plan's topics in step order (empty without a plan)."""
        return self.plan.topics if self.plan is not None else []

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``bounceback packs test --format json``)."""
        steps = self.plan.steps if self.plan is not None else ()
        return {
            "name": self.persona.name,
            "passed": self.passed,
            "failures": list(self.failures),
            "topics": self.topics,
            "steps": [s.id for s in steps],
            "snapshot": self.snapshot,
            "diff": list(self.diff),
        }


# -- reading ----------------------------------------------------------------------------------


def read_personas(folder: str | Path) -> list[Persona]:
    """Every persona in ``folder``, sorted by name; raises :class:`BouncebackError` listing
    every problem (no personas, an answers file without its expectations, bad expectations)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BouncebackError(
            Problem(
                "personas folder not found (expected NAME.answers.toml and NAME.expect.toml files in it)",
                str(folder),
                code="missing-file",
            )
        )
    personas: list[Persona] = []
    problems: list[Problem] = []
    names: set[str] = set()
    for answers in sorted(p for p in folder.iterdir() if p.name.endswith(ANSWERS_SUFFIXES)):
        name = _strip_suffix(answers.name, ANSWERS_SUFFIXES)
        names.add(name)
        expect_path = folder / f"{name}{EXPECT_SUFFIX}"
        if not expect_path.is_file():
            problems.append(
                Problem(
                    f"no expectations: add {expect_path.name} beside it", str(answers), code="missing-file"
                )
            )
            continue
        try:
            personas.append(Persona(name, answers, expect_path, read_expectations(expect_path)))
        except BouncebackError as exc:
            problems.extend(exc.problems)
    for expect_path in sorted(folder.glob(f"*{EXPECT_SUFFIX}")):
        name = _strip_suffix(expect_path.name, (EXPECT_SUFFIX,))
        if name not in names:
            problems.append(
                Problem(
                    f"no answers: add {name}.answers.toml beside it", str(expect_path), code="missing-file"
                )
            )
    if problems:
        raise BouncebackError(problems)
    if not personas:
        raise BouncebackError(
            Problem(
                "no personas here (expected NAME.answers.toml and NAME.expect.toml files)",
                str(folder),
                code="missing-file",
            )
        )
    return personas


def _strip_suffix(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_expectations(path: Path) -> dict[str, Any]:
    """Read and check one ``NAME.expect.toml``; raise :class:`BouncebackError` on problems."""
    from ..files import read_text
    from ..packs import load_toml

    source = str(path)
    text = read_text(path, expected="an expectations file (.expect.toml)")
    expect = load_toml(text, source)
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*([A-Za-z0-9_]+)\s*=", line)
        if match:
            lines.setdefault(match.group(1), number)
    problems = expectation_problems(expect, source=source, lines=lines)
    if problems:
        raise BouncebackError(problems)
    return expect


def expectation_problems(
    expect: Mapping[str, Any], *, source: str | None = None, lines: Mapping[str, int] | None = None
) -> list[Problem]:
    """What is wrong with an expectations table: unknown keys, values of the wrong kind."""
    problems: list[Problem] = []
    lines = lines or {}
    for key, value in expect.items():
        kind = EXPECTATIONS.get(key)
        if kind is None:
            problems.append(
                Problem(
                    f"unknown expectation{did_you_mean(key, EXPECTATIONS)}; known: {', '.join(EXPECTATIONS)}",
                    source,
                    lines.get(key),
                    key,
                    "unknown-key",
                )
            )
        elif kind == "text" and not (isinstance(value, str) and value):
            problems.append(
                Problem(f"expected a topic id in quotes, got {value!r}", source, lines.get(key), key, "type")
            )
        elif kind == "list" and not (
            isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        ):
            problems.append(
                Problem(
                    f"expected a list of ids in quotes, got {value!r}", source, lines.get(key), key, "type"
                )
            )
        elif kind == "count" and not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            problems.append(
                Problem(f"expected a whole number ≥ 0, got {value!r}", source, lines.get(key), key, "type")
            )
        elif kind == "regexes":
            if not (isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)):
                problems.append(
                    Problem(
                        f"expected a list of regular expressions in quotes, got {value!r}",
                        source,
                        lines.get(key),
                        key,
                        "type",
                    )
                )
                continue
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    problems.append(
                        Problem(
                            f"{pattern!r} is not a regular expression: {exc}",
                            source,
                            lines.get(key),
                            key,
                            "type",
                        )
                    )
    return problems


# -- checking ---------------------------------------------------------------------------------


def check_expectations(plan: Plan, expect: Mapping[str, Any]) -> list[str]:
    """The expectations of ``expect`` that ``plan`` does not meet, as readable sentences.

    Raises :class:`BouncebackError` if ``expect`` itself is malformed (an unknown key, a value
    of the wrong kind), so a typo can never make a check pass silently.
    """
    problems = expectation_problems(expect)
    if problems:
        raise BouncebackError(problems)
    steps = plan.steps
    failures: list[str] = []
    if "first_topic" in expect:
        wanted = expect["first_topic"]
        if not steps:
            failures.append(f"first_topic: the plan is empty, expected a first step with topic {wanted!r}")
        elif wanted not in steps[0].topics:
            failures.append(
                f"first_topic: the first step {steps[0].id} has topics "
                f"{_list(steps[0].topics)}, not {wanted!r}"
            )
    if "top_topics_any" in expect:
        top = {t for s in steps[:TOP] for t in s.topics}
        if top.isdisjoint(expect["top_topics_any"]):
            failures.append(
                f"top_topics_any: none of {_list(expect['top_topics_any'])} is in the first "
                f"{TOP} steps (their topics: {_list(sorted(top))})"
            )
    topics = set(plan.topics)
    _all_none(failures, "plan_topics", expect, topics, "topics")
    _all_none(failures, "plan_rules", expect, {s.id for s in steps}, "rules")
    if len(steps) < expect.get("min_steps", 0):
        failures.append(
            f"min_steps: the plan has {len(steps)} steps, expected at least {expect['min_steps']}"
        )
    if len(steps) > expect.get("max_steps", len(steps)):
        failures.append(f"max_steps: the plan has {len(steps)} steps, expected at most {expect['max_steps']}")
    actions = sum(len(s.actions) for s in steps)
    if actions > expect.get("max_actions", actions):
        failures.append(
            f"max_actions: the steps have {actions} actions together, expected at most "
            f"{expect['max_actions']}"
        )
    today = [s.id for s in steps if s.timeframe == "today"]
    if len(today) > expect.get("max_today", MAX_TODAY):
        failures.append(
            f"max_today: {len(today)} steps are due today ({_list(today)}), expected at most "
            f"{expect.get('max_today', MAX_TODAY)}"
        )
    categories = sorted({s.category for s in steps})
    if len(categories) < expect.get("min_categories", 0):
        failures.append(
            f"min_categories: the plan spans {len(categories)} categories "
            f"({_list(categories)}), expected at least {expect['min_categories']}"
        )
    failures += _text_failures(plan, expect)
    return failures


def step_texts(step: Step) -> list[str]:
    """What a step says to the person: its title, why, actions and draft."""
    texts = [step.title, step.why, *step.actions]
    if step.draft is not None:
        texts += [step.draft.title, step.draft.subject or "", step.draft.body]
    return texts


def _text_failures(plan: Plan, expect: Mapping[str, Any]) -> list[str]:
    """``text_none``: patterns found in a step (each named with the step and the words
    matched); ``text_any``: none of the patterns found anywhere."""
    failures = []
    texts = [(step.id, text) for step in plan.steps for text in step_texts(step)]
    for pattern in expect.get("text_none", ()):
        regex = re.compile(pattern, re.IGNORECASE)
        found = [
            f"{sid} ({match.group(0)!r})" for sid, text in texts for match in [regex.search(text)] if match
        ]
        if found:
            failures.append(f"text_none: {pattern!r} matches {', '.join(dict.fromkeys(found))}")
    wanted = expect.get("text_any", ())
    if wanted and not any(re.search(p, text, re.IGNORECASE) for p in wanted for _, text in texts):
        failures.append(f"text_any: none of {_list(repr(p) for p in wanted)} matches any step's text")
    return failures


def _all_none(
    failures: list[str], prefix: str, expect: Mapping[str, Any], present: set[str], what: str
) -> None:
    missing = [x for x in expect.get(f"{prefix}_all", ()) if x not in present]
    if missing:
        failures.append(f"{prefix}_all: {what} missing from the plan: {_list(missing)}")
    unwanted = [x for x in expect.get(f"{prefix}_none", ()) if x in present]
    if unwanted:
        failures.append(f"{prefix}_none: {what} that should not be in the plan: {_list(unwanted)}")


def unknown_ids(expect: Mapping[str, Any], app: Bounceback) -> list[str]:
    """Topics and rule ids named in ``expect`` that no loaded rule has (always a mistake)."""
    rules = [r.rule for r in app.ruleset.rules]
    topics = {t for r in rules for t in r.topics}
    rule_ids = {r.id for r in rules}
    found = []
    for key in (*_TOPIC_KEYS, *_RULE_KEYS):
        known = topics if key in _TOPIC_KEYS else rule_ids
        values = expect.get(key, ())
        for value in [values] if isinstance(values, str) else values:
            if value not in known:
                found.append(
                    f"{key}: no loaded rule has {'topic' if key in _TOPIC_KEYS else 'id'} "
                    f"{value!r}{did_you_mean(value, known)}"
                )
    return found


def _list(items: Iterable[str]) -> str:
    items = list(items)
    return ", ".join(items) if items else "(none)"


# -- snapshots --------------------------------------------------------------------------------


def snapshot_text(plan: Plan) -> str:
    """A plan as its snapshot records it: each step's rule id and title, one a line in plan
    order (unnumbered, so that a step that moves is one line out and one in, in a diff)."""
    steps = "".join(f"{step.id}: {step.title}\n" for step in plan.steps)
    return SNAPSHOT_HEADER + (steps or "(no steps)\n")


def snapshot_diff(recorded: str, plan: Plan, name: str) -> list[str]:
    """The unified diff from the ``recorded`` snapshot text (named ``name``) to ``plan``'s,
    comments left out; empty when the plan is the same."""

    def steps(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]

    return list(
        difflib.unified_diff(
            steps(recorded), steps(snapshot_text(plan)), f"{name} (recorded)", "the plan now", lineterm=""
        )
    )


def _compare_snapshot(persona: Persona, plan: Plan, update: bool) -> tuple[str, list[str]]:
    """``(snapshot status, diff)`` for ``plan``; ``update`` records it instead of comparing."""
    from ..files import read_text, write_text

    path = persona.snapshot_path
    if update:
        write_text(path, snapshot_text(plan))
        return "updated", []
    if not path.is_file():
        return "none", []
    diff = snapshot_diff(read_text(path, expected="a plan snapshot (.snapshot.txt)"), plan, path.name)
    return ("differs", diff) if diff else ("same", [])


# -- running ----------------------------------------------------------------------------------


def run_persona(persona: Persona, app: Bounceback, *, update: bool = False) -> PersonaResult:
    """Plan ``persona`` with ``app``, check its expectations and compare the plan with its
    snapshot (``update``: record the snapshot instead).

    Invalid answers, topics or rule ids that no loaded rule has, and a plan that differs from
    its snapshot are failures too.
    """
    from ..questionnaire import read_answers

    try:
        raw, source, lines = read_answers(persona.answers_path)
        plan = app.plan(app.situation(raw, source=source, lines=lines))
    except AnswersError as exc:
        return PersonaResult(persona, tuple(f"invalid answers: {p}" for p in exc.problems))
    failures = unknown_ids(persona.expect, app) + check_expectations(plan, persona.expect)
    snapshot, diff = _compare_snapshot(persona, plan, update)
    if diff:
        failures.append(
            f"snapshot: the plan differs from {persona.snapshot_path.name} (if the change "
            "is intended, accept it with `bounceback packs test --update`)"
        )
    return PersonaResult(persona, tuple(failures), plan, snapshot, tuple(diff))


def run_personas(folder: str | Path, app: Bounceback, *, update: bool = False) -> list[PersonaResult]:
    """Plan and check every persona in ``folder`` (see :func:`read_personas` and
    :func:`run_persona`)."""
    return [run_persona(persona, app, update=update) for persona in read_personas(folder)]


def assert_persona(persona: Persona, app: Bounceback) -> Plan:
    """Plan ``persona``; raise :class:`AssertionError` listing every failed expectation and the
    plan's steps. Returns the plan when all expectations hold."""
    result = run_persona(persona, app)
    if not result.passed:
        raise AssertionError(describe_failure(result))
    assert result.plan is not None
    return result.plan


def describe_failure(result: PersonaResult) -> str:
    """A readable report of a failed persona: each failure, then the plan's steps and topics."""
    lines = [f"persona {result.persona.name} ({result.persona.answers_path}):"]
    lines += [f"  - {failure}" for failure in result.failures]
    lines += [f"      {line}" for line in result.diff]
    if result.plan is not None:
        lines.append("  the plan was:")
        lines += [f"    {n}. {s.id} [{', '.join(s.topics)}]" for n, s in enumerate(result.plan.steps, 1)]
    return "\n".join(lines)


def load_for_test(*, plugins: Sequence[object] = (), packs: Sequence[str | Path] = ()) -> Bounceback:
    """The built-in plugins plus ``plugins`` (modules or objects with hookimpls) and ``packs``
    (files or folders), strictly: a broken pack or plugin raises instead of being skipped.
    Installed plugins are not loaded, so the result is the same on every machine."""
    from ..api import load

    extra = [(getattr(p, "__name__", type(p).__name__), p) for p in plugins]
    return load(packs=packs, entry_points=False, strict=True, extra_plugins=extra)


def assert_pack_valid(*paths: str | Path) -> None:
    """Raise :class:`AssertionError` listing every problem of the packs at ``paths``, checked
    beside the built-in packs (warnings do not fail)."""
    from ..api import validate_packs

    result = validate_packs(paths, entry_points=False)
    if result.problems:
        raise AssertionError("pack problems:\n" + "\n".join(f"  {p}" for p in result.problems))
