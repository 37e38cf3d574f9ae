"""Decision rules (policies): which access regime each dataset gets.

A policy assigns every dataset a regime ``r(d) >= L(d)``. A combination ``S``
is protected when ``max_{d in S} r(d) >= L(S)``: to combine the sets, one needs
access to every member. All policies share one signature,

    policy(scope, sets, **params) -> PolicyResult

where ``scope`` is a :class:`bulkimpact.assessor.Scope` (the assessor of one
inventory restricted to the datasets held: graph, own levels, memoised group
levels) and ``sets`` the exposure sets judged; they are registered by name in
:data:`POLICIES` and applied by :meth:`bulkimpact.assessor.Assessor.evaluate`:

- ``per_dataset``: the status quo and the ministers' position, ``r(d) = L(d)``.
- ``component``: the CTIVD recommendation read literally; every dataset gets
  the level of its whole connected component (the ministers' fear).
- ``k_hop``: a dataset weighed with its neighbours up to ``k`` links away.
- ``threshold``: only links with strength at least ``t`` count.
- ``minimal_escalation``: the cheapest escalation that leaves no exposure set
  under-protected, solved exactly as a MILP (HiGHS through ``highspy``).
- ``use_based``: no dataset is escalated; each combination that is used needs
  an authorisation at its cumulative level.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx
import numpy as np
from scipy import sparse

from .combinations import ExposureSet
from .parameters import DEFAULT_HORIZON_YEARS, PolicyParams, policy_params

if TYPE_CHECKING:
    from .assessor import Scope
    from .rulebook import Rulebook


class LinearConstraint(NamedTuple):
    """Rows ``lb <= A @ x <= ub`` of a MILP (the fields of :class:`scipy.optimize.
    LinearConstraint`, whose module costs 0.2 s to import and which :func:`_milp`, solving
    through highspy, only reads); ``lb`` and ``ub`` are numbers or one per row."""

    A: Any
    lb: Any
    ub: Any

__all__ = [
    "PolicyResult",
    "SolverError",
    "Escalation",
    "POLICIES",
    "FAST_POLICIES",
    "per_dataset",
    "component",
    "k_hop",
    "threshold",
    "minimal_escalation",
    "records_in_thousands",
    "use_based",
    "get_policy",
]


class SolverError(RuntimeError):
    """The MILP solver did not prove optimality (time limit, infeasible, …)."""


@dataclass(frozen=True)
class PolicyResult:
    """The regime a policy assigns, and how it got there.

    ``authorised`` lists the member sets that a use-based rule authorises
    case by case (empty for the other rules).
    """

    name: str
    regime: dict[str, int]
    status: str = "exact"
    authorised: tuple[tuple[str, ...], ...] = ()
    params: dict[str, Any] = field(default_factory=dict)


Policy = Callable[..., PolicyResult]


def per_dataset(scope: Scope, sets: Sequence[ExposureSet]) -> PolicyResult:
    """Each dataset on its own nature: ``r(d) = L(d)``.

    Examples
    --------
    >>> from bulkimpact.assessor import Assessor
    >>> G = nx.Graph(); G.add_node("a", level=1); G.add_node("b", level=2)
    >>> per_dataset(Assessor(G, None).scope(), []).regime
    {'a': 1, 'b': 2}
    """
    return PolicyResult("per_dataset", dict(scope.own))


def _level_of_groups(scope: Scope, groups: Iterable[Collection[str]],
                     t: float | None = None) -> dict[str, int]:
    """Give every member of each group the cumulative level of the group."""
    regime = dict(scope.own)
    for group in groups:
        if len(group) >= 2:
            level = scope.level(group, t)
            for n in group:
                regime[n] = max(regime[n], level)
    return regime


def component(scope: Scope, sets: Sequence[ExposureSet]) -> PolicyResult:
    """Every dataset at the cumulative level of its connected component.

    Examples
    --------
    >>> from bulkimpact.assessor import Assessor
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> scope = Assessor(toy_graph("services"), toy_rulebook()).scope()
    >>> per_dataset(scope, []).regime
    {'forum': 1, 'adtech': 1, 'health-app': 1}
    >>> component(scope, []).regime
    {'forum': 3, 'adtech': 3, 'health-app': 3}
    """
    return PolicyResult("component", _level_of_groups(scope, scope.groups()))


def k_hop(scope: Scope, sets: Sequence[ExposureSet], k: int = 1) -> PolicyResult:
    """``r(d) = L(N_k(d))``: the level of the ball of radius ``k`` around ``d``.

    Since the ball grows with ``k`` and levels are monotone,
    ``per_dataset <= k_hop <= component`` dataset by dataset.

    Examples
    --------
    >>> from bulkimpact.assessor import Assessor
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> k_hop(Assessor(toy_graph("services"), toy_rulebook()).scope(), [], k=1).regime
    {'forum': 1, 'adtech': 3, 'health-app': 3}
    """
    if k < 0:
        raise ValueError(f"k must be a non-negative integer, got {k}")
    regime = dict(scope.own)
    for n in scope.graph:
        ball = scope.ball(n, k)
        if len(ball) >= 2:
            regime[n] = max(regime[n], scope.level(ball))
    return PolicyResult("k_hop", regime, params={"k": k})


def threshold(scope: Scope, sets: Sequence[ExposureSet], t: float = 0.01) -> PolicyResult:
    """Component rule on strong links only: links of strength ``>= t`` count.

    ``r(d)`` is the cumulative level of ``d``'s component in the graph of
    strong links (scored on that graph, so only strong links add persons).

    Examples
    --------
    >>> from bulkimpact.assessor import Assessor
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> threshold(Assessor(toy_graph("services"), toy_rulebook()).scope(), [], t=2.0).regime
    {'forum': 1, 'adtech': 1, 'health-app': 1}
    """
    if t < 0:
        raise ValueError(f"threshold t must be non-negative, got {t}")
    return PolicyResult("threshold", _level_of_groups(scope, scope.groups(t), t),
                        params={"t": t})


def _monotone(var: dict[tuple[Any, int], int]) -> list[LinearConstraint]:
    """x[n, l+1] <= x[n, l]: a dataset raised to a level is raised to every level below it.

    ``var`` maps (dataset, level) to its column; returns no constraint when no dataset has
    two levels to choose from.
    """
    rows, cols, vals = [], [], []
    for (n, lvl), j in var.items():
        if (n, lvl + 1) in var:
            r = len(rows) // 2
            rows += [r, r]
            cols += [var[(n, lvl + 1)], j]
            vals += [1.0, -1.0]
    if not rows:
        return []
    mono = sparse.csr_matrix((vals, (rows, cols)), shape=(len(rows) // 2, len(var)))
    return [LinearConstraint(mono, -np.inf, 0.0)]


def records_in_thousands(persons: float) -> int:
    """A dataset's records in whole thousands, rounded up: minimal escalation's third criterion.

    Examples
    --------
    >>> records_in_thousands(700_000), records_in_thousands(1_500_001), records_in_thousands(3)
    (700, 1501, 1)
    """
    return int(math.ceil(float(persons) / 1000.0 - 1e-9))


def minimal_escalation(scope: Scope, sets: Sequence[ExposureSet],
                       time_limit: float = 60.0) -> PolicyResult:
    """The cheapest escalation that leaves no exposure set under-protected (exact MILP).

    Notes
    -----
    Binary ``x[d, l] = [r(d) >= l]`` for every level ``l`` above ``L(d)``;
    ``x[d, l+1] <= x[d, l]`` (monotone); for every exposure set ``S`` and every
    level ``l`` with ``max_{d in S} L(d) < l <= L(S)``:
    ``sum_{d in S} x[d, l] >= 1`` (:func:`cover_rows`). The regime is the
    lexicographic optimum of three criteria, each summed over datasets:

    1. the escalation cost ``sum_d cost_d (r(d) - L(d))`` (each level step of
       a dataset costs its ``cost``);
    2. among equally cheap regimes, the fewest datasets escalated;
    3. among those, the fewest records escalated, counted per dataset in whole
       thousands (:func:`records_in_thousands`): of two datasets that would do
       the same job at the same cost, the smaller one is raised.

    So the figures that follow from the regime (escalated persons, records,
    datasets of slight intrusion) do not depend on how a solver breaks ties,
    save where the three criteria leave one (regimes alike in cost, count and
    thousands of records, e.g. two datasets of the same size and cost): that
    choice is left to HiGHS on a model built in a canonical order, so the
    answer is still a function of the problem, the same run after run.

    The problem splits into blocks of datasets that share a cover row; each
    criterion adds up over datasets, so the optimum of the whole is the union
    of each block's (:func:`_escalate`). HiGHS (through :mod:`highspy`, without
    presolve) solves each block with a relative gap of zero
    (HiGHS stops at 0.01 % by default, which with costs spread over orders of
    magnitude returns a dearer escalation than the optimum), in one solve
    when the criteria fold into one integer objective
    (:func:`_lexicographic`); anything short of proven optimality raises
    :class:`SolverError`, unless the scope accepts bounded solves (the
    timeline's ``--time-limit``, :class:`bulkimpact.assessor.Scope`): a block
    that stops at ``time_limit`` with a regime found then gives that regime,
    status ``"bounded"``, its ``mip_gap`` and the proven ``bound`` on the cost
    (``params``; see :func:`_escalation_result`).

    Examples
    --------
    >>> from bulkimpact.assessor import Assessor
    >>> from bulkimpact.combinations import ExposureSet
    >>> from bulkimpact.rulebook import Profile
    >>> G = nx.Graph()
    >>> for n, c in (("a", 1.0), ("b", 3.0), ("c", 1.0)):
    ...     G.add_node(n, level=1, cost=c, persons=1_000)
    >>> p = Profile(frozenset(), True, 1.0, False)
    >>> sets = [ExposureSet(("a", "b"), 3, 1, 1.0, (), p),
    ...         ExposureSet(("b", "c"), 2, 1, 1.0, (), p)]
    >>> r = minimal_escalation(Assessor(G, None).scope(), sets)
    >>> r.regime, r.status, r.params["objective"]
    ({'a': 3, 'b': 1, 'c': 2}, 'optimal', 3.0)

    Two datasets that would do the same job at the same cost: the smaller is raised.

    >>> G.nodes["a"]["persons"] = 1_500_000
    >>> G.add_node("d", level=1, cost=1.0, persons=700_000)
    >>> sets = [ExposureSet(("a", "d"), 2, 1, 1.0, (), p)]
    >>> minimal_escalation(Assessor(G, None).scope(), sets).regime
    {'a': 1, 'b': 1, 'c': 1, 'd': 2}
    """
    found = scope.escalation(scope.cover_rows(sets), time_limit)
    return _escalation_result(scope.own, scope.assessor.costs, found.escalated, found.gap,
                              found.bounded, **({"reused": True} if found.kept else {}))


def dataset_uses(attrs: Mapping[str, Any], params: PolicyParams) -> float:
    """Uses a year of a dataset (its node attributes): its own ``uses_per_year``, else the
    ``dataset_use_rate`` parameter.

    Examples
    --------
    >>> dataset_uses({"uses_per_year": 100.0}, PolicyParams()), dataset_uses({}, PolicyParams())
    (100.0, 12.0)
    """
    rate = attrs.get("uses_per_year")
    return float(params.dataset_use_rate if rate is None else rate)


def escalation_criteria(G: nx.Graph, rulebook: Rulebook | None = None,
                        params: PolicyParams | None = None,
                        ) -> tuple[dict[str, StepCost], dict[str, int]]:
    """Each dataset's cost per level step and records in thousands: the per-dataset weights of
    :func:`minimal_escalation`'s first and third criteria.

    With a rulebook, the step to level ``l`` costs everything the regime adds over the
    horizon ``H``: ``cost_d × (one_off[l] − one_off[l−1]) + H × (per_year[l] − per_year[l−1])
    + H × u_d × (per_use[l] − per_use[l−1])`` (``u_d`` its uses a year), so escalating a
    much-used dataset costs its uses too; the whole cost stays linear in the level variables.
    Without one, each step costs the dataset's ``cost`` weight.

    Examples
    --------
    >>> G = nx.Graph(); G.add_node("a", cost=2.0, persons=1_500, uses_per_year=100.0)
    >>> escalation_criteria(G)
    ({'a': 2.0}, {'a': 2})
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> steps, _ = escalation_criteria(G, rb, policy_params(horizon_years=2.0))
    >>> [round(c, 2) for c in steps["a"]]   # to 3: 2 × 1 + 2 × 0.3 + 2 × 100 × 0.3
    [0.0, 2.2, 42.4, 62.6]
    """
    nodes = G.nodes(data=True)
    records = {n: records_in_thousands(a.get("persons", 0.0)) for n, a in nodes}
    if rulebook is None:
        return {n: float(a.get("cost", 1.0)) for n, a in nodes}, records
    params = params or policy_params()
    horizon = params.horizon_years or DEFAULT_HORIZON_YEARS
    levels = range(rulebook.max_level + 1)
    one_off = [rulebook.one_off_cost(lv) for lv in levels]
    per_year = [rulebook.per_year_cost(lv) for lv in levels]
    per_use = [rulebook.dataset_use_cost(lv) for lv in levels]
    costs: dict[str, StepCost] = {}
    for n, a in nodes:
        weight, uses = float(a.get("cost", 1.0)), dataset_uses(a, params)
        costs[n] = (0.0, *(weight * (one_off[lv] - one_off[lv - 1])
                           + horizon * (per_year[lv] - per_year[lv - 1])
                           + horizon * uses * (per_use[lv] - per_use[lv - 1])
                           for lv in levels[1:]))
    return costs, records


#: A dataset's cost per level step: one figure for every step, or one per level (the cost of
#: the step up to that level; the entry for level 0 is unused).
StepCost = float | tuple[float, ...]


def step_cost(cost: StepCost, level: int) -> float:
    """The cost of raising a dataset to ``level`` from the level below.

    Examples
    --------
    >>> step_cost(2.0, 3), step_cost((0.0, 1.0, 4.5), 2)
    (2.0, 4.5)
    """
    return float(cost) if isinstance(cost, (int, float)) else float(cost[level])


def _escalation_result(own: dict[str, int], costs: Mapping[str, StepCost],
                       escalated: dict[str, int], gap: float, bounded: bool = False,
                       **extra: Any) -> PolicyResult:
    """The :class:`PolicyResult` of an escalation (objective summed in dataset order).

    ``params`` carry the ``objective`` (the cost minimised) and the largest relative
    ``mip_gap`` HiGHS reported; with status ``"bounded"`` (a solve stopped at its time
    limit) also the ``bound`` no regime can undercut, ``objective * (1 - mip_gap)``
    (proven optimal: the objective itself). HiGHS's gap is on the objective it solved,
    which folds the tie-break criteria in below one step of the cost
    (:func:`_lexicographic`), so the bound holds to within that step.

    Examples
    --------
    >>> r = _escalation_result({"a": 1, "b": 1}, {"a": 2.0, "b": 1.0}, {"a": 3}, 0.25, True)
    >>> r.status, r.params["objective"], r.params["bound"]
    ('bounded', 4.0, 3.0)
    """
    objective = float(sum(step_cost(costs[n], lvl) for n, r in escalated.items()
                          for lvl in range(own[n] + 1, r + 1)))
    if bounded:
        return PolicyResult("minimal_escalation", {**own, **escalated}, status="bounded",
                            params={"objective": objective, "mip_gap": gap,
                                    "bound": objective * (1.0 - gap), **extra})
    return PolicyResult("minimal_escalation", {**own, **escalated}, status="optimal",
                        params={"objective": objective, "mip_gap": gap, **extra})


Row = tuple[tuple[str, ...], int]
BlockKey = tuple[frozenset[Row], tuple[tuple[str, int, float, int], ...]]


def _escalation_blocks(rows: Sequence[Row], order: Sequence[str]) -> list[list[Row]]:
    """The cover rows grouped by connected block (datasets sharing a row), canonically.

    Blocks come in the order of their first dataset in ``order``; rows in a
    block by level, then by their members' positions in ``order``.

    Examples
    --------
    >>> _escalation_blocks([(("c", "d"), 2), (("b", "a"), 3), (("a", "e"), 2)],
    ...                    ["a", "b", "c", "d", "e"])
    [[(('a', 'e'), 2), (('b', 'a'), 3)], [(('c', 'd'), 2)]]
    """
    index = {n: i for i, n in enumerate(order)}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for members, _lvl in rows:
        root = find(members[0])
        for n in members[1:]:
            other = find(n)
            if other != root:
                if index[other] < index[root]:
                    root, other = other, root
                parent[other] = root
    blocks: dict[str, list[Row]] = {}
    for row in rows:
        blocks.setdefault(find(row[0][0]), []).append(row)
    def canonical(row: Row) -> tuple[int, list[int], tuple[int, ...]]:
        at = tuple(map(index.__getitem__, row[0]))
        return row[1], sorted(at), at

    return [sorted(set(blocks[root]), key=canonical)
            for root in sorted(blocks, key=index.__getitem__)]


class Escalation(NamedTuple):
    """What :func:`escalate` found: the datasets raised, the largest MIP gap HiGHS reported,
    and whether a block stopped at the time limit (``bounded``: the regime is the best
    found, not a proven optimum)."""

    escalated: dict[str, int]
    gap: float
    bounded: bool = False


class _TimeLimits:
    """What :func:`_solve` needs to accept a solve stopped at its time limit: the relative gaps
    of the solves stopped so far, and the last regime of the block being solved."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.last: Any = None


#: Set by :func:`escalate` with ``bounded=True`` (per thread, per call): :func:`_solve` then
#: accepts a solve stopped by the time limit and records its gap (:class:`_TimeLimits`).
_LIMIT_HITS: ContextVar[_TimeLimits | None] = ContextVar("limit_hits", default=None)


def escalate(rows: Sequence[Row], own: dict[str, int], costs: Mapping[str, StepCost],
             order: Sequence[str], time_limit: float,
             cache: dict[BlockKey, tuple[dict[str, int], float, bool]] | None = None,
             records: Mapping[str, int] | None = None, tie_break: bool = True,
             bounded: bool = False) -> Escalation:
    """The optimum of :func:`minimal_escalation`'s MILP for cover rows, block by block.

    Returns ``{dataset: regime}`` for the datasets raised (in ``order``) and
    the largest MIP gap HiGHS reported (with ``tie_break`` False, an optimum of the cost
    alone: its cost is the optimum, its datasets one of the cheapest sets). With
    ``bounded`` a block that stops at ``time_limit`` gives the best regime found and the
    answer says so (cached as bounded: met again only by bounded calls); without it, it
    raises :class:`SolverError`.
    ``records`` gives
    each dataset's
    records in thousands (the third criterion; none when omitted). Every
    criterion adds up over datasets, so the lexicographic optimum of the
    whole is the union of each block's (:func:`_escalation_blocks`: datasets
    that share a cover row). A block is built in a canonical order, so its
    answer depends only on its content and on the relative order of its
    datasets in ``order``, and ``cache`` (block content -> answer; calls
    sharing one must rank datasets alike, as the timeline's days do) spares
    solving a block met before.

    Examples
    --------
    >>> own = {"a": 1, "b": 1, "c": 1, "d": 1}
    >>> costs = {"a": 1.0, "b": 3.0, "c": 1.0, "d": 0.5}
    >>> escalate([(("a", "b"), 3), (("b", "c"), 2), (("c", "d"), 3)], own, costs,
    ...           ["a", "b", "c", "d"], 60.0)  # a, d to 3 and c to 2 cost 4 too
    Escalation(escalated={'a': 3, 'c': 3}, gap=0.0, bounded=False)
    """
    escalated: dict[str, int] = {}
    gap = 0.0
    index = {n: i for i, n in enumerate(order)}
    records = records if records is not None else dict.fromkeys(own, 0)
    limits = _TimeLimits() if bounded else None
    hits = limits.gaps if limits is not None else None
    any_stopped = False
    token = _LIMIT_HITS.set(limits)
    try:
        for block in _escalation_blocks(rows, order):
            nodes = sorted({n for members, _l in block for n in members},
                           key=index.__getitem__)
            key = (frozenset(block), tuple((n, own[n], costs[n], records[n]) for n in nodes))
            cached = cache is not None and tie_break  # a cost-only optimum is not cached
            # a block stopped at its time limit is met again only by bounded calls
            if cached and key in cache and (bounded or not cache[key][2]):
                answer = cache[key]
            else:
                before = len(hits) if hits is not None else 0
                if limits is not None:
                    limits.last = None  # a new block: no regime of it found yet
                regime, block_gap = _solve_block(block, nodes, own, costs, records, time_limit,
                                                 tie_break)
                stopped = hits is not None and len(hits) > before  # best found, not proven
                answer = (regime, max(block_gap, *hits[before:]) if stopped else block_gap,
                          stopped)
                if cached:
                    cache[key] = answer
            escalated.update(answer[0])
            gap = max(gap, answer[1])
            any_stopped = any_stopped or answer[2]
    finally:
        _LIMIT_HITS.reset(token)
    return Escalation({n: escalated[n] for n in order if n in escalated}, gap, any_stopped)


def _integer_costs(c: np.ndarray) -> np.ndarray | None:
    """``c`` in whole units of ``10**-k`` (the smallest ``k <= 6`` that fits), else None.

    A cost fits when it differs from a whole number of units by no more than floating-point
    noise (2⁻⁴⁰ of its size, at least 10⁻⁹ of a unit), never by a fixed share of its size:
    with 10⁻⁹ of its size, 10⁹ + ⅓ was the whole number 10⁹, and a tie-break could choose
    a dearer dataset. Costs too large to fold are solved in stages
    (:func:`_lexicographic`), each held exactly (:func:`_within_budgets`).

    Examples
    --------
    >>> _integer_costs(np.array([0.5, 1.25])).tolist()
    [50.0, 125.0]
    >>> _integer_costs(np.array([1 / 3, 1e9 + 1 / 3])) is None
    True
    """
    for k in range(7):
        scaled = c * 10.0 ** k
        units = np.round(scaled)
        noise = np.maximum(1e-9, np.abs(scaled) * 2.0 ** -40)
        if np.all(np.abs(scaled - units) <= noise):
            return units
    return None


#: Largest coefficient sum of one objective taken in whole units: below it each unit is
#: told from :func:`_integer_costs`'s noise (2⁻⁴⁰ of a coefficient's size) and HiGHS tells
#: integer objective values apart exactly.
_EXACT = 2.0 ** 40
#: Largest coefficient sum of objectives folded into one, each of them whole below
#: :data:`_EXACT`: the folded coefficients are exact whole numbers, so every regime's value is
#: one too, far below 2⁵³ (held exactly in a double). 2⁴⁴, not 2⁴⁰ as before: the 300-dataset
#: benchmark's blocks fold cost, datasets and records to sums of 2⁴¹·⁶–2⁴²·¹, and one folded
#: solve took 5.4 s where the cost and the tie-break solved in turn took 7.2 + 10.0 s, with
#: the same regime (benchmarks/README.md, issue 17).
_FOLDED = 2.0 ** 44


def _lexicographic(objectives: Sequence[np.ndarray], constraints: list[LinearConstraint],
                   options: dict[str, Any], n_vars: int, n_cover: int) -> SimpleNamespace:
    """Minimise non-negative ``objectives`` lexicographically over binary ``x``.

    Objectives in whole units (:func:`_integer_costs`) fold into one: the one
    after ``a`` takes weight 1 and ``a`` the weight ``max(rest) + 1``, so a
    unit of ``a`` outweighs any difference in the rest, while each objective's
    sum stays below :data:`_EXACT` and the folded sum below :data:`_FOLDED`.
    What does not fold is solved in turn, each optimum held as a budget in the
    next solve.

    Examples
    --------
    Cover {0, 1} and {1, 2}: item 1 alone costs 2, items 0 and 2 cost 1 each;
    equally cheap, so the fewest items decides:

    >>> cover = LinearConstraint(np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]]), 1.0, np.inf)
    >>> opts = {"time_limit": 10.0, "mip_rel_gap": 0.0}
    >>> res = _lexicographic([np.array([1.0, 2.0, 1.0]), np.ones(3)], [cover], opts, 3, 2)
    >>> (res.x > 0.5).tolist()
    [False, True, False]
    """
    stages: list[tuple[np.ndarray, bool]] = []  # (objective, in whole units)
    for c in reversed(objectives):
        units = _integer_costs(c)
        if units is not None and units.sum() < _EXACT and stages and stages[-1][1]:
            tail = stages[-1][0]
            weight = float(tail.sum()) + 1.0
            folded = weight * units + tail
            if float(folded.sum()) < _FOLDED:
                stages[-1] = (folded, True)
                continue
        stages.append((units, True) if units is not None and units.sum() < _EXACT
                      else (c, False))
    constraints = list(constraints)
    res = None
    kept: list[tuple[np.ndarray, float]] = []  # stages not in whole units: (c, exact optimum)
    for c, whole in reversed(stages):
        found = _solve(c, constraints, options, n_vars, n_cover)
        found = _within_budgets(found, kept, c, constraints, options, n_vars, n_cover)
        if found is None:  # no later optimum keeps the earlier ones exactly: stop here
            break
        res = found
        if whole:
            constraints.append(LinearConstraint(c.reshape(1, -1), -np.inf, res.fun + 0.5))
        else:
            best = _exact_value(c, res.x)
            kept.append((c, best))
            constraints.append(LinearConstraint(c.reshape(1, -1), -np.inf,
                                                best + 1e-9 * max(1.0, abs(best))))
    return res


def _exact_value(c: np.ndarray, x: np.ndarray) -> float:
    """``c · x`` for a binary ``x``, summed exactly (math.fsum of the chosen coefficients)."""
    return math.fsum(c[np.round(x) > 0.5].tolist())


def _within_budgets(res: Any, kept: list[tuple[np.ndarray, float]], c: np.ndarray,
                    constraints: list[LinearConstraint], options: dict[str, float],
                    n_vars: int, n_cover: int, tries: int = 8) -> Any:
    """``res``, or a re-solve of the same stage, that spends no more on any earlier stage than
    its exact optimum; None when none is found in ``tries``.

    An earlier optimum is held as a budget with a relative slack (HiGHS's tolerances need
    one); a later stage may use the slack and choose a dearer set of datasets. Its exact
    spending is checked, and the budget it broke is tightened to halfway and the stage solved
    again, so the earlier criteria keep their optimum to the last unit.
    """
    extra: list[LinearConstraint] = []
    for _ in range(tries):
        over = [(ck, best, _exact_value(ck, res.x)) for ck, best in kept]
        broken = [(ck, best, spent) for ck, best, spent in over if spent > best]
        if not broken:
            return res
        for ck, best, spent in broken:
            extra.append(LinearConstraint(ck.reshape(1, -1), -np.inf, (best + spent) / 2))
        try:
            res = _solve(c, [*constraints, *extra], options, n_vars, n_cover)
        except SolverError:
            return None
    return None


def _solve_block(block: Sequence[Row], nodes: Sequence[str], own: dict[str, int],
                 costs: Mapping[str, StepCost], records: Mapping[str, int],
                 time_limit: float, tie_break: bool = True) -> tuple[dict[str, int], float]:
    """One block of the MILP of :func:`minimal_escalation`, solved to proven optimality."""
    top = max(lvl for _m, lvl in block)
    var: dict[tuple[str, int], int] = {}
    for n in nodes:
        for lvl in range(own[n] + 1, top + 1):
            var[(n, lvl)] = len(var)
    rows, cols = [], []
    for r, (members, lvl) in enumerate(block):
        for n in members:
            rows.append(r)
            cols.append(var[(n, lvl)])
    cover = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(block), len(var)))
    constraints = [LinearConstraint(cover, np.ones(len(block)), np.inf)]
    constraints.extend(_monotone(var))
    # x[d, L(d)+1] = 1 exactly when d is escalated: the second and third criteria count these.
    first = [lvl == own[n] + 1 for (n, lvl) in var]
    objectives = [np.array([step_cost(costs[n], lvl) for (n, lvl) in var]),
                  np.array([1.0 if f else 0.0 for f in first]),
                  np.array([float(records[n]) if f else 0.0
                            for f, (n, _lvl) in zip(first, var, strict=True)])]
    if not objectives[2].any():
        objectives.pop()
    if not tie_break:
        del objectives[1:]
    # Presolve off: measured faster on the 300-dataset benchmark (its reductions are few here).
    options = {"time_limit": time_limit, "mip_rel_gap": 0.0, "presolve": "off"}
    res = _lexicographic(objectives, constraints, options, len(var), len(block))
    escalated: dict[str, int] = {}
    for (n, lvl), j in var.items():
        if res.x[j] > 0.5:
            escalated[n] = max(escalated.get(n, own[n]), lvl)
    return escalated, float(getattr(res, "mip_gap", 0.0) or 0.0)


def cover_rows(sets: Sequence[ExposureSet], own: dict[str, int],
                keys: dict[tuple[str, ...], tuple[frozenset[str], tuple[frozenset[str], ...]]]
                | None = None) -> list[tuple[tuple[str, ...], int]]:
    """The cover constraints (set, level) that are not implied by a smaller one.

    Set ``S`` needs a member at ``l`` for every ``l`` above its members' own
    levels up to ``L(S)``. When a set one dataset smaller, contained in ``S``,
    needs the same level, its row implies ``S``'s (whoever covers the part
    covers ``S``), so ``S``'s row is dropped: chains, heavier than their parts
    only at their top levels, add rows only there. Fewer rows, same optimum.
    ``keys`` (members -> the set and its parts one smaller) may be kept
    between calls that meet the same sets, as the timeline's days do.

    Examples
    --------
    >>> from bulkimpact.rulebook import Profile
    >>> p = Profile(frozenset(), True, 1.0, False)
    >>> sets = [ExposureSet(("a", "b"), 2, 1, 1.0, (), p),
    ...         ExposureSet(("a", "b", "c"), 3, 1, 1.0, (), p)]
    >>> cover_rows(sets, {"a": 1, "b": 1, "c": 1})
    [(('a', 'b'), 2), (('a', 'b', 'c'), 3)]
    """
    keys = {} if keys is None else keys
    needs = []
    for s in sets:
        low = max([own[n] for n in s.members]) + 1
        if low <= s.level:
            found = keys.get(s.members)
            if found is None:
                key = frozenset(s.members)
                found = keys[s.members] = (
                    key, tuple(key - {x} for x in key) if len(key) >= 3 else ())
            needs.extend((found, s.members, lvl) for lvl in range(low, s.level + 1))
    present = {(found[0], lvl) for found, _m, lvl in needs}
    return [(ordered, lvl) for found, ordered, lvl in needs
            if not any((part, lvl) in present for part in found[1])]


def _milp(c: np.ndarray, constraints: list[LinearConstraint], options: dict[str, Any],
          n_vars: int) -> SimpleNamespace:
    """One binary MILP through :mod:`highspy`, reported as :func:`scipy.optimize.milp`
    reports it: ``status`` 0 (optimal), 1 (stopped by the time limit) or 2 (else), ``x``
    (None without a feasible point), ``fun``, ``mip_dual_bound``, ``mip_gap``, ``message``.

    highspy lets other threads run while HiGHS solves (the openness readings are assessed
    side by side, :meth:`bulkimpact.analysis.Analysis.to_json`); scipy's milp holds the lock.

    Examples
    --------
    >>> cover = LinearConstraint(np.array([[1.0, 1.0]]), 1.0, np.inf)
    >>> res = _milp(np.array([2.0, 1.0]), [cover], {"time_limit": 10.0}, 2)
    >>> res.status, (res.x > 0.5).tolist(), res.fun
    (0, [False, True], 1.0)
    """
    import highspy

    matrix = sparse.vstack([sparse.csr_matrix(k.A) for k in constraints]).tocsc()
    rows = [k.A.shape[0] for k in constraints]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_vars, matrix.shape[0]
    lp.col_cost_ = np.asarray(c, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.zeros(n_vars), np.ones(n_vars)
    lp.row_lower_ = np.concatenate([np.broadcast_to(np.asarray(k.lb, dtype=float), (m,))
                                    for k, m in zip(constraints, rows, strict=True)])
    lp.row_upper_ = np.concatenate([np.broadcast_to(np.asarray(k.ub, dtype=float), (m,))
                                    for k, m in zip(constraints, rows, strict=True)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_vars
    h = highspy._Highs()  # the plain solver (exported): no banner on stdout, no callbacks
    h.setOptionValue("output_flag", False)
    for name, value in options.items():
        h.setOptionValue(name, value)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    feasible = info.primal_solution_status == 2  # a feasible point was found
    code = (0 if status == highspy.HighsModelStatus.kOptimal
            else 1 if status == highspy.HighsModelStatus.kTimeLimit else 2)
    return SimpleNamespace(
        status=code, message=h.modelStatusToString(status),
        x=np.array(h.getSolution().col_value) if feasible else None,
        fun=float(info.objective_function_value) if feasible else math.nan,
        mip_dual_bound=float(info.mip_dual_bound), mip_gap=float(info.mip_gap))


def _solve(c: np.ndarray, constraints: list[LinearConstraint], options: dict[str, Any],
           n_vars: int, n_cover: int) -> SimpleNamespace:
    """One binary MILP (:func:`_milp`); anything short of proven optimality raises, save a
    solve stopped by the time limit where :func:`escalate` accepts it (``bounded``).

    A stopped solve then gives the best regime HiGHS found; without one, the block's last
    regime (an earlier stage's: it meets every budget added since, which its own values
    set), and in a first stage without one the regime that raises every variable (every
    dataset of the block to its top level: it meets every cover and monotone row). Its
    relative gap to HiGHS's ``mip_dual_bound`` (1 where there is none: the costs are not
    negative, so 0 bounds them) is recorded.

    Examples
    --------
    >>> cover = LinearConstraint(np.array([[1.0, 1.0]]), 1.0, np.inf)
    >>> res = _solve(np.array([2.0, 1.0]), [cover], {"time_limit": 10.0}, 2, 1)
    >>> (res.x > 0.5).tolist(), res.fun
    ([False, True], 1.0)
    """
    res = _milp(c, constraints, options, n_vars)
    limits = _LIMIT_HITS.get()
    if limits is not None and res.status == 1:
        if res.x is None:
            res.x = (np.ones(n_vars) if limits.last is None
                     else np.round(limits.last.x))
            res.fun = float(c @ res.x)
        primal, dual = float(res.fun), getattr(res, "mip_dual_bound", None)
        gap = 1.0
        if dual is not None and math.isfinite(dual) and primal > 0:
            gap = min(1.0, max(0.0, (primal - max(dual, 0.0)) / primal))
        elif primal <= 0:
            gap = 0.0
        limits.gaps.append(gap)
    if limits is not None and res.x is not None and res.status in (0, 1):
        limits.last = res
        return res
    if res.status != 0 or res.x is None:
        raise SolverError(
            f"minimal_escalation: HiGHS did not prove optimality (status {res.status}: "
            f"{res.message}); {n_vars} variables, {n_cover} cover constraints, "
            f"time_limit={options['time_limit']} s. Raise time_limit or reduce the exposure "
            "sets."
        )
    return res


def use_based(scope: Scope, sets: Sequence[ExposureSet]) -> PolicyResult:
    """No escalation; each combination above its members' levels needs an authorisation.

    Every exposure set whose cumulative level exceeds its members' levels is
    authorised case by case at ``L(S)`` when it is used, so none is left
    under-protected *provided every use is authorised before it happens*; the
    price is the authorisation workload (priced by :mod:`bulkimpact.evaluate`:
    uses per year × the authorisation cost at ``L(S)``).

    Examples
    --------
    >>> from bulkimpact.assessor import Assessor
    >>> from bulkimpact.combinations import ExposureSet
    >>> from bulkimpact.rulebook import Profile
    >>> G = nx.Graph(); G.add_node("a", level=1); G.add_node("b", level=1)
    >>> p = Profile(frozenset(), True, 1.0, False)
    >>> sets = [ExposureSet(("a", "b"), 3, 1, 1.0, (), p)]
    >>> use_based(Assessor(G, None).scope(), sets).authorised
    (('a', 'b'),)
    """
    own = scope.own
    authorised = tuple(s.members for s in sets if s.level > max(own[n] for n in s.members))
    return PolicyResult("use_based", dict(own), authorised=authorised)


POLICIES: dict[str, Policy] = {
    "per_dataset": per_dataset,
    "component": component,
    "k_hop": k_hop,
    "threshold": threshold,
    "minimal_escalation": minimal_escalation,
    "use_based": use_based,
}

#: The policies that need no solver (the sweep's cheap set).
FAST_POLICIES = ("per_dataset", "component", "k_hop", "threshold", "use_based")


def get_policy(name: str) -> Policy:
    """Look a policy up by name, with a helpful error.

    Examples
    --------
    >>> get_policy("k_hop").__name__
    'k_hop'
    """
    try:
        return POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown policy {name!r}; choose from {sorted(POLICIES)}") from None

