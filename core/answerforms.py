"""The forms a placeholder can show its answer in (``${id!form}``): ``first``, the first name
of a full name, for a greeting."""

from __future__ import annotations

from collections.abc import Callable

#: Words before a name that make it formal: a name starting with one is greeted as written.
TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "herr",
        "frau",
        "mme",
        "mlle",
        "sr",
        "sra",
        "srta",
        "dott",
        "ing",
        "mevrouw",
        "meneer",
        "dhr",
        "mevr",
    }
)


def first_name(name: str) -> str:
    """The first name of a full name, for a greeting: ``Karen O'Neill`` is ``Karen``. A name is
    kept as written when taking its first word could be wrong: one word, a title first
    (``Dr Okafor``), an initial (``K. O'Neill``), a comma (``O'Neill, Karen``) or a first word
    that does not start with a capital letter (``the hiring team``)."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return name
    first = words[0]
    bare = first.rstrip(".")
    if (
        len(bare) < 2
        or not bare[0].isupper()
        or not bare.replace("-", "").replace("'", "").isalpha()
        or bare.lower() in TITLES
    ):
        return name
    return first


#: The forms a placeholder can show its answer in (``${id!form}``).
FORMS_OF: dict[str, Callable[[str], str]] = {"first": first_name}
