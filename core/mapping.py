"""Which column of an export answers which question, and which label means which answer.

A :class:`Mapping` says, for every column of a table, what it is: the answer to a question
(matched by the question's id or its prompt), one choice of a multi-select question (tools
that give each choice its own column), the participant ``id``, a column to ``carry`` through
to the roster only (e-mail, name), or one to ``ignore``; and, per question, which answer
labels mean which option (``"Phone screen"`` → ``phone_screen``, ``"Ja"`` → true).

:func:`propose` matches a file's columns and answers automatically; :func:`render_toml`
writes the proposal for a person to review (``bounceback map``) and :func:`read_mapping`
reads it back; :class:`Columns` applies a mapping to each record of the file.
"""

from __future__ import annotations

import json
import operator
import re
import shlex
import unicodedata
from collections.abc import Callable, Iterable, Mapping as AnyMapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs

from .errors import BouncebackError, Problem, did_you_mean
from .files import read_text
from .model import Question
from .packs import load_toml
from .questionnaire import FALSE_WORDS, TRUE_WORDS, Questionnaire
from .survey import CARRY, ID, IGNORE, Layout

QUESTION, OPTION, UNMATCHED = "question", "option", ""
KEYWORDS = (ID, CARRY, IGNORE)
#: Problems with header columns listed before the rest are counted.
HEADER_PROBLEMS = 20
#: Yes and no in the languages programmes most often run their forms in.
YES = frozenset(TRUE_WORDS | {"ja", "j", "oui", "sí", "si", "sim", "tak", "kyllä", "evet", "да",
                              "ano", "igen", "ναι", "是", "はい", "checked", "selected"})
NO = frozenset(FALSE_WORDS | {"nein", "non", "não", "nao", "nie", "nee", "ei", "hayır", "нет", "ne",
                              "nem", "όχι", "否", "いいえ"})
#: Distinct answers of one column looked at by :func:`propose_values`.
VALUES_LOOKED_AT = 200

_QUOTES = str.maketrans("‘’‚“”„", "'''\"\"\"")
_SPACES = re.compile(r"[\s_\-–—]+")
_LEADING_NUMBER = re.compile(r"\s*([+-]?\d{1,15})(?:\s*(?:[-–—=:.)(]|$))")
_SEPARATORS = ",;"


def normal(text: str) -> str:
    """Text as matching compares it: case, accents' composition, quotes, spaces, ``_`` and
    ``-``, and a trailing ``?``, ``:``, ``.`` or required-marker ``*`` do not matter."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    return _SPACES.sub(" ", text).strip(" *?:.!")


def option_forms(question: Question) -> dict[str, str]:
    """Every form of each option's label a person may have typed or a form may show, normalised:
    the option id, its words (``phone_screen``, ``phone screen``) and its label."""
    forms: dict[str, str] = {}
    for option in question.options:
        forms.setdefault(normal(option), option)
    for option in question.options:
        forms.setdefault(normal(question.label(option)), option)
    return forms


@attrs.frozen
class Use:
    """What one column is: ``kind`` is ``question`` (its cells answer ``question``),
    ``option`` (a non-empty cell chooses ``option`` of the multi-select ``question``),
    ``id``, ``carry``, ``ignore``, or ``""`` (not matched: a person must decide)."""

    kind: str
    question: str = ""
    option: str = ""

    def to_toml(self) -> str:
        """The value of this column in a mapping file."""
        if self.kind == OPTION:
            return f"{{ question = {_toml_string(self.question)}, option = {_toml_string(self.option)} }}"
        return _toml_string(self.question if self.kind == QUESTION else self.kind)


@attrs.frozen
class Mapping:
    """How a table's columns and answers map to the questionnaire (see the module docstring).

    ``values`` maps a question id to its answer labels, each to an option id, ``true``/
    ``false``, a number, or ``None`` (not matched); ``ids_from_rows`` says that no column
    identifies participants, so their row numbers do.
    """

    columns: AnyMapping[str, Use]
    values: AnyMapping[str, AnyMapping[str, Any]] = attrs.field(factory=dict)
    header_rows: int | None = None
    tool: str = ""
    source: str | None = None

    @property
    def unmatched_columns(self) -> list[str]:
        """Columns no question matched."""
        return [name for name, use in self.columns.items() if use.kind == UNMATCHED]

    @property
    def unmatched_values(self) -> dict[str, list[str]]:
        """Per question, the labels that match none of its answers."""
        return {q: [label for label, value in labels.items() if value is None]
                for q, labels in self.values.items() if None in labels.values()}


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


# ---------------------------------------------------------------------------------------------
# Proposing a mapping

def propose(layout: Layout, questionnaire: Questionnaire, *, id_column: str = "id",
            ignore: Iterable[str] = ()) -> Mapping:
    """The automatic mapping of a table's columns: a tool's metadata columns as the tool
    means them, ``id_column`` as the id, each other column to the question whose id or prompt
    its header holds (a choice's own column to that choice), the rest unmatched."""
    ignored = set(ignore)
    by_prompt: dict[str, list[str]] = {}
    for question in questionnaire:  # a question's id in any case, or its prompt
        by_prompt.setdefault(normal(question.prompt), []).append(question.id)
        if normal(question.id) != normal(question.prompt):
            by_prompt.setdefault(normal(question.id), []).append(question.id)
    by_option: dict[str, list[tuple[str, str]]] = {}
    for question in questionnaire:
        if question.kind == "multi":
            for form, option in option_forms(question).items():
                by_option.setdefault(form, []).append((question.id, option))
    explicit_id = any(c.texts[0] == id_column for c in layout.columns if c.texts)
    columns: dict[str, Use] = {}
    previous = Use(UNMATCHED)
    for column in layout.columns:
        raw = column.texts[0] if column.texts else ""
        if column.name in ignored or raw in ignored or not column.name:
            use = Use(IGNORE)
        elif raw == id_column and id_column not in questionnaire.by_id:
            use = Use(ID)
        elif column.metadata is not None:
            use = Use(IGNORE if column.metadata == ID and explicit_id else column.metadata)
        else:
            use = _question_use(column.texts, column.option, questionnaire, by_prompt, by_option, previous)
        columns[column.name] = use
        previous = use
    return Mapping(columns, {}, layout.header_rows, layout.tool.name)


def _question_use(texts: Sequence[str], option: str | None, questionnaire: Questionnaire,
                  by_prompt: dict[str, list[str]], by_option: dict[str, list[tuple[str, str]]],
                  previous: Use) -> Use:
    for text in texts:
        ids = [text] if text in questionnaire.by_id else by_prompt.get(normal(text), [])
        if len(ids) != 1:
            continue
        question = questionnaire.by_id[ids[0]]
        if option is None:
            return Use(QUESTION, question.id)
        chosen = option_forms(question).get(normal(option))
        return Use(OPTION, question.id, chosen) if chosen and question.kind == "multi" else Use(UNMATCHED)
    # A column headed by one choice's label (Typeform): of the question before it, or the only
    # multi-select question with that choice.
    label = normal(option or (texts[0] if texts else ""))
    candidates = by_option.get(label, [])
    same = [c for c in candidates if previous.kind in (QUESTION, OPTION) and c[0] == previous.question]
    if len(same) == 1 or len(candidates) == 1:
        question_id, chosen = (same or candidates)[0]
        return Use(OPTION, question_id, chosen)
    return Use(UNMATCHED)


def propose_values(mapping: Mapping, questionnaire: Questionnaire,
                   seen: AnyMapping[str, Iterable[str]]) -> Mapping:
    """``mapping`` with, for each question, every answer label in ``seen`` (the distinct
    cells of its column) that is not already an option id, matched to its value or ``None``."""
    values: dict[str, dict[str, Any]] = {q: dict(v) for q, v in mapping.values.items()}
    for question_id, cells in seen.items():
        question = questionnaire.by_id[question_id]
        convert = value_reader(question, {})
        labels = values.setdefault(question_id, {})
        for cell in cells:
            for item in _items(question, cell):
                if item in labels or _canonical(question, item):
                    continue
                if question.kind == "multi":
                    value = option_forms(question).get(normal(item), item)
                else:
                    value = convert(item)
                if question.kind in ("scale", "number") and isinstance(value, str) and value != item:
                    value = int(value)
                labels[item] = None if value == item else value
        if not labels:
            del values[question_id]
    return attrs.evolve(mapping, values=values)


def distinct_answers(rows: Iterable[AnyMapping[str, Any]], questionnaire: Questionnaire,
                     limit: int = VALUES_LOOKED_AT) -> tuple[dict[str, list[str]], int]:
    """The distinct cells of each choice, multi-select, yes/no and number question's column
    (at most ``limit`` each), and how many rows were read."""
    kinds = ("choice", "multi", "bool", "scale", "number")
    seen: dict[str, dict[str, None]] = {}
    count = 0
    for answers in rows:
        count += 1
        for question_id, cell in answers.items():
            if not isinstance(cell, str) or not cell.strip():
                continue
            if questionnaire.by_id[question_id].kind in kinds:
                cells = seen.setdefault(question_id, {})
                if len(cells) < limit:
                    cells[cell] = None
    return {q: list(cells) for q, cells in seen.items()}, count


def _items(question: Question, cell: str) -> list[str]:
    """The labels in one cell: a multi-select cell's choices (split by known choices when
    they hold a separator), else the cell."""
    if question.kind != "multi":
        return [cell.strip()] if cell.strip() else []
    forms = option_forms(question)
    return [item for item in split_choices(cell, forms, raw=True) if item]


def _canonical(question: Question, item: str) -> bool:
    """Whether ``item`` needs no mapping: an option id, a bool word, a whole number."""
    if question.kind in ("choice", "multi"):
        return item in question.options
    if question.kind == "bool":
        return item.strip().lower() in TRUE_WORDS | FALSE_WORDS
    if question.kind in ("scale", "number"):
        return item.strip().isdigit()
    return True


# ---------------------------------------------------------------------------------------------
# Reading each answer

def value_reader(question: Question, labels: AnyMapping[str, Any]) -> Callable[[str], Any]:
    """The function that turns one cell of ``question``'s column into the answer the
    questionnaire validates: labels mapped (``labels``, then the option labels and localised
    yes/no words), a multi-select cell split into its choices. A cell it cannot read is
    returned unchanged, so validation reports it with what was expected."""
    table = {normal(label): value for label, value in labels.items() if value is not None}
    kind = question.kind
    if kind == "choice":
        options = frozenset(question.options)
        forms = {**option_forms(question), **table}
        return lambda cell: cell if cell in options else forms.get(normal(cell), cell)
    if kind == "multi":
        forms = {**option_forms(question), **table}
        options = frozenset(question.options)

        def choices(cell: str) -> Any:
            if all(item in options for item in cell.split(";") if item):
                return cell
            return tuple(split_choices(cell, forms))
        return choices
    if kind == "bool":
        words = {**dict.fromkeys(YES, True), **dict.fromkeys(NO, False), **table}
        return lambda cell: words.get(normal(cell), cell)
    if kind in ("scale", "number"):
        def number(cell: str) -> Any:
            if cell.isdigit():
                return cell
            if normal(cell) in table:
                return table[normal(cell)]
            match = _LEADING_NUMBER.match(cell)  # "5 - full of energy", "1 (not at all)"
            return match.group(1) if match else cell
        return number
    return lambda cell: cell


def split_choices(cell: str, forms: AnyMapping[str, str], raw: bool = False) -> list[str]:
    """A multi-select cell's choices, found by matching known labels (``forms``: normalised
    label → option id) so that a label holding ``", "`` stays whole; ``;`` and ``,`` joins
    and a trailing ``;`` all work. Items no label matches are kept as written (validation
    names them). ``raw`` gives the matched items as written instead of their option ids."""
    text = cell.strip().strip(";").strip()
    if not text:
        return []
    parts = _segment(text, tuple(sorted(forms, key=len, reverse=True)))
    if parts is None:
        separator = ";" if ";" in text else ","
        items = [item.strip() for item in text.split(separator) if item.strip()]
        return [item if raw else forms.get(normal(item), item) for item in items]
    return [text[start:end].strip() if raw else forms[form] for form, start, end in parts]


def _fold(text: str) -> str:
    """``text`` folded as :func:`normal` folds it, character for character (same length)."""
    folded = text.lower().translate(_QUOTES)
    if len(folded) != len(text):  # a letter that lower-cases to two: compare it as it is
        folded = text
    return "".join(" " if _SPACES.match(c) else c for c in folded)


def _segment(text: str, forms: tuple[str, ...]) -> list[tuple[str, int, int]] | None:
    """Split a cell into known labels (``forms``, longest first) joined by ``,`` or ``;``,
    backtracking when the rest cannot be split: ``(form, start, end)`` each, or ``None``."""
    folded = _fold(text)
    size = len(folded)

    @lru_cache(maxsize=None)
    def at(start: int) -> tuple[tuple[str, int, int], ...] | None:
        while start < size and folded[start] in " ,;":
            start += 1
        if start == size:
            return ()
        for form in forms:
            end = start + len(form)
            if not folded.startswith(form, start):
                continue
            after = end
            while after < size and folded[after] == " ":
                after += 1
            if after == size or folded[after] in _SEPARATORS:
                rest = at(after)
                if rest is not None:
                    return ((form, start, end),) + rest
        return None

    found = at(0)
    return None if found is None else list(found)


# ---------------------------------------------------------------------------------------------
# Applying a mapping to a file

class Columns:
    """A mapping applied to one file's layout: turns each record's cells into the
    participant's id text, answers (question id → cell or mapped value) and carried cells."""

    def __init__(self, layout: Layout, mapping: Mapping, questionnaire: Questionnaire, *,
                 source: str, id_column: str = "id", automatic: bool = True, raw: bool = False):
        """Check ``mapping`` against the file (``automatic``: it was proposed, not read from a
        mapping file) and compile it. ``raw`` leaves the problems and the answer labels
        alone: each matched column gives its cells as they are (to propose a mapping)."""
        self.source = source
        self.layout = layout
        self.mapping = mapping
        problems = _check(layout, mapping, questionnaire, source, id_column, automatic)
        if problems and not raw:
            raise BouncebackError(problems)
        uses = [(c.index, c.name, mapping.columns[c.name]) for c in layout.columns]
        ids = [index for index, _, use in uses if use.kind == ID]
        self.id_index: int | None = ids[0] if ids else None
        self.id_name = next((name for _, name, use in uses if use.kind == ID), id_column)
        self.carried = [(index, name) for index, name, use in uses if use.kind == CARRY]
        self.fields: list[tuple[int, str]] = []
        self._read: list[tuple[int, str, Callable[[str], Any]]] = []
        self.options: dict[str, list[tuple[int, str]]] = {}
        for index, _, use in uses:
            if use.kind == QUESTION:
                question = questionnaire.by_id[use.question]
                self.fields.append((index, use.question))
                if not raw and question.kind != "text":
                    read = value_reader(question, mapping.values.get(use.question, {}))
                    self._read.append((index, use.question, _remembered(read)))
            elif use.kind == OPTION:
                self.options.setdefault(use.question, []).append((index, use.option))
        self.width = len(layout.columns)
        self._ids = [question_id for _, question_id in self.fields]
        self._cells = operator.itemgetter(*(index for index, _ in self.fields)) if len(self.fields) > 1 \
            else (lambda cells: tuple(cells[index] for index, _ in self.fields))

    @property
    def carry_names(self) -> list[str]:
        """The carried columns' names, in file order (the roster's columns after ``id``)."""
        return [name for _, name in self.carried]

    @property
    def names(self) -> list[str]:
        """The question id each answer column gives, in file order (for cell line numbers)."""
        return [name for _, name in self.fields]

    def record(self, cells: Sequence[str]) -> tuple[str | None, dict[str, Any], tuple[str, ...]]:
        """The id text (``None`` when no column identifies participants), the answers and the
        carried cells of one record with exactly :attr:`width` cells."""
        answers: dict[str, Any] = dict(zip(self._ids, self._cells(cells)))
        for index, question_id, read in self._read:
            cell = cells[index]
            if cell:
                answers[question_id] = read(cell)
        for question_id, columns in self.options.items():
            chosen = [option for index, option in columns if cells[index].strip()]
            if question_id in answers and answers[question_id]:
                given = answers[question_id]
                chosen = (given.split(";") if isinstance(given, str) else list(given)) + chosen
            answers[question_id] = chosen
        ident = None if self.id_index is None else cells[self.id_index].strip()
        return ident, answers, tuple(cells[index].strip() for index, _ in self.carried)

    def cell_lines(self, cells: Sequence[str], start: int) -> dict[str, int]:
        """The line each answer's cell starts on, for a record whose quoted cells hold newlines."""
        starts, line = [], start
        for cell in cells:
            starts.append(line)
            line += cell.count("\n")
        lines = {question_id: starts[index] for index, question_id in self.fields}
        for question_id, columns in self.options.items():
            lines.setdefault(question_id, starts[columns[0][0]])
        return lines


def _remembered(read: Callable[[str], Any], size: int = 4096) -> Callable[[str], Any]:
    """``read`` remembering its answers for the first ``size`` distinct cells (a column's
    cells repeat: scales, choices, yes/no), so reading a large file stays fast."""
    memory: dict[str, Any] = {}

    def remembered(cell: str) -> Any:
        value = memory.get(cell, _UNSEEN)
        if value is _UNSEEN:
            value = read(cell)
            if len(memory) < size:
                memory[cell] = value
        return value
    return remembered


_UNSEEN = object()


def _check(layout: Layout, mapping: Mapping, questionnaire: Questionnaire, source: str,
           id_column: str, automatic: bool) -> list[Problem]:
    """Every problem of the mapping for this file, header problems past
    :data:`HEADER_PROBLEMS` counted."""
    problems: list[Problem] = []
    where = mapping.source or source
    names = {c.name for c in layout.columns}
    for name in mapping.columns:
        if name not in names:
            problems.append(Problem(f"the mapping names column {name!r}, which {source} does not have",
                                    where, field="columns", code="mapping"))
    answered: dict[str, str] = {}
    raw_seen: set[str] = set()
    for column in layout.columns:
        raw = column.texts[0] if column.texts else column.name
        use = mapping.columns.get(column.name)
        if automatic and raw in raw_seen and raw and layout.tool.name == "":
            problems.append(Problem("the header names this column twice", source, 1, raw,
                                    "duplicate-column"))
            continue
        raw_seen.add(raw)
        if use is None:
            problems.append(Problem(f"column {column.name!r} is not in the mapping: add it with a question "
                                    "id, \"carry\" or \"ignore\"", where, field="columns", code="mapping"))
        elif use.kind == UNMATCHED:
            first = not any(p.code == "unknown-column" for p in problems)
            problems.append(_unmatched(column.name, questionnaire, source, automatic, where, first))
        elif use.kind == QUESTION:
            if use.question in answered:
                problems.append(Problem(
                    f"columns {answered[use.question]!r} and {column.name!r} both answer "
                    f"{use.question!r}" + (f"; name the right one in a mapping: {_map_command(source)}"
                                           if automatic else ""), where, 1 if automatic else None,
                    column.name, "duplicate-column"))
            answered[use.question] = column.name
    if len(problems) > HEADER_PROBLEMS:
        more = len(problems) - HEADER_PROBLEMS
        problems[HEADER_PROBLEMS:] = [Problem(f"... and {more} more unknown columns", source, 1,
                                              code="unknown-column")]
    ids = [name for name, use in mapping.columns.items() if use.kind == ID]
    if len(ids) > 1:
        problems.append(Problem(f"more than one id column: {', '.join(ids)}", where, code="mapping"))
    if automatic and not ids and layout.tool.name == "" and mapping.source is None:
        shown = ", ".join(n for n in layout.names[:6] if n) + (", ..." if len(layout.columns) > 6 else "")
        problems.append(Problem(
            f"no {id_column!r} column to identify participants (the header has: {shown}); "
            "add one, or name the id column with --id-column", source, 1, code="missing-id-column"))
    return problems


def _unmatched(name: str, questionnaire: Questionnaire, source: str, automatic: bool, where: str,
               first: bool) -> Problem:
    if not automatic:
        return Problem(f"column {name!r} is not mapped yet: give it a question id, \"carry\" or "
                       "\"ignore\"", where, field="columns", code="mapping")
    hint = f" (or match the columns yourself: {_map_command(source)})" if first else ""
    return Problem(
        f"unknown column{did_you_mean(name, questionnaire.by_id)}: the header must hold question ids "
        f"or texts; to leave the column out, use --ignore-column {shlex.quote(name)}{hint}",
        source, 1, name, "unknown-column")


def _map_command(source: str) -> str:
    return f"bounceback map {shlex.quote(source)} -o mapping.toml"


# ---------------------------------------------------------------------------------------------
# Mapping files

def render_toml(mapping: Mapping, questionnaire: Questionnaire, *, source: str, tool_title: str,
                rows_seen: int) -> str:
    """A mapping file for a person to review: every column and every answer label not already
    an option id, with the unmatched ones marked ``UNMATCHED``."""
    unmatched = len(mapping.unmatched_columns) + sum(map(len, mapping.unmatched_values.values()))
    lines = [
        f"# How {source} maps to the questionnaire: proposed by `bounceback map` from its header",
        f"# ({tool_title}, {mapping.header_rows} header row{'s' if mapping.header_rows != 1 else ''}) "
        f"and the answers of {rows_seen:,} rows.",
        "# Each column is a question id, \"id\" (identifies the participant), \"carry\" (copied",
        "# to roster.csv only, e.g. an e-mail address or a name) or \"ignore\"; one column per",
        "# choice is { question = ..., option = ... }. Under [values.QUESTION], each answer label",
        "# as the export writes it, and the answer it means.",
        f"# Unmatched: {unmatched}." + (" Decide each line marked UNMATCHED: batch refuses an "
                                        "unmatched column." if unmatched else ""),
        f"# Then: bounceback batch {shlex.quote(source)} --mapping THIS_FILE --out results/", "",
        "[input]", f"tool = {_toml_string(mapping.tool)}", f"header_rows = {mapping.header_rows}", "",
        "[columns]",
    ]
    if not any(use.kind == ID for use in mapping.columns.values()):
        lines.append("# No column identifies participants: their row numbers are their ids.")
    for name, use in mapping.columns.items():
        note = "  # UNMATCHED: a question id, \"carry\" or \"ignore\"" if use.kind == UNMATCHED else ""
        lines.append(f"{_toml_string(name)} = {use.to_toml()}{note}")
    for question_id, labels in mapping.values.items():
        question = questionnaire.by_id[question_id]
        lines += ["", f"[values.{question_id}]  # {question.describe_allowed()}"]
        for label, value in labels.items():
            shown = '""  # UNMATCHED' if value is None else _toml_value(value)
            lines.append(f"{_toml_string(label)} = {shown}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _toml_string(str(value))


def read_mapping(path: str | Path, questionnaire: Questionnaire) -> Mapping:
    """Read a mapping file (as :func:`render_toml` writes it, reviewed); raise
    :class:`BouncebackError` naming the file and key for anything it cannot mean."""
    source = str(path)
    data = load_toml(read_text(path, expected="a mapping file (.toml)"), source)
    problems: list[Problem] = []
    columns: dict[str, Use] = {}
    raw_columns = data.get("columns", {})
    if not isinstance(raw_columns, dict) or not raw_columns:
        problems.append(Problem("expected a [columns] table naming each column of the export", source,
                                field="columns", code="mapping"))
        raw_columns = {}
    for name, value in raw_columns.items():
        use, problem = _read_use(value, questionnaire)
        if problem:
            problems.append(Problem(problem, source, field=f"columns.{name}", code="mapping"))
        columns[name] = use
    values: dict[str, dict[str, Any]] = {}
    raw_values = data.get("values", {})
    for question_id, labels in (raw_values.items() if isinstance(raw_values, dict) else []):
        question = questionnaire.by_id.get(question_id)
        if question is None or not isinstance(labels, dict):
            problems.append(Problem(f"unknown question{did_you_mean(question_id, questionnaire.by_id)}"
                                    if question is None else "expected a table of labels",
                                    source, field=f"values.{question_id}", code="mapping"))
            continue
        values[question_id] = {}
        for label, value in labels.items():
            value, problem = _read_value(question, value)
            if problem:
                problems.append(Problem(problem, source, field=f"values.{question_id}.{label}", code="mapping"))
            values[question_id][label] = value
    info = data.get("input", {})
    header_rows = info.get("header_rows") if isinstance(info, dict) else None
    if header_rows is not None and (not isinstance(header_rows, int) or isinstance(header_rows, bool)
                                    or not 1 <= header_rows <= 10):
        problems.append(Problem("expected a whole number of header rows from 1 to 10", source,
                                field="input.header_rows", code="mapping"))
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
        return Use(UNMATCHED), (f"unknown question {value!r}{did_you_mean(value, questionnaire.by_id)}; "
                                "expected a question id, \"id\", \"carry\" or \"ignore\"")
    if isinstance(value, dict) and set(value) == {"question", "option"}:
        question = questionnaire.by_id.get(str(value["question"]))
        if question is None or question.kind != "multi":
            return Use(UNMATCHED), f"{value['question']!r} is not a multi-select question"
        if value["option"] not in question.options:
            return Use(UNMATCHED), (f"{value['option']!r} is not a choice of {question.id!r}; expected one "
                                    f"of: {', '.join(question.options)}")
        return Use(OPTION, question.id, str(value["option"])), None
    return Use(UNMATCHED), "expected a question id, \"id\", \"carry\", \"ignore\" or { question, option }"


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
