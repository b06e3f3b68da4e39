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

The package's modules: :mod:`.tree` (nodes, types, limits), :mod:`.functions` (the functions a
condition may call, one table entry each, read by all the others), :mod:`.parser`,
:mod:`.checker`, :mod:`.runtime` (helpers both evaluators share), :mod:`.text` (how conditions
read), :mod:`.interpreter` and :mod:`.compiler`.
"""

from .checker import check, compile_expression
from .compiler import ProgramBuilder
from .functions import FUNCTIONS, Function
from .interpreter import Trace, evaluate, explain
from .parser import parse
from .runtime import clamp, strength_value
from .text import source_of
from .tree import (
    BOOL,
    LIST,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    MAX_NUMBER,
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
    children,
    implies_answered,
)

__all__ = [
    "BOOL",
    "FUNCTIONS",
    "LIST",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_NUMBER",
    "NUMBER",
    "STR",
    "BinOp",
    "BoolOp",
    "Call",
    "Compare",
    "ConditionError",
    "Const",
    "Expression",
    "Function",
    "IfExp",
    "ListLit",
    "Name",
    "Neg",
    "Node",
    "Not",
    "ProgramBuilder",
    "Trace",
    "VType",
    "check",
    "children",
    "clamp",
    "compile_expression",
    "evaluate",
    "explain",
    "implies_answered",
    "parse",
    "source_of",
    "strength_value",
]
