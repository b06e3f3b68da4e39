"""The checks on the sentences in packs, run by :class:`~bounceback.rulecheck.RuleSetChecker`:
in templates and in rules' ``why`` and actions, every placeholder names a question (a number or
scale one for number-aware wording) or a lookup table's field, every condition compiles, and an
optional question has a fallback wherever it may be unanswered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from . import conditions as cond
from .errors import ProblemLog, did_you_mean
from .model import Pack, Template
from .questionnaire import Questionnaire
from .ruleset import CompiledRule
from .templates import Plural, Seq, Slot, conditions, parse_wording, unguarded, walk


class TextChecker:
    """Checks the texts of templates and rules against the questions, signals and tables."""

    def __init__(
        self,
        log: ProblemLog,
        questions: Questionnaire,
        types: Mapping[str, cond.VType],
        table_names: Collection[str],
    ):
        self.log = log
        self.questions = questions
        self.types = types
        self.table_names = table_names  # placeholders the lookup tables fill
        #: The compiled conditions of each template's texts, by source.
        self.template_conditions: dict[str, dict[str, cond.Expression]] = {}

    def templates(self, packs: Sequence[Pack]) -> dict[str, Template]:
        """Every pack's templates by name, each name once, their texts checked."""
        templates: dict[str, Template] = {}
        for pack in packs:
            for template in pack.templates:
                key = f"templates.{template.name}"
                if template.name in templates:
                    self.log.add(
                        pack,
                        f"template name is already used by pack {templates[template.name].pack!r}",
                        key,
                        key,
                        "duplicate",
                    )
                    continue
                found: dict[str, cond.Expression] = {}
                for field in ("title", "subject", "body"):
                    wording = getattr(template, field)
                    if wording is not None:
                        self._text(pack, parse_wording(wording), field, key, key, found)
                self.template_conditions[template.name] = found
                templates[template.name] = template
        return templates

    def rule_texts(self, pack: Pack, compiled: CompiledRule) -> dict[str, cond.Expression]:
        """Check the rule's why and actions (see :meth:`_text`); in these sentences an optional
        question needs a fallback unless the rule's condition, an enclosing condition or an
        optional segment means it is answered, or ``[id]`` would show.

        Returns the compiled conditions of its texts and its draft's, by source."""
        rule = compiled.rule
        questions = self.questions
        found = dict(self.template_conditions.get(rule.template or "", {}))
        known = cond.implies_answered(compiled.when.node) if compiled.when is not None else frozenset()
        known |= frozenset(q.id for q in questions if q.required)

        def implied(source: str | None) -> frozenset[str]:
            return cond.implies_answered(found[source].node) if source in found else frozenset()

        for field, wording in compiled.wordings(None):
            key = f"{rule.id}.{'why' if field == 'why' else 'actions'}"
            seq = self._text(pack, parse_wording(wording), field, key, rule.id, found)
            for node in dict.fromkeys(unguarded(seq, implied, known)):
                if node.name in questions.by_id:
                    self.log.add(
                        pack,
                        f"{field}: ${{{node.name}}} is optional and may be unanswered: "
                        f"give a fallback, e.g. ${{{node.name}|...}}, or put it in an "
                        f"optional segment $[...]",
                        key,
                        rule.id,
                        "no-fallback",
                    )
        return found

    def _text(
        self, pack: Pack, seq: Seq, where: str, key: str, field: str, found: dict[str, cond.Expression]
    ) -> Seq:
        """Check one text: placeholders name questions (number or scale ones for number-aware
        wording) and its conditions are valid; compiled conditions are added to ``found``."""
        for source in conditions(seq):
            if source in found:
                continue
            try:
                found[source] = cond.compile_expression(source, self.types, want=cond.BOOL)
            except cond.ConditionError as exc:
                for message in exc.messages:
                    self.log.add(pack, f"{where}: condition {source!r}: {message}", key, field, "expression")
        questions = self.questions
        for node in walk(seq):
            if not isinstance(node, (Slot, Plural)):
                continue
            question = questions.by_id.get(node.name)
            if question is None and isinstance(node, Slot) and node.name in self.table_names:
                continue  # a lookup table's field: always filled
            if question is None:
                self.log.add(
                    pack,
                    f"{where}: unknown placeholder ${{{node.name}}}"
                    f"{did_you_mean(node.name, questions.by_id)}",
                    key,
                    field,
                    "unknown-name",
                )
            elif isinstance(node, Plural) and question.kind not in ("number", "scale"):
                self.log.add(
                    pack,
                    f"{where}: ${{{node.name}:...}} is number-aware wording, but "
                    f"{node.name} is a {question.kind} question",
                    key,
                    field,
                    "type",
                )
        return seq
