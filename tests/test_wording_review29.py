"""Coach review 29: twelve people a coach worries about (a 17-year-old with no work history, a
61-year-old after 33 years with one employer, a chartered engineer trained abroad, people in work
with strong feelings, ghosted and withdrawn-offer cases). What their plans said that was false for
them, and what a plan sized for them left out."""

from __future__ import annotations

from bounceback.api import Bounceback
from helpers import MINIMAL
from helpers import all_said as everything
from helpers import every_step as steps
from helpers import step_said as said

SCHOOL_LEAVER = dict(career_stage="student_or_graduate", currently_employed=False)


def test_experienced_people_are_not_told_they_have_done_real_work(app: Bounceback) -> None:
    """A 20-year supervisor, a nurse and a chartered engineer: "you have done real work before"."""
    doubt = dict(self_doubt=4)
    for stage in ("mid_career", "senior"):
        step = steps(app, career_stage=stage, **doubt)["mindset.not-personal"]
        assert "real work before" not in said(step) and "years of work behind you" in said(step)
    assert "real work before" in said(
        steps(app, career_stage="early_career", **doubt)["mindset.not-personal"]
    )


def test_a_school_leaver_is_not_written_a_history(app: Bounceback) -> None:
    """A 17-year-old heading for an apprenticeship: "a degree or a longer programme", "my next
    role", "future openings that suit my background", a CV leading with customer-facing work."""
    text = everything(
        app, open_to=["further_education", "retail_sales"], network_contacts_month=0, **SCHOOL_LEAVER
    )
    for history in ("a degree or a longer programme", "my next role", "suit my background"):
        assert history not in text, history
    assert "an apprenticeship" in text and "volunteering or school roles" in text
    working = everything(app, career_stage="mid_career", open_to=["further_education", "other_industry"])
    assert "a qualification, a conversion or refresher course" in working


def test_someone_in_work_is_not_sent_to_a_job_centre(app: Bounceback) -> None:
    """An employed paralegal told "communication": "ask a careers adviser, a job centre"."""
    told = dict(feedback_received="specific", feedback_themes=["communication"], stage_reached="interview")
    step = steps(app, currently_employed=True, **told)["skills.communication"]
    assert "job centre" not in said(step) and "a colleague you trust" in said(step)
    assert "job centre" in said(steps(app, currently_employed=False, **told)["skills.communication"])


def test_someone_in_crisis_asks_for_a_talk_in_true_words(app: Bounceback) -> None:
    """A crisis plan's message to a friend said "The job search has been rough", and its why
    called thoughts of self-harm "a rejection carried alone"."""
    crisis = dict(self_harm_thoughts=True, hopelessness=5, motivation=1, support_people=False)
    step = steps(app, **crisis)["support.reach-out"]
    assert "job search has been rough" not in said(step) and "really hard time" in said(step)
    assert "carried alone" not in step.why and "no one should be on their own" in step.why


def test_a_cv_from_decades_ago_is_written_afresh(app: Bounceback) -> None:
    """33 years with one employer, the CV last touched then: "lead your CV with ..." as if a
    current one existed."""
    old = steps(app, resume_updated_months=400, stage_reached="interview")
    assert "fresh start" in old["materials.refresh"].why and "current template" in said(
        old["materials.refresh"]
    )
    over = steps(
        app, resume_updated_months=400, feedback_themes=["overqualified"], feedback_received="specific"
    )
    assert "write a fresh CV" in said(over["materials.pitch-level"])
    recent = steps(app, resume_updated_months=8, stage_reached="interview")["materials.refresh"]
    assert "fresh start" not in recent.why and "current template" not in said(recent)


def test_a_job_sizes_the_plan_but_does_not_weigh_effort(app: Bounceback) -> None:
    """A chartered engineer in work, middling energy: the certificate and experience steps he
    named went to later behind low-effort ones. Fitting the search around a job is less room,
    not less energy: six steps, effort weighed as usual (strong feelings keep low effort first:
    blind A/B 30)."""
    person = dict(
        MINIMAL,
        currently_employed=True,
        motivation=3,
        skill_gaps=["certification"],
        feedback_received="specific",
        feedback_themes=["experience"],
    )
    plan = app.plan(person)
    assert plan.capacity.level == "full" and plan.capacity.steps == 6
    assert plan.capacity.because == ("base.in-work",)
    own = app.engine.score(app.situation(person)).scores
    ranked_by = {rule_id: d.score for rule_id, d in app.decisions(person).items()}
    effortful = [r for r, score in own.items() if score > 0 and app.engine.rule(r).rule.effort != "low"]
    assert effortful and all(ranked_by[r] == own[r] for r in effortful if not app.engine.rule(r).rule.merges)
    feeling = app.plan({**person, "disappointment": 4, "anger": 4, "self_doubt": 4})
    assert feeling.capacity.level == "low" and feeling.capacity.steps == 6
    assert app.plan({**person, "motivation": 2}).capacity.steps == 4


def test_what_matters_most_comes_first(app: Bounceback) -> None:
    """Specific written feedback below a thank-you; an employer email at anger 5 above lining up
    income at money pressure 5."""
    written = dict(
        stage_reached="final_round",
        days_since_rejection=2,
        feedback_received="specific",
        sent_thank_you=False,
    )
    order = [
        s.id
        for s in app.plan({**MINIMAL, **written, "feedback_themes": ["communication", "preparation"]}).steps
    ]
    assert order.index("feedback.address") < order.index("feedback.thank-you")
    pressed = dict(
        anger=5,
        financial_urgency=5,
        open_to=["contract"],
        stage_reached="final_round",
        days_since_rejection=1,
        feedback_received="generic",
        feedback_themes=["stronger_candidate"],
    )
    order = [s.id for s in app.plan({**MINIMAL, **pressed}).steps]
    income = order.index("alternatives.bridge-income")
    assert all(
        income < order.index(e) for e in ("feedback.thanks-and-ask", "feedback.thank-you") if e in order
    )


def test_passed_over_inside_they_hear_about_the_colleague_who_got_it(app: Bounceback) -> None:
    """Twenty years with one employer, a promotion lost: nothing on working beside the person
    who got the job."""
    inside = dict(internal_role=True, currently_employed=True, stage_reached="interview")
    passed_over = said(steps(app, decision="rejected", **inside)["feedback.internal-next-steps"])
    assert "If a colleague got the role" in passed_over
    frozen = steps(
        app, decision="rejected", feedback_received="generic", feedback_themes=["hiring_freeze"], **inside
    )
    assert "colleague got the role" not in said(frozen["feedback.internal-next-steps"])


def test_contract_work_is_sought_in_the_field_they_are_heading_for(app: Bounceback) -> None:
    """A nurse in work moving into data: "one contract agency in your field, and tell a few
    contacts you're available"."""
    routes = dict(open_to=["contract", "other_industry"], motivation=4, financial_urgency=2)
    moving = said(steps(app, currently_employed=True, **routes)["alternatives.weigh-options"])
    assert "in the field you're aiming for" in moving and "you're available" not in moving
    assert "trusted contacts" in moving
    staying = said(
        steps(app, open_to=["contract", "further_education"], motivation=4)["alternatives.weigh-options"]
    )
    assert "in your field, and tell a few contacts you're available" in staying


def test_a_school_leaver_is_not_sent_to_an_annual_report(app: Bounceback) -> None:
    """An apprenticeship: "for a listed company, its annual report"."""
    research = dict(skill_gaps=["domain_knowledge"], stage_reached="interview")
    young = steps(app, **research, **SCHOOL_LEAVER).get("interview-prep.research")
    older = steps(app, **research, career_stage="mid_career").get("interview-prep.research")
    assert young is not None and older is not None
    assert "annual report" not in said(young) and "recent news; note" in said(young)
    assert "annual report" in said(older)
