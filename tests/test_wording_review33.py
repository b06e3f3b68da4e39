"""Coach review 33: internal candidates, withdrawn offers (one who had resigned), doubt about the
direction or the job, low energy with money pressure, a crisis with no country given, an
"overqualified" verdict, a student and a calm specialist. What their plans said that was already
done, false or repeated."""

from __future__ import annotations

from bounceback.api import Bounceback
from helpers import MINIMAL
from helpers import all_said as everything
from helpers import every_step as steps
from helpers import step_said as said


def test_feedback_already_asked_for_is_not_asked_for_again(app: Bounceback) -> None:
    """Feedback already asked for: the first step was the email asking for "one pointer"."""
    asked = steps(
        app, feedback_asked=True, sent_thank_you=False, stage_reached="interview", feedback_received="none"
    )
    assert "feedback.thanks-and-ask" not in asked and "feedback.request" not in asked
    assert "feedback.thank-you" in asked
    fresh = steps(
        app, feedback_asked=False, sent_thank_you=False, stage_reached="interview", feedback_received="none"
    )
    assert "feedback.thanks-and-ask" in fresh


def test_small_steps_keep_the_applications_already_sent(app: Bounceback) -> None:
    """Motivation 1, ten applications a week: "one 20-minute task per weekday (one application...)"."""
    busy = steps(app, motivation=1, applications_per_week=10)["mindset.small-steps"]
    assert "Keep the applications you already send" in said(busy) and "one application," not in said(busy)
    idle = steps(app, motivation=1, applications_per_week=1)["mindset.small-steps"]
    assert "one application, one message" in said(idle)


def test_overqualified_through_the_recruiter_asks_about_the_level(app: Bounceback) -> None:
    """Told "overqualified", the recruiter was asked "why they chose another candidate"."""
    told = dict(
        uses_recruiter=True,
        feedback_received="generic",
        feedback_themes=["overqualified"],
        feedback_asked=False,
    )
    step = steps(app, stage_reached="interview", **told)["feedback.ask-recruiter"]
    assert "chose another candidate" not in said(step) and "chosen candidate had" not in said(step)
    assert "what worried them about" in said(step)


def test_a_crisis_without_a_country_does_not_speak_of_numbers(app: Bounceback) -> None:
    """Country not given: "The numbers above were checked against https://findahelpline.com/",
    and the directory named again in a later step."""
    crisis = dict(self_harm_thoughts=True, hopelessness=5, motivation=1, support_people=False)
    nowhere = everything(app, country=None, **crisis)
    assert "The numbers above were checked" not in nowhere and "The directory above was checked" in nowhere
    assert nowhere.count("findahelpline.com and call it") == 1
    assert "The numbers above were checked against" in everything(app, country="gb", **crisis)


def test_words_that_were_false_for_the_reader(app: Bounceback) -> None:
    """ "That hurts more than a plain no" at disappointment 3; "talk to one current student" to a
    student; "working with these people tomorrow" to a shift worker; a fresh CV "before anything
    else you send" to someone sending nothing; feelings at 3 ranked as a step."""
    withdrawn = dict(decision="offer_withdrawn", stage_reached="offer_stage", feedback_received="none")
    calm = said(steps(app, disappointment=3, anger=2, **withdrawn)["momentum.offer-withdrawn"])
    assert "hurts more than a plain no" not in calm
    assert "hurts more than a plain no" in said(
        steps(app, disappointment=5, **withdrawn)["momentum.offer-withdrawn"]
    )
    student = everything(app, career_stage="student_or_graduate", open_to=["further_education"])
    assert "current student or recent graduate" not in student
    inside = dict(internal_role=True, currently_employed=True, anger=5, days_since_rejection=1)
    assert "tomorrow" not in said(steps(app, **inside)["mindset.cool-off"])
    quiet = dict(internal_role=True, currently_employed=True, applications_per_week=0, months_searching=0)
    old = steps(app, resume_updated_months=120, stage_reached="interview", **quiet).get("materials.refresh")
    assert old is None or "before anything else you send" not in old.why
    middling = app.decisions(
        {**MINIMAL, "disappointment": 3, "anger": 2, "anxiety": 2, "days_since_rejection": 1}
    )
    strong = app.decisions(
        {**MINIMAL, "disappointment": 4, "anger": 2, "anxiety": 2, "days_since_rejection": 1}
    )
    assert middling["mindset.acknowledge"].score < 0.7 * strong["mindset.acknowledge"].score


def test_a_withdrawn_offer_after_resigning_and_a_job_one_doubted(app: Bounceback) -> None:
    """Resigned for an offer that was withdrawn: nothing on asking the old employer; doubting the
    job itself (role fit doubt 5), the closing note still invited them back."""
    withdrawn = dict(decision="offer_withdrawn", stage_reached="offer_stage", feedback_received="none")
    out = said(steps(app, currently_employed=False, **withdrawn)["momentum.offer-withdrawn"])
    assert "ask your former manager plainly whether you could return" in out
    silent = dict(
        decision="no_reply", stage_reached="final_round", feedback_received="none", days_since_rejection=30
    )
    doubted = steps(app, role_fit_doubt=5, **silent)["feedback.close-the-loop"].draft
    keen = steps(app, role_fit_doubt=2, **silent)["feedback.close-the-loop"].draft
    assert doubted is not None and keen is not None
    assert "a similar role opens" not in doubted.body and "all the best" in doubted.body
    assert "a similar role opens" in keen.body


def test_working_a_recruiter_or_aiming_the_search_is_a_job_search_skill(app: Bounceback) -> None:
    """Short plans holding a recruiter step or a search check were pushed to swap a step the
    person needed for a generic CV or networking step (the evidence mix's skills entry)."""
    from bounceback.authoring.profiles import ProfileMaker

    checked = 0
    for situation in ProfileMaker(app.questionnaire).situations(600, 9):
        decisions = app.decisions(situation)
        chosen = {r for r, d in decisions.items() if d.chosen}
        searching = {"networking.recruiter", "networking.recruiter-coaching", "momentum.refine-search"}
        if chosen & searching:
            checked += 1
            brought = [r for r in chosen if "(base.skills)" in decisions[r].reason]
            assert set(brought) <= searching, situation.answers
    assert checked > 20


def test_an_internal_offer_withdrawn_is_not_said_to_hurt_at_low_feelings(app: Bounceback) -> None:
    """Blind A/B 34: "That hurts, and more so when the people who decided work alongside you" at
    disappointment 1-2."""
    inside = dict(
        internal_role=True, currently_employed=True, decision="offer_withdrawn", stage_reached="offer_stage"
    )
    calm = steps(app, disappointment=2, anger=1, **inside)["feedback.internal-next-steps"]
    assert "That hurts" not in calm.why
    assert "That hurts" in steps(app, disappointment=5, **inside)["feedback.internal-next-steps"].why


def test_nothing_to_fix_in_the_reason_leaves_the_named_gaps_theirs(app: Bounceback) -> None:
    """Blind A/B 34: "there is nothing in it to fix" beside a communication gap the person named."""
    freeze = dict(feedback_received="specific", feedback_themes=["hiring_freeze"], self_doubt=1)
    gapped = said(steps(app, skill_gaps=["communication"], **freeze)["feedback.outside-control"])
    assert "The gaps you named yourself are a separate matter" in gapped
    assert "separate matter" not in said(steps(app, skill_gaps=[], **freeze)["feedback.outside-control"])


def test_the_worth_step_sends_a_doubt_to_the_counsellor_one_already_sees(app: Bounceback) -> None:
    """Blind A/B 34: "talk it through with someone who knows your work" to someone who sees a
    counsellor."""
    seen = said(steps(app, self_doubt=4, sees_professional=True)["mindset.not-personal"])
    assert "the counsellor, therapist or doctor you already see" in seen
    assert "already see" not in said(
        steps(app, self_doubt=4, sees_professional=False)["mindset.not-personal"]
    )


def test_no_career_break_step_for_a_move_inside(app: Bounceback) -> None:
    """Blind A/B 34: returnships for someone back at work and going for an internal role."""
    back = dict(career_stage="returning", months_searching=3, applications_per_week=2)
    assert "materials.career-break" in steps(app, **back)
    inside = steps(app, internal_role=True, currently_employed=True, **back)
    assert "materials.career-break" not in inside
