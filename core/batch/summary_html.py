"""``summary.html``: the cohort summary as one printable page with charts.

Self-contained like the html plan (:func:`bounceback.render.html.page`: inline CSS, no
scripts, no external assets, every string escaped); the charts are inline SVG bars. Who to
contact first comes first, then rows that could not be planned, then what was recommended to
how many, then how distress is spread.
"""

from __future__ import annotations

from html import escape

from ..render.html import page
from .summary import BUCKETS, ERRORS_QUOTED, LISTED, Summary
from .summary_md import (  # one wording for summary.md and .html
    REASON_TEXT,
    SHORT_REASON,
)

STYLE = """
body { font: 15px/1.45 Georgia, "Times New Roman", serif; color: #222; margin: 0; }
main { max-width: 56rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #444; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { text-align: left; padding: 0.15rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
.counts td { font-size: 1.4rem; }
.attention { border: 3px solid #a33; padding: 0.2rem 1rem 0.5rem; }
.bar rect { fill: #4a7a9c; }
.bar.alert rect { fill: #a33; }
.muted, footer { color: #555; font-size: 0.9rem; }
section { break-inside: avoid; page-break-inside: avoid; }
@media print { body { font-size: 10pt; } main { margin: 0; max-width: none; } }
""".strip()
BAR_WIDTH = 220


def _bar(n: int, most: int, *, alert: bool = False) -> str:
    """An inline SVG bar, ``n`` of ``most`` long."""
    width = round(BAR_WIDTH * n / most) if most else 0
    kind = "bar alert" if alert else "bar"
    return (
        f'<svg class="{kind}" width="{BAR_WIDTH}" height="12" role="img" aria-label="{n:,}">'
        f'<rect x="0" y="0" width="{width}" height="12"></rect></svg>'
    )


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.0f} %" if total else "–"


def _chart(title: str, rows: list[tuple[str, int]], total: int) -> list[str]:
    """A table of labels with their counts, shares of ``total`` and bars."""
    most = max((n for _, n in rows), default=0)
    out = [
        f"<section><h3>{escape(title)}</h3>",
        "<table>",
        '<tr><th></th><th class="n">people</th><th class="n">share</th><th></th></tr>',
    ]
    out += [
        f'<tr><td>{escape(label)}</td><td class="n">{n:,}</td><td class="n">{_share(n, total)}</td>'
        f"<td>{_bar(n, most)}</td></tr>"
        for label, n in rows
        if n
    ]
    out.append("</table>")
    never = [label for label, n in rows if not n]
    if never:
        out.append(f'<p class="muted">Recommended to nobody: {escape(", ".join(never))}.</p>')
    return [*out, "</section>"]


def _overview(s: Summary) -> list[str]:
    packs = ", ".join(f"{pid} {version}" for pid, version in s.packs)
    out = [
        "<h1>Cohort summary</h1>",
        f'<p class="muted">Input: {escape(s.source)}. Plans of at most {s.options.top} steps, at most '
        f"{s.options.per_category} from one category. Packs: {escape(packs)}.</p>",
        '<table class="counts"><tr><th>participants</th><th>plans</th><th>rows with errors</th></tr>',
        f"<tr><td>{s.participants:,}</td><td>{s.plans:,}</td><td>{s.errors:,}</td></tr></table>",
    ]
    if s.blank_rows:
        out.append(f'<p class="muted">{s.blank_rows:,} blank rows skipped (not counted as participants).</p>')
    return out


def _attention(s: Summary) -> list[str]:
    """Who to contact first, by safety tier, as summary.md lists them."""
    out = [
        '<section class="attention"><h2>Attention first</h2>',
        "<p>The safety tiers are a check-in on the answers, not a screening or a diagnosis. Every "
        "row is screened, rows with errors from their valid answers.</p>",
    ]
    counts = [*s.tiers, ("not-screened", s.not_screened)]
    if not any(n for _, n in counts):
        out.append(
            "<p>Nobody's answers called for a safety tier (crisis, pinned or check-in), and "
            "every row was screened.</p>"
        )
    items = [
        f"<li><strong>{escape(REASON_TEXT[reason][0])}: {n:,}.</strong> "
        f"{escape(REASON_TEXT[reason][1])}.</li>"
        for reason, n in counts
        if n
    ]
    if items:
        out += ["<ul>", *items, "</ul>"]
    if s.attention:
        out += [
            "<table>",
            '<tr><th class="n">#</th><th class="n">row</th><th>id</th><th>why</th>'
            '<th class="n">distress</th><th>note</th></tr>',
        ]
        for n, flag in enumerate(s.attention[:LISTED], start=1):
            distress = "–" if flag.distress is None else f"{flag.distress:.2f}"
            note = flag.note or ("" if flag.planned else "row has errors: no plan (errors.jsonl)")
            out.append(
                f'<tr><td class="n">{n}</td><td class="n">{flag.row}</td><td>{escape(flag.id or "")}</td>'
                f'<td>{escape(SHORT_REASON[flag.reason])}</td><td class="n">{distress}</td>'
                f"<td>{escape(note)}</td></tr>"
            )
        out.append("</table>")
        if len(s.attention) > LISTED:
            out.append(f"<p>… and {len(s.attention) - LISTED:,} more in summary.json and roster.csv.</p>")
    return [*out, "</section>"]


def _errors(s: Summary) -> list[str]:
    if not s.errors:
        return []
    out = [
        "<section><h2>Rows with errors</h2>",
        f"<p>{s.errors:,} rows could not be planned (every problem is in errors.jsonl; the first "
        f"{ERRORS_QUOTED} are here). Fix them in the export and run again.</p>",
        "<ul>",
    ]
    for error in s.first_errors:
        ident = f", id {escape(error.id)}" if error.id else ", no id"
        out.append(
            f"<li>row {error.row} (line {error.line}{ident}): {escape('; '.join(error.messages))}</li>"
        )
    out.append("</ul>")
    if s.error_fields:
        out.append(
            "<p>Problems by column: "
            + escape(", ".join(f"{field} ({n:,})" for field, n in s.error_fields))
            + ".</p>"
        )
    return [*out, "</section>"]


def _recommended(s: Summary) -> list[str]:
    out = [
        "<h2>What was recommended</h2>",
        f"<p>How many of the {s.plans:,} people with a plan got each.</p>",
    ]
    out += _chart("By category", list(s.categories), s.plans)
    out += _chart("By topic", list(s.topics), s.plans)
    out += _chart("By step", [(f"{s.titles.get(rule, rule)} ({rule})", n) for rule, n in s.rules], s.plans)
    return out


def _distress(s: Summary) -> list[str]:
    rows = list(zip(BUCKETS, s.distress)) + ([("unknown", s.distress_unknown)] if s.distress_unknown else [])
    most = max((n for _, n in rows), default=0)
    out = [
        "<section><h2>Distress</h2>",
        "<p>Each plan's distress signal: 0 is calm, 1 the strongest feelings on every scale.</p>",
        '<table><tr><th>distress</th><th class="n">people</th><th></th></tr>',
    ]
    out += [
        f'<tr><td>{label}</td><td class="n">{n:,}</td><td>{_bar(n, most, alert=7 <= i < len(BUCKETS))}</td></tr>'
        for i, (label, n) in enumerate(rows)
    ]
    return [*out, "</table></section>"]


def summary_page(summary: Summary) -> str:
    """The whole ``summary.html`` page."""
    body = (
        _overview(summary)
        + _attention(summary)
        + _errors(summary)
        + _recommended(summary)
        + _distress(summary)
        + [
            "<footer>Made with bounceback: the results are in plans.jsonl, "
            "errors.jsonl, summary.json and roster.csv beside this page.</footer>"
        ]
    )
    return page("Cohort summary", body, style=STYLE)
