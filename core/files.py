"""Writing outputs atomically: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
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
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as exc:
        raise _error(target, exc) from None
    try:
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _error(target, exc) from None
        raise


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
