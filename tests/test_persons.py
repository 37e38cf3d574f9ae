"""Distinct persons: hand-solved unions, stated overlaps, and no figure above its population."""

from __future__ import annotations

import pytest
from helpers import dataset, graph, key_field
from hypothesis import given, settings
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
