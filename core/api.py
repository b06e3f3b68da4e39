"""The public Python API: load the plugins and packs once, then plan, explain and render.

>>> import bounceback
>>> app = bounceback.load()
>>> plan = app.plan({"stage_reached": "interview", "days_since_rejection": 3, ...})

``bounceback.plan(answers)`` is the one-call shortcut with the default plugins.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .decisions import Decision
from .defaults import DEFAULT_PER_CATEGORY, DEFAULT_TOP
from .engine import Engine, Options
from .errors import BouncebackError, PackError, Problem
from .model import Pack, Situation
from .packs import pack_files, read_pack
from .pluginmanager import BUILTIN, Expectation, PluginInfo, Plugins
from .questionnaire import Questionnaire
from .render import Renderer, RenderOptions
from .results import Plan, SkippedPlugin
from .ruleset import RuleSet
from .safetext import neutralise

#: Options are immutable, and a cohort plans with the same ones again and again.
_options = functools.lru_cache(maxsize=64)(Options)

#: What each hook must return (a plugin returning anything else is skipped, like one that raises).
PACKS = Expectation(list, (str, os.PathLike, Pack), "a list of pack paths or Packs")
SIGNALS = Expectation(dict, (), "a dict of signal name → function")
RENDERERS = Expectation(dict, (Renderer,), "a dict of format name → Renderer")
ADJUSTED = Expectation(Plan, (), "a Plan or None")


class Bounceback:
    """Loaded plugins and packs, ready to plan situations."""

    def __init__(
        self,
        plugins: Plugins,
        ruleset: RuleSet,
        skipped: Sequence[SkippedPlugin],
        renderers: Mapping[str, Renderer],
    ):
        self.plugins = plugins
        self.ruleset = ruleset
        self.engine = Engine(ruleset, plugins.guard)
        self.skipped = tuple(skipped)
        self.renderers = dict(renderers)
        self._adjusters = plugins.calls("bounceback_adjust_plan")  # looked up once, not per plan

    @property
    def questionnaire(self) -> Questionnaire:
        """The merged questionnaire of every loaded pack."""
        return self.ruleset.questionnaire

    @property
    def packs(self) -> tuple[Pack, ...]:
        """The loaded packs, in load order."""
        return self.ruleset.packs

    def situation(
        self,
        answers: Mapping[str, Any] | Situation,
        *,
        source: str | None = None,
        lines: Mapping[str, int] | None = None,
    ) -> Situation:
        """Validate raw answers (raises :class:`~bounceback.errors.AnswersError`)."""
        if isinstance(answers, Situation):
            return answers
        return self.questionnaire.validate(answers, source=source, lines=lines)

    def plan(
        self,
        answers: Mapping[str, Any] | Situation,
        *,
        top: int = DEFAULT_TOP,
        per_category: int = DEFAULT_PER_CATEGORY,
    ) -> Plan:
        """The ranked, explained plan for ``answers`` (raw answers or a :class:`Situation`)."""
        situation = self.situation(answers)
        skipped = list(self.skipped)
        plan = self.engine.plan(situation, _options(top, per_category), skipped)
        for part in self._adjusters:  # each receives the plan the previous one made
            adjusted = self.plugins.call_one(part, skipped, expect=ADJUSTED, plan=plan, situation=situation)
            if adjusted is not None:
                plan = adjusted
        if len(skipped) != len(plan.skipped_plugins):
            plan = attrs.evolve(plan, skipped_plugins=tuple(skipped))
        return plan

    def decisions(
        self,
        answers: Mapping[str, Any] | Situation,
        *,
        top: int = DEFAULT_TOP,
        per_category: int = DEFAULT_PER_CATEGORY,
    ) -> dict[str, Decision]:
        """Every rule's score and what selection did with it (see :meth:`Engine.decisions`)."""
        return self.engine.decisions(self.situation(answers), Options(top, per_category))

    def render(self, plan: Plan, fmt: str = "text", options: RenderOptions = RenderOptions()) -> str:
        """``plan`` in output format ``fmt`` (a name from :attr:`renderers`), control
        characters neutralised (:mod:`bounceback.safetext`), whichever renderer made it. A
        renderer that fails raises (``SystemExit`` becomes a ``RuntimeError``): there is no
        plan text to go on without."""
        try:
            renderer = self.renderers[fmt]
        except KeyError:
            raise BouncebackError(
                Problem(
                    f"unknown format {fmt!r}; available: {', '.join(sorted(self.renderers))}", field="format"
                )
            ) from None
        try:
            text = renderer.render(plan, options)
        except SystemExit as exc:  # a renderer may fail, never end the program quietly
            raise RuntimeError(f"the {fmt!r} renderer called sys.exit({exc.code!r})") from exc
        return neutralise(text)

    def plugin_list(self) -> list[tuple[PluginInfo, list[Pack]]]:
        """Each loaded plugin with the packs it provided, built-ins first."""
        by_plugin: dict[str, list[Pack]] = {}
        for pack in self.packs:
            by_plugin.setdefault(pack.plugin, []).append(pack)
        return [(info, by_plugin.get(name, [])) for name, info in self.plugins.info.items()]


def load(
    *,
    packs: Iterable[str | Path] = (),
    disable: Iterable[str] = (),
    entry_points: bool = True,
    strict: bool = False,
    extra_plugins: Sequence[tuple[str, object]] = (),
) -> Bounceback:
    """Load plugins and packs and compile the rules.

    ``packs`` are extra pack files or folders (like ``--pack``); ``disable`` names plugins not
    to load; ``entry_points=False`` loads built-ins only; ``extra_plugins`` registers
    ``(name, plugin)`` objects (handy in tests). A failing third-party plugin or pack is
    skipped and recorded (``strict=True`` makes it fatal); a broken built-in is an error.
    """
    plugins = Plugins(
        pack_paths=[Path(p) for p in packs],
        disable=disable,
        entry_points=entry_points,
        strict=strict,
        extra=extra_plugins,
    )
    skipped = list(plugins.skipped)
    loaded = read_packs(plugins, skipped)
    ruleset = _build(plugins, loaded, plugin_signals(plugins, skipped), skipped)
    return Bounceback(plugins, ruleset, skipped, _renderers(plugins, skipped))


def _renderers(plugins: Plugins, skipped: list[SkippedPlugin]) -> dict[str, Renderer]:
    """Format name → renderer from every plugin (see :func:`_first_comers`)."""
    offered = _first_comers(plugins, skipped, "bounceback_renderers", RENDERERS, "format")
    return {fmt: renderer for fmt, (_, renderer) in offered.items()}


def plugin_signals(plugins: Plugins, skipped: list[SkippedPlugin]) -> dict[str, tuple[str, Any]]:
    """Signal name → (plugin, function) from every plugin's ``bounceback_signals``."""
    return _first_comers(plugins, skipped, "bounceback_signals", SIGNALS, "signal")


def _first_comers(
    plugins: Plugins, skipped: list[SkippedPlugin], hook: str, expect: Expectation, what: str
) -> dict[str, tuple[str, Any]]:
    """Name → (plugin, value) from the dicts every plugin's ``hook`` returns. A name that an
    earlier registered plugin (built-ins come first) provides is not replaced: the plugin
    offering it again is named in ``skipped`` (fatal when strict)."""
    provided: dict[str, tuple[str, Any]] = {}
    for plugin, offered in plugins.registration_order(plugins.call(hook, skipped, expect=expect)):
        for name, value in offered.items():
            if name in provided:
                skipped.append(
                    plugins.guard.fail(
                        plugin,
                        hook,
                        f"{what} {name!r} is already provided by plugin {provided[name][0]}; not replaced",
                    )
                )
            else:
                provided[name] = (plugin, value)
    return provided


def read_packs(plugins: Plugins, skipped: list[SkippedPlugin]) -> list[Pack]:
    """Every pack the plugins provide, in registration order (built-ins first), each file read
    once; a third-party pack that does not read is named in ``skipped`` (fatal when strict)."""
    packs: list[Pack] = []
    seen: set[Path] = set()  # a file given alone and in its folder is read once
    # Packs load in registration order (built-ins first), so a clash blames the newcomer.
    for plugin, provided in plugins.registration_order(
        plugins.call("bounceback_packs", skipped, expect=PACKS)
    ):
        builtin = plugins.source_of(plugin) == BUILTIN
        for item in provided:
            if isinstance(item, Pack):
                packs.append(attrs.evolve(item, plugin=item.plugin or plugin))
                continue
            for path in pack_files(Path(item)):
                if path.resolve() in seen:
                    continue
                seen.add(path.resolve())
                try:
                    packs.append(read_pack(path, plugin=plugin))
                except PackError as exc:
                    if builtin or plugins.guard.strict:
                        raise
                    skipped.append(plugins.guard.fail(plugin, "bounceback_packs", _summary(exc)))
    return packs


def _build(
    plugins: Plugins, packs: list[Pack], signals: Mapping[str, Any], skipped: list[SkippedPlugin]
) -> RuleSet:
    """Build the rule set, dropping the third-party packs and plugin signals that break it
    (unless strict). Only problems left once every third-party culprit is gone are fatal."""
    signals = dict(signals)
    while True:
        try:
            return RuleSet.build(packs, signals)
        except PackError as exc:
            sources = {p.source for p in exc.problems}
            culprits = [p for p in _culprits(exc.problems, packs) if plugins.source_of(p.plugin) != BUILTIN]
            failing = sorted(
                {
                    plugin
                    for plugin, _ in signals.values()
                    if f"plugin {plugin}" in sources and plugins.source_of(plugin) != BUILTIN
                }
            )
            if plugins.guard.strict or not (culprits or failing):
                raise
            for pack in culprits:
                mine = [p for p in exc.problems if p.source == pack.source]
                skipped.append(plugins.guard.fail(pack.plugin, "bounceback_packs", _summary(PackError(mine))))
            for plugin in failing:
                mine = [p for p in exc.problems if p.source == f"plugin {plugin}"]
                skipped.append(plugins.guard.fail(plugin, "bounceback_signals", _summary(PackError(mine))))
            packs = [p for p in packs if p not in culprits]
            signals = {name: value for name, value in signals.items() if value[0] not in failing}


def _culprits(problems: Sequence[Problem], packs: Sequence[Pack]) -> list[Pack]:
    sources = {p.source for p in problems}
    # A duplicate blames the later pack, which is the one whose file the problem names.
    return [p for p in reversed(packs) if p.source in sources][::-1]


def _summary(exc: BouncebackError) -> str:
    first = str(exc.problems[0])
    more = len(exc.problems) - 1
    return first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


@functools.lru_cache(maxsize=4)
def loaded(
    packs: tuple[str, ...] = (),
    disable: tuple[str, ...] = (),
    entry_points: bool = True,
    strict: bool = False,
) -> Bounceback:
    """The app :func:`load` gives for these arguments, loaded once per process and shared
    (by :func:`plan` and by cohort runs). ``loaded.cache_clear()`` forgets every one."""
    return load(packs=packs, disable=disable, entry_points=entry_points, strict=strict)


def plan(
    answers: Mapping[str, Any] | Situation,
    *,
    top: int = DEFAULT_TOP,
    per_category: int = DEFAULT_PER_CATEGORY,
) -> Plan:
    """The plan for ``answers`` with the default plugins (loaded once per process)."""
    return loaded().plan(answers, top=top, per_category=per_category)
