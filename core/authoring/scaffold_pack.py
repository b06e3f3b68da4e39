"""The example pack a scaffolded project starts with (one question, a signal and two rules,
each section explained in comments) and its two example personas with their expectations."""

from __future__ import annotations

from typing import Any

import tomli_w

from ..packs import FORMAT_VERSION
from .plugin_names import SCHEMA_FILE, Names, pack_dir

EXPECT_HELP = """\
# What the plan for these answers must satisfy (checked by `bounceback packs test` and pytest).
# Keys: first_topic, top_topics_any, plan_topics_all, plan_topics_none, min_steps,
# min_categories, plan_rules_all, plan_rules_none, max_steps, max_actions, max_today (2 when
# absent), text_none, text_any (regular expressions)."""


def example_question(names: Names) -> str:
    """The id of the scaffold's example question."""
    return f"{names.prefix}_experience"


def pack_toml(names: Names) -> str:
    """The example pack: one question, one signal, two rules, each section explained."""
    question = example_question(names)
    gap = f"{names.prefix}_gap"
    sections: list[tuple[str, dict[str, Any]]] = [
        (
            f"#:schema ./{SCHEMA_FILE}\n"
            f"# The {names.title} pack for bounceback (format reference: docs/pack-authoring.md).\n"
            f"# The line above points editors (taplo, Even Better TOML) at the pack format's JSON\n"
            f"# Schema; after upgrading bounceback, refresh it from the project's folder with\n"
            f"# `bounceback packs schema -o {pack_dir(names)}/{SCHEMA_FILE}`.\n"
            "# `engine` is the pack format this pack is written for; bounceback refuses a pack it\n"
            "# cannot read, with a clear message, instead of misreading it.",
            {
                "pack": {
                    "id": names.pack_id,
                    "name": names.title,
                    "version": "0.1.0",
                    "engine": f">={FORMAT_VERSION},<{FORMAT_VERSION + 1}",
                    "description": f"Advice for {names.title.lower()} after an interview rejection.",
                }
            },
        ),
        (
            "# Questions this pack adds to the questionnaire. Ids are shared by all packs, so start\n"
            "# them with the pack's name. Keep them optional: a required question would make every\n"
            "# answers file without it invalid.",
            {
                "questions": [
                    {
                        "id": question,
                        "section": names.prefix,
                        "prompt": "How much experience do you have in the field you are aiming for?",
                        "kind": "choice",
                        "options": ["none", "some", "a_lot"],
                    }
                ]
            },
        ),
        (
            "# Signals: named values in [0, 1] computed from the answers, readable by every rule.\n"
            "# The built-in ones (distress, rawness, stage_depth, network_gap...) are in\n"
            "# `bounceback packs show base`.",
            {"signals": {gap: f"1 if {question} == 'none' else 0.5 if {question} == 'some' else 0"}},
        ),
        (
            "# Rules: each is a step a plan can recommend. `when` says when it applies; its score is\n"
            "# weight × strength (both in [0, 1]); the plan takes the highest scores, at most two\n"
            "# per category. `topics` are ids from bounceback's advice catalogue.",
            {
                "rules": [
                    {
                        "id": "first-project",
                        "category": "skills",
                        "topics": ["gain-experience"],
                        "title": "Build one small project that shows what you can do in this field",
                        "why": "You are new to this field, and the people who interview you want evidence more "
                        "than promises. One small, finished piece of work gives you something concrete "
                        "to show and to talk about in your next interview.",
                        "when": f"{question} != 'a_lot'",
                        "weight": 0.8,
                        "strength": gap,
                        "timeframe": "this-month",
                        "effort": "medium",
                        "actions": [
                            "Pick a task that people in the role you want do every week.",
                            "Do it on your own in two or three weeks, and keep it small enough to finish.",
                            "Write half a page on what you did and why, and link it from your resume.",
                        ],
                    },
                    {
                        "id": "meet-people",
                        "category": "networking",
                        "topics": ["network"],
                        "title": "Talk to two people who already work in this field",
                        "why": "You know few people in this field yet. Twenty minutes with someone who does the "
                        "work tells you what employers look for, and they may hear of openings first.",
                        "when": f"{question} != 'a_lot' and network_contacts_month <= 2",
                        "weight": 0.7,
                        "strength": f"max({gap}, network_gap)",
                        "timeframe": "this-week",
                        "effort": "low",
                        "actions": [
                            "Find two people in the role you want through $[if career_stage == "
                            "'student_or_graduate':lecturers, classmates|if career_stage == 'early_career':former colleagues, "
                            "classmates|former colleagues, clients] "
                            "or a professional association.",
                            "Ask each for a 20-minute chat about their work, not for a job.",
                            "Thank them afterwards, and tell them what you did with their advice.",
                        ],
                    },
                ]
            },
        ),
    ]
    return "\n".join(f"{comment}\n{tomli_w.dumps(data)}" for comment, data in sections)


def example_personas(names: Names) -> tuple[tuple[dict[str, Any], dict[str, Any]], ...]:
    """Two personas ``(answers, expectations)``: one the pack's rules fit, one they do not."""
    question = example_question(names)
    base = {
        "role": "Junior Analyst",
        "stage_reached": "interview",
        "days_since_rejection": 5,
        "disappointment": 3,
        "anger": 2,
        "anxiety": 2,
        "self_doubt": 2,
        "hopelessness": 1,
        "motivation": 3,
        "feedback_received": "generic",
        "network_contacts_month": 1,
        "applications_per_week": 4,
        "support_people": True,
        "self_care": 4,
    }
    rules = [f"{names.pack_id}.first-project", f"{names.pack_id}.meet-people"]
    newcomer = (
        {**base, question: "none"},
        {
            "plan_rules_all": rules,
            "plan_topics_all": ["gain-experience", "network"],
            "plan_topics_none": ["professional-help"],
            "min_steps": 5,
        },
    )
    experienced = ({**base, question: "a_lot"}, {"plan_rules_none": rules, "min_steps": 3})
    return newcomer, experienced
