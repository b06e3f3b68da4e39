"""Made-up, realistic answer profiles for any loaded questionnaire, reproducibly.

One generator serves ``packs validate --coverage`` (how a pack behaves over many people) and
the benchmarks (``bench/``). Every question of the questionnaire gets an answer of its kind
(or is left blank, when optional); a hidden *mood* per person (0 = coping well, 1 =
struggling; most cope) drives the scales that :data:`BASE_MODEL` says follow it, so feelings
hang together the way they do in real answers. A profile that breaks one of the packs'
consistency checks has the questions of that check drawn again (so the profiles are the model's
people given that their answers are consistent), and every profile is validated by the
questionnaire before it is returned. The same seed gives the same profiles.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from ..model import Question, Situation
from ..questionnaire import Questionnaire

#: How often an optional question is left blank, unless the model says otherwise.
BLANK = 0.2
#: Redraws of a broken check's questions before its optional ones are left blank instead.
REDRAWS = 50
#: Whole numbers for a number question the model knows nothing about: small counts, mostly.
DEFAULT_NUMBERS = (0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30)
#: Text answers for a text question the model knows nothing about.
DEFAULT_TEXTS = ("Alex", "Sam", "Priya", "Jonas")


@attrs.frozen
class Model:
    """How made-up people answer: per question id, what differs from a uniform draw.

    ``mood`` maps a scale question to how it follows the person's mood: ``(direction, bias)``,
    direction +1 (higher when struggling, e.g. anxiety) or -1 (lower, e.g. motivation), bias
    shifting the mood for that question. ``numbers`` lists the values a number question is
    drawn from, ``choices`` weighs a choice question's options, ``yes`` is the chance a yes/no
    question is answered yes (a float, or ``"mood"`` to follow the mood: yes when coping),
    ``blank`` the chance an optional question is left blank, ``texts`` the text answers drawn.
    """

    mood: Mapping[str, tuple[int, float]] = attrs.field(factory=dict)
    numbers: Mapping[str, Sequence[int]] = attrs.field(factory=dict)
    choices: Mapping[str, Mapping[str, float]] = attrs.field(factory=dict)
    yes: Mapping[str, float | str] = attrs.field(factory=dict)
    blank: Mapping[str, float] = attrs.field(factory=dict)
    texts: Mapping[str, Sequence[str]] = attrs.field(factory=dict)
    #: The most options drawn for a multi question.
    most_chosen: int = 3


_NAMES = (
    "Alex",
    "Sam",
    "Priya",
    "Jonas",
    "Maria",
    "Kwame",
    "Mei",
    "Olivia",
    "Tomás",
    "Aisha",
    "Noah",
    "Zoë",
    "Liam",
    "Fatima",
    "Chen",
    "Sofia",
    "Mateo",
    "Hannah",
    "Yusuf",
    "Ines",
)

#: The model of the people who answer the base questionnaire (DESIGN §6, §6a): questions the
#: packs add are drawn uniformly over their kind.
BASE_MODEL = Model(
    mood={
        "disappointment": (1, 0.2),
        "anger": (1, -0.2),
        "anxiety": (1, 0.0),
        "self_doubt": (1, 0.0),
        "hopelessness": (1, -0.15),
        "motivation": (-1, 0.0),
        "career_doubt": (1, -0.1),
        "self_care": (-1, 0.0),
    },
    numbers={
        "days_since_rejection": (0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60),
        "rejections_recent": tuple(range(16)),
        "months_searching": tuple(range(19)),
        "resume_updated_months": tuple(range(25)),
        "network_contacts_month": tuple(range(13)),
        "applications_per_week": tuple(range(16)),
    },
    choices={
        "stage_reached": {
            "application": 3,
            "phone_screen": 3,
            "interview": 5,
            "final_round": 2,
            "offer_stage": 1,
        },
        "feedback_received": {"none": 2, "generic": 2, "specific": 1},
        "decision": {"rejected": 8, "no_reply": 1.5, "offer_withdrawn": 0.5},
    },
    yes={
        "support_people": "mood",
        "in_support_group": 0.2,
        "tracks_applications": 0.6,
        "uses_recruiter": 0.3,
        "sent_thank_you": 0.4,
        "internal_role": 0.1,
        "currently_employed": 0.4,
        "sees_professional": 0.15,
        "feedback_asked": 0.3,
        "self_harm_thoughts": 0.09,
    },
    blank={"name": 0.3, "interviewer_name": 0.5, "self_harm_thoughts": 0.45},
    texts={
        "name": _NAMES,
        "interviewer_name": _NAMES,
        "role": (
            "Data Analyst",
            "Junior Developer",
            "Project Manager",
            "Nurse",
            "Sales Associate",
            "UX Designer",
            "Accountant",
            "Teacher",
        ),
        "company": ("Northwind Traders", "Contoso", "Fabrikam, Inc.", "Globex", "Initech"),
    },
)


class ProfileMaker:
    """Draws answer profiles for one questionnaire with one :class:`Model`."""

    def __init__(self, questionnaire: Questionnaire, model: Model = BASE_MODEL):
        self.questionnaire = questionnaire
        self.model = model

    def answers(self, rng: random.Random) -> dict[str, Any]:
        """One person's answers: typed values, blank optional questions left out."""
        mood = rng.betavariate(2, 3.5)
        answers = {q.id: self._value(q, rng, mood) for q in self.questionnaire}
        for _ in range(REDRAWS):
            broken = self.questionnaire.broken(answers)
            if not broken:
                break
            for check in broken:
                for question_id in check.questions:
                    answers[question_id] = self._value(self.questionnaire.by_id[question_id], rng, mood)
        else:
            for check in self.questionnaire.broken(answers):
                for question_id in check.questions:
                    if not self.questionnaire.by_id[question_id].required:
                        answers[question_id] = None
        return {k: v for k, v in answers.items() if v is not None and v != ()}

    def situations(self, count: int, seed: int) -> Iterator[Situation]:
        """``count`` validated profiles, the same ones for the same ``seed``."""
        rng = random.Random(seed)
        for _ in range(count):
            yield self.questionnaire.validate(self.answers(rng))

    def _value(self, question: Question, rng: random.Random, mood: float) -> Any:
        model = self.model
        if not question.required and rng.random() < model.blank.get(question.id, BLANK):
            return None
        kind = question.kind
        if kind == "scale":
            low, high = int(question.min or 1), int(question.max or 5)
            if question.id not in model.mood:
                return rng.randint(low, high)
            direction, bias = model.mood[question.id]
            felt = mood + bias if direction > 0 else 1 - mood - bias
            return max(low, min(high, round(low + (high - low) * felt + rng.gauss(0, 0.8))))
        if kind == "number":
            values = [
                v
                for v in model.numbers.get(question.id, DEFAULT_NUMBERS)
                if (question.min is None or v >= question.min) and (question.max is None or v <= question.max)
            ]
            return rng.choice(values) if values else int(question.min or 0)
        if kind == "bool":
            yes = model.yes.get(question.id, 0.5)
            return rng.random() > mood * 0.6 if yes == "mood" else rng.random() < float(yes)
        if kind == "choice":
            weights = model.choices.get(question.id, {})
            return rng.choices(question.options, [weights.get(o, 1.0) for o in question.options])[0]
        if kind == "multi":
            count = rng.randint(0, min(model.most_chosen, len(question.options)))
            return tuple(rng.sample(question.options, count))
        return rng.choice(model.texts.get(question.id, DEFAULT_TEXTS))
