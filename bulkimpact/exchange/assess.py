"""Per partner over a window: the cumulative level, the crossing date, per provision vs structural.

The model and its assumptions are stated in :mod:`bulkimpact.exchange`. The
exchange is scored with the inventory's engine: each partner's provisions are
nodes of a linkage graph (:func:`exchange_graph`) whose links are weighed by the
formulas and the threshold inventory links use (:mod:`bulkimpact.estimates`,
``rulebook.linkage.min_expected_links``); a linked group's level is
:func:`bulkimpact.combinations.cumulative_level`; distinct persons are
:func:`bulkimpact.persons.distinct_persons`; groups are networkx connected
components.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..combinations import Combination, cumulative_level
from ..estimates import expected_overlap, link_probability
from ..persons import PopulationTree, distinct_persons
from ..problems import InputError
from ..rulebook import Profile, Rulebook
from ..taxonomy import Taxonomy, default_taxonomy
from .log import ExchangeLog, Provision, _cross_check, _order

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RESOLVING_KEYS", "WINDOWS", "APPROACHES", "VIEWS", "UNITS", "FINDING_KINDS",
           "provision_profile", "provision_level", "exchange_graph", "linked_groups",
           "GroupLevel", "WindowLevel", "level_at", "PartnerStep", "PartnerTimeline",
           "partner_timeline", "crossing_date", "ApproachOutcome", "WindowVerdict",
           "ExchangeAssessment", "assess_exchange", "level_findings"]

#: Key namespaces whose values resolve to a person when they recur across provisions
#: (an IP address to its subscriber, an e-mail address or account name to its holder):
#: an assumption of this tool (see the module's notes).
RESOLVING_KEYS = ("ip", "email", "username", "phone")
#: The windows the sensitivity compares, in days; None is the partnership's whole life.
WINDOWS: tuple[int | None, ...] = (30, 90, 365, None)
#: The two readings compared: the ministers' (each provision on its own, art. 62) and the
#: CTIVD's (structural, "in onderlinge samenhang").
APPROACHES = ("per_provision", "structural")
#: What a partner's exchange holds: data received from it as well as data provided to it
#: (the CTIVD's "ontvangen en verstrekken"), or only what the service provided.
VIEWS = ("with_received", "provided_only")
#: Kinds of findings about the log's own statements (``findings`` in the JSON).
FINDING_KINDS = {"level_below_computed": "a provision's stated level is below the level the "
                                         "rulebook gives its fields"}
#: The population id of a log's one reference population in the exchange graph.
_POPULATION = "population"
#: What each number of the JSON record counts.
UNITS = {
    "provisions": "exchanges with a partner in the view: provided to it (art. 62) and, unless "
                  "provided_only, received from it (art. 39)",
    "partners": "partners with at least one exchange in the view",
    "expected_distinct_persons": (
        "expected number of distinct persons: each provision's persons touched an independent "
        "random draw from the log's reference population, N (1 - prod (1 - n_i/N)), stated "
        "overlaps honoured; not a sum"),
    "expected_shared_persons": (
        "expected persons two exchanges share and can be joined on, n_a n_b / N through a "
        "shared key namespace (or the stated overlap); two exchanges are linked only when it "
        "reaches the rulebook's linkage.min_expected_links"),
    "level": "regime level of the rulebook (0 lowest)",
    "own_level": "a provision's level on its own: the higher of the level the rulebook gives "
                 "its fields and the level the log states",
    "crossing_date": ("first date at which a linked group of what the partner holds (within "
                      "the window, over any stretch ending that day) weighs heavier than each "
                      "of its provisions on its own; null if never"),
    "heavier": "assessed above the rulebook's low_intrusion_level",
    "window_days": "rolling window in days (provisions dated t - w < date <= t); null = whole "
                   "partnership",
}


# --- one provision ---------------------------------------------------------------------------


def provision_profile(provision: Provision, taxonomy: Taxonomy | None = None) -> Profile:
    """The profile of one provision, built as :func:`bulkimpact.rulebook.dataset_profile` does.

    Identifiable when a field's category identifies on its own; persons are
    the persons touched; never public (the partner keeps it secret, seed 002).

    Examples
    --------
    >>> p = Provision(id="a", date="2025-01-01", partner="P", direction="provided",
    ...               legal_ground="art62", persons=3, level=1,
    ...               fields=[{"name": "mail", "category": "contact", "key": "email"}])
    >>> provision_profile(p)
    Profile(categories=frozenset({'contact'}), identifiable=True, persons=3.0, public=False)
    """
    taxonomy = taxonomy or default_taxonomy()
    categories = provision.categories()
    return Profile(categories=categories,
                   identifiable=bool(categories & taxonomy.identifying_categories()),
                   persons=float(provision.persons), public=False)


def provision_level(provision: Provision, rulebook: Rulebook,
                    taxonomy: Taxonomy | None = None) -> int:
    """The level the rulebook gives a provision's fields on its own.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> p = Provision(id="a", date="2025-01-01", partner="P", direction="provided",
    ...               legal_ground="art62", persons=300, level=0,
    ...               fields=[{"name": "name", "category": "direct_identifier"},
    ...                       {"name": "mail", "category": "contact", "key": "email"}])
    >>> provision_level(p, rb) > 0
    True
    """
    return rulebook.score(provision_profile(provision, taxonomy), taxonomy).level


def level_findings(log: ExchangeLog, rulebook: Rulebook,
                   taxonomy: Taxonomy | None = None) -> list[dict[str, str]]:
    """Provisions whose stated level is below the one the rulebook gives their fields.

    Returns
    -------
    list of dict
        ``{"kind": "level_below_computed", "id": provision id, "message": …}``.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> log = ExchangeLog(title="t", fictional=True, population={"size": 10_000},
    ...     provisions=[{"id": "a", "date": "2025-01-01", "partner": "P",
    ...                  "direction": "provided", "legal_ground": "art62", "persons": 300,
    ...                  "level": "outside regime",
    ...                  "fields": [{"name": "name", "category": "direct_identifier"}]}])
    >>> [f["kind"] for f in level_findings(log, rb)]
    ['level_below_computed']
    """
    names = rulebook.level_names()
    out = []
    for p in sorted(log.provisions, key=_order):
        stated, computed = log.stated_level(p, rulebook), provision_level(p, rulebook, taxonomy)
        if stated < computed:
            out.append({"kind": "level_below_computed", "id": p.id, "message": (
                f"provision {p.id!r} ({p.partner}, {p.date.isoformat()}) is stated at level "
                f"{stated} ({names[stated]}), but its fields "
                f"({', '.join(sorted(p.categories()))}) give level {computed} "
                f"({names[computed]}) under the rulebook; it is assessed at {computed}")})
    return out


# --- the exchange as a linkage graph -----------------------------------------------------------


def exchange_graph(log: ExchangeLog, rulebook: Rulebook, taxonomy: Taxonomy | None = None
                   ) -> nx.Graph:
    """Every exchange of the log as a node; links within one partner's exchange, by evidence.

    Notes
    -----
    Nodes carry what :func:`bulkimpact.combinations.cumulative_level` and
    :func:`bulkimpact.persons.distinct_persons` read (``profile``, ``level``,
    ``rules``, ``persons``, ``population``, ``population_size``, ``qis``) and
    ``partner``, ``direction``, ``date``. ``level`` is the provision's own
    level: the higher of the rulebook's level for its fields
    (:func:`provision_level`) and the stated one. Two exchanges with the same
    partner sharing a key namespace are linked when the expected persons they
    share and can be joined on, ``n_a n_b / N`` (the stated overlap when the
    log gives one) times :func:`~bulkimpact.estimates.link_probability` of the
    shared keys (match quality 1), reaches ``rulebook.linkage.min_expected_links``
    — the threshold of inventory links. Edges carry ``keys``,
    ``expected_overlap``, ``expected_links``, ``strength`` and ``source``.

    Examples
    --------
    Two provisions of 3 IP addresses drawn from a million do not link; two of
    2,000 do (4 expected shared persons):

    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> ip = [{"name": "ip", "category": "online_identifier", "key": "ip"}]
    >>> def log(n):
    ...     return ExchangeLog(title="t", fictional=True, population={"size": 1_000_000},
    ...         provisions=[{"id": i, "date": d, "partner": "P", "direction": "provided",
    ...                      "legal_ground": "art62", "persons": n, "level": 1, "fields": ip}
    ...                     for i, d in (("a", "2024-01-01"), ("b", "2025-01-01"))])
    >>> exchange_graph(log(3), rb).number_of_edges()
    0
    >>> exchange_graph(log(2_000), rb).edges["a", "b"]["expected_links"]
    4.0
    """
    taxonomy = taxonomy or default_taxonomy()
    size = float(log.population.size)
    known = {tuple(sorted((p.id, o.with_))): float(o.persons)
             for p in log.provisions for o in p.overlaps}
    G = nx.Graph(populations=PopulationTree({_POPULATION: size}, {_POPULATION: None}),
                 known_overlaps=known, known_overlap_datasets=frozenset(
                     n for pair in known for n in pair))
    for p in log.provisions:
        profile = provision_profile(p, taxonomy)
        score = rulebook.score(profile, taxonomy)
        G.add_node(p.id, partner=p.partner, direction=p.direction, date=p.date,
                   profile=profile, persons=float(p.persons), population=_POPULATION,
                   population_size=size, qis={}, keys=p.keys(),
                   level=max(score.level, log.stated_level(p, rulebook)),
                   rules=list(score.rules))
    by_partner: dict[str, list[Provision]] = {}
    for p in log.provisions:
        by_partner.setdefault(p.partner, []).append(p)
    for provisions in by_partner.values():
        for a, b in itertools.combinations(provisions, 2):
            shared = sorted(a.keys() & b.keys())
            if not shared:
                continue
            pair = tuple(sorted((a.id, b.id)))
            overlap = known.get(pair)
            source = "override" if overlap is not None else "estimate"
            if overlap is None:
                overlap = expected_overlap(a.persons, b.persons, size)
            links = overlap * link_probability([1.0] * len(shared))
            if links >= rulebook.linkage.min_expected_links:
                G.add_edge(a.id, b.id, keys=shared, expected_overlap=float(overlap),
                           expected_links=float(links), source=source,
                           strength=float(links / max(1, min(a.persons, b.persons))))
    # Plain lookups for the timelines, which ask for the links inside many groups.
    G.graph["neighbours"] = {n: frozenset(G.adj[n]) for n in G}
    G.graph["links"] = {tuple(sorted((u, v))): (d["expected_links"], tuple(d["keys"]))
                        for u, v, d in G.edges(data=True)}
    return G


def linked_groups(G: nx.Graph, nodes: Collection[str]) -> list[list[str]]:
    """The linked groups among ``nodes``: connected components, each by date, by first date.

    Examples
    --------
    >>> import datetime as dt
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> for n, day in zip("abcd", (1, 2, 3, 4)):
    ...     G.add_node(n, date=dt.date(2025, 1, day))
    >>> linked_groups(G, ["a", "b", "c", "d"])
    [['a', 'b', 'c'], ['d']]
    >>> linked_groups(G, ["a", "c", "d"])
    [['a'], ['c'], ['d']]
    """
    attrs = G.nodes

    def order(n: str) -> tuple[dt.date, str]:
        return (attrs[n]["date"], n)

    groups = (sorted(c, key=order) for c in nx.connected_components(G.subgraph(nodes)))
    return sorted(groups, key=lambda g: order(g[0]))


# --- linked groups and the cumulative level ----------------------------------------------------


@dataclass(frozen=True)
class GroupLevel:
    """A linked group of a partner's exchanges: members, level and why.

    ``persons`` are the expected distinct persons the members hold;
    ``links`` every link inside the group as ``(a, b, expected shared
    persons)``: the evidence that joins them.
    """

    members: tuple[str, ...]
    level: int
    member_level: int
    persons: float
    rules: tuple[str, ...]
    shared_keys: tuple[str, ...]
    links: tuple[tuple[str, str, float], ...] = ()

    @property
    def raised(self) -> bool:
        """Whether the group is heavier than each of its members on its own."""
        return self.level > self.member_level

    @cached_property
    def expected_shared_persons(self) -> float | None:
        """The weakest link that holds the group together: every member is joined to the rest
        through links of at least this many expected shared persons (None for one member)."""
        if not self.links:
            return None
        T = nx.maximum_spanning_tree(nx.Graph((a, b, {"w": w}) for a, b, w in self.links),
                                     weight="w")
        return min(w for _, _, w in T.edges(data="w"))

    def record(self) -> dict[str, Any]:
        """The group as the JSON gives it."""
        return {"members": list(self.members), "level": self.level,
                "member_level": self.member_level, "rules": list(self.rules),
                "expected_distinct_persons": self.persons,
                "expected_shared_persons": self.expected_shared_persons,
                "links": [{"between": [a, b], "expected_shared_persons": w}
                          for a, b, w in self.links]}


def _group_level(G: nx.Graph, members: Sequence[str], rulebook: Rulebook, taxonomy: Taxonomy,
                 resolving_keys: Collection[str], memo: dict[frozenset[str], GroupLevel]
                 ) -> GroupLevel:
    """:func:`~bulkimpact.combinations.cumulative_level` of a linked group, memoised; a group
    joined through a resolving key is identifiable (this tool's assumption)."""
    key = frozenset(members)
    if key in memo:
        return memo[key]
    c: Combination = cumulative_level(G, members, rulebook, taxonomy)
    level, rules = c.level, c.rules
    neighbours, data = G.graph["neighbours"], G.graph["links"]
    inside = frozenset(members)
    edges = sorted((u, v) for u in inside for v in neighbours[u] & inside if u < v)
    links = tuple((u, v, data[u, v][0]) for u, v in edges)
    shared = tuple(sorted({k for e in edges for k in data[e][1]}))
    if len(members) > 1 and not c.profile.identifiable and set(shared) & set(resolving_keys):
        score = rulebook.score(dataclasses.replace(c.profile, identifiable=True), taxonomy)
        level, rules = max(c.member_level, score.level), score.rules
    memo[key] = GroupLevel(tuple(members), level, c.member_level,
                           distinct_persons(G, members), tuple(rules), shared, links)
    return memo[key]


@dataclass(frozen=True)
class WindowLevel:
    """A partner's cumulative level at a date over a window.

    ``level`` is the highest level of any linked group of the window's
    exchanges; ``own_level`` the highest own level of a single one;
    ``persons`` the expected distinct persons the window's exchanges touch;
    ``crossings`` the linked groups, over any stretch of the window ending
    at ``date``, that weigh heavier than each of their members on its own.
    """

    partner: str
    date: dt.date
    window: int | None
    provisions: tuple[str, ...]
    level: int
    own_level: int
    persons: float
    groups: tuple[GroupLevel, ...]
    crossings: tuple[GroupLevel, ...] = ()

    @property
    def raised(self) -> bool:
        """Whether some accumulation in the window weighs heavier than each of its members."""
        return bool(self.crossings)

    @property
    def heaviest_crossing(self) -> GroupLevel | None:
        """The heaviest raised accumulation (the larger one on a tie), or None."""
        return max(self.crossings, key=lambda g: (g.level, len(g.members)), default=None)

    @property
    def rules(self) -> tuple[str, ...]:
        """Rules fired on the heaviest raised accumulation (empty when none is raised)."""
        g = self.heaviest_crossing
        return g.rules if g is not None else ()


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _in_window(day: dt.date, at: dt.date, window: int | None) -> bool:
    return day <= at and (window is None or (at - day).days < window)


def _check_window(window: int | None) -> None:
    if window is not None and (isinstance(window, bool) or not isinstance(window, int)
                               or window < 1):
        raise ValueError(f"window must be a whole number of days ≥ 1, or None for the whole "
                         f"partnership, got {window!r}")


def _view(G: nx.Graph, partner: str, provided_only: bool) -> list[str]:
    """The partner's exchanges in the view, by date."""
    nodes = [n for n, d in G.nodes(data=True) if d["partner"] == partner
             and (not provided_only or d["direction"] == "provided")]
    return sorted(nodes, key=lambda n: (G.nodes[n]["date"], n))


def _stretches(G: nx.Graph, inside: Sequence[str]) -> list[tuple[list[str], bool]]:
    """The linked groups of every stretch ``[s, at]`` of the window, latest start first.

    Exchanges are added from the latest date back (networkx's ``UnionFind``);
    at each start date the groups its exchanges join are yielded, as
    ``(members by date, whether the stretch is the whole window)``. A group
    no exchange of that date touches was yielded at a later start already. The
    last start's groups, with the single exchanges, are the window's groups.
    """
    attrs, neighbours = G.nodes, G.graph["neighbours"]
    order = sorted(inside, key=lambda n: (attrs[n]["date"], n), reverse=True)
    added: set[str] = set()
    uf = nx.utils.UnionFind()
    members: dict[str, set[str]] = {}
    out: list[tuple[list[str], bool]] = []
    for _day, batch in itertools.groupby(order, key=lambda n: attrs[n]["date"]):
        touched = []
        for n in batch:
            members[uf[n]] = {n}
            added.add(n)
            touched.append(n)
            for m in neighbours[n] & added:
                if uf[m] != uf[n]:
                    ra, rb = uf[n], uf[m]
                    uf.union(ra, rb)
                    root = uf[ra]
                    members[root] = members.pop(ra) | members.pop(rb)
        for root in dict.fromkeys(uf[n] for n in touched):
            out.append((sorted(members[root], key=lambda n: (attrs[n]["date"], n)),
                        False))
    if out:  # the whole window: every group that remains
        whole = {uf[n] for n in added}
        out += [(sorted(members[r], key=lambda n: (attrs[n]["date"], n)), True)
                for r in sorted(whole, key=lambda r: min((attrs[n]["date"], n)
                                                         for n in members[r]))]
    return out


def _window_level(G: nx.Graph, partner: str, view: Sequence[str], at: dt.date,
                  window: int | None, rulebook: Rulebook, taxonomy: Taxonomy,
                  resolving_keys: Collection[str], memo: dict[frozenset[str], GroupLevel]
                  ) -> WindowLevel:
    dates = G.nodes
    inside = [n for n in view if _in_window(dates[n]["date"], at, window)]
    # Accumulations over every stretch [s, at] inside the window: a shorter window's content
    # is one of them, so a longer window never hides a crossing a shorter one finds.
    groups: list[GroupLevel] = []
    crossings: dict[frozenset[str], GroupLevel] = {}
    for members, whole in _stretches(G, inside):
        level = _group_level(G, members, rulebook, taxonomy, resolving_keys, memo)
        if whole:
            groups.append(level)
        elif level.raised:
            crossings.setdefault(frozenset(members), level)
    lowest = rulebook.levels[0].level
    return WindowLevel(
        partner=partner, date=at, window=window, provisions=tuple(inside),
        level=max((g.level for g in groups), default=lowest),
        own_level=max((dates[n]["level"] for n in inside), default=lowest),
        persons=distinct_persons(G, inside), groups=tuple(groups),
        crossings=tuple(crossings.values()))


def level_at(log: ExchangeLog, partner: str, at: dt.date | str, rulebook: Rulebook,
             window: int | None = None, taxonomy: Taxonomy | None = None,
             resolving_keys: Collection[str] = RESOLVING_KEYS, provided_only: bool = False,
             graph: nx.Graph | None = None) -> WindowLevel:
    """The cumulative level of the exchange with ``partner`` in the window ending ``at``.

    Parameters
    ----------
    window : int or None
        Days: the exchanges dated ``at - window < date <= at``; None for the
        whole partnership up to ``at``.
    provided_only : bool
        Only what the service provided (art. 62); by default data received
        from the partner count too.
    graph : networkx.Graph, optional
        :func:`exchange_graph` of the log, when the caller has it.

    Notes
    -----
    ``level = max over linked groups S of L(S)``
    (:func:`bulkimpact.combinations.cumulative_level`); 0 exchanges give the
    rulebook's lowest level.

    Examples
    --------
    See the module's example; a date with nothing in the window:

    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> from bulkimpact.exchange import load_exchange_log
    >>> log = load_exchange_log("data/synthetic/exchange/exchange_log.yaml")
    >>> level_at(log, log.partners()[0], "2000-01-01", rb).provisions
    ()
    """
    _check_window(window)
    taxonomy = taxonomy or default_taxonomy()
    G = graph if graph is not None else exchange_graph(log, rulebook, taxonomy)
    return _window_level(G, partner, _view(G, partner, provided_only), _as_date(at), window,
                         rulebook, taxonomy, resolving_keys, {})


@dataclass(frozen=True)
class PartnerStep:
    """One date of a partner's exchange: the window's cumulative level from that date on.

    ``expected_shared_persons`` is the weakest link of the heaviest raised
    accumulation (None when nothing is raised): the evidence the crossing rests on.
    """

    date: dt.date
    level: int
    own_level: int
    provisions: int
    persons: float
    raised: bool
    rules: tuple[str, ...] = ()
    expected_shared_persons: float | None = None


@dataclass(frozen=True)
class PartnerTimeline:
    """A partner's cumulative level over time, its crossing date and per-provision levels.

    ``provision_levels`` maps each exchange with this partner to ``(own level,
    structural level, date from which the structural level applies)``; the
    structural level is the highest level of a group it belonged to while in
    the window. ``level_since`` maps each to the first date its group reached
    each level. ``crossing_groups`` are the raised accumulations on the
    crossing date.
    """

    partner: str
    window: int | None
    steps: tuple[PartnerStep, ...]
    crossing: dt.date | None
    provision_levels: dict[str, tuple[int, int, dt.date]] = field(default_factory=dict)
    level_since: dict[str, dict[int, dt.date]] = field(default_factory=dict)
    crossing_groups: tuple[GroupLevel, ...] = ()

    def above_since(self, provision_id: str, threshold: int) -> dt.date | None:
        """The first date a provision was assessed above ``threshold`` structurally (its own
        date when its own level already is), or None if never."""
        return min((d for level, d in self.level_since[provision_id].items()
                    if level > threshold), default=None)

    @property
    def peak_level(self) -> int:
        """The highest cumulative level reached."""
        return max((s.level for s in self.steps), default=0)

    def to_frame(self) -> pd.DataFrame:
        """One row per step: date, level, own_level (highest single provision), provisions,
        expected_distinct_persons (in the window), raised, expected_shared_persons."""
        import pandas as pd

        return pd.DataFrame([{"partner": self.partner, "date": s.date, "level": s.level,
                              "own_level": s.own_level, "provisions": s.provisions,
                              "expected_distinct_persons": s.persons, "raised": s.raised,
                              "expected_shared_persons": s.expected_shared_persons}
                             for s in self.steps])


def _change_dates(days: Collection[dt.date], window: int | None,
                  until: dt.date) -> list[dt.date]:
    dates = set(days)
    if window is not None:
        dates |= {d + dt.timedelta(days=window) for d in days}
    return sorted(d for d in dates if d <= until)


def partner_timeline(log: ExchangeLog, partner: str, rulebook: Rulebook,
                     window: int | None = None, taxonomy: Taxonomy | None = None,
                     resolving_keys: Collection[str] = RESOLVING_KEYS,
                     until: dt.date | str | None = None, provided_only: bool = False,
                     graph: nx.Graph | None = None) -> PartnerTimeline:
    """A partner's cumulative level at every date its window changes, and its crossing date.

    Parameters
    ----------
    until : date, optional
        Last date evaluated; the log's last date by default.
    provided_only, graph
        As in :func:`level_at`.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> from bulkimpact.exchange import load_exchange_log
    >>> log = load_exchange_log("data/synthetic/exchange/exchange_log.yaml")
    >>> t = partner_timeline(log, "Fictional Sentinel Labs", rb, window=90)
    >>> t.crossing is not None and t.peak_level > 0
    True
    """
    _check_window(window)
    taxonomy = taxonomy or default_taxonomy()
    G = graph if graph is not None else exchange_graph(log, rulebook, taxonomy)
    view = _view(G, partner, provided_only)
    if not view:
        raise ValueError(f"no exchanges with partner {partner!r} in the log"
                         + (" (provided only)" if provided_only else "")
                         + f"; partners: {log.partners()}")
    end = _as_date(until) if until is not None else log.last_date()
    steps, crossing, crossing_groups = [], None, ()
    memo: dict[frozenset[str], GroupLevel] = {}
    levels = {n: (G.nodes[n]["level"], G.nodes[n]["level"], G.nodes[n]["date"]) for n in view}
    since = {n: {levels[n][0]: G.nodes[n]["date"]} for n in view}
    for at in _change_dates({G.nodes[n]["date"] for n in view}, window, end):
        w = _window_level(G, partner, view, at, window, rulebook, taxonomy, resolving_keys,
                          memo)
        heaviest = w.heaviest_crossing
        steps.append(PartnerStep(at, w.level, w.own_level, len(w.provisions), w.persons,
                                 w.raised, w.rules, heaviest.expected_shared_persons
                                 if heaviest is not None else None))
        if crossing is None and w.raised:
            crossing, crossing_groups = at, w.crossings
        for g in w.groups:
            for pid in g.members:
                own, structural, _ = levels[pid]
                if g.level > structural:
                    levels[pid] = (own, g.level, at)
                since[pid].setdefault(g.level, at)
    return PartnerTimeline(partner, window, tuple(steps), crossing, levels, since,
                           crossing_groups)


def crossing_date(log: ExchangeLog, partner: str, rulebook: Rulebook,
                  window: int | None = None, **kwargs: Any) -> dt.date | None:
    """The first date at which an accumulation of the partner's exchange weighs heavier than
    each of its members on its own; None if never (see :func:`partner_timeline`)."""
    return partner_timeline(log, partner, rulebook, window, **kwargs).crossing


# --- per provision against structural ------------------------------------------------------------


@dataclass(frozen=True)
class ApproachOutcome:
    """What one approach brings under a heavier safeguard (above the low-intrusion level).

    ``first`` is the date from which the first provision is under it (None if none is).
    """

    approach: str
    window: int | None
    provisions: int
    partners: int
    persons: float
    first: dt.date | None


@dataclass(frozen=True)
class WindowVerdict:
    """The verdict under one window length."""

    window: int | None
    partners_crossing: int
    first_crossing: dt.date | None
    provisions_raised: int
    structural: ApproachOutcome
    per_provision: ApproachOutcome

    def row(self) -> dict[str, Any]:
        """One row of the sensitivity table (the JSON keys)."""
        return {"window_days": self.window, "partners_crossing": self.partners_crossing,
                "first_crossing": _iso(self.first_crossing),
                "provisions_raised": self.provisions_raised,
                "provisions_heavier_per_provision": self.per_provision.provisions,
                "provisions_heavier_structural": self.structural.provisions,
                "partners_heavier_structural": self.structural.partners,
                "expected_distinct_persons_heavier_structural": self.structural.persons,
                "structural_heavier_from": _iso(self.structural.first)}


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _outcomes(G: nx.Graph, timelines: dict[str, PartnerTimeline], window: int | None,
              threshold: int) -> tuple[ApproachOutcome, ApproachOutcome, int]:
    result = []
    for approach in APPROACHES:
        heavier: dict[str, dt.date] = {}
        for t in timelines.values():
            for pid, (own, structural, _) in t.provision_levels.items():
                if approach == "per_provision" and own > threshold:
                    heavier[pid] = G.nodes[pid]["date"]
                elif approach == "structural" and structural > threshold:
                    heavier[pid] = t.above_since(pid, threshold)
        result.append(ApproachOutcome(
            approach, window, len(heavier), len({G.nodes[p]["partner"] for p in heavier}),
            distinct_persons(G, sorted(heavier)), min(heavier.values(), default=None)))
    raised = sum(structural > own for t in timelines.values()
                 for own, structural, _ in t.provision_levels.values())
    return result[0], result[1], raised


def _timelines(log: ExchangeLog, G: nx.Graph, rulebook: Rulebook, window: int | None,
               taxonomy: Taxonomy, resolving_keys: Collection[str], provided_only: bool
               ) -> dict[str, PartnerTimeline]:
    return {partner: partner_timeline(log, partner, rulebook, window, taxonomy, resolving_keys,
                                      provided_only=provided_only, graph=G)
            for partner in log.partners() if _view(G, partner, provided_only)}


def _verdict(G: nx.Graph, timelines: dict[str, PartnerTimeline], window: int | None,
             threshold: int) -> WindowVerdict:
    per_provision, structural, raised = _outcomes(G, timelines, window, threshold)
    crossings = [t.crossing for t in timelines.values() if t.crossing is not None]
    return WindowVerdict(window, len(crossings), min(crossings, default=None), raised,
                         structural, per_provision)


@dataclass(frozen=True)
class ExchangeAssessment:
    """Per-provision against structural assessment of an exchange log.

    ``timelines`` (partner → :class:`PartnerTimeline`) and ``verdict`` are
    for the chosen ``window`` and view (``provided_only`` or, by default, data
    received from a partner as well); ``other_timelines`` are the other
    view's, for the same window; ``sensitivity`` repeats the verdict for every
    window of :data:`WINDOWS` (and the chosen one); ``findings`` are the
    log's own statements the rulebook contradicts (:func:`level_findings`).
    """

    log: ExchangeLog
    rulebook: Rulebook
    window: int | None
    threshold: int
    timelines: dict[str, PartnerTimeline]
    verdict: WindowVerdict
    sensitivity: tuple[WindowVerdict, ...]
    resolving_keys: tuple[str, ...] = RESOLVING_KEYS
    provided_only: bool = False
    graph: nx.Graph = field(default_factory=nx.Graph, repr=False)
    other_timelines: dict[str, PartnerTimeline] = field(default_factory=dict)
    other_verdict: WindowVerdict | None = None
    findings: tuple[dict[str, str], ...] = ()

    @property
    def view(self) -> str:
        """``provided_only`` or ``with_received``."""
        return VIEWS[1] if self.provided_only else VIEWS[0]

    def exchanged(self, partner: str | None = None) -> list[Provision]:
        """The exchanges in the chosen view, by date, with one partner or all."""
        return self.log.exchanged(partner, self.provided_only)

    def partners_frame(self) -> pd.DataFrame:
        """One row per partner: exchanges, levels, crossing date, distinct persons."""
        import pandas as pd

        return pd.DataFrame([self._partner_record(p) for p in self.timelines])

    def _partner_record(self, partner: str, timelines: dict[str, PartnerTimeline] | None = None,
                        provided_only: bool | None = None) -> dict[str, Any]:
        timelines = self.timelines if timelines is None else timelines
        provided_only = self.provided_only if provided_only is None else provided_only
        t = timelines[partner]
        provisions = self.log.exchanged(partner, provided_only)
        levels = t.provision_levels
        per_from = min((p.date for p in provisions if levels[p.id][0] > self.threshold),
                       default=None)
        str_from = min((d for p in provisions
                        if (d := t.above_since(p.id, self.threshold)) is not None), default=None)
        return {
            "partner": partner,
            "provisions": len(provisions),
            "first_provision": _iso(provisions[0].date),
            "last_provision": _iso(provisions[-1].date),
            "own_level_max": max(levels[p.id][0] for p in provisions),
            "cumulative_level_max": t.peak_level,
            "crossing_date": _iso(t.crossing),
            "provisions_raised": sum(levels[p.id][1] > levels[p.id][0] for p in provisions),
            "expected_distinct_persons": distinct_persons(self.graph, [p.id for p in provisions]),
            "heavier_from_per_provision": _iso(per_from),
            "heavier_from_structural": _iso(str_from),
            "provisions_received": sum(p.direction == "received" for p in provisions),
            "crossing_accumulations": [g.record() for g in t.crossing_groups],
        }

    def _partner_views(self, partner: str) -> dict[str, Any]:
        """The partner's record under both views (None where it has nothing in a view)."""
        mine = {self.view: self._partner_record(partner)}
        other = VIEWS[0] if self.provided_only else VIEWS[1]
        mine[other] = (self._partner_record(partner, self.other_timelines, not self.provided_only)
                       if partner in self.other_timelines else None)
        return mine

    def timeline_frame(self) -> pd.DataFrame:
        """Every partner's timeline steps (see :meth:`PartnerTimeline.to_frame`)."""
        import pandas as pd

        frames = [t.to_frame() for t in self.timelines.values()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def provisions_frame(self) -> pd.DataFrame:
        """One row per exchange with a partner: own level, structural level and since when."""
        import pandas as pd

        rows = []
        for partner, t in self.timelines.items():
            for p in self.exchanged(partner):
                own, structural, since = t.provision_levels[p.id]
                rows.append({"id": p.id, "partner": partner, "date": p.date,
                             "direction": p.direction, "persons_touched": p.persons,
                             "own_level": own, "structural_level": structural,
                             "structural_since": since if structural > own else None,
                             "categories": ", ".join(sorted(p.categories())),
                             "keys": ", ".join(sorted(p.keys()))})
        return pd.DataFrame(rows)

    def comparison_frame(self) -> pd.DataFrame:
        """Per approach (rows): provisions, partners, expected distinct persons under a
        heavier safeguard, and from when (chosen window)."""
        import pandas as pd

        return pd.DataFrame([_approach_record(o) for o in
                             (self.verdict.per_provision, self.verdict.structural)])

    def sensitivity_frame(self) -> pd.DataFrame:
        """The verdict per window length (rows; None = whole partnership)."""
        import pandas as pd

        return pd.DataFrame([v.row() for v in self.sensitivity])

    def to_json(self) -> dict[str, Any]:
        """The record ``bulkimpact exchange --json`` prints (a stable contract)."""
        rb, log = self.rulebook, self.log
        views = {self.view: self.verdict}
        if self.other_verdict is not None:
            views[VIEWS[0] if self.provided_only else VIEWS[1]] = self.other_verdict
        return {
            "log": {"title": log.title, "fictional": log.fictional, "path": log.source_path,
                    "population": {"name": log.population.name, "size": log.population.size},
                    "provisions": len(log.provisions),
                    "provisions_provided": len(log.provided()),
                    "provisions_received": len(log.provisions) - len(log.provided()),
                    "partners": len(self.timelines)},
            "rulebook": {"title": rb.title, "illustrative": rb.illustrative,
                         "path": rb.source_path, "levels": rb.level_names()},
            "window_days": self.window,
            "view": self.view,
            "heavier_than": {"level": self.threshold,
                             "name": rb.level_names()[self.threshold]},
            "resolving_keys": list(self.resolving_keys),
            "min_expected_links": rb.linkage.min_expected_links,
            "partners": [{**self._partner_record(p), **self._partner_views(p)}
                         for p in self.timelines],
            "approaches": [_approach_record(o) for o in
                           (self.verdict.per_provision, self.verdict.structural)],
            "views": {name: {"partners_crossing": v.partners_crossing,
                             "first_crossing": _iso(v.first_crossing),
                             "approaches": [_approach_record(o) for o in
                                            (v.per_provision, v.structural)]}
                      for name, v in views.items()},
            "provisions_raised": self.verdict.provisions_raised,
            "sensitivity": [v.row() for v in self.sensitivity],
            "findings": list(self.findings),
            "units": dict(UNITS),
        }


def _approach_record(o: ApproachOutcome) -> dict[str, Any]:
    return {"approach": o.approach, "window_days": o.window, "provisions": o.provisions,
            "partners": o.partners, "expected_distinct_persons": o.persons,
            "from": _iso(o.first)}


def assess_exchange(log: ExchangeLog, rulebook: Rulebook, window: int | None = None,
                    windows: Sequence[int | None] = WINDOWS, taxonomy: Taxonomy | None = None,
                    resolving_keys: Collection[str] = RESOLVING_KEYS,
                    provided_only: bool = False) -> ExchangeAssessment:
    """Per provision against structural: every partner's timeline and the verdict per window.

    Parameters
    ----------
    window : int or None
        The window of the timelines and the main verdict (days; None = whole
        partnership).
    windows : sequence
        The windows of the sensitivity table (the chosen window is added).
    provided_only : bool
        Count only what the service provided; by default data received from
        a partner accumulate with data provided to it where they concern the
        same persons. The other view is computed too (``other_timelines``).

    Raises
    ------
    ValueError
        A level the rulebook does not have (located by file, item and field),
        or a window that is not a whole number of days ≥ 1.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> from bulkimpact.exchange import load_exchange_log
    >>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"), rb,
    ...                     window=90)
    >>> [v.window for v in a.sensitivity]
    [30, 90, 365, None]
    >>> a.verdict.structural.provisions >= a.verdict.per_provision.provisions
    True
    """
    _check_window(window)
    for w in windows:
        _check_window(w)
    taxonomy = taxonomy or default_taxonomy()
    problems = _cross_check({"provisions": [p.model_dump(mode="json", by_alias=True)
                                            for p in log.provisions]},
                            log.source_path or "<exchange log>", taxonomy, rulebook)
    if problems:
        raise InputError(problems)
    threshold = rulebook.low_intrusion_level
    keys = tuple(resolving_keys)
    G = exchange_graph(log, rulebook, taxonomy)
    by_window: dict[int | None, WindowVerdict] = {}
    timelines: dict[str, PartnerTimeline] = {}
    for w in dict.fromkeys([window, *windows]):
        t = _timelines(log, G, rulebook, w, taxonomy, keys, provided_only)
        by_window[w] = _verdict(G, t, w, threshold)
        if w == window:
            timelines = t
    other = _timelines(log, G, rulebook, window, taxonomy, keys, not provided_only)
    sensitivity = sorted(by_window.values(),
                         key=lambda v: math.inf if v.window is None else v.window)
    return ExchangeAssessment(log, rulebook, window, threshold, timelines, by_window[window],
                              tuple(sensitivity), keys, provided_only, G, other,
                              _verdict(G, other, window, threshold) if other else None,
                              tuple(level_findings(log, rulebook, taxonomy)))
