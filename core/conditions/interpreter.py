"""The interpreter: evaluates a tree and records why (the reference semantics)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .functions import FUNCTIONS
from .runtime import ARITHMETIC, COMPARE, describe
from .text import atom_text, compare_parts, paren, source_of
from .tree import BinOp, BoolOp, Call, Compare, Const, IfExp, ListLit, Name, Neg, Node, Not

def evaluate(node: Node, values: Mapping[str, Any]) -> Any:
    """Evaluate ``node`` against ``values`` (the reference semantics)."""
    return explain(node, values).value


@attrs.frozen
class Trace:
    """The value of one sub-expression, with its parts: an explanation tree."""

    text: str
    value: Any
    children: tuple[Trace, ...] = ()
    atom: bool = False  # a comparison or a bare name: the unit of a reason

    def reasons(self) -> list[str]:
        """The atoms that made this (true) condition hold, as readable sentences."""
        if not self.value:
            return []
        if self.atom:
            return [self.text]
        return [r for child in self.children for r in child.reasons()]

    def failures(self) -> list[str]:
        """The atoms that made this (false) condition fail."""
        if self.value:
            return []
        if self.atom:
            return [self.text]
        return [r for child in self.children if not child.value for r in child.failures()]


def explain(node: Node, values: Mapping[str, Any]) -> Trace:
    """Evaluate ``node`` and record the value of every sub-expression."""
    if isinstance(node, Const):
        return Trace(source_of(node), node.value)
    if isinstance(node, Name):
        value = values.get(node.id)
        return Trace(f"{node.id} = {describe(value)}", value, atom=True)
    if isinstance(node, ListLit):
        return Trace(source_of(node), node.values)
    if isinstance(node, BoolOp):
        children = []
        result: Any = None
        for child in node.values:
            trace = explain(child, values)
            children.append(trace)
            result = trace.value
            if (node.op == "and" and not result) or (node.op == "or" and result):
                break
        return Trace(source_of(node), result, tuple(children))
    if isinstance(node, Not):
        inner = explain(node.operand, values)
        value = None if inner.value is None else not inner.value
        if inner.atom and isinstance(node.operand, Name):
            return Trace(inner.text, value, (inner,), atom=True)
        return Trace(f"not {paren(node.operand)}", value, (inner,))
    if isinstance(node, Neg):
        inner = explain(node.operand, values)
        return Trace(source_of(node), None if inner.value is None else -inner.value, (inner,))
    if isinstance(node, BinOp):
        left, right = explain(node.left, values), explain(node.right, values)
        if left.value is None or right.value is None:
            value = None
        else:
            value = ARITHMETIC[node.op](left.value, right.value)
        return Trace(source_of(node), value, (left, right))
    if isinstance(node, IfExp):
        test = explain(node.test, values)
        if test.value is None:
            return Trace(source_of(node), None, (test,))
        branch = explain(node.body if test.value else node.orelse, values)
        return Trace(source_of(node), branch.value, (test, branch))
    if isinstance(node, Compare):
        return _explain_compare(node, values)
    return _explain_call(node, values)


def _explain_compare(node: Compare, values: Mapping[str, Any]) -> Trace:
    operands = [explain(o, values) for o in (node.left, *node.comparators)]
    vals = [t.value for t in operands]
    result = _chain(node.ops, vals)
    return Trace(atom_text(compare_parts(node, result), vals), result, tuple(operands), atom=True)


def _chain(ops: Sequence[str], vals: Sequence[Any]) -> bool:
    """The value of a (chained) comparison of ``vals``: false as soon as a pair fails or is unknown."""
    for i, op in enumerate(ops):
        a, b = vals[i], vals[i + 1]
        if a is None or b is None or not COMPARE[op](a, b):
            return False
    return True


def _explain_call(node: Call, values: Mapping[str, Any]) -> Trace:
    function = FUNCTIONS[node.func]
    args = [explain(a, values) for a in node.args]
    vals = [a.value for a in args]
    value = function.value(*vals)
    if function.reads is not None:
        return Trace(atom_text(function.reads(node, value), vals), value, tuple(args), atom=True)
    return Trace(source_of(node), value, tuple(args))
