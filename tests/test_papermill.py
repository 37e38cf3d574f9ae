"""papermill from anywhere: exported notebooks run with plain ``papermill`` in any directory.

``bulkimpact notebooks --to-ipynb`` writes ``.ipynb`` files; run from a
directory that holds no ``data/`` folder, their parameters default to the
bundled inventory and rulebook (``inventory = None``, ``rulebook = None``),
and paths passed with ``-p`` are taken relative to that directory. With
``--lang``, the copies hold one language, and plain nbconvert makes of a run
a page in that language that says what the data are (issue 22, item 2).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

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


#: The notice every page opens with, as the notebook shows it itself, and the sections
#: every page has (notebooks/CONVENTIONS.md), per language.
NOTICE = {"nl": ("Fictieve gegevens.", "Illustratief regelboek."),
          "en": ("Fictional data.", "Illustrative rulebook.")}
SECTIONS = {"nl": ["Vraag", "Bevinding", "Werkwijze", "Kanttekeningen"],
            "en": ["Question", "Finding", "Method", "Caveats"]}


class Headings(HTMLParser):
    """The text of every h1 and h2 of a page (nbconvert adds a pilcrow anchor to each)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("h1", "h2"):
            self._open, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self.found.append((tag, self._text.replace("\N{PILCROW SIGN}", "").strip()))
            self._open = None


def headings(page: str) -> list[tuple[str, str]]:
    parser = Headings()
    parser.feed(page)
    return parser.found


@pytest.fixture(scope="module", params=["nl", "en"])
def plain_run(request, tmp_path_factory):
    """01 in one language, executed by plain papermill (its Python API, the venv's kernel)
    in an empty directory and converted by plain nbconvert (no bulkimpact template)."""
    import papermill
    from nbconvert import HTMLExporter

    from bulkimpact.report.notebooks import write_language_notebooks

    lang = request.param
    root = tmp_path_factory.mktemp(f"plain-{lang}")
    source = bundled("notebooks") / "01_inventory.py"
    [copy] = write_language_notebooks([source], root / "copies", lang)
    cwd = root / "run"
    cwd.mkdir()
    executed = papermill.execute_notebook(str(copy), str(root / "out.ipynb"),
                                          kernel_name="python3", cwd=str(cwd),
                                          progress_bar=False)
    page, _ = HTMLExporter().from_notebook_node(executed)
    return lang, source, executed, page, cwd


def test_plain_papermill_and_nbconvert_give_the_notice_and_one_language(plain_run) -> None:
    from bulkimpact.report.notebooks import notebook_titles, read_notebook

    lang, source, executed, page, cwd = plain_run
    other = "en" if lang == "nl" else "nl"
    for words in NOTICE[lang]:
        assert words in page
    for words in NOTICE[other]:
        assert words not in page
    titles = notebook_titles(read_notebook(source), source.stem)
    assert headings(page) == [("h1", titles[lang])] + [("h2", s) for s in SECTIONS[lang]]
    assert titles[other] not in page
    # Computed output (the finding, tables, figures) in this language only.
    shown = [o.get("metadata", {}).get("bulkimpact", {}).get("lang")
             for cell in executed.cells for o in cell.get("outputs", [])]
    assert lang in shown and other not in shown
    # Item 3 kept: the run wrote nothing into the directory it ran in.
    assert list(cwd.iterdir()) == []


def test_the_batch_page_leaves_the_notebooks_own_notice_out(plain_run) -> None:
    """The batch opens every page with its full banner (the notice included), so its pages
    drop the notice the notebook shows itself: it is not said twice."""
    from bulkimpact.report.render import make_exporter, render_html

    lang, _source, executed, _page, _cwd = plain_run
    page = render_html(executed, make_exporter(), "01", lang=lang)
    assert SECTIONS[lang][1] in page
    for words in NOTICE[lang]:
        assert words not in page
