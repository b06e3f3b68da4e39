"""Lookup tables: facts about the world that pack texts show, chosen by one answer.

A pack's ``[tables.NAME]`` holds entries keyed by the options of one choice question (the
built-in ``helpline`` table: crisis lines by ``country``) and names a ``default`` entry for
every other answer, or none. Each field of the chosen entry is a text placeholder
``${NAME_FIELD}`` in a rule's ``why`` and actions and in drafts, filled like an answer.

Entries are facts that change (a phone number, a web address), so every entry records where it
comes from (``source``) and the day it was last ``checked``; :func:`stale_entries` lists the
entries not checked for more than :data:`REVIEW_MONTHS` months, which ``packs validate`` warns
about.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .errors import Problem

#: Fields every entry of every table has.
PROVENANCE = ("source", "checked")
#: An entry last checked longer ago than this is reported by ``packs validate``.
REVIEW_MONTHS = 12


@attrs.frozen
class Table:
    """One lookup table of a pack: ``entries`` maps an answer of question ``key`` (or the
    ``default`` entry's id) to its fields."""

    name: str
    pack: str
    key: str
    default: str
    entries: Mapping[str, Mapping[str, Any]]
    line: int | None = None
    _by_answer: dict[Any, dict[str, Any]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_answer = {
            entry: {f"{self.name}_{field}": value for field, value in fields.items()}
            for entry, fields in self.entries.items()
        }
        object.__setattr__(self, "_by_answer", by_answer)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields of every entry (those of the default entry), in order."""
        return tuple(self.entries[self.default])

    @property
    def names(self) -> tuple[str, ...]:
        """The placeholder name of each field: ``<table>_<field>``."""
        return tuple(f"{self.name}_{field}" for field in self.fields)

    def values(self, answer: Any) -> dict[str, Any]:
        """The placeholder values for ``answer``: its entry's, or the default entry's."""
        found = self._by_answer.get(answer) if isinstance(answer, str) else None
        return found if found is not None else self._by_answer[self.default]


def lookup(tables: Iterable[Table], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every table's placeholder values for these answers."""
    values: dict[str, Any] = {}
    for table in tables:
        values.update(table.values(answers.get(table.key)))
    return values


def stale_entries(
    tables: Iterable[Table], sources: Mapping[str, str], today: dt.date, months: int = REVIEW_MONTHS
) -> list[Problem]:
    """A warning (code ``stale``) for each entry last checked more than ``months`` months
    before ``today``; ``sources`` maps a pack id to the file that problems name."""
    limit = _months_before(today, months)
    problems = []
    for table in tables:
        for entry, fields in table.entries.items():
            checked = fields["checked"]
            if checked < limit:
                problems.append(
                    Problem(
                        f"entry {entry!r} was last checked on {checked.isoformat()}, more than {months} "
                        f"months ago: check it against {fields['source']} and update 'checked'",
                        sources.get(table.pack),
                        table.line,
                        f"tables.{table.name}.{entry}",
                        "stale",
                    )
                )
    return problems


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day if it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
