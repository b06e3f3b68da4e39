"""Generate a realistic cohort file for ``bounceback batch``: varied answers, a few bad rows.

    python bench/gen_cohort.py --rows 100000 -o cohort.csv        # CSV (the default)
    python bench/gen_cohort.py --rows 1000 --format jsonl -o cohort.jsonl

Answers follow a hidden "mood" per person, so feelings hang together the way they do in real
answers; optional questions are sometimes left blank; booleans come in every spelling a
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

from bounceback.files import atomic_writer

NAMES = ["Alex", "Sam", "Priya", "Jonas", "Maria", "Kwame", "Mei", "Olivia", "Tomás", "Aisha",
         "Noah", "Zoë", "Liam", "Fatima", "Chen", "Sofia", "Mateo", "Hannah", "Yusuf", "Ines"]
ROLES = ["Data Analyst", "Junior Developer", "Project Manager", "Nurse", "Sales Associate",
         "UX Designer", "Accountant", "Teacher", "Marketing Coordinator", "Warehouse Supervisor",
         "Senior Data Engineer\n(Platform team)", "Customer Success Manager", "Paralegal"]
COMPANIES = ["Northwind Traders", "Contoso", "Fabrikam, Inc.", "Globex", "Initech",
             "Smith, Jones & Partners", "The \"Green\" Grocer", "Umbrella Health", "Acme Corp"]
STAGES = (["application"] * 3 + ["phone_screen"] * 3 + ["interview"] * 5 + ["final_round"] * 2
          + ["offer_stage"])
THEMES = ["technical_skills", "experience", "communication", "culture_fit", "salary",
          "stronger_candidate", "preparation", "other"]
GAPS = ["technical", "domain_knowledge", "leadership", "communication", "interviewing",
        "certification", "tools", "other"]
OPEN_TO = ["other_industry", "freelance", "contract", "further_education", "retail_sales"]
TRUE = ["yes", "true", "TRUE", "Yes", "1", "y"]
FALSE = ["no", "false", "FALSE", "No", "0", "n"]
COLUMNS = ["id", "name", "role", "company", "interviewer_name", "stage_reached",
           "days_since_rejection", "rejections_recent", "months_searching", "disappointment",
           "anger", "anxiety", "self_doubt", "hopelessness", "motivation", "feedback_received",
           "feedback_themes", "skill_gaps", "interview_confidence", "resume_updated_months",
           "career_doubt", "role_fit_doubt", "open_to", "support_people", "self_care",
           "in_support_group", "network_contacts_month", "applications_per_week",
           "tracks_applications", "has_goals", "uses_recruiter", "sent_thank_you",
           "practised_interviews", "financial_urgency"]
REQUIRED = ["stage_reached", "days_since_rejection", "disappointment", "anger", "anxiety",
            "self_doubt", "hopelessness", "motivation", "feedback_received"]


def person(rng: random.Random, number: int) -> dict[str, Any]:
    """One participant's answers (typed values; ``None`` = left blank)."""
    mood = rng.betavariate(2, 3.5)  # 0 = coping well, 1 = struggling; most cope

    def feeling(bias: float = 0.0) -> int:
        return max(1, min(5, round(1 + 4 * (mood + bias) + rng.gauss(0, 0.8))))

    def maybe(value: Any, blank: float = 0.2) -> Any:
        return None if rng.random() < blank else value

    def some(options: list[str], most: int = 3) -> list[str]:
        return rng.sample(options, rng.randint(0, most))

    feedback = rng.choice(["none", "none", "generic", "generic", "specific"])
    return {
        "id": f"P{number:07d}",
        "name": maybe(rng.choice(NAMES), 0.3),
        "role": maybe(rng.choice(ROLES)),
        "company": maybe(rng.choice(COMPANIES)),
        "interviewer_name": maybe(rng.choice(NAMES), 0.5),
        "stage_reached": rng.choice(STAGES),
        "days_since_rejection": rng.choice([0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60]),
        "rejections_recent": maybe(rng.randint(0, 15)),
        "months_searching": maybe(rng.randint(0, 18)),
        "disappointment": feeling(0.2), "anger": feeling(-0.2), "anxiety": feeling(),
        "self_doubt": feeling(), "hopelessness": feeling(-0.15),
        "motivation": max(1, min(5, 6 - feeling())),
        "feedback_received": feedback,
        "feedback_themes": some(THEMES) if feedback != "none" else [],
        "skill_gaps": maybe(some(GAPS)),
        "interview_confidence": maybe(rng.randint(1, 5)),
        "resume_updated_months": maybe(rng.randint(0, 24)),
        "career_doubt": maybe(feeling(-0.1)), "role_fit_doubt": maybe(rng.randint(1, 5)),
        "open_to": maybe(some(OPEN_TO, 2) or ["none"]),
        "support_people": maybe(rng.random() > mood * 0.6),
        "self_care": maybe(max(1, min(5, 6 - feeling()))),
        "in_support_group": maybe(rng.random() < 0.2),
        "network_contacts_month": maybe(rng.randint(0, 12)),
        "applications_per_week": maybe(rng.randint(0, 15)),
        "tracks_applications": maybe(rng.random() < 0.6),
        "has_goals": maybe(rng.random() < 0.5),
        "uses_recruiter": maybe(rng.random() < 0.3),
        "sent_thank_you": maybe(rng.random() < 0.4),
        "practised_interviews": maybe(rng.random() < 0.5),
        "financial_urgency": maybe(rng.randint(1, 5)),
    }


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
    if isinstance(value, list):
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
