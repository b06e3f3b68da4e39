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

The persona files are read by :mod:`.personas`, their expectations checked by
:mod:`.expectations` and their plan snapshots kept by :mod:`.snapshots`; this module plans
personas and reports the outcome. Nothing here imports pytest: failures are plain
:class:`AssertionError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import AnswersError
from ..results import Plan
from .expectations import check_expectations, unknown_ids
from .personas import Persona, read_personas
from .snapshots import compare_snapshot

if TYPE_CHECKING:
    from ..api import Bounceback


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
    snapshot, diff = compare_snapshot(persona, plan, update)
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
    from .validation import validate_packs

    result = validate_packs(paths, entry_points=False)
    if result.problems:
        raise AssertionError("pack problems:\n" + "\n".join(f"  {p}" for p in result.problems))
