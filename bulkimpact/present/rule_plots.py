"""The decision rules as figures: the regime heat map (datasets × rules) and the
burden–protection frontier, for one reading or side by side for several.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..registry import METRICS
from .figures import LEVEL_COLOURS, POLICY_COLOURS, POLICY_MARKERS, figure_words, styled, subplots
from .i18n import NP_, level_name, reading_name, rule_name, translator

__all__ = ["regimes_alt", "regime_heatmap", "policy_frontier", "frontier_by_reading"]


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
            parts.append(figure_words(lang, NP_("figure", "{rule}: raises none")).format(
                rule=rule_name(rule, lang)))
        else:
            to = figure_words(lang, NP_("figure", "{dataset} to {level}"))
            targets = up[rule].value_counts().sort_index()
            # A few datasets by name; many by how many go to each level.
            raised = ([to.format(dataset=d, level=f"{v} {level_name(level_names[v], lang)}")
                       for d, v in up[rule].items()] if len(up) <= 5 else
                      [to.format(dataset=t.number(n),
                                 level=f"{v} {level_name(level_names[v], lang)}")
                       for v, n in targets.items()])
            parts.append(figure_words(lang, NP_("figure", "{rule}: raises {datasets} "
                                                          "({raised})")).format(
                rule=rule_name(rule, lang), datasets=datasets(len(up)), raised=", ".join(raised)))
    return figure_words(lang, NP_("figure", "Heat map of the regime level of {datasets} under "
                                            "each rule (own level first).")).format(
        datasets=datasets(len(regimes))) + " " + "; ".join(parts) + "."


@styled
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
    fig, ax = subplots(figsize=(width, 0.3 * n_rows + 2.2))
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
        figure_words(lang, NP_("figure", "own level")),
        *(rule_name(str(c), lang) for c in columns[1:])]],
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
                             label=figure_words(lang, NP_("figure",
                                                          "↑ raised above its own level"))))
    ax.legend(handles=handles, title=figure_words(lang, NP_("figure", "regime level")),
              loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    fig.suptitle(textwrap.fill(title, int(7.5 * width)), x=0.01, ha="left", fontsize=13,
                 fontweight="bold")
    fig.tight_layout()
    return fig


_AXIS_LABELS = {key: m.axis for key, m in METRICS.items() if m.axis}


def _axis_label(metric: str, lang: str = "en") -> str:
    """An axis label of :data:`_AXIS_LABELS` in the language (the id when unknown)."""
    return figure_words(lang, _AXIS_LABELS[metric]) if metric in _AXIS_LABELS else metric


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


@styled
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
    fig, axes = subplots(1, len(frames), figsize=(width, 5.8 if len(frames) > 1 else 4.8),
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
                          label=figure_words(lang, NP_("figure", "frontier (heavy outline): no "
                                                                 "rule better on both"))))
    columns = min(len(handles), 4 if width > 10 else 3)
    fig.legend(handles=handles, loc="lower center", ncol=columns, frameon=False, fontsize=10)
    rows = -(-len(handles) // columns)
    # in the last panel's top right corner, which a frontier leaves empty (dominated)
    axes[0][-1].text(0.99, 0.98, figure_words(lang, NP_("figure",
                                                        "better: towards the bottom left")),
                     transform=axes[0][-1].transAxes, ha="right", va="top", fontsize=10,
                     color="#555555")
    fig.tight_layout(rect=(0, 0.06 * rows + 0.02, 1, 0.97))
    return fig
