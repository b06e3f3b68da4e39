"""What the built-in packs say is true for the person reading it (DESIGN §6b).

Over a seeded sample of realistic profiles (every question, optional ones sometimes left out),
every step the built-in packs can give, drafts included, is checked for what a coach would
never sign: "None", an unfilled placeholder, "1 months", "0 of your contacts", a time, stage,
intensity or situation word that is false for this person (the wording lint's
:data:`~bounceback.authoring.wordlint.CLAIMS`), a thank-you note that says "disappointed", and a letter
that is not signed with the name or ``[your name]``.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from bounceback import conditions as cond
from bounceback.api import Bounceback
from bounceback.authoring.wordlint import CLAIMS
from bounceback.results import Draft, Step

PROFILES = 400
SEED = 12
TEXTS = {
    "name": ["Sam", "Aisha", "Tomás"],
    "role": ["Data Analyst", "Nurse"],
    "company": ["Lumen Health", "Northwind Traders"],
    "interviewer_name": ["Priya Shah", "Jonas Berg"],
}
COUNTS = {
    "days_since_rejection": 60,
    "rejections_recent": 30,
    "months_searching": 24,
    "resume_updated_months": 36,
    "network_contacts_month": 12,
    "applications_per_week": 15,
}
PLURAL = re.compile(r"\b1 (months|rejections|days|weeks|applications|contacts|interviews|people)\b")
ZERO = re.compile(r"\b0 (of your|months|rejections|applications|contacts|people|days)\b")
LETTER = re.compile(r"\s*(Dear|Hi|Hello)\b")


def profiles(app: Bounceback) -> list[dict[str, Any]]:
    """``PROFILES`` valid, consistent answers drawn with a fixed seed."""
    rng = random.Random(SEED)
    questionnaire = app.ruleset.questionnaire
    out: list[dict[str, Any]] = []
    while len(out) < PROFILES:
        answers: dict[str, Any] = {}
        for q in questionnaire:
            if not q.required and rng.random() < 0.25:
                continue
            if q.kind == "scale":
                answers[q.id] = rng.randint(int(q.min or 1), int(q.max or 5))
            elif q.kind == "number":
                answers[q.id] = rng.randint(0, COUNTS.get(q.id, 10))
            elif q.kind == "choice":
                answers[q.id] = rng.choice(q.options)
            elif q.kind == "multi":
                answers[q.id] = rng.sample([o for o in q.options if o != "none"], rng.randint(0, 3))
            elif q.kind == "bool":
                answers[q.id] = rng.random() < 0.5
            else:
                answers[q.id] = rng.choice(TEXTS.get(q.id, ["something"]))
        if not questionnaire.broken(answers):
            out.append(answers)
    return out


def _texts(step: Step) -> list[tuple[str, str]]:
    texts = [("why", step.why), *(("action", a) for a in step.actions)]
    if step.draft is not None:
        texts += [
            ("draft", step.draft.title),
            ("draft", step.draft.subject or ""),
            ("draft", step.draft.body),
        ]
    return texts


def falsehoods(
    app: Bounceback, answers: dict[str, Any], step: Step, claims: list[tuple[Any, cond.Expression]]
) -> list[str]:
    """What in ``step`` is false or broken for the person who gave ``answers`` (with the plan's
    signals, when a claim reads one)."""
    unfilled = [f"[{q.id.replace('_', ' ')}]" for q in app.ruleset.questionnaire]
    found = []
    for field, text in _texts(step):
        checks = [
            ("None", re.search(r"\bNone\b", text)),
            ("placeholder", "${" in text or "$[" in text),
            # A variant's "|" or "]" left in the text: a nested $[if] that did not parse as meant.
            ("markup", field != "draft" and re.search(r"[|\]]", text)),
            ("unfilled", any(u in text for u in unfilled)),
            ("1 <plural>", PLURAL.search(text)),
            ("0 <things>", ZERO.search(text)),
        ]
        found += [f"{step.id} {field}: {name}: {text!r}" for name, bad in checks if bad]
        for claim, false_when in claims:
            match = claim.words.search(text)
            if match and cond.evaluate(false_when.node, answers) is True:
                found.append(f"{step.id} {field}: {match.group(0)!r} though {claim.false_when}")
    if step.draft is not None:
        if "thank-you-note" in step.topics and re.search("disappoint", step.draft.body, re.I):
            found.append(f"{step.id}: the thank-you note says 'disappointed'")
        if LETTER.match(step.draft.body):
            last = "\n".join(step.draft.body.strip().splitlines()[-2:])
            if answers.get("name", "[your name]") not in last:
                found.append(f"{step.id}: a letter not signed with the name or [your name]")
    return found


def test_every_text_is_true_for_the_person(app: Bounceback) -> None:
    claims = [(c, cond.compile_expression(c.false_when, app.ruleset.types, want=cond.BOOL)) for c in CLAIMS]
    problems: dict[str, str] = {}
    shown: set[str] = set()
    for i, answers in enumerate(profiles(app)):
        plan = app.plan(answers, top=40, per_category=10)
        # A claim may be false for a signal's value (searching_outside == 0), so the claims are
        # judged on the answers and the plan's signals.
        known = {**answers, **plan.signals}
        for step in plan.steps:
            shown.add(step.id)
            for problem in falsehoods(app, known, step, claims):
                problems.setdefault(problem.split(":")[0] + problem.split(":")[1], f"profile {i}: {problem}")
    assert not problems, "\n".join(problems.values())
    # The sample reaches nearly every rule, so the check says something about each of them.
    assert len(shown) >= 0.9 * len(app.ruleset.rules), sorted(
        r.rule.id for r in app.ruleset.rules if r.rule.id not in shown
    )


def test_the_check_finds_what_it_looks_for(app: Bounceback) -> None:
    """The checks themselves can fail: a step that says what the old packs said is caught."""
    claims = [(c, cond.compile_expression(c.false_when, app.ruleset.types, want=cond.BOOL)) for c in CLAIMS]
    answers = {"stage_reached": "application", "days_since_rejection": 24, "disappointment": 2, "name": "Sam"}
    old = Step(
        id="x.y",
        pack="x",
        category="feedback",
        topics=("thank-you-note",),
        title="T",
        why="It's day 24 and the news is recent. After 1 months of searching, you reached 0 of your contacts.",
        actions=("Being gutted is allowed.", "None", "You earned some.| Each reply counts.]"),
        timeframe="today",
        effort="low",
        score=1.0,
        draft=Draft(
            title="Note", body="Dear ${interviewer_name},\nI'm disappointed not to be joining you.\nBest\n"
        ),
    )
    found = falsehoods(app, answers, old, claims)
    assert {f.split(": ")[1] for f in found if ": " in f} >= {"1 <plural>", "0 <things>", "None"}
    assert any("'news is recent' though days_since_rejection > 7" in f for f in found)
    assert any("'gutted' though disappointment <= 3" in f for f in found)
    assert "x.y: the thank-you note says 'disappointed'" in found
    assert "x.y: a letter not signed with the name or [your name]" in found
    assert any(": placeholder: " in f for f in found)
    assert any(": markup: " in f for f in found)


@pytest.mark.parametrize(
    ("answers", "text", "claim"),
    [
        (
            {"career_stage": "student_or_graduate"},
            "Change your headline, not only the one you had.",
            "working life",
        ),
        (
            {"career_stage": "senior"},
            "Lead something small, such as a new starter's first weeks.",
            "early in",
        ),
        ({"currently_employed": False}, "Try it on a real task in your current job.", "has a job now"),
        (
            {"feedback_themes": ["role_cancelled"]},
            "It's natural to wait while one looks this promising.",
            "went to another",
        ),
        ({"decision": "offer_withdrawn"}, "Employers come back to strong runners-up.", "went to another"),
        ({"days_since_rejection": 30}, "Write it down before the details fade.", "last two weeks"),
        ({"decision": "offer_withdrawn"}, "Write about the rejection for 20 minutes.", "not offered"),
        ({"decision": "offer_withdrawn"}, "Apply, and mention that you interviewed before.", "not offered"),
    ],
)
def test_stage_and_situation_words_are_caught(
    app: Bounceback, answers: dict[str, Any], text: str, claim: str
) -> None:
    """A text that presumes a career stage, a job or a role that still exists is caught for the
    people it is false for (DESIGN §6b: text is true for the person)."""
    claims = [(c, cond.compile_expression(c.false_when, app.ruleset.types, want=cond.BOOL)) for c in CLAIMS]
    step = Step(
        id="x.y",
        pack="x",
        category="skills",
        topics=(),
        title="T",
        why=text,
        actions=("Do it.",),
        timeframe="this-week",
        effort="low",
        score=0.5,
    )
    found = falsehoods(app, answers, step, claims)
    assert found and all("though" in f for f in found), found
    assert any(c.what.find(claim) >= 0 and c.words.search(text) for c, _ in claims)


def test_every_step_of_a_full_plan_gives_two_actions(app: Bounceback) -> None:
    """A step is something to do in more than one line: wherever a rule's actions are
    conditional, everyone it applies to gets at least two of them (coach review 20, Deborah and
    Jamal: "Let go of the reasons you can't change" with one action). Plans sized down (low
    capacity, a pinned step keeping the rest gentle) cut actions on purpose and are left out."""
    short: dict[str, str] = {}
    full = 0
    for i, answers in enumerate(profiles(app)):
        plan = app.plan(answers, top=40, per_category=10)
        if plan.capacity.level != "full" or plan.capacity.actions is not None or plan.tier is not None:
            continue
        full += 1
        for step in plan.steps:
            if not step.pinned and len(step.actions) < 2:
                short.setdefault(step.id, f"profile {i}: {step.id}: {step.actions}")
    assert not short, "\n".join(short.values())
    assert full >= 40, full  # the sample holds enough full plans for the check to say something
