"""Distinct persons: hand-solved unions, stated overlaps, and no figure above its population."""

from __future__ import annotations

import pytest
from helpers import dataset, graph, key_field
from hypothesis import given, settings
from hypothesis import strategies as st
from test_policies import build, random_inventories

from bulkimpact.assessor import evaluate_policies
from bulkimpact.persons import (
    PopulationTree,
    distinct_linked_persons,
    distinct_persons,
    union_size,
)
from bulkimpact.rulebook import Rulebook

NESTED = PopulationTree({"world": 1_000_000, "nl": 100_000, "ams": 10_000, "be": 50_000},
                        {"world": None, "nl": "world", "ams": "nl", "be": "world"})


def test_union_within_one_population_is_the_complement_of_missing_everyone() -> None:
    """Three independent draws of 50 %, 50 % and 20 % of 1,000: 1,000 (1 - .5 × .5 × .8)."""
    tree = PopulationTree({"p": 1_000}, {"p": None})
    assert union_size([("p", 500), ("p", 500), ("p", 200)], tree) == pytest.approx(800.0)


def test_nested_populations_fold_bottom_up() -> None:
    """All of Amsterdam (10,000) and half of the Netherlands (50,000): the Amsterdam persons
    are a random tenth of NL, so NL has 100,000 (1 - .9 × .5) = 55,000 covered. World adds a
    draw of 100,000 of 1,000,000: 1,000,000 (1 - .945 × .9) = 149,500."""
    assert union_size([("ams", 10_000), ("nl", 50_000)], NESTED) == pytest.approx(55_000)
    assert union_size([("ams", 10_000), ("nl", 50_000), ("world", 100_000)],
                      NESTED) == pytest.approx(149_500)


def test_unrelated_populations_add_up() -> None:
    tree = PopulationTree({"a": 100, "b": 100}, {"a": None, "b": None})
    assert union_size([("a", 100), ("b", 100)], tree) == 200.0


def four_copies(population: int, stated: bool) -> tuple[list[dict], list[dict]]:
    """Four datasets of 1,000 persons linked by e-mail; optionally each stated to hold the
    same 1,000 persons as d0."""
    datasets = [dataset(f"d{i}", [key_field("email", "contact")], persons=1_000,
                        overlaps=[{"with": "d0", "persons": 1_000}] if stated and i else [])
                for i in range(4)]
    return datasets, [{"id": "pop", "size": population}]


def test_four_fully_overlapping_datasets_are_1000_persons(tiny_rulebook: Rulebook) -> None:
    """The issue's case: four datasets of the same 1,000 persons report 1,000, not 4,000,
    whether the overlap follows from the population (1,000 people) or is stated."""
    for population, stated in ((1_000, False), (17_900_000, True)):
        datasets, populations = four_copies(population, stated)
        G = graph(datasets, tiny_rulebook, populations=populations)
        assert distinct_persons(G, G.nodes) == pytest.approx(1_000)
        sets = [(("d0", "d1"), 1_000.0), (("d2", "d3"), 1_000.0), (("d1", "d2"), 1_000.0)]
        assert distinct_linked_persons(G, sets) <= 1_000 + 1e-9


def test_stated_overlap_is_honoured_over_the_estimate(tiny_rulebook: Rulebook) -> None:
    """Two sets of 10,000 in 1,000,000: independence would give 19,900; stated 5,000 shared
    gives 15,000."""
    G = graph([dataset("a", [key_field("email", "contact")],
                       overlaps=[{"with": "b", "persons": 5_000}]),
               dataset("b", [key_field("email", "contact")])], tiny_rulebook)
    assert distinct_persons(G, ["a", "b"]) == pytest.approx(15_000)
    G.graph["known_overlaps"] = {}
    G.graph["known_overlap_datasets"] = frozenset()
    assert distinct_persons(G, ["a", "b"]) == pytest.approx(19_900)


def test_stated_overlap_below_the_estimate_is_honoured(tiny_rulebook: Rulebook) -> None:
    """Two sets of 500 in 1,000 people: independent draws share 250 (750 persons); stated 0,
    they are 1,000 persons; stated 100, 900. A third set of 200 with no statement meets the
    1,000 covered persons of 1,000 at random: it adds nobody."""
    def two(stated: float, third: bool = False):
        datasets = [dataset("a", [key_field("email", "contact")], persons=500,
                            overlaps=[{"with": "b", "persons": stated}]),
                    dataset("b", [key_field("email", "contact")], persons=500)]
        if third:
            datasets.append(dataset("c", [key_field("email", "contact")], persons=200))
        return graph(datasets, tiny_rulebook, populations=[{"id": "pop", "size": 1_000}])

    assert distinct_persons(two(0), ["a", "b"]) == 1_000.0
    assert distinct_persons(two(100), ["a", "b"]) == 900.0
    assert distinct_persons(two(0, third=True), ["a", "b", "c"]) == pytest.approx(1_000.0)
    G = two(0)
    assert not G.has_edge("a", "b")  # stated 0: nobody to link
    assert two(100).edges["a", "b"]["expected_links"] == 100.0
    assert distinct_linked_persons(G, [(("a", "b"), 0.0)]) == 0.0


def test_stated_overlap_with_one_member_and_chance_with_another(tiny_rulebook: Rulebook) -> None:
    """In 1,000 people: a (600), b (400) stated to share nobody with a, c (200) stated to share
    nobody with b and nothing said about a. b + a cover 1,000. c shares 0 with b and meets a
    at random: 0 + 200 × 600/1,000 = 120 shared, so 1,000 + 200 - 120, capped at 1,000."""
    datasets = [dataset("a", [key_field("email", "contact")], persons=600),
                dataset("b", [key_field("email", "contact")], persons=400,
                        overlaps=[{"with": "a", "persons": 0}]),
                dataset("c", [key_field("email", "contact")], persons=200,
                        overlaps=[{"with": "b", "persons": 0}])]
    G = graph(datasets, tiny_rulebook, populations=[{"id": "pop", "size": 1_000}])
    assert distinct_persons(G, ["a", "b"]) == 1_000.0
    # without a: b and c share nobody
    assert distinct_persons(G, ["b", "c"]) == 600.0
    # c alone with a: no statement, chance in 1,000: 600 + 200 - 120
    assert distinct_persons(G, ["a", "c"]) == pytest.approx(680.0)


APART = [{"id": "world", "size": 10_000},
         {"id": "eu", "size": 4_000, "part_of": "world"},
         {"id": "nl", "size": 1_000, "part_of": "eu"},
         {"id": "abroad", "size": 2_000, "part_of": "world", "disjoint": True}]


def test_disjoint_population_shares_nobody_with_its_siblings(tiny_rulebook: Rulebook) -> None:
    """A Dutch set (1,000 of nl) and a set abroad (2,000 of abroad), both with phone numbers:
    without ``disjoint`` they would share 1,000 × 2,000 / 10,000 = 200 persons and link; with
    it, no edge and 3,000 distinct persons. A world set (5,000 of 10,000) still meets both at
    random: the eu part (1,000) is random in the 8,000 outside abroad, world covers half of
    everything, so 5,000 + 0.5 × (1,000 + 2,000) = 6,500 persons."""
    phone = [key_field("phone", "contact")]
    datasets = [dataset("nl-set", phone, persons=1_000, population="nl"),
                dataset("abroad-set", phone, persons=2_000, population="abroad"),
                dataset("world-set", phone, persons=5_000, population="world")]
    G = graph(datasets, tiny_rulebook, populations=APART)
    assert not G.has_edge("nl-set", "abroad-set")
    assert G.edges["nl-set", "world-set"]["expected_overlap"] == 500.0
    assert G.edges["abroad-set", "world-set"]["expected_overlap"] == 1_000.0
    assert distinct_persons(G, ["nl-set", "abroad-set"]) == 3_000.0
    assert distinct_persons(G, G.nodes) == pytest.approx(6_500.0)
    together = graph(datasets, tiny_rulebook,
                     populations=[{**p, "disjoint": False} for p in APART])
    assert together.edges["nl-set", "abroad-set"]["expected_overlap"] == 200.0
    assert distinct_persons(together, ["nl-set", "abroad-set"]) == 2_800.0


def test_siblings_of_a_disjoint_population_meet_in_the_rest_of_the_parent() -> None:
    """World 10,000 with abroad (2,000, disjoint), eu (4,000) and asia (4,000): eu and asia
    are random parts of the 8,000 outside abroad, so all of eu and all of asia cover
    8,000 (1 - 0.5 × 0.5) = 6,000 persons, and two sets of 2,000 in them share 500."""
    tree = PopulationTree({"world": 10_000, "eu": 4_000, "asia": 4_000, "abroad": 2_000},
                          {"world": None, "eu": "world", "asia": "world", "abroad": "world"},
                          disjoint=frozenset({"abroad"}))
    assert union_size([("eu", 4_000), ("asia", 4_000)], tree) == 6_000.0
    assert union_size([("eu", 4_000), ("asia", 4_000), ("abroad", 2_000)], tree) == 8_000.0
    assert tree.random_overlap_population("eu", "asia") == ("world", 8_000.0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["eu", "asia", "abroad", "nl"]),
                          st.floats(0, 5_000)), max_size=8))
def test_a_disjoint_child_folds_as_a_population_of_its_own(parts) -> None:
    """With no persons drawn from the parent itself, a parent with a disjoint child is that
    child beside a population of the rest (the parent less the child) holding the others."""
    part_of = {"world": None, "eu": "world", "nl": "eu", "asia": "world", "abroad": "world"}
    sizes = {"world": 10_000, "eu": 4_000, "nl": 1_000, "asia": 5_000, "abroad": 1_000}
    tree = PopulationTree(sizes, part_of, disjoint=frozenset({"abroad"}))
    apart = PopulationTree({**sizes, "world": 9_000}, {**part_of, "abroad": None})
    assert union_size(parts, tree) == pytest.approx(union_size(parts, apart))
    assert union_size(parts, tree) <= 10_000


def test_disjoint_is_validated_where_it_is_declared() -> None:
    """A disjoint root, and a parent too small for its disjoint part beside the others, are
    named with file, population and field."""
    from helpers import inventory_data

    from bulkimpact.inventory import parse_inventory
    from bulkimpact.problems import InputError

    ds = [dataset("a", [key_field("email", "contact")], persons=10, population="nl")]
    bad = [{"id": "world", "size": 5_000, "disjoint": True},
           {"id": "nl", "size": 4_000, "part_of": "world"},
           {"id": "abroad", "size": 2_000, "part_of": "world", "disjoint": True}]
    with pytest.raises(InputError) as caught:
        parse_inventory(inventory_data(ds, populations=bad), "inv.yaml")
    text = str(caught.value)
    assert "populations[0] (id 'world')" in text and "disjoint" in text
    assert "without part_of is already disjoint" in text
    assert "too small for its disjoint part(s) ['abroad']" in text and "6,000" in text


@settings(max_examples=40, deadline=None)
@given(data=random_inventories(max_size=7, investigation=True))
def test_no_person_figure_exceeds_its_population(default_rulebook: Rulebook, data: dict) -> None:
    """Every person figure of every policy and exposure set stays within the populations it
    counts in, and distinct persons never exceed records."""
    G = build(data, default_rulebook)
    roots = sum(p["size"] for p in data["populations"] if not p.get("part_of"))
    ev = evaluate_policies(G, default_rulebook)
    sizes = {p["id"]: p["size"] for p in data["populations"]}
    for s in ev.sets:
        # Linked persons lie in two members (the link's ends), so within the larger of the
        # smallest populations of any linked pair, and among the persons the members hold.
        pair_bound = max(min(sizes[G.nodes[a]["population"]], sizes[G.nodes[b]["population"]])
                         for a in s.members for b in s.members if a != b)
        assert s.persons <= pair_bound + 1e-6
        assert s.persons <= s.persons_held + 1e-6
        assert s.persons_held <= roots + 1e-6
        assert s.persons_held <= sum(G.nodes[n]["persons"] for n in s.members) + 1e-6
    for o in ev.outcomes.values():
        assert o.escalated_persons <= min(roots, o.escalated_records) + 1e-6
        assert o.under_protected_persons <= o.under_protected_persons_held + 1e-6
        assert o.under_protected_persons_held <= roots + 1e-6
