"""Per partner over a window: the cumulative level, the crossing date, per provision vs structural.

The model and its assumptions are stated in :mod:`bulkimpact.exchange`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..persons import PopulationTree, union_size
from ..problems import InputError
from ..rulebook import Profile, Rulebook
from ..taxonomy import Taxonomy, default_taxonomy
from .log import ExchangeLog, Provision, _cross_check, _order

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RESOLVING_KEYS", "WINDOWS", "APPROACHES", "UNITS", "provision_profile",
           "linked_groups", "distinct_persons", "union_profile", "GroupLevel", "WindowLevel",
           "level_at", "TimelineStep", "PartnerTimeline", "partner_timeline", "crossing_date",
           "ApproachOutcome", "WindowVerdict", "ExchangeAssessment", "assess_exchange"]

#: Key namespaces whose values resolve to a person when they recur across provisions
#: (an IP address to its subscriber, an e-mail address or account name to its holder):
#: an assumption of this tool (see the module's notes).
RESOLVING_KEYS = ("ip", "email", "username", "phone")
#: The windows the sensitivity compares, in days; None is the partnership's whole life.
WINDOWS: tuple[int | None, ...] = (30, 90, 365, None)
#: The two readings compared: the ministers' (each provision on its own, art. 62) and the
#: CTIVD's (structural, "in onderlinge samenhang").
APPROACHES = ("per_provision", "structural")
#: What each number of the JSON record counts.
UNITS = {
    "provisions": "provisions by the service to a partner (direction 'provided')",
    "partners": "partners with at least one such provision",
    "expected_distinct_persons": (
        "expected number of distinct persons: each provision's persons touched an independent "
        "random draw from the log's reference population, N (1 - prod (1 - n_i/N)); not a sum"),
    "level": "regime level of the rulebook (0 lowest)",
    "crossing_date": ("first date at which the partner's cumulative level exceeds every single "
                      "provision's own level in the window; null if never"),
    "heavier": "assessed above the rulebook's low_intrusion_level",
    "window_days": "rolling window in days (provisions dated t - w < date <= t); null = whole "
                   "partnership",
}


# --- profiles, links and the cumulative level --------------------------------------------------


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


def linked_groups(provisions: Sequence[Provision]) -> list[list[Provision]]:
    """Provisions joined by shared key namespaces: connected components, each sorted by date.

    Examples
    --------
    >>> def prov(i, *keys):
    ...     return Provision(id=i, date="2025-01-01", partner="P", direction="provided",
    ...                      legal_ground="art62", persons=1, level=1, fields=[
    ...                          {"name": k, "category": "online_identifier", "key": k}
    ...                          for k in keys] or [{"name": "h", "category": "technical"}])
    >>> [[p.id for p in g] for g in linked_groups(
    ...     [prov("a", "ip"), prov("b", "ip", "email"), prov("c", "email"), prov("d")])]
    [['a', 'b', 'c'], ['d']]
    """
    parent = list(range(len(provisions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for i, p in enumerate(provisions):
        for key in p.keys():
            j = first_with.setdefault(key, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[Provision]] = {}
    for i, p in enumerate(provisions):
        groups.setdefault(find(i), []).append(p)
    return sorted((sorted(g, key=_order) for g in groups.values()),
                  key=lambda g: _order(g[0]))


def _shared_keys(group: Sequence[Provision]) -> frozenset[str]:
    seen: dict[str, int] = {}
    for p in group:
        for key in p.keys():
            seen[key] = seen.get(key, 0) + 1
    return frozenset(k for k, n in seen.items() if n >= 2)


def _tree(population_size: float) -> PopulationTree:
    return PopulationTree({"population": float(population_size)}, {"population": None})


def distinct_persons(provisions: Iterable[Provision], population_size: float) -> float:
    """Expected distinct persons touched by provisions (independent draws; not a sum).

    Examples
    --------
    >>> def prov(i, n):
    ...     return Provision(id=i, date="2025-01-01", partner="P", direction="provided",
    ...                      legal_ground="art62", persons=n, level=1,
    ...                      fields=[{"name": "ip", "category": "online_identifier"}])
    >>> distinct_persons([prov("a", 500), prov("b", 500)], 1_000)
    750.0
    """
    return union_size([("population", p.persons) for p in provisions], _tree(population_size))


def union_profile(group: Sequence[Provision], population_size: float,
                  taxonomy: Taxonomy | None = None,
                  resolving_keys: Collection[str] = RESOLVING_KEYS) -> Profile:
    """The profile of a linked group of provisions, as the partner holds them together.

    Notes
    -----
    Categories: union. Identifiable: a member identifiable on its own, or a
    key namespace of ``resolving_keys`` shared by at least two members (the
    same IP address, e-mail address or account name recurring with new context
    each time). Persons: expected distinct persons (:func:`distinct_persons`).
    Public: never. Every clause only grows as members are added.

    Examples
    --------
    >>> def prov(i, n, *fields):
    ...     return Provision(id=i, date="2025-01-01", partner="P", direction="provided",
    ...                      legal_ground="art62", persons=n, level=1, fields=list(fields))
    >>> ip = {"name": "ip", "category": "online_identifier", "key": "ip"}
    >>> p = union_profile([prov("a", 500, ip), prov("b", 500, ip)], 1_000)
    >>> p.identifiable, p.persons
    (True, 750.0)
    >>> union_profile([prov("a", 500, ip), prov("b", 500, ip)], 1_000,
    ...               resolving_keys=()).identifiable
    False
    """
    taxonomy = taxonomy or default_taxonomy()
    profiles = [provision_profile(p, taxonomy) for p in group]
    identifiable = any(p.identifiable for p in profiles) or (
        len(group) >= 2 and bool(_shared_keys(group) & set(resolving_keys)))
    return Profile(categories=frozenset().union(*(p.categories for p in profiles)),
                   identifiable=identifiable,
                   persons=distinct_persons(group, population_size), public=False)


@dataclass(frozen=True)
class GroupLevel:
    """A linked group in a window: members, level and why."""

    members: tuple[str, ...]
    level: int
    member_level: int
    persons: float
    rules: tuple[str, ...]
    shared_keys: tuple[str, ...]

    @property
    def raised(self) -> bool:
        """Whether the group is heavier than each of its members on its own."""
        return self.level > self.member_level


@dataclass(frozen=True)
class WindowLevel:
    """A partner's cumulative level at a date over a window.

    ``level`` is the highest level of any linked group of the window's
    provisions; ``own_level`` the highest own level of a single provision;
    ``persons`` the expected distinct persons the window's provisions touch.
    """

    partner: str
    date: dt.date
    window: int | None
    provisions: tuple[str, ...]
    level: int
    own_level: int
    persons: float
    groups: tuple[GroupLevel, ...]

    @property
    def raised(self) -> bool:
        """Whether the cumulative level exceeds every single provision's own level."""
        return self.level > self.own_level

    @property
    def rules(self) -> tuple[str, ...]:
        """Rules fired on the heaviest raised group (empty when none is raised)."""
        raised = [g for g in self.groups if g.raised]
        return max(raised, key=lambda g: g.level).rules if raised else ()


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _in_window(p: Provision, at: dt.date, window: int | None) -> bool:
    return p.date <= at and (window is None or (at - p.date).days < window)


def _check_window(window: int | None) -> None:
    if window is not None and (isinstance(window, bool) or not isinstance(window, int)
                               or window < 1):
        raise ValueError(f"window must be a whole number of days ≥ 1, or None for the whole "
                         f"partnership, got {window!r}")


def _levels(provisions: Sequence[Provision], log: ExchangeLog, rulebook: Rulebook,
            taxonomy: Taxonomy, resolving_keys: Collection[str],
            own: dict[str, int]) -> list[GroupLevel]:
    out = []
    for group in linked_groups(provisions):
        member_level = max(own[p.id] for p in group)
        shared = tuple(sorted(_shared_keys(group)))
        if len(group) == 1:  # a single provision is no combination: its own level
            out.append(GroupLevel((group[0].id,), member_level, member_level,
                                  float(group[0].persons), (), shared))
            continue
        profile = union_profile(group, log.population.size, taxonomy, resolving_keys)
        score = rulebook.score(profile, taxonomy)
        out.append(GroupLevel(tuple(p.id for p in group), max(member_level, score.level),
                              member_level, profile.persons, score.rules, shared))
    return out


def level_at(log: ExchangeLog, partner: str, at: dt.date | str, rulebook: Rulebook,
             window: int | None = None, taxonomy: Taxonomy | None = None,
             resolving_keys: Collection[str] = RESOLVING_KEYS) -> WindowLevel:
    """The cumulative level of what ``partner`` has received in the window ending ``at``.

    Parameters
    ----------
    window : int or None
        Days: the provisions dated ``at - window < date <= at``; None for the
        whole partnership up to ``at``.

    Notes
    -----
    ``level = max over linked groups G of max(max_{p in G} own(p),
    rulebook(union profile of G))`` (:func:`union_profile`); 0 provisions give
    the rulebook's lowest level.

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
    at = _as_date(at)
    inside = [p for p in log.provided(partner) if _in_window(p, at, window)]
    own = {p.id: log.own_level(p, rulebook) for p in inside}
    groups = _levels(inside, log, rulebook, taxonomy, resolving_keys, own)
    lowest = rulebook.levels[0].level
    return WindowLevel(
        partner=partner, date=at, window=window, provisions=tuple(p.id for p in inside),
        level=max((g.level for g in groups), default=lowest),
        own_level=max(own.values(), default=lowest),
        persons=distinct_persons(inside, log.population.size), groups=tuple(groups))


@dataclass(frozen=True)
class TimelineStep:
    """One date of a partner's timeline: the window's cumulative level from that date on."""

    date: dt.date
    level: int
    own_level: int
    provisions: int
    persons: float
    raised: bool
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerTimeline:
    """A partner's cumulative level over time, its crossing date and per-provision levels.

    ``provision_levels`` maps each provision (to this partner) to ``(own level,
    structural level, date from which the structural level applies)``; the
    structural level is the highest level of a group it belonged to while in
    the window. ``level_since`` maps each provision to the first date its group
    reached each level (a provision raised from light to medium in February and
    to heavy in November has both dates).
    """

    partner: str
    window: int | None
    steps: tuple[TimelineStep, ...]
    crossing: dt.date | None
    provision_levels: dict[str, tuple[int, int, dt.date]] = field(default_factory=dict)
    level_since: dict[str, dict[int, dt.date]] = field(default_factory=dict)

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
        expected_distinct_persons (in the window), raised."""
        import pandas as pd

        return pd.DataFrame([{"partner": self.partner, "date": s.date, "level": s.level,
                              "own_level": s.own_level, "provisions": s.provisions,
                              "expected_distinct_persons": s.persons, "raised": s.raised}
                             for s in self.steps])


def _change_dates(provisions: Sequence[Provision], window: int | None,
                  until: dt.date) -> list[dt.date]:
    dates = {p.date for p in provisions}
    if window is not None:
        dates |= {p.date + dt.timedelta(days=window) for p in provisions}
    return sorted(d for d in dates if d <= until)


def partner_timeline(log: ExchangeLog, partner: str, rulebook: Rulebook,
                     window: int | None = None, taxonomy: Taxonomy | None = None,
                     resolving_keys: Collection[str] = RESOLVING_KEYS,
                     until: dt.date | str | None = None) -> PartnerTimeline:
    """A partner's cumulative level at every date its window changes, and its crossing date.

    Parameters
    ----------
    until : date, optional
        Last date evaluated; the log's last date by default.

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
    provisions = log.provided(partner)
    if not provisions:
        raise ValueError(f"no provisions to partner {partner!r} in the log; partners: "
                         f"{log.partners()}")
    end = _as_date(until) if until is not None else log.last_date()
    steps, crossing = [], None
    levels: dict[str, tuple[int, int, dt.date]] = {
        p.id: (log.own_level(p, rulebook),) * 2 + (p.date,) for p in provisions}
    since: dict[str, dict[int, dt.date]] = {p.id: {levels[p.id][0]: p.date} for p in provisions}
    for at in _change_dates(provisions, window, end):
        w = level_at(log, partner, at, rulebook, window, taxonomy, resolving_keys)
        steps.append(TimelineStep(at, w.level, w.own_level, len(w.provisions), w.persons,
                                  w.raised, w.rules))
        if crossing is None and w.raised:
            crossing = at
        for g in w.groups:
            for pid in g.members:
                own, structural, _ = levels[pid]
                if g.level > structural:
                    levels[pid] = (own, g.level, at)
                since[pid].setdefault(g.level, at)
    return PartnerTimeline(partner, window, tuple(steps), crossing, levels, since)


def crossing_date(log: ExchangeLog, partner: str, rulebook: Rulebook,
                  window: int | None = None, **kwargs: Any) -> dt.date | None:
    """The first date at which the partner's cumulative level exceeds every single provision's
    own level in the window; None if it never does (see :func:`partner_timeline`)."""
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


def _outcomes(log: ExchangeLog, timelines: dict[str, PartnerTimeline], window: int | None,
              threshold: int) -> tuple[ApproachOutcome, ApproachOutcome, int]:
    by_id = {p.id: p for p in log.provided()}
    result = []
    for approach in APPROACHES:
        heavier: dict[str, dt.date] = {}
        for t in timelines.values():
            for pid, (own, structural, _) in t.provision_levels.items():
                if approach == "per_provision" and own > threshold:
                    heavier[pid] = by_id[pid].date
                elif approach == "structural" and structural > threshold:
                    heavier[pid] = t.above_since(pid, threshold)
        result.append(ApproachOutcome(
            approach, window, len(heavier), len({by_id[p].partner for p in heavier}),
            distinct_persons([by_id[p] for p in heavier], log.population.size),
            min(heavier.values(), default=None)))
    raised = sum(structural > own for t in timelines.values()
                 for own, structural, _ in t.provision_levels.values())
    return result[0], result[1], raised


@dataclass(frozen=True)
class ExchangeAssessment:
    """Per-provision against structural assessment of an exchange log.

    ``timelines`` (partner → :class:`PartnerTimeline`) and ``verdict`` are
    for the chosen ``window``; ``sensitivity`` repeats the verdict for every
    window of :data:`WINDOWS` (and the chosen one).
    """

    log: ExchangeLog
    rulebook: Rulebook
    window: int | None
    threshold: int
    timelines: dict[str, PartnerTimeline]
    verdict: WindowVerdict
    sensitivity: tuple[WindowVerdict, ...]
    resolving_keys: tuple[str, ...] = RESOLVING_KEYS

    def partners_frame(self) -> pd.DataFrame:
        """One row per partner: provisions, levels, crossing date, distinct persons."""
        import pandas as pd

        return pd.DataFrame([self._partner_record(p) for p in self.timelines])

    def _partner_record(self, partner: str) -> dict[str, Any]:
        t = self.timelines[partner]
        provisions = self.log.provided(partner)
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
            "expected_distinct_persons": distinct_persons(provisions, self.log.population.size),
            "heavier_from_per_provision": _iso(per_from),
            "heavier_from_structural": _iso(str_from),
        }

    def timeline_frame(self) -> pd.DataFrame:
        """Every partner's timeline steps (see :meth:`PartnerTimeline.to_frame`)."""
        import pandas as pd

        frames = [t.to_frame() for t in self.timelines.values()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def provisions_frame(self) -> pd.DataFrame:
        """One row per provision to a partner: own level, structural level and since when."""
        import pandas as pd

        rows = []
        for partner, t in self.timelines.items():
            for p in self.log.provided(partner):
                own, structural, since = t.provision_levels[p.id]
                rows.append({"id": p.id, "partner": partner, "date": p.date,
                             "persons_touched": p.persons, "own_level": own,
                             "structural_level": structural,
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
        return {
            "log": {"title": log.title, "fictional": log.fictional, "path": log.source_path,
                    "population": {"name": log.population.name, "size": log.population.size},
                    "provisions": len(log.provisions),
                    "provisions_provided": len(log.provided()),
                    "partners": len(self.timelines)},
            "rulebook": {"title": rb.title, "illustrative": rb.illustrative,
                         "path": rb.source_path, "levels": rb.level_names()},
            "window_days": self.window,
            "heavier_than": {"level": self.threshold,
                             "name": rb.level_names()[self.threshold]},
            "resolving_keys": list(self.resolving_keys),
            "partners": [self._partner_record(p) for p in self.timelines],
            "approaches": [_approach_record(o) for o in
                           (self.verdict.per_provision, self.verdict.structural)],
            "provisions_raised": self.verdict.provisions_raised,
            "sensitivity": [v.row() for v in self.sensitivity],
            "units": dict(UNITS),
        }


def _approach_record(o: ApproachOutcome) -> dict[str, Any]:
    return {"approach": o.approach, "window_days": o.window, "provisions": o.provisions,
            "partners": o.partners, "expected_distinct_persons": o.persons,
            "from": _iso(o.first)}


def _verdict(log: ExchangeLog, rulebook: Rulebook, window: int | None, threshold: int,
             taxonomy: Taxonomy, resolving_keys: Collection[str]
             ) -> tuple[dict[str, PartnerTimeline], WindowVerdict]:
    timelines = {partner: partner_timeline(log, partner, rulebook, window, taxonomy,
                                           resolving_keys)
                 for partner in log.partners() if log.provided(partner)}
    per_provision, structural, raised = _outcomes(log, timelines, window, threshold)
    crossings = [t.crossing for t in timelines.values() if t.crossing is not None]
    return timelines, WindowVerdict(window, len(crossings), min(crossings, default=None),
                                    raised, structural, per_provision)


def assess_exchange(log: ExchangeLog, rulebook: Rulebook, window: int | None = None,
                    windows: Sequence[int | None] = WINDOWS, taxonomy: Taxonomy | None = None,
                    resolving_keys: Collection[str] = RESOLVING_KEYS) -> ExchangeAssessment:
    """Per provision against structural: every partner's timeline and the verdict per window.

    Parameters
    ----------
    window : int or None
        The window of the timelines and the main verdict (days; None = whole
        partnership).
    windows : sequence
        The windows of the sensitivity table (the chosen window is added).

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
    problems = _cross_check({"provisions": [p.model_dump(mode="json") for p in log.provisions]},
                            log.source_path or "<exchange log>", taxonomy, rulebook)
    if problems:
        raise InputError(problems)
    threshold = rulebook.low_intrusion_level
    keys = tuple(resolving_keys)
    timelines, verdict = _verdict(log, rulebook, window, threshold, taxonomy, keys)
    sensitivity = []
    for w in list(dict.fromkeys([*windows, window])):
        sensitivity.append(verdict if w == window else
                           _verdict(log, rulebook, w, threshold, taxonomy, keys)[1])
    sensitivity.sort(key=lambda v: math.inf if v.window is None else v.window)
    return ExchangeAssessment(log, rulebook, window, threshold, timelines, verdict,
                              tuple(sensitivity), keys)
