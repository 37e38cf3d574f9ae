"""Look-alike names: ids and names that differ only in how they look are probable duplicates.

Two spellings of one partner (``Example BV`` with a Cyrillic ``Е``, or with
two spaces, or in capitals) count as two partners to a program, and silently
split what should be weighed together. :func:`skeleton` folds a name to what a
reader sees: Unicode compatibility forms (NFKC), case, accents, spacing and
``-``/``_``/``.`` dropped, and every letter that has a Latin look-alike in the
Unicode confusables table (Unicode TR39 data, from the maintained
``confusable-homoglyphs`` package) replaced by it. Names with one skeleton and
different spellings are reported by :func:`probable_duplicates`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from .problems import Problem

__all__ = ["skeleton", "probable_duplicates"]

_DROPPED = frozenset("-_.") | frozenset(" \t\n\r\f\v\u00a0")


@cache
def _latin(char: str) -> str:
    """The ASCII look-alike of one character, or the character itself."""
    if char.isascii():
        return char
    from confusable_homoglyphs.confusables import confusables_data

    for glyph in confusables_data.get(char, ()):
        if glyph["c"].isascii() and glyph["c"].isalnum():
            return glyph["c"].casefold()
    return char


def skeleton(name: str) -> str:
    """What a name looks like: case, accents, spacing and look-alike letters folded.

    Examples
    --------
    >>> skeleton("Example BV") == skeleton("\\u0415xample  bv") == skeleton("example-BV")
    True
    >>> skeleton("Café"), skeleton("ﬁber")
    ('cafe', 'fiber')
    >>> skeleton("Example BV") == skeleton("Examples BV")
    False
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    letters = unicodedata.normalize("NFKD", "".join(_latin(c) for c in folded))
    return "".join(c for c in letters
                   if c not in _DROPPED and not unicodedata.combining(c)).casefold()


def _difference(a: str, b: str) -> str:
    """How two look-alike spellings differ, for the message.

    Examples
    --------
    >>> _difference("Example", "\\u0415xample")
    "'E' (LATIN CAPITAL LETTER E) against 'Е' (CYRILLIC CAPITAL LETTER IE)"
    >>> _difference("Example BV", "example bv")
    'in case, spacing or accents'
    """
    if len(a) == len(b):
        pairs = [(x, y) for x, y in zip(a, b, strict=True)
                 if x != y and x.casefold() != y.casefold()]
        if pairs:
            return "; ".join(f"{x!r} ({unicodedata.name(x, '?')}) against {y!r} "
                             f"({unicodedata.name(y, '?')})" for x, y in pairs[:3])
    return "in case, spacing or accents"


def probable_duplicates(file: str, what: str,
                        named: Iterable[tuple[str, str, str]]) -> list[Problem]:
    """Every spelling that looks like an earlier, different one, as a located problem.

    Parameters
    ----------
    file : str
    what : str
        What the names are (``"partner"``, ``"dataset id"``), for the message.
    named : iterable of (item, field, name)
        Where each name stands and the name; repeats of one spelling are fine.

    Examples
    --------
    >>> found = probable_duplicates("log.yaml", "partner", [
    ...     ("provisions[0]", "partner", "Example BV"), ("provisions[1]", "partner", "Other"),
    ...     ("provisions[2]", "partner", "Example BV"), ("provisions[3]", "partner", "EXAMPLE bv")])
    >>> print(found[0])  # doctest: +NORMALIZE_WHITESPACE
    log.yaml: provisions[3]: field 'partner': looks like partner 'Example BV' (provisions[0])
    but is spelt differently (in case, spacing or accents), so it counts as another; write
    one spelling if they are the same, or tell them apart clearly, got 'EXAMPLE bv'
    >>> len(found)
    1
    """
    first: dict[str, tuple[str, str]] = {}
    spellings: set[str] = set()
    problems = []
    for item, field, name in named:
        if not isinstance(name, str) or name in spellings:
            continue
        spellings.add(name)
        key = skeleton(name)
        if key not in first:
            first[key] = (name, item)
            continue
        earlier, where = first[key]
        problems.append(Problem(
            file, item, field, f"looks like {what} {earlier!r} ({where}) but is spelt "
            f"differently ({_difference(earlier, name)}), so it counts as another; write one "
            "spelling if they are the same, or tell them apart clearly", name))
    return problems
