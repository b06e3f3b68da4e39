"""Screening a cohort row for the safety tiers (DESIGN §6c), even when it cannot be planned.

A row with an error (a bad cell, a missing answer) gets no plan, but the person behind it may
still need a coach's attention: :func:`screen` reads every answer that *is* valid, leaves the
others unknown, and evaluates the tiers' triggers (the ``when`` of each rule with a ``tier``)
exactly as a plan would. A trigger that holds on the valid answers flags the row; when none
holds but an answer a trigger reads is invalid or missing, and some answer to it would make a
trigger hold, the row is reported as *not screened*, so nobody is passed over in silence.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .. import conditions as cond
from ..conditions.assemble import Program
from ..domain import candidates
from ..engine import Engine
from ..model import TIERS, Question
from ..questionnaire import parse_answer
from ..ruleset import CompiledRule, RuleSet, Signal

#: The most combinations of unreadable answers tried before assuming a tier could apply.
MAX_TRIED = 1000


@attrs.frozen
class Screening:
    """What screening found: the ``tier`` (``None`` if no trigger holds), whether the row was
    ``screened`` (``False``: a trigger's answers were unreadable, see ``problem``), the
    distress signal of the valid answers, and ``problem``: why it was not screened, or which
    unreadable answers could make a more urgent tier apply."""

    tier: str | None
    screened: bool
    distress: float | None = None
    problem: str | None = None


UNREADABLE = Screening(None, False, None, "the record could not be read")


@functools.lru_cache(maxsize=8)
def trigger_questions(ruleset: RuleSet) -> frozenset[str]:
    """The questions the tiers' triggers read, directly or through signals (worked out once
    per rule set)."""
    triggers = [c.when for c in ruleset.rules if c.rule.tier and c.when]
    return frozenset(n for n in _read(ruleset, triggers) if n in ruleset.questionnaire.by_id)


def _read(ruleset: RuleSet, expressions: Iterable[cond.Expression]) -> set[str]:
    """Every name ``expressions`` read, directly or through the signals they read."""
    signals = {s.name: s.expression for s in ruleset.signals if s.expression is not None}
    names: set[str] = set()
    todo = [name for expression in expressions for name in expression.names]
    while todo:
        name = todo.pop()
        if name not in names:
            names.add(name)
            signal = signals.get(name)
            todo.extend(() if signal is None else signal.names)
    return names


def screen(app: Any, raw: Mapping[str, Any] | None) -> Screening:
    """Screen one row's raw answers (``None``: the record could not be read) with ``app``'s
    tiers; never raises for bad answers."""
    if raw is None:
        return UNREADABLE
    ruleset = app.ruleset
    answers: dict[str, Any] = {}
    unknown: list[Question] = []
    for question in ruleset.questionnaire:
        try:
            value = parse_answer(question, raw.get(question.id))
        except ValueError:
            value = None
            unknown.append(question)
        else:
            if value is None and question.required:
                unknown.append(question)
        answers[question.id] = () if question.kind == "multi" and value is None else value
    values = _with_signals(app.engine, answers)
    distress = values.get(ruleset.distress_signal)
    distress = None if distress is None else round(distress, 4)
    tier = _tier(ruleset, values)
    triggers = trigger_questions(ruleset)
    unread = [q for q in unknown if q.id in triggers]
    if unread and _could_hold(app.engine, answers, unread, more_urgent_than=tier):
        missing = ", ".join(q.id for q in unread)
        if tier is None:
            return Screening(
                None, False, distress, f"no valid answer to {missing}, which could make a safety tier apply"
            )
        return Screening(
            tier, True, distress, f"no valid answer to {missing}, which could make a more urgent tier apply"
        )
    return Screening(tier, True, distress)


@functools.lru_cache(maxsize=8)
def _trigger_signals(ruleset: RuleSet) -> tuple[Signal, ...]:
    """The signals the tiers' triggers and strengths read, directly or through other signals,
    in the rule set's order (each after those it reads): all that trying answers needs."""
    read = _read(ruleset, (e for c in _tiered(ruleset) for e in (c.when, c.strength) if e is not None))
    return tuple(s for s in ruleset.signals if s.name in read)


def _with_signals(
    engine: Engine, answers: Mapping[str, Any], signals: tuple[Signal, ...] | None = None
) -> dict[str, Any]:
    """The answers and every signal (or only ``signals``), by the reference interpreter, where
    an answer that is required but unreadable is unknown like any other (the compiled program
    assumes it is there). A plugin signal that fails is unknown (fatal when strict)."""
    values = dict(answers)
    for signal in engine.ruleset.signals if signals is None else signals:
        if signal.expression is None:  # a plugin's: the engine's guard handles its failure, as in a plan
            values[signal.name] = engine.plugin_signal(signal, answers, [])
            continue
        try:
            values[signal.name] = cond.clamp(cond.evaluate(signal.expression.node, values))
        except Exception:  # an expression that cannot be worked out is unknown
            values[signal.name] = None
    return values


def _tier(ruleset: RuleSet, values: Mapping[str, Any]) -> str | None:
    """The most urgent tier whose rule would score above 0 for ``values``."""
    for compiled, score in zip(_tiered(ruleset), _tier_program(ruleset)(values)):
        if score > 0:
            return compiled.rule.tier
    return None


@functools.lru_cache(maxsize=8)
def _tier_program(ruleset: RuleSet) -> Program:
    """The score of each rule of :func:`_tiered`, compiled with every name possibly unknown
    (here an answer may be unreadable, whatever the questionnaire requires): the compiled
    program keeps the interpreter's semantics for unknown values, without its explanations."""
    types = {name: attrs.evolve(vtype, nullable=True) for name, vtype in ruleset.types.items()}
    builder = cond.ProgramBuilder(types)
    for compiled in _tiered(ruleset):
        when, strength = compiled.when, compiled.strength
        builder.score(
            None if when is None else when.node,
            None if strength is None else strength.node,
            compiled.rule.weight,
        )
    return builder.build()


@functools.lru_cache(maxsize=8)
def _tiered(ruleset: RuleSet) -> tuple[CompiledRule, ...]:
    """The rules with a tier, most urgent tier first, then by id."""
    tiered = [r for r in ruleset.rules if r.rule.tier]
    return tuple(sorted(tiered, key=lambda r: (TIERS.index(r.rule.tier or ""), r.rule.id)))


def _could_hold(
    engine: Engine, answers: Mapping[str, Any], unread: list[Question], *, more_urgent_than: str | None = None
) -> bool:
    """Whether some answers to the ``unread`` questions would make a tier apply (one more
    urgent than ``more_urgent_than``, if given): each
    combination is tried when there are at most :data:`MAX_TRIED` (scales, yes/no and choice
    questions have few answers); beyond that, it is assumed that one would."""
    choices = [candidates(q) for q in unread]
    if math.prod(len(c) for c in choices) > MAX_TRIED:
        return True
    names, signals = [q.id for q in unread], _trigger_signals(engine.ruleset)
    for combination in itertools.product(*choices):
        tried = {**answers, **dict(zip(names, combination))}
        tier = _tier(engine.ruleset, _with_signals(engine, tried, signals))
        if tier is not None and (
            more_urgent_than is None or TIERS.index(tier) < TIERS.index(more_urgent_than)
        ):
            return True
    return False
