"""The provenance banner at the top of every report.

The driver, not the notebook, writes it, so every report says the same
things in the same place: whether the inventory is the bundled fictional one,
that the bundled rulebook is an illustrative assumption, the inputs with their
SHA-256, the openness variant, every parameter and the seed, the package
version and whether the run succeeded. Its first block, the notice on
fictional data, is the one a notebook run without the driver shows itself
(:mod:`bulkimpact.report.notice`).
"""

from __future__ import annotations

import dataclasses
import functools
import subprocess
from pathlib import Path  # noqa: F401  (the examples use it)
from types import SimpleNamespace

import bulkimpact
from bulkimpact.present.i18n import date, document_title, reading_label, reading_name
from bulkimpact.report.files import InputFile
from bulkimpact.report.jobs import OK, Job
from bulkimpact.report.notice import fictional_notice_html, is_bundled
from bulkimpact.report.templating import macros

__all__ = [
    "BANNER_TAG",
    "ERROR_ANCHOR",
    "GENERATED_CLASS",
    "banner_html",
    "fictional_notice_html",
    "input_file_html",
    "local_moment",
    "is_bundled",
]

BANNER_TAG = "bulkimpact-provenance"
"""Cell tag of the banner cell in executed notebooks."""

ERROR_ANCHOR = "bulkimpact-error"
"""HTML id of the note placed just before a failing cell."""

GENERATED_CLASS = "bi-generated"
"""Class of the one line that holds the generation time (the only time in a report)."""


def input_file_html(file: InputFile, lang: str = "en") -> str:
    """An input file as reports show it: its title, path and SHA-256.

    Examples
    --------
    >>> input_file_html(InputFile(Path("/p/a.yaml"), "a.yaml", "ab" * 32, title="A"))[:36]
    'A<br><span class="bi-path">a.yaml</s'
    """
    return str(macros("provenance.html.j2", lang).input_file(_in_language(file, lang)))


def _in_language(file: InputFile, lang: str) -> InputFile:
    """`file` with a bundled file's title in the page's language."""
    return dataclasses.replace(file, title=document_title(file.title, lang)) if file.title else file


@functools.cache
def source_revision() -> str:
    """The git commit of the package's source tree, or "not a git checkout" (a wheel).

    Examples
    --------
    >>> rev = source_revision()
    >>> rev == "not a git checkout" or len(rev.split()[0]) == 40
    True
    """
    root = Path(bulkimpact.__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return "not a git checkout"
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                                capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                "--untracked-files=no"], check=True, capture_output=True,
                               text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return commit + (" (with uncommitted changes)" if dirty else "")


def local_moment(moment: str | None, lang: str) -> str | None:
    """A "generated at" moment (``YYYY-MM-DD HH:MM:SS UTC``) with its date written out in
    the language; anything else is returned as it is.

    Examples
    --------
    >>> local_moment("2026-11-30 04:28:40 UTC", "nl"), local_moment(None, "en")
    ('30 november 2026, 04:28:40 UTC', None)
    """
    if not moment or len(moment) < 11 or moment[4] != "-" or moment[10] != " ":
        return moment
    try:
        return f"{date(moment[:10], lang)}, {moment[11:]}"
    except ValueError:
        return moment


def banner_html(job: Job, status: str, error: str | None = None,
                failed_cell: int | None = None, lang: str = "en") -> str:
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
    lang : str
        The page's language.

    Returns
    -------
    str
    """
    openness = job.parameter_value("openness")
    effective = job.effective_parameters()
    facts = SimpleNamespace(
        tag=BANNER_TAG, job=job, ok=status == OK, error=error, failed_cell=failed_cell,
        error_anchor=ERROR_ANCHOR, openness=openness,
        reading=reading_name(openness, lang) if isinstance(openness, str) else None,
        inventory=_in_language(job.inventory, lang), rulebook=_in_language(job.rulebook, lang),
        # A notebook that declares no inventory parameter (07 reads an exchange log) does
        # not use the batch's inventory; its banner says so rather than name it.
        uses_inventory="inventory" in job.notebook.parameters or not job.notebook.parameters,
        gloss=(reading_label(job.openness_labels.get(openness, ""), lang)
               if isinstance(openness, str) and openness in job.openness_labels else ""),
        seed=effective.get("seed", ("not set", ""))[0],
        parameters=[(name, value, origin) for name, (value, origin) in effective.items()],
        version=bulkimpact.__version__, source=source_revision(),
        generated_at=local_moment(job.generated_at, lang),
        generated_class=GENERATED_CLASS)
    return str(macros("provenance.html.j2", lang).banner(facts))
