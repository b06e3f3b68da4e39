"""What composition and ordering read of every rule of a rule set, as tuples by rule index,
computed once when the rule set loads (so that every check of a plan is one lookup)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from .model import EFFORTS
from .ruleset import RuleSet


class RuleTables:
    """Per-rule tables of one :class:`~bounceback.ruleset.RuleSet`, by rule index: ids, pins,
    categories, topics, effort, audiences, exclusions, merges, holders, the options rules
    answer and the evidence mix's entries."""

    def __init__(self, ruleset: RuleSet) -> None:
        rules = tuple(r.rule for r in ruleset.rules)
        self.rules = rules
        self.ids = tuple(r.id for r in rules)
        index = {rule_id: i for i, rule_id in enumerate(self.ids)}
        #: Rule indices sorted by id: a stable sort on score then keeps ties in id order.
        self.by_id_order = sorted(range(len(rules)), key=self.ids.__getitem__)
        self.pinned = tuple(r.pin for r in rules)
        self.pinned_rules = [i for i in self.by_id_order if self.pinned[i]]
        #: ``f(scores)``: the scores in id order.
        self.in_id_order = _items_at(self.by_id_order)
        self.categories = tuple(r.category for r in rules)
        self.plan_limit = tuple(r.plan_limit for r in rules)
        self.topics = tuple(frozenset(r.topics) for r in rules)
        self.effort = tuple(EFFORTS.index(r.effort) for r in rules)
        self.audience = tuple(r.audience for r in rules)
        #: Pinned rules that keep the rest of the plan to some topics, effort or actions.
        self.restricting = [
            i
            for i in self.pinned_rules
            if rules[i].plan_topics or rules[i].plan_effort or rules[i].plan_actions is not None
        ]
        # References as rule indices (a rule set made of some rules only may lack their targets).
        excludes = tuple(tuple(index[t] for t in r.excludes if t in index) for r in rules)
        #: ``(merging rule, its parts)``: merged steps replace their parts.
        self.merges = tuple(
            (i, tuple(index[m] for m in r.merges if m in index)) for i, r in enumerate(rules) if r.merges
        )
        self.parts = dict(self.merges)
        # For each merging rule, the rules that exclude one of its parts: (rule, part).
        self.part_excluders = {
            m: tuple(
                (j, p)
                for j in self.by_id_order
                for p in parts
                if p in excludes[j] and j != m and j not in parts
            )
            for m, parts in self.merges
        }
        self.excludes = _merged_excludes(excludes, self.merges)
        by_audience: dict[str, list[int]] = {}
        for i, r in enumerate(rules):
            if r.audience is not None:
                by_audience.setdefault(r.audience, []).append(i)
        #: What choosing each rule rules out: the rules it excludes and the other rules that
        #: contact its audience (one message per recipient).
        self.shuts = tuple(
            frozenset(self.excludes[i]).union(by_audience.get(r.audience or "", ())) - {i}
            for i, r in enumerate(rules)
        )
        holders: dict[str, list[int]] = {}
        for i in self.by_id_order:
            for audience in rules[i].holds:
                holders.setdefault(audience, []).append(i)
        #: The rules that hold back each rule's audience (a step for it comes after them).
        self.holders = tuple(
            tuple(h for h in holders.get(r.audience or "", ()) if h != i) for i, r in enumerate(rules)
        )
        #: Pinned or safety-tier rules: taken before every other step, owed ones included.
        self.safety = tuple(r.pin or bool(r.tier) for r in rules)
        self.safety_rules = [i for i in self.by_id_order if self.safety[i]]
        #: A rule that can never give its place to the evidence mix: pinned or of a safety tier,
        #: limiting the plan, holding audiences back (the cool-off an angry person needs), or a
        #: message to an audience (a thank-you has its moment; the mix's steps can wait).
        self.fixed = tuple(
            r.pin or bool(r.tier) or r.plan_limit is not None or bool(r.holds) or r.audience is not None
            for r in rules
        )
        # For each question, the options rules answer, each with its rules as (where the rule
        # names it among every rule's answers, in id order; rule).
        answering: dict[str, dict[str, list[tuple[int, int]]]] = {}
        named = [(i, entry) for i in self.by_id_order for entry in rules[i].answers]
        for position, (rule, entry) in enumerate(named):
            question, option = entry.split(".", 1)
            answering.setdefault(question, {}).setdefault(option, []).append((position, rule))
        self.answering = tuple(
            (question, {option: tuple(found) for option, found in options.items()})
            for question, options in answering.items()
        )
        #: For each evidence-mix entry: its id, the rules carrying one of its topics, its size.
        self.mix = tuple(
            (
                m.mix.id,
                frozenset(i for i in self.by_id_order if self.topics[i] & set(m.mix.topics)),
                m.mix.min_steps,
            )
            for m in ruleset.mix
        )

    def chosen(self, values: Mapping[str, Any]) -> Iterator[tuple[str, str, tuple[tuple[int, int], ...]]]:
        """``(question, option, rules)`` for each option the person chose (in ``values``) that
        rules declare they ``answers``: ``rules`` are ``(where the rule names it, rule)``."""
        for question, options in self.answering:
            answer = values.get(question)
            if answer is None:
                continue
            for option in answer if isinstance(answer, (tuple, list)) else (answer,):
                found = options.get(option)
                if found is not None:
                    yield question, option, found


def _items_at(indices: Sequence[int]) -> Callable[[Sequence[float]], Sequence[float]]:
    """``f(values)``: the tuple of ``values`` at ``indices``, in their order (at C speed)."""
    if len(indices) > 1:
        return itemgetter(*indices)
    return lambda values: tuple(values[i] for i in indices)


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
