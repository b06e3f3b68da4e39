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
