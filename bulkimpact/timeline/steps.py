"""The timeline itself: the steps of held sets, their assessment, and what-ifs."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from .._version import __version__
from ..assessor import Assessor, WarmStart
from ..combinations import ExposureSet
from ..evaluate import Evaluation
from ..persons import distinct_linked_persons, distinct_persons
from ..registry import TIMELINE, units
from .retention import (
    RETENTION_RULE,
    Change,
    Retention,
    _apply,
    _iso,
    retention_findings,
    retention_of,
)

if TYPE_CHECKING:
    from ..analysis import Analysis


#: Per-rule figures of a timeline step (:data:`bulkimpact.registry.TIMELINE`).
TIMELINE_METRICS = TIMELINE

#: What each figure of a timeline counts (the JSON carries it as ``units``).
TIMELINE_UNITS: dict[str, str] = {
    "datasets_held": "datasets held on the day",
    "persons_held": "expected distinct persons held in the datasets held",
    "exposure_sets": "exposure sets among the datasets held",
    "raised_sets": "exposure sets among the datasets held that are heavier than each of "
                   "their members on its own",
    "raised_persons": "expected distinct persons held in the member datasets of the raised "
                      "sets",
    "days": "days the step lasts (None for the last, open step)",
    "held_past_term_days": "days a dataset was held after its term in force",
    "objective": "minimal escalation: the cost it minimises, each dataset's level steps "
                 "priced over the horizon (one-off, holding and uses), of the regime found",
    "bound": "minimal escalation: the objective no regime can undercut (the objective "
             "itself when status is optimal; with status bounded the solver stopped at "
             "time_limit, the regime is the best found and the optimum lies between bound "
             "and objective)",
    "mip_gap": "minimal escalation: the solver's relative gap between the objective found "
               "and the bound (0 when proven optimal)",
    **units(TIMELINE_METRICS),
}


# --- the timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineStep:
    """A period in which the held set does not change, and its assessment.

    ``start`` is the day the period begins (None: no dates at all), ``end``
    the first day of the next period (None: the last period, open);
    ``entered`` and ``left`` the datasets acquired and ended on ``start``.
    """

    start: date | None
    end: date | None
    held: tuple[str, ...]
    entered: tuple[str, ...]
    left: tuple[str, ...]
    persons_held: float
    evaluation: Evaluation
    graph: nx.Graph = field(repr=False, compare=False)

    @property
    def sets(self) -> tuple[ExposureSet, ...]:
        """The exposure sets among the datasets held."""
        return self.evaluation.sets

    @property
    def raised(self) -> tuple[ExposureSet, ...]:
        """The exposure sets heavier than each of their members on its own."""
        return tuple(s for s in self.evaluation.sets if s.raised)

    @property
    def raised_linked_persons(self) -> float:
        """Expected distinct persons linked in the raised sets (what per-dataset assessment
        leaves under-protected that day)."""
        return distinct_linked_persons(self.graph, ((s.members, s.persons) for s in self.raised))

    @property
    def days(self) -> int | None:
        """Days the period lasts (None when open)."""
        return (self.end - self.start).days if self.start and self.end else None

    def summary(self) -> dict[str, Any]:
        """The step's held-set figures (see :data:`TIMELINE_UNITS`)."""
        raised = self.raised
        return {"start": _iso(self.start), "end": _iso(self.end), "days": self.days,
                "datasets_held": len(self.held), "persons_held": self.persons_held,
                "exposure_sets": len(self.sets), "raised_sets": len(raised),
                "raised_persons": distinct_persons(
                    self.graph, (n for s in raised for n in s.members))}

    def to_json(self, full: bool = False) -> dict[str, Any]:
        """The step as JSON; ``full`` adds every rule's whole ``assess`` entry and, as
        ``sets``, the exposure sets themselves (``exposure_sets`` stays their count)."""
        record = {**self.summary(), "held": list(self.held), "entered": list(self.entered),
                  "left": list(self.left),
                  "policies": {name: ({m: getattr(o, m) for m in TIMELINE_METRICS}
                                      | {"status": o.status,
                                         "under_protected_sets":
                                             [list(s) for s in o.under_protected_sets]}
                                      | _solver_figures(o.params))
                               for name, o in self.evaluation.outcomes.items()}}
        if full:
            record["policies"] = {n: o.to_json()
                                  for n, o in self.evaluation.outcomes.items()}
            record["sets"] = [
                {"members": list(s.members), "kind": s.kind, "label": s.label,
                 "level": s.level, "member_level": s.member_level, "persons": s.persons,
                 "persons_held": s.persons_held, "rules": list(s.rules)}
                for s in self.sets]
        return record


def _solver_figures(params: dict[str, Any]) -> dict[str, Any]:
    """A MILP rule's ``objective``, ``bound`` and ``mip_gap`` (see ``TIMELINE_UNITS``);
    nothing for the others."""
    if "objective" not in params:
        return {}
    return {"objective": params["objective"], "bound": params.get("bound", params["objective"]),
            "mip_gap": params["mip_gap"]}


@dataclass(frozen=True)
class Timeline:
    """Every period of constant held set of one inventory, assessed.

    Build with :func:`retention_timeline`.
    """

    analysis: Analysis = field(repr=False)
    retention: dict[str, Retention]
    steps: tuple[TimelineStep, ...]
    changes: tuple[Change, ...] = ()
    #: Whether minimal escalation may stop at its time limit with the best regime found
    #: (status "bounded"); otherwise every day is solved to proven optimality.
    bounded: bool = False

    @property
    def bounded_steps(self) -> tuple[TimelineStep, ...]:
        """The steps whose minimal escalation stopped at the time limit (status "bounded")."""
        return tuple(s for s in self.steps
                     if any(o.status == "bounded" for o in s.evaluation.outcomes.values()))

    def at(self, day: date) -> TimelineStep:
        """The step in force on ``day``.

        Before the first step: a step with ``start`` None and ``end`` the first
        step's start, holding only the datasets without an acquisition date.

        Examples
        --------
        >>> from bulkimpact.analysis import load_analysis
        >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
        ...                                      policies=["per_dataset"]))
        >>> t.at(date(2023, 3, 1)).held
        ('leak-webshop-2019', 'leak-dating-site')
        >>> before = t.at(date(2020, 1, 1))
        >>> before.held, before.end
        ((), datetime.date(2022, 10, 3))
        """
        first = self.steps[0]
        if first.start is not None and day < first.start:
            assessor = self.analysis.assessor
            held = frozenset(n for n, r in self.retention.items() if r.held_on(day))
            H, ev, persons = assessor.assess(held, bounded=self.bounded)
            return TimelineStep(start=None, end=first.start,
                                held=tuple(n for n in assessor.order if n in held),
                                entered=(), left=(), persons_held=persons, evaluation=ev,
                                graph=H)
        found = first
        for step in self.steps:
            if step.start is not None and step.start <= day:
                found = step
            else:
                break
        return found

    @property
    def policies(self) -> tuple[str, ...]:
        return tuple(self.analysis.policies)

    def to_frame(self, metrics: Sequence[str] = TIMELINE_METRICS) -> pd.DataFrame:
        """One row per step and rule: held-set figures and the rule's outcome.

        Examples
        --------
        >>> from bulkimpact.analysis import load_analysis
        >>> a = load_analysis("data/synthetic/baseline.yaml", policies=["per_dataset"])
        >>> f = retention_timeline(a).to_frame()
        >>> list(f.columns[:4]), int(f["datasets_held"].max())
        (['start', 'end', 'days', 'datasets_held'], 43)
        """
        rows = []
        for step in self.steps:
            summary = step.summary()
            for name, o in step.evaluation.outcomes.items():
                rows.append({**summary, "policy": name, **{m: getattr(o, m) for m in metrics}})
        frame = pd.DataFrame(rows)
        for col in ("start", "end"):
            frame[col] = pd.to_datetime(frame[col])
        return frame

    def retention_frame(self) -> pd.DataFrame:
        """One row per dataset: its dates, when it ends and why, and its own level."""
        G = self.analysis.graph
        rows = [{**r.to_json(), "level": G.nodes[n]["level"], "name": G.nodes[n]["name"]}
                for n, r in self.retention.items()]
        frame = pd.DataFrame(rows).set_index("id")
        for col in ("acquired", "relevance_deadline", "destroyed", "term_in_force", "ends"):
            frame[col] = pd.to_datetime(frame[col])
        return frame

    @property
    def findings(self) -> list[dict[str, str]]:
        """Datasets held indefinitely or beyond the rulebook's retention terms
        (:func:`~bulkimpact.timeline.retention.retention_findings`)."""
        return retention_findings(self.analysis.inventory, self.analysis.rulebook)

    def to_json(self, at: date | None = None) -> dict[str, Any]:
        """The ``timeline --json`` record (a contract: keys are only ever added)."""
        a = self.analysis
        record: dict[str, Any] = {
            "inventory": a.inventory_path,
            "rulebook": a.rulebook_path,
            "openness": a.openness,
            "fictional": a.inventory.fictional,
            "illustrative_rulebook": a.rulebook.illustrative,
            "policies": list(a.policies),
            "params": a.params.to_json(),
            "include": list(a.include),
            "retention_rule": RETENTION_RULE,
            "datasets": [{**r.to_json(), "level": a.graph.nodes[n]["level"]}
                         for n, r in self.retention.items()],
            "changes": [c.to_json() for c in self.changes],
            "steps": [s.to_json() for s in self.steps],
            "findings": self.findings,
            "time_limit": a.params.time_limit if self.bounded else None,
            "bounded_steps": [_iso(s.start) for s in self.bounded_steps],
            "units": dict(TIMELINE_UNITS),
            "bulkimpact_version": __version__,
        }
        if at is not None:
            record["at"] = {"date": at.isoformat(), **self.at(at).to_json(full=True)}
        return record




#: Called after each held set is assessed: (held sets done, held sets in all, its evaluation).
Progress = Callable[[int, int, Evaluation], None]


def retention_timeline(analysis: Analysis, changes: Sequence[Change] = (),
                       workers: int | None = None, bounded: bool = False,
                       progress: Progress | None = None) -> Timeline:
    """The retention timeline of an analysis's inventory, each change of held set assessed.

    Parameters
    ----------
    analysis : Analysis
        From :func:`bulkimpact.analysis.load_analysis`: inventory, rulebook,
        openness, decision rules, their parameters and the exposure-set kinds.
    changes : sequence of Change
        What-if changes (:func:`parse_change`) applied to the dates.
    workers : int, optional
        Threads that assess the held sets, taking contiguous runs of days
        in turn (default: the machine's cores, at most 4). HiGHS solves
        outside Python's lock, so the MILP of one run proceeds while another
        is judged. Every figure is the same for any number of workers; only
        which of several exactly tied minimal escalations is kept could
        differ (see :meth:`bulkimpact.assessor.Scope.escalation`).
    bounded : bool
        Let minimal escalation stop at the analysis's ``time_limit`` per solve
        with the best regime found, its bound and gap (status ``"bounded"``
        on that day) instead of raising
        :class:`~bulkimpact.policies.SolverError`. Default: exact.
    progress : callable, optional
        ``progress(done, total, evaluation)`` after each held set is assessed
        (from the worker threads, one call at a time). An exception it raises
        (or Ctrl-C) stops the threads after the day each is on and propagates.

    Returns
    -------
    Timeline
        One :class:`TimelineStep` per period of constant held set, from the
        first acquisition on (a step with no datasets when all have ended).

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> a = load_analysis("data/synthetic/baseline.yaml", policies=["per_dataset"])
    >>> t = retention_timeline(a)
    >>> t.steps[0].start, t.steps[0].held
    (datetime.date(2022, 10, 3), ('leak-dating-site',))
    >>> len(t.steps[-1].held)
    0
    """
    assessor = analysis.assessor
    retention = {d.id: retention_of(d) for d in analysis.inventory.datasets}
    retention = _apply(retention, changes)
    days = sorted({r.acquired for r in retention.values() if r.acquired is not None}
                  | {r.ends for r in retention.values() if r.ends is not None})
    order = assessor.order
    periods: list[tuple[date | None, frozenset[str]]] = []
    for day in list(days) or [None]:
        held = frozenset(n for n in order if day is None or retention[n].held_on(day))
        # Acquired and ended the same day: nothing changed; the period goes on.
        if not periods or held != periods[-1][1]:
            periods.append((day, held))
    assessed = _assess_runs(assessor, [held for _day, held in periods], workers, bounded,
                            progress)
    steps: list[TimelineStep] = []
    before: frozenset[str] = frozenset()
    for j, ((day, held), (H, ev, persons)) in enumerate(zip(periods, assessed, strict=True)):
        steps.append(TimelineStep(
            start=day, end=periods[j + 1][0] if j + 1 < len(periods) else None,
            held=tuple(n for n in order if n in held),
            entered=tuple(n for n in order if n in held - before),
            left=tuple(n for n in order if n in before - held),
            persons_held=persons, evaluation=ev, graph=H))
        before = held
    return Timeline(analysis, retention, tuple(steps), tuple(changes), bounded)


#: Runs of days per thread: more, shorter runs balance the threads when a few days' MILPs
#: take most of the time (benchmarks/README.md: 66 s -> 42 s on the densest seed), at the
#: price of one more solve where each run starts.
RUNS_PER_WORKER = 4


class _Stopped(Exception):
    """A run gave up because another run failed or the user interrupted."""


def _assess_runs(assessor: Assessor, helds: Sequence[frozenset[str]],
                 workers: int | None, bounded: bool = False,
                 progress: Progress | None = None,
                 ) -> list[tuple[nx.Graph, Evaluation, float]]:
    """Assess held sets in order: on one thread, or cut into contiguous runs of about equal
    work (weighed by the square of the datasets held) that ``workers`` threads take in turn,
    each run with its own :class:`~bulkimpact.assessor.WarmStart`.

    When a run fails or the main thread is interrupted (Ctrl-C), the runs not started are
    cancelled and the others stop after the held set they are on; the exception then
    propagates (a solve in progress ends at its time limit at the latest)."""
    if workers is None:
        workers = min(4, os.cpu_count() or 1)
    if workers < 1:
        raise ValueError(f"workers must be a positive number of threads, got {workers}")
    stop = threading.Event()
    lock = threading.Lock()
    done = 0

    def run(part: Sequence[frozenset[str]]) -> list[tuple[nx.Graph, Evaluation, float]]:
        nonlocal done
        warm = WarmStart()
        out = []
        try:
            for held in part:
                if stop.is_set():
                    raise _Stopped
                out.append(assessor.assess(held, warm, bounded=bounded))
                if progress is not None:
                    with lock:
                        done += 1
                        progress(done, len(helds), out[-1][1])
        except BaseException:
            stop.set()
            raise
        return out

    if workers == 1 or len(helds) < 2:
        return run(helds)
    n = workers * RUNS_PER_WORKER
    weight = np.cumsum([(len(h) + 1.0) ** 2 for h in helds])
    cuts = [0, *(int(np.searchsorted(weight, weight[-1] * k / n)) for k in range(1, n)),
            len(helds)]
    runs = [helds[a:b] for a, b in itertools.pairwise(cuts) if b > a]
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = []
    try:
        futures += [pool.submit(run, part) for part in runs]
        assessed = [r for f in futures for r in f.result()]
    except BaseException as exc:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        if isinstance(exc, _Stopped):  # the run that failed first says why
            raise next(e for f in futures if not f.cancelled()
                       and (e := f.exception()) is not None
                       and not isinstance(e, _Stopped)) from None
        raise
    pool.shutdown()
    return assessed


# --- what-if -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """A baseline timeline and the same inventory with some datasets ending earlier.

    ``affected`` are the exposure sets of the baseline, on the day of each
    change, that contain a changed dataset: they no longer exist from then on.
    """

    baseline: Timeline
    scenario: Timeline

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.scenario.changes

    @property
    def first_day(self) -> date | None:
        """The earliest day a change takes effect (None when no change changes anything)."""
        days = [c.ends for c in self.changes
                if c.ends_before is None or c.ends < c.ends_before]
        return min(days) if days else None

    def affected(self) -> pd.DataFrame:
        """The baseline's exposure sets that hold a changed dataset on the day it ends.

        Columns: change, members, kind, level, member_level, raised, persons
        (expected persons linked), persons_held, and one column per rule that
        says whether the set is under-protected under it (baseline).
        """
        rows = []
        for c in self.changes:
            if c.ends_before is not None and c.ends >= c.ends_before:
                continue
            step = self.baseline.at(c.ends)
            if c.dataset not in step.held:
                continue
            for s in step.sets:
                if c.dataset in s.members:
                    rows.append({
                        "change": c.label, "date": c.ends, "members": ", ".join(s.members),
                        "kind": s.kind, "level": s.level, "member_level": s.member_level,
                        "raised": s.raised, "persons": s.persons,
                        "persons_held": s.persons_held,
                        **{f"under_protected ({n})": s.members in set(o.under_protected_sets)
                           for n, o in step.evaluation.outcomes.items()}})
        return pd.DataFrame(rows)

    def diff_frame(self, metrics: Sequence[str] = TIMELINE_METRICS) -> pd.DataFrame:
        """From the first change on: each day either held set changes, per rule, both figures.

        Columns ``date``, ``policy``, ``datasets_held`` (baseline, what-if),
        ``exposure_sets`` (both) and for each metric ``<metric>``,
        ``<metric> (what-if)`` and ``<metric> (change)`` (what-if minus baseline).
        """
        first = self.first_day
        if first is None:
            return pd.DataFrame()
        days = sorted({s.start for t in (self.baseline, self.scenario) for s in t.steps
                       if s.start is not None and s.start >= first})
        rows = []
        for day in days:
            b, w = self.baseline.at(day), self.scenario.at(day)
            for name, ob in b.evaluation.outcomes.items():
                ow = w.evaluation.outcomes[name]
                row: dict[str, Any] = {
                    "date": day, "policy": name,
                    "datasets_held": len(b.held), "datasets_held (what-if)": len(w.held),
                    "exposure_sets": len(b.sets), "exposure_sets (what-if)": len(w.sets)}
                for m in metrics:
                    x, y = getattr(ob, m), getattr(ow, m)
                    row.update({m: x, f"{m} (what-if)": y, f"{m} (change)": y - x})
                rows.append(row)
        frame = pd.DataFrame(rows)
        frame["date"] = pd.to_datetime(frame["date"])
        return frame

    def to_json(self) -> dict[str, Any]:
        """The ``what_if`` part of the ``timeline --json`` record."""
        affected = self.affected()
        diff = self.diff_frame()
        return {
            "changes": [c.to_json() for c in self.changes],
            "first_date": _iso(self.first_day),
            "sets_removed": [
                {"change": row["change"], "date": pd.Timestamp(row["date"]).date().isoformat(),
                 "members": row["members"].split(", "), "kind": row["kind"],
                 "level": row["level"], "member_level": row["member_level"],
                 "raised": bool(row["raised"]), "persons": row["persons"],
                 "persons_held": row["persons_held"],
                 "under_protected": {n: bool(row[f"under_protected ({n})"])
                                     for n in self.baseline.policies}}
                for row in affected.to_dict("records")],
            "sets_removed_units": {
                "persons": "expected persons whose records are linked across members",
                "persons_held": "expected distinct persons held in the member datasets"},
            "diff": [
                {"date": row["date"].date().isoformat(), "policy": row["policy"],
                 "datasets_held": {"baseline": row["datasets_held"],
                                   "what_if": row["datasets_held (what-if)"]},
                 "exposure_sets": {"baseline": row["exposure_sets"],
                                   "what_if": row["exposure_sets (what-if)"]},
                 **{m: {"baseline": row[m], "what_if": row[f"{m} (what-if)"],
                        "change": row[f"{m} (change)"]} for m in TIMELINE_METRICS}}
                for row in diff.to_dict("records")] if len(diff) else [],
            "steps": [s.to_json() for s in self.scenario.steps],
        }


def what_if(baseline: Timeline, changes: Sequence[Change],
            workers: int | None = None, progress: Progress | None = None) -> WhatIf:
    """The baseline timeline against the same inventory with ``changes`` applied.

    The what-if reuses the baseline's graph, exposure sets and every held set
    already assessed, so it pays only for the days its held set differs
    (assessed on ``workers`` threads, as :func:`retention_timeline`, bounded as the
    baseline is, with ``progress`` as there).

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> a = load_analysis("data/synthetic/baseline.yaml", policies=["per_dataset"])
    >>> base = retention_timeline(a)
    >>> from bulkimpact.timeline import parse_change
    >>> w = what_if(base, [parse_change("passenger-records@2025-01-01", a.inventory)])
    >>> w.first_day, "passenger-records" in w.scenario.at(date(2025, 1, 1)).held
    (datetime.date(2025, 1, 1), False)
    """
    return WhatIf(baseline, retention_timeline(baseline.analysis,
                                               [*baseline.changes, *changes], workers,
                                               baseline.bounded, progress))


def heaviest_linker(timeline: Timeline) -> tuple[str, date | None, int]:
    """The dataset in the most raised exposure sets when raised sets peak, and that day.

    The peak is the first step with the most exposure sets heavier than each
    of their members on its own; the heaviest linker is the member of most of
    them there (ties: the one holding most persons, then inventory order).
    Returns ``(dataset id, the peak's first day, raised sets it is in)``.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["per_dataset"]))
    >>> heaviest_linker(t)
    ('passenger-records', datetime.date(2025, 5, 12), 17)
    """
    peak = max(timeline.steps, key=lambda s: len(s.raised))  # the first of equals
    if not peak.raised:
        raise ValueError("no exposure set is heavier than its members on any day: "
                         "there is no linker to destroy")
    order = {n: i for i, n in enumerate(peak.held)}
    counts: dict[str, int] = {}
    for s in peak.raised:
        for n in s.members:
            counts[n] = counts.get(n, 0) + 1
    best = min(counts, key=lambda n: (-counts[n], -peak.graph.nodes[n]["persons"], order[n]))
    return best, peak.start, counts[best]
