"""Benchmarks of the record-level synthetic world: generation, uniqueness, key linkage.

Prints time and peak memory of each step. Every step runs in its own
subprocess under ``/usr/bin/time -v`` so its peak resident set size is its
own; times are measured inside the subprocess (best of ``--repeat`` runs,
imports and file opening excluded where the engine allows). Reference
implementations (bare DuckDB SQL, pandas, polars if installed) run in the
same invocation on the same Parquet files.

Usage::

    .venv/bin/python benchmarks/bench_synth.py                  # full sizes
    .venv/bin/python benchmarks/bench_synth.py --generate 1e6 --uniqueness 1e6 \\
        --extract 3e5 --workdir /tmp/bench                      # quick check
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

QI = ["date_of_birth", "postcode", "sex"]


# ---------------------------------------------------------------- single steps
def _best(fn, repeat: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def step(name: str, args: argparse.Namespace) -> dict:
    work = Path(args.workdir)
    pop10 = work / "population_uniqueness.parquet"
    ext_a, ext_b = work / "extract_a.parquet", work / "extract_b.parquet"
    if name == "generate":
        from bulkimpact.synth import write_population

        out = work / "population_full.parquet"
        start = time.perf_counter()
        write_population(out, int(args.generate), seed=1)
        seconds = time.perf_counter() - start
        size = out.stat().st_size
        out.unlink()
        return {"seconds": seconds, "persons": int(args.generate), "file_mb": size / 2**20}
    if name == "prepare":
        from bulkimpact.synth import ExtractSpec, draw_extract, write_population

        write_population(pop10, int(args.uniqueness), seed=2)
        n = int(args.extract)
        for i, out in enumerate((ext_a, ext_b)):
            spec = ExtractSpec(f"x{i}", n, ("email", "date_of_birth", "postcode"),
                               {"email": 0.95})
            draw_extract(pop10, spec, seed=10 + i, out=out)
        return {"seconds": 0.0}
    if name == "uniq_ours":
        from bulkimpact.synth import uniqueness

        seconds, u = _best(lambda: uniqueness(pop10, QI), args.repeat)
        return {"seconds": seconds, "unique": u.unique}
    if name == "uniq_duckdb":
        import duckdb

        con = duckdb.connect()
        sql = (f"SELECT count(*) FROM (SELECT 1 FROM read_parquet('{pop10}') "
               f"GROUP BY {', '.join(QI)} HAVING count(*) = 1)")
        seconds, value = _best(lambda: con.execute(sql).fetchone()[0], args.repeat)
        return {"seconds": seconds, "unique": value}
    if name == "uniq_pandas":
        import pandas as pd

        def run() -> tuple[int, float]:
            df = pd.read_parquet(pop10, columns=QI)
            start = time.perf_counter()
            sizes = df.groupby(QI, observed=True, sort=False).size()
            return int((sizes == 1).sum()), time.perf_counter() - start

        seconds, (unique, groupby_only) = _best(run, args.repeat)
        return {"seconds": seconds, "groupby_only_seconds": groupby_only, "unique": unique}
    if name == "uniq_polars":
        import polars as pl

        def run() -> int:
            return (pl.scan_parquet(pop10).group_by(QI).len().filter(pl.col("len") == 1)
                    .select(pl.len()).collect().item())

        seconds, value = _best(run, args.repeat)
        return {"seconds": seconds, "unique": value}
    if name == "link_ours":
        from bulkimpact.synth import key_links

        seconds, links = _best(lambda: key_links(ext_a, ext_b, "email"), args.repeat)
        return {"seconds": seconds, "links": links.total, "true": links.true}
    if name == "link_duckdb":
        import duckdb

        con = duckdb.connect()
        sql = (f"SELECT count(*) FROM read_parquet('{ext_a}') a "
               f"JOIN read_parquet('{ext_b}') b ON a.email = b.email")
        seconds, value = _best(lambda: con.execute(sql).fetchone()[0], args.repeat)
        return {"seconds": seconds, "links": value}
    if name == "link_polars":
        import polars as pl

        def run() -> int:
            a = pl.scan_parquet(ext_a).select("email")
            b = pl.scan_parquet(ext_b).select("email")
            return a.join(b, on="email").select(pl.len()).collect().item()

        seconds, value = _best(run, args.repeat)
        return {"seconds": seconds, "links": value}
    raise SystemExit(f"unknown step {name!r}")


# ---------------------------------------------------------------- orchestration
def run_step(name: str, args: argparse.Namespace) -> dict:
    cmd = ["/usr/bin/time", "-v", sys.executable, __file__, "--step", name,
           "--workdir", args.workdir, "--repeat", str(args.repeat),
           "--generate", str(args.generate), "--uniqueness", str(args.uniqueness),
           "--extract", str(args.extract)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    result["peak_rss_mb"] = int(rss.group(1)) / 1024 if rss else float("nan")
    result["step"] = name
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate", type=float, default=17_900_000,
                        help="persons for the generation benchmark (default 17.9 M)")
    parser.add_argument("--uniqueness", type=float, default=10_000_000,
                        help="persons for the uniqueness benchmark (default 10 M)")
    parser.add_argument("--extract", type=float, default=3_000_000,
                        help="persons per extract for the linkage benchmark (default 3 M)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step, best kept")
    parser.add_argument("--workdir", default="benchmarks/out/synth",
                        help="where the Parquet files go (default benchmarks/out/synth)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--skip-generate", action="store_true",
                        help="skip the (slow) full-size generation step")
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args)))
        return
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    try:
        import polars  # noqa: F401
        have_polars = True
    except ImportError:
        have_polars = False
    steps = [] if args.skip_generate else ["generate"]
    steps += ["prepare", "uniq_ours", "uniq_duckdb", "uniq_pandas"]
    steps += ["uniq_polars"] if have_polars else []
    steps += ["link_ours", "link_duckdb"] + (["link_polars"] if have_polars else [])
    results = {}
    for name in steps:
        results[name] = r = run_step(name, args)
        print(f"{name:12s} {r['seconds']:8.2f} s  peak RSS {r['peak_rss_mb']:8.0f} MB  "
              + json.dumps({k: v for k, v in r.items()
                            if k not in ("seconds", "peak_rss_mb", "step")}), flush=True)
    print()
    if "generate" in results:
        g = results["generate"]
        print(f"generate {g['persons']:,} persons: {g['seconds']:.1f} s, "
              f"peak RSS {g['peak_rss_mb']:.0f} MB, file {g['file_mb']:.0f} MB")
    u, d, p = results["uniq_ours"], results["uniq_duckdb"], results["uniq_pandas"]
    assert u["unique"] == d["unique"] == p["unique"], "engines disagree on uniqueness"
    print(f"uniqueness on {'+'.join(QI)}, {int(args.uniqueness):,} rows: ours "
          f"{u['seconds']:.2f} s = {u['seconds'] / d['seconds']:.2f}x bare DuckDB "
          f"({d['seconds']:.2f} s); pandas {p['seconds']:.2f} s (groupby alone "
          f"{p['groupby_only_seconds']:.2f} s) = {p['seconds'] / u['seconds']:.1f}x slower"
          + (f"; polars {results['uniq_polars']['seconds']:.2f} s" if have_polars else ""))
    lo, ld = results["link_ours"], results["link_duckdb"]
    assert lo["links"] == ld["links"], "engines disagree on links"
    print(f"exact-key linkage of two {int(args.extract):,} extracts: ours {lo['seconds']:.2f} s "
          f"= {lo['seconds'] / ld['seconds']:.2f}x bare DuckDB join ({ld['seconds']:.2f} s)"
          + (f"; polars {results['link_polars']['seconds']:.2f} s" if have_polars else ""))
    out = Path(args.workdir) / "results.json"
    out.write_text(json.dumps(results, indent=2))
    for f in Path(args.workdir).glob("*.parquet"):
        f.unlink()
    print(f"\nfigures saved to {out}; cpu count {os.cpu_count()}")


if __name__ == "__main__":
    main()
