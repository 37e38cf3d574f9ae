"""One report to make (a job) and what came of it (a job result).

A job is one notebook run on one inventory with one rulebook and openness
variant. It runs once and gives one page per language:
``OUT/<inventory folder>/<notebook stem>.<lang>.html``, with the executed
notebook beside them as ``.ipynb`` for analysts and the notebook's downloads
in ``<notebook stem>_files/``.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulkimpact.present.i18n import LANGUAGES
from bulkimpact.report.files import InputFile, argument_path
from bulkimpact.report.notebooks import NotebookInfo

__all__ = ["FAILED", "NOT_RUN", "OK", "Job", "JobResult", "generated_at_now", "page_name",
           "result_from_record", "result_record"]

OK = "OK"
FAILED = "FAILED"
NOT_RUN = "NOT RUN"
"""Status of a job an interrupted batch did not get to."""


def generated_at_now(environ: Mapping[str, str] = os.environ) -> str:
    """Return the time a batch is generated, as reports print it.

    When ``SOURCE_DATE_EPOCH`` is set in `environ` (the reproducible-builds
    convention), that time is used, so reruns print the same line.

    Examples
    --------
    >>> generated_at_now({"SOURCE_DATE_EPOCH": "0"})
    '1970-01-01 00:00:00 UTC'
    >>> generated_at_now({}).endswith(" UTC")
    True
    """
    epoch = environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch
              else dt.datetime.now(dt.timezone.utc))
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def page_name(stem: str, lang: str) -> str:
    """A report page's file name.

    Examples
    --------
    >>> page_name("00_overview", "nl")
    '00_overview.nl.html'
    """
    return f"{stem}.{lang}.html"


@dataclass(frozen=True)
class Job:
    """One notebook to run on one inventory, rulebook and openness variant.

    Attributes
    ----------
    notebook : NotebookInfo
    inventory, rulebook : InputFile
    openness : str, optional
        Openness variant to inject; None leaves each notebook's default.
    openness_labels : mapping
        The rulebook's openness variants and their labels, for the banner.
    out_dir : Path
        Root of the batch's output (``reports/``), absolute.
    cwd : Path
        Directory the batch runs in: kernels start there and shown paths are
        relative to it.
    seed : int, optional
        Injected as ``seed`` when given; otherwise the notebook's default holds.
    params : mapping
        Further parameters injected into the notebook.
    timeout : float, optional
        Seconds a single cell may run before the job fails.
    generated_at : str, optional
        The "generated at" line of the report; None leaves it out.
    languages : tuple of str
        The languages to render, in order (one page each); the first is the
        main one (:attr:`report_path`).
    suite : tuple of NotebookInfo
        Every notebook of the batch, in order: a page links to the one before
        and after it.
    folder : str
        The inventory's folder in :attr:`out_dir`
        (:func:`bulkimpact.report.outdir.folder_name`); empty: the inventory's file stem.
    published : Path, optional
        The output root the files are moved to once made, when :attr:`out_dir` is a
        staging folder; reports and the executed notebook name the files there.
    """

    notebook: NotebookInfo
    inventory: InputFile
    rulebook: InputFile
    openness: str | None
    out_dir: Path
    cwd: Path
    openness_labels: Mapping[str, str] = field(default_factory=dict)
    seed: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    timeout: float | None = None
    generated_at: str | None = None
    languages: tuple[str, ...] = LANGUAGES
    suite: tuple[NotebookInfo, ...] = ()
    folder: str = ""
    published: Path | None = None

    @property
    def in_place(self) -> Job:
        """The job as it is once its files are moved to :attr:`published`."""
        if self.published is None:
            return self
        return dataclasses.replace(self, out_dir=self.published, published=None)

    @property
    def scenario(self) -> str:
        """The folder the job's files go to (:attr:`folder`, else the inventory's file stem)."""
        return self.folder or self.inventory.path.stem

    @property
    def report_path(self) -> Path:
        """The HTML report in the first language."""
        return self.page_path(self.languages[0])

    def page_path(self, lang: str) -> Path:
        """The HTML report in `lang`: ``<stem>.<lang>.html``."""
        return self.out_dir / self.scenario / page_name(self.notebook.stem, lang)

    @property
    def page_paths(self) -> dict[str, Path]:
        """Every language's HTML report."""
        return {lang: self.page_path(lang) for lang in self.languages}

    def neighbours(self) -> tuple[NotebookInfo | None, NotebookInfo | None]:
        """The notebooks before and after this one in the batch (None at either end)."""
        stems = [info.stem for info in self.suite]
        if self.notebook.stem not in stems:
            return None, None
        i = stems.index(self.notebook.stem)
        return (self.suite[i - 1] if i > 0 else None,
                self.suite[i + 1] if i + 1 < len(self.suite) else None)

    @property
    def executed_path(self) -> Path:
        """The executed notebook, for analysts."""
        return self.out_dir / self.scenario / f"{self.notebook.stem}.ipynb"

    @property
    def files_dir(self) -> Path:
        """Where the notebook may write extra files (its ``out_dir`` parameter)."""
        return self.out_dir / self.scenario / f"{self.notebook.stem}_files"

    @property
    def label(self) -> str:
        """Short name for messages: ``baseline/00_overview``."""
        return f"{self.scenario}/{self.notebook.stem}"

    def injected_parameters(self) -> dict[str, Any]:
        """The parameters papermill injects into the notebook.

        Paths are relative to :attr:`cwd` when inside it, else absolute (a
        bundled file is shown by its bundled name but passed by its path); the
        kernel starts in :attr:`cwd`, so they resolve.
        """
        injected: dict[str, Any] = {
            "inventory": argument_path(self.inventory.path, self.cwd),
            "rulebook": argument_path(self.rulebook.path, self.cwd),
            "out_dir": argument_path(self.files_dir, self.cwd),
        }
        if self.notebook.parameters and "inventory" not in self.notebook.parameters:
            del injected["inventory"]  # a report of another input (07: the exchange log)
        if "languages" in self.notebook.parameters:
            injected["languages"] = ",".join(self.languages)
        if self.openness is not None and (not self.notebook.parameters
                                          or "openness" in self.notebook.parameters):
            injected["openness"] = self.openness
        if self.seed is not None:
            injected["seed"] = self.seed
        injected.update(self.params)
        return injected

    def effective_parameters(self) -> dict[str, tuple[str, str]]:
        """Every parameter the run used: name -> (value as Python source, origin).

        The origin is ``"batch"`` for injected values and ``"notebook
        default"`` for declared ones left alone.
        """
        values = {name: (text, "notebook default")
                  for name, text in self.notebook.parameters.items()}
        injected = self.injected_parameters()
        if "out_dir" in injected and "out_dir" not in self.params:
            injected["out_dir"] = self.in_place.injected_parameters()["out_dir"]
        values.update({name: (repr(value), "batch") for name, value in injected.items()})
        return values

    def parameter_value(self, name: str) -> Any:
        """The value of parameter `name` in the run (None if unknown or not a literal)."""
        injected = self.injected_parameters()
        if name in injected:
            return injected[name]
        try:
            return ast.literal_eval(self.notebook.parameters.get(name, "None"))
        except (ValueError, SyntaxError):
            return None

    def undeclared_parameters(self) -> list[str]:
        """Injected parameters the notebook's ``parameters`` cell does not declare."""
        return [name for name in self.injected_parameters() if name not in self.notebook.parameters]


@dataclass(frozen=True)
class JobResult:
    """What came of a job.

    Attributes
    ----------
    job : Job
    status : str
        ``"OK"``, ``"FAILED"`` or ``"NOT RUN"``.
    seconds : float
        Wall time of execution, rendering and writing.
    error : str, optional
        One-line summary of the failure (``"ValueError: ..."``).
    failed_cell : int, optional
        1-based number of the failing cell in the notebook file.
    warnings : tuple of str
        Things an operator should know that did not fail the job.
    """

    job: Job
    status: str
    seconds: float
    error: str | None = None
    failed_cell: int | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the notebook ran to the end and the report is self-contained."""
        return self.status == OK


def _file_record(file: InputFile) -> dict[str, Any]:
    return {"path": str(file.path), "shown": file.shown, "sha256": file.sha256,
            "title": file.title, "illustrative": file.illustrative}


def _file_from(record: Mapping[str, Any]) -> InputFile:
    return InputFile(Path(record["path"]), record["shown"], record["sha256"],
                     record.get("title", ""), bool(record.get("illustrative", False)))


def _notebook_record(info: NotebookInfo) -> dict[str, Any]:
    return {"file": _file_record(info.file), "title": info.title,
            "parameters": dict(info.parameters), "titles": dict(info.titles)}


def _notebook_from(record: Mapping[str, Any]) -> NotebookInfo:
    return NotebookInfo(_file_from(record["file"]), record["title"], dict(record["parameters"]),
                        dict(record.get("titles", {})))


def result_record(result: JobResult) -> dict[str, Any]:
    """`result` as JSON-ready data, as an inventory's result file keeps it.

    The output folder is left out (:func:`result_from_record` is given it), so
    a result folder can be moved. Parameter values that JSON cannot hold are
    kept as text.

    Examples
    --------
    >>> from bulkimpact.report.notebooks import NotebookInfo
    >>> f = InputFile(Path("/p/a.yaml"), "a.yaml", "ab" * 32)
    >>> job = Job(NotebookInfo(f, "A", {"seed": "0"}), f, f, None, Path("/out"), Path("/p"),
    ...           folder="a")
    >>> again = result_from_record(result_record(JobResult(job, OK, 1.5)), Path("/moved"))
    >>> again.job.report_path, again.status
    (PosixPath('/moved/a/a.nl.html'), 'OK')
    >>> import dataclasses
    >>> again.job == dataclasses.replace(job, out_dir=Path("/moved"))
    True
    """
    job = result.job
    return {
        "job": {
            "notebook": _notebook_record(job.notebook), "inventory": _file_record(job.inventory),
            "rulebook": _file_record(job.rulebook), "openness": job.openness,
            "openness_labels": dict(job.openness_labels), "cwd": str(job.cwd),
            "seed": job.seed, "params": dict(job.params), "timeout": job.timeout,
            "generated_at": job.generated_at, "languages": list(job.languages),
            "suite": [_notebook_record(info) for info in job.suite], "folder": job.scenario,
        },
        "status": result.status, "seconds": result.seconds, "error": result.error,
        "failed_cell": result.failed_cell, "warnings": list(result.warnings),
    }


def result_from_record(record: Mapping[str, Any], out_dir: Path) -> JobResult:
    """The :class:`JobResult` of a :func:`result_record`, its files in `out_dir`.

    Raises
    ------
    KeyError, TypeError, ValueError
        `record` is not a result record.
    """
    j = record["job"]
    job = Job(notebook=_notebook_from(j["notebook"]), inventory=_file_from(j["inventory"]),
              rulebook=_file_from(j["rulebook"]), openness=j.get("openness"), out_dir=out_dir,
              cwd=Path(j["cwd"]), openness_labels=dict(j.get("openness_labels", {})),
              seed=j.get("seed"), params=dict(j.get("params", {})), timeout=j.get("timeout"),
              generated_at=j.get("generated_at"), languages=tuple(j["languages"]),
              suite=tuple(_notebook_from(n) for n in j.get("suite", [])), folder=j["folder"])
    return JobResult(job, record["status"], float(record["seconds"]), record.get("error"),
                     record.get("failed_cell"), tuple(record.get("warnings", [])))
