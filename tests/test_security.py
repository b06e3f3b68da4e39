"""Packs are data, never code; answers are text, never templates.

* An expression using anything outside the condition language is refused when the pack loads,
  with the file, the line and the rule, and nothing of it ever runs.
* Deep, long or huge expressions hit a stated limit instead of a RecursionError.
* The compiled program can reach nothing but the language's own helpers.
* Placeholders are plain lookups: no attribute access, no format specs, and what a person
  typed is inserted as it is, never expanded again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback import conditions as cond
from bounceback import filling, templates
from bounceback.api import Bounceback, load
from bounceback.authoring.validation import validate_packs
from bounceback.conditions.functions import runtime_namespace
from bounceback.errors import PackError
from hardening import assert_clear_error, rule_pack, run
from helpers import MINIMAL

#: (expression, what the refusal says). Each one would do harm, or read what it should not,
#: if a pack were ever evaluated as Python.
FORBIDDEN = [
    ("__import__('os').system('touch {marker}') == 0", "only plain function calls are allowed"),
    ("__import__('os') == 0", "function '__import__' is not allowed"),
    ("anxiety.__class__ == 1", "not allowed in conditions: attribute access"),
    ("().__class__.__bases__[0].__subclasses__() == []", "only plain function calls are allowed"),
    ("(lambda: 1)() == 1", "only plain function calls are allowed"),
    ("len([x for x in skill_gaps]) > 0", "not allowed in conditions: comprehensions"),
    ("len({x: 1 for x in skill_gaps}) > 0", "not allowed in conditions: comprehensions"),
    ("open('{marker}', 'w') == 0", "function 'open' is not allowed"),
    ("eval('1') == 1", "function 'eval' is not allowed"),
    ("getattr(anxiety, 'real') == 1", "function 'getattr' is not allowed"),
    ("skill_gaps[0] == 'tools'", "not allowed in conditions: subscripts"),
    ("f'{role}' == 'x'", "not allowed in conditions: f-strings"),
    ("(x := 1) == 1", "not allowed in conditions: :="),
    ("min(*skill_gaps) == 1", "plain positional arguments only"),
    ("__builtins__ == 1", "unknown name '__builtins__'"),
    ("values == 1", "unknown name 'values'"),  # the compiled program's own argument
    ("v_anxiety > 1", "unknown name 'v_anxiety'"),  # ... and its variables
    ("_float(anxiety) > 0", "function '_float' is not allowed"),  # ... and its helpers
]


def _line_of(path: Path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(f"{key} ="))


@pytest.mark.parametrize("field", ["when", "strength", "signal"])
@pytest.mark.parametrize("source, message", FORBIDDEN)
def test_a_pack_using_python_is_refused_at_load(
    tmp_path: Path, field: str, source: str, message: str
) -> None:
    marker = tmp_path / "pwned"
    expression = source.replace("{marker}", str(marker))
    if field == "strength":
        expression = f"1 if {expression} else 0"
    pack = rule_pack(tmp_path / "pack", **{field: expression})
    with pytest.raises(PackError) as info:
        load(packs=[pack], entry_points=False, strict=True)
    where = "signals.probe_signal" if field == "signal" else f"probe.rule: {field}"
    line = _line_of(pack, "probe_signal" if field == "signal" else field)
    assert any(
        str(p).startswith(f"{pack}:{line}: {where}") and message in p.message for p in info.value.problems
    ), info.value.problems
    assert not marker.exists()


def test_a_hostile_pack_is_reported_by_validate_and_skipped_by_plan(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    pack = rule_pack(tmp_path / "pack", when=f"__import__('os').system('touch {marker}') == 0")
    assert_clear_error(run("packs", "validate", str(pack)), "only plain function calls are allowed")
    planned = run("plan", "--pack", str(pack), str(Path(__file__).parent.parent / "examples" / "jordan.toml"))
    assert planned.exit_code == 0, planned.output
    assert "warning: skipped plugin folder:" in planned.output
    assert_clear_error(run("plan", "--strict", "--pack", str(pack), "-"), "error:")
    assert not marker.exists()


# -- limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, message",
    [
        ("not " * 10000 + "support_people", f"too long (40014 characters, limit {cond.MAX_LENGTH})"),
        ("(" * 500, "too many nested parentheses"),
        ("1+" * 5000 + "1", f"too long (10001 characters, limit {cond.MAX_LENGTH})"),
        ("not " * 100 + "support_people", f"nested too deeply (limit {cond.MAX_DEPTH} levels)"),
        ("-" * 1500 + "anxiety > 1", f"too large (more than {cond.MAX_NODES} parts)"),
        (" and ".join(["anxiety > 1"] * 120), f"too large (more than {cond.MAX_NODES} parts)"),
        ("anxiety > 1e999", "number 1e999 is too large"),
        ("anxiety > " + "9" * 400, "is too large"),
        ("anxiety > -1e16", "is too large"),
    ],
)
def test_deep_long_and_huge_expressions_hit_a_stated_limit(tmp_path: Path, source: str, message: str) -> None:
    pack = rule_pack(tmp_path, when=source)
    problems = validate_packs([pack], entry_points=False).problems
    assert [p.field for p in problems] == ["probe.rule"], problems
    assert message in problems[0].message


def test_the_largest_allowed_expressions_compile_explain_and_plan(app: Bounceback, tmp_path: Path) -> None:
    """At the limits (depth and size), the compiler and the explanations have no trouble."""
    deep = "not " * (cond.MAX_DEPTH - 1) + "support_people"
    wide = " and ".join(["anxiety >= 1"] * 78)  # 5 parts each (a name counts its context)
    nested = "(" * 30 + "anxiety" + " + 1)" * 30 + " >= 1"
    for source in (deep, wide, nested):
        assert len(source) <= cond.MAX_LENGTH
        pack = rule_pack(tmp_path / str(len(source)), when=source, strength=f"1 if {source} else 0")
        loaded = load(packs=[pack], entry_points=False, strict=True)
        situation = loaded.situation(dict(MINIMAL, support_people=False))
        plan = loaded.plan(situation, top=50, per_category=50)
        trace = cond.explain(
            loaded.engine.rule("probe.rule").when.node, {**situation.answers, **plan.signals}
        )
        steps = [s for s in plan.steps if s.id == "probe.rule"]
        assert trace.value and [s.reasons for s in steps] == [tuple(trace.reasons())], source


# -- the compiled program ---------------------------------------------------------------------


def test_the_compiled_program_reaches_only_the_languages_helpers(app: Bounceback) -> None:
    """No builtins, no attribute access: every global name or attribute the generated code
    uses is one of the runtime helpers."""
    program = app.ruleset.program
    assert program.__globals__["__builtins__"] == {}
    assert set(program.__code__.co_names) <= set(runtime_namespace())
    app.plan(MINIMAL)  # compiles the texts of the rules it chose
    texts = [t for t in app.ruleset._texts if t is not None]
    assert texts
    for program in texts:
        assert program.__globals__["__builtins__"] == {}
        assert set(program.__code__.co_names) <= set(runtime_namespace())


# -- placeholders -----------------------------------------------------------------------------

#: Text that only looks like a format or a placeholder: it stays literal text.
LITERAL_TEXT = "{0.__class__.__mro__} {role} %(role)s $${role} $5"
#: Placeholders that try to reach further than an answer: refused when the pack loads.
HOSTILE_PLACEHOLDERS = [
    "${role.__class__}",
    "${role!r}",
    "${role:>99}",
    "${role[0]}",
    "${role:{0}/x}",
    "${__class__}",
]


def test_text_that_looks_like_a_format_stays_literal(tmp_path: Path) -> None:
    """Anything but a placeholder stays literal text in a pack's why and drafts."""
    pack = rule_pack(tmp_path, why="Hi. " + LITERAL_TEXT, body="Body: " + LITERAL_TEXT)
    loaded = load(packs=[pack], entry_points=False, strict=True)
    step = next(
        s
        for s in loaded.plan(dict(MINIMAL, role="Analyst"), top=50, per_category=10).steps
        if s.id == "probe.rule"
    )
    literal = LITERAL_TEXT.replace("$${role}", "${role}")  # $$ is a literal $
    assert step.why == "Hi. " + literal
    assert step.draft is not None and step.draft.body == f"Body: {literal}\n"


@pytest.mark.parametrize("placeholder", HOSTILE_PLACEHOLDERS)
def test_placeholders_cannot_reach_attributes_or_formats(tmp_path: Path, placeholder: str) -> None:
    """``${id.attr}``, ``${id!r}``, a format spec or an index is refused, naming the text."""
    pack = rule_pack(tmp_path, why="Hi. " + placeholder, body="Body: " + placeholder)
    result = validate_packs([pack], entry_points=False)
    messages = [p.message for p in result.problems]
    assert len(messages) == 2 and all(f"placeholder {placeholder[:6]}" in m for m in messages), messages
    assert {p.field for p in result.problems} == {"probe.rule", "templates.probe_note"}


def test_what_a_person_typed_is_inserted_as_it_is(tmp_path: Path) -> None:
    """An answer that looks like a placeholder or a format is never expanded."""
    pack = rule_pack(tmp_path, body="Role: ${role|?}. Company: ${company|?}.")
    loaded = load(packs=[pack], entry_points=False, strict=True)
    typed = "${company} {0.__class__} ${interviewer_name|x} $$ %s"
    plan = loaded.plan(dict(MINIMAL, role=typed, company="Acme"), top=50, per_category=10)
    step = next(s for s in plan.steps if s.id == "probe.rule")
    assert step.draft is not None
    assert step.draft.body == f"Role: {typed}. Company: Acme.\n"


#: ``${id}``, ``${id|fallback}`` and ``$$``, as they were before number-aware wording and segments.
PLACEHOLDER = re.compile(r"\$(?:(\$)|\{([a-z][a-z0-9_]*)(?:\|([^{}]*))?\})")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "${role}",
                "${company|?}",
                "$$",
                "${",
                "}",
                "{0.__class__}",
                "x",
                " ",
                "${role.__class__}",
                "%(role)s",
                "${company!r}",
            ]
        ),
        max_size=10,
    ).map("".join),
    st.text(alphabet="${}|.!%_ax0", max_size=12),
    st.none() | st.text(alphabet="${}|ab", max_size=8),
)
def test_filling_is_one_pass_over_the_pack_text(text: str, role: str, company: str | None) -> None:
    """Each placeholder of the pack's text is replaced once; what replaces it is never read
    again, whatever it contains."""

    def once(match: re.Match[str]) -> str:
        if match.group(1):
            return "$"
        value = {"role": role, "company": company}.get(match.group(2))
        return filling.answer_text(value) or (
            match.group(3) if match.group(3) is not None else f"[{match.group(2)}]"
        )

    answers = {"role": role, "company": company}
    try:
        filled = filling.fill(text, answers)
    except templates.TextError:  # a stray "${": refused, never shown
        assert "${" in PLACEHOLDER.sub("", text)
        return
    assert filled == PLACEHOLDER.sub(once, text)
