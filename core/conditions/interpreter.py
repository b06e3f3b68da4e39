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
        text = f"{node.id} = {_describe(value)}" if value else _failed_name(node, value)
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
            text = f"{node.operand.id} = {_describe(inner.value)}" if value else \
                _failed_name(node.operand, inner.value, negated=True)
            return Trace(text, value, (inner,), atom=True)
        if inner.atom and inner.value:  # `not (x >= 4)` fails because x >= 4 holds
            failed = _failure(node.operand, [c.value for c in inner.children], negated=True)
            if failed is not None:
                return Trace(failed, value, (inner,), atom=True)
        elif inner.value and inner.reasons():  # `not (a and b)` fails because a and b hold
            failed = "; ".join(inner.reasons()) + f"; needs `{source_of(node.operand)}` not to hold"
            return Trace(failed, value, (inner,), atom=True)
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
    text = None if result else _failure(node, vals)
    if text is None:
        text = _atom_text(_compare_parts(node, result), vals)
    return Trace(text, result, tuple(operands), atom=True)


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
    if node.func in ("answered", "any_of", "all_of"):
        text = _failure(node, vals) if not value else None
        if text is None:
            text = _answered_text(node, value) if node.func == "answered" else \
                _atom_text(_membership_parts(node), vals)
        return Trace(text, value, tuple(args), atom=True)
    return Trace(source_of(node), value, tuple(args))


# -- failures: what the answer is, and what the condition needs ---------------------------------

#: What ``x OP c`` needs of ``x``, and what ``not (x OP c)`` does.
_NEEDS = {">=": "{} or more", ">": "more than {}", "<=": "{} or less", "<": "less than {}",
          "==": "{}", "!=": "anything but {}", "in": "one of {}", "not in": "none of {}"}
_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "==",
            "in": "not in", "not in": "in"}
#: ``c OP x`` is ``x FLIPPED c``.
_FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}


def _is(subject: str, value: Any) -> str:
    """An answer in a failure: ``x is unanswered``, ``x is 2``, ``x is 'none'``, ``x is yes``,
    ``gaps has nothing chosen``."""
    if isinstance(value, (tuple, list, frozenset)) and not value:
        return f"{subject} has nothing chosen"
    return f"{subject} is {_describe(value)}"


def _listed(values: Sequence[Any]) -> str:
    return ", ".join(_render_value(v) for v in values)


def _failed_name(node: Name, value: Any, *, negated: bool = False) -> str:
    """``support_people is no; needs yes`` (or ``...is yes; needs no`` for ``not x``)."""
    return f"{_is(node.id, value)}; needs {'no' if negated else 'yes'}"


def _failure(node: Node, vals: Sequence[Any], *, negated: bool = False) -> str | None:
    """How a failed comparison, membership or ``answered()`` reads, e.g. ``career_doubt is 2;
    needs 4 or more``: the answer, then what the condition needs (``negated``: what ``not
    (node)`` needs, ``node`` having held). ``None`` where it reads as before: an ``any_of``
    of a name, ``not (a <= x <= b)``."""
    if isinstance(node, Call):
        name = source_of(node.args[0])
        if node.func == "answered":
            return f"{name} is {'answered; needs no answer' if negated else 'unanswered; needs an answer'}"
        listed = node.args[1]
        if not isinstance(listed, ListLit):
            return None
        how = {("any_of", False): "one of", ("any_of", True): "none of",
               ("all_of", False): "all of", ("all_of", True): "not all of"}[(node.func, negated)]
        return f"{_is(name, vals[0])}; needs {how} {_listed(listed.values)}"
    if not isinstance(node, Compare):
        return None
    operands = (node.left, *node.comparators)
    if len(node.ops) == 1 and node.ops[0] in ("in", "not in") and isinstance(node.left, Const) \
            and not isinstance(node.comparators[0], (Const, ListLit)):
        includes = (node.ops[0] == "in") != negated  # `'a' in multi`: a membership of the multi
        want = "to include" if includes else "not to include"
        return f"{_is(source_of(node.comparators[0]), vals[1])}; needs {want} " \
               f"{_render_value(node.left.value)}"
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
        shown = _listed(constant.values) if isinstance(constant, ListLit) else _render_value(constant.value)
        needs.append(_NEEDS[op].format(shown))
    if subject is None or (negated and len(needs) > 1):
        return None  # not (a <= x <= b) needs one of two things: it reads as before
    return f"{_is(source_of(operands[subject]), vals[subject])}; needs {' and '.join(needs)}"


def _unmet(node: Compare, vals: Sequence[Any], negated: bool) -> str:
    """A comparison without a constant side: ``x > y does not hold: x is 1, y is 2``."""
    shown = [_is(source_of(o), v) for o, v in zip((node.left, *node.comparators), vals)
             if not isinstance(o, (Const, ListLit))]
    return f"{f'not ({source_of(node)})' if negated else source_of(node)} does not hold: {', '.join(shown)}"
