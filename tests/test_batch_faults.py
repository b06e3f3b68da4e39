"""Faults during a cohort run: Ctrl-C, SIGTERM, SIGHUP, SIGKILL, an output folder whose files cannot be written or
renamed, a full disk, a bug that hits one row.

Whatever happens, the four result files are all or nothing: a run that fails leaves the
results of the previous run exactly as they were and no temporary file, and a row is never
lost without an error record.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from bounceback import batch, files
from bounceback.api import Bounceback
from bounceback.batch import counting as batch_counting
from bounceback.questionnaire import Questionnaire
from bounceback.results import Plan
from conftest import ROOT
from hardening import assert_clear_error
from test_batch import cohort, invoke, read_jsonl, write_csv

OUTPUTS = batch.OUTPUT_FILES


@pytest.fixture
def previous(tmp_path: Path) -> dict[str, bytes]:
    """The results of an earlier run in tmp_path/out (their bytes), which a failed run must keep."""
    path = write_csv(tmp_path / "earlier.csv", cohort(3))
    assert invoke(str(path), "--out", str(tmp_path / "out"), "--jobs", "1").exit_code == 0
    return {name: (tmp_path / "out" / name).read_bytes() for name in OUTPUTS}


def _fails(tmp_path: Path, previous: dict[str, bytes], message: str, rows: int = 40) -> Result:
    """A run over ``rows`` participants into tmp_path/out fails with ``message`` (``{out}`` is
    the results folder) and keeps the previous results."""
    path = write_csv(tmp_path / "cohort.csv", cohort(rows))
    out = tmp_path / "out"
    result = invoke(str(path), "--out", str(out), "--jobs", "1")
    assert_clear_error(result, message.format(out=out))
    _kept(out, previous)
    return result


def _kept(out: Path, previous: dict[str, bytes]) -> None:
    """The earlier results are untouched and nothing else is in the folder."""
    assert sorted(os.listdir(out)) == sorted(previous), "no temporary file is left behind"
    for name, content in previous.items():
        assert (out / name).read_bytes() == content, f"{name} was changed"


# -- Ctrl-C -------------------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def long_cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated cohort of 20,000 rows, long enough to be stopped mid-run: written once for
    the module (the runs only read it)."""
    path = tmp_path_factory.mktemp("long") / "cohort.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_cohort.py"), "--rows", "20000", "-o", str(path)],
        check=True,
        capture_output=True,
        env={**os.environ, "BOUNCEBACK_PLUGINS": ""},
    )
    return path


@contextlib.contextmanager
def _real_run(tmp_path: Path, path: Path) -> Iterator[tuple[subprocess.Popen[str], set[int], Path]]:
    """A real ``bounceback batch --jobs 2`` of the cohort at ``path`` into tmp_path/out, once
    plans are being written: the process, its workers and its summary's spool folder (TMPDIR).
    Killed on the way out."""
    spool = tmp_path / "tmp"
    spool.mkdir()
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from bounceback.cli import main; main()",
            "batch",
            str(path),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--no-plugins",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(spool), "BOUNCEBACK_PLUGINS": ""},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(p.stat().st_size for p in out.glob(".plans.jsonl.*.tmp")):
            assert process.poll() is None and time.monotonic() < deadline, "the run ended before any plan"
            time.sleep(0.01)
        yield process, _children(process.pid), spool
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def _outlived(workers: set[int]) -> bool:
    """Whether a worker is still running 10 seconds from now."""
    assert workers, "the run had worker processes"
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    return any(_running(pid) for pid in workers)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize(
    ("signum", "group", "message"),
    [
        (signal.SIGINT, True, "Interrupted."),  # Ctrl-C: a terminal signals the whole process group
        (signal.SIGTERM, False, "Stopped by SIGTERM."),  # kill, a job scheduler: the process only
        (signal.SIGHUP, False, "Stopped by SIGHUP."),  # the terminal closed
    ],
)
def test_a_signal_stops_a_real_run_cleanly(
    tmp_path: Path, long_cohort: Path, previous: dict[str, bytes], signum: int, group: bool, message: str
) -> None:
    """Exit 128 + the signal, a short message and no traceback (from the workers either), the
    earlier results as they were, no temporary file (results or the summary's spool), and no
    worker left running."""
    with _real_run(tmp_path, long_cohort) as (process, workers, spool):
        (os.killpg if group else os.kill)(process.pid, signum)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stderr
    assert stderr == message + "\n"
    _kept(tmp_path / "out", previous)
    assert os.listdir(spool) == []
    assert not _outlived(workers), "a worker outlived the run"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_workers_die_with_a_killed_run_and_the_next_run_tidies_up(
    tmp_path: Path, long_cohort: Path, previous: dict[str, bytes]
) -> None:
    """SIGKILL cannot be handled: the workers notice their parent is gone and stop, and the
    next run into the folder removes the temporary files the killed one left."""
    out = tmp_path / "out"
    with _real_run(tmp_path, long_cohort) as (process, workers, _):
        process.kill()
        process.communicate(timeout=60)
    assert not _outlived(workers), "a worker outlived its parent"
    assert list(out.glob(".*.tmp")), "a killed run leaves its temporary files"
    (out / ".plans.jsonl.1.abcdefgh.tmp").write_text("a live process's file: kept")  # pid 1 runs
    path = write_csv(tmp_path / "next.csv", cohort(3))
    assert invoke(str(path), "--out", str(out), "--jobs", "1").exit_code == 0
    assert sorted(os.listdir(out)) == sorted([*previous, ".plans.jsonl.1.abcdefgh.tmp"])


# -- results that cannot be written or renamed --------------------------------------------------


@pytest.mark.parametrize("name", OUTPUTS)
@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.EROFS, "Read-only file system"),
        PermissionError(errno.EACCES, "Permission denied"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_a_result_that_cannot_be_renamed(
    tmp_path: Path, previous: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, name: str, error: OSError
) -> None:
    """Tests run as root, where file modes do not stop a rename: the refusal is simulated.
    Regression: the results renamed before the refused one stayed new, beside old ones."""
    real_replace = os.replace

    def replace(source: Any, target: Any) -> None:
        if Path(target).name == name:
            raise error
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    _fails(tmp_path, previous, f"error: {{out}}/{name}: cannot write: {error.strerror}")


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_result_that_cannot_be_created(
    tmp_path: Path, previous: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A read-only folder: creating a temporary file fails (simulated, as above)."""
    real_mkstemp = files.tempfile.mkstemp

    def mkstemp(**kwargs: Any) -> tuple[int, str]:
        if kwargs["prefix"].startswith(f".{name}."):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_mkstemp(**kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    _fails(tmp_path, previous, f"error: {{out}}/{name}: cannot write: Permission denied")


# -- a full disk --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_full_disk(
    tmp_path: Path, previous: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """The result's temporary file is really on a full device (/dev/full): writing it fails
    with ENOSPC, mid-run for plans.jsonl (it is written as rows come), at the end for the
    others. The message names the file that could not be written."""
    real_mkstemp = files.tempfile.mkstemp

    def mkstemp(**kwargs: Any) -> tuple[int, str]:
        fd, temporary = real_mkstemp(**kwargs)
        if not kwargs["prefix"].startswith(f".{name}."):
            return fd, temporary
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), temporary

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    result = _fails(
        tmp_path, previous, f"error: {{out}}/{name}: cannot write: No space left on device", rows=300
    )
    assert result.stderr.count("error:") == 1, result.stderr


def test_a_full_temporary_folder(
    tmp_path: Path, previous: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary spools ids to a temporary database; when it cannot grow (a full temporary
    folder: simulated with SQLite's own page limit), that is a clear error, not a bug report.
    Regression: it was "internal error: OperationalError: database or disk is full"."""
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)
        connection.execute("PRAGMA max_page_count = 3")
        return connection

    monkeypatch.setattr(batch_counting.sqlite3, "connect", connect)
    result = _fails(
        tmp_path,
        previous,
        "error: cannot keep the summary's records in a temporary file: database or disk is full",
        rows=600,
    )
    assert "set TMPDIR to a folder with more space" in result.stderr


# -- a bug that hits one row --------------------------------------------------------------------


def _validate(real: Any) -> Any:
    def validate(self: Questionnaire, raw: Any, **kwargs: Any) -> Any:
        if raw.get("role") == "boom":
            raise KeyError("boom")
        return real(self, raw, **kwargs)

    return validate


def _plan(real: Any) -> Any:
    def plan(self: Bounceback, answers: Any, **kwargs: Any) -> Any:
        if answers.get("role") == "boom":
            raise RuntimeError("boom \udce9")  # an exception's text need not be valid Unicode
        return real(self, answers, **kwargs)

    return plan


def _to_dict(real: Any) -> Any:
    def to_dict(self: Plan) -> Any:
        data = real(self)
        if self.answers.get("role") == "boom":  # e.g. a plugin put a set into the plan
            data["signals"]["odd"] = {"boom"}
        return data

    return to_dict


PATCHES = {
    "validate": (Questionnaire, "validate", _validate),
    "plan": (Bounceback, "plan", _plan),
    "to_dict": (Plan, "to_dict", _to_dict),
}


@pytest.fixture(scope="module")
def boom_cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with cohort.csv, 600 rows whose row 300 has the role "boom", and clean/, the
    results of a run of it without any bug (once for the module: the tests only read them)."""
    folder = tmp_path_factory.mktemp("boom")
    rows = cohort(600)
    rows[299]["role"] = "boom"  # in the second chunk
    path = write_csv(folder / "cohort.csv", rows)
    assert invoke(str(path), "--out", str(folder / "clean"), "--jobs", "1").exit_code == 0
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("where", PATCHES)
def test_a_bug_on_one_row_costs_that_row_only(
    tmp_path: Path, boom_cohort: Path, monkeypatch: pytest.MonkeyPatch, where: str, jobs: int
) -> None:
    """Wherever a row's planning raises (validating, planning, encoding the plan), in this
    process or in a worker, that row is an error record with code ``internal``, every other
    row gets exactly the plan it gets without the bug, and the exit status is 1 (docs/cohort.md).
    Regression: only a failing plan was caught; the others stopped the whole run."""
    if jobs > 1 and multiprocessing.get_start_method() != "fork":
        pytest.skip("workers see the patch only when forked")
    owner, name, patch = PATCHES[where]
    monkeypatch.setattr(owner, name, patch(getattr(owner, name)))
    result = invoke(str(boom_cohort / "cohort.csv"), "--out", str(tmp_path / "out"), "--jobs", str(jobs))
    assert_clear_error(result, "internal error: rows that hit a bug: 1", code=1)
    clean_plans = (boom_cohort / "clean" / "plans.jsonl").read_text().splitlines(keepends=True)
    assert (tmp_path / "out" / "plans.jsonl").read_text() == "".join(
        line for line in clean_plans if '"row":300,' not in line
    )
    errors = {e["row"]: e for e in read_jsonl(tmp_path / "out" / "errors.jsonl")}
    assert errors.keys() == {e["row"] for e in read_jsonl(boom_cohort / "clean" / "errors.jsonl")} | {300}
    [problem] = errors[300]["errors"]
    assert problem["code"] == "internal" and "please report it" in problem["message"]
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "internal error" in summary
