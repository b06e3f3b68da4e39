"""Reading a pack's lookup tables (``[tables.NAME]``): the question keying each table, its
default entry, and entries that all have the same fields, with their provenance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..errors import did_you_mean
from ..tables import PROVENANCE, Table
from .fields import FieldReader, describe_value
from .format import NAME_ID, TABLE

_TABLE_KEYS = set(TABLE)


class TableReader(FieldReader):
    """Reads the ``[tables.NAME]`` lookup tables of a pack."""

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
