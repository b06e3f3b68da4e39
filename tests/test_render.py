"""The markdown, html and ics renderers: structure, escaping, determinism, plugin formats."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

from bounceback import hookimpl
from bounceback.api import Bounceback, load
from bounceback.cli import cli
from bounceback.render import Renderer, RenderOptions, context_line, html, ics, markdown
from bounceback.results import Plan, SkippedPlugin
from conftest import EXAMPLES

EXAMPLE = EXAMPLES / "jordan.toml"
HOSTILE = '<script>alert("x")</script> & [link](http://evil.example) `tick` *star*'
START = dt.date(2025, 3, 3)


@pytest.fixture(scope="module")
def jordan() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def plan(app: Bounceback, jordan: dict[str, Any]) -> Plan:
    return app.plan(jordan)


@pytest.fixture(scope="module")
def long_plan(app: Bounceback, jordan: dict[str, Any]) -> Plan:
    """A plan with steps in every timeframe (Jordan with energy enough for a long plan, and
    the news so fresh and so hard that making room for the feelings, today's business, comes first)."""
    result = app.plan(
        dict(jordan, motivation=4, self_care=2, days_since_rejection=0, disappointment=5),
        top=20,
        per_category=5,
    )
    assert {s.timeframe for s in result.steps} == {"today", "this-week", "this-month", "ongoing"}
    return result


@pytest.fixture(scope="module")
def hostile_plan(app: Bounceback, jordan: dict[str, Any]) -> Plan:
    """Jordan's plan with markup in every text answer that drafts and headers show."""
    answers = dict(jordan, role=HOSTILE, company=HOSTILE, interviewer_name=HOSTILE, name=HOSTILE)
    result = app.plan(answers)
    assert any(HOSTILE in (s.draft.body if s.draft else "") for s in result.steps)
    return result


def test_builtin_formats_are_registered(app: Bounceback) -> None:
    assert {"text", "json", "markdown", "html", "ics"} <= set(app.renderers)
    assert {app.renderers[f].suffix for f in ("markdown", "html", "ics")} == {".md", ".html", ".ics"}


# -- markdown ---------------------------------------------------------------------------------


def test_markdown_lists_every_step_in_plan_order_with_its_timeframe(plan: Plan) -> None:
    text = markdown.render(plan, RenderOptions())
    assert text.startswith("# Your next steps\n\n*After the Junior UX Designer role at Lumen Health*\n")
    headings = re.findall(r"^## (\d+)\. (.*)$", text, re.M)
    assert [int(n) for n, _ in headings] == list(range(1, len(plan.steps) + 1))
    assert [markdown.escape(s.title) for s in plan.steps] == [t for _, t in headings]
    labels = re.findall(r"^\*(today|this week|this month|ongoing) · ", text, re.M)
    assert labels == [s.timeframe.replace("-", " ") for s in plan.steps]
    assert "> Dear Priya," in text
    assert "Score " not in text


def test_markdown_explain_shows_scores_and_reasons_as_code(plan: Plan) -> None:
    text = markdown.render(plan, RenderOptions(reasons=True))
    first = plan.steps[0]
    assert f"Score {first.score:.2f}" in text
    assert all(f"- {markdown.code(r)}" in text for s in plan.steps for r in s.reasons)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>", "\\<script\\>"),
        ("[a](b)", "\\[a\\](b)"),
        ("*x* _y_ `z`", "\\*x\\* \\_y\\_ \\`z\\`"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list\n+ nor this\n12. nor this", "\\- not a list\n\\+ nor this\n12\\. nor this"),
        ("plain, text. 3 - 2", "plain, text. 3 - 2"),
    ],
)
def test_markdown_escape(raw: str, escaped: str) -> None:
    assert markdown.escape(raw) == escaped


def test_markdown_code_span_outlasts_backticks_inside() -> None:
    assert markdown.code("a") == "`a`"
    assert markdown.code("a ``b`` c") == "```a ``b`` c```"
    assert markdown.code("`x") == "`` `x ``"


def test_markdown_escapes_what_the_person_typed(hostile_plan: Plan) -> None:
    text = markdown.render(hostile_plan, RenderOptions())
    assert not re.search(r"(?<!\\)[<\[]", text)  # no tag and no link can start
    assert not re.search(r"(?<!\\)\]\(", text)
    assert markdown.escape(HOSTILE) in text


# -- html -------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Collects the elements, attributes and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in ("meta", "br"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.open == []  # every element closed, properly nested
    return parser


def test_html_is_one_self_contained_page(plan: Plan) -> None:
    page = html.render(plan, RenderOptions())
    parsed = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    # One section a step, and one for the options left for later when there are some.
    assert parsed.tags.count("section") == len(plan.steps) + bool(plan.later)
    assert parsed.tags.count("h3") == len(plan.steps) and parsed.tags.count("h2") == bool(plan.later)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert not [v for k, v in parsed.attrs if k in ("src", "href")]
    assert ("http-equiv", "Content-Security-Policy") in parsed.attrs
    text = "".join(parsed.text)
    for step in plan.steps:
        assert step.title in text and step.why in text
        assert all(action in text for action in step.actions)
    assert "Dear Priya," in text
    assert "@media print" in page


def test_html_escapes_every_typed_string(hostile_plan: Plan) -> None:
    page = html.render(hostile_plan, RenderOptions(reasons=True))
    parsed = parse(page)
    assert parsed.tags.count("script") == 0 and "a" not in parsed.tags
    assert "<script>" not in page
    text = "".join(parsed.text)
    assert HOSTILE in text  # shown to the reader exactly as typed
    assert f"After the {HOSTILE} role at {HOSTILE}" in text


def test_html_explain_lists_reasons(plan: Plan) -> None:
    text = "".join(parse(html.render(plan, RenderOptions(reasons=True))).text)
    assert all(reason in text for step in plan.steps for reason in step.reasons)
    assert f"Score {plan.steps[0].score:.2f}" in text


# -- ics --------------------------------------------------------------------------------------


def unfold(calendar: str) -> list[str]:
    """The logical lines of an iCalendar text, checking the physical ones on the way."""
    assert calendar.endswith("\r\n")
    physical = calendar[:-2].split("\r\n")
    assert not any("\n" in line or "\r" in line for line in physical)
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def events(calendar: str) -> list[dict[str, str]]:
    lines = unfold(calendar)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        if line == "BEGIN:VEVENT":
            assert current is None
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    assert current is None
    return found


def test_ics_has_one_dated_event_per_step(long_plan: Plan) -> None:
    plan = long_plan
    calendar = ics.render(plan, RenderOptions(start=START))
    found = events(calendar)
    assert len(found) == len(plan.steps)
    # The calendar spreads the steps by timeframe: today's first, each timeframe in plan order.
    by_phase = [s for _, steps in plan.phases() for s in steps]
    assert [unescape(e["SUMMARY"]) for e in found] == [s.title for s in by_phase]
    assert len({e["UID"] for e in found}) == len(found)
    windows = {"today": (0, 0), "this-week": (1, 6), "this-month": (7, 27), "ongoing": (7, 13)}
    previous: dict[str, dt.date] = {}
    for step, event in zip(by_phase, found):
        assert event["DTSTAMP"] == "20250303T000000Z"
        day = dt.datetime.strptime(event["DTSTART;VALUE=DATE"], "%Y%m%d").date()
        first, last = windows[step.timeframe]
        assert START + dt.timedelta(days=first) <= day <= START + dt.timedelta(days=last)
        assert day >= previous.get(step.timeframe, START)  # spread in plan order within a timeframe
        previous[step.timeframe] = day
        assert event["DTEND;VALUE=DATE"] == f"{day + dt.timedelta(days=1):%Y%m%d}"
        assert unescape(event["SUMMARY"]) == step.title
        description = unescape(event["DESCRIPTION"])
        assert step.why in description and all(a in description for a in step.actions)
        if step.draft is not None:
            assert step.draft.body.strip() in description
        assert event.get("RRULE") == ("FREQ=WEEKLY;COUNT=4" if step.timeframe == "ongoing" else None)


def test_ics_spreads_a_phase_over_its_window(long_plan: Plan) -> None:
    week = [day for step, day in ics.schedule(long_plan, START) if step.timeframe == "this-week"]
    assert len(week) >= 6 and week == sorted(week)
    assert {(day - START).days for day in week} == {1, 2, 3, 4, 5, 6}


def test_ics_is_deterministic_and_defaults_to_today(plan: Plan) -> None:
    options = RenderOptions(start=START)
    assert ics.render(plan, options) == ics.render(plan, options)
    today = events(ics.render(plan, RenderOptions()))[0]["DTSTAMP"]
    assert today == f"{dt.date.today():%Y%m%d}T000000Z"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("one\ntwo\r\nthree", "one\\ntwo\\nthree"),
    ],
)
def test_ics_text_escaping(raw: str, escaped: str) -> None:
    assert ics.escape_text(raw) == escaped
    assert unescape(escaped) == raw.replace("\r\n", "\n")


def test_ics_folding_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "é€😀a" * 40
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if n else p for n, p in enumerate(pieces)) == line
    assert ics.fold("SHORT:x") == "SHORT:x"


def test_ics_escapes_and_folds_typed_text(hostile_plan: Plan) -> None:
    found = events(ics.render(hostile_plan, RenderOptions(start=START)))
    descriptions = [unescape(e["DESCRIPTION"]) for e in found]
    assert any(HOSTILE in d for d in descriptions)


def test_ics_of_an_empty_plan_is_still_a_valid_calendar(plan: Plan) -> None:
    found = events(ics.render(attrs.evolve(plan, steps=()), RenderOptions(start=START)))
    assert len(found) == 1 and found[0]["SUMMARY"] == "Answer more questions"


@pytest.mark.parametrize(
    ("answers", "line"),
    [
        ({"role": "Nurse"}, "After the Nurse application"),
        ({"company": "Acme"}, "After the Acme application"),
        ({}, None),
    ],
)
def test_context_line(plan: Plan, answers: dict[str, str], line: str | None) -> None:
    assert context_line(attrs.evolve(plan, answers=answers)) == line


def test_skipped_plugins_are_named(plan: Plan) -> None:
    skipped = attrs.evolve(plan, skipped_plugins=(SkippedPlugin("broken", "bounceback_signals", "boom"),))
    assert "*Made without these plugins, which failed: broken (boom)*" in markdown.render(
        skipped, RenderOptions()
    )
    assert "These plugins failed and were left out: broken (boom)." in html.render(skipped, RenderOptions())


def test_empty_plan_in_markdown_and_html(plan: Plan) -> None:
    empty = attrs.evolve(plan, steps=())
    assert "No step stands out" in markdown.render(empty, RenderOptions())
    assert "No step stands out" in "".join(parse(html.render(empty, RenderOptions())).text)


# -- the CLI ----------------------------------------------------------------------------------


def test_plan_writes_each_format_from_the_suffix(tmp_path: Path) -> None:
    runner = CliRunner()
    for suffix, marker in (
        (".md", "# Your next steps"),
        (".html", "<!DOCTYPE html>"),
        (".ics", "BEGIN:VCALENDAR\r\n"),
    ):
        out = tmp_path / f"plan{suffix}"
        result = runner.invoke(cli, ["plan", str(EXAMPLE), "-o", str(out), "--start", "2025-03-03"])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().decode("utf-8").startswith(marker)
    assert b"\r\r\n" not in (tmp_path / "plan.ics").read_bytes()


def test_plan_start_makes_the_calendar_byte_identical() -> None:
    runner = CliRunner()
    args = ["plan", str(EXAMPLE), "--format", "ics", "--start", "2025-03-03"]
    first, second = runner.invoke(cli, args), runner.invoke(cli, args)
    assert first.exit_code == 0 and first.output == second.output
    dates = re.findall(r"DTSTART;VALUE=DATE:(\d+)", first.output)
    assert dates and min(dates) in ("20250303", "20250304")  # today's step, or this week's


def test_plan_rejects_a_bad_start_date() -> None:
    result = CliRunner().invoke(cli, ["plan", str(EXAMPLE), "-f", "ics", "--start", "03/03/2025"])
    assert result.exit_code == 2
    assert "'--start'" in result.output and "is not a date written YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output


class ShoutPlugin:
    """A third-party renderer: step titles in capitals."""

    @hookimpl
    def bounceback_renderers(self) -> dict[str, Renderer]:
        return {
            "shout": Renderer(
                "shout",
                "titles in capitals",
                ".shout",
                lambda plan, options: "".join(s.title.upper() + "\n" for s in plan.steps),
            )
        }


def test_a_plugin_can_add_a_format(jordan: dict[str, Any]) -> None:
    app = load(entry_points=False, extra_plugins=[("shout", ShoutPlugin())])
    result = app.plan(jordan)
    assert app.render(result, "shout") == "".join(s.title.upper() + "\n" for s in result.steps)
    assert {"markdown", "html", "ics"} <= set(app.renderers)


def test_ics_explain_adds_scores_and_reasons(plan: Plan) -> None:
    found = events(ics.render(plan, RenderOptions(start=START, reasons=True)))
    for step, event in zip([s for _, steps in plan.phases() for s in steps], found):
        description = unescape(event["DESCRIPTION"])
        assert f"Score {step.score:.2f}" in description
        assert all(f"· {reason}" in description for reason in step.reasons)


def test_html_says_when_the_plan_was_made_and_starts(
    long_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = long_plan  # it has a step due today
    text = "".join(parse(html.render(plan, RenderOptions(made=dt.date(2026, 12, 1)))).text)
    assert "Made on 1 December 2026" in text and "· starting" not in text  # no start date given
    dated = html.render(plan, RenderOptions(made=dt.date(2026, 12, 1), start=dt.date(2027, 1, 4)))
    assert '<p class="dates">Made on 1 December 2026 · starting 4 January 2027</p>' in dated
    assert f"Made on {dt.date.today().day} " in html.render(plan, RenderOptions())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740960000")  # reproducible output: 3 March 2025
    assert "Made on 3 March 2025" in html.render(plan, RenderOptions())
    assert "DTSTART;VALUE=DATE:20250303" in ics.render(plan, RenderOptions())


def test_printed_headings_stay_with_their_steps() -> None:
    assert "h2, h3, h4, .tags { break-after: avoid; page-break-after: avoid; }" in html.STYLE
    assert ".step { break-inside" not in html.STYLE  # a whole step kept together wasted pages


def test_ics_uids_are_stable_for_the_same_person_step_and_start(
    app: Bounceback, jordan: dict[str, Any]
) -> None:
    def uids(answers: dict[str, Any], start: dt.date = START) -> dict[str, str]:
        plan = app.plan(answers)
        found = events(ics.render(plan, RenderOptions(start=start)))  # in date order
        return {step.id: event["UID"] for (step, _), event in zip(ics.schedule(plan, start), found)}

    first = uids(jordan)
    replanned = uids(dict(jordan, anger=1, motivation=4, applications_per_week=6))  # feeling better
    common = set(first) & set(replanned)
    assert common and all(first[step] == replanned[step] for step in common)
    assert set(first.values()).isdisjoint(uids(jordan, START + dt.timedelta(days=7)).values())
    assert set(first.values()).isdisjoint(uids(dict(jordan, name="Sam")).values())
    assert set(first.values()).isdisjoint(uids(dict(jordan, company="Other Co")).values())
