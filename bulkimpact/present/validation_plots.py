"""The record-level validation as a figure: counted against estimated, per pair.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .figures import figure_words, styled, subplots
from .i18n import NP_

__all__ = ["exact_vs_estimated"]


@styled
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
    fig, ax = subplots(figsize=(7, 6))
    ax.scatter(data[x], data[y], s=50, color="#0072B2", edgecolor="#333333", zorder=3)
    lo = min(data[x].min(), data[y].min()) if len(data) else 1
    hi = max(data[x].max(), data[y].max()) if len(data) else 10
    ax.plot([lo / 2, hi * 2], [lo / 2, hi * 2], color="#D55E00", linestyle="--",
            label=figure_words(lang, NP_("figure", "counted = estimated")))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(figure_words(lang, NP_("figure", "estimated: {what} (log scale)")).format(
        what=heading(x, lang).replace("_", " ")))
    ax.set_ylabel(figure_words(lang, NP_("figure", "counted in the synthetic world: {what} "
                                                   "(log scale)")).format(
        what=heading(y, lang).replace("_", " ")))
    ax.legend(frameon=False)
    ax.grid(alpha=0.3, which="both")
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig
