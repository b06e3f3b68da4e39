"""Scoring, ranking, category caps, exclusions, pins and phases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bounceback.api import Bounceback, load
from bounceback.model import CATEGORIES
from helpers import MINIMAL, write_pack


def rule(
    rid: str,
    category: str = "mindset",
    weight: float = 0.5,
    timeframe: str = "this-week",
    when: str | None = None,
    strength: str | None = None,
    extra: str = "",
    actions: str = '["one", "two"]',
) -> str:
    lines = [
        "[[rules]]",
        f'id = "{rid}"',
        f'category = "{category}"',
        f'title = "Do {rid}"',
        f'why = "Because {rid}."',
        f"weight = {weight}",
        f'timeframe = "{timeframe}"',
        'effort = "low"',
        f"actions = {actions}",
    ]
    if when:
        lines.append(f'when = "{when}"')
    if strength:
        lines.append(f'strength = "{strength}"')
    return "\n".join(lines) + "\n" + extra + "\n"


def pack_text(*rules: str) -> str:
    """Pack ``t`` holding the rules, declaring the made-up categories they use (c1, same...)."""
    made_up = sorted(set(re.findall(r'category = "([^"]+)"', "".join(rules))) - set(CATEGORIES))
    return (
        f'[pack]\nid = "t"\nname = "Test"\nversion = "1"\ncategories = {json.dumps(made_up)}\n\n'
        + "\n".join(rules)
    )


def make_app(tmp_path: Path, *rules: str) -> Bounceback:
    """The rules in a pack of their own (see :func:`pack_text`)."""
    text = pack_text(*rules)
    write_pack(tmp_path / "pack", text)
    return load(packs=[tmp_path / "pack"], disable=["advice", "safety"], entry_points=False, strict=True)


def ids(app: Bounceback, **kwargs: object) -> list[str]:
    return [s.id for s in app.plan(MINIMAL, **kwargs).steps]


def test_ranked_by_score_then_id(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("b", "c1", 0.5),
        rule("a", "c2", 0.5),
        rule("c", "c3", 0.9),
        rule("d", "c4", 0.7, when="anxiety > 4"),
    )
    assert ids(app) == ["t.c", "t.a", "t.b"]


def test_strength_scales_the_score(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("a", weight=0.8, strength="scale(disappointment, 1, 5)"),
        rule("zero", "other", weight=0.8, strength="hopelessness - 1"),
    )
    plan = app.plan(MINIMAL)  # disappointment 3 -> 0.5; hopelessness 1 -> strength 0
    assert [(s.id, s.score) for s in plan.steps] == [("t.a", 0.4)]


def test_top_and_per_category(tmp_path: Path) -> None:
    app = make_app(
        tmp_path, *(rule(f"r{i}", "same", 0.9 - i / 10) for i in range(4)), rule("other", "different", 0.1)
    )
    assert ids(app) == ["t.r0", "t.r1", "t.other"]
    assert ids(app, per_category=3) == ["t.r0", "t.r1", "t.r2", "t.other"]
    assert ids(app, top=1) == ["t.r0"]
    reasons = {d.rule_id: d.reason for d in app.decisions(MINIMAL).values()}
    assert reasons["t.r2"] == "2 higher-ranked 'same' steps already chosen"
    assert reasons["t.r0"] == "ranked 1 of the plan"
    assert app.decisions(MINIMAL, top=1)["t.other"].reason == "ranked below the top 1"
    causes = {d.rule_id: d.cause for d in app.decisions(MINIMAL, top=2).values()}
    assert causes == {"t.r0": "chosen", "t.r1": "chosen", "t.r2": "top", "t.r3": "top", "t.other": "top"}
    assert app.decisions(MINIMAL)["t.r3"].cause == "category-cap"


def test_excludes_drop_lower_ranked_rules(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("high", "c1", 0.9, extra='excludes = ["low"]'),
        rule("low", "c2", 0.5),
        rule("free", "c3", 0.4),
    )
    assert ids(app) == ["t.high", "t.free"]
    low = app.decisions(MINIMAL)["t.low"]
    assert low.reason == "excluded by the higher-ranked t.high"
    assert (low.cause, low.by) == ("excluded", "t.high")


def test_order_by_score_and_after(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("later", "c1", 0.9, "ongoing"),
        rule("first", "c2", 0.5, "today"),
        rule("needs", "c3", 0.8, "today", extra='after = ["t.week"]'),
        rule("week", "c4", 0.3, "this-week"),
    )
    plan = app.plan(MINIMAL)
    # The most important first; the step another comes after ranks at least as high as it (an
    # important step waits only for what must come first), and the later one moves into its
    # (later) phase, just below it.
    assert [(s.id, s.score) for s in plan.steps] == [
        ("t.later", 0.9),
        ("t.week", 0.8),
        ("t.needs", 0.8),
        ("t.first", 0.5),
    ]
    # Today is for the top of the plan: below an ongoing step, "today" would read backwards;
    # and the most important step starts now: ongoing above steps due sooner, it is this week.
    assert [s.timeframe for s in plan.steps] == ["this-week"] * 4
    assert [phase for phase, _ in plan.phases()] == ["this-week"]
    # Alone at its timeframe or above later ones, the first step keeps its label.
    alone = make_app(
        tmp_path / "alone", rule("month", "c1", 0.9, "this-month"), rule("on", "c2", 0.5, "ongoing")
    )
    assert [s.timeframe for s in alone.plan(MINIMAL).steps] == ["this-month", "ongoing"]


def test_at_most_two_steps_today(tmp_path: Path) -> None:
    app = make_app(tmp_path, *(rule(f"r{i}", f"c{i}", 0.9 - i / 10, "today") for i in range(4)))
    assert [s.timeframe for s in app.plan(MINIMAL).steps] == ["today", "today", "this-week", "this-week"]


def test_pinned_rules_lead_and_ignore_caps(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("a", "c1", 0.9),
        rule("b", "c1", 0.8),
        rule("pin", "c1", 0.1, "ongoing", when="anxiety >= 2", extra="pin = true"),
    )
    plan = app.plan(MINIMAL, top=2, per_category=1)
    assert [s.id for s in plan.steps] == ["t.pin", "t.a"]
    assert plan.steps[0].pinned


def test_steps_carry_reasons_drafts_and_filled_why(tmp_path: Path) -> None:
    extra = 'template = "note"\n'
    text = rule(
        "a", when="feedback_received != 'specific' and days_since_rejection <= 21", extra=extra
    ).replace(
        'why = "Because a."', 'why = "It was ${days_since_rejection} days ago at ${company|the company}."'
    )
    text += '\n[templates.note]\ntitle = "Note"\nsubject = "Re: ${role|the role}"\nbody = "Dear ${interviewer_name|hiring team}, $$5"\n'
    app = make_app(tmp_path, text)
    step = app.plan(dict(MINIMAL, role="{0.__class__}")).steps[0]
    assert step.why == "It was 5 days ago at the company."
    assert step.reasons == ("feedback_received = 'none' (≠ 'specific')", "days_since_rejection = 5 (≤ 21)")
    assert step.draft is not None
    assert step.draft.subject == "Re: {0.__class__}"
    assert step.draft.body == "Dear hiring team, $5\n"


def test_same_inputs_give_identical_plans(app: Bounceback) -> None:
    first = app.render(app.plan(MINIMAL), "json")
    assert all(app.render(app.plan(dict(MINIMAL)), "json") == first for _ in range(3))


def test_options_are_validated() -> None:
    from bounceback.engine import Options

    with pytest.raises(ValueError):
        Options(top=0)


def test_plan_limit_keeps_the_rest_of_the_plan_short(tmp_path: Path) -> None:
    others = [rule(f"r{i}", f"c{i}", 0.9 - i / 10) for i in range(5)]
    app = make_app(
        tmp_path, *others, rule("pin", "safety", 0.2, when="anxiety >= 2", extra="pin = true\nplan_limit = 2")
    )
    plan = app.plan(MINIMAL)
    assert [s.id for s in plan.steps] == ["t.pin", "t.r0", "t.r1"]
    assert plan.capacity.to_dict() == {"level": "low", "steps": 2, "because": ["t.pin"]}
    assert app.decisions(MINIMAL)["t.r2"].reason == "the plan holds 2 further steps at this capacity (t.pin)"
    assert app.decisions(MINIMAL)["t.r2"].cause == "capacity"
    # An unpinned step with a plan limit allows that many steps after it.
    app = make_app(tmp_path, *others[1:], rule("r0", "c0", 0.9, extra="plan_limit = 1"))
    assert ids(app) == ["t.r0", "t.r1"]
    assert app.plan(MINIMAL).capacity.level == "full"


def test_low_energy_gets_four_further_steps_low_effort_first(tmp_path: Path) -> None:
    medium = rule("hard", "c9", 0.85).replace('effort = "low"', 'effort = "medium"')
    app = make_app(tmp_path, medium, *(rule(f"r{i}", f"c{i}", 0.8 - i / 50) for i in range(6)))
    calm = app.plan(MINIMAL)
    assert len(calm.steps) == 7 and calm.steps[0].id == "t.hard"
    assert calm.capacity.to_dict() == {"level": "full", "steps": 7, "because": []}
    tired = app.plan(dict(MINIMAL, motivation=2))
    assert tired.capacity.to_dict() == {
        "level": "low",
        "steps": 4,
        "because": ["base.low-energy"],
        "reasons": ["your energy is low right now"],
    }
    assert [s.id for s in tired.steps] == ["t.r0", "t.r1", "t.r2", "t.r3"]
    assert app.decisions(dict(MINIMAL, hopelessness=4))["t.hard"].score == pytest.approx(0.85 * 0.8)
    # Chosen at low capacity, a medium step is listed after every low one, its score capped.
    few = app.plan(dict(MINIMAL, motivation=2), top=2)
    assert [(s.id, s.score) for s in few.steps] == [("t.r0", 0.8), ("t.r1", 0.78)]
    bigger = make_app(
        tmp_path / "b",
        rule("hard", "c9", 1.0).replace('effort = "low"', 'effort = "medium"'),
        rule("easy", "c1", 0.5),
    )
    steps = bigger.plan(dict(MINIMAL, motivation=2)).steps
    assert [(s.id, s.score) for s in steps] == [("t.easy", 0.5), ("t.hard", 0.5)]
    assert app.plan(MINIMAL, top=3).capacity.steps == 3


def test_a_held_audience_comes_after_its_holder_and_never_today(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("write", "c1", 0.9, "today", extra='audience = "employer"'),
        rule("calm", "c2", 0.2, "today", when="anger >= 4", extra='holds = ["employer"]'),
        *(rule(f"r{i}", f"d{i}", 0.5) for i in range(6)),
    )
    assert ids(app)[0] == "t.write"  # nothing held back: calm does not apply
    angry = app.plan(dict(MINIMAL, anger=4))
    order = [s.id for s in angry.steps]
    assert order.index("t.calm") < order.index("t.write") and len(order) == 7
    write = angry.steps[order.index("t.write")]
    assert (write.timeframe, write.score) == ("this-week", 0.2)  # ranked just below its holder
    # No room for both: the held step is left out.
    held = app.decisions(dict(MINIMAL, anger=4), top=1)["t.write"]
    assert held.reason.startswith("held back by t.calm") and (held.cause, held.by) == ("held-back", "t.calm")


def test_merged_steps_and_answered_options(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("thank", "c1", 0.7, extra='audience = "employer"'),
        rule("ask", "c2", 0.6, when="anxiety >= 3", extra='audience = "employer"'),
        rule("both", "c3", 0.1, extra='audience = "employer"\nmerges = ["thank", "ask"]'),
        rule("study", "same", 0.1, extra='answers = ["open_to.further_education"]'),
        rule("s1", "same", 0.9),
        rule("s2", "same", 0.8),
    )
    assert ids(app) == ["t.s1", "t.s2", "t.thank"]  # ask does not apply: no merge
    both = app.decisions(MINIMAL)["t.both"]
    assert (both.cause, both.reason) == ("merge-incomplete", "it merges t.ask, which does not apply")
    assert app.decisions(MINIMAL)["t.ask"].cause == "not-applying"
    parts = app.decisions(dict(MINIMAL, anxiety=3))
    assert {(parts[p].cause, parts[p].by) for p in ("t.thank", "t.ask")} == {("merged", "t.both")}
    merged = app.plan(dict(MINIMAL, anxiety=3))
    assert [(s.id, s.score) for s in merged.steps] == [("t.s1", 0.9), ("t.s2", 0.8), ("t.both", 0.7)]
    chose = [s.id for s in app.plan(dict(MINIMAL, open_to=["further_education"])).steps]
    assert chose == ["t.s1", "t.thank", "t.study"]  # the cap never drops it: it takes s2's place


def test_one_step_per_audience_and_a_merged_step_stands_for_its_parts(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("ask", "c1", 0.9, extra='audience = "manager"'),
        rule("tell", "c2", 0.8, extra='audience = "manager"'),
        rule("other", "c3", 0.7, extra='audience = "recruiter"'),
        rule("thank", "c4", 0.6, extra='audience = "employer"'),
        rule("request", "c5", 0.5, extra='audience = "employer"'),
        rule("both", "c6", 0.1, extra='audience = "employer"\nmerges = ["thank", "request"]'),
        rule("via", "c7", 0.95, extra='audience = "agent"\nexcludes = ["request"]'),
    )
    assert ids(app) == ["t.via", "t.ask", "t.other", "t.thank"]
    decisions = app.decisions(MINIMAL)
    tell = decisions["t.tell"]
    assert (tell.cause, tell.by) == ("same-audience", "t.ask") and "one message per recipient" in tell.reason
    # A rule ranked at least as high that excludes a part stops the merge: the parts stand alone.
    both = decisions["t.both"]
    assert (both.cause, both.by, both.reason) == (
        "merge-incomplete",
        "t.via",
        "t.via excludes its part t.request",
    )
    assert (decisions["t.request"].cause, decisions["t.request"].by) == ("excluded", "t.via")


def test_a_category_with_an_owed_step_has_one_more_place_only_for_new_topics(tmp_path: Path) -> None:
    def owed(option: str, topic: str) -> str:
        return f'answers = ["open_to.{option}"]\ntopics = ["{topic}"]'

    app = make_app(
        tmp_path,
        rule("study", "same", 0.3, extra=owed("further_education", "enhance-skills")),
        rule("other", "same", 0.2, extra=owed("other_industry", "enhance-skills")),
        rule("more", "same", 0.1, extra=owed("freelance", "enhance-skills")),
        rule("new", "same", 0.07, extra='topics = ["gain-experience"]'),
        rule("last", "same", 0.05, extra=owed("contract", "gain-experience")),
        rule("s1", "same", 0.9, extra='topics = ["enhance-skills"]'),
        rule("s2", "else", 0.8),
    )
    chosen = dict(MINIMAL, open_to=["further_education", "other_industry", "freelance", "contract"])
    # study and other take the category's two places; its one more place is for a topic they
    # don't give: not more (the same topic), but last (owed steps come first), and then none.
    assert sorted(s.id for s in app.plan(chosen).steps) == ["t.last", "t.other", "t.s2", "t.study"]
    decisions = app.decisions(chosen)
    assert decisions["t.more"].reason.endswith("is for a step on topics its steps do not cover yet")
    assert decisions["t.s1"].cause == decisions["t.new"].cause == "category-cap"
    assert decisions["t.new"].reason.startswith("3 higher-ranked 'same' steps")


def test_a_plan_gives_each_advice_once_in_its_highest_ranked_step(tmp_path: Path) -> None:
    def gives(text: str, when: str = "") -> str:
        return "{" + (f'when = "{when}", ' if when else "") + f'text = "{text}", advice = "money-help"' + "}"

    app = make_app(
        tmp_path,
        rule("hidden", "c1", 0.95, actions=f'["Rest.", {gives("Benefits too.", "anxiety >= 5")}]'),
        rule("high", "c2", 0.9, actions=f'["Talk to someone.", {gives("Ask about benefits.")}]'),
        rule(
            "low",
            "c3",
            0.5,
            actions=f'[[{gives("Check your benefits.", "anxiety >= 2")}], "Find quick work."]',
        ),
    )
    shown = {s.id: s.actions for s in app.plan(MINIMAL).steps}
    # The hidden step's money action does not show, so it gives no money advice; the next one
    # does, and the lower-ranked step leaves its own out.
    assert shown == {
        "t.hidden": ("Rest.",),
        "t.high": ("Talk to someone.", "Ask about benefits."),
        "t.low": ("Find quick work.",),
    }
    alone = {s.id: s.actions for s in app.plan(MINIMAL, top=1).steps}
    assert alone == {"t.hidden": ("Rest.",)}
    assert {s.id: s.actions for s in app.plan(dict(MINIMAL, anxiety=5)).steps}["t.high"] == (
        "Talk to someone.",
    )


def test_an_action_advice_is_checked(tmp_path: Path) -> None:
    from bounceback.authoring.validation import validate_packs

    text = (
        '[pack]\nid = "t"\nname = "Test"\nversion = "1"\n\n'
        + rule("every", actions='[{text = "One.", advice = "money"}]')
        + rule("bad", actions='["One.", {text = "Two.", advice = "Money Help"}]')
        + rule(
            "mixed",
            actions='["One.", [{when = "anxiety > 3", text = "A.", advice = "a"}, {text = "B.", advice = "b"}]]',
        )
    )
    messages = [p.message for p in validate_packs([write_pack(tmp_path, text)], entry_points=False).problems]
    assert any("every action names an 'advice'" in m for m in messages), messages
    assert sum("'advice' must be one lower-case id for the whole action" in m for m in messages) == 2, (
        messages
    )


def test_two_messages_to_one_recipient_are_refused(tmp_path: Path) -> None:
    from bounceback.authoring.validation import validate_packs

    note = '[templates.note]\ntitle = "Note"\nsubject = "Hi"\nbody = "Hello"\n'
    text = (
        '[pack]\nid = "t"\nname = "Test"\nversion = "1"\n\n'
        + note
        + "\n"
        + rule("a", extra='audience = "employer"\ntemplate = "note"')
        + rule("b", extra='audience = "employer"\ntemplate = "note"\nanswers = ["open_to.nothing"]')
    )
    messages = [p.message for p in validate_packs([write_pack(tmp_path, text)], entry_points=False).problems]
    assert any("t.a and t.b are both messages to the employer" in m for m in messages)
    assert any("open_to has no option 'nothing'" in m for m in messages)


def test_a_pinned_step_keeps_the_rest_of_the_plan_gentle(tmp_path: Path) -> None:
    gentle = 'topics = ["calm"]'
    app = make_app(
        tmp_path,
        rule(
            "pin",
            "safety",
            0.2,
            when="anxiety >= 2",
            extra='pin = true\nplan_limit = 2\nplan_topics = ["calm"]\nplan_effort = "low"\nplan_actions = 1',
        ),
        rule("big", "c1", 0.9, extra=gentle).replace('effort = "low"', 'effort = "medium"'),
        rule("other", "c2", 0.8, extra='topics = ["calm", "work"]'),
        *(rule(f"g{i}", f"d{i}", 0.5 - i / 10, extra=gentle) for i in range(3)),
    )
    plan = app.plan(MINIMAL)
    assert [s.id for s in plan.steps] == ["t.pin", "t.g0", "t.g1"]
    assert [len(s.actions) for s in plan.steps] == [2, 1, 1]  # the pinned step keeps all its own
    assert plan.capacity.to_dict() == {
        "level": "low",
        "steps": 2,
        "because": ["t.pin"],
        "topics": ["calm"],
        "effort": "low",
        "actions": 1,
    }
    kept = app.decisions(MINIMAL)
    assert (kept["t.big"].cause, kept["t.big"].by) == ("kept-out", "t.pin")
    assert kept["t.other"].reason == "t.pin keeps the rest of the plan to low-effort steps and steps on calm"
    # Without the pinned step, nothing is kept out.
    assert [s.id for s in app.plan(dict(MINIMAL, anxiety=1), top=3).steps] == ["t.big", "t.other", "t.g0"]


def mix_app(tmp_path: Path, *rules: str, mix: str = "") -> Bounceback:
    return make_app(tmp_path, *rules, '[[mix]]\nid = "skill"\ntopics = ["skill"]\nmin_steps = 3\n' + mix)


def test_the_evidence_mix_swaps_in_the_step_a_plan_misses(tmp_path: Path) -> None:
    others = [rule(f"r{i}", f"c{i}", 0.9 - i / 10, extra='topics = ["x"]') for i in range(4)]
    skill = rule("s", "c9", 0.4, extra='topics = ["skill"]')  # over half the step it displaces
    app = mix_app(tmp_path, *others, skill)
    assert ids(app, top=3) == ["t.r0", "t.r1", "t.s"]  # the lowest-ranked step gave its place
    swapped = app.decisions(MINIMAL, top=3)
    assert (swapped["t.r2"].cause, swapped["t.r2"].by) == ("displaced", "t.s")
    assert swapped["t.s"].reason == "ranked 3 of the plan: a plan of 3+ steps needs one (t.skill)"
    assert ids(app, top=2) == ["t.r0", "t.r1"]  # a plan shorter than min_steps needs none
    assert ids(app) == ["t.r0", "t.r1", "t.r2", "t.r3", "t.s"]  # room left: nothing displaced
    # A step for a chosen option is never displaced: the next lowest-ranked one is.
    owed = rule("r2", "c2", 0.7, extra='topics = ["x"]\nanswers = ["open_to.further_education"]')
    app = mix_app(tmp_path, others[0], others[1], owed, others[3], skill)
    chose = dict(MINIMAL, open_to=["further_education"])
    assert [s.id for s in app.plan(chose, top=3).steps] == ["t.r0", "t.r2", "t.s"]


def test_options_keep_all_but_the_free_places_of_a_plan(tmp_path: Path) -> None:
    def owed(rid: str, weight: float, option: str) -> str:
        return rule(rid, f"c{rid}", weight, extra=f'answers = ["open_to.{option}"]')

    options = [
        owed("o1", 0.5, "further_education"),
        owed("o2", 0.4, "contract"),
        owed("o3", 0.3, "freelance"),
    ]
    small = [rule(f"s{i}", f"d{i}", 0.8 - i / 10) for i in range(3)]
    low = '[[capacity]]\nid = "low"\nwhen = "motivation <= 2"\nsteps = 4\n'
    app = make_app(tmp_path, *options, *small, low)
    chose = dict(MINIMAL, open_to=["further_education", "contract", "freelance"])
    # Full capacity: every option keeps its place, beside the most important step and the next;
    # in a plan of four, options keep half the places and the third waits for later.
    calm = dict(chose, motivation=4)
    assert [s.id for s in app.plan(calm, top=5).steps] == ["t.s0", "t.s1", "t.o1", "t.o2", "t.o3"]
    four = app.plan(calm, top=4)
    assert [s.id for s in four.steps] == ["t.s0", "t.s1", "t.o1", "t.o2"]
    assert [later.rule for later in four.later] == ["t.o3"]
    # Low capacity comes first (DESIGN §6b): the two best options keep theirs, the rest by score.
    assert [s.id for s in app.plan(dict(chose, motivation=1)).steps] == ["t.s0", "t.s1", "t.o1", "t.o2"]
    held = app.decisions(dict(chose, motivation=1))
    assert held["t.o3"].cause == "capacity" and held["t.o1"].reason.endswith("it answers an option you chose")
    # A safety-tier step takes a place first: the options keep all but the free places of those
    # it leaves (at least half of them are free: one of three).
    tiered = rule("check", "care", 0.9, when="anxiety >= 4", extra='tier = "check-in"')
    app = make_app(tmp_path, *options, *small, tiered, low)
    steps = app.plan(dict(chose, motivation=1, anxiety=4)).steps
    assert [s.id for s in steps] == ["t.check", "t.s0", "t.o1", "t.o2"]


def test_the_most_important_step_keeps_its_place_beside_steps_for_options(tmp_path: Path) -> None:
    def owed(rid: str, weight: float, option: str) -> str:
        return rule(rid, f"c{rid}", weight, extra=f'topics = ["x"]\nanswers = ["open_to.{option}"]')

    need = rule("need", "c9", 0.95, extra='topics = ["x"]')
    options = [
        owed("o1", 0.8, "further_education"),
        owed("o2", 0.6, "contract"),
        owed("o3", 0.4, "freelance"),
    ]
    chose = dict(MINIMAL, open_to=["further_education", "contract", "freelance"])
    app = make_app(tmp_path, need, *options)
    # Three options and three places: the strongest need takes its place by score, and the
    # lowest-scored option gives way (it would otherwise be crowded out by the options).
    assert [s.id for s in app.plan(chose, top=3).steps] == ["t.need", "t.o1", "t.o2"]
    decisions = app.decisions(chose, top=3)
    assert decisions["t.need"].reason.endswith("your most important step besides those for options you chose")
    assert decisions["t.o3"].cause == "top"
    # Never displaced by the evidence mix: with the options kept too, the plan goes without it.
    app = mix_app(tmp_path, need, *options, rule("s", "c8", 0.35, extra='topics = ["skill"]'))
    assert [s.id for s in app.plan(chose, top=3).steps] == ["t.need", "t.o1", "t.o2"]
    assert ids(app, top=3) == ["t.need", "t.o1", "t.s"]  # without options, the lowest-ranked step gives way
    # A need that rules out an option gives way to it; the next need is the most important.
    app = make_app(
        tmp_path, rule("need", "c9", 0.95, extra='excludes = ["o2"]'), rule("next", "c7", 0.9), *options
    )
    assert [s.id for s in app.plan(chose, top=3).steps] == ["t.next", "t.o1", "t.o2"]


@pytest.mark.parametrize("field", ['holds = ["employer"]', 'audience = "employer"'])
def test_the_evidence_mix_never_displaces_a_cool_off_or_a_message(tmp_path: Path, field: str) -> None:
    top, kept = rule("top", "c1", 0.9, extra='topics = ["x"]'), rule("kept", "c2", 0.5, extra=field)
    app = mix_app(
        tmp_path, top, kept, rule("r", "c3", 0.8), rule("s", "c9", 0.45, extra='topics = ["skill"]')
    )
    # The lowest-ranked step holds audiences back or writes to one: the next one up gives way.
    assert sorted(ids(app, top=3)) == ["t.kept", "t.s", "t.top"]


def test_the_evidence_mix_keeps_the_category_cap(tmp_path: Path) -> None:
    others = [rule(f"f{i}", "full", 0.9 - i / 10, extra='topics = ["x"]') for i in range(2)]
    others.append(rule("g", "else", 0.75, extra='topics = ["x"]'))
    best = rule("best", "full", 0.45, extra='topics = ["skill"]')
    room = rule("room", "other", 0.4, extra='topics = ["skill"]')
    # 'full' has its two steps: the mix takes the skill step of a category with room left.
    assert ids(mix_app(tmp_path, *others, best, room), top=3) == ["t.f0", "t.f1", "t.room"]
    # With no other, never a third place in its category: the cap holds. A larger plan's entry
    # then goes without rather than swap a step of the category chosen for the person (coach
    # review 20, Tarun); a need of the person (an entry for every plan) takes the place of the
    # lowest-ranked step of its own category.
    assert ids(mix_app(tmp_path, *others, best), top=3) == ["t.f0", "t.f1", "t.g"]
    need = '[[mix]]\nid = "need"\ntopics = ["skill"]\n'
    assert ids(make_app(tmp_path / "need", *others, best, need), top=3) == ["t.f0", "t.g", "t.best"]
    assert ids(make_app(tmp_path / "need4", *others, best, need), top=4) == ["t.f0", "t.g", "t.best"]


def test_an_evidence_mix_entry_with_a_condition_applies_only_when_it_holds(tmp_path: Path) -> None:
    others = [rule(f"r{i}", f"c{i}", 0.9 - i / 10) for i in range(3)]
    app = make_app(
        tmp_path,
        *others,
        rule("friend", "c9", 0.1, extra='topics = ["people"]'),
        '[[mix]]\nid = "people"\ntopics = ["people"]\nwhen = "support_people == False"\n',
    )
    assert ids(app, top=3) == ["t.r0", "t.r1", "t.r2"]
    alone = [s.id for s in app.plan(dict(MINIMAL, support_people=False), top=3).steps]
    assert alone == ["t.r0", "t.r1", "t.friend"]


def test_specificity_raises_the_ranked_score(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        rule("generic", "c1", 0.6),
        rule("specific", "c2", 0.5, extra="specificity = 1"),
        rule("top", "c3", 0.9, extra="specificity = 1"),
    )
    plan = app.plan(MINIMAL)
    assert [(s.id, s.score) for s in plan.steps] == [
        ("t.top", 1.0),
        ("t.specific", 0.625),
        ("t.generic", 0.6),
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("specificity = 2", "'specificity' must be between 0 (for anyone) and 1"),
        ('plan_effort = "huge"', "plan_effort"),
        ("plan_actions = -1", "'plan_actions' must be a whole number"),
        ('[[mix]]\nid = "m"\nmin_steps = 4', "missing required field 'topics'"),
        ('[[mix]]\nid = "m"\ntopics = ["x"]\nwhen = "nonsense > 1"', "nonsense"),
        ('[[mix]]\nid = "m"\ntopics = ["x"]\nsize = 1', "size"),
    ],
)
def test_composition_fields_are_checked(tmp_path: Path, extra: str, message: str) -> None:
    from bounceback.authoring.validation import validate_packs

    text = '[pack]\nid = "t"\nname = "Test"\nversion = "1"\n\n' + rule("a", extra=extra)
    problems = validate_packs([write_pack(tmp_path, text)], entry_points=False).problems
    assert any(message in p.message for p in problems), [p.message for p in problems]
