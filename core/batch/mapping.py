"""Which column of an export answers which question, and which label means which answer.

A :class:`Mapping` says, for every column of a table, what it is: the answer to a question
(matched by the question's id or its prompt), one choice of a multi-select question (tools
that give each choice its own column), the participant ``id``, a column to ``carry`` through
to the roster only (e-mail, name), or one to ``ignore``; and, per question, which answer
labels mean which option (``"Phone screen"`` → ``phone_screen``, ``"Ja"`` → true).

:func:`propose` matches a file's columns and answers automatically; :func:`render_toml`
writes the proposal for a person to review (``bounceback map``) and :func:`read_mapping`
reads it back; :class:`Columns` applies a mapping to each record of the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AnyMapping
from typing import Any

import attrs

from ..defaults import ID_COLUMN
from ..model import Question
from ..questionnaire import FALSE_WORDS, TRUE_WORDS, Questionnaire
from .cells import normal, option_forms, split_choices, value_reader
from .survey import CARRY, ID, IGNORE, Layout

QUESTION, OPTION, UNMATCHED = "question", "option", ""
KEYWORDS = (ID, CARRY, IGNORE)
#: Distinct answers of one column looked at by :func:`propose_values`.
VALUES_LOOKED_AT = 200


@attrs.frozen
class Use:
    """What one column is: ``kind`` is ``question`` (its cells answer ``question``),
    ``option`` (a non-empty cell chooses ``option`` of the multi-select ``question``),
    ``id``, ``carry``, ``ignore``, or ``""`` (not matched: a person must decide)."""

    kind: str
    question: str = ""
    option: str = ""

    def to_toml(self) -> str:
        """The value of this column in a mapping file."""
        if self.kind == OPTION:
            return f"{{ question = {toml_string(self.question)}, option = {toml_string(self.option)} }}"
        return toml_string(self.question if self.kind == QUESTION else self.kind)


@attrs.frozen
class Mapping:
    """How a table's columns and answers map to the questionnaire (see the module docstring).

    ``values`` maps a question id to its answer labels, each to an option id, ``true``/
    ``false``, a number, or ``None`` (not matched); ``ids_from_rows`` says that no column
    identifies participants, so their row numbers do.
    """

    columns: AnyMapping[str, Use]
    values: AnyMapping[str, AnyMapping[str, Any]] = attrs.field(factory=dict)
    header_rows: int | None = None
    tool: str = ""
    source: str | None = None

    @property
    def unmatched_columns(self) -> list[str]:
        """Columns no question matched."""
        return [name for name, use in self.columns.items() if use.kind == UNMATCHED]

    @property
    def unmatched_values(self) -> dict[str, list[str]]:
        """Per question, the labels that match none of its answers."""
        return {
            q: [label for label, value in labels.items() if value is None]
            for q, labels in self.values.items()
            if None in labels.values()
        }


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


# ---------------------------------------------------------------------------------------------
# Proposing a mapping


def propose(
    layout: Layout, questionnaire: Questionnaire, *, id_column: str = ID_COLUMN, ignore: Iterable[str] = ()
) -> Mapping:
    """The automatic mapping of a table's columns: a tool's metadata columns as the tool
    means them, ``id_column`` as the id, each other column to the question whose id or prompt
    its header holds (a choice's own column to that choice), the rest unmatched."""
    ignored = set(ignore)
    by_prompt: dict[str, list[str]] = {}
    for question in questionnaire:  # a question's id in any case, or its prompt
        by_prompt.setdefault(normal(question.prompt), []).append(question.id)
        if normal(question.id) != normal(question.prompt):
            by_prompt.setdefault(normal(question.id), []).append(question.id)
    by_option: dict[str, list[tuple[str, str]]] = {}
    for question in questionnaire:
        if question.kind == "multi":
            for form, option in option_forms(question).items():
                by_option.setdefault(form, []).append((question.id, option))
    explicit_id = any(c.texts[0] == id_column for c in layout.columns if c.texts)
    columns: dict[str, Use] = {}
    previous = Use(UNMATCHED)
    for column in layout.columns:
        raw = column.texts[0] if column.texts else ""
        if column.name in ignored or raw in ignored or not column.name:
            use = Use(IGNORE)
        elif raw == id_column and id_column not in questionnaire.by_id:
            use = Use(ID)
        elif column.metadata is not None:
            use = Use(IGNORE if column.metadata == ID and explicit_id else column.metadata)
        else:
            use = _question_use(column.texts, column.option, questionnaire, by_prompt, by_option, previous)
        columns[column.name] = use
        previous = use
    return Mapping(columns, {}, layout.header_rows, layout.tool.name)


def _question_use(
    texts: Sequence[str],
    option: str | None,
    questionnaire: Questionnaire,
    by_prompt: dict[str, list[str]],
    by_option: dict[str, list[tuple[str, str]]],
    previous: Use,
) -> Use:
    for text in texts:
        ids = [text] if text in questionnaire.by_id else by_prompt.get(normal(text), [])
        if len(ids) != 1:
            continue
        question = questionnaire.by_id[ids[0]]
        if option is None:
            return Use(QUESTION, question.id)
        chosen = option_forms(question).get(normal(option))
        return Use(OPTION, question.id, chosen) if chosen and question.kind == "multi" else Use(UNMATCHED)
    # A column headed by one choice's label (Typeform): of the question before it, or the only
    # multi-select question with that choice.
    label = normal(option or (texts[0] if texts else ""))
    candidates = by_option.get(label, [])
    same = [c for c in candidates if previous.kind in (QUESTION, OPTION) and c[0] == previous.question]
    if len(same) == 1 or len(candidates) == 1:
        question_id, chosen = (same or candidates)[0]
        return Use(OPTION, question_id, chosen)
    return Use(UNMATCHED)


def propose_values(
    mapping: Mapping, questionnaire: Questionnaire, seen: AnyMapping[str, Iterable[str]]
) -> Mapping:
    """``mapping`` with, for each question, every answer label in ``seen`` (the distinct
    cells of its column) that is not already an option id, matched to its value or ``None``."""
    values: dict[str, dict[str, Any]] = {q: dict(v) for q, v in mapping.values.items()}
    for question_id, cells in seen.items():
        question = questionnaire.by_id[question_id]
        convert = value_reader(question, {})
        labels = values.setdefault(question_id, {})
        for cell in cells:
            for item in _items(question, cell):
                if item in labels or _canonical(question, item):
                    continue
                value: Any
                if question.kind == "multi":
                    value = option_forms(question).get(normal(item), item)
                else:
                    value = convert(item)
                if question.kind in ("scale", "number") and isinstance(value, str) and value != item:
                    value = int(value)
                labels[item] = None if value == item else value
        if not labels:
            del values[question_id]
    return attrs.evolve(mapping, values=values)


def distinct_answers(
    rows: Iterable[AnyMapping[str, Any]], questionnaire: Questionnaire, limit: int = VALUES_LOOKED_AT
) -> tuple[dict[str, list[str]], int]:
    """The distinct cells of each choice, multi-select, yes/no and number question's column
    (at most ``limit`` each), and how many rows were read."""
    kinds = ("choice", "multi", "bool", "scale", "number")
    seen: dict[str, dict[str, None]] = {}
    count = 0
    for answers in rows:
        count += 1
        for question_id, cell in answers.items():
            if not isinstance(cell, str) or not cell.strip():
                continue
            if questionnaire.by_id[question_id].kind in kinds:
                cells = seen.setdefault(question_id, {})
                if len(cells) < limit:
                    cells[cell] = None
    return {q: list(cells) for q, cells in seen.items()}, count


def _items(question: Question, cell: str) -> list[str]:
    """The labels in one cell: a multi-select cell's choices (split by known choices when
    they hold a separator), else the cell."""
    if question.kind != "multi":
        return [cell.strip()] if cell.strip() else []
    forms = option_forms(question)
    return [item for item in split_choices(cell, forms, raw=True) if item]


def _canonical(question: Question, item: str) -> bool:
    """Whether ``item`` needs no mapping: an option id, a bool word, a whole number."""
    if question.kind in ("choice", "multi"):
        return item in question.options
    if question.kind == "bool":
        return item.strip().lower() in TRUE_WORDS | FALSE_WORDS
    if question.kind in ("scale", "number"):
        return item.strip().isdigit()
    return True
