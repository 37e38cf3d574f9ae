"""Report rendering, atomic writes and notebook files, without running a batch."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

from bulkimpact.files import atomic_write
from bulkimpact.report.cli import main
from bulkimpact.report.notebooks import (
    declared_parameters,
    find_notebooks,
    notebook_title,
    read_notebook,
)
from bulkimpact.report.render import external_loads, make_exporter, render_html

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


@pytest.fixture(scope="module")
def exporter() -> HTMLExporter:
    return make_exporter()


def png_bytes(width: int, height: int) -> bytes:
    """A valid one-colour PNG (enough for a browser and for embedding)."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def notebook_with_math_and_image() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title\n\nA formula $x^2$ and a figure:\n\n"
                                      "![a local figure](figure.png)"),
        nbformat.v4.new_code_cell("secret_code_text = 1", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="printed output\n")]),
        nbformat.v4.new_code_cell("no_output_here = 2"),
    ])


def test_stock_lab_template_loads_from_the_web_and_ours_does_not(exporter, tmp_path):
    (tmp_path / "figure.png").write_bytes(png_bytes(4, 3))
    nb = notebook_with_math_and_image()
    resources = {"metadata": {"name": "t", "path": str(tmp_path)}}
    stock, _ = HTMLExporter(template_name="lab").from_notebook_node(nb, resources=resources)
    assert any("require" in url for url in external_loads(stock))
    assert any("mathjax" in url.lower() for url in external_loads(stock))
    ours = render_html(nb, exporter, "t", source_dir=tmp_path)
    assert external_loads(ours) == []
    assert not re.search(r"https?://", ours)
    # Markdown image embedded, code hidden, output shown, empty code cell left out.
    assert re.search(r'<img[^>]+src="data:image/png;base64,', ours)
    assert "secret_code_text" not in ours and "no_output_here" not in ours
    assert "printed output" in ours
    assert ours.count('class="jp-Cell jp-CodeCell') == 1


def test_a_missing_local_image_is_reported_as_a_load(exporter, tmp_path):
    html = render_html(notebook_with_math_and_image(), exporter, "t", source_dir=tmp_path)
    assert external_loads(html) == ["figure.png"]


def test_external_loads_checks_tags_and_css_but_not_text():
    page = """<html><head>
    <link rel="stylesheet" href="https://fonts.example/css2?family=Inter">
    <style>@font-face { src: url("//fonts.example/inter.woff2"); }</style>
    </head><body style="background: url(http://img.example/bg.png)">
    <iframe src="https://video.example/embed"></iframe>
    <img src='data:image/png;base64,AAAA'>
    <a href="https://www.ctivd.nl/">a link is not a load</a>
    <pre>&lt;script src="https://only.text/shown.js"&gt;</pre>
    <svg xmlns="http://www.w3.org/2000/svg"><use href="#shape"/></svg>
    </body></html>"""
    assert external_loads(page) == [
        "https://fonts.example/css2?family=Inter",
        "http://img.example/bg.png",
        "https://video.example/embed",
        "//fonts.example/inter.woff2",
    ]


def test_atomic_write_keeps_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    atomic_write(target, "old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new " * 100_000)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_atomic_write_gives_normal_permissions(tmp_path):
    atomic_write(tmp_path / "r.html", b"<p>x</p>")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == 0o666 & ~umask


def test_fixture_notebooks_read_with_stable_ids_title_and_parameters():
    first = read_notebook(FIXTURES / "00_fixture_table_figure.py")
    second = read_notebook(FIXTURES / "00_fixture_table_figure.py")
    assert [c.id for c in first.cells] == [c.id for c in second.cells]
    assert [c.id for c in first.cells][:2] == ["cell-0", "cell-1"]
    assert notebook_title(first, "x") == "Fixture: a table and a figure"
    assert declared_parameters(first) == {
        "inventory": "'inventory.yaml'", "rulebook": "'rulebook.yaml'",
        "openness": "'services'", "seed": "0", "out_dir": "'.'", "n_rows": "4"}
    assert first.metadata["kernelspec"]["name"] == "python3"


def test_find_notebooks_names_what_exists_when_asked_for_something_else():
    with pytest.raises(ValueError, match="available: 00_fixture_table_figure, 01_fixture_fails"):
        find_notebooks(FIXTURES, ["overview"])
    with pytest.raises(FileNotFoundError, match="notebook directory not found"):
        find_notebooks(FIXTURES / "missing")


def test_notebooks_to_ipynb_for_plain_papermill(tmp_path, capsys):
    code = main(["notebooks", "--notebooks", str(FIXTURES), "--only", "00", "--only", "01",
                 "--to-ipynb", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "00_fixture_table_figure.ipynb", "01_fixture_fails.ipynb"]
    # Plain papermill: the kernel is named in the notebook, the inputs default to the bundled.
    assert "papermill " in out and "out.ipynb -p openness services" in out
    nb = nbformat.read(tmp_path / "00_fixture_table_figure.ipynb", as_version=4)
    nbformat.validate(nb)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "n_rows = 4" in tagged[0].source
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["jupytext"]["formats"] == "ipynb,py:percent"


def test_notebooks_in_one_language_are_copies_elsewhere(tmp_path, capsys):
    """--lang writes unpaired copies in one language, and never beside the .py notebooks
    (JupyterLab would pair a copy with its .py and save one language back into it)."""
    bundled_notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    code = main(["notebooks", "--only", "01", "--to-ipynb", "--lang", "en",
                 "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    nb = nbformat.read(tmp_path / "01_inventory.ipynb", as_version=4)
    nbformat.validate(nb)
    assert "jupytext" not in nb.metadata
    tags = {tag for cell in nb.cells for tag in cell.metadata.get("tags", [])}
    assert "en" in tags and "nl" not in tags
    assert declared_parameters(nb)["languages"] == "'en'"
    assert "jupyter nbconvert --to html out.ipynb" in capsys.readouterr().out

    for argv in (["--to-ipynb", "--lang", "nl"], ["--lang", "nl", "--out", str(tmp_path)],
                 ["--to-ipynb", "--lang", "nl", "--out", str(bundled_notebooks)]):
        assert main(["notebooks", "--only", "01", *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("bulkimpact: error: ") and "--out DIR" in err
    assert not (bundled_notebooks / "01_inventory.ipynb").exists() or \
        "jupytext" in nbformat.read(bundled_notebooks / "01_inventory.ipynb", 4).metadata


def test_notebooks_listing_shows_titles_and_parameters(capsys):
    assert main(["notebooks", "--notebooks", str(FIXTURES), "--only", "fixture_fails"]) == 0
    out = capsys.readouterr().out
    assert "01_fixture_fails.py: Fixture: fails in its third cell" in out
    assert "parameters: inventory='inventory.yaml'" in out
