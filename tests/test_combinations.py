"""Union profiles, cumulative levels and exposure sets."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from helpers import add_edge, add_node
from hypothesis import given, settings
from hypothesis import strategies as st
from test_policies import build, random_inventories

from bulkimpact.combinations import (
    ExposureSetLimitError,
    NotJudged,
    cumulative_level,
    exposure_sets,
    linked_persons,
    not_judged,
    union_profile,
)
from bulkimpact.rulebook import Profile, Rulebook, default_rulebook_path, load_rulebook
from bulkimpact.taxonomy import default_taxonomy

CATEGORIES = sorted(default_taxonomy().categories)
#: Members may hold the same QI at different granularities and come from populations of
#: different sizes (the case that once broke monotonicity; see the tests further down).
QI_CARDINALITIES = {"dob": [365, 36_500], "postcode": [4_000, 450_000], "sex": [2]}
POPULATIONS = [1_000_000, 17_900_000]
RULEBOOK = load_rulebook(default_rulebook_path())


@st.composite
def random_graphs(draw: st.DrawFn, min_nodes: int = 2, max_nodes: int = 7) -> nx.Graph:
    """Hand-made linkage graphs with random profiles, levels and links."""
    n = draw(st.integers(min_nodes, max_nodes))
    G = nx.Graph()
    for i in range(n):
        categories = draw(st.sets(st.sampled_from(CATEGORIES), max_size=4))
        identifiable = draw(st.booleans())
        persons = draw(st.sampled_from([500, 5_000, 2_000_000]))
        public = draw(st.booleans())
        # A node's own level is at least its profile's score, as in a built graph
        # (L(d) = score of d's profile); a higher level stands for rules on other grounds.
        own = RULEBOOK.score(Profile(frozenset(categories), identifiable, persons, public)).level
        add_node(
            G, f"d{i}",
            level=max(own, draw(st.integers(0, 3))),
            categories=categories,
            identifiable=identifiable,
            persons=persons,
            public=public,
            cost=draw(st.sampled_from([1.0, 1.5, 2.0, 5.0])),
            qis={q: draw(st.sampled_from(QI_CARDINALITIES[q]))
                 for q in draw(st.sets(st.sampled_from(sorted(QI_CARDINALITIES))))},
            population_size=draw(st.sampled_from(POPULATIONS)),
        )
        # with or without the population's own cell sizes (postcode and sex are modelled)
        G.nodes[f"d{i}"]["cells"] = draw(st.sampled_from([None, "nl"]))
    pairs = list(itertools.combinations(G.nodes, 2))
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True)):
        add_edge(G, a, b, draw(st.sampled_from([1.0, 50.0, 1_500.0, 1_500_000.0])))
    return G


@settings(max_examples=60, deadline=None)
@given(G=random_graphs(), data=st.data())
def test_cumulative_level_is_at_least_every_members_level(
    default_rulebook: Rulebook, G: nx.Graph, data: st.DataObject
) -> None:
    S = data.draw(st.sets(st.sampled_from(sorted(G.nodes)), min_size=1))
    c = cumulative_level(G, S, default_rulebook)
    assert c.member_level == max(G.nodes[n]["level"] for n in S)
    assert c.level >= c.member_level
    if len(S) > 1:  # a single dataset keeps its own level: L({d}) = L(d)
        assert c.level == max(c.member_level, default_rulebook.score(c.profile).level)
    else:
        assert c.level == c.member_level
    assert c.raised == (c.level > c.member_level)
    assert c.members == tuple(sorted(S))


@settings(max_examples=60, deadline=None)
@given(G=random_graphs(min_nodes=3), data=st.data())
def test_adding_a_member_or_an_edge_never_lowers_the_level(
    default_rulebook: Rulebook, G: nx.Graph, data: st.DataObject
) -> None:
    nodes = sorted(G.nodes)
    S = data.draw(st.sets(st.sampled_from(nodes), min_size=1, max_size=len(nodes) - 1))
    extra = data.draw(st.sampled_from([n for n in nodes if n not in S]))
    before = cumulative_level(G, S, default_rulebook).level
    assert cumulative_level(G, S | {extra}, default_rulebook).level >= before

    a, b = data.draw(st.sampled_from(list(itertools.combinations(nodes, 2))))
    H = G.copy()
    add_edge(H, a, b, data.draw(st.sampled_from([1.0, 2e6])))
    if G.has_edge(a, b):  # a link can only get stronger
        H.edges[a, b]["expected_links"] = max(H.edges[a, b]["expected_links"],
                                              G.edges[a, b]["expected_links"])
    for T in (S, S | {extra}, set(nodes)):
        assert cumulative_level(H, T, default_rulebook).level >= cumulative_level(
            G, T, default_rulebook).level


# --- union profile -------------------------------------------------------------------------


def pair(public_a: bool, public_b: bool, identifiable_a: bool = True) -> nx.Graph:
    G = nx.Graph()
    add_node(G, "a", 1, {"contact"}, identifiable=identifiable_a, persons=5_000, public=public_a)
    add_node(G, "b", 1, {"location"}, identifiable=False, persons=8_000, public=public_b)
    add_edge(G, "a", "b", 2_000)
    return G


def test_union_is_public_only_if_every_member_is(default_rulebook: Rulebook) -> None:
    assert union_profile(pair(True, True), "ab", default_rulebook).public
    assert not union_profile(pair(True, False), "ab", default_rulebook).public
    assert not union_profile(pair(False, True), "ab", default_rulebook).public


def test_identity_propagates_through_the_link(default_rulebook: Rulebook) -> None:
    """Contact (identifiable) + location (not identifiable on its own), not public, 2,000 linked
    persons: identifiable-not-public (2) and mosaic-identity-location (3, needs 1,000+)."""
    p = union_profile(pair(False, False), "ab", default_rulebook)
    assert (p.categories, p.identifiable, p.persons, p.public) == (
        frozenset({"contact", "location"}), True, 2_000.0, False)
    c = cumulative_level(pair(False, False), "ab", default_rulebook)
    assert (c.level, c.member_level, c.raised) == (3, 1, True)
    assert c.rules[0] == "mosaic-identity-location"
    assert not union_profile(pair(False, False, identifiable_a=False), "ab",
                             default_rulebook).identifiable


def test_quasi_identifiers_of_members_identify_together(default_rulebook: Rulebook) -> None:
    """dob (36,500) in one set, postcode (450,000) in the other; population 17.9 million.
    Alone neither singles out half the population; together 1.6e10 cells do:
    (1 - 1/1.64e10)^1.79e7 = 0.9989."""
    G = nx.Graph()
    add_node(G, "a", 1, {"demographic"}, qis={"dob": 36_500}, population_size=17_900_000)
    add_node(G, "b", 1, {"demographic"}, qis={"postcode": 450_000}, population_size=17_900_000)
    add_edge(G, "a", "b", 5_000)
    assert not union_profile(G, ["a"], default_rulebook).identifiable
    assert not union_profile(G, ["b"], default_rulebook).identifiable
    assert union_profile(G, ["a", "b"], default_rulebook).identifiable
    assert cumulative_level(G, ["a", "b"], default_rulebook).level == 2  # identifiable-not-public


def qi_trio(c_postcode: int = 450_000, c_population: int = 17_900_000) -> nx.Graph:
    """a (dob) – b (fine postcode) – c (a postcode, coarse or from a larger population)."""
    G = nx.Graph()
    add_node(G, "a", 1, {"demographic"}, qis={"dob": 36_500}, population_size=17_900_000)
    add_node(G, "b", 1, {"demographic"}, qis={"postcode": 450_000}, population_size=17_900_000)
    add_node(G, "c", 1, {"demographic"}, qis={"postcode": c_postcode},
             population_size=c_population)
    add_edge(G, "a", "b", 5_000)
    add_edge(G, "b", "c", 5_000)
    return G


def test_adding_a_coarser_quasi_identifier_never_lowers_the_level(
    default_rulebook: Rulebook,
) -> None:
    """dob (36,500) × postcode (450,000) identify in 17.9 million, so {a, b} is 2
    (identifiable-not-public). Adding c with a 4-value postcode must not hide b's fine one.
    (Regression: union_profile once took the coarsest cardinality per QI name: 2 → 1.)"""
    G = qi_trio(c_postcode=4)
    assert cumulative_level(G, ["a", "b"], default_rulebook).level == 2
    assert cumulative_level(G, ["a", "b", "c"], default_rulebook).level >= 2


def test_adding_a_member_from_a_larger_population_never_lowers_the_level(
    default_rulebook: Rulebook,
) -> None:
    """Adding c, drawn from a population of 10^11, must not make {a, b}'s cells look common.
    (Regression: union_profile once scored QIs in the largest member population: 2 → 1.)"""
    G = qi_trio(c_population=100_000_000_000)
    assert cumulative_level(G, ["a", "b"], default_rulebook).level == 2
    assert cumulative_level(G, ["a", "b", "c"], default_rulebook).level >= 2


def test_linked_persons_is_the_largest_link_inside_the_set() -> None:
    G = nx.Graph()
    for n in "abcd":
        add_node(G, n, 1, persons=10_000)
    add_edge(G, "a", "b", 10.0)
    add_edge(G, "b", "c", 40.0)
    add_edge(G, "c", "d", 25.0)
    assert linked_persons(G, ["a"]) == 10_000.0
    assert linked_persons(G, ["a", "b"]) == 10.0
    assert linked_persons(G, ["a", "b", "c", "d"]) == 40.0
    assert linked_persons(G, ["a", "c"]) == 0.0  # not linked to each other


# --- exposure sets -------------------------------------------------------------------------


def path_with_isolated(default_rulebook: Rulebook) -> nx.Graph:
    """a – b – c – d and an isolated e; investigation 'op' over a, b, d, e."""
    G = nx.Graph(investigations={"op": ["a", "b", "d", "e"]})
    for n in "abcde":
        add_node(G, n, 1, {"contact"}, identifiable=True)
    for a, b in ("ab", "bc", "cd"):
        add_edge(G, a, b, 100.0)
    return G


def members(sets) -> list[tuple[str, ...]]:
    return [s.members for s in sets]


def test_exposure_set_kinds(default_rulebook: Rulebook) -> None:
    G = path_with_isolated(default_rulebook)
    assert members(exposure_sets(G, default_rulebook, include=("edge",))) == [
        ("a", "b"), ("b", "c"), ("c", "d")]
    inv = exposure_sets(G, default_rulebook, include=("investigation",))
    # The investigation's linked parts only: {a, b}; d and e link to nothing in it.
    assert [(s.members, s.kind, s.label) for s in inv] == [(("a", "b"), "investigation", "op")]
    assert members(exposure_sets(G, default_rulebook, include=("k_hop",), k=1)) == [
        ("a", "b"), ("a", "b", "c"), ("b", "c", "d"), ("c", "d")]
    assert members(exposure_sets(G, default_rulebook, include=("k_hop",), k=2)) == [
        ("a", "b", "c"), ("a", "b", "c", "d"), ("b", "c", "d")]
    assert members(exposure_sets(G, default_rulebook, include=("component",))) == [
        ("a", "b", "c", "d")]
    # Each member set once; a pair that is both an edge and part of an investigation is
    # kept as the investigation (an actual use), whatever the order of ``include``.
    both = exposure_sets(G, default_rulebook, include=("edge", "investigation", "component"))
    assert [(s.members, s.kind) for s in both] == [
        (("a", "b"), "investigation"), (("b", "c"), "edge"), (("c", "d"), "edge"),
        (("a", "b", "c", "d"), "component")]


def test_unknown_exposure_kind_is_refused(default_rulebook: Rulebook) -> None:
    with pytest.raises(ValueError, match=r"unknown exposure-set kinds \['edges'\]; choose from"):
        exposure_sets(nx.Graph(), default_rulebook, include=("edges",))


def test_investigation_over_two_components_gives_each_linked_part(
    default_rulebook: Rulebook,
) -> None:
    G = nx.Graph(investigations={"op": ["a", "b", "x", "y"]})
    for n in "abxy":
        add_node(G, n, 1, {"contact"}, identifiable=True)
    add_edge(G, "a", "b", 100.0)
    add_edge(G, "x", "y", 100.0)
    sets = exposure_sets(G, default_rulebook, include=("investigation",))
    assert members(sets) == [("a", "b"), ("x", "y")]


@st.composite
def plain_graphs(draw: st.DrawFn) -> nx.Graph:
    n = draw(st.integers(1, 8))
    G = nx.Graph()
    for i in range(n):
        add_node(G, f"n{i}", 1)
    pairs = list(itertools.combinations(G.nodes, 2))
    if pairs:
        for a, b in draw(st.lists(st.sampled_from(pairs), unique=True)):
            add_edge(G, a, b, 10.0)
    return G


@settings(max_examples=50, deadline=None)
@given(G=plain_graphs())
def test_connected_subsets_equal_brute_force(default_rulebook: Rulebook, G: nx.Graph) -> None:
    brute = {
        tuple(sorted(s))
        for size in range(2, G.number_of_nodes() + 1)
        for s in itertools.combinations(G.nodes, size)
        if nx.is_connected(G.subgraph(s))
    }
    found = members(exposure_sets(G, default_rulebook, include=("connected_subsets",),
                                  max_set_size=None))
    assert len(found) == len(set(found))
    assert set(found) == brute
    # Up to a size: exactly the brute-force subsets of that size or less.
    small = members(exposure_sets(G, default_rulebook, include=("connected_subsets",)))
    assert set(small) == {s for s in brute if len(s) <= 3}


def test_connected_subsets_refused_on_a_large_component(default_rulebook: Rulebook) -> None:
    G = nx.path_graph([f"n{i:02d}" for i in range(30)])
    for n in G:
        add_node(G, n, 1)
    with pytest.raises(ExposureSetLimitError,
                       match=r"largest component has 30 datasets, up to 2\^30"):
        exposure_sets(G, default_rulebook, include=("connected_subsets",), max_sets=100,
                      max_set_size=None)


def test_connected_subsets_stop_counting_at_max_sets(default_rulebook: Rulebook) -> None:
    """A triangle has 4 connected subsets of two or more (3 edges, the whole)."""
    G = nx.complete_graph(["a", "b", "c"])
    for n in G:
        add_node(G, n, 1)
    assert len(exposure_sets(G, default_rulebook, include=("connected_subsets",),
                             max_sets=4)) == 4
    with pytest.raises(ExposureSetLimitError, match="more than max_sets=3 connected subsets"):
        exposure_sets(G, default_rulebook, include=("connected_subsets",), max_sets=3)


def test_long_path_is_enumerated_when_under_max_sets(default_rulebook: Rulebook) -> None:
    """A 30-node path has only 30 × 29 / 2 = 435 connected subsets, well under the default
    max_sets. (Regression: refused once up front because 2^30 exceeded max_sets.)"""
    G = nx.path_graph([f"n{i:02d}" for i in range(30)])
    for n in G:
        add_node(G, n, 1)
    assert len(exposure_sets(G, default_rulebook, include=("connected_subsets",),
                             max_set_size=None)) == 435
    # By default up to three: 29 pairs and 28 triples.
    assert len(exposure_sets(G, default_rulebook, include=("connected_subsets",))) == 57


@settings(max_examples=40, deadline=None)
@given(data=random_inventories(max_size=6))
def test_chains_are_the_connected_sets_heavier_than_their_parts(default_rulebook: Rulebook,
                                                                  data: dict) -> None:
    """By brute force: every connected set of 3..4 datasets whose level exceeds the level of
    each connected part one dataset smaller, and no other."""
    G = build(data, default_rulebook)
    level = {}
    for size in range(2, 5):
        for s in itertools.combinations(sorted(G.nodes), size):
            if nx.is_connected(G.subgraph(s)):
                level[frozenset(s)] = cumulative_level(G, s, default_rulebook).level
    expected = {s for s in level if len(s) >= 3
                and level[s] > max(level[s - {x}] for x in s if s - {x} in level)}
    found = exposure_sets(G, default_rulebook, include=("chain",), max_set_size=4)
    assert {frozenset(c.members) for c in found} == expected
    assert all(c.kind == "chain" and c.raised for c in found)


def test_a_chain_no_heavier_than_a_part_is_not_judged_apart(default_rulebook: Rulebook) -> None:
    """a–b is already at the top level: a+b+c cannot be heavier, and protecting a+b protects
    it, so judging it too would count the same gap twice."""
    G = nx.path_graph(["a", "b", "c"])
    add_node(G, "a", 1, categories={"direct_identifier"}, identifiable=True)
    add_node(G, "b", 1, categories={"special_category"})
    add_node(G, "c", 1, categories={"location"})
    add_edge(G, "a", "b", 5_000.0)
    add_edge(G, "b", "c", 5_000.0)
    assert cumulative_level(G, ["a", "b"], default_rulebook).level == 3
    sets = exposure_sets(G, default_rulebook)
    assert [s.kind for s in sets] == ["edge", "edge"]


def test_chain_enumeration_is_refused_beyond_max_sets(default_rulebook: Rulebook) -> None:
    G = nx.complete_graph([f"n{i}" for i in range(12)])
    for n in G:
        add_node(G, n, 1)
    with pytest.raises(ExposureSetLimitError, match="more than max_sets=50 connected "
                                                    "combinations of up to 3 datasets"):
        exposure_sets(G, default_rulebook, include=("chain",), max_sets=50)


def chain_of_four() -> nx.Graph:
    """a–b–c–d: a names persons (direct identifier, level 2), b holds an online identifier,
    c a demographic field, d a special category (each level 1). Identity + special category is
    the top level (3), but only a set holding both a and d has it: a–b–c is at 2 (identifiable,
    not public), b–c–d at 1 (nobody identifiable)."""
    G = nx.path_graph(["a", "b", "c", "d"])
    add_node(G, "a", 2, categories={"direct_identifier"}, identifiable=True)
    add_node(G, "b", 1, categories={"online_identifier"})
    add_node(G, "c", 1, categories={"demographic"})
    add_node(G, "d", 1, categories={"special_category"})
    for u, v in G.edges:
        add_edge(G, u, v, 5_000.0)
    return G


def test_a_chain_of_four_heavy_only_as_a_whole_is_reported(default_rulebook: Rulebook) -> None:
    """Judged up to three datasets, the chain of four is not among the exposure sets; the
    not-judged count names it (1, counted exactly). Judged up to four, it is an exposure set
    and nothing of five exists to miss."""
    G = chain_of_four()
    levels = {t: cumulative_level(G, t, default_rulebook).level for t in ("abc", "bcd", "abcd")}
    assert levels == {"abc": 2, "bcd": 1, "abcd": 3}
    judged = {s.members for s in exposure_sets(G, default_rulebook, max_set_size=3)}
    assert ("a", "b", "c", "d") not in judged
    assert not_judged(G, default_rulebook, max_set_size=3) == NotJudged(3, 1, True)
    judged4 = {s.members for s in exposure_sets(G, default_rulebook, max_set_size=4)}
    assert ("a", "b", "c", "d") in judged4
    assert not_judged(G, default_rulebook, max_set_size=4) == NotJudged(4, 0, True)
    assert not_judged(G, default_rulebook, max_set_size=None) == NotJudged(None, 0, True)


def test_not_judged_gives_an_upper_bound_where_counting_would_explode(
        default_rulebook: Rulebook) -> None:
    """Judged up to pairs, the chain has two triples: a–b–c (2, not above a–b at 2) and b–c–d
    (1, not above its pairs at 1), so none is heavier: 0, exact. Allowed to examine only one,
    the count gives way to the bound: pairs below the top with their outside neighbours,
    a–b: {c}, b–c: {a, d}, c–d: {b}, so at most (1 + 2 + 1) // 2 = 2."""
    G = chain_of_four()
    assert not_judged(G, default_rulebook, max_set_size=2) == NotJudged(2, 0, True)
    assert not_judged(G, default_rulebook, max_set_size=2, max_sets=1) == NotJudged(2, 2, False)
    # sets up to the judged size are enumerated within max_sets, as exposure_sets does
    with pytest.raises(ExposureSetLimitError, match="max_sets=1 "):
        not_judged(G, default_rulebook, max_set_size=3, max_sets=1)


@settings(max_examples=30, deadline=None)
@given(data=random_inventories(max_size=6))
def test_not_judged_counts_the_heavier_sets_of_the_next_size(default_rulebook: Rulebook,
                                                              data: dict) -> None:
    """By brute force: connected sets of four heavier than each connected part of three."""
    G = build(data, default_rulebook)
    level = {}
    for size in (3, 4):
        for s in itertools.combinations(sorted(G.nodes), size):
            if nx.is_connected(G.subgraph(s)):
                level[frozenset(s)] = cumulative_level(G, s, default_rulebook).level
    expected = sum(1 for s in level if len(s) == 4
                   and level[s] > max(level[s - {x}] for x in s if s - {x} in level))
    assert not_judged(G, default_rulebook, max_set_size=3) == NotJudged(3, expected, True)


def test_the_part_of_an_investigation_left_after_a_destruction_counts_only_when_heavier(
        default_rulebook: Rulebook) -> None:
    """Issue 20 item 5, by hand on the chain of four (a–b–c–d; a–b and a–b–c at 2, b–c and
    c–d at 1, all four at 3) with one investigation over all four, used 6 times a year.

    Held whole, the investigation is heavier than each linked part (3 > 2, 1): it counts.
    With d destroyed, what remains (a, b, c) is at 2, no heavier than its own pair a–b: it
    is judged like a chain and does not count; the pair a–b carries the investigation's 6
    uses. The timeline's restricted sets equal a fresh build on the held graph."""
    from bulkimpact.assessor import Assessor

    G = chain_of_four()
    G.graph.update(investigations={"op": ["a", "b", "c", "d"]}, uses_per_year={"op": 6.0})
    include = ("investigation", "edge", "chain")
    whole = exposure_sets(G, default_rulebook, include=include)
    assert [(s.members, s.kind, s.level, s.uses_per_year) for s in whole] == [
        (("a", "b", "c", "d"), "investigation", 3, 6.0), (("a", "b"), "edge", 2, 0.0),
        (("b", "c"), "edge", 1, 0.0), (("c", "d"), "edge", 1, 0.0)]
    assessor = Assessor(G, default_rulebook, include=include)
    held = frozenset("abc")
    after = assessor.sets(held)
    assert [(s.members, s.kind, s.level, s.uses_per_year) for s in after] == [
        (("a", "b"), "edge", 2, 6.0), (("b", "c"), "edge", 1, 0.0)]
    fresh = exposure_sets(assessor.restricted_graph(held), default_rulebook, include=include)
    assert after == fresh
