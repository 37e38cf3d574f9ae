"""Command line of the report machinery: ``bulkimpact report`` and ``bulkimpact notebooks``.

The main ``bulkimpact`` parser builds each command with :func:`configure_report`
and :func:`configure_notebooks` when it is chosen; each sets ``handler``, a
function of the parsed arguments returning the exit status (:data:`bulkimpact.cli.EXIT_STATUS`).
:func:`main` runs the same command line::

    python -m bulkimpact.report.cli report --workers 2
    python -m bulkimpact.report.cli notebooks --to-ipynb
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bulkimpact.cli import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    add_json,
    add_quiet,
    error,
    examples,
    finite_number,
    openness_help,
    print_json,
    problem_json,
    seed_number,
    warning,
    whole_number,
)

# The machinery (papermill, nbconvert, jupytext) is imported by the handlers,
# not here.

__all__ = ["DEFAULT_INVENTORY", "DEFAULT_RULEBOOK", "configure_notebooks",
           "configure_report", "main"]

# The defaults are bundled files (bulkimpact.resources), found wherever bulkimpact is
# installed; these are their names, as help texts and reports show them.
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
    import yaml

    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE with NAME a Python name, got {text!r}")
    try:
        return name.strip(), yaml.safe_load(value)
    except yaml.YAMLError as exc:
        raise argparse.ArgumentTypeError(f"value of {name} is not valid YAML: {exc}") from exc


def _add_notebook_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--notebooks", default=None, metavar="DIR",
                        help=f"folder of NN_name.py notebooks (default: the bundled "
                             f"{DEFAULT_NOTEBOOKS}/)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="only this notebook (file name, stem, stem without its number, "
                             "or number); repeatable")


#: The languages reports can be written in (bulkimpact.present.i18n.LANGUAGES; kept
#: literal so that ``--help`` imports nothing heavy).
LANGUAGE_CHOICES = ("nl", "en")


def configure_report(report: argparse.ArgumentParser) -> None:
    """Add the options of ``bulkimpact report`` to its parser."""
    report.description = (
        "Execute every notebook for every inventory with papermill (in-process, one Python "
        "process per worker), render self-contained HTML reports with the code hidden, and "
        "write OUT/index.html. Each inventory is validated on its own: one that does not "
        "validate gets no reports and is marked FAILED in the index with its problems, and "
        "the others still render. Exit status 1 if any report failed or any inventory did not "
        "validate, 2 for bad arguments, a missing file, an invalid rulebook or an unknown "
        "openness variant, or an output folder it may not write into (nothing runs), 130 if "
        "interrupted (an inventory whose reports were not all made is NOT RUN: its earlier "
        "reports are kept).")
    report.add_argument("--inventory", action="append", metavar="PATH",
                        help=f"inventory YAML; repeatable (default: the bundled "
                             f"{DEFAULT_INVENTORY})")
    report.add_argument("--rulebook", default=None, metavar="PATH",
                        help=f"rulebook YAML (default: the bundled {DEFAULT_RULEBOOK})")
    report.add_argument("--openness", default=None, metavar="READING",
                        help=openness_help(None))
    report.add_argument("--lang", action="append", choices=LANGUAGE_CHOICES, default=None,
                        dest="languages", metavar="LANG",
                        help="language of the reports, nl or en; repeatable, the first is the "
                             "main one (index.html). Each notebook still runs once. "
                             "(default: both, Dutch first)")
    report.add_argument("--out", default="reports", metavar="DIR",
                        help="output folder (default: reports): new, empty, or an earlier "
                             "bulkimpact output; each inventory's reports are replaced in one "
                             "step when all are made, and nothing bulkimpact did not write is "
                             "deleted or overwritten")
    report.add_argument("--force", action="store_true",
                        help="also write into a non-empty folder that is not a bulkimpact "
                             "output, beside what is there; a file or folder bulkimpact did not "
                             "write is still never deleted or overwritten (a run that would "
                             "overwrite one is refused)")
    report.add_argument("--workers", type=whole_number("worker processes"), default=None,
                        metavar="N",
                        help="worker processes (default: min(2, CPUs))")
    _add_notebook_selection(report)
    report.add_argument("--seed", type=seed_number, default=None,
                        help="seed injected into every notebook (default: each notebook's own)")
    report.add_argument("-p", "--param", action="append", type=_parameter, default=[],
                        metavar="NAME=VALUE",
                        help="further notebook parameter, value read as YAML; repeatable")
    report.add_argument("--timeout", type=finite_number("seconds", above_minimum=True),
                        default=None, metavar="SECONDS",
                        help="fail a notebook whose single cell runs longer than this")
    report.add_argument("--no-timestamp", action="store_true",
                        help="leave the 'Generated at' line out of the reports and index")
    add_quiet(report)
    add_json(report, "the summary (every report's status, inventories that did not validate)")
    report.epilog = examples("bulkimpact report --out reports --workers 2",
                             "bulkimpact report --inventory my_inventory.yaml --lang nl "
                             "--only 04 --out my-reports")
    report.set_defaults(handler=report_command)


def configure_notebooks(notebooks: argparse.ArgumentParser) -> None:
    """Add the options of ``bulkimpact notebooks`` to its parser."""
    notebooks.description = (
        "List the jupytext notebooks with their titles and parameters; with --to-ipynb, write "
        ".ipynb files (papermill's command line reads only .ipynb): paired with the .py files, "
        "in both languages, for JupyterLab; with --lang, copies in one language for plain "
        "papermill and nbconvert.")
    _add_notebook_selection(notebooks)
    notebooks.add_argument("--to-ipynb", action="store_true",
                           help="write NN_name.ipynb for each NN_name.py")
    notebooks.add_argument("--lang", choices=LANGUAGE_CHOICES, default=None, metavar="LANG",
                           help="with --to-ipynb and --out: write copies in one language, nl or "
                                "en (the other language's prose left out), which plain "
                                "papermill and nbconvert turn into a page in that language "
                                "(default: both languages, as the .py files hold them)")
    notebooks.add_argument("--out", default=None, metavar="DIR",
                           help="write the .ipynb files here (default: next to the .py files; "
                                "required with --lang)")
    add_json(notebooks, "the notebooks (or the files written)")
    notebooks.epilog = examples("bulkimpact notebooks", "bulkimpact notebooks --to-ipynb",
                                "bulkimpact notebooks --to-ipynb --lang nl --out my-notebooks")
    notebooks.set_defaults(handler=notebooks_command)


def _error(exc: Exception) -> int:
    error(exc)
    return EXIT_BAD_INPUT


def report_command(args: argparse.Namespace) -> int:
    """Run ``bulkimpact report``; return the exit status.

    Missing files, an invalid rulebook, an unknown openness variant or two
    inventories of one name raise before anything runs (the command line
    prints them and exits 2); an inventory that does not validate is a
    failure of the batch, listed with its problems.
    """
    from bulkimpact.report.batch import run_reports
    from bulkimpact.report.files import display_path
    from bulkimpact.report.jobs import FAILED
    from bulkimpact.resources import (
        default_inventory_path,
        default_notebooks_dir,
        default_rulebook_path,
    )

    batch = run_reports(
        args.inventory or [default_inventory_path()], args.rulebook or default_rulebook_path(),
        notebooks_dir=args.notebooks or default_notebooks_dir(), only=args.only,
        openness=args.openness,
        out_dir=args.out, workers=args.workers, seed=args.seed, params=dict(args.param),
        timeout=args.timeout, progress=not args.quiet,
        timestamp=not args.no_timestamp, languages=args.languages, force=args.force)
    cwd = Path.cwd()
    for text in dict.fromkeys(w for r in batch.results for w in r.warnings):
        warning(text)
    if batch.interrupted:
        print("bulkimpact: interrupted: the reports not made are NOT RUN; an inventory's "
              "earlier reports, if any, are kept", file=sys.stderr)
    if args.json:
        print_json(_summary_json(batch, cwd))
        return batch.exit_code
    for failure in batch.failed_inputs:
        print(f"FAILED {failure.shown}: {failure.error}; no reports for it")
        for problem in failure.problems:
            print(f"    {problem}")
    for result in batch.failed:
        if result.status == FAILED:
            where = f" (cell {result.failed_cell})" if result.failed_cell is not None else ""
            print(f"FAILED {result.job.label}{where}: {result.error}\n"
                  f"    {display_path(result.job.report_path, cwd)}")
    print(batch.summary())
    print(f"index: {display_path(batch.index, cwd)}")
    return batch.exit_code


def _summary_json(batch: Any, cwd: Path) -> dict[str, Any]:
    """The ``report --json`` document: the batch, every report, every failed inventory."""
    from bulkimpact.report.files import display_path
    from bulkimpact.report.jobs import FAILED, NOT_RUN, OK

    statuses = [r.status for r in batch.results]
    return {
        "summary": batch.summary(),
        "index": display_path(batch.index, cwd),
        "reports": len(batch.results),
        "ok": statuses.count(OK),
        "failed": statuses.count(FAILED),
        "not_run": statuses.count(NOT_RUN),
        "failed_inventories": len(batch.failed_inputs),
        "interrupted": batch.interrupted,
        "seconds": round(batch.seconds, 3),
        "results": [{
            "inventory": r.job.inventory.shown, "scenario": r.job.scenario,
            "notebook": r.job.notebook.stem, "status": r.status, "error": r.error,
            "failed_cell": r.failed_cell, "seconds": round(r.seconds, 3),
            "report": display_path(r.job.report_path, cwd), "warnings": list(r.warnings),
        } for r in batch.results],
        "inventories": [{
            "inventory": f.shown, "scenario": f.scenario, "status": FAILED, "error": f.error,
            "problems": [problem_json(p) for p in f.problems],
        } for f in batch.failed_inputs],
    }


def notebooks_command(args: argparse.Namespace) -> int:
    """Run ``bulkimpact notebooks``; return the exit code."""
    from bulkimpact.report.files import display_path
    from bulkimpact.report.notebooks import (
        NotebookInfo,
        find_notebooks,
        write_language_notebooks,
        write_paired_notebooks,
    )
    from bulkimpact.resources import default_notebooks_dir

    if args.lang is not None and (not args.to_ipynb or args.out is None):
        error("--lang writes copies of the notebooks in one language: give it with --to-ipynb "
              "and --out DIR (a folder other than the .py notebooks', which JupyterLab pairs "
              "with the .ipynb beside them), e.g. bulkimpact notebooks --to-ipynb --lang nl "
              "--out my-notebooks")
        return EXIT_BAD_INPUT
    try:
        paths = find_notebooks(args.notebooks or default_notebooks_dir(), args.only)
    except (FileNotFoundError, ValueError) as exc:
        return _error(exc)
    cwd = Path.cwd()
    if not args.to_ipynb:
        infos = [NotebookInfo.from_path(path, cwd) for path in paths]
        if args.json:
            print_json({"notebooks": [{"file": i.file.shown, "title": i.title,
                                       "parameters": dict(i.parameters)} for i in infos]})
            return EXIT_OK
        for info in infos:
            print(f"{info.file.shown}: {info.title}\n    parameters: "
                  + ", ".join(f"{k}={v}" for k, v in info.parameters.items()))
        return EXIT_OK
    if args.lang is None:
        written = write_paired_notebooks(paths, args.out)
    else:
        try:
            written = write_language_notebooks(paths, args.out, args.lang)
        except ValueError as exc:
            return _error(exc)
    if args.json:
        print_json({"written": [display_path(path, cwd) for path in written]})
        return EXIT_OK
    for path in written:
        print(display_path(path, cwd))
    example = display_path(written[0], cwd)
    print(f"\nRun one with plain papermill, then make a page of it, for example:\n"
          f"  papermill {example} out.ipynb -p openness services\n"
          f"  jupyter nbconvert --to html out.ipynb\n"
          f"(inventory and rulebook default to the bundled {DEFAULT_INVENTORY} and "
          f"{DEFAULT_RULEBOOK}; pass -p inventory PATH for your own)")
    if args.lang is None:
        print("These hold both languages, for JupyterLab; for a page in one language write "
              "copies with --lang nl (or en) --out DIR.")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``report`` or ``notebooks`` (``python -m bulkimpact.report.cli``): the package
    command line, same options, messages and exit status.

    Examples
    --------
    >>> main(["notebooks", "--notebooks", "/nonexistent"])
    2
    """
    from bulkimpact.cli import main as package_main

    return package_main(argv)


if __name__ == "__main__":
    sys.exit(main())
