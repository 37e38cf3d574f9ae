"""The ``bulkimpact`` command line: validate, assess, sweep, synth, report, notebooks.

Bad input never ends in a traceback: every problem is printed on stderr with
its file, item and field, and the command exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .policies import SolverError
from .problems import InputError, read_yaml

__all__ = ["main", "build_parser"]

#: Top-level keys only a rulebook has (a file with any of them is checked as one).
RULEBOOK_KEYS = {"rules", "levels", "openness_variants", "low_intrusion_level"}


def _validate(args: argparse.Namespace) -> int:
    from .inventory import load_inventory
    from .rulebook import load_rulebook

    failed = False
    for path in args.paths:
        try:
            is_rulebook = Path(path).suffix in (".yaml", ".yml") and isinstance(
                data := read_yaml(path), dict) and bool(set(data) & RULEBOOK_KEYS)
            if is_rulebook:
                rb = load_rulebook(path)
                print(f"{path}: OK: rulebook {rb.title!r}: {len(rb.levels)} levels, "
                      f"{len(rb.rules)} rules, openness variants "
                      f"{', '.join(sorted(rb.openness_variants))}")
            else:
                inv = load_inventory(path)
                print(f"{path}: OK: inventory {inv.title!r}: {len(inv.datasets)} datasets, "
                      f"{len(inv.populations)} populations, "
                      f"{len(inv.investigations)} investigations"
                      + (" (fictional)" if inv.fictional else ""))
        except InputError as exc:
            failed = True
            print(f"{path}: {len(exc.problems)} problem(s):", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
    return 1 if failed else 0


def _assess(args: argparse.Namespace) -> int:
    from .assessment import assess, render_text

    params = {"k": args.k, "t": args.threshold, "time_limit": args.time_limit,
              "use_rate": args.use_rate, "horizon_years": args.horizon_years,
              "max_set_size": args.max_set_size, "max_sets": args.max_sets}
    record = assess(args.inventory, args.rulebook, args.openness, args.policy, params,
                    include=args.include, readings=args.json and not args.no_readings)
    if args.json:
        # allow_nan=False: a NaN or infinity in the record is a bug, never valid JSON output.
        json.dump(record, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    else:
        print(render_text(record))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from .combinations import EXPOSURE_KINDS
    from .parameters import DEFAULT_INCLUDE, PolicyParams
    from .policies import POLICIES

    defaults = PolicyParams()

    parser = argparse.ArgumentParser(
        prog="bulkimpact",
        description="Cumulative privacy impact of bulk datasets held together.",
    )
    parser.add_argument("--version", action="version", version=f"bulkimpact {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check inventory and rulebook files")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="inventory YAML/CSV or rulebook YAML files")
    p.set_defaults(handler=_validate)

    p = sub.add_parser("assess", help="levels, links, exposure sets and decision rules")
    p.add_argument("inventory", metavar="INVENTORY")
    p.add_argument("--rulebook", metavar="PATH", default=None,
                   help="rulebook YAML (default: data/rulebooks/default.yaml)")
    p.add_argument("--openness", default="ctivd",
                   help="openness variant of the rulebook: services, ctivd, … (default ctivd)")
    p.add_argument("--policy", action="append", choices=sorted(POLICIES), default=None,
                   help="decision rule to apply (repeatable; default: all)")
    p.add_argument("--k", type=int, default=defaults.k,
                   help=f"radius for k_hop, rule and exposure sets (default {defaults.k})")
    p.add_argument("--threshold", type=float, default=defaults.t,
                   help=f"minimum link strength for the threshold rule (default {defaults.t})")
    p.add_argument("--time-limit", type=float, default=defaults.time_limit,
                   help=f"seconds for the minimal_escalation solver (default "
                        f"{defaults.time_limit:g})")
    p.add_argument("--use-rate", type=float, default=defaults.use_rate,
                   help="uses per year of a possible combination outside any investigation "
                        f"(default {defaults.use_rate:g}, an assumption)")
    p.add_argument("--horizon-years", type=float, default=defaults.horizon_years,
                   help="years of authorisation workload set against one-off escalation "
                        f"(default {defaults.horizon_years:g})")
    p.add_argument("--max-set-size", type=int, default=defaults.max_set_size,
                   help="largest connected combination judged as an exposure set (default "
                        f"{defaults.max_set_size})")
    p.add_argument("--max-sets", type=int, default=defaults.max_sets,
                   help=f"refuse to enumerate more combinations (default {defaults.max_sets})")
    p.add_argument("--include", nargs="+", default=list(DEFAULT_INCLUDE),
                   choices=EXPOSURE_KINDS,
                   help=f"exposure-set kinds to judge on (default {' '.join(DEFAULT_INCLUDE)})")
    p.add_argument("--json", action="store_true", help="print the JSON record")
    p.add_argument("--no-readings", action="store_true",
                   help="with --json: leave out the headline openness readings (faster)")
    p.set_defaults(handler=_assess)

    from .report.cli import add_subparsers as add_report
    from .sweep import add_subparsers as add_sweep
    from .synth.cli import add_subparser as add_synth

    for register in (add_sweep, add_synth, add_report):
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except InputError as exc:
        print(f"{len(exc.problems)} problem(s) in the input:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except (ValueError, SolverError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
