"""Benchmark: sweeps, serial against a local Dask cluster with 2 workers.

Issue 4 targets, on 2 cores:

- 10,000 scenarios × the five fast policies: under 30 s;
- 1,000 scenarios × all six policies (with ``minimal_escalation``): under 60 s.

Scenarios: the default :class:`bulkimpact.sweep.Scenario` (30 datasets,
shared-key model) over a density grid 0.01–0.2 (ten points), equal replicates
per point. Each part runs serially (``run_sweep(serial=True)``) and on a local
cluster (``run_sweep(workers=2)``, which starts and stops its own
``LocalCluster``: the wall time includes that); the cluster start-up and
shut-down alone are timed separately so that the compute time can be read
off. CPU seconds (this process plus its finished children, i.e. the cluster's
worker processes) and the 1-minute load average are printed too: on a shared
machine the wall time depends on what else runs. The serial and cluster
frames must be identical (asserted), and a digest of each frame is printed
so that runs before and after an optimisation can be compared number for
number.

Usage::

    .venv/bin/python benchmarks/bench_sweep.py                     # full: 10,000 and 1,000
    .venv/bin/python benchmarks/bench_sweep.py --scenarios 500 --mme-scenarios 100   # quick
    .venv/bin/python benchmarks/bench_sweep.py --golden /tmp/golden.parquet   # write / compare
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import time
from pathlib import Path

import pandas as pd

from bulkimpact.policies import FAST_POLICIES, POLICIES
from bulkimpact.sweep import SweepConfig, expand_scenarios, run_sweep

DENSITIES = [0.01, 0.03, 0.05, 0.07, 0.09, 0.11, 0.13, 0.15, 0.17, 0.2]


def scenarios(n: int, seed: int = 0):
    """About ``n`` scenarios: equal replicates on every density of the grid."""
    replicates = max(1, round(n / len(DENSITIES)))
    return expand_scenarios(SweepConfig(seed=seed, replicates=replicates,
                                        grid={"density": DENSITIES}))


def digest(frame: pd.DataFrame) -> str:
    """A digest of every value in the frame (order and dtypes included)."""
    h = hashlib.sha256(frame.to_csv(index=False).encode())
    h.update(str(list(frame.dtypes)).encode())
    return h.hexdigest()[:16]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the cluster's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def cluster_overhead(workers: int) -> tuple[float, float]:
    """Start-up and shut-down of a LocalCluster like run_sweep's, with a trivial task."""
    from dask.distributed import Client, LocalCluster

    start = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    client.submit(sum, [1, 2], pure=False).result()
    up = time.perf_counter() - start
    start = time.perf_counter()
    client.close()
    cluster.close()
    return up, time.perf_counter() - start


def part(label: str, n: int, policies, workers: int, chunk_size: int | None,
         target: float, target_n: int, skip_serial: bool) -> pd.DataFrame:
    scs = scenarios(n)
    print(f"\n## {label}: {len(scs):,} scenarios × {len(policies)} policies "
          f"({', '.join(policies)})")
    frames, times, cpu, load = {}, {}, {}, {}
    modes = ["cluster"] if skip_serial else ["serial", "cluster"]
    for mode in modes:
        before = cpu_seconds()
        start = time.perf_counter()
        if mode == "serial":
            frames[mode] = run_sweep(scs, policies, serial=True)
        else:
            frames[mode] = run_sweep(scs, policies, workers=workers, chunk_size=chunk_size)
        times[mode] = time.perf_counter() - start
        cpu[mode] = cpu_seconds() - before
        load[mode] = os.getloadavg()[0]
    up, down = cluster_overhead(workers)
    print(f"{'mode':<44}{'wall s':>8}{'scen/s':>8}{'CPU s':>8}{'load':>6}  digest")
    for mode in modes:
        name = "serial (1 process)" if mode == "serial" else \
            f"local cluster ({workers} workers, end to end)"
        print(f"{name:<44}{times[mode]:8.1f}{len(scs) / times[mode]:8.0f}{cpu[mode]:8.1f}"
              f"{load[mode]:6.1f}  {digest(frames[mode])}")
    compute = times["cluster"] - up - down
    print(f"{'  cluster start-up / shut-down (separately)':<44}{up:8.1f} / {down:.1f}")
    print(f"{'  cluster compute (end to end − both)':<44}{compute:8.1f}"
          f"{len(scs) / compute:8.0f}")
    errors = int((frames["cluster"]["error"] != "").sum())
    print(f"error rows: {errors}")
    if not skip_serial:
        pd.testing.assert_frame_equal(frames["serial"], frames["cluster"], check_exact=True)
        print("serial and cluster frames: identical")
    if len(scs) != target_n or workers != 2:
        print(f"(target < {target:.0f} s is for {target_n:,} scenarios on 2 workers: no verdict)")
    else:
        met = times["cluster"] < target
        print(f"target < {target:.0f} s on 2 workers (end to end): "
              f"{'met' if met else 'MISSED'} ({times['cluster']:.1f} s)")
    return frames["cluster"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenarios", type=int, default=10_000,
                    help="scenarios for the fast-policy part (0: skip)")
    ap.add_argument("--mme-scenarios", type=int, default=1_000,
                    help="scenarios for the all-policies part (0: skip)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk-size", type=int, default=None,
                    help="scenarios per Dask task (default: run_sweep's, ~4 tasks/worker)")
    ap.add_argument("--skip-serial", action="store_true", help="cluster only (no identity check)")
    ap.add_argument("--golden", type=Path, default=None,
                    help="Parquet of the all-policies frame: written if absent, else compared")
    args = ap.parse_args(argv)
    print(f"cpus: os.cpu_count()={os.cpu_count()}, sched_getaffinity="
          f"{len(os.sched_getaffinity(0))}; OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    if args.scenarios:
        part("fast policies", args.scenarios, list(FAST_POLICIES), args.workers,
             args.chunk_size, 30.0, 10_000, args.skip_serial)
    if args.mme_scenarios:
        frame = part("all policies (with minimal_escalation)", args.mme_scenarios,
                     list(POLICIES), args.workers, args.chunk_size, 60.0, 1_000,
                     args.skip_serial)
        if args.golden is not None:
            if args.golden.exists():
                pd.testing.assert_frame_equal(pd.read_parquet(args.golden), frame,
                                              check_exact=True)
                print(f"golden frame {args.golden}: identical")
            else:
                frame.to_parquet(args.golden, index=False)
                print(f"golden frame written to {args.golden}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
