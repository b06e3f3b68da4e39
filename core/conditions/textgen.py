"""Pack texts as generated Python expressions: each part of a parsed text
(:mod:`bounceback.templates`) becomes the expression a compiled text program evaluates, with
the meaning :func:`bounceback.filling.render` gives it (the reference)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from ..templates import Optional, Plural, Seq, Slot
from .functions import helper
from .tree import LIST, Name, Node, VType


def literal(value: tuple[Any, ...] | frozenset[Any]) -> ast.Constant:
    """A constant tuple or frozenset: ``compile`` takes them (its optimiser makes them), though
    typeshed's ``ast.Constant`` leaves them out."""
    return ast.Constant(value)  # type: ignore[arg-type]


def text_expr(
    seq: Seq,
    conditions: Mapping[str, Node],
    expr: Callable[[Node], ast.expr],
    types: Mapping[str, VType],
) -> ast.expr:
    """``seq`` filled, as one string expression: ``expr`` compiles a condition or a name (the
    program builder's), ``conditions`` holds each condition source's parsed form, ``types``
    the names' types (a multi answer reads as its options' labels)."""
    parts: list[ast.expr] = []
    for node in seq:
        if isinstance(node, str):
            parts.append(ast.Constant(node))
        elif isinstance(node, Plural):
            fixed = (node.zero, node.one, node.other, node.otherwise)
            parts.append(helper("_counted", [expr(Name(node.name)), *map(ast.Constant, fixed)]))
        elif isinstance(node, Slot):
            vtype = types.get(node.name)
            if vtype is not None and vtype.kind == LIST:  # its options in words
                words = [literal(vtype.labels), ast.Constant(node.otherwise)]
                parts.append(helper("_listed", [expr(Name(node.name)), *words]))
            else:
                shown = [ast.Constant(node.otherwise), ast.Constant(node.form)]
                parts.append(helper("_shown", [expr(Name(node.name)), *shown]))
        elif isinstance(node, Optional):
            tests = [helper("_filled", [expr(Name(n))]) for n in node.names]
            test = tests[0] if len(tests) == 1 else ast.BoolOp(ast.And(), tests)
            body, otherwise = (
                text_expr(part, conditions, expr, types) for part in (node.body, node.otherwise)
            )
            parts.append(ast.IfExp(test, body, otherwise))
        else:
            chosen: ast.expr = ast.Constant("")
            for when, branch in reversed(node.branches):
                text = text_expr(branch, conditions, expr, types)
                chosen = text if when is None else ast.IfExp(expr(conditions[when]), text, chosen)
            parts.append(chosen)
    if not parts:
        return ast.Constant("")
    if all(isinstance(p, ast.Constant) for p in parts):
        return ast.Constant("".join(p.value for p in parts))  # type: ignore[attr-defined]
    return concat_text(parts)


def concat_text(parts: list[ast.expr]) -> ast.expr:
    """The strings ``parts`` joined, as an f-string of them: one BUILD_STRING instead of a
    chain of additions. Every part is a literal or a helper's result, never a format spec."""
    if len(parts) == 1:
        return parts[0]
    return ast.JoinedStr(
        [p if isinstance(p, ast.Constant) else ast.FormattedValue(p, -1, None) for p in parts]
    )


def concat_tuples(parts: list[ast.expr]) -> ast.expr:
    """The tuples ``parts`` joined: ``parts[0] + parts[1] + ...``, where runs of literal
    tuples (``(a,) + (b,) + ()``) become one (``(a, b)``)."""
    joined: list[ast.expr] = []
    for part in parts:
        items = _tuple_items(part)
        previous = _tuple_items(joined[-1]) if joined else None
        if items is not None and previous is not None:
            joined[-1] = ast.Tuple([*previous, *items], ast.Load())
        else:
            joined.append(part)
    result = joined[0]
    for part in joined[1:]:
        result = ast.BinOp(result, ast.Add(), part)
    return result


def _tuple_items(expr: ast.expr) -> list[ast.expr] | None:
    """The items of a literal tuple expression (``(a, b)`` or the constant ``()``), else ``None``."""
    if isinstance(expr, ast.Tuple):
        return list(expr.elts)
    if isinstance(expr, ast.Constant) and isinstance(expr.value, tuple) and not expr.value:
        return []
    return None
