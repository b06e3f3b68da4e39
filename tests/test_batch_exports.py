"""Cohorts straight from the survey tool: every tool's export, encodings, mappings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import exports
from bounceback import batch
from bounceback.batch.cells import value_reader
from bounceback.cli import cli

BASE: dict[str, Any] = {
    "stage_reached": "interview",
    "days_since_rejection": 7,
    "disappointment": 3,
    "anger": 3,
    "anxiety": 3,
    "self_doubt": 3,
    "hopelessness": 3,
    "motivation": 3,
    "feedback_received": "generic",
    "skill_gaps": [],
    "open_to": ["none"],
    "support_people": True,
    "role": "Data Analyst",
}
PEOPLE = [
    {"id": "p1", "name": "Ann Lee", "email": "ann@example.org", **BASE},
    {
        "id": "p2",
        "name": "José Müller",
        "email": "jose@example.org",
        **BASE,
        "stage_reached": "phone_screen",
        "hopelessness": 5,
        "motivation": 1,
        "skill_gaps": ["technical", "domain_knowledge"],
        "open_to": ["freelance", "contract"],
        "support_people": False,
    },
    {
        "id": "p3",
        "name": "Zoë Brandt",
        "email": "zoe@example.org",
        **BASE,
        "feedback_received": "specific",
        "stage_reached": "final_round",
        "role": "Analyst, Smith, Jones & Co",
        "anger": 5,
        "skill_gaps": ["tools"],
    },
]


def answers(person: dict[str, Any], name: bool = False) -> dict[str, Any]:
    return {k: v for k, v in person.items() if k in exports.ASKED or (name and k == "name")}


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, [*args, "--no-plugins"])


def plans(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "plans.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("name", sorted(exports.WRITERS))
def test_every_export_plans_every_participant_as_their_answers_say(
    tmp_path: Path, app: Any, name: str
) -> None:
    if name.endswith(".xlsx"):
        pytest.importorskip("openpyxl")
    path = exports.WRITERS[name](tmp_path / name, PEOPLE, app.questionnaire)
    out = tmp_path / "out"
    result = run(
        "batch",
        str(path),
        "--out",
        str(out),
        "--jobs",
        "1",
        *(["--encoding", "cp1252"] if name == "excel-de.csv" else []),
    )
    assert result.exit_code == 0, result.output
    got = plans(out)
    assert (out / "errors.jsonl").read_text() == ""
    named = name == "excel-de.csv"  # its "Name" column is the name question
    assert [p["plan"] for p in got] == [app.plan(answers(person, named)).to_dict() for person in PEOPLE]
    assert "example.org" not in json.dumps(got)


def test_ids_come_from_the_tools_id_column_or_the_row(tmp_path: Path, app: Any) -> None:
    ids = {}
    for name in ("googleforms.csv", "typeform.csv", "qualtrics.csv", "surveymonkey.csv"):
        path = exports.WRITERS[name](tmp_path / name, PEOPLE, app.questionnaire)
        with batch.open_cohort(batch.CohortInput(path), app.questionnaire) as rows:
            ids[name] = [(r.number, r.line, r.id) for r in rows]
    assert ids["googleforms.csv"] == [(1, 2, "1"), (2, 3, "2"), (3, 4, "3")]  # no id column: row numbers
    assert ids["typeform.csv"][0] == (1, 2, "x0k2bd0a9f00")
    assert ids["qualtrics.csv"] == [(1, 4, "R_0aBcDeF"), (2, 5, "R_1aBcDeF"), (3, 6, "R_2aBcDeF")]
    assert ids["surveymonkey.csv"][2] == (3, 5, "11400000002")


def test_carried_columns_are_kept_for_the_roster_only(tmp_path: Path, app: Any) -> None:
    path = exports.google_forms(tmp_path / "g.csv", PEOPLE, app.questionnaire)
    with batch.open_cohort(batch.CohortInput(path), app.questionnaire) as rows:
        read = list(rows)
        assert rows.columns is not None and rows.columns.carry_names == ["Email Address"]
    assert [r.carry for r in read] == [("ann@example.org",), ("jose@example.org",), ("zoe@example.org",)]
    assert all("Email Address" not in r.answers and "Timestamp" not in r.answers for r in read)


def test_a_cp1252_file_read_as_utf8_names_the_byte_and_the_option(tmp_path: Path, app: Any) -> None:
    path = exports.european_excel(tmp_path / "de.csv", PEOPLE, app.questionnaire)
    out = tmp_path / "out"
    result = run("batch", str(path), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 2  # 2 of 3 rows failed: more than --max-error-rate allows
    assert "error: 2 of 3 rows (67 %) could not be planned, more than --max-error-rate 0.2" in result.stderr
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [e["id"] for e in errors] == ["p2", "p3"]  # the accented names
    [problem] = errors[0]["errors"]
    assert (problem["field"], problem["code"]) == ("name", "encoding")
    assert "byte 0xE9 (character 4 after 'Jos')" in problem["message"]
    assert "--encoding cp1252" in problem["message"]


def _mapping(tmp_path: Path, path: Path, app: Any, **changes: str) -> Path:
    """The proposed mapping of ``path``, with the given columns' uses changed."""
    result = run("map", str(path), "-o", str(tmp_path / "mapping.toml"))
    assert result.exit_code == 0, result.output
    target = tmp_path / "mapping.toml"
    text = target.read_text(encoding="utf-8")
    for column, use in changes.items():
        text = text.replace(
            f'"{column}" = ""  # UNMATCHED: a question id, "carry" or "ignore"', f'"{column}" = "{use}"'
        )
    target.write_text(text, encoding="utf-8")
    return target


def test_map_proposes_a_mapping_that_batch_uses(tmp_path: Path, app: Any) -> None:
    rows = [dict(p, colour="blue") for p in PEOPLE]
    path = exports.google_forms(tmp_path / "g.csv", rows, app.questionnaire)
    text = path.read_text(encoding="utf-8").replace(
        "Timestamp,Email Address,", "Timestamp,Email Address,Favourite colour,", 1
    )
    lines = text.splitlines(keepends=True)
    lines[1:] = [line.replace(",", ",blue,", 2).replace(",blue,", ",", 1) for line in lines[1:]]
    path.write_text("".join(lines), encoding="utf-8")
    result = run("batch", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "Favourite colour: unknown column" in result.stderr
    assert "--ignore-column 'Favourite colour'" in result.stderr
    assert f"bounceback map {path} -o mapping.toml" in result.stderr

    result = run("map", str(path), "-o", str(tmp_path / "mapping.toml"))
    assert result.exit_code == 0, result.output
    assert "unmatched column: Favourite colour" in result.stderr
    text = (tmp_path / "mapping.toml").read_text(encoding="utf-8")
    assert '"Timestamp" = "ignore"' in text and '"Email Address" = "carry"' in text
    assert '"How far did the process go?" = "stage_reached"' in text
    assert '"a phone or video screen" = "phone_screen"' in text  # the option's label
    assert '"Favourite colour" = ""  # UNMATCHED' in text
    result = run(
        "batch", str(path), "--mapping", str(tmp_path / "mapping.toml"), "--out", str(tmp_path / "o")
    )
    assert result.exit_code == 2
    assert "column 'Favourite colour' is not mapped yet" in result.stderr
    mapped = _mapping(tmp_path, path, app, **{"Favourite colour": "carry"})
    result = run("batch", str(path), "--mapping", str(mapped), "--out", str(tmp_path / "o"), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert [p["plan"] for p in plans(tmp_path / "o")] == [app.plan(answers(p)).to_dict() for p in PEOPLE]


def test_localised_answers_and_labels_through_the_mapping(tmp_path: Path, app: Any) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "id;stage_reached;days_since_rejection;disappointment;anger;anxiety;self_doubt;"
        "hopelessness;motivation;feedback_received;support_people;skill_gaps\n"
        'a;Entretien;3;4;2;3;3;2;5 - plein d\'énergie;Aucun;Oui;"Outils, logiciels;Technique"\n'
        "b;Entretien;3;4;2;3;3;2;3;Aucun;Non;\n",
        encoding="utf-8",
    )
    result = run("map", str(path), "-o", str(tmp_path / "m.toml"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "m.toml").read_text(encoding="utf-8")
    assert '"Oui" = true' in text and '"Non" = false' in text
    assert '"Entretien" = ""  # UNMATCHED' in text and '"Aucun" = ""  # UNMATCHED' in text
    assert "unmatched answers of stage_reached: Entretien" in result.stderr
    text = (
        text.replace('"Entretien" = ""  # UNMATCHED', '"Entretien" = "interview"')
        .replace('"Aucun" = ""  # UNMATCHED', '"Aucun" = "none"')
        .replace(
            "[values.skill_gaps]",
            '[values.skill_gaps]\n"Outils, logiciels" = "tools"\n"Technique" = "technical"',
            1,
        )
    )
    text = "\n".join(line for line in text.splitlines() if "UNMATCHED" not in line) + "\n"
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    with batch.open_cohort(batch.CohortInput(path, mapping=tmp_path / "m.toml"), app.questionnaire) as rows:
        first, second = [app.situation(r.answers).answers for r in rows]
    assert (first["stage_reached"], first["feedback_received"], first["support_people"]) == (
        "interview",
        "none",
        True,
    )
    assert first["skill_gaps"] == ("tools", "technical") and first["motivation"] == 5
    assert second["support_people"] is False and second["skill_gaps"] == ()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Technical, Tools", ["technical", "tools"]),
        ("Technical;Tools;", ["technical", "tools"]),
        ("Tools, software, Technical", ["tools", "technical"]),
        ("tools", ["tools"]),
        ("Tools, Juggling", ["tools", "Juggling"]),
        ("Tools, Something else", ["tools", "other"]),
        (" ; ", []),
    ],
)
def test_multi_select_cells_split_by_known_choices(app: Any, cell: str, expected: list[str]) -> None:
    question = app.questionnaire.by_id["skill_gaps"]
    read = value_reader(question, {"Tools, software": "tools"})
    assert list(read(cell)) == expected if cell != "tools" else read(cell) == "tools"


def test_a_bad_mapping_is_one_clear_error(tmp_path: Path, app: Any) -> None:
    path = exports.google_forms(tmp_path / "g.csv", PEOPLE, app.questionnaire)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[columns]\n"Timestamp" = "ignor"\n"Nope" = "ignore"\n'
        '"Email Address" = { question = "skill_gaps", option = "x" }\n'
        '[values.support_people]\n"Ja" = "maybe"\n',
        encoding="utf-8",
    )
    result = run("batch", str(path), "--mapping", str(bad), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {bad}: columns.Timestamp: unknown question 'ignor'; expected a question id, \"id\", "
        '"carry" or "ignore"',
        f"error: {bad}: columns.Email Address: 'x' is not a choice of 'skill_gaps'; expected one of: "
        + ", ".join(app.questionnaire.by_id["skill_gaps"].options),
        f"error: {bad}: values.support_people.Ja: expected true or false (true or false)",
    ]
    good = tmp_path / "good.toml"
    good.write_text('[columns]\n"Timestamp" = "ignore"\n"Nope" = "ignore"\n', encoding="utf-8")
    result = run("batch", str(path), "--mapping", str(good), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert (
        f"error: {good}: columns: the mapping names column 'Nope', which {path} does not have"
        in result.stderr
    )
    assert "column 'Email Address' is not in the mapping" in result.stderr


def test_encodings_and_missing_openpyxl(tmp_path: Path, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("batch", str(tmp_path / "x.csv"), "--out", str(tmp_path / "o"), "--encoding", "klingon")
    assert result.exit_code == 2 and "unknown encoding 'klingon'" in result.stderr
    path = tmp_path / "u16.csv"
    path.write_bytes("id,anger\n".encode("utf-16-le"))
    result = run("batch", str(path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "--encoding utf-16-le" in result.stderr
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    (tmp_path / "w.xlsx").write_bytes(b"PK\x03\x04")
    result = run("batch", str(tmp_path / "w.xlsx"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "needs openpyxl: pip install 'bounceback[xlsx]'" in result.stderr


# -- results a programme sends out ---------------------------------------------------------------


def test_roster_and_per_person_files_account_for_every_row(tmp_path: Path, app: Any) -> None:
    from test_batch import HOPELESS, person, write_csv

    rows = [
        person("Anna K"),
        person("anna-k", **{k: HOPELESS[k] for k in ("hopelessness", "motivation")}),
        person("../etc/passwd"),
        person("p1"),
        person("p1", anger="lots"),
        person("=1+2"),
        person("<b>"),
    ]
    path = write_csv(tmp_path / "c.csv", rows)
    out = tmp_path / "out"
    result = run(
        "batch", str(path), "--out", str(out), "--jobs", "2", "--per-person", "html,md,ics", "--xlsx"
    )
    assert result.exit_code == 0, result.output
    assert "people/" in result.stderr
    import csv

    with open(out / "roster.csv", encoding="utf-8", newline="") as handle:
        roster = list(csv.DictReader(handle))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    planned = plans(out)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert len(roster) == summary["participants"] == len(planned) + len(errors) == len(rows)
    assert [r["status"] for r in roster].count("plan") == summary["plans"] == len(planned)
    assert [r["row"] for r in roster if r["status"] == "error"] == [str(e["row"]) for e in errors] == ["5"]
    assert [r["id"] for r in roster] == ["Anna K", "anna-k", "../etc/passwd", "p1", "p1", "'=1+2", "<b>"]
    assert sum(r["safety"] == "pinned" for r in roster) == summary["attention"]["tiers"]["pinned"] == 1
    by_row = {str(p["row"]): p for p in planned}
    for line in roster:
        if line["status"] == "plan":
            steps = by_row[line["row"]]["plan"]["steps"]
            assert [line[f"step {n}"] for n in (1, 2, 3)] == [s["title"] for s in steps[:3]]
            assert float(line["distress"]) == pytest.approx(
                by_row[line["row"]]["plan"]["signals"]["distress"], abs=0.01
            )
    assert "lots" in roster[4]["problems"]
    names = sorted(p.name for p in (out / "people").iterdir())
    assert len(names) == 3 * len(planned) and len({n.lower() for n in names}) == len(names)
    assert all(n.rsplit(".", 1)[0].replace("-", "").replace(".", "").isalnum() for n in names)
    assert "p1.html" in names and not any(".." in n or "/" in n for n in names)
    assert (out / "people" / "p1.md").read_text(encoding="utf-8") == app.render(
        app.plan(answers_of(rows[3])), "markdown"
    )
    import openpyxl

    sheet = list(openpyxl.load_workbook(out / "roster.xlsx", read_only=True).active.values)
    assert [list(map(lambda v: v or "", r)) for r in sheet[1:]] == [list(r.values()) for r in roster]


def answers_of(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "id"}


def test_a_rerun_replaces_the_people_folder_whole(tmp_path: Path) -> None:
    from test_batch import person, write_csv

    out = tmp_path / "out"
    path = write_csv(tmp_path / "c.csv", [person("a"), person("b")])
    assert run("batch", str(path), "--out", str(out), "--jobs", "1", "--per-person", "md").exit_code == 0
    path = write_csv(tmp_path / "c.csv", [person("c")])
    assert run("batch", str(path), "--out", str(out), "--jobs", "1", "--per-person", "html").exit_code == 0
    assert sorted(p.name for p in (out / "people").iterdir()) == ["c.html"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    result = run("batch", str(path), "--out", str(out), "--per-person", "pdf")
    assert result.exit_code == 2 and "unknown per-person format 'pdf'" in result.stderr


def test_summary_html_is_self_contained_with_attention_first(tmp_path: Path) -> None:
    from test_batch import HOPELESS, person, write_csv

    path = write_csv(tmp_path / "c.csv", [person("<script>x</script>", **HOPELESS), person("b"), person("c")])
    out = tmp_path / "out"
    assert run("batch", str(path), "--out", str(out), "--jobs", "1").exit_code == 0
    text = (out / "summary.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in text
    assert "<script" not in text and "&lt;script&gt;" in text
    assert not any(attr in text for attr in ("src=", "href=", "url(", "@import"))
    assert text.index("Attention first") < text.index("What was recommended") < text.index("Distress")
    assert text.count("<svg") >= 10 and "<strong>Pinned: 1.</strong>" in text


def test_too_many_failing_rows_exit_2_after_writing_everything(tmp_path: Path) -> None:
    from test_batch import person, write_csv

    path = write_csv(
        tmp_path / "c.csv",
        [person("a"), person("b", anger="x"), person("c", anger="y"), person("d"), person("e")],
    )
    out = tmp_path / "out"
    result = run("batch", str(path), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(
        "error: 2 of 5 rows (40 %) could not be planned, more than --max-error-rate 0.2 allows"
    )
    assert len(plans(out)) == 3 and (out / "roster.csv").exists()
    assert run("batch", str(path), "--out", str(out), "--jobs", "1", "--max-error-rate", "0.4").exit_code == 0


def test_a_form_built_from_the_apps_script_exports_a_file_that_maps_without_edits(
    tmp_path: Path, app: Any
) -> None:
    import re

    script = run("questions", "--format", "apps-script").output
    assert script.startswith("// Creates the bounceback questionnaire") and "function createForm()" in script
    items = re.findall(
        r'form\.add(\w+)Item\(\)\.setTitle\((".*?")\)\.setRequired\((true|false)\)'
        r"(?:\s*\.setChoiceValues\((\[.*?\])\))?",
        script,
    )
    titles = [json.loads(title) for kind, title, _, _ in items if kind != "SectionHeader"]
    assert titles == [q.prompt for q in app.questionnaire]
    choices = {json.loads(title): json.loads(values) for _, title, _, values in items if values}
    # A response that picks the first choice of every choice question and every box of the multi ones.
    cells = []
    for question in app.questionnaire:
        if question.prompt in choices:
            labels = choices[question.prompt]
            cells.append(", ".join(labels) if question.kind == "multi" else labels[0])
        else:
            cells.append({"scale": "3", "number": "2"}.get(question.kind, "x"))
    import csv

    with open(tmp_path / "responses.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["Timestamp", *titles], ["2026/11/03 9:15:02 AM GMT+1", *cells]])
    result = run("map", str(tmp_path / "responses.csv"), "-o", str(tmp_path / "m.toml"))
    assert result.exit_code == 0, result.output
    assert "unmatched columns: 0, unmatched answers: 0" in result.stderr
    checklist = run("questions", "--format", "form").output
    assert all(q.prompt in checklist for q in app.questionnaire)
    assert all(question.label(o) in checklist for question in app.questionnaire for o in question.options)
