"""The example personas of ../shared/personas: each default plan meets its expectations."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from bounceback.api import Bounceback
from bounceback.model import Plan
from conftest import PERSONAS, persona_names


def failures(plan: Plan, expect: dict[str, Any]) -> list[str]:
    topics = [set(step.topics) for step in plan.steps]
    in_plan = set().union(*topics) if topics else set()
    problems = []
    if "first_topic" in expect and (not topics or expect["first_topic"] not in topics[0]):
        problems.append(f"first step lacks {expect['first_topic']}")
    if "top_topics_any" in expect and not set(expect["top_topics_any"]) & set().union(*topics[:3]):
        problems.append(f"none of {expect['top_topics_any']} in the first 3 steps")
    for topic in expect.get("plan_topics_all", []):
        if topic not in in_plan:
            problems.append(f"{topic} missing")
    for topic in expect.get("plan_topics_none", []):
        if topic in in_plan:
            problems.append(f"{topic} present")
    if len(plan.steps) < expect.get("min_steps", 0):
        problems.append(f"only {len(plan.steps)} steps")
    if len({s.category for s in plan.steps}) < expect.get("min_categories", 0):
        problems.append("too few categories")
    return problems


def load_persona(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    read = lambda suffix: tomllib.loads((PERSONAS / f"{name}.{suffix}.toml").read_text("utf-8"))  # noqa: E731
    return read("answers"), read("expect")


@pytest.mark.parametrize("name", persona_names())
def test_persona_expectations(app: Bounceback, name: str) -> None:
    answers, expect = load_persona(name)
    plan = app.plan(answers)
    assert failures(plan, expect) == [], [s.id for s in plan.steps]


def test_plans_differ_across_personas(app: Bounceback) -> None:
    names = persona_names()
    if len(names) < 2:
        pytest.skip("personas folder not available")
    plans = {tuple(s.id for s in app.plan(load_persona(n)[0]).steps) for n in names}
    assert len(plans) == len(names)


def test_the_checker_can_fail(app: Bounceback) -> None:
    if not persona_names():
        pytest.skip("personas folder not available")
    answers, _ = load_persona(persona_names()[0])
    plan = app.plan(answers)
    assert failures(plan, {"plan_topics_all": ["no-such-topic"], "min_steps": 99}) == [
        "no-such-topic missing", f"only {len(plan.steps)} steps"]
