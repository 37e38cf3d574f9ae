"""The ``bulkimpact`` command line: the verbs, and the conventions every verb shares.

One convention for every command (``bulkimpact --help`` shows it):

- results on stdout, with ``--json`` as one JSON document; progress bars,
  warnings and errors on stderr, every error starting ``bulkimpact: error:``;
- exit status 0 ok, 1 the run found failures, 2 bad input or usage, 130
  interrupted (:data:`EXIT_STATUS`, printed once, in the top-level help);
- ``--quiet`` switches progress off (``--no-progress`` is kept as an alias);
- each verb's ``--help`` ends with examples; option values are read by one
  parser per kind of value (:func:`whole_number`, :func:`finite_number`,
  :func:`iso_date`, :func:`id_at_date`, :data:`seed_number`), so the same
  mistake gets the same message in every verb;
- text from user files is printed without control characters (no terminal
  escape sequences, :func:`printable`).

Where a verb lives, by one rule: **a verb's command line (its ``configure``
and handler) is the** ``cli`` **module of the package whose work it runs**:
``sweep/cli.py``, ``synth/cli.py``, ``report/cli.py`` (``report`` and
``notebooks``), ``exchange/cli.py``, ``timeline/cli.py``; ``validate`` and
``assess`` run the top-level package's own work, so they are here, with the
shared conventions. :data:`COMMANDS` lists them all; no package
``__init__`` imports a ``cli`` module, and the text views of results (what a
verb prints without ``--json``) live in these modules, not in the core.

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
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILURES",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_STATUS",
    "EXTRA_OF_MODULE",
    "SEE_EXIT_STATUS",
    "CommandParser",
    "add_json",
    "add_quiet",
    "build_parser",
    "error",
    "examples",
    "finite_number",
    "id_at_date",
    "iso_date",
    "main",
    "missing_extra",
    "openness_help",
    "print_json",
    "printable",
    "problem_json",
    "render_assessment",
    "seed_number",
    "warning",
    "whole_number",
]

EXIT_OK = 0
EXIT_FAILURES = 1  #: the run found failures (a failed report or scenario, problems found)
EXIT_BAD_INPUT = 2  #: bad input or usage: missing or invalid files, parameters, arguments
EXIT_INTERRUPTED = 130  #: stopped with Ctrl-C (128 + SIGINT)

PREFIX = "bulkimpact"

#: The epilog of the top-level ``--help`` (once: each verb's help points to it).
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

#: The last line of every verb's ``--help``.
SEE_EXIT_STATUS = f"exit status and output streams: see '{PREFIX} --help'"

#: The optional dependencies by the extra that installs them (pyproject.toml): a verb that
#: meets one missing says which extra to install.
EXTRA_OF_MODULE = {
    **dict.fromkeys(("papermill", "nbconvert", "jinja2", "nbformat", "nbclient", "ipykernel",
                     "jupytext", "matplotlib"), "report"),
    **dict.fromkeys(("duckdb", "pyarrow", "tabulate"), "synth"),
    **dict.fromkeys(("dask", "distributed"), "dask"),
    **dict.fromkeys(("jupyterlab", "ipywidgets"), "lab"),
}

#: Top-level keys only a rulebook has (a file with any of them is checked as one).
RULEBOOK_KEYS = {"rules", "levels", "openness_variants", "low_intrusion_level"}


# --- the conventions, shared by every command ---------------------------------------------


#: Terminal escape sequences (CSI, OSC) and the other control characters but tab and newline.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
                      r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    r"""`text` without terminal escape sequences and control characters (tab, newline kept).

    Names in the output come from user files; a name must not recolour,
    move or clear the reader's terminal.

    Examples
    --------
    >>> printable("leak\x1b[31m-red\x1b[0m\x07\tid\n")
    'leak-red\tid\n'
    """
    return _CONTROL.sub("", text)


class _PrintableStream:
    """A text stream that writes :func:`printable` text to the stream it wraps."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


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
    first, *rest = printable(str(message)).splitlines() or [""]
    print(f"{PREFIX}: error: {first}", file=sys.stderr)
    for line in rest:
        print(f"  {line}", file=sys.stderr)


def warning(message: object) -> None:
    """Print a warning on stderr: ``bulkimpact: warning: ...``."""
    print(f"{PREFIX}: warning: {printable(str(message))}", file=sys.stderr)


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
    if not isinstance(value, (str, int, float, bool, type(None))) or value in (
            float("inf"), float("-inf")) or value != value:  # NaN and ±inf are not JSON
        value = repr(value)
    return {"file": problem.file, "item": problem.item, "field": problem.field,
            "message": problem.message, "value": value, "text": str(problem)}


def add_json(parser: argparse.ArgumentParser, what: str = "the result") -> None:
    """Add ``--json``: print `what` as one JSON document on stdout."""
    parser.add_argument("--json", action="store_true",
                        help=f"print {what} as JSON on stdout")


# --- option values: one parser per kind, shared by every verb ------------------------------


def whole_number(unit: str, minimum: int = 1, maximum: int | None = None
                 ) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of `unit` from `minimum` (to `maximum`).

    argparse puts the option's name before the message (``argument --seed: ...``).

    Examples
    --------
    >>> whole_number("days")("30")
    30
    >>> whole_number("threads")("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a whole number of threads ≥ 1, got '0'
    >>> whole_number("days", maximum=36500)("3000000")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a whole number of days from 1 to 36500, got '3000000'
    """
    expected = (f"a whole number of {unit} ≥ {minimum}" if maximum is None
                else f"a whole number of {unit} from {minimum} to {maximum}")

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    return parse


def finite_number(unit: str, minimum: float = 0.0, above_minimum: bool = False
                  ) -> Callable[[str], float]:
    """An argparse ``type``: a finite number of `unit` ≥ `minimum` (> with `above_minimum`).

    Examples
    --------
    >>> finite_number("seconds", above_minimum=True)("2.5")
    2.5
    >>> finite_number("link strength")("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a finite number of link strength ≥ 0, got 'nan'
    >>> finite_number("seconds", above_minimum=True)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a finite number of seconds > 0, got '0'
    """
    import math

    expected = f"a finite number of {unit} {'>' if above_minimum else '≥'} {minimum:g}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < minimum or (above_minimum and value == minimum):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    return parse


def iso_date(text: str) -> date:
    """An argparse ``type``: an ISO date ``YYYY-MM-DD``.

    Examples
    --------
    >>> iso_date("2025-06-01")
    datetime.date(2025, 6, 1)
    >>> iso_date("1 June")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '1 June' is not a date; give an ISO date YYYY-MM-DD, e.g. 2025-06-01
    """
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; give an ISO date YYYY-MM-DD, e.g. 2025-06-01") from None


def id_at_date(text: str) -> str:
    """An argparse ``type``: ``ID@DATE``, a dataset id and an ISO date (kept as written).

    The verb checks the id against its inventory; this checks the form and the date.

    Examples
    --------
    >>> id_at_date("leak-webshop-2019@2025-01-01")
    'leak-webshop-2019@2025-01-01'
    >>> id_at_date("leak-webshop-2019")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected ID@DATE (a dataset id and an ISO date YYYY-MM-DD, \
e.g. leak-webshop-2019@2025-01-01), got 'leak-webshop-2019'
    """
    ident, sep, day = text.rpartition("@")
    try:
        if not (sep and ident):
            raise ValueError
        date.fromisoformat(day)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "expected ID@DATE (a dataset id and an ISO date YYYY-MM-DD, e.g. "
            f"leak-webshop-2019@2025-01-01), got {text!r}") from None
    return text


#: ``--seed``: a whole number ≥ 0 (numpy's seeds).
seed_number = whole_number("seed", minimum=0)


def examples(*lines: str) -> str:
    """A verb's help epilog: its example command lines, then where the exit status is.

    Examples
    --------
    >>> print(examples("bulkimpact validate inv.yaml"))
    examples:
      bulkimpact validate inv.yaml
    <BLANKLINE>
    exit status and output streams: see 'bulkimpact --help'
    """
    return "examples:\n" + "".join(f"  {line}\n" for line in lines) + "\n" + SEE_EXIT_STATUS


def openness_help(default: str | None) -> str:
    """Help of an ``--openness`` option: every reading of the bundled rulebook, with its label.

    Read from the rulebook, so a reading added there shows here.

    Examples
    --------
    >>> text = openness_help("ctivd")
    >>> text.count(": "), text.endswith("(default ctivd)")
    (5, True)
    """
    from .rulebook import default_rulebook_path, load_rulebook

    variants = load_rulebook(default_rulebook_path()).openness_variants
    readings = "; ".join(f"{name}: {v.label}" for name, v in variants.items())
    shown = default or "each notebook's own"
    return f"openness reading of the rulebook, one of {readings} (default {shown})"


def add_rulebook(parser: argparse.ArgumentParser) -> None:
    """Add ``--rulebook PATH`` (default: the bundled illustrative rulebook)."""
    parser.add_argument("--rulebook", metavar="PATH", default=None,
                        help="rulebook YAML (default: the bundled data/rulebooks/default.yaml)")


def add_reading_and_rules(parser: argparse.ArgumentParser) -> None:
    """Add ``--rulebook``, ``--openness READING`` and ``--policy NAME`` (repeatable): what a
    verb that applies the decision rules to an inventory reads."""
    from .parameters import DEFAULT_OPENNESS
    from .policies import POLICIES

    add_rulebook(parser)
    parser.add_argument("--openness", default=DEFAULT_OPENNESS, metavar="READING",
                        help=openness_help(DEFAULT_OPENNESS))
    parser.add_argument("--policy", action="append", choices=sorted(POLICIES), default=None,
                        help="decision rule to apply (repeatable; default: all)")


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
    and exit 2; a verb's help ends with :data:`SEE_EXIT_STATUS` (the top-level help with
    :data:`EXIT_STATUS` itself) unless it is given an epilog of its own (:func:`examples`).

    Examples
    --------
    >>> parser = CommandParser(prog="demo", configure=lambda p: p.add_argument("--n", type=int))
    >>> parser.parse_args(["--n", "3"]).n
    3
    """

    def __init__(self, *args: Any, configure: Callable[[argparse.ArgumentParser], None]
                 | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("epilog", SEE_EXIT_STATUS)
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
    from .inventory import load_inventory, lookalike_names
    from .problems import InputError, read_yaml
    from .rulebook import load_rulebook

    entry: dict[str, Any] = {"path": path, "kind": None, "ok": False, "notes": [],
                             "warnings": []}
    try:
        is_rulebook = Path(path).suffix in (".yaml", ".yml") and isinstance(
            data := read_yaml(path), dict) and bool(set(data) & RULEBOOK_KEYS)
        entry["kind"] = "rulebook" if is_rulebook else "inventory"
        if is_rulebook:
            rb = load_rulebook(path)
            entry.update(ok=True, title=rb.title, levels=len(rb.levels), rules=len(rb.rules),
                         openness_variants=sorted(rb.openness_variants))
        else:
            from .rulebook import default_rulebook_path
            from .timeline.retention import retention_findings

            inv = load_inventory(path)
            entry.update(ok=True, title=inv.title, datasets=len(inv.datasets),
                         populations=len(inv.populations),
                         investigations=len(inv.investigations), fictional=inv.fictional,
                         notes=list(inv.input_notes), warnings=lookalike_names(inv),
                         # retention against the bundled rulebook's terms (art. 27 Wiv 2017)
                         findings=retention_findings(inv, load_rulebook(
                             default_rulebook_path())))
    except InputError as exc:
        entry["problems"] = exc.problems
    entry["missing"] = not Path(path).exists()
    return entry


def _validate(args: argparse.Namespace) -> int:
    entries = [_validate_one(path) for path in args.paths]
    if args.json:
        print_json({"ok": all(e["ok"] for e in entries), "files": [
            {**e, "problems": [problem_json(p) for p in e.get("problems", [])],
             "warnings": [problem_json(p) for p in e["warnings"]]}
            for e in entries]})
    else:
        _print_verdicts(entries)
    if any(e["missing"] for e in entries):
        return EXIT_BAD_INPUT
    return EXIT_OK if all(e["ok"] for e in entries) else EXIT_FAILURES


def _print_verdicts(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        for note in e["notes"]:
            print(f"{PREFIX}: note: {note}", file=sys.stderr)
        for problem in e["warnings"]:
            warning(f"probable duplicate: {problem}")
        if e["ok"] and e["kind"] == "rulebook":
            print(f"{e['path']}: OK: rulebook {e['title']!r}: {e['levels']} levels, "
                  f"{e['rules']} rules, openness variants {', '.join(e['openness_variants'])}")
        elif e["ok"]:
            print(f"{e['path']}: OK: inventory {e['title']!r}: {e['datasets']} datasets, "
                  f"{e['populations']} populations, {e['investigations']} investigations"
                  + (" (fictional)" if e["fictional"] else ""))
            for finding in e["findings"]:
                print(f"  finding: {finding['kind']}: {finding['message']}")
        else:
            error(f"{e['path']}: {len(e['problems'])} problem(s):\n"
                  + "\n".join(str(problem) for problem in e["problems"]))


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.description = ("Check inventory (YAML or CSV) and rulebook files: every problem, located "
                     "by file, item and field, at once. Exit status 1 if any file has "
                     "problems, 2 if a file does not exist.")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="inventory YAML/CSV or rulebook YAML files")
    add_json(p, "the verdict per file (problems with file, item, field)")
    p.epilog = examples("bulkimpact validate data/synthetic/baseline.yaml",
                        "bulkimpact validate my_inventory.csv data/rulebooks/default.yaml --json")
    p.set_defaults(handler=_validate)


# --- assess --------------------------------------------------------------------------------


def _assess(args: argparse.Namespace) -> int:
    from .assessment import assess

    params = {"k": args.k, "t": args.threshold, "time_limit": args.time_limit,
              "use_rate": args.use_rate, "horizon_years": args.horizon_years,
              "dataset_use_rate": args.dataset_use_rate, "compliance": args.compliance,
              "max_set_size": args.max_set_size, "max_sets": args.max_sets}
    record = assess(args.inventory, args.rulebook, args.openness, args.policy, params,
                    include=args.include, readings=args.json and not args.no_readings)
    if args.json:
        print_json(record)
    else:
        print(render_assessment(record))
    return EXIT_OK


#: Width of the plain ``assess`` output, in columns.
TEXT_WIDTH = 100
#: Links and raised exposure sets the plain ``assess`` output lists (the largest first);
#: ``--json`` has them all.
SHOWN_ROWS = 15


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` columns, an ellipsis marking a cut."""
    return text if len(text) <= width else text[:width - 1] + "…"


def _verdict(record: dict[str, Any]) -> list[str]:
    """The verdict sentences: what per-dataset assessment leaves, the cheapest full cover."""
    from .present.i18n import rule_name, significant

    policies, sets = record["policies"], record["exposure_sets"]
    lines = []
    if "per_dataset" in policies:
        p = policies["per_dataset"]
        lines.append(f"Judged dataset by dataset, {p['under_protected']} of {len(sets)} "
                     "exposure sets are under-protected, with about "
                     f"{significant(p['under_protected_persons'])} distinct persons linked "
                     "in them.")
    covering = {name: p for name, p in policies.items()
                if p["under_protected"] == 0 and p["status"] in ("exact", "optimal")}
    if "verdict" in record and covering:
        # the cheapest protecting rule under this reading, and when another is cheaper
        from .present.verdict import verdict_sentence
        from .verdict import Verdict

        lines.append(verdict_sentence(record["openness"], Verdict.from_json(record["verdict"])))
    elif covering:
        name = min(covering, key=lambda n: (covering[n]["total_burden"], n))
        p = covering[name]
        lines.append(f"The cheapest rule that leaves none under-protected is {rule_name(name)} "
                     f"({name}): total burden {significant(p['total_burden'])} cost units, "
                     f"{p['escalated']} datasets escalated.")
    elif policies:
        lines.append("No rule applied here leaves every exposure set protected.")
    return lines


def render_assessment(record: dict[str, Any], width: int = TEXT_WIDTH) -> str:
    """The plain-text ``bulkimpact assess`` output: the verdict first, rounded, `width` columns.

    The text view of :func:`bulkimpact.assessment.assess`'s record; the
    record (``--json``) keeps the exact values and every exposure set.

    Examples
    --------
    >>> from bulkimpact.assessment import assess
    >>> text = render_assessment(assess("data/synthetic/sparse.yaml", readings=False))
    >>> print(text.splitlines()[0][:60])
    Judged dataset by dataset, 1 of 3 exposure sets are under-pr
    >>> max(len(line) for line in text.splitlines()) <= 100
    True
    """
    from .present.i18n import rule_name, significant

    names = {lv["level"]: lv["name"] for lv in record["levels"]}
    out = [textwrap.fill(" ".join(_verdict(record)), width), ""]
    # Paths are shown whole (to be copied), the notes on lines of their own.
    out += [f"Inventory: {record['inventory']}",
            *(["           FICTIONAL data"] if record.get("fictional") else []),
            f"Rulebook:  {record['rulebook']}",
            *(["           ILLUSTRATIVE assumption"] if record.get("illustrative_rulebook")
              else []),
            f"Openness:  {record['openness']}"]
    if record["policies"]:
        out += ["", "Decision rules (persons: expected distinct persons; burden in cost units):",
                f"{'rule':<24}{'under-protected':>16}{'persons':>11}{'escalated':>10}"
                f"{'authorisations/yr':>18}{'burden':>8}  status"]
        for name, p in record["policies"].items():
            out.append(f"{_cut(rule_name(name), 23):<24}{p['under_protected']:>16}"
                       f"{significant(p['under_protected_persons']):>11}{p['escalated']:>10}"
                       f"{significant(p['authorisations_per_year']):>18}"
                       f"{significant(p['total_burden']):>8}  {p['status']}")
    ids = max((len(d["id"]) for d in record["datasets"]), default=2)
    ids = min(max(ids, 2), 32)
    out += ["", f"Datasets, each on its own nature ({len(record['datasets'])}):",
            f"{'id':<{ids}}  {'level':<18}{'persons':>10}  public  rules that set it"]
    for d in record["datasets"]:
        level = _cut(f"{d['level']} {names[d['level']]}", 17)
        row = (f"{_cut(d['id'], ids):<{ids}}  {level:<18}{significant(d['persons']):>10}  "
               f"{'yes' if d['public'] else 'no':<6}  ")
        out.append(row + _cut(", ".join(d["rules"]), width - len(row)))
    edges = sorted(record["edges"], key=lambda e: (-e["expected_links"], e["a"], e["b"]))
    out += ["", f"Links: {len(edges)}"
            + (f"; the {min(len(edges), SHOWN_ROWS)} with the most expected links:" if edges
               else ".")]
    if edges:
        out.append(f"{'datasets':<52}{'expected links':>15}{'strength':>10}  linked on")
    for e in edges[:SHOWN_ROWS]:
        row = (f"{_cut(e['a'] + ' – ' + e['b'], 51):<52}{significant(e['expected_links']):>15}"
               f"{significant(e['strength']):>10}  ")
        out.append(row + _cut(", ".join(e["keys"] + e["qis"]), width - len(row)))
    if len(edges) > SHOWN_ROWS:
        out.append(f"… and {len(edges) - SHOWN_ROWS} more (--json lists every link).")
    raised = sorted((s for s in record["exposure_sets"] if s["level"] > s["member_level"]),
                    key=lambda s: (-s["persons"], s["members"]))
    out += ["", textwrap.fill(
        f"Exposure sets: {len(record['exposure_sets'])}, of which {len(raised)} reach a higher "
        "level together than any member alone"
        + (f"; the {min(len(raised), SHOWN_ROWS)} with the most persons:" if raised else "."),
        width)]
    for s in raised[:SHOWN_ROWS]:
        head = (f"{s['kind']:<13} level {names[s['member_level']]} → {names[s['level']]}, "
                f"{significant(s['persons'])} persons: ")
        out.append(textwrap.fill(head + " + ".join(s["members"]), width,
                                 subsequent_indent="    "))
    if len(raised) > SHOWN_ROWS:
        out.append(f"… and {len(raised) - SHOWN_ROWS} more (--json lists every exposure set).")
    return "\n".join(line.rstrip() for line in out)


def _configure_assess(p: argparse.ArgumentParser) -> None:
    from .combinations import EXPOSURE_KINDS
    from .parameters import DEFAULT_INCLUDE, PolicyParams

    defaults = PolicyParams()
    p.description = ("Assess one inventory: per-dataset levels, links, exposure sets and every "
                     "decision rule. Exit status 2 for an invalid inventory, rulebook or "
                     "parameter; 1 if the minimal_escalation solver stops short of a proven "
                     "optimum.")
    p.add_argument("inventory", metavar="INVENTORY",
                   help="inventory file (YAML or CSV) listing the datasets held, their fields "
                        "and sources; see data/synthetic/ for examples")
    add_reading_and_rules(p)
    p.add_argument("--k", type=whole_number("links", minimum=0), default=defaults.k,
                   help=f"radius for k_hop, rule and exposure sets (default {defaults.k})")
    p.add_argument("--threshold", type=finite_number("link strength"), default=defaults.t,
                   help=f"minimum link strength for the threshold rule (default {defaults.t})")
    p.add_argument("--time-limit", type=finite_number("seconds", above_minimum=True),
                   default=defaults.time_limit,
                   help=f"seconds for the minimal_escalation solver (default "
                        f"{defaults.time_limit:g})")
    p.add_argument("--use-rate", type=finite_number("uses per year"), default=defaults.use_rate,
                   help="uses per year of a possible combination outside any investigation "
                        f"(default {defaults.use_rate:g}, an assumption)")
    p.add_argument("--horizon-years", type=finite_number("years", above_minimum=True),
                   default=defaults.horizon_years,
                   help="years over which yearly costs count against one-off costs (default: "
                        "the inventory's mean planned retention, else 1.5)")
    p.add_argument("--dataset-use-rate", type=finite_number("uses a year"),
                   default=defaults.dataset_use_rate,
                   help="uses per year of a dataset that states none (default "
                        f"{defaults.dataset_use_rate:g}, an assumption)")
    p.add_argument("--compliance", type=finite_number("share (0 to 1)"),
                   default=defaults.compliance,
                   help="share of combination uses authorised beforehand under the use-based "
                        f"rule, 0 to 1 (default {defaults.compliance:g}, an assumption)")
    p.add_argument("--max-set-size", type=whole_number("datasets", minimum=2),
                   default=defaults.max_set_size,
                   help="largest connected combination judged as an exposure set (default "
                        f"{defaults.max_set_size})")
    p.add_argument("--max-sets", type=whole_number("combinations"), default=defaults.max_sets,
                   help=f"refuse to enumerate more combinations (default {defaults.max_sets})")
    p.add_argument("--include", nargs="+", default=list(DEFAULT_INCLUDE),
                   choices=EXPOSURE_KINDS,
                   help=f"exposure-set kinds to judge on (default {' '.join(DEFAULT_INCLUDE)})")
    add_json(p, "the JSON record (a stable contract)")
    p.add_argument("--no-readings", action="store_true",
                   help="with --json: leave out the headline openness readings (faster)")
    p.epilog = examples("bulkimpact assess data/synthetic/baseline.yaml",
                        "bulkimpact assess data/synthetic/dense.yaml --openness services "
                        "--policy use_based",
                        "bulkimpact assess my_inventory.yaml --json > assessment.json")
    p.set_defaults(handler=_assess)


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
    ("sweep", _lazy("bulkimpact.sweep.cli", "configure"),
     "evaluate every policy over generated scenarios"),
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
                    "Run 'bulkimpact COMMAND --help' for a command's options and examples.",
        epilog=EXIT_STATUS,
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, configure, help_text in COMMANDS:
        command(sub, name, configure, help_text)
    return parser


def missing_extra(exc: BaseException) -> str | None:
    """The message for an optional dependency that is not installed, or None.

    Examples
    --------
    >>> print(missing_extra(ModuleNotFoundError("No module named 'duckdb'", name="duckdb")))
    this command needs the optional dependency 'duckdb' (the 'synth' extra); install it with
      pip install 'bulkimpact[synth]'
    >>> missing_extra(ModuleNotFoundError("No module named 'nonesuch'", name="nonesuch"))
    """
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    module = exc.name.split(".")[0]
    extra = EXTRA_OF_MODULE.get(module)
    if extra is None:
        return None
    return (f"this command needs the optional dependency {module!r} (the {extra!r} extra); "
            f"install it with\n  pip install 'bulkimpact[{extra}]'")


def _exit_code(exc: Exception) -> int | None:
    """The exit status for an exception a command raised; None for a bug (re-raised)."""
    solver = getattr(sys.modules.get("bulkimpact.policies"), "SolverError", None)
    if solver is not None and isinstance(exc, solver):
        return EXIT_FAILURES  # the input was fine; the run did not reach a proven answer
    if isinstance(exc, (ValueError, OSError)):
        return EXIT_BAD_INPUT
    return None


def _unknown_leading_option(argv: Sequence[str]) -> str | None:
    """An option before the command that the top level does not know (argparse would only say
    that a COMMAND is required)."""
    for arg in argv:
        if not arg.startswith("-"):
            return None
        if arg not in ("-h", "--help", "--version"):
            return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :data:`EXIT_STATUS`)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    stdout = sys.stdout
    if stdout.isatty():  # names from user files reach a terminal: no escape sequences
        sys.stdout = _PrintableStream(stdout)
    try:
        parser = build_parser()
        if unknown := _unknown_leading_option(argv):
            parser.error(f"unrecognized option {unknown!r}; a command's options follow the "
                         "command: bulkimpact COMMAND --help lists them")
        args = parser.parse_args(argv)
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print(f"{PREFIX}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except ModuleNotFoundError as exc:
        if (message := missing_extra(exc)) is None:
            raise
        error(message)
        return EXIT_BAD_INPUT
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
    finally:
        sys.stdout = stdout


if __name__ == "__main__":
    sys.exit(main())
