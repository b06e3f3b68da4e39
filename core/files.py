"""Writing outputs atomically: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from .errors import BouncebackError, Problem

#: Input files are read whole, so they have a size limit: far above any answers file or pack.
MAX_INPUT_BYTES = 2 * 2 ** 20


@contextlib.contextmanager
def atomic_writer(path: str | Path, *, newline: str | None = None) -> Iterator[IO[str]]:
    """Open a temporary text file next to ``path``; rename it over ``path`` on success.

    If the block raises (or the process dies), ``path`` is untouched and the temporary file
    is removed. OS errors become a :class:`BouncebackError` naming the file.
    """
    with atomic_writers([path], newline=newline) as (handle,):
        yield handle


@contextlib.contextmanager
def atomic_writers(paths: Sequence[str | Path], *,
                   newline: str | None = None) -> Iterator[list[IO[str]]]:
    """:func:`atomic_writer` for files that belong together (a run's results): all of them
    are renamed into place, or none.

    The files are renamed one after the other once the block has succeeded and every file is
    safely on disk; should a rename fail, the files already renamed are given back their
    previous content (during the renames, a file about to be replaced is briefly absent). A
    write error names the file that could not be written.
    """
    targets = [Path(path) for path in paths]
    with contextlib.ExitStack() as stack:
        temporaries = [stack.enter_context(_temporary(target, newline)) for target in targets]
        yield [handle for _, handle in temporaries]
        for target, (_, handle) in zip(targets, temporaries):
            try:
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
            except OSError as exc:
                raise _error(target, exc) from None
        _rename_all([(name, target) for (name, _), target in zip(temporaries, targets)])


class _Output(io.TextIOWrapper):
    """A text file whose write errors (a full disk) name the file the user asked for."""

    target: Path

    def write(self, text: str) -> int:
        """Write ``text``; an OS error is a :class:`BouncebackError` naming :attr:`target`."""
        try:
            return super().write(text)
        except OSError as exc:
            raise _error(self.target, exc) from None


@contextlib.contextmanager
def _temporary(target: Path, newline: str | None) -> Iterator[tuple[str, _Output]]:
    """A temporary file beside ``target``, open for writing; removed on the way out unless it
    was renamed."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as exc:
        raise _error(target, exc) from None
    handle = _Output(io.BufferedWriter(io.FileIO(fd, "w")), encoding="utf-8", newline=newline)
    handle.target = target
    with contextlib.suppress(OSError):  # a file system without modes (FAT) keeps its own
        os.chmod(name, _mode_for(target))
    try:
        yield name, handle
    finally:
        with contextlib.suppress(OSError):  # on failure only: a successful block closed it
            handle.close()
        with contextlib.suppress(OSError):
            os.unlink(name)


def _rename_all(renames: list[tuple[str, Path]]) -> None:
    """Rename each temporary file over its target: all of them, or none.

    Before a target is replaced, its current file gets a second name (a hard link,
    ``<temporary>.old``) so that it can be put back should a later rename fail. The last
    target needs none; nor can a file system without hard links give one (there, files
    renamed before a failure keep their new content).
    """
    replaced: list[tuple[Path, str | None]] = []
    links: list[str] = []
    target = renames[0][1]
    try:
        for index, (name, target) in enumerate(renames):
            previous = _second_name(target, f"{name}.old") if index < len(renames) - 1 else ""
            if previous:
                links.append(previous)
            os.replace(name, target)
            replaced.append((target, previous))
    except BaseException as exc:
        _put_back(replaced)
        if isinstance(exc, OSError):
            raise _error(target, exc) from None
        raise
    finally:
        for link in links:  # those put back are gone already
            with contextlib.suppress(OSError):
                os.unlink(link)


def _put_back(replaced: list[tuple[Path, str | None]]) -> None:
    """Give replaced targets their previous file again, and remove those that had none."""
    for target, previous in reversed(replaced):
        with contextlib.suppress(OSError):
            if previous is None:
                os.unlink(target)
            elif previous:
                os.replace(previous, target)


def _second_name(target: Path, name: str) -> str | None:
    """Hard-link ``target`` as ``name``: ``name``; ``None`` when there is no ``target``; ``""``
    when it cannot be linked."""
    try:
        os.link(target, name)
    except FileNotFoundError:
        return None
    except OSError:
        return ""
    return name


def _mode_for(target: Path) -> int:
    """The permissions a plainly written file would get: the existing file's, or 0o666 less
    the umask (temporary files are created private, 0o600)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def read_text(path: str | Path, *, expected: str,
              error: type[BouncebackError] = BouncebackError) -> str:
    """The UTF-8 text of ``path`` (``-`` is standard input; a BOM is dropped).

    A missing, unreadable, binary or too large (:data:`MAX_INPUT_BYTES`) file raises ``error``
    naming the file; ``expected`` says what the file should have been (e.g. "a .toml pack file").
    """
    source = "<stdin>" if str(path) == "-" else str(path)
    try:
        if source == "<stdin>":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise error(Problem("file not found", source, code="missing-file")) from None
    except IsADirectoryError:
        raise error(Problem(f"is a folder, expected {expected}", source)) from None
    except OSError as exc:
        raise error(Problem(f"cannot read: {exc.strerror or exc}", source, code="unreadable")) from None
    if len(data) > MAX_INPUT_BYTES:
        raise error(Problem(f"file is too large (more than {MAX_INPUT_BYTES // 2 ** 20} MB); "
                            f"expected {expected}", source, code="too-large"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(Problem(f"not UTF-8 text (byte {exc.start}); expected {expected}", source,
                            code="encoding")) from None


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_writer(path) as handle:
        handle.write(text)


def _error(path: Path, exc: OSError) -> BouncebackError:
    reason = exc.strerror or str(exc)
    return BouncebackError(Problem(f"cannot write: {reason}", str(path), code="write"))
