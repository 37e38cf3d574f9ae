"""The held-subset assessor of the timeline: every rule on the datasets held on a day."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from scipy import sparse

from ..combinations import ExposureSet, cumulative_level, exposure_sets
from ..evaluate import POLICY_UNITS, Evaluation, break_even_use_rate, judge
from ..inventory import Inventory
from ..parameters import PolicyParams, params_for
from ..persons import distinct_persons
from ..policies import (
    BlockKey,
    PolicyResult,
    _cover_rows,
    _escalate,
    _escalation_criteria,
    _escalation_result,
    get_policy,
)
from ..rulebook import Rulebook

if TYPE_CHECKING:
    from ..analysis import Analysis
RESTRICTING_KINDS = ("edge", "chain", "connected_subsets")

#: The order :func:`bulkimpact.combinations.exposure_sets` gives kinds (first kind wins).
KIND_ORDER = ("investigation", "edge", "k_hop", "component", "chain", "connected_subsets")

#: Per-rule figures of a timeline step (a subset of :data:`bulkimpact.evaluate.POLICY_UNITS`).
TIMELINE_METRICS = ("under_protected", "under_protected_persons", "escalated",
                    "escalated_persons", "escalated_slight", "escalation_cost",
                    "authorisations_per_year", "total_burden")

#: What each figure of a timeline counts (the JSON carries it as ``units``).
TIMELINE_UNITS: dict[str, str] = {
    "datasets_held": "datasets held on the day",
    "persons_held": "expected distinct persons held in the datasets held",
    "exposure_sets": "exposure sets among the datasets held",
    "raised_sets": "exposure sets among the datasets held that are heavier than each of "
                   "their members on its own",
    "raised_persons": "expected distinct persons held in the member datasets of the raised "
                      "sets",
    "days": "days the step lasts (None for the last, open step)",
    "held_past_term_days": "days a dataset was held after its term in force",
    **{k: POLICY_UNITS[k] for k in TIMELINE_METRICS},
}


_NONE: frozenset[str] = frozenset()

def held_inventory(inventory: Inventory, held: Iterable[str]) -> Inventory:
    """The inventory as held: only the ``held`` datasets, their overlaps and investigations.

    Overlaps with datasets no longer held are dropped; an investigation keeps
    its held datasets and is dropped when fewer than two remain.

    Examples
    --------
    >>> from bulkimpact.inventory import load_inventory
    >>> inv = load_inventory("data/synthetic/baseline.yaml")
    >>> sub = held_inventory(inv, ["leak-webshop-2019", "telecom-subscribers"])
    >>> [d.id for d in sub.datasets]
    ['leak-webshop-2019', 'telecom-subscribers']
    """
    keep = set(held)
    datasets = [d.model_copy(update={"overlaps": [o for o in d.overlaps if o.with_ in keep]})
                for d in inventory.datasets if d.id in keep]
    investigations = []
    for inv in inventory.investigations:
        members = [m for m in inv.datasets if m in keep]
        if len(members) >= 2:
            investigations.append(inv.model_copy(update={"datasets": members}))
    return inventory.model_copy(update={"datasets": datasets,
                                        "investigations": investigations})


class _HeldAssessor:
    """Assesses any held subset of an analysis's datasets by restricting the full graph.

    Evaluations are memoised by held set, so a what-if pays only for the days
    its held set differs from the baseline's. It may be called from several
    threads at once (:func:`retention_timeline`): what it shares between calls
    are memo tables whose entries depend only on their keys.
    """

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.G = analysis.graph
        self.order = list(self.G.nodes)
        self.index = {n: i for i, n in enumerate(self.order)}
        params = analysis.params
        restricted = [k for k in analysis.include if k in RESTRICTING_KINDS]
        self.per_day_kinds = tuple(k for k in analysis.include if k not in RESTRICTING_KINDS)
        self.base: list[ExposureSet] = (
            exposure_sets(self.G, analysis.rulebook, include=restricted, k=params.k,
                          max_sets=params.max_sets, max_set_size=params.max_set_size)
            if restricted else [])
        rows = [i for i, s in enumerate(self.base) for _ in s.members]
        cols = [self.index[n] for s in self.base for n in s.members]
        self.incidence = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(self.base), len(self.order)))
        self.sizes = np.array([len(s.members) for s in self.base], dtype=float)
        self._memo: dict[frozenset[str], tuple[nx.Graph, Evaluation, float]] = {}
        # minimal_escalation's criteria per dataset (they do not depend on what else is held)
        self.costs, self.records = _escalation_criteria(self.G)
        # minimal_escalation's blocks solved so far, by content (policies._escalate)
        self._blocks: dict[BlockKey, tuple[dict[str, int], float]] = {}
        self._row_keys: dict[tuple[str, ...], Any] = {}  # policies._cover_rows' keys
        self._levels: dict[frozenset[str], int] = {}
        self._strong_levels: dict[frozenset[str], int] = {}
        self._strong: nx.Graph | None = None
        self._strong_lock = threading.Lock()
        self._top: dict[bool, dict[str, frozenset[str]]] = {}

    def graph(self, held: frozenset[str]) -> nx.Graph:
        """The held subgraph: nodes and links in the full graph's order, investigations cut."""
        G = self.G
        H = nx.Graph()
        H.graph.update(G.graph)
        H.graph["investigations"] = {
            i: kept for i, members in G.graph.get("investigations", {}).items()
            if len(kept := [m for m in members if m in held]) >= 2}
        # The raw dicts, filtered: nodes and each adjacency in the full graph's order (as a
        # fresh build gives them), attribute dicts shared with the full graph as a subgraph
        # view shares them; some forty times faster than add_edges_from on every change.
        H._node.update((n, G._node[n]) for n in self.order if n in held)
        H._adj.update((n, {v: d for v, d in G._adj[n].items() if v in held}) for n in H._node)
        return H

    def sets(self, H: nx.Graph, held: frozenset[str]) -> list[ExposureSet]:
        """The exposure sets among the held datasets, in :func:`exposure_sets`' order."""
        analysis, params = self.analysis, self.analysis.params
        groups: dict[str, list[ExposureSet]] = {k: [] for k in KIND_ORDER}
        if self.base:
            mask = np.zeros(len(self.order))
            mask[[self.index[n] for n in held]] = 1.0
            for i in np.flatnonzero(self.incidence @ mask == self.sizes):
                s = self.base[i]
                groups[s.kind].append(s)
        if self.per_day_kinds:
            for s in exposure_sets(H, analysis.rulebook, include=self.per_day_kinds,
                                   k=params.k, max_sets=params.max_sets,
                                   max_set_size=params.max_set_size):
                groups[s.kind].append(s)
        seen: set[tuple[str, ...]] = set()
        out = []
        for kind in KIND_ORDER:
            for s in groups[kind]:
                if s.members not in seen:
                    seen.add(s.members)
                    out.append(s)
        return out

    def assess(self, held: frozenset[str], chain: _Chain | None = None,
               ) -> tuple[nx.Graph, Evaluation, float]:
        """Held subgraph, every rule's evaluation, and distinct persons held.

        ``chain`` carries the last optimum of minimal escalation from one held
        set to the next (:meth:`_minimal_escalation`); a fresh one when omitted.
        """
        if held not in self._memo:
            chain = chain if chain is not None else _Chain()
            a = self.analysis
            H = self.graph(held)
            sets = self.sets(H, held)
            # Only a set heavier than each of its members on its own can be under-protected,
            # authorised or a cover row: the rules and the judging see those, and the
            # evaluation still carries every set (the outcomes are the same, the tests check).
            raised = [s for s in sets if s.raised]
            results = {name: self._apply(name, H, raised, chain) for name in a.policies}
            self._memo[held] = (H, evaluation_of(H, a.rulebook, sets, results, a.params,
                                                 judged=raised),
                                distinct_persons(H, H.nodes))
        return self._memo[held]

    def _level(self, members: Iterable[str], strong: bool = False) -> int:
        """``L(S)`` of a linked set, memoised: it depends only on the members and their links.

        A set that holds a link whose two datasets together reach the
        rulebook's top level is at the top level itself (levels never fall as
        datasets join a linked set: the profile only gains, see
        :func:`~bulkimpact.combinations.union_profile`), so its level needs no
        scoring: most components and k-hop balls of a dense inventory.
        """
        key = frozenset(members)
        memo = self._strong_levels if strong else self._levels
        if key not in memo:
            top_links = self._top_links(strong)
            if any(not top_links.get(n, _NONE).isdisjoint(key) for n in key):
                memo[key] = self.analysis.rulebook.max_level
            else:
                G = self._strong_graph() if strong else self.G
                memo[key] = cumulative_level(G, key, self.analysis.rulebook).level
        return memo[key]

    def _top_links(self, strong: bool) -> dict[str, frozenset[str]]:
        """Per dataset, the datasets it links to (strong links only for the threshold rule)
        at the rulebook's top level as a pair; built once per kind of link."""
        with self._strong_lock:
            if strong not in self._top:
                G = self._strong_graph_unlocked() if strong else self.G
                top = self.analysis.rulebook.max_level
                rulebook = self.analysis.rulebook
                found: dict[str, set[str]] = {}
                for u, v in G.edges():
                    if cumulative_level(G, (u, v), rulebook).level >= top:
                        found.setdefault(u, set()).add(v)
                        found.setdefault(v, set()).add(u)
                self._top[strong] = {n: frozenset(vs) for n, vs in found.items()}
        return self._top[strong]

    def _strong_graph(self) -> nx.Graph:
        """The full graph with only the links the threshold rule counts (built once)."""
        with self._strong_lock:
            return self._strong_graph_unlocked()

    def _strong_graph_unlocked(self) -> nx.Graph:
        if self._strong is None:
            t = self.analysis.params.t
            strong = nx.Graph(**self.G.graph)
            strong.add_nodes_from(self.G.nodes(data=True))
            strong.add_edges_from((u, v, d) for u, v, d in self.G.edges(data=True)
                                  if d.get("strength", 0.0) >= t)
            self._strong = strong
        return self._strong

    def _apply(self, name: str, H: nx.Graph, sets: Sequence[ExposureSet],
               chain: _Chain) -> PolicyResult:
        """Decision rule ``name`` on the held subgraph.

        component, k_hop and threshold are the rules of :mod:`bulkimpact.policies`
        with their group levels memoised across days (a group's level does not
        depend on what else is held; the tests check each against the rule
        itself); minimal_escalation is :meth:`_minimal_escalation`; the others
        are called as they are.
        """
        a = self.analysis
        own = {n: int(H._node[n]["level"]) for n in H}
        if name == "minimal_escalation":
            return self._minimal_escalation(H, sets, chain)
        if name in ("component", "threshold"):
            strong = name == "threshold"
            regime = dict(own)
            links = self._strong_graph()._adj if strong else H._adj
            for group in _components(H._node, links):
                if len(group) >= 2:
                    level = self._level(group, strong)
                    for n in group:
                        regime[n] = max(regime[n], level)
            return PolicyResult(name, regime, params={"t": a.params.t} if strong else {})
        if name == "k_hop":
            k, regime = a.params.k, dict(own)
            for n in H:
                ball = ([n, *H._adj[n]] if k == 1
                        else nx.single_source_shortest_path_length(H, n, cutoff=k))
                if len(ball) >= 2:
                    regime[n] = max(regime[n], self._level(ball))
            return PolicyResult("k_hop", regime, params={"k": k})
        policy = get_policy(name)
        return policy(H, sets, a.rulebook, **params_for(policy, a.params))

    def _minimal_escalation(self, H: nx.Graph, sets: Sequence[ExposureSet],
                            chain: _Chain) -> PolicyResult:
        """:func:`~bulkimpact.policies.minimal_escalation`, solved again only when needed.

        The MILP depends on the held set only through its cover rows (set,
        level) and its datasets' criteria (cost, records), which do not change
        from day to day. With ``R`` the last day's rows, ``x`` its optimum and
        ``R'`` today's, ``x`` restricted to the datasets still held is today's
        optimum when (a) every row that has gone is met by a dataset that has
        gone, at the level ``x`` gave it, and (b) ``x`` meets every new row.
        By (a), any regime meeting ``R ∩ R'`` plus the gone datasets at their
        levels meets ``R``; the criteria add up over datasets, so no regime
        does better on ``R ∩ R'`` than ``x`` without the gone datasets. By (b)
        that regime meets ``R'``, whose regimes all meet ``R ∩ R'``. So it is
        kept: a day that only adds rows ``x`` already meets, or that ends a
        dataset ``x`` had raised as far as its rows needed, takes no solve.
        (Where the three criteria leave a tie, the regime kept is one of the
        tied optima, as a fresh solve's is.)
        """
        own = {n: int(H._node[n]["level"]) for n in H}
        rows = frozenset(_cover_rows(sets, own, self._row_keys))
        costs = self.costs  # a dataset's cost does not depend on what else is held
        if chain.last is not None:
            last_rows, last_escalated = chain.last
            gone = {n: r for n, r in last_escalated.items() if n not in own}
            kept = {n: r for n, r in last_escalated.items() if n in own}
            if (all(any(gone.get(n, -1) >= lvl for n in members)
                    for members, lvl in last_rows - rows)
                    and all(max(kept.get(n, own[n]) for n in members) >= lvl
                            for members, lvl in rows - last_rows)):
                chain.last = (rows, kept)
                return _escalation_result(own, costs, kept, 0.0, reused=True)
        escalated, gap = _escalate(list(rows), own, costs, list(H),
                                   self.analysis.params.time_limit, self._blocks,
                                   self.records)
        chain.last = (rows, escalated)
        return _escalation_result(own, costs, escalated, gap)


class _Chain:
    """The last optimum of minimal escalation met along a run of held sets (rows, regime)."""

    def __init__(self) -> None:
        self.last: tuple[frozenset[Any], dict[str, int]] | None = None


def _components(held: Mapping[str, Any], links: Mapping[str, Mapping[str, Any]],
                ) -> Iterable[set[str]]:
    """The connected components among ``held`` (in its order) of the links ``links`` (an
    adjacency of a graph holding at least ``held``; links to others are passed over).

    Examples
    --------
    >>> links = {"a": {"b": {}}, "b": {"a": {}, "c": {}}, "c": {"b": {}}, "d": {}}
    >>> [sorted(c) for c in _components(dict.fromkeys("abd"), links)]
    [['a', 'b'], ['d']]
    """
    seen: set[str] = set()
    for start in held:
        if start in seen:
            continue
        group = {start}
        frontier = [start]
        while frontier:
            n = frontier.pop()
            for v in links[n]:
                if v not in group and v in held:
                    group.add(v)
                    frontier.append(v)
        seen |= group
        yield group


def evaluation_of(G: nx.Graph, rulebook: Rulebook, sets: Sequence[ExposureSet],
                  results: Mapping[str, PolicyResult], params: PolicyParams,
                  judged: Sequence[ExposureSet] | None = None) -> Evaluation:
    """The :class:`~bulkimpact.evaluate.Evaluation` of decision rules already applied.

    What :func:`~bulkimpact.evaluate.evaluate_policies` does after applying
    the rules: judge each on the same sets (``judged``, default ``sets``),
    and the break-even use rate. Judging only the raised sets gives the same
    outcomes: a set no heavier than a member on its own is never
    under-protected nor authorised.
    """
    judged = sets if judged is None else judged
    outcomes = {name: judge(G, judged, r, rulebook.low_intrusion_level, rulebook, params)
                for name, r in results.items()}
    break_even = None
    if "minimal_escalation" in outcomes:
        o = outcomes["minimal_escalation"]
        break_even = break_even_use_rate(judged, o.own_level, rulebook, o.total_burden,
                                         params.horizon_years)
    return Evaluation(outcomes, tuple(sets), G.number_of_nodes(), params, break_even)
