"""The inventory and the report's inputs for readers: the datasets, their sources and
levels on their own, the inventory at a glance, and the parameters a report ran with
(reports 00 and 01).
"""

from __future__ import annotations

import numbers
from typing import Any

import pandas as pd

from ..rulebook import Rulebook
from .i18n import (
    NP_,
    level_name,
    reading_label,
    reading_name,
    translator,
)
from .names import (
    kind_name,
    plural,
)
from .phrases import count_text, param_text
from .rulebook_names import category_name, criterion_name

__all__ = ["SOURCE_NAMES", "source_name", "inventory_glance", "PARAMETER_NAMES",
           "parameters_frame", "inventory_finding", "inventory_levels_title", "level_counts_frame",
           "datasets_table_frame"]


#: Where a dataset's data come from (the inventory's ``source``): id → message.
SOURCE_NAMES = {
    "leaked": NP_("source", "leaked"), "purchased": NP_("source", "purchased"),
    "open": NP_("source", "open source"), "private": NP_("source", "private party"),
    "government": NP_("source", "government"), "partner": NP_("source", "partner service"),
    "other": NP_("source", "other"),
}


def source_name(source: str, lang: str = "en") -> str:
    """A dataset's source in the language (as written when unknown).

    Examples
    --------
    >>> source_name("leaked", "nl"), source_name("purchased", "en")
    ('datalek', 'purchased')
    """
    if source not in SOURCE_NAMES:
        return source
    return translator(lang).pgettext("source", SOURCE_NAMES[source])


def inventory_glance(n_datasets: int, records: float, distinct: float, linked: int,
                     links: int, sets: int, raised: int, max_set_size: int,
                     lang: str = "en") -> str:
    """Report 00's inventory in one paragraph: sizes, links, combinations judged and raised.

    Examples
    --------
    >>> print(inventory_glance(45, 9e6, 7e6, 40, 257, 311, 23, 3, "nl"))
    De inventaris telt **45 bulkdatasets** met **9.000.000 records** over naar verwachting
    **7 miljoen verschillende personen**. **40** bulkdatasets zijn te koppelen aan ten minste
    één andere, via **257 koppelingen**. Van de **311 combinaties** die zijn beoordeeld (elke
    koppeling, elk onderzoek en elke gekoppelde combinatie van ten hoogste 3 bulkdatasets die
    zwaarder is dan haar gekoppelde delen) komen er **23** samen op een hoger niveau dan elk
    lid afzonderlijk.
    """
    t = translator(lang)
    return t.gettext(
        "The inventory holds **{datasets}** with **{records}** about an expected "
        "**{persons}**. **{linked}** datasets can be linked to at least one other, through "
        "**{links}**. Of the **{sets}** judged (every link, every investigation, and every "
        "linked combination of up to {size} datasets that is heavier than its linked parts), "
        "**{raised}** reach a higher level together than any member alone.").format(
        datasets=plural(n_datasets, "dataset", lang=lang),
        records=plural(records, "record", lang=lang),
        persons=plural(distinct, "distinct person", lang=lang), linked=count_text(linked, t),
        links=plural(links, "link", lang=lang), sets=plural(sets, "exposure set", lang=lang),
        size=count_text(max_set_size, t), raised=count_text(raised, t))


#: The report's parameters, named for readers (context ``parameter``).
PARAMETER_NAMES = {
    "inventory": NP_("parameter", "inventory"),
    "inventory_sha256": NP_("parameter", "inventory SHA-256"),
    "fictional": NP_("parameter", "inventory is fictional"),
    "rulebook": NP_("parameter", "rulebook"),
    "rulebook_sha256": NP_("parameter", "rulebook SHA-256"),
    "illustrative": NP_("parameter", "rulebook is an illustrative assumption"),
    "openness": NP_("parameter", "reading of the openness criterion"),
    "include": NP_("parameter", "combinations judged"),
    "seed": NP_("parameter", "seed"),
    "k": NP_("parameter", "k: neighbours weighed, in links"),
    "t": NP_("parameter", "t: least link strength that counts"),
    "time_limit": NP_("parameter", "time limit of the solver (seconds)"),
    "use_rate": NP_("parameter", "assumed uses a year of a combination outside the "
                                 "investigations"),
    "horizon_years": NP_("parameter", "horizon of the burden (years)"),
    "dataset_use_rate": NP_("parameter", "assumed uses a year of a dataset that states none"),
    "compliance": NP_("parameter", "share of combination uses authorised beforehand"),
    "max_set_size": NP_("parameter", "largest combination judged (datasets)"),
    "max_sets": NP_("parameter", "most combinations enumerated"),
    "version": NP_("parameter", "bulkimpact version"),
}


def parameters_frame(analysis: Any, lang: str = "en") -> pd.DataFrame:
    """The inputs and parameters of a report as a table (index ``parameter``, column ``value``).

    ``analysis`` is a :class:`bulkimpact.analysis.Analysis`.
    """
    from .. import __version__
    from ..files import sha256
    from ..resources import display_name

    t = translator(lang)
    yes, no = t.gettext("yes"), t.gettext("no")
    rb = analysis.rulebook
    values: dict[str, str] = {
        "inventory": display_name(analysis.inventory_path),
        "inventory_sha256": sha256(analysis.inventory_path),
        "fictional": yes if analysis.inventory.fictional else no,
        "rulebook": display_name(analysis.rulebook_path),
        "rulebook_sha256": sha256(analysis.rulebook_path),
        "illustrative": yes if rb.illustrative else no,
        "openness": f"{reading_name(analysis.openness, lang)}: "
                    f"{reading_label(rb.openness_variants[analysis.openness].label, lang)}",
        "include": t.join([kind_name(k, lang) for k in analysis.include]),
        "seed": str(analysis.seed),
    }
    for k, v in analysis.assessor.params.to_json().items():  # the horizon resolved
        values[k] = param_text(v, t) if isinstance(v, numbers.Real) else str(v)
    values["version"] = __version__
    rows = [(t.pgettext("parameter", PARAMETER_NAMES[k]) if k in PARAMETER_NAMES else k, v)
            for k, v in values.items()]
    return pd.DataFrame(rows, columns=["parameter", "parameter_value"]).set_index("parameter")


def inventory_finding(levels: pd.Series, rulebook: Rulebook, reading: str,
                      lang: str = "en") -> str:
    """Report 01's finding: how many datasets are heavier than the light level on their own,
    and how many are of very slight intrusion. ``levels`` holds each dataset's own level.

    Examples
    --------
    >>> from bulkimpact.examples import toy_rulebook
    >>> lv = pd.Series({"a": 1, "b": 2, "c": 3, "d": 0})
    >>> print(inventory_finding(lv, toy_rulebook(), "ctivd"))
    Judged each on its own nature, as the Tijdelijke regeling prescribes (here with the
    illustrative rulebook), 2 of 4 datasets sit in a regime heavier than light under the CTIVD
    reading; 2 are of very slight intrusion (1 outside the regime, 1 light).
    """
    t = translator(lang)
    low = rulebook.low_intrusion_level
    light = level_name(rulebook.levels[low].name, lang)
    heavier = int((levels > low).sum())
    slight = levels[levels <= low]
    # TRANSLATORS: {heavier} is a number; {datasets} "N datasets" (all); {light} the name of
    # the lightest level with personal data; {reading} the reading's name; {slight},
    # {outside} and {light_count} numbers.
    return t.gettext(
        "Judged each on its own nature, in line with the Tijdelijke regeling, {heavier} of "
        "{datasets} sit in a regime heavier than {light} under the {reading}; {slight} are of "
        "very slight intrusion ({outside} outside the regime, {light_count} {light}).").format(
        heavier=count_text(heavier, t), datasets=plural(len(levels), "dataset", lang=lang),
        light=light, reading=reading_name(reading, lang), slight=count_text(len(slight), t),
        outside=count_text(int((slight < low).sum()), t),
        light_count=count_text(int((slight == low).sum()), t))


def inventory_levels_title(levels: pd.DataFrame, rulebook: Rulebook, lang: str = "en") -> str:
    """Title of report 01's levels figure: the reading that places most datasets above light.

    ``levels`` has one column per reading (each dataset's own level).
    """
    t = translator(lang)
    low = rulebook.low_intrusion_level
    heavy = {v: int((levels[v] > low).sum()) for v in levels.columns}
    most = max(heavy, key=heavy.get)
    # TRANSLATORS: {datasets} is "N datasets"; {light} a level's name; {reading} a reading's.
    return t.gettext("{datasets} are above the {light} level under the {reading}, the most "
                     "of any reading").format(datasets=plural(heavy[most], "dataset", lang=lang),
                                       light=level_name(rulebook.levels[low].name, lang),
                                       reading=reading_name(most, lang))


def level_counts_frame(levels: pd.DataFrame, rulebook: Rulebook) -> pd.DataFrame:
    """Datasets per level (index ``level``, names) and reading (columns ``(reading, count)``)."""
    names = [lv.name for lv in rulebook.levels]
    counts = {(v, "dataset_count"): levels[v].value_counts().reindex(range(len(names)),
                                                                     fill_value=0).to_numpy()
              for v in levels.columns}
    frame = pd.DataFrame(counts, index=pd.Index(names, name="level"))
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    return frame


def datasets_table_frame(analysis: Any, lang: str = "en") -> pd.DataFrame:
    """Report 01's datasets for the page: heaviest first, categories and criteria by name.

    Index ``dataset``; columns ``source``, ``persons``, ``public``, ``identifiable``,
    ``level``, ``categories``, ``criteria``.
    """

    G, rb = analysis.graph, analysis.rulebook
    rows = []
    for d in analysis.inventory.datasets:
        node = G.nodes[d.id]
        rows.append({
            "dataset": d.id, "source": source_name(d.source, lang), "persons": d.persons,
            "public": bool(node["public"]), "identifiable": bool(node["identifiable"]),
            "level": rb.levels[node["level"]].name, "_level": node["level"],
            "categories": ", ".join(category_name(c, lang) for c in node["categories"]),
            "criteria": "; ".join(criterion_name(rb, r, lang) for r in node["rules"]) or "–",
        })
    frame = pd.DataFrame(rows).sort_values(["_level", "persons"], ascending=False, kind="stable")
    return frame.drop(columns="_level").set_index("dataset")
