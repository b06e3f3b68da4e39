"""The plugin manager: built-in plugins, installed entry points and ``--pack`` folders.

Every plugin is called hook by hook and plugin by plugin, so one that raises is reported by
name and skipped (``strict=True`` makes it fatal) while the rest still run.

Which plugins load:

* built-ins (:data:`DEFAULT_PLUGINS`) always, unless disabled by name;
* installed plugins of the ``bounceback`` entry-point group, unless ``no_plugins`` is set or
  the ``BOUNCEBACK_PLUGINS`` allow-list (comma-separated names; empty means none) leaves
  them out;
* one folder plugin per ``--pack`` path.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .errors import PluginError, Problem
from .hookspecs import hookimpl
from .model import SkippedPlugin
from .packs import pack_files

ENTRY_POINT_GROUP = "bounceback"
ENV_ALLOW = "BOUNCEBACK_PLUGINS"
ENV_TRACE = "BOUNCEBACK_TRACE_PLUGINS"

DEFAULT_PLUGINS = (
    "bounceback.plugins.base",
    "bounceback.plugins.safety",
    "bounceback.plugins.advice",
    "bounceback.plugins.renderers",
)

BUILTIN, ENTRY_POINT, FOLDER = "built-in", "entry point", "folder"


@attrs.frozen
class PluginInfo:
    """What ``bounceback plugins`` shows about one loaded plugin."""

    name: str
    source: str
    version: str
    hooks: tuple[str, ...]


@attrs.frozen
class Expectation:
    """What a hook must return: a list of ``items`` or a dict of name → ``values``."""

    container: type  # list or dict
    allowed: tuple[type, ...] = ()  # the types of the items or values (empty: any callable)
    description: str = ""

    def problem(self, result: Any) -> str | None:
        """Why ``result`` is not what the hook must return, or ``None`` when it is."""
        if self.container is dict:
            ok = isinstance(result, dict) and all(isinstance(k, str) for k in result)
            items = list(result.values()) if ok else []
        else:
            ok = isinstance(result, (list, tuple))
            items = list(result) if ok else []
        if not ok:
            return f"returned {type(result).__name__}, expected {self.description}"
        for item in items:
            if not (isinstance(item, self.allowed) if self.allowed else callable(item)):
                holding = "a dict holding" if self.container is dict else "a list holding"
                return f"returned {holding} {type(item).__name__}, expected {self.description}"
        return None


class FolderPlugin:
    """A plugin that provides the packs found at one path (``--pack DIR``)."""

    def __init__(self, path: Path):
        self.path = path

    @hookimpl
    def bounceback_packs(self) -> list[Path]:
        """Every ``*.toml`` pack in the folder (or the file itself)."""
        if not self.path.exists():
            raise FileNotFoundError(f"pack path not found: {self.path}")
        files = pack_files(self.path)
        if not files:
            raise FileNotFoundError(f"no pack files (*.toml, not broken links) in {self.path}")
        return files


class Plugins:
    """A configured :class:`pluggy.PluginManager` with per-plugin fault isolation."""

    def __init__(self, *, pack_paths: Sequence[Path] = (), disable: Iterable[str] = (),
                 entry_points: bool = True, strict: bool = False,
                 extra: Sequence[tuple[str, object]] = ()):
        self.strict = strict
        self.pm = pluggy.PluginManager("bounceback")
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self.skipped: list[SkippedPlugin] = []
        self._disabled = set(disable)
        version = _own_version()
        for module_name in DEFAULT_PLUGINS:
            short = module_name.rsplit(".", 1)[-1]
            if short not in self._disabled:
                self._register(importlib.import_module(module_name), short, BUILTIN, version)
        if entry_points:
            self._load_entry_points()
        for name, plugin in extra:
            self._register(plugin, name, "python", "")
        unique: dict[Path, Path] = {}
        for path in pack_paths:  # a folder given twice is loaded once
            unique.setdefault(path.resolve(), path)
        for path in unique.values():
            name = f"folder:{path}"
            if name not in self._disabled:
                self._register(FolderPlugin(path), name, FOLDER, "")
        self.pm.check_pending()
        if os.environ.get(ENV_TRACE):
            self.pm.trace.root.setwriter(lambda text: print(text, end="", file=sys.stderr))
            self.pm.enable_tracing()

    def _register(self, plugin: object, name: str, source: str, version: str) -> None:
        self.pm.register(plugin, name=name)
        hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or ()))
        self.info[name] = PluginInfo(name, source, version, hooks)

    def _load_entry_points(self) -> None:
        allowed = os.environ.get(ENV_ALLOW)
        allow = None if allowed is None else {n.strip() for n in allowed.split(",") if n.strip()}
        for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if ep.name in self._disabled or (allow is not None and ep.name not in allow):
                continue
            if self.pm.has_plugin(ep.name):
                continue
            try:
                plugin = ep.load()
                self._register(plugin, ep.name, ENTRY_POINT, ep.dist.version if ep.dist else "")
            except Exception as exc:
                self.skipped.append(self.fail(ep.name, "load", exc))

    def fail(self, name: str, hook: str, exc: BaseException | str) -> SkippedPlugin:
        """The record of plugin ``name`` failing in ``hook``; raises instead when strict."""
        error = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        if self.strict:
            raise PluginError(Problem(f"plugin failed in {hook}: {error}", f"plugin {name}",
                                      code="plugin"))
        return SkippedPlugin(name, hook, error)

    def call_each(self, hook: str, skipped: list[SkippedPlugin], *, expect: Expectation | None = None,
                  **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """Call ``hook`` on each plugin in registration order, yielding ``(plugin, result)``.

        A plugin that raises, or whose result is not what ``expect`` describes, is appended
        to ``skipped`` (or is fatal when strict) and the others still run. ``None`` results
        are left out.
        """
        for name, function in self.impls(hook):
            try:
                result = function(**kwargs)
            except Exception as exc:
                skipped.append(self.fail(name, hook, exc))
                continue
            if result is None:
                continue
            wrong = expect.problem(result) if expect is not None else None
            if wrong:
                skipped.append(self.fail(name, hook, f"TypeError: {wrong}"))
                continue
            yield name, result

    def impls(self, hook: str) -> list[tuple[str, Callable[..., Any]]]:
        """``(plugin name, function)`` for each implementation of ``hook``, in registration order."""
        caller = getattr(self.pm.hook, hook)
        return [(impl.plugin_name, impl.function) for impl in caller.get_hookimpls()]

    def source_of(self, name: str) -> str:
        """Where plugin ``name`` came from (built-in, entry point, folder)."""
        return self.info[name].source if name in self.info else ENTRY_POINT


def _own_version() -> str:
    from . import __version__
    return __version__

