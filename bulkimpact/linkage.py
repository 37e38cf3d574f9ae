"""Linkage graph: datasets as nodes, the ways their records can be joined as edges.

Two datasets are linked when persons present in both can be matched: through a
shared key namespace (e-mail, phone, BSN, …) or through shared
quasi-identifiers unique enough in both sets. Edge attributes carry the
expected shared persons, the expected links, the link strength and the
assumptions behind them; an analyst's known overlap always overrides the
estimate, and the edge says which was used.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from .estimates import QiCells, expected_overlap, link_probability
from .inventory import Dataset, Inventory
from .parameters import DEFAULT_OPENNESS
from .persons import PopulationTree, tree_cells
from .rulebook import Rulebook, dataset_profile
from .taxonomy import Taxonomy, default_taxonomy

__all__ = ["build_linkage_graph", "edge_estimate", "DEFAULT_OPENNESS"]


def _known_overlap(a: Dataset, b: Dataset) -> float | None:
    """The analyst's stated overlap between two datasets (either side), if any."""
    stated = [o.persons for o in a.overlaps if o.with_ == b.id]
    stated += [o.persons for o in b.overlaps if o.with_ == a.id]
    return max(stated) if stated else None


def _known_overlaps(inventory: Inventory) -> dict[tuple[str, str], float]:
    """Every stated overlap, keyed by the sorted pair of dataset ids (largest statement wins)."""
    known: dict[tuple[str, str], float] = {}
    for d in inventory.datasets:
        for o in d.overlaps:
            pair = tuple(sorted((d.id, o.with_)))
            known[pair] = max(known.get(pair, 0.0), float(o.persons))
    return known


def edge_estimate(
    a: Dataset,
    b: Dataset,
    inventory: Inventory,
    rulebook: Rulebook,
    taxonomy: Taxonomy | None = None,
) -> dict[str, Any] | None:
    """Expected overlap and links between two datasets, or None when they cannot be linked.

    Notes
    -----
    - Overlap: the analyst's known overlap if stated, else
      :func:`~bulkimpact.estimates.expected_overlap` in the smallest population
      enclosing both (independent random draws). Two sibling populations
      (say two cities in one country) are treated as overlapping at random
      within their parent, unless one is declared ``disjoint``: then the two
      datasets share nobody and are not linked
      (:meth:`~bulkimpact.persons.PopulationTree.random_overlap_population`).
    - Channels: every shared key namespace links a shared person with
      probability ``q_a * q_b`` (both sets' match quality); shared
      quasi-identifiers (cells = product over shared QIs of the smaller
      cardinality) link a shared person unique in both sets, probability
      ``u_a * u_b`` (:func:`~bulkimpact.estimates.fraction_unique`), used only
      when both ``u`` reach the rulebook's ``linkage.qi_min_unique_fraction``.
    - Links: overlap times :func:`~bulkimpact.estimates.link_probability`.
      Strength: links divided by the smaller set.

    Examples
    --------
    >>> from bulkimpact.inventory import parse_inventory
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> inv = parse_inventory({"title": "t", "fictional": True,
    ...     "populations": [{"id": "nl", "size": 10_000}],
    ...     "datasets": [
    ...       {"id": "a", "name": "A", "source": "private", "persons": 1_000, "population": "nl",
    ...        "fields": [{"name": "email", "category": "contact", "key": "email"}]},
    ...       {"id": "b", "name": "B", "source": "private", "persons": 2_000, "population": "nl",
    ...        "fields": [{"name": "mail", "category": "contact", "key": "email",
    ...                    "match_quality": 0.9}]}]})
    >>> e = edge_estimate(inv.datasets[0], inv.datasets[1], inv,
    ...                   load_rulebook(default_rulebook_path()))
    >>> e["keys"], e["expected_overlap"], e["expected_links"], e["strength"]
    (['email'], 200.0, 180.0, 0.18)
    """
    taxonomy = taxonomy or default_taxonomy()
    return _estimate(a, b, a.keys(), b.keys(), a.quasi_identifiers(taxonomy),
                     b.quasi_identifiers(taxonomy), PopulationTree.of(inventory), rulebook)


def _estimate(
    a: Dataset,
    b: Dataset,
    keys_a: dict[str, float],
    keys_b: dict[str, float],
    qi_a: dict[str, int],
    qi_b: dict[str, int],
    tree: PopulationTree,
    rulebook: Rulebook,
    commons: dict[tuple[str, str], Any] | None = None,
) -> dict[str, Any] | None:
    """:func:`edge_estimate` on the datasets' keys and QIs, derived once by the caller.

    ``commons`` caches :meth:`PopulationTree.random_overlap_population` per population pair.

    Quasi-identifiers are used only when each set's own share unique,
    ``fraction_unique(n, C)``, reaches ``linkage.qi_min_unique_fraction``.
    They then link a shared person with the probability that the person is
    unique in both sets, ``(1 - 1/C)^(n_a + n_b - m - 1)``
    (:func:`~bulkimpact.estimates.fraction_unique_in_both`: uniqueness among
    the ``n_a + n_b - m`` distinct persons of the two sets, not the product
    of the two sets' uniqueness), and produce
    :func:`~bulkimpact.estimates.expected_false_qi_links` false links.
    Links are the overlap times
    :func:`~bulkimpact.estimates.link_probability` of the keys and this
    probability.
    """
    shared_keys = sorted(set(keys_a) & set(keys_b))
    shared_qis = sorted(set(qi_a) & set(qi_b))
    if not shared_keys and not shared_qis:
        return None
    known = _known_overlap(a, b) if a.overlaps or b.overlaps else None
    assumptions = []
    pops = (a.population, b.population)
    if commons is None:
        common = tree.random_overlap_population(*pops)
    else:
        if pops not in commons:
            commons[pops] = tree.random_overlap_population(*pops)
        common = commons[pops]
    # what the estimate rests on, as facts the reports word in each language
    facts: dict[str, Any] = {"keys": bool(shared_keys), "qis_shared": shared_qis}
    if known is not None:
        overlap, source = known, "override"
        assumptions.append("overlap stated by the analyst")
    elif common is None:
        return None
    else:
        population, size = common
        overlap, source = expected_overlap(a.persons, b.persons, size), "estimate"
        facts.update(population=population, population_size=float(size))
        assumptions.append(f"independent random draws from population {population!r} "
                           f"({size:,.0f} persons)")
    qualities = [keys_a[k] * keys_b[k] for k in shared_keys]
    if shared_keys:
        assumptions.append("exact keys link a shared person when recorded right in both sets "
                           "(match quality a × b)")
    shared = {q: min(qi_a[q], qi_b[q]) for q in shared_qis}
    pop_a, pop_b = tree_cells(tree, a.population), tree_cells(tree, b.population)
    u_a = QiCells(shared, *pop_a).fraction_unique(a.persons) if shared_qis else 0.0
    u_b = QiCells(shared, *pop_b).fraction_unique(b.persons) if shared_qis else 0.0
    qi_used = bool(shared_qis) and min(u_a, u_b) >= rulebook.linkage.qi_min_unique_fraction
    # persons of both sets meet in the population enclosing both, on its cells
    joint = QiCells(shared, *(tree_cells(tree, common[0]) if common is not None
                              else (max(pop_a[0], pop_b[0]), None)))
    if shared_qis:
        facts.update(qi_used=qi_used, qi_model=joint.uniqueness_model,
                     qi_cells=float(joint.cells), qi_population=common[0] if common else None)
        cells_text = (f"the cell sizes of population {common[0]!r} (skewed postcodes, ages)"
                      if joint.uniqueness_model == "population_cells"
                      else f"{joint.cells:,.0f} equally likely cells")
        assumptions.append(
            f"quasi-identifiers {shared_qis}: {cells_text}; "
            + ("unique in both sets" if qi_used else "too few unique to link (not used)")
        )
    if not qi_used and not shared_keys:
        return None
    # Robustness draws scale stated overlaps unchecked; no more persons than the smaller set.
    m = min(overlap, a.persons, b.persons)
    # unique in both = unique among the n_a + n_b - m distinct persons of the two sets
    both = joint.fraction_unique(a.persons + b.persons - m) if qi_used else 0.0
    links = overlap * link_probability(qualities, qi_unique_in_both=both)
    false_links = joint.false_links(a.persons, b.persons, m) if qi_used else 0.0
    return {
        "keys": shared_keys,
        "qis": shared_qis if qi_used else [],
        "expected_overlap": float(overlap),
        "expected_links": float(links),
        "false_links": float(false_links),
        "strength": float(links / min(a.persons, b.persons)),
        "source": source,
        "population": common[0] if common is not None else None,
        "assumptions": assumptions,
        "assumption_facts": facts,
    }


def dataset_uniqueness(d: Dataset, tree: PopulationTree, taxonomy: Taxonomy
                       ) -> dict[str, float | str]:
    """A dataset's share of persons unique on its quasi-identifiers, and the model used.

    ``fraction_unique``: among the dataset's own persons, on all its
    quasi-identifiers together (0 without any: everyone shares the one cell);
    ``uniqueness_model``: ``"population_cells"`` when its population's cell
    sizes are used, else ``"uniform"``.

    Examples
    --------
    >>> from bulkimpact.inventory import Dataset, DatasetField
    >>> tree = PopulationTree({"nl": 17_900_000}, {"nl": None}, cells={"nl": "nl"})
    >>> d = Dataset(id="a", name="A", source="private", persons=17_900_000, population="nl",
    ...             fields=[DatasetField(name="date_of_birth", category="demographic",
    ...                                  cardinality=36_500),
    ...                     DatasetField(name="pc4", category="demographic", cardinality=4_000)])
    >>> u = dataset_uniqueness(d, tree, default_taxonomy())
    >>> round(u["fraction_unique"], 2), u["uniqueness_model"]
    (0.67, 'population_cells')
    """
    qis = QiCells(d.quasi_identifiers(taxonomy), *tree_cells(tree, d.population))
    return {"fraction_unique": qis.fraction_unique(d.persons),
            "uniqueness_model": qis.uniqueness_model}


def _candidate_pairs(inventory: Inventory, taxonomy: Taxonomy) -> set[tuple[int, int]]:
    """Pairs of dataset positions that share a key namespace or a QI name.

    A stated overlap alone does not make a pair linkable: records can only be
    joined through something both sets hold.
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for i, d in enumerate(inventory.datasets):
        for key in d.keys():
            groups.setdefault(("key", key), []).append(i)
        for qi in d.quasi_identifiers(taxonomy):
            groups.setdefault(("qi", qi), []).append(i)
    pairs = {p for members in groups.values() for p in itertools.combinations(members, 2)}
    return pairs


def build_linkage_graph(
    inventory: Inventory,
    rulebook: Rulebook,
    openness: str = DEFAULT_OPENNESS,
    taxonomy: Taxonomy | None = None,
) -> nx.Graph:
    """Build the linkage graph of an inventory.

    Parameters
    ----------
    inventory : Inventory
        Validated datasets, populations and investigations.
    rulebook : Rulebook
        Scores each dataset (node attribute ``level`` with the ``rules`` that
        fired) and sets the linkage thresholds.
    openness : str
        Openness variant of the rulebook (``"services"`` or ``"ctivd"``, …).

    Returns
    -------
    networkx.Graph
        Nodes: dataset ids with ``name``, ``persons``, ``cost``, ``source``,
        ``public``, ``identifiable``, ``categories``, ``qis``,
        ``population``, ``population_size``, ``level``, ``rules`` and ``profile``.
        Edges: ``keys``, ``qis``, ``expected_overlap``, ``expected_links``,
        ``false_links``, ``strength``, ``source`` (``"estimate"`` or
        ``"override"``), ``assumptions`` (in English words, as the JSON gives them) and
        ``assumption_facts`` (the same as facts: ``keys``, ``qis_shared``, and where they
        apply ``population``, ``population_size``, ``qi_used``, ``qi_model``, ``qi_cells``
        and ``qi_population``, for reports to word). Graph attributes: ``openness``,
        ``investigations`` (id → dataset ids), ``uses_per_year`` (id →
        uses), ``levels`` (names), ``low_intrusion_level``, ``populations``
        (:class:`~bulkimpact.persons.PopulationTree`), ``known_overlaps``
        (sorted id pair → persons) and ``known_overlap_datasets`` (the ids in them).

    Examples
    --------
    >>> from bulkimpact.inventory import parse_inventory
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> f = lambda key: [{"name": key, "category": "contact", "key": key}]
    >>> inv = parse_inventory({"title": "t", "fictional": True,
    ...     "populations": [{"id": "nl", "size": 10_000}],
    ...     "datasets": [
    ...       {"id": "a", "name": "A", "source": "private", "persons": 1_000,
    ...        "population": "nl", "fields": f("email")},
    ...       {"id": "b", "name": "B", "source": "private", "persons": 2_000,
    ...        "population": "nl", "fields": f("email") + f("phone")},
    ...       {"id": "c", "name": "C", "source": "private", "persons": 500,
    ...        "population": "nl", "fields": f("phone")}]})
    >>> G = build_linkage_graph(inv, load_rulebook(default_rulebook_path()))
    >>> sorted(G.edges())
    [('a', 'b'), ('b', 'c')]
    >>> G.nodes["a"]["level"], G.edges["b", "c"]["expected_links"]
    (2, 100.0)
    """
    taxonomy = taxonomy or default_taxonomy()
    tree = PopulationTree.of(inventory)
    G = nx.Graph(
        openness=openness,
        inventory=inventory.source_path or inventory.title,
        investigations={i.id: list(i.datasets) for i in inventory.investigations},
        uses_per_year={i.id: i.uses_per_year for i in inventory.investigations},
        levels=rulebook.level_names(),
        low_intrusion_level=rulebook.low_intrusion_level,
        populations=tree,
        known_overlaps=(known := _known_overlaps(inventory)),
        known_overlap_datasets=frozenset(n for pair in known for n in pair),
        planned_retention_years=inventory.planned_retention_years(),
    )
    for d in inventory.datasets:
        profile = dataset_profile(d, inventory, rulebook, openness, taxonomy)
        score = rulebook.score(profile, taxonomy)
        G.add_node(
            d.id,
            name=d.name,
            persons=d.persons,
            cost=d.cost,
            uses_per_year=d.uses_per_year,
            source=d.source,
            public=profile.public,
            identifiable=profile.identifiable,
            categories=sorted(profile.categories),
            qis=d.quasi_identifiers(taxonomy),
            population=d.population,
            population_size=inventory.population_size(d.population),
            cells=tree_cells(tree, d.population)[1],
            **dataset_uniqueness(d, tree, taxonomy),
            technical_only=d.technical_only,
            level=score.level,
            rules=list(score.rules),
            profile=profile,
        )
    pairs = _candidate_pairs(inventory, taxonomy)
    # Keys and QIs once per dataset, not once per candidate pair (sweeps build many graphs).
    keys = [d.keys() for d in inventory.datasets]
    qis = [d.quasi_identifiers(taxonomy) for d in inventory.datasets]
    commons: dict[tuple[str, str], Any] = {}
    for i, j in sorted(pairs):
        a, b = inventory.datasets[i], inventory.datasets[j]
        est = _estimate(a, b, keys[i], keys[j], qis[i], qis[j], tree, rulebook, commons)
        if est is not None and est["expected_links"] >= rulebook.linkage.min_expected_links:
            G.add_edge(a.id, b.id, **est)
    return G
