"""Files: content hashes that name inputs, and writes that are never half done.

Every output of bulkimpact (reports, executed notebooks, sweep results,
synthetic populations and extracts) goes through :func:`atomic_output` or
:func:`atomic_write`: the data are written to a hidden temporary file beside
the target, which then replaces the target in one rename. A reader sees the
old file or the new one, and an interrupted write leaves the old file as it was.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["sha256", "atomic_output", "atomic_write"]


def sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, or of a directory's files in name order (CSV inventories).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "x.txt")
    ...     _ = p.write_bytes(b"abc")
    ...     sha256(p)[:16], sha256(d) == sha256(p)
    ('ba7816bf8f01cfea', True)
    """
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        with open(file, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` when the block succeeds.

    The directory is created if needed. On any failure or interrupt the
    temporary file is removed and ``path`` is left as it was. The new file
    gets the permissions a plain ``open()`` would give it.

    Examples
    --------
    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "sub", "x.txt")
    >>> with atomic_output(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> open(target).read(), sorted(os.listdir(os.path.dirname(target)))
    ('done', ['x.txt'])
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write text (as UTF-8) or bytes to ``path`` atomically, flushed to disk.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     atomic_write(pathlib.Path(d, "out", "r.html"), "<p>ok</p>")
    ...     sorted(p.name for p in pathlib.Path(d, "out").iterdir())
    ['r.html']
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
