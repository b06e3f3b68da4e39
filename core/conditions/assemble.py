"""From a generated function body to a Python function: the last step of compilation.

The compiler (:mod:`~bounceback.conditions.compiler`) generates an AST, never text; this module
wraps its statements in ``def _program(values): ...``, places the nodes and compiles them, with
no builtins and only the runtime helpers and the language's functions in reach.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .functions import runtime_namespace

Program = Callable[[Mapping[str, Any]], tuple[Any, ...]]


def assemble(body: Sequence[ast.stmt], outputs: Sequence[ast.expr]) -> Program:
    """``_program(values)``: runs ``body``, then returns the tuple of ``outputs``."""
    func = ast.FunctionDef(
        name="_program",
        args=ast.arguments(
            posonlyargs=[], args=[ast.arg("values")], kwonlyargs=[], kw_defaults=[], defaults=[]
        ),
        body=[*body, ast.Return(ast.Tuple(list(outputs), ast.Load()))],
        decorator_list=[],
        returns=None,
        **({"type_params": []} if sys.version_info >= (3, 12) else {}),  # type: ignore[arg-type]
    )
    module = _locate(ast.Module([func], type_ignores=[]))
    namespace: dict[str, Any] = {"__builtins__": {}, **runtime_namespace()}
    exec(compile(module, "<bounceback rules>", "exec"), namespace)  # generated AST, not text
    program: Program = namespace["_program"]
    return program


def _locate(tree: ast.Module) -> ast.Module:
    """``tree`` with every node at line 1, column 0, as ``compile`` needs: what
    :func:`ast.fix_missing_locations` does for a generated tree, in a third less time (one loop
    over the tree, no recursion)."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if "lineno" in node._attributes:
            node.lineno = node.end_lineno = 1  # type: ignore[attr-defined]
            node.col_offset = node.end_col_offset = 0  # type: ignore[attr-defined]
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                todo.append(value)
            elif isinstance(value, list):
                todo.extend(v for v in value if isinstance(v, ast.AST))
    return tree
