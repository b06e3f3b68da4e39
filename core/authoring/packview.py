"""One loaded pack described for people (text) and tools (JSON): ``bounceback packs show``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import BouncebackError, Problem, did_you_mean
from ..model import Pack, Rule
from ..templates import source

if TYPE_CHECKING:
    from ..api import Bounceback


def find_pack(app: Bounceback, pack_id: str) -> Pack:
    """The loaded pack ``pack_id``; raises :class:`BouncebackError` naming the loaded ones."""
    by_id = {p.id: p for p in app.packs}
    if pack_id not in by_id:
        raise BouncebackError(
            Problem(
                f"no loaded pack {pack_id!r}{did_you_mean(pack_id, by_id)}; "
                f"loaded: {', '.join(sorted(by_id))}",
                field="PACK_ID",
                code="unknown-pack",
            )
        )
    return by_id[pack_id]


def describe_pack(pack: Pack, app: Bounceback) -> dict[str, Any]:
    """Everything about ``pack``: metadata, questions, checks, signals, rules and templates."""
    info = app.plugins.info.get(pack.plugin)
    return {
        "id": pack.id,
        "name": pack.name,
        "version": pack.version,
        "engine": pack.format_version,
        "description": pack.description,
        "file": str(pack.path) if pack.path else None,
        "plugin": pack.plugin,
        "source": info.source if info else None,
        "questions": [
            {
                "id": q.id,
                "section": q.section,
                "kind": q.kind,
                "prompt": q.prompt,
                "required": q.required,
                "allowed": q.describe_allowed(),
                "options": list(q.options),
                "min": q.min,
                "max": q.max,
            }
            for q in pack.questions
        ],
        "checks": [{"id": c.id, "when": c.when, "message": c.message} for c in pack.checks],
        "signals": dict(pack.signals),
        "rules": [_rule(r) for r in pack.rules],
        "templates": [
            {
                "name": t.name,
                "title": source(t.title),
                "subject": None if t.subject is None else source(t.subject),
            }
            for t in pack.templates
        ],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "category": rule.category,
        "topics": list(rule.topics),
        "weight": rule.weight,
        "when": rule.when,
        "strength": rule.strength,
        "timeframe": rule.timeframe,
        "effort": rule.effort,
        "pin": rule.pin,
        "after": list(rule.after),
        "excludes": list(rule.excludes),
        "template": rule.template,
    }


def render_text(data: dict[str, Any]) -> str:
    """The output of :func:`describe_pack` as terminal text."""
    out = [f"pack {data['id']} {data['version']}: {data['name']}"]
    if data["description"]:
        out.append(f"  {data['description']}")
    where = [
        ("file", data["file"]),
        ("plugin", data["plugin"] + (f" ({data['source']})" if data["source"] else "")),
        ("engine", data["engine"]),
    ]
    out += [f"  {label}: {value}" for label, value in where if value]
    out += ["", f"Questions ({len(data['questions'])})"]
    for q in data["questions"]:
        required = ", required" if q["required"] else ""
        out.append(f"  {q['id']}  [{q['kind']}{required}; {q['section']}] {q['prompt']}")
        out.append(f"      answer: {q['allowed']}")
    if data["checks"]:
        out += ["", f"Checks ({len(data['checks'])})"]
        for check in data["checks"]:
            out += [f"  {check['id']}: refused when {check['when']}", f"      {check['message']}"]
    out += ["", f"Signals ({len(data['signals'])})"]
    out += [f"  {name} = {expression}" for name, expression in data["signals"].items()]
    out += ["", f"Rules ({len(data['rules'])})"]
    for rule in data["rules"]:
        out.append(f"  {rule['id']}: {rule['title']}")
        pinned = " · pinned" if rule["pin"] else ""
        out.append(
            f"      {rule['category']} · topics {', '.join(rule['topics']) or '-'} · weight "
            f"{rule['weight']:g} · {rule['timeframe']} · {rule['effort']} effort{pinned}"
        )
        out.append(f"      when:     {rule['when'] or 'always (no condition)'}")
        out.append(f"      strength: {rule['strength'] or '1'}")
        for key in ("after", "excludes"):
            if rule[key]:
                out.append(f"      {key + ':':<9} {', '.join(rule[key])}")
        if rule["template"]:
            out.append(f"      template: {rule['template']}")
    out += ["", f"Templates ({len(data['templates'])})"]
    out += [f"  {t['name']}: {t['title']}" for t in data["templates"]]
    return "\n".join(out) + "\n"
