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
        # [score, phase, effort group (at low capacity), depth] of each chosen step, in rank
        # order; one loop, no comprehension: this runs for every plan.
        place: dict[int, list[Any]] = {}
        linked = holding = False
        for i in chosen:
            place[i] = [scores[i], own_phase[i], effort[i] if low else 0, 0]
            linked = linked or self._linked[i]
            holding = holding or band[i] == 1
        if linked:
            self._resolve(chosen, place)
        # A step that holds an audience back (cooling off) comes first after pinned ones, with
        # the best score of the plan's further steps: what follows waits for it.
        if holding:
            best = max(place[i][0] for i in chosen if not pinned[i])
            for i in chosen:
                if band[i] == 1:
                    place[i][0] = best
        # Chosen steps come in rank order, and the sort is stable: ties keep that order.
        ordered = sorted(chosen, key=lambda i: (band[i], place[i][2], -place[i][0], place[i][3]))
        out: list[tuple[int, int, float]] = []
        today, above, later = 0, 1.0, False  # later: a step of neither kind, not due today, came
        first = -1  # where the first step that is neither pinned nor of a safety tier is
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
            if first < 0 and not safety[i]:
                first = len(out)
            out.append((i, step_phase, score))
        # The most important step starts now: due this month (or ongoing) above a step due
        # sooner, it is labelled this week (coach review 19, Tomás: a CV review "this month"
        # above two steps "this week").
        if first >= 0 and out[first][1] > _THIS_WEEK:
            for _, phase, _ in out[first + 1 :]:
                if phase <= _THIS_WEEK:
                    out[first] = (out[first][0], _THIS_WEEK, out[first][2])
                    break
        return out

    def _resolve(self, chosen: list[int], place: dict[int, list[Any]]) -> None:
        """Moves each linked step after what it depends on: the steps it comes ``after`` and
        the steps holding its audience back (never today while held back). A step it comes
        after ranks at least as high as it does (and so do that step's own), so an important
        step waits only for what must come first, not behind the steps in between (the bundled
        example: the thank-you email came after the feelings step and fell below the notes on
        the interview). A step then takes the lowest score, the latest phase and effort group
        of what it depends on, and one more than their deepest depth (``place`` holds each
        chosen step's ``[score, phase, group, depth]``)."""
        done: set[int] = set()
        for i in chosen:
            if self._linked[i] and i not in done:
                self._settle(i, place, done)

    def _settle(self, i: int, place: dict[int, list[Any]], done: set[int]) -> None:
        """Places linked step ``i`` after what it depends on (:meth:`_resolve`), settling those
        first; ``done`` ends any loop of holds: the loop reads its values from before."""
        done.add(i)
        pinned = self._tables.pinned
        mine = place[i]
        own, step_phase, level = mine[0], mine[1], 0
        held = [h for h in self._tables.holders[i] if h in place]
        if held and step_phase == _TODAY:
            step_phase = _THIS_WEEK
        for j in (*self._after[i], *held):  # 'after' has no cycles (checked at load)
            if j in place and not pinned[j]:
                if j not in done:
                    self._settle(j, place, done)
                if j not in held:
                    self._lift(j, own, place)
                theirs = place[j]
                own, step_phase = min(own, theirs[0]), max(step_phase, theirs[1])
                level = max(level, theirs[3] + 1)
                mine[2] = max(mine[2], theirs[2])
        mine[0], mine[1], mine[3] = own, step_phase, level

    def _lift(self, j: int, score: float, place: dict[int, list[Any]]) -> None:
        """Raises step ``j``, and the steps it comes after in turn, to at least ``score``."""
        if place[j][0] < score:
            place[j][0] = score
            for k in self._after[j]:
                if k in place and not self._tables.pinned[k]:
                    self._lift(k, score, place)
