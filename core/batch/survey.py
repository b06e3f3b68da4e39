"""Survey-tool exports as tables: the text encoding, the header rows each tool writes, and
workbooks.

Nothing here knows the questionnaire: this module finds where a file's answers are (how many
header rows, which column is which tool's metadata) and reads cells as text; matching columns
to questions is :mod:`bounceback.batch.mapping`'s job.

What the tools write (checked against their exports):

* **Google Forms** (CSV download of the responses sheet): ``Timestamp``, ``Email Address``
  when collected, then one column per question titled with its text; checkbox answers joined
  by ``", "``.
* **Microsoft Forms** (Excel workbook): ``ID``, ``Start time``, ``Completion time``,
  ``Email``, ``Name`` (and, in newer exports, ``Last modified time``), then the questions;
  multiple answers joined by ``";"`` with a trailing ``";"``.
* **Typeform** (CSV): ``#`` (the response token) first, the questions, then ``Start Date
  (UTC)``, ``Submit Date (UTC)``, ``Network ID`` (and ``Tags``); a multiple-selection question
  may have one column per choice, headed and filled with the choice's label.
* **Qualtrics** (CSV): three header rows: the column names (``StartDate``, …, ``ResponseId``,
  …, ``Q1``…), the question texts, and ``{"ImportId":"QID1"}`` records.
* **SurveyMonkey** (CSV): two header rows: the question texts (blank over the further columns
  of a question) and, under each, ``Response`` or the choice that column stands for;
  ``Respondent ID``, ``Collector ID``, dates, ``IP Address``, ``Email Address``, ``First
  Name``, ``Last Name`` and ``Custom Data 1`` first.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import attrs

from ..errors import BouncebackError, Problem

#: What a metadata column of a tool's export is for: the participant ``id``, a column to
#: ``carry`` through to the roster (e-mail, name), or one to ``ignore`` (dates, IP address).
ID, CARRY, IGNORE = "id", "carry", "ignore"

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@attrs.frozen
class Tool:
    """A survey tool's export: how to recognise it from its first header row (``marks``, all
    present), how many header rows it writes, and its metadata columns."""

    name: str
    title: str
    marks: tuple[str, ...]
    header_rows: int
    metadata: dict[str, str]
    first: str | None = None  # the header's first cell, when that is what tells


TOOLS = (
    Tool(
        "qualtrics",
        "Qualtrics",
        ("ResponseId", "StartDate"),
        3,
        {
            "ResponseId": ID,
            "RecipientEmail": CARRY,
            "RecipientFirstName": CARRY,
            "RecipientLastName": CARRY,
            **dict.fromkeys(
                (
                    "StartDate",
                    "EndDate",
                    "Status",
                    "IPAddress",
                    "Progress",
                    "Duration (in seconds)",
                    "Finished",
                    "RecordedDate",
                    "ExternalReference",
                    "LocationLatitude",
                    "LocationLongitude",
                    "DistributionChannel",
                    "UserLanguage",
                ),
                IGNORE,
            ),
        },
    ),
    Tool(
        "surveymonkey",
        "SurveyMonkey",
        ("Respondent ID", "Collector ID"),
        2,
        {
            "Respondent ID": ID,
            "Email Address": CARRY,
            "First Name": CARRY,
            "Last Name": CARRY,
            **dict.fromkeys(
                ("Collector ID", "Start Date", "End Date", "IP Address", "Custom Data 1"), IGNORE
            ),
        },
    ),
    Tool(
        "typeform",
        "Typeform",
        ("#",),
        1,
        {
            "#": ID,
            **dict.fromkeys(
                (
                    "Start Date (UTC)",
                    "Submit Date (UTC)",
                    "Stage (UTC)",
                    "Network ID",
                    "Tags",
                    "Response Type",
                ),
                IGNORE,
            ),
        },
        first="#",
    ),
    Tool(
        "msforms",
        "Microsoft Forms",
        ("ID", "Start time", "Completion time"),
        1,
        {
            "ID": ID,
            "Email": CARRY,
            "Name": CARRY,
            **dict.fromkeys(("Start time", "Completion time", "Last modified time"), IGNORE),
        },
        first="ID",
    ),
    Tool(
        "googleforms",
        "Google Forms",
        ("Timestamp",),
        1,
        {"Timestamp": IGNORE, "Email Address": CARRY, "Score": IGNORE},
        first="Timestamp",
    ),
)
PLAIN = Tool("", "a spreadsheet", (), 1, {})


def detect(first_row: Sequence[str]) -> Tool:
    """The tool whose export starts with this header row (:data:`PLAIN` for none)."""
    cells = {cell.strip() for cell in first_row}
    for tool in TOOLS:
        if tool.first is not None and (not first_row or first_row[0].strip() != tool.first):
            continue
        if all(mark in cells for mark in tool.marks):
            return tool
    return PLAIN


@attrs.frozen
class Column:
    """One column of a table: ``name`` is what a mapping calls it (its header cell, made
    unique), ``texts`` the header texts to match with questions (ids or prompts), most
    specific first, and ``option`` the choice a column stands for when a tool gives each
    choice of a question its own column (SurveyMonkey's second header row)."""

    index: int
    name: str
    texts: tuple[str, ...]
    option: str | None = None
    metadata: str | None = None  # ID, CARRY or IGNORE for a tool's own columns


@attrs.frozen
class Layout:
    """Where the answers are in a table: the tool that wrote it, its header rows, its columns."""

    tool: Tool
    header_rows: int
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        """Every column's name, in file order."""
        return [c.name for c in self.columns]


#: SurveyMonkey's second-row words for "this column is the question's answer".
_WHOLE_ANSWER = frozenset({"response", "open-ended response", ""})


def layout(rows: Sequence[Sequence[str]], tool: Tool, header_rows: int | None = None) -> Layout:
    """The layout of a table whose header rows are ``rows`` (as many as the tool writes, or
    ``header_rows`` when a mapping says so)."""
    count = header_rows or tool.header_rows
    first = [cell.strip() for cell in rows[0]]
    columns = []
    if tool.name == "surveymonkey" and count >= 2:
        second = [cell.strip() for cell in rows[1]] + [""] * len(first)
        question = ""
        for index, cell in enumerate(first):
            question = cell or question
            sub = second[index]
            option = None if sub.lower() in _WHOLE_ANSWER else sub
            name = question if option is None else f"{question} / {option}"
            columns.append(
                Column(index, name, (question,), option, tool.metadata.get(cell) if cell else None)
            )
    else:
        prompts = [cell.strip() for cell in rows[1]] if tool.name == "qualtrics" and count >= 2 else []
        for index, cell in enumerate(first):
            texts = (cell,) + ((prompts[index],) if index < len(prompts) and prompts[index] else ())
            columns.append(Column(index, cell, texts, None, tool.metadata.get(cell)))
    return Layout(tool, count, tuple(_unique(columns)))


def _unique(columns: Iterable[Column]) -> Iterator[Column]:
    """Columns with the same name get `` (2)``, `` (3)``…, so a mapping can name each."""
    seen: dict[str, int] = {}
    for column in columns:
        if not column.name:
            yield column
            continue
        n = seen.get(column.name, 0) + 1
        seen[column.name] = n
        yield column if n == 1 else attrs.evolve(column, name=f"{column.name} ({n})")


def is_qualtrics_import_row(row: Sequence[str]) -> bool:
    """Whether ``row`` is Qualtrics' third header row of ``{"ImportId": ...}`` records."""
    return any(cell.lstrip().startswith("{") and "ImportId" in cell for cell in row)


# ---------------------------------------------------------------------------------------------
# Text files in any common encoding

ENCODING_HINT = (
    "if it was saved by Excel on Windows, run again with --encoding cp1252 "
    "(or latin-1, or the encoding your tool names)"
)


def check_encoding(name: str) -> str:
    """``name`` if Python knows the encoding, else a :class:`BouncebackError`."""
    try:
        codecs.lookup(name)
    except LookupError:
        raise BouncebackError(
            Problem(
                f"unknown encoding {name!r}; expected e.g. utf-8, cp1252, latin-1, utf-16", field="--encoding"
            )
        ) from None
    return name


def text_stream(raw: IO[bytes], encoding: str | None) -> io.TextIOWrapper:
    """``raw`` as text: a byte-order mark (UTF-8, UTF-16) picks the encoding, else
    ``encoding`` or UTF-8. Undecodable bytes become lone surrogates (``surrogateescape``),
    so one bad cell costs its row, not the file."""
    peek = getattr(raw, "peek", None)
    head = peek(4)[:4] if peek is not None else b""
    chosen = encoding or "utf-8-sig"
    for bom, name in _BOMS:
        if head.startswith(bom):
            chosen = name if encoding is None or codecs.lookup(encoding).name.startswith("utf") else encoding
            break
    return io.TextIOWrapper(raw, encoding=chosen, errors="surrogateescape", newline="")


def undecodable(text: str) -> str | None:
    """Where ``text`` holds a byte that was not valid in its encoding (a surrogate from
    ``surrogateescape``): ``"byte 0xE9 after 'Caf'"``; ``None`` if it holds none."""
    for index, char in enumerate(text):
        if "\udc80" <= char <= "\udcff":
            before = text[max(0, index - 12) : index]
            before = "".join(c for c in before if not "\ud800" <= c <= "\udfff")
            where = f" after {before!r}" if before else " at the start"
            return f"byte 0x{ord(char) - 0xDC00:02X} (character {index + 1}{where})"
    return None


def looks_like_utf16(first_line: str) -> bool:
    """A first line of NULs between ASCII letters: UTF-16 without a byte-order mark."""
    return first_line.count("\x00") * 3 >= len(first_line)


# ---------------------------------------------------------------------------------------------
# Workbooks

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"


def workbook_rows(raw: IO[bytes], source: str) -> Iterator[list[str]]:
    """The rows of a workbook's first sheet as text cells (numbers without a needless ``.0``,
    booleans ``true``/``false``, dates in ISO form), read with openpyxl in read-only mode."""
    try:
        import openpyxl
    except ImportError:
        raise BouncebackError(
            Problem(
                "reading an Excel workbook needs openpyxl: pip install 'bounceback[xlsx]' (or save the "
                "sheet as CSV UTF-8)",
                source,
                code="xlsx",
            )
        ) from None
    try:
        book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise BouncebackError(
            Problem(
                f"not a workbook that can be read ({type(exc).__name__}: {exc}); "
                "expected an .xlsx file, or save it as CSV UTF-8",
                source,
                code="xlsx",
            )
        ) from None
    return _sheet_rows(book)


def _sheet_rows(book: Any) -> Iterator[list[str]]:
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [cell_text(v) for v in values]
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
