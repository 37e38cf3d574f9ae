"""Uniqueness from a population's own cell sizes: by hand, and against the record-level world."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import dataset, field, inventory_data

from bulkimpact import cells
from bulkimpact.estimates import QiCells, fraction_unique, fraction_unique_weighted
from bulkimpact.inventory import parse_inventory
from bulkimpact.problems import InputError
from bulkimpact.synth import population
from bulkimpact.synth.measure import uniqueness


def test_unequal_cells_by_hand() -> None:
    """Two persons, cells of 3/4 and 1/4: each person is unique when the other is in the other
    cell, 2 × 3/4 × 1/4 = 0.375 (equal halves would give 0.5). Classes of equal cells count
    alike: a hundred cells of 1 % as one class of count 100."""
    assert fraction_unique_weighted(2, [0.75, 0.25]) == pytest.approx(0.375)
    assert fraction_unique_weighted(2, [0.5, 0.5]) == pytest.approx(0.5)
    assert fraction_unique_weighted(50, [0.01], counts=[100]) == pytest.approx(
        fraction_unique(50, 100))
    with pytest.raises(ValueError, match="sum to 1"):
        fraction_unique_weighted(2, [0.5], counts=[1])


def test_synth_and_estimates_share_one_set_of_distributions() -> None:
    """The world is drawn from the same objects the estimates read (no second copy)."""
    assert population.PopulationParams is cells.PopulationParams
    assert population.AGE_GROUPS is cells.AGE_GROUPS
    assert population.expected_uniqueness_dob_pc4 is cells.expected_uniqueness_dob_pc4


def test_dutch_cells_give_the_published_uniqueness_and_uniform_does_not() -> None:
    """Date of birth + PC4 among 17.9 M Dutch residents: Koot et al. (2010) 67.0 %; the
    uniform formula on the inventory's cardinalities (36,500 × 4,000 cells) gives 88.5 %."""
    qis = {"date_of_birth": 36_500, "pc4": 4_000}
    skewed = QiCells(qis, cells.NL_PERSONS, "nl")
    uniform = QiCells(qis, cells.NL_PERSONS)
    assert skewed.uniqueness_model == "population_cells"
    assert uniform.uniqueness_model == "uniform"
    koot = cells.KOOT_2010[("date_of_birth", "pc4")]
    assert skewed.fraction_unique(cells.NL_PERSONS) == pytest.approx(koot, abs=0.005)
    assert uniform.fraction_unique(cells.NL_PERSONS) == pytest.approx(0.885, abs=0.001)
    full = QiCells({"date_of_birth": 1, "postcode": 1, "sex": 1}, cells.NL_PERSONS, "nl")
    assert full.fraction_unique(cells.NL_PERSONS) == pytest.approx(
        cells.KOOT_2010[("date_of_birth", "postcode", "sex")], abs=0.002)


def test_a_field_the_model_lacks_splits_cells_and_never_lowers_uniqueness() -> None:
    """Birth year + PC4 with a further field of 10 values the Dutch model does not know: each
    cell is split in ten, so uniqueness rises and the model is still the population's."""
    base = QiCells({"birth_year": 100, "pc4": 4_000}, cells.NL_PERSONS, "nl")
    more = QiCells({"birth_year": 100, "pc4": 4_000, "shoe_size": 10}, cells.NL_PERSONS, "nl")
    assert more.uniqueness_model == "population_cells" and more.cells == 10
    assert more.fraction_unique(1e6) > base.fraction_unique(1e6)


def test_adults_have_no_one_under_18() -> None:
    """The adults' model cuts the pyramid at 18: its date-of-birth cells hold nobody younger,
    so among as many persons fewer cells are used and fewer persons are unique."""
    p_all, counts_all, _ = cells.cell_classes("nl", ["date_of_birth"], 1e6)
    p_adult, counts_adult, _ = cells.cell_classes("nl_adults", ["date_of_birth"], 1e6)
    assert counts_adult.sum() == pytest.approx(counts_all.sum() - 18 * 365.2425)
    adults = QiCells({"date_of_birth": 1, "pc4": 1}, 1e6, "nl_adults").fraction_unique(1e5)
    everyone = QiCells({"date_of_birth": 1, "pc4": 1}, 1e6, "nl").fraction_unique(1e5)
    assert adults < everyone


WORLD, SEEDS = 200_000, (0, 1, 2, 3)
QI_SETS = (("date_of_birth", "pc4"), ("date_of_birth", "postcode", "sex"),
           ("birth_year", "postcode"), ("date_of_birth", "sex"))


@pytest.fixture(scope="module")
def worlds() -> list:
    return [population.population_table(WORLD, seed) for seed in SEEDS]


@pytest.mark.parametrize("qi", QI_SETS, ids="+".join)
def test_skew_aware_uniqueness_matches_the_record_level_world(worlds: list, qi) -> None:
    """Counted exactly in four seeded worlds of 200,000 persons, the share unique lies within
    three standard deviations of the worlds' spread (floor 0.002) of the closed form on the
    same population's cells."""
    counted = np.array([uniqueness(w, qi).fraction_unique for w in worlds])
    predicted = QiCells(dict.fromkeys(qi, 1), WORLD, "nl").fraction_unique(WORLD)
    tolerance = max(3 * counted.std(ddof=1), 0.002)
    assert abs(counted - predicted).max() <= tolerance, (counted, predicted)


def test_equal_cells_miss_the_record_level_world(worlds: list) -> None:
    """The same number of date-of-birth + PC4 cells taken as equally likely (45 areas × 38,350
    days) makes about 89 % unique in a world of 200,000, where about 68 % are."""
    counted = np.mean([uniqueness(w, ("date_of_birth", "pc4")).fraction_unique
                       for w in worlds])
    _, counts, _ = cells.cell_classes("nl", ["date_of_birth", "pc4"], WORLD)
    assert fraction_unique(WORLD, counts.sum()) - counted > 0.15


def test_skew_aware_uniqueness_in_an_extract_matches_the_world(worlds: list) -> None:
    """A dataset of 40,000 of the 200,000: the share of its persons unique among themselves on
    date of birth + PC4 is the closed form at n = 40,000 (cells of the whole population)."""
    rng = np.random.default_rng(7)
    counted = np.array([uniqueness(w.take(np.sort(rng.choice(WORLD, 40_000, replace=False))),
                                   ("date_of_birth", "pc4")).fraction_unique for w in worlds])
    predicted = QiCells({"date_of_birth": 1, "pc4": 1}, WORLD, "nl").fraction_unique(40_000)
    assert abs(counted - predicted).max() <= max(3 * counted.std(ddof=1), 0.002)


def test_unknown_cell_model_is_named_with_file_population_and_field() -> None:
    data = inventory_data([dataset("a", [field("dob", "demographic", cardinality=36_500)])],
                          populations=[{"id": "pop", "size": 1_000_000, "cells": "nll"}])
    with pytest.raises(InputError) as caught:
        parse_inventory(data, "inv.yaml")
    text = str(caught.value)
    assert "populations[0] (id 'pop')" in text and "cells" in text
    assert "did you mean 'nl'?" in text
