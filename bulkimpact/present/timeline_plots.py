"""Figures on the retention timeline (notebook 08): what is held when, and each rule over time.

The words of a figure (axes, legend) come from the catalogue (context
``figure``) in the page's language; the title, which states the finding, is
computed by the caller (:mod:`bulkimpact.present.timeline_findings`). Drawn
under the house style of :mod:`bulkimpact.present.figures`, without pyplot.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import TYPE_CHECKING

from babel.dates import format_date
from matplotlib.dates import MonthLocator, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .figures import LEVEL_COLOURS, POLICY_COLOURS, styled, subplots
from .i18n import LOCALES, NP_, level_name, rule_name, translator

if TYPE_CHECKING:
    from ..timeline import Timeline

__all__ = ["retention_gantt", "rules_over_time"]

_DEADLINE = "#000000"
_EXTENSION = "#0072B2"  # Okabe–Ito blue
_DESTROYED = "#D55E00"  # Okabe–Ito vermillion


def _fig(lang: str, message: str) -> str:
    return translator(lang).pgettext("figure", message)


def _date_axis(ax, lang: str) -> None:
    """Half-year ticks with month names in the page's language."""
    ax.xaxis.set_major_locator(MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: format_date(num2date(x).date(), "MMM y", locale=LOCALES[lang])))


def _span(timeline: Timeline) -> tuple[dt.date, dt.date]:
    days = [s.start for s in timeline.steps if s.start is not None]
    days += [d for r in timeline.retention.values()
             for d in (r.relevance_deadline, *r.extensions) if d is not None]
    if not days:
        today = dt.date.today()
        return today, today + dt.timedelta(days=1)
    return min(days), max(days)


@styled
def retention_gantt(timeline: Timeline, title: str, lang: str = "en") -> Figure:
    """One bar per dataset from acquisition to the day it ends, coloured by its own level,
    with its relevance deadline, extensions and destruction marked.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import retention_timeline
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["per_dataset"]))
    >>> fig = retention_gantt(t, "Wat wanneer wordt bewaard", lang="nl")
    >>> fig.axes[0].get_xlabel(), len(fig.axes[0].get_yticks()) == len(t.retention)
    ('datum', True)
    """
    G = timeline.analysis.graph
    names = timeline.analysis.rulebook.level_names()
    start, end = _span(timeline)
    ids = list(timeline.retention)
    fig, ax = subplots(figsize=(11, 1.6 + 0.24 * len(ids)))
    for y, n in enumerate(ids):
        r = timeline.retention[n]
        begin = r.acquired or start
        stop = r.ends or end
        level = G.nodes[n]["level"]
        ax.barh(y, (stop - begin).days, left=begin, height=0.62,
                color=LEVEL_COLOURS[level % len(LEVEL_COLOURS)], edgecolor="#555555",
                linewidth=0.5, zorder=2)
        if r.relevance_deadline is not None:
            ax.plot([r.relevance_deadline] * 2, [y - 0.38, y + 0.38], color=_DEADLINE,
                    linewidth=1.6, zorder=3)
        for e in r.extensions:
            ax.plot([e], [y], marker=">", color=_EXTENSION, markersize=6, linestyle="",
                    zorder=3)
        if r.end_reason in ("destroyed", "what-if: destroyed"):
            ax.plot([r.ends], [y], marker="X", color=_DESTROYED, markersize=8, linestyle="",
                    markeredgecolor="white", markeredgewidth=0.6, zorder=4)
    ax.set_yticks(range(len(ids)), ids, fontsize=8)
    ax.set_ylim(len(ids) - 0.5, -0.5)
    ax.set_xlim(start - dt.timedelta(days=20), end + dt.timedelta(days=20))
    _date_axis(ax, lang)
    ax.set_xlabel(_fig(lang, NP_("figure", "date")))
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.8, zorder=0)
    used = sorted({G.nodes[n]["level"] for n in ids})
    handles = [Patch(facecolor=LEVEL_COLOURS[lv % len(LEVEL_COLOURS)], edgecolor="#555555",
                     label=f"{lv} {level_name(names[lv], lang)}") for lv in used]
    handles += [
        Line2D([], [], color=_DEADLINE, linewidth=1.6, marker="|", markersize=10,
               linestyle="", label=_fig(lang, NP_("figure", "relevance deadline"))),
        Line2D([], [], color=_EXTENSION, marker=">", linestyle="",
               label=_fig(lang, NP_("figure", "extension (new end term)"))),
        Line2D([], [], color=_DESTROYED, marker="X", linestyle="",
               label=_fig(lang, NP_("figure", "destroyed"))),
    ]
    height = fig.get_figheight()
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=4,
               frameon=False, fontsize=9,
               title=_fig(lang, NP_("figure", "bar: held, coloured by level on its own")))
    ax.set_title(title, loc="left")
    fig.tight_layout(rect=(0, 1.0 / height, 1, 1))
    return fig


@styled
def rules_over_time(timeline: Timeline, title: str, lang: str = "en",
                    compare: Timeline | None = None) -> Figure:
    """Two panels over time, one line per decision rule: under-protected exposure sets
    (top) and escalated datasets (bottom); ``compare`` (a what-if) drawn dashed.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import retention_timeline
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["per_dataset", "component"]))
    >>> fig = rules_over_time(t, "Onvoldoende bescherming volgt wat wordt bewaard", lang="nl")
    >>> [" ".join(ax.get_ylabel().split()) for ax in fig.axes]
    ['onvoldoende beschermde combinaties', 'zwaarder geplaatste bulkdatasets']
    """
    start, end = _span(timeline)
    fig, (top, bottom) = subplots(2, 1, sharex=True, figsize=(10, 6.4))
    metrics = (("under_protected", top, NP_("figure", "under-protected combinations")),
               ("escalated", bottom, NP_("figure", "escalated datasets")))
    runs = [(timeline, "-", 2.0)] + ([(compare, "--", 1.6)] if compare is not None else [])
    for run, style, width in runs:
        dated = [s for s in run.steps if s.start is not None]
        if not dated:
            continue
        xs = [s.start for s in dated] + [max(end, dated[-1].start)]
        for metric, ax, _label in metrics:
            for name in run.policies:
                ys = [getattr(s.evaluation.outcomes[name], metric) for s in dated]
                ax.step(xs, ys + ys[-1:], where="post", linestyle=style, linewidth=width,
                        color=POLICY_COLOURS.get(name, "#333333"), zorder=2)
    for _metric, ax, label in metrics:
        ax.set_ylabel("\n".join(textwrap.wrap(_fig(lang, label), 20)), fontsize=10)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#E5E5E5", linewidth=0.8, zorder=0)
        ax.set_ylim(bottom=0)
    bottom.set_xlim(start - dt.timedelta(days=20), end + dt.timedelta(days=20))
    _date_axis(bottom, lang)
    bottom.set_xlabel(_fig(lang, NP_("figure", "date")))
    handles = [Line2D([], [], color=POLICY_COLOURS.get(n, "#333333"), linewidth=2,
                      label=rule_name(n, lang)) for n in timeline.policies]
    if compare is not None:
        handles += [Line2D([], [], color="#333333", linewidth=2,
                           label=_fig(lang, NP_("figure", "as held"))),
                    Line2D([], [], color="#333333", linewidth=1.6, linestyle="--",
                           label=_fig(lang, NP_("figure", "what-if")))]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=9,
               bbox_to_anchor=(0.5, -0.01))
    top.set_title(title, loc="left")
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    return fig
