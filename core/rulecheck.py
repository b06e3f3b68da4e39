"""The checks that need every pack at once, run by :meth:`~bounceback.ruleset.RuleSet.build`:
duplicate ids, unknown names and type errors in expressions, declarations naming questions and
signals, and rules that can never fire; the texts are checked by :mod:`bounceback.textcheck`,
the references between rules by :mod:`bounceback.rulerefs`. Every problem is reported at once,
with file, line and id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from . import conditions as cond
from .errors import Problem, ProblemLog, did_you_mean
from .model import Conditional, Pack, Question, Rule, Template
from .questionnaire import CompiledCheck, Questionnaire
from .rulerefs import check_references
from .ruleset import CompiledCapacity, CompiledMix, CompiledRule, RuleSet, Signal, SignalFunction
from .tables import Table
from .textcheck import TextChecker


class RuleSetChecker:
    """Checks packs together and, when they have no problems, compiles them into a :class:`RuleSet`."""

    def __init__(self, packs: Sequence[Pack], plugin_signals: Mapping[str, tuple[str, SignalFunction]]):
        self.packs = packs
        self.plugin_signals = plugin_signals
        self.log = ProblemLog()
        self.problems: list[Problem] = self.log.problems

    def run(self) -> RuleSet | None:
        packs = self._unique_packs()
        questions = self._questions(packs)
        types: dict[str, cond.VType] = Questionnaire(questions).types()
        questionnaire = Questionnaire(questions, self._checks(packs, types))
        signals = self._signals(packs, types)
        self._declarations(packs, questions, signals)
        tables = self._tables(packs, questionnaire, types)
        texts = TextChecker(
            self.log, questionnaire, types, {name for table in tables for name in table.names}
        )
        templates = texts.templates(packs)
        rules = self._rules(packs, types, questionnaire, templates, texts)
        check_references(self.log, packs, rules, templates)
        capacity = self._capacity(packs, types)
        mix = self._mix(packs, types)
        if self.problems:
            return None
        return RuleSet(packs, questionnaire, signals, rules, templates, capacity, tables, mix)

    def _declarations(
        self, packs: Sequence[Pack], questions: Sequence[Question], signals: Sequence[Signal]
    ) -> None:
        """A pack's distress signal is a signal, its application and person fields name questions."""
        question_ids = {q.id for q in questions}
        signal_names = [s.name for s in signals]
        for pack in packs:
            if pack.distress_signal and pack.distress_signal not in signal_names:
                self.log.add(
                    pack,
                    f"distress_signal {pack.distress_signal!r} is not a signal"
                    f"{did_you_mean(pack.distress_signal, signal_names)}",
                    None,
                    "pack",
                    "unknown-name",
                )
            for field in ("application", "person"):
                for qid in getattr(pack, field):
                    if qid not in question_ids:
                        self.log.add(
                            pack,
                            f"{field}: {qid!r} is not a question{did_you_mean(qid, question_ids)}",
                            None,
                            "pack",
                            "unknown-name",
                        )

    def _condition(
        self,
        pack: Pack,
        what: str,
        entry: Conditional,
        key: str,
        field: str,
        seen: set[str],
        types: Mapping[str, cond.VType],
    ) -> cond.Expression | None:
        """The compiled ``when`` of a check or capacity entry, once per id; ``None`` (reported)
        for a duplicate id or a condition that does not compile."""
        if not self._first(pack, what, entry.id, key, field, seen):
            return None
        return self._when(pack, entry.when, key, field, types)

    def _first(self, pack: Pack, what: str, entry_id: str, key: str, field: str, seen: set[str]) -> bool:
        """Whether ``entry_id`` is the first entry of its kind with that id (a later one is
        reported as a duplicate)."""
        if entry_id in seen:
            self.log.add(pack, f"duplicate {what} id", key, field, "duplicate")
            return False
        seen.add(entry_id)
        return True

    def _when(
        self, pack: Pack, source: str, key: str, field: str, types: Mapping[str, cond.VType]
    ) -> cond.Expression | None:
        """``source`` compiled as a condition, or ``None`` with its problems reported."""
        try:
            return cond.compile_expression(source, types, want=cond.BOOL)
        except cond.ConditionError as exc:
            for message in exc.messages:
                self.log.add(pack, f"when: {message}", key, field, "expression")
            return None

    def _unique_packs(self) -> list[Pack]:
        seen: dict[str, Pack] = {}
        for pack in self.packs:
            if pack.id in seen:
                self.log.add(
                    pack,
                    f"pack id {pack.id!r} is already used by {seen[pack.id].source}",
                    None,
                    "pack.id",
                    "duplicate",
                )
                continue
            seen[pack.id] = pack
        return list(seen.values())

    def _questions(self, packs: Sequence[Pack]) -> list[Question]:
        seen: dict[str, Question] = {}
        for pack in packs:
            for question in pack.questions:
                if question.id in seen:
                    self.log.add(
                        pack,
                        f"question id is already defined by pack {seen[question.id].pack!r}",
                        f"questions.{question.id}",
                        question.id,
                        "duplicate",
                    )
                    continue
                seen[question.id] = question
        return list(seen.values())

    def _checks(self, packs: Sequence[Pack], types: Mapping[str, cond.VType]) -> list[CompiledCheck]:
        """Each pack's consistency checks, compiled against the questions (not signals: a
        check is about what was answered)."""
        checks: list[CompiledCheck] = []
        seen: set[str] = set()
        order = {name: i for i, name in enumerate(types)}
        for pack in packs:
            for check in pack.checks:
                key = f"checks.{check.id}"
                when = self._condition(pack, "check", check, key, check.id, seen, types)
                if when is None:
                    continue
                if not when.names:
                    self.log.add(
                        pack,
                        f"check {check.when!r} reads no question, so it is always or never true",
                        key,
                        check.id,
                        "invalid",
                    )
                    continue
                checks.append(CompiledCheck(check, when, tuple(sorted(when.names, key=order.__getitem__))))
        return checks

    def _signals(self, packs: Sequence[Pack], types: dict[str, cond.VType]) -> list[Signal]:
        signals: list[Signal] = []
        for name, (plugin, function) in self.plugin_signals.items():
            if name in types:
                self.log.problems.append(
                    Problem(
                        f"plugin signal {name!r} clashes with a question or signal",
                        f"plugin {plugin}",
                        field=name,
                        code="duplicate",
                    )
                )
                continue
            types[name] = cond.VType(cond.NUMBER, nullable=True)
            signals.append(Signal(name, plugin, function=function))
        for pack in packs:
            for name, source in pack.signals.items():
                key = f"signals.{name}"
                if name in types:
                    self.log.add(
                        pack, "signal name clashes with a question or another signal", key, key, "duplicate"
                    )
                    continue
                try:
                    expression = cond.compile_expression(source, types, want=cond.NUMBER)
                except cond.ConditionError as exc:
                    for message in exc.messages:
                        self.log.add(pack, message, key, key, "expression")
                    continue
                types[name] = attrs.evolve(expression.type, kind=cond.NUMBER)
                signals.append(Signal(name, pack.id, expression=expression))
        return signals

    def _tables(
        self, packs: Sequence[Pack], questions: Questionnaire, types: Mapping[str, cond.VType]
    ) -> list[Table]:
        """Tables keyed by a choice question, with an entry per option at most, whose
        placeholder names clash with no question, signal or other table."""
        tables: list[Table] = []
        names: dict[str, str] = {}
        for pack in packs:
            for table in pack.tables:
                key = f"tables.{table.name}"
                question = questions.by_id.get(table.key)
                if question is None or question.kind != "choice":
                    what = "unknown question" if question is None else f"{question.kind} question"
                    self.log.add(
                        pack,
                        f"'key' must name a choice question, not {what} {table.key!r}"
                        f"{did_you_mean(table.key, questions.by_id)}",
                        key,
                        key,
                        "unknown-name",
                    )
                    continue
                strays = [e for e in table.entries if e != table.default and e not in question.options]
                if strays:
                    self.log.add(
                        pack,
                        f"entries {', '.join(map(repr, strays))} are not options of "
                        f"{table.key!r} ({', '.join(question.options)})",
                        key,
                        key,
                        "invalid",
                    )
                    continue
                clashes = [n for n in table.names if n in types or n in names]
                if clashes:
                    self.log.add(
                        pack,
                        f"placeholder names {', '.join(clashes)} clash with a question, "
                        "signal or another table",
                        key,
                        key,
                        "duplicate",
                    )
                    continue
                names.update(dict.fromkeys(table.names, table.name))
                tables.append(table)
        return tables

    def _rules(
        self,
        packs: Sequence[Pack],
        types: Mapping[str, cond.VType],
        questions: Questionnaire,
        templates: Mapping[str, Template],
        texts: TextChecker,
    ) -> list[CompiledRule]:
        rules: list[CompiledRule] = []
        seen: set[str] = set()
        for pack in packs:
            for rule in pack.rules:
                if rule.id in seen:
                    self.log.add(pack, "duplicate rule id", rule.id, rule.id, "duplicate")
                    continue
                seen.add(rule.id)
                when = self._expression(pack, rule, "when", types, cond.BOOL)
                strength = self._expression(pack, rule, "strength", types, cond.NUMBER)
                if rule.template is not None and rule.template not in templates:
                    self.log.add(
                        pack,
                        f"unknown template {rule.template!r}{did_you_mean(rule.template, templates)}",
                        f"{rule.id}.template",
                        rule.id,
                        "unknown-name",
                    )
                compiled = CompiledRule(rule, when, strength)
                found = texts.rule_texts(pack, compiled)
                self._never_fires(pack, rule, when, strength)
                self._answers(pack, rule, questions)
                rules.append(attrs.evolve(compiled, text_conditions=found))
        return rules

    def _capacity(self, packs: Sequence[Pack], types: Mapping[str, cond.VType]) -> list[CompiledCapacity]:
        out: list[CompiledCapacity] = []
        seen: set[str] = set()
        for pack in packs:
            for capacity in pack.capacity:
                key = f"capacity.{capacity.id}"
                when = self._condition(pack, "capacity", capacity, key, key, seen, types)
                if when is not None:
                    out.append(CompiledCapacity(capacity, when))
        return out

    def _mix(self, packs: Sequence[Pack], types: Mapping[str, cond.VType]) -> list[CompiledMix]:
        out: list[CompiledMix] = []
        seen: set[str] = set()
        for pack in packs:
            for mix in pack.mix:
                key = f"mix.{mix.id}"
                if not self._first(pack, "mix", mix.id, key, key, seen):
                    continue
                when = None if mix.when is None else self._when(pack, mix.when, key, key, types)
                if mix.when is None or when is not None:  # an entry without a condition always applies
                    out.append(CompiledMix(mix, when))
        return out

    def _answers(self, pack: Pack, rule: Rule, questions: Questionnaire) -> None:
        for entry in rule.answers:
            qid, _, option = entry.partition(".")
            question = questions.by_id.get(qid)
            if question is None:
                self.log.add(
                    pack,
                    f"'answers' names unknown question {qid!r}{did_you_mean(qid, questions.by_id)}",
                    rule.id,
                    rule.id,
                    "unknown-name",
                )
            elif question.kind not in ("choice", "multi") or option not in question.options:
                self.log.add(
                    pack,
                    f"'answers' entry {entry!r}: {qid} has no option {option!r}"
                    f" ({question.describe_allowed()})",
                    rule.id,
                    rule.id,
                    "unknown-name",
                )

    def _expression(
        self, pack: Pack, rule: Rule, key: str, types: Mapping[str, cond.VType], want: str
    ) -> cond.Expression | None:
        source = getattr(rule, key)
        if source is None:
            return None
        try:
            return cond.compile_expression(source, types, want=want)
        except cond.ConditionError as exc:
            for message in exc.messages:
                self.log.add(pack, f"{key}: {message}", f"{rule.id}.{key}", rule.id, "expression")
            return None

    def _never_fires(
        self, pack: Pack, rule: Rule, when: cond.Expression | None, strength: cond.Expression | None
    ) -> None:
        reason = None
        if rule.weight == 0:
            reason = "its weight is 0"
        elif when is not None and not when.names and not cond.evaluate(when.node, {}):
            reason = f"its condition {rule.when!r} is always false"
        elif (
            strength is not None
            and not strength.names
            and cond.strength_value(cond.evaluate(strength.node, {})) == 0
        ):
            reason = f"its strength {rule.strength!r} is always 0"
        if reason:
            self.log.add(pack, f"rule can never be recommended: {reason}", rule.id, rule.id, "never-fires")
