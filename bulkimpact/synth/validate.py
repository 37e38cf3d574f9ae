"""Validation: exact counts in synthetic worlds against the closed forms, pair by pair.

An inventory (:class:`bulkimpact.inventory.Inventory`) is realised record by
record. A synthetic population stands for one *reference* population (Dutch
residents, say), scaled so that it holds ``persons`` synthetic persons with
proportions kept: populations inside the reference are random subsets of it,
and a dataset of an enclosing population (the EU, the world) is realised by
its expected part inside the reference. A population outside the reference
(a region abroad) gets a world of its own (:func:`reference_populations`), so
every dataset with at least one synthetic person is realised somewhere, and
each one that is not is named with the reason.

For every pair of datasets realised in one world that shares a key namespace
or a quasi-identifier, the exact overlap and links are counted and set beside
:mod:`bulkimpact.estimates` at the scaled sizes, with the sampling error each
estimate predicts and a flag where the count lies outside it.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

from .. import estimates
from ..inventory import Dataset, Inventory
from ..seeds import child_seed
from ..taxonomy import Taxonomy, default_taxonomy
from .extracts import GENERIC_KEYS, ExtractSpec, draw_extract
from .measure import Source, _link_counts, _Scope, connect, qi_expression
from .population import NL_PERSONS, population_table, write_population

__all__ = [
    "QI_COLUMNS",
    "KEY_COLUMNS",
    "ALPHA",
    "realisable_keys",
    "realisable_qis",
    "unrealised_fields",
    "extract_spec",
    "reference_populations",
    "tail_probability",
    "Validation",
    "validate_inventory",
]

QI_COLUMNS = ("date_of_birth", "birth_year", "postcode", "pc4", "region", "sex", "municipality")
"""Quasi-identifier field names the synthetic population can realise."""

KEY_COLUMNS = ("email", "phone", "bsn", "username", "ip") + GENERIC_KEYS
"""Key namespaces the synthetic population can realise."""

ALPHA = 0.0027
"""Two-sided tail probability below which a count is flagged (three standard deviations)."""

_SENSITIVE = {"special_category": "special_category", "criminal": "criminal"}
IN_MEMORY_LIMIT = 2_000_000  # larger worlds are written to a temporary Parquet file


# ------------------------------------------------------------------ datasets as extracts


def realisable_keys(d: Dataset) -> dict[str, float]:
    """Key namespaces of a dataset the world realises, with their best match quality.

    Examples
    --------
    >>> from bulkimpact.inventory import DatasetField
    >>> d = Dataset(id="a", name="A", source="private", persons=10, population="nl", fields=[
    ...     DatasetField(name="mail", category="contact", key="email", match_quality=0.9)])
    >>> realisable_keys(d)
    {'email': 0.9}
    """
    return {k: q for k, q in d.keys().items() if k in KEY_COLUMNS}


def realisable_qis(d: Dataset, taxonomy: Taxonomy | None = None) -> dict[str, float]:
    """Quasi-identifiers of a dataset the world realises, with their best match quality.

    The same quasi-identifiers the linkage graph uses
    (:meth:`~bulkimpact.inventory.Dataset.quasi_identifiers`: a cardinality and
    a quasi-identifier category), restricted to :data:`QI_COLUMNS`.
    """
    used = d.quasi_identifiers(taxonomy or default_taxonomy())
    out: dict[str, float] = {}
    for f in d.fields:
        if f.name in used and f.name in QI_COLUMNS and f.key is None:
            out[f.name] = max(out.get(f.name, 0.0), f.match_quality)
    return out


def unrealised_fields(d: Dataset, taxonomy: Taxonomy | None = None) -> list[str]:
    """Field names the world does not realise (they play no part in the validation)."""
    keys, qis = realisable_keys(d), realisable_qis(d, taxonomy)
    return [f.name for f in d.fields
            if f.key not in keys and f.name not in qis and f.category not in _SENSITIVE]


def extract_spec(d: Dataset, persons: int, taxonomy: Taxonomy | None = None) -> ExtractSpec:
    """The extract that realises a dataset with ``persons`` synthetic persons."""
    quality = {**realisable_keys(d), **realisable_qis(d, taxonomy)}
    columns = list(quality) + sorted({_SENSITIVE[f.category] for f in d.fields
                                      if f.category in _SENSITIVE})
    return ExtractSpec(d.id, persons, tuple(columns),
                       {c: q for c, q in quality.items() if q < 1.0})


# ------------------------------------------------------------------ worlds


def _encloses(inventory: Inventory, outer: str, inner: str) -> bool:
    return outer in inventory.population_ancestors(inner)


def reference_populations(inventory: Inventory, largest: float = 1.05 * NL_PERSONS
                          ) -> list[str]:
    """The populations whose synthetic worlds together hold every dataset.

    The synthetic population models the Netherlands, so the first reference
    is the population enclosing the most datasets among those no larger than
    ``largest`` (ties: the larger population); without such a population, the
    one enclosing the most datasets. A dataset is realised in a world when its
    population lies inside the reference or encloses it (then by its part
    inside). While datasets remain that no world holds, the population
    enclosing the most of them that is disjoint from every chosen reference
    is added (ties: the smaller, for the finer scale).

    Examples
    --------
    >>> from bulkimpact.inventory import parse_inventory
    >>> mail = [{"name": "email", "category": "contact", "key": "email"}]
    >>> inv = parse_inventory({"title": "t", "fictional": True, "populations": [
    ...     {"id": "world", "size": 8_000_000_000},
    ...     {"id": "nl", "size": 17_900_000, "part_of": "world"},
    ...     {"id": "abroad", "size": 60_000_000, "part_of": "world"}], "datasets": [
    ...     {"id": d, "name": d, "source": "leaked", "leaked": True, "persons": 1_000,
    ...      "population": p, "fields": mail}
    ...     for d, p in (("a", "nl"), ("b", "world"), ("c", "abroad"))]})
    >>> reference_populations(inv)
    ['nl', 'abroad']
    """
    pops = {p.id: p for p in inventory.populations}

    def holds(ref: str, pid: str) -> bool:
        return _encloses(inventory, ref, pid) or _encloses(inventory, pid, ref)

    def enclosed(pid: str, datasets: list[Dataset]) -> int:
        return sum(_encloses(inventory, pid, d.population) for d in datasets)

    candidates = [p for p in pops.values() if p.size <= largest] or list(pops.values())
    chosen = [max(candidates, key=lambda p: (enclosed(p.id, inventory.datasets), p.size)).id]
    while True:
        remaining = [d for d in inventory.datasets
                     if not any(holds(r, d.population) for r in chosen)]
        disjoint = [p for p in pops.values() if not any(holds(r, p.id) for r in chosen)
                    and enclosed(p.id, remaining)]
        if not remaining or not disjoint:
            return chosen
        chosen.append(max(disjoint, key=lambda p: (enclosed(p.id, remaining), -p.size)).id)


def _memberships(inventory: Inventory, persons: int, seed: int, reference: str
                 ) -> dict[str, np.ndarray]:
    """Person ids of the reference population and of the populations inside it.

    The reference population is the whole synthetic world (``persons``);
    populations inside it are random subsets (parents first), scaled by
    ``persons / size of the reference``. Enclosing populations (the EU, the
    world) are represented by their part inside the reference.
    """
    scale = persons / inventory.population_size(reference)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 23]))
    members: dict[str, np.ndarray] = {reference: np.arange(persons, dtype=np.int64)}
    for pid in inventory.population_ancestors(reference)[1:]:
        members[pid] = members[reference]
    pending = [p for p in inventory.populations
               if p.id not in members and _encloses(inventory, reference, p.id)]
    while pending:
        for p in [p for p in pending if p.part_of in members]:
            parent = members[p.part_of]
            size = min(len(parent), max(1, round(p.size * scale)))
            members[p.id] = np.sort(rng.choice(parent, size, replace=False))
            pending.remove(p)
    return members


#: Why a dataset is not realised, as facts beside the English words (``reason``) that
#: reports word in their own language: ``reason_kind`` (``outside``: its population lies
#: outside the world's; ``fewer``: fewer than one synthetic person; ``not_realised``),
#: ``reason_world`` (the world's reference population), ``reason_ratio`` (real persons per
#: synthetic one) and ``reason_expected`` (synthetic persons it would get).
REALISED = {"reason": "", "reason_kind": "", "reason_world": "", "reason_ratio": math.nan,
            "reason_expected": math.nan}


def _realisation(inventory: Inventory, reference: str, persons: int
                 ) -> tuple[dict[str, tuple[str, int]], dict[str, dict[str, Any]]]:
    """Per dataset, (population realised, synthetic persons) in this world, or why not
    (the fields of :data:`REALISED`)."""
    ref_size = inventory.population_size(reference)
    scale = persons / ref_size
    realised: dict[str, tuple[str, int]] = {}
    not_here: dict[str, dict[str, Any]] = {}
    for d in inventory.datasets:
        size = inventory.population_size(d.population)
        if not (_encloses(inventory, reference, d.population)
                or _encloses(inventory, d.population, reference)):
            not_here[d.id] = {
                **REALISED, "reason_kind": "outside", "reason_world": reference,
                "reason": f"population {d.population!r} lies outside {reference!r}"}
            continue
        share = min(1.0, ref_size / size)
        n = round(d.persons * scale * share)
        if n < 1:
            persons = f"{d.persons:,} person{'' if d.persons == 1 else 's'}"
            inside = (persons if share == 1 else
                      f"{persons} of {d.population!r}, "
                      f"{d.persons * share:,.2g} expected inside {reference!r},")
            not_here[d.id] = {
                **REALISED, "reason_kind": "fewer", "reason_world": reference,
                "reason_ratio": 1 / scale, "reason_expected": d.persons * scale * share,
                "reason": (f"fewer than one synthetic person: {inside} at one synthetic "
                           f"person per {1 / scale:,.0f} give {d.persons * scale * share:.2g}")}
            continue
        realised[d.id] = (d.population if size <= ref_size else reference, n)
    return realised, not_here


# ------------------------------------------------------------------ sampling error


def tail_probability(exact: float, expected: float, sd: float) -> float:
    """Two-sided probability of a count at least as far from its expectation.

    Small expectations (below 30) use the Poisson distribution, whose variance
    (the mean) is at least that of a sum of independent rare events; larger
    ones the normal distribution with the predicted standard deviation ``sd``.

    Examples
    --------
    >>> tail_probability(11, 6.8e-06, 0.0026) < 1e-40   # 11 links where 7e-6 are expected
    True
    >>> round(tail_probability(11, 5.8, 2.4), 2)
    0.07
    >>> round(tail_probability(130, 100, 10), 4)
    0.0027
    """
    if not math.isfinite(expected) or expected < 0:
        return float("nan")
    if expected < 30:
        if expected == 0:
            return 1.0 if exact == 0 else 0.0
        low = stats.poisson.cdf(exact, expected)
        high = stats.poisson.sf(exact - 1, expected)
        return float(min(1.0, 2 * min(low, high)))
    if sd <= 0:
        return 1.0 if exact == expected else 0.0
    return float(2 * stats.norm.sf(abs(exact - expected) / sd))


# ------------------------------------------------------------------ result


@dataclass(frozen=True)
class Validation:
    """Exact versus analytic, per pair of datasets realised in one world.

    Attributes
    ----------
    edges : pandas.DataFrame
        One row per linkable pair and world (see :func:`validate_inventory`).
    datasets : pandas.DataFrame
        One row per dataset of the inventory: ``dataset``, ``population``,
        ``persons``, ``worlds`` (the references it is realised in, comma
        separated), ``synthetic_persons`` (in the first of them) and
        ``reason`` (why it is not realised, in English words; empty when it is) and the
        same as facts (:data:`REALISED`).
    worlds : pandas.DataFrame
        One row per world: ``reference``, ``size`` (real persons),
        ``persons`` (synthetic), ``scale`` (synthetic per real person),
        ``datasets`` (realised in it).
    persons, seed : int
        Synthetic persons per world and seed.
    unrealised : dict
        Per dataset, fields the world does not realise.
    """

    edges: pd.DataFrame
    datasets: pd.DataFrame
    worlds: pd.DataFrame
    persons: int
    seed: int
    unrealised: dict[str, list[str]] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        """The first (main) reference population."""
        return str(self.worlds["reference"].iloc[0])

    @property
    def scale(self) -> float:
        """Synthetic persons per real person in the first world."""
        return float(self.worlds["scale"].iloc[0])

    @property
    def not_realised(self) -> dict[str, str]:
        """Datasets realised in no world, with the reason."""
        missing = self.datasets[self.datasets["reason"] != ""]
        return dict(zip(missing["dataset"], missing["reason"], strict=True))

    @property
    def flagged(self) -> pd.DataFrame:
        """Rows whose count lies outside the sampling error of its estimate."""
        return self.edges[self.edges["flag"] != ""] if len(self.edges) else self.edges

    @property
    def checks(self) -> int:
        """Counts set beside an estimate: each pair's overlap and links, and its links
        through quasi-identifiers where it joins on them."""
        return 2 * len(self.edges) + int((self.edges["qis"] != "").sum())

    def agreement(self) -> dict[str, float]:
        """Headline agreement of the counts with the closed forms.

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
        >>> Validation(e, pd.DataFrame(), pd.DataFrame(), 1_000, 0).agreement()["deviation"]
        0.1
        """
        edges = self.edges
        z = edges["overlap_z"].replace([float("inf"), float("-inf")], float("nan")).dropna()

        def deviation(column: str) -> float:
            return float((edges["links_exact"] - edges[column]).abs().sum()
                         / max(edges[column].sum(), 1e-9))

        return {"within": float((z.abs() <= 3).mean()) if len(z) else float("nan"),
                "deviation": deviation("links_expected"),
                "deviation_equal_cells": deviation("links_expected_equal_cells"),
                "flagged": float(len(self.flagged)), "by_chance": self.checks * ALPHA}

    @property
    def agrees(self) -> bool:
        """Whether the closed forms agree with the counts: at least 95% of overlaps within
        three standard deviations, the summed link deviation at most 10%, and no more counts
        flagged than three times what chance would give (at least three)."""
        a = self.agreement()
        return (a["within"] >= 0.95 and a["deviation"] <= 0.1
                and a["flagged"] <= max(3.0, 3 * a["by_chance"]))

    def equal_cells_shortfall(self) -> dict[str, Any] | None:
        """The quasi-identifier set whose counted links exceed the equal-cells estimate (the
        linkage graph's model) most: ``qis``, ``pairs`` joining on it, and summed over them
        ``counted`` links, ``expected`` with equal cells and ``skewed`` with the population's
        own cells. None when no pair joins on quasi-identifiers.

        Examples
        --------
        >>> e = pd.DataFrame({"qis": ["sex", "pc4", "pc4"], "qi_links_exact": [5, 9, 3],
        ...                   "qi_links_expected": [5.0, 4.0, 2.0],
        ...                   "qi_links_expected_skewed": [5.0, 8.0, 3.0]})
        >>> Validation(e, pd.DataFrame(), pd.DataFrame(), 1_000, 0).equal_cells_shortfall()
        {'qis': 'pc4', 'pairs': 2, 'counted': 12.0, 'expected': 6.0, 'skewed': 11.0}
        """
        edges = self.edges
        if not len(edges) or "qi_links_exact" not in edges:
            return None
        qi = edges.dropna(subset=["qi_links_exact"])
        totals = qi.groupby("qis")[["qi_links_exact", "qi_links_expected",
                                    "qi_links_expected_skewed"]].sum()
        worst = (totals["qi_links_exact"] - totals["qi_links_expected"]).idxmax()
        w = totals.loc[worst]
        return {"qis": worst, "pairs": int((qi["qis"] == worst).sum()),
                "counted": float(w["qi_links_exact"]), "expected": float(w["qi_links_expected"]),
                "skewed": float(w["qi_links_expected_skewed"])}

    @property
    def off_only_with_equal_cells(self) -> pd.DataFrame:
        """Rows whose links lie outside the sampling error under equal cells but not under
        the population's own cells (their links are not flagged)."""
        edges = self.edges
        return edges[edges["equal_cells_off"] & (edges["flag"].str.find("links") < 0)]

    def to_frame(self) -> pd.DataFrame:
        """The per-pair table."""
        return self.edges

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"persons": self.persons, "seed": self.seed, "scale": self.scale,
                "reference": self.reference, "worlds": json_records(self.worlds),
                "datasets": json_records(self.datasets), "not_realised": self.not_realised,
                "unrealised": self.unrealised, "edges": json_records(self.edges)}


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts (NaN becomes None, numpy scalars become Python)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({k: (None if isinstance(v, float) and math.isnan(v) else
                        v.item() if isinstance(v, np.generic) else v) for k, v in row.items()})
    return out


def _rel(exact: float, expected: float) -> float:
    return (exact - expected) / expected if expected else float("nan")


# ------------------------------------------------------------------ validation


def validate_inventory(inventory: Inventory | str | os.PathLike[str], persons: int = 200_000,
                       seed: int = 0, *, reference: str | list[str] | None = None,
                       population: Source | None = None, graph: Any = None,
                       taxonomy: Taxonomy | None = None,
                       con: duckdb.DuckDBPyConnection | None = None) -> Validation:
    """Realise an inventory record by record and compare exact counts with the closed forms.

    Parameters
    ----------
    inventory : Inventory or path
        Datasets and populations; a path is read with
        :func:`bulkimpact.inventory.load_inventory`.
    persons : int
        Synthetic persons in each world. A world stands for a reference
        population; every population and dataset size in it is multiplied by
        ``scale = persons / size of the reference``. A dataset of an enclosing
        population (the world, the EU) is realised by its expected part inside
        the reference, ``persons_d * size_ref / size_pop``, which keeps its
        overlap with every dataset inside the reference.
    seed : int
        Seed for the population, the sub-populations and the extracts.
    reference : str or list of str, optional
        The reference population(s) to realise; default
        :func:`reference_populations`, which holds every dataset. With one
        reference, datasets of populations outside it are not realised.
    population : source, optional
        An existing synthetic population of ``persons`` rows to reuse.
    graph : networkx.Graph, optional
        The package's linkage graph; adds ``in_graph``, ``graph_source`` and,
        for pairs realised whole, its ``expected_overlap`` and
        ``expected_links`` times the scale (``graph_*``).
    taxonomy : Taxonomy, optional
        Which field categories are quasi-identifiers (default taxonomy).
    con : duckdb connection, optional

    Returns
    -------
    Validation
        Per pair and world: ``a``, ``b``, ``world``, ``scope`` (``"whole"``,
        or ``"inside <reference>"`` when both datasets are realised only by
        their part inside it), ``keys``, ``qis``, ``population``, sizes
        ``n_a``, ``n_b``, ``N``.

        Overlap: ``overlap_exact``, ``overlap_expected``, ``overlap_sd``,
        ``overlap_z``, ``overlap_rel_error``.

        Keys: ``key_links_exact``, ``key_false_links_exact``,
        ``key_links_expected`` (overlap times
        :func:`~bulkimpact.estimates.link_probability` of the keys).

        Quasi-identifiers: ``cells`` (product of the distinct values of each
        QI), ``qi_links_exact``, ``qi_links_expected`` (equal cells,
        :func:`~bulkimpact.estimates.expected_qi_links`, as the linkage graph
        computes it for a population without ``cells``),
        ``qi_links_expected_skewed`` (the world's own cell sizes, as the graph
        computes it from :mod:`bulkimpact.cells` for a population with them),
        ``false_qi_links_exact``, ``false_qi_links_expected`` (equal cells,
        :func:`~bulkimpact.estimates.expected_false_qi_links`) and
        ``false_qi_links_expected_skewed``.

        Any channel: ``links_exact``, ``false_links_exact``,
        ``links_expected`` (keys and the skew-aware QI probability),
        ``links_expected_equal_cells`` and ``equal_cells_off`` (whether the
        count lies outside the sampling error of that one), ``links_sd``
        (predicted sampling error), ``links_z``, ``links_rel_error``;
        ``flag`` names the counts (``overlap``, ``links``, ``false links``)
        whose two-sided :func:`tail_probability` is below :data:`ALPHA`,
        empty otherwise.

    Notes
    -----
    *Skew-aware QI links.* A world's cells are not equally likely (a few
    persons live alone in their postcode, many share a large one). For a
    population cell of ``K`` persons, each person is in A only, B only, both
    or neither with probabilities ``a = (n_a - m)/N``, ``b = (n_b - m)/N``,
    ``s = m/N``, ``r = 1 - (n_a + n_b - m)/N``. The expected true links are
    ``sum_c K s r^(K-1)`` (a shared person with no cell-mate in either set)
    and the false ones ``sum_c K (K-1) a b r^(K-2)`` (one person of each set
    only, alone in the cell). With equal cells they agree with the closed
    forms of :mod:`bulkimpact.estimates` up to finite-population terms; with
    the real skew, persons alone or nearly alone in their cell stay unique in
    samples of any size, which equal cells cannot represent.

    *Match quality* ``q`` of a field: a share ``1 - q`` of its values is wrong
    or missing in the extract, so a key links a shared person with
    probability ``q_a q_b``. Expected QI links are multiplied by the product
    of ``q_a q_b`` over the shared QIs (an approximation: a wrong value also
    changes who else is unique).

    *Sampling error* of the links: ``sd^2 = p^2 Var(m) + E[m] p (1 - p)`` for
    link probability ``p`` (the overlap varies, and each shared person is
    linked or not); false links are treated as Poisson.

    Examples
    --------
    >>> from bulkimpact.inventory import parse_inventory
    >>> mail = [{"name": "email", "category": "contact", "key": "email"}]
    >>> inv = parse_inventory({"title": "t", "fictional": True,
    ...     "populations": [{"id": "nl", "size": 10_000}], "datasets": [
    ...     {"id": d, "name": d, "source": "private", "persons": n, "population": "nl",
    ...      "fields": mail} for d, n in (("a", 2_000), ("b", 3_000))]})
    >>> row = validate_inventory(inv, persons=10_000, seed=1).to_frame().iloc[0]
    >>> float(row["overlap_expected"]), bool(abs(row["overlap_z"]) < 4)
    (600.0, True)
    >>> bool(row["key_links_exact"] == row["overlap_exact"])  # match quality 1: all shared linked
    True
    """
    if isinstance(inventory, (str, os.PathLike)):
        from ..inventory import load_inventory

        inventory = load_inventory(inventory)
    taxonomy = taxonomy or default_taxonomy()
    references = ([reference] if isinstance(reference, str) else
                  list(reference) if reference else reference_populations(inventory))
    known = [p.id for p in inventory.populations]
    for r in references:
        if r not in known:
            raise ValueError(f"reference population {r!r} is not a population of the "
                             f"inventory; one of {known}")
    con = con if con is not None else connect()
    rows: list[dict[str, Any]] = []
    worlds = []
    placed: dict[str, list[tuple[str, int]]] = {d.id: [] for d in inventory.datasets}
    reasons: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bulkimpact-synth-") as tmp, _Scope(con) as scope:
        if population is None:
            if persons > IN_MEMORY_LIMIT:
                population = write_population(Path(tmp) / "population.parquet", persons, seed)
            else:
                population = population_table(persons, seed)
        view, pop_columns = scope.view(population, "population")
        cell_sizes: dict[tuple[str, str, tuple[str, ...]], tuple[int, np.ndarray]] = {}
        for w, ref in enumerate(references):
            realised, not_here = _realisation(inventory, ref, persons)
            for d_id, reason in not_here.items():
                reasons.setdefault(d_id, reason)
            for d_id, (_, n) in realised.items():
                placed[d_id].append((ref, n))
            members = _memberships(inventory, persons, child_seed(seed, w), ref)
            worlds.append({"reference": ref, "size": inventory.population_size(ref),
                           "persons": persons, "scale": persons / inventory.population_size(ref),
                           "datasets": len(realised)})
            views = {}
            for i, d in enumerate(inventory.datasets):
                if d.id in realised:
                    pid, n = realised[d.id]
                    table = draw_extract(population, extract_spec(d, n, taxonomy),
                                         child_seed(seed, w, i),
                                         members=members[pid], con=con)
                    views[d.id] = (*scope.view(table, d.id), table.num_rows)
            done = [d for d in inventory.datasets if d.id in realised]
            ref_size = inventory.population_size(ref)
            for i, a in enumerate(done):
                for b in done[i + 1:]:
                    common = inventory.common_population(realised[a.id][0], realised[b.id][0])
                    cells_of = partial(_cell_sizes, con, view, pop_columns, members[common.id],
                                       cache=cell_sizes, where=(ref, common.id))
                    row = _pair_row(con, a, b, views, taxonomy, len(members[common.id]),
                                    cells_of)
                    if row is not None:
                        whole = any(inventory.population_size(d.population) <= ref_size
                                    for d in (a, b))
                        rows.append({**row, "world": ref, "population": common.id,
                                     "scope": "whole" if whole else f"inside {ref}"})
    edges = pd.DataFrame(rows)
    if len(edges):
        first = ["a", "b", "world", "scope", "keys", "qis", "population"]
        edges = edges[first + [c for c in edges.columns if c not in first]]
    if graph is not None and len(edges):
        edges = _with_graph(edges, graph, {w["reference"]: w["scale"] for w in worlds})
    datasets = pd.DataFrame([{
        "dataset": d.id, "population": d.population, "persons": d.persons,
        "worlds": ", ".join(r for r, _ in placed[d.id]),
        "synthetic_persons": placed[d.id][0][1] if placed[d.id] else 0,
        **(REALISED if placed[d.id] else reasons.get(d.id, {
            **REALISED, "reason": "not realised", "reason_kind": "not_realised"})),
    } for d in inventory.datasets])
    unrealised = {d.id: f for d in inventory.datasets if (f := unrealised_fields(d, taxonomy))}
    return Validation(edges, datasets, pd.DataFrame(worlds), persons, seed, unrealised)


def _with_graph(edges: pd.DataFrame, graph: Any, scales: dict[str, float]) -> pd.DataFrame:
    """The graph's edge attributes beside each row (scaled; only for pairs realised whole)."""
    edges = edges.copy()
    has = [graph.has_edge(a, b) for a, b in zip(edges["a"], edges["b"], strict=True)]
    edges["in_graph"] = has
    edges["graph_source"] = [graph.edges[a, b].get("source", "") if h else ""
                             for a, b, h in zip(edges["a"], edges["b"], has, strict=True)]
    for attr in ("expected_overlap", "expected_links"):
        edges[f"graph_{attr}"] = [
            float(graph.edges[r.a, r.b][attr]) * scales[r.world]
            if h and r.scope == "whole" else float("nan")
            for r, h in zip(edges.itertuples(), has, strict=True)]
    return edges


def _cell_sizes(con: duckdb.DuckDBPyConnection, view: str, columns: list[str],
                members: np.ndarray, qis: tuple[str, ...],
                cache: dict[tuple[str, str, tuple[str, ...]], tuple[int, np.ndarray]],
                where: tuple[str, str]) -> tuple[int, np.ndarray]:
    """Equal-cells count ``C`` and persons per cell of ``qis`` among ``members``.

    ``C`` is the product of each QI's distinct values, as the linkage graph
    multiplies cardinalities. Cached per world, population and QIs: many
    pairs share them.
    """
    key = (*where, qis)
    if key not in cache:
        exprs = [qi_expression(q, columns, "population") for q in qis]
        con.register("_m", pd.DataFrame({"person_id": members}))
        try:
            distinct = con.execute(
                f"SELECT {', '.join(f'count(DISTINCT {e})' for e in exprs)} FROM {view} "
                f"SEMI JOIN _m USING (person_id)").fetchall()[0]
            counts = con.execute(
                f"SELECT count(*) AS k FROM {view} SEMI JOIN _m USING (person_id) "
                f"GROUP BY {', '.join(exprs)}").df()["k"].to_numpy(dtype=float)
            # DuckDB returns groups in no fixed order, and float sums over them differ in
            # the last bits with the order: sorted, the same seed gives the same table.
            counts.sort()
        finally:
            con.unregister("_m")
        cache[key] = (math.prod(int(x) for x in distinct), counts)
    return cache[key]


def _skewed_qi_links(sizes: np.ndarray, n_a: int, n_b: int) -> tuple[float, float]:
    """Expected true and false QI links on the population's own cells (see Notes above)."""
    big_n = sizes.sum()
    m = estimates.expected_overlap(n_a, n_b, big_n)
    a, b = (n_a - m) / big_n, (n_b - m) / big_n
    log_r = math.log1p(-min((n_a + n_b - m) / big_n, 1 - 1e-15))
    true = float(np.sum(sizes * (m / big_n) * np.exp((sizes - 1) * log_r)))
    false = float(np.sum(sizes * (sizes - 1) * a * b * np.exp(np.maximum(sizes - 2, 0) * log_r)))
    return true, false


def _pair_row(con: duckdb.DuckDBPyConnection, a: Dataset, b: Dataset,
              views: dict[str, tuple[str, list[str], int]], taxonomy: Taxonomy,
              big_n: int, cells_of: Any) -> dict[str, Any] | None:
    """Exact and expected counts for one pair of datasets drawn from ``big_n`` persons.

    ``cells_of(qis)`` gives the distinct values and cell sizes of the QIs in
    the pair's common population (see :func:`_cell_sizes`).
    """
    keys_a, keys_b = realisable_keys(a), realisable_keys(b)
    qi_a, qi_b = realisable_qis(a, taxonomy), realisable_qis(b, taxonomy)
    keys = sorted(set(keys_a) & set(keys_b))
    qis = sorted(set(qi_a) & set(qi_b))
    if not keys and not qis:
        return None
    (va, ca, n_a), (vb, cb, n_b) = views[a.id], views[b.id]
    cells_and_sizes = cells_of(tuple(qis)) if qis else None
    m_exact = int(con.execute(f"SELECT count(*) FROM {va} JOIN {vb} USING (person_id)"
                              ).fetchall()[0][0])
    counts = _link_counts(con, va, ca, vb, cb, keys, qis, a.id, b.id)
    return _expected_row(a.id, b.id, keys, qis, n_a, n_b, m_exact, counts,
                         [keys_a[k] * keys_b[k] for k in keys],
                         math.prod(qi_a[q] * qi_b[q] for q in qis), cells_and_sizes, big_n)


def _expected_row(a: str, b: str, keys: list[str], qis: list[str], n_a: int, n_b: int,
                  m_exact: int, counts: dict[str, Any], key_q: list[float], q_qi: float,
                  cells_and_sizes: tuple[int, np.ndarray] | None, big_n: int
                  ) -> dict[str, Any]:
    """The row of one pair: exact counts beside the estimates and their sampling error."""
    m = estimates.expected_overlap(n_a, n_b, big_n)
    var_m = estimates.overlap_variance(n_a, n_b, big_n)
    sd = math.sqrt(var_m)
    row: dict[str, Any] = {
        "a": a, "b": b, "keys": ",".join(keys), "qis": ",".join(qis),
        "n_a": n_a, "n_b": n_b, "N": big_n,
        "overlap_exact": m_exact, "overlap_expected": m, "overlap_sd": sd,
        "overlap_z": (m_exact - m) / sd if sd else float("nan"),
        "overlap_rel_error": _rel(m_exact, m),
    }
    off = {"overlap": tail_probability(m_exact, m, sd) < ALPHA}
    if keys:
        exact = counts["keys"]
        expected = m * estimates.link_probability(key_q)
        row |= {"key_links_exact": exact.true, "key_false_links_exact": exact.false,
                "key_links_expected": expected,
                "key_links_rel_error": _rel(exact.true, expected)}
    p_qi = p_qi_equal = 0.0
    if qis:
        cells, sizes = cells_and_sizes
        true_skewed, false_skewed = _skewed_qi_links(sizes, n_a, n_b)
        equal = estimates.expected_qi_links(n_a, n_b, big_n, cells) * q_qi
        exact = counts["qis"]
        p_qi, p_qi_equal = (true_skewed * q_qi / m, equal / m) if m else (0.0, 0.0)
        false_equal = estimates.expected_false_qi_links(n_a, n_b, min(m, n_a, n_b), cells)
        row |= {"cells": cells, "qi_links_exact": exact.true,
                "qi_links_expected": equal, "qi_links_expected_skewed": true_skewed * q_qi,
                "qi_links_rel_error": _rel(exact.true, equal),
                "qi_links_skewed_rel_error": _rel(exact.true, true_skewed * q_qi),
                "false_qi_links_exact": exact.false,
                "false_qi_links_expected": false_equal,
                "false_qi_links_expected_skewed": false_skewed}
        off["false links"] = tail_probability(exact.false, false_skewed,
                                              math.sqrt(false_skewed)) < ALPHA
    total = counts["any"]
    p = estimates.link_probability(key_q, qi_unique_in_both=min(p_qi, 1.0))
    expected = m * p
    links_sd = math.sqrt(p * p * var_m + m * p * (1 - p))
    off["links"] = tail_probability(total.true, expected, links_sd) < ALPHA
    p_equal = estimates.link_probability(key_q, qi_unique_in_both=min(p_qi_equal, 1.0))
    sd_equal = math.sqrt(p_equal * p_equal * var_m + m * p_equal * (1 - p_equal))
    row |= {"links_exact": total.true, "false_links_exact": total.false,
            "links_expected": expected,
            "links_expected_equal_cells": m * p_equal,
            "equal_cells_off": tail_probability(total.true, m * p_equal, sd_equal) < ALPHA,
            "links_sd": links_sd,
            "links_z": (total.true - expected) / links_sd if links_sd else float("nan"),
            "links_rel_error": _rel(total.true, expected),
            "flag": ", ".join(k for k in ("overlap", "links", "false links") if off.get(k))}
    return row
