"""Linting what rules say: texts that would be false for some of the people who read them.

Three checks, each a warning (code in brackets):

* ``number-wording``: a count (a ``number`` question) quoted before a word without
  number-aware wording, which reads "1 months" or "0 of your contacts"
  (``${months_searching} months`` instead of ``${months_searching:# month/# months}``);
* ``untrue-wording``: a time, stage, intensity or situation word (:data:`CLAIMS`) in a text
  shown to someone for whom it is false ("the news is recent" on day 20, "our conversations"
  after an application, "gutted" at disappointment 2), with example answers;
* ``draft-contradiction``: a draft that says what its own step's actions tell the person to
  leave out ("Leave out disappointment" beside "I'm disappointed not to be joining you").

The texts are rendered, compiled as plans render them, for the linter's sampled answers where
the rule applies (see :mod:`bounceback.authoring.lint`), so a text that varies with the answers is judged
by what it says to each person.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .. import conditions as cond
from ..errors import Problem
from ..model import Rule, Situation
from ..results import SkippedPlugin
from ..ruleset import RuleSet
from ..templates import Seq, Slot, parse_wording, positions


@attrs.frozen
class Claim:
    """Words that are false for the people a condition describes."""

    words: re.Pattern[str]
    false_when: str  # a condition over the answers
    what: str  # what the words claim, for the message


def _claim(pattern: str, false_when: str, what: str) -> Claim:
    return Claim(re.compile(pattern, re.IGNORECASE), false_when, what)


#: Words and the answers for which they are false (DESIGN §6b "text is true for the person").
CLAIMS: tuple[Claim, ...] = (
    _claim(
        r"\b(news is (still )?recent|still fresh|still in your head|just heard)\b",
        "days_since_rejection > 7",
        "the decision is recent (the first week)",
    ),
    _claim(
        r"\b(our conversations?|spent with me|shortlisted|met (the|their) team|I interviewed)\b",
        "stage_reached == 'application'",
        "there was an interview or a call",
    ),
    _claim(
        r"\b(the panel|our conversations|learned a lot about the team)\b",
        "stage_reached in ['application', 'phone_screen']",
        "there was a full interview",
    ),
    _claim(
        r"\b(gutted|devastated|heartbroken|really wanted that one)\b",
        "disappointment <= 3",
        "a strong disappointment (4 or 5)",
    ),
    _claim(r"\b(furious|livid|fuming)\b", "anger <= 3", "strong anger (4 or 5)"),
    _claim(
        r"\b(former (colleagues?|managers?|employers?)|you know my work|the one you had)\b",
        "career_stage == 'student_or_graduate'",
        "a working life behind the person",
    ),
    _claim(
        r"\b(your current (job|employer|role)|(?<!look )at work)\b",
        "currently_employed == False",
        "the person has a job now",
    ),
    _claim(
        r"\b(new starter|a project with friends)\b",
        "career_stage == 'senior'",
        "someone early in their working life",
    ),
    _claim(
        r"\b(looks (this |so )?promising|falls? through|runners-up)\b",
        "decision == 'offer_withdrawn' or any_of(feedback_themes, ['hiring_freeze', 'role_cancelled'])",
        "the role still exists and went to another candidate",
    ),
    _claim(
        r"\b(before (the|more of the) details fade|while (it|the details) (is|are) fresh)\b",
        "days_since_rejection > 14",
        "the interview was in the last two weeks",
    ),
    _claim(
        r"\b(the rejection|this rejection|you interviewed before)\b",
        "decision == 'offer_withdrawn'",
        "the person was turned down, not offered the job",
    ),
    _claim(
        r"\b(not (to be )?joining you|join your team)\b",
        "internal_role == True",
        "the role was at another organisation",
    ),
    # Coach review 19.
    _claim(
        r"\b(you met (the|their) team)\b",
        "stage_reached in ['application', 'phone_screen', 'interview']",
        "the person met the team, beyond a single interview",
    ),
    _claim(
        r"\bcompares a handful of (people|candidates)\b",
        "stage_reached == 'application'",
        "the person was among a few candidates compared, not screened out on paper",
    ),
    _claim(
        r"\bafter a no\b",
        "decision == 'offer_withdrawn' or any_of(feedback_themes, ['hiring_freeze', 'role_cancelled'])",
        "the person was turned down, not the role frozen or cancelled or the offer taken back",
    ),
    _claim(
        r"\bthe step on the withdrawn offer\b",
        "internal_role == True",
        "the withdrawn-offer step is in the plan, which it never is for an internal candidate",
    ),
    _claim(
        r"\bI'm applying for\b",
        "applications_per_week == 0",
        "the person is sending applications now",
    ),
    _claim(
        r"\bthank(s| you)?\b[^.]{0,100}\b(for|and) (the|your|their) feedback\b",
        "not (feedback_received == 'specific') or decision == 'offer_withdrawn' or (len(feedback_themes) >= 1 "
        "and not any_of(feedback_themes, ['technical_skills', 'experience', 'communication', 'culture_fit', "
        "'salary', 'stronger_candidate', 'preparation', 'overqualified', 'other']))",
        "the person was given feedback to thank them for",
    ),
    _claim(
        r"\b(I'm aiming for (roles like|(\S+ ){1,4}roles)|headline to the role)\b",
        "career_doubt >= 4",
        "the person has settled on a target role",
    ),
    _claim(
        r"\bmove on: there is nothing in it to fix\b",
        "'salary' in feedback_themes",
        "nothing in the reason is for the person to decide (pay is: their figure)",
    ),  # Coach review 20.
    _claim(
        r"\bclassmates\b",
        "not (career_stage in ['student_or_graduate', 'early_career'])",
        "the person's studies are recent (a student, a graduate or early in their career)",
    ),
    _claim(
        r"\b(a report, a dashboard|a dashboard or a mock project|open-source contribution|"
        r"analysis, client work, running projects)\b",
        "True",
        "one field's kind of work, said to people in every field",
    ),
    _claim(
        r"\b(apply to|send) a handful of (roles|applications)\b",
        "applications_per_week <= 1",
        "the person sends several applications a week",
    ),
    _claim(
        r"\b(references and final impressions|decide between two good candidates)\b",
        "decision == 'offer_withdrawn' or any_of(feedback_themes, ['internal_candidate', 'hiring_freeze', 'role_cancelled'])",
        "the last stage's impressions decided it (not an internal candidate, a freeze or a cancelled role)",
    ),
    _claim(
        r"\bthe chosen candidate falls through\b",
        "career_stage == 'student_or_graduate'",
        "one candidate was chosen (a graduate programme hires a cohort)",
    ),
    _claim(
        r"\bthe (rejection|silence|withdrawn offer) and the search\b",
        "searching_outside == 0",
        "the person is searching for roles outside",
    ),
    _claim(r"\bsince this long search\b", "True", 'a long search as a moment ("during" it, not "since")'),
    _claim(
        r"\b(it's been a while|you know my work)\b",
        "network_contacts_month == 0 or not answered(career_stage) or career_stage == 'returning'",
        "the message goes to someone who knows the person's work, not a new contact",
    ),
    _claim(
        r"\ba story to prepare or a change to make\b",
        "'other' in feedback_themes",
        "every point is a story or a change (not a step to take, such as a diploma's recognition)",
    ),
    _claim(
        r"\b(tell|ask|talk to) someone you trust\b",
        "support_people == False",
        "the person has someone to talk to (blind A/B 21: to someone with nobody)",
    ),
)

#: An action telling the person to keep something out of what they write.
_LEAVE_OUT = re.compile(
    r"\b(?:leave out|don't mention|do not mention|never mention|avoid mentioning)\s+"
    r"([^.;:]+)",
    re.IGNORECASE,
)
#: At most this many sampled answers are rendered per rule.
RENDERS = 400


def lint_wording(
    ruleset: RuleSet,
    samples: Sequence[Mapping[str, Any]],
    *,
    packs: Collection[str] | None = None,
    seed: int = 0,
) -> list[Problem]:
    """Warnings about the texts of the rules of ``packs`` (all when ``None``), rendered for
    ``samples`` (answers to every question) and, per rule, for answers drawn from them."""
    return _WordLinter(ruleset, samples, seed).run(packs)


class _WordLinter:
    def __init__(self, ruleset: RuleSet, samples: Sequence[Mapping[str, Any]], seed: int):
        from ..engine import Engine  # the engine imports the rule set, as this module does

        self.ruleset = ruleset
        self.samples = samples
        self.seed = seed
        self.engine = Engine(ruleset)
        self.pack_of = {p.id: p for p in ruleset.packs}
        self.claims = []
        for claim in CLAIMS:
            try:
                self.claims.append(
                    (claim, cond.compile_expression(claim.false_when, ruleset.types, want=cond.BOOL))
                )
            except cond.ConditionError:  # a questionnaire without these questions
                continue

    def run(self, packs: Collection[str] | None) -> list[Problem]:
        problems: list[Problem] = []
        for index, compiled in enumerate(self.ruleset.rules):
            rule = compiled.rule
            if packs is not None and rule.pack not in packs:
                continue
            problems += self._numbers(rule, index)
            problems += self._rendered(rule, index)
        return problems

    def _problem(self, rule: Rule, message: str, code: str, key: str = "why") -> Problem:
        pack = self.pack_of[rule.pack]
        line = pack.line_of(f"{rule.id}.{key}") or pack.line_of(rule.id)
        return Problem(message, pack.source, line, rule.id, code)

    # -- counts quoted without number-aware wording ----------------------------------------

    def _numbers(self, rule: Rule, index: int) -> Iterator[Problem]:
        compiled = self.ruleset.rules[index]
        questions = self.ruleset.questionnaire.by_id
        seen: set[str] = set()
        for field, wording in compiled.wordings(self.ruleset.template_of(compiled)):
            for node, after in _followed(parse_wording(wording)):
                question = questions.get(node.name)
                if question is None or question.kind != "number" or node.name in seen:
                    continue
                if re.match(r"[ \t]*[A-Za-z]", after):
                    seen.add(node.name)
                    yield self._problem(
                        rule,
                        (
                            f'{field} quotes ${{{node.name}}} before a word, which reads "1 ...s" or '
                            f'"0 ..." for some answers: use number-aware wording, e.g. '
                            f"${{{node.name}:# thing/# things}} or ${{{node.name}:no things/one thing/# things}}"
                        ),
                        "number-wording",
                        "actions" if field.startswith("action") else "why",
                    )

    # -- rendered texts --------------------------------------------------------------------

    def _answers(self, index: int) -> Iterator[tuple[Mapping[str, Any], tuple[Any, ...]]]:
        """Sampled answers where rule ``index`` applies, with the signals (a claim may be false
        for a signal's value: ``searching_outside == 0``), and its rendered texts."""
        rng = random.Random(f"{self.seed}:{self.ruleset.rules[index].rule.id}:wording")
        skipped: list[SkippedPlugin] = []
        for i in range(min(RENDERS, len(self.samples))):
            answers = self.samples[i] if i % 2 == 0 else self.samples[rng.randrange(len(self.samples))]
            values = self.engine.values(Situation(answers), skipped)
            signals, scores = self.ruleset.program(values)
            if scores[index] > 0:
                known = {**values, **signals, **self.ruleset.lookup(values)}
                yield known, self.ruleset.texts(index, known)

    def _rendered(self, rule: Rule, index: int) -> list[Problem]:
        false_for: dict[tuple[str, int], list[Mapping[str, Any]]] = {}
        said: dict[tuple[str, int], str] = {}
        contradictions: dict[str, str] = {}
        for answers, texts in self._answers(index):
            fields = [("why", texts[1]), *(("an action", a) for a in texts[2])]
            if len(texts) > 4:  # (reasons, why, actions, advice, title, body, subject)
                fields += [
                    ("the draft's title", texts[4]),
                    ("the draft", texts[5] or ""),
                    ("the draft's subject", texts[6] or ""),
                ]
                draft = f"{texts[6] or ''}\n{texts[5]}".lower()
                for action in texts[2]:
                    for item in _left_out(action):
                        if item in draft:
                            contradictions.setdefault(item, action)
            for field, text in fields:
                for i, (claim, expression) in enumerate(self.claims):
                    match = claim.words.search(text)
                    if match and cond.evaluate(expression.node, answers) is True:
                        false_for.setdefault((field, i), []).append(answers)
                        said.setdefault((field, i), match.group(0))
        problems = []
        for (field, i), people in sorted(false_for.items()):
            claim, expression = self.claims[i]
            examples = "; ".join(sorted({_show(p, expression.names) for p in people})[:3])
            problems.append(
                self._problem(
                    rule,
                    (
                        f'{field} says "{said[field, i]}", which assumes {claim.what}, but it is shown to people for '
                        f"whom `{claim.false_when}` (e.g. {examples}): give it a variant or a "
                        f"$[if ...] segment for them"
                    ),
                    "untrue-wording",
                    "actions" if field == "an action" else "why",
                )
            )
        for item, action in sorted(contradictions.items()):
            problems.append(
                self._problem(
                    rule,
                    (f'the draft mentions "{item}", but the step\'s action says: "{action}"'),
                    "draft-contradiction",
                    "template",
                )
            )
        return problems


def _followed(seq: Seq) -> Iterator[tuple[Slot, str]]:
    """Each plain placeholder (no form: ``${n!months}`` says its own unit), in segments too, with
    the literal text right after it."""
    for part, i in positions(seq):
        node = part[i]
        if isinstance(node, Slot) and node.form is None:
            after = part[i + 1] if i + 1 < len(part) else ""
            yield node, after if isinstance(after, str) else ""


def _left_out(action: str) -> list[str]:
    """The word stems an action says to leave out of a message ("disappointment" ->
    "disappoint")."""
    stems = []
    for match in _LEAVE_OUT.finditer(action):
        for item in re.split(r",|\band\b|\bor\b", match.group(1)):
            words = item.split()
            if words:
                stems.append(re.sub(r"(ment|ed|ing|s)$", "", words[0].lower()))
    return [s for s in stems if len(s) >= 4]


def _show(answers: Mapping[str, Any], names: Collection[str]) -> str:
    return ", ".join(
        f"{n} = {'unanswered' if answers.get(n) is None else repr(answers[n])}" for n in sorted(names)
    )
