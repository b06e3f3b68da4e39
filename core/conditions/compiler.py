"""Compilation: many expressions → one Python function, built from a generated AST (never text)."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Mapping, Sequence

from ..templates import Seq
from .assemble import Program, assemble
from .bounds import UNIT, Interval, always_float, float_literal, floated, interval
from .functions import FUNCTIONS, helper
from .runtime import strength_value
from .text import TextParts, compare_parts
from .textgen import concat_text, concat_tuples, literal, text_expr
from .tree import (
    BOOL,
    STR,
    BinOp,
    BoolOp,
    Call,
    Compare,
    Const,
    IfExp,
    ListLit,
    Name,
    Neg,
    Node,
    Not,
    VType,
    children,
)


class ProgramBuilder:
    """Compile named expressions into one fast function with the interpreter's semantics.

    Add steps in dependency order with :meth:`assign` (a value later steps may read by name)
    and :meth:`output`; :meth:`build` returns ``f(values) -> tuple`` of the outputs, where
    ``values`` maps every input name to its value.
    """

    def __init__(self, types: Mapping[str, VType]):
        self._types = dict(types)
        self._body: list[ast.stmt] = []
        self._outputs: list[ast.expr] = []
        self._inputs: dict[str, None] = {}
        self._assigned: set[str] = set()
        self._clamped_names: set[str] = set()  # assigned clamped: floats in [0, 1] when known
        self._temps = itertools.count()

    def assign(self, name: str, node: Node, vtype: VType, *, clamp: bool = True) -> None:
        """Compute ``name`` from ``node``, clamped into [0, 1] like a signal (see
        :func:`~bounceback.conditions.runtime.clamp`) unless ``clamp`` is false."""
        expr = self._clamped(node, unknown=ast.Constant(None)) if clamp else self._expr(node)
        self._body.append(ast.Assign([ast.Name(_var(name), ast.Store())], expr))
        self._assigned.add(name)
        if clamp:
            self._clamped_names.add(name)
        self._types[name] = vtype

    def output_name(self, name: str) -> None:
        """Output the value of ``name`` (an input or an assigned value)."""
        self.output_expr(Name(name))

    def output_mapping(self, names: Sequence[str]) -> None:
        """Output one dict of the values of ``names`` (inputs or assigned values), by name:
        built by the program in one step, with no ``dict(zip(...))`` after it."""
        self._outputs.append(ast.Dict([ast.Constant(n) for n in names], [self._expr(Name(n)) for n in names]))

    def output_expr(self, node: Node) -> None:
        """Output the value of the expression ``node``."""
        self._outputs.append(self._expr(node))

    def score(self, when: Node | None, strength: Node | None, weight: float) -> None:
        """Output ``weight × strength`` when ``when`` holds, else ``0.0`` (at most 1: a weight
        above 1 can only raise a score to 1)."""
        value: ast.expr = ast.Constant(min(1.0, float(weight)) if strength is None else float(weight))
        if isinstance(strength, Const):  # a fixed strength: the score when it holds is known
            value = ast.Constant(min(1.0, float(weight) * strength_value(strength.value)))
        elif strength is not None:
            # strength_value(), inline: unknown counts as 0
            value = ast.BinOp(value, ast.Mult(), self._clamped(strength, unknown=ast.Constant(0.0)))
            bounds = self.interval(strength)
            if weight > 1 and not (bounds is not None and bounds.within_unit() and weight * bounds.high <= 1):
                value = helper("_min", [ast.Constant(1.0), value])
        if when is not None:
            value = ast.IfExp(self._expr(when), value, ast.Constant(0.0))
        self._outputs.append(value)

    def reasons(self, node: Node, *, holds: bool = False) -> None:
        """Output the reasons of ``node``: the tuple ``explain(node, values).reasons()`` gives
        (where ``node`` is known to be true if ``holds``).

        The static text of every atom is prepared here; the program only computes and
        formats the values, without building a :class:`Trace` tree.
        """
        reasons = self._reasons(node)
        self._outputs.append(reasons if holds else ast.IfExp(self._expr(node), reasons, literal(())))

    def text(self, seq: Seq, conditions: Mapping[str, Node] | None = None) -> None:
        """Output a pack text filled from the answers, inline: ``seq`` is
        :func:`bounceback.templates.parse` of it, ``conditions`` the parsed condition of each
        condition source in it, and the result is what :func:`~bounceback.filling.render`
        gives."""
        self._outputs.append(self._text_expr(seq, conditions or {}))

    def texts(
        self, seqs: Sequence[Seq], conditions: Mapping[str, Node] | None = None, also: Sequence[int] = ()
    ) -> None:
        """Output the tuple of the texts ``seqs`` filled (as :meth:`text`), leaving out those
        that come out empty (a conditional action whose condition does not hold); then the
        tuple of the texts at the positions ``also`` (empty ones too), each filled only once."""
        parts = [self._text_expr(seq, conditions or {}) for seq in seqs]
        kept: list[ast.expr] = []
        for position in also:
            if isinstance(parts[position], ast.Constant):
                kept.append(parts[position])
            else:
                name = self._temp()
                parts[position] = ast.NamedExpr(ast.Name(name, ast.Store()), parts[position])
                kept.append(ast.Name(name, ast.Load()))
        if all(isinstance(p, ast.Constant) for p in parts):
            self._outputs.append(literal(tuple(p.value for p in parts if p.value)))  # type: ignore[attr-defined]
        else:
            # tuple(filter(None, (...))): the texts that are not empty, with no Python call between
            self._outputs.append(
                helper("_tuple", [helper("_filter", [ast.Constant(None), ast.Tuple(parts, ast.Load())])])
            )
        self._outputs.append(ast.Tuple(kept, ast.Load()))

    def _text_expr(self, seq: Seq, conditions: Mapping[str, Node]) -> ast.expr:
        return text_expr(seq, conditions, self._expr, self._types)

    def build(self, *, group_from: int | None = None) -> Program:
        """Compile everything added so far into one function returning the tuple of outputs;
        with ``group_from=n``, the outputs from the ``n``-th on come as one tuple after the
        first ``n`` (``(a, (b, c, ...))`` for ``n=1``)."""
        loads: list[ast.stmt] = [
            ast.Assign(
                [ast.Name(_var(name), ast.Store())],
                ast.Subscript(ast.Name("values", ast.Load()), ast.Constant(name), ast.Load()),
            )
            for name in self._inputs
        ]
        outputs = self._outputs
        if group_from is not None:
            outputs = [*outputs[:group_from], ast.Tuple(outputs[group_from:], ast.Load())]
        return assemble([*loads, *self._body], outputs)

    # -- code generation ---------------------------------------------------------------------

    def _reasons(self, node: Node) -> ast.expr:
        """A tuple of reasons for ``node``, valid where its value is truthy (as Trace.reasons)."""
        if isinstance(node, Name) or (isinstance(node, Not) and isinstance(node.operand, Name)):
            name = node if isinstance(node, Name) else node.operand
            assert isinstance(name, Name)
            return self._text((f"{name.id} = ", 0), [name])
        if isinstance(node, (Const, ListLit, Not)):
            # A literal has no reasons; `not x` holds because x failed, and failures are no reasons.
            return literal(())
        if isinstance(node, Compare):
            return self._text(compare_parts(node, True), (node.left, *node.comparators))
        if isinstance(node, Call) and FUNCTIONS[node.func].reads is not None:
            return self._text(FUNCTIONS[node.func].reads(node, True), node.args)  # type: ignore[misc]
        if isinstance(node, Neg):
            return self._reasons(node.operand)  # -x is truthy exactly when x is
        if isinstance(node, BoolOp) and node.op == "and":  # it holds, so every part held
            return concat_tuples([self._reasons(v) for v in node.values])
        if isinstance(node, BoolOp):  # the reasons of the first part that held
            chosen: ast.expr = literal(())
            for value in reversed(node.values):
                chosen = ast.IfExp(self._expr(value), self._reasons(value), chosen)
            return chosen
        if isinstance(node, IfExp):
            return ast.IfExp(
                self._expr(node.test),
                concat_tuples([self._reasons(node.test), self._reasons(node.body)]),
                self._reasons(node.orelse),
            )
        # Arithmetic and the other calls: the reasons of every truthy operand.
        return concat_tuples(
            [ast.IfExp(self._expr(c), self._reasons(c), literal(())) for c in children(node)]
        )

    def _text(self, parts: TextParts, operands: Sequence[Node]) -> ast.expr:
        """A one-reason tuple: ``parts`` with each operand index replaced by its described value."""
        pieces: list[ast.expr] = [
            ast.Constant(p) if isinstance(p, str) else self._rendered(operands[p]) for p in parts
        ]
        return ast.Tuple([concat_text(pieces)], ast.Load())

    def _rendered(self, node: Node) -> ast.expr:
        """The value of ``node`` as an explanation shows it (:func:`~.runtime.describe`), a
        whole number inline (``repr``): the usual case then costs no Python call."""
        later, test = self.guard(node)
        kind = self._types[node.id].kind if isinstance(node, Name) else None
        if kind in (STR, BOOL):  # a name's type is known: no test of it at run time
            shown: ast.expr = (
                helper("_repr", [later])
                if kind == STR
                else ast.IfExp(later, ast.Constant("yes"), ast.Constant("no"))
            )
            return shown if test is None else ast.IfExp(test, ast.Constant("unanswered"), shown)
        first = later
        if test is None and not isinstance(later, ast.Name):  # evaluate once
            name = self._temp()
            first, later = ast.NamedExpr(ast.Name(name, ast.Store()), later), ast.Name(name, ast.Load())
        whole = ast.Compare(helper("_type", [first]), [ast.Is()], [ast.Name("_int", ast.Load())])
        shown = ast.IfExp(whole, helper("_repr", [later]), helper("_render", [later]))
        return shown if test is None else ast.IfExp(test, ast.Constant("unanswered"), shown)

    def nullable(self, node: Node) -> bool:
        """Whether ``node`` may be unknown (``None``) at run time."""
        if isinstance(node, Const):
            return node.value is None
        if isinstance(node, Name):
            return self._types[node.id].nullable
        if isinstance(node, (ListLit, Compare)):
            return False
        if isinstance(node, Call):
            return FUNCTIONS[node.func].nullable(node, [self.nullable(a) for a in node.args])
        if isinstance(node, BinOp) and node.op == "/":
            return True
        return any(self.nullable(c) for c in children(node))

    def interval(self, node: Node) -> Interval | None:
        """What the compiler knows of the value of ``node`` (:func:`~.bounds.interval`): a
        name assigned clamped lies in [0, 1]."""
        return interval(node, lambda name: UNIT if name in self._clamped_names else None)

    def _clamped(self, node: Node, unknown: ast.expr) -> ast.expr:
        """``node`` as a float clamped into [0, 1], or ``unknown`` when it is None, computed
        inline with the same result as :func:`~bounceback.conditions.runtime.clamp` (a call per
        rule costs more than this). A value known to lie in [0, 1] is not clamped again, only
        made a float (literals at compile time)."""
        bounds = self.interval(node)
        if bounds is not None and bounds.within_unit():
            later, test = self.guard(node if bounds.is_float else floated(node))
            return later if test is None else ast.IfExp(test, unknown, later)
        later, test = self.guard(node)
        clamped = self.clamp_expr(later, unknown, is_float=always_float(node))
        return clamped if test is None else ast.IfExp(test, unknown, clamped)

    def clamp_expr(self, expr: ast.expr, unknown: ast.expr, *, is_float: bool) -> ast.expr:
        """A known (not None) number ``expr`` clamped into [0, 1] as a float, as :func:`~.runtime.clamp`
        does (``unknown`` for NaN)."""
        first = later = expr
        if not isinstance(expr, ast.Name):  # evaluate once, in the first comparison
            name = self._temp()
            first, later = ast.NamedExpr(ast.Name(name, ast.Store()), expr), ast.Name(name, ast.Load())
        return ast.IfExp(
            ast.Compare(ast.Constant(0.0), [ast.LtE(), ast.LtE()], [first, ast.Constant(1.0)]),
            later if is_float else helper("_float", [later]),
            ast.IfExp(
                ast.Compare(later, [ast.Lt()], [ast.Constant(0.0)]),
                ast.Constant(0.0),
                ast.IfExp(ast.Compare(later, [ast.Gt()], [ast.Constant(1.0)]), ast.Constant(1.0), unknown),
            ),
        )

    def _temp(self) -> str:
        return f"_t{next(self._temps)}"

    def guard(self, node: Node) -> tuple[ast.expr, ast.expr | None]:
        """``(value, none_test)`` for ``node``; ``none_test`` is None when it is never None.

        A complex nullable expression is evaluated once, inside the test, into a temporary
        that ``value`` then reads, so the test must run first.
        """
        expr = self._expr(node)
        if not self.nullable(node):
            return expr, None
        if isinstance(expr, ast.Name):
            return expr, _is_none(expr)
        name = self._temp()
        first = ast.NamedExpr(ast.Name(name, ast.Store()), expr)
        return ast.Name(name, ast.Load()), _is_none(first)

    def _expr(self, node: Node) -> ast.expr:
        if isinstance(node, Const):
            return ast.Constant(node.value)
        if isinstance(node, Name):
            if node.id not in self._assigned:
                self._inputs.setdefault(node.id)
            return ast.Name(_var(node.id), ast.Load())
        if isinstance(node, ListLit):
            return literal(frozenset(node.values))
        if isinstance(node, BoolOp):
            op = ast.And() if node.op == "and" else ast.Or()
            return ast.BoolOp(op, [self._expr(v) for v in node.values])
        if isinstance(node, Not):
            later, test = self.guard(node.operand)
            negated = ast.UnaryOp(ast.Not(), later)
            return negated if test is None else ast.IfExp(test, ast.Constant(None), negated)
        if isinstance(node, Neg):
            later, test = self.guard(node.operand)
            negated = ast.UnaryOp(ast.USub(), later)
            return negated if test is None else ast.IfExp(test, ast.Constant(None), negated)
        if isinstance(node, BinOp):
            return self._binop(node)
        if isinstance(node, IfExp):
            later, test = self.guard(node.test)
            chosen = ast.IfExp(later, self._expr(node.body), self._expr(node.orelse))
            return chosen if test is None else ast.IfExp(test, ast.Constant(None), chosen)
        if isinstance(node, Compare):
            return self._compare(node)
        return self._call(node)

    def _binop(self, node: BinOp) -> ast.expr:
        if node.op == "/":
            return helper("_div", [self._expr(node.left), self._expr(node.right)])
        left, ltest = self.guard(node.left)
        right, rtest = self.guard(node.right)
        tests = [t for t in (ltest, rtest) if t is not None]
        result: ast.expr
        if node.op == "*" and not float_literal(node.left) and not float_literal(node.right):
            result = helper("_mul", [left, right])  # whole numbers: bounded, no overflow
        else:  # a float times anything is a float, which overflows to inf on its own
            result = ast.BinOp(left, {"+": ast.Add(), "-": ast.Sub(), "*": ast.Mult()}[node.op], right)
        if tests:
            either = tests[0] if len(tests) == 1 else ast.BoolOp(ast.Or(), tests)
            result = ast.IfExp(either, ast.Constant(None), result)
        return result

    def _compare(self, node: Compare) -> ast.expr:
        operands = (node.left, *node.comparators)
        if not any(self.nullable(o) for o in operands):
            return ast.Compare(
                self._expr(node.left),
                [_cmp_op(o) for o in node.ops],
                [self._expr(c) for c in node.comparators],
            )
        if _false_for_unknown(node):  # as the language says: no guard needed
            return ast.Compare(
                self._expr(node.left), [_cmp_op(node.ops[0])], [self._expr(node.comparators[0])]
            )
        # Split the chain into guarded pairs: each operand is evaluated once (via a temporary).
        guards = [self.guard(o) for o in operands]
        conjuncts: list[ast.expr] = []
        tested: set[int] = set()
        for i, op in enumerate(node.ops):
            for j in (i, i + 1):
                test = guards[j][1]
                if test is not None and j not in tested:
                    conjuncts.append(_negate_is_none(test))
                    tested.add(j)
            conjuncts.append(ast.Compare(guards[i][0], [_cmp_op(op)], [guards[i + 1][0]]))
        return ast.BoolOp(ast.And(), conjuncts)

    def _call(self, node: Call) -> ast.expr:
        function = FUNCTIONS[node.func]
        args = [self._expr(a) for a in node.args]
        if function.compiled is None:
            return helper(function.runtime_name, args)
        return function.compiled(self, node, args)


def _false_for_unknown(node: Compare) -> bool:
    """Whether Python itself gives false for ``node`` when its nullable operand is unknown:
    ``x == constant`` (``None == value`` is false) and ``x in [literal list]`` (``None`` is in
    no list of answers)."""
    if len(node.ops) != 1:
        return False
    if node.ops[0] == "==":
        return any(isinstance(o, Const) and o.value is not None for o in (node.left, *node.comparators))
    right = node.comparators[0]
    return node.ops[0] == "in" and isinstance(right, ListLit) and None not in right.values


def _var(name: str) -> str:
    return "v_" + name


def _is_none(expr: ast.expr) -> ast.expr:
    return ast.Compare(expr, [ast.Is()], [ast.Constant(None)])


def _negate_is_none(test: ast.expr) -> ast.expr:
    assert isinstance(test, ast.Compare)
    return ast.Compare(test.left, [ast.IsNot()], test.comparators)


_CMP_OPS: dict[str, type[ast.cmpop]] = {
    **{"==": ast.Eq, "!=": ast.NotEq, "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE},
    **{"in": ast.In, "not in": ast.NotIn},
}


def _cmp_op(op: str) -> ast.cmpop:
    return _CMP_OPS[op]()
