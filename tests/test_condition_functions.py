"""The condition language's function table: a function is one entry, read by the parser, the
checker, the interpreter, the compiler and the explainer (issue 17)."""

from __future__ import annotations

import pytest

from bounceback import conditions as c

TYPES = {
    "anxiety": c.VType(c.NUMBER, nullable=True),
    "gaps": c.VType(c.LIST, frozenset({"tools", "technical"})),
}


def _clip(x: float | None, lo: float | None, hi: float | None) -> float | None:
    return None if x is None or lo is None or hi is None else min(max(x, lo), hi)


def _none_of(chosen: tuple[str, ...] | None, listed: tuple[str, ...]) -> bool:
    return not set(chosen or ()) & set(listed)


@pytest.fixture
def added(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two functions added to the table, as a contributor would: entries and nothing else."""
    monkeypatch.setitem(
        c.FUNCTIONS, "clip", c.Function("clip", (c.NUMBER, c.NUMBER, c.NUMBER), c.NUMBER, _clip)
    )
    monkeypatch.setitem(
        c.FUNCTIONS,
        "none_of",
        c.Function(
            "none_of",
            (c.LIST, None),
            c.BOOL,
            _none_of,
            reads=lambda call, value: (f"{c.source_of(call.args[0])} = ", 0, " (none of them)"),
        ),
    )


def compiled(source: str, values: dict) -> tuple:
    """The value and the reasons of ``source`` from the compiled program."""
    expr = c.compile_expression(source, TYPES)
    builder = c.ProgramBuilder(TYPES)
    builder.output_expr(expr.node)
    builder.reasons(expr.node)
    return builder.build()({name: values.get(name) for name in TYPES})


@pytest.mark.usefixtures("added")
@pytest.mark.parametrize("values", [{"anxiety": 5}, {"anxiety": 1}, {"anxiety": None}])
def test_an_added_function_evaluates_compiles_and_explains_alike(values: dict) -> None:
    source = "clip(anxiety, 2, 4) >= 3"
    expr = c.compile_expression(source, TYPES, want=c.BOOL)
    trace = c.explain(expr.node, values)
    assert (
        trace.value
        == c.evaluate(expr.node, values)
        == (values["anxiety"] is not None and values["anxiety"] >= 3)
    )
    assert compiled(source, values) == (trace.value, tuple(trace.reasons()))


@pytest.mark.usefixtures("added")
def test_an_added_function_reads_as_its_entry_says() -> None:
    values = {"gaps": ("technical",)}
    trace = c.explain(c.parse("none_of(gaps, ['tools'])"), values)
    assert trace.reasons() == ["gaps = ['technical'] (none of them)"]
    assert compiled("none_of(gaps, ['tools'])", values) == (True, ("gaps = ['technical'] (none of them)",))


@pytest.mark.usefixtures("added")
@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("clip(anxiety, 2) > 1", "clip() takes 3 arguments, got 2"),
        ("clip(gaps, 2, 4) > 1", "clip() needs a number, got a list"),
        ("none_of(anxiety, ['tools'])", "none_of() first argument needs a list, got a number"),
    ],
)
def test_an_added_function_is_parsed_and_checked_by_its_entry(source: str, problem: str) -> None:
    with pytest.raises(c.ConditionError) as caught:
        c.compile_expression(source, TYPES)
    assert problem in str(caught.value)


def test_a_function_without_an_entry_is_refused_not_run_as_another(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(c.FUNCTIONS, "scale")
    with pytest.raises(c.ConditionError, match="function 'scale' is not allowed"):
        c.parse("scale(anxiety, 1, 5) > 0.5")
