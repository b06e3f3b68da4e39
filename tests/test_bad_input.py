"""Whatever an editor or a spreadsheet produced: every reader answers with a clear message and
exit status 2, never a traceback.

Answers files (TOML, JSON) and packs (TOML) are fed malformed, truncated, empty, binary, huge
and type-confused input, by hand and by hypothesis. (The batch readers are tested with batch.)
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounceback.api import Bounceback
from bounceback.errors import AnswersError, PackError
from bounceback.files import MAX_INPUT_BYTES
from bounceback.packs import parse_pack
from bounceback.questionnaire import read_answers
from hardening import assert_clear_error, rule_pack, run
from helpers import MINIMAL

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _toml(**changes: Any) -> bytes:
    return tomli_w.dumps({**MINIMAL, **changes}).encode()


def _minimal_toml_text() -> str:
    return tomli_w.dumps(MINIMAL)


# -- answers files ------------------------------------------------------------------------------

ANSWERS: list[tuple[str, bytes, str]] = [
    # empty and truncated
    ("empty.toml", b"", "stage_reached: missing required answer"),
    ("empty.json", b"", "invalid JSON: Expecting value"),
    ("blank.json", b"  \n\n ", "invalid JSON"),
    ("truncated.toml", _toml()[:-20] + b'role = "Data An', "invalid TOML"),
    ("truncated.json", json.dumps(MINIMAL).encode()[:-9], "invalid JSON"),
    ("dangling.toml", b"anxiety = ", "invalid TOML"),
    # binary and wrong encodings
    ("binary.toml", bytes(range(256)), "not UTF-8 text"),
    ("image.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text"),
    ("utf16.toml", _minimal_toml_text().encode("utf-16"), "not UTF-8 text"),
    ("nul.toml", _toml() + b'role = "a\x00b"\n', "invalid TOML"),
    # not an object of answers
    ("list.json", b"[1, 2, 3]", "expected a JSON object of question ids to answers, got an array"),
    ("string.json", b'"interview"', "got text"),
    ("null.json", b"null", "got null"),
    (
        "text-date.toml",
        _toml(role="x") + b"name = 2024-01-01\n",
        "name: expected text, got a date (2024-01-01)",
    ),
    (
        "nan.json",
        json.dumps({**MINIMAL, "anxiety": "NaN"}).replace('"NaN"', "NaN").encode(),
        "NaN is not a valid answer",
    ),
    # nested too deeply for a parser's recursion
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "invalid JSON"),
    ("deep.toml", _toml() + b"extra = " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "invalid TOML"),
    (
        "deep-tables.toml",
        _toml() + b"extra = " + b"{a = " * 5000 + b"1" + b"}" * 5000 + b"\n",
        "invalid TOML",
    ),
    # numbers too large for anything
    ("digits.toml", _toml() + b"rejections_recent = 1" + b"0" * 5000 + b"\n", "invalid TOML"),
    (
        "digits.json",
        json.dumps(MINIMAL)[:-1].encode() + b', "rejections_recent": 1' + b"0" * 5000 + b"}",
        "invalid JSON",
    ),
    (
        "large.json",
        json.dumps({**MINIMAL, "days_since_rejection": 10**400}).encode(),
        "days_since_rejection: expected a whole number ≥ 0, got int 1000",
    ),
    ("large.toml", _toml(rejections_recent=10**18), "rejections_recent: expected a whole number"),
    (
        "float.json",
        json.dumps({**MINIMAL, "days_since_rejection": 1e300}).encode(),
        "days_since_rejection: expected a whole number",
    ),
    ("inf.toml", _toml() + b"months_searching = inf\n", "got float inf"),
    # type-confused values
    ("table.toml", _toml(anxiety={"level": 3}), "anxiety: expected a whole number from 1 to 5, got a table"),
    ("list.toml", _toml(anxiety=[3]), "anxiety: expected a whole number from 1 to 5, got a list"),
    ("fraction.toml", _toml(anxiety=3.5), "got float 3.5"),
    ("bool-count.toml", _toml(rejections_recent=True), "got true/false"),
    ("negative.toml", _toml(rejections_recent=-2), "expected a whole number ≥ 0, got -2"),
    ("date.toml", _toml(days_since_rejection=dt.date(2024, 5, 1)), "got a date (2024-05-01)"),
    ("word-bool.toml", _toml(support_people="maybe"), "support_people: expected true or false (or yes/no)"),
    ("number-multi.toml", _toml(skill_gaps=3), "skill_gaps: expected a list of any of"),
    ("mixed-multi.toml", _toml(skill_gaps=["tools", 7]), "skill_gaps: expected a list of any of"),
    ("option.toml", _toml(stage_reached="interveiw"), "(did you mean 'interview'?)"),
    ("number-choice.toml", _toml(stage_reached=3), "stage_reached: expected one of"),
    ("nested-text.toml", _toml(role={"title": "x"}), "role: expected text, got a table"),
    ("long-text.toml", _toml(role="x" * 100_000), "role: text is too long (100000 characters, limit 1000)"),
    ("unknown.toml", _toml(**{f"q{i}": i for i in range(2000)}), "q0: unknown question"),
]


@pytest.mark.parametrize("name, content, message", ANSWERS, ids=[a[0] for a in ANSWERS])
def test_bad_answers_files_are_clear_input_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run("plan", str(path))
    assert_clear_error(result, f"error: {path}", message)


def test_a_huge_answers_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(_toml() + b"# " + b"x" * MAX_INPUT_BYTES + b"\n")
    assert_clear_error(run("plan", str(path)), f"error: {path}: file is too large")
    assert_clear_error(run("plan", "-", input=path.read_bytes()), "error: <stdin>: file is too large")


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"{", b"[]", b"= 3"])
def test_bad_answers_on_standard_input(content: bytes) -> None:
    assert_clear_error(run("plan", "-", input=content), "error: <stdin>")


def test_a_folder_instead_of_an_answers_file(tmp_path: Path) -> None:
    assert_clear_error(run("plan", str(tmp_path)), f"error: {tmp_path}: is a folder")


# -- packs ----------------------------------------------------------------------------------------

PACK_HEAD = '[pack]\nid = "probe"\nname = "Probe"\nversion = "1.0.0"\n'
RULE = (
    '[[rules]]\nid = "r"\ncategory = "mindset"\ntitle = "T"\nwhy = "W"\nweight = 0.5\n'
    'timeframe = "today"\neffort = "low"\nactions = ["a"]\n'
)

PACKS: list[tuple[str, bytes, str]] = [
    ("empty.toml", b"", "missing [pack] table"),
    ("truncated.toml", (PACK_HEAD + RULE).encode()[:-12], "invalid TOML"),
    ("binary.toml", bytes(range(256)) * 4, "not UTF-8 text"),
    ("deep.toml", (PACK_HEAD + "x = " + "[" * 50_000 + "]" * 50_000).encode(), "invalid TOML"),
    ("digits.toml", (PACK_HEAD + RULE.replace("0.5", "1" + "0" * 5000)).encode(), "invalid TOML"),
    ("pack-list.toml", b"pack = [1, 2]\n", "missing [pack] table"),
    (
        "rules-text.toml",
        ('rules = "all of them"\n' + PACK_HEAD).encode(),
        "'rules' must be an array of tables",
    ),
    ("questions-table.toml", (PACK_HEAD + "[questions]\na = 1\n").encode(), "'questions' must be an array"),
    ("signals-list.toml", ("signals = [1]\n" + PACK_HEAD).encode(), "'signals' must be a table"),
    ("signal-number.toml", (PACK_HEAD + "[signals]\nx = 1\n").encode(), "must be an expression in quotes"),
    ("templates-number.toml", ("templates = 3\n" + PACK_HEAD).encode(), "'templates' must be a table"),
    ("id-number.toml", PACK_HEAD.replace('"probe"', "5").encode(), "'id' must be non-empty text, got int 5"),
    ("weight-word.toml", (PACK_HEAD + RULE.replace("0.5", '"high"')).encode(), "'weight' must be a number"),
    ("weight-inf.toml", (PACK_HEAD + RULE.replace("0.5", "inf")).encode(), "'weight' must be a number"),
    ("when-number.toml", (PACK_HEAD + RULE + "when = 3\n").encode(), "'when' must be non-empty text"),
    (
        "actions-text.toml",
        (PACK_HEAD + RULE.replace('["a"]', '"do it"')).encode(),
        "'actions' must be a list of non-empty texts",
    ),
    ("rule-number.toml", ("rules = [1]\n" + PACK_HEAD).encode(), "each [[rules]] entry must be a table"),
    (
        "bad-date.toml",
        (PACK_HEAD + RULE.replace('"today"', "2024-01-01")).encode(),
        "'timeframe' must be non-empty text, got date",
    ),
]


@pytest.mark.parametrize("name, content, message", PACKS, ids=[p[0] for p in PACKS])
def test_bad_packs_are_clear_input_errors(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_clear_error(run("packs", "validate", str(path)), str(path), message)
    assert_clear_error(
        run("plan", "--strict", "--pack", str(path), "-", input=_toml()), f"error: {path}", message
    )


def test_a_huge_pack_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(PACK_HEAD.encode() + b"#" * MAX_INPUT_BYTES)
    assert_clear_error(run("packs", "validate", str(path)), f"{path}: file is too large")


def test_a_large_valid_pack_is_read_in_linear_time(tmp_path: Path) -> None:
    """Regression: finding the line of each signal scanned the whole file, so a pack of many
    signals took minutes to read."""
    signals = "".join(f's{i} = "0.5"\n' for i in range(30_000))
    text = PACK_HEAD + "[signals]\n" + signals
    start = time.process_time()
    pack = parse_pack(text, source="big.toml")
    assert time.process_time() - start < 20  # about a second; quadratic was minutes
    assert len(pack.signals) == 30_000 and pack.line_of("signals.s29999") == 30_005


# -- fuzzing ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


def _answers_like(app: Bounceback) -> st.SearchStrategy[dict[str, Any]]:
    ids = [q.id for q in app.questionnaire]
    plausible = st.one_of(
        json_values,
        st.sampled_from(["yes", "no", "3", "tools;interviewing", "", " "]),
        st.dates(),
        st.integers(-(10**30), 10**30),
    )
    return st.dictionaries(st.sampled_from(ids) | st.text(max_size=10), plausible, max_size=len(ids))


@FUZZ
@given(data=st.data())
def test_the_answers_validator_accepts_or_explains(app: Bounceback, data: st.DataObject) -> None:
    raw = {**MINIMAL, **data.draw(_answers_like(app))}
    try:
        situation = app.situation(raw, source="fuzz")
    except AnswersError as exc:
        assert exc.problems and all(p.source == "fuzz" and p.message for p in exc.problems)
        return
    for question in app.questionnaire:
        value = situation.get(question.id)
        if question.kind == "multi":
            assert isinstance(value, tuple) and set(value) <= set(question.options)
        elif value is None:
            assert not question.required
        elif question.kind in ("scale", "number"):
            assert type(value) is int and abs(value) < 10**15
        elif question.kind == "bool":
            assert type(value) is bool
        elif question.kind == "choice":
            assert value in question.options
        else:
            assert isinstance(value, str)
    app.plan(situation)  # and any valid situation can be planned


@FUZZ
@given(
    content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
    suffix=st.sampled_from([".toml", ".json"]),
)
def test_reading_answers_files_fails_only_with_answers_errors(
    tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"answers{suffix}"
    path.write_bytes(content)
    try:
        raw, _source, lines = read_answers(path)
    except AnswersError as exc:
        assert exc.problems[0].source == str(path)
    else:
        assert isinstance(raw, dict) and all(isinstance(n, int) for n in lines.values())


toml_tables = st.dictionaries(
    st.sampled_from(["pack", "rules", "questions", "signals", "templates", "other"]),
    st.one_of(
        json_values.filter(lambda v: v is not None),
        st.lists(
            st.dictionaries(
                st.sampled_from(
                    ["id", "kind", "when", "weight", "actions", "options", "min", "category", "x"]
                ),
                st.integers() | st.text(max_size=10) | st.lists(st.text(max_size=5)),
            ),
            max_size=3,
        ),
    ),
    max_size=5,
)


def _dump(data: dict[str, Any]) -> str | None:
    try:
        return tomli_w.dumps(_tomlable(data))
    except (TypeError, ValueError):
        return None


def _tomlable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _tomlable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_tomlable(v) for v in value if v is not None]
    if isinstance(value, float) and math.isnan(value):
        return 0.0
    return value


@FUZZ
@given(st.one_of(st.text(max_size=300), toml_tables.map(_dump).filter(lambda t: t is not None)))
def test_reading_packs_fails_only_with_pack_errors(text: str) -> None:
    try:
        parse_pack(text, source="fuzz.toml")
    except PackError as exc:
        assert exc.problems and all(p.source == "fuzz.toml" and p.message for p in exc.problems)


def test_a_pack_that_fails_validation_never_breaks_a_plan(tmp_path: Path) -> None:
    pack = rule_pack(tmp_path, when="anxiety >= 'high'")
    result = run("plan", "--pack", str(pack), "-", input=_toml())
    assert result.exit_code == 0, result.output
    assert "warning: skipped plugin folder:" in result.output and "Traceback" not in result.output
