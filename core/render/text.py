"""Plain text for a terminal: the plan in order, each step with why, actions and its draft."""

from __future__ import annotations

import textwrap

from ..results import Plan, Step
from . import (
    LATER_TITLE,
    PINNED_TITLE,
    RenderOptions,
    later_intro,
    later_items,
    pinned_first,
    score_text,
    step_tags,
)

WIDTH = 80


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    lines: list[str] = []
    first_indent = indent if first is None else first
    for n, paragraph in enumerate(text.splitlines() or [""]):
        if not paragraph.strip():
            lines.append("")
            continue
        lines.extend(
            textwrap.wrap(
                paragraph,
                WIDTH,
                initial_indent=first_indent if n == 0 else indent,
                subsequent_indent=indent,
                break_long_words=True,
                break_on_hyphens=False,
            )
        )
    return lines


def render_step(number: int, step: Step, options: RenderOptions) -> list[str]:
    """The lines of one numbered step."""
    label = f"{number:>2}. "
    lines = _wrap(step.title, "    ", first=label)
    lines.append(f"    [{step_tags(step)}]")
    lines += _wrap(step.why, "    ")
    for action in step.actions:
        lines += _wrap(action, "      ", first="    - ")
    if options.reasons:
        lines.append(f"    {score_text(step)}" + (", because:" if step.reasons else ""))
        for reason in step.reasons:
            lines += _wrap(reason, "        ", first="      · ")
    if step.draft is not None:
        lines.append("")
        lines.append(f"    Draft: {step.draft.title}")
        lines.append("    " + "-" * (WIDTH - 8))
        if step.draft.subject:
            lines += _wrap(f"Subject: {step.draft.subject}", "    | ", first="    | ")
            lines.append("    |")
        lines += [line if line.strip() else "    |" for line in _wrap(step.draft.body, "    | ")]
        lines.append("    " + "-" * (WIDTH - 8))
    return lines


def render(plan: Plan, options: RenderOptions) -> str:
    """The whole plan as terminal text."""
    out = ["Your next steps", "=" * 15, ""]
    if not plan.steps:
        out.append("No step stands out from your answers right now. Answer more of the optional")
        out.append("questions (bounceback questions) for a more specific plan.")
    pinned, rest = pinned_first(plan)
    if pinned:  # set apart between two rules of "!", so it cannot be missed
        out += ["!" * WIDTH, f"!! {PINNED_TITLE.upper()}", ""]
        for number, step in enumerate(pinned, start=1):
            out += render_step(number, step, options)
            out.append("")
        out += ["!" * WIDTH, ""]
    for number, step in enumerate(rest, start=len(pinned) + 1):
        out += render_step(number, step, options)
        out.append("")
    if plan.later:
        out += [LATER_TITLE, "-" * len(LATER_TITLE), *_wrap(later_intro(plan), "")]
        for item in later_items(plan):
            out += _wrap(item, "  ", first="- ")
        out.append("")
    if plan.skipped_plugins:
        out.append(
            "Note: made without these plugins, which failed: "
            + ", ".join(f"{p.name} ({p.error})" for p in plan.skipped_plugins)
        )
    return "\n".join(line.rstrip() for line in out).rstrip() + "\n"
