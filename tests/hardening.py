"""Shared by the hardening tests (bad input, faults, security): running the CLI and asserting
that a failure is a clear message, never a traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from bounceback.cli import cli

#: A pack with one rule; ``{when}`` / ``{strength}`` / ``{signal}`` / ``{why}`` are filled in.
RULE_PACK = """\
[pack]
id = "probe"
name = "Probe"
version = "1.0.0"

[signals]
probe_signal = {signal}

[templates.probe_note]
title = "Note"
body = {body}

[[rules]]
id = "rule"
category = "mindset"
title = "Probe"
why = {why}
when = {when}
strength = {strength}
weight = 1.0
timeframe = "today"
effort = "low"
actions = ["Do it"]
template = "probe_note"
"""


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (JSON escapes are valid TOML escapes)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def rule_pack(
    folder: Path,
    *,
    when: str = "anxiety >= 1",
    strength: str = "0.5",
    signal: str = "0.5",
    why: str = "Because.",
    body: str = "Hello.",
) -> Path:
    """Write the probe pack with these expressions and texts; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "probe.toml"
    fields = {"when": when, "strength": strength, "signal": signal, "why": why, "body": body}
    path.write_text(RULE_PACK.format(**{k: toml_string(v) for k, v in fields.items()}), encoding="utf-8")
    return path


def run(*args: str, input: str | bytes | None = None) -> Result:
    """``bounceback ARGS`` in-process."""
    return CliRunner().invoke(cli, list(args), input=input)


def assert_clear_error(result: Result, *fragments: str, code: int = 2) -> None:
    """Exit ``code`` with a message containing every fragment, and no traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
