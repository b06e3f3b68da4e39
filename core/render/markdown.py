"""Markdown: the plan by phase for notes, wikis and chat; every piece of text escaped.

Text that came from the answers (role, names in drafts) is escaped like any other, so it can
never become a link, a heading or raw HTML in whatever renders the Markdown.
"""

from __future__ import annotations

import re

from ..results import Plan, Step
from . import (
    LATER_TITLE,
    PINNED_TITLE,
    RenderOptions,
    context_line,
    later_intro,
    later_items,
    pinned_first,
    step_tags,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!])")
_BLOCK_START = re.compile(r"^(\s*)(?:([+=-])|(\d+)([.)]))")


def escape(text: str) -> str:
    """``text`` with every Markdown-significant character backslash-escaped.

    Inline markers are escaped everywhere; list, quote, heading and setext markers only where
    they would start a block (at the start of a line).
    """

    def start(match: re.Match[str]) -> str:
        indent, marker, digits, delimiter = match.groups()
        return f"{indent}\\{marker}" if marker else f"{indent}{digits}\\{delimiter}"

    return "\n".join(_BLOCK_START.sub(start, line) for line in _SPECIAL.sub(r"\\\1", text).split("\n"))


def code(text: str) -> str:
    """``text`` as an inline code span, fenced with more backticks than it contains."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _quote(text: str) -> list[str]:
    """A blockquote keeping the text's line breaks (a trailing backslash is a hard break)."""
    lines = [escape(line.rstrip()) for line in text.rstrip("\n").split("\n")]
    out = []
    for n, line in enumerate(lines):
        hard_break = bool(line) and n + 1 < len(lines) and bool(lines[n + 1])
        out.append(f"> {line}\\" if hard_break else f"> {line}".rstrip())
    return out


def render_step(number: int, step: Step, options: RenderOptions) -> list[str]:
    """The Markdown lines of one numbered step."""
    lines = [
        f"## {number}. {escape(step.title)}",
        "",
        f"*{escape(step_tags(step))}*",
        "",
        escape(step.why),
        "",
    ]
    lines += [f"- {escape(action)}" for action in step.actions]
    if step.actions:
        lines.append("")
    if options.reasons:
        lines.append(f"Score {step.score:.2f} ({code(step.id)})" + (", because:" if step.reasons else "."))
        lines.append("")
        lines += [f"- {code(reason)}" for reason in step.reasons]
        if step.reasons:
            lines.append("")
    if step.draft is not None:
        lines += [f"**Draft: {escape(step.draft.title)}**", ""]
        if step.draft.subject:
            lines += [f"> **Subject:** {escape(step.draft.subject)}", ">"]
        lines += _quote(step.draft.body)
        lines.append("")
    return lines


def render(plan: Plan, options: RenderOptions) -> str:
    """The whole plan as Markdown."""
    out = ["# Your next steps", ""]
    context = context_line(plan)
    if context:
        out += [f"*{escape(context)}*", ""]
    if not plan.steps:
        out += [
            "No step stands out from your answers right now. Answer more of the optional "
            "questions (`bounceback questions`) for a more specific plan.",
            "",
        ]
    pinned, rest = pinned_first(plan)
    if pinned:
        out += [f"## ⚠ {escape(PINNED_TITLE)}", ""]
        for number, step in enumerate(pinned, start=1):
            out += render_step(number, step, options)
        out += ["---", ""]
    for number, step in enumerate(rest, start=len(pinned) + 1):
        out += render_step(number, step, options)
    if plan.later:
        out += [f"## {LATER_TITLE}", "", escape(later_intro(plan)), ""]
        out += [f"- {escape(item)}" for item in later_items(plan)] + [""]
    if plan.skipped_plugins:
        out += [
            "*Made without these plugins, which failed: "
            + escape(", ".join(f"{p.name} ({p.error})" for p in plan.skipped_plugins))
            + "*",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"
