"""The JSON Schema of pack files, generated from the field tables of :mod:`.fields`.

Editors that read JSON Schema for TOML (taplo, Even Better TOML) use it for completion, hover
help and checks as you type: a pack file whose first line is ``#:schema ./pack-schema.json``
uses the schema file beside it. ``bounceback packs schema`` prints it; the copy in
``docs/pack-schema.json`` is regenerated from the same tables. It is JSON Schema draft-07
(what taplo reads). The schema checks structure and words; ``bounceback packs validate`` checks
everything else (names in expressions, references between rules, texts).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import format as f
from .format import Field

DRAFT = "http://json-schema.org/draft-07/schema#"
#: Non-empty text, as the reader wants it (something besides spaces).
NON_EMPTY = {"type": "string", "pattern": r"\S"}


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a pack file."""
    variant = _entry(f.VARIANT, "A wording shown when its 'when' holds.")
    wording = {
        "anyOf": [
            NON_EMPTY,
            {"$ref": "#/definitions/variant"},
            {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/variant"}},
        ]
    }
    return {
        "$schema": DRAFT,
        "title": "bounceback content pack",
        "description": "A TOML pack of questions, signals and rules for bounceback "
        "(docs/pack-authoring.md). `bounceback packs validate` checks the rest.",
        "type": "object",
        "required": ["pack"],
        "additionalProperties": False,
        "properties": {
            "pack": _entry(f.PACK, "The pack's id, name and version."),
            "questions": _array("question", "Questions this pack adds to the questionnaire ([[questions]])."),
            "checks": _array("check", "Answers that contradict each other ([[checks]])."),
            "signals": {
                "type": "object",
                "description": 'Named values in [0, 1] computed from the answers: name = "expression".',
                "propertyNames": {"pattern": f.NAME_ID.pattern},
                "additionalProperties": {"type": "string"},
            },
            "rules": _array("rule", "The steps a plan can recommend ([[rules]])."),
            "templates": _named("template", "Drafts, [templates.NAME]."),
            "capacity": _array("capacity", "How many further steps a person can take on ([[capacity]])."),
            "mix": _array("mix", "Topics a plan should hold at least some steps of ([[mix]])."),
            "tables": _named("table", "Lookup tables, [tables.NAME]."),
        },
        "definitions": {
            "question": _entry(f.QUESTION, "A question of the questionnaire."),
            "check": _entry(f.CHECK, "A consistency check between answers."),
            "rule": _entry(f.RULE, "One piece of advice and when it is recommended."),
            "template": _entry(f.TEMPLATE, "A draft filled from the answers."),
            "capacity": _entry(f.CAPACITY, "A capacity statement."),
            "mix": _entry(f.MIX, "An evidence-mix statement."),
            "table": _entry(f.TABLE, "A lookup table keyed by a choice question."),
            "variant": variant,
            "wording": wording,
            "action_variant": _entry(f.ACTION_VARIANT, "An action's wording, shown when its 'when' holds."),
            "action": {
                "anyOf": [
                    NON_EMPTY,
                    {"$ref": "#/definitions/action_variant"},
                    {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/action_variant"}},
                ]
            },
        },
    }


def schema_json() -> str:
    """The schema as the JSON text published in ``docs/pack-schema.json``."""
    return json.dumps(pack_schema(), indent=2, ensure_ascii=False) + "\n"


def _array(definition: str, description: str) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": {"$ref": f"#/definitions/{definition}"}}


def _named(definition: str, description: str) -> dict[str, Any]:
    """A table of named entries, ``[KIND.NAME]``, each one a ``definition``."""
    return {
        "type": "object",
        "description": description,
        "propertyNames": {"pattern": f.NAME_ID.pattern},
        "additionalProperties": {"$ref": f"#/definitions/{definition}"},
    }


def _entry(table: Mapping[str, Field], description: str) -> dict[str, Any]:
    """An object with the fields of ``table``, nothing else."""
    required = [name for name, field in table.items() if field.required]
    entry: dict[str, Any] = {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "properties": {name: field_schema(field) for name, field in table.items()},
    }
    if required:
        entry["required"] = required
    return entry


def field_schema(field: Field) -> dict[str, Any]:
    """The JSON Schema of one field's value."""
    text = {"type": "string", "pattern": field.pattern.pattern} if field.pattern else dict(NON_EMPTY)
    kinds: dict[str, dict[str, Any]] = {
        "text": text,
        "word": {"type": "string", "enum": list(field.choices)},
        "number": {"type": "number"},
        "count": {"type": "integer", "minimum": 0 if field.low is None else int(field.low)},
        "bool": {"type": "boolean"},
        "texts": {"type": "array", "items": text},
        "wording": {"$ref": "#/definitions/wording"},
        "actions": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/action"}},
        "table": {"type": "object", "additionalProperties": NON_EMPTY},
        "entries": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["source", "checked"],
                "properties": {
                    "source": {"type": "string", "pattern": "^https?://"},
                    "checked": {"type": "string", "format": "date"},
                },
                "additionalProperties": NON_EMPTY,
            },
        },
    }
    schema = dict(kinds[field.kind])
    if field.low is not None:
        schema["minimum"] = field.low
    if field.high is not None:
        schema["maximum"] = field.high
    if field.examples:
        schema["examples"] = list(field.examples)
    if "$ref" in schema:  # draft-07 ignores a $ref's siblings: wrap it to keep the description
        return {"allOf": [schema], "description": field.help}
    return {**schema, "description": field.help}
