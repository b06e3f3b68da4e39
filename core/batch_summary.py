"""The cohort summary: counts, distributions and who a coach should look at first.

:class:`SummaryBuilder` folds the facts of each row (see :mod:`bounceback.batch`) into a
:class:`Summary` in memory that does not grow with the cohort: counters per category, topic
and rule, fixed histograms, a bounded list of the most distressed, and an on-disk spool
(a private temporary SQLite database) for what does grow: every id (to find duplicates) and
every participant flagged by a safety tier or not screened (see :mod:`bounceback.screening`).
"""

from __future__ import annotations

import contextlib
import heapq
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from .engine import Options
from .errors import BouncebackError, Problem
from .model import TIERS
from .render.markdown import escape

if TYPE_CHECKING:
    from .api import Bounceback

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

Distressed = tuple[float, int, "str | None"]  # (distress, row, id)
#: A flagged row as the workers send it: (reason's rank in REASONS, row, id, distress,
#: planned, note).
Flagged = tuple[int, int, "str | None", "float | None", bool, "str | None"]


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
        return {"row": self.row, "id": self.id, "distress": self.distress, "reason": self.reason,
                "planned": self.planned, "note": self.note}


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
    counts = {"participants": 0, "plans": 0, "errors": 0, "internal_errors": 0,
              "empty_plans": 0, "distress_unknown": 0}
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
            flagged.append((REASONS.index(facts.tier), facts.row, facts.id, facts.distress, facts.ok,
                            facts.note or None))
        elif not facts.screened:
            flagged.append((REASONS.index("not-screened"), facts.row, facts.id, facts.distress, facts.ok,
                            facts.note))
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
    return Tally(**counts, rules=rules, categories=categories, topics=topics,
                 error_fields=error_fields, step_scores=tuple(steps), best_scores=tuple(best),
                 distress=tuple(distress), ids=tuple(ids), flagged=tuple(flagged),
                 distressed=_most_distressed(distressed), first_errors=_first_errors(errors))


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
        self._db.execute("CREATE TABLE flagged (rank INTEGER, row INTEGER, id TEXT, distress REAL, "
                         "planned INTEGER, note TEXT)")

    def __enter__(self) -> SummaryBuilder:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._db.close()

    def add(self, counted: Tally) -> None:
        """Add the counts of some rows."""
        self.counts.update({name: getattr(counted, name) for name in _COUNTS})
        self.rules.update(counted.rules)
        self.categories.update(counted.categories)
        self.topics.update(counted.topics)
        self.error_fields.update(counted.error_fields)
        for totals, more in ((self.step_scores, counted.step_scores),
                             (self.best_scores, counted.best_scores), (self.distress, counted.distress)):
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
            flagged = [Flag(row, ident, distress, REASONS[rank], bool(planned), note)
                       for rank, row, ident, distress, planned, note in self._db.execute(
                           "SELECT * FROM flagged ORDER BY rank, distress IS NULL, distress DESC, row")]
            duplicates = self._duplicates()
        distressed = [Flag(row, ident, distress, "distress") for distress, row, ident in self.distressed]
        counts = self.counts
        return Summary(
            source=self.source, options=self.options, packs=self.packs,
            participants=counts["participants"], plans=counts["plans"], errors=counts["errors"],
            internal_errors=counts["internal_errors"], blank_rows=blank,
            empty_plans=counts["empty_plans"], categories=_ranked(self.categories),
            topics=_ranked(self.topics), rules=_ranked(self.rules),
            step_scores=tuple(self.step_scores), best_scores=tuple(self.best_scores),
            distress=tuple(self.distress), distress_unknown=counts["distress_unknown"],
            tiers=tuple((tier, sum(f.reason == tier for f in flagged)) for tier in TIERS),
            not_screened=sum(f.reason == "not-screened" for f in flagged),
            attention=tuple(flagged + distressed),
            duplicates=duplicates, error_fields=_ranked(self.error_fields),
            first_errors=self.first_errors, titles=self.titles,
        )

    def _duplicates(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        groups: dict[str, list[int]] = {}
        for ident, row in self._db.execute(
                "SELECT id, row FROM ids WHERE id IN "
                "(SELECT id FROM ids GROUP BY id HAVING COUNT(*) > 1) ORDER BY row"):
            groups.setdefault(ident, []).append(row)
        return tuple((ident, tuple(rows)) for ident, rows in groups.items())


@contextlib.contextmanager
def _spooling() -> Iterator[None]:
    """The temporary database failing to grow (a full temporary folder) is a clear error for
    the user to fix, not a bug."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise BouncebackError(Problem(
            f"cannot keep the summary's records in a temporary file: {exc} (the temporary folder "
            f"is {tempfile.gettempdir()}; set TMPDIR to a folder with more space)", code="write")) from None


_COUNTS = ("participants", "plans", "errors", "internal_errors", "empty_plans", "distress_unknown")


def _bucket(value: float) -> int:
    return min(max(int(value * 10 + 1e-9), 0), len(BUCKETS) - 1)


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Most frequent first, then by name: a deterministic order."""
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# ---------------------------------------------------------------------------------------------
# summary.md

def _md(text: object) -> str:
    """Text from a spreadsheet, safe inside Markdown and on one line (a table cell)."""
    return escape(" ".join(str(text).split()))


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.0f} %" if total else "–"


def _bar(n: int, most: int, width: int = 30) -> str:
    return "█" * round(width * n / most) if most else ""


def render_markdown(summary: Summary) -> str:
    """``summary.md``: the summary as a page a coach can read."""
    parts = [_overview(summary), _attention(summary), _errors(summary), _duplicates(summary),
             _recommended(summary), _distributions(summary)]
    return "\n".join(p for p in parts if p).rstrip("\n") + "\n"


def _overview(s: Summary) -> str:
    packs = ", ".join(f"{pid} {version}" for pid, version in s.packs)
    lines = [
        "# Cohort summary", "",
        f"Input: {_md(s.source)}. Plans of at most {s.options.top} steps, at most "
        f"{s.options.per_category} from one category. Packs: {_md(packs)}.", "",
        "| participants | plans | rows with errors |", "|---:|---:|---:|",
        f"| {s.participants:,} | {s.plans:,} | {s.errors:,} |", "",
    ]
    if s.blank_rows:
        lines += [f"{_count(s.blank_rows, 'blank row')} skipped (not counted as participants).", ""]
    return "\n".join(lines)


#: What each reason means, for coaches (the triggers are in docs/safety.md).
_REASON_TEXT = {
    "crisis": ("Crisis", "said they have had thoughts of hurting themselves: contact them today. "
               "Their plan starts with their country's crisis line and emergency number"),
    "pinned": ("Pinned", "strong hopelessness, or self-doubt and anxiety at their highest. Their "
               "plan starts with talking to someone and to a professional"),
    "check-in": ("Check-in", "several strong feelings, or no one to talk to with little self-care "
                 "and money pressure. Their plan has a check-in step"),
    "not-screened": ("Could not be screened", "their rows have errors in the answers the safety "
                     "tiers read: check these people by hand"),
}
_SHORT = {"crisis": "crisis", "pinned": "pinned", "check-in": "check-in",
          "not-screened": "not screened", "distress": "high distress"}


def _attention(s: Summary) -> str:
    lines = ["## Attention first", "",
             "The safety tiers are a check-in on the answers, not a screening or a diagnosis "
             "(docs/safety.md). Every row is screened, rows with errors from their valid answers.", ""]
    counts = [*s.tiers, ("not-screened", s.not_screened)]
    if not any(n for _, n in counts):
        lines += ["Nobody's answers called for a safety tier (crisis, pinned or check-in), and every "
                  "row was screened.", ""]
    for reason, n in counts:
        if n:
            name, meaning = _REASON_TEXT[reason]
            lines.append(f"- **{name}: {_count(n, 'participant')}.** {meaning}.")
    flagged = sum(n for _, n in counts)
    others = len(s.attention) - flagged
    if flagged:
        lines += ["", "A row with errors has no plan: it is flagged from its valid answers (see the "
                  "note) and its problems are in errors.jsonl.", ""]
    if others:
        lines += [f"Then the {others} most distressed of the others.", ""]
    if s.attention:
        lines += ["| # | row | id | why | distress | note |", "|---:|---:|---|---|---:|---|"]
        for n, flag in enumerate(s.attention[:LISTED], start=1):
            distress = "–" if flag.distress is None else f"{flag.distress:.2f}"
            note = flag.note or ("" if flag.planned else "row has errors: no plan (errors.jsonl)")
            lines.append(f"| {n} | {flag.row} | {_md(flag.id or '')} | {_SHORT[flag.reason]} | "
                         f"{distress} | {_md(note)} |")
        if len(s.attention) > LISTED:
            lines.append(f"\n… and {len(s.attention) - LISTED:,} more: all are in summary.json "
                         "(attention → participants), in this order.")
        lines += ["", "Distress is the base pack's `distress` signal: 0 is calm, 1 the strongest "
                  "feelings on every scale.", ""]
    return "\n".join(lines)


def _errors(s: Summary) -> str:
    if not s.errors:
        return ""
    lines = ["## Rows with errors", "",
             f"{_count(s.errors, 'row')} could not be planned. errors.jsonl has every problem of "
             "each; fix them in the spreadsheet and run again. Row numbers count participants "
             "(the header is not a row), lines count lines of the file.", ""]
    for error in s.first_errors:
        ident = f", id {_md(error.id)}" if error.id else ", no id"
        lines.append(f"- row {error.row} (line {error.line}{ident}): "
                     + "; ".join(_md(m) for m in error.messages))
    if s.errors > len(s.first_errors):
        lines.append(f"- … and {s.errors - len(s.first_errors):,} more in errors.jsonl")
    if s.internal_errors:
        lines += ["", f"{_count(s.internal_errors, 'row')} hit an internal error: a bug, please "
                  "report it."]
    lines += ["", "Problems by column: " + ", ".join(
        f"{_md(field)} ({_count(n, 'row')})" for field, n in s.error_fields) + ".", ""]
    return "\n".join(lines)


def _duplicates(s: Summary) -> str:
    if not s.duplicates:
        return ""
    lines = ["## Duplicate ids", "",
             f"Ids on more than one row: {len(s.duplicates):,}. Each row was planned on its own; "
             "often someone answered twice.", ""]
    lines += [f"- {_md(ident)}: rows {', '.join(map(str, rows))}" for ident, rows in s.duplicates[:LISTED]]
    if len(s.duplicates) > LISTED:
        lines.append(f"- … and {len(s.duplicates) - LISTED:,} more in summary.json (duplicate\\_ids)")
    return "\n".join(lines + [""])


def _recommended(s: Summary) -> str:
    lines = ["## What was recommended", "",
             f"How many of the {s.plans:,} people with a plan got each.", ""]
    lines += _counts_table("By category", ["category"], [([name], n) for name, n in s.categories], s.plans)
    lines += _counts_table("By topic", ["topic"], [([name], n) for name, n in s.topics], s.plans)
    lines += _counts_table("By step", ["step", "id"],
                           [([_md(s.titles.get(rule, "")), rule], n) for rule, n in s.rules], s.plans)
    return "\n".join(lines)


def _counts_table(title: str, header: list[str], rows: list[tuple[list[str], int]], plans: int) -> list[str]:
    """A table of what was recommended to somebody, then a line naming what was not."""
    lines = [f"### {title}", "", "| " + " | ".join(header) + " | people | share |",
             "|" + "---|" * len(header) + "---:|---:|"]
    lines += ["| " + " | ".join(cells) + f" | {n:,} | {_share(n, plans)} |" for cells, n in rows if n]
    never = [cells[-1] for cells, n in rows if not n]
    if never:
        lines += ["", f"Recommended to nobody: {', '.join(never)}."]
    return lines + [""]


def _histogram(header: str, rows: Iterable[tuple[str, int]]) -> list[str]:
    rows = list(rows)
    most = max((n for _, n in rows), default=0)
    lines = [f"| {header} | people | |", "|---|---:|---|"]
    return lines + [f"| {label} | {n:,} | {_bar(n, most)} |" for label, n in rows]


def _distributions(s: Summary) -> str:
    lines = ["## Scores", "",
             "Each person's best step score (weight × strength, 0 to 1): how strongly the "
             "answers called for the top advice.", ""]
    lines += _histogram("best score", zip(BUCKETS, s.best_scores))
    if s.empty_plans:
        lines += ["", f"{_count(s.empty_plans, 'plan')} had no steps at all."]
    lines += ["", "## Distress", ""]
    unknown = [("unknown", s.distress_unknown)] if s.distress_unknown else []
    lines += _histogram("distress", list(zip(BUCKETS, s.distress)) + unknown)
    return "\n".join(lines + [""])
