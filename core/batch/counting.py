"""Counting a cohort's rows into its :class:`~bounceback.batch.summary.Summary`.

:func:`tally` counts the facts of some rows (see :mod:`bounceback.batch`) into a
:class:`Tally`, in the workers; :class:`SummaryBuilder` folds the tallies into a summary in
memory that does not grow with the cohort: counters per category, topic and rule, fixed
histograms, a bounded list of the most distressed, and an on-disk spool (a private temporary
SQLite database) for what does grow: every id (to find duplicates) and every participant
flagged by a safety tier or not screened (see :mod:`bounceback.batch.screening`).
"""

from __future__ import annotations

import contextlib
import heapq
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING

import attrs

from ..engine import Options
from ..errors import BouncebackError, Problem
from ..model import TIERS
from .summary import BUCKETS, DISTRESS_LISTED, ERRORS_QUOTED, REASONS, ErrorRow, Flag, Summary

if TYPE_CHECKING:
    from ..api import Bounceback

Distressed = tuple[float, int, "str | None"]  # (distress, row, id)
#: A flagged row as the workers send it: (reason's rank in REASONS, row, id, distress,
#: planned, note).
Flagged = tuple[int, int, "str | None", "float | None", bool, "str | None"]


@attrs.frozen
class Facts:
    """What the summary counts about one row: for a plan, its steps' rules, categories,
    topics, scores and first titles; for an error row, the field (or code) and the text of each
    problem. For every row, its safety tier and distress (an error row's from its valid
    answers), and whether it was screened (``note`` says why not, or what could make a more
    urgent tier apply)."""

    row: int
    line: int
    id: str | None
    ok: bool
    rules: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    scores: tuple[float, ...] = ()
    tier: str | None = None
    screened: bool = True
    note: str = ""
    distress: float | None = None
    fields: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    internal: bool = False
    titles: tuple[str, ...] = ()  # the first steps' titles, for the roster


@attrs.frozen
class Tally:
    """The counts of some rows: small, picklable, and added up by :class:`SummaryBuilder`
    in any order, so workers tally their own rows.

    ``distressed`` holds the most distressed planned rows without a tier (at most
    :data:`DISTRESS_LISTED`), ``first_errors`` the error rows with the lowest numbers (at most
    :data:`ERRORS_QUOTED`); ``ids`` and ``flagged`` (rows with a tier or not screened) every
    row's.
    """

    participants: int = 0
    plans: int = 0
    errors: int = 0
    internal_errors: int = 0
    empty_plans: int = 0
    distress_unknown: int = 0
    rules: Mapping[str, int] = attrs.field(factory=dict)
    categories: Mapping[str, int] = attrs.field(factory=dict)
    topics: Mapping[str, int] = attrs.field(factory=dict)
    error_fields: Mapping[str, int] = attrs.field(factory=dict)
    step_scores: tuple[int, ...] = (0,) * len(BUCKETS)
    best_scores: tuple[int, ...] = (0,) * len(BUCKETS)
    distress: tuple[int, ...] = (0,) * len(BUCKETS)
    ids: tuple[tuple[str, int], ...] = ()
    flagged: tuple[Flagged, ...] = ()
    distressed: tuple[Distressed, ...] = ()
    first_errors: tuple[ErrorRow, ...] = ()


def tally(rows: Iterable[Facts]) -> Tally:
    """Count the facts of some rows."""
    counts = {
        "participants": 0,
        "plans": 0,
        "errors": 0,
        "internal_errors": 0,
        "empty_plans": 0,
        "distress_unknown": 0,
    }
    rules: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    error_fields: Counter[str] = Counter()
    steps, best, distress = [0] * len(BUCKETS), [0] * len(BUCKETS), [0] * len(BUCKETS)
    ids: list[tuple[str, int]] = []
    flagged: list[Flagged] = []
    distressed: list[Distressed] = []
    errors: list[ErrorRow] = []
    for facts in rows:
        counts["participants"] += 1
        if facts.id is not None:
            ids.append((facts.id, facts.row))
        if facts.tier is not None:
            flagged.append(
                (REASONS.index(facts.tier), facts.row, facts.id, facts.distress, facts.ok, facts.note or None)
            )
        elif not facts.screened:
            flagged.append(
                (REASONS.index("not-screened"), facts.row, facts.id, facts.distress, facts.ok, facts.note)
            )
        if not facts.ok:
            counts["errors"] += 1
            counts["internal_errors"] += facts.internal
            error_fields.update(set(facts.fields))
            errors.append(ErrorRow(facts.row, facts.line, facts.id, facts.messages))
            continue
        counts["plans"] += 1
        rules.update(facts.rules)
        categories.update(facts.categories)
        topics.update(facts.topics)
        for score in facts.scores:
            steps[_bucket(score)] += 1
        if facts.scores:
            best[_bucket(max(facts.scores))] += 1
        else:
            counts["empty_plans"] += 1
        if facts.distress is None:
            counts["distress_unknown"] += 1
        else:
            distress[_bucket(facts.distress)] += 1
        if facts.tier is None and facts.distress is not None:
            distressed.append((facts.distress, facts.row, facts.id))
    return Tally(
        **counts,
        rules=rules,
        categories=categories,
        topics=topics,
        error_fields=error_fields,
        step_scores=tuple(steps),
        best_scores=tuple(best),
        distress=tuple(distress),
        ids=tuple(ids),
        flagged=tuple(flagged),
        distressed=_most_distressed(distressed),
        first_errors=_first_errors(errors),
    )


def _most_distressed(entries: Iterable[Distressed]) -> tuple[Distressed, ...]:
    """The :data:`DISTRESS_LISTED` highest distress values, ties to the lower row."""
    return tuple(heapq.nlargest(DISTRESS_LISTED, entries, key=lambda e: (e[0], -e[1])))


def _first_errors(errors: Iterable[ErrorRow]) -> tuple[ErrorRow, ...]:
    return tuple(heapq.nsmallest(ERRORS_QUOTED, errors, key=lambda e: e.row))


class SummaryBuilder:
    """Adds up :class:`Tally` records into a :class:`Summary`; use as a context manager
    (it holds a temporary database)::

        with SummaryBuilder(app, source="cohort.csv", options=Options()) as builder:
            builder.add(tally(outcome.facts for outcome in outcomes))
            summary = builder.result()

    The summary does not depend on how rows were split into tallies, nor on their order.
    """

    def __init__(self, app: Bounceback, *, source: str, options: Options):
        self.source = source
        self.options = options
        self.packs = tuple((p.id, p.version) for p in app.packs)
        rules = [compiled.rule for compiled in app.ruleset.rules]
        self.titles = {rule.id: rule.title for rule in rules}
        self.rules: Counter[str] = Counter(dict.fromkeys((r.id for r in rules), 0))
        self.categories: Counter[str] = Counter(dict.fromkeys((r.category for r in rules), 0))
        self.topics: Counter[str] = Counter(dict.fromkeys((t for r in rules for t in r.topics), 0))
        self.error_fields: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.step_scores = [0] * len(BUCKETS)
        self.best_scores = [0] * len(BUCKETS)
        self.distress = [0] * len(BUCKETS)
        self.distressed: tuple[Distressed, ...] = ()
        self.first_errors: tuple[ErrorRow, ...] = ()
        self._db = sqlite3.connect("")  # a private temporary database, deleted on close
        self._db.execute("CREATE TABLE ids (id TEXT, row INTEGER)")
        self._db.execute(
            "CREATE TABLE flagged (rank INTEGER, row INTEGER, id TEXT, distress REAL, "
            "planned INTEGER, note TEXT)"
        )

    def __enter__(self) -> SummaryBuilder:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._db.close()

    def add(self, counted: Tally) -> None:
        """Add the counts of some rows."""
        self.counts.update({name: getattr(counted, name) for name in _COUNTS})
        self.rules.update(counted.rules)
        self.categories.update(counted.categories)
        self.topics.update(counted.topics)
        self.error_fields.update(counted.error_fields)
        for totals, more in (
            (self.step_scores, counted.step_scores),
            (self.best_scores, counted.best_scores),
            (self.distress, counted.distress),
        ):
            for i, n in enumerate(more):
                totals[i] += n
        self.distressed = _most_distressed(self.distressed + counted.distressed)
        self.first_errors = _first_errors(self.first_errors + counted.first_errors)
        with _spooling():
            self._db.executemany("INSERT INTO ids VALUES (?, ?)", counted.ids)
            self._db.executemany("INSERT INTO flagged VALUES (?, ?, ?, ?, ?, ?)", counted.flagged)

    def result(self, *, blank: int = 0) -> Summary:
        """The summary of every row added so far (``blank``: blank rows the reader skipped)."""
        with _spooling():
            flagged = [
                Flag(row, ident, distress, REASONS[rank], bool(planned), note)
                for rank, row, ident, distress, planned, note in self._db.execute(
                    "SELECT * FROM flagged ORDER BY rank, distress IS NULL, distress DESC, row"
                )
            ]
            duplicates = self._duplicates()
        distressed = [Flag(row, ident, distress, "distress") for distress, row, ident in self.distressed]
        counts = self.counts
        return Summary(
            source=self.source,
            options=self.options,
            packs=self.packs,
            participants=counts["participants"],
            plans=counts["plans"],
            errors=counts["errors"],
            internal_errors=counts["internal_errors"],
            blank_rows=blank,
            empty_plans=counts["empty_plans"],
            categories=_ranked(self.categories),
            topics=_ranked(self.topics),
            rules=_ranked(self.rules),
            step_scores=tuple(self.step_scores),
            best_scores=tuple(self.best_scores),
            distress=tuple(self.distress),
            distress_unknown=counts["distress_unknown"],
            tiers=tuple((tier, sum(f.reason == tier for f in flagged)) for tier in TIERS),
            not_screened=sum(f.reason == "not-screened" for f in flagged),
            attention=tuple(flagged + distressed),
            duplicates=duplicates,
            error_fields=_ranked(self.error_fields),
            first_errors=self.first_errors,
            titles=self.titles,
        )

    def _duplicates(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        groups: dict[str, list[int]] = {}
        for ident, row in self._db.execute(
            "SELECT id, row FROM ids WHERE id IN "
            "(SELECT id FROM ids GROUP BY id HAVING COUNT(*) > 1) ORDER BY row"
        ):
            groups.setdefault(ident, []).append(row)
        return tuple((ident, tuple(rows)) for ident, rows in groups.items())


@contextlib.contextmanager
def _spooling() -> Iterator[None]:
    """The temporary database failing to grow (a full temporary folder) is a clear error for
    the user to fix, not a bug."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise BouncebackError(
            Problem(
                f"cannot keep the summary's records in a temporary file: {exc} (the temporary folder "
                f"is {tempfile.gettempdir()}; set TMPDIR to a folder with more space)",
                code="write",
            )
        ) from None


_COUNTS = ("participants", "plans", "errors", "internal_errors", "empty_plans", "distress_unknown")


def _bucket(value: float) -> int:
    return min(max(int(value * 10 + 1e-9), 0), len(BUCKETS) - 1)


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Most frequent first, then by name: a deterministic order."""
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
