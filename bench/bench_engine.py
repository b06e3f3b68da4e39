"""How fast bounceback plans, against its targets (docs/performance.md).

Run by hand from the repository root, in an environment with the ``bench`` extra::

    pip install -e '.[bench]'
    python bench/bench_engine.py            # about 15 seconds
    python bench/bench_engine.py --quick    # a rough look in a few seconds

It measures, on one core and without I/O:

* plans/s: ``Bounceback.plan`` (score, rank, phase, explain, fill drafts) for the built-in rule
  set on varied, seeded situations (the profiles ``bounceback.authoring.profiles`` makes up, as for the
  batch benchmark and ``packs validate --coverage``), validated beforehand;
* rule set evaluations/s: every signal, ``when`` and ``strength`` of the rule set for one
  situation, as the compiled program evaluates them, and as the generic safe evaluator ``simpleeval`` does
  (the yardstick, set up with the language's rules for unanswered values and checked to give
  the same scores);
* start-up: the wall-clock time of ``bounceback --help`` and of ``bounceback plan`` on the
  bundled example, in fresh processes.

and prints a table with the targets; the exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import ast
import gc
import operator
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bounceback import conditions as cond
from bounceback.api import Bounceback, load
from bounceback.authoring.profiles import ProfileMaker
from bounceback.conditions.runtime import divide
from bounceback.model import SPECIFIC_BONUS, Situation

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "jordan.toml"

PLANS_TARGET = 20_000
RATIO_TARGET = 10.0
#: DESIGN §10: whole plans at least this many times the conditions alone evaluated by simpleeval
#: (the floor composition and wording work must keep; the aim is 10×).
PLAN_RATIO_TARGET = 6.0
HELP_TARGET = 0.3
PLAN_TARGET = 0.5


def pin_to_one_core() -> str:
    """Run on one CPU where the OS allows it, so 'per core' means what it says."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def rates(
    measures: Mapping[str, tuple[Callable[[Any], Any], Sequence[Any]]], seconds: float, rounds: int = 9
) -> dict[str, list[float]]:
    """Calls per second of each ``function`` over its ``items`` (cycled), in each of ``rounds``
    rounds of ``seconds / rounds`` per measure.

    The rounds are interleaved (a short slice of each measure, then the next round), so the
    measures of one round ran under the same load of a busy machine: a ratio of two measures is
    taken round by round (:func:`ratio`), and a load that comes and goes weighs on both sides of
    it alike. Time is the process's CPU time, so other programs do not count against it. The
    garbage collector stays on: a cohort run has it on too.
    """
    measured: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, (function, items) in measures.items():
            done, start = 0, time.process_time()
            while True:
                for item in items:
                    function(item)
                done += len(items)
                elapsed = time.process_time() - start
                if elapsed >= seconds / rounds:
                    break
            measured[name].append(done / elapsed)
    return measured


def ratio(faster: Sequence[float], slower: Sequence[float]) -> float:
    """The median, over the rounds of :func:`rates`, of one measure's rate over another's."""
    return statistics.median(a / b for a, b in zip(faster, slower))


# -- the yardstick ----------------------------------------------------------------------------


def _none_safe(op: Callable[[Any, Any], Any], *, compare: bool) -> Callable[[Any, Any], Any]:
    """The language's rule for unanswered values: comparisons false, arithmetic unknown."""
    if compare:
        return lambda a, b: a is not None and b is not None and op(a, b)
    return lambda a, b: None if a is None or b is None else op(a, b)


def _unknown_or(op: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda a: None if a is None else op(a)


class Yardstick:
    """The rule set's expressions evaluated by ``simpleeval`` (parsed once, evaluated per
    situation), with the same functions and the same meaning of unanswered values."""

    def __init__(self, app: Bounceback):
        import simpleeval

        ruleset = app.ruleset
        functions = {name: function.value for name, function in cond.FUNCTIONS.items()}
        self.evaluator = simpleeval.EvalWithCompoundTypes(functions=functions)
        compare = {
            ast.Eq: operator.eq,
            ast.NotEq: operator.ne,
            ast.Lt: operator.lt,
            ast.LtE: operator.le,
            ast.Gt: operator.gt,
            ast.GtE: operator.ge,
            ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b,
        }
        arithmetic = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
        self.evaluator.operators = {
            **{k: _none_safe(v, compare=True) for k, v in compare.items()},
            **{k: _none_safe(v, compare=False) for k, v in arithmetic.items()},
            ast.Div: divide,
            ast.Not: _unknown_or(operator.not_),
            ast.USub: _unknown_or(operator.neg),
        }
        self.evaluator.nodes[ast.IfExp] = self._if
        parse = self.evaluator.parse
        self.signals = [
            (s.name, s.expression.source, parse(s.expression.source))
            for s in ruleset.signals
            if s.expression is not None
        ]
        self.rules = [
            (
                r.rule.weight * (1 + SPECIFIC_BONUS * r.rule.specificity),
                (r.rule.when, parse(r.rule.when)) if r.rule.when else None,
                (r.rule.strength, parse(r.rule.strength)) if r.rule.strength else None,
            )
            for r in ruleset.rules
        ]
        self.expressions = len(self.signals) + sum(
            (w is not None) + (s is not None) for _, w, s in self.rules
        )

    def _if(self, node: ast.IfExp) -> Any:
        test = self.evaluator._eval(node.test)
        if test is None:
            return None
        return self.evaluator._eval(node.body if test else node.orelse)

    def _eval(self, source: str, parsed: ast.AST) -> Any:
        return self.evaluator.eval(source, previously_parsed=parsed)

    def run(self, answers: Mapping[str, Any]) -> tuple[dict[str, Any], list[float]]:
        """Every pack signal and every rule's score for one situation."""
        names = dict(answers, true=True, false=False)
        self.evaluator.names = names
        signals = {}
        for name, source, parsed in self.signals:
            names[name] = signals[name] = cond.clamp(self._eval(source, parsed))
        scores = []
        for weight, when, strength in self.rules:
            if when is not None and not self._eval(*when):
                scores.append(0.0)
                continue
            scores.append(
                min(1.0, weight * (cond.strength_value(self._eval(*strength)) if strength else 1.0))
            )
        return signals, scores


def situations(app: Bounceback, count: int, seed: int = 7) -> Iterator[Situation]:
    """``count`` validated situations, the same ones for the same ``seed``: the profiles
    ``packs validate --coverage`` plans (``bounceback.authoring.profiles``)."""
    return ProfileMaker(app.questionnaire).situations(count, seed)


def check_yardstick(app: Bounceback, yardstick: Yardstick, sample: Sequence[Situation]) -> None:
    """The yardstick must compute what the compiled program computes, or the ratio means nothing."""
    for situation in sample:
        signals, scores = app.ruleset.program(situation.answers)
        if (signals, list(scores)) != yardstick.run(situation.answers):
            raise SystemExit(f"the yardstick disagrees with the engine on {dict(situation.answers)}")


# -- start-up ---------------------------------------------------------------------------------


def command() -> list[str]:
    """The installed ``bounceback`` console script, next to this Python."""
    script = Path(sys.executable).with_name("bounceback")
    if not script.exists():
        raise SystemExit(f"{script} not found: install the project first (pip install -e '.[bench]')")
    return [str(script)]


def startup(args: list[str], runs: int) -> float:
    """Median wall-clock seconds of ``bounceback ARGS`` in a fresh process (after one warm-up)."""
    times = []
    for n in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command() + args, check=True, stdout=subprocess.DEVNULL)
        if n:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- the table --------------------------------------------------------------------------------


def row(what: str, value: str, target: str = "", ok: bool | str | None = None) -> str:
    """One line of the Markdown table; ``ok`` says whether the target is met."""
    mark = ok if isinstance(ok, str) else "" if ok is None else ("yes" if ok else "NO")
    return f"| {what:<44} | {value:>14} | {target:>10} | {mark:>4} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer situations, shorter rounds")
    parser.add_argument("--seconds", type=float, default=None, help="time per measurement")
    args = parser.parse_args(argv)
    seconds = args.seconds or (1.0 if args.quick else 4.0)
    count = 500 if args.quick else 5000

    pinned = pin_to_one_core()
    start = time.perf_counter()
    app = load(entry_points=False)
    load_time = time.perf_counter() - start
    sample = list(situations(app, count))
    yardstick = Yardstick(app)
    check_yardstick(app, yardstick, sample[:300])
    gc.collect()

    measured = rates(
        {
            "plans": (app.plan, sample),
            "program": (lambda s: app.ruleset.program(s.answers), sample),
            "simple": (lambda s: yardstick.run(s.answers), sample[:300]),
        },
        seconds,
    )
    plans, program, simple = (statistics.median(measured[name]) for name in ("plans", "program", "simple"))
    compiled_ratio = ratio(measured["program"], measured["simple"])
    plan_ratio = ratio(measured["plans"], measured["simple"])
    runs = 3 if args.quick else 10
    help_time = startup(["--help"], runs)
    plan_time = startup(["plan", str(EXAMPLE)], runs)

    met = {
        "plans": plans >= PLANS_TARGET,
        "ratio": compiled_ratio >= RATIO_TARGET,
        "plan ratio": plan_ratio >= PLAN_RATIO_TARGET,
        "help": help_time <= HELP_TARGET,
        "plan": plan_time <= PLAN_TARGET,
    }
    print(
        f"bounceback benchmark: Python {sys.version.split()[0]}, {pinned}, "
        f"{len(app.ruleset.rules)} rules, {len(app.ruleset.signals)} signals, "
        f"{yardstick.expressions} expressions, {count} sample profiles\n"
    )
    print(row("measure", "result", "target", "met"))
    print(row("-" * 44, "-" * 14, "-" * 10, "-" * 4))
    print(row("plans/s (Bounceback.plan, one core)", f"{plans:,.0f}", f"≥ {PLANS_TARGET:,}", met["plans"]))
    print(row("rule set evaluations/s, compiled", f"{program:,.0f}"))
    print(row("rule set evaluations/s, simpleeval", f"{simple:,.0f}"))
    print(row("compiled ÷ simpleeval", f"{compiled_ratio:,.0f}×", f"≥ {RATIO_TARGET:.0f}×", met["ratio"]))
    print(
        row(
            "whole plans ÷ simpleeval conditions alone",
            f"{plan_ratio:,.1f}×",
            f"≥ {PLAN_RATIO_TARGET:.0f}×",
            met["plan ratio"],
        )
    )
    print(row("bounceback --help (s)", f"{help_time:.3f}", f"≤ {HELP_TARGET}", met["help"]))
    print(
        row(
            f"bounceback plan examples/{EXAMPLE.name} (s)",
            f"{plan_time:.3f}",
            f"≤ {PLAN_TARGET}",
            met["plan"],
        )
    )
    print(row("load plugins and packs, in process (s)", f"{load_time:.3f}"))
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
