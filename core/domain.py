"""The answers' domain: for each question, the answers worth trying, each one that can change
an expression's value (every option and scale point; for numbers, the bounds and each constant
an expression compares them with, ±1; unanswered for optional questions), and the questions
each signal reads. The linter, the counterfactuals of ``bounceback explain`` and batch
screening draw answers from it."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator
from typing import Any

import attrs

from . import conditions as cond
from .model import Question
from .ruleset import RuleSet


@attrs.frozen
class Literals:
    """The literals a name is compared or combined with: numbers, texts and lists."""

    numbers: frozenset[float] = frozenset()
    texts: frozenset[str] = frozenset()
    lists: frozenset[tuple[Any, ...]] = frozenset()


def literals(ruleset: RuleSet) -> dict[str, Literals]:
    """For each name: the literals it is compared or combined with anywhere in the rule set."""
    found: dict[str, dict[str, set[Any]]] = {}
    roots = [s.expression.node for s in ruleset.signals if s.expression is not None]
    roots += [e.node for r in ruleset.rules for e in (r.when, r.strength) if e is not None]
    for root in roots:
        for node in _walk(root):
            if not isinstance(node, (cond.Compare, cond.Call)):
                continue
            parts = list(_walk(node))
            for name in {p.id for p in parts if isinstance(p, cond.Name)}:
                slot = found.setdefault(name, {"numbers": set(), "texts": set(), "lists": set()})
                for part in parts:
                    if (
                        isinstance(part, cond.Const)
                        and isinstance(part.value, (int, float))
                        and not isinstance(part.value, bool)
                    ):
                        slot["numbers"].add(part.value)
                    elif isinstance(part, cond.Const) and isinstance(part.value, str):
                        slot["texts"].add(part.value)
                    elif isinstance(part, cond.ListLit):
                        slot["lists"].add(part.values)
                        slot["texts"].update(v for v in part.values if isinstance(v, str))
    return {
        name: Literals(frozenset(s["numbers"]), frozenset(s["texts"]), frozenset(s["lists"]))
        for name, s in found.items()
    }


def signal_dependencies(ruleset: RuleSet) -> dict[str, frozenset[str]]:
    """Signal name → the question ids it reads, directly or through other signals (every
    question for a plugin's signal)."""
    every = frozenset(q.id for q in ruleset.questionnaire)
    depends: dict[str, frozenset[str]] = {}
    for signal in ruleset.signals:
        if signal.expression is None:
            depends[signal.name] = every
        else:
            depends[signal.name] = (
                frozenset(q for n in signal.expression.names for q in depends.get(n, frozenset({n}))) & every
            )
    return depends


def _walk(node: cond.Node) -> Iterator[cond.Node]:
    yield node
    for child in cond.children(node):
        yield from _walk(child)


def candidates(question: Question, literals: Literals = Literals()) -> tuple[Any, ...]:
    """The answers to ``question`` worth trying: each that can change an expression's value."""
    values: list[Any] = []
    kind = question.kind
    if kind == "bool":
        values = [False, True]
    elif kind == "choice":
        values = list(question.options)
    elif kind == "multi":
        lists = [(), tuple(question.options), *((o,) for o in question.options)]
        lists += [
            tuple(o for o in question.options if o in listed) for listed in sorted(literals.lists, key=repr)
        ]
        values = list(dict.fromkeys(v for v in lists))
    elif kind == "text":
        values = ["some text", *sorted(literals.texts)]
    elif (
        kind == "scale"
        and question.min is not None
        and question.max is not None
        and question.max - question.min <= 20
    ):
        values = list(range(math.ceil(question.min), math.floor(question.max) + 1))
    else:
        values = _number_candidates(question, literals.numbers)
    if not question.required and kind != "multi":
        values = [*values, None]
    return tuple(values)


def _number_candidates(question: Question, numbers: Collection[float]) -> list[int]:
    low = question.min if question.min is not None else min([0, *numbers]) - 1
    points = {math.ceil(low), math.ceil(low) + 1}
    for number in numbers:
        points.update((math.floor(number) - 1, math.floor(number), math.ceil(number), math.ceil(number) + 1))
    points.add(2 * max(points) + 10)  # "a lot"
    if question.max is not None:
        points.update((math.floor(question.max), math.floor(question.max) - 1))
    return sorted(p for p in points if p >= low and (question.max is None or p <= question.max))
