"""Shared fixtures: the built-in app (no installed third-party plugins), paths to personas."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bounceback.api import Bounceback, load

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = ROOT.parent / "shared" / "personas"
PERSONAS_V2 = ROOT.parent / "shared" / "personas-v2"
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _no_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed third-party plugins never leak into the test run."""
    monkeypatch.setenv("BOUNCEBACK_PLUGINS", "")


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
