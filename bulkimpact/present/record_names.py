"""The record level's words: fields that link records, how a pair stands in the worlds and
the graph, the counts a flag names, and why a dataset is not realised, in the reader's
language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..synth.reconcile import (
    APART,
    BOTH,
    FEW_LINKS,
    NOT_REALISED,
    OTHER,
    QI_THRESHOLD,
    UNREALISABLE,
)
from .i18n import NP_, translator

__all__ = ["STATUS_NAMES", "FIELD_NAMES", "FLAG_NAMES", "status_name", "field_names",
           "flag_names", "reason_text"]


#: The pair statuses of :func:`bulkimpact.synth.reconcile.compare_with_graph`, as readers
#: see them: status → message.
STATUS_NAMES = {
    BOTH: NP_("pair status", "realised and in the graph"),
    QI_THRESHOLD: NP_("pair status", "realised, not in the graph: quasi-identifiers too rarely "
                                     "unique at full size"),
    FEW_LINKS: NP_("pair status", "realised, not in the graph: fewer expected links than the "
                                  "minimum"),
    OTHER: NP_("pair status", "realised, not in the graph: other"),
    NOT_REALISED: NP_("pair status", "in the graph, not realised: a dataset is not realised"),
    APART: NP_("pair status", "in the graph, not realised: the datasets are realised in "
                              "different worlds"),
    UNREALISABLE: NP_("pair status", "in the graph, not realised: linked only through fields "
                                     "the world lacks"),
}


#: Fields that link records (keys and quasi-identifiers), named for readers: id → message.
FIELD_NAMES = {
    "date_of_birth": NP_("field", "date of birth"), "birth_year": NP_("field", "year of birth"),
    "pc4": NP_("field", "postcode (4 digits)"), "postcode": NP_("field", "postcode"),
    "sex": NP_("field", "sex"), "email": NP_("field", "e-mail"), "phone": NP_("field", "phone"),
    "ip": NP_("field", "IP address"), "iban": NP_("field", "IBAN"),
    "username": NP_("field", "user name"), "device": NP_("field", "device"),
    "passport": NP_("field", "passport number"),
    "licence_plate": NP_("field", "licence plate"),
    "name_dob": NP_("field", "name and date of birth"),
}


#: The counts a flag names (``overlap``, ``links``, ``false links``): id → message.
FLAG_NAMES = {"overlap": NP_("flag", "shared persons"), "links": NP_("flag", "links"),
              "false links": NP_("flag", "false links")}


def status_name(status: str, lang: str = "en") -> str:
    """A pair status in the language (as given when unknown).

    Examples
    --------
    >>> status_name(BOTH, "nl")
    'gerealiseerd en in de koppelgraaf'
    """
    if status not in STATUS_NAMES:
        return status
    return translator(lang).pgettext("pair status", STATUS_NAMES[status])


def field_names(fields: str, lang: str = "en", sep: str = " + ") -> str:
    """Field ids (``"date_of_birth,pc4"`` or ``"date_of_birth + pc4"``) named in the language.

    Examples
    --------
    >>> field_names("date_of_birth,pc4", "nl"), field_names("sex + postcode", "en")
    ('geboortedatum + postcode (4 cijfers)', 'sex + postcode')
    """
    t = translator(lang)
    ids = [f.strip() for f in fields.replace(" + ", ",").split(",") if f.strip()]
    return sep.join(t.pgettext("field", FIELD_NAMES[f]) if f in FIELD_NAMES else f for f in ids)


def flag_names(flag: str, lang: str = "en") -> str:
    """A pair's flag (``"overlap, links"``) in the language ("" when none)."""
    t = translator(lang)
    ids = [f.strip() for f in flag.split(",") if f.strip()]
    return ", ".join(t.pgettext("flag", FLAG_NAMES[f]) if f in FLAG_NAMES else f for f in ids)


def reason_text(row: Mapping[str, Any], lang: str = "en") -> str:
    """Why a dataset is not realised, in the language, from the validation's facts
    (:data:`bulkimpact.synth.validate.REALISED`); in English as the validation words it.

    Examples
    --------
    >>> reason_text({"reason": "population 'region_a' lies outside 'nl_residents'",
    ...              "reason_kind": "outside", "population": "region_a",
    ...              "reason_world": "nl_residents"}, "nl")
    'populatie region_a valt buiten nl_residents'
    >>> print(reason_text({"reason": "fewer than one synthetic person: …",
    ...                    "reason_kind": "fewer", "reason_ratio": 596_667,
    ...                    "reason_expected": 0.00067}, "nl"))  # doctest: +NORMALIZE_WHITESPACE
    minder dan één synthetische persoon: bij één synthetische persoon per 596.667 echte blijft
    er 0,00067 over
    """
    if lang == "en":
        return str(row["reason"])
    t = translator(lang)
    kind = row.get("reason_kind")
    if kind == "outside":
        return t.gettext("population {population} lies outside {reference}").format(
            population=row["population"], reference=row["reason_world"])
    if kind == "fewer":
        return t.gettext("fewer than one synthetic person: at one synthetic person per {ratio} "
                         "real ones, {expected} remain").format(
            ratio=t.number(round(row["reason_ratio"])),
            expected=t.significant(row["reason_expected"], 2))
    if kind == "not_realised":
        return t.gettext("not realised")
    return str(row["reason"])
