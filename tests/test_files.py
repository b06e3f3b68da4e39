"""Atomic writes: whole files or nothing, with ordinary permissions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bounceback.errors import BouncebackError
from bounceback.files import atomic_writer, write_text


def test_new_files_get_ordinary_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "plan.txt", "hello\n")
    finally:
        os.umask(old)
    assert (tmp_path / "plan.txt").stat().st_mode & 0o777 == 0o644


def test_replacing_keeps_the_existing_permissions(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("old")
    target.chmod(0o600)
    write_text(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BouncebackError, match="cannot write: No such file or directory"):
        write_text(tmp_path / "nope" / "plan.txt", "x")
