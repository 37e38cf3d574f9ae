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

__all__ = [
    "LEVEL_COLOURS",
    "POLICY_COLOURS",
    "figure_html",
    "show_figure",
    "levels_by_variant",
    "levels_alt",
    "linkage_graph",
    "links_by_channel",
    "raised_sets",
    "policy_frontier",
    "frontier_by_reading",
    "density_sweep",
    "robustness_intervals",
    "tornado",
    "break_even",
    "exact_vs_estimated",
]

# Okabe–Ito palette (colour-blind safe); levels ordered light → dark.
LEVEL_COLOURS = ["#D9D9D9", "#56B4E9", "#E69F00", "#D55E00", "#882255", "#332288"]
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
    title = _figure_title(fig)
    if title and not alt.startswith(title):
        alt = f"{title}. {alt}"  # the finding first, for screen readers and search
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="bulkimpact-figure" style="margin:1em 0">'
            f'<img style="max-width:100%" alt="{html.escape(alt, quote=True)}" '
            f'src="data:image/png;base64,{data}"/>{cap}</figure>')


def show_figure(fig: Figure, alt: str, caption: str = "") -> None:
    """Display a figure in a notebook (as :func:`figure_html`) and close it."""
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, alt, caption)))


def _level_legend(ax, level_names: Sequence[str], **kwargs) -> None:
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10,
                      markerfacecolor=LEVEL_COLOURS[i], markeredgecolor="#333333",
                      label=f"{i} {name}") for i, name in enumerate(level_names)]
    ax.legend(handles=handles, title="level on its own", frameon=False, **kwargs)


@_styled
def levels_by_variant(counts: pd.DataFrame, title: str) -> Figure:
    """Grouped bars: datasets per level (rows) under each openness variant (columns).

    Examples
    --------
    >>> c = pd.DataFrame({"services": [1, 5, 2], "ctivd": [1, 2, 5]},
    ...                  index=["0 outside", "1 light", "2 medium"])
    >>> levels_by_variant(c, "More sets are medium under the CTIVD reading").axes[0].get_ylabel()
    'datasets'
    """
    fig, ax = _subplots(figsize=(8, 4.2))
    width = 0.8 / max(len(counts.columns), 1)
    x = np.arange(len(counts.index))
    hatches = ["", "//", "..", "xx"]
    for i, variant in enumerate(counts.columns):
        bars = ax.bar(x + i * width - 0.4 + width / 2, counts[variant], width,
                      label=variant, color=LEVEL_COLOURS[1 + i % 4], edgecolor="#333333",
                      hatch=hatches[i % len(hatches)])
        ax.bar_label(bars, fontsize=10)
    ax.set_xticks(x, counts.index)
    ax.set_xlabel("access regime (level) of the dataset on its own")
    ax.set_ylabel("datasets")
    ax.set_title(title, loc="left")
    ax.legend(title="openness reading", frameon=False)
    fig.tight_layout()
    return fig


def levels_alt(counts: pd.DataFrame) -> str:
    """Alt text for :func:`levels_by_variant`: every bar's count in words.

    Examples
    --------
    >>> print(levels_alt(pd.DataFrame({"ctivd": [1, 2]}, index=["0 outside", "1 light"])))
    Grouped bar chart of datasets per level for each openness reading:
    ctivd: 1 at 0 outside, 2 at 1 light
    """
    return "Grouped bar chart of datasets per level for each openness reading: " + "; ".join(
        f"{v}: " + ", ".join(f"{counts.loc[i, v]} at {i}" for i in counts.index)
        for v in counts.columns)


def _graph_layout(G: nx.Graph, seed: int) -> dict:
    """Readable layout: the largest component large on the left, smaller components
    stacked on the right, datasets without a link in rows underneath.

    Each component is laid out on its own (Kamada–Kawai, seeded spring layout as its
    start), so a few small components cannot squash the large one into a corner.
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
        span = np.ptp(xy, axis=0)
        span[span == 0] = 1.0
        xy = (xy - xy.min(axis=0)) / span
        if len(nodes) > 8:
            # Dense cores crowd their labels: blend in rank coordinates, which keep the
            # left-right and up-down order but spread the points evenly.
            ranks = xy.argsort(axis=0).argsort(axis=0) / (len(nodes) - 1)
            xy = 0.4 * xy + 0.6 * ranks
        for n, (x, y) in zip(nodes, xy, strict=True):
            pos[n] = np.array([x0 + 0.08 * width + 0.84 * width * x,
                               y0 + 0.08 * height + 0.84 * height * y])

    if components:
        main_width = 0.72 if len(components) > 1 else 1.0
        place(components[0], 0.0, 0.0, main_width, 1.0)
        rest = components[1:]
        total = sum(len(c) for c in rest) or 1
        y = 1.0
        for comp in rest:
            height = max(0.12, len(comp) / total)
            y -= height
            place(comp, main_width + 0.02, max(y, 0.0), 1.0 - main_width - 0.02, height)
    cols = max(5, min(len(isolated), 8))
    for i, n in enumerate(isolated):
        pos[n] = np.array([0.06 + 0.88 * (i % cols) / max(cols - 1, 1),
                           -0.12 - 0.1 * (i // cols)])
    return pos


@_styled
def linkage_graph(G: nx.Graph, level_names: Sequence[str], title: str, seed: int = 0,
                  label: bool = True) -> Figure:
    """The linkage graph: colour = level on its own, size = persons, width = link strength.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph
    >>> fig = linkage_graph(toy_graph(), ["outside", "light", "medium", "heavy"], "Toy")
    >>> fig.axes[0].get_title(loc="left")
    'Toy'
    """
    n = G.number_of_nodes()
    # Reports show figures at page width (~1200 px): a wider figure only shrinks its labels.
    side = min(13, max(9, 0.15 * n + 6))
    fig, ax = _subplots(figsize=(side, side * 0.8))
    pos = _graph_layout(G, seed)
    persons = np.array([G.nodes[v]["persons"] for v in G], dtype=float)
    sizes = 50 + 700 * np.sqrt(persons / max(persons.max(), 1.0))
    colours = [LEVEL_COLOURS[G.nodes[v]["level"]] for v in G]
    strengths = np.array([e.get("strength", 0.0) for *_, e in G.edges(data=True)])
    widths = 0.6 + 4.0 * np.sqrt(strengths / strengths.max()) if len(strengths) else []
    nx.draw_networkx_edges(G, pos, ax=ax, width=widths, edge_color="#8A8A8A", alpha=0.45)
    nx.draw_networkx_nodes(G, pos, ax=ax, node_size=sizes, node_color=colours,
                           edgecolors="#333333", linewidths=0.8)
    if label:
        nx.draw_networkx_labels(
            G, {k: (x, y - 0.022) for k, (x, y) in pos.items()}, ax=ax, font_size=10,
            verticalalignment="top",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    _level_legend(ax, level_names, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title, loc="left")
    ax.text(0.0, -0.01, "Node size: persons in the dataset. Line width: link strength "
            "(expected links / smaller set). Right: smaller linked groups. "
            "Bottom rows: datasets with no link.",
            transform=ax.transAxes, fontsize=10, va="top")
    ax.set_axis_off()
    fig.tight_layout()
    return fig


@_styled
def links_by_channel(G: nx.Graph, title: str) -> Figure:
    """Horizontal bars: links and expected linked persons per key namespace or QI set.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph
    >>> links_by_channel(toy_graph(), "E-mail and device").axes[0].get_xlabel()
    'links (edges) carried'
    """
    edges = pd.Series({}, dtype=float)
    persons = pd.Series({}, dtype=float)
    for *_, e in G.edges(data=True):
        channels = e["keys"] + (["QIs: " + "+".join(e["qis"])] if e["qis"] else [])
        for ch in channels:
            edges[ch] = edges.get(ch, 0.0) + 1
            persons[ch] = persons.get(ch, 0.0) + e["expected_links"]
    order = edges.sort_values().index
    fig, (ax1, ax2) = _subplots(1, 2, figsize=(11, max(3, 0.45 * len(order) + 1.5)),
                                   sharey=True)
    ax1.barh(order, edges[order], color="#0072B2")
    ax1.set_xlabel("links (edges) carried")
    ax2.barh(order, persons[order], color="#E69F00")
    ax2.set_xscale("log")
    ax2.set_xlabel("expected linked persons (sum over edges, log scale)")
    ax1.set_title(title, loc="left")
    fig.tight_layout()
    return fig


@_styled
def raised_sets(frame: pd.DataFrame, level_names: Sequence[str], title: str,
                top: int = 25) -> Figure:
    """Dumbbells: highest member level → cumulative level, for sets raised by combining.

    ``frame`` is :func:`bulkimpact.combinations.exposure_sets_frame` output.

    Examples
    --------
    >>> f = pd.DataFrame({"members": ["a, b"], "member_level": [1], "level": [3],
    ...                   "persons": [10.0], "raised": [True], "kind": ["edge"]})
    >>> raised_sets(f, ["o", "l", "m", "h"], "One set").axes[0].get_xlabel()
    'access regime (level)'
    """
    raised = frame[frame["raised"]].sort_values("persons", ascending=False).head(top)
    raised = raised.iloc[::-1]
    fig, ax = _subplots(figsize=(11, max(3, 0.38 * len(raised) + 1.6)))
    y = np.arange(len(raised))
    ax.hlines(y, raised["member_level"], raised["level"], color="#999999", linewidth=2)
    ax.scatter(raised["member_level"], y, color=[LEVEL_COLOURS[v] for v in
               raised["member_level"]], edgecolor="#333333", s=80, zorder=3,
               label="highest level of a member alone")
    ax.scatter(raised["level"], y, color=[LEVEL_COLOURS[v] for v in raised["level"]],
               edgecolor="#333333", s=160, marker="D", zorder=3, label="level of the combination")
    labels = [f"{m}  ({p:,.0f} persons)" for m, p in zip(raised["members"], raised["persons"],
                                                          strict=True)]
    ax.set_yticks(y, labels, fontsize=9)
    ax.set_xticks(range(len(level_names)), [f"{i} {n}" for i, n in enumerate(level_names)])
    ax.set_xlim(-0.3, len(level_names) - 0.7)
    ax.set_xlabel("access regime (level)")
    ax.set_title(title, loc="left")
    height = fig.get_figheight()
    fig.legend(loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.5 / height, 1, 1))  # half an inch below for the legend
    return fig


_AXIS_LABELS = {
    "escalated": "datasets escalated above their own level",
    "escalation_cost": "escalation cost (cost units, one-off)",
    "total_burden": "total burden (cost units: escalation + authorisations)",
    "under_protected": "under-protected exposure sets",
    "under_protected_persons": "distinct persons linked in under-protected sets",
}


def _frontier_panel(ax, frame: pd.DataFrame, pareto: Sequence[str], x: str, y: str) -> None:
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
            ax.annotate(" = ".join(on_front), (px, py), textcoords="offset points",
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
                    y: str = "under_protected", pareto: Sequence[str] = ()) -> Figure:
    """Each policy as a point: burden (x) against under-protection (y), the frontier joined.

    ``frame`` is :meth:`bulkimpact.evaluate.Evaluation.to_frame` output;
    ``pareto`` the rules on the frontier (:attr:`~bulkimpact.evaluate.Evaluation.pareto`).

    Examples
    --------
    >>> f = pd.DataFrame({"total_burden": [0, 5], "under_protected": [4, 0]},
    ...                  index=["per_dataset", "component"])
    >>> policy_frontier(f, "Trade-off", pareto=["per_dataset", "component"]).axes[0].get_ylabel()
    'under-protected exposure sets'
    """
    return frontier_by_reading({"": frame}, {"": tuple(pareto)}, title, x=x, y=y)


@_styled
def frontier_by_reading(frames: Mapping[str, pd.DataFrame], pareto: Mapping[str, Sequence[str]],
                        title: str, x: str = "total_burden",
                        y: str = "under_protected") -> Figure:
    """One panel per openness reading: every rule's burden against its under-protection.

    Rules on the frontier (no other rule is better on both) have a heavy
    outline, are labelled "(frontier)" and joined by a dashed step line.
    Panels share neither axis: readings differ in scale.

    Examples
    --------
    >>> f = pd.DataFrame({"total_burden": [0.0, 5.0, 5.0], "under_protected": [4, 0, 0]},
    ...                  index=["per_dataset", "component", "k_hop"])
    >>> fig = frontier_by_reading({"services": f, "ctivd": f},
    ...                           {"services": ["per_dataset"], "ctivd": ["per_dataset"]}, "T")
    >>> [ax.get_title() for ax in fig.axes]
    ['services', 'ctivd']
    """
    fig, axes = _subplots(1, len(frames), figsize=(min(6.2 * len(frames), 19), 6.0),
                             squeeze=False)
    for ax, (reading, frame) in zip(axes[0], frames.items(), strict=True):
        _frontier_panel(ax, frame, pareto.get(reading, ()), x, y)
        ax.set_xlabel(_AXIS_LABELS.get(x, x))
        ax.set_ylabel(_AXIS_LABELS.get(y, y))
        if reading:
            ax.set_title(reading, fontsize=12)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    names = list(dict.fromkeys(n for frame in frames.values() for n in frame.index))
    handles = [Line2D([], [], marker=POLICY_MARKERS.get(n, "o"), linestyle="", markersize=10,
                      markerfacecolor=POLICY_COLOURS.get(n, "#000000"),
                      markeredgecolor="#222222", label=n) for n in names]
    handles.append(Line2D([], [], color="#555555", linestyle="--",
                          label="frontier (heavy outline): no rule better on both"))
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 4), frameon=False,
               fontsize=10)
    rows = -(-len(handles) // 4)
    fig.text(0.99, 0.995, "better: towards the bottom left", ha="right", va="top", fontsize=9,
             color="#555555")
    fig.tight_layout(rect=(0, 0.06 * rows + 0.02, 1, 0.97))
    return fig


@_styled
def density_sweep(frame: pd.DataFrame, title: str) -> Figure:
    """Share of datasets escalated and under-protected sets against linkage density.

    ``frame``: sweep rows with ``density``, ``policy``, ``escalated``,
    ``n_datasets``, ``under_protected``, ``largest_component``.

    Examples
    --------
    >>> f = pd.DataFrame({"density": [0.1, 0.1, 0.2, 0.2], "policy": ["component", "k_hop"] * 2,
    ...                   "escalated": [1, 0, 3, 1], "n_datasets": 4, "under_protected": 0,
    ...                   "largest_component": [2, 2, 4, 4]})
    >>> len(density_sweep(f, "Sweep").axes)
    2
    """
    df = frame.assign(share=frame["escalated"] / frame["n_datasets"],
                      giant=frame["largest_component"] / frame["n_datasets"])
    mean = df.groupby(["density", "policy"])[["share", "under_protected", "giant"]].mean()
    fig, (ax1, ax2) = _subplots(1, 2, figsize=(13, 4.8))
    for policy in mean.index.get_level_values("policy").unique():
        part = mean.xs(policy, level="policy")
        style = {"color": POLICY_COLOURS.get(policy, "#000"),
                 "marker": POLICY_MARKERS.get(policy, "o"), "label": policy}
        ax1.plot(part.index, 100 * part["share"], **style)
        ax2.plot(part.index, part["under_protected"], **style)
    giant = mean.groupby("density")["giant"].first()
    ax1.plot(giant.index, 100 * giant, color="#333333", linestyle="--",
             label="largest linked component")
    ax1.set_xlabel("linkage density (probability a dataset holds a key)")
    ax1.set_ylabel("% of datasets (mean over scenarios)")
    ax1.set_title("Datasets escalated", loc="left")
    ax2.set_xlabel("linkage density (probability a dataset holds a key)")
    ax2.set_ylabel("under-protected sets (mean)")
    ax2.set_title("Combinations left under-protected", loc="left")
    ax1.legend(frameon=False, fontsize=9)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout()
    return fig


@_styled
def robustness_intervals(summary: pd.DataFrame, metrics: Mapping[str, str],
                         title: str) -> Figure:
    """Median and interval per policy for a few metrics (``summarise_robustness`` output).

    Examples
    --------
    >>> cols = pd.MultiIndex.from_product([["escalated"], ["low", "median", "high"]])
    >>> s = pd.DataFrame([[1.0, 2.0, 3.0]], index=["k_hop"], columns=cols)
    >>> len(robustness_intervals(s, {"escalated": "datasets escalated"}, "R").axes)
    1
    """
    fig, axes = _subplots(1, len(metrics), figsize=(5.5 * len(metrics), 4.2), squeeze=False)
    policies = list(summary.index)
    y = np.arange(len(policies))
    for ax, (metric, label) in zip(axes[0], metrics.items(), strict=True):
        med = summary[(metric, "median")]
        lo, hi = summary[(metric, "low")], summary[(metric, "high")]
        for i, p in enumerate(policies):
            ax.errorbar(med[p], i, xerr=[[med[p] - lo[p]], [hi[p] - med[p]]], fmt="o",
                        color=POLICY_COLOURS.get(p, "#000"), capsize=5, markersize=8)
        ax.set_yticks(y, policies)
        ax.set_xlabel(label)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout()
    return fig


@_styled
def break_even(fixed: float, per_use: float, escalation: float, horizon_years: float,
               assumed_rate: float, break_even_rate: float | None, title: str) -> Figure:
    """Burden against the use rate: case-by-case authorisation (a line) and escalation (flat).

    ``fixed`` and ``per_use`` are :func:`bulkimpact.evaluate.authorisation_burden_line`;
    ``escalation`` is minimal escalation's one-off burden.

    Examples
    --------
    >>> fig = break_even(1.0, 0.5, 2.0, 1.0, 0.1, 2.0, "Break-even at 2 uses a year")
    >>> fig.axes[0].get_xlabel()
    'uses a year of each possible combination outside the investigations'
    """
    top = max(10 * (break_even_rate or assumed_rate or 1.0), 10 * assumed_rate, 1e-2)
    rates = np.logspace(np.log10(top / 1e4), np.log10(top), 200)
    fig, ax = _subplots(figsize=(9, 5))
    ax.plot(rates, horizon_years * (fixed + rates * per_use), color=POLICY_COLOURS["use_based"],
            linewidth=2.5, label="use_based: authorisations (grow with the use rate)")
    ax.axhline(escalation, color=POLICY_COLOURS["minimal_escalation"], linewidth=2.5,
               label="minimal_escalation: one-off escalation")
    ax.axvline(assumed_rate, color="#555555", linestyle=":", linewidth=1.5,
               label=f"assumed use rate ({assumed_rate:g} a year)")
    if break_even_rate:
        ax.axvline(break_even_rate, color="#000000", linestyle="--", linewidth=1.2,
                   label=f"break-even ({break_even_rate:.3g} a year)")
    ax.set_xscale("log")
    ax.set_xlabel("uses a year of each possible combination outside the investigations")
    ax.set_ylabel("burden (cost units)")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, loc="upper left")
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


@_styled
def tornado(table: pd.DataFrame, quantities: Mapping[str, str], title: str) -> Figure:
    """One panel per headline quantity: how far each assumption's range moves it.

    ``table`` is :func:`bulkimpact.sensitivity.tornado` output. Each bar runs
    from the value at the assumption's low end (light) to its high end (dark);
    the vertical line is the value as stated; the widest swing is on top.

    Examples
    --------
    >>> t = pd.DataFrame({"assumption": ["stated", "a", "a"], "label": ["", "A", "A"],
    ...                   "end": ["stated", "low", "high"], "q": [2.0, 1.0, 4.0]})
    >>> tornado(t, {"q": "quantity"}, "T").axes[0].get_xlabel()
    'quantity'
    """
    stated = table[table["end"] == "stated"].iloc[0]
    varied = table[table["end"] != "stated"]
    columns = 2 if len(quantities) > 1 else 1
    rows = -(-len(quantities) // columns)
    fig, axes = _subplots(rows, columns, figsize=(8.0 * columns, 3.6 * rows + 0.8),
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
        ax.set_yticks(np.arange(len(wide)), list(wide.index), fontsize=9)
        ax.set_xlabel(label)
        ax.grid(axis="x", alpha=0.3)
    handles = [Rectangle((0, 0), 1, 1, color="#9ECAE1", ec="#333333",
                             label="low end of the range"),
               Rectangle((0, 0), 1, 1, color="#08519C", ec="#333333",
                             label="high end of the range"),
               Line2D([], [], color="#000000", label="as stated")]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    return fig


@_styled
def exact_vs_estimated(frame: pd.DataFrame, x: str, y: str, title: str,
                       label: str = "edge") -> Figure:
    """Scatter of estimated (x) against exactly counted (y) values, log axes, identity line.

    Examples
    --------
    >>> f = pd.DataFrame({"est": [10.0, 100.0], "exact": [12.0, 95.0], "edge": ["a", "b"]})
    >>> exact_vs_estimated(f, "est", "exact", "Close").axes[0].get_xscale()
    'log'
    """
    data = frame[(frame[x] > 0) & (frame[y] > 0)]
    fig, ax = _subplots(figsize=(7, 6))
    ax.scatter(data[x], data[y], s=50, color="#0072B2", edgecolor="#333333", zorder=3)
    lo = min(data[x].min(), data[y].min()) if len(data) else 1
    hi = max(data[x].max(), data[y].max()) if len(data) else 10
    ax.plot([lo / 2, hi * 2], [lo / 2, hi * 2], color="#D55E00", linestyle="--",
            label="exact = estimated")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(f"estimated ({x.replace('_', ' ')})")
    ax.set_ylabel(f"counted in the synthetic world ({y.replace('_', ' ')})")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3, which="both")
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig
