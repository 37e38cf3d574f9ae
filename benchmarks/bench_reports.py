"""Benchmark: the in-process batch driver against the command lines one by one.

Runs the notebooks (``notebooks/`` by default) into HTML twice, in the same run:

1. ``bulkimpact report`` as a library call (``run_reports``): worker processes
   that execute with papermill's API and render with one shared exporter;
2. per notebook, one after another, the command lines a user would type to
   get the same pages: ``jupytext --to ipynb`` once, then per language
   ``papermill -p languages LANG`` and ``jupyter nbconvert --to html
   --no-input`` with the other language's markdown cells removed by tag.

Prints the per-notebook times of both and the ratio of the totals. The
targets: the whole default ``make reports`` (every report, both languages)
under 60 s on 2 cores, and at least 2.5× faster than the command lines::

    python benchmarks/bench_reports.py                      # the real notebooks
    python benchmarks/bench_reports.py --notebooks tests/fixtures/notebooks --only 00 --only 01
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bulkimpact.present.i18n import LANGUAGES
from bulkimpact.report.batch import run_reports

TARGET_SECONDS = 60.0


def command_line_run(notebook: Path, work: Path, parameters: dict[str, str],
                     languages: tuple[str, ...] = LANGUAGES) -> dict[str, float]:
    """Seconds for jupytext, papermill and nbconvert on one notebook, as separate processes
    (papermill and nbconvert once per language, their seconds summed)."""
    bin_dir = Path(sys.executable).parent
    paired = work / f"{notebook.stem}.ipynb"
    steps: list[tuple[str, list]] = [
        ("jupytext", [bin_dir / "jupytext", "--quiet", "--to", "ipynb", "--set-kernel",
                      "python3", "-o", paired, notebook])]
    for lang in languages:
        executed = work / f"{notebook.stem}.{lang}.ipynb"
        others = json.dumps([other for other in LANGUAGES if other != lang])
        steps += [
            ("papermill", [bin_dir / "papermill", "--no-progress-bar", "-k", "python3", paired,
                           executed, *[a for k, v in parameters.items() for a in ("-p", k, v)],
                           "-p", "languages", lang]),
            ("nbconvert", [bin_dir / "jupyter", "nbconvert", "--to", "html", "--no-input",
                           "--log-level", "ERROR", "--TagRemovePreprocessor.enabled=True",
                           f"--TagRemovePreprocessor.remove_cell_tags={others}", executed]),
        ]
    seconds: dict[str, float] = {}
    for step, command in steps:
        start = time.perf_counter()
        run = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                             check=False)
        seconds[step] = seconds.get(step, 0.0) + time.perf_counter() - start
        if run.returncode != 0:
            seconds["failed"] = 1.0
            print(f"  {notebook.name}: {step} exited {run.returncode}: "
                  f"{run.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            break
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", default="notebooks")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--inventory", default="data/synthetic/baseline.yaml")
    parser.add_argument("--rulebook", default="data/rulebooks/default.yaml")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default="benchmarks/out/reports")
    parser.add_argument("--skip-cli", action="store_true",
                        help="time only the driver (no command-line comparison)")
    args = parser.parse_args(argv)

    out = Path(args.out)
    # The driver's folder is kept: like a rerun of `make reports`, it starts the
    # notebooks that took longest last time first.
    shutil.rmtree(out / "cli", ignore_errors=True)
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f} at start")

    batch = run_reports([args.inventory], args.rulebook, notebooks_dir=args.notebooks,
                        only=args.only, out_dir=out / "driver", workers=args.workers,
                        progress=False)
    driver = {r.job.notebook.stem: r for r in batch.results}

    cli: dict[str, dict[str, float]] = {}
    cli_total = 0.0
    if not args.skip_cli:
        work = out / "cli"
        work.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        for result in batch.results:
            job = result.job
            parameters = {"inventory": job.inventory.shown, "rulebook": job.rulebook.shown,
                          "out_dir": str(work / f"{job.notebook.stem}_files")}
            cli[job.notebook.stem] = command_line_run(job.notebook.file.path, work, parameters)
        cli_total = time.perf_counter() - start

    header = f"{'notebook':<36} {'status':<7} {'driver s':>9}"
    if cli:
        header += f" {'jupytext':>9} {'papermill':>9} {'nbconvert':>9} {'CLI s':>7}"
    print()
    print(header)
    print("-" * len(header))
    for stem, result in driver.items():
        line = f"{stem:<36} {result.status:<7} {result.seconds:>9.1f}"
        if stem in cli:
            steps = cli[stem]
            line += "".join(f" {steps.get(s, float('nan')):>9.1f}"
                            for s in ("jupytext", "papermill", "nbconvert"))
            line += f" {sum(v for k, v in steps.items() if k != 'failed'):>7.1f}"
        print(line)
    print()
    verdict = "under" if batch.seconds < TARGET_SECONDS else "OVER"
    print(f"languages: {', '.join(LANGUAGES)} (the driver runs each notebook once and renders "
          "every language; the command lines run it once per language)")
    print(f"driver, {args.workers} worker(s), whole batch: {batch.seconds:.1f} s "
          f"({verdict} the {TARGET_SECONDS:.0f} s target); {batch.summary()}")
    print(f"driver, sum of per-notebook times: {sum(r.seconds for r in batch.results):.1f} s")
    if cli:
        print(f"command lines one by one: {cli_total:.1f} s")
        print(f"ratio command lines / driver: {cli_total / batch.seconds:.1f}x")
    return 0 if batch.exit_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
