"""All loaded packs checked together and compiled into one fast program (:class:`RuleSet`).

The checks that need every pack at once are in :mod:`bounceback.rulecheck`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from . import conditions as cond
from .errors import PackError
from .model import SPECIFIC_BONUS, Capacity, Mix, Pack, Rule, Template, Wording
from .questionnaire import Questionnaire
from .tables import Table, lookup
from .templates import parse_wording

SignalFunction = Callable[[Mapping[str, Any]], "float | None"]


@attrs.frozen
class CompiledRule:
    """A rule with its parsed conditions, those of its texts (and its draft's) included."""

    rule: Rule
    when: cond.Expression | None
    strength: cond.Expression | None
    #: Each condition in the rule's texts and its template's, by source.
    text_conditions: Mapping[str, cond.Expression] = attrs.field(factory=dict)

    def wordings(self, template: Template | None) -> list[tuple[str, Wording]]:
        """``(field, text)`` for every text the rule shows: why, actions, then its draft's."""
        rule = self.rule
        fields: list[tuple[str, Wording]] = [("why", rule.why)]
        fields += [(f"action {i}", a) for i, a in enumerate(rule.actions, start=1)]
        if template is not None:
            fields += [
                (f"draft {key}", getattr(template, key))
                for key in ("title", "subject", "body")
                if getattr(template, key) is not None
            ]
        return fields


@attrs.frozen
class CompiledCapacity:
    """A capacity entry with its parsed condition."""

    capacity: Capacity
    when: cond.Expression


@attrs.frozen
class CompiledMix:
    """An evidence-mix entry with its parsed condition (``None``: it always applies)."""

    mix: Mix
    when: cond.Expression | None


@attrs.frozen
class Signal:
    """A named value in [0, 1] derived from the answers, from a pack or a plugin."""

    name: str
    origin: str  # pack id or plugin name
    expression: cond.Expression | None = None
    function: SignalFunction | None = None


class RuleSet:
    """Packs merged, checked and compiled: what the engine plans with."""

    def __init__(
        self,
        packs: Sequence[Pack],
        questionnaire: Questionnaire,
        signals: Sequence[Signal],
        rules: Sequence[CompiledRule],
        templates: Mapping[str, Template],
        capacity: Sequence[CompiledCapacity] = (),
        tables: Sequence[Table] = (),
        mix: Sequence[CompiledMix] = (),
    ):
        self.packs = tuple(packs)
        self.questionnaire = questionnaire
        self.signals = tuple(signals)
        self.rules = tuple(rules)
        self.by_id = {r.rule.id: r for r in self.rules}
        self.templates = dict(templates)
        self.tables = tuple(tables)
        self.plugin_signals = tuple(s for s in self.signals if s.function is not None)
        #: The type of every name a rule can read: questions, then signals.
        self.types = self._types()
        #: ``f(values)``: ``(signals, scores)``, every signal's value by name (in the order of
        #: :attr:`signals`) and the tuple of every rule's score, in the order of :attr:`rules`.
        self.program = self._compile()
        self.capacity = tuple(capacity)
        #: ``f(values)``: for each capacity entry, 1.0 when its condition holds, else 0.0.
        self.capacity_program = _conditions([c.when for c in self.capacity], self.types)
        #: The evidence-mix entries in the order composition reads them: those for every plan
        #: first (a need of the person), then those of larger plans, each in pack order.
        self.mix = tuple(sorted(mix, key=lambda entry: entry.mix.min_steps))
        #: ``f(values)``: for each evidence-mix entry, 1.0 when it applies, else 0.0.
        self.mix_program = _conditions([m.when for m in self.mix], self.types)
        self._texts: list[Callable[[Mapping[str, Any]], tuple[Any, ...]] | None] = [None] * len(self.rules)
        #: What the packs declare (:class:`~bounceback.model.Pack`): the last pack declaring
        #: each wins, so a pack loaded later can replace the built-in one's.
        self.distress_signal: str = declared(self.packs, "distress_signal") or ""
        self.application: tuple[str, ...] = declared(self.packs, "application") or ()
        self.person: tuple[str, ...] = declared(self.packs, "person") or ()

    @classmethod
    def build(
        cls, packs: Sequence[Pack], plugin_signals: Mapping[str, tuple[str, SignalFunction]] | None = None
    ) -> RuleSet:
        """Check ``packs`` together and compile them; raise :class:`PackError` on problems.

        ``plugin_signals`` maps signal names to ``(plugin name, function)``.
        """
        from .rulecheck import RuleSetChecker  # it builds RuleSets: imported here, not at the top

        checker = RuleSetChecker(packs, plugin_signals or {})
        ruleset = checker.run()
        if checker.problems:
            raise PackError(checker.problems)
        assert ruleset is not None
        return ruleset

    def _compile(self) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
        """The program of :attr:`program`: the signals in dependency order, then the rules'
        scores."""
        builder = cond.ProgramBuilder(self.types)
        for signal in self.signals:
            if signal.expression is not None:
                builder.assign(signal.name, signal.expression.node, self.types[signal.name])
        builder.output_mapping([signal.name for signal in self.signals])
        for compiled in self.rules:
            builder.score(
                compiled.when.node if compiled.when else None,
                compiled.strength.node if compiled.strength else None,
                compiled.rule.weight * (1 + SPECIFIC_BONUS * compiled.rule.specificity),
            )
        return builder.build(group_from=1)

    def _types(self) -> dict[str, cond.VType]:
        types = self.questionnaire.types()
        for signal in self.signals:
            if signal.expression is None:  # a plugin's: any number, or unknown
                types[signal.name] = cond.VType(cond.NUMBER, nullable=True)
            else:
                types[signal.name] = attrs.evolve(signal.expression.type, kind=cond.NUMBER)
        return types

    def lookup(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The text values of every lookup table for these answers (``{}`` without tables)."""
        return lookup(self.tables, values) if self.tables else {}

    def texts(self, index: int, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """What rule number ``index`` says to the person: ``(reasons, why, actions, advice)``,
        then the draft's ``(title, body, subject)`` if the rule has one; ``advice`` holds, for
        each ``(position, advice id)`` of the rule's :attr:`~bounceback.model.Rule.advice`, the
        text of that action as filled (empty when its conditions leave it out).

        ``reasons`` is ``explain(when, values).reasons()`` and the texts are what
        :func:`~bounceback.filling.render` gives (an action whose conditions leave it empty is
        left out), all computed by one program compiled for the rule the first time it is asked
        for (loading stays fast). Only for ``values`` (every answer and signal) where the
        rule's ``when`` holds, as for every step of a plan; ``values`` include the lookup
        tables' (:meth:`lookup`).
        """
        return self.text_program(index)(values)

    def text_program(self, index: int) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
        """The compiled program behind :meth:`texts` for rule number ``index`` (compiled the
        first time it is asked for): ``program(values)`` is ``texts(index, values)``."""
        program = self._texts[index]
        if program is None:
            program = self._texts[index] = self._compile_texts(self.rules[index])
        return program

    def _compile_texts(self, compiled: CompiledRule) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
        builder = cond.ProgramBuilder(self.types)
        if compiled.when is None:
            builder.output_expr(cond.Const(()))
        else:
            builder.reasons(compiled.when.node, holds=True)
        nodes = {source: e.node for source, e in compiled.text_conditions.items()}
        builder.text(parse_wording(compiled.rule.why), nodes)
        advice = [position for position, _ in compiled.rule.advice]
        builder.texts([parse_wording(a) for a in compiled.rule.actions], nodes, also=advice)
        if compiled.rule.template is not None:
            template = self.templates[compiled.rule.template]
            builder.text(parse_wording(template.title), nodes)
            builder.text(parse_wording(template.body), nodes)
            if template.subject is None:
                builder.output_expr(cond.Const(None))
            else:
                builder.text(parse_wording(template.subject), nodes)
        return builder.build()

    def template_of(self, compiled: CompiledRule) -> Template | None:
        """The draft template of a rule, if it has one."""
        return None if compiled.rule.template is None else self.templates[compiled.rule.template]


def _conditions(
    conditions: Sequence[cond.Expression | None], types: Mapping[str, cond.VType]
) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """``f(values)``: for each condition, 1.0 when it holds (always, for ``None``), else 0.0."""
    builder = cond.ProgramBuilder(types)
    for when in conditions:
        builder.score(None if when is None else when.node, None, 1.0)
    return builder.build()


def declared(packs: Sequence[Pack], field: str) -> Any:
    """The value of the pack field ``field`` of the last of ``packs`` that declares it (is not
    empty), or ``None``."""
    return next((getattr(pack, field) for pack in reversed(packs) if getattr(pack, field)), None)
