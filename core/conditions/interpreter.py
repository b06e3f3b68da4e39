"""The interpreter: evaluates a tree and records why (the reference semantics)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .functions import FUNCTIONS
from .runtime import ARITHMETIC, COMPARE, describe, render_value
from .text import answer_is, atom_text, compare_parts, listed_values, paren, source_of
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
        text = f"{node.id} = {describe(value)}" if value else _failed_name(node, value)
        return Trace(text, value, atom=True)
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
            text = (
                f"{node.operand.id} = {describe(inner.value)}"
                if value
                else _failed_name(node.operand, inner.value, negated=True)
            )
            return Trace(text, value, (inner,), atom=True)
        if inner.atom and inner.value:  # `not (x >= 4)` fails because x >= 4 holds
            failed = _failure(node.operand, [c.value for c in inner.children], negated=True)
            if failed is not None:
                return Trace(failed, value, (inner,), atom=True)
        elif inner.value and inner.reasons():  # `not (a and b)` fails because a and b hold
            failed = "; ".join(inner.reasons()) + f"; needs `{source_of(node.operand)}` not to hold"
            return Trace(failed, value, (inner,), atom=True)
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
    text = None if result else _failure(node, vals)
    if text is None:
        text = atom_text(compare_parts(node, result), vals)
    return Trace(text, result, tuple(operands), atom=True)


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
        text = _failure(node, vals) if not value else None
        if text is None:
            text = atom_text(function.reads(node, value), vals)
        return Trace(text, value, tuple(args), atom=True)
    return Trace(source_of(node), value, tuple(args))


# -- failures: what the answer is, and what the condition needs ---------------------------------

#: What ``x OP c`` needs of ``x``, and what ``not (x OP c)`` does.
_NEEDS = {
    ">=": "{} or more",
    ">": "more than {}",
    "<=": "{} or less",
    "<": "less than {}",
    "==": "{}",
    "!=": "anything but {}",
    "in": "one of {}",
    "not in": "none of {}",
}
_NEGATED = {
    ">=": "<",
    ">": "<=",
    "<=": ">",
    "<": ">=",
    "==": "!=",
    "!=": "==",
    "in": "not in",
    "not in": "in",
}
#: ``c OP x`` is ``x FLIPPED c``.
_FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}


def _failed_name(node: Name, value: Any, *, negated: bool = False) -> str:
    """``support_people is no; needs yes`` (or ``...is yes; needs no`` for ``not x``)."""
    return f"{answer_is(node.id, value)}; needs {'no' if negated else 'yes'}"


def _failure(node: Node, vals: Sequence[Any], *, negated: bool = False) -> str | None:
    """How a failed comparison, membership or ``answered()`` reads, e.g. ``career_doubt is 2;
    needs 4 or more``: the answer, then what the condition needs (``negated``: what ``not
    (node)`` needs, ``node`` having held). ``None`` where it reads as before: an ``any_of``
    of a name, ``not (a <= x <= b)``."""
    if isinstance(node, Call):
        fails = FUNCTIONS[node.func].fails
        return None if fails is None else fails(node, vals, negated)
    if not isinstance(node, Compare):
        return None
    operands = (node.left, *node.comparators)
    if (
        len(node.ops) == 1
        and node.ops[0] in ("in", "not in")
        and isinstance(node.left, Const)
        and not isinstance(node.comparators[0], (Const, ListLit))
    ):
        includes = (node.ops[0] == "in") != negated  # `'a' in multi`: a membership of the multi
        want = "to include" if includes else "not to include"
        return (
            f"{answer_is(source_of(node.comparators[0]), vals[1])}; needs {want} "
            f"{render_value(node.left.value)}"
        )
    subject: int | None = None  # the index of the operand compared with constants
    needs = []
    for i, op in enumerate(node.ops):
        left, right = operands[i], operands[i + 1]
        if isinstance(right, (Const, ListLit)) and not isinstance(left, (Const, ListLit)):
            side, constant = i, right
        elif isinstance(left, Const) and not isinstance(right, (Const, ListLit)) and op in _FLIPPED:
            side, constant, op = i + 1, left, _FLIPPED[op]
        else:
            return _unmet(node, vals, negated)
        if subject is not None and source_of(operands[side]) != source_of(operands[subject]):
            return _unmet(node, vals, negated)
        subject = side
        if negated:
            op = _NEGATED[op]
        shown = (
            listed_values(constant.values) if isinstance(constant, ListLit) else render_value(constant.value)
        )
        needs.append(_NEEDS[op].format(shown))
    if subject is None or (negated and len(needs) > 1):
        return None  # not (a <= x <= b) needs one of two things: it reads as before
    return f"{answer_is(source_of(operands[subject]), vals[subject])}; needs {' and '.join(needs)}"


def _unmet(node: Compare, vals: Sequence[Any], negated: bool) -> str:
    """A comparison without a constant side: ``x > y does not hold: x is 1, y is 2``."""
    shown = [
        answer_is(source_of(o), v)
        for o, v in zip((node.left, *node.comparators), vals)
        if not isinstance(o, (Const, ListLit))
    ]
    return f"{f'not ({source_of(node)})' if negated else source_of(node)} does not hold: {', '.join(shown)}"
