"""Runtime helpers shared by the interpreter and the compiled program: ``None`` is unknown."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

from ..filling import counted, filled, listed, shown


def clamp(value: Any, unknown: float | None = None) -> float | None:
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
    return clamp(value, 0.0)  # type: ignore[return-value]


#: The largest whole number arithmetic gives: a product beyond it becomes this float, so that
#: any answers (up to 15 digits each) make a plan. Python's ints have no limit, but turning one
#: beyond about 1.8e308 into a float (any later float arithmetic) was an OverflowError. Floats
#: overflow to inf on their own, which the runtime handles.
MAX_MAGNITUDE = 1e300


def multiply(a: float, b: float) -> float:
    """``a * b``, a whole-number product bounded by :data:`MAX_MAGNITUDE`."""
    product = a * b
    if type(product) is int and not -MAX_MAGNITUDE <= product <= MAX_MAGNITUDE:
        return MAX_MAGNITUDE if product > 0 else -MAX_MAGNITUDE
    return product


def divide(a: float | None, b: float | None) -> float | None:
    """``a / b``; unknown when either is unknown or ``b`` is 0."""
    if a is None or b is None or b == 0:
        return None
    try:
        return a / b
    except OverflowError:  # whole numbers whose quotient is beyond any float
        return math.inf if (a > 0) == (b > 0) else -math.inf


#: Whether a value is known (not ``None``), as one C call.
_known = functools.partial(operator.is_not, None)


def nmin(*args: float | None) -> float | None:
    """The least known value; unknown when none is known."""
    return min(filter(_known, args), default=None)  # type: ignore[type-var]


def nmax(*args: float | None) -> float | None:
    """The greatest known value; unknown when none is known."""
    return max(filter(_known, args), default=None)  # type: ignore[type-var]


def scale(x: float | None, lo: float | None, hi: float | None) -> float | None:
    """Where ``x`` lies from ``lo`` (0) to ``hi`` (1), clamped; unknown for unknown input or ``lo == hi``."""
    if x is None or lo is None or hi is None or lo == hi:
        return None
    return clamp((x - lo) / (hi - lo))


def answered(value: Any) -> bool:
    """Whether a question has an answer (an empty multi-choice answer is none)."""
    return value is not None and value != ()


def any_of(values: Sequence[str], options: frozenset[str]) -> bool:
    """Whether any of ``options`` was chosen."""
    return not options.isdisjoint(values)


def all_of(values: Sequence[str], options: frozenset[str]) -> bool:
    """Whether all of ``options`` were chosen."""
    return options.issubset(values)


def render_value(value: Any) -> str:
    """A value as an explanation shows it (``yes``/``no``, short numbers, sorted lists)."""
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


def describe(value: Any) -> str:
    """A value as an explanation shows it, ``unanswered`` for unknown."""
    return "unanswered" if value is None else render_value(value)


def listed_in_words(value: Sequence[str], labels: tuple[tuple[str, str], ...], otherwise: str) -> str:
    """A multi answer in a text (:func:`~bounceback.filling.listed`), its labels given as the
    ``(option, words)`` pairs a compiled program holds as a constant."""
    return listed(value, dict(labels), otherwise)


#: The helpers the compiled program calls, by the names it calls them (the functions of the
#: language are added from :data:`~bounceback.conditions.functions.FUNCTIONS`).
RUNTIME: dict[str, Any] = {
    "_float": float,
    "_div": divide,
    "_mul": multiply,
    "_known": _known,
    "_filter": filter,
    "_tuple": tuple,
    "_disjoint": frozenset.isdisjoint,
    "_subset": frozenset.issubset,
    "_min": min,
    "_max": max,
    "_abs": abs,
    "_len": len,
    "_render": render_value,
    "_type": type,  # called with one argument only: a value's type, for _int
    "_int": int,
    "_repr": repr,
    "_shown": shown,
    "_counted": counted,
    "_listed": listed_in_words,
    "_filled": filled,
}

#: The comparison operators' semantics (unknown is handled by the caller).
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
}
#: The arithmetic operators' semantics.
ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": multiply,
    "/": divide,
}
