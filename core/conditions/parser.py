"""Parsing: Python expression syntax → our tree, refusing everything outside the whitelist."""

from __future__ import annotations

import ast
import functools

from ..errors import did_you_mean
from .functions import FUNCTIONS
from .tree import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    MAX_NUMBER,
    BinOp,
    BoolOp,
    Call,
    Compare,
    ConditionError,
    Const,
    IfExp,
    ListLit,
    Name,
    Neg,
    Node,
    Not,
)

_CMP_OPS: dict[type, str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_BIN_OPS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_BOOL_WORDS = {"true": True, "false": False, "True": True, "False": False}


_NODE_WORDS: dict[type, str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.Starred: "star arguments",
    ast.NamedExpr: ":=",
    ast.JoinedStr: "f-strings",
    ast.Await: "await",
    ast.Yield: "yield",
}


def parse(source: str) -> Node:
    """Parse ``source`` into a tree, refusing anything outside the whitelist.

    Raises :class:`ConditionError` with every problem found (never ``SyntaxError`` or
    ``RecursionError``).
    """
    if not isinstance(source, str):
        raise ConditionError([f"expected an expression as text, got {type(source).__name__}"])
    return _parse(source)


@functools.lru_cache(maxsize=4096)
def _parse(source: str) -> Node:
    """:func:`parse` of a text, remembered: loading reads the same condition in a rule, its
    texts and the checks of the whole rule set (the trees are frozen, so they can be shared)."""
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
        if (
            isinstance(part, ast.Constant)
            and isinstance(part.value, (int, float))
            and not isinstance(part.value, bool)
            and not abs(part.value) <= MAX_NUMBER
        ):  # also refuses 1e999 (infinity)
            text = ast.get_source_segment(source.strip(), part) or repr(part.value)
            problems.append(
                f"number {text if len(text) <= 20 else text[:17] + '...'} is too large (the limit is 1e15)"
            )
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
            if (
                isinstance(elt, ast.Constant)
                and isinstance(elt.value, (int, float, str))
                and not isinstance(elt.value, bool)
            ):
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
            if (
                isinstance(operand, Const)
                and isinstance(operand.value, (int, float))
                and not isinstance(operand.value, bool)
            ):
                return Const(-operand.value)
            return Neg(operand)
        problems.append(f"operator {type(node.op).__name__} is not allowed")
        return Const(None)
    if isinstance(node, ast.Compare):
        ops = []
        for op in node.ops:
            if type(op) not in _CMP_OPS:
                problems.append(
                    f"comparison {type(op).__name__} is not allowed (use ==, !=, <, <=, >, >=, in, not in)"
                )
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
            problems.append(
                f"function {name!r} is not allowed{did_you_mean(name, FUNCTIONS)}; "
                f"allowed: {', '.join(sorted(FUNCTIONS))}"
            )
            return Const(None)
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            problems.append(f"{name}() takes plain positional arguments only")
            return Const(None)
        lo, hi = FUNCTIONS[name].arity
        if len(node.args) < lo or (hi is not None and len(node.args) > hi):
            want = str(lo) if lo == hi else f"at least {lo}"
            problems.append(f"{name}() takes {want} arguments, got {len(node.args)}")
            return Const(None)
        return Call(name, tuple(sub(a) for a in node.args))
    word = _NODE_WORDS.get(type(node), type(node).__name__)
    problems.append(f"not allowed in conditions: {word}")
    return Const(None)
