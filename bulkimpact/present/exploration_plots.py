"""What changes if, as figures: the linkage-density sweep, the Monte Carlo intervals and
the one-at-a-time sensitivity tornado.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .figures import (
    POLICY_COLOURS,
    POLICY_MARKERS,
    figure_words,
    locale_ticks,
    policy_handles,
    styled,
    subplots,
)
from .i18n import NP_, rule_name
from .names import ASSUMPTION_NAMES, assumption_name

__all__ = ["density_sweep", "robustness_intervals", "tornado"]


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


@styled
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
    fig, (ax1, ax2) = subplots(1, 2, figsize=(13, 5.4), sharex=True)
    policies = list(mean.index.get_level_values("policy").unique())
    x = np.array(sorted(mean.index.get_level_values("density").unique()), dtype=float)
    wide = mean.unstack("policy").reindex(x)
    giant = mean.groupby("density")["giant"].first().reindex(x)
    ax1.plot(x, 100 * giant, color="#333333", linestyle="--", linewidth=1.5, zorder=1)
    _dodged_lines(ax1, x, {p: 100 * wide[("share", p)].to_numpy() for p in policies})
    _dodged_lines(ax2, x, {p: wide[("under_protected", p)].to_numpy() for p in policies})
    density = figure_words(lang, NP_("figure",
                                     "linkage density (probability a dataset holds a key)"))
    ax1.set_xlabel(density)
    ax1.set_ylabel(figure_words(lang, NP_("figure", "% of datasets (mean over scenarios)")))
    ax1.set_title(figure_words(lang, NP_("figure", "Datasets escalated")), loc="left")
    ax2.set_xlabel(density)
    ax2.set_ylabel(figure_words(lang, NP_("figure", "under-protected combinations (mean)")))
    ax2.set_title(figure_words(lang, NP_("figure", "Combinations left under-protected")),
                  loc="left")
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.margins(x=0.04, y=0.06)
        low, high = ax.get_ylim()
        if low < 0:  # counts and shares: no negative axis, even when every value is 0
            ax.set_ylim(-0.03 * max(high, 1.0), max(high, 1.0))
        locale_ticks(ax, lang)
    handles = policy_handles(policies, line=True, lang=lang) + [
        Line2D([], [], color="#333333", linestyle="--",
               label=figure_words(lang, NP_("figure", "largest linked component (% of datasets)")))]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=10,
               bbox_to_anchor=(0.5, 0.045))
    fig.text(0.99, 0.005, figure_words(lang, NP_("figure", "Rules with equal values: markers "
                                                           "side by side, lines in alternating "
                                                           "dashes.")),
             ha="right", va="bottom", fontsize=9, color="#555555")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout(rect=(0, 0.17, 1, 0.97))
    return fig


@styled
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
    fig, axes = subplots(1, len(metrics), figsize=(6.2 * len(metrics), 0.55 * len(summary) + 2),
                          sharey=True, squeeze=False)
    policies = list(summary.index)
    y = np.arange(len(policies))
    same = figure_words(lang, NP_("figure", "same in every draw"))
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
        locale_ticks(ax, lang, "x")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout()
    return fig


@styled
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
    fig, axes = subplots(rows, columns, figsize=(11.0, (0.42 * bars + 1.3) * rows + 1.0),
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
        locale_ticks(ax, lang, "x")
    handles = [Rectangle((0, 0), 1, 1, color="#9ECAE1", ec="#333333",
                         label=figure_words(lang, NP_("figure", "low end of the range"))),
               Rectangle((0, 0), 1, 1, color="#08519C", ec="#333333",
                         label=figure_words(lang, NP_("figure", "high end of the range"))),
               Line2D([], [], color="#000000",
                      label=figure_words(lang, NP_("figure", "as stated")))]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    fig.suptitle(textwrap.fill(title, 90), x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout(rect=(0, 0.45 / fig.get_figheight(), 1, 0.97))
    return fig
