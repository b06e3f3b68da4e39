"""The checks that need every pack at once, run by :meth:`~bounceback.ruleset.RuleSet.build`:
duplicate ids, unknown names and type errors in expressions, references between rules
(``after``, ``excludes``, ``template``), cycles, and rules that can never fire. Every problem is
reported at once, with file, line and id.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import attrs

from . import conditions as cond
from .errors import Problem, did_you_mean
from .model import Conditional, Pack, Question, Rule, Template
from .questionnaire import CompiledCheck, Questionnaire
from .ruleset import CompiledCapacity, CompiledMix, CompiledRule, RuleSet, Signal, SignalFunction
from .tables import Table
from .templates import Plural, Seq, Slot, conditions, parse_wording, unguarded, walk


class RuleSetChecker:
    """Checks packs together and, when they have no problems, compiles them into a :class:`RuleSet`."""

    def __init__(self, packs: Sequence[Pack], plugin_signals: Mapping[str, tuple[str, SignalFunction]]):
        self.packs = packs
        self.plugin_signals = plugin_signals
        self.problems: list[Problem] = []
        self.table_names: set[str] = set()  # placeholders the lookup tables fill
        #: The compiled conditions of each template's texts, by source.
        self.template_conditions: dict[str, dict[str, cond.Expression]] = {}

    def problem(self, pack: Pack, message: str, key: str | None, field: str | None, code: str) -> None:
        line = pack.line_of(key) if key else None
        self.problems.append(Problem(message, pack.source, line, field, code))

    def run(self) -> RuleSet | None:
        packs = self._unique_packs()
        questions = self._questions(packs)
        types: dict[str, cond.VType] = Questionnaire(questions).types()
        questionnaire = Questionnaire(questions, self._checks(packs, types))
        signals = self._signals(packs, types)
        self._declarations(packs, questions, signals)
        tables = self._tables(packs, questionnaire, types)
        self.table_names = {name for table in tables for name in table.names}
        templates = self.templates = self._templates(packs, questionnaire, types)
        rules = self._rules(packs, types, questionnaire, templates)
        self._references(packs, rules)
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
                self.problem(
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
                        self.problem(
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
        if entry.id in seen:
            self.problem(pack, f"duplicate {what} id", key, field, "duplicate")
            return None
        seen.add(entry.id)
        try:
            return cond.compile_expression(entry.when, types, want=cond.BOOL)
        except cond.ConditionError as exc:
            for message in exc.messages:
                self.problem(pack, f"when: {message}", key, field, "expression")
            return None

    def _unique_packs(self) -> list[Pack]:
        seen: dict[str, Pack] = {}
        for pack in self.packs:
            if pack.id in seen:
                self.problem(
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
                    self.problem(
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
                    self.problem(
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
                self.problems.append(
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
                    self.problem(
                        pack, "signal name clashes with a question or another signal", key, key, "duplicate"
                    )
                    continue
                try:
                    expression = cond.compile_expression(source, types, want=cond.NUMBER)
                except cond.ConditionError as exc:
                    for message in exc.messages:
                        self.problem(pack, message, key, key, "expression")
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
                    self.problem(
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
                    self.problem(
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
                    self.problem(
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

    def _templates(
        self, packs: Sequence[Pack], questions: Questionnaire, types: Mapping[str, cond.VType]
    ) -> dict[str, Template]:
        templates: dict[str, Template] = {}
        for pack in packs:
            for template in pack.templates:
                key = f"templates.{template.name}"
                if template.name in templates:
                    self.problem(
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
                        self._text(pack, parse_wording(wording), field, key, key, types, questions, found)
                self.template_conditions[template.name] = found
                templates[template.name] = template
        return templates

    def _texts(
        self,
        pack: Pack,
        compiled: CompiledRule,
        types: Mapping[str, cond.VType],
        questions: Questionnaire,
        template_conditions: Mapping[str, cond.Expression],
    ) -> dict[str, cond.Expression]:
        """Check the rule's why and actions (see :meth:`_text`); in these sentences an optional
        question needs a fallback unless the rule's condition, an enclosing condition or an
        optional segment means it is answered, or ``[id]`` would show.

        Returns the compiled conditions of its texts and its draft's, by source."""
        rule = compiled.rule
        found = dict(template_conditions)
        known = cond.implies_answered(compiled.when.node) if compiled.when is not None else frozenset()
        known |= frozenset(q.id for q in questions if q.required)

        def implied(source: str | None) -> frozenset[str]:
            return cond.implies_answered(found[source].node) if source in found else frozenset()

        for field, wording in compiled.wordings(None):
            key = f"{rule.id}.{'why' if field == 'why' else 'actions'}"
            seq = self._text(pack, parse_wording(wording), field, key, rule.id, types, questions, found)
            for node in dict.fromkeys(unguarded(seq, implied, known)):
                if node.name in questions.by_id:
                    self.problem(
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
        self,
        pack: Pack,
        seq: Seq,
        where: str,
        key: str,
        field: str,
        types: Mapping[str, cond.VType],
        questions: Questionnaire,
        found: dict[str, cond.Expression],
    ) -> Seq:
        """Check one text: placeholders name questions (number or scale ones for number-aware
        wording) and its conditions are valid; compiled conditions are added to ``found``."""
        for source in conditions(seq):
            if source in found:
                continue
            try:
                found[source] = cond.compile_expression(source, types, want=cond.BOOL)
            except cond.ConditionError as exc:
                for message in exc.messages:
                    self.problem(pack, f"{where}: condition {source!r}: {message}", key, field, "expression")
        for node in walk(seq):
            if not isinstance(node, (Slot, Plural)):
                continue
            question = questions.by_id.get(node.name)
            if question is None and isinstance(node, Slot) and node.name in self.table_names:
                continue  # a lookup table's field: always filled
            if question is None:
                self.problem(
                    pack,
                    f"{where}: unknown placeholder ${{{node.name}}}"
                    f"{did_you_mean(node.name, questions.by_id)}",
                    key,
                    field,
                    "unknown-name",
                )
            elif isinstance(node, Plural) and question.kind not in ("number", "scale"):
                self.problem(
                    pack,
                    f"{where}: ${{{node.name}:...}} is number-aware wording, but "
                    f"{node.name} is a {question.kind} question",
                    key,
                    field,
                    "type",
                )
        return seq

    def _rules(
        self,
        packs: Sequence[Pack],
        types: Mapping[str, cond.VType],
        questions: Questionnaire,
        templates: Mapping[str, Template],
    ) -> list[CompiledRule]:
        rules: list[CompiledRule] = []
        seen: set[str] = set()
        for pack in packs:
            for rule in pack.rules:
                if rule.id in seen:
                    self.problem(pack, "duplicate rule id", rule.id, rule.id, "duplicate")
                    continue
                seen.add(rule.id)
                when = self._expression(pack, rule, "when", types, cond.BOOL)
                strength = self._expression(pack, rule, "strength", types, cond.NUMBER)
                if rule.template is not None and rule.template not in templates:
                    self.problem(
                        pack,
                        f"unknown template {rule.template!r}{did_you_mean(rule.template, templates)}",
                        f"{rule.id}.template",
                        rule.id,
                        "unknown-name",
                    )
                compiled = CompiledRule(rule, when, strength)
                found = self._texts(
                    pack, compiled, types, questions, self.template_conditions.get(rule.template or "", {})
                )
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
                if mix.id in seen:
                    self.problem(pack, "duplicate mix id", key, key, "duplicate")
                    continue
                seen.add(mix.id)
                try:
                    when = (
                        None if mix.when is None else cond.compile_expression(mix.when, types, want=cond.BOOL)
                    )
                except cond.ConditionError as exc:
                    for message in exc.messages:
                        self.problem(pack, f"when: {message}", key, key, "expression")
                    continue
                out.append(CompiledMix(mix, when))
        return out

    def _answers(self, pack: Pack, rule: Rule, questions: Questionnaire) -> None:
        for entry in rule.answers:
            qid, _, option = entry.partition(".")
            question = questions.by_id.get(qid)
            if question is None:
                self.problem(
                    pack,
                    f"'answers' names unknown question {qid!r}{did_you_mean(qid, questions.by_id)}",
                    rule.id,
                    rule.id,
                    "unknown-name",
                )
            elif question.kind not in ("choice", "multi") or option not in question.options:
                self.problem(
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
                self.problem(pack, f"{key}: {message}", f"{rule.id}.{key}", rule.id, "expression")
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
            self.problem(pack, f"rule can never be recommended: {reason}", rule.id, rule.id, "never-fires")

    def _messages(self, pack_of: Mapping[str, Pack], by_id: Mapping[str, Rule]) -> None:
        """Merges join rules written to one audience, and two messages to the same audience
        never share a plan: they are merged, or one excludes the other (DESIGN §6b)."""
        merged: set[frozenset[str]] = set()
        for rule in by_id.values():
            if not rule.merges:
                continue
            pack = pack_of[rule.pack]
            if len(rule.merges) < 2:
                self.problem(pack, "'merges' needs at least two rules", rule.id, rule.id, "reference")
            for ref in rule.merges:
                part = by_id.get(ref)
                if part is not None and part.audience != rule.audience:
                    self.problem(
                        pack,
                        f"'merges' joins {ref!r}, written to {part.audience or 'nobody'}, "
                        f"into a step written to {rule.audience or 'nobody'}: give them "
                        "the same 'audience'",
                        rule.id,
                        rule.id,
                        "audience",
                    )
            merged.update(frozenset((a, b)) for a in (rule.id, *rule.merges) for b in rule.merges if a != b)
        messages = sorted(
            (rid, audience)
            for rid, rule in by_id.items()
            if (audience := _writes_to(rule, self.templates)) is not None
        )
        for n, (first, audience) in enumerate(messages):
            for second, other in messages[n + 1 :]:
                if (
                    audience != other
                    or frozenset((first, second)) in merged
                    or second in by_id[first].excludes
                    or first in by_id[second].excludes
                ):
                    continue
                rule = by_id[second]
                self.problem(
                    pack_of[rule.pack],
                    f"{first} and {second} are both messages to the "
                    f"{audience}: merge them into one step ('merges') or "
                    "let one exclude the other",
                    rule.id,
                    rule.id,
                    "same-recipient",
                )

    def _references(self, packs: Sequence[Pack], rules: Sequence[CompiledRule]) -> None:
        by_id = {r.rule.id: r.rule for r in rules}
        pack_of = {p.id: p for p in packs}
        for compiled in rules:
            rule = compiled.rule
            pack = pack_of[rule.pack]
            for key in ("after", "excludes", "merges"):
                at = f"{rule.id}.{key}" if pack.line_of(f"{rule.id}.{key}") else rule.id
                for ref in getattr(rule, key):
                    if ref == rule.id:
                        self.problem(pack, f"{key!r} refers to the rule itself", at, rule.id, "reference")
                    elif ref not in by_id:
                        self.problem(
                            pack,
                            f"{key!r} refers to unknown rule {ref!r}{_rule_hint(ref, by_id)}",
                            at,
                            rule.id,
                            "reference",
                        )
        self._messages(pack_of, by_id)
        for cycle in _cycles({rid: [a for a in r.after if a in by_id] for rid, r in by_id.items()}):
            first = by_id[cycle[0]]
            self.problem(
                pack_of[first.pack],
                "'after' forms a cycle: " + " -> ".join([*cycle, cycle[0]]),
                first.id,
                first.id,
                "cycle",
            )


def _writes_to(rule: Rule, templates: Mapping[str, Template]) -> str | None:
    """The audience a rule's draft is a message to (a template with a subject), if any."""
    if rule.audience is None or rule.template is None:
        return None
    template = templates.get(rule.template)
    return rule.audience if template is not None and template.subject is not None else None


def _cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Each cycle of ``graph`` once (as found by a depth-first search), deterministically."""
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def _rule_hint(ref: str, ids: Collection[str]) -> str:
    """A "did you mean" for a rule reference: a rule of the same pack with a close name (the
    shared ``pack.`` prefix alone makes any two ids look alike), else a close id elsewhere."""
    pack = ref.partition(".")[0]
    mine = [rid for rid in ids if rid.startswith(f"{pack}.")]
    return did_you_mean(ref, mine, key=lambda rid: rid.partition(".")[2]) or did_you_mean(
        ref, [rid for rid in ids if rid not in mine]
    )
