"""The names of a pack plugin project, all derived from its pack id (``packs new NAME``), and
where its pack lives in it."""

from __future__ import annotations

import re

import attrs

from ..errors import BouncebackError, Problem
from ..packs import PACK_ID

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


def pack_dir(names: Names) -> str:
    """The pack folder, relative to the project."""
    return f"src/{names.module}/pack"
