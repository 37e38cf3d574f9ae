"""Tables of the exploration: what changes if one assumption moves (the sensitivity
analysis) and the spread over all assumptions drawn at once (the robustness draws).

Both read the column registry of :mod:`bulkimpact.present.tables`, so their headings and
number formats are the rules table's.
"""

from __future__ import annotations

import pandas as pd

from .i18n import NP_, translator
from .names import assumption_name
from .tables import COLUMNS, Column, Table, cell, table

__all__ = ["sensitivity_table", "interval_table"]


def _end_name(end: str, lang: str) -> str:
    t = translator(lang)
    names = {"stated": NP_("range end", "as stated"), "low": NP_("range end", "low end"),
             "high": NP_("range end", "high end")}
    return t.pgettext("range end", names[end]) if end in names else end


def sensitivity_table(frame: pd.DataFrame, lang: str = "en", *, download: str | None = None,
                      caption: str | None = None) -> Table:
    """:func:`bulkimpact.sensitivity.tornado` output as a report table.

    Examples
    --------
    >>> t = pd.DataFrame({"assumption": ["stated", "overlap_factor"],
    ...                   "label": ["as stated", "A (× 0.5–2)"],
    ...                   "end": ["stated", "low"], "value": [float("nan"), 0.5],
    ...                   "per_dataset_under_protected": [1200, 3],
    ...                   "component_escalated_slight": [1, 2],
    ...                   "minimal_escalation_burden": [1.0, 2.0], "use_based_burden": [3.0, 4.0],
    ...                   "cheapest_full_protection": ["minimal_escalation", "use_based"],
    ...                   "break_even_use_rate": [None, 0.25]})
    >>> html = sensitivity_table(t).to_html()
    >>> "1,200" in html and "overlaps between datasets" in html and "nan" not in html
    True
    >>> "ophoging" in sensitivity_table(t, "nl").html
    True
    """
    from ..sensitivity import HEADLINE_QUANTITIES

    shown = frame.assign(
        assumption=[("–" if a == "stated" else assumption_name(a, lang))
                    for a in frame["assumption"]],
        end=[_end_name(e, lang) for e in frame["end"]])
    return table(shown, lang, ["assumption", "end", *HEADLINE_QUANTITIES,
                                "cheapest_full_protection", "break_even_use_rate"],
                 download=download, caption=caption)


def interval_table(summary: pd.DataFrame, metrics: list[str], lang: str = "en", *,
                   download: str | None = None, caption: str | None = None) -> Table:
    """Robustness summary as "median [5th–95th percentile]" per decision rule and metric.

    Examples
    --------
    >>> cols = pd.MultiIndex.from_product([["escalated"], ["low", "median", "high"]])
    >>> s = pd.DataFrame([[1.0, 2.0, 26.0]], index=["k_hop"], columns=cols)
    >>> "2 [1–26]" in interval_table(s, ["escalated"]).to_html()
    True
    >>> s = pd.DataFrame([[1.0, 2.0, 71550300.0]], index=["k_hop"],
    ...                  columns=pd.MultiIndex.from_product([["total_burden"],
    ...                                                      ["low", "median", "high"]]))
    >>> "2,0 [1,0–71.550.300,0]" in interval_table(s, ["total_burden"], "nl").html
    True
    """
    spec = {m: COLUMNS.get(m, Column(m)) for m in metrics}

    def interval(row: pd.Series, metric: str) -> str:
        col = spec[metric]
        low, med, high = (cell(row[(metric, q)], col.kind, lang, col.digits)
                          for q in ("low", "median", "high"))
        return f"{med} [{low}–{high}]"

    shown = pd.DataFrame({m: [interval(r, m) for _, r in summary.iterrows()] for m in metrics},
                         index=summary.index)
    extra = {m: Column(spec[m].heading, "text") for m in metrics}
    return table(shown, lang, metrics, index="rule", extra=extra, download=download,
                 caption=caption)
