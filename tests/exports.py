"""Survey-tool exports written as each tool writes them, for the cohort tests.

Each writer takes people (typed answers, as in an answers file, plus ``name`` and ``email``)
and the questionnaire, and writes the file the tool's "download responses" gives: its header
rows, metadata columns, timestamps, how it writes choices (labels, not ids), checkbox joins and
yes/no answers, and its encoding.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bounceback.model import Question
from bounceback.questionnaire import Questionnaire

#: The questions the test forms ask (every required one and some of each kind).
ASKED = (
    "stage_reached",
    "days_since_rejection",
    "disappointment",
    "anger",
    "anxiety",
    "self_doubt",
    "hopelessness",
    "motivation",
    "feedback_received",
    "skill_gaps",
    "open_to",
    "support_people",
    "role",
)
START = dt.datetime(2026, 11, 3, 9, 15, 2)


def label(question: Question, option: str) -> str:
    """An option as a form shows it: its human label (``Phone screen``)."""
    labels = getattr(question, "labels", None) or {}
    return labels.get(option) or option.replace("_", " ").capitalize()


def shown(question: Question, value: Any, *, yes: str = "Yes", no: str = "No", join: str = ", ") -> str:
    """A typed answer as the tool writes it in one cell."""
    if value is None:
        return ""
    if question.kind == "bool":
        return yes if value else no
    if question.kind == "choice":
        return label(question, value)
    if question.kind == "multi":
        return join.join(label(question, v) for v in value)
    return str(value)


def _questions(questionnaire: Questionnaire) -> list[Question]:
    return [questionnaire.by_id[q] for q in ASKED]


def _write_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def google_forms(path: Path, people: list[dict[str, Any]], questionnaire: Questionnaire) -> Path:
    """Google Forms' CSV download: Timestamp, Email Address, the question titles; checkboxes
    joined by ", "."""
    questions = _questions(questionnaire)
    rows = [["Timestamp", "Email Address", *(q.prompt for q in questions)]]
    for n, person in enumerate(people):
        stamp = (START + dt.timedelta(minutes=7 * n)).strftime("%Y/%m/%d %-I:%M:%S %p GMT+1")
        rows.append([stamp, person["email"], *(shown(q, person.get(q.id)) for q in questions)])
    return _write_csv(path, rows)


def ms_forms(path: Path, people: list[dict[str, Any]], questionnaire: Questionnaire) -> Path:
    """Microsoft Forms' Excel workbook: ID, Start time, Completion time, Email, Name, Last
    modified time, the questions; multiple answers joined by ";" with a trailing ";"."""
    import openpyxl

    questions = _questions(questionnaire)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "Last modified time",
            *(q.prompt for q in questions),
        ]
    )
    for n, person in enumerate(people, start=1):
        begin = START + dt.timedelta(minutes=9 * n)
        cells: list[Any] = [n, begin, begin + dt.timedelta(minutes=6), person["email"], person["name"], None]
        for q in questions:
            value = person.get(q.id)
            if q.kind == "multi":
                cells.append("".join(f"{label(q, v)};" for v in value or ()) or None)
            elif q.kind in ("scale", "number") and value is not None:
                cells.append(int(value))
            else:
                cells.append(shown(q, value) or None)
        sheet.append(cells)
    book.save(path)
    return path


def typeform(path: Path, people: list[dict[str, Any]], questionnaire: Questionnaire) -> Path:
    """Typeform's CSV: ``#`` (the response token), the questions (each choice of a multiple
    selection its own column, headed and filled with the choice), yes/no as 1/0, then Start
    Date (UTC), Submit Date (UTC), Network ID."""
    questions = _questions(questionnaire)
    header = ["#"]
    for q in questions:
        header += [label(q, o) for o in q.options] if q.kind == "multi" else [q.prompt]
    rows = [[*header, "Start Date (UTC)", "Submit Date (UTC)", "Network ID"]]
    for n, person in enumerate(people):
        cells = [f"x{n}k2bd0a9f{n:02d}"]
        for q in questions:
            value = person.get(q.id)
            if q.kind == "multi":
                cells += [label(q, o) if o in (value or ()) else "" for o in q.options]
            else:
                cells.append(shown(q, value, yes="1", no="0"))
        stamp = (START + dt.timedelta(hours=n)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append([*cells, stamp, stamp, f"a1b2c3d{n}"])
    return _write_csv(path, rows)


def qualtrics(path: Path, people: list[dict[str, Any]], questionnaire: Questionnaire) -> Path:
    """Qualtrics' CSV (UTF-8 with a byte-order mark): column names, question texts and
    ImportId rows; multiple answers as choice texts joined by ","."""
    questions = _questions(questionnaire)
    meta = [
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
        "DistributionChannel",
        "UserLanguage",
    ]
    texts = [
        "Start Date",
        "End Date",
        "Response Type",
        "IP Address",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Recorded Date",
        "Response ID",
        "Recipient Last Name",
        "Recipient First Name",
        "Recipient Email",
        "External Data Reference",
        "Location Latitude",
        "Location Longitude",
        "Distribution Channel",
        "User Language",
    ]
    imports = [
        json.dumps({"ImportId": i})
        for i in (
            "startDate",
            "endDate",
            "status",
            "ipAddress",
            "progress",
            "duration",
            "finished",
            "recordedDate",
            "_recordId",
            "recipientLastName",
            "recipientFirstName",
            "recipientEmail",
            "externalDataReference",
            "locationLatitude",
            "locationLongitude",
            "distributionChannel",
            "userLanguage",
        )
    ]
    rows = [
        meta + [f"Q{n}" for n, _ in enumerate(questions, 1)],
        texts + [q.prompt for q in questions],
        imports + [json.dumps({"ImportId": f"QID{n}"}) for n, _ in enumerate(questions, 1)],
    ]
    for n, person in enumerate(people):
        stamp = (START + dt.timedelta(hours=n)).strftime("%Y-%m-%d %H:%M:%S")
        first, _, last = person["name"].partition(" ")
        rows.append(
            [
                stamp,
                stamp,
                "IP Address",
                "192.0.2.10",
                "100",
                "312",
                "True",
                stamp,
                f"R_{n}aBcDeF",
                last,
                first,
                person["email"],
                "",
                "52.37",
                "4.89",
                "anonymous",
                "EN",
            ]
            + [shown(q, person.get(q.id), join=",") for q in questions]
        )
    return _write_csv(path, rows, encoding="utf-8-sig")


def surveymonkey(path: Path, people: list[dict[str, Any]], questionnaire: Questionnaire) -> Path:
    """SurveyMonkey's CSV: question texts over a second row of "Response" or the choice each
    column stands for (checkboxes: one column per choice, filled with its text when chosen)."""
    questions = _questions(questionnaire)
    meta = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    first, second = list(meta), [""] * len(meta)
    for q in questions:
        if q.kind == "multi":
            first += [q.prompt] + [""] * (len(q.options) - 1)
            second += [label(q, o) for o in q.options]
        else:
            first.append(q.prompt)
            second.append("Response")
    rows = [first, second]
    for n, person in enumerate(people):
        stamp = (START + dt.timedelta(hours=n)).strftime("%m/%d/%Y %I:%M:%S %p")
        given, _, family = person["name"].partition(" ")
        cells = [
            str(11400000000 + n),
            "431234567",
            stamp,
            stamp,
            "198.51.100.7",
            person["email"],
            given,
            family,
            "",
        ]
        for q in questions:
            value = person.get(q.id)
            if q.kind == "multi":
                cells += [label(q, o) if o in (value or ()) else "" for o in q.options]
            else:
                cells.append(shown(q, value))
        rows.append(cells)
    return _write_csv(path, rows)


def european_excel(path: Path, people: list[dict[str, Any]], questionnaire: Questionnaire) -> Path:
    """A spreadsheet of question ids saved by a German Excel: ";"-separated, cp1252, Ja/Nein."""
    questions = _questions(questionnaire)
    rows = [["id", "Name", *(q.id for q in questions)]]
    for person in people:
        rows.append(
            [
                person["id"],
                person["name"],
                *(shown(q, person.get(q.id), yes="Ja", no="Nein", join="; ") for q in questions),
            ]
        )
    return _write_csv(path, rows, encoding="cp1252", delimiter=";")


def unicode_text(path: Path, people: list[dict[str, Any]], questionnaire: Questionnaire) -> Path:
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated, question ids."""
    questions = _questions(questionnaire)
    rows = [["id", *(q.id for q in questions)]]
    for person in people:
        rows.append([person["id"], *(shown(q, person.get(q.id), join=";") for q in questions)])
    return _write_csv(path, rows, encoding="utf-16", delimiter="\t")


WRITERS: dict[str, Callable[[Path, list[dict[str, Any]], Questionnaire], Path]] = {
    "googleforms.csv": google_forms,
    "msforms.xlsx": ms_forms,
    "typeform.csv": typeform,
    "qualtrics.csv": qualtrics,
    "surveymonkey.csv": surveymonkey,
    "excel-de.csv": european_excel,
    "unicode.txt": unicode_text,
}
