"""Output files (-o) of plan, questions, packs catalog and ask: what is at the path decides how
it is written, and nothing is replaced by accident (docs/user-guide.md, "Output files")."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bounceback.cli import cli
from bounceback.errors import BouncebackError
from bounceback.files import ATOMIC, IN_PLACE, THROUGH, output_target, write_text
from conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "jordan.toml")
#: One command per kind of output; each takes "-o FILE" after these arguments (questions keeps
#: an existing file, which may hold answers, unless told to replace it).
COMMANDS = {
    "plan": ["plan", EXAMPLE],
    "questions": ["questions", "--replace"],
    "catalog": ["packs", "catalog"],
}


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture(params=sorted(COMMANDS))
def command(request: pytest.FixtureRequest) -> list[str]:
    return COMMANDS[request.param]


def test_a_link_to_a_character_device_is_written_through(tmp_path: Path, command: list[str]) -> None:
    """The link stays a link and the device a device (as root, a rename once replaced
    /dev/null with a regular file)."""
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    result = run(*command, "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.is_char_device()
    assert output_target(os.devnull) == output_target(Path(os.devnull))
    assert output_target(os.devnull).how == THROUGH


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_a_write_error(tmp_path: Path) -> None:
    link = tmp_path / "full"
    link.symlink_to("/dev/full")
    result = run("plan", EXAMPLE, "-o", str(link))
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert "Wrote" not in result.output and link.is_symlink()


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("plan", EXAMPLE, "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received and received[0].startswith(b"Your next steps")
    assert fifo.is_fifo()


def test_a_symbolic_link_is_followed_and_kept(tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    result = run(*command, "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and target.read_text() != "old"
    assert f"(the file it links to: {target})" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_a_dangling_link_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("made.txt")
    written = write_text(link, "hello\n")
    assert written.path == tmp_path / "made.txt" and written.how == ATOMIC
    assert link.is_symlink() and (tmp_path / "made.txt").read_text() == "hello\n"


def test_a_hard_link_keeps_both_names(tmp_path: Path, command: list[str]) -> None:
    first = tmp_path / "a.txt"
    first.write_text("old")
    second = tmp_path / "b.txt"
    os.link(first, second)
    assert output_target(second).how == IN_PLACE
    result = run(*command, "-o", str(second))
    assert result.exit_code == 0, result.output
    assert first.read_text() == second.read_text() != "old"
    assert os.path.samefile(first, second)


def test_a_read_only_file_is_refused(tmp_path: Path, command: list[str]) -> None:
    """By its mode, so that root is refused too."""
    target = tmp_path / "kept.txt"
    target.write_text("mine")
    target.chmod(0o444)
    result = run(*command, "-o", str(target))
    assert result.exit_code == 2
    assert f"error: {target}: is read-only; make it writable" in result.output
    assert target.read_text() == "mine" and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "error: -o: is an empty file name"),
        ("newdir/", "error: newdir/: ends with '/', so it names a folder"),
        (".", "error: .: is a folder"),
        ("no/such/plan.txt", "error: no/such/plan.txt: cannot write: the folder does not exist (no/such)"),
    ],
)
def test_names_that_are_not_files_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], name: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*command, "-o", name)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_ask_checks_its_file_before_asking(tmp_path: Path) -> None:
    target = tmp_path / "answers.toml"
    target.write_text("# mine\n")
    target.chmod(0o444)
    result = run("ask", "-o", str(target), input="y\n")
    assert result.exit_code == 2 and "is read-only" in result.output
    assert "[1/" not in result.output and target.read_text() == "# mine\n"


def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(BouncebackError, match="is a socket or special file"):
            output_target(path)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_device_behind_standard_output_is_an_input_error_not_a_bug() -> None:
    """Newcomer check 3: `bounceback plan examples/jordan.toml > /dev/full` said "internal
    error ... This is a bug" (exit 1); `-o /dev/full` already said what was wrong (exit 2)."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from bounceback.cli import main; main()",
                "plan",
                EXAMPLE,
                "--no-plugins",
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 2, done.stderr
    assert "cannot write: No space left on device" in done.stderr and "bug" not in done.stderr
