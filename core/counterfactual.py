"""What change of answers would change a rule's fate: the counterfactual part of ``explain``.

For a rule not in the plan: the smallest change of answers that puts it in the plan, and the
step number it would then have; for a step in the plan: the smallest change that drops it.
The search is bounded and exact for the condition language:

* it changes only the questions the rule's condition and strength read (directly or through
  the packs' signals), and, for a rule that holds but is merged, excluded or held back, those
  of the rule that does it (and of the other parts of a merge): at most :data:`MAX_QUESTIONS` of them, the rule's own first;
* the values it tries are those where an expression can change its value: every option of a
  choice, both answers of a yes/no question, every point of a scale, for a number each constant
  it is compared with anywhere in the rule set ±1 (so a boundary such as ``<= 21`` is found
  exactly) and a large value, for a multi adding or removing one option or adding every option
  a condition lists, and leaving an optional question unanswered;
* single changes first; pairs of changes only when no single one works; at most
  :data:`MAX_PLANS` plans in all;
* every changed answer set is validated as any answers are (types, ranges, the packs'
  consistency checks): a change the questionnaire would refuse is never proposed;
* it never changes an answer that a safety tier's condition reads, nor any answer of the
  questionnaire sections the crisis and pinned tiers read (how the person feels, their support
  and wellbeing): not levers to suggest, whichever way; and a
  change that would move the person into another safety tier (DESIGN §6c), or out of theirs,
  is never proposed either: "if self_harm_thoughts were yes" or "if hopelessness were 4" is not
  a way into a plan, nor "if self_harm_thoughts were no" a way out of one (the safety steps'
  own explanations included).

Among the changes that work, the smallest wins: fewest questions, then values nearest the
current ones (see :func:`_values`), then the best step number, then questionnaire order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import combinations, product
from typing import Any

import attrs

from .api import Bounceback
from .domain import Literals, candidates, literals, signal_dependencies
from .errors import AnswersError
from .model import TIERS, Question, Situation
from .ruleset import CompiledRule

#: The most questions the search changes (the first ones, in questionnaire order).
MAX_QUESTIONS = 12
#: The most plans the search makes.
MAX_PLANS = 4000


@attrs.frozen
class Change:
    """One answer changed: the question, its new value (``None``: unanswered) and the old one."""

    question: str
    value: Any
    before: Any = None

    def describe(self) -> str:
        """``career_doubt were 4 (it is 2)``; for a multi answer, what it would add or drop:
        ``open_to also included 'contract'``, ``skill_gaps no longer included 'tools'``."""
        if isinstance(self.value, tuple) and self.before:
            added = [o for o in self.value if o not in self.before]
            dropped = [o for o in self.before if o not in self.value]
            if added and not dropped:
                return f"{self.question} also included {_shown(tuple(added))}"
            if dropped and not added:
                return f"{self.question} no longer included {_shown(tuple(dropped))}"
        return f"{self.question} were {_shown(self.value)} (it is {_shown(self.before)})"


@attrs.frozen
class Counterfactual:
    """The smallest change found, and the rule's step number after it (``None``: not in the
    plan any more); ``still_applies``: the change drops a step whose condition still holds, so
    other steps outrank it (newcomer review 31: "it would leave your plan if ..." beside a
    condition that did not name the answer)."""

    changes: tuple[Change, ...]
    rank: int | None
    still_applies: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"changes": [{"question", "value"}], "rank", "still_applies"}``."""
        return {
            "changes": [{"question": c.question, "value": _json_value(c.value)} for c in self.changes],
            "rank": self.rank,
            "still_applies": self.still_applies,
        }

    def describe(self, in_plan: bool) -> str:
        """One sentence: what would change, and what that would do."""
        changes = " and ".join(c.describe() for c in self.changes)
        if in_plan and self.still_applies:
            return f"It would leave your plan if {changes}: it would still apply, but other steps would rank above it."
        if in_plan:
            return f"It would leave your plan if {changes}."
        return f"It would be step {self.rank} of your plan if {changes}."


def counterfactual(
    app: Bounceback,
    situation: Situation,
    rule_id: str,
    *,
    top: int,
    per_category: int,
    max_plans: int = MAX_PLANS,
) -> Counterfactual | None:
    """The smallest change of ``situation``'s answers that puts rule ``rule_id`` in the plan
    (or, when it is in it, drops it), or ``None`` when none is found within the limits."""
    search = _Search(app, situation, rule_id, top, per_category, max_plans)
    return search.run()


class _Search:
    def __init__(
        self, app: Bounceback, situation: Situation, rule_id: str, top: int, per_category: int, max_plans: int
    ):
        self.app, self.rule_id = app, rule_id
        self.answers = dict(situation.answers)
        self.top, self.per_category = top, per_category
        self.budget = max_plans
        rank, self.tier = self.outcome(self.answers)
        self.in_plan = rank is not None
        rules = [rule_id]
        by = app.decisions(situation, top=top, per_category=per_category)[rule_id].by
        if by is not None and not self.in_plan:  # the rule that merges, excludes or holds it back
            rules += [by, *(m for m in app.engine.rule(by).rule.merges if m in app.ruleset.by_id)]
        depends = signal_dependencies(app.ruleset)

        def read(compiled: CompiledRule) -> set[str]:
            own: set[str] = set()
            for expression in (compiled.when, compiled.strength):
                if expression is not None:
                    for name in expression.names:
                        own |= depends.get(name, {name})
            return own

        # How the person feels and how they are (the questionnaire sections the crisis and
        # pinned tiers read), and whatever a safety tier reads, are never levers to suggest,
        # whichever way (coach review 18: "if hopelessness were 5 (it is 4)" beside the
        # professional-help step, "if motivation were 1").
        guarded = set().union(*(read(r) for r in app.ruleset.rules if r.rule.tier))
        urgent = set().union(*(read(r) for r in app.ruleset.rules if r.rule.tier in TIERS[:2]))
        sections = {q.section for q in app.questionnaire if q.id in urgent}
        guarded |= {q.id for q in app.questionnaire if q.section in sections}
        names: dict[str, None] = {}
        for read_by in rules:
            own = read(app.engine.rule(read_by)) - guarded
            names.update((q.id, None) for q in app.questionnaire if q.id in own)
        found = literals(app.ruleset)
        self.values: dict[str, list[Any]] = {}
        for question_id in names:
            question = app.questionnaire.by_id[question_id]
            tried = _values(question, self.answers.get(question_id), found.get(question_id, Literals()))
            if tried and len(self.values) < MAX_QUESTIONS:
                self.values[question_id] = tried

    def outcome(self, answers: Mapping[str, Any] | Situation) -> tuple[int | None, str | None]:
        """The rule's step number in the plan for ``answers`` (``None``: not in it), and the
        plan's safety tier."""
        plan = self.app.plan(answers, top=self.top, per_category=self.per_category)
        steps = [s.id for s in plan.steps]
        return (steps.index(self.rule_id) + 1 if self.rule_id in steps else None), plan.tier

    def run(self) -> Counterfactual | None:
        for size in (1, 2):
            best: tuple[tuple[int, int], Counterfactual] | None = None
            for cost, changes in sorted(self._candidates(size), key=lambda c: c[0]):
                if self.budget <= 0 or (best is not None and cost > best[0][0]):
                    break  # the cheapest that works is found: only its equals may rank better
                answers = {**self.answers, **{q: value for q, value in changes}}
                try:
                    checked = self.app.situation(answers)
                except AnswersError:
                    continue  # the questionnaire would refuse these answers
                self.budget -= 1
                rank, tier = self.outcome(checked)
                if (rank is None) != self.in_plan or tier != self.tier:
                    continue
                key = (cost, rank or 0)
                if best is None or key < best[0]:
                    found = tuple(Change(q, value, self.answers.get(q)) for q, value in changes)
                    still = self.in_plan and self.app.engine.score(checked).scores[self.rule_id] > 0
                    best = (key, Counterfactual(found, rank, still))
            if best is not None:
                return best[1]
        return None

    def _candidates(self, size: int) -> Iterator[tuple[int, tuple[tuple[str, Any], ...]]]:
        """Every combination of ``size`` changes (question, value) with its cost: how far the
        values are from the current ones, added up."""
        for questions in combinations(self.values, size):
            for picks in product(*(self.values[q] for q in questions)):
                yield (
                    sum(distance for distance, _ in picks),
                    tuple((q, value) for q, (_, value) in zip(questions, picks)),
                )


def _values(question: Question, current: Any, found: Literals) -> list[tuple[int, Any]]:
    """The values worth trying for ``question``, each with how far it is from ``current``:
    for a number or scale its place among the values nearest to it; 1 for another option or
    yes/no; for a multi the options added or removed; unanswered, one more than the farthest."""
    if question.kind == "multi":
        chosen = tuple(current or ())
        tried = [
            tuple(o for o in question.options if (o in chosen) != (o == option))
            for option in question.options
        ]
        tried += [
            tuple(o for o in question.options if o in chosen or o in listed)
            for listed in sorted(found.lists, key=repr)
        ]
        tried.append(())
        return [(len(set(v) ^ set(chosen)), v) for v in dict.fromkeys(tried) if v != chosen]
    if question.kind == "text" and not found.texts:
        return []  # a condition can only ask whether it is answered: nothing to suggest
    tried = [v for v in candidates(question, found) if v != current and v is not None]
    if isinstance(current, (int, float)) and not isinstance(current, bool):

        def nearness(value: Any) -> tuple[float, float]:
            return abs(value - current), value

        tried.sort(key=nearness)
        out: list[tuple[int, Any]] = list(enumerate(tried, 1))
    else:
        out = [(1, v) for v in tried]
    if current is not None and not question.required:
        out.append((max([d for d, _ in out] + [0]) + 1, None))
    return out


def _shown(value: Any) -> str:
    if value is None or value == ():
        return "unanswered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(repr(v) for v in value)
    return repr(value) if isinstance(value, str) else str(value)


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
