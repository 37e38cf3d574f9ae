"""The package version, from the installed distribution's metadata.

One source of truth: ``version`` in ``pyproject.toml``, which the installer
writes into the distribution metadata that :func:`importlib.metadata.version`
reads. A source tree that is not installed falls back to reading
``pyproject.toml`` beside the package, then to ``"0+unknown"``.

Core modules import ``__version__`` from here (not from the package top
level, which would make an import cycle)::

    from ._version import __version__
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["__version__", "find_version"]


def find_version() -> str:
    """The version of the installed ``bulkimpact`` distribution, or of the source tree.

    Examples
    --------
    >>> find_version() == __version__ and __version__[0].isdigit()
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bulkimpact")
    except PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return "0+unknown"
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return match.group(1) if match else "0+unknown"


__version__ = find_version()
