"""Benchmark: the retention timeline on the bundled baseline and on 300 datasets over two years.

Issue 20 targets (2 cores, every change assessed with all rules including the exact
minimal escalation): 10 s for 300 datasets at the baseline's density (mean degree about
11: ``--qi-share 0.1``, the default), under 30 s for the dense stress case (mean degree
33–39: ``--qi-share 1``).

The 300-dataset inventories come from :func:`bulkimpact.sweep.random_inventory`
(shared-key model) at the density of ``benchmarks/bench_policies.py`` (300
datasets: D = 0.065, about the baseline's mean degree of *key* links; the
generator's date-of-birth + PC4 links add about 25 more). For the baseline's
density the quasi-identifier links are thinned: only a share ``--qi-share``
of the datasets keep their date of birth and PC4 (0.1: mean degree 10–14 on
seeds 0–2; 1: all of them, the dense stress case). Dates are drawn here:
acquisitions uniform over two years (2024–2025), a relevance deadline one and
a half years after acquisition, a new end term a year later for 30 % of the
datasets (a second one for 10 %), and 5 % destroyed early (30–500 days after
acquisition). The held set then changes on about 490 days.

Timed separately, per seed: the linkage graph, the full inventory's exposure
sets (built once), the timeline (every change of held set assessed with every
decision rule), and a what-if (the heaviest linker destroyed on its peak
day). Printed: median and max over seeds, steps, the largest held set, and how
often minimal escalation's MILP was solved rather than kept. The timeline runs
its days on ``--workers`` threads (default: the library's, the machine's cores
up to 4); ``--workers 1`` shows what one core does.

Usage::

    .venv/bin/python benchmarks/bench_timeline.py                   # baseline + 300, 3 seeds
    .venv/bin/python benchmarks/bench_timeline.py --skip-baseline --qi-share 1   # dense
    .venv/bin/python benchmarks/bench_timeline.py --skip-baseline --qi-share 1 --time-limit 1
    .venv/bin/python benchmarks/bench_timeline.py --sizes 150 --seeds 1
    .venv/bin/python benchmarks/bench_timeline.py --policies per_dataset component k_hop \
        threshold use_based                                         # without the MILP
    .venv/bin/python benchmarks/bench_timeline.py --workers 1       # on one thread
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from bulkimpact.analysis import Analysis, load_analysis
from bulkimpact.inventory import Inventory
from bulkimpact.parameters import policy_params
from bulkimpact.policies import POLICIES
from bulkimpact.rulebook import default_rulebook_path, load_rulebook
from bulkimpact.sweep import random_inventory
from bulkimpact.timeline import (
    heaviest_linker,
    parse_change,
    retention_timeline,
    what_if,
)

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "data" / "synthetic" / "baseline.yaml"
START = date(2024, 1, 1)


def dated_inventory(seed: int, n: int, density: float, qi_share: float = 1.0) -> Inventory:
    """A random inventory with two years of acquisitions and their terms (see the docstring);
    only a share ``qi_share`` of the datasets keep their quasi-identifiers (date of birth,
    PC4)."""
    inventory, _taxonomy = random_inventory(seed, n_datasets=n, model="shared_key",
                                            density=density)
    rng = np.random.default_rng(seed + 10_000)
    thin = np.random.default_rng(seed + 20_000)
    datasets = []
    for d in inventory.datasets:
        if thin.random() >= qi_share:
            d = d.model_copy(update={"fields": [
                f for f in d.fields if f.category != "demographic"] or d.fields})
        acquired = START + timedelta(days=int(rng.integers(0, 730)))
        deadline = acquired + timedelta(days=548)
        u = rng.random()
        extensions = ([deadline + timedelta(days=365)] if u < 0.3 else []) + (
            [deadline + timedelta(days=730)] if u < 0.1 else [])
        destroyed = (acquired + timedelta(days=int(rng.integers(30, 500)))
                     if rng.random() < 0.05 else None)
        datasets.append(d.model_copy(update={
            "acquired": acquired, "relevance_deadline": deadline, "extensions": extensions,
            "destroyed": destroyed}))
    return inventory.model_copy(update={"datasets": datasets})


def run_one(analysis: Analysis, workers: int | None = None, bounded: bool = False) -> dict:
    """Time every stage of one timeline and its what-if (``bounded``: minimal escalation may
    stop at the analysis's time limit per solve)."""
    t: dict[str, float] = {}
    start = time.perf_counter()
    _ = analysis.graph
    t["linkage graph"] = time.perf_counter() - start
    start = time.perf_counter()
    assessor = analysis.assessor
    base = assessor.base_sets
    t["full exposure sets (once)"] = time.perf_counter() - start
    start = time.perf_counter()
    timeline = retention_timeline(analysis, workers=workers, bounded=bounded)
    t["timeline (every change)"] = time.perf_counter() - start
    t["total"] = sum(t.values())
    start = time.perf_counter()
    linker, day, _sets = heaviest_linker(timeline)
    w = what_if(timeline, [parse_change(f"{linker}@{day.isoformat()}", analysis.inventory)],
                workers=workers)
    t["what-if (heaviest linker)"] = time.perf_counter() - start
    solved = reused = 0
    if "minimal_escalation" in analysis.policies:
        for s in (*timeline.steps, *w.scenario.steps):
            if s.evaluation.outcomes["minimal_escalation"].params.get("reused"):
                reused += 1
            else:
                solved += 1
    return {"times": t, "steps": len(timeline.steps),
            "held": max(len(s.held) for s in timeline.steps),
            "sets": len(base), "solved": solved, "reused": reused,
            "blocks": len(assessor.blocks),
            "edges": analysis.graph.number_of_edges(),
            "bounded": len(timeline.bounded_steps) + len(w.scenario.bounded_steps),
            "degree": 2 * analysis.graph.number_of_edges() / analysis.graph.number_of_nodes()}


def report(title: str, runs: list[dict]) -> None:
    print(f"\n## {title}")
    degrees = ", ".join(f"{r['degree']:.1f}" for r in runs)
    print(f"held set changes (steps) {statistics.median(r['steps'] for r in runs):.0f}; "
          f"largest held set {statistics.median(r['held'] for r in runs):.0f}; links "
          f"{statistics.median(r['edges'] for r in runs):.0f} (mean degree {degrees}); "
          f"exposure sets of the whole "
          f"inventory {statistics.median(r['sets'] for r in runs):.0f}; MILP solved / kept "
          f"(timeline + what-if) {[(r['solved'], r['reused']) for r in runs]}"
          + (f"; distinct blocks solved {[r['blocks'] for r in runs]}"
             if any(r["blocks"] for r in runs) else "")
          + (f"; bounded days {[r['bounded'] for r in runs]}"
             if any(r["bounded"] for r in runs) else ""))
    print(f"{'stage':<30}{'median s':>10}{'max s':>10}")
    for stage in runs[0]["times"]:
        xs = [r["times"][stage] for r in runs]
        print(f"{stage:<30}{statistics.median(xs):>10.2f}{max(xs):>10.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[300])
    ap.add_argument("--seeds", type=int, default=3, help="seeds per size (0 .. seeds-1)")
    ap.add_argument("--density", type=float, default=0.065,
                    help="key-sharing density of the random inventories (default 0.065)")
    ap.add_argument("--qi-share", type=float, default=0.1,
                    help="share of datasets that keep their date of birth + PC4 (default 0.1: "
                         "the baseline's mean degree of about 11; 1: the dense stress case)")
    ap.add_argument("--policies", nargs="+", default=list(POLICIES), choices=list(POLICIES))
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--time-limit", type=float, default=None,
                    help="seconds per minimal escalation solve; days that hit it are bounded "
                         "(default: every day exact)")
    ap.add_argument("--workers", type=int, default=None,
                    help="threads of the timeline (default: the machine's cores, at most 4)")
    args = ap.parse_args(argv)
    print(f"python {platform.python_version()}; {os.cpu_count()} CPUs; rules "
          f"{', '.join(args.policies)}; workers {args.workers or 'default'}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          + (f"; time limit {args.time_limit:g} s per solve" if args.time_limit else ""))
    limit = {"time_limit": args.time_limit} if args.time_limit else {}
    bounded = args.time_limit is not None
    if not args.skip_baseline:
        runs = [run_one(load_analysis(BASELINE, policies=args.policies, **limit),
                        args.workers, bounded) for _ in range(3)]
        report("baseline.yaml (45 datasets; 3 runs)", runs)
    rulebook = load_rulebook(default_rulebook_path())
    for n in args.sizes:
        runs = []
        for seed in range(args.seeds):
            inventory = dated_inventory(seed, n, args.density, args.qi_share)
            analysis = Analysis(f"<random seed={seed}>", str(default_rulebook_path()), "ctivd",
                                seed, inventory, rulebook, policy_params(**limit),
                                policies=tuple(args.policies))
            runs.append(run_one(analysis, args.workers, bounded))
        report(f"{n} datasets, two years of acquisitions, density {args.density}, "
               f"quasi-identifiers kept by {args.qi_share:.0%} ({args.seeds} seeds)", runs)
    print(f"\nload average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
