"""Type checking: names known, types compatible, options a question really has."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..errors import did_you_mean
from .functions import FUNCTIONS
from .parser import parse
from .tree import (
    BOOL,
    LIST,
    NUMBER,
    STR,
    BinOp,
    BoolOp,
    Call,
    Compare,
    ConditionError,
    Const,
    Expression,
    IfExp,
    ListLit,
    Name,
    Neg,
    Node,
    Not,
    VType,
)


def check(node: Node, names: Mapping[str, VType]) -> tuple[VType, list[str]]:
    """Infer the type of ``node`` given the types of the ``names`` it may read.

    Returns the type and the list of problems (unknown names with did-you-mean, type mismatches,
    options a question does not have).
    """
    problems: list[str] = []
    vtype = TypeChecker(names, problems).visit(node)
    return vtype, problems


def compile_expression(source: str, names: Mapping[str, VType], *, want: str | None = None) -> Expression:
    """Parse and type-check ``source``; ``want`` (``bool``/``number``) constrains the result.

    Raises :class:`ConditionError` listing every problem.
    """
    node = parse(source)
    vtype, problems = check(node, names)
    if (
        not problems
        and want is not None
        and vtype.kind != want
        and not (want == NUMBER and vtype.kind == BOOL)
    ):
        problems.append(f"expected {VType(want).describe()}, but the expression gives {vtype.describe()}")
    if problems:
        raise ConditionError(problems)
    return Expression(source, node, vtype)


_ANY = VType("any")  # the type of something already reported as wrong


@attrs.define
class TypeChecker:
    """Infers the type of each node of a condition, recording type errors in :attr:`problems`."""

    names: Mapping[str, VType]
    problems: list[str]

    def visit(self, node: Node) -> VType:
        method: Callable[[Node], VType] = getattr(self, "visit_" + type(node).__name__)
        return method(node)

    def visit_Const(self, node: Const) -> VType:
        if node.value is None:  # placeholder for an already reported problem
            return _ANY
        if isinstance(node.value, bool):
            return VType(BOOL)
        if isinstance(node.value, str):
            return VType(STR)
        return VType(NUMBER)

    def visit_Name(self, node: Name) -> VType:
        if node.id in self.names:
            return self.names[node.id]
        self.problems.append(f"unknown name {node.id!r}{did_you_mean(node.id, self.names)}")
        return _ANY

    def visit_ListLit(self, node: ListLit) -> VType:
        kinds = {STR if isinstance(v, str) else NUMBER for v in node.values}
        if len(kinds) > 1:
            self.problems.append("a list must hold only text or only numbers")
        if kinds == {STR}:
            return VType(LIST, frozenset(node.values))
        return VType(LIST)

    def want(self, vtype: VType, kind: str, what: str) -> None:
        """Report ``what`` unless ``vtype`` is of ``kind`` (or already reported as wrong)."""
        if vtype.kind not in (kind, _ANY.kind):
            self.problems.append(f"{what} needs {VType(kind).describe()}, got {vtype.describe()}")

    def visit_BoolOp(self, node: BoolOp) -> VType:
        nullable = False
        for value in node.values:
            vtype = self.visit(value)
            self.want(vtype, BOOL, f"'{node.op}'")
            nullable = nullable or vtype.nullable
        return VType(BOOL, nullable=nullable)

    def visit_Not(self, node: Not) -> VType:
        vtype = self.visit(node.operand)
        self.want(vtype, BOOL, "'not'")
        return VType(BOOL, nullable=vtype.nullable)

    def visit_Neg(self, node: Neg) -> VType:
        vtype = self.visit(node.operand)
        self.want(vtype, NUMBER, "'-'")
        return VType(NUMBER, nullable=vtype.nullable)

    def visit_BinOp(self, node: BinOp) -> VType:
        left, right = self.visit(node.left), self.visit(node.right)
        for side in (left, right):
            self.want(side, NUMBER, f"'{node.op}'")
        if node.op == "/" and isinstance(node.right, Const) and node.right.value == 0:
            self.problems.append("division by zero")
        return VType(NUMBER, nullable=left.nullable or right.nullable or node.op == "/")

    def visit_IfExp(self, node: IfExp) -> VType:
        test = self.visit(node.test)
        self.want(test, BOOL, "the condition of 'if ... else'")
        body, orelse = self.visit(node.body), self.visit(node.orelse)
        if _ANY.kind not in (body.kind, orelse.kind) and body.kind != orelse.kind:
            self.problems.append(
                f"both branches of 'if ... else' must have one type, got "
                f"{body.describe()} and {orelse.describe()}"
            )
        nullable = test.nullable or body.nullable or orelse.nullable
        return attrs.evolve(body, nullable=nullable)

    def visit_Compare(self, node: Compare) -> VType:
        operands = (node.left, *node.comparators)
        types = [self.visit(o) for o in operands]
        for (lnode, ltype), op, (rnode, rtype) in zip(
            zip(operands, types), node.ops, zip(operands[1:], types[1:])
        ):
            self._compare(lnode, ltype, op, rnode, rtype)
        return VType(BOOL)

    def _compare(self, lnode: Node, ltype: VType, op: str, rnode: Node, rtype: VType) -> None:
        if _ANY.kind in (ltype.kind, rtype.kind):
            return
        if op in ("in", "not in"):
            if rtype.kind != LIST:
                self.problems.append(
                    f"'{op}' needs a list or a multi-choice question on the right, got {rtype.describe()}"
                )
                return
            if ltype.kind not in (STR, NUMBER):
                self.problems.append(f"'{op}' needs text or a number on the left, got {ltype.describe()}")
                return
            self.check_options(lnode, ltype, rnode, rtype)
            return
        if op in ("<", "<=", ">", ">="):
            for vtype in (ltype, rtype):
                self.want(vtype, NUMBER, f"'{op}'")
            return
        if ltype.kind != rtype.kind:
            self.problems.append(f"cannot compare {ltype.describe()} with {rtype.describe()} using '{op}'")
            return
        if ltype.kind == LIST:
            self.problems.append(f"cannot compare lists with '{op}'; use any_of() or 'in'")
            return
        self.check_options(lnode, ltype, rnode, rtype)
        self.check_options(rnode, rtype, lnode, ltype)

    def check_options(self, lnode: Node, ltype: VType, rnode: Node, rtype: VType) -> None:
        """Check that literal strings on one side are options of the question on the other."""
        literals: tuple[Any, ...] = ()
        options: frozenset[str] | None = None
        subject = ""
        if isinstance(lnode, Const) and isinstance(lnode.value, str):
            literals, options, subject = (lnode.value,), rtype.options, _subject(rnode)
        elif isinstance(rnode, ListLit) and isinstance(lnode, Name):
            literals, options, subject = rnode.values, ltype.options, lnode.id
        if options is None:
            return
        for literal in literals:
            if literal not in options:
                self.problems.append(
                    f"{literal!r} is not an option of {subject}{did_you_mean(literal, options)}; "
                    f"options: {', '.join(sorted(options))}"
                )

    def visit_Call(self, node: Call) -> VType:
        function = FUNCTIONS[node.func]
        types = [self.visit(a) for a in node.args]
        for index, vtype in enumerate(types):
            kind = function.arg_kind(index)
            if kind is not None:
                self.want(vtype, kind, function.arg_word(index))
        if function.check is not None:
            function.check(self, node, types)
        return VType(function.result, nullable=function.nullable(node, [t.nullable for t in types]))

    def check_listed_options(self, node: Call) -> None:
        """Check that the literal list of ``any_of(multi, [...])`` holds options of ``multi``."""
        target, listed = node.args
        if not isinstance(target, Name) or not isinstance(listed, ListLit):
            return
        options = self.names[target.id].options if target.id in self.names else None
        if options is None:
            return
        for literal in listed.values:
            if literal not in options:
                self.problems.append(
                    f"{literal!r} is not an option of {target.id}{did_you_mean(str(literal), options)}; "
                    f"options: {', '.join(sorted(options))}"
                )


def _subject(node: Node) -> str:
    return node.id if isinstance(node, Name) else "the list"
