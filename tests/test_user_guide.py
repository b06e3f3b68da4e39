"""The user guide's samples are real output: each is checked against a fresh run.

A sample is a fenced block after a marker such as ``<!-- sample lines 1-20: bounceback ... -->``
(the output of that command, optionally only those lines) or ``<!-- sample-ask ...: a | b -->``
(``bounceback ask`` answered with those lines, echoed as in a terminal; a ``sample-ask``
without answers reuses the previous ones). After changing output on purpose, rewrite the
samples with ``python tests/test_user_guide.py``.
"""

from __future__ import annotations

import os
import re
import shlex
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bounceback.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "user-guide.md"
#: The samples' plans are made on 3 March 2025 (reproducible-builds convention, so dated
#: output such as the html page's "Made on" line does not change from day to day).
SOURCE_DATE_EPOCH = "1740960000"
SAMPLE = re.compile(
    r"<!-- (?P<kind>sample|sample-ask)(?: lines (?P<first>\d+)-(?P<last>\d+)| last (?P<tail>\d+))?"
    r"(?:: (?P<text>.*?))? -->\n(?P<fence>`{3,})(?P<lang>\w*)\n(?P<body>.*?)(?P=fence)\n",
    re.S,
)


def run(kind: str, text: str) -> str:
    """The output of one sample's command."""
    if kind == "sample":
        args = shlex.split(text)
        assert args[0] == "bounceback"
        return CliRunner().invoke(cli, args[1:], prog_name="bounceback").output.replace("\r\n", "\n")
    typed = "".join(answer.strip() + "\n" for answer in text.split("|"))
    with tempfile.TemporaryDirectory() as folder:
        here = Path.cwd()
        os.chdir(folder)
        try:
            return CliRunner(echo_stdin=True).invoke(cli, ["ask"], input=typed).output
        finally:
            os.chdir(here)


def samples(guide: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each sample's marker match and the text it should show."""
    answers = ""
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        for match in SAMPLE.finditer(guide):
            text = match["text"] or ""
            if match["kind"] == "sample-ask":
                answers = text or answers
                text = answers
            lines = run(match["kind"], text).splitlines()
            if match["first"]:
                lines = lines[int(match["first"]) - 1 : int(match["last"])]
            elif match["tail"]:
                lines = lines[-int(match["tail"]) :]
            yield match, "".join(line + "\n" for line in lines)
    finally:
        os.chdir(here)


def test_every_sample_is_what_the_tool_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # click wraps help text to the terminal width
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    guide = GUIDE.read_text("utf-8")
    checked = 0
    for match, expected in samples(guide):
        assert match["body"] == expected, (
            f"stale sample {match.group(0).splitlines()[0]}: run python tests/test_user_guide.py"
        )
        checked += 1
    assert checked == guide.count("<!-- sample") >= 10


def update() -> None:
    """Rewrite every sample of the guide from a fresh run."""
    os.environ.update(
        COLUMNS="80",
        BOUNCEBACK_PLUGINS="",  # built-ins only, as the test runs
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
    )
    guide = GUIDE.read_text("utf-8")
    pieces, end = [], 0
    for match, expected in samples(guide):
        fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", expected)), default=0) + 1)
        pieces += [guide[end : match.start("fence")], f"{fence}{match['lang']}\n{expected}{fence}\n"]
        end = match.end()
    GUIDE.write_text("".join(pieces) + guide[end:], "utf-8")


if __name__ == "__main__":
    update()
