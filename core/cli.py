"""The ``bounceback`` command line: parsing and printing only; the work is in the API."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import BouncebackError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INPUT = 2
EXIT_INTERNAL = 1


class Group(click.Group):
    """Turns input errors into clear messages (exit 2) and bugs into short ones (exit 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BouncebackError as exc:
            report_problems(exc)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in bounceback or a plugin; run with --debug for details.",
                       err=True)
            ctx.exit(EXIT_INTERNAL)


def report_problems(exc: BouncebackError) -> None:
    """Print each problem of ``exc`` on its own line to standard error."""
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)


def loading_options(func: F) -> F:
    """The options that choose which plugins and packs load."""
    options = [
        click.option("--pack", "packs", multiple=True, type=click.Path(path_type=Path),
                     help="Also load the packs in this folder or file (repeatable)."),
        click.option("--disable", multiple=True, metavar="NAME",
                     help="Do not load this plugin (repeatable; see `bounceback plugins`)."),
        click.option("--no-plugins", is_flag=True,
                     help="Load only built-in plugins, no installed ones."),
        click.option("--strict", is_flag=True,
                     help="Fail when a plugin or pack fails, instead of skipping it."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def load_app(packs: tuple[Path, ...], disable: tuple[str, ...], no_plugins: bool, strict: bool,
             **_: Any) -> Any:
    """Load the API with the CLI's loading options, warning about skipped plugins."""
    from .api import load

    app = load(packs=packs, disable=disable, entry_points=not no_plugins, strict=strict)
    warn_skipped(app)
    return app


def warn_skipped(app: Any) -> None:
    """Warn on standard error about each plugin that failed to load."""
    for skipped in app.skipped:
        click.echo(f"warning: skipped plugin {skipped.name} ({skipped.hook}): {skipped.error}", err=True)


def output(text: str, path: Path | None) -> None:
    """Print ``text``, or write it atomically to ``path``."""
    if path is None:
        click.echo(text, nl=False)
        return
    from .files import write_text

    write_text(path, text)
    click.echo(f"Wrote {path}", err=True)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bounceback")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """Turn your answers after an interview rejection into a ranked, explained plan.

    \b
    Start here:
      bounceback questions --template -o answers.toml   # a blank answers file
      bounceback plan answers.toml                      # your plan
    """


@cli.command()
@click.argument("answers", type=click.Path(path_type=Path, allow_dash=True))
@click.option("-f", "--format", "fmt", default=None, metavar="FORMAT",
              help="text (default), json, or any format a plugin adds; "
                   "guessed from the -o file's suffix when not given.")
@click.option("--top", type=click.IntRange(1, 50), default=7, show_default=True,
              help="How many steps the plan has.")
@click.option("--per-category", type=click.IntRange(1, 50), default=2, show_default=True,
              help="At most this many steps from one category.")
@click.option("--explain", is_flag=True, help="Show each step's score and the answers behind it.")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of printing.")
@loading_options
def plan(answers: Path, fmt: str | None, top: int, per_category: int, explain: bool,
         out: Path | None, **loading: Any) -> None:
    """Make the plan for an ANSWERS file (TOML or JSON; - reads standard input)."""
    from .questionnaire import read_answers
    from .render import RenderOptions

    app = load_app(**loading)
    fmt = fmt or _format_for(out, app.renderers) or "text"
    if fmt not in app.renderers:
        raise click.BadParameter(f"unknown format {fmt!r}; available: {', '.join(sorted(app.renderers))}",
                                 param_hint="--format")
    raw, source, lines = read_answers(answers)
    situation = app.situation(raw, source=source, lines=lines)
    result = app.plan(situation, top=top, per_category=per_category)
    output(app.render(result, fmt, RenderOptions(explain=explain)), out)


def _format_for(path: Path | None, renderers: dict[str, Any]) -> str | None:
    if path is None:
        return None
    for name, renderer in sorted(renderers.items()):
        if renderer.suffix and path.suffix.lower() == renderer.suffix:
            return name
    return None


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@loading_options
def plugins(fmt: str, **loading: Any) -> None:
    """List the loaded plugins and the packs they provide."""
    from .render.json import dumps

    app = load_app(**loading)
    listing = app.plugin_list()
    if fmt == "json":
        click.echo(dumps([
            {"name": info.name, "source": info.source, "version": info.version,
             "hooks": list(info.hooks),
             "packs": [{"id": p.id, "version": p.version, "rules": len(p.rules),
                        "questions": len(p.questions)} for p in packs]}
            for info, packs in listing]), nl=False)
        return
    for info, packs in listing:
        version = f" {info.version}" if info.version else ""
        click.echo(f"{info.name}{version}  ({info.source})")
        click.echo(f"    hooks: {', '.join(h.removeprefix('bounceback_') for h in info.hooks)}")
        for pack in packs:
            click.echo(f"    pack {pack.id} {pack.version}: {len(pack.rules)} rules, "
                       f"{len(pack.questions)} questions")
    for skipped in app.skipped:
        click.echo(f"{skipped.name}  (skipped: {skipped.error})")


@cli.group()
def packs() -> None:
    """Check and inspect content packs."""


@packs.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--disable", multiple=True, metavar="NAME", help="Validate without this plugin.")
@click.option("--no-plugins", is_flag=True, help="Validate beside the built-in packs only.")
def validate(paths: tuple[Path, ...], fmt: str, disable: tuple[str, ...], no_plugins: bool) -> None:
    """Check pack files or folders, reporting every problem at once (exit 2 if any)."""
    from .api import validate_packs
    from .render.json import dumps

    result = validate_packs(paths, disable=disable, entry_points=not no_plugins)
    if fmt == "json":
        click.echo(dumps({
            "ok": not result.problems,
            "files": [str(f) for f in result.files],
            "packs": [{"id": p.id, "version": p.version, "file": str(p.path), "rules": len(p.rules),
                       "questions": len(p.questions)} for p in result.packs],
            "problems": [p.to_dict() for p in result.problems],
        }), nl=False)
    else:
        for problem in result.problems:
            click.echo(str(problem))
        for pack in result.packs:
            status = "problems" if any(p.source == str(pack.path) for p in result.problems) else "ok"
            click.echo(f"{pack.path}: {status} (pack {pack.id} {pack.version}: "
                       f"{len(pack.rules)} rules, {len(pack.questions)} questions)", err=True)
        count = len(result.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found" if count
                   else "All packs are valid.", err=True)
    if result.problems:
        sys.exit(EXIT_INPUT)


# -- batch ------------------------------------------------------------------------------------

@cli.command()
@click.argument("input_path", metavar="INPUT",
                type=click.Path(path_type=Path, allow_dash=True, dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for plans.jsonl, errors.jsonl, summary.json and summary.md (created if needed).")
@click.option("--jobs", type=click.IntRange(1, 512), default=None,
              help="Worker processes  [default: the machine's cores]")
@click.option("--id-column", default="id", show_default=True, metavar="NAME",
              help="The column (or JSON key) that identifies participants.")
@click.option("--ignore-column", "ignore", multiple=True, metavar="NAME",
              help="Leave this column out, e.g. a timestamp or e-mail (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="Input format  [default: from the suffix, else JSON Lines if the file starts with '{']")
@click.option("--top", type=click.IntRange(1, 50), default=7, show_default=True,
              help="How many steps each plan has.")
@click.option("--per-category", type=click.IntRange(1, 50), default=2, show_default=True,
              help="At most this many steps from one category.")
@loading_options
def batch(input_path: Path, out_dir: Path, jobs: int | None, id_column: str, ignore: tuple[str, ...],
          fmt: str | None, top: int, per_category: int, packs: tuple[Path, ...],
          disable: tuple[str, ...], no_plugins: bool, strict: bool) -> None:
    """Plan a whole cohort: INPUT is a CSV file (header = question ids plus an id column) or JSON
    Lines (one answers object a line); - reads standard input.

    \b
    Every row becomes a plan in OUT/plans.jsonl or an error record in OUT/errors.jsonl;
    OUT/summary.md tells coaches who to contact first and what was recommended.
    """
    import os

    from .batch import CohortInput, Setup, app_for, count_lines, run_batch

    setup = Setup(packs=tuple(str(p) for p in packs), disable=disable, entry_points=not no_plugins,
                  strict=strict, top=top, per_category=per_category)
    warn_skipped(app_for(setup))
    cohort = CohortInput(input_path, fmt, id_column, ignore)
    jobs = jobs or os.cpu_count() or 1
    total = count_lines(input_path) if sys.stderr.isatty() else None
    if total:
        with click.progressbar(length=total, label="Planning", file=sys.stderr) as bar:
            summary = run_batch(cohort, out_dir, setup, jobs=jobs, progress=bar.update)
            bar.update(max(0, bar.length - bar.pos))  # the last record may end before the last line
    else:
        summary = run_batch(cohort, out_dir, setup, jobs=jobs)
    click.echo(f"participants: {summary.participants}, plans: {summary.plans}, rows with errors: "
               f"{summary.errors}, safety step: {summary.safety_count}\n"
               f"Wrote {out_dir}: plans.jsonl, errors.jsonl, summary.json, summary.md", err=True)
    if summary.errors:
        click.echo(f"warning: rows that could not be planned: {summary.errors} "
                   f"(see {out_dir / 'errors.jsonl'})", err=True)
    if summary.internal_errors:
        click.echo(f"internal error: rows that hit a bug: {summary.internal_errors} (code 'internal' "
                   "in errors.jsonl); please report it.", err=True)
        sys.exit(EXIT_INTERNAL)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="bounceback")

