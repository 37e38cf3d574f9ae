"""The fast paths of persons and evaluate equal the straightforward computations.

Each reference below is the code the fast path replaced, kept verbatim; every comparison
is exact (``==`` on floats, the same order of sets), on random graphs whose adjacency order
differs from the datasets' sorted order.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
from helpers import add_edge, add_node
from hypothesis import given, settings
from hypothesis import strategies as st
from test_combinations import CATEGORIES, RULEBOOK, random_graphs

from bulkimpact import evaluate
from bulkimpact.combinations import (
    ExposureSet,
    _SetLevels,
    cumulative_level,
    link_levels,
    linked_persons,
)
from bulkimpact.evaluate import _under_protected
from bulkimpact.persons import (
    PopulationTree,
    _linked_and_held,
    _linked_parts,
    distinct_linked_persons,
    distinct_persons,
    population_tree,
    union_size,
)
from bulkimpact.rulebook import Profile, category_bits
from bulkimpact.taxonomy import default_taxonomy

# --- the straightforward computations ------------------------------------------------------


def ref_union_size(parts: list[tuple[str, float]], tree: PopulationTree) -> float:
    sizes = tree.sizes
    covered: dict[str, float] = {}
    for population, size in parts:
        n = float(sizes[population])
        s = min(max(float(size), 0.0), n)
        u = covered.get(population, 0.0)
        covered[population] = u + s - u * s / n
    depth, part_of = tree.depth, tree.part_of
    total = 0.0
    while covered:
        population = max(covered, key=depth.__getitem__) if len(covered) > 1 else next(
            iter(covered))
        s = covered.pop(population)
        parent = part_of.get(population)
        if parent is None:
            total += s
        else:
            n = float(sizes[parent])
            u = covered.get(parent, 0.0)
            covered[parent] = u + s - u * s / n
    return float(total)


def _persons(G: nx.Graph, n: str) -> float:
    return float(G.nodes[n].get("persons", 0.0))


def _population_of(G: nx.Graph, n: str) -> str:
    return G.nodes[n]["population"] if "populations" in G.graph else f"_{n}"


def ref_blocks(G: nx.Graph, nodes: list[str]) -> list[tuple[str, float]]:
    known = G.graph.get("known_overlaps", {})
    flagged = G.graph.get("known_overlap_datasets")
    if flagged is None:
        flagged = {n for pair in known for n in pair}
    if sum(n in flagged for n in nodes) < 2:
        return [(_population_of(G, n), _persons(G, n)) for n in nodes]
    tree = population_tree(G)
    members = set(nodes)
    linked = nx.Graph()
    linked.add_nodes_from(nodes)
    linked.add_edges_from(pair for pair in known if pair[0] in members and pair[1] in members)
    out = []
    for block in nx.connected_components(linked):
        order = sorted(block, key=lambda n: (-_persons(G, n), n))
        population = tree.common(_population_of(G, n) for n in order)
        if population is None:
            out += [(_population_of(G, n), _persons(G, n)) for n in order]
            continue
        size_n = float(tree.sizes[population])
        union = _persons(G, order[0])
        for i, n in enumerate(order[1:], start=1):
            persons = _persons(G, n)
            pairs = [tuple(sorted((n, m))) for m in order[:i]]
            if any(pair in known for pair in pairs):  # a stated overlap, above or below chance
                stated = min(persons, max(known[pair] for pair in pairs if pair in known))
                missed = 1.0
                for pair, m in zip(pairs, order[:i], strict=True):
                    if pair not in known:
                        missed *= 1.0 - _persons(G, m) / size_n
                others = size_n * (1.0 - missed)
                shared = min(persons, union, stated + (persons - stated) * others / size_n)
            else:
                shared = min(persons, persons * union / size_n)
            union = min(size_n, union + persons - shared)
        out.append((population, union))
    return out


def ref_distinct_persons(G: nx.Graph, nodes: list[str]) -> float:
    nodes = list(dict.fromkeys(nodes))
    if not nodes:
        return 0.0
    return ref_union_size(ref_blocks(G, nodes), population_tree(G))


def _common_or_smallest(G: nx.Graph, tree: PopulationTree, group: list[str]) -> str:
    populations = [_population_of(G, n) for n in group]
    common = tree.common(populations)
    return common if common is not None else min(populations, key=tree.sizes.get)


def ref_distinct_linked_persons(G: nx.Graph, sets: list[tuple[list[str], float]],
                                weight: str = "expected_links", parts_only: bool = False,
                                ) -> float | tuple[list[tuple[str, float]], list[str]]:
    tree = population_tree(G)
    adj = G._adj
    links: dict[tuple[str, str], float] = {}
    parts, members = [], []
    for group, linked in sets:
        group = list(group)
        members += group
        inside = set(group)
        found = [(u, v) for u in group for v in adj[u] if v in inside and u < v]
        for u, v in found:
            links[(u, v)] = float(adj[u][v].get(weight, 0.0))
        if not found and linked:
            parts.append((_common_or_smallest(G, tree, group), linked))
    parts += [(_common_or_smallest(G, tree, pair), persons) for pair, persons in links.items()]
    if parts_only:
        return parts, members
    if not parts:
        return 0.0
    return min(ref_union_size(parts, tree), ref_distinct_persons(G, members))


# --- random graphs -------------------------------------------------------------------------

NAMES = [f"d{i}" for i in range(12)]
TREES = [
    None,  # no population tree: one population per dataset
    PopulationTree({"p": 1_000.0}, {"p": None}),
    PopulationTree({"world": 1e6, "nl": 1e5, "ams": 1e4, "be": 5e4, "mars": 300.0},
                   {"world": None, "nl": "world", "ams": "nl", "be": "world", "mars": None}),
]


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    """Datasets added in a random order (so adjacency order is not sorted order), random
    links and weights, an optional population tree and stated overlaps."""
    names = draw(st.permutations(NAMES))[:draw(st.integers(2, len(NAMES)))]
    tree = draw(st.sampled_from(TREES))
    G = nx.Graph() if tree is None else nx.Graph(populations=tree)
    for n in names:
        attrs = {"persons": draw(st.floats(0, 2e4)), "population_size": 1e6}
        if tree is not None:
            attrs["population"] = draw(st.sampled_from(sorted(tree.sizes)))
        G.add_node(n, **attrs)
    weights = st.floats(0, 2e4) | st.sampled_from([0, 7, 7.0, 1e4])
    pairs = [(u, v) for i, u in enumerate(names) for v in names[i + 1:]]
    for u, v in draw(st.lists(st.sampled_from(pairs), max_size=30, unique=True)):
        G.add_edge(*draw(st.permutations((u, v))),
                   **({"expected_links": draw(weights)} if draw(st.integers(0, 9)) else {}))
    if draw(st.booleans()):
        known = draw(st.dictionaries(st.sampled_from(pairs).map(lambda p: tuple(sorted(p))),
                                     st.floats(0, 1e4), max_size=4))
        G.graph["known_overlaps"] = known
        if draw(st.booleans()):
            G.graph["known_overlap_datasets"] = frozenset(n for p in known for n in p)
    return G


@st.composite
def graph_and_groups(draw: st.DrawFn) -> tuple[nx.Graph, list[tuple[tuple[str, ...], float]]]:
    """A graph and combinations of its datasets: mostly sorted pairs and triples (as exposure
    sets are), some unsorted, larger or with a dataset twice."""
    G = draw(graphs())
    names = list(G)

    def group(draw_: st.DrawFn) -> tuple[str, ...]:
        size = draw_(st.sampled_from([1, 2, 2, 3, 3, 3, 4, 5]))
        members = draw_(st.lists(st.sampled_from(names), min_size=size, max_size=size))
        return tuple(sorted(members)) if draw_(st.integers(0, 3)) else tuple(members)

    groups = draw(st.lists(st.tuples(st.composite(group)(), st.floats(0, 1e3) | st.just(0.0)),
                           max_size=40))
    return G, groups


# --- the comparisons -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(graph_and_groups())
def test_distinct_linked_persons_equals_the_scan(case) -> None:
    G, groups = case
    # the same parts in the same order, so the same float sums
    assert _linked_parts(G, population_tree(G), groups, "expected_links") == \
        ref_distinct_linked_persons(G, groups, parts_only=True)
    expected = ref_distinct_linked_persons(G, groups)
    assert distinct_linked_persons(G, groups) == expected
    assert distinct_linked_persons(G, iter(groups)) == expected  # a one-pass iterable
    members = [n for g, _ in groups for n in g]
    assert _linked_and_held(G, groups) == (expected, ref_distinct_persons(G, members))
    assert distinct_persons(G, members) == ref_distinct_persons(G, members)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ams", "nl", "be", "world", "mars"]),
                          st.floats(-1e5, 2e6) | st.sampled_from([0.0, -0.0, 1e4, 1e6])),
                max_size=12))
def test_union_size_equals_the_clamped_fold(parts) -> None:
    tree = TREES[2]
    assert union_size(parts, tree) == ref_union_size(parts, tree)


PROFILE = Profile(frozenset(), True, 1.0, False)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_under_protected_sets_equal_one_by_one(data: st.DataObject) -> None:
    names = NAMES[:data.draw(st.integers(1, len(NAMES)))]
    members = st.lists(st.sampled_from(names), min_size=1, max_size=5).map(tuple)
    sets = data.draw(st.lists(st.builds(ExposureSet, members, st.integers(0, 4),
                                        st.just(0), st.just(1.0), st.just(()),
                                        st.just(PROFILE)), max_size=80))
    regimes = data.draw(st.lists(st.fixed_dictionaries(
        {n: st.integers(0, 4) for n in names}), min_size=1, max_size=3))
    authorised = data.draw(st.sets(st.sampled_from([s.members for s in sets]))) if sets else set()
    other = list(sets)
    if other:  # the same number of sets, one of them another: the cached layout must not do
        i = data.draw(st.integers(0, len(other) - 1))
        other[i] = ExposureSet(other[i].members[::-1], other[i].level, 0, 1.0, (), PROFILE)
    saved = evaluate._VECTOR_MIN
    try:
        for minimum in (0, saved):
            evaluate._VECTOR_MIN = minimum
            for regime in regimes:  # several rules judged on the same sets, then other sets
                for judged in (sets, sets, other, sets):
                    expected = [s for s in judged if max(regime[n] for n in s.members) < s.level
                                and s.members not in authorised]
                    got = _under_protected(judged, regime, authorised)
                    assert [id(s) for s in got] == [id(s) for s in expected]
    finally:
        evaluate._VECTOR_MIN = saved


# --- linked sets scored all at once (issue 17: readings share the work) -------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sets(st.sampled_from(CATEGORIES), max_size=5), st.booleans(),
                          st.sampled_from([0.0, 999.0, 1_000.0, 5e4, 999_999.0, 1e6, 2e7]),
                          st.booleans()), min_size=1, max_size=30))
def test_score_levels_equal_score_one_by_one(profiles) -> None:
    """Rulebook.score_levels gives every profile the level Rulebook.score gives it."""
    bits = category_bits(RULEBOOK)
    expected = [RULEBOOK.score(Profile(frozenset(c), i, p, o)).level for c, i, p, o in profiles]
    got = RULEBOOK.score_levels(
        np.array([sum(bits[x] for x in c) for c, _i, _p, _o in profiles], dtype=np.int64),
        np.array([i for _c, i, _p, _o in profiles]), np.array([p for _c, _i, p, _o in profiles]),
        np.array([o for _c, _i, _p, o in profiles]), bits)
    assert got.tolist() == expected


@settings(max_examples=60, deadline=None)
@given(G=random_graphs(min_nodes=3))
def test_links_and_triples_scored_at_once_equal_cumulative_level(G: nx.Graph) -> None:
    """Every link's and every connected triple's level, scored together, equals
    cumulative_level one set at a time (identifiability through QIs included)."""
    assert link_levels(G, RULEBOOK).tolist() == [
        cumulative_level(G, e, RULEBOOK).level for e in G.edges]
    triples = [t for t in itertools.combinations(G.nodes, 3)
               if nx.is_connected(G.subgraph(t))]
    if triples:
        position = {n: i for i, n in enumerate(G.nodes)}
        at = np.array([[position[n] for n in t] for t in triples]).T
        persons = np.array([linked_persons(G, t) for t in triples])
        levels = _SetLevels(G, RULEBOOK, default_taxonomy()).levels(list(at), persons)
        assert levels.tolist() == [cumulative_level(G, t, RULEBOOK).level for t in triples]


def test_set_levels_score_one_by_one_when_categories_overflow_a_mask() -> None:
    """With more categories than a 63-bit mask holds, each set is scored on its own."""
    G = nx.path_graph(["a", "b", "c"])
    add_node(G, "a", 1, categories={f"extra{i}" for i in range(64)}, identifiable=True)
    add_node(G, "b", 1, categories={"location"})
    add_node(G, "c", 1, categories={"special_category"})
    add_edge(G, "a", "b", 5_000.0)
    add_edge(G, "b", "c", 5_000.0)
    assert category_bits(RULEBOOK, {f"extra{i}" for i in range(64)}) is None
    assert link_levels(G, RULEBOOK).tolist() == [
        cumulative_level(G, e, RULEBOOK).level for e in G.edges]


# --- the assessor's connected groups among the held datasets ------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12), st.data())
def test_groups_of_strong_links_equal_the_components_of_the_subgraph(n: int, data) -> None:
    """Scope.groups(t) (raw adjacency, held datasets only) equals networkx's connected
    components of the strong links' subgraph on the held (which come in the order of a set
    of nodes), each group in the order of its first dataset in the graph."""
    from bulkimpact.assessor import Assessor

    G = nx.Graph()
    G.add_nodes_from((f"d{i}", {"level": 1}) for i in data.draw(st.permutations(range(n))))
    pairs = [(u, v) for i, u in enumerate(G) for v in list(G)[i + 1:]]
    for u, v in data.draw(st.lists(st.sampled_from(pairs), unique=True)):
        G.add_edge(u, v, strength=data.draw(st.sampled_from([0.0, 0.005, 0.01, 0.5])))
    held = frozenset(data.draw(st.sets(st.sampled_from(list(G)), min_size=1)))
    t = data.draw(st.sampled_from([0.0, 0.01, 0.3]))
    assessor = Assessor(G, None)
    scope = assessor.scope(held)
    reference = [set(c) for c in nx.connected_components(assessor.links(t).subgraph(
        scope.graph))]
    groups = scope.groups(t)
    assert {frozenset(g) for g in groups} == {frozenset(g) for g in reference}
    assert len(groups) == len(reference)
    order = list(scope.graph)
    firsts = [min(order.index(n) for n in g) for g in groups]
    assert firsts == sorted(firsts)


# --- the verdict's prices of a draw -------------------------------------------------------


def _plain_lower_bound(prices, horizon: float) -> float:
    """The lower bound as verdict._Prices.lower_bound computed it one dataset at a time."""
    from bulkimpact.policies import escalation_criteria, step_cost

    params = prices.params.model_copy(update={"horizon_years": horizon})
    costs, _records = escalation_criteria(prices.assessor.graph, prices.rulebook, params)
    added = sum(min(sum(step_cost(costs[n], lv) for lv in range(prices.own[n] + 1, level + 1))
                    for n in members) for members, level in prices.packed)
    return horizon * prices.base + added


def _verdict_cases():
    """The bundled baseline as assessed, and the same graph with stated uses a year on every
    other dataset (the path of dataset_uses that does not take the default rate)."""
    from bulkimpact.analysis import load_analysis
    from bulkimpact.assessor import Assessor

    a = load_analysis("data/synthetic/baseline.yaml")
    yield a.assessor, a.evaluation
    G = a.graph.copy()
    for i, n in enumerate(G):
        if i % 2:
            G.nodes[n]["uses_per_year"] = 3.7 * i
    stated = Assessor(G, a.rulebook, a.assessor.params)
    yield stated, stated.evaluate()


def test_the_verdicts_draw_prices_equal_regime_cost_and_the_authorisation_line() -> None:
    """Each draw's fixed-rule lines, base cost, authorisation line, the lines of escalated
    regimes and the lower bound are the very floats of the functions one by one, for cost
    scales and default use rates that are not round."""
    import random

    from bulkimpact.evaluate import authorisation_burden_line, regime_cost
    from bulkimpact.verdict import _Prices

    rng = random.Random(3)
    for assessor, evaluation in _verdict_cases():
        G, first = assessor.graph, _Prices(assessor, evaluation)
        assert first.packed and first.fixed  # the bound and the fixed rules are exercised
        raised = [s for s in evaluation.sets if s.raised]
        for factors in [(1.0, 1.0, 1.0), (0.7310, 1.93, 0.5123), (1.37, 0.611, 1.777)]:
            p = _Prices(assessor, evaluation, *factors, pricing=first.pricing)
            rb, params = p.rulebook, p.params
            for name, line in p.fixed.items():
                assert line == regime_cost(G, evaluation.outcomes[name].regime, rb, params)
            assert p.base == regime_cost(G, p.own, rb, params)[1]
            assert p.line == authorisation_burden_line(raised, p.own, rb)
            assert p.line[0] + p.line[1] > 0
            for _ in range(20):
                regime = {n: rng.randint(lv, rb.max_level) for n, lv in p.own.items()}
                assert p._regime_cost(regime) == regime_cost(G, regime, rb, params)
            for horizon in (0.5, 1.5, 2.345, 30.0):
                assert p.lower_bound(horizon) == _plain_lower_bound(p, horizon)
        # rows below the top level too (the bundled rows are all at it): pairs and triples
        # one or two levels above their members' own
        names, top = list(first.own), assessor.rulebook.max_level
        rows = frozenset(
            (tuple(names[i:i + 2 + i % 3]),
             min(top, max(first.own[n] for n in names[i:i + 2 + i % 3]) + 1 + i % 2))
            for i in range(0, len(names) - 3, 2))
        first.pricing.pack(rows)
        assert {lv for _, lv in first.pricing.packed} > {top}
        for factors in [(1.0, 1.0, 1.0), (0.7310, 1.93, 0.5123)]:
            p = _Prices(assessor, evaluation, *factors, pricing=first.pricing)
            for horizon in (0.5, 2.345):
                assert p.lower_bound(horizon) == _plain_lower_bound(p, horizon)


# --- not_judged: a count that would stop is not started -----------------------------------


@settings(max_examples=60, deadline=None)
@given(random_graphs(min_nodes=5, max_nodes=8), st.integers(1, 12), st.sampled_from([2, 3]))
def test_not_judged_skips_only_counts_that_would_stop(G: nx.Graph, max_sets: int,
                                                      size: int) -> None:
    """Where the ways to grow a larger set exceed its size × max_sets, not_judged returns
    the bound at once; counting one by one (the check switched off) stops at max_sets and
    gives the same bound, and where the check does not fire the counts are the same too."""
    import pytest

    from bulkimpact import combinations

    try:
        fast = combinations.not_judged(G, RULEBOOK, size, max_sets)
    except combinations.ExposureSetLimitError:
        return  # the sets judged are already too many: refused before the check
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(combinations, "_surely_too_many", lambda *_args: False)
        plain = combinations.not_judged(G, RULEBOOK, size, max_sets)
    assert fast == plain


def test_not_judged_check_fires_and_agrees_on_a_dense_graph() -> None:
    """A complete graph of 8: 56 triples, each with 5 datasets outside it: 280 ways to grow
    one of the 70 sets of 4. With max_sets 60 (280 > 4 × 60) the count is not started; the
    one-by-one count stops at 60 with the same bound."""
    import pytest

    from bulkimpact import combinations

    G = nx.Graph()
    for i in range(8):
        add_node(G, f"d{i}", level=1, categories=[CATEGORIES[i % len(CATEGORIES)]],
                 identifiable=False, persons=5_000, public=False)
    for a, b in itertools.combinations(list(G), 2):
        add_edge(G, a, b, 50.0)
    fired = []
    real = combinations._surely_too_many
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(combinations, "_surely_too_many",
                   lambda *args: fired.append(real(*args)) or fired[-1])
        fast = combinations.not_judged(G, RULEBOOK, 3, 60)
    assert fired == [True] and not fast.exact
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(combinations, "_surely_too_many", lambda *_args: False)
        assert combinations.not_judged(G, RULEBOOK, 3, 60) == fast
    assert not real(combinations._neighbours_outside(
        G._adj, [frozenset(t) for t in itertools.combinations(G, 3)]), 4, 70)


@settings(max_examples=60, deadline=None)
@given(random_graphs(min_nodes=3, max_nodes=8))
def test_triples_scored_at_once_equal_the_triples_grown_from_the_links(G: nx.Graph) -> None:
    """not_judged's layer of connected triples (_triple_levels) is the layer it grew before:
    every connected triple grown from the links, at cumulative_level's level (the top level
    without scoring where a part is at the top)."""
    from bulkimpact.combinations import _grow, _triple_levels, cumulative_level
    from bulkimpact.taxonomy import default_taxonomy

    taxonomy, top = default_taxonomy(), RULEBOOK.max_level

    def level_of(members: frozenset[str], best_part: int) -> int:
        if best_part >= top:
            return top
        return cumulative_level(G, tuple(sorted(members)), RULEBOOK, taxonomy).level

    links = {frozenset(e): cumulative_level(G, tuple(sorted(e)), RULEBOOK, taxonomy).level
             for e in G.edges}
    reference = _grow(G._adj, links, level_of)
    t, _best, level = _triple_levels(G, RULEBOOK, taxonomy, 10**6, RuntimeError)
    nodes = list(G)
    fast = {frozenset(nodes[j] for j in row[:3]): int(lv)
            for row, lv in zip(t.tolist(), level.tolist(), strict=True)}
    assert fast == reference
    assert len(t) == len(reference)  # each triple once
