"""The package as a user installs it: build the sdist and wheel, install, run from elsewhere.

``python -m build`` makes the sdist and, from it, the wheel (so the sdist must
carry what ``setup.py`` bundles); the wheel goes into a fresh virtual
environment and the installed ``bulkimpact`` runs ``validate``, ``assess
--json`` and a one-notebook ``report`` from a temporary directory, with no
checkout in sight.

To keep this under a minute, the fresh environment (``python -m venv``,
without ``--system-site-packages``) gets the dependencies already installed
in the test environment through a ``.pth`` file, and the wheel is installed
with ``--no-deps``; ``pip check`` then confirms the wheel's declared
dependencies are met. ``JUPYTER_PATH`` points at the test environment's
``share/jupyter``, where those dependencies keep their data files (nbconvert's
templates), as a full install would have them in its own prefix. Building
needs PyPI (or pip's cache) for setuptools, as any wheel build does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
#: The folders of a checkout the build reads (besides every top-level file).
SOURCE_DIRS = ("bulkimpact", "notebooks", "data")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.ipynb", ".ipynb_checkpoints",
                                 "_bundled", "*.egg-info")


def run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float = 300
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_wheel_installs_and_runs_from_anywhere(tmp_path: Path) -> None:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}

    # 1. Build from a copy of the working tree (the build writes egg-info beside its sources).
    source = tmp_path / "source"
    source.mkdir()
    for path in ROOT.iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, source / path.name)
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, source / name, ignore=IGNORED)
    dist = tmp_path / "dist"
    built = run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
                tmp_path, env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    manifest_warnings = [line for line in (built.stdout + built.stderr).splitlines()
                         if "previously-included" in line or "no files found matching" in line]
    assert manifest_warnings == []  # MANIFEST.in names what exists (issue 22, item 5)
    [wheel] = dist.glob("*.whl")
    timings["build sdist + wheel"] = time.perf_counter() - started

    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("bulkimpact/_bundled/data/synthetic/baseline.yaml",
                     "bulkimpact/_bundled/data/sweeps/example.yaml",
                     "bulkimpact/_bundled/data/synthetic/csv_example/datasets.csv",
                     "bulkimpact/_bundled/data/rulebooks/default.yaml",
                     "bulkimpact/_bundled/notebooks/00_overview.py",
                     "bulkimpact/data/taxonomy.yaml",
                     "bulkimpact/data/positions.yaml",
                     "bulkimpact/present/terms.yaml",
                     "bulkimpact/report/templates/bulkimpact_report/index.html.j2"):
        assert expected in names, expected
    assert not [n for n in names if n.endswith(".ipynb")]

    # 2. A fresh virtual environment; the test environment's packages via a .pth file.
    mark = time.perf_counter()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(run([str(python), "-c", "import sysconfig; "
                        "print(sysconfig.get_paths()['purelib'])"], tmp_path, env).stdout.strip())
    (purelib / "_bulkimpact_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                     str(wheel)], tmp_path, env)
    assert installed.returncode == 0, installed.stderr[-3000:]
    check = run([str(python), "-m", "pip", "check"], tmp_path, env)
    assert check.returncode == 0, check.stdout + check.stderr
    timings["venv + install + pip check"] = time.perf_counter() - mark

    # 3. The installed package, from a directory with no checkout in it.
    work = tmp_path / "work"
    work.mkdir()
    env["JUPYTER_PATH"] = str(Path(sys.prefix, "share", "jupyter"))
    where = run([str(python), "-c", "import bulkimpact, bulkimpact.resources as r; "
                 "print(bulkimpact.__file__); "
                 "print(r.bundled('data/synthetic/baseline.yaml'))"], work, env)
    package_file, baseline = where.stdout.split()
    assert Path(package_file).is_relative_to(purelib), package_file
    assert Path(baseline).is_relative_to(purelib / "bulkimpact" / "_bundled"), baseline
    cli = str(venv / "bin" / "bulkimpact")

    mark = time.perf_counter()
    validated = run([cli, "validate", baseline], work, env)
    assert validated.returncode == 0, validated.stderr
    assert "45 datasets" in validated.stdout

    assessed = run([cli, "assess", baseline, "--json"], work, env)
    assert assessed.returncode == 0, assessed.stderr
    record = json.loads(assessed.stdout)
    assert len(record["datasets"]) == 45 and record["fictional"]
    assert record["illustrative_rulebook"]  # the bundled rulebook, found without --rulebook
    assert Path(record["rulebook"]).is_relative_to(purelib / "bulkimpact" / "_bundled")
    assert list(record["readings"]) == ["services", "ctivd", "ctivd_no_purchased"]
    timings["validate + assess --json"] = time.perf_counter() - mark

    mark = time.perf_counter()
    reported = run([cli, "report", "--only", "01", "--out", "reports", "--no-timestamp"],
                   work, env)
    assert reported.returncode == 0, reported.stdout + reported.stderr
    assert "1 reports, 0 failed" in reported.stdout
    html = (work / "reports" / "baseline" / "01_inventory.en.html").read_text("utf-8")
    assert "data/synthetic/baseline.yaml (bundled with bulkimpact)" in html
    assert "data/rulebooks/default.yaml (bundled with bulkimpact)" in html
    assert "notebooks/01_inventory.py (bundled with bulkimpact)" in html
    assert "Fictional data" in html and "Illustrative rulebook" in html
    assert "of 45 datasets sit in" in html  # the notebook ran to its findings
    assert (work / "reports" / "index.html").is_file()
    timings["report --only 01"] = time.perf_counter() - mark

    # Paired notebooks for plain papermill go to ./notebooks, never into the installed package.
    exported = run([cli, "notebooks", "--to-ipynb", "--only", "01"], work, env)
    assert exported.returncode == 0, exported.stderr
    assert (work / "notebooks" / "01_inventory.ipynb").is_file()
    assert not list((purelib / "bulkimpact").rglob("*.ipynb"))
    timings["total"] = time.perf_counter() - started
    print("; ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
