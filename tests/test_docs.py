"""Docs that cannot drift: every hook is documented with its exact signature."""

from __future__ import annotations

import inspect
import re

from bounceback import hookspecs
from conftest import ROOT

HOOKS = [name for name in dir(hookspecs) if name.startswith("bounceback_")]


def test_every_hook_is_documented_with_its_signature() -> None:
    text = (ROOT / "docs" / "hooks.md").read_text("utf-8")
    documented = re.findall(r"^## (bounceback_\w+)\((.*?)\) -> (.+)$", text, re.M)
    assert sorted(name for name, _, _ in documented) == sorted(HOOKS)
    for name, params, returns in documented:
        signature = inspect.signature(getattr(hookspecs, name))
        assert params == ", ".join(signature.parameters), name
        assert returns == signature.return_annotation, name


def test_every_hook_has_a_docstring_reproduced_in_the_docs() -> None:
    text = " ".join((ROOT / "docs" / "hooks.md").read_text("utf-8").split())
    for name in HOOKS:
        first_line = inspect.getdoc(getattr(hookspecs, name)).splitlines()[0]
        assert first_line.replace("``", "`") in text, name


def test_the_readme_says_how_long_the_tests_take_and_when_batch_fails() -> None:
    """A newcomer could not tell a slow suite from a hung one, nor that `batch` exits 2 when
    too many rows fail (docs/cohort.md said so; the README said only "a bad row never stops the
    run")."""
    text = " ".join((ROOT / "README.md").read_text("utf-8").split())
    assert "about 2 to 5 minutes on 2 idle cores, more on a busy machine" in text
    assert "skipped, saying so, when it is not" in text  # the tests that need ../shared
    assert (
        "When more than `--max-error-rate` of the rows (a fraction; default 0.2, 20 %) could not be planned"
        in text
    )
    assert "still writes every result, then exits 2" in text
