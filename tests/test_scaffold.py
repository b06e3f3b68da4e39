"""`bounceback packs new`: the scaffolded plugin project installs, registers and plans."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bounceback.authoring.plugin_names import Names
from bounceback.authoring.scaffold import scaffold
from bounceback.authoring.validation import validate_packs
from bounceback.cli import cli
from bounceback.errors import BouncebackError
from bounceback.testing import load_for_test, run_personas

ROOT = Path(__file__).resolve().parent.parent
NAME = "career-changers"
MODULE = "bounceback_career_changers"


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project as `packs new` writes it, scaffolded once for the module (it holds no path of
    its own folder): tests get a copy."""
    root = tmp_path_factory.mktemp("scaffolded") / "project"
    scaffold(NAME, root)
    return root


@pytest.fixture
def project(scaffolded: Path, tmp_path: Path) -> Path:
    """A fresh copy of the scaffolded project, for the test to change as it likes."""
    return Path(shutil.copytree(scaffolded, tmp_path / "project"))


@pytest.fixture
def plugin_module(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """The scaffolded plugin module, importable from the project's src/ folder."""
    monkeypatch.syspath_prepend(str(project / "src"))
    try:
        yield importlib.import_module(MODULE)
    finally:
        sys.modules.pop(MODULE, None)


def personas(project: Path) -> Path:
    return project / "src" / MODULE / "pack" / "personas"


# -- names ------------------------------------------------------------------------------------


def test_names_are_derived_from_the_pack_id() -> None:
    names = Names.from_name("bounceback-career-changers")
    assert (names.pack_id, names.distribution, names.module, names.prefix, names.title) == (
        "career-changers",
        "bounceback-career-changers",
        MODULE,
        "career_changers",
        "Career changers",
    )


@pytest.mark.parametrize(
    "bad, hint",
    [
        ("Career Changers", "try 'career-changers'"),
        ("9lives", "starting with a letter"),
        ("", "not a pack id"),
    ],
)
def test_a_bad_name_is_refused_with_a_hint(bad: str, hint: str) -> None:
    with pytest.raises(BouncebackError, match=hint):
        Names.from_name(bad)


def test_a_built_in_pack_id_is_refused() -> None:
    with pytest.raises(BouncebackError, match="'feedback' is the id of a built-in pack"):
        Names.from_name("feedback")


# -- the project ------------------------------------------------------------------------------


def test_the_project_has_every_part(project: Path) -> None:
    files = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/test.yml",
        ".gitignore",
        "LICENSE",
        "README.md",
        "pyproject.toml",
        f"src/{MODULE}/__init__.py",
        f"src/{MODULE}/pack/career-changers.toml",
        f"src/{MODULE}/pack/pack-schema.json",
        f"src/{MODULE}/pack/personas/experienced.answers.toml",
        f"src/{MODULE}/pack/personas/experienced.expect.toml",
        f"src/{MODULE}/pack/personas/experienced.snapshot.txt",
        f"src/{MODULE}/pack/personas/newcomer.answers.toml",
        f"src/{MODULE}/pack/personas/newcomer.expect.toml",
        f"src/{MODULE}/pack/personas/newcomer.snapshot.txt",
        "tests/test_career_changers.py",
    ]
    meta = tomllib.loads((project / "pyproject.toml").read_text())
    assert meta["project"]["name"] == "bounceback-career-changers"
    assert (meta["project"]["license"], meta["project"]["license-files"]) == ("MIT", ["LICENSE"])
    assert (project / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) ")
    assert meta["project"]["entry-points"] == {"bounceback": {"career-changers": MODULE}}
    assert meta["tool"]["setuptools"]["package-data"] == {MODULE: ["pack/*.toml"]}
    pack = tomllib.loads((project / f"src/{MODULE}/pack/career-changers.toml").read_text())
    assert len(pack["questions"]) == 1 and len(pack["rules"]) == 2
    assert pack["pack"]["engine"] == ">=1,<2"


def test_the_pack_is_valid_without_warnings(project: Path) -> None:
    result = validate_packs([project / "src" / MODULE / "pack"], entry_points=False)
    assert (result.problems, result.warnings) == ((), ())
    assert [p.id for p in result.packs] == ["career-changers"]


def test_validate_takes_the_project_folder_as_test_does(project: Path) -> None:
    """Newcomer check: `packs validate .` in the new project read pyproject.toml as a pack
    ("unknown table 'tool'"); it stands for the project's pack folders, found without importing
    the plugin (a pack is data), and a broken pack in it is reported as in its folder."""
    runner = CliRunner()
    good = runner.invoke(cli, ["packs", "validate", str(project)])
    assert good.exit_code == 0, good.output
    assert "career-changers.toml: ok" in good.output and "pyproject.toml" not in good.output
    pack = project / "src" / MODULE / "pack" / "career-changers.toml"
    pack.write_text(pack.read_text().replace("weight = 0.", "weight = 1.", 1))
    broken = runner.invoke(cli, ["packs", "validate", str(project)])
    assert broken.exit_code == 2 and "career-changers.toml:" in broken.output and "'weight'" in broken.output
    shutil.rmtree(project / "src" / MODULE / "pack")
    empty = runner.invoke(cli, ["packs", "validate", str(project)])
    assert empty.exit_code == 2 and "no pack files in this plugin project" in empty.output


def test_the_example_personas_pass_with_the_plugin_registered(project: Path, plugin_module: object) -> None:
    results = run_personas(personas(project), load_for_test(plugins=[plugin_module]))
    assert [(r.persona.name, r.failures) for r in results] == [("experienced", ()), ("newcomer", ())]
    newcomer = {s.id for s in results[1].plan.steps}
    assert {"career-changers.first-project", "career-changers.meet-people"} <= newcomer


def test_the_ci_workflow_validates_the_pack_and_runs_pytest(project: Path) -> None:
    workflow = (project / ".github/workflows/test.yml").read_text()
    runs = [
        line.strip()
        for line in workflow.splitlines()
        if line.strip().startswith(("run: ", "python -m pip")) and line.strip() != "run: |"
    ]
    assert runs == [
        'python -m pip install "$BOUNCEBACK"',
        "python -m pip install -e '.[test]'",
        f"run: bounceback packs validate --fail-on-warnings src/{MODULE}/pack",
        "run: pytest",
    ]
    assert "on: [push, pull_request]" in workflow


def test_the_snapshots_record_each_personas_plan(project: Path, plugin_module: object) -> None:
    results = run_personas(personas(project), load_for_test(plugins=[plugin_module]))
    assert [r.snapshot for r in results] == ["same", "same"]
    recorded = (personas(project) / "newcomer.snapshot.txt").read_text().splitlines()
    steps = [line for line in recorded if not line.startswith("#")]
    assert steps == [f"{s.id}: {s.title}" for s in results[1].plan.steps]


def test_a_rule_change_that_moves_a_plan_fails_with_a_readable_diff(project: Path) -> None:
    pack = project / "src" / MODULE / "pack"
    toml = pack / "career-changers.toml"
    toml.write_text(toml.read_text().replace("weight = 0.8", "weight = 0.3"))
    result = CliRunner().invoke(cli, ["packs", "test", str(pack)])
    assert result.exit_code == 2, result.output
    assert "PASS  experienced" in result.output and "FAIL  newcomer" in result.output
    moved = [
        line.strip()
        for line in result.output.splitlines()
        if "first-project:" in line and line.strip()[0] in "+-"
    ]
    assert moved == [
        "-career-changers.first-project: Build one small project that shows what you can do in this field",
        "+career-changers.first-project: Build one small project that shows what you can do in this field",
    ], result.output
    assert "accept it with `bounceback packs test --update`" in result.output
    accepted = CliRunner().invoke(cli, ["packs", "test", str(pack), "--update"])
    assert accepted.exit_code == 0, accepted.output
    assert CliRunner().invoke(cli, ["packs", "test", str(pack)]).exit_code == 0


def test_the_scaffolded_pytest_suite_passes(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(BouncebackError, match="already exists and is not an empty folder"):
        scaffold(NAME, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


# -- the command ------------------------------------------------------------------------------


def test_packs_new_writes_the_project_and_says_what_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["packs", "new", "graduates"])
    assert result.exit_code == 0, result.output
    assert "created bounceback-graduates/pyproject.toml" in result.output
    assert "pip install -e '.[test]'" in result.output
    assert (tmp_path / "bounceback-graduates/src/bounceback_graduates/pack/graduates.toml").is_file()


@pytest.mark.parametrize(
    "args, message",
    [
        (["packs", "new", "Bad Name"], "error: NAME: 'Bad Name' is not a pack id"),
        (["packs", "new", "support"], "error: NAME: 'support' is the id of a built-in pack"),
    ],
)
def test_packs_new_refuses_bad_names(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_packs_new_refuses_a_non_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("")
    result = CliRunner().invoke(cli, ["packs", "new", "graduates", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path}: --dir: already exists" in result.output


# -- installed: entry-point registration ------------------------------------------------------


@pytest.fixture
def installed(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The project registered as if pip-installed: its dist-info (with the entry point from
    its pyproject.toml) and its source on sys.path, and allowed by BOUNCEBACK_PLUGINS."""
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    site = tmp_path / "site"
    info = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n"
    )
    points = meta["entry-points"]["bounceback"]
    (info / "entry_points.txt").write_text(
        "[bounceback]\n" + "".join(f"{k} = {v}\n" for k, v in points.items())
    )
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(project / "src"))
    monkeypatch.setenv("BOUNCEBACK_PLUGINS", ",".join(points))
    importlib.invalidate_caches()
    try:
        yield project
    finally:
        sys.modules.pop(MODULE, None)


def test_bounceback_plugins_lists_the_installed_plugin(installed: Path) -> None:
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output
    assert (
        "career-changers 0.1.0  (entry point)\n    hooks: packs\n"
        "    pack career-changers 0.1.0: 2 rules, 1 question\n" in result.output
    )


def test_its_rules_appear_in_plans_exactly_when_their_conditions_hold(installed: Path) -> None:
    def plan_ids(persona: str) -> list[str]:
        answers = personas(installed) / f"{persona}.answers.toml"
        result = CliRunner().invoke(cli, ["plan", str(answers), "--format", "json"])
        assert result.exit_code == 0, result.output
        return [s["id"] for s in json.loads(result.output)["steps"]]

    assert {"career-changers.first-project", "career-changers.meet-people"} <= set(plan_ids("newcomer"))
    assert not [i for i in plan_ids("experienced") if i.startswith("career-changers.")]


def test_packs_show_describes_the_installed_pack(installed: Path) -> None:
    result = CliRunner().invoke(cli, ["packs", "show", "career-changers"])
    assert result.exit_code == 0, result.output
    assert "  plugin: career-changers (entry point)\n" in result.output
    assert "      when:     career_changers_experience != 'a_lot'\n" in result.output


@pytest.mark.slow
def test_the_tutorial_works_in_a_fresh_venv(tmp_path: Path) -> None:
    """The tutorial's journey with a real pip: install bounceback, `packs new`, `packs install
    -e` the project into bounceback's environment, then a plan shows the new rule; `packs test`
    passes in the project and `packs uninstall` removes the plugin again."""
    source = tmp_path / "bounceback-src"  # a copy, so the build leaves the work tree clean
    for part in ("core", "plugins", "packs"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", source)
    readme = ROOT / "README.md"  # pyproject.toml names it
    (source / "README.md").write_text(readme.read_text() if readme.exists() else "bounceback\n")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BOUNCEBACK_PLUGINS")}

    def run(*args: str, cwd: Path = tmp_path) -> str:
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300, cwd=cwd)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    bounceback = str(bindir / "bounceback")
    run(str(bindir / "python"), "-m", "pip", "install", "-q", str(source))
    run(bounceback, "packs", "new", NAME)
    project = tmp_path / f"bounceback-{NAME}"
    assert f"installed bounceback-{NAME} 0.1.0: plugin {NAME}" in run(
        bounceback, "packs", "install", "-e", ".", cwd=project
    )
    assert f"{NAME} 0.1.0  (entry point)" in run(bounceback, "plugins")
    plan = json.loads(
        run(bounceback, "plan", "--format", "json", str(personas(project) / "newcomer.answers.toml"))
    )
    assert f"{NAME}.first-project" in [s["id"] for s in plan["steps"]]
    assert "2 personas: 2 passed, 0 failed" in run(bounceback, "packs", "test", ".", cwd=project)
    assert f"uninstalled bounceback-{NAME} 0.1.0" in run(bounceback, "packs", "uninstall", NAME)
    assert NAME not in run(bounceback, "plugins")
