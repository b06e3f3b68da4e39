"""Control characters kept away from terminals and text files: the one sanitiser.

Answers, pack text, participant ids and error messages quoting them are text from outside.
Printed raw, a control character drives the terminal (ESC sequences retitle the window, clear
the screen or rewrite what was shown; BEL, backspace and C1 codes such as CSI do the same on
many terminals) and a text file carries it to whoever opens it. Everything bounceback prints
or writes as text goes through :func:`neutralise`; JSON escapes them instead
(:func:`escape_for_json`), so its data is unchanged.

Control characters here are C0 (U+0000–U+001F) but the tab and the newline (and a carriage
return that ends a line, as in ``\\r\\n``), DEL (U+007F) and C1 (U+0080–U+009F).
"""

from __future__ import annotations

import re

#: A control character that is not a tab, a newline or the CR of a CRLF line ending.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
#: What :func:`neutralise` replaces: a control character, or a lone surrogate (a byte that was
#: not UTF-8, which no terminal or file could be given).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
#: What stands for a control character in text: the replacement character.
REPLACEMENT = "\ufffd"


def neutralise(text: str) -> str:
    """``text`` with each control character (and lone surrogate) replaced by U+FFFD (shown as
    ``�``)."""
    if text.isprintable():  # the common case, in C: no control character at all
        return text
    return _UNWRITABLE.sub(REPLACEMENT, text)


def escape_for_json(text: str) -> str:
    """JSON text (from :func:`json.dumps`, which escapes C0 but leaves DEL and C1 raw when
    ``ensure_ascii=False``) with every control character written as a ``\\u`` escape: the same
    data, nothing a terminal acts on. Raw control characters can only be inside strings."""
    if text.isprintable():
        return text
    return CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def first_control(text: str) -> str | None:
    """The first control character of ``text`` as ``U+001B``, or ``None``."""
    if text.isprintable():
        return None
    match = CONTROL.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"
