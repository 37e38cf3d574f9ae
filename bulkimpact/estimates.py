"""Closed-form estimates of overlap, uniqueness and links between bulk datasets.

These are the analytic models that the linkage graph and every sweep rest on.
Each function states its assumptions in its Notes; the record-level synthetic
world (:mod:`bulkimpact.synth`) counts the same quantities exactly, and the
tests check the formulas against seeded simulations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "expected_overlap",
    "overlap_variance",
    "fraction_unique",
    "fraction_unique_weighted",
    "expected_false_qi_links_weighted",
    "QiCells",
    "expected_key_links",
    "expected_qi_links",
    "expected_false_qi_links",
    "fraction_unique_in_both",
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


def _cells(cell_probabilities: Iterable[float], counts: Iterable[float] | None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Cell probabilities and how many cells have each, checked to sum to 1."""
    p = np.asarray(cell_probabilities if isinstance(cell_probabilities, np.ndarray)
                   else list(cell_probabilities), dtype=float)
    c = np.ones_like(p) if counts is None else np.asarray(
        counts if isinstance(counts, np.ndarray) else list(counts), dtype=float)
    if (p.size == 0 or c.shape != p.shape or np.any(p < 0) or np.any(c < 0)
            or not math.isclose(float(c @ p), 1.0, rel_tol=1e-6)):
        raise ValueError("cell_probabilities (times counts) must be non-negative and sum to 1")
    return p, c


def fraction_unique_weighted(n: float, cell_probabilities: Iterable[float],
                             counts: Iterable[float] | None = None) -> float:
    """Expected fraction of persons unique on quasi-identifiers with unequal cells.

    Parameters
    ----------
    n : float
        Persons in the set (at least 1).
    cell_probabilities : iterable of float
        Probability ``p_c`` of each cell; must sum to 1.
    counts : iterable of float, optional
        How many cells have each probability (classes of equally likely
        cells, as :func:`bulkimpact.cells.cell_classes` gives them); then
        ``sum counts * p`` must be 1.

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
    >>> round(fraction_unique_weighted(100, [0.01], counts=[100]), 4)
    0.3697
    >>> fraction_unique_weighted(100, [0.5, 0.5]) < fraction_unique(100, 2) + 1e-12
    True
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    p, c = _cells(cell_probabilities, counts)
    if n == 1:
        return 1.0  # one person is always unique (and 0 * log(0) would give nan)
    return float(c @ (p * np.exp((n - 1) * np.log1p(-np.minimum(p, 1 - 1e-300)))))


def expected_false_qi_links_weighted(n_a: float, n_b: float, overlap: float,
                                     cell_probabilities: Iterable[float],
                                     counts: Iterable[float] | None = None) -> float:
    """:func:`expected_false_qi_links` with unequal cells.

    Returns
    -------
    float
        ``(n_a - m)(n_b - m) sum_c p_c^2 (1 - p_c)^(n_a + n_b - m - 2)``.

    Examples
    --------
    >>> round(expected_false_qi_links_weighted(1_000, 1_000, 100, [1e-6], [1e6]), 3)
    0.808
    """
    if not 0 <= overlap <= min(n_a, n_b):
        raise ValueError(f"overlap must lie in [0, min(n_a, n_b)={min(n_a, n_b)}], got {overlap}")
    p, c = _cells(cell_probabilities, counts)
    pairs = (n_a - overlap) * (n_b - overlap)
    if pairs == 0:
        return 0.0
    others = n_a + n_b - overlap - 2
    return float(pairs * (c @ (p * p * np.exp(others * np.log1p(-np.minimum(p, 1 - 1e-300))))))


@dataclass(frozen=True)
class QiCells:
    """The cells of some quasi-identifiers in a population, and how uniqueness is computed.

    With a cell model of the population (:data:`bulkimpact.cells.CELL_MODELS`)
    covering any of the quasi-identifiers, uniqueness uses the population's
    own unequal cells for those (``uniqueness_model`` ``"population_cells"``),
    each split into equally likely cells of the other fields' cardinalities;
    without one, ``cells`` equally likely cells, the product of the stated
    cardinalities (``"uniform"``). Either way a further quasi-identifier only
    splits cells, so uniqueness never falls as fields are added.

    Examples
    --------
    >>> nl = QiCells({"date_of_birth": 36_500, "pc4": 4_000}, 17_900_000, "nl")
    >>> nl.uniqueness_model, round(nl.fraction_unique(17_900_000), 2)
    ('population_cells', 0.67)
    >>> flat = QiCells({"date_of_birth": 36_500, "pc4": 4_000}, 17_900_000, None)
    >>> flat.uniqueness_model, round(flat.fraction_unique(17_900_000), 3)
    ('uniform', 0.885)
    """

    qis: Mapping[str, int]
    population: float
    cell_model: str | None = None

    @property
    def modelled(self) -> frozenset[str]:
        """The quasi-identifiers whose cells the population's model gives."""
        from .cells import QI_DIMENSIONS

        if self.cell_model is None:
            return frozenset()
        return frozenset(q for q in self.qis if q in QI_DIMENSIONS)

    @property
    def uniqueness_model(self) -> str:
        """``"population_cells"`` or ``"uniform"``."""
        return "population_cells" if self.modelled else "uniform"

    @property
    def cells(self) -> float:
        """Equally likely cells of the fields the model does not give (all under uniform)."""
        modelled = self.modelled
        return float(math.prod(c for q, c in self.qis.items() if q not in modelled))

    def fraction_unique(self, n: float) -> float:
        """Share of ``n`` persons of the population unique among them on the quasi-identifiers.

        Under population cells, cohabiting twins in the set (the twin's sibling
        is among the ``n`` with probability ``n / population``) are never unique.
        """
        if not self.modelled:
            return fraction_unique(n, self.cells)
        return _unique_in_cells(self.cell_model, self.modelled, self.cells, float(self.population),
                                float(n))

    def false_links(self, n_a: float, n_b: float, overlap: float) -> float:
        """Expected false links of a join on these quasi-identifiers
        (:func:`expected_false_qi_links` or its weighted form)."""
        if not self.modelled:
            return expected_false_qi_links(n_a, n_b, overlap, self.cells)
        if not 0 <= overlap <= min(n_a, n_b):
            raise ValueError(f"overlap must lie in [0, min(n_a, n_b)={min(n_a, n_b)}], "
                             f"got {overlap}")
        return _false_links_in_cells(self.cell_model, self.modelled, self.cells,
                                     float(self.population), float(n_a), float(n_b),
                                     float(overlap))


@lru_cache(maxsize=64)
def _split_classes(model: str, modelled: frozenset[str], split: float, population: float
                   ) -> tuple[np.ndarray, np.ndarray, float]:
    """The model's cell classes, each cell split into ``split`` equally likely cells, with
    ``log(1 - p)`` (every use needs it)."""
    from .cells import cell_classes

    p, counts, never = cell_classes(model, modelled, population)
    p = p / split
    return p, counts * split, never, np.log1p(-np.minimum(p, 1 - 1e-300))


@lru_cache(maxsize=4096)
def _false_links_in_cells(model: str, modelled: frozenset[str], split: float, population: float,
                          n_a: float, n_b: float, overlap: float) -> float:
    """:func:`expected_false_qi_links_weighted` on the cached classes (once per argument)."""
    p, counts, _, log_miss = _split_classes(model, modelled, split, population)
    pairs = (n_a - overlap) * (n_b - overlap)
    if not pairs:
        return 0.0
    return float(pairs * (counts @ (p * p * np.exp((n_a + n_b - overlap - 2) * log_miss))))


@lru_cache(maxsize=4096)
def _unique_in_cells(model: str, modelled: frozenset[str], split: float, population: float,
                     n: float) -> float:
    """:meth:`QiCells.fraction_unique` under population cells (computed once per argument):
    :func:`fraction_unique_weighted` on the classes, less the cohabiting twins."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    p, counts, never, log_miss = _split_classes(model, modelled, split, population)
    unique = 1.0 if n == 1 else float(counts @ (p * np.exp((n - 1) * log_miss)))
    return unique * (1.0 - never * min(1.0, n / population))


def fraction_unique_in_both(n_a: float, n_b: float, overlap: float, cells: float) -> float:
    """Probability that a person present in both datasets is unique on quasi-identifiers in both.

    Parameters
    ----------
    n_a, n_b : float
        Persons in each dataset.
    overlap : float
        Persons ``m`` present in both (``m <= min(n_a, n_b)``).
    cells : float
        Number ``C`` of equally likely cells of the shared quasi-identifiers.

    Returns
    -------
    float
        ``(1 - 1/C) ** (n_a + n_b - m - 1)``.

    Notes
    -----
    The two sets together hold ``n_a + n_b - m`` distinct persons. A shared
    person is unique in set A and in set B exactly when none of the other
    ``n_a + n_b - m - 1`` distinct persons falls in their cell (every other
    person is in A or in B, and would spoil uniqueness there), which is
    :func:`fraction_unique` of the union: ``fraction_unique(n_a + n_b - m, C)``.
    The product of the two sets' uniqueness, ``(1 - 1/C)^(n_a - 1) (1 -
    1/C)^(n_b - 1)``, counts the ``m - 1`` other shared persons twice and is
    too low by the factor ``(1 - 1/C)^(m - 1)``: far off when ``m`` is
    comparable to ``C``.

    Examples
    --------
    >>> round(fraction_unique_in_both(10_000, 10_000, 10_000, cells=36_500), 4)
    0.7604
    >>> round(fraction_unique(10_000, 36_500) ** 2, 4)  # the product: 24 % too low
    0.5782
    >>> fraction_unique_in_both(1, 1, 1, cells=2)
    1.0
    """
    if not 0 <= overlap <= min(n_a, n_b):
        raise ValueError(f"overlap must lie in [0, min(n_a, n_b)={min(n_a, n_b)}], got {overlap}")
    if n_a + n_b - overlap < 1:
        raise ValueError(f"the two sets hold no person (n_a={n_a}, n_b={n_b})")
    return fraction_unique(n_a + n_b - overlap, cells)


def link_probability(match_qualities: Iterable[float] = (), qi_unique_in_both: float = 0.0
                     ) -> float:
    """Probability that a person present in both datasets gets linked.

    Parameters
    ----------
    match_qualities : iterable of float
        For each shared exact key, the probability that the key is recorded
        correctly in both sets (the product of the two sets' match qualities).
    qi_unique_in_both : float
        Probability that a shared person is unique on the shared
        quasi-identifiers in both sets (:func:`fraction_unique_in_both`);
        0 when no quasi-identifiers are used.

    Returns
    -------
    float
        ``1 - prod_k (1 - q_k) * (1 - p_qi)``.

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
    >>> link_probability([], qi_unique_in_both=0.25)
    0.25
    >>> link_probability([0.5], qi_unique_in_both=0.5)
    0.75
    """
    miss = 1.0
    for q in match_qualities:
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"match quality must lie in [0, 1], got {q}")
        miss *= 1.0 - q
    if not 0.0 <= qi_unique_in_both <= 1.0:
        raise ValueError(f"qi_unique_in_both must lie in [0, 1], got {qi_unique_in_both}")
    miss *= 1.0 - qi_unique_in_both
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
        ``m (1 - 1/C) ** (n_a + n_b - m - 1)`` with ``m`` the expected overlap.

    Notes
    -----
    A shared person is linked by quasi-identifiers alone when their value
    combination is unique in each set: when none of the other ``n_a + n_b -
    m - 1`` distinct persons of the two sets falls in their cell
    (:func:`fraction_unique_in_both`). The overlap is set to its expectation
    ``m = n_a n_b / N``; averaging over the hypergeometric overlap instead
    changes the result by a relative amount of order ``Var(m) / (m C)``,
    below ``1/C``. See :func:`expected_false_qi_links` for the spurious links the
    same join produces.

    Examples
    --------
    A town of 10,000 in two complete registers, joined on date of birth
    (36,500 cells):

    >>> round(expected_qi_links(10_000, 10_000, 10_000, cells=36_500))
    7604
    >>> round(expected_qi_links(1_000, 1_000, 10_000, cells=1_000_000), 1)
    99.8
    """
    m = expected_overlap(n_a, n_b, population)
    if n_a < 1 or n_b < 1:
        return 0.0
    return m * fraction_unique_in_both(n_a, n_b, m, cells)


def expected_false_qi_links(n_a: float, n_b: float, overlap: float, cells: float) -> float:
    """Expected false links produced by joining two sets on quasi-identifiers unique in both.

    Parameters
    ----------
    n_a, n_b : float
        Persons in each dataset.
    overlap : float
        Persons ``m`` present in both.
    cells : float
        Equally likely cells of the shared quasi-identifiers.

    Returns
    -------
    float
        ``(n_a - m) (n_b - m) / C * (1 - 1/C) ** (n_a + n_b - m - 2)``.

    Notes
    -----
    The join links a record of A to a record of B when their cell holds
    exactly one record of each set. A link is false when the two records
    belong to different persons; both must then be in one set only (a shared
    person's second record would sit in the same cell and spoil uniqueness).
    Such a pair, one of the ``(n_a - m)(n_b - m)``, shares a cell with
    probability ``1/C``, and is joined when none of the other ``n_a + n_b - m
    - 2`` distinct persons of the two sets falls in that cell. Counting every
    pair of different persons in a common cell, ``(n_a - m)(n_b - m)/C``,
    overstates the false links by ``(1 - 1/C)^-(n_a + n_b - m - 2)``.

    Examples
    --------
    >>> round(expected_false_qi_links(1_000, 1_000, 100, cells=1_000_000), 3)
    0.808

    Two sets of 2,000 with 400 persons in common, on 3,650 cells: of the 701
    pairs of different persons in a common cell, 262 are joined.

    >>> round(1_600 * 1_600 / 3_650, 1)
    701.4
    >>> round(expected_false_qi_links(2_000, 2_000, 400, cells=3_650), 1)
    261.7
    """
    if cells < 1:
        raise ValueError(f"cells must be at least 1, got {cells}")
    if not 0 <= overlap <= min(n_a, n_b):
        raise ValueError(f"overlap must lie in [0, min(n_a, n_b)={min(n_a, n_b)}], got {overlap}")
    pairs = (n_a - overlap) * (n_b - overlap)
    if pairs == 0:
        return 0.0
    # the pair's cell must hold none of the other n_a + n_b - m - 2 distinct persons
    return pairs / cells * fraction_unique(n_a + n_b - overlap - 1, cells)
