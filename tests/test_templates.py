"""Pack texts: the parser, number-aware wording, optional and conditional segments.

* Any tree of literals, placeholders, number-aware placeholders, optional and conditional
  segments, written out, parses back to itself; any other text parses or is refused with a
  :class:`TextError`, never another exception.
* The compiled texts (:meth:`ProgramBuilder.text`) say exactly what :func:`filling.render`
  (the reference semantics) says, for random texts and random answers, unanswered included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounceback import answerforms, filling, templates
from bounceback import conditions as cond
from bounceback.templates import Choice, Optional, Plural, Seq, Slot, TextError
from test_conditions_fuzz import BOOL_EXPR, TYPES, compile_generated, situations

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- writing a tree out -----------------------------------------------------------------------

#: Literal characters, the syntax's own included (but no "i": a segment starting "if " is a condition).
LITERAL = st.text(alphabet="ab #/:{}()',.\n$|]", max_size=6)
FORM = st.text(alphabet="ab #:,.", min_size=1, max_size=5).filter(str.strip)
FALLBACK = st.none() | st.text(alphabet="ab #/:,.", max_size=5)
NUMBERS = ["n1", "n2", "r1"]


def write(seq: Seq, inside: bool = False) -> str:
    """``seq`` as pack text (what :func:`templates.parse` reads back)."""
    out = []
    for node in seq:
        if isinstance(node, str):
            text = node.replace("$", "$$")
            out.append(text.replace("|", "$|").replace("]", "$]") if inside else text)
        elif isinstance(node, Slot):
            form = "" if node.form is None else "!" + node.form
            out.append(f"${{{node.name}{form}{'' if node.fallback is None else '|' + node.fallback}}}")
        elif isinstance(node, Plural):
            forms = "/".join(f for f in (node.zero, node.one, node.other) if f is not None)
            out.append(f"${{{node.name}:{forms}{'' if node.fallback is None else '|' + node.fallback}}}")
        elif isinstance(node, Optional):
            other = "|" + write(node.otherwise, True) if node.otherwise else ""
            out.append(f"$[{write(node.body, True)}{other}]")
        else:
            parts = [
                (f"if {when}:" if when is not None else "") + write(branch, True)
                for when, branch in node.branches
            ]
            out.append("$[" + "|".join(parts) + "]")
    return "".join(out)


def normal(seq: Seq) -> Seq:
    """``seq`` as the parser gives it: adjacent literals joined, empty ones dropped."""
    out: list[Any] = []
    for node in seq:
        if isinstance(node, Optional):
            node = Optional(normal(node.body), normal(node.otherwise))
        elif isinstance(node, Choice):
            node = Choice(tuple((w, normal(b)) for w, b in node.branches))
        if isinstance(node, str) and out and isinstance(out[-1], str):
            out[-1] += node
        else:
            out.append(node)
    return tuple(n for n in out if n != "")


slots = st.builds(Slot, st.sampled_from(sorted(TYPES)), FALLBACK, st.none() | st.just("first"))
plurals = st.builds(
    Plural, st.sampled_from(NUMBERS), FORM.map(lambda f: "#" + f), FORM, st.none() | FORM, FALLBACK
)
leaves = st.one_of(LITERAL, slots, plurals)


def _optional(children: st.SearchStrategy[Seq]) -> st.SearchStrategy[Optional]:
    body = st.tuples(st.lists(leaves, max_size=2), st.one_of(slots, plurals), children).map(
        lambda t: (*t[0], t[1], *t[2])
    )
    return st.builds(Optional, body, st.just(()) | children)


def _choice(children: st.SearchStrategy[Seq]) -> st.SearchStrategy[Choice]:
    conditional = st.lists(st.tuples(BOOL_EXPR, children), min_size=1, max_size=3)
    last = st.none() | children.map(lambda c: (None, c))
    return st.builds(lambda c, last: Choice(tuple(c) + ((last,) if last else ())), conditional, last)


texts = st.recursive(
    st.lists(leaves, max_size=4).map(tuple),
    lambda children: st.lists(st.one_of(leaves, _optional(children), _choice(children)), max_size=4).map(
        tuple
    ),
    max_leaves=10,
)


@FAST
@given(texts)
def test_written_texts_parse_back(seq: Seq) -> None:
    assert templates.parse(write(seq)) == normal(seq)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "${",
                "}",
                "$[",
                "]",
                "|",
                "$",
                "if ",
                ":",
                "n1",
                "#",
                "/",
                "a",
                "${n1:#/#s}",
                "${t1|x}",
                "$[if b1: ",
                "'",
                "(",
                " ",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_any_text_parses_or_is_refused_clearly(text: str) -> None:
    try:
        seq = templates.parse(text)
    except TextError as exc:
        assert exc.messages and all("(at character " in m for m in exc.messages)
    else:
        assert isinstance(seq, tuple)


@FAST
@given(texts, situations)
def test_compiled_texts_agree_with_render(seq: Seq, values: dict[str, Any]) -> None:
    expressions = {s: compile_generated(s, TYPES, want=cond.BOOL) for s in templates.conditions(seq)}
    builder = cond.ProgramBuilder(TYPES)
    builder.text(seq, {s: e.node for s, e in expressions.items()})
    builder.texts([seq, ("fixed",), ()], {s: e.node for s, e in expressions.items()})
    expected = filling.render(seq, values, lambda s: bool(cond.evaluate(expressions[s].node, values)))
    builder.texts([seq, ("fixed",)], {s: e.node for s, e in expressions.items()}, also=[1, 0])
    filled = tuple(t for t in (expected, "fixed") if t)
    assert builder.build()(values) == (expected, filled, (), filled, ("fixed", expected))


# -- what the features say --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text", [(0, "no months yet"), (1, "1 month"), (2, "2 months"), (None, "several months")]
)
def test_number_aware_wording(value: int | None, text: str) -> None:
    source = "${months:no months yet/# month/# months|several months}"
    assert filling.fill(source, {"months": value}) == text
    assert filling.fill("${months:# month/# months}", {"months": 0}) == "0 months"


def test_optional_segments_show_only_with_their_answers() -> None:
    source = "the ${role|open} role$[ at ${company}]$[, with ${who}| with the team]."
    assert (
        filling.fill(source, {"role": "Nurse", "company": "Lumen"})
        == "the Nurse role at Lumen with the team."
    )
    assert filling.fill(source, {"company": " ", "who": "Priya"}) == "the open role, with Priya."


def test_conditional_segments_take_the_first_part_that_holds() -> None:
    source = "It was$[if days <= 7: recent| if days <= 30: a few weeks ago| a while ago]$[if late:.]"
    holds = {"days <= 7": False, "days <= 30": True, "late": False}
    assert filling.fill(source, {}, holds.__getitem__) == "It was a few weeks ago"
    with pytest.raises(ValueError, match="holds"):
        filling.fill(source, {})


@pytest.mark.parametrize(
    "text, message",
    [
        ("${role", "'${' without a closing '}'"),
        ("${role.__class__}", "is not ${id}"),
        ("${n:one}", "needs 2 or 3 non-empty forms"),
        ("${n:a/b/c/d}", "needs 2 or 3 non-empty forms"),
        ("${n:a//c}", "needs 2 or 3 non-empty forms"),
        ("$[no placeholder]", "needs a placeholder"),
        ("$[${a}|b|c]", "at most one '|'"),
        ("$[${a}", "without a closing ']'"),
        ("$[if x > 1 text]", "needs a ':'"),
        ("$[if : text]", "'if' without a condition"),
        ("$[if a: x|y|if b: z]", "only the last part may be without 'if'"),
        ("$[${a}|if b: z]", "cannot have 'if' parts"),
        ("${a!last}", "a form after '!' is one of first"),
        ("${n!first:a/b}", "number-aware wording takes none"),
    ],
)
def test_malformed_texts_are_refused(text: str, message: str) -> None:
    with pytest.raises(TextError, match=None) as info:
        templates.parse(text)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "name, greeted",
    [
        ("Karen O'Neill", "Karen"),
        ("José García López", "José"),
        ("Mary-Jane Berg", "Mary-Jane"),
        ("Karen", "Karen"),
        ("Dr Karen O'Neill", "Dr O'Neill"),
        ("Dr. Pieter Botha", "Dr. Botha"),
        ("Dr okafor mensah", "Dr okafor mensah"),
        ("Ms. Berg", "Ms. Berg"),
        ("K. O'Neill", "K. O'Neill"),
        ("O'Neill, Karen", "O'Neill, Karen"),
        ("the hiring team", "the hiring team"),
        ("  Priya   Shah ", "Priya"),
    ],
)
def test_a_greeting_takes_the_first_name_only_when_it_is_safe(name: str, greeted: str) -> None:
    assert filling.fill("Dear ${who!first|hiring team},", {"who": name}) == f"Dear {greeted},"
    assert filling.fill("Dear ${who!first|hiring team},", {"who": " "}) == "Dear hiring team,"


@FAST
@given(st.text(alphabet="aAkK .,'-ñ", max_size=12))
def test_a_first_name_is_the_whole_name_or_its_first_word(name: str) -> None:
    """The whole name, its first word (never a title), or a title and the family name."""
    first = answerforms.first_name(name)
    words = name.split()
    titled = words[0].rstrip(".").lower() in answerforms.TITLES if words else False
    assert (
        first == name
        or (first == words[0] and not titled)
        or (titled and len(words) >= 3 and first == f"{words[0]} {words[-1]}")
    )


# -- in a pack ----------------------------------------------------------------------------------

VARIANT_PACK = '''
[pack]
id = "words"
name = "Words"
version = "1.0.0"

[templates.note]
title = "Note"
subject = [{when = "stage_reached == 'application'", text = "My application"}, {text = "Our conversation"}]
body = """
Dear ${interviewer_name|hiring team},
Thank you$[if stage_reached != 'application': for the conversation$[ about the ${role} role]].
${name|[your name]}
"""

[[rules]]
id = "rule"
category = "mindset"
title = "Words"
why = [
  {when = "days_since_rejection <= 7", text = "The news is recent (day ${days_since_rejection})."},
  {when = "disappointment >= 4", text = "It still hurts after ${days_since_rejection:# day/# days}."},
  {text = "It has been ${days_since_rejection:# day/# days}; you reached ${network_contacts_month:nobody/one person/# people|some people}."},
]
weight = 1.0
timeframe = "today"
effort = "low"
actions = [
  "Always.",
  {when = "anger >= 4", text = "Wait before you write."},
  [{when = "answered(company)", text = "Look at ${company} again."}, {when = "answered(role)", text = "Look at ${role} roles."}],
]
template = "note"
'''


@pytest.fixture(scope="module")
def words_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The built-in packs and VARIANT_PACK, loaded once for the module (the tests only plan)."""
    from bounceback.api import load

    path = tmp_path_factory.mktemp("words") / "words.toml"
    path.write_text(VARIANT_PACK, encoding="utf-8")
    return load(packs=[path], entry_points=False, strict=True)


def _step(app: Any, **answers: Any) -> Any:
    from helpers import MINIMAL

    plan = app.plan({**MINIMAL, **answers}, top=50)
    return next(s for s in plan.steps if s.id == "words.rule")


def test_variants_segments_and_numbers_in_a_plan(words_app: Any) -> None:
    step = _step(words_app, days_since_rejection=3)
    assert step.why == "The news is recent (day 3)."
    assert step.actions == ("Always.",)
    assert step.draft.subject == "Our conversation"
    assert step.draft.body == "Dear hiring team,\nThank you for the conversation.\n[your name]\n"
    step = _step(
        words_app,
        days_since_rejection=1,
        disappointment=2,
        network_contacts_month=1,
        stage_reached="application",
        anger=5,
        role="Nurse",
        name="Sam",
    )
    assert step.why == "The news is recent (day 1)."
    step = _step(
        words_app,
        days_since_rejection=21,
        disappointment=2,
        network_contacts_month=0,
        stage_reached="application",
        anger=5,
        role="Nurse",
        name="Sam",
    )
    assert step.why == "It has been 21 days; you reached nobody."
    assert step.actions == ("Always.", "Wait before you write.", "Look at Nurse roles.")
    assert step.draft.subject == "My application"
    assert step.draft.body == "Dear hiring team,\nThank you.\nSam\n"
    step = _step(words_app, days_since_rejection=1 + 20, disappointment=5, company="Lumen", role="Nurse")
    assert step.why == "It still hurts after 21 days."
    assert step.actions == ("Always.", "Look at Lumen again.")
    assert step.draft.body.startswith(
        "Dear hiring team,\nThank you for the conversation about the Nurse role."
    )


def test_explain_says_which_wording_was_chosen(words_app: Any) -> None:
    from bounceback.why import explain_rule, render_text
    from helpers import MINIMAL

    explanation = explain_rule(
        words_app, {**MINIMAL, "days_since_rejection": 21, "disappointment": 5}, "words.rule"
    )
    assert explanation.wording[0] == (
        "why: the part for `disappointment >= 4`, because disappointment = 5 (≥ 4)"
    )
    assert "action 2: nothing, because none of `anger >= 4` holds" in explanation.wording
    assert (
        "draft subject: the fallback wording, because none of `stage_reached == 'application'` holds"
        in explanation.wording
    )
    assert "Wording (texts that vary with the answers):" in render_text(explanation)
    assert explanation.to_dict()["wording"] == list(explanation.wording)


@pytest.mark.parametrize(
    "change, message",
    [
        ('{when = "anger >= 4", text = "Wait before you write."}', None),
        (
            '{when = "angr >= 4", text = "x"}',
            "action 2: condition 'angr >= 4': unknown name 'angr' (did you mean 'anger'?)",
        ),
        ('{when = "anger == \'a\'", text = "x"}', "condition \"anger == 'a'\": cannot compare"),
        ('{when = "anger >= 4", text = "Hi ${company}"}', "action 2: ${company} is optional"),
        ('"Hi ${company}"', "action 2: ${company} is optional and may be unanswered"),
        ('"Hi ${role:a/b}"', "action 2: ${role:...} is number-aware wording, but role is a text question"),
        ('"Hi $[${company}]"', None),
        ('{when = "answered(company)", text = "Hi ${company}"}', None),
        ('{when = "anger >= 4", wen = "x", text = "x"}', "unknown field 'wen'"),
        ('{when = "anger >= 4"}', "'text' must be non-empty text"),
        (
            '[{text = "a"}, {when = "anger >= 4", text = "b"}]',
            "has no 'when', so the variants after it never show",
        ),
        ('"Hi ${company"', "'${' without a closing '}'"),
    ],
)
def test_text_problems_are_reported_at_load(tmp_path: Path, change: str, message: str | None) -> None:
    from bounceback.authoring.validation import validate_packs

    text = VARIANT_PACK.replace('{when = "anger >= 4", text = "Wait before you write."}', change)
    (tmp_path / "words.toml").write_text(text, encoding="utf-8")
    problems = [str(p) for p in validate_packs([tmp_path / "words.toml"], entry_points=False).problems]
    if message is None:
        assert problems == []
    else:
        assert any(message in p for p in problems), problems
    assert all("words.toml:" in p and ": words.rule: " in p for p in problems), problems


def test_a_why_with_variants_needs_a_fallback(tmp_path: Path) -> None:
    from bounceback.authoring.validation import validate_packs

    text = VARIANT_PACK.replace('  {text = "It has been', '  {when = "anger >= 1", text = "It has been')
    (tmp_path / "words.toml").write_text(text, encoding="utf-8")
    problems = [str(p) for p in validate_packs([tmp_path / "words.toml"], entry_points=False).problems]
    assert any("add a last variant without 'when'" in p for p in problems), problems


@pytest.mark.parametrize(
    ("chosen", "said"),
    [
        ((), "You named none."),
        (("contract",), "You named contract or temporary work."),
        (("contract", "other_industry"), "You named contract or temporary work and another industry."),
        (
            ("a_b", "contract", "other_industry"),
            "You named a b, contract or temporary work and another industry.",
        ),
    ],
)
def test_a_multi_answer_reads_as_its_options_in_words(chosen: tuple[str, ...], said: str) -> None:
    """Coach reviews 14-15 (Lucía, Deepa): "Pick the one route that appeals most" named no route.
    A multi answer in a text reads as its labels (an option without one, as its id with spaces),
    listed as a sentence lists them, compiled and in the reference alike."""
    labels = {"contract": "contract or temporary work", "other_industry": "another industry"}
    types = {"open_to": cond.VType(cond.LIST, frozenset({*labels, "a_b"}), labels=tuple(labels.items()))}
    seq = templates.parse("You named ${open_to|none}.")
    builder = cond.ProgramBuilder(types)
    builder.text(seq)
    assert builder.build()({"open_to": chosen}) == (said,)
    assert filling.render(seq, {"open_to": chosen}, labels={"open_to": labels}) == said


@pytest.mark.parametrize(
    ("months", "read"),
    [
        (1, "1 month"),
        (11, "11 months"),
        (12, "a year"),
        (13, "more than a year"),
        (24, "two years"),
        (30, "more than two years"),
        (60, "five years"),
        (150, "more than 12 years"),
    ],
)
def test_a_number_of_months_reads_as_a_duration(months: int, read: str) -> None:
    """Coach review 16, Sanne: "last revised 30 months ago"."""
    assert filling.fill("revised ${n!months} ago", {"n": months}) == f"revised {read} ago"
    builder = cond.ProgramBuilder({"n": cond.VType(cond.NUMBER)})
    builder.text(templates.parse("revised ${n!months} ago"))
    assert builder.build()({"n": months}) == (f"revised {read} ago",)
