"""Faults: a plugin that raises or returns nonsense, a pack file that vanishes or cannot be read,
an output directory that is full or read-only, Ctrl-C while writing. Each is reported clearly,
the rest keeps working, and no output file is ever left half-written.

(Ctrl-C during a batch run is the batch tests' business.)
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from bounceback import files, hookimpl
from bounceback.api import load
from bounceback.errors import BouncebackError, PluginError
from bounceback.render import Renderer
from bounceback.results import Plan
from conftest import EXAMPLES
from hardening import assert_clear_error, rule_pack, run
from helpers import MINIMAL, fake_entry_points

EXAMPLE = str(EXAMPLES / "jordan.toml")
HOOKS = ("bounceback_packs", "bounceback_signals", "bounceback_renderers", "bounceback_adjust_plan")


class FailsIn:
    """A plugin that works, except that one hook raises (or returns ``result``)."""

    def __init__(self, hook: str, folder: Path, result: Any = None):
        self.hook, self.folder, self.result = hook, folder, result

    def _maybe_fail(self, hook: str, value: Any) -> Any:
        if hook != self.hook:
            return value
        if self.result is None:
            raise RuntimeError(f"{hook} exploded")
        return self.result

    @hookimpl
    def bounceback_packs(self) -> Any:
        return self._maybe_fail("bounceback_packs", [self.folder])

    @hookimpl
    def bounceback_signals(self) -> Any:
        return self._maybe_fail("bounceback_signals", {"probe_calm": lambda answers: 0.5})

    @hookimpl
    def bounceback_renderers(self) -> Any:
        count = Renderer("count", "steps", ".txt", lambda plan, options: f"{len(plan.steps)}\n")
        return self._maybe_fail("bounceback_renderers", {"count": count})

    @hookimpl
    def bounceback_adjust_plan(self, plan: Plan, situation: Any) -> Any:
        return self._maybe_fail("bounceback_adjust_plan", None)


def _install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, hook: str, result: Any = None) -> None:
    folder = tmp_path / "packs"
    rule_pack(folder, when="probe_calm > 0.4" if hook != "bounceback_signals" else "anxiety >= 1")
    fake_entry_points(monkeypatch, {"flaky": FailsIn(hook, folder, result)})
    monkeypatch.delenv("BOUNCEBACK_PLUGINS")


@pytest.mark.parametrize("hook", HOOKS)
def test_a_plugin_that_raises_in_a_hook_is_named_and_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, hook: str
) -> None:
    _install(monkeypatch, tmp_path, hook)
    result = run("plan", EXAMPLE, "--format", "json", "--top", "50", "--per-category", "50")
    assert result.exit_code == 0, result.output
    assert (
        f"warning: skipped plugin flaky ({hook}): RuntimeError: {hook} exploded" in result.output
        or hook == "bounceback_adjust_plan"
    )  # that hook runs per plan, after loading
    plan = json.loads(result.stdout)
    assert {"name": "flaky", "hook": hook, "error": f"RuntimeError: {hook} exploded"} in plan[
        "skipped_plugins"
    ]
    assert plan["steps"], "the built-in plan is still made"
    # The plugin's other hooks still count: its pack loads unless the failing hook is the one
    # it needs (its packs, or the signal its rule reads).
    ids = {s["id"] for s in plan["steps"]}
    expect_pack = hook not in ("bounceback_packs",)
    assert ("probe.rule" in ids) == expect_pack, ids


@pytest.mark.parametrize("hook", HOOKS)
def test_strict_makes_a_failing_hook_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, hook: str
) -> None:
    _install(monkeypatch, tmp_path, hook)
    result = run("plan", "--strict", EXAMPLE)
    assert_clear_error(result, f"error: plugin flaky: plugin failed in {hook}: RuntimeError: {hook} exploded")


@pytest.mark.parametrize(
    "hook, result, expected",
    [
        ("bounceback_packs", [123], "returned a list holding int, expected a list of pack paths or Packs"),
        ("bounceback_packs", "packs/", "returned str, expected a list of pack paths or Packs"),
        ("bounceback_signals", [("x", 1)], "returned list, expected a dict of signal name → function"),
        (
            "bounceback_signals",
            {"x": 5},
            "returned a dict holding int, expected a dict of signal name → function",
        ),
        (
            "bounceback_renderers",
            {"x": 5},
            "returned a dict holding int, expected a dict of format name → Renderer",
        ),
        ("bounceback_renderers", ["x"], "returned list, expected a dict of format name → Renderer"),
        ("bounceback_adjust_plan", "a better plan", "returned str, expected a Plan or None"),
    ],
)
def test_a_plugin_returning_the_wrong_thing_is_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, hook: str, result: Any, expected: str
) -> None:
    """Regression: these were internal errors that stopped every plan, not just the plugin."""
    _install(monkeypatch, tmp_path, hook, result)
    planned = run("plan", EXAMPLE, "--format", "json")
    assert planned.exit_code == 0, planned.output
    skipped = json.loads(planned.stdout)["skipped_plugins"]
    assert {"name": "flaky", "hook": hook, "error": f"TypeError: {expected}"} in skipped
    assert_clear_error(
        run("plan", "--strict", EXAMPLE), f"error: plugin flaky: plugin failed in {hook}", expected
    )


@pytest.mark.parametrize("value, shown", [(float("nan"), None), ("high", None), (True, 1.0), (7, 1.0)])
def test_a_plugin_signal_with_an_odd_value(tmp_path: Path, value: Any, shown: float | None) -> None:
    """A NaN or a word is unknown (the plugin is named when its function raised); the JSON
    plan stays valid JSON."""
    folder = tmp_path / "packs"
    rule_pack(folder, when="probe_calm > 0.4")
    plugin = FailsIn("none", folder)
    plugin.bounceback_signals = hookimpl(lambda: {"probe_calm": lambda answers: value})  # type: ignore[method-assign]
    app = load(entry_points=False, extra_plugins=[("odd", plugin)])
    plan = app.plan(MINIMAL)
    assert plan.signals["probe_calm"] == shown
    json.loads(app.render(plan, "json"), parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


def test_a_renderer_that_raises_is_an_internal_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(plan: Plan, options: Any) -> str:
        raise ValueError("cannot draw")

    _install(
        monkeypatch, tmp_path, "bounceback_renderers", {"broken": Renderer("broken", "raises", ".x", broken)}
    )
    target = tmp_path / "plan.x"
    result = run("plan", EXAMPLE, "--format", "broken", "-o", str(target))
    assert_clear_error(result, "internal error: ValueError: cannot draw", "a plugin", code=1)
    assert not target.exists() and not list(tmp_path.glob(".plan.x.*"))


# -- pack files that vanish or cannot be read ----------------------------------------------------


def test_a_pack_folder_that_does_not_exist(tmp_path: Path) -> None:
    assert_clear_error(run("plan", "--pack", str(tmp_path / "gone"), EXAMPLE), "gone")


def test_a_pack_file_that_vanishes_after_it_was_listed(tmp_path: Path) -> None:
    class Vanishing:
        @hookimpl
        def bounceback_packs(self) -> list[Path]:
            path = rule_pack(tmp_path / "packs")
            path.unlink()  # listed, then gone before it is read
            return [path]

    app = load(entry_points=False, extra_plugins=[("vanishing", Vanishing())])
    assert [(s.name, s.error) for s in app.skipped] == [
        ("vanishing", f"{tmp_path / 'packs' / 'probe.toml'}: file not found")
    ]
    assert app.plan(MINIMAL).steps
    with pytest.raises(BouncebackError, match=r"probe\.toml: file not found"):
        load(entry_points=False, strict=True, extra_plugins=[("vanishing", Vanishing())])


def test_an_unreadable_pack_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 does not stop root (tests run as root in CI), so the denial is simulated."""
    pack = rule_pack(tmp_path / "packs")
    real_open = open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(pack):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    result = run("plan", "--pack", str(pack), EXAMPLE)
    assert result.exit_code == 0 and f"{pack}: cannot read: Permission denied" in result.output
    assert_clear_error(
        run("plan", "--strict", "--pack", str(pack), EXAMPLE),
        f"error: {pack}: cannot read: Permission denied",
    )
    assert_clear_error(run("packs", "validate", str(pack)), f"{pack}: cannot read: Permission denied")


# -- output that cannot be written ---------------------------------------------------------------


@pytest.fixture
def old_plan(tmp_path: Path) -> Path:
    """An existing output file that a failed write must leave exactly as it was."""
    target = tmp_path / "out" / "plan.json"
    target.parent.mkdir()
    target.write_text("the previous plan\n", encoding="utf-8")
    return target


def _untouched(target: Path) -> None:
    assert target.read_text(encoding="utf-8") == "the previous plan\n"
    assert list(target.parent.iterdir()) == [target], "no temporary file is left behind"


def test_a_full_disk(old_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file is really on a full device (/dev/full): the write fails for real."""
    real_mkstemp = files.tempfile.mkstemp

    def full(**kwargs: Any) -> tuple[int, str]:
        fd, name = real_mkstemp(**kwargs)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), name

    monkeypatch.setattr(files.tempfile, "mkstemp", full)
    result = run("plan", EXAMPLE, "-o", str(old_plan))
    assert_clear_error(result, f"error: {old_plan}: cannot write: No space left on device")
    _untouched(old_plan)


@pytest.mark.parametrize(
    "where, error",
    [
        ("mkstemp", OSError(errno.EROFS, "Read-only file system")),
        ("mkstemp", PermissionError(errno.EACCES, "Permission denied")),
        ("replace", OSError(errno.EROFS, "Read-only file system")),
        ("replace", OSError(errno.ENOSPC, "No space left on device")),
    ],
)
def test_a_read_only_or_full_output_directory(
    old_plan: Path, monkeypatch: pytest.MonkeyPatch, where: str, error: OSError
) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(files.tempfile if where == "mkstemp" else files.os, where, fail)
    result = run("plan", EXAMPLE, "-o", str(old_plan))
    assert_clear_error(result, f"error: {old_plan}: cannot write: {error.strerror}")
    _untouched(old_plan)


def test_a_missing_output_directory(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "plan.txt"
    assert_clear_error(
        run("plan", EXAMPLE, "-o", str(target)),
        f"error: {target}: cannot write: the folder does not exist ({target.parent})",
    )
    assert not (tmp_path / "no").exists()


def test_ctrl_c_while_writing_leaves_the_old_file(old_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def interrupted(fd: int) -> None:
        real_fsync(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    result = run("plan", EXAMPLE, "-o", str(old_plan))
    assert result.exit_code == 130 and "Interrupted." in result.output
    assert "Traceback" not in result.output
    _untouched(old_plan)


def test_ctrl_c_while_planning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import bounceback.api

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(bounceback.api.Bounceback, "plan", interrupted)
    target = tmp_path / "plan.txt"
    result = run("plan", EXAMPLE, "-o", str(target))
    assert result.exit_code == 130 and "Interrupted." in result.output
    assert not target.exists()


def test_write_text_never_leaves_a_half_written_file(tmp_path: Path) -> None:
    """The API the CLI uses: whatever fails inside the block, the target is untouched."""
    target = tmp_path / "notes.txt"
    target.write_text("before\n", encoding="utf-8")
    with pytest.raises(ZeroDivisionError), files.atomic_writer(target) as handle:
        handle.write("half of it")
        raise ZeroDivisionError
    assert target.read_text(encoding="utf-8") == "before\n"
    assert list(tmp_path.iterdir()) == [target]
    with pytest.raises(PluginError), files.atomic_writer(target) as handle:
        raise PluginError("a plugin failed mid-way")
    assert list(tmp_path.iterdir()) == [target]
