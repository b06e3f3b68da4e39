"""One row of a cohort and its outcome: :func:`plan_row`, the pure per-row function."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import attrs

from ..api import Bounceback
from ..engine import Options
from ..errors import AnswersError, PluginError, Problem
from ..results import Plan
from . import screening, survey
from .counting import Facts

_SURROGATE = re.compile("[\ud800-\udfff]")
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode
#: Steps of each plan named in the roster.
ROSTER_STEPS = 3


# ---------------------------------------------------------------------------------------------
# Rows and outcomes


@attrs.frozen
class Row:
    """One participant's record as read from the file, before validation.

    ``answers`` is ``None`` when the record could not be read at all (bad JSON, wrong number
    of cells); ``problems`` are what the reader found wrong; ``lines`` gives the line of each
    field when the record spans several lines (a CSV cell with a newline), else ``None``;
    ``carry`` holds the cells the mapping carries through to the roster (never planned on).
    """

    number: int
    line: int
    id: str | None
    answers: Mapping[str, Any] | None
    problems: tuple[Problem, ...] = ()
    lines: Mapping[str, int] | None = None
    carry: tuple[str, ...] = ()

    def line_of(self, field: str | None) -> int:
        """The file line of ``field`` in this record."""
        if self.lines is None or field is None:
            return self.line
        return self.lines.get(field, self.line)


@attrs.frozen
class Outcome:
    """What one row became: one JSON line for ``plans.jsonl`` (``facts.ok``) or
    ``errors.jsonl``, and the facts the summary counts."""

    record: str
    facts: Facts


ENCODING = "encoding"


def plan_row(app: Bounceback, row: Row, options: Options = Options()) -> Outcome:
    """The outcome of one row: its plan, or an error record with every problem of the row.

    Pure: the same app, row and options always give the same outcome. Never raises for bad
    input; an unexpected exception (a bug in bounceback or a plugin, be it while validating,
    planning or encoding the plan) becomes an error record with code ``internal``, and so
    does a failing plugin when strict (with code ``plugin``, naming it).
    """
    return outcome_and_plan(app, row, options)[0]


def outcome_and_plan(app: Bounceback, row: Row, options: Options) -> tuple[Outcome, Plan | None]:
    """:func:`plan_row`, and the plan itself (``None`` for an error row)."""
    try:
        return _plan_row(app, row, options)
    except PluginError as exc:  # strict: the plugin that failed costs this row, by name
        named = [attrs.evolve(p, message=str(p)) for p in exc.problems]  # a record's source is its row
        return _error_outcome(row, named, _screen(app, row), internal=True), None
    except Exception as exc:  # a bug must cost one row, not the cohort
        problem = Problem(
            f"internal error: {type(exc).__name__}: {exc} (a bug in bounceback "
            "or a plugin; please report it)",
            code="internal",
        )
        return _error_outcome(row, [problem], _screen(app, row), internal=True), None


def _plan_row(app: Bounceback, row: Row, options: Options) -> tuple[Outcome, Plan | None]:
    problems = list(row.problems)
    situation = None
    if row.answers is not None:
        problems.extend(_text_problems(row))
        try:
            situation = app.questionnaire.validate(row.answers)
        except AnswersError as exc:  # an answer not valid Unicode is told once, as an encoding one
            encoding = {p.field for p in problems if p.code == ENCODING}
            problems.extend(p for p in exc.problems if p.field not in encoding)
    if problems or situation is None:
        return _error_outcome(row, problems, _screen(app, row)), None
    plan = app.plan(situation, top=options.top, per_category=options.per_category)
    steps = plan.steps
    distress = plan.signals.get(app.ruleset.distress_signal)
    facts = Facts(
        row=row.number,
        line=row.line,
        id=row.id,
        ok=True,
        rules=tuple(s.id for s in steps),
        categories=tuple(dict.fromkeys(s.category for s in steps)),
        topics=tuple(plan.topics),
        scores=tuple(round(s.score, 4) for s in steps),
        tier=plan.tier,
        distress=None if distress is None else round(distress, 4),
        titles=tuple(s.title for s in steps[:ROSTER_STEPS]),
    )
    return Outcome(_json_line({"id": row.id, "row": row.number, "plan": plan.to_dict()}), facts), plan


def _text_problems(row: Row) -> list[Problem]:
    """Answers that are not valid Unicode (the reader has already flagged the id)."""
    assert row.answers is not None
    flagged = {p.field for p in row.problems if p.code == ENCODING}
    return [
        encoding_problem(str(key), value)
        for key, value in row.answers.items()
        if isinstance(value, str) and invalid_text(value) and key not in flagged
    ]


def encoding_problem(field: str, text: str) -> Problem:
    where = survey.undecodable(text)
    if where is None:  # a lone surrogate from a JSON escape such as \ud800
        return Problem("not valid Unicode text (a lone surrogate)", field=field, code=ENCODING)
    return Problem(
        f"{where} is not valid in the file's encoding (UTF-8 unless --encoding says "
        f"otherwise): {survey.ENCODING_HINT}",
        field=field,
        code=ENCODING,
    )


def invalid_text(text: str) -> bool:
    """Whether ``text`` holds lone surrogates: bytes that were not UTF-8 (read with
    ``surrogateescape``) or a JSON escape such as ``\\ud800``. Such text cannot be written
    as UTF-8 nor stored by the summary."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def valid_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, the replacement character."""
    return _SURROGATE.sub("\ufffd", text) if invalid_text(text) else text


MISSING_ID = "missing-id"


def missing_id(id_column: str) -> Problem:
    """The problem of a row whose ``id_column`` cell is empty."""
    return Problem(f"missing id: the {id_column!r} column is empty", field=id_column, code=MISSING_ID)


def checked_id(ident: str, id_column: str) -> tuple[str, tuple[Problem, ...]]:
    """A participant id that is not valid Unicode is shown with U+FFFD and makes its row an
    error record (it could not be written or looked up)."""
    if invalid_text(ident):
        return valid_text(ident), (encoding_problem(id_column, ident),)
    return ident, ()


def _screen(app: Bounceback, row: Row) -> screening.Screening:
    """The row screened from its valid answers; a bug while screening leaves it unscreened."""
    try:
        return screening.screen(app, row.answers)
    except Exception as exc:  # never lose the row to a bug: it is listed as not screened
        return screening.Screening(None, False, None, f"internal error: {type(exc).__name__}: {exc}")


def _error_outcome(
    row: Row, problems: list[Problem], screened: screening.Screening, internal: bool = False
) -> Outcome:
    # Problems name fields (JSON keys) and quote exceptions: their text is made valid Unicode.
    located = [
        attrs.evolve(
            p,
            source=None,
            line=row.line_of(p.field),
            message=valid_text(p.message),
            field=None if p.field is None else valid_text(p.field),
        )
        for p in problems
    ]
    note = valid_text(screened.problem) if screened.problem else None
    record = {
        "row": row.number,
        "line": row.line,
        "id": row.id,
        "tier": screened.tier,
        "screened": screened.screened,
        "screening_note": note,
        "errors": [p.to_dict() for p in located],
    }
    facts = Facts(
        row=row.number,
        line=row.line,
        id=row.id,
        ok=False,
        internal=internal,
        tier=screened.tier,
        screened=screened.screened,
        distress=screened.distress,
        note=note or "",
        fields=tuple(p.field or p.code for p in located),
        messages=tuple(f"{p.field}: {p.message}" if p.field else p.message for p in located),
    )
    return Outcome(_json_line(record), facts)


def _json_line(record: Mapping[str, Any]) -> str:
    """Compact JSON on one line, ASCII only (so any text, even invalid, is written safely)."""
    return _ENCODE(record) + "\n"
