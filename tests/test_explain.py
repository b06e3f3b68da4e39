"""Why a rule is in a plan, or why not: `bounceback explain` and `plan --explain`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner, Result

from bounceback import hookimpl
from bounceback.api import Bounceback, load
from bounceback.authoring.profiles import ProfileMaker
from bounceback.cli import cli
from bounceback.decisions import MERGED, beyond_capacity
from bounceback.errors import BouncebackError
from bounceback.results import Load
from bounceback.why import explain_rule, render_text
from conftest import EXAMPLES
from helpers import MINIMAL, write_answers, write_pack
from test_questions import GRADUATES

EXAMPLE = EXAMPLES / "jordan.toml"


@pytest.fixture(scope="module")
def jordan() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text("utf-8"))


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_every_chosen_step_says_why(app: Bounceback, jordan: dict[str, Any]) -> None:
    """Reasons name the answers *and* the pack signals a condition reads."""
    plan = app.plan(jordan, top=50, per_category=50)
    with_signals = [
        s
        for s in plan.steps
        if app.engine.rule(s.id).when is not None and app.engine.rule(s.id).when.names & set(plan.signals)
    ]
    assert with_signals
    assert all(step.reasons for step in plan.steps if app.engine.rule(step.id).when is not None)


def test_a_chosen_rule(app: Bounceback, jordan: dict[str, Any]) -> None:
    plan = app.plan(jordan)
    step = plan.steps[1]
    result = run("explain", str(EXAMPLE), step.id)
    assert result.exit_code == 0, result.output
    rule = app.engine.rule(step.id).rule
    assert result.output.startswith(f"{step.id}: {rule.title}\n")
    assert "In your plan as step 2 (" in result.output
    assert f"Condition: {rule.when}\n  holds, because:\n" in result.output
    assert all(f"    · {reason}\n" in result.output for reason in step.reasons)
    assert f"Score: {step.score:.2f} = weight {rule.weight:.2f} × strength" in result.output


def test_a_failed_condition_names_the_failing_parts(app: Bounceback, tmp_path: Path) -> None:
    answers = write_answers(
        tmp_path / "a.toml", dict(MINIMAL, stage_reached="final_round", sent_thank_you=True)
    )
    result = run("explain", str(answers), "feedback.thank-you")
    assert result.exit_code == 0, result.output
    assert "Not in your plan: its condition does not hold." in result.output
    assert "  does not hold, because:\n    · sent_thank_you is yes; needs no\n" in result.output
    assert "Score: 0, because the condition does not hold" in result.output
    unanswered = run("explain", str(write_answers(tmp_path / "b.toml", MINIMAL)), "feedback.thank-you")
    assert "sent_thank_you is unanswered; needs no" in unanswered.output
    assert "answering it may change this" in unanswered.output


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"top": 1, "per_category": 2}, "ranked below the top 1"),
        ({"top": 50, "per_category": 1}, "1 higher-ranked '"),
        ({"top": 50, "per_category": 50}, "excluded by the higher-ranked "),
    ],
)
def test_dropped_by_a_limit(
    app: Bounceback, jordan: dict[str, Any], options: dict[str, int], reason: str
) -> None:
    answers = dict(
        jordan,
        uses_recruiter=True,
        feedback_received="none",
        feedback_themes=[],
        days_since_rejection=2,
        sent_thank_you=True,
    )
    decisions = app.decisions(answers, **options)
    dropped = sorted(i for i, d in decisions.items() if d.reason.startswith(reason))
    assert dropped
    explanation = explain_rule(app, answers, dropped[0], **options)
    assert not explanation.in_plan and explanation.holds and explanation.score > 0
    assert explanation.reason == decisions[dropped[0]].reason
    assert f"Not in your plan: {explanation.reason}." in render_text(explanation)


def test_cli_options_change_the_verdict(jordan: dict[str, Any]) -> None:
    first = json.loads(run("plan", str(EXAMPLE), "-f", "json", "--top", "1").output)["steps"]
    second_id = json.loads(run("plan", str(EXAMPLE), "-f", "json").output)["steps"][-1]["id"]
    assert second_id not in [s["id"] for s in first]
    assert "ranked below the top 1" in run("explain", str(EXAMPLE), second_id, "--top", "1").output


def test_json_format() -> None:
    rule_id = json.loads(run("plan", str(EXAMPLE), "-f", "json").output)["steps"][0]["id"]
    result = run("explain", str(EXAMPLE), rule_id, "--format", "json")
    data = json.loads(result.output)
    assert data["rule"] == rule_id and data["in_plan"] is True
    assert data["holds"] is True and data["because"] and data["failed"] == []
    expected = data["weight"] * data["strength"] * (1 + data["specificity"] / 4)
    assert data["own_score"] == pytest.approx(min(1, expected), abs=1e-3)
    # The score the plan ranks by is the own score, or a merging step's best part's if higher
    # (the example's notes on the interview merged with decoding the vague reason).
    assert data["score"] >= data["own_score"] - 1e-9
    assert isinstance(data["position"], int)


def test_a_merged_part_has_its_own_score_but_is_not_ranked(app: Bounceback) -> None:
    profiles = ProfileMaker(app.questionnaire).situations(300, seed=3)
    merged = next(
        (situation, d)
        for situation in profiles
        for d in app.decisions(situation).values()
        if d.cause == MERGED
    )
    situation, decision = merged
    explanation = explain_rule(app, situation, decision.rule_id)
    data = explanation.to_dict()
    assert data["score"] == 0 and data["own_score"] > 0
    assert f"Merged into {decision.by}" in render_text(explanation)


@pytest.mark.parametrize(
    ("rule_id", "hint"),
    [
        ("feedback.thank-yu", "(did you mean 'feedback.thank-you'?)"),
        ("thank-you", "(did you mean 'feedback.thank-you'?)"),
        ("nothing.like.it", "unknown rule; rule ids are"),
    ],
)
def test_unknown_rule(rule_id: str, hint: str) -> None:
    result = run("explain", str(EXAMPLE), rule_id)
    assert result.exit_code == 2
    assert f"error: {rule_id}: unknown rule" in result.output and hint in result.output
    assert "Traceback" not in result.output


def test_bad_answers_are_reported_as_for_plan(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.toml", dict(MINIMAL, anger=9))
    result = run("explain", str(answers), "feedback.thank-you")
    assert result.exit_code == 2 and f"{answers}:" in result.output and "anger" in result.output


EXTRA = (
    GRADUATES
    + """
    [[rules]]
    id = "always"
    category = "momentum"
    title = "A rule without a condition"
    why = "Always."
    weight = 0.05
    timeframe = "ongoing"
    effort = "low"
    actions = ["Do it."]

    [[rules]]
    id = "fades"
    category = "support"
    title = "A rule whose strength can be zero"
    why = "Fading."
    when = "graduated_months >= 0"
    strength = "1 - scale(graduated_months, 0, 12)"
    weight = 0.9
    timeframe = "this-week"
    effort = "low"
    actions = ["Do it."]
"""
)


class DropFirst:
    """A plugin that removes the plan's first step after ranking."""

    @hookimpl
    def bounceback_adjust_plan(self, plan: Any, situation: Any) -> Any:
        return attrs.evolve(plan, steps=plan.steps[1:])


def test_rules_without_condition_zero_strength_and_plugin_changes(tmp_path: Path) -> None:
    write_pack(tmp_path / "extra", EXTRA)
    app = load(entry_points=False, packs=[tmp_path / "extra"])
    always = explain_rule(app, MINIMAL, "grads.always", top=50, per_category=50)
    assert always.holds and always.in_plan
    assert "Condition: none, the rule always applies." in render_text(always)
    faded = explain_rule(app, dict(MINIMAL, graduated_months=12), "grads.fades")
    assert faded.holds and faded.score == 0 and faded.reason == "its strength is 0 for these answers"
    assert "strength 0.00 (strength: 1 - scale(graduated_months, 0, 12))" in render_text(faded)

    dropping = load(entry_points=False, extra_plugins=[("drop-first", DropFirst())])
    first = dropping.engine.plan(dropping.situation(MINIMAL)).steps[0].id
    removed = explain_rule(dropping, MINIMAL, first)
    assert not removed.in_plan and removed.adjusted
    assert "A plugin changed the plan after ranking and removed this step." in render_text(removed)


def test_explain_rule_refuses_unknown_ids_in_python(app: Bounceback) -> None:
    with pytest.raises(BouncebackError, match="unknown rule"):
        explain_rule(app, MINIMAL, "nope")


def test_the_top_cut_is_named_when_it_is_smaller_than_a_low_capacity(app: Bounceback) -> None:
    tired = dict(tomllib.loads(EXAMPLE.read_text("utf-8")), motivation=1)
    full = app.plan(tired)
    assert full.capacity.level == "low" and len(full.steps) > 2
    short = {s.id for s in app.plan(tired, top=2).steps}
    dropped = next(s.id for s in full.steps if s.id not in short)
    decision = app.decisions(tired, top=2)[dropped]
    assert decision.cause == "top" and decision.reason.startswith("ranked below the top 2")
    assert app.decisions(tired)[dropped].cause == "chosen"


@pytest.mark.parametrize(
    ("first", "said"),
    [
        ((0, 0), "ranked below the top 7"),
        ((0, 4), "ranked below the top 7; 4 of its places went first to steps for options you chose"),
        ((1, 0), "ranked below the top 7; 1 of its places went first to a safety step"),
        (
            (1, 1),
            "ranked below the top 7; 2 of its places went first: 1 to a safety step and 1 to a step "
            "for an option you chose",
        ),
    ],
)
def test_the_places_taken_first_are_named_as_they_are(first: tuple[int, int], said: str) -> None:
    # Only what took the places is named: no "safety steps" for a plan without one.
    assert beyond_capacity(Load(), 7, 7, first).text == said


def test_a_safety_step_never_asks_for_a_safety_answer(tmp_path: Path) -> None:
    """Coach review 15: "answering it may change this" under the crisis step's unanswered
    self_harm_thoughts reads as an invitation."""
    answers = write_answers(
        tmp_path / "a.toml", {k: v for k, v in MINIMAL.items() if k != "self_harm_thoughts"}
    )
    result = run("explain", str(answers), "support.crisis-support")
    assert result.exit_code == 0, result.output
    assert "self_harm_thoughts is unanswered" in result.output
    assert "answering it may change this" not in result.output


def test_a_ranked_score_other_than_the_rules_own_says_why(app: Bounceback) -> None:
    """Newcomer check: "Score: 0.50 = ..." then "The plan ranks it by 0.73." with nothing
    linking the two numbers. Each cause is named: a merging rule's best part, effort at low
    capacity."""
    jordan = tomllib.loads(EXAMPLE.read_text("utf-8"))
    merged = render_text(explain_rule(app, jordan, "feedback.reflect-and-decode"))
    assert ", the best score of the steps it merges." in merged
    tired = render_text(explain_rule(app, dict(jordan, motivation=1), "skills.tools"))
    assert ", its effort weighed at this capacity." in tired
