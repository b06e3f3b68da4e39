"""Renderers turn a :class:`~bounceback.results.Plan` into text for people or programs."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import attrs

from ..results import Plan, Step


@attrs.frozen
class RenderOptions:
    """Choices a renderer may honour: ``reasons`` adds each step's score and the answers behind
    it (``plan --explain``); ``start`` dates calendar output (and is shown on the printable
    page); ``made`` is the day the plan was made (default: :func:`today`); ``color`` allows
    terminal colours."""

    reasons: bool = False
    start: dt.date | None = None
    color: bool = False
    made: dt.date | None = None


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
    return (
        f"{PHASE_TITLES.get(step.timeframe, step.timeframe).lower()} · {step.category} · "
        f"{step.effort} effort" + (" · pinned" if step.pinned else "")
    )


#: The heading of the pinned safety steps, which every renderer shows first and set apart.
PINNED_TITLE = "Start here, before anything else"

#: The heading of the options the person chose that the plan leaves for later (Plan.later).
LATER_TITLE = "For later"


def later_intro(plan: Plan) -> str:
    """The sentence before them: why they are not steps, true for the plan (blind A/B 17: "kept
    short" is right beside low energy, a check-in or a pinned step, wrong for a full plan)."""
    reasons = plan.capacity.reasons[:2]  # the first two: more read as a list of troubles
    because = f" ({' and '.join(reasons)})" if reasons else ""
    if plan.capacity.level == "low":
        short = f"is kept short for now{because}"
    elif reasons:  # a capacity entry that only sizes the plan (someone in work)
        short = f"holds {plan.capacity.steps} steps for now{because}"
    else:
        return "These fit your answers too, but a plan holds only so many steps, so they wait; come back to them when these are done:"
    return f"These fit your answers too. The plan {short}, so they wait; come back to them when these steps are done:"


def score_text(step: Step) -> str:
    """How ``--explain`` introduces a step's reasons: its score and its rule id, the id
    ``bounceback explain ANSWERS RULE_ID`` takes."""
    return f"Score {step.score:.2f} ({step.id})"


def later_items(plan: Plan) -> list[str]:
    """Each option left for later as one line: the step's title, then the options it answers."""
    items = []
    for later in plan.later:
        labels = list(dict.fromkeys(later.labels))  # a gap and a feedback theme may share words
        items.append(f"{later.title} (your answer{'s' if len(labels) > 1 else ''}: {', '.join(labels)})")
    return items


def pinned_first(plan: Plan) -> tuple[list[Step], list[Step]]:
    """The pinned (safety) steps, shown first and set apart, and the other steps in plan order."""
    return [step for step in plan.steps if step.pinned], [step for step in plan.steps if not step.pinned]


def context_line(plan: Plan) -> str | None:
    """Which application the plan is about, from the answers the packs declare name it (the
    role, then the organisation: :attr:`~bounceback.model.Pack.application`); ``None`` if not given."""
    role, company = (*(plan.answers.get(q) for q in plan.application[:2]), None, None)[:2]
    if role and company:
        return f"After the {role} role at {company}"
    if role or company:
        return f"After the {role or company} application"
    return None


def today() -> dt.date:
    """Today's date, or the day ``SOURCE_DATE_EPOCH`` (seconds, UTC) names when it is set, as
    reproducible builds do: the same inputs then give the same dated output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def long_date(day: dt.date) -> str:
    """``3 March 2025``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
