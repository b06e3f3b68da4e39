"""A cohort file as a whole, checked before its rows are read: opening it, its format (as
given, by suffix or by its first line), its first line (not too long, text, in the right
encoding), and counting its lines for a progress bar."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from ..defaults import COHORT_FORMATS
from ..errors import BouncebackError, Problem
from . import survey
from .lines import MAX_LINE, Lines, LineTooLong
from .rows import invalid_text

SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
EXPECTED = {
    "csv": "a header row of question ids or texts, then one row of answers per participant",
    "xlsx": "a sheet whose first row holds question ids or texts",
    "jsonl": "JSON Lines: one answers object per line",
}
ANY_FORMAT = "a CSV file, an .xlsx workbook or JSON Lines"

ANY_FORMAT = "a CSV file, an .xlsx workbook or JSON Lines"


def peek_bytes(raw: IO[bytes]) -> bytes:
    """The first four bytes of ``raw``, left to be read (empty when it cannot peek)."""
    peek = getattr(raw, "peek", None)
    return peek(4)[:4] if peek is not None else b""


def first_line(lines: Lines, source: str) -> str:
    """The first line of a cohort file, refused when it is too long or not text (a binary
    file, a file in another encoding)."""
    try:
        first = lines.peek()
    except LineTooLong:
        raise BouncebackError(
            Problem(
                f"the first line is longer than {MAX_LINE:,} characters: expected {ANY_FORMAT}",
                source,
                1,
                code="too-long",
            )
        ) from None
    if "\x00" in first and survey.looks_like_utf16(first):
        raise BouncebackError(
            Problem(
                "the first line is full of NUL characters: this looks like UTF-16 "
                "text without a byte-order mark; run again with --encoding "
                "utf-16-le (or utf-16-be)",
                source,
                1,
                code="encoding",
            )
        )
    if "\x00" in first:
        raise BouncebackError(
            Problem(
                f"the first line is not text (it holds NUL characters): expected {ANY_FORMAT}",
                source,
                1,
                code="encoding",
            )
        )
    if invalid_text(first) and not first.lstrip().startswith("{"):
        raise BouncebackError(
            Problem(
                f"the first line is not text in UTF-8: {survey.undecodable(first)} "
                f"is not valid; {survey.ENCODING_HINT}",
                source,
                1,
                code="encoding",
            )
        )
    return first


def open_file(path: Path, source: str) -> IO[bytes]:
    """The cohort file at ``path`` opened for reading bytes; a clear error when it cannot be."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise BouncebackError(Problem("file not found", source, code="missing-file")) from None
    except IsADirectoryError:
        raise BouncebackError(Problem(f"is a folder, expected {ANY_FORMAT}", source)) from None
    except OSError as exc:
        raise BouncebackError(
            Problem(f"cannot read: {exc.strerror or exc}", source, code="unreadable")
        ) from None


def cohort_format(fmt: str | None, path: str | Path, first: str) -> str:
    """The input format: ``fmt`` as given, else by the suffix of ``path``, else JSON Lines when
    the file's ``first`` line starts with ``{``."""
    if fmt is not None:
        if fmt not in COHORT_FORMATS:
            raise BouncebackError(
                Problem(
                    f"unknown input format {fmt!r}; expected one of: {', '.join(COHORT_FORMATS)}",
                    field="format",
                )
            )
        return fmt
    suffix = Path(str(path)).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if suffix == ".toml":  # one person's answers file, not a cohort (newcomer check 3)
        raise BouncebackError(
            Problem(
                f"is a TOML file, one person's answers: `bounceback plan {path}` makes their plan; "
                f"batch reads a cohort, expected {ANY_FORMAT}",
                str(path),
                code="format",
            )
        )
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
