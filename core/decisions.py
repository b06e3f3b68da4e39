"""Why a rule is or is not in a plan: the causes composition records, for explanations
(``bounceback explain``) and for counting them (``packs validate --coverage``)."""

from __future__ import annotations

import attrs

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
