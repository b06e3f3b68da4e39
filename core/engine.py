"""From a situation to a plan: signals → scores → ranking → selection → phases.

The scoring itself is one compiled function per rule set (see :mod:`bounceback.ruleset`); this
module ranks the scored rules (score descending, then id), picks the top ``N`` with at most
``K`` per category and without rules excluded by a chosen one, puts pinned steps first, and
orders the rest by timeframe, honouring ``after``.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Any

import attrs

from . import conditions as cond
from .model import TIMEFRAMES, Draft, Plan, Situation, SkippedPlugin, Step
from .ruleset import CompiledRule, RuleSet
from .templates import fill

DEFAULT_TOP = 7
DEFAULT_PER_CATEGORY = 2
_TIMEFRAME_ORDER = {t: i for i, t in enumerate(TIMEFRAMES)}


@attrs.frozen
class Options:
    """How many steps a plan has, and how many may come from one category."""

    top: int = DEFAULT_TOP
    per_category: int = DEFAULT_PER_CATEGORY

    def __attrs_post_init__(self) -> None:
        if self.top < 1 or self.per_category < 1:
            raise ValueError("top and per_category must be at least 1")


@attrs.frozen
class Scored:
    """The outcome of scoring one situation: signal values and every rule's score."""

    signals: dict[str, float | None]
    scores: dict[str, float]


@attrs.frozen
class Decision:
    """What selection did with one rule (for explanations)."""

    rule_id: str
    score: float
    chosen: bool
    reason: str


class Engine:
    """Plans situations against one :class:`RuleSet`."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self._rules = ruleset.rules
        self._signal_names = tuple(s.name for s in ruleset.signals)
        self._n_signals = len(self._signal_names)
        self._categories = tuple(r.rule.category for r in self._rules)
        self._pinned = tuple(r.rule.pin for r in self._rules)
        self._ids = tuple(r.rule.id for r in self._rules)
        # Rule indices sorted by id: a stable sort on score then keeps ties in id order.
        self._by_id_order = sorted(range(len(self._rules)), key=lambda i: self._ids[i])

    # -- scoring ------------------------------------------------------------------------------

    def values(self, situation: Situation, skipped: list[SkippedPlugin]) -> Mapping[str, Any]:
        """The answers plus plugin signals: every name the rules can read.

        A plugin signal that raises is unknown (``None``) and its plugin is added to ``skipped``.
        """
        if not self.ruleset.plugin_signals:
            return situation.answers
        values = dict(situation.answers)
        for signal in self.ruleset.plugin_signals:
            assert signal.function is not None
            try:
                value = cond._clamp(signal.function(situation.answers))
            except Exception as exc:  # a plugin's bug must not break the plan
                skipped.append(SkippedPlugin(signal.origin, "bounceback_signals", _error_text(exc)))
                value = None
            values[signal.name] = value
        return values

    def _run(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return self.ruleset.program(values)

    def score(self, situation: Situation) -> Scored:
        """Every signal's value and every rule's score for ``situation``."""
        out = self._run(self.values(situation, []))
        n = self._n_signals
        return Scored(dict(zip(self._signal_names, out[:n])), dict(zip(self._ids, out[n:])))

    # -- planning -----------------------------------------------------------------------------

    def plan(self, situation: Situation, options: Options = Options(),
             skipped: list[SkippedPlugin] | None = None) -> Plan:
        """The ranked, phased plan for ``situation``."""
        skipped = [] if skipped is None else skipped
        values = self.values(situation, skipped)
        out = self._run(values)
        n = self._n_signals
        scores = out[n:]
        chosen = self._select(scores, options, None)
        signals = dict(zip(self._signal_names, out[:n]))
        named = {**values, **signals}  # reasons and drafts may name pack signals too
        steps = tuple(self._step(i, phase, scores[i], named) for i, phase in self._order(chosen))
        packs = tuple((p.id, p.version) for p in self.ruleset.packs)
        return Plan(steps=steps, signals=signals, packs=packs, skipped_plugins=tuple(skipped),
                    answers=situation.answers)

    def decisions(self, situation: Situation, options: Options = Options()) -> dict[str, Decision]:
        """For every rule: its score, whether it was chosen, and why (or why not)."""
        scores = self._run(self.values(situation, []))[self._n_signals:]
        log: dict[int, str] = {}
        chosen = set(self._select(scores, options, log))
        return {
            self._ids[i]: Decision(self._ids[i], scores[i], i in chosen,
                                   log.get(i, "its condition does not hold"))
            for i in range(len(self._rules))
        }

    def _select(self, scores: tuple[float, ...], options: Options,
                log: dict[int, str] | None) -> list[int]:
        ranked = sorted((i for i in self._by_id_order if scores[i] > 0),
                        key=lambda i: (not self._pinned[i], -scores[i]))
        chosen: list[int] = []
        per_category: dict[str, int] = {}
        excluded: dict[str, str] = {}
        for i in ranked:
            category = self._categories[i]
            rule = self._rules[i].rule
            if len(chosen) >= options.top and not self._pinned[i]:
                if log is not None:
                    log[i] = f"ranked below the top {options.top}"
                continue
            if rule.id in excluded:
                if log is not None:
                    log[i] = f"excluded by the higher-ranked {excluded[rule.id]}"
                continue
            if per_category.get(category, 0) >= options.per_category and not self._pinned[i]:
                if log is not None:
                    log[i] = f"{options.per_category} higher-ranked '{category}' steps already chosen"
                continue
            chosen.append(i)
            if not self._pinned[i]:  # a pinned step is extra: it takes no category slot
                per_category[category] = per_category.get(category, 0) + 1
            for target in rule.excludes:
                excluded.setdefault(target, rule.id)
            if log is not None:
                log[i] = "pinned: shown first whenever it applies" if self._pinned[i] else \
                    f"ranked {len(chosen)} of the plan"
        return chosen

    def _order(self, chosen: list[int]) -> list[tuple[int, int]]:
        """``(rule index, phase)`` in plan order: pinned first, then by timeframe, then rank.

        A step never precedes a step it comes ``after``, and moves to that step's phase if it
        is later than its own.
        """
        rank = {i: r for r, i in enumerate(chosen)}
        index_of = {self._ids[i]: i for i in chosen}
        phase: dict[int, int] = {}

        def phase_of(i: int) -> int:
            if i not in phase:
                rule = self._rules[i].rule
                own = _TIMEFRAME_ORDER[rule.timeframe]
                phase[i] = max([own] + [phase_of(index_of[a]) for a in rule.after if a in index_of])
            return phase[i]

        def key(i: int) -> tuple[bool, int, int]:
            return (not self._pinned[i], phase_of(i), rank[i])

        waiting = {i: {index_of[a] for a in self._rules[i].rule.after if a in index_of} for i in chosen}
        ready = [key(i) + (i,) for i in chosen if not waiting[i]]
        heapq.heapify(ready)
        ordered: list[tuple[int, int]] = []
        while ready:
            i = heapq.heappop(ready)[-1]
            ordered.append((i, phase_of(i)))
            for j in chosen:
                if i in waiting[j]:
                    waiting[j].discard(i)
                    if not waiting[j]:
                        heapq.heappush(ready, key(j) + (j,))
        return ordered

    def _step(self, i: int, phase: int, score: float, values: Mapping[str, Any]) -> Step:
        compiled = self._rules[i]
        rule = compiled.rule
        reasons = tuple(cond.explain(compiled.when.node, values).reasons()) if compiled.when else ()
        draft = None
        if rule.template is not None:
            template = self.ruleset.templates[rule.template]
            draft = Draft(title=fill(template.title, values), body=fill(template.body, values).strip() + "\n",
                          subject=fill(template.subject, values) if template.subject else None)
        return Step(
            id=rule.id, pack=rule.pack, category=rule.category, topics=rule.topics,
            title=rule.title, why=fill(rule.why, values), actions=rule.actions,
            timeframe=TIMEFRAMES[phase], effort=rule.effort, score=score, reasons=reasons, draft=draft,
            pinned=rule.pin,
        )

    def rule(self, rule_id: str) -> CompiledRule:
        """The compiled rule with this full id (``KeyError`` if unknown)."""
        return self.ruleset.by_id[rule_id]


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
