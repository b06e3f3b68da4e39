"""Content packs (TOML files): reading each one into a :class:`~bounceback.model.Pack`, reporting
every problem at once.

A pack is checked here on its own (structure, field types, allowed words): :mod:`.tomlfile`
parses the TOML and finds lines, :mod:`.fields` reads single fields, :mod:`.reader` the pack table by table (with
:mod:`.questions`, :mod:`.rules` and :mod:`.tables`), :mod:`.format` holds the format version
and id shapes. Checks that need every pack at once (names in expressions, references between
rules, duplicates) live in :mod:`bounceback.rulecheck`.
"""

from __future__ import annotations

from .format import ANSWER_ID, FORMAT_VERSION, FULL_RULE_ID, NAME_ID, PACK_ID, RULE_ID, format_compatible
from .reader import PackCheck, check_pack, check_pack_text, pack_files, parse_pack, read_pack
from .tomlfile import LineIndex, load_toml, toml_problem

__all__ = [
    "ANSWER_ID",
    "FORMAT_VERSION",
    "FULL_RULE_ID",
    "NAME_ID",
    "PACK_ID",
    "RULE_ID",
    "LineIndex",
    "PackCheck",
    "check_pack",
    "check_pack_text",
    "format_compatible",
    "load_toml",
    "pack_files",
    "parse_pack",
    "read_pack",
    "toml_problem",
]
