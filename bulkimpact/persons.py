"""Distinct persons: how many different people a group of datasets (or of links) concerns.

Sizes of overlapping datasets do not add up to people: four datasets of 1,000
persons drawn from the same 1,000 people concern 1,000 persons, not 4,000. Every
person figure bulkimpact reports is the **expected number of distinct persons**,
computed here; sums of dataset sizes are *records* and are named so.

The model is the one the linkage graph uses (:mod:`bulkimpact.linkage`):

- datasets are independent random draws from their reference population, and
  a population nested in another (``part_of``) is a random part of it, so two
  sibling populations overlap at random within their parent;
- populations with no common ancestor are disjoint;
- an analyst's known overlap between two datasets always wins over the
  independence estimate.

Within one population of size ``N``, independent draws of sizes ``n_i`` cover
``N (1 - prod_i (1 - n_i / N))`` distinct persons; nested populations are
folded bottom-up, so no figure ever exceeds its enclosing population.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat

import networkx as nx

from .inventory import population_chain, smallest_common_population

__all__ = ["PopulationTree", "union_size", "distinct_persons", "distinct_linked_persons",
           "population_tree"]


@dataclass(frozen=True)
class PopulationTree:
    """Reference populations: size and enclosing population of each.

    Examples
    --------
    >>> tree = PopulationTree({"nl": 100, "eu": 1000}, {"nl": "eu", "eu": None})
    >>> tree.common(["nl", "eu"])
    'eu'
    """

    sizes: Mapping[str, float]
    part_of: Mapping[str, str | None]

    @cached_property
    def depth(self) -> dict[str, int]:
        """Populations enclosing each one, itself included (roots have depth 1)."""
        return {p: len(population_chain(self.part_of, p)) for p in self.sizes}

    def common(self, populations: Iterable[str]) -> str | None:
        """The smallest population enclosing all given ones, or None if some are unrelated."""
        found: str | None = None
        for i, p in enumerate(populations):
            found = p if i == 0 else (smallest_common_population(self.part_of, found, p)
                                      if found is not None else None)
            if found is None:
                return None
        return found


def union_size(parts: Iterable[tuple[str, float]], tree: PopulationTree) -> float:
    """Expected distinct persons in random subsets, each of a given size in a population.

    Parameters
    ----------
    parts : iterable of (population id, size)
        Each a random subset of that many persons of that population.
    tree : PopulationTree

    Returns
    -------
    float
        ``sum over root populations R of U(R)``, where for a population ``P``
        of size ``N``: ``U(P) = N (1 - prod_{parts s in P} (1 - s/N)
        prod_{child populations c} (1 - U(c)/N))``.

    Notes
    -----
    A child population's covered persons are a random subset of its parent
    (the same assumption the linkage graph makes for sibling populations), so
    the fold is exact under the model. ``U(P) <= N`` always.

    Examples
    --------
    >>> tree = PopulationTree({"p": 1_000}, {"p": None})
    >>> union_size([("p", 1_000)] * 4, tree)
    1000.0
    >>> union_size([("p", 500), ("p", 500)], tree)
    750.0
    >>> nested = PopulationTree({"nl": 100, "eu": 1_000, "us": 500},
    ...                         {"nl": "eu", "eu": None, "us": None})
    >>> union_size([("nl", 100), ("eu", 500), ("us", 10)], nested)
    560.0
    """
    # covered[P]: persons of P covered so far. Adding an independent random subset of s
    # persons to u covered ones covers u + s - u s / N (exact at u = 0 and at s = N).
    sizes = tree.sizes
    covered: dict[str, float] = {}
    for population, size in parts:
        n = float(sizes[population])
        # min(max(s, 0.0), n) spelled out: the same value (NaN and -0.0 included), no calls
        s = float(size)
        if 0.0 > s:
            s = 0.0
        if n < s:
            s = n
        u = covered.get(population, 0.0)
        covered[population] = u + s - u * s / n
    # Fold bottom-up: deepest populations first, each into its parent.
    depth, part_of = tree.depth, tree.part_of
    total = 0.0
    while covered:
        population = max(covered, key=depth.__getitem__) if len(covered) > 1 else next(
            iter(covered))
        s = covered.pop(population)
        parent = part_of.get(population)
        if parent is None:
            total += s
        else:
            n = float(sizes[parent])
            u = covered.get(parent, 0.0)
            covered[parent] = u + s - u * s / n
    return float(total)


def population_tree(G: nx.Graph) -> PopulationTree:
    """The population tree a linkage graph carries (``G.graph["populations"]``).

    Graphs built without one (small hand-made examples) get one population per
    dataset of its ``population_size``, so their figures are plain sums
    capped per dataset.
    """
    populations = G.graph.get("populations")
    if populations is not None:
        return populations
    sizes = {f"_{n}": float(G.nodes[n].get("population_size") or _persons(G, n) or 1.0)
             for n in G}
    return PopulationTree(sizes, dict.fromkeys(sizes))


def _persons(G: nx.Graph, n: str) -> float:
    return float(G._node[n].get("persons", 0.0))  # raw node dicts: no NodeView per call


def _population_of(G: nx.Graph, n: str) -> str:
    return G._node[n]["population"] if "populations" in G.graph else f"_{n}"


def _independent_parts(G: nx.Graph, nodes: Iterable[str]) -> list[tuple[str, float]]:
    """``[(_population_of(G, n), _persons(G, n)) for n in nodes]``, from the raw node dicts."""
    attrs = G._node
    if "populations" in G.graph:
        return [(a["population"], float(a.get("persons", 0.0)))
                for a in map(attrs.__getitem__, nodes)]
    return [(f"_{n}", float(attrs[n].get("persons", 0.0))) for n in nodes]


def _blocks(G: nx.Graph, nodes: list[str]) -> list[tuple[str, float]]:
    """Datasets joined by known overlaps merged into blocks: (population, distinct persons).

    Within a block, datasets are added largest first; each one's overlap with
    the block so far is the largest of its stated overlaps with earlier members
    and the independence estimate, so a stated overlap is always honoured and a
    block never counts fewer persons than its largest member.
    """
    known: Mapping[tuple[str, str], float] = G.graph.get("known_overlaps", {})
    flagged = G.graph.get("known_overlap_datasets")
    if flagged is None:
        flagged = {n for pair in known for n in pair}
    # no stated overlap inside: independent draws
    if not flagged or sum(map(flagged.__contains__, nodes)) < 2:
        return _independent_parts(G, nodes)
    tree = population_tree(G)
    members = set(nodes)
    linked = nx.Graph()
    linked.add_nodes_from(nodes)
    linked.add_edges_from(pair for pair in known if pair[0] in members and pair[1] in members)
    out = []
    for block in nx.connected_components(linked):
        order = sorted(block, key=lambda n: (-_persons(G, n), n))
        population = tree.common(_population_of(G, n) for n in order)
        if population is None:  # unrelated populations are disjoint: no block to form
            out += [(_population_of(G, n), _persons(G, n)) for n in order]
            continue
        size_n = float(tree.sizes[population])
        union = _persons(G, order[0])
        for i, n in enumerate(order[1:], start=1):
            persons = _persons(G, n)
            stated = max((known.get(tuple(sorted((n, m))), 0.0) for m in order[:i]), default=0.0)
            shared = min(persons, max(stated, persons * union / size_n))
            union = min(size_n, union + persons - shared)
        out.append((population, union))
    return out


def distinct_persons(G: nx.Graph, nodes: Iterable[str]) -> float:
    """Expected distinct persons held in a group of datasets.

    Examples
    --------
    Four datasets of 1,000 persons from the same 1,000 people:

    >>> G = nx.Graph(populations=PopulationTree({"p": 1_000}, {"p": None}))
    >>> for n in "abcd":
    ...     G.add_node(n, persons=1_000, population="p")
    >>> distinct_persons(G, "abcd")
    1000.0

    The same four from 17.9 million people, known to hold the same persons:

    >>> G.graph["populations"] = PopulationTree({"p": 17_900_000}, {"p": None})
    >>> G.graph["known_overlaps"] = {("a", "b"): 1_000, ("b", "c"): 1_000, ("c", "d"): 1_000}
    >>> distinct_persons(G, "abcd")
    1000.0
    """
    nodes = list(dict.fromkeys(nodes))
    if not nodes:
        return 0.0
    return union_size(_blocks(G, nodes), population_tree(G))


def distinct_linked_persons(G: nx.Graph, sets: Iterable[tuple[Iterable[str], float]],
                            weight: str = "expected_links") -> float:
    """Expected distinct persons whose records are linked across members of any of several sets.

    Parameters
    ----------
    sets : iterable of (members, linked persons)
        Each combination's members and its own linked-person figure (used only
        when the graph has no link between its members, as in hand-made sets).

    Notes
    -----
    The persons linked in a combination are those linked on any link between
    two of its members. Each distinct link is counted once, however many
    combinations contain it; its linked persons (``weight``) are a random
    subset of the smallest population enclosing both datasets, and the links
    are taken as independent (:func:`union_size`). The result is capped by the
    distinct persons the members hold (:func:`distinct_persons`), so links
    among the same people are not counted twice.

    Examples
    --------
    Three datasets of the same 1,000 persons, every pair linked on all of them,
    and two combinations that share the link a–b:

    >>> G = nx.Graph(populations=PopulationTree({"p": 1_000}, {"p": None}))
    >>> for n in "abc":
    ...     G.add_node(n, persons=1_000, population="p")
    >>> G.add_edges_from([("a", "b"), ("b", "c"), ("a", "c")], expected_links=1_000.0)
    >>> distinct_linked_persons(G, [("ab", 1_000.0), ("abc", 1_000.0)])
    1000.0
    """
    return _linked_and_held(G, sets, weight, held=False)[0]


def _linked_and_held(G: nx.Graph, sets: Iterable[tuple[Iterable[str], float]],
                     weight: str = "expected_links", held: bool = True) -> tuple[float, float]:
    """:func:`distinct_linked_persons` and :func:`distinct_persons` of all the sets' members
    (the cap of the first, which judging reports as well), computed once.

    With ``held=False`` the second is 0.0 unless the first needed it.
    """
    tree = population_tree(G)
    parts, members = _linked_parts(G, tree, sets, weight)
    persons_held = distinct_persons(G, members) if parts or held else 0.0
    return (min(union_size(parts, tree), persons_held) if parts else 0.0), persons_held


def _linked_parts(G: nx.Graph, tree: PopulationTree, sets: Iterable[tuple[Iterable[str], float]],
                  weight: str) -> tuple[list[tuple[str, float]], list[str]]:
    """The parts :func:`distinct_linked_persons` unites, in order, and the sets' members.

    First, for each set with no link inside, its own figure in its members' population;
    then each link once, in the order it is first met scanning each member's adjacency
    for members after it (``u < v``), in the smallest population enclosing both.
    """
    adj = G._adj  # raw dicts: this runs once per policy on every exposure set
    # The union's float sums follow the links' order.
    links: dict[tuple[str, str], float] = {}
    parts: list[tuple[str, float]] = []
    members: list[str] = []
    for group, linked in sets:
        if not isinstance(group, (tuple, list)):
            group = list(group)
        members += group
        # Pairs and sorted triples (nearly every exposure set) look their links up
        # directly; as the scan, they add each link not met before, in the scan's order.
        if len(group) == 2:
            u, v = group
            if v < u:
                u, v = v, u
            attrs = adj[u].get(v) if u < v else None
            if attrs is not None:
                if (u, v) not in links:
                    links[(u, v)] = float(attrs.get(weight, 0.0))
                continue
            if v not in adj:  # a dataset not in the graph fails as in the scan
                raise KeyError(v)
            found = False
        elif len(group) == 3 and group[0] < group[1] < group[2]:
            x, y, z = group
            adj_x, adj_y = adj[x], adj[y]
            if z not in adj:  # a dataset not in the graph fails as in the scan
                raise KeyError(z)
            found = False
            new_xy = new_xz = False
            if (xy := adj_x.get(y)) is not None:
                found, new_xy = True, (x, y) not in links
            if (xz := adj_x.get(z)) is not None:
                found, new_xz = True, (x, z) not in links
            if new_xy and new_xz and next(n for n in adj_x if n == y or n == z) == z:
                links[(x, z)] = float(xz.get(weight, 0.0))  # z comes first in x's links
            if new_xy:
                links[(x, y)] = float(xy.get(weight, 0.0))
            if new_xz and (x, z) not in links:
                links[(x, z)] = float(xz.get(weight, 0.0))
            if (yz := adj_y.get(z)) is not None:
                found = True
                if (y, z) not in links:
                    links[(y, z)] = float(yz.get(weight, 0.0))
        else:
            found = _scan_links(adj, group, links, weight)
        if not found and linked:
            parts.append((_common_or_smallest(G, tree, group), linked))
    if links:
        # Each dataset's population looked up once, and the enclosing population of each
        # pair of populations found once (a pure function of the tree).
        of = {n: _population_of(G, n) for n in {n for pair in links for n in pair}}
        if len(populations := set(of.values())) == 1:  # all in one: so is every link
            key = (*populations, *populations)
            parts += zip(repeat(_common_or_smallest_of(tree, list(key))), links.values())
        else:
            where = {key: _common_or_smallest_of(tree, list(key))
                     for key in {(of[u], of[v]) for u, v in links}}
            parts += [(where[of[u], of[v]], persons) for (u, v), persons in links.items()]
    return parts, members


def _scan_links(adj: Mapping[str, Mapping[str, Mapping[str, float]]], group: list[str],
                links: dict[tuple[str, str], float], weight: str) -> bool:
    """Add the links among a group's members to ``links`` (each member's links to members
    after it, in its adjacency's order); whether the group has any."""
    inside = set(group)
    found = [(u, v) for u in group for v in adj[u] if v in inside and u < v]
    for u, v in found:
        links[(u, v)] = float(adj[u][v].get(weight, 0.0))
    return bool(found)


def _common_or_smallest(G: nx.Graph, tree: PopulationTree, group: Iterable[str]) -> str:
    """The smallest population enclosing the group; for unrelated ones, the smallest of them.

    (Linked persons lie in every member, so in the smallest population among them.)
    """
    return _common_or_smallest_of(tree, [_population_of(G, n) for n in group])


def _common_or_smallest_of(tree: PopulationTree, populations: list[str]) -> str:
    """:func:`_common_or_smallest` of the members' populations."""
    common = tree.common(populations)
    return common if common is not None else min(populations, key=tree.sizes.get)
