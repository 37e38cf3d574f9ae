"""Positions as the source documents give them: who holds what, in which words, where.

The table (``bulkimpact/data/positions.yaml``, package data) lists each
position the reports attribute to the CTIVD, the services, the ministers or
the Evaluatiecommissie Wiv 2017, with the exact words of the source, the
document as it identifies itself (kind, date, reference) and the page and
section. The reports cite a row by its id; :func:`citation` writes the source
of a row as a reader cites it.

A memo that reports someone else's position (seed 000 summarises the CTIVD's
report and the draft policy response) is marked ``reported``: the words are
the memo's, the position is the one it reports.

Examples
--------
>>> table = load_positions()
>>> row = table.position("ctivd-datalek-doorgaans")
>>> row.who, row.document
('ctivd', 'nota-2026')
>>> citation("ctivd-datalek-doorgaans", "nl")
'nota aan de minister van BZK, 23 juni 2026, p. 2, Kern, 10e punt'
>>> table.source("nota-2026", "nl")[:76]
'nota aan de minister van BZK (ter ondertekening; gaat over de ontwerp-beleid'
>>> table.position("ctivd-zegt-alles")
Traceback (most recent call last):
...
KeyError: "no position 'ctivd-zegt-alles' in bulkimpact/data/positions.yaml; ...
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from .problems import InputError, problems_from_validation_error, read_yaml
from .resources import package_file

__all__ = ["Document", "Position", "PositionTable", "load_positions", "citation",
           "normalise_quote", "POSITIONS_PATH"]

#: The bundled table, package data.
POSITIONS_PATH = package_file("data/positions.yaml")
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Strict):
    """A text in Dutch and in English."""

    nl: str
    en: str

    def __call__(self, lang: str) -> str:
        if lang not in ("nl", "en"):
            raise ValueError(f"language must be 'nl' or 'en', got {lang!r}")
        return self.nl if lang == "nl" else self.en


class Document(_Strict):
    """A source document as it identifies itself; `seed` is its file name's prefix."""

    seed: str
    kind: Bilingual
    status: Bilingual
    author: Bilingual
    short: Bilingual
    title: str
    date: dt.date
    reference: Bilingual


class Position(_Strict):
    """One position: who holds it, the document's exact words and where they stand."""

    id: str
    who: str
    what: Bilingual
    quote: str
    document: str
    locator: Bilingual
    reported: bool


class PositionTable(_Strict):
    """The documents, the actors and the positions, ids cross-checked on loading."""

    documents: dict[str, Document]
    actors: dict[str, Bilingual]
    positions: list[Position]

    @model_validator(mode="after")
    def _known_ids(self) -> PositionTable:
        seen: set[str] = set()
        for i, p in enumerate(self.positions):
            where = f"positions[{i}] (id {p.id!r})"
            if p.id in seen:
                raise ValueError(f"{where}: the id is used twice")
            seen.add(p.id)
            if p.who not in self.actors:
                raise ValueError(f"{where}: field 'who': {p.who!r} is not one of "
                                 f"{sorted(self.actors)}")
            if p.document not in self.documents:
                raise ValueError(f"{where}: field 'document': {p.document!r} is not one of "
                                 f"{sorted(self.documents)}")
        return self

    def position(self, position_id: str) -> Position:
        """The row `position_id`; a KeyError names the nearest ids when there is none."""
        for p in self.positions:
            if p.id == position_id:
                return p
        near = difflib.get_close_matches(position_id, [p.id for p in self.positions], n=3)
        raise KeyError(f"no position {position_id!r} in bulkimpact/data/positions.yaml; "
                       f"nearest: {', '.join(near) or 'none'}")

    def citation(self, position_id: str, lang: str) -> str:
        """The source of a row as the text cites it: the document in short, page and section."""
        p = self.position(position_id)
        return f"{self.documents[p.document].short(lang)}, {p.locator(lang)}"

    def source(self, document_id: str, lang: str) -> str:
        """A document as it identifies itself, for a list of sources: kind, status, date,
        reference and title."""
        doc = self.documents[document_id]
        date = format_date(doc.date, "d MMMM y", locale=_LOCALES[lang])
        return (f"{doc.kind(lang)} ({doc.status(lang)}), {date}, {doc.reference(lang)}: "
                f"{' '.join(doc.title.split())}")


@lru_cache(maxsize=4)
def load_positions(path: str | Path | None = None) -> PositionTable:
    """Read and check a positions table (the bundled one by default).

    Raises
    ------
    InputError
        The file is not a valid table: every problem names the row and the field.
    """
    path = Path(path) if path is not None else POSITIONS_PATH
    data = read_yaml(path)
    try:
        return PositionTable.model_validate(data)
    except ValidationError as err:
        raise InputError(problems_from_validation_error(str(path), data, err)) from None


def citation(position_id: str, lang: str) -> str:
    """The source of row `position_id` of the bundled table, in `lang`."""
    return load_positions().citation(position_id, lang)


def normalise_quote(text: str) -> str:
    """One space for any run of whitespace and straight apostrophes: how quotes are compared.

    Examples
    --------
    >>> normalise_quote("als ’niet\\n openbaar’  ")
    "als 'niet openbaar'"
    """
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()
