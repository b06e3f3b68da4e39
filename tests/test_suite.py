"""The suite itself: with ``CI=true`` it runs whole or fails, never silently smaller."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED_NEEDED, shared


@pytest.mark.parametrize("path", SHARED_NEEDED, ids=lambda path: path.name)
def test_the_shared_files_are_beside_the_repository(path: Path) -> None:
    """The personas and ADVICE.md of ../shared: skipped without them, a failure in CI."""
    assert shared(path).exists()


def test_a_missing_shared_file_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not available"):
        shared(tmp_path / "nope")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="not available"):
        shared(tmp_path / "nope")
