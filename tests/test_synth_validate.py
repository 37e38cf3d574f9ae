"""Validation of inventories in synthetic worlds, its reconciliation with the graph, the mosaic."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from helpers import dataset, field, key_field

from bulkimpact.inventory import parse_inventory
from bulkimpact.linkage import build_linkage_graph
from bulkimpact.present.validation import (
    coverage_sentence,
    equal_cells_sentence,
    flag_sentence,
    reconciliation_sentence,
)
from bulkimpact.synth import (
    Validation,
    mosaic_example,
    reference_populations,
    validate_inventory,
)
from bulkimpact.synth.reconcile import (
    APART,
    BOTH,
    FEW_LINKS,
    NOT_REALISED,
    QI_THRESHOLD,
    compare_with_graph,
    reconciliation_counts,
)
from bulkimpact.synth.validate import tail_probability

DOB = field("date_of_birth", "demographic", cardinality=36_500)
PC6 = field("postcode", "demographic", cardinality=470_000)


def inventory(populations: list[dict], datasets: list[dict]):
    return parse_inventory({"title": "t", "fictional": True, "populations": populations,
                            "datasets": datasets})


INVENTORY = inventory(
    [{"id": "nl", "size": 17_900_000}, {"id": "adults", "size": 14_000_000, "part_of": "nl"}],
    [
        dataset("shop", [key_field("email", "contact", match_quality=0.9), DOB, PC6],
                persons=3_000_000, population="nl"),
        dataset("telco", [key_field("email", "contact", match_quality=0.95),
                          key_field("phone", "contact"), DOB, PC6],
                persons=5_000_000, population="nl"),
        dataset("leak", [key_field("phone", "contact", match_quality=0.8),
                         key_field("iban", "financial"), DOB],
                persons=2_000_000, population="adults"),
        dataset("bank", [key_field("iban", "financial", match_quality=0.99),
                         field("diagnosis", "special_category"),
                         field("shoe_size", "demographic")],
                persons=1_500_000, population="adults"),
    ],
)


@pytest.fixture(scope="module")
def validation():
    return validate_inventory(INVENTORY, persons=150_000, seed=5)


def test_every_linkable_pair_is_an_edge(validation):
    edges = validation.to_frame()
    # shop and bank share nothing the world can link on
    assert sorted(zip(edges["a"], edges["b"], strict=True)) == [
        ("leak", "bank"), ("shop", "leak"), ("shop", "telco"), ("telco", "leak")]
    assert validation.unrealised == {"bank": ["shoe_size"]}
    assert validation.scale == pytest.approx(150_000 / 17_900_000)
    assert validation.not_realised == {}
    assert list(validation.datasets["worlds"]) == ["nl"] * 4


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
        for exact, expected in ((e["qi_links_exact"], e["qi_links_expected_skewed"]),
                                (e["false_qi_links_exact"], e["false_qi_links_expected_skewed"])):
            assert abs(exact - expected) < 4 * math.sqrt(expected) + 0.02 * expected
    # every count within its predicted sampling error, so nothing is flagged
    assert validation.flagged.empty


def test_links_sd_is_the_predicted_sampling_error(validation):
    e = validation.to_frame().set_index(["a", "b"]).loc[("shop", "telco")]
    p = e["links_expected"] / e["overlap_expected"]
    assert e["links_sd"] == pytest.approx(math.sqrt(p * p * e["overlap_sd"] ** 2
                                                    + e["overlap_expected"] * p * (1 - p)))


def test_same_seed_same_table():
    small = inventory([{"id": "nl", "size": 17_900_000}],
                      [d.model_dump(by_alias=True, exclude_none=True)
                       for d in INVENTORY.datasets[:2]])
    a = validate_inventory(small, persons=20_000, seed=2).to_frame()
    b = validate_inventory(small, persons=20_000, seed=2).to_frame()
    assert a.equals(b)
    c = validate_inventory(small, persons=20_000, seed=3).to_frame()
    assert not np.array_equal(a["overlap_exact"], c["overlap_exact"])


def test_package_inventory_and_linkage_graph(default_rulebook):
    fields = [key_field("email", "contact", match_quality=0.9)]
    inv = inventory([{"id": "nl", "size": 1_000_000}],
                    [dataset("a", fields, persons=200_000, population="nl"),
                     dataset("b", fields, persons=300_000, population="nl", source="leaked",
                             leaked=True)])
    graph = build_linkage_graph(inv, default_rulebook)
    edge = validate_inventory(inv, persons=50_000, seed=1, graph=graph).to_frame().iloc[0]
    assert bool(edge["in_graph"]) and edge["graph_source"] == "estimate"
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


EMAIL = [key_field("email", "contact")]
THREE_REGIONS = inventory(
    [{"id": "world", "size": 8_000_000_000},
     {"id": "nl", "size": 17_900_000, "part_of": "world"},
     {"id": "region_a", "size": 60_000_000, "part_of": "world"}],
    [dataset("global-leak", EMAIL, persons=400_000_000, population="world"),
     dataset("nl-shop", EMAIL, persons=4_000_000, population="nl"),
     dataset("region-roster", EMAIL, persons=1_000_000, population="region_a"),
     dataset("tiny", EMAIL, persons=50, population="world")])


def test_enclosing_populations_are_realised_by_their_part_inside_the_reference():
    result = validate_inventory(THREE_REGIONS, persons=100_000, seed=2, reference="nl")
    assert result.reference == "nl"
    assert "region_a" in result.not_realised["region-roster"]
    (edge,) = result.to_frame().itertuples()
    # the global leak holds 400 M / 8 G of the Dutch: 5 % of 100,000 synthetic persons
    assert (edge.n_a, edge.n_b, edge.N, edge.scope) == (5_000, 22_346, 100_000, "whole")
    assert abs(edge.overlap_z) < 4


def test_every_dataset_is_realised_in_some_world_or_named_with_the_reason():
    assert reference_populations(THREE_REGIONS) == ["nl", "region_a"]
    result = validate_inventory(THREE_REGIONS, persons=20_000, seed=2)
    assert list(result.worlds["reference"]) == ["nl", "region_a"]
    worlds = dict(zip(result.datasets["dataset"], result.datasets["worlds"], strict=True))
    assert worlds == {"global-leak": "nl, region_a", "nl-shop": "nl",
                      "region-roster": "region_a", "tiny": ""}
    # 50 persons of the world, 0.11 of them Dutch, are 0.000125 synthetic persons
    assert result.not_realised["tiny"].startswith("fewer than one synthetic person: 50 persons")
    # the same as facts, which the Dutch page words (no English text parsed)
    tiny = result.datasets.set_index("dataset").loc["tiny"]
    assert (tiny["reason_kind"], tiny["reason_world"]) == ("fewer", "nl")
    assert tiny["reason_ratio"] == pytest.approx(895, abs=1)
    assert tiny["reason_expected"] == pytest.approx(0.000125)
    from bulkimpact.present.record_names import reason_text

    assert reason_text(tiny.to_dict(), "nl").startswith(
        "minder dan één synthetische persoon: bij één synthetische persoon per 895 echte")
    assert result.datasets.set_index("dataset").loc["nl-shop", "reason_kind"] == ""
    pairs = sorted(zip(result.edges["a"], result.edges["b"], result.edges["world"],
                       strict=True))
    assert pairs == [("global-leak", "nl-shop", "nl"), ("global-leak", "region-roster",
                                                       "region_a")]
    assert coverage_sentence(result).startswith(
        "3 of 4 datasets are realised, in 2 worlds (nl: 2 datasets, one synthetic person per 895 "
        "real ones; region_a: 2 datasets")
    assert coverage_sentence(result).endswith(
        "Not realised: 1 dataset with fewer than one synthetic person (tiny).")
    with pytest.raises(ValueError, match="'mars' is not a population of the inventory"):
        validate_inventory(THREE_REGIONS, persons=1_000, reference="mars")


def test_reconciliation_names_why_pairs_and_links_differ(default_rulebook):
    graph = build_linkage_graph(THREE_REGIONS, default_rulebook)
    result = validate_inventory(THREE_REGIONS, persons=20_000, seed=2, graph=graph)
    table = compare_with_graph(result, THREE_REGIONS, graph, default_rulebook)
    status = {(r.a, r.b): r.status for r in table.itertuples()}
    assert status[("global-leak", "nl-shop")] == BOTH
    assert status[("nl-shop", "region-roster")] == APART
    assert status[("global-leak", "tiny")] == NOT_REALISED
    # graph links: the three pairs with the global leak and nl-shop × region-roster
    counts = reconciliation_counts(table).set_index("status")["pairs"]
    assert counts.sum() == len(table) == 4
    sentence = reconciliation_sentence(table, default_rulebook)
    assert sentence.startswith(f"The worlds realise 2 linkable pairs and the graph has "
                               f"{graph.number_of_edges()} links;")
    assert "1 joins datasets realised in different worlds" in sentence


def test_realised_pairs_below_the_rulebook_thresholds_are_explained(default_rulebook):
    """Dates of birth single out most of a small extract but almost no one in a set of
    millions; a poorly recorded key expects less than one link at full size (50 shared
    persons, match quality 0.1 × 0.1)."""
    inv = inventory([{"id": "nl", "size": 17_900_000}],
                    [dataset("a", [DOB], persons=3_000_000, population="nl"),
                     dataset("b", [DOB], persons=2_000_000, population="nl"),
                     dataset("c", [key_field("email", "contact", match_quality=0.1)],
                             persons=30_000, population="nl"),
                     dataset("d", [key_field("email", "contact", match_quality=0.1)],
                             persons=30_000, population="nl")])
    graph = build_linkage_graph(inv, default_rulebook)
    assert graph.number_of_edges() == 0
    result = validate_inventory(inv, persons=20_000, seed=1, reference="nl")
    table = compare_with_graph(result, inv, graph, default_rulebook).set_index(["a", "b"])
    assert table.loc[("a", "b"), "status"] == QI_THRESHOLD
    assert table.loc[("a", "b"), "reason"].startswith("date_of_birth: 36,500 equal cells leave")
    assert table.loc[("c", "d"), "status"] == FEW_LINKS
    assert "1 expects fewer than 1 link at full size" in reconciliation_sentence(
        table.reset_index(), default_rulebook)


def lonely_postcodes(persons: int, alone: int, crowded: int) -> pa.Table:
    """``alone`` persons each in a postcode of their own, the rest in ``crowded`` postcodes."""
    codes = [f"{9000 + i:04d}AA" for i in range(alone)]
    codes += [f"{1000 + i % crowded:04d}ZZ" for i in range(persons - alone)]
    return pa.table({"person_id": np.arange(persons, dtype=np.int64), "postcode": codes})


def test_persons_alone_in_their_postcode_link_where_equal_cells_predict_none():
    """The cause of the baseline's 'odd pairs' (about 1e-5 links estimated, 5-11 counted):
    the population's cells are unequal. Here 200 of 20,000 persons live alone in their
    postcode, the rest in 20 crowded ones. Two extracts of half the population share about
    5,000 persons; equal cells (220 of them) leave no one unique among 15,000, but each
    lonely person in both sets is unique in both: 200 / 4 = 50 links."""
    pc = field("postcode", "demographic", cardinality=450_000)
    inv = inventory([{"id": "town", "size": 20_000}],
                    [dataset("a", [pc], persons=10_000, population="town"),
                     dataset("b", [pc], persons=10_000, population="town")])
    result = validate_inventory(inv, persons=20_000, seed=3,
                                population=lonely_postcodes(20_000, 200, 20))
    (row,) = result.to_frame().itertuples()
    assert row.cells == 220
    assert row.qi_links_expected < 1e-20                      # equal cells: (1 - 1/220)^15,000
    assert row.qi_links_expected_skewed == pytest.approx(50, rel=0.02)
    assert row.links_expected == pytest.approx(row.qi_links_expected_skewed)
    assert abs(row.links_exact - 50) < 4 * row.links_sd
    assert row.flag == "" and row.equal_cells_off
    # false links: two lonely persons never share a postcode; crowded ones are never unique
    assert row.false_links_exact == 0 and row.false_qi_links_expected_skewed == 0
    sentence = equal_cells_sentence(result)
    assert sentence.startswith("On postcode, equal cells predict 0.0 true links over 1 pair "
                               f"where {row.qi_links_exact:.0f} are counted;")
    assert "a × b on postcode" in sentence


def test_counts_outside_their_sampling_error_are_flagged():
    assert tail_probability(11, 6.8e-06, 0.0026) < 1e-40
    assert tail_probability(11, 5.8, 2.4) > 0.05
    assert tail_probability(0, 0.0, 0.0) == 1.0 and tail_probability(1, 0.0, 0.0) == 0.0
    assert tail_probability(130, 100, 10) == pytest.approx(0.0027, abs=1e-4)
    edges = pd.DataFrame({"a": ["x", "y"], "b": ["z", "z"], "qis": ["", "sex"],
                          "flag": ["", "links, false links"]})
    v = Validation(edges, pd.DataFrame(), pd.DataFrame(), 1_000, 0)
    assert list(v.flagged["a"]) == ["y"]
    assert flag_sentence(v).startswith("1 of 2 pairs has a count outside the sampling error")
    assert "y × z (links, false links)" in flag_sentence(v)
