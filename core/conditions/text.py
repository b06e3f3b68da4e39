"""How conditions read: their source text, and the text of an explanation's atoms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .runtime import describe, render_value
from .tree import BinOp, BoolOp, Compare, Const, IfExp, ListLit, Name, Neg, Node, Not

#: How an atom of an explanation reads: literal text, and the index of an operand whose value
#: is described there (see :func:`atom_text`).
TextParts = tuple[str | int, ...]

_OP_WORDS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "in": "in", "not in": "not in"}


def source_of(node: Node) -> str:
    """Readable source text for ``node`` (used in explanations)."""
    if isinstance(node, Const):
        return render_value(node.value)
    if isinstance(node, Name):
        return node.id
    if isinstance(node, ListLit):
        return "[" + ", ".join(repr(v) for v in node.values) + "]"
    if isinstance(node, BoolOp):
        return f" {node.op} ".join(paren(v) for v in node.values)
    if isinstance(node, Not):
        return f"not {paren(node.operand)}"
    if isinstance(node, Neg):
        return f"-{paren(node.operand)}"
    if isinstance(node, Compare):
        parts = [source_of(node.left)]
        for op, comparator in zip(node.ops, node.comparators):
            parts += [op, source_of(comparator)]
        return " ".join(parts)
    if isinstance(node, BinOp):
        return f"{paren(node.left)} {node.op} {paren(node.right)}"
    if isinstance(node, IfExp):
        return f"{paren(node.body)} if {paren(node.test)} else {paren(node.orelse)}"
    return f"{node.func}(" + ", ".join(source_of(a) for a in node.args) + ")"


def paren(node: Node) -> str:
    """:func:`source_of`, in parentheses where an operator needs them."""
    text = source_of(node)
    return f"({text})" if isinstance(node, (BoolOp, IfExp, Compare, BinOp)) else text


def atom_text(parts: TextParts, vals: Sequence[Any]) -> str:
    """``parts`` with each operand index replaced by the described value in ``vals``."""
    return "".join(p if isinstance(p, str) else describe(vals[p]) for p in parts)


def compare_parts(node: Compare, holds: bool) -> TextParts:
    """How a comparison reads, e.g. ``days_since_rejection = 3 (≤ 21)``; ``holds`` is its value
    (a plain ``x == 'a'`` that holds reads ``x = 'a'``)."""
    if (
        len(node.ops) == 1
        and isinstance(node.comparators[0], Name)
        and op_is_membership(node.ops[0])
        and isinstance(node.left, Const)
    ):
        word = "includes" if node.ops[0] == "in" else "does not include"
        return (f"{node.comparators[0].id} {word} {source_of(node.left)}",)
    if not isinstance(node.left, (Const, ListLit)):
        if holds and node.ops == ("==",) and isinstance(node.comparators[0], Const):
            return (f"{source_of(node.left)} = ", 0)
        tests = " ".join(f"{_OP_WORDS[op]} {source_of(c)}" for op, c in zip(node.ops, node.comparators))
        return (f"{source_of(node.left)} = ", 0, f" ({tests})")
    shown: list[str | int] = []
    for i, operand in enumerate((node.left, *node.comparators)):
        if not isinstance(operand, (Const, ListLit)):
            shown += [", " if shown else " (", f"{source_of(operand)} = ", i]
    return (source_of(node), *shown, ")") if shown else (source_of(node),)


def op_is_membership(op: str) -> bool:
    """True for ``in`` / ``not in``."""
    return op in ("in", "not in")


def answer_is(subject: str, value: Any) -> str:
    """An answer in a failure: ``x is unanswered``, ``x is 2``, ``x is 'none'``, ``x is yes``,
    ``gaps has nothing chosen``."""
    if isinstance(value, (tuple, list, frozenset)) and not value:
        return f"{subject} has nothing chosen"
    return f"{subject} is {describe(value)}"


def listed_values(values: Sequence[Any]) -> str:
    """Literal values as a failure lists them: ``'a', 'b'``."""
    return ", ".join(render_value(v) for v in values)
