"""papermill from anywhere: exported notebooks run with plain ``papermill`` in any directory.

``bulkimpact notebooks --to-ipynb`` writes ``.ipynb`` files; run from a
directory that holds no ``data/`` folder, their parameters default to the
bundled inventory and rulebook (``inventory = None``, ``rulebook = None``),
and paths passed with ``-p`` are taken relative to that directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bulkimpact.resources import bundled

BIN = Path(sys.executable).parent


def outputs(path: Path) -> str:
    texts = []
    for cell in json.loads(path.read_text("utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            for kind in ("text/markdown", "text/plain"):
                texts.append("".join(output.get("data", {}).get(kind, "")))
    return "\n".join(texts)


def test_exported_notebook_runs_with_plain_papermill_from_any_directory(
        tmp_path: Path, capsys, monkeypatch) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    exported = tmp_path / "exported"
    # The export in process (tests/test_wheel.py runs the installed `bulkimpact notebooks
    # --to-ipynb`); papermill below is the plain command a user types.
    from bulkimpact.cli import main

    monkeypatch.chdir(tmp_path)
    written = main(["notebooks", "--to-ipynb", "--only", "01", "--out", str(exported)])
    assert written == 0, capsys.readouterr().err
    notebook = exported / "01_inventory.ipynb"
    assert json.loads(notebook.read_text("utf-8"))["metadata"]["kernelspec"]["name"] == "python3"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # No parameters: the bundled baseline and rulebook.
    run = subprocess.run([str(BIN / "papermill"), str(notebook), "out.ipynb"], cwd=elsewhere,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "of 45 datasets sit in" in outputs(elsewhere / "out.ipynb")
    # Run outside the CLI, a notebook writes nothing but what papermill writes (issue 22).
    assert sorted(p.name for p in elsewhere.iterdir()) == ["out.ipynb"]

    # The user's own files, by paths relative to the directory papermill runs in.
    shutil.copy(bundled("data/synthetic/sparse.yaml"), elsewhere / "mine.yaml")
    shutil.copy(bundled("data/rulebooks/default.yaml"), elsewhere / "my_rulebook.yaml")
    run = subprocess.run([str(BIN / "papermill"), str(notebook), "mine.ipynb",
                          "-p", "inventory", "mine.yaml", "-p", "rulebook", "my_rulebook.yaml",
                          "-p", "openness", "services", "-p", "out_dir", "mine_files"],
                         cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    text = outputs(elsewhere / "mine.ipynb")
    assert "of 20 datasets sit in" in text
    # Downloads go where out_dir names, linked from the tables.
    # each CSV with its Dutch spreadsheet and data dictionary beside it (issue 21)
    assert sorted(p.name for p in (elsewhere / "mine_files").iterdir()) == [
        "datasets.csv", "datasets.nl.csv", "datasets.nl.kolommen.csv",
        "rulebook.csv", "rulebook.nl.csv", "rulebook.nl.kolommen.csv"]
    assert 'href=\\"mine_files/datasets.csv\\"' in (elsewhere / "mine.ipynb").read_text("utf-8")
    # The run used them (20 datasets is sparse.yaml); reports name their inputs in the
    # provenance banner the batch adds, a plain papermill run in its injected cell.
    injected = [c for c in json.loads((elsewhere / "mine.ipynb").read_text("utf-8"))["cells"]
                if "injected-parameters" in c["metadata"].get("tags", [])]
    assert "mine.yaml" in "".join(injected[0]["source"])
