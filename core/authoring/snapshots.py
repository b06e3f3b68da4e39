"""Plan snapshots: ``NAME.snapshot.txt`` beside a persona records its plan step by step, so that
``packs test`` and pytest show a diff when a rule change moves the plan."""

from __future__ import annotations

import difflib

from ..results import Plan
from .personas import Persona

SNAPSHOT_HEADER = """\
# The plan for this persona, step by step in order (rule id: title), recorded by
# `bounceback packs test --update`. `packs test` and pytest fail with a diff when a rule
# change moves the plan; run `packs test --update` again to accept the new plan.
"""


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


def compare_snapshot(persona: Persona, plan: Plan, update: bool) -> tuple[str, list[str]]:
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
