"""Consistency checks between answers (DESIGN §6a): pack-declared ``[[checks]]``, refused as
input errors naming the questions involved, in answers files, batch rows and ``ask``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bounceback.api import Bounceback, load
from bounceback.authoring.validation import validate_packs
from bounceback.cli import cli
from bounceback.errors import AnswersError
from helpers import MINIMAL, write_answers, write_pack
from test_ask import run_ask, typed

#: The three contradictions of §6a: answers, the check's id, the questions it names.
CONTRADICTIONS = [
    (
        {"feedback_received": "none", "feedback_themes": ["salary"]},
        "base.themes-without-feedback",
        "feedback_received, feedback_themes",
    ),
    ({"open_to": ["none", "freelance"]}, "base.open-to-none-and-others", "open_to"),
    (
        {"decision": "no_reply", "feedback_received": "specific"},
        "base.no-reply-with-specific-feedback",
        "decision, feedback_received",
    ),
]


def invoke(*args: str, input: str | None = None) -> Any:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("changes, check_id, fields", CONTRADICTIONS)
def test_each_contradiction_is_an_input_error_naming_both_questions(
    tmp_path: Path, changes: dict[str, Any], check_id: str, fields: str
) -> None:
    path = write_answers(tmp_path / "a.toml", {**MINIMAL, **changes})
    result = invoke("plan", str(path), "--no-plugins")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {path}:")
    assert f": {fields}: " in line
    for question in changes:
        assert question in line.split(f"{fields}: ", 1)[1]  # the message names each question too


@pytest.mark.parametrize(
    "changes",
    [
        {"feedback_received": "generic", "feedback_themes": ["salary"]},
        {"feedback_received": "none", "feedback_themes": []},
        {"open_to": ["none"]},
        {"open_to": ["freelance", "contract"]},
        {"decision": "no_reply", "feedback_received": "none"},
        {"decision": "rejected", "feedback_received": "specific"},
        {"feedback_received": "specific"},  # decision unanswered: unknown is never a contradiction
    ],
)
def test_consistent_answers_pass(app: Bounceback, changes: dict[str, Any]) -> None:
    app.situation({**MINIMAL, **changes})


def test_the_problem_points_at_the_first_line_of_the_questions(app: Bounceback) -> None:
    with pytest.raises(AnswersError) as caught:
        app.situation(
            {**MINIMAL, "decision": "no_reply", "feedback_received": "specific"},
            source="a.toml",
            lines={"decision": 9, "feedback_received": 4},
        )
    [problem] = caught.value.problems
    assert (problem.source, problem.line, problem.field, problem.code) == (
        "a.toml",
        4,
        "decision, feedback_received",
        "inconsistent",
    )


def test_contradictions_are_reported_with_the_other_problems(app: Bounceback) -> None:
    with pytest.raises(AnswersError) as caught:
        app.situation({**MINIMAL, "anger": 9, "open_to": ["none", "contract"], "feedback_themes": ["salary"]})
    assert [p.code for p in caught.value.problems] == ["bad-answer", "inconsistent", "inconsistent"]


def test_batch_writes_an_error_record_for_each_contradiction(tmp_path: Path) -> None:
    rows = [{"id": f"p{n}", **MINIMAL, **changes} for n, (changes, _, _) in enumerate(CONTRADICTIONS)]
    rows.append({"id": "ok", **MINIMAL})
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = invoke(
        "batch",
        str(path),
        "--out",
        str(tmp_path / "out"),
        "--jobs",
        "1",
        "--no-plugins",
        "--max-error-rate",
        "1",
    )
    assert result.exit_code == 0, result.output
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [(e["id"], [(x["field"], x["code"]) for x in e["errors"]]) for e in errors] == [
        (f"p{n}", [(fields, "inconsistent")]) for n, (_, _, fields) in enumerate(CONTRADICTIONS)
    ]
    assert len((tmp_path / "out" / "plans.jsonl").read_text().splitlines()) == 1


def test_ask_asks_again_when_an_answer_contradicts_an_earlier_one(app: Bounceback, tmp_path: Path) -> None:
    text = typed(
        app,
        {
            "decision": "no_reply",
            "feedback_received": ["specific", "none"],
            "feedback_themes": ["salary", ""],
            "open_to": ["none, freelance", "freelance"],
        },
    )
    result, saved = run_ask(text, "-o", str(tmp_path / "answers.toml"))
    assert result.exit_code == 0, result.output
    assert result.output.count("That doesn't fit an earlier answer: ") == 3
    assert "decision says you never heard back ('no_reply')" in result.output
    assert saved is not None
    assert (saved["decision"], saved["feedback_received"], saved["feedback_themes"], saved["open_to"]) == (
        "no_reply",
        "none",
        [],
        ["freelance"],
    )


# -- pack authors' own checks -------------------------------------------------------------------

EXTRA = """\
[pack]
id = "extra"
name = "Extra"
version = "1.0.0"

[[questions]]
id = "extra_hours"
prompt = "Hours a week you can give to the search?"
kind = "number"
min = 0

[[checks]]
id = "hours-but-no-energy"
when = "extra_hours >= 40 and motivation == 1"
message = "extra_hours is 40 or more, but motivation is 1: is that right?"
"""


def test_a_pack_can_declare_its_own_check(tmp_path: Path) -> None:
    write_pack(tmp_path, EXTRA)
    app = load(packs=[tmp_path], entry_points=False, strict=True)
    assert [c.check.id for c in app.questionnaire.checks][-1] == "extra.hours-but-no-energy"
    with pytest.raises(AnswersError, match=r"motivation, extra_hours: extra_hours is 40 or more"):
        app.situation({**MINIMAL, "motivation": 1, "extra_hours": 45})
    app.situation({**MINIMAL, "motivation": 2, "extra_hours": 45})


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("extra_hours >= 40", "extra_hour >= 40"),
            "when: unknown name 'extra_hour' (did you mean 'extra_hours'?)",
        ),
        (("extra_hours >= 40 and motivation == 1", "extra_hours + 1"), "when: "),
        (("extra_hours >= 40 and motivation == 1", "distress > 0.5"), "unknown name 'distress'"),
        (("extra_hours >= 40 and motivation == 1", "1 == 1"), "reads no question"),
        (('message = "', 'mesage = "'), "unknown field 'mesage' (did you mean 'message'?)"),
        (('id = "hours-but-no-energy"', 'id = "Hours!"'), "'id' 'Hours!' must be lower-case"),
        (("[[checks]]", "[checks]"), "'checks' must be an array of tables ([[checks]])"),
    ],
)
def test_a_broken_check_is_a_pack_problem_at_load(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    write_pack(tmp_path, EXTRA.replace(*change))
    problems = validate_packs([tmp_path], entry_points=False).problems  # in line order
    assert any(message in str(p) for p in problems), problems
    assert {p.source for p in problems} == {str(tmp_path / "extra.toml")}


def test_a_duplicate_check_id_is_a_pack_problem(tmp_path: Path) -> None:
    check = EXTRA[EXTRA.index("[[checks]]") :]
    write_pack(tmp_path, EXTRA + "\n" + check)
    [problem] = validate_packs([tmp_path], entry_points=False).problems
    assert (problem.field, problem.message, problem.line) == (
        "extra.hours-but-no-energy",
        "duplicate check id: 'hours-but-no-energy' is already defined at line "
        f"{EXTRA.splitlines().index('[[checks]]') + 1}",
        EXTRA.count("\n") + 2,
    )
