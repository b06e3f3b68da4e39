"""From a situation to a plan: signals → scores → capacity → composition → order → steps.

The scoring itself is one compiled function per rule set (see :mod:`bounceback.ruleset`); this
module sizes the plan to the person's capacity, has :mod:`bounceback.composition` choose the
steps and :mod:`bounceback.ordering` order them, and fills each step's texts from the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import mul
from typing import Any

import attrs

from . import conditions as cond
from . import evidencemix, merging
from .composition import Answered, Composer
from .decisions import MERGE_INCOMPLETE, MERGED, NOT_APPLYING, Decision, Log, Note
from .defaults import DEFAULT_PER_CATEGORY, DEFAULT_TOP
from .model import EFFORTS, LOW_CAPACITY_EFFORT, TIERS, TIMEFRAMES, Situation
from .ordering import Sequencer
from .pluginmanager import LENIENT, Guard
from .results import Draft, Later, Load, Plan, SkippedPlugin, Step
from .ruleset import CompiledRule, RuleSet, Signal
from .ruletables import RuleTables


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
    """The outcome of scoring one situation: signal values, every rule's score and the
    safety tier."""

    signals: dict[str, float | None]
    scores: dict[str, float]
    tier: str | None = None  # the most urgent safety tier whose trigger holds


class Engine:
    """Plans situations against one :class:`RuleSet`; ``guard`` handles a plugin signal
    function that fails (the app passes its plugins' guard, so ``strict`` holds here too)."""

    def __init__(self, ruleset: RuleSet, guard: Guard = LENIENT):
        self.ruleset = ruleset
        self._guard = guard
        self._tables = tables = RuleTables(ruleset)
        self._composer = Composer(tables)
        self._sequencer = Sequencer(tables)
        self._ids = tables.ids
        self._rule_of = tables.rules
        self._packs = tuple((p.id, p.version) for p in ruleset.packs)
        # Looked up once here rather than for every step of every plan.
        self._program = ruleset.program
        # Rules with a safety tier, most urgent tier first (then by id).
        rank = {tier: n for n, tier in enumerate(TIERS)}
        self._tiered = sorted(
            (i for i in tables.by_id_order if self._rule_of[i].tier),
            key=lambda i: rank[self._rule_of[i].tier or ""],
        )
        #: ``(rule, plan_limit)`` of the pinned or safety-tier rules with one: while one applies,
        #: it sizes the plan.
        self._limiting = [
            (i, limit)
            for i in tables.by_id_order
            if (limit := tables.plan_limit[i]) is not None and tables.safety[i]
        ]
        self._low_effort = tuple(1.0 if r.pin else LOW_CAPACITY_EFFORT[r.effort] for r in self._rule_of)
        self._capacity_program = ruleset.capacity_program
        self._capacity = tuple(
            (c.capacity.id, c.capacity.steps, c.capacity.reason, c.capacity.size_only)
            for c in ruleset.capacity
        )
        self._mix_program = ruleset.mix_program

    @property
    def tables(self) -> RuleTables:
        """What composition reads of every rule of the rule set (:class:`RuleTables`)."""
        return self._tables

    # -- scoring ------------------------------------------------------------------------------

    def values(self, situation: Situation, skipped: list[SkippedPlugin]) -> Mapping[str, Any]:
        """The answers plus plugin signals: every name the rules can read.

        A plugin signal function that fails is unknown (``None``) and its plugin is added to
        ``skipped`` (by the engine's :class:`~bounceback.pluginmanager.Guard`: fatal when strict).
        """
        if not self.ruleset.plugin_signals:
            return situation.answers
        values = dict(situation.answers)
        for signal in self.ruleset.plugin_signals:
            values[signal.name] = self.plugin_signal(signal, situation.answers, skipped)
        return values

    def plugin_signal(
        self, signal: Signal, answers: Mapping[str, Any], skipped: list[SkippedPlugin]
    ) -> float | None:
        """The value in [0, 1] of plugin signal ``signal`` for ``answers``, or ``None`` when
        unknown: also when its function fails, which :attr:`guard` handles (its plugin is added
        to ``skipped``, or it is fatal when strict)."""
        assert signal.function is not None
        return self._guard.run(
            signal.origin, "bounceback_signals", skipped, _signal_value, signal.function, answers
        )

    def score(self, situation: Situation) -> Scored:
        """Every signal's value and every rule's score for ``situation``."""
        signals, scores = self._program(self.values(situation, []))
        return Scored(signals, dict(zip(self._ids, scores)), self._tier(scores))

    # -- planning -----------------------------------------------------------------------------

    def plan(
        self, situation: Situation, options: Options = Options(), skipped: list[SkippedPlugin] | None = None
    ) -> Plan:
        """The ranked, phased plan for ``situation``."""
        skipped = [] if skipped is None else skipped
        values = self.values(situation, skipped)
        signals, known, load, scores, chosen, answered = self._compose(values, options)
        steps = self._steps(self._sequencer.order(chosen, scores, load.level == "low"), known, load.actions)
        return Plan(
            steps=steps,
            signals=signals,
            packs=self._packs,
            skipped_plugins=tuple(skipped),
            answers=situation.answers,
            capacity=load,
            tier=self._tier(scores),
            application=self.ruleset.application,
            person=self.ruleset.person,
            later=() if load.topics else self._later(answered, chosen),
        )

    def _later(self, answered: list[Answered], chosen: list[int]) -> tuple[Later, ...]:
        """The options the person chose (``answered``, :meth:`Composer.answered`) that a rule
        applying answers but no chosen step does, grouped by the best-scored such rule (ties by
        id), in the order the rules name them."""
        taken = set(chosen)
        left: dict[int, list[tuple[str, str]]] = {}
        for question, option, _, best, applying in answered:
            if taken.isdisjoint(applying):
                left.setdefault(best, []).append((question, option))
        if not left:  # the usual case: every option chosen has its step
            return ()
        labels = self.ruleset.questionnaire.by_id
        return tuple(
            Later(
                tuple(f"{q}.{o}" for q, o in answers),
                tuple(labels[q].label(o) for q, o in answers),
                self._ids[i],
                self._rule_of[i].title,
            )
            for i, answers in left.items()
        )

    def _compose(
        self, values: Mapping[str, Any], options: Options, log: Log | None = None
    ) -> tuple[dict[str, float | None], dict[str, Any], Load, tuple[float, ...], list[int], list[Answered]]:
        """``(signals, known, load, scores, chosen, answered)`` for ``values``: the signals,
        every value texts read (answers, signals and the lookup tables' entries for these
        answers), the capacity, the scores the plan is ranked by, the rule indices chosen
        (noting why in ``log``, if given) and the options chosen that rules apply to
        (:meth:`Composer.answered`)."""
        signals, raw = self._program(values)
        known = {**values, **signals, **self.ruleset.lookup(values)}
        load = self.load(raw, known, options)
        composer = self._composer
        merged = merging.merged(self._tables, raw)
        if log is not None:
            self._note_merges(raw, merged, log)
        scores = self._weighed(merged, load)
        needs = evidencemix.needs(self._tables, self._mix_program(known)) if self._tables.mix else []
        answered = composer.answered(scores, values)
        owed = composer.owed(scores, answered)
        chosen = composer.select(scores, options.per_category, load, owed, needs, log, options.top)
        return signals, known, load, scores, chosen, answered

    def load(self, scores: tuple[float, ...], known: Mapping[str, Any], options: Options) -> Load:
        """The capacity the plan is sized for: the smallest of ``--top``, the ``steps`` of every
        capacity entry that holds, and the ``plan_limit`` of every pinned or safety-tier step
        that applies. The capacity is low once one of them holds, but a ``size_only`` entry."""
        steps, because, reasons, low = options.top, [], [], False
        if self._capacity:
            for (capacity_id, limit, reason, size_only), held in zip(
                self._capacity, self._capacity_program(known)
            ):
                if held:
                    steps = min(steps, limit)
                    because.append(capacity_id)
                    low = low or not size_only
                    if reason:
                        reasons.append(reason)
        for i, limit in self._limiting:
            if scores[i] > 0:
                steps = min(steps, limit)
                because.append(self._ids[i])
                low = True
        topics: frozenset[str] | None = None
        effort, actions = len(EFFORTS) - 1, None
        for i in self._tables.restricting:
            if scores[i] > 0:
                rule = self._rule_of[i]
                if rule.plan_topics:
                    topics = frozenset(rule.plan_topics) if topics is None else topics & set(rule.plan_topics)
                if rule.plan_effort:
                    effort = min(effort, EFFORTS.index(rule.plan_effort))
                if rule.plan_actions is not None:
                    actions = min(actions or rule.plan_actions, rule.plan_actions)
        kept = (tuple(sorted(topics or ())), None if effort == len(EFFORTS) - 1 else EFFORTS[effort], actions)
        return Load("low" if low else "full", steps, tuple(because), *kept, tuple(reasons))

    def _weighed(self, scores: tuple[float, ...], load: Load) -> tuple[float, ...]:
        """The scores the plan is ranked by: at low capacity, effort weighs them down (pinned
        steps keep theirs), so low-effort steps come first."""
        if load.level == "full":
            return scores
        return tuple(map(mul, scores, self._low_effort))

    def _tier(self, scores: tuple[float, ...]) -> str | None:
        """The tier of the most urgent tiered rule that applies (``None`` if none does)."""
        for i in self._tiered:
            if scores[i] > 0:
                return self._rule_of[i].tier
        return None

    def decisions(self, situation: Situation, options: Options = Options()) -> dict[str, Decision]:
        """For every rule: its score, whether it was chosen, and why (or why not)."""
        log: Log = {}
        _, _, load, scores, chosen, _ = self._compose(self.values(situation, []), options, log)
        # Where each chosen step is shown: "ranked 3 of the plan" is its place in the plan.
        shown = {
            i: n for n, (i, _, _) in enumerate(self._sequencer.order(chosen, scores, load.level == "low"), 1)
        }
        missing = Note(NOT_APPLYING, "its condition does not hold")
        decisions = {}
        for i, rule_id in enumerate(self._ids):
            note = log.get(i, missing)
            by = None if note.by is None else self._ids[note.by]
            text = note.text
            if i in shown and not self._rule_of[i].pin:
                text = f"ranked {shown[i]} of the plan{text}"
            decisions[rule_id] = Decision(rule_id, scores[i], i in shown, text, note.cause, by)
        return decisions

    def _note_merges(self, raw: tuple[float, ...], merged: tuple[float, ...], log: Log) -> None:
        """Notes in ``log`` what merging did: a merging rule whose parts do not all apply, or
        one of which a rule that applies excludes, and the parts a merged step replaced."""
        ids = self._ids
        for i, parts in self._tables.merges:
            complete = raw[i] > 0 and min(raw[p] for p in parts) > 0
            blocker = merging.merge_blocker(self._tables, i, raw) if complete else None
            if blocker is not None:
                j, p = blocker
                log[i] = Note(MERGE_INCOMPLETE, f"{ids[j]} excludes its part {ids[p]}", j)
            elif raw[i] > 0 and merged[i] <= 0:
                missing = ", ".join(ids[p] for p in parts if raw[p] <= 0)
                log[i] = Note(MERGE_INCOMPLETE, f"it merges {missing}, which does not apply")
            elif merged[i] > 0:
                log.update((p, Note(MERGED, f"merged into {ids[i]}", i)) for p in parts if raw[p] > 0)

    def _steps(
        self, ordered: list[tuple[int, int, float]], values: Mapping[str, Any], most_actions: int | None
    ) -> tuple[Step, ...]:
        """The plan's steps, in ``ordered``'s ``(rule index, phase, score)`` order, their texts
        filled from ``values`` (and at most ``most_actions`` actions a step, but for pinned steps).
        An action whose ``advice`` an earlier step of the plan shows is left out: a plan gives
        each advice once, in its highest-ranked step (one pass over the steps)."""
        text_program, rules = self.ruleset.text_program, self._rule_of
        steps = []
        given: set[str] = set()  # the advice ids an earlier (higher-ranked) step shows
        for i, phase, score in ordered:
            rule = rules[i]
            texts = text_program(i)(values)  # (reasons, why, actions, advice[, draft title, body, subject])
            actions = texts[2]
            if most_actions is not None and not rule.pin:
                actions = actions[:most_actions]
            if rule.advice:  # the same advice twice: the higher-ranked step keeps it
                shown = list(actions)
                for (_, gives), text in zip(rule.advice, texts[3]):
                    if text in shown:
                        if gives in given:
                            shown.remove(text)
                        else:
                            given.add(gives)
                actions = tuple(shown)
            # Positional, in the order of Step's fields: this runs for every step of every plan.
            steps.append(
                Step(
                    rule.id,
                    rule.pack,
                    rule.category,
                    rule.topics,
                    rule.title,
                    texts[1],
                    actions,
                    TIMEFRAMES[phase],
                    rule.effort,
                    score,
                    texts[0],
                    Draft(texts[4], texts[5].strip() + "\n", texts[6]) if len(texts) > 4 else None,
                    rule.pin,
                    rule.tier,
                )
            )
        return tuple(steps)

    def rule(self, rule_id: str) -> CompiledRule:
        """The compiled rule with this full id (``KeyError`` if unknown)."""
        return self.ruleset.by_id[rule_id]


def _signal_value(function: Callable[[Mapping[str, Any]], Any], answers: Mapping[str, Any]) -> float | None:
    """A plugin signal function's value for ``answers``, clamped into [0, 1]."""
    return cond.clamp(function(answers))
