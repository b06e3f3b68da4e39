"""Coach review 23: twelve people unlike the personas (a nurse, a warehouse lead, a solicitor, a
school leaver, a newcomer with foreign qualifications, a senior on contracts...). What their plans
said that was false for them or already done, and what their plans lacked."""

from __future__ import annotations

from typing import Any

from bounceback.api import Bounceback
from bounceback.results import Step
from helpers import every_step
from helpers import step_said as said


def step(app: Bounceback, rule: str, **answers: Any) -> Step:
    """The step ``rule`` gives someone with ``answers`` (on top of a minimal person)."""
    steps = every_step(app, **answers)
    assert rule in steps, f"{rule} is not in the plan: {list(steps)}"
    return steps[rule]


def ids(app: Bounceback, **answers: Any) -> list[str]:
    return list(every_step(app, **answers))


def test_someone_who_practises_is_not_given_the_common_questions(app: Bounceback) -> None:
    """Graham, 62: "You already practise, which helps", then "tell me about yourself"."""
    practised = said(step(app, "interview-prep.mock", practised_interviews=True, interview_confidence=3))
    assert "You already practise" in practised and "tell me about yourself" not in practised
    assert "hardest questions" in practised
    new = said(step(app, "interview-prep.mock", practised_interviews=False))
    assert "tell me about yourself" in new


def test_someone_with_a_recruiter_asks_them_about_contract_work_first(app: Bounceback) -> None:
    """Dwayne was told to register with a temping agency though he works with a recruiter."""
    money = dict(financial_urgency=5, currently_employed=False, open_to=["contract"])
    with_recruiter = said(step(app, "alternatives.bridge-income", uses_recruiter=True, **money))
    assert "Tell your recruiter you'd take contract or temporary work" in with_recruiter
    alone = said(step(app, "alternatives.bridge-income", uses_recruiter=False, **money))
    assert "Register with a temping or contract agency" in alone and "your recruiter" not in alone


def test_events_are_not_for_someone_already_in_touch_with_many_people(app: Bounceback) -> None:
    """Graham (20 contacts a month) and a staff engineer (25): "it pays to widen your circle"."""
    searching = dict(months_searching=5, career_doubt=2, currently_employed=False)
    assert "networking.events" in ids(app, network_contacts_month=6, **searching)
    assert "networking.events" not in ids(app, network_contacts_month=20, **searching)


def test_no_contacts_is_not_a_reproach_to_someone_who_was_not_looking(app: Bounceback) -> None:
    """Lars resigned for an offer that was withdrawn: he wasn't searching, and "you haven't
    contacted anyone from your professional network" read as a reproach; Jonas, 19, has none."""
    nobody = dict(network_contacts_month=0, currently_employed=False)
    lars = step(app, "networking.reconnect", months_searching=0, **nobody).why
    assert lars.startswith("You weren't looking for work until now") and "haven't contacted" not in lars
    jonas = step(
        app, "networking.reconnect", months_searching=2, career_stage="student_or_graduate", **nobody
    )
    assert jonas.why.startswith("At the start of a working life") and "professional network" not in jonas.why
    later = step(app, "networking.reconnect", months_searching=4, career_stage="mid_career", **nobody).why
    assert "you haven't contacted anyone from your professional network" in later


def test_culture_fit_beside_anger_keeps_what_they_saw_worth_a_look(app: Bounceback) -> None:
    """Jonas, told "attitude" at anger 5: "it isn't a flaw in you to fix" cleared feedback that
    may be fair; the fit goes both ways, and what they saw is his to use once the anger settles."""
    fit = dict(feedback_received="specific", feedback_themes=["culture_fit"], role_fit_doubt=4)
    angry = step(app, "mindset.red-flags", anger=5, **fit).why
    assert "Once the anger has settled" in angry and "isn't a flaw in you" not in angry
    both = dict(fit, feedback_themes=["culture_fit", "communication"])
    calm = step(app, "mindset.red-flags", anger=2, **both)
    assert calm.why.count("Look calmly too") == 1 and "anger" not in calm.why
    assert "isn't a flaw in you to fix" in step(app, "mindset.red-flags", anger=2, **fit).why


def test_the_reasons_out_of_your_hands_are_titled_truly_for_pay(app: Bounceback) -> None:
    """A salary step titled "Let go of the reasons you can't change" said what to accept next time."""
    pay = step(app, "feedback.outside-control", feedback_received="specific", feedback_themes=["salary"])
    assert pay.title == "Set aside what was out of your hands"


def test_communication_said_of_an_interview_is_practised_in_one(app: Bounceback) -> None:
    """Jonas, 19, told "communication" after an interview day: Toastmasters, and "one past project"."""
    told = dict(
        feedback_received="specific", feedback_themes=["communication"], career_stage="student_or_graduate"
    )
    after_interview = said(step(app, "skills.communication", stage_reached="interview", **told))
    assert "practice interview" in after_interview and "Toastmasters" not in after_interview
    assert "past project" not in after_interview
    on_paper = said(step(app, "skills.communication", stage_reached="application", **told))
    assert "Toastmasters" in on_paper


def test_experience_and_senior_words_fit_any_field(app: Bounceback) -> None:
    """A nurse read "a part of the business"; a solicitor "its regulation"; a staff engineer
    "interim management firms" as his only route to contract work."""
    internal = dict(internal_role=True, currently_employed=True, feedback_received="specific")
    gap = said(step(app, "skills.gain-experience", feedback_themes=["experience"], **internal))
    assert "part of the business" not in gap and "part of the organisation" in gap
    senior = dict(career_stage="senior", currently_employed=False, months_searching=4)
    contract = said(step(app, "alternatives.freelance", open_to=["contract"], **senior))
    assert "interim management firms, or the contract agencies your field uses" in contract
