"""Reading one content pack (a TOML file) into a :class:`~bounceback.model.Pack`, table by table,
reporting every problem at once (the field readers are in :mod:`.fields`).

:func:`check_pack` keeps what could be read of a pack with problems (every entry whose id is
readable, a wrong field replaced by its default), so that ``packs validate`` checks it with the
other packs too and reports every problem of every file in one run; :func:`read_pack` refuses
a pack with any problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import PackError, Problem, did_you_mean
from ..files import read_text
from ..model import CATEGORIES, EFFORTS, TIERS, TIMEFRAMES, Capacity, Check, Mix, Pack, Rule, Template
from ..tables import PROVENANCE, Table
from . import format as pack_format
from .fields import describe_value
from .format import ANSWER_ID, FORMAT_VERSION, FULL_RULE_ID, NAME_ID, PACK_ID, RULE_ID, format_compatible
from .questions import QuestionReader
from .tomlfile import LineIndex, load_toml

_PACK_KEYS = set(pack_format.PACK)
_RULE_KEYS = set(pack_format.RULE)
_CAPACITY_KEYS = set(pack_format.CAPACITY)
_MIX_KEYS = set(pack_format.MIX)
_TEMPLATE_KEYS = set(pack_format.TEMPLATE)
_CHECK_KEYS = set(pack_format.CHECK)
_TABLE_KEYS = set(pack_format.TABLE)
_TOP_KEYS = set(pack_format.TOP)
#: A rule with every default, whose fields stand in for ones given wrong.
_DEFAULT_RULE = Rule(id="", pack="", category="", title="", why="", actions=())


@attrs.frozen
class PackCheck:
    """One pack file checked on its own: what could be read of it (``None`` when not even its
    ``[pack]`` table could) and every problem found."""

    pack: Pack | None
    problems: tuple[Problem, ...]


def pack_files(path: Path) -> list[Path]:
    """The pack files at ``path``: the file itself, or every ``*.toml`` directly in a folder."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.toml") if p.is_file())
    return [path]


def read_pack(path: Path, *, plugin: str = "") -> Pack:
    """Read and check one pack file; raise :class:`PackError` listing every problem."""
    return _strict(check_pack(path, plugin=plugin))


def parse_pack(text: str, *, source: str = "<pack>", path: Path | None = None, plugin: str = "") -> Pack:
    """Parse pack TOML ``text``; raise :class:`PackError` listing every problem."""
    return _strict(check_pack_text(text, source=source, path=path, plugin=plugin))


def check_pack(path: Path, *, plugin: str = "") -> PackCheck:
    """Read one pack file, keeping what could be read of it beside its problems (never raises
    for a problem of the file)."""
    try:
        text = read_text(path, expected="a .toml pack file", error=PackError)
    except PackError as exc:
        return PackCheck(None, exc.problems)
    return check_pack_text(text, source=str(path), path=path, plugin=plugin)


def check_pack_text(
    text: str, *, source: str = "<pack>", path: Path | None = None, plugin: str = ""
) -> PackCheck:
    """Parse pack TOML ``text`` as :func:`check_pack` does."""
    try:
        data = load_toml(text, source, error=PackError)
    except PackError as exc:
        return PackCheck(None, exc.problems)
    reader = PackReader(source, LineIndex(text))
    pack = reader.read(data, path=path, plugin=plugin)
    return PackCheck(pack, tuple(reader.problems))


def _strict(check: PackCheck) -> Pack:
    if check.problems:
        raise PackError(check.problems)
    assert check.pack is not None
    return check.pack


class PackReader(QuestionReader):
    """Turns parsed TOML into a :class:`Pack`, collecting problems instead of stopping.

    The pack it returns holds every entry whose id could be read, a wrong field replaced by
    its default, so that the checks between packs can still run on it: it is for checking
    only when there are problems. An entry whose id repeats one of the same pack is reported
    at its own line and left out (:meth:`~.fields.FieldReader._first`).
    """

    def __init__(self, source: str, index: LineIndex):
        super().__init__(source, index)
        self.categories: frozenset[str] = frozenset(CATEGORIES)  # and the pack's own, once read

    def read(self, data: Mapping[str, Any], *, path: Path | None, plugin: str) -> Pack | None:
        """The pack (``None`` without a usable ``[pack]`` table or id); problems in
        :attr:`problems`."""
        for key in data:
            if key not in _TOP_KEYS:
                self.problem(
                    f"unknown table {key!r}{did_you_mean(key, _TOP_KEYS)}",
                    self.index.key(key) or self.index.table(key),
                    key,
                    "unknown-key",
                )
        meta = data.get("pack")
        if not isinstance(meta, dict):
            self.problem("missing [pack] table with id, name and version", 1, "pack", "missing-field")
            return None
        pack_id, categories = self._pack_meta(meta)
        self.categories |= frozenset(categories)
        declared = self._declarations(meta)
        ident = pack_id or "?"  # the entries are still checked on their own
        questions = tuple(self._questions(data.get("questions", []), ident))
        checks = tuple(self._checks(data.get("checks", []), ident))
        signals = self._signals(data.get("signals", {}))
        templates = tuple(self._templates(data.get("templates", {}), ident))
        rules = tuple(self._rules(data.get("rules", []), ident))
        capacity = tuple(self._capacity(data.get("capacity", []), ident))
        mix = tuple(self._mix(data.get("mix", []), ident))
        tables = tuple(self._tables(data.get("tables", {}), ident))
        if pack_id is None:
            return None
        return Pack(
            id=pack_id,
            name=_text(meta.get("name")),
            version=_text(meta.get("version")),
            format_version=_text(meta.get("engine")),
            description=_text(meta.get("description")),
            categories=categories,
            questions=questions,
            signals=signals,
            rules=rules,
            templates=templates,
            checks=checks,
            capacity=capacity,
            mix=mix,
            tables=tables,
            path=path,
            plugin=plugin,
            lines=self.lines,
            **declared,
        )

    # -- fields -------------------------------------------------------------------------------

    def _pack_meta(self, meta: Mapping[str, Any]) -> tuple[str | None, tuple[str, ...]]:
        """The pack id (``None`` if unreadable) and the categories it declares."""
        line = self.index.table("pack")
        self._unknown_keys(meta, _PACK_KEYS, "pack", line)
        pack_id = self._string(meta, "id", "pack", line, pattern=PACK_ID)
        self._string(meta, "name", "pack", line)
        self._string(meta, "version", "pack", line)
        self._string(meta, "description", "pack", line, required=False)
        format_range = self._string(meta, "engine", "pack", line, required=False)
        if format_range is not None:
            ok = format_compatible(format_range)
            if ok is None:
                self.problem(
                    f"'engine' {format_range!r} is not a version range like '>=1,<2'",
                    self.index.key("engine", line),
                    "pack",
                    "bad-engine",
                )
            elif not ok:
                self.problem(
                    f"pack needs engine {format_range}, but this bounceback reads pack format "
                    f"{FORMAT_VERSION}; upgrade bounceback or use a matching pack version",
                    self.index.key("engine", line),
                    "pack",
                    "incompatible",
                )
        categories = self._words(meta, "categories", "pack", line, RULE_ID, "a category id like 'relocation'")
        for category in categories:
            if category in CATEGORIES:
                self.problem(
                    f"{category!r} is already a built-in category: declare only new ones",
                    self.index.key("categories", line),
                    "pack",
                    "duplicate",
                )
        return pack_id, tuple(c for c in categories if c not in CATEGORIES)

    def _declarations(self, meta: Mapping[str, Any]) -> dict[str, Any]:
        """What the pack declares for the rest of bounceback (see :class:`Pack`): its distress
        signal, and the questions naming the application and the person."""
        line = self.index.table("pack")
        distress = self._string(meta, "distress_signal", "pack", line, required=False, pattern=NAME_ID)
        return {
            "distress_signal": distress or "",
            "application": self._string_list(meta, "application", "pack", line),
            "person": self._string_list(meta, "person", "pack", line),
        }

    def _checks(self, entries: Any, pack_id: str) -> Iterable[Check]:
        conditionals = self._conditionals(entries, pack_id, "checks", _CHECK_KEYS, "{}")
        for full_id, where, when, line, entry in conditionals:
            message = self._string(entry, "message", where, line)
            if full_id and when and self._first("check", full_id.partition(".")[2], line, where):
                yield Check(id=full_id, pack=pack_id, when=when, message=message or "", line=line)

    def _conditionals(
        self, entries: Any, pack_id: str, table: str, keys: set[str], place: str
    ) -> Iterator[tuple[str | None, str, str | None, int | None, dict[str, Any]]]:
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
                self.lines.setdefault(f"{table}.{full_id}", line)  # a repeat keeps the first's line
            yield full_id, where, when, line, entry

    def _signals(self, table: Any) -> dict[str, str]:
        if not isinstance(table, dict):
            self.problem("'signals' must be a table of name = \"expression\"", None, "signals", "type")
            return {}
        signals = {}
        for name, expr in table.items():
            line = self.index.key(name, table="signals")
            if not NAME_ID.match(name):
                self.problem(
                    "signal names must be lower-case identifiers (letters, digits, '_')",
                    line,
                    f"signals.{name}",
                    "bad-id",
                )
            elif not isinstance(expr, str):
                self.problem(
                    f"must be an expression in quotes, got {describe_value(expr)}",
                    line,
                    f"signals.{name}",
                    "type",
                )
            else:
                signals[name] = expr
                if line:
                    self.lines[f"signals.{name}"] = line
        return signals

    def _templates(self, table: Any, pack_id: str) -> Iterable[Template]:
        for name, where, line, entry in self._named(
            table, "templates", "must be a table with 'title' and 'body'"
        ):
            self._unknown_keys(entry, _TEMPLATE_KEYS, where, line)
            title = self._wording(entry, "title", where, line)
            body = self._wording(entry, "body", where, line)
            subject = self._wording(entry, "subject", where, line, required=False)
            if line:
                self.lines[where] = line
            yield Template(name=name, title=title or "", body=body or "", subject=subject, pack=pack_id)

    def _rules(self, entries: Any, pack_id: str) -> Iterable[Rule]:
        for i, line, entry in self._entries(entries, "rules"):
            name = self._string(entry, "id", f"rules[{i}]", line, pattern=RULE_ID)
            where = f"{pack_id}.{name}" if name else f"rules[{i}]"
            self._unknown_keys(entry, _RULE_KEYS, where, line)
            fields = {
                "category": self._category(entry, where, line),
                "title": self._string(entry, "title", where, line),
                "when": self._string(entry, "when", where, line, required=False),
                "strength": self._string(entry, "strength", where, line, required=False),
                "timeframe": self._string(entry, "timeframe", where, line, choices=TIMEFRAMES),
                "effort": self._string(entry, "effort", where, line, choices=EFFORTS),
                "template": self._string(entry, "template", where, line, required=False),
                "tier": self._string(entry, "tier", where, line, required=False, choices=TIERS),
                "plan_effort": self._string(
                    entry, "plan_effort", where, line, required=False, choices=EFFORTS
                ),
            }
            why = self._wording(entry, "why", where, line)
            actions = self._actions(entry, where, line)
            weight = self._number(entry, "weight", where, line)
            if weight is None and "weight" not in entry:
                self.problem(
                    "missing required field 'weight' (importance from 0 to 1)", line, where, "missing-field"
                )
            elif weight is not None and not 0 <= weight <= 1:
                self.problem(
                    f"'weight' must be between 0 and 1, got {weight}",
                    self.index.key("weight", line),
                    where,
                    "range",
                )
            specificity = self._number(entry, "specificity", where, line) or 0.0
            if not 0 <= specificity <= 1:
                self.problem(
                    f"'specificity' must be between 0 (for anyone) and 1 (for this "
                    f"situation only), got {specificity}",
                    self.index.key("specificity", line),
                    where,
                    "range",
                )
            references = {}
            for key in ("after", "excludes", "merges"):
                refs = self._string_list(entry, key, where, line)
                full = tuple(r if "." in r else f"{pack_id}.{r}" for r in refs)
                for ref in full:
                    if not FULL_RULE_ID.match(ref):
                        self.problem(
                            f"{key!r} entry {ref!r} is not a rule id like 'pack.rule'",
                            self.index.key(key, line),
                            where,
                            "bad-id",
                        )
                references[key] = tuple(ref for ref in full if FULL_RULE_ID.match(ref))
            topics = self._string_list(entry, "topics", where, line)
            plan_topics = self._string_list(entry, "plan_topics", where, line)
            sources = self._string_list(entry, "sources", where, line)
            pin = self._bool(entry, "pin", where, line)
            if fields["tier"] is not None and pin != (fields["tier"] != "check-in"):
                self.problem(
                    f"a {fields['tier']!r} step must {'not ' if pin else ''}be pinned "
                    "(crisis and pinned steps are pinned, check-in steps are not)",
                    self.index.key("tier", line),
                    where,
                    "invalid",
                )
            plan_limit = self._count(entry, "plan_limit", where, line)
            plan_actions = self._count(entry, "plan_actions", where, line)
            audience = self._string(entry, "audience", where, line, required=False, pattern=RULE_ID)
            holds = self._words(entry, "holds", where, line, RULE_ID, "an audience word like 'employer'")
            answers = self._words(
                entry, "answers", where, line, ANSWER_ID, "'question.option', e.g. 'open_to.freelance'"
            )
            if name and self._first("rule", name, line, where):
                full_id = f"{pack_id}.{name}"
                if line:
                    self.lines[full_id] = line
                    for key in (
                        "when",
                        "strength",
                        "why",
                        "actions",
                        "template",
                        "after",
                        "excludes",
                        "merges",
                    ):
                        key_line = self.index.key(key, line)
                        if key_line:
                            self.lines[f"{full_id}.{key}"] = key_line
                # A wrong field becomes the model's default: the rule is still checked with the
                # other packs (its names, references, texts), and the pack is refused anyway.
                yield Rule(
                    id=full_id,
                    pack=pack_id,
                    category=fields["category"] or "",
                    topics=topics,
                    title=fields["title"] or "",
                    why=why if why is not None else "",
                    actions=actions,
                    when=fields["when"],
                    strength=fields["strength"],
                    weight=float(weight) if weight is not None and 0 <= weight <= 1 else _DEFAULT_RULE.weight,
                    timeframe=fields["timeframe"] or _DEFAULT_RULE.timeframe,
                    effort=fields["effort"] or _DEFAULT_RULE.effort,
                    template=fields["template"],
                    after=references["after"],
                    excludes=references["excludes"],
                    pin=pin,
                    sources=sources,
                    line=line,
                    plan_limit=plan_limit,
                    tier=fields["tier"],
                    audience=audience,
                    holds=holds,
                    merges=references["merges"],
                    answers=answers,
                    specificity=float(specificity),
                    plan_topics=plan_topics,
                    plan_effort=fields["plan_effort"],
                    plan_actions=plan_actions,
                )

    def _category(self, entry: Mapping[str, Any], where: str, line: int | None) -> str | None:
        """The rule's category: a built-in one, or one the pack declares."""
        category = self._string(entry, "category", where, line, pattern=RULE_ID)
        if category is None or category in self.categories:
            return category
        self.problem(
            f"'category' {category!r} is not a category{did_you_mean(category, self.categories)}: "
            f"use a built-in one ({', '.join(CATEGORIES)}) or declare it in "
            "[pack] categories",
            self.index.key("category", line) or line,
            where,
            "bad-word",
        )
        return None

    def _capacity(self, entries: Any, pack_id: str) -> Iterable[Capacity]:
        conditionals = self._conditionals(entries, pack_id, "capacity", _CAPACITY_KEYS, "capacity.{}")
        for full_id, where, when, line, entry in conditionals:
            steps = self._count(entry, "steps", where, line, required=True)
            if full_id and when and self._first("capacity", full_id.partition(".")[2], line, where):
                yield Capacity(id=full_id, pack=pack_id, when=when, steps=steps or 0, line=line)

    def _mix(self, entries: Any, pack_id: str) -> Iterable[Mix]:
        for i, line, entry in self._entries(entries, "mix"):
            name = self._string(entry, "id", f"mix[{i}]", line, pattern=RULE_ID)
            where = f"mix.{pack_id}.{name}" if name else f"mix[{i}]"
            self._unknown_keys(entry, _MIX_KEYS, where, line)
            topics = self._string_list(entry, "topics", where, line)
            if not topics and "topics" not in entry:
                self.problem(
                    "missing required field 'topics' (the topics that meet it)", line, where, "missing-field"
                )
            when = self._string(entry, "when", where, line, required=False)
            min_steps = self._count(entry, "min_steps", where, line)
            if name and topics:
                full_id = f"{pack_id}.{name}"
                if line:
                    self.lines[f"mix.{full_id}"] = line
                yield Mix(
                    id=full_id,
                    pack=pack_id,
                    topics=topics,
                    when=when,
                    min_steps=1 if min_steps is None else min_steps,
                    line=line,
                )

    def _tables(self, table: Any, pack_id: str) -> Iterable[Table]:
        shape = "must be a table with 'key', 'default' and [tables.NAME.entries.ID] tables"
        for name, where, line, spec in self._named(table, "tables", shape):
            self._unknown_keys(spec, _TABLE_KEYS, where, line)
            key = self._string(spec, "key", where, line, pattern=NAME_ID)
            default = self._string(spec, "default", where, line)
            entries = self._table_entries(spec.get("entries"), where)
            if default is not None and entries and default not in entries:
                self.problem(
                    f"'default' {default!r} is not one of the entries{did_you_mean(default, entries)}",
                    self.index.key("default", line),
                    where,
                    "reference",
                )
            elif key and default and entries:
                if line:
                    self.lines[where] = line
                yield Table(name=name, pack=pack_id, key=key, default=default, entries=entries, line=line)

    def _table_entries(self, entries: Any, where: str) -> dict[str, dict[str, Any]]:
        """The entries of one table, each with the same fields, every one non-empty text but
        ``checked`` (a date); ``{}`` after reporting any problem."""
        if not isinstance(entries, dict) or not entries:
            self.problem(
                "missing [tables.NAME.entries.ID] tables (at least one entry)",
                self.index.table(where),
                where,
                "missing-field",
            )
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
                    self.problem(
                        f"missing field {field!r} (every entry needs the fields {', '.join(required)})",
                        line,
                        at,
                        "missing-field",
                    )
                    ok = False
            fields = fields or set(entry)
            for field, value in entry.items():
                key_line = self.index.key(field, line) or line
                if field not in fields:
                    self.problem(
                        f"field {field!r} is not in the other entries: every entry has the same fields",
                        key_line,
                        at,
                        "unknown-key",
                    )
                    ok = False
                elif not NAME_ID.match(field):
                    self.problem("field names must be lower-case identifiers", key_line, at, "bad-id")
                    ok = False
                elif field == "checked":
                    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                        self.problem(
                            f"'checked' must be a date like 2026-12-01, got {describe_value(value)}",
                            key_line,
                            at,
                            "type",
                        )
                        ok = False
                elif not isinstance(value, str) or not value.strip():
                    self.problem(
                        f"{field!r} must be non-empty text, got {describe_value(value)}", key_line, at, "type"
                    )
                    ok = False
                elif field == "source" and not value.startswith(("https://", "http://")):
                    self.problem(
                        f"'source' must be the web address the entry was checked against, got {value!r}",
                        key_line,
                        at,
                        "invalid",
                    )
                    ok = False
        return entries if ok else {}


def _text(value: Any) -> str:
    """A ``[pack]`` text as read, or ``""`` when it was missing or wrong (already reported)."""
    return value if isinstance(value, str) else ""
