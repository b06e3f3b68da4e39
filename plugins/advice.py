"""The advice catalogue: one built-in pack per area of ../shared/ADVICE.md."""

from pathlib import Path

from bounceback import hookimpl
from bounceback.plugins import builtin_pack

ADVICE_PACKS = ("mindset", "feedback", "self-care", "skills", "materials", "interview-prep",
                "networking", "momentum", "alternatives")


@hookimpl
def bounceback_packs() -> list[Path]:
    """Every advice pack that is present (the catalogue grows pack by pack)."""
    return [path for path in map(builtin_pack, ADVICE_PACKS) if path.exists()]
