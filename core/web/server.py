"""Run the web app on 127.0.0.1 with uvicorn: a free port unless one is given, a fresh token."""

from __future__ import annotations

import secrets
import socket
import webbrowser
from collections.abc import Callable

import uvicorn

from ..api import Bounceback
from ..errors import BouncebackError, Problem
from .app import ASGIApp, create_app

HOST = "127.0.0.1"


def listen(port: int = 0) -> socket.socket:
    """A socket listening on 127.0.0.1 at ``port`` (0: a free port the system picks)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
        sock.listen(64)
    except OSError as exc:
        sock.close()
        raise BouncebackError(
            Problem(f"cannot listen on port {port}: {exc.strerror or exc}", field="--port")
        ) from None
    return sock


def application(bounceback: Bounceback, sock: socket.socket, **selection: int) -> tuple[ASGIApp, str]:
    """The guarded app for a listening socket, and its address (with a new random token)."""
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(18)
    hosts = (f"{HOST}:{port}", f"localhost:{port}")
    return create_app(bounceback, token, hosts, **selection), f"http://{HOST}:{port}/{token}/"


def run(
    bounceback: Bounceback,
    *,
    port: int = 0,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
    **selection: int,
) -> None:
    """Serve until interrupted: ``announce`` the address first, then open it in the browser."""
    sock = listen(port)
    app, url = application(bounceback, sock, **selection)
    announce(url)
    if open_browser:
        webbrowser.open(url)  # the socket is listening already: the browser's request waits
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops on Ctrl-C, then raises it again: stopping is normal
        pass
    finally:
        sock.close()
