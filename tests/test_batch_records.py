"""Long CSV records and inputs that are not regular files: a record too long to read costs
exactly its own row, and the progress bar never reads a pipe before the run does."""

from __future__ import annotations

import csv
import io
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback import batch
from test_batch import STEADY, person, read_jsonl, run, write_csv


def _cohort_with(tmp_path: Path, cell: str) -> Path:
    """Three participants, the second with ``cell`` as its role."""
    return write_csv(tmp_path / "cohort.csv", [person("a"), person("b", role=cell), person("c")])


@pytest.mark.parametrize(
    "cell",
    [
        "x\n" * 70_000,  # over the csv module's field limit (131,072 characters), on many lines
        ("y" * 1000 + "\n") * 1100,  # over MAX_LINE characters in all, on many short lines
        "z" * (batch.MAX_LINE + 10) + "\nmore\n",  # one line over MAX_LINE inside the quoted cell
    ],
    ids=["over-the-field-limit", "over-max-line", "long-line-in-the-cell"],
)
def test_a_too_long_cell_costs_its_own_row_only(tmp_path: Path, cell: str) -> None:
    summary = run(_cohort_with(tmp_path, cell), tmp_path / "out")
    plans, errors = (
        read_jsonl(tmp_path / "out" / "plans.jsonl"),
        read_jsonl(tmp_path / "out" / "errors.jsonl"),
    )
    assert (summary.participants, summary.plans, summary.errors) == (3, 2, 1)
    assert [p["id"] for p in plans] == ["a", "c"]
    assert [(e["row"], e["line"]) for e in errors] == [(2, 3)]
    assert errors[0]["errors"][0]["code"] in ("csv", "too-long")
    assert plans[1]["row"] == 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(st.sampled_from('ab,"\n\r;'), max_size=12), min_size=1, max_size=6))
def test_records_split_where_the_csv_module_splits_them(cells: list[str]) -> None:
    """Whole records, as the csv module reads them, whatever quotes and line breaks the
    cells hold."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for cell in cells:
        writer.writerow(["1", cell])
    text = buffer.getvalue()
    records = list(batch.CsvRecords(batch.Lines(io.StringIO(text, newline="")), ","))
    assert "".join(records) == text
    assert [row for record in records for row in csv.reader([record])] == list(
        csv.reader(io.StringIO(text, newline=""))
    )


def test_the_line_count_reads_regular_files_only(tmp_path: Path) -> None:
    fifo = tmp_path / "cohort.fifo"
    os.mkfifo(fifo)
    counted: list[int | None] = []
    counter = threading.Thread(target=lambda: counted.append(batch.count_lines(fifo)), daemon=True)
    counter.start()
    counter.join(timeout=10)
    if counter.is_alive():  # opening the FIFO blocks until a writer comes: let it go
        with open(fifo, "w"):
            pass
    assert counted == [None]
    assert batch.count_lines(write_csv(tmp_path / "c.csv", [STEADY])) == 2
