"""Benchmark: the decision rules on 50, 200, 300 and 1,000 random datasets, chains judged.

Issue 4 target: ``minimal_escalation`` on 200 datasets in under 1 s. Issue 9
target: a 300-dataset inventory assessed with every rule in under 20 s on 2
cores, with the default exposure sets (links, investigations and every
connected combination of up to three datasets) and minimal escalation proven
optimal (zero gap, with the lexicographic tie-break).

Inventories come from :func:`bulkimpact.sweep.random_inventory` (shared-key
model) at a "realistic" density: the key-sharing probability ``D`` is chosen
per size so that the mean degree of *key* links is about that of the bundled
``data/synthetic/baseline.yaml`` graph (printed at start). The generator also
links datasets through demographic quasi-identifiers (date of birth + PC4),
which adds a floor of roughly ``0.085 × N`` to the mean degree that ``D``
cannot remove; the total degrees are printed per size.

Timed separately, per seed: inventory generation, linkage-graph build,
exposure sets (the evaluation default: edges, investigations, connected
combinations up to ``--max-set-size``), every policy with the default
parameters (``k=1``, ``t=0.01``, MILP time limit 60 s), judging all policies
(burden, distinct persons), and the total. Printed: median and max over seeds,
the MILP status and size.

Usage::

    .venv/bin/python benchmarks/bench_policies.py                 # 50, 200, 300, 1000; 5 seeds
    .venv/bin/python benchmarks/bench_policies.py --sizes 50 200 --seeds 3
    .venv/bin/python benchmarks/bench_policies.py --density 200=0.05
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections import Counter
from pathlib import Path

import networkx as nx

from bulkimpact.assessor import Assessor
from bulkimpact.combinations import exposure_sets
from bulkimpact.evaluate import judge
from bulkimpact.inventory import load_inventory
from bulkimpact.linkage import build_linkage_graph
from bulkimpact.parameters import params_for, policy_params
from bulkimpact.policies import POLICIES
from bulkimpact.rulebook import default_rulebook_path, load_rulebook
from bulkimpact.sweep import random_inventory

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "data" / "synthetic" / "baseline.yaml"

#: Key-sharing probability per size: key-link mean degree ≈ baseline's (≈ 10.9).
DEFAULT_DENSITY = {50: 0.16, 200: 0.08, 300: 0.065, 1000: 0.035}


def density_for(n: int, overrides: dict[int, float]) -> float:
    """The density for ``n`` datasets: override, table, else ~ sqrt(11 / (10 n))."""
    if n in overrides:
        return overrides[n]
    if n in DEFAULT_DENSITY:
        return DEFAULT_DENSITY[n]
    return round(min(1.0, (11.0 / (10.0 * max(n - 1, 1))) ** 0.5), 3)


def baseline_degree(rulebook) -> tuple[float, float, int]:
    """Mean degree of the bundled baseline graph: all links, key links, nodes."""
    G = build_linkage_graph(load_inventory(BASELINE), rulebook)
    n = G.number_of_nodes()
    keyed = sum(1 for *_e, d in G.edges(data=True) if d["keys"])
    return 2 * G.number_of_edges() / n, 2 * keyed / n, n


def milp_rows(G: nx.Graph, sets) -> int:
    """Cover constraints of the MILP (one per exposure set and level above its members)."""
    return sum(max(0, s.level - max(G.nodes[n]["level"] for n in s.members)) for s in sets)


def run_one(n: int, density: float, seed: int, rulebook, max_set_size: int,
            max_sets: int, time_limit: float) -> dict:
    """Time every stage on one random inventory."""
    params = policy_params(max_set_size=max_set_size, max_sets=max_sets, time_limit=time_limit)
    t: dict[str, float] = {}
    start = time.perf_counter()
    inventory, taxonomy = random_inventory(seed, n_datasets=n, model="shared_key",
                                           density=density)
    t["inventory"] = time.perf_counter() - start
    start = time.perf_counter()
    G = build_linkage_graph(inventory, rulebook, "ctivd", taxonomy)
    t["graph"] = time.perf_counter() - start
    start = time.perf_counter()
    sets = exposure_sets(G, rulebook, k=params.k, max_set_size=params.max_set_size,
                         max_sets=params.max_sets)
    t["exposure_sets"] = time.perf_counter() - start
    results = {}
    scope = Assessor(G, rulebook, params).scope()
    for name, policy in POLICIES.items():
        start = time.perf_counter()
        results[name] = policy(scope, sets, **params_for(policy, params))
        t[name] = time.perf_counter() - start
    start = time.perf_counter()
    outcomes = {name: judge(G, sets, r, rulebook.low_intrusion_level, rulebook, params)
                for name, r in results.items()}
    t["judge (all)"] = time.perf_counter() - start
    t["total (graph to judged)"] = sum(v for k, v in t.items() if k != "inventory")
    keyed = sum(1 for *_e, d in G.edges(data=True) if d["keys"])
    mme = results["minimal_escalation"]
    return {
        "times": t,
        "degree": 2 * G.number_of_edges() / n,
        "key_degree": 2 * keyed / n,
        "largest": max(len(c) for c in nx.connected_components(G)),
        "sets": len(sets),
        "rows": milp_rows(G, sets),
        "status": mme.status,
        "objective": mme.params.get("objective", 0.0),
        "escalated": {k: o.escalated for k, o in outcomes.items()},
    }


def fmt(x: float) -> str:
    return f"{x * 1000:9.1f}" if x < 10 else f"{x * 1000:9.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 300, 1000])
    ap.add_argument("--max-set-size", type=int, default=policy_params().max_set_size,
                    help="largest connected combination judged (default: the package's)")
    ap.add_argument("--max-sets", type=int, default=policy_params().max_sets,
                    help="combinations examined before refusing (default: the package's)")
    ap.add_argument("--time-limit", type=float, default=policy_params().time_limit,
                    help="seconds per MILP solve (default: the package's)")
    ap.add_argument("--seeds", type=int, default=5, help="seeds per size (0 .. seeds-1)")
    ap.add_argument("--density", nargs="*", default=[], metavar="N=D",
                    help="override the key-sharing density for a size")
    args = ap.parse_args(argv)
    overrides = {int(k): float(v) for k, v in (x.split("=") for x in args.density)}
    rulebook = load_rulebook(default_rulebook_path())
    total, keyed, nodes = baseline_degree(rulebook)
    print(f"python {platform.python_version()}; baseline.yaml: {nodes} datasets, "
          f"mean degree {total:.1f} (key links {keyed:.1f}); load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for n in args.sizes:
        d = density_for(n, overrides)
        runs = [run_one(n, d, seed, rulebook, args.max_set_size, args.max_sets,
                        args.time_limit) for seed in range(args.seeds)]
        degrees = [r["degree"] for r in runs]
        print(f"\n## {n} datasets, density {d} ({args.seeds} seeds, combinations up to "
              f"{args.max_set_size})")
        print(f"mean degree {statistics.mean(degrees):.1f} "
              f"(range {min(degrees):.1f}–{max(degrees):.1f}; key links "
              f"{statistics.mean(r['key_degree'] for r in runs):.1f}); largest component "
              f"{statistics.median(r['largest'] for r in runs):.0f}; exposure sets "
              f"{statistics.median(r['sets'] for r in runs):.0f}; MILP cover rows "
              f"{statistics.median(r['rows'] for r in runs):.0f} (median)")
        print(f"{'stage':<22}{'median ms':>10}{'max ms':>10}")
        for stage in runs[0]["times"]:
            xs = [r["times"][stage] for r in runs]
            print(f"{stage:<22}{fmt(statistics.median(xs)):>10}{fmt(max(xs)):>10}")
        statuses = Counter(r["status"] for r in runs)
        print(f"minimal_escalation status: {dict(statuses)}; objective per seed: "
              f"{[round(r['objective'], 2) for r in runs]}")
        print("escalated datasets per seed: " + "; ".join(
            f"{k} {[r['escalated'][k] for r in runs]}" for k in POLICIES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
