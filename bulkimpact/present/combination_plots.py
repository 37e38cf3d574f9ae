"""The figure of combinations heavier than their members, grouped by the jump in level.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .figures import LEVEL_COLOURS, figure_words, styled, subplots
from .i18n import NP_, level_name, persons_rounded, translator
from .names import kind_name

__all__ = ["raised_groups", "raised_sets"]


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


@styled
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
    fig, (ax1, ax2) = subplots(1, 2, figsize=(12, 1.0 * max(rows, 1) + 2.6), sharey=True,
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
        largest = (figure_words(lang, NP_("figure", "largest: {members} ({persons})"))
                   if g.count > 1 else "{members} ({persons})").format(
            members=g.largest.replace(", ", " + "), persons=persons_rounded(g.persons_max, lang))
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
    ax1.set_xlabel(figure_words(lang, NP_("figure", "access regime (level)")))
    ax1.grid(axis="x", alpha=0.3)
    ax2.set_xscale("log")
    if rows:
        lo, hi = max(groups["persons_min"].min(), 1.0), max(groups["persons_max"].max(), 10.0)
        ax2.set_xlim(lo / 3, hi * 2)
    ax2.set_xlabel(figure_words(lang, NP_("figure",
                                          "linked persons in each combination (log scale)")))
    ax2.grid(axis="x", alpha=0.3, which="major")
    ax2.tick_params(axis="y", left=False)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor="#FFFFFF",
                      markeredgecolor="#333333",
                      label=figure_words(lang, NP_("figure", "highest level of a member alone"))),
               Line2D([], [], marker="D", linestyle="", markersize=10, markerfacecolor="#FFFFFF",
                      markeredgecolor="#333333",
                      label=figure_words(lang, NP_("figure", "level of the combination"))),
               Line2D([], [], color="#999999", linewidth=6,
                      label=figure_words(lang, NP_("figure",
                                           "number of combinations (bold; line width)")))]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    fig.suptitle("\n".join(textwrap.wrap(title, 105)), x=0.01, ha="left", fontsize=13,
                 fontweight="bold")
    height = fig.get_figheight()
    fig.tight_layout(rect=(0, 0.45 / height, 1, 1))
    return fig
