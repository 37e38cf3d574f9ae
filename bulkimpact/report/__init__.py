"""Batch execution of the analysis notebooks into self-contained HTML reports.

``bulkimpact report`` runs every notebook for every inventory with papermill
in a few worker processes and writes ``reports/<inventory>/<notebook>.html``
(code hidden, figures embedded, nothing loaded from the network, a provenance
banner on top) and ``reports/index.html``. The main entry points:

- :func:`run_reports` — the whole batch, as the command runs it;
- :func:`make_jobs` and :func:`run_jobs` — the same in two steps;
- :func:`write_paired_notebooks` — ``.ipynb`` files paired with the ``.py``
  notebooks (both languages, for JupyterLab); :func:`write_language_notebooks`
  — copies in one language for plain papermill and nbconvert;
- :func:`make_exporter`, :func:`render_html`, :func:`external_loads` —
  rendering one notebook and checking that a page is self-contained;
- :func:`screenshot_reports` — the offline browser check.

Names are imported on first use, so that building the ``bulkimpact``
command line does not import papermill and nbconvert.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "BatchResult": "batch",
    "make_jobs": "batch",
    "run_jobs": "batch",
    "run_reports": "batch",
    "Job": "jobs",
    "JobResult": "jobs",
    "find_notebooks": "notebooks",
    "write_language_notebooks": "notebooks",
    "write_paired_notebooks": "notebooks",
    "external_loads": "render",
    "make_exporter": "render",
    "render_html": "render",
    "screenshot_reports": "screenshots",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
