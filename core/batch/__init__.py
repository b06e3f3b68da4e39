"""Cohort runs (``bounceback batch`` and ``bounceback map``): every participant's plan from one CSV or JSON Lines file, plus a summary.

The pieces, each usable on its own (the ``bounceback batch`` command strings them together):

* :func:`open_cohort` reads a CSV or JSONL file lazily into :class:`Row` records, checking
  the file itself (header, id column, unknown columns) before the first row;
* :func:`plan_row` is the pure per-row function: one :class:`Row` in, one :class:`Outcome`
  (a ``plans.jsonl`` or ``errors.jsonl`` line plus the facts the summary needs) out;
  :func:`run_row` is the same with the app looked up from a picklable :class:`Setup`, for
  process pools and distributed engines such as Dask;
* :func:`map_chunks` runs it over worker processes, a chunk of rows at a time, in input order;
* :func:`tally` counts the rows' :class:`Facts` in the workers,
  and :class:`SummaryBuilder` adds up the tallies into the summary;
* :func:`run_batch` streams rows → outcomes → files written atomically.

Row numbers: ``row`` is the number of the data record (the header is not a row; the first
participant is row 1; blank records are skipped but keep their number), ``line`` the file line
where the record starts (they differ for CSV, where a quoted cell may span lines).

The modules: :mod:`.readers` (opening a cohort, its tables), :mod:`.cohort_file` (the file as a
whole), :mod:`.jsonl` (JSON Lines records), :mod:`.lines` (bounded lines and CSV records),
:mod:`.survey` (survey-tool exports: header rows, per-choice columns), :mod:`.mapping`,
:mod:`.cells`, :mod:`.columns` and :mod:`.mapping_file` (which column answers which question),
:mod:`.proposal` (``bounceback map``), :mod:`.rows` (one row planned), :mod:`.screening` (safety
screening of rows that cannot be planned), :mod:`.pool` (worker processes), :mod:`.run` (the
whole run), :mod:`.summary` (the summary), :mod:`.counting` (counting it), :mod:`.summary_md`
and :mod:`.summary_html` (rendering it) and :mod:`.roster` (the coaches' roster). The public
names are importable from here.
"""

from __future__ import annotations

from .cohort_file import ANY_FORMAT, EXPECTED, SUFFIXES, count_lines
from .counting import Facts, SummaryBuilder, Tally, tally
from .lines import MAX_LINE, CsvRecords, Lines, LineTooLong, RecordTooLong
from .pool import (
    CHUNK,
    IN_FLIGHT,
    PARENT_CHECK,
    Chunk,
    Setup,
    app_for,
    map_chunks,
    plan_chunk,
    run_row,
)
from .readers import DELIMITERS, Cohort, CohortInput, open_cohort
from .rows import ENCODING, MISSING_ID, ROSTER_STEPS, Outcome, Row, plan_row
from .run import OUTPUT_FILES, WORKBOOK, run_batch
from .summary import Summary
from .summary_md import render_markdown

__all__ = [
    "ANY_FORMAT",
    "CHUNK",
    "DELIMITERS",
    "ENCODING",
    "EXPECTED",
    "IN_FLIGHT",
    "MAX_LINE",
    "MISSING_ID",
    "OUTPUT_FILES",
    "PARENT_CHECK",
    "ROSTER_STEPS",
    "SUFFIXES",
    "WORKBOOK",
    "Chunk",
    "Cohort",
    "CohortInput",
    "CsvRecords",
    "Facts",
    "LineTooLong",
    "Lines",
    "Outcome",
    "RecordTooLong",
    "Row",
    "Setup",
    "Summary",
    "SummaryBuilder",
    "Tally",
    "app_for",
    "count_lines",
    "map_chunks",
    "open_cohort",
    "plan_chunk",
    "plan_row",
    "render_markdown",
    "run_batch",
    "run_row",
    "tally",
]
