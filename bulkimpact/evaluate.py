"""Evaluation: what each decision rule leaves under-protected and what it escalates.

For every policy the measured answer to both sides of the dispute: the CTIVD's
("per-dataset assessment leaves combinations under-protected": count and
persons of under-protected exposure sets) and the ministers' ("weighing
together escalates nearly everything, even sets of very slight intrusion":
escalated datasets, their persons and cost, and how many of them were at the
lowest personal level on their own).
"""

from __future__ import annotations

import operator
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from .combinations import ExposureSet
from .parameters import DEFAULT_HORIZON_YEARS, PolicyParams
from .persons import _linked_and_held, distinct_persons
from .policies import PolicyResult, dataset_uses
from .registry import JSON_ROWS, units
from .rulebook import Rulebook

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PolicyOutcome", "Evaluation", "judge", "DEFAULT_PARAMS",
           "POLICY_UNITS", "pareto_front", "break_even_use_rate", "use_rates",
           "authorisation_burden_line", "cheapest_full_protection"]

#: Default policy parameters, from the one typed model (:class:`PolicyParams`).
DEFAULT_PARAMS: dict[str, Any] = PolicyParams().model_dump()

#: What each figure of a policy counts (``assess --json`` carries it as ``units``).
POLICY_UNITS: dict[str, str] = units()


def use_rates(sets: Sequence[ExposureSet], use_rate: float) -> list[float]:
    """Uses per year of each exposure set: its investigations' uses, else ``use_rate``.

    Examples
    --------
    >>> from bulkimpact.combinations import exposure_sets
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> sets = exposure_sets(toy_graph("services"), toy_rulebook())
    >>> [(s.members, s.kind) for s in sets]
    [(('adtech', 'forum'), 'investigation'), (('adtech', 'health-app'), 'edge')]
    >>> use_rates(sets, use_rate=0.5)
    [1.0, 0.5]
    """
    return [s.uses_per_year if s.uses_per_year > 0 else use_rate for s in sets]


@dataclass(frozen=True)
class PolicyOutcome:
    """The measured consequences of one policy on one inventory.

    Every person figure is an expected number of *distinct* persons
    (:mod:`bulkimpact.persons`); ``escalated_records`` is the sum of sizes.
    :data:`POLICY_UNITS` says what each figure counts.

    Attributes
    ----------
    under_protected, under_protected_persons, under_protected_persons_held
        Exposure sets with ``max r(d) < L(S)`` (not authorised case by case);
        the distinct persons linked in them; the distinct persons their
        members hold.
    escalated, escalated_persons, escalated_records
        Datasets with ``r(d) > L(d)``; the distinct persons they hold; the sum
        of their sizes.
    escalated_outside_regime, escalated_light, escalated_slight
        Escalated datasets below the light level on their own, at it, and
        both together (the ministers' "zeer geringe inbreuk");
        ``escalated_low`` equals ``escalated_slight``.
    escalation_cost, level_increase
        ``sum cost_d (r(d) - L(d))`` (one-off) and ``sum (r(d) - L(d))``.
    authorisations, authorisations_potential, authorisations_per_year
        Use-based rule: investigations needing a case-by-case authorisation;
        exposure sets needing one whenever used; uses a year of those sets.
    authorisation_cost, total_burden
        The yearly authorisation workload priced by the rulebook over the
        horizon, and ``escalation_cost + authorisation_cost``.
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
    under_protected_persons_held: float = 0.0
    escalated_records: float = 0.0
    escalated_outside_regime: int = 0
    escalated_light: int = 0
    escalated_slight: int = 0
    authorisations_per_year: float = 0.0
    authorisation_cost: float = 0.0
    total_burden: float = 0.0
    burden: dict[str, float] = field(default_factory=dict)
    unauthorised_uses_per_year: float = 0.0

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
            "under_protected_persons_held": self.under_protected_persons_held,
            "escalated_records": self.escalated_records,
            "escalated_outside_regime": self.escalated_outside_regime,
            "escalated_light": self.escalated_light,
            "escalated_slight": self.escalated_slight,
            "authorisations_per_year": self.authorisations_per_year,
            "authorisation_cost": self.authorisation_cost,
            "total_burden": self.total_burden,
            "burden": dict(self.burden),
            "unauthorised_uses_per_year": self.unauthorised_uses_per_year,
            "units": dict(POLICY_UNITS),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per dataset: own level, regime under this policy, escalated or not."""
        import pandas as pd

        return pd.DataFrame(
            {
                "dataset": d,
                "own_level": self.own_level[d],
                "regime": r,
                "escalated": r > self.own_level[d],
            }
            for d, r in self.regime.items()
        ).set_index("dataset")


HEADLINE = JSON_ROWS


def pareto_front(points: Mapping[str, tuple[float, float]]) -> tuple[str, ...]:
    """Names whose (under-protection, burden) no other point beats on both, in input order.

    A point is dominated when another is no worse on both and better on one;
    equal points are all kept.

    Examples
    --------
    >>> pareto_front({"a": (0, 10), "b": (3, 0), "c": (3, 5), "d": (0, 10)})
    ('a', 'b', 'd')
    """
    def dominated(p: tuple[float, float]) -> bool:
        return any(q[0] <= p[0] and q[1] <= p[1] and q != p for q in points.values())

    return tuple(name for name, p in points.items() if not dominated(p))


def authorisation_burden_line(sets: Sequence[ExposureSet], own: Mapping[str, int],
                              rulebook: Rulebook) -> tuple[float, float]:
    """The use-based rule's yearly authorisation cost as a line in the use rate: (A, B).

    Every exposure set above its members' own levels is authorised at
    ``L(S)`` per use, at ``rulebook.authorisation_cost(L(S))``. ``A`` is the
    yearly cost of the investigations' combinations (their uses per year);
    ``B`` the cost of one use of each other such combination, so the yearly
    cost at a use rate ``r`` is ``A + r B``.

    Examples
    --------
    >>> from bulkimpact.combinations import ExposureSet
    >>> from bulkimpact.rulebook import Profile, load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())          # heavy authorisation: 0.5
    >>> p = Profile(frozenset(), True, 1.0, False)
    >>> sets = [ExposureSet(("a", "b"), 3, 1, 1.0, (), p, uses_per_year=2.0),
    ...         ExposureSet(("b", "c"), 3, 1, 1.0, (), p)]
    >>> authorisation_burden_line(sets, {"a": 1, "b": 1, "c": 1}, rb)
    (1.0, 0.5)
    """
    fixed = per_use = 0.0
    for s in sets:
        if s.level > max(own[n] for n in s.members):
            price = rulebook.authorisation_cost(s.level)
            if s.uses_per_year > 0:
                fixed += s.uses_per_year * price
            else:
                per_use += price
    return fixed, per_use


def break_even_use_rate(sets: Sequence[ExposureSet], own: Mapping[str, int],
                        rulebook: Rulebook, escalation_cost: float,
                        horizon_years: float = 1.0, base_cost: float = 0.0,
                        compliance: float = 1.0) -> float | None:
    """Yearly use rate above which case-by-case authorisation costs more than escalation.

    With the use-based rule's yearly authorisation cost ``A + r B``
    (:func:`authorisation_burden_line`), of which the share ``c`` (compliance) is
    requested, and ``T0`` (``base_cost``) what holding and using the datasets at their own
    levels costs over the horizon ``H``, its burden is ``T0 + H c (A + r B)``; it equals
    minimal escalation's whole burden ``E`` (``escalation_cost``) at
    ``r* = ((E − T0) / (H c) − A) / B``.

    Returns
    -------
    float or None
        ``r*``; 0 when authorisation costs more even if no other combination
        is ever used; None when no combination outside an investigation needs
        an authorisation, or none is authorised (the rate then changes nothing).

    Examples
    --------
    >>> from bulkimpact.combinations import ExposureSet
    >>> from bulkimpact.rulebook import Profile, load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())          # heavy per use: 0.5
    >>> p = Profile(frozenset(), True, 1.0, False)
    >>> sets = [ExposureSet(("a", "b"), 3, 1, 1.0, (), p, uses_per_year=2.0),
    ...         ExposureSet(("b", "c"), 3, 1, 1.0, (), p)]
    >>> break_even_use_rate(sets, {"a": 1, "b": 1, "c": 1}, rb, escalation_cost=2.0)
    2.0
    >>> break_even_use_rate(sets, {"a": 1, "b": 1, "c": 1}, rb, 2.0, base_cost=0.5)
    1.0
    """
    fixed, per_use = authorisation_burden_line(sets, own, rulebook)
    if per_use == 0 or compliance == 0:
        return None
    return max(0.0, ((escalation_cost - base_cost) / (horizon_years * compliance) - fixed)
               / per_use)


@dataclass(frozen=True)
class Evaluation:
    """Outcomes of several policies judged on the same exposure sets.

    ``pareto`` names the policies no other beats on both under-protected
    exposure sets and total burden; ``break_even_use_rate`` is
    :func:`break_even_use_rate` against minimal escalation (None when either
    is not evaluated or the rate changes nothing).
    """

    outcomes: dict[str, PolicyOutcome]
    sets: tuple[ExposureSet, ...]
    datasets: int
    params: PolicyParams = field(default_factory=PolicyParams)
    break_even_use_rate: float | None = None

    @property
    def pareto(self) -> tuple[str, ...]:
        """Policies on the frontier of (under-protected sets, total burden).

        Examples
        --------
        >>> from bulkimpact.examples import toy_graph, toy_rulebook
        >>> from bulkimpact.assessor import evaluate_policies
        >>> evaluate_policies(toy_graph("services"), toy_rulebook()).pareto
        ('per_dataset', 'use_based')
        """
        return pareto_front({n: (o.under_protected, o.total_burden)
                             for n, o in self.outcomes.items()})

    def to_frame(self) -> pd.DataFrame:
        """One row per policy with the headline metrics.

        Examples
        --------
        >>> from bulkimpact.examples import toy_graph, toy_rulebook
        >>> from bulkimpact.assessor import evaluate_policies
        >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
        >>> ev.to_frame().loc[["per_dataset", "component", "minimal_escalation"],
        ...                   ["under_protected", "escalated", "escalated_slight"]]
                            under_protected  escalated  escalated_slight
        policy
        per_dataset                       1          0                 0
        component                         0          3                 3
        minimal_escalation                0          1                 1
        """
        import pandas as pd

        return pd.DataFrame(self.rows()).set_index("policy")

    def rows(self) -> list[dict[str, Any]]:
        """The headline metrics as plain records, one per policy (for sweeps)."""
        front = set(self.pareto)
        return [{"policy": name, **{k: getattr(o, k) for k in HEADLINE},
                 "pareto": name in front,
                 "datasets": self.datasets, "exposure_sets": len(self.sets)}
                for name, o in self.outcomes.items()]

    def regimes(self) -> pd.DataFrame:
        """One row per dataset, one column per policy: the regime it assigns."""
        import pandas as pd

        first = next(iter(self.outcomes.values()))
        frame = pd.DataFrame({name: o.regime for name, o in self.outcomes.items()})
        frame.insert(0, "own_level", pd.Series(first.own_level))
        frame.index.name = "dataset"
        return frame


def cheapest_full_protection(evaluation: Evaluation) -> str | None:
    """The rule with the lowest total burden among those leaving nothing under-protected.

    Ties go to the rule listed first; None when every rule leaves something.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> cheapest_full_protection(evaluate_policies(toy_graph("services"), toy_rulebook()))
    'use_based'
    """
    protecting = [(o.total_burden, i, name) for i, (name, o)
                  in enumerate(evaluation.outcomes.items()) if o.under_protected == 0]
    return min(protecting)[2] if protecting else None


#: Fewer sets than this are judged one by one (numpy's overhead would outweigh it).
_VECTOR_MIN = 64

_layouts = threading.local()  # per thread: the last sets judged, laid out (_SetLayout)


class _SetLayout:
    """Exposure sets' members as positions in one flat array, for :func:`_under_protected`."""

    def __init__(self, sets: Sequence[ExposureSet]) -> None:
        self.sets = tuple(sets)
        members = list(map(operator.attrgetter("members"), self.sets))
        names = list(chain.from_iterable(members))
        self.nodes = list(dict.fromkeys(names))
        index = {n: i for i, n in enumerate(self.nodes)}
        self.flat = np.fromiter(map(index.__getitem__, names), dtype=np.intp, count=len(names))
        sizes = np.fromiter(map(len, members), dtype=np.intp, count=len(members))
        self.nonempty = bool(sizes.all())
        self.starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        self.levels = np.array(list(map(operator.attrgetter("level"), self.sets)), dtype=float)

    @classmethod
    def of(cls, sets: Sequence[ExposureSet]) -> _SetLayout:
        """The layout of ``sets``: this thread's last one when it holds the very same sets
        (exposure sets are frozen, so the same objects in the same order have the same
        members and levels), else a new one."""
        last: _SetLayout | None = getattr(_layouts, "last", None)
        if (last is None or len(last.sets) != len(sets)
                or not all(map(operator.is_, last.sets, sets))):
            last = _layouts.last = cls(sets)
        return last


def _under_protected(sets: Sequence[ExposureSet], regime: Mapping[str, int],
                     authorised: set[tuple[str, ...]]) -> list[ExposureSet]:
    """The sets with ``max r(d) < L(S)`` not authorised case by case, in order.

    ``[s for s in sets if max(regime[n] for n in s.members) < s.level and
    s.members not in authorised]``; for many sets the members' largest regime
    level is taken for all sets at once (``np.maximum.reduceat``), which is the
    same: a maximum and a comparison of integer levels (exact as float64) do not
    depend on how they are computed. Every rule is judged on the same sets, so
    their layout is kept for the next (:class:`_SetLayout`).

    Examples
    --------
    >>> from bulkimpact.combinations import ExposureSet
    >>> from bulkimpact.rulebook import Profile
    >>> p = Profile(frozenset(), True, 1.0, False)
    >>> sets = [ExposureSet(("a", "b"), 3, 1, 1.0, (), p),
    ...         ExposureSet(("b", "c"), 2, 1, 1.0, (), p)]
    >>> [s.members for s in _under_protected(sets, {"a": 1, "b": 2, "c": 1}, set())]
    [('a', 'b')]
    """
    if sets and len(sets) >= _VECTOR_MIN:
        layout = _SetLayout.of(sets)
        if layout.nonempty:  # an empty set fails in max() below, as it would one by one
            levels = np.fromiter(map(regime.__getitem__, layout.nodes), dtype=float,
                                 count=len(layout.nodes))
            highest = np.maximum.reduceat(levels[layout.flat], layout.starts)
            found = [layout.sets[i] for i in np.flatnonzero(highest < layout.levels).tolist()]
            return [s for s in found if s.members not in authorised] if authorised else found
    level_of = regime.__getitem__  # map(): the same max, without a generator per set
    return [s for s in sets
            if max(map(level_of, s.members)) < s.level and s.members not in authorised]


def regime_cost(G: nx.Graph, regime: Mapping[str, int], rulebook: Rulebook | None,
                params: PolicyParams) -> tuple[float, float]:
    """What a regime costs apart from case-by-case authorisations: the one-off cost of
    placing each dataset at its regime from its own level, and the yearly cost of holding
    and using every dataset at its regime.

    ``Σ_d cost_d (one_off[r(d)] − one_off[L(d)])`` and ``Σ_d per_year[r(d)] + u_d
    per_use[r(d)]`` (``u_d``: :func:`~bulkimpact.policies.dataset_uses`). Without a rulebook
    each level raised costs the dataset's ``cost`` and nothing is yearly.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> G = nx.Graph(); G.add_node("a", level=1, cost=2.0, uses_per_year=100.0)
    >>> regime_cost(G, {"a": 1}, rb, PolicyParams())      # light: 0.1 a year, uses free
    (0.0, 0.1)
    >>> regime_cost(G, {"a": 3}, rb, PolicyParams())      # heavy: 2 × 2 once; 0.6 + 100 × 0.5
    (4.0, 50.6)
    """
    nodes = G.nodes
    own = {n: int(a["level"]) for n, a in nodes.items()}
    if rulebook is None:
        return float(sum(nodes[n].get("cost", 1.0) * (regime[n] - own[n]) for n in own)), 0.0
    levels = range(rulebook.max_level + 1)
    one_off = [rulebook.one_off_cost(lv) for lv in levels]
    holding = [rulebook.per_year_cost(lv) for lv in levels]
    use = [rulebook.dataset_use_cost(lv) for lv in levels]
    once = sum(nodes[n].get("cost", 1.0) * (one_off[regime[n]] - one_off[own[n]])
               for n in own if regime[n] > own[n])
    yearly = sum(holding[regime[n]] + dataset_uses(nodes[n], params) * use[regime[n]]
                 for n in own)
    return float(once), float(yearly)


def judge(
    G: nx.Graph, sets: Sequence[ExposureSet], result: PolicyResult, low_intrusion_level: int,
    rulebook: Rulebook | None = None, params: PolicyParams | None = None,
) -> PolicyOutcome:
    """Measure a policy's regime against the exposure sets.

    ``rulebook`` prices authorisations (none priced without it); ``params``
    gives the use rate of combinations outside investigations and the horizon.

    Examples
    --------
    >>> from bulkimpact.assessor import Assessor
    >>> from bulkimpact.combinations import exposure_sets
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.policies import per_dataset
    >>> G, rb = toy_graph("services"), toy_rulebook()
    >>> sets = exposure_sets(G, rb)
    >>> o = judge(G, sets, per_dataset(Assessor(G, rb).scope(), sets), rb.low_intrusion_level)
    >>> o.under_protected, o.under_protected_sets
    (1, (('adtech', 'health-app'),))
    """
    params = params or PolicyParams()
    attrs = G.nodes
    own = {n: int(a["level"]) for n, a in attrs.items()}
    regime = result.regime
    lower = [n for n in own if regime[n] < own[n]]
    if lower:
        raise ValueError(f"policy {result.name!r} put datasets below their own level: {lower}")
    authorised = set(result.authorised)
    under = _under_protected(sets, regime, authorised)
    escalated = [n for n in own if regime[n] > own[n]]
    # Without authorisations no set is authorised: use_rates' list would only be dropped.
    authorised_sets = [(s, rate) for s, rate in zip(sets, use_rates(sets, params.use_rate),
                                                    strict=True)
                       if s.members in authorised] if authorised else []
    per_year = sum(rate for _s, rate in authorised_sets)
    horizon = params.horizon_years or DEFAULT_HORIZON_YEARS
    compliance = params.compliance
    price = ({lv: rulebook.authorisation_cost(lv) for lv in range(rulebook.max_level + 1)}
             if rulebook is not None else defaultdict(float))
    authorising = compliance * sum(rate * price[s.level] for s, rate in authorised_sets)
    escalation_cost, regime_yearly = regime_cost(G, regime, rulebook, params)
    yearly = float(regime_yearly + authorising)
    # Uses a year of combinations above the regime of their members without an authorisation
    # at their level: every use of an under-protected set, and the share of the authorised
    # sets' uses not authorised beforehand; a set so used is under-protected too.
    open_sets = {s.members for s in under}
    unauthorised = sum(rate for s, rate in zip(sets, use_rates(sets, params.use_rate),
                                               strict=True)
                       if s.members in open_sets) if under else 0.0
    if compliance < 1:
        unauthorised += (1 - compliance) * per_year
        open_sets |= {s.members for s, rate in authorised_sets if rate > 0}
        under = [s for s in sets if s.members in open_sets]
    investigations = {s.label for s, _rate in authorised_sets if s.kind == "investigation"}
    outside = sum(own[n] < low_intrusion_level for n in escalated)
    light = sum(own[n] == low_intrusion_level for n in escalated)
    # distinct_linked_persons of the under-protected sets and distinct_persons of their
    # members (datasets in the sets' order), the second computed once for both
    linked, held = _linked_and_held(G, [(s.members, s.persons) for s in under])
    return PolicyOutcome(
        policy=result.name,
        regime=dict(regime),
        own_level=own,
        status=result.status,
        under_protected=len(under),
        under_protected_persons=linked,
        under_protected_sets=tuple(s.members for s in under),
        escalated=len(escalated),
        escalated_persons=distinct_persons(G, escalated),
        escalated_low=outside + light,
        escalation_cost=escalation_cost,
        level_increase=int(sum(regime[n] - own[n] for n in escalated)),
        authorisations=len(investigations),
        authorisations_potential=len(authorised_sets),
        params=dict(result.params),
        under_protected_persons_held=held,
        escalated_records=float(sum(attrs[n]["persons"] for n in escalated)),
        escalated_outside_regime=outside,
        escalated_light=light,
        escalated_slight=outside + light,
        authorisations_per_year=float(per_year),
        authorisation_cost=float(horizon * authorising),
        total_burden=escalation_cost + horizon * yearly,
        burden={"one_off": escalation_cost, "per_year": yearly, "horizon_years": horizon,
                "total": escalation_cost + horizon * yearly},
        unauthorised_uses_per_year=float(unauthorised),
    )
