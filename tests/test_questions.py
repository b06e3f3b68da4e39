"""`bounceback questions`: the questionnaire in each format, and the answers template."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bounceback.answersfile import answers_toml
from bounceback.api import Bounceback
from bounceback.cli import cli
from bounceback.render.questionnaire import ordered, wrapped
from helpers import MINIMAL, write_pack

GRADUATES = """
    [pack]
    id = "grads"
    name = "Graduates"
    version = "0.1.0"
    engine = ">=1,<2"

    [[questions]]
    id = "graduated_months"
    section = "graduates"
    prompt = "How many months ago did you graduate?"
    kind = "number"
    min = 0
    help = "Count from the month of your final exams."

    [[rules]]
    id = "careers-service"
    category = "support"
    title = "Visit your university careers service"
    why = "Graduates can usually use it for free."
    when = "graduated_months <= 24"
    weight = 0.9
    timeframe = "this-week"
    effort = "low"
    actions = ["Book an appointment."]
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_text_groups_questions_by_section(app: Bounceback) -> None:
    text = run("questions").output
    sections = [s for s, _ in app.questionnaire.sections()]
    headings = re.findall(r"^([A-Z][A-Z -]+)$", text, re.M)
    assert headings == [s.replace("_", " ").upper() for s in sections]
    assert (
        "  stage_reached *  (choice · one of: application, phone_screen, interview, "
        "final_round, offer_stage)\n      How far did the process go?\n" in text
    )
    assert "  disappointment *  (scale · a whole number from 1 to 5)" in text
    assert "  role  (text)\n      Which role did you apply for?" in text
    assert f"{len(app.questionnaire)} questions, 9 required" in text


def test_markdown_has_a_table_per_section(app: Bounceback) -> None:
    text = run("questions", "--format", "markdown").output
    assert text.count("| id | question | answer | required |") == len(app.questionnaire.sections())
    rows = re.findall(r"^\| `(\w+)` \|.*\| (yes|no) \|$", text, re.M)
    assert rows == [(q.id, "yes" if q.required else "no") for q in ordered(app.questionnaire)]
    assert (
        "| `feedback_received` | Did the employer tell you why you were not selected? | "
        "choice: `none` (no reason given), `generic` (a general reason only), `specific` (specific "
        "points) | yes |" in text
    )
    assert (
        "| `motivation` | How much energy do you have to keep searching? | scale: a whole number "
        "from 1 to 5 (1 = no energy left; 5 = full of energy) | yes |" in text
    )


def test_json_lists_every_field(app: Bounceback) -> None:
    data = json.loads(run("questions", "-f", "json").output)
    assert data["schema"] == 1
    assert [q["id"] for q in data["questions"]] == [q.id for q in ordered(app.questionnaire)]
    by_id = {q["id"]: q for q in data["questions"]}
    scale = by_id["anxiety"]
    assert scale == {
        "id": "anxiety",
        "section": "feelings",
        "prompt": scale["prompt"],
        "kind": "scale",
        "required": True,
        "options": [],
        "labels": {},
        "min": 1,
        "max": 5,
        "anchors": {"1": "calm about it", "5": "very anxious"},
        "help": "",
        "pack": "base",
    }
    assert by_id["financial_urgency"]["anchors"] == {"1": "no rush", "5": "I need income within weeks"}
    stage = by_id["stage_reached"]
    assert stage["options"] == ["application", "phone_screen", "interview", "final_round", "offer_stage"]
    assert stage["labels"]["final_round"] == "the final round" and list(stage["labels"]) == stage["options"]
    assert stage["anchors"] == {}


def test_every_scale_has_anchors_and_every_option_a_label(app: Bounceback) -> None:
    """DESIGN §6a: every scale says what its ends mean, every option is in human words."""
    for question in app.questionnaire:
        if question.kind == "scale":
            assert set(question.anchors) == {question.min, question.max}, question.id
            assert all(text.strip() for text in question.anchors.values())
        if question.options:
            assert set(question.labels) == set(question.options), question.id
            texts = [question.label(o).lower() for o in question.options]
            assert len(set(texts)) == len(texts), question.id


def test_text_and_template_show_anchors_and_labels(app: Bounceback) -> None:
    text = run("questions").output
    assert (
        "      How much energy do you have to keep searching?\n"
        "      1 = no energy left · 5 = full of energy\n" in text
    )
    assert (
        "      rejected = I was told no · no_reply = I never heard back (even after following up)\n" in text
    )
    template = run("questions", "--template").output
    assert (
        "# How soon do you need an income?\n# 1 = no rush · 5 = I need income within weeks\n"
        '# optional · scale · a whole number from 1 to 5\nfinancial_urgency = ""\n' in template
    )
    assert "\n# us = United States · other = another country\n" in template


def test_wrapped_never_splits_an_item() -> None:
    items = ["gb = United Kingdom", "ie = Ireland", "a" * 100, "nz = New Zealand"]
    assert wrapped(items, "# ", width=40) == [
        "# gb = United Kingdom · ie = Ireland",
        "# " + "a" * 100,
        "# nz = New Zealand",
    ]
    assert wrapped([], "# ") == []


def test_csv_is_the_header_row_of_a_cohort_spreadsheet(app: Bounceback) -> None:
    output = run("questions", "--format", "csv").output
    rows = list(csv.reader(io.StringIO(output)))
    assert rows == [["id", *(q.id for q in ordered(app.questionnaire))]]
    assert rows[0][:5] == ["id", "name", "role", "company", "interviewer_name"]


def test_packs_add_questions_in_every_format(tmp_path: Path) -> None:
    write_pack(tmp_path / "grads", GRADUATES)
    pack = ["--pack", str(tmp_path / "grads")]
    assert "graduated_months" in run("questions", "-f", "csv", *pack).output.strip().split(",")
    assert (
        "GRADUATES\n\n  graduated_months  (number · a whole number ≥ 0)\n"
        "      How many months ago did you graduate?\n      Count from the month"
        in run("questions", *pack).output
    )
    template = tomllib.loads(run("questions", "--template", *pack).output)
    assert template["graduated_months"] == ""


# -- the template -----------------------------------------------------------------------------


def test_template_documents_every_question(app: Bounceback) -> None:
    text = answers_toml(app.questionnaire)
    data = tomllib.loads(text)
    assert list(data) == [q.id for q in ordered(app.questionnaire)]
    for question in app.questionnaire:
        assert data[question.id] == ([] if question.kind == "multi" else "")
        entry = text.split(f"\n{question.id} = ")[0].rsplit("\n\n", 1)[-1]
        assert question.prompt in entry
        assert ("required" if question.required else "optional") in entry
        assert question.kind in entry
        assert all(option in entry for option in question.options)
        assert all(question.label(option) in entry for option in question.options)
        assert all(f"{value} = {text}" in entry for value, text in question.anchors.items())
    assert "# === Feelings ===" in text


def test_template_with_answers_keeps_them(app: Bounceback) -> None:
    answers = dict(
        MINIMAL, role='He said "no"\nthen left', skill_gaps=["tools", "technical"], support_people=False
    )
    data = tomllib.loads(answers_toml(app.questionnaire, answers))
    assert {k: v for k, v in data.items() if v not in ("", [])} == answers


def test_template_is_toml_whatever_the_format() -> None:
    result = run("questions", "--template", "--format", "csv")
    assert result.exit_code == 2 and "--template writes TOML" in result.output


def test_blank_template_names_each_missing_answer_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    assert run("questions", "--template", "-o", str(path)).exit_code == 0
    assert f"# When you are done:  bounceback plan {path}\n" in path.read_text("utf-8")
    result = run("plan", str(path))
    assert result.exit_code == 2
    lines = path.read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("stage_reached ="))
    assert f"{path}:{line}: stage_reached: missing required answer" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("style", ["typed", "text"])
def test_template_filled_in_makes_a_plan(tmp_path: Path, style: str) -> None:
    path = tmp_path / "answers.toml"
    assert run("questions", "--template", "-o", str(path)).exit_code == 0
    text = path.read_text("utf-8")
    filled = dict(MINIMAL, role="Nurse")
    for key, value in filled.items():
        shown = f'"{value}"' if style == "text" or isinstance(value, str) else str(value)
        text, count = re.subn(rf"^{key} = .*$", f"{key} = {shown}", text, flags=re.M)
        assert count == 1
    text = re.sub(r"^skill_gaps = \[\]$", 'skill_gaps = ["tools"]', text, flags=re.M)
    path.write_text(text, "utf-8")
    result = run("plan", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    steps = json.loads(result.output)["steps"]
    assert steps
    assert run("plan", str(path)).output == run("plan", str(path)).output


# -- anchors and labels in a pack -------------------------------------------------------------

LABELLED = """
    [pack]
    id = "grads"
    name = "Graduates"
    version = "0.1.0"

    [[questions]]
    id = "grads_degree"
    prompt = "What did you study?"
    kind = "multi"
    options = ["arts", "science", "other"]
    labels = { arts = "Arts or humanities", science = "a science" }

    [[questions]]
    id = "grads_debt"
    prompt = "How much does your student debt worry you?"
    kind = "scale"
    min = 0
    max = 10
    anchors = { 0 = "not at all", 10 = "it keeps me awake" }
"""


def test_a_pack_declares_labels_and_anchors(tmp_path: Path) -> None:
    from bounceback.api import load

    write_pack(tmp_path, LABELLED)
    app = load(packs=[tmp_path], entry_points=False, strict=True)
    degree, debt = app.questionnaire.by_id["grads_degree"], app.questionnaire.by_id["grads_debt"]
    assert [degree.label(o) for o in degree.options] == ["Arts or humanities", "a science", "other"]
    assert debt.anchors == {0: "not at all", 10: "it keeps me awake"}
    situation = app.situation(dict(MINIMAL, grads_degree="arts or Humanities;A SCIENCE;other"))
    assert situation.get("grads_degree") == ("arts", "science", "other")
    data = {
        q["id"]: q
        for q in json.loads(run("questions", "-f", "json", "--pack", str(tmp_path)).output)["questions"]
    }
    assert data["grads_debt"]["anchors"] == {"0": "not at all", "10": "it keeps me awake"}
    assert data["grads_degree"]["labels"] == {
        "arts": "Arts or humanities",
        "science": "a science",
        "other": "other",
    }


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("arts = ", "art = "),
            "'labels' names 'art', which is not one of the options (did you mean 'arts'?)",
        ),
        (('"a science"', '"science, mostly"'), "the label of 'science' may not hold ',' or ';'"),
        (('"a science"', '"Other"'), "the label 'Other' of 'science' also names option 'other'"),
        (
            ('"a science"', '"arts or humanities"'),
            "the label 'arts or humanities' of 'science' also names option 'arts'",
        ),
        (("labels = { arts", "labels = { arts = 3, x"), "'labels' must be a table of texts"),
        (("10 = ", "9 = "), "'anchors' must say what both ends mean: 0 and 10"),
        (("10 = ", "11 = "), "'anchors' keys are scale values from 0 to 10, got '11'"),
        (("10 = ", "high = "), "'anchors' keys are scale values from 0 to 10, got 'high'"),
        (('kind = "multi"', 'kind = "text"'), "'labels' only applies to choice and multi questions"),
        (('kind = "scale"', 'kind = "number"'), "'anchors' only applies to scale questions"),
    ],
)
def test_bad_labels_and_anchors_are_pack_problems(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    from bounceback.authoring.validation import validate_packs

    write_pack(tmp_path, LABELLED.replace(*change))
    problems = [str(p) for p in validate_packs([tmp_path], entry_points=False).problems]
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize("kind", ['kind = "multi"', 'kind = "scale"'])
def test_an_unknown_kind_is_one_problem_not_a_cascade(tmp_path: Path, kind: str) -> None:
    """Newcomer check: `kind = "dropdown"` gave the kind error and "'options' only applies to
    choice and multi questions, not None" (and the same for labels and anchors)."""
    from bounceback.authoring.validation import validate_packs

    write_pack(tmp_path, LABELLED.replace(kind, 'kind = "dropdown"'))
    problems = [str(p) for p in validate_packs([tmp_path], entry_points=False).problems]
    assert any("'kind' must be one of" in p for p in problems), problems
    assert not any("only applies to" in p or "None" in p for p in problems), problems


def test_a_filled_in_answers_file_is_never_replaced_by_a_blank_one(tmp_path: Path) -> None:
    """Newcomer check 3: `questions --template -o answers.toml` wrote a blank template over a
    filled-in answers file, silently (exit 0); `ask` asks first."""
    path = tmp_path / "answers.toml"
    path.write_text('role = "Nurse"\n', "utf-8")
    for args in (("--template",), ("--format", "csv")):
        result = run("questions", *args, "-o", str(path))
        assert result.exit_code == 2 and "already exists" in result.output and "--replace" in result.output
        assert path.read_text("utf-8") == 'role = "Nurse"\n'
    assert run("questions", "--template", "-o", str(path), "--replace").exit_code == 0
    assert "stage_reached" in path.read_text("utf-8")
    assert run("questions", "--template", "-o", "/dev/null").exit_code == 0  # a device is written through
