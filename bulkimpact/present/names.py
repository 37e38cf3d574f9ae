"""Names of the things the reports count, in the reader's language: one place, no circle.

Assumptions of the sensitivity analysis (declared in :mod:`bulkimpact.sensitivity`),
headline quantities (:data:`bulkimpact.registry.QUANTITIES`) and kinds of exposure set,
each named through the catalogues. Tables, figures and sentences all import their names
from here, so none of them imports another to name a thing.
"""

from __future__ import annotations

from ..registry import QUANTITIES
from ..sensitivity import ASSUMPTIONS
from .i18n import NOUNS, NP_, persons_figure, plural_count, translator

__all__ = ["ASSUMPTION_NAMES", "QUANTITY_NAMES", "KIND_NAMES", "assumption_name",
           "quantity_name", "kind_name", "plural"]

#: The assumptions of the sensitivity analysis: id → message (context ``assumption``).
ASSUMPTION_NAMES = {k: a.label for k, a in ASSUMPTIONS.items()}

#: The headline quantities (:data:`bulkimpact.registry.QUANTITIES`): id → message.
QUANTITY_NAMES = {k: q.label for k, q in QUANTITIES.items()}

#: Kinds of exposure set: id → message (context ``figure``).
KIND_NAMES = {"edge": NP_("figure", "pairs (one link)"),
              "investigation": NP_("figure", "investigations"),
              "chain": NP_("figure", "chains of 3+ datasets"),
              "k_hop": NP_("figure", "neighbourhoods"),
              "component": NP_("figure", "whole components"),
              "connected_subsets": NP_("figure", "linked subsets")}


def assumption_name(name: str, lang: str = "en") -> str:
    """An assumption of the sensitivity analysis, named in the language (the id when unknown).

    Examples
    --------
    >>> assumption_name("overlap_factor", "nl")
    'overlap tussen bulkdatasets (× 0,5–2)'
    """
    if name not in ASSUMPTION_NAMES:
        return name
    return translator(lang).pgettext("assumption", ASSUMPTION_NAMES[name])


def quantity_name(name: str, lang: str = "en") -> str:
    """A headline quantity of the sensitivity analysis, named in the language."""
    if name not in QUANTITY_NAMES:
        return name
    return translator(lang).pgettext("quantity", QUANTITY_NAMES[name])


def kind_name(kind: str, lang: str = "en") -> str:
    """A kind of exposure set (``edge``, ``chain``, …) by its name in the language.

    Examples
    --------
    >>> kind_name("chain"), kind_name("edge", "nl"), kind_name("other", "nl")
    ('chains of 3+ datasets', 'paren (één koppeling)', 'other')
    """
    return translator(lang).pgettext("figure", KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def plural(n: float, singular: str, plural_form: str | None = None, lang: str = "en") -> str:
    """``"1 dataset"``, ``"3 datasets"``, with the language's thousands separators.

    Nouns in :data:`bulkimpact.present.i18n.NOUNS` take the catalogue's plural
    forms in every language; other English nouns add ``s`` (or take
    ``plural_form``). A noun the catalogue lacks has no Dutch form: asking for
    one raises rather than let English into a Dutch page.

    Examples
    --------
    >>> plural(1, "dataset"), plural(12000, "person")
    ('1 dataset', '12,000 persons')
    >>> plural(1, "dataset", lang="nl"), plural(12000, "distinct person", lang="nl")
    ('1 bulkdataset', '12.000 verschillende personen')

    Expected distinct persons are rounded to what the model supports
    (:func:`bulkimpact.present.i18n.persons_figure`):

    >>> plural(2_514_810, "distinct person", lang="nl")
    'ruim 2,5 miljoen verschillende personen'

    >>> plural(3, "exposure set", lang="nl")
    '3 combinaties'
    """
    t = translator(lang)
    forms = NOUNS.get(singular)
    if forms is not None and (plural_form is None or forms[1] == "{n} " + plural_form):
        # expected distinct persons are model figures: shown as far as the model supports
        shown = persons_figure(n, lang) if singular == "distinct person" else t.number(n)
        return t.ngettext(*forms, n).format(n=shown)
    if lang != "en":
        raise ValueError(f"no {lang!r} plural for {singular!r}: add it to "
                         "bulkimpact.present.i18n.NOUNS and translate it in the catalogue")
    word = singular if plural_count(n) == 1 else (plural_form or singular + "s")
    return f"{t.number(n)} {word}"
