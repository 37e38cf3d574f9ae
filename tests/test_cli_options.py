"""The newcomer's terminal: help with examples, option values refused by name, a readable
``assess``, nothing but text from user files on a terminal, a sweep that says what it needs.

Issue 22 (items 6, 7, 8, 10) and the option side of issue 19.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import time
from pathlib import Path

import pytest

import bulkimpact
from bulkimpact.cli import EXIT_STATUS, SEE_EXIT_STATUS, main

REPO = Path(bulkimpact.__file__).resolve().parent.parent
BASELINE = REPO / "data" / "synthetic" / "baseline.yaml"
SPARSE = REPO / "data" / "synthetic" / "sparse.yaml"
EXCHANGE_LOG = REPO / "data" / "synthetic" / "exchange" / "exchange_log.yaml"
EXAMPLE_SWEEP = REPO / "data" / "sweeps" / "example.yaml"
VERBS = [("validate",), ("assess",), ("sweep",), ("synth",), ("synth", "population"),
         ("synth", "uniqueness"), ("synth", "validate"), ("report",), ("notebooks",),
         ("exchange",), ("timeline",)]


def _help(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    assert exc.value.code == 0
    return out.getvalue()


def _usage_error(argv: list[str], capsys) -> str:
    """The last stderr line of a refused command line (exit status 2, no traceback)."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2, err
    assert "Traceback" not in err
    return err.splitlines()[-1]


@pytest.mark.parametrize("argv", VERBS, ids=" ".join)
def test_every_verb_help_has_an_example_and_points_once_to_the_exit_status(argv) -> None:
    text = _help(list(argv))
    examples = text.split("examples:\n", 1)[1]
    assert re.search(rf"^  bulkimpact {' '.join(argv)}\b", examples, re.MULTILINE), text
    assert max(len(line) for line in examples.splitlines()) <= 100, examples
    assert " ".join(SEE_EXIT_STATUS.split()) in " ".join(text.split())
    assert "exit status (the same for every command)" not in text


def test_the_exit_status_table_is_in_the_top_level_help_only() -> None:
    text = _help([])
    assert " ".join(EXIT_STATUS.split()) in " ".join(text.split())


def test_assess_inventory_argument_has_a_description() -> None:
    text = _help(["assess"])
    assert re.search(r"^  INVENTORY\s+inventory file \(YAML or CSV\)", text, re.MULTILINE), text


@pytest.mark.parametrize("verb", ["assess", "timeline", "report"])
def test_openness_help_lists_every_reading_of_the_rulebook(verb: str,
                                                          default_rulebook) -> None:
    text = " ".join(_help([verb]).split())
    for name, variant in default_rulebook.openness_variants.items():
        assert f"{name}: {' '.join(variant.label.split())}" in text, (name, text)


def test_an_unknown_top_level_option_is_named(capsys) -> None:
    last = _usage_error(["--frobnicate"], capsys)
    assert last.startswith("bulkimpact: error: unrecognized option '--frobnicate'"), last


@pytest.mark.parametrize(("argv", "option"), [
    (["assess", str(SPARSE), "--threshold", "nan"], "--threshold"),
    (["assess", str(SPARSE), "--threshold", "-0.5"], "--threshold"),
    (["assess", str(SPARSE), "--time-limit", "0"], "--time-limit"),
    (["assess", str(SPARSE), "--k", "-1"], "--k"),
    (["report", "--timeout", "0"], "--timeout"),
    (["report", "--timeout", "-1"], "--timeout"),
    (["report", "--seed", "-1"], "--seed"),
    (["synth", "population", "--seed", "-1", "--out", "p.parquet"], "--seed"),
    (["synth", "population", "--persons", "0", "--out", "p.parquet"], "--persons"),
    (["exchange", str(EXCHANGE_LOG), "--window", "3000000"], "--window"),
    (["timeline", str(SPARSE), "--at", "June"], "--at"),
    (["timeline", str(SPARSE), "--destroy", "no-date"], "--destroy"),
    (["sweep", str(EXAMPLE_SWEEP), "--out", "r.parquet", "--workers", "0"], "--workers"),
])
def test_a_bad_option_value_is_refused_by_the_options_name(argv, option, capsys) -> None:
    last = _usage_error(argv, capsys)
    assert last.startswith(f"bulkimpact: error: argument {option}: "), last
    assert "expected" in last or "is not a date" in last, last


def test_one_dataset_destroyed_twice_is_refused(capsys) -> None:
    code = main(["timeline", str(SPARSE), "--destroy", "a@2025-01-01",
                 "--destroy", "a@2025-02-01", "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith("bulkimpact: error: --destroy: dataset 'a' given more than once"), err


def test_validate_of_a_missing_file_has_the_error_prefix(tmp_path, capsys) -> None:
    assert main(["validate", str(tmp_path / "missing.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bulkimpact: error: ") and "missing.yaml" in err, err


# --- assess's plain output -----------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline_text_and_json() -> tuple[str, dict]:
    from bulkimpact.assessment import assess
    from bulkimpact.cli import render_assessment

    record = assess(BASELINE, readings=False)
    return render_assessment(record), json.loads(json.dumps(record))


def test_assess_text_fits_100_columns_and_opens_with_the_verdict(baseline_text_and_json):
    text, record = baseline_text_and_json
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    per_dataset = record["policies"]["per_dataset"]
    assert lines[0].startswith(
        f"Judged dataset by dataset, {per_dataset['under_protected']} of "
        f"{len(record['exposure_sets'])} exposure sets are under-protected")
    # the cheapest rule protecting everything, as the record's figures have it
    covering = {n: p["total_burden"] for n, p in record["policies"].items()
                if p["under_protected"] == 0}
    cheapest = min(covering, key=covering.get)
    from bulkimpact.present.i18n import rule_name

    opening = " ".join(lines[:6])
    # named by the reading it holds under, with the condition under which another is cheaper
    assert f"Under the CTIVD reading, {rule_name(cheapest)} protects every" in opening
    assert "is cheaper" in opening
    assert len(lines) < 150


def test_assess_text_rounds_while_the_json_keeps_exact_values(baseline_text_and_json):
    text, record = baseline_text_and_json
    decimals = re.findall(r"\d[\d,]*\.\d+", text)
    assert decimals  # strengths, burdens
    for number in decimals:  # three significant digits at most, as a reader quotes them
        assert len(number.replace(",", "").replace(".", "").lstrip("0")) <= 3, number
    exact = record["policies"]["per_dataset"]["under_protected_persons"]
    assert exact != round(exact)  # the JSON keeps the exact expected count
    assert f"{float(f'{exact:.3g}'):,.0f}" in text


def test_assess_text_view_lives_in_the_cli_not_the_core() -> None:
    import bulkimpact.assessment as core

    assert not hasattr(core, "render_text")


# --- a terminal gets no control characters --------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_names_from_user_files_reach_a_terminal_without_escape_sequences(tmp_path,
                                                                        monkeypatch) -> None:
    evil = tmp_path / "in\x1b[2J\x1b[31mventory\x07.yaml"
    shutil.copy(SPARSE, evil)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    assert main(["assess", str(evil), "--policy", "per_dataset"]) == 0
    out = terminal.getvalue()
    assert "\x1b" not in out and "\x07" not in out
    assert "inventory.yaml" in out


def test_errors_about_user_files_carry_no_escape_sequences(tmp_path, capsys) -> None:
    assert main(["assess", str(tmp_path / "no\x1b]0;title\x07pe.yaml")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "nope.yaml" in err, err


# --- sweep ------------------------------------------------------------------------------------


def test_sweep_config_help_lists_its_fields_not_pydantic_internals() -> None:
    from bulkimpact.sweep import SweepConfig, SweepGrid

    for model in (SweepConfig, SweepGrid):
        for field in model.model_fields:
            assert re.search(rf"^    (\w+, )*{field}\b.* : ", model.__doc__, re.MULTILINE), field


def test_the_bundled_example_sweep_runs(tmp_path, capsys) -> None:
    out = tmp_path / "r.parquet"
    code = main(["sweep", str(EXAMPLE_SWEEP), "--out", str(out), "--serial", "-q",
                 "--policy", "per_dataset", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and out.is_file()
    assert (summary["scenarios"], summary["failed"]) == (8, 0)


def test_a_wrong_scheduler_address_fails_fast_with_a_clear_message(tmp_path, capsys) -> None:
    start = time.perf_counter()
    code = main(["sweep", str(EXAMPLE_SWEEP), "--out", str(tmp_path / "r.parquet"), "-q",
                 "--scheduler", "tcp://127.0.0.1:9"])
    seconds = time.perf_counter() - start
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("bulkimpact: error: --scheduler tcp://127.0.0.1:9: no Dask scheduler "
                          "answered"), err
    assert seconds < 15, seconds
    assert not (tmp_path / "r.parquet").exists()


# --- synth population -------------------------------------------------------------------------


def test_synth_population_shows_progress_unless_quiet(tmp_path, capsys) -> None:
    out = tmp_path / "p.parquet"
    assert main(["synth", "population", "--persons", "2_000", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "100%" in err and "2.00k" in err, err
    assert main(["synth", "population", "--persons", "2_000", "--out", str(out), "-q"]) == 0
    assert capsys.readouterr().err == ""


# --- extras by use -----------------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "missing", "extra"), [
    (["synth", "validate", str(SPARSE), "--persons", "1000"], "duckdb", "synth"),
    (["notebooks", "--to-ipynb", "--only", "01", "--out", "{tmp}/nb"], "jupytext", "report"),
    (["sweep", str(EXAMPLE_SWEEP), "--out", "{tmp}/r.parquet", "-q"], "dask", "dask"),
])
def test_a_verb_whose_extra_is_missing_names_the_extra(argv, missing, extra, tmp_path,
                                                      monkeypatch, capsys) -> None:
    import sys

    # Simulate the missing package: importing it (or any of its modules, even one an
    # earlier test imported) fails, and the modules that import it are imported afresh.
    for name in [m for m in sys.modules if m == missing or m.startswith(f"{missing}.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, missing, None)
    for name in [m for m in sys.modules if m.startswith(("bulkimpact.synth.",
                                                         "bulkimpact.report.",
                                                         "bulkimpact.sweep"))]:
        if not name.endswith(".cli"):
            monkeypatch.delitem(sys.modules, name)
    code = main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"bulkimpact: error: this command needs the optional dependency "
                          f"'{missing}' (the '{extra}' extra)"), err
    assert f"pip install 'bulkimpact[{extra}]'" in err and "Traceback" not in err


def test_the_core_verbs_need_no_extra() -> None:
    """validate and assess run with every package of every extra missing."""
    import subprocess
    import sys

    from bulkimpact.cli import EXTRA_OF_MODULE

    code = ("import sys\n"
            f"sys.modules.update(dict.fromkeys({sorted(EXTRA_OF_MODULE)!r}))\n"
            "from bulkimpact.cli import main\n"
            f"assert main(['validate', {str(SPARSE)!r}]) == 0\n"
            f"assert main(['assess', {str(SPARSE)!r}]) == 0\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert "Judged dataset by dataset" in proc.stdout


# --- where a verb lives --------------------------------------------------------------------


def _handlers(parser) -> list:
    """The handler of every verb under `parser` (verbs of verbs too, as ``synth``)."""
    import argparse

    parser.configured()
    if (handler := parser.get_default("handler")) is not None:
        return [handler]
    verbs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [h for p in verbs.choices.values() for h in _handlers(p)]


def test_every_verb_lives_in_a_cli_module() -> None:
    """The one placement rule (bulkimpact.cli's docstring): a verb's handler is in the
    ``cli.py`` of the package whose work it runs."""
    import inspect

    from bulkimpact.cli import build_parser

    handlers = _handlers(build_parser())
    assert len(handlers) == 10  # validate, assess, sweep, 3 × synth, report, notebooks, ...
    places = {Path(inspect.getsourcefile(h)).relative_to(REPO / "bulkimpact").as_posix()
              for h in handlers}
    assert places == {"cli.py", "sweep/cli.py", "synth/cli.py", "report/cli.py",
                      "exchange/cli.py", "timeline/cli.py"}
