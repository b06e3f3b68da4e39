"""What planning gives: a plan, its steps and their drafts, the capacity it was sized for, and
the plugins left out (the JSON contract of ``docs/json.md``).

All classes are frozen attrs classes, so a computed plan cannot be changed by accident (a plugin
that adjusts a plan returns a new one, see :func:`attrs.evolve`). Those made for every plan keep
their fields in a ``__dict__`` (``slots=False``): a frozen slotted class sets each field through
``object.__setattr__``, which made building a plan's steps twice as slow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .model import TIMEFRAMES

#: The version of the JSON plan contract (``docs/json.md``).
JSON_SCHEMA_VERSION = 1


@attrs.frozen(slots=False)
class Draft:
    """A ready-to-send text filled from the answers."""

    title: str
    body: str
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        data: dict[str, Any] = {"title": self.title}
        if self.subject is not None:
            data["subject"] = self.subject
        data["body"] = self.body
        return data


@attrs.frozen(slots=False)
class Step:
    """One recommended next step of a plan."""

    id: str
    pack: str
    category: str
    topics: tuple[str, ...]
    title: str
    why: str
    actions: tuple[str, ...]
    timeframe: str
    effort: str
    score: float
    reasons: tuple[str, ...] = ()
    draft: Draft | None = None
    pinned: bool = False
    tier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as documented in ``docs/json.md``."""
        data: dict[str, Any] = {
            "id": self.id,
            "pack": self.pack,
            "category": self.category,
            "topics": list(self.topics),
            "title": self.title,
            "why": self.why,
            "actions": list(self.actions),
            "timeframe": self.timeframe,
            "effort": self.effort,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
        }
        if self.pinned:
            data["pinned"] = True
        if self.tier is not None:
            data["tier"] = self.tier
        if self.draft is not None:
            data["draft"] = self.draft.to_dict()
        return data


@attrs.frozen
class SkippedPlugin:
    """A plugin whose hook raised; the plan was made without it."""

    name: str
    hook: str
    error: str

    def to_dict(self) -> dict[str, str]:
        """JSON form."""
        return {"name": self.name, "hook": self.hook, "error": self.error}


@attrs.frozen(slots=False)
class Load:
    """How much the plan asks of the person: the capacity it was sized for (DESIGN §6b).

    ``level`` is ``"full"`` (the whole ``--top``) or ``"low"``; ``steps`` is the most steps the
    plan holds besides pinned ones; ``because`` names the capacity entries and ``plan_limit``
    rules that set it. A pinned step may also keep the rest of the plan to some ``topics``
    (empty: any), to at most some ``effort`` and to at most some ``actions`` a step (``None``:
    any): the crisis plan's gentle steps. ``reasons`` are the ``reason`` texts of the capacity
    entries that hold, for the person.
    """

    level: str = "full"
    steps: int = 7
    because: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    effort: str | None = None
    actions: int | None = None
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        data: dict[str, Any] = {"level": self.level, "steps": self.steps, "because": list(self.because)}
        if self.topics:
            data["topics"] = list(self.topics)
        if self.effort is not None:
            data["effort"] = self.effort
        if self.actions is not None:
            data["actions"] = self.actions
        if self.reasons:
            data["reasons"] = list(self.reasons)
        return data


@attrs.frozen
class Later:
    """Options the person chose that the plan leaves for later (its places went to what matters
    more now): the ``answers`` (``question.option``), in words (``labels``), and the step that
    answers them (``rule``, ``title``)."""

    answers: tuple[str, ...]
    labels: tuple[str, ...]
    rule: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "answers": list(self.answers),
            "labels": list(self.labels),
            "rule": self.rule,
            "title": self.title,
        }


@attrs.frozen(slots=False)
class Plan:
    """The ranked, phased next-steps plan for one situation."""

    steps: tuple[Step, ...]
    signals: Mapping[str, float | None] = attrs.field(factory=dict)
    packs: tuple[tuple[str, str], ...] = ()
    skipped_plugins: tuple[SkippedPlugin, ...] = ()
    capacity: Load = attrs.field(factory=Load)
    answers: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)
    #: The most urgent safety tier whose trigger holds (:data:`TIERS`), or ``None``.
    tier: str | None = None
    #: The answers that name the application and the person (see :attr:`Pack.application`,
    #: :attr:`Pack.person`), as the loaded packs declare them.
    application: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    person: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    #: At low capacity, the options the person chose that no step of the plan answers, though a
    #: rule for them applies (never in a plan a pinned step keeps to some topics: a crisis plan).
    later: tuple[Later, ...] = ()

    def phases(self) -> list[tuple[str, list[Step]]]:
        """The steps grouped by timeframe (today first), in plan order within each, skipping
        empty phases: what a calendar spreads over time."""
        groups: dict[str, list[Step]] = {t: [] for t in TIMEFRAMES}
        for step in self.steps:
            groups.setdefault(step.timeframe, []).append(step)
        return [(phase, steps) for phase, steps in groups.items() if steps]

    @property
    def topics(self) -> list[str]:
        """Every topic of the plan, in step order, without repeats."""
        return list(dict.fromkeys(t for s in self.steps for t in s.topics))

    def to_dict(self) -> dict[str, Any]:
        """The JSON plan contract (``schema`` 1), documented in ``docs/json.md``."""
        return {
            "schema": JSON_SCHEMA_VERSION,
            "tier": self.tier,
            "steps": [s.to_dict() for s in self.steps],
            "capacity": self.capacity.to_dict(),
            "signals": {k: (None if v is None else round(v, 4)) for k, v in self.signals.items()},
            "packs": [{"id": pid, "version": version} for pid, version in self.packs],
            "skipped_plugins": [p.to_dict() for p in self.skipped_plugins],
            "later": [later.to_dict() for later in self.later],
        }
