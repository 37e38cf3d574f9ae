"""Figures' house style and how they reach the reader: colour-blind-safe colours, one style
applied as each figure is drawn, and embedding with alt text.

Each plotting function (the ``*_plots`` modules) takes computed results and a title that
states the finding (computed by the caller, never typed in), and returns a matplotlib
``Figure``. :func:`show_figure` embeds a figure in a notebook or report as a PNG inside an
HTML ``<figure>`` with alt text and a caption; the PNG carries no timestamp, so reruns give
identical reports.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .i18n import NP_, level_name, rule_name, significant, translator
from .legibility import smallest_text_px, summary_alt

__all__ = ["LEVEL_COLOURS", "POLICY_COLOURS", "POLICY_MARKERS", "STYLE", "styled", "subplots",
           "figure_html", "show_figure", "figure_words", "level_label", "level_legend",
           "policy_handles", "locale_ticks"]


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


def styled(draw):
    """Draw a figure under :data:`STYLE` (figures are plain ``Figure`` objects: no pyplot)."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)
    return wrapper


def subplots(*args, figsize=None, **kwargs):
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
    >>> fig, ax = subplots(); _ = ax.plot([0, 1], [0, 1])
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


def figure_words(lang: str, message: str) -> str:
    """A figure's words (axis, legend, note) in the language: catalogue context ``figure``."""
    return translator(lang).pgettext("figure", message)


def level_label(label: object, lang: str = "en") -> str:
    """``"2 medium"`` (a level number and name) with the name in the language.

    Examples
    --------
    >>> level_label("2 medium", "nl"), level_label(3, "nl"), level_label("1 light")
    ('2 middelzwaar', '3', '1 light')
    """
    number, _, name = str(label).partition(" ")
    return f"{number} {level_name(name, lang)}" if name else number


def level_legend(ax, level_names: Sequence[str], lang: str = "en", **kwargs) -> None:
    """A legend of the levels' colours on ``ax``, each level numbered and named in `lang`;
    ``kwargs`` place it (``loc``, ``bbox_to_anchor``)."""
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10,
                      markerfacecolor=LEVEL_COLOURS[i], markeredgecolor="#333333",
                      label=f"{i} {level_name(name, lang)}") for i, name in enumerate(level_names)]
    ax.legend(handles=handles, title=figure_words(lang, NP_("figure", "level on its own")),
              frameon=False, **kwargs)


def policy_handles(names: Sequence[str], line: bool = False, lang: str | None = None) -> list:
    """Legend handles per rule: labelled by id, or by name in `lang` when given."""
    return [Line2D([], [], marker=POLICY_MARKERS.get(n, "o"), linestyle="-" if line else "",
                   markersize=8, color=POLICY_COLOURS.get(n, "#000000"),
                   markerfacecolor=POLICY_COLOURS.get(n, "#000000"), markeredgecolor="#222222",
                   label=n if lang is None else rule_name(n, lang)) for n in names]


def locale_ticks(ax, lang: str, *axes: str) -> None:
    """Tick labels of linear axes with the language's decimal mark and thousands separator."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: significant(v, lang, 6) if v else "0")
    for name in axes or ("x", "y"):
        getattr(ax, f"{name}axis").set_major_formatter(fmt)
