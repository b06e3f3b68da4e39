"""Coach review 20: words that were false for the person, each checked on the answers of the
person it hit (DESIGN §6b: text is true for the person).

Each test plans the person's answers with room for every step that applies (``top=40``), so what
is checked is the text of a rule wherever it ranks: the false words are gone and the true ones are
there. The wording lint's claims (:data:`~bounceback.authoring.wordlint.CLAIMS`) that came with this
review are checked to catch the old texts for people like them.
"""

from __future__ import annotations

from typing import Any

import pytest

from bounceback.api import Bounceback
from test_wording_review19 import HARUKA, JAMAL, SOFIA, WEI, false_claims, step, text

JOAN: dict[str, Any] = {
    "name": "Joan",
    "role": "Part-time Payroll Officer",
    "company": "Tayside Care Partnership",
    "interviewer_name": "Fiona Mackay",
    "decision": "rejected",
    "stage_reached": "interview",
    "days_since_rejection": 12,
    "rejections_recent": 4,
    "months_searching": 4,
    "currently_employed": False,
    "country": "gb",
    "disappointment": 3,
    "anger": 3,
    "anxiety": 2,
    "self_doubt": 3,
    "hopelessness": 2,
    "motivation": 3,
    "feedback_received": "generic",
    "feedback_themes": ["stronger_candidate"],
    "feedback_asked": False,
    "skill_gaps": ["tools"],
    "interview_confidence": 3,
    "resume_updated_months": 4,
    "career_doubt": 1,
    "open_to": ["contract", "retail_sales"],
    "support_people": True,
    "self_care": 4,
    "network_contacts_month": 1,
    "applications_per_week": 2,
    "tracks_applications": True,
    "has_goals": False,
    "sent_thank_you": False,
    "practised_interviews": False,
    "financial_urgency": 2,
}
DANIEL: dict[str, Any] = {
    "name": "Daniel",
    "role": "Maintenance Engineering Lead",
    "company": "Stelco Fabrication",
    "interviewer_name": "Priti Desai",
    "decision": "rejected",
    "stage_reached": "final_round",
    "days_since_rejection": 6,
    "rejections_recent": 3,
    "months_searching": 5,
    "career_stage": "returning",
    "currently_employed": False,
    "country": "ca",
    "disappointment": 4,
    "anger": 2,
    "anxiety": 3,
    "self_doubt": 4,
    "hopelessness": 3,
    "motivation": 3,
    "feedback_received": "generic",
    "feedback_themes": ["experience"],
    "feedback_asked": True,
    "skill_gaps": ["tools", "certification"],
    "interview_confidence": 3,
    "resume_updated_months": 1,
    "career_doubt": 2,
    "role_fit_doubt": 1,
    "open_to": ["contract"],
    "support_people": True,
    "self_care": 2,
    "in_support_group": False,
    "network_contacts_month": 2,
    "applications_per_week": 3,
    "has_goals": False,
    "sent_thank_you": True,
    "practised_interviews": True,
    "financial_urgency": 3,
}
FARID: dict[str, Any] = {
    "name": "Farid",
    "role": "Junior Project Engineer",
    "company": "Van Dijk Infra",
    "interviewer_name": "Sanne Bakker",
    "decision": "rejected",
    "stage_reached": "interview",
    "days_since_rejection": 8,
    "rejections_recent": 7,
    "months_searching": 10,
    "career_stage": "mid_career",
    "currently_employed": False,
    "country": "nl",
    "disappointment": 4,
    "anger": 3,
    "anxiety": 4,
    "self_doubt": 3,
    "hopelessness": 3,
    "motivation": 3,
    "feedback_received": "specific",
    "feedback_themes": ["communication", "other"],
    "feedback_asked": True,
    "skill_gaps": ["certification", "communication"],
    "interview_confidence": 2,
    "career_doubt": 2,
    "role_fit_doubt": 1,
    "open_to": ["further_education", "contract", "retail_sales"],
    "support_people": True,
    "self_care": 2,
    "in_support_group": False,
    "network_contacts_month": 0,
    "applications_per_week": 5,
    "tracks_applications": True,
    "has_goals": True,
    "uses_recruiter": False,
    "sent_thank_you": True,
    "practised_interviews": False,
    "financial_urgency": 4,
}
CHLOE: dict[str, Any] = {
    "name": "Chloe",
    "role": "Graduate Analyst Programme",
    "company": "Coral Bank",
    "decision": "rejected",
    "stage_reached": "final_round",
    "days_since_rejection": 3,
    "rejections_recent": 3,
    "months_searching": 3,
    "career_stage": "student_or_graduate",
    "currently_employed": True,
    "country": "au",
    "disappointment": 4,
    "anger": 2,
    "anxiety": 4,
    "self_doubt": 3,
    "hopelessness": 2,
    "motivation": 3,
    "feedback_received": "specific",
    "feedback_themes": ["communication", "preparation"],
    "feedback_asked": False,
    "skill_gaps": ["interviewing"],
    "interview_confidence": 2,
    "resume_updated_months": 2,
    "career_doubt": 2,
    "open_to": ["none"],
    "support_people": True,
    "self_care": 3,
    "network_contacts_month": 0,
    "applications_per_week": 4,
    "tracks_applications": True,
    "has_goals": True,
    "sent_thank_you": False,
    "practised_interviews": False,
    "financial_urgency": 1,
}
TARUN: dict[str, Any] = {
    "name": "Tarun",
    "role": "Senior Account Executive",
    "company": "Cloudmesa",
    "interviewer_name": "Neha Kapoor",
    "decision": "rejected",
    "stage_reached": "final_round",
    "days_since_rejection": 4,
    "rejections_recent": 2,
    "months_searching": 8,
    "career_stage": "mid_career",
    "currently_employed": True,
    "country": "in",
    "disappointment": 4,
    "anger": 4,
    "anxiety": 2,
    "self_doubt": 2,
    "hopelessness": 2,
    "motivation": 3,
    "feedback_received": "generic",
    "feedback_themes": ["stronger_candidate"],
    "feedback_asked": True,
    "interview_confidence": 4,
    "resume_updated_months": 3,
    "career_doubt": 1,
    "role_fit_doubt": 4,
    "open_to": ["none"],
    "support_people": True,
    "self_care": 3,
    "network_contacts_month": 6,
    "applications_per_week": 2,
    "tracks_applications": True,
    "has_goals": True,
    "uses_recruiter": True,
    "sent_thank_you": True,
    "practised_interviews": True,
    "financial_urgency": 1,
}
DEBORAH: dict[str, Any] = {
    "name": "Deborah",
    "role": "Director of Procurement",
    "company": "St Brigid's Hospital Group",
    "interviewer_name": "Colm Byrne",
    "decision": "rejected",
    "stage_reached": "final_round",
    "days_since_rejection": 9,
    "rejections_recent": 1,
    "months_searching": 1,
    "career_stage": "senior",
    "currently_employed": True,
    "country": "ie",
    "disappointment": 2,
    "anger": 1,
    "anxiety": 1,
    "self_doubt": 1,
    "hopelessness": 1,
    "motivation": 4,
    "feedback_received": "specific",
    "feedback_themes": ["internal_candidate"],
    "feedback_asked": True,
    "skill_gaps": [],
    "interview_confidence": 4,
    "resume_updated_months": 2,
    "career_doubt": 1,
    "role_fit_doubt": 1,
    "open_to": ["none"],
    "support_people": True,
    "self_care": 4,
    "in_support_group": False,
    "network_contacts_month": 8,
    "applications_per_week": 1,
    "tracks_applications": True,
    "has_goals": True,
    "uses_recruiter": True,
    "sent_thank_you": True,
    "practised_interviews": True,
    "financial_urgency": 1,
}
KEISHA: dict[str, Any] = {
    "name": "Keisha",
    "role": "Litigation Paralegal",
    "company": "Harlan & Pryce LLP",
    "interviewer_name": "Dana Whitfield",
    "decision": "rejected",
    "stage_reached": "interview",
    "days_since_rejection": 4,
    "rejections_recent": 11,
    "months_searching": 9,
    "career_stage": "early_career",
    "currently_employed": False,
    "country": "us",
    "disappointment": 4,
    "anger": 2,
    "anxiety": 3,
    "self_doubt": 4,
    "hopelessness": 5,
    "motivation": 1,
    "feedback_received": "none",
    "feedback_asked": False,
    "interview_confidence": 2,
    "resume_updated_months": 1,
    "career_doubt": 3,
    "open_to": ["contract", "other_industry"],
    "support_people": True,
    "sees_professional": True,
    "self_harm_thoughts": False,
    "self_care": 2,
    "in_support_group": False,
    "network_contacts_month": 1,
    "applications_per_week": 8,
    "tracks_applications": True,
    "has_goals": True,
    "uses_recruiter": False,
    "sent_thank_you": True,
    "practised_interviews": True,
    "financial_urgency": 4,
}
GRACE: dict[str, Any] = {
    "name": "Grace",
    "role": "Medical Receptionist",
    "company": "Harbourside Family Practice",
    "interviewer_name": "Linda Park",
    "decision": "no_reply",
    "stage_reached": "phone_screen",
    "days_since_rejection": 45,
    "rejections_recent": 2,
    "months_searching": 3,
    "currently_employed": True,
    "country": "nz",
    "disappointment": 2,
    "anger": 2,
    "anxiety": 3,
    "self_doubt": 3,
    "hopelessness": 2,
    "motivation": 3,
    "feedback_received": "none",
    "interview_confidence": 2,
    "resume_updated_months": 14,
    "open_to": ["other_industry"],
    "support_people": True,
    "self_care": 3,
    "network_contacts_month": 0,
    "applications_per_week": 1,
    "tracks_applications": False,
    "sent_thank_you": False,
    "financial_urgency": 3,
}


def test_no_classmates_for_a_working_life_behind(app: Bounceback) -> None:
    """Joan, 63, career stage unanswered: "former colleagues, managers, classmates, clients"."""
    said = text(step(app, JOAN, "networking.reconnect"))
    assert "classmates" not in said
    assert "former colleagues and managers, clients, and anyone else who has seen what you do" in said
    early = text(step(app, {**JOAN, "career_stage": "early_career"}, "networking.reconnect"))
    assert "former colleagues, managers, classmates, clients" in early


@pytest.mark.parametrize("person", [JOAN, SOFIA, HARUKA], ids=["joan", "sofia", "haruka"])
def test_the_tools_task_names_no_one_fields_work(app: Bounceback, person: dict[str, Any]) -> None:
    """Joan (payroll), Sofia (instructional design), Haruka (marketing): "such as a report, a
    dashboard or a mock project"."""
    said = text(step(app, {**person, "skill_gaps": ["tools"], "currently_employed": False}, "skills.tools"))
    assert "dashboard" not in said
    assert "a small task of your own, of the kind the role you want would use it for" in said


@pytest.mark.parametrize("person", [DANIEL, SOFIA], ids=["daniel", "sofia"])
def test_experience_routes_open_in_any_field(app: Bounceback, person: dict[str, Any]) -> None:
    """Daniel, a maintenance engineer, and Sofia: "an open-source contribution"."""
    said = text(step(app, person, "skills.gain-experience"))
    assert "open-source" not in said
    assert (
        "Find a small, real version of it: a volunteer project, a freelance job or a short contract." in said
    )


def test_another_industry_from_the_persons_own_skills(app: Bounceback) -> None:
    """Grace, a pharmacy assistant sending one application a week: "analysis, client work, running
    projects, teaching, selling" and "a handful of roles as a test"."""
    said = text(step(app, {**GRACE, "currently_employed": False}, "alternatives.other-industry"))
    assert "analysis, client work" not in said
    assert "handful" not in said
    assert "what you do in your work that another industry needs too, each with an example" in said
    assert "make one or two of your next applications there, as a test" in said


def test_similar_organisations_not_competitors(app: Bounceback) -> None:
    """Deborah, applying to a hospital group: "this employer's competitors"."""
    said = text(step(app, DEBORAH, "momentum.dont-wait"))
    assert "competitors" not in said
    assert "similar roles at organisations like this one" in said


def test_references_did_not_decide_an_internal_candidates_win(app: Bounceback) -> None:
    """Deborah (the job went to an internal candidate) and Tarun: "references and final
    impressions decide between two good candidates"."""
    said = text(step(app, DEBORAH, "materials.references"))
    assert "final impressions" not in said
    assert "where employers take up references before they decide" in said
    # His plan is sized for evenings beside his job (five steps): with more energy, the step is his.
    tarun = text(step(app, TARUN, "materials.references", motivation=4))
    assert "decide between two good candidates" not in tarun
    assert "can help tip the balance between close candidates" in tarun


def test_a_graduate_programme_hires_a_cohort(app: Bounceback) -> None:
    """Chloe, after a graduate assessment centre: "in case the chosen candidate falls through"."""
    said = text(step(app, CHLOE, "feedback.thank-you", motivation=4))  # a full plan: every step
    assert "chosen candidate" not in said
    assert "in case a place opens up, or for their next intake or role" in said


def test_no_search_to_write_about_when_not_searching(app: Bounceback) -> None:
    """Wei, an internal candidate not looking outside: "about the rejection and the search"."""
    said = text(step(app, WEI, "mindset.expressive-writing", disappointment=5, anger=3))
    assert "and the search" not in said
    assert "write for 20 minutes about the rejection: what happened" in said
    searching = text(step(app, DANIEL, "mindset.expressive-writing", days_since_rejection=35))
    assert "about the rejection and the search: what happened" in searching


def test_during_a_long_search(app: Bounceback) -> None:
    """Keisha: "how hopeless you've been feeling since this long search"."""
    said = text(step(app, KEISHA, "support.professional-help"))
    assert "since this long search" not in said
    assert "hopeless you've been feeling during this long search" in said


def test_a_networking_draft_true_for_a_new_contact(app: Bounceback) -> None:
    """Farid, new in the country and in touch with nobody: "It's been a while ... You know my work
    and the field"."""
    draft = step(app, FARID, "networking.reconnect").draft
    assert draft is not None
    assert "It's been a while" not in draft.body
    assert "You know my work" not in draft.body
    assert draft.subject == "Could I ask your advice?"
    assert (
        "I'd really value your perspective on the field, or the name of anyone you think I should talk to."
        in (" ".join(draft.body.split()))
    )
    # Someone who keeps in touch, with a working life behind them, is catching up.
    old = step(app, {**FARID, "network_contacts_month": 2}, "networking.reconnect").draft
    assert old is not None and old.subject == "Catching up"
    assert "It's been a while" in old.body and "You know my work" in old.body


def test_a_procedure_is_a_step_to_take(app: Bounceback) -> None:
    """Farid, told his diploma's recognition was missing ('other'): "write one concrete response:
    a story to prepare or a change to make"."""
    said = text(step(app, FARID, "feedback.address"))
    assert "a story to prepare or a change to make" not in said
    assert "a story to prepare, a change to make, or a step to take (an application, a procedure)" in said
    only = text(step(app, {**FARID, "feedback_themes": ["other"]}, "feedback.address"))
    assert "a step to take (an application, a procedure)" in only


@pytest.mark.parametrize(
    ("person", "second"),
    [
        (DEBORAH, "it's fair to ask early in a process whether internal candidates are in the running"),
        (
            JAMAL,
            "When colleagues ask, one plain sentence about what happened is enough (the role was cancelled)",
        ),
    ],
    ids=["deborah", "jamal"],
)
def test_letting_go_is_more_than_one_line(app: Bounceback, person: dict[str, Any], second: str) -> None:
    """Deborah and Jamal: "Let go of the reasons you can't change" with a single action."""
    s = step(app, person, "feedback.outside-control")
    assert len(s.actions) >= 2, s.actions
    assert second in text(s)


@pytest.mark.parametrize(
    ("answers", "said", "claim"),
    [
        (
            {},
            "List ten people who know your work: former colleagues, managers, classmates, clients.",
            "recent",
        ),
        ({"career_stage": "senior"}, "Ask classmates.", "recent"),
        (
            {},
            "Use it on a small task of your own, such as a report, a dashboard or a mock project.",
            "one field",
        ),
        ({}, "A short contract or an open-source contribution.", "one field"),
        (
            {},
            "List your transferable skills: analysis, client work, running projects, teaching, selling.",
            "one field",
        ),
        ({"applications_per_week": 1}, "Apply to a handful of roles as a test.", "several applications"),
        (
            {"feedback_themes": ["internal_candidate"]},
            "References and final impressions decide between two good candidates.",
            "last stage",
        ),
        (
            {"career_stage": "student_or_graduate"},
            "It keeps you in mind in case the chosen candidate falls through.",
            "cohort",
        ),
        ({"searching_outside": 0}, "Write about the rejection and the search.", "searching"),
        ({}, "Tell them how you've been feeling since this long search.", "during"),
        ({"network_contacts_month": 0, "career_stage": "mid_career"}, "It's been a while.", "new contact"),
        ({"career_stage": "returning"}, "You know my work and the field.", "new contact"),
        (
            {"feedback_themes": ["other"]},
            "Write one concrete response: a story to prepare or a change to make.",
            "step to take",
        ),
        # Blind A/B 21, p01: the letting-go step's second action, to someone with nobody.
        (
            {"support_people": False},
            "Tell someone you trust the reason in that one sentence.",
            "someone to talk to",
        ),
    ],
)
def test_review20_claims_catch_the_old_words(
    app: Bounceback, answers: dict[str, Any], said: str, claim: str
) -> None:
    """The words review 20 found false are caught by the wording lint's claims for people like
    the person they hit (a claim may read a signal: searching_outside)."""
    found = false_claims(app, said, answers)
    assert any(claim in what for what in found), found
