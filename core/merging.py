"""Merged steps (DESIGN §6b: one message per recipient): a rule that ``merges`` others stands
in for them when all of them apply, so a thank-you and a feedback request to one interviewer
are one email with one draft."""

from __future__ import annotations

from .ruletables import RuleTables


def merged(tables: RuleTables, scores: tuple[float, ...]) -> tuple[float, ...]:
    """``scores`` with each merging rule applying only when all its parts do, with the best of
    their scores, and then replacing them (they no longer apply on their own); not when a rule
    that applies with at least that score excludes one of its parts (:func:`merge_blocker`):
    the parts then stand on their own, and that rule keeps out the part it excludes."""
    if not tables.merges:
        return scores
    out = list(scores)
    for i, parts in tables.merges:
        if out[i] > 0:
            if min(map(scores.__getitem__, parts)) > 0 and merge_blocker(tables, i, scores) is None:
                out[i] = max(out[i], *map(scores.__getitem__, parts))
                for p in parts:
                    out[p] = 0.0
            else:
                out[i] = 0.0
    return tuple(out)


def merge_blocker(tables: RuleTables, i: int, scores: tuple[float, ...]) -> tuple[int, int] | None:
    """``(rule, part)``: the first rule that applies with at least the best score of merging
    rule ``i``'s parts and excludes one of them, if any."""
    best = max(map(scores.__getitem__, tables.parts[i]))
    for j, p in tables.part_excluders[i]:
        if scores[j] > 0 and scores[j] >= best:
            return j, p
    return None
