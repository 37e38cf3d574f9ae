"""The linkage graph in words: its components, the keys that carry its links and every
link as a table (report 02).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .i18n import (
    NP_,
    translator,
)
from .names import (
    plural,
)
from .phrases import count_text

__all__ = ["linkage_title", "linkage_finding", "linkage_alt", "components_text", "channels",
           "channel_title", "channel_alt", "OVERLAP_SOURCES", "links_frame", "links_text",
           "assumption_phrases"]


def linkage_title(giant: int, n_datasets: int, lang: str = "en") -> str:
    """Title of report 02's graph: the largest linked component.

    Examples
    --------
    >>> linkage_title(30, 45), linkage_title(30, 45, "nl")
    ('30 of 45 datasets form one linked component', \
'30 van de 45 bulkdatasets vormen één gekoppeld geheel')
    """
    t = translator(lang)
    return t.ngettext("{giant} of {datasets} forms one linked component",
                      "{giant} of {datasets} form one linked component", giant).format(
        giant=count_text(giant, t), datasets=plural(n_datasets, "dataset", lang=lang))


def linkage_finding(G: Any, lang: str = "en") -> str:
    """Report 02's finding: how much of the inventory is linked, and through how many links."""
    import networkx as nx

    t = translator(lang)
    comps = sorted(nx.connected_components(G), key=len, reverse=True)
    giant = len(comps[0]) if comps else 0
    isolated = sum(1 for c in comps if len(c) == 1)
    # TRANSLATORS: {title} is "N of M datasets form one linked component"; {links} "N links";
    # {isolated} a number.
    return t.gettext("{title}, through {links} in all; {isolated} have no link to any "
                     "other.").format(title=linkage_title(giant, G.number_of_nodes(), lang),
                                      links=plural(G.number_of_edges(), "link", lang=lang),
                                      isolated=count_text(isolated, t))


def linkage_alt(G: Any, lang: str = "en") -> str:
    """Alt text of report 02's graph."""
    import networkx as nx

    t = translator(lang)
    comps = sorted(nx.connected_components(G), key=len, reverse=True)
    return t.gettext("Network diagram of {datasets} and {links}. The largest linked component "
                     "has {giant} datasets; {isolated} have no link. Colour shows the level on "
                     "its own, size the persons, line width the link strength.").format(
        datasets=plural(G.number_of_nodes(), "dataset", lang=lang),
        links=plural(G.number_of_edges(), "link", lang=lang),
        giant=count_text(len(comps[0]) if comps else 0, t),
        isolated=count_text(sum(1 for c in comps if len(c) == 1), t))


def components_text(G: Any, lang: str = "en") -> list[str]:
    """Report 02's components and best-linked datasets, as list items."""
    import networkx as nx

    t = translator(lang)
    comps = sorted(nx.connected_components(G), key=len, reverse=True)
    sizes = [len(c) for c in comps if len(c) > 1]
    isolated = sum(1 for c in comps if len(c) == 1)
    top = sorted(G.degree, key=lambda x: -x[1])[:5]
    return [
        # TRANSLATORS: {components} "N connected components"; {sizes} their sizes;
        # {isolated} "N datasets".
        t.gettext("{components} of linked datasets, of {sizes} datasets; {isolated} without "
                  "any link.").format(components=plural(len(sizes), "connected component",
                                                        lang=lang),
                                      sizes=t.join([count_text(s, t) for s in sizes]),
                                      isolated=plural(isolated, "dataset", lang=lang)),
        t.gettext("Most links: {datasets}.").format(datasets=", ".join(
            f"{n} ({plural(d, 'link', lang=lang)})" for n, d in top)),
    ]


def channels(G: Any) -> pd.Series:
    """Links per key namespace (and ``QIs`` for quasi-identifiers), most first."""
    return pd.Series([ch for *_, e in G.edges(data=True)
                      for ch in e["keys"] + (["QIs"] if e["qis"] else [])],
                     dtype=object).value_counts()


def _channel(name: str, lang: str) -> str:
    if name == "QIs":
        return translator(lang).gettext("quasi-identifiers")
    if lang == "en":
        return name  # the key namespace as the inventory names it
    from .record_names import field_names  # keys named for Dutch readers where known

    return field_names(name, lang)


def channel_title(G: Any, lang: str = "en") -> str:
    """Title of report 02's channel figure: the key that carries the most links."""
    t = translator(lang)
    c = channels(G)
    if c.empty:
        return t.gettext("No key links any two datasets")
    # TRANSLATORS: {channel} is a key namespace ("email") or "quasi-identifiers"; {count}
    # a number of links.
    return t.gettext("“{channel}” carries the most links ({count})").format(
        channel=_channel(c.index[0], lang), count=count_text(c.iloc[0], t))


def channel_alt(G: Any, lang: str = "en") -> str:
    """Alt text of report 02's channel figure."""
    t = translator(lang)
    return t.gettext("Bar charts of the links each key namespace or set of quasi-identifiers "
                     "carries: {counts}.").format(counts=", ".join(
        f"{_channel(k, lang)}: {count_text(v, t)}" for k, v in channels(G).items()))


#: Where a link's expected overlap comes from (the edge's ``source``).
OVERLAP_SOURCES = {"estimate": NP_("overlap", "estimate"),
                   "override": NP_("overlap", "known overlap (analyst)")}


def assumption_phrases(facts: dict[str, Any], lang: str = "en") -> list[str]:
    """What a link's estimate rests on, in words (the edge's ``assumption_facts``).

    Examples
    --------
    >>> facts = {"keys": True, "qis_shared": ["date_of_birth"], "population": "nl",
    ...          "population_size": 17_900_000.0, "qi_used": False,
    ...          "qi_model": "population_cells", "qi_cells": 36500.0, "qi_population": "nl"}
    >>> assumption_phrases(facts, "nl")[0]
    'onafhankelijke trekkingen uit populatie nl (17.900.000 personen)'
    >>> assumption_phrases({"keys": False, "qis_shared": []}, "en")
    ['overlap stated by the analyst']
    """
    t = translator(lang)
    phrases = []
    if "population" in facts:
        # TRANSLATORS: {population} a population's id ("nl_residents"); {size} a number.
        phrases.append(t.gettext("independent random draws from population {population} "
                                 "({size} persons)").format(
            population=facts["population"], size=t.number(facts["population_size"])))
    else:
        phrases.append(t.gettext("overlap stated by the analyst"))
    if facts.get("keys"):
        phrases.append(t.gettext("exact keys link a shared person when recorded right in both "
                                 "sets (match quality a × b)"))
    if facts.get("qis_shared"):
        cells = (t.gettext("the cell sizes of population {population} (skewed postcodes, "
                           "ages)").format(population=facts["qi_population"])
                 if facts.get("qi_model") == "population_cells" else
                 t.gettext("{cells} equally likely cells").format(
                     cells=t.number(facts["qi_cells"])))
        used = (t.gettext("unique in both sets") if facts.get("qi_used")
                else t.gettext("too few unique to link (not used)"))
        # TRANSLATORS: {qis} the quasi-identifiers; {cells} how their cells are counted;
        # {used} whether they link.
        phrases.append(t.gettext("quasi-identifiers {qis}: {cells}; {used}").format(
            qis=t.join([_channel(q, lang) for q in facts["qis_shared"]]), cells=cells,
            used=used))
    return phrases


def links_frame(analysis: Any, lang: str | None = None) -> pd.DataFrame:
    """Every link, strongest first: ids as columns; with ``lang``, the source named for readers
    and the assumptions worded in it (without, as the JSON words them).

    Columns: ``a``, ``b``, ``linked_through``, ``expected_overlap``,
    ``expected_links``, ``strength``, ``overlap_source``, ``assumptions``.
    """
    t = translator(lang or "en")
    rows = [{"a": a, "b": b, "linked_through": ", ".join(
                 _channel(k, lang) if lang else k for k in e["keys"] + e["qis"]),
             "expected_overlap": e["expected_overlap"], "expected_links": e["expected_links"],
             "strength": e["strength"],
             "overlap_source": (t.pgettext("overlap", OVERLAP_SOURCES[e["source"]])
                                if lang and e["source"] in OVERLAP_SOURCES else e["source"]),
             "assumptions": "; ".join(assumption_phrases(e["assumption_facts"], lang)
                                      if lang else e["assumptions"])}
            for a, b, e in analysis.graph.edges(data=True)]
    frame = pd.DataFrame(rows, columns=["a", "b", "linked_through",
                                        "expected_overlap", "expected_links", "strength",
                                        "overlap_source", "assumptions"])
    return frame.sort_values("expected_links", ascending=False, kind="stable").reset_index(
        drop=True)


def links_text(n_links: int, overrides: int, lang: str = "en") -> str:
    """How many links there are and how many rest on an analyst's known overlap.

    Examples
    --------
    >>> print(links_text(257, 3, "nl"))
    257 koppelingen, waarvan 3 met een door de analist opgegeven bekende overlap; de rest is
    geschat.
    """
    t = translator(lang)
    return t.gettext("{links}, {overrides} with an analyst's known overlap; the rest "
                     "estimated.").format(links=plural(n_links, "link", lang=lang),
                                          overrides=count_text(overrides, t))
