"""The condition language: whitelist, type checks, None semantics, explanations, compilation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback import conditions as c

TYPES = {
    "anxiety": c.VType(c.NUMBER),
    "months": c.VType(c.NUMBER, nullable=True),
    "stage": c.VType(c.STR, frozenset({"interview", "final_round"})),
    "fb": c.VType(c.STR, frozenset({"none", "generic", "specific"}), nullable=True),
    "gaps": c.VType(c.LIST, frozenset({"technical", "tools"})),
    "support": c.VType(c.BOOL, nullable=True),
    "role": c.VType(c.STR, nullable=True),
}


def run(source: str, values: dict, want: str | None = None):
    expr = c.compile_expression(source, TYPES, want=want)
    interpreted = c.evaluate(expr.node, values)
    builder = c.ProgramBuilder(TYPES)
    builder.output_expr(expr.node)
    compiled = builder.build()({k: values.get(k) for k in TYPES})[0]
    assert compiled == interpreted, (source, values)
    return interpreted


BASE = {
    "anxiety": 4,
    "months": None,
    "stage": "interview",
    "fb": None,
    "gaps": ("tools",),
    "support": None,
    "role": None,
}


@pytest.mark.parametrize(
    "source, expected",
    [
        ("anxiety >= 4", True),
        ("1 < anxiety < 4", False),
        ("anxiety * 2 - 1", 7),
        ("anxiety / 8", 0.5),
        ("stage in ['interview', 'final_round']", True),
        ("'tools' in gaps", True),
        ("'technical' not in gaps", True),
        ("any_of(gaps, ['technical'])", False),
        ("all_of(gaps, ['tools'])", True),
        ("len(gaps)", 1),
        ("scale(anxiety, 1, 5)", 0.75),
        ("max(anxiety, 2) + min(1, 3) + abs(-2)", 7),
        ("1 if anxiety > 3 else 0", 1),
        ("not anxiety > 3 or stage == 'interview'", True),
        ("true and True", True),
        ("answered(anxiety) and not answered(months) and answered(gaps)", True),
    ],
)
def test_values(source: str, expected: object) -> None:
    assert run(source, BASE) == expected


@pytest.mark.parametrize(
    "source",
    [
        "months > 3",
        "months <= 3",
        "months == 0",
        "months != 0",
        "fb == 'none'",
        "fb != 'none'",
        "fb in ['none']",
        "1 < months < 9",
    ],
)
def test_comparisons_with_unknown_are_false(source: str) -> None:
    assert run(source, BASE) is False


@pytest.mark.parametrize(
    "source",
    [
        "months + 1",
        "months * 2",
        "-months",
        "months / 2",
        "scale(months, 0, 12)",
        "abs(months)",
        "not support",
        "1 if support else 0",
        "max(months, months)",
    ],
)
def test_unknown_propagates(source: str) -> None:
    assert run(source, BASE) is None


def test_unknown_min_max_ignore_unknown_args() -> None:
    assert run("max(months, anxiety)", BASE) == 4
    assert run("min(months, 2)", {**BASE, "months": 7}) == 2


def test_division_by_zero_is_unknown() -> None:
    assert run("anxiety / (anxiety - 4)", BASE) is None


@pytest.mark.parametrize(
    "source, message",
    [
        ("anxiety.real", "not allowed in conditions: attribute access"),
        ("__import__('os')", "function '__import__' is not allowed"),
        ("(lambda: 1)()", "only plain function calls"),
        ("[x for x in gaps]", "not allowed in conditions: comprehensions"),
        ("gaps[0]", "not allowed in conditions: subscripts"),
        ("f'{role}'", "not allowed in conditions: f-strings"),
        ("open('x')", "function 'open' is not allowed"),
        ("anxiety ** 2", "operator Pow is not allowed"),
        ("anxiety is None", "comparison Is is not allowed"),
        ("{'a': 1}", "not allowed in conditions: dicts"),
        ("anxiety >", "syntax error"),
        ("", "expression is empty"),
        ("x" * 3000, "too long"),
        ("(" * 300 + "1" + ")" * 300, ""),
    ],
)
def test_refused(source: str, message: str) -> None:
    with pytest.raises(c.ConditionError) as info:
        c.compile_expression(source, TYPES)
    assert message in str(info.value)


def test_deep_nesting_is_a_clear_error_not_a_recursion_error() -> None:
    with pytest.raises(c.ConditionError, match=r"too deeply|too large|cannot be parsed|syntax"):
        c.compile_expression("not " * 200 + "support", TYPES)
    with pytest.raises(c.ConditionError, match="too large"):
        c.compile_expression("+".join(["1"] * 450), TYPES)


@pytest.mark.parametrize(
    "source, message",
    [
        ("anxeity > 3", "unknown name 'anxeity' (did you mean 'anxiety'?)"),
        ("stage == 'interveiw'", "'interveiw' is not an option of stage (did you mean 'interview'?)"),
        ("stage in ['nope']", "'nope' is not an option of stage"),
        ("'python' in gaps", "'python' is not an option of gaps"),
        ("any_of(gaps, ['toolz'])", "'toolz' is not an option of gaps"),
        ("anxiety == 'high'", "cannot compare a number with text"),
        ("stage > 3", "'>' needs a number"),
        ("gaps + 1", "'+' needs a number"),
        ("anxiety and support", "'and' needs true/false"),
        ("3 in anxiety", "needs a list"),
        ("1 if anxiety > 2 else 'x'", "both branches"),
        ("len(anxiety)", "len() needs a list"),
        ("min(anxiety)", "min() takes at least 2 arguments"),
        ("scale(anxiety, 1, 1)", "lo != hi"),
        ("anxiety / 0", "division by zero"),
    ],
)
def test_type_errors(source: str, message: str) -> None:
    with pytest.raises(c.ConditionError) as info:
        c.compile_expression(source, TYPES)
    assert message in str(info.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(c.ConditionError) as info:
        c.compile_expression("foo > 1 and bar < 2", TYPES)
    assert len(info.value.messages) == 2


def test_result_type_is_checked() -> None:
    with pytest.raises(c.ConditionError, match="expected true/false"):
        c.compile_expression("anxiety + 1", TYPES, want=c.BOOL)
    assert c.compile_expression("anxiety > 1", TYPES, want=c.NUMBER).type.kind == c.BOOL


def test_explain_reasons_and_failures() -> None:
    expr = c.compile_expression("fb != 'specific' and anxiety >= 3 and 'tools' in gaps", TYPES)
    trace = c.explain(expr.node, {**BASE, "fb": "none"})
    assert trace.value is True
    assert trace.reasons() == ["fb = 'none' (≠ 'specific')", "anxiety = 4 (≥ 3)", "gaps includes 'tools'"]
    failed = c.explain(expr.node, {**BASE, "anxiety": 2})
    assert failed.failures() == ["fb is unanswered; needs anything but 'specific'"]


def test_explain_answered() -> None:
    expr = c.compile_expression("not answered(months) and answered(support)", TYPES)
    trace = c.explain(expr.node, {**BASE, "support": True})
    assert trace.reasons() == ["support is answered"]
    assert c.explain(expr.node, BASE).failures() == ["support is unanswered; needs an answer"]
    with pytest.raises(c.ConditionError, match="answered\\(\\) takes a question id"):
        c.compile_expression("answered(1)", TYPES)


@pytest.mark.parametrize(
    ("source", "values", "failure"),
    [
        ("career_doubt >= 4", {"career_doubt": 2}, "career_doubt is 2; needs 4 or more"),
        ("career_doubt > 4", {}, "career_doubt is unanswered; needs more than 4"),
        ("days <= 21", {"days": 30}, "days is 30; needs 21 or less"),
        ("days < 21", {"days": 21}, "days is 21; needs less than 21"),
        ("4 < days", {"days": 1}, "days is 1; needs more than 4"),
        ("15 <= days <= 35", {"days": 40}, "days is 40; needs 15 or more and 35 or less"),
        ("fb == 'specific'", {"fb": "none"}, "fb is 'none'; needs 'specific'"),
        ("fb != 'none'", {"fb": "none"}, "fb is 'none'; needs anything but 'none'"),
        ("not (fb == 'none')", {"fb": "none"}, "fb is 'none'; needs anything but 'none'"),
        ("not (days >= 4)", {"days": 9}, "days is 9; needs less than 4"),
        ("fb in ['a', 'b']", {"fb": "c"}, "fb is 'c'; needs one of 'a', 'b'"),
        ("fb not in ['a', 'b']", {"fb": "a"}, "fb is 'a'; needs none of 'a', 'b'"),
        ("'tools' in gaps", {"gaps": ()}, "gaps has nothing chosen; needs to include 'tools'"),
        ("'tools' not in gaps", {"gaps": ("tools",)}, "gaps is ['tools']; needs not to include 'tools'"),
        ("not ('tools' in gaps)", {"gaps": ("tools",)}, "gaps is ['tools']; needs not to include 'tools'"),
        ("any_of(gaps, ['a', 'b'])", {"gaps": ("c",)}, "gaps is ['c']; needs one of 'a', 'b'"),
        ("all_of(gaps, ['a', 'b'])", {"gaps": ("a",)}, "gaps is ['a']; needs all of 'a', 'b'"),
        ("not any_of(gaps, ['a'])", {"gaps": ("a",)}, "gaps is ['a']; needs none of 'a'"),
        ("answered(months)", {}, "months is unanswered; needs an answer"),
        ("not answered(months)", {"months": 3}, "months is answered; needs no answer"),
        ("support == True", {"support": False}, "support is no; needs yes"),
        ("support", {"support": None}, "support is unanswered; needs yes"),
        ("not support", {"support": True}, "support is yes; needs no"),
        ("anxiety + days >= 8", {"anxiety": 2, "days": 3}, "anxiety + days is 5; needs 8 or more"),
        (
            "anxiety > days",
            {"anxiety": 2, "days": 3},
            "anxiety > days does not hold: anxiety is 2, days is 3",
        ),
        (
            "not (anxiety >= 2 and 'tools' in gaps)",
            {"anxiety": 3, "gaps": ("tools",)},
            "anxiety = 3 (≥ 2); gaps includes 'tools'; needs `(anxiety >= 2) and ('tools' in gaps)` "
            "not to hold",
        ),
    ],
)
def test_failures_say_the_answer_and_what_is_needed(
    source: str, values: dict[str, Any], failure: str
) -> None:
    """Regression: a failed `career_doubt >= 4` read `career_doubt = 2 (≥ 4)`, as if 2 ≥ 4."""
    assert c.explain(c.parse(source), values).failures() == [failure]


def test_explain_or_lists_only_the_true_branch() -> None:
    expr = c.compile_expression("anxiety > 9 or support == False", TYPES)
    assert c.explain(expr.node, {**BASE, "support": False}).reasons() == ["support = no"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_never_crashes_the_parser(text: str) -> None:
    try:
        c.compile_expression(text, TYPES)
    except c.ConditionError as exc:
        assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)


_atoms = st.sampled_from(
    [
        "anxiety > 2",
        "months >= 3",
        "fb == 'none'",
        "support",
        "'tools' in gaps",
        "stage == 'interview'",
        "any_of(gaps, ['technical'])",
        "months < anxiety",
        "scale(months, 0, 6) > 0.5",
        "(1 if support else 0) == 1",
        "role == 'x'",
        "answered(months)",
        "not answered(support)",
    ]
)
_exprs = st.recursive(
    _atoms,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda t: f"({t[0]}) and ({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]}) or ({t[1]})"),
        inner.map(lambda e: f"not ({e})"),
    ),
    max_leaves=6,
)
_values = st.fixed_dictionaries(
    {
        "anxiety": st.integers(1, 5),
        "months": st.none() | st.integers(0, 24),
        "stage": st.sampled_from(["interview", "final_round"]),
        "fb": st.none() | st.sampled_from(["none", "generic", "specific"]),
        "gaps": st.lists(st.sampled_from(["technical", "tools"]), unique=True).map(tuple),
        "support": st.none() | st.booleans(),
        "role": st.none() | st.just("x"),
    }
)


@settings(max_examples=300, deadline=None)
@given(_exprs, _values)
def test_compiled_program_agrees_with_the_interpreter(source: str, values: dict) -> None:
    run(source, values)
