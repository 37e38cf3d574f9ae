"""Closed-form estimates of overlap, uniqueness and links between bulk datasets.

These are the analytic models that the linkage graph and every sweep rest on.
Each function states its assumptions in its Notes; the record-level synthetic
world (:mod:`bulkimpact.synth`) counts the same quantities exactly, and the
tests check the formulas against seeded simulations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

__all__ = [
    "expected_overlap",
    "overlap_variance",
    "fraction_unique",
    "fraction_unique_weighted",
    "expected_key_links",
    "expected_qi_links",
    "expected_false_qi_links",
    "link_probability",
]


def _check_sizes(n_a: float, n_b: float, population: float) -> None:
    if population <= 0:
        raise ValueError(f"population must be positive, got {population}")
    for name, n in (("n_a", n_a), ("n_b", n_b)):
        if n < 0 or n > population:
            raise ValueError(f"{name} must lie in [0, population={population}], got {n}")


def expected_overlap(n_a: float, n_b: float, population: float) -> float:
    """Expected number of persons present in both of two datasets.

    Parameters
    ----------
    n_a, n_b : float
        Persons in each dataset.
    population : float
        Size ``N`` of the reference population both are drawn from.

    Returns
    -------
    float
        ``n_a * n_b / N``.

    Notes
    -----
    Each dataset is a simple random sample (without replacement) of the same
    population, drawn independently. The overlap is then hypergeometric with
    mean ``n_a n_b / N`` and variance given by :func:`overlap_variance`.
    Real datasets are rarely independent samples (a passenger list and a
    frequent-flyer list overlap far more): an analyst's known overlap in the
    inventory always overrides this estimate.

    Examples
    --------
    >>> expected_overlap(1_000, 2_000, 10_000)
    200.0
    """
    _check_sizes(n_a, n_b, population)
    return float(n_a) * float(n_b) / float(population)


def overlap_variance(n_a: float, n_b: float, population: float) -> float:
    """Variance of the overlap of two independent random samples.

    Notes
    -----
    The overlap is hypergeometric (draw ``n_b`` from ``N`` of which ``n_a``
    are marked): ``n_b (n_a/N) (1 - n_a/N) (N - n_b)/(N - 1)``.

    Examples
    --------
    >>> round(overlap_variance(1_000, 2_000, 10_000), 1)
    144.0
    """
    _check_sizes(n_a, n_b, population)
    if population <= 1:
        return 0.0
    p = n_a / population
    return float(n_b * p * (1 - p) * (population - n_b) / (population - 1))


def fraction_unique(n: float, cells: float) -> float:
    """Expected fraction of persons unique on quasi-identifiers with equal cells.

    Parameters
    ----------
    n : float
        Persons in the set (at least 1).
    cells : float
        Number ``C`` of equally likely combinations of the quasi-identifier
        values (for independent quasi-identifiers, the product of their
        cardinalities).

    Returns
    -------
    float
        ``(1 - 1/C) ** (n - 1)``.

    Notes
    -----
    A person is unique when none of the other ``n - 1`` persons falls in the
    same cell; cells are assigned independently and uniformly. Computed as
    ``exp((n - 1) * log1p(-1/C))`` to stay accurate for large ``C``. Real
    populations are skewed (many people share popular birth years and large
    postcodes), which lowers uniqueness: see :func:`fraction_unique_weighted`.

    Examples
    --------
    >>> fraction_unique(1, 10)
    1.0
    >>> round(fraction_unique(100, 100), 4)
    0.3697
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if cells < 1:
        raise ValueError(f"cells must be at least 1, got {cells}")
    if cells == 1:
        return 1.0 if n == 1 else 0.0
    return math.exp((n - 1) * math.log1p(-1.0 / cells))


def fraction_unique_weighted(n: float, cell_probabilities: Iterable[float]) -> float:
    """Expected fraction of persons unique on quasi-identifiers with unequal cells.

    Parameters
    ----------
    n : float
        Persons in the set (at least 1).
    cell_probabilities : iterable of float
        Probability ``p_c`` of each cell; must sum to 1.

    Returns
    -------
    float
        ``sum_c n p_c (1 - p_c) ** (n - 1) / n``.

    Notes
    -----
    Cell ``c`` holds a unique person with probability ``n p_c (1-p_c)^(n-1)``;
    summing over cells gives the expected number of uniques. With all
    ``p_c = 1/C`` this reduces to :func:`fraction_unique`.

    Examples
    --------
    >>> round(fraction_unique_weighted(100, [0.01] * 100), 4)
    0.3697
    >>> fraction_unique_weighted(100, [0.5, 0.5]) < fraction_unique(100, 2) + 1e-12
    True
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    p = np.asarray(list(cell_probabilities), dtype=float)
    if p.size == 0 or np.any(p < 0) or not math.isclose(p.sum(), 1.0, rel_tol=1e-6):
        raise ValueError("cell_probabilities must be non-negative and sum to 1")
    if n == 1:
        return 1.0  # one person is always unique (and 0 * log(0) would give nan)
    return float(np.sum(p * np.exp((n - 1) * np.log1p(-np.minimum(p, 1 - 1e-300)))))


def link_probability(
    match_qualities: Iterable[float] = (), unique_a: float = 0.0, unique_b: float = 0.0
) -> float:
    """Probability that a person present in both datasets gets linked.

    Parameters
    ----------
    match_qualities : iterable of float
        For each shared exact key, the probability that the key is recorded
        correctly in both sets (the product of the two sets' match qualities).
    unique_a, unique_b : float
        Fraction of each set unique on the shared quasi-identifiers.

    Returns
    -------
    float
        ``1 - prod_k (1 - q_k) * (1 - u_a u_b)``.

    Notes
    -----
    A shared person is linked when any one channel links them: an exact key
    recorded right in both sets, or a quasi-identifier combination unique in
    both sets. Channels are assumed independent.

    Examples
    --------
    >>> link_probability([0.9])
    0.9
    >>> round(link_probability([0.5, 0.5]), 2)
    0.75
    >>> link_probability([], 0.5, 0.5)
    0.25
    """
    miss = 1.0
    for q in match_qualities:
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"match quality must lie in [0, 1], got {q}")
        miss *= 1.0 - q
    miss *= 1.0 - unique_a * unique_b
    return 1.0 - miss


def expected_key_links(
    n_a: float, n_b: float, population: float, match_quality: float = 1.0
) -> float:
    """Expected true links between two datasets through one exact key.

    Parameters
    ----------
    n_a, n_b, population : float
        As in :func:`expected_overlap`.
    match_quality : float
        Probability that a shared person's key is recorded identically in
        both sets (typos, stale values and missing values lower it).

    Returns
    -------
    float
        ``expected_overlap(n_a, n_b, population) * match_quality``.

    Examples
    --------
    >>> expected_key_links(1_000, 2_000, 10_000, match_quality=0.9)
    180.0
    """
    if not 0.0 <= match_quality <= 1.0:
        raise ValueError(f"match_quality must lie in [0, 1], got {match_quality}")
    return expected_overlap(n_a, n_b, population) * match_quality


def expected_qi_links(n_a: float, n_b: float, population: float, cells: float) -> float:
    """Expected true links through quasi-identifiers unique in both datasets.

    Parameters
    ----------
    n_a, n_b, population : float
        As in :func:`expected_overlap`.
    cells : float
        Equally likely cells of the shared quasi-identifiers.

    Returns
    -------
    float
        ``overlap * fraction_unique(n_a, C) * fraction_unique(n_b, C)``.

    Notes
    -----
    A shared person is linked by quasi-identifiers alone when their value
    combination is unique in each set; uniqueness in the two sets is treated
    as independent. See :func:`expected_false_qi_links` for the spurious links
    the same join produces.

    Examples
    --------
    >>> round(expected_qi_links(1_000, 1_000, 10_000, cells=1_000_000), 1)
    99.8
    """
    m = expected_overlap(n_a, n_b, population)
    if n_a < 1 or n_b < 1:
        return 0.0
    return m * fraction_unique(n_a, cells) * fraction_unique(n_b, cells)


def expected_false_qi_links(n_a: float, n_b: float, overlap: float, cells: float) -> float:
    """Approximate false links produced by joining two sets on quasi-identifiers.

    Returns
    -------
    float
        ``(n_a - m) (n_b - m) / C`` for ``m`` true shared persons: pairs of
        different people who happen to fall in the same cell.

    Examples
    --------
    >>> expected_false_qi_links(1_000, 1_000, 100, cells=1_000_000)
    0.81
    """
    if cells < 1:
        raise ValueError(f"cells must be at least 1, got {cells}")
    return max(n_a - overlap, 0.0) * max(n_b - overlap, 0.0) / cells
