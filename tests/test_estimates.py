"""Closed-form estimates against seeded simulations of independent random samples.

Every comparison allows 4 standard errors of the simulated mean (the standard
error is measured from the simulation itself), plus, where a formula is an
approximation, the size of its known bias worked out in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulkimpact.estimates import (
    expected_false_qi_links,
    expected_key_links,
    expected_overlap,
    expected_qi_links,
    fraction_unique,
    fraction_unique_in_both,
    fraction_unique_weighted,
    link_probability,
    overlap_variance,
)

SEED = 20260623


def samples(rng: np.random.Generator, population: int, n: int, reps: int) -> np.ndarray:
    """``reps`` independent simple random samples (without replacement), as boolean masks."""
    order = rng.random((reps, population)).argsort(axis=1)
    mask = np.zeros((reps, population), dtype=bool)
    np.put_along_axis(mask, order[:, :n], True, axis=1)
    return mask


def within(simulated: np.ndarray, expected: float, bias: float = 0.0) -> None:
    """Assert the mean of ``simulated`` is within 4 standard errors (+ known bias)."""
    mean = float(np.mean(simulated))
    se = float(np.std(simulated, ddof=1) / math.sqrt(len(simulated)))
    assert abs(mean - expected) <= 4 * se + bias, (mean, expected, se, bias)


def unique_counts(cells: np.ndarray, n_cells: int) -> np.ndarray:
    """Per row of ``cells`` (one row per replicate), how many persons are alone in their cell."""
    reps = cells.shape[0]
    flat = (cells + np.arange(reps)[:, None] * n_cells).ravel()
    counts = np.bincount(flat, minlength=reps * n_cells)
    return (counts[flat] == 1).reshape(cells.shape).sum(axis=1)


# --- overlap -------------------------------------------------------------------------------


def test_overlap_mean_and_variance_match_simulated_independent_samples() -> None:
    population, n_a, n_b, reps = 1_000, 200, 300, 5_000
    rng = np.random.default_rng(SEED)
    overlap = (samples(rng, population, n_a, reps) & samples(rng, population, n_b, reps)).sum(1)

    assert expected_overlap(n_a, n_b, population) == 60.0
    within(overlap, expected_overlap(n_a, n_b, population))
    # Variance 300 * 0.2 * 0.8 * 700 / 999 = 33.63. The overlap is close to normal here, so the
    # sample variance has relative standard error about sqrt(2 / (reps - 1)) = 2%; allow 4 of
    # them (8%).
    variance = overlap_variance(n_a, n_b, population)
    assert variance == pytest.approx(300 * 0.2 * 0.8 * 700 / 999)
    assert np.var(overlap, ddof=1) == pytest.approx(variance, rel=4 * math.sqrt(2 / (reps - 1)))


def test_overlap_is_symmetric_and_degenerate_cases_are_exact() -> None:
    assert overlap_variance(200, 300, 1_000) == pytest.approx(overlap_variance(300, 200, 1_000))
    # Drawing everyone, or no one, leaves nothing to chance.
    assert expected_overlap(1_000, 300, 1_000) == 300.0
    assert overlap_variance(1_000, 300, 1_000) == 0.0
    assert overlap_variance(0, 300, 1_000) == 0.0
    assert overlap_variance(1, 1, 1) == 0.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((10, 10, 0), "population must be positive, got 0"),
        ((10, 10, -5), "population must be positive"),
        ((11, 5, 10), r"n_a must lie in \[0, population=10\], got 11"),
        ((5, -1, 10), r"n_b must lie in \[0, population=10\], got -1"),
    ],
)
def test_overlap_rejects_impossible_sizes(args: tuple[float, float, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        expected_overlap(*args)
    with pytest.raises(ValueError, match=message):
        overlap_variance(*args)


# --- uniqueness ----------------------------------------------------------------------------


def test_fraction_unique_matches_simulated_uniform_cells() -> None:
    n, cells, reps = 200, 500, 2_000
    rng = np.random.default_rng(SEED + 1)
    simulated = unique_counts(rng.integers(cells, size=(reps, n)), cells) / n
    expected = fraction_unique(n, cells)
    assert expected == pytest.approx((1 - 1 / 500) ** 199)
    within(simulated, expected)


def zipf_probabilities(cells: int, exponent: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, cells + 1) ** exponent
    return weights / weights.sum()


def test_fraction_unique_weighted_matches_simulated_skewed_cells() -> None:
    n, cells, reps = 500, 2_000, 1_000
    p = zipf_probabilities(cells)
    rng = np.random.default_rng(SEED + 2)
    simulated = unique_counts(rng.choice(cells, size=(reps, n), p=p), cells) / n
    expected = fraction_unique_weighted(n, p)
    within(simulated, expected)
    # Skew lowers uniqueness well below the equal-cells formula (0.78 here): the difference
    # is many standard errors, so assuming equal cells would overstate linkability.
    se = np.std(simulated, ddof=1) / math.sqrt(reps)
    assert fraction_unique(n, cells) - np.mean(simulated) > 20 * se


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 5_000), cells=st.integers(2, 3_000))
def test_fraction_unique_weighted_reduces_to_equal_cells(n: int, cells: int) -> None:
    assert fraction_unique_weighted(n, [1 / cells] * cells) == pytest.approx(
        fraction_unique(n, cells), rel=1e-9, abs=1e-300)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 10_000), cells=st.integers(1, 10**9))
def test_fraction_unique_is_a_probability_falling_in_n_and_rising_in_cells(
    n: int, cells: int
) -> None:
    u = fraction_unique(n, cells)
    assert 0.0 <= u <= 1.0
    assert fraction_unique(n + 1, cells) <= u
    assert fraction_unique(n, cells + 1) >= u


def test_fraction_unique_edge_cases() -> None:
    assert fraction_unique(1, 1) == 1.0  # alone in the only cell
    assert fraction_unique(2, 1) == 0.0
    with np.errstate(divide="ignore"):  # log1p(-1) = -inf on the certain cell
        assert fraction_unique_weighted(3, [1.0, 0.0]) == 0.0
    # Accurate for huge cell counts, where (1 - 1/C) would round to 1.
    assert fraction_unique(1e6, 1e18) == pytest.approx(1 - 1e-12, abs=1e-15)


def test_fraction_unique_weighted_one_person_one_certain_cell() -> None:
    with np.errstate(all="ignore"):
        assert fraction_unique_weighted(1, [1.0]) == 1.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fraction_unique(0, 10), "n must be at least 1, got 0"),
        (lambda: fraction_unique(10, 0.5), "cells must be at least 1, got 0.5"),
        (lambda: fraction_unique_weighted(0, [1.0]), "n must be at least 1, got 0"),
        (lambda: fraction_unique_weighted(5, [0.5, 0.4]), "must be non-negative and sum to 1"),
        (lambda: fraction_unique_weighted(5, [1.5, -0.5]), "must be non-negative and sum to 1"),
        (lambda: fraction_unique_weighted(5, []), "must be non-negative and sum to 1"),
    ],
)
def test_uniqueness_rejects_bad_input(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- links ---------------------------------------------------------------------------------


def test_key_links_with_match_quality_noise_match_simulation() -> None:
    """Each set records a person's key correctly with its own probability; a wrong key is an
    unrelated value (a typo in a huge namespace), so a shared person is linked exactly when
    both records are right: probability ``q_a * q_b``."""
    population, n_a, n_b, q_a, q_b, reps = 1_000, 200, 300, 0.9, 0.7, 5_000
    rng = np.random.default_rng(SEED + 3)
    in_a = samples(rng, population, n_a, reps)
    in_b = samples(rng, population, n_b, reps)
    right_a = rng.random((reps, population)) < q_a
    right_b = rng.random((reps, population)) < q_b
    links = (in_a & in_b & right_a & right_b).sum(axis=1)
    expected = expected_key_links(n_a, n_b, population, match_quality=q_a * q_b)
    assert expected == pytest.approx(60 * 0.63)
    within(links, expected)


def joined_on_cells(rng: np.random.Generator, n_a: int, n_b: int, m: int, cells: int,
                    reps: int) -> tuple[np.ndarray, np.ndarray]:
    """True and false links of a join on uniform QI cells, per replicate.

    Set A holds persons ``0 .. n_a - 1`` and set B persons ``n_a - m .. n_a + n_b - m - 1``, so
    exactly ``m`` persons are in both; every person gets a uniform cell. A cell holding
    exactly one record of each set is a link: true when it is one shared person, false when
    it is two persons, one of A only and one of B only.
    """
    union = n_a + n_b - m
    cell = rng.integers(cells, size=(reps, union)) + np.arange(reps)[:, None] * cells
    count_a = np.bincount(cell[:, :n_a].ravel(), minlength=reps * cells)
    count_b = np.bincount(cell[:, n_a - m:].ravel(), minlength=reps * cells)
    shared = cell[:, n_a - m:n_a]
    true = ((count_a[shared] == 1) & (count_b[shared] == 1)).sum(axis=1)
    joined = ((count_a == 1) & (count_b == 1)).reshape(reps, cells).sum(axis=1)
    return true, joined - true


@pytest.mark.parametrize(
    ("n_a", "n_b", "m", "cells"),
    [
        (2_000, 1_500, 20, 20_000),    # m/C = 0.001
        (1_000, 1_000, 40, 4_000),     # m/C = 0.01
        (1_500, 1_000, 400, 4_000),    # m/C = 0.1
        (1_200, 1_500, 900, 3_000),    # m/C = 0.3
        (2_500, 2_500, 2_000, 2_000),  # m/C = 1
    ],
)
def test_qi_true_and_false_links_match_a_simulated_join(n_a: int, n_b: int, m: int,
                                                        cells: int) -> None:
    """Both closed forms are exact for a given overlap: unique in both sets means no other
    distinct person of A ∪ B in the cell, (1 - 1/C)^(n_a + n_b - m - 1) for a shared person
    and (1/C) (1 - 1/C)^(n_a + n_b - m - 2) for a pair of persons in one set each."""
    rng = np.random.default_rng([SEED, 4, m])
    true, false = joined_on_cells(rng, n_a, n_b, m, cells, reps=400)
    both = fraction_unique_in_both(n_a, n_b, m, cells)
    assert both == pytest.approx((1 - 1 / cells) ** (n_a + n_b - m - 1))
    within(true, m * both)
    within(false, expected_false_qi_links(n_a, n_b, m, cells))
    # The product of the two sets' uniqueness counts the other shared persons twice:
    # too low by (1 - 1/C)^(m - 1), 63 % at m = C, beyond any sampling error.
    product = m * fraction_unique(n_a, cells) * fraction_unique(n_b, cells)
    if m / cells >= 0.1:
        se = np.std(true, ddof=1) / math.sqrt(len(true))
        assert np.mean(true) - product > 10 * se
    # Counting every colliding pair of different persons overstates the false links.
    colliding = (n_a - m) * (n_b - m) / cells
    assert expected_false_qi_links(n_a, n_b, m, cells) == pytest.approx(
        colliding * (1 - 1 / cells) ** (n_a + n_b - m - 2))


def test_qi_links_of_a_town_in_two_complete_registers() -> None:
    """A town of 10,000 in two complete registers joined on date of birth (36,500 cells):
    7,604 persons are unique in both, not 10,000 × 0.7604^2 = 5,782."""
    town, cells = 10_000, 36_500
    true, false = joined_on_cells(np.random.default_rng(SEED + 5), town, town, town, cells,
                                  reps=200)
    expected = expected_qi_links(town, town, town, cells)
    assert round(expected) == 7_604
    assert round(town * fraction_unique(town, cells) ** 2) == 5_782
    within(true, expected)
    assert false.sum() == 0 and expected_false_qi_links(town, town, town, cells) == 0.0


def test_qi_links_with_a_random_overlap_stay_close_to_the_expected_overlap_plug_in() -> None:
    """Independent samples from a population: the overlap is hypergeometric and
    expected_qi_links plugs in its mean; the error of doing so is below 1/C of the result."""
    population, n, cells, reps = 3_000, 2_000, 2_000, 300
    rng = np.random.default_rng(SEED + 6)
    in_a, in_b = samples(rng, population, n, reps), samples(rng, population, n, reps)
    cell = rng.integers(cells, size=(reps, population))
    true = np.empty(reps)
    for r in range(reps):
        count_a = np.bincount(cell[r, in_a[r]], minlength=cells)
        count_b = np.bincount(cell[r, in_b[r]], minlength=cells)
        shared = cell[r, in_a[r] & in_b[r]]
        true[r] = np.sum((count_a[shared] == 1) & (count_b[shared] == 1))
    expected = expected_qi_links(n, n, population, cells)
    within(true, expected, bias=expected / cells)


def test_qi_links_vanish_for_empty_sets_and_coarse_cells() -> None:
    assert expected_qi_links(0, 500, 1_000, cells=10**6) == 0.0
    # Two cells among 500 persons: practically no one is unique, so no one links.
    assert expected_qi_links(500, 500, 1_000, cells=2) < 1e-100
    assert expected_false_qi_links(100, 100, overlap=100, cells=10) == 0.0
    # One cell: two persons, one in each set only, are joined; a third person spoils it.
    assert expected_false_qi_links(1, 1, overlap=0, cells=1) == 1.0
    assert expected_false_qi_links(2, 1, overlap=0, cells=1) == 0.0


def test_link_probability_combines_independent_channels() -> None:
    assert link_probability() == 0.0
    assert link_probability([0.9]) == pytest.approx(0.9)
    assert link_probability([0.5, 0.5]) == pytest.approx(0.75)
    assert link_probability([0.5], qi_unique_in_both=0.25) == pytest.approx(1 - 0.5 * 0.75)
    assert link_probability([1.0], qi_unique_in_both=0.1) == 1.0
    assert link_probability(qi_unique_in_both=0.3) == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: expected_key_links(10, 10, 100, match_quality=1.5),
         r"match_quality must lie in \[0, 1\], got 1.5"),
        (lambda: expected_key_links(10, 10, 100, match_quality=-0.1),
         r"match_quality must lie in \[0, 1\], got -0.1"),
        (lambda: link_probability([0.5, 2.0]), r"match quality must lie in \[0, 1\], got 2.0"),
        (lambda: expected_false_qi_links(10, 10, 1, cells=0), "cells must be at least 1, got 0"),
        (lambda: expected_qi_links(200, 10, 100, cells=10),
         r"n_a must lie in \[0, population=100\], got 200"),
        (lambda: expected_qi_links(10, 10, 100, cells=0), "cells must be at least 1, got 0"),
        (lambda: link_probability([0.5], qi_unique_in_both=1.5),
         r"qi_unique_in_both must lie in \[0, 1\], got 1.5"),
        (lambda: fraction_unique_in_both(10, 20, 11, cells=5),
         r"overlap must lie in \[0, min\(n_a, n_b\)=10\], got 11"),
        (lambda: expected_false_qi_links(10, 20, -1, cells=5),
         r"overlap must lie in \[0, min\(n_a, n_b\)=10\], got -1"),
    ],
)
def test_links_reject_bad_input(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
