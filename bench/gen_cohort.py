"""Generate a realistic cohort file for ``bounceback batch``: varied answers, a few bad rows.

    python bench/gen_cohort.py --rows 100000 -o cohort.csv        # CSV (the default)
    python bench/gen_cohort.py --rows 1000 --format jsonl -o cohort.jsonl

Answers come from the profile generator that ``packs validate --coverage`` uses
(``bounceback.authoring.profiles``): every question of the built-in questionnaire, a hidden
"mood" per person so feelings hang together the way they do in real answers, the packs'
consistency checks respected; optional questions are sometimes left blank; booleans come in every spelling a
spreadsheet produces; some text cells hold commas, quotes or newlines. About one row in 500 is
bad (a word where a number belongs, an option that does not exist, a missing required answer or
id) and about one in 2,000 repeats an earlier id. The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path
from typing import Any

import attrs

from bounceback.api import load
from bounceback.authoring.profiles import BASE_MODEL, ProfileMaker
from bounceback.files import atomic_writer

# The profile model's roles and companies, then harder cells for the CSV writer (commas, quotes, line breaks).
ROLES = [
    *BASE_MODEL.texts["role"],
    "Marketing Coordinator",
    "Warehouse Supervisor",
    "Senior Data Engineer\n(Platform team)",
    "Customer Success Manager",
    "Paralegal",
]
COMPANIES = [
    *BASE_MODEL.texts["company"],
    "Smith, Jones & Partners",
    'The "Green" Grocer',
    "Umbrella Health",
    "Acme Corp",
]
TRUE = ["yes", "true", "TRUE", "Yes", "1", "y"]
FALSE = ["no", "false", "FALSE", "No", "0", "n"]
REQUIRED = [
    "stage_reached",
    "days_since_rejection",
    "disappointment",
    "anger",
    "anxiety",
    "self_doubt",
    "hopelessness",
    "motivation",
    "feedback_received",
]
#: The shared profile model (bounceback.authoring.profiles), with text cells that hold commas,
#: quotes and newlines, as real exports do.
MODEL = attrs.evolve(
    BASE_MODEL,
    texts={**BASE_MODEL.texts, "role": ROLES, "company": COMPANIES},  # names: the base model's
)
#: The built-in questionnaire's profiles: every question, consistent answers.
MAKER = ProfileMaker(load(entry_points=False).questionnaire, MODEL)
COLUMNS = ["id", *(q.id for q in MAKER.questionnaire)]


def person(rng: random.Random, number: int) -> dict[str, Any]:
    """One participant's answers (typed values; ``None`` = left blank)."""
    answers = MAKER.answers(rng)
    return {"id": f"P{number:07d}", **{q: answers.get(q) for q in COLUMNS[1:]}}


def spoil(rng: random.Random, answers: dict[str, Any]) -> None:
    """Make a row bad the ways real exports are."""
    kind = rng.randrange(5)
    if kind == 0:
        answers["anger"] = "lots"
    elif kind == 1:
        answers["stage_reached"] = "second_interview"
    elif kind == 2:
        answers[rng.choice(REQUIRED)] = None
    elif kind == 3:
        answers["id"] = None
    else:
        answers["hopelessness"] = 7


def rows(count: int, seed: int) -> Any:
    """``count`` participants' answers, reproducibly."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        answers = person(rng, number)
        if rng.random() < 0.002:
            spoil(rng, answers)
        if number > 10 and rng.random() < 0.0005:
            answers["id"] = f"P{rng.randint(1, number - 1):07d}"
        yield answers


def cell(value: Any, rng: random.Random) -> str:
    """A value as a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return rng.choice(TRUE if value else FALSE)
    if isinstance(value, (list, tuple)):
        return ";".join(value)
    return str(value)


def main(argv: list[str] | None = None) -> None:
    """Write the cohort file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    spelling = random.Random(args.seed + 1)
    with atomic_writer(args.output, newline="") as handle:
        if args.format == "csv":
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for answers in rows(args.rows, args.seed):
                writer.writerow([cell(answers[c], spelling) for c in COLUMNS])
        else:
            for answers in rows(args.rows, args.seed):
                record = {k: v for k, v in answers.items() if v is not None}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {args.rows:,} rows to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
