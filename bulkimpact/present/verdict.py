"""The verdict in words: per reading, the cheapest protecting rule and when it changes.

Every sentence is computed from a :class:`bulkimpact.verdict.Verdict` (decision map,
tipping points, rank shares) and worded by the catalogues, Dutch first. Each names the
reading it uses and the condition under which the answer flips, so a reader can check it.

Examples
--------
>>> from bulkimpact.analysis import load_analysis
>>> a = load_analysis("data/synthetic/baseline.yaml")
>>> s = verdict_sentence("ctivd", a.verdict, "en")
>>> s.startswith("Under the CTIVD reading, authorisation per use")
True
>>> "uses a year" in s and "draws" in s
True
>>> verdict_sentence("ctivd", a.verdict, "nl").startswith("In de lezing van de CTIVD")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import reading_name, rule_name, translator

if TYPE_CHECKING:
    from ..verdict import Verdict

__all__ = ["verdict_sentence", "verdict_sentences", "decision_map_figure", "decision_map_alt",
           "grounding_sentence"]


def _condition(tip: dict, lang: str) -> str:
    """One tipping point as a clause: where it lies, and which rule is cheaper past it."""
    t = translator(lang)
    rule = rule_name(tip["to"], lang) if tip["to"] else t.gettext("no rule")
    value = t.significant(tip["value"], 2)
    if tip["assumption"] == "use_rate":
        message = (t.gettext("above {value} uses a year of a possible combination, {rule} is "
                             "cheaper") if tip["from"] == "use_based" else
                   t.gettext("below {value} uses a year of a possible combination, {rule} is "
                             "cheaper"))
    elif tip["assumption"] == "horizon_years":
        message = t.gettext("over a horizon of {value} years or more, {rule} is cheaper")
    elif tip["from"] == "use_based":
        message = t.gettext("as soon as not every use is authorised beforehand, {rule} is "
                            "cheaper")
    else:
        message = t.gettext("only if every use is authorised beforehand is {rule} cheaper")
    return message.format(value=value, rule=rule)


def verdict_sentence(reading: str, verdict: Verdict, lang: str = "en") -> str:
    """The cheapest protecting rule under ``reading``, how often it wins the draws, and the
    conditions under which another is cheaper."""
    t = translator(lang)
    if verdict.cheapest is None:
        return t.gettext("Under the {reading}, no rule protects every combination.").format(
            reading=reading_name(reading, lang))
    share = verdict.rank_shares.get(verdict.cheapest, 0.0)
    head = t.gettext(
        "Under the {reading}, {rule} protects every combination at least cost with the stated "
        "assumptions (cheapest in {share} of {draws} draws over the uncertain ones)").format(
        reading=reading_name(reading, lang), rule=rule_name(verdict.cheapest, lang),
        share=t.percent(share, 1.0), draws=t.number(verdict.draws))
    conditions = [_condition(tip, lang) for tip in verdict.tipping_points]
    if not conditions:
        return head + t.gettext("; no use rate, horizon or compliance tried changes that.")
    return head + "; " + "; ".join(conditions) + "."


def verdict_sentences(verdicts: dict[str, Verdict], lang: str = "en") -> list[str]:
    """:func:`verdict_sentence` for each reading, in the order given (ministers' first)."""
    return [verdict_sentence(r, v, lang) for r, v in verdicts.items()]


def decision_map_figure(verdicts: dict[str, Verdict], title: str, lang: str = "en"):
    """Per reading, the cheapest protecting rule over use rate × horizon, side by side on
    shared axes, with the computed line where authorisation per use stops being cheapest.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> a = load_analysis("data/synthetic/baseline.yaml")
    >>> fig = decision_map_figure({r: x.verdict for r, x in a.readings().items()}, "Map")
    >>> len(fig.axes) >= 3, fig.axes[0].get_yscale()
    (True, 'log')
    """
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .figures import POLICY_COLOURS, subplots

    t = translator(lang)
    fig, axes = subplots(1, len(verdicts), figsize=(4.2 * len(verdicts) + 1.0, 4.8),
                          sharex=True, sharey=True, squeeze=False)
    seen: list[str] = []
    for ax, (reading, v) in zip(axes[0], verdicts.items(), strict=True):
        m = v.decision_map
        rates, years = np.array(m["use_rate"]), np.array(m["horizon_years"])

        def edges(x: np.ndarray, log: bool) -> np.ndarray:
            z = np.log10(x) if log else x
            mid = (z[1:] + z[:-1]) / 2
            e = np.concatenate(([z[0] - (mid[0] - z[0])], mid, [z[-1] + (z[-1] - mid[-1])]))
            return 10 ** e if log else e

        names = sorted({n for row in m["cheapest"] for n in row if n},
                       key=list(POLICY_COLOURS).index)
        seen += [n for n in names if n not in seen]
        index = {n: i for i, n in enumerate(list(POLICY_COLOURS))}
        cells = np.array([[index.get(n, -1) for n in row] for row in m["cheapest"]], float)
        cmap = ListedColormap(list(POLICY_COLOURS.values()))
        ax.pcolormesh(edges(years, False), edges(rates, True), cells, cmap=cmap,
                      norm=BoundaryNorm(np.arange(-0.5, len(POLICY_COLOURS)), cmap.N),
                      shading="flat")
        line = [(h, r) for h, r in zip(years, m.get("tipping_use_rate", []), strict=False)
                if r is not None]
        if line:
            ax.plot(*zip(*line, strict=True), color="#000000", linewidth=2, linestyle="--")
        ax.set_yscale("log")
        ax.set_title(reading_name(reading, lang), loc="left", fontsize=12)
        ax.set_xlabel(t.pgettext("figure", "horizon (years)"))
    axes[0][0].set_ylabel(t.pgettext("figure", "uses a year of a possible combination"))
    handles = [Patch(color=POLICY_COLOURS[n], label=rule_name(n, lang)) for n in seen]
    handles.append(Line2D(
        [], [], color="#000000", linestyle="--",
        label=t.pgettext("figure", "where authorisation per use stops being cheapest")))
    fig.legend(handles=handles, loc="lower center", ncol=min(3, len(handles)), frameon=False,
               bbox_to_anchor=(0.5, -0.02))
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def decision_map_alt(verdicts: dict[str, Verdict], lang: str = "en") -> str:
    """A short summary of :func:`decision_map_figure` for readers who cannot see it."""
    t = translator(lang)
    parts = []
    for reading, v in verdicts.items():
        rules = sorted({n for row in v.decision_map["cheapest"] for n in row if n})
        parts.append(f"{reading_name(reading, lang)}: "
                     f"{t.join([rule_name(n, lang) for n in rules])}")
    return t.gettext("Cheapest rule that protects every combination, per use rate and horizon. "
                     "{parts}.").format(parts="; ".join(parts))


def grounding_sentence(reading: str, counts: dict[str, int], not_judged: dict[str, object],
                       lang: str = "en") -> str:
    """How many combinations are grounded (within an investigation) or only possible, under
    ``reading``, and what was not judged: the connected sets one larger than judged that are
    heavier than all their parts (``exposure_set_counts`` and ``not_judged`` of the JSON).

    Examples
    --------
    >>> counts = {"investigation": 8, "edge": 245, "total": 291, "grounded": 8,
    ...           "possible": 283}
    >>> print(grounding_sentence("ctivd", counts, {"max_set_size": 3,
    ...                          "heavier_larger_sets": 25, "exact": True}))
    Under the CTIVD reading, 8 of the 291 combinations are combined within an investigation \
and 283 are only possible; combinations of up to 3 datasets are judged, and 25 linked \
combinations of 4 that are heavier than all their parts are not (counted exactly).
    """
    t = translator(lang)
    size = int(not_judged["max_set_size"])  # type: ignore[call-overload]
    return t.gettext(
        "Under the {reading}, {grounded} of the {total} combinations are combined within an "
        "investigation and {possible} are only possible; combinations of up to {size} datasets "
        "are judged, and {larger} linked combinations of {next} that are heavier than all "
        "their parts are not ({how}).").format(
        reading=reading_name(reading, lang), grounded=t.number(counts["grounded"]),
        total=t.number(counts["total"]), possible=t.number(counts["possible"]),
        size=t.number(size), next=t.number(size + 1),
        larger=t.number(not_judged["heavier_larger_sets"]),
        how=t.gettext("counted exactly") if not_judged["exact"] else t.gettext(
            "an upper bound: counting them all would take too long"))
