"""The built-in output formats."""

from bounceback import hookimpl
from bounceback.render import Renderer
from bounceback.render import json as json_renderer
from bounceback.render import text


@hookimpl
def bounceback_renderers() -> dict[str, Renderer]:
    """text (terminal) and json (the plan contract)."""
    return {
        "text": Renderer("text", "readable plan for a terminal", ".txt", text.render),
        "json": Renderer("json", "the JSON plan contract (schema 1)", ".json", json_renderer.render),
    }
