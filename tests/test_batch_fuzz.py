"""Fuzzing the batch readers (CSV and JSON Lines) with hypothesis.

Whatever the file holds, ``bounceback batch`` either refuses the whole file with a clear
message (exit 2: no header, unknown columns, an empty file, one JSON document over several
lines) or plans it: then every data record is exactly one line of ``plans.jsonl`` or
``errors.jsonl``, in file order, and the summary counts agree. Generated records know what
they should become (a row made only of valid answers is a plan; a row with the wrong number
of cells is an error record), so the tests also check *which* file each row lands in.

Runs are in-process (``--jobs 1``): worker processes are the parallel tests' business.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import attrs
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounceback.api import load
from bounceback.batch import CohortInput, Setup, run_batch
from bounceback.cli import cli
from bounceback.errors import BouncebackError
from bounceback.model import Question
from bounceback.questionnaire import parse_answer

SETUP = Setup(entry_points=False)
QUESTIONNAIRE = load(entry_points=False).questionnaire
QUESTIONS = {q.id: q for q in QUESTIONNAIRE}
REQUIRED = [q.id for q in QUESTIONS.values() if q.required]
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# -- what a spreadsheet cell can hold -----------------------------------------------------------

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\ufeff",
        '"',
        '""',
        "'",
        "a\nb",
        "a\r\nb",
        ";",
        ";;",
        "a;b",
        ",",
        "\t",
        "\x00",
        "NaN",
        "Infinity",
        "-1",
        "0",
        "3.5",
        "1e3",
        "9" * 20,
        "yes;no",
        "lots",
        "null",
        "{}",
        "[1]",
        "\u2028",
        "é",
        "\udcff",
    ]
)
#: Text as editors produce it: any characters, and the awkward ones often.
#: What a valid text answer may hold: anything but control characters (bounceback.safetext).
ANSWER_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs"))
TEXT = st.text(max_size=12) | NASTY | st.builds("".join, st.lists(NASTY, max_size=4))


def valid_cell(question: Question) -> st.SearchStrategy[str]:
    """Cells that are a valid answer to ``question`` (never empty when it is required)."""
    padded = st.sampled_from(["", " "])
    if question.kind in ("scale", "number"):
        low, high = question.min or 0, question.max if question.max is not None else 10**6
        value = st.integers(low, high).map(str)
    elif question.kind == "bool":
        value = st.sampled_from(["yes", "No", "TRUE", "false", "1", "0", "y", "N"])
    elif question.kind == "choice":
        value = st.sampled_from(question.options)
    elif question.kind == "multi":
        value = st.lists(st.sampled_from(question.options), max_size=3).map(";".join)
    else:
        value = st.text(ANSWER_CHARACTERS, max_size=20).filter(str.strip)  # no control characters
    value = st.tuples(padded, value, padded).map("".join)
    return value if question.required else value | st.just("")


@attrs.frozen
class Record:
    """One generated data record: its cells, and what it must become (``None``: either)."""

    cells: list[str]
    planned: bool | None

    @property
    def blank(self) -> bool:
        return not "".join(self.cells).strip()


@st.composite
def csv_records(draw: st.DrawFn, columns: list[str]) -> Record:
    """A record for ``columns``: all valid, some cells anything, or the wrong number of cells."""
    kind = draw(st.sampled_from(["valid", "valid", "mixed", "blank", "width"]))
    if kind == "blank":
        return Record(
            draw(st.lists(st.sampled_from(["", " ", "\t"]), min_size=len(columns), max_size=len(columns))),
            None,
        )
    cells = [
        draw(st.text(max_size=8).filter(str.strip)) if c == "id" else draw(valid_cell(QUESTIONS[c]))
        for c in columns
    ]
    if kind == "valid":
        return Record(cells, all(q in columns for q in REQUIRED) and _consistent(columns, cells))
    if kind == "mixed":
        for i in draw(st.sets(st.integers(0, len(cells) - 1), max_size=len(cells))):
            cells[i] = draw(TEXT)
        return Record(cells, None)
    extra = draw(st.lists(TEXT, min_size=1, max_size=3))
    return Record(cells[:-1] if draw(st.booleans()) and len(cells) > 1 else cells + extra, False)


def _consistent(columns: list[str], cells: list[str]) -> bool:
    """Whether valid cells also pass the packs' consistency checks (valid answers drawn one by
    one may contradict each other, e.g. no feedback but feedback themes)."""
    answers = {c: parse_answer(QUESTIONS[c], cell) for c, cell in zip(columns, cells) if c != "id"}
    return not QUESTIONNAIRE.broken(answers)


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, list[Record]]:
    """A CSV export: a valid header (some questions, any order), records, a delimiter, line
    endings and maybe a byte-order mark."""
    questions = draw(
        st.lists(st.sampled_from(list(QUESTIONS)), unique=True, max_size=len(QUESTIONS))
        | st.permutations(list(QUESTIONS))
    )
    columns = draw(st.permutations(["id", *questions]))
    records = draw(st.lists(csv_records(columns), max_size=8))
    # The reader tells the delimiter from the header: a header of one column has none.
    delimiter = draw(st.sampled_from([",", ";", "\t"])) if len(columns) > 1 else ","
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    text = "".join(_csv_line(cells, delimiter) + ending for cells in [columns, *(r.cells for r in records)])
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + text.encode("utf-8", "surrogateescape"), records


def _csv_line(cells: list[str], delimiter: str) -> str:
    """Cells as a spreadsheet writes them: quoted when they hold the delimiter, a quote or a
    line break (``csv.writer`` leaves a lone CR unquoted when lines end in LF)."""
    special = (delimiter, '"', "\r", "\n")
    return delimiter.join(
        '"' + c.replace('"', '""') + '"' if any(s in c for s in special) else c for c in cells
    )


# -- JSON Lines ---------------------------------------------------------------------------------

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def json_lines(draw: st.DrawFn) -> tuple[str, bool | None]:
    """One line of a JSON Lines export and what it must become (``None``: either or blank)."""
    kind = draw(st.sampled_from(["valid", "valid", "mixed", "blank", "junk", "value"]))
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "\t"])), None
    if kind == "junk":  # not JSON, or not an object; never a line break inside
        text = draw(TEXT | st.just("{") | st.just('{"id": "a",') | st.just("[" * 3000))
        return text.replace("\n", " ").replace("\r", " "), None
    if kind == "value":
        return json.dumps(draw(SCALARS | st.lists(JSON_VALUES, max_size=3))), False
    answers: dict[str, Any] = {q: draw(valid_cell(QUESTIONS[q])) for q in REQUIRED}
    answers["id"] = draw(st.text(max_size=8).filter(str.strip) | st.integers(0, 10**9))
    if kind == "mixed":
        keys = st.sampled_from([*QUESTIONS, "id"]) | TEXT
        answers.update(draw(st.dictionaries(keys, JSON_VALUES, max_size=5)))
    return json.dumps(answers, ensure_ascii=draw(st.booleans())), True if kind == "valid" else None


@st.composite
def jsonl_files(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, bool | None]]]:
    lines = draw(st.lists(json_lines(), max_size=8))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = "".join(line + ending for line, _ in lines)
    return text.encode("utf-8", "surrogateescape"), lines


# -- running and checking -----------------------------------------------------------------------


def _batch(content: bytes, name: str, expected: list[bool | str | None], may_refuse: bool) -> None:
    """Write ``content`` to a file called ``name``, run the batch on it in-process, and check
    that the results are ``expected`` (see :func:`_rows_in_are_plans_plus_errors`), or, when
    the file ``may_refuse``, that the refusal is a clear file-level error."""
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / name, Path(tmp) / "out"
        path.write_bytes(content)
        try:
            run_batch(CohortInput(path), out, SETUP, jobs=1)
        except BouncebackError as exc:
            assert may_refuse, exc
            assert exc.problems and all(p.message and p.source == str(path) for p in exc.problems)
            assert not out.exists(), "a refused file writes nothing"
            return
        _rows_in_are_plans_plus_errors(out, expected, header=name.endswith(".csv"))


def _results(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """plans.jsonl and errors.jsonl, each line parsed (so each must be one JSON object), and
    summary.json."""

    def lines(name: str) -> list[dict[str, Any]]:
        text = (out / name).read_text(encoding="ascii")  # written ASCII-only, whatever came in
        assert text == "" or text.endswith("\n")
        return [json.loads(line) for line in text.splitlines()]

    return lines("plans.jsonl"), lines("errors.jsonl"), json.loads((out / "summary.json").read_text("utf-8"))


def _rows_in_are_plans_plus_errors(out: Path, expected: list[bool | str | None], header: int) -> None:
    """``expected[i]`` is what data record i + 1 must become: ``True`` a plan, ``False`` an
    error record, ``None`` either, ``"blank"`` nothing (skipped, but it keeps its number).
    ``header`` is 1 when a header line comes before the records (CSV), else 0."""
    plans, errors, summary = _results(out)
    wanted = [n for n, what in enumerate(expected, start=1) if what != "blank"]
    assert [p["row"] for p in plans] == sorted(p["row"] for p in plans)
    assert [e["row"] for e in errors] == sorted(e["row"] for e in errors)
    assert sorted(r["row"] for r in plans + errors) == wanted
    assert (summary["participants"], summary["plans"], summary["errors"], summary["blank_rows_skipped"]) == (
        len(wanted),
        len(plans),
        len(errors),
        len(expected) - len(wanted),
    )
    assert summary["internal_errors"] == 0, errors
    planned = {p["row"] for p in plans}
    for number, what in enumerate(expected, start=1):
        if isinstance(what, bool):
            assert (number in planned) is what, (number, errors)
    lines = [e["line"] for e in errors]
    assert lines == sorted(lines)
    assert all(e["line"] >= e["row"] + header if header else e["line"] == e["row"] for e in errors)
    for error in errors:
        assert error["errors"] and all(p["message"] and p["code"] for p in error["errors"])


#: A header that leaves out a few safety questions makes screening try every answer they could
#: have (batch/screening.py: up to 1,000 tries per row); since each try works out only what the
#: triggers read, the 30 files take a few seconds (37 s under coverage before).
@settings(FUZZ)
@given(csv_files())
def test_csv_rows_in_are_plans_plus_errors(generated: tuple[bytes, list[Record]]) -> None:
    content, records = generated
    expected: list[bool | str | None] = ["blank" if r.blank else r.planned for r in records]
    _batch(content, "cohort.csv", expected, may_refuse=False)


@FUZZ
@given(jsonl_files())
def test_jsonl_rows_in_are_plans_plus_errors(generated: tuple[bytes, list[tuple[str, bool | None]]]) -> None:
    content, lines = generated
    texts = [line for line, _ in lines]
    if texts:
        texts[0] = texts[0].removeprefix("\ufeff")  # at the very start, that is a byte-order mark
    expected: list[bool | str | None] = [
        "blank" if not text.strip() else what for text, (_, what) in zip(texts, lines)
    ]
    # Refused: an empty file, a first line that starts one JSON document, or one that is not
    # text (a NUL; bytes that are not UTF-8, outside an object).
    first = texts[0].strip() if texts else "["
    binary = "\x00" in first or (any("\ud800" <= c <= "\udfff" for c in first) and not first.startswith("{"))
    _batch(
        content, "cohort.jsonl", expected, may_refuse=first in ("[", "{") or first.startswith("[") or binary
    )


@FUZZ
@given(
    content=st.binary(max_size=400) | TEXT.map(lambda t: t.encode("utf-8", "surrogateescape")),
    header=st.sampled_from([b"", b"id,anger,role\n", b"id;skill_gaps\r\n", b'{"id": 1}\n']),
    name=st.sampled_from(["cohort.csv", "cohort.jsonl", "cohort.tsv", "export.txt"]),
)
def test_any_bytes_are_planned_or_refused_clearly(content: bytes, header: bytes, name: str) -> None:
    """Arbitrary bytes (after a valid header, half the time): exit 0 with every record
    accounted for, or exit 2 with one clear message per problem; never a traceback."""
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / name, Path(tmp) / "out"
        path.write_bytes(header + content)
        result = CliRunner().invoke(
            cli,
            ["batch", str(path), "--out", str(out), "--jobs", "1", "--no-plugins", "--max-error-rate", "1"],
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        if result.exit_code == 2:
            assert result.stderr.startswith(f"error: {path}"), result.stderr
            assert not out.exists()
            return
        assert result.exit_code == 0, result.output
        plans, errors, summary = _results(out)
        assert summary["participants"] == summary["plans"] + summary["errors"] == len(plans) + len(errors)
        rows = sorted(r["row"] for r in plans + errors)
        assert len(set(rows)) == len(rows) and all(r >= 1 for r in rows)


def test_file_level_problems_are_clear_errors(tmp_path: Path) -> None:
    """The refusals the fuzz tests accept, each seen once: what it says and that nothing is written."""
    cases = {
        "empty.csv": (b"", "the file is empty"),
        "bom.csv": (b"\xef\xbb\xbf", "the file is empty"),
        "blank-header.csv": (b"\n\nid\n1\n", "the first line is empty"),
        "no-id.csv": (b"anger,anxiety\n1,2\n", "no 'id' column to identify participants"),
        "typo.csv": (b"id,angr\n1,2\n", "unknown column (did you mean 'anger'?)"),
        "twice.csv": (b"id;anger;anger\n1;2;3\n", "the header names this column twice"),
        "binary.csv": (bytes(range(1, 9)) + b"\xff\n", "the first line is not text"),
        "nul.jsonl": (b"\x00{}\n", "the first line is not text"),
        "pretty.jsonl": (b'{\n  "id": 1\n}\n', "an object over several lines"),
        "array.jsonl": (b'[{"id": 1},\n{"id": 2}]\n', "expected JSON Lines"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = CliRunner().invoke(cli, ["batch", str(path), "--out", str(tmp_path / "out"), "--no-plugins"])
        assert result.exit_code == 2, (name, result.output)
        assert result.stderr.startswith(f"error: {path}:1: ") and message in result.stderr, (
            name,
            result.stderr,
        )
        assert "Traceback" not in result.output and not (tmp_path / "out").exists()
