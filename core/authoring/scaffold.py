"""Scaffolding an installable pack plugin: ``bounceback packs new NAME``.

The project it writes is complete and working: a ``pyproject.toml`` with the ``bounceback``
entry point, a module whose ``bounceback_packs`` hook returns its pack folder, a TOML pack
with one question, a signal and two rules, two example personas with their plan snapshots, a
pytest test using :mod:`bounceback.testing`, a README, a LICENSE and a CI workflow that runs
``bounceback packs validate`` and ``pytest``. TOML is written with tomli-w; the comments that
guide the author are added between the generated tables.

This module writes the project; the texts of its files come from :mod:`.scaffold_files` and
:mod:`.scaffold_pack` (the example pack and personas), its names from :mod:`.plugin_names`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from ..errors import BouncebackError, Problem
from ..packs.schema import schema_json
from .plugin_names import SCHEMA_FILE, Names, pack_dir
from .scaffold_files import ci_workflow, license_text, module_source, pyproject, readme, test_source
from .scaffold_pack import EXPECT_HELP, example_personas, pack_toml


def scaffold(name: str, directory: str | Path | None = None) -> list[Path]:
    """Write a new pack plugin project for ``name`` into ``directory`` (default
    ``./bounceback-NAME``), which must not exist or be empty. Returns the files written."""
    from ..files import write_text

    names = Names.from_name(name)
    root = Path(directory) if directory is not None else Path(names.distribution)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise BouncebackError(
            Problem(
                "already exists and is not an empty folder; choose another --dir",
                str(root),
                field="--dir",
                code="exists",
            )
        )
    written = []
    for relative, text in project_files(names).items():
        path = root / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BouncebackError(
                Problem(
                    f"cannot create the folder: {exc.strerror or exc}",
                    str(path.parent),
                    field="--dir",
                    code="write",
                )
            ) from None
        write_text(path, text)
        written.append(path)
    return written + record_snapshots(root / pack_dir(names))


def record_snapshots(pack_folder: Path) -> list[Path]:
    """Record the plan snapshot of every persona of the pack in ``pack_folder`` (planned as
    ``bounceback packs test --update`` does); returns the snapshot files."""
    from .testing import load_for_test, run_personas

    results = run_personas(pack_folder / "personas", load_for_test(packs=[pack_folder]), update=True)
    return [r.persona.snapshot_path for r in results]


def project_files(names: Names) -> dict[str, str]:
    """Every file of the project: relative path → text."""
    package = f"src/{names.module}"
    personas = f"{pack_dir(names)}/personas"
    newcomer, experienced = example_personas(names)
    return {
        "pyproject.toml": pyproject(names),
        "README.md": readme(names),
        "LICENSE": license_text(names),
        ".github/workflows/test.yml": ci_workflow(names),
        ".gitignore": "__pycache__/\n*.egg-info/\n.venv/\nbuild/\ndist/\n",
        f"{package}/__init__.py": module_source(names),
        f"{pack_dir(names)}/{names.pack_id}.toml": pack_toml(names),
        f"{pack_dir(names)}/{SCHEMA_FILE}": schema_json(),
        f"{personas}/newcomer.answers.toml": _toml(newcomer[0], "# A person new to the field."),
        f"{personas}/newcomer.expect.toml": _toml(newcomer[1], EXPECT_HELP),
        f"{personas}/experienced.answers.toml": _toml(experienced[0], "# A person with a lot of experience."),
        f"{personas}/experienced.expect.toml": _toml(experienced[1], EXPECT_HELP),
        f"tests/test_{names.prefix}.py": test_source(names),
    }


def _toml(data: dict[str, Any], comment: str) -> str:
    return f"{comment}\n{tomli_w.dumps(data)}"
