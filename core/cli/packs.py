"""The commands for pack authors: ``plugins`` and the ``packs`` group."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..defaults import COVERAGE_SAMPLES, COVERAGE_SEED, MAX_COVERAGE_SAMPLES, REPORT_FORMATS
from .common import (
    EXIT_INPUT,
    echo,
    load_app,
    loading_options,
    output,
    output_option,
    pack_counts,
    selection_options,
)

if TYPE_CHECKING:
    from ..errors import Problem
    from ..model import Pack


@click.command()
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
@loading_options
def plugins(fmt: str, **loading: Any) -> None:
    """List the loaded plugins and the packs they provide."""
    from ..render.json import dumps

    app = load_app(**loading)
    listing = app.plugin_list()
    if fmt == "json":
        echo(
            dumps(
                [
                    {
                        "name": info.name,
                        "source": info.source,
                        "version": info.version,
                        "hooks": list(info.hooks),
                        "packs": [
                            {
                                "id": p.id,
                                "version": p.version,
                                "rules": len(p.rules),
                                "questions": len(p.questions),
                            }
                            for p in packs
                        ],
                    }
                    for info, packs in listing
                ]
            ),
            nl=False,
        )
        return
    for info, packs in listing:
        version = f" {info.version}" if info.version else ""
        echo(f"{info.name}{version}  ({info.source})")
        echo(f"    hooks: {', '.join(h.removeprefix('bounceback_') for h in info.hooks)}")
        for pack in packs:
            echo(f"    pack {pack.id} {pack.version}: {pack_counts(pack)}")
    for skipped in app.skipped:
        echo(f"{skipped.name}  (skipped: {skipped.error})")


@click.group()
def packs() -> None:
    """Create, check, test and inspect content packs."""


@packs.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
@click.option("--disable", multiple=True, metavar="NAME", help="Validate without this plugin.")
@click.option("--no-plugins", is_flag=True, help="Validate beside the built-in packs only.")
@click.option("--fail-on-warnings", is_flag=True, help="Exit 2 on warnings too (rules that never fire...).")
@click.option(
    "--coverage",
    is_flag=True,
    help="Also plan sample profiles and report how often each rule holds, is chosen, and what keeps it out.",
)
@click.option(
    "--samples",
    type=click.IntRange(1, MAX_COVERAGE_SAMPLES),
    default=COVERAGE_SAMPLES,
    show_default=True,
    help="How many sample profiles --coverage plans.",
)
@click.option(
    "--seed",
    type=int,
    default=COVERAGE_SEED,
    show_default=True,
    help="The seed of --coverage's profiles (the same seed, the same figures).",
)
@selection_options
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    disable: tuple[str, ...],
    no_plugins: bool,
    fail_on_warnings: bool,
    coverage: bool,
    samples: int,
    seed: int,
    top: int,
    per_category: int,
) -> None:
    """Check pack files or folders (the built-in packs when none is given), reporting every
    problem at once (exit 2 if any).

    Errors (broken TOML, unknown names, type mismatches, duplicates, dangling references...)
    fail; warnings (rules that can never fire or are always masked) are reported but do not,
    unless --fail-on-warnings. --coverage also plans --samples made-up profiles with the packs
    and reports each rule's hold and choice rates and what keeps it out of plans; rules
    chosen in under 5 % of their holds, and plans of fewer than 3 steps, are warnings.
    """
    from ..api import load
    from ..authoring.coverage import measure, render_text
    from ..authoring.project import is_project, project_pack_folders
    from ..authoring.validation import validate_packs
    from ..plugins import PACKS_DIR
    from ..render.json import dumps

    context = click.get_current_context()
    given = [
        f"--{name.replace('_', '-')}"
        for name in ("samples", "seed", "top", "per_category")
        if context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    ]
    if given and not coverage:
        raise click.UsageError(f"{', '.join(given)} only make sense with --coverage")
    # A plugin project folder (what `packs new` writes, what `packs test` takes) stands for its
    # pack folders: its pyproject.toml is not a pack.
    paths = tuple(
        f for p in paths or (PACKS_DIR,) for f in (project_pack_folders(p) if is_project(p) else [p])
    )
    result = validate_packs(paths, disable=disable, entry_points=not no_plugins)
    warnings = list(result.warnings)
    report = None
    if coverage and result.problems:
        echo("note: coverage is measured once the packs have no errors", err=True)
    elif coverage:
        app = load(packs=paths, disable=disable, entry_points=not no_plugins, strict=True)
        report = measure(
            app,
            samples=samples,
            seed=seed,
            packs={p.id for p in result.packs},
            top=top,
            per_category=per_category,
        )
        warnings += report.warnings(result.packs)
    findings = [("error", p) for p in result.problems] + [("warning", p) for p in warnings]
    if fmt == "json":
        echo(
            dumps(
                {
                    "ok": not result.problems,
                    "errors": len(result.problems),
                    "warnings": len(warnings),
                    "files": [str(f) for f in result.files],
                    "packs": [
                        {
                            "id": p.id,
                            "version": p.version,
                            "file": str(p.path),
                            "rules": len(p.rules),
                            "questions": len(p.questions),
                        }
                        for p in result.packs
                    ],
                    "problems": [{"severity": severity, **p.to_dict()} for severity, p in findings],
                    **(report.to_dict() if report is not None else {}),
                }
            ),
            nl=False,
        )
    else:
        _echo_findings(findings)
        if report is not None:
            echo(("\n" if findings else "") + render_text(report), nl=False)
        _echo_summary(result.packs, findings)
    if result.problems or (fail_on_warnings and warnings):
        sys.exit(EXIT_INPUT)


def _echo_findings(findings: Sequence[tuple[str, Problem]]) -> None:
    """One ``error: ...`` or ``warning: ...`` line each, on standard output."""
    for severity, problem in findings:
        echo(f"{severity}: {problem}")


def _echo_summary(packs: Sequence[Pack], findings: Sequence[tuple[str, Problem]]) -> None:
    """Each pack's status and the count of problems and warnings, on standard error."""
    for pack in packs:
        mine = {severity for severity, p in findings if p.source == pack.source}
        status = "problems" if "error" in mine else "warnings" if mine else "ok"
        echo(f"{pack.path}: {status} (pack {pack.id} {pack.version}: {pack_counts(pack)})", err=True)
    errors = sum(severity == "error" for severity, _ in findings)
    echo(_count_summary(errors, len(findings) - errors), err=True)


def _count_summary(errors: int, warnings: int) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    if errors:
        return (
            count(errors, "problem") + (f" and {count(warnings, 'warning')}" if warnings else "") + " found"
        )
    return "All packs are valid" + (f" ({count(warnings, 'warning')})." if warnings else ".")


@packs.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path, file_okay=False),
    help="Create the project here (default: ./bounceback-NAME); must be new or empty.",
)
def new(name: str, directory: Path | None) -> None:
    """Create an installable plugin project for a new pack called NAME.

    \b
    It has a pyproject.toml with the bounceback entry point, the plugin module, a TOML pack
    with an example question, signal and two rules, example personas with their plan
    snapshots, a pytest test, a README, a LICENSE and a CI workflow. Then:
      cd bounceback-NAME && bounceback packs install -e . && bounceback packs test .
    """
    from ..authoring.plugin_names import Names
    from ..authoring.scaffold import scaffold

    written = scaffold(name, directory)
    names = Names.from_name(name)
    root = Path(directory) if directory is not None else Path(names.distribution)
    for path in written:
        echo(f"created {path}")
    echo(
        f"\nNext:\n  cd {root}\n  bounceback packs install -e .    # or, in a venv with bounceback: "
        f"pip install -e '.[test]'\n  bounceback packs test .\n  bounceback packs show {names.pack_id}"
    )


@packs.command("test")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--personas",
    "personas_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="The personas folder (default: personas/ in the pack folder, or beside a pack file).",
)
@click.option(
    "--pack",
    "extra",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Also load these packs (ones PATH depends on; repeatable).",
)
@click.option(
    "--update",
    is_flag=True,
    help="Record each persona's plan as its snapshot (NAME.snapshot.txt) instead of comparing.",
)
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
def test_pack(path: Path, personas_dir: Path | None, extra: tuple[Path, ...], update: bool, fmt: str) -> None:
    """Plan the example personas of the pack(s) at PATH and check their expectations and
    snapshots.

    PATH is a plugin project folder (its pyproject.toml's bounceback entry point names the
    plugin, imported from the project), a pack folder or a pack file. The packs are loaded
    beside the built-in packs (installed plugins are not loaded), strictly: a pack problem is
    an error. Each persona is NAME.answers.toml plus NAME.expect.toml, and NAME.snapshot.txt
    once recorded with --update. Exit status 2 when any persona fails.
    """
    from ..authoring.project import project_personas, test_target
    from ..authoring.testing import describe_failure, load_for_test, run_personas
    from ..authoring.validation import validate_packs
    from ..errors import PackError
    from ..render.json import dumps

    target = test_target(path)
    try:
        app = load_for_test(plugins=target.plugins, packs=[*target.packs, *extra])
    except PackError:
        # Loading stops at the first broken pack: report every problem and the summary, as
        # `packs validate` does, for the packs given and those the project's plugins provide.
        checked = validate_packs([*target.pack_paths(), *extra], entry_points=False)
        if not checked.problems:
            raise
        if fmt == "json":
            raise PackError(checked.problems) from None
        findings = [("error", problem) for problem in checked.problems]
        _echo_findings(findings)
        _echo_summary(checked.packs, findings)
        sys.exit(EXIT_INPUT)
    folders = (
        [personas_dir] if personas_dir else list(target.personas) or project_personas(target, app.packs, path)
    )
    results = [result for folder in folders for result in run_personas(folder, app, update=update)]
    failed = [r for r in results if not r.passed]
    if fmt == "json":
        echo(dumps({"ok": not failed, "personas": [r.to_dict() for r in results]}), nl=False)
    else:
        for result in results:
            echo(
                f"{'PASS' if result.passed else 'FAIL'}  {result.persona.name}  "
                f"topics: {', '.join(result.topics) or '(no plan)'}"
            )
            if not result.passed:
                echo("\n".join("      " + line for line in describe_failure(result).splitlines()[1:]))
        recorded = sum(r.snapshot == "updated" for r in results)
        echo(
            f"{len(results)} personas: {len(results) - len(failed)} passed, {len(failed)} failed"
            + (f"; {recorded} snapshot{'s' if recorded != 1 else ''} recorded" if update else ""),
            err=True,
        )
    if failed:
        sys.exit(EXIT_INPUT)


@packs.command("install")
@click.argument("targets", nargs=-1, required=True, metavar="PATH_OR_NAME...")
@click.option(
    "-e", "--editable", is_flag=True, help="Install project folders editable (while developing a plugin)."
)
@click.option("-U", "--upgrade", is_flag=True, help="Upgrade to the newest version.")
def install(targets: tuple[str, ...], editable: bool, upgrade: bool) -> None:
    """Install pack plugins into bounceback's own environment, with its pip.

    PATH_OR_NAME is a distribution name (bounceback-graduates), a requirement, a project folder
    or a wheel. Works however bounceback was installed (pipx, a virtual environment).
    """
    from ..authoring.install import install as pip_install

    added = pip_install(targets, editable=editable, upgrade=upgrade)
    for item in added:
        echo(f"installed {item.distribution} {item.version}: plugin {', '.join(item.plugins)}")
    if added:
        echo("`bounceback plugins` lists the loaded plugins and their packs.", err=True)
    else:
        echo(
            "no new or upgraded bounceback plugin: the packages are already installed, or provide "
            "none (a plugin declares an entry point in group 'bounceback')",
            err=True,
        )


@packs.command("uninstall")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
def uninstall(names: tuple[str, ...]) -> None:
    """Uninstall pack plugins (by plugin or distribution name) from bounceback's environment."""
    from ..authoring.install import uninstall as pip_uninstall

    for item in pip_uninstall(names):
        echo(f"uninstalled {item.distribution} {item.version}: plugin {', '.join(item.plugins)}")


@packs.command("schema")
@output_option
def schema(out: Path | None) -> None:
    """Print the JSON Schema of pack files, for editors (taplo, Even Better TOML).

    A pack whose first line is `#:schema ./pack-schema.json` uses the copy beside it.
    """
    from ..packs.schema import schema_json

    output(schema_json(), out)


@packs.command("show")
@click.argument("pack_id")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
@loading_options
def show(pack_id: str, fmt: str, **loading: Any) -> None:
    """Show a loaded pack: its questions, signals, rules (with what triggers each) and templates."""
    from ..authoring.packview import describe_pack, find_pack, render_text
    from ..render.json import dumps

    app = load_app(**loading)
    data = describe_pack(find_pack(app, pack_id), app)
    echo(dumps(data) if fmt == "json" else render_text(data), nl=False)


@packs.command("catalog")
@output_option
@loading_options
def catalog(out: Path | None, **loading: Any) -> None:
    """Print the advice catalogue of every loaded pack as Markdown."""
    from ..authoring.catalog import render_catalog

    output(render_catalog(load_app(**loading).packs), out)
