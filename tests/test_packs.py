"""Reading packs: every problem at once, with file, line and id."""

from __future__ import annotations

from pathlib import Path

import pytest

from bounceback.api import Bounceback
from bounceback.authoring.validation import validate_packs
from bounceback.errors import PackError
from bounceback.packs import format_compatible, parse_pack, read_pack
from helpers import write_pack

GOOD = """
[pack]
id = "grads"
name = "Graduates"
version = "0.1.0"
engine = ">=1,<2"

[[questions]]
id = "graduated_months"
section = "context"
prompt = "How many months since you graduated?"
kind = "number"
min = 0

[signals]
fresh_grad = "1 if graduated_months <= 12 else 0"

[templates.grad_note]
title = "A note"
body = "Hello ${interviewer_name|there}, ${name|[your name]}"

[[rules]]
id = "careers-service"
category = "support"
topics = ["career-coach"]
title = "Use your university's careers service"
why = "You graduated recently."
when = "fresh_grad > 0.5 and stage_reached != 'application'"
weight = 0.6
timeframe = "this-week"
effort = "low"
actions = ["Book an appointment", "Bring your CV"]
template = "grad_note"
after = ["mindset.acknowledge"]
"""


def test_a_good_pack_loads(tmp_path: Path) -> None:
    pack = read_pack(write_pack(tmp_path, GOOD))
    assert pack.id == "grads"
    assert [r.id for r in pack.rules] == ["grads.careers-service"]
    assert pack.rules[0].after == ("mindset.acknowledge",)
    assert pack.line_of("grads.careers-service") == 22
    assert pack.questions[0].kind == "number"


def test_structural_problems_are_all_reported_with_lines() -> None:
    text = (
        GOOD.replace('timeframe = "this-week"', 'timeframe = "next-week"')
        .replace("weight = 0.6", "weight = 1.6")
        .replace('kind = "number"', 'kind = "numbr"')
        .replace('effort = "low"', 'effort = "low"\ncolour = "red"')
    )
    with pytest.raises(PackError) as info:
        parse_pack(text, source="grads.toml")
    messages = [str(p) for p in info.value.problems]
    assert any(
        "grads.toml:12: graduated_months: 'kind' must be one of" in m and "'numbr'" in m for m in messages
    )
    assert any("grads.careers-service: 'timeframe' must be one of today" in m for m in messages)
    assert any("'weight' must be between 0 and 1, got 1.6" in m for m in messages)
    assert any("unknown field 'colour'" in m for m in messages)
    assert len(messages) == 4


def test_invalid_toml_names_the_line() -> None:
    with pytest.raises(PackError, match=r"bad.toml:3: invalid TOML"):
        parse_pack('[pack]\nid = "x"\nname = \n', source="bad.toml")


def test_missing_pack_table_and_fields() -> None:
    with pytest.raises(PackError, match="missing \\[pack\\] table"):
        parse_pack("[[rules]]\nid = 'x'\n")
    with pytest.raises(PackError) as info:
        parse_pack('[pack]\nid = "x"\n[[rules]]\nid = "r"\n')
    text = str(info.value)
    for field in ("'name'", "'version'", "'category'", "'title'", "'why'", "'actions'", "'weight'"):
        assert f"missing required field {field}" in text


@pytest.mark.parametrize(
    "spec, ok",
    [
        (">=1,<2", True),
        ("==1", True),
        ("1", True),
        (">=2", False),
        ("<1", False),
        ("banana", None),
    ],
)
def test_engine_compatibility(spec: str, ok: bool | None) -> None:
    assert format_compatible(spec) is ok


def test_an_incompatible_pack_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="pack needs engine >=2"):
        read_pack(write_pack(tmp_path, GOOD.replace('">=1,<2"', '">=2"')))


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="file not found"):
        read_pack(tmp_path / "nope.toml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(PackError, match="not UTF-8"):
        read_pack(binary)


def test_cross_pack_problems(tmp_path: Path) -> None:
    text = (
        GOOD.replace("fresh_grad > 0.5", "fresh_grd > 0.5")
        .replace("stage_reached != 'application'", "stage_reached != 'aplication'")
        .replace('template = "grad_note"', 'template = "grad_notes"')
        .replace('after = ["mindset.acknowledge"]', 'after = ["mindset.acknowledg"]')
        .replace("${name|[your name]}", "${nam}")
    )
    result = validate_packs([write_pack(tmp_path, text)], entry_points=False)
    messages = "\n".join(str(p) for p in result.problems)
    assert "unknown name 'fresh_grd' (did you mean 'fresh_grad'?)" in messages
    assert "'aplication' is not an option of stage_reached (did you mean 'application'?)" in messages
    assert "unknown template 'grad_notes' (did you mean 'grad_note'?)" in messages
    assert "unknown rule 'mindset.acknowledg' (did you mean 'mindset.acknowledge'?)" in messages
    assert "unknown placeholder ${nam} (did you mean 'name'?)" in messages
    assert all(p.source and p.source.endswith("extra.toml") for p in result.problems)
    assert any(p.line == 28 for p in result.problems)  # the `when` line


def test_optional_answers_in_why_need_a_fallback(tmp_path: Path) -> None:
    text = GOOD.replace(
        'why = "You graduated recently."', 'why = "At ${company}, day ${days_since_rejection}."'
    )
    problems = validate_packs([write_pack(tmp_path, text)], entry_points=False).problems
    assert [p.message for p in problems] == [
        "why: ${company} is optional and may be unanswered: give a fallback, e.g. ${company|...}, "
        "or put it in an optional segment $[...]"
    ]


def test_duplicates_cycles_and_never_firing_rules(tmp_path: Path) -> None:
    text = (
        GOOD
        + """
[[rules]]
id = "second"
category = "support"
title = "t"
why = "w"
when = "1 > 2"
weight = 0.5
timeframe = "today"
effort = "low"
actions = ["a"]
after = ["grads.third"]

[[rules]]
id = "third"
category = "support"
title = "t"
why = "w"
weight = 0
timeframe = "today"
effort = "low"
actions = ["a"]
after = ["grads.second"]

[[questions]]
id = "anxiety"
prompt = "again"
kind = "bool"
"""
    )
    messages = "\n".join(
        str(p) for p in validate_packs([write_pack(tmp_path, text)], entry_points=False).problems
    )
    assert "question id is already defined by pack 'base'" in messages
    assert "rule can never be recommended: its condition '1 > 2' is always false" in messages
    assert "rule can never be recommended: its weight is 0" in messages
    assert "'after' forms a cycle: grads.second -> grads.third -> grads.second" in messages


def test_a_pack_id_clashing_with_a_built_in_one(tmp_path: Path) -> None:
    text = GOOD.replace('id = "grads"', 'id = "feedback"')
    messages = "\n".join(
        str(p) for p in validate_packs([write_pack(tmp_path, text)], entry_points=False).problems
    )
    assert "pack id 'feedback' is already used by" in messages


def test_built_in_packs_are_valid(app: Bounceback) -> None:
    assert len(app.packs) == 12  # the helplines pack holds data only
    assert sum(len(p.rules) for p in app.packs) >= 60


def test_plan_limit_and_capacity_are_checked(tmp_path: Path) -> None:
    text = (
        GOOD.replace('effort = "low"', 'effort = "low"\nplan_limit = -1')
        + """
[[capacity]]
id = "tired"
when = "motivation <= 'low'"
steps = 2.5

[[capacity]]
id = "fine"
when = "motivation <= 1"
steps = 1

[[capacity]]
id = "none"
when = "motivation <= 1"
steps = 0
size_only = "yes"
"""
    )
    messages = "\n".join(
        str(p) for p in validate_packs([write_pack(tmp_path, text)], entry_points=False).problems
    )
    assert "'plan_limit' must be a whole number of steps (0 or more), got int -1" in messages
    assert "'steps' must be a whole number of steps (1 or more), got float 2.5" in messages
    # A plan sized to no steps shows nothing but "no step stands out" (newcomer review 31).
    assert "'steps' must be a whole number of steps (1 or more), got int 0" in messages
    assert "'size_only' must be true or false" in messages
    good = (
        GOOD.replace('effort = "low"', 'effort = "low"\nplan_limit = 2')
        + """
[[capacity]]
id = "tired"
when = "motivation <= 'low'"
steps = 2
"""
    )
    problems = validate_packs([write_pack(tmp_path, good)], entry_points=False).problems
    assert [p.field for p in problems] == ["capacity.grads.tired"]
    assert "when:" in problems[0].message
    pack = read_pack(write_pack(tmp_path, good.replace("'low'", "1")))
    assert pack.rules[0].plan_limit == 2
    assert [(c.id, c.steps) for c in pack.capacity] == [("grads.tired", 2)]


def test_a_mix_entry_is_checked_like_a_capacity_entry(tmp_path: Path) -> None:
    text = (
        GOOD
        + """
[[mix]]
id = "doing"
topics = ["self-care"]
when = "motivation <= 'low'"

[[mix]]
id = "doing"
topics = ["self-care"]

[[mix]]
id = "always"
topics = ["self-care"]
"""
    )
    problems = validate_packs([write_pack(tmp_path, text)], entry_points=False).problems
    assert sorted((p.field, p.message.split(":")[0]) for p in problems) == [
        ("mix.grads.doing", "duplicate mix id"),
        ("mix.grads.doing", "when"),
    ]
