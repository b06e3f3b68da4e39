"""How rules behave over many people: ``bounceback packs validate --coverage``.

Over seeded sample profiles (:mod:`bounceback.authoring.profiles`), for each rule: in how many its
condition holds, in how many it is chosen, and, where it holds but is not chosen, what the
engine did instead (its :class:`~bounceback.decisions.Decision` causes: the top-N cut, the
person's capacity, the category cap, an exclusion, a merge, a step it is held back by, a
strength of 0), and which rules displaced it; for each evidence-mix entry (DESIGN §6b), in how
many plans it applies and how many miss it; and how many profiles get a plan of fewer than
:data:`MIN_STEPS` steps. Plans are the engine's, before plugins adjust them.

A rule chosen in fewer than :data:`MIN_CHOICE_RATE` of the profiles where it holds (masked
everywhere, when never), and profiles with short plans, are warnings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import attrs

from .. import conditions as cond
from ..api import Bounceback
from ..decisions import (
    CAPACITY,
    CATEGORY_CAP,
    DISPLACED,
    EXCLUDED,
    HELD_BACK,
    KEPT_OUT,
    MERGE_INCOMPLETE,
    MERGED,
    NOT_APPLYING,
    SAME_AUDIENCE,
    TOP,
)
from ..defaults import COVERAGE_SAMPLES, COVERAGE_SEED, DEFAULT_PER_CATEGORY, DEFAULT_TOP
from ..engine import Options
from ..errors import Problem
from ..model import Pack, Rule
from .profiles import ProfileMaker

#: A rule chosen in fewer of the profiles where it holds than this share is a warning.
MIN_CHOICE_RATE = 0.05
#: A plan with fewer steps than this is a warning.
MIN_STEPS = 3
#: Why a rule that holds is not applying: its strength is 0 for these answers.
STRENGTH_0 = "strength-0"


@attrs.frozen
class RuleCoverage:
    """One rule over the samples: profiles where it holds, where it is chosen, and what kept
    it out where it holds but is not chosen (cause → profiles; rule id → profiles)."""

    rule: Rule
    holds: int
    chosen: int
    displaced_by: Mapping[str, int] = attrs.field(factory=dict)
    displacing_rules: Mapping[str, int] = attrs.field(factory=dict)

    @property
    def choice_rate(self) -> float:
        """The share of the profiles where it holds in which it is chosen (0 if it never holds)."""
        return self.chosen / self.holds if self.holds else 0.0

    @property
    def rarely_chosen(self) -> bool:
        """Whether it holds somewhere but is chosen in fewer than :data:`MIN_CHOICE_RATE` of those."""
        return self.holds > 0 and self.choice_rate < MIN_CHOICE_RATE

    def to_dict(self, samples: int) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.rule.id,
            "pack": self.rule.pack,
            "holds": self.holds,
            "chosen": self.chosen,
            "hold_rate": round(self.holds / samples, 4) if samples else 0.0,
            "choice_rate": round(self.choice_rate, 4),
            "displaced_by": dict(self.displaced_by),
            "displacing_rules": dict(self.displacing_rules),
        }


@attrs.frozen
class MixCoverage:
    """One evidence-mix entry over the samples: the plans it applies to (its condition holds
    and the plan has ``min_steps`` further steps or more) and those among them holding no step
    that meets it (its place went to safety, capacity or the person's options)."""

    id: str
    applies: int
    missed: int

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"id": self.id, "applies": self.applies, "missed": self.missed}


@attrs.frozen
class Coverage:
    """The figures of one coverage run."""

    samples: int
    seed: int
    top: int
    per_category: int
    rules: tuple[RuleCoverage, ...]
    short_plans: int
    plan_sizes: Mapping[int, int]  # steps → profiles
    mix: tuple[MixCoverage, ...] = ()

    @property
    def masked(self) -> list[str]:
        """Rules that hold somewhere but are never chosen."""
        return [r.rule.id for r in self.rules if r.holds and not r.chosen]

    @property
    def never_hold(self) -> list[str]:
        """Rules whose condition holds in no sample."""
        return [r.rule.id for r in self.rules if not r.holds]

    def warnings(self, packs: Sequence[Pack]) -> list[Problem]:
        """Rarely chosen rules (naming their file and line among ``packs``) and short plans,
        as warnings."""
        by_id = {p.id: p for p in packs}
        problems = []
        for r in self.rules:
            if r.rarely_chosen:
                pack = by_id.get(r.rule.pack)
                problems.append(
                    Problem(
                        f"rule is chosen in {r.chosen} of the {r.holds} sample profiles where it holds "
                        f"({_percent(r.choice_rate)}, under {_percent(MIN_CHOICE_RATE)}); kept out by "
                        f"{_causes(r.displaced_by)}",
                        pack.source if pack else None,
                        pack.line_of(r.rule.id) if pack else None,
                        r.rule.id,
                        "rarely-chosen",
                    )
                )
        if self.short_plans:
            problems.append(
                Problem(
                    f"{self.short_plans} of {self.samples} sample profiles get a plan of fewer than "
                    f"{MIN_STEPS} steps",
                    "coverage",
                    code="short-plans",
                )
            )
        return problems

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the counts behind the figures."""
        return {
            "samples": self.samples,
            "seed": self.seed,
            "top": self.top,
            "per_category": self.per_category,
            "rules": [r.to_dict(self.samples) for r in self.rules],
            "short_plans": self.short_plans,
            "plan_sizes": {str(k): v for k, v in sorted(self.plan_sizes.items())},
            "mix": [m.to_dict() for m in self.mix],
            "masked": self.masked,
            "never_hold": self.never_hold,
            "min_choice_rate": MIN_CHOICE_RATE,
            "min_steps": MIN_STEPS,
        }


def measure(
    app: Bounceback,
    *,
    samples: int = COVERAGE_SAMPLES,
    seed: int = COVERAGE_SEED,
    packs: Collection[str] | None = None,
    top: int = DEFAULT_TOP,
    per_category: int = DEFAULT_PER_CATEGORY,
) -> Coverage:
    """Plan ``samples`` profiles made with ``seed`` and count, for the rules of ``packs`` (pack
    ids; every rule when ``None``), how often each holds, is chosen, and what displaces it."""
    engine, ruleset = app.engine, app.ruleset
    options = Options(top, per_category)
    conditions = cond.ProgramBuilder(ruleset.types)
    for compiled in ruleset.rules:
        conditions.score(compiled.when.node if compiled.when is not None else None, None, 1.0)
    held_by = conditions.build()
    ids = [r.rule.id for r in ruleset.rules]
    holds, chosen = Counter[str](), Counter[str]()
    causes = {i: Counter[str]() for i in ids}
    displacers = {i: Counter[str]() for i in ids}
    sizes = Counter[int]()
    ids_of = engine.tables.ids
    # (id, plan size it counts from, the rules meeting it), as composition reads them
    mix = [(mix_id, min_steps, {ids_of[i] for i in meets}) for mix_id, meets, min_steps in engine.tables.mix]
    applies, missed = Counter[str](), Counter[str]()
    for situation in ProfileMaker(app.questionnaire).situations(samples, seed):
        values = dict(engine.values(situation, []))
        values.update(ruleset.program(values)[0])
        decisions = engine.decisions(situation, options)
        taken = {rule_id for rule_id, d in decisions.items() if d.chosen}
        further = sum(not ruleset.by_id[rule_id].rule.pin for rule_id in taken)
        for (mix_id, min_steps, meets), held in zip(
            mix, ruleset.mix_program({**values, **ruleset.lookup(values)})
        ):
            if held and further >= min_steps:
                applies[mix_id] += 1
                missed[mix_id] += meets.isdisjoint(taken)
        steps = 0
        for rule_id, held in zip(ids, held_by(values)):
            decision = decisions[rule_id]
            steps += decision.chosen
            if not held:
                continue
            holds[rule_id] += 1
            if decision.chosen:
                chosen[rule_id] += 1
                continue
            cause = STRENGTH_0 if decision.cause == NOT_APPLYING else decision.cause
            causes[rule_id][cause] += 1
            if decision.by is not None:
                displacers[rule_id][decision.by] += 1
        sizes[steps] += 1
    report = tuple(
        RuleCoverage(
            c.rule,
            holds[c.rule.id],
            chosen[c.rule.id],
            _sorted(causes[c.rule.id]),
            _sorted(displacers[c.rule.id]),
        )
        for c in sorted(ruleset.rules, key=lambda c: c.rule.id)
        if packs is None or c.rule.pack in packs
    )
    short = sum(count for size, count in sizes.items() if size < MIN_STEPS)
    mixes = tuple(MixCoverage(mix_id, applies[mix_id], missed[mix_id]) for mix_id, _, _ in mix)
    return Coverage(samples, seed, top, per_category, report, short, dict(sizes), mixes)


def render_text(coverage: Coverage) -> str:
    """The figures for a pack author: one line a rule, then the findings."""
    width = max([len(r.rule.id) for r in coverage.rules] + [4])
    heading = (
        f"Coverage over {coverage.samples} sample profiles (seed {coverage.seed}, --top "
        f"{coverage.top}, --per-category {coverage.per_category}):"
    )
    out = [
        heading,
        "",
        f"{'rule':<{width}}  {'holds':>6}  {'chosen':>6}  {'rate':>5}  why not chosen (profiles; by the rules behind it)",
    ]
    for r in coverage.rules:
        rate = _percent(r.choice_rate) if r.holds else "-"
        mark = "  !" if r.rarely_chosen else ""
        out.append(
            f"{r.rule.id:<{width}}  {r.holds:>6}  {r.chosen:>6}  {rate:>5}  "
            f"{_causes(r.displaced_by, r.displacing_rules)}{mark}"
        )
    sizes = ", ".join(f"{size} steps: {count}" for size, count in sorted(coverage.plan_sizes.items()))
    out += ["", f"Plan sizes: {sizes}.", f"Plans of fewer than {MIN_STEPS} steps: {coverage.short_plans}."]
    if coverage.mix:
        out.append("Evidence mix: plans each entry applies to, and those holding no step that meets it:")
        mix_width = max(len(m.id) for m in coverage.mix)
        for m in coverage.mix:
            share = f" ({_percent(m.missed / m.applies)})" if m.applies else ""
            out.append(f"  {m.id:<{mix_width}}  missed in {m.missed} of {m.applies}{share}")
    if coverage.masked:
        out.append(f"Masked everywhere (hold, never chosen): {', '.join(coverage.masked)}.")
    if coverage.never_hold:
        out.append(f"Never hold in these samples: {', '.join(coverage.never_hold)}.")
    out.append(
        f"'!' marks a rule chosen in under {_percent(MIN_CHOICE_RATE)} of the profiles where it holds."
    )
    return "\n".join(out) + "\n"


_CAUSE_WORDS = {
    TOP: "the top-N cut",
    CAPACITY: "capacity",
    CATEGORY_CAP: "the category cap",
    EXCLUDED: "excluded",
    MERGED: "merged",
    MERGE_INCOMPLETE: "merge parts missing",
    HELD_BACK: "held back",
    KEPT_OUT: "kept out by a pinned step",
    DISPLACED: "displaced by the evidence mix",
    SAME_AUDIENCE: "one message per recipient",
    STRENGTH_0: "strength 0",
}


def _causes(causes: Mapping[str, int], rules: Mapping[str, int] | None = None) -> str:
    """``the category cap: 40, excluded: 3 (by x.y 3)``, or ``-``."""
    if not causes:
        return "-"
    text = ", ".join(f"{_CAUSE_WORDS.get(cause, cause)}: {count}" for cause, count in causes.items())
    if rules:
        text += " (by " + ", ".join(f"{rule_id} {count}" for rule_id, count in rules.items()) + ")"
    return text


def _sorted(counts: Counter[str]) -> dict[str, int]:
    """Most first, ties by name: a deterministic order."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _percent(share: float) -> str:
    return f"{100 * share:.0f} %" if share >= 0.01 or share == 0 else f"{100 * share:.1f} %"
