"""Hook calling: pluggy's semantics (order, argument subsets, wrappers, monitoring, tracing) with
one fault-isolation path (any exception or SystemExit skips the plugin by name; ``--strict``
makes it fatal), and no plugin quietly replacing what another provides."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import attrs
import pytest

from bounceback import hookimpl
from bounceback.api import Bounceback, load
from bounceback.errors import PluginError
from bounceback.render import Renderer
from bounceback.results import Plan
from conftest import EXAMPLES, ROOT
from hardening import assert_clear_error, rule_pack, run
from helpers import MINIMAL, fake_entry_points, write_pack

EXAMPLE = str(EXAMPLES / "jordan.toml")
HOOKS = ("bounceback_packs", "bounceback_signals", "bounceback_renderers", "bounceback_adjust_plan")


def marker(name: str, log: list[str], **options: bool) -> tuple[str, object]:
    """A plugin ``name`` whose plan adjustment (taking only ``plan``) notes that it ran."""

    class Marker:
        @hookimpl(**options)
        def bounceback_adjust_plan(self, plan: Plan) -> None:
            log.append(name)

    return name, Marker()


class Fails:
    """A plugin whose ``hook`` raises ``error`` (the others work, or provide nothing)."""

    def __init__(self, hook: str, error: BaseException):
        self.hook, self.error = hook, error

    def _fail(self, hook: str) -> None:
        if hook == self.hook:
            raise self.error

    @hookimpl
    def bounceback_packs(self) -> None:
        self._fail("bounceback_packs")

    @hookimpl
    def bounceback_signals(self) -> None:
        self._fail("bounceback_signals")

    @hookimpl
    def bounceback_renderers(self) -> None:
        self._fail("bounceback_renderers")

    @hookimpl
    def bounceback_adjust_plan(self) -> None:
        self._fail("bounceback_adjust_plan")


class Signal:
    """A plugin providing the signal ``name`` computed by ``function``."""

    def __init__(self, function: Any, name: str = "probe_calm"):
        self.function, self.name = function, name

    @hookimpl
    def bounceback_signals(self) -> dict[str, Any]:
        return {self.name: self.function}


class Formats:
    """A plugin providing renderers under these format names."""

    def __init__(self, *names: str):
        self.names = names

    @hookimpl
    def bounceback_renderers(self) -> dict[str, Renderer]:
        return {
            name: Renderer(name, "steps", ".txt", lambda plan, options: f"{len(plan.steps)}\n")
            for name in self.names
        }


def _exit(answers: Any) -> float:
    raise SystemExit(3)


# -- pluggy's semantics -----------------------------------------------------------------------


def test_plugins_run_in_pluggy_order_with_a_subset_of_the_arguments() -> None:
    """tryfirst first, trylast last, otherwise the plugin registered last first: exactly the
    order pluggy itself calls them in. Regression: tryfirst ran last, and an implementation
    naming fewer arguments than the spec was skipped with a TypeError."""
    log: list[str] = []
    app = load(
        entry_points=False,
        extra_plugins=[
            marker("a", log),
            marker("first", log, tryfirst=True),
            marker("b", log),
            marker("last", log, trylast=True),
        ],
    )
    plan = app.plan(MINIMAL)
    assert log == ["first", "b", "a", "last"]
    assert plan.skipped_plugins == ()
    log.clear()
    app.plugins.pm.hook.bounceback_adjust_plan(plan=plan, situation=app.situation(MINIMAL))
    assert log == ["first", "b", "a", "last"]


def test_each_adjustment_receives_the_plan_the_previous_one_made(app: Bounceback) -> None:
    class Drop:
        @hookimpl
        def bounceback_adjust_plan(self, plan: Plan) -> Plan:
            return attrs.evolve(plan, steps=plan.steps[1:])

    full = app.plan(MINIMAL)
    dropping = load(entry_points=False, extra_plugins=[("one", Drop()), ("two", Drop())])
    assert dropping.plan(MINIMAL).steps == full.steps[2:]


def test_a_wrapper_wraps_every_plugins_part_and_may_change_it() -> None:
    class Shout:
        @hookimpl(wrapper=True)
        def bounceback_renderers(self) -> Any:
            results = yield
            return [{name.upper(): renderer for name, renderer in offered.items()} for offered in results]

    app = load(entry_points=False, extra_plugins=[("count", Formats("count")), ("shout", Shout())])
    assert {"TEXT", "JSON", "COUNT"} <= set(app.renderers) and "text" not in app.renderers
    assert app.skipped == ()


def test_a_failing_wrapper_is_the_plugin_named() -> None:
    log: list[str] = []

    class Broken:
        @hookimpl(wrapper=True)
        def bounceback_adjust_plan(self) -> Any:
            yield
            raise RuntimeError("wrapper broke")

    app = load(entry_points=False, extra_plugins=[marker("plain", log), ("broken", Broken())])
    plan = app.plan(MINIMAL)
    assert log == ["plain"] and plan.steps
    assert [(s.name, s.hook, s.error) for s in plan.skipped_plugins] == [
        ("broken", "bounceback_adjust_plan", "RuntimeError: wrapper broke")
    ]


def test_hook_calls_are_seen_by_pluggy_monitoring() -> None:
    log: list[str] = []
    app = load(entry_points=False, extra_plugins=[marker("a", log), marker("b", log)])
    seen: list[tuple[str, list[str]]] = []
    undo = app.plugins.pm.add_hookcall_monitoring(
        lambda hook, impls, kwargs: seen.append((hook, [i.plugin_name for i in impls])),
        lambda outcome, hook, impls, kwargs: None,
    )
    try:
        app.plan(MINIMAL)
    finally:
        undo()
    assert seen == [("bounceback_adjust_plan", ["b"]), ("bounceback_adjust_plan", ["a"])]


def test_trace_prints_each_plugins_part_of_each_hook_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """As docs/hooks.md says (it said "every hook call"). Regression: nothing was printed."""
    log: list[str] = []
    monkeypatch.delenv("BOUNCEBACK_PLUGINS")
    fake_entry_points(monkeypatch, dict([marker("tracked", log)]))
    monkeypatch.setenv("BOUNCEBACK_TRACE_PLUGINS", "1")
    result = run("plan", EXAMPLE)
    assert result.exit_code == 0, result.output
    for hook in (
        "bounceback_packs",
        "bounceback_renderers",
        "bounceback_adjust_plan",
    ):  # the ones implemented
        assert f"{hook} [hook]" in result.stderr and f"finish {hook} -->" in result.stderr
    assert result.stderr.count("bounceback_packs [hook]") == 3  # base, safety, advice
    assert "bounceback_packs of base [plugin]\n" in result.stderr
    assert "bounceback_adjust_plan of tracked [plugin]\n" in result.stderr
    assert log == ["tracked"] and "[hook]" not in result.stdout
    assert "bounceback_signals" not in result.stderr  # implemented by none of these plugins
    docs = " ".join((ROOT / "docs" / "hooks.md").read_text("utf-8").split())
    assert "a hook that no loaded plugin implements is never called and does not appear" in docs


# -- one fault-isolation path -----------------------------------------------------------------


@pytest.mark.parametrize("hook", HOOKS)
def test_a_plugin_calling_sys_exit_is_skipped_by_name(hook: str) -> None:
    """Regression: a plugin raising SystemExit ended the whole run with no output."""
    app = load(entry_points=False, extra_plugins=[("quits", Fails(hook, SystemExit(3)))])
    plan = app.plan(MINIMAL)
    assert plan.steps
    assert [(s.name, s.hook, s.error) for s in plan.skipped_plugins] == [("quits", hook, "SystemExit: 3")]


@pytest.mark.parametrize("hook", ["bounceback_packs", "bounceback_adjust_plan"])
def test_ctrl_c_in_a_plugin_is_not_a_plugin_failure(hook: str) -> None:
    with pytest.raises(KeyboardInterrupt):
        load(entry_points=False, extra_plugins=[("ctrl-c", Fails(hook, KeyboardInterrupt()))]).plan(MINIMAL)


def test_an_entry_point_exiting_on_import_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    def exits() -> None:
        raise SystemExit("no display")

    monkeypatch.setattr(
        "importlib.metadata.entry_points", lambda group: [SimpleNamespace(name="gui", load=exits, dist=None)]
    )
    monkeypatch.delenv("BOUNCEBACK_PLUGINS")
    assert [(s.name, s.hook, s.error) for s in load().skipped] == [("gui", "load", "SystemExit: no display")]


@pytest.mark.parametrize("error", [ZeroDivisionError("division by zero"), SystemExit(3)])
def test_a_plugin_signal_function_that_fails(tmp_path: Path, error: BaseException) -> None:
    """Skipped by name (the signal is unknown); with strict it is fatal. Regression: strict
    mode skipped it silently, so a pack author's strict tests passed with a buggy signal."""

    def broken(answers: Any) -> float:
        raise error

    rule_pack(tmp_path, when="probe_calm > 0.4")
    plugins = [("sig", Signal(broken))]
    plan = load(packs=[tmp_path], entry_points=False, extra_plugins=plugins).plan(MINIMAL)
    assert plan.signals["probe_calm"] is None and plan.steps
    expected = f"{type(error).__name__}: {error}"
    assert [(s.name, s.hook, s.error) for s in plan.skipped_plugins] == [
        ("sig", "bounceback_signals", expected)
    ]
    strict = load(packs=[tmp_path], entry_points=False, extra_plugins=plugins, strict=True)
    with pytest.raises(PluginError, match=f"plugin sig: plugin failed in bounceback_signals: {expected}"):
        strict.plan(MINIMAL)


def test_strict_cli_fails_on_a_broken_plugin_signal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rule_pack(tmp_path, when="probe_calm > 0.4")
    monkeypatch.delenv("BOUNCEBACK_PLUGINS")
    fake_entry_points(monkeypatch, {"sig": Signal(_exit)})
    relaxed = run("plan", "--pack", str(tmp_path), EXAMPLE, "--format", "json")
    assert relaxed.exit_code == 0, relaxed.output
    assert {"name": "sig", "hook": "bounceback_signals", "error": "SystemExit: 3"} in json.loads(
        relaxed.stdout
    )["skipped_plugins"]
    assert_clear_error(
        run("plan", "--strict", "--pack", str(tmp_path), EXAMPLE),
        "error: plugin sig: plugin failed in bounceback_signals: SystemExit: 3",
    )


def test_a_renderer_calling_sys_exit_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Quits:
        @hookimpl
        def bounceback_renderers(self) -> dict[str, Renderer]:
            return {"quits": Renderer("quits", "exits", ".txt", lambda plan, options: _exit(plan))}

    monkeypatch.delenv("BOUNCEBACK_PLUGINS")
    fake_entry_points(monkeypatch, {"quits": Quits()})
    assert_clear_error(
        run("plan", EXAMPLE, "--format", "quits"),
        "internal error: RuntimeError: the 'quits' renderer called sys.exit(3)",
        code=1,
    )


# -- nothing is quietly replaced --------------------------------------------------------------


def test_a_plugin_cannot_replace_a_built_in_format() -> None:
    """Regression: a plugin renderer silently replaced a built-in format."""
    app = load(entry_points=False, extra_plugins=[("mine", Formats("text", "count"))])
    assert app.render(app.plan(MINIMAL), "count").strip().isdigit()
    assert not app.render(app.plan(MINIMAL), "text").strip().isdigit()
    assert [(s.name, s.error) for s in app.skipped] == [
        ("mine", "format 'text' is already provided by plugin renderers; not replaced")
    ]
    with pytest.raises(PluginError, match=r"plugin mine: .*format 'text' is already provided"):
        load(entry_points=False, strict=True, extra_plugins=[("mine", Formats("text"))])


def test_the_first_registered_plugin_keeps_a_format_or_signal_name() -> None:
    app = load(
        entry_points=False,
        extra_plugins=[
            ("one", Formats("count")),
            ("two", Formats("count")),
            ("early", Signal(lambda answers: 0.2, "shared")),
            ("late", Signal(lambda answers: 0.9, "shared")),
        ],
    )
    assert {(s.name, s.hook) for s in app.skipped} == {
        ("two", "bounceback_renderers"),
        ("late", "bounceback_signals"),
    }
    assert "signal 'shared' is already provided by plugin early" in " ".join(s.error for s in app.skipped)
    assert app.plan(MINIMAL).signals["shared"] == 0.2


def test_a_pack_cannot_take_a_built_in_pack_id(tmp_path: Path) -> None:
    write_pack(tmp_path, '[pack]\nid = "feedback"\nname = "Mine"\nversion = "1"\n')
    app = load(packs=[tmp_path], entry_points=False)
    feedback = [p for p in app.packs if p.id == "feedback"]
    assert [p.plugin for p in feedback] == ["advice"]
    [skipped] = app.skipped
    assert skipped.name == f"folder:{tmp_path}" and "pack id 'feedback' is already used by" in skipped.error
    result = run("plan", "--pack", str(tmp_path), EXAMPLE, "--format", "json")
    assert f"warning: skipped plugin folder:{tmp_path} (bounceback_packs)" in result.stderr
    assert json.loads(result.stdout)["steps"]
    assert_clear_error(run("plan", "--strict", "--pack", str(tmp_path), EXAMPLE), "pack id 'feedback'")


# -- in a cohort run --------------------------------------------------------------------------


class QuitsOn:
    """A plugin whose signal function exits for anger 4 and whose plan adjustment exits for 5."""

    @hookimpl
    def bounceback_signals(self) -> dict[str, Any]:
        def calm(answers: Any) -> float:
            if answers["anger"] == 4:
                raise SystemExit(4)
            return 0.5

        return {"probe_calm": calm}

    @hookimpl
    def bounceback_adjust_plan(self, situation: Any) -> None:
        if situation.get("anger") == 5:
            raise SystemExit(5)


@pytest.mark.usefixtures("fresh_apps")  # the cohort's cached app must load this test's plugin
def test_a_plugin_exiting_never_ends_a_cohort_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: a plugin's SystemExit ended the batch (exit 3, empty results)."""
    rule_pack(tmp_path / "packs", when="probe_calm > 0.4")
    monkeypatch.delenv("BOUNCEBACK_PLUGINS")
    fake_entry_points(monkeypatch, {"quits": QuitsOn()})
    cohort = tmp_path / "cohort.csv"
    columns = ["id", *MINIMAL]
    lines = [",".join(columns)] + [
        ",".join([ident, *(str(dict(MINIMAL, anger=anger)[c]) for c in MINIMAL)])
        for ident, anger in (("calm", 2), ("four", 4), ("five", 5))
    ]
    cohort.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def batch(out: str, *options: str) -> Any:
        return run(
            "batch",
            str(cohort),
            "--out",
            str(tmp_path / out),
            "--jobs",
            "1",
            "--pack",
            str(tmp_path / "packs"),
            *options,
        )

    assert batch("out").exit_code == 0
    plans = {
        p["id"]: p["plan"]
        for p in map(json.loads, (tmp_path / "out" / "plans.jsonl").read_text().splitlines())
    }
    assert sorted(plans) == ["calm", "five", "four"] and all(p["steps"] for p in plans.values())
    assert plans["calm"]["skipped_plugins"] == []
    assert plans["four"]["skipped_plugins"] == [
        {"name": "quits", "hook": "bounceback_signals", "error": "SystemExit: 4"}
    ]
    assert plans["five"]["skipped_plugins"] == [
        {"name": "quits", "hook": "bounceback_adjust_plan", "error": "SystemExit: 5"}
    ]

    strict = batch("strict", "--strict")
    assert strict.exit_code == 1, strict.output
    errors = {
        e["id"]: e["errors"]
        for e in map(json.loads, (tmp_path / "strict" / "errors.jsonl").read_text().splitlines())
    }
    assert sorted(errors) == ["five", "four"]
    assert errors["four"] == [
        {
            "message": "plugin quits: plugin failed in bounceback_signals: SystemExit: 4",
            "line": 3,
            "code": "plugin",
        }
    ]
    assert "calm" in (tmp_path / "strict" / "plans.jsonl").read_text()
