"""Coach review 35: a carer returning, several skill gaps, a long tenure over 55, a career
changer, a graduate with many rejections, low energy with money pressure. What their plans
said that was false for them."""

from __future__ import annotations

from bounceback.api import Bounceback
from helpers import every_step as steps
from helpers import step_said as said


def test_culture_fit_is_not_called_nothing_to_fix(app: Bounceback) -> None:
    """A teacher moving into research, told "culture fit": "it isn't a flaw in you to fix"."""
    fit = dict(feedback_received="specific", feedback_themes=["culture_fit"], role_fit_doubt=1)
    for self_doubt in (1, 4):
        step = said(steps(app, self_doubt=self_doubt, **fit)["feedback.outside-control"])
        assert "flaw in you to fix" not in step and "nothing in it to fix" not in step
        assert "how you came across" in step and "how you may have come across" in step
    freeze = said(
        steps(app, feedback_received="specific", feedback_themes=["hiring_freeze"])[
            "feedback.outside-control"
        ]
    )
    assert "how you may have come across" not in freeze


def test_catching_up_on_a_field_does_not_assume_one_worked_in_it(app: Bounceback) -> None:
    """A warehouse supervisor moving into planning: "since you last worked in this part of it"."""
    step = said(steps(app, career_stage="mid_career", skill_gaps=["domain_knowledge"])["skills.domain"])
    assert "since you last worked" not in step and "has changed in this field lately" in step


def test_a_thank_you_weeks_later_is_not_a_little_later(app: Bounceback) -> None:
    """Day 21 after a final round: "a thank-you a little later is still welcome"."""
    late = dict(sent_thank_you=False, feedback_asked=True, stage_reached="final_round", anger=1)
    weeks = said(steps(app, days_since_rejection=21, **late)["feedback.thank-you"])
    assert "a little later" not in weeks and "some weeks on" in weeks
    assert "a little later" in said(steps(app, days_since_rejection=8, **late)["feedback.thank-you"])
