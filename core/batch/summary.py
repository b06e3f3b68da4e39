"""The cohort summary: counts, distributions and who a coach should look at first.

:class:`Summary` is what a cohort run found, with the ``summary.json`` contract
(:meth:`Summary.to_dict`); :mod:`.counting` counts it from the rows' facts, :mod:`.summary_md`
and :mod:`.summary_html` render it for coaches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..engine import Options
from ..model import TIERS

if TYPE_CHECKING:
    pass

SCHEMA = 2
#: Why a participant is on the coaches' list, most urgent first: a safety tier (DESIGN §6c),
#: a row that could not be screened, then the most distressed of the others.
REASONS = (*TIERS, "not-screened", "distress")
#: How many of the most distressed participants (without a tier) are listed.
DISTRESS_LISTED = 20
#: Score and distress histograms: ten buckets of 0.1 over [0, 1].
BUCKETS = tuple(f"{i / 10:.1f}-{(i + 1) / 10:.1f}" for i in range(10))
#: Error rows quoted in summary.md (all of them are in errors.jsonl).
ERRORS_QUOTED = 20
#: Flagged participants and duplicate ids listed in summary.md (all are in summary.json).
LISTED = 100


@attrs.frozen
class Flag:
    """A participant a coach should look at: ``reason`` is one of :data:`REASONS`;
    ``planned`` is false for a row with errors (screened from its valid answers), and
    ``note`` says why a row could not be screened."""

    row: int
    id: str | None
    distress: float | None
    reason: str
    planned: bool = True
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "row": self.row,
            "id": self.id,
            "distress": self.distress,
            "reason": self.reason,
            "planned": self.planned,
            "note": self.note,
        }


@attrs.frozen
class ErrorRow:
    """An error row as quoted in summary.md."""

    row: int
    line: int
    id: str | None
    messages: tuple[str, ...]


@attrs.frozen
class Summary:
    """What a cohort run found, for coaches (:func:`render_markdown`) and programs (:meth:`to_dict`).

    Counts of categories, topics and rules are numbers of people (plans) they were
    recommended to, most frequent first; histograms count per :data:`BUCKETS`.
    """

    source: str
    options: Options
    packs: tuple[tuple[str, str], ...]
    participants: int
    plans: int
    errors: int
    internal_errors: int
    blank_rows: int
    empty_plans: int
    categories: tuple[tuple[str, int], ...]
    topics: tuple[tuple[str, int], ...]
    rules: tuple[tuple[str, int], ...]
    step_scores: tuple[int, ...]
    best_scores: tuple[int, ...]
    distress: tuple[int, ...]
    distress_unknown: int
    tiers: tuple[tuple[str, int], ...]
    not_screened: int
    attention: tuple[Flag, ...]
    duplicates: tuple[tuple[str, tuple[int, ...]], ...]
    error_fields: tuple[tuple[str, int], ...]
    first_errors: tuple[ErrorRow, ...]
    titles: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The ``summary.json`` contract (documented in docs/cohort.md)."""
        return {
            "schema": SCHEMA,
            "input": self.source,
            "options": {"top": self.options.top, "per_category": self.options.per_category},
            "packs": [{"id": pid, "version": version} for pid, version in self.packs],
            "participants": self.participants,
            "plans": self.plans,
            "errors": self.errors,
            "internal_errors": self.internal_errors,
            "blank_rows_skipped": self.blank_rows,
            "attention": {
                "tiers": dict(self.tiers),
                "not_screened": self.not_screened,
                "distress_listed": DISTRESS_LISTED,
                "participants": [f.to_dict() for f in self.attention],
            },
            "duplicate_ids": [{"id": i, "rows": list(rows)} for i, rows in self.duplicates],
            "recommended_to": {
                "categories": dict(self.categories),
                "topics": dict(self.topics),
                "rules": dict(self.rules),
            },
            "distributions": {
                "buckets": list(BUCKETS),
                "step_scores": list(self.step_scores),
                "best_step_score": list(self.best_scores),
                "plans_without_steps": self.empty_plans,
                "distress": list(self.distress),
                "distress_unknown": self.distress_unknown,
            },
            "errors_by_field": dict(self.error_fields),
        }
