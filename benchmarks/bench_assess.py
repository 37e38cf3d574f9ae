"""Benchmark: ``bulkimpact assess INVENTORY --json`` on 300 random datasets, three readings.

Issue 17 target: a 300-dataset inventory of the baseline's density (the scale benchmark of
``bench_policies.py``: shared-key model, key-sharing probability 0.065, chains judged) assessed
under all three headline openness readings in under 10 s on 2 cores, minimal escalation proven
optimal. Each seed's inventory is written as YAML, then timed as the command a user types
(a fresh process: start-up, loading, graph, exposure sets, every rule, three readings, JSON).

Usage::

    .venv/bin/python benchmarks/bench_assess.py               # 3 seeds, 300 datasets
    .venv/bin/python benchmarks/bench_assess.py --seeds 1 --size 200
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bulkimpact.sweep import random_inventory


def write_inventory(seed: int, n: int, density: float, folder: Path) -> Path:
    """The random inventory of ``seed`` as a YAML file an analyst could have written."""
    inventory, _taxonomy = random_inventory(seed, n_datasets=n, model="shared_key",
                                            density=density)
    path = folder / f"random-{n}-{seed}.yaml"
    data = inventory.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--density", type=float, default=0.065)
    args = ap.parse_args(argv)
    print(f"python {platform.python_version()}; {os.cpu_count()} CPUs; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    times, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.seeds):
            path = write_inventory(seed, args.size, args.density, Path(tmp))
            load = os.getloadavg()[0]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "bulkimpact", "assess", str(path),
                                  "--json"], capture_output=True, text=True, check=True)
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            record = json.loads(out.stdout)
            status = record["policies"]["minimal_escalation"]["status"]
            times.append(elapsed)
            cpus.append(cpu)
            print(f"seed {seed}: {len(record['datasets'])} datasets, {len(record['edges'])} "
                  f"links, {len(record['exposure_sets'])} exposure sets, readings "
                  f"{sorted(record['readings'])}, minimal escalation {status}: {elapsed:.2f} s "
                  f"wall, {cpu:.2f} s CPU (user + sys); load {load:.2f} before, "
                  f"{os.getloadavg()[0]:.2f} after")
    print(f"median {statistics.median(times):.2f} s, max {max(times):.2f} s; CPU median "
          f"{statistics.median(cpus):.2f} s, max {max(cpus):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
