"""Reading one content pack (a TOML file) into a :class:`~bounceback.model.Pack`, table by table,
reporting every problem at once (the field readers are in :mod:`.fields`).

The ``[pack]`` table and the small entries (checks, signals, templates, capacity, mix) are read
here; the rules by :mod:`.rules`, the lookup tables by :mod:`.tables`.

:func:`check_pack` keeps what could be read of a pack with problems (every entry whose id is
readable, a wrong field replaced by its default), so that ``packs validate`` checks it with the
other packs too and reports every problem of every file in one run; :func:`read_pack` refuses
a pack with any problem.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import PackError, Problem, did_you_mean
from ..files import read_text
from ..model import CATEGORIES, Capacity, Check, Mix, Pack, Template
from . import format as pack_format
from .fields import describe_value
from .format import FORMAT_VERSION, NAME_ID, PACK_ID, RULE_ID, format_compatible
from .rules import RuleReader
from .tables import TableReader
from .tomlfile import LineIndex, load_toml

_PACK_KEYS = set(pack_format.PACK)
_CAPACITY_KEYS = set(pack_format.CAPACITY)
_MIX_KEYS = set(pack_format.MIX)
_TEMPLATE_KEYS = set(pack_format.TEMPLATE)
_CHECK_KEYS = set(pack_format.CHECK)
_TOP_KEYS = set(pack_format.TOP)


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
    """Parse pack TOML ``text`` as :func:`check_pack` does. The result is remembered for the
    same text, source, path and plugin (a :class:`PackCheck` is frozen): a process that loads
    the packs again, as the tests and ``bounceback serve`` do, reads each unchanged file once."""
    return _check_pack_text(text, source, path, plugin)


@functools.lru_cache(maxsize=128)
def _check_pack_text(text: str, source: str, path: Path | None, plugin: str) -> PackCheck:
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


class PackReader(RuleReader, TableReader):
    """Turns parsed TOML into a :class:`Pack`, collecting problems instead of stopping.

    The pack it returns holds every entry whose id could be read, a wrong field replaced by
    its default, so that the checks between packs can still run on it: it is for checking
    only when there are problems. An entry whose id repeats one of the same pack is reported
    at its own line and left out (:meth:`~.fields.FieldReader._first`).
    """

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

    def _capacity(self, entries: Any, pack_id: str) -> Iterable[Capacity]:
        conditionals = self._conditionals(entries, pack_id, "capacity", _CAPACITY_KEYS, "capacity.{}")
        for full_id, where, when, line, entry in conditionals:
            # A plan sized to no steps would show nothing but "no step stands out" (newcomer 31).
            least = int(pack_format.CAPACITY["steps"].low or 0)
            steps = self._count(entry, "steps", where, line, required=True, least=least)
            reason = self._string(entry, "reason", where, line, required=False)
            size_only = self._bool(entry, "size_only", where, line)
            if full_id and when and self._first("capacity", full_id.partition(".")[2], line, where):
                yield Capacity(
                    id=full_id,
                    pack=pack_id,
                    when=when,
                    steps=steps or 0,
                    reason=reason,
                    size_only=size_only,
                    line=line,
                )

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


def _text(value: Any) -> str:
    """A ``[pack]`` text as read, or ``""`` when it was missing or wrong (already reported)."""
    return value if isinstance(value, str) else ""
