"""Why a rule is in a plan, or why not: ``bounceback explain ANSWERS RULE_ID``.

An explanation puts together what the engine knows about one rule for one situation: the
trace of its ``when`` condition (which sub-conditions held or failed, with the answers they
read), its score (weight × strength), and what selection did with it (chosen, or dropped by a
cap, an exclusion or the top-N cut), checked against the final plan after plugins adjusted it,
and the smallest change of answers that would change that (:mod:`bounceback.counterfactual`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from . import conditions as cond
from .api import Bounceback
from .counterfactual import Counterfactual, counterfactual
from .decisions import MERGED, NOT_APPLYING
from .defaults import DEFAULT_PER_CATEGORY, DEFAULT_TOP
from .errors import BouncebackError, Problem, did_you_mean
from .filling import choices
from .model import SPECIFIC_BONUS, Rule, Situation
from .ruleset import CompiledRule
from .templates import parse_wording

UNANSWERED = " is unanswered"


@attrs.frozen
class RuleExplanation:
    """Everything that decided one rule's fate in one plan."""

    rule: Rule
    score: float
    position: int | None  # the step's number in the plan (1-based), None when not in it
    reason: str  # what selection did, e.g. "ranked 2 of the plan"
    when: cond.Trace | None  # None: the rule has no condition
    strength: float  # in [0, 1]; 1 when the rule has no strength expression
    adjusted: bool = False  # a plugin's bounceback_adjust_plan added or removed the step
    #: Which wording each text with variants or conditional segments shows, and why.
    wording: tuple[str, ...] = ()
    #: What selection did, as one of the engine's causes, and the rule that caused it.
    cause: str = ""
    by: str | None = None
    #: The smallest change of answers that puts it in the plan or drops it (None: none found).
    counterfactual: Counterfactual | None = None

    @property
    def in_plan(self) -> bool:
        """Whether the rule is a step of the final plan."""
        return self.position is not None

    @property
    def own_score(self) -> float:
        """The rule's own score: weight × strength × (1 + SPECIFIC_BONUS × specificity), at most
        1, and 0 when its condition does not hold (``score`` is what the plan ranks it by)."""
        if not self.holds:
            return 0.0
        rule = self.rule
        return min(1.0, rule.weight * self.strength * (1 + SPECIFIC_BONUS * rule.specificity))

    @property
    def holds(self) -> bool:
        """Whether the rule's condition holds (a rule without one always applies)."""
        return self.when is None or bool(self.when.value)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "rule": self.rule.id,
            "title": self.rule.title,
            "in_plan": self.in_plan,
            "position": self.position,
            "reason": self.reason,
            "adjusted_by_plugin": self.adjusted,
            "when": self.rule.when,
            "holds": self.holds,
            "because": self.when.reasons() if self.when is not None and self.holds else [],
            "failed": self.when.failures() if self.when is not None and not self.holds else [],
            "weight": self.rule.weight,
            "strength": round(self.strength, 4),
            "specificity": self.rule.specificity,
            "own_score": round(self.own_score, 4),
            "score": round(self.score, 4),
            "wording": list(self.wording),
            "counterfactual": None if self.counterfactual is None else self.counterfactual.to_dict(),
        }


def find_rule(app: Bounceback, rule_id: str) -> str:
    """``rule_id`` if the rule exists, else a :class:`BouncebackError` with a did-you-mean.

    A bare rule name (``"request"``) is suggested its full ids (``"feedback.request"``).
    """
    ids = app.ruleset.by_id
    if rule_id in ids:
        return rule_id
    same_name = sorted(i for i in ids if i.split(".", 1)[-1] == rule_id)
    hint = (
        f" (did you mean {' or '.join(repr(i) for i in same_name)}?)"
        if same_name
        else did_you_mean(rule_id, ids)
    )
    raise BouncebackError(
        Problem(
            f"unknown rule{hint}; rule ids are '<pack>.<name>', "
            'as in the steps\' "id" of `bounceback plan --format json`',
            field=rule_id,
            code="unknown-rule",
        )
    )


def explain_rule(
    app: Bounceback,
    answers: Mapping[str, Any] | Situation,
    rule_id: str,
    *,
    top: int = DEFAULT_TOP,
    per_category: int = DEFAULT_PER_CATEGORY,
) -> RuleExplanation:
    """Why rule ``rule_id`` is or is not in the plan for ``answers``."""
    compiled = app.engine.rule(find_rule(app, rule_id))
    situation = app.situation(answers)
    scored = app.engine.score(situation)
    values = {**app.engine.values(situation, []), **scored.signals}
    decision = app.decisions(situation, top=top, per_category=per_category)[rule_id]
    steps = [s.id for s in app.plan(situation, top=top, per_category=per_category).steps]
    position = steps.index(rule_id) + 1 if rule_id in steps else None
    strength = (
        1.0
        if compiled.strength is None
        else cond.strength_value(cond.evaluate(compiled.strength.node, values))
    )
    when = None if compiled.when is None else cond.explain(compiled.when.node, values)
    reason = decision.reason
    if decision.cause == NOT_APPLYING and (when is None or when.value):
        reason = "its strength is 0 for these answers"
    return RuleExplanation(
        rule=compiled.rule,
        score=decision.score,
        position=position,
        reason=reason,
        when=when,
        strength=strength,
        adjusted=(position is not None) != decision.chosen,
        wording=explain_wording(app, compiled, values),
        cause=decision.cause,
        by=decision.by,
        counterfactual=counterfactual(app, situation, rule_id, top=top, per_category=per_category),
    )


def explain_wording(app: Bounceback, compiled: CompiledRule, values: Mapping[str, Any]) -> tuple[str, ...]:
    """For each text of the rule (and its draft) that varies with the answers: which variant
    or conditional part it shows for ``values``, and the answers that decided it."""
    conditions = compiled.text_conditions

    def holds(source: str) -> bool:
        return bool(cond.evaluate(conditions[source].node, values))

    lines = []
    for field, wording in compiled.wordings(app.ruleset.template_of(compiled)):
        for choice, index in choices(parse_wording(wording), values, holds):
            tried = (
                [w for w, _ in choice.branches[:index] if w is not None]
                if index is not None
                else [w for w, _ in choice.branches if w is not None]
            )
            failed = f"none of {', '.join(f'`{w}`' for w in tried)} holds" if tried else ""
            when = None if index is None else choice.branches[index][0]
            if when is not None:
                because = "; ".join(cond.explain(conditions[when].node, values).reasons())
                shown = f"the part for `{when}`" + (f", because {because}" if because else "")
            elif index is not None:
                shown = "the fallback wording" + (f", because {failed}" if failed else "")
            else:
                shown = f"nothing, because {failed}"
            lines.append(f"{field}: {shown}")
    return tuple(lines)


def render_text(explanation: RuleExplanation) -> str:
    """The explanation for a terminal."""
    rule = explanation.rule
    out = [
        f"{rule.id}: {rule.title}",
        f"  pack {rule.pack} · {rule.category} · {rule.timeframe} · {rule.effort} effort",
        "",
    ]
    if explanation.in_plan:
        out.append(f"In your plan as step {explanation.position} ({explanation.reason}).")
    else:
        out.append(f"Not in your plan: {explanation.reason}.")
    if explanation.adjusted:
        out.append(
            "  A plugin changed the plan after ranking and "
            + ("added" if explanation.in_plan else "removed")
            + " this step."
        )
    out.append("")
    if explanation.when is None:
        out.append("Condition: none, the rule always applies.")
    else:
        out.append(f"Condition: {rule.when}")
        if explanation.holds:
            out.append("  holds, because:")
            out += [f"    · {reason}" for reason in explanation.when.reasons()]
        else:
            out.append("  does not hold, because:")
            failures = explanation.when.failures()
            out += [f"    · {failure}" for failure in failures]
            # Never an invitation to answer a safety question differently (coach review 15).
            if any(UNANSWERED in f for f in failures) and not (rule.tier or rule.pin):
                out.append(
                    "  A condition on an unanswered question does not hold; answering it may change this."
                )
    out.append("")
    strength = f" (strength: {rule.strength})" if rule.strength else ""
    if explanation.holds:
        specific = 1 + SPECIFIC_BONUS * rule.specificity
        own = explanation.own_score
        factor = f" × {specific:g} (specificity {rule.specificity:g})" if rule.specificity else ""
        out.append(
            f"Score: {own:.2f} = weight {rule.weight:.2f} × "
            f"strength {explanation.strength:.2f}{strength}{factor}"
        )
        if explanation.cause == MERGED:
            out.append(f"  Merged into {explanation.by}, it is not ranked on its own.")
        elif abs(explanation.score - own) > 5e-3:
            # Newcomer check: "Score: 0.50", then "The plan ranks it by 0.73", nothing linking them.
            lower = explanation.score < own
            why = "its effort weighed at this capacity" if lower else "the best score of the steps it merges"
            out.append(f"  The plan ranks it by {explanation.score:.2f}, {why}.")
    else:
        out.append(f"Score: 0, because the condition does not hold (weight {rule.weight:.2f}).")
    out += ["", "What would change this:", f"  {_counterfactual_text(explanation)}"]
    if explanation.wording:
        out += ["", "Wording (texts that vary with the answers):"]
        out += [f"  · {line}" for line in explanation.wording]
    return "\n".join(out) + "\n"


def _counterfactual_text(explanation: RuleExplanation) -> str:
    if explanation.counterfactual is not None:
        return explanation.counterfactual.describe(explanation.in_plan)
    change = "takes it out of" if explanation.in_plan else "puts it in"
    return (
        f"No change of one or two of the answers it depends on {change} your plan\n"
        "  (within the limits in docs/pack-authoring.md, 'Counterfactual explain')."
    )
