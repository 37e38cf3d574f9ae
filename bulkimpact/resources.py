"""The files bulkimpact ships with: notebooks, fictional inventories, the rulebook, templates.

The repository keeps one copy of each where the project promises it
(``notebooks/``, ``data/synthetic/``, ``data/rulebooks/`` at the top). A wheel
carries the same files under ``bulkimpact/_bundled/`` (``setup.py`` maps them
in at build time), found here with :mod:`importlib.resources`; a source
checkout or an editable install reads the top-level folders themselves. Either
way a bundled file has one *name*, its path in the repository::

    bundled("data/synthetic/baseline.yaml")
    bundled("data/rulebooks/default.yaml")
    bundled("notebooks")

Paths a user gives are never looked up here: they are taken relative to the
user's working directory. Only a missing argument (no ``--inventory``, a
notebook's ``inventory = None``) means a bundled file.

Examples
--------
>>> bundled("data/rulebooks/default.yaml").is_file()
True
>>> bundled_name(bundled("data/synthetic/baseline.yaml"))
'data/synthetic/baseline.yaml'
>>> bundled_name("/tmp/my_inventory.yaml") is None
True
>>> display_name(bundled("data/synthetic/baseline.yaml"), base="/nonexistent")
'data/synthetic/baseline.yaml (bundled with bulkimpact)'
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

__all__ = [
    "BUNDLED_EXCHANGE_LOG",
    "BUNDLED_INVENTORY",
    "BUNDLED_NOTEBOOKS",
    "BUNDLED_RULEBOOK",
    "argument_path",
    "bundled",
    "bundled_inventories",
    "bundled_name",
    "bundled_root",
    "default_inventory_path",
    "default_notebooks_dir",
    "display_name",
    "is_installed_copy",
    "package_file",
    "resolve_input",
]

#: The inventory used when none is named.
BUNDLED_INVENTORY = "data/synthetic/baseline.yaml"
#: The fictional exchange log with private partners (``bulkimpact exchange``, notebook 07);
#: in a folder of its own, so it is not taken for an inventory.
BUNDLED_EXCHANGE_LOG = "data/synthetic/exchange/exchange_log.yaml"
#: The rulebook used when none is named (an illustrative assumption).
BUNDLED_RULEBOOK = "data/rulebooks/default.yaml"
#: The report suite.
BUNDLED_NOTEBOOKS = "notebooks"

#: Folder inside the installed package that holds the top-level files (see ``setup.py``).
_BUNDLE_DIR = "_bundled"
#: What the top-level folders must hold for a directory to count as a source checkout.
_CHECKOUT_MARKERS = (BUNDLED_RULEBOOK, BUNDLED_NOTEBOOKS, "pyproject.toml")


def _package_dir() -> Path:
    # bulkimpact runs from files (papermill, nbconvert and the kernels need real paths),
    # so the package's resources are a directory.
    return Path(str(files("bulkimpact")))


def package_file(name: str) -> Path:
    """A file inside the package itself, such as ``data/taxonomy.yaml``.

    Examples
    --------
    >>> package_file("data/taxonomy.yaml").name
    'taxonomy.yaml'
    """
    return Path(str(files("bulkimpact").joinpath(*name.split("/"))))


def bundled_root() -> Path:
    """The directory the bundled names are relative to.

    ``bulkimpact/_bundled`` in an installed wheel; the repository root in a
    source checkout or editable install.

    Raises
    ------
    FileNotFoundError
        If neither exists (a broken installation).
    """
    package = _package_dir()
    installed = package / _BUNDLE_DIR
    if installed.is_dir():
        return installed
    checkout = package.parent
    if all((checkout / marker).exists() for marker in _CHECKOUT_MARKERS):
        return checkout
    raise FileNotFoundError(
        f"bulkimpact's bundled files are missing: no {installed} and {package} is not in a "
        "source checkout; reinstall bulkimpact (a wheel built with its setup.py carries them)")


def bundled(name: str) -> Path:
    """Path of the bundled file or folder `name` (its path in the repository).

    Raises
    ------
    FileNotFoundError
        If bulkimpact ships nothing of that name.

    Examples
    --------
    >>> sorted(p.name for p in bundled("data/rulebooks").glob("*.yaml"))
    ['default.yaml']
    >>> bundled("data/synthetic/nothing.yaml")
    Traceback (most recent call last):
    ...
    FileNotFoundError: bulkimpact ships no data/synthetic/nothing.yaml (...)
    """
    path = bundled_root().joinpath(*name.split("/"))
    if not path.exists():
        raise FileNotFoundError(f"bulkimpact ships no {name} (looked in {bundled_root()})")
    return path


def bundled_inventories() -> list[Path]:
    """The bundled fictional inventories: every YAML file and CSV folder in ``data/synthetic``.

    Examples
    --------
    >>> [p.name for p in bundled_inventories()]
    ['baseline.yaml', 'csv_example', 'dense.yaml', 'sparse.yaml']
    """
    folder = bundled("data/synthetic")
    return sorted([p for p in folder.glob("*.yaml")]
                  + [p for p in folder.iterdir() if (p / "datasets.csv").is_file()])


def _relative_to_cwd(path: Path) -> Path:
    """`path` relative to the working directory when it lies beneath it (how a user names it)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def default_inventory_path() -> Path:
    """The bundled baseline inventory (``data/synthetic/baseline.yaml``).

    Relative to the working directory when it lies beneath it (in a checkout,
    reports name it as a reader of the repository would), absolute otherwise.
    """
    return _relative_to_cwd(bundled(BUNDLED_INVENTORY))


def default_rulebook_path() -> Path:
    """The bundled illustrative rulebook (``data/rulebooks/default.yaml``); see
    :func:`default_inventory_path` for the form of the path."""
    return _relative_to_cwd(bundled(BUNDLED_RULEBOOK))


def default_notebooks_dir() -> Path:
    """The bundled report notebooks (``notebooks/``); see :func:`default_inventory_path`."""
    return _relative_to_cwd(bundled(BUNDLED_NOTEBOOKS))


def resolve_input(path: str | os.PathLike[str] | None, default: str) -> Path:
    """A path a user gave, or the bundled `default` when they gave none.

    A given path is taken as is: relative paths are relative to the working
    directory, never to the package.

    Examples
    --------
    >>> resolve_input("my/inventory.yaml", BUNDLED_INVENTORY)
    PosixPath('my/inventory.yaml')
    >>> resolve_input(None, BUNDLED_RULEBOOK).name
    'default.yaml'
    """
    if path is None:
        return _relative_to_cwd(bundled(default))
    return Path(path)


def bundled_name(path: str | os.PathLike[str]) -> str | None:
    """The bundled name of `path` (``data/synthetic/baseline.yaml``), or None if it is not
    one of bulkimpact's bundled files."""
    try:
        root = bundled_root().resolve()
    except FileNotFoundError:
        return None
    resolved = Path(os.path.abspath(path)).resolve()
    if not resolved.is_relative_to(root):
        return None
    name = resolved.relative_to(root).as_posix()
    bundled_top = (BUNDLED_NOTEBOOKS + "/", "data/synthetic/", "data/rulebooks/")
    return name if name.startswith(bundled_top) or name in (
        BUNDLED_NOTEBOOKS, "data/synthetic", "data/rulebooks") else None


def is_installed_copy(path: str | os.PathLike[str]) -> bool:
    """True if `path` is a bundled file inside an installed package (not a checkout's own)."""
    installed = (_package_dir() / _BUNDLE_DIR).resolve()
    return Path(os.path.abspath(path)).resolve().is_relative_to(installed)


def argument_path(path: str | os.PathLike[str], base: str | os.PathLike[str]) -> str:
    """Return `path` relative to `base` when it lies inside it, else absolute.

    This is the form a notebook receives as a parameter: its kernel starts in
    `base`, so the path resolves there.

    Examples
    --------
    >>> argument_path("/work/proj/data/a.yaml", "/work/proj")
    'data/a.yaml'
    >>> argument_path("/elsewhere/a.yaml", "/work/proj")
    '/elsewhere/a.yaml'
    """
    resolved = Path(os.path.abspath(path))
    base = Path(os.path.abspath(base))
    if resolved.is_relative_to(base):
        return resolved.relative_to(base).as_posix()
    return resolved.as_posix()


def display_name(path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None) -> str:
    """How a report names an input file: a path the reader can find.

    Relative to `base` (the working directory by default) when it lies inside
    it, as the user typed it; a bundled file elsewhere by its bundled name,
    ``data/rulebooks/default.yaml (bundled with bulkimpact)``; any other file
    by its absolute path.

    Examples
    --------
    >>> display_name("/work/proj/data/a.yaml", "/work/proj")
    'data/a.yaml'
    >>> display_name("/elsewhere/a.yaml", "/work/proj")
    '/elsewhere/a.yaml'
    """
    shown = argument_path(path, base if base is not None else os.getcwd())
    name = bundled_name(shown) if Path(shown).is_absolute() else None
    return f"{name} (bundled with bulkimpact)" if name is not None else shown
