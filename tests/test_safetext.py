"""Control characters never reach the terminal or a text file raw: answers holding them are
refused, pack text, ids and messages are neutralised, JSON escapes them, ics TEXT drops them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback.cli import cli
from bounceback.render.ics import escape_text
from bounceback.safetext import CONTROL, escape_for_json, first_control, neutralise
from helpers import MINIMAL, write_answers, write_pack
from test_questions import GRADUATES

#: Retitles the terminal, then clears the screen; then a C1 CSI, a backspace and a BEL.
ATTACK = "\u001b]0;title\u0007\u001b[2J\u009b31m\b\u0007"
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def assert_clean(text: str) -> None:
    assert RAW.search(text) is None, repr(text)


@settings(max_examples=60)
@given(st.text())
def test_neutralised_text_has_no_control_character_and_keeps_the_rest(text: str) -> None:
    clean = neutralise(text)
    assert CONTROL.search(clean) is None
    assert len(clean) == len(text)
    assert neutralise(clean) == clean
    assert (first_control(text) is None) == (clean == text)


@settings(max_examples=60)
@given(
    st.recursive(
        st.text() | st.integers(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=8,
    )
)
def test_json_escaping_keeps_the_data(data: object) -> None:
    text = escape_for_json(json.dumps(data, indent=2, ensure_ascii=False))
    assert_clean(text)
    assert json.loads(text) == data


def test_line_endings_and_tabs_are_kept() -> None:
    assert neutralise("a\tb\r\nc\n") == "a\tb\r\nc\n"
    assert neutralise("a\rb") == "a\ufffdb"


def test_an_answer_holding_control_characters_is_refused(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "answers.toml", dict(MINIMAL, role=ATTACK))
    result = run("plan", str(path))
    assert result.exit_code == 2
    assert "role: text holds a control character (U+001B)" in result.output
    assert_clean(result.output)


def test_pack_text_is_neutralised_in_every_format(tmp_path: Path) -> None:
    folder = tmp_path / "grads"
    write_pack(
        folder,
        GRADUATES.replace(
            "Visit your university careers service", "Visit " + "".join(f"\\u{ord(c):04x}" for c in ATTACK)
        ),
    )
    answers = write_answers(tmp_path / "answers.toml", dict(MINIMAL, graduated_months=3))
    for fmt in ("text", "markdown", "html", "ics", "json"):
        result = run("plan", str(answers), "--pack", str(folder), "-f", fmt, "--top", "50")
        assert result.exit_code == 0, result.output
        assert "Visit " in result.output
        assert_clean(result.output.replace("\r\n", "\n"))
    step = next(
        s
        for s in json.loads(
            run("plan", str(answers), "--pack", str(folder), "-f", "json", "--top", "50").output
        )["steps"]
        if s["id"] == "grads.careers-service"
    )
    assert step["title"] == f"Visit {ATTACK}"  # JSON escapes, so the data is unchanged


def test_messages_quoting_what_was_typed_are_neutralised(tmp_path: Path) -> None:
    for args in (["plan", str(tmp_path / ATTACK)], [ATTACK], ["plan", "x", "--top", ATTACK]):
        result = run(*args)
        assert result.exit_code == 2
        assert_clean(result.output)


def test_ics_text_holds_no_control_character() -> None:
    assert escape_text(f"a{ATTACK}\tb") == "a\ufffd]0\\;title\ufffd\ufffd[2J\ufffd31m\ufffd\ufffd\tb"


def test_batch_ids_are_neutralised_in_the_summaries(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.jsonl"
    cohort.write_text(
        json.dumps(dict(MINIMAL, id=f"p{ATTACK}"))
        + "\n"
        + json.dumps(dict(MINIMAL, id=f"q{ATTACK}", anger=99))
        + "\n",
        "utf-8",
    )
    result = run("batch", str(cohort), "--out", str(tmp_path / "out"), "--jobs", "1", "--max-error-rate", "1")
    assert result.exit_code == 0, result.output
    assert_clean(result.output)
    for name in ("summary.md", "summary.json", "plans.jsonl", "errors.jsonl", "summary.html", "roster.csv"):
        assert_clean((tmp_path / "out" / name).read_text("utf-8"))
    summary = (tmp_path / "out" / "summary.md").read_text("utf-8")
    assert "p\ufffd\\]0;title" in summary and "id q\ufffd\\]0;title" in summary


def test_the_cli_prints_only_through_its_sanitising_echo() -> None:
    """New output in the CLI package must use ``echo`` (which neutralises), not ``click.echo``."""
    import bounceback.cli

    source = "".join(path.read_text("utf-8") for path in Path(bounceback.cli.__file__).parent.glob("*.py"))
    assert source.count("click.echo(") == 1, (
        "print with cli.common.echo, which neutralises control characters"
    )
