"""The built-in output formats."""

from bounceback import hookimpl
from bounceback.render import Renderer, html, ics, markdown, text
from bounceback.render import json as json_renderer


@hookimpl
def bounceback_renderers() -> dict[str, Renderer]:
    """text (terminal), json (the plan contract), markdown, html (printable page), ics (calendar)."""
    return {
        "text": Renderer("text", "readable plan for a terminal", ".txt", text.render),
        "json": Renderer("json", "the JSON plan contract (schema 1)", ".json", json_renderer.render),
        "markdown": Renderer("markdown", "Markdown for notes, wikis and chat", ".md", markdown.render),
        "html": Renderer("html", "one self-contained printable page", ".html", html.render),
        "ics": Renderer("ics", "calendar: one dated event per step", ".ics", ics.render),
    }
