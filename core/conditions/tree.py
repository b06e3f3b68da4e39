"""The condition language's tree: node classes, static types, limits and the error type."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

MAX_LENGTH = 2000
MAX_DEPTH = 32
MAX_NODES = 400
#: The largest number a literal may be (as large as an answer may be: 15 digits).
MAX_NUMBER = 10**15

NUMBER, BOOL, STR, LIST = "number", "bool", "str", "list"


@attrs.frozen
class VType:
    """The static type of a name or an expression.

    ``options`` is the set of allowed strings for a choice (``str``) or a multi (``list``)
    question, ``None`` when any string is allowed. ``nullable`` marks values that may be
    ``None`` (unanswered). ``labels`` holds ``(option, its words)`` for a multi question's
    options, which a text shows for its answer (not part of the type: it never makes two types
    differ).
    """

    kind: str
    options: frozenset[str] | None = None
    nullable: bool = False
    labels: tuple[tuple[str, str], ...] = attrs.field(default=(), eq=False)

    def describe(self) -> str:
        """A short human description, e.g. ``a number`` or ``a choice of 'a', 'b'``."""
        if self.kind == STR and self.options is not None:
            return "a choice (" + ", ".join(repr(o) for o in sorted(self.options)) + ")"
        if self.kind == LIST:
            return "a list"
        return {NUMBER: "a number", BOOL: "true/false", STR: "text"}.get(self.kind, "anything")


class ConditionError(ValueError):
    """An expression is invalid; ``messages`` lists every problem found."""

    def __init__(self, messages: Sequence[str]):
        self.messages = tuple(messages)
        super().__init__("; ".join(self.messages))


@attrs.frozen
class Const:
    value: Any


@attrs.frozen
class Name:
    id: str


@attrs.frozen
class ListLit:
    values: tuple[Any, ...]


@attrs.frozen
class BoolOp:
    op: str  # "and" | "or"
    values: tuple[Node, ...]


@attrs.frozen
class Not:
    operand: Node


@attrs.frozen
class Neg:
    operand: Node


@attrs.frozen
class Compare:
    left: Node
    ops: tuple[str, ...]
    comparators: tuple[Node, ...]


@attrs.frozen
class BinOp:
    op: str
    left: Node
    right: Node


@attrs.frozen
class IfExp:
    test: Node
    body: Node
    orelse: Node


@attrs.frozen
class Call:
    func: str
    args: tuple[Node, ...]


Node = Const | Name | ListLit | BoolOp | Not | Neg | Compare | BinOp | IfExp | Call


@attrs.frozen
class Expression:
    """A parsed, type-checked expression with its source text."""

    source: str
    node: Node
    type: VType

    @property
    def names(self) -> frozenset[str]:
        """Every name the expression reads."""
        return frozenset(_names(self.node))


def _names(node: Node) -> Iterable[str]:
    if isinstance(node, Name):
        yield node.id
    for child in children(node):
        yield from _names(child)


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, BoolOp):
        return node.values
    if isinstance(node, (Not, Neg)):
        return (node.operand,)
    if isinstance(node, Compare):
        return (node.left, *node.comparators)
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, IfExp):
        return (node.test, node.body, node.orelse)
    if isinstance(node, Call):
        return node.args
    return ()


def implies_answered(node: Node) -> frozenset[str]:
    """The names that are surely answered (not unknown, a multi not empty) wherever ``node``
    holds: a comparison or ``in`` with an unknown value is false, and so is ``any_of`` of an
    empty list, ``answered(x)`` of an unanswered one, and a bare unknown name."""
    if isinstance(node, Name):
        return frozenset({node.id})
    if isinstance(node, Compare):  # but `'a' not in multi` holds for an empty multi
        operands = (node.left, *node.comparators)
        return frozenset(
            o.id
            for i, o in enumerate(operands)
            if isinstance(o, Name) and not (i > 0 and node.ops[i - 1] == "not in")
        )
    if (
        isinstance(node, Call)
        and node.func in ("answered", "any_of", "all_of")
        and isinstance(node.args[0], Name)
    ):
        if node.func == "all_of" and not (isinstance(node.args[1], ListLit) and node.args[1].values):
            return frozenset()
        return frozenset({node.args[0].id})
    if isinstance(node, BoolOp):
        parts = [implies_answered(v) for v in node.values]
        return frozenset.union(*parts) if node.op == "and" else frozenset.intersection(*parts)
    return frozenset()
