"""The functions a condition may call: one :class:`Function` entry each in :data:`FUNCTIONS`.

An entry is everything the language needs to know about a function, read by every part of it:
the parser takes its arity, the checker its argument and result types (and any check of its
own), the interpreter and the compiled program its value (``None`` is unknown), the compiler its
compiled form (by default a call of the value), both whether its result may be unknown, and the
explainer how it reads as a reason. Adding a function is adding an entry; a name without one is
refused when a condition is parsed, so nothing falls through to another function.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from . import runtime
from .text import TextParts, answer_is, listed_values, source_of
from .tree import BOOL, LIST, NUMBER, Call, Const, ListLit, Name, VType

if TYPE_CHECKING:
    from .checker import TypeChecker
    from .compiler import ProgramBuilder

#: How argument positions are named in type errors of functions whose arguments differ.
ORDINALS = ("first", "second", "third", "fourth", "fifth")


def any_unknown(node: Call, unknown: Sequence[bool]) -> bool:
    """The default :attr:`Function.nullable`: unknown when any argument may be unknown."""
    return any(unknown)


def never_unknown(node: Call, unknown: Sequence[bool]) -> bool:
    """A function whose result is always known."""
    return False


@attrs.frozen
class Function:
    """One function of the condition language.

    ``args`` is the kind (``number``, ``bool``, ``str``, ``list``; ``None`` for any) of each
    argument, the last one repeated when ``variadic``; ``result`` the kind of the value.
    ``value(*arguments)`` is the semantics (arguments and result may be ``None``, unknown).
    ``nullable(call, unknown)`` says whether the result may be unknown, given which arguments
    may be. ``compiled(builder, call, arguments)`` returns the generated code (``arguments``
    already compiled); ``None`` calls ``value``. ``reads(call, value)`` gives the text of the
    call as an atom of an explanation (see :func:`~bounceback.conditions.text.atom_text`);
    ``None`` when the call is not an atom (the reasons are its operands'). ``fails(call, values,
    negated)`` says how a failed atom reads, with what it needs (``negated``: what ``not
    call`` needs, the call having held); ``None`` (or no ``fails``) reads as ``reads`` does.
    ``check(checker, call, types)`` adds problems the argument kinds cannot express.
    """

    name: str
    args: tuple[str | None, ...]
    result: str
    value: Callable[..., Any]
    variadic: bool = False
    nullable: Callable[[Call, Sequence[bool]], bool] = any_unknown
    compiled: Callable[[ProgramBuilder, Call, list[ast.expr]], ast.expr] | None = None
    reads: Callable[[Call, Any], TextParts] | None = None
    fails: Callable[[Call, Sequence[Any], bool], str | None] | None = None
    check: Callable[[TypeChecker, Call, list[VType]], None] | None = None

    @property
    def arity(self) -> tuple[int, int | None]:
        """The least and the most arguments (``None``: no limit)."""
        return len(self.args), None if self.variadic else len(self.args)

    @property
    def runtime_name(self) -> str:
        """The name the compiled program calls :attr:`value` by."""
        return f"_fn_{self.name}"

    def arg_kind(self, index: int) -> str | None:
        """The kind the argument at ``index`` must have (``None``: any)."""
        return self.args[min(index, len(self.args) - 1)]

    def arg_word(self, index: int) -> str:
        """How a type error names the argument at ``index``: ``min()``, ``any_of() first argument``."""
        if len(set(self.args)) == 1:
            return f"{self.name}()"
        return f"{self.name}() {ORDINALS[index]} argument"


def helper(name: str, args: list[ast.expr]) -> ast.expr:
    """Generated code calling the runtime helper ``name`` with ``args``."""
    return ast.Call(ast.Name(name, ast.Load()), args, [])


def runtime_namespace() -> dict[str, Any]:
    """The names the compiled program may call: the runtime helpers and every function's value."""
    return {**runtime.RUNTIME, **{f.runtime_name: f.value for f in FUNCTIONS.values()}}


# -- the built-in functions' own parts --------------------------------------------------------


def _all_unknown(node: Call, unknown: Sequence[bool]) -> bool:
    return all(unknown)


def _compiled_extreme(builder: ProgramBuilder, node: Call, args: list[ast.expr]) -> ast.expr:
    """min/max: the builtin, over the known arguments when some may be unknown (``None`` when
    none is known), all in C: ``_max(_filter(_known, (a, b)), default=None)``."""
    if not any(builder.nullable(a) for a in node.args):
        return helper("_" + node.func, args)
    known = helper("_filter", [ast.Name("_known", ast.Load()), ast.Tuple(args, ast.Load())])
    return ast.Call(
        ast.Name("_" + node.func, ast.Load()), [known], [ast.keyword("default", ast.Constant(None))]
    )


def _compiled_abs(builder: ProgramBuilder, node: Call, args: list[ast.expr]) -> ast.expr:
    later, test = builder.guard(node.args[0])
    result = helper("_abs", [later])
    return result if test is None else ast.IfExp(test, ast.Constant(None), result)


def _compiled_len(builder: ProgramBuilder, node: Call, args: list[ast.expr]) -> ast.expr:
    return helper("_len", args)


def _compiled_any_of(builder: ProgramBuilder, node: Call, args: list[ast.expr]) -> ast.expr:
    # not options.isdisjoint(chosen), with no Python call between
    return ast.UnaryOp(ast.Not(), helper("_disjoint", [args[1], args[0]]))


def _compiled_all_of(builder: ProgramBuilder, node: Call, args: list[ast.expr]) -> ast.expr:
    return helper("_subset", [args[1], args[0]])


def fixed_bounds(node: Call) -> bool:
    """``scale(x, lo, hi)`` with literal, different numbers for ``lo`` and ``hi``."""
    lo, hi = node.args[1], node.args[2]
    return (
        isinstance(lo, Const)
        and isinstance(hi, Const)
        and isinstance(lo.value, (int, float))
        and isinstance(hi.value, (int, float))
        and lo.value != hi.value
    )


def _scale_unknown(node: Call, unknown: Sequence[bool]) -> bool:
    # unknown for unknown input, or bounds that may be equal
    return unknown[0] or not fixed_bounds(node)


def _compiled_scale(builder: ProgramBuilder, node: Call, args: list[ast.expr]) -> ast.expr:
    if not fixed_bounds(node):
        return helper(FUNCTIONS["scale"].runtime_name, args)
    # scale(x, 2, 5), inline: (x - 2) / 3 clamped, as runtime.scale does
    x, lo, hi = node.args
    later, test = builder.guard(x)
    span = hi.value - lo.value  # type: ignore[union-attr]
    ratio = ast.BinOp(
        ast.BinOp(later, ast.Sub(), ast.Constant(lo.value)),  # type: ignore[union-attr]
        ast.Div(),
        ast.Constant(span),
    )
    scaled = builder.clamp_expr(ratio, ast.Constant(None), is_float=True)
    return scaled if test is None else ast.IfExp(test, ast.Constant(None), scaled)


def _check_scale(checker: TypeChecker, node: Call, types: list[VType]) -> None:
    lo, hi = node.args[1], node.args[2]
    if isinstance(lo, Const) and isinstance(hi, Const) and lo.value == hi.value:
        checker.problems.append("scale() needs lo != hi")


def _check_answered(checker: TypeChecker, node: Call, types: list[VType]) -> None:
    if not isinstance(node.args[0], Name):
        checker.problems.append("answered() takes a question id")


def _reads_answered(node: Call, value: Any) -> TextParts:
    return (f"{source_of(node.args[0])} is {'answered' if value else 'unanswered'}",)


def _fails_answered(node: Call, values: Sequence[Any], negated: bool) -> str:
    subject = source_of(node.args[0])
    return f"{subject} is {'answered; needs no answer' if negated else 'unanswered; needs an answer'}"


def _check_membership(checker: TypeChecker, node: Call, types: list[VType]) -> None:
    if not isinstance(node.args[1], ListLit):
        checker.problems.append(f"{node.func}() second argument must be a literal list")
        return
    checker.check_options(node.args[0], types[1], node.args[1], types[0])
    checker.check_listed_options(node)


def _reads_membership(node: Call, value: Any) -> TextParts:
    """How ``any_of(multi, [...])`` / ``all_of`` reads."""
    return (f"{source_of(node.args[0])} = ", 0, f" ({node.func} {source_of(node.args[1])})")


_MEMBERSHIP_NEEDS = {
    ("any_of", False): "one of",
    ("any_of", True): "none of",
    ("all_of", False): "all of",
    ("all_of", True): "not all of",
}


def _fails_membership(node: Call, values: Sequence[Any], negated: bool) -> str | None:
    """``gaps has nothing chosen; needs one of 'tools'``."""
    listed = node.args[1]
    if not isinstance(listed, ListLit):
        return None
    how = _MEMBERSHIP_NEEDS[(node.func, negated)]
    return f"{answer_is(source_of(node.args[0]), values[0])}; needs {how} {listed_values(listed.values)}"


def _table(*functions: Function) -> dict[str, Function]:
    return {f.name: f for f in functions}


#: The functions an expression may call, by name.
FUNCTIONS: dict[str, Function] = _table(
    Function(
        "min",
        (NUMBER, NUMBER),
        NUMBER,
        runtime.nmin,
        variadic=True,
        nullable=_all_unknown,
        compiled=_compiled_extreme,
    ),
    Function(
        "max",
        (NUMBER, NUMBER),
        NUMBER,
        runtime.nmax,
        variadic=True,
        nullable=_all_unknown,
        compiled=_compiled_extreme,
    ),
    Function("abs", (NUMBER,), NUMBER, lambda x: None if x is None else abs(x), compiled=_compiled_abs),
    Function("len", (LIST,), NUMBER, lambda x: len(x or ()), nullable=never_unknown, compiled=_compiled_len),
    Function(
        "any_of",
        (LIST, None),
        BOOL,
        lambda chosen, listed: runtime.any_of(chosen or (), frozenset(listed)),
        nullable=never_unknown,
        compiled=_compiled_any_of,
        reads=_reads_membership,
        fails=_fails_membership,
        check=_check_membership,
    ),
    Function(
        "all_of",
        (LIST, None),
        BOOL,
        lambda chosen, listed: runtime.all_of(chosen or (), frozenset(listed)),
        nullable=never_unknown,
        compiled=_compiled_all_of,
        reads=_reads_membership,
        fails=_fails_membership,
        check=_check_membership,
    ),
    Function(
        "scale",
        (NUMBER, NUMBER, NUMBER),
        NUMBER,
        runtime.scale,
        nullable=_scale_unknown,
        compiled=_compiled_scale,
        check=_check_scale,
    ),
    Function(
        "answered",
        (None,),
        BOOL,
        runtime.answered,
        nullable=never_unknown,
        reads=_reads_answered,
        fails=_fails_answered,
        check=_check_answered,
    ),
)
