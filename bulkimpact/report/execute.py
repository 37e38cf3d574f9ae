"""Run one job: execute a notebook with papermill, render its report, write both.

This runs inside a batch worker process, many jobs one after another, with
one shared HTML exporter. A notebook that fails still gives a report: it
shows every cell up to the failing one, the error with its traceback, and a
FAILED banner; the cells after it are left out because they never ran.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

from bulkimpact.files import atomic_write
from bulkimpact.report.files import display_path
from bulkimpact.report.jobs import FAILED, OK, Job, JobResult
from bulkimpact.report.navigation import nav_html, with_nav
from bulkimpact.report.notebooks import read_notebook, renumber_cells
from bulkimpact.report.pages import failure_page
from bulkimpact.report.provenance import BANNER_TAG, ERROR_ANCHOR, banner_html
from bulkimpact.report.render import external_loads, make_exporter, render_html
from bulkimpact.report.templating import macros

__all__ = ["KERNEL_NAME", "prepare_worker", "run_job"]

KERNEL_NAME = "python3"

# Kernel start-up code: SVG figures get stable ids (matplotlib salts them
# with a random uuid otherwise), so reruns give identical reports.
_KERNEL_SETUP = ("import matplotlib as _bi_mpl; "
                 "_bi_mpl.rcParams['svg.hashsalt'] = 'bulkimpact'; del _bi_mpl")
_PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"
_INJECTED_TAG = "injected-parameters"
_FAILURE_TAG = "bulkimpact-failure"
_LOG_TAIL_LINES = 20


def prepare_worker() -> None:
    """Set up a worker process: kernel environment and the shared exporter.

    Kernels inherit the environment: a fixed ``PYTHONHASHSEED`` makes set
    and string-hash order, and so printed tables, the same on every run.
    """
    os.environ["PYTHONHASHSEED"] = "0"
    # The debugger's "frozen modules" notice is noise in batch logs.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    _shared_exporter()


@functools.lru_cache(maxsize=1)
def _shared_exporter():
    return make_exporter()


@dataclass(frozen=True)
class _Failure:
    summary: str
    cell_index: int | None  # index in the executed notebook, None if not tied to a cell
    cell_error: bool  # the cell raised (as opposed to: the kernel died, timed out, ...)


def _one_line(exc_name: str, message: str) -> str:
    first = next((line.strip() for line in str(message).splitlines() if line.strip()), "")
    return f"{exc_name}: {first}" if first else exc_name


@contextlib.contextmanager
def _captured_output(log: Path) -> Iterator[None]:
    """Send this process's stdout and stderr, and its kernel's, to `log`.

    The kernel is a child process and writes to the inherited file
    descriptors, so the redirection is done on descriptors 1 and 2.
    """
    saved = [os.dup(1), os.dup(2)]
    with open(log, "wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def _log_tail(log: Path) -> str:
    lines = log.read_text("utf-8", errors="replace").splitlines() if log.exists() else []
    # jupyter_client warns on every local TCP kernel; it says nothing about the failure.
    lines = [line for line in lines if "running over TCP without encryption" not in line]
    return "\n".join(lines[-_LOG_TAIL_LINES:])


def _execute(nb: nbformat.NotebookNode, job: Job, scratch: Path
             ) -> tuple[nbformat.NotebookNode, _Failure | None]:
    """Execute `nb` for `job`; return the executed notebook and the failure, if any."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source, output = scratch / "input.ipynb", scratch / "output.ipynb"
    nbformat.write(nb, source)
    try:
        executed = papermill.execute_notebook(
            str(source), str(output),
            parameters=job.injected_parameters(),
            kernel_name=KERNEL_NAME,
            language="python",
            progress_bar=False,
            cwd=str(job.cwd),
            execution_timeout=job.timeout,
            extra_arguments=[f"--IPKernelApp.exec_lines={_KERNEL_SETUP}"],
        )
        failure = None
    except PapermillExecutionError as exc:
        executed = nbformat.read(output, as_version=4)
        # papermill's own error markers refer to "In [n]" prompts, which reports hide.
        executed.cells = [c for c in executed.cells
                          if _PAPERMILL_ERROR_TAG not in c.metadata.get("tags", [])]
        failure = _Failure(_one_line(exc.ename, exc.evalue), exc.cell_index, cell_error=True)
    except Exception as exc:  # kernel died, timed out or did not start
        executed = nbformat.read(output, as_version=4) if output.exists() else nb
        started = [i for i, c in enumerate(executed.cells)
                   if c.metadata.get("papermill", {}).get("start_time")]
        index = started[-1] if started else None
        summary = _one_line(type(exc).__name__, str(exc))
        if index is not None and executed.cells[index].cell_type == "code":
            executed.cells[index].outputs.append(nbformat.v4.new_output(
                "error", ename=type(exc).__name__, evalue=str(exc), traceback=[summary]))
        failure = _Failure(summary, index, cell_error=False)
    _name_files_in_place(executed, job)
    executed.metadata.setdefault("papermill", {}).update(
        input_path=job.notebook.file.shown,
        output_path=display_path(job.in_place.executed_path, job.cwd))
    return executed, failure


def _name_files_in_place(nb: nbformat.NotebookNode, job: Job) -> None:
    """Name the notebook's ``out_dir`` where its files end up, not the staging folder."""
    staged = job.injected_parameters().get("out_dir")
    final = job.in_place.injected_parameters().get("out_dir")
    if not isinstance(staged, str) or staged == final:
        return
    for cell in nb.cells:
        if _INJECTED_TAG in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(staged, str(final))
    recorded = nb.metadata.get("papermill", {}).get("parameters", {})
    if recorded.get("out_dir") == staged:
        recorded["out_dir"] = final


def _source_cell_number(nb: nbformat.NotebookNode, index: int) -> int:
    """1-based number, in the notebook file, of executed cell `index`."""
    return sum(1 for cell in nb.cells[: index + 1]
               if _INJECTED_TAG not in cell.metadata.get("tags", []))


def _markdown(html: str, tags: list[str], cell_id: str | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(html)
    cell.metadata["tags"] = list(tags)
    if cell_id is not None:
        cell["id"] = cell_id
    return cell


def _with_cells(nb: nbformat.NotebookNode, cells: list) -> nbformat.NotebookNode:
    return nbformat.NotebookNode({**nb, "cells": cells})


def _failure_note(failure: _Failure, cell_number: int | None, log_tail: str, lang: str) -> str:
    """The note above a failing cell (or on top, when no cell is to blame)."""
    number = None if failure.cell_index is None else cell_number
    tail = log_tail if log_tail and not failure.cell_error else ""
    return str(macros("notes.html.j2", lang).failure_note(failure.summary, number, tail,
                                                          ERROR_ANCHOR))


def _assemble(executed: nbformat.NotebookNode, job: Job, failure: _Failure | None,
              log_tail: str) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode, int | None]:
    """Add the banner (and failure note), one per language, to `executed`.

    Returns the notebook to save (all cells), the notebook to render (up to
    the failing cell) and the failing cell's number in the notebook file.
    """
    cells = list(executed.cells)
    langs = job.languages
    cell_number = None
    if failure is not None:
        if failure.cell_index is not None:
            cell_number = _source_cell_number(executed, failure.cell_index)
        notes = [_markdown(_failure_note(failure, cell_number, log_tail, lang),
                           [_FAILURE_TAG, lang]) for lang in langs]
        cells[failure.cell_index or 0:failure.cell_index or 0] = notes
    status = OK if failure is None else FAILED
    summary = failure.summary if failure else None
    cells[0:0] = [_markdown(banner_html(job, status, summary, cell_number, lang),
                            [BANNER_TAG, lang]) for lang in langs]
    full = _with_cells(executed, cells)
    renumber_cells(full)
    if failure is None or failure.cell_index is None:
        return full, full, cell_number
    failing = failure.cell_index + 2 * len(langs)  # after the banners and the failure notes
    shown = full.cells[: failing + 1]
    not_run = len(full.cells) - len(shown)
    if not_run:
        shown.extend(_markdown(str(macros("notes.html.j2", lang).not_run_note(not_run)),
                               [_FAILURE_TAG, lang], cell_id=f"not-run-{lang}")
                     for lang in langs)
    return full, _with_cells(full, shown), cell_number


def _pages(shown: nbformat.NotebookNode, job: Job) -> dict[str, str]:
    """The report page of every language of `job`, with its navigation."""
    source_dir = job.notebook.file.path.parent
    pages = {}
    for lang in job.languages:
        page = render_html(shown, _shared_exporter(), job.notebook.title_in(lang), source_dir,
                           lang)
        pages[lang] = with_nav(page, nav_html(job, lang, page))
    return pages


def run_job(job: Job) -> JobResult:
    """Execute `job`'s notebook once and write its page in every language.

    Never raises for a failure of the notebook, its kernel or the rendering:
    those give a FAILED result and a report saying what went wrong. Files are
    written atomically.

    Parameters
    ----------
    job : Job

    Returns
    -------
    JobResult
    """
    start = time.perf_counter()
    warnings = tuple(f"{job.label}: parameter {name!r} is not declared in the notebook's "
                     "parameters cell" for name in job.undeclared_parameters())
    try:
        nb = read_notebook(job.notebook.file.path)
        with tempfile.TemporaryDirectory(prefix="bulkimpact-job-") as tmp:
            scratch = Path(tmp)
            log = scratch / "output.log"
            with _captured_output(log):
                executed, failure = _execute(nb, job, scratch)
            log_tail = _log_tail(log)
        full, shown, cell_number = _assemble(executed, job, failure, log_tail)
        atomic_write(job.executed_path, nbformat.writes(full) + "\n")
        pages = _pages(shown, job)
        loads = [load for page in pages.values() for load in external_loads(page)]
        if loads and failure is None:
            more = f" and {len(loads) - 1} more" if len(loads) > 1 else ""
            failure = _Failure(f"report is not self-contained: it loads {loads[0]}{more}",
                               None, cell_error=False)
            full, shown, cell_number = _assemble(executed, job, failure, "")
            atomic_write(job.executed_path, nbformat.writes(full) + "\n")
            pages = _pages(shown, job)
        for lang, page in pages.items():
            atomic_write(job.page_path(lang), page)
        _remove_if_empty(job.files_dir)
        return JobResult(job, OK if failure is None else FAILED, time.perf_counter() - start,
                         error=failure.summary if failure else None,
                         failed_cell=cell_number, warnings=warnings)
    except Exception as exc:  # a fault of the driver, not the notebook: keep the batch going
        error = f"report could not be made: {_one_line(type(exc).__name__, str(exc))}"
        write_failure_page(job, error, traceback.format_exc())
        return JobResult(job, FAILED, time.perf_counter() - start, error=error, warnings=warnings)


def _remove_if_empty(folder: Path) -> None:
    """Remove the notebook's ``out_dir`` if it wrote nothing there."""
    with contextlib.suppress(OSError):
        folder.rmdir()


def write_failure_page(job: Job, error: str, details: str = "") -> None:
    """Write a minimal report (every language) for a job that produced none, and drop its
    stale notebook."""
    for lang in job.languages:
        atomic_write(job.page_path(lang), failure_page(job, error, details, lang))
    with contextlib.suppress(FileNotFoundError):
        job.executed_path.unlink()
    _remove_if_empty(job.files_dir)
