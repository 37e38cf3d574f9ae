"""Evaluation: what each decision rule leaves under-protected and what it escalates.

For every policy the measured answer to both sides of the dispute: the CTIVD's
("per-dataset assessment leaves combinations under-protected": count and
persons of under-protected exposure sets) and the ministers' ("weighing
together escalates nearly everything, even sets of very slight intrusion":
escalated datasets, their persons and cost, and how many of them were at the
lowest personal level on their own).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from .combinations import ExposureSet, exposure_sets
from .policies import POLICIES, PolicyResult, get_policy
from .rulebook import Rulebook

__all__ = ["PolicyOutcome", "Evaluation", "judge", "evaluate_policies", "DEFAULT_PARAMS"]

#: Default policy parameters: k for k_hop, t for threshold, the MILP time limit.
DEFAULT_PARAMS: dict[str, Any] = {"k": 1, "t": 0.01, "time_limit": 60.0}


@dataclass(frozen=True)
class PolicyOutcome:
    """The measured consequences of one policy on one inventory.

    Attributes
    ----------
    under_protected, under_protected_persons
        Exposure sets with ``max r(d) < L(S)`` (not authorised case by case),
        and the persons linked in them (summed over sets).
    escalated, escalated_persons, escalated_low, escalation_cost
        Datasets with ``r(d) > L(d)``; their persons; how many of them were at
        the rulebook's low-intrusion level on their own; and
        ``sum cost_d (r(d) - L(d))``.
    level_increase
        ``sum (r(d) - L(d))`` over datasets.
    authorisations, authorisations_potential
        Use-based rule: investigations needing a case-by-case authorisation,
        and all exposure sets that would need one if used.
    """

    policy: str
    regime: dict[str, int]
    own_level: dict[str, int]
    status: str
    under_protected: int
    under_protected_persons: float
    under_protected_sets: tuple[tuple[str, ...], ...]
    escalated: int
    escalated_persons: float
    escalated_low: int
    escalation_cost: float
    level_increase: int
    authorisations: int
    authorisations_potential: int
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ``assess --json`` policy entry (a contract: keys are only ever added)."""
        return {
            "regime": dict(self.regime),
            "under_protected": self.under_protected,
            "under_protected_persons": self.under_protected_persons,
            "escalated": self.escalated,
            "escalated_low": self.escalated_low,
            "escalation_cost": self.escalation_cost,
            "authorisations": self.authorisations,
            "status": self.status,
            "escalated_persons": self.escalated_persons,
            "level_increase": self.level_increase,
            "authorisations_potential": self.authorisations_potential,
            "under_protected_sets": [list(s) for s in self.under_protected_sets],
            "params": dict(self.params),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per dataset: own level, regime under this policy, escalated or not."""
        return pd.DataFrame(
            {
                "dataset": d,
                "own_level": self.own_level[d],
                "regime": r,
                "escalated": r > self.own_level[d],
            }
            for d, r in self.regime.items()
        ).set_index("dataset")


HEADLINE = ("under_protected", "under_protected_persons", "escalated", "escalated_low",
            "escalated_persons", "escalation_cost", "level_increase", "authorisations",
            "status")


@dataclass(frozen=True)
class Evaluation:
    """Outcomes of several policies judged on the same exposure sets."""

    outcomes: dict[str, PolicyOutcome]
    sets: tuple[ExposureSet, ...]
    datasets: int

    def to_frame(self) -> pd.DataFrame:
        """One row per policy with the headline metrics.

        Examples
        --------
        >>> from bulkimpact.examples import toy_graph, toy_rulebook
        >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
        >>> ev.to_frame().loc[["per_dataset", "component", "minimal_escalation"],
        ...                   ["under_protected", "escalated", "escalated_low"]]
                            under_protected  escalated  escalated_low
        policy
        per_dataset                       1          0              0
        component                         0          3              3
        minimal_escalation                0          1              1
        """
        return pd.DataFrame(self.rows()).set_index("policy")

    def rows(self) -> list[dict[str, Any]]:
        """The headline metrics as plain records, one per policy (for sweeps)."""
        return [{"policy": name, **{k: getattr(o, k) for k in HEADLINE},
                 "datasets": self.datasets, "exposure_sets": len(self.sets)}
                for name, o in self.outcomes.items()]

    def regimes(self) -> pd.DataFrame:
        """One row per dataset, one column per policy: the regime it assigns."""
        first = next(iter(self.outcomes.values()))
        frame = pd.DataFrame({name: o.regime for name, o in self.outcomes.items()})
        frame.insert(0, "own_level", pd.Series(first.own_level))
        frame.index.name = "dataset"
        return frame


def judge(
    G: nx.Graph, sets: Sequence[ExposureSet], result: PolicyResult, low_intrusion_level: int
) -> PolicyOutcome:
    """Measure a policy's regime against the exposure sets.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.policies import per_dataset
    >>> G, rb = toy_graph("services"), toy_rulebook()
    >>> sets = exposure_sets(G, rb)
    >>> o = judge(G, sets, per_dataset(G, sets, rb), rb.low_intrusion_level)
    >>> o.under_protected, o.under_protected_sets
    (1, (('adtech', 'health-app'),))
    """
    own = {n: int(G.nodes[n]["level"]) for n in G.nodes}
    regime = result.regime
    lower = [n for n in own if regime[n] < own[n]]
    if lower:
        raise ValueError(f"policy {result.name!r} put datasets below their own level: {lower}")
    authorised = set(result.authorised)
    under = [s for s in sets
             if max(regime[n] for n in s.members) < s.level and s.members not in authorised]
    escalated = [n for n in own if regime[n] > own[n]]
    return PolicyOutcome(
        policy=result.name,
        regime=dict(regime),
        own_level=own,
        status=result.status,
        under_protected=len(under),
        under_protected_persons=float(sum(s.persons for s in under)),
        under_protected_sets=tuple(s.members for s in under),
        escalated=len(escalated),
        escalated_persons=float(sum(G.nodes[n]["persons"] for n in escalated)),
        escalated_low=sum(own[n] == low_intrusion_level for n in escalated),
        escalation_cost=float(sum(G.nodes[n].get("cost", 1.0) * (regime[n] - own[n])
                                  for n in escalated)),
        level_increase=int(sum(regime[n] - own[n] for n in escalated)),
        authorisations=sum(1 for s in sets
                           if s.kind == "investigation" and s.members in authorised),
        authorisations_potential=len(authorised),
        params=dict(result.params),
    )


def evaluate_policies(
    G: nx.Graph,
    rulebook: Rulebook,
    policies: Iterable[str] | None = None,
    params: Mapping[str, Any] | None = None,
    sets: Sequence[ExposureSet] | None = None,
    include: Iterable[str] = ("edge", "investigation"),
) -> Evaluation:
    """Apply policies to a linkage graph and measure each on the same exposure sets.

    Parameters
    ----------
    G : networkx.Graph
        Linkage graph (:func:`bulkimpact.linkage.build_linkage_graph`).
    rulebook : Rulebook
    policies : iterable of str, optional
        Names from :data:`bulkimpact.policies.POLICIES`; default all.
    params : mapping, optional
        Policy parameters (``k``, ``t``, ``time_limit``), over :data:`DEFAULT_PARAMS`.
    sets : sequence of ExposureSet, optional
        Exposure sets to judge on; default :func:`exposure_sets` with ``include``.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook(), ["use_based"])
    >>> o = ev.outcomes["use_based"]
    >>> o.under_protected, o.authorisations, o.authorisations_potential
    (0, 0, 1)
    """
    names = list(policies) if policies is not None else list(POLICIES)
    merged = {**DEFAULT_PARAMS, **(params or {})}
    if sets is None:
        sets = exposure_sets(G, rulebook, include=include)
    outcomes = {}
    for name in names:
        result = get_policy(name)(G, sets, rulebook, **merged)
        outcomes[name] = judge(G, sets, result, rulebook.low_intrusion_level)
    return Evaluation(outcomes, tuple(sets), G.number_of_nodes())
