"""Cohort runs: every participant's plan from one CSV or JSON Lines file, plus a summary.

The pieces, each usable on its own (the ``bounceback batch`` command strings them together):

* :func:`open_cohort` reads a CSV or JSONL file lazily into :class:`Row` records, checking
  the file itself (header, id column, unknown columns) before the first row;
* :func:`plan_row` is the pure per-row function: one :class:`Row` in, one :class:`Outcome`
  (a ``plans.jsonl`` or ``errors.jsonl`` line plus the facts the summary needs) out;
  :func:`run_row` is the same with the app looked up from a picklable :class:`Setup`, for
  process pools and distributed engines such as Dask;
* :func:`map_chunks` runs it over worker processes, a chunk of rows at a time, in input order;
* :func:`~bounceback.batch_summary.tally` counts the rows' :class:`Facts` in the workers,
  and :class:`~bounceback.batch_summary.SummaryBuilder` adds up the tallies into the summary;
* :func:`run_batch` streams rows → outcomes → files written atomically.

Row numbers: ``row`` is the number of the data record (the header is not a row; the first
participant is row 1; blank records are skipped but keep their number), ``line`` the file line
where the record starts (they differ for CSV, where a quoted cell may span lines).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import itertools
import json
import os
import re
import signal
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import attrs

from .api import Bounceback, load
from .batch_summary import Facts, Summary, SummaryBuilder, Tally, render_markdown, tally
from .engine import DEFAULT_PER_CATEGORY, DEFAULT_TOP, Options
from .errors import AnswersError, BouncebackError, Problem
from .files import atomic_writers, remove_stale_temporaries, stdin_bytes
from .mapping import Columns, propose, read_mapping
from .mapping import Mapping as ColumnMapping
from .model import Question
from . import roster, screening, survey
from .model import Plan
from .questionnaire import Questionnaire, _reject_constant, _unique_keys, json_kind
from .safetext import escape_for_json, neutralise
from .stopping import STOP_SIGNALS
from .summary_html import summary_page

FORMATS = ("csv", "jsonl", "xlsx")
SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
            ".xlsx": "xlsx", ".xlsm": "xlsx"}
DELIMITERS = (",", ";", "\t")
EXPECTED = {"csv": "a header row of question ids or texts, then one row of answers per participant",
            "xlsx": "a sheet whose first row holds question ids or texts",
            "jsonl": "JSON Lines: one answers object per line"}
ANY_FORMAT = "a CSV file, an .xlsx workbook or JSON Lines"
OUTPUT_FILES = ("plans.jsonl", "errors.jsonl", "summary.json", "summary.md", "summary.html", "roster.csv")
#: Written beside them when openpyxl is installed.
WORKBOOK = "roster.xlsx"
#: Steps of each plan named in the roster.
ROSTER_STEPS = 3
#: Rows a worker process plans per task, and tasks in flight per worker (bounds memory).
CHUNK = 250
IN_FLIGHT = 4

_SURROGATE = re.compile("[\ud800-\udfff]")
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode
_SUMMARY_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Rows and outcomes

@attrs.frozen
class Row:
    """One participant's record as read from the file, before validation.

    ``answers`` is ``None`` when the record could not be read at all (bad JSON, wrong number
    of cells); ``problems`` are what the reader found wrong; ``lines`` gives the line of each
    field when the record spans several lines (a CSV cell with a newline), else ``None``;
    ``carry`` holds the cells the mapping carries through to the roster (never planned on).
    """

    number: int
    line: int
    id: str | None
    answers: Mapping[str, Any] | None
    problems: tuple[Problem, ...] = ()
    lines: Mapping[str, int] | None = None
    carry: tuple[str, ...] = ()

    def line_of(self, field: str | None) -> int:
        """The file line of ``field`` in this record."""
        if self.lines is None or field is None:
            return self.line
        return self.lines.get(field, self.line)


@attrs.frozen
class Outcome:
    """What one row became: one JSON line for ``plans.jsonl`` (``facts.ok``) or
    ``errors.jsonl``, and the facts the summary counts."""

    record: str
    facts: Facts


ENCODING = "encoding"


def plan_row(app: Bounceback, row: Row, options: Options = Options()) -> Outcome:
    """The outcome of one row: its plan, or an error record with every problem of the row.

    Pure: the same app, row and options always give the same outcome. Never raises for bad
    input; an unexpected exception (a bug in bounceback or a plugin, be it while validating,
    planning or encoding the plan) becomes an error record with code ``internal``.
    """
    return _planned(app, row, options)[0]


def _planned(app: Bounceback, row: Row, options: Options) -> tuple[Outcome, Plan | None]:
    """:func:`plan_row`, and the plan itself (``None`` for an error row)."""
    try:
        return _plan_row(app, row, options)
    except Exception as exc:  # a bug must cost one row, not the cohort
        problem = Problem(f"internal error: {type(exc).__name__}: {exc} (a bug in bounceback "
                          "or a plugin; please report it)", code="internal")
        return _error_outcome(row, [problem], _screen(app, row), internal=True), None


def _plan_row(app: Bounceback, row: Row, options: Options) -> tuple[Outcome, Plan | None]:
    problems = list(row.problems)
    situation = None
    if row.answers is not None:
        problems.extend(_text_problems(row))
        try:
            situation = app.questionnaire.validate(row.answers)
        except AnswersError as exc:  # an answer not valid Unicode is told once, as an encoding one
            encoding = {p.field for p in problems if p.code == ENCODING}
            problems.extend(p for p in exc.problems if p.field not in encoding)
    if problems or situation is None:
        return _error_outcome(row, problems, _screen(app, row)), None
    plan = app.plan(situation, top=options.top, per_category=options.per_category)
    steps = plan.steps
    distress = plan.signals.get(screening.DISTRESS_SIGNAL)
    facts = Facts(
        row=row.number, line=row.line, id=row.id, ok=True,
        rules=tuple(s.id for s in steps),
        categories=tuple(dict.fromkeys(s.category for s in steps)),
        topics=tuple(plan.topics),
        scores=tuple(round(s.score, 4) for s in steps),
        tier=plan.tier,
        distress=None if distress is None else round(distress, 4),
        titles=tuple(s.title for s in steps[:ROSTER_STEPS]),
    )
    return Outcome(_json_line({"id": row.id, "row": row.number, "plan": plan.to_dict()}), facts), plan


def _text_problems(row: Row) -> list[Problem]:
    """Answers that are not valid Unicode (the reader has already flagged the id)."""
    assert row.answers is not None
    flagged = {p.field for p in row.problems if p.code == ENCODING}
    return [_encoding_problem(str(key), value) for key, value in row.answers.items()
            if isinstance(value, str) and _invalid_text(value) and key not in flagged]


def _encoding_problem(field: str, text: str) -> Problem:
    where = survey.undecodable(text)
    if where is None:  # a lone surrogate from a JSON escape such as \ud800
        return Problem("not valid Unicode text (a lone surrogate)", field=field, code=ENCODING)
    return Problem(f"{where} is not valid in the file's encoding (UTF-8 unless --encoding says "
                   f"otherwise): {survey.ENCODING_HINT}", field=field, code=ENCODING)


def _invalid_text(text: str) -> bool:
    """Whether ``text`` holds lone surrogates: bytes that were not UTF-8 (read with
    ``surrogateescape``) or a JSON escape such as ``\\ud800``. Such text cannot be written
    as UTF-8 nor stored by the summary."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def _valid_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, the replacement character."""
    return _SURROGATE.sub("\ufffd", text) if _invalid_text(text) else text


def _screen(app: Bounceback, row: Row) -> screening.Screening:
    """The row screened from its valid answers; a bug while screening leaves it unscreened."""
    try:
        return screening.screen(app, row.answers)
    except Exception as exc:  # never lose the row to a bug: it is listed as not screened
        return screening.Screening(None, False, None, f"internal error: {type(exc).__name__}: {exc}")


def _error_outcome(row: Row, problems: list[Problem], screened: screening.Screening,
                   internal: bool = False) -> Outcome:
    # Problems name fields (JSON keys) and quote exceptions: their text is made valid Unicode.
    located = [attrs.evolve(p, source=None, line=row.line_of(p.field), message=_valid_text(p.message),
                            field=None if p.field is None else _valid_text(p.field))
               for p in problems]
    note = _valid_text(screened.problem) if screened.problem else None
    record = {"row": row.number, "line": row.line, "id": row.id, "tier": screened.tier,
              "screened": screened.screened, "screening_note": note,
              "errors": [p.to_dict() for p in located]}
    facts = Facts(row=row.number, line=row.line, id=row.id, ok=False, internal=internal,
                  tier=screened.tier, screened=screened.screened, distress=screened.distress,
                  note=note or "",
                  fields=tuple(p.field or p.code for p in located),
                  messages=tuple(f"{p.field}: {p.message}" if p.field else p.message for p in located))
    return Outcome(_json_line(record), facts)


def _json_line(record: Mapping[str, Any]) -> str:
    """Compact JSON on one line, ASCII only (so any text, even invalid, is written safely)."""
    return _ENCODE(record) + "\n"


# ---------------------------------------------------------------------------------------------
# Reading

@attrs.frozen
class CohortInput:
    """Where the rows come from: a path (``-`` is standard input), its format (``csv``,
    ``xlsx`` or ``jsonl``; guessed when ``None``), the column that identifies participants,
    columns to leave out (exports often carry a timestamp), the text encoding (``None``: a
    byte-order mark tells, else UTF-8) and a mapping file (see :mod:`bounceback.mapping`;
    ``None``: columns and answers are matched automatically)."""

    path: str | Path
    fmt: str | None = None
    id_column: str = "id"
    ignore: tuple[str, ...] = ()
    encoding: str | None = None
    mapping: str | Path | None = None


MISSING_ID = "missing-id"
#: The longest line read (in characters): far above any participant's record.
MAX_LINE = 2 ** 20
_LINE_ENDS = ("\n", "\r")


class LineTooLong(Exception):
    """A line over :data:`MAX_LINE` characters, skipped; ``problem`` says which."""

    def __init__(self, number: int, piece: str = ""):
        self.problem = Problem(f"line {number} is longer than {MAX_LINE:,} characters (skipped)",
                               code="too-long")
        self.piece = piece  #: its first MAX_LINE characters
        super().__init__(self.problem.message)


class Lines:
    """The lines of a text file, holding at most :data:`MAX_LINE` characters of any one: a
    longer line raises :class:`LineTooLong`, and the next line read is the one after it.
    ``number`` is the number of the last line read."""

    def __init__(self, handle: IO[str]):
        self._handle = handle
        self._peeked: str | None = None
        self._in_long_line = False
        self.number = 0

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        if self._peeked is not None:
            line, self._peeked = self._peeked, None
        else:
            if self._in_long_line:
                self._skip_long_line()
            line = self._handle.readline(MAX_LINE)
            self.number += bool(line)
        if not line:
            raise StopIteration
        if len(line) == MAX_LINE and not line.endswith(_LINE_ENDS):
            self._in_long_line = True
            raise LineTooLong(self.number, line)
        return line

    def _skip_long_line(self, scan: Callable[[str, bool], bool] | None = None,
                        state: bool = False) -> bool:
        """Read past the rest of a long line, a piece at a time; ``scan`` (if given) sees
        each piece with ``state``, returning the next state; return the last state."""
        piece = "-"
        while piece and not piece.endswith(_LINE_ENDS):
            piece = self._handle.readline(MAX_LINE)
            if scan is not None:
                state = scan(piece, state)
        self._in_long_line = False
        return state

    def skip_rest(self, scan: Callable[[str, bool], bool], state: bool) -> bool:
        """After :class:`LineTooLong`: read past the rest of that line now, passing each piece
        to ``scan`` (see :meth:`_skip_long_line`)."""
        return self._skip_long_line(scan, state) if self._in_long_line else state

    def peek(self) -> str:
        """The first line, left to be read again (``""`` for an empty file)."""
        if self._peeked is None:
            self._peeked = next(self, "")
        return self._peeked


class RecordTooLong(LineTooLong):
    """A CSV record (a quoted cell holding line breaks) over :data:`MAX_LINE` characters,
    read past without being held; it costs its own row only."""

    def __init__(self, number: int):
        self.problem = Problem(f"the record starting on line {number} is longer than {MAX_LINE:,} "
                               "characters (skipped)", code="too-long")
        Exception.__init__(self, self.problem.message)


#: The end of a quoted CSV cell: up to a quote that is not doubled ("" stands for ").
_QUOTED_END = re.compile(r'[^"]*(?:""[^"]*)*"(?!")')


class CsvRecords:
    """Whole CSV records from :class:`Lines`: a record ends at the first line end outside
    quotes, found as the csv module finds it, so that a record the csv module refuses (a
    cell over its field limit) or one too long to hold (over :data:`MAX_LINE` characters,
    raising :class:`RecordTooLong` once read past) costs that record only: the csv reader
    is always handed whole records and the next one starts where it should."""

    def __init__(self, lines: Lines, delimiter: str):
        self._lines = lines
        self._delimiter = delimiter

    def __iter__(self) -> CsvRecords:
        return self

    def __next__(self) -> str:
        parts: list[str] = []
        size, quoted, too_long, start = 0, False, False, self._lines.number + 1
        while True:
            try:
                line = next(self._lines)
            except StopIteration:
                if too_long:
                    raise RecordTooLong(start) from None
                if parts:
                    return "".join(parts)
                raise
            except LineTooLong as exc:
                quoted = self._lines.skip_rest(self._quoted_after, self._quoted_after(exc.piece, quoted))
                if not (quoted or too_long or parts):  # one long line, not a long quoted cell
                    raise
                too_long, parts = True, []
                if not quoted:
                    raise RecordTooLong(start) from None
                continue
            quoted = self._quoted_after(line, quoted)
            if not too_long:
                size += len(line)
                if size > MAX_LINE:
                    too_long, parts = True, []
                else:
                    parts.append(line)
            if not quoted:
                if too_long:
                    raise RecordTooLong(start)
                return "".join(parts)

    def _quoted_after(self, text: str, quoted: bool) -> bool:
        """Whether a quoted cell is still open at the end of ``text``, given whether one
        was open at its start. A quote opens a cell only at the start of a cell (the csv
        module's rule); elsewhere in an unquoted cell it is an ordinary character."""
        if not quoted and '"' not in text:
            return False
        position = 0
        while True:
            if quoted:
                end = _QUOTED_END.match(text, position)
                if end is None:
                    return True
                position, quoted = end.end(), False
                continue
            opening = text.find('"', position)
            while opening > 0 and text[opening - 1] != self._delimiter:
                opening = text.find('"', opening + 1)
            if opening < 0:
                return False
            position, quoted = opening + 1, True


class Cohort:
    """An open cohort file whose header has been checked; iterate once for its rows.

    ``blank`` counts the records skipped because every cell was empty; ``columns`` is how the
    columns of a table (CSV, workbook) map to questions (``None`` for JSON Lines).
    """

    def __init__(self, source: str, fmt: str, lines: Lines | None, cohort: CohortInput,
                 questionnaire: Questionnaire, table: Iterator[list[str]] | None = None,
                 raw: bool = False):
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
        self._rows = self._table_rows(self._csv_records(first)) if fmt == "csv" else self._jsonl_rows(first)

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
                raise BouncebackError(Problem(f"unreadable header: {problem.message}; expected "
                                              f"{EXPECTED[self.fmt]}", self.source, len(header) + 1,
                                              code="csv"))
            header.append(cells)
            tool = _tool(mapping, header[0])
            wanted = mapping.header_rows if mapping and mapping.header_rows else tool.header_rows
            if len(header) >= wanted:
                break
        if not header or not "".join(header[0]).strip():
            what = "the file is empty" if not header else "the first row is empty"
            raise BouncebackError(Problem(f"{what}; expected {EXPECTED[self.fmt]}", self.source, 1, code="empty"))
        if tool.name == "qualtrics" and len(header) == 3 and not survey.is_qualtrics_import_row(header[2]):
            raise BouncebackError(Problem(
                "this looks like a Qualtrics export, but its third row is not the row of ImportId "
                "records; export again with the default CSV options, or give a mapping with "
                "[input] header_rows", self.source, 3, code="header"))
        return survey.layout(header, tool, len(header))

    def _table_rows(self, records: Iterator[tuple[int, int, list[str], Problem | None]]) -> Iterator[Row]:
        cohort = self._cohort
        self._mapping = None if cohort.mapping is None else read_mapping(cohort.mapping, self._questionnaire)
        layout = self._header(records)
        mapping = self._mapping or propose(layout, self._questionnaire, id_column=cohort.id_column,
                                           ignore=cohort.ignore)
        self.columns = Columns(layout, mapping, self._questionnaire, source=self.source,
                               id_column=cohort.id_column, automatic=self._mapping is None,
                               raw=self._raw)
        return self._table_records(records, layout.header_rows)

    def _table_records(self, records: Iterator[tuple[int, int, list[str], Problem | None]],
                       header_rows: int) -> Iterator[Row]:
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
                text = cells[index].strip() if index is not None and index < len(cells) else ""
                ident, problems = self._ident(text, number, id_column)
                problems += (Problem(f"the record has {len(cells)} cells but the header has {width} "
                                     f"columns (a missing or extra {self._delimiter!r}, or an unquoted "
                                     "cell holding one?)", code="cells"),)
                yield Row(number, start, ident, None, problems)
                continue
            text, answers, carry = columns.record(cells)
            ident, problems = self._ident(text, number, id_column)
            lines = columns.cell_lines(cells, start) if end > start else None
            yield Row(number, start, ident, answers, problems, lines, carry)

    def _ident(self, text: str | None, number: int, id_column: str) -> tuple[str | None, tuple[Problem, ...]]:
        if text is None:  # no column identifies participants: their row numbers do
            return str(number), ()
        return _checked_id(text, id_column) if text else (None, (_missing_id(id_column),))

    # -- JSON Lines -----------------------------------------------------------------------------

    def _jsonl_rows(self, first: str) -> Iterator[Row]:
        text = first.strip()
        if text == "{" or text.startswith("["):
            raise BouncebackError(Problem(
                f"this looks like one JSON document (an array, or an object over several lines); "
                f"expected {EXPECTED['jsonl']}", self.source, 1, code="json"))
        return self._jsonl_records()

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
            yield self._jsonl_row(self._lines.number, text)

    def _jsonl_row(self, number: int, text: str) -> Row:
        try:
            data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            return Row(number, number, None, None,
                       (Problem(f"invalid JSON: {exc.msg} (column {exc.colno})", code="json"),))
        except (ValueError, RecursionError) as exc:
            return Row(number, number, None, None, (Problem(f"invalid JSON: {exc}", code="json"),))
        if not isinstance(data, dict):
            return Row(number, number, None, None, (Problem(
                f"expected a JSON object of question ids to answers, got {json_kind(data)}", code="json"),))
        id_column = self._cohort.id_column
        value = data.get(id_column) if id_column in self._questions else data.pop(id_column, None)
        for name in self._cohort.ignore:
            data.pop(name, None)
        ident, problems = _json_id(value, id_column)
        return Row(number, number, ident, data, problems)


def _missing_id(id_column: str) -> Problem:
    return Problem(f"missing id: the {id_column!r} column is empty", field=id_column, code=MISSING_ID)


def _checked_id(ident: str, id_column: str) -> tuple[str, tuple[Problem, ...]]:
    """A participant id that is not valid Unicode is shown with U+FFFD and makes its row an
    error record (it could not be written or looked up)."""
    if _invalid_text(ident):
        return _valid_text(ident), (_encoding_problem(id_column, ident),)
    return ident, ()


def _json_id(value: Any, id_column: str) -> tuple[str | None, tuple[Problem, ...]]:
    """The participant id of a JSON record: text or a whole number, kept as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), ()
    if isinstance(value, str) and value.strip():
        return _checked_id(value.strip(), id_column)
    if value is None or isinstance(value, str):
        return None, (Problem(f"missing id: no {id_column!r} key, or it is empty", field=id_column,
                              code=MISSING_ID),)
    return None, (Problem(f"the id must be text or a whole number, got {json.dumps(value)[:40]}",
                          field=id_column, code="bad-id"),)


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
def open_cohort(cohort: CohortInput, questions: Questionnaire | Mapping[str, Question], *,
                raw: bool = False) -> Iterator[Cohort]:
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
    the cells as written (see :class:`~bounceback.mapping.Columns`).
    """
    questionnaire = _questionnaire(questions)
    source = "<stdin>" if str(cohort.path) == "-" else str(cohort.path)
    if cohort.encoding is not None:
        survey.check_encoding(cohort.encoding)
    handle = stdin_bytes() if source == "<stdin>" else _open(Path(cohort.path), source)
    try:
        if _format(cohort, "") == "xlsx" or _peek(handle).startswith(survey.ZIP_MAGIC):
            yield Cohort(source, "xlsx", None, cohort, questionnaire, survey.workbook_rows(handle, source), raw)
            return
        text = survey.text_stream(handle, cohort.encoding)
        try:
            lines = Lines(text)
            first = _first_line(lines, source)
            fmt = _format(cohort, first)
            if not first or (fmt == "csv" and not first.strip()):
                what = "the file is empty" if not first else "the first line is empty"
                raise BouncebackError(Problem(f"{what}; expected {EXPECTED[fmt]}", source, 1, code="empty"))
            yield Cohort(source, fmt, lines, cohort, questionnaire, raw=raw)
        finally:
            text.detach()
    finally:
        if source != "<stdin>":
            handle.close()


def _peek(raw: IO[bytes]) -> bytes:
    peek = getattr(raw, "peek", None)
    return peek(4)[:4] if peek is not None else b""


def _first_line(lines: Lines, source: str) -> str:
    """The first line of a cohort file, refused when it is too long or not text (a binary
    file, a file in another encoding)."""
    try:
        first = lines.peek()
    except LineTooLong:
        raise BouncebackError(Problem(f"the first line is longer than {MAX_LINE:,} characters: "
                                      f"expected {ANY_FORMAT}", source, 1, code="too-long")) from None
    if "\x00" in first and survey.looks_like_utf16(first):
        raise BouncebackError(Problem("the first line is full of NUL characters: this looks like UTF-16 "
                                      "text without a byte-order mark; run again with --encoding "
                                      "utf-16-le (or utf-16-be)", source, 1, code="encoding"))
    if "\x00" in first:
        raise BouncebackError(Problem(f"the first line is not text (it holds NUL characters): expected "
                                      f"{ANY_FORMAT}", source, 1, code="encoding"))
    if _invalid_text(first) and not first.lstrip().startswith("{"):
        raise BouncebackError(Problem(f"the first line is not text in UTF-8: {survey.undecodable(first)} "
                                      f"is not valid; {survey.ENCODING_HINT}", source, 1, code="encoding"))
    return first


def _open(path: Path, source: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise BouncebackError(Problem("file not found", source, code="missing-file")) from None
    except IsADirectoryError:
        raise BouncebackError(Problem(f"is a folder, expected {ANY_FORMAT}", source)) from None
    except OSError as exc:
        raise BouncebackError(Problem(f"cannot read: {exc.strerror or exc}", source,
                                      code="unreadable")) from None


def _format(cohort: CohortInput, first: str) -> str:
    """The input format: as given, else by suffix, else JSON Lines when the file starts with ``{``."""
    if cohort.fmt is not None:
        if cohort.fmt not in FORMATS:
            raise BouncebackError(Problem(f"unknown input format {cohort.fmt!r}; expected one of: "
                                          f"{', '.join(FORMATS)}", field="format"))
        return cohort.fmt
    suffix = Path(str(cohort.path)).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    return "jsonl" if first.lstrip().startswith("{") else "csv"


def count_lines(path: str | Path) -> int | None:
    """How many lines a file has (for a progress bar); ``None`` for standard input, a file
    that is not a regular file (a FIFO, ``<(command)``: reading it first would empty it) or
    one that cannot be read (reading it reports why)."""
    if str(path) == "-":
        return None
    count, last = 0, b"\n"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe can be read only once
            return None
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                count += block.count(b"\n")
                last = block[-1:]
    except OSError:
        return None
    return count + (last != b"\n")


# ---------------------------------------------------------------------------------------------
# Planning rows in worker processes

@attrs.frozen
class Setup:
    """What a worker needs to plan rows, picklable: which plugins and packs to load (as for
    :func:`bounceback.load`), the plan options and the per-person files to render."""

    packs: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    entry_points: bool = True
    strict: bool = False
    top: int = DEFAULT_TOP
    per_category: int = DEFAULT_PER_CATEGORY
    per_person: tuple[str, ...] = ()  # formats of each participant's own files (html, md, ics)

    @property
    def options(self) -> Options:
        """The plan options."""
        return Options(self.top, self.per_category)


def app_for(setup: Setup) -> Bounceback:
    """The app for ``setup``, loaded once per process."""
    return _load(setup.packs, setup.disable, setup.entry_points, setup.strict)


@functools.lru_cache(maxsize=4)
def _load(packs: tuple[str, ...], disable: tuple[str, ...], entry_points: bool,
          strict: bool) -> Bounceback:
    return load(packs=packs, disable=disable, entry_points=entry_points, strict=strict)


def run_row(row: Row, setup: Setup) -> Outcome:
    """:func:`plan_row` with the app of ``setup``: the function to map over rows anywhere
    (a process pool, ``dask.bag``), since rows, setup and outcomes all pickle."""
    return plan_row(app_for(setup), row, setup.options)


@attrs.frozen
class Chunk:
    """The outcomes of consecutive rows, as a worker sends them back: the line where the last
    row starts, the lines for ``plans.jsonl``, ``errors.jsonl`` and ``roster.csv`` (each in
    row order), their tally, and each planned participant's own files (id, row, and
    (suffix, content) pairs) when :attr:`Setup.per_person` asks for them."""

    last_line: int
    plans: str
    errors: str
    tally: Tally
    roster: str = ""
    people: tuple[tuple[str, int, tuple[tuple[str, str], ...]], ...] = ()


_RENDERERS = {"html": "html", "md": "markdown", "ics": "ics"}


def plan_chunk(rows: list[Row], setup: Setup) -> Chunk:
    """:func:`run_row` over consecutive rows, packed for a cheap trip between processes."""
    app, options = app_for(setup), setup.options
    planned = [_planned(app, row, options) for row in rows]
    outcomes = [outcome for outcome, _ in planned]
    people = tuple(
        (row.id or str(row.number), row.number,
         tuple((roster.PERSON_FORMATS[fmt], app.render(plan, _RENDERERS[fmt])) for fmt in setup.per_person))
        for row, (_, plan) in zip(rows, planned) if plan is not None and setup.per_person)
    return Chunk(rows[-1].line, "".join(o.record for o in outcomes if o.facts.ok),
                 "".join(o.record for o in outcomes if not o.facts.ok),
                 tally(o.facts for o in outcomes),
                 roster.roster_lines(zip(rows, (o.facts for o in outcomes))), people)


#: How often (seconds) a worker checks that the run that started it is still there.
PARENT_CHECK = 0.5


def _start_worker(setup: Setup) -> None:
    """Worker start-up: Ctrl-C is the parent's to handle (and SIGTERM or SIGHUP the worker
    gets is its end, not the parent's handler); stop when the parent is gone; load the app."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True,
                     name="bounceback-parent-check").start()
    app_for(setup)


def _watch_parent(parent: int) -> None:
    """End this worker once its parent has died (killed by SIGKILL, it could not say so):
    the worker is then adopted, and its parent id changes."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def map_chunks(rows: Iterable[Row], setup: Setup, jobs: int = 1) -> Iterator[Chunk]:
    """:func:`plan_chunk` over the rows, :data:`CHUNK` rows at a time, in input order, by
    ``jobs`` worker processes (``1``: in this process). Rows are read only as workers need
    them, so memory stays flat. Close the iterator (``contextlib.closing``) to stop early."""
    chunks = _chunks(rows, CHUNK)
    if jobs <= 1:
        for chunk in chunks:
            yield plan_chunk(chunk, setup)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(),
                               initializer=_start_worker, initargs=(setup,))
    pending: deque[Future[Chunk]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(plan_chunk, chunk, setup))
            if len(pending) >= jobs * IN_FLIGHT:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# ---------------------------------------------------------------------------------------------
# The whole run

def run_batch(cohort: CohortInput, out_dir: str | Path, setup: Setup = Setup(), *, jobs: int = 1,
              progress: Callable[[int], None] | None = None, xlsx: bool = False) -> Summary:
    """Plan every row of ``cohort`` and write the :data:`OUTPUT_FILES` into ``out_dir``
    (``roster.xlsx`` too when ``xlsx`` asks for it, and ``people/`` when ``setup.per_person``
    names formats); return the summary.

    Rows stream through ``jobs`` worker processes; the files are written to temporary files
    renamed only when the run completes, so an interrupted run leaves earlier results as they
    were. The output is the same, byte for byte, whatever ``jobs`` is. ``progress`` is called
    with the number of lines of the input done since its last call (compare
    :func:`count_lines`).
    """
    app = app_for(setup)
    out = Path(out_dir)
    if xlsx and not roster.Workbook.available():
        raise BouncebackError(Problem("roster.xlsx needs openpyxl: pip install 'bounceback[xlsx]'",
                                      field="--xlsx", code="xlsx"))
    with open_cohort(cohort, app.questionnaire) as rows:
        _make_folder(out)
        carried = rows.columns.carry_names if rows.columns is not None else []
        names = [*OUTPUT_FILES, *([WORKBOOK] if xlsx else [])]
        remove_stale_temporaries(out, [*OUTPUT_FILES, WORKBOOK])
        people = roster.PeopleFolder(out) if setup.per_person else None
        try:
            with SummaryBuilder(app, source=rows.source, options=setup.options) as builder, \
                    atomic_writers([out / name for name in names]) as files, contextlib.ExitStack() as stack:
                plans, errors, summary_json, summary_md, summary_html, roster_csv = files[:6]
                workbook = stack.enter_context(roster.Workbook(carried)) if len(files) > 6 else None
                roster_csv.write(roster.header_line(carried))
                position = 0
                with contextlib.closing(map_chunks(rows, setup, jobs)) as chunks:
                    for chunk in chunks:
                        plans.write(chunk.plans)
                        errors.write(chunk.errors)
                        roster_csv.write(chunk.roster)
                        builder.add(chunk.tally)
                        if workbook is not None:
                            workbook.add(chunk.roster)
                        for ident, number, person_files in chunk.people:
                            assert people is not None
                            people.add(ident, number, person_files)
                        if progress is not None:
                            progress(chunk.last_line - position)
                            position = chunk.last_line
                summary = builder.result(blank=rows.blank)
                # As render.json.dumps writes it, piece by piece: the attention list can be long.
                summary_json.writelines(map(escape_for_json, _SUMMARY_ENCODER.iterencode(summary.to_dict())))
                summary_json.write("\n")
                summary_md.write(neutralise(render_markdown(summary)))
                summary_html.write(neutralise(summary_page(summary)))
                if workbook is not None:
                    files[6].flush()
                    workbook.save(files[6].buffer, out / WORKBOOK)
            if people is not None:
                people.commit()
        finally:
            if people is not None:
                people.discard()
    return summary


def _make_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise BouncebackError(Problem("is a file, expected a folder for the results", str(path),
                                      field="--out")) from None
    except OSError as exc:
        raise BouncebackError(Problem(f"cannot create the results folder: {exc.strerror or exc}",
                                      str(path), field="--out")) from None
