"""Figures a reviewer can read: no label over another label or over a marker, equal values
kept apart, the regime heat map and the grouped raised combinations drawn from the results."""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from bulkimpact.analysis import load_analysis
from bulkimpact.present import (
    combination_plots,
    exploration_plots,
    figures,
    linkage_plots,
    rule_plots,
)
from bulkimpact.present.i18n import rule_name

ROOT = Path(__file__).resolve().parent.parent
INVENTORIES = sorted(p.relative_to(ROOT).as_posix()
                     for p in (ROOT / "data" / "synthetic").glob("*.yaml"))


@pytest.fixture(scope="module")
def baseline():
    return load_analysis(str(ROOT / "data" / "synthetic" / "baseline.yaml"))


def drawn(fig):
    """Draw the figure as it will be saved (Agg, no pyplot); return its renderer."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def node_markers(fig):
    """Centres (pixels) and radii (pixels, outline included) of the graph's node markers."""
    ax = fig.axes[0]
    nodes = ax.collections[-1]
    centres = ax.transData.transform(nodes.get_offsets())
    radii = (np.sqrt(nodes.get_sizes()) / 2 + nodes.get_linewidths()[0] / 2) * fig.dpi / 72
    return centres, np.broadcast_to(radii, len(centres))


def label_problems(fig) -> tuple[list, list]:
    """Pairs of node labels that overlap, and labels that cover a node marker."""
    renderer = drawn(fig)
    labels = [t for t in fig.axes[0].texts if t.get_gid() == linkage_plots.NODE_LABEL_GID]
    boxes = [t.get_window_extent(renderer) for t in labels]
    pairs = [(labels[i].get_text(), labels[j].get_text())
             for i, j in itertools.combinations(range(len(boxes)), 2)
             if boxes[i].overlaps(boxes[j])]
    centres, radii = node_markers(fig)
    covering = []
    for text, box in zip(labels, boxes, strict=True):
        nearest_x = np.clip(centres[:, 0], box.x0, box.x1)
        nearest_y = np.clip(centres[:, 1], box.y0, box.y1)
        if (np.hypot(centres[:, 0] - nearest_x, centres[:, 1] - nearest_y) < radii).any():
            covering.append(text.get_text())
    return pairs, covering


def test_baseline_graph_labels_overlap_neither_each_other_nor_any_marker(baseline) -> None:
    G = baseline.graph
    fig = linkage_plots.linkage_graph(G, baseline.rulebook.level_names(), "Baseline", seed=0)
    pairs, covering = label_problems(fig)
    assert pairs == []
    assert covering == []
    # every dataset is named on the figure: by its label, or by a number and the key
    labels = {t.get_text() for t in fig.axes[0].texts
              if t.get_gid() == linkage_plots.NODE_LABEL_GID}
    key = " ".join(t.get_text() for t in fig.texts)
    assert all(n in labels or f"= {n}" in key for n in G.nodes)


@pytest.mark.parametrize("inventory", INVENTORIES)
@pytest.mark.parametrize("seed", [0, 1])
def test_every_bundled_graph_keeps_its_labels_clear(inventory: str, seed: int) -> None:
    analysis = load_analysis(str(ROOT / inventory))
    fig = linkage_plots.linkage_graph(analysis.graph, analysis.rulebook.level_names(), "T",
                                      seed=seed)
    assert label_problems(fig) == ([], [])


def test_graph_markers_do_not_hide_each_other(baseline) -> None:
    fig = linkage_plots.linkage_graph(baseline.graph, baseline.rulebook.level_names(), "T")
    drawn(fig)
    centres, radii = node_markers(fig)
    for i, j in itertools.combinations(range(len(centres)), 2):
        assert np.hypot(*(centres[i] - centres[j])) >= radii[i] + radii[j]


def test_drawing_leaves_matplotlib_global_state_alone(baseline) -> None:
    before = dict(matplotlib.rcParams)
    linkage_plots.linkage_graph(baseline.graph, baseline.rulebook.level_names(), "T")
    rule_plots.regime_heatmap(baseline.evaluation.regimes(), baseline.rulebook.level_names(), "T")
    assert dict(matplotlib.rcParams) == before
    for module in (figures, linkage_plots, rule_plots):
        assert "matplotlib.pyplot" not in module.__dict__


def test_regime_heatmap_writes_every_level_with_the_own_level_first(baseline) -> None:
    regimes = baseline.evaluation.regimes()
    names = baseline.rulebook.level_names()
    fig = rule_plots.regime_heatmap(regimes, names, "Title")
    ax = fig.axes[0]
    assert ax.get_xticklabels()[0].get_text() == "own level"
    assert len(ax.get_yticklabels()) == len(regimes)
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == regimes.size
    raised = int(regimes.drop(columns="own_level").gt(regimes["own_level"], axis=0).sum().sum())
    assert sum(c.endswith("↑") for c in cells) == raised
    # rows follow the order drawn: each row's numbers are that dataset's regimes
    rows = [t.get_text() for t in ax.get_yticklabels()]
    columns = len(regimes.columns)
    for i, dataset in enumerate(rows):
        shown = [int(c.split()[0]) for c in cells[i * columns:(i + 1) * columns]]
        assert shown == list(regimes.loc[dataset])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert all(f"{i} {n}" in legend for i, n in enumerate(names))
    raised_by = regimes.drop(columns="own_level").gt(regimes["own_level"], axis=0).sum()
    for lang in ("en", "nl"):
        alt = rule_plots.regimes_alt(regimes, names, lang=lang)
        for rule, n in raised_by.items():
            name = rule_name(rule, lang)
            if lang == "en":
                assert (f"{name}: raises {n} dataset" if n else f"{name}: raises none") in alt
            else:
                assert (f"{name}: plaatst {n} bulkdataset" if n else
                        f"{name}: plaatst geen enkele zwaarder") in alt
    assert len(alt) < 1500  # many datasets are counted per level, not listed one by one
    dutch = rule_plots.regime_heatmap(regimes, names, "Titel", lang="nl").axes[0]
    assert dutch.get_xticklabels()[0].get_text() == "eigen niveau"
    assert "hele\ncomponent" in [t.get_text() for t in dutch.get_xticklabels()]


def test_raised_sets_draws_one_row_per_jump_and_kind_with_the_counts(baseline) -> None:
    sets = baseline.sets_frame()
    raised = sets[sets["raised"]]
    groups = combination_plots.raised_groups(sets)
    assert groups["count"].sum() == len(raised)
    assert len(groups) == len(raised.groupby(["member_level", "level", "kind"]))
    fig = combination_plots.raised_sets(sets, baseline.rulebook.level_names(), "T")
    left = fig.axes[0]
    assert len(left.get_yticklabels()) == len(groups)
    counts = sorted(int(t.get_text().replace(",", "")) for t in left.texts)
    assert counts == sorted(groups["count"])
    # the right panel has one dot per raised combination
    assert sum(len(c.get_offsets()) for c in fig.axes[1].collections) == len(raised)


def test_density_sweep_sets_equal_markers_side_by_side() -> None:
    frame = pd.DataFrame({
        "density": [0.1] * 3 + [0.2] * 3, "policy": ["per_dataset", "use_based", "component"] * 2,
        "escalated": [0, 0, 2, 0, 0, 4], "n_datasets": 4, "under_protected": [3, 0, 0, 5, 0, 0],
        "largest_component": [2, 2, 2, 4, 4, 4]})
    fig = exploration_plots.density_sweep(frame, "T")
    drawn(fig)
    for ax in fig.axes:
        points = [tuple(np.round(line.get_transform().transform(line.get_xydata())[0], 3))
                  for line in ax.lines if line.get_marker() not in ("None", None, "")]
        assert len(points) == 6
        assert len(set(points)) == len(points)  # no marker hidden under another


def test_robustness_intervals_marks_intervals_of_zero_width() -> None:
    cols = pd.MultiIndex.from_product([["under_protected"], ["low", "median", "high"]])
    summary = pd.DataFrame([[0.0, 0.0, 0.0], [2.0, 5.0, 9.0]],
                           index=["component", "per_dataset"], columns=cols)
    fig = exploration_plots.robustness_intervals(summary, {"under_protected": "under-protected"},
                                                 "T")
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert notes == ["same in every draw"]


# --- figures for people (issue 21 item 5) ------------------------------------------------

_ALT = re.compile(r'<img [^>]*alt="([^"]*)"')


def test_alt_text_is_a_summary_and_the_rest_is_the_long_description(baseline) -> None:
    regimes = baseline.evaluation.regimes()
    names = baseline.rulebook.level_names()
    full = rule_plots.regimes_alt(regimes, names, lang="nl")
    title = "Hele component plaatst de meeste bulkdatasets zwaarder"
    assert len(full) > 400  # the description a long figure gets: more than a summary
    fig = rule_plots.regime_heatmap(regimes, names, title, lang="nl")
    page = figures.figure_html(fig, alt=full)
    alt = html.unescape(_ALT.search(page).group(1))
    assert len(alt) <= 400
    # sentences counted on their own: every ".", "!" or "?" before a space or the end
    assert len(re.findall(r"[.!?](?:\s|$)", alt)) <= 4
    assert alt.startswith(title + ".")  # the finding first
    anchor = re.search(r'aria-describedby="([^"]+)"', page).group(1)
    rest = re.search(rf'<p class="bi-sr-only" id="{anchor}">(.*?)</p>', page).group(1)
    said = " ".join(f"{alt} {html.unescape(rest)}".split())
    assert said == " ".join(f"{title}. {full}".split())  # nothing lost


def test_a_short_alt_text_needs_no_long_description() -> None:
    fig, ax = figures.subplots()
    ax.plot([0, 1], [0, 1])
    page = figures.figure_html(fig, alt="A rising line.")
    assert 'alt="A rising line."' in page and "aria-describedby" not in page


def test_figures_are_marked_with_their_smallest_text_in_image_pixels() -> None:
    fig, ax = figures.subplots()
    ax.set_title("Big", fontsize=20)
    ax.set_xlabel("small", fontsize=7)
    px = float(re.search(r'data-min-font-px="([0-9.]+)"', figures.figure_html(fig, "x")).group(1))
    assert px == pytest.approx(7 * figures.STYLE["savefig.dpi"] / 72, abs=0.01)


def test_level_colours_are_distinct_also_to_colour_blind_readers_and_in_greyscale() -> None:
    # Criterion: every two levels at least 10 ΔE' apart in CAM02-UCS, for normal vision and
    # for simulated full protan, deutan and tritan deficiency; lightness falls with the
    # level (at least 3 J' a step), so heavier reads darker in greyscale too.
    from bulkimpact.present.legibility import lightness, palette_distances

    distances = palette_distances(figures.LEVEL_COLOURS)
    assert min(distances.values()) >= 10, distances
    steps = np.diff(lightness(figures.LEVEL_COLOURS))
    assert (steps <= -3).all(), steps
    # the check can fail: two oranges are too close for a deutan reader
    assert palette_distances(["#E69F00", "#F0A000"])["deuteranomaly"] < 10


def _shares(fig, axis: str) -> bool:
    axes = [ax for ax in fig.axes if ax.get_visible()]
    group = getattr(axes[0], f"get_shared_{axis}_axes")()
    return all(group.joined(axes[0], ax) for ax in axes[1:])


def test_panels_compared_side_by_side_share_their_axes(baseline) -> None:
    from bulkimpact.present.verdict import decision_map_figure

    readings = baseline.readings()
    frames = {r: a.evaluation.to_frame() for r, a in readings.items()}
    fig = rule_plots.frontier_by_reading(frames, {r: a.evaluation.pareto
                                             for r, a in readings.items()}, "T")
    assert len(fig.axes) == 3 and _shares(fig, "x") and _shares(fig, "y")
    # shared limits hold every reading's points
    bottom, top = fig.axes[0].get_ylim()
    assert all(bottom < f["under_protected"].min() and f["under_protected"].max() < top
               for f in frames.values())
    fig = decision_map_figure({r: a.verdict for r, a in readings.items()}, "Map")
    assert _shares(fig, "x") and _shares(fig, "y")
    sweep = pd.DataFrame({"density": [0.1, 0.1, 0.2, 0.2], "policy": ["component", "k_hop"] * 2,
                          "escalated": [1, 0, 3, 1], "n_datasets": 4, "under_protected": 0,
                          "largest_component": [2, 2, 4, 4]})
    assert _shares(exploration_plots.density_sweep(sweep, "S"), "x")


def test_decision_map_draws_the_computed_tipping_line(baseline) -> None:
    from bulkimpact.present.verdict import decision_map_figure

    verdicts = {r: a.verdict for r, a in baseline.readings().items()}
    fig = decision_map_figure(verdicts, "Map")
    drawn_lines = 0
    for ax, v in zip(fig.axes, verdicts.values(), strict=False):
        points = [(h, r) for h, r in zip(v.decision_map["horizon_years"],
                                         v.decision_map.get("tipping_use_rate", []),
                                         strict=False) if r is not None]
        dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
        if points:
            assert len(dashed) == 1
            assert np.allclose(dashed[0].get_xydata(), points)
            drawn_lines += 1
    assert drawn_lines >= 1  # the baseline flips within the map under some reading
