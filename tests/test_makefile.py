"""The Makefile as a newcomer runs it: `make clean` leaves nothing of a report run, and
`make lab` installs nothing the test extra already installed (issue 22, item 10)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", *argv], cwd=folder,
                          capture_output=True, text=True, timeout=60)


def test_make_clean_removes_everything_a_report_run_wrote(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path)
    reports = tmp_path / "reports"
    (reports / "baseline" / "00_overview_files").mkdir(parents=True)
    for name in ("README.md", "index.html", "index.en.html", "glossary.nl.html",
                 "glossary.en.html", "baseline/00_overview.nl.html",
                 "baseline/00_overview_files/assessment.json"):
        (reports / name).write_text("x", encoding="utf-8")
    done = _make(tmp_path, "clean")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in reports.rglob("*")) == ["README.md"]


def test_make_lab_installs_nothing_after_the_test_extra(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(shutil.which("python3"))
    past = time.time() - 60
    os.utime(tmp_path / "pyproject.toml", (past, past))
    (tmp_path / ".venv" / ".installed-test").touch()
    # PIP=false: any install would fail the run
    done = _make(tmp_path, ".venv/.installed-lab", "PIP=false")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "bulkimpact[lab]: already installed with the test extra" in done.stdout
    # Without the test extra it does install (here: the stand-in `false` fails).
    (tmp_path / ".venv" / ".installed-test").unlink()
    (tmp_path / ".venv" / ".installed-lab").unlink()
    assert _make(tmp_path, ".venv/.installed-lab", "PIP=false").returncode != 0
