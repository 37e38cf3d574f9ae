"""The scenario panel's figure, readable at its default size (issue 22, item 9): the title
and the legend are inside the image, and rules and readings carry the reports' names."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from bulkimpact.analysis import load_analysis
from bulkimpact.policies import POLICIES
from bulkimpact.present import figures, panel

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def baseline():
    return load_analysis(ROOT / "data/synthetic/baseline.yaml", policies=list(POLICIES))


def test_the_panel_figure_names_rules_and_readings_as_the_reports_do(baseline) -> None:
    fig = panel.frontier_figure(baseline)
    title = " ".join(fig._suptitle.get_text().split())
    assert title == ("Under the CTIVD reading, authorisation per use protects every "
                     "combination at the lowest burden with the stated assumptions")
    alt = re.search(r'alt="([^"]*)"', panel.frontier_html(baseline)).group(1)
    for code_name in (n for n in POLICIES if "_" in n):  # "whole component" is a name
        assert code_name not in title and code_name not in alt, code_name
    assert "authorisation per use burden" in alt


def test_the_panel_figure_keeps_its_title_and_legend_whole(baseline) -> None:
    fig = panel.frontier_figure(baseline)
    with matplotlib.rc_context(figures.STYLE):
        fig.set_dpi(panel._SCREEN_DPI)
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        extents = [fig._suptitle.get_window_extent(renderer),
                   *(legend.get_window_extent(renderer) for legend in fig.legends)]
    needed_width = max(e.x1 for e in extents) - min(0, min(e.x0 for e in extents))
    needed_height = max(e.y1 for e in extents) - min(0, min(e.y0 for e in extents))
    data = re.search(r'base64,([^"]+)"', panel.frontier_html(baseline)).group(1)
    width, height = Image.open(io.BytesIO(base64.b64decode(data))).size
    assert width >= needed_width - 2 and height >= needed_height - 2, (
        (width, height), (needed_width, needed_height))
    # The title is wrapped to the figure's own width, not cut by it.
    assert all(len(line) <= panel.TITLE_WIDTH for line in fig._suptitle.get_text().splitlines())
