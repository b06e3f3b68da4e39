"""From a situation to a plan: signals → scores → ranking → selection → phases.

The scoring itself is one compiled function per rule set (see :mod:`bounceback.ruleset`); this
module sizes the plan to the person's capacity, ranks the scored rules (score descending, then
id), picks the top ``N`` with at most ``K`` per category and without rules excluded by a chosen
one, puts pinned steps first and orders the rest by score, honouring ``after``; the timeframe
is a label (at most two steps ``today``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from . import conditions as cond
from .defaults import DEFAULT_PER_CATEGORY, DEFAULT_TOP
from .model import (
    EFFORTS,
    LOW_CAPACITY_EFFORT,
    TIERS,
    TIMEFRAMES,
    Draft,
    Load,
    Plan,
    Situation,
    SkippedPlugin,
    Step,
)
from .pluginmanager import LENIENT, Guard
from .ruleset import CompiledRule, RuleSet, Signal

_TIMEFRAME_ORDER = {t: i for i, t in enumerate(TIMEFRAMES)}
_TODAY, _THIS_WEEK = _TIMEFRAME_ORDER["today"], _TIMEFRAME_ORDER["this-week"]
#: At most this many steps of a plan are due today; the rest of today's move to this week.
TODAY_LIMIT = 2


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


#: Why a rule is or is not in a plan, as :attr:`Decision.cause` says it (for counting them:
#: ``packs validate --coverage``); :attr:`Decision.reason` says the same in words.
CHOSEN = "chosen"
NOT_APPLYING = "not-applying"  # its score is 0: the condition does not hold, or the strength is 0
MERGED = "merged"  # replaced by the merging rule ``by``, which applies
MERGE_INCOMPLETE = "merge-incomplete"  # a merging rule whose parts do not all apply
TOP = "top"  # ranked below the --top cut
CAPACITY = "capacity"  # beyond the steps the person's capacity (or a plan_limit) allows
EXCLUDED = "excluded"  # excluded by the higher-ranked chosen rule ``by``
CATEGORY_CAP = "category-cap"  # its category already has --per-category steps
HELD_BACK = "held-back"  # needs the step ``by`` before it, which does not fit
KEPT_OUT = "kept-out"  # the pinned step ``by`` keeps the rest of the plan to other topics or less effort
DISPLACED = "displaced"  # gave its place to ``by``, a step the evidence mix ([[mix]]) requires
SAME_AUDIENCE = "same-audience"  # the higher-ranked chosen ``by`` already contacts its audience
CAUSES = (
    CHOSEN,
    NOT_APPLYING,
    MERGED,
    MERGE_INCOMPLETE,
    TOP,
    CAPACITY,
    EXCLUDED,
    CATEGORY_CAP,
    HELD_BACK,
    KEPT_OUT,
    DISPLACED,
    SAME_AUDIENCE,
)


@attrs.frozen
class Decision:
    """What selection did with one rule (for explanations): chosen or not, why in words
    (``reason``), and as one of :data:`CAUSES` (``cause``) with the rule that caused it
    (``by``: the excluding, merging or held-back-by rule), if any."""

    rule_id: str
    score: float
    chosen: bool
    reason: str
    cause: str = CHOSEN
    by: str | None = None


@attrs.frozen
class _Note:
    """What :meth:`Engine._select` did with one rule: one of :data:`CAUSES`, in words, and the
    index of the rule that caused it."""

    cause: str
    text: str
    by: int | None = None


class Engine:
    """Plans situations against one :class:`RuleSet`; ``guard`` handles a plugin signal
    function that fails (the app passes its plugins' guard, so ``strict`` holds here too)."""

    def __init__(self, ruleset: RuleSet, guard: Guard = LENIENT):
        self.ruleset = ruleset
        self._guard = guard
        self._rules = ruleset.rules
        self._signal_names = tuple(s.name for s in ruleset.signals)
        self._n_signals = len(self._signal_names)
        self._categories = tuple(r.rule.category for r in self._rules)
        self._pinned = tuple(r.rule.pin for r in self._rules)
        self._ids = tuple(r.rule.id for r in self._rules)
        index = {rule_id: i for i, rule_id in enumerate(self._ids)}
        # References as rule indices (a rule set made of some rules only may lack their targets).
        self._excludes = tuple(tuple(index[t] for t in r.rule.excludes if t in index) for r in self._rules)
        self._after = tuple(tuple(index[a] for a in r.rule.after if a in index) for r in self._rules)
        self._own_phase = tuple(_TIMEFRAME_ORDER[r.rule.timeframe] for r in self._rules)
        self._packs = tuple((p.id, p.version) for p in ruleset.packs)
        # Rule indices sorted by id: a stable sort on score then keeps ties in id order.
        self._by_id_order = sorted(range(len(self._rules)), key=lambda i: self._ids[i])
        self._pinned_rules = [i for i in self._by_id_order if self._pinned[i]]
        # Looked up once here rather than for every step of every plan.
        self._program, self._texts = ruleset.program, ruleset.texts
        self._rule_of = tuple(r.rule for r in self._rules)
        # Rules with a safety tier, most urgent tier first (then by id).
        rank = {tier: n for n, tier in enumerate(TIERS)}
        self._tiered = sorted(
            (i for i in self._by_id_order if self._rule_of[i].tier),
            key=lambda i: rank[self._rule_of[i].tier or ""],
        )
        self._plan_limit = tuple(r.rule.plan_limit for r in self._rules)
        # Composition (DESIGN §6b): merged steps replace their parts; a step holding an audience
        # back comes with that audience's steps, before them; chosen options are answered.
        self._merges = tuple(
            (i, tuple(index[m] for m in r.rule.merges if m in index))
            for i, r in enumerate(self._rules)
            if r.rule.merges
        )
        self._parts = dict(self._merges)
        # For each merging rule, the rules that exclude one of its parts: (rule, part).
        self._part_excluders = {
            m: tuple(
                (j, p)
                for j in self._by_id_order
                for p in parts
                if p in self._excludes[j] and j != m and j not in parts
            )
            for m, parts in self._merges
        }
        self._excludes = _merged_excludes(self._excludes, self._merges)
        self._audience = tuple(r.rule.audience for r in self._rules)
        holders: dict[str, list[int]] = {}
        for i in self._by_id_order:
            for audience in self._rules[i].rule.holds:
                holders.setdefault(audience, []).append(i)
        self._holders = tuple(
            tuple(h for h in holders.get(r.rule.audience or "", ()) if h != i)
            for i, r in enumerate(self._rules)
        )
        self._answering = tuple(
            (i, question, option)
            for i in self._by_id_order
            for entry in self._rules[i].rule.answers
            for question, option in [entry.split(".", 1)]
        )
        self._low_effort = tuple(
            1.0 if r.rule.pin else LOW_CAPACITY_EFFORT[r.rule.effort] for r in self._rules
        )
        self._capacity_program = ruleset.capacity_program
        self._capacity = tuple((c.capacity.id, c.capacity.steps) for c in ruleset.capacity)
        # What a pinned step allows in the rest of the plan, and what each step is.
        self._topics = tuple(frozenset(r.rule.topics) for r in self._rules)
        self._effort = tuple(EFFORTS.index(r.rule.effort) for r in self._rules)
        self._restricting = [
            i
            for i in self._pinned_rules
            if self._rule_of[i].plan_topics
            or self._rule_of[i].plan_effort
            or self._rule_of[i].plan_actions is not None
        ]
        # The evidence mix: for each entry, the rules that carry one of its topics.
        self._mix_program = ruleset.mix_program
        self._mix = tuple(
            (
                m.mix.id,
                frozenset(i for i in self._by_id_order if self._topics[i] & set(m.mix.topics)),
                m.mix.min_steps,
            )
            for m in ruleset.mix
        )

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
        out = self._program(self.values(situation, []))
        n = self._n_signals
        return Scored(
            dict(zip(self._signal_names, out[:n])), dict(zip(self._ids, out[n:])), self._tier(out[n:])
        )

    # -- planning -----------------------------------------------------------------------------

    def plan(
        self, situation: Situation, options: Options = Options(), skipped: list[SkippedPlugin] | None = None
    ) -> Plan:
        """The ranked, phased plan for ``situation``."""
        skipped = [] if skipped is None else skipped
        values = self.values(situation, skipped)
        out = self._program(values)
        n = self._n_signals
        scores = out[n:]
        signals = dict(zip(self._signal_names, out))
        # What texts read: answers, signals and the lookup tables' entries for these answers.
        known = {**values, **signals, **self.ruleset.lookup(values)}
        load = self.load(scores, known, options)
        scores = self._weighed(self._merged(scores), load)
        chosen = self._select(scores, options, load, self._owed(scores, values), self._needs(known), None)
        step = self._step
        steps = tuple(
            [
                step(i, phase, score, known, load.actions)
                for i, phase, score in self._order(chosen, scores, load.level == "low")
            ]
        )
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
        )

    def load(self, scores: tuple[float, ...], known: Mapping[str, Any], options: Options) -> Load:
        """The capacity the plan is sized for: the smallest of ``--top``, the ``steps`` of every
        capacity entry that holds, and the ``plan_limit`` of every pinned step that applies."""
        steps, because = options.top, []
        if self._capacity:
            for (capacity_id, limit), held in zip(self._capacity, self._capacity_program(known)):
                if held:
                    steps = min(steps, limit)
                    because.append(capacity_id)
        for i in self._pinned_rules:
            plan_limit = self._plan_limit[i]
            if plan_limit is not None and scores[i] > 0:
                steps = min(steps, plan_limit)
                because.append(self._ids[i])
        topics: frozenset[str] | None = None
        effort, actions = len(EFFORTS) - 1, None
        for i in self._restricting:
            if scores[i] > 0:
                rule = self._rule_of[i]
                if rule.plan_topics:
                    topics = frozenset(rule.plan_topics) if topics is None else topics & set(rule.plan_topics)
                if rule.plan_effort:
                    effort = min(effort, EFFORTS.index(rule.plan_effort))
                if rule.plan_actions is not None:
                    actions = min(actions or rule.plan_actions, rule.plan_actions)
        kept = (tuple(sorted(topics or ())), None if effort == len(EFFORTS) - 1 else EFFORTS[effort], actions)
        return Load("low", steps, tuple(because), *kept) if because else Load("full", steps, (), *kept)

    def _weighed(self, scores: tuple[float, ...], load: Load) -> tuple[float, ...]:
        """The scores the plan is ranked by: at low capacity, effort weighs them down (pinned
        steps keep theirs), so low-effort steps come first."""
        if load.level == "full":
            return scores
        factor = self._low_effort
        return tuple([s * factor[i] for i, s in enumerate(scores)])

    def _needs(self, known: Mapping[str, Any]) -> list[tuple[str, frozenset[int], int]]:
        """The evidence-mix entries that apply: ``(id, rules that meet it, plan size from which
        it counts)``."""
        if not self._mix:
            return []
        return [entry for entry, held in zip(self._mix, self._mix_program(known)) if held]

    def _merged(self, scores: tuple[float, ...]) -> tuple[float, ...]:
        """A merging rule applies only when all its parts do, with the best of their scores,
        and then replaces them (they no longer apply on their own); not when a rule that
        applies with at least that score excludes one of its parts (:meth:`_merge_blocker`):
        the parts then stand on their own, and that rule keeps out the part it excludes."""
        if not self._merges:
            return scores
        out = list(scores)
        for i, parts in self._merges:
            if out[i] > 0:
                part_scores = [scores[p] for p in parts]
                if min(part_scores) > 0 and self._merge_blocker(i, scores) is None:
                    out[i] = max(out[i], *part_scores)
                    for p in parts:
                        out[p] = 0.0
                else:
                    out[i] = 0.0
        return tuple(out)

    def _merge_blocker(self, i: int, scores: tuple[float, ...]) -> tuple[int, int] | None:
        """``(rule, part)``: the first rule that applies with at least the best score of merging
        rule ``i``'s parts and excludes one of them, if any."""
        best = max(scores[p] for p in self._parts[i])
        return next(((j, p) for j, p in self._part_excluders[i] if scores[j] > 0 and scores[j] >= best), None)

    def _owed(self, scores: tuple[float, ...], values: Mapping[str, Any]) -> list[int]:
        """For each option the person chose that rules declare they ``answers``, the best of
        those rules that applies: the steps a plan owes the person (highest score first)."""
        best: dict[tuple[str, str], int] = {}
        for i, question, option in self._answering:
            if scores[i] <= 0:
                continue
            answer = values.get(question)
            if answer == option or (isinstance(answer, (tuple, list)) and option in answer):
                j = best.get((question, option))
                if j is None or scores[i] > scores[j]:
                    best[(question, option)] = i
        return sorted(dict.fromkeys(best.values()), key=scores.__getitem__, reverse=True)

    def _tier(self, scores: tuple[float, ...]) -> str | None:
        """The tier of the most urgent tiered rule that applies (``None`` if none does)."""
        for i in self._tiered:
            if scores[i] > 0:
                return self._rule_of[i].tier
        return None

    def decisions(self, situation: Situation, options: Options = Options()) -> dict[str, Decision]:
        """For every rule: its score, whether it was chosen, and why (or why not)."""
        values = self.values(situation, [])
        out = self._program(values)
        raw = out[self._n_signals :]
        known = {**values, **dict(zip(self._signal_names, out))}
        load = self.load(raw, known, options)
        merged = self._merged(raw)
        scores = self._weighed(merged, load)
        log: dict[int, _Note] = {}
        for i, parts in self._merges:
            blocker = self._merge_blocker(i, raw) if raw[i] > 0 and min(raw[p] for p in parts) > 0 else None
            if blocker is not None:
                j, p = blocker
                log[i] = _Note(MERGE_INCOMPLETE, f"{self._ids[j]} excludes its part {self._ids[p]}", j)
            elif raw[i] > 0 and merged[i] <= 0:
                log[i] = _Note(
                    MERGE_INCOMPLETE,
                    "it merges "
                    + ", ".join(self._ids[p] for p in parts if raw[p] <= 0)
                    + ", which does not apply",
                )
            elif merged[i] > 0:
                log.update((p, _Note(MERGED, f"merged into {self._ids[i]}", i)) for p in parts if raw[p] > 0)
        chosen = set(self._select(scores, options, load, self._owed(scores, values), self._needs(known), log))
        missing = _Note(NOT_APPLYING, "its condition does not hold")
        decisions = {}
        for i, rule_id in enumerate(self._ids):
            note = log.get(i, missing)
            by = None if note.by is None else self._ids[note.by]
            decisions[rule_id] = Decision(rule_id, scores[i], i in chosen, note.text, note.cause, by)
        return decisions

    def _select(
        self,
        scores: tuple[float, ...],
        options: Options,
        load: Load,
        owed: list[int],
        needs: list[tuple[str, frozenset[int], int]],
        log: dict[int, _Note] | None,
    ) -> list[int]:
        """Rule indices in the order they were chosen: pinned first, then the steps owed to an
        option the person chose (``owed``: the first of them in a category takes none of its
        ``per_category`` places, the next ones count and obey the cap), then score descending,
        ties by id.

        At most ``load.steps`` unpinned steps are chosen, and fewer once a chosen step with a
        ``plan_limit`` allows only that many after it; a pinned step may keep the rest to some
        topics and effort (``load.topics``, ``load.effort``). One step per ``audience``: a
        lower-ranked step contacting an audience a chosen step contacts is left out. A step for
        an audience that a step which applies ``holds`` back brings that step along (before it),
        or is left out. Then each evidence-mix entry in ``needs`` that the plan misses brings its
        best step in, in place of the lowest-ranked step nothing else needs (:meth:`_mix_victim`).
        """
        ranked = sorted(self._by_id_order, key=scores.__getitem__, reverse=True)  # stable: ties by id
        pinned = [i for i in self._pinned_rules if scores[i] > 0]
        if pinned or owed:
            pinned.sort(key=scores.__getitem__, reverse=True)
            first = set(pinned).union(owed)
            ranked = pinned + [i for i in owed if not self._pinned[i]] + [i for i in ranked if i not in first]
        owed_set = set(owed)
        owed_categories: set[str] = set()  # categories that hold a step owed to an option
        chosen: list[int] = []
        taken_ids: set[int] = set()
        per_category: dict[str, int] = {}
        excluded: dict[int, int] = {}
        top, cap, unpinned = load.steps, options.per_category, 0
        is_pinned, categories, excludes = self._pinned, self._categories, self._excludes
        plan_limit, holders = self._plan_limit, self._holders
        allowed, most = frozenset(load.topics), EFFORTS.index(load.effort or EFFORTS[-1])
        topics, effort = self._topics, self._effort
        keeper = next((i for i in self._restricting if scores[i] > 0), None)
        audience = self._audience
        writer: dict[str, int] = {}  # audience -> the chosen step that contacts it

        def kept_out(i: int) -> bool:
            return not is_pinned[i] and (effort[i] > most or (bool(allowed) and not topics[i] <= allowed))

        def note(i: int, cause: str, text: str, by: int | None = None) -> None:
            if log is not None:
                log[i] = _Note(cause, text, by)

        def take(i: int) -> None:
            nonlocal top, unpinned
            chosen.append(i)
            taken_ids.add(i)
            if not is_pinned[i]:  # a pinned step is extra: it takes no slot
                if i in owed_set and categories[i] not in owed_categories:
                    owed_categories.add(categories[i])  # the first owed step takes no category place
                else:
                    per_category[categories[i]] = per_category.get(categories[i], 0) + 1
                unpinned += 1
                limit = plan_limit[i]
                if limit is not None:
                    top = min(top, unpinned + limit)
            for target in excludes[i]:
                excluded.setdefault(target, i)
            recipient = audience[i]
            if recipient is not None:
                writer.setdefault(recipient, i)

        def contacted(i: int) -> int | None:
            """The chosen step that already contacts ``i``'s audience, if any."""
            recipient = audience[i]
            return None if recipient is None else writer.get(recipient)

        for i in ranked:
            if scores[i] <= 0:
                break  # the rest do not apply either
            if i in taken_ids:
                continue  # came along with a step it holds back
            if keeper is not None and kept_out(i):
                note(
                    i,
                    KEPT_OUT,
                    f"{self._ids[i if keeper is None else keeper]} keeps the rest of "
                    "the plan to " + _kept_text(load),
                    keeper,
                )
                continue
            if unpinned >= top and not is_pinned[i]:
                if log is None:
                    break  # pinned rules come first: nothing after this can be chosen
                if load.level == "full" and top == load.steps:
                    note(i, TOP, f"ranked below the top {top}")
                elif load.level == "full":
                    note(
                        i,
                        CAPACITY,
                        f"the plan holds {top} further steps after the steps that limit it (plan_limit)",
                    )
                else:
                    note(
                        i,
                        CAPACITY,
                        f"the plan holds {top} further steps at this capacity ({', '.join(load.because)})",
                    )
                continue
            if i in excluded:
                note(i, EXCLUDED, f"excluded by the higher-ranked {self._ids[excluded[i]]}", excluded[i])
                continue
            if (j := contacted(i)) is not None:
                note(
                    i,
                    SAME_AUDIENCE,
                    f"{self._ids[j]} already contacts the {audience[i]}: one message per recipient",
                    j,
                )
                continue
            if (
                per_category.get(categories[i], 0) >= cap
                and not is_pinned[i]
                and (i not in owed_set or categories[i] in owed_categories)
            ):
                note(
                    i,
                    CATEGORY_CAP,
                    f"{cap} higher-ranked '{categories[i]}' steps already chosen"
                    + (
                        "; only the first step for an option you chose passes the cap"
                        if i in owed_set
                        else ""
                    ),
                )
                continue
            needed = [h for h in holders[i] if scores[h] > 0 and h not in taken_ids]
            if needed:
                room = top - unpinned - (0 if is_pinned[i] else 1)
                if (
                    any(h in excluded or kept_out(h) for h in needed)
                    or sum(not is_pinned[h] for h in needed) > room
                ):
                    note(
                        i,
                        HELD_BACK,
                        f"held back by {', '.join(self._ids[h] for h in needed)}, "
                        "which must come first and does not fit in the plan",
                        needed[0],
                    )
                    continue
                for h in needed:
                    take(h)
                    note(
                        h,
                        CHOSEN,
                        f"ranked {len(chosen)} of the plan: it comes before "
                        f"{self._ids[i]}, which it holds back",
                    )
            take(i)
            note(
                i,
                CHOSEN,
                "pinned: shown first whenever it applies"
                if is_pinned[i]
                else f"ranked {len(chosen)} of the plan"
                + (": it answers an option you chose" if i in owed_set else ""),
            )
        for mix_id, meets, min_steps in needs:
            if unpinned < min_steps or not meets.isdisjoint(chosen):
                continue
            new = next(
                (
                    i
                    for i in ranked
                    if i in meets
                    and scores[i] > 0
                    and i not in taken_ids
                    and i not in excluded
                    and not is_pinned[i]
                    and not kept_out(i)
                    and contacted(i) is None
                    and taken_ids.isdisjoint(excludes[i])
                    and all(scores[h] <= 0 or h in taken_ids for h in holders[i])
                ),
                None,
            )
            if new is None:
                continue
            why = f"ranked {len(chosen)} of the plan: a plan of {min_steps}+ steps needs one ({mix_id})"
            if unpinned >= top:
                old = self._mix_victim(chosen, scores, owed_set, needs)
                if old is None:
                    continue
                chosen.remove(old)
                taken_ids.discard(old)
                unpinned -= 1
                if categories[old] in per_category:
                    per_category[categories[old]] = max(0, per_category[categories[old]] - 1)
                excluded = {t: j for j in reversed(chosen) for t in excludes[j]}
                writer = {recipient: j for j in reversed(chosen) if (recipient := audience[j]) is not None}
                note(
                    old,
                    DISPLACED,
                    f"gave its place to {self._ids[new]}, which the plan needs ({mix_id})",
                    new,
                )
            take(new)
            note(new, CHOSEN, why)
        return chosen

    def _mix_victim(
        self,
        chosen: list[int],
        scores: tuple[float, ...],
        owed: set[int],
        needs: list[tuple[str, frozenset[int], int]],
    ) -> int | None:
        """The chosen step that can best give its place to a step the evidence mix needs: not
        pinned or of a safety tier, not holding or held back by another step,
        limiting no plan, and not the plan's only step for another mix entry; of those, the
        lowest-ranked one that repeats a topic of a higher-ranked step, else the lowest-ranked;
        a step owed to a chosen option (the least specific first) only when no other step can,
        while the plan keeps another owed step, and unless it is written for the situation
        (specificity 1)."""
        taken = set(chosen)
        several_owed = len(owed & taken) > 1
        held = {h for i in chosen for h in self._holders[i] if h in taken}
        ranked = sorted(chosen, key=lambda i: (-scores[i], self._ids[i]))
        seen: set[str] = set()
        repeats = set()
        for i in ranked:
            if not self._topics[i].isdisjoint(seen):
                repeats.add(i)
            seen.update(self._topics[i])

        def order(i: int) -> tuple[bool, float, bool]:  # owed last, the more specific of them later
            return i in owed, self._rule_of[i].specificity if i in owed else 0.0, i not in repeats

        for j in sorted(reversed(ranked), key=order):  # stable: lowest-ranked first
            rule = self._rule_of[j]
            if (
                self._pinned[j]
                or rule.tier
                or rule.plan_limit is not None
                or j in held
                or (j in owed and (not several_owed or rule.specificity >= 1))
                or any(h in taken for h in self._holders[j])
            ):
                continue
            if any(j in meets and len(meets & taken) == 1 for _, meets, _ in needs):
                continue
            return j
        return None

    def _order(
        self, chosen: list[int], scores: tuple[float, ...], low: bool = False
    ) -> list[tuple[int, int, float]]:
        """``(rule index, phase, score)`` in plan order: pinned steps first, then the most
        important step first (DESIGN §6b), with the score the plan is ranked by.

        A step that ``holds`` an audience back comes first after pinned steps, with the best
        score of the further steps. At ``low`` capacity, low-effort steps come next, then
        medium, then high ones. A step never precedes a step it comes ``after``: it moves to that
        step's effort group and phase if these are later. Scores never rise down the plan: a
        step's score is at most the one before it's. The timeframe is a label: at most
        :data:`TODAY_LIMIT` steps keep ``today``, later ones move to this week.
        """
        rank = {i: r for r, i in enumerate(chosen)}
        pinned, own_phase, after, holders = self._pinned, self._own_phase, self._after, self._holders
        score: dict[int, float] = {}
        phase: dict[int, int] = {}
        depth: dict[int, int] = {}
        group: dict[int, int] = {}  # at low capacity, the effort group it is listed in

        def resolve(i: int) -> None:
            if i in score:
                return
            own, step_phase, level = scores[i], own_phase[i], 0
            score[i], phase[i], depth[i] = own, step_phase, level  # ends any loop of holds
            group[i] = self._effort[i] if low else 0
            held = [h for h in holders[i] if h in rank]
            if held and step_phase == _TODAY:
                step_phase = _THIS_WEEK  # never today while held back
            for j in (*after[i], *held):  # 'after' has no cycles (checked at load), so this ends
                if j in rank and not pinned[j]:
                    resolve(j)
                    own, step_phase = min(own, score[j]), max(step_phase, phase[j])
                    level = max(level, depth[j] + 1)
                    group[i] = max(group[i], group[j])
            score[i], phase[i], depth[i] = own, step_phase, level

        for i in chosen:
            resolve(i)
        # A step that holds an audience back (cooling off) comes first after pinned ones, with
        # the best score of the plan's further steps: what follows waits for it.
        holding = [i for i in chosen if self._rule_of[i].holds and not pinned[i]]
        if holding:
            best = max(score[i] for i in chosen if not pinned[i])
            score.update((i, best) for i in holding)
        ordered = sorted(
            chosen, key=lambda i: (not pinned[i], i not in holding, group[i], -score[i], depth[i], rank[i])
        )
        out, today, above = [], 0, 1.0
        for i in ordered:
            if not pinned[i]:
                score[i] = above = min(score[i], above)
            step_phase = phase[i]
            if step_phase == _TODAY:
                today += 1
                if today > TODAY_LIMIT:
                    step_phase = _THIS_WEEK
            out.append((i, step_phase, score[i]))
        return out

    def _step(
        self, i: int, phase: int, score: float, values: Mapping[str, Any], most_actions: int | None = None
    ) -> Step:
        rule = self._rule_of[i]
        texts = self._texts(i, values)
        actions = texts[2] if most_actions is None or rule.pin else texts[2][:most_actions]
        draft = None
        if len(texts) > 3:
            draft = Draft(title=texts[3], body=texts[4].strip() + "\n", subject=texts[5])
        return Step(
            id=rule.id,
            pack=rule.pack,
            category=rule.category,
            topics=rule.topics,
            title=rule.title,
            why=texts[1],
            actions=actions,
            timeframe=TIMEFRAMES[phase],
            effort=rule.effort,
            score=score,
            reasons=texts[0],
            draft=draft,
            pinned=rule.pin,
            tier=rule.tier,
        )

    def rule(self, rule_id: str) -> CompiledRule:
        """The compiled rule with this full id (``KeyError`` if unknown)."""
        return self.ruleset.by_id[rule_id]


def _merged_excludes(
    excludes: tuple[tuple[int, ...], ...], merges: tuple[tuple[int, tuple[int, ...]], ...]
) -> tuple[tuple[int, ...], ...]:
    """The rules each rule excludes, where a merging step stands for its parts: it excludes
    its parts and what they exclude, and what excludes a part excludes it too."""
    out = [list(targets) for targets in excludes]
    merger_of = {p: m for m, parts in merges for p in parts}
    for m, parts in merges:
        out[m] += [*parts, *(t for p in parts for t in excludes[p] if t != m)]
    for i, targets in enumerate(excludes):
        out[i] += [merger_of[t] for t in targets if t in merger_of and merger_of[t] != i]
    return tuple(tuple(dict.fromkeys(targets)) for targets in out)


def _kept_text(load: Load) -> str:
    """What a pinned step allows in the rest of the plan, in words."""
    parts = []
    if load.effort:
        parts.append(f"{load.effort}-effort steps")
    if load.topics:
        parts.append("steps on " + ", ".join(load.topics))
    return " and ".join(parts) or "what it allows"


def _signal_value(function: Callable[[Mapping[str, Any]], Any], answers: Mapping[str, Any]) -> float | None:
    """A plugin signal function's value for ``answers``, clamped into [0, 1]."""
    return cond.clamp(function(answers))
