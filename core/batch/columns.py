"""A mapping applied to a file: each record's cells turned into id, answers and carried cells,
the header checked first."""

from __future__ import annotations

import operator
import shlex
from collections.abc import Callable, Sequence
from typing import Any

from ..defaults import ID_COLUMN
from ..errors import BouncebackError, Problem, did_you_mean
from ..questionnaire import Questionnaire
from .cells import value_reader
from .mapping import OPTION, QUESTION, UNMATCHED, Mapping
from .survey import CARRY, ID, Layout

#: Problems with header columns listed before the rest are counted.
HEADER_PROBLEMS = 20


# ---------------------------------------------------------------------------------------------
# Applying a mapping to a file


class Columns:
    """A mapping applied to one file's layout: turns each record's cells into the
    participant's id text, answers (question id → cell or mapped value) and carried cells."""

    def __init__(
        self,
        layout: Layout,
        mapping: Mapping,
        questionnaire: Questionnaire,
        *,
        source: str,
        id_column: str = ID_COLUMN,
        automatic: bool = True,
        raw: bool = False,
    ):
        """Check ``mapping`` against the file (``automatic``: it was proposed, not read from a
        mapping file) and compile it. ``raw`` leaves the problems and the answer labels
        alone: each matched column gives its cells as they are (to propose a mapping)."""
        self.source = source
        self.layout = layout
        self.mapping = mapping
        problems = _check(layout, mapping, questionnaire, source, id_column, automatic)
        if problems and not raw:
            raise BouncebackError(problems)
        uses = [(c.index, c.name, mapping.columns[c.name]) for c in layout.columns]
        ids = [index for index, _, use in uses if use.kind == ID]
        self.id_index: int | None = ids[0] if ids else None
        self.id_name = next((name for _, name, use in uses if use.kind == ID), id_column)
        self.carried = [(index, name) for index, name, use in uses if use.kind == CARRY]
        self.fields: list[tuple[int, str]] = []
        self._read: list[tuple[int, str, Callable[[str], Any]]] = []
        self.options: dict[str, list[tuple[int, str]]] = {}
        for index, _, use in uses:
            if use.kind == QUESTION:
                question = questionnaire.by_id[use.question]
                self.fields.append((index, use.question))
                if not raw and question.kind != "text":
                    read = value_reader(question, mapping.values.get(use.question, {}))
                    self._read.append((index, use.question, _remembered(read)))
            elif use.kind == OPTION:
                self.options.setdefault(use.question, []).append((index, use.option))
        self.width = len(layout.columns)
        self._ids = [question_id for _, question_id in self.fields]
        self._cells = (
            operator.itemgetter(*(index for index, _ in self.fields))
            if len(self.fields) > 1
            else (lambda cells: tuple(cells[index] for index, _ in self.fields))
        )

    @property
    def carry_names(self) -> list[str]:
        """The carried columns' names, in file order (the roster's columns after ``id``)."""
        return [name for _, name in self.carried]

    @property
    def names(self) -> list[str]:
        """The question id each answer column gives, in file order (for cell line numbers)."""
        return [name for _, name in self.fields]

    def record(self, cells: Sequence[str]) -> tuple[str | None, dict[str, Any], tuple[str, ...]]:
        """The id text (``None`` when no column identifies participants), the answers and the
        carried cells of one record with exactly :attr:`width` cells."""
        answers: dict[str, Any] = dict(zip(self._ids, self._cells(cells)))
        for index, question_id, read in self._read:
            cell = cells[index]
            if cell:
                answers[question_id] = read(cell)
        for question_id, columns in self.options.items():
            chosen = [option for index, option in columns if cells[index].strip()]
            if answers.get(question_id):
                given = answers[question_id]
                chosen = (given.split(";") if isinstance(given, str) else list(given)) + chosen
            answers[question_id] = chosen
        ident = None if self.id_index is None else cells[self.id_index].strip()
        return ident, answers, tuple(cells[index].strip() for index, _ in self.carried)

    def cell_lines(self, cells: Sequence[str], start: int) -> dict[str, int]:
        """The line each answer's cell starts on, for a record whose quoted cells hold newlines."""
        starts, line = [], start
        for cell in cells:
            starts.append(line)
            line += cell.count("\n")
        lines = {question_id: starts[index] for index, question_id in self.fields}
        for question_id, columns in self.options.items():
            lines.setdefault(question_id, starts[columns[0][0]])
        return lines


def _remembered(read: Callable[[str], Any], size: int = 4096) -> Callable[[str], Any]:
    """``read`` remembering its answers for the first ``size`` distinct cells (a column's
    cells repeat: scales, choices, yes/no), so reading a large file stays fast."""
    memory: dict[str, Any] = {}

    def remembered(cell: str) -> Any:
        value = memory.get(cell, _UNSEEN)
        if value is _UNSEEN:
            value = read(cell)
            if len(memory) < size:
                memory[cell] = value
        return value

    return remembered


_UNSEEN = object()


def _check(
    layout: Layout,
    mapping: Mapping,
    questionnaire: Questionnaire,
    source: str,
    id_column: str,
    automatic: bool,
) -> list[Problem]:
    """Every problem of the mapping for this file, header problems past
    :data:`HEADER_PROBLEMS` counted."""
    problems: list[Problem] = []
    where = mapping.source or source
    names = {c.name for c in layout.columns}
    for name in mapping.columns:
        if name not in names:
            problems.append(
                Problem(
                    f"the mapping names column {name!r}, which {source} does not have",
                    where,
                    field="columns",
                    code="mapping",
                )
            )
    answered: dict[str, str] = {}
    raw_seen: set[str] = set()
    for column in layout.columns:
        raw = column.texts[0] if column.texts else column.name
        use = mapping.columns.get(column.name)
        if automatic and raw in raw_seen and raw and layout.tool.name == "":
            problems.append(Problem("the header names this column twice", source, 1, raw, "duplicate-column"))
            continue
        raw_seen.add(raw)
        if use is None:
            problems.append(
                Problem(
                    f"column {column.name!r} is not in the mapping: add it with a question "
                    'id, "carry" or "ignore"',
                    where,
                    field="columns",
                    code="mapping",
                )
            )
        elif use.kind == UNMATCHED:
            first = not any(p.code == "unknown-column" for p in problems)
            problems.append(_unmatched(column.name, questionnaire, source, automatic, where, first))
        elif use.kind == QUESTION:
            if use.question in answered:
                problems.append(
                    Problem(
                        f"columns {answered[use.question]!r} and {column.name!r} both answer "
                        f"{use.question!r}"
                        + (f"; name the right one in a mapping: {_map_command(source)}" if automatic else ""),
                        where,
                        1 if automatic else None,
                        column.name,
                        "duplicate-column",
                    )
                )
            answered[use.question] = column.name
    if len(problems) > HEADER_PROBLEMS:
        more = len(problems) - HEADER_PROBLEMS
        problems[HEADER_PROBLEMS:] = [
            Problem(f"... and {more} more unknown columns", source, 1, code="unknown-column")
        ]
    ids = [name for name, use in mapping.columns.items() if use.kind == ID]
    if len(ids) > 1:
        problems.append(Problem(f"more than one id column: {', '.join(ids)}", where, code="mapping"))
    if automatic and not ids and layout.tool.name == "" and mapping.source is None:
        shown = ", ".join(n for n in layout.names[:6] if n) + (", ..." if len(layout.columns) > 6 else "")
        problems.append(
            Problem(
                f"no {id_column!r} column to identify participants (the header has: {shown}); "
                "add one, or name the id column with --id-column",
                source,
                1,
                code="missing-id-column",
            )
        )
    return problems


def _unmatched(
    name: str, questionnaire: Questionnaire, source: str, automatic: bool, where: str, first: bool
) -> Problem:
    if not automatic:
        return Problem(
            f'column {name!r} is not mapped yet: give it a question id, "carry" or "ignore"',
            where,
            field="columns",
            code="mapping",
        )
    hint = f" (or match the columns yourself: {_map_command(source)})" if first else ""
    return Problem(
        f"unknown column{did_you_mean(name, questionnaire.by_id)}: the header must hold question ids "
        f"or texts; to leave the column out, use --ignore-column {shlex.quote(name)}{hint}",
        source,
        1,
        name,
        "unknown-column",
    )


def _map_command(source: str) -> str:
    return f"bounceback map {shlex.quote(source)} -o mapping.toml"
