"""Counterfactual explanations: the smallest change of answers that changes a rule's fate."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounceback.api import Bounceback
from bounceback.authoring.profiles import ProfileMaker
from bounceback.cli import cli
from bounceback.counterfactual import counterfactual
from helpers import MINIMAL, write_answers, write_pack
from test_engine import make_app, pack_text, rule


def rank_after(app: Bounceback, answers: dict, changes: list[dict], rule_id: str, top: int = 7) -> int | None:
    changed = {**answers, **{c["question"]: c["value"] for c in changes}}
    steps = [s.id for s in app.plan(changed, top=top).steps]
    return steps.index(rule_id) + 1 if rule_id in steps else None


def test_a_boundary_is_found_exactly(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("late", "c1", 0.9, when="days_since_rejection <= 21"),
        rule("doubt", "c2", 0.5, when="career_doubt >= 4"),
        rule("other", "c3", 0.7),
    )
    situation = app.situation(dict(MINIMAL, days_since_rejection=30, career_doubt=2))
    found = counterfactual(app, situation, "t.late", top=7, per_category=2)
    assert found is not None and found.to_dict() == {
        "changes": [{"question": "days_since_rejection", "value": 21}],
        "rank": 1,
        "still_applies": False,
    }
    found = counterfactual(app, situation, "t.doubt", top=7, per_category=2)
    assert found is not None and found.to_dict() == {
        "changes": [{"question": "career_doubt", "value": 4}],
        "rank": 2,
        "still_applies": False,
    }
    assert found.describe(False) == "It would be step 2 of your plan if career_doubt were 4 (it is 2)."


def test_pairs_when_no_single_change_works_and_drops(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("both", "c1", 0.9, when="anxiety >= 4 and motivation <= 2"),
        rule("calm", "c2", 0.5, when="anxiety <= 3"),
    )
    situation = app.situation(MINIMAL)  # anxiety 2, motivation 3
    found = counterfactual(app, situation, "t.both", top=7, per_category=2)
    assert found is not None
    assert {(c.question, c.value) for c in found.changes} == {("anxiety", 4), ("motivation", 2)}
    assert found.rank == 1
    dropped = counterfactual(app, situation, "t.calm", top=7, per_category=2)
    assert dropped is not None and dropped.to_dict() == {
        "changes": [{"question": "anxiety", "value": 4}],
        "rank": None,
        "still_applies": False,
    }
    assert dropped.describe(True) == "It would leave your plan if anxiety were 4 (it is 2)."


def test_a_step_outranked_after_the_change_says_it_would_still_apply(tmp_path: Path) -> None:
    """Newcomer review 31: "It would leave your plan if skill_gaps no longer included
    'interviewing'" beside a condition that reads only interview_confidence: the change lifts
    other steps above it, its own condition still holds."""
    app = make_app(
        tmp_path,
        rule("steady", "c1", 0.5, when="anxiety <= 4"),
        rule("rises", "c2", 0.9, when="anxiety >= 4"),
    )
    situation = app.situation(MINIMAL)  # anxiety 2
    found = counterfactual(app, situation, "t.steady", top=1, per_category=2)
    assert found is not None and found.still_applies and found.rank is None
    assert found.describe(True).endswith(": it would still apply, but other steps would rank above it.")


def test_no_reachable_change_gives_null(tmp_path: Path) -> None:
    app = make_app(tmp_path, rule("big", "c1", 0.9), rule("small", "c2", 0.1, when="anxiety >= 4"))
    situation = app.situation(MINIMAL)
    assert counterfactual(app, situation, "t.small", top=1, per_category=2) is None
    assert counterfactual(app, situation, "t.big", top=1, per_category=2) is None  # reads nothing


def test_changes_stay_valid_answers(tmp_path: Path) -> None:
    """The packs' checks refuse feedback themes with no feedback: the search never proposes it."""
    app = make_app(
        tmp_path,
        rule("themes", "c1", 0.9, when="'experience' in feedback_themes"),
        rule("given", "c2", 0.9, when="feedback_received != 'specific' and 'experience' in feedback_themes"),
    )
    situation = app.situation(MINIMAL)  # feedback_received 'none'
    assert counterfactual(app, situation, "t.themes", top=7, per_category=2) is None
    found = counterfactual(app, situation, "t.given", top=7, per_category=2)
    assert found is not None
    changes = {c.question: c.value for c in found.changes}
    assert changes == {"feedback_received": "generic", "feedback_themes": ("experience",)}
    app.situation({**MINIMAL, **changes})  # valid


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10_000), pick=st.integers(0, 10_000))
def test_the_reported_change_does_what_it_says(app: Bounceback, seed: int, pick: int) -> None:
    situation = next(ProfileMaker(app.questionnaire).situations(1, seed))
    answers = dict(situation.answers)
    rule_id = app.ruleset.rules[pick % len(app.ruleset.rules)].rule.id
    before = rank_after(app, answers, [], rule_id)
    found = counterfactual(app, situation, rule_id, top=7, per_category=2, max_plans=150)
    if found is None:
        return
    data = found.to_dict()
    after = rank_after(app, answers, data["changes"], rule_id)
    assert after == data["rank"]
    assert (before is None) != (after is None)
    assert 1 <= len(data["changes"]) <= 2


def test_explain_shows_it_in_text_and_json(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.toml", dict(MINIMAL, career_doubt=2))
    result = CliRunner().invoke(cli, ["explain", str(answers), "alternatives.reassess"])
    assert result.exit_code == 0, result.output
    assert "career_doubt is 2; needs 4 or more" in result.output
    assert "What would change this:\n  It would be step " in result.output
    assert "if career_doubt were 4 (it is 2)." in result.output
    data = json.loads(
        CliRunner().invoke(cli, ["explain", str(answers), "alternatives.reassess", "--format", "json"]).output
    )
    assert data["counterfactual"]["changes"] == [{"question": "career_doubt", "value": 4}]
    assert isinstance(data["counterfactual"]["rank"], int)


def test_json_null_and_text_when_nothing_is_found(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path / "pack", pack_text(rule("big", "c1", 0.99), rule("small", "c2", 0.01, when="anxiety >= 4"))
    )
    answers = write_answers(tmp_path / "a.toml", MINIMAL)
    args = ["explain", str(answers), "t.small", "--top", "1", "--pack", str(pack), "--no-plugins"]
    data = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert data["in_plan"] is False and data["counterfactual"] is None
    text = CliRunner().invoke(cli, args).output
    assert (
        "What would change this:\n  No change of one or two of the answers it depends on puts it "
        "in your plan" in text
    )


def test_no_change_into_a_safety_tier_is_proposed(app: Bounceback) -> None:
    """Coach review 15: "It would be step 2 of your plan if self_harm_thoughts were yes (it is
    no)", and "step 1 ... if hopelessness were 4", told to calm people. A change that would
    put the person in a safety tier is never a way into a plan, the safety steps' own included."""
    calm = dict(MINIMAL, self_care=3, self_harm_thoughts=False, hopelessness=2, support_people=True)
    situation = app.situation(calm)
    assert app.plan(situation).tier is None
    for rule_id in ("support.crisis-support", "support.professional-help", "self-care.basics"):
        found = counterfactual(app, situation, rule_id, top=7, per_category=2)
        if found is not None:
            changed = {**calm, **{c.question: c.value for c in found.changes}}
            assert app.plan(changed).tier is None, (rule_id, found.describe(False))
    assert counterfactual(app, situation, "support.crisis-support", top=7, per_category=2) is None


def test_no_change_out_of_a_safety_tier_is_proposed(app: Bounceback) -> None:
    """Coach review 16, Anke (crisis) and Hamid (pinned): "It would leave your plan if
    self_harm_thoughts were no (it is yes)", "if hopelessness were 3". No change moves the
    person out of their tier either."""
    for tiered in (
        dict(MINIMAL, self_harm_thoughts=True),
        dict(MINIMAL, hopelessness=5, self_harm_thoughts=False),
    ):
        situation = app.situation(tiered)
        plan = app.plan(situation)
        assert plan.tier is not None
        for step in plan.steps:
            found = counterfactual(app, situation, step.id, top=7, per_category=2, max_plans=400)
            if found is not None:
                changed = {**tiered, **{c.question: c.value for c in found.changes}}
                assert app.plan(changed).tier == plan.tier, (step.id, found.describe(True))


def test_a_change_to_a_multi_answer_says_what_it_adds_or_drops() -> None:
    """Newcomer check 3: "if feedback_themes were 'technical_skills', 'stronger_candidate' (it is
    'stronger_candidate')" is true but hard to read."""
    from bounceback.counterfactual import Change

    before = ("stronger_candidate",)
    assert (
        Change("feedback_themes", ("technical_skills", "stronger_candidate"), before).describe()
        == "feedback_themes also included 'technical_skills'"
    )
    assert Change("skill_gaps", ("tools",), ("tools", "leadership")).describe() == (
        "skill_gaps no longer included 'leadership'"
    )
    assert Change("open_to", (), ("contract",)).describe() == "open_to no longer included 'contract'"
    assert Change("open_to", ("freelance",), ("contract",)).describe() == (
        "open_to were 'freelance' (it is 'contract')"
    )


#: The built-in questions explain never suggests changing: how the person feels and how they are
#: (the sections the crisis and pinned tiers read), and money pressure (the check-in reads it).
FEELINGS_AND_WELLBEING = {
    "disappointment",
    "anger",
    "anxiety",
    "self_doubt",
    "hopelessness",
    "motivation",
    "support_people",
    "self_care",
    "in_support_group",
    "sees_professional",
    "self_harm_thoughts",
    "financial_urgency",
}


def test_how_the_person_feels_is_never_a_lever(app: Bounceback) -> None:
    """Coach review 18: "It would be step 3 of your plan if hopelessness were 5 (it is 4)",
    "if motivation were 1", "would leave your plan if disappointment were 3"."""
    pinned = dict(MINIMAL, hopelessness=4, motivation=2, disappointment=4, self_harm_thoughts=False)
    situation = app.situation(pinned)
    plan = app.plan(situation)
    for rule_id in [s.id for s in plan.steps] + [
        "mindset.small-steps",
        "self-care.basics",
        "mindset.cool-off",
    ]:
        found = counterfactual(app, situation, rule_id, top=7, per_category=2, max_plans=300)
        if found is not None:
            assert not {c.question for c in found.changes} & FEELINGS_AND_WELLBEING, (
                rule_id,
                found.describe(True),
            )
