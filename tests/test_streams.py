"""Closed and odd standard streams, answers that are not UTF-8 or hold surrogates, line
editing in `ask`, and the smaller input checks of the second hardening round (issue 18)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

from bounceback import asking
from bounceback.cli import cli
from conftest import EXAMPLES
from helpers import MINIMAL, write_answers, write_pack
from test_ask import typed
from test_questions import GRADUATES

EXAMPLE = str(EXAMPLES / "jordan.toml")


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def assert_input_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


# -- closed streams -----------------------------------------------------------------------------


@attrs.frozen
class Closed:
    """How a run with a closed stream ended: its exit status and what it wrote to stderr."""

    returncode: int | str | None
    stderr: str


def _closed(capsys: pytest.CaptureFixture[str], *args: str, stream: str) -> Closed:
    """Run bounceback with standard input or output closed, as `<&-` or `>&-` do: Python then
    starts with ``sys.stdin`` or ``sys.stdout`` set to None, which is what the run sees here
    (in-process: a subprocess would add only its start-up time)."""
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit) as exit_:
        patch.setattr(sys, stream, None)
        cli.main(list(args), prog_name="bounceback")
    return Closed(exit_.value.code, capsys.readouterr().err)


@pytest.mark.parametrize(
    "args",
    [["plan", "-"], ["explain", "-", "feedback.thank-you"], ["ask", "-o", "/dev/null"]],
    ids=["plan", "explain", "ask"],
)
def test_a_closed_standard_input_is_an_input_error(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    result = _closed(capsys, *args, stream="stdin")
    assert result.returncode == 2, result.stderr
    assert "error: <stdin>: standard input is closed" in result.stderr
    assert "internal error" not in result.stderr


def test_a_closed_standard_input_for_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _closed(capsys, "batch", "-", "--out", str(tmp_path / "out"), "--no-plugins", stream="stdin")
    assert result.returncode == 2, result.stderr
    assert "standard input is closed" in result.stderr


def test_a_closed_standard_output_is_not_success(capsys: pytest.CaptureFixture[str]) -> None:
    result = _closed(capsys, "plan", EXAMPLE, stream="stdout")
    assert result.returncode == 2, result.stderr
    assert "standard output is closed" in result.stderr


def test_the_exit_code_survives_a_standard_error_that_went_away(tmp_path: Path) -> None:
    """`bounceback plan missing.toml 2>&1 | head -0`: writing the error to a closed pipe
    turned an input error's exit code 2 into 1."""
    read, write = os.pipe()
    os.close(read)  # the reader went away before the command wrote anything
    try:
        script = f"from bounceback.cli import cli; cli(['plan', {str(tmp_path / 'missing.toml')!r}])"
        result = subprocess.run(
            [sys.executable, "-c", script], stderr=write, stdout=subprocess.PIPE, timeout=120
        )
    finally:
        os.close(write)
    assert result.returncode == 2


# -- answers that are not text ------------------------------------------------------------------


def test_a_lone_surrogate_in_a_json_answer_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(dict(MINIMAL, name="Jo\ud800")), "utf-8")
    assert_input_error(run("plan", str(path)), "name: not valid UTF-8 text")


def test_ask_asks_again_for_an_answer_that_is_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app: object
) -> None:
    """In a real process: the click test runner cannot echo such input."""
    answers = typed(app, {})
    result = subprocess.run(
        [sys.executable, "-c", "from bounceback.cli import main; main()", "ask", "--no-plugins"],
        input=b"J\xffo\n" + answers.encode() + b"n\n",
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    output = result.stdout.decode()
    assert result.returncode == 0, output + result.stderr.decode()
    assert "not valid UTF-8 text" in output and "Please try again" in output
    assert (tmp_path / "answers.toml").exists()


def test_line_editing_is_enabled_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("readline")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delitem(sys.modules, "readline", raising=False)
    assert asking.prepare_input(io.StringIO()) is False and "readline" not in sys.modules
    assert asking.prepare_input(Terminal()) is True and "readline" in sys.modules


def test_help_does_not_import_readline() -> None:
    code = (
        "import sys; from bounceback.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='bounceback')\n"
        "except SystemExit:\n    pass\nprint('readline' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().endswith("False"), result.stdout + result.stderr


def test_piped_answers_are_not_eaten_by_the_replace_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app: object
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.toml").write_text("# mine\n")
    refused = run("ask", input=typed(app, {}))
    assert_input_error(
        refused,
        "answers.toml: already exists; answers that are piped in cannot confirm replacing it: add --replace",
    )
    assert (tmp_path / "answers.toml").read_text() == "# mine\n"
    replaced = run("ask", "--replace", input=typed(app, {}))
    assert replaced.exit_code == 0, replaced.output
    assert (tmp_path / "answers.toml").read_text() != "# mine\n"


# -- answers files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"stage_reached": "interview",\n "stage_reached": "offer_stage"}',
            "answers.json:2: invalid JSON: the key 'stage_reached' is given twice",
        ),
        (
            '{"stage_reached": "interview",\n "anger": NaN}',
            "answers.json:2: invalid JSON: NaN is not a valid answer",
        ),
        (
            '{"stage_reached": "interview",\n "anger": ' + "9" * 5000 + "}",
            "answers.json:2: invalid JSON: a number with 5,000 digits is too long",
        ),
    ],
)
def test_json_answers_files_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "answers.json"
    path.write_text(text, "utf-8")
    result = run("plan", str(path))
    assert_input_error(result, message)
    assert "sys.set_int_max_str_digits" not in result.output


def test_a_dotted_key_names_its_line(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "answers.toml", MINIMAL)
    path.write_text(path.read_text() + 'role.title = "x"\n')
    assert_input_error(
        run("plan", str(path)), f"answers.toml:{len(MINIMAL) + 1}: role: expected text, got a table"
    )


def test_json_in_a_file_not_named_json_is_read_as_json(tmp_path: Path) -> None:
    path = tmp_path / "answers.txt"
    path.write_text(json.dumps(MINIMAL), "utf-8")
    assert run("plan", str(path)).exit_code == 0


def test_utf16_without_a_bom_is_an_encoding_problem(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes('stage_reached = "interview"\n'.encode("utf-16-le"))
    assert_input_error(run("plan", str(path)), "not UTF-8 text", "UTF-16")


# -- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("9999-12-28", "expected a year from 1000 to 9998"),
        ("0999-01-01", "expected a year from 1000 to 9998"),
        ("2026-02-30", "is not a day of the calendar (day is out of range for month)"),
        ("tomorrow", "is not a date written YYYY-MM-DD"),
    ],
)
def test_start_dates_calendars_cannot_hold_are_refused(start: str, message: str) -> None:
    assert_input_error(run("plan", EXAMPLE, "-f", "ics", "--start", start), message)


def test_start_dates_at_the_bounds_work() -> None:
    for start in ("1000-01-01", "9998-12-31"):
        assert run("plan", EXAMPLE, "-f", "ics", "--start", start).exit_code == 0


def test_base_cannot_be_disabled() -> None:
    result = run("plan", EXAMPLE, "--disable", "base")
    assert_input_error(result, "--disable: the base plugin cannot be disabled")
    assert len(result.output.splitlines()) == 1


def test_disabling_a_plugin_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    """Newcomer check 3: `--disable nosuchplugin` was accepted without a word, so a typo left
    the plugin loaded."""
    result = run("plan", EXAMPLE, "--disable", "advise")
    assert_input_error(result, "--disable: no plugin or pack is called 'advise' (did you mean 'advice'?)")
    folder = tmp_path / "grads"
    write_pack(folder, GRADUATES)
    for name in ("advice", f"folder:{folder}"):  # real names: the plan is made without them
        assert run("plan", EXAMPLE, "--pack", str(folder), "--disable", name).exit_code == 0


def test_the_same_pack_folder_twice_is_loaded_once(tmp_path: Path) -> None:
    folder = tmp_path / "grads"
    pack = write_pack(folder, GRADUATES)
    answers = write_answers(tmp_path / "a.toml", dict(MINIMAL, graduated_months=3))
    for packs in ([folder, folder], [folder, Path(f"{folder}/")], [folder, pack]):
        args = [a for p in packs for a in ("--pack", str(p))]
        result = run("plan", str(answers), *args, "--top", "50")
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output
        assert "Visit your university careers service" in result.output


def test_an_empty_pack_folder_is_a_warning_repeated_last(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "broken.toml").symlink_to("nowhere.toml")
    result = run("plan", EXAMPLE, "--pack", str(tmp_path / "empty"))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "no pack files" in lines[0] and lines[0].startswith("warning: skipped plugin")
    assert lines[-1].startswith("warning: done without 1 plugin or pack that failed to load: folder:")


def test_packs_new_in_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert_input_error(
        run("packs", "new", "grads", "--dir", str(tmp_path / "file" / "sub")), "cannot create the folder"
    )


def test_jobs_are_capped_to_the_cores(tmp_path: Path) -> None:
    import os

    cohort = tmp_path / "c.jsonl"
    cohort.write_text(json.dumps(dict(MINIMAL, id="a")) + "\n", "utf-8")
    result = run("batch", str(cohort), "--out", str(tmp_path / "out"), "--jobs", "512", "--no-plugins")
    assert result.exit_code == 0, result.output
    assert "note: --jobs 512 is more than this machine's" in result.output
    assert f"using {os.cpu_count()}" in result.output


def test_arithmetic_on_huge_answers_is_bounded(tmp_path: Path) -> None:
    """A pack that validates always plans: 30 answers of 15 digits multiplied (and divided)
    are clamped, never an overflow (it was an internal error)."""
    product = " * ".join(["graduated_months"] * 30)
    pack = GRADUATES.replace(
        "weight = 0.9", f'weight = 0.9\n    strength = "{product} / 3 - {product}"'
    ).replace("graduated_months <= 24", "graduated_months >= 0")
    folder = tmp_path / "grads"
    write_pack(folder, pack)
    answers = write_answers(tmp_path / "a.toml", dict(MINIMAL, graduated_months=10**15 - 1))
    for args in (["plan", str(answers)], ["explain", str(answers), "grads.careers-service"]):
        result = run(*args, "--pack", str(folder), "--strict")
        assert result.exit_code == 0, result.output
