"""Exact measurement against the closed forms, on worlds where the closed forms hold."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from bulkimpact import estimates
from bulkimpact.synth import (
    ExtractSpec,
    LinkCount,
    SourceError,
    draw_extract,
    key_links,
    links,
    overlap,
    population_table,
    qi_links,
    uniqueness,
)


def uniform_world(persons: int, cells: int, seed: int) -> pa.Table:
    """Persons with one quasi-identifier drawn uniformly from ``cells`` values."""
    rng = np.random.default_rng(seed)
    return pa.table({"person_id": np.arange(persons), "cell": rng.integers(0, cells, persons)})


def sample(table: pa.Table, n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    return table.take(np.sort(rng.choice(table.num_rows, n, replace=False)))


def test_uniqueness_on_uniform_cells_matches_fraction_unique():
    n, cells = 60_000, 100_000
    u = uniqueness(uniform_world(n, cells, seed=1), ["cell"])
    expected = estimates.fraction_unique(n, cells)
    sd = math.sqrt(n * expected * (1 - expected))
    assert abs(u.unique - n * expected) < 4 * sd
    assert u.classes["persons"].sum() == n


def test_class_size_distribution_by_hand():
    df = pd.DataFrame({"person_id": range(6), "postcode": ["1011AA", "1011AB", "1011AB",
                                                           "2022CC", "2022CC", "2022CC"]})
    u = uniqueness(df, "postcode")
    assert u.classes.to_dict("list") == {"size": [1, 2, 3], "classes": [1, 1, 1],
                                         "persons": [1, 2, 3]}
    assert uniqueness(df, "pc4").classes.to_dict("list")["size"] == [3]


def test_missing_values_are_never_unique():
    df = pd.DataFrame({"person_id": [1, 2, 3], "sex": ["F", None, "M"]})
    u = uniqueness(df, ["sex"])
    assert (u.unique, u.persons) == (2, 3)


def test_unknown_column_names_it_and_the_valid_ones():
    with pytest.raises(SourceError, match=r"unknown column 'age'; valid: .*postcode.*pc4"):
        uniqueness(population_table(100, seed=1), ["date_of_birth", "age"])


def test_overlap_of_independent_samples_within_hypergeometric_error():
    world = uniform_world(100_000, 10, seed=0)
    n_a, n_b = 20_000, 30_000
    mean = estimates.expected_overlap(n_a, n_b, 100_000)
    sd = math.sqrt(estimates.overlap_variance(n_a, n_b, 100_000))
    z = [(overlap(sample(world, n_a, s), sample(world, n_b, 100 + s)) - mean) / sd
         for s in range(8)]
    assert max(abs(v) for v in z) < 4
    assert abs(np.mean(z)) < 4 / math.sqrt(8)


def test_key_links_follow_match_quality():
    pop = population_table(100_000, seed=3)
    a = draw_extract(pop, ExtractSpec("a", 30_000, ("email",), {"email": 0.9}), seed=1)
    b = draw_extract(pop, ExtractSpec("b", 40_000, ("email",), {"email": 0.8}), seed=2)
    m = overlap(a, b)
    p = 0.9 * 0.8
    result = key_links(a, b, "email")
    assert abs(result.true - m * p) < 4 * math.sqrt(m * p * (1 - p))
    assert result.false == 0  # mistyped e-mails do not hit someone else's address


def test_qi_links_on_uniform_cells_match_expected_qi_links():
    persons, cells, n_a, n_b = 100_000, 400_000, 30_000, 40_000
    world = uniform_world(persons, cells, seed=4)
    a, b = sample(world, n_a, 1), sample(world, n_b, 2)
    result = qi_links(a, b, ["cell"])
    m = overlap(a, b)
    # unique in both sets: no other of the n_a + n_b - m distinct persons in the cell
    expected_true = m * estimates.fraction_unique_in_both(n_a, n_b, m, cells)
    assert abs(result.true - expected_true) < 4 * math.sqrt(expected_true)
    # false links: a person of each set only, alone in a common cell
    false_expected = estimates.expected_false_qi_links(n_a, n_b, m, cells)
    assert abs(result.false - false_expected) < 4 * math.sqrt(false_expected)


def test_links_through_any_channel_by_hand():
    a = pd.DataFrame({"person_id": [1, 2, 3, 4], "email": ["a", None, "c", "d"],
                      "sex": ["F", "M", "X", "Y"]})
    b = pd.DataFrame({"person_id": [1, 2, 3, 5], "email": ["a", "b", "zz", "d"],
                      "sex": ["F", "M", "X", "Q"]})
    # e-mail links 1 (true) and 4-5 (false); sex links 1, 2, 3 (all unique, true)
    assert links(a, b, keys=["email"]) == LinkCount(true=1, false=1)
    assert links(a, b, qis=["sex"]) == LinkCount(true=3, false=0)
    result = links(a, b, keys=["email"], qis=["sex"])
    assert (result.true, result.false) == (3, 1)


def test_extract_sampling_bias_and_stale_addresses():
    pop = population_table(50_000, seed=9)
    young = ExtractSpec("school", 5_000, ("date_of_birth", "postcode"), {"postcode": 0.7},
                        age_weights=((0, 20, 10.0),))
    ex = draw_extract(pop, young, seed=1).to_pandas()
    age = 2024 - pd.to_datetime(ex["date_of_birth"]).dt.year
    assert (age < 20).mean() > 0.6  # about 22 % in the population, weighted 10x
    truth = pop.to_pandas().set_index("person_id").loc[ex["person_id"], "postcode"].to_numpy()
    wrong = ex["postcode"].to_numpy() != truth
    assert abs(wrong.mean() - 0.3) < 0.03        # missing (NaN != code) or stale
    assert abs(ex["postcode"].isna().mean() - 0.15) < 0.02
