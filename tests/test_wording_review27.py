"""Coach review 27: twelve people weighted to those a coach worries about most (distress, low
energy, ghosting at 3, 20 and 70 days, withdrawn offers, one inside the organisation) and three
calm ones. What their plans said that was false for them."""

from __future__ import annotations

from bounceback.api import Bounceback
from helpers import MINIMAL
from helpers import all_said as everything
from helpers import every_step as steps
from helpers import step_said as said


def test_someone_not_searching_is_not_told_about_their_search(app: Bounceback) -> None:
    """An internal candidate at hopelessness 5, not applying anywhere: "The job search has been
    rough", "one application, one message", "carry the search alone", "applications ... run on"."""
    inside = dict(internal_role=True, currently_employed=True, applications_per_week=0, months_searching=0)
    text = everything(app, hopelessness=5, motivation=2, self_care=2, support_people=False, **inside)
    for searching in (
        "The job search has been rough",
        "one application,",
        "carry the search alone",
        "applications and patience",
    ):
        assert searching not in text, searching
    looking = everything(app, motivation=2, self_care=2, applications_per_week=3, months_searching=4)
    assert "one application, one message" in looking


def test_an_application_is_not_closed_in_its_first_days(app: Bounceback) -> None:
    """Ghosted three days after applying for a council job: "stop checking for a reply"."""
    silent = dict(decision="no_reply", stage_reached="application")
    assert "feedback.mark-closed" not in steps(app, days_since_rejection=3, **silent)
    assert "feedback.mark-closed" in steps(app, days_since_rejection=12, **silent)


def test_feedback_is_theirs_and_practice_is_not_advised_to_one_who_practises(app: Bounceback) -> None:
    """A social worker told "communication" who practises already: "Communication came up as a
    gap" and "ask ... a friend for a practice interview"."""
    told = dict(feedback_received="specific", feedback_themes=["communication"], practised_interviews=True)
    step = steps(app, stage_reached="interview", **told)["skills.communication"]
    assert step.why.startswith("They mentioned communication in their feedback")
    assert "for a practice interview" not in said(step) and "in your next practice sessions" in said(step)


def test_calm_people_get_no_distress_script(app: Bounceback) -> None:
    """Hopelessness 1 with nobody to talk to: "A rejection carried alone gets heavier"; self-doubt
    1 beside a freeze: "If it keeps replaying, tell someone you trust"."""
    calm = dict(disappointment=2, anger=1, anxiety=1, self_doubt=1, hopelessness=1)
    alone = steps(app, support_people=False, **calm)["support.reach-out"]
    assert "carried alone" not in alone.why and "keeps it in proportion" in alone.why
    freeze = steps(app, feedback_received="specific", feedback_themes=["hiring_freeze"], **calm)
    assert "If it keeps replaying" not in said(freeze["feedback.outside-control"])


def test_an_internal_offer_withdrawn_asks_for_a_talk_about_it(app: Bounceback) -> None:
    """The manager's note after an internal offer was withdrawn was titled "a development talk"."""
    inside = dict(
        internal_role=True, currently_employed=True, decision="offer_withdrawn", stage_reached="offer_stage"
    )
    draft = steps(app, **inside)["feedback.internal-next-steps"].draft
    assert draft is not None and draft.title == "Asking your manager to talk about the withdrawn offer"


def test_experienced_people_catch_up_rather_than_start_over(app: Bounceback) -> None:
    """A licensed pharmacist returning to work: "a short introductory course on how the sector
    works" and "Further study (a degree or a longer programme)"."""
    returning = dict(career_stage="returning", skill_gaps=["domain_knowledge"], open_to=["further_education"])
    text = everything(app, motivation=4, **returning)
    assert "introductory course" not in text and "what has changed in your field" in text
    assert "a degree or a longer programme" not in text
    assert "introductory course" in everything(
        app, motivation=4, **dict(returning, career_stage="early_career")
    )


def test_someone_in_work_and_in_distress_hears_of_their_employers_counselling(app: Bounceback) -> None:
    """A social worker in work at hopelessness 4: no word of an employee assistance programme."""
    pinned = steps(app, hopelessness=4, currently_employed=True)["support.professional-help"]
    assert "employee assistance programme" in said(pinned)
    assert "employee assistance" not in said(
        steps(app, hopelessness=4, currently_employed=False)["support.professional-help"]
    )


def test_blind_ab_28_wording(app: Bounceback) -> None:
    """Blind A/B 28: "a gracious word after a no" and "raising the decision" to an internal
    candidate still waiting; thanking the interviewers 59 days on; "what went wrong in this
    process" after an application; "this long search" at 5 months; two reasons saying one thing."""
    inside = dict(internal_role=True, currently_employed=True, stage_reached="interview", decision="no_reply")
    waiting = everything(app, anger=4, days_since_rejection=5, **inside)
    assert "after a no" not in waiting and "raising the decision" not in waiting
    assert "Thank the people who interviewed you" not in everything(app, days_since_rejection=59, **inside)
    practised = dict(practised_interviews=True, interview_confidence=3, stage_reached="application")
    assert "what went wrong in this process" not in everything(app, **practised)
    five = everything(app, hopelessness=4, months_searching=5, sees_professional=True)
    assert "long search" not in five and "during this search" in five
    tired = app.plan({**MINIMAL, "hopelessness": 5, "motivation": 1})
    assert tired.capacity.reasons == ("your energy is low right now",)
