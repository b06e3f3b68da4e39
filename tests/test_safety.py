"""Safety (DESIGN §6c, docs/safety.md): the three tiers, each step worded for its trigger and
adapted to the person, and the helpline data they show."""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback.api import Bounceback
from bounceback.authoring.validation import validate_packs
from bounceback.errors import PackError
from bounceback.packs import parse_pack
from bounceback.results import Plan, Step
from bounceback.tables import PROVENANCE, REVIEW_MONTHS
from helpers import MINIMAL, answers, write_pack

CALM = dict(
    disappointment=2,
    anger=1,
    anxiety=2,
    self_doubt=2,
    hopelessness=1,
    motivation=4,
    support_people=True,
    self_care=4,
    financial_urgency=2,
)
COUNTRIES = ("au", "ca", "de", "es", "fr", "gb", "ie", "in", "nl", "nz", "us")


def plan_for(app: Bounceback, **changes: Any) -> Plan:
    return app.plan(answers(**{**CALM, **changes}))


def text(step: Step) -> str:
    return "\n".join([step.title, step.why, *step.actions])


def pinned(plan: Plan) -> list[Step]:
    return [s for s in plan.steps if s.pinned]


def helpline(app: Bounceback, entry: str) -> dict[str, Any]:
    (table,) = [t for t in app.ruleset.tables if t.name == "helpline"]
    return dict(table.entries[entry])


# -- crisis ---------------------------------------------------------------------------------


@pytest.mark.parametrize("country", COUNTRIES)
def test_crisis_comes_first_with_the_countrys_lines(app: Bounceback, country: str) -> None:
    plan = plan_for(app, self_harm_thoughts=True, country=country, hopelessness=5)
    first = plan.steps[0]
    assert plan.tier == first.tier == "crisis" and first.pinned and "crisis-support" in first.topics
    assert [s.id for s in pinned(plan)] == [first.id]  # not a second, pinned professional-help step
    entry = helpline(app, country)
    said = text(first)
    assert f"call {entry['emergency']}, or go to the nearest emergency department" in said
    assert entry["crisis"] in said and "${" not in said


@pytest.mark.parametrize("country", ["other", None])
def test_crisis_without_a_known_country_points_to_the_international_directory(
    app: Bounceback, country: str | None
) -> None:
    first = plan_for(app, self_harm_thoughts=True, country=country).steps[0]
    assert first.tier == "crisis"
    assert "findahelpline.com" in text(first) and "your local emergency number" in text(first)


def test_crisis_steps_say_what_the_tool_is_not(app: Bounceback) -> None:
    said = text(plan_for(app, self_harm_thoughts=True).steps[0])
    assert "not an assessment" in said and "no substitute for help from a person" in said
    assert not re.search(r"hopeless", said, re.I)  # nothing the person did not say


# -- pinned ---------------------------------------------------------------------------------


def test_hopelessness_pins_professional_help_worded_for_it(app: Bounceback) -> None:
    plan = plan_for(app, hopelessness=4, self_doubt=1, anxiety=1)
    (step,) = pinned(plan)
    assert plan.steps[0] is step and plan.tier == step.tier == "pinned"
    assert "You rated hopelessness at 4 out of 5" in step.why
    assert not re.search(r"anxi|self-doubt", text(step), re.I)  # rated 1: never named
    assert any("someone you trust" in a for a in step.actions)


def test_worry_at_its_highest_pins_a_step_that_never_speaks_of_hopelessness(app: Bounceback) -> None:
    plan = plan_for(app, self_doubt=5, anxiety=5, hopelessness=1)
    (step,) = pinned(plan)
    assert step.tier == "pinned" and "professional-help" in step.topics
    assert "self-doubt and anxiety at 5 out of 5" in step.why
    assert not re.search(r"hopeless", text(step), re.I)


@pytest.mark.parametrize("trigger", [dict(hopelessness=5), dict(self_doubt=5, anxiety=5)])
def test_no_one_to_talk_to_names_a_helpline_and_a_doctor(app: Bounceback, trigger: dict[str, int]) -> None:
    (step,) = pinned(plan_for(app, support_people=False, country="gb", **trigger))
    said = text(step)
    assert not re.search(r"someone you trust|a friend|relative|family", said, re.I)
    assert helpline(app, "gb")["support"] in said and "helpline" in said and "doctor" in said


@pytest.mark.parametrize("support", [True, False, None])
@pytest.mark.parametrize("trigger", [dict(hopelessness=4), dict(self_doubt=5, anxiety=5)])
def test_someone_seeing_a_professional_keeps_them_in_the_loop(
    app: Bounceback, support: bool | None, trigger: dict[str, int]
) -> None:
    (step,) = pinned(plan_for(app, sees_professional=True, support_people=support, **trigger))
    assert "you already talk to a counsellor" in step.why
    assert step.actions[0].startswith("Keep your counsellor in the loop")
    assert not re.search(r"someone you trust", text(step), re.I)


# -- check-in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "feelings",
    [
        dict(disappointment=5, anger=5, anxiety=5),
        dict(disappointment=4, self_doubt=4, anxiety=4),
        dict(anger=4, self_doubt=5, anxiety=4),
    ],
)
def test_three_strong_feelings_get_a_check_in_among_the_first_three(
    app: Bounceback, feelings: dict[str, int]
) -> None:
    plan = plan_for(app, **feelings)
    assert plan.tier == "check-in" and not pinned(plan)
    first_three = plan.steps[:3]
    assert any(s.category == "support" and s.tier == "check-in" for s in first_three)
    said = text(next(s for s in plan.steps if s.tier == "check-in"))
    assert "not a screening or a diagnosis" in said and "no substitute" in said


def test_no_support_little_self_care_and_money_pressure_get_a_check_in(app: Bounceback) -> None:
    plan = plan_for(app, support_people=False, self_care=1, financial_urgency=5, country="us")
    assert plan.tier == "check-in" and not pinned(plan)
    step = next(s for s in plan.steps[:3] if s.tier == "check-in")
    assert helpline(app, "us")["support"] in text(step)
    assert "support.reach-out" not in {s.id for s in plan.steps}  # one "talk to someone" step


def test_calm_answers_have_no_safety_tier(app: Bounceback) -> None:
    plan = plan_for(app)
    assert plan.tier is None and not pinned(plan) and all(s.tier is None for s in plan.steps)
    assert plan.to_dict()["tier"] is None


SCALE = st.integers(1, 5)
MAYBE = st.one_of(st.none(), st.booleans())


@settings(max_examples=60, deadline=None)
@given(
    d=SCALE,
    a=SCALE,
    x=SCALE,
    s=SCALE,
    h=SCALE,
    harm=MAYBE,
    people=MAYBE,
    pro=MAYBE,
    care=st.one_of(st.none(), SCALE),
    money=st.one_of(st.none(), SCALE),
)
def test_every_answer_profile_gets_the_tier_its_answers_call_for(
    app: Bounceback,
    d: int,
    a: int,
    x: int,
    s: int,
    h: int,
    harm: bool | None,
    people: bool | None,
    pro: bool | None,
    care: int | None,
    money: int | None,
) -> None:
    plan = plan_for(
        app,
        disappointment=d,
        anger=a,
        anxiety=x,
        self_doubt=s,
        hopelessness=h,
        self_harm_thoughts=harm,
        support_people=people,
        sees_professional=pro,
        self_care=care,
        financial_urgency=money,
    )
    strong = sum(v >= 4 for v in (d, a, x, s, h))
    expected = (
        "crisis"
        if harm
        else "pinned"
        if h >= 4 or (s == 5 and x == 5)
        else "check-in"
        if strong >= 3 or (people is False and (care or 5) <= 2 and (money or 0) >= 4)
        else None
    )
    assert plan.tier == expected
    pins = pinned(plan)
    assert len(pins) == (expected in ("crisis", "pinned"))
    if pins:
        assert plan.steps[0] is pins[0] and pins[0].tier == expected
        said = text(pins[0])
        if h < 4:
            assert not re.search(r"hopeless", said, re.I)
        if people is False:
            assert not re.search(r"someone you trust|a friend", said, re.I)
        if pro is True and expected == "pinned":
            assert "Keep your counsellor in the loop" in said
    if expected == "check-in":
        assert any(s.tier == "check-in" for s in plan.steps[:3])


# -- helpline data --------------------------------------------------------------------------


def test_every_country_option_has_a_complete_helpline_entry(app: Bounceback) -> None:
    (table,) = [t for t in app.ruleset.tables if t.name == "helpline"]
    assert table.key == "country" and table.default == "international"
    options = set(app.questionnaire.by_id["country"].options) - {"other"}
    assert options == set(COUNTRIES) and options <= set(table.entries)
    fields = {"crisis", "emergency", "support", *PROVENANCE}
    for entry, values in table.entries.items():
        assert set(values) == fields, entry
        assert all(isinstance(values[f], str) and values[f].strip() for f in fields - {"checked"}), entry
        assert values["source"].startswith("https://"), entry
        assert isinstance(values["checked"], dt.date), entry
        assert re.search(r"\d", values["emergency"]) or entry == "international", entry


def test_the_built_in_helplines_were_checked_within_a_year() -> None:
    root = Path(__file__).resolve().parent.parent
    result = validate_packs([root / "packs" / "helplines.toml"], entry_points=False)
    assert not result.problems and not [w for w in result.warnings if w.code == "stale"], (
        "check every helpline against its source (docs/safety.md) and update 'checked'"
    )


TABLE_PACK = """
[pack]
id = "lines"
name = "Lines"
version = "0.1.0"

[tables.line]
key = "country"
default = "anywhere"

[tables.line.entries.anywhere]
number = "your local number"
source = "https://example.org/"
checked = {checked}

[tables.line.entries.gb]
number = "116 123"
source = "https://example.org/gb"
checked = 2026-11-01

[[rules]]
id = "call"
category = "support"
topics = ["support-group"]
title = "Call"
why = "Because."
when = "hopelessness >= 3"
weight = 0.5
timeframe = "this-week"
effort = "low"
actions = ["Call ${{line_number}}.", "Then rest."]
"""


def test_a_pack_table_fills_actions_by_answer_and_warns_when_stale(tmp_path: Path, app: Bounceback) -> None:
    path = write_pack(tmp_path, TABLE_PACK.format(checked="2020-01-31"))
    result = validate_packs([path], entry_points=False)
    assert not result.problems
    (stale,) = [w for w in result.warnings if w.code == "stale"]
    assert stale.field == "tables.line.anywhere" and "2020-01-31" in stale.message
    assert f"more than {REVIEW_MONTHS} months" in stale.message and "https://example.org/" in stale.message
    fresh = write_pack(tmp_path / "fresh", TABLE_PACK.format(checked=dt.date.today().isoformat()))
    assert not [w for w in validate_packs([fresh], entry_points=False).warnings if w.code == "stale"]

    from bounceback.api import load

    loaded = load(packs=[fresh], entry_points=False, strict=True)
    for country, said in (
        ("gb", "Call 116 123."),
        ("fr", "Call your local number."),
        (None, "Call your local number."),
    ):
        plan = loaded.plan(answers(hopelessness=3, country=country))
        assert said in next(s for s in plan.steps if s.id == "lines.call").actions


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ('key = "country"', 'key = "nope"'),
            "'key' must name a choice question, not unknown question 'nope'",
        ),
        (('key = "country"', 'key = "hopelessness"'), "not scale question 'hopelessness'"),
        (
            ("[tables.line.entries.gb]", "[tables.line.entries.xx]"),
            "entries 'xx' are not options of 'country'",
        ),
        (
            ('default = "anywhere"', 'default = "somewhere"'),
            "'default' 'somewhere' is not one of the entries",
        ),
        (('number = "116 123"\n', ""), "missing field 'number'"),
        (
            ('number = "116 123"', 'number = "116 123"\nextra = "x"'),
            "field 'extra' is not in the other entries",
        ),
        (("checked = 2026-11-01", 'checked = "yesterday"'), "'checked' must be a date"),
        (('source = "https://example.org/gb"', 'source = "a friend"'), "'source' must be the web address"),
        (('source = "https://example.org/gb"\n', ""), "missing field 'source'"),
        (("${{line_number}}", "${{line_numbr}}"), "unknown placeholder ${line_numbr}"),
    ],
)
def test_table_problems_are_reported(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = TABLE_PACK.replace(*change).format(checked="2026-11-01")
    result = validate_packs([write_pack(tmp_path, text)], entry_points=False)
    assert any(message in p.message for p in result.problems), [str(p) for p in result.problems]


def test_a_table_placeholder_may_not_clash_with_a_question(tmp_path: Path) -> None:
    text = (
        TABLE_PACK.replace("[tables.line]", "[tables.financial]")
        .replace("tables.line.", "tables.financial.")
        .replace("number =", "urgency =")
        .replace("${{line_number}}", "${{financial_urgency}}")
    )
    result = validate_packs([write_pack(tmp_path, text.format(checked="2026-11-01"))], entry_points=False)
    assert any("financial_urgency clash" in p.message for p in result.problems)


@pytest.mark.parametrize(
    "fields, message",
    [
        ('tier = "crisis"', "a 'crisis' step must be pinned"),
        ('tier = "check-in"\npin = true', "a 'check-in' step must not be pinned"),
        ('tier = "urgent"', "'tier' must be one of crisis, pinned, check-in"),
    ],
)
def test_a_tier_must_fit_the_pin(fields: str, message: str) -> None:
    text = TABLE_PACK.split("[tables.line]")[0] + TABLE_PACK.split("checked = 2026-11-01\n")[1]
    text = (
        text.format()
        .replace('effort = "low"', f'effort = "low"\n{fields}')
        .replace("${line_number}", "a line")
    )
    with pytest.raises(PackError) as raised:
        parse_pack(text)
    assert any(message in p.message for p in raised.value.problems)


# -- screening rows that cannot be planned ----------------------------------------------------


def cohort_run(
    tmp_path: Path, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any], str]:
    """Run a batch of ``rows`` (the calm answers with changes); errors, summary.json, summary.md."""
    import json

    from bounceback.batch import CohortInput, Setup, run_batch
    from test_batch import person, read_jsonl, write_csv

    path = write_csv(
        tmp_path / "cohort.csv", [person(f"p{n}", **{**CALM, **row}) for n, row in enumerate(rows, 1)]
    )
    run_batch(CohortInput(path), tmp_path / "out", Setup(entry_points=False))
    return (
        read_jsonl(tmp_path / "out" / "errors.jsonl"),
        json.loads((tmp_path / "out" / "summary.json").read_text("utf-8")),
        (tmp_path / "out" / "summary.md").read_text("utf-8"),
    )


def test_an_error_row_is_screened_from_its_valid_answers(tmp_path: Path) -> None:
    # A Google Forms export joins multi-select answers with ", ": the row cannot be planned.
    errors, summary, text = cohort_run(
        tmp_path,
        [
            dict(feedback_themes="communication and bananas", hopelessness=5),
            dict(feedback_themes="communication and bananas", self_harm_thoughts=True),
            dict(feedback_themes="communication and bananas", disappointment=5, anger=4, anxiety=4),
            dict(feedback_themes="communication and bananas"),
        ],
    )
    assert [(e["id"], e["tier"], e["screened"]) for e in errors] == [
        ("p1", "pinned", True),
        ("p2", "crisis", True),
        ("p3", "check-in", True),
        ("p4", None, True),
    ]
    attention = summary["attention"]
    assert attention["tiers"] == {"crisis": 1, "pinned": 1, "check-in": 1} and attention["not_screened"] == 0
    assert [(f["id"], f["reason"], f["planned"]) for f in attention["participants"][:3]] == [
        ("p2", "crisis", False),
        ("p1", "pinned", False),
        ("p3", "check-in", False),
    ]
    assert "- **Crisis: 1 participant.**" in text and "row has errors: no plan" in text
    assert "Nobody" not in text


def test_a_row_whose_trigger_answers_are_unreadable_is_listed_as_not_screened(tmp_path: Path) -> None:
    errors, summary, text = cohort_run(tmp_path, [dict(hopelessness="very"), dict(motivation="lots")])
    assert [(e["id"], e["tier"], e["screened"]) for e in errors] == [("p1", None, False), ("p2", None, True)]
    assert (
        errors[0]["screening_note"] == "no valid answer to hopelessness, which could make a safety tier apply"
    )
    assert summary["attention"]["not_screened"] == 1
    (flag,) = [f for f in summary["attention"]["participants"] if f["reason"] == "not-screened"]
    assert flag["id"] == "p1" and flag["note"] == errors[0]["screening_note"]
    assert "- **Could not be screened: 1 participant.**" in text and "Nobody" not in text


def test_an_unreadable_answer_that_could_not_change_the_tier_does_not_block_screening(tmp_path: Path) -> None:
    # Anger is unreadable, but with every other feeling at 1 no answer to it makes three strong.
    errors, _summary, text = cohort_run(tmp_path, [dict(anger="furious")])
    assert (errors[0]["tier"], errors[0]["screened"]) == (None, True)
    assert "Nobody's answers called for a safety tier" in text and "every row was screened" in text


def test_a_more_urgent_tier_that_cannot_be_ruled_out_is_noted(tmp_path: Path) -> None:
    errors, _, _ = cohort_run(tmp_path, [dict(hopelessness=5, self_harm_thoughts="perhaps")])
    assert errors[0]["tier"] == "pinned" and errors[0]["screened"]
    assert errors[0]["screening_note"] == (
        "no valid answer to self_harm_thoughts, which could make a more urgent tier apply"
    )


JUNK = st.sampled_from(["", "lots", "-1", "99", "yes, no", "communication, preparation", "\u00e9", "None"])
FIELDS = [
    "disappointment",
    "anger",
    "anxiety",
    "self_doubt",
    "motivation",
    "feedback_themes",
    "stage_reached",
    "support_people",
    "self_harm_thoughts",
    "country",
    "skill_gaps",
    "days_since_rejection",
    "self_care",
    "financial_urgency",
    "sees_professional",
]


@settings(max_examples=30, deadline=None)
@given(
    hopelessness=st.sampled_from([4, 5, "4", " 5 "]),
    junk=st.dictionaries(st.sampled_from(FIELDS), JUNK, max_size=6),
    dropped=st.sets(st.sampled_from(FIELDS), max_size=4),
)
def test_a_valid_hopelessness_of_4_or_more_is_always_flagged(
    app: Bounceback, hopelessness: Any, junk: dict[str, str], dropped: set[str]
) -> None:
    from bounceback.batch import Row, plan_row

    raw = {k: v for k, v in answers(**CALM).items() if k not in dropped}
    raw = {**{k: str(v) for k, v in raw.items()}, **junk, "hopelessness": hopelessness}
    outcome = plan_row(app, Row(1, 2, "p1", raw))
    assert outcome.facts.tier in ("pinned", "crisis")
    assert outcome.facts.screened


# -- how the outputs show the safety steps ----------------------------------------------------


def rendered(app: Bounceback, fmt: str, **changes: Any) -> tuple[Plan, str]:
    from bounceback.render import RenderOptions

    plan = plan_for(app, **changes)
    return plan, app.render(plan, fmt, RenderOptions(start=dt.date(2026, 12, 1)))


@pytest.mark.parametrize("trigger", [dict(self_harm_thoughts=True, disappointment=4), dict(hopelessness=5)])
def test_text_and_markdown_show_the_safety_step_first_and_set_apart(
    app: Bounceback, trigger: dict[str, Any]
) -> None:
    plan, text_out = rendered(app, "text", **trigger)
    title = plan.steps[0].title
    assert (
        text_out.index("!! START HERE, BEFORE ANYTHING ELSE")
        < text_out.index(f" 1. {title}")
        < text_out.index("!" * 80 + "\n\n 2. " + plan.steps[1].title)
    )
    _, md = rendered(app, "markdown", **trigger)
    assert (
        md.index("## ⚠ Start here, before anything else")
        < md.index(f"## 1. {title}")
        < md.index("---\n\n## 2. ")
    )


def test_html_frames_the_safety_step_before_the_other_steps(app: Bounceback) -> None:
    plan, page = rendered(app, "html", self_harm_thoughts=True, disappointment=4, country="nz")
    section = page[page.index('<section class="pinned" role="note">') :]
    section = section[: section.index("</section>\n</section>\n")]
    assert "<h2>Start here, before anything else</h2>" in section and "1737" in section
    assert page.index('class="pinned"') < page.index(f"<h3>2. {escape(plan.steps[1].title)}</h3>")
    assert ".pinned { border: 3px solid" in page  # visibly set apart, on screen and in print


def test_calm_plans_have_no_start_here_section(app: Bounceback) -> None:
    for fmt in ("text", "markdown", "html"):
        assert "tart here" not in rendered(app, fmt)[1].replace("START HERE", "Start here")


def test_the_calendar_has_no_to_do_for_the_crisis_step(app: Bounceback) -> None:
    plan, ics = rendered(app, "ics", self_harm_thoughts=True, disappointment=4, country="au")
    crisis = plan.steps[0]
    summaries = re.findall(r"^SUMMARY:(.*)\r$", ics.replace("\r\n ", ""), re.M)
    assert crisis.title.replace(",", "\\,") not in summaries
    assert len(summaries) == len(plan.steps) - 1
    unfolded = ics.replace("\r\n ", "")
    assert "X-WR-CALDESC:" in unfolded and "13 11 14" in unfolded.split("BEGIN:VEVENT")[0]
    assert all("Before anything else: " in e for e in unfolded.split("BEGIN:VEVENT")[1:])


def test_the_pinned_professional_help_step_stays_a_dated_event(app: Bounceback) -> None:
    plan, ics = rendered(app, "ics", hopelessness=5)
    assert "X-WR-CALDESC" not in ics
    assert len(re.findall(r"^BEGIN:VEVENT", ics, re.M)) == len(plan.steps)


@pytest.mark.parametrize("country", ["gb", "au", None])
def test_the_crisis_step_says_where_its_numbers_come_from(app: Bounceback, country: str | None) -> None:
    """DESIGN §6c: the crisis line comes from versioned data with source and review date; coach
    review 27 could not find either in the plan."""
    answers = dict(MINIMAL, self_harm_thoughts=True, **({"country": country} if country else {}))
    crisis = app.plan(answers).steps[0]
    entry = app.ruleset.lookup(answers)
    assert crisis.tier == "crisis"
    if country is None:  # the directory, named in the step, is what was checked (coach review 33)
        assert entry["helpline_source"].removeprefix("https://").rstrip("/") in " ".join(crisis.actions)
        assert f"The directory above was checked on {entry['helpline_checked']}" in crisis.actions[-1]
    else:
        assert (
            f"checked against {entry['helpline_source']} on {entry['helpline_checked']}" in crisis.actions[-1]
        )
