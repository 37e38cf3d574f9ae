"""Distinct persons: how many different people a group of datasets (or of links) concerns.

Sizes of overlapping datasets do not add up to people: four datasets of 1,000
persons drawn from the same 1,000 people concern 1,000 persons, not 4,000. Every
person figure bulkimpact reports is the **expected number of distinct persons**,
computed here; sums of dataset sizes are *records* and are named so.

The model is the one the linkage graph uses (:mod:`bulkimpact.linkage`):

- datasets are independent random draws from their reference population, and
  a population nested in another (``part_of``) is a random part of it, so two
  sibling populations overlap at random within their parent;
- a population declared ``disjoint`` shares nobody with its siblings (a
  foreign region and the Dutch residents, both part of the world): its
  siblings are random parts of what remains of the parent without it;
- populations with no common ancestor are disjoint;
- an analyst's known overlap between two datasets always wins over the
  independence estimate, above or below it (0 means the two share nobody).

Within one population of size ``N``, independent draws of sizes ``n_i`` cover
``N (1 - prod_i (1 - n_i / N))`` distinct persons; nested populations are
folded bottom-up, so no figure ever exceeds its enclosing population.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat

import networkx as nx

from .inventory import Inventory, population_chain, smallest_common_population

__all__ = ["PopulationTree", "tree_cells", "union_size", "distinct_persons",
           "distinct_linked_persons",
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
    disjoint: frozenset[str] = frozenset()
    cells: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, inventory: Inventory) -> PopulationTree:
        """The populations an inventory declares.

        Examples
        --------
        >>> from bulkimpact.examples import toy_inventory
        >>> PopulationTree.of(toy_inventory())
        PopulationTree(sizes={'nl': 1000000}, part_of={'nl': None}, disjoint=frozenset(), cells={})
        """
        return cls({p.id: p.size for p in inventory.populations},
                   {p.id: p.part_of for p in inventory.populations},
                   frozenset(p.id for p in inventory.populations if p.disjoint),
                   {p.id: p.cells for p in inventory.populations if p.cells is not None})

    @cached_property
    def depth(self) -> dict[str, int]:
        """Populations enclosing each one, itself included (roots have depth 1)."""
        return {p: len(population_chain(self.part_of, p)) for p in self.sizes}

    @cached_property
    def shared_part(self) -> dict[str, float]:
        """Per population with disjoint children: its size without them.

        Its other children are random parts of this remainder.
        """
        out: dict[str, float] = {}
        for child in self.disjoint:
            parent = self.part_of.get(child)
            if parent is not None:
                out[parent] = out.get(parent, float(self.sizes[parent])) - self.sizes[child]
        return out

    def random_overlap_population(self, a: str, b: str) -> tuple[str, float] | None:
        """Where persons of ``a`` and of ``b`` meet at random, and how many persons it holds.

        Returns
        -------
        (population id, size) or None
            The smallest population enclosing both, and the number of persons
            two independent draws from ``a`` and ``b`` are spread over: its
            size, or the part not taken by disjoint children when both come
            from children of it. None when the two share nobody: unrelated, or
            inside different children of which one is declared disjoint.

        Examples
        --------
        >>> tree = PopulationTree({"world": 1_000, "eu": 400, "nl": 100, "abroad": 300},
        ...                       {"world": None, "eu": "world", "nl": "eu", "abroad": "world"},
        ...                       disjoint=frozenset({"abroad"}))
        >>> tree.random_overlap_population("nl", "abroad") is None
        True
        >>> tree.random_overlap_population("nl", "world")
        ('world', 1000.0)
        """
        common = self.common([a, b])
        if common is None:
            return None
        below = [_child_towards(self.part_of, p, common) for p in (a, b)]
        if None in below:  # one of them is the common population itself
            return common, float(self.sizes[common])
        if self.disjoint.intersection(below):
            return None
        return common, float(self.shared_part.get(common, self.sizes[common]))

    def common(self, populations: Iterable[str]) -> str | None:
        """The smallest population enclosing all given ones, or None if some are unrelated."""
        found: str | None = None
        for i, p in enumerate(populations):
            found = p if i == 0 else (smallest_common_population(self.part_of, found, p)
                                      if found is not None else None)
            if found is None:
                return None
        return found


def tree_cells(tree: PopulationTree, population: str) -> tuple[float, str | None]:
    """A population's size and the name of its cell-size model (None: equally likely cells).

    Examples
    --------
    >>> tree_cells(PopulationTree({"nl": 100}, {"nl": None}, cells={"nl": "nl"}), "nl")
    (100.0, 'nl')
    """
    return float(tree.sizes[population]), tree.cells.get(population)


def _child_towards(part_of: Mapping[str, str | None], population: str, ancestor: str
                   ) -> str | None:
    """The child of ``ancestor`` that encloses ``population`` (None if it is the ancestor)."""
    chain = population_chain(part_of, population)
    i = chain.index(ancestor)
    return chain[i - 1] if i else None


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
    the fold is exact under the model. A child declared disjoint
    (``tree.disjoint``) shares nobody with its siblings: its covered persons
    are added, and the other children are random subsets of the rest of the
    parent, ``R = N - sum of the disjoint children's sizes``; persons drawn
    from ``P`` itself cover a share ``D/N`` of every part alike, so
    ``U(P) = D + (1 - D/N) (sum_disjoint U(c) + U_R)``, with ``D`` the
    persons the parts of ``P`` cover and ``U_R`` the other children folded
    in ``R``. ``U(P) <= N`` always.

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

    A region abroad declared disjoint from the EU, both part of the world:

    >>> apart = PopulationTree({"world": 1_000, "eu": 500, "abroad": 500},
    ...                        {"world": None, "eu": "world", "abroad": "world"},
    ...                        disjoint=frozenset({"abroad"}))
    >>> union_size([("eu", 500), ("abroad", 500)], apart)
    1000.0
    >>> union_size([("eu", 250), ("abroad", 250), ("world", 500)], apart)
    750.0
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
    if tree.disjoint:
        return _union_with_disjoint(covered, tree)
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


def _union_with_disjoint(direct: dict[str, float], tree: PopulationTree) -> float:
    """The fold of :func:`union_size` when some populations are disjoint from their siblings.

    ``direct[P]``: persons of ``P`` covered by parts drawn from ``P`` itself.
    """
    depth, part_of, sizes, rest_size = tree.depth, tree.part_of, tree.sizes, tree.shared_part
    apart: dict[str, float] = {}  # persons covered in P's disjoint children, summed
    rest: dict[str, float] = {}   # persons covered in P's other children, folded in R
    pending = set(direct)
    total = 0.0
    while pending:
        population = max(pending, key=lambda p: (depth[p], p))
        pending.discard(population)
        n = float(sizes[population])
        d = direct.get(population, 0.0)
        children = apart.get(population, 0.0) + rest.get(population, 0.0)
        s = d + children - d * children / n
        parent = part_of.get(population)
        if parent is None:
            total += s
            continue
        pending.add(parent)
        if population in tree.disjoint:
            apart[parent] = apart.get(parent, 0.0) + s
        else:
            r = float(rest_size.get(parent, sizes[parent]))
            u = rest.get(parent, 0.0)
            rest[parent] = u + s - u * s / r
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

    Within a block, datasets are added largest first. A dataset with stated
    overlaps with earlier members shares the largest stated number with them
    (the smaller statements lie within it), above or below the independence
    estimate, and its other persons meet the earlier members it has no
    statement with at random; without any statement it meets the whole block
    at random. A stated 0 therefore adds all its persons, and a block never
    counts fewer persons than its largest member.
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
            pairs = [tuple(sorted((n, m))) for m in order[:i]]
            if statements := [known[pair] for pair in pairs if pair in known]:
                stated = min(persons, max(statements))
                # the earlier members it has no statement with, met at random
                unstated = [_persons(G, m) for pair, m in zip(pairs, order[:i], strict=True)
                            if pair not in known]
                others = size_n * (1.0 - math.prod(1.0 - m / size_n for m in unstated))
                shared = min(persons, union, stated + (persons - stated) * others / size_n)
            else:
                shared = min(persons, persons * union / size_n)
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

    Two sets of 500 from 1,000 people, stated to share nobody (independent
    draws would share 250):

    >>> G = nx.Graph(populations=PopulationTree({"p": 1_000}, {"p": None}),
    ...              known_overlaps={("a", "b"): 0})
    >>> G.add_nodes_from("ab", persons=500, population="p")
    >>> distinct_persons(G, "ab")
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
