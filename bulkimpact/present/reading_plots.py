"""The figure of datasets per level under each openness reading, and its alt text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .figures import LEVEL_COLOURS, figure_words, level_label, styled, subplots
from .i18n import NP_, reading_name, translator

__all__ = ["levels_by_variant", "levels_alt"]


@styled
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

    fig, ax = subplots(figsize=(11, 4.6))
    width = 0.8 / max(len(counts.columns), 1)
    x = np.arange(len(counts.index))
    hatches = ["", "//", "..", "xx", "\\\\"]
    for i, variant in enumerate(counts.columns):
        bars = ax.bar(x + i * width - 0.4 + width / 2, counts[variant], width,
                      label=reading_name(variant, lang), color=LEVEL_COLOURS[1 + i % 5],
                      edgecolor="#333333", hatch=hatches[i % len(hatches)])
        ax.bar_label(bars, labels=[translator(lang).number(v) for v in counts[variant]],
                     fontsize=10)
    ax.set_xticks(x, [level_label(i, lang) for i in counts.index])
    ax.set_xlabel(figure_words(lang, NP_("figure",
                                         "access regime (level) of the dataset on its own")))
    ax.set_ylabel(figure_words(lang, NP_("figure", "datasets")))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("\n".join(textwrap.wrap(title, 90)), loc="left")
    ax.legend(title=figure_words(lang, NP_("figure", "openness reading")), frameon=False,
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
    at = figure_words(lang, NP_("figure", "{count} at level {level}"))
    readings = "; ".join(
        f"{reading_name(v, lang)}: " + ", ".join(
            at.format(count=t.number(counts.loc[i, v]), level=level_label(i, lang))
            for i in counts.index) for v in counts.columns)
    # TRANSLATORS: alt text of the bar chart; {readings} lists the counts per reading.
    return figure_words(lang, NP_("figure", "Grouped bar chart of datasets per level for each "
                                            "openness reading: {readings}.")).format(
        readings=readings)
