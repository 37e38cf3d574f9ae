"""Standalone pages of a batch: the index of all reports, and a failure page.

Both are small self-contained HTML documents that use the report stylesheet
inline and load nothing. They are Jinja2 templates (``templates/pages``) with
autoescape: every value is escaped unless it is HTML the package built itself
(the banner and input cells of :mod:`bulkimpact.report.provenance`).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

import bulkimpact
from bulkimpact.report.jobs import FAILED, NOT_RUN, OK, Job, JobResult
from bulkimpact.report.provenance import (
    ERROR_ANCHOR,
    GENERATED_CLASS,
    banner_html,
    fictional_notice_html,
    input_file_html,
)
from bulkimpact.report.render import stylesheet
from bulkimpact.report.templating import render

__all__ = ["failure_page", "index_page", "summary_line"]

def _render(template: str, **values: Any) -> str:
    return render(template, stylesheet=Markup(stylesheet()), **values)


def failure_page(job: Job, error: str, details: str = "") -> str:
    """A report page for a job that could not be rendered at all.

    Parameters
    ----------
    job : Job
    error : str
        One-line summary.
    details : str
        Longer text (a traceback) shown below it.

    Returns
    -------
    str
    """
    return _render("failure.html.j2", title=job.notebook.title,
                   banner=Markup(banner_html(job, FAILED, error)), error_anchor=ERROR_ANCHOR,
                   error=error, details=details)


def summary_line(results: Sequence[JobResult], seconds: float,
                 failed_inputs: Sequence[Any] = ()) -> str:
    """The batch summary: ``N reports, F failed, T s`` (and how many did not run, and
    how many inventories did not validate).

    Examples
    --------
    >>> summary_line([], 0.04)
    '0 reports, 0 failed, 0.0 s'
    >>> summary_line([], 0.04, ["broken"])
    '0 reports, 0 failed, 0.0 s, 1 inventory FAILED validation (no reports)'
    """
    failed = sum(1 for r in results if r.status == FAILED)
    not_run = sum(1 for r in results if r.status == NOT_RUN)
    invalid = len(failed_inputs)
    return (f"{len(results)} reports, {failed} failed, {seconds:.1f} s"
            + (f", {not_run} not run (interrupted)" if not_run else "")
            + (f", {invalid} {'inventory' if invalid == 1 else 'inventories'} FAILED "
               "validation (no reports)" if invalid else ""))


def index_page(results: Sequence[JobResult], seconds: float,
               generated_at: str | None = None, failed_inputs: Sequence[Any] = ()) -> str:
    """The index of a batch: every report with its status, inputs and run time.

    Parameters
    ----------
    results : sequence of JobResult
        In the order to list them.
    seconds : float
        Wall time of the whole batch.
    generated_at : str, optional
        Shown on a line of its own; None leaves the line out.
    failed_inputs : sequence of InputFailure
        Inventories that did not validate (:class:`bulkimpact.report.batch.InputFailure`):
        listed first, FAILED, with every problem (file, item, field).

    Returns
    -------
    str
    """
    inventories = list(dict.fromkeys(r.job.inventory for r in results))
    rulebooks = list(dict.fromkeys([r.job.rulebook for r in results]
                                   + [f.rulebook for f in failed_inputs]))
    files = [(kind, Markup(input_file_html(f)))
             for kind, group in (("Inventory", inventories), ("Rulebook", rulebooks))
             for f in group]
    rows = [SimpleNamespace(job=r.job, status=r.status, error=r.error, seconds=r.seconds,
                            failed_cell=r.failed_cell,
                            relative=f"{r.job.scenario}/{r.job.notebook.stem}",
                            executed=r.job.executed_path.exists(),
                            openness=str(r.job.parameter_value("openness")))
            for r in results]
    return _render(
        "index.html.j2", title="bulkimpact reports", rows=rows, files=files,
        failed_inputs=list(failed_inputs),
        notice=Markup(fictional_notice_html(inventories, rulebooks)),
        summary=summary_line(results, seconds, failed_inputs),
        openness=", ".join(dict.fromkeys(r.openness for r in rows)),
        version=bulkimpact.__version__, generated_at=generated_at,
        generated_class=GENERATED_CLASS, OK=OK, FAILED=FAILED, NOT_RUN=NOT_RUN)
