"""What the compiler knows of a number before it runs: the interval it lies in, and whether it is a float.

A signal is clamped into [0, 1] and a rule's strength too; when an expression can only give a
float in [0, 1] (a signal already clamped, ``scale`` with fixed bounds, ``0.5 * a + 0.5 * b``
of such values, a choice between literals in [0, 1]), the compiler leaves the clamp out.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from .functions import fixed_bounds
from .tree import BinOp, Call, Const, IfExp, Name, Neg, Node


@attrs.frozen
class Interval:
    """A known value lies in ``[low, high]``; ``is_float`` when it is always a float."""

    low: float
    high: float
    is_float: bool

    def within_unit(self) -> bool:
        """Whether every value of the interval is in [0, 1]."""
        return self.low >= 0.0 and self.high <= 1.0


UNIT = Interval(0.0, 1.0, True)

#: The interval of a name (``None`` when nothing is known of it).
NameBounds = Callable[[str], "Interval | None"]


def interval(node: Node, of_name: NameBounds) -> Interval | None:
    """The interval ``node``'s value lies in whenever it is known, or ``None`` when the
    compiler cannot tell (an answer, a quotient, a length, a comparison)."""
    if isinstance(node, Const):
        value = node.value
        if type(value) not in (int, float):  # bool, text, unknown
            return None
        return Interval(value, value, type(value) is float)
    if isinstance(node, Name):
        return of_name(node.id)
    if isinstance(node, Neg):
        inner = interval(node.operand, of_name)
        return None if inner is None else Interval(-inner.high, -inner.low, inner.is_float)
    if isinstance(node, BinOp) and node.op in ("+", "-", "*"):
        return _arithmetic(node.op, interval(node.left, of_name), interval(node.right, of_name))
    if isinstance(node, IfExp):
        return _union([interval(node.body, of_name), interval(node.orelse, of_name)])
    if isinstance(node, Call):
        if node.func == "scale" and fixed_bounds(node):
            return UNIT
        if node.func in ("min", "max"):
            return _union([interval(a, of_name) for a in node.args])
    return None


def _union(parts: list[Interval | None]) -> Interval | None:
    """The smallest interval holding every part (``None`` if one is unknown): what ``a if t
    else b``, ``min`` and ``max`` can give."""
    if any(p is None for p in parts):
        return None
    known = [p for p in parts if p is not None]
    return Interval(min(p.low for p in known), max(p.high for p in known), all(p.is_float for p in known))


def _arithmetic(op: str, left: Interval | None, right: Interval | None) -> Interval | None:
    if left is None or right is None:
        return None
    is_float = left.is_float or right.is_float
    if op == "+":
        return Interval(left.low + right.low, left.high + right.high, is_float)
    if op == "-":
        return Interval(left.low - right.high, left.high - right.low, is_float)
    products = [a * b for a in (left.low, left.high) for b in (right.low, right.high)]
    return Interval(min(products), max(products), is_float)


def always_float(node: Node) -> bool:
    """Whether ``node``'s value is a float whenever it is known (so it needs no conversion): a
    float literal, a quotient, or a sum, difference or product with a float operand."""
    if isinstance(node, Neg):
        return always_float(node.operand)
    if isinstance(node, BinOp):
        return node.op == "/" or always_float(node.left) or always_float(node.right)
    return float_literal(node)


def floated(node: Node) -> Node:
    """``node`` with its whole-number literals written as floats, so that a value
    :func:`~.bounds.interval` bounds is a float (``1 if x else 0.5`` gives ``1.0``)."""
    if isinstance(node, Const):
        return Const(float(node.value))
    if isinstance(node, Neg):
        return Neg(floated(node.operand))
    if isinstance(node, BinOp):
        return BinOp(node.op, floated(node.left), floated(node.right))
    if isinstance(node, IfExp):
        return IfExp(node.test, floated(node.body), floated(node.orelse))
    if isinstance(node, Call) and node.func in ("min", "max"):
        return Call(node.func, tuple(floated(a) for a in node.args))
    return node  # a name assigned clamped, or scale(): already a float


def float_literal(node: Node) -> bool:
    """Whether ``node`` is a literal float (then a product with it is a float)."""
    return isinstance(node, Const) and type(node.value) is float
