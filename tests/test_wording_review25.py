"""Coach review 25: twelve people with middling energy, most plans' readers (a career changer, a
graduate with no interviews, a lab technician, a retail operations manager, an electrician...).
What their plans said that was false for their field, and the practice step they lacked."""

from __future__ import annotations

from bounceback.api import Bounceback
from helpers import MINIMAL
from helpers import all_said as all_text


def test_a_final_round_lost_unsure_and_unpractised_calls_for_practice(app: Bounceback) -> None:
    """Confidence 2 of 5, never practised, a final round lost: a tools course and goals came
    first, practice not at all."""
    unsure = dict(stage_reached="final_round", interview_confidence=2, practised_interviews=False)
    assert app.decisions({**MINIMAL, **unsure})["interview-prep.mock"].score >= 0.65
    practised = dict(unsure, practised_interviews=True)
    assert app.decisions({**MINIMAL, **practised})["interview-prep.mock"].score < 0.65


def test_no_executive_office_or_portfolio_words_for_every_field(app: Bounceback) -> None:
    """A retail operations manager read "partners and board members"; a civil engineer "a
    turnaround"; a hospital applicant "customers helped"; a lab technician "a portfolio page"."""
    senior = all_text(
        app,
        career_stage="senior",
        network_contacts_month=0,
        months_searching=4,
        open_to=["contract"],
        currently_employed=False,
    )
    assert "board members" not in senior and "a turnaround" not in senior
    doubtful = all_text(
        app, self_doubt=4, interview_confidence=2, skill_gaps=["technical"], career_stage="early_career"
    )
    assert "customers helped" not in doubtful and "portfolio page" not in doubtful
    first_search = all_text(app, career_doubt=3, months_searching=4, rejections_recent=12)
    assert "drifted" not in first_search


def test_the_one_gap_named_is_named_back(app: Bounceback) -> None:
    """Blind A/B 26: "Start with the gap you named" never said which (technical)."""
    text = all_text(
        app, skill_gaps=["technical"], feedback_received="specific", feedback_themes=["technical_skills"]
    )
    assert "Start with the gap you named (technical or specialist skills):" in text
