"""Validating pack files: ``bounceback packs validate``. Each file is checked on its own and
with the installed packs, every problem reported at once, then linted for warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import attrs

from ..api import plugin_signals, read_packs
from ..errors import PackError, Problem
from ..model import Pack
from ..packs import check_pack, pack_files
from ..pluginmanager import Plugins
from ..results import SkippedPlugin
from ..ruleset import RuleSet
from ..tables import stale_entries
from .lint import lint


@attrs.frozen
class Validation:
    """The outcome of checking pack files beside the installed packs."""

    packs: tuple[Pack, ...]
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]
    warnings: tuple[Problem, ...] = ()  # from :mod:`bounceback.authoring.lint`; they do not fail


def validate_packs(
    paths: Iterable[str | Path], *, disable: Iterable[str] = (), entry_points: bool = True
) -> Validation:
    """Check pack files or folders together with the installed packs, reporting every problem.

    Problems of a pack on its own (TOML, fields, words) and of the packs together (names,
    types, references, duplicates with an installed pack) are all collected in one run, in
    file and line order; nothing raises. A pack with problems of its own is checked with the
    others as far as it could be read (:func:`bounceback.packs.check_pack`), and is in
    ``packs`` too. When there are none, the packs are linted (:func:`bounceback.authoring.lint.lint`): rules that can
    never fire or are always masked become ``warnings``, and so do lookup-table entries not
    checked for a year (:func:`bounceback.tables.stale_entries`).
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        found = pack_files(path) if path.is_dir() else [path]
        if not found:
            problems.append(Problem("no *.toml pack files in this folder", str(path), code="missing-file"))
        files.extend(found)
    packs: list[Pack] = []
    for path in files:
        checked = check_pack(path, plugin=f"folder:{path.parent}")
        problems.extend(checked.problems)
        if checked.pack is not None:
            packs.append(checked.pack)
    plugins = Plugins(disable=disable, entry_points=entry_points)
    skipped: list[SkippedPlugin] = []
    mine = {p.resolve() for p in files}
    installed = [p for p in read_packs(plugins, skipped) if p.path is None or p.path.resolve() not in mine]
    warnings: list[Problem] = []
    try:
        ruleset = RuleSet.build(installed + packs, plugin_signals(plugins, skipped))
    except PackError as exc:
        problems.extend(exc.problems)
    else:
        if not problems:
            mine_ids = {p.id for p in packs}
            warnings = lint(ruleset, packs=mine_ids) + stale_entries(
                [t for t in ruleset.tables if t.pack in mine_ids],
                {p.id: p.source for p in packs},
                dt.date.today(),
            )
    order = {str(path): n for n, path in enumerate(files)}
    problems.sort(key=lambda p: (order.get(p.source or "", len(order)), p.line or 0))
    return Validation(tuple(packs), tuple(problems), tuple(files), tuple(warnings))
