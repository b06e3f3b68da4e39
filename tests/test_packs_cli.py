"""`bounceback packs validate|test|show`, the linter, bounceback.testing, engine compatibility
and loading isolation of third-party packs."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner, Result

from bounceback import hookimpl
from bounceback.api import Bounceback, load
from bounceback.authoring.lint import LintOptions, lint
from bounceback.authoring.validation import validate_packs
from bounceback.cli import cli
from bounceback.errors import BouncebackError
from bounceback.results import Draft, Plan, Step
from bounceback.testing import (
    assert_pack_valid,
    assert_persona,
    check_expectations,
    read_personas,
    run_personas,
)

BASE_ANSWERS = {
    "stage_reached": "interview",
    "days_since_rejection": 5,
    "disappointment": 3,
    "anger": 2,
    "anxiety": 2,
    "self_doubt": 2,
    "hopelessness": 1,
    "motivation": 3,
    "feedback_received": "generic",
}


def rule(name: str, **fields: Any) -> dict[str, Any]:
    """A valid rule table, with ``fields`` overriding the defaults."""
    return {
        "id": name,
        "category": "mindset",
        "topics": ["keep-perspective"],
        "title": f"Do {name}",
        "why": "Because.",
        "weight": 0.5,
        "timeframe": "this-week",
        "effort": "low",
        "actions": ["Act."],
        **fields,
    }


def write_pack(
    folder: Path,
    pack_id: str = "extra",
    *,
    rules: Sequence[dict[str, Any]] = (),
    questions: Sequence[dict[str, Any]] = (),
    signals: dict[str, str] | None = None,
    engine: str = ">=1,<2",
    file: str | None = None,
) -> Path:
    data: dict[str, Any] = {
        "pack": {"id": pack_id, "name": pack_id.title(), "version": "0.1.0", "engine": engine}
    }
    if questions:
        data["questions"] = list(questions)
    if signals:
        data["signals"] = signals
    if rules:
        data["rules"] = list(rules)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (file or f"{pack_id}.toml")
    path.write_text(tomli_w.dumps(data))
    return path


def write_persona(folder: Path, name: str, expect: dict[str, Any], **answers: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.answers.toml").write_text(tomli_w.dumps({**BASE_ANSWERS, **answers}))
    (folder / f"{name}.expect.toml").write_text(tomli_w.dumps(expect))


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


# -- validate ---------------------------------------------------------------------------------


def test_validate_reports_every_problem_at_once_with_file_line_and_rule(tmp_path: Path) -> None:
    words = write_pack(tmp_path, "words", rules=[rule("bad-words", timeframe="next-week", effort="tiny")])
    path = write_pack(
        tmp_path,
        "extra",
        rules=[
            rule("unknown-name", when="motivaton <= 2"),
            rule("type-mismatch", when="motivation == 'low'"),
            rule("mixed-branches", strength="1 if motivation > 2 else 'high'"),
            rule("bad-option", when="feedback_received == 'detailed'"),
            rule("dup"),
            rule("dup"),
            rule("dangling", after=["extra.nowhere"], excludes=["feedback.nope"]),
            rule("loop-a", after=["loop-b"]),
            rule("loop-b", after=["loop-a"]),
        ],
    )
    clash = write_pack(tmp_path, "feedback", rules=[rule("mine")])
    result = invoke("packs", "validate", str(tmp_path), "--no-plugins")
    assert result.exit_code == 2
    lines = path.read_text().splitlines()
    when = lines.index('when = "motivaton <= 2"') + 1
    timeframe = words.read_text().splitlines().index('timeframe = "next-week"') + 1
    expected = [
        f"error: {words}:{timeframe}: words.bad-words: 'timeframe' must be one of today, this-week, "
        "this-month, ongoing; got 'next-week' (did you mean 'this-week'?)",
        f"error: {words}:{timeframe + 1}: words.bad-words: 'effort' must be one of low, medium, high; got 'tiny'",
        f"error: {path}:{when}: extra.unknown-name: when: unknown name 'motivaton' (did you mean 'motivation'?)",
        "extra.type-mismatch: when: cannot compare a number with text using '=='",
        "extra.mixed-branches: strength: both branches of 'if ... else' must have one type, got a "
        "number and text",
        "extra.bad-option: when: 'detailed' is not an option of feedback_received",
        "extra.dup: duplicate rule id",
        "extra.dangling: 'after' refers to unknown rule 'extra.nowhere'",
        "extra.dangling: 'excludes' refers to unknown rule 'feedback.nope'",
        "'after' forms a cycle: extra.loop-a -> extra.loop-b -> extra.loop-a",
        f"error: {clash}: pack.id: pack id 'feedback' is already used by",
    ]
    for text in expected:
        assert text in result.stdout, text
    assert "problems found" in result.stderr


def test_validate_json_gives_severity_and_warnings_do_not_fail(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        rules=[
            rule("fine", when="motivation <= 2"),
            rule("never", when="days_since_rejection > 30 and days_since_rejection < 10"),
        ],
    )
    result = invoke("packs", "validate", str(tmp_path), "--format", "json", "--no-plugins")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["ok"], data["errors"], data["warnings"]) == (True, 0, 1)
    [problem] = data["problems"]
    assert problem["severity"] == "warning" and problem["code"] == "never-fires"
    assert problem["field"] == "extra.never" and problem["line"] > 0
    assert (
        "`days_since_rejection > 30` and `days_since_rejection < 10` never hold together"
        in problem["message"]
    )
    strict = invoke("packs", "validate", str(tmp_path), "--no-plugins", "--fail-on-warnings")
    assert strict.exit_code == 2
    assert strict.stdout.startswith("warning: ")
    assert "All packs are valid (1 warning)." in strict.stderr


def test_validate_json_errors_carry_severity_error(tmp_path: Path) -> None:
    write_pack(tmp_path, rules=[rule("broken", when="motivation ==")])
    data = json.loads(invoke("packs", "validate", str(tmp_path), "--format", "json").stdout)
    assert data["ok"] is False and data["errors"] == 1
    assert data["problems"][0]["severity"] == "error" and data["problems"][0]["code"] == "expression"


def test_validate_the_built_in_packs_is_clean() -> None:
    from bounceback.plugins import PACKS_DIR

    result = validate_packs([PACKS_DIR], entry_points=False)
    assert (result.problems, result.warnings) == ((), ())


# -- lint -------------------------------------------------------------------------------------


def lint_pack(tmp_path: Path, **pack: Any) -> list[str]:
    write_pack(tmp_path, **pack)
    app = load(packs=[tmp_path], entry_points=False, strict=True)
    return [f"{p.field}: {p.message}" for p in lint(app.ruleset, packs={"extra"})]


def test_lint_warns_about_a_topic_nothing_else_uses_with_the_closest_known_one(tmp_path: Path) -> None:
    assert lint_pack(tmp_path, rules=[rule("r", topics=["netwerk"])]) == [
        "extra.r: topic 'netwerk' is used by no other rule, no [[mix]] entry and no built-in pack "
        "(did you mean 'network'?): a typo? (a new topic of your own is fine)"
    ]
    shared = [rule("a", topics=["my-own"]), rule("b", topics=["my-own", "network"])]
    assert lint_pack(tmp_path / "shared", rules=shared) == []


@pytest.mark.parametrize(
    "why, actions, warned",
    [
        ("Because $[if anger >= 4:you are angry]].", ["Act."], "why"),
        ("Either this | or that.", ["Act."], "why"),
        ("Because.", [[{"when": "anger >= 4", "text": "Wait]."}, {"text": "Go."}]], "action 1"),
        ("$[if anger >= 4:Angry.|Calm.]", ["Act $[if anger >= 4:now|later]."], None),
        ("Literal $] and $| are fine.", ["Act."], None),
    ],
)
def test_lint_warns_about_a_bracket_or_bar_outside_every_segment(
    tmp_path: Path, why: str, actions: list[Any], warned: str | None
) -> None:
    warnings = lint_pack(tmp_path, rules=[rule("r", why=why, actions=actions)])
    if warned is None:
        assert warnings == []
    else:
        assert warnings == [
            f"extra.r: {warned} has a ']' or '|' outside every $[...] segment, which is shown as "
            "written: a segment closed too early or not opened? (write $] or $| for the character itself)"
        ]


def test_lint_names_the_part_that_never_holds(tmp_path: Path) -> None:
    [warning] = lint_pack(tmp_path, rules=[rule("r", when="motivation > 5 and anger >= 2")])
    assert warning.startswith(
        "extra.r: rule can never be recommended: its condition's part "
        "`motivation > 5` never holds (checked all 25 combinations"
    )


def test_lint_finds_contradictions_through_signals(tmp_path: Path) -> None:
    [warning] = lint_pack(tmp_path, rules=[rule("r", when="rawness > 0.9 and days_since_rejection > 10")])
    assert "parts `rawness > 0.9` and `days_since_rejection > 10` never hold together" in warning


def test_lint_solves_conditions_with_too_many_combinations_part_by_part(tmp_path: Path) -> None:
    rare = (
        "days_since_rejection == 17 and months_searching == 33 and rejections_recent == 7 "
        "and anger == 5 and self_doubt == 1"
    )
    warnings = lint_pack(
        tmp_path,
        rules=[
            rule("rare", when=rare),  # fires for exactly one combination: not a finding
            rule(
                "exact",
                when="anger == 5 and self_doubt == 1 and disappointment == 2 and "
                "hopelessness == 3 and motivation == 4 and anxiety == 2",
            ),  # 1 in 15,625
            rule("contra", when=rare + " and days_since_rejection < 10"),
        ],
    )
    assert warnings == [
        "extra.contra: rule can never be recommended: its condition's parts "
        "`days_since_rejection == 17` and `days_since_rejection < 10` never hold "
        "together (combining every answer that makes each part hold)"
    ]


def test_lint_finds_a_strength_that_is_zero_whenever_the_rule_applies(tmp_path: Path) -> None:
    question = {"id": "extra_level", "prompt": "Level?", "kind": "choice", "options": ["low", "high"]}
    [warning] = lint_pack(
        tmp_path,
        questions=[question],
        rules=[rule("r", when="extra_level == 'high'", strength="1 if extra_level == 'low' else 0")],
    )
    assert "its strength \"1 if extra_level == 'low' else 0\" is 0 whenever its condition holds" in warning


def test_lint_finds_a_rule_always_masked_by_a_higher_ranked_one(tmp_path: Path) -> None:
    warnings = lint_pack(
        tmp_path,
        rules=[
            rule("big", when="disappointment >= 2", weight=0.9, excludes=["small", "sometimes"]),
            rule("small", when="disappointment >= 3", weight=0.5),
            rule("sometimes", when="disappointment >= 1", weight=0.5),  # applies alone at 1
        ],
    )
    assert warnings == [
        "extra.small: rule is always masked: wherever it applies, the higher-ranked "
        "extra.big applies too and excludes it (checked all 5 combinations of the "
        "answers it reads: disappointment)"
    ]


RARE = (
    "days_since_rejection == 17 and months_searching == 33 and rejections_recent == 7 "
    "and anger == 5 and self_doubt == 1"
)


@pytest.mark.parametrize(
    "when, strength, reason",
    [
        ("motivation > 5 or anger > 7", None, "its condition never holds (checked all 25 combinations"),
        (
            RARE + " and motivation > 5",
            None,
            "its condition's part `motivation > 5` never holds "
            "(checked all 5 combinations of the answers it reads: motivation)",
        ),
        (
            RARE,
            "0 * motivation",
            "its strength '0 * motivation' is 0 whenever its condition holds "
            "(checked the 5 combinations that make each part hold of the answers it "
            "reads: anger, days_since_rejection, months_searching, motivation, ",
        ),
        (
            "support_people != has_goals and has_goals != sent_thank_you and sent_thank_you != support_people",
            None,
            "its condition's parts never all hold together (checked all 27 combinations",
        ),
        (
            "extra_hours > 10",
            None,
            "its condition never holds (checked all 5 combinations of the answers it reads: extra_hours)",
        ),
    ],
)
def test_lint_reasons(tmp_path: Path, when: str, strength: str | None, reason: str) -> None:
    question = {"id": "extra_hours", "prompt": "Hours?", "kind": "number", "min": 0, "max": 10}
    fields = {"when": when} if strength is None else {"when": when, "strength": strength}
    [warning] = lint_pack(tmp_path, questions=[question], rules=[rule("r", **fields)])
    assert warning.startswith("extra.r: rule can never be recommended: " + reason)


class Zero:
    @hookimpl
    def bounceback_signals(self) -> dict[str, Any]:
        return {"extra_zero": lambda answers: 0.0}


def test_lint_samples_rules_that_read_a_plugin_signal(tmp_path: Path) -> None:
    write_pack(tmp_path, rules=[rule("r", when="extra_zero > 0.5")])
    app = load(packs=[tmp_path], entry_points=False, strict=True, extra_plugins=[("zero", Zero())])
    [warning] = lint(app.ruleset, packs={"extra"}, options=LintOptions(samples=20, budget=200))
    assert warning.message.startswith(
        "rule can never be recommended: its condition never holds "
        "(in 200 sampled combinations of the answers it reads: "
    )


def test_lint_knows_a_pinned_rule_outranks_any_other(tmp_path: Path) -> None:
    warnings = lint_pack(
        tmp_path,
        rules=[
            rule("pinned", when="hopelessness >= 4", weight=0.1, pin=True, excludes=["strong"]),
            rule("strong", when="hopelessness == 5", weight=1.0),
        ],
    )
    assert [w.split(":")[0] for w in warnings] == ["extra.strong"]


# -- wording lint ------------------------------------------------------------------------------


def test_lint_finds_counts_quoted_without_number_aware_wording(tmp_path: Path) -> None:
    warnings = lint_pack(
        tmp_path,
        rules=[
            rule(
                "bare",
                why="After ${months_searching|some} months, and ${rejections_recent|some}.",
                actions=["You reached ${network_contacts_month|few} of your contacts."],
            ),
            rule("aware", why="After ${months_searching:# month/# months|a while}; at ${anxiety} out of 5."),
        ],
    )
    assert [w.split(": ", 1)[0] for w in warnings] == ["extra.bare", "extra.bare"]
    assert "why quotes ${months_searching} before a word" in warnings[0]
    assert "action 1 quotes ${network_contacts_month} before a word" in warnings[1]


@pytest.mark.parametrize(
    "when, why, warned",
    [
        ("anger >= 1", "The news is recent.", "days_since_rejection = "),
        ("anger >= 1 and days_since_rejection <= 7", "The news is recent.", None),
        ("anger >= 1", "$[if days_since_rejection <= 7:The news is recent.|It has been a while.]", None),
        ("anger >= 1", "I enjoyed our conversations.", "stage_reached = 'application'"),
        ("anger >= 1", "Being gutted is allowed.", "disappointment = 1"),
        ("disappointment >= 4", "Being gutted is allowed.", None),
        ("anger >= 1", "Ask your former colleagues.", "career_stage = 'student_or_graduate'"),
    ],
)
def test_lint_finds_words_that_are_false_for_some_people(
    tmp_path: Path, when: str, why: str, warned: str | None
) -> None:
    warnings = lint_pack(tmp_path, rules=[rule("words", when=when, why=why)])
    if warned is None:
        assert warnings == []
    else:
        assert warnings and all(w.startswith("extra.words: why says") for w in warnings), warnings
        assert any("(e.g. " + warned in w for w in warnings), warnings


def test_lint_finds_a_draft_that_contradicts_its_own_actions(tmp_path: Path) -> None:
    text = (
        '[pack]\nid = "extra"\nname = "Extra"\nversion = "0.1.0"\n\n'
        '[templates.note]\ntitle = "Note"\nbody = "Dear ${interviewer_name|team}, I am disappointed. ${name|[your name]}"\n\n'
        '[[rules]]\nid = "note"\ncategory = "feedback"\ntitle = "Write"\nwhy = "Because."\nweight = 0.5\n'
        'timeframe = "this-week"\neffort = "low"\ntemplate = "note"\n'
        'actions = ["Leave out disappointment and questions about the decision."]\n'
    )
    (tmp_path / "extra.toml").write_text(text)
    app = load(packs=[tmp_path], entry_points=False, strict=True)
    [warning] = lint(app.ruleset, packs={"extra"})
    assert warning.code == "draft-contradiction" and warning.line is not None
    assert warning.message.startswith('the draft mentions "disappoint", but the step\'s action says')


def test_lint_is_deterministic_and_quiet_about_rules_that_fire(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        rules=[
            rule("ok", when="motivation <= 2 and 'salary' in feedback_themes"),
            rule("never", when="anger > 3 and anger < 4"),
        ],
    )
    app = load(packs=[tmp_path], entry_points=False, strict=True)
    first = lint(app.ruleset, packs={"extra"}, options=LintOptions(samples=50, budget=500, seed=7))
    assert first == lint(app.ruleset, packs={"extra"}, options=LintOptions(samples=50, budget=500, seed=7))
    assert [p.field for p in first] == ["extra.never"]
    assert all(p.code == "never-fires" and p.source == str(tmp_path / "extra.toml") for p in first)


# -- engine compatibility and loading isolation -----------------------------------------------


def builtin_steps(app: Bounceback) -> tuple[Step, ...]:
    return app.plan(BASE_ANSWERS).steps


def test_an_incompatible_pack_is_refused_with_a_clear_message(tmp_path: Path, app: Bounceback) -> None:
    write_pack(tmp_path, engine=">=2", rules=[rule("r")])
    result = invoke("packs", "validate", str(tmp_path))
    assert result.exit_code == 2
    assert "'engine' >=2" not in result.stdout
    assert (
        "pack.engine" not in result.stdout
        and "pack needs engine >=2, but this bounceback reads pack format 1; upgrade bounceback "
        "or use a matching pack version"
        in result.stdout
    )
    loaded = load(packs=[tmp_path], entry_points=False)
    assert "extra" not in {p.id for p in loaded.packs}
    assert "pack needs engine >=2" in loaded.skipped[0].error
    assert builtin_steps(loaded) == builtin_steps(app)


BROKEN_PACKS = {
    "toml-syntax": "[pack\nid = 'x'",
    "unknown-name": tomli_w.dumps(
        {"pack": {"id": "extra", "name": "X", "version": "1"}, "rules": [rule("r", when="motivaton < 2")]}
    ),
    "clashing-pack-id": tomli_w.dumps(
        {"pack": {"id": "feedback", "name": "X", "version": "1"}, "rules": [rule("r", weight=1.0)]}
    ),
    "clashing-question": tomli_w.dumps(
        {
            "pack": {"id": "extra", "name": "X", "version": "1"},
            "questions": [{"id": "motivation", "prompt": "?", "kind": "bool"}],
        }
    ),
    "incompatible": tomli_w.dumps({"pack": {"id": "extra", "name": "X", "version": "1", "engine": "<1"}}),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_PACKS))
def test_a_broken_pack_never_breaks_the_built_in_plan(kind: str, tmp_path: Path, app: Bounceback) -> None:
    (tmp_path / "broken.toml").write_text(BROKEN_PACKS[kind])
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(BASE_ANSWERS))
    result = invoke("plan", str(answers), "--format", "json", "--pack", str(tmp_path), "--no-plugins")
    assert result.exit_code == 0, result.output
    assert (
        f"warning: skipped plugin folder:{tmp_path} (bounceback_packs): {tmp_path / 'broken.toml'}"
        in result.stderr
    )
    plan = json.loads(result.stdout)
    assert [s["id"] for s in plan["steps"]] == [s.id for s in builtin_steps(app)]
    assert plan["skipped_plugins"][0]["name"] == f"folder:{tmp_path}"
    strict = invoke("plan", str(answers), "--pack", str(tmp_path), "--no-plugins", "--strict")
    assert strict.exit_code == 2
    assert strict.stdout == "" and strict.stderr.startswith("error: ")


class ClashingSignals:
    """A third-party plugin whose signal clashes with a built-in question."""

    @hookimpl
    def bounceback_signals(self) -> dict[str, Any]:
        return {"motivation": lambda answers: 1.0}


def test_a_plugin_signal_that_clashes_is_skipped(app: Bounceback) -> None:
    loaded = load(entry_points=False, extra_plugins=[("clash", ClashingSignals())])
    assert [(s.name, s.hook) for s in loaded.skipped] == [("clash", "bounceback_signals")]
    assert "plugin signal 'motivation' clashes with a question or signal" in loaded.skipped[0].error
    assert builtin_steps(loaded) == builtin_steps(app)
    with pytest.raises(BouncebackError, match="plugin signal 'motivation' clashes"):
        load(entry_points=False, extra_plugins=[("clash", ClashingSignals())], strict=True)


def test_a_missing_pack_folder_is_skipped_too(tmp_path: Path, app: Bounceback) -> None:
    loaded = load(packs=[tmp_path / "nowhere"], entry_points=False)
    assert "pack path not found" in loaded.skipped[0].error
    assert builtin_steps(loaded) == builtin_steps(app)


# -- packs test and bounceback.testing --------------------------------------------------------


@pytest.fixture
def tested_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    question = {"id": "extra_new", "prompt": "New to the field?", "kind": "bool"}
    write_pack(
        folder,
        questions=[question],
        rules=[
            rule("start", when="extra_new == True", weight=1.0, topics=["gain-experience"], category="skills")
        ],
    )
    write_persona(
        folder / "personas",
        "newcomer",
        {"plan_rules_all": ["extra.start"], "top_topics_any": ["gain-experience"]},
        extra_new=True,
    )
    write_persona(folder / "personas", "veteran", {"plan_rules_none": ["extra.start"]}, extra_new=False)
    return folder


def test_packs_test_passes_and_shows_each_plans_topics(tested_pack: Path) -> None:
    result = invoke("packs", "test", str(tested_pack))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("PASS  newcomer  topics: ") and "gain-experience" in lines[0]
    assert lines[1].startswith("PASS  veteran  topics: ")
    assert "gain-experience" not in lines[1]
    assert result.stderr == "2 personas: 2 passed, 0 failed\n"


def test_packs_test_reports_failures_with_the_plan(tested_pack: Path) -> None:
    write_persona(
        tested_pack / "personas",
        "wrong",
        {"plan_rules_all": ["extra.start"], "min_steps": 40},
        extra_new=False,
    )
    result = invoke("packs", "test", str(tested_pack))
    assert result.exit_code == 2
    assert "FAIL  wrong  topics: " in result.stdout
    assert "      - plan_rules_all: rules missing from the plan: extra.start\n" in result.stdout
    assert "expected at least 40" in result.stdout
    assert "      the plan was:\n          1. " in result.stdout
    assert result.stderr == "3 personas: 2 passed, 1 failed\n"
    data = json.loads(invoke("packs", "test", str(tested_pack), "--format", "json").stdout)
    assert data["ok"] is False
    assert [(p["name"], p["passed"]) for p in data["personas"]] == [
        ("newcomer", True),
        ("veteran", True),
        ("wrong", False),
    ]


def test_packs_test_checks_the_personas_v2_keys(tested_pack: Path) -> None:
    write_persona(
        tested_pack / "personas",
        "short",
        {"max_steps": 2, "max_actions": 100, "max_today": 7, "text_none": ["x{1000}"], "text_any": ["."]},
        extra_new=False,
    )
    write_persona(
        tested_pack / "personas", "quiet", {"text_any": ["nothing like this anywhere"]}, extra_new=False
    )
    result = invoke("packs", "test", str(tested_pack))
    assert result.exit_code == 2
    assert re.search(r"\n +- max_steps: the plan has \d+ steps, expected at most 2\n", result.stdout)
    assert "  - text_any: none of 'nothing like this anywhere' matches any step's text\n" in result.stdout
    assert result.stderr == "4 personas: 2 passed, 2 failed\n"


def test_packs_test_refuses_a_broken_pack(tested_pack: Path) -> None:
    toml = tested_pack / "extra.toml"
    toml.write_text(toml.read_text().replace("extra_new == True", "extra_nwe == True"))
    result = invoke("packs", "test", str(tested_pack))
    assert result.exit_code == 2
    assert "unknown name 'extra_nwe' (did you mean 'extra_new'?)" in result.stdout  # as validate
    assert result.stderr.endswith("\n1 problem found\n")


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: None, "personas folder not found"),
        (lambda d: d.mkdir(), "no personas here"),
        (
            lambda d: write_persona(d, "x", {"plan_topic_all": ["network"]}),
            "x.expect.toml:1: plan_topic_all: unknown expectation (did you mean 'plan_topics_all'?)",
        ),
        (lambda d: write_persona(d, "x", {"min_steps": "three"}), "min_steps: expected a whole number"),
        (
            lambda d: write_persona(d, "x", {"text_none": ["[a-"]}),
            "x.expect.toml:1: text_none: '[a-' is not a regular expression",
        ),
        (
            lambda d: (write_persona(d, "x", {}), (d / "x.expect.toml").unlink()),
            "x.answers.toml: no expectations: add x.expect.toml beside it",
        ),
        (
            lambda d: (write_persona(d, "x", {}), (d / "x.answers.toml").unlink()),
            "x.expect.toml: no answers: add x.answers.toml beside it",
        ),
    ],
)
def test_packs_test_reports_persona_file_problems(tested_pack: Path, setup: Any, message: str) -> None:
    folder = tested_pack.parent / "other"
    setup(folder)
    result = invoke("packs", "test", str(tested_pack), "--personas", str(folder))
    assert result.exit_code == 2
    assert message in result.stderr


def test_invalid_answers_and_unknown_topics_are_failures(tested_pack: Path) -> None:
    folder = tested_pack / "personas"
    write_persona(folder, "typo", {"plan_topics_none": ["professional-hlep"]}, extra_new=True)
    write_persona(folder, "bad-answer", {}, motivation=9)
    app = load(packs=[tested_pack], entry_points=False, strict=True)
    results = {r.persona.name: r for r in run_personas(folder, app)}
    assert results["typo"].failures == (
        "plan_topics_none: no loaded rule has topic 'professional-hlep' (did you mean 'professional-help'?)",
    )
    assert results["bad-answer"].plan is None
    assert results["bad-answer"].failures[0].startswith("invalid answers: ")
    assert "motivation: expected a whole number from 1 to 5, got 9" in results["bad-answer"].failures[0]


def test_assert_persona_raises_with_every_failure(tested_pack: Path) -> None:
    app = load(packs=[tested_pack], entry_points=False, strict=True)
    newcomer, veteran = read_personas(tested_pack / "personas")
    assert isinstance(assert_persona(newcomer, app), Plan)
    wrong = type(veteran)(
        veteran.name, veteran.answers_path, veteran.expect_path, {"plan_rules_all": ["extra.start"]}
    )
    with pytest.raises(
        AssertionError,
        match=r"(?s)persona veteran .*rules missing from the plan: "
        r"extra\.start.*the plan was:\n    1\. ",
    ):
        assert_persona(wrong, app)


def test_assert_pack_valid(tested_pack: Path, tmp_path: Path) -> None:
    assert_pack_valid(tested_pack)
    broken = write_pack(tmp_path / "broken", rules=[rule("r", when="nope")])
    with pytest.raises(AssertionError, match="unknown name 'nope'"):
        assert_pack_valid(broken)


def step(rule_id: str, category: str, *topics: str, timeframe: str = "this-week", **texts: Any) -> Step:
    fields = {"title": "t", "why": "w", "actions": ("a",), **texts}
    return Step(
        id=rule_id,
        pack=rule_id.split(".")[0],
        category=category,
        topics=topics,
        timeframe=timeframe,
        effort="low",
        score=0.5,
        **fields,
    )


PLAN = Plan(
    steps=(
        step("a.one", "mindset", "acknowledge-feelings", timeframe="today", title="Take a breath"),
        step(
            "a.two",
            "feedback",
            "request-feedback",
            timeframe="today",
            actions=("Write to Sam", "Wait"),
            draft=Draft("Feedback request", "Dear Sam, could you tell me more?", "Thank you"),
        ),
        step("a.three", "mindset", "not-personal", why="It is not about your worth"),
        step("a.four", "skills", "enhance-skills"),
    )
)


@pytest.mark.parametrize(
    "expect, failures",
    [
        (
            {
                "first_topic": "acknowledge-feelings",
                "top_topics_any": ["not-personal", "network"],
                "plan_topics_all": ["enhance-skills"],
                "plan_topics_none": ["network"],
                "min_steps": 4,
                "min_categories": 3,
                "plan_rules_all": ["a.two"],
                "plan_rules_none": ["b.x"],
            },
            [],
        ),
        (
            {"first_topic": "request-feedback"},
            ["first_topic: the first step a.one has topics acknowledge-feelings, not 'request-feedback'"],
        ),
        (
            {"top_topics_any": ["enhance-skills"]},
            [
                "top_topics_any: none of enhance-skills is in the first 3 steps (their topics: "
                "acknowledge-feelings, not-personal, request-feedback)"
            ],
        ),
        (
            {"plan_topics_all": ["network", "not-personal", "self-care"]},
            ["plan_topics_all: topics missing from the plan: network, self-care"],
        ),
        (
            {"plan_topics_none": ["network", "not-personal"]},
            ["plan_topics_none: topics that should not be in the plan: not-personal"],
        ),
        ({"min_steps": 5}, ["min_steps: the plan has 4 steps, expected at least 5"]),
        (
            {"min_categories": 4},
            ["min_categories: the plan spans 3 categories (feedback, mindset, skills), expected at least 4"],
        ),
        (
            {"plan_rules_all": ["a.one", "a.nine"], "plan_rules_none": ["a.four"]},
            [
                "plan_rules_all: rules missing from the plan: a.nine",
                "plan_rules_none: rules that should not be in the plan: a.four",
            ],
        ),
        (
            {
                "max_steps": 4,
                "max_actions": 5,
                "max_today": 2,
                "text_none": ["verdict"],
                "text_any": ["nowhere", r"\bSAM\b"],
            },
            [],
        ),
        ({"max_steps": 3}, ["max_steps: the plan has 4 steps, expected at most 3"]),
        ({"max_actions": 4}, ["max_actions: the steps have 5 actions together, expected at most 4"]),
        ({"max_today": 1}, ["max_today: 2 steps are due today (a.one, a.two), expected at most 1"]),
        (
            {"text_none": ["your worth", "^thank", "breath|more"]},
            [
                "text_none: 'your worth' matches a.three ('your worth')",
                "text_none: '^thank' matches a.two ('Thank')",
                "text_none: 'breath|more' matches a.one ('breath'), a.two ('more')",
            ],
        ),
        ({"text_any": ["988", "helpline"]}, ["text_any: none of '988', 'helpline' matches any step's text"]),
    ],
)
def test_check_expectations(expect: dict[str, Any], failures: list[str]) -> None:
    assert check_expectations(PLAN, expect) == failures


def test_max_today_is_two_when_absent() -> None:
    busy = Plan(steps=tuple(step(f"a.s{n}", "mindset", timeframe="today") for n in range(3)))
    assert check_expectations(busy, {}) == [
        "max_today: 3 steps are due today (a.s0, a.s1, a.s2), expected at most 2"
    ]
    assert check_expectations(busy, {"max_today": 3}) == []


@pytest.mark.parametrize(
    "expect, message",
    [
        ({"text_none": ["(unclosed"]}, "text_none: '(unclosed' is not a regular expression"),
        ({"text_any": "988"}, "text_any: expected a list of regular expressions in quotes, got '988'"),
        ({"text_any": []}, "text_any: expected a list of regular expressions"),
        ({"max_steps": -1}, "max_steps: expected a whole number ≥ 0, got -1"),
        ({"max_today": True}, "max_today: expected a whole number ≥ 0, got True"),
    ],
)
def test_malformed_new_expectations(expect: dict[str, Any], message: str) -> None:
    with pytest.raises(BouncebackError, match=re.escape(message)):
        check_expectations(PLAN, expect)


def test_check_expectations_on_an_empty_plan_and_a_malformed_table() -> None:
    assert check_expectations(Plan(steps=()), {"first_topic": "network"}) == [
        "first_topic: the plan is empty, expected a first step with topic 'network'"
    ]
    with pytest.raises(BouncebackError, match="unknown expectation"):
        check_expectations(PLAN, {"first_topics": "network"})


# -- show -------------------------------------------------------------------------------------


def test_packs_show_lists_rules_questions_signals_and_templates() -> None:
    result = invoke("packs", "show", "feedback", "--no-plugins")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("pack feedback 1.0.0: Feedback and follow-up\n")
    assert "  plugin: advice (built-in)\n" in out
    assert (
        "  feedback.request: Ask them for feedback, once and politely\n"
        "      feedback · topics request-feedback · weight 0.85 · this-week · low effort\n"
        "      when:     feedback_received != 'specific' and days_since_rejection <= 14 and not (decision == 'no_reply') and not (internal_role == True) and not (feedback_asked == True)\n"
    ) in out
    assert "      excludes: feedback.ask-recruiter, feedback.follow-up\n" in out
    assert "\nTemplates (" in out and "  feedback_request_email: " in out
    base = invoke("packs", "show", "base", "--no-plugins").stdout
    assert "  stage_reached  [choice, required; context] How far did the process go?\n" in base
    assert "  rawness = 1 - scale(days_since_rejection, 1, 30)\n" in base


def test_packs_show_json_and_unknown_ids(tmp_path: Path) -> None:
    data = json.loads(invoke("packs", "show", "support", "--format", "json", "--no-plugins").stdout)
    assert data["id"] == "support" and data["source"] == "built-in"
    pinned = [r for r in data["rules"] if r["pin"]]
    assert {r["id"] for r in pinned} >= {"support.crisis-support", "support.professional-help"}
    assert set(pinned[0]) >= {"title", "category", "topics", "weight", "when", "strength"}
    result = invoke("packs", "show", "feedbak", "--no-plugins")
    assert result.exit_code == 2
    assert "error: PACK_ID: no loaded pack 'feedbak' (did you mean 'feedback'?)" in result.stderr


# -- the pack author's guide ------------------------------------------------------------------

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "pack-authoring.md"


def test_the_guides_example_pack_is_valid_and_lint_clean(tmp_path: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", GUIDE.read_text("utf-8"), re.S)
    [example] = [b for b in blocks if b.startswith("[pack]")]
    (tmp_path / "graduates.toml").write_text(example)
    result = validate_packs([tmp_path], entry_points=False)
    assert (result.problems, result.warnings) == ((), ())
    assert [len(result.packs[0].rules), len(result.packs[0].templates)] == [2, 1]


def test_the_guides_condition_examples_compile(app: Bounceback) -> None:
    from bounceback.conditions import compile_expression

    text = GUIDE.read_text("utf-8")
    examples = text.split("### Examples\n\n```\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(examples) == 6
    types = {
        **app.questionnaire.types(),
        **{s.name: s.expression.type for s in app.ruleset.signals if s.expression is not None},
    }
    for example in examples:
        compile_expression(example, types)
