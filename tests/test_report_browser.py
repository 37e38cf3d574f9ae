"""Browser check: the reports in headless Chromium with the network off.

Skipped where Debian's ``chromium`` is not installed. Renders two fixture
reports, screenshots them and the index, and checks that no page asked the
network for anything, while a page that does is caught.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

import bulkimpact
from bulkimpact.report.batch import run_reports
from bulkimpact.report.screenshots import find_chromium, main, screenshot_page

pytestmark = pytest.mark.skipif(find_chromium() is None,
                                reason="chromium not installed (apt-get install chromium)")

REPO = Path(bulkimpact.__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(FIXTURES, root / "notebooks", ignore=shutil.ignore_patterns("conftest.py"))
    run_reports([REPO / "data" / "synthetic" / "baseline.yaml"],
                REPO / "data" / "rulebooks" / "default.yaml", only=["00", "01"],
                out_dir="reports", progress=False, cwd=root)
    return root / "reports"


def test_screenshots_of_index_and_reports_offline(reports, capsys):
    assert main([str(reports)]) == 0
    out = capsys.readouterr().out
    assert "8 pages, 0 failed the offline check" in out
    shots = sorted(p.name for p in (reports / "screenshots").iterdir())
    assert shots == sorted([f"baseline__{nb}.{lang}.png" for lang in ("nl", "en")
                            for nb in ("00_fixture_table_figure", "01_fixture_fails")]
                           + ["glossary.en.png", "glossary.nl.png", "index.en.png", "index.png"])
    for name in shots:
        png = reports / "screenshots" / name
        assert png_size(png) == (1280, 2000)
        # A blank page compresses to a few kilobytes; text, tables and the figure do not.
        assert png.stat().st_size > 30_000, name


def test_a_page_that_needs_the_network_is_caught(tmp_path):
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><p>text</p><img src="https://example.org/pixel.png">'
                    '<script src="http://cdn.example.org/require.js"></script></body></html>')
    shot = screenshot_page(find_chromium(), page, tmp_path / "leaky.png", width=400, height=300)
    assert not shot.ok
    assert set(shot.requests) == {"https://example.org/pixel.png",
                                  "http://cdn.example.org/require.js"}
    assert png_size(tmp_path / "leaky.png") == (400, 300)


def test_layout_probe_sees_a_table_that_scrolls_sideways_and_small_figure_text(tmp_path):
    import base64
    import io

    from PIL import Image

    from bulkimpact.report.layout import measure_page

    cells = "".join(f"<td>{'x' * 30}</td>" for _ in range(60))
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 10), "white").save(buffer, format="png")
    pixel = base64.b64encode(buffer.getvalue()).decode()
    page = tmp_path / "page.html"
    page.write_text(
        '<html><body style="margin:0"><div style="overflow-x:auto">'
        f"<table><caption>wide</caption><tr>{cells}</tr></table></div>"
        "<table><caption>narrow</caption><tr><td>1</td></tr></table>"
        # a 2000-pixel image with 16-pixel text, shown at 1000 pixels: its text is 8 pixels
        f'<img style="width:1000px" data-min-font-px="16" alt="a" '
        f'src="data:image/png;base64,{pixel}">'
        '<div style="height:3000px"></div></body></html>')
    layout = measure_page(page)
    assert layout.width == 1366 and layout.scroll_width == 1366  # the wide table scrolls inside
    wide, narrow = layout.tables
    assert (wide.caption, wide.scrolls) == ("wide", True)
    assert (narrow.caption, narrow.scrolls) == ("narrow", False)
    # a screenful is what the window shows of the page: 768 pixels less the browser's bars
    assert 500 < layout.viewport_height <= 768
    assert 3000 < layout.height and layout.screens == pytest.approx(
        layout.height / layout.viewport_height)
    [figure] = layout.figures
    assert (figure.natural_width, figure.shown_width) == (2000, 1000)
    assert figure.shown_font_px == pytest.approx(8.0)
