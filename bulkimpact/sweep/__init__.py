"""Sweeps and robustness: many seeded scenarios, every policy, one tidy table.

Three modules: :mod:`~bulkimpact.sweep.scenarios` (generators and configuration),
:mod:`~bulkimpact.sweep.runner` (serial or Dask) and :mod:`~bulkimpact.sweep.robustness`.

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

from .robustness import ROBUSTNESS_RANGES, robustness, summarise_robustness
from .runner import run_scenario, run_sweep, write_parquet_atomic
from .scenarios import (
    Scenario,
    SweepConfig,
    SweepGrid,
    expand_scenarios,
    load_sweep_config,
    random_inventory,
    scale_rulebook,
)

__all__ = [
    "ROBUSTNESS_RANGES",
    "Scenario",
    "SweepConfig",
    "SweepGrid",
    "expand_scenarios",
    "load_sweep_config",
    "random_inventory",
    "robustness",
    "run_scenario",
    "run_sweep",
    "scale_rulebook",
    "summarise_robustness",
    "write_parquet_atomic",
]
