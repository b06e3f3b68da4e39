"""In what order a plan's chosen steps are shown, and when each is due (DESIGN §6b): pinned
steps first, then the most important step first; the timeframe is a label."""

from __future__ import annotations

from typing import Any

from .model import TIMEFRAMES
from .ruletables import RuleTables

_TIMEFRAME_ORDER = {t: i for i, t in enumerate(TIMEFRAMES)}
_TODAY, _THIS_WEEK = _TIMEFRAME_ORDER["today"], _TIMEFRAME_ORDER["this-week"]
#: At most this many steps of a plan are due today; the rest of today's move to this week.
TODAY_LIMIT = 2


class Sequencer:
    """Orders the steps :class:`~bounceback.composition.Composer` chose, by rule index, reading
    the rule set's :class:`~bounceback.ruletables.RuleTables`."""

    def __init__(self, tables: RuleTables) -> None:
        rules = tables.rules
        index = {rule_id: i for i, rule_id in enumerate(tables.ids)}
        self._tables = tables
        self._own_phase = tuple(_TIMEFRAME_ORDER[r.timeframe] for r in rules)
        self._after = tuple(tuple(index[a] for a in r.after if a in index) for r in rules)
        #: Where each step goes before its score: pinned steps, then a step that holds an
        #: audience back, then the others.
        self._band = tuple(0 if r.pin else 1 if r.holds else 2 for r in rules)
        # A step whose place depends on others: one that comes after another, or whose
        # audience another step holds back.
        self._linked = tuple(bool(self._after[i] or tables.holders[i]) for i in range(len(rules)))

    def order(
        self, chosen: list[int], scores: tuple[float, ...], low: bool = False
    ) -> list[tuple[int, int, float]]:
        """``(rule index, phase, score)`` in plan order: pinned steps first, then the most
        important step first (DESIGN §6b), with the score the plan is ranked by.

        A step that ``holds`` an audience back comes first after pinned steps, with the best
        score of the further steps. At ``low`` capacity, low-effort steps come next, then
        medium, then high ones. A step never precedes a step it comes ``after``: it moves to that
        step's effort group and phase if these are later. Scores never rise down the plan: a
        step's score is at most the one before it's. The timeframe is a label, read down the
        plan: ``today`` is kept by at most :data:`TODAY_LIMIT` steps, and only by pinned or
        safety-tier steps and those above every other step ("this week", then "today" reads
        backwards, and so does "ongoing", then "today": blind A/B 17); the others move to this
        week. The first step that is neither pinned nor of a safety tier, due this month or
        ongoing above a step due sooner, is labelled this week: the most important step starts
        now.
        """
        pinned, safety, effort, own_phase, band = (
            self._tables.pinned,
            self._tables.safety,
            self._tables.effort,
            self._own_phase,
            self._band,
        )
        # [score, phase, effort group (at low capacity), depth] of each chosen step, in rank order
        place: dict[int, list[Any]] = {
            i: [scores[i], own_phase[i], effort[i] if low else 0, 0] for i in chosen
        }
        linked = [i for i in chosen if self._linked[i]]
        if linked:
            self._resolve(linked, place)
        # A step that holds an audience back (cooling off) comes first after pinned ones, with
        # the best score of the plan's further steps: what follows waits for it.
        holding = [i for i in chosen if band[i] == 1]
        if holding:
            best = max(place[i][0] for i in chosen if not pinned[i])
            for i in holding:
                place[i][0] = best
        # Chosen steps come in rank order, and the sort is stable: ties keep that order.
        ordered = sorted(chosen, key=lambda i: (band[i], place[i][2], -place[i][0], place[i][3]))
        out: list[tuple[int, int, float]] = []
        today, above, later = 0, 1.0, False  # later: a step of neither kind, not due today, came
        for i in ordered:
            score, step_phase = place[i][0], place[i][1]
            if not pinned[i]:
                score = above = min(score, above)
            if step_phase == _TODAY:
                today += 1
                if today > TODAY_LIMIT or (later and not safety[i]):
                    step_phase = _THIS_WEEK
            elif not safety[i]:
                later = True
            out.append((i, step_phase, score))
        # The most important step starts now: due this month (or ongoing) above a step due
        # sooner, it is labelled this week (coach review 19, Tomás: a CV review "this month"
        # above two steps "this week").
        first = next((n for n, (i, _, _) in enumerate(out) if not safety[i]), None)
        if (
            first is not None
            and out[first][1] > _THIS_WEEK
            and any(phase <= _THIS_WEEK for _, phase, _ in out[first + 1 :])
        ):
            out[first] = (out[first][0], _THIS_WEEK, out[first][2])
        return out

    def _resolve(self, linked: list[int], place: dict[int, list[Any]]) -> None:
        """Moves each linked step after what it depends on: the steps it comes ``after`` and
        the steps holding its audience back (never today while held back). A step it comes
        after ranks at least as high as it does (and so do that step's own), so an important
        step waits only for what must come first, not behind the steps in between (the bundled
        example: the thank-you email came after the feelings step and fell below the notes on
        the interview). A step then takes the lowest score, the latest phase and effort group
        of what it depends on, and one more than their deepest depth (``place`` holds each
        chosen step's ``[score, phase, group, depth]``)."""
        pinned, holders, after = self._tables.pinned, self._tables.holders, self._after
        done: set[int] = set()

        def lift(j: int, score: float) -> None:
            if place[j][0] < score:
                place[j][0] = score
                for k in after[j]:
                    if k in place and not pinned[k]:
                        lift(k, score)

        def resolve(i: int) -> None:
            if i in done:
                return
            done.add(i)  # ends any loop of holds: the loop reads its values from before
            mine = place[i]
            own, step_phase, level = mine[0], mine[1], 0
            held = [h for h in holders[i] if h in place]
            if held and step_phase == _TODAY:
                step_phase = _THIS_WEEK
            for j in (*after[i], *held):  # 'after' has no cycles (checked at load)
                if j in place and not pinned[j]:
                    resolve(j)
                    if j not in held:
                        lift(j, own)
                    theirs = place[j]
                    own, step_phase = min(own, theirs[0]), max(step_phase, theirs[1])
                    level = max(level, theirs[3] + 1)
                    mine[2] = max(mine[2], theirs[2])
            mine[0], mine[1], mine[3] = own, step_phase, level

        for i in linked:
            resolve(i)
