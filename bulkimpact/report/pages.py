"""Standalone pages of a batch: the index of all reports, and a failure page.

Both are small self-contained HTML documents that use the report stylesheet
inline and load nothing.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

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

__all__ = ["failure_page", "index_page", "summary_line"]

def _page(title: str, body: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{stylesheet()}</style>",
        "</head>",
        '<body class="bi-page">',
        body,
        "</body>",
        "</html>",
        "",
    ])


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
    body = "\n".join([
        banner_html(job, FAILED, error),
        f"<h1>{html.escape(job.notebook.title)}</h1>",
        f'<div class="bi-failure" id="{ERROR_ANCHOR}"><strong>No report could be made.</strong> '
        f"{html.escape(error)}"
        + (f"<pre>{html.escape(details)}</pre>" if details else "") + "</div>",
    ])
    return _page(job.notebook.title, body)


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


def _short_hash(label: str, path: str, digest: str) -> str:
    return (f'{label} <span class="bi-path">{html.escape(path)}</span> '
            f'<span class="bi-hash" title="SHA-256 {digest}">{digest[:12]}</span>')


def _row(result: JobResult) -> str:
    job = result.job
    relative = f"{job.scenario}/{job.notebook.stem}"
    title = html.escape(job.notebook.title)
    if result.status == NOT_RUN:
        report = (f'{title}<br><span class="bi-muted">'
                  f"{html.escape(job.notebook.file.shown)}</span>")
    else:
        report = (f'<a href="{html.escape(relative)}.html">{title}</a><br>'
                  f'<span class="bi-muted">{html.escape(job.notebook.file.shown)}'
                  + (f' · <a href="{html.escape(relative)}.ipynb">notebook</a>'
                     if job.executed_path.exists() else "")
                  + "</span>")
    if result.status == OK:
        status = '<span class="bi-status-ok">OK</span>'
    else:
        where = f" (cell {result.failed_cell})" if result.failed_cell is not None else ""
        status = (f'<span class="bi-status-failed">{html.escape(result.status)}</span>{where}'
                  + (f'<br><span class="bi-code">{html.escape(result.error)}</span>'
                     if result.error else ""))
    inputs = "<br>".join([
        _short_hash("inventory", job.inventory.shown, job.inventory.sha256),
        _short_hash("rulebook", job.rulebook.shown, job.rulebook.sha256),
        _short_hash("notebook", job.notebook.file.path.name, job.notebook.file.sha256),
        f'openness <span class="bi-code">{html.escape(str(job.parameter_value("openness")))}'
        "</span>",
    ])
    seconds = "" if result.status == NOT_RUN else f"{result.seconds:.1f} s"
    row_class = ' class="bi-row-failed"' if result.status != OK else ""
    return (f"<tr{row_class}><td>{html.escape(job.scenario)}</td><td>{report}</td>"
            f'<td>{status}</td><td class="bi-num">{seconds}</td><td>{inputs}</td></tr>')


def _failed_input_row(failure: Any) -> str:
    """The index row of an inventory that did not validate: FAILED, every problem."""
    problems = "".join(f'<li><span class="bi-code">{html.escape(str(p))}</span></li>'
                       for p in failure.problems)
    status = (f'<span class="bi-status-failed">{FAILED}</span> (inventory did not validate)'
              f'<br><span class="bi-code">{html.escape(failure.error)}</span>'
              f'<ul class="bi-problems">{problems}</ul>')
    report = ('<span class="bi-muted">No reports: every problem must be fixed first '
              f"(<span class=\"bi-code\">bulkimpact validate {html.escape(failure.shown)}"
              "</span>)</span>")
    digest = (_short_hash("inventory", failure.shown, failure.sha256) if failure.sha256
              else f'inventory <span class="bi-path">{html.escape(failure.shown)}</span>')
    inputs = "<br>".join([digest, _short_hash("rulebook", failure.rulebook.shown,
                                              failure.rulebook.sha256)])
    return (f'<tr class="bi-row-failed"><td>{html.escape(failure.scenario)}</td>'
            f'<td>{report}</td><td>{status}</td><td class="bi-num"></td><td>{inputs}</td></tr>')


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
    files = "".join(
        f"<tr><th>{kind}</th><td>{input_file_html(f)}</td></tr>"
        for kind, group in (("Inventory", inventories), ("Rulebook", rulebooks)) for f in group)
    files += "".join(
        f'<tr><th>Inventory</th><td><span class="bi-path">{html.escape(f.shown)}</span> '
        f'<span class="bi-status-failed">{FAILED}</span>: {html.escape(f.error)}</td></tr>'
        for f in failed_inputs)
    openness = ", ".join(dict.fromkeys(str(r.job.parameter_value("openness")) for r in results))
    body = [
        "<h1>bulkimpact reports</h1>",
        '<div class="bi-banner">',
        fictional_notice_html(inventories, rulebooks),
        f"<p><strong>{html.escape(summary_line(results, seconds, failed_inputs))}"
        "</strong></p>",
        '<table class="bi-facts"><tbody>',
        files,
        f'<tr><th>Openness variant</th><td><span class="bi-code">{html.escape(openness)}'
        "</span></td></tr>",
        f'<tr><th>bulkimpact</th><td>version <span class="bi-code">'
        f"{html.escape(bulkimpact.__version__)}</span></td></tr>",
        "</tbody></table>",
    ]
    if generated_at:
        body.append(f'<p class="{GENERATED_CLASS} bi-muted">Generated at '
                    f"{html.escape(generated_at)}</p>")
    body += [
        "</div>",
        '<table class="bi-index">',
        "<thead><tr><th>Inventory</th><th>Report</th><th>Status</th><th>Run time</th>"
        "<th>Inputs (SHA-256, first 12 hex digits)</th></tr></thead>",
        "<tbody>",
        *(_failed_input_row(f) for f in failed_inputs),
        *(_row(r) for r in results),
        "</tbody>",
        "</table>",
        '<p class="bi-muted">Run times vary between runs; the reports themselves do not, '
        "except for their &ldquo;Generated at&rdquo; line.</p>",
    ]
    return _page("bulkimpact reports", "\n".join(body))
