"""Mapping files (``mapping.toml``): written for a person to review, read back and checked."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from ..errors import BouncebackError, Problem, did_you_mean
from ..files import read_text
from ..model import Question
from ..packs import load_toml
from ..questionnaire import Questionnaire
from .mapping import KEYWORDS, OPTION, QUESTION, UNMATCHED, Mapping, Use, toml_string
from .survey import ID

# ---------------------------------------------------------------------------------------------
# Mapping files


def render_toml(
    mapping: Mapping, questionnaire: Questionnaire, *, source: str, tool_title: str, rows_seen: int
) -> str:
    """A mapping file for a person to review: every column and every answer label not already
    an option id, with the unmatched ones marked ``UNMATCHED``."""
    unmatched = len(mapping.unmatched_columns) + sum(map(len, mapping.unmatched_values.values()))
    lines = [
        f"# How {source} maps to the questionnaire: proposed by `bounceback map` from its header",
        f"# ({tool_title}, {mapping.header_rows} header row{'s' if mapping.header_rows != 1 else ''}) "
        f"and the answers of {rows_seen:,} rows.",
        '# Each column is a question id, "id" (identifies the participant), "carry" (copied',
        '# to roster.csv only, e.g. an e-mail address or a name) or "ignore"; one column per',
        "# choice is { question = ..., option = ... }. Under [values.QUESTION], each answer label",
        "# as the export writes it, and the answer it means.",
        f"# Unmatched: {unmatched}."
        + (" Decide each line marked UNMATCHED: batch refuses an unmatched column." if unmatched else ""),
        f"# Then: bounceback batch {shlex.quote(source)} --mapping THIS_FILE --out results/",
        "",
        "[input]",
        f"tool = {toml_string(mapping.tool)}",
        f"header_rows = {mapping.header_rows}",
        "",
        "[columns]",
    ]
    if not any(use.kind == ID for use in mapping.columns.values()):
        lines.append("# No column identifies participants: their row numbers are their ids.")
    for name, use in mapping.columns.items():
        note = '  # UNMATCHED: a question id, "carry" or "ignore"' if use.kind == UNMATCHED else ""
        lines.append(f"{toml_string(name)} = {use.to_toml()}{note}")
    for question_id, labels in mapping.values.items():
        question = questionnaire.by_id[question_id]
        lines += ["", f"[values.{question_id}]  # {question.describe_allowed()}"]
        for label, value in labels.items():
            shown = '""  # UNMATCHED' if value is None else _toml_value(value)
            lines.append(f"{toml_string(label)} = {shown}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return toml_string(str(value))


def read_mapping(path: str | Path, questionnaire: Questionnaire) -> Mapping:
    """Read a mapping file (as :func:`render_toml` writes it, reviewed); raise
    :class:`BouncebackError` naming the file and key for anything it cannot mean."""
    source = str(path)
    data = load_toml(read_text(path, expected="a mapping file (.toml)"), source)
    problems: list[Problem] = []
    columns: dict[str, Use] = {}
    raw_columns = data.get("columns", {})
    if not isinstance(raw_columns, dict) or not raw_columns:
        problems.append(
            Problem(
                "expected a [columns] table naming each column of the export",
                source,
                field="columns",
                code="mapping",
            )
        )
        raw_columns = {}
    for name, value in raw_columns.items():
        use, problem = _read_use(value, questionnaire)
        if problem:
            problems.append(Problem(problem, source, field=f"columns.{name}", code="mapping"))
        columns[name] = use
    values: dict[str, dict[str, Any]] = {}
    raw_values = data.get("values", {})
    for question_id, labels in raw_values.items() if isinstance(raw_values, dict) else []:
        question = questionnaire.by_id.get(question_id)
        if question is None or not isinstance(labels, dict):
            problems.append(
                Problem(
                    f"unknown question{did_you_mean(question_id, questionnaire.by_id)}"
                    if question is None
                    else "expected a table of labels",
                    source,
                    field=f"values.{question_id}",
                    code="mapping",
                )
            )
            continue
        values[question_id] = {}
        for label, value in labels.items():
            value, problem = _read_value(question, value)
            if problem:
                problems.append(
                    Problem(problem, source, field=f"values.{question_id}.{label}", code="mapping")
                )
            values[question_id][label] = value
    info = data.get("input", {})
    header_rows = info.get("header_rows") if isinstance(info, dict) else None
    if header_rows is not None and (
        not isinstance(header_rows, int) or isinstance(header_rows, bool) or not 1 <= header_rows <= 10
    ):
        problems.append(
            Problem(
                "expected a whole number of header rows from 1 to 10",
                source,
                field="input.header_rows",
                code="mapping",
            )
        )
        header_rows = None
    if problems:
        raise BouncebackError(problems)
    tool = str(info.get("tool", "")) if isinstance(info, dict) else ""
    return Mapping(columns, values, header_rows, tool, source)


def _read_use(value: Any, questionnaire: Questionnaire) -> tuple[Use, str | None]:
    if isinstance(value, str):
        if value == UNMATCHED:
            return Use(UNMATCHED), None
        if value in KEYWORDS:
            return Use(value), None
        if value in questionnaire.by_id:
            return Use(QUESTION, value), None
        return Use(UNMATCHED), (
            f"unknown question {value!r}{did_you_mean(value, questionnaire.by_id)}; "
            'expected a question id, "id", "carry" or "ignore"'
        )
    if isinstance(value, dict) and set(value) == {"question", "option"}:
        question = questionnaire.by_id.get(str(value["question"]))
        if question is None or question.kind != "multi":
            return Use(UNMATCHED), f"{value['question']!r} is not a multi-select question"
        if value["option"] not in question.options:
            return Use(UNMATCHED), (
                f"{value['option']!r} is not a choice of {question.id!r}; expected one "
                f"of: {', '.join(question.options)}"
            )
        return Use(OPTION, question.id, str(value["option"])), None
    return Use(UNMATCHED), 'expected a question id, "id", "carry", "ignore" or { question, option }'


def _read_value(question: Question, value: Any) -> tuple[Any, str | None]:
    """A label's answer from a mapping file: ``""`` is not matched yet (``None``)."""
    if value == "":
        return None, None
    expected = f"expected {question.describe_allowed()}"
    if question.kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, f"{expected} (true or false)")
    if question.kind in ("scale", "number"):
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return None, expected
    if question.kind in ("choice", "multi"):
        return (value, None) if value in question.options else (None, f"{expected}, got {value!r}")
    return (value, None) if isinstance(value, str) else (None, "expected text")
