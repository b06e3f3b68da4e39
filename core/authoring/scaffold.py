"""Scaffolding an installable pack plugin: ``bounceback packs new NAME``.

The project it writes is complete and working: a ``pyproject.toml`` with the ``bounceback``
entry point, a module whose ``bounceback_packs`` hook returns its pack folder, a TOML pack
with one question, a signal and two rules, two example personas with their plan snapshots, a
pytest test using :mod:`bounceback.testing`, a README, a LICENSE and a CI workflow that runs
``bounceback packs validate`` and ``pytest``. TOML is written with tomli-w; the comments that
guide the author are added between the generated tables.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import attrs
import tomli_w

from .. import __version__
from ..errors import BouncebackError, Problem
from ..packs import FORMAT_VERSION, PACK_ID
from ..packs.schema import schema_json

PREFIX = "bounceback-"
#: The JSON Schema copy beside the scaffolded pack, named by its ``#:schema`` line.
SCHEMA_FILE = "pack-schema.json"


@attrs.frozen
class Names:
    """The names of one plugin project, all derived from the pack id."""

    pack_id: str  # graduates, career-changers
    distribution: str  # bounceback-career-changers
    module: str  # bounceback_career_changers
    prefix: str  # career_changers: starts the pack's question and signal ids
    title: str  # Career changers

    @classmethod
    def from_name(cls, name: str) -> Names:
        """Names for ``name`` (a pack id, optionally with a ``bounceback-`` prefix).

        Raises :class:`BouncebackError` for a name that is not a valid pack id or that a
        built-in pack already uses.
        """
        pack_id = name.strip().removeprefix(PREFIX)
        if not PACK_ID.match(pack_id):
            slug = re.sub(r"[^a-z0-9]+", "-", pack_id.lower()).strip("-")
            hint = f" (try {slug!r})" if PACK_ID.match(slug) else ""
            raise BouncebackError(
                Problem(
                    f"{name!r} is not a pack id: use lower-case letters, digits, '-' or '_', starting "
                    f"with a letter, at most 40 characters{hint}",
                    field="NAME",
                    code="bad-id",
                )
            )
        if pack_id in builtin_pack_ids():
            raise BouncebackError(
                Problem(
                    f"{pack_id!r} is the id of a built-in pack; choose another "
                    "name (pack ids must be unique)",
                    field="NAME",
                    code="duplicate",
                )
            )
        prefix = pack_id.replace("-", "_")
        return cls(
            pack_id,
            PREFIX + pack_id,
            "bounceback_" + prefix,
            prefix,
            pack_id.replace("-", " ").replace("_", " ").capitalize(),
        )


def builtin_pack_ids() -> set[str]:
    """The ids of the built-in packs (their file names)."""
    from ..plugins import PACKS_DIR

    return {p.stem for p in PACKS_DIR.glob("*.toml")}


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


def pack_dir(names: Names) -> str:
    """The pack folder, relative to the project."""
    return f"src/{names.module}/pack"


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


EXPECT_HELP = """\
# What the plan for these answers must satisfy (checked by `bounceback packs test` and pytest).
# Keys: first_topic, top_topics_any, plan_topics_all, plan_topics_none, min_steps,
# min_categories, plan_rules_all, plan_rules_none, max_steps, max_actions, max_today (2 when
# absent), text_none, text_any (regular expressions)."""


def pyproject(names: Names) -> str:
    """The project's ``pyproject.toml``."""
    major = int(__version__.split(".")[0])
    data = {
        "build-system": {"requires": ["setuptools>=77"], "build-backend": "setuptools.build_meta"},
        "project": {
            "name": names.distribution,
            "version": "0.1.0",
            "description": f"{names.title}: an advice pack for bounceback",
            "readme": "README.md",
            "license": "MIT",
            "license-files": ["LICENSE"],
            "requires-python": ">=3.11",
            "dependencies": [f"bounceback>={__version__},<{major + 1}"],
            "optional-dependencies": {"test": ["pytest>=8"]},
            "entry-points": {"bounceback": {names.pack_id: names.module}},
        },
        "tool": {
            "setuptools": {"package-data": {names.module: ["pack/*.toml"]}},
            "pytest": {"ini_options": {"testpaths": ["tests"]}},
        },
    }
    return '# The entry point in group "bounceback" is how bounceback finds this plugin.\n' + tomli_w.dumps(
        data
    )


def license_text(names: Names) -> str:
    """The MIT licence, which bounceback itself uses; the author may choose another (and change
    ``license`` in ``pyproject.toml`` with it)."""
    year = dt.date.today().year
    return f"""MIT License

Copyright (c) {year} The {names.distribution} authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def ci_workflow(names: Names) -> str:
    """A GitHub Actions workflow: install bounceback and the plugin, validate the pack (every
    problem, warnings included), then run pytest (personas, snapshots)."""
    major = int(__version__.split(".")[0])
    return f"""# Checks the pack on every push and pull request.
name: test
on: [push, pull_request]

jobs:
  test:
    runs-on: ubuntu-latest
    env:
      # What pip installs bounceback from: a version range from PyPI, or a git URL such as
      # "bounceback @ git+https://example.org/you/bounceback.git", or the path of a wheel.
      BOUNCEBACK: "bounceback>={__version__},<{major + 1}"
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install bounceback and this plugin
        run: |
          python -m pip install "$BOUNCEBACK"
          python -m pip install -e '.[test]'
      - name: Validate the pack
        run: bounceback packs validate --fail-on-warnings {pack_dir(names)}
      - name: Test the personas and their plan snapshots
        run: pytest
"""


def module_source(names: Names) -> str:
    """The plugin module: the hook that hands bounceback the pack folder."""
    return f'''"""{names.distribution}: the {names.title} advice pack for bounceback.

bounceback finds this module through the "bounceback" entry point in pyproject.toml and calls
its hooks. Keep imports here light: every bounceback command loads this module.
"""

from pathlib import Path

from bounceback import hookimpl

#: This plugin's pack folder: every *.toml directly in it is a pack (personas/ is not).
PACK_DIR = Path(__file__).parent / "pack"


@hookimpl
def bounceback_packs() -> list[Path]:
    """The {names.title} pack."""
    return [PACK_DIR]
'''


def example_question(names: Names) -> str:
    """The id of the scaffold's example question."""
    return f"{names.prefix}_experience"


def pack_toml(names: Names) -> str:
    """The example pack: one question, one signal, two rules, each section explained."""
    question = example_question(names)
    gap = f"{names.prefix}_gap"
    sections: list[tuple[str, dict[str, Any]]] = [
        (
            f"#:schema ./{SCHEMA_FILE}\n"
            f"# The {names.title} pack for bounceback (format reference: docs/pack-authoring.md).\n"
            f"# The line above points editors (taplo, Even Better TOML) at the pack format's JSON\n"
            f"# Schema; after upgrading bounceback, refresh it from the project's folder with\n"
            f"# `bounceback packs schema -o {pack_dir(names)}/{SCHEMA_FILE}`.\n"
            "# `engine` is the pack format this pack is written for; bounceback refuses a pack it\n"
            "# cannot read, with a clear message, instead of misreading it.",
            {
                "pack": {
                    "id": names.pack_id,
                    "name": names.title,
                    "version": "0.1.0",
                    "engine": f">={FORMAT_VERSION},<{FORMAT_VERSION + 1}",
                    "description": f"Advice for {names.title.lower()} after an interview rejection.",
                }
            },
        ),
        (
            "# Questions this pack adds to the questionnaire. Ids are shared by all packs, so start\n"
            "# them with the pack's name. Keep them optional: a required question would make every\n"
            "# answers file without it invalid.",
            {
                "questions": [
                    {
                        "id": question,
                        "section": names.prefix,
                        "prompt": "How much experience do you have in the field you are aiming for?",
                        "kind": "choice",
                        "options": ["none", "some", "a_lot"],
                    }
                ]
            },
        ),
        (
            "# Signals: named values in [0, 1] computed from the answers, readable by every rule.\n"
            "# The built-in ones (distress, rawness, stage_depth, network_gap...) are in\n"
            "# `bounceback packs show base`.",
            {"signals": {gap: f"1 if {question} == 'none' else 0.5 if {question} == 'some' else 0"}},
        ),
        (
            "# Rules: each is a step a plan can recommend. `when` says when it applies; its score is\n"
            "# weight × strength (both in [0, 1]); the plan takes the highest scores, at most two\n"
            "# per category. `topics` are ids from bounceback's advice catalogue.",
            {
                "rules": [
                    {
                        "id": "first-project",
                        "category": "skills",
                        "topics": ["gain-experience"],
                        "title": "Build one small project that shows what you can do in this field",
                        "why": "You are new to this field, and the people who interview you want evidence more "
                        "than promises. One small, finished piece of work gives you something concrete "
                        "to show and to talk about in your next interview.",
                        "when": f"{question} != 'a_lot'",
                        "weight": 0.8,
                        "strength": gap,
                        "timeframe": "this-month",
                        "effort": "medium",
                        "actions": [
                            "Pick a task that people in the role you want do every week.",
                            "Do it on your own in two or three weeks, and keep it small enough to finish.",
                            "Write half a page on what you did and why, and link it from your resume.",
                        ],
                    },
                    {
                        "id": "meet-people",
                        "category": "networking",
                        "topics": ["network"],
                        "title": "Talk to two people who already work in this field",
                        "why": "You know few people in this field yet. Twenty minutes with someone who does the "
                        "work tells you what employers look for, and they may hear of openings first.",
                        "when": f"{question} != 'a_lot' and network_contacts_month <= 2",
                        "weight": 0.7,
                        "strength": f"max({gap}, network_gap)",
                        "timeframe": "this-week",
                        "effort": "low",
                        "actions": [
                            "Find two people in the role you want through $[if career_stage == "
                            "'student_or_graduate':lecturers, classmates|former colleagues, classmates] "
                            "or a professional association.",
                            "Ask each for a 20-minute chat about their work, not for a job.",
                            "Thank them afterwards, and tell them what you did with their advice.",
                        ],
                    },
                ]
            },
        ),
    ]
    return "\n".join(f"{comment}\n{tomli_w.dumps(data)}" for comment, data in sections)


def example_personas(names: Names) -> tuple[tuple[dict[str, Any], dict[str, Any]], ...]:
    """Two personas ``(answers, expectations)``: one the pack's rules fit, one they do not."""
    question = example_question(names)
    base = {
        "role": "Junior Analyst",
        "stage_reached": "interview",
        "days_since_rejection": 5,
        "disappointment": 3,
        "anger": 2,
        "anxiety": 2,
        "self_doubt": 2,
        "hopelessness": 1,
        "motivation": 3,
        "feedback_received": "generic",
        "network_contacts_month": 1,
        "applications_per_week": 4,
        "support_people": True,
        "self_care": 4,
    }
    rules = [f"{names.pack_id}.first-project", f"{names.pack_id}.meet-people"]
    newcomer = (
        {**base, question: "none"},
        {
            "plan_rules_all": rules,
            "plan_topics_all": ["gain-experience", "network"],
            "plan_topics_none": ["professional-help"],
            "min_steps": 5,
        },
    )
    experienced = ({**base, question: "a_lot"}, {"plan_rules_none": rules, "min_steps": 3})
    return newcomer, experienced


def test_source(names: Names) -> str:
    """The project's pytest test: the pack is valid and every persona gets the plan it expects."""
    return f'''"""The {names.title} pack is valid, and its example personas get the plans they expect.

Run `pytest` after installing bounceback and then this project (`pip install -e '.[test]'`);
`bounceback packs test .` runs the same personas from the command line, and `--update`
records their plan snapshots again after an intended change.
"""

import pytest
from bounceback.testing import assert_pack_valid, assert_persona, load_for_test, read_personas

import {names.module} as plugin


@pytest.fixture(scope="module")
def app():
    """The built-in packs plus this plugin, loaded strictly: a broken pack fails the tests."""
    return load_for_test(plugins=[plugin])


def test_pack_is_valid():
    assert_pack_valid(plugin.PACK_DIR)


@pytest.mark.parametrize("persona", read_personas(plugin.PACK_DIR / "personas"), ids=str)
def test_persona(app, persona):
    assert_persona(persona, app)
'''


def readme(names: Names) -> str:
    """The project's README: develop, test, try and publish the pack."""
    folder = pack_dir(names)
    return f"""# {names.distribution}

{names.title}: an advice pack for bounceback, the tool
that turns a job seeker's answers after an interview rejection into a ranked, explained plan.

## Develop

Install bounceback first (from its checkout, a wheel or a package index), then this plugin
in the same environment, editable:

```
python -m venv .venv && . .venv/bin/activate
pip install /path/to/bounceback            # or wherever you get bounceback from
pip install -e '.[test]'
bounceback plugins                          # lists {names.pack_id} (entry point)
bounceback packs show {names.pack_id}
```

With bounceback already installed (by pipx, say), `bounceback packs install -e .` installs the
plugin into bounceback's own environment instead; `bounceback packs uninstall {names.pack_id}`
removes it.

Edit `{folder}/{names.pack_id}.toml`: questions, signals and rules. The pack author's guide
(`docs/pack-authoring.md` in bounceback) documents every field and the condition language.

## Test

```
bounceback packs validate {folder}   # every problem at once, with file:line
bounceback packs test .               # the personas in {folder}/personas, and their snapshots
pytest                                # the same, plus anything you add to tests/
```

A persona is `NAME.answers.toml` (answers to the questionnaire) plus `NAME.expect.toml`
(what its plan must contain). Add one for each kind of person your pack is for, and one it
must leave alone. `NAME.snapshot.txt` records the persona's plan (rule ids and titles in
order): when a change to a rule moves a plan, `packs test` and `pytest` fail with a diff;
`bounceback packs test . --update` accepts the new plans. `.github/workflows/test.yml` runs
the same checks on every push.

## Try

```
bounceback plan {folder}/personas/newcomer.answers.toml --explain
```

## Publish

```
pip install build twine
python -m build
twine upload dist/*
```

Then anyone can `pip install {names.distribution}` (or `bounceback packs install
{names.distribution}`), and bounceback loads the pack.
"""
