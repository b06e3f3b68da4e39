"""Reading the fields of a pack's tables: texts, wordings, lists, numbers, flags, each checked
and reported with its line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..errors import Problem, did_you_mean
from ..model import Variant, Wording
from ..templates import TextError, parse
from .format import NAME_ID, RULE_ID
from .tomlfile import LineIndex

_VARIANT_KEYS = {"when", "text"}


class FieldReader:
    """Reads and checks single fields of a pack's tables, collecting problems instead of stopping."""

    def __init__(self, source: str, index: LineIndex):
        self.source = source
        self.index = index
        self.seen: dict[str, int | None] = {}  # "kind:id" → the line of its first definition
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}

    def problem(
        self, message: str, line: int | None = None, field: str | None = None, code: str = "invalid"
    ) -> None:
        self.problems.append(Problem(message, self.source, line, field, code))

    def _at_key(self, key: str, line: int | None, where: str, message: str, code: str) -> None:
        """A problem with the field ``key`` of the entry at ``line``, reported at the key's own line."""
        self.problem(message, self.index.key(key, line) or line, where, code)

    def _unknown_keys(
        self, table: Mapping[str, Any], allowed: set[str], where: str, line: int | None
    ) -> None:
        for key in table:
            if key not in allowed:
                self._at_key(
                    key, line, where, f"unknown field {key!r}{did_you_mean(key, allowed)}", "unknown-key"
                )

    def _field(
        self, table: Mapping[str, Any], key: str, where: str, line: int | None, required: bool
    ) -> tuple[Any, int | None]:
        """The value of ``key`` (``None`` when it is missing, reported if ``required``) and
        the line to report its problems at."""
        value = table.get(key)
        if value is None and required:
            self.problem(f"missing required field {key!r}", line, where, "missing-field")
        return value, self.index.key(key, line) or line

    def _string(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        line: int | None,
        *,
        required: bool = True,
        pattern: re.Pattern[str] | None = None,
        choices: Iterable[str] | None = None,
    ) -> str | None:
        value, key_line = self._field(table, key, where, line, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(
                f"{key!r} must be non-empty text, got {describe_value(value)}", key_line, where, "type"
            )
            return None
        if pattern is not None and not pattern.match(value):
            self.problem(
                f"{key!r} {value!r} must be lower-case letters, digits, '-' or '_', starting with a letter",
                key_line,
                where,
                "bad-id",
            )
            return None
        if choices is not None and value not in choices:
            choices = list(choices)
            self.problem(
                f"{key!r} must be one of {', '.join(choices)}; got {value!r}{did_you_mean(value, choices)}",
                key_line,
                where,
                "bad-word",
            )
            return None
        return value

    def _string_list(
        self, table: Mapping[str, Any], key: str, where: str, line: int | None
    ) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self._at_key(
                key,
                line,
                where,
                f"{key!r} must be a list of non-empty texts, got {describe_value(value)}",
                "type",
            )
            return ()
        return tuple(value)

    def _wording(
        self, table: Mapping[str, Any], key: str, where: str, line: int | None, *, required: bool = True
    ) -> Wording | None:
        """A text field: a string, or an array of ``{when = "...", text = "..."}`` tables
        ending with a fallback ``{text = "..."}``."""
        value, key_line = self._field(table, key, where, line, required)
        if value is None:
            return None
        return self._text_value(value, f"{key!r}", where, key_line, fallback=True)

    def _text_value(
        self, value: Any, what: str, where: str, line: int | None, *, fallback: bool
    ) -> Wording | None:
        """One text (a string or variants); ``fallback``: variants must end with one without
        ``when``, so that some wording always shows."""
        if isinstance(value, str):
            return value if self._text_ok(value, what, where, line) else None
        shape = f'{what} must be text, or an array of {{when = "...", text = "..."}} tables' + (
            ' ending with a fallback {text = "..."}' if fallback else ""
        )
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.problem(f"{shape}, got {describe_value(value)}", line, where, "type")
            return None
        variants: list[Variant] = []
        ok = True
        for i, entry in enumerate(value):
            unknown = sorted(set(entry) - _VARIANT_KEYS)
            text, when = entry.get("text"), entry.get("when")
            label = f"{what} variant {i + 1}"
            if unknown:
                self.problem(
                    f"{label}: unknown field {unknown[0]!r}{did_you_mean(unknown[0], _VARIANT_KEYS)}; "
                    "a variant has 'when' and 'text'",
                    line,
                    where,
                    "unknown-key",
                )
                ok = False
            if not isinstance(text, str) or not text.strip():
                self.problem(
                    f"{label}: 'text' must be non-empty text, got {describe_value(text)}", line, where, "type"
                )
                ok = False
            elif not self._text_ok(text, label, where, line):
                ok = False
            if when is not None and (not isinstance(when, str) or not when.strip()):
                self.problem(
                    f"{label}: 'when' must be a condition in quotes, got {describe_value(when)}",
                    line,
                    where,
                    "type",
                )
                ok = False
            elif when is None and i < len(value) - 1:
                self.problem(
                    f"{label} has no 'when', so the variants after it never show; put the fallback last",
                    line,
                    where,
                    "invalid",
                )
                ok = False
            variants.append(Variant(when, text if isinstance(text, str) else ""))
        if fallback and ok and variants[-1].when is not None:
            self.problem(
                f"{shape}: add a last variant without 'when', used when no condition holds",
                line,
                where,
                "missing-field",
            )
            ok = False
        return tuple(variants) if ok else None

    def _text_ok(self, text: str, what: str, where: str, line: int | None) -> bool:
        try:
            parse(text)
        except TextError as exc:
            for message in exc.messages:
                self.problem(f"{what}: {message}", line, where, "text")
            return False
        return True

    def _actions(
        self, table: Mapping[str, Any], where: str, line: int | None
    ) -> tuple[tuple[Wording, ...], tuple[tuple[int, str], ...]]:
        """``actions``: texts, each a string, a conditional ``{when, text}`` table or variants;
        and ``(action index, advice id)`` for the actions whose tables name an ``advice``."""
        value = table.get("actions")
        key_line = self.index.key("actions", line) or line
        if value is None:
            self.problem("missing required field 'actions'", line, where, "missing-field")
            return (), ()
        if not isinstance(value, list) or not value:
            if isinstance(value, list):
                self.problem("'actions' must list at least one concrete action", line, where, "invalid")
            else:
                self.problem(
                    f"'actions' must be a list of non-empty texts, got {describe_value(value)}",
                    key_line,
                    where,
                    "type",
                )
            return (), ()
        actions: list[Wording] = []
        advice: list[tuple[int, str]] = []
        for i, item in enumerate(value):
            if isinstance(item, str) and not item.strip():
                self.problem(
                    f"'actions' must be a list of non-empty texts, got {describe_value(value)}",
                    key_line,
                    where,
                    "type",
                )
                return (), ()
            item, gives = self._action_advice(item, f"action {i + 1}", where, key_line)
            wording = self._text_value(item, f"action {i + 1}", where, key_line, fallback=False)
            if wording is None:
                return (), ()
            actions.append(wording)
            if gives is not None:
                advice.append((i, gives))
        if advice and len(advice) == len(actions):
            self.problem(
                "every action names an 'advice': keep at least one without it, so that a step "
                "whose advice a higher-ranked step already gives still has something to do",
                key_line,
                where,
                "invalid",
            )
        return tuple(actions), tuple(advice)

    def _action_advice(self, item: Any, what: str, where: str, line: int | None) -> tuple[Any, str | None]:
        """An action without its tables' ``advice`` keys, and the one advice id they name."""
        tables = [item] if isinstance(item, dict) else item if isinstance(item, list) else []
        named = [t["advice"] for t in tables if isinstance(t, dict) and "advice" in t]
        if not named:
            return item, None
        bare = [{k: v for k, v in t.items() if k != "advice"} if isinstance(t, dict) else t for t in tables]
        stripped = bare[0] if isinstance(item, dict) else bare
        first = named[0]
        if any(n != first for n in named) or not isinstance(first, str) or not RULE_ID.match(first):
            self.problem(
                f"{what}: 'advice' must be one lower-case id for the whole action, such as "
                f"'money-help', got {describe_value(named if len(named) > 1 else first)}",
                line,
                where,
                "invalid",
            )
            return stripped, None
        return stripped, first

    def _words(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        line: int | None,
        pattern: re.Pattern[str],
        expected: str,
    ) -> tuple[str, ...]:
        """A list of texts that each match ``pattern`` (problems name ``expected``)."""
        words = self._string_list(table, key, where, line)
        for word in words:
            if not pattern.match(word):
                self._at_key(key, line, where, f"{key!r} entry {word!r} must be {expected}", "bad-id")
        return tuple(w for w in words if pattern.match(w))

    def _bool(self, table: Mapping[str, Any], key: str, where: str, line: int | None) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self._at_key(
                key, line, where, f"{key!r} must be true or false, got {describe_value(value)}", "type"
            )
            return False
        return value

    def _number(self, table: Mapping[str, Any], key: str, where: str, line: int | None) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or value != value
            or value in (float("inf"), float("-inf"))
        ):
            self._at_key(key, line, where, f"{key!r} must be a number, got {describe_value(value)}", "type")
            return None
        return value

    def _count(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        line: int | None,
        *,
        required: bool = False,
        least: int = 0,
    ) -> int | None:
        """A whole number ≥ ``least`` (``None`` when absent, or wrong: then a problem is reported)."""
        value = table.get(key)
        if value is None:
            if required:
                self.problem(f"missing required field {key!r} (a whole number)", line, where, "missing-field")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            self._at_key(
                key,
                line,
                where,
                f"{key!r} must be a whole number of steps ({least} or more), got {describe_value(value)}",
                "type",
            )
            return None
        return value

    # -- sections -----------------------------------------------------------------------------

    def _first(self, kind: str, name: str, line: int | None, where: str) -> bool:
        """Whether this is the first ``kind`` entry called ``name`` in the pack; a repeat is a
        problem at its own line, naming the first one's."""
        first = self.seen.setdefault(f"{kind}:{name}", line)
        if first is line:
            return True
        at = f" at line {first}" if first else ""
        self.problem(f"duplicate {kind} id: {name!r} is already defined{at}", line, where, "duplicate")
        return False

    def _entries(self, entries: Any, table: str) -> Iterator[tuple[int, int | None, dict[str, Any]]]:
        """The entries of the array of tables ``[[table]]``, each with its index and line;
        ``entries`` that are not an array of tables are reported."""
        if not isinstance(entries, list):
            self.problem(f"'{table}' must be an array of tables ([[{table}]])", None, table, "type")
            return
        for i, entry in enumerate(entries):
            line = self.index.entry(table, i)
            if not isinstance(entry, dict):
                self.problem(f"each [[{table}]] entry must be a table", line, table, "type")
                continue
            yield i, line, entry

    def _named(
        self, table: Any, kind: str, shape: str
    ) -> Iterator[tuple[str, str, int | None, dict[str, Any]]]:
        """The ``[kind.NAME]`` tables of ``table``, each with its name, place and line; a name
        that is not an identifier, or a value that is not a table (``shape`` says what it must
        be), is reported."""
        if not isinstance(table, dict):
            self.problem(f"'{kind}' must be a table of [{kind}.NAME] tables", None, kind, "type")
            return
        for name, entry in table.items():
            where = f"{kind}.{name}"
            line = self.index.table(where)
            if not NAME_ID.match(name):
                self.problem(f"{kind[:-1]} names must be lower-case identifiers", line, where, "bad-id")
                continue
            if not isinstance(entry, dict):
                self.problem(shape, line, where, "type")
                continue
            yield name, where, line, entry


def describe_value(value: Any) -> str:
    """A value's type and (shortened) repr, for a problem message."""
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
