"""Steps written for the person's situation (DESIGN §6a/§6b): someone who never heard back,
whose offer was withdrawn, who was passed over internally, or whose reason was outside their
control gets that step, and none of the generic steps or words that are false for them. Each
situation is checked over a few different people. (Where the step ranks is the engine's business:
tests/test_composition.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from bounceback.api import Bounceback
from bounceback.testing import check_expectations

#: A middling person with nothing unusual; each case changes what makes it that situation.
BASE: dict[str, Any] = {
    "name": "Sam",
    "role": "Data Analyst",
    "company": "Northwind Traders",
    "interviewer_name": "Alex Kim",
    "decision": "rejected",
    "stage_reached": "interview",
    "days_since_rejection": 6,
    "rejections_recent": 2,
    "months_searching": 3,
    "disappointment": 3,
    "anger": 2,
    "anxiety": 2,
    "self_doubt": 2,
    "hopelessness": 1,
    "motivation": 3,
    "feedback_received": "none",
    "feedback_asked": False,
    "skill_gaps": [],
    "interview_confidence": 3,
    "resume_updated_months": 2,
    "career_doubt": 2,
    "role_fit_doubt": 2,
    "open_to": ["none"],
    "support_people": True,
    "self_care": 3,
    "in_support_group": False,
    "network_contacts_month": 3,
    "applications_per_week": 4,
    "tracks_applications": True,
    "has_goals": True,
    "uses_recruiter": False,
    "sent_thank_you": False,
    "practised_interviews": True,
    "financial_urgency": 2,
    "career_stage": "mid_career",
    "currently_employed": False,
    "internal_role": False,
    "self_harm_thoughts": False,
}

NO_REPLY = {"decision": "no_reply", "feedback_received": "none"}
OFFER = {"decision": "offer_withdrawn", "stage_reached": "offer_stage"}
INTERNAL = {
    "internal_role": True,
    "currently_employed": True,
    "applications_per_week": 0,
    "months_searching": 0,
}

#: situation → (its rule, the people, rules that must not be in their plans, false words).
SITUATIONS: dict[str, tuple[str, list[dict[str, Any]], list[str], list[str]]] = {
    "no-reply": (
        "feedback.close-the-loop",
        [
            {**NO_REPLY, "days_since_rejection": 20, "self_doubt": 4},
            {
                **NO_REPLY,
                "stage_reached": "phone_screen",
                "days_since_rejection": 30,
                "motivation": 2,
                "career_stage": "student_or_graduate",
                "feedback_asked": True,
                "self_doubt": 4,
            },
        ],
        ["feedback.thank-you", "feedback.request", "feedback.follow-up"],
        [r"chose someone", r"chosen candidate", r"thank-you note", r"your decision"],
    ),
    # Silence after an application only (coach review 5): mark it closed on one's own side, no
    # closing note to a hiring team one never spoke to.
    "no-reply-to-an-application": (
        "feedback.mark-closed",
        [
            {
                **NO_REPLY,
                "stage_reached": "application",
                "days_since_rejection": 14,  # under ten days an unanswered application is no silence yet
                "uses_recruiter": True,
                "self_doubt": 3,
            },
        ],
        ["feedback.close-the-loop", "feedback.thank-you", "feedback.request", "feedback.follow-up"],
        [r"chose someone", r"chosen candidate", r"thank-you note", r"your decision", r"hiring team"],
    ),
    "offer-withdrawn": (
        "momentum.offer-withdrawn",
        [
            {
                **OFFER,
                "feedback_received": "specific",
                "feedback_themes": ["hiring_freeze"],
                "uses_recruiter": True,
                "applications_per_week": 1,
                "disappointment": 4,
            },
            {**OFFER, "days_since_rejection": 2, "self_doubt": 4, "applications_per_week": 0},
            {
                **OFFER,
                "feedback_received": "generic",
                "feedback_themes": ["role_cancelled"],
                "motivation": 2,
                "financial_urgency": 5,
                "has_goals": False,
            },
        ],
        [
            "feedback.thank-you",
            "feedback.request",
            "feedback.follow-up",
            "feedback.ask-recruiter",
            "momentum.dont-wait",
            "momentum.keep-applying",
            "feedback.address",
            "feedback.decode-generic",
        ],
        [r"chose someone", r"chosen candidate", r"runners?-up", r"eased off other applications"],
    ),
    "internal": (
        "feedback.internal-next-steps",
        [
            {
                **INTERNAL,
                "stage_reached": "final_round",
                "feedback_received": "generic",
                "feedback_themes": ["stronger_candidate"],
                "disappointment": 4,
                "self_doubt": 3,
                "has_goals": False,
                "career_stage": "senior",
            },
            {
                **INTERNAL,
                "feedback_received": "specific",
                "feedback_themes": ["experience"],
                "self_doubt": 4,
                "tracks_applications": False,
            },
            {**INTERNAL, "stage_reached": "final_round", "motivation": 2, "anger": 4},
            # Never heard back from one's own organisation: the manager's talk, not a closing
            # note telling one's employer "I'm moving on with my search".
            {**INTERNAL, **NO_REPLY, "days_since_rejection": 25},
        ],
        [
            "momentum.keep-applying",
            "momentum.dont-wait",
            "feedback.request",
            "feedback.follow-up",
            "feedback.close-the-loop",
        ],
        [
            r"internship",
            r"freelance job",
            r"eased off other applications",
            r"\bunemployed\b",
            r"out of work",
            r"moving on with my search",
        ],
    ),
    "outside-control": (
        "feedback.outside-control",
        [
            {"feedback_received": "specific", "feedback_themes": ["hiring_freeze"]},
            {
                "feedback_received": "generic",
                "feedback_themes": ["salary", "role_cancelled"],
                "self_doubt": 4,
                "stage_reached": "final_round",
            },
            {
                "feedback_received": "specific",
                "feedback_themes": ["internal_candidate"],
                "stage_reached": "phone_screen",
                "motivation": 2,
                "applications_per_week": 1,
            },
        ],
        ["feedback.address", "feedback.decode-generic"],
        [r"pick one thing to improve", r"one fix with a date", r"before your next interview"],
    ),
}

CASES = [
    pytest.param(rule, {**BASE, **person}, none, words, id=f"{name}-{n}")
    for name, (rule, people, none, words) in SITUATIONS.items()
    for n, person in enumerate(people, 1)
]


@pytest.mark.parametrize(("rule", "answers", "none", "words"), CASES)
def test_the_situation_gets_its_step_and_false_steps_stay_out(
    app: Bounceback, rule: str, answers: dict[str, Any], none: list[str], words: list[str]
) -> None:
    plan = app.plan(answers)
    assert rule in {s.id for s in plan.steps}
    expect = {"plan_rules_none": none, "text_none": words, "max_today": len(plan.steps)}
    assert check_expectations(plan, expect) == []


def test_without_the_situation_the_step_stays_out(app: Bounceback) -> None:
    plan = app.plan(BASE)
    ids = {s.id for s in plan.steps}
    assert not ids & {rule for rule, *_ in SITUATIONS.values()}


@pytest.mark.parametrize(
    "answers",
    [
        {"rejections_recent": 6, "months_searching": 7, "has_goals": True},
        {"rejections_recent": 3, "motivation": 2, "months_searching": 1},
    ],
    ids=["long-search", "low-energy"],
)
def test_setback_plan_is_offered_to_someone_likely_to_hear_no_again(
    app: Bounceback, answers: dict[str, Any]
) -> None:
    plan = app.plan({**BASE, **answers})
    step = next(s for s in plan.steps if s.id == "mindset.setback-plan")
    assert "rejection" in step.why or "searching" in step.why
    assert (
        check_expectations(
            plan, {"text_none": [r"\b1 rejections\b", r"\b0 months\b"], "max_today": len(plan.steps)}
        )
        == []
    )


def test_expressive_writing_is_for_disappointment_the_cool_off_writes_the_anger(app: Bounceback) -> None:
    """Deep disappointment gets the three days of writing; anger at 4 or 5 has the cool-off, whose
    own writing is the outlet (blind A/B 30: two anger steps in one plan)."""
    sad = {
        "disappointment": 5,
        "days_since_rejection": 20,
        "feedback_received": "specific",
        "feedback_themes": ["technical_skills"],
    }
    step = next(
        s
        for s in app.plan({**BASE, **sad}, top=20, per_category=20).steps
        if s.id == "mindset.expressive-writing"
    )
    assert step.why.startswith("You're deeply disappointed about this")
    angry = [s.id for s in app.plan({**BASE, **sad, "anger": 5}, top=20, per_category=20).steps]
    assert "mindset.cool-off" in angry and "mindset.expressive-writing" not in angry


def test_a_closing_note_fades_with_the_silence_after_a_first_call(app: Bounceback) -> None:
    """After an interview, the closing note is the first thing to do; after a first call that
    has gone unanswered for eight weeks it is still offered, but well down the plan (after an
    application only, there is no note: feedback.mark-closed)."""

    def place(**answers: Any) -> tuple[int, float]:
        steps = [s for s in app.plan({**BASE, **NO_REPLY, **answers}).steps if not s.pinned]
        i = next(i for i, s in enumerate(steps) if s.id == "feedback.close-the-loop")
        return i, steps[i].score

    assert place(stage_reached="interview", days_since_rejection=10)[0] == 0
    late, score = place(stage_reached="phone_screen", days_since_rejection=56)
    assert late > 0 and score < 0.5
    assert place(stage_reached="interview", days_since_rejection=56)[1] > score
