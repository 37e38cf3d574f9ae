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

Each inventory is validated on its own: one that does not validate gets no
jobs and is listed as FAILED, with its problems, in the index
(:class:`InputFailure`); the others still render, and so does any other
failure of one inventory (it cannot be read, its reports cannot be put in
place). The jobs write into a staging folder and each inventory's reports
are moved into place once all are made (:mod:`bulkimpact.report.outdir`);
workers end with the driver, even when it is killed. Ctrl-C stops the batch
within seconds: workers ignore SIGINT from the start (the driver decides),
are stopped, and a stopped worker prints nothing (not the traceback of the
kernel it was talking to).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import json
import logging
import math
import os
import shutil
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bulkimpact.files import sha256
from bulkimpact.present.bilingual import parse_languages
from bulkimpact.report.execute import prepare_worker, run_job, write_failure_page
from bulkimpact.report.files import InputFile, display_path
from bulkimpact.report.jobs import (
    FAILED,
    NOT_RUN,
    OK,
    Job,
    JobResult,
    generated_at_now,
    result_from_record,
    result_record,
)
from bulkimpact.report.notebooks import NotebookInfo, find_notebooks
from bulkimpact.report.outdir import OutputFolder, check_out_dir, folder_name
from bulkimpact.report.pages import summary_line, write_index_pages
from bulkimpact.report.provenance import is_bundled

__all__ = [
    "BatchResult",
    "InputFailure",
    "default_workers",
    "make_jobs",
    "plan_jobs",
    "previous_seconds",
    "run_jobs",
    "run_reports",
]

Runner = Callable[[Job], JobResult]
_STOP_GRACE_SECONDS = 10.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

#: Parameters the batch sets from its own options; ``-p`` may not set them, or the reports,
#: their folder and the index would name other inputs than the ones used.
OWN_PARAMETERS = {"inventory": "--inventory PATH", "rulebook": "--rulebook PATH",
                  "out_dir": "--out DIR", "languages": "--lang LANG"}


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
    failed_inputs : tuple of InputFailure
        Inventories that did not validate (no jobs were made for them).
    """

    results: tuple[JobResult, ...]
    seconds: float
    index: Path
    interrupted: bool = False
    failed_inputs: tuple[InputFailure, ...] = ()

    @property
    def failed(self) -> list[JobResult]:
        """Results that are not OK (failed or not run)."""
        return [r for r in self.results if r.status != OK]

    @property
    def exit_code(self) -> int:
        """0 if every report is OK, 1 if any failed or an inventory did not validate,
        130 if interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.failed or self.failed_inputs else 0

    def summary(self) -> str:
        """``N reports, F failed, T s`` (and the inventories that did not validate)."""
        return summary_line(self.results, self.seconds, self.failed_inputs)


@dataclass(frozen=True)
class InputFailure:
    """An inventory of a batch that did not validate: no reports are made for it.

    Attributes
    ----------
    path : Path
        Absolute path of the inventory file.
    shown : str
        The path as the index shows it.
    problems : tuple of Problem
        Every problem found, each with its file, item and field
        (:class:`bulkimpact.problems.Problem`).
    rulebook : InputFile
        The batch's rulebook.
    sha256 : str, optional
        SHA-256 of the file (None if it could not be read).
    """

    path: Path
    shown: str
    problems: tuple[Any, ...]
    rulebook: InputFile
    sha256: str | None = None
    folder: str = ""

    @property
    def scenario(self) -> str:
        """The folder its reports would have gone to (:attr:`folder`, else the file stem)."""
        return self.folder or self.path.stem

    @property
    def error(self) -> str:
        """``N problem(s) in the input``."""
        return f"{len(self.problems)} problem(s) in the input"


def _existing(path: str | os.PathLike[str], kind: str, expected: str, cwd: Path) -> Path:
    if not Path(cwd, path).is_file():
        raise FileNotFoundError(f"{kind} not found: {path} (looked in {cwd}); expected {expected}")
    return Path(cwd, path)


def plan_jobs(
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
    languages: Sequence[str] | None = None,
) -> tuple[list[Job], list[InputFailure]]:
    """One job per (inventory, notebook), inventories outermost; and the invalid inventories.

    Every input is loaded (validated), hashed and checked here, once, before
    anything runs. Each inventory is validated on its own: one that does not
    validate gets no jobs but an :class:`InputFailure` with its problems, so
    the others still render. Missing files, an invalid rulebook and other
    inconsistencies of the batch as a whole raise.

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
    languages : sequence of str, optional
        Languages to render (each report once per language, from one run);
        every language of the catalogues, Dutch first, by default.

    Returns
    -------
    jobs : list of Job
    failures : list of InputFailure
        The inventories that did not validate, in the order given.

    Each inventory's folder in `out_dir` is named by
    :func:`~bulkimpact.report.outdir.folder_name` (safe and unique).

    Raises
    ------
    FileNotFoundError
        An input file is missing; the message names it and what was expected.
    bulkimpact.problems.InputError
        The rulebook is invalid (every problem is listed).
    ValueError
        Unknown openness variant, or `params` sets a parameter the batch sets
        from its own options (:data:`OWN_PARAMETERS`).
    """
    from bulkimpact.inventory import load_inventory
    from bulkimpact.problems import InputError, Problem
    from bulkimpact.rulebook import load_rulebook

    own = sorted(set(params or {}) & set(OWN_PARAMETERS))
    if own:
        raise ValueError("-p " + ", ".join(f"{name}=..." for name in own) + " is not accepted: "
                         + "; ".join(f"pass {OWN_PARAMETERS[name]}" for name in own)
                         + " (the reports, their folder and the index name the inputs the "
                         "batch was given)")
    base = Path(cwd if cwd is not None else os.getcwd()).resolve()
    out = Path(base, out_dir)
    rulebook_path = _existing(rulebook, "rulebook", "a rulebook YAML file such as "
                              "data/rulebooks/default.yaml (pass --rulebook PATH)", base)
    book = load_rulebook(rulebook_path)
    if openness is not None and openness not in book.openness_variants:
        raise ValueError(f"unknown openness variant {openness!r}: the rulebook {rulebook} has "
                         f"{', '.join(book.openness_variants)}")
    rulebook_file = InputFile.from_path(
        rulebook_path, base, title=book.title,
        illustrative=book.illustrative or is_bundled(rulebook_path, "rulebooks"))
    folders: dict[Path, str] = {}
    for given in inventories:
        path = _existing(given, "inventory", "an inventory file such as "
                         "data/synthetic/baseline.yaml (run from the repository root, or pass "
                         "--inventory PATH)", base).resolve()
        if path not in folders:
            folders[path] = folder_name(path, out, taken=set(folders.values()))
    valid: list[tuple[InputFile, str]] = []
    failures: list[InputFailure] = []
    for path, folder in folders.items():
        try:
            inventory = load_inventory(path)
            valid.append((InputFile.from_path(
                path, base, title=inventory.title,
                illustrative=inventory.fictional or is_bundled(path, "synthetic")), folder))
            continue
        except InputError as exc:  # this inventory gets no reports; the others go on
            problems = tuple(exc.problems)
        except Exception as exc:  # noqa: BLE001 (whatever breaks one inventory, the others go on)
            problems = (Problem(display_path(path, base), "", None,
                                f"could not be read: {type(exc).__name__}: {exc}"[:2000],
                                has_value=False),)
        failures.append(InputFailure(path, display_path(path, base), problems, rulebook_file,
                                     _sha256_or_none(path), folder))
    infos = tuple(NotebookInfo.from_path(Path(base, p), base) for p in notebooks)
    labels = {name: variant.label for name, variant in book.openness_variants.items()}
    langs = parse_languages(languages)
    jobs = [
        Job(notebook=info, inventory=inventory, rulebook=rulebook_file, openness=openness,
            openness_labels=labels, out_dir=out, cwd=base, seed=seed,
            params=dict(params or {}), timeout=timeout, generated_at=generated_at,
            languages=langs, suite=infos, folder=folder)
        for inventory, folder in valid for info in infos
    ]
    return jobs, failures


def _sha256_or_none(path: Path) -> str | None:
    try:
        return sha256(path)
    except OSError:
        return None


def make_jobs(
    notebooks: Iterable[str | os.PathLike[str]],
    inventories: Iterable[str | os.PathLike[str]],
    rulebook: str | os.PathLike[str],
    **options: Any,
) -> list[Job]:
    """One job per (inventory, notebook), inventories outermost, all inputs valid.

    As :func:`plan_jobs` (same parameters), but an inventory that does not
    validate raises :class:`bulkimpact.problems.InputError` with every
    problem of every such inventory.
    """
    from bulkimpact.problems import InputError

    jobs, failures = plan_jobs(notebooks, inventories, rulebook, **options)
    if failures:
        raise InputError([problem for failure in failures for problem in failure.problems])
    return jobs


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: int | None = None
    started: float = 0.0


def _silence() -> None:
    """Send everything this process still prints to /dev/null.

    A stopped worker's job is NOT RUN: what its dying kernel client reports
    (``DeadKernelError: Kernel died`` from a background event loop, or an
    asyncio "Task exception was never retrieved") is noise on the terminal.
    """
    logging.disable(logging.CRITICAL)
    devnull = open(os.devnull, "w")  # noqa: SIM115 (lives until the process ends)
    sys.stdout = sys.stderr = devnull
    for fd in (1, 2):
        try:
            os.dup2(devnull.fileno(), fd)
        except OSError:
            pass


def _stop_on_sigterm(signum: int, frame: object) -> None:
    # Unwind the running job (its kernel is shut down, temporary files go), silently.
    _silence()
    raise SystemExit(128 + signum)


def _die_with_parent(parent: int) -> None:
    """Make this process end when the driver `parent` ends, however it ends (even SIGKILL).

    On Linux the kernel sends SIGKILL to this process when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``); a parent that died before the request
    was made is caught by comparing the parent's pid. Elsewhere the worker
    ends when it next reads from the driver's closed pipe. A notebook's
    kernel ends within a second of its worker (ipykernel polls its parent).
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _worker_main(conn: Connection, runner: Runner, parent: int | None = None) -> None:
    """Body of a worker process: run the jobs the driver sends, until told to stop."""
    if parent is not None:
        _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides when to stop
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    prepare_worker()
    try:
        while True:
            try:
                job = conn.recv()
            except EOFError:  # the driver is gone
                return
            if job is None:
                return
            conn.send(runner(job))
    except SystemExit:
        _silence()  # again: unwinding the job restored its redirected descriptors
        raise


@contextlib.contextmanager
def _sigint_ignored_by_children() -> Iterator[None]:
    """Start processes with SIGINT ignored from their first instruction.

    A spawned worker imports for a second or more before it can ignore
    SIGINT itself; a Ctrl-C in that time would print a KeyboardInterrupt
    traceback from it. An ignored signal stays ignored across ``exec``, and
    Python then installs no KeyboardInterrupt handler. This process ignores
    SIGINT only while it starts the child (a few milliseconds).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _Pool:
    """Worker processes that each hold at most one job."""

    def __init__(self, runner: Runner) -> None:
        self._context = get_context("spawn")
        self._runner = runner
        self.workers: list[_Worker] = []

    def start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main,
                                        args=(child, self._runner, os.getpid()),
                                        name="bulkimpact-report-worker", daemon=True)
        with _sigint_ignored_by_children():
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
             runner: Runner = run_job,
             on_result: Callable[[int, JobResult], None] | None = None,
             expected: Sequence[float] | None = None) -> tuple[list[JobResult], bool]:
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
    on_result : callable, optional
        Called in this process with (job index, result) as each job ends.
    expected : sequence of float, optional
        Expected seconds of each job (longest first); :func:`previous_seconds` by default.

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
    expected = list(expected) if expected is not None else [previous_seconds(j) for j in jobs]
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
                if on_result is not None:
                    on_result(index, result)
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
    languages: Sequence[str] | None = None,
    force: bool = False,
) -> BatchResult:
    """Run every notebook for every inventory and write the reports and their index.

    Each notebook runs once per inventory and gives a page per language,
    ``out_dir/<inventory folder>/<notebook stem>.<lang>.html``, with the
    executed ``.ipynb`` and the downloads (``<notebook stem>_files/``) beside
    them. The index opens with the verdict: ``out_dir/index.html`` in the
    first language, ``index.<lang>.html`` in the others, and a glossary page
    per language. The index lists every inventory whose reports are in
    `out_dir`, from this run or an earlier one.
    Relative paths are taken from `cwd`, where the kernels also start.

    What the run may touch in `out_dir` is set out in
    :mod:`bulkimpact.report.outdir`: the jobs write into a staging folder,
    and each inventory's reports are moved into place in one step when all
    of them are made (with the pages of notebooks not rerun carried over
    from the previous result of the same inventory and rulebook), so a
    killed run leaves the previous reports as they were.

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
    languages : sequence of str, optional
        Languages to render, the first one main; all (Dutch first) by default.
    force : bool
        Write into a non-empty folder that is not a bulkimpact output (never
        over a file bulkimpact did not write).

    Returns
    -------
    BatchResult

    Raises
    ------
    FileNotFoundError, ValueError
        Missing files, an invalid rulebook or inconsistent inputs (see
        :func:`plan_jobs`), or an output folder it may not write into (see
        :func:`~bulkimpact.report.outdir.check_out_dir`), before anything runs. An
        inventory that does not validate raises nothing: it is in :attr:`BatchResult.failed_inputs`
        and marked FAILED in the index.
    """
    start = time.perf_counter()
    base = Path(cwd if cwd is not None else os.getcwd()).resolve()
    generated_at = generated_at_now() if timestamp else None
    langs = parse_languages(languages)
    out = Path(base, out_dir)
    check_out_dir(out, force, langs)
    jobs, failures = plan_jobs(find_notebooks(Path(base, notebooks_dir), only), inventories,
                               rulebook, openness=openness, out_dir=out, cwd=base, seed=seed,
                               params=params, timeout=timeout, generated_at=generated_at,
                               languages=languages)
    with OutputFolder(out) as folder:
        def write_index(results: Sequence[JobResult]) -> Path:
            return write_index_pages(out, _index_results(folder, results),
                                     time.perf_counter() - start, generated_at, failures, langs)

        results, interrupted = _run_into(folder, jobs, workers, progress, write_index)
        index = write_index(results)
    return BatchResult(tuple(results), time.perf_counter() - start, index, interrupted,
                       tuple(failures))


def _run_into(folder: OutputFolder, jobs: Sequence[Job], workers: int | None, progress: bool,
              write_index: Callable[[Sequence[JobResult]], Path]
              ) -> tuple[list[JobResult], bool]:
    """Run `jobs` into `folder`'s staging folder; commit each inventory once all its jobs end.

    Returns the results as they are in place (an inventory the batch did not
    finish is NOT RUN: its reports were not put in place) and whether the
    batch was interrupted.
    """
    assert folder.staging is not None
    members: dict[str, list[int]] = {}
    for i, job in enumerate(jobs):
        members.setdefault(job.scenario, []).append(i)
        folder.stage(job.scenario)
    done: dict[int, JobResult] = {}
    placed: dict[int, JobResult] = {}

    def finished(index: int, result: JobResult) -> None:
        done[index] = result
        name = jobs[index].scenario
        if any(i not in done for i in members[name]):
            return
        final = [dataclasses.replace(done[i], job=jobs[i]) for i in members[name]]
        try:
            _commit(folder, name, final)
        except Exception as exc:  # noqa: BLE001 (one inventory's failure; the others go on)
            final = [JobResult(r.job, FAILED, r.seconds, error="the reports could not be put "
                               f"in place: {type(exc).__name__}: {exc}") for r in final]
        placed.update(zip(members[name], final, strict=True))
        with contextlib.suppress(Exception):  # the index is rewritten at the end anyway
            write_index([placed[i] for i in sorted(placed)])

    staged = [dataclasses.replace(job, out_dir=folder.staging, published=job.out_dir)
              for job in jobs]
    _results, interrupted = run_jobs(staged, workers, progress=progress, on_result=finished,
                                     expected=[previous_seconds(job) for job in jobs])
    return [placed.get(i) or JobResult(
        job, NOT_RUN, 0.0, error="the batch was interrupted before every report of this "
        "inventory was made; none was put in place (earlier reports, if any, are kept)")
        for i, job in enumerate(jobs)], interrupted


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _carry_over(job: Job, into: Path) -> None:
    """Put `job`'s files (pages, executed notebook, downloads) from its folder into `into`."""
    for path in [*job.page_paths.values(), job.executed_path]:
        if path.is_file():
            _link_or_copy(str(path), str(into / path.name))
    if job.files_dir.is_dir():
        shutil.copytree(job.files_dir, into / job.files_dir.name, copy_function=_link_or_copy)


def _commit(folder: OutputFolder, name: str, results: Sequence[JobResult]) -> None:
    """Move inventory folder `name` into place with `results` and the reports kept from before.

    The reports of the previous result of the same inventory and rulebook
    (same hashes) whose notebooks did not run now are carried over; any
    others are dropped with the previous folder.
    """
    inventory, rulebook = results[0].job.inventory, results[0].job.rulebook
    ran = {r.job.notebook.stem for r in results}
    kept = []
    previous = folder.previous(name) or {}
    for record in previous.get("reports", []):
        try:
            old = result_from_record(record, folder.path)
        except (KeyError, TypeError, ValueError):
            continue
        if (old.job.notebook.stem not in ran and old.job.inventory.sha256 == inventory.sha256
                and old.job.rulebook.sha256 == rulebook.sha256):
            _carry_over(old.job, folder.stage(name))
            kept.append(record)
    records = sorted([result_record(r) for r in results] + kept,
                     key=lambda record: record["job"]["notebook"]["file"]["path"])
    folder.commit(name, {"inventory": str(inventory.path), "sha256": inventory.sha256,
                         "reports": records})


def _index_results(folder: OutputFolder, results: Sequence[JobResult]) -> list[JobResult]:
    """What the index lists: every inventory in the folder, this run's first.

    An inventory of this run whose reports were not put in place is listed
    with this run's results when the folder has no earlier ones.
    """
    in_place: dict[str, list[JobResult]] = {}
    for name, data in folder.results():
        try:
            in_place[name] = [result_from_record(record, folder.path)
                              for record in data.get("reports", [])]
        except (KeyError, TypeError, ValueError):
            continue  # a damaged result file: its folder is not listed
    ours: dict[str, list[JobResult]] = {}
    for result in results:
        ours.setdefault(result.job.scenario, []).append(result)
    listed = {name: in_place.get(name, rows) for name, rows in ours.items()}
    listed.update((name, rows) for name, rows in in_place.items() if name not in listed)
    return [row for rows in listed.values() for row in rows]
