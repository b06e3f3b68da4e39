"""The pack format: the format version this bounceback reads, and the shapes of ids."""

from __future__ import annotations

import re

#: The pack format version this bounceback reads; packs declare the versions they need in their
#: ``engine`` field (``engine = ">=1,<2"``, the TOML name kept for existing packs).
FORMAT_VERSION = 1

PACK_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
RULE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
NAME_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")  # questions, signals, templates: usable in expressions
ANSWER_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")  # "question.option"
FULL_RULE_ID = re.compile(r"^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$")


def format_compatible(spec: str, version: int = FORMAT_VERSION) -> bool | None:
    """Whether ``spec`` (e.g. ``">=1,<2"``) admits ``version``; ``None`` if unparseable."""
    ops = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
           "<": lambda a, b: a < b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
    for clause in spec.split(","):
        match = re.fullmatch(r"\s*(>=|<=|==|!=|>|<)?\s*(\d+)(?:\.\d+)*\s*", clause)
        if not match:
            return None
        if not ops[match.group(1) or "=="](version, int(match.group(2))):
            return False
    return True
