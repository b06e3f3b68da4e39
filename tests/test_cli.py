"""The command line: plans in each format, files, and errors that never show a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bounceback import __version__
from bounceback.cli import cli
from conftest import EXAMPLES
from helpers import MINIMAL, write_answers, write_pack

EXAMPLE = EXAMPLES / "jordan.toml"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def assert_input_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output


def test_version_and_help() -> None:
    assert run("--version").output == f"bounceback, version {__version__}\n"
    assert "plan" in run("--help").output


def test_text_plan_of_the_bundled_example() -> None:
    result = run("plan", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Your next steps\n===============\n\n 1. ")
    assert "Dear Priya," in result.output  # a draft filled from the answers
    assert " 7. " in result.output and " 8. " not in result.output


def test_json_plan_follows_the_contract() -> None:
    data = json.loads(run("plan", str(EXAMPLE), "--format", "json", "--top", "4").output)
    assert data["schema"] == 1
    assert len(data["steps"]) == 4
    step = data["steps"][0]
    assert set(step) >= {
        "id",
        "category",
        "topics",
        "title",
        "why",
        "actions",
        "timeframe",
        "effort",
        "score",
        "reasons",
    }
    assert {"id": "base", "version": "1.0.0"} in data["packs"]
    assert data["skipped_plugins"] == []
    assert 0 <= data["signals"]["distress"] <= 1


def test_explain_shows_scores_and_reasons() -> None:
    output = run("plan", str(EXAMPLE), "--explain").output
    assert "Score 0." in output and "because:" in output


def test_output_file_is_written_and_format_guessed(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    result = run("plan", str(EXAMPLE), "-o", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text("utf-8"))["schema"] == 1
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_answers_from_standard_input() -> None:
    result = run("plan", "-", "--format", "json", input=json.dumps(MINIMAL))
    assert result.exit_code == 0, result.output
    toml = "\n".join(f"{k} = {json.dumps(v)}" for k, v in MINIMAL.items())
    assert run("plan", "-", input=toml).exit_code == 0


def test_bad_answers_are_reported_with_file_line_and_field(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "a.toml", dict(MINIMAL, anxiety=7, stage_reachd="interview"))
    result = run("plan", str(path))
    assert_input_error(
        result,
        f"error: {path}:",
        "anxiety: expected a whole number from 1 to 5, got 7",
        "stage_reachd: unknown question (did you mean 'stage_reached'?)",
    )


@pytest.mark.parametrize("content", ["anxiety = ", "\x00\x01binary", ""])
def test_malformed_answers(tmp_path: Path, content: str) -> None:
    path = tmp_path / "a.toml"
    path.write_text(content, encoding="utf-8")
    assert_input_error(run("plan", str(path)), "error:")


def test_missing_file_and_bad_options(tmp_path: Path) -> None:
    assert_input_error(run("plan", str(tmp_path / "nope.toml")), "nope.toml: file not found")
    assert_input_error(run("plan", str(EXAMPLE), "--format", "pdf"), "unknown format 'pdf'")
    assert_input_error(run("plan", str(EXAMPLE), "--top", "0"))
    assert_input_error(
        run("plan", str(EXAMPLE), "-o", str(tmp_path / "no" / "dir" / "x.txt")), "cannot write"
    )


def test_packs_validate(tmp_path: Path) -> None:
    # A small valid pack: the built-in packs' own cleanliness is test_packs_cli's (one full lint
    # of them is enough for the suite).
    good = write_pack(
        tmp_path / "good",
        """\
        [pack]
        id = "good"
        name = "Good"
        version = "1"

        [[rules]]
        id = "r"
        category = "mindset"
        title = "Take a walk"
        why = "It helps."
        weight = 0.5
        timeframe = "this-week"
        effort = "low"
        actions = ["Walk for twenty minutes."]
        """,
    )
    ok = run("packs", "validate", str(good))
    assert ok.exit_code == 0 and "All packs are valid." in ok.output, ok.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[pack]\nid = "bad"\nname = "B"\nversion = "1"\n[[rules]]\nid = "r"\n', "utf-8")
    result = run("packs", "validate", str(bad))
    assert_input_error(result, f"{bad}:5: bad.r: missing required field 'category'", "problems found")
    data = json.loads(run("packs", "validate", str(bad), "--format", "json").output)
    assert data["ok"] is False and data["problems"][0]["line"] == 5


def test_internal_errors_are_short_unless_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    import bounceback.api

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(bounceback.api, "load", broken)
    result = run("plan", str(EXAMPLE))
    assert result.exit_code == 1
    assert "internal error: ZeroDivisionError: oops" in result.output
    assert "Traceback" not in result.output
    assert "Traceback" in run("--debug", "plan", str(EXAMPLE)).output
