"""iCalendar (RFC 5545): one all-day event per step, spread over the coming weeks.

Each step is dated by its phase, counted from ``RenderOptions.start`` (default: today):
*today* on the start day, *this week* spread over days 1–6, *this month* over days 7–27, and
*ongoing* steps start in the second week and repeat weekly four times. Events are all-day and
transparent (they do not block time), which every calendar application imports; the text
carries the why, the actions and the draft. ``DTSTAMP`` is derived from the start date, so the
same inputs give byte-identical files. A step's ``UID`` depends only on the person (the
answers the packs declare say whose plan it is, :attr:`~bounceback.model.Pack.person`), the step and the start date: planning again after changing
an answer gives the same UIDs, so a calendar re-importing the file updates its entries
instead of adding a second copy of each.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from ..results import Plan, Step
from ..safetext import neutralise
from . import RenderOptions, score_text, step_tags, today
from .json import dumps

CRLF = "\r\n"
MAX_OCTETS = 75
#: Day offsets (first, last) from the start date for each timeframe.
WINDOWS = {"today": (0, 0), "this-week": (1, 6), "this-month": (7, 27), "ongoing": (7, 13)}
RECURRING = {"ongoing": "FREQ=WEEKLY;COUNT=4"}


def escape_text(text: str) -> str:
    """A TEXT property value escaped per RFC 5545 §3.3.11 (``\\ ; ,`` and newlines); the
    control characters TEXT may not hold (§3.3.11: all but the tab) become U+FFFD."""
    text = neutralise(text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """``line`` folded into CRLF-separated pieces of at most 75 octets (RFC 5545 §3.1).

    Continuation lines start with a space; a UTF-8 character is never split.
    """
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [" "], 1, MAX_OCTETS
        current.append(char)
        size += width
    pieces.append("".join(current))
    return CRLF.join(pieces)


def schedule(plan: Plan, start: dt.date) -> list[tuple[Step, dt.date]]:
    """Each step with its date: today's first, each timeframe's steps spread evenly over its
    window in plan order. A crisis step is not a task to schedule: it has no date (see
    :func:`render`)."""
    dated: list[tuple[Step, dt.date]] = []
    for phase, in_phase in plan.phases():
        steps = [step for step in in_phase if step.tier != "crisis"]
        first, last = WINDOWS.get(phase, WINDOWS["this-month"])
        span = last - first + 1
        for n, step in enumerate(steps):
            dated.append((step, start + dt.timedelta(days=first + n * span // len(steps))))
    return dated


def _description(step: Step, options: RenderOptions) -> str:
    parts = [step.why, "\n".join(f"- {a}" for a in step.actions)]
    if options.reasons:
        parts.append(score_text(step) + "".join(f"\n· {r}" for r in step.reasons))
    if step.draft is not None:
        subject = f"Subject: {step.draft.subject}\n\n" if step.draft.subject else ""
        parts.append(f"Draft: {step.draft.title}\n\n{subject}{step.draft.body.rstrip()}")
    return "\n\n".join(p for p in parts if p)


def _event(
    uid: str,
    stamp: str,
    day: dt.date,
    summary: str,
    description: str,
    categories: str | None = None,
    rrule: str | None = None,
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
    ]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    lines += [f"SUMMARY:{escape_text(summary)}", f"DESCRIPTION:{escape_text(description)}"]
    if categories:
        lines.append(f"CATEGORIES:{escape_text(categories)}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def render(plan: Plan, options: RenderOptions) -> str:
    """The plan as an iCalendar file (CRLF line endings)."""
    start = options.start or today()
    stamp = f"{start:%Y%m%d}T000000Z"
    person = dumps([start.isoformat(), [plan.answers.get(key) for key in plan.person]])
    digest = hashlib.sha256(person.encode()).hexdigest()[:16]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//bounceback//next-steps plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Next steps",
    ]
    # A crisis step is help to get now, not a to-do for a day: the calendar carries it in its
    # description, and every event starts by pointing to it.
    crisis = [step for step in plan.steps if step.tier == "crisis"]
    first = "".join(
        f"Before anything else: {s.title}.\n" + "\n".join(f"- {a}" for a in s.actions[:2]) + "\n\n"
        for s in crisis
    )
    if crisis:
        lines.append(
            "X-WR-CALDESC:"
            + escape_text("\n\n".join(f"{s.title}\n\n{_description(s, options)}" for s in crisis))
        )
    dated = schedule(plan, start)
    for step, day in dated:
        lines += _event(
            f"{step.id}-{digest}@bounceback",
            stamp,
            day,
            step.title,
            first + _description(step, options) + f"\n\n({step_tags(step)})",
            step.category,
            RECURRING.get(step.timeframe),
        )
    if crisis and not dated:  # a calendar needs at least one component: a note, not a task
        lines += _event(
            f"support-first-{digest}@bounceback", stamp, start, "Your plan: support first", first.rstrip()
        )
    if not plan.steps:  # a calendar needs at least one component
        lines += _event(
            f"no-steps-{digest}@bounceback",
            stamp,
            start,
            "Answer more questions",
            "No step stands out from your answers right now. Answer more of the "
            "optional questions (bounceback questions) for a more specific plan.",
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
