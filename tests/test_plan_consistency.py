"""A plan says one thing about each situation (DESIGN §6b, coach review 3): a feedback reason is
either something to fix or something to let go, never both; someone not looking outside gets no
outside-search step, and an internal candidate whose role was frozen gets a step towards the
next job; a step's time words agree with its timeframe."""

from __future__ import annotations

from typing import Any

import pytest

from bounceback.api import Bounceback

PERSON = {
    "stage_reached": "interview",
    "days_since_rejection": 5,
    "disappointment": 3,
    "anger": 2,
    "anxiety": 2,
    "self_doubt": 2,
    "hopelessness": 1,
    "feedback_received": "none",
    "motivation": 4,
    "support_people": True,
    "network_contacts_month": 1,
    "has_goals": False,
    "months_searching": 2,
    "applications_per_week": 2,
}
FIX = {"feedback.address", "feedback.decode-generic"}
LET_GO = "feedback.outside-control"


def step_ids(app: Bounceback, **answers: Any) -> list[str]:
    return [s.id for s in app.plan(dict(PERSON, **answers), top=40, per_category=10).steps]


@pytest.mark.parametrize("received", ["generic", "specific"])
@pytest.mark.parametrize(
    "theme",
    [
        "technical_skills",
        "experience",
        "communication",
        "culture_fit",
        "salary",
        "stronger_candidate",
        "preparation",
        "hiring_freeze",
        "internal_candidate",
        "role_cancelled",
    ],
)
def test_one_reason_is_either_a_fix_or_a_thing_to_let_go(app: Bounceback, theme: str, received: str) -> None:
    ids = set(step_ids(app, feedback_received=received, feedback_themes=[theme]))
    assert not (FIX & ids and LET_GO in ids), (theme, sorted(ids))
    # Every reason is answered by one side or the other.
    assert (
        FIX & ids
        or LET_GO in ids
        or theme in {"technical_skills", "experience", "communication", "preparation"}
    )


def test_internal_talk_after_a_freeze_asks_what_happens_now(app: Bounceback) -> None:
    plan = app.plan(
        dict(
            PERSON,
            internal_role=True,
            currently_employed=True,
            applications_per_week=0,
            feedback_received="generic",
            feedback_themes=["hiring_freeze"],
        ),
        top=40,
        per_category=10,
    )
    talk = next(s for s in plan.steps if s.id == "feedback.internal-next-steps")
    text = " ".join((talk.why, *talk.actions, talk.draft.body if talk.draft else ""))
    assert "ready next time" not in text and "what happens" in text
    # The internal route is on hold: the plan helps with a search outside too.
    assert plan.signals["searching_outside"] == 1
    assert {"keep-momentum", "network", "smart-goals"} & set(plan.topics)


def test_not_searching_outside_means_no_outside_search_steps(app: Bounceback) -> None:
    ids = step_ids(
        app,
        internal_role=True,
        currently_employed=True,
        applications_per_week=0,
        months_searching=0,
        career_doubt=4,
        resume_updated_months=1,
        uses_recruiter=False,
        hopelessness=3,
    )
    outside = {
        "materials.online-profile",
        "support.job-group",
        "momentum.refine-search",
        "momentum.keep-applying",
    }
    assert not outside & set(ids), ids


def test_time_words_agree_with_the_timeframe(app: Bounceback) -> None:
    seen_today = 0
    for anger in (2, 5):
        for applications in (0, 1):
            for support in (True, False):
                answers = dict(
                    PERSON,
                    anger=anger,
                    disappointment=4,
                    anxiety=4,
                    self_doubt=4,
                    applications_per_week=applications,
                    support_people=support,
                    sent_thank_you=False,
                    feedback_received="specific",
                    feedback_themes=["experience"],
                )
                for step in app.plan(answers, top=40, per_category=10).steps:
                    if step.timeframe == "today":
                        seen_today += 1
                        text = " ".join(step.actions)
                        assert not any(
                            w in text for w in ("day or two", "couple of days", "next few days")
                        ), (
                            step.id,
                            text,
                        )
    assert seen_today


def step_text(step: Any) -> str:
    """Everything a step says: why, actions and its draft."""
    return " ".join((step.why, *step.actions, step.draft.body if step.draft else ""))


@pytest.mark.parametrize("theme", ["salary", "internal_candidate", "hiring_freeze", "role_cancelled"])
@pytest.mark.parametrize("days", [5, 20])
@pytest.mark.parametrize("thanked", [True, False])
def test_the_feedback_question_fits_a_reason_outside_ones_control(
    app: Bounceback, theme: str, days: int, thanked: bool
) -> None:
    answers = dict(
        PERSON,
        feedback_received="generic",
        feedback_themes=[theme],
        days_since_rejection=days,
        sent_thank_you=thanked,
        stage_reached="final_round",
    )
    asks = [
        s
        for s in app.plan(answers, top=40, per_category=10).steps
        if s.id in {"feedback.request", "feedback.thanks-and-ask", "feedback.follow-up"}
    ]
    for step in asks:
        assert "stronger candidate" not in step_text(step), (step.id, theme)
    assert asks or days > 14


def test_the_goal_sheet_of_someone_starting_to_look_outside(app: Bounceback) -> None:
    plan = app.plan(
        dict(
            PERSON,
            internal_role=True,
            currently_employed=True,
            applications_per_week=0,
            months_searching=1,
            open_to=["none"],
            feedback_received="generic",
            feedback_themes=["hiring_freeze"],
        ),
        top=40,
        per_category=10,
    )
    sheet = next(s for s in plan.steps if s.id == "momentum.smart-goals").draft
    assert sheet is not None
    assert "Time searching so far" not in sheet.body and "1 month" not in sheet.body


def texts(action: Any) -> list[str]:
    """The texts an action can show: a plain string, one variant or a list of variants."""
    if isinstance(action, str):
        return [action]
    return [v.text for v in (action if isinstance(action, tuple) else (action,))]


def test_a_today_step_reads_true_when_it_moves_to_this_week(app: Bounceback) -> None:
    # At most two steps keep `today`; the lower-ranked ones move to this week, so the actions of
    # an unpinned `today` rule never promise "today" or "tonight".
    today = [r for p in app.packs for r in p.rules if r.timeframe == "today" and not r.pin]
    assert today
    for rule in today:
        for action in rule.actions:
            for text in texts(action):
                assert not {"today", "tonight"} & set(text.lower().replace(",", " ").split()), (
                    rule.id,
                    text,
                )


@pytest.mark.parametrize("internal", [True, False])
def test_trying_routes_speaks_of_a_search_only_to_someone_searching(app: Bounceback, internal: bool) -> None:
    answers = dict(
        PERSON,
        internal_role=internal,
        currently_employed=True,
        applications_per_week=0,
        open_to=["other_industry", "further_education"],
    )
    step = next(
        s for s in app.plan(answers, top=40, per_category=10).steps if s.id == "alternatives.weigh-options"
    )
    assert "search" not in step.why, step.why


@pytest.mark.parametrize(
    "gaps", [["tools"], ["technical", "tools"], ["certification"], ["tools", "certification"]]
)
def test_one_learning_commitment_beside_further_study(app: Bounceback, gaps: list[str]) -> None:
    ids = step_ids(
        app,
        career_stage="student_or_graduate",
        feedback_received="specific",
        feedback_themes=["technical_skills", "experience"],
        skill_gaps=gaps,
        open_to=["further_education"],
        motivation=5,
    )
    building = {
        "skills.close-gap",
        "skills.certification",
        "skills.tools",
        "skills.gain-experience",
        "skills.side-project",
        "alternatives.further-education",
    }
    assert "alternatives.further-education" in ids
    assert len(building & set(ids)) <= 2, ids
