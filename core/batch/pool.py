"""Planning rows in worker processes, a chunk at a time, in input order."""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator

import attrs

from ..api import Bounceback, loaded
from ..defaults import DEFAULT_PER_CATEGORY, DEFAULT_TOP
from ..engine import Options
from ..stopping import STOP_SIGNALS
from . import roster
from .counting import Tally, tally
from .rows import Outcome, Row, outcome_and_plan, plan_row

#: Rows a worker process plans per task, and tasks in flight per worker (bounds memory).
CHUNK = 250
IN_FLIGHT = 4


# ---------------------------------------------------------------------------------------------
# Planning rows in worker processes


@attrs.frozen
class Setup:
    """What a worker needs to plan rows, picklable: which plugins and packs to load (as for
    :func:`bounceback.load`), the plan options and the per-person files to render."""

    packs: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    entry_points: bool = True
    strict: bool = False
    top: int = DEFAULT_TOP
    per_category: int = DEFAULT_PER_CATEGORY
    per_person: tuple[str, ...] = ()  # formats of each participant's own files (html, md, ics)

    @property
    def options(self) -> Options:
        """The plan options."""
        return Options(self.top, self.per_category)


def app_for(setup: Setup) -> Bounceback:
    """The app for ``setup``, loaded once per process (:func:`bounceback.api.loaded`)."""
    return loaded(setup.packs, setup.disable, setup.entry_points, setup.strict)


def run_row(row: Row, setup: Setup) -> Outcome:
    """:func:`plan_row` with the app of ``setup``: the function to map over rows anywhere
    (a process pool, ``dask.bag``), since rows, setup and outcomes all pickle."""
    return plan_row(app_for(setup), row, setup.options)


@attrs.frozen
class Chunk:
    """The outcomes of consecutive rows, as a worker sends them back: the line where the last
    row starts, the lines for ``plans.jsonl``, ``errors.jsonl`` and ``roster.csv`` (each in
    row order), their tally, and each planned participant's own files (id, row, and
    (suffix, content) pairs) when :attr:`Setup.per_person` asks for them."""

    last_line: int
    plans: str
    errors: str
    tally: Tally
    roster: str = ""
    people: tuple[tuple[str, int, tuple[tuple[str, str], ...]], ...] = ()


_RENDERERS = {"html": "html", "md": "markdown", "ics": "ics"}


def plan_chunk(rows: list[Row], setup: Setup) -> Chunk:
    """:func:`run_row` over consecutive rows, packed for a cheap trip between processes."""
    app, options = app_for(setup), setup.options
    planned = [outcome_and_plan(app, row, options) for row in rows]
    outcomes = [outcome for outcome, _ in planned]
    people = tuple(
        (
            row.id or str(row.number),
            row.number,
            tuple(
                (roster.PERSON_FORMATS[fmt], app.render(plan, _RENDERERS[fmt])) for fmt in setup.per_person
            ),
        )
        for row, (_, plan) in zip(rows, planned)
        if plan is not None and setup.per_person
    )
    return Chunk(
        rows[-1].line,
        "".join(o.record for o in outcomes if o.facts.ok),
        "".join(o.record for o in outcomes if not o.facts.ok),
        tally(o.facts for o in outcomes),
        roster.roster_lines(zip(rows, (o.facts for o in outcomes))),
        people,
    )


#: How often (seconds) a worker checks that the run that started it is still there.
PARENT_CHECK = 0.5


def _start_worker(setup: Setup) -> None:
    """Worker start-up: Ctrl-C is the parent's to handle (and SIGTERM or SIGHUP the worker
    gets is its end, not the parent's handler); stop when the parent is gone; load the app."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    threading.Thread(
        target=_watch_parent, args=(os.getppid(),), daemon=True, name="bounceback-parent-check"
    ).start()
    app_for(setup)


def _watch_parent(parent: int) -> None:
    """End this worker once its parent has died (killed by SIGKILL, it could not say so):
    the worker is then adopted, and its parent id changes."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def map_chunks(rows: Iterable[Row], setup: Setup, jobs: int = 1) -> Generator[Chunk, None, None]:
    """:func:`plan_chunk` over the rows, :data:`CHUNK` rows at a time, in input order, by
    ``jobs`` worker processes (``1``: in this process). Rows are read only as workers need
    them, so memory stays flat. Close the iterator (``contextlib.closing``) to stop early."""
    chunks = _chunks(rows, CHUNK)
    if jobs <= 1:
        for chunk in chunks:
            yield plan_chunk(chunk, setup)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context(), initializer=_start_worker, initargs=(setup,)
    )
    pending: deque[Future[Chunk]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(plan_chunk, chunk, setup))
            if len(pending) >= jobs * IN_FLIGHT:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
