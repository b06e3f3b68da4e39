"""HTML: one self-contained, printable page (inline CSS, no scripts, no external assets).

Every string is escaped with :func:`html.escape`, whether it came from a pack or from the
answers, and a Content-Security-Policy forbids scripts and remote loads besides.
"""

from __future__ import annotations

from html import escape

from ..results import Plan, Step
from . import (
    LATER_TITLE,
    PINNED_TITLE,
    RenderOptions,
    context_line,
    later_intro,
    later_items,
    long_date,
    pinned_first,
    score_text,
    step_tags,
    today,
)

TITLE = "Your next steps"
CSP = "default-src 'none'; style-src 'unsafe-inline'"

STYLE = """
body { font: 16px/1.5 Georgia, "Times New Roman", serif; color: #222; margin: 0; }
main { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #444; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-bottom: 0.2rem; }
h3::before { content: "\\2610\\00a0"; }
h2, h3, h4, .tags { break-after: avoid; page-break-after: avoid; }
.context, .dates, .tags, footer { color: #555; }
.context, .dates { margin: 0.2rem 0; }
.tags { font-size: 0.85rem; margin-top: 0; }
p, li { orphans: 3; widows: 3; }
.reasons { font-size: 0.9rem; color: #444; }
.pinned { border: 3px solid #9b1c1c; background: #fdf2f2; padding: 0 1rem 0.6rem; margin: 1.5rem 0; }
.pinned h2 { color: #9b1c1c; border-bottom-color: #9b1c1c; margin-top: 0.8rem; }
.draft { border-left: 4px solid #bbb; padding: 0.2rem 1rem; margin: 1rem 0; background: #f6f6f6; }
.draft pre { white-space: pre-wrap; font: inherit; margin: 0.5rem 0; }
footer { font-size: 0.8rem; margin-top: 3rem; border-top: 1px solid #bbb; padding-top: 0.3rem; }
@page { margin: 1.5cm 1.7cm; }
@media print {
  body { font-size: 10pt; line-height: 1.35; color: #000; }
  main { margin: 0; max-width: none; padding: 0; }
  h1 { font-size: 17pt; margin: 0 0 0.1rem; }
  h2 { font-size: 12.5pt; margin: 0.9rem 0 0.3rem; }
  h3 { font-size: 11pt; margin: 0.7rem 0 0; }
  p { margin: 0.25rem 0; }
  ul { margin: 0.2rem 0; padding-left: 1.3rem; }
  .pinned { background: none; border-width: 2pt; padding: 0 0.6rem 0.3rem; }
  .draft { background: none; margin: 0.4rem 0; padding: 0 0.7rem; font-size: 9.5pt;
           break-inside: avoid; page-break-inside: avoid; }
  .draft h4 { margin: 0.2rem 0; }
  .draft pre { margin: 0.2rem 0; }
  footer { margin-top: 1rem; }
}
""".strip()


def _step(number: int, step: Step, options: RenderOptions) -> list[str]:
    out = [
        '<section class="step">',
        f"<h3>{number}. {escape(step.title)}</h3>",
        f'<p class="tags">{escape(step_tags(step))}</p>',
        f"<p>{escape(step.why)}</p>",
    ]
    if step.actions:
        out.append("<ul>" + "".join(f"<li>{escape(a)}</li>" for a in step.actions) + "</ul>")
    if options.reasons:
        because = ", because:" if step.reasons else "."
        out.append(f'<div class="reasons"><p>{escape(score_text(step))}{because}</p>')
        if step.reasons:
            out.append("<ul>" + "".join(f"<li>{escape(r)}</li>" for r in step.reasons) + "</ul>")
        out.append("</div>")
    if step.draft is not None:
        out.append(f'<div class="draft"><h4>Draft: {escape(step.draft.title)}</h4>')
        if step.draft.subject:
            out.append(f"<p><strong>Subject:</strong> {escape(step.draft.subject)}</p>")
        out.append(f"<pre>{escape(step.draft.body.rstrip())}</pre></div>")
    out.append("</section>")
    return out


def page(
    title: str, body: list[str], *, style: str = STYLE, csp: str = CSP, head: tuple[str, ...] = ()
) -> str:
    """A whole HTML document: ``body`` (markup, already escaped) under a ``<main>``."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{style}\n</style>",
        *head,
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def plan_body(plan: Plan, options: RenderOptions) -> list[str]:
    """The plan's markup: its heading, the steps in order and the footer."""
    out = [f"<h1>{TITLE}</h1>"]
    context = context_line(plan)
    if context:
        out.append(f'<p class="context">{escape(context)}</p>')
    out.append(f'<p class="dates">{dates(options)}</p>')
    if not plan.steps:
        out.append(
            "<p>No step stands out from your answers right now. Answer more of the optional "
            "questions (<code>bounceback questions</code>) for a more specific plan.</p>"
        )
    pinned, rest = pinned_first(plan)
    if pinned:  # set apart in a framed section, before everything else
        out += ['<section class="pinned" role="note">', f"<h2>{escape(PINNED_TITLE)}</h2>"]
        for number, step in enumerate(pinned, start=1):
            out += _step(number, step, options)
        out.append("</section>")
    for number, step in enumerate(rest, start=len(pinned) + 1):
        out += _step(number, step, options)
    if plan.later:
        out += [
            '<section class="later">',
            f"<h2>{LATER_TITLE}</h2>",
            f"<p>{escape(later_intro(plan))}</p>",
            "<ul>",
        ]
        out += [f"<li>{escape(item)}</li>" for item in later_items(plan)] + ["</ul>", "</section>"]
    footer = (
        "Made with bounceback"
        + (
            " from the packs " + ", ".join(f"{pid} {version}" for pid, version in plan.packs)
            if plan.packs
            else ""
        )
        + "."
    )
    if plan.skipped_plugins:
        footer += (
            " These plugins failed and were left out: "
            + ", ".join(f"{p.name} ({p.error})" for p in plan.skipped_plugins)
            + "."
        )
    out.append(f"<footer>{escape(footer)}</footer>")
    return out


def dates(options: RenderOptions) -> str:
    """``Made on 1 December 2026``, and the first day of the plan when it was chosen."""
    made = f"Made on {long_date(options.made or today())}"
    return made + (f" · starting {long_date(options.start)}" if options.start else "")


def render(plan: Plan, options: RenderOptions) -> str:
    """The whole plan as one HTML page."""
    return page(TITLE, plan_body(plan, options))
