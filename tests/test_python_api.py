"""docs/python-api.md stays true: its examples run, and it names every public member of the app."""

from __future__ import annotations

import re

import pytest

from bounceback.api import Bounceback
from conftest import ROOT

DOC = ROOT / "docs" / "python-api.md"


def examples() -> list[str]:
    """The ```python blocks of the page, in order."""
    return re.findall(r"^```python\n(.*?)^```$", DOC.read_text("utf-8"), re.M | re.S)


def test_the_examples_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = examples()
    assert len(blocks) >= 6
    monkeypatch.chdir(ROOT)  # the examples use the repository's files
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"{DOC.name}, example {number}", "exec"), namespace)


def test_every_public_member_of_the_app_is_documented(app: Bounceback) -> None:
    text = DOC.read_text("utf-8")
    public = {name for name in dir(app) if not name.startswith("_")}
    assert public, "the app has public members"
    assert sorted(name for name in public if f"app.{name}" not in text) == []
