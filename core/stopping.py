"""Stopping cleanly: SIGTERM and SIGHUP stop bounceback as Ctrl-C does.

A process manager, ``kill`` or a closing terminal sends SIGTERM or SIGHUP, whose default is
to end the process on the spot: temporary files stay behind and a hidden terminal cursor
stays hidden. Within :func:`stop_on_signals` they raise :class:`Stopped`, a
:class:`KeyboardInterrupt`, so everything that cleans up after Ctrl-C (atomic writes, worker
pools, the progress bar) does so for them too.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: The signals handled like Ctrl-C (those this platform has).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived; ``signum`` says which."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, :data:`STOP_SIGNALS` raise :class:`Stopped`; the previous handlers
    come back afterwards. Outside the main thread (where Python cannot set handlers), a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
