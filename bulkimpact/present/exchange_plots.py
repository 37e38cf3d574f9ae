"""Figures on structural exchange (notebook 07): each provision's level against the cumulative one.

The words of a figure (axes, legend) come from the catalogue (context
``figure``) in the page's language; the title, which states the finding, is
computed by the caller. Drawn under the house style of
:mod:`bulkimpact.present.figures`, without pyplot.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from babel.dates import format_date
from matplotlib.dates import MonthLocator, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from .exchange_findings import shared_persons_phrase
from .figures import LEVEL_COLOURS, styled, subplots
from .i18n import LOCALES, NP_, level_name, translator

if TYPE_CHECKING:
    from ..exchange import ExchangeAssessment

__all__ = ["partner_timelines"]

_CUMULATIVE = "#0072B2"  # Okabe–Ito blue
_CROSSING = "#D55E00"  # Okabe–Ito vermillion


def _fig(lang: str, message: str) -> str:
    return translator(lang).pgettext("figure", message)


@styled
def partner_timelines(a: ExchangeAssessment, title: str, lang: str = "en") -> Figure:
    """One panel per partner: each exchange's own level (dots provided, squares received) and
    the cumulative level over the window (a step line), the crossing date marked with the
    expected shared persons the crossing rests on.

    Examples
    --------
    >>> from bulkimpact.exchange import assess_exchange, load_exchange_log
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"),
    ...                     load_rulebook(default_rulebook_path()), window=90)
    >>> fig = partner_timelines(a, "Eén partner passeert de grens", lang="nl")
    >>> len(fig.axes) == len(a.timelines), fig.axes[-1].get_xlabel()
    (True, 'datum van de uitwisseling')
    """
    names = a.rulebook.level_names()
    partners = list(a.timelines)
    fig, axes = subplots(len(partners), 1, sharex=True, squeeze=False,
                          figsize=(10, 1.3 + 1.55 * len(partners)))
    axes = axes[:, 0]
    end = a.log.last_date()
    start = min(p.date for p in a.exchanged())
    t = translator(lang)
    for ax, partner in zip(axes, partners, strict=True):
        timeline = a.timelines[partner]
        steps = list(timeline.steps)
        xs = [s.date for s in steps] + [end]
        ys = [s.level for s in steps] + [steps[-1].level if steps else 0]
        ax.step(xs, ys, where="post", color=_CUMULATIVE, linewidth=2.2, zorder=2)
        for p in a.exchanged(partner):
            own = timeline.provision_levels[p.id][0]
            ax.scatter([p.date], [own], s=46, color=LEVEL_COLOURS[own % len(LEVEL_COLOURS)],
                       marker="o" if p.direction == "provided" else "s",
                       edgecolors="#333333", linewidths=0.8, zorder=3)
        if timeline.crossing is not None:
            ax.axvline(timeline.crossing, color=_CROSSING, linestyle="--", linewidth=1.4,
                       zorder=1)
            group = max(timeline.crossing_groups, key=lambda g: (g.level, len(g.members)))
            label = t.date(timeline.crossing)
            if group.expected_shared_persons is not None:
                label += " · " + shared_persons_phrase(group.expected_shared_persons, lang)
            ax.annotate(label, (timeline.crossing, len(names) - 0.55),
                        xytext=(4, 0), textcoords="offset points", color=_CROSSING,
                        fontsize=9, va="center")
        ax.set_ylim(-0.5, len(names) - 0.3)
        ax.set_yticks(range(len(names)), [f"{i} {level_name(n, lang)}"
                                          for i, n in enumerate(names)], fontsize=9)
        ax.set_title(partner, loc="left", fontsize=11, fontweight="bold")
        ax.grid(axis="y", color="#E5E5E5", linewidth=0.8, zorder=0)
    axes[-1].set_xlim(start - dt.timedelta(days=10), end + dt.timedelta(days=10))
    # Quarters, with month names in the page's language (matplotlib's own are English).
    axes[-1].xaxis.set_major_locator(MonthLocator(bymonth=(1, 4, 7, 10)))
    axes[-1].xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: format_date(num2date(x).date(), "MMM y", locale=LOCALES[lang])))
    axes[-1].set_xlabel(_fig(lang, NP_("figure", "date of the exchange")))
    fig.supylabel(_fig(lang, NP_("figure", "access regime (level)")))
    handles = [
        Line2D([], [], color=_CUMULATIVE, linewidth=2.2,
               label=_fig(lang, NP_("figure", "cumulative level in the window"))),
        Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=LEVEL_COLOURS[1],
               markeredgecolor="#333333",
               label=_fig(lang, NP_("figure", "a provision's own level"))),
        Line2D([], [], marker="s", linestyle="", markersize=7, markerfacecolor=LEVEL_COLOURS[1],
               markeredgecolor="#333333",
               label=_fig(lang, NP_("figure", "data received, own level"))),
        Line2D([], [], color=_CROSSING, linestyle="--",
               label=_fig(lang, NP_("figure", "crossing date"))),
    ]
    fig.legend(handles=handles, loc="upper center", ncol=2, frameon=False,
               bbox_to_anchor=(0.5, 0.97))
    fig.suptitle(title, fontsize=13, fontweight="bold", y=0.995)
    fig.tight_layout(rect=(0, 0, 1, 0.905))
    return fig
