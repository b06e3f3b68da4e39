"""Filling drafts and `why` texts with the person's answers, safely.

Placeholders are ``${question_id}`` or ``${question_id|fallback}``; ``$$`` is a literal ``$``.
Substitution is a plain lookup of an answer by id: no attribute access, indexing or format
specs are possible (unlike :meth:`str.format`), whatever the pack or the person wrote.
"""

from __future__ import annotations

import functools
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


def shown(value: Any, otherwise: str) -> str:
    """What one placeholder becomes: the answer as it reads in a sentence, or ``otherwise``."""
    kind = type(value)  # the usual cases first: what answer_text() gives for text and counts
    text = value.strip() if kind is str else str(value) if kind is int else answer_text(value)
    return text or otherwise


def fill(text: str, answers: Mapping[str, Any]) -> str:
    """Replace each placeholder in ``text`` with the answer, its fallback, or ``[id]``."""
    pieces, tail = parse(text)
    if not pieces:
        return tail
    out: list[str] = []
    for before, name, otherwise in pieces:
        out += (before, shown(answers.get(name), otherwise))
    out.append(tail)
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> tuple[tuple[tuple[str, str, str], ...], str]:
    """``text`` split into ``(text before, id, text if unanswered)`` for each placeholder, and
    the text after the last one: :func:`fill` in advance, for a text filled again and again.

    ``fill(text, answers)`` is ``"".join(before + shown(answers.get(id), otherwise) ...) + tail``.
    """
    pieces: list[tuple[str, str, str]] = []
    literal, position = "", 0
    for match in PLACEHOLDER.finditer(text):
        literal += text[position:match.start()]
        position = match.end()
        if match.group(1):
            literal += "$"
        else:
            name, fallback = match.group(2), match.group(3)
            otherwise = fallback if fallback is not None else f"[{name.replace('_', ' ')}]"
            pieces.append((literal, name, otherwise))
            literal = ""
    return tuple(pieces), literal + text[position:]
