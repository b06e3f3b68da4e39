"""Filling drafts and `why` texts with the person's answers, safely.

Placeholders are ``${question_id}`` or ``${question_id|fallback}``; ``$$`` is a literal ``$``.
Substitution is a plain lookup of an answer by id: no attribute access, indexing or format
specs are possible (unlike :meth:`str.format`), whatever the pack or the person wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\$(?:(\$)|\{([a-z][a-z0-9_]*)(?:\|([^{}]*))?\})")


def placeholders(text: str) -> list[tuple[str, str | None]]:
    """``(question id, fallback or None)`` for each placeholder in ``text``, in order."""
    return [(m.group(2), m.group(3)) for m in PLACEHOLDER.finditer(text) if m.group(2)]


def answer_text(value: Any) -> str:
    """How an answer reads inside a sentence (``""`` when unanswered)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def fill(text: str, answers: Mapping[str, Any]) -> str:
    """Replace each placeholder in ``text`` with the answer, its fallback, or ``[id]``."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return "$"
        name, fallback = match.group(2), match.group(3)
        value = answer_text(answers.get(name))
        if value:
            return value
        return fallback if fallback is not None else f"[{name.replace('_', ' ')}]"

    return PLACEHOLDER.sub(replace, text)
