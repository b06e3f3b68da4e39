"""Shared fixtures: the built-in app (no installed third-party plugins), paths to personas."""

from __future__ import annotations

from pathlib import Path

import pytest

from bounceback.api import Bounceback, load

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = ROOT.parent / "shared" / "personas"
PERSONAS_V2 = ROOT.parent / "shared" / "personas-v2"
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _no_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed third-party plugins never leak into the test run."""
    monkeypatch.setenv("BOUNCEBACK_PLUGINS", "")


@pytest.fixture(scope="session")
def app() -> Bounceback:
    """The built-in plugins and packs, loaded once."""
    return load(entry_points=False)
