"""The ``bulkimpact`` command line: validate, assess, sweep, synth, report, notebooks.

One convention for every command (``bulkimpact COMMAND --help`` shows it):

- results on stdout, with ``--json`` as one JSON document; progress bars,
  warnings and errors on stderr, every error starting ``bulkimpact: error:``;
- exit status 0 ok, 1 the run found failures, 2 bad input or usage, 130
  interrupted (:data:`EXIT_STATUS`);
- ``--quiet`` switches progress off (``--no-progress`` is kept as an alias).

Bad input never ends in a traceback: every problem is printed with its file,
item and field. Starting is cheap: building the parser imports nothing heavy
(each command's arguments are added when that command is chosen, see
:class:`CommandParser`), so ``bulkimpact --help`` and ``--version`` answer at
once and a command's time is its own work. ``python -m bulkimpact`` runs the
same command line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILURES",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_STATUS",
    "CommandParser",
    "add_json",
    "add_quiet",
    "positive_int",
    "build_parser",
    "error",
    "main",
    "print_json",
    "problem_json",
    "warning",
]

EXIT_OK = 0
EXIT_FAILURES = 1  #: the run found failures (a failed report or scenario, problems found)
EXIT_BAD_INPUT = 2  #: bad input or usage: missing or invalid files, parameters, arguments
EXIT_INTERRUPTED = 130  #: stopped with Ctrl-C (128 + SIGINT)

PREFIX = "bulkimpact"

#: The epilog of every command's ``--help``.
EXIT_STATUS = f"""\
exit status (the same for every command):
  {EXIT_OK}    ok
  {EXIT_FAILURES}    the run found failures: a report or a sweep scenario failed, an
       inventory of a report batch did not validate, `validate` found
       problems in a file
  {EXIT_BAD_INPUT}    bad input or usage: a file that does not exist, an invalid
       inventory, rulebook, sweep configuration or parameter given to a
       command that computes, an unknown option or value
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C)
Results go to stdout (with --json: one JSON document); progress, warnings
and errors go to stderr, each error starting "{PREFIX}: error:"."""

#: Top-level keys only a rulebook has (a file with any of them is checked as one).
RULEBOOK_KEYS = {"rules", "levels", "openness_variants", "low_intrusion_level"}


# --- the conventions, shared by every command ---------------------------------------------


def error(message: object) -> None:
    """Print an error on stderr: ``bulkimpact: error: FIRST LINE``, further lines indented.

    Examples
    --------
    >>> import contextlib, io
    >>> buf = io.StringIO()
    >>> with contextlib.redirect_stderr(buf):
    ...     error("two problems:\\na\\nb")
    >>> print(buf.getvalue(), end="")
    bulkimpact: error: two problems:
      a
      b
    """
    first, *rest = str(message).splitlines() or [""]
    print(f"{PREFIX}: error: {first}", file=sys.stderr)
    for line in rest:
        print(f"  {line}", file=sys.stderr)


def warning(message: object) -> None:
    """Print a warning on stderr: ``bulkimpact: warning: ...``."""
    print(f"{PREFIX}: warning: {message}", file=sys.stderr)


def print_json(record: Any, allow_nan: bool = False) -> None:
    """Print `record` as one indented JSON document on stdout.

    NaN and infinities are refused unless `allow_nan` (where a command has
    always printed them): in a result they are a bug, and not valid JSON.
    """
    # One write: json.dump to a stream writes each of a large record's ~10^6 pieces apart.
    sys.stdout.write(json.dumps(record, indent=2, allow_nan=allow_nan, default=str) + "\n")


def problem_json(problem: Any) -> dict[str, Any]:
    """One :class:`bulkimpact.problems.Problem` as JSON: file, item, field, message, value.

    Examples
    --------
    >>> from bulkimpact.problems import Problem
    >>> problem_json(Problem("x.yaml", "datasets[0] (id 'a')", "persons", "must be positive", -5))
    {'file': 'x.yaml', 'item': "datasets[0] (id 'a')", 'field': 'persons', \
'message': 'must be positive', 'value': -5, 'text': "x.yaml: datasets[0] (id 'a'): \
field 'persons': must be positive, got -5"}
    """
    value = problem.value if problem.has_value else None
    if not isinstance(value, (str, int, float, bool, type(None))):
        value = repr(value)
    return {"file": problem.file, "item": problem.item, "field": problem.field,
            "message": problem.message, "value": value, "text": str(problem)}


def add_json(parser: argparse.ArgumentParser, what: str = "the result") -> None:
    """Add ``--json``: print `what` as one JSON document on stdout."""
    parser.add_argument("--json", action="store_true",
                        help=f"print {what} as JSON on stdout")


def positive_int(unit: str) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of ``unit``, at least 1, or a message that says so.

    Examples
    --------
    >>> positive_int("days")("30")
    30
    >>> positive_int("threads")("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a whole number of threads ≥ 1, got '0'
    """
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise argparse.ArgumentTypeError(
                f"expected a whole number of {unit} ≥ 1, got {text!r}")
        return value

    return parse


def add_quiet(parser: argparse.ArgumentParser) -> None:
    """Add ``--quiet`` (no progress bar) and its old spelling ``--no-progress`` (hidden)."""
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--no-progress", dest="quiet", action="store_true",
                        help=argparse.SUPPRESS)


class _Formatter(argparse.HelpFormatter):
    """Wraps paragraphs; keeps indented lines (the exit-status table) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out: list[str] = []
        paragraph: list[str] = []

        def flush() -> None:
            if paragraph:
                out.append(textwrap.fill(" ".join(paragraph), width, initial_indent=indent,
                                         subsequent_indent=indent))
                paragraph.clear()

        for line in text.splitlines():
            if not line.strip():
                flush()
                out.append("")
            elif line.startswith(" ") or line.endswith(":"):
                flush()
                out.append(indent + line)
            else:
                paragraph.append(line.strip())
        flush()
        return "\n".join(out)


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose arguments are added when it is first used.

    ``configure`` (a function of the parser) is called once, just before the
    parser parses or formats its help: a command's options, defaults and
    choices (which need the package's heavy modules) are built only when that
    command is chosen. Errors print the usage and ``bulkimpact: error: ...``
    and exit 2; every help ends with :data:`EXIT_STATUS`.

    Examples
    --------
    >>> parser = CommandParser(prog="demo", configure=lambda p: p.add_argument("--n", type=int))
    >>> parser.parse_args(["--n", "3"]).n
    3
    """

    def __init__(self, *args: Any, configure: Callable[[argparse.ArgumentParser], None]
                 | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("epilog", EXIT_STATUS)
        super().__init__(*args, **kwargs)
        self._configure = configure

    def configured(self) -> CommandParser:
        """Add the arguments now, if not done yet; return the parser."""
        configure, self._configure = self._configure, None
        if configure is not None:
            configure(self)
        return self

    def parse_known_args(self, args=None, namespace=None):  # noqa: D102
        self.configured()
        return super().parse_known_args(args, namespace)

    def _parse_known_args(self, *args, **kwargs):  # what some Pythons' subparsers call
        self.configured()
        return super()._parse_known_args(*args, **kwargs)

    def format_help(self) -> str:  # noqa: D102
        self.configured()
        return super().format_help()

    def format_usage(self) -> str:  # noqa: D102
        self.configured()
        return super().format_usage()

    def error(self, message: str) -> Any:  # noqa: D102
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{PREFIX}: error: {message}\n")


def command(subparsers: Any, name: str, configure: Callable[[argparse.ArgumentParser], None],
            help: str, **kwargs: Any) -> argparse.ArgumentParser:
    """Register command `name`; `configure` adds its arguments (at once on a plain parser)."""
    parser = subparsers.add_parser(name, help=help, **kwargs)
    if isinstance(parser, CommandParser):
        parser._configure = configure
    else:  # a plain argparse parser: configure now
        configure(parser)
    return parser


class _VersionAction(argparse.Action):
    """``--version``: the version is looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):  # noqa: D102
        from ._version import __version__

        print(f"bulkimpact {__version__}")
        parser.exit()


# --- validate ------------------------------------------------------------------------------


def _validate_one(path: str) -> dict[str, Any]:
    from .inventory import load_inventory
    from .problems import InputError, read_yaml
    from .rulebook import load_rulebook

    entry: dict[str, Any] = {"path": path, "kind": None, "ok": False}
    try:
        is_rulebook = Path(path).suffix in (".yaml", ".yml") and isinstance(
            data := read_yaml(path), dict) and bool(set(data) & RULEBOOK_KEYS)
        entry["kind"] = "rulebook" if is_rulebook else "inventory"
        if is_rulebook:
            rb = load_rulebook(path)
            entry.update(ok=True, title=rb.title, levels=len(rb.levels), rules=len(rb.rules),
                         openness_variants=sorted(rb.openness_variants))
        else:
            inv = load_inventory(path)
            entry.update(ok=True, title=inv.title, datasets=len(inv.datasets),
                         populations=len(inv.populations),
                         investigations=len(inv.investigations), fictional=inv.fictional)
    except InputError as exc:
        entry["problems"] = exc.problems
    entry["missing"] = not Path(path).exists()
    return entry


def _validate(args: argparse.Namespace) -> int:
    entries = [_validate_one(path) for path in args.paths]
    if args.json:
        print_json({"ok": all(e["ok"] for e in entries), "files": [
            {**e, "problems": [problem_json(p) for p in e.get("problems", [])]}
            for e in entries]})
    else:
        _print_verdicts(entries)
    if any(e["missing"] for e in entries):
        return EXIT_BAD_INPUT
    return EXIT_OK if all(e["ok"] for e in entries) else EXIT_FAILURES


def _print_verdicts(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        if e["ok"] and e["kind"] == "rulebook":
            print(f"{e['path']}: OK: rulebook {e['title']!r}: {e['levels']} levels, "
                  f"{e['rules']} rules, openness variants {', '.join(e['openness_variants'])}")
        elif e["ok"]:
            print(f"{e['path']}: OK: inventory {e['title']!r}: {e['datasets']} datasets, "
                  f"{e['populations']} populations, {e['investigations']} investigations"
                  + (" (fictional)" if e["fictional"] else ""))
        else:
            print(f"{e['path']}: {len(e['problems'])} problem(s):", file=sys.stderr)
            for problem in e["problems"]:
                print(f"  {problem}", file=sys.stderr)


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.description = ("Check inventory (YAML or CSV) and rulebook files: every problem, located "
                     "by file, item and field, at once. Exit status 1 if any file has "
                     "problems, 2 if a file does not exist.")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="inventory YAML/CSV or rulebook YAML files")
    add_json(p, "the verdict per file (problems with file, item, field)")
    p.set_defaults(handler=_validate)


# --- assess --------------------------------------------------------------------------------


def _assess(args: argparse.Namespace) -> int:
    from .assessment import assess, render_text

    params = {"k": args.k, "t": args.threshold, "time_limit": args.time_limit,
              "use_rate": args.use_rate, "horizon_years": args.horizon_years,
              "max_set_size": args.max_set_size, "max_sets": args.max_sets}
    record = assess(args.inventory, args.rulebook, args.openness, args.policy, params,
                    include=args.include, readings=args.json and not args.no_readings)
    if args.json:
        print_json(record)
    else:
        print(render_text(record))
    return EXIT_OK


def _configure_assess(p: argparse.ArgumentParser) -> None:
    from .combinations import EXPOSURE_KINDS
    from .parameters import DEFAULT_INCLUDE, DEFAULT_OPENNESS, PolicyParams
    from .policies import POLICIES

    defaults = PolicyParams()
    p.description = ("Assess one inventory: per-dataset levels, links, exposure sets and every "
                     "decision rule. Exit status 2 for an invalid inventory, rulebook or "
                     "parameter; 1 if the minimal_escalation solver stops short of a proven "
                     "optimum.")
    p.add_argument("inventory", metavar="INVENTORY")
    p.add_argument("--rulebook", metavar="PATH", default=None,
                   help="rulebook YAML (default: the bundled data/rulebooks/default.yaml)")
    p.add_argument("--openness", default=DEFAULT_OPENNESS,
                   help="openness variant of the rulebook: services, ctivd, … (default "
                        f"{DEFAULT_OPENNESS})")
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
    add_json(p, "the JSON record (a stable contract)")
    p.add_argument("--no-readings", action="store_true",
                   help="with --json: leave out the headline openness readings (faster)")
    p.set_defaults(handler=_assess)


# --- sweep ---------------------------------------------------------------------------------


def _sweep(args: argparse.Namespace) -> int:
    import time

    from .rulebook import default_rulebook_path
    from .sweep import expand_scenarios, load_sweep_config, run_sweep, write_parquet_atomic

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


def _configure_sweep(p: argparse.ArgumentParser) -> None:
    from .policies import POLICIES

    p.description = ("Evaluate every decision rule over seeded generated scenarios (a grid × "
                     "replicates, see bulkimpact.sweep.SweepConfig) on Dask, one row per "
                     "scenario × rule, into a Parquet file. A scenario that fails is recorded "
                     "with its error and seed (exit status 1); a bad configuration stops the "
                     "sweep before any scenario runs (exit status 2).")
    p.add_argument("config", metavar="CONFIG.yaml", help="sweep configuration")
    p.add_argument("--out", required=True, metavar="RESULTS.parquet")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="existing Dask scheduler, e.g. tcp://host:8786 (default: a local "
                        "cluster)")
    p.add_argument("--workers", type=int, default=None,
                   help="local-cluster worker processes (default: CPU count)")
    p.add_argument("--serial", action="store_true", help="run in this process, no Dask")
    p.add_argument("--policy", action="append", choices=sorted(POLICIES), default=None,
                   help="restrict to these policies (repeatable)")
    add_quiet(p)
    add_json(p, "the summary (scenarios, failures with their seeds)")
    p.set_defaults(handler=_sweep)


# --- the parser and main -------------------------------------------------------------------


def _lazy(module: str, name: str) -> Callable[[argparse.ArgumentParser], None]:
    """`name` of `module`, imported when the command is chosen."""
    def configure(parser: argparse.ArgumentParser) -> None:
        import importlib

        getattr(importlib.import_module(module), name)(parser)
    return configure


#: Every command: name, what configures its parser, one-line help.
COMMANDS: tuple[tuple[str, Callable[[argparse.ArgumentParser], None], str], ...] = (
    ("validate", _configure_validate, "check inventory and rulebook files"),
    ("assess", _configure_assess, "levels, links, exposure sets and decision rules"),
    ("sweep", _configure_sweep, "evaluate every policy over generated scenarios"),
    ("synth", _lazy("bulkimpact.synth.cli", "configure"),
     "record-level synthetic world: population, uniqueness, validation"),
    ("report", _lazy("bulkimpact.report.cli", "configure_report"),
     "run every notebook for every inventory into HTML reports"),
    ("notebooks", _lazy("bulkimpact.report.cli", "configure_notebooks"),
     "list the notebooks, or write .ipynb files for plain papermill"),
    ("exchange", _lazy("bulkimpact.exchange.cli", "configure"),
     "structural exchange with private partners: per provision or over time together"),
    ("timeline", _lazy("bulkimpact.timeline.cli", "configure"),
     "retention timeline: datasets held over time, assessed together; what-ifs"),
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (their arguments added on first use)."""
    parser = CommandParser(
        prog="bulkimpact",
        description="Cumulative privacy impact of bulk datasets held together. "
                    "Run 'bulkimpact COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, configure, help_text in COMMANDS:
        command(sub, name, configure, help_text)
    return parser


def _exit_code(exc: Exception) -> int | None:
    """The exit status for an exception a command raised; None for a bug (re-raised)."""
    solver = getattr(sys.modules.get("bulkimpact.policies"), "SolverError", None)
    if solver is not None and isinstance(exc, solver):
        return EXIT_FAILURES  # the input was fine; the run did not reach a proven answer
    if isinstance(exc, (ValueError, OSError)):
        return EXIT_BAD_INPUT
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :data:`EXIT_STATUS`)."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print(f"{PREFIX}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        code = _exit_code(exc)
        if code is None:
            raise
        problems = getattr(exc, "problems", None)
        if problems is not None:
            error(f"{len(problems)} problem(s) in the input:\n"
                  + "\n".join(str(p) for p in problems))
        else:
            error(exc)
        return code


if __name__ == "__main__":
    sys.exit(main())
