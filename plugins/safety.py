"""Safety first: the support pack, whose pinned ``support.professional-help`` step leads the
plan whenever someone reports strong hopelessness (≥ 4), or self-doubt and anxiety both at 5."""

from pathlib import Path

from bounceback import hookimpl
from bounceback.plugins import builtin_pack


@hookimpl
def bounceback_packs() -> list[Path]:
    """The support pack (professional help, support groups, coaching)."""
    return [builtin_pack("support")]
