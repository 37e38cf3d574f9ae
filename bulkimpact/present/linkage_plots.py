"""The linkage graph as a figure, every label placed where it overlaps nothing, and the
links each key carries.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .figures import LEVEL_COLOURS, figure_words, level_legend, styled, subplots
from .i18n import NP_, translator

__all__ = ["NODE_LABEL_GID", "linkage_graph", "links_by_channel"]


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


@styled
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
    fig, ax = subplots(figsize=(width, height))
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
    level_legend(ax, level_names, lang, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title, loc="left")
    note = figure_words(lang, NP_("figure", "Node size: persons in the dataset. Line width: link "
                                            "strength (expected links / smaller set)."))
    linked = [c for c in nx.connected_components(G) if len(c) > 1]
    if len(linked) > 1 and max(map(len, linked)) > 6:
        note += " " + figure_words(lang, NP_("figure", "Right: smaller linked groups."))
    if isolated:
        note += " " + figure_words(lang, NP_("figure", "Bottom: datasets with no link."))
    if key:
        note += "\n" + figure_words(lang, NP_("figure", "Numbered nodes: {key}")).format(
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


@styled
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
    qi_label = figure_words(lang, NP_("figure", "quasi-identifiers: {qis}"))
    for *_, e in G.edges(data=True):
        channels = e["keys"] + ([qi_label.format(qis="+".join(e["qis"]))] if e["qis"] else [])
        for ch in channels:
            edges[ch] = edges.get(ch, 0.0) + 1
            persons[ch] = persons.get(ch, 0.0) + e["expected_links"]
    order = edges.sort_values().index
    fig, (ax1, ax2) = subplots(1, 2, figsize=(11, max(3, 0.45 * len(order) + 1.5)),
                                   sharey=True)
    bars = ax1.barh(order, edges[order], color="#0072B2")
    ax1.bar_label(bars, labels=[translator(lang).number(v) for v in edges[order]], padding=3,
                  fontsize=9)
    ax1.set_xlabel(figure_words(lang, NP_("figure", "links (edges) carried")))
    ax2.barh(order, persons[order], color="#E69F00")
    ax2.set_xscale("log")
    import textwrap

    ax2.set_xlabel("\n".join(textwrap.wrap(figure_words(lang, NP_(
        "figure", "expected linked persons (sum over links, log scale)")), 42)))
    ax1.set_title(title, loc="left")
    fig.tight_layout()
    return fig
