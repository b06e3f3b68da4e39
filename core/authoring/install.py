"""Installing pack plugins into bounceback's own environment: ``bounceback packs install``.

Like ``llm install`` or ``datasette install``, this runs pip with the Python that runs
bounceback (``sys.executable -m pip``), so a plugin lands where bounceback finds it even when
bounceback was installed by pipx or into its own virtual environment. Uninstalling is limited
to distributions that provide a bounceback plugin.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

from ..errors import BouncebackError, Problem, did_you_mean

GROUP = "bounceback"


@attrs.frozen
class Installed:
    """An installed distribution that provides bounceback plugins (entry points)."""

    distribution: str
    version: str
    plugins: tuple[str, ...]


def installed_plugins() -> list[Installed]:
    """Every installed distribution with an entry point in group ``bounceback``, by name."""
    importlib.invalidate_caches()
    found: dict[str, Installed] = {}
    for dist in importlib.metadata.distributions():
        points = tuple(sorted(ep.name for ep in dist.entry_points if ep.group == GROUP))
        name = dist.metadata["Name"]
        if points and name and name not in found:
            found[name] = Installed(name, dist.version, points)
    return sorted(found.values(), key=lambda i: i.distribution.lower())


def pip(*args: str) -> list[str]:
    """The pip command line for bounceback's own environment."""
    return [sys.executable, "-m", "pip", *args]


def install(targets: Sequence[str], *, editable: bool = False, upgrade: bool = False) -> list[Installed]:
    """pip-install ``targets`` (distribution names, requirement specifiers, project folders or
    wheels) into bounceback's environment; returns the plugins that are new or changed.

    Raises :class:`BouncebackError` for a path that does not exist or is not a Python project,
    and when pip fails (its own messages are shown as it runs).
    """
    _check_pip()
    for target in targets:
        _check_target(target, editable)
    before = set(installed_plugins())
    args = ["install"] + (["--upgrade"] if upgrade else [])
    for target in targets:
        args += ["--editable", target] if editable else [target]
    _run(args, f"install {' '.join(targets)}")
    return [i for i in installed_plugins() if i not in before]


def uninstall(names: Sequence[str]) -> list[Installed]:
    """pip-uninstall the distributions that provide the plugins ``names`` (a distribution
    name, or a plugin's entry-point name); returns what was removed."""
    _check_pip()
    plugins = installed_plugins()
    chosen = [_find(name, plugins) for name in names]
    _run(
        ["uninstall", "--yes", *dict.fromkeys(i.distribution for i in chosen)], f"uninstall {' '.join(names)}"
    )
    return chosen


def _find(name: str, plugins: Sequence[Installed]) -> Installed:
    wanted = _normal(name)
    for item in plugins:
        if wanted == _normal(item.distribution) or name in item.plugins:
            return item
    known = [i.distribution for i in plugins] + [p for i in plugins for p in i.plugins]
    listing = ", ".join(i.distribution for i in plugins) or "none"
    raise BouncebackError(
        Problem(
            f"no installed bounceback plugin is called {name!r}"
            f"{did_you_mean(name, known)} (installed plugins: {listing})",
            field=name,
            code="not-installed",
        )
    )


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _check_target(target: str, editable: bool) -> None:
    """A target that names a path must be a Python project (or a wheel/sdist file)."""
    raw = target.split("[", 1)[0]
    looks_like_path = (
        editable or raw.startswith((".", "/", "~")) or "/" in raw or "\\" in raw or Path(raw).exists()
    )
    if not looks_like_path or "://" in raw or raw.startswith("git+"):
        return
    path = Path(raw).expanduser()
    if not path.exists():
        scaffolded = path.with_name(f"bounceback-{path.name}")  # what `packs new NAME` makes
        hint = f"; did you mean {scaffolded} (the folder `packs new` made)?" if scaffolded.is_dir() else ""
        raise BouncebackError(Problem(f"no such file or folder{hint}", target, code="missing-file"))
    if path.is_dir() and not any((path / f).is_file() for f in ("pyproject.toml", "setup.py")):
        hint = (
            " It holds pack files: load them with --pack, or make it a plugin with `bounceback packs new`."
            if any(path.glob("*.toml"))
            else ""
        )
        raise BouncebackError(
            Problem(
                f"not a Python project (no pyproject.toml or setup.py).{hint}",
                target,
                code="not-a-project",
            )
        )


def _check_pip() -> None:
    if importlib.util.find_spec("pip") is None:
        raise BouncebackError(
            Problem(
                f"bounceback's Python ({sys.executable}) has no pip; install "
                f"it with `{sys.executable} -m ensurepip`",
                code="no-pip",
            )
        )


def _run(args: list[str], what: str) -> None:
    done = subprocess.run(pip(*args), check=False)
    if done.returncode != 0:
        raise BouncebackError(
            Problem(
                f"pip could not {what} (exit status {done.returncode}; its messages are above)", code="pip"
            )
        )
