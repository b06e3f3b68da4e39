"""The options a plan leaves for later (Plan.later): named in JSON and every renderer, never
in a crisis plan, never for an option a step answers."""

from __future__ import annotations

from typing import Any

import pytest

from bounceback.api import Bounceback
from bounceback.render import RenderOptions, html, markdown, text
from bounceback.results import Later, Plan
from helpers import answers

#: Low energy (motivation 1) with three routes and two gaps: more options than a plan of four holds.
LOW = answers(
    motivation=1,
    hopelessness=3,
    open_to=["contract", "other_industry", "further_education"],
    skill_gaps=["tools", "leadership"],
    career_doubt=4,
)


def answered_by_steps(app: Bounceback, plan: Plan) -> set[str]:
    return {a for s in plan.steps for a in app.engine.rule(s.id).rule.answers}


def test_a_short_plan_names_each_chosen_option_it_leaves_out(app: Bounceback) -> None:
    plan = app.plan(LOW)
    assert plan.capacity.level == "low"
    assert plan.later, "the test person has more options than a plan of four holds"
    left = {a for later in plan.later for a in later.answers}
    chosen = {f"open_to.{o}" for o in LOW["open_to"]} | {f"skill_gaps.{g}" for g in LOW["skill_gaps"]}
    assert left <= chosen
    assert left.isdisjoint(answered_by_steps(app, plan))  # never an option a step answers
    for later in plan.later:
        assert later.rule not in {s.id for s in plan.steps}
        assert set(later.answers) <= set(app.engine.rule(later.rule).rule.answers)
        assert app.decisions(LOW)[later.rule].score > 0  # its rule applies
    every = chosen & {a for r in app.ruleset.rules for a in r.rule.answers}
    assert every <= left | answered_by_steps(app, plan) | {
        a for r in app.ruleset.rules if app.decisions(LOW)[r.rule.id].score <= 0 for a in r.rule.answers
    }
    data = plan.to_dict()["later"]
    assert data == [
        {"answers": list(x.answers), "labels": list(x.labels), "rule": x.rule, "title": x.title}
        for x in plan.later
    ]


def test_a_full_plan_names_what_the_category_cap_left_out(app: Bounceback) -> None:
    """Coach review 16, Ngozi and Yuki: a skill gap the person named, cut by the cap on steps of
    one kind, went without a word at full capacity."""
    gaps = ["tools", "leadership", "communication", "domain_knowledge"]
    full = app.plan({**LOW, "motivation": 4, "hopelessness": 1, "skill_gaps": gaps, "open_to": []})
    assert full.capacity.level == "full"
    left = {a for later in full.later for a in later.answers}
    assert left and left <= {f"skill_gaps.{g}" for g in gaps}
    assert left.isdisjoint(answered_by_steps(app, full))
    assert full.to_dict()["later"] and sum(s.category == "skills" for s in full.steps) >= 2


def test_a_crisis_plan_leaves_nothing_for_later(app: Bounceback) -> None:
    crisis = app.plan({**LOW, "self_harm_thoughts": True})
    assert crisis.tier == "crisis" and crisis.later == ()
    assert crisis.to_dict()["later"] == []


@pytest.mark.parametrize("render", [text.render, markdown.render, html.render])
def test_every_renderer_lists_them_and_html_escapes_them(app: Bounceback, render: Any) -> None:
    plan = app.plan(LOW)
    out = render(plan, RenderOptions())
    assert "For later" in out
    for later in plan.later:
        assert later.labels[0].split()[0] in out
    hostile = Plan(
        steps=plan.steps, later=(Later(("open_to.x",), ("<b>x</b>",), "p.r", "<script>t</script>"),)
    )
    shown = render(hostile, RenderOptions())
    if render is html.render:  # pack and questionnaire words are escaped in HTML
        assert "<script>t" not in shown and "&lt;script&gt;" in shown and "<b>x" not in shown
    elif render is markdown.render:
        assert markdown.escape("<script>t</script> (your answer: <b>x</b>)") in shown
    else:
        assert "<script>t</script> (your answer: <b>x</b>)" in shown


def test_the_words_before_them_are_true_for_the_plan(app: Bounceback) -> None:
    """Blind A/B 17: "The plan is kept short for now" is right at low capacity, untrue for a
    full plan that left an option out."""
    gaps = ["tools", "leadership", "communication", "domain_knowledge"]
    short = text.render(app.plan(LOW), RenderOptions())
    full = text.render(
        app.plan({**LOW, "motivation": 4, "hopelessness": 1, "skill_gaps": gaps}), RenderOptions()
    )
    assert "kept short" in short and "For later" in full and "kept short" not in full


def test_a_label_shared_by_two_answers_is_said_once() -> None:
    """Coach review 18, Ananya: "(your answers: communication, communication)" for the
    communication gap and the communication feedback."""
    from bounceback.render import later_items

    plan = Plan(
        steps=(),
        later=(
            Later(
                ("skill_gaps.communication", "feedback_themes.communication"),
                ("communication",) * 2,
                "s.c",
                "Talk",
            ),
        ),
    )
    assert later_items(plan) == ["Talk (your answer: communication)"]


def test_a_short_plan_says_why_it_is_short(app: Bounceback) -> None:
    """Coach review 24, Seán: "The plan is kept short for now" at motivation 3, with no reason
    given (he was fitting the search around a job). A capacity entry's ``reason`` says it, in
    the list for later and in the JSON plan."""
    tired = app.plan(LOW)
    assert tired.capacity.reasons == ("your energy is low right now",)
    said = " ".join(text.render(tired, RenderOptions()).split())
    assert "kept short for now (your energy is low right now), so they wait" in said
    assert tired.to_dict()["capacity"]["reasons"] == ["your energy is low right now"]
    gaps = ["tools", "leadership", "communication", "domain_knowledge"]
    working = app.plan(
        {**LOW, "motivation": 3, "hopelessness": 2, "currently_employed": True, "skill_gaps": gaps}
    )
    assert working.capacity.because == ("base.in-work",) and working.capacity.level == "full"
    # A size-only entry: the plan is not short, it holds fewer steps (coach review 29).
    assert (
        "The plan holds 6 steps for now (you're fitting the search around a job), so they wait"
        in " ".join(text.render(working, RenderOptions()).split())
    )
    calm = app.plan({**LOW, "motivation": 4, "hopelessness": 1})
    assert calm.capacity.reasons == () and "reasons" not in calm.to_dict()["capacity"]


def test_the_reason_for_a_short_plan_is_true_for_the_trigger(app: Bounceback) -> None:
    """Blind A/B 26: "kept short for now (your energy is low right now)" at motivation 5, the
    plan short for hopelessness 5."""
    hopeless = app.plan({**LOW, "motivation": 5, "hopelessness": 5})
    assert "base.heavy" in hopeless.capacity.because and "base.low-energy" not in hopeless.capacity.because
    assert hopeless.capacity.reasons[0] == "things feel very heavy right now"
    assert "your energy is low" not in " ".join(hopeless.capacity.reasons)
