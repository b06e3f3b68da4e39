"""The merged questionnaire, and turning raw answers into a validated :class:`Situation`.

Answers may come typed (TOML, JSON) or as text (CSV cells, terminal prompts); both go through
the same :meth:`Questionnaire.validate`, so a value means the same wherever it came from.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from . import conditions as cond
from .conditions import BOOL, LIST, NUMBER, STR, VType
from .errors import AnswersError, Problem, did_you_mean
from .files import read_text
from .model import Check, Question, Situation, normal_word
from .packs import load_toml
from .safetext import first_control

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})
MAX_TEXT = 1000
#: The most digits a JSON number may have (Python's limit for converting text to ``int``).
MAX_DIGITS = 4300
#: A lone surrogate: a byte that was not UTF-8, or a JSON escape such as \ud800.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: The largest whole number an answer may be (15 digits, as typed text allows): any count or
#: scale fits, and arithmetic on it stays within a float.
MAX_WHOLE = 10**15 - 1


@attrs.frozen
class CompiledCheck:
    """A pack's consistency check with its condition compiled against the questionnaire."""

    check: Check
    when: cond.Expression
    #: The questions the condition reads, in questionnaire order: the ones a problem names.
    questions: tuple[str, ...]


class Questionnaire:
    """The questions of every loaded pack, in pack order, with ids unique, and the packs'
    consistency checks between answers."""

    def __init__(self, questions: Iterable[Question], checks: Iterable[CompiledCheck] = ()):
        self.questions: tuple[Question, ...] = tuple(questions)
        self.by_id: dict[str, Question] = {q.id: q for q in self.questions}
        self.checks: tuple[CompiledCheck, ...] = tuple(checks)
        self._broken: Any = None  # the checks compiled into one program, on first use

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def sections(self) -> list[tuple[str, list[Question]]]:
        """Questions grouped by section, sections in order of first appearance."""
        groups: dict[str, list[Question]] = {}
        for question in self.questions:
            groups.setdefault(question.section, []).append(question)
        return list(groups.items())

    def types(self) -> dict[str, VType]:
        """The type of every question, as the condition language sees it."""
        return {q.id: question_type(q) for q in self.questions}

    # -- validation ---------------------------------------------------------------------------

    def validate(
        self, raw: Mapping[str, Any], *, source: str | None = None, lines: Mapping[str, int] | None = None
    ) -> Situation:
        """Check ``raw`` answers against the questions; raise :class:`AnswersError` listing
        every problem (unknown ids with a did-you-mean, wrong types, out-of-range values,
        options a question lacks, missing required answers)."""
        problems: list[Problem] = []
        lines = lines or {}
        answers: dict[str, Any] = {}
        for key in raw:
            if key not in self.by_id:
                problems.append(
                    Problem(
                        f"unknown question{did_you_mean(str(key), self.by_id)}",
                        source,
                        lines.get(key),
                        str(key),
                        "unknown-question",
                    )
                )
        for question in self.questions:
            try:
                value = parse_answer(question, raw.get(question.id))
            except ValueError as exc:
                problems.append(Problem(str(exc), source, lines.get(question.id), question.id, "bad-answer"))
                value = None
            if question.required and value is None and question.id not in {p.field for p in problems}:
                problems.append(
                    Problem(
                        f"missing required answer: expected {question.describe_allowed()}",
                        source,
                        lines.get(question.id),
                        question.id,
                        "missing-answer",
                    )
                )
            answers[question.id] = () if question.kind == "multi" and value is None else value
        for check in self.broken(answers):
            known = [lines[q] for q in check.questions if q in lines]
            problems.append(
                Problem(
                    check.check.message,
                    source,
                    min(known) if known else None,
                    ", ".join(check.questions),
                    "inconsistent",
                )
            )
        if problems:
            raise AnswersError(problems)
        return Situation(answers)

    def broken(self, answers: Mapping[str, Any]) -> list[CompiledCheck]:
        """The checks whose condition holds for ``answers``: contradictions between them.

        ``answers`` are validated values; a question it lacks counts as unanswered.
        """
        if not self.checks:
            return []
        if self._broken is None:
            builder = cond.ProgramBuilder(self.types())
            for check in self.checks:
                builder.output_expr(check.when.node)
            self._broken = builder.build()
        values = {
            q.id: tuple(answers.get(q.id) or ()) if q.kind == "multi" else answers.get(q.id)
            for q in self.questions
        }
        return [check for check, holds in zip(self.checks, self._broken(values)) if holds]


def question_type(question: Question) -> VType:
    """The condition-language type of a question's answer."""
    nullable = not question.required
    if question.kind in ("scale", "number"):
        return VType(NUMBER, nullable=nullable)
    if question.kind == "bool":
        return VType(BOOL, nullable=nullable)
    if question.kind == "choice":
        return VType(STR, frozenset(question.options), nullable=nullable)
    if question.kind == "multi":  # its labels: a text shows a multi answer in words
        labels = tuple((option, question.label(option)) for option in question.options)
        return VType(LIST, frozenset(question.options), labels=labels)
    return VType(STR, nullable=nullable)


def parse_answer(question: Question, value: Any) -> Any:
    """The validated value of one answer (typed or text); ``None`` when unanswered.

    Raises :class:`ValueError` whose message says what was expected and what was given.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
        raise ValueError(
            "not valid UTF-8 text (an undecodable byte or a lone surrogate such as "
            "\\ud800); type it again or fix the file's encoding"
        )
    kind = question.kind
    if kind in ("scale", "number"):
        number = _whole_number(value)
        if number is None:
            raise ValueError(f"{_expected(question)}, got {_shown(value)}")
        if abs(number) > MAX_WHOLE:
            raise ValueError(f"{_expected(question)}, got {_shown(value)}: too large (at most 15 digits)")
        if (question.min is not None and number < question.min) or (
            question.max is not None and number > question.max
        ):
            raise ValueError(f"{_expected(question)}, got {number}")
        return number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        raise ValueError(f"{_expected(question)} (or yes/no), got {_shown(value)}")
    if kind == "choice":
        if not isinstance(value, str):
            raise ValueError(f"{_expected(question)}, got {_shown(value)}")
        word = question.option_for(value)
        if word is None:
            raise ValueError(f"{_expected(question)}; got {value!r}{_closest(question, value)}")
        return word
    if kind == "multi":
        items = value.split(";") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
            raise ValueError(f"{_expected(question)}, got {_shown(value)}")
        chosen: dict[str, None] = {}
        for item in items:
            if not item.strip():
                continue
            word = question.option_for(item)
            if word is None:
                raise ValueError(f"{_expected(question)}; got {item!r}{_closest(question, item)}")
            chosen[word] = None
        return tuple(chosen)
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        else:
            raise ValueError(f"expected text, got {_shown(value)}")
    text = value.strip()
    control = first_control(text)
    if control is not None:
        raise ValueError(
            f"text holds a control character ({control}), which an answer may not "
            "hold (it could drive a terminal); remove it"
        )
    if len(text) > MAX_TEXT:
        raise ValueError(f"text is too long ({len(text)} characters, limit {MAX_TEXT})")
    return text


def _closest(question: Question, word: str) -> str:
    """A did-you-mean naming the option whose id or label is closest to ``word``."""
    names = {normal_word(question.label(o)): o for o in question.options}
    names.update((o, o) for o in question.options)
    close = difflib.get_close_matches(normal_word(word), list(names), n=1, cutoff=0.6)
    return f" (did you mean {names[close[0]]!r}?)" if close else ""


def _expected(question: Question) -> str:
    return f"expected {question.describe_allowed()}"


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 15:
            return int(text)
        if re.fullmatch(r"[+-]?\d{1,15}(\.0*)?", text):
            return int(float(text))
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"text {text!r}"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (list, tuple)):
        return f"a list {json.dumps(list(value), default=str, ensure_ascii=False)}"[:80]
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (dt.date, dt.time)):  # TOML dates and times (a datetime is a date)
        return f"a {'time' if isinstance(value, dt.time) else 'date'} ({value.isoformat()})"
    kind = type(value).__name__ if isinstance(value, (int, float)) else json_kind(value)
    return f"{kind} {value!r}"[:80]  # int 3, float 2.5


def json_kind(value: Any) -> str:
    """What a parsed JSON (or TOML) value is, in words: ``an array``, ``null``..."""
    if value is None:
        return "null"
    kinds = (
        (bool, "true/false"),
        (dict, "an object"),
        (list, "an array"),
        (str, "text"),
        (int, "a number"),
        (float, "a number"),
    )
    return next((word for kind, word in kinds if isinstance(value, kind)), type(value).__name__)


# ---------------------------------------------------------------------------------------------
# Answers files


def read_answers(path: str | Path) -> tuple[dict[str, Any], str, dict[str, int]]:
    """Read a TOML or JSON answers file (``-`` is standard input).

    Returns the raw answers, the source name for messages and the line of each key. Raises
    :class:`AnswersError` for a missing, unreadable or malformed file.
    """
    source = "<stdin>" if str(path) == "-" else str(path)
    text = read_text(path, expected="an answers file (.toml or .json)", error=AnswersError)
    # TOML never starts with "{": such a file is JSON, whatever its name
    as_json = source.lower().endswith(".json") or text.lstrip().startswith("{")
    raw = _parse_json(text, source) if as_json else _parse_toml(text, source)
    return raw, source, _key_lines(text, raw)


def _parse_json(text: str, source: str) -> dict[str, Any]:
    try:
        raw = json.loads(
            text, parse_constant=reject_constant, object_pairs_hook=unique_keys, parse_int=_whole
        )
    except json.JSONDecodeError as exc:
        raise AnswersError(
            Problem(f"invalid JSON: {exc.msg} (column {exc.colno})", source, exc.lineno, code="json")
        ) from None
    except _JsonValueError as exc:
        raise AnswersError(
            Problem(f"invalid JSON: {exc.reason}", source, _line_at(text, exc.at), code="json")
        ) from None
    except (ValueError, RecursionError) as exc:
        raise AnswersError(Problem(f"invalid JSON: {exc}", source, code="json")) from None
    if not isinstance(raw, dict):
        raise AnswersError(
            Problem(
                f"expected a JSON object of question ids to answers, got {json_kind(raw)}",
                source,
                code="json",
            )
        )
    return raw


class _JsonValueError(ValueError):
    """A JSON value refused while parsing: ``reason``, and a pattern ``at`` finding its line."""

    def __init__(self, reason: str, at: str):
        self.reason, self.at = reason, at
        super().__init__(reason)


def _line_at(text: str, pattern: str) -> int | None:
    """The line of the last match of ``pattern`` in ``text`` (``None`` if it does not match)."""
    matches = list(re.finditer(pattern, text))
    return text.count("\n", 0, matches[-1].start()) + 1 if matches else None


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are unique (as TOML demands): a key given twice is an error."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _JsonValueError(
                f"the key {key!r} is given twice (once is enough)", f"{re.escape(json.dumps(key))}\\s*:"
            )
        data[key] = value
    return data


def _whole(digits: str) -> int:
    """A JSON whole number; beyond :data:`MAX_DIGITS` digits (where Python's ``int`` gives up
    with advice about its own settings) it is refused with a line number."""
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _JsonValueError(
            f"a number with {len(digits.lstrip('-')):,} digits is too long for any answer",
            re.escape(digits[:100]),
        )
    return int(digits)


def reject_constant(name: str) -> Any:
    raise _JsonValueError(
        f"{name} is not a valid answer (expected a number, text, true or false)", rf"\b{name}\b"
    )


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    return load_toml(text, source, error=AnswersError)


def _key_lines(text: str, raw: Mapping[str, Any]) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r'\s*"?([A-Za-z0-9_\-]+)"?\s*[=:.]', line)  # also a dotted key: role.x =
        if match and match.group(1) in raw:
            lines.setdefault(match.group(1), number)
    return lines
