"""The documented answers file: :func:`answers_toml` writes an answers file (TOML, values written
by tomli-w) with every question documented in comments; blank, it is the template of
``bounceback questions --template``; filled, it is what ``bounceback ask`` saves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomli_w

from .model import Question
from .questionnaire import Questionnaire
from .render.questionnaire import allowed, meanings, ordered, section_title, wrapped

HEADER = """\
# bounceback answers
#
# Write your answer after each "=": between the quotes for words and numbers ("3" or 3),
# true or false for yes/no questions, and a list like ["technical", "tools"] where several
# answers are allowed. Questions marked "required" must be answered; leave any other one
# empty ("" or []) to skip it. Lines starting with # are notes and are ignored.
#
# {closing}
"""


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.strip().splitlines()]


def _toml_value(question: Question, value: Any) -> Any:
    """An answer as tomli-w writes it; unanswered is ``""`` (``[]`` for multi)."""
    if question.kind == "multi":
        return list(value or ())
    return "" if value is None else value


def answers_toml(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any] | None = None,
    *,
    filename: str = "answers.toml",
    resume: str | None = None,
    reached: int | None = None,
) -> str:
    """An answers file for ``questionnaire``: every question with its prompt, kind, allowed
    values and whether it is required in comments, and its answer (blank when ``answers``
    lacks it). ``filename`` is what the closing hint tells the person to run ``plan`` on; for
    an unfinished file, ``resume`` is the command that goes on asking instead, and only the
    first ``reached`` questions (in asking order) are written: those not yet asked are left
    out, so that resuming knows where to go on."""
    answers = answers or {}
    asked = {q.id for q in ordered(questionnaire)[:reached]} if reached is not None else None
    closing = (
        f"Not finished yet: to answer the rest, run  {resume}"
        if resume
        else f"When you are done:  bounceback plan {filename}"
    )
    out = [HEADER.format(closing=closing)]
    for section, questions in questionnaire.sections():
        out.append(f"# === {section_title(section)} ===\n")
        for question in questions:
            if asked is not None and question.id not in asked:
                continue
            lines = _comment(question.prompt) + _comment(question.help) + wrapped(meanings(question), "# ")
            lines.append(f"# {'required' if question.required else 'optional'} · {allowed(question)}")
            value = _toml_value(question, answers.get(question.id))
            lines.append(tomli_w.dumps({question.id: value}).rstrip("\n"))
            out.append("\n".join(lines) + "\n")
    return "\n".join(out)
