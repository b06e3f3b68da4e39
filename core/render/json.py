"""The JSON plan contract (schema 1, documented in docs/json.md)."""

from __future__ import annotations

import json

from ..results import Plan
from ..safetext import escape_for_json
from . import RenderOptions


def dumps(data: object) -> str:
    """Deterministic, readable JSON with a final newline; control characters are escaped
    (``\\u001b``), so printing it cannot drive a terminal."""
    return escape_for_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def render(plan: Plan, options: RenderOptions) -> str:
    """The plan as JSON (``reasons`` are always included)."""
    return dumps(plan.to_dict())
