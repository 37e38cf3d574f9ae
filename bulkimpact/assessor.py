"""One assessor: the linkage graph, levels, exposure sets and every decision rule, in one place.

An :class:`Assessor` owns what the decision rules of one inventory under one
openness reading are computed from: the linkage graph, the exposure sets, the
cumulative levels of member sets (memoised: a linked set's level depends only
on its members and the links among them, never on which other datasets are
held), the restriction to a subset of datasets held (:meth:`Assessor.scope`,
for the retention timeline and the what-ifs), and the warm start of minimal
escalation along a run of held sets. Every decision rule of
:mod:`bulkimpact.policies` takes a :class:`Scope` with one signature,

    rule(scope, sets, **params) -> PolicyResult

and :meth:`Assessor.evaluate` judges them all: the analysis, the sweeps, the
sensitivity tornado, the retention timeline and its what-ifs go through it.

The fast paths, each equal to the plain definition (``tests/test_fast_paths.py``)
----------------------------------------------------------------------------------
- A group's level is memoised by its members; a group holding a link whose two
  datasets together reach the rulebook's top level is at the top level without
  scoring (levels never fall as linked datasets join: the union profile only
  gains, :func:`~bulkimpact.combinations.union_profile`).
- A held subset's graph is the full graph's nodes and links among the held, in
  the full graph's order (:meth:`Assessor.restricted_graph`); the exposure sets
  that only restrict (links, chains, connected subsets) are the full
  inventory's sets with every member held (one sparse product), the others are
  built on the held graph.
- Only the sets heavier than each of their members on their own (``raised``)
  can be under-protected, authorised or a cover row: the rules and the judging
  see those; the evaluation still carries every set.
- Minimal escalation's blocks are cached by content, and the last optimum along
  a run of held sets is kept when it provably stays optimal
  (:meth:`Scope.escalation`).

Examples
--------
>>> from bulkimpact.examples import toy_graph, toy_rulebook
>>> assessor = Assessor(toy_graph("services"), toy_rulebook())
>>> ev = assessor.evaluate(policies=["per_dataset", "component"])
>>> ev.outcomes["per_dataset"].under_protected, ev.outcomes["component"].escalated
(1, 3)
>>> assessor.evaluate(held=frozenset({"forum", "adtech"}),
...                   policies=["per_dataset"]).outcomes["per_dataset"].under_protected
0
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
from scipy import sparse

from .combinations import (
    ExposureSet,
    candidate_sets,
    cumulative_level,
    exposure_sets,
    link_levels,
    without_covered_parts,
)
from .evaluate import Evaluation, break_even_use_rate, judge, regime_cost
from .parameters import (
    DEFAULT_HORIZON_YEARS,
    DEFAULT_INCLUDE,
    PolicyParams,
    params_for,
    policy_params,
)
from .persons import distinct_persons
from .policies import (
    POLICIES,
    BlockKey,
    PolicyResult,
    Row,
    cover_rows,
    escalate,
    escalation_criteria,
    get_policy,
    step_cost,
)
from .rulebook import Rulebook

__all__ = ["Assessor", "Scope", "WarmStart", "evaluate_policies", "RESTRICTING_KINDS",
           "KIND_ORDER"]

#: Exposure-set kinds whose sets among held datasets are the whole inventory's sets with every
#: member held.
RESTRICTING_KINDS = ("edge", "chain", "connected_subsets")

#: The order :func:`bulkimpact.combinations.exposure_sets` gives kinds (first kind wins).
KIND_ORDER = ("investigation", "edge", "k_hop", "component", "chain", "connected_subsets")

_NONE: frozenset[str] = frozenset()


class WarmStart:
    """The last regime of minimal escalation met along a run of held sets: its cover rows,
    the regime, and how far its cost may lie above the optimum (0: proven optimal; a bounded
    regime's objective minus its bound)."""

    def __init__(self) -> None:
        self.last: tuple[frozenset[Row], dict[str, int], float] | None = None


class Found(NamedTuple):
    """Minimal escalation's answer on a scope: the datasets raised, the MIP gap, whether the
    last optimum of the run was kept, and whether a solve stopped at its time limit."""

    escalated: dict[str, int]
    gap: float
    kept: bool
    bounded: bool = False


class Scope:
    """The assessor restricted to the datasets held: what a decision rule is applied to.

    ``graph`` holds the held datasets and the links among them; ``own`` their
    own levels in the graph's order. A rule asks the scope for group levels
    (:meth:`level`), connected groups (:meth:`groups`), balls (:meth:`ball`)
    and the minimal escalation of cover rows (:meth:`escalation`), and gets
    the assessor's memoised answers. With ``bounded`` a minimal escalation that stops at
    its time limit gives the best regime found, with its bound and gap (status
    ``"bounded"``), instead of raising :class:`~bulkimpact.policies.SolverError`.
    """

    def __init__(self, assessor: Assessor, graph: nx.Graph, warm: WarmStart | None = None,
                 bounded: bool = False):
        self.assessor = assessor
        self.graph = graph
        self.warm = warm if warm is not None else WarmStart()
        self.bounded = bounded
        self.own: dict[str, int] = {n: int(a["level"]) for n, a in graph.nodes(data=True)}

    @property
    def rulebook(self) -> Rulebook:
        return self.assessor.rulebook

    def level(self, members: Iterable[str], t: float | None = None) -> int:
        """``L(S)`` of linked ``members`` (on links of strength ``>= t`` when ``t`` is given)."""
        return self.assessor.level(members, t)

    def groups(self, t: float | None = None) -> list[set[str]]:
        """The connected groups of held datasets (through links of strength ``>= t``), each
        in the order of its first dataset.

        Equal to ``nx.connected_components`` of the strong links' subgraph on the held
        datasets; searched on the raw adjacency of the strong links, held datasets only (a
        subgraph view filtered every neighbour through two views: a tenth of a timeline).
        """
        if t is None:
            return [set(c) for c in nx.connected_components(self.graph)]
        strong, held = self.assessor.links(t)._adj, self.graph._node
        found: list[set[str]] = []
        seen: set[str] = set()
        for n in held:
            if n in seen:
                continue
            group, stack = {n}, [n]
            while stack:
                for v in strong[stack.pop()]:
                    if v in held and v not in group:
                        group.add(v)
                        stack.append(v)
            seen |= group
            found.append(group)
        return found

    def ball(self, n: str, k: int) -> list[str]:
        """``n`` and the held datasets up to ``k`` links away."""
        if k == 1:
            return [n, *self.graph.adj[n]]
        return list(nx.single_source_shortest_path_length(self.graph, n, cutoff=k))

    def escalation(self, rows: frozenset[Row], time_limit: float) -> Found:
        """The datasets raised by the optimum for cover ``rows``, the MIP gap, whether
        the last optimum of the run was kept, and whether a solve was bounded.

        With ``R`` the last held set's rows, ``x`` its optimum and ``R'`` these
        rows, ``x`` restricted to the datasets still held is optimal here when
        (a) every row that has gone is met by a dataset that has gone, at the
        level ``x`` gave it, and (b) ``x`` meets every new row. By (a), any
        regime meeting ``R ∩ R'`` plus the gone datasets at their levels meets
        ``R``; the criteria add up over datasets, so no regime does better on
        ``R ∩ R'`` than ``x`` without the gone datasets. By (b) that regime
        meets ``R'``, whose regimes all meet ``R ∩ R'``. (Where the criteria
        leave a tie, the regime kept is one of the tied optima, as a fresh
        solve's is.)

        A bounded ``x`` (its cost at most ``slack`` above the optimum of ``R``,
        the objective minus the proven bound) is kept on the same conditions, with
        the same slack: any regime meeting ``R'`` plus the gone datasets meets
        ``R``, so the optimum of ``R'`` is at least the bound of ``R`` minus the
        cost of the gone datasets, which ``x`` loses too. It stays bounded.
        """
        own, warm = self.own, self.warm
        if warm.last is not None:
            last_rows, last_escalated, slack = warm.last
            gone = {n: r for n, r in last_escalated.items() if n not in own}
            kept = {n: r for n, r in last_escalated.items() if n in own}
            if (all(any(gone.get(n, -1) >= lvl for n in members)
                    for members, lvl in last_rows - rows)
                    and all(max(kept.get(n, own[n]) for n in members) >= lvl
                            for members, lvl in rows - last_rows)):
                warm.last = (rows, kept, slack)
                if slack > 0:
                    cost = self._objective(kept)
                    return Found(kept, min(1.0, slack / cost) if cost > 0 else 0.0, True,
                                 cost > 0)
                return Found(kept, 0.0, True)
        a = self.assessor
        found = escalate(list(rows), own, a.costs, list(self.graph), time_limit, a.blocks,
                         a.records, bounded=self.bounded)
        slack = self._objective(found.escalated) * found.gap if found.bounded else 0.0
        warm.last = (rows, found.escalated, slack)
        return Found(found.escalated, found.gap, False, found.bounded)

    def _objective(self, escalated: dict[str, int]) -> float:
        """Minimal escalation's cost of raising ``escalated`` above their own levels."""
        costs, own = self.assessor.costs, self.own
        return float(sum(step_cost(costs[n], lvl) for n, r in escalated.items()
                         for lvl in range(own[n] + 1, r + 1)))

    def cover_rows(self, sets: Sequence[ExposureSet]) -> frozenset[Row]:
        """Minimal escalation's cover rows of ``sets`` (:func:`~bulkimpact.policies.cover_rows`),
        with the row keys kept by the assessor across scopes."""
        return frozenset(cover_rows(sets, self.own, self.assessor.row_keys))


class Assessor:
    """Every decision rule of one linkage graph, on the whole inventory or any held subset.

    Parameters
    ----------
    graph : networkx.Graph
        The linkage graph (:func:`bulkimpact.linkage.build_linkage_graph`).
    rulebook : Rulebook
    params : mapping or PolicyParams, optional
        Decision-rule parameters (validated by :func:`~bulkimpact.parameters.policy_params`).
    include : sequence of str
        Exposure-set kinds judged (:func:`~bulkimpact.combinations.exposure_sets`).
    policies : sequence of str, optional
        The decision rules evaluated (default all of :data:`~bulkimpact.policies.POLICIES`).

    It may be used from several threads at once (the timeline's): what it
    shares between calls are memo tables whose entries depend only on their keys.
    """

    def __init__(self, graph: nx.Graph, rulebook: Rulebook,
                 params: Mapping[str, Any] | PolicyParams | None = None,
                 include: Iterable[str] = DEFAULT_INCLUDE,
                 policies: Iterable[str] | None = None) -> None:
        self.graph = graph
        self.rulebook = rulebook
        checked = policy_params(params)
        implied = graph.graph.get("planned_retention_years")
        #: Where the horizon comes from: the parameter, the inventory's planned retention, or
        #: the stated default (DEFAULT_HORIZON_YEARS).
        self.horizon_source = ("parameter" if checked.horizon_years is not None
                               else "inventory" if implied else "default")
        self.params = checked if checked.horizon_years is not None else checked.model_copy(
            update={"horizon_years": float(implied or DEFAULT_HORIZON_YEARS)})
        self.include = tuple(include)
        self.policies = tuple(policies) if policies is not None else tuple(POLICIES)
        for name in self.policies:
            get_policy(name)
        self.order = list(graph.nodes)
        self.index = {n: i for i, n in enumerate(self.order)}
        # minimal_escalation's criteria per dataset (they do not depend on what else is held)
        self.costs, self.records = escalation_criteria(graph, rulebook, self.params)
        self.blocks: dict[BlockKey, tuple[dict[str, int], float, bool]] = {}
        self.row_keys: dict[tuple[str, ...], Any] = {}
        self._levels: dict[float | None, dict[frozenset[str], int]] = {}
        self._links: dict[float, nx.Graph] = {}
        self._top: dict[float | None, dict[str, frozenset[str]]] = {}
        self._memo: dict[tuple[frozenset[str] | None, bool],
                         tuple[nx.Graph, Evaluation, float]] = {}
        self._lock = threading.Lock()

    # --- levels -------------------------------------------------------------------------

    def links(self, t: float | None = None) -> nx.Graph:
        """The full graph, or (``t`` given) the full graph with only links of strength ``>= t``."""
        if t is None:
            return self.graph
        with self._lock:
            if t not in self._links:
                strong = nx.Graph(**self.graph.graph)
                strong.add_nodes_from(self.graph.nodes(data=True))
                strong.add_edges_from((u, v, d) for u, v, d in self.graph.edges(data=True)
                                      if d.get("strength", 0.0) >= t)
                self._links[t] = strong
            return self._links[t]

    def level(self, members: Iterable[str], t: float | None = None) -> int:
        """``L(S)`` of a linked set of datasets, memoised (on links of strength ``>= t``).

        Equals :func:`~bulkimpact.combinations.cumulative_level` on :meth:`links`.

        Examples
        --------
        >>> from bulkimpact.examples import toy_graph, toy_rulebook
        >>> a = Assessor(toy_graph("services"), toy_rulebook())
        >>> a.level(["adtech", "health-app"]), a.level(["forum"])
        (3, 1)
        """
        key = frozenset(members)
        memo = self._levels.setdefault(t, {})
        if key not in memo:
            if len(key) >= 2 and any(not self._top_links(t).get(n, _NONE).isdisjoint(key)
                                     for n in key):
                memo[key] = self.rulebook.max_level
            else:
                memo[key] = cumulative_level(self.links(t), key, self.rulebook).level
        return memo[key]

    def _top_links(self, t: float | None) -> dict[str, frozenset[str]]:
        """Per dataset, the datasets it links to (on links of strength ``>= t``) at the
        rulebook's top level as a pair; built once per kind of link."""
        G = self.links(t)
        with self._lock:
            if t not in self._top:
                top = self.rulebook.max_level
                found: dict[str, set[str]] = {}
                for (u, v), level in zip(G.edges(), link_levels(G, self.rulebook), strict=True):
                    if level >= top:
                        found.setdefault(u, set()).add(v)
                        found.setdefault(v, set()).add(u)
                self._top[t] = {n: frozenset(vs) for n, vs in found.items()}
            return self._top[t]

    # --- held subsets -------------------------------------------------------------------

    def restricted_graph(self, held: frozenset[str]) -> nx.Graph:
        """The held datasets and the links among them, in the full graph's order, with each
        investigation cut to its held datasets (dropped below two).

        The attribute dicts are the full graph's, shared as a subgraph view shares them.

        Examples
        --------
        >>> from bulkimpact.examples import toy_graph, toy_rulebook
        >>> H = Assessor(toy_graph("services"), toy_rulebook()).restricted_graph(
        ...     frozenset({"adtech", "health-app"}))
        >>> list(H.edges), H.graph["investigations"]
        ([('adtech', 'health-app')], {})
        """
        G = self.graph
        H = nx.Graph()
        H.graph.update(G.graph)
        H.graph["investigations"] = {
            i: kept for i, members in G.graph.get("investigations", {}).items()
            if len(kept := [m for m in members if m in held]) >= 2}
        # The raw dicts, filtered: nodes and each adjacency in the full graph's order (as a
        # fresh build gives them), attribute dicts shared with the full graph as a subgraph
        # view shares them; some forty times faster than add_edges_from on every change.
        # This is the one place in the package that writes networkx's internals.
        H._node.update((n, G._node[n]) for n in self.order if n in held)
        H._adj.update((n, {v: d for v, d in G._adj[n].items() if v in held}) for n in H._node)
        return H

    @property
    def base_sets(self) -> list[ExposureSet]:
        """The whole inventory's exposure sets of the kinds that only restrict to held subsets
        (:data:`RESTRICTING_KINDS`), built once."""
        return self._base[0]

    @cached_property
    def _base(self) -> tuple[list[ExposureSet], sparse.csr_matrix, np.ndarray]:
        """The whole inventory's sets of the restricting kinds, their incidence and sizes."""
        p = self.params
        restricted = [k for k in self.include if k in RESTRICTING_KINDS]
        base = (exposure_sets(self.graph, self.rulebook, include=restricted, k=p.k,
                              max_sets=p.max_sets, max_set_size=p.max_set_size)
                if restricted else [])
        rows = [i for i, s in enumerate(base) for _ in s.members]
        cols = [self.index[n] for s in base for n in s.members]
        incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                      shape=(len(base), len(self.order)))
        return base, incidence, np.array([len(s.members) for s in base], dtype=float)

    def sets(self, held: frozenset[str] | None = None,
             graph: nx.Graph | None = None) -> list[ExposureSet]:
        """The exposure sets among the ``held`` datasets (None: the whole inventory), in
        :func:`~bulkimpact.combinations.exposure_sets`' order.

        An investigation cut to its held datasets is judged like any combination: its part
        that remains counts only when heavier than every set inside it
        (:func:`~bulkimpact.combinations.without_covered_parts`, over all kinds at once, as
        a fresh analysis of the held inventory does)."""
        p = self.params
        if held is None:
            return exposure_sets(self.graph, self.rulebook, include=self.include, k=p.k,
                                 max_sets=p.max_sets, max_set_size=p.max_set_size)
        H = graph if graph is not None else self.restricted_graph(held)
        groups: dict[str, list[ExposureSet]] = {k: [] for k in KIND_ORDER}
        base, incidence, sizes = self._base
        if base:
            mask = np.zeros(len(self.order))
            mask[[self.index[n] for n in held]] = 1.0
            for i in np.flatnonzero(incidence @ mask == sizes):
                groups[base[i].kind].append(base[i])
        per_held = tuple(k for k in self.include if k not in RESTRICTING_KINDS)
        if per_held:
            for s in candidate_sets(H, self.rulebook, include=per_held, k=p.k,
                                    max_sets=p.max_sets, max_set_size=p.max_set_size):
                groups[s.kind].append(s)
        seen: set[tuple[str, ...]] = set()
        out = []
        for kind in KIND_ORDER:
            for s in groups[kind]:
                if s.members not in seen:
                    seen.add(s.members)
                    out.append(s)
        return without_covered_parts(out)

    def scope(self, held: frozenset[str] | None = None, warm: WarmStart | None = None,
              graph: nx.Graph | None = None, bounded: bool = False) -> Scope:
        """The assessor restricted to ``held`` (None: every dataset); ``bounded`` accepts a
        time-limited minimal escalation (:class:`Scope`)."""
        if graph is None:
            graph = self.graph if held is None else self.restricted_graph(held)
        return Scope(self, graph, warm, bounded)

    # --- rules and their evaluation -----------------------------------------------------

    def apply(self, name: str, scope: Scope, sets: Sequence[ExposureSet]) -> PolicyResult:
        """Decision rule ``name`` on ``scope``, with the parameters it names."""
        rule = get_policy(name)
        return rule(scope, sets, **params_for(rule, self.params))

    def evaluate(self, held: frozenset[str] | None = None, warm: WarmStart | None = None,
                 policies: Iterable[str] | None = None) -> Evaluation:
        """Every rule (default :attr:`policies`) judged on the exposure sets among ``held``.

        Memoised by held set for the default rules, so a what-if pays only for
        the held sets that differ from the baseline's.
        """
        return self.assess(held, warm, policies)[1]

    def assess(self, held: frozenset[str] | None = None, warm: WarmStart | None = None,
               policies: Iterable[str] | None = None, bounded: bool = False,
               ) -> tuple[nx.Graph, Evaluation, float]:
        """The graph of ``held``, every rule's evaluation, and the distinct persons held;
        ``bounded`` accepts a time-limited minimal escalation (:class:`Scope`)."""
        names = self.policies if policies is None else tuple(policies)
        memoised = names == self.policies
        key = (held, bounded)
        if memoised and key in self._memo:
            return self._memo[key]
        scope = self.scope(held, warm, bounded=bounded)
        H = scope.graph
        sets = self.sets(held, H)
        raised = [s for s in sets if s.raised]
        results = {name: self.apply(name, scope, raised) for name in names}
        params, rulebook = self.params, self.rulebook
        outcomes = {name: judge(H, raised, r, rulebook.low_intrusion_level, rulebook, params)
                    for name, r in results.items()}
        break_even = None
        if "minimal_escalation" in outcomes:
            o = outcomes["minimal_escalation"]
            base = params.horizon_years * regime_cost(H, o.own_level, rulebook, params)[1]
            break_even = break_even_use_rate(raised, o.own_level, rulebook, o.total_burden,
                                             params.horizon_years, base, params.compliance)
        answer = (H, Evaluation(outcomes, tuple(sets), H.number_of_nodes(), params, break_even),
                  distinct_persons(H, H.nodes))
        if memoised:
            self._memo[key] = answer
        return answer


def evaluate_policies(
    G: nx.Graph,
    rulebook: Rulebook,
    policies: Iterable[str] | None = None,
    params: Mapping[str, Any] | PolicyParams | None = None,
    include: Iterable[str] | None = None,
) -> Evaluation:
    """Apply policies to a linkage graph and measure each on the same exposure sets.

    A shorthand for ``Assessor(G, rulebook, params, include, policies).evaluate()``.

    Parameters
    ----------
    G : networkx.Graph
        Linkage graph (:func:`bulkimpact.linkage.build_linkage_graph`).
    rulebook : Rulebook
    policies : iterable of str, optional
        Names from :data:`bulkimpact.policies.POLICIES`; default all.
    params : mapping or PolicyParams, optional
        Parameters over the defaults (validated by
        :func:`bulkimpact.parameters.policy_params`); each policy gets the
        ones it names.
    include : iterable of str, optional
        Exposure-set kinds judged (default :data:`bulkimpact.parameters.DEFAULT_INCLUDE`).

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook(), ["use_based"])
    >>> o = ev.outcomes["use_based"]
    >>> o.under_protected, o.authorisations, o.authorisations_potential
    (0, 0, 1)
    """
    return Assessor(G, rulebook, params, DEFAULT_INCLUDE if include is None else include,
                    policies).evaluate()
