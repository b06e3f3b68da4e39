"""Renderers turn a :class:`~bounceback.model.Plan` into text for people or programs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from ..model import Plan, Step


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


#: How a step's timeframe reads in its label.
PHASE_TITLES = {
    "today": "Today",
    "this-week": "This week",
    "this-month": "This month",
    "ongoing": "Ongoing",
}


def step_tags(step: Step) -> str:
    """The short label under a step's title: ``"today · feedback · low effort · pinned"``.

    The timeframe is a label: a plan lists its steps most important first, not by phase."""
    return (f"{PHASE_TITLES.get(step.timeframe, step.timeframe).lower()} · {step.category} · "
            f"{step.effort} effort" + (" · pinned" if step.pinned else ""))


def context_line(plan: Plan) -> str | None:
    """Which application the plan is about, from the answers (``None`` if not given)."""
    role, company = plan.answers.get("role"), plan.answers.get("company")
    if role and company:
        return f"After the {role} role at {company}"
    if role or company:
        return f"After the {role or company} application"
    return None
