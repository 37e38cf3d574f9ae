"""A validation beside the linkage graph and the closed forms, in tables and sentences.

:func:`~bulkimpact.synth.validate.validate_inventory` counts, per pair of
realised datasets, what the closed forms predict. This module says what a
reader needs from it: which datasets could not be realised and why, which
pairs the worlds and the graph both hold and why the others differ, which
counts lie outside the sampling error of their estimate, and where the
equal-cells model of the linkage graph falls short of the counts. Every
sentence is computed from these results.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..estimates import fraction_unique
from ..inventory import Inventory
from ..linkage import edge_estimate
from ..rulebook import Rulebook
from ..synth.validate import ALPHA, Validation, realisable_keys
from ..taxonomy import Taxonomy, default_taxonomy
from .findings import plural

__all__ = [
    "BOTH",
    "compare_with_graph",
    "reconciliation_counts",
    "coverage_sentence",
    "reconciliation_sentence",
    "flag_sentence",
    "equal_cells_sentence",
    "override_sentence",
    "agreement",
    "verdict",
    "count_format",
]

BOTH = "realised and in the graph"
QI_THRESHOLD = "realised, not in the graph: quasi-identifiers too rarely unique at full size"
FEW_LINKS = "realised, not in the graph: fewer expected links than the minimum"
OTHER = "realised, not in the graph: other"
NOT_REALISED = "in the graph, not realised: a dataset is not realised"
APART = "in the graph, not realised: the datasets are realised in different worlds"
UNREALISABLE = "in the graph, not realised: linked only through fields the world lacks"
_ORDER = [BOTH, QI_THRESHOLD, FEW_LINKS, OTHER, NOT_REALISED, APART, UNREALISABLE]


def compare_with_graph(validation: Validation, inventory: Inventory, graph: Any,
                       rulebook: Rulebook, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Every pair that a world realises or the graph links, and why the two differ.

    Parameters
    ----------
    validation : Validation
    inventory : Inventory
    graph : networkx.Graph
        The linkage graph of the same inventory (:func:`bulkimpact.build_linkage_graph`).
    rulebook : Rulebook
        Its ``linkage`` thresholds decide which estimated pairs are edges.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``a``, ``b``, ``in_graph``, ``realised``,
        ``worlds``, ``status`` (one of the module's categories, e.g.
        :data:`BOTH`) and ``reason`` (the particulars).

    Notes
    -----
    A realised pair is not an edge when, at the inventory's full size,
    :func:`bulkimpact.linkage.edge_estimate` finds its shared
    quasi-identifiers unique in fewer than ``qi_min_unique_fraction`` of a
    set (and it shares no key), or expects fewer than ``min_expected_links``
    links. The world is scaled down but a field's cells are not (36,500
    dates of birth), so the same fields make far more of a small extract
    unique. An edge is not realised when a dataset has no synthetic person,
    when its datasets live in different worlds (the graph then assumes
    random draws within their common population), or when it links only
    through fields the synthetic population does not hold.
    """
    taxonomy = taxonomy or default_taxonomy()
    edges = validation.edges
    worlds: dict[tuple[str, str], list[str]] = {}
    for a, b, w in zip(edges.get("a", []), edges.get("b", []), edges.get("world", []),
                       strict=True):
        worlds.setdefault(_pair(a, b), []).append(w)
    placed = dict(zip(validation.datasets["dataset"], validation.datasets["worlds"],
                      strict=True))
    missing = validation.not_realised
    pairs = set(worlds) | {_pair(a, b) for a, b in graph.edges()}
    rows = []
    for a, b in sorted(pairs):
        in_graph, realised = graph.has_edge(a, b), (a, b) in worlds
        if realised and in_graph:
            status, reason = BOTH, ""
        elif realised:
            status, reason = _why_not_an_edge(inventory.dataset(a), inventory.dataset(b),
                                              inventory, rulebook, taxonomy)
        elif a in missing or b in missing:
            status = NOT_REALISED
            reason = "; ".join(f"{d}: {missing[d]}" for d in (a, b) if d in missing)
        elif not set(placed[a].split(", ")) & set(placed[b].split(", ")):
            status = APART
            common = graph.edges[a, b].get("population")
            reason = (f"{a} in {placed[a]}, {b} in {placed[b]}; the graph assumes random "
                      f"draws within {common!r}")
        else:
            status = UNREALISABLE
            reason = f"the graph links them through {_channels(graph.edges[a, b])}"
        rows.append({"a": a, "b": b, "in_graph": in_graph, "realised": realised,
                     "worlds": ", ".join(worlds.get((a, b), [])), "status": status,
                     "reason": reason})
    table = pd.DataFrame(rows, columns=["a", "b", "in_graph", "realised", "worlds", "status",
                                        "reason"])
    order = table["status"].map({s: i for i, s in enumerate(_ORDER)})
    return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _channels(edge: dict[str, Any]) -> str:
    return ", ".join(list(edge.get("keys", [])) + list(edge.get("qis", []))) or "nothing"


def _why_not_an_edge(a: Any, b: Any, inventory: Inventory, rulebook: Rulebook,
                     taxonomy: Taxonomy) -> tuple[str, str]:
    """Status and particulars of a realised pair that the graph does not link."""
    est = edge_estimate(a, b, inventory, rulebook, taxonomy)
    shared_keys = set(realisable_keys(a)) & set(realisable_keys(b))
    qi_a, qi_b = a.quasi_identifiers(taxonomy), b.quasi_identifiers(taxonomy)
    shared_qis = sorted(set(qi_a) & set(qi_b))
    minimum = rulebook.linkage.min_expected_links
    if est is None and not shared_keys and shared_qis:
        cells = math.prod(min(qi_a[q], qi_b[q]) for q in shared_qis)
        unique = {d.id: fraction_unique(d.persons, cells) for d in (a, b)}
        least = min(unique, key=unique.__getitem__)
        return QI_THRESHOLD, (f"{' + '.join(shared_qis)}: {cells:,} equal cells leave a share "
                              f"of {unique[least]:.2g} of {least} unique, below the "
                              f"rulebook's {rulebook.linkage.qi_min_unique_fraction:.0%}")
    if est is not None and est["expected_links"] < minimum:
        return FEW_LINKS, f"{est['expected_links']:.2g} expected links (minimum {minimum:g})"
    return OTHER, "the graph's estimate differs from the world's pairing"


def reconciliation_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Pairs per status, in a fixed order (statuses with no pair left out).

    Examples
    --------
    >>> t = pd.DataFrame({"status": [BOTH, BOTH, APART]})
    >>> reconciliation_counts(t).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'status': ['realised and in the graph',
                'in the graph, not realised: the datasets are realised in different worlds'],
     'pairs': [2, 1]}
    """
    counts = table["status"].value_counts()
    return pd.DataFrame({"status": [s for s in _ORDER if s in counts],
                         "pairs": [int(counts[s]) for s in _ORDER if s in counts]})


def coverage_sentence(validation: Validation) -> str:
    """Which datasets are realised, in which worlds, and how many are not.

    Examples
    --------
    >>> ds = pd.DataFrame({"dataset": ["a", "b"], "worlds": ["nl", ""],
    ...                    "reason": ["", "fewer than one synthetic person: ..."]})
    >>> w = pd.DataFrame({"reference": ["nl"], "scale": [0.01], "datasets": [1]})
    >>> v = Validation(pd.DataFrame(), ds, w, 1_000, 0)
    >>> print(coverage_sentence(v))  # doctest: +NORMALIZE_WHITESPACE
    1 of 2 datasets is realised, in 1 world (nl: 1 dataset, one synthetic person per 100
    real ones). Not realised: 1 dataset with fewer than one synthetic person (b).
    """
    ds = validation.datasets
    done = int((ds["reason"] == "").sum())
    worlds = "; ".join(f"{w.reference}: {plural(w.datasets, 'dataset')}, one synthetic person "
                       f"per {1 / w.scale:,.0f} real ones"
                       for w in validation.worlds.itertuples())
    verb = "is" if done == 1 else "are"
    text = (f"{done} of {plural(len(ds), 'dataset')} {verb} realised, in "
            f"{plural(len(validation.worlds), 'world')} ({worlds}).")
    missing = ds[ds["reason"] != ""]
    if not len(missing):
        return text + " Every dataset of the inventory is realised."
    kinds = missing["reason"].str.split(":").str[0]
    parts = [f"{plural(int((kinds == k).sum()), 'dataset')} with {k} "
             f"({', '.join(missing.loc[kinds == k, 'dataset'])})"
             if k.startswith("fewer") else
             f"{plural(int((kinds == k).sum()), 'dataset')}: {k} "
             f"({', '.join(missing.loc[kinds == k, 'dataset'])})"
             for k in dict.fromkeys(kinds)]
    return text + " Not realised: " + "; ".join(parts) + "."


def reconciliation_sentence(table: pd.DataFrame, rulebook: Rulebook) -> str:
    """How the realised pairs and the graph's links agree, and why they differ.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> t = pd.DataFrame({"realised": [True, True, False], "in_graph": [True, False, True],
    ...                   "status": [BOTH, FEW_LINKS, NOT_REALISED]})
    >>> rulebook = load_rulebook(default_rulebook_path())
    >>> print(reconciliation_sentence(t, rulebook))  # doctest: +NORMALIZE_WHITESPACE
    The worlds realise 2 linkable pairs and the graph has 2 links; 1 pair is both. 1
    realised pair is not a link of the graph: 1 expects fewer than 1 link at full size
    (the rulebook's min_expected_links). 1 link of the graph is not realised: 1 involves a
    dataset that is not realised.
    """
    counts = table["status"].value_counts()
    linkage = rulebook.linkage
    text = (f"The worlds realise {plural(int(table['realised'].sum()), 'linkable pair')} and "
            f"the graph has {plural(int(table['in_graph'].sum()), 'link')}; "
            f"{plural(int(counts.get(BOTH, 0)), 'pair')} "
            f"{'is' if counts.get(BOTH, 0) == 1 else 'are'} both.")
    why_not_edges = {
        QI_THRESHOLD: (f"join only on quasi-identifiers unique in fewer than "
                       f"{linkage.qi_min_unique_fraction:.0%} of a set at the inventory's full "
                       f"size (the rulebook's qi_min_unique_fraction): a field's cells do "
                       f"not shrink with the scaled-down world, so the same fields single out "
                       f"far more of a small extract"),
        FEW_LINKS: (f"expect{{s}} fewer than {plural(linkage.min_expected_links, 'link')} at "
                    f"full size (the rulebook's min_expected_links)"),
        OTHER: "differ{s} for another reason (see the table)",
    }
    why_not_realised = {
        NOT_REALISED: "involve{s} a dataset that is not realised",
        APART: ("join{s} datasets realised in different worlds (the graph assumes random "
                "draws within their common population)"),
        UNREALISABLE: "link{s} only through fields the synthetic population does not hold",
    }
    for what, reasons in (("realised {pair} {verb} not {link} of the graph", why_not_edges),
                          ("{link} of the graph {verb} not realised", why_not_realised)):
        found = {s: int(counts[s]) for s in reasons if counts.get(s, 0)}
        if not found:
            continue
        total = sum(found.values())
        one = total == 1
        head = what.format(pair="pair" if one else "pairs", verb="is" if one else "are",
                           link=("a link" if one else "links") if "{pair}" in what
                           else ("link" if one else "links"))
        text += f" {total} {head}: " + "; ".join(
            f"{n} {reasons[s].format(s='s' if n == 1 else '')}" for s, n in found.items()) + "."
    return text


def flag_sentence(validation: Validation) -> str:
    """How many counts lie outside their predicted sampling error, against chance.

    Examples
    --------
    >>> e = pd.DataFrame({"a": ["x", "y"], "b": ["z", "z"], "qis": ["", "sex"],
    ...                   "flag": ["", "links"]})
    >>> v = Validation(e, pd.DataFrame(), pd.DataFrame(), 1_000, 0)
    >>> print(flag_sentence(v))  # doctest: +NORMALIZE_WHITESPACE
    1 of 2 pairs has a count outside the sampling error its estimate predicts (two-sided
    probability below 0.27%, about three standard deviations): y × z (links). With 5
    counts checked, about 0.014 would be by chance alone.
    """
    edges = validation.edges
    if not len(edges):
        return "No pair was realised, so no count could be checked."
    checks = 2 * len(edges) + int((edges["qis"] != "").sum())
    flagged = validation.flagged
    pairs = len(edges[["a", "b"]].drop_duplicates())
    counted = (plural(len(edges), "pair") if pairs == len(edges) else
               f"{len(edges):,} pair realisations ({pairs:,} pairs, "
               f"{len(edges) - pairs:,} of them realised in a second world)")
    head = (f"{len(flagged)} of {counted} {'has' if len(flagged) == 1 else 'have'} a count "
            f"outside the sampling error its estimate predicts (two-sided probability below "
            f"{ALPHA:.2%}, about three standard deviations)")
    listed = "; ".join(f"{r.a} × {r.b} ({r.flag})" for r in flagged.itertuples())
    return (head + (f": {listed}." if listed else ".")
            + f" With {checks:,} counts checked, about {checks * ALPHA:.2g} would be by "
              f"chance alone.")


def equal_cells_sentence(validation: Validation) -> str:
    """Where equal cells (the linkage graph's model) fall short of the counted QI links.

    Equal cells put a shared person's uniqueness at ``(1 - 1/C)^(n_a + n_b -
    m - 1)``; in a population with unequal cells, persons alone or nearly
    alone in their cell stay unique in extracts of any size. The sentence
    names the pairs whose count lies outside the sampling error under equal
    cells but not under the population's own cell sizes, and totals both
    estimates per quasi-identifier set.
    """
    edges = validation.edges
    if not len(edges) or "qi_links_exact" not in edges:
        return "No pair joins on quasi-identifiers."
    qi = edges.dropna(subset=["qi_links_exact"])
    off = edges[edges["equal_cells_off"] & (edges["flag"].str.find("links") < 0)]
    totals = qi.groupby("qis")[["qi_links_exact", "qi_links_expected",
                                "qi_links_expected_skewed"]].sum()
    worst = (totals["qi_links_exact"] - totals["qi_links_expected"]).idxmax()
    t = totals.loc[worst]
    pairs = plural(int((qi["qis"] == worst).sum()), "pair")
    text = (f"On {worst.replace(',', ' + ')}, equal cells predict "
            f"{t['qi_links_expected']:,.1f} true links over {pairs} "
            f"where {t['qi_links_exact']:,.0f} are counted; the population's own cell sizes "
            f"predict {t['qi_links_expected_skewed']:,.1f}. ")
    if len(off):
        listed = "; ".join(f"{r.a} × {r.b} on {r.qis.replace(',', ' + ')}: "
                           f"{r.links_expected_equal_cells:.2g} links with equal cells, "
                           f"{r.links_expected:.2g} with the population's cells, "
                           f"{r.links_exact:.0f} counted" for r in off.itertuples())
        text += (f"Under equal cells {plural(len(off), 'pair')} would lie outside the sampling "
                 f"error that the skew-aware estimate respects ({listed}). ")
    text += ("Persons alone or nearly alone in their cell of the population stay unique in "
             "extracts of any size, which equal cells cannot represent; the linkage graph "
             "knows only each field's number of values and misses such links too.")
    return text


def override_sentence(validation: Validation) -> str:
    """Which realised pairs the graph scores with an analyst's stated overlap instead.

    The worlds draw every dataset independently, so for those pairs they
    check the independent-draw estimate, not the analyst's figure. Needs the
    ``graph_source`` column (:func:`validate_inventory` with ``graph``).

    Examples
    --------
    >>> e = pd.DataFrame({"a": ["p", "q"], "b": ["t", "t"],
    ...                   "graph_source": ["override", "estimate"]})
    >>> print(override_sentence(Validation(e, pd.DataFrame(), pd.DataFrame(), 1_000, 0)))
    ... # doctest: +NORMALIZE_WHITESPACE
    1 realised pair has an overlap stated by the analyst in the graph (p × t); the worlds
    draw every set independently, so there they check the independent-draw estimate, not
    the analyst's figure.
    """
    edges = validation.edges
    if "graph_source" not in edges:
        return ""
    stated = edges[edges["graph_source"] == "override"][["a", "b"]].drop_duplicates()
    if not len(stated):
        return "No realised pair has an overlap stated by the analyst."
    listed = ", ".join(f"{r.a} × {r.b}" for r in stated.itertuples())
    return (f"{plural(len(stated), 'realised pair')} {'has' if len(stated) == 1 else 'have'} "
            f"an overlap stated by the analyst in the graph ({listed}); the worlds draw every "
            f"set independently, so there they check the independent-draw estimate, not the "
            f"analyst's figure.")


def agreement(validation: Validation) -> dict[str, float]:
    """Headline agreement of a validation.

    Returns
    -------
    dict
        ``within``: share of exact overlaps within three standard deviations
        of the hypergeometric estimate; ``deviation``: summed absolute
        difference of exact and expected links over the summed expectation
        (skew-aware QI links); ``deviation_equal_cells``: the same with equal
        cells; ``flagged``: counts outside their sampling error;
        ``by_chance``: how many of those chance alone would give.

    Examples
    --------
    >>> e = pd.DataFrame({"a": ["x"], "b": ["y"], "qis": [""], "overlap_z": [1.0],
    ...                   "links_exact": [90], "links_expected": [100.0],
    ...                   "links_expected_equal_cells": [100.0], "flag": [""]})
    >>> agreement(Validation(e, pd.DataFrame(), pd.DataFrame(), 1_000, 0))["deviation"]
    0.1
    """
    edges = validation.edges
    z = edges["overlap_z"].replace([float("inf"), float("-inf")], float("nan")).dropna()

    def deviation(column: str) -> float:
        return float((edges["links_exact"] - edges[column]).abs().sum()
                     / max(edges[column].sum(), 1e-9))

    checks = 2 * len(edges) + int((edges["qis"] != "").sum())
    return {"within": float((z.abs() <= 3).mean()) if len(z) else float("nan"),
            "deviation": deviation("links_expected"),
            "deviation_equal_cells": deviation("links_expected_equal_cells"),
            "flagged": float(len(validation.flagged)), "by_chance": checks * ALPHA}


def verdict(validation: Validation) -> list[str]:
    """What the validation says about the closed forms, one sentence per finding.

    The closed forms agree with the counts when at least 95% of overlaps lie
    within three standard deviations, the summed link deviation is at most
    10%, and no more counts are flagged than three times what chance would
    give (at least three).
    """
    a = agreement(validation)
    agree = (a["within"] >= 0.95 and a["deviation"] <= 0.1
             and a["flagged"] <= max(3.0, 3 * a["by_chance"]))
    lines = [
        ("The closed forms, with quasi-identifiers on the population's own cell sizes, "
         + ("agree with the counts within sampling error" if agree else
            "deviate from the counts more than sampling error explains: treat the linkage "
            "estimates in the other reports with caution")
         + f" ({a['within']:.0%} of overlaps within three standard deviations; total link "
           f"deviation {a['deviation']:.1%}; {a['flagged']:.0f} counts flagged where chance "
           f"alone gives about {a['by_chance']:.2g})."),
    ]
    off = validation.edges[validation.edges["equal_cells_off"]]
    if len(off):
        lines.append(
            f"With equal cells, the model of the linkage graph, the total link deviation is "
            f"{a['deviation_equal_cells']:.1%} and {plural(len(off), 'pair')} "
            f"{'falls' if len(off) == 1 else 'fall'} outside the sampling error: links "
            f"through quasi-identifiers with unequal values ("
            + ", ".join(sorted({q.replace(',', ' + ') for q in off["qis"] if q}))
            + ") are undercounted by equal cells, as they are in the graph.")
    else:
        lines.append(f"Equal cells, the model of the linkage graph, are within sampling error "
                     f"too (total link deviation {a['deviation_equal_cells']:.1%}).")
    return lines


def count_format(x: float) -> str:
    """An expected count for a table: one decimal from 0.1 up, two significant digits below.

    Examples
    --------
    >>> count_format(40898.4), count_format(5.83), count_format(2.1e-05)
    ('40,898.4', '5.8', '2.1e-05')
    """
    return f"{x:,.1f}" if abs(x) >= 0.1 else f"{x:.2g}"
