"""Unfinished questionnaires: when ``bounceback ask`` is stopped, the answers so far are kept in
a partial answers file beside the one to save, and ``ask --resume`` goes on from it."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .answersfile import answers_toml
from .asking import Echo, Read, Unfinished, ask
from .errors import AnswersError, Problem, plural
from .questionnaire import Questionnaire, parse_answer, read_answers
from .render.questionnaire import ordered


def resumable_answers(
    questionnaire: Questionnaire, raw: Mapping[str, Any], echo: Echo
) -> tuple[dict[str, Any], int]:
    """The answers of a partly answered file that are still valid, one by one (a file saved
    when ``ask`` was stopped, possibly edited since), and the index of the question to go on
    from: the first one the file lacks or answers wrongly. Each answer left out is said with why."""
    answers: dict[str, Any] = {}
    wrong: set[str] = set()
    for key, value in raw.items():
        question = questionnaire.by_id.get(key)
        if question is None:
            echo(f"    Leaving out {key!r}: the questionnaire has no such question.")
            continue
        try:
            parsed = parse_answer(question, value)
        except ValueError as exc:
            echo(f"    {key} will be asked again: {exc}.")
            wrong.add(key)
            continue
        if parsed not in (None, ()):  # a blank answer ("", []): skipped
            answers[key] = list(parsed) if isinstance(parsed, tuple) else parsed
    questions = ordered(questionnaire)
    start = next((n for n, q in enumerate(questions) if q.id not in raw or q.id in wrong), len(questions))
    return answers, start


def ask_keeping_progress(
    questionnaire: Questionnaire,
    read: Read,
    echo: Echo,
    out: Path,
    partial: Path | None,
    *,
    write: Callable[[Path, str], object],
    resume: bool = False,
    review: bool = False,
) -> dict[str, Any]:
    """:func:`ask` for answers to be saved to ``out``, keeping those of an unfinished
    questionnaire in ``partial`` (:func:`partial_path`; ``None``: nowhere), written with
    ``write(path, text)``.

    With ``resume`` the answers in ``partial`` are kept and asking goes on where it stopped.
    When asking stops early, the answers so far are written there and an
    :class:`AnswersError` says how to go on. The caller removes the partial file once the
    answers are saved.
    """
    earlier: dict[str, Any] = {}
    start = 0
    if resume:
        if partial is None or not partial.exists():
            raise AnswersError(
                Problem(
                    "there is nothing to resume: no unfinished answers were "
                    "saved here; run `bounceback ask` to start",
                    str(partial or out),
                    code="no-partial",
                )
            )
        raw, _, _ = read_answers(partial)
        earlier, start = resumable_answers(questionnaire, raw, echo)
    try:
        return ask(questionnaire, read, echo, answers=earlier, start=start, review=review)
    except Unfinished as stop:
        kept = "nothing was saved"
        if stop.answers and partial is not None:
            again = "bounceback ask --resume" + (
                "" if out == Path("answers.toml") else f" -o {shlex.quote(str(out))}"
            )
            write(
                partial,
                answers_toml(
                    questionnaire, stop.answers, filename=str(out), resume=again, reached=stop.asked
                ),
            )
            count = len(stop.answers)
            kept = (
                f"your {plural(count, 'answer')} so far {'is' if count == 1 else 'are'} saved in {partial}; "
                f"to go on, run: {again}"
            )
        raise AnswersError(
            Problem(f"{stop.where}; {kept}", "<stdin>", field=stop.field, code="incomplete")
        ) from None


def partial_path(out: Path) -> Path:
    """Where ``ask`` keeps the answers of an unfinished questionnaire saved to ``out``:
    ``answers.toml`` → ``answers.partial.toml`` beside it."""
    return out.with_name(f"{out.stem}.partial.toml")
