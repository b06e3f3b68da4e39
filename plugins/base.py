"""The base questionnaire (DESIGN §6) and the signals every advice pack shares."""

from pathlib import Path

from bounceback import hookimpl
from bounceback.plugins import builtin_pack


@hookimpl
def bounceback_packs() -> list[Path]:
    """The base pack."""
    return [builtin_pack("base")]
