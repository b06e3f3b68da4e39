"""Why a rule is or is not in a plan: the causes composition records, for explanations
(``bounceback explain``) and for counting them (``packs validate --coverage``)."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .results import Load

#: :attr:`Decision.cause` says why in one word; :attr:`Decision.reason` says the same in words.
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
class Note:
    """What composition did with one rule, by rule index: one of :data:`CAUSES`, in words,
    and the index of the rule that caused it."""

    cause: str
    text: str
    by: int | None = None


#: Notes by rule index, filled in when an explanation is asked for (``None``: planning only).
Log = dict[int, Note]


def beyond_capacity(
    load: Load, top: int, top_cut: int, first: tuple[int, int] = (0, 0), pinned: bool = True
) -> Note:
    """Why a rule that ranked below the plan's last step was left out: the ``--top`` cut
    (``top_cut``) when that is what the plan holds, else the capacity or a ``plan_limit``.
    ``first`` counts the plan's places taken before the ranking, ``(safety-tier steps, steps
    for options the person chose)``, which a rule with a higher score can lose to; the ``top``
    places are "further steps" after a ``pinned`` one, else every step of the plan (a check-in
    takes one of them)."""
    gone = [
        (n, one if n == 1 else many)
        for n, one, many in (
            (first[0], "a safety step", "safety steps"),
            (first[1], "a step for an option you chose", "steps for options you chose"),
        )
        if n
    ]
    if len(gone) == 2:
        before = f"; {sum(first)} of its places went first: {' and '.join(f'{n} to {w}' for n, w in gone)}"
    else:
        before = "".join(f"; {n} of its places went first to {w}" for n, w in gone)
    steps = "further steps" if pinned else "steps"
    if top == top_cut:
        return Note(TOP, f"ranked below the top {top}{before}")
    if not load.because:
        return Note(
            CAPACITY, f"the plan holds {top} {steps} after the steps that limit it (plan_limit){before}"
        )
    return Note(
        CAPACITY, f"the plan holds {top} {steps} at this capacity ({', '.join(load.because)}){before}"
    )


def kept_text(load: Load) -> str:
    """What a pinned step allows in the rest of the plan, in words."""
    parts = []
    if load.effort:
        parts.append(f"{load.effort}-effort steps")
    if load.topics:
        parts.append("steps on " + ", ".join(load.topics))
    return " and ".join(parts) or "what it allows"


def shut_note(
    i: int,
    chosen: Sequence[int],
    ids: Sequence[str],
    excludes: Sequence[Sequence[int]],
    audience: Sequence[str | None],
) -> Note:
    """Why rule ``i`` is ruled out by a chosen step (the first in ``chosen`` that rules it out):
    that step excludes it, else it contacts its audience (one message per recipient)."""
    j = next((j for j in chosen if i in excludes[j]), None)
    if j is not None:
        return Note(EXCLUDED, f"excluded by the higher-ranked {ids[j]}", j)
    recipient = audience[i]
    j = next(j for j in chosen if audience[j] == recipient)
    return Note(SAME_AUDIENCE, f"{ids[j]} already contacts the {recipient}: one message per recipient", j)


def cap_note(
    category: str,
    count: int,
    per_category: int,
    chosen: Sequence[int],
    owed: set[int],
    categories: Sequence[str],
) -> Note:
    """Why a step is left out by its category's cap, ``count`` steps of which are chosen; one
    place more, for a new topic, when the category holds a step ``owed`` to an option."""
    owed_here = any(categories[j] == category for j in chosen if j in owed)
    passes = (
        "; its one extra place, for a category holding a step for an option you chose, "
        "is for a step on topics its steps do not cover yet"
        if owed_here and count == per_category
        else ""
    )
    return Note(CATEGORY_CAP, f"{count} higher-ranked '{category}' steps already chosen{passes}")
