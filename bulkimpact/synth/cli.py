"""``bulkimpact synth``: generate a population, measure uniqueness, validate an inventory.

The package command line registers these with :func:`configure` (on first
use); ``python -m bulkimpact.synth.cli synth ...``
runs the same command line. Every handler returns an exit status (see
:data:`bulkimpact.cli.EXIT_STATUS`): 0 on success, 2 on bad input with a
one-line ``bulkimpact: error:`` message naming the file or column and what
would be valid. The measuring modules are imported by the handlers, so a
command loads only what it uses.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..cli import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    add_json,
    add_quiet,
    command,
    error,
    examples,
    print_json,
    seed_number,
    whole_number,
)

__all__ = ["configure", "main"]


def _error(message: str) -> int:
    error(message)
    return EXIT_BAD_INPUT


def _population(args: argparse.Namespace) -> int:
    from .population import write_population

    out = Path(args.out)
    if not out.parent.is_dir():
        return _error(f"--out {out}: directory {out.parent} does not exist")
    start = time.perf_counter()
    write_population(out, args.persons, args.seed, progress=not args.quiet)
    seconds = time.perf_counter() - start
    if args.json:
        print_json({"out": str(out), "persons": args.persons, "seed": args.seed,
                    "seconds": round(seconds, 3)})
    else:
        print(f"wrote {args.persons:,} persons (seed {args.seed}) to {out} in {seconds:.1f} s")
    return EXIT_OK


def _class_sizes_for_display(classes: Any, largest: int = 10) -> Any:
    small = classes[classes["size"] <= largest].copy()
    small["size"] = small["size"].astype(str)
    rest = classes[classes["size"] > largest]
    if len(rest):
        small.loc[len(small)] = [f">{largest}", int(rest["classes"].sum()),
                                 int(rest["persons"].sum())]
    return small


def _uniqueness(args: argparse.Namespace) -> int:
    from .measure import SourceError, uniqueness

    try:
        result = uniqueness(Path(args.file), args.qi)
    except SourceError as exc:
        return _error(str(exc))
    if args.json:
        print_json({"file": str(args.file), **result.to_dict()}, allow_nan=True)
        return EXIT_OK
    print(f"{args.file}: {result.fraction_unique:.2%} of {result.persons:,} persons are unique "
          f"on {' + '.join(result.qi)} ({result.unique:,} persons)")
    print()
    print(_class_sizes_for_display(result.classes).to_markdown(index=False))
    return EXIT_OK


_SHOWN = ["a", "b", "world", "keys", "qis", "N", "overlap_exact", "overlap_expected",
          "overlap_z", "key_links_exact", "key_links_expected", "qi_links_exact",
          "qi_links_expected", "qi_links_expected_skewed", "links_exact", "links_expected",
          "links_sd", "flag"]


def _load_graph(inventory: Any) -> Any:
    """The package's linkage graph with the default rulebook, if that part of the package exists."""
    try:
        from ..linkage import build_linkage_graph
        from ..rulebook import default_rulebook_path, load_rulebook
    except ImportError:
        return None
    return build_linkage_graph(inventory, load_rulebook(default_rulebook_path()))


def _validate(args: argparse.Namespace) -> int:
    path = Path(args.inventory)
    if not path.is_file():
        return _error(f"{path}: no such inventory file")
    from ..inventory import load_inventory
    from .validate import validate_inventory

    inventory = load_inventory(path)
    result = validate_inventory(inventory, persons=args.persons, seed=args.seed,
                                reference=args.reference, graph=_load_graph(inventory))
    if args.json:
        print_json({"inventory": str(path), **result.to_dict()}, allow_nan=True)
        return EXIT_OK
    edges = result.to_frame()
    worlds = "; ".join(f"{w.reference!r} ({w.scale:.4g} synthetic per real person)"
                       for w in result.worlds.itertuples())
    print(f"{path}: {len(edges)} linkable pairs realised with {args.persons:,} synthetic persons "
          f"per world (seed {args.seed}), standing for {worlds}")
    if len(edges):
        shown = edges[[c for c in _SHOWN if c in edges.columns]]
        print()
        print(shown.to_markdown(index=False, floatfmt=".5g"))
    for dataset, reason in result.not_realised.items():
        print(f"note: {dataset}: not realised: {reason}")
    for dataset, fields in result.unrealised.items():
        print(f"note: {dataset}: fields not realised in the synthetic world: {', '.join(fields)}")
    for r in result.flagged.itertuples():
        print(f"note: {r.a} × {r.b} ({r.world}): {r.flag} outside the predicted sampling error")
    return EXIT_OK


def _configure_population(p: argparse.ArgumentParser) -> None:
    from .population import NL_PERSONS

    p.add_argument("--persons", type=whole_number("persons"), default=NL_PERSONS,
                   help=f"persons to generate (default {NL_PERSONS:_}, the Netherlands)")
    p.add_argument("--seed", type=seed_number, default=0, help="seed (default 0)")
    p.add_argument("--out", required=True, metavar="FILE.parquet", help="Parquet file to write")
    add_quiet(p)
    add_json(p, "what was written")
    p.epilog = examples("bulkimpact synth population --persons 200_000 --out population.parquet")
    p.set_defaults(handler=_population)


def _configure_uniqueness(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.parquet", help="a synthetic population or extract")
    p.add_argument("--qi", required=True,
                   help="comma-separated columns, e.g. date_of_birth,postcode; derived: "
                        "pc4, birth_year, region")
    add_json(p, "the share unique and the class sizes")
    p.epilog = examples("bulkimpact synth uniqueness population.parquet "
                        "--qi date_of_birth,pc4")
    p.set_defaults(handler=_uniqueness)


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("inventory", metavar="INVENTORY", help="inventory YAML file")
    p.add_argument("--persons", type=whole_number("persons"), default=200_000,
                   help="synthetic persons in each world (default 200_000)")
    p.add_argument("--seed", type=seed_number, default=0, help="seed (default 0)")
    p.add_argument("--reference", metavar="POPULATION", action="append",
                   help="population a world of synthetic persons stands for; repeatable "
                        "(default: the one of at most ~18.8 M persons enclosing the most "
                        "datasets, then one world per population outside it that holds "
                        "datasets)")
    add_json(p, "exact and expected figures per edge")
    p.epilog = examples("bulkimpact synth validate data/synthetic/baseline.yaml --persons 50_000")
    p.set_defaults(handler=_validate)


def configure(synth: argparse.ArgumentParser) -> None:
    """Add the ``synth`` sub-commands to its parser (each configured when chosen)."""
    synth.description = ("Record-level synthetic world: a seeded Dutch-like population, exact "
                         "uniqueness, and exact-versus-analytic validation of an inventory.")
    sub = synth.add_subparsers(dest="synth_command", required=True, metavar="COMMAND")
    synth.epilog = examples("bulkimpact synth population --out population.parquet",
                            "bulkimpact synth validate data/synthetic/baseline.yaml")
    command(sub, "population", _configure_population,
            "generate a synthetic population to Parquet")
    command(sub, "uniqueness", _configure_uniqueness,
            "share of persons unique on quasi-identifiers")
    command(sub, "validate", _configure_validate,
            "exact versus analytic overlap and links per edge")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``synth`` on its own (``python -m bulkimpact.synth.cli synth ...``): the
    package command line, same options, messages and exit status."""
    from ..cli import main as package_main

    return package_main(argv)


if __name__ == "__main__":
    sys.exit(main())
