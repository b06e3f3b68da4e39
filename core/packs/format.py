"""The pack format: the format version this bounceback reads, the shapes of ids, and the
fields of each table.

The field tables (:data:`PACK`, :data:`QUESTION`, :data:`RULE`...) are the one statement of
which fields each entry has, which are required and what their values look like: the reader
takes its allowed keys from them, and the JSON Schema for editors
(:mod:`bounceback.packs.schema`) is generated from them. The reader checks each value by its
kind with its own messages; the tests hold it to these tables (a field marked required is
refused when missing, every built-in pack validates against the schema).
"""

from __future__ import annotations

import re

import attrs

from ..model import CATEGORIES, EFFORTS, KINDS, TIERS, TIMEFRAMES

#: The pack format version this bounceback reads; packs declare the versions they need in their
#: ``engine`` field (``engine = ">=1,<2"``, the TOML name kept for existing packs).
FORMAT_VERSION = 1

PACK_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
RULE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
NAME_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")  # questions, signals, templates: usable in expressions
ANSWER_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")  # "question.option"
FULL_RULE_ID = re.compile(r"^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$")


def format_compatible(spec: str, version: int = FORMAT_VERSION) -> bool | None:
    """Whether ``spec`` (e.g. ``">=1,<2"``) admits ``version``; ``None`` if unparseable."""
    ops = {
        ">=": lambda a, b: a >= b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        "<": lambda a, b: a < b,
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
    }
    for clause in spec.split(","):
        match = re.fullmatch(r"\s*(>=|<=|==|!=|>|<)?\s*(\d+)(?:\.\d+)*\s*", clause)
        if not match:
            return None
        if not ops[match.group(1) or "=="](version, int(match.group(2))):
            return False
    return True


#: A rule reference: ``name`` (this pack's) or ``pack.name``.
RULE_REF = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)?$")

#: Value kinds: text (non-empty), word (one of ``choices``), number, count (whole number
#: ≥ 0), bool, texts (a list of texts), wording (text or variants), actions, table (texts by
#: key), entries (a lookup table's entries). ``pattern`` narrows text, and each text of a list.
FIELD_KINDS = ("text", "word", "number", "count", "bool", "texts", "wording", "actions", "table", "entries")


@attrs.frozen
class Field:
    """One field of a pack entry."""

    kind: str = attrs.field(validator=attrs.validators.in_(FIELD_KINDS))
    help: str
    required: bool = False
    pattern: re.Pattern[str] | None = None
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    #: Values that are usual without being the only ones allowed (editors offer them).
    examples: tuple[str, ...] = ()


PACK = {
    "id": Field(
        "text",
        "The pack id: lower-case letters, digits, '-' or '_'; rule ids start with it.",
        required=True,
        pattern=PACK_ID,
    ),
    "name": Field("text", "The pack's name, for people.", required=True),
    "version": Field("text", 'The pack\'s version, e.g. "0.1.0".', required=True),
    "engine": Field("text", 'The pack formats this pack is written for, e.g. ">=1,<2".'),
    "description": Field("text", "What the pack is for, in a sentence."),
    "categories": Field(
        "texts",
        "Categories this pack adds to the built-in ones "
        f"({', '.join(CATEGORIES)}), for its rules' 'category'.",
        pattern=RULE_ID,
    ),
    "distress_signal": Field(
        "text",
        "The signal that measures how distressed a person is (0 to 1), "
        "for batch screening and the safety tiers.",
        pattern=NAME_ID,
    ),
    "application": Field(
        "texts", "The questions naming the application a plan is about: the role, then the organisation."
    ),
    "person": Field("texts", "The questions naming the person."),
}

QUESTION = {
    "id": Field(
        "text",
        "The question id, the name conditions and placeholders use; start it with the pack's name.",
        required=True,
        pattern=NAME_ID,
    ),
    "section": Field("text", "The questionnaire section it is asked in."),
    "prompt": Field("text", "The question as it is asked.", required=True),
    "kind": Field("word", "What the answer is.", required=True, choices=KINDS),
    "options": Field("texts", "The options of a choice or multi question (ids)."),
    "min": Field("number", "The lowest allowed answer (a scale needs it)."),
    "max": Field("number", "The highest allowed answer (a scale needs it)."),
    "required": Field("bool", "Whether every answers file must answer it (keep pack questions optional)."),
    "help": Field("text", "A hint shown with the question."),
    "labels": Field("table", 'Options in words: option id = "label".'),
    "anchors": Field("table", 'What scale values mean: value = "text"; both ends required.'),
}

RULE = {
    "id": Field(
        "text", "The rule id within the pack (its full id is 'pack.id').", required=True, pattern=RULE_ID
    ),
    "category": Field(
        "text",
        "The step's category; the plan takes at most --per-category from one. "
        "A built-in category, or one the pack declares in [pack] categories.",
        required=True,
        pattern=RULE_ID,
        examples=CATEGORIES,
    ),
    "topics": Field("texts", "Topic ids from the advice catalogue (docs/advice.md)."),
    "title": Field("text", "The step, as an instruction.", required=True),
    "why": Field("wording", "Why this step, to the person, from their answers.", required=True),
    "when": Field("text", "The condition under which the rule applies (condition language)."),
    "weight": Field(
        "number", "How much the advice matters in general, from 0 to 1.", required=True, low=0, high=1
    ),
    "strength": Field("text", "How well it fits this person: an expression from 0 to 1 (default 1)."),
    "timeframe": Field("word", "When the step should happen.", required=True, choices=TIMEFRAMES),
    "effort": Field("word", "How much the step asks of the person.", required=True, choices=EFFORTS),
    "actions": Field(
        "actions", "Concrete actions, each a text, a {when, text} table or variants.", required=True
    ),
    "template": Field("text", "The name of a [templates.NAME] draft shown with the step."),
    "after": Field("texts", "Rules this step comes after when both are in the plan.", pattern=RULE_REF),
    "excludes": Field("texts", "Rules left out of a plan that has this step.", pattern=RULE_REF),
    "merges": Field("texts", "Rules this one replaces with one step when all apply.", pattern=RULE_REF),
    "pin": Field("bool", "Pinned steps come first, whatever their score."),
    "sources": Field("texts", "Where the advice comes from (references, links)."),
    "plan_limit": Field("count", "With this step in the plan, at most this many further steps."),
    "tier": Field("word", "The safety tier this rule is the step of.", choices=TIERS),
    "audience": Field(
        "text",
        'Who the step\'s actions or draft contact, e.g. "employer"; a plan holds one step per audience.',
        pattern=RULE_ID,
    ),
    "holds": Field("texts", "Audiences held back while this step applies.", pattern=RULE_ID),
    "answers": Field(
        "texts", "Options the person may choose that this step answers: 'question.option'.", pattern=ANSWER_ID
    ),
    "specificity": Field(
        "number",
        "How closely the rule is written for one situation, from 0 (for "
        "anyone) to 1 (this situation only): raises the score by up to a quarter.",
        low=0,
        high=1,
    ),
    "plan_topics": Field("texts", "With this pinned step in the plan, further steps keep to these topics."),
    "plan_effort": Field(
        "word", "With this pinned step in the plan, further steps ask at most this effort.", choices=EFFORTS
    ),
    "plan_actions": Field(
        "count", "With this pinned step in the plan, further steps show at most this many actions."
    ),
}

CAPACITY = {
    "id": Field("text", "The entry's id within the pack.", required=True, pattern=RULE_ID),
    "when": Field("text", "When the person has this capacity (condition language).", required=True),
    "steps": Field("count", "At most this many steps besides pinned ones (1 or more).", required=True, low=1),
    "reason": Field(
        "text",
        'Why the plan is kept this short, in a few words to the person ("your energy is low right '
        "now\"): the plan's list for later says so.",
    ),
    "size_only": Field(
        "bool",
        "With true, the entry only sizes the plan: its capacity stays full and effort does not "
        "weigh the scores (someone with less room, not less energy). Default false.",
    ),
}

MIX = {
    "id": Field("text", "The entry's id within the pack.", required=True, pattern=RULE_ID),
    "topics": Field("texts", "A step carrying any of these topics meets the entry.", required=True),
    "when": Field("text", "When the entry applies (condition language); without it, always."),
    "min_steps": Field("count", "It counts for plans of at least this many further steps (default 1)."),
}

TEMPLATE = {
    "title": Field("wording", "The draft's title.", required=True),
    "subject": Field("wording", "The subject line, for a message."),
    "body": Field("wording", "The draft's text.", required=True),
}

CHECK = {
    "id": Field("text", "The check's id within the pack.", required=True, pattern=RULE_ID),
    "when": Field("text", "When the answers contradict each other (condition language).", required=True),
    "message": Field("text", "What to tell the person when they do.", required=True),
}

VARIANT = {
    "when": Field("text", "The condition under which this wording shows; leave it out on the last one."),
    "text": Field("text", "The wording.", required=True),
}

#: An action's variant may also say which advice it gives: a plan shows each advice once.
ACTION_VARIANT = {
    **VARIANT,
    "advice": Field(
        "text",
        "The advice this action gives (a lower-case id shared with other rules' actions): a plan "
        "shows it once, in its highest-ranked step.",
        pattern=RULE_ID,
    ),
}

TABLE = {
    "key": Field("text", "The choice question whose answer picks the entry.", required=True, pattern=NAME_ID),
    "default": Field("text", "The entry used for other answers.", required=True),
    "entries": Field(
        "entries",
        "One [tables.NAME.entries.ID] table per option, each with the same "
        "fields, 'source' and 'checked' included.",
        required=True,
    ),
}

#: The top-level tables of a pack file.
TOP = ("pack", "questions", "checks", "signals", "rules", "templates", "capacity", "mix", "tables")
