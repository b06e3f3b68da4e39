"""Atomic writes: whole files or nothing, with ordinary permissions."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from bounceback import files
from bounceback.errors import BouncebackError
from bounceback.files import atomic_writer, atomic_writers, write_text


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
    with pytest.raises(BouncebackError, match="the folder does not exist"):
        write_text(tmp_path / "nope" / "plan.txt", "x")


# -- files that belong together -----------------------------------------------------------------


def _group(folder: Path) -> list[Path]:
    """Three targets: two with earlier content, the middle one new."""
    (folder / "a.txt").write_text("old a")
    (folder / "c.txt").write_text("old c")
    return [folder / "a.txt", folder / "b.txt", folder / "c.txt"]


def _write(targets: list[Path]) -> None:
    with atomic_writers(targets) as handles:
        for target, handle in zip(targets, handles):
            handle.write(f"new {target.stem}")


def test_files_written_together_are_all_renamed(tmp_path: Path) -> None:
    targets = _group(tmp_path)
    _write(targets)
    assert [t.read_text() for t in targets] == ["new a", "new b", "new c"]
    assert sorted(tmp_path.iterdir()) == targets


@pytest.mark.parametrize("error", [OSError(errno.EXDEV, "Invalid cross-device link"), KeyboardInterrupt()])
def test_when_one_rename_fails_none_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    """The last rename fails (or Ctrl-C comes then): the files renamed before it get their
    previous content back, and the one that did not exist is removed."""
    targets = _group(tmp_path)
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        if Path(target).name == "c.txt":
            raise error
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    with pytest.raises(BouncebackError if isinstance(error, OSError) else KeyboardInterrupt) as caught:
        _write(targets)
    if isinstance(error, OSError):
        assert str(caught.value) == f"{targets[2]}: cannot write: Invalid cross-device link"
    assert (targets[0].read_text(), targets[1].exists(), targets[2].read_text()) == ("old a", False, "old c")
    assert sorted(tmp_path.iterdir()) == [targets[0], targets[2]]


def test_without_hard_links_files_are_still_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Some file systems (FAT) have no hard links: the files are written, only without a way back."""

    def link(*args: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", link)
    targets = _group(tmp_path)
    _write(targets)
    assert [t.read_text() for t in targets] == ["new a", "new b", "new c"]
    assert sorted(tmp_path.iterdir()) == targets


def test_a_write_error_names_its_file(tmp_path: Path) -> None:
    """With several files open, a full disk is reported for the file being written."""
    targets = _group(tmp_path)
    with pytest.raises(BouncebackError) as caught, atomic_writers(targets) as handles:
        handles[1].write("fine")
        os.close(handles[2].fileno())
        handles[2].write("x" * 100_000)  # more than the buffer: written now, to a closed descriptor
    assert str(caught.value) == f"{targets[2]}: cannot write: Bad file descriptor"
    assert sorted(tmp_path.iterdir()) == [targets[0], targets[2]]


def test_a_file_system_without_modes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod can fail where files have no modes (FAT): the file is written all the same."""

    def chmod(*args: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "chmod", chmod)
    write_text(tmp_path / "plan.txt", "hello\n")
    assert (tmp_path / "plan.txt").read_text() == "hello\n"
    assert list(tmp_path.iterdir()) == [tmp_path / "plan.txt"]
