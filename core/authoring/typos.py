"""Likely slips in what rules say, found without evaluating anything (warnings, code in brackets):

* ``unknown-topic``: a topic that no other rule of the rule set, no ``[[mix]]`` entry and no
  built-in pack (the advice catalogue) uses, most often a typo (``netwerk``); only a warning,
  since a third-party pack may add a topic of its own;
* ``stray-markup``: a ``]`` or ``|`` left in a rule's ``why`` or an action (any variant) outside
  every ``$[...]`` segment, almost always a segment that did not parse as meant (write ``$]``
  and ``$|`` for the characters themselves).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from pathlib import Path

from ..errors import Problem, did_you_mean
from ..model import Pack, Rule
from ..ruleset import RuleSet
from ..templates import parse, variants


def lint_typos(ruleset: RuleSet, *, packs: Collection[str] | None = None) -> list[Problem]:
    """Warnings about the rules of ``packs`` (pack ids; all packs when ``None``) in ``ruleset``."""
    pack_of = {p.id: p for p in ruleset.packs}
    rules = [c.rule for c in ruleset.rules if packs is None or c.rule.pack in packs]
    return [*_unknown_topics(ruleset, rules, pack_of), *_stray_markup(ruleset, rules, pack_of)]


def _unknown_topics(ruleset: RuleSet, rules: list[Rule], pack_of: dict[str, Pack]) -> Iterator[Problem]:
    uses = Counter(topic for c in ruleset.rules for topic in set(c.rule.topics))
    known = {t for t, n in uses.items() if n > 1} | {t for m in ruleset.mix for t in m.mix.topics}
    known |= {t for c in ruleset.rules if _builtin(pack_of[c.rule.pack]) for t in c.rule.topics}
    for rule in rules:
        for topic in dict.fromkeys(rule.topics):
            if topic not in known:
                yield _problem(
                    pack_of[rule.pack],
                    rule,
                    "topics",
                    f"topic {topic!r} is used by no other rule, no [[mix]] entry and no built-in "
                    f"pack{did_you_mean(topic, sorted(known))}: a typo? (a new topic of your own is fine)",
                    "unknown-topic",
                )


def _stray_markup(ruleset: RuleSet, rules: list[Rule], pack_of: dict[str, Pack]) -> Iterator[Problem]:
    for rule in rules:
        for field, wording in ruleset.by_id[rule.id].wordings(None):
            for variant in variants(wording):
                top = "".join(node for node in parse(variant.text) if isinstance(node, str))
                escaped = variant.text.count("$]") + variant.text.count("$|")
                if top.count("]") + top.count("|") > escaped:
                    yield _problem(
                        pack_of[rule.pack],
                        rule,
                        "actions" if field.startswith("action") else "why",
                        f"{field} has a ']' or '|' outside every $[...] segment, which is shown as "
                        "written: a segment closed too early or not opened? (write $] or $| for the "
                        "character itself)",
                        "stray-markup",
                    )
                    break


def _builtin(pack: Pack) -> bool:
    from ..plugins import PACKS_DIR

    return pack.path is not None and Path(pack.path).resolve().parent == PACKS_DIR.resolve()


def _problem(pack: Pack, rule: Rule, key: str, message: str, code: str) -> Problem:
    line = pack.line_of(f"{rule.id}.{key}") or pack.line_of(rule.id)
    return Problem(message, pack.source, line, rule.id, code)
