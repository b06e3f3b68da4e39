"""Reading a cohort: a CSV file, an .xlsx workbook or JSON Lines, lazily, into
:class:`~bounceback.batch.rows.Row` records, the file itself (header, id column, unknown
columns) checked before the first row.

This module reads tables (CSV and workbooks: their header, columns and records) and opens a
cohort; the checks on the file as a whole are in :mod:`.cohort_file`, JSON Lines records are
read by :mod:`.jsonl`."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from ..defaults import ID_COLUMN
from ..errors import BouncebackError, Problem
from ..files import stdin_bytes
from ..model import Question
from ..questionnaire import Questionnaire
from . import survey
from .cohort_file import EXPECTED, cohort_format, first_line, open_file, peek_bytes
from .columns import Columns
from .jsonl import jsonl_row, refuse_json_document
from .lines import CsvRecords, Lines, LineTooLong
from .mapping import Mapping as ColumnMapping
from .mapping import propose
from .mapping_file import read_mapping
from .rows import Row, checked_id, missing_id

DELIMITERS = (",", ";", "\t")


# ---------------------------------------------------------------------------------------------
# Reading


@attrs.frozen
class CohortInput:
    """Where the rows come from: a path (``-`` is standard input), its format (``csv``,
    ``xlsx`` or ``jsonl``; guessed when ``None``), the column that identifies participants,
    columns to leave out (exports often carry a timestamp), the text encoding (``None``: a
    byte-order mark tells, else UTF-8) and a mapping file (see :mod:`bounceback.batch.mapping`;
    ``None``: columns and answers are matched automatically)."""

    path: str | Path
    fmt: str | None = None
    id_column: str = ID_COLUMN
    ignore: tuple[str, ...] = ()
    encoding: str | None = None
    mapping: str | Path | None = None


class Cohort:
    """An open cohort file whose header has been checked; iterate once for its rows.

    ``blank`` counts the records skipped because every cell was empty; ``columns`` is how the
    columns of a table (CSV, workbook) map to questions (``None`` for JSON Lines).
    """

    def __init__(
        self,
        source: str,
        fmt: str,
        lines: Lines | None,
        cohort: CohortInput,
        questionnaire: Questionnaire,
        table: Iterator[list[str]] | None = None,
        raw: bool = False,
    ):
        self.source = source
        self._raw = raw
        self.fmt = fmt
        self.blank = 0
        self.columns: Columns | None = None
        self._cohort = cohort
        self._questionnaire = questionnaire
        self._questions = questionnaire.by_id
        self._mapping: ColumnMapping | None = None
        self._delimiter = ","
        if lines is None:
            assert table is not None
            self._rows = self._table_rows(self._workbook_records(table))
            return
        self._lines = lines
        first = lines.peek()
        if fmt == "csv":
            self._rows = self._table_rows(self._csv_records(first))
        else:
            refuse_json_document(first, source)
            self._rows = self._jsonl_records()

    def __iter__(self) -> Iterator[Row]:
        return self._rows

    # -- tables: CSV and workbooks --------------------------------------------------------------

    def _csv_records(self, first: str) -> Iterator[tuple[int, int, list[str], Problem | None]]:
        """Each CSV record as (start line, end line, cells, problem reading it)."""
        delimiter = "\t" if str(self._cohort.path).lower().endswith(".tsv") else _delimiter(first)
        reader = csv.reader(CsvRecords(self._lines, delimiter), delimiter=delimiter)
        self._delimiter = delimiter
        end = self._lines.number
        while True:
            problem = None
            try:
                cells = next(reader)
            except StopIteration:
                return
            except LineTooLong as exc:
                cells, problem = [], exc.problem
            except csv.Error as exc:  # e.g. a cell over the size limit; the next record is fine
                cells, problem = [], Problem(f"unreadable CSV record: {exc}", code="csv")
            start, end = end + 1, self._lines.number
            yield start, end, cells, problem

    @staticmethod
    def _workbook_records(table: Iterator[list[str]]) -> Iterator[tuple[int, int, list[str], Problem | None]]:
        for line, cells in enumerate(table, start=1):
            yield line, line, cells, None

    def _header(self, records: Iterator[tuple[int, int, list[str], Problem | None]]) -> survey.Layout:
        """Read the header rows (as many as the tool that wrote the file writes, or as the
        mapping says) and give the table's layout."""
        header: list[list[str]] = []
        mapping = self._mapping
        tool = survey.PLAIN
        while True:
            try:
                _, _, cells, problem = next(records)
            except StopIteration:
                break
            if problem is not None:
                raise BouncebackError(
                    Problem(
                        f"unreadable header: {problem.message}; expected {EXPECTED[self.fmt]}",
                        self.source,
                        len(header) + 1,
                        code="csv",
                    )
                )
            header.append(cells)
            tool = _tool(mapping, header[0])
            wanted = mapping.header_rows if mapping and mapping.header_rows else tool.header_rows
            if len(header) >= wanted:
                break
        if not header or not "".join(header[0]).strip():
            what = "the file is empty" if not header else "the first row is empty"
            raise BouncebackError(
                Problem(f"{what}; expected {EXPECTED[self.fmt]}", self.source, 1, code="empty")
            )
        if tool.name == "qualtrics" and len(header) == 3 and not survey.is_qualtrics_import_row(header[2]):
            raise BouncebackError(
                Problem(
                    "this looks like a Qualtrics export, but its third row is not the row of ImportId "
                    "records; export again with the default CSV options, or give a mapping with "
                    "[input] header_rows",
                    self.source,
                    3,
                    code="header",
                )
            )
        return survey.layout(header, tool, len(header))

    def _table_rows(self, records: Iterator[tuple[int, int, list[str], Problem | None]]) -> Iterator[Row]:
        cohort = self._cohort
        self._mapping = None if cohort.mapping is None else read_mapping(cohort.mapping, self._questionnaire)
        layout = self._header(records)
        mapping = self._mapping or propose(
            layout, self._questionnaire, id_column=cohort.id_column, ignore=cohort.ignore
        )
        self.columns = Columns(
            layout,
            mapping,
            self._questionnaire,
            source=self.source,
            id_column=cohort.id_column,
            automatic=self._mapping is None,
            raw=self._raw,
        )
        return self._table_records(records, layout.header_rows)

    def _table_records(
        self, records: Iterator[tuple[int, int, list[str], Problem | None]], header_rows: int
    ) -> Iterator[Row]:
        columns = self.columns
        assert columns is not None
        id_column, width = columns.id_name, columns.width
        workbook = self.fmt == "xlsx"
        for number, (start, end, cells, problem) in enumerate(records, start=1):
            if problem is not None:
                yield Row(number, start, None, None, (problem,))
                continue
            if not "".join(cells).strip():
                self.blank += 1
                continue
            if workbook:  # a sheet's rows end at their last filled cell, or run past the header
                cells = (cells + [""] * width)[:width] if not "".join(cells[width:]).strip() else cells
            if len(cells) != width:
                index = columns.id_index
                text: str | None = cells[index].strip() if index is not None and index < len(cells) else ""
                ident, problems = self._ident(text, number, id_column)
                problems += (
                    Problem(
                        f"the record has {len(cells)} cells but the header has {width} "
                        f"columns (a missing or extra {self._delimiter!r}, or an unquoted "
                        "cell holding one?)",
                        code="cells",
                    ),
                )
                yield Row(number, start, ident, None, problems)
                continue
            text, answers, carry = columns.record(cells)
            ident, problems = self._ident(text, number, id_column)
            lines = columns.cell_lines(cells, start) if end > start else None
            yield Row(number, start, ident, answers, problems, lines, carry)

    def _ident(self, text: str | None, number: int, id_column: str) -> tuple[str | None, tuple[Problem, ...]]:
        if text is None:  # no column identifies participants: their row numbers do
            return str(number), ()
        return checked_id(text, id_column) if text else (None, (missing_id(id_column),))

    # -- JSON Lines -----------------------------------------------------------------------------

    def _jsonl_records(self) -> Iterator[Row]:
        while True:
            try:
                text = next(self._lines)
            except StopIteration:
                return
            except LineTooLong as exc:
                yield Row(self._lines.number, self._lines.number, None, None, (exc.problem,))
                continue
            if not text.strip():
                self.blank += 1
                continue
            yield jsonl_row(
                self._lines.number, text, self._cohort.id_column, self._questions, self._cohort.ignore
            )


def _delimiter(header: str) -> str:
    """The column separator of a CSV header line: ``,`` unless ``;`` or a tab is more common
    (spreadsheets in many locales export with ``;``)."""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _tool(mapping: ColumnMapping | None, first_row: list[str]) -> survey.Tool:
    """The tool a mapping names, else the one whose export starts with ``first_row``."""
    named = {tool.name: tool for tool in survey.TOOLS}
    if mapping is not None and mapping.tool in named:
        return named[mapping.tool]
    return survey.detect(first_row)


def _questionnaire(questions: Questionnaire | Mapping[str, Question]) -> Questionnaire:
    return questions if isinstance(questions, Questionnaire) else Questionnaire(questions.values())


@contextlib.contextmanager
def open_cohort(
    cohort: CohortInput, questions: Questionnaire | Mapping[str, Question], *, raw: bool = False
) -> Iterator[Cohort]:
    """Open a cohort file and check what applies to the whole file, raising
    :class:`BouncebackError` for a missing or empty file, a first line that is not text or
    longer than :data:`MAX_LINE`, an unknown format, one JSON document instead of JSON Lines,
    and (tables) a header with unknown or repeated columns or without an id column, or a
    mapping that does not fit the file. Rows are read lazily, one line of at most
    :data:`MAX_LINE` characters at a time.

    Text is UTF-8 with or without a byte-order mark, UTF-16 with one, or ``cohort.encoding``;
    bytes that are not valid in it make their row an error record, not the run. A workbook
    (``.xlsx``) is read with openpyxl, when installed. ``questions`` is the questionnaire (or
    its questions by id). ``raw``: the columns' problems are not raised and the answers are
    the cells as written (see :class:`~bounceback.batch.columns.Columns`).
    """
    questionnaire = _questionnaire(questions)
    source = "<stdin>" if str(cohort.path) == "-" else str(cohort.path)
    if cohort.encoding is not None:
        survey.check_encoding(cohort.encoding)
    handle = stdin_bytes() if source == "<stdin>" else open_file(Path(cohort.path), source)
    try:
        if cohort_format(cohort.fmt, cohort.path, "") == "xlsx" or peek_bytes(handle).startswith(
            survey.ZIP_MAGIC
        ):
            yield Cohort(
                source, "xlsx", None, cohort, questionnaire, survey.workbook_rows(handle, source), raw
            )
            return
        text = survey.text_stream(handle, cohort.encoding)
        try:
            lines = Lines(text)
            first = first_line(lines, source)
            fmt = cohort_format(cohort.fmt, cohort.path, first)
            if not first or (fmt == "csv" and not first.strip()):
                what = "the file is empty" if not first else "the first line is empty"
                raise BouncebackError(Problem(f"{what}; expected {EXPECTED[fmt]}", source, 1, code="empty"))
            yield Cohort(source, fmt, lines, cohort, questionnaire, raw=raw)
        finally:
            text.detach()
    finally:
        if source != "<stdin>":
            handle.close()
