"""``bounceback serve`` over real HTTP: the guard, the form, the plan page, checks and downloads.

The server runs in a thread on a free port (the ``web_url`` fixture); requests are plain
standard-library HTTP, as a browser without JavaScript would send them.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from click.testing import CliRunner

from bounceback.api import Bounceback
from bounceback.cli import cli
from bounceback.render import RenderOptions
from bounceback.web.pages import answers_from, form_page

ANSWERS = {
    "stage_reached": "final_round",
    "days_since_rejection": "3",
    "disappointment": "4",
    "anger": "2",
    "anxiety": "3",
    "self_doubt": "3",
    "hopelessness": "2",
    "motivation": "4",
    "feedback_received": "none",
    "role": "UX designer <b>",
    "company": "Lumen & Co",
    "skill_gaps": ["tools", "interviewing"],
    "support_people": "yes",
}


def fields(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Answers as a browser posts them: one field per value."""
    return [
        (k, v) for k, values in answers.items() for v in (values if isinstance(values, list) else [values])
    ]


def request(
    url: str,
    method: str = "GET",
    body: list[tuple[str, str]] | None = None,
    host: str | None = None,
    path: str | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request; the status, the headers (lower-case names) and the body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Host": parts.netloc if host is None else host}
    data = None
    if body is not None:
        data = urlencode(body).encode()
        headers["Content-Type"] = content_type
    connection.request(method, path if path is not None else parts.path, body=data, headers=headers)
    response = connection.getresponse()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    connection.close()
    return result


def post(url: str, action: str, body: list[tuple[str, str]]) -> tuple[int, dict[str, str], str]:
    status, headers, data = request(url + action, "POST", body)
    return status, headers, data.decode()


class Form(HTMLParser):
    """The inputs, labels and legends of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.fieldsets = 0
        self.legends = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "select"):
            self.inputs.append({"tag": tag, **found})
        elif tag == "label" and found.get("for"):
            self.labels.add(found["for"] or "")
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"


def parsed(page: str) -> Form:
    form = Form()
    form.feed(page)
    return form


# -- the guard --------------------------------------------------------------------------------


def test_the_form_is_served_only_with_the_token_and_our_host(web_url: str) -> None:
    token_path = urlsplit(web_url).path
    port = urlsplit(web_url).port
    assert request(web_url)[0] == 200
    assert request(web_url, host=f"localhost:{port}")[0] == 200
    assert request(web_url, path="/")[0] == 403
    assert request(web_url, path=token_path.rstrip("/") + "x/")[0] == 403  # a longer "token"
    assert request(web_url, path=token_path[:-3] + "/")[0] == 403
    assert request(web_url, path="/favicon.ico")[0] == 403
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", ""):
        status, headers, body = request(web_url, host=host)
        assert status == 403 and b"token" in body, host
    status, headers, _ = request(
        web_url, "POST", fields(ANSWERS), host="evil.example", path=token_path + "plan"
    )
    assert status == 403
    status, headers, _ = request(web_url, path=token_path.rstrip("/"))
    assert status in (301, 307) and headers["location"].endswith(token_path)


def test_every_response_forbids_scripts_from_elsewhere_and_caching(web_url: str) -> None:
    for _status, headers, _ in (request(web_url), request(web_url, path="/")):
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "no-referrer"


# -- the form ---------------------------------------------------------------------------------


def test_every_question_is_a_labelled_field_named_by_its_id(web_url: str, app: Bounceback) -> None:
    _status, _headers, body = request(web_url)
    page = body.decode()
    form = parsed(page)
    names = {i["name"] for i in form.inputs}
    assert names == {q.id for q in app.questionnaire}
    for element in form.inputs:
        assert element["id"] in form.labels, element  # every input has its own <label for>
    assert form.fieldsets == form.legends > 0
    assert '<form id="questionnaire" method="post" action="plan"' in page
    assert 'src="form.js"' in page and "http" not in page.split("<body>")[1]  # nothing external
    script = request(web_url + "form.js")
    assert script[0] == 200 and script[1]["content-type"].startswith("text/javascript")


def test_scales_say_what_their_ends_mean_and_options_are_words(app: Bounceback) -> None:
    page = form_page(app.questionnaire)
    assert "final round" in page and ">final_round<" not in page
    assert page.count('class="anchor"') == 2 * sum(q.kind == "scale" for q in app.questionnaire)


def test_optional_questions_can_be_left_unanswered(app: Bounceback) -> None:
    form = parsed(form_page(app.questionnaire))
    for question in app.questionnaire:
        radios = [i for i in form.inputs if i["name"] == question.id and i.get("type") == "radio"]
        if radios and not question.required:
            assert [r for r in radios if r["value"] == "" and "checked" in r], question.id
        if radios and question.required:
            assert not [r for r in radios if "checked" in r], question.id


# -- posting ----------------------------------------------------------------------------------


def test_a_plain_post_of_the_answers_returns_the_plan_page(web_url: str, app: Bounceback) -> None:
    status, _, page = post(web_url, "plan", fields(ANSWERS))
    assert status == 200
    expected = app.plan(app.situation(answers_from(fields(ANSWERS), app.questionnaire)))
    for step in expected.steps:
        assert step.title.replace("'", "&#x27;") in page
    assert "UX designer &lt;b&gt;" in page and "<b>" not in page  # what was typed is escaped
    assert page.count('type="hidden"') == len(fields(ANSWERS))  # the answers, for the downloads
    assert 'value="ics"' in page and 'formaction="./"' in page


def test_problems_come_back_beside_their_questions_with_the_answers_kept(web_url: str) -> None:
    answers = dict(ANSWERS, days_since_rejection="three", anger="")
    status, _, page = post(web_url, "plan", fields(answers))
    assert status == 422
    assert 'id="error-summary"' in page and 'href="#q-days_since_rejection"' in page
    assert (
        '<p class="error" id="days_since_rejection-error">Expected a whole number ≥ 0, '
        "got text &#x27;three&#x27;.</p>"
    ) in page
    assert '<p class="error" id="anger-error">Missing required answer' in page
    assert 'value="three"' in page and 'value="UX designer &lt;b&gt;"' in page  # kept
    assert 'value="tools" checked' in page


def test_an_unknown_field_is_reported_not_ignored(web_url: str) -> None:
    status, _, page = post(web_url, "plan", fields(dict(ANSWERS, motivaton="4")))
    assert status == 422 and "unknown question (did you mean &#x27;motivation&#x27;?)" in page


def test_contradictory_answers_are_shown_beside_both_questions(web_url: str) -> None:
    answers = dict(ANSWERS, feedback_received="none", feedback_themes=["communication"])
    status, _, page = post(web_url, "plan", fields(answers))
    assert status == 422
    assert 'href="#q-feedback_received"' in page and 'href="#q-feedback_themes"' in page
    for qid in ("feedback_received", "feedback_themes"):
        assert f'<p class="error" id="{qid}-error"></p>' not in page
    status, _, body = request(web_url + "check", "POST", [*fields(answers), ("_section", "feedback")])
    errors = json.loads(body)["errors"]
    assert set(errors) == {"feedback_received", "feedback_themes"}
    assert errors["feedback_received"] == errors["feedback_themes"]


def test_posting_back_to_the_form_fills_it_in(web_url: str) -> None:
    status, _, page = post(web_url, "", fields(ANSWERS))
    assert status == 200 and 'value="Lumen &amp; Co"' in page and 'data-posted="true"' in page


def test_check_reports_only_the_section_asked_for(web_url: str) -> None:
    _status, _headers, body = request(
        web_url + "check", "POST", [("days_since_rejection", "3 days"), ("_section", "context")]
    )
    errors = json.loads(body)["errors"]
    assert set(errors) == {"days_since_rejection", "stage_reached"}
    assert errors["days_since_rejection"].startswith("Expected a whole number")
    assert json.loads(request(web_url + "check", "POST", fields(ANSWERS))[2]) == {"errors": {}}


@pytest.mark.parametrize(
    ("fmt", "name", "marker"),
    [
        ("toml", "answers.toml", "# bounceback answers"),
        ("html", "plan.html", "<!DOCTYPE html>"),
        ("markdown", "plan.md", "# Your next steps"),
        ("ics", "plan.ics", "BEGIN:VCALENDAR"),
    ],
)
def test_downloads(web_url: str, app: Bounceback, fmt: str, name: str, marker: str) -> None:
    status, headers, body = request(web_url + "download", "POST", [*fields(ANSWERS), ("_format", fmt)])
    assert status == 200
    assert headers["content-disposition"] == f'attachment; filename="{name}"'
    text = body.decode()
    assert text.startswith(marker)
    plan = app.plan(app.situation(answers_from(fields(ANSWERS), app.questionnaire)))
    if fmt == "toml":  # the answers file plans the same as the form did
        assert app.plan(tomllib.loads(text)).to_dict() == plan.to_dict()
    elif fmt != "ics":  # ics is dated today: compared in test_render
        assert text == app.render(plan, fmt, RenderOptions())


def test_bad_posts_are_refused_plainly(web_url: str) -> None:
    assert request(web_url + "download", "POST", [*fields(ANSWERS), ("_format", "pdf")])[0] == 400
    assert request(web_url + "plan", "POST", fields(ANSWERS), content_type="text/plain")[0] == 415
    assert request(web_url + "plan", "POST", [("role", "x" * 1_100_000)])[0] == 413
    assert request(web_url + "plan", "POST", [("r", "x")] * 2001)[0] == 413
    parts = urlsplit(web_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(
        "POST",
        parts.path + "plan",
        body=b"role=%ff",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert connection.getresponse().status == 400
    assert request(web_url + "plan")[0] == 405


# -- the command ------------------------------------------------------------------------------


def test_serve_prints_its_address_first_and_stops_on_ctrl_c() -> None:
    env = dict(os.environ, BOUNCEBACK_PLUGINS="")
    process = subprocess.Popen(
        [sys.executable, "-c", "from bounceback.cli import main; main()", "serve", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        url = process.stdout.readline().strip()  # type: ignore[union-attr]
        assert url.startswith("http://127.0.0.1:") and len(urlsplit(url).path) > 20
        assert request(url)[0] == 200
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0 and "Stopped." in err, err


def test_serve_on_a_port_in_use_is_a_usage_error(web_url: str) -> None:
    result = CliRunner().invoke(cli, ["serve", "--no-browser", "--port", str(urlsplit(web_url).port)])
    assert result.exit_code == 2 and "cannot listen on port" in result.output


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    monkeypatch.delitem(sys.modules, "bounceback.web.server", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--no-browser"])
    assert result.exit_code == 2 and "pip install 'bounceback[web]'" in result.output


def test_the_cli_starts_without_the_web_framework() -> None:
    code = "import sys, bounceback.cli; sys.exit(any(m in sys.modules for m in ('starlette', 'uvicorn')))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
