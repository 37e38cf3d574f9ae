"""The provenance banner at the top of every report.

The driver, not the notebook, writes it, so every report says the same
things in the same place: whether the inventory is the bundled fictional one,
that the bundled rulebook is an illustrative assumption, the inputs with their
SHA-256, the openness variant, every parameter and the seed, the package
version and whether the run succeeded.
"""

from __future__ import annotations

import html
import os
from pathlib import Path  # noqa: F401  (the examples use it)

import bulkimpact
from bulkimpact.report.files import InputFile
from bulkimpact.report.jobs import OK, Job
from bulkimpact.resources import bundled_name

__all__ = [
    "BANNER_TAG",
    "ERROR_ANCHOR",
    "GENERATED_CLASS",
    "banner_html",
    "fictional_notice_html",
    "input_file_html",
    "is_bundled",
]

BANNER_TAG = "bulkimpact-provenance"
"""Cell tag of the banner cell in executed notebooks."""

ERROR_ANCHOR = "bulkimpact-error"
"""HTML id of the note placed just before a failing cell."""

GENERATED_CLASS = "bi-generated"
"""Class of the one line that holds the generation time (the only time in a report)."""

def is_bundled(path: str | os.PathLike[str], kind: str) -> bool:
    """Tell whether `path` is one of bulkimpact's bundled files of `kind`.

    Bundled files are package data (:mod:`bulkimpact.resources`): the
    repository's ``data/`` in a source checkout, ``bulkimpact/_bundled/data/``
    in an installed wheel.

    Parameters
    ----------
    path : path-like
    kind : {"synthetic", "rulebooks"}
        Bundled fictional inventories or bundled illustrative rulebooks.

    Returns
    -------
    bool

    Examples
    --------
    >>> from bulkimpact.resources import bundled
    >>> is_bundled(bundled("data/synthetic/baseline.yaml"), "synthetic")
    True
    >>> is_bundled("/tmp/my_inventory.yaml", "synthetic")
    False
    """
    name = bundled_name(path)
    return name is not None and name.startswith(f"data/{kind}/")


def _e(text: object) -> str:
    # The banner is a markdown cell holding HTML; "$" would start TeX there.
    return html.escape(str(text)).replace("$", "&#36;")


def fictional_notice_html(inventories: list[InputFile], rulebooks: list[InputFile]) -> str:
    """The warning paragraphs on fictional data and on the rulebook's status.

    Examples
    --------
    >>> rb = InputFile(Path("/r/default.yaml"), "data/rulebooks/default.yaml", "0" * 64,
    ...                illustrative=True)
    >>> inv = InputFile(Path("/srv/inv.yaml"), "/srv/inv.yaml", "1" * 64)
    >>> text = fictional_notice_html([inv], [rb])
    >>> "Analyst-supplied inventory" in text, "Illustrative rulebook" in text
    (True, True)
    """
    def names(files: list[InputFile]) -> str:
        return ", ".join(f'<span class="bi-path">{_e(f.shown)}</span>' for f in files)

    paragraphs = []
    fictional = [f for f in inventories if f.illustrative]
    supplied = [f for f in inventories if not f.illustrative]
    if fictional:
        paragraphs.append(
            f"<p><strong>Fictional data.</strong> The inventory {names(fictional)} is invented "
            "for illustration. It describes no real dataset of the AIVD or MIVD, and its "
            "numbers are not estimates of real holdings.</p>")
    if supplied:
        paragraphs.append(
            f"<p><strong>Analyst-supplied inventory</strong> {names(supplied)}. The results are "
            "only as good as its entries; bulkimpact has not checked them against reality.</p>")
    illustrative = [f for f in rulebooks if f.illustrative]
    own = [f for f in rulebooks if not f.illustrative]
    if illustrative:
        paragraphs.append(
            "<p><strong>Illustrative rulebook.</strong> The criteria of the Tijdelijke "
            "regeling verdere verwerking bulkdatasets Wiv 2017 are not public in full. The "
            f"rulebook {names(illustrative)} is an assumption made for illustration, not the "
            "services' actual assessment.</p>")
    if own:
        paragraphs.append(
            f"<p><strong>Analyst-supplied rulebook</strong> {names(own)}: an assumption of its "
            "author, not the services' official criteria.</p>")
    return f'<div class="bi-warning">{"".join(paragraphs)}</div>'


def input_file_html(file: InputFile) -> str:
    """An input file as reports show it: its title, path and SHA-256.

    Examples
    --------
    >>> input_file_html(InputFile(Path("/p/a.yaml"), "a.yaml", "ab" * 32, title="A"))[:36]
    'A<br><span class="bi-path">a.yaml</s'
    """
    title = f"{_e(file.title)}<br>" if file.title else ""
    return (f'{title}<span class="bi-path">{_e(file.shown)}</span><br>'
            f'<span class="bi-hash">SHA-256 {file.sha256}</span>')


def banner_html(job: Job, status: str, error: str | None = None,
                failed_cell: int | None = None) -> str:
    """Return the provenance banner of `job`'s report as one HTML block.

    The block has no blank line, so as the source of a markdown cell it is
    passed through unchanged by markdown renderers (CommonMark HTML block).
    The generation time, when the job has one, is on a line of its own with
    class :data:`GENERATED_CLASS`.

    Parameters
    ----------
    job : Job
    status : {"OK", "FAILED"}
    error : str, optional
        One-line failure summary.
    failed_cell : int, optional
        1-based number of the failing cell in the notebook file.

    Returns
    -------
    str
    """
    if status == OK:
        status_html = '<span class="bi-status-ok">OK</span> (the notebook ran to the end)'
    else:
        where = f" in cell {failed_cell}" if failed_cell is not None else ""
        status_html = (f'<span class="bi-status-failed">FAILED</span>{where}: '
                       f'<span class="bi-code">{_e(error or "unknown error")}</span> '
                       f'(<a href="#{ERROR_ANCHOR}">go to the error</a>)')
    openness = job.parameter_value("openness")
    gloss = job.openness_labels.get(openness, "") if isinstance(openness, str) else ""
    effective = job.effective_parameters()
    parameters = "<br>".join(
        f'<span class="bi-code">{_e(name)} = {_e(value)}</span> '
        f'<span class="bi-muted">({_e(origin)})</span>'
        for name, (value, origin) in effective.items())
    seed = effective.get("seed", ("not set", ""))[0]
    rows = [
        ("Status", status_html),
        ("Inventory", input_file_html(job.inventory)),
        ("Rulebook", input_file_html(job.rulebook)),
        ("Openness variant",
         f'<span class="bi-code">{_e(openness)}</span>' + (f": {_e(gloss)}" if gloss else "")),
        ("Seed", f'<span class="bi-code">{_e(seed)}</span>'),
        ("Parameters", parameters),
        ("Notebook", input_file_html(job.notebook.file)),
        ("bulkimpact", f'version <span class="bi-code">{_e(bulkimpact.__version__)}</span>'),
    ]
    lines = [
        f'<div class="bi-banner" id="{BANNER_TAG}">',
        '<p><strong>About this report</strong></p>',
        fictional_notice_html([job.inventory], [job.rulebook]),
        '<table class="bi-facts"><tbody>',
        *(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows),
        "</tbody></table>",
    ]
    if job.generated_at:
        lines.append(f'<p class="{GENERATED_CLASS} bi-muted">'
                     f"Generated at {_e(job.generated_at)}</p>")
    lines.append("</div>")
    return "\n".join(lines)
