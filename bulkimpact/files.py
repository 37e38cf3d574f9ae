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
from typing import Any

__all__ = ["sha256", "atomic_output", "atomic_write"]


def sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file (as ``sha256sum`` gives it), or of a directory (CSV inventories).

    A directory's digest covers, for each file in name order, its name, its
    size and its bytes, so renaming a file or moving bytes from one file to the
    next changes it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "x.txt")
    ...     _ = p.write_bytes(b"abc")
    ...     before = sha256(d)
    ...     _ = p.rename(pathlib.Path(d, "y.txt"))
    ...     sha256(pathlib.Path(d, "y.txt"))[:16], before == sha256(d)
    ('ba7816bf8f01cfea', False)
    """
    path = Path(path)
    if not path.is_dir():
        return _digest(path, hashlib.sha256()).hexdigest()
    digest = hashlib.sha256()
    for file in sorted(p for p in path.iterdir() if p.is_file()):
        digest.update(f"{file.name}\0{file.stat().st_size}\0".encode())
        _digest(file, digest)
    return digest.hexdigest()


def _digest(file: Path, digest: Any) -> Any:
    with open(file, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest


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
