"""Combinations of linked datasets: union profile, cumulative level and exposure sets.

A set ``S`` of datasets that are linked (connected in the linkage graph) is
scored on its *union profile*: the union of categories, identifiability
propagated through the links, the persons whose records are linked, and public
only if every member is public. Its cumulative level is

    L(S) = max( max_{d in S} L(d), rulebook(union profile) ),

so adding a dataset or an edge never lowers a level. Exposure sets are the
combinations policies are judged on: every edge, every investigation (its
linked parts) and every connected combination of up to ``max_set_size``
datasets (by default three, so a chain A–B–C whose union is heavier than every
pair is judged), and on request k-hop neighbourhoods and whole components.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from .estimates import QiCells
from .parameters import DEFAULT_INCLUDE
from .persons import distinct_persons
from .rulebook import Profile, Rulebook, category_bits, qi_identifiable
from .taxonomy import Taxonomy, default_taxonomy

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Combination",
    "ExposureSet",
    "ExposureSetLimitError",
    "union_profile",
    "linked_persons",
    "cumulative_level",
    "link_levels",
    "exposure_sets",
    "candidate_sets",
    "without_covered_parts",
    "exposure_sets_frame",
    "NotJudged",
    "not_judged",
    "EXPOSURE_KINDS",
    "SET_PERSON_UNITS",
]

EXPOSURE_KINDS = ("edge", "investigation", "chain", "k_hop", "component", "connected_subsets")


class ExposureSetLimitError(ValueError):
    """Raised instead of silently enumerating an exponential number of sets."""


@dataclass(frozen=True)
class Combination:
    """The cumulative level of a linked set, with why.

    ``rules`` are the rules that fired on the union profile; ``member_level``
    is the highest level of a member on its own.
    """

    members: tuple[str, ...]
    level: int
    member_level: int
    persons: float
    rules: tuple[str, ...]
    profile: Profile

    @property
    def raised(self) -> bool:
        """Whether the combination is heavier than every member on its own."""
        return self.level > self.member_level


@dataclass(frozen=True)
class ExposureSet(Combination):
    """A combination policies are judged on, with where it comes from.

    ``persons`` (inherited) counts the persons whose records are linked across
    members (a lower bound, :func:`linked_persons`); ``persons_held`` the
    distinct persons the members hold together
    (:func:`bulkimpact.persons.distinct_persons`); ``uses_per_year`` how often
    the combination is used (its investigations' uses; 0 for a combination no
    investigation makes, whose use rate is a parameter of the burden).
    """

    kind: str = "edge"
    label: str = ""
    persons_held: float = 0.0
    uses_per_year: float = 0.0

    @property
    def grounded(self) -> bool:
        """Combined within an investigation (the CTIVD's stated mechanism: results combined in
        one investigation), rather than merely possible through a link that could be used."""
        return self.kind == "investigation"

#: What each person figure of an exposure set counts (the JSON says it beside the numbers).
SET_PERSON_UNITS = {
    "persons": "expected persons whose records are linked across members (the largest "
               "link count inside the set: a lower bound)",
    "persons_held": "expected distinct persons held in the member datasets together",
}


def linked_persons(G: nx.Graph, nodes: Iterable[str], weight: str = "expected_links") -> float:
    """Persons whose records are linked within a set: the largest link count inside it.

    Notes
    -----
    A lower bound on the persons the combination exposes: at least this many
    persons have records joined across two members. The maximum (not the sum)
    avoids counting the same person once per edge, and it never falls when a
    dataset or an edge is added. A single dataset counts its own persons.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", expected_links=10.0)
    >>> G.add_edge("b", "c", expected_links=4.0)
    >>> linked_persons(G, ["a", "b", "c"])
    10.0
    """
    nodes = list(nodes)
    if len(nodes) == 1:
        return float(G.nodes[nodes[0]].get("persons", 0.0))
    adj = G._adj  # the raw dict of dicts: AdjacencyView lookups dominated the sweeps
    if len(nodes) == 2:  # most exposure sets are single links
        attrs = adj[nodes[0]].get(nodes[1])
        return float(attrs.get(weight, 0.0)) if attrs is not None else 0.0
    if len(nodes) <= 4:  # chains: look the few pairs up directly
        best = 0.0
        for i, u in enumerate(nodes):
            nbrs = adj[u]
            for v in nodes[i + 1:]:
                attrs = nbrs.get(v)
                if attrs is not None and attrs.get(weight, 0.0) > best:
                    best = attrs.get(weight, 0.0)
        return float(best)
    members = set(nodes)
    best = 0.0
    for u in members:
        nbrs = adj[u]
        if len(nbrs) > len(members):  # scan the shorter side: the members, not u's links
            for v in members:
                attrs = nbrs.get(v)
                if attrs is not None and attrs.get(weight, 0.0) > best:
                    best = attrs.get(weight, 0.0)
        else:
            for v, attrs in nbrs.items():
                if v in members and attrs.get(weight, 0.0) > best:
                    best = attrs.get(weight, 0.0)
    return float(best)


def union_profile(
    G: nx.Graph, nodes: Iterable[str], rulebook: Rulebook, taxonomy: Taxonomy | None = None
) -> Profile:
    """The profile of a linked set of datasets.

    Notes
    -----
    Categories: union. Identifiable: any member identifiable (identity
    propagates along links), or the members' quasi-identifiers together
    (each QI name at the finest cardinality any member holds) identify in
    some member's population, on its own cell sizes where it has them
    (node attribute ``cells``; :func:`bulkimpact.rulebook.qi_identifiable`);
    these choices keep the profile monotone as members are added. Persons:
    :func:`linked_persons`. Public: only if every member is public.

    Examples
    --------
    >>> from bulkimpact.rulebook import Profile, load_rulebook, default_rulebook_path
    >>> G = nx.Graph()
    >>> G.add_node("a", profile=Profile(frozenset({"contact"}), True, 100.0, False), qis={},
    ...            population_size=1000)
    >>> G.add_node("b", profile=Profile(frozenset({"location"}), False, 50.0, True), qis={},
    ...            population_size=1000)
    >>> G.add_edge("a", "b", expected_links=20.0)
    >>> p = union_profile(G, ["a", "b"], load_rulebook(default_rulebook_path()))
    >>> sorted(p.categories), p.identifiable, p.persons, p.public
    (['contact', 'location'], True, 20.0, False)
    """
    nodes = list(nodes)
    profiles = [G._node[n]["profile"] for n in nodes]  # raw node dicts: no NodeView per call
    identifiable = any(p.identifiable for p in profiles) or _qi_identify(G, nodes, rulebook)
    return Profile(
        categories=frozenset().union(*(p.categories for p in profiles)),
        identifiable=identifiable,
        persons=linked_persons(G, nodes),
        public=all(p.public for p in profiles),
    )


def _qi_identify(G: nx.Graph, nodes: Sequence[str], rulebook: Rulebook) -> bool:
    """Whether the quasi-identifiers of ``nodes`` together identify (:func:`union_profile`).

    The finest version of each QI, judged in any member's population with its own cell
    sizes where it has them: both only grow more identifying as members are added, so
    ``L(S)`` stays monotone.
    """
    qis: dict[str, int] = {}
    attrs = G._node
    for n in nodes:
        for name, card in attrs[n].get("qis", {}).items():
            qis[name] = max(card, qis.get(name, card))
    if not qis:
        return False
    threshold = rulebook.identifiability.min_unique_fraction
    return any(qi_identifiable(QiCells(qis, size, model), threshold)
               for size, model in {(attrs[n]["population_size"], attrs[n].get("cells"))
                                   for n in nodes})


def cumulative_level(
    G: nx.Graph, nodes: Iterable[str], rulebook: Rulebook, taxonomy: Taxonomy | None = None
) -> Combination:
    """Cumulative level ``L(S)`` of a linked set of datasets, with the rules that fired.

    Examples
    --------
    >>> from bulkimpact.rulebook import Profile, load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> G = nx.Graph()
    >>> G.add_node("a", profile=Profile(frozenset({"contact"}), True, 5e3, True), qis={},
    ...            population_size=1e6, level=1)
    >>> G.add_node("b", profile=Profile(frozenset({"location"}), False, 5e3, False), qis={},
    ...            population_size=1e6, level=1)
    >>> G.add_edge("a", "b", expected_links=2000.0)
    >>> c = cumulative_level(G, ["a", "b"], rb)
    >>> c.level, c.member_level, c.raised, "mosaic-identity-location" in c.rules
    (3, 1, True, True)
    """
    taxonomy = taxonomy or default_taxonomy()
    members = tuple(sorted(nodes))
    if len(members) == 1:
        # A single dataset is no combination: its level is its own, L({d}) = L(d).
        node = G.nodes[members[0]]
        return Combination(members=members, level=node["level"], member_level=node["level"],
                           persons=float(node.get("persons", 0.0)),
                           rules=tuple(node.get("rules", ())), profile=node["profile"])
    profile = union_profile(G, members, rulebook, taxonomy)
    score = rulebook.score(profile, taxonomy)
    attrs = G._node  # raw node dicts: no NodeView per call
    member_level = max(attrs[n]["level"] for n in members)
    return Combination(
        members=members,
        level=max(member_level, score.level),
        member_level=member_level,
        persons=profile.persons,
        rules=score.rules,
        profile=profile,
    )


def exposure_set_counts(G: nx.Graph, sets: Sequence[ExposureSet]) -> dict[str, int]:
    """How many exposure sets of each kind, their total, and how many are grounded.

    Each member set is counted once, under the first kind that produced it
    (:func:`exposure_sets`): a link that is also an investigation's part counts as an
    investigation, and ``links_in_investigations`` says how many did, so the kinds add up to
    ``total`` and a reader can reconcile them with the links of the graph.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> G = toy_graph("services")
    >>> exposure_set_counts(G, exposure_sets(G, toy_rulebook()))
    {'investigation': 1, 'edge': 1, 'total': 2, 'grounded': 1, 'possible': 1, \
'links_in_investigations': 1}
    """
    counts: dict[str, int] = {}
    for s in sets:
        counts[s.kind] = counts.get(s.kind, 0) + 1
    grounded = sum(s.grounded for s in sets)
    merged = sum(1 for s in sets if s.grounded and len(s.members) == 2 and G.has_edge(*s.members))
    return {**counts, "total": len(sets), "grounded": grounded,
            "possible": len(sets) - grounded, "links_in_investigations": merged}


def _connected_parts(G: nx.Graph, nodes: Sequence[str]) -> list[list[str]]:
    """The linked parts (two datasets or more) of ``nodes``, each sorted, in the order of
    their first dataset in ``nodes`` (not of a hash-ordered set, which varied by process).

    Examples
    --------
    >>> G = nx.Graph([("c", "d"), ("a", "b")])
    >>> _connected_parts(G, ["d", "a", "b", "c", "x"])
    [['c', 'd'], ['a', 'b']]
    """
    kept = [n for n in nodes if n in G]
    position = {n: i for i, n in enumerate(kept)}
    parts = [c for c in nx.connected_components(G.subgraph(kept)) if len(c) >= 2]
    parts.sort(key=lambda c: min(position[n] for n in c))
    return [sorted(c) for c in parts]


def exposure_sets(
    G: nx.Graph,
    rulebook: Rulebook,
    include: Iterable[str] = DEFAULT_INCLUDE,
    k: int = 1,
    max_sets: int = 1_000_000,
    taxonomy: Taxonomy | None = None,
    max_set_size: int | None = 3,
) -> list[ExposureSet]:
    """The combinations a policy is judged on.

    Parameters
    ----------
    G : networkx.Graph
        Linkage graph (:func:`bulkimpact.linkage.build_linkage_graph`).
    rulebook : Rulebook
    include : iterable of str
        Any of ``"edge"`` (every linked pair), ``"investigation"`` (each
        investigation's datasets, split into their linked parts; a part of three
        or more only when heavier than every other set inside it,
        :func:`without_covered_parts`), ``"chain"``
        (every connected combination of 3 to ``max_set_size`` datasets that is
        heavier than each of its connected parts one dataset smaller),
        ``"k_hop"`` (each dataset with its neighbours up to ``k`` links away),
        ``"component"`` (each connected component) and
        ``"connected_subsets"`` (every connected combination of 2 to
        ``max_set_size`` datasets; refused beyond ``max_sets``).
    k : int
        Radius for ``"k_hop"``.
    max_sets : int
        Refuse (raise :class:`ExposureSetLimitError`) rather than enumerate
        more than this many connected subsets.
    max_set_size : int or None
        Largest connected combination enumerated (None: no limit but
        ``max_sets``).

    Notes
    -----
    A chain that is no heavier than one of its linked parts adds nothing to
    judge: any regime that protects the part protects the chain (its members
    include the part's, and its level is the part's), and counting it would
    count the same gap twice. So ``"chain"`` keeps only combinations heavier
    than each connected part one dataset smaller; ``"connected_subsets"``
    keeps them all.

    Why connected combinations up to a size rather than k-balls: a k-ball
    around ``d`` is one particular combination (``d`` with *all* its
    neighbours), so a chain whose heavy union needs only two of ``d``'s
    neighbours is judged only together with every other neighbour, and a
    policy can protect the ball by escalating a member the chain does not
    contain. Connected subsets judge each chain itself. Their number grows
    as ``sum_d C(deg d, s-1)`` for size ``s``; three (every path or triangle
    of three datasets) keeps a 300-dataset inventory in seconds and catches
    the smallest combination the pairs miss, and ``max_sets`` (candidates
    examined) refuses an enumeration that would explode. Larger sizes and
    whole components remain available.

    Returns
    -------
    list of ExposureSet
        Each distinct member set once, under the first kind that produced it
        in the order investigation, edge, k_hop, component, connected_subsets.

    Examples
    --------
    >>> from bulkimpact.rulebook import Profile, load_rulebook, default_rulebook_path
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> for n in G:
    ...     G.nodes[n].update(profile=Profile(frozenset({"contact"}), True, 10.0, True),
    ...                       qis={}, population_size=100, level=1)
    >>> nx.set_edge_attributes(G, 5.0, "expected_links")
    >>> [s.members for s in exposure_sets(G, load_rulebook(default_rulebook_path()),
    ...                                    include=("edge", "component"))]
    [('a', 'b'), ('b', 'c'), ('a', 'b', 'c')]
    """
    return without_covered_parts(candidate_sets(G, rulebook, include, k, max_sets, taxonomy,
                                                max_set_size))


def candidate_sets(
    G: nx.Graph,
    rulebook: Rulebook,
    include: Iterable[str] = DEFAULT_INCLUDE,
    k: int = 1,
    max_sets: int = 1_000_000,
    taxonomy: Taxonomy | None = None,
    max_set_size: int | None = 3,
) -> list[ExposureSet]:
    """:func:`exposure_sets` before :func:`without_covered_parts`: every investigation part.

    For a caller that assembles the sets of several kinds from several sources
    (:meth:`bulkimpact.assessor.Assessor.sets`) and leaves parts out once, over all of them.
    """
    taxonomy = taxonomy or default_taxonomy()
    include = tuple(include)
    unknown = sorted(set(include) - set(EXPOSURE_KINDS))
    if unknown:
        raise ValueError(f"unknown exposure-set kinds {unknown}; choose from {EXPOSURE_KINDS}")
    candidates: list[tuple[str, str, list[str]]] = []
    # Investigations first: a pair that is both an edge and an investigation is an
    # actual use, which is what the use-based rule's workload counts.
    uses: dict[tuple[str, ...], float] = {}
    if "investigation" in include:
        rates = G.graph.get("uses_per_year", {})
        for inv_id, members in sorted(G.graph.get("investigations", {}).items()):
            for part in _connected_parts(G, members):
                candidates.append(("investigation", inv_id, part))
                # Two investigations combining the same datasets both use the combination.
                uses[tuple(part)] = uses.get(tuple(part), 0.0) + rates.get(inv_id, 1.0)
    if "edge" in include:
        candidates += [("edge", "", sorted(e)) for e in G.edges()]
    if "k_hop" in include:
        for n in sorted(G.nodes):
            ball = nx.ego_graph(G, n, radius=k)
            if ball.number_of_nodes() >= 2:
                candidates.append(("k_hop", f"{n} (k={k})", sorted(ball)))
    if "component" in include:
        for comp in sorted(nx.connected_components(G), key=lambda c: sorted(c)):
            if len(comp) >= 2:
                candidates.append(("component", "", sorted(comp)))
    chains: dict[tuple[str, ...], Combination] = {}
    if "chain" in include:
        chains = _chains(G, rulebook, taxonomy, max_set_size or G.number_of_nodes(), max_sets)
        candidates += [("chain", "", list(m)) for m in chains]
    if "connected_subsets" in include:
        candidates += [("connected_subsets", "", s)
                       for s in _connected_subsets(G, max_sets, max_set_size)]
    seen: set[tuple[str, ...]] = set()
    result = []
    for kind, label, members in candidates:
        key = tuple(members)
        if key in seen:
            continue
        seen.add(key)
        c = chains.get(key) or cumulative_level(G, key, rulebook, taxonomy)
        result.append(ExposureSet(**vars(c), kind=kind, label=label,
                                  persons_held=distinct_persons(G, key),
                                  uses_per_year=uses.get(key, 0.0)))
    return without_covered_parts(result)


def without_covered_parts(sets: Sequence[ExposureSet]) -> list[ExposureSet]:
    """The exposure sets without the investigation parts no heavier than a set they contain.

    An investigation's linked part of three datasets or more is judged like any
    combination (as ``"chain"`` keeps them): only when it is heavier than every
    other exposure set inside it. A part no heavier than a set ``T`` it
    contains adds nothing to judge (any regime that protects ``T`` protects
    it: its members include ``T``'s and its level is ``T``'s) and would count
    the same gap twice. That is what remains of an investigation after a
    destruction, more often than not; the same rule holds on any day.

    Parameters
    ----------
    sets : sequence of ExposureSet
        Each member set once, in :func:`exposure_sets`' order.

    Returns
    -------
    list of ExposureSet
        ``sets`` in their order, without the covered parts. The uses of a part
        left out are uses of the combination it covers: they are added to the
        first kept set inside it at its level (its ``uses_per_year``), so the
        use-based rule still authorises every use of the investigation.

    Notes
    -----
    The test is against the sets judged, not every connected subset: a
    part is compared with the links and chains inside it (and any other set
    judged), so dropping it never leaves a gap unjudged. Parts are taken from
    the smallest, so a part is compared only with sets that stay.

    Examples
    --------
    >>> from bulkimpact.rulebook import Profile
    >>> p = Profile(frozenset({"contact"}), True, 10.0, False)
    >>> pair = ExposureSet(("a", "b"), 2, 1, 10.0, (), p, kind="edge")
    >>> part = ExposureSet(("a", "b", "c"), 2, 1, 10.0, (), p, kind="investigation",
    ...                    label="op", uses_per_year=4.0)
    >>> [(s.members, s.uses_per_year) for s in without_covered_parts([part, pair])]
    [(('a', 'b'), 4.0)]
    """
    parts = [i for i, s in enumerate(sets) if s.kind == "investigation" and len(s.members) >= 3]
    if not parts:
        return list(sets)
    in_parts = {n for i in parts for n in sets[i].members}
    # Per dataset, the sets (among those within some part) it is a member of.
    containing: dict[str, list[int]] = {}
    for j, t in enumerate(sets):
        if all(n in in_parts for n in t.members):
            for n in t.members:
                containing.setdefault(n, []).append(j)
    dropped: set[int] = set()
    extra: dict[int, float] = {}
    for i in sorted(parts, key=lambda i: (len(sets[i].members), i)):
        s = sets[i]
        inside: dict[int, int] = {}
        for n in s.members:
            for j in containing[n]:
                inside[j] = inside.get(j, 0) + 1
        covers = [j for j, count in inside.items()
                  if j != i and j not in dropped and count == len(sets[j].members)
                  and sets[j].level >= s.level]
        if covers:
            dropped.add(i)
            first = min(covers)
            extra[first] = extra.get(first, 0.0) + s.uses_per_year
    return [replace(t, uses_per_year=t.uses_per_year + extra[j]) if j in extra else t
            for j, t in enumerate(sets) if j not in dropped]


class _SetLevels:
    """Cumulative levels of many linked sets of a graph at once, equal to
    :func:`cumulative_level`'s (``tests/test_fast_paths.py``).

    Each dataset's categories are a bit mask, so a set's union profile is a few
    array operations over its members and the rulebook is applied to every set
    at once (:meth:`~bulkimpact.rulebook.Rulebook.score_levels`); only the sets
    with no identifiable member check their quasi-identifiers one by one. With
    more categories than a mask holds, each set is scored on its own.
    """

    def __init__(self, G: nx.Graph, rulebook: Rulebook, taxonomy: Taxonomy) -> None:
        self.G, self.rulebook, self.taxonomy = G, rulebook, taxonomy
        self.nodes = list(G.nodes)
        profiles = [G._node[n]["profile"] for n in self.nodes]
        self.bits = category_bits(rulebook, {c for p in profiles for c in p.categories},
                                  taxonomy)
        if self.bits is not None:
            bits = self.bits
            self.categories = np.array([sum(bits[c] for c in p.categories) for p in profiles],
                                       dtype=np.int64)
            self.identifiable = np.array([p.identifiable for p in profiles], dtype=bool)
            self.public = np.array([p.public for p in profiles], dtype=bool)
        self.level = np.array([G._node[n]["level"] for n in self.nodes], dtype=np.int64)

    def levels(self, members: Sequence[np.ndarray], persons: np.ndarray) -> np.ndarray:
        """``L(S)`` of each set ``S = {members[0][i], members[1][i], ...}`` (node positions)
        whose linked persons (:func:`linked_persons`) are ``persons[i]``."""
        member_level = np.maximum.reduce([self.level[m] for m in members])
        if self.bits is None:
            return np.array([cumulative_level(self.G, [self.nodes[m[i]] for m in members],
                                              self.rulebook, self.taxonomy).level
                             for i in range(len(persons))], dtype=np.int64)
        categories = np.bitwise_or.reduce([self.categories[m] for m in members])
        identifiable = np.logical_or.reduce([self.identifiable[m] for m in members])
        for i in np.flatnonzero(~identifiable):
            identifiable[i] = _qi_identify(self.G, [self.nodes[m[i]] for m in members],
                                           self.rulebook)
        public = np.logical_and.reduce([self.public[m] for m in members])
        score = self.rulebook.score_levels(categories, identifiable, persons, public,
                                           self.bits, self.taxonomy)
        return np.maximum(member_level, score)


def _link_persons(G: nx.Graph) -> np.ndarray:
    """Each link's linked persons (:func:`linked_persons` of its two ends), in ``G.edges`` order."""
    return np.array([float(a.get("expected_links", 0.0)) for _u, _v, a in G.edges(data=True)],
                    dtype=float)


def link_levels(G: nx.Graph, rulebook: Rulebook, taxonomy: Taxonomy | None = None,
                scorer: _SetLevels | None = None) -> np.ndarray:
    """``L({u, v})`` of every link ``(u, v)``, in ``G.edges`` order, all at once.

    Equal to :func:`cumulative_level` of each link's two datasets.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> G = toy_graph("services")
    >>> link_levels(G, toy_rulebook()).tolist() == [
    ...     cumulative_level(G, e, toy_rulebook()).level for e in G.edges]
    True
    """
    if G.number_of_edges() == 0:
        return np.zeros(0, dtype=np.int64)
    scorer = scorer or _SetLevels(G, rulebook, taxonomy or default_taxonomy())
    order = {n: i for i, n in enumerate(G.nodes)}
    a, b = np.array([(order[u], order[v]) for u, v in G.edges], dtype=np.intp).T
    return scorer.levels([a, b], _link_persons(G))


def _chains(G: nx.Graph, rulebook: Rulebook, taxonomy: Taxonomy, max_size: int,
            max_sets: int) -> dict[tuple[str, ...], Combination]:
    """Connected combinations of 3 to ``max_size`` datasets heavier than each connected part.

    Grown one dataset at a time from the links: every connected set of size
    ``s`` is a connected set of size ``s - 1`` plus a neighbour. A set's level
    is computed only when no connected part is already at the top level (then
    the set is there too, by monotonicity). ``max_sets`` bounds the candidates
    examined, with :class:`ExposureSetLimitError` beyond it. The links and the
    sets of three are scored all at once (:class:`_SetLevels`).
    """
    adj = G._adj
    nodes = list(G.nodes)
    order = {n: i for i, n in enumerate(nodes)}
    top = rulebook.max_level

    def key(members: frozenset[str]) -> tuple[str, ...]:
        return tuple(sorted(members, key=order.__getitem__))

    def refuse() -> ExposureSetLimitError:
        return ExposureSetLimitError(
            f"judging chains means examining more than max_sets={max_sets:,} "
            f"connected combinations of up to {max_size} datasets; the graph has "
            f"{G.number_of_nodes()} datasets and {G.number_of_edges()} links. "
            "Lower max_set_size, raise max_sets, or judge 'edge' and "
            "'investigation' only")

    kept: dict[tuple[str, ...], Combination] = {}
    t, best, level = (_triple_levels(G, rulebook, taxonomy, max_sets, refuse) if max_size >= 3
                      else (np.empty((0, 3), dtype=np.intp), np.empty(0), np.empty(0)))
    examined = len(t)
    layer: dict[frozenset[str], int] = {}
    if len(t):
        for i in np.flatnonzero(level > best):
            c = cumulative_level(G, key(frozenset(nodes[j] for j in t[i, :3])), rulebook,
                                 taxonomy)
            kept[c.members] = c
        if max_size >= 4:
            layer = {frozenset(nodes[j] for j in row[:3]): int(lv)
                     for row, lv in zip(t, level, strict=True)}

    def level_of(members: frozenset[str], best_part: int) -> int:
        """The level of a candidate whose heaviest connected part is at ``best_part``;
        kept when heavier. Counts the candidate against ``max_sets``."""
        nonlocal examined
        examined += 1
        if examined > max_sets:
            raise refuse()
        if best_part >= top:  # a part at the top: so is the whole, and it adds nothing
            return top
        c = cumulative_level(G, key(members), rulebook, taxonomy)
        if c.level > best_part:
            kept[c.members] = c
        return c.level

    for _size in range(4, max_size + 1):
        layer = _grow(adj, layer, level_of)
    return dict(sorted(kept.items(), key=lambda kv: (len(kv[0]),
                                                     [order[n] for n in kv[0]])))


def _triple_levels(G: nx.Graph, rulebook: Rulebook, taxonomy: Taxonomy, max_sets: int,
                   refuse: Callable[[], Exception]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every connected set of three datasets, scored all at once (:class:`_SetLevels`).

    Returns the node positions of each triple (columns 0–2), the level of its heaviest
    link and its level (the top level without scoring where a link is at the top: so is the
    whole). More than ``max_sets`` triples raise ``refuse()``.
    """
    nodes = list(G.nodes)
    order = {n: i for i, n in enumerate(nodes)}
    top = rulebook.max_level
    scorer = _SetLevels(G, rulebook, taxonomy)
    # The links, numbered in G.edges order: their linked persons and levels.
    edge_id: dict[str, dict[str, int]] = {n: {} for n in nodes}
    for i, (u, v) in enumerate(G.edges):
        edge_id[u][v] = edge_id[v][u] = i
    # The last entry of each: no link (an open triple's third pair).
    pair_persons = np.array([*_link_persons(G), 0.0])
    pair_level = np.append(link_levels(G, rulebook, taxonomy, scorer), 0)
    # Every connected triple is a centre v with two neighbours u, w; a triangle is met from
    # each corner, so it is taken from its first corner only.
    triples: list[tuple[int, int, int, int, int, int]] = []  # u, v, w and their three links
    for v in nodes:
        ids_v = edge_id[v]
        nbrs = sorted(ids_v, key=order.__getitem__)
        for i, u in enumerate(nbrs):
            ids_u = edge_id[u]
            for w in nbrs[i + 1:]:
                third = ids_u.get(w, -1)
                if third >= 0 and order[v] > min(order[u], order[w]):
                    continue
                triples.append((order[u], order[v], order[w], ids_v[u], ids_v[w], third))
        if len(triples) > max_sets:
            raise refuse()
    if not triples:
        return np.empty((0, 6), dtype=np.intp), np.empty(0, np.int64), np.empty(0, np.int64)
    t = np.array(triples, dtype=np.intp)
    best = np.maximum.reduce([pair_level[t[:, 3]], pair_level[t[:, 4]],
                              pair_level[t[:, 5]]])  # -1 is the no-link entry, level 0
    persons = np.maximum.reduce([pair_persons[t[:, 3]], pair_persons[t[:, 4]],
                                 pair_persons[t[:, 5]]])
    level = np.full(len(t), top, dtype=np.int64)  # a part at the top: so is the whole
    below = best < top
    level[below] = scorer.levels([t[below, 0], t[below, 1], t[below, 2]], persons[below])
    return t, best, level


def _grow(adj: Mapping[str, Mapping[str, Any]], layer: Mapping[frozenset[str], int],
          level_of: Callable[[frozenset[str], int], int]) -> dict[frozenset[str], int]:
    """The connected sets one dataset larger than those of ``layer`` (all connected sets of
    one size, with their levels), each with ``level_of(set, level of its heaviest connected
    part one smaller)``."""
    grown: dict[frozenset[str], int] = {}
    for part in layer:
        for w in {v for n in part for v in adj[n]} - part:
            members = part | {w}
            if members not in grown:
                # Connected parts one smaller: drop a member and stay connected.
                grown[members] = level_of(members, max(
                    layer[p] for x in members if (p := members - {x}) in layer))
    return grown


@dataclass(frozen=True)
class NotJudged:
    """What the exposure sets leave out: connected combinations above ``max_set_size``.

    ``heavier_larger_sets`` counts the connected sets of ``max_set_size + 1``
    datasets heavier than each of their connected parts (the chains the next
    size would add); ``exact`` says whether they were counted one by one or,
    where counting would pass ``max_sets``, bounded from above.
    """

    max_set_size: int | None
    heavier_larger_sets: int
    exact: bool

    def to_json(self) -> dict[str, Any]:
        """The ``not_judged`` record of ``assess --json``."""
        return {"max_set_size": self.max_set_size,
                "heavier_larger_sets": self.heavier_larger_sets, "exact": self.exact}


def not_judged(G: nx.Graph, rulebook: Rulebook, max_set_size: int | None = 3,
               max_sets: int = 1_000_000, taxonomy: Taxonomy | None = None) -> NotJudged:
    """How many connected sets one dataset larger than ``max_set_size`` would be judged.

    Parameters
    ----------
    G : networkx.Graph
        Linkage graph.
    rulebook : Rulebook
    max_set_size : int or None
        Largest connected combination judged, at least 2 (None: all are judged).
    max_sets : int
        Connected sets of size ``max_set_size + 1`` examined at most before
        the count gives way to a bound.

    Returns
    -------
    NotJudged

    Notes
    -----
    The sets of size ``m + 1`` are grown from all connected sets of size
    ``m`` (levels from :func:`cumulative_level`); a set is counted when its
    level exceeds that of each connected part one dataset smaller, as
    ``"chain"`` keeps them (:func:`exposure_sets`). Where more than
    ``max_sets`` would have to be examined, the count is replaced by an upper
    bound: such a set has at least two connected parts of size ``m`` (a
    connected graph has two vertices whose removal keeps it connected), each
    below the top level, and arises from each by adding a neighbour, so at
    most ``floor(sum over those parts T of |N(T) - T| / 2)`` sets qualify.
    Enumerating the sizes up to ``m`` is refused beyond ``max_sets``
    (:class:`ExposureSetLimitError`), as :func:`exposure_sets` refuses it.

    Examples
    --------
    A chain of four whose categories make the top level only all together:

    >>> from bulkimpact.rulebook import Profile, load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> G = nx.path_graph("abcd")
    >>> cats = {"a": "direct_identifier", "b": "online_identifier", "c": "demographic",
    ...         "d": "special_category"}
    >>> for n, cat in cats.items():
    ...     G.add_node(n, profile=Profile(frozenset({cat}), n == "a", 10.0, False), qis={},
    ...                population_size=1_000, level=1)
    >>> nx.set_edge_attributes(G, 10.0, "expected_links")
    >>> not_judged(G, rb, max_set_size=3)
    NotJudged(max_set_size=3, heavier_larger_sets=1, exact=True)
    >>> not_judged(G, rb, max_set_size=4).heavier_larger_sets
    0
    """
    if max_set_size is None or max_set_size + 1 > G.number_of_nodes():
        return NotJudged(max_set_size, 0, True)
    taxonomy = taxonomy or default_taxonomy()
    adj, top = G._adj, rulebook.max_level
    examined = 0

    def refuse() -> ExposureSetLimitError:
        return ExposureSetLimitError(
            f"counting the combinations not judged means examining more than "
            f"max_sets={max_sets:,} connected combinations of up to {max_set_size} "
            "datasets; lower max_set_size or raise max_sets")

    def level_of(members: frozenset[str], best_part: int) -> int:
        nonlocal examined
        examined += 1
        if examined > max_sets:
            raise refuse()
        if best_part >= top:  # a part at the top: so is the whole
            return top
        return cumulative_level(G, tuple(sorted(members)), rulebook, taxonomy).level

    if max_set_size >= 3:  # the triples scored all at once, as the chains are
        t, _best, level = _triple_levels(G, rulebook, taxonomy, max_sets, refuse)
        nodes = list(G.nodes)
        layer = {frozenset((nodes[u], nodes[v], nodes[w])): int(lv)
                 for (u, v, w), lv in zip(t[:, :3].tolist(), level.tolist(), strict=True)}
        examined = len(layer)
    else:
        layer = {frozenset(e): cumulative_level(G, tuple(sorted(e)), rulebook, taxonomy).level
                 for e in G.edges}
    for _size in range(4, max_set_size + 1):
        layer = _grow(adj, layer, level_of)
    examined, heavier = 0, 0

    def count_heavier(members: frozenset[str], best_part: int) -> int:
        nonlocal examined, heavier
        examined += 1
        if examined > max_sets:
            raise _TooMany
        if best_part < top:
            level = cumulative_level(G, tuple(sorted(members)), rulebook, taxonomy).level
            heavier += level > best_part
        return 0

    outside = _neighbours_outside(adj, layer)
    try:
        if _surely_too_many(outside, max_set_size + 1, max_sets):
            raise _TooMany
        _grow(adj, layer, count_heavier)
    except _TooMany:
        bound = sum(outside[part] for part, level in layer.items() if level < top) // 2
        return NotJudged(max_set_size, bound, False)
    return NotJudged(max_set_size, heavier, True)


def _surely_too_many(outside: Mapping[frozenset[str], int], size: int, max_sets: int) -> bool:
    """Whether more than ``max_sets`` connected sets of ``size`` datasets grow from the sets
    one smaller whose ``outside`` neighbours are counted: each grows from at most ``size``
    of them (one per member dropped), so more than ``size × max_sets`` ways to grow one mean
    more than ``max_sets`` sets, and counting them one by one would stop anyway.

    Examples
    --------
    >>> outside = {frozenset("ab"): 5, frozenset("bc"): 4}
    >>> _surely_too_many(outside, 3, 2), _surely_too_many(outside, 3, 3)
    (True, False)
    """
    return sum(outside.values()) > size * max_sets


def _neighbours_outside(adj: Mapping[str, Mapping[str, Any]],
                        layer: Iterable[frozenset[str]]) -> dict[frozenset[str], int]:
    """For each set of ``layer``, how many datasets outside it are linked to one of its
    members (``len({v for n in part for v in adj[n]} - part)``, on bit masks).

    Examples
    --------
    >>> G = nx.path_graph("abcd")
    >>> parts = [frozenset("ab"), frozenset("bc"), frozenset("abcd")]
    >>> [_neighbours_outside(G._adj, parts)[p] for p in parts]
    [1, 2, 0]
    """
    bit = {n: 1 << i for i, n in enumerate(adj)}
    links = {n: sum(bit[v] for v in adj[n]) for n in adj}
    out: dict[frozenset[str], int] = {}
    for part in layer:
        inside = reached = 0
        for n in part:
            inside |= bit[n]
            reached |= links[n]
        out[part] = (reached & ~inside).bit_count()
    return out


class _TooMany(Exception):
    """Counting the sets not judged would pass ``max_sets``."""


def _connected_subsets(G: nx.Graph, max_sets: int,
                       max_size: int | None = None) -> list[list[str]]:
    """All connected subsets of two to ``max_size`` datasets, refused when too many.

    A component of ``n`` datasets has up to ``2**n - n - 1`` of them (a path
    only ``n(n-1)/2``); the exact count is only known by enumerating, which
    stops with :class:`ExposureSetLimitError` beyond ``max_sets``.
    """
    max_size = max_size or G.number_of_nodes()
    components = [sorted(c) for c in nx.connected_components(G) if len(c) >= 2]
    if not components:
        return []
    biggest = max(len(c) for c in components)
    found: list[list[str]] = []
    for comp in components:
        # ESU (Wernicke 2006): every connected subset once, rooted at its smallest node.
        order = {n: i for i, n in enumerate(comp)}
        for root in comp:
            stack = [({root}, {u for u in G[root] if order[u] > order[root]})]
            while stack:
                subset, extension = stack.pop()
                if len(subset) >= 2:
                    found.append(sorted(subset, key=order.get))
                    if len(found) > max_sets:
                        raise ExposureSetLimitError(
                            f"enumerating connected subsets is exponential: more than "
                            f"max_sets={max_sets:,} connected subsets of up to {max_size} "
                            f"datasets found before stopping; "
                            f"the largest component has {biggest} datasets, up to "
                            f"2^{biggest} ≈ "
                            f"{2.0 ** biggest:.3g} subsets. Lower max_set_size, use 'edge', "
                            f"'investigation', 'k_hop' or 'component' instead, or raise "
                            f"max_sets"
                        )
                if len(subset) >= max_size:
                    continue
                extension = set(extension)
                neighbourhood = subset.union(*(G[x] for x in subset))
                while extension:
                    w = extension.pop()
                    exclusive = {u for u in G[w] if u not in neighbourhood
                                 and order[u] > order[root]}
                    stack.append((subset | {w}, extension | exclusive))
    # Discovery order follows set iteration, which varies with string hashing between
    # processes; a fixed order keeps every downstream number (and the solver's choice
    # among equally cheap escalations) the same in every process.
    order_of = {n: i for i, n in enumerate(G.nodes)}
    found.sort(key=lambda s: (len(s), [order_of[n] for n in s]))
    return found


def exposure_sets_frame(sets: Sequence[ExposureSet]) -> pd.DataFrame:
    """Exposure sets as a table (one row per set), for notebooks and reports."""
    import pandas as pd

    return pd.DataFrame(
        {
            "kind": s.kind,
            "label": s.label,
            "members": ", ".join(s.members),
            "size": len(s.members),
            "member_level": s.member_level,
            "level": s.level,
            "raised": s.raised,
            "persons": s.persons,
            "persons_held": s.persons_held,
            "uses_per_year": s.uses_per_year,
            "categories": ", ".join(sorted(s.profile.categories)),
            "rules": ", ".join(s.rules),
        }
        for s in sets
    )
