"""Property tests of the condition language.

* The parser and the checker never fail with anything but :class:`ConditionError`.
* The compiled program (:class:`ProgramBuilder`) and the interpreter (:func:`evaluate`) agree
  on random well-typed expressions and random situations, unanswered values included.
* The compiled explanations (:meth:`ProgramBuilder.reasons`) say exactly what :func:`explain`
  says (compiled texts: ``test_templates.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bounceback import conditions as cond
from bounceback.api import Bounceback
from bounceback.conditions import BOOL, LIST, NUMBER, STR, VType
from bounceback.engine import Options
from bounceback.questionnaire import Questionnaire
from helpers import MINIMAL

CHOICES = ("a", "b", "c")
MULTI = ("x", "y", "z")

#: A small questionnaire with every kind of value, required and optional.
TYPES: dict[str, VType] = {
    "n1": VType(NUMBER, nullable=True),
    "n2": VType(NUMBER, nullable=True),
    "r1": VType(NUMBER),
    "b1": VType(BOOL, nullable=True),
    "c1": VType(STR, frozenset(CHOICES), nullable=True),
    "m1": VType(LIST, frozenset(MULTI)),
    "t1": VType(STR, nullable=True),
}
#: A pack signal computed from the answers; later expressions may read it.
SIGNAL = "s1"
SIGNAL_TYPE = VType(NUMBER, nullable=True)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

numbers = st.one_of(st.integers(-3, 12), st.sampled_from([0.5, 1.5, 0.25, -2.5]))


def _number_leaf(with_signal: bool) -> st.SearchStrategy[str]:
    names = ["n1", "n2", "r1"] + ([SIGNAL] if with_signal else [])
    return st.one_of(numbers.map(repr), st.sampled_from(names), st.just("len(m1)"))


def _lists(options: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True).map(repr)


def _bool_leaf() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "b1",
                "True",
                "False",
                "true",
                "false",
                "t1 == 'hi'",
                "t1 != 'hi'",
                "answered(n1)",
                "answered(c1)",
                "answered(m1)",
                "answered(t1)",
            ]
        ),
        st.builds("c1 {} {!r}".format, st.sampled_from(["==", "!="]), st.sampled_from(CHOICES)),
        st.builds("{!r} {} m1".format, st.sampled_from(MULTI), st.sampled_from(["in", "not in"])),
        st.builds("c1 {} {}".format, st.sampled_from(["in", "not in"]), _lists(CHOICES)),
        st.builds("{}(m1, {})".format, st.sampled_from(["any_of", "all_of"]), _lists(MULTI)),
        st.builds("b1 == {}".format, st.sampled_from(["True", "False"])),
    )


def expressions(with_signal: bool = False) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    """(number expressions, bool expressions) as source text, well typed over :data:`TYPES`."""

    def extend(children: st.SearchStrategy[tuple[str, str]]) -> st.SearchStrategy[tuple[str, str]]:
        num = children.map(lambda c: c[0])
        boo = children.map(lambda c: c[1])
        compare_op = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
        new_num = st.one_of(
            st.builds("({} {} {})".format, num, st.sampled_from(["+", "-", "*", "/"]), num),
            num.map("-({})".format),
            st.builds("{}({}, {})".format, st.sampled_from(["min", "max"]), num, num),
            st.builds("max({}, {}, {})".format, num, num, num),
            num.map("abs({})".format),
            st.builds(
                "scale({}, {}, {})".format,
                num,
                st.sampled_from(["0", "1", "n2"]),
                st.sampled_from(["5", "10", "r1"]),
            ),
            st.builds("({} if {} else {})".format, num, boo, num),
        )
        new_bool = st.one_of(
            st.builds("({} {} {})".format, boo, st.sampled_from(["and", "or"]), boo),
            st.builds("({} and {} or {})".format, boo, boo, boo),
            boo.map("not ({})".format),
            st.builds("({} {} {})".format, num, compare_op, num),
            st.builds("({} {} {} {} {})".format, num, compare_op, num, compare_op, num),
            st.builds("({} if {} else {})".format, boo, boo, boo),
        )
        return st.tuples(new_num, new_bool)

    leaves = st.tuples(_number_leaf(with_signal), _bool_leaf())
    tree = st.recursive(leaves, extend, max_leaves=12)
    return tree.map(lambda t: t[0]), tree.map(lambda t: t[1])


NUM_EXPR, BOOL_EXPR = expressions()
NUM_EXPR_S, BOOL_EXPR_S = expressions(with_signal=True)

situations = st.fixed_dictionaries(
    {
        "n1": st.none() | st.integers(-2, 30),
        "n2": st.none() | st.integers(0, 10),
        "r1": st.integers(-2, 12),
        "b1": st.none() | st.booleans(),
        "c1": st.none() | st.sampled_from(CHOICES),
        "m1": st.lists(st.sampled_from(MULTI), unique=True, max_size=3).map(tuple),
        "t1": st.none() | st.sampled_from(["hi", "", "other"]),
    }
)


def compile_generated(source: str, types: dict[str, VType], want: str | None) -> cond.Expression:
    """``source`` compiled against ``types``; a generated division by a literal zero is skipped."""
    try:
        return cond.compile_expression(source, types, want=want)
    except cond.ConditionError as exc:
        # Division by a literal zero is refused at load time, by design.
        assume(set(exc.messages) != {"division by zero"})
        raise


def compiled_reasons(node: cond.Node, values: dict[str, Any], *, holds: bool = False) -> tuple[str, ...]:
    builder = cond.ProgramBuilder(TYPES)
    builder.reasons(node, holds=holds)
    return builder.build()(values)[0]


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


# -- parser and checker: nothing but ConditionError -------------------------------------------

TOKENS = [
    "n1",
    "b1",
    "c1",
    "m1",
    "(",
    ")",
    "[",
    "]",
    ",",
    "+",
    "-",
    "*",
    "/",
    "**",
    "%",
    " and ",
    " or ",
    " not ",
    "<",
    "<=",
    "==",
    "!=",
    " in ",
    " if ",
    " else ",
    "1",
    "0",
    "'a'",
    "'x'",
    "min",
    "max",
    "scale",
    "any_of",
    "len",
    ".",
    "__class__",
    "lambda",
    ":",
    "f'",
    "{",
    "}",
    "True",
    "None",
    "...",
    "@",
    "=",
    ";",
    "\\",
    "\n",
    "#",
    "\x00",
]


@FAST
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(TOKENS), max_size=25).map("".join)))
def test_parser_only_raises_condition_errors(source: str) -> None:
    try:
        expression = cond.compile_expression(source, TYPES)
    except cond.ConditionError as exc:
        assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)
    else:
        assert expression.names <= set(TYPES)


# -- compiled program == interpreter ----------------------------------------------------------


@FAST
@given(st.one_of(NUM_EXPR, BOOL_EXPR), situations)
def test_program_agrees_with_interpreter(source: str, values: dict[str, Any]) -> None:
    expression = compile_generated(source, TYPES, want=None)
    builder = cond.ProgramBuilder(TYPES)
    builder.assign("out", expression.node, expression.type, clamp=False)
    builder.output_name("out")
    program = builder.build()
    (compiled,) = program(values)
    expected = cond.evaluate(expression.node, values)
    assert _same(compiled, expected), (source, values, compiled, expected)


@FAST
@given(NUM_EXPR, BOOL_EXPR_S, NUM_EXPR_S, st.floats(0, 1.5), situations)
def test_rule_scores_agree_with_interpreter(
    signal: str, when: str, strength: str, weight: float, values: dict[str, Any]
) -> None:
    """A signal, then a rule reading it: the same wiring as a compiled rule set."""
    signal_expr = compile_generated(signal, TYPES, NUMBER)
    types = {**TYPES, SIGNAL: SIGNAL_TYPE}
    when_expr, strength_expr = (
        compile_generated(when, types, BOOL),
        compile_generated(strength, types, NUMBER),
    )
    builder = cond.ProgramBuilder(TYPES)
    builder.assign(SIGNAL, signal_expr.node, SIGNAL_TYPE)
    builder.output_name(SIGNAL)
    builder.score(when_expr.node, strength_expr.node, weight)
    signal_value, score = builder.build()(values)

    expected_signal = cond.clamp(cond.evaluate(signal_expr.node, values))
    with_signal = {**values, SIGNAL: expected_signal}
    holds = cond.evaluate(when_expr.node, with_signal)
    strength_value = cond.strength_value(cond.evaluate(strength_expr.node, with_signal))
    expected = min(1.0, weight * strength_value) if holds else 0.0
    assert _same(signal_value, expected_signal)
    assert _same(score, expected)


# -- compiled explanations == explain() -------------------------------------------------------

#: Conditions made of several parts, where the explanation has the most to choose from.
JOINED = st.builds("{} {} {}".format, BOOL_EXPR, st.sampled_from(["and", "or"]), BOOL_EXPR)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(BOOL_EXPR, NUM_EXPR, JOINED), situations)
def test_compiled_reasons_agree_with_explain(source: str, values: dict[str, Any]) -> None:
    expression = compile_generated(source, TYPES, want=None)
    trace = cond.explain(expression.node, values)
    expected = tuple(trace.reasons())
    assert compiled_reasons(expression.node, values) == expected
    if trace.value:
        assert compiled_reasons(expression.node, values, holds=True) == expected


def test_compiled_reasons_read_like_explain() -> None:
    """A fixed example, so a change in wording shows up plainly."""
    node = cond.parse("c1 != 'a' and n1 <= 21 and ('x' in m1 or b1) and not b1 == True")
    values = {"c1": "b", "n1": 3, "m1": ("x",), "b1": False}
    assert compiled_reasons(node, values) == ("c1 = 'b' (≠ 'a')", "n1 = 3 (≤ 21)", "m1 includes 'x'")
    assert compiled_reasons(node, {**values, "n1": None}) == ()


# -- the built-in rules: reasons of chosen steps ----------------------------------------------


def answers_for(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    """Random valid answers to every question, consistent with each other (the packs'
    checks pass); optional ones are sometimes unanswered."""
    fields = {}
    for question in questionnaire:
        if question.kind == "scale":
            value: st.SearchStrategy[Any] = st.integers(int(question.min or 0), int(question.max or 5))
        elif question.kind == "number":
            value = st.integers(int(question.min or 0), 60)
        elif question.kind == "choice":
            value = st.sampled_from(question.options)
        elif question.kind == "multi":
            value = st.lists(st.sampled_from(question.options), unique=True, max_size=4)
        elif question.kind == "bool":
            value = st.booleans()
        else:
            value = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20)  # valid answers
        fields[question.id] = value if question.required else st.none() | value
    return st.fixed_dictionaries(fields).filter(lambda answers: not questionnaire.broken(answers))


def test_reasons_name_the_pack_signals_a_condition_reads(app: Bounceback) -> None:
    """Regression: reasons were explained without the pack signals, so a step whose `when`
    reads one (`skill_gap >= 0.3`) came with no reasons at all."""
    answers = {**MINIMAL, "skill_gaps": ["technical", "tools", "domain_knowledge"]}
    plan = app.plan(answers, top=20, per_category=5)
    step = next(s for s in plan.steps if s.id == "skills.close-gap")
    assert step.reasons == (
        "skill_gap = 0.9 (≥ 0.3)",
        "skill_gaps = ['domain_knowledge', 'technical', 'tools'] (any_of ['technical', 'other'])",
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_step_reasons_are_the_explained_conditions(app: Bounceback, data: st.DataObject) -> None:
    answers = data.draw(answers_for(app.questionnaire))
    situation = app.situation(answers)
    plan = app.engine.plan(situation, Options(top=20, per_category=5))
    values = {**situation.answers, **plan.signals}
    for step in plan.steps:
        when = app.engine.rule(step.id).when
        expected = tuple(cond.explain(when.node, values).reasons()) if when else ()
        assert step.reasons == expected, step.id


# -- numbers at the edges ---------------------------------------------------------------------


def test_clamping_agrees_for_numbers_too_large_for_a_float() -> None:
    """Regression: the interpreter converted to float before clamping (OverflowError on a
    huge whole number) while the compiled program compared first; both now give 1.0."""
    node = cond.parse(
        "r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1 * r1"
    )
    values = {"r1": 10**15}  # the largest answer a number question accepts
    builder = cond.ProgramBuilder(TYPES)
    builder.assign(SIGNAL, node, SIGNAL_TYPE)
    builder.output_name(SIGNAL)
    builder.score(None, node, 0.5)
    assert builder.build()(values) == (1.0, 0.5)
    assert cond.clamp(cond.evaluate(node, values)) == 1.0
    assert cond.strength_value(cond.evaluate(node, values)) == 1.0


def test_not_a_number_is_unknown() -> None:
    """A NaN (from a plugin signal, say) is no number: unknown as a signal, 0 as a strength."""
    nan = float("nan")
    assert cond.clamp(nan) is None
    assert cond.strength_value(nan) == 0.0
    builder = cond.ProgramBuilder({"x": VType(NUMBER, nullable=True)})
    builder.assign(SIGNAL, cond.parse("x"), SIGNAL_TYPE)
    builder.output_name(SIGNAL)
    builder.score(None, cond.parse("x"), 1.0)
    assert builder.build()({"x": nan}) == (None, 0.0)


@pytest.mark.parametrize(
    "value, shown",
    [(float("inf"), "inf"), (float("-inf"), "-inf"), (float("nan"), "nan"), (2.5, "2.5"), (4.0, "4")],
)
def test_any_number_can_be_described(value: float, shown: str) -> None:
    """Regression: describing an infinite or NaN value raised (int() of it)."""
    node = cond.parse("n1 * 1 != 3")
    text = f"n1 * 1 = {shown} (≠ 3)"
    assert cond.explain(node, {"n1": value}).reasons() == [text]
    assert compiled_reasons(node, {"n1": value}) == (text,)
