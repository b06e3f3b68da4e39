"""Reading a pack's ``[[questions]]``: kinds, options, bounds, labels and scale anchors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import did_you_mean
from ..model import KINDS, Question, normal_word
from .fields import FieldReader, describe_value
from .format import NAME_ID, QUESTION

_QUESTION_KEYS = set(QUESTION)


class QuestionReader(FieldReader):
    """Reads the ``[[questions]]`` of a pack."""

    def _questions(self, entries: Any, pack_id: str) -> Iterable[Question]:
        for i, line, entry in self._entries(entries, "questions"):
            qid = self._string(entry, "id", f"questions[{i}]", line, pattern=NAME_ID)
            where = qid or f"questions[{i}]"
            self._unknown_keys(entry, _QUESTION_KEYS, where, line)
            prompt = self._string(entry, "prompt", where, line)
            kind = self._string(entry, "kind", where, line, choices=KINDS)
            section = self._string(entry, "section", where, line, required=False) or "other"
            help_text = self._string(entry, "help", where, line, required=False) or ""
            required = self._bool(entry, "required", where, line)
            options = self._string_list(entry, "options", where, line)
            low, high = self._number(entry, "min", where, line), self._number(entry, "max", where, line)
            if kind in ("choice", "multi"):
                if not options:
                    self.problem(
                        f"a {kind} question needs a non-empty 'options' list", line, where, "missing-field"
                    )
                elif len(set(options)) != len(options):
                    self.problem(
                        "'options' has duplicates", self.index.key("options", line), where, "duplicate"
                    )
            elif "options" in entry and kind is not None:  # an unknown kind is its own error
                self.problem(
                    f"'options' only applies to choice and multi questions, not {kind}",
                    self.index.key("options", line),
                    where,
                    "invalid",
                )
            if kind == "scale" and (low is None or high is None):
                self.problem("a scale question needs 'min' and 'max'", line, where, "missing-field")
            if low is not None and high is not None and low >= high:
                self.problem(f"'min' ({low}) must be below 'max' ({high})", line, where, "invalid")
            labels = self._labels(entry, kind, options, where, line)
            anchors = self._anchors(entry, kind, low, high, where, line)
            if qid and kind and self._first("question", qid, line, where):
                if line:
                    self.lines[f"questions.{qid}"] = line
                yield Question(
                    id=qid,
                    prompt=prompt or "",
                    kind=kind,
                    section=section,
                    options=options,
                    min=low,
                    max=high,
                    required=required,
                    help=help_text,
                    pack=pack_id,
                    labels=labels,
                    anchors=anchors,
                )

    def _text_table(
        self, entry: Mapping[str, Any], key: str, where: str, line: int | None, applies: bool, kinds: str
    ) -> dict[str, str]:
        """``entry[key]``, a table of texts (``{}`` when absent or wrong, with a problem)."""
        table = entry.get(key)
        if table is None:
            return {}
        key_line = self.index.key(key, line) or line
        if not applies:
            self.problem(f"{key!r} only applies to {kinds} questions", key_line, where, "invalid")
            return {}
        if not isinstance(table, dict) or not all(isinstance(v, str) and v.strip() for v in table.values()):
            self.problem(
                f'{key!r} must be a table of texts, like {{ a = "..." }}, got {describe_value(table)}',
                key_line,
                where,
                "type",
            )
            return {}
        return {str(k): v.strip() for k, v in table.items()}

    def _labels(
        self,
        entry: Mapping[str, Any],
        kind: str | None,
        options: tuple[str, ...],
        where: str,
        line: int | None,
    ) -> dict[str, str]:
        """Option id → label: for options only, unique, and never another option's id (an answer
        must name one option), without ``,`` or ``;`` (they separate a multi answer's options)."""
        labels = self._text_table(
            entry, "labels", where, line, kind in (None, "choice", "multi"), "choice and multi"
        )
        key_line = self.index.key("labels", line) or line
        named: dict[str, str] = {normal_word(o): o for o in options}
        for option, label in labels.items():
            if option not in options:
                self.problem(
                    f"'labels' names {option!r}, which is not one of the options"
                    f"{did_you_mean(option, options)}",
                    key_line,
                    where,
                    "unknown-name",
                )
            elif any(c in label for c in ",;"):
                self.problem(
                    f"the label of {option!r} may not hold ',' or ';' (they separate answers)",
                    key_line,
                    where,
                    "invalid",
                )
            elif named.setdefault(normal_word(label), option) != option:
                self.problem(
                    f"the label {label!r} of {option!r} also names option {named[normal_word(label)]!r}",
                    key_line,
                    where,
                    "duplicate",
                )
        return labels

    def _anchors(
        self,
        entry: Mapping[str, Any],
        kind: str | None,
        low: float | None,
        high: float | None,
        where: str,
        line: int | None,
    ) -> dict[int, str]:
        """Scale value → what it means: whole numbers in the scale, its two ends included."""
        table = self._text_table(entry, "anchors", where, line, kind in (None, "scale"), "scale")
        if not table or low is None or high is None:
            return {}
        key_line = self.index.key("anchors", line) or line
        anchors = {}
        for key, text in table.items():
            if not re.fullmatch(r"-?\d{1,15}", key) or not low <= int(key) <= high:
                self.problem(
                    f"'anchors' keys are scale values from {low:g} to {high:g}, got {key!r}",
                    key_line,
                    where,
                    "invalid",
                )
                return {}
            anchors[int(key)] = text
        if int(low) not in anchors or int(high) not in anchors:
            self.problem(
                f"'anchors' must say what both ends mean: {low:g} and {high:g}",
                key_line,
                where,
                "missing-field",
            )
            return {}
        return dict(sorted(anchors.items()))
