"""Coach review 19: words that were false for the person, each checked on the answers of the
person it hit (DESIGN §6b: text is true for the person).

Each test plans the person's answers with room for every step that applies (``top=40``), so what
is checked is the text of a rule wherever it ranks, and checks that the false words are gone and
the true ones are there. The wording lint's claims (:data:`~bounceback.authoring.wordlint.CLAIMS`)
that came with this review are checked to catch the old texts for people like them.
"""

from __future__ import annotations

from typing import Any

import pytest

from bounceback import conditions as cond
from bounceback.api import Bounceback
from bounceback.authoring.wordlint import CLAIMS
from bounceback.results import Step

AMARA: dict[str, Any] = {
    "name": "Amara",
    "role": "Clinical Systems Specialist",
    "company": "Meridian Health Software",
    "interviewer_name": "Priya Raman",
    "decision": "rejected",
    "stage_reached": "interview",
    "days_since_rejection": 5,
    "rejections_recent": 2,
    "months_searching": 3,
    "career_stage": "mid_career",
    "currently_employed": True,
    "country": "gb",
    "disappointment": 3,
    "anger": 1,
    "anxiety": 2,
    "self_doubt": 2,
    "hopelessness": 1,
    "motivation": 4,
    "feedback_received": "specific",
    "feedback_themes": ["technical_skills", "experience"],
    "feedback_asked": True,
    "skill_gaps": ["tools", "certification", "domain_knowledge"],
    "interview_confidence": 3,
    "resume_updated_months": 1,
    "career_doubt": 1,
    "role_fit_doubt": 1,
    "open_to": ["further_education", "contract"],
    "support_people": True,
    "self_care": 4,
    "network_contacts_month": 4,
    "applications_per_week": 2,
    "tracks_applications": True,
    "has_goals": True,
    "sent_thank_you": False,
    "practised_interviews": True,
    "financial_urgency": 1,
}
TOMAS: dict[str, Any] = {
    "name": "Tomás",
    "role": "Junior Marketing Analyst",
    "decision": "rejected",
    "stage_reached": "application",
    "days_since_rejection": 3,
    "rejections_recent": 25,
    "months_searching": 4,
    "career_stage": "student_or_graduate",
    "currently_employed": False,
    "country": "es",
    "disappointment": 3,
    "anger": 2,
    "anxiety": 4,
    "self_doubt": 4,
    "hopelessness": 3,
    "motivation": 2,
    "feedback_received": "none",
    "resume_updated_months": 4,
    "career_doubt": 3,
    "open_to": ["retail_sales", "further_education"],
    "support_people": True,
    "self_care": 3,
    "in_support_group": False,
    "network_contacts_month": 0,
    "applications_per_week": 10,
    "tracks_applications": False,
    "has_goals": False,
    "uses_recruiter": False,
    "financial_urgency": 2,
}
WEI: dict[str, Any] = {
    "name": "Wei",
    "role": "Engineering Manager",
    "company": "Lakeshore Payments",
    "interviewer_name": "Karen Obi",
    "decision": "rejected",
    "internal_role": True,
    "currently_employed": True,
    "stage_reached": "final_round",
    "days_since_rejection": 21,
    "rejections_recent": 1,
    "months_searching": 0,
    "career_stage": "senior",
    "country": "ca",
    "disappointment": 4,
    "anger": 3,
    "anxiety": 2,
    "self_doubt": 3,
    "hopelessness": 1,
    "motivation": 3,
    "feedback_received": "specific",
    "feedback_themes": ["experience", "communication"],
    "feedback_asked": True,
    "skill_gaps": ["leadership", "communication"],
    "interview_confidence": 3,
    "resume_updated_months": 30,
    "career_doubt": 2,
    "role_fit_doubt": 3,
    "open_to": ["none"],
    "support_people": True,
    "self_care": 2,
    "network_contacts_month": 2,
    "applications_per_week": 0,
    "has_goals": False,
    "sent_thank_you": True,
    "practised_interviews": False,
    "financial_urgency": 1,
}
KOFI: dict[str, Any] = {
    "name": "Kofi",
    "role": "Senior UX Designer",
    "company": "Brightline Health",
    "interviewer_name": "Megan Hall",
    "decision": "no_reply",
    "stage_reached": "final_round",
    "days_since_rejection": 30,
    "rejections_recent": 3,
    "months_searching": 3,
    "career_stage": "mid_career",
    "currently_employed": False,
    "country": "us",
    "disappointment": 2,
    "anger": 2,
    "anxiety": 2,
    "self_doubt": 1,
    "hopelessness": 1,
    "motivation": 4,
    "feedback_received": "none",
    "feedback_asked": True,
    "interview_confidence": 4,
    "resume_updated_months": 0,
    "career_doubt": 1,
    "role_fit_doubt": 3,
    "open_to": ["freelance"],
    "support_people": True,
    "self_care": 4,
    "in_support_group": True,
    "network_contacts_month": 12,
    "applications_per_week": 6,
    "tracks_applications": True,
    "has_goals": True,
    "uses_recruiter": True,
    "sent_thank_you": True,
    "practised_interviews": True,
    "financial_urgency": 2,
}
HARUKA: dict[str, Any] = {
    "name": "Haruka",
    "role": "Marketing Manager",
    "company": "Wattle & Co",
    "interviewer_name": "Jess Nguyen",
    "decision": "rejected",
    "stage_reached": "phone_screen",
    "days_since_rejection": 45,
    "rejections_recent": 4,
    "months_searching": 4,
    "career_stage": "early_career",
    "currently_employed": False,
    "country": "au",
    "disappointment": 2,
    "anger": 2,
    "anxiety": 3,
    "self_doubt": 2,
    "hopelessness": 2,
    "motivation": 3,
    "feedback_received": "specific",
    "feedback_themes": ["salary", "culture_fit"],
    "skill_gaps": ["tools"],
    "interview_confidence": 4,
    "resume_updated_months": 0,
    "career_doubt": 4,
    "role_fit_doubt": 2,
    "open_to": ["other_industry", "freelance"],
    "support_people": True,
    "self_care": 4,
    "network_contacts_month": 0,
    "applications_per_week": 3,
    "tracks_applications": False,
    "has_goals": False,
    "uses_recruiter": True,
    "sent_thank_you": False,
    "financial_urgency": 3,
}
ADITYA: dict[str, Any] = {
    "name": "Aditya",
    "role": "Graduate Engineer Trainee",
    "company": "Vistara Infotech",
    "decision": "rejected",
    "stage_reached": "final_round",
    "days_since_rejection": 1,
    "rejections_recent": 2,
    "months_searching": 2,
    "career_stage": "student_or_graduate",
    "currently_employed": False,
    "country": "in",
    "disappointment": 4,
    "anger": 1,
    "anxiety": 3,
    "self_doubt": 2,
    "hopelessness": 1,
    "motivation": 4,
    "feedback_received": "generic",
    "feedback_themes": ["stronger_candidate"],
    "skill_gaps": ["interviewing"],
    "interview_confidence": 3,
    "career_doubt": 1,
    "open_to": ["further_education"],
    "support_people": True,
    "self_care": 3,
    "network_contacts_month": 1,
    "applications_per_week": 4,
    "tracks_applications": True,
    "has_goals": True,
    "sent_thank_you": False,
    "practised_interviews": False,
    "financial_urgency": 2,
}
SOFIA: dict[str, Any] = {
    "name": "Sofia",
    "role": "Learning Designer",
    "company": "Aprende Digital",
    "interviewer_name": "Rafael Costa",
    "decision": "rejected",
    "stage_reached": "interview",
    "days_since_rejection": 12,
    "rejections_recent": 3,
    "months_searching": 5,
    "career_stage": "mid_career",
    "currently_employed": False,
    "country": "other",
    "disappointment": 3,
    "anger": 2,
    "anxiety": 3,
    "self_doubt": 3,
    "hopelessness": 2,
    "motivation": 3,
    "feedback_received": "specific",
    "feedback_themes": ["experience", "other"],
    "feedback_asked": True,
    "skill_gaps": ["tools", "other"],
    "interview_confidence": 3,
    "resume_updated_months": 2,
    "career_doubt": 2,
    "role_fit_doubt": 1,
    "open_to": ["freelance", "further_education"],
    "support_people": False,
    "self_care": 3,
    "in_support_group": False,
    "network_contacts_month": 1,
    "applications_per_week": 2,
    "tracks_applications": True,
    "has_goals": False,
    "uses_recruiter": False,
    "sent_thank_you": True,
    "practised_interviews": True,
    "financial_urgency": 4,
}
JAMAL: dict[str, Any] = {
    "name": "Jamal",
    "role": "Regional Operations Lead",
    "company": "Maasbank",
    "interviewer_name": "Eva de Vries",
    "decision": "offer_withdrawn",
    "internal_role": True,
    "currently_employed": True,
    "stage_reached": "offer_stage",
    "days_since_rejection": 9,
    "rejections_recent": 1,
    "months_searching": 1,
    "career_stage": "mid_career",
    "country": "nl",
    "disappointment": 3,
    "anger": 5,
    "anxiety": 3,
    "self_doubt": 1,
    "hopelessness": 1,
    "motivation": 3,
    "feedback_received": "specific",
    "feedback_themes": ["hiring_freeze", "role_cancelled"],
    "feedback_asked": False,
    "interview_confidence": 4,
    "resume_updated_months": 18,
    "career_doubt": 1,
    "role_fit_doubt": 2,
    "open_to": ["none"],
    "support_people": True,
    "self_care": 3,
    "network_contacts_month": 3,
    "applications_per_week": 0,
    "has_goals": False,
    "sent_thank_you": False,
    "financial_urgency": 1,
}


def false_claims(app: Bounceback, said: str, answers: dict[str, Any]) -> list[str]:
    """What each wording-lint claim whose words ``said`` uses claims, where it is false for
    ``answers`` (a claim may read a signal too)."""
    return [
        c.what
        for c in CLAIMS
        if c.words.search(said)
        and cond.evaluate(
            cond.compile_expression(c.false_when, app.ruleset.types, want=cond.BOOL).node, answers
        )
        is True
    ]


def step(app: Bounceback, answers: dict[str, Any], rule: str, **changes: Any) -> Step:
    """The step ``rule`` gives the person (with ``changes`` to their answers), wherever it ranks."""
    plan = app.plan({**answers, **changes}, top=40, per_category=10)
    found = [s for s in plan.steps if s.id == rule]
    assert found, f"{rule} is not in the plan: {[s.id for s in plan.steps]}"
    return found[0]


def text(s: Step) -> str:
    """Everything the step says, its draft included, on one line."""
    parts = [s.title, s.why, *s.actions]
    if s.draft is not None:
        parts += [s.draft.title, s.draft.subject or "", s.draft.body]
    return " ".join(" ".join(parts).split())


def test_no_weekly_review_that_the_plan_may_not_have(app: Bounceback) -> None:
    """Rosa and Aditya: "save them for your weekly review", with no weekly review in the plan."""
    for person in (ADITYA, {**AMARA, "disappointment": 4}):
        said = text(step(app, person, "mindset.acknowledge"))
        assert "weekly review" not in said
        assert "write them down and put the page away" in said


def test_smart_goals_stand_alone_for_an_internal_candidate(app: Bounceback) -> None:
    """Jamal: "as the step on the withdrawn offer says", a step never shown inside one's own
    organisation."""
    said = text(step(app, JAMAL, "momentum.smart-goals"))
    assert "the step on the withdrawn offer" not in said
    assert "getting other chances moving by the end of next week, through new applications" in said


def test_internal_thanks_after_a_frozen_offer(app: Bounceback) -> None:
    """Jamal: no "feedback" to thank for after a freeze, no "after a no", and not before the
    anger has settled."""
    said = text(step(app, JAMAL, "feedback.internal-next-steps"))
    assert "their feedback" not in said
    assert "after a no" not in said
    assert "Once the anger has settled, thank the people who interviewed you" in said
    assert "a gracious word when plans change is remembered" in said
    # Real feedback, calmly, in a plain internal no: thanked for, as before.
    plain = {
        **JAMAL,
        "decision": "rejected",
        "stage_reached": "final_round",
        "feedback_themes": ["experience"],
        "anger": 2,
    }
    said = text(step(app, plain, "feedback.internal-next-steps"))
    assert (
        "Thank the people who interviewed you, in person or in a two-line note, for their time and their feedback"
        in said
    )
    assert "a gracious word after a no is remembered" in said


def test_referee_draft_to_someone_who_sends_no_applications(app: Bounceback) -> None:
    """Jamal sends none yet: not "I'm applying for roles like ... at the moment"."""
    body = step(app, JAMAL, "materials.references").draft.body  # type: ignore[union-attr]
    flat = " ".join(body.split())
    assert "I'm applying for" not in flat
    assert "I may be applying for roles like Regional Operations Lead soon" in flat
    body = step(app, JAMAL, "materials.references", applications_per_week=3).draft.body  # type: ignore[union-attr]
    assert "I'm applying for roles like Regional Operations Lead at the moment" in " ".join(body.split())


def test_recruiter_draft_is_sendable(app: Bounceback) -> None:
    """Kofi knows whether his recruiter put him forward; the tool does not: the draft asks what
    is true either way, and greets someone."""
    recruiter = KOFI | {"feedback_received": "none", "decision": "rejected"}  # after silence, no such step
    body = step(app, recruiter, "feedback.ask-recruiter").draft.body  # type: ignore[union-attr]
    assert body.lstrip().startswith("Hi [their name],")
    assert "If you were part of this one" not in body
    assert "If you've heard anything from them:" in " ".join(body.split())


def test_short_term_work_is_not_oversold(app: Bounceback) -> None:
    """Kofi: freelance work "often leads to permanent offers"."""
    said = text(step(app, KOFI, "alternatives.freelance"))
    assert "often leads to permanent offers" not in said
    assert "sometimes leads to permanent offers" in said


def test_an_application_stage_no_is_not_a_handful_compared(app: Bounceback) -> None:
    """Tomás was screened out among hundreds on paper, not compared with a handful."""
    said = text(step(app, TOMAS, "mindset.not-personal"))
    assert "handful" not in said
    assert "sorted on paper, often by keywords" in said
    assert "compares a handful of people" in text(
        step(app, TOMAS, "mindset.not-personal", stage_reached="interview")
    )


def test_one_word_for_the_cv(app: Bounceback) -> None:
    """Tomás: "CV" throughout, then "a resume writer"."""
    steps = app.plan(TOMAS, top=40, per_category=10).steps
    said = " ".join(text(s) for s in steps)
    assert "CV writer" in said
    assert "resume" not in said.lower().replace("resume_", "")


def test_thank_you_after_one_interview_with_specific_feedback(app: Bounceback) -> None:
    """Amara met one interviewer, and was given specific feedback: "You met their team" was
    more than she had, and the note thanked her for everything but the feedback."""
    s = step(app, AMARA, "feedback.thank-you")
    said = text(s)
    assert "met their team" not in said
    assert "You had an interview with them, and they gave you specific feedback." in said
    assert "Thank them for their time and for the feedback they gave you" in said
    assert "Thank you for your time, for the feedback you gave me, and for considering me" in said
    # Without specific feedback, nothing is thanked for that was not given (the thank-you then
    # goes with the feedback request, in one message).
    s = step(
        app,
        AMARA,
        "feedback.thanks-and-ask",
        feedback_received="generic",
        feedback_themes=[],
        feedback_asked=False,
    )
    said = text(s)
    assert "the feedback you gave me" not in said
    assert "the feedback they gave you" not in said


def test_a_step_up_inside_is_not_overclaimed(app: Bounceback) -> None:
    """Wei: "Most people who go for a step up inside their organisation hear no before they hear
    yes" is a claim nobody can back."""
    said = text(step(app, WEI, "mindset.perspective"))
    assert "hear no before they hear yes" not in said
    assert "A step up inside an organisation often takes more than one try" in said


@pytest.mark.parametrize(
    ("person", "lines"),
    [
        (AMARA, ["What they said (technical skills):", "What they said (not enough experience):"]),
        (WEI, ["What they said (not enough experience):", "What they said (communication):"]),
        (SOFIA, ["What they said (not enough experience):", "What else they said:"]),
    ],
    ids=["amara", "wei", "sofia"],
)
def test_feedback_plan_is_filled_from_the_themes(
    app: Bounceback, person: dict[str, Any], lines: list[str]
) -> None:
    """Amara, Wei and Sofia named what the feedback was about: the draft names it too, one block a
    point, instead of three blank "What they said:" lines."""
    plan = app.plan(person, top=40, per_category=10)
    drafts = [
        s.draft.body for s in plan.steps if s.draft is not None and s.draft.title == "Feedback action plan"
    ]
    if not drafts:  # the step may be elsewhere in the plan; the text is what is checked
        drafts = [step(app, person, "feedback.address").draft.body]  # type: ignore[union-attr]
    body = drafts[0]
    for line in lines:
        assert line in body
    assert "1. What they said:" not in body
    # Unknown themes keep the blank lines to fill in.
    blank = step(app, AMARA, "feedback.address", feedback_themes=[]).draft.body  # type: ignore[union-attr]
    assert "1. What they said:" in blank


def test_a_questioned_direction_is_explored_not_fixed(app: Bounceback) -> None:
    """Haruka (career doubt 4, open to another industry): the networking draft and the headline
    do not fix the one target role the rest of the plan questions."""
    said = text(step(app, HARUKA, "networking.reconnect"))
    assert "I'm aiming for" not in said
    assert "taking a fresh look at what kind of work to aim for next" in said
    said = text(step(app, HARUKA, "materials.online-profile"))
    assert "headline to the role" not in said
    assert "rather than one job title" in said
    # Someone sure of the direction still names the role.
    sure = text(step(app, HARUKA, "networking.reconnect", career_doubt=2))
    assert "I'm aiming for Marketing Manager roles." in sure


def test_pay_is_something_to_decide_on(app: Bounceback) -> None:
    """Haruka: "move on: there is nothing in it to fix", then advice on her salary figure."""
    said = text(step(app, HARUKA, "feedback.outside-control"))
    assert "move on: there is nothing in it to fix" not in said
    assert "apart from your figure, which is yours to decide on, there is nothing in it to fix" in said
    assert "decide calmly what you'd accept next time" in said


@pytest.mark.parametrize(
    ("answers", "said", "claim"),
    [
        (
            {"stage_reached": "interview"},
            "You met their team and haven't sent a thank-you yet.",
            "beyond a single",
        ),
        (
            {"stage_reached": "application"},
            "A hiring decision compares a handful of people against one team's needs.",
            "screened out",
        ),
        (
            {"decision": "offer_withdrawn"},
            "You'll go on working with them, and a gracious word after a no is remembered.",
            "frozen or cancelled",
        ),
        (
            {"internal_role": True},
            "The first is getting other chances moving, as the step on the withdrawn offer says.",
            "internal candidate",
        ),
        (
            {"applications_per_week": 0},
            "I'm applying for roles like Analyst at the moment.",
            "sending applications",
        ),
        (
            {"feedback_received": "specific", "feedback_themes": ["hiring_freeze", "role_cancelled"]},
            "Thank the people who interviewed you for their time and their feedback.",
            "feedback to thank",
        ),
        ({"feedback_received": "none"}, "Thank you for your time and for the feedback.", "feedback to thank"),
        ({"career_doubt": 4}, "I'm aiming for Marketing Manager roles.", "target role"),
        ({"career_doubt": 5}, "Change your headline to the role you want next.", "target role"),
        (
            {"feedback_themes": ["salary", "culture_fit"]},
            "Note the reason, and move on: there is nothing in it to fix.",
            "their figure",
        ),
    ],
)
def test_review19_claims_catch_the_old_words(
    app: Bounceback, answers: dict[str, Any], said: str, claim: str
) -> None:
    """The words review 19 found false are caught by the wording lint's claims for people like
    the person they hit."""
    found = false_claims(app, said, answers)
    assert any(claim in what for what in found), found
