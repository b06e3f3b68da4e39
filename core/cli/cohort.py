"""The commands for programmes: ``batch`` (a cohort's plans) and ``map`` (which column is which)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..defaults import COHORT_FORMATS, ID_COLUMN
from ..errors import plural
from .common import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    F,
    echo,
    load_app,
    loading_options,
    output,
    output_option,
    selection_options,
    warn_skipped,
)

# -- batch and map ----------------------------------------------------------------------------


def input_options(func: F) -> F:
    """How a cohort file is read: ``--id-column``, ``--ignore-column``, ``--format``, ``--encoding``."""
    options = [
        click.option(
            "--id-column",
            default=ID_COLUMN,
            show_default=True,
            metavar="NAME",
            help="The column (or JSON key) that identifies participants.",
        ),
        click.option(
            "--ignore-column",
            "ignore",
            multiple=True,
            metavar="NAME",
            help="Leave this column out, e.g. a timestamp (repeatable).",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(COHORT_FORMATS),
            default=None,
            help="Input format  [default: from the suffix, else JSON Lines if the file starts with '{']",
        ),
        click.option(
            "--encoding",
            default=None,
            metavar="NAME",
            help="Text encoding of a CSV file, e.g. cp1252 or latin-1  [default: UTF-8, or "
            "UTF-16 by its byte-order mark]",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("map")
@click.argument(
    "input_path", metavar="INPUT", type=click.Path(path_type=Path, allow_dash=True, dir_okay=False)
)
@output_option
@input_options
@loading_options
def map_columns(
    input_path: Path,
    out: Path | None,
    id_column: str,
    ignore: tuple[str, ...],
    fmt: str | None,
    encoding: str | None,
    **loading: Any,
) -> None:
    """Propose how an export's columns and answers map to the questionnaire.

    Writes a mapping (TOML) for you to review: each column matched to a question by its id or
    text, each answer label to an option, every unmatched column and value marked UNMATCHED.
    Then: bounceback batch INPUT --mapping mapping.toml --out results/
    """
    from ..batch import CohortInput
    from ..batch.proposal import propose_file

    app = load_app(**loading)
    cohort = CohortInput(input_path, fmt, id_column, ignore, encoding)
    text, proposed = propose_file(cohort, app.questionnaire)
    output(text, out)
    columns, values = proposed.unmatched_columns, proposed.unmatched_values
    echo(
        f"columns: {len(proposed.columns)}, unmatched columns: {len(columns)}, unmatched answers: "
        f"{sum(map(len, values.values()))}",
        err=True,
    )
    for name in columns:
        echo(f"unmatched column: {name}", err=True)
    for question_id, labels in values.items():
        echo(f"unmatched answers of {question_id}: {', '.join(labels)}", err=True)


@click.command()
@click.argument(
    "input_path", metavar="INPUT", type=click.Path(path_type=Path, allow_dash=True, dir_okay=False)
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for plans.jsonl, errors.jsonl, summary.json, summary.md, summary.html and "
    "roster.csv (created if needed).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 512),
    default=None,
    help="Worker processes  [default: the machine's cores]",
)
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="How columns and answers map to questions (from `bounceback map`, reviewed)  "
    "[default: matched automatically]",
)
@click.option(
    "--per-person",
    default=None,
    metavar="FORMATS",
    help="Also write each participant's plan to OUT/people/ in these formats, e.g. html,md,ics.",
)
@click.option("--xlsx", is_flag=True, help="Also write OUT/roster.xlsx (needs the xlsx extra).")
@click.option(
    "--max-error-rate",
    type=click.FloatRange(0, 1),
    default=0.2,
    show_default=True,
    help="Exit 2 when more than this share of rows could not be planned (a misread export).",
)
@input_options
@selection_options
@loading_options
def batch(
    input_path: Path,
    out_dir: Path,
    jobs: int | None,
    mapping_path: Path | None,
    per_person: str | None,
    xlsx: bool,
    max_error_rate: float,
    id_column: str,
    ignore: tuple[str, ...],
    fmt: str | None,
    encoding: str | None,
    top: int,
    per_category: int,
    packs: tuple[Path, ...],
    disable: tuple[str, ...],
    no_plugins: bool,
    strict: bool,
) -> None:
    """Plan a whole cohort from a survey export (CSV, .xlsx) or JSON Lines.

    INPUT is a table whose header holds question ids or texts, as Google Forms, Microsoft
    Forms, Typeform, Qualtrics, SurveyMonkey or a spreadsheet write it, or JSON Lines (one
    answers object a line); - reads standard input. Every row becomes a plan in
    OUT/plans.jsonl or an error record in OUT/errors.jsonl; OUT/summary.html (and .md, .json)
    tells coaches who to contact first and what was recommended, OUT/roster.csv lists everyone.
    Guide: docs/cohort.md.
    """
    from ..batch import (
        OUTPUT_FILES,
        WORKBOOK,
        CohortInput,
        Setup,
        app_for,
        count_lines,
        run_batch,
    )
    from ..batch.roster import parse_formats

    formats = parse_formats(per_person) if per_person is not None else ()
    setup = Setup(
        packs=tuple(str(p) for p in packs),
        disable=disable,
        entry_points=not no_plugins,
        strict=strict,
        top=top,
        per_category=per_category,
        per_person=formats,
    )
    warn_skipped(app_for(setup))
    cohort = CohortInput(input_path, fmt, id_column, ignore, encoding, mapping_path)
    cores = os.cpu_count() or 1
    if jobs is not None and jobs > cores:
        echo(
            f"note: --jobs {jobs} is more than this machine's {plural(cores, 'core')}; using "
            f"{cores} (more workers only take memory)",
            err=True,
        )
    jobs = min(jobs or cores, cores)
    total = count_lines(input_path) if sys.stderr.isatty() else None
    if total:
        with click.progressbar(length=total, label="Planning", file=sys.stderr) as bar:
            summary = run_batch(cohort, out_dir, setup, jobs=jobs, progress=bar.update, xlsx=xlsx)
            bar.update(max(0, total - bar.pos))  # the last record may end before the last line
    else:
        summary = run_batch(cohort, out_dir, setup, jobs=jobs, xlsx=xlsx)
    written = [*OUTPUT_FILES, *([WORKBOOK] if xlsx else []), *(["people/"] if formats else [])]
    echo(
        f"participants: {summary.participants}, plans: {summary.plans}, rows with errors: "
        f"{summary.errors}, "
        + ", ".join(f"{tier}: {n}" for tier, n in summary.tiers)
        + f", not screened: {summary.not_screened}\n"
        f"Wrote {out_dir}: {', '.join(written)}",
        err=True,
    )
    if not summary.participants:  # a header and nothing under it: not a silent success
        echo(f"warning: {input_path} has no participant rows, so there is nothing to plan", err=True)
    if summary.errors:
        echo(
            f"warning: rows that could not be planned: {summary.errors} (see {out_dir / 'errors.jsonl'})",
            err=True,
        )
    if summary.internal_errors:
        echo(
            f"internal error: rows that hit a bug: {summary.internal_errors} (code 'internal' "
            "in errors.jsonl); please report it.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    if summary.participants and summary.errors > max_error_rate * summary.participants:
        echo(
            f"error: {summary.errors} of {summary.participants} rows "
            f"({100 * summary.errors / summary.participants:.0f} %) could not be planned, more than "
            f"--max-error-rate {max_error_rate:g} allows: is the export read as it should be (its "
            f"columns, answers, encoding)? See {out_dir / 'summary.md'}, or bounceback map "
            f"{input_path} to check the mapping.",
            err=True,
        )
        sys.exit(EXIT_INPUT)
