"""Reading one content pack (a TOML file) into a :class:`~bounceback.model.Pack`, table by table,
reporting every problem at once (the field readers are in :mod:`.fields`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import PackError, did_you_mean
from ..files import read_text
from ..model import EFFORTS, TIERS, TIMEFRAMES, Capacity, Check, Mix, Pack, Rule, Template
from ..tables import PROVENANCE, Table
from .fields import describe_value
from .format import ANSWER_ID, FORMAT_VERSION, FULL_RULE_ID, NAME_ID, PACK_ID, RULE_ID, format_compatible
from .questions import QuestionReader
from .tomlfile import LineIndex, load_toml

_PACK_KEYS = {"id", "name", "version", "engine", "description", "distress_signal", "application", "person"}
_RULE_KEYS = {"id", "category", "topics", "title", "why", "when", "weight", "strength",
              "timeframe", "effort", "actions", "template", "after", "excludes", "pin", "sources",
              "plan_limit", "tier", "audience", "holds", "merges", "answers", "specificity",
              "plan_topics", "plan_effort", "plan_actions"}
_CAPACITY_KEYS = {"id", "when", "steps"}
_MIX_KEYS = {"id", "topics", "when", "min_steps"}
_TEMPLATE_KEYS = {"title", "subject", "body"}
_CHECK_KEYS = {"id", "when", "message"}
_TABLE_KEYS = {"key", "default", "entries"}
_TOP_KEYS = {"pack", "questions", "checks", "signals", "rules", "templates", "capacity", "mix", "tables"}


def pack_files(path: Path) -> list[Path]:
    """The pack files at ``path``: the file itself, or every ``*.toml`` directly in a folder."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.toml") if p.is_file())
    return [path]


def read_pack(path: Path, *, plugin: str = "") -> Pack:
    """Read and check one pack file; raise :class:`PackError` listing every problem."""
    text = read_text(path, expected="a .toml pack file", error=PackError)
    return parse_pack(text, source=str(path), path=path, plugin=plugin)


def parse_pack(text: str, *, source: str = "<pack>", path: Path | None = None, plugin: str = "") -> Pack:
    """Parse pack TOML ``text``; raise :class:`PackError` listing every problem."""
    data = load_toml(text, source, error=PackError)
    return PackReader(source, LineIndex(text)).read(data, path=path, plugin=plugin)


class PackReader(QuestionReader):
    """Turns parsed TOML into a :class:`Pack`, collecting problems instead of stopping."""

    def read(self, data: Mapping[str, Any], *, path: Path | None, plugin: str) -> Pack:
        for key in data:
            if key not in _TOP_KEYS:
                self.problem(f"unknown table {key!r}{did_you_mean(key, _TOP_KEYS)}",
                             self.index.key(key) or self.index.table(key), key, "unknown-key")
        meta = data.get("pack")
        if not isinstance(meta, dict):
            self.problem("missing [pack] table with id, name and version", 1, "pack", "missing-field")
            raise PackError(self.problems)
        pack_id = self._pack_meta(meta)
        declared = self._declarations(meta)
        questions = tuple(self._questions(data.get("questions", []), pack_id))
        checks = tuple(self._checks(data.get("checks", []), pack_id))
        signals = self._signals(data.get("signals", {}))
        templates = tuple(self._templates(data.get("templates", {}), pack_id))
        rules = tuple(self._rules(data.get("rules", []), pack_id))
        capacity = tuple(self._capacity(data.get("capacity", []), pack_id))
        mix = tuple(self._mix(data.get("mix", []), pack_id))
        tables = tuple(self._tables(data.get("tables", {}), pack_id))
        if self.problems:
            raise PackError(self.problems)
        return Pack(
            id=pack_id, name=meta["name"], version=meta["version"], format_version=meta.get("engine", ""),
            description=meta.get("description", ""), questions=questions, signals=signals,
            rules=rules, templates=templates, checks=checks, capacity=capacity, mix=mix, tables=tables,
            path=path, plugin=plugin, lines=self.lines, **declared,
        )

    # -- fields -------------------------------------------------------------------------------

    def _pack_meta(self, meta: Mapping[str, Any]) -> str:
        line = self.index.table("pack")
        self._unknown_keys(meta, _PACK_KEYS, "pack", line)
        pack_id = self._string(meta, "id", "pack", line, pattern=PACK_ID) or "?"
        self._string(meta, "name", "pack", line)
        self._string(meta, "version", "pack", line)
        self._string(meta, "description", "pack", line, required=False)
        format_range = self._string(meta, "engine", "pack", line, required=False)
        if format_range is not None:
            ok = format_compatible(format_range)
            if ok is None:
                self.problem(f"'engine' {format_range!r} is not a version range like '>=1,<2'",
                             self.index.key("engine", line), "pack", "bad-engine")
            elif not ok:
                self.problem(f"pack needs engine {format_range}, but this bounceback reads pack format "
                             f"{FORMAT_VERSION}; upgrade bounceback or use a matching pack version",
                             self.index.key("engine", line), "pack", "incompatible")
        return pack_id

    def _declarations(self, meta: Mapping[str, Any]) -> dict[str, Any]:
        """What the pack declares for the rest of bounceback (see :class:`Pack`): its distress
        signal, and the questions naming the application and the person."""
        line = self.index.table("pack")
        distress = self._string(meta, "distress_signal", "pack", line, required=False, pattern=NAME_ID)
        return {"distress_signal": distress or "",
                "application": self._string_list(meta, "application", "pack", line),
                "person": self._string_list(meta, "person", "pack", line)}

    def _checks(self, entries: Any, pack_id: str) -> Iterable[Check]:
        conditionals = self._conditionals(entries, pack_id, "checks", _CHECK_KEYS, "{}")
        for full_id, where, when, line, entry in conditionals:
            message = self._string(entry, "message", where, line)
            if full_id and when and message:
                yield Check(id=full_id, pack=pack_id, when=when, message=message, line=line)

    def _conditionals(self, entries: Any, pack_id: str, table: str, keys: set[str],
                      place: str) -> Iterator[tuple[str | None, str, str | None, int | None, dict[str, Any]]]:
        """The entries of ``[[table]]`` with an ``id`` and a ``when`` (checks, capacity), each
        with its full id (``None`` when its id is missing or bad), where it is (``place``
        formats it from the full id), its ``when``, line and fields."""
        for i, line, entry in self._entries(entries, table):
            name = self._string(entry, "id", f"{table}[{i}]", line, pattern=RULE_ID)
            full_id = f"{pack_id}.{name}" if name else None
            where = place.format(full_id) if full_id else f"{table}[{i}]"
            self._unknown_keys(entry, keys, where, line)
            when = self._string(entry, "when", where, line)
            if full_id and line:
                self.lines[f"{table}.{full_id}"] = line
            yield full_id, where, when, line, entry

    def _signals(self, table: Any) -> dict[str, str]:
        if not isinstance(table, dict):
            self.problem("'signals' must be a table of name = \"expression\"", None, "signals", "type")
            return {}
        signals = {}
        for name, expr in table.items():
            line = self.index.key(name, table="signals")
            if not NAME_ID.match(name):
                self.problem("signal names must be lower-case identifiers (letters, digits, '_')",
                             line, f"signals.{name}", "bad-id")
            elif not isinstance(expr, str):
                self.problem(f"must be an expression in quotes, got {describe_value(expr)}", line,
                             f"signals.{name}", "type")
            else:
                signals[name] = expr
                if line:
                    self.lines[f"signals.{name}"] = line
        return signals

    def _templates(self, table: Any, pack_id: str) -> Iterable[Template]:
        for name, where, line, entry in self._named(table, "templates", "must be a table with 'title' and 'body'"):
            self._unknown_keys(entry, _TEMPLATE_KEYS, where, line)
            title = self._wording(entry, "title", where, line)
            body = self._wording(entry, "body", where, line)
            subject = self._wording(entry, "subject", where, line, required=False)
            if title and body:
                if line:
                    self.lines[where] = line
                yield Template(name=name, title=title, body=body, subject=subject, pack=pack_id)

    def _rules(self, entries: Any, pack_id: str) -> Iterable[Rule]:
        for i, line, entry in self._entries(entries, "rules"):
            name = self._string(entry, "id", f"rules[{i}]", line, pattern=RULE_ID)
            where = f"{pack_id}.{name}" if name else f"rules[{i}]"
            self._unknown_keys(entry, _RULE_KEYS, where, line)
            fields = {
                "category": self._string(entry, "category", where, line, pattern=RULE_ID),
                "title": self._string(entry, "title", where, line),
                "when": self._string(entry, "when", where, line, required=False),
                "strength": self._string(entry, "strength", where, line, required=False),
                "timeframe": self._string(entry, "timeframe", where, line, choices=TIMEFRAMES),
                "effort": self._string(entry, "effort", where, line, choices=EFFORTS),
                "template": self._string(entry, "template", where, line, required=False),
                "tier": self._string(entry, "tier", where, line, required=False, choices=TIERS),
                "plan_effort": self._string(entry, "plan_effort", where, line, required=False,
                                            choices=EFFORTS),
            }
            why = self._wording(entry, "why", where, line)
            actions = self._actions(entry, where, line)
            weight = self._number(entry, "weight", where, line)
            if weight is None and "weight" not in entry:
                self.problem("missing required field 'weight' (importance from 0 to 1)", line, where,
                             "missing-field")
            elif weight is not None and not 0 <= weight <= 1:
                self.problem(f"'weight' must be between 0 and 1, got {weight}",
                             self.index.key("weight", line), where, "range")
            specificity = self._number(entry, "specificity", where, line) or 0.0
            if not 0 <= specificity <= 1:
                self.problem(f"'specificity' must be between 0 (for anyone) and 1 (for this "
                             f"situation only), got {specificity}",
                             self.index.key("specificity", line), where, "range")
            references = {}
            for key in ("after", "excludes", "merges"):
                refs = self._string_list(entry, key, where, line)
                full = tuple(r if "." in r else f"{pack_id}.{r}" for r in refs)
                for ref in full:
                    if not FULL_RULE_ID.match(ref):
                        self.problem(f"{key!r} entry {ref!r} is not a rule id like 'pack.rule'",
                                     self.index.key(key, line), where, "bad-id")
                references[key] = full
            topics = self._string_list(entry, "topics", where, line)
            plan_topics = self._string_list(entry, "plan_topics", where, line)
            sources = self._string_list(entry, "sources", where, line)
            pin = self._bool(entry, "pin", where, line)
            if fields["tier"] is not None and pin != (fields["tier"] != "check-in"):
                self.problem(f"a {fields['tier']!r} step must {'not ' if pin else ''}be pinned "
                             "(crisis and pinned steps are pinned, check-in steps are not)",
                             self.index.key("tier", line), where, "invalid")
            plan_limit = self._count(entry, "plan_limit", where, line)
            plan_actions = self._count(entry, "plan_actions", where, line)
            audience = self._string(entry, "audience", where, line, required=False, pattern=RULE_ID)
            holds = self._words(entry, "holds", where, line, RULE_ID, "an audience word like 'employer'")
            answers = self._words(entry, "answers", where, line, ANSWER_ID,
                                  "'question.option', e.g. 'open_to.freelance'")
            if name and all(fields[k] for k in ("category", "title", "timeframe", "effort")) \
                    and why is not None and actions and weight is not None:
                full_id = f"{pack_id}.{name}"
                if line:
                    self.lines[full_id] = line
                    for key in ("when", "strength", "why", "actions", "template"):
                        key_line = self.index.key(key, line)
                        if key_line:
                            self.lines[f"{full_id}.{key}"] = key_line
                yield Rule(
                    id=full_id, pack=pack_id, category=fields["category"] or "", topics=topics,
                    title=fields["title"] or "", why=why, actions=actions,
                    when=fields["when"], strength=fields["strength"], weight=float(weight),
                    timeframe=fields["timeframe"] or "", effort=fields["effort"] or "",
                    template=fields["template"], after=references["after"],
                    excludes=references["excludes"], pin=pin, sources=sources, line=line,
                    plan_limit=plan_limit, tier=fields["tier"], audience=audience, holds=holds,
                    merges=references["merges"], answers=answers, specificity=float(specificity),
                    plan_topics=plan_topics, plan_effort=fields["plan_effort"],
                    plan_actions=plan_actions,
                )

    def _capacity(self, entries: Any, pack_id: str) -> Iterable[Capacity]:
        conditionals = self._conditionals(entries, pack_id, "capacity", _CAPACITY_KEYS, "capacity.{}")
        for full_id, where, when, line, entry in conditionals:
            steps = self._count(entry, "steps", where, line, required=True)
            if full_id and when and steps is not None:
                yield Capacity(id=full_id, pack=pack_id, when=when, steps=steps, line=line)

    def _mix(self, entries: Any, pack_id: str) -> Iterable[Mix]:
        for i, line, entry in self._entries(entries, "mix"):
            name = self._string(entry, "id", f"mix[{i}]", line, pattern=RULE_ID)
            where = f"mix.{pack_id}.{name}" if name else f"mix[{i}]"
            self._unknown_keys(entry, _MIX_KEYS, where, line)
            topics = self._string_list(entry, "topics", where, line)
            if not topics and "topics" not in entry:
                self.problem("missing required field 'topics' (the topics that meet it)", line,
                             where, "missing-field")
            when = self._string(entry, "when", where, line, required=False)
            min_steps = self._count(entry, "min_steps", where, line)
            if name and topics:
                full_id = f"{pack_id}.{name}"
                if line:
                    self.lines[f"mix.{full_id}"] = line
                yield Mix(id=full_id, pack=pack_id, topics=topics, when=when,
                          min_steps=1 if min_steps is None else min_steps, line=line)

    def _tables(self, table: Any, pack_id: str) -> Iterable[Table]:
        shape = "must be a table with 'key', 'default' and [tables.NAME.entries.ID] tables"
        for name, where, line, spec in self._named(table, "tables", shape):
            self._unknown_keys(spec, _TABLE_KEYS, where, line)
            key = self._string(spec, "key", where, line, pattern=NAME_ID)
            default = self._string(spec, "default", where, line)
            entries = self._table_entries(spec.get("entries"), where)
            if default is not None and entries and default not in entries:
                self.problem(f"'default' {default!r} is not one of the entries"
                             f"{did_you_mean(default, entries)}", self.index.key("default", line),
                             where, "reference")
            elif key and default and entries:
                if line:
                    self.lines[where] = line
                yield Table(name=name, pack=pack_id, key=key, default=default, entries=entries, line=line)

    def _table_entries(self, entries: Any, where: str) -> dict[str, dict[str, Any]]:
        """The entries of one table, each with the same fields, every one non-empty text but
        ``checked`` (a date); ``{}`` after reporting any problem."""
        if not isinstance(entries, dict) or not entries:
            self.problem("missing [tables.NAME.entries.ID] tables (at least one entry)",
                         self.index.table(where), where, "missing-field")
            return {}
        ok = True
        fields: set[str] | None = None
        for entry_id, entry in entries.items():
            at = f"{where}.{entry_id}"
            line = self.index.table(f"{where}.entries.{entry_id}")
            if not isinstance(entry, dict):
                self.problem("each entry must be a table of fields", line, at, "type")
                ok = False
                continue
            required = sorted({*PROVENANCE, *(fields or ())})
            for field in required:
                if field not in entry:
                    self.problem(f"missing field {field!r} (every entry needs the fields "
                                 f"{', '.join(required)})", line, at, "missing-field")
                    ok = False
            fields = fields or set(entry)
            for field, value in entry.items():
                key_line = self.index.key(field, line) or line
                if field not in fields:
                    self.problem(f"field {field!r} is not in the other entries: every entry has the "
                                 "same fields", key_line, at, "unknown-key")
                    ok = False
                elif not NAME_ID.match(field):
                    self.problem("field names must be lower-case identifiers", key_line, at, "bad-id")
                    ok = False
                elif field == "checked":
                    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                        self.problem(f"'checked' must be a date like 2026-12-01, got {describe_value(value)}",
                                     key_line, at, "type")
                        ok = False
                elif not isinstance(value, str) or not value.strip():
                    self.problem(f"{field!r} must be non-empty text, got {describe_value(value)}", key_line, at,
                                 "type")
                    ok = False
                elif field == "source" and not value.startswith(("https://", "http://")):
                    self.problem(f"'source' must be the web address the entry was checked against, "
                                 f"got {value!r}", key_line, at, "invalid")
                    ok = False
        return entries if ok else {}


