"""The pages of ``bounceback serve``: the questionnaire form and the plan page.

The form is one server-rendered page that works without JavaScript: every question of every
section, its field named by the question id, posted to ``plan``. When posted answers have
problems, the same form comes back with the answers kept, a summary of the problems at the top
and each message beside its question. ``form.js`` then only improves it (one section at a time,
progress, back, a review list, answers kept in the tab's session storage).

Every string is escaped with :func:`html.escape`, whether it came from a pack or a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ..errors import Problem
from ..model import Question
from ..questionnaire import Questionnaire
from ..render import RenderOptions
from ..render.html import STYLE as PLAN_STYLE
from ..render.html import page, plan_body
from ..render.questionnaire import section_title
from ..results import Plan

#: Posted field names that are not answers (the download format, the section being checked).
CONTROL_PREFIX = "_"
#: Choice questions with more options than this are a drop-down list instead of radio buttons.
MAX_RADIOS = 8
#: The page's own policy: its script and style only, forms posted back to it, nothing else.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'"
)
#: The formats the plan page offers to download: (format, button label).
DOWNLOADS = (
    ("toml", "Answers (TOML)"),
    ("html", "Plan (HTML)"),
    ("markdown", "Plan (Markdown)"),
    ("ics", "Calendar (ics)"),
)

Values = Mapping[str, Sequence[str]]

FORM_STYLE = """
body { font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       margin: 0; background: #fff; }
main { max-width: 40rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; line-height: 1.2; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #444; margin-top: 2rem; }
.question { border: 0; margin: 0 0 1.6rem; padding: 0; min-width: 0; }
.question > label, legend { font-weight: 600; display: block; margin-bottom: 0.3rem; padding: 0; }
.tag { font-weight: normal; color: #555; }
.help { color: #444; margin: 0 0 0.4rem; font-size: 0.95rem; }
.error { color: #a00000; font-weight: 600; margin: 0.2rem 0 0.4rem; }
.error:empty { display: none; }
.question.invalid { border-left: 4px solid #a00000; padding-left: 0.8rem; }
input[type=text], select { font: inherit; width: 100%; max-width: 100%; box-sizing: border-box;
       padding: 0.45rem; border: 2px solid #555; border-radius: 4px; }
input.short { max-width: 8rem; }
.options { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; }
.options.list { flex-direction: column; gap: 0.1rem; }
.options label { display: inline-flex; align-items: center; gap: 0.4rem; min-height: 2.4rem;
       cursor: pointer; }
.options input { width: 1.3rem; height: 1.3rem; margin: 0; flex: none; }
.anchor { color: #444; font-size: 0.9rem; }
button { font: inherit; padding: 0.55rem 1.1rem; border: 2px solid #1a4d8f; border-radius: 4px;
       background: #1a4d8f; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #1a4d8f; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.actions { display: flex; flex-wrap: wrap; gap: 0.6rem; margin: 1.5rem 0; }
.error-summary { border: 4px solid #a00000; padding: 0 1rem 0.5rem; margin: 1rem 0; }
.error-summary h2 { border: 0; margin-top: 1rem; }
.error-summary a { color: #a00000; font-weight: 600; }
.progress { font-weight: 600; }
progress { width: 100%; height: 0.8rem; }
.review dt { font-weight: 600; margin-top: 0.6rem; }
.review dd { margin-left: 0; }
.note { color: #444; font-size: 0.95rem; }
@media print { .actions, .error-summary, script { display: none; } }
""".strip()

DOWNLOAD_STYLE = """
.downloads { border: 2px solid #bbb; padding: 0.3rem 1rem 0.8rem; margin: 1rem 0 2rem;
             font: 16px/1.5 system-ui, sans-serif; }
.downloads h2 { font-size: 1.1rem; border: 0; margin: 0.6rem 0 0.2rem; }
.downloads .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; }
.downloads button { font: inherit; padding: 0.45rem 0.9rem; border: 2px solid #1a4d8f;
             border-radius: 4px; background: #fff; color: #1a4d8f; cursor: pointer; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
@media print { .downloads { display: none; } }
""".strip()


def scale_anchors(question: Question) -> dict[int, str]:
    """What the ends of a scale mean, by value: the question's anchors, else "not at all"
    and "very much"."""
    return dict(question.anchors) or {
        int(question.min or 1): "not at all",
        int(question.max or 5): "very much",
    }


def answers_from(pairs: Sequence[tuple[str, str]], questionnaire: Questionnaire) -> dict[str, Any]:
    """Raw answers from posted fields: a list for a multi question, the text otherwise; empty
    fields and control fields left out. A field that is no question is kept, for the validator
    to report; a single question posted twice becomes a list, which it reports too."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        if not name.startswith(CONTROL_PREFIX) and value.strip():
            grouped.setdefault(name, []).append(value)
    answers: dict[str, Any] = {}
    for name, values in grouped.items():
        question = questionnaire.by_id.get(name)
        multi = question is not None and question.kind == "multi"
        answers[name] = values if multi or len(values) > 1 else values[0]
    return answers


def values_from(pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Posted fields as name → values, control fields left out."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        if not name.startswith(CONTROL_PREFIX):
            values.setdefault(name, []).append(value)
    return values


def named_questions(problem: Problem, questionnaire: Questionnaire) -> list[str]:
    """The questions a problem is about: its field, or each of ``"a, b"`` (a contradiction)."""
    return [name for name in (problem.field or "").split(", ") if name in questionnaire.by_id]


def field_errors(problems: Sequence[Problem], questionnaire: Questionnaire) -> dict[str, str]:
    """The first problem of each question, as the message shown beside it."""
    errors: dict[str, str] = {}
    for problem in problems:
        for name in named_questions(problem, questionnaire):
            errors.setdefault(name, sentence(problem.message))
    return errors


def sentence(message: str) -> str:
    """A validator message as a sentence: capital first letter, full stop."""
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", ")")) else message + "."


# -- the form ---------------------------------------------------------------------------------


def _attrs(**attributes: str | None) -> str:
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'
        for name, value in attributes.items()
        if value is not None
    )


def _describedby(question: Question) -> str:
    return " ".join(([f"{question.id}-help"] if question.help.strip() else []) + [f"{question.id}-error"])


def _heading(question: Question) -> str:
    tag = "required" if question.required else "optional"
    return f'{escape(question.prompt)} <span class="tag">({tag})</span>'


def _notes(question: Question, error: str | None) -> list[str]:
    out = []
    if question.help.strip():
        out.append(f'<p class="help" id="{question.id}-help">{escape(question.help.strip())}</p>')
    out.append(f'<p class="error" id="{question.id}-error">{escape(error or "")}</p>')
    return out


def _choices(question: Question) -> list[tuple[str, str]]:
    """(value, label) of each radio button or check box of a question."""
    if question.kind == "bool":
        choices = [("yes", "Yes"), ("no", "No")]
    elif question.kind == "scale":
        anchors = scale_anchors(question)
        choices = [
            (str(n), f"{n}" + (f' <span class="anchor">{escape(anchors[n])}</span>' if n in anchors else ""))
            for n in range(int(question.min or 1), int(question.max or 5) + 1)
        ]
    else:
        choices = [(o, escape(question.label(o))) for o in question.options]
    if not question.required and question.kind != "multi":
        choices.append(("", "No answer"))
    return choices


def _checked(value: str, chosen: Sequence[str]) -> bool:
    if not value:  # "No answer" is checked when nothing else is
        return not [c for c in chosen if c.strip()]
    return value in chosen


def question_html(question: Question, chosen: Sequence[str], error: str | None) -> list[str]:
    """One question: its label or legend, help, error message and input(s)."""
    qid = question.id
    invalid = "true" if error else None
    classes = "question invalid" if error else "question"
    if question.kind in ("text", "number") or (
        question.kind == "choice" and len(question.options) > MAX_RADIOS
    ):
        out = [
            f'<div class="{classes}" id="q-{qid}">',
            f'<label for="{qid}">{_heading(question)}</label>',
            *_notes(question, error),
        ]
        value = chosen[0] if chosen else ""
        if question.kind == "choice":
            options = [("", "No answer" if not question.required else "Choose one")] + [
                (o, question.label(o)) for o in question.options
            ]
            out.append(
                f"<select{_attrs(id=qid, name=qid, aria_describedby=_describedby(question), aria_invalid=invalid)}>"
                + "".join(
                    f'<option value="{escape(v)}"{" selected" if v == value else ""}>{escape(label)}</option>'
                    for v, label in options
                )
                + "</select>"
            )
        else:
            number = question.kind == "number"
            out.append(
                f"<input{_attrs(type='text', id=qid, name=qid, value=value, class_='short' if number else None, inputmode='numeric' if number else None, maxlength=None if number else '1000', autocomplete='off', aria_describedby=_describedby(question), aria_invalid=invalid)}>"
            )
        return [*out, "</div>"]
    kind = "checkbox" if question.kind == "multi" else "radio"
    layout = "options" if question.kind in ("scale", "bool") else "options list"
    out = [
        f'<fieldset class="{classes}" id="q-{qid}"{_attrs(aria_describedby=_describedby(question), aria_invalid=invalid)}>',
        f"<legend>{_heading(question)}</legend>",
        *_notes(question, error),
        f'<div class="{layout}">',
    ]
    for n, (value, label) in enumerate(_choices(question), 1):
        box = f"{qid}-{n}"
        checked = " checked" if _checked(value, chosen) else ""
        out.append(
            f'<label for="{box}"><input{_attrs(type=kind, id=box, name=qid, value=value)}{checked}> '
            f"{label}</label>"
        )
    return [*out, "</div>", "</fieldset>"]


def error_summary(problems: Sequence[Problem], questionnaire: Questionnaire) -> list[str]:
    """The box at the top of a form with problems: each one, linked to its question."""
    out = [
        '<div class="error-summary" id="error-summary" role="alert" tabindex="-1">',
        "<h2>Some answers need another look</h2>",
        "<ul>",
    ]
    for problem in problems:
        named = [questionnaire.by_id[name] for name in named_questions(problem, questionnaire)]
        if not named:
            out.append(f"<li>{escape(sentence(str(problem)))}</li>")
        else:
            links = " and ".join(f'<a href="#q-{q.id}">{escape(q.prompt)}</a>' for q in named)
            out.append(f"<li>{links}: {escape(sentence(problem.message))}</li>")
    return [*out, "</ul>", "</div>"]


def form_page(
    questionnaire: Questionnaire, values: Values | None = None, problems: Sequence[Problem] = ()
) -> str:
    """The questionnaire as one form posting to ``plan``, with ``values`` filled in and the
    ``problems`` shown (a summary at the top and each message beside its question)."""
    values = values or {}
    errors = field_errors(problems, questionnaire)
    sections = questionnaire.sections()
    required = sum(q.required for q in questionnaire)
    body = [
        "<h1>After the rejection: your next steps</h1>",
        f"<p>{len(questionnaire)} questions in {len(sections)} short sections; {required} need an "
        "answer, the others can be skipped. Your plan comes at the end, with drafts and a "
        "calendar to download.</p>",
        '<p class="note">Everything stays on this computer: nothing is saved unless you download it.</p>',
    ]
    if problems:
        body += error_summary(problems, questionnaire)
    posted = ' data-posted="true"' if values else ""
    body.append(f'<form id="questionnaire" method="post" action="plan" novalidate{posted}>')
    for index, (section, questions) in enumerate(sections, 1):
        body += [
            f'<section class="section" id="section-{escape(section)}" aria-labelledby="h-{escape(section)}"'
            f' data-title="{escape(section_title(section))}">',
            f'<h2 id="h-{escape(section)}" tabindex="-1">{escape(section_title(section))}'
            f' <span class="tag">({index} of {len(sections)})</span></h2>',
        ]
        for question in questions:
            body += question_html(question, values.get(question.id, ()), errors.get(question.id))
        body.append("</section>")
    body += [
        '<div class="actions" id="submit-actions">',
        '<button type="submit" id="make-plan">Make my plan</button>',
        "</div>",
        "</form>",
    ]
    return page(
        "Your next steps: the questions",
        body,
        style=FORM_STYLE,
        csp=CSP,
        head=('<script src="form.js" defer></script>',),
    )


# -- the plan page ----------------------------------------------------------------------------


def hidden_fields(values: Values) -> list[str]:
    """The answers as hidden fields, so the next form posted carries them again."""
    return [
        f"<input{_attrs(type='hidden', name=name, value=value)}>"
        for name, items in values.items()
        for value in items
    ]


def plan_page(plan: Plan, values: Values, options: RenderOptions = RenderOptions()) -> str:
    """The printable plan, with a form to download it (or the answers) and to change answers."""
    downloads = [
        '<form class="downloads" method="post" action="download">',
        "<h2>Keep your plan</h2>",
        "<p>Download it, print it (your browser's Print command), or go back and change an answer.</p>",
        *hidden_fields(values),
        '<div class="actions">',
    ]
    downloads += [
        f'<button type="submit" name="{CONTROL_PREFIX}format" value="{fmt}">{label}</button>'
        for fmt, label in DOWNLOADS
    ]
    downloads += [
        '<button type="submit" formaction="./" id="change">Change my answers</button>',
        "</div>",
        "</form>",
    ]
    body = plan_body(plan, options)
    top = 1 + sum(line.startswith(('<p class="context"', '<p class="dates"')) for line in body[1:3])
    return page(
        "Your next steps",
        body[:top] + downloads + body[top:],
        style=PLAN_STYLE + "\n" + DOWNLOAD_STYLE,
        csp=CSP,
    )
