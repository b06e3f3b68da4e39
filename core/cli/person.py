"""The commands for a job seeker: ``plan``, ``questions``, ``ask``, ``explain``, ``serve``."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..defaults import QUESTIONNAIRE_FORMATS, REPORT_FORMATS
from ..errors import BouncebackError, Problem
from .common import (
    STDOUT,
    Day,
    OutputFile,
    describe_written,
    echo,
    echo_long,
    load_app,
    loading_options,
    output,
    output_option,
    selection_options,
    would_replace,
)


@click.command()
@click.argument("answers", type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "-f",
    "--format",
    "fmt",
    default=None,
    metavar="FORMAT",
    help="text (default), markdown, html, ics, json, or any format a plugin adds; "
    "when not given, the -o file's suffix says (.txt .md .html .ics .json).",
)
@selection_options
@click.option("--explain", "reasons", is_flag=True, help="Show each step's score and the answers behind it.")
@click.option(
    "--start",
    type=Day(),
    default=None,
    metavar="YYYY-MM-DD",
    help="First day of the plan, for dated output such as ics (default: today).",
)
@output_option
@loading_options
def plan(
    answers: Path,
    fmt: str | None,
    top: int,
    per_category: int,
    reasons: bool,
    start: date | None,
    out: Path | None,
    **loading: Any,
) -> None:
    """Make the plan for an ANSWERS file (TOML or JSON; - reads standard input).

    \b
    Formats: text (default), markdown, html (a printable page), ics (calendar), json.
    Why is a rule in the plan, or not?  bounceback explain ANSWERS RULE_ID"""
    from ..questionnaire import read_answers
    from ..render import RenderOptions

    app = load_app(**loading)
    fmt = choose_format(fmt, out, app.renderers)
    raw, source, lines = read_answers(answers)
    situation = app.situation(raw, source=source, lines=lines)
    result = app.plan(situation, top=top, per_category=per_category)
    options = RenderOptions(reasons=reasons, start=start)
    output(app.render(result, fmt, options), out)


def choose_format(fmt: str | None, out: Path | None, renderers: Mapping[str, Any]) -> str:
    """The plan's output format: ``--format``, else the one the ``-o`` file's suffix names,
    else text (no ``-o``, ``-o -``, a name without a suffix, a device or a FIFO).

    An unknown format, an unknown suffix without ``--format`` (``plan.pdf``) and a ``--format``
    that contradicts the suffix are usage errors naming the formats.
    """
    if fmt is not None and fmt not in renderers:
        raise click.BadParameter(
            f"unknown format {fmt!r}; available: {', '.join(sorted(renderers))}.{_pdf_hint(fmt)}",
            param_hint="--format",
        )
    suffix = out.suffix.lower() if out is not None and str(out) != STDOUT else ""
    if not suffix:
        return fmt or "text"
    by_suffix = {r.suffix: name for name, r in sorted(renderers.items(), reverse=True) if r.suffix}
    if suffix not in by_suffix:
        from ..files import THROUGH, output_target

        if fmt is not None or (
            out is not None and output_target(out).how == THROUGH
        ):  # a device's name is no format
            return fmt or "text"
        known = ", ".join(f"{s} ({name})" for s, name in sorted(by_suffix.items()))
        raise click.UsageError(
            f"-o {out}: bounceback does not write {suffix} files; use one of {known}, or give "
            f"--format.{_pdf_hint(suffix)}"
        )
    if fmt is not None and fmt != by_suffix[suffix] and renderers[fmt].suffix != suffix:
        raise click.UsageError(
            f"--format {fmt} does not match -o {out} (a {suffix} file is "
            f"{by_suffix[suffix]}); leave out one of them"
        )
    return fmt or by_suffix[suffix]


def _pdf_hint(asked: str) -> str:
    """The way to a PDF, when ``asked`` (a format or an ``-o`` suffix) is pdf; else ``""``."""
    if asked.lower().lstrip(".") != "pdf":
        return ""
    return " For a PDF, write .html and print it to PDF from your browser."


# -- the questionnaire and explanations (questions, ask, explain) --------------------------------


@click.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(QUESTIONNAIRE_FORMATS),
    default="text",
    show_default=True,
    help="csv is one header row of question ids, for a spreadsheet of answers; form is a "
    "checklist to build the form in any survey tool, apps-script a Google Apps Script "
    "that creates the Google Form.",
)
@click.option(
    "--template",
    is_flag=True,
    help="Write a blank answers file (TOML) with every question explained, to fill in.",
)
@output_option
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the -o file if it exists (it may hold filled-in answers: kept unless asked).",
)
@loading_options
def questions(fmt: str, template: bool, out: Path | None, replace: bool, **loading: Any) -> None:
    """Show the questionnaire, or write a blank answers file with --template.

    \b
    bounceback questions --template -o answers.toml   # then fill it in and:
    bounceback plan answers.toml

    What it writes is made to be filled in (an answers file, a spreadsheet's header row), so an
    existing -o file, perhaps filled in already, is kept unless --replace is given.
    """
    if template and fmt != "text":
        raise click.UsageError("--template writes TOML; leave out --format")
    if out is not None and str(out) != STDOUT and not replace and would_replace(out):
        raise BouncebackError(
            Problem(
                "already exists and may hold answers: add --replace to write over it, or "
                "choose another file with -o",
                str(out),
                code="exists",
            )
        )
    app = load_app(**loading)
    if template:
        from ..answersfile import answers_toml

        text = answers_toml(app.questionnaire, filename=str(out or "answers.toml"))
    else:
        from ..render.questionnaire import render

        text = render(app.questionnaire, fmt)
    output(text, out)


@click.command()
@click.option(
    "-o",
    "--output",
    "out",
    type=OutputFile(),
    default="answers.toml",
    show_default=True,
    help="Where to save the answers.",
)
@click.option(
    "--replace", is_flag=True, help="Replace the file if it exists, without asking (for piped answers)."
)
@click.option(
    "--resume", is_flag=True, help="Go on where an earlier `ask` was stopped, keeping the answers it saved."
)
@loading_options
def ask(out: Path, replace: bool, resume: bool, **loading: Any) -> None:
    """Answer the questionnaire here, question by question, then get your plan.

    Type < (or back) to return to the previous question. At the end your answers are listed
    to check and change, then saved (as a file you can edit and reuse with `bounceback plan`);
    then the plan can be saved as a page to read and print (plan.html beside the answers) or
    shown here. Stopped early (Ctrl-C), the answers so far are kept in a .partial.toml file
    beside the answers: `bounceback ask --resume` goes on from there. Answers can also be
    piped in, one line per question.
    """
    from ..answersfile import answers_toml
    from ..asking import prepare_input
    from ..files import THROUGH, output_target, write_text
    from ..render import RenderOptions
    from ..resuming import ask_keeping_progress, partial_path
    from ..safetext import neutralise

    interactive = prepare_input(sys.stdin)
    app = load_app(**loading)
    echo(
        "Answer each question and press Enter. Optional questions can be skipped with Enter.\n"
        "Type < (or back) to return to the previous question."
    )
    through = output_target(out).how == THROUGH  # a device or FIFO is not replaced
    if would_replace(out) and not replace:
        if not interactive:  # a confirmation would eat the first piped answer
            raise BouncebackError(
                Problem(
                    "already exists; answers that are piped in cannot "
                    "confirm replacing it: add --replace, or choose another "
                    "file with -o",
                    str(out),
                    code="exists",
                )
            )
        click.confirm(neutralise(f"{out} already exists. Replace it with your new answers?"), abort=True)

    def read(label: str) -> str:
        return click.prompt(label, default="", show_default=False)

    def confirm(question: str, default: bool) -> bool:
        try:
            return click.confirm(neutralise(question), default=default)
        except click.Abort:  # no more input (piped answers): the answers are saved, that is enough
            return False

    partial = None if through else partial_path(out)  # nowhere to keep them beside a device
    answers = ask_keeping_progress(
        app.questionnaire, read, echo, out, partial, write=write_text, resume=resume, review=interactive
    )
    written = write_text(out, answers_toml(app.questionnaire, answers, filename=str(out)))
    if partial is not None:
        partial.unlink(missing_ok=True)
    echo(
        f"\nSaved your answers to {describe_written(out, written)}. Edit it any time, "
        f"then run: bounceback plan {out}"
    )
    plan = app.plan(answers)
    page = (Path() if through else out.parent) / "plan.html"
    if confirm(f"Save your plan as a page to read and print ({page})?", True):
        if (
            page.exists()
            and output_target(page).how != THROUGH
            and not confirm(f"{page} already exists. Replace it?", False)
        ):
            return
        saved = write_text(page, app.render(plan, "html", RenderOptions()))
        echo(f"Saved your plan to {saved.path.resolve()}: open it in your web browser to read or print it.")
    elif confirm("Show it here instead?", False):
        echo("")
        echo_long(app.render(plan, "text"))


@click.command()
@click.argument("answers", type=click.Path(path_type=Path, allow_dash=True))
@click.argument("rule_id")
@selection_options
@click.option("-f", "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
@loading_options
def explain(answers: Path, rule_id: str, top: int, per_category: int, fmt: str, **loading: Any) -> None:
    """Why rule RULE_ID is in the plan for ANSWERS, or why not.

    Shows which parts of the rule's condition held or failed (with your answers), its score,
    and whether a limit dropped it: the --top cut, the --per-category cap, or a step that
    excludes it. Rule ids are the steps' "id" in `bounceback plan ANSWERS --format json`.
    """
    from ..questionnaire import read_answers
    from ..render.json import dumps
    from ..why import explain_rule, render_text

    app = load_app(**loading)
    raw, source, lines = read_answers(answers)
    situation = app.situation(raw, source=source, lines=lines)
    result = explain_rule(app, situation, rule_id, top=top, per_category=per_category)
    echo(dumps(result.to_dict()) if fmt == "json" else render_text(result), nl=False)


@click.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Listen on this port of 127.0.0.1  [default: a free one]",
)
@click.option("--no-browser", is_flag=True, help="Print the address but do not open a browser.")
@selection_options
@loading_options
def serve(port: int, no_browser: bool, top: int, per_category: int, **loading: Any) -> None:
    """Answer the questions in your web browser and get your plan there.

    The page is served on this computer only (127.0.0.1), at an address with a secret token,
    printed as the first line. Nothing is stored: download your answers and plan from the
    plan page. Stop with Ctrl-C. Needs the web extra: pip install 'bounceback[web]'.
    """
    try:
        from ..web.server import run
    except ImportError as exc:
        raise click.UsageError(
            f"bounceback serve needs the web extra ({exc.name} is not installed): "
            "pip install 'bounceback[web]'"
        ) from None
    app = load_app(**loading)

    def announce(url: str) -> None:
        echo(url)
        sys.stdout.flush()
        echo(
            "Your questionnaire is at the address above"
            + ("" if no_browser else " (opening it in your browser)")
            + ". Press Ctrl-C to stop.",
            err=True,
        )

    run(app, port=port, open_browser=not no_browser, announce=announce, top=top, per_category=per_category)
    echo("Stopped.", err=True)
