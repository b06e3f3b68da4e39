"""The forms a placeholder can show its answer in (``${id!form}``): ``first``, the first name
of a full name, for a greeting; ``months``, a number of months as a duration reads ("3
months", "a year", "more than two years")."""

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
    that does not start with a capital letter (``the hiring team``). A title before a full name
    keeps the title and the family name: ``Dr. Pieter Botha`` is ``Dr. Botha``."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return name
    first = words[0]
    bare = first.rstrip(".")
    if bare.lower() in TITLES:
        return f"{first} {words[-1]}" if len(words) >= 3 and words[-1][:1].isupper() else name
    if len(bare) < 2 or not bare[0].isupper() or not bare.replace("-", "").replace("'", "").isalpha():
        return name
    return first


#: Whole years in words, from one.
YEARS = (
    "a year",
    "two years",
    "three years",
    "four years",
    "five years",
    "six years",
    "seven years",
    "eight years",
    "nine years",
    "ten years",
)


def months_duration(text: str) -> str:
    """A number of months as a duration reads: ``1 month``, ``11 months``, then in years, whole
    or "more than": ``12`` is ``a year``, ``30`` is ``more than two years`` (text that is not a
    whole number is kept as it is)."""
    try:
        months = int(text)
    except ValueError:
        return text
    if months < 12:
        return f"{months} month" if months == 1 else f"{months} months"
    years, rest = divmod(months, 12)
    whole = YEARS[years - 1] if years <= len(YEARS) else f"{years} years"
    return whole if rest == 0 else f"more than {whole}"


#: The forms a placeholder can show its answer in (``${id!form}``).
FORMS_OF: dict[str, Callable[[str], str]] = {"first": first_name, "months": months_duration}
