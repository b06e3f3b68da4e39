"""Testing packs with example personas: the stable public module pack authors import.

The implementation is :mod:`bounceback.authoring.testing` (see there for the persona files),
with :mod:`~bounceback.authoring.personas`, :mod:`~bounceback.authoring.expectations` and
:mod:`~bounceback.authoring.snapshots`;
this module keeps the names pack authors' suites use::

    from bounceback.testing import assert_persona, load_for_test, read_personas
"""

from __future__ import annotations

from .authoring.expectations import check_expectations, expectation_problems, step_texts, unknown_ids
from .authoring.personas import Persona, read_expectations, read_personas
from .authoring.snapshots import snapshot_diff, snapshot_text
from .authoring.testing import (
    PersonaResult,
    assert_pack_valid,
    assert_persona,
    describe_failure,
    load_for_test,
    run_persona,
    run_personas,
)

__all__ = [
    "Persona",
    "PersonaResult",
    "assert_pack_valid",
    "assert_persona",
    "check_expectations",
    "describe_failure",
    "expectation_problems",
    "load_for_test",
    "read_expectations",
    "read_personas",
    "run_persona",
    "run_personas",
    "snapshot_diff",
    "snapshot_text",
    "step_texts",
    "unknown_ids",
]
