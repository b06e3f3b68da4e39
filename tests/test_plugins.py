"""Plugins: built-ins, entry points, folders, fault isolation, strict mode, listing."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from types import SimpleNamespace

import attrs
import pytest
from click.testing import CliRunner

from bounceback import hookimpl
from bounceback.api import load
from bounceback.cli import cli
from bounceback.errors import PluginError
from bounceback.render import Renderer
from helpers import MINIMAL, fake_entry_points, write_pack


class Boom:
    """A plugin whose hooks all raise."""

    @hookimpl
    def bounceback_packs(self):
        raise RuntimeError("packs exploded")

    @hookimpl
    def bounceback_signals(self):
        raise RuntimeError("signals exploded")

    @hookimpl
    def bounceback_renderers(self):
        raise RuntimeError("renderers exploded")

    @hookimpl
    def bounceback_adjust_plan(self, plan, situation):
        raise RuntimeError("adjust exploded")


class Helpful:
    """A plugin adding a signal, a rule that reads it, a renderer and a plan adjustment."""

    def __init__(self, folder: Path):
        self.folder = folder

    @hookimpl
    def bounceback_packs(self):
        return [self.folder]

    @hookimpl
    def bounceback_signals(self):
        return {"calm": lambda answers: 1 - (answers["anxiety"] - 1) / 4}

    @hookimpl
    def bounceback_renderers(self):
        return {
            "count": Renderer("count", "number of steps", ".txt", lambda plan, opts: f"{len(plan.steps)}\n")
        }

    @hookimpl
    def bounceback_adjust_plan(self, plan, situation):
        return attrs.evolve(plan, steps=plan.steps[:3])


def test_a_failing_plugin_is_skipped_and_named() -> None:
    app = load(entry_points=False, extra_plugins=[("boom", Boom())])
    plan = app.plan(MINIMAL)
    assert plan.steps  # the built-in plan still works
    hooks = {(p.name, p.hook) for p in plan.skipped_plugins}
    assert hooks == {
        ("boom", "bounceback_packs"),
        ("boom", "bounceback_signals"),
        ("boom", "bounceback_renderers"),
        ("boom", "bounceback_adjust_plan"),
    }
    assert plan.to_dict()["skipped_plugins"][0]["error"].startswith("RuntimeError: ")


def test_strict_makes_a_failing_plugin_fatal() -> None:
    with pytest.raises(PluginError, match="plugin boom: plugin failed in bounceback_packs: RuntimeError"):
        load(entry_points=False, strict=True, extra_plugins=[("boom", Boom())])


def test_every_hook_works_for_a_plugin(tmp_path: Path) -> None:
    write_pack(
        tmp_path / "p",
        """
        [pack]
        id = "calmness"
        name = "Calm"
        version = "2.0"

        [[rules]]
        id = "enjoy"
        category = "mindset"
        title = "Enjoy the calm"
        why = "You feel calm."
        when = "calm > 0.7"
        weight = 1.0
        timeframe = "today"
        effort = "low"
        actions = ["Breathe"]
    """,
    )
    app = load(entry_points=False, extra_plugins=[("helpful", Helpful(tmp_path / "p"))])
    calm = app.plan(dict(MINIMAL, anxiety=1))
    assert calm.steps[0].id == "calmness.enjoy"
    assert len(calm.steps) == 3
    assert calm.signals["calm"] == 1.0
    assert "calmness.enjoy" not in [s.id for s in app.plan(dict(MINIMAL, anxiety=5)).steps]
    assert app.render(calm, "count") == "3\n"


def test_a_broken_third_party_pack_never_breaks_the_built_in_plan(tmp_path: Path) -> None:
    write_pack(tmp_path / "bad", '[pack]\nid = "bad"\nname = "B"\nversion = "1"\n[[rules]]\nid = "x"\n')
    write_pack(
        tmp_path / "bad2",
        """
        [pack]
        id = "bad2"
        name = "B"
        version = "1"
        [[rules]]
        id = "x"
        category = "mindset"
        title = "t"
        why = "w"
        when = "no_such_answer > 1"
        weight = 1
        timeframe = "today"
        effort = "low"
        actions = ["a"]
    """,
    )
    app = load(packs=[tmp_path / "bad", tmp_path / "bad2"], entry_points=False)
    assert {p.id for p in app.packs}.isdisjoint({"bad", "bad2"})
    errors = " ".join(s.error for s in app.skipped)
    assert "missing required field 'category'" in errors and "unknown name 'no_such_answer'" in errors
    assert app.plan(MINIMAL).steps


def test_packs_load_in_registration_order_and_a_clash_blames_the_newcomer(tmp_path: Path) -> None:
    write_pack(
        tmp_path / "p",
        """
        [pack]
        id = "clash"
        name = "Clash"
        version = "1"

        [[questions]]
        id = "anxiety"
        prompt = "Again?"
        kind = "bool"
    """,
    )
    app = load(packs=[tmp_path / "p"], entry_points=False)
    assert [p.id for p in app.packs][:2] == ["base", "support"]
    assert "clash" not in {p.id for p in app.packs}
    assert "question id is already defined by pack 'base'" in app.skipped[0].error
    assert app.plan(MINIMAL).steps


def test_disable_a_built_in_plugin() -> None:
    app = load(entry_points=False, disable=["advice"])
    assert {p.id for p in app.packs} == {"base", "support", "helplines"}


def test_entry_points_and_the_allow_list(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, {"alpha": type("Alpha", (), {})(), "beta": type("Beta", (), {})()})
    monkeypatch.delenv("BOUNCEBACK_PLUGINS")
    assert {"alpha", "beta"} <= set(load().plugins.info)
    monkeypatch.setenv("BOUNCEBACK_PLUGINS", "beta")
    names = set(load().plugins.info)
    assert "beta" in names and "alpha" not in names
    monkeypatch.setenv("BOUNCEBACK_PLUGINS", "")
    assert {"alpha", "beta"}.isdisjoint(load().plugins.info)


def test_an_entry_point_that_fails_to_import(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken():
        raise ImportError("no module named shiny")

    eps = [SimpleNamespace(name="shiny", load=broken, dist=None)]
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: eps)
    monkeypatch.delenv("BOUNCEBACK_PLUGINS")
    app = load()
    assert [(s.name, s.hook) for s in app.skipped] == [("shiny", "load")]
    result = CliRunner().invoke(cli, ["plugins"])
    assert "warning: skipped plugin shiny (load): ImportError: no module named shiny" in result.output


def test_plugins_command_lists_everything() -> None:
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0
    assert result.output.startswith(
        "base 0.1.0  (built-in)\n    hooks: packs\n    pack base 1.0.0: 0 rules, 41 questions\n"
    )
    assert "renderers 0.1.0  (built-in)\n    hooks: renderers\n" in result.output
    data = __import__("json").loads(CliRunner().invoke(cli, ["plugins", "--format", "json"]).output)
    assert [p["name"] for p in data] == ["base", "safety", "advice", "renderers"]
    assert sum(pack["rules"] for p in data for pack in p["packs"]) >= 60
