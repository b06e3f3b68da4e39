"""The other files of a scaffolded pack plugin project, as text from its :class:`Names`: the
``pyproject.toml``, LICENSE, CI workflow, plugin module, pytest test and README."""

from __future__ import annotations

import datetime as dt

import tomli_w

from .. import __version__
from .plugin_names import Names, pack_dir


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
