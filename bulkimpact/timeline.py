"""Retention timeline: which bulk datasets are held on each day, and what that adds up to.

A dataset is held from the day it was acquired until the day it ends, and the
held set changes only on those days. On each such day the cumulative
assessment (exposure sets, every decision rule, distinct persons) is made on
the datasets held then; a *what-if* moves end days (destroy a dataset, refuse
an extension) and compares the result with the baseline from then on.

The retention rule (the model's reading, not a statement about practice)
------------------------------------------------------------------------
A dataset is held on day ``t`` when ``acquired <= t < ends``, with ``ends``:

- the ``destroyed`` date, when the inventory gives one (on that day it is gone);
- otherwise the *term in force*: the last of its ``extensions`` when it has
  any, else its ``relevance_deadline``;
- no end at all when neither is recorded (held to the end of the timeline;
  the record says so), and a dataset without ``acquired`` is held from the
  first day of the timeline.

This reads art. 27 Wiv 2017 as the project's design notes summarise it: the
relevance of data acquired with special powers is to be assessed within a
term (the ``relevance_deadline``), failing which the data are destroyed. The
extensions stand for the Tijdelijke wet, which, in the words of seed 000,
created "de mogelijkheid gecreëerd tot het vaststellen van een nieuwe
eindtermijn voor een bulkdataset" (the possibility of setting a new end term
for a bulk dataset): each extension is one such new end term. A
``destroyed`` date after the term in force is kept (the dataset is held until
then) and reported as days held past the term. Seed 000 also records that the
CTIVD's complaints department ordered the services to destroy ("het
vernietigen van") five bulk datasets in 2022; the dates in the bundled
inventories are invented and say nothing about those or any real datasets.

Why it is fast
--------------
A combination's level depends only on its members and the links among them,
never on which other datasets are held, and links are pairwise. So the
linkage graph and the exposure sets that only restrict (links, chains,
connected subsets) are built once for the whole inventory, and on each day
kept when every member is held (one sparse product). Investigations (their
held parts), k-hop and component sets, and the rules that depend on the held
set (component, k_hop, threshold, minimal_escalation's MILP) are computed on
the held subgraph, with savings that change no figure:

- group levels are memoised across days (a group's level does not depend on
  what else is held), and a group holding a link whose pair is at the
  rulebook's top level is at the top level without scoring;
- the rules are judged on the raised sets only (no other set can be
  under-protected, authorised or a cover row);
- minimal escalation's criteria add up over datasets and do not change from
  day to day, so its blocks are cached by content and the last optimum is
  kept when it provably stays optimal (``_HeldAssessor._minimal_escalation``);
- the days are assessed on threads, each a contiguous run of days
  (HiGHS solves outside Python's lock).

The result equals a fresh :func:`~bulkimpact.analysis.load_analysis` of the
inventory as held that day (:func:`held_inventory`); the tests check it. The
MILP dominates the cost on dense graphs (``benchmarks/bench_timeline.py``,
figures in ``benchmarks/README.md``).
"""

from __future__ import annotations

import difflib
import itertools
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from ._version import __version__
from .combinations import ExposureSet, cumulative_level, exposure_sets
from .evaluate import POLICY_UNITS, Evaluation, break_even_use_rate, judge
from .inventory import Dataset, Inventory
from .parameters import ParameterError, PolicyParams, params_for
from .persons import distinct_persons
from .policies import (
    BlockKey,
    PolicyResult,
    _cover_rows,
    _escalate,
    _escalation_criteria,
    _escalation_result,
    get_policy,
)
from .rulebook import Rulebook

if TYPE_CHECKING:
    from .analysis import Analysis

__all__ = [
    "Retention",
    "retention_of",
    "Change",
    "parse_change",
    "held_inventory",
    "TimelineStep",
    "Timeline",
    "retention_timeline",
    "WhatIf",
    "what_if",
    "heaviest_linker",
    "TIMELINE_UNITS",
    "TIMELINE_METRICS",
]

#: Exposure-set kinds whose sets on a day are the full inventory's sets with every member held.
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


# --- retention of one dataset ------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """When one dataset is held: ``acquired <= day < ends``.

    ``ends`` is the first day the dataset is no longer held (None: no end
    recorded); ``end_reason`` says which date gave it: ``"destroyed"``,
    ``"relevance_deadline"``, ``"extension"``, ``"none recorded"``, or for a
    what-if ``"what-if: destroyed"`` / ``"what-if: extension refused"``.

    Examples
    --------
    >>> r = Retention("a", date(2024, 1, 1), date(2025, 7, 1), (date(2026, 7, 1),), None,
    ...               date(2026, 7, 1), "extension")
    >>> r.held_on(date(2026, 6, 30)), r.held_on(date(2026, 7, 1)), r.term_in_force
    (True, False, datetime.date(2026, 7, 1))
    """

    dataset: str
    acquired: date | None
    relevance_deadline: date | None
    extensions: tuple[date, ...]
    destroyed: date | None
    ends: date | None
    end_reason: str

    @property
    def term_in_force(self) -> date | None:
        """The last extension, else the relevance deadline (None when neither is given)."""
        return self.extensions[-1] if self.extensions else self.relevance_deadline

    @property
    def held_past_term_days(self) -> int:
        """Days held after the term in force (0 when destroyed in time or no term is known)."""
        term = self.term_in_force
        if self.ends is None or term is None or self.ends <= term:
            return 0
        return (self.ends - term).days

    def held_on(self, day: date) -> bool:
        """Whether the dataset is held on ``day``."""
        return ((self.acquired is None or self.acquired <= day)
                and (self.ends is None or day < self.ends))

    def to_json(self) -> dict[str, Any]:
        """Dates as ISO strings."""
        iso = _iso
        return {"id": self.dataset, "acquired": iso(self.acquired),
                "relevance_deadline": iso(self.relevance_deadline),
                "extensions": [d.isoformat() for d in self.extensions],
                "destroyed": iso(self.destroyed), "term_in_force": iso(self.term_in_force),
                "ends": iso(self.ends), "end_reason": self.end_reason,
                "held_past_term_days": self.held_past_term_days}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def retention_of(dataset: Dataset) -> Retention:
    """The retention of a dataset under the module's rule (see the module docstring).

    Examples
    --------
    >>> from bulkimpact.inventory import Dataset
    >>> d = Dataset(id="a", name="A", source="open", persons=10, population="nl",
    ...             fields=[{"name": "x", "category": "contact"}], acquired=date(2024, 1, 1),
    ...             relevance_deadline=date(2025, 7, 1), extensions=[date(2026, 7, 1)])
    >>> r = retention_of(d)
    >>> r.ends, r.end_reason
    (datetime.date(2026, 7, 1), 'extension')
    >>> retention_of(d.model_copy(update={"destroyed": date(2025, 1, 1)})).end_reason
    'destroyed'
    """
    term = dataset.extensions[-1] if dataset.extensions else dataset.relevance_deadline
    if dataset.destroyed is not None:
        ends, reason = dataset.destroyed, "destroyed"
    elif term is not None:
        ends, reason = term, "extension" if dataset.extensions else "relevance_deadline"
    else:
        ends, reason = None, "none recorded"
    return Retention(dataset.id, dataset.acquired, dataset.relevance_deadline,
                     tuple(dataset.extensions), dataset.destroyed, ends, reason)


# --- what-if changes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One what-if change: destroy ``dataset`` on ``day``, or refuse its extension to ``day``.

    ``kind`` is ``"destroy"`` or ``"refuse_extension"``; ``ends`` is the day
    the dataset is no longer held under the change, ``ends_before`` the day
    it ended without it.
    """

    kind: str
    dataset: str
    day: date
    ends: date
    ends_before: date | None

    @property
    def label(self) -> str:
        """``destroy ID@DATE`` or ``refuse-extension ID@DATE``."""
        verb = "destroy" if self.kind == "destroy" else "refuse-extension"
        return f"{verb} {self.dataset}@{self.day.isoformat()}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "dataset": self.dataset, "date": self.day.isoformat(),
                "ends": self.ends.isoformat(), "ends_before": _iso(self.ends_before),
                "changes_anything": self.ends_before is None or self.ends < self.ends_before}


def parse_change(text: str, inventory: Inventory, kind: str = "destroy",
                 argument: str | None = None) -> Change:
    """Parse ``ID@DATE`` into a :class:`Change`, checked against the inventory.

    For ``kind="destroy"`` the date is the day the dataset is destroyed (on or
    after its acquisition). For ``kind="refuse_extension"`` it is one of the
    dataset's extensions (the new end term to refuse): the dataset then ends
    at the term in force before it, and later extensions fall with it.

    Raises
    ------
    ParameterError
        Naming the argument, the value and what would be valid.

    Examples
    --------
    >>> from bulkimpact.inventory import load_inventory
    >>> inv = load_inventory("data/synthetic/baseline.yaml")
    >>> parse_change("leak-webshop-2019@2025-01-01", inv).ends
    datetime.date(2025, 1, 1)
    >>> c = parse_change("leak-webshop-2019@2025-09-01", inv, "refuse_extension")
    >>> c.ends, c.ends_before
    (datetime.date(2024, 9, 1), datetime.date(2025, 9, 1))
    >>> parse_change("leak-webshop@2025-01-01", inv)
    Traceback (most recent call last):
    ...
    bulkimpact.parameters.ParameterError: --destroy 'leak-webshop@2025-01-01': unknown dataset 'leak-webshop'; did you mean 'leak-webshop-2019'? Give ID@DATE with a dataset id of the inventory and an ISO date (YYYY-MM-DD)
    """  # noqa: E501
    if kind not in ("destroy", "refuse_extension"):
        raise ValueError(f"kind must be 'destroy' or 'refuse_extension', got {kind!r}")
    argument = argument or ("--destroy" if kind == "destroy" else "--refuse-extension")
    form = ("Give ID@DATE with a dataset id of the inventory and an ISO date (YYYY-MM-DD)")
    where = f"{argument} {text!r}"
    ident, sep, day_text = str(text).rpartition("@")
    if not sep or not ident or not day_text:
        raise ParameterError(f"{where}: not of the form ID@DATE. {form}, e.g. "
                             f"{inventory.datasets[0].id}@2025-01-01")
    ids = [d.id for d in inventory.datasets]
    if ident not in ids:
        close = difflib.get_close_matches(ident, ids, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ParameterError(f"{where}: unknown dataset {ident!r}{hint} {form}")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise ParameterError(f"{where}: {day_text!r} is not a date. {form}") from None
    dataset = inventory.dataset(ident)
    before = retention_of(dataset)
    if kind == "destroy":
        if dataset.acquired is not None and day < dataset.acquired:
            raise ParameterError(f"{where}: before the dataset was acquired "
                                 f"({dataset.acquired.isoformat()}); a dataset is destroyed "
                                 "on or after the day it was acquired")
        ends = day if before.ends is None else min(day, before.ends)
        return Change("destroy", ident, day, ends, before.ends)
    if day not in dataset.extensions:
        valid = ", ".join(f"{ident}@{e.isoformat()}" for e in dataset.extensions)
        raise ParameterError(
            f"{where}: {ident!r} has no extension to {day.isoformat()}; "
            + (f"valid: {valid}" if valid else "it has no extensions to refuse"))
    i = dataset.extensions.index(day)
    prior = dataset.extensions[i - 1] if i else dataset.relevance_deadline
    if prior is None:  # an extension without a relevance deadline: it ends when acquired
        prior = dataset.acquired or day
    ends = prior if before.ends is None else min(prior, before.ends)
    return Change("refuse_extension", ident, day, ends, before.ends)


def _apply(retention: Mapping[str, Retention], changes: Sequence[Change]) -> dict[str, Retention]:
    out = dict(retention)
    for c in changes:
        r = out[c.dataset]
        if r.ends is None or c.ends < r.ends:
            reason = ("what-if: destroyed" if c.kind == "destroy"
                      else "what-if: extension refused")
            out[c.dataset] = replace(r, ends=c.ends, end_reason=reason)
    return out


# --- the held inventory and its assessment -----------------------------------------------


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


# --- the timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineStep:
    """A period in which the held set does not change, and its assessment.

    ``start`` is the day the period begins (None: no dates at all), ``end``
    the first day of the next period (None: the last period, open);
    ``entered`` and ``left`` the datasets acquired and ended on ``start``.
    """

    start: date | None
    end: date | None
    held: tuple[str, ...]
    entered: tuple[str, ...]
    left: tuple[str, ...]
    persons_held: float
    evaluation: Evaluation
    graph: nx.Graph = field(repr=False, compare=False)

    @property
    def sets(self) -> tuple[ExposureSet, ...]:
        """The exposure sets among the datasets held."""
        return self.evaluation.sets

    @property
    def raised(self) -> tuple[ExposureSet, ...]:
        """The exposure sets heavier than each of their members on its own."""
        return tuple(s for s in self.evaluation.sets if s.raised)

    @property
    def days(self) -> int | None:
        """Days the period lasts (None when open)."""
        return (self.end - self.start).days if self.start and self.end else None

    def summary(self) -> dict[str, Any]:
        """The step's held-set figures (see :data:`TIMELINE_UNITS`)."""
        raised = self.raised
        return {"start": _iso(self.start), "end": _iso(self.end), "days": self.days,
                "datasets_held": len(self.held), "persons_held": self.persons_held,
                "exposure_sets": len(self.sets), "raised_sets": len(raised),
                "raised_persons": distinct_persons(
                    self.graph, (n for s in raised for n in s.members))}

    def to_json(self, full: bool = False) -> dict[str, Any]:
        """The step as JSON; ``full`` adds every rule's whole ``assess`` entry and, as
        ``sets``, the exposure sets themselves (``exposure_sets`` stays their count)."""
        record = {**self.summary(), "held": list(self.held), "entered": list(self.entered),
                  "left": list(self.left),
                  "policies": {name: ({m: getattr(o, m) for m in TIMELINE_METRICS}
                                      | {"status": o.status,
                                         "under_protected_sets":
                                             [list(s) for s in o.under_protected_sets]})
                               for name, o in self.evaluation.outcomes.items()}}
        if full:
            record["policies"] = {n: o.to_json()
                                  for n, o in self.evaluation.outcomes.items()}
            record["sets"] = [
                {"members": list(s.members), "kind": s.kind, "label": s.label,
                 "level": s.level, "member_level": s.member_level, "persons": s.persons,
                 "persons_held": s.persons_held, "rules": list(s.rules)}
                for s in self.sets]
        return record


@dataclass(frozen=True)
class Timeline:
    """Every period of constant held set of one inventory, assessed.

    Build with :func:`retention_timeline`.
    """

    analysis: Analysis = field(repr=False)
    retention: dict[str, Retention]
    steps: tuple[TimelineStep, ...]
    changes: tuple[Change, ...] = ()
    assessor: _HeldAssessor | None = field(default=None, repr=False, compare=False)

    def at(self, day: date) -> TimelineStep:
        """The step in force on ``day``.

        Before the first step: a step with ``start`` None and ``end`` the first
        step's start, holding only the datasets without an acquisition date.

        Examples
        --------
        >>> from bulkimpact.analysis import load_analysis
        >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
        ...                                      policies=["per_dataset"]))
        >>> t.at(date(2023, 3, 1)).held
        ('leak-webshop-2019', 'leak-dating-site')
        >>> before = t.at(date(2020, 1, 1))
        >>> before.held, before.end
        ((), datetime.date(2022, 10, 3))
        """
        first = self.steps[0]
        if first.start is not None and day < first.start:
            assessor = self.assessor or _HeldAssessor(self.analysis)
            held = frozenset(n for n, r in self.retention.items() if r.held_on(day))
            H, ev, persons = assessor.assess(held)
            return TimelineStep(start=None, end=first.start,
                                held=tuple(n for n in assessor.order if n in held),
                                entered=(), left=(), persons_held=persons, evaluation=ev,
                                graph=H)
        found = first
        for step in self.steps:
            if step.start is not None and step.start <= day:
                found = step
            else:
                break
        return found

    @property
    def policies(self) -> tuple[str, ...]:
        return tuple(self.analysis.policies)

    def to_frame(self, metrics: Sequence[str] = TIMELINE_METRICS) -> pd.DataFrame:
        """One row per step and rule: held-set figures and the rule's outcome.

        Examples
        --------
        >>> from bulkimpact.analysis import load_analysis
        >>> a = load_analysis("data/synthetic/baseline.yaml", policies=["per_dataset"])
        >>> f = retention_timeline(a).to_frame()
        >>> list(f.columns[:4]), int(f["datasets_held"].max())
        (['start', 'end', 'days', 'datasets_held'], 43)
        """
        rows = []
        for step in self.steps:
            summary = step.summary()
            for name, o in step.evaluation.outcomes.items():
                rows.append({**summary, "policy": name, **{m: getattr(o, m) for m in metrics}})
        frame = pd.DataFrame(rows)
        for col in ("start", "end"):
            frame[col] = pd.to_datetime(frame[col])
        return frame

    def retention_frame(self) -> pd.DataFrame:
        """One row per dataset: its dates, when it ends and why, and its own level."""
        G = self.analysis.graph
        rows = [{**r.to_json(), "level": G.nodes[n]["level"], "name": G.nodes[n]["name"]}
                for n, r in self.retention.items()]
        frame = pd.DataFrame(rows).set_index("id")
        for col in ("acquired", "relevance_deadline", "destroyed", "term_in_force", "ends"):
            frame[col] = pd.to_datetime(frame[col])
        return frame

    def to_json(self, at: date | None = None) -> dict[str, Any]:
        """The ``timeline --json`` record (a contract: keys are only ever added)."""
        a = self.analysis
        record: dict[str, Any] = {
            "inventory": a.inventory_path,
            "rulebook": a.rulebook_path,
            "openness": a.openness,
            "fictional": a.inventory.fictional,
            "illustrative_rulebook": a.rulebook.illustrative,
            "policies": list(a.policies),
            "params": a.params.to_json(),
            "include": list(a.include),
            "retention_rule": RETENTION_RULE,
            "datasets": [{**r.to_json(), "level": a.graph.nodes[n]["level"]}
                         for n, r in self.retention.items()],
            "changes": [c.to_json() for c in self.changes],
            "steps": [s.to_json() for s in self.steps],
            "units": dict(TIMELINE_UNITS),
            "bulkimpact_version": __version__,
        }
        if at is not None:
            record["at"] = {"date": at.isoformat(), **self.at(at).to_json(full=True)}
        return record


#: The retention rule in one sentence (the JSON record carries it).
RETENTION_RULE = ("held from 'acquired' (or the first day of the timeline when absent) until "
                  "'destroyed' if given, otherwise until the term in force: the last "
                  "extension, else the relevance deadline; not held on that day")


def retention_timeline(analysis: Analysis, changes: Sequence[Change] = (),
                       _assessor: _HeldAssessor | None = None,
                       workers: int | None = None) -> Timeline:
    """The retention timeline of an analysis's inventory, each change of held set assessed.

    Parameters
    ----------
    analysis : Analysis
        From :func:`bulkimpact.analysis.load_analysis`: inventory, rulebook,
        openness, decision rules, their parameters and the exposure-set kinds.
    changes : sequence of Change
        What-if changes (:func:`parse_change`) applied to the dates.
    workers : int, optional
        Threads that assess the held sets, taking contiguous runs of days
        in turn (default: the machine's cores, at most 4). HiGHS solves
        outside Python's lock, so the MILP of one run proceeds while another
        is judged. Every figure is the same for any number of workers; only
        which of several exactly tied minimal escalations is kept could
        differ (see :meth:`_HeldAssessor._minimal_escalation`).

    Returns
    -------
    Timeline
        One :class:`TimelineStep` per period of constant held set, from the
        first acquisition on (a step with no datasets when all have ended).

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> a = load_analysis("data/synthetic/baseline.yaml", policies=["per_dataset"])
    >>> t = retention_timeline(a)
    >>> t.steps[0].start, t.steps[0].held
    (datetime.date(2022, 10, 3), ('leak-dating-site',))
    >>> len(t.steps[-1].held)
    0
    """
    assessor = _assessor or _HeldAssessor(analysis)
    retention = {d.id: retention_of(d) for d in analysis.inventory.datasets}
    retention = _apply(retention, changes)
    days = sorted({r.acquired for r in retention.values() if r.acquired is not None}
                  | {r.ends for r in retention.values() if r.ends is not None})
    order = assessor.order
    periods: list[tuple[date | None, frozenset[str]]] = []
    for day in list(days) or [None]:
        held = frozenset(n for n in order if day is None or retention[n].held_on(day))
        # Acquired and ended the same day: nothing changed; the period goes on.
        if not periods or held != periods[-1][1]:
            periods.append((day, held))
    assessed = _assess_runs(assessor, [held for _day, held in periods], workers)
    steps: list[TimelineStep] = []
    before: frozenset[str] = frozenset()
    for j, ((day, held), (H, ev, persons)) in enumerate(zip(periods, assessed, strict=True)):
        steps.append(TimelineStep(
            start=day, end=periods[j + 1][0] if j + 1 < len(periods) else None,
            held=tuple(n for n in order if n in held),
            entered=tuple(n for n in order if n in held - before),
            left=tuple(n for n in order if n in before - held),
            persons_held=persons, evaluation=ev, graph=H))
        before = held
    return Timeline(analysis, retention, tuple(steps), tuple(changes), assessor)


#: Runs of days per thread: more, shorter runs balance the threads when a few days' MILPs
#: take most of the time (benchmarks/README.md: 66 s -> 42 s on the densest seed), at the
#: price of one more solve where each run starts.
RUNS_PER_WORKER = 4


def _assess_runs(assessor: _HeldAssessor, helds: Sequence[frozenset[str]],
                 workers: int | None) -> list[tuple[nx.Graph, Evaluation, float]]:
    """Assess held sets in order: on one thread, or cut into contiguous runs of about equal
    work (weighed by the square of the datasets held) that ``workers`` threads take in turn,
    each run with its own :class:`_Chain`."""
    if workers is None:
        workers = min(4, os.cpu_count() or 1)
    if workers < 1:
        raise ValueError(f"workers must be a positive number of threads, got {workers}")

    def run(part: Sequence[frozenset[str]]) -> list[tuple[nx.Graph, Evaluation, float]]:
        chain = _Chain()
        return [assessor.assess(held, chain) for held in part]

    if workers == 1 or len(helds) < 2:
        return run(helds)
    n = workers * RUNS_PER_WORKER
    weight = np.cumsum([(len(h) + 1.0) ** 2 for h in helds])
    cuts = [0, *(int(np.searchsorted(weight, weight[-1] * k / n)) for k in range(1, n)),
            len(helds)]
    runs = [helds[a:b] for a, b in itertools.pairwise(cuts) if b > a]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [r for done in pool.map(run, runs) for r in done]


# --- what-if -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """A baseline timeline and the same inventory with some datasets ending earlier.

    ``affected`` are the exposure sets of the baseline, on the day of each
    change, that contain a changed dataset: they no longer exist from then on.
    """

    baseline: Timeline
    scenario: Timeline

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.scenario.changes

    @property
    def first_day(self) -> date | None:
        """The earliest day a change takes effect (None when no change changes anything)."""
        days = [c.ends for c in self.changes
                if c.ends_before is None or c.ends < c.ends_before]
        return min(days) if days else None

    def affected(self) -> pd.DataFrame:
        """The baseline's exposure sets that hold a changed dataset on the day it ends.

        Columns: change, members, kind, level, member_level, raised, persons
        (expected persons linked), persons_held, and one column per rule that
        says whether the set is under-protected under it (baseline).
        """
        rows = []
        for c in self.changes:
            if c.ends_before is not None and c.ends >= c.ends_before:
                continue
            step = self.baseline.at(c.ends)
            if c.dataset not in step.held:
                continue
            for s in step.sets:
                if c.dataset in s.members:
                    rows.append({
                        "change": c.label, "date": c.ends, "members": ", ".join(s.members),
                        "kind": s.kind, "level": s.level, "member_level": s.member_level,
                        "raised": s.raised, "persons": s.persons,
                        "persons_held": s.persons_held,
                        **{f"under_protected ({n})": s.members in set(o.under_protected_sets)
                           for n, o in step.evaluation.outcomes.items()}})
        return pd.DataFrame(rows)

    def diff_frame(self, metrics: Sequence[str] = TIMELINE_METRICS) -> pd.DataFrame:
        """From the first change on: each day either held set changes, per rule, both figures.

        Columns ``date``, ``policy``, ``datasets_held`` (baseline, what-if),
        ``exposure_sets`` (both) and for each metric ``<metric>``,
        ``<metric> (what-if)`` and ``<metric> (change)`` (what-if minus baseline).
        """
        first = self.first_day
        if first is None:
            return pd.DataFrame()
        days = sorted({s.start for t in (self.baseline, self.scenario) for s in t.steps
                       if s.start is not None and s.start >= first})
        rows = []
        for day in days:
            b, w = self.baseline.at(day), self.scenario.at(day)
            for name, ob in b.evaluation.outcomes.items():
                ow = w.evaluation.outcomes[name]
                row: dict[str, Any] = {
                    "date": day, "policy": name,
                    "datasets_held": len(b.held), "datasets_held (what-if)": len(w.held),
                    "exposure_sets": len(b.sets), "exposure_sets (what-if)": len(w.sets)}
                for m in metrics:
                    x, y = getattr(ob, m), getattr(ow, m)
                    row.update({m: x, f"{m} (what-if)": y, f"{m} (change)": y - x})
                rows.append(row)
        frame = pd.DataFrame(rows)
        frame["date"] = pd.to_datetime(frame["date"])
        return frame

    def to_json(self) -> dict[str, Any]:
        """The ``what_if`` part of the ``timeline --json`` record."""
        affected = self.affected()
        diff = self.diff_frame()
        return {
            "changes": [c.to_json() for c in self.changes],
            "first_date": _iso(self.first_day),
            "sets_removed": [
                {"change": row["change"], "date": pd.Timestamp(row["date"]).date().isoformat(),
                 "members": row["members"].split(", "), "kind": row["kind"],
                 "level": row["level"], "member_level": row["member_level"],
                 "raised": bool(row["raised"]), "persons": row["persons"],
                 "persons_held": row["persons_held"],
                 "under_protected": {n: bool(row[f"under_protected ({n})"])
                                     for n in self.baseline.policies}}
                for row in affected.to_dict("records")],
            "sets_removed_units": {
                "persons": "expected persons whose records are linked across members",
                "persons_held": "expected distinct persons held in the member datasets"},
            "diff": [
                {"date": row["date"].date().isoformat(), "policy": row["policy"],
                 "datasets_held": {"baseline": row["datasets_held"],
                                   "what_if": row["datasets_held (what-if)"]},
                 "exposure_sets": {"baseline": row["exposure_sets"],
                                   "what_if": row["exposure_sets (what-if)"]},
                 **{m: {"baseline": row[m], "what_if": row[f"{m} (what-if)"],
                        "change": row[f"{m} (change)"]} for m in TIMELINE_METRICS}}
                for row in diff.to_dict("records")] if len(diff) else [],
            "steps": [s.to_json() for s in self.scenario.steps],
        }


def what_if(baseline: Timeline, changes: Sequence[Change],
            workers: int | None = None) -> WhatIf:
    """The baseline timeline against the same inventory with ``changes`` applied.

    The what-if reuses the baseline's graph, exposure sets and every held set
    already assessed, so it pays only for the days its held set differs
    (assessed on ``workers`` threads, as :func:`retention_timeline`).

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> a = load_analysis("data/synthetic/baseline.yaml", policies=["per_dataset"])
    >>> base = retention_timeline(a)
    >>> w = what_if(base, [parse_change("passenger-records@2025-01-01", a.inventory)])
    >>> w.first_day, "passenger-records" in w.scenario.at(date(2025, 1, 1)).held
    (datetime.date(2025, 1, 1), False)
    """
    return WhatIf(baseline, retention_timeline(baseline.analysis,
                                               [*baseline.changes, *changes],
                                               baseline.assessor, workers))


def heaviest_linker(timeline: Timeline) -> tuple[str, date | None, int]:
    """The dataset in the most raised exposure sets when raised sets peak, and that day.

    The peak is the first step with the most exposure sets heavier than each
    of their members on its own; the heaviest linker is the member of most of
    them there (ties: the one holding most persons, then inventory order).
    Returns ``(dataset id, the peak's first day, raised sets it is in)``.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["per_dataset"]))
    >>> heaviest_linker(t)
    ('leak-recipe-site', datetime.date(2025, 5, 12), 18)
    """
    peak = max(timeline.steps, key=lambda s: len(s.raised))  # the first of equals
    if not peak.raised:
        raise ValueError("no exposure set is heavier than its members on any day: "
                         "there is no linker to destroy")
    order = {n: i for i, n in enumerate(peak.held)}
    counts: dict[str, int] = {}
    for s in peak.raised:
        for n in s.members:
            counts[n] = counts.get(n, 0) + 1
    best = min(counts, key=lambda n: (-counts[n], -peak.graph.nodes[n]["persons"], order[n]))
    return best, peak.start, counts[best]
