"""What every command shares: turning errors into messages and exit codes, printing through
:func:`echo`, the loading, selection and output options."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ..defaults import DEFAULT_PER_CATEGORY, DEFAULT_TOP, MAX_TOP
from ..errors import BouncebackError, Problem, did_you_mean, plural

F = TypeVar("F", bound=Callable[..., Any])


EXIT_INPUT = 2
EXIT_INTERNAL = 1


class Group(click.Group):
    """Turns input errors into clear messages (exit 2) and bugs into short ones (exit 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..stopping import Stopped, stop_on_signals

        try:
            with stop_on_signals():
                result = super().invoke(ctx)
            remind_skipped(ctx)
            return result
        except BouncebackError as exc:
            _on_stderr(report_problems, exc)
            ctx.exit(exc.exit_code)
        except click.exceptions.Exit:
            raise
        except click.ClickException as exc:  # a usage error: it may quote what was typed
            shown = io.StringIO()
            exc.show(file=shown)
            _on_stderr(echo, shown.getvalue(), nl=False, err=True)
            ctx.exit(exc.exit_code)
        except Stopped as exc:  # SIGTERM, SIGHUP: cleaned up as after Ctrl-C
            _on_stderr(echo, f"Stopped by {exc}.", err=True)
            ctx.exit(128 + exc.signum)
        except (KeyboardInterrupt, click.Abort) as exc:
            if isinstance(exc, click.Abort) and not isinstance(exc.__context__, KeyboardInterrupt):
                raise  # end of input at a prompt, or a "no" to a confirmation
            _on_stderr(echo, "Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            _on_stderr(
                echo,
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in bounceback or a plugin; run with --debug for details.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


def _on_stderr(say: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    """``say(*args, **kwargs)``, which writes why the command stops to standard error; when that
    is closed or gone (``2>&1 | head -0``), the exit code alone tells it, unchanged."""
    with contextlib.suppress(OSError):
        say(*args, **kwargs)


def echo(message: str = "", *, nl: bool = True, err: bool = False) -> None:
    """Print ``message`` with its control characters neutralised (:mod:`bounceback.safetext`):
    everything the CLI prints goes through here, so no answer, pack text, id or file name can
    drive the terminal."""
    from ..safetext import neutralise

    if not err and sys.stdout is None:  # started with standard output closed (>&-)
        raise BouncebackError(
            Problem(
                "standard output is closed, so nothing can be printed; "
                "write to a file with -o FILE, or redirect the output",
                "<stdout>",
                code="closed",
            )
        )
    try:
        click.echo(neutralise(message), nl=nl, err=err)
    except BrokenPipeError:
        raise  # the reader went away: the command stops quietly
    except OSError as exc:
        if err:
            raise
        # A full or failing device behind standard output is the place's fault, as with -o.
        raise BouncebackError(
            Problem(f"cannot write: {exc.strerror or exc}", "<stdout>", code="write")
        ) from exc


def report_problems(exc: BouncebackError) -> None:
    """Print each problem of ``exc`` on its own line to standard error."""
    for problem in exc.problems:
        echo(f"error: {problem}", err=True)


def loading_options(func: F) -> F:
    """The options that choose which plugins and packs load."""
    options = [
        click.option(
            "--pack",
            "packs",
            multiple=True,
            type=click.Path(exists=True, path_type=Path),
            help="Also load the packs in this folder or file (repeatable).",
        ),
        click.option(
            "--disable",
            multiple=True,
            metavar="NAME",
            help="Do not load this plugin (repeatable; see `bounceback plugins`).",
        ),
        click.option("--no-plugins", is_flag=True, help="Load only built-in plugins, no installed ones."),
        click.option(
            "--strict", is_flag=True, help="Fail when a plugin or pack fails, instead of skipping it."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def selection_options(func: F) -> F:
    """``--top`` and ``--per-category``: how many steps a plan has, and from one category."""
    func = click.option(
        "--per-category",
        type=click.IntRange(1, MAX_TOP),
        default=DEFAULT_PER_CATEGORY,
        show_default=True,
        help="At most this many steps from one category.",
    )(func)
    return click.option(
        "--top",
        type=click.IntRange(1, MAX_TOP),
        default=DEFAULT_TOP,
        show_default=True,
        help="How many steps the plan has.",
    )(func)


def load_app(
    packs: tuple[Path, ...], disable: tuple[str, ...], no_plugins: bool, strict: bool, **_: Any
) -> Any:
    """Load the API with the CLI's loading options, warning about skipped plugins."""
    from ..api import load

    if "base" in disable:
        raise BouncebackError(
            Problem(
                "the base plugin cannot be disabled: its questions and signals are what every pack builds on",
                field="--disable",
            )
        )
    app = load(packs=packs, disable=disable, entry_points=not no_plugins, strict=strict)
    unknown = app.plugins.unknown_disabled
    if unknown:  # a typo would leave the plugin loaded without a word
        names = sorted(app.plugins.names(packs))
        raise BouncebackError(
            [
                Problem(
                    f"no plugin or pack is called {name!r}{did_you_mean(name, names)}; "
                    "`bounceback plugins` lists their names",
                    field="--disable",
                )
                for name in unknown
            ]
        )
    warn_skipped(app)
    click.get_current_context().meta["bounceback.skipped"] = app.skipped
    return app


def remind_skipped(ctx: click.Context) -> None:
    """Repeat on the last line that plugins or packs failed (their warnings came first, maybe
    hundreds of lines up)."""
    skipped = ctx.meta.get("bounceback.skipped")
    if skipped:
        names = ", ".join(dict.fromkeys(s.name for s in skipped))
        echo(
            f"warning: done without {plural(len(skipped), 'plugin or pack')} that failed to "
            f"load: {names} (see the warnings above; --strict makes this an error)",
            err=True,
        )


def warn_skipped(app: Any) -> None:
    """Warn on standard error about each plugin that failed to load."""
    for skipped in app.skipped:
        echo(f"warning: skipped plugin {skipped.name} ({skipped.hook}): {skipped.error}", err=True)


def pack_counts(pack: Any) -> str:
    """``12 rules, 1 question`` for a pack."""
    return f"{plural(len(pack.rules), 'rule')}, {plural(len(pack.questions), 'question')}"


class Day(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.2
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


class OutputFile(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.2
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
        from ..files import output_target

        output_target(value)  # raises BouncebackError saying why not
        return Path(value)


#: ``-o -``: print instead of writing a file.
STDOUT = "-"


def output_option(func: F) -> F:
    """``-o FILE``: write to this file instead of printing (``-`` prints)."""
    return click.option(
        "-o",
        "--output",
        "out",
        type=OutputFile(dash=True),
        help="Write to this file instead of printing; - prints (see 'Output files' in docs/user-guide.md).",
    )(func)


def would_replace(path: Path) -> bool:
    """Whether writing to ``path`` would replace an existing file (a device or FIFO is written
    through, never replaced)."""
    from ..files import THROUGH, output_target

    return path.exists() and output_target(path).how != THROUGH


def output(text: str, path: Path | None) -> None:
    """Print ``text`` (no ``path``, or ``-``), or write it to ``path`` by the rules for output
    files; either way with control characters neutralised."""
    if path is None or str(path) == STDOUT:
        echo_long(text)
        return
    from ..files import write_text
    from ..safetext import neutralise

    written = write_text(path, neutralise(text), newline="")  # keep line endings as rendered (ICS: CRLF)
    echo(f"Wrote {describe_written(path, written)}", err=True)


def echo_long(text: str) -> None:
    """Print ``text``; on a terminal, through a pager when it is longer than the screen."""
    if (
        sys.stdout is not None
        and sys.stdout.isatty()
        and text.count("\n") >= shutil.get_terminal_size().lines - 1
    ):
        from ..safetext import neutralise

        click.echo_via_pager(neutralise(text))
    else:
        echo(text, nl=False)


def describe_written(path: Path, written: Any) -> str:
    """``answers.toml``, or ``link.toml (the file it links to: /real/answers.toml)``."""
    return str(path) if written.path == path else f"{path} (the file it links to: {written.path})"
