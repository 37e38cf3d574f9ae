"""The record level beside the linkage graph: which pairs both hold, and why the others differ.

:func:`~bulkimpact.synth.validate.validate_inventory` counts, per pair of realised
datasets, what the closed forms predict. :func:`compare_with_graph` sets those pairs beside
the linkage graph of the same inventory and says, for each pair only one of them holds,
why: the graph's own estimate at the inventory's full size
(:func:`bulkimpact.linkage.edge_estimate`) for a realised pair the graph leaves out, and the
worlds' reach for a link they do not realise. The sentences and tables that show the result
are presentation (:mod:`bulkimpact.present.validation`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..estimates import QiCells
from ..inventory import Inventory
from ..linkage import edge_estimate
from ..persons import PopulationTree, tree_cells
from ..rulebook import Rulebook
from ..taxonomy import Taxonomy, default_taxonomy
from .validate import Validation, realisable_keys

__all__ = ["BOTH", "QI_THRESHOLD", "FEW_LINKS", "OTHER", "NOT_REALISED", "APART",
           "UNREALISABLE", "STATUS_ORDER", "compare_with_graph", "reconciliation_counts"]

#: How a pair stands in the worlds and the graph (:func:`compare_with_graph`); the ids are
#: English, :data:`bulkimpact.present.validation.STATUS_NAMES` names them for readers.
BOTH = "realised and in the graph"
QI_THRESHOLD = "realised, not in the graph: quasi-identifiers too rarely unique at full size"
FEW_LINKS = "realised, not in the graph: fewer expected links than the minimum"
OTHER = "realised, not in the graph: other"
NOT_REALISED = "in the graph, not realised: a dataset is not realised"
APART = "in the graph, not realised: the datasets are realised in different worlds"
UNREALISABLE = "in the graph, not realised: linked only through fields the world lacks"
#: The statuses of :func:`compare_with_graph`, in the order tables list them.
STATUS_ORDER = [BOTH, QI_THRESHOLD, FEW_LINKS, OTHER, NOT_REALISED, APART, UNREALISABLE]


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
    order = table["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
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
        # the uniqueness the graph used: each set's population, its own cells where it has them
        shared = {q: min(qi_a[q], qi_b[q]) for q in shared_qis}
        tree = PopulationTree.of(inventory)
        qis = {d.id: QiCells(shared, *tree_cells(tree, d.population)) for d in (a, b)}
        unique = {d.id: qis[d.id].fraction_unique(d.persons) for d in (a, b)}
        least = min(unique, key=unique.__getitem__)
        cells = (f"{qis[least].cells:,.0f} equal cells"
                 if qis[least].uniqueness_model == "uniform" else "the population's cell sizes")
        return QI_THRESHOLD, (f"{' + '.join(shared_qis)}: {cells} leave a share "
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
    return pd.DataFrame({"status": [s for s in STATUS_ORDER if s in counts],
                         "pairs": [int(counts[s]) for s in STATUS_ORDER if s in counts]})
