"""The sweep runner: every policy on every scenario, serially or on Dask, one row each;
a scenario that raises is recorded with its error and seed."""

from __future__ import annotations

import gc
import math
import os
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

import pandas as pd

from ..assessor import evaluate_policies
from ..files import atomic_output
from ..linkage import build_linkage_graph
from ..parameters import policy_params
from ..policies import POLICIES
from ..rulebook import Rulebook, load_rulebook
from .scenarios import Scenario, random_inventory, scale_rulebook

__all__ = ["SCHEDULER_TIMEOUT", "SchedulerUnreachable", "run_scenario", "run_sweep",
           "write_parquet_atomic"]

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
    >>> from bulkimpact.rulebook import default_rulebook_path
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


#: How long ``run_sweep(scheduler=...)`` waits for the scheduler to answer.
SCHEDULER_TIMEOUT = "5s"


class SchedulerUnreachable(OSError):
    """The Dask scheduler given to :func:`run_sweep` did not answer (exit status 2 in the CLI)."""


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
    >>> from bulkimpact.sweep import SweepConfig, expand_scenarios
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
        try:
            client, cluster = Client(scheduler, timeout=SCHEDULER_TIMEOUT), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerUnreachable(
                f"--scheduler {scheduler}: no Dask scheduler answered within "
                f"{SCHEDULER_TIMEOUT} ({type(exc).__name__}: {exc}); give the address "
                "`dask scheduler` prints, e.g. tcp://127.0.0.1:8786, and start workers with "
                "bulkimpact installed") from None
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
