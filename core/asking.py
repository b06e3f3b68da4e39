"""Asking the questionnaire in a terminal: :func:`ask` asks the questions one by one through a
``read`` function (``click.prompt`` in the CLI, a list of lines in tests), checking each answer
with :func:`~bounceback.questionnaire.parse_answer`, the same rules as answers files and CSV
cells. The answers file it saves is written by :mod:`bounceback.answersfile`; an unfinished
questionnaire is kept and resumed by :mod:`bounceback.resuming`.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Mapping
from typing import IO, Any

import click

from .errors import AnswersError, Problem, plural
from .model import Question
from .questionnaire import Questionnaire, parse_answer
from .render.questionnaire import ordered, section_title, wrapped

Read = Callable[[str], str]
Echo = Callable[[str], None]


def question_lines(question: Question, number: int, total: int) -> list[str]:
    """What is shown before the answer prompt: the question, its options and how to answer."""
    lines = [f"[{number}/{total}] {question.prompt}" + ("" if question.required else "  (optional)")]
    lines += [f"      {line}" for line in question.help.strip().splitlines()]
    if question.options:
        lines += wrapped(
            [f"{n}) {question.label(o)}" for n, o in enumerate(question.options, 1)], "      ", sep="  "
        )
        lines.append(
            "      Type a number or the answer in words"
            + ("; several separated by commas." if question.kind == "multi" else ".")
        )
    elif question.kind == "bool":
        lines.append("      yes or no")
    elif question.kind == "scale":  # a pack cannot load a scale without both bounds
        lines.append(
            "      "
            + (question.anchor_text(" … ") or f"{question.min:g} = not at all … {question.max:g} = very much")
        )
    elif question.kind == "number":
        lines.append(f"      {question.describe_allowed()}")
    return lines


def from_prompt(question: Question, text: str) -> Any:
    """The answer typed at a prompt, validated; option numbers stand for their options.

    Raises :class:`ValueError` with the reason, like :func:`parse_answer`.
    """
    if question.kind not in ("choice", "multi"):
        return parse_answer(question, text)

    def option(token: str) -> str:
        token = token.strip()
        if token.isdigit() and 1 <= int(token) <= len(question.options):
            return question.options[int(token) - 1]
        return token

    if question.kind == "choice":
        return parse_answer(question, option(text))
    return parse_answer(question, ";".join(option(t) for t in re.split(r"[,;]", text)))


#: Typed at any prompt but the first: go back to the previous question.
BACK_WORDS = frozenset({"<", "back"})
_LEADING_NUMBER = re.compile(r"\s*(\d{1,15})\s*[^\d\s.,].*", re.S)


class Back(Exception):
    """The person typed ``<`` (or ``back``) to return to the previous question."""


def lenient_number(question: Question, text: str) -> int | None:
    """The whole number an answer such as ``"3 days"`` starts with, for a number or scale
    question, if it is allowed there; ``None`` otherwise."""
    match = _LEADING_NUMBER.fullmatch(text) if question.kind in ("number", "scale") else None
    if match is None:
        return None
    try:
        number: int | None = parse_answer(question, match.group(1))
        return number
    except ValueError:
        return None


def ask_one(
    question: Question,
    number: int,
    total: int,
    read: Read,
    echo: Echo,
    conflict: Callable[[Any], str | None] = lambda value: None,
) -> Any:
    """Ask one question until the answer is valid; ``None`` when an optional one is skipped.

    ``conflict(value)`` says how an answer contradicts earlier ones (``None`` if it does not);
    such an answer is asked again. A number followed by words ("3 days") is taken as that
    number once the person confirms it. :class:`Back` is raised when the person types ``<``
    or ``back`` (except at the first question).
    """
    for line in question_lines(question, number, total):
        echo(line)
    label = "    answer" if question.required else "    answer (Enter to skip)"
    pending: str | None = None
    while True:
        text, pending = (read(label) if pending is None else pending), None
        if text.strip().lower() in BACK_WORDS:
            if number > 1:
                raise Back
            echo("    This is the first question: there is nothing to go back to.")
            continue
        try:
            value = from_prompt(question, text)
        except ValueError as exc:
            value = lenient_number(question, text)
            if value is None:
                echo(f"    Sorry, that doesn't fit: {exc}. Please try again.")
                continue
            reply = read(f"    Taking that as {value}. Press Enter if that's right, or type the answer")
            if reply.strip() and reply.strip().lower() not in ("y", "yes"):
                pending = reply
                continue
        if value is None and question.required:
            echo(f"    This one needs an answer: {question.describe_allowed()}.")
            continue
        problem = conflict(value)
        if problem is not None:
            echo(f"    That doesn't fit an earlier answer: {problem}. Please try again.")
            continue
        return value


def prepare_input(stdin: IO[str] | None) -> bool:
    """Get standard input ready for answers; return whether it is a terminal.

    A closed standard input is an :class:`AnswersError`. Bytes that are not UTF-8 are read
    (as lone surrogates) instead of failing, so that the answer holding them is asked again
    (:func:`~bounceback.questionnaire.parse_answer` refuses it) and no answer is lost. On a
    terminal, line editing and history come from :mod:`readline` where Python has it
    (imported only here, which keeps start-up fast): arrow keys move the cursor instead of
    typing escape codes into the answer.
    """
    if stdin is None:
        raise AnswersError(
            Problem(
                "standard input is closed, so no answer can be typed; run "
                "`bounceback ask` in a terminal or pipe the answers in",
                "<stdin>",
                code="closed",
            )
        )
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="surrogateescape")
    interactive = stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (input() edits lines once it is imported)
    return interactive


class Unfinished(Exception):
    """The person stopped (Ctrl-C, end of input) before saving: the answers given so far.

    ``asked`` is how many questions (in asking order) were reached before the one being
    asked; it equals ``total`` when the person stopped at the review of their answers.
    """

    def __init__(self, answers: dict[str, Any], asked: int, total: int, field: str | None) -> None:
        self.answers, self.asked, self.total, self.field = answers, asked, total, field
        super().__init__(self.where)

    @property
    def where(self) -> str:
        """Where asking stopped, in words."""
        return (
            f"stopped at question {self.asked + 1} of {self.total}"
            if self.asked < self.total
            else "stopped at the review of your answers"
        )


#: Typed at the review: save the answers.
SAVE_WORDS = frozenset({"", "y", "yes", "save"})


def ask(
    questionnaire: Questionnaire,
    read: Read,
    echo: Echo,
    *,
    answers: Mapping[str, Any] | None = None,
    start: int = 0,
    review: bool = False,
) -> dict[str, Any]:
    """Ask every question, section by section; return the answers (skipped ones left out).

    Typing ``<`` or ``back`` returns to the previous question. ``answers`` (validated values,
    e.g. from :func:`resumable_answers`) are kept, and asking starts at question index
    ``start``. With ``review``, the answers are listed at the end and the person may change
    any of them by its number before they are returned. If ``read`` raises
    :class:`click.Abort` (end of input, Ctrl-C), :class:`Unfinished` carries the answers so far.
    The answers are validated as a whole before returning.
    """
    questions = ordered(questionnaire)
    sections = questionnaire.sections()
    numbers = {section: n for n, (section, _) in enumerate(sections, 1)}
    given: dict[str, Any] = dict(answers or {})
    index, shown = min(start, len(questions)), None
    if index:
        echo(
            f"Going on from question {index + 1} of {len(questions)}, with your "
            f"{plural(len(given), 'earlier answer')} kept (type < to go back to them)."
        )

    def conflict(question: Question, value: Any) -> str | None:
        broken = [
            c for c in questionnaire.broken({**given, question.id: value}) if question.id in c.questions
        ]
        return broken[0].check.message if broken else None

    def answer(index: int) -> None:
        question = questions[index]
        value = ask_one(
            question, index + 1, len(questions), read, echo, functools.partial(conflict, question)
        )
        given.pop(question.id, None)
        if value is not None:
            given[question.id] = list(value) if isinstance(value, tuple) else value

    try:
        while index < len(questions):
            question = questions[index]
            if question.section != shown:
                shown = question.section
                echo("")
                echo(f"== {section_title(shown)} ({numbers[shown]} of {len(sections)}) ==")
            echo("")
            try:
                answer(index)
            except Back:
                index -= 1
                echo(
                    f"    Back to question {index + 1}"
                    + (
                        f" (your answer was: {_shown_answer(given[questions[index].id])})"
                        if questions[index].id in given
                        else ""
                    )
                    + "."
                )
                continue
            index += 1
        while review and (change := _review(questions, given, read, echo)) is not None:
            echo("")
            with contextlib.suppress(Back):  # back from a changed answer: to the list again
                answer(change)
    except click.Abort:
        echo("")  # end the unanswered prompt's line, so what is said next starts a line of its own
        field = questions[index].id if index < len(questions) else None
        raise Unfinished(given, index, len(questions), field) from None
    questionnaire.validate(given, source="<stdin>")
    return given


def _review(questions: list[Question], answers: Mapping[str, Any], read: Read, echo: Echo) -> int | None:
    """List the answers; return the index of the one the person wants to change, or ``None``
    to save them."""
    echo("")
    echo("== Your answers ==")
    for number, question in enumerate(questions, 1):
        value = answers.get(question.id)
        echo(f"{number:>4}. {question.prompt}")
        echo(f"        {'(skipped)' if value is None else _shown_answer(value)}")
    echo("")
    while True:
        text = read("Press Enter to save these answers, or type a number to change that answer")
        choice = text.strip().lower()
        if choice in SAVE_WORDS:
            return None
        if choice.isdigit() and 1 <= int(choice) <= len(questions):
            return int(choice) - 1
        echo(f"    Type a number from 1 to {len(questions)}, or press Enter to save.")


def _shown_answer(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(value) if isinstance(value, list) else str(value)
