"""Lines and CSV records of a cohort file, each bounded in length (:data:`MAX_LINE`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO

from ..errors import Problem

#: The longest line read (in characters): far above any participant's record.
MAX_LINE = 2**20
_LINE_ENDS = ("\n", "\r")


class LineTooLong(Exception):
    """A line over :data:`MAX_LINE` characters, skipped; ``problem`` says which."""

    def __init__(self, number: int, piece: str = ""):
        self.problem = Problem(
            f"line {number} is longer than {MAX_LINE:,} characters (skipped)", code="too-long"
        )
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

    def _skip_long_line(self, scan: Callable[[str, bool], bool] | None = None, state: bool = False) -> bool:
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
        self.problem = Problem(
            f"the record starting on line {number} is longer than {MAX_LINE:,} characters (skipped)",
            code="too-long",
        )
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
