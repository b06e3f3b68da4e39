"""The restricted condition language used by `when`, `strength` and `[signals]`.

An expression is parsed with :mod:`ast` and converted into a small tree of our own node classes;
every Python construct outside the whitelist (attribute access, subscripts, lambdas,
comprehensions, calls other than the allowed functions...) is refused. Names and types are
checked against the questionnaire when a pack loads. Evaluation comes in two forms with the
same semantics:

* :func:`evaluate` / :func:`explain` walk the tree: the reference semantics, and the full
  explanation of a rule (what held and what failed), and
* :class:`ProgramBuilder` compiles many expressions into one Python function from a generated
  AST (never from text), which is what the engine runs for speed: a rule set's signals and
  scores, and for a chosen step the reasons ``explain`` would give and its filled texts.

``None`` is "unknown" (an unanswered optional question): comparisons with it are false,
arithmetic with it gives ``None``, ``not None`` is ``None``, and a condition that ends up
``None`` does not hold.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Union

import attrs

from .errors import did_you_mean
from .templates import shown

MAX_LENGTH = 2000
MAX_DEPTH = 32
MAX_NODES = 400
#: The largest number a literal may be (as large as an answer may be: 15 digits).
MAX_NUMBER = 10 ** 15

NUMBER, BOOL, STR, LIST = "number", "bool", "str", "list"


@attrs.frozen
class VType:
    """The static type of a name or an expression.

    ``options`` is the set of allowed strings for a choice (``str``) or a multi (``list``)
    question, ``None`` when any string is allowed. ``nullable`` marks values that may be
    ``None`` (unanswered).
    """

    kind: str
    options: frozenset[str] | None = None
    nullable: bool = False

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


# ---------------------------------------------------------------------------------------------
# The tree

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


Node = Union[Const, Name, ListLit, BoolOp, Not, Neg, Compare, BinOp, IfExp, Call]


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
    for child in _children(node):
        yield from _names(child)


def _children(node: Node) -> tuple[Node, ...]:
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


# ---------------------------------------------------------------------------------------------
# Parsing: Python AST -> our tree

_CMP_OPS: dict[type, str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.In: "in", ast.NotIn: "not in",
}
_BIN_OPS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_BOOL_WORDS = {"true": True, "false": False, "True": True, "False": False}

#: The functions an expression may call, with their arity (min, max).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None), "max": (2, None), "abs": (1, 1), "len": (1, 1),
    "any_of": (2, 2), "all_of": (2, 2), "scale": (3, 3), "answered": (1, 1),
}

_NODE_WORDS: dict[type, str] = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambda",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "comprehensions",
    ast.Dict: "dicts", ast.Set: "sets", ast.Starred: "star arguments", ast.NamedExpr: ":=",
    ast.JoinedStr: "f-strings", ast.Await: "await", ast.Yield: "yield",
}


def parse(source: str) -> Node:
    """Parse ``source`` into a tree, refusing anything outside the whitelist.

    Raises :class:`ConditionError` with every problem found (never ``SyntaxError`` or
    ``RecursionError``).
    """
    if not isinstance(source, str):
        raise ConditionError([f"expected an expression as text, got {type(source).__name__}"])
    if len(source) > MAX_LENGTH:
        raise ConditionError([f"expression is too long ({len(source)} characters, limit {MAX_LENGTH})"])
    if not source.strip():
        raise ConditionError(["expression is empty"])
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise ConditionError([f"syntax error{where}: {exc.msg}"]) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ConditionError([f"expression cannot be parsed: {type(exc).__name__}: {exc}"]) from None
    problems: list[str] = []
    for count, part in enumerate(ast.walk(tree), start=1):
        if count > MAX_NODES:
            raise ConditionError([f"expression is too large (more than {MAX_NODES} parts)"])
        if isinstance(part, ast.Constant) and isinstance(part.value, (int, float)) \
                and not isinstance(part.value, bool) \
                and not abs(part.value) <= MAX_NUMBER:  # also refuses 1e999 (infinity)
            text = ast.get_source_segment(source.strip(), part) or repr(part.value)
            problems.append(f"number {text if len(text) <= 20 else text[:17] + '...'} is too large "
                            "(the limit is 1e15)")
    node = _convert(tree.body, problems, depth=0)
    if problems:
        raise ConditionError(problems)
    return node


def _convert(node: ast.AST, problems: list[str], depth: int) -> Node:
    if depth > MAX_DEPTH:
        problems.append(f"expression is nested too deeply (limit {MAX_DEPTH} levels)")
        return Const(None)
    d = depth + 1

    def sub(n: ast.AST) -> Node:
        return _convert(n, problems, d)

    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bool, int, float, str)) and not isinstance(node.value, complex):
            return Const(node.value)
        problems.append(f"literal {node.value!r} is not allowed (use numbers, 'text', True/False)")
        return Const(None)
    if isinstance(node, ast.Name):
        if node.id in _BOOL_WORDS:
            return Const(_BOOL_WORDS[node.id])
        return Name(node.id)
    if isinstance(node, (ast.List, ast.Tuple)):
        values = []
        for elt in node.elts:
            if isinstance(elt, ast.Constant) and isinstance(elt.value, (int, float, str)) \
                    and not isinstance(elt.value, bool):
                values.append(elt.value)
            else:
                problems.append("list items must be literal numbers or 'text'")
        return ListLit(tuple(values))
    if isinstance(node, ast.BoolOp):
        return BoolOp("and" if isinstance(node.op, ast.And) else "or", tuple(sub(v) for v in node.values))
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return Not(sub(node.operand))
        if isinstance(node.op, ast.USub):
            operand = sub(node.operand)
            if isinstance(operand, Const) and isinstance(operand.value, (int, float)) \
                    and not isinstance(operand.value, bool):
                return Const(-operand.value)
            return Neg(operand)
        problems.append(f"operator {type(node.op).__name__} is not allowed")
        return Const(None)
    if isinstance(node, ast.Compare):
        ops = []
        for op in node.ops:
            if type(op) not in _CMP_OPS:
                problems.append(f"comparison {type(op).__name__} is not allowed (use ==, !=, <, <=, >, >=, in, not in)")
            ops.append(_CMP_OPS.get(type(op), "=="))
        return Compare(sub(node.left), tuple(ops), tuple(sub(c) for c in node.comparators))
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BIN_OPS:
            problems.append(f"operator {type(node.op).__name__} is not allowed (use + - * /)")
        return BinOp(_BIN_OPS.get(type(node.op), "+"), sub(node.left), sub(node.right))
    if isinstance(node, ast.IfExp):
        return IfExp(sub(node.test), sub(node.body), sub(node.orelse))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            problems.append("only plain function calls are allowed: " + ", ".join(sorted(FUNCTIONS)))
            return Const(None)
        name = node.func.id
        if name not in FUNCTIONS:
            problems.append(f"function {name!r} is not allowed{did_you_mean(name, FUNCTIONS)}; "
                            f"allowed: {', '.join(sorted(FUNCTIONS))}")
            return Const(None)
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            problems.append(f"{name}() takes plain positional arguments only")
            return Const(None)
        lo, hi = FUNCTIONS[name]
        if len(node.args) < lo or (hi is not None and len(node.args) > hi):
            want = str(lo) if lo == hi else f"at least {lo}"
            problems.append(f"{name}() takes {want} arguments, got {len(node.args)}")
            return Const(None)
        return Call(name, tuple(sub(a) for a in node.args))
    word = _NODE_WORDS.get(type(node), type(node).__name__)
    problems.append(f"not allowed in conditions: {word}")
    return Const(None)


# ---------------------------------------------------------------------------------------------
# Type checking

def check(node: Node, names: Mapping[str, VType]) -> tuple[VType, list[str]]:
    """Infer the type of ``node`` given the types of the ``names`` it may read.

    Returns the type and the list of problems (unknown names with did-you-mean, type mismatches,
    options a question does not have).
    """
    problems: list[str] = []
    vtype = _Checker(names, problems).visit(node)
    return vtype, problems


def compile_expression(source: str, names: Mapping[str, VType], *, want: str | None = None) -> Expression:
    """Parse and type-check ``source``; ``want`` (``bool``/``number``) constrains the result.

    Raises :class:`ConditionError` listing every problem.
    """
    node = parse(source)
    vtype, problems = check(node, names)
    if not problems and want is not None and vtype.kind != want \
            and not (want == NUMBER and vtype.kind == BOOL):
        problems.append(f"expected {VType(want).describe()}, but the expression gives {vtype.describe()}")
    if problems:
        raise ConditionError(problems)
    return Expression(source, node, vtype)


_ANY = VType("any")  # the type of something already reported as wrong


def _render_value(value: Any) -> str:
    if type(value) in (int, str):  # the usual case first (not bool, a subclass of int)
        return repr(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, (list, tuple, frozenset)):
        return "[" + ", ".join(repr(v) for v in sorted(value)) + "]"
    return repr(value)


@attrs.define
class _Checker:
    names: Mapping[str, VType]
    problems: list[str]

    def visit(self, node: Node) -> VType:
        method = getattr(self, "visit_" + type(node).__name__)
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

    def _want(self, vtype: VType, kind: str, what: str) -> None:
        if vtype.kind not in (kind, _ANY.kind):
            self.problems.append(f"{what} needs {VType(kind).describe()}, got {vtype.describe()}")

    def visit_BoolOp(self, node: BoolOp) -> VType:
        nullable = False
        for value in node.values:
            vtype = self.visit(value)
            self._want(vtype, BOOL, f"'{node.op}'")
            nullable = nullable or vtype.nullable
        return VType(BOOL, nullable=nullable)

    def visit_Not(self, node: Not) -> VType:
        vtype = self.visit(node.operand)
        self._want(vtype, BOOL, "'not'")
        return VType(BOOL, nullable=vtype.nullable)

    def visit_Neg(self, node: Neg) -> VType:
        vtype = self.visit(node.operand)
        self._want(vtype, NUMBER, "'-'")
        return VType(NUMBER, nullable=vtype.nullable)

    def visit_BinOp(self, node: BinOp) -> VType:
        left, right = self.visit(node.left), self.visit(node.right)
        for side in (left, right):
            self._want(side, NUMBER, f"'{node.op}'")
        if node.op == "/" and isinstance(node.right, Const) and node.right.value == 0:
            self.problems.append("division by zero")
        return VType(NUMBER, nullable=left.nullable or right.nullable or node.op == "/")

    def visit_IfExp(self, node: IfExp) -> VType:
        test = self.visit(node.test)
        self._want(test, BOOL, "the condition of 'if ... else'")
        body, orelse = self.visit(node.body), self.visit(node.orelse)
        if _ANY.kind not in (body.kind, orelse.kind) and body.kind != orelse.kind:
            self.problems.append(f"both branches of 'if ... else' must have one type, got "
                                 f"{body.describe()} and {orelse.describe()}")
        nullable = test.nullable or body.nullable or orelse.nullable
        return attrs.evolve(body, nullable=nullable)

    def visit_Compare(self, node: Compare) -> VType:
        operands = (node.left, *node.comparators)
        types = [self.visit(o) for o in operands]
        for (lnode, ltype), op, (rnode, rtype) in zip(
                zip(operands, types), node.ops, zip(operands[1:], types[1:])):
            self._compare(lnode, ltype, op, rnode, rtype)
        return VType(BOOL)

    def _compare(self, lnode: Node, ltype: VType, op: str, rnode: Node, rtype: VType) -> None:
        if _ANY.kind in (ltype.kind, rtype.kind):
            return
        if op in ("in", "not in"):
            if rtype.kind != LIST:
                self.problems.append(f"'{op}' needs a list or a multi-choice question on the right, "
                                     f"got {rtype.describe()}")
                return
            if ltype.kind not in (STR, NUMBER):
                self.problems.append(f"'{op}' needs text or a number on the left, got {ltype.describe()}")
                return
            self._options(lnode, ltype, rnode, rtype)
            return
        if op in ("<", "<=", ">", ">="):
            for vtype in (ltype, rtype):
                self._want(vtype, NUMBER, f"'{op}'")
            return
        if ltype.kind != rtype.kind:
            self.problems.append(f"cannot compare {ltype.describe()} with {rtype.describe()} using '{op}'")
            return
        if ltype.kind == LIST:
            self.problems.append(f"cannot compare lists with '{op}'; use any_of() or 'in'")
            return
        self._options(lnode, ltype, rnode, rtype)
        self._options(rnode, rtype, lnode, ltype)

    def _options(self, lnode: Node, ltype: VType, rnode: Node, rtype: VType) -> None:
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
                    f"options: {', '.join(sorted(options))}")

    def visit_Call(self, node: Call) -> VType:
        types = [self.visit(a) for a in node.args]
        nullable = any(t.nullable for t in types)
        if node.func in ("min", "max", "abs"):
            for vtype in types:
                self._want(vtype, NUMBER, f"{node.func}()")
            nullable = all(t.nullable for t in types) if node.func != "abs" else nullable
            return VType(NUMBER, nullable=nullable)
        if node.func == "len":
            self._want(types[0], LIST, "len()")
            return VType(NUMBER)
        if node.func == "answered":
            if not isinstance(node.args[0], Name):
                self.problems.append("answered() takes a question id")
            return VType(BOOL)
        if node.func in ("any_of", "all_of"):
            self._want(types[0], LIST, f"{node.func}() first argument")
            if not isinstance(node.args[1], ListLit):
                self.problems.append(f"{node.func}() second argument must be a literal list")
            else:
                self._options(node.args[0], types[1], node.args[1], types[0])
                self._multi_options(node)
            return VType(BOOL)
        # scale(x, lo, hi)
        for vtype in types:
            self._want(vtype, NUMBER, "scale()")
        lo, hi = node.args[1], node.args[2]
        if isinstance(lo, Const) and isinstance(hi, Const) and lo.value == hi.value:
            self.problems.append("scale() needs lo != hi")
        return VType(NUMBER, nullable=nullable or not (isinstance(lo, Const) and isinstance(hi, Const)))

    def _multi_options(self, node: Call) -> None:
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
                    f"options: {', '.join(sorted(options))}")


def _subject(node: Node) -> str:
    return node.id if isinstance(node, Name) else "the list"


# ---------------------------------------------------------------------------------------------
# Runtime helpers (shared by the interpreter and the compiled program)

def _clamp(value: Any, unknown: float | None = None) -> float | None:
    """A signal value clamped into [0, 1] as a float; ``None`` and NaN are ``unknown``.

    Compared before it is converted, so a whole number too large for a float is simply 1.
    """
    if value is None:
        return unknown
    if 0.0 <= value <= 1.0:
        return float(value)
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else unknown


def strength_value(value: Any) -> float:
    """A rule's strength in [0, 1]: unknown counts as 0."""
    return _clamp(value, 0.0)  # type: ignore[return-value]


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _nmin(*args: float | None) -> float | None:
    known = [a for a in args if a is not None]
    return min(known) if known else None


def _nmax(*args: float | None) -> float | None:
    known = [a for a in args if a is not None]
    return max(known) if known else None


def _scale(x: float | None, lo: float | None, hi: float | None) -> float | None:
    if x is None or lo is None or hi is None or lo == hi:
        return None
    return _clamp((x - lo) / (hi - lo))


def _answered(value: Any) -> bool:
    return value is not None and value != ()


def _any_of(values: Sequence[str], options: frozenset[str]) -> bool:
    return not options.isdisjoint(values)


def _all_of(values: Sequence[str], options: frozenset[str]) -> bool:
    return options.issubset(values)


def _describe(value: Any) -> str:
    return "unanswered" if value is None else _render_value(value)


_RUNTIME: dict[str, Any] = {
    "_float": float, "_div": _div, "_nmin": _nmin, "_nmax": _nmax,
    "_scale": _scale, "_disjoint": frozenset.isdisjoint, "_subset": frozenset.issubset,
    "_answered": _answered,
    "_min": min, "_max": max, "_abs": abs, "_len": len, "_describe": _describe, "_render": _render_value,
    "_shown": shown,
}

_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}
_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": _div,
}


# ---------------------------------------------------------------------------------------------
# Interpreter and explanations

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


#: A text to fill from the answers, as :func:`bounceback.templates.parse` gives it.
TextTemplate = tuple[tuple[tuple[str, str, str], ...], str]

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


# ---------------------------------------------------------------------------------------------
# Compilation: many expressions -> one Python function, built from a generated AST

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
        self._temps = itertools.count()

    def assign(self, name: str, node: Node, vtype: VType, *, clamp: bool = True) -> None:
        """Compute ``name`` from ``node``, clamped into [0, 1] like a signal (see :func:`_clamp`)
        unless ``clamp`` is false."""
        expr = self._clamped(node, unknown=ast.Constant(None)) if clamp else self._expr(node)
        self._body.append(ast.Assign([ast.Name(_var(name), ast.Store())], expr))
        self._assigned.add(name)
        self._types[name] = vtype

    def output_name(self, name: str) -> None:
        """Output the value of ``name`` (an input or an assigned value)."""
        self.output_expr(Name(name))

    def output_expr(self, node: Node) -> None:
        """Output the value of the expression ``node``."""
        self._outputs.append(self._expr(node))

    def score(self, when: Node | None, strength: Node | None, weight: float) -> None:
        """Output ``weight × strength`` when ``when`` holds, else ``0.0``."""
        value: ast.expr = ast.Constant(float(weight))
        if strength is not None:
            # strength_value(), inline: unknown counts as 0
            value = ast.BinOp(value, ast.Mult(), self._clamped(strength, unknown=ast.Constant(0.0)))
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
        self._outputs.append(reasons if holds else ast.IfExp(self._expr(node), reasons, ast.Constant(())))

    def text(self, template: TextTemplate) -> None:
        """Output a text filled from the answers, inline: ``template`` is
        :func:`bounceback.templates.parse` of it, and the result is what ``fill`` gives."""
        pieces, tail = template
        parts: list[ast.expr] = []
        for before, name, otherwise in pieces:
            if before:
                parts.append(ast.Constant(before))
            parts.append(_helper("_shown", [self._expr(Name(name)), ast.Constant(otherwise)]))
        if tail or not parts:
            parts.append(ast.Constant(tail))
        self._outputs.append(_concat_text(parts))

    def build(self) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
        """Compile everything added so far into one function returning the tuple of outputs."""
        loads: list[ast.stmt] = [
            ast.Assign([ast.Name(_var(name), ast.Store())],
                       ast.Subscript(ast.Name("values", ast.Load()), ast.Constant(name), ast.Load()))
            for name in self._inputs
        ]
        ret = ast.Return(ast.Tuple(self._outputs, ast.Load()))
        func = ast.FunctionDef(
            name="_program",
            args=ast.arguments(posonlyargs=[], args=[ast.arg("values")], kwonlyargs=[],
                               kw_defaults=[], defaults=[]),
            body=[*loads, *self._body, ret], decorator_list=[], returns=None,
            **({"type_params": []} if sys.version_info >= (3, 12) else {}),
        )
        module = ast.fix_missing_locations(ast.Module([func], type_ignores=[]))
        namespace: dict[str, Any] = {"__builtins__": {}, **_RUNTIME}
        exec(compile(module, "<bounceback rules>", "exec"), namespace)  # generated AST, not text
        return namespace["_program"]

    # -- code generation ---------------------------------------------------------------------

    def _reasons(self, node: Node) -> ast.expr:
        """A tuple of reasons for ``node``, valid where its value is truthy (as Trace.reasons)."""
        if isinstance(node, Name) or (isinstance(node, Not) and isinstance(node.operand, Name)):
            name = node if isinstance(node, Name) else node.operand
            return self._text((f"{name.id} = ", 0), [name])  # type: ignore[list-item]
        if isinstance(node, (Const, ListLit, Not)):
            # A literal has no reasons; `not x` holds because x failed, and failures are no reasons.
            return ast.Constant(())
        if isinstance(node, Compare):
            return self._text(_compare_parts(node, True), (node.left, *node.comparators))
        if isinstance(node, Call) and node.func in ("any_of", "all_of"):
            return self._text(_membership_parts(node), node.args)
        if isinstance(node, Call) and node.func == "answered":
            return self._text((_answered_text(node, True),), ())
        if isinstance(node, Neg):
            return self._reasons(node.operand)  # -x is truthy exactly when x is
        if isinstance(node, BoolOp) and node.op == "and":  # it holds, so every part held
            return _join([self._reasons(v) for v in node.values])
        if isinstance(node, BoolOp):  # the reasons of the first part that held
            chosen: ast.expr = ast.Constant(())
            for value in reversed(node.values):
                chosen = ast.IfExp(self._expr(value), self._reasons(value), chosen)
            return chosen
        if isinstance(node, IfExp):
            return ast.IfExp(self._expr(node.test),
                             _join([self._reasons(node.test), self._reasons(node.body)]),
                             self._reasons(node.orelse))
        # Arithmetic and the other calls: the reasons of every truthy operand.
        return _join([ast.IfExp(self._expr(c), self._reasons(c), ast.Constant(()))
                        for c in _children(node)])

    def _text(self, parts: TextParts, operands: Sequence[Node]) -> ast.expr:
        """A one-reason tuple: ``parts`` with each operand index replaced by its described value."""
        pieces: list[ast.expr] = [
            ast.Constant(p) if isinstance(p, str) else
            _helper("_describe" if self._nullable(operands[p]) else "_render", [self._expr(operands[p])])
            for p in parts]
        return ast.Tuple([_concat_text(pieces)], ast.Load())

    def _nullable(self, node: Node) -> bool:
        if isinstance(node, Const):
            return node.value is None
        if isinstance(node, Name):
            return self._types[node.id].nullable
        if isinstance(node, (ListLit, Compare)):
            return False
        if isinstance(node, Call):
            if node.func in ("len", "any_of", "all_of", "answered"):
                return False
            if node.func in ("min", "max"):
                return all(self._nullable(a) for a in node.args)
            if node.func == "scale":  # unknown for unknown input, or bounds that may be equal
                return not _fixed_bounds(node) or self._nullable(node.args[0])
            return self._nullable(node.args[0])
        if isinstance(node, BinOp) and node.op == "/":
            return True
        return any(self._nullable(c) for c in _children(node))

    def _clamped(self, node: Node, unknown: ast.expr) -> ast.expr:
        """``node`` as a float clamped into [0, 1], or ``unknown`` when it is None, computed
        inline with the same result as :func:`_clamp` (a call per rule costs more than this)."""
        later, test = self._guard(node)
        clamped = self._clamp(later, unknown, is_float=False)
        return clamped if test is None else ast.IfExp(test, unknown, clamped)

    def _clamp(self, expr: ast.expr, unknown: ast.expr, *, is_float: bool) -> ast.expr:
        """A known (not None) number ``expr`` clamped into [0, 1] as a float, as :func:`_clamp`
        does (``unknown`` for NaN)."""
        first = later = expr
        if not isinstance(expr, ast.Name):  # evaluate once, in the first comparison
            name = self._temp()
            first, later = ast.NamedExpr(ast.Name(name, ast.Store()), expr), ast.Name(name, ast.Load())
        return ast.IfExp(
            ast.Compare(ast.Constant(0.0), [ast.LtE(), ast.LtE()], [first, ast.Constant(1.0)]),
            later if is_float else _helper("_float", [later]),
            ast.IfExp(ast.Compare(later, [ast.Lt()], [ast.Constant(0.0)]), ast.Constant(0.0),
                      ast.IfExp(ast.Compare(later, [ast.Gt()], [ast.Constant(1.0)]), ast.Constant(1.0),
                                unknown)))

    def _temp(self) -> str:
        return f"_t{next(self._temps)}"

    def _guard(self, node: Node) -> tuple[ast.expr, ast.expr | None]:
        """``(value, none_test)`` for ``node``; ``none_test`` is None when it is never None.

        A complex nullable expression is evaluated once, inside the test, into a temporary
        that ``value`` then reads, so the test must run first.
        """
        expr = self._expr(node)
        if not self._nullable(node):
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
            return ast.Constant(frozenset(node.values))
        if isinstance(node, BoolOp):
            op = ast.And() if node.op == "and" else ast.Or()
            return ast.BoolOp(op, [self._expr(v) for v in node.values])
        if isinstance(node, Not):
            later, test = self._guard(node.operand)
            negated = ast.UnaryOp(ast.Not(), later)
            return negated if test is None else ast.IfExp(test, ast.Constant(None), negated)
        if isinstance(node, Neg):
            later, test = self._guard(node.operand)
            negated = ast.UnaryOp(ast.USub(), later)
            return negated if test is None else ast.IfExp(test, ast.Constant(None), negated)
        if isinstance(node, BinOp):
            return self._binop(node)
        if isinstance(node, IfExp):
            later, test = self._guard(node.test)
            chosen = ast.IfExp(later, self._expr(node.body), self._expr(node.orelse))
            return chosen if test is None else ast.IfExp(test, ast.Constant(None), chosen)
        if isinstance(node, Compare):
            return self._compare(node)
        return self._call(node)

    def _binop(self, node: BinOp) -> ast.expr:
        if node.op == "/":
            return _helper("_div", [self._expr(node.left), self._expr(node.right)])
        left, ltest = self._guard(node.left)
        right, rtest = self._guard(node.right)
        tests = [t for t in (ltest, rtest) if t is not None]
        op = {"+": ast.Add(), "-": ast.Sub(), "*": ast.Mult()}[node.op]
        result: ast.expr = ast.BinOp(left, op, right)
        if tests:
            either = tests[0] if len(tests) == 1 else ast.BoolOp(ast.Or(), tests)
            result = ast.IfExp(either, ast.Constant(None), result)
        return result

    def _compare(self, node: Compare) -> ast.expr:
        operands = (node.left, *node.comparators)
        if not any(self._nullable(o) for o in operands):
            return ast.Compare(self._expr(node.left), [_cmp_op(o) for o in node.ops],
                               [self._expr(c) for c in node.comparators])
        # Split the chain into guarded pairs: each operand is evaluated once (via a temporary).
        guards = [self._guard(o) for o in operands]
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
        args = [self._expr(a) for a in node.args]
        if node.func in ("min", "max"):
            nullable = any(self._nullable(a) for a in node.args)
            return _helper(("_n" if nullable else "_") + node.func, args)
        if node.func == "abs":
            later, test = self._guard(node.args[0])
            result = _helper("_abs", [later])
            return result if test is None else ast.IfExp(test, ast.Constant(None), result)
        if node.func == "len":
            return _helper("_len", args)
        if node.func == "any_of":  # not options.isdisjoint(chosen), with no Python call between
            return ast.UnaryOp(ast.Not(), _helper("_disjoint", [args[1], args[0]]))
        if node.func == "all_of":
            return _helper("_subset", [args[1], args[0]])
        if node.func == "answered":
            return _helper("_answered", args)
        if _fixed_bounds(node):  # scale(x, 2, 5), inline: (x - 2) / 3 clamped, as _scale does
            x, lo, hi = node.args
            later, test = self._guard(x)
            span = hi.value - lo.value  # type: ignore[union-attr]
            ratio = ast.BinOp(ast.BinOp(later, ast.Sub(), ast.Constant(lo.value)),  # type: ignore[union-attr]
                              ast.Div(), ast.Constant(span))
            scaled = self._clamp(ratio, ast.Constant(None), is_float=True)
            return scaled if test is None else ast.IfExp(test, ast.Constant(None), scaled)
        return _helper("_scale", args)


def _fixed_bounds(node: Call) -> bool:
    """``scale(x, lo, hi)`` with literal, different numbers for ``lo`` and ``hi``."""
    lo, hi = node.args[1], node.args[2]
    return isinstance(lo, Const) and isinstance(hi, Const) and isinstance(lo.value, (int, float)) \
        and isinstance(hi.value, (int, float)) and lo.value != hi.value


def _concat_text(parts: list[ast.expr]) -> ast.expr:
    """The strings ``parts`` joined, as an f-string of them: one BUILD_STRING instead of a
    chain of additions. Every part is a literal or a helper's result, never a format spec."""
    if len(parts) == 1:
        return parts[0]
    return ast.JoinedStr([p if isinstance(p, ast.Constant) else ast.FormattedValue(p, -1, None)
                          for p in parts])


def _join(parts: list[ast.expr]) -> ast.expr:
    """``parts[0] + parts[1] + ...`` (strings or tuples)."""
    result = parts[0]
    for part in parts[1:]:
        result = ast.BinOp(result, ast.Add(), part)
    return result


def _var(name: str) -> str:
    return "v_" + name


def _helper(name: str, args: list[ast.expr]) -> ast.expr:
    return ast.Call(ast.Name(name, ast.Load()), args, [])


def _is_none(expr: ast.expr) -> ast.expr:
    return ast.Compare(expr, [ast.Is()], [ast.Constant(None)])


def _negate_is_none(test: ast.expr) -> ast.expr:
    assert isinstance(test, ast.Compare)
    return ast.Compare(test.left, [ast.IsNot()], test.comparators)


def _cmp_op(op: str) -> ast.cmpop:
    return {"==": ast.Eq(), "!=": ast.NotEq(), "<": ast.Lt(), "<=": ast.LtE(), ">": ast.Gt(),
            ">=": ast.GtE(), "in": ast.In(), "not in": ast.NotIn()}[op]
