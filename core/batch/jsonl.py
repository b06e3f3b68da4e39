"""JSON Lines cohorts: one answers object a line, its participant id under the id column's key."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

from ..errors import BouncebackError, Problem
from ..questionnaire import json_kind, reject_constant, unique_keys
from .cohort_file import EXPECTED
from .rows import MISSING_ID, Row, checked_id


def refuse_json_document(first: str, source: str) -> None:
    """Raise :class:`BouncebackError` when the ``first`` line of a JSON Lines file starts one
    JSON document (an array, an object over several lines) instead of one object a line."""
    text = first.strip()
    if text == "{" or text.startswith("["):
        raise BouncebackError(
            Problem(
                f"this looks like one JSON document (an array, or an object over several lines); "
                f"expected {EXPECTED['jsonl']}",
                source,
                1,
                code="json",
            )
        )


def jsonl_row(
    number: int, text: str, id_column: str, questions: Collection[str], ignore: Iterable[str]
) -> Row:
    """The row of one JSON Lines record at line ``number``: its answers, and its participant id
    from the ``id_column`` key (left among the answers when it names one of ``questions``);
    the keys in ``ignore`` are left out."""
    try:
        data = json.loads(text, parse_constant=reject_constant, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        return Row(
            number,
            number,
            None,
            None,
            (Problem(f"invalid JSON: {exc.msg} (column {exc.colno})", code="json"),),
        )
    except (ValueError, RecursionError) as exc:
        return Row(number, number, None, None, (Problem(f"invalid JSON: {exc}", code="json"),))
    if not isinstance(data, dict):
        return Row(
            number,
            number,
            None,
            None,
            (
                Problem(
                    f"expected a JSON object of question ids to answers, got {json_kind(data)}",
                    code="json",
                ),
            ),
        )
    value = data.get(id_column) if id_column in questions else data.pop(id_column, None)
    for name in ignore:
        data.pop(name, None)
    ident, problems = _json_id(value, id_column)
    return Row(number, number, ident, data, problems)


def _json_id(value: Any, id_column: str) -> tuple[str | None, tuple[Problem, ...]]:
    """The participant id of a JSON record: text or a whole number, kept as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), ()
    if isinstance(value, str) and value.strip():
        return checked_id(value.strip(), id_column)
    if value is None or isinstance(value, str):
        return None, (
            Problem(f"missing id: no {id_column!r} key, or it is empty", field=id_column, code=MISSING_ID),
        )
    return None, (
        Problem(
            f"the id must be text or a whole number, got {json.dumps(value)[:40]}",
            field=id_column,
            code="bad-id",
        ),
    )
