"""Reading a pack's ``[[rules]]``: each rule's fields, its category (a built-in one or one the
pack declares), its references to other rules and the lines of its keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import did_you_mean
from ..model import CATEGORIES, EFFORTS, TIERS, TIMEFRAMES, Rule
from .format import ANSWER_ID, FULL_RULE_ID, RULE, RULE_ID
from .questions import QuestionReader
from .tomlfile import LineIndex

_RULE_KEYS = set(RULE)
#: A rule with every default, whose fields stand in for ones given wrong.
_DEFAULT_RULE = Rule(id="", pack="", category="", title="", why="", actions=())


class RuleReader(QuestionReader):
    """Reads the ``[[rules]]`` of a pack (and, as a :class:`QuestionReader`, its questions)."""

    def __init__(self, source: str, index: LineIndex):
        super().__init__(source, index)
        self.categories: frozenset[str] = frozenset(CATEGORIES)  # and the pack's own, once read

    def _rules(self, entries: Any, pack_id: str) -> Iterable[Rule]:
        for i, line, entry in self._entries(entries, "rules"):
            name = self._string(entry, "id", f"rules[{i}]", line, pattern=RULE_ID)
            where = f"{pack_id}.{name}" if name else f"rules[{i}]"
            self._unknown_keys(entry, _RULE_KEYS, where, line)
            fields = {
                "category": self._category(entry, where, line),
                "title": self._string(entry, "title", where, line),
                "when": self._string(entry, "when", where, line, required=False),
                "strength": self._string(entry, "strength", where, line, required=False),
                "timeframe": self._string(entry, "timeframe", where, line, choices=TIMEFRAMES),
                "effort": self._string(entry, "effort", where, line, choices=EFFORTS),
                "template": self._string(entry, "template", where, line, required=False),
                "tier": self._string(entry, "tier", where, line, required=False, choices=TIERS),
                "plan_effort": self._string(
                    entry, "plan_effort", where, line, required=False, choices=EFFORTS
                ),
            }
            why = self._wording(entry, "why", where, line)
            actions, advice = self._actions(entry, where, line)
            weight = self._number(entry, "weight", where, line)
            if weight is None and "weight" not in entry:
                self.problem(
                    "missing required field 'weight' (importance from 0 to 1)", line, where, "missing-field"
                )
            elif weight is not None and not 0 <= weight <= 1:
                self.problem(
                    f"'weight' must be between 0 and 1, got {weight}",
                    self.index.key("weight", line),
                    where,
                    "range",
                )
            specificity = self._number(entry, "specificity", where, line) or 0.0
            if not 0 <= specificity <= 1:
                self.problem(
                    f"'specificity' must be between 0 (for anyone) and 1 (for this "
                    f"situation only), got {specificity}",
                    self.index.key("specificity", line),
                    where,
                    "range",
                )
            references = {}
            for key in ("after", "excludes", "merges"):
                refs = self._string_list(entry, key, where, line)
                full = tuple(r if "." in r else f"{pack_id}.{r}" for r in refs)
                for ref in full:
                    if not FULL_RULE_ID.match(ref):
                        self.problem(
                            f"{key!r} entry {ref!r} is not a rule id like 'pack.rule'",
                            self.index.key(key, line),
                            where,
                            "bad-id",
                        )
                references[key] = tuple(ref for ref in full if FULL_RULE_ID.match(ref))
            topics = self._string_list(entry, "topics", where, line)
            plan_topics = self._string_list(entry, "plan_topics", where, line)
            sources = self._string_list(entry, "sources", where, line)
            pin = self._bool(entry, "pin", where, line)
            if fields["tier"] is not None and pin != (fields["tier"] != "check-in"):
                self.problem(
                    f"a {fields['tier']!r} step must {'not ' if pin else ''}be pinned "
                    "(crisis and pinned steps are pinned, check-in steps are not)",
                    self.index.key("tier", line),
                    where,
                    "invalid",
                )
            plan_limit = self._count(entry, "plan_limit", where, line)
            plan_actions = self._count(entry, "plan_actions", where, line)
            audience = self._string(entry, "audience", where, line, required=False, pattern=RULE_ID)
            holds = self._words(entry, "holds", where, line, RULE_ID, "an audience word like 'employer'")
            answers = self._words(
                entry, "answers", where, line, ANSWER_ID, "'question.option', e.g. 'open_to.freelance'"
            )
            if name and self._first("rule", name, line, where):
                full_id = f"{pack_id}.{name}"
                if line:
                    self.lines[full_id] = line
                    for key in (
                        "when",
                        "strength",
                        "why",
                        "actions",
                        "template",
                        "after",
                        "excludes",
                        "merges",
                    ):
                        key_line = self.index.key(key, line)
                        if key_line:
                            self.lines[f"{full_id}.{key}"] = key_line
                # A wrong field becomes the model's default: the rule is still checked with the
                # other packs (its names, references, texts), and the pack is refused anyway.
                yield Rule(
                    id=full_id,
                    pack=pack_id,
                    category=fields["category"] or "",
                    topics=topics,
                    title=fields["title"] or "",
                    why=why if why is not None else "",
                    actions=actions,
                    when=fields["when"],
                    strength=fields["strength"],
                    weight=float(weight) if weight is not None and 0 <= weight <= 1 else _DEFAULT_RULE.weight,
                    timeframe=fields["timeframe"] or _DEFAULT_RULE.timeframe,
                    effort=fields["effort"] or _DEFAULT_RULE.effort,
                    template=fields["template"],
                    after=references["after"],
                    excludes=references["excludes"],
                    pin=pin,
                    sources=sources,
                    line=line,
                    plan_limit=plan_limit,
                    tier=fields["tier"],
                    audience=audience,
                    holds=holds,
                    merges=references["merges"],
                    answers=answers,
                    specificity=float(specificity),
                    plan_topics=plan_topics,
                    plan_effort=fields["plan_effort"],
                    plan_actions=plan_actions,
                    advice=advice,
                )

    def _category(self, entry: Mapping[str, Any], where: str, line: int | None) -> str | None:
        """The rule's category: a built-in one, or one the pack declares."""
        category = self._string(entry, "category", where, line, pattern=RULE_ID)
        if category is None or category in self.categories:
            return category
        self.problem(
            f"'category' {category!r} is not a category{did_you_mean(category, self.categories)}: "
            f"use a built-in one ({', '.join(CATEGORIES)}) or declare it in "
            "[pack] categories",
            self.index.key("category", line) or line,
            where,
            "bad-word",
        )
        return None
