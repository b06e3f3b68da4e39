"""Persona files: a ``personas/`` folder of ``NAME.answers.toml`` (or ``.json``) and
``NAME.expect.toml`` pairs, read and checked, every problem reported at once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import BouncebackError, Problem
from .expectations import expectation_problems

ANSWERS_SUFFIXES = (".answers.toml", ".answers.json")
EXPECT_SUFFIX = ".expect.toml"
SNAPSHOT_SUFFIX = ".snapshot.txt"


@attrs.frozen
class Persona:
    """An example questionnaire and what its plan must satisfy."""

    name: str
    answers_path: Path
    expect_path: Path
    expect: Mapping[str, Any] = attrs.field(factory=dict)

    def __str__(self) -> str:
        return self.name

    @property
    def snapshot_path(self) -> Path:
        """Where the persona's plan snapshot is kept: ``NAME.snapshot.txt`` beside its answers."""
        return self.answers_path.parent / f"{self.name}{SNAPSHOT_SUFFIX}"


def read_personas(folder: str | Path) -> list[Persona]:
    """Every persona in ``folder``, sorted by name; raises :class:`BouncebackError` listing
    every problem (no personas, an answers file without its expectations, bad expectations)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BouncebackError(
            Problem(
                "personas folder not found (expected NAME.answers.toml and NAME.expect.toml files in it)",
                str(folder),
                code="missing-file",
            )
        )
    personas: list[Persona] = []
    problems: list[Problem] = []
    names: set[str] = set()
    for answers in sorted(p for p in folder.iterdir() if p.name.endswith(ANSWERS_SUFFIXES)):
        name = _strip_suffix(answers.name, ANSWERS_SUFFIXES)
        names.add(name)
        expect_path = folder / f"{name}{EXPECT_SUFFIX}"
        if not expect_path.is_file():
            problems.append(
                Problem(
                    f"no expectations: add {expect_path.name} beside it", str(answers), code="missing-file"
                )
            )
            continue
        try:
            personas.append(Persona(name, answers, expect_path, read_expectations(expect_path)))
        except BouncebackError as exc:
            problems.extend(exc.problems)
    for expect_path in sorted(folder.glob(f"*{EXPECT_SUFFIX}")):
        name = _strip_suffix(expect_path.name, (EXPECT_SUFFIX,))
        if name not in names:
            problems.append(
                Problem(
                    f"no answers: add {name}.answers.toml beside it", str(expect_path), code="missing-file"
                )
            )
    if problems:
        raise BouncebackError(problems)
    if not personas:
        raise BouncebackError(
            Problem(
                "no personas here (expected NAME.answers.toml and NAME.expect.toml files)",
                str(folder),
                code="missing-file",
            )
        )
    return personas


def _strip_suffix(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_expectations(path: Path) -> dict[str, Any]:
    """Read and check one ``NAME.expect.toml``; raise :class:`BouncebackError` on problems."""
    from ..files import read_text
    from ..packs import load_toml

    source = str(path)
    text = read_text(path, expected="an expectations file (.expect.toml)")
    expect = load_toml(text, source)
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*([A-Za-z0-9_]+)\s*=", line)
        if match:
            lines.setdefault(match.group(1), number)
    problems = expectation_problems(expect, source=source, lines=lines)
    if problems:
        raise BouncebackError(problems)
    return expect
