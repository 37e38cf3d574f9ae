"""The synthetic population: determinism, realism, calibration against Koot et al. (2010)."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bulkimpact.synth import KOOT_2010, calibration_table, population_table, write_population
from bulkimpact.synth.population import AGE_GROUPS, build_geography


@pytest.fixture(scope="module")
def pop200k():
    return population_table(200_000, seed=11)


def test_same_seed_same_population_and_other_seed_differs():
    a = population_table(5_000, seed=7)
    assert a.equals(population_table(5_000, seed=7))
    b = population_table(5_000, seed=8)
    assert a.column("postcode").to_pylist() != b.column("postcode").to_pylist()


def test_parquet_file_holds_the_same_rows_as_the_table(tmp_path):
    path = write_population(tmp_path / "p.parquet", 3_000, seed=5)
    assert pq.read_table(path).equals(population_table(3_000, seed=5))
    assert not list(tmp_path.glob(".*tmp"))  # no temporary file left behind


def test_age_pyramid_matches_cbs_brackets(pop200k):
    # CBS 37296ned, 1 January 2019: under 20 = 21.9 %, 80 and over = 4.6 %
    dob = pop200k.column("date_of_birth").to_numpy().astype("datetime64[D]")
    age = (np.datetime64("2024-01-01") - dob).astype(int) / 365.2425  # age on the reference date
    assert abs(np.mean(age < 20) - 3_791_838 / 17_282_163) < 0.01
    assert abs(np.mean(age >= 80) - 798_820 / 17_282_163) < 0.005
    assert abs(sum(g[2] for g in AGE_GROUPS) - 1.0) < 1e-9


def test_postcodes_are_dutch_shaped_and_skewed(pop200k):
    codes = np.asarray(pop200k.column("postcode").to_pylist())
    assert all(len(c) == 6 and c[:4].isdigit() and c[0] != "0" for c in codes[:1000])
    assert not set("".join(c[4:] for c in codes)) & set("FIOQUY")
    _, per_pc6 = np.unique(codes, return_counts=True)
    _, per_pc4 = np.unique([c[:4] for c in codes], return_counts=True)
    assert 30 < per_pc6.mean() < 50                      # about 38 residents per PC6
    assert per_pc4.std() / per_pc4.mean() > 0.6            # far from uniform areas
    assert per_pc6.max() > 8 * np.median(per_pc6)          # a few large blocks of flats


def test_identifiers_are_unique_per_person(pop200k):
    for column in ("email", "phone", "bsn", "username", "ip"):
        assert pc.count_distinct(pop200k.column(column)).as_py() == 200_000, column


def test_geography_scales_with_the_population():
    small, large = build_geography(100_000, seed=1), build_geography(1_000_000, seed=1)
    assert len(large.pc4) == pytest.approx(10 * len(small.pc4), rel=0.05)
    assert len(large.pc6) == pytest.approx(10 * len(small.pc6), rel=0.1)


def test_uniqueness_close_to_published_dutch_figures(pop200k):
    table = calibration_table(pop200k).set_index("qi")
    # Koot et al. 2010: 67.0 % on dob + PC4, 99.4 % on dob + PC6 + sex
    assert table.loc["date_of_birth + pc4", "published"] == KOOT_2010[("date_of_birth", "pc4")]
    assert abs(table.loc["date_of_birth + pc4", "difference"]) < 0.04
    assert abs(table.loc["date_of_birth + postcode + sex", "difference"]) < 0.006
