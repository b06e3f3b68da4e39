"""The advice catalogue: one built-in pack per area of ../shared/ADVICE.md."""

from pathlib import Path

from bounceback import hookimpl
from bounceback.plugins import builtin_pack

ADVICE_PACKS = (
    "mindset",
    "feedback",
    "self-care",
    "skills",
    "materials",
    "interview-prep",
    "networking",
    "momentum",
    "alternatives",
)


@hookimpl
def bounceback_packs() -> list[Path]:
    """The advice packs."""
    return [builtin_pack(pack_id) for pack_id in ADVICE_PACKS]
