"""TOML text: parsed with clear problems, and the line where each table and key starts."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from ..errors import BouncebackError, Problem


def load_toml(text: str, source: str, *, error: type[BouncebackError] = BouncebackError) -> dict[str, Any]:
    """Parse TOML ``text``; any failure raises ``error`` with a :class:`Problem` naming
    ``source`` (and the line, for a syntax error).

    Beside syntax errors, tomllib lets a ``RecursionError`` (arrays or tables nested thousands
    deep) and a ``ValueError`` (a number with thousands of digits) escape; they are input
    errors too.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(toml_problem(exc, source)) from None
    except RecursionError:
        raise error(Problem("invalid TOML: nested too deeply", source, code="toml")) from None
    except ValueError as exc:
        reason = str(exc).split(";")[0]
        raise error(Problem(f"invalid TOML: {reason}", source, code="toml")) from None


def toml_problem(exc: tomllib.TOMLDecodeError, source: str) -> Problem:
    """A :class:`Problem` for a TOML syntax error, with its line number."""
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line = int(match.group(1)) if match else None
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    if match:
        message += f" (column {match.group(2)})"
    hint = next((h for start, h in _HINTS if message.startswith(start)), None)
    return Problem(f"invalid TOML: {message}" + (f": {hint}" if hint else ""), source, line, code="toml")


#: What usually causes tomllib's terser syntax errors, by how their message starts.
_HINTS = (
    (
        "Illegal character '\\n'",
        'a text left open? Close its quote on the same line, or use """ for several lines',
    ),
    ("Unterminated string", "a text left open? Every quote needs its closing quote"),
    ("Expected '=' after a key", "is the '=' missing between the key and its value?"),
    ("Invalid value", 'is the text quoted? Write key = "text" (numbers, true and false need no quotes)'),
)


class LineIndex:
    """Best-effort line numbers for tables, array-of-table entries and their keys.

    Built in one pass, and a whole-file key search is indexed once, so reading a pack stays
    linear in its size.
    """

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        self.tables: dict[str, int] = {}
        self._keys_from: dict[int, dict[str, int]] = {}
        self._keys_in: dict[int, dict[str, int]] = {}
        for number, line in enumerate(self.lines, start=1):
            match = re.match(r"\s*\[\[\s*([A-Za-z_.\-]+)\s*\]\]", line)
            if match:
                self.headers.setdefault(match.group(1), []).append(number)
                continue
            match = re.match(r"\s*\[\s*([^\[\]]*?)\s*\]", line)
            if match:
                self.tables.setdefault(match.group(1), number)

    def entry(self, table: str, index: int) -> int | None:
        """The line of the ``index``-th ``[[table]]`` header."""
        found = self.headers.get(table, [])
        return found[index] if index < len(found) else None

    def table(self, table: str) -> int | None:
        """The line of the first ``[table]`` header."""
        return self.tables.get(table)

    def key(self, key: str, start: int | None = None, table: str | None = None) -> int | None:
        """The first line assigning ``key`` within the entry starting at line ``start``, or
        anywhere after the ``[table]`` header (or the top of the file)."""
        if start is None:
            return self._first_lines(self.tables.get(table, 0) if table else 0).get(key)
        return self._entry_lines(start - 1).get(key)

    def _entry_lines(self, begin: int) -> dict[str, int]:
        """Every key assigned in the entry whose header is line ``begin + 1`` (up to the next
        header), with the first line assigning it."""
        if begin not in self._keys_in:
            found: dict[str, int] = {}
            for number in range(begin, len(self.lines)):
                line = self.lines[number]
                if number > begin and _HEADER.match(line):
                    break
                match = _KEY.match(line)
                if match:
                    found.setdefault(match.group(1), number + 1)
            self._keys_in[begin] = found
        return self._keys_in[begin]

    def _first_lines(self, begin: int) -> dict[str, int]:
        """Every key assigned after line ``begin``, with the first line assigning it."""
        if begin not in self._keys_from:
            found: dict[str, int] = {}
            for number in range(begin, len(self.lines)):
                match = _KEY.match(self.lines[number])
                if match:
                    found.setdefault(match.group(1), number + 1)
            self._keys_from[begin] = found
        return self._keys_from[begin]


_KEY = re.compile(r"\s*[\"']?([^\"'=\s\[]+)[\"']?\s*=")
_HEADER = re.compile(r"\s*\[")
