"""The pluggy hook specifications: what a bounceback plugin can provide.

A plugin is a module or object with functions named like these specs and marked with
``@bounceback.hookimpl``; it is found through the ``bounceback`` entry-point group. How they
are called (order, wrappers, failures): :class:`bounceback.pluginmanager.Plugins`.
"""

# A spec is a signature and a docstring: pluggy never runs its body.
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .model import Pack, Situation
    from .render import Renderer
    from .results import Plan

hookspec = pluggy.HookspecMarker("bounceback")
hookimpl = pluggy.HookimplMarker("bounceback")


@hookspec
def bounceback_packs() -> list[Path | Pack]:
    """Return the content packs this plugin provides.

    Each item is a path to a TOML pack file, a folder of ``*.toml`` pack files, or a ready
    ``bounceback.model.Pack``. Paths are usually next to the plugin's module, e.g.
    ``[Path(__file__).parent / "graduates.toml"]``.
    """


@hookspec
def bounceback_signals() -> dict[str, Callable[[Mapping[str, Any]], float | None]]:
    """Return extra signals: name → function of the answers giving a value in [0, 1].

    Use this for what a ``[signals]`` expression cannot say. The function receives every
    answer by question id (``None`` when unanswered) and returns a number (clamped to
    [0, 1]) or ``None`` for "unknown". Rules read the signal by name like any other.
    """


@hookspec
def bounceback_adjust_plan(plan: Plan, situation: Situation) -> Plan | None:
    """Post-process a finished plan; return a new plan, or ``None`` to leave it as it is.

    Plugins run in turn, each receiving the previous plugin's plan. Plans are frozen: build
    the new one with ``attrs.evolve(plan, steps=...)``.
    """


@hookspec
def bounceback_renderers() -> dict[str, Renderer]:
    """Return extra output formats: format name → ``bounceback.render.Renderer``.

    The names become choices of ``bounceback plan --format``.
    """
