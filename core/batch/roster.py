"""What a programme sends out after a cohort run: the roster and each participant's own files.

* ``roster.csv`` (and ``roster.xlsx`` when openpyxl is installed): one row per participant, in
  file order: the id, the columns the mapping carries through (e-mail, name), the row, whether
  it became a plan or an error, the safety tier, distress, the first three step titles, and an
  error row's problems. Lines are made where the rows are planned (:func:`roster_lines`).
* ``people/``: each planned participant's plan in the chosen formats (html, md, ics), under a
  file name made from the id that is safe on every file system and never taken twice
  (:class:`PeopleFolder`, written all at once like the other results).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import BouncebackError, Problem
from ..safetext import neutralise

#: The roster's columns after ``id`` and the carried ones.
FIXED = ("row", "status", "safety", "distress", "step 1", "step 2", "step 3", "problems")
#: Formats of the per-person files and their suffixes.
PERSON_FORMATS = {"html": ".html", "md": ".md", "ics": ".ics"}
#: Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SURROGATES = re.compile("[\ud800-\udfff]")
NAME_LENGTH = 60


def header(carried: Sequence[str]) -> list[str]:
    """The roster's header row."""
    return ["id", *carried, *FIXED]


def safety_tier(facts: Any) -> str:
    """The row's safety tier (``crisis``, ``pinned``, ``check-in``; DESIGN §6c; an error row's
    from its valid answers), ``not screened`` when its errors hide what the tiers read, else
    empty."""
    return facts.tier or ("" if facts.screened else "not screened")


def roster_cells(row: Any, facts: Any) -> list[str]:
    """One participant's roster cells, from their :class:`~bounceback.batch.Row` and
    :class:`~bounceback.batch.counting.Facts`."""
    titles = list(facts.titles[:3]) + [""] * (3 - len(facts.titles[:3]))
    distress = "" if facts.distress is None else f"{facts.distress:.2f}"
    problems = "" if facts.ok else "; ".join(facts.messages)
    return [
        facts.id or "",
        *row.carry,
        str(row.number),
        "plan" if facts.ok else "error",
        safety_tier(facts),
        distress,
        *titles,
        problems,
    ]


def roster_lines(rows: Iterable[tuple[Any, Any]]) -> str:
    """The roster's CSV lines for (row, facts) pairs, every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row, facts in rows:
        writer.writerow([_inert(cell) for cell in roster_cells(row, facts)])
    return buffer.getvalue()


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text, as it was: valid Unicode (a byte that was not, from
    the export, shows as U+FFFD), control characters neutralised (:mod:`bounceback.safetext`),
    and one that would start a formula gets a ``'``."""
    cell = _SURROGATES.sub("\ufffd", neutralise(cell))
    if cell.startswith(_FORMULA) and not re.fullmatch(r"-\d+(\.\d+)?", cell):
        return "'" + cell
    return cell


def header_line(carried: Sequence[str]) -> str:
    """The roster's header as a CSV line."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_inert(c) for c in header(carried)])
    return buffer.getvalue()


def parse_formats(text: str) -> tuple[str, ...]:
    """``html,md`` → ``("html", "md")``; a :class:`BouncebackError` for an unknown format."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in PERSON_FORMATS]
    if unknown or not formats:
        raise BouncebackError(
            Problem(
                f"unknown per-person format {', '.join(unknown) or text!r}; "
                f"expected a list of: {', '.join(PERSON_FORMATS)}",
                field="--per-person",
            )
        )
    return formats


def safe_name(ident: str) -> str:
    """A file name stem from a participant id: letters, digits, ``.``, ``_`` and ``-`` only,
    lower case, at most :data:`NAME_LENGTH` characters; an id that had to change gets a short
    hash of itself, so two ids never share a stem (``Anna K`` and ``anna-k`` differ)."""
    ascii_id = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode()
    stem = _UNSAFE.sub("-", ascii_id).strip("-.")[:NAME_LENGTH].lower() or "participant"
    if stem != ident:
        stem += "-" + hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return stem


class PeopleFolder:
    """``OUT/people`` written as a whole: files go into a temporary folder beside it, which
    replaces ``people`` only when :meth:`commit` is called (an interrupted run leaves the
    earlier folder as it was). Each participant's files share a stem; a stem already taken
    (the same id on two rows) gets the row number."""

    def __init__(self, out: Path):
        self.target = out / "people"
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=".people.", suffix=".tmp", dir=out))
        except OSError as exc:
            raise BouncebackError(
                Problem(f"cannot write: {exc.strerror or exc}", str(self.target), code="write")
            ) from None
        self._taken: set[str] = set()
        self.count = 0

    def add(self, ident: str, row: int, files: Iterable[tuple[str, str]]) -> None:
        """Write one participant's files: (suffix, content) pairs."""
        stem = safe_name(ident)
        if stem in self._taken:
            stem = f"{stem}-row{row}"
        self._taken.add(stem)
        for suffix, text in files:
            path = self.folder / f"{stem}{suffix}"
            try:
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            except OSError as exc:
                raise BouncebackError(
                    Problem(f"cannot write: {exc.strerror or exc}", str(path), code="write")
                ) from None
        self.count += 1

    def commit(self) -> None:
        """Put the new folder in place of ``people``."""
        old = self.target.with_name(f"{self.folder.name}.old")
        try:
            if self.target.exists():
                os.replace(self.target, old)
            os.replace(self.folder, self.target)
        except OSError as exc:
            raise BouncebackError(
                Problem(f"cannot write: {exc.strerror or exc}", str(self.target), code="write")
            ) from None
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Remove the temporary folder (after a failed or interrupted run)."""
        shutil.rmtree(self.folder, ignore_errors=True)


class Workbook:
    """``roster.xlsx``, made when openpyxl is installed (:meth:`available`): the roster's lines
    are kept in a temporary file as they come, and written as a workbook (openpyxl's
    write-only mode, a row at a time) by :meth:`save`; use as a context manager."""

    def __init__(self, carried: Sequence[str]):
        self._carried = list(carried)
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (closed by __exit__)

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._spool.close()

    @staticmethod
    def available() -> bool:
        """Whether openpyxl can be imported."""
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            return False
        return True

    def add(self, lines: str) -> None:
        """Keep roster rows given as CSV lines (as :func:`roster_lines` makes them)."""
        self._spool.write(lines)

    def save(self, handle: Any, target: Path) -> None:
        """Write the workbook to a binary file (``target`` names it in errors)."""
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("roster")
        sheet.append(header(self._carried))
        self._spool.seek(0)
        for cells in csv.reader(self._spool):
            sheet.append(cells)
        try:
            book.save(handle)
        except OSError as exc:
            raise BouncebackError(
                Problem(f"cannot write: {exc.strerror or exc}", str(target), code="write")
            ) from None
