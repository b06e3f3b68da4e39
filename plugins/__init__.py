"""bounceback's built-in plugins: each is an ordinary plugin, registered like a third party's."""

from pathlib import Path

from bounceback import builtin_packs

#: Where the built-in TOML packs live (the ``bounceback.builtin_packs`` package).
PACKS_DIR = Path(builtin_packs.__file__).parent


def builtin_pack(pack_id: str) -> Path:
    """The path of the built-in pack ``pack_id``."""
    return PACKS_DIR / f"{pack_id}.toml"
