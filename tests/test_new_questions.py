"""The DESIGN §6a questions end to end: each one through the template, ``ask`` and a cohort
spreadsheet made from ``questions --format csv``; and answers of the old questionnaire still
plan unchanged."""

from __future__ import annotations

import csv
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner

from bounceback.api import Bounceback
from bounceback.cli import cli
from bounceback.render.questionnaire import ordered
from conftest import EXAMPLES, PERSONAS, PERSONAS_V2
from helpers import MINIMAL
from test_ask import run_ask, typed

#: Each new question with an answer as a file holds it, and how a person types it at `ask`.
NEW: dict[str, tuple[Any, str]] = {
    "decision": ("offer_withdrawn", "an offer was withdrawn"),
    "internal_role": (True, "yes"),
    "currently_employed": (False, "no"),
    "career_stage": ("returning", "5"),
    "country": ("nz", "New Zealand"),
    "feedback_asked": (True, "y"),
    "sees_professional": (False, "n"),
    "self_harm_thoughts": (False, "no"),
}
NEW_THEMES = ["hiring_freeze", "internal_candidate", "role_cancelled", "overqualified"]
ANSWERS = {
    **MINIMAL,
    **{q: value for q, (value, _) in NEW.items()},
    "feedback_received": "generic",
    "feedback_themes": NEW_THEMES,
}


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--no-plugins"])
    assert "Traceback" not in result.output
    return result


def test_the_new_questions_are_optional_in_the_base_pack(app: Bounceback) -> None:
    questions = app.questionnaire.by_id
    for qid in NEW:
        assert questions[qid].pack == "base" and not questions[qid].required
    assert questions["decision"].options == ("rejected", "no_reply", "offer_withdrawn")
    assert questions["country"].options == (
        "au",
        "ca",
        "de",
        "es",
        "fr",
        "gb",
        "ie",
        "in",
        "nl",
        "nz",
        "us",
        "other",
    )
    assert set(NEW_THEMES) <= set(questions["feedback_themes"].options)
    assert "skip" in questions["self_harm_thoughts"].help  # gentle and clearly optional


def test_template_filled_with_the_new_questions_makes_a_plan(tmp_path: Path, app: Bounceback) -> None:
    path = tmp_path / "answers.toml"
    assert invoke("questions", "--template", "-o", str(path)).exit_code == 0
    text = path.read_text("utf-8")
    for key, value in ANSWERS.items():
        text, count = re.subn(
            rf"^{key} = .*$", tomli_w.dumps({key: value}).strip().replace("\n", " "), text, flags=re.M
        )
        assert count == 1, key
    path.write_text(text, "utf-8")
    assert {k: v for k, v in tomllib.loads(text).items() if v not in ("", [])} == ANSWERS
    result = invoke("plan", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == app.plan(ANSWERS).to_dict()


def test_ask_takes_every_new_question_by_word_number_or_label(tmp_path: Path, app: Bounceback) -> None:
    typing = {q: shown for q, (_, shown) in NEW.items()}
    text = typed(
        app,
        {
            **typing,
            "feedback_received": "a general reason only",
            "feedback_themes": "a hiring freeze, 9, role_cancelled, Overqualified",
        },
    )
    result, saved = run_ask(text, "-o", str(tmp_path / "answers.toml"))
    assert result.exit_code == 0, result.output
    assert saved is not None
    assert {k: v for k, v in saved.items() if v not in ("", [])} == ANSWERS
    assert "      1) I was told no  2) I never heard back (even after following up)" in result.output
    assert "You can skip this question." in result.output


def test_a_spreadsheet_from_the_csv_header_plans_every_new_question(tmp_path: Path, app: Bounceback) -> None:
    header = next(csv.reader(invoke("questions", "--format", "csv").output.splitlines()))
    assert set(NEW) <= set(header)

    def cell(value: Any) -> str:
        return (
            ";".join(value)
            if isinstance(value, list)
            else str(value).lower()
            if isinstance(value, bool)
            else str(value)
        )

    people = [
        ("p1", ANSWERS),
        (
            "p2",
            {
                **MINIMAL,
                "decision": "no_reply",
                "country": "United States",
                "career_stage": "Senior or leadership",
            },
        ),
    ]
    path = tmp_path / "cohort.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for ident, answers in people:
            writer.writerow(
                [ident if c == "id" else cell(answers[c]) if c in answers else "" for c in header]
            )
    out = tmp_path / "out"
    result = invoke("batch", str(path), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (out / "errors.jsonl").read_text() == ""
    plans = [json.loads(line) for line in (out / "plans.jsonl").read_text().splitlines()]
    assert [p["plan"] for p in plans] == [
        app.plan(ANSWERS).to_dict(),
        app.plan({**MINIMAL, "decision": "no_reply", "country": "us", "career_stage": "senior"}).to_dict(),
    ]


def _old_answers() -> list[Path]:
    found = [EXAMPLES / "jordan.toml"]
    if PERSONAS.is_dir():
        found += sorted(PERSONAS.glob("*.answers.toml"))
    return found


@pytest.mark.parametrize("path", _old_answers(), ids=lambda p: p.name)
def test_answers_of_the_old_questionnaire_still_plan(path: Path) -> None:
    data = tomllib.loads(path.read_text("utf-8"))
    assert not set(NEW) & set(data)  # really the old questionnaire
    result = invoke("plan", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["steps"]


@pytest.mark.parametrize(
    "path", [EXAMPLES / "ghosted.toml", *sorted(PERSONAS_V2.glob("*.answers.toml"))], ids=lambda p: p.name
)
def test_answers_using_the_new_questions_are_valid(path: Path, app: Bounceback) -> None:
    data = tomllib.loads(path.read_text("utf-8"))
    assert set(NEW) & set(data)
    result = invoke("plan", str(path))
    assert result.exit_code == 0, result.output


def test_every_question_is_in_the_template_ask_and_csv_in_one_order(app: Bounceback) -> None:
    ids = [q.id for q in ordered(app.questionnaire)]
    assert list(tomllib.loads(invoke("questions", "--template").output)) == ids
    assert next(csv.reader([invoke("questions", "-f", "csv").output]))[1:] == ids
