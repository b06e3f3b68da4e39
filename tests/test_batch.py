"""Cohort batch runs: readers, the per-row function, parallel map, outputs and summary."""

from __future__ import annotations

import csv
import json
import os
import pickle
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bounceback import batch
from bounceback.batch import CohortInput, Setup, open_cohort, plan_row, run_batch, run_row
from bounceback.batch.columns import HEADER_PROBLEMS
from bounceback.batch.counting import SummaryBuilder, tally
from bounceback.batch.summary import BUCKETS
from bounceback.cli import cli
from bounceback.errors import BouncebackError
from conftest import ROOT

SETUP = Setup(entry_points=False)
STEADY: dict[str, Any] = {
    "role": "Data Analyst",
    "company": "Northwind Traders",
    "interviewer_name": "Sam Lee",
    "stage_reached": "interview",
    "days_since_rejection": 7,
    "rejections_recent": 2,
    "months_searching": 2,
    "disappointment": 3,
    "anger": 3,
    "anxiety": 3,
    "self_doubt": 3,
    "hopelessness": 3,
    "motivation": 3,
    "feedback_received": "generic",
    "feedback_themes": [],
    "skill_gaps": [],
    "interview_confidence": 3,
    "resume_updated_months": 2,
    "career_doubt": 3,
    "role_fit_doubt": 3,
    "open_to": ["none"],
    "support_people": True,
    "self_care": 3,
    "in_support_group": False,
    "network_contacts_month": 3,
    "applications_per_week": 4,
    "tracks_applications": True,
    "has_goals": True,
    "uses_recruiter": True,
    "sent_thank_you": True,
    "practised_interviews": True,
    "financial_urgency": 3,
}
HOPELESS = {
    **STEADY,
    "rejections_recent": 12,
    "months_searching": 9,
    "disappointment": 4,
    "anger": 2,
    "anxiety": 2,
    "self_doubt": 2,
    "hopelessness": 5,
    "motivation": 1,
    "support_people": False,
    "self_care": 1,
}
OUTPUTS = sorted(batch.OUTPUT_FILES)


def cell(value: Any) -> str:
    """A typed answer as a spreadsheet cell."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str] | None = None) -> Path:
    """A CSV file with one row per dict (missing keys are empty cells)."""
    columns = columns or list(dict.fromkeys(k for row in rows for k in row))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row[c]) if c in row else "" for c in columns])
    return path


def person(ident: str, **changes: Any) -> dict[str, Any]:
    """The steady persona's answers with an id and some changes."""
    return {"id": ident, **STEADY, **changes}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rows_of(path: Path, **options: Any) -> list[batch.Row]:
    cohort = CohortInput(path, **options)
    with open_cohort(cohort, batch.app_for(SETUP).questionnaire.by_id) as rows:
        return list(rows)


def run(path: Path, out: Path, jobs: int = 1, **options: Any) -> batch.Summary:
    return run_batch(CohortInput(path, **options), out, SETUP, jobs=jobs)


def invoke(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, ["batch", *args, "--no-plugins"], input=input)


def cohort(size: int) -> list[dict[str, Any]]:
    """``size`` varied participants (every tenth distressed, every 37th bad)."""
    rows = []
    for n in range(1, size + 1):
        base = HOPELESS if n % 10 == 0 else STEADY
        row = {
            "id": f"p{n}",
            **base,
            "days_since_rejection": n % 40,
            "anger": 1 + n % 5,
            "motivation": 1 + (n // 3) % 5,
            "feedback_received": ["none", "generic", "specific"][n % 3],
        }
        if n % 37 == 0:
            row["anxiety"] = "very"
        rows.append(row)
    return rows


# -- CSV ----------------------------------------------------------------------------------------


def test_mixed_rows_give_plans_and_error_records(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "c.csv", [person("a"), person("b", anger="lots", stage_reached="second"), person("c")]
    )
    summary = run(path, tmp_path / "out")
    plans = read_jsonl(tmp_path / "out" / "plans.jsonl")
    errors = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert [(p["id"], p["row"]) for p in plans] == [("a", 1), ("c", 3)]
    assert plans[0]["plan"]["schema"] == 1 and plans[0]["plan"]["steps"]
    assert errors == [
        {
            "row": 2,
            "line": 3,
            "id": "b",
            "tier": None,
            "screened": True,
            "screening_note": None,
            "errors": [
                {
                    "message": "expected one of: application, phone_screen, interview, final_round, offer_stage; "
                    "got 'second'",
                    "line": 3,
                    "field": "stage_reached",
                    "code": "bad-answer",
                },
                {
                    "message": "expected a whole number from 1 to 5, got text 'lots'",
                    "line": 3,
                    "field": "anger",
                    "code": "bad-answer",
                },
            ],
        }
    ]
    assert (summary.participants, summary.plans, summary.errors) == (3, 2, 1)
    assert sorted(os.listdir(tmp_path / "out")) == OUTPUTS


def test_plan_matches_the_plan_command(tmp_path: Path, app: Any) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a")])
    run(path, tmp_path / "out")
    assert read_jsonl(tmp_path / "out" / "plans.jsonl")[0]["plan"] == app.plan(STEADY).to_dict()


def test_bom_is_ignored(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    [row] = rows_of(path)
    assert row.id == "a" and "id" not in row.answers and row.problems == ()


def test_quoted_newlines_keep_row_numbers_and_report_start_lines(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "c.csv",
        [person("a", role="Data\nAnalyst"), person("b", company="Two\nline\nname", anger=9), person("c")],
    )
    rows = rows_of(path)
    assert [(r.number, r.line) for r in rows] == [(1, 2), (2, 4), (3, 7)]
    assert rows[0].answers["role"] == "Data\nAnalyst"
    run(path, tmp_path / "out")
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    columns = list(person("b"))
    # anger comes after company in the header: its cell starts two lines further down.
    assert columns.index("anger") > columns.index("company")
    assert (error["row"], error["line"], error["errors"][0]["line"]) == (2, 4, 6)


def test_semicolon_multi_answers(tmp_path: Path, app: Any) -> None:
    path = write_csv(
        tmp_path / "c.csv", [person("a", skill_gaps="technical;tools", open_to="freelance; contract")]
    )
    [row] = rows_of(path)
    situation = app.situation(row.answers)
    assert situation.answers["skill_gaps"] == ("technical", "tools")
    assert situation.answers["open_to"] == ("freelance", "contract")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", True),
        ("Yes", True),
        ("TRUE", True),
        ("true", True),
        ("1", True),
        ("y", True),
        ("no", False),
        ("No", False),
        ("FALSE", False),
        ("false", False),
        ("0", False),
        ("n", False),
        ("", None),
    ],
)
def test_bools_in_every_spelling(tmp_path: Path, app: Any, text: str, value: bool | None) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a", support_people=text)])
    [row] = rows_of(path)
    assert app.situation(row.answers).answers["support_people"] is value


def test_a_bad_bool_is_an_error_record(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a", support_people="maybe")])
    run(path, tmp_path / "out")
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert error["errors"][0]["field"] == "support_people"
    assert "true or false" in error["errors"][0]["message"]


def test_empty_cells_are_unanswered(tmp_path: Path, app: Any) -> None:
    path = write_csv(
        tmp_path / "c.csv",
        [person("a", role="", skill_gaps="", financial_urgency=""), person("b", motivation="")],
    )
    rows = rows_of(path)
    answers = app.situation(rows[0].answers).answers
    assert (answers["role"], answers["skill_gaps"], answers["financial_urgency"]) == (None, (), None)
    run(path, tmp_path / "out")
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert error["id"] == "b"
    assert [(e["field"], e["code"]) for e in error["errors"]] == [("motivation", "missing-answer")]


def test_blank_records_are_skipped_but_keep_their_number(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a"), {}, person("b")])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n")
    summary = run(path, tmp_path / "out")
    assert [p["row"] for p in read_jsonl(tmp_path / "out" / "plans.jsonl")] == [1, 3]
    assert (summary.participants, summary.blank_rows) == (2, 2)


def test_unknown_columns_are_one_file_level_error(tmp_path: Path) -> None:
    rows = [person(str(n), hopelesness=3, timestamp="2024-01-01") for n in range(3)]
    for row in rows:
        del row["hopelessness"]
    path = write_csv(tmp_path / "c.csv", rows)
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines == [
        f"error: {path}:1: hopelesness: unknown column (did you mean 'hopelessness'?): the header must "
        "hold question ids or texts; to leave the column out, use --ignore-column hopelesness (or match "
        f"the columns yourself: bounceback map {path} -o mapping.toml)",
        f"error: {path}:1: timestamp: unknown column: the header must hold question ids or texts; to leave "
        "the column out, use --ignore-column timestamp",
    ]
    assert not (tmp_path / "out").exists()


def test_ignored_columns_are_left_out(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a", timestamp="2024-01-01", email="a@example.org")])
    result = invoke(
        str(path), "--out", str(tmp_path / "out"), "--ignore-column", "timestamp", "--ignore-column", "email"
    )
    assert result.exit_code == 0, result.output
    assert len(read_jsonl(tmp_path / "out" / "plans.jsonl")) == 1


def test_repeated_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,anger,anger\na,1,2\n", encoding="utf-8")
    with pytest.raises(BouncebackError, match="the header names this column twice"):
        rows_of(path)


def test_missing_id_column(tmp_path: Path) -> None:
    row = person("a")
    del row["id"]
    path = write_csv(tmp_path / "c.csv", [row])
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no 'id' column to identify participants" in result.stderr
    assert "--id-column" in result.stderr


def test_id_column_option(tmp_path: Path) -> None:
    row = person("a")
    row["participant"] = row.pop("id")
    path = write_csv(tmp_path / "c.csv", [row])
    result = invoke(str(path), "--out", str(tmp_path / "out"), "--id-column", "participant")
    assert result.exit_code == 0, result.output
    assert read_jsonl(tmp_path / "out" / "plans.jsonl")[0]["id"] == "a"


def test_missing_id_value_is_an_error_record_with_the_rows_other_problems(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person(" ", anger=0)])
    run(path, tmp_path / "out")
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert error["id"] is None
    assert [e["code"] for e in error["errors"]] == ["missing-id", "bad-answer"]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xef\xbb\xbf")
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}:1: the file is empty; expected a header row of question "
        "ids or texts, then one row of answers per participant\n"
    )


def test_header_only_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [], columns=["id", "anger"])
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert (out / "plans.jsonl").read_text() == (out / "errors.jsonl").read_text() == ""
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["participants"], summary["plans"], summary["errors"]) == (0, 0, 0)
    assert "participants: 0," in result.stderr


def test_wrong_number_of_cells(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a")])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("b,interview,3\n")
    run(path, tmp_path / "out")
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert (error["row"], error["id"], error["errors"][0]["code"]) == (2, "b", "cells")
    assert "has 3 cells but the header has" in error["errors"][0]["message"]


def test_undecodable_bytes_cost_their_row_only(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a", role="XROLE"), person("b")])
    path.write_bytes(path.read_bytes().replace(b"XROLE", b"Caf\xe9"))
    run(path, tmp_path / "out")
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert (error["id"], error["errors"][0]["field"], error["errors"][0]["code"]) == ("a", "role", "encoding")
    assert [p["id"] for p in read_jsonl(tmp_path / "out" / "plans.jsonl")] == ["b"]


def test_unreadable_csv_record_costs_its_row_only(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a", role="x" * 200_000), person("b")])
    run(path, tmp_path / "out")
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert error["row"] == 1 and error["errors"][0]["code"] == "csv"
    assert [p["id"] for p in read_jsonl(tmp_path / "out" / "plans.jsonl")] == ["b"]


def test_semicolon_separated_export(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(list(person("a")))
        writer.writerow([cell(v) for v in person("a", skill_gaps=["technical", "tools"]).values()])
    [row] = rows_of(path)
    assert row.problems == () and row.answers["skill_gaps"] == "technical;tools"


# -- JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_good_bad_and_non_object_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(person("a")),
        "",
        json.dumps({**person("b"), "id": 7}),
        "{not json",
        "[1, 2]",
        '"text"',
        json.dumps({**person("c"), "hopelesness": 3}),
        json.dumps(STEADY),
        json.dumps(person("d", anger=float("nan"))),
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run(path, tmp_path / "out")
    plans = read_jsonl(tmp_path / "out" / "plans.jsonl")
    errors = {e["row"]: e for e in read_jsonl(tmp_path / "out" / "errors.jsonl")}
    assert [(p["id"], p["row"]) for p in plans] == [("a", 1), ("7", 3)]
    assert errors[4]["errors"][0]["message"].startswith("invalid JSON: Expecting property name")
    expected = "expected a JSON object of question ids to answers, got "
    assert errors[5]["errors"][0]["message"] == expected + "an array"
    assert errors[6]["errors"][0]["message"] == expected + "text"
    assert errors[7]["errors"][0] == {
        "message": "unknown question (did you mean 'hopelessness'?)",
        "line": 7,
        "field": "hopelesness",
        "code": "unknown-question",
    }
    assert errors[8]["errors"][0]["code"] == "missing-id"
    assert errors[9]["errors"][0]["code"] == "json"
    assert (summary.participants, summary.plans, summary.errors, summary.blank_rows) == (8, 2, 6, 1)


def test_jsonl_bad_id_type(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({**person("a"), "id": [1]}) + "\n", encoding="utf-8")
    run(path, tmp_path / "out")
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert error["errors"][0]["code"] == "bad-id"


def test_pretty_printed_json_is_a_file_level_error(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps([person("a")], indent=2), encoding="utf-8")
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "expected JSON Lines: one answers object per line" in result.stderr


def test_format_is_guessed_from_the_content_and_stdin_works(tmp_path: Path) -> None:
    text = json.dumps(person("a")) + "\n"
    result = invoke("-", "--out", str(tmp_path / "out"), input=text)
    assert result.exit_code == 0, result.output
    assert read_jsonl(tmp_path / "out" / "plans.jsonl")[0]["id"] == "a"
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    assert rows_of(path)[0].id == "a"


# -- parallel runs, outputs, summary ------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort of 620 rows (three chunks), with duplicates and bad rows, run with --jobs 2."""
    folder = tmp_path_factory.mktemp("big")
    rows = cohort(620)
    rows[100]["id"] = rows[99]["id"] = rows[5]["id"]
    rows[200]["id"] = ""
    path = write_csv(folder / "cohort.csv", rows)
    result = CliRunner().invoke(
        cli, ["batch", str(path), "--out", str(folder / "out2"), "--jobs", "2", "--no-plugins", "--xlsx"]
    )
    assert result.exit_code == 0, result.output
    return folder


def test_output_is_identical_for_any_jobs(big: Path) -> None:
    result = invoke(str(big / "cohort.csv"), "--out", str(big / "out1"), "--jobs", "1", "--xlsx")
    assert result.exit_code == 0, result.output
    for name in batch.OUTPUT_FILES:
        assert (big / "out1" / name).read_bytes() == (big / "out2" / name).read_bytes(), name
    import openpyxl  # a workbook's bytes hold the time it was saved: compare its cells

    sheets = [
        list(openpyxl.load_workbook(big / out / batch.WORKBOOK, read_only=True).active.values)
        for out in ("out1", "out2")
    ]
    assert sheets[0] == sheets[1] and len(sheets[0]) == 621


def test_rows_in_equal_plans_plus_errors(big: Path) -> None:
    plans = read_jsonl(big / "out2" / "plans.jsonl")
    errors = read_jsonl(big / "out2" / "errors.jsonl")
    assert sorted(p["row"] for p in plans + errors) == list(range(1, 621))
    assert [p["row"] for p in plans] == sorted(p["row"] for p in plans)
    assert len(errors) == 620 // 37 + 1


def test_summary_counts_match_the_plans(big: Path) -> None:
    plans = read_jsonl(big / "out2" / "plans.jsonl")
    errors = read_jsonl(big / "out2" / "errors.jsonl")
    summary = json.loads((big / "out2" / "summary.json").read_text(encoding="utf-8"))
    steps = [p["plan"]["steps"] for p in plans]
    assert (summary["participants"], summary["plans"], summary["errors"]) == (620, len(plans), len(errors))
    recommended = summary["recommended_to"]
    assert {k: v for k, v in recommended["rules"].items() if v} == Counter(
        s["id"] for ss in steps for s in ss
    )
    assert {k: v for k, v in recommended["categories"].items() if v} == Counter(
        c for ss in steps for c in {s["category"] for s in ss}
    )
    assert {k: v for k, v in recommended["topics"].items() if v} == Counter(
        t for ss in steps for t in {t for s in ss for t in s["topics"]}
    )
    best = Counter(min(int(max(s["score"] for s in ss) * 10 + 1e-9), 9) for ss in steps if ss)
    assert summary["distributions"]["best_step_score"] == [best[i] for i in range(len(BUCKETS))]
    assert sum(summary["distributions"]["step_scores"]) == sum(len(ss) for ss in steps)
    assert sum(summary["distributions"]["distress"]) == len(plans)
    assert summary["errors_by_field"] == {"anxiety": 620 // 37, "id": 1}
    assert summary["duplicate_ids"] == [{"id": "p6", "rows": [6, 100, 101]}]


def test_attention_lists_the_safety_tiers_first_then_the_most_distressed(big: Path) -> None:
    plans = read_jsonl(big / "out2" / "plans.jsonl")
    errors = read_jsonl(big / "out2" / "errors.jsonl")
    summary = json.loads((big / "out2" / "summary.json").read_text(encoding="utf-8"))
    attention = summary["attention"]
    safety = [p for p in plans if p["plan"]["tier"] == "pinned"]
    screened = [e for e in errors if e["tier"] == "pinned"]
    assert safety and screened  # an error row with hopelessness 5 is flagged all the same
    assert attention["tiers"] == {"crisis": 0, "pinned": len(safety) + len(screened), "check-in": 0}
    assert attention["not_screened"] == sum(not e["screened"] for e in errors)
    flagged = [f for f in attention["participants"] if f["reason"] != "not-screened"]
    assert [f["reason"] for f in flagged] == ["pinned"] * (len(safety) + len(screened)) + ["distress"] * 20
    assert {f["row"] for f in flagged if not f["planned"]} == {e["row"] for e in screened}
    assert {f["row"] for f in flagged[: len(safety) + len(screened)] if f["planned"]} == {
        p["row"] for p in safety
    }
    safety = safety + screened
    others = sorted(
        ((p["plan"]["signals"]["distress"], -p["row"]) for p in plans if p not in safety), reverse=True
    )[:20]
    assert [(f["distress"], -f["row"]) for f in flagged[len(safety) :]] == others
    distress = [f["distress"] for f in flagged[: len(safety)]]
    known = [d for d in distress if d is not None]  # unknown (an unreadable feeling) comes last
    assert distress == sorted(known, reverse=True) + [None] * (len(distress) - len(known))


def test_summary_markdown_is_for_coaches(big: Path) -> None:
    text = (big / "out2" / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("# Cohort summary\n")
    assert "| 620 | " in text
    sections = [
        text.index(f"## {name}")
        for name in (
            "Attention first",
            "Rows with errors",
            "Duplicate ids",
            "What was recommended",
            "Scores",
            "Distress",
        )
    ]
    assert sections == sorted(sections)
    assert "- p6: rows 6, 100, 101" in text
    assert "- **Pinned: " in text and "Nobody" not in text


def test_summary_does_not_depend_on_how_rows_are_tallied(big: Path, app: Any) -> None:
    with open_cohort(CohortInput(big / "cohort.csv"), app.questionnaire.by_id) as rows:
        facts = [run_row(row, SETUP).facts for row in rows]
    summaries = []
    for parts in ([facts], [facts[400:], facts[:7], facts[7:400]]):
        with SummaryBuilder(app, source="x", options=SETUP.options) as builder:
            for part in parts:
                builder.add(tally(part))
            summaries.append(builder.result().to_dict())
    assert summaries[0] == summaries[1]


def test_markdown_escapes_spreadsheet_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("<b>|x*", hopelessness=5), person("<b>|x*")])
    run(path, tmp_path / "out")
    text = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "\\<b\\>\\|x\\*" in text and "<b>" not in text


def test_interrupted_run_leaves_earlier_results_and_no_temporary_files(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", cohort(600))
    out = tmp_path / "out"
    out.mkdir()
    (out / "plans.jsonl").write_text("earlier\n")

    def interrupt(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(CohortInput(path), out, SETUP, jobs=2, progress=interrupt)
    assert os.listdir(out) == ["plans.jsonl"]
    assert (out / "plans.jsonl").read_text() == "earlier\n"


def test_progress_counts_lines(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", cohort(300))
    seen: list[int] = []
    run_batch(CohortInput(path), tmp_path / "out", SETUP, jobs=1, progress=seen.append)
    assert seen == [1 + batch.CHUNK, 300 - batch.CHUNK]
    assert sum(seen) == batch.count_lines(path) == 301


def test_no_progress_bar_when_not_a_terminal(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a")])
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "participants: 1, plans: 1, rows with errors: 0, crisis: 0, pinned: 0, "
        "check-in: 0, not screened: 0\n"
        f"Wrote {tmp_path / 'out'}: plans.jsonl, errors.jsonl, summary.json, "
        "summary.md, summary.html, roster.csv\n"
    )


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a")])
    (tmp_path / "file").write_text("x")
    with pytest.raises(BouncebackError, match="is a file, expected a folder"):
        run(path, tmp_path / "file")


def test_missing_input(tmp_path: Path) -> None:
    with pytest.raises(BouncebackError, match="file not found"):
        run(tmp_path / "nope.csv", tmp_path / "out")


@pytest.mark.usefixtures("fresh_apps")  # this test's own app, patched, then forgotten
def test_a_bug_costs_one_row_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = batch.app_for(SETUP)
    real = app.plan

    def flaky(situation: Any, **options: Any) -> Any:
        if situation.answers["anger"] == 5:
            raise RuntimeError("boom")
        return real(situation, **options)

    monkeypatch.setattr(app, "plan", flaky)
    path = write_csv(tmp_path / "c.csv", [person("a"), person("b", anger=5)])
    result = invoke(str(path), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 1
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert error["errors"][0]["code"] == "internal" and "RuntimeError: boom" in error["errors"][0]["message"]
    assert "internal error: rows that hit a bug: 1" in result.stderr


def test_rows_setup_and_outcomes_pickle(tmp_path: Path, app: Any) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a", role="Data\nAnalyst"), person("b", anger="x")])
    for row in rows_of(path):
        outcome = plan_row(app, row, SETUP.options)
        assert pickle.loads(pickle.dumps((row, SETUP, outcome))) == (row, SETUP, outcome)
        assert run_row(row, SETUP) == outcome


@pytest.mark.slow
def test_the_dask_recipe_in_the_docs_gives_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recipe saved as a file and run as a script, with a dask.distributed cluster of
    worker processes (regression: it failed as a file, for want of a __main__ guard)."""
    pytest.importorskip("dask.bag")
    pytest.importorskip("dask.distributed")
    docs = (ROOT / "docs" / "cohort.md").read_text(encoding="utf-8")
    [recipe] = [b for b in re.findall(r"```python\n(.*?)```", docs, re.S) if "import dask" in b]
    assert "partition_size=2000" in recipe
    rows = cohort(210)  # two partitions of 200 rows (2,000 in the recipe: fewer, for speed)
    rows[205]["id"] = rows[3]["id"]
    write_csv(tmp_path / "cohort.csv", rows)
    (tmp_path / "plan_cohort.py").write_text(
        recipe.replace("partition_size=2000", "partition_size=200"), encoding="utf-8"
    )
    subprocess.run([sys.executable, "plan_cohort.py"], cwd=tmp_path, check=True, timeout=120)
    monkeypatch.chdir(tmp_path)
    assert invoke("cohort.csv", "--out", "cli", "--jobs", "2", "--max-error-rate", "1").exit_code == 0
    for name in ("plans", "errors"):
        parts = sorted((tmp_path / "results").glob(f"{name}-*.jsonl"))
        assert len(parts) == 2
        assert "".join(p.read_text() for p in parts) == (tmp_path / "cli" / f"{name}.jsonl").read_text()
    for name in ("summary.json", "summary.md"):
        assert (tmp_path / "results" / name).read_text() == (tmp_path / "cli" / name).read_text()


def test_docs_show_every_summary_key(big: Path) -> None:
    docs = (ROOT / "docs" / "cohort.md").read_text(encoding="utf-8")
    summary = json.loads((big / "out2" / "summary.json").read_text(encoding="utf-8"))

    def keys(data: Any, prefix: str = "") -> set[str]:
        if not isinstance(data, dict):
            return set()
        return {prefix + k for k in data} | {
            x for k, v in data.items() if k != "recommended_to" for x in keys(v, f"{prefix}{k}.")
        }

    for key in keys(summary):
        assert f"`{key.rsplit('.', 1)[-1]}`" in docs, key


def test_count_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"a\nb\nc")
    assert batch.count_lines(path) == 3
    path.write_bytes(b"a\nb\n")
    assert batch.count_lines(path) == 2
    assert batch.count_lines(tmp_path / "missing.csv") is None
    assert batch.count_lines("-") is None


def test_format_option(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(json.dumps(person("a")) + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    result = invoke(str(path), "--out", str(tmp_path / "out"), "--format", "jsonl", "--max-error-rate", "1")
    assert result.exit_code == 0, result.output
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert error["row"] == 2 and error["errors"][0]["message"].startswith("invalid JSON: maximum recursion")
    with pytest.raises(BouncebackError, match="unknown input format 'xls'"):
        rows_of(path, fmt="xls")


def test_results_folder_that_cannot_be_made(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [person("a")])
    (tmp_path / "file").write_text("x")
    result = invoke(str(path), "--out", str(tmp_path / "file" / "results"))
    assert result.exit_code == 2
    assert "cannot create the results folder" in result.stderr


def test_long_lists_are_cut_in_markdown_but_complete_in_json(app: Any) -> None:
    from bounceback.batch import Tally, render_markdown
    from bounceback.batch.summary import LISTED

    ids = tuple((f"p{n // 2}", n) for n in range(2, 2 * (LISTED + 50) + 2))  # pairs
    flagged = tuple((1, n, f"p{n // 2}", 0.9, True, None) for n in range(1, LISTED + 51))
    with SummaryBuilder(app, source="x", options=SETUP.options) as builder:
        builder.add(Tally(participants=len(ids), plans=len(ids), ids=ids, flagged=flagged))
        summary = builder.result()
    text = render_markdown(summary)
    assert "… and 50 more: all are in summary.json" in text
    assert "- … and 50 more in summary.json (duplicate\\_ids)" in text
    data = summary.to_dict()
    assert len(data["attention"]["participants"]) == data["attention"]["tiers"]["pinned"] == LISTED + 50
    assert len(data["duplicate_ids"]) == LISTED + 50


def test_the_questions_csv_header_is_a_ready_cohort_spreadsheet(tmp_path: Path) -> None:
    header = CliRunner().invoke(cli, ["questions", "--format", "csv"]).output.strip().split(",")
    path = write_csv(tmp_path / "cohort.csv", [{"id": "p1", **STEADY}], columns=header)
    result = CliRunner().invoke(cli, ["batch", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    plans = (tmp_path / "out" / "plans.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in plans] == ["p1"]


def test_undecodable_ids_and_keys_cost_their_row_only(tmp_path: Path) -> None:
    """Regression: a participant id that was not UTF-8 (a Latin-1 "José"), or a JSON key or id
    holding a lone surrogate, stopped the whole run with an internal error (the summary could
    not store or write the text)."""
    path = write_csv(tmp_path / "c.csv", [person("JoseX"), person("b")])
    path.write_bytes(path.read_bytes().replace(b"JoseX", b"Jos\xe9"))
    result = invoke(str(path), "--out", str(tmp_path / "out"), "--jobs", "1", "--max-error-rate", "1")
    assert result.exit_code == 0, result.output
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert (error["id"], error["errors"][0]["field"], error["errors"][0]["code"]) == (
        "Jos\ufffd",
        "id",
        "encoding",
    )
    assert [p["id"] for p in read_jsonl(tmp_path / "out" / "plans.jsonl")] == ["b"]

    path = tmp_path / "c.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(person("\ud800")),
                json.dumps({**person("c"), "ang\udce9r": 1}),
                json.dumps(person("d")),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = invoke(str(path), "--out", str(tmp_path / "out"), "--jobs", "1", "--max-error-rate", "1")
    assert result.exit_code == 0, result.output
    first, second = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert (first["id"], first["errors"][0]["code"]) == ("\ufffd", "encoding")
    assert (second["id"], second["errors"][0]["field"]) == ("c", "ang\ufffdr")
    assert [p["id"] for p in read_jsonl(tmp_path / "out" / "plans.jsonl")] == ["d"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["errors_by_field"] == {"ang\ufffdr": 1, "id": 1}
    assert "ang\ufffdr" in (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf"])
def test_an_empty_json_lines_file_is_a_file_level_error(tmp_path: Path, content: bytes) -> None:
    """Regression: it was a run of zero participants and one blank row (an empty file has no lines)."""
    path = tmp_path / "c.jsonl"
    path.write_bytes(content)
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}:1: the file is empty; expected JSON Lines: one answers object per line\n"
    )
    assert not (tmp_path / "out").exists()


# -- huge and binary input ----------------------------------------------------------------------


def test_a_binary_file_is_refused_in_one_message(tmp_path: Path) -> None:
    """Regression: a workbook (or any binary file) was read as a CSV header of junk columns,
    one message each; with no line break, the whole file was one header line in memory."""
    path = tmp_path / "cohort.csv"
    path.write_bytes(b"\x7fELF\x02\x01" + bytes(range(256)) * 40)
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}:1: the first line is not text (it holds NUL characters): "
        "expected a CSV file, an .xlsx workbook or JSON Lines\n"
    )
    path = tmp_path / "cohort.xlsx"  # a damaged workbook
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 40)
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: not a workbook that can be read (")
    assert len(result.stderr.splitlines()) == 1


def test_many_unknown_columns_are_listed_briefly(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id," + ",".join(f"col{n}" for n in range(500)) + "\n", encoding="utf-8")
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == HEADER_PROBLEMS + 1
    assert lines[-1] == f"error: {path}:1: ... and {500 - HEADER_PROBLEMS} more unknown columns"


@pytest.mark.parametrize("header", ["id,anger," + "x" * 200_000, "id," * 400_000])
def test_an_overlong_header(tmp_path: Path, header: str) -> None:
    """Regression: a header cell over the CSV field limit was an internal error; a header line
    of megabytes was read whole."""
    path = tmp_path / "c.csv"
    path.write_text(header + "\n1,2\n", encoding="utf-8")
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:1: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_an_overlong_line_costs_its_row_and_little_memory(tmp_path: Path, suffix: str) -> None:
    """Regression: a line of many megabytes (a file without line breaks, a JSON array on one
    line) was read, decoded and parsed whole."""
    import tracemalloc

    rows = [person("a"), person("b"), person("c")]
    if suffix == ".csv":
        text = write_csv(tmp_path / "c.csv", rows).read_text(encoding="utf-8").splitlines(keepends=True)
    else:
        text = [json.dumps(row) + "\n" for row in rows]
    text[-2] = "b," + "x" * 3 * batch.MAX_LINE + "\n"  # the second record
    path = tmp_path / f"c{suffix}"
    path.write_text("".join(text), encoding="utf-8")
    tracemalloc.start()
    try:
        run(path, tmp_path / "out")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * batch.MAX_LINE * 2, peak  # a few copies of one line at most
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    line = 3 if suffix == ".csv" else 2
    assert error == {
        "row": 2,
        "line": line,
        "id": None,
        "tier": None,
        "screened": False,
        "screening_note": "the record could not be read",
        "errors": [
            {
                "message": f"line {line} is longer than {batch.MAX_LINE:,} characters (skipped)",
                "line": line,
                "code": "too-long",
            }
        ],
    }
    plans = read_jsonl(tmp_path / "out" / "plans.jsonl")
    assert [(p["id"], p["row"]) for p in plans] == [("a", 1), ("c", 3)]


def test_a_json_array_on_one_line_is_a_file_level_error(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps([person("a"), person("b")]) + "\n", encoding="utf-8")
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "this looks like one JSON document" in result.stderr


def test_one_persons_answers_file_is_not_read_as_a_cohort(tmp_path: Path) -> None:
    """Newcomer check 3: `batch examples/jordan.toml` read the TOML as a CSV and printed 30
    "unknown column" errors."""
    example = ROOT / "examples" / "jordan.toml"
    result = CliRunner().invoke(cli, ["batch", str(example), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"is a TOML file, one person's answers: `bounceback plan {example}`" in result.output
    assert "unknown column" not in result.output and not (tmp_path / "out").exists()


def test_one_person_to_look_at_is_spoken_of_as_one(tmp_path: Path) -> None:
    """Newcomer check 3: summary.md said "the 1 most distressed" above a one-row table."""
    import tomllib

    answers = tomllib.loads((ROOT / "examples" / "jordan.toml").read_text("utf-8"))
    cohort = tmp_path / "one.jsonl"
    cohort.write_text(
        json.dumps({**answers, "id": "p1", "hopelessness": 1, "self_harm_thoughts": False}) + "\n", "utf-8"
    )
    result = CliRunner().invoke(cli, ["batch", str(cohort), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    summary = (tmp_path / "out" / "summary.md").read_text("utf-8")
    assert "the 1 most" not in summary and "this is the most distressed" in summary, summary


def test_a_cohort_file_with_only_a_header_says_there_is_nothing_to_plan(tmp_path: Path) -> None:
    """Newcomer review 31: a header and no rows ended in silence, "participants: 0" and exit 0."""
    path = tmp_path / "empty.csv"
    path.write_text("id,stage_reached\n", encoding="utf-8")
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "has no participant rows, so there is nothing to plan" in result.stderr
