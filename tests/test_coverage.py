"""`packs validate --coverage`: how rules behave over many made-up people."""

from __future__ import annotations

import json
import random
from pathlib import Path

import attrs
from click.testing import CliRunner, Result

from bounceback.api import Bounceback, load
from bounceback.authoring.coverage import measure
from bounceback.authoring.profiles import BASE_MODEL, ProfileMaker
from bounceback.cli import cli
from helpers import write_pack
from test_engine import rule

PACK = '[pack]\nid = "t"\nname = "Test"\nversion = "1"\n\n' + "\n".join(
    [
        rule("high", "mindset", 0.99, extra='excludes = ["t.low"]'),
        rule("low", "momentum", 0.98),
        rule("never", "networking", 0.99, when="days_since_rejection > 1000"),
        rule("often", "skills", 0.97, when="anxiety >= 2"),
    ]
)


def validate(tmp_path: Path, *args: str) -> Result:
    path = write_pack(tmp_path / "pack", PACK)
    return CliRunner().invoke(
        cli, ["packs", "validate", str(path), "--coverage", "--samples", "60", "--no-plugins", *args]
    )


def test_text_report_shows_masked_and_never_holding_rules(tmp_path: Path) -> None:
    result = validate(tmp_path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Coverage over 60 sample profiles (seed 0, --top 7, --per-category 2):" in out
    low = next(line for line in out.splitlines() if line.startswith("t.low "))
    assert low.split()[1:4] == ["60", "0", "0"] and "excluded: " in low and "(by t.high " in low
    assert low.endswith("!")
    assert "Masked everywhere (hold, never chosen): t.low." in out
    assert "Never hold in these samples: t.never." in out
    assert not any(line.startswith("mindset.") for line in out.splitlines())  # only the packs given
    assert "warning: " in out and "t.low: rule is chosen in 0 of the 60 sample profiles" in out


def test_json_shape_and_determinism(tmp_path: Path) -> None:
    data = json.loads(validate(tmp_path, "--format", "json").stdout)
    assert (data["samples"], data["seed"], data["ok"]) == (60, 0, True)
    rules = {r["id"]: r for r in data["rules"]}
    assert set(rules) == {"t.high", "t.low", "t.never", "t.often"}
    assert rules["t.high"]["holds"] == 60 and rules["t.high"]["chosen"] > 40
    kept_out = rules["t.low"]["displaced_by"]
    assert kept_out["excluded"] > 0 and sum(kept_out.values()) == 60
    assert rules["t.low"]["displacing_rules"] == {"t.high": kept_out["excluded"]}
    assert rules["t.never"]["holds"] == 0 and data["never_hold"] == ["t.never"]
    assert data["masked"] == ["t.low"] and data["short_plans"] == 0
    assert 0 < rules["t.often"]["holds"] < 60
    assert sum(data["plan_sizes"].values()) == 60
    codes = [p["code"] for p in data["problems"]]
    assert codes.count("rarely-chosen") == 1
    again = json.loads(validate(tmp_path, "--format", "json").stdout)
    assert again == data
    other = json.loads(validate(tmp_path, "--format", "json", "--seed", "1").stdout)
    assert other["rules"] != data["rules"]


def test_warnings_fail_with_fail_on_warnings(tmp_path: Path) -> None:
    assert validate(tmp_path, "--fail-on-warnings").exit_code == 2
    result = validate(tmp_path, "--top", "1", "--format", "json")
    data = json.loads(result.stdout)
    assert data["short_plans"] == 60  # one step each: all short
    assert "short-plans" in [p["code"] for p in data["problems"]]


def test_causes_come_from_the_engine(app: Bounceback) -> None:
    """Each rule's holds split into chosen and the causes that kept it out."""
    report = measure(app, samples=200, seed=5)
    assert {r.rule.id for r in report.rules} == set(app.ruleset.by_id)
    for r in report.rules:
        assert r.chosen + sum(r.displaced_by.values()) == r.holds, r.rule.id
    assert sum(report.plan_sizes.values()) == 200
    top_cut = measure(app, samples=200, seed=5, top=2)
    assert sum(r.displaced_by.get("top", 0) for r in top_cut.rules) > 0


def test_profiles_are_reproducible_and_valid(app: Bounceback) -> None:
    maker = ProfileMaker(app.questionnaire)
    first = [s.answers for s in maker.situations(200, 3)]
    assert first == [s.answers for s in maker.situations(200, 3)]
    assert first != [s.answers for s in maker.situations(200, 4)]
    answered = {q for answers in first for q, v in answers.items() if v not in (None, ())}
    assert answered == {q.id for q in app.questionnaire}  # every question gets answers
    assert all(not app.questionnaire.broken(a) for a in first)
    rng = random.Random(0)
    assert all(app.situation(maker.answers(rng)) for _ in range(50))


def test_profiles_cover_a_pack_question_and_respect_its_checks(tmp_path: Path) -> None:
    pack = (
        '[pack]\nid = "q"\nname = "Q"\nversion = "1"\n\n'
        '[[questions]]\nid = "hours"\nprompt = "Hours?"\nkind = "number"\nmin = 0\nmax = 3\n\n'
        '[[checks]]\nid = "late"\nwhen = "hours == 3 and anxiety == 1"\nmessage = "no"\n'
    )
    app = load(packs=[write_pack(tmp_path / "p", pack)], entry_points=False, strict=True)
    answers = [s.answers for s in ProfileMaker(app.questionnaire).situations(300, 0)]
    assert {a["hours"] for a in answers if a.get("hours") is not None} == {0, 1, 2, 3}
    assert not [a for a in answers if a.get("hours") == 3 and a["anxiety"] == 1]


def test_coverage_options_need_coverage_and_errors_come_first(tmp_path: Path) -> None:
    path = write_pack(tmp_path / "pack", PACK)
    result = CliRunner().invoke(cli, ["packs", "validate", str(path), "--samples", "5"])
    assert result.exit_code == 2 and "--samples only make sense with --coverage" in result.output
    broken = write_pack(tmp_path / "broken", PACK.replace('category = "skills"', "category = 3"))
    result = CliRunner().invoke(cli, ["packs", "validate", str(broken), "--coverage", "--no-plugins"])
    assert result.exit_code == 2 and "coverage is measured once the packs have no errors" in result.output
    assert "Coverage over" not in result.output


def test_a_check_redrawing_cannot_satisfy_leaves_the_optional_answer_blank(tmp_path: Path) -> None:
    pack = (
        '[pack]\nid = "q"\nname = "Q"\nversion = "1"\n\n'
        '[[questions]]\nid = "hours"\nprompt = "Hours?"\nkind = "number"\nmin = 0\n\n'
        '[[checks]]\nid = "never"\nwhen = "answered(hours) and anxiety >= 1"\nmessage = "no"\n'
    )
    app = load(packs=[write_pack(tmp_path / "p", pack)], entry_points=False, strict=True)
    never_blank = attrs.evolve(BASE_MODEL, blank={**BASE_MODEL.blank, "hours": 0.0})
    answers = [s.answers for s in ProfileMaker(app.questionnaire, never_blank).situations(5, 0)]
    assert all(a["hours"] is None for a in answers)


def test_the_evidence_mix_figures_count_the_plans_that_miss_an_entry(tmp_path: Path) -> None:
    """Each evidence-mix entry: the plans it applies to (its condition holds, the plan is large
    enough) and those holding no step that meets it, from the plans themselves."""
    mix = (
        '\n[[mix]]\nid = "nobody"\ntopics = ["no-such-topic"]\nwhen = "anxiety >= 2"\n'
        '\n[[mix]]\nid = "big"\ntopics = ["mindset"]\nmin_steps = 99\n'
    )
    path = write_pack(tmp_path / "pack", PACK + mix)
    app = load(packs=[path.parent], entry_points=False)
    coverage = measure(app, samples=40, seed=3)
    figures = {m.id: m for m in coverage.mix}
    anxious = sum(s.answers["anxiety"] >= 2 for s in ProfileMaker(app.questionnaire).situations(40, 3))
    assert figures["t.nobody"].applies == figures["t.nobody"].missed == anxious > 0
    assert figures["t.big"].applies == figures["t.big"].missed == 0  # no plan holds 99 further steps
    assert figures["base.skills"].applies > figures["base.skills"].missed
    assert {"id": "t.big", "applies": 0, "missed": 0} in coverage.to_dict()["mix"]
    result = CliRunner().invoke(
        cli, ["packs", "validate", str(path), "--coverage", "--samples", "40", "--seed", "3", "--no-plugins"]
    )
    line = next(line for line in result.stdout.splitlines() if line.strip().startswith("t.nobody"))
    assert line.split() == ["t.nobody", "missed", "in", str(anxious), "of", str(anxious), "(100", "%)"]
