"""The evidence mix of a plan (DESIGN §6b): which of its entries apply, and which chosen step
gives its place to a step an entry needs. :meth:`~bounceback.composition.Composer.select`
brings the mix's steps in; this module answers its two questions, by rule index, from the rule
set's :class:`~bounceback.ruletables.RuleTables`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import compress

from .ruletables import RuleTables

#: An evidence-mix entry that applies: ``(id, rules that meet it, plan size it counts from)``.
Need = tuple[str, frozenset[int], int]


def needs(tables: RuleTables, held: Sequence[float]) -> list[Need]:
    """The evidence-mix entries that apply, given for each entry whether its condition holds:
    those for every plan first (a need of the person, such as support for someone with nobody),
    then those of larger plans, each in pack order."""
    return list(compress(tables.mix, held))  # the rule set holds them in that order


def mix_victim(
    tables: RuleTables,
    by_score: Sequence[int],
    chosen: list[int],
    keep: Collection[int],
    needs: list[Need],
    within: str | None = None,
) -> int | None:
    """The chosen step that can best give its place to a step the evidence mix needs: not
    pinned, of a safety tier, holding audiences back or writing to one, held back, nor limiting
    the plan (:attr:`RuleTables.fixed` covers these), and not the plan's only step for another
    mix entry of ``needs`` (the entries that count at this plan size); of those, the
    lowest-ranked one (in ``by_score``, the rules that apply by score, ties by id) that repeats
    a topic of a higher-ranked step, else the lowest-ranked of a category a higher-ranked step
    has (a second feelings step gives way before the only practice step), else the
    lowest-ranked; with ``within``, only a step of
    that category. Never one of ``keep`` (``select`` passes the person's most important step
    and the owed steps, or fewer: DESIGN §6b: safety, then capacity, then options): when only
    those could give way, the plan goes without the mix entry."""
    taken = set(chosen)
    topics, fixed, categories = tables.topics, tables.fixed, tables.categories
    sole: set[int] = set()  # the only chosen step meeting some mix entry
    for _, meets, _ in needs:
        meeting = meets & taken
        if len(meeting) == 1:
            sole |= meeting
    seen: set[str] = set()  # the topics of the higher-ranked chosen steps
    kinds: set[str] = set()  # and their categories
    lowest = lowest_repeating = lowest_of_a_kind = None
    for i in by_score:
        if i in taken:
            if not (fixed[i] or i in keep or i in sole or (within is not None and categories[i] != within)):
                lowest = i
                if not topics[i].isdisjoint(seen):
                    lowest_repeating = i
                if categories[i] in kinds:
                    lowest_of_a_kind = i
            seen |= topics[i]
            kinds.add(categories[i])
    if lowest_repeating is not None:
        return lowest_repeating
    return lowest if lowest_of_a_kind is None else lowest_of_a_kind


def seconds(
    tables: RuleTables,
    by_score: Sequence[int],
    chosen: Collection[int],
    kept: Collection[int],
    below: float,
    scores: Sequence[float],
) -> set[int]:
    """The chosen steps of ``kept`` below another chosen step of ``kept`` of their category (in
    ``by_score`` order) and scoring under ``below``: a weak second step of one kind for the
    person's options, which may give its place to a larger plan's evidence mix when nothing
    else can (coach review 19, Marguerite: two alternatives steps and no motivation step in four
    places; review 20, Chloe: the research step for the feedback she got, near the mix step's
    score, stays)."""
    categories = tables.categories
    seen: set[str] = set()
    out: set[int] = set()
    for i in by_score:
        if i in kept and i in chosen:
            if categories[i] in seen and scores[i] < below:
                out.add(i)
            seen.add(categories[i])
    return out
