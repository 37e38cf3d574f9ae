"""Command line of the report machinery: ``bulkimpact report`` and ``bulkimpact notebooks``.

:func:`add_subparsers` registers both commands on the main ``bulkimpact``
parser; each sets ``handler``, a function of the parsed arguments returning
the exit code. :func:`main` runs them on their own::

    python -m bulkimpact.report.cli report --workers 2
    python -m bulkimpact.report.cli notebooks --to-ipynb
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

# The machinery (papermill, nbconvert, jupytext) is imported by the handlers,
# not here: every `bulkimpact` command builds this parser.

__all__ = ["DEFAULT_INVENTORY", "DEFAULT_RULEBOOK", "add_subparsers", "main"]

DEFAULT_INVENTORY = "data/synthetic/baseline.yaml"
DEFAULT_RULEBOOK = "data/rulebooks/default.yaml"
DEFAULT_NOTEBOOKS = "notebooks"


def _parameter(text: str) -> tuple[str, Any]:
    """Parse ``NAME=VALUE``; the value is read as YAML (numbers, booleans, lists).

    Examples
    --------
    >>> _parameter("n_draws=200"), _parameter("label=two words"), _parameter("flags=[1, 2]")
    (('n_draws', 200), ('label', 'two words'), ('flags', [1, 2]))
    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE with NAME a Python name, got {text!r}")
    try:
        return name.strip(), yaml.safe_load(value)
    except yaml.YAMLError as exc:
        raise argparse.ArgumentTypeError(f"value of {name} is not valid YAML: {exc}") from exc


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _add_notebook_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--notebooks", default=DEFAULT_NOTEBOOKS, metavar="DIR",
                        help=f"folder of NN_name.py notebooks (default: {DEFAULT_NOTEBOOKS})")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="only this notebook (file name, stem, stem without its number, "
                             "or number); repeatable")


def add_subparsers(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``report`` and ``notebooks`` commands.

    Parameters
    ----------
    subparsers
        The object returned by ``ArgumentParser.add_subparsers()``. Each
        command sets ``handler``: call ``args.handler(args)`` to run it; it
        returns the exit code.
    """
    report = subparsers.add_parser(
        "report", help="run every notebook for every inventory into HTML reports",
        description="Execute every notebook for every inventory with papermill (in-process, "
                    "one Python process per worker), render self-contained HTML reports with "
                    "the code hidden, and write OUT/index.html. Exit code 1 if any report "
                    "failed, 2 for bad arguments or missing inputs.")
    report.add_argument("--inventory", action="append", metavar="PATH",
                        help=f"inventory YAML; repeatable (default: {DEFAULT_INVENTORY})")
    report.add_argument("--rulebook", default=DEFAULT_RULEBOOK, metavar="PATH",
                        help=f"rulebook YAML (default: {DEFAULT_RULEBOOK})")
    report.add_argument("--openness", default=None, metavar="VARIANT",
                        help="openness reading of the rulebook: 'services' counts leaked and "
                             "purchased data as public, 'ctivd' not leaked data, "
                             "'ctivd_no_purchased' neither (default: each notebook's own)")
    report.add_argument("--out", default="reports", metavar="DIR",
                        help="output folder (default: reports)")
    report.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                        help="worker processes (default: min(2, CPUs))")
    _add_notebook_selection(report)
    report.add_argument("--seed", type=int, default=None,
                        help="seed injected into every notebook (default: each notebook's own)")
    report.add_argument("-p", "--param", action="append", type=_parameter, default=[],
                        metavar="NAME=VALUE",
                        help="further notebook parameter, value read as YAML; repeatable")
    report.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="fail a notebook whose single cell runs longer than this")
    report.add_argument("--no-timestamp", action="store_true",
                        help="leave the 'Generated at' line out of the reports and index")
    report.add_argument("--no-progress", action="store_true", help="no progress bar")
    report.set_defaults(handler=report_command)

    notebooks = subparsers.add_parser(
        "notebooks", help="list the notebooks, or write .ipynb files for plain papermill",
        description="List the jupytext notebooks with their titles and parameters; with "
                    "--to-ipynb, write paired .ipynb files (papermill's command line reads "
                    "only .ipynb).")
    _add_notebook_selection(notebooks)
    notebooks.add_argument("--to-ipynb", action="store_true",
                           help="write NN_name.ipynb for each NN_name.py")
    notebooks.add_argument("--out", default=None, metavar="DIR",
                           help="write the .ipynb files here (default: next to the .py files)")
    notebooks.set_defaults(handler=notebooks_command)


def _error(command: str, exc: Exception) -> int:
    first, *rest = str(exc).splitlines() or [""]
    print(f"bulkimpact {command}: error: {first}", file=sys.stderr)
    for line in rest:
        print(f"  {line}", file=sys.stderr)
    return 2


def report_command(args: argparse.Namespace) -> int:
    """Run ``bulkimpact report``; return the exit code."""
    from bulkimpact.report.batch import run_reports
    from bulkimpact.report.files import display_path
    from bulkimpact.report.jobs import FAILED

    try:
        batch = run_reports(
            args.inventory or [DEFAULT_INVENTORY], args.rulebook,
            notebooks_dir=args.notebooks, only=args.only, openness=args.openness,
            out_dir=args.out, workers=args.workers, seed=args.seed, params=dict(args.param),
            timeout=args.timeout, progress=not args.no_progress,
            timestamp=not args.no_timestamp)
    except (FileNotFoundError, ValueError) as exc:
        return _error("report", exc)
    cwd = Path.cwd()
    for warning in dict.fromkeys(w for r in batch.results for w in r.warnings):
        print(f"warning: {warning}", file=sys.stderr)
    for result in batch.failed:
        if result.status == FAILED:
            where = f" (cell {result.failed_cell})" if result.failed_cell is not None else ""
            print(f"FAILED {result.job.label}{where}: {result.error}\n"
                  f"    {display_path(result.job.report_path, cwd)}")
    if batch.interrupted:
        print("interrupted: the index lists the reports not made as NOT RUN")
    print(batch.summary())
    print(f"index: {display_path(batch.index, cwd)}")
    return batch.exit_code


def notebooks_command(args: argparse.Namespace) -> int:
    """Run ``bulkimpact notebooks``; return the exit code."""
    from bulkimpact.report.files import display_path
    from bulkimpact.report.notebooks import NotebookInfo, find_notebooks, write_paired_notebooks

    try:
        paths = find_notebooks(args.notebooks, args.only)
    except (FileNotFoundError, ValueError) as exc:
        return _error("notebooks", exc)
    cwd = Path.cwd()
    if not args.to_ipynb:
        for path in paths:
            info = NotebookInfo.from_path(path, cwd)
            print(f"{info.file.shown}: {info.title}\n    parameters: "
                  + ", ".join(f"{k}={v}" for k, v in info.parameters.items()))
        return 0
    written = write_paired_notebooks(paths, args.out)
    for path in written:
        print(display_path(path, cwd))
    example = display_path(written[0], cwd)
    print(f"\nRun one with plain papermill, for example:\n"
          f"  papermill {example} out.ipynb -k python3 -p inventory {DEFAULT_INVENTORY} "
          f"-p openness ctivd")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the report commands without the main ``bulkimpact`` entry point.

    Examples
    --------
    >>> main(["notebooks", "--notebooks", "/nonexistent"])
    2
    """
    parser = argparse.ArgumentParser(prog="python -m bulkimpact.report.cli",
                                     description="bulkimpact reports")
    add_subparsers(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
