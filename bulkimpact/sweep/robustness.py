"""Robustness of one inventory: Monte Carlo over every uncertain assumption at once, and
5–95 % intervals of every headline metric (one at a time: :mod:`bulkimpact.sensitivity`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..assessor import evaluate_policies
from ..evaluate import HEADLINE
from ..inventory import Inventory
from ..linkage import build_linkage_graph
from ..parameters import policy_params
from ..policies import POLICIES
from ..rulebook import Rulebook
from ..sensitivity import ASSUMPTIONS, apply_assumptions

__all__ = ["ROBUSTNESS_RANGES", "robustness", "summarise_robustness"]

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
