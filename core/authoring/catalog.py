"""The advice catalogue in Markdown, generated from the loaded packs (docs/advice.md)."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Pack


def _cell(text: str | None) -> str:
    return (text or "always").replace("|", "\\|").replace("\n", " ")


def render_catalog(packs: Sequence[Pack]) -> str:
    """Markdown: each pack's rules with what triggers them, the signals, and topic coverage."""
    out = [
        "# The advice catalogue",
        "",
        "Generated from the packs by `bounceback packs catalog`; do not edit by hand.",
        "A rule is recommended when its `when` holds; its score is `weight × strength`.",
        "",
    ]
    signals = [(name, expr, pack.id) for pack in packs for name, expr in pack.signals.items()]
    if signals:
        out += ["## Signals", "", "| signal | pack | expression |", "|---|---|---|"]
        out += [f"| `{name}` | {pid} | `{_cell(expr)}` |" for name, expr, pid in signals]
        out.append("")
    topics: dict[str, list[str]] = {}
    for pack in packs:
        if not pack.rules:
            continue
        out += [f"## {pack.name} (`{pack.id}` {pack.version})", ""]
        if pack.description:
            out += [pack.description, ""]
        out += [
            "| rule | title | topics | when | weight × strength | timeframe |",
            "|---|---|---|---|---|---|",
        ]
        for rule in pack.rules:
            for topic in rule.topics:
                topics.setdefault(topic, []).append(rule.id)
            strength = f" × `{_cell(rule.strength)}`" if rule.strength else ""
            pin = " (pinned)" if rule.pin else ""
            out.append(
                f"| `{rule.id}`{pin} | {_cell(rule.title)} | {', '.join(rule.topics)} | "
                f"`{_cell(rule.when)}` | {rule.weight:g}{strength} | {rule.timeframe} |"
            )
        out.append("")
    out += ["## Topics", "", "| topic | rules |", "|---|---|"]
    out += [f"| {topic} | {', '.join(f'`{r}`' for r in rules)} |" for topic, rules in sorted(topics.items())]
    return "\n".join(out) + "\n"
