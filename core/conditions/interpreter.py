"""The interpreter: evaluates a tree and records why (the reference semantics)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Union

import attrs

from .runtime import (_ARITH, _CMP, _all_of, _answered, _any_of, _describe, _nmax, _nmin,
                      _render_value, _scale)
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


def source_of(node: Node) -> str:
    """Readable source text for ``node`` (used in explanations)."""
    if isinstance(node, Const):
        return _render_value(node.value)
    if isinstance(node, Name):
        return node.id
    if isinstance(node, ListLit):
        return "[" + ", ".join(repr(v) for v in node.values) + "]"
    if isinstance(node, BoolOp):
        return f" {node.op} ".join(_paren(v) for v in node.values)
    if isinstance(node, Not):
        return f"not {_paren(node.operand)}"
    if isinstance(node, Neg):
        return f"-{_paren(node.operand)}"
    if isinstance(node, Compare):
        parts = [source_of(node.left)]
        for op, comparator in zip(node.ops, node.comparators):
            parts += [op, source_of(comparator)]
        return " ".join(parts)
    if isinstance(node, BinOp):
        return f"{_paren(node.left)} {node.op} {_paren(node.right)}"
    if isinstance(node, IfExp):
        return f"{_paren(node.body)} if {_paren(node.test)} else {_paren(node.orelse)}"
    return f"{node.func}(" + ", ".join(source_of(a) for a in node.args) + ")"


def _paren(node: Node) -> str:
    text = source_of(node)
    return f"({text})" if isinstance(node, (BoolOp, IfExp, Compare, BinOp)) else text


_OP_WORDS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥",
             "in": "in", "not in": "not in"}


def explain(node: Node, values: Mapping[str, Any]) -> Trace:
    """Evaluate ``node`` and record the value of every sub-expression."""
    if isinstance(node, Const):
        return Trace(source_of(node), node.value)
    if isinstance(node, Name):
        value = values.get(node.id)
        return Trace(f"{node.id} = {_describe(value)}", value, atom=True)
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
        return Trace(f"not {_paren(node.operand)}", value, (inner,))
    if isinstance(node, Neg):
        inner = explain(node.operand, values)
        return Trace(source_of(node), None if inner.value is None else -inner.value, (inner,))
    if isinstance(node, BinOp):
        left, right = explain(node.left, values), explain(node.right, values)
        if left.value is None or right.value is None:
            value = None
        else:
            value = _ARITH[node.op](left.value, right.value)
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
    return Trace(_atom_text(_compare_parts(node, result), vals), result, tuple(operands), atom=True)


def _chain(ops: Sequence[str], vals: Sequence[Any]) -> bool:
    """The value of a (chained) comparison of ``vals``: false as soon as a pair fails or is unknown."""
    for i, op in enumerate(ops):
        a, b = vals[i], vals[i + 1]
        if a is None or b is None or not _CMP[op](a, b):
            return False
    return True


#: How an atom of an explanation reads: literal text, and the index of an operand whose value
#: is described there (see :func:`_atom_text`).
TextParts = tuple[Union[str, int], ...]


def _atom_text(parts: TextParts, vals: Sequence[Any]) -> str:
    return "".join(p if isinstance(p, str) else _describe(vals[p]) for p in parts)


def _compare_parts(node: Compare, holds: bool) -> TextParts:
    """How a comparison reads, e.g. ``days_since_rejection = 3 (≤ 21)``; ``holds`` is its value
    (a plain ``x == 'a'`` that holds reads ``x = 'a'``)."""
    if len(node.ops) == 1 and isinstance(node.comparators[0], Name) and op_is_membership(node.ops[0]) \
            and isinstance(node.left, Const):
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


#: The whitelisted functions with the language's semantics (unknown stays unknown).
_CALLS: dict[str, Callable[..., Any]] = {
    "min": _nmin, "max": _nmax, "scale": _scale,
    "abs": lambda x: None if x is None else abs(x),
    "len": lambda x: len(x or ()),
    "answered": _answered,
    "any_of": lambda chosen, listed: _any_of(chosen or (), frozenset(listed)),
    "all_of": lambda chosen, listed: _all_of(chosen or (), frozenset(listed)),
}


def _membership_parts(node: Call) -> TextParts:
    """How ``any_of(multi, [...])`` / ``all_of`` reads."""
    return (f"{source_of(node.args[0])} = ", 0, f" ({node.func} {source_of(node.args[1])})")


def _answered_text(node: Call, value: bool) -> str:
    return f"{source_of(node.args[0])} is {'answered' if value else 'unanswered'}"


def _explain_call(node: Call, values: Mapping[str, Any]) -> Trace:
    args = [explain(a, values) for a in node.args]
    vals = [a.value for a in args]
    value = _CALLS[node.func](*vals)
    if node.func == "answered":
        return Trace(_answered_text(node, value), value, tuple(args), atom=True)
    if node.func in ("any_of", "all_of"):
        return Trace(_atom_text(_membership_parts(node), vals), value, tuple(args), atom=True)
    return Trace(source_of(node), value, tuple(args))
