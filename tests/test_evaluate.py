"""Evaluation: the counts ``judge`` makes of a policy's regime against exposure sets."""

from __future__ import annotations

import networkx as nx
import pytest
from helpers import add_node, dataset, field, graph, key_field

from bulkimpact.assessor import evaluate_policies
from bulkimpact.combinations import ExposureSet
from bulkimpact.evaluate import HEADLINE, judge
from bulkimpact.policies import PolicyResult
from bulkimpact.rulebook import Profile, Rulebook

PROFILE = Profile(frozenset({"contact"}), True, 1.0, False)


def exposure(members: str, level: int, member_level: int, persons: float,
             kind: str = "edge") -> ExposureSet:
    return ExposureSet(tuple(members), level, member_level, persons, (), PROFILE, kind=kind,
                       label="op" if kind == "investigation" else "")


def three() -> tuple[nx.Graph, list[ExposureSet]]:
    """a (level 1, cost 2, 1,000 persons), b (level 2, cost 1, 500), c (level 1, cost 3, 200).
    Sets: a+b at 3 (40 linked persons), b+c at 2 (10), investigation a+c at 3 (7)."""
    G = nx.Graph()
    add_node(G, "a", 1, persons=1_000, cost=2.0)
    add_node(G, "b", 2, persons=500, cost=1.0)
    add_node(G, "c", 1, persons=200, cost=3.0)
    sets = [exposure("ab", 3, 2, 40.0), exposure("bc", 2, 2, 10.0),
            exposure("ac", 3, 1, 7.0, kind="investigation")]
    return G, sets


def test_judge_counts_under_protection() -> None:
    """r = a 2, b 2, c 1: a+b has max 2 < 3 (40 persons) and a+c max 2 < 3 (7): 2 sets,
    47 linked persons less the few the two links may share (independent draws from a's
    population of 1,000,000: 40 + 7 - 40 × 7 / 1,000,000); b+c max 2 >= 2 is protected. One
    escalation, a 1 → 2: 1,000 persons, low on its own (level 1), cost 2 × 1 = 2."""
    G, sets = three()
    o = judge(G, sets, PolicyResult("p", {"a": 2, "b": 2, "c": 1}), low_intrusion_level=1)
    assert o.under_protected == 2
    assert o.under_protected_persons == pytest.approx(40 + 7 - 40 * 7 / 1_000_000)
    assert o.under_protected_sets == (("a", "b"), ("a", "c"))
    assert (o.escalated, o.escalated_persons, o.escalated_low) == (1, 1_000.0, 1)
    assert (o.escalation_cost, o.level_increase) == (2.0, 1)
    assert (o.authorisations, o.authorisations_potential) == (0, 0)


def test_judge_weighs_escalations_by_cost_and_levels_raised() -> None:
    """r = a 3, b 2, c 2: all protected. a raised 2 levels × cost 2 + c 1 level × cost 3 = 7;
    level increase 3; persons 1,200. Both were at level 1: low when the low-intrusion level is
    1, not when it is 2."""
    G, sets = three()
    result = PolicyResult("p", {"a": 3, "b": 2, "c": 2})
    o = judge(G, sets, result, low_intrusion_level=1)
    assert o.under_protected == 0
    assert (o.escalated, o.escalated_persons, o.escalation_cost, o.level_increase) == (
        2, 1_200.0, 7.0, 3)
    assert (o.escalated_light, o.escalated_outside_regime, o.escalated_low) == (2, 0, 2)
    # With light at level 2, level 1 lies below it: outside the regime, still slight.
    o2 = judge(G, sets, result, low_intrusion_level=2)
    assert (o2.escalated_light, o2.escalated_outside_regime, o2.escalated_slight) == (0, 2, 2)


def test_authorised_sets_are_not_under_protected() -> None:
    """Use-based: a+c is authorised case by case (an investigation: 1 actual authorisation);
    a+b is not, and stays under-protected."""
    G, sets = three()
    result = PolicyResult("use", {"a": 1, "b": 2, "c": 1}, authorised=(("a", "c"),))
    o = judge(G, sets, result, low_intrusion_level=1)
    assert o.under_protected_sets == (("a", "b"),)
    assert (o.authorisations, o.authorisations_potential, o.escalated) == (1, 1, 0)


def test_a_policy_that_lowers_a_level_is_refused() -> None:
    G, sets = three()
    with pytest.raises(ValueError, match=r"policy 'lax' put datasets below their own level: "
                                         r"\['b'\]"):
        judge(G, sets, PolicyResult("lax", {"a": 1, "b": 1, "c": 1}), low_intrusion_level=1)


def test_outcome_frame_lists_each_dataset() -> None:
    G, sets = three()
    frame = judge(G, sets, PolicyResult("p", {"a": 3, "b": 2, "c": 1}), 1).to_frame()
    assert list(frame.columns) == ["own_level", "regime", "escalated"]
    assert frame.index.name == "dataset"
    assert frame.loc["a"].tolist() == [1, 3, True]
    assert frame["escalated"].tolist() == [True, False, False]


def star_graph(rb: Rulebook) -> nx.Graph:
    """The star of test_policies: H (name + keys) with A (location), B (special), C."""
    return graph([
        dataset("H", [field("name", "direct_identifier"), key_field("username"),
                      key_field("device"), key_field("ip")]),
        dataset("A", [key_field("username"), field("gps", "location")]),
        dataset("B", [key_field("device"), field("diagnosis", "special_category")]),
        dataset("C", [key_field("ip"), field("iban", "financial")]),
    ], rb)


def test_evaluation_frame_has_the_headline_columns(tiny_rulebook: Rulebook) -> None:
    ev = evaluate_policies(star_graph(tiny_rulebook), tiny_rulebook,
                           include=("edge", "investigation"))
    frame = ev.to_frame()
    assert frame.index.name == "policy"
    assert list(frame.index) == ["per_dataset", "component", "k_hop", "threshold",
                                 "minimal_escalation", "use_based"]
    assert list(frame.columns) == [*HEADLINE, "pareto", "datasets", "exposure_sets"]
    assert set(frame["datasets"]) == {4} and set(frame["exposure_sets"]) == {3}
    assert frame.loc["per_dataset", "under_protected"] == 2
    assert frame.loc["component", "escalated"] == 4
    assert frame.loc["minimal_escalation", "escalation_cost"] == 2.0
    regimes = ev.regimes()
    assert list(regimes.columns) == ["own_level", *frame.index]
    assert regimes.loc["A"].tolist() == [1, 1, 3, 2, 3, 1, 1]


def test_evaluate_policies_passes_parameters_and_names(tiny_rulebook: Rulebook) -> None:
    G = star_graph(tiny_rulebook)
    ev = evaluate_policies(G, tiny_rulebook, ["k_hop", "threshold"], params={"k": 0, "t": 0.5})
    assert list(ev.outcomes) == ["k_hop", "threshold"]
    assert ev.outcomes["k_hop"].params == {"k": 0}
    assert ev.outcomes["k_hop"].escalated == 0
    assert ev.outcomes["threshold"].params == {"t": 0.5}
    with pytest.raises(ValueError, match="unknown policy 'everything'"):
        evaluate_policies(G, tiny_rulebook, ["everything"])


def test_outcome_json_has_the_contract_keys(tiny_rulebook: Rulebook) -> None:
    o = evaluate_policies(star_graph(tiny_rulebook), tiny_rulebook, ["per_dataset"],
                          include=("edge", "investigation"))
    entry = o.outcomes["per_dataset"].to_json()
    assert {"regime", "under_protected", "under_protected_persons", "escalated",
            "escalated_low", "escalation_cost", "authorisations", "status"} <= set(entry)
    assert entry["under_protected_sets"] == [["A", "H"], ["B", "H"]]
