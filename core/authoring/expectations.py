"""What a persona's plan must satisfy: the expectation keys of ``NAME.expect.toml``, the
problems of a table of them, and the expectations a plan does not meet."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import BouncebackError, Problem, did_you_mean
from ..results import Plan, Step

if TYPE_CHECKING:
    from ..api import Bounceback

#: How many steps ``top_topics_any`` looks at.
TOP = 3
#: At most this many steps are due "today" when an expectations file does not say
#: ``max_today`` (DESIGN §6b: ``today`` holds at most two steps).
MAX_TODAY = 2

#: Expectation keys and the kind of value each takes (see docs/pack-authoring.md).
EXPECTATIONS: dict[str, str] = {
    "first_topic": "text",  # the first step has this topic
    "top_topics_any": "list",  # at least one of these topics is in the first 3 steps
    "plan_topics_all": "list",  # each of these topics is somewhere in the plan
    "plan_topics_none": "list",  # none of these topics is in the plan
    "min_steps": "count",  # the plan has at least this many steps
    "min_categories": "count",  # the steps span at least this many categories
    "plan_rules_all": "list",  # each of these rule ids is a step of the plan
    "plan_rules_none": "list",  # none of these rule ids is a step of the plan
    "max_steps": "count",  # the plan has at most this many steps
    "max_actions": "count",  # the steps have at most this many actions together
    "max_today": "count",  # at most this many steps are due today (MAX_TODAY if absent)
    "text_none": "regexes",  # no step's text matches any of these (case-insensitive)
    "text_any": "regexes",  # at least one of these matches some step's text
}
_TOPIC_KEYS = ("first_topic", "top_topics_any", "plan_topics_all", "plan_topics_none")
_RULE_KEYS = ("plan_rules_all", "plan_rules_none")


def expectation_problems(
    expect: Mapping[str, Any], *, source: str | None = None, lines: Mapping[str, int] | None = None
) -> list[Problem]:
    """What is wrong with an expectations table: unknown keys, values of the wrong kind."""
    problems: list[Problem] = []
    lines = lines or {}
    for key, value in expect.items():
        kind = EXPECTATIONS.get(key)
        if kind is None:
            problems.append(
                Problem(
                    f"unknown expectation{did_you_mean(key, EXPECTATIONS)}; known: {', '.join(EXPECTATIONS)}",
                    source,
                    lines.get(key),
                    key,
                    "unknown-key",
                )
            )
        elif kind == "text" and not (isinstance(value, str) and value):
            problems.append(
                Problem(f"expected a topic id in quotes, got {value!r}", source, lines.get(key), key, "type")
            )
        elif kind == "list" and not (
            isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        ):
            problems.append(
                Problem(
                    f"expected a list of ids in quotes, got {value!r}", source, lines.get(key), key, "type"
                )
            )
        elif kind == "count" and not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            problems.append(
                Problem(f"expected a whole number ≥ 0, got {value!r}", source, lines.get(key), key, "type")
            )
        elif kind == "regexes":
            if not (isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)):
                problems.append(
                    Problem(
                        f"expected a list of regular expressions in quotes, got {value!r}",
                        source,
                        lines.get(key),
                        key,
                        "type",
                    )
                )
                continue
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    problems.append(
                        Problem(
                            f"{pattern!r} is not a regular expression: {exc}",
                            source,
                            lines.get(key),
                            key,
                            "type",
                        )
                    )
    return problems


def check_expectations(plan: Plan, expect: Mapping[str, Any]) -> list[str]:
    """The expectations of ``expect`` that ``plan`` does not meet, as readable sentences.

    Raises :class:`BouncebackError` if ``expect`` itself is malformed (an unknown key, a value
    of the wrong kind), so a typo can never make a check pass silently.
    """
    problems = expectation_problems(expect)
    if problems:
        raise BouncebackError(problems)
    steps = plan.steps
    failures: list[str] = []
    if "first_topic" in expect:
        wanted = expect["first_topic"]
        if not steps:
            failures.append(f"first_topic: the plan is empty, expected a first step with topic {wanted!r}")
        elif wanted not in steps[0].topics:
            failures.append(
                f"first_topic: the first step {steps[0].id} has topics "
                f"{_list(steps[0].topics)}, not {wanted!r}"
            )
    if "top_topics_any" in expect:
        top = {t for s in steps[:TOP] for t in s.topics}
        if top.isdisjoint(expect["top_topics_any"]):
            failures.append(
                f"top_topics_any: none of {_list(expect['top_topics_any'])} is in the first "
                f"{TOP} steps (their topics: {_list(sorted(top))})"
            )
    topics = set(plan.topics)
    _all_none(failures, "plan_topics", expect, topics, "topics")
    _all_none(failures, "plan_rules", expect, {s.id for s in steps}, "rules")
    if len(steps) < expect.get("min_steps", 0):
        failures.append(
            f"min_steps: the plan has {len(steps)} steps, expected at least {expect['min_steps']}"
        )
    if len(steps) > expect.get("max_steps", len(steps)):
        failures.append(f"max_steps: the plan has {len(steps)} steps, expected at most {expect['max_steps']}")
    actions = sum(len(s.actions) for s in steps)
    if actions > expect.get("max_actions", actions):
        failures.append(
            f"max_actions: the steps have {actions} actions together, expected at most "
            f"{expect['max_actions']}"
        )
    today = [s.id for s in steps if s.timeframe == "today"]
    if len(today) > expect.get("max_today", MAX_TODAY):
        failures.append(
            f"max_today: {len(today)} steps are due today ({_list(today)}), expected at most "
            f"{expect.get('max_today', MAX_TODAY)}"
        )
    categories = sorted({s.category for s in steps})
    if len(categories) < expect.get("min_categories", 0):
        failures.append(
            f"min_categories: the plan spans {len(categories)} categories "
            f"({_list(categories)}), expected at least {expect['min_categories']}"
        )
    failures += _text_failures(plan, expect)
    return failures


def step_texts(step: Step) -> list[str]:
    """What a step says to the person: its title, why, actions and draft."""
    texts = [step.title, step.why, *step.actions]
    if step.draft is not None:
        texts += [step.draft.title, step.draft.subject or "", step.draft.body]
    return texts


def _text_failures(plan: Plan, expect: Mapping[str, Any]) -> list[str]:
    """``text_none``: patterns found in a step (each named with the step and the words
    matched); ``text_any``: none of the patterns found anywhere."""
    failures = []
    texts = [(step.id, text) for step in plan.steps for text in step_texts(step)]
    for pattern in expect.get("text_none", ()):
        regex = re.compile(pattern, re.IGNORECASE)
        found = [
            f"{sid} ({match.group(0)!r})" for sid, text in texts for match in [regex.search(text)] if match
        ]
        if found:
            failures.append(f"text_none: {pattern!r} matches {', '.join(dict.fromkeys(found))}")
    wanted = expect.get("text_any", ())
    if wanted and not any(re.search(p, text, re.IGNORECASE) for p in wanted for _, text in texts):
        failures.append(f"text_any: none of {_list(repr(p) for p in wanted)} matches any step's text")
    return failures


def _all_none(
    failures: list[str], prefix: str, expect: Mapping[str, Any], present: set[str], what: str
) -> None:
    missing = [x for x in expect.get(f"{prefix}_all", ()) if x not in present]
    if missing:
        failures.append(f"{prefix}_all: {what} missing from the plan: {_list(missing)}")
    unwanted = [x for x in expect.get(f"{prefix}_none", ()) if x in present]
    if unwanted:
        failures.append(f"{prefix}_none: {what} that should not be in the plan: {_list(unwanted)}")


def unknown_ids(expect: Mapping[str, Any], app: Bounceback) -> list[str]:
    """Topics and rule ids named in ``expect`` that no loaded rule has (always a mistake)."""
    rules = [r.rule for r in app.ruleset.rules]
    topics = {t for r in rules for t in r.topics}
    rule_ids = {r.id for r in rules}
    found = []
    for key in (*_TOPIC_KEYS, *_RULE_KEYS):
        known = topics if key in _TOPIC_KEYS else rule_ids
        values = expect.get(key, ())
        for value in [values] if isinstance(values, str) else values:
            if value not in known:
                found.append(
                    f"{key}: no loaded rule has {'topic' if key in _TOPIC_KEYS else 'id'} "
                    f"{value!r}{did_you_mean(value, known)}"
                )
    return found


def _list(items: Iterable[str]) -> str:
    items = list(items)
    return ", ".join(items) if items else "(none)"
