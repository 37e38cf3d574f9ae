"""Build hook: the wheel carries the repository's notebooks and bundled data as package data.

The repository keeps one copy of each file where the project promises it:
``notebooks/``, ``data/synthetic/`` and ``data/rulebooks/`` at the top. A wheel
must carry them inside the package, so that ``importlib.resources`` finds them
wherever bulkimpact is installed; this hook copies them to
``bulkimpact/_bundled/<the same path>`` while the wheel is built. An editable
install copies nothing: :mod:`bulkimpact.resources` reads the top-level folders
of the checkout itself. Everything else is declared in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Top-level folders bundled, and the files taken from each (nothing generated, no .ipynb).
BUNDLED = {
    "notebooks": ("*.py",),
    "data/synthetic": ("*.yaml", "*.csv", "*.md"),
    "data/rulebooks": ("*.yaml", "*.md"),
    "data/sweeps": ("*.yaml",),
}
TARGET = Path("bulkimpact", "_bundled")


def bundled_files() -> list[Path]:
    """The files to bundle, relative to the repository root."""
    found = []
    for folder, patterns in BUNDLED.items():
        for pattern in patterns:
            found += [p.relative_to(ROOT) for p in (ROOT / folder).rglob(pattern)
                      if "__pycache__" not in p.parts and not any(
                          part.startswith(".") for part in p.relative_to(ROOT).parts)]
    return sorted(set(found))


class BuildPyWithBundled(build_py):
    """``build_py`` that also copies the bundled top-level files into the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for source in bundled_files():
            target = Path(self.build_lib, TARGET, source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return outputs + [str(Path(self.build_lib, TARGET, s)) for s in bundled_files()]


setup(cmdclass={"build_py": BuildPyWithBundled})
