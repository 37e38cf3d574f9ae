"""Figures for the notebooks and reports: readable, colour-blind-safe, with alt text.

Each plotting function takes computed results and a title that states the
finding (computed by the caller, never typed in), and returns a matplotlib
``Figure``. :func:`show_figure` embeds a figure in a notebook or report as a
PNG inside an HTML ``<figure>`` with alt text and a caption; the PNG carries no
timestamp, so reruns give identical reports.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
from collections.abc import Mapping, Sequence

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..registry import METRICS
from .i18n import NP_, level_name, reading_name, rule_name, significant, translator
from .legibility import smallest_text_px, summary_alt
from .names import ASSUMPTION_NAMES, assumption_name, kind_name

__all__ = [
    "LEVEL_COLOURS",
    "POLICY_COLOURS",
    "figure_html",
    "show_figure",
    "levels_by_variant",
    "levels_alt",
    "linkage_graph",
    "NODE_LABEL_GID",
    "links_by_channel",
    "raised_sets",
    "raised_groups",
    "kind_name",
    "regime_heatmap",
    "regimes_alt",
    "policy_frontier",
    "frontier_by_reading",
    "density_sweep",
    "robustness_intervals",
    "tornado",
    "exact_vs_estimated",
]

# Okabe–Ito palette (colour-blind safe); levels ordered light → dark: CAM02-UCS lightness
# falls with the level (bulkimpact.present.legibility.palette_distances; tests/test_plots.py).
LEVEL_COLOURS = ["#D9D9D9", "#E69F00", "#56B4E9", "#D55E00", "#882255", "#332288"]
POLICY_COLOURS = {
    "per_dataset": "#0072B2", "component": "#D55E00", "k_hop": "#E69F00",
    "threshold": "#CC79A7", "minimal_escalation": "#009E73", "use_based": "#56B4E9",
}
POLICY_MARKERS = {"per_dataset": "o", "component": "s", "k_hop": "^", "threshold": "D",
                  "minimal_escalation": "*", "use_based": "P"}

#: The house style, applied to each figure as it is drawn (never to matplotlib's globals:
#: importing this module changes nothing for the caller's own plots).
STYLE = {
    "font.size": 11, "axes.titlesize": 13, "axes.titleweight": "bold", "axes.labelsize": 11,
    "legend.fontsize": 10, "figure.dpi": 100, "savefig.dpi": 110,
    "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "bulkimpact",
}


def _styled(draw):
    """Draw a figure under :data:`STYLE` (figures are plain ``Figure`` objects: no pyplot)."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)
    return wrapper


def _subplots(*args, figsize=None, **kwargs):
    """``pyplot.subplots`` without pyplot's global figure registry or backend."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots(*args, **kwargs)



def _figure_title(fig: Figure) -> str:
    """The figure's suptitle, or else its first axes title."""
    if fig._suptitle is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    for ax in fig.axes:
        for loc in ("left", "center"):
            if ax.get_title(loc=loc):
                return ax.get_title(loc=loc)
    return ""


def figure_html(fig: Figure, alt: str, caption: str = "") -> str:
    """A figure as self-contained HTML: embedded PNG with alt text and caption.

    Examples
    --------
    >>> fig, ax = _subplots(); _ = ax.plot([0, 1], [0, 1])
    >>> _ = ax.set_title("Up it goes")
    >>> out = figure_html(fig, alt="a rising line", caption="Figure 1")
    >>> out.startswith("<figure") and 'alt="Up it goes. a rising line"' in out
    True
    >>> figure_html(fig, alt="a rising line") == figure_html(fig, alt="a rising line")
    True
    """
    title = " ".join(_figure_title(fig).split())  # a wrapped title reads as one line
    if title and not alt.startswith(title):
        alt = f"{title}. {alt}"  # the finding first, for screen readers and search
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
        dpi = matplotlib.rcParams["savefig.dpi"]
    smallest = smallest_text_px(fig, fig.dpi if dpi == "figure" else dpi)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    # the alt text summarises; the rest of the description is the image's long description
    alt, rest = summary_alt(alt)
    described, longdesc = "", ""
    if rest:
        anchor = "bi-desc-" + hashlib.sha256(rest.encode()).hexdigest()[:10]
        described = f' aria-describedby="{anchor}"'
        longdesc = f'<p class="bi-sr-only" id="{anchor}">{html.escape(rest)}</p>'
    return (f'<figure class="bulkimpact-figure" style="margin:1em 0">'
            f'<img style="max-width:100%" alt="{html.escape(alt, quote=True)}"{described} '
            f'data-min-font-px="{smallest:.2f}" '
            f'src="data:image/png;base64,{data}"/>{longdesc}{cap}</figure>')


def show_figure(fig: Figure, alt: str, caption: str = "") -> None:
    """Display a figure in a notebook (as :func:`figure_html`) and close it."""
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, alt, caption)))


def _fig(lang: str, message: str) -> str:
    """A figure's words (axis, legend, note) in the language: catalogue context ``figure``."""
    return translator(lang).pgettext("figure", message)


def _level_label(label: object, lang: str = "en") -> str:
    """``"2 medium"`` (a level number and name) with the name in the language.

    Examples
    --------
    >>> _level_label("2 medium", "nl"), _level_label(3, "nl"), _level_label("1 light")
    ('2 middelzwaar', '3', '1 light')
    """
    number, _, name = str(label).partition(" ")
    return f"{number} {level_name(name, lang)}" if name else number


def _level_legend(ax, level_names: Sequence[str], lang: str = "en", **kwargs) -> None:
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10,
                      markerfacecolor=LEVEL_COLOURS[i], markeredgecolor="#333333",
                      label=f"{i} {level_name(name, lang)}") for i, name in enumerate(level_names)]
    ax.legend(handles=handles, title=_fig(lang, NP_("figure", "level on its own")),
              frameon=False, **kwargs)


@_styled
def levels_by_variant(counts: pd.DataFrame, title: str, lang: str = "en") -> Figure:
    """Grouped bars: datasets per level (rows) under each openness variant (columns).

    Rows are named ``"<number> <level name>"``, columns by reading id; both are
    shown by their names in `lang`.

    Examples
    --------
    >>> c = pd.DataFrame({"services": [1, 5, 2], "ctivd": [1, 2, 5]},
    ...                  index=["0 outside", "1 light", "2 medium"])
    >>> levels_by_variant(c, "More sets are medium under the CTIVD reading").axes[0].get_ylabel()
    'datasets'
    >>> fig = levels_by_variant(c, "Meer middelzware", lang="nl")
    >>> fig.axes[0].get_ylabel(), [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ('bulkdatasets', ['lezing van de diensten', 'lezing van de CTIVD'])
    """
    import textwrap

    from matplotlib.ticker import MaxNLocator

    fig, ax = _subplots(figsize=(11, 4.6))
    width = 0.8 / max(len(counts.columns), 1)
    x = np.arange(len(counts.index))
    hatches = ["", "//", "..", "xx", "\\\\"]
    for i, variant in enumerate(counts.columns):
        bars = ax.bar(x + i * width - 0.4 + width / 2, counts[variant], width,
                      label=reading_name(variant, lang), color=LEVEL_COLOURS[1 + i % 5],
                      edgecolor="#333333", hatch=hatches[i % len(hatches)])
        ax.bar_label(bars, labels=[translator(lang).number(v) for v in counts[variant]],
                     fontsize=10)
    ax.set_xticks(x, [_level_label(i, lang) for i in counts.index])
    ax.set_xlabel(_fig(lang, NP_("figure", "access regime (level) of the dataset on its own")))
    ax.set_ylabel(_fig(lang, NP_("figure", "datasets")))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("\n".join(textwrap.wrap(title, 90)), loc="left")
    ax.legend(title=_fig(lang, NP_("figure", "openness reading")), frameon=False,
              loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig


def levels_alt(counts: pd.DataFrame, lang: str = "en") -> str:
    """Alt text for :func:`levels_by_variant`: every bar's count in words.

    Examples
    --------
    >>> print(levels_alt(pd.DataFrame({"ctivd": [1, 2]}, index=["0 outside", "1 light"])))
    Grouped bar chart of datasets per level for each openness reading: CTIVD reading: 1 at
    level 0 outside, 2 at level 1 light.
    >>> print(levels_alt(pd.DataFrame({"ctivd": [1, 2]}, index=["0 outside", "1 light"]), "nl"))
    Staafdiagram van het aantal bulkdatasets per niveau in elke lezing: lezing van de CTIVD: 1
    op niveau 0 outside, 2 op niveau 1 licht.
    """
    t = translator(lang)
    # TRANSLATORS: {count} datasets at level {level} ("2 medium"), in an alt text.
    at = _fig(lang, NP_("figure", "{count} at level {level}"))
    readings = "; ".join(
        f"{reading_name(v, lang)}: " + ", ".join(
            at.format(count=t.number(counts.loc[i, v]), level=_level_label(i, lang))
            for i in counts.index) for v in counts.columns)
    # TRANSLATORS: alt text of the bar chart; {readings} lists the counts per reading.
    return _fig(lang, NP_("figure", "Grouped bar chart of datasets per level for each "
                                    "openness reading: {readings}.")).format(readings=readings)


def _graph_layout(G: nx.Graph, seed: int, columns: int | None = None) -> dict:
    """Readable layout: the largest component large on the left, smaller components
    stacked on the right, datasets without a link in rows of ``columns`` underneath.

    Each component is laid out on its own (Kamada–Kawai, seeded spring layout as its
    start), so a few small components cannot squash the large one into a corner.
    When no component has more than six datasets, all of them share a grid instead;
    a component of two or three datasets keeps its shape (short lines), a larger
    one fills its cell.
    """
    components = sorted((sorted(c) for c in nx.connected_components(G) if len(c) > 1),
                        key=lambda c: (-len(c), c))
    isolated = sorted(n for n in G if G.degree(n) == 0)
    pos: dict = {}

    def place(nodes: list, x0: float, y0: float, width: float, height: float) -> None:
        sub = G.subgraph(nodes)
        start = nx.spring_layout(sub, seed=seed)
        raw = nx.kamada_kawai_layout(sub, pos=start) if len(nodes) > 2 else start
        xy = np.array([raw[n] for n in nodes], dtype=float)
        if len(nodes) <= 3:  # keep the shape: a pair is a short line, not a diagonal
            side = min(width, height, 0.3)
            xy = (xy - xy.mean(axis=0)) / max(np.ptp(xy, axis=0).max(), 1e-9)
            xy = 0.5 + 0.84 * side * xy / np.array([width, height])
        else:
            span = np.ptp(xy, axis=0)
            span[span == 0] = 1.0
            xy = (xy - xy.min(axis=0)) / span
            if len(nodes) > 8:
                # Dense cores crowd their labels: blend in rank coordinates, which keep the
                # left-right and up-down order but spread the points evenly.
                ranks = xy.argsort(axis=0).argsort(axis=0) / (len(nodes) - 1)
                xy = 0.4 * xy + 0.6 * ranks
            xy = 0.08 + 0.84 * xy
        for n, (x, y) in zip(nodes, xy, strict=True):
            pos[n] = np.array([x0 + width * x, y0 + height * y])

    if components and len(components[0]) > 6:
        main_width = 0.72 if len(components) > 1 else 1.0
        place(components[0], 0.0, 0.0, main_width, 1.0)
        rest = components[1:]
        total = sum(len(c) for c in rest) or 1
        y = 1.0
        for comp in rest:
            height = max(0.12, len(comp) / total)
            y -= height
            place(comp, main_width + 0.02, max(y, 0.0), 1.0 - main_width - 0.02, height)
    elif components:
        grid = int(np.ceil(np.sqrt(len(components))))
        rows = int(np.ceil(len(components) / grid))
        for i, comp in enumerate(components):
            place(comp, (i % grid) / grid, 1.0 - (i // grid + 1) / rows, 1.0 / grid, 1.0 / rows)
    cols = columns or max(5, min(len(isolated), 8))
    top = -0.06 if components else 0.0
    for i, n in enumerate(isolated):
        pos[n] = np.array([0.01 + (i % cols) / cols, top - 0.08 * (i // cols)])
    return pos


#: The ``gid`` of every node label in :func:`linkage_graph` (tests find the labels by it).
NODE_LABEL_GID = "bulkimpact-node-label"


def _renderer(fig: Figure):
    """A renderer to measure text with, attached without pyplot (an Agg canvas)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _spread_nodes(xy: np.ndarray, radii: np.ndarray, gap: float, box: tuple,
                  rounds: int = 200) -> np.ndarray:
    """Push overlapping markers apart (pixels) until every pair is ``gap`` clear.

    Each marker stays inside ``box`` ``(x0, y0, x1, y1)``.
    """
    xy = xy.copy()
    x0, y0, x1, y1 = box
    for _ in range(rounds):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(d[..., 0], d[..., 1])
        need = radii[:, None] + radii[None, :] + gap
        np.fill_diagonal(need, 0.0)
        short = np.clip(need - dist, 0.0, None)
        if not short.any():
            break
        unit = np.where(dist[..., None] > 1e-9, d / np.maximum(dist, 1e-9)[..., None],
                        np.array([1.0, 0.0]))
        xy = xy + 0.6 * (unit * short[..., None] / 2).sum(axis=1)
        xy[:, 0] = np.clip(xy[:, 0], x0 + radii, x1 - radii)
        xy[:, 1] = np.clip(xy[:, 1], y0 + radii, y1 - radii)
    return xy


def _segments_hit_box(seg: np.ndarray, box: tuple) -> np.ndarray:
    """Which segments ``(k, 2, 2)`` cross or touch the box ``(x0, y0, x1, y1)`` (Liang–Barsky)."""
    if not len(seg):
        return np.zeros(0, dtype=bool)
    x0, y0, x1, y1 = box
    p0 = seg[:, 0]
    dxy = seg[:, 1] - seg[:, 0]
    lo = np.zeros(len(seg))
    hi = np.ones(len(seg))
    ok = np.ones(len(seg), dtype=bool)
    for p, q in ((-dxy[:, 0], p0[:, 0] - x0), (dxy[:, 0], x1 - p0[:, 0]),
                 (-dxy[:, 1], p0[:, 1] - y0), (dxy[:, 1], y1 - p0[:, 1])):
        parallel = np.abs(p) < 1e-12
        ok &= ~(parallel & (q < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
        lo = np.where(~parallel & (p < 0), np.maximum(lo, r), lo)
        hi = np.where(~parallel & (p > 0), np.minimum(hi, r), hi)
    return ok & (lo <= hi)


def _box_hits_circles(box: tuple, centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = box
    cx = np.clip(centres[:, 0], x0, x1)
    cy = np.clip(centres[:, 1], y0, y1)
    return np.hypot(centres[:, 0] - cx, centres[:, 1] - cy) < radii


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(centres: np.ndarray, radii: np.ndarray, sizes: np.ndarray,
                  area: tuple, edges: np.ndarray, pad: float) -> list:
    """Greedy label placement in pixels: for each node the cheapest free spot around it.

    A spot is free when its box (text grown by ``pad``) overlaps no placed label,
    no marker, no leader line and stays inside ``area``. Candidates ring the node
    in twelve directions at growing distances (farther spots get a leader line);
    the cost prefers near spots, the right-hand side and few crossed links. Nodes
    in crowded places choose first. Returns per node ``(box, anchor, ha, va, leader)``
    or ``None`` where no free spot exists.
    """
    n = len(centres)
    crowd = np.array([(np.hypot(*(centres - c).T) < 6 * max(sizes[:, 1].max(), 1)).sum()
                      for c in centres])
    order = list(np.argsort(-crowd, kind="stable"))
    angles = np.deg2rad([0, 180, 30, -30, 150, -150, 90, -90, 60, -60, 120, -120])
    steps = (0.0, 0.6, 1.4, 2.4, 3.6, 5.0)
    result: list = [None] * n
    placed: list[tuple] = []
    leaders: list[np.ndarray] = []

    def attempt(order):
        placed.clear()
        leaders.clear()
        failed = []
        for i in order:
            w, h = sizes[i]
            best = None
            for s, step in enumerate(steps):
                for k, a in enumerate(angles):
                    c, sn = np.cos(a), np.sin(a)
                    dist = radii[i] + pad + 2 + step * h
                    ax_, ay = centres[i] + dist * np.array([c, sn])
                    ha = "left" if c > 0.3 else "right" if c < -0.3 else "center"
                    va = "bottom" if sn > 0.3 else "top" if sn < -0.3 else "center"
                    x0 = ax_ if ha == "left" else ax_ - w if ha == "right" else ax_ - w / 2
                    y0 = ay if va == "bottom" else ay - h if va == "top" else ay - h / 2
                    box = (x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad)
                    if (box[0] < area[0] or box[1] < area[1] or box[2] > area[2]
                            or box[3] > area[3]):
                        continue
                    if _box_hits_circles(box, centres, radii + 1).any():
                        continue
                    if any(_overlaps(box, b) for b in placed):
                        continue
                    if leaders and _segments_hit_box(np.array(leaders), box).any():
                        continue
                    leader = None
                    if step > 0:
                        end = np.array([np.clip(centres[i][0], box[0], box[2]),
                                        np.clip(centres[i][1], box[1], box[3])])
                        start = centres[i] + radii[i] * (end - centres[i]) / max(
                            np.hypot(*(end - centres[i])), 1e-9)
                        leader = np.array([start, end])
                        if any(_segments_hit_box(leader[None], b)[0] for b in placed):
                            continue
                    crossed = int(_segments_hit_box(edges, box).sum()) if len(edges) else 0
                    cost = 3.0 * s + 0.15 * k + 0.25 * crossed
                    if best is None or cost < best[0]:
                        best = (cost, box, (ax_, ay), ha, va, leader)
                if best is not None and best[0] < 3.0 * (s + 1):
                    break  # nothing farther can be cheaper
            if best is None:
                failed.append(i)
                result[i] = None
                continue
            _, box, anchor, ha, va, leader = best
            placed.append(box)
            if leader is not None:
                leaders.append(leader)
            result[i] = (box, anchor, ha, va, leader)
        return failed

    failed = attempt(order)
    for _ in range(3):  # nodes that found no spot choose first next time
        if not failed:
            break
        order = failed + [i for i in order if i not in failed]
        failed = attempt(order)
    return result


@_styled
def linkage_graph(G: nx.Graph, level_names: Sequence[str], title: str, seed: int = 0,
                  label: bool = True, lang: str = "en") -> Figure:
    """The linkage graph: colour = level on its own, size = persons, width = link strength.

    Markers are pushed apart until none overlaps another, and every label is
    placed beside its node where it overlaps no other label, no marker and no
    leader line (a label that must sit farther away gets a thin leader line).
    A label for which no free spot exists is replaced by a number, explained
    in a key under the graph. Label texts carry the ``gid``
    :data:`NODE_LABEL_GID`.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph
    >>> fig = linkage_graph(toy_graph(), ["outside", "light", "medium", "heavy"], "Toy")
    >>> fig.axes[0].get_title(loc="left")
    'Toy'
    >>> sorted(t.get_text() for t in fig.axes[0].texts if t.get_gid() == NODE_LABEL_GID)
    ['adtech', 'forum', 'health-app']
    """
    nodes = list(G)
    n = len(nodes)
    # Reports show figures at page width (~1200 px): a wider figure only shrinks its labels.
    width = min(13.0, max(9.0, 0.15 * n + 6))
    height = width * 0.8
    fig, ax = _subplots(figsize=(width, height))
    renderer = _renderer(fig)
    fig.subplots_adjust(left=0.005, right=0.83, top=0.95, bottom=0.06)
    ax.set_axis_off()
    persons = np.array([G.nodes[v]["persons"] for v in nodes], dtype=float)
    sizes = 50 + 700 * np.sqrt(persons / max(persons.max(initial=0.0), 1.0))
    px_per_pt = fig.dpi / 72.0
    radii = (np.sqrt(sizes) / 2 + 0.8) * px_per_pt  # marker radius and its outline
    # Datasets without a link in rows: as many columns as their labels leave room for.
    isolated = [v for v in nodes if G.degree(v) == 0]
    columns = None
    if isolated:
        widest = _text_sizes(ax, renderer, isolated, _LABEL_SIZE)[:, 0].max() if label else 0
        lone = radii[[nodes.index(v) for v in isolated]].max()
        cell = widest + 2 * lone + 16
        columns = max(1, int(ax.get_window_extent(renderer).width / 1.1 // cell))
    pos = _graph_layout(G, seed, columns)
    xy = np.array([pos[v] for v in nodes], dtype=float) if n else np.zeros((0, 2))
    lo = xy.min(axis=0) if n else np.zeros(2)
    hi = xy.max(axis=0) if n else np.ones(2)
    span = np.maximum(hi - lo, 1e-9)
    ax.set_xlim(lo[0] - 0.04 * span[0], hi[0] + 0.04 * span[0])
    ax.set_ylim(lo[1] - 0.04 * span[1], hi[1] + 0.04 * span[1])
    to_px, to_data = ax.transData.transform, ax.transData.inverted().transform

    # Markers: pushed apart within their component (or the row of unlinked ones), so
    # none hides another; a group stays where the layout put it.
    if n:
        bbox = ax.get_window_extent(renderer)
        grow = 0.04 * max(bbox.width, bbox.height)
        centres = to_px(xy)
        spread = centres.copy()
        groups = [sorted(c, key=nodes.index) for c in nx.connected_components(G) if len(c) > 1]
        groups.append(isolated)
        for group in filter(None, groups):
            idx = np.array([nodes.index(v) for v in group])
            (gx0, gy0), (gx1, gy1) = centres[idx].min(axis=0), centres[idx].max(axis=0)
            box = (max(gx0 - grow, bbox.x0), max(gy0 - grow, bbox.y0),
                   min(gx1 + grow, bbox.x1), min(gy1 + grow, bbox.y1))
            spread[idx] = _spread_nodes(centres[idx], radii[idx], 14 * px_per_pt, box)
        xy = to_data(spread)
    pos = dict(zip(nodes, xy, strict=True))

    strengths = np.array([e.get("strength", 0.0) for *_, e in G.edges(data=True)])
    widths = (0.6 + 4.0 * np.sqrt(strengths / strengths.max())
              if len(strengths) and strengths.max() > 0 else 1.0)
    nx.draw_networkx_edges(G, pos, ax=ax, width=widths, edge_color="#8A8A8A", alpha=0.45)
    nx.draw_networkx_nodes(G, pos, nodelist=nodes, ax=ax, node_size=sizes,
                           node_color=[LEVEL_COLOURS[G.nodes[v]["level"]] for v in nodes],
                           edgecolors="#333333", linewidths=0.8)
    ax.set_xlim(lo[0] - 0.04 * span[0], hi[0] + 0.04 * span[0])
    ax.set_ylim(lo[1] - 0.04 * span[1], hi[1] + 0.04 * span[1])
    key: list[str] = []
    if label and n:
        _label_nodes(ax, renderer, nodes, pos, radii, G, key)
    _level_legend(ax, level_names, lang, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title, loc="left")
    note = _fig(lang, NP_("figure", "Node size: persons in the dataset. Line width: link "
                                    "strength (expected links / smaller set)."))
    linked = [c for c in nx.connected_components(G) if len(c) > 1]
    if len(linked) > 1 and max(map(len, linked)) > 6:
        note += " " + _fig(lang, NP_("figure", "Right: smaller linked groups."))
    if isolated:
        note += " " + _fig(lang, NP_("figure", "Bottom: datasets with no link."))
    if key:
        note += "\n" + _fig(lang, NP_("figure", "Numbered nodes: {key}")).format(
            key="; ".join(key))
    fig.text(0.005, 0.05, note, fontsize=10, va="top", ha="left", wrap=True)
    return fig


_LABEL_SIZE = 10  # points: node labels


def _text_sizes(ax, renderer, texts: Sequence[str], fontsize: float) -> np.ndarray:
    """Width and height in pixels of each text as drawn on ``ax``."""
    out = []
    for t in texts:
        probe = ax.text(0, 0, str(t), fontsize=fontsize)
        ext = probe.get_window_extent(renderer)
        probe.remove()
        out.append((ext.width, ext.height))
    return np.array(out, dtype=float).reshape(-1, 2)


def _label_nodes(ax, renderer, nodes: list, pos: dict, radii: np.ndarray, G: nx.Graph,
                 key: list) -> None:
    """Write each node's label where it overlaps nothing (see :func:`_place_labels`)."""
    to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
    style = {"fontsize": _LABEL_SIZE, "zorder": 5, "gid": NODE_LABEL_GID,
             "bbox": {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}}
    centres = to_px(np.array([pos[v] for v in nodes]))
    area = ax.get_window_extent(renderer)
    area = (area.x0, area.y0, area.x1, area.y1)
    edges = np.array([to_px(np.array([pos[a], pos[b]])) for a, b in G.edges()]).reshape(-1, 2, 2)
    pad = 0.15 * _LABEL_SIZE * ax.figure.dpi / 72 + 1  # the white box around the text

    def measure(texts: list[str]) -> np.ndarray:
        return _text_sizes(ax, renderer, texts, _LABEL_SIZE)

    texts = [str(v) for v in nodes]
    spots = _place_labels(centres, radii, measure(texts), area, edges, pad)
    missing = [i for i, s in enumerate(spots) if s is None]
    if missing:  # numbers instead of names, explained in a key under the graph
        for number, i in enumerate(missing, start=1):
            texts[i] = str(number)
            key.append(f"{number} = {nodes[i]}")
        spots = _place_labels(centres, radii, measure(texts), area, edges, pad)
    for i, spot in enumerate(spots):
        if spot is None:
            continue
        box, anchor, ha, va, leader = spot
        x, y = to_data(np.array([anchor]))[0]
        ax.text(x, y, texts[i], ha=ha, va=va, **style)
        if leader is not None:
            (x0, y0), (x1, y1) = to_data(leader)
            ax.plot([x0, x1], [y0, y1], color="#222222", linewidth=0.9, zorder=4)


@_styled
def links_by_channel(G: nx.Graph, title: str, lang: str = "en") -> Figure:
    """Horizontal bars: links and expected linked persons per key namespace or QI set.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph
    >>> links_by_channel(toy_graph(), "E-mail and device").axes[0].get_xlabel()
    'links (edges) carried'
    >>> print(links_by_channel(toy_graph(), "E-mail en apparaat", lang="nl").axes[1].get_xlabel())
    verwachte gekoppelde personen (som over de
    koppelingen, logaritmische schaal)
    """
    edges = pd.Series({}, dtype=float)
    persons = pd.Series({}, dtype=float)
    # TRANSLATORS: a link through quasi-identifiers; {qis} names them ("date_of_birth+pc4").
    qi_label = _fig(lang, NP_("figure", "quasi-identifiers: {qis}"))
    for *_, e in G.edges(data=True):
        channels = e["keys"] + ([qi_label.format(qis="+".join(e["qis"]))] if e["qis"] else [])
        for ch in channels:
            edges[ch] = edges.get(ch, 0.0) + 1
            persons[ch] = persons.get(ch, 0.0) + e["expected_links"]
    order = edges.sort_values().index
    fig, (ax1, ax2) = _subplots(1, 2, figsize=(11, max(3, 0.45 * len(order) + 1.5)),
                                   sharey=True)
    bars = ax1.barh(order, edges[order], color="#0072B2")
    ax1.bar_label(bars, labels=[translator(lang).number(v) for v in edges[order]], padding=3,
                  fontsize=9)
    ax1.set_xlabel(_fig(lang, NP_("figure", "links (edges) carried")))
    ax2.barh(order, persons[order], color="#E69F00")
    ax2.set_xscale("log")
    import textwrap

    ax2.set_xlabel("\n".join(textwrap.wrap(_fig(lang, NP_(
        "figure", "expected linked persons (sum over links, log scale)")), 42)))
    ax1.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def raised_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Raised exposure sets grouped by (highest member level, combined level, kind).

    One row per group, largest group first: ``member_level``, ``level``,
    ``kind``, ``count``, ``persons_min``, ``persons_median``, ``persons_max``
    and ``largest`` (the members of the set with the most linked persons).

    Examples
    --------
    >>> f = pd.DataFrame({"members": ["a, b", "a, c", "b, c"], "member_level": [2, 2, 1],
    ...                   "level": [3, 3, 3], "persons": [10.0, 30.0, 5.0],
    ...                   "raised": [True, True, True], "kind": ["edge"] * 3})
    >>> raised_groups(f)[["member_level", "level", "count", "persons_max", "largest"]]
       member_level  level  count  persons_max largest
    0             2      3      2         30.0    a, c
    1             1      3      1          5.0    b, c
    """
    raised = frame[frame["raised"]]
    rows = []
    for (m, lv, kind), part in raised.groupby(["member_level", "level", "kind"], sort=False):
        top = part.loc[part["persons"].idxmax()]
        rows.append({"member_level": int(m), "level": int(lv), "kind": kind,
                     "count": len(part), "persons_min": float(part["persons"].min()),
                     "persons_median": float(part["persons"].median()),
                     "persons_max": float(part["persons"].max()), "largest": top["members"]})
    out = pd.DataFrame(rows, columns=["member_level", "level", "kind", "count", "persons_min",
                                      "persons_median", "persons_max", "largest"])
    return out.sort_values(["count", "persons_max"], ascending=False,
                           kind="stable").reset_index(drop=True)


@_styled
def raised_sets(frame: pd.DataFrame, level_names: Sequence[str], title: str,
                top: int = 25, lang: str = "en") -> Figure:
    """Combinations heavier than their members, grouped: which level jumps, how many, how large.

    ``frame`` is :func:`bulkimpact.combinations.exposure_sets_frame` output.
    Sets that make the same jump (highest member level → level of the
    combination) and are of the same kind share one row (:func:`raised_groups`):
    left, the jump, with the number of combinations; right, the linked persons
    of each combination (one dot each, log scale), the largest named. At most
    ``top`` rows, the largest groups first.

    Examples
    --------
    >>> f = pd.DataFrame({"members": ["a, b"], "member_level": [1], "level": [3],
    ...                   "persons": [10.0], "raised": [True], "kind": ["edge"]})
    >>> raised_sets(f, ["o", "l", "m", "h"], "One set").axes[0].get_xlabel()
    'access regime (level)'
    """
    t = translator(lang)
    names = [level_name(n, lang) for n in level_names]
    groups = raised_groups(frame).head(top)
    raised = frame[frame["raised"]]
    rows = len(groups)
    fig, (ax1, ax2) = _subplots(1, 2, figsize=(12, 1.0 * max(rows, 1) + 2.6), sharey=True,
                                width_ratios=[1.0, 1.3])
    y = np.arange(rows)[::-1]  # largest group on top
    most = max(int(groups["count"].max()) if rows else 1, 1)
    for yi, g in zip(y, groups.itertuples(), strict=True):
        ax1.plot([g.member_level, g.level], [yi, yi], color="#999999", zorder=1,
                 linewidth=2 + 10 * g.count / most, solid_capstyle="butt")
        ax1.scatter([g.member_level], [yi], s=110, color=LEVEL_COLOURS[g.member_level],
                    edgecolor="#333333", zorder=3)
        ax1.scatter([g.level], [yi], s=200, marker="D", color=LEVEL_COLOURS[g.level],
                    edgecolor="#333333", zorder=3)
        ax1.annotate(t.number(g.count), ((g.member_level + g.level) / 2, yi), ha="center",
                     va="bottom", textcoords="offset points", xytext=(0, 8), fontsize=11,
                     fontweight="bold")
        part = raised[(raised["member_level"] == g.member_level) & (raised["level"] == g.level)
                      & (raised["kind"] == g.kind)]["persons"].to_numpy(dtype=float)
        rng = np.random.default_rng(len(part))  # fixed jitter: identical reruns
        jitter = (rng.random(len(part)) - 0.5) * 0.4 if len(part) > 1 else np.zeros(len(part))
        ax2.scatter(np.maximum(part, 1.0), yi + jitter, s=28, color=LEVEL_COLOURS[g.level],
                    edgecolor="#333333", linewidth=0.5, alpha=0.85, zorder=3)
        # TRANSLATORS: the largest combination of a row; {members} "a + b", {persons} a number.
        largest = (_fig(lang, NP_("figure", "largest: {members} ({persons})")) if g.count > 1
                   else "{members} ({persons})").format(
            members=g.largest.replace(", ", " + "), persons=t.number(g.persons_max))
        ax2.annotate(largest,
                     (max(g.persons_max, 1.0), yi + 0.27), ha="right", va="bottom",
                     fontsize=9, color="#333333")
    labels = [f"{kind_name(g.kind, lang)}\n{g.member_level} {names[g.member_level]}"
              f" → {g.level} {names[g.level]}" for g in groups.itertuples()]
    ax1.set_yticks(y, labels)
    ax1.set_ylim(-0.7, max(rows, 1) - 0.2)
    import textwrap

    ax1.set_xticks(range(len(names)), [
        f"{i}\n" + "\n".join(textwrap.wrap(n, 10, break_long_words=False))
        for i, n in enumerate(names)])
    ax1.set_xlim(-0.3, len(names) - 0.7)
    ax1.set_xlabel(_fig(lang, NP_("figure", "access regime (level)")))
    ax1.grid(axis="x", alpha=0.3)
    ax2.set_xscale("log")
    if rows:
        lo, hi = max(groups["persons_min"].min(), 1.0), max(groups["persons_max"].max(), 10.0)
        ax2.set_xlim(lo / 3, hi * 2)
    ax2.set_xlabel(_fig(lang, NP_("figure", "linked persons in each combination (log scale)")))
    ax2.grid(axis="x", alpha=0.3, which="major")
    ax2.tick_params(axis="y", left=False)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor="#FFFFFF",
                      markeredgecolor="#333333",
                      label=_fig(lang, NP_("figure", "highest level of a member alone"))),
               Line2D([], [], marker="D", linestyle="", markersize=10, markerfacecolor="#FFFFFF",
                      markeredgecolor="#333333",
                      label=_fig(lang, NP_("figure", "level of the combination"))),
               Line2D([], [], color="#999999", linewidth=6,
                      label=_fig(lang, NP_("figure",
                                           "number of combinations (bold; line width)")))]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    fig.suptitle("\n".join(textwrap.wrap(title, 105)), x=0.01, ha="left", fontsize=13,
                 fontweight="bold")
    height = fig.get_figheight()
    fig.tight_layout(rect=(0, 0.45 / height, 1, 1))
    return fig


def regimes_alt(regimes: pd.DataFrame, level_names: Sequence[str],
                own: str = "own_level", lang: str = "en") -> str:
    """Alt text for :func:`regime_heatmap`: per rule, how many datasets it raises, and to what.

    Examples
    --------
    >>> r = pd.DataFrame({"own_level": [1, 2], "component": [3, 3]}, index=["a", "b"])
    >>> print(regimes_alt(r, ["outside regime", "light", "medium", "heavy"]))
    Heat map of the regime level of 2 datasets under each rule (own level first). whole
    component: raises 2 datasets (a to 3 heavy, b to 3 heavy).
    >>> print(regimes_alt(r, ["outside regime", "light", "medium", "heavy"], lang="nl"))
    Kleurentabel van het regime van 2 bulkdatasets onder elke regel (eigen niveau eerst). hele
    component: plaatst 2 bulkdatasets zwaarder (a naar 3 zwaar, b naar 3 zwaar).
    """
    t = translator(lang)

    def datasets(n: int) -> str:
        return t.ngettext("{n} dataset", "{n} datasets", n).format(n=t.number(n))

    parts = []
    for rule in (c for c in regimes.columns if c != own):
        up = regimes[regimes[rule] > regimes[own]]
        if up.empty:
            parts.append(_fig(lang, NP_("figure", "{rule}: raises none")).format(
                rule=rule_name(rule, lang)))
        else:
            to = _fig(lang, NP_("figure", "{dataset} to {level}"))
            targets = up[rule].value_counts().sort_index()
            # A few datasets by name; many by how many go to each level.
            raised = ([to.format(dataset=d, level=f"{v} {level_name(level_names[v], lang)}")
                       for d, v in up[rule].items()] if len(up) <= 5 else
                      [to.format(dataset=t.number(n),
                                 level=f"{v} {level_name(level_names[v], lang)}")
                       for v, n in targets.items()])
            parts.append(_fig(lang, NP_("figure", "{rule}: raises {datasets} ({raised})")).format(
                rule=rule_name(rule, lang), datasets=datasets(len(up)), raised=", ".join(raised)))
    return _fig(lang, NP_("figure", "Heat map of the regime level of {datasets} under each rule "
                                    "(own level first).")).format(
        datasets=datasets(len(regimes))) + " " + "; ".join(parts) + "."


@_styled
def regime_heatmap(regimes: pd.DataFrame, level_names: Sequence[str], title: str,
                   own: str = "own_level", lang: str = "en") -> Figure:
    """Datasets (rows) × decision rules (columns), colour and number = regime level.

    ``regimes`` is :meth:`bulkimpact.evaluate.Evaluation.regimes` output (or a
    selection of its rows): the own level (column ``own``) comes first, set
    apart; a cell a rule raises above the dataset's own level has an outline,
    a bold number and an arrow, so escalations read without comparing
    colours. Rows raised by the most rules come first. Rules, levels and
    legend are named in `lang`.

    Examples
    --------
    >>> r = pd.DataFrame({"own_level": [1, 2], "per_dataset": [1, 2], "component": [3, 3]},
    ...                  index=pd.Index(["a", "b"], name="dataset"))
    >>> fig = regime_heatmap(r, ["outside", "light", "medium", "heavy"], "Component raises both")
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['own level', 'per dataset', 'whole\\ncomponent']
    >>> fig = regime_heatmap(r, ["outside", "light", "medium", "heavy"], "Beide", lang="nl")
    >>> fig.axes[0].get_xticklabels()[0].get_text()
    'eigen niveau'
    """
    import textwrap

    from matplotlib.colors import ListedColormap

    columns = [own] + [c for c in regimes.columns if c != own]
    # Rows raised by the most rules first; the same pattern of rules together.
    up = regimes[columns[1:]].gt(regimes[own], axis=0)
    order = sorted(range(len(regimes)), key=lambda i: (
        -int(up.iloc[i].sum()), tuple(~up.iloc[i].to_numpy()), int(regimes[own].iloc[i]),
        str(regimes.index[i])))
    regimes = regimes.iloc[order]
    data = regimes[columns].to_numpy(dtype=int)
    n_rows, n_cols = data.shape
    name_width = max((len(str(i)) for i in regimes.index), default=10)
    width = min(14.0, 1.2 + 0.075 * name_width + 1.3 * n_cols + 2.6)
    fig, ax = _subplots(figsize=(width, 0.3 * n_rows + 2.2))
    levels = len(level_names)
    ax.imshow(data, cmap=ListedColormap(LEVEL_COLOURS[:levels]), vmin=-0.5,
              vmax=levels - 0.5, aspect="auto", interpolation="nearest")
    raised = data > data[:, [0]]
    for x in np.arange(n_cols + 1) - 0.5:  # white grid between cells
        ax.axvline(x, color="#FFFFFF", linewidth=1.5, zorder=2)
    for y in np.arange(n_rows + 1) - 0.5:
        ax.axhline(y, color="#FFFFFF", linewidth=1.5, zorder=2)
    ax.axvline(0.5, color="#333333", linewidth=2.5, zorder=3)  # own level apart from the rules
    for i in range(n_rows):
        for j in range(n_cols):
            v = data[i, j]
            ax.text(j, i, f"{v} ↑" if raised[i, j] else str(v), ha="center", va="center",
                    fontsize=10, color="#FFFFFF" if v >= 4 else "#000000",  # darkest colours
                    fontweight="bold" if raised[i, j] else "normal", zorder=4)
            if raised[i, j]:
                ax.add_patch(Rectangle((j - 0.42, i - 0.36), 0.84, 0.72, fill=False,
                                       edgecolor="#000000", linewidth=1.3, zorder=3))
    ax.set_xticks(range(n_cols), ["\n".join(textwrap.wrap(name, 12, break_long_words=False))
                                  for name in [
        _fig(lang, NP_("figure", "own level")), *(rule_name(str(c), lang) for c in columns[1:])]],
        fontsize=10)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0)
    ax.set_yticks(range(n_rows), [str(i) for i in regimes.index], fontsize=10)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    handles = [Rectangle((0, 0), 1, 1, facecolor=LEVEL_COLOURS[i], edgecolor="#333333",
                         label=f"{i} {level_name(name, lang)}")
               for i, name in enumerate(level_names)]
    handles.append(Rectangle((0, 0), 1, 1, fill=False, edgecolor="#000000", linewidth=1.3,
                             label=_fig(lang, NP_("figure", "↑ raised above its own level"))))
    ax.legend(handles=handles, title=_fig(lang, NP_("figure", "regime level")), loc="upper left",
              bbox_to_anchor=(1.02, 1.0), frameon=False)
    fig.suptitle(textwrap.fill(title, int(7.5 * width)), x=0.01, ha="left", fontsize=13,
                 fontweight="bold")
    fig.tight_layout()
    return fig


_AXIS_LABELS = {key: m.axis for key, m in METRICS.items() if m.axis}


def _axis_label(metric: str, lang: str = "en") -> str:
    """An axis label of :data:`_AXIS_LABELS` in the language (the id when unknown)."""
    return _fig(lang, _AXIS_LABELS[metric]) if metric in _AXIS_LABELS else metric


def _frontier_panel(ax, frame: pd.DataFrame, pareto: Sequence[str], x: str, y: str,
                    lang: str = "en") -> None:
    """One reading: every rule as a marker, the Pareto rules joined by a step line.

    Rules at the same point are drawn side by side (a small horizontal dodge in
    points, so the axis values stay exact) and share one label "a = b".
    """
    from matplotlib.transforms import offset_copy

    groups = frame.groupby([frame[x].round(9), frame[y].round(9)], sort=True)
    xspan = max(float(frame[x].max() - frame[x].min()), 1e-9)
    placed: list[tuple[float, float]] = []
    for (px, py), part in groups:
        names = list(part.index)
        for i, name in enumerate(names):
            shift = (i - (len(names) - 1) / 2) * 11  # points
            at = offset_copy(ax.transData, fig=ax.figure, x=shift, y=0, units="points")
            ax.scatter([px], [py], s=150, transform=at, zorder=3,
                       color=POLICY_COLOURS.get(name, "#000000"),
                       marker=POLICY_MARKERS.get(name, "o"), edgecolor="#222222",
                       linewidth=2.2 if name in pareto else 0.6)
        on_front = [n for n in names if n in pareto]
        if on_front:  # only the frontier is labelled; the legend names every marker
            lift = sum(1 for qx, qy in placed if abs(qx - px) < 0.25 * xspan and qy == py)
            placed.append((px, py))
            ax.annotate(" = ".join(rule_name(n, lang) for n in on_front), (px, py),
                        textcoords="offset points",
                        xytext=(8 + 6 * len(names), 8 + 16 * lift), fontsize=10,
                        fontweight="bold")
    front = frame.loc[list(pareto)].sort_values([x, y])
    if len(front) > 1:
        ax.step(front[x], front[y], where="post", color="#555555", linewidth=1,
                linestyle="--", zorder=1)
    ax.set_xlim(left=-0.05 * max(frame[x].max(), 1), right=max(frame[x].max() * 1.45, 1))
    ax.set_ylim(bottom=-0.08 * max(frame[y].max(), 1), top=max(frame[y].max() * 1.2, 1))
    ax.grid(alpha=0.3)


def policy_frontier(frame: pd.DataFrame, title: str, x: str = "total_burden",
                    y: str = "under_protected", pareto: Sequence[str] = (),
                    lang: str = "en") -> Figure:
    """Each policy as a point: burden (x) against under-protection (y), the frontier joined.

    ``frame`` is :meth:`bulkimpact.evaluate.Evaluation.to_frame` output;
    ``pareto`` the rules on the frontier (:attr:`~bulkimpact.evaluate.Evaluation.pareto`).

    Examples
    --------
    >>> f = pd.DataFrame({"total_burden": [0, 5], "under_protected": [4, 0]},
    ...                  index=["per_dataset", "component"])
    >>> fig = policy_frontier(f, "Trade-off", pareto=["per_dataset", "component"])
    >>> fig.axes[0].get_ylabel().replace(chr(10), " ")
    'under-protected combinations'
    """
    return frontier_by_reading({"": frame}, {"": tuple(pareto)}, title, x=x, y=y, lang=lang)


@_styled
def frontier_by_reading(frames: Mapping[str, pd.DataFrame], pareto: Mapping[str, Sequence[str]],
                        title: str, x: str = "total_burden",
                        y: str = "under_protected", lang: str = "en") -> Figure:
    """One panel per openness reading: every rule's burden against its under-protection.

    Rules on the frontier (no other rule is better on both) have a heavy
    outline, are labelled "(frontier)" and joined by a dashed step line.
    Panels share both axes, so readings compare at a glance.

    Examples
    --------
    >>> f = pd.DataFrame({"total_burden": [0.0, 5.0, 5.0], "under_protected": [4, 0, 0]},
    ...                  index=["per_dataset", "component", "k_hop"])
    >>> fig = frontier_by_reading({"services": f, "ctivd": f},
    ...                           {"services": ["per_dataset"], "ctivd": ["per_dataset"]}, "T")
    >>> [ax.get_title() for ax in fig.axes]
    ["services' reading", 'CTIVD reading']
    >>> fig = frontier_by_reading({"ctivd": f}, {"ctivd": ["per_dataset"]}, "T", lang="nl")
    >>> fig.axes[0].get_title(), fig.axes[0].get_ylabel().replace(chr(10), " ")
    ('lezing van de CTIVD', 'onvoldoende beschermde combinaties')
    """
    import textwrap

    # At most 13 inches: shown at page width (~1170 px), 9-point text stays above 11 px.
    width = 9.0 if len(frames) == 1 else min(4.2 * len(frames) + 0.6, 13.0)
    fig, axes = _subplots(1, len(frames), figsize=(width, 5.8 if len(frames) > 1 else 4.8),
                          sharex=True, sharey=True, squeeze=False)
    for i, (ax, (reading, frame)) in enumerate(zip(axes[0], frames.items(), strict=True)):
        _frontier_panel(ax, frame, pareto.get(reading, ()), x, y, lang)
        # shared axes: the burden named once, under the middle panel; the count at the left
        if i == len(frames) // 2:
            ax.set_xlabel(textwrap.fill(_axis_label(x, lang), 70))
        if i == 0:  # on two lines in a single, lower panel
            ax.set_ylabel(textwrap.fill(_axis_label(y, lang), 26 if len(frames) == 1 else 80))
        if reading:
            ax.set_title(reading_name(reading, lang), fontsize=12)
    # shared axes: limits that hold every reading's points (each panel set its own)
    x_top = max(max(float(f[x].max()) for f in frames.values()), 1)
    y_top = max(max(float(f[y].max()) for f in frames.values()), 1)
    axes[0][0].set_xlim(left=-0.05 * x_top, right=x_top * 1.45)
    axes[0][0].set_ylim(bottom=-0.08 * y_top, top=y_top * 1.2)
    fig.suptitle(textwrap.fill(title, int(8 * width)), x=0.01, ha="left", fontsize=13,
                 fontweight="bold")
    names = list(dict.fromkeys(n for frame in frames.values() for n in frame.index))
    handles = [Line2D([], [], marker=POLICY_MARKERS.get(n, "o"), linestyle="", markersize=10,
                      markerfacecolor=POLICY_COLOURS.get(n, "#000000"),
                      markeredgecolor="#222222", label=rule_name(n, lang)) for n in names]
    handles.append(Line2D([], [], color="#555555", linestyle="--",
                          label=_fig(lang, NP_("figure", "frontier (heavy outline): no rule "
                                                         "better on both"))))
    columns = min(len(handles), 4 if width > 10 else 3)
    fig.legend(handles=handles, loc="lower center", ncol=columns, frameon=False, fontsize=10)
    rows = -(-len(handles) // columns)
    # in the last panel's top right corner, which a frontier leaves empty (dominated)
    axes[0][-1].text(0.99, 0.98, _fig(lang, NP_("figure", "better: towards the bottom left")),
                     transform=axes[0][-1].transAxes, ha="right", va="top", fontsize=10,
                     color="#555555")
    fig.tight_layout(rect=(0, 0.06 * rows + 0.02, 1, 0.97))
    return fig


def _coincident_groups(values: Mapping[str, float]) -> list[list[str]]:
    """Names whose values are equal (to 9 significant places), in the given order."""
    groups: dict[float, list[str]] = {}
    for name, v in values.items():
        if np.isfinite(v):
            groups.setdefault(float(f"{v:.9g}"), []).append(name)
    return list(groups.values())


def _dodged_lines(ax, x: np.ndarray, series: Mapping[str, np.ndarray], dash: float = 5.0,
                  step: float = 8.0) -> None:
    """One line per rule, drawn so that rules with equal values stay visible.

    A segment that several rules share is drawn once per rule with interleaved
    dashes (their colours alternate along it); markers at an equal point sit
    side by side, ``step`` points apart horizontally. Values stay exact: only
    the drawing is offset, in points, never the data.
    """
    from matplotlib.transforms import offset_copy

    names = list(series)
    x = np.asarray(x, dtype=float)
    for k in range(len(x) - 1):  # segments
        ends = {n: (series[n][k], series[n][k + 1]) for n in names}
        shared: dict[tuple, list[str]] = {}
        for n, (a, b) in ends.items():
            if np.isfinite(a) and np.isfinite(b):
                shared.setdefault((float(f"{a:.9g}"), float(f"{b:.9g}")), []).append(n)
        for group in shared.values():
            g = len(group)
            for j, n in enumerate(group):
                style = "-" if g == 1 else (dash * j, (dash, dash * (g - 1)))
                ax.plot(x[k:k + 2], ends[n], color=POLICY_COLOURS.get(n, "#000"),
                        linewidth=2, linestyle=style, dash_capstyle="butt", zorder=2)
    groups = [_coincident_groups({n: series[n][k] for n in names}) for k in range(len(x))]
    widest = max((len(g) for gs in groups for g in gs), default=1)
    if len(x) > 1 and widest > 1:  # neighbouring points' markers must not meet either
        ax.autoscale_view()
        px = ax.transData.transform(np.column_stack([x, np.zeros_like(x)]))[:, 0]
        gap_pt = np.diff(np.sort(px)).min() * 72 / ax.figure.dpi
        step = float(np.clip(gap_pt / widest, 3.5, step))
    for k, xk in enumerate(x):  # markers
        for group in groups[k]:
            for j, n in enumerate(group):
                shift = (j - (len(group) - 1) / 2) * step
                at = offset_copy(ax.transData, fig=ax.figure, x=shift, y=0, units="points")
                ax.plot([xk], [series[n][k]], transform=at, linestyle="",
                        marker=POLICY_MARKERS.get(n, "o"), markersize=7,
                        color=POLICY_COLOURS.get(n, "#000"), markeredgecolor="#222222",
                        markeredgewidth=0.6, zorder=3)


def _policy_handles(names: Sequence[str], line: bool = False, lang: str | None = None) -> list:
    """Legend handles per rule: labelled by id, or by name in `lang` when given."""
    return [Line2D([], [], marker=POLICY_MARKERS.get(n, "o"), linestyle="-" if line else "",
                   markersize=8, color=POLICY_COLOURS.get(n, "#000000"),
                   markerfacecolor=POLICY_COLOURS.get(n, "#000000"), markeredgecolor="#222222",
                   label=n if lang is None else rule_name(n, lang)) for n in names]


def _locale_ticks(ax, lang: str, *axes: str) -> None:
    """Tick labels of linear axes with the language's decimal mark and thousands separator."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: significant(v, lang, 6) if v else "0")
    for name in axes or ("x", "y"):
        getattr(ax, f"{name}axis").set_major_formatter(fmt)


@_styled
def density_sweep(frame: pd.DataFrame, title: str, lang: str = "en") -> Figure:
    """Share of datasets escalated and under-protected sets against linkage density.

    ``frame``: sweep rows with ``density``, ``policy``, ``escalated``,
    ``n_datasets``, ``under_protected``, ``largest_component``. Rules with the
    same value are drawn side by side (see :func:`_dodged_lines`); words in `lang`.

    Examples
    --------
    >>> f = pd.DataFrame({"density": [0.1, 0.1, 0.2, 0.2], "policy": ["component", "k_hop"] * 2,
    ...                   "escalated": [1, 0, 3, 1], "n_datasets": 4, "under_protected": 0,
    ...                   "largest_component": [2, 2, 4, 4]})
    >>> len(density_sweep(f, "Sweep").axes)
    2
    >>> density_sweep(f, "Sweep", lang="nl").axes[0].get_xlabel()
    'koppeldichtheid (kans dat een bulkdataset een sleutel bevat)'
    """
    df = frame.assign(share=frame["escalated"] / frame["n_datasets"],
                      giant=frame["largest_component"] / frame["n_datasets"])
    mean = df.groupby(["density", "policy"])[["share", "under_protected", "giant"]].mean()
    fig, (ax1, ax2) = _subplots(1, 2, figsize=(13, 5.4), sharex=True)
    policies = list(mean.index.get_level_values("policy").unique())
    x = np.array(sorted(mean.index.get_level_values("density").unique()), dtype=float)
    wide = mean.unstack("policy").reindex(x)
    giant = mean.groupby("density")["giant"].first().reindex(x)
    ax1.plot(x, 100 * giant, color="#333333", linestyle="--", linewidth=1.5, zorder=1)
    _dodged_lines(ax1, x, {p: 100 * wide[("share", p)].to_numpy() for p in policies})
    _dodged_lines(ax2, x, {p: wide[("under_protected", p)].to_numpy() for p in policies})
    density = _fig(lang, NP_("figure", "linkage density (probability a dataset holds a key)"))
    ax1.set_xlabel(density)
    ax1.set_ylabel(_fig(lang, NP_("figure", "% of datasets (mean over scenarios)")))
    ax1.set_title(_fig(lang, NP_("figure", "Datasets escalated")), loc="left")
    ax2.set_xlabel(density)
    ax2.set_ylabel(_fig(lang, NP_("figure", "under-protected combinations (mean)")))
    ax2.set_title(_fig(lang, NP_("figure", "Combinations left under-protected")), loc="left")
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.margins(x=0.04, y=0.06)
        low, high = ax.get_ylim()
        if low < 0:  # counts and shares: no negative axis, even when every value is 0
            ax.set_ylim(-0.03 * max(high, 1.0), max(high, 1.0))
        _locale_ticks(ax, lang)
    handles = _policy_handles(policies, line=True, lang=lang) + [
        Line2D([], [], color="#333333", linestyle="--",
               label=_fig(lang, NP_("figure", "largest linked component (% of datasets)")))]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=10,
               bbox_to_anchor=(0.5, 0.045))
    fig.text(0.99, 0.005, _fig(lang, NP_("figure", "Rules with equal values: markers side by "
                                                   "side, lines in alternating dashes.")),
             ha="right", va="bottom", fontsize=9, color="#555555")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout(rect=(0, 0.17, 1, 0.97))
    return fig


@_styled
def robustness_intervals(summary: pd.DataFrame, metrics: Mapping[str, str],
                         title: str, lang: str = "en") -> Figure:
    """Median and interval per policy for a few metrics (``summarise_robustness`` output).

    Each rule has its own row (named in `lang`), marker shape and colour; an
    interval of zero width (the same value in every draw) is marked "same in
    every draw". ``metrics`` maps a metric to its axis label (in `lang`).

    Examples
    --------
    >>> cols = pd.MultiIndex.from_product([["escalated"], ["low", "median", "high"]])
    >>> s = pd.DataFrame([[1.0, 2.0, 3.0]], index=["k_hop"], columns=cols)
    >>> len(robustness_intervals(s, {"escalated": "datasets escalated"}, "R").axes)
    1
    >>> fig = robustness_intervals(s, {"escalated": "opgehoogd"}, "R", lang="nl")
    >>> fig.axes[0].get_yticklabels()[0].get_text()
    'buren tot k stappen'
    """
    fig, axes = _subplots(1, len(metrics), figsize=(6.2 * len(metrics), 0.55 * len(summary) + 2),
                          sharey=True, squeeze=False)
    policies = list(summary.index)
    y = np.arange(len(policies))
    same = _fig(lang, NP_("figure", "same in every draw"))
    for ax, (metric, label) in zip(axes[0], metrics.items(), strict=True):
        med = summary[(metric, "median")]
        lo, hi = summary[(metric, "low")], summary[(metric, "high")]
        top = max(float(hi.max()), 1e-9)
        for i, p in enumerate(policies):
            colour = POLICY_COLOURS.get(p, "#000")
            ax.errorbar(med[p], i, xerr=[[med[p] - lo[p]], [hi[p] - med[p]]], fmt="none",
                        ecolor=colour, capsize=5, linewidth=1.8)
            ax.plot([med[p]], [i], linestyle="", marker=POLICY_MARKERS.get(p, "o"),
                    markersize=9, color=colour, markeredgecolor="#222222", zorder=3)
            if hi[p] - lo[p] <= 1e-9 * top:
                ax.annotate(same, (med[p], i), textcoords="offset points",
                            xytext=(9, 0), va="center", fontsize=9, color="#555555")
        ax.set_yticks(y, [rule_name(p, lang) for p in policies])
        ax.set_ylim(len(policies) - 0.4, -0.6)  # the first rule on top
        ax.set_xlim(-0.04 * top, 1.15 * top)
        ax.set_xlabel(label)
        ax.grid(axis="x", alpha=0.3)
        _locale_ticks(ax, lang, "x")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout()
    return fig


@_styled
def tornado(table: pd.DataFrame, quantities: Mapping[str, str], title: str,
            lang: str = "en") -> Figure:
    """One panel per headline quantity: how far each assumption's range moves it.

    ``table`` is :func:`bulkimpact.sensitivity.tornado` output; ``quantities``
    maps a quantity to its axis label (in `lang`). Each bar runs from the value
    at the assumption's low end (light) to its high end (dark); the vertical
    line is the value as stated; the widest swing is on top. Assumptions are
    named in `lang` (:func:`bulkimpact.present.names.assumption_name`).

    Examples
    --------
    >>> t = pd.DataFrame({"assumption": ["stated", "a", "a"], "label": ["", "A", "A"],
    ...                   "end": ["stated", "low", "high"], "q": [2.0, 1.0, 4.0]})
    >>> tornado(t, {"q": "quantity"}, "T").axes[0].get_xlabel()
    'quantity'
    """

    stated = table[table["end"] == "stated"].iloc[0]
    varied = table[table["end"] != "stated"]
    names = {r["label"]: (assumption_name(r["assumption"], lang)
                          if r["assumption"] in ASSUMPTION_NAMES else r["label"])
             for _, r in varied.iterrows()}
    import textwrap

    columns = 1  # one panel a row: assumption names are long, in Dutch longer still
    rows = len(quantities)
    bars = varied["label"].nunique()
    fig, axes = _subplots(rows, columns, figsize=(11.0, (0.42 * bars + 1.3) * rows + 1.0),
                          squeeze=False)
    for ax in axes.flat[len(quantities):]:
        ax.set_visible(False)
    colours = {"low": "#9ECAE1", "high": "#08519C"}
    for ax, (q, label) in zip(axes.flat, quantities.items(), strict=False):
        wide = varied.pivot(index="label", columns="end", values=q).astype(float)
        wide = wide.loc[(wide["high"] - wide["low"]).abs().sort_values(kind="stable").index]
        base = float(stated[q])
        for j, (_name, row) in enumerate(wide.iterrows()):
            # The longer bar first, so a shorter one on the same side stays visible on top.
            for end in sorted(("low", "high"), key=lambda e: -abs(row[e] - base)):
                ax.barh(j, row[end] - base, left=base, color=colours[end],
                        edgecolor="#333333", height=0.6)
        ax.axvline(base, color="#000000", linewidth=1)
        ax.set_yticks(np.arange(len(wide)), [textwrap.fill(names.get(n, n), 46)
                                             for n in wide.index], fontsize=9)
        ax.set_xlabel(label)
        ax.grid(axis="x", alpha=0.3)
        _locale_ticks(ax, lang, "x")
    handles = [Rectangle((0, 0), 1, 1, color="#9ECAE1", ec="#333333",
                         label=_fig(lang, NP_("figure", "low end of the range"))),
               Rectangle((0, 0), 1, 1, color="#08519C", ec="#333333",
                         label=_fig(lang, NP_("figure", "high end of the range"))),
               Line2D([], [], color="#000000", label=_fig(lang, NP_("figure", "as stated")))]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    fig.suptitle(textwrap.fill(title, 90), x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout(rect=(0, 0.45 / fig.get_figheight(), 1, 0.97))
    return fig


@_styled
def exact_vs_estimated(frame: pd.DataFrame, x: str, y: str, title: str,
                       label: str = "edge", lang: str = "en") -> Figure:
    """Scatter of estimated (x) against exactly counted (y) values, log axes, identity line.

    Axes are named by the columns' headings in `lang`
    (:data:`bulkimpact.present.tables.COLUMNS`).

    Examples
    --------
    >>> f = pd.DataFrame({"est": [10.0, 100.0], "exact": [12.0, 95.0], "edge": ["a", "b"]})
    >>> exact_vs_estimated(f, "est", "exact", "Close").axes[0].get_xscale()
    'log'
    >>> f = f.rename(columns={"est": "links_expected", "exact": "links_exact"})
    >>> exact_vs_estimated(f, "links_expected", "links_exact", "Dicht", lang="nl"
    ...                    ).axes[0].get_ylabel()
    'geteld in de synthetische wereld: koppelingen geteld (log-schaal)'
    """
    from .tables import heading

    data = frame[(frame[x] > 0) & (frame[y] > 0)]
    fig, ax = _subplots(figsize=(7, 6))
    ax.scatter(data[x], data[y], s=50, color="#0072B2", edgecolor="#333333", zorder=3)
    lo = min(data[x].min(), data[y].min()) if len(data) else 1
    hi = max(data[x].max(), data[y].max()) if len(data) else 10
    ax.plot([lo / 2, hi * 2], [lo / 2, hi * 2], color="#D55E00", linestyle="--",
            label=_fig(lang, NP_("figure", "counted = estimated")))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(_fig(lang, NP_("figure", "estimated: {what} (log scale)")).format(
        what=heading(x, lang).replace("_", " ")))
    ax.set_ylabel(_fig(lang, NP_("figure", "counted in the synthetic world: {what} "
                                           "(log scale)")).format(
        what=heading(y, lang).replace("_", " ")))
    ax.legend(frameon=False)
    ax.grid(alpha=0.3, which="both")
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig
