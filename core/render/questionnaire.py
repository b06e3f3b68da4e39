"""The questionnaire for people and programs: ``bounceback questions --format ...``.

Questions are listed section by section (sections in order of first appearance), which is
also the order of the answers template, of ``bounceback ask`` and of the CSV header row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from ..model import Question
from ..questionnaire import Questionnaire
from .json import dumps
from .markdown import code, escape

JSON_SCHEMA_VERSION = 1


def ordered(questionnaire: Questionnaire) -> list[Question]:
    """Every question, section by section."""
    return [q for _, questions in questionnaire.sections() for q in questions]


def section_title(section: str) -> str:
    """``"interview_prep"`` → ``"Interview prep"``."""
    return section.replace("_", " ").replace("-", " ").capitalize()


def allowed(question: Question) -> str:
    """The kind of answer and what is allowed, e.g. ``"scale · a whole number from 1 to 5"``."""
    if question.kind == "text":
        return "text"
    return f"{question.kind} · {question.describe_allowed()}"


def meanings(question: Question) -> list[str]:
    """What the answers mean in words: the scale's anchors (``"1 = no rush"``, ...) or each
    option's label (``"final_round = the final round"``, ...); empty for other kinds."""
    if question.options:
        return [f"{o} = {question.label(o)}" for o in question.options]
    return [f"{value} = {text}" for value, text in sorted(question.anchors.items())]


def wrapped(items: list[str], indent: str, sep: str = " · ", width: int = 92) -> list[str]:
    """``items`` joined by ``sep`` in lines of about ``width`` characters, each starting with
    ``indent``; an item is never split across lines."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + len(sep) + len(item) <= width:
            lines[-1] += sep + item
        else:
            lines.append(indent + item)
    return lines


def render_text(questionnaire: Questionnaire) -> str:
    """The questionnaire for a terminal."""
    required = sum(q.required for q in questionnaire)
    out = [
        f"{len(questionnaire)} questions, {required} required (marked *).",
        "Answer them in a file (bounceback questions --template) or here (bounceback ask).",
        "",
    ]
    for section, questions in questionnaire.sections():
        out += [section_title(section).upper(), ""]
        for question in questions:
            out.append(f"  {question.id}{' *' if question.required else ''}  ({allowed(question)})")
            out += [f"      {line}" for line in (question.prompt + "\n" + question.help).strip().splitlines()]
            out += wrapped(meanings(question), "      ")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_markdown(questionnaire: Questionnaire) -> str:
    """The questionnaire as Markdown tables, one per section."""
    out = ["# Questionnaire", ""]
    for section, questions in questionnaire.sections():
        out += [
            f"## {escape(section_title(section))}",
            "",
            "| id | question | answer | required |",
            "|---|---|---|---|",
        ]
        for q in questions:
            prompt = escape(" ".join(f"{q.prompt} {q.help}".split()))
            answer = q.kind + (
                ": " + ", ".join(f"{code(o)} ({escape(q.label(o))})" for o in q.options)
                if q.options
                else ""
                if q.kind == "text"
                else f": {escape(q.describe_allowed())}"
            )
            if q.anchors:
                answer += " (" + escape(q.anchor_text("; ")) + ")"
            out.append(f"| {code(q.id)} | {prompt} | {answer} | {'yes' if q.required else 'no'} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_json(questionnaire: Questionnaire) -> str:
    """Every question with all its fields, in questionnaire order."""
    return dumps(
        {
            "schema": JSON_SCHEMA_VERSION,
            "questions": [
                {
                    "id": q.id,
                    "section": q.section,
                    "prompt": q.prompt,
                    "kind": q.kind,
                    "required": q.required,
                    "options": list(q.options),
                    "labels": {o: q.label(o) for o in q.options},
                    "min": q.min,
                    "max": q.max,
                    "anchors": {str(v): text for v, text in sorted(q.anchors.items())},
                    "help": q.help,
                    "pack": q.pack,
                }
                for q in ordered(questionnaire)
            ],
        }
    )


def render_csv(questionnaire: Questionnaire) -> str:
    """The header row of a cohort spreadsheet (one person a row, as ``bounceback batch`` reads
    it): an ``id`` column for the participant, then the question ids."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["id", *(q.id for q in ordered(questionnaire))])
    return buffer.getvalue()


RENDERERS: dict[str, Callable[[Questionnaire], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
    "csv": render_csv,
}


def render(questionnaire: Questionnaire, fmt: str = "text") -> str:
    """The questionnaire in format ``fmt`` (one of :data:`~bounceback.defaults.QUESTIONNAIRE_FORMATS`)."""
    if fmt in ("form", "apps-script"):  # to build a survey tool's form: render.forms
        from .forms import render_apps_script, render_form

        return (render_form if fmt == "form" else render_apps_script)(questionnaire)
    return RENDERERS[fmt](questionnaire)
