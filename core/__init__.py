"""bounceback: a ranked, explained next-steps plan after an interview rejection.

The public API::

    import bounceback
    plan = bounceback.plan({"stage_reached": "interview", ...})   # default plugins
    app = bounceback.load(packs=["my-pack/"])                    # or configure first
    print(app.render(app.plan(answers), "markdown"))

Plugins write ``from bounceback import hookimpl``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .hookspecs import hookimpl

__version__ = "0.1.0"
__all__ = ["Bounceback", "__version__", "hookimpl", "load", "plan"]

if TYPE_CHECKING:
    from .api import Bounceback, load, plan


def __getattr__(name: str) -> Any:
    # The API pulls in the engine; keep `import bounceback` (and CLI start-up) light.
    if name in ("load", "plan", "Bounceback"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'bounceback' has no attribute {name!r}")
