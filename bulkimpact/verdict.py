"""The verdict as conditions: which rule protects everything for least, and when that changes.

A single "cheapest rule" follows from a cost convention; this module states it as a
condition a reader can check. Of the rules that leave nothing under-protected, each
costs, over a horizon of ``H`` years (:func:`bulkimpact.evaluate.judge`'s formula):

- a rule with a fixed regime (per dataset, component, k-hop, strong links):
  ``one_off + H × yearly``, a line in ``H`` that does not depend on the use rate;
- minimal escalation: the cheapest regime at that ``H`` (solved exactly again for each
  horizon: heavier regimes' yearly costs weigh more over longer horizons), the lower
  envelope of such lines;
- authorisation per use: ``H × (yearly₀ + c × (A + r × B))``, with ``yearly₀`` holding
  and using the datasets at their own levels, ``A + r B`` the yearly authorisations at
  use rate ``r`` (:func:`~bulkimpact.evaluate.authorisation_burden_line`) and ``c`` the
  compliance; below full compliance it leaves combinations used without authorisation,
  so it no longer counts as protecting.

:func:`verdict` computes, per openness reading, the **decision map** (the cheapest
protecting rule over a grid of use rates × horizons), the **tipping points** (the exact use
rate, horizon and compliance at which the cheapest rule changes, found on the lines
themselves, not on the grid) and the **rank shares** (in what share of Monte Carlo draws
over the uncertain assumptions each rule is cheapest).

Examples
--------
>>> from bulkimpact.analysis import load_analysis
>>> a = load_analysis("data/synthetic/baseline.yaml", openness="services")
>>> v = verdict(a.assessor, a.evaluation, draws=20)
>>> v.cheapest, sorted(t["assumption"] for t in v.tipping_points)[:1]
('use_based', ['compliance'])
>>> round(sum(v.rank_shares.values()), 9)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .evaluate import Evaluation
from .parameters import DEFAULT_HORIZON_YEARS, PolicyParams
from .policies import Row, escalate, escalation_criteria
from .registry import NP_

if TYPE_CHECKING:
    from .assessor import Assessor
    from .rulebook import Rulebook

__all__ = ["Verdict", "verdict", "USE_RATES", "HORIZONS", "DRAWS", "MAX_HORIZON_YEARS",
           "DRAW_RANGES", "DRAWN"]

#: The decision map's grid: uses a year of a possible combination, and horizons in years.
USE_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
HORIZONS = (0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
#: Horizons searched for a tipping point (years).
MAX_HORIZON_YEARS = 30.0
#: Monte Carlo draws of the rank shares.
DRAWS = 100
#: Exact solves of minimal escalation a verdict spends on the decision map and the draws
#: where neither its best known regime nor its lower bound decides which rule is cheapest;
#: beyond them the best known regime decides, and the verdict's ``exact`` says so.
MAX_SOLVES = 40
#: Above this many cover rows (a large inventory, where one solve takes seconds) the budget
#: is :data:`MAX_SOLVES_LARGE`.
LARGE_ROWS = 1000
MAX_SOLVES_LARGE = 0
#: What the draws vary (each an assumption of the model), as (low, high) around the stated
#: value: factors drawn log-uniformly, the horizon uniformly in years. Compliance is as stated
#: in half the draws (the rules obeyed) and uniform between 0.8 and the stated value in the
#: other half.
DRAW_RANGES: dict[str, tuple[float, float]] = {
    "use_rate_factor": (0.1, 10.0),
    "horizon_years": (0.5, 5.0),
    "dataset_use_rate_factor": (0.5, 2.0),
    "per_year_factor": (0.5, 2.0),
    "per_use_factor": (0.5, 2.0),
    "compliance_low": (0.8, 1.0),
}

#: Which assumption of the sensitivity analysis (:data:`bulkimpact.sensitivity.ASSUMPTIONS`)
#: each draw varies, and how the draws' range differs from that analysis's, where it does
#: (None: the same range), named for reports.
DRAWN: dict[str, tuple[str, str | None]] = {
    "use_rate_factor": ("use_rate_factor", None),
    "horizon_years": ("horizon_factor", NP_("assumption", "0.5–5 years in the draws")),
    "dataset_use_rate_factor": ("dataset_use_rate_factor", None),
    "per_year_factor": ("holding_cost_factor", None),
    "per_use_factor": ("authorisation_cost_factor", None),
    "compliance_low": ("compliance_factor", NP_(
        "assumption", "in the draws as stated in half of them, between 0.8 and that value in "
                      "the other half")),
}


_FIXED = ("per_dataset", "component", "k_hop", "threshold")


@dataclass(frozen=True)
class Verdict:
    """Which protecting rule is cheapest, where, and how robustly (one reading).

    ``decision_map["cheapest"][i][j]`` is the cheapest protecting rule at
    ``use_rate[i]`` and ``horizon_years[j]``; ``tipping_points`` each give an assumption, the
    value at which the cheapest rule changes, the rule cheapest at the stated value
    (``from``) and the one past the tipping value (``to``).
    """

    cheapest: str | None
    decision_map: dict[str, Any]
    tipping_points: list[dict[str, Any]]
    rank_shares: dict[str, float]
    draws: int = 0
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    exact: bool = True
    solves: int = 0

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Verdict:
        """The verdict :meth:`to_json` wrote (a reading of ``assess --json``)."""
        return cls(record["cheapest"], record["decision_map"], record["tipping_points"],
                   record["rank_shares"], record.get("rank_draws", 0),
                   {k: tuple(v) for k, v in record.get("rank_ranges", {}).items()},
                   record.get("exact", True), record.get("solves", 0))

    def to_json(self) -> dict[str, Any]:
        return {"cheapest": self.cheapest, "decision_map": self.decision_map,
                "tipping_points": self.tipping_points, "rank_shares": self.rank_shares,
                "rank_draws": self.draws,
                "rank_ranges": {k: list(v) for k, v in self.ranges.items()},
                # every decision on minimal escalation proven (exact solves, or its bounds),
                # or, with false, some taken on its best known regime (MAX_SOLVES spent)
                "exact": self.exact, "solves": self.solves}


class _Pricing:
    """What pricing regimes needs that no draw changes (one reading's graph and evaluation).

    A draw scales cost schedules and the datasets' default use rate; the datasets, their own
    levels, the sets authorised case by case and the cover rows stay. The sums of
    :func:`~bulkimpact.evaluate.regime_cost`, :func:`~bulkimpact.evaluate.
    authorisation_burden_line` and the lower bound's step costs are taken here over arrays,
    term by term in the same order as those functions add them one by one (``np.cumsum`` adds
    left to right), so every figure is the same float (``tests/test_fast_paths.py``).
    """

    def __init__(self, assessor: Assessor, evaluation: Evaluation) -> None:
        G = assessor.graph
        nodes = G.nodes
        self.nodes = list(nodes)
        outcomes = evaluation.outcomes
        own = next(iter(outcomes.values())).own_level if outcomes else {}
        #: the datasets' own levels as the evaluation gives them (the rules' starting point)
        self.own = own
        #: the graph's own levels, weights and stated uses a year, in node order
        self.graph_own = np.array([int(nodes[n]["level"]) for n in self.nodes], dtype=np.intp)
        self.weight = np.array([float(nodes[n].get("cost", 1.0)) for n in self.nodes])
        stated = [nodes[n].get("uses_per_year") for n in self.nodes]
        self.stated_uses = np.array([np.nan if u is None else float(u) for u in stated])
        self.default_uses = np.isnan(self.stated_uses)
        raised = [s for s in evaluation.sets if s.raised]
        above = [s for s in raised if s.level > max(own[n] for n in s.members)]
        #: sets authorised case by case: investigations (level, uses a year), others (level)
        self.investigations = (np.array([s.level for s in above if s.uses_per_year > 0],
                                        dtype=np.intp),
                               np.array([float(s.uses_per_year) for s in above
                                         if s.uses_per_year > 0]))
        self.possible = np.array([s.level for s in above if not s.uses_per_year > 0],
                                 dtype=np.intp)
        self.minimal = "minimal_escalation" in outcomes
        self.rows = assessor.scope().cover_rows(raised) if self.minimal else frozenset()
        self.index = {n: i for i, n in enumerate(self.nodes)}
        self.pack(self.rows)

    def pack(self, rows: frozenset) -> None:
        """Keep the lower bound's rows: of ``rows``, highest level first, those that share no
        dataset with a row kept before (each needs its own escalation)."""
        packed: list[Row] = []
        used: set[str] = set()
        for row in sorted(rows, key=lambda r: (-r[1], len(r[0]), r[0])):
            if used.isdisjoint(row[0]):
                packed.append(row)
                used.update(row[0])
        self.packed = packed
        sizes = [len(m) for m, _ in packed]
        self.packed_members = np.array([self.index[n] for m, _ in packed for n in m],
                                       dtype=np.intp)
        self.packed_starts = np.cumsum([0, *sizes[:-1]], dtype=np.intp)
        self.packed_levels = np.repeat([lv for _, lv in packed], sizes).astype(np.intp)
        self.packed_own = np.array([self.own[n] for m, _ in packed for n in m], dtype=np.intp)

    def levels(self, regime: Mapping[str, int]) -> np.ndarray:
        """A regime's level of every dataset, in node order."""
        return np.fromiter(map(regime.__getitem__, self.nodes), dtype=np.intp,
                           count=len(self.nodes))

    def uses(self, params: PolicyParams) -> np.ndarray:
        """Each dataset's uses a year (:func:`~bulkimpact.policies.dataset_uses`)."""
        return np.where(self.default_uses, float(params.dataset_use_rate), self.stated_uses)

    def regime_cost(self, levels: np.ndarray, schedules: _Schedules,
                    uses: np.ndarray) -> tuple[float, float]:
        """:func:`~bulkimpact.evaluate.regime_cost` of a regime's ``levels``."""
        own, one_off = self.graph_own, schedules.one_off
        once = np.where(levels > own, self.weight * (one_off[levels] - one_off[own]), 0.0)
        yearly = schedules.holding[levels] + uses * schedules.use[levels]
        return _sum(once), _sum(yearly)

    def authorisation_line(self, schedules: _Schedules) -> tuple[float, float]:
        """:func:`~bulkimpact.evaluate.authorisation_burden_line` of the raised sets."""
        levels, uses = self.investigations
        return _sum(uses * schedules.auth[levels]), _sum(schedules.auth[self.possible])

    def escalation_bound(self, schedules: _Schedules, uses: np.ndarray,
                         horizon: float) -> float:
        """The lower bound's escalations: per packed row, the cheapest member's steps from
        its own level to the row's (:func:`~bulkimpact.policies.escalation_criteria`'s step
        costs at ``horizon``), summed over the rows."""
        if not self.packed:
            return 0
        horizon = horizon or DEFAULT_HORIZON_YEARS
        o, py, pu = schedules.one_off, schedules.holding, schedules.use
        weight = self.weight[self.packed_members]
        h_uses = horizon * uses[self.packed_members]
        own, target = self.packed_own, self.packed_levels
        total = np.zeros(len(weight))
        for lv in range(1, len(o)):
            step = (weight * (o[lv] - o[lv - 1]) + horizon * (py[lv] - py[lv - 1])
                    + h_uses * (pu[lv] - pu[lv - 1]))
            total = np.where((lv > own) & (lv <= target), total + step, total)
        return _sum(np.minimum.reduceat(total, self.packed_starts))


class _Schedules(NamedTuple):
    """A rulebook's cost per level (arrays indexed by level): placing a dataset there once,
    holding it a year, one use of it, one authorised use of a combination."""

    one_off: np.ndarray
    holding: np.ndarray
    use: np.ndarray
    auth: np.ndarray

    @classmethod
    def of(cls, rulebook: Rulebook) -> _Schedules:
        levels = range(rulebook.max_level + 1)
        return cls(*(np.array([f(lv) for lv in levels], dtype=float)
                     for f in (rulebook.one_off_cost, rulebook.per_year_cost,
                               rulebook.dataset_use_cost, rulebook.authorisation_cost)))


def _sum(terms: np.ndarray) -> float:
    """``sum(terms)`` added left to right, as Python's ``sum`` adds them."""
    return float(np.cumsum(terms)[-1]) if len(terms) else 0.0


class _Prices:
    """Every protecting rule's cost as a function of the use rate and the horizon."""

    def __init__(self, assessor: Assessor, evaluation: Evaluation,
                 per_year_factor: float = 1.0, per_use_factor: float = 1.0,
                 dataset_use_rate_factor: float = 1.0,
                 regimes: set[tuple[tuple[str, int], ...]] | None = None,
                 rows: frozenset | None = None, budget: _Budget | None = None,
                 pricing: _Pricing | None = None) -> None:
        a, params = assessor, assessor.params
        rulebook = a.rulebook
        if per_year_factor != 1.0:
            rulebook = rulebook.with_costs_scaled("per_year", per_year_factor)
        if per_use_factor != 1.0:
            rulebook = rulebook.with_costs_scaled("per_use", per_use_factor)
        self.params = params.model_copy(update={
            "dataset_use_rate": params.dataset_use_rate * dataset_use_rate_factor})
        self.assessor, self.rulebook = a, rulebook
        #: what no draw changes, shared by the draws of one reading
        self.pricing = pricing if pricing is not None else _Pricing(a, evaluation)
        pricing = self.pricing
        self._schedules = _Schedules.of(rulebook)
        self._uses = pricing.uses(self.params)
        outcomes = evaluation.outcomes
        self.own = pricing.own
        #: fixed-regime rules that protect everything: name -> (one-off, yearly)
        self.fixed = {name: self._regime_cost(o.regime)
                      for name, o in outcomes.items()
                      if name in _FIXED and o.under_protected == 0}
        self.base = self._regime_cost(self.own)[1]
        self.line = pricing.authorisation_line(self._schedules)
        self.use_based = "use_based" in outcomes
        self.minimal = pricing.minimal
        self.rows = rows if rows is not None else pricing.rows
        #: the regimes minimal escalation has found (datasets raised), shared between prices
        #: of other cost scales: each is a feasible regime whatever the costs
        self.regimes = regimes if regimes is not None else set()
        self._lines: dict[tuple[tuple[str, int], ...], tuple[float, float]] = {}
        self.budget = budget if budget is not None else _Budget()
        self.packed = pricing.packed

    def _regime_cost(self, regime: Mapping[str, int]) -> tuple[float, float]:
        """:func:`~bulkimpact.evaluate.regime_cost` at this draw's costs."""
        return self.pricing.regime_cost(self.pricing.levels(regime), self._schedules,
                                        self._uses)

    @property
    def candidates(self) -> set[tuple[float, float]]:
        """The (one-off, yearly) lines of the regimes minimal escalation has found."""
        for regime in self.regimes - self._lines.keys():
            self._lines[regime] = self._regime_cost({**self.own, **dict(regime)})
        return {self._lines[r] for r in self.regimes}

    def use_based_cost(self, rate: float, horizon: float, compliance: float) -> float | None:
        """Authorisation per use over the horizon; None where it does not protect."""
        fixed, per_use = self.line
        if not self.use_based or (compliance < 1 and fixed + per_use > 0):
            return None
        return horizon * (self.base + compliance * (fixed + rate * per_use))

    def lower_bound(self, horizon: float) -> float:
        """A lower bound of minimal escalation's whole cost at ``horizon``: holding and using
        every dataset at its own level, plus, for rows that share no dataset, the cheapest
        way to raise one member of each far enough (each needs its own escalation)."""
        added = self.pricing.escalation_bound(self._schedules, self._uses, horizon)
        return horizon * self.base + added

    def minimal_cost(self, horizon: float) -> float:
        """Minimal escalation's whole cost at ``horizon``, solved exactly while the verdict's
        budget of solves lasts; after it, its best known regime's (and the verdict is marked
        not exact)."""
        a = self.assessor
        if not self.budget.left():
            self.budget.exact = False
            return min((o + horizon * y for o, y in self.candidates), default=math.inf)
        self.budget.solves += 1
        params = self.params.model_copy(update={"horizon_years": horizon})
        costs, records = escalation_criteria(a.graph, self.rulebook, params)
        escalated = escalate(list(self.rows), self.own, costs, a.order, params.time_limit,
                             None, records, tie_break=False).escalated
        self.regimes.add(tuple(sorted(escalated.items())))
        once, yearly = self._regime_cost({**self.own, **escalated})
        return once + horizon * yearly

    def costs(self, rate: float, horizon: float, compliance: float,
              exact: bool = True) -> dict[str, float]:
        """Every protecting rule's cost at one point (minimal escalation exact, or with
        ``exact=False`` solved only where its best known regime might be the cheapest)."""
        out = {name: once + horizon * yearly for name, (once, yearly) in self.fixed.items()}
        ub = self.use_based_cost(rate, horizon, compliance)
        if ub is not None:
            out["use_based"] = ub
        if self.minimal:
            known = min((o + horizon * y for o, y in self.candidates), default=math.inf)
            others = min(out.values(), default=math.inf)
            if exact:
                out["minimal_escalation"] = self.minimal_cost(horizon)
            elif known < others:  # the optimum is at most the best known regime
                out["minimal_escalation"] = known
            elif (bound := self.lower_bound(horizon)) > others:  # and at least the bound
                out["minimal_escalation"] = bound
            else:
                out["minimal_escalation"] = self.minimal_cost(horizon)
        return out


class _Budget:
    """How many exact solves of minimal escalation a verdict may spend where a cheaper bound
    does not decide (:data:`MAX_SOLVES`), and whether every decision was exact."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_SOLVES if limit is None else limit
        self.solves = 0
        self.exact = True

    def left(self) -> bool:
        return self.solves < self.limit


def _cheapest(costs: dict[str, float], order: Sequence[str]) -> str | None:
    """The cheapest rule (ties: the first in ``order``)."""
    if not costs:
        return None
    return min(costs, key=lambda n: (costs[n], order.index(n)))


def _horizon_tipping(prices: _Prices, rate: float, compliance: float, stated: float,
                     order: Sequence[str]) -> list[dict[str, Any]]:
    """Horizons in (0, MAX_HORIZON_YEARS] where the cheapest protecting rule changes, found
    on the cost lines (minimal escalation's envelope refined by exact solves)."""
    def lines() -> dict[str, list[tuple[float, float]]]:
        out: dict[str, list[tuple[float, float]]] = {n: [v] for n, v in prices.fixed.items()}
        ub = prices.use_based_cost(rate, 1.0, compliance)
        if ub is not None:
            out["use_based"] = [(0.0, ub)]
        if prices.minimal:
            out["minimal_escalation"] = sorted(prices.candidates)
        return out

    def cheapest_at(h: float, ls: dict[str, list[tuple[float, float]]]) -> str | None:
        return _cheapest({n: min(o + h * y for o, y in v) for n, v in ls.items()}, order)

    for h in (stated, *HORIZONS, MAX_HORIZON_YEARS):
        if prices.minimal:
            prices.minimal_cost(h)
    for _round in range(20):  # the envelope gains a regime per round at most; few suffice
        ls = lines()
        points = sorted({(o2 - o1) / (y1 - y2)
                         for v1 in ls.values() for o1, y1 in v1
                         for v2 in ls.values() for o2, y2 in v2
                         if y1 != y2 and 0 < (o2 - o1) / (y1 - y2) <= MAX_HORIZON_YEARS})
        before = len(prices.candidates)
        for h in points:
            if prices.minimal:
                prices.minimal_cost(h)
        if len(prices.candidates) == before:
            break
    ls = lines()
    found = []
    for h in points:
        below, above = cheapest_at(h * (1 - 1e-9), ls), cheapest_at(h * (1 + 1e-9), ls)
        if below != above:
            now = cheapest_at(stated, ls)
            found.append({"assumption": "horizon_years", "value": h, "from": now,
                          "to": above if h > stated else below})
    return found


def _use_rate_tipping(prices: _Prices, horizon: float, compliance: float,
                      order: Sequence[str]) -> float | None:
    """The use rate at which authorisation per use stops being the cheapest protecting rule
    at ``horizon``: where its line ``H (yearly₀ + c (A + r B))`` meets the cheapest other
    rule (None where it never is the cheapest, or always is)."""
    fixed, per_use = prices.line
    if prices.use_based_cost(0.0, horizon, compliance) is None or per_use == 0:
        return None
    others = {n: c for n, c in prices.costs(0.0, horizon, compliance).items()
              if n != "use_based"}
    best = _cheapest(others, order)
    if best is None:
        return None
    rate = ((others[best] / horizon - prices.base) / compliance - fixed) / per_use
    return rate if rate > 0 else None


def verdict(assessor: Assessor, evaluation: Evaluation, draws: int = DRAWS,
            seed: int = 0) -> Verdict:
    """The decision map, tipping points and rank shares of one reading's evaluation.

    Parameters
    ----------
    assessor, evaluation
        The reading's :class:`~bulkimpact.assessor.Assessor` and its evaluation.
    draws : int
        Monte Carlo draws over :data:`DRAW_RANGES` for the rank shares.
    seed : int
        Seed of the draws.
    """
    p = assessor.params
    order = list(evaluation.outcomes)
    prices = _Prices(assessor, evaluation)
    if len(prices.rows) > LARGE_ROWS:
        prices.budget.limit = MAX_SOLVES_LARGE
    rate, horizon, compliance = p.use_rate, p.horizon_years, p.compliance
    stated = prices.costs(rate, horizon, compliance, exact=False)
    if "minimal_escalation" in evaluation.outcomes:
        # the evaluation solved it exactly at the stated assumptions already
        found = evaluation.outcomes["minimal_escalation"]
        stated["minimal_escalation"] = found.total_burden
        prices.regimes.add(tuple(sorted((n, r) for n, r in found.regime.items()
                                        if r > found.own_level[n])))
    cheapest = _cheapest(stated, order)

    grid = [[_cheapest(prices.costs(r, h, compliance, exact=False), order) for h in HORIZONS]
            for r in USE_RATES]
    decision_map = {"use_rate": list(USE_RATES), "horizon_years": list(HORIZONS),
                    "compliance": compliance, "cheapest": grid,
                    "tipping_use_rate": [_use_rate_tipping(prices, h, compliance, order)
                                         for h in HORIZONS]}

    tipping: list[dict[str, Any]] = []
    fixed, per_use = prices.line
    r_star = _use_rate_tipping(prices, horizon, compliance, order)
    if r_star is not None:
        best = _cheapest({n: c for n, c in stated.items() if n != "use_based"}, order)
        tipping.append({"assumption": "use_rate", "value": r_star, "from": cheapest,
                        "to": best if rate < r_star else "use_based"})
    tipping += _horizon_tipping(prices, rate, compliance, horizon, order)
    if prices.use_based and fixed + per_use > 0:
        full = prices.costs(rate, horizon, 1.0, exact=False)
        partial = {n: c for n, c in full.items() if n != "use_based"}
        if compliance == 1 and cheapest == "use_based":
            tipping.append({"assumption": "compliance", "value": 1.0, "from": "use_based",
                            "to": _cheapest(partial, order)})
        elif compliance < 1 and _cheapest(full, order) == "use_based":
            tipping.append({"assumption": "compliance", "value": 1.0, "from": cheapest,
                            "to": "use_based"})

    rng = np.random.default_rng(seed)
    wins: dict[str, int] = dict.fromkeys(order, 0)
    for _ in range(draws):
        def factor(name: str) -> float:
            lo, hi = DRAW_RANGES[name]
            return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))
        r = rate * factor("use_rate_factor")
        h = float(rng.uniform(*DRAW_RANGES["horizon_years"]))
        key = (factor("per_year_factor"), factor("per_use_factor"),
               factor("dataset_use_rate_factor"))
        low = DRAW_RANGES["compliance_low"][0]
        c = compliance if rng.random() < 0.5 else float(rng.uniform(min(low, compliance),
                                                                    compliance))
        # each draw prices the rules at its own cost scales; minimal escalation starts from
        # the regimes found so far and is solved again only where it could be the cheapest
        drawn = _Prices(assessor, evaluation, *key, regimes=prices.regimes, rows=prices.rows,
                        budget=prices.budget, pricing=prices.pricing)
        best = _cheapest(drawn.costs(r, h, c, exact=False), order)
        if best is not None:
            wins[best] += 1
    shares = {n: w / draws for n, w in wins.items() if w}
    return Verdict(cheapest, decision_map, tipping, shares, draws, dict(DRAW_RANGES),
                   exact=prices.budget.exact, solves=prices.budget.solves)
