"""Shared fixtures: the built-in app (no installed third-party plugins), paths to personas and
the other files of ../shared."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from bounceback.api import Bounceback, load, loaded

# In CI (CI=true, as .ci/run sets it) property tests draw the same examples every run, so a
# landing is green or red for its code, not for the examples of the day; run locally, they explore.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PERSONAS = SHARED / "personas"
PERSONAS_V2 = SHARED / "personas-v2"
ADVICE = SHARED / "ADVICE.md"
EXAMPLES = ROOT / "examples"
#: What tests read from ../shared (beside the repository).
SHARED_NEEDED = (PERSONAS, PERSONAS_V2, ADVICE)


def shared(path: Path) -> Path:
    """``path``, one of :data:`SHARED_NEEDED`. When it is missing the test is skipped, or fails
    with ``CI=true``: a clone without ../shared must not pass CI with a smaller suite."""
    if not path.exists():
        message = f"{path} not available (../shared is not beside the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def _no_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed third-party plugins never leak into the test run."""
    monkeypatch.setenv("BOUNCEBACK_PLUGINS", "")


@pytest.fixture
def fresh_apps() -> Iterator[None]:
    """The process-wide cached apps (:func:`bounceback.api.loaded`: ``bounceback.plan``'s and
    the cohort runs') are forgotten before and after the test, so a test that changes one
    (e.g. patches its ``plan``) gets its own and leaves none behind for the tests after it."""
    loaded.cache_clear()
    yield
    loaded.cache_clear()


@pytest.fixture(scope="session")
def app() -> Bounceback:
    """The built-in plugins and packs, loaded once."""
    return load(entry_points=False)


@pytest.fixture(scope="session")
def web_url(app: Bounceback) -> Iterator[str]:
    """The address of ``bounceback serve`` running in a thread on a free port, with its token."""
    import uvicorn

    from bounceback.web.server import application, listen

    sock = listen(0)
    asgi, url = application(app, sock)
    server = uvicorn.Server(uvicorn.Config(asgi, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.01)
    yield url
    server.should_exit = True
    thread.join(10)
    sock.close()
