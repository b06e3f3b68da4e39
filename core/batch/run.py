"""The whole run: rows → outcomes → files written atomically (:func:`run_batch`)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

from ..errors import BouncebackError, Problem
from ..files import atomic_writers, remove_stale_temporaries
from ..safetext import escape_for_json, neutralise
from . import roster
from .counting import SummaryBuilder
from .pool import Setup, app_for, map_chunks
from .readers import CohortInput, open_cohort
from .summary import Summary
from .summary_html import summary_page
from .summary_md import render_markdown

OUTPUT_FILES = ("plans.jsonl", "errors.jsonl", "summary.json", "summary.md", "summary.html", "roster.csv")
#: Written beside them when openpyxl is installed.
WORKBOOK = "roster.xlsx"

_SUMMARY_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# The whole run


def run_batch(
    cohort: CohortInput,
    out_dir: str | Path,
    setup: Setup = Setup(),
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    xlsx: bool = False,
) -> Summary:
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
        raise BouncebackError(
            Problem("roster.xlsx needs openpyxl: pip install 'bounceback[xlsx]'", field="--xlsx", code="xlsx")
        )
    with open_cohort(cohort, app.questionnaire) as rows:
        _make_folder(out)
        carried = rows.columns.carry_names if rows.columns is not None else []
        names = [*OUTPUT_FILES, *([WORKBOOK] if xlsx else [])]
        remove_stale_temporaries(out, [*OUTPUT_FILES, WORKBOOK])
        people = roster.PeopleFolder(out) if setup.per_person else None
        try:
            with (
                SummaryBuilder(app, source=rows.source, options=setup.options) as builder,
                atomic_writers([out / name for name in names]) as files,
                contextlib.ExitStack() as stack,
            ):
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
        raise BouncebackError(
            Problem("is a file, expected a folder for the results", str(path), field="--out")
        ) from None
    except OSError as exc:
        raise BouncebackError(
            Problem(f"cannot create the results folder: {exc.strerror or exc}", str(path), field="--out")
        ) from None
