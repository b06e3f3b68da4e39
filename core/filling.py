"""Filling pack texts from the answers: how an answer reads inside a sentence, in a form
(a first name for a greeting) or as a number-aware phrase, and rendering a parsed text (the
reference semantics the compiled texts follow; see :mod:`bounceback.templates` for the syntax).

Filling is a plain lookup of an answer by id: no attribute access, indexing or format specs are
possible, and what an answer contains is never read again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .answerforms import FORMS_OF
from .templates import Choice, Optional, Plural, Seq, Slot, parse


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


def shown(value: Any, otherwise: str, form: str | None = None) -> str:
    """What one placeholder becomes: the answer as it reads in a sentence (in ``form``, a key
    of :data:`FORMS_OF`, when given), or ``otherwise``."""
    kind = type(value)  # the usual cases first: what answer_text() gives for text and counts
    text = value.strip() if kind is str else str(value) if kind is int else answer_text(value)
    if not text:
        return otherwise
    return FORMS_OF[form](text) if form else text


def listed(value: Any, labels: Mapping[str, str], otherwise: str) -> str:
    """What a placeholder for a multi answer becomes: its options in words (``labels``, else
    the id with spaces), as a list reads in a sentence (``A``, ``A and B``, ``A, B and C``), or
    ``otherwise`` when none is chosen."""
    if not value:
        return otherwise
    words = [labels.get(option) or str(option).replace("_", " ") for option in value]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def filled(value: Any) -> bool:
    """Whether a placeholder for ``value`` shows an answer (not its fallback)."""
    return shown(value, "") != ""


def counted(value: Any, zero: str | None, one: str, other: str, otherwise: str) -> str:
    """What a number-aware placeholder becomes: the form for the number, ``#`` replaced by it."""
    if type(value) is not int:
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            return otherwise
        value = int(value) if value == int(value) else value
    form = zero if value == 0 and zero is not None else one if value == 1 else other
    return form.replace("#", str(value))


Holds = Callable[[str], bool]


def _no_conditions(source: str) -> bool:
    raise ValueError(f"this text has a condition ({source!r}): render it with `holds`")


def render(
    seq: Seq,
    values: Mapping[str, Any],
    holds: Holds = _no_conditions,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """``seq`` filled from ``values``; ``holds(source)`` decides each condition met on the way
    (the reference semantics of the compiled texts); a multi answer (a list) reads as its
    options' ``labels[name]`` (:func:`listed`)."""
    out: list[str] = []
    for node in seq:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Slot):
            value = values.get(node.name)
            if isinstance(value, (list, tuple)):
                out.append(listed(value, (labels or {}).get(node.name, {}), node.otherwise))
            else:
                out.append(shown(value, node.otherwise, node.form))
        elif isinstance(node, Plural):
            out.append(counted(values.get(node.name), node.zero, node.one, node.other, node.otherwise))
        elif isinstance(node, Optional):
            shows = all(filled(values.get(n)) for n in node.names)
            out.append(render(node.body if shows else node.otherwise, values, holds, labels))
        else:
            branch = chosen(node, holds)
            if branch is not None:
                out.append(render(node.branches[branch][1], values, holds, labels))
    return "".join(out)


def chosen(choice: Choice, holds: Holds) -> int | None:
    """The index of the branch of ``choice`` that shows, ``None`` when none does."""
    for i, (when, _) in enumerate(choice.branches):
        if when is None or holds(when):
            return i
    return None


def choices(seq: Seq, values: Mapping[str, Any], holds: Holds) -> Iterator[tuple[Choice, int | None]]:
    """Each choice met while rendering ``seq``, with the branch it took (for explanations)."""
    for node in seq:
        if isinstance(node, Optional):
            shows = all(filled(values.get(n)) for n in node.names)
            yield from choices(node.body if shows else node.otherwise, values, holds)
        elif isinstance(node, Choice):
            branch = chosen(node, holds)
            yield node, branch
            if branch is not None:
                yield from choices(node.branches[branch][1], values, holds)


def fill(text: str, answers: Mapping[str, Any], holds: Holds = _no_conditions) -> str:
    """Replace each placeholder in ``text`` with the answer, its fallback, or ``[id]``."""
    return render(parse(text), answers, holds)
