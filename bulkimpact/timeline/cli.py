"""``bulkimpact timeline``: the retention timeline and its what-ifs on the command line.

Registered in :data:`bulkimpact.cli.COMMANDS`; :func:`configure` adds the
arguments when the command is chosen. Results on stdout (``--json``: one JSON
document, :meth:`bulkimpact.timeline.Timeline.to_json` with ``what_if`` when
changes are given); bad input exits 2 with a message naming the argument.
Progress (held sets done, minimal escalation solved anew, elapsed) on stderr
unless ``--quiet``; Ctrl-C stops the threads after the day each is on and
exits 130.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import Any

from ..cli import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    add_json,
    add_quiet,
    add_reading_and_rules,
    error,
    examples,
    finite_number,
    id_at_date,
    iso_date,
    print_json,
    whole_number,
)

__all__ = ["configure", "run", "render_text"]


def configure(p: argparse.ArgumentParser) -> None:
    """Add the ``timeline`` command's arguments."""

    p.description = (
        "The retention timeline of an inventory: which datasets are held on each day (from "
        "'acquired' until 'destroyed', else until the term in force: the last extension or the "
        "relevance deadline), and the cumulative assessment (exposure sets, every decision "
        "rule, distinct persons) at each day the held set changes. --destroy and "
        "--refuse-extension add a what-if and its difference from the baseline. Exit status 2 "
        "for an invalid inventory, rulebook, date or ID@DATE; 1 if the minimal_escalation "
        "solver stops short of a proven optimum (without --time-limit); 130 when "
        "interrupted (Ctrl-C).")
    p.add_argument("inventory", metavar="INVENTORY",
                   help="inventory file (YAML or CSV) with acquisition and retention dates")
    p.add_argument("--at", type=iso_date, default=None, metavar="DATE",
                   help="show the assessment in force on this day in full (ISO date)")
    p.add_argument("--destroy", action="append", default=[], metavar="ID@DATE",
                   type=id_at_date,
                   help="what-if: destroy dataset ID on DATE (repeatable, once per dataset)")
    p.add_argument("--refuse-extension", action="append", default=[], metavar="ID@DATE",
                   type=id_at_date,
                   help="what-if: refuse dataset ID's extension to DATE (one of its "
                        "'extensions'); it ends at the term in force before it (repeatable)")
    add_reading_and_rules(p)
    p.add_argument("--time-limit", type=finite_number("seconds", above_minimum=True),
                   default=None, metavar="SECONDS",
                   help="let minimal_escalation stop each solve after SECONDS with the best "
                        "regime found: that day reports it with the proven bound and the gap, "
                        "status 'bounded' instead of 'optimal' (default: every day exact)")
    p.add_argument("--workers", type=whole_number("threads"), default=None, metavar="N",
                   help="threads that assess the days (default: the machine's cores, at "
                        "most 4); the figures do not depend on it")
    add_json(p, "the timeline record (steps, datasets, what-if difference)")
    add_quiet(p)
    p.epilog = examples("bulkimpact timeline data/synthetic/baseline.yaml",
                        "bulkimpact timeline data/synthetic/baseline.yaml --at 2025-06-01",
                        "bulkimpact timeline data/synthetic/baseline.yaml "
                        "--destroy leak-webshop-2019@2025-01-01 --json")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the timeline (and the what-if) and print it."""
    from ..analysis import load_analysis
    from . import parse_change, retention_timeline, what_if

    for option, values in (("--destroy", args.destroy),
                           ("--refuse-extension", args.refuse_extension)):
        ids = [v.rpartition("@")[0] for v in values]
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            error(f"{option}: dataset {', '.join(map(repr, twice))} given more than once; "
                  "give each dataset one date")
            return EXIT_BAD_INPUT
    start = time.perf_counter()
    limit = {} if args.time_limit is None else {"time_limit": args.time_limit}
    analysis = load_analysis(args.inventory, args.rulebook, args.openness,
                             policies=args.policy, **limit)
    changes = [parse_change(x, analysis.inventory, "destroy") for x in args.destroy]
    changes += [parse_change(x, analysis.inventory, "refuse_extension")
                for x in args.refuse_extension]
    bounded = args.time_limit is not None
    with _Progress(not args.quiet) as progress:
        timeline = retention_timeline(analysis, workers=args.workers, bounded=bounded,
                                      progress=progress.baseline)
        scenario = (what_if(timeline, changes, workers=args.workers,
                            progress=progress.what_if) if changes else None)
    if args.json:
        record = timeline.to_json(at=args.at)
        if scenario is not None:
            record["what_if"] = scenario.to_json()
        print_json(record)
    else:
        print(render_text(timeline, args.at, scenario))
    if not args.quiet:
        bounded_days = len(timeline.bounded_steps) + (
            len(scenario.scenario.bounded_steps) if scenario else 0)
        print(f"bulkimpact: timeline: {len(timeline.steps)} held sets assessed"
              + (f", what-if {len(scenario.scenario.steps)}" if scenario else "")
              + f" in {time.perf_counter() - start:.1f} s"
              + (f"; minimal escalation bounded (time limit {args.time_limit:g} s) on "
                 f"{bounded_days} of them" if bounded_days else ""), file=sys.stderr)
    return EXIT_OK


class _Progress:
    """A progress bar on stderr per timeline (tqdm): held sets done, minimal escalation
    solved anew (not kept from the day before), elapsed; off when not ``shown``."""

    def __init__(self, shown: bool) -> None:
        self.shown = shown
        self.bar: Any = None
        self.solved = 0

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _update(self, desc: str, done: int, total: int, evaluation: Any) -> None:
        if not self.shown:
            return
        if self.bar is None or self.bar.desc != desc:
            from tqdm import tqdm

            self._close()
            self.solved = 0
            self.bar = tqdm(total=total, desc=desc, unit="day", file=sys.stderr,
                            dynamic_ncols=True)
        o = evaluation.outcomes.get("minimal_escalation")
        if o is not None and not o.params.get("reused"):
            self.solved += 1
            self.bar.set_postfix(solved=self.solved, refresh=False)
        self.bar.update(1)

    def baseline(self, done: int, total: int, evaluation: Any) -> None:
        self._update("timeline", done, total, evaluation)

    def what_if(self, done: int, total: int, evaluation: Any) -> None:
        self._update("what-if", done, total, evaluation)


def _n(x: float) -> str:
    return f"{x:,.0f}"


def render_text(timeline: Any, at: date | None = None, scenario: Any = None) -> str:
    """The timeline as plain text: one line per change of held set, then ``--at`` and what-if.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import retention_timeline
    >>> t = retention_timeline(load_analysis("data/synthetic/sparse.yaml",
    ...                                      policies=["per_dataset"]))
    >>> print(render_text(t).splitlines()[0][:40])
    Retention timeline of data/synthetic/spa
    """
    from . import RETENTION_RULE

    a = timeline.analysis
    steps = timeline.steps
    lines = [
        f"Retention timeline of {a.inventory_path}"
        + (" (fictional)" if a.inventory.fictional else "")
        + f"; rulebook {a.rulebook_path}"
        + (" (illustrative)" if a.rulebook.illustrative else "")
        + f"; openness {a.openness}",
        f"A dataset is {RETENTION_RULE}.",
    ]
    dated = [s for s in steps if s.start is not None]
    peak = max(steps, key=lambda s: len(s.held))
    if dated:
        lines.append(f"{len(a.inventory.datasets)} datasets; the held set changes on "
                     f"{len(dated)} days from {dated[0].start} to {dated[-1].start}; at most "
                     f"{len(peak.held)} held at once (from {peak.start}).")
    else:
        lines.append(f"{len(a.inventory.datasets)} datasets; no dates recorded: all held "
                     "throughout.")
    open_ended = [n for n, r in timeline.retention.items() if r.ends is None]
    if open_ended:
        lines.append(f"No end recorded (held to the end): {', '.join(open_ended)}.")
    overdue = [f"{n} ({r.held_past_term_days} days)" for n, r in timeline.retention.items()
               if r.held_past_term_days]
    if overdue:
        lines.append(f"Held past the term in force: {', '.join(overdue)}.")
    lines += [f"Finding: {f['kind']}: {f['message']}" for f in timeline.findings]
    names = list(a.policies)
    lines += ["", "Per day the held set changes: datasets held, exposure sets (raised: heavier "
              "than each member alone), and per decision rule U/E = under-protected exposure "
              "sets / escalated datasets.", ""]
    header = f"{'from':<11}{'held':>5}{'sets':>6}{'raised':>7}  " + "".join(
        f"{n[:13]:>14}" for n in names)
    lines.append(header)
    for s in steps:
        summary = s.summary()
        cells = "".join(f"{o.under_protected:>9}/{o.escalated:<4}"
                        for o in s.evaluation.outcomes.values())
        lines.append(f"{str(s.start or '-'):<11}{len(s.held):>5}{summary['exposure_sets']:>6}"
                     f"{summary['raised_sets']:>7}  {cells}")
    if at is not None:
        step = timeline.at(at)
        since = (f"the held set of {step.start}" if step.start is not None
                 else "before the first acquisition" if step.end is not None
                 else "the held set of the whole timeline")
        lines += ["", f"On {at} ({since}" + (f" until {step.end}" if step.end else "") + "):",
                  f"  {len(step.held)} datasets held, an expected {_n(step.persons_held)} "
                  f"distinct persons; {len(step.sets)} exposure sets, {len(step.raised)} "
                  "heavier than each member alone.",
                  f"  held: {', '.join(step.held) or '(none)'}"]
        for name, o in step.evaluation.outcomes.items():
            lines.append(
                f"  {name}: {o.under_protected} exposure sets under-protected "
                f"({_n(o.under_protected_persons)} distinct persons linked); "
                f"{o.escalated} datasets escalated ({_n(o.escalated_persons)} distinct "
                f"persons, {o.escalated_slight} slight on their own), escalation cost "
                f"{o.escalation_cost:g}, total burden {o.total_burden:.3g}")
    if scenario is not None:
        lines += ["", "What-if:"]
        for c in scenario.changes:
            effect = ("no effect: it had already ended"
                      if c.ends_before is not None and c.ends >= c.ends_before
                      else f"held until {c.ends} (was "
                           + (str(c.ends_before) if c.ends_before else "no end") + ")")
            lines.append(f"  {c.label}: {effect}")
        affected = scenario.affected()
        if len(affected):
            for change, group in affected.groupby("change", sort=False):
                lines.append(f"  {change}: {len(group)} exposure sets no longer exist, "
                             f"{int(group['raised'].sum())} of them heavier than each member "
                             "alone; under-protected among them per rule: " + ", ".join(
                                 f"{n} {int(group[f'under_protected ({n})'].sum())}"
                                 for n in names))
        diff = scenario.diff_frame()
        if len(diff):
            lines += ["", "  From then on, per rule (baseline → what-if), days where it "
                      "differs:",
                      f"  {'from':<11}{'rule':<20}{'held':>9}{'under-protected':>17}"
                      f"{'escalated':>11}{'cost':>14}"]
            for row in diff.to_dict("records"):
                if not any(row[f"{m} (change)"] for m in ("under_protected", "escalated",
                                                          "escalation_cost")):
                    continue
                lines.append(
                    f"  {row['date'].date()!s:<11}{row['policy']:<20}"
                    f"{row['datasets_held']:>4}→{row['datasets_held (what-if)']:<4}"
                    f"{row['under_protected']:>11}→{row['under_protected (what-if)']:<5}"
                    f"{row['escalated']:>6}→{row['escalated (what-if)']:<4}"
                    f"{row['escalation_cost']:>7g}→{row['escalation_cost (what-if)']:<6g}")
    return "\n".join(lines)
