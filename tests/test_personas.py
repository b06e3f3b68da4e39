"""The example personas of ../shared/personas and ../shared/personas-v2: each default plan
meets its expectations.

A persona that fails today because another issue has not landed yet is marked ``xfail`` with
``strict=True``: once it passes, the test fails until its marker is removed from ``PENDING``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bounceback.api import Bounceback
from bounceback.testing import Persona, assert_persona, read_personas, run_persona
from conftest import PERSONAS, PERSONAS_V2, shared

#: Personas whose plans need work that other issues are doing: "folder/name" → what fails.
PENDING: dict[str, str] = {}


def personas(folder: Path) -> list[Persona]:
    return read_personas(folder) if folder.is_dir() else []


def cases() -> list[object]:
    found = []
    for folder in (PERSONAS, PERSONAS_V2):
        for persona in personas(folder):
            key = f"{folder.name}/{persona.name}"
            marks = [pytest.mark.xfail(strict=True, reason=PENDING[key])] if key in PENDING else []
            found.append(pytest.param(persona, id=key, marks=marks))
    return found


@pytest.mark.parametrize("persona", cases())
def test_persona_expectations(app: Bounceback, persona: Persona) -> None:
    assert_persona(persona, app)


def test_pending_names_real_personas() -> None:
    """A renamed or removed persona cannot leave a stale marker behind."""
    shared(PERSONAS), shared(PERSONAS_V2)
    known = {f"{f.name}/{p.name}" for f in (PERSONAS, PERSONAS_V2) for p in personas(f)}
    assert set(PENDING) <= known


def test_plans_differ_across_personas(app: Bounceback) -> None:
    found = personas(shared(PERSONAS)) + personas(shared(PERSONAS_V2))
    plans = {tuple(s.id for s in run_persona(p, app).plan.steps) for p in found}  # type: ignore[union-attr]
    assert len(plans) == len(found)


def test_a_persona_can_fail(app: Bounceback) -> None:
    found = personas(shared(PERSONAS))
    impossible = Persona(
        found[0].name,
        found[0].answers_path,
        found[0].expect_path,
        {"plan_topics_all": ["network"], "plan_topics_none": ["network"]},
    )
    assert not run_persona(impossible, app).passed
