"""The plugin manager: built-in plugins, installed entry points and ``--pack`` folders.

Every hook is called the way pluggy calls it (:meth:`Plugins.call`), but plugin by plugin, so
that one that fails is reported by name and skipped while the rest still run. What a failure
is and what happens then is decided in one place, :class:`Guard` (``strict=True`` makes it
fatal); the engine's calls of plugin signal functions go through it too.

Which plugins load:

* built-ins (:data:`DEFAULT_PLUGINS`) always, unless disabled by name;
* installed plugins of the ``bounceback`` entry-point group, unless ``no_plugins`` is set or
  the ``BOUNCEBACK_PLUGINS`` allow-list (comma-separated names; empty means none) leaves
  them out;
* one folder plugin per ``--pack`` path.

``BOUNCEBACK_TRACE_PLUGINS=1`` turns on pluggy's tracing: each plugin's part of each hook
call (the hook, the plugin, the arguments and what it returned) is printed to standard error;
a hook no loaded plugin implements is never called, so it does not appear.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

import attrs
import pluggy

from . import hookspecs
from .errors import PluginError, Problem
from .hookspecs import hookimpl
from .packs import pack_files
from .results import SkippedPlugin

ENTRY_POINT_GROUP = "bounceback"
ENV_ALLOW = "BOUNCEBACK_PLUGINS"
ENV_TRACE = "BOUNCEBACK_TRACE_PLUGINS"

DEFAULT_PLUGINS = (
    "bounceback.plugins.base",
    "bounceback.plugins.safety",
    "bounceback.plugins.advice",
    "bounceback.plugins.renderers",
)

BUILTIN, ENTRY_POINT, FOLDER, PYTHON = "built-in", "entry point", "folder", "python"

T = TypeVar("T")

#: What a plugin failing is: any exception, and ``SystemExit`` (a plugin calling ``sys.exit``
#: must not end the run, nor a cohort run); never ``KeyboardInterrupt`` (Ctrl-C is the user's).
PLUGIN_FAULTS: tuple[type[BaseException], ...] = (Exception, SystemExit)


@attrs.frozen
class PluginInfo:
    """What ``bounceback plugins`` shows about one loaded plugin."""

    name: str
    source: str
    version: str
    hooks: tuple[str, ...]


@attrs.frozen
class Expectation:
    """What a hook must return: a list of ``items``, a dict of name → ``values``, or (any
    other ``container``) one instance of it."""

    container: type  # list, dict, or the type of the one thing returned
    allowed: tuple[type, ...] = ()  # the types of the items or values (empty: any callable)
    description: str = ""

    def problem(self, result: Any) -> str | None:
        """Why ``result`` is not what the hook must return, or ``None`` when it is."""
        if self.container is dict:
            ok = isinstance(result, dict) and all(isinstance(k, str) for k in result)
            items = list(result.values()) if ok else []
        elif self.container is list:
            ok = isinstance(result, (list, tuple))
            items = list(result) if ok else []
        else:
            ok, items = isinstance(result, self.container), []
        if not ok:
            return f"returned {type(result).__name__}, expected {self.description}"
        for item in items:
            if not (isinstance(item, self.allowed) if self.allowed else callable(item)):
                holding = "a dict holding" if self.container is dict else "a list holding"
                return f"returned {holding} {type(item).__name__}, expected {self.description}"
        return None


@attrs.frozen
class Guard:
    """The one way a plugin's failure is handled, wherever its code is called.

    The failure is recorded with the plugin's name (a :class:`SkippedPlugin`) and the caller
    goes on without that result; with ``strict`` it is a :class:`PluginError` instead.
    """

    strict: bool = False

    def fail(self, plugin: str, hook: str, exc: BaseException | str) -> SkippedPlugin:
        """The record of ``plugin`` failing in ``hook``; raises instead when strict."""
        error = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        if self.strict:
            raise PluginError(Problem(f"plugin failed in {hook}: {error}", f"plugin {plugin}", code="plugin"))
        return SkippedPlugin(plugin, hook, error)

    def run(
        self,
        plugin: str,
        hook: str,
        skipped: list[SkippedPlugin],
        function: Callable[..., T],
        *args: Any,
        expect: Expectation | None = None,
        owners: Mapping[CodeType, str] | None = None,
    ) -> T | None:
        """``function(*args)``, code of ``plugin`` called for ``hook``, or ``None`` when it fails.

        Failing is raising one of :data:`PLUGIN_FAULTS` or returning what ``expect`` refuses
        (``None`` is always accepted); the failure is appended to ``skipped`` (fatal when
        strict). ``owners`` maps the code of other functions running in the call (pluggy
        wrappers) to their plugins, so that a failing wrapper is the one named.
        """
        try:
            result = function(*args)
        except PLUGIN_FAULTS as exc:
            skipped.append(self.fail(_culprit(exc, owners or {}) or plugin, hook, exc))
            return None
        wrong = expect.problem(result) if expect is not None and result is not None else None
        if wrong:
            skipped.append(self.fail(plugin, hook, f"TypeError: {wrong}"))
            return None
        return result


#: The guard of code that has no plugin manager's (e.g. linting): failures are recorded.
LENIENT = Guard()


@attrs.frozen
class HookCall:
    """One plugin's part of a hook call: pluggy's caller restricted to that plugin's
    implementation and the hook's wrappers (so ordering, argument subsets, wrappers, tracing
    and monitoring are pluggy's own)."""

    plugin: str
    hook: str
    caller: pluggy.HookCaller
    owners: Mapping[CodeType, str]  # the code of every implementation of the hook → its plugin

    def __call__(self, kwargs: Mapping[str, Any]) -> Any:
        """The plugin's result (``None`` when it returned ``None``)."""
        results = self.caller(**kwargs)
        return results[0] if results else None


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
    """A configured :class:`pluggy.PluginManager` whose hooks are called plugin by plugin,
    each failure going through :attr:`guard`."""

    def __init__(
        self,
        *,
        pack_paths: Sequence[Path] = (),
        disable: Iterable[str] = (),
        entry_points: bool = True,
        strict: bool = False,
        extra: Sequence[tuple[str, object]] = (),
    ):
        self.guard = Guard(strict)
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
            self._register(plugin, name, PYTHON, "")
        unique: dict[Path, Path] = {}
        for path in pack_paths:  # a folder given twice is loaded once
            unique.setdefault(path.resolve(), path)
        for path in unique.values():
            name = f"folder:{path}"
            if name not in self._disabled:
                self._register(FolderPlugin(path), name, FOLDER, "")
        self.pm.check_pending()
        #: The names given to ``disable`` that no built-in plugin, installed plugin or pack
        #: folder has (a typo, most likely).
        self.unknown_disabled = sorted(self._disabled - self.names(pack_paths)) if self._disabled else []
        self._calls: dict[str, tuple[HookCall, ...]] = {}
        if os.environ.get(ENV_TRACE):
            self._trace()

    @staticmethod
    def names(pack_paths: Sequence[Path] = ()) -> set[str]:
        """Every name ``disable`` can take: the built-in plugins, the installed ones (entry
        points) and ``folder:PATH`` for each pack folder."""
        found = {module_name.rsplit(".", 1)[-1] for module_name in DEFAULT_PLUGINS}
        found |= {ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
        return found | {f"folder:{p}" for path in pack_paths for p in (path, path.resolve())}

    def _trace(self) -> None:
        """Pluggy's tracing of every hook call, to standard error, each call preceded by the
        plugin it is for."""
        self.pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        self.pm.enable_tracing()
        trace = self.pm.trace.root.get("plugin")
        self.pm.add_hookcall_monitoring(
            lambda hook, impls, kwargs: trace(
                hook, "of", *(i.plugin_name for i in impls if not (i.wrapper or i.hookwrapper))
            ),
            lambda outcome, hook, impls, kwargs: None,
        )

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
            self.guard.run(ep.name, "load", self.skipped, self._register_entry_point, ep)

    def _register_entry_point(self, ep: importlib.metadata.EntryPoint) -> None:
        self._register(ep.load(), ep.name, ENTRY_POINT, ep.dist.version if ep.dist else "")

    def calls(self, hook: str) -> tuple[HookCall, ...]:
        """Each plugin's part of ``hook``, in pluggy's call order: ``tryfirst`` first,
        ``trylast`` last, otherwise the plugin registered last first. Wrappers
        (``wrapper=True``) are not parts of their own: they wrap every plugin's part."""
        if hook not in self._calls:
            impls = getattr(self.pm.hook, hook).get_hookimpls()
            owners = {
                code: impl.plugin_name
                for impl in impls
                if (code := getattr(impl.function, "__code__", None)) is not None
            }
            plain = [impl for impl in impls if not (impl.wrapper or impl.hookwrapper)]
            self._calls[hook] = tuple(
                HookCall(
                    impl.plugin_name,
                    hook,
                    self.pm.subset_hook_caller(hook, [other.plugin for other in plain if other is not impl]),
                    owners,
                )
                for impl in reversed(plain)
            )  # pluggy calls its list from the end
        return self._calls[hook]

    def call(
        self, hook: str, skipped: list[SkippedPlugin], *, expect: Expectation | None = None, **kwargs: Any
    ) -> Iterator[tuple[str, Any]]:
        """Call ``hook`` with ``kwargs`` plugin by plugin (:meth:`calls`), yielding
        ``(plugin, result)`` for each result that is not ``None``.

        A plugin that fails (:meth:`Guard.run`) is appended to ``skipped``, or is fatal
        when strict, and the others still run.
        """
        for part in self.calls(hook):
            result = self.call_one(part, skipped, expect=expect, **kwargs)
            if result is not None:
                yield part.plugin, result

    def call_one(
        self,
        part: HookCall,
        skipped: list[SkippedPlugin],
        *,
        expect: Expectation | None = None,
        **kwargs: Any,
    ) -> Any:
        """One plugin's part of a hook call (from :meth:`calls`), guarded: its result, or
        ``None`` when it returned none or failed."""
        return self.guard.run(
            part.plugin, part.hook, skipped, part, kwargs, expect=expect, owners=part.owners
        )

    def registration_order(self, results: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
        """``(plugin, result)`` pairs sorted by when each plugin was registered (built-ins
        first), for results where the first comer keeps what it provides."""
        rank = {name: n for n, name in enumerate(self.info)}
        return sorted(results, key=lambda pair: rank.get(pair[0], len(rank)))

    def source_of(self, name: str) -> str:
        """Where plugin ``name`` came from (built-in, entry point, folder)."""
        return self.info[name].source if name in self.info else ENTRY_POINT


def _culprit(exc: BaseException, owners: Mapping[CodeType, str]) -> str | None:
    """The plugin whose function is the innermost of ``owners`` in ``exc``'s traceback."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        found = owners.get(tb.tb_frame.f_code, found)
        tb = tb.tb_next
    return found


def _own_version() -> str:
    from . import __version__

    return __version__
