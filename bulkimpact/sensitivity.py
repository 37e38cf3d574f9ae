"""What changes if: the uncertain assumptions, one at a time, and which moves the verdict most.

Every assumption behind the headline is a named transform of the inputs
(inventory, rulebook, decision-rule parameters) with a low and a high value
around the stated one: the linkage estimates (overlaps, quasi-identifier
cardinalities, match quality) and the rulebook's own assumptions (person
thresholds, the identifiability share, the mosaic-breadth category count, the
authorisation cost) and the use rate of combinations outside investigations.
:func:`tornado` recomputes the headline quantities at each end of each range,
the others held at their stated values; the Monte Carlo of
:func:`bulkimpact.sweep.robustness` draws them all at once with the same
transforms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .assessor import evaluate_policies
from .evaluate import Evaluation, cheapest_full_protection
from .inventory import Inventory
from .linkage import build_linkage_graph
from .parameters import DEFAULT_HORIZON_YEARS, PolicyParams, policy_params
from .registry import NP_, QUANTITIES
from .rulebook import Rulebook

__all__ = ["Assumption", "ASSUMPTIONS", "apply_assumptions", "headline_quantities",
           "HEADLINE_QUANTITIES", "tornado", "biggest_mover"]

Inputs = tuple[Inventory, Rulebook, PolicyParams]


@dataclass(frozen=True)
class Assumption:
    """An uncertain input: its label, the range tried, and how a value changes the inputs.

    ``neutral`` is the value that leaves the inputs as stated; ``log`` says the
    range is multiplicative (drawn log-uniformly by the Monte Carlo).
    """

    label: str
    low: float
    high: float
    neutral: float
    log: bool
    apply: Callable[[Inventory, Rulebook, PolicyParams, float], Inputs]


def _overlaps(inv: Inventory, rb: Rulebook, p: PolicyParams, factor: float) -> Inputs:
    # A smaller effective population gives proportionally larger independent-draw overlaps
    # (n_a n_b / N); stated overlaps scale alike, never beyond the smaller set.
    populations = [q.model_copy(update={"size": max(1, int(q.size / factor))})
                   for q in inv.populations]
    sizes = {q.id: q.size for q in populations}
    datasets = [d.model_copy(update={
        "persons": min(d.persons, sizes[d.population]),
        "overlaps": [o.model_copy(update={"persons": min(d.persons, o.persons * factor)})
                     for o in d.overlaps]}) for d in inv.datasets]
    return inv.model_copy(update={"populations": populations, "datasets": datasets}), rb, p


def _fields(inv: Inventory, update: Callable[[Any], dict[str, Any]]) -> Inventory:
    datasets = [d.model_copy(update={"fields": [f.model_copy(update=update(f))
                                                for f in d.fields]}) for d in inv.datasets]
    return inv.model_copy(update={"datasets": datasets})


def _cardinality(inv: Inventory, rb: Rulebook, p: PolicyParams, factor: float) -> Inputs:
    return _fields(inv, lambda f: {"cardinality": max(1, round(f.cardinality * factor))
                                   if f.cardinality else None}), rb, p


def _match_quality(inv: Inventory, rb: Rulebook, p: PolicyParams, shift: float) -> Inputs:
    return _fields(inv, lambda f: {"match_quality": min(1.0, max(0.0, f.match_quality
                                                                 + shift))}), rb, p


def _rules(rb: Rulebook, update: Callable[[Any], dict[str, Any] | None]) -> Rulebook:
    rules = []
    for r in rb.rules:
        change = update(r.when)
        rules.append(r.model_copy(update={"when": r.when.model_copy(update=change)})
                     if change else r)
    return rb.model_copy(update={"rules": rules})


def _person_thresholds(inv: Inventory, rb: Rulebook, p: PolicyParams, factor: float) -> Inputs:
    return inv, _rules(rb, lambda c: {"min_persons": c.min_persons * factor}
                       if c.min_persons else None), p


def _breadth(inv: Inventory, rb: Rulebook, p: PolicyParams, count: float) -> Inputs:
    return inv, _rules(rb, lambda c: {"min_personal_categories": max(1, round(count))}
                       if c.min_personal_categories else None), p


def _identifiability(inv: Inventory, rb: Rulebook, p: PolicyParams, share: float) -> Inputs:
    changed = rb.identifiability.model_copy(update={"min_unique_fraction": share})
    return inv, rb.model_copy(update={"identifiability": changed}), p


def _authorisation_cost(inv: Inventory, rb: Rulebook, p: PolicyParams,
                        factor: float) -> Inputs:
    return inv, rb.with_costs_scaled("per_use", factor), p


def _use_rate(inv: Inventory, rb: Rulebook, p: PolicyParams, factor: float) -> Inputs:
    return inv, rb, policy_params(p, use_rate=p.use_rate * factor)


def _horizon(inv: Inventory, rb: Rulebook, p: PolicyParams, factor: float) -> Inputs:
    stated = p.horizon_years or inv.planned_retention_years() or DEFAULT_HORIZON_YEARS
    return inv, rb, policy_params(p, horizon_years=stated * factor)


def _compliance(inv: Inventory, rb: Rulebook, p: PolicyParams, factor: float) -> Inputs:
    return inv, rb, policy_params(p, compliance=min(1.0, p.compliance * factor))


def _dataset_uses(inv: Inventory, rb: Rulebook, p: PolicyParams, factor: float) -> Inputs:
    return inv, rb, policy_params(p, dataset_use_rate=p.dataset_use_rate * factor)


def _holding_cost(inv: Inventory, rb: Rulebook, p: PolicyParams, factor: float) -> Inputs:
    return inv, rb.with_costs_scaled("per_year", factor), p


#: The assumptions varied, with the range tried (low, high) around the stated value.
ASSUMPTIONS: dict[str, Assumption] = {
    "overlap_factor": Assumption(
        NP_("assumption", "overlaps between datasets (× 0.5–2)"), 0.5, 2.0, 1.0, True,
        _overlaps),
    "cardinality_factor": Assumption(
        NP_("assumption", "quasi-identifier cardinalities (× 0.5–2)"), 0.5, 2.0, 1.0, True,
        _cardinality),
    "match_quality_shift": Assumption(
        NP_("assumption", "match quality of keys (−0.15 to +0.05)"), -0.15, 0.05, 0.0, False,
        _match_quality),
    "threshold_factor": Assumption(
        NP_("assumption", "rulebook person thresholds (× 0.5–2)"), 0.5, 2.0, 1.0, True,
        _person_thresholds),
    "identifiability_share": Assumption(
        NP_("assumption", "share unique for quasi-identifiers to identify "
                          "(0.25–0.75; stated 0.5)"), 0.25, 0.75, 0.5, False, _identifiability),
    "breadth_categories": Assumption(
        NP_("assumption", "categories for a broad-profile mosaic (4–6; stated 5)"), 4, 6, 5,
        False, _breadth),
    "authorisation_cost_factor": Assumption(
        NP_("assumption", "authorisation cost per use (× 0.5–2)"), 0.5, 2.0, 1.0, True,
        _authorisation_cost),
    "use_rate_factor": Assumption(
        NP_("assumption", "use rate of combinations outside investigations (× 0.1–10)"), 0.1,
        10.0, 1.0, True, _use_rate),
    "horizon_factor": Assumption(
        NP_("assumption", "horizon over which yearly costs count (× 0.5–3)"), 0.5, 3.0, 1.0,
        True, _horizon),
    "compliance_factor": Assumption(
        NP_("assumption", "share of combination uses authorised beforehand (× 0.8–1)"), 0.8,
        1.0, 1.0, False, _compliance),
    "dataset_use_rate_factor": Assumption(
        NP_("assumption", "uses a year of datasets that state none (× 0.5–2)"), 0.5, 2.0, 1.0,
        True, _dataset_uses),
    "holding_cost_factor": Assumption(
        NP_("assumption", "yearly cost of holding a dataset in a regime (× 0.5–2)"), 0.5, 2.0,
        1.0, True, _holding_cost),
}


def apply_assumptions(inventory: Inventory, rulebook: Rulebook, params: PolicyParams,
                      values: Mapping[str, float]) -> Inputs:
    """The inputs with each named assumption set to a value (others as stated).

    Examples
    --------
    >>> from bulkimpact.examples import toy_inventory, toy_rulebook
    >>> inv, rb, p = apply_assumptions(toy_inventory(), toy_rulebook(), PolicyParams(),
    ...                                {"breadth_categories": 4, "use_rate_factor": 10})
    >>> rb.rule("mosaic-breadth").when.min_personal_categories, p.use_rate
    (4, 1.0)
    """
    for name, value in values.items():
        inventory, rulebook, params = ASSUMPTIONS[name].apply(inventory, rulebook, params, value)
    return inventory, rulebook, params


#: Headline quantities the tornado reports, with what each counts.
HEADLINE_QUANTITIES = {k: q.unit for k, q in QUANTITIES.items()}


def headline_quantities(evaluation: Evaluation) -> dict[str, Any]:
    """The numbers a reviewer quotes, and the verdict (cheapest full-protection rule).

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> q = headline_quantities(evaluate_policies(toy_graph("services"), toy_rulebook()))
    >>> q["per_dataset_under_protected"], q["cheapest_full_protection"]
    (1, 'use_based')
    """
    o = evaluation.outcomes
    return {
        **{k: getattr(o[q.rule], q.metric) for k, q in QUANTITIES.items()},
        "cheapest_full_protection": cheapest_full_protection(evaluation),
        "break_even_use_rate": evaluation.break_even_use_rate,
    }


def _headline(inventory: Inventory, rulebook: Rulebook, openness: str,
              params: PolicyParams) -> dict[str, Any]:
    G = build_linkage_graph(inventory, rulebook, openness)
    return headline_quantities(evaluate_policies(
        G, rulebook, ["per_dataset", "component", "minimal_escalation", "use_based"], params))


def tornado(inventory: Inventory, rulebook: Rulebook, openness: str,
            params: PolicyParams | Mapping[str, Any] | None = None,
            assumptions: Sequence[str] | None = None) -> pd.DataFrame:
    """Each assumption at its low and high end, the others as stated: the headline each time.

    Returns
    -------
    pandas.DataFrame
        One row per assumption and end (``assumption``, ``label``, ``end``,
        ``value``), the quantities of :data:`HEADLINE_QUANTITIES` and the
        verdict (``cheapest_full_protection``); a first row ``stated`` holds
        the values at the stated assumptions.

    Examples
    --------
    >>> from bulkimpact.examples import toy_inventory, toy_rulebook
    >>> t = tornado(toy_inventory(), toy_rulebook(), "services",
    ...             assumptions=["use_rate_factor"])
    >>> print(t[["end", "value", "use_based_burden"]].round(2).to_string(index=False))
       end  value  use_based_burden
    stated    NaN              0.52
       low    0.1              0.46
      high   10.0              1.20
    """
    params = policy_params(params)
    rows = [{"assumption": "stated", "label": "as stated", "end": "stated", "value": math.nan,
             **_headline(inventory, rulebook, openness, params)}]
    for name in assumptions or list(ASSUMPTIONS):
        a = ASSUMPTIONS[name]
        for end, value in (("low", a.low), ("high", a.high)):
            inv, rb, p = apply_assumptions(inventory, rulebook, params, {name: value})
            rows.append({"assumption": name, "label": a.label, "end": end, "value": value,
                         **_headline(inv, rb, openness, p)})
    return pd.DataFrame(rows)


def biggest_mover(table: pd.DataFrame, quantity: str) -> tuple[str, float, float]:
    """The assumption whose range moves ``quantity`` most: (name, low-end, high-end value).

    Examples
    --------
    >>> t = pd.DataFrame({"assumption": ["stated", "a", "a", "b", "b"],
    ...                   "end": ["stated", "low", "high", "low", "high"],
    ...                   "q": [5, 4, 6, 0, 9]})
    >>> biggest_mover(t, "q")
    ('b', 0.0, 9.0)
    """
    varied = table[table["assumption"] != "stated"]
    wide = varied.pivot(index="assumption", columns="end", values=quantity).astype(float)
    swing = (wide["high"] - wide["low"]).abs()
    name = str(swing.idxmax())
    return name, float(wide.loc[name, "low"]), float(wide.loc[name, "high"])
