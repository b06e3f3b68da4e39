"""Varied, valid situations for benchmarks: seeded, so every run measures the same work."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from bounceback.questionnaire import Questionnaire

NAMES = ("Priya Raman", "Sam Lee", "Jordan Okafor", "Mei Chen", "")
ROLES = ("Data Analyst", "Staff Nurse", "Junior Developer", "Account Manager", "Teacher")
COMPANIES = ("Northwind Traders", "Contoso", "Fabrikam", "City Hospital", "")
TEXTS = {"name": NAMES, "interviewer_name": NAMES, "role": ROLES, "company": COMPANIES}


def random_answers(questionnaire: Questionnaire, rng: random.Random, *,
                   unanswered: float = 0.2) -> dict[str, Any]:
    """Answers to every question, each optional one left out with probability ``unanswered``."""
    answers: dict[str, Any] = {}
    for question in questionnaire:
        if not question.required and rng.random() < unanswered:
            continue
        if question.kind == "scale":
            answers[question.id] = rng.randint(int(question.min or 1), int(question.max or 5))
        elif question.kind == "number":
            answers[question.id] = min(int(rng.expovariate(1 / 8)), 120)
        elif question.kind == "choice":
            answers[question.id] = rng.choice(question.options)
        elif question.kind == "multi":
            answers[question.id] = rng.sample(question.options, rng.randint(0, 3))
        elif question.kind == "bool":
            answers[question.id] = rng.random() < 0.5
        else:
            answers[question.id] = rng.choice(TEXTS.get(question.id, ROLES))
    return answers


def situations(questionnaire: Questionnaire, count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``count`` random answer sets, the same ones for the same ``seed``."""
    rng = random.Random(seed)
    for _ in range(count):
        yield random_answers(questionnaire, rng)
