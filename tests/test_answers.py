"""Validating answers: typed files and text cells mean the same; every problem at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bounceback.api import Bounceback
from bounceback.errors import AnswersError
from bounceback.questionnaire import read_answers
from helpers import MINIMAL, answers


def test_minimal_answers_give_unknowns(app: Bounceback) -> None:
    situation = app.situation(MINIMAL)
    assert situation.get("months_searching") is None
    assert situation.get("skill_gaps") == ()
    assert situation.get("stage_reached") == "interview"


def test_text_and_typed_values_agree(app: Bounceback) -> None:
    typed = app.situation(answers(support_people=True, skill_gaps=["technical", "tools"], anxiety=4))
    text = app.situation(answers(support_people="yes", skill_gaps="technical; tools", anxiety="4"))
    assert typed == text
    assert app.situation(answers(stage_reached="Final Round")).get("stage_reached") == "final_round"
    assert app.situation(answers(anxiety=4.0)).get("anxiety") == 4


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("anxiety", 6, "expected a whole number from 1 to 5, got 6"),
        ("anxiety", 2.5, "expected a whole number from 1 to 5, got float 2.5"),
        ("anxiety", True, "expected a whole number from 1 to 5, got true/false (true)"),
        ("anxiety", "high", "got text 'high'"),
        ("months_searching", -1, "expected a whole number ≥ 0, got -1"),
        ("months_searching", float("nan"), "got float nan"),
        ("months_searching", float("inf"), "got float inf"),
        ("stage_reached", "interveiw", "got 'interveiw' (did you mean 'interview'?)"),
        ("skill_gaps", ["technical", "python"], "got 'python'"),
        ("skill_gaps", 3, "expected a list of any of"),
        ("support_people", "maybe", "expected true or false (or yes/no), got text 'maybe'"),
        ("role", ["a"], "expected text, got a list"),
        ("role", "x" * 1001, "text is too long"),
    ],
)
def test_bad_values(app: Bounceback, field: str, value: object, message: str) -> None:
    with pytest.raises(AnswersError) as info:
        app.situation(answers(**{field: value}), source="a.toml")
    problem = info.value.problems[0]
    assert problem.field == field
    assert message in problem.message
    assert str(problem).startswith(f"a.toml: {field}: ")


def test_unknown_ids_and_missing_required_all_at_once(app: Bounceback) -> None:
    raw = dict(MINIMAL, anxeity=3)
    del raw["anxiety"], raw["stage_reached"]
    with pytest.raises(AnswersError) as info:
        app.situation(raw)
    text = str(info.value)
    assert "anxeity: unknown question (did you mean 'anxiety'?)" in text
    assert "anxiety: missing required answer: expected a whole number from 1 to 5" in text
    assert "stage_reached: missing required answer: expected one of: application" in text


def test_read_toml_with_line_numbers(tmp_path: Path, app: Bounceback) -> None:
    path = tmp_path / "a.toml"
    path.write_text('stage_reached = "interview"\nanxiety = 9\n', encoding="utf-8")
    raw, source, lines = read_answers(path)
    with pytest.raises(AnswersError) as info:
        app.situation(raw, source=source, lines=lines)
    assert f"{path}:2: anxiety: expected a whole number from 1 to 5, got 9" in str(info.value)


def test_read_json(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    assert read_answers(path)[0] == MINIMAL


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("a.toml", b"anxiety = = 3", "invalid TOML"),
        ("a.json", b'{"anxiety": ', "invalid JSON"),
        ("a.json", b"[1, 2]", "expected a JSON object"),
        ("a.json", b'{"anxiety": NaN}', "NaN is not a valid answer"),
        ("a.toml", b"\xff\xfe\x00\x01", "not UTF-8"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AnswersError, match=message):
        read_answers(path)


@pytest.mark.parametrize(
    "content, hint",
    [
        (b'role = "UX designer\nanger = 3\n', "Close its quote on the same line"),
        (b'role = "UX', "Every quote needs its closing quote"),
        (b"role = UX designer\n", 'is the text quoted? Write key = "text"'),
        (b"role UX\n", "is the '=' missing"),
    ],
)
def test_a_toml_syntax_error_says_what_usually_causes_it(tmp_path: Path, content: bytes, hint: str) -> None:
    """tomllib's terse messages ("Illegal character '\\n'") get a hint a person can act on."""
    path = tmp_path / "answers.toml"
    path.write_bytes(content)
    with pytest.raises(AnswersError) as raised:
        read_answers(path)
    assert hint in str(raised.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="file not found"):
        read_answers(tmp_path / "nope.toml")
    with pytest.raises(AnswersError, match="is a folder"):
        read_answers(tmp_path)
