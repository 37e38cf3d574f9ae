"""Validation: exact counts in the synthetic world against the closed forms, per edge.

An inventory is realised record by record: every population becomes a set of
synthetic persons (scaled so that the root populations hold ``persons`` in
total, proportions preserved), every dataset an extract of its population with
the dataset's fields and match qualities. For every pair of datasets that
share a key namespace or a quasi-identifier, the exact overlap and links are
counted and set beside :mod:`bulkimpact.estimates` evaluated at the scaled
sizes, with relative errors and z-scores.

The inventory can be the package's :class:`bulkimpact.inventory.Inventory`
or this module's small :class:`World` (the adapter
:func:`world_from_inventory` turns the one into the other), so the world does
not depend on the inventory model's details.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import estimates
from ..inventory import population_chain, smallest_common_population
from .extracts import GENERIC_KEYS, ExtractSpec, draw_extract
from .measure import Source, _Scope, connect, links, overlap, qi_expression
from .population import NL_PERSONS, population_table, write_population

__all__ = [
    "WorldPopulation",
    "WorldField",
    "WorldDataset",
    "World",
    "world_from_inventory",
    "QI_COLUMNS",
    "KEY_COLUMNS",
    "Validation",
    "validate_inventory",
]

QI_COLUMNS = ("date_of_birth", "birth_year", "postcode", "pc4", "region", "sex", "municipality")
"""Quasi-identifier field names the synthetic population can realise."""

KEY_COLUMNS = ("email", "phone", "bsn", "username", "ip") + GENERIC_KEYS
"""Key namespaces the synthetic population can realise."""

_SENSITIVE = {"special_category": "special_category", "criminal": "criminal"}
IN_MEMORY_LIMIT = 2_000_000  # larger worlds are written to a temporary Parquet file


@dataclass(frozen=True)
class WorldPopulation:
    """A reference population: id, size, and the population it is part of."""

    id: str
    size: int
    part_of: str | None = None


@dataclass(frozen=True)
class WorldField:
    """A dataset field as the synthetic world needs it."""

    name: str
    category: str
    key: str | None = None
    match_quality: float = 1.0
    cardinality: int | None = None


@dataclass(frozen=True)
class WorldDataset:
    """A dataset as the synthetic world needs it."""

    id: str
    persons: int
    population: str
    fields: tuple[WorldField, ...]

    def keys(self) -> dict[str, float]:
        """Realisable key namespaces with their best match quality."""
        out: dict[str, float] = {}
        for f in self.fields:
            if f.key in KEY_COLUMNS:
                out[f.key] = max(out.get(f.key, 0.0), f.match_quality)
        return out

    def qis(self) -> dict[str, float]:
        """Realisable quasi-identifiers with their best match quality."""
        out: dict[str, float] = {}
        for f in self.fields:
            if f.key is None and f.name in QI_COLUMNS:
                out[f.name] = max(out.get(f.name, 0.0), f.match_quality)
        return out

    def unrealised(self) -> list[str]:
        """Field names the synthetic world does not realise (not used for linkage here)."""
        return [f.name for f in self.fields
                if f.key not in KEY_COLUMNS and f.name not in QI_COLUMNS
                and f.category not in _SENSITIVE]

    def spec(self, persons: int) -> ExtractSpec:
        """The extract that realises this dataset with ``persons`` synthetic persons."""
        quality = {**self.keys(), **self.qis()}
        columns = list(quality) + sorted({_SENSITIVE[f.category] for f in self.fields
                                          if f.category in _SENSITIVE})
        return ExtractSpec(self.id, persons, tuple(columns),
                           {c: q for c, q in quality.items() if q < 1.0})


@dataclass(frozen=True)
class World:
    """Populations and datasets to realise."""

    populations: tuple[WorldPopulation, ...]
    datasets: tuple[WorldDataset, ...]

    def population(self, pid: str) -> WorldPopulation:
        """The population with this id."""
        for p in self.populations:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def ancestors(self, pid: str) -> list[str]:
        """The population and its enclosing ones, innermost first."""
        return population_chain({p.id: p.part_of for p in self.populations}, pid)

    def common_population(self, a: str, b: str) -> str | None:
        """The smallest population enclosing both, or None."""
        return smallest_common_population({p.id: p.part_of for p in self.populations}, a, b)

    def reference_population(self, largest: float = 1.05 * NL_PERSONS) -> str:
        """The population the synthetic persons stand for.

        The synthetic population models the Netherlands, so the reference is
        the population enclosing the most datasets among those no larger than
        ``largest`` (ties: the larger population); without such a population,
        the one enclosing the most datasets.

        Examples
        --------
        >>> w = World((WorldPopulation("world", 8_000_000_000),
        ...            WorldPopulation("nl", 17_900_000, "world")), ())
        >>> w.reference_population()
        'nl'
        """
        def enclosed(pid: str) -> int:
            return sum(pid in self.ancestors(d.population) for d in self.datasets)

        candidates = [p for p in self.populations if p.size <= largest] or list(self.populations)
        return max(candidates, key=lambda p: (enclosed(p.id), p.size)).id


def world_from_inventory(inventory: Any) -> World:
    """Adapt an inventory (anything with ``populations`` and ``datasets``) to a :class:`World`.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> inv = NS(populations=[NS(id="nl", size=100, part_of=None)],
    ...          datasets=[NS(id="a", persons=10, population="nl", fields=[
    ...              NS(name="mail", category="contact", key="email", match_quality=0.9,
    ...                 cardinality=None)])])
    >>> world_from_inventory(inv).datasets[0].keys()
    {'email': 0.9}
    """
    if isinstance(inventory, World):
        return inventory
    pops = tuple(WorldPopulation(p.id, int(p.size), getattr(p, "part_of", None))
                 for p in inventory.populations)
    datasets = tuple(
        WorldDataset(d.id, int(d.persons), d.population, tuple(
            WorldField(f.name, f.category, getattr(f, "key", None),
                       float(getattr(f, "match_quality", 1.0)), getattr(f, "cardinality", None))
            for f in d.fields))
        for d in inventory.datasets)
    return World(pops, datasets)


def _memberships(world: World, persons: int, seed: int, reference: str
                 ) -> tuple[dict[str, np.ndarray], float]:
    """Person ids of the reference population and of the populations inside it.

    The reference population is the whole synthetic world (``persons``);
    populations inside it are random subsets (parents first), scaled by
    ``persons / size of the reference``. Enclosing populations (the EU, the
    world) are represented by their part inside the reference.
    """
    scale = persons / world.population(reference).size
    rng = np.random.default_rng(np.random.SeedSequence([seed, 23]))
    members: dict[str, np.ndarray] = {reference: np.arange(persons, dtype=np.int64)}
    for pid in world.ancestors(reference)[1:]:
        members[pid] = members[reference]
    pending = [p for p in world.populations
               if p.id not in members and reference in world.ancestors(p.id)]
    while pending:
        for p in [p for p in pending if p.part_of in members]:
            parent = members[p.part_of]
            size = min(len(parent), max(1, round(p.size * scale)))
            members[p.id] = np.sort(rng.choice(parent, size, replace=False))
            pending.remove(p)
    return members, scale


def _cell_uniqueness(con: duckdb.DuckDBPyConnection, view: str, columns: list[str],
                     members: np.ndarray, qis: Sequence[str], n_a: int, n_b: int
                     ) -> tuple[int, float]:
    """Distinct-value cells and the skew-aware joint uniqueness of a shared person.

    Returns ``C`` (product of distinct counts of each QI in the population)
    and ``sum_c (K_c/N) (1 - n_a/N)^(K_c - 1) (1 - n_b/N)^(K_c - 1)`` over
    the population's actual cells of ``K_c`` persons: the probability that
    none of a shared person's ``K_c - 1`` cell-mates was drawn into either
    set. This is the finite-population counterpart of
    :func:`bulkimpact.estimates.fraction_unique_weighted`, whose
    ``(1 - p_c)^(n - 1)`` treats cell-mates as drawn with replacement and so
    misses that a person alone in the population is unique in every sample.
    """
    exprs = [qi_expression(q, columns, "population") for q in qis]
    con.register("_m", pd.DataFrame({"person_id": members}))
    try:
        distinct = con.execute(
            f"SELECT {', '.join(f'count(DISTINCT {e})' for e in exprs)} FROM {view} "
            f"SEMI JOIN _m USING (person_id)").fetchone()
        counts = con.execute(
            f"SELECT count(*) AS k FROM {view} SEMI JOIN _m USING (person_id) "
            f"GROUP BY {', '.join(exprs)}").df()["k"].to_numpy(dtype=float)
    finally:
        con.unregister("_m")
    big_n = counts.sum()
    log_keep = np.log1p(-min(n_a / big_n, 1 - 1e-15)) + np.log1p(-min(n_b / big_n, 1 - 1e-15))
    joint = float(np.sum(counts / big_n * np.exp((counts - 1) * log_keep)))
    return math.prod(int(d) for d in distinct), joint


@dataclass(frozen=True)
class Validation:
    """Exact versus analytic, per edge of a realised inventory.

    Attributes
    ----------
    edges : pandas.DataFrame
        One row per linkable pair (see :func:`validate_inventory`).
    persons, seed : int
        Size of the world and seed.
    scale : float
        Synthetic persons per real person.
    unrealised : dict
        Per dataset, fields the world does not realise.
    reference : str
        The population the synthetic persons stand for.
    not_realised : dict
        Datasets left out, with the reason.
    """

    edges: pd.DataFrame
    persons: int
    seed: int
    scale: float
    unrealised: dict[str, list[str]] = field(default_factory=dict)
    reference: str = ""
    not_realised: dict[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The per-edge table."""
        return self.edges

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"persons": self.persons, "seed": self.seed, "scale": self.scale,
                "reference": self.reference, "not_realised": self.not_realised,
                "unrealised": self.unrealised,
                "edges": json_records(self.edges)}


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts (NaN becomes None, numpy scalars become Python)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({k: (None if isinstance(v, float) and math.isnan(v) else
                        v.item() if isinstance(v, np.generic) else v) for k, v in row.items()})
    return out


def _rel(exact: float, expected: float) -> float:
    return (exact - expected) / expected if expected else float("nan")


def validate_inventory(inventory: Any, persons: int = 200_000, seed: int = 0, *,
                       reference: str | None = None, population: Source | None = None,
                       graph: Any = None,
                       con: duckdb.DuckDBPyConnection | None = None) -> Validation:
    """Realise an inventory record by record and compare exact counts with the closed forms.

    Parameters
    ----------
    inventory : Inventory, World or path
        Datasets and populations; a path is read with
        :func:`bulkimpact.inventory.load_inventory`.
    persons : int
        Size of the synthetic world, which stands for the reference
        population (:meth:`World.reference_population`, e.g. Dutch
        residents). Every population and dataset size is multiplied by
        ``scale = persons / size of the reference``. A dataset of an enclosing
        population (the world, the EU) is realised by its expected part inside
        the reference, ``persons_d * size_ref / size_pop``, which keeps its
        overlap with every dataset inside the reference; a dataset of a
        population outside the reference is not realised.
    seed : int
        Seed for the population, the sub-populations and the extracts.
    reference : str, optional
        Id of the reference population (default: chosen as above).
    population : source, optional
        An existing synthetic population of ``persons`` rows to reuse.
    graph : networkx.Graph, optional
        The package's linkage graph; when given, its ``expected_overlap`` and
        ``expected_links`` (scaled) are added as ``graph_*`` columns.
    con : duckdb connection, optional

    Returns
    -------
    Validation
        Per edge: ``a``, ``b``, ``keys``, ``qis``, ``population``, sizes
        ``n_a``, ``n_b``, ``N``; ``overlap_exact``, ``overlap_expected``,
        ``overlap_sd``, ``overlap_z``, ``overlap_rel_error``;
        ``key_links_exact``, ``key_links_expected`` (overlap times
        :func:`~bulkimpact.estimates.link_probability` of the keys),
        ``key_links_rel_error``; for quasi-identifiers ``cells`` (product of
        distinct values), ``qi_links_exact``, ``qi_links_expected``
        (:func:`~bulkimpact.estimates.expected_qi_links`, equal cells),
        ``qi_links_expected_skewed`` (the population's real cell sizes),
        ``false_qi_links_exact``, ``false_qi_links_expected`` (colliding
        pairs, :func:`~bulkimpact.estimates.expected_false_qi_links`) and
        ``false_qi_links_expected_unique`` (those pairs times the chance both
        records are unique in their set, which the exact count requires); and
        ``links_exact`` / ``links_expected`` through any channel.

    Notes
    -----
    Match quality ``q`` of a field: a share ``1 - q`` of its values is wrong
    or missing in the extract, so a key links a shared person with
    probability ``q_a q_b``. For quasi-identifiers the expected true links
    are multiplied by the product of ``q_a q_b`` over the shared QIs (an
    approximation: a wrong value also changes who else is unique).

    Examples
    --------
    >>> w = World((WorldPopulation("nl", 10_000),), (
    ...     WorldDataset("a", 2_000, "nl", (WorldField("email", "contact", key="email"),)),
    ...     WorldDataset("b", 3_000, "nl", (WorldField("email", "contact", key="email"),))))
    >>> row = validate_inventory(w, persons=10_000, seed=1).to_frame().iloc[0]
    >>> float(row["overlap_expected"]), bool(abs(row["overlap_z"]) < 4)
    (600.0, True)
    >>> bool(row["key_links_exact"] == row["overlap_exact"])  # match quality 1: all shared linked
    True
    """
    if isinstance(inventory, (str, os.PathLike)):
        from ..inventory import load_inventory

        inventory = load_inventory(inventory)
    world = world_from_inventory(inventory)
    reference = reference or world.reference_population()
    members, scale = _memberships(world, persons, seed, reference)
    ref_size = world.population(reference).size
    realised: dict[str, tuple[str, int]] = {}  # dataset -> (population realised, persons)
    not_realised: dict[str, str] = {}
    for d in world.datasets:
        if d.population not in members:
            not_realised[d.id] = f"population {d.population!r} lies outside {reference!r}"
            continue
        size = world.population(d.population).size
        n = round(d.persons * scale * min(1.0, ref_size / size))
        if n < 1:
            not_realised[d.id] = f"fewer than one synthetic person at scale {scale:.3g}"
            continue
        realised[d.id] = (d.population if size <= ref_size else reference, n)
    con = con if con is not None else connect()
    with tempfile.TemporaryDirectory(prefix="bulkimpact-synth-") as tmp, _Scope(con) as scope:
        if population is None:
            if persons > IN_MEMORY_LIMIT:
                population = write_population(Path(tmp) / "population.parquet", persons, seed)
            else:
                population = population_table(persons, seed)
        view, pop_columns = scope.view(population, "population")
        extracts = {}
        for i, d in enumerate(world.datasets):
            if d.id in realised:
                pid, n = realised[d.id]
                extracts[d.id] = draw_extract(population, d.spec(n), seed * 1009 + i,
                                              members=members[pid], con=con)
        rows = []
        done = [d for d in world.datasets if d.id in realised]
        for i, a in enumerate(done):
            for b in done[i + 1:]:
                common = world.common_population(realised[a.id][0], realised[b.id][0])
                row = _edge_row(con, view, pop_columns, members[common], extracts, a, b)
                if row is not None:
                    whole = any(world.population(d.population).size <= ref_size
                                for d in (a, b))
                    rows.append({**row, "population": common,
                                 "scope": "whole" if whole else f"inside {reference}"})
    edges = pd.DataFrame(rows)
    if len(edges):
        first = ["a", "b", "keys", "qis", "population", "scope"]
        edges = edges[first + [c for c in edges.columns if c not in first]]
    if graph is not None and len(edges):
        def graph_value(r: pd.Series, attr: str) -> float:
            if graph.has_edge(r["a"], r["b"]) and r["scope"] == "whole":
                return float(graph.edges[r["a"], r["b"]][attr]) * scale
            return float("nan")

        edges["in_graph"] = [graph.has_edge(r["a"], r["b"]) for _, r in edges.iterrows()]
        edges["graph_expected_overlap"] = edges.apply(graph_value, axis=1,
                                                      attr="expected_overlap")
        edges["graph_expected_links"] = edges.apply(graph_value, axis=1, attr="expected_links")
    unrealised = {d.id: d.unrealised() for d in world.datasets if d.unrealised()}
    return Validation(edges, persons, seed, scale, unrealised, reference, not_realised)


def _edge_row(con: duckdb.DuckDBPyConnection, view: str, pop_columns: list[str],
              members: np.ndarray, extracts: dict[str, Any],
              a: WorldDataset, b: WorldDataset) -> dict[str, Any] | None:
    """Exact and expected counts for one pair, ``members`` being their common population."""
    keys_a, keys_b = a.keys(), b.keys()
    qi_a, qi_b = a.qis(), b.qis()
    keys = sorted(set(keys_a) & set(keys_b))
    qis = sorted(set(qi_a) & set(qi_b))
    if not keys and not qis:
        return None
    ea, eb = extracts[a.id], extracts[b.id]
    n_a, n_b, big_n = ea.num_rows, eb.num_rows, len(members)
    m_exact = overlap(ea, eb, con=con)
    m = estimates.expected_overlap(n_a, n_b, big_n)
    sd = math.sqrt(estimates.overlap_variance(n_a, n_b, big_n))
    row: dict[str, Any] = {
        "a": a.id, "b": b.id, "keys": ",".join(keys), "qis": ",".join(qis),
        "n_a": n_a, "n_b": n_b, "N": big_n,
        "overlap_exact": m_exact, "overlap_expected": m, "overlap_sd": sd,
        "overlap_z": (m_exact - m) / sd if sd else float("nan"),
        "overlap_rel_error": _rel(m_exact, m),
    }
    key_q = [keys_a[k] * keys_b[k] for k in keys]
    key_p = estimates.link_probability(key_q) if keys else 0.0
    if keys:
        exact = links(ea, eb, keys=keys, con=con)
        row |= {"key_links_exact": exact.true, "key_false_links_exact": exact.false,
                "key_links_expected": m * key_p,
                "key_links_rel_error": _rel(exact.true, m * key_p)}
    qi_p = 0.0
    if qis:
        q_qi = math.prod(qi_a[q] * qi_b[q] for q in qis)
        cells, joint = _cell_uniqueness(con, view, pop_columns, members, qis, n_a, n_b)
        exact = links(ea, eb, qis=qis, con=con)
        uniform = estimates.expected_qi_links(n_a, n_b, big_n, cells) * q_qi
        qi_p = uniform / m if m else 0.0
        row |= {"cells": cells, "qi_links_exact": exact.true,
                "qi_links_expected": uniform, "qi_links_expected_skewed": m * joint * q_qi,
                "qi_links_rel_error": _rel(exact.true, uniform),
                "qi_links_skewed_rel_error": _rel(exact.true, m * joint * q_qi),
                "false_qi_links_exact": exact.false,
                "false_qi_links_expected": estimates.expected_false_qi_links(n_a, n_b, m, cells),
                "false_qi_links_expected_unique": estimates.expected_false_qi_links(
                    n_a, n_b, m, cells) * estimates.fraction_unique(n_a, cells)
                * estimates.fraction_unique(n_b, cells)}
    total = links(ea, eb, keys=keys, qis=qis, con=con)
    expected = m * estimates.link_probability([*key_q, qi_p])
    row |= {"links_exact": total.true, "false_links_exact": total.false,
            "links_expected": expected, "links_rel_error": _rel(total.true, expected)}
    return row
