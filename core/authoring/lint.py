"""Linting a rule set: rules that can never be recommended, and rules another always masks.

:meth:`RuleSet.build <bounceback.ruleset.RuleSet.build>` already refuses rules that are
constant (weight 0, a condition without names that is always false...). This module finds what
needs the answers' domain:

* conditions whose parts contradict each other (``days_since_rejection > 30 and
  days_since_rejection < 10``) and strengths that are 0 whenever the condition holds;
* rules that are always masked: whenever they apply, a higher-ranked rule that ``excludes``
  them applies too.

and, through :mod:`bounceback.authoring.wordlint`, texts that would be false for some of the people they
are shown to, and through :mod:`bounceback.authoring.typos`, unknown topics and stray markup.

The rules are evaluated, compiled as the engine runs them, over answers drawn from the
questionnaire's domain (:mod:`bounceback.domain`): each value that matters to the expressions (every option and scale
point; for numbers, the bounds and each constant an expression compares them with, ±1;
unanswered for optional questions). When the answers a rule reads have few enough
combinations, all are tried; otherwise a random sample with a fixed seed is. Findings are
warnings (severity ``warning``): a sample can miss a rare combination.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .. import conditions as cond
from ..domain import Literals, candidates, literals, signal_dependencies
from ..engine import Engine
from ..errors import Problem
from ..model import Pack, Rule, Situation
from ..results import SkippedPlugin
from ..ruleset import CompiledRule, RuleSet
from .typos import lint_typos
from .wordlint import lint_wording

#: Random situations drawn to find quickly which rules fire.
SAMPLES = 600
#: Most combinations tried for one rule before sampling instead of enumerating.
BUDGET = 20_000
SEED = 0
WARNING = "warning"


@attrs.frozen
class LintOptions:
    """How hard the linter looks: screening samples, per-rule budget, random seed."""

    samples: int = SAMPLES
    budget: int = BUDGET
    seed: int = SEED


def lint(
    ruleset: RuleSet, *, packs: Collection[str] | None = None, options: LintOptions = LintOptions()
) -> list[Problem]:
    """Warnings about the rules of ``packs`` (pack ids; all packs when ``None``) in ``ruleset``.

    Each warning is a :class:`~bounceback.errors.Problem` with code ``never-fires`` or
    ``masked``, naming the pack file, the rule's line and the rule id.
    """
    linter = _Linter(ruleset, options)
    return (
        linter.run(packs)
        + lint_wording(ruleset, linter.samples, packs=packs, seed=options.seed)
        + lint_typos(ruleset, packs=packs)
    )


# -- evaluation -------------------------------------------------------------------------------


@attrs.frozen
class _Search:
    """Some rules' outputs over combinations of the answers they read."""

    combos: tuple[dict[str, Any], ...]
    outputs: tuple[tuple[float, ...], ...]
    exhaustive: bool
    names: tuple[str, ...]
    solved: bool = False  # the combos are those that make each part of a condition hold

    def scope(self) -> str:
        """How much was tried, for messages."""
        reads = ", ".join(self.names)
        count = len(self.combos)
        if self.solved:
            sampled = "" if self.exhaustive else ", among sampled answers,"
            return f"checked the {_plural(count)}{sampled} that make each part hold of the answers it reads: {reads}"
        if self.exhaustive:
            return f"checked all {_plural(count)} of the answers it reads: {reads}"
        return f"in {count} sampled combinations of the answers it reads: {reads}"

    def fired(self) -> bool:
        """Whether the first rule scored above 0 anywhere."""
        return any(out[0] > 0 for out in self.outputs)


class _Linter:
    def __init__(self, ruleset: RuleSet, options: LintOptions):
        self.ruleset = ruleset
        self.options = options
        found = literals(ruleset)
        self.domain = {q.id: candidates(q, found.get(q.id, Literals())) for q in ruleset.questionnaire}
        rng = random.Random(options.seed)
        self.samples = [
            {qid: rng.choice(values) for qid, values in self.domain.items()}
            for _ in range(max(1, options.samples))
        ]
        self.pack_of: dict[str, Pack] = {p.id: p for p in ruleset.packs}
        self.depends = self._dependencies()

    def _dependencies(self) -> dict[str, frozenset[str]]:
        """Signal name → the question ids it reads (every question for a plugin's signal)."""
        return signal_dependencies(self.ruleset)

    def reads(self, *rules: CompiledRule) -> tuple[str, ...]:
        """The question ids that ``rules`` read, directly or through signals."""
        names: set[str] = set()
        for compiled in rules:
            for expression in (compiled.when, compiled.strength):
                if expression is not None:
                    for name in expression.names:
                        names |= self.depends.get(name, {name})
        return tuple(sorted(names & set(self.domain)))

    def evaluate(
        self, rules: Sequence[CompiledRule], answers: Sequence[Mapping[str, Any]]
    ) -> Iterator[tuple[float, ...]]:
        """Each rule's score for each set of answers, as the engine computes it."""
        ruleset = RuleSet(
            self.ruleset.packs,
            self.ruleset.questionnaire,
            self.ruleset.signals,
            rules,
            self.ruleset.templates,
        )
        engine = Engine(ruleset)
        skipped: list[SkippedPlugin] = []  # a failing plugin signal counts as unknown here
        for values in answers:
            yield ruleset.program(engine.values(Situation(values), skipped))[1]

    def combinations(self, names: Sequence[str], key: str) -> tuple[list[dict[str, Any]], bool]:
        """Every combination of the candidate answers to ``names`` (``True``), or a fixed-seed
        sample of the budget's size when there are more (``False``)."""
        exhaustive = math.prod(len(self.domain[n]) for n in names) <= self.options.budget
        if exhaustive:
            values: Iterator[tuple[Any, ...]] = itertools.product(*(self.domain[n] for n in names))
        else:
            rng = random.Random(f"{self.options.seed}:{key}")
            values = (tuple(rng.choice(self.domain[n]) for n in names) for _ in range(self.options.budget))
        return [dict(zip(names, v)) for v in values], exhaustive

    def search(
        self,
        rules: Sequence[CompiledRule],
        key: str,
        combos: Sequence[dict[str, Any]] | None = None,
        exhaustive: bool = True,
    ) -> _Search:
        """Evaluate ``rules`` over every combination of the answers they read, or a sample when
        there are more than the budget (or over ``combos``, when given)."""
        names = self.reads(*rules)
        given = combos is not None
        if combos is None:
            combos, exhaustive = self.combinations(names, key)
        bases = self.samples
        answers = [{**bases[i % len(bases)], **combo} for i, combo in enumerate(combos)]
        return _Search(tuple(combos), tuple(self.evaluate(rules, answers)), exhaustive, names, solved=given)

    # -- checks -------------------------------------------------------------------------------

    def run(self, packs: Collection[str] | None) -> list[Problem]:
        rules = self.ruleset.rules
        screen = list(self.evaluate(rules, self.samples))
        problems: list[Problem] = []
        for index, compiled in enumerate(rules):
            rule = compiled.rule
            if packs is not None and rule.pack not in packs:
                continue
            fired = [s for s in screen if s[index] > 0]
            if not fired:
                problem = self._never_fires(compiled)
                if problem is not None:
                    problems.append(problem)
                    continue
            problems.extend(self._masked(compiled, index, screen))
        return problems

    def _problem(self, rule: Rule, message: str, code: str) -> Problem:
        pack = self.pack_of[rule.pack]
        line = pack.line_of(f"{rule.id}.when") or pack.line_of(rule.id)
        return Problem(message, pack.source, line, rule.id, code)

    def _never_fires(self, compiled: CompiledRule) -> Problem | None:
        """A warning if ``compiled`` scores 0 in every combination tried, saying which part fails."""
        rule = compiled.rule
        parts = _conjuncts(compiled.when.node) if compiled.when is not None else []
        probes = [compiled] + [_probe(rule, f"part{i}", part) for i, part in enumerate(parts)]
        found = self.search(probes, rule.id)
        if found.fired():
            return None
        if not found.exhaustive and len(parts) > 1:
            # Too many combinations to try them all: solve the parts one by one instead.
            solved = self._solve(probes, parts)
            if not isinstance(solved, _Search):
                return self._problem(rule, f"rule can never be recommended: {solved}", "never-fires")
            if solved.fired():
                return None
            found = solved
        patterns = {tuple(v > 0 for v in out[1:]) for out in found.outputs}
        if not parts or any(all(p) for p in patterns):
            reason = f"its strength {rule.strength!r} is 0 whenever its condition holds ({found.scope()})"
        elif len(parts) == 1:
            reason = f"its condition never holds ({found.scope()})"
        else:
            reason = _contradiction(parts, patterns, found.scope())
        return self._problem(rule, f"rule can never be recommended: {reason}", "never-fires")

    def _solve(self, probes: Sequence[CompiledRule], parts: Sequence[cond.Node]) -> _Search | str:
        """Find the answers that make each part of a condition hold, then combine them.

        Returns the search over the combined answers, or the reason no combination exists.
        """
        holding: list[list[dict[str, Any]]] = []
        exhaustive = True
        for i, part in enumerate(parts):
            found = self.search([probes[i + 1]], probes[i + 1].rule.id)
            exhaustive = exhaustive and found.exhaustive
            holding.append([c for c, out in zip(found.combos, found.outputs) if out[0] > 0])
            if not holding[-1]:
                return f"its condition's part `{cond.source_of(part)}` never holds ({found.scope()})"
        how = "combining every answer" if exhaustive else "combining sampled answers"
        combined = holding[0]
        for i in range(1, len(parts)):
            combined = _join(combined, holding[i], self.options.budget)
            if not combined:
                pairs = [(a, i) for a in range(i) if not _join(holding[a], holding[i], 1)]
                a, b = pairs[0] if pairs else (0, i)
                together = (
                    f"parts `{cond.source_of(parts[a])}` and `{cond.source_of(parts[b])}`"
                    if pairs
                    else "parts"
                )
                return f"its condition's {together} never hold together ({how} that makes each part hold)"
        rest = [n for n in self.reads(probes[0]) if n not in combined[0]]  # read by the strength only
        if rest:
            others, complete = self.combinations(rest, probes[0].rule.id)
            combined = _join(combined, others, self.options.budget)
            exhaustive = exhaustive and complete
        return self.search(probes, probes[0].rule.id, combined, exhaustive)

    def _masked(
        self, compiled: CompiledRule, index: int, screen: Sequence[tuple[float, ...]]
    ) -> list[Problem]:
        """Warnings for each rule that excludes ``compiled`` and outranks it wherever it applies."""
        rule = compiled.rule
        problems = []
        for other_index, other in enumerate(self.ruleset.rules):
            if rule.id not in other.rule.excludes or other.rule.id == rule.id:
                continue
            if any(
                s[index] > 0 and not _outranks(other.rule, s[other_index], rule, s[index]) for s in screen
            ):
                continue
            found = self.search([compiled, other], f"{rule.id}/{other.rule.id}")
            applies = [out for out in found.outputs if out[0] > 0]
            if applies and all(_outranks(other.rule, out[1], rule, out[0]) for out in applies):
                problems.append(
                    self._problem(
                        rule,
                        f"rule is always masked: wherever it applies, the higher-ranked "
                        f"{other.rule.id} applies too and excludes it ({found.scope()})",
                        "masked",
                    )
                )
        return problems


def _plural(count: int) -> str:
    return f"{count} combination{'s' if count != 1 else ''}"


def _conjuncts(node: cond.Node) -> list[cond.Node]:
    if isinstance(node, cond.BoolOp) and node.op == "and":
        return [leaf for value in node.values for leaf in _conjuncts(value)]
    return [node]


def _probe(rule: Rule, name: str, node: cond.Node) -> CompiledRule:
    """A stand-in rule that scores 1 exactly when ``node`` holds."""
    text = cond.source_of(node)
    probe = attrs.evolve(rule, id=f"{rule.id}#{name}", when=text, strength=None, weight=1.0, pin=False)
    return CompiledRule(probe, cond.Expression(text, node, cond.VType(cond.BOOL)), None)


def _contradiction(parts: Sequence[cond.Node], patterns: Collection[tuple[bool, ...]], scope: str) -> str:
    """Which part of a condition never holds, or which two parts never hold together."""
    for i, part in enumerate(parts):
        if not any(p[i] for p in patterns):
            return f"its condition's part `{cond.source_of(part)}` never holds ({scope})"
    for i, j in itertools.combinations(range(len(parts)), 2):
        if not any(p[i] and p[j] for p in patterns):
            return (
                f"its condition's parts `{cond.source_of(parts[i])}` and "
                f"`{cond.source_of(parts[j])}` never hold together ({scope})"
            )
    return f"its condition's parts never all hold together ({scope})"


def _join(
    left: Sequence[dict[str, Any]], right: Sequence[dict[str, Any]], limit: int
) -> list[dict[str, Any]]:
    """The merged answers of ``left`` and ``right`` that agree on shared questions (at most
    ``limit``)."""
    shared = sorted(set(left[0]) & set(right[0])) if left and right else []
    index: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for combo in right:
        index.setdefault(tuple(combo[k] for k in shared), []).append(combo)
    merged: list[dict[str, Any]] = []
    for combo in left:
        for other in index.get(tuple(combo[k] for k in shared), ()):
            merged.append({**combo, **other})
            if len(merged) >= limit:
                return merged
    return merged


def _outranks(winner: Rule, winner_score: float, loser: Rule, loser_score: float) -> bool:
    """Whether ``winner`` applies and ranks above ``loser`` (pinned first, score, then id)."""
    if winner_score <= 0:
        return False
    if winner.pin != loser.pin:
        return winner.pin
    return (winner_score, loser.id) > (loser_score, winner.id)
