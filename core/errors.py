"""Errors that bounceback reports to people, as opposed to bugs.

Every error a user can cause (a bad answers file, a broken pack, a wrong option) is a
:class:`BouncebackError` carrying one or more :class:`Problem` records. The CLI prints them and
exits with status 2; anything else that escapes is a bug and exits with status 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

import attrs


@attrs.frozen
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    message: str
    source: str | None = None  # file name (or "<stdin>", "row 12")
    line: int | None = None
    field: str | None = None  # question id, rule id, column...
    code: str = "invalid"

    def location(self) -> str:
        """``file:line`` (whichever parts are known), or an empty string."""
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return where

    def __str__(self) -> str:
        parts = [p for p in (self.location(), self.field) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record (used by ``--format json`` and batch error records)."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


class Located(Protocol):
    """Where a problem can be located: a pack, by its source and the line of one of its keys."""

    @property
    def source(self) -> str: ...

    def line_of(self, key: str) -> int | None: ...


@attrs.define
class ProblemLog:
    """Problems collected while checking packs, so that every one is reported at once."""

    problems: list[Problem] = attrs.Factory(list)

    def add(self, pack: Located, message: str, key: str | None, field: str | None, code: str) -> None:
        """Record a problem in ``pack`` at the line of ``key`` (no line when ``key`` is ``None``)."""
        line = pack.line_of(key) if key else None
        self.problems.append(Problem(message, pack.source, line, field, code))


class BouncebackError(Exception):
    """An input or usage error: one or more problems, all reported at once."""

    exit_code = 2

    def __init__(self, problems: Problem | str | Sequence[Problem]):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class AnswersError(BouncebackError):
    """The answers to the questionnaire are invalid."""


class PackError(BouncebackError):
    """A content pack is malformed or inconsistent."""


class PluginError(BouncebackError):
    """A plugin failed and ``strict`` mode made it fatal."""


def did_you_mean(word: str, choices: Iterable[str], *, key: Callable[[str], str] | None = None) -> str:
    """A `` (did you mean 'x'?)`` suffix for the closest choice, or ``""``; ``key`` gives the
    part of a word and of each choice to compare (the choice itself is suggested)."""
    part = key or (lambda text: text)
    by_part = {part(choice): choice for choice in choices}
    close = difflib.get_close_matches(part(word), list(by_part), n=1, cutoff=0.6)
    return f" (did you mean {by_part[close[0]]!r}?)" if close else ""


def plural(count: int, word: str) -> str:
    """``1 rule``, ``2 rules``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
