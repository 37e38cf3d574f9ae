"""Input files as a report names them.

A report names every input by a path the reader can find (relative to the
directory the batch ran in, when it lies inside it) and by its SHA-256, so a
reviewer can check that a report belongs to a given inventory and rulebook.
Outputs are written with :func:`bulkimpact.files.atomic_write`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bulkimpact.files import sha256
from bulkimpact.resources import argument_path, display_name

__all__ = ["InputFile", "argument_path", "display_path"]


def display_path(path: str | os.PathLike[str], base: str | os.PathLike[str]) -> str:
    """Return `path` as reports show it: relative to `base` when it lies inside it.

    Reports show this form: it is what the analyst typed in the common case,
    and it does not reveal home directories for files inside the project. A
    file bulkimpact ships, run from elsewhere, is named by its place in the
    repository (``data/rulebooks/default.yaml (bundled with bulkimpact)``,
    see :func:`bulkimpact.resources.display_name`); any other file outside
    `base` by its absolute path.

    Parameters
    ----------
    path, base : path-like
        The file and the directory the batch runs in.

    Returns
    -------
    str
        A POSIX-style path.

    Examples
    --------
    >>> display_path("/work/proj/data/a.yaml", "/work/proj")
    'data/a.yaml'
    >>> display_path("/elsewhere/a.yaml", "/work/proj")
    '/elsewhere/a.yaml'
    """
    return display_name(path, base)


@dataclass(frozen=True)
class InputFile:
    """A file a report depends on: where it is, how it is shown, its hash.

    Attributes
    ----------
    path : Path
        Absolute path, used to read the file.
    shown : str
        The path as reports show it (see :func:`display_path`); notebooks
        receive :func:`argument_path` of :attr:`path`.
    sha256 : str
        SHA-256 of the file's contents.
    title : str
        The title the file gives itself, if any.
    illustrative : bool
        The file is not about reality: a fictional inventory or an
        illustrative rulebook (by its own declaration, or because it is one of
        bulkimpact's bundled files).
    """

    path: Path
    shown: str
    sha256: str
    title: str = ""
    illustrative: bool = False

    @classmethod
    def from_path(cls, path: str | os.PathLike[str], base: str | os.PathLike[str],
                  title: str = "", illustrative: bool = False) -> InputFile:
        """Hash `path` and describe it relative to `base` (the batch's directory).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as d:
        ...     _ = pathlib.Path(d, "inv.yaml").write_text("datasets: []\\n")
        ...     f = InputFile.from_path(pathlib.Path(d, "inv.yaml"), d)
        ...     (f.shown, len(f.sha256))
        ('inv.yaml', 64)
        """
        absolute = Path(os.path.abspath(path))
        return cls(path=absolute, shown=display_path(absolute, base),
                   sha256=sha256(absolute), title=title, illustrative=illustrative)
