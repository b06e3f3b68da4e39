"""Pack authoring: every problem in one run, declared categories, `packs test` on a plugin
project, and `packs install`/`uninstall` refusing what pip should never see."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bounceback.authoring.scaffold import scaffold
from bounceback.authoring.validation import validate_packs
from bounceback.cli import cli
from helpers import write_pack

HEAD = """\
[pack]
id = "four"
name = "Four"
version = "0.1.0"
"""


def rule(name: str, *extra: str, category: str = "skills", timeframe: str = "this-week") -> str:
    lines = [
        "",
        "[[rules]]",
        f'id = "{name}"',
        f'category = "{category}"',
        f'title = "Do {name}"',
        'why = "Because."',
        "weight = 0.5",
        f'timeframe = "{timeframe}"',
        'effort = "low"',
        'actions = ["Act."]',
        *extra,
    ]
    return "\n".join(lines) + "\n"


def line_of(path: Path, text: str, start: int = 0) -> int:
    """The number of the first line from ``start`` (0-based) that is ``text``."""
    return path.read_text().splitlines().index(text, start) + 1


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


# -- every problem in one run -----------------------------------------------------------------


def test_four_distinct_mistakes_are_all_reported_in_one_run(tmp_path: Path) -> None:
    unknown, option = 'when = "motivaton <= 2"', "when = \"feedback_received == 'detailed'\""
    word, after = 'timeframe = "this-weak"', 'after = ["nowhere"]'
    path = write_pack(
        tmp_path,
        HEAD
        + rule("unknown-name", unknown)
        + rule("bad-option", option)
        + rule("bad-word", timeframe="this-weak")
        + rule("dangling", after),
        "four.toml",
    )
    result = invoke("packs", "validate", str(path), "--no-plugins")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"error: {path}:{line_of(path, unknown)}: four.unknown-name: when: unknown name 'motivaton' "
        "(did you mean 'motivation'?)",
        f"error: {path}:{line_of(path, option)}: four.bad-option: when: 'detailed' is not an option of "
        "feedback_received; options: generic, none, specific",
        f"error: {path}:{line_of(path, word)}: four.bad-word: 'timeframe' must be one of today, "
        "this-week, this-month, ongoing; got 'this-weak' (did you mean 'this-week'?)",
        f"error: {path}:{line_of(path, after)}: four.dangling: 'after' refers to unknown rule 'four.nowhere'",
    ]
    assert "4 problems found" in result.stderr


def test_a_rule_with_a_field_error_is_still_checked_with_the_other_packs(tmp_path: Path) -> None:
    path = write_pack(
        tmp_path,
        HEAD + rule("both", 'when = "motivaton <= 2"', 'after = ["gone"]', timeframe="soon"),
        "four.toml",
    )
    messages = [p.message for p in validate_packs([path], entry_points=False).problems]
    assert [m.split(";")[0].split(" (")[0] for m in messages] == [
        "'timeframe' must be one of today, this-week, this-month, ongoing",
        "when: unknown name 'motivaton'",
        "'after' refers to unknown rule 'four.gone'",
    ]


def test_problems_of_two_files_come_together_in_file_and_line_order(tmp_path: Path) -> None:
    first = write_pack(tmp_path, HEAD + rule("fine") + rule("typo", category="skill"), "a.toml")
    second = write_pack(
        tmp_path,
        HEAD.replace('"four"', '"other"')
        + rule("late", 'after = ["four.fine", "four.missing"]', 'when = "anxeity > 3"'),
        "b.toml",
    )
    problems = validate_packs([tmp_path], entry_points=False).problems
    assert [(p.source, p.line, p.field) for p in problems] == [
        (str(first), line_of(first, 'category = "skill"'), "four.typo"),
        (str(second), line_of(second, 'after = ["four.fine", "four.missing"]'), "other.late"),
        (str(second), line_of(second, 'when = "anxeity > 3"'), "other.late"),
    ]
    assert "(did you mean 'skills'?)" in problems[0].message
    assert "'after' refers to unknown rule 'four.missing'" in problems[1].message  # four.fine is known
    assert "unknown name 'anxeity' (did you mean 'anxiety'?)" in problems[2].message


def test_a_duplicate_rule_id_points_at_the_duplicates_own_line(tmp_path: Path) -> None:
    path = write_pack(
        tmp_path, HEAD + rule("dup", 'when = "motivaton <= 2"') + rule("other") + rule("dup"), "four.toml"
    )
    problems = validate_packs([path], entry_points=False).problems
    first = line_of(path, 'id = "dup"')
    second = line_of(path, 'id = "dup"', first) - 1
    assert [(p.line, p.message) for p in problems] == [
        (
            line_of(path, 'when = "motivaton <= 2"'),
            "when: unknown name 'motivaton' (did you mean 'motivation'?)",
        ),
        (second, f"duplicate rule id: 'dup' is already defined at line {first - 1}"),
    ]


def test_a_question_defined_twice_in_one_pack_points_at_the_second(tmp_path: Path) -> None:
    question = '\n[[questions]]\nid = "four_q"\nprompt = "Q?"\nkind = "bool"\n'
    path = write_pack(tmp_path, HEAD + question + question, "four.toml")
    [problem] = validate_packs([path], entry_points=False).problems
    assert problem.line == path.read_text().splitlines().index("[[questions]]", 6) + 1
    assert problem.message.startswith("duplicate question id: 'four_q' is already defined at line ")


# -- categories -------------------------------------------------------------------------------


def test_an_unknown_category_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    path = write_pack(tmp_path, HEAD + rule("typo", category="skill"), "four.toml")
    [problem] = validate_packs([path], entry_points=False).problems
    assert (problem.line, problem.field, problem.code) == (
        line_of(path, 'category = "skill"'),
        "four.typo",
        "bad-word",
    )
    assert problem.message.startswith("'category' 'skill' is not a category (did you mean 'skills'?)")
    assert "[pack] categories" in problem.message


def test_a_category_the_pack_declares_is_allowed(tmp_path: Path) -> None:
    head = HEAD + 'categories = ["relocation"]\n'
    path = write_pack(tmp_path, head + rule("move", category="relocation"), "four.toml")
    result = validate_packs([path], entry_points=False)
    assert result.problems == ()
    assert result.packs[0].categories == ("relocation",)


@pytest.mark.parametrize(
    "declared, message",
    [
        ('["skills"]', "'skills' is already a built-in category"),
        ('["Relocation"]', "'categories' entry 'Relocation' must be"),
        ('"relocation"', "'categories' must be a list of non-empty texts"),
    ],
)
def test_bad_category_declarations(tmp_path: Path, declared: str, message: str) -> None:
    path = write_pack(tmp_path, HEAD + f"categories = {declared}\n" + rule("fine"), "four.toml")
    problems = validate_packs([path], entry_points=False).problems
    assert any(message in p.message for p in problems), problems


# -- packs test on a plugin project -----------------------------------------------------------


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project as `packs new` writes it, scaffolded once for the module: tests get a copy."""
    root = tmp_path_factory.mktemp("scaffolded") / "project"
    scaffold("career-changers", root)
    return root


@pytest.fixture
def project(scaffolded: Path, tmp_path: Path) -> Iterator[Path]:
    root = Path(shutil.copytree(scaffolded, tmp_path / "project"))
    yield root
    for name in [n for n in sys.modules if n.startswith("bounceback_career_changers")]:
        del sys.modules[name]


def test_packs_test_runs_a_projects_personas_through_its_entry_point(project: Path) -> None:
    result = invoke("packs", "test", str(project))
    assert result.exit_code == 0, result.output
    assert [line.split("  ")[:2] for line in result.stdout.splitlines()] == [
        ["PASS", "experienced"],
        ["PASS", "newcomer"],
    ]
    assert "2 personas: 2 passed, 0 failed" in result.stderr


@pytest.mark.parametrize("where", ["folder", "file"])
def test_packs_test_still_takes_the_pack_folder_or_a_pack_file(project: Path, where: str) -> None:
    folder = project / "src" / "bounceback_career_changers" / "pack"
    target = folder if where == "folder" else folder / "career-changers.toml"
    result = invoke("packs", "test", str(target))
    assert result.exit_code == 0, result.output


def test_a_project_without_a_bounceback_entry_point_is_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1"\n')
    result = invoke("packs", "test", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'pyproject.toml'}: project.entry-points.bounceback: no plugin here" in result.output


def test_a_project_whose_plugin_cannot_be_imported_says_why(project: Path) -> None:
    module = project / "src" / "bounceback_career_changers" / "__init__.py"
    module.write_text("import not_a_module_anywhere\n")
    result = invoke("packs", "test", str(project))
    assert result.exit_code == 2
    assert "cannot import plugin module 'bounceback_career_changers': ModuleNotFoundError" in result.output


# -- packs install / uninstall: refused before pip runs ---------------------------------------


def test_install_refuses_a_path_that_does_not_exist(tmp_path: Path) -> None:
    result = invoke("packs", "install", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nowhere'}: no such file or folder" in result.output


def test_install_points_to_the_folder_packs_new_made(tmp_path: Path) -> None:
    (tmp_path / "bounceback-mine").mkdir()
    result = invoke("packs", "install", str(tmp_path / "mine"))
    assert result.exit_code == 2
    assert f"did you mean {tmp_path / 'bounceback-mine'} (the folder `packs new` made)?" in result.output


def test_install_refuses_a_bare_pack_folder_with_a_hint(tmp_path: Path) -> None:
    write_pack(tmp_path, HEAD, "four.toml")
    result = invoke("packs", "install", str(tmp_path))
    assert result.exit_code == 2
    assert (
        "not a Python project (no pyproject.toml or setup.py). It holds pack files: load them "
        "with --pack" in result.output
    )


def test_uninstall_refuses_what_is_not_an_installed_plugin() -> None:
    result = invoke("packs", "uninstall", "mypack")
    assert result.exit_code == 2
    assert "error: mypack: no installed bounceback plugin is called 'mypack'" in result.output


def test_packs_test_reports_every_problem_as_validate_does(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        '[pack]\nid = "bad"\nname = "Bad"\nversion = "1.0.0"\n\n[[rules]]\nid = "one"\ncategory = "skill"\n'
        'title = "T"\nwhy = "W"\nwhen = "motivation_x >= 2"\nweight = 0.5\nstrength = "1"\n'
        'timeframe = "next-week"\neffort = "low"\nactions = ["a"]\n',
        "utf-8",
    )
    tested = invoke("packs", "test", str(tmp_path))
    validated = invoke("packs", "validate", str(tmp_path))
    assert tested.exit_code == validated.exit_code == 2
    errors = [line for line in validated.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3 and all(line in tested.output for line in errors)
    assert tested.stderr.splitlines()[-1] == validated.stderr.splitlines()[-1] == "3 problems found"


def test_packs_test_on_a_project_reports_every_problem_of_its_packs(project: Path) -> None:
    """Loading stops at the fields out of range; the problems found once a pack is read (names,
    conditions, options in $[if]) are reported too, as `packs validate` reports them."""
    pack = next((project / "src" / "bounceback_career_changers" / "pack").glob("*.toml"))
    text = pack.read_text("utf-8")
    broken = (
        text.replace("weight = 0.8", "weight = 1.8")
        .replace('when = "', 'when = "no_such_answer > 1 and ', 1)
        .replace('network_gap)"', 'network_gap"')
        .replace("career_stage == 'student_or_graduate'", "career_stage == 'studnt'")
    )
    pack.write_text(broken, "utf-8")
    tested = invoke("packs", "test", str(project))
    validated = invoke("packs", "validate", str(pack.parent))
    assert tested.exit_code == validated.exit_code == 2
    errors = [line for line in validated.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4 and all(line in tested.stdout for line in errors), tested.output
    assert tested.stderr.splitlines()[-1] == "4 problems found"
