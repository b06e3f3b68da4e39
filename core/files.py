"""Reading inputs, and writing outputs by the rules for output files (:func:`output_target`):
atomically for files (a temporary file beside the target, renamed into place), through for
devices and FIFOs, never replacing what the user did not mean to replace."""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TextIO

import attrs

from .errors import BouncebackError, Problem

#: The ending of temporary files (``.<target>.<pid>.<random>.tmp``).
TEMPORARY = ".tmp"
#: Input files are read whole, so they have a size limit: far above any answers file or pack.
MAX_INPUT_BYTES = 2 * 2**20


@contextlib.contextmanager
def atomic_writer(path: str | Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """Open a temporary text file next to ``path``; rename it over ``path`` on success.

    If the block raises (or the process dies), ``path`` is untouched and the temporary file
    is removed. OS errors become a :class:`BouncebackError` naming the file.
    """
    with atomic_writers([path], newline=newline) as (handle,):
        yield handle


@contextlib.contextmanager
def atomic_writers(paths: Sequence[str | Path], *, newline: str | None = None) -> Iterator[list[TextIO]]:
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
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=TEMPORARY, dir=target.parent or "."
        )
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


def remove_stale_temporaries(folder: Path, names: Iterable[str]) -> list[Path]:
    """Remove the temporary files that runs no longer alive left in ``folder`` for the
    targets ``names`` (a run killed by SIGKILL or a power cut cannot remove its own); return
    them. Temporary files are ``.<name>.<pid>.<random>.tmp`` (and ``...tmp.old``, see
    :func:`_rename_all`): those of a process that is still running are kept."""
    alternatives = "|".join(map(re.escape, names))
    pattern = re.compile(rf"\.({alternatives})\.(\d+)\.[A-Za-z0-9_]+{re.escape(TEMPORARY)}(?:\.old)?")
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = pattern.fullmatch(entry.name)
            if match and not _alive(int(match.group(2))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (it may be another user's)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


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


def read_text(path: str | Path, *, expected: str, error: type[BouncebackError] = BouncebackError) -> str:
    """The UTF-8 text of ``path`` (``-`` is standard input; a BOM is dropped).

    A missing, unreadable, binary or too large (:data:`MAX_INPUT_BYTES`) file raises ``error``
    naming the file; ``expected`` says what the file should have been (e.g. "a .toml pack file").
    """
    source = "<stdin>" if str(path) == "-" else str(path)
    try:
        if source == "<stdin>":
            data = stdin_bytes().read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise error(Problem("file not found", source, code="missing-file")) from None
    except IsADirectoryError:
        raise error(Problem(f"is a folder, expected {expected}", source)) from None
    except OSError as exc:
        raise error(Problem(f"cannot read: {exc.strerror or exc}", source, code="unreadable")) from None
    except BouncebackError as exc:
        raise error(exc.problems) from None
    if len(data) > MAX_INPUT_BYTES:
        raise error(
            Problem(
                f"file is too large (more than {MAX_INPUT_BYTES // 2**20} MB); expected {expected}",
                source,
                code="too-large",
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            Problem(f"not UTF-8 text (byte {exc.start}); expected {expected}", source, code="encoding")
        ) from None
    if text.count("\x00") * 4 > len(text):  # valid UTF-8, but mostly NUL: UTF-16 without a BOM
        raise error(
            Problem(
                f"not UTF-8 text: every other byte is NUL (UTF-16? save it as UTF-8); expected {expected}",
                source,
                code="encoding",
            )
        )
    return text


def stdin_bytes() -> IO[bytes]:
    """Standard input's bytes; a closed standard input (``<&-``) raises
    :class:`BouncebackError`."""
    if sys.stdin is None:
        raise BouncebackError(
            Problem(
                "standard input is closed; give a file name instead of -, or pipe the input in",
                "<stdin>",
                code="closed",
            )
        )
    return sys.stdin.buffer


@attrs.frozen
class OutputTarget:
    """Where an output file goes and how it is written (see :func:`output_target`)."""

    path: Path  #: the file written: the one a symbolic link points to, for a link
    how: str  #: ``atomic`` (new or replaced file), ``through`` (device, FIFO) or ``in-place``


ATOMIC, THROUGH, IN_PLACE = "atomic", "through", "in-place"


def output_target(path: str | Path) -> OutputTarget:
    """How an output file ``path`` (``-o``) is written, refusing what must not be replaced.

    * A new file, or an existing regular file, is written atomically: a temporary file beside
      it renamed into place, keeping the existing file's permissions.
    * A character device (``/dev/null``, a terminal) or a FIFO is written through, in place:
      it is never replaced by a file.
    * A symbolic link is followed: the file it points to is written by these same rules, and
      the link stays a link.
    * A file with other hard links is written in place, so that every name of it sees the new
      content (a rename would split them).
    * A read-only file, a folder, a block device, a socket, an empty name and a name ending
      with ``/`` are refused, as is a file in a folder that does not exist.

    Raises :class:`BouncebackError` naming the file and saying why.
    """
    name = str(path)
    if not name:
        raise _refused(name, "is an empty file name; expected the name of a file to write")
    if name.endswith(("/", os.sep)):
        raise _refused(name, "ends with '/', so it names a folder; expected a file name")
    target = Path(name)
    try:
        info = os.stat(target)  # follows symbolic links
    except FileNotFoundError:
        return _new_file(target)
    except OSError as exc:
        raise _refused(name, f"cannot write: {exc.strerror or exc}") from None
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return OutputTarget(target, THROUGH)  # a link to a device is written through the link
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    if stat.S_ISDIR(info.st_mode):
        raise _refused(name, "is a folder; expected a file name")
    if not stat.S_ISREG(info.st_mode):
        kind = "block device" if stat.S_ISBLK(info.st_mode) else "socket or special file"
        raise _refused(name, f"is a {kind}, not a file; bounceback does not write to it")
    if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise _refused(name, "is read-only; make it writable (chmod u+w) or choose another file")
    return OutputTarget(real, IN_PLACE if info.st_nlink > 1 else ATOMIC)


def _new_file(target: Path) -> OutputTarget:
    """A file to create: its folder must exist (a dangling link creates the file it names)."""
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    folder = real.parent
    if not folder.is_dir():
        raise _refused(str(target), f"cannot write: the folder does not exist ({folder})")
    return OutputTarget(real, ATOMIC)


def write_text(path: str | Path, text: str, *, newline: str | None = None) -> OutputTarget:
    """Write ``text`` (UTF-8) to the output file ``path`` by the rules of
    :func:`output_target`; return where and how it was written. ``newline`` is as for
    :func:`open` (``""`` keeps line endings as they are in ``text``)."""
    target = output_target(path)
    if target.how == ATOMIC:
        with atomic_writer(target.path, newline=newline) as handle:
            handle.write(text)
        return target
    try:
        with open(target.path, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
    except OSError as exc:
        raise _error(Path(path), exc) from None
    return target


def _refused(name: str, reason: str) -> BouncebackError:
    return BouncebackError(Problem(reason, name or "-o", code="write"))


def _error(path: Path, exc: OSError) -> BouncebackError:
    reason = exc.strerror or str(exc)
    return BouncebackError(Problem(f"cannot write: {reason}", str(path), code="write"))
