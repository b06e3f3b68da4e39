"""summary.md: the cohort summary for coaches, as Markdown."""

from __future__ import annotations

from collections.abc import Iterable

from ..render.markdown import escape
from .summary import BUCKETS, LISTED, Summary


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
    parts = [
        _overview(summary),
        _attention(summary),
        _errors(summary),
        _duplicates(summary),
        _recommended(summary),
        _distributions(summary),
    ]
    return "\n".join(p for p in parts if p).rstrip("\n") + "\n"


def _overview(s: Summary) -> str:
    packs = ", ".join(f"{pid} {version}" for pid, version in s.packs)
    lines = [
        "# Cohort summary",
        "",
        f"Input: {_md(s.source)}. Plans of at most {s.options.top} steps, at most "
        f"{s.options.per_category} from one category. Packs: {_md(packs)}.",
        "",
        "| participants | plans | rows with errors |",
        "|---:|---:|---:|",
        f"| {s.participants:,} | {s.plans:,} | {s.errors:,} |",
        "",
    ]
    if s.blank_rows:
        lines += [f"{_count(s.blank_rows, 'blank row')} skipped (not counted as participants).", ""]
    return "\n".join(lines)


#: What each reason means, for coaches (the triggers are in docs/safety.md).
REASON_TEXT = {
    "crisis": (
        "Crisis",
        "said they have had thoughts of hurting themselves: contact them today. "
        "Their plan starts with their country's crisis line and emergency number",
    ),
    "pinned": (
        "Pinned",
        "strong hopelessness, or self-doubt and anxiety at their highest. Their "
        "plan starts with talking to someone and to a professional",
    ),
    "check-in": (
        "Check-in",
        "several strong feelings, or no one to talk to with little self-care "
        "and money pressure. Their plan has a check-in step",
    ),
    "not-screened": (
        "Could not be screened",
        "their rows have errors in the answers the safety tiers read: check these people by hand",
    ),
}
SHORT_REASON = {
    "crisis": "crisis",
    "pinned": "pinned",
    "check-in": "check-in",
    "not-screened": "not screened",
    "distress": "most distressed",
}


def _attention(s: Summary) -> str:
    lines = [
        "## Attention first",
        "",
        "The safety tiers are a check-in on the answers, not a screening or a diagnosis "
        "(docs/safety.md). Every row is screened, rows with errors from their valid answers.",
        "",
    ]
    counts = [*s.tiers, ("not-screened", s.not_screened)]
    if not any(n for _, n in counts):
        lines += [
            "Nobody's answers called for a safety tier (crisis, pinned or check-in), and every "
            "row was screened.",
            "",
        ]
    for reason, n in counts:
        if n:
            name, meaning = REASON_TEXT[reason]
            lines.append(f"- **{name}: {_count(n, 'participant')}.** {meaning}.")
    flagged = sum(n for _, n in counts)
    others = len(s.attention) - flagged
    if flagged:
        lines += [
            "",
            "A row with errors has no plan: it is flagged from its valid answers (see the "
            "note) and its problems are in errors.jsonl.",
            "",
        ]
    if others:
        lead = (
            "Then"
            if flagged
            else "Nobody was flagged; this is"
            if others == 1
            else "Nobody was flagged; these are"
        )
        most = "the most" if others == 1 else f"the {others} most"
        lines += [f"{lead} {most} distressed by their answers, for a coach to look at first.", ""]
    if s.attention:
        lines += ["| # | row | id | why | distress | note |", "|---:|---:|---|---|---:|---|"]
        for n, flag in enumerate(s.attention[:LISTED], start=1):
            distress = "–" if flag.distress is None else f"{flag.distress:.2f}"
            note = flag.note or ("" if flag.planned else "row has errors: no plan (errors.jsonl)")
            lines.append(
                f"| {n} | {flag.row} | {_md(flag.id or '')} | {SHORT_REASON[flag.reason]} | "
                f"{distress} | {_md(note)} |"
            )
        if len(s.attention) > LISTED:
            lines.append(
                f"\n… and {len(s.attention) - LISTED:,} more: all are in summary.json "
                "(attention → participants), in this order."
            )
        lines += [
            "",
            "Distress is the signal the packs declare as `distress_signal` (the base pack's "
            "`distress`: 0 is calm, 1 the strongest feelings on every scale).",
            "",
        ]
    return "\n".join(lines)


def _errors(s: Summary) -> str:
    if not s.errors:
        return ""
    lines = [
        "## Rows with errors",
        "",
        f"{_count(s.errors, 'row')} could not be planned. errors.jsonl has every problem of "
        "each; fix them in the spreadsheet and run again. Row numbers count participants "
        "(the header is not a row), lines count lines of the file.",
        "",
    ]
    for error in s.first_errors:
        ident = f", id {_md(error.id)}" if error.id else ", no id"
        lines.append(
            f"- row {error.row} (line {error.line}{ident}): " + "; ".join(_md(m) for m in error.messages)
        )
    if s.errors > len(s.first_errors):
        lines.append(f"- … and {s.errors - len(s.first_errors):,} more in errors.jsonl")
    if s.internal_errors:
        lines += ["", f"{_count(s.internal_errors, 'row')} hit an internal error: a bug, please report it."]
    lines += [
        "",
        "Problems by column: "
        + ", ".join(f"{_md(field)} ({_count(n, 'row')})" for field, n in s.error_fields)
        + ".",
        "",
    ]
    return "\n".join(lines)


def _duplicates(s: Summary) -> str:
    if not s.duplicates:
        return ""
    lines = [
        "## Duplicate ids",
        "",
        f"Ids on more than one row: {len(s.duplicates):,}. Each row was planned on its own; "
        "often someone answered twice.",
        "",
    ]
    lines += [f"- {_md(ident)}: rows {', '.join(map(str, rows))}" for ident, rows in s.duplicates[:LISTED]]
    if len(s.duplicates) > LISTED:
        lines.append(f"- … and {len(s.duplicates) - LISTED:,} more in summary.json (duplicate\\_ids)")
    return "\n".join([*lines, ""])


def _recommended(s: Summary) -> str:
    lines = ["## What was recommended", "", f"How many of the {s.plans:,} people with a plan got each.", ""]
    lines += _counts_table("By category", ["category"], [([name], n) for name, n in s.categories], s.plans)
    lines += _counts_table("By topic", ["topic"], [([name], n) for name, n in s.topics], s.plans)
    lines += _counts_table(
        "By step", ["step", "id"], [([_md(s.titles.get(rule, "")), rule], n) for rule, n in s.rules], s.plans
    )
    return "\n".join(lines)


def _counts_table(title: str, header: list[str], rows: list[tuple[list[str], int]], plans: int) -> list[str]:
    """A table of what was recommended to somebody, then a line naming what was not."""
    lines = [
        f"### {title}",
        "",
        "| " + " | ".join(header) + " | people | share |",
        "|" + "---|" * len(header) + "---:|---:|",
    ]
    lines += ["| " + " | ".join(cells) + f" | {n:,} | {_share(n, plans)} |" for cells, n in rows if n]
    never = [cells[-1] for cells, n in rows if not n]
    if never:
        lines += ["", f"Recommended to nobody: {', '.join(never)}."]
    return [*lines, ""]


def _histogram(header: str, rows: Iterable[tuple[str, int]]) -> list[str]:
    rows = list(rows)
    most = max((n for _, n in rows), default=0)
    lines = [f"| {header} | people | |", "|---|---:|---|"]
    return lines + [f"| {label} | {n:,} | {_bar(n, most)} |" for label, n in rows]


def _distributions(s: Summary) -> str:
    lines = [
        "## Scores",
        "",
        "Each person's best step score (weight × strength, 0 to 1): how strongly the "
        "answers called for the top advice.",
        "",
    ]
    lines += _histogram("best score", zip(BUCKETS, s.best_scores))
    if s.empty_plans:
        lines += ["", f"{_count(s.empty_plans, 'plan')} had no steps at all."]
    lines += ["", "## Distress", ""]
    unknown = [("unknown", s.distress_unknown)] if s.distress_unknown else []
    lines += _histogram("distress", list(zip(BUCKETS, s.distress)) + unknown)
    return "\n".join([*lines, ""])
