"""Validation of inventories in the synthetic world, and the mosaic example."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bulkimpact.synth import (
    World,
    WorldDataset,
    WorldField,
    WorldPopulation,
    mosaic_example,
    validate_inventory,
)

F = WorldField
DOB = F("date_of_birth", "demographic", cardinality=36_500)
PC6 = F("postcode", "demographic", cardinality=470_000)

WORLD = World(
    (WorldPopulation("nl", 17_900_000), WorldPopulation("adults", 14_000_000, "nl")),
    (
        WorldDataset("shop", 3_000_000, "nl",
                     (F("email", "contact", key="email", match_quality=0.9), DOB, PC6)),
        WorldDataset("telco", 5_000_000, "nl",
                     (F("email", "contact", key="email", match_quality=0.95),
                      F("phone", "contact", key="phone"), DOB, PC6)),
        WorldDataset("leak", 2_000_000, "adults",
                     (F("phone", "contact", key="phone", match_quality=0.8),
                      F("iban", "financial", key="iban"), DOB)),
        WorldDataset("bank", 1_500_000, "adults",
                     (F("iban", "financial", key="iban", match_quality=0.99),
                      F("diagnosis", "special_category"), F("shoe_size", "demographic"))),
    ),
)


@pytest.fixture(scope="module")
def validation():
    return validate_inventory(WORLD, persons=150_000, seed=5)


def test_every_linkable_pair_is_an_edge(validation):
    edges = validation.to_frame()
    # shop and bank share nothing the world can link on
    assert sorted(zip(edges["a"], edges["b"], strict=True)) == [
        ("leak", "bank"), ("shop", "leak"), ("shop", "telco"), ("telco", "leak")]
    assert validation.unrealised == {"bank": ["shoe_size"]}
    assert validation.scale == pytest.approx(150_000 / 17_900_000)


def test_exact_overlap_within_four_standard_deviations(validation):
    edges = validation.to_frame()
    assert (edges["overlap_z"].abs() < 4).all(), edges[["a", "b", "overlap_z"]]
    # a dataset of the sub-population and one of the whole: N is the enclosing population
    shop_leak = edges[(edges["a"] == "shop") & (edges["b"] == "leak")].iloc[0]
    assert shop_leak["population"] == "nl" and shop_leak["N"] == 150_000


def test_exact_key_links_within_sampling_error(validation):
    edges = validation.to_frame().dropna(subset=["key_links_expected"])
    assert sorted(edges["keys"]) == ["email", "iban", "phone"]
    for _, e in edges.iterrows():
        p = e["key_links_expected"] / e["overlap_expected"]
        sd = math.sqrt(p * p * e["overlap_sd"] ** 2 + e["overlap_expected"] * p * (1 - p))
        assert abs(e["key_links_exact"] - e["key_links_expected"]) < 4 * sd, (e["a"], e["b"])
        assert e["key_false_links_exact"] == 0


def test_qi_links_skew_aware_estimate_within_error(validation):
    edges = validation.to_frame().dropna(subset=["qi_links_exact"])
    assert set(edges["qis"]) == {"date_of_birth", "date_of_birth,postcode"}
    for _, e in edges.iterrows():
        expected = e["qi_links_expected_skewed"]
        assert abs(e["qi_links_exact"] - expected) < 4 * math.sqrt(expected) + 0.02 * expected


def test_same_seed_same_table():
    small = World(WORLD.populations, WORLD.datasets[:2])
    a = validate_inventory(small, persons=20_000, seed=2).to_frame()
    b = validate_inventory(small, persons=20_000, seed=2).to_frame()
    assert a.equals(b)
    c = validate_inventory(small, persons=20_000, seed=3).to_frame()
    assert not np.array_equal(a["overlap_exact"], c["overlap_exact"])


def test_package_inventory_and_linkage_graph():
    inventory_mod = pytest.importorskip("bulkimpact.inventory")
    linkage = pytest.importorskip("bulkimpact.linkage")
    rulebook = pytest.importorskip("bulkimpact.rulebook")
    fields = [{"name": "email", "category": "contact", "key": "email", "match_quality": 0.9}]
    inv = inventory_mod.parse_inventory({
        "title": "t", "fictional": True,
        "populations": [{"id": "nl", "size": 1_000_000}],
        "datasets": [
            {"id": "a", "name": "A", "source": "private", "persons": 200_000,
             "population": "nl", "fields": fields},
            {"id": "b", "name": "B", "source": "leaked", "leaked": True, "persons": 300_000,
             "population": "nl", "fields": fields}]})
    graph = linkage.build_linkage_graph(inv, rulebook.load_rulebook(
        rulebook.default_rulebook_path()))
    edge = validate_inventory(inv, persons=50_000, seed=1, graph=graph).to_frame().iloc[0]
    assert bool(edge["in_graph"])
    assert edge["graph_expected_overlap"] == pytest.approx(edge["overlap_expected"], rel=1e-3)
    assert edge["graph_expected_links"] == pytest.approx(edge["links_expected"], rel=1e-3)
    assert abs(edge["overlap_z"]) < 4


def test_mosaic_names_persons_with_a_health_condition():
    result = mosaic_example(persons=100_000, seed=4)
    assert (result.forum_persons, result.shop_persons) == (2_000, 25_000)
    assert result.named >= 0.95 * result.shared_persons      # dob + PC6 + sex: ~99 % unique
    assert result.false_links <= 0.02 * len(result.linked)
    assert 0.02 < result.named_sensitive / result.named < 0.11  # prevalence 6 %
    named = result.linked[result.linked["correct"] & result.linked["special_category"]]
    assert named["email"].str.contains("@").all() and named["phone"].str.len().eq(10).all()
    assert set(result.categories_combined) == {"contact", "demographic", "special_category"}


def test_enclosing_populations_are_realised_by_their_part_inside_the_reference():
    email = (F("email", "contact", key="email"),)
    world = World(
        (WorldPopulation("world", 8_000_000_000), WorldPopulation("nl", 17_900_000, "world"),
         WorldPopulation("region_a", 60_000_000, "world")),
        (WorldDataset("global-leak", 400_000_000, "world", email),
         WorldDataset("nl-shop", 4_000_000, "nl", email),
         WorldDataset("region-roster", 1_000_000, "region_a", email)))
    result = validate_inventory(world, persons=100_000, seed=2)
    assert result.reference == "nl"
    assert "region_a" in result.not_realised["region-roster"]
    (edge,) = result.to_frame().itertuples()
    # the global leak holds 400 M / 8 G of the Dutch: 5 % of 100,000 synthetic persons
    assert (edge.n_a, edge.n_b, edge.N, edge.scope) == (5_000, 22_346, 100_000, "whole")
    assert abs(edge.overlap_z) < 4
