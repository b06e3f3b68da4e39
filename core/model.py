"""The domain model going in: questions, packs, rules and the validated answers (a plan and
its steps, coming out, are in :mod:`bounceback.results`).

All classes are frozen attrs classes, so a loaded pack or a computed plan cannot be changed
by accident (a plugin that adjusts a plan returns a new one, see :func:`attrs.evolve`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .tables import Table

#: Question kinds and the Python values their answers hold.
KINDS = ("scale", "choice", "multi", "bool", "number", "text")
#: When a step should happen, in plan order.
TIMEFRAMES = ("today", "this-week", "this-month", "ongoing")
EFFORTS = ("low", "medium", "high")
#: The safety tiers of DESIGN §6c, most urgent first: a rule with a ``tier`` is the step of
#: that tier, and its ``when`` is the tier's trigger.
TIERS = ("crisis", "pinned", "check-in")
CATEGORIES = (
    "mindset",
    "feedback",
    "self-care",
    "support",
    "skills",
    "materials",
    "interview-prep",
    "networking",
    "momentum",
    "alternatives",
)


def normal_word(word: str) -> str:
    """How an answer word is compared with option ids and labels: lower case, with spaces
    and hyphens as ``_`` (``"Final round"`` → ``"final_round"``)."""
    return re.sub(r"[\s\-]+", "_", word.strip().lower())


def _labels(labels: Mapping[str, str]) -> dict[str, str]:
    return dict(labels)


def _anchors(anchors: Mapping[int, str]) -> dict[int, str]:
    return dict(anchors)


@attrs.frozen
class Question:
    """One question of the questionnaire.

    ``labels`` are the options in human words (option id → label; an option without one is
    shown as its id with spaces); ``anchors`` say what the ends of a scale mean (value →
    text). Answers may give an option by its id or its label, in any case.
    """

    id: str
    prompt: str
    kind: str
    section: str = "other"
    options: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    required: bool = False
    help: str = ""
    pack: str = ""
    labels: Mapping[str, str] = attrs.field(factory=dict, converter=_labels, hash=False)
    anchors: Mapping[int, str] = attrs.field(factory=dict, converter=_anchors, hash=False)
    _words: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        words = {normal_word(label): option for option, label in self.labels.items()}
        words.update((normal_word(option), option) for option in self.options)
        object.__setattr__(self, "_words", words)

    def label(self, option: str) -> str:
        """The option in words: its declared label, else its id with spaces."""
        return self.labels.get(option) or option.replace("_", " ")

    def option_for(self, word: str) -> str | None:
        """The option ``word`` names (its id or label, in any case), or ``None``."""
        return word if word in self.options else self._words.get(normal_word(word))

    def anchor_text(self, sep: str = " · ") -> str:
        """What the scale's values mean, e.g. ``"1 = no rush · 5 = I need income within weeks"``
        (empty when the question declares no anchors)."""
        return sep.join(f"{value} = {text}" for value, text in sorted(self.anchors.items()))

    def describe_allowed(self) -> str:
        """What a valid answer looks like, for error messages and prompts."""
        if self.kind == "scale":
            return f"a whole number from {_num(self.min)} to {_num(self.max)}"
        if self.kind == "number":
            bounds = []
            if self.min is not None:
                bounds.append(f"≥ {_num(self.min)}")
            if self.max is not None:
                bounds.append(f"≤ {_num(self.max)}")
            return "a whole number" + (" " + " and ".join(bounds) if bounds else "")
        if self.kind == "choice":
            return "one of: " + ", ".join(self.options)
        if self.kind == "multi":
            return "a list of any of: " + ", ".join(self.options)
        if self.kind == "bool":
            return "true or false"
        return "text"


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


@attrs.frozen
class Variant:
    """One wording of a text field, shown when ``when`` holds (``None``: the fallback)."""

    when: str | None
    text: str


#: A text field of a pack: one string, or variants chosen by condition (the first that holds).
Wording = str | tuple[Variant, ...]


@attrs.frozen
class Template:
    """A draft (an email, a note, a goal sheet) filled from the answers."""

    name: str
    title: Wording
    body: Wording
    subject: Wording | None = None
    pack: str = ""


@attrs.frozen
class Rule:
    """One piece of advice and the conditions under which it is recommended."""

    id: str  # full id: "<pack>.<name>"
    pack: str
    category: str
    title: str
    why: Wording
    actions: tuple[Wording, ...]
    topics: tuple[str, ...] = ()
    when: str | None = None
    strength: str | None = None
    weight: float = 0.5
    timeframe: str = "this-week"
    effort: str = "medium"
    template: str | None = None
    after: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    pin: bool = False
    sources: tuple[str, ...] = ()
    line: int | None = None
    tier: str | None = None
    #: When this rule is in the plan, the rest of the plan holds at most this many further steps.
    plan_limit: int | None = None
    #: Who the step's message or work is for (``"employer"``, ``"recruiter"``...), if anyone.
    audience: str | None = None
    #: Audiences held back by this step while it applies: their steps come with it, after it,
    #: and never ``today`` (the cool-off step holds the employer back).
    holds: tuple[str, ...] = ()
    #: Rules this one replaces with one step and one draft when all of them apply.
    merges: tuple[str, ...] = ()
    #: Options the person may choose that this step answers, as ``"question.option"``.
    answers: tuple[str, ...] = ()
    #: How closely the rule is written for one situation, from 0 (advice for nearly anyone)
    #: to 1 (a step for this situation only): it raises the score by up to :data:`SPECIFIC_BONUS`.
    specificity: float = 0.0
    #: When this rule is in the plan, every further step keeps to these topics (all of its
    #: topics among them; empty: any topic) ...
    plan_topics: tuple[str, ...] = ()
    #: ... asks at most this effort (``None``: any) ...
    plan_effort: str | None = None
    #: ... and shows at most this many of its actions, its first ones (``None``: all).
    plan_actions: int | None = None
    #: ``(action index, advice id)``: the advice an action gives, which a plan shows once, in
    #: its highest-ranked step (the others leave that action out).
    advice: tuple[tuple[int, str], ...] = ()


#: A rule of specificity 1 scores this much more than the same rule written for anyone
#: (``score = weight × strength × (1 + SPECIFIC_BONUS × specificity)``, at most 1).
SPECIFIC_BONUS = 0.25


#: How a limited capacity weighs effort: the score is multiplied by this factor, and the plan then
#: lists low-effort steps first (a medium step's score is at most the lowest low one's).
LOW_CAPACITY_EFFORT = {"low": 1.0, "medium": 0.8, "high": 0.6}


@attrs.frozen(kw_only=True)
class Conditional:
    """What a pack's conditional entries share: a full id (``"<pack>.<name>"``), the pack, the
    ``when`` condition and the source line."""

    id: str
    pack: str
    when: str
    line: int | None = None


@attrs.frozen(kw_only=True)
class Capacity(Conditional):
    """A pack's statement of how many further steps a person can take on (DESIGN §6b).

    When ``when`` holds, the plan holds at most ``steps`` steps besides pinned ones, and the
    scores are weighed by effort (:data:`LOW_CAPACITY_EFFORT`): low effort first; with
    ``size_only``, the entry only sizes the plan (someone with less room, not less energy: the
    capacity stays full and effort does not reorder the plan). ``reason`` says why, to the
    person ("your energy is low right now").
    """

    steps: int
    reason: str | None = None
    size_only: bool = False


@attrs.frozen
class Mix:
    """A pack's statement of what a plan must hold (DESIGN §6b's evidence mix).

    When ``when`` holds (always, without one) and the plan has at least ``min_steps`` steps
    besides pinned ones, at least one step carries one of ``topics``.
    """

    id: str  # full id: "<pack>.<name>"
    pack: str
    topics: tuple[str, ...]
    when: str | None = None
    min_steps: int = 1
    line: int | None = None


@attrs.frozen(kw_only=True)
class Check(Conditional):
    """A consistency check between answers: when ``when`` holds, the answers contradict each
    other and ``message`` says how (an input error naming the questions involved)."""

    message: str


@attrs.frozen
class Pack:
    """A content pack: questions, checks, signals, rules and templates from one TOML file."""

    id: str
    name: str
    version: str
    format_version: str = ""  # the pack format versions it needs: the TOML field `engine`
    description: str = ""
    #: Categories the pack adds to :data:`CATEGORIES` for its rules.
    categories: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    signals: Mapping[str, str] = attrs.field(factory=dict)
    rules: tuple[Rule, ...] = ()
    templates: tuple[Template, ...] = ()
    tables: tuple[Table, ...] = ()
    checks: tuple[Check, ...] = ()
    capacity: tuple[Capacity, ...] = ()
    mix: tuple[Mix, ...] = ()
    path: Path | None = None
    plugin: str = ""  # the plugin that provided it
    lines: Mapping[str, int] = attrs.field(factory=dict, eq=False, repr=False)
    #: The signal that measures how distressed a person is (0 to 1): batch screening and the
    #: cohort summary rank participants by it.
    distress_signal: str = ""
    #: The questions naming the application a plan is about, the role then the organisation:
    #: the plan's heading ("After the Analyst role at Contoso").
    application: tuple[str, ...] = ()
    #: The questions saying whose plan it is: a calendar's entries keep their ids across re-plans.
    person: tuple[str, ...] = ()

    def line_of(self, key: str) -> int | None:
        """The source line of a question, check, signal or rule id (``"signals.x"``,
        ``"checks.pack.name"``), if known."""
        return self.lines.get(key)

    @property
    def source(self) -> str:
        """Where the pack came from, as problems name it: its file, or ``pack ID``."""
        return str(self.path) if self.path else f"pack {self.id}"


@attrs.frozen
class Situation:
    """Validated answers: every question id maps to a value, ``None`` when unanswered.

    Multi-choice answers are tuples (empty when unanswered).
    """

    answers: Mapping[str, Any]

    def get(self, question_id: str) -> Any:
        """The answer to ``question_id`` (``None`` if unanswered or unknown)."""
        return self.answers.get(question_id)
