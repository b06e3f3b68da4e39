"""Small builders shared by tests: pack files, answers, and the wording reviews' plan readers."""

from __future__ import annotations

import importlib.metadata
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import tomli_w

from conftest import PERSONAS


def write_pack(folder: Path, text: str, name: str = "extra.toml") -> Path:
    """Write dedented pack TOML ``text`` to ``folder/name``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid set of answers (the steady persona) with ``changes`` applied."""
    import tomllib

    base = (
        tomllib.loads((PERSONAS / "steady.answers.toml").read_text(encoding="utf-8"))
        if (PERSONAS / "steady.answers.toml").exists()
        else dict(MINIMAL)
    )
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


MINIMAL: dict[str, Any] = {
    "stage_reached": "interview",
    "days_since_rejection": 5,
    "disappointment": 3,
    "anger": 2,
    "anxiety": 2,
    "self_doubt": 2,
    "hopelessness": 1,
    "motivation": 3,
    "feedback_received": "none",
}


#: Every step that applies, so a wording is checked wherever the step ranks.
EVERY_STEP: dict[str, int] = {"top": 40, "per_category": 10}


def every_step(app: Any, **answers: Any) -> dict[str, Any]:
    """Rule id → step, for every step that applies to a minimal person with ``answers``."""
    return {s.id: s for s in app.plan({**MINIMAL, **answers}, **EVERY_STEP).steps}


def step_said(step: Any) -> str:
    """Everything a step says, its draft included, on one line."""
    draft = (step.draft.title, step.draft.body) if step.draft else ()
    return " ".join((step.title, step.why, *step.actions, *draft))


def all_said(app: Any, **answers: Any) -> str:
    """Everything every step that applies says (:func:`every_step`, :func:`step_said`)."""
    return " ".join(step_said(s) for s in every_step(app, **answers).values())


def write_answers(path: Path, data: dict[str, Any]) -> Path:
    """Write answers as TOML to ``path``."""
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def fake_entry_points(monkeypatch: pytest.MonkeyPatch, plugins: dict[str, object]) -> None:
    """Make ``plugins`` (name → plugin object) look installed under the ``bounceback`` group."""
    eps = [
        SimpleNamespace(name=name, load=(lambda p=p: p), dist=SimpleNamespace(version="9.9"))
        for name, p in plugins.items()
    ]

    def entry_points(group: str):
        return eps if group == "bounceback" else []

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
