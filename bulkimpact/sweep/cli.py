"""``bulkimpact sweep CONFIG.yaml --out RESULTS.parquet``: every rule over generated scenarios.

Registered in :data:`bulkimpact.cli.COMMANDS`; :func:`configure` adds the
arguments when the command is chosen. A bundled commented configuration is
``data/sweeps/example.yaml`` (:data:`EXAMPLE_CONFIG`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import (
    EXIT_BAD_INPUT,
    EXIT_FAILURES,
    EXIT_OK,
    add_json,
    add_quiet,
    error,
    examples,
    print_json,
    whole_number,
)

__all__ = ["EXAMPLE_CONFIG", "configure", "run"]

#: The bundled example configuration, as the help and the README name it.
EXAMPLE_CONFIG = "data/sweeps/example.yaml"


def run(args: argparse.Namespace) -> int:
    """Expand the configuration, run every scenario, write the Parquet file, print the
    summary; exit status 1 when a scenario failed."""
    import time

    from ..rulebook import default_rulebook_path
    from . import expand_scenarios, load_sweep_config, run_sweep, write_parquet_atomic

    out = Path(args.out)
    if not out.parent.is_dir():
        error(f"--out {out}: directory {out.parent} does not exist")
        return EXIT_BAD_INPUT
    config = load_sweep_config(args.config)
    # Scenarios name their rulebook by an absolute path: a worker of a remote scheduler
    # runs in a directory of its own.
    rulebook = Path(config.rulebook or default_rulebook_path()).resolve()
    scenarios = expand_scenarios(config.model_copy(update={"rulebook": str(rulebook)}))
    policies = args.policy or config.policies
    start = time.perf_counter()
    frame = run_sweep(scenarios, policies, config.params, scheduler=args.scheduler,
                      workers=args.workers, serial=args.serial, progress=not args.quiet)
    write_parquet_atomic(frame, out)
    failed = frame.loc[frame["error"] != "", ["index", "seed", "error"]].drop_duplicates()
    elapsed = time.perf_counter() - start
    if args.json:
        print_json({"config": str(args.config), "out": str(out), "scenarios": len(scenarios),
                    "policies": list(policies), "rows": len(frame), "failed": len(failed),
                    "seconds": round(elapsed, 3),
                    "failures": [{"index": int(r.index), "seed": int(r.seed), "error": r.error}
                                 for r in failed.itertuples(index=False)]})
    else:
        print(f"{len(scenarios)} scenarios × {len(policies)} policies → {out} "
              f"({elapsed:.1f} s); {len(failed)} failed")
        for r in failed.head(20).itertuples(index=False):
            print(f"  scenario {r.index} (seed {r.seed}): {r.error}")
    return EXIT_FAILURES if len(failed) else EXIT_OK


def configure(p: argparse.ArgumentParser) -> None:
    from ..policies import POLICIES

    p.description = ("Evaluate every decision rule over seeded generated scenarios (a grid × "
                     "replicates, see bulkimpact.sweep.SweepConfig) on Dask, one row per "
                     "scenario × rule, into a Parquet file. A scenario that fails is recorded "
                     "with its error and seed (exit status 1); a bad configuration stops the "
                     "sweep before any scenario runs (exit status 2).")
    p.add_argument("config", metavar="CONFIG.yaml",
                   help="sweep configuration (fields: see help(bulkimpact.sweep.SweepConfig); "
                        f"a commented example: {EXAMPLE_CONFIG})")
    p.add_argument("--out", required=True, metavar="RESULTS.parquet")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="existing Dask scheduler, e.g. tcp://host:8786; its workers need "
                        "bulkimpact installed (default: a local cluster)")
    p.add_argument("--workers", type=whole_number("worker processes"), default=None,
                   metavar="N",
                   help="local-cluster worker processes (default: CPU count)")
    p.add_argument("--serial", action="store_true", help="run in this process, no Dask")
    p.add_argument("--policy", action="append", choices=sorted(POLICIES), default=None,
                   help="restrict to these policies (repeatable)")
    add_quiet(p)
    add_json(p, "the summary (scenarios, failures with their seeds)")
    p.epilog = examples(f"bulkimpact sweep {EXAMPLE_CONFIG} --out results.parquet",
                        f"bulkimpact sweep {EXAMPLE_CONFIG} --out r.parquet --serial "
                        "--policy use_based",
                        f"bulkimpact sweep {EXAMPLE_CONFIG} --out r.parquet "
                        "--scheduler tcp://127.0.0.1:8786")
    p.set_defaults(handler=run)
