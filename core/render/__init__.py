"""Renderers turn a :class:`~bounceback.model.Plan` into text for people or programs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from ..model import Plan


@attrs.frozen
class RenderOptions:
    """Choices a renderer may honour: ``explain`` adds each step's reasons; ``start`` dates
    calendar output; ``color`` allows terminal colours."""

    explain: bool = False
    start: dt.date | None = None
    color: bool = False


@attrs.frozen
class Renderer:
    """An output format: a name, a file suffix and the function that renders a plan."""

    name: str
    description: str
    suffix: str
    render: Callable[[Plan, RenderOptions], str]
