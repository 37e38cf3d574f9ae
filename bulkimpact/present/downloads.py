"""Downloads beside a report: its results as CSV (and JSON), linked by relative paths.

A report's notebook writes its tables into its ``out_dir`` (in a batch,
``reports/<inventory>/<report>_files/``), once for every language: columns
carry the ids of :data:`bulkimpact.present.tables.COLUMNS` and of the JSON,
values are unformatted (full precision, ``.`` as decimal mark), so a reader
can recompute every figure of the page. The link returned is relative to the
folder the report pages sit in (the parent of ``out_dir``), so the reports
folder works offline as a whole and can be zipped. With ``out_dir=None`` (a
notebook's default outside a batch) nothing is written and there is no link:
a plain run leaves no file in the directory it runs in.

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> out = pathlib.Path(tempfile.mkdtemp(), "00_overview_files")
>>> csv(pd.DataFrame({"under_protected": [3]}, index=pd.Index(["k_hop"], name="rule")),
...     out, "rules")
'00_overview_files/rules.csv'
>>> (out / "rules.csv").read_text()
'rule,under_protected\\nk_hop,3\\n'
>>> json_file({"b": 1.5}, out, "assessment")
'00_overview_files/assessment.json'
>>> csv(pd.DataFrame({"x": [1]}), None, "rules") is None
True
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..files import atomic_write

__all__ = ["csv", "json_file", "href"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _target(out_dir: str | os.PathLike[str], name: str, suffix: str) -> Path:
    if not _NAME.match(name):
        raise ValueError(f"download name {name!r} must be lower-case letters, digits, '_' or "
                         f"'-' (it becomes the file name {name}{suffix})")
    return Path(out_dir) / f"{name}{suffix}"


def href(out_dir: str | os.PathLike[str] | None, filename: str) -> str | None:
    """The link to ``out_dir/filename`` from the folder the report pages sit in (None: none)."""
    return None if out_dir is None else f"{Path(out_dir).name}/{filename}"


def csv(frame: pd.DataFrame, out_dir: str | os.PathLike[str] | None, name: str) -> str | None:
    """Write `frame` as ``out_dir/name.csv`` (atomically); return the page's link to it.

    With ``out_dir=None`` nothing is written and None is returned.

    The index is written as the first column when it is named (or has
    several levels); an unnamed default index is left out.
    """
    if out_dir is None:
        return None
    path = _target(out_dir, name, ".csv")
    named = any(n is not None for n in frame.index.names)
    atomic_write(path, frame.to_csv(index=named, lineterminator="\n"))
    return href(out_dir, path.name)


def json_file(record: Any, out_dir: str | os.PathLike[str] | None, name: str) -> str | None:
    """Write `record` as ``out_dir/name.json`` (atomically, NaN refused); return the link
    (with ``out_dir=None``: nothing written, None)."""
    if out_dir is None:
        return None
    path = _target(out_dir, name, ".json")
    atomic_write(path, json.dumps(record, indent=2, allow_nan=False, ensure_ascii=False) + "\n")
    return href(out_dir, path.name)
