"""Safety first (DESIGN §6c, docs/safety.md): the support pack's three tiers of safety steps
(crisis, pinned professional help, check-in) and the helplines they show, by country."""

from pathlib import Path

from bounceback import hookimpl
from bounceback.plugins import builtin_pack


@hookimpl
def bounceback_packs() -> list[Path]:
    """The support pack (safety steps, support groups, coaching) and the helplines table."""
    return [builtin_pack("support"), builtin_pack("helplines")]
