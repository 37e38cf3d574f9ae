"""Decision rules on hand-solved inventories, and their invariants on random graphs.

The hand-solved cases use the tiny test rulebook (``helpers.TINY_RULEBOOK_YAML``):
levels 0–3, low intrusion = 1; any personal category → 1; identifiable +
location → 2; identifiable + special category → 3. Population 1,000,000 and
datasets of 10,000 persons, so two sets share 100 persons and an exact key of
quality 1 gives 100 links, strength 0.01. Keys are ``online_identifier``
fields (username, device, ip): they link but do not identify; a
``direct_identifier`` field identifies.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from helpers import dataset, field, graph, key_field
from hypothesis import given, settings
from hypothesis import strategies as st

from bulkimpact.assessor import Assessor, evaluate_policies
from bulkimpact.combinations import cumulative_level, exposure_sets
from bulkimpact.evaluate import PolicyOutcome, judge
from bulkimpact.inventory import parse_inventory
from bulkimpact.linkage import build_linkage_graph
from bulkimpact.policies import (
    POLICIES,
    component,
    get_policy,
    k_hop,
    minimal_escalation,
    per_dataset,
    threshold,
    use_based,
)
from bulkimpact.rulebook import Rulebook

NAME = field("name", "direct_identifier")
GPS = field("gps", "location")
DIAGNOSIS = field("diagnosis", "special_category")
IBAN = field("iban", "financial")


PAIRS = ("edge", "investigation")


def outcomes(G: nx.Graph, rb: Rulebook, include=PAIRS, **params) -> dict[str, PolicyOutcome]:
    """All six policies judged on edge and investigation sets (the hand-solved cases below
    were worked for these; the chains the default also judges have tests of their own)."""
    return evaluate_policies(G, rb, params=params, include=include).outcomes


def regime(G: nx.Graph, rb: Rulebook, policy, **params) -> dict[str, int]:
    sets = exposure_sets(G, rb, include=PAIRS)
    return policy(Assessor(G, rb).scope(), sets, **params).regime


# --- star ----------------------------------------------------------------------------------


def star(rb: Rulebook, h_cost: float = 1.0) -> nx.Graph:
    return graph([
        dataset("H", [NAME, key_field("username"), key_field("device"), key_field("ip")],
                cost=h_cost),
        dataset("A", [key_field("username"), GPS]),
        dataset("B", [key_field("device"), DIAGNOSIS]),
        dataset("C", [key_field("ip"), IBAN]),
    ], rb)


def test_star_levels_and_edge_sets(tiny_rulebook: Rulebook) -> None:
    """Own levels: every set has a personal category, so 1; H is identifiable but holds neither
    location nor special data, A/B/C hold them but identify no one: all stay at 1.
    Edges: H–A (username), H–B (device), H–C (ip); A, B, C share no key.
    Edge sets: H+A identifiable + location → 2; H+B identifiable + special → 3;
    H+C identifiable + financial → 1 (no rule above 1)."""
    G = star(tiny_rulebook)
    assert {n: G.nodes[n]["level"] for n in G} == {"H": 1, "A": 1, "B": 1, "C": 1}
    assert sorted(map(sorted, G.edges())) == [["A", "H"], ["B", "H"], ["C", "H"]]
    assert G.edges["H", "A"]["expected_links"] == pytest.approx(100.0)
    levels = {s.members: s.level for s in exposure_sets(G, tiny_rulebook, include=PAIRS)}
    assert levels == {("A", "H"): 2, ("B", "H"): 3, ("C", "H"): 1}


def test_star_policies(tiny_rulebook: Rulebook) -> None:
    """per_dataset: all at 1; H+A (2) and H+B (3) under-protected: 2 sets, 100 + 100 persons.
    component: one component, union identifiable + location + special → 3 for all four:
    4 escalated, all 4 low (own level 1), cost 4 × 2 = 8.
    k_hop k=1: H's ball is the whole star → 3; A's {A, H} → 2; B's {B, H} → 3; C's {C, H} → 1.
    threshold t=0.01: every link has strength 100 / 10,000 = 0.01 >= t, so = component.
    minimal_escalation (unit costs): H+A needs someone at 2, H+B someone at 2 and at 3.
    H→3 costs 2 and covers both; the alternatives cost 3 (A→2 + B→3; H→2 + B→3): H→3 alone.
    use_based: no escalation; H+A and H+B would each need an authorisation (2 potential), no
    investigation uses them (0 actual), and none is left under-protected."""
    G = star(tiny_rulebook)
    o = outcomes(G, tiny_rulebook, k=1, t=0.01)

    assert (o["per_dataset"].under_protected, o["per_dataset"].escalated) == (2, 0)
    assert o["per_dataset"].under_protected_sets == (("A", "H"), ("B", "H"))
    # 100 + 100 linked persons, distinct: the two links' persons are independent draws from
    # 1,000,000, so 100 × 100 / 1,000,000 = 0.01 of them are expected to be the same.
    assert o["per_dataset"].under_protected_persons == pytest.approx(200.0 - 0.01)

    c = o["component"]
    assert c.regime == {"H": 3, "A": 3, "B": 3, "C": 3}
    assert (c.under_protected, c.escalated, c.escalated_low, c.escalation_cost) == (0, 4, 4, 8.0)

    assert o["k_hop"].regime == {"H": 3, "A": 2, "B": 3, "C": 1}
    assert o["k_hop"].under_protected == 0
    assert o["threshold"].regime == c.regime

    m = o["minimal_escalation"]
    assert m.regime == {"H": 3, "A": 1, "B": 1, "C": 1}
    assert (m.under_protected, m.escalated, m.escalation_cost, m.status) == (0, 1, 2.0, "optimal")

    u = o["use_based"]
    assert u.regime == {"H": 1, "A": 1, "B": 1, "C": 1}
    assert (u.under_protected, u.authorisations_potential, u.authorisations) == (0, 2, 0)


def test_star_minimal_escalation_avoids_a_costly_hub(tiny_rulebook: Rulebook) -> None:
    """H costs 5 per level: H→3 costs 10, H→2 + B→3 costs 5 + 2 = 7, A→2 + B→3 costs
    1 + 2 = 3: the optimum escalates the leaves A and B instead of the hub."""
    G = star(tiny_rulebook, h_cost=5.0)
    m = outcomes(G, tiny_rulebook)["minimal_escalation"]
    assert m.regime == {"H": 1, "A": 2, "B": 3, "C": 1}
    assert (m.escalation_cost, m.under_protected) == (3.0, 0)


def test_star_threshold_above_every_link_is_per_dataset(tiny_rulebook: Rulebook) -> None:
    """t = 0.02 > every strength (0.01): no strong link, every dataset alone at 1."""
    G = star(tiny_rulebook)
    assert regime(G, tiny_rulebook, threshold, t=0.02) == {"H": 1, "A": 1, "B": 1, "C": 1}


# --- chain ---------------------------------------------------------------------------------


def chain(rb: Rulebook, investigation: bool = False) -> nx.Graph:
    return graph([
        dataset("A", [NAME, key_field("username")], cost=3.0),
        dataset("B", [key_field("username"), key_field("device")], cost=2.0),
        dataset("C", [key_field("device"), key_field("ip")], cost=1.5),
        dataset("D", [key_field("ip"), DIAGNOSIS], cost=1.0),
    ], rb, investigations=[{"id": "op", "datasets": ["A", "B", "C", "D"]}]
        if investigation else None)


def test_chain_policies(tiny_rulebook: Rulebook) -> None:
    """A (name + username) – B (username + device) – C (device + ip) – D (ip + diagnosis).
    Own levels all 1. Edge sets: A+B identifiable, no location/special → 1; B+C and C+D
    identify no one → 1. No edge set is raised: per_dataset leaves 0 under-protected.
    component: A..D together are identifiable + special → 3; all 4 escalated (all low) for no
    under-protected set they would cure; cost 2 × (3 + 2 + 1.5 + 1) = 15.
    k_hop k=1: balls {A,B}, {A,B,C}, {B,C,D}, {C,D}: only {A,B,C} is identifiable, and it has
    no special data → all 1. k=2: B's and C's balls are A..D → 3; A's {A,B,C} and
    D's {B,C,D} stay 1."""
    G = chain(tiny_rulebook)
    assert all(G.nodes[n]["level"] == 1 for n in G)
    assert sorted(map(sorted, G.edges())) == [["A", "B"], ["B", "C"], ["C", "D"]]
    o = outcomes(G, tiny_rulebook, k=1)
    assert o["per_dataset"].under_protected == 0
    assert o["minimal_escalation"].escalated == 0
    c = o["component"]
    assert c.regime == {"A": 3, "B": 3, "C": 3, "D": 3}
    assert (c.under_protected, c.escalated, c.escalated_low, c.escalation_cost) == (0, 4, 4, 15.0)
    assert o["k_hop"].regime == {"A": 1, "B": 1, "C": 1, "D": 1}
    assert regime(G, tiny_rulebook, k_hop, k=2) == {"A": 1, "B": 3, "C": 3, "D": 1}
    assert regime(G, tiny_rulebook, k_hop, k=3) == c.regime


def test_chain_with_an_investigation(tiny_rulebook: Rulebook) -> None:
    """An investigation over A..D makes the whole chain an exposure set at level 3.
    per_dataset: that one set is under-protected. minimal_escalation: one dataset must reach
    3 (each level costs its cost): D (cost 1) → 3 costs 2; C would cost 3, B 4, A 6.
    use_based: one authorisation, for the investigation."""
    G = chain(tiny_rulebook, investigation=True)
    o = outcomes(G, tiny_rulebook)
    inv = [s for s in exposure_sets(G, tiny_rulebook, include=PAIRS)
           if s.kind == "investigation"]
    assert [(s.members, s.level, s.label) for s in inv] == [(("A", "B", "C", "D"), 3, "op")]
    assert o["per_dataset"].under_protected_sets == (("A", "B", "C", "D"),)
    m = o["minimal_escalation"]
    assert m.regime == {"A": 1, "B": 1, "C": 1, "D": 3}
    assert (m.escalated, m.escalation_cost, m.under_protected) == (1, 2.0, 0)
    assert (o["use_based"].authorisations, o["use_based"].under_protected) == (1, 0)


# --- two components ------------------------------------------------------------------------


def two_components(rb: Rulebook, investigations=None) -> nx.Graph:
    return graph([
        dataset("P", [NAME, key_field("username")], cost=2.0),
        dataset("Q", [key_field("username"), GPS], cost=1.0),
        dataset("R", [NAME, key_field("device")], cost=1.0),
        dataset("S", [key_field("device"), DIAGNOSIS], cost=3.0),
    ], rb, investigations=investigations)


def test_two_components(tiny_rulebook: Rulebook) -> None:
    """P–Q (username): identifiable + location → 2. R–S (device): identifiable + special → 3.
    component: P, Q → 2 and R, S → 3 (each component on its own): cost 2×1 + 1×1 + 1×2 + 3×2
    = 11. minimal_escalation: Q (cost 1) → 2 rather than P (cost 2); R (cost 1) → 3 costs 2
    rather than S (6): total 3. per_dataset: both pairs under-protected."""
    G = two_components(tiny_rulebook)
    o = outcomes(G, tiny_rulebook)
    assert o["per_dataset"].under_protected_sets == (("P", "Q"), ("R", "S"))
    assert o["component"].regime == {"P": 2, "Q": 2, "R": 3, "S": 3}
    assert o["component"].escalation_cost == 11.0
    assert o["k_hop"].regime == o["component"].regime
    assert o["minimal_escalation"].regime == {"P": 1, "Q": 2, "R": 3, "S": 1}
    assert o["minimal_escalation"].escalation_cost == 3.0


def test_investigation_joining_two_components(tiny_rulebook: Rulebook) -> None:
    """An investigation over Q and S, and one over all four. Q and S are not linked: the
    cross-set {Q, S} would be identifiable by no one and {P, Q, R, S} would score 3, but a
    combination needs linked records, so the exposure sets are the linked parts only:
    {P, Q} and {R, S}, each an investigation set. Nothing new is under-protected
    (per_dataset still 2); use_based needs two authorisations a use (one per linked part),
    both for one investigation ("all")."""
    G = two_components(tiny_rulebook, investigations=[
        {"id": "cross", "datasets": ["Q", "S"]},
        {"id": "all", "datasets": ["P", "Q", "R", "S"]}])
    sets = exposure_sets(G, tiny_rulebook, include=PAIRS)
    assert [(s.members, s.kind, s.label) for s in sets] == [
        (("P", "Q"), "investigation", "all"), (("R", "S"), "investigation", "all")]
    assert cumulative_level(G, ["P", "Q", "R", "S"], tiny_rulebook).level == 3
    o = outcomes(G, tiny_rulebook)
    assert o["per_dataset"].under_protected == 2
    assert o["component"].regime == {"P": 2, "Q": 2, "R": 3, "S": 3}
    assert (o["use_based"].authorisations, o["use_based"].authorisations_potential) == (1, 2)
    assert o["use_based"].authorisations_per_year == 2.0  # one use a year of each part


def test_investigation_on_an_edge_counts_as_a_use(tiny_rulebook: Rulebook) -> None:
    """H+A is both an edge and the investigation's only linked part: use_based needs one
    authorisation for it, whichever order the exposure-set kinds are listed in."""
    G = graph([
        dataset("H", [NAME, key_field("username")]),
        dataset("A", [key_field("username"), GPS]),
    ], tiny_rulebook, investigations=[{"id": "op", "datasets": ["H", "A"]}])
    for include in (("edge", "investigation"), ("investigation", "edge")):
        ev = evaluate_policies(G, tiny_rulebook, ["use_based"], include=include)
        assert ev.outcomes["use_based"].authorisations == 1


# --- minimal_escalation is not monotone ----------------------------------------------------


def test_minimal_escalation_can_lower_a_regime_when_the_graph_grows(
    tiny_rulebook: Rulebook,
) -> None:
    """A documented limitation: the optimum is global, so growing the graph can move an
    escalation from one dataset to another. Unlike the other policies, minimal_escalation does
    NOT satisfy "adding a dataset never lowers r(d)".

    Before: A (name + username, cost 1) – B (username + device + location, cost 1.5): the pair
    is identifiable + location → 2; escalating A costs 1 < 1.5, so A → 2.
    After adding C (name + device, cost 1), linked to B at level 2 too: B → 2 alone costs 1.5,
    cheaper than A and C (2), so A falls back to 1."""
    a = dataset("A", [NAME, key_field("username")], cost=1.0)
    b = dataset("B", [key_field("username"), key_field("device"), GPS], cost=1.5)
    c = dataset("C", [NAME, key_field("device")], cost=1.0)
    before = regime(graph([a, b], tiny_rulebook), tiny_rulebook, minimal_escalation)
    after = regime(graph([a, b, c], tiny_rulebook), tiny_rulebook, minimal_escalation)
    assert before == {"A": 2, "B": 1}
    assert after == {"A": 1, "B": 2, "C": 1}
    assert after["A"] < before["A"]


# --- policy plumbing -----------------------------------------------------------------------


def test_get_policy_names_the_choices() -> None:
    assert get_policy("component") is component
    with pytest.raises(ValueError, match=r"unknown policy 'kohop'; choose from \['component'"):
        get_policy("kohop")


def test_negative_parameters_are_refused(tiny_rulebook: Rulebook) -> None:
    G = star(tiny_rulebook)
    with pytest.raises(ValueError, match="k must be a non-negative integer, got -1"):
        k_hop(Assessor(G, tiny_rulebook).scope(), [], k=-1)
    with pytest.raises(ValueError, match="threshold t must be non-negative, got -0.5"):
        threshold(Assessor(G, tiny_rulebook).scope(), [], t=-0.5)


def test_k_hop_zero_is_per_dataset(tiny_rulebook: Rulebook) -> None:
    G = star(tiny_rulebook)
    assert regime(G, tiny_rulebook, k_hop, k=0) == regime(G, tiny_rulebook, per_dataset)


# --- invariants on random inventories ------------------------------------------------------

CATEGORY_POOL = ["direct_identifier", "contact", "location", "financial", "travel",
                 "comms_metadata", "special_category", "criminal", "technical"]
NAMESPACES = ["email", "phone", "username", "device", "ip"]
#: The same QI at different granularities in different sets, and sets from a nested city
#: population beside the country: union identifiability must stay monotone across both.
QI_FIELDS = {"dob": [365, 36_500], "postcode": [4_000, 450_000], "sex": [2]}
POPULATIONS = [{"id": "pop", "size": 1_000_000},
               {"id": "city", "size": 300_000, "part_of": "pop"}]
SOURCES = [{"source": "private"}, {"source": "leaked", "leaked": True},
           {"source": "purchased", "paid": True}, {"source": "open"},
           {"source": "private", "made_public_by_subjects": True}]


@st.composite
def random_inventories(draw: st.DrawFn, min_size: int = 3, max_size: int = 8,
                       investigation: bool = False) -> dict:
    n = draw(st.integers(min_size, max_size))
    datasets = []
    for i in range(n):
        fields = [field(c, c) for c in draw(st.sets(st.sampled_from(CATEGORY_POOL),
                                                    max_size=3))]
        fields += [key_field(k, draw(st.sampled_from(["online_identifier"] * 3 + ["contact"])))
                   for k in draw(st.sets(st.sampled_from(NAMESPACES), max_size=3))]
        fields += [{"name": q, "category": "demographic",
                    "cardinality": draw(st.sampled_from(QI_FIELDS[q]))}
                   for q in draw(st.sets(st.sampled_from(sorted(QI_FIELDS)), max_size=2))]
        if not fields:
            fields = [field("netflow", "technical")]
        population = draw(st.sampled_from(POPULATIONS))
        datasets.append(dataset(
            f"d{i}", fields, population=population["id"],
            persons=draw(st.sampled_from([p for p in (2_000, 50_000, 300_000, 1_000_000)
                                          if p <= population["size"]])),
            cost=draw(st.sampled_from([1.0, 1.5, 2.0, 5.0])),
            **draw(st.sampled_from(SOURCES)),
        ))
    investigations = []
    if investigation:
        ids = [d["id"] for d in datasets]
        members = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=4, unique=True))
        investigations = [{"id": "op", "datasets": members}]
    return {"title": "random", "fictional": True,
            "populations": POPULATIONS,
            "datasets": datasets, "investigations": investigations}


def build(data: dict, rb: Rulebook) -> nx.Graph:
    return build_linkage_graph(parse_inventory(data), rb, "ctivd")


GRAPH_POLICIES = {  # name -> (policy, params); regimes that depend only on the graph
    "per_dataset": (per_dataset, {}),
    "component": (component, {}),
    "k_hop k=1": (k_hop, {"k": 1}),
    "k_hop k=2": (k_hop, {"k": 2}),
    "threshold t=0.01": (threshold, {"t": 0.01}),
    "threshold t=0.001": (threshold, {"t": 0.001}),
    "use_based": (use_based, {}),
}


def regimes(G: nx.Graph, rb: Rulebook) -> dict[str, dict[str, int]]:
    sets = exposure_sets(G, rb)
    scope = Assessor(G, rb).scope()
    return {name: policy(scope, sets, **params).regime
            for name, (policy, params) in GRAPH_POLICIES.items()}


def assert_not_lower(before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> None:
    for name, old in before.items():
        for n, level in old.items():
            assert after[name][n] >= level, (name, n, level, after[name][n])


@settings(max_examples=40, deadline=None)
@given(data=random_inventories())
def test_adding_a_dataset_never_lowers_a_regime(default_rulebook: Rulebook, data: dict) -> None:
    smaller = {**data, "datasets": data["datasets"][:-1]}
    assert_not_lower(regimes(build(smaller, default_rulebook), default_rulebook),
                     regimes(build(data, default_rulebook), default_rulebook))


@settings(max_examples=40, deadline=None)
@given(data=random_inventories(), choice=st.data())
def test_adding_an_edge_never_lowers_a_level_or_regime(
    default_rulebook: Rulebook, data: dict, choice: st.DataObject
) -> None:
    G = build(data, default_rulebook)
    a, b = choice.draw(st.sampled_from(list(itertools.combinations(sorted(G.nodes), 2))))
    links = choice.draw(st.sampled_from([1.0, 500.0, 1_000_000.0]))
    H = G.copy()
    old = G.edges[a, b] if G.has_edge(a, b) else {"expected_links": 0.0, "strength": 0.0}
    smaller = min(G.nodes[a]["persons"], G.nodes[b]["persons"])
    H.add_edge(a, b, expected_links=max(links, old["expected_links"]),
               strength=max(links / smaller, old["strength"]))
    assert_not_lower(regimes(G, default_rulebook), regimes(H, default_rulebook))
    for s in exposure_sets(G, default_rulebook, include=("edge", "k_hop", "component")):
        assert cumulative_level(H, s.members, default_rulebook).level >= s.level


@settings(max_examples=40, deadline=None)
@given(data=random_inventories())
def test_escalations_nest(default_rulebook: Rulebook, data: dict) -> None:
    """per_dataset <= k_hop(1) <= k_hop(2) <= k_hop(3) <= component, dataset by dataset."""
    G = build(data, default_rulebook)
    chain_of_rules = [regime(G, default_rulebook, per_dataset)]
    chain_of_rules += [regime(G, default_rulebook, k_hop, k=k) for k in (1, 2, 3)]
    chain_of_rules.append(regime(G, default_rulebook, component))
    for lower, higher in itertools.pairwise(chain_of_rules):
        assert all(lower[n] <= higher[n] for n in G), (lower, higher)


@settings(max_examples=40, deadline=None)
@given(data=random_inventories(investigation=True))
def test_minimal_escalation_protects_everything_at_most_at_components_cost(
    default_rulebook: Rulebook, data: dict
) -> None:
    G = build(data, default_rulebook)
    sets = exposure_sets(G, default_rulebook, include=("edge", "investigation", "k_hop"))
    low = default_rulebook.low_intrusion_level
    assessor = Assessor(G, default_rulebook)
    scope, rb, params = assessor.scope(), default_rulebook, assessor.params
    m = judge(G, sets, minimal_escalation(scope, sets), low, rb, params)
    c = judge(G, sets, component(scope, sets), low, rb, params)
    p = judge(G, sets, per_dataset(scope, sets), low, rb, params)
    assert m.under_protected == 0
    assert c.under_protected == 0
    # priced whole (one-off + horizon × holding and uses), it is never dearer than component
    assert m.total_burden <= c.total_burden + 1e-9
    assert m.params["objective"] == pytest.approx(m.total_burden - p.total_burden)
    if p.under_protected == 0:
        assert m.escalated == 0


def brute_force_cost(G: nx.Graph, sets, top: int, rulebook=None, params=None) -> float:
    """Cheapest regime with r(d) in [L(d), top] protecting every set, by enumeration.

    Without a rulebook each level step costs the dataset's weight; with one, a regime costs
    what it adds over the horizon (:func:`bulkimpact.evaluate.regime_cost`): one-off changes
    plus the horizon times the yearly holding and uses above the datasets' own levels."""
    from bulkimpact.evaluate import regime_cost

    nodes = sorted(G.nodes)
    own = [G.nodes[n]["level"] for n in nodes]
    cost = [G.nodes[n]["cost"] for n in nodes]
    index = {n: i for i, n in enumerate(nodes)}
    needs = [([index[n] for n in s.members], s.level) for s in sets]
    base = regime_cost(G, dict(zip(nodes, own, strict=True)), rulebook, params)[1] \
        if rulebook is not None else 0.0
    best = float("inf")
    for r in itertools.product(*(range(lv, top + 1) for lv in own)):
        if all(max(r[i] for i in members) >= level for members, level in needs):
            if rulebook is None:
                value = sum(c * (x - lv) for c, x, lv in zip(cost, r, own, strict=True))
            else:
                once, yearly = regime_cost(G, dict(zip(nodes, r, strict=True)), rulebook, params)
                value = once + params.horizon_years * (yearly - base)
            best = min(best, value)
    return best


@settings(max_examples=40, deadline=None)
@given(data=random_inventories(max_size=6, investigation=True))
def test_minimal_escalation_equals_brute_force_optimum(
    default_rulebook: Rulebook, data: dict
) -> None:
    G = build(data, default_rulebook)
    sets = exposure_sets(G, default_rulebook, include=("edge", "investigation", "k_hop"), k=1)
    assessor = Assessor(G, default_rulebook)
    m = minimal_escalation(assessor.scope(), sets)
    # the whole cost over the horizon, as minimal escalation minimises it
    assert m.params["objective"] == pytest.approx(brute_force_cost(
        G, sets, default_rulebook.max_level, default_rulebook, assessor.params), abs=1e-9)


def test_every_registered_policy_is_exercised() -> None:
    assert set(POLICIES) == {"per_dataset", "component", "k_hop", "threshold",
                             "minimal_escalation", "use_based"}


def test_minimal_escalation_fails_loudly_without_proven_optimality() -> None:
    """A solver that stops at its time limit must not pass for an optimum."""
    import bulkimpact.policies as policies
    from bulkimpact.combinations import exposure_sets
    from bulkimpact.examples import toy_graph, toy_rulebook

    G, rb = toy_graph("services"), toy_rulebook()
    sets = exposure_sets(G, rb)
    with pytest.raises(policies.SolverError,
                       match=r"did not prove optimality \(status 1: Time limit "
                             r"reached\).*time_limit=0.0 s"):
        policies.minimal_escalation(Assessor(G, rb).scope(), sets, time_limit=0.0)


def test_assess_reports_a_solver_failure_without_a_traceback(capsys) -> None:
    from bulkimpact.cli import main

    code = main(["assess", "data/synthetic/baseline.yaml", "--policy", "minimal_escalation",
                 "--time-limit", "1e-9"])
    err = capsys.readouterr().err
    assert code == 1 and "did not prove optimality (status 1: Time limit reached)" in err
    assert "Traceback" not in err


@st.composite
def skewed_cover_problems(draw: st.DrawFn) -> tuple[nx.Graph, list]:
    """Up to 7 datasets with costs spread over four orders of magnitude, random sets."""
    from bulkimpact.combinations import ExposureSet
    from bulkimpact.rulebook import Profile

    n = draw(st.integers(2, 7))
    G = nx.Graph()
    for i in range(n):
        G.add_node(f"d{i}", level=draw(st.integers(0, 2)),
                   cost=10 ** draw(st.floats(0, 4, allow_nan=False)))
    nodes = list(G.nodes)
    profile = Profile(frozenset(), True, 1.0, False)
    sets = []
    for _ in range(draw(st.integers(1, 8))):
        members = tuple(sorted(draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=n,
                                             unique=True))))
        own = max(G.nodes[m]["level"] for m in members)
        sets.append(ExposureSet(members, draw(st.integers(own, 3)), own, 1.0, (), profile))
    return G, sets


@settings(max_examples=60, deadline=None)
@given(problem=skewed_cover_problems())
def test_minimal_escalation_equals_brute_force_with_skewed_costs(problem) -> None:
    """HiGHS's default 0.01 % gap returned a dearer escalation when costs span 1 to 10,000;
    with a zero gap the optimum equals enumeration to machine precision."""
    G, sets = problem
    result = minimal_escalation(Assessor(G, None).scope(), sets)
    cost = sum(G.nodes[n]["cost"] * (r - G.nodes[n]["level"]) for n, r in result.regime.items())
    best = brute_force_cost(G, sets, 3)
    assert cost == pytest.approx(best, rel=1e-12, abs=1e-9)
    assert result.params["objective"] == pytest.approx(best, rel=1e-12, abs=1e-9)


def test_minimal_escalation_breaks_ties_towards_fewer_datasets() -> None:
    """Sets a+b and a+c at level 2, all at 1 on their own; a costs 2, b and c 1 each.
    Raising a covers both (cost 2, one dataset); raising b and c does too (cost 2, two
    datasets). Among equally cheap answers the one escalating fewer datasets wins, whatever
    the order of the sets."""
    from bulkimpact.combinations import ExposureSet
    from bulkimpact.rulebook import Profile

    G = nx.Graph()
    for n, c in (("b", 1.0), ("c", 1.0), ("a", 2.0)):
        G.add_node(n, level=1, cost=c)
    p = Profile(frozenset(), True, 1.0, False)
    sets = [ExposureSet(("a", "b"), 2, 1, 1.0, (), p), ExposureSet(("a", "c"), 2, 1, 1.0, (), p)]
    for order in (sets, sets[::-1]):
        r = minimal_escalation(Assessor(G, None).scope(), order)
        assert r.params["objective"] == 2.0
        assert r.regime == {"a": 2, "b": 1, "c": 1}


def test_a_chain_heavier_than_every_pair_is_judged_by_default(tiny_rulebook: Rulebook) -> None:
    """A (name + username) – B (username + device) – C (device + diagnosis). Every pair stays
    light: A+B names persons but holds nothing sensitive, B+C holds a diagnosis but names no
    one. A+B+C names persons with a diagnosis: level 3. Judged on pairs only, per-dataset
    assessment leaves nothing under-protected; judged by default (connected combinations of
    up to three), the chain is caught and minimal escalation raises one dataset."""
    G = graph([
        dataset("A", [NAME, key_field("username")], cost=3.0),
        dataset("B", [key_field("username"), key_field("device")], cost=2.0),
        dataset("C", [key_field("device"), DIAGNOSIS], cost=1.0),
    ], tiny_rulebook)
    pairs = outcomes(G, tiny_rulebook)
    assert pairs["per_dataset"].under_protected == 0
    default = evaluate_policies(G, tiny_rulebook).outcomes
    assert default["per_dataset"].under_protected_sets == (("A", "B", "C"),)
    assert default["minimal_escalation"].regime == {"A": 1, "B": 1, "C": 3}
    assert default["minimal_escalation"].escalation_cost == 2.0
    # A larger size limit judges the same chain; a limit of two does not.
    assert evaluate_policies(G, tiny_rulebook, ["per_dataset"], params={
        "max_set_size": 2}).outcomes["per_dataset"].under_protected == 0


def test_k_reaches_the_k_hop_exposure_sets(tiny_rulebook: Rulebook) -> None:
    """--k used to stop at the k_hop rule; the k_hop exposure sets stayed at radius 2."""
    G = chain(tiny_rulebook)
    for k in (1, 2, 3):
        ev = evaluate_policies(G, tiny_rulebook, ["per_dataset"], params={"k": k},
                               include=("k_hop",))
        ball_a = next(s for s in ev.sets if s.label == f"A (k={k})")
        assert ball_a.members == ("A", "B", "C", "D")[:k + 1]  # the chain A–B–C–D from A


# --- minimal escalation: the exact lexicographic optimum, block by block -------------------


@st.composite
def cover_problems(draw: st.DrawFn) -> tuple[nx.Graph, list]:
    """Up to 8 datasets, costs either in cents (one integer solve per block) or spread over
    four orders of magnitude (solved in turn), records from a few sizes (ties on size
    too), random sets: often several blocks, often ties on cost and count."""
    from bulkimpact.combinations import ExposureSet
    from bulkimpact.rulebook import Profile

    n = draw(st.integers(2, 8))
    cents = draw(st.booleans())
    G = nx.Graph()
    for i in range(n):
        c = (draw(st.integers(50, 300)) / 100 if cents
             else 10 ** draw(st.floats(0, 4, allow_nan=False)))
        G.add_node(f"d{i}", level=draw(st.integers(0, 2)), cost=c,
                   persons=draw(st.sampled_from([3.0, 700_000.0, 1_500_000.0, 1_500_400.0])))
    nodes = list(G.nodes)
    profile = Profile(frozenset(), True, 1.0, False)
    sets = []
    for _ in range(draw(st.integers(1, 8))):
        members = tuple(draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3,
                                      unique=True)))
        own = max(G.nodes[m]["level"] for m in members)
        sets.append(ExposureSet(members, draw(st.integers(own, 3)), own, 1.0, (), profile))
    return G, sets


def lexicographic_optima(G: nx.Graph, sets) -> tuple[tuple[float, int, int],
                                                     list[dict[str, int]]]:
    """By enumeration: the least cost, then the fewest datasets escalated, then the fewest
    records escalated in whole thousands; and every regime that attains all three.

    Costs are summed exactly (as fractions): minimal escalation is exact to the last unit, so
    a cost 1.4e-7 above another is more, not a tie (rounding to 6 decimals called it one)."""
    from fractions import Fraction

    from bulkimpact.policies import records_in_thousands

    nodes = list(G.nodes)
    own = {n: G.nodes[n]["level"] for n in nodes}
    best: tuple[float, int, int] | None = None
    found: list[dict[str, int]] = []
    for r in itertools.product(*(range(own[n], 4) for n in nodes)):
        regime = dict(zip(nodes, r, strict=True))
        if all(max(regime[m] for m in s.members) >= s.level for s in sets):
            up = [n for n in nodes if regime[n] > own[n]]
            key = (sum(Fraction(G.nodes[n]["cost"]) * (regime[n] - own[n]) for n in nodes),
                   len(up), sum(records_in_thousands(G.nodes[n]["persons"]) for n in up))
            if best is None or key < best:
                best, found = key, [regime]
            elif key == best:
                found.append(regime)
    assert best is not None
    return (float(best[0]), best[1], best[2]), found


@settings(max_examples=80, deadline=None)
@given(problem=cover_problems(), other=cover_problems())
def test_minimal_escalation_is_the_lexicographic_optimum_and_depends_only_on_the_problem(
        problem, other) -> None:
    """Cost, then datasets escalated, then thousands of records escalated: the same three
    figures as enumeration, a regime among the enumerated optima, and the same regime
    whatever the order of the sets and whatever was cached."""
    from bulkimpact.policies import cover_rows, escalate, records_in_thousands

    G, sets = problem
    own = {n: G.nodes[n]["level"] for n in G}
    costs = {n: G.nodes[n]["cost"] for n in G}
    records = {n: records_in_thousands(G.nodes[n]["persons"]) for n in G}
    regime = minimal_escalation(Assessor(G, None).scope(), sets).regime
    (cost, count, thousands), optima = lexicographic_optima(G, sets)
    up = [n for n in G if regime[n] > own[n]]
    assert sum(costs[n] * (regime[n] - own[n]) for n in G) == pytest.approx(cost, abs=1e-6)
    assert len(up) == count
    assert sum(records[n] for n in up) == thousands
    assert regime in optima
    reversed_order = minimal_escalation(Assessor(G, None).scope(), sets[::-1])
    assert reversed_order.regime == regime  # a canonical model
    # Block by block with a cache: warm it with another problem; same answer, rows in any order.
    rows = cover_rows(sets, own)
    blocks = {**own, **escalate(rows, own, costs, list(G), 60.0, records=records)[0]}
    assert blocks == regime
    G2, sets2 = other
    cache: dict = {}
    own2 = {n: G2.nodes[n]["level"] for n in G2}
    escalate(cover_rows(sets2, own2), own2, {n: G2.nodes[n]["cost"] for n in G2}, list(G2),
              60.0, cache, {n: records_in_thousands(G2.nodes[n]["persons"]) for n in G2})
    for ordered in (rows[::-1], rows):
        assert {**own, **escalate(ordered, own, costs, list(G), 60.0, cache, records)[0]} \
            == regime


def test_escalation_blocks_are_solved_apart_and_cached_by_content(monkeypatch) -> None:
    """Two unlinked problems: each block's answer is its own, and a block met again (here,
    the same block inside a larger problem) is taken from the cache, not solved."""
    import bulkimpact.policies as policies

    own = dict.fromkeys("abcdef", 1)
    costs = {"a": 1.0, "b": 3.0, "c": 1.0, "d": 0.5, "e": 2.0, "f": 1.5}
    left = [(("a", "b"), 3), (("b", "c"), 2), (("c", "d"), 3)]
    right = [(("e", "f"), 2)]
    cache: dict = {}
    alone = policies.escalate(left, own, costs, list(own), 60.0, cache)[0]
    assert alone == {"a": 3, "c": 3}
    calls = []
    real = policies._solve_block
    monkeypatch.setattr(policies, "_solve_block",
                        lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    both = policies.escalate(left + right, own, costs, list(own), 60.0, cache)[0]
    assert both == {"a": 3, "c": 3, "f": 2}
    assert calls == [right]


def test_readings_evaluated_side_by_side_equal_one_after_another() -> None:
    """Analysis.evaluate_readings (threads, the solver releasing the GIL) gives every reading
    the regimes and figures a plain sequential evaluation gives it."""
    from bulkimpact.analysis import load_analysis

    side_by_side = load_analysis("data/synthetic/baseline.yaml")
    side_by_side.evaluate_readings()
    alone = load_analysis("data/synthetic/baseline.yaml")
    for reading, a in side_by_side.readings().items():
        b = alone.with_openness(reading)
        assert a.evaluation.rows() == b.evaluation.rows()
        assert {n: o.regime for n, o in a.evaluation.outcomes.items()} == {
            n: o.regime for n, o in b.evaluation.outcomes.items()}


def test_criteria_folding_past_two_to_the_forty_are_solved_once(monkeypatch) -> None:
    """Hand-solved: one row {a, b} at level 2, both at 1; each costs 3,000,000 whole units,
    so the cost ties; one dataset either way, so the count ties; b has fewer records
    (100,000 against 200,000 thousands). Folded, the objective's coefficients sum to about
    2^42.3 (tail weight 900,003 × 6,000,000): below 2^44, so one solve, and it picks b."""
    import bulkimpact.policies as policies

    calls = []
    real = policies._solve

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(policies, "_solve", counted)
    escalated = policies.escalate([(("a", "b"), 2)], {"a": 1, "b": 1},
                                  {"a": 3_000_000.0, "b": 3_000_000.0}, ["a", "b"], 60.0,
                                  None, {"a": 200_000, "b": 100_000}).escalated
    assert escalated == {"b": 2}
    assert len(calls) == 1
    assert 2.0 ** 40 < float(calls[0].sum()) < policies._FOLDED == 2.0 ** 44
