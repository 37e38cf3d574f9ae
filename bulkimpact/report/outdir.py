"""The output folder of ``bulkimpact report``: what a run may touch, and how results get there.

A folder is a bulkimpact output when it holds ``.bulkimpact/output.json``
(:data:`MARKER`), which the first run into it writes. The rules:

- ``--out`` must be a folder (or not exist yet) that can be written to; it
  is checked before any notebook runs (:func:`check_out_dir`).
- A non-empty folder without the marker is refused, unless ``force``: then
  bulkimpact adds its marker and writes beside what is there.
- Even with ``force``, no file bulkimpact did not write is deleted or
  overwritten: the index and glossary pages are replaced only when they are
  bulkimpact's own (:func:`is_own_page`), and an inventory's folder only when
  it holds bulkimpact's result file (:data:`RESULT`); a folder name already
  taken by something else gets a short hash (:func:`folder_name`).
- A run writes into a fresh staging folder, ``.bulkimpact/partial-*`` (with a
  ``PARTIAL.txt`` that says so), and moves each inventory's finished result
  into place in one rename (:meth:`OutputFolder.commit`): a run that is
  killed leaves the previous result as it was.
- One run at a time writes into a folder: a second one waits for the lock
  (:class:`OutputFolder`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import bulkimpact
from bulkimpact.files import atomic_write
from bulkimpact.present.i18n import LANGUAGES

__all__ = ["GENERATOR", "MARKER", "RESULT", "OutputFolder", "check_out_dir", "folder_name",
           "is_own_page", "root_page_names"]

#: bulkimpact's own folder inside an output: the marker, the lock, the staging folders.
STATE_DIR = ".bulkimpact"
#: The marker that says a folder is a bulkimpact output.
MARKER = f"{STATE_DIR}/output.json"
#: The file in an inventory's folder that lists its reports (the index is built from these).
RESULT = ".bulkimpact-result.json"
#: The ``<meta>`` element every page bulkimpact writes carries in its head.
GENERATOR = '<meta name="generator" content="bulkimpact">'
_PARTIAL_PREFIX = "partial-"
_REPLACED_PREFIX = "replaced-"
_PARTIAL_NOTE = (
    "This folder is an unfinished run of 'bulkimpact report' (started {started}, process "
    "{pid}).\nIt is NOT a result: the finished reports are in the folders beside "
    "'.bulkimpact'.\nThe next run into this output folder removes it.\n")


def root_page_names(languages: Collection[str] = LANGUAGES) -> list[str]:
    """The pages bulkimpact writes at the root of an output folder.

    Examples
    --------
    >>> root_page_names(["nl", "en"])
    ['index.html', 'index.nl.html', 'glossary.nl.html', 'index.en.html', 'glossary.en.html']
    """
    return ["index.html"] + [name for lang in languages
                             for name in (f"index.{lang}.html", f"glossary.{lang}.html")]


def is_own_page(path: Path) -> bool:
    """Tell whether the HTML file at `path` was written by bulkimpact (its :data:`GENERATOR`).

    Examples
    --------
    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp(), "index.html")
    >>> _ = page.write_text("<html><head><title>mine</title></head></html>")
    >>> is_own_page(page)
    False
    >>> _ = page.write_text(f"<html><head>{GENERATOR}</head></html>")
    >>> is_own_page(page)
    True
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return GENERATOR in fh.read(4096)
    except OSError:
        return False


def _slug(text: str) -> str:
    """`text` as a safe folder name: NFKC, then ASCII letters, digits, ``_`` and ``-`` only.

    Examples
    --------
    >>> [_slug(s) for s in ("baseline", "a#b", "..", "index.html", "Zeeë  Kaart", "ｆｕｌｌ", "€")]
    ['baseline', 'a-b', '', 'index-html', 'zeee-kaart', 'full', '']
    """
    text = unicodedata.normalize("NFKC", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")


def _short_hash(path: Path) -> str:
    return hashlib.sha256(os.fsencode(path)).hexdigest()[:8]


def _result_inventory(folder: Path) -> str | None:
    """The inventory path an existing result folder was made from (None if not ours)."""
    try:
        return json.loads((folder / RESULT).read_text("utf-8"))["inventory"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def folder_name(inventory: Path, out_dir: Path, taken: Collection[str] = ()) -> str:
    """The folder an inventory's reports go to inside `out_dir`: safe, stable and unique.

    The name is the inventory's file stem (the folder's name for a CSV
    inventory, ``datasets.csv``, and for ``inventory.yaml``), normalised
    (NFKC), reduced to lower-case ASCII letters, digits, ``_`` and ``-``; so
    it is never ``.`` or ``..``, never hidden and never one of the root pages. When that name is in
    `taken` (another inventory of the batch), or the folder exists and is
    not this inventory's result (someone else's folder, or another
    inventory's reports), a short hash of the inventory's path is added.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> [folder_name(Path("/d", n), out) for n in ("baseline.yaml", "...yaml", "a#b.yaml")]
    ['baseline', 'inventory', 'a-b']
    >>> folder_name(Path("/d/index.html.yaml"), out)
    'index-html'
    >>> folder_name(Path("/d/baseline.yaml"), out, taken={"baseline"})
    'baseline-4be407f2'
    """
    stem = inventory.stem
    if (inventory.suffix == ".csv" or inventory.name == "inventory.yaml") and inventory.parent.name:
        stem = inventory.parent.name  # a CSV inventory's folder names it
    name = _slug(stem) or "inventory"
    existing = out_dir / name
    mine = str(inventory)
    if name in taken or (os.path.lexists(existing) and _result_inventory(existing) != mine):
        name = f"{name}-{_short_hash(inventory)}"
    return name


def _refuse(message: str) -> ValueError:
    return ValueError(message)


def check_out_dir(out_dir: Path, force: bool = False,
                  languages: Collection[str] = LANGUAGES) -> None:
    """Refuse an output folder bulkimpact may not write into, before anything runs.

    Parameters
    ----------
    out_dir : Path
        The ``--out`` folder, absolute.
    force : bool
        Accept a non-empty folder that is not a bulkimpact output.
    languages : collection of str
        The languages of the run (its root pages).

    Raises
    ------
    ValueError
        `out_dir` is a file, cannot be written, is a non-empty folder that is not a
        bulkimpact output (without `force`), or holds an index or glossary page bulkimpact
        did not write. The message names the folder and what would be accepted.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> check_out_dir(folder / "new")
    >>> _ = (folder / "notes.txt").write_text("mine")
    >>> check_out_dir(folder)
    Traceback (most recent call last):
    ...
    ValueError: --out ... is not empty and is not a bulkimpact output folder ...
    """
    existing = out_dir
    while not os.path.lexists(existing):
        existing = existing.parent
    if not existing.is_dir():
        inside = "" if existing == out_dir else f" (in {existing}, which is a file)"
        raise _refuse(f"--out {out_dir} is a file, not a folder{inside}: choose a folder name "
                      "(it is created if missing)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _refuse(f"--out {out_dir}: cannot write in {existing} (permission denied): "
                      "choose a folder you can write to")
    if not out_dir.is_dir():
        return
    if not (out_dir / MARKER).is_file() and any(out_dir.iterdir()) and not force:
        raise _refuse(
            f"--out {out_dir} is not empty and is not a bulkimpact output folder (it has no "
            f"{MARKER}): choose a new or empty folder, or pass --force to write beside what "
            "is there (--force never deletes or overwrites a file bulkimpact did not write)")
    state = out_dir / STATE_DIR
    if os.path.lexists(state) and not state.is_dir():
        raise _refuse(f"--out {out_dir}: {state} exists and is not bulkimpact's folder; move it")
    for name in root_page_names(languages):
        page = out_dir / name
        if os.path.lexists(page) and not (page.is_file() and is_own_page(page)):
            raise _refuse(
                f"--out {out_dir} holds {name}, which bulkimpact did not write: it is never "
                "overwritten, not even with --force; choose another folder or move the file")


class OutputFolder:
    """An output folder, locked for one run: its staging folder and its results.

    Use it as a context manager: entering creates the folder and its marker,
    takes the lock (waiting, with a message on stderr, while another run
    holds it), puts back a result a killed run had moved aside, and removes
    the staging folders of earlier runs that did not finish. Leaving
    releases the lock; the staging folder is removed when every result it
    held was committed, and kept, marked partial, otherwise.

    Parameters
    ----------
    path : Path
        The output folder, absolute; check it with :func:`check_out_dir` first.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> with OutputFolder(root / "out") as out:
    ...     _ = (out.stage("baseline") / "page.html").write_text("new")
    ...     _ = out.commit("baseline", {"inventory": "/d/baseline.yaml", "reports": []})
    >>> sorted(p.name for p in (root / "out").iterdir())
    ['.bulkimpact', 'baseline']
    >>> sorted(p.name for p in (root / "out" / "baseline").iterdir())
    ['.bulkimpact-result.json', 'page.html']
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state = path / STATE_DIR
        self.staging: Path | None = None
        self._lock: Any = None
        self._staged: set[str] = set()

    def __enter__(self) -> OutputFolder:
        self.state.mkdir(parents=True, exist_ok=True)
        if not (self.path / MARKER).is_file():
            atomic_write(self.path / MARKER, json.dumps(
                {"written_by": "bulkimpact report", "version": bulkimpact.__version__,
                 "note": "This folder is a bulkimpact output; its reports may be replaced "
                         "by the next run."}, indent=1) + "\n")
        self._lock = open(self.state / "lock", "a+")  # noqa: SIM115 (held until __exit__)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            print(f"bulkimpact: another 'bulkimpact report' is writing to {self.path}; "
                  "waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        self._recover()
        self.staging = self.state / (f"{_PARTIAL_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-"
                                     f"{os.getpid()}")
        self.staging.mkdir()
        (self.staging / "PARTIAL.txt").write_text(_PARTIAL_NOTE.format(
            started=time.strftime("%Y-%m-%d %H:%M:%S %Z"), pid=os.getpid()), "utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.staging is not None and not self._staged:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()

    def _recover(self) -> None:
        """Undo what a killed run left: a result moved aside, unfinished staging folders."""
        for entry in sorted(self.state.iterdir()):
            if entry.name.startswith(_REPLACED_PREFIX) and entry.is_dir():
                target = self.path / entry.name[len(_REPLACED_PREFIX):].rsplit("-", 1)[0]
                if not os.path.lexists(target):
                    os.replace(entry, target)  # killed between the two renames of commit
                else:
                    shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(_PARTIAL_PREFIX) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)

    def stage(self, name: str) -> Path:
        """The staging folder of inventory folder `name` (created)."""
        assert self.staging is not None, "use OutputFolder as a context manager"
        folder = self.staging / name
        folder.mkdir(exist_ok=True)
        self._staged.add(name)
        return folder

    def previous(self, name: str) -> dict[str, Any] | None:
        """The result file of the committed folder `name`, or None."""
        return _read_result(self.path / name)

    def commit(self, name: str, result: dict[str, Any]) -> Path:
        """Write `result` into the staged folder `name` and move it into place.

        The previous folder of that name (bulkimpact's: :func:`folder_name`
        never picks another's) is moved aside, the new one renamed into its
        place, and the old one removed; a run killed between the two renames
        is repaired by the next run.
        """
        staged = self.stage(name)
        atomic_write(staged / RESULT, json.dumps(result, indent=1, default=str) + "\n")
        target = self.path / name
        if os.path.lexists(target):
            if _result_inventory(target) != result.get("inventory"):
                raise ValueError(f"{target} is not bulkimpact's result of this inventory; it "
                                 "is left as it is")
            aside = self.state / f"{_REPLACED_PREFIX}{name}-{os.getpid()}"
            os.replace(target, aside)
            os.replace(staged, target)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.replace(staged, target)
        self._staged.discard(name)
        return target

    def results(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every committed result in the folder: (folder name, its result file), by name."""
        for folder in sorted(p for p in self.path.iterdir()
                             if p.is_dir() and not p.name.startswith(".")):
            result = _read_result(folder)
            if result is not None:
                yield folder.name, result


def _read_result(folder: Path) -> dict[str, Any] | None:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads((folder / RESULT).read_text("utf-8"))
        if isinstance(data, dict):
            return data
    return None
