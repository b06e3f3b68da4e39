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

from bounceback.api import Bounceback
from bounceback.asking import answers_toml
from bounceback.cli import cli
from bounceback.render.questionnaire import ordered, render
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
    assert "  stage_reached *  (choice · one of: application, phone_screen, interview, " \
           "final_round, offer_stage)\n      How far did the process go?\n" in text
    assert "  disappointment *  (scale · a whole number from 1 to 5)" in text
    assert "  role  (text)\n      Which role did you apply for?" in text
    assert f"{len(app.questionnaire)} questions, 9 required" in text


def test_markdown_has_a_table_per_section(app: Bounceback) -> None:
    text = run("questions", "--format", "markdown").output
    assert text.count("| id | question | answer | required |") == len(app.questionnaire.sections())
    rows = re.findall(r"^\| `(\w+)` \|.*\| (yes|no) \|$", text, re.M)
    assert rows == [(q.id, "yes" if q.required else "no") for q in ordered(app.questionnaire)]
    assert "| `feedback_received` | Did the employer tell you why you were not selected? | " \
           "choice: `none`, `generic`, `specific` | yes |" in text


def test_json_lists_every_field(app: Bounceback) -> None:
    data = json.loads(run("questions", "-f", "json").output)
    assert data["schema"] == 1
    assert [q["id"] for q in data["questions"]] == [q.id for q in ordered(app.questionnaire)]
    scale = next(q for q in data["questions"] if q["id"] == "anxiety")
    assert scale == {"id": "anxiety", "section": "feelings", "prompt": scale["prompt"], "kind": "scale",
                     "required": True, "options": [], "min": 1, "max": 5, "help": "", "pack": "base"}


def test_csv_is_the_header_row_of_a_cohort_spreadsheet(app: Bounceback) -> None:
    output = run("questions", "--format", "csv").output
    rows = list(csv.reader(io.StringIO(output)))
    assert rows == [["id", *(q.id for q in ordered(app.questionnaire))]]
    assert rows[0][:5] == ["id", "name", "role", "company", "interviewer_name"]


def test_packs_add_questions_in_every_format(tmp_path: Path) -> None:
    write_pack(tmp_path / "grads", GRADUATES)
    pack = ["--pack", str(tmp_path / "grads")]
    assert "graduated_months" in run("questions", "-f", "csv", *pack).output.strip().split(",")
    assert "GRADUATES\n\n  graduated_months  (number · a whole number ≥ 0)\n" \
           "      How many months ago did you graduate?\n      Count from the month" \
           in run("questions", *pack).output
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
    assert "# === Feelings ===" in text


def test_template_with_answers_keeps_them(app: Bounceback) -> None:
    answers = dict(MINIMAL, role='He said "no"\nthen left', skill_gaps=["tools", "technical"],
                   support_people=False)
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
