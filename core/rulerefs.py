"""The checks on references between rules, run by :class:`~bounceback.rulecheck.RuleSetChecker`:
``after``, ``excludes`` and ``merges`` name other rules that exist, ``after`` forms no cycle,
merged rules share an audience, and two messages to the same audience never share a plan.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from .errors import ProblemLog, did_you_mean
from .model import Pack, Rule, Template
from .ruleset import CompiledRule


def check_references(
    log: ProblemLog, packs: Sequence[Pack], rules: Sequence[CompiledRule], templates: Mapping[str, Template]
) -> None:
    """Record in ``log`` every problem with the references between ``rules``."""
    by_id = {r.rule.id: r.rule for r in rules}
    pack_of = {p.id: p for p in packs}
    for compiled in rules:
        rule = compiled.rule
        pack = pack_of[rule.pack]
        for key in ("after", "excludes", "merges"):
            at = f"{rule.id}.{key}" if pack.line_of(f"{rule.id}.{key}") else rule.id
            for ref in getattr(rule, key):
                if ref == rule.id:
                    log.add(pack, f"{key!r} refers to the rule itself", at, rule.id, "reference")
                elif ref not in by_id:
                    log.add(
                        pack,
                        f"{key!r} refers to unknown rule {ref!r}{_rule_hint(ref, by_id)}",
                        at,
                        rule.id,
                        "reference",
                    )
    _messages(log, pack_of, by_id, templates)
    for cycle in _cycles({rid: [a for a in r.after if a in by_id] for rid, r in by_id.items()}):
        first = by_id[cycle[0]]
        log.add(
            pack_of[first.pack],
            "'after' forms a cycle: " + " -> ".join([*cycle, cycle[0]]),
            first.id,
            first.id,
            "cycle",
        )


def _messages(
    log: ProblemLog, pack_of: Mapping[str, Pack], by_id: Mapping[str, Rule], templates: Mapping[str, Template]
) -> None:
    """Merges join rules written to one audience, and two messages to the same audience
    never share a plan: they are merged, or one excludes the other (DESIGN §6b)."""
    merged: set[frozenset[str]] = set()
    for rule in by_id.values():
        if not rule.merges:
            continue
        pack = pack_of[rule.pack]
        if len(rule.merges) < 2:
            log.add(pack, "'merges' needs at least two rules", rule.id, rule.id, "reference")
        for ref in rule.merges:
            part = by_id.get(ref)
            if part is not None and part.audience != rule.audience:
                log.add(
                    pack,
                    f"'merges' joins {ref!r}, written to {part.audience or 'nobody'}, "
                    f"into a step written to {rule.audience or 'nobody'}: give them "
                    "the same 'audience'",
                    rule.id,
                    rule.id,
                    "audience",
                )
        merged.update(frozenset((a, b)) for a in (rule.id, *rule.merges) for b in rule.merges if a != b)
    messages = sorted(
        (rid, audience)
        for rid, rule in by_id.items()
        if (audience := _writes_to(rule, templates)) is not None
    )
    for n, (first, audience) in enumerate(messages):
        for second, other in messages[n + 1 :]:
            if (
                audience != other
                or frozenset((first, second)) in merged
                or second in by_id[first].excludes
                or first in by_id[second].excludes
            ):
                continue
            rule = by_id[second]
            log.add(
                pack_of[rule.pack],
                f"{first} and {second} are both messages to the "
                f"{audience}: merge them into one step ('merges') or "
                "let one exclude the other",
                rule.id,
                rule.id,
                "same-recipient",
            )


def _writes_to(rule: Rule, templates: Mapping[str, Template]) -> str | None:
    """The audience a rule's draft is a message to (a template with a subject), if any."""
    if rule.audience is None or rule.template is None:
        return None
    template = templates.get(rule.template)
    return rule.audience if template is not None and template.subject is not None else None


def _cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Each cycle of ``graph`` once (as found by a depth-first search), deterministically."""
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def _rule_hint(ref: str, ids: Collection[str]) -> str:
    """A "did you mean" for a rule reference: a rule of the same pack with a close name (the
    shared ``pack.`` prefix alone makes any two ids look alike), else a close id elsewhere."""
    pack = ref.partition(".")[0]
    mine = [rid for rid in ids if rid.startswith(f"{pack}.")]
    return did_you_mean(ref, mine, key=lambda rid: rid.partition(".")[2]) or did_you_mean(
        ref, [rid for rid in ids if rid not in mine]
    )
