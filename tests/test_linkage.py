"""Linkage graph on small inventories: which datasets link, and the edge attributes.

Population 1,000,000 and datasets of 10,000 persons unless stated, so two
independent sets are expected to share 10,000 * 10,000 / 10^6 = 100 persons.
"""

from __future__ import annotations

import math

import pytest
from helpers import dataset, graph, inventory, key_field

from bulkimpact.estimates import fraction_unique
from bulkimpact.linkage import edge_estimate
from bulkimpact.rulebook import Rulebook


def with_linkage(rulebook: Rulebook, **linkage: float) -> Rulebook:
    """The rulebook with other linkage thresholds."""
    return rulebook.model_copy(update={"linkage": rulebook.linkage.model_copy(update=linkage)})


def dob(cardinality: int, name: str = "dob") -> dict:
    return {"name": name, "category": "demographic", "cardinality": cardinality}


def test_edges_through_shared_keys_carry_their_estimates(default_rulebook: Rulebook) -> None:
    """a–b share e-mail (quality 1.0 × 0.9): 100 × 0.9 = 90 links, strength 90 / 10,000.
    b–c share phone (0.5 × 0.8 = 0.4): 40 links. a and c share nothing: no edge.
    b–d share e-mail (0.9 × 0.5) and phone (0.5 × 0.5): a shared person is linked unless both
    channels miss, 1 - 0.55 × 0.75 = 0.5875, so 58.75 links."""
    G = graph([
        dataset("a", [key_field("email", "contact")]),
        dataset("b", [key_field("email", "contact", match_quality=0.9),
                      key_field("phone", "contact", match_quality=0.5)]),
        dataset("c", [key_field("phone", "contact", match_quality=0.8)]),
        dataset("d", [key_field("email", "contact", match_quality=0.5),
                      key_field("phone", "contact", match_quality=0.5)]),
    ], default_rulebook)
    assert sorted(map(sorted, G.edges())) == [["a", "b"], ["a", "d"], ["b", "c"], ["b", "d"],
                                              ["c", "d"]]
    ab = G.edges["a", "b"]
    assert (ab["keys"], ab["qis"], ab["source"]) == (["email"], [], "estimate")
    assert ab["expected_overlap"] == pytest.approx(100.0)
    assert ab["expected_links"] == pytest.approx(90.0)
    assert ab["strength"] == pytest.approx(0.009)
    assert ab["population"] == "pop"
    assert G.edges["b", "c"]["expected_links"] == pytest.approx(40.0)
    bd = G.edges["b", "d"]
    assert bd["keys"] == ["email", "phone"]
    assert bd["expected_links"] == pytest.approx(58.75)


def test_best_match_quality_of_a_namespace_counts() -> None:
    d = inventory([dataset("a", [key_field("email", "contact", match_quality=0.3),
                                 {"name": "email2", "category": "contact", "key": "email",
                                  "match_quality": 0.8}])]).dataset("a")
    assert d.keys() == {"email": 0.8}


def test_analyst_overlap_overrides_the_estimate(default_rulebook: Rulebook) -> None:
    """Stated on either side (the larger statement wins): 500 shared × quality 0.9 = 450."""
    email = [key_field("email", "contact")]
    G = graph([
        dataset("a", email, overlaps=[{"with": "b", "persons": 400}]),
        dataset("b", [key_field("email", "contact", match_quality=0.9)],
                overlaps=[{"with": "a", "persons": 500, "note": "known from a query"}]),
        dataset("c", email),
    ], default_rulebook)
    ab = G.edges["a", "b"]
    assert ab["source"] == "override"
    assert ab["expected_overlap"] == 500.0
    assert ab["expected_links"] == pytest.approx(450.0)
    assert ab["strength"] == pytest.approx(0.045)
    assert "overlap stated by the analyst" in ab["assumptions"]
    assert G.edges["a", "c"]["source"] == "estimate"


def test_unrelated_populations_do_not_link_unless_overridden(default_rulebook: Rulebook) -> None:
    populations = [{"id": "nl", "size": 1_000_000}, {"id": "be", "size": 1_000_000}]
    email = [key_field("email", "contact")]
    G = graph([dataset("a", email, population="nl"), dataset("b", email, population="be")],
              default_rulebook, populations=populations)
    assert G.number_of_edges() == 0

    G = graph([dataset("a", email, population="nl",
                       overlaps=[{"with": "b", "persons": 30}]),
               dataset("b", email, population="be")],
              default_rulebook, populations=populations)
    e = G.edges["a", "b"]
    assert (e["source"], e["expected_links"], e["population"]) == ("override", 30.0, None)


def test_nested_populations_use_the_enclosing_size(default_rulebook: Rulebook) -> None:
    """ams (100,000) and rtm (50,000) lie in nl (1,000,000). Two sets drawn from ams share
    10^8 / 10^5 = 1,000 persons; one from ams and one from nl share 10^8 / 10^6 = 100."""
    populations = [{"id": "nl", "size": 1_000_000},
                   {"id": "ams", "size": 100_000, "part_of": "nl"},
                   {"id": "rtm", "size": 50_000, "part_of": "nl"}]
    email = [key_field("email", "contact")]
    G = graph([dataset("city1", email, population="ams"),
               dataset("city2", email, population="ams"),
               dataset("country", email, population="nl"),
               dataset("port", email, population="rtm")],
              default_rulebook, populations=populations)
    assert G.edges["city1", "city2"]["expected_overlap"] == pytest.approx(1_000.0)
    assert G.edges["city1", "city2"]["population"] == "ams"
    assert G.edges["city1", "country"]["expected_overlap"] == pytest.approx(100.0)
    assert G.edges["city1", "country"]["population"] == "nl"
    assert G.nodes["city1"]["population_size"] == 100_000
    # Sibling populations are scored in the enclosing one (they may overlap, e.g. residents
    # and commuters); disjoint siblings would need an override of 0 to say so.
    assert G.edges["city1", "port"]["population"] == "nl"


def test_quasi_identifiers_link_only_when_unique_enough(default_rulebook: Rulebook) -> None:
    """10,000 persons per set; the rulebook uses QIs when at least 5% of each set is unique:
    (1 - 1/C)^9,999 >= 0.05 needs C >= 3,338.3, so 3,339 cells link and 3,338 do not.
    With links counted down to 0 (min_expected_links 0), the edge carries
    100 × (1 - 1/C)^19,899 true links (unique among the 19,900 distinct persons of both
    sets) and (10,000 - 100)² / C × (1 - 1/C)^19,898 false ones."""
    rb = with_linkage(default_rulebook, min_expected_links=0.0)
    assert rb.linkage.qi_min_unique_fraction == 0.05
    u_link, u_short = fraction_unique(10_000, 3_339), fraction_unique(10_000, 3_338)
    assert u_short < 0.05 <= u_link

    G = graph([dataset("a", [dob(3_339)]), dataset("b", [dob(3_339)])], rb)
    e = G.edges["a", "b"]
    assert (e["keys"], e["qis"]) == ([], ["dob"])
    assert e["expected_links"] == pytest.approx(100 * fraction_unique(19_900, 3_339))
    assert e["false_links"] == pytest.approx(9_900**2 / 3_339 * fraction_unique(19_899, 3_339))

    G = graph([dataset("a", [dob(3_338)]), dataset("b", [dob(3_338)])], rb)
    assert G.number_of_edges() == 0


def test_quasi_identifier_cells_use_the_coarser_side(default_rulebook: Rulebook) -> None:
    """Shared QI names count; each at the smaller cardinality: dob min(36,500, 3,650) ×
    sex 2 = 7,300 cells. A QI under another name (birthdate) is not shared."""
    a = dataset("a", [dob(36_500), dob(2, "sex"), dob(100, "birthdate")])
    b = dataset("b", [dob(3_650), dob(2, "sex")])
    inv = inventory([a, b])
    e = edge_estimate(inv.dataset("a"), inv.dataset("b"), inv, default_rulebook)
    assert e["qis"] == ["dob", "sex"]
    assert e["expected_links"] == pytest.approx(100 * fraction_unique(19_900, 7_300))


def test_too_coarse_quasi_identifiers_are_not_used_beside_a_key(
    default_rulebook: Rulebook,
) -> None:
    """sex (2 cells) makes no one unique among 10,000: the edge links by the key only."""
    G = graph([dataset("a", [key_field("email", "contact"), dob(2, "sex")]),
               dataset("b", [key_field("email", "contact"), dob(2, "sex")])], default_rulebook)
    e = G.edges["a", "b"]
    assert (e["keys"], e["qis"], e["false_links"]) == (["email"], [], 0.0)
    assert e["expected_links"] == pytest.approx(100.0)
    assert any("too few unique to link (not used)" in s for s in e["assumptions"])


@pytest.mark.parametrize(("minimum", "linked"), [(99.0, True), (100.0, True), (100.5, False)])
def test_min_expected_links_threshold(default_rulebook: Rulebook, minimum: float,
                                      linked: bool) -> None:
    """Exact key, quality 1: 100 expected links; the edge exists when links >= the minimum."""
    rb = with_linkage(default_rulebook, min_expected_links=minimum)
    email = [key_field("email", "contact")]
    G = graph([dataset("a", email), dataset("b", email)], rb)
    assert G.has_edge("a", "b") == linked


def test_low_match_quality_can_drop_an_edge(default_rulebook: Rulebook) -> None:
    """Overlap 1 (1,000 × 1,000 / 10^6) × quality 0.5 = 0.5 links < the default minimum 1."""
    G = graph([dataset("a", [key_field("email", "contact", match_quality=0.5)], persons=1_000),
               dataset("b", [key_field("email", "contact")], persons=1_000)], default_rulebook)
    assert default_rulebook.linkage.min_expected_links == 1.0
    assert G.number_of_edges() == 0


def test_graph_records_nodes_and_context(default_rulebook: Rulebook) -> None:
    G = graph([dataset("a", [key_field("email", "contact")], cost=2.5),
               dataset("b", [key_field("email", "contact"), {"name": "gps",
                                                             "category": "location"}])],
              default_rulebook, openness="ctivd",
              investigations=[{"id": "op", "datasets": ["a", "b"]}])
    assert G.graph["openness"] == "ctivd"
    assert G.graph["investigations"] == {"op": ["a", "b"]}
    assert G.graph["levels"] == default_rulebook.level_names()
    assert G.graph["low_intrusion_level"] == 1
    a, b = G.nodes["a"], G.nodes["b"]
    assert (a["cost"], a["persons"], a["identifiable"], a["public"]) == (2.5, 10_000, True, False)
    # b alone: identifiable, not public, location, 10,000 persons: mosaic-identity-location.
    assert b["level"] == 3 and b["rules"][0] == "mosaic-identity-location"
    assert b["categories"] == ["contact", "location"]
    assert math.isclose(G.edges["a", "b"]["strength"], 0.01)
