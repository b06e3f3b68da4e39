"""Plan composition (DESIGN §6b) over many sampled people: the invariants every plan keeps."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounceback.api import Bounceback
from bounceback.model import Question

NUMBERS = {"days_since_rejection": 60, "rejections_recent": 30, "months_searching": 24,
           "resume_updated_months": 36, "network_contacts_month": 12, "applications_per_week": 15}


def answer(question: Question) -> st.SearchStrategy[Any]:
    """Any valid answer to ``question``."""
    if question.kind == "scale":
        return st.integers(int(question.min or 1), int(question.max or 5))
    if question.kind == "number":
        return st.integers(0, NUMBERS.get(question.id, 10))
    if question.kind == "choice":
        return st.sampled_from(question.options)
    if question.kind == "multi":
        return st.lists(st.sampled_from([o for o in question.options if o != "none"]),
                        max_size=3, unique=True)
    if question.kind == "bool":
        return st.booleans()
    return st.sampled_from(["Sam", "Priya Shah", "Data Analyst"])


@st.composite
def people(draw: st.DrawFn, app: Bounceback) -> dict[str, Any]:
    """A valid set of answers: the required ones, and each optional one three times in four."""
    found = {}
    for question in app.questionnaire.questions:
        if question.required or draw(st.integers(0, 3)):
            found[question.id] = draw(answer(question))
    if found.get("feedback_received") == "none":
        found.pop("feedback_themes", None)
    if found.get("decision") == "offer_withdrawn":
        found["stage_reached"] = "offer_stage"
    if found.get("internal_role") is True:
        found["currently_employed"] = True
    if found.get("decision") == "no_reply" and found.get("feedback_received") == "specific":
        found["feedback_received"] = "none"
        found.pop("feedback_themes", None)
    return found


def check(app: Bounceback, answers: dict[str, Any]) -> None:
    plan = app.plan(answers)
    steps = plan.steps
    rest = [s for s in steps if not s.pinned]
    # Ordered by score after the pinned steps, so the first unpinned step has the highest.
    assert [s.score for s in rest] == sorted((s.score for s in rest), reverse=True)
    assert sum(s.timeframe == "today" for s in steps) <= 2
    low = answers["motivation"] <= 2 or answers["hopelessness"] >= 4 or len(rest) < len(steps)
    assert plan.capacity.level == ("low" if low else "full") or plan.capacity.steps < 7
    if low:
        assert len(rest) <= 4
    rules = {s.id: app.engine.rule(s.id).rule for s in steps}
    messages = [rules[s.id].audience for s in steps
                if s.draft is not None and s.draft.subject is not None and rules[s.id].audience]
    assert len(messages) == len(set(messages)), "two drafts to one recipient"
    holders = [n for n, s in enumerate(steps) if rules[s.id].holds]
    for n, step in enumerate(steps):
        held = [h for h in holders if rules[step.id].audience in rules[steps[h].id].holds]
        if held:
            assert min(held) < n and step.timeframe != "today"
    if answers["anger"] >= 4:
        written = [n for n, s in enumerate(steps) if rules[s.id].audience == "employer"]
        cool = [n for n, s in enumerate(steps) if "acknowledge-feelings" in s.topics]
        assert not written or (cool and min(cool) < min(written))
        assert all(steps[n].timeframe != "today" for n in written)


def test_composition_invariants_over_sampled_people(app: Bounceback) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(people(app))
    def run(answers: dict[str, Any]) -> None:
        check(app, answers)

    run()
