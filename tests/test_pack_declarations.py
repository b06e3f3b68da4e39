"""What the core needs to know about content is declared by the packs that provide it, so a
third party can replace it: the distress signal, the questions naming the application and the
person (issue 17; docs/pack-authoring.md, [pack])."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from bounceback.api import Bounceback, load
from bounceback.batch import Row, plan_row
from bounceback.errors import PackError
from bounceback.render import context_line
from conftest import ROOT

JORDAN = tomllib.loads((ROOT / "examples" / "jordan.toml").read_text("utf-8"))


def write_pack(folder: Path, **pack: Any) -> Path:
    """A pack with a question ``employer``, a signal ``upset`` and the given ``[pack]`` fields."""
    data = {
        "pack": {"id": "declares", "name": "Declares", "version": "0.1.0", **pack},
        "questions": [{"id": "employer", "section": "context", "prompt": "Which employer?", "kind": "text"}],
        "signals": {"upset": "scale(anxiety, 1, 5)"},
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "declares.toml").write_text(tomli_w.dumps(data), "utf-8")
    return folder


def test_the_base_pack_declares_what_the_core_reads(app: Bounceback) -> None:
    ruleset = app.ruleset
    assert (ruleset.distress_signal, ruleset.application) == ("distress", ("role", "company"))
    assert "name" in ruleset.person


def test_a_later_pack_replaces_the_declarations(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p", distress_signal="upset", application=["role", "employer"], person=["employer"]
    )
    app = load(packs=[folder], entry_points=False)
    answers = {**JORDAN, "anxiety": 5, "employer": "Initech"}
    plan = app.plan(answers)
    assert context_line(plan) == f"After the {answers['role']} role at Initech"
    outcome = plan_row(app, Row(1, 2, "p1", answers))
    assert outcome.facts.distress == 1.0  # upset, not the base pack's distress


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"distress_signal": "upsett"}, "distress_signal 'upsett' is not a signal (did you mean 'upset'?)"),
        (
            {"application": ["role", "employr"]},
            "application: 'employr' is not a question (did you mean 'employer'?)",
        ),
        ({"person": "employer"}, "'person' must be a list of non-empty texts"),
    ],
)
def test_a_declaration_naming_nothing_is_a_clear_error(tmp_path: Path, fields: dict, problem: str) -> None:
    with pytest.raises(PackError) as caught:
        load(packs=[write_pack(tmp_path / "p", **fields)], entry_points=False, strict=True)
    assert problem in str(caught.value)
