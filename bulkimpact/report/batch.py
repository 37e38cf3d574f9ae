"""The batch driver: every notebook for every inventory, on a few worker processes.

Each worker is one Python process (started with ``spawn``) that runs many
jobs one after another, in process: papermill's API for execution and one
shared nbconvert exporter, so no job pays for starting Python, papermill or
nbconvert again. Each notebook still gets a fresh ``python3`` kernel, so
notebooks cannot see each other's state.

A worker is given one job at a time, so when a worker process dies the
driver knows which job killed it: that job is marked FAILED, a new worker
takes over and the batch goes on. The longest jobs start first (their
durations are read from the executed notebooks of the previous run, new
jobs count as long), which keeps one slow notebook from finishing alone
at the end.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bulkimpact.files import atomic_write
from bulkimpact.report.execute import prepare_worker, run_job, write_failure_page
from bulkimpact.report.files import InputFile
from bulkimpact.report.jobs import FAILED, NOT_RUN, OK, Job, JobResult, generated_at_now
from bulkimpact.report.notebooks import NotebookInfo, find_notebooks
from bulkimpact.report.pages import index_page, summary_line
from bulkimpact.report.provenance import is_bundled

__all__ = [
    "BatchResult",
    "default_workers",
    "make_jobs",
    "previous_seconds",
    "run_jobs",
    "run_reports",
]

Runner = Callable[[Job], JobResult]
_STOP_GRACE_SECONDS = 10.0


def default_workers() -> int:
    """``min(2, os.cpu_count())``: the target machine has two cores.

    Examples
    --------
    >>> 1 <= default_workers() <= 2
    True
    """
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class BatchResult:
    """What a batch produced.

    Attributes
    ----------
    results : tuple of JobResult
        One per job, in job order.
    seconds : float
        Wall time of the batch.
    index : Path
        The index page.
    interrupted : bool
        True if the batch was stopped (Ctrl-C) before all jobs ran.
    """

    results: tuple[JobResult, ...]
    seconds: float
    index: Path
    interrupted: bool = False

    @property
    def failed(self) -> list[JobResult]:
        """Results that are not OK (failed or not run)."""
        return [r for r in self.results if r.status != OK]

    @property
    def exit_code(self) -> int:
        """0 if every report is OK, 1 if any failed, 130 if interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.failed else 0

    def summary(self) -> str:
        """``N reports, F failed, T s``."""
        return summary_line(self.results, self.seconds)


def _existing(path: str | os.PathLike[str], kind: str, expected: str, cwd: Path) -> Path:
    if not Path(cwd, path).is_file():
        raise FileNotFoundError(f"{kind} not found: {path} (looked in {cwd}); expected {expected}")
    return Path(cwd, path)


def make_jobs(
    notebooks: Iterable[str | os.PathLike[str]],
    inventories: Iterable[str | os.PathLike[str]],
    rulebook: str | os.PathLike[str],
    *,
    openness: str | None = None,
    out_dir: str | os.PathLike[str] = "reports",
    cwd: str | os.PathLike[str] | None = None,
    seed: int | None = None,
    params: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    generated_at: str | None = None,
) -> list[Job]:
    """One job per (inventory, notebook), inventories outermost.

    Every input is loaded (validated), hashed and checked here, once, before
    anything runs: a broken inventory fails the command, not every notebook.

    Parameters
    ----------
    notebooks : iterable of path-like
        Notebook files (see :func:`~bulkimpact.report.notebooks.find_notebooks`).
    inventories : iterable of path-like
        Inventory files; their file stems name the output folders.
    rulebook : path-like
        Rulebook YAML file.
    openness : str, optional
        One of the rulebook's openness variants; None keeps each notebook's default.
    out_dir : path-like
        Output root.
    cwd : path-like, optional
        Directory relative paths are resolved against and kernels start in;
        the current directory by default.
    seed, params, timeout, generated_at
        See :class:`~bulkimpact.report.jobs.Job`.

    Returns
    -------
    list of Job

    Raises
    ------
    FileNotFoundError
        An input file is missing; the message names it and what was expected.
    bulkimpact.problems.InputError
        An inventory or the rulebook is invalid (every problem is listed).
    ValueError
        Unknown openness variant, or two inventories with the same file stem
        (their reports would overwrite each other).
    """
    from bulkimpact.inventory import load_inventory
    from bulkimpact.rulebook import load_rulebook

    base = Path(cwd if cwd is not None else os.getcwd()).resolve()
    rulebook_path = _existing(rulebook, "rulebook", "a rulebook YAML file such as "
                              "data/rulebooks/default.yaml (pass --rulebook PATH)", base)
    book = load_rulebook(rulebook_path)
    if openness is not None and openness not in book.openness_variants:
        raise ValueError(f"unknown openness variant {openness!r}: the rulebook {rulebook} has "
                         f"{', '.join(book.openness_variants)}")
    rulebook_file = InputFile.from_path(
        rulebook_path, base, title=book.title,
        illustrative=book.illustrative or is_bundled(rulebook_path, "rulebooks"))
    by_stem: dict[str, InputFile] = {}
    for path in inventories:
        path = _existing(path, "inventory", "an inventory file such as "
                         "data/synthetic/baseline.yaml (run from the repository root, or pass "
                         "--inventory PATH)", base)
        inventory = load_inventory(path)
        file = InputFile.from_path(
            path, base, title=inventory.title,
            illustrative=inventory.fictional or is_bundled(path, "synthetic"))
        earlier = by_stem.setdefault(path.stem, file)
        if earlier.path != file.path:
            raise ValueError(f"inventories {earlier.shown} and {file.shown} share the name "
                             f"{path.stem!r}, so their reports would overwrite each other; "
                             "rename one")
    infos = [NotebookInfo.from_path(Path(base, p), base) for p in notebooks]
    labels = {name: variant.label for name, variant in book.openness_variants.items()}
    return [
        Job(notebook=info, inventory=inventory, rulebook=rulebook_file, openness=openness,
            openness_labels=labels, out_dir=Path(base, out_dir), cwd=base, seed=seed,
            params=dict(params or {}), timeout=timeout, generated_at=generated_at)
        for inventory in by_stem.values() for info in infos
    ]


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: int | None = None
    started: float = 0.0


def _stop_on_sigterm(signum: int, frame: object) -> None:
    # Unwind the running job (its kernel is shut down, temporary files go).
    raise SystemExit(128 + signum)


def _worker_main(conn: Connection, runner: Runner) -> None:
    """Body of a worker process: run the jobs the driver sends, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides when to stop
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    prepare_worker()
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the driver is gone
            return
        if job is None:
            return
        conn.send(runner(job))


class _Pool:
    """Worker processes that each hold at most one job."""

    def __init__(self, runner: Runner) -> None:
        self._context = get_context("spawn")
        self._runner = runner
        self.workers: list[_Worker] = []

    def start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self._runner),
                                        name="bulkimpact-report-worker", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def discard(self, worker: _Worker) -> None:
        worker.conn.close()
        worker.process.join(timeout=_STOP_GRACE_SECONDS)
        self.workers.remove(worker)

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is not None]

    def stop(self, now: bool) -> None:
        """Stop every worker: after its current job, or at once (`now`)."""
        for worker in self.workers:
            try:
                if now:
                    worker.process.terminate()
                else:
                    worker.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        for worker in self.workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers.clear()


def previous_seconds(job: Job) -> float:
    """How long `job`'s notebook ran last time, from its executed notebook; inf if unknown.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> previous_seconds(SimpleNamespace(executed_path=Path("/nonexistent.ipynb")))
    inf
    """
    try:
        with open(job.executed_path, encoding="utf-8") as fh:
            return float(json.load(fh)["metadata"]["papermill"]["duration"])
    except (OSError, ValueError, KeyError, TypeError):
        return math.inf


def run_jobs(jobs: Sequence[Job], workers: int | None = None, *, progress: bool = True,
             runner: Runner = run_job) -> tuple[list[JobResult], bool]:
    """Run `jobs` on `workers` processes; return their results and whether interrupted.

    Parameters
    ----------
    jobs : sequence of Job
    workers : int, optional
        Number of worker processes; :func:`default_workers` by default, never
        more than there are jobs.
    progress : bool
        Show a progress bar on stderr.
    runner : callable
        What a worker does with a job; :func:`~bulkimpact.report.execute.run_job`.
        Must be importable by name (workers are spawned).

    Returns
    -------
    results : list of JobResult
        In job order (whatever order they ran in: longest first, see
        :func:`previous_seconds`). A job whose worker process died is FAILED;
        after an interrupt (Ctrl-C), jobs that did not finish are NOT RUN.
    interrupted : bool
    """
    count = max(1, min(workers or default_workers(), len(jobs)))
    results: list[JobResult | None] = [None] * len(jobs)
    expected = [previous_seconds(job) for job in jobs]
    pending = deque(sorted(range(len(jobs)), key=lambda i: -expected[i]))
    pool = _Pool(runner)
    bar = tqdm(total=len(jobs), unit="report", file=sys.stderr, disable=not progress,
               desc="reports", dynamic_ncols=True)
    failures = 0

    def assign(worker: _Worker) -> None:
        worker.job = pending.popleft() if pending else None
        if worker.job is not None:
            worker.started = time.perf_counter()
            worker.conn.send(jobs[worker.job])

    interrupted = False
    try:
        for _ in range(count if jobs else 0):
            assign(pool.start())
        while busy := pool.busy():
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                index = worker.job
                try:
                    result = worker.conn.recv()
                except (EOFError, OSError):
                    worker.process.join(timeout=_STOP_GRACE_SECONDS)
                    result = JobResult(
                        jobs[index], FAILED, time.perf_counter() - worker.started,
                        error=f"the worker process died (exit code {worker.process.exitcode}) "
                              "while running this notebook")
                    write_failure_page(jobs[index], result.error)
                    pool.discard(worker)
                    worker = pool.start() if pending else None
                results[index] = result
                failures += result.status != OK
                bar.update(1)
                bar.set_postfix(failed=failures)
                if worker is not None:
                    assign(worker)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        bar.close()
        pool.stop(now=interrupted)
    return [r if r is not None else JobResult(job, NOT_RUN, 0.0, error="the batch was interrupted")
            for job, r in zip(jobs, results, strict=True)], interrupted


def run_reports(
    inventories: Sequence[str | os.PathLike[str]],
    rulebook: str | os.PathLike[str],
    *,
    notebooks_dir: str | os.PathLike[str] = "notebooks",
    only: Sequence[str] = (),
    openness: str | None = None,
    out_dir: str | os.PathLike[str] = "reports",
    workers: int | None = None,
    seed: int | None = None,
    params: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    progress: bool = True,
    timestamp: bool = True,
    cwd: str | os.PathLike[str] | None = None,
) -> BatchResult:
    """Run every notebook for every inventory and write the reports and their index.

    Reports go to ``out_dir/<inventory stem>/<notebook stem>.html`` with the
    executed ``.ipynb`` beside them; the index to ``out_dir/index.html``.
    Relative paths are taken from `cwd`, where the kernels also start.

    Parameters
    ----------
    inventories : sequence of path-like
    rulebook : path-like
    notebooks_dir : path-like
        Folder of ``NN_name.py`` notebooks.
    only : sequence of str
        Run only these notebooks (see
        :func:`~bulkimpact.report.notebooks.find_notebooks`).
    openness : str, optional
        Openness variant of the rulebook to inject; None keeps each notebook's default.
    out_dir : path-like
    workers : int, optional
        Worker processes; :func:`default_workers` by default.
    seed : int, optional
        Injected as ``seed``; otherwise each notebook's default holds.
    params : mapping, optional
        Further parameters injected into every notebook.
    timeout : float, optional
        Seconds a single cell may run.
    progress : bool
        Progress bar on stderr.
    timestamp : bool
        Print a "Generated at" line (``SOURCE_DATE_EPOCH`` fixes its value).
    cwd : path-like, optional
        The directory the batch runs in; the current directory by default.

    Returns
    -------
    BatchResult

    Raises
    ------
    FileNotFoundError, ValueError
        Missing, invalid or inconsistent inputs (see :func:`make_jobs`),
        before anything runs.
    """
    start = time.perf_counter()
    base = Path(cwd if cwd is not None else os.getcwd()).resolve()
    generated_at = generated_at_now() if timestamp else None
    jobs = make_jobs(find_notebooks(Path(base, notebooks_dir), only), inventories, rulebook,
                     openness=openness, out_dir=out_dir, cwd=base, seed=seed, params=params,
                     timeout=timeout, generated_at=generated_at)
    results, interrupted = run_jobs(jobs, workers, progress=progress)
    seconds = time.perf_counter() - start
    index = Path(base, out_dir, "index.html")
    atomic_write(index, index_page(results, seconds, generated_at))
    return BatchResult(tuple(results), seconds, index, interrupted)
