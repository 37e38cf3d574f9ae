"""Sweeps and robustness: many seeded scenarios, every policy, one tidy table.

Scenario generators build random inventories with a controlled linkage
density (a *shared-key* model, where each dataset holds each key namespace
with probability ``density``, and a *random-graph* model, where each pair is
linked with probability ``density``), a share of leaked and paid sets and a
mix of sizes. A sweep evaluates every policy on every scenario and returns one
row per scenario × policy. It runs on Dask (a local cluster by default, or an
existing scheduler); each scenario carries its own seed, so the numbers are
the same whoever runs them. A scenario that raises is recorded with its error
and seed, and the rest go on.

Robustness: :func:`robustness` draws uncertain inputs (overlaps,
cardinalities, match quality, rule thresholds) within stated ranges and gives
5–95 % intervals for every headline metric of one inventory.
"""

from __future__ import annotations

import gc
import itertools
import math
import os
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .evaluate import HEADLINE, evaluate_policies
from .files import atomic_output
from .inventory import Inventory, parse_inventory
from .linkage import build_linkage_graph
from .parameters import policy_params
from .policies import POLICIES
from .problems import InputError, problems_from_validation_error, read_yaml
from .rulebook import Rulebook, default_rulebook_path, load_rulebook
from .seeds import child_seed
from .sensitivity import ASSUMPTIONS, apply_assumptions
from .taxonomy import KeyNamespace, Taxonomy, default_taxonomy

__all__ = [
    "Scenario",
    "SweepConfig",
    "random_inventory",
    "scale_rulebook",
    "expand_scenarios",
    "run_scenario",
    "run_sweep",
    "load_sweep_config",
    "robustness",
    "summarise_robustness",
    "write_parquet_atomic",
]

POPULATION = 17_900_000
#: Categories drawn for synthetic datasets, with relative weights (common ones first).
CATEGORY_WEIGHTS = {
    "contact": 0.45, "online_identifier": 0.35, "demographic": 0.35, "location": 0.2,
    "financial": 0.15, "travel": 0.12, "comms_metadata": 0.12, "direct_identifier": 0.15,
    "special_category": 0.06, "criminal": 0.04, "comms_content": 0.03,
}
SHARED_KEYS = ("email", "phone", "username", "ip", "device", "iban", "passport",
               "licence_plate", "name_dob", "bsn")


@dataclass(frozen=True)
class Scenario:
    """One generated inventory setting; ``seed`` fixes everything random in it."""

    index: int
    seed: int
    n_datasets: int = 30
    model: str = "shared_key"
    density: float = 0.05
    leaked_share: float = 0.3
    paid_share: float = 0.1
    technical_share: float = 0.1
    min_persons: float = 1e3
    max_persons: float = 1e7
    openness: str = "ctivd"
    rulebook: str = ""
    threshold_scale: float = 1.0


def _seed_for(base_seed: int, index: int) -> int:
    """A stable per-scenario seed (independent of worker, order and platform)."""
    return child_seed(base_seed, index)


def _round(x: float, decimals: int) -> float:
    """``float(np.round(x, decimals))`` without numpy's per-scalar overhead (~7 µs a call).

    Same algorithm as numpy (scale by ``10**decimals``, round half to even,
    divide back), so the same float to the last bit.

    Examples
    --------
    >>> _round(0.8125, 3) == float(np.round(0.8125, 3)), _round(1.005, 2)
    (True, 1.0)
    """
    scale = 10.0 ** decimals
    return round(x * scale) / scale


def random_inventory(
    seed: int,
    n_datasets: int = 30,
    model: Literal["shared_key", "random_graph"] = "shared_key",
    density: float = 0.05,
    leaked_share: float = 0.3,
    paid_share: float = 0.1,
    technical_share: float = 0.1,
    min_persons: float = 1e3,
    max_persons: float = 1e7,
) -> tuple[Inventory, Taxonomy]:
    """A random fictional inventory with a controlled linkage density.

    Parameters
    ----------
    seed : int
        Everything random follows from it.
    n_datasets : int
    model : {"shared_key", "random_graph"}
        ``shared_key``: each dataset holds each of ten key namespaces with
        probability ``density`` (links arise from shared keys, so hubs and
        a giant component appear as density grows). ``random_graph``: each
        pair of datasets is linked with probability ``density`` through a key
        namespace of its own (Erdős–Rényi).
    leaked_share, paid_share, technical_share : float
        Shares of leaked, purchased and mainly technical datasets.
    min_persons, max_persons : float
        Sizes are log-uniform between these.

    Returns
    -------
    (Inventory, Taxonomy)
        The taxonomy is the bundled one, extended with per-edge key
        namespaces for the random-graph model.

    Examples
    --------
    >>> inv, tax = random_inventory(seed=1, n_datasets=5, density=0.3)
    >>> len(inv.datasets), inv.fictional
    (5, True)
    >>> random_inventory(seed=1, n_datasets=5)[0] == random_inventory(seed=1, n_datasets=5)[0]
    True
    """
    if model not in ("shared_key", "random_graph"):
        raise ValueError(f"model must be 'shared_key' or 'random_graph', got {model!r}")
    rng = np.random.default_rng(seed)
    taxonomy = default_taxonomy()
    cats = list(CATEGORY_WEIGHTS)
    probs = [CATEGORY_WEIGHTS[c] for c in cats]  # floats: compared once per draw
    pair_keys: dict[int, list[str]] = {i: [] for i in range(n_datasets)}
    if model == "random_graph":
        namespaces = dict(taxonomy.key_namespaces)
        for i, j in itertools.combinations(range(n_datasets), 2):
            if rng.random() < density:
                name = f"link-{i}-{j}"
                namespaces[name] = KeyNamespace(label=f"generated link {i}–{j}")
                pair_keys[i].append(name)
                pair_keys[j].append(name)
        taxonomy = Taxonomy(categories=taxonomy.categories, key_namespaces=namespaces)
    datasets = []
    for i in range(n_datasets):
        technical = rng.random() < technical_share
        leaked = not technical and rng.random() < leaked_share
        paid = not technical and not leaked and rng.random() < paid_share
        persons = int(math.exp(rng.uniform(math.log(min_persons), math.log(max_persons))))
        fields: list[dict[str, Any]] = []
        if technical:
            fields.append({"name": "netflow", "category": "technical"})
        else:
            chosen = [c for c, p in zip(cats, probs, strict=True) if rng.random() < p]
            for c in chosen or ["contact"]:
                if c == "demographic":
                    fields += [{"name": "date_of_birth", "category": c, "cardinality": 36_500},
                               {"name": "pc4", "category": c, "cardinality": 4_000}]
                else:
                    fields.append({"name": c, "category": c})
        keys = ([k for k in SHARED_KEYS if rng.random() < density]
                if model == "shared_key" else pair_keys[i])
        for k in keys:
            category = "technical" if technical and k == "ip" else (
                "contact" if k in ("email", "phone") else "online_identifier")
            fields.append({"name": f"key_{k}", "category": category, "key": k,
                           "match_quality": _round(rng.uniform(0.6, 1.0), 3)})
        source = "leaked" if leaked else "purchased" if paid else (
            "open" if rng.random() < 0.1 else "government")
        datasets.append({
            "id": f"d{i:03d}", "name": f"synthetic dataset {i}", "source": source,
            "leaked": leaked, "paid": paid, "technical_only": technical,
            "made_public_by_subjects": source == "open" and rng.random() < 0.5,
            "persons": persons, "population": "nl", "fields": fields,
            "cost": _round(rng.uniform(0.5, 2.0), 2),
        })
    data = {
        "title": f"random inventory (fictional, seed {seed})", "fictional": True,
        "populations": [{"id": "nl", "size": POPULATION}], "datasets": datasets,
    }
    return parse_inventory(data, f"<random seed={seed}>", taxonomy), taxonomy


def scale_rulebook(rulebook: Rulebook, scale: float) -> Rulebook:
    """The rulebook with every ``min_persons`` threshold multiplied by ``scale``.

    Examples
    --------
    >>> rb = load_rulebook(default_rulebook_path())
    >>> big = scale_rulebook(rb, 10)
    >>> big.rule("identifiable-large").when.min_persons
    10000000.0
    """
    if scale == 1.0:
        return rulebook
    rules = [
        r.model_copy(update={"when": r.when.model_copy(update={
            "min_persons": r.when.min_persons * scale})}) if r.when.min_persons else r
        for r in rulebook.rules
    ]
    return rulebook.model_copy(update={"rules": rules})


class SweepGrid(BaseModel):
    """Scenario parameters; every list is a grid axis (sizes are log-uniform in
    ``[min_persons, max_persons]``: the size mix)."""

    model_config = ConfigDict(extra="forbid")
    n_datasets: list[int] = Field(default=[30], min_length=1)
    model: list[Literal["shared_key", "random_graph"]] = Field(default=["shared_key"],
                                                                min_length=1)
    density: list[float] = Field(default=[0.05], min_length=1)
    leaked_share: list[float] = Field(default=[0.3], min_length=1)
    paid_share: list[float] = Field(default=[0.1], min_length=1)
    technical_share: list[float] = Field(default=[0.1], min_length=1)
    min_persons: list[float] = Field(default=[1e3], min_length=1)
    max_persons: list[float] = Field(default=[1e7], min_length=1)
    openness: list[str] = Field(default=["ctivd"], min_length=1)
    threshold_scale: list[float] = Field(default=[1.0], min_length=1)


class SweepConfig(BaseModel):
    """A sweep: a grid of scenario parameters, replicates, policies and their parameters."""

    model_config = ConfigDict(extra="forbid")
    name: str = "sweep"
    seed: int = 0
    replicates: int = Field(default=1, ge=1)
    rulebook: str | None = None
    grid: SweepGrid = SweepGrid()
    policies: list[str] = Field(default_factory=lambda: list(POLICIES))
    params: dict[str, float] = Field(default_factory=dict)


def load_sweep_config(path: str | Path) -> SweepConfig:
    """Load and validate a sweep configuration YAML file."""
    data = read_yaml(path)
    try:
        config = SweepConfig.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation_error(str(path), data, exc)) from None
    unknown = sorted(set(config.policies) - set(POLICIES))
    if unknown:
        raise ValueError(f"{path}: field 'policies': unknown {unknown}; "
                         f"choose from {sorted(POLICIES)}")
    try:
        policy_params(config.params)
    except ValueError as exc:
        raise ValueError(f"{path}: field 'params': {exc}") from None
    rulebook = load_rulebook(config.rulebook or default_rulebook_path())
    bad = sorted(set(config.grid.openness) - set(rulebook.openness_variants))
    if bad:
        raise ValueError(f"{path}: field 'grid.openness': unknown readings {bad}; the rulebook "
                         f"has {sorted(rulebook.openness_variants)}")
    return config


def expand_scenarios(config: SweepConfig) -> list[Scenario]:
    """Every grid point × replicate, each with its own stable seed.

    Examples
    --------
    >>> cfg = SweepConfig(replicates=2, grid={"density": [0.01, 0.1]})
    >>> [(s.density, s.index) for s in expand_scenarios(cfg)]
    [(0.01, 0), (0.01, 1), (0.1, 2), (0.1, 3)]
    """
    grid = config.grid.model_dump()
    axes = list(grid)
    rulebook = config.rulebook or str(default_rulebook_path())
    scenarios = []
    for values in itertools.product(*(grid[a] for a in axes)):
        for _ in range(config.replicates):
            index = len(scenarios)
            scenarios.append(Scenario(index=index, seed=_seed_for(config.seed, index),
                                      rulebook=rulebook, **dict(zip(axes, values, strict=True))))
    return scenarios


_RULEBOOKS: dict[tuple[str, float], Rulebook] = {}


def _rulebook_for(path: str, scale: float) -> Rulebook:
    """Rulebooks are loaded once per worker process and scale."""
    key = (path, scale)
    if key not in _RULEBOOKS:
        _RULEBOOKS[key] = scale_rulebook(load_rulebook(path), scale)
    return _RULEBOOKS[key]


_SCENARIO_FIELDS = dataclass_fields(Scenario)


def run_scenario(
    scenario: Scenario, policies: Sequence[str], params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Evaluate the policies on one scenario: one row per policy, or one error row.

    Examples
    --------
    >>> rows = run_scenario(Scenario(index=0, seed=3, n_datasets=8, density=0.3,
    ...                              rulebook=str(default_rulebook_path())), ["per_dataset"])
    >>> rows[0]["policy"], rows[0]["escalated"], rows[0]["error"]
    ('per_dataset', 0, '')
    """
    base = {f.name: getattr(scenario, f.name) for f in _SCENARIO_FIELDS}  # asdict, no deepcopy
    try:
        inventory, taxonomy = random_inventory(
            scenario.seed, scenario.n_datasets, scenario.model, scenario.density,
            scenario.leaked_share, scenario.paid_share, scenario.technical_share,
            scenario.min_persons, scenario.max_persons)
        rulebook = _rulebook_for(scenario.rulebook, scenario.threshold_scale)
        G = build_linkage_graph(inventory, rulebook, scenario.openness, taxonomy)
        evaluation = evaluate_policies(G, rulebook, policies, params)
        sizes = [len(c) for c in _components(G)]
        extra = {"edges": G.number_of_edges(), "largest_component": max(sizes),
                 "low_datasets": sum(G.nodes[n]["level"] == rulebook.low_intrusion_level
                                     for n in G), "error": ""}
        return [{**base, **row, **extra} for row in evaluation.rows()]
    except Exception as exc:  # recorded, never silently dropped
        return [{**base, "policy": "", "error": f"{type(exc).__name__}: {exc}",
                 "traceback": traceback.format_exc(limit=3)}]


def _components(G):
    import networkx as nx

    return list(nx.connected_components(G))


@contextmanager
def _one_collection_at_the_end() -> Iterator[None]:
    """Pause the cyclic garbage collector for a batch of scenarios, collect once after.

    A scenario's objects die by reference counting; the collector's passes over
    everything imported (much in a Dask worker) cost about a tenth of a sweep.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def _run_chunk(chunk: Sequence[Scenario], policies: Sequence[str],
               params: Mapping[str, Any]) -> list[dict[str, Any]]:
    with _one_collection_at_the_end():
        return [row for s in chunk for row in run_scenario(s, policies, params)]


def run_sweep(
    scenarios: Sequence[Scenario],
    policies: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    serial: bool = False,
    chunk_size: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Evaluate every policy on every scenario; one row per scenario × policy.

    Parameters
    ----------
    scenarios : sequence of Scenario
    policies : sequence of str, optional
        Default: all registered policies.
    params : mapping, optional
        Policy parameters, validated once here
        (:func:`bulkimpact.parameters.policy_params`) before any scenario runs.
    scheduler : str, optional
        Address of an existing Dask scheduler; default a local cluster.
    workers : int, optional
        Worker processes of the local cluster (default: CPU count).
    serial : bool
        Run in this process without Dask (same numbers).
    chunk_size : int, optional
        Scenarios per task (default: about 10 tasks per worker, to balance the load).

    Returns
    -------
    pandas.DataFrame
        Scenario parameters, ``policy``, the headline metrics and ``error``
        (empty when the scenario ran), sorted by scenario index and policy.

    Examples
    --------
    >>> cfg = SweepConfig(grid={"n_datasets": [6], "density": [0.2]}, replicates=2,
    ...                   policies=["per_dataset", "component"])
    >>> df = run_sweep(expand_scenarios(cfg), cfg.policies, serial=True)
    >>> df.shape[0], sorted(df["policy"].unique())
    (4, ['component', 'per_dataset'])
    """
    policies = list(policies) if policies is not None else list(POLICIES)
    merged = policy_params(params).to_json()  # checked once, at the boundary
    scenarios = list(scenarios)
    if serial or not scenarios:
        iterator: Iterable[Scenario] = scenarios
        if progress:
            from tqdm import tqdm
            iterator = tqdm(scenarios, desc="scenarios", file=sys.stderr)
        with _one_collection_at_the_end():
            rows = [row for s in iterator for row in run_scenario(s, policies, merged)]
    else:
        rows = _run_on_dask(scenarios, policies, merged, scheduler, workers, chunk_size,
                            progress)
    frame = pd.DataFrame(rows)
    if "traceback" not in frame:
        frame["traceback"] = ""
    frame["traceback"] = frame["traceback"].fillna("")
    return frame.sort_values(["index", "policy"], kind="stable").reset_index(drop=True)


def _run_on_dask(scenarios, policies, params, scheduler, workers, chunk_size, progress):
    from dask.distributed import Client, LocalCluster, as_completed

    if scheduler:
        client, cluster = Client(scheduler), None
    else:
        n = workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=":0")  # any free port: never clash
        client = Client(cluster)
    try:
        n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
        size = chunk_size or max(1, math.ceil(len(scenarios) / (10 * n_workers)))
        chunks = [scenarios[i:i + size] for i in range(0, len(scenarios), size)]
        futures = client.map(_run_chunk, chunks, policies=policies, params=params,
                             pure=False)
        bar = None
        if progress:
            from tqdm import tqdm
            bar = tqdm(total=len(scenarios), desc="scenarios", file=sys.stderr)
        rows = []
        for _future, result in as_completed(futures, with_results=True):
            rows.extend(result)
            if bar is not None:
                bar.update(len({r["index"] for r in result}))
        if bar is not None:
            bar.close()
        return rows
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def write_parquet_atomic(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a frame to Parquet atomically (see :func:`bulkimpact.files.atomic_output`)."""
    with atomic_output(path) as tmp:
        frame.to_parquet(tmp, index=False)


# --- robustness -------------------------------------------------------------------------

#: Ranges of the uncertain inputs (multiplicative factors, log-uniform; others uniform):
#: the linkage estimates and the rulebook's own assumptions (:data:`ASSUMPTIONS`).
ROBUSTNESS_RANGES = {name: (a.low, a.high) for name, a in ASSUMPTIONS.items()}


def _draw(rng: np.random.Generator, ranges: Mapping[str, tuple[float, float]]) -> dict:
    """One value per assumption: log-uniform for factors, uniform otherwise."""
    draw = {}
    for name, (lo, hi) in ranges.items():
        if ASSUMPTIONS[name].log:
            draw[name] = float(math.exp(rng.uniform(math.log(lo), math.log(hi))))
        else:
            draw[name] = float(rng.uniform(lo, hi))
    return draw


def robustness(
    inventory: Inventory,
    rulebook: Rulebook,
    openness: str = "ctivd",
    draws: int = 200,
    seed: int = 0,
    policies: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Monte Carlo over uncertain inputs: one row per draw × policy.

    Each draw sets every assumption of :data:`bulkimpact.sensitivity.ASSUMPTIONS`
    at once within :data:`ROBUSTNESS_RANGES` (``ranges`` overrides some):
    overlaps (through the effective population size; analyst overlaps too),
    QI cardinalities, match qualities, the rulebook's person thresholds,
    identifiability share, mosaic-breadth category count and authorisation
    cost, and the use rate. Summarise with :func:`summarise_robustness`; see
    :func:`bulkimpact.sensitivity.tornado` for one assumption at a time.

    Examples
    --------
    >>> from bulkimpact.examples import toy_inventory, toy_rulebook
    >>> df = robustness(toy_inventory(), toy_rulebook(), "services", draws=5,
    ...                 policies=["per_dataset"])
    >>> len(df), set(df["policy"])
    (5, {'per_dataset'})
    """
    rng = np.random.default_rng(seed)
    ranges = {**ROBUSTNESS_RANGES, **(ranges or {})}
    unknown = sorted(set(ranges) - set(ASSUMPTIONS))
    if unknown:
        raise ValueError(f"unknown robustness ranges {unknown}; allowed: {sorted(ASSUMPTIONS)}")
    names = list(policies) if policies is not None else list(POLICIES)
    base = policy_params(params)
    rows = []
    for i in range(draws):
        draw = _draw(rng, ranges)
        inv, rb, p = apply_assumptions(inventory, rulebook, base, draw)
        G = build_linkage_graph(inv, rb, openness)
        for row in evaluate_policies(G, rb, names, p).rows():
            rows.append({"draw": i, **draw, "edges": G.number_of_edges(), **row})
    return pd.DataFrame(rows)


def summarise_robustness(draws: pd.DataFrame, low: float = 0.05,
                         high: float = 0.95) -> pd.DataFrame:
    """Median and interval of every headline metric, per policy.

    Examples
    --------
    >>> df = pd.DataFrame({"policy": ["p"] * 3, "escalated": [1, 2, 3],
    ...                    "under_protected": [0, 0, 1]})
    >>> float(summarise_robustness(df, 0.0, 1.0).loc["p", ("escalated", "high")])
    3.0
    """
    metrics = [c for c in draws.columns if c in HEADLINE and c != "status"]
    grouped = draws.groupby("policy")[metrics]
    parts = {"low": grouped.quantile(low), "median": grouped.median(),
             "high": grouped.quantile(high)}
    out = pd.concat(parts, axis=1).swaplevel(axis=1).sort_index(axis=1)
    out = out.reindex(columns=pd.MultiIndex.from_product([metrics, ["low", "median", "high"]]))
    return out.astype(float)
