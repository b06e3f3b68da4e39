"""Reading one cell of an export as an answer: option labels, localised yes/no words, numbers with
their labels, multi-select cells split into their choices."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from collections.abc import Mapping as AnyMapping
from functools import cache
from typing import Any

from ..model import Question
from ..questionnaire import FALSE_WORDS, TRUE_WORDS

#: Yes and no in the languages programmes most often run their forms in.
YES = frozenset(
    TRUE_WORDS
    | {
        "ja",
        "j",
        "oui",
        "sí",
        "si",
        "sim",
        "tak",
        "kyllä",
        "evet",
        "да",
        "ano",
        "igen",
        "ναι",
        "是",
        "はい",
        "checked",
        "selected",
    }
)
NO = frozenset(
    FALSE_WORDS
    | {"nein", "non", "não", "nao", "nie", "nee", "ei", "hayır", "нет", "ne", "nem", "όχι", "否", "いいえ"}
)


_QUOTES = str.maketrans("‘’‚“”„", "'''\"\"\"")
_SPACES = re.compile(r"[\s_\-–—]+")
_LEADING_NUMBER = re.compile(r"\s*([+-]?\d{1,15})(?:\s*(?:[-–—=:.)(]|$))")
_SEPARATORS = ",;"


def normal(text: str) -> str:
    """Text as matching compares it: case, accents' composition, quotes, spaces, ``_`` and
    ``-``, and a trailing ``?``, ``:``, ``.`` or required-marker ``*`` do not matter."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    return _SPACES.sub(" ", text).strip(" *?:.!")


def option_forms(question: Question) -> dict[str, str]:
    """Every form of each option's label a person may have typed or a form may show, normalised:
    the option id, its words (``phone_screen``, ``phone screen``) and its label."""
    forms: dict[str, str] = {}
    for option in question.options:
        forms.setdefault(normal(option), option)
    for option in question.options:
        forms.setdefault(normal(question.label(option)), option)
    return forms


# ---------------------------------------------------------------------------------------------
# Reading each answer


def value_reader(question: Question, labels: AnyMapping[str, Any]) -> Callable[[str], Any]:
    """The function that turns one cell of ``question``'s column into the answer the
    questionnaire validates: labels mapped (``labels``, then the option labels and localised
    yes/no words), a multi-select cell split into its choices. A cell it cannot read is
    returned unchanged, so validation reports it with what was expected."""
    table = {normal(label): value for label, value in labels.items() if value is not None}
    kind = question.kind
    if kind == "choice":
        options = frozenset(question.options)
        forms = {**option_forms(question), **table}
        return lambda cell: cell if cell in options else forms.get(normal(cell), cell)
    if kind == "multi":
        forms = {**option_forms(question), **table}
        options = frozenset(question.options)

        def choices(cell: str) -> Any:
            if all(item in options for item in cell.split(";") if item):
                return cell
            return tuple(split_choices(cell, forms))

        return choices
    if kind == "bool":
        words = {**dict.fromkeys(YES, True), **dict.fromkeys(NO, False), **table}
        return lambda cell: words.get(normal(cell), cell)
    if kind in ("scale", "number"):

        def number(cell: str) -> Any:
            if cell.isdigit():
                return cell
            if normal(cell) in table:
                return table[normal(cell)]
            match = _LEADING_NUMBER.match(cell)  # "5 - full of energy", "1 (not at all)"
            return match.group(1) if match else cell

        return number
    return lambda cell: cell


def split_choices(cell: str, forms: AnyMapping[str, str], raw: bool = False) -> list[str]:
    """A multi-select cell's choices, found by matching known labels (``forms``: normalised
    label → option id) so that a label holding ``", "`` stays whole; ``;`` and ``,`` joins
    and a trailing ``;`` all work. Items no label matches are kept as written (validation
    names them). ``raw`` gives the matched items as written instead of their option ids."""
    text = cell.strip().strip(";").strip()
    if not text:
        return []
    parts = _segment(text, tuple(sorted(forms, key=len, reverse=True)))
    if parts is None:
        separator = ";" if ";" in text else ","
        items = [item.strip() for item in text.split(separator) if item.strip()]
        return [item if raw else forms.get(normal(item), item) for item in items]
    return [text[start:end].strip() if raw else forms[form] for form, start, end in parts]


def _fold(text: str) -> str:
    """``text`` folded as :func:`normal` folds it, character for character (same length)."""
    folded = text.lower().translate(_QUOTES)
    if len(folded) != len(text):  # a letter that lower-cases to two: compare it as it is
        folded = text
    return "".join(" " if _SPACES.match(c) else c for c in folded)


def _segment(text: str, forms: tuple[str, ...]) -> list[tuple[str, int, int]] | None:
    """Split a cell into known labels (``forms``, longest first) joined by ``,`` or ``;``,
    backtracking when the rest cannot be split: ``(form, start, end)`` each, or ``None``."""
    folded = _fold(text)
    size = len(folded)

    @cache
    def at(start: int) -> tuple[tuple[str, int, int], ...] | None:
        while start < size and folded[start] in " ,;":
            start += 1
        if start == size:
            return ()
        for form in forms:
            end = start + len(form)
            if not folded.startswith(form, start):
                continue
            after = end
            while after < size and folded[after] == " ":
                after += 1
            if after == size or folded[after] in _SEPARATORS:
                rest = at(after)
                if rest is not None:
                    return ((form, start, end), *rest)
        return None

    found = at(0)
    return None if found is None else list(found)
