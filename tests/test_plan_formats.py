"""Which format ``plan -o FILE`` writes: --format, else the suffix, else text; an unknown
suffix or a --format that contradicts the suffix is a usage error; ``-o -`` prints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bounceback.cli import cli
from conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "jordan.toml")


def plan(*args: str) -> Result:
    return CliRunner().invoke(cli, ["plan", EXAMPLE, *args])


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("plan.html", "<!DOCTYPE html>"),
        ("PLAN.HTML", "<!DOCTYPE html>"),
        ("plan.md", "# Your next"),
        ("plan.ics", "BEGIN:VCALENDAR"),
        ("plan.json", "{"),
        ("plan.txt", "Your next steps"),
        ("plan", "Your next steps"),
    ],
)  # no suffix: text
def test_the_suffix_names_the_format(tmp_path: Path, name: str, start: str) -> None:
    result = plan("-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_text("utf-8").startswith(start)


@pytest.mark.parametrize("name", ["plan.pdf", "plan.docx", "plan.2026-12-01"])
def test_an_unknown_suffix_is_a_usage_error_naming_the_formats(tmp_path: Path, name: str) -> None:
    result = plan("-o", str(tmp_path / name))
    assert result.exit_code == 2
    assert f"bounceback does not write {Path(name).suffix} files" in result.output
    assert ".html (html), .ics (ics), .json (json), .md (markdown), .txt (text)" in result.output
    assert ("print it to PDF" in result.output) == name.endswith(".pdf")
    assert list(tmp_path.iterdir()) == []


def test_format_decides_for_an_unknown_suffix_or_none(tmp_path: Path) -> None:
    assert plan("-o", str(tmp_path / "plan.out"), "--format", "markdown").exit_code == 0
    assert (tmp_path / "plan.out").read_text("utf-8").startswith("# Your next steps")
    assert plan("-o", str(tmp_path / "plan"), "-f", "html").exit_code == 0
    assert (tmp_path / "plan").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_a_format_contradicting_the_suffix_is_an_error(tmp_path: Path) -> None:
    result = plan("-o", str(tmp_path / "plan.md"), "--format", "html")
    assert result.exit_code == 2 and "--format html does not match -o" in result.output
    assert "a .md file is markdown" in result.output and list(tmp_path.iterdir()) == []
    assert plan("-o", str(tmp_path / "plan.md"), "--format", "markdown").exit_code == 0


def test_dash_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = plan("-o", "-")
    assert result.exit_code == 0 and result.output.startswith("Your next steps")
    result = plan("-o", "-", "--format", "json")
    assert json.loads(result.output)["schema"] == 1
    assert os.listdir(tmp_path) == []  # no file called "-"


def test_ask_saves_a_file_not_standard_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ask", "-o", "-"], input="")
    assert result.exit_code == 2 and "'-' (standard output) is not possible here" in result.output


def test_an_unknown_format_is_named(tmp_path: Path) -> None:
    result = plan("--format", "pdf")
    assert result.exit_code == 2 and "unknown format 'pdf'; available: html, ics, json" in result.output
    assert "For a PDF, write .html and print it to PDF from your browser." in result.output  # as -o x.pdf
    assert "print it to PDF" not in plan("--format", "docx").output
