"""The ASGI application of ``bounceback serve`` (Starlette), guarded by a token and a Host check.

Every address is under ``/TOKEN/``; a request for any other path, or whose ``Host`` header is
not the server's own address (a DNS-rebinding page, another site), gets 403. Forms are posted
URL-encoded, read with a size limit and parsed by the standard library. The server keeps
nothing: the plan page carries the answers in hidden fields for its downloads.

Routes (relative to ``/TOKEN/``): ``GET`` the form; ``POST`` the form with the posted answers
filled in; ``POST plan`` the plan page (or the form with its problems, status 422); ``POST
check`` the problems of one section as JSON (for ``form.js``); ``POST download`` one file
(``_format`` = toml, html, markdown or ics); ``GET form.js`` the script.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..answersfile import answers_toml
from ..api import Bounceback
from ..defaults import DEFAULT_PER_CATEGORY, DEFAULT_TOP
from ..errors import AnswersError, Problem
from ..render import RenderOptions
from ..results import Plan
from .pages import CONTROL_PREFIX, CSP, answers_from, field_errors, form_page, plan_page, values_from

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: A posted form larger than this is refused (every answer at its longest is far smaller).
MAX_BODY = 1_000_000
MAX_FIELDS = 2000
#: Download format → (file name, media type).
FILES = {
    "toml": ("answers.toml", "application/toml"),
    "html": ("plan.html", "text/html"),
    "markdown": ("plan.md", "text/markdown"),
    "ics": ("plan.ics", "text/calendar"),
}
HEADERS = [
    (b"content-security-policy", f"{CSP}; frame-ancestors 'none'".encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
]
FORBIDDEN = b"Forbidden: open the address that bounceback serve printed, with its token.\n"


class Guard:
    """ASGI middleware: 403 unless the path starts with the token and the Host is ours; adds
    the security headers (policy, no caching, no referrer) to every response."""

    def __init__(self, app: ASGIApp, token: str, hosts: Collection[str]):
        self.app = app
        self.prefix = f"/{token}"
        self.hosts = frozenset(hosts)

    def allowed(self, scope: Scope) -> bool:
        """Whether the request names the token and one of our hosts."""
        host = dict(scope.get("headers", ())).get(b"host", b"").decode("latin-1")
        path = scope.get("path", "")
        head, rest = path[: len(self.prefix)], path[len(self.prefix) :]
        return (
            host in self.hosts
            and hmac.compare_digest(head.encode(), self.prefix.encode())
            and rest[:1] in ("", "/")
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        if not self.allowed(scope):
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), *HEADERS],
                }
            )
            await send({"type": "http.response.body", "body": FORBIDDEN})
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *HEADERS]
            await send(message)

        await self.app(scope, receive, secured)


async def form_pairs(request: Request) -> list[tuple[str, str]]:
    """The posted URL-encoded fields, in order (413 when too large, 400 when not UTF-8)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(415, "expected a form (application/x-www-form-urlencoded)")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, "the form is too large")
    try:
        return parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict"
        )
    except UnicodeDecodeError:
        raise HTTPException(400, "the form is not UTF-8 text") from None
    except ValueError:
        raise HTTPException(413, "the form has too many fields") from None


def create_app(
    bounceback: Bounceback,
    token: str,
    hosts: Collection[str],
    *,
    top: int = DEFAULT_TOP,
    per_category: int = DEFAULT_PER_CATEGORY,
) -> ASGIApp:
    """The guarded application serving ``bounceback``'s questionnaire and plans."""
    questionnaire = bounceback.questionnaire

    def make_plan(pairs: list[tuple[str, str]]) -> Plan:
        return bounceback.plan(
            bounceback.situation(answers_from(pairs, questionnaire), source="form"),
            top=top,
            per_category=per_category,
        )

    def problems_page(pairs: list[tuple[str, str]], problems: tuple[Problem, ...]) -> Response:
        return HTMLResponse(form_page(questionnaire, values_from(pairs), problems), status_code=422)

    async def form(request: Request) -> Response:
        values = values_from(await form_pairs(request)) if request.method == "POST" else None
        return HTMLResponse(form_page(questionnaire, values))

    async def plan(request: Request) -> Response:
        pairs = await form_pairs(request)
        try:
            result = make_plan(pairs)
        except AnswersError as exc:
            return problems_page(pairs, exc.problems)
        return HTMLResponse(plan_page(result, values_from([p for p in pairs if p[1].strip()])))

    async def check(request: Request) -> Response:
        pairs = await form_pairs(request)
        section = dict(pairs).get(f"{CONTROL_PREFIX}section")
        try:
            bounceback.situation(answers_from(pairs, questionnaire), source="form")
            problems: tuple[Problem, ...] = ()
        except AnswersError as exc:
            problems = exc.problems
        errors = field_errors(problems, questionnaire)
        return JSONResponse(
            {
                "errors": {
                    qid: message
                    for qid, message in errors.items()
                    if section is None or questionnaire.by_id[qid].section == section
                }
            }
        )

    async def download(request: Request) -> Response:
        pairs = await form_pairs(request)
        fmt = dict(pairs).get(f"{CONTROL_PREFIX}format", "")
        if fmt not in FILES:
            raise HTTPException(400, f"unknown download format; expected one of {', '.join(FILES)}")
        try:
            result = make_plan(pairs)
        except AnswersError as exc:
            return problems_page(pairs, exc.problems)
        name, media = FILES[fmt]
        text = (
            answers_toml(questionnaire, result.answers, filename=name)
            if fmt == "toml"
            else bounceback.render(result, fmt, RenderOptions())
        )
        return Response(
            text.encode("utf-8"),
            media_type=f"{media}; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def script(request: Request) -> Response:
        return Response(
            resources.files(__package__).joinpath("form.js").read_bytes(),
            media_type="text/javascript; charset=utf-8",
        )

    async def error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code)

    root = f"/{token}"
    routes = [
        Route(f"{root}/", form, methods=["GET", "POST"]),
        Route(f"{root}/plan", plan, methods=["POST"]),
        Route(f"{root}/check", check, methods=["POST"]),
        Route(f"{root}/download", download, methods=["POST"]),
        Route(f"{root}/form.js", script, methods=["GET"]),
    ]
    return Guard(Starlette(routes=routes, exception_handlers={HTTPException: error}), token, hosts)
