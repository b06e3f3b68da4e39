"""Plugin projects: finding the plugin module and packs of a project folder for ``packs test``
(and its pack folders, without importing it, for ``packs validate``).

A pack plugin project (as ``bounceback packs new`` writes it) has a ``pyproject.toml`` whose
entry point in group ``bounceback`` names the plugin module, in ``src/`` or at the top of the
project. :func:`test_target` turns what ``bounceback packs test PATH`` is given (a project
folder, a pack folder or a pack file) into what to load and where the personas are.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import attrs

from ..errors import BouncebackError, Problem
from ..model import Pack

GROUP = "bounceback"


@attrs.frozen
class TestTarget:
    """What to load for ``packs test``: pack paths and plugin modules, and the persona folders
    (``()`` for a project's: they are beside the packs its plugin provides, known once loaded)."""

    packs: tuple[Path, ...] = ()
    plugins: tuple[ModuleType, ...] = ()
    personas: tuple[Path, ...] = ()

    def pack_paths(self) -> list[Path]:
        """The pack files and folders to check: the ones given, then the ones the plugins'
        ``bounceback_packs`` hooks name (a pack a hook builds in memory is checked as it loads)."""
        hooks = [getattr(plugin, "bounceback_packs", None) for plugin in self.plugins]
        named = [item for hook in hooks if callable(hook) for item in hook() or ()]
        return [*self.packs, *(Path(item) for item in named if isinstance(item, str | Path))]


def test_target(path: Path) -> TestTarget:
    """What ``packs test PATH`` loads: a project folder's plugin modules, or the pack folder or
    file itself (personas in ``personas/`` inside the folder, or beside the file)."""
    if is_project(path):
        return TestTarget(plugins=tuple(plugin_modules(path)))
    if path.is_dir():
        return TestTarget(packs=(path,), personas=(path / "personas",))
    return TestTarget(packs=(path,), personas=(path.parent / "personas",))


def is_project(path: Path) -> bool:
    """Whether ``path`` is a plugin project folder (it holds a ``pyproject.toml``)."""
    return path.is_dir() and (path / "pyproject.toml").is_file()


def project_pack_folders(project: Path) -> list[Path]:
    """The pack folders of a plugin project, found without importing its code (``packs
    validate`` never runs a pack's plugin): under each module its entry points name, in
    ``src/`` or at the top, every folder that holds ``*.toml`` files, but ``personas/``
    (the scaffold's ``pack/``). Raises :class:`BouncebackError` when there is none."""
    folders: list[Path] = []
    for target in entry_points(project).values():
        top = target.partition(":")[0].strip().split(".")[0]
        for root in (project / "src" / top, project / top):
            if root.is_dir():
                found = {f.parent for f in root.rglob("*.toml") if "personas" not in f.parent.parts}
                folders += sorted(found - set(folders))
                break
    if not folders:
        raise BouncebackError(
            Problem(
                "no pack files in this plugin project: its entry points' modules hold no *.toml "
                "files outside personas/; give the pack folder or file instead",
                str(project / "pyproject.toml"),
                code="missing-file",
            )
        )
    return folders


def entry_points(project: Path) -> dict[str, str]:
    """The project's ``bounceback`` entry points (name → ``module`` or ``module:object``)
    from its ``pyproject.toml``; raises :class:`BouncebackError` when it declares none."""
    from ..files import read_text
    from ..packs import load_toml

    pyproject = project / "pyproject.toml"
    data = load_toml(read_text(pyproject, expected="a pyproject.toml"), str(pyproject))
    points = data.get("project", {}).get("entry-points", {}).get(GROUP)
    if not isinstance(points, dict) or not points or not all(isinstance(v, str) for v in points.values()):
        raise BouncebackError(
            Problem(
                f"no plugin here: the project declares no entry point in group {GROUP!r} "
                f'([project.entry-points.{GROUP}] name = "module"); give the pack folder instead',
                str(pyproject),
                field=f"project.entry-points.{GROUP}",
                code="missing-field",
            )
        )
    return dict(points)


def plugin_modules(project: Path) -> list[ModuleType]:
    """Import each plugin module the project's entry points name, from the project's own
    ``src/`` folder (or its top folder), as ``pytest`` in the project would."""
    modules = []
    for name, target in entry_points(project).items():
        module_name, _, attribute = target.partition(":")
        module = _import_from(project, module_name.strip(), name)
        modules.append(getattr(module, attribute.strip()) if attribute else module)
    return modules


def _import_from(project: Path, module_name: str, entry: str) -> ModuleType:
    top = module_name.split(".")[0]
    roots = [r for r in (project / "src", project) if (r / top).is_dir() or (r / f"{top}.py").is_file()]
    where = str(project / "pyproject.toml")
    if not roots:
        raise BouncebackError(
            Problem(
                f"entry point {entry!r} names module {module_name!r}, which is neither in src/ nor at "
                "the top of the project",
                where,
                field=f"project.entry-points.{GROUP}",
                code="missing-file",
            )
        )
    root = roots[0].resolve()
    _forget(top, root)
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(module_name)
    except Exception as exc:  # the author's code: any failure is theirs to fix
        raise BouncebackError(
            Problem(
                f"cannot import plugin module {module_name!r}: {type(exc).__name__}: {exc}",
                where,
                code="plugin",
            )
        ) from None
    finally:
        sys.path.remove(str(root))


def _forget(top: str, root: Path) -> None:
    """Drop an imported module of that name loaded from elsewhere (an installed copy), so the
    project's own source is the one tested."""
    loaded = sys.modules.get(top)
    file = getattr(loaded, "__file__", None)
    if loaded is not None and (file is None or not Path(file).resolve().is_relative_to(root)):
        for name in [n for n in sys.modules if n == top or n.startswith(f"{top}.")]:
            del sys.modules[name]


def project_personas(target: TestTarget, packs: Sequence[Pack], project: Path) -> list[Path]:
    """The persona folders beside the packs that ``target``'s plugins provided (``packs``, the
    loaded ones); raises :class:`BouncebackError` when there is none."""
    names = {getattr(p, "__name__", type(p).__name__) for p in target.plugins}
    folders = dict.fromkeys(p.path.parent / "personas" for p in packs if p.plugin in names and p.path)
    found = [f for f in folders if f.is_dir()]
    if not found:
        raise BouncebackError(
            Problem(
                "no personas folder beside the packs of the project's plugin "
                "(expected personas/ in the pack folder); give --personas DIR",
                str(project),
                code="missing-file",
            )
        )
    return found
