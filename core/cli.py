"""The ``bounceback`` command line: parsing and printing only; the work is in the API."""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import sys
import traceback
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import AnswersError, BouncebackError, Problem

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INPUT = 2
EXIT_INTERNAL = 1


class Group(click.Group):
    """Turns input errors into clear messages (exit 2) and bugs into short ones (exit 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        from .stopping import Stopped, stop_on_signals

        try:
            with stop_on_signals():
                result = super().invoke(ctx)
            remind_skipped(ctx)
            return result
        except BouncebackError as exc:
            report_problems(exc)
            ctx.exit(exc.exit_code)
        except click.exceptions.Exit:
            raise
        except click.ClickException as exc:  # a usage error: it may quote what was typed
            shown = io.StringIO()
            exc.show(file=shown)
            echo(shown.getvalue(), nl=False, err=True)
            ctx.exit(exc.exit_code)
        except Stopped as exc:  # SIGTERM, SIGHUP: cleaned up as after Ctrl-C
            echo(f"Stopped by {exc}.", err=True)
            ctx.exit(128 + exc.signum)
        except (KeyboardInterrupt, click.Abort) as exc:
            if isinstance(exc, click.Abort) and not isinstance(exc.__context__, KeyboardInterrupt):
                raise  # end of input at a prompt, or a "no" to a confirmation
            echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in bounceback or a plugin; run with --debug for details.",
                       err=True)
            ctx.exit(EXIT_INTERNAL)


def echo(message: str = "", *, nl: bool = True, err: bool = False) -> None:
    """Print ``message`` with its control characters neutralised (:mod:`bounceback.safetext`):
    everything the CLI prints goes through here, so no answer, pack text, id or file name can
    drive the terminal."""
    from .safetext import neutralise

    if not err and sys.stdout is None:  # started with standard output closed (>&-)
        raise BouncebackError(Problem("standard output is closed, so nothing can be printed; "
                                      "write to a file with -o FILE, or redirect the output",
                                      "<stdout>", code="closed"))
    click.echo(neutralise(message), nl=nl, err=err)


def report_problems(exc: BouncebackError) -> None:
    """Print each problem of ``exc`` on its own line to standard error."""
    for problem in exc.problems:
        echo(f"error: {problem}", err=True)


def loading_options(func: F) -> F:
    """The options that choose which plugins and packs load."""
    options = [
        click.option("--pack", "packs", multiple=True, type=click.Path(exists=True, path_type=Path),
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


def selection_options(func: F) -> F:
    """``--top`` and ``--per-category``: how many steps a plan has, and from one category."""
    func = click.option("--per-category", type=click.IntRange(1, 50), default=2, show_default=True,
                        help="At most this many steps from one category.")(func)
    return click.option("--top", type=click.IntRange(1, 50), default=7, show_default=True,
                        help="How many steps the plan has.")(func)


def load_app(packs: tuple[Path, ...], disable: tuple[str, ...], no_plugins: bool, strict: bool,
             **_: Any) -> Any:
    """Load the API with the CLI's loading options, warning about skipped plugins."""
    from .api import load

    if "base" in disable:
        raise BouncebackError(Problem("the base plugin cannot be disabled: its questions and "
                                      "signals are what every pack builds on", field="--disable"))
    app = load(packs=packs, disable=disable, entry_points=not no_plugins, strict=strict)
    warn_skipped(app)
    click.get_current_context().meta["bounceback.skipped"] = app.skipped
    return app


def remind_skipped(ctx: click.Context) -> None:
    """Repeat on the last line that plugins or packs failed (their warnings came first, maybe
    hundreds of lines up)."""
    skipped = ctx.meta.get("bounceback.skipped")
    if skipped:
        names = ", ".join(dict.fromkeys(s.name for s in skipped))
        echo(f"warning: done without {plural(len(skipped), 'plugin or pack')} that failed to "
             f"load: {names} (see the warnings above; --strict makes this an error)", err=True)


def warn_skipped(app: Any) -> None:
    """Warn on standard error about each plugin that failed to load."""
    for skipped in app.skipped:
        echo(f"warning: skipped plugin {skipped.name} ({skipped.hook}): {skipped.error}", err=True)


def plural(count: int, word: str) -> str:
    """``1 rule``, ``2 rules``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def pack_counts(pack: Any) -> str:
    """``12 rules, 1 question`` for a pack."""
    return f"{plural(len(pack.rules), 'rule')}, {plural(len(pack.questions), 'question')}"


class Day(click.ParamType):
    """A calendar day written YYYY-MM-DD, in the years calendars handle (1000 to 9998: a plan
    runs for weeks after its start)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.fail(f"{text!r} is not a date written YYYY-MM-DD (e.g. 2026-03-02)", param, ctx)
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            self.fail(f"{text!r} is not a day of the calendar ({exc})", param, ctx)
        if not 1000 <= day.year <= 9998:
            self.fail(f"{text!r}: expected a year from 1000 to 9998", param, ctx)
        return day


class OutputFile(click.ParamType):
    """An ``-o`` file, checked by the rules for outputs (:func:`bounceback.files.output_target`)
    before any work is done: a read-only file, a folder, a missing folder... is an input error.
    ``-`` is standard output where ``dash`` allows it."""

    name = "file"

    def __init__(self, dash: bool = False):
        self.dash = dash

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        if str(value) == STDOUT:
            if not self.dash:
                self.fail("'-' (standard output) is not possible here; give a file name", param, ctx)
            return Path(STDOUT)
        from .files import output_target

        output_target(value)  # raises BouncebackError saying why not
        return Path(value)


#: ``-o -``: print instead of writing a file.
STDOUT = "-"


def output_option(func: F) -> F:
    """``-o FILE``: write to this file instead of printing (``-`` prints)."""
    return click.option("-o", "--output", "out", type=OutputFile(dash=True),
                        help="Write to this file instead of printing; - prints (see 'Output "
                             "files' in docs/user-guide.md).")(func)


def output(text: str, path: Path | None) -> None:
    """Print ``text`` (no ``path``, or ``-``), or write it to ``path`` by the rules for output
    files; either way with control characters neutralised."""
    if path is None or str(path) == STDOUT:
        echo_long(text)
        return
    from .files import write_text
    from .safetext import neutralise

    written = write_text(path, neutralise(text), newline="")  # keep line endings as rendered (ICS: CRLF)
    echo(f"Wrote {describe_written(path, written)}", err=True)


def echo_long(text: str) -> None:
    """Print ``text``; on a terminal, through a pager when it is longer than the screen."""
    if sys.stdout is not None and sys.stdout.isatty() and text.count("\n") >= shutil.get_terminal_size().lines - 1:
        from .safetext import neutralise

        click.echo_via_pager(neutralise(text))
    else:
        echo(text, nl=False)


def describe_written(path: Path, written: Any) -> str:
    """``answers.toml``, or ``link.toml (the file it links to: /real/answers.toml)``."""
    return str(path) if written.path == path else f"{path} (the file it links to: {written.path})"


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bounceback")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """Turn your answers after an interview rejection into a ranked, explained plan.

    \b
    Start here:
      bounceback serve                                  # answer in your web browser
      bounceback ask -o answers.toml                    # answer question by question
      bounceback questions --template -o answers.toml   # ...or fill in a blank file
      bounceback plan answers.toml                      # your plan
    """


@cli.command()
@click.argument("answers", type=click.Path(path_type=Path, allow_dash=True))
@click.option("-f", "--format", "fmt", default=None, metavar="FORMAT",
              help="text (default), markdown, html, ics, json, or any format a plugin adds; "
                   "when not given, the -o file's suffix says (.txt .md .html .ics .json).")
@selection_options
@click.option("--explain", is_flag=True, help="Show each step's score and the answers behind it.")
@click.option("--start", type=Day(), default=None, metavar="YYYY-MM-DD",
              help="First day of the plan, for dated output such as ics (default: today).")
@output_option
@loading_options
def plan(answers: Path, fmt: str | None, top: int, per_category: int, explain: bool,
         start: date | None, out: Path | None, **loading: Any) -> None:
    """Make the plan for an ANSWERS file (TOML or JSON; - reads standard input).

    \b
    Formats: text (default), markdown, html (a printable page), ics (calendar), json.
    Why is a rule in the plan, or not?  bounceback explain ANSWERS RULE_ID"""
    from .questionnaire import read_answers
    from .render import RenderOptions

    app = load_app(**loading)
    fmt = choose_format(fmt, out, app.renderers)
    raw, source, lines = read_answers(answers)
    situation = app.situation(raw, source=source, lines=lines)
    result = app.plan(situation, top=top, per_category=per_category)
    options = RenderOptions(explain=explain, start=start)
    output(app.render(result, fmt, options), out)


def choose_format(fmt: str | None, out: Path | None, renderers: Mapping[str, Any]) -> str:
    """The plan's output format: ``--format``, else the one the ``-o`` file's suffix names,
    else text (no ``-o``, ``-o -``, a name without a suffix, a device or a FIFO).

    An unknown format, an unknown suffix without ``--format`` (``plan.pdf``) and a ``--format``
    that contradicts the suffix are usage errors naming the formats.
    """
    if fmt is not None and fmt not in renderers:
        raise click.BadParameter(f"unknown format {fmt!r}; available: {', '.join(sorted(renderers))}",
                                 param_hint="--format")
    suffix = out.suffix.lower() if out is not None and str(out) != STDOUT else ""
    if not suffix:
        return fmt or "text"
    by_suffix = {r.suffix: name for name, r in sorted(renderers.items(), reverse=True) if r.suffix}
    if suffix not in by_suffix:
        from .files import THROUGH, output_target

        if fmt is not None or output_target(out).how == THROUGH:  # a device's name is no format
            return fmt or "text"
        known = ", ".join(f"{s} ({name})" for s, name in sorted(by_suffix.items()))
        hint = (" For a PDF, write .html and print it to PDF from your browser." if suffix == ".pdf"
                else "")
        raise click.UsageError(f"-o {out}: bounceback does not write {suffix} files; use one of "
                               f"{known}, or give --format.{hint}")
    if fmt is not None and fmt != by_suffix[suffix] and renderers[fmt].suffix != suffix:
        raise click.UsageError(f"--format {fmt} does not match -o {out} (a {suffix} file is "
                               f"{by_suffix[suffix]}); leave out one of them")
    return fmt or by_suffix[suffix]


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@loading_options
def plugins(fmt: str, **loading: Any) -> None:
    """List the loaded plugins and the packs they provide."""
    from .render.json import dumps

    app = load_app(**loading)
    listing = app.plugin_list()
    if fmt == "json":
        echo(dumps([
            {"name": info.name, "source": info.source, "version": info.version,
             "hooks": list(info.hooks),
             "packs": [{"id": p.id, "version": p.version, "rules": len(p.rules),
                        "questions": len(p.questions)} for p in packs]}
            for info, packs in listing]), nl=False)
        return
    for info, packs in listing:
        version = f" {info.version}" if info.version else ""
        echo(f"{info.name}{version}  ({info.source})")
        echo(f"    hooks: {', '.join(h.removeprefix('bounceback_') for h in info.hooks)}")
        for pack in packs:
            echo(f"    pack {pack.id} {pack.version}: {pack_counts(pack)}")
    for skipped in app.skipped:
        echo(f"{skipped.name}  (skipped: {skipped.error})")


@cli.group()
def packs() -> None:
    """Create, check, test and inspect content packs."""


@packs.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--disable", multiple=True, metavar="NAME", help="Validate without this plugin.")
@click.option("--no-plugins", is_flag=True, help="Validate beside the built-in packs only.")
@click.option("--fail-on-warnings", is_flag=True, help="Exit 2 on warnings too (rules that never fire...).")
def validate(paths: tuple[Path, ...], fmt: str, disable: tuple[str, ...], no_plugins: bool,
             fail_on_warnings: bool) -> None:
    """Check pack files or folders, reporting every problem at once (exit 2 if any).

    Errors (broken TOML, unknown names, type mismatches, duplicates, dangling references...)
    fail; warnings (rules that can never fire or are always masked) are reported but do not,
    unless --fail-on-warnings.
    """
    from .api import validate_packs
    from .render.json import dumps

    result = validate_packs(paths, disable=disable, entry_points=not no_plugins)
    findings = [("error", p) for p in result.problems] + [("warning", p) for p in result.warnings]
    if fmt == "json":
        echo(dumps({
            "ok": not result.problems,
            "errors": len(result.problems),
            "warnings": len(result.warnings),
            "files": [str(f) for f in result.files],
            "packs": [{"id": p.id, "version": p.version, "file": str(p.path), "rules": len(p.rules),
                       "questions": len(p.questions)} for p in result.packs],
            "problems": [{"severity": severity, **p.to_dict()} for severity, p in findings],
        }), nl=False)
    else:
        for severity, problem in findings:
            echo(f"{severity}: {problem}")
        for pack in result.packs:
            mine = {severity for severity, p in findings if p.source == pack.source}
            status = "problems" if "error" in mine else "warnings" if mine else "ok"
            echo(f"{pack.path}: {status} (pack {pack.id} {pack.version}: "
                       f"{pack_counts(pack)})", err=True)
        echo(_count_summary(len(result.problems), len(result.warnings)), err=True)
    if result.problems or (fail_on_warnings and result.warnings):
        sys.exit(EXIT_INPUT)


def _count_summary(errors: int, warnings: int) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    if errors:
        return count(errors, "problem") + (f" and {count(warnings, 'warning')}" if warnings else "") + " found"
    return "All packs are valid" + (f" ({count(warnings, 'warning')})." if warnings else ".")


@packs.command("new")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False),
              help="Create the project here (default: ./bounceback-NAME); must be new or empty.")
def new(name: str, directory: Path | None) -> None:
    """Create an installable plugin project for a new pack called NAME.

    \b
    It has a pyproject.toml with the bounceback entry point, the plugin module, a TOML pack
    with an example question, signal and two rules, example personas, a pytest test and a
    README. Then:
      cd bounceback-NAME && pip install -e '.[test]' && pytest
    """
    from .scaffold import Names, scaffold

    written = scaffold(name, directory)
    names = Names.from_name(name)
    root = Path(directory) if directory is not None else Path(names.distribution)
    for path in written:
        echo(f"created {path}")
    echo(f"\nNext:\n  cd {root}\n  pip install -e '.[test]'\n  pytest\n"
               f"  bounceback packs show {names.pack_id}")


@packs.command("test")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option("--personas", "personas_dir", type=click.Path(path_type=Path, file_okay=False),
              help="The personas folder (default: PATH/personas, or personas/ beside a pack file).")
@click.option("--pack", "extra", multiple=True, type=click.Path(path_type=Path, exists=True),
              help="Also load these packs (ones PATH depends on; repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def test_pack(path: Path, personas_dir: Path | None, extra: tuple[Path, ...], fmt: str) -> None:
    """Plan the example personas of the pack(s) at PATH and check their expectations.

    The pack is loaded beside the built-in packs (installed plugins are not loaded), strictly:
    a pack problem is an error. Each persona is NAME.answers.toml plus NAME.expect.toml.
    Exit status 2 when any persona fails.
    """
    from .render.json import dumps
    from .testing import describe_failure, load_for_test, run_personas

    folder = personas_dir or (path / "personas" if path.is_dir() else path.parent / "personas")
    results = run_personas(folder, load_for_test(packs=[path, *extra]))
    failed = [r for r in results if not r.passed]
    if fmt == "json":
        echo(dumps({"ok": not failed, "personas": [r.to_dict() for r in results]}), nl=False)
    else:
        for result in results:
            echo(f"{'PASS' if result.passed else 'FAIL'}  {result.persona.name}  "
                       f"topics: {', '.join(result.topics) or '(no plan)'}")
            if not result.passed:
                echo("\n".join("      " + line for line in describe_failure(result).splitlines()[1:]))
        echo(f"{len(results)} personas: {len(results) - len(failed)} passed, {len(failed)} failed",
                   err=True)
    if failed:
        sys.exit(EXIT_INPUT)


@packs.command("show")
@click.argument("pack_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@loading_options
def show(pack_id: str, fmt: str, **loading: Any) -> None:
    """Show a loaded pack: its questions, signals, rules (with what triggers each) and templates."""
    from .packview import describe_pack, find_pack, render_text
    from .render.json import dumps

    app = load_app(**loading)
    data = describe_pack(find_pack(app, pack_id), app)
    echo(dumps(data) if fmt == "json" else render_text(data), nl=False)


@packs.command("catalog")
@output_option
@loading_options
def catalog(out: Path | None, **loading: Any) -> None:
    """Print the advice catalogue of every loaded pack as Markdown."""
    from .catalog import render_catalog

    output(render_catalog(load_app(**loading).packs), out)


# -- the questionnaire and explanations (questions, ask, explain) --------------------------------

@cli.command()
@click.option("-f", "--format", "fmt",
              type=click.Choice(["text", "markdown", "json", "csv", "form", "apps-script"]),
              default="text", show_default=True,
              help="csv is one header row of question ids, for a spreadsheet of answers; form is a "
                   "checklist to build the form in any survey tool, apps-script a Google Apps Script "
                   "that creates the Google Form.")
@click.option("--template", is_flag=True,
              help="Write a blank answers file (TOML) with every question explained, to fill in.")
@output_option
@loading_options
def questions(fmt: str, template: bool, out: Path | None, **loading: Any) -> None:
    """Show the questionnaire, or write a blank answers file with --template.

    \b
    bounceback questions --template -o answers.toml   # then fill it in and:
    bounceback plan answers.toml
    """
    if template and fmt != "text":
        raise click.UsageError("--template writes TOML; leave out --format")
    app = load_app(**loading)
    if template:
        from .asking import answers_toml

        text = answers_toml(app.questionnaire, filename=str(out or "answers.toml"))
    else:
        from .render.questionnaire import render

        text = render(app.questionnaire, fmt)
    output(text, out)


@cli.command()
@click.option("-o", "--output", "out", type=OutputFile(), default="answers.toml",
              show_default=True, help="Where to save the answers.")
@click.option("--replace", is_flag=True,
              help="Replace the file if it exists, without asking (for piped answers).")
@click.option("--resume", is_flag=True,
              help="Go on where an earlier `ask` was stopped, keeping the answers it saved.")
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
    from .asking import Unfinished, answers_toml, partial_path, prepare_input, resumable_answers
    from .asking import ask as ask_questions
    from .questionnaire import read_answers
    from .files import THROUGH, output_target, write_text
    from .render import RenderOptions
    from .safetext import neutralise

    interactive = prepare_input(sys.stdin)
    app = load_app(**loading)
    echo("Answer each question and press Enter. Optional questions can be skipped with Enter.\n"
         "Type < (or back) to return to the previous question.")
    through = output_target(out).how == THROUGH  # a device or FIFO is not replaced
    if out.exists() and not through and not replace:
        if not interactive:  # a confirmation would eat the first piped answer
            raise BouncebackError(Problem("already exists; answers that are piped in cannot "
                                          "confirm replacing it: add --replace, or choose another "
                                          "file with -o", str(out), code="exists"))
        click.confirm(neutralise(f"{out} already exists. Replace it with your new answers?"),
                      abort=True)

    partial = None if through else partial_path(out)
    earlier: dict[str, Any] = {}
    start = 0
    if resume:
        if partial is None or not partial.exists():
            raise BouncebackError(Problem("there is nothing to resume: no unfinished answers were "
                                          "saved here; run `bounceback ask` to start",
                                          str(partial or out), code="no-partial"))
        raw, _, _ = read_answers(partial)
        earlier, start = resumable_answers(app.questionnaire, raw, echo)

    def read(label: str) -> str:
        return click.prompt(label, default="", show_default=False)

    def confirm(question: str, default: bool) -> bool:
        try:
            return click.confirm(neutralise(question), default=default)
        except click.Abort:  # no more input (piped answers): the answers are saved, that is enough
            return False

    try:
        answers = ask_questions(app.questionnaire, read, echo, answers=earlier, start=start,
                                review=interactive)
    except Unfinished as stop:
        kept = "nothing was saved"
        if stop.answers and partial is not None:
            again = "bounceback ask --resume" + ("" if out == Path("answers.toml") else
                                                 f" -o {shlex.quote(str(out))}")
            write_text(partial, answers_toml(app.questionnaire, stop.answers, filename=str(out),
                                             resume=again, reached=stop.asked))
            kept = (f"your {len(stop.answers)} answers so far are saved in {partial}; "
                    f"to go on, run: {again}")
        raise AnswersError(Problem(f"{stop.where}; {kept}", "<stdin>", field=stop.field,
                                   code="incomplete")) from None
    written = write_text(out, answers_toml(app.questionnaire, answers, filename=str(out)))
    if partial is not None:
        partial.unlink(missing_ok=True)
    echo(f"\nSaved your answers to {describe_written(out, written)}. Edit it any time, "
         f"then run: bounceback plan {out}")
    plan = app.plan(answers)
    page = (Path() if through else out.parent) / "plan.html"
    if confirm(f"Save your plan as a page to read and print ({page})?", True):
        if page.exists() and output_target(page).how != THROUGH and \
                not confirm(f"{page} already exists. Replace it?", False):
            return
        saved = write_text(page, app.render(plan, "html", RenderOptions()))
        echo(f"Saved your plan to {saved.path.resolve()}: open it in your web browser to read "
             "or print it.")
    elif confirm("Show it here instead?", False):
        echo("")
        echo_long(app.render(plan, "text"))


@cli.command()
@click.argument("answers", type=click.Path(path_type=Path, allow_dash=True))
@click.argument("rule_id")
@selection_options
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@loading_options
def explain(answers: Path, rule_id: str, top: int, per_category: int, fmt: str,
            **loading: Any) -> None:
    """Why rule RULE_ID is in the plan for ANSWERS, or why not.

    Shows which parts of the rule's condition held or failed (with your answers), its score,
    and whether a limit dropped it: the --top cut, the --per-category cap, or a step that
    excludes it. Rule ids are the steps' "id" in `bounceback plan ANSWERS --format json`.
    """
    from .explaining import explain_rule, render_text
    from .questionnaire import read_answers
    from .render.json import dumps

    app = load_app(**loading)
    raw, source, lines = read_answers(answers)
    situation = app.situation(raw, source=source, lines=lines)
    result = explain_rule(app, situation, rule_id, top=top, per_category=per_category)
    echo(dumps(result.to_dict()) if fmt == "json" else render_text(result), nl=False)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Listen on this port of 127.0.0.1  [default: a free one]")
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
        from .web.server import run
    except ImportError as exc:
        raise click.UsageError(f"bounceback serve needs the web extra ({exc.name} is not installed): "
                               "pip install 'bounceback[web]'") from None
    app = load_app(**loading)

    def announce(url: str) -> None:
        echo(url)
        sys.stdout.flush()
        echo("Your questionnaire is at the address above"
             + ("" if no_browser else " (opening it in your browser)")
             + ". Press Ctrl-C to stop.", err=True)

    run(app, port=port, open_browser=not no_browser, announce=announce, top=top,
        per_category=per_category)
    echo("Stopped.", err=True)


# -- batch and map ----------------------------------------------------------------------------

def input_options(func: F) -> F:
    """How a cohort file is read: ``--id-column``, ``--ignore-column``, ``--format``, ``--encoding``."""
    options = [
        click.option("--id-column", default="id", show_default=True, metavar="NAME",
                     help="The column (or JSON key) that identifies participants."),
        click.option("--ignore-column", "ignore", multiple=True, metavar="NAME",
                     help="Leave this column out, e.g. a timestamp (repeatable)."),
        click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "jsonl"]), default=None,
                     help="Input format  [default: from the suffix, else JSON Lines if the file starts "
                          "with '{']"),
        click.option("--encoding", default=None, metavar="NAME",
                     help="Text encoding of a CSV file, e.g. cp1252 or latin-1  [default: UTF-8, or "
                          "UTF-16 by its byte-order mark]"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("map")
@click.argument("input_path", metavar="INPUT",
                type=click.Path(path_type=Path, allow_dash=True, dir_okay=False))
@output_option
@input_options
@loading_options
def map_columns(input_path: Path, out: Path | None, id_column: str, ignore: tuple[str, ...],
                fmt: str | None, encoding: str | None, **loading: Any) -> None:
    """Propose how an export's columns and answers map to the questionnaire.

    Writes a mapping (TOML) for you to review: each column matched to a question by its id or
    text, each answer label to an option, every unmatched column and value marked UNMATCHED.
    Then: bounceback batch INPUT --mapping mapping.toml --out results/
    """
    from .batch import CohortInput
    from .proposal import propose_file

    app = load_app(**loading)
    cohort = CohortInput(input_path, fmt, id_column, ignore, encoding)
    text, proposed = propose_file(cohort, app.questionnaire)
    output(text, out)
    columns, values = proposed.unmatched_columns, proposed.unmatched_values
    echo(f"columns: {len(proposed.columns)}, unmatched columns: {len(columns)}, unmatched answers: "
               f"{sum(map(len, values.values()))}", err=True)
    for name in columns:
        echo(f"unmatched column: {name}", err=True)
    for question_id, labels in values.items():
        echo(f"unmatched answers of {question_id}: {', '.join(labels)}", err=True)


@cli.command()
@click.argument("input_path", metavar="INPUT",
                type=click.Path(path_type=Path, allow_dash=True, dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for plans.jsonl, errors.jsonl, summary.json and summary.md (created if needed).")
@click.option("--jobs", type=click.IntRange(1, 512), default=None,
              help="Worker processes  [default: the machine's cores]")
@click.option("--mapping", "mapping_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="How columns and answers map to questions (from `bounceback map`, reviewed)  "
                   "[default: matched automatically]")
@click.option("--per-person", default=None, metavar="FORMATS",
              help="Also write each participant's plan to OUT/people/ in these formats, e.g. html,md,ics.")
@click.option("--xlsx", is_flag=True, help="Also write OUT/roster.xlsx (needs the xlsx extra).")
@click.option("--max-error-rate", type=click.FloatRange(0, 1), default=0.2, show_default=True,
              help="Exit 2 when more than this share of rows could not be planned (a misread export).")
@input_options
@selection_options
@loading_options
def batch(input_path: Path, out_dir: Path, jobs: int | None, mapping_path: Path | None,
          per_person: str | None, xlsx: bool, max_error_rate: float, id_column: str, ignore: tuple[str, ...],
          fmt: str | None, encoding: str | None, top: int, per_category: int, packs: tuple[Path, ...],
          disable: tuple[str, ...], no_plugins: bool, strict: bool) -> None:
    """Plan a whole cohort from a survey export (CSV, .xlsx) or JSON Lines.

    INPUT is a table whose header holds question ids or texts, as Google Forms, Microsoft
    Forms, Typeform, Qualtrics, SurveyMonkey or a spreadsheet write it, or JSON Lines (one
    answers object a line); - reads standard input. Every row becomes a plan in
    OUT/plans.jsonl or an error record in OUT/errors.jsonl; OUT/summary.md tells coaches who to
    contact first and what was recommended. Guide: docs/cohort.md.
    """
    from .batch import OUTPUT_FILES, WORKBOOK, CohortInput, Setup, app_for, count_lines, run_batch
    from .roster import parse_formats

    formats = parse_formats(per_person) if per_person is not None else ()
    setup = Setup(packs=tuple(str(p) for p in packs), disable=disable, entry_points=not no_plugins,
                  strict=strict, top=top, per_category=per_category, per_person=formats)
    warn_skipped(app_for(setup))
    cohort = CohortInput(input_path, fmt, id_column, ignore, encoding, mapping_path)
    cores = os.cpu_count() or 1
    if jobs is not None and jobs > cores:
        echo(f"note: --jobs {jobs} is more than this machine's {plural(cores, 'core')}; using "
             f"{cores} (more workers only take memory)", err=True)
    jobs = min(jobs or cores, cores)
    total = count_lines(input_path) if sys.stderr.isatty() else None
    if total:
        with click.progressbar(length=total, label="Planning", file=sys.stderr) as bar:
            summary = run_batch(cohort, out_dir, setup, jobs=jobs, progress=bar.update, xlsx=xlsx)
            bar.update(max(0, bar.length - bar.pos))  # the last record may end before the last line
    else:
        summary = run_batch(cohort, out_dir, setup, jobs=jobs, xlsx=xlsx)
    written = [*OUTPUT_FILES, *([WORKBOOK] if xlsx else []), *(["people/"] if formats else [])]
    echo(f"participants: {summary.participants}, plans: {summary.plans}, rows with errors: "
               f"{summary.errors}, "
               + ", ".join(f"{tier}: {n}" for tier, n in summary.tiers)
               + f", not screened: {summary.not_screened}\n"
               f"Wrote {out_dir}: {', '.join(written)}", err=True)
    if summary.errors:
        echo(f"warning: rows that could not be planned: {summary.errors} "
                   f"(see {out_dir / 'errors.jsonl'})", err=True)
    if summary.internal_errors:
        echo(f"internal error: rows that hit a bug: {summary.internal_errors} (code 'internal' "
                   "in errors.jsonl); please report it.", err=True)
        sys.exit(EXIT_INTERNAL)
    if summary.participants and summary.errors > max_error_rate * summary.participants:
        echo(f"error: {summary.errors} of {summary.participants} rows "
                   f"({100 * summary.errors / summary.participants:.0f} %) could not be planned, more than "
                   f"--max-error-rate {max_error_rate:g} allows: is the export read as it should be (its "
                   f"columns, answers, encoding)? See {out_dir / 'summary.md'}, or bounceback map "
                   f"{input_path} to check the mapping.", err=True)
        sys.exit(EXIT_INPUT)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="bounceback")

