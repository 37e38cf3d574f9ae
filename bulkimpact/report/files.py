"""Input files as a report names them, and output files written atomically.

A report names every input by a path the reader can find (relative to the
directory the batch ran in, when it lies inside it) and by its SHA-256, so a
reviewer can check that a report belongs to a given inventory and rulebook.
Outputs are written to a temporary file in the target directory and moved
into place with :func:`os.replace`, so an interrupted run never leaves a
half-written report behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["InputFile", "atomic_write", "display_path", "sha256_file"]

# The permission bits a plain open() would give a new file; mkstemp uses 0600.
_UMASK = os.umask(0)
os.umask(_UMASK)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Return the SHA-256 of a file's bytes as 64 lowercase hex digits.

    Parameters
    ----------
    path : path-like
        The file to hash.

    Returns
    -------
    str
        The hex digest.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "x.txt")
    ...     _ = p.write_bytes(b"abc")
    ...     sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def display_path(path: str | os.PathLike[str], base: str | os.PathLike[str]) -> str:
    """Return `path` relative to `base` when it lies inside it, else absolute.

    Reports show this form: it is what the analyst typed in the common case,
    and it does not reveal home directories for files inside the project.

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
    resolved = Path(os.path.abspath(path))
    base = Path(os.path.abspath(base))
    if resolved.is_relative_to(base):
        return resolved.relative_to(base).as_posix()
    return resolved.as_posix()


@dataclass(frozen=True)
class InputFile:
    """A file a report depends on: where it is, how it is shown, its hash.

    Attributes
    ----------
    path : Path
        Absolute path, used to read the file.
    shown : str
        The path as reports show it and as notebooks receive it (see
        :func:`display_path`).
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
                   sha256=sha256_file(absolute), title=title, illustrative=illustrative)


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one.

    The data go to a hidden temporary file in the same directory (so the final
    rename stays on one file system), are flushed to disk, and the temporary
    file replaces `path` in one :func:`os.replace`. If anything fails, or the
    process is interrupted, the temporary file is removed and `path` is left
    as it was.

    Parameters
    ----------
    path : path-like
        Destination; its directory is created if needed.
    data : str or bytes
        Contents; text is written as UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     atomic_write(pathlib.Path(d, "out", "r.html"), "<p>ok</p>")
    ...     sorted(p.name for p in pathlib.Path(d, "out").iterdir())
    ['r.html']
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
