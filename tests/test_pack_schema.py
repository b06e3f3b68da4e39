"""The JSON Schema of pack files: generated from the reader's field tables, published in docs,
and every built-in pack (and the scaffold's) valid against it.

The schema is checked with jsonschema, the reference implementation of JSON Schema in Python
(dev extra), so the test proves it is a working draft-07 schema and not only our reading of one.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner

from bounceback.authoring.plugin_names import Names
from bounceback.authoring.scaffold_pack import pack_toml
from bounceback.cli import cli
from bounceback.errors import PackError
from bounceback.packs import format as fields
from bounceback.packs import parse_pack
from bounceback.packs.schema import pack_schema, schema_json
from bounceback.plugins import PACKS_DIR

# In the dev extra; a venv made before it was added skips these tests until reinstalled.
jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "pack-schema.json"
VALIDATOR = jsonschema.Draft7Validator(pack_schema())


def as_json(value: Any) -> Any:
    """TOML data as editors hand it to a JSON Schema: dates become ISO text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def errors(data: dict[str, Any]) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(as_json(data))
    )


def test_the_schema_is_a_valid_draft_07_schema() -> None:
    jsonschema.Draft7Validator.check_schema(pack_schema())


def test_the_published_schema_is_regenerated() -> None:
    assert DOC.read_text(encoding="utf-8") == schema_json(), (
        "docs/pack-schema.json is stale: bounceback packs schema -o docs/pack-schema.json"
    )


def test_packs_schema_prints_it(tmp_path: Path) -> None:
    assert json.loads(CliRunner().invoke(cli, ["packs", "schema"]).output) == pack_schema()
    result = CliRunner().invoke(cli, ["packs", "schema", "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == schema_json()


@pytest.mark.parametrize("path", sorted(PACKS_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_every_built_in_pack_is_valid_against_the_schema(path: Path) -> None:
    assert errors(tomllib.loads(path.read_text(encoding="utf-8"))) == []


def test_the_scaffolded_pack_is_valid_against_it_and_points_at_it() -> None:
    text = pack_toml(Names.from_name("graduates"))
    assert text.splitlines()[0] == "#:schema ./pack-schema.json"
    assert errors(tomllib.loads(text)) == []


def minimal_rule(**changes: Any) -> dict[str, Any]:
    rule = {
        "id": "r",
        "category": "skills",
        "title": "T",
        "why": "W",
        "weight": 0.5,
        "timeframe": "today",
        "effort": "low",
        "actions": ["A"],
    }
    rule.update(changes)
    return {k: v for k, v in rule.items() if v is not None}


def pack(**rule: Any) -> dict[str, Any]:
    return {"pack": {"id": "p", "name": "P", "version": "1"}, "rules": [minimal_rule(**rule)]}


@pytest.mark.parametrize(
    "change, where",
    [
        ({"timeframe": "this-weak"}, "rules/0/timeframe"),
        ({"weight": 1.5}, "rules/0/weight"),
        ({"colour": "red"}, "rules/0"),
        ({"actions": []}, "rules/0/actions"),
        ({"why": [{"when": "x", "txt": "y"}]}, "rules/0/why"),
        ({"id": "Bad Id"}, "rules/0/id"),
    ],
)
def test_the_schema_catches_what_the_reader_refuses(change: dict[str, Any], where: str) -> None:
    data = pack(**change)
    found = errors(data)
    assert found and all(e.startswith(where) for e in found), found
    with pytest.raises(PackError):
        parse_pack(tomli_w.dumps(data))


@pytest.mark.parametrize(
    "table, entry",
    [
        (fields.RULE, "rules"),
        (fields.QUESTION, "questions"),
        (fields.CHECK, "checks"),
        (fields.CAPACITY, "capacity"),
    ],
)
def test_the_reader_requires_exactly_the_fields_the_tables_mark_required(
    table: dict[str, Any], entry: str
) -> None:
    """One source of truth: removing a field the table marks required is refused by the reader
    (and the schema), removing any other is not."""
    base = {
        "rules": minimal_rule(),
        "questions": {"id": "p_q", "prompt": "Q?", "kind": "bool"},
        "checks": {"id": "c", "when": "anxiety > 4 and motivation > 4", "message": "M"},
        "capacity": {"id": "c", "when": "motivation <= 1", "steps": 3},
    }[entry]
    for name in base:
        data = {
            "pack": {"id": "p", "name": "P", "version": "1"},
            entry: [{k: v for k, v in base.items() if k != name}],
        }
        try:
            parse_pack(tomli_w.dumps(data))
            refused = False
        except PackError as exc:
            refused = any(f"missing required field {name!r}" in p.message for p in exc.problems)
        assert refused == table[name].required, name
        assert bool(errors(data)) == table[name].required, name
