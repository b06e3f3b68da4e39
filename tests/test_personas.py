"""The example personas of ../shared/personas: each default plan meets its expectations."""

from __future__ import annotations

import pytest

from bounceback.api import Bounceback
from bounceback.testing import Persona, assert_persona, read_personas, run_persona
from conftest import PERSONAS


def personas() -> list[Persona]:
    return read_personas(PERSONAS) if PERSONAS.is_dir() else []


@pytest.mark.parametrize("persona", personas(), ids=str)
def test_persona_expectations(app: Bounceback, persona: Persona) -> None:
    assert_persona(persona, app)


def test_plans_differ_across_personas(app: Bounceback) -> None:
    found = personas()
    if len(found) < 2:
        pytest.skip("personas folder not available")
    plans = {tuple(s.id for s in assert_persona(p, app).steps) for p in found}
    assert len(plans) == len(found)


def test_a_persona_can_fail(app: Bounceback) -> None:
    found = personas()
    if not found:
        pytest.skip("personas folder not available")
    impossible = Persona(found[0].name, found[0].answers_path, found[0].expect_path,
                         {"plan_topics_all": ["network"], "plan_topics_none": ["network"]})
    assert not run_persona(impossible, app).passed
