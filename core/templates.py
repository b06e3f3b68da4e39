"""Pack texts: placeholders, number-aware wording, optional and conditional segments.

A text (a rule's ``why`` or an action, a draft's title, subject or body) is parsed once into a
small tree, checked against the questionnaire when the packs load, and compiled with the rest
of the rule (see :meth:`bounceback.ruleset.RuleSet.texts`). The syntax:

``${id}`` / ``${id|fallback}``
    the answer to question ``id`` (the fallback, or ``[id]``, when it is unanswered);
``${id!first}`` / ``${id!first|fallback}``
    the answer in a form (:data:`~bounceback.answerforms.FORMS_OF`): ``first`` is the first name of a full name, for a
    greeting (``Karen O'Neill`` reads ``Karen``; ``Dr Karen O'Neill``, ``K. O'Neill`` and
    ``O'Neill, Karen`` read as written);
``${id:one/other}`` / ``${id:zero/one/other}``
    number-aware wording for a number or scale answer: the form for 1, for 0 (when given) or
    for any other number, with each ``#`` replaced by the number
    (``${months_searching:# month/# months|several months}``);
``$[ ... ]`` / ``$[ ... | otherwise ]``
    an optional segment, shown only when every placeholder directly in it is answered;
``$[if COND: ... ]`` / ``$[if COND: ... | if COND2: ... | otherwise]``
    the first part whose condition (the condition language of ``when``) holds;
``$$``, ``$[``-free escapes ``$]`` and ``$|``
    a literal ``$``, ``]`` and ``|``.

Filling is a plain lookup of an answer by id: no attribute access, indexing or format specs are
possible (unlike :meth:`str.format`), whatever the pack or the person wrote, and what an answer
contains is never read again. Conditions are never run from here: whoever renders a text passes
``holds``, which decides a condition given its source (the compiled program or the interpreter).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence

import attrs

from .answerforms import FORMS_OF
from .model import Variant, Wording

ID = re.compile(r"[a-z][a-z0-9_]*")
#: The most forms a number-aware placeholder may have (zero, one, other).
FORMS = 3


class TextError(ValueError):
    """A pack text is malformed; ``messages`` say where and what was expected."""

    def __init__(self, messages: Sequence[str]):
        self.messages = tuple(messages)
        super().__init__("; ".join(self.messages))


@attrs.frozen
class Slot:
    """``${name}``, ``${name|fallback}``, or either with a form: ``${name!first}``."""

    name: str
    fallback: str | None = None
    form: str | None = None

    @property
    def otherwise(self) -> str:
        """What the slot reads when the question is unanswered."""
        return self.fallback if self.fallback is not None else f"[{self.name.replace('_', ' ')}]"


@attrs.frozen
class Plural:
    """``${name:one/other}`` or ``${name:zero/one/other}``, with an optional ``|fallback``."""

    name: str
    one: str
    other: str
    zero: str | None = None
    fallback: str | None = None

    @property
    def otherwise(self) -> str:
        """What the slot reads when the question is unanswered."""
        return self.fallback if self.fallback is not None else f"[{self.name.replace('_', ' ')}]"


@attrs.frozen
class Optional:
    """``$[body | otherwise]``: ``body`` when every placeholder directly in it is answered."""

    body: Seq
    otherwise: Seq = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The questions that must be answered for the body to show."""
        return tuple(dict.fromkeys(n.name for n in self.body if isinstance(n, (Slot, Plural))))


@attrs.frozen
class Choice:
    """Parts with conditions (source text, ``None`` for the last, unconditional one): the
    first that holds is shown; nothing when none does."""

    branches: tuple[tuple[str | None, Seq], ...]


Node = str | Slot | Plural | Optional | Choice
Seq = tuple[Node, ...]


# -- parsing ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Seq:
    """``text`` as a tree; raise :class:`TextError` if it is malformed."""
    parser = _Parser(text)
    seq = parser.seq(top=True)
    return seq


def parse_wording(wording: Wording) -> Seq:
    """A text field (a string, or variants chosen by condition) as one tree."""
    if isinstance(wording, str):
        return parse(wording)
    return (Choice(tuple((v.when, parse(v.text)) for v in wording)),)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def error(self, message: str, at: int | None = None) -> TextError:
        at = self.pos if at is None else at
        return TextError([f"{message} (at character {at + 1})"])

    def seq(self, *, top: bool = False) -> Seq:
        """Nodes up to the end (``top``) or up to an unescaped ``|`` or ``]`` of a segment."""
        text = self.text
        out: list[Node] = []
        literal: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if not top and char in "|]":
                break
            if char != "$":
                literal.append(char)
                self.pos += 1
                continue
            nxt = text[self.pos + 1 : self.pos + 2]
            if nxt in ("$", "]", "|"):
                literal.append(nxt)
                self.pos += 2
            elif nxt == "{":
                out.append("".join(literal))
                literal = []
                out.append(self.placeholder())
            elif nxt == "[":
                out.append("".join(literal))
                literal = []
                out.append(self.segment())
            else:
                literal.append(char)
                self.pos += 1
        out.append("".join(literal))
        return tuple(n for n in _merge(out) if n != "")

    def placeholder(self) -> Node:
        start = self.pos
        end = self.text.find("}", start)
        if end < 0:
            raise self.error("'${' without a closing '}'", start)
        inner = self.text[start + 2 : end]
        self.pos = end + 1
        if "{" in inner or "$" in inner:
            raise self.error(f"placeholder ${{{inner}}} may not contain '{{' or '$'", start)
        head, bar, fallback = inner.partition("|")
        name, colon, forms = head.partition(":")
        name, bang, form = name.partition("!")
        if not ID.fullmatch(name):
            raise self.error(
                f"placeholder ${{{inner}}} is not ${{id}}, ${{id|fallback}}, "
                "${id!form} or ${id:one/other}: an id is lower-case letters, digits "
                "and '_', and nothing else may follow it",
                start,
            )
        if bang and (colon or form not in FORMS_OF):
            raise self.error(
                f"placeholder ${{{inner}}}: a form after '!' is one of "
                f"{', '.join(sorted(FORMS_OF))}, and number-aware wording takes none",
                start,
            )
        if not colon:
            return Slot(name, fallback if bar else None, form if bang else None)
        parts = forms.split("/")
        if not 2 <= len(parts) <= FORMS or not all(p.strip() for p in parts):
            raise self.error(
                f"number-aware placeholder ${{{inner}}} needs 2 or 3 non-empty forms "
                "separated by '/': one/other or zero/one/other, '#' for the number",
                start,
            )
        zero = parts[0] if len(parts) == FORMS else None
        return Plural(name, parts[-2], parts[-1], zero, fallback if bar else None)

    def segment(self) -> Node:
        start = self.pos
        self.pos += 2
        branches: list[tuple[str | None, Seq]] = []
        conditional = None
        while True:
            when = self.condition()
            if conditional is None:
                conditional = when is not None
            elif conditional and branches[-1][0] is None:
                raise self.error("in $[if ...], only the last part may be without 'if'", start)
            elif not conditional and when is not None:
                raise self.error(
                    "an optional segment $[...|...] cannot have 'if' parts; start it with 'if' instead", start
                )
            branches.append((when, self.seq()))
            if self.pos >= len(self.text):
                raise self.error("'$[' without a closing ']'", start)
            closing = self.text[self.pos]
            self.pos += 1
            if closing == "]":
                break
        if conditional:
            return Choice(tuple(branches))
        if len(branches) > 2:
            raise self.error("an optional segment has at most one '|' (the text used otherwise)", start)
        body = branches[0][1]
        if not any(isinstance(n, (Slot, Plural)) for n in body):
            raise self.error(
                "an optional segment $[...] needs a placeholder in it: it is shown "
                "only when its placeholders are answered",
                start,
            )
        return Optional(body, branches[1][1] if len(branches) > 1 else ())

    def condition(self) -> str | None:
        """``COND`` of an ``if COND:`` at the cursor (moved past the ``:``), or ``None``."""
        match = re.compile(r"\s*if\s").match(self.text, self.pos)
        if not match:
            return None
        start, depth, quote = match.end(), 0, ""
        for i in range(start, len(self.text)):
            char = self.text[i]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char in "([":
                depth += 1
            elif char in ")]":
                depth -= 1
            elif char == ":" and depth == 0:
                source = self.text[start:i].strip()
                if not source:
                    raise self.error("'if' without a condition", match.start())
                self.pos = i + 1  # the text is exactly what follows the ':', spaces included
                return source
        raise self.error("'$[if' needs a ':' after its condition", match.start())


def _merge(nodes: Sequence[Node]) -> Iterator[Node]:
    """Adjacent literal strings joined."""
    pending: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            pending.append(node)
            continue
        if pending:
            yield "".join(pending)
            pending = []
        yield node
    if pending:
        yield "".join(pending)


# -- reading a tree ---------------------------------------------------------------------------


def positions(seq: Seq) -> Iterator[tuple[Seq, int]]:
    """Where every node of ``seq`` stands, nested ones included, in text order: the sequence
    holding it and its index there."""
    for i, node in enumerate(seq):
        yield seq, i
        if isinstance(node, Optional):
            yield from positions(node.body)
            yield from positions(node.otherwise)
        elif isinstance(node, Choice):
            for _, branch in node.branches:
                yield from positions(branch)


def walk(seq: Seq) -> Iterator[Node]:
    """Every node of ``seq``, nested ones included, in text order."""
    for part, i in positions(seq):
        yield part[i]


def conditions(seq: Seq) -> list[str]:
    """The source of every condition in ``seq``, in text order, without repeats."""
    return list(
        dict.fromkeys(w for n in walk(seq) if isinstance(n, Choice) for w, _ in n.branches if w is not None)
    )


def placeholders(text: str | Seq) -> list[tuple[str, str | None]]:
    """``(question id, fallback or None)`` for each placeholder in ``text``, in order."""
    seq = parse(text) if isinstance(text, str) else text
    return [(n.name, n.fallback) for n in walk(seq) if isinstance(n, (Slot, Plural))]


def unguarded(
    seq: Seq,
    answered: Callable[[str | None], frozenset[str]] = lambda _: frozenset(),
    known: frozenset[str] = frozenset(),
) -> Iterator[Slot | Plural]:
    """The placeholders of ``seq`` without a fallback whose question may be unanswered where
    they show: outside an optional segment naming them, and outside a condition that implies
    they are answered (``answered(condition source)`` says which questions a condition implies
    are answered; ``known`` are answered anyway)."""
    for node in seq:
        if isinstance(node, (Slot, Plural)):
            if node.fallback is None and node.name not in known:
                yield node
        elif isinstance(node, Optional):
            yield from unguarded(node.body, answered, known | frozenset(node.names))
            yield from unguarded(node.otherwise, answered, known)
        elif isinstance(node, Choice):
            for when, branch in node.branches:
                yield from unguarded(branch, answered, known | answered(when))


def variants(wording: Wording) -> tuple[Variant, ...]:
    """A text field as variants (a plain string is one unconditional variant)."""
    return (Variant(None, wording),) if isinstance(wording, str) else wording


def source(wording: Wording) -> str:
    """The text a field shows when no condition is known: a plain string, or its last
    (fallback) variant."""
    return wording if isinstance(wording, str) else wording[-1].text
