"""Tables for reports: readable column names and number formats.

Reviewers read these tables without Python: columns say what they count, and
numbers carry thousands separators instead of scientific notation.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

__all__ = ["POLICY_COLUMNS", "policy_table", "sensitivity_table", "interval_table"]

#: Headline metric → column heading in reports.
POLICY_COLUMNS = {
    "under_protected": "under-protected sets",
    "under_protected_persons": "distinct persons linked in them",
    "escalated": "datasets escalated",
    "escalated_slight": "of which slight alone (outside regime or light)",
    "escalated_low": "of which slight alone (outside regime or light)",
    "escalated_persons": "distinct persons in escalated datasets",
    "escalated_records": "records in escalated datasets",
    "escalation_cost": "escalation cost (cost units, one-off)",
    "authorisations_per_year": "authorisations a year",
    "authorisation_cost": "authorisation cost (cost units)",
    "total_burden": "total burden (cost units)",
    "level_increase": "levels raised",
    "authorisations": "investigations needing authorisation",
    "status": "solver status",
}

#: Metrics shown with one decimal (costs and rates); counts have none.
_DECIMAL = {"escalation_cost", "authorisation_cost", "total_burden", "authorisations_per_year"}


def policy_table(frame: pd.DataFrame, columns: list[str] | None = None) -> Styler:
    """Headline metrics per policy, renamed and formatted for a report.

    Parameters
    ----------
    frame : pandas.DataFrame
        :meth:`bulkimpact.evaluate.Evaluation.to_frame` output (or a subset of
        its columns, possibly with a column MultiIndex whose last level is the metric).
    columns : list of str, optional
        Metrics to show, in order; default all of :data:`POLICY_COLUMNS` present.

    Examples
    --------
    >>> f = pd.DataFrame({"under_protected_persons": [1259319.0], "escalated": [3]},
    ...                  index=["per_dataset"])
    >>> html = policy_table(f).to_html()
    >>> "1,259,319" in html and "distinct persons linked in them" in html
    True
    """
    metric = (lambda c: c[-1]) if isinstance(frame.columns, pd.MultiIndex) else (lambda c: c)
    wanted = columns or [c for c in POLICY_COLUMNS if c != "escalated_low"]
    keep = [c for c in frame.columns if metric(c) in wanted]
    shown = frame[keep]
    formats = {c: ("{:,.1f}" if metric(c) in _DECIMAL else "{:,.0f}")
               for c in keep if metric(c) != "status"}
    renamed = {c: POLICY_COLUMNS.get(c, c) for c in keep} if not isinstance(
        frame.columns, pd.MultiIndex) else None
    styler = shown.style.format(formats)
    if renamed:
        styler = styler.relabel_index([renamed[c] for c in keep], axis="columns")
    else:
        styler = styler.format_index(lambda c: POLICY_COLUMNS.get(c, c), axis="columns",
                                     level=shown.columns.nlevels - 1)
    return styler


def sensitivity_table(table: pd.DataFrame) -> Styler:
    """:func:`bulkimpact.sensitivity.tornado` output as a readable table.

    Examples
    --------
    >>> t = pd.DataFrame({"assumption": ["stated", "a"], "label": ["as stated", "A (× 0.5–2)"],
    ...                   "end": ["stated", "low"], "value": [float("nan"), 0.5],
    ...                   "per_dataset_under_protected": [1200, 3],
    ...                   "component_escalated_slight": [1, 2],
    ...                   "minimal_escalation_burden": [1.0, 2.0], "use_based_burden": [3.0, 4.0],
    ...                   "cheapest_full_protection": ["x", "y"],
    ...                   "break_even_use_rate": [None, 0.25]})
    >>> html = sensitivity_table(t).to_html()
    >>> "1,200" in html and "A (× 0.5–2)" in html and "nan" not in html
    True
    """
    from ..sensitivity import HEADLINE_QUANTITIES

    shown = table.set_index(["label", "end"])[[*HEADLINE_QUANTITIES, "cheapest_full_protection",
                                              "break_even_use_rate"]]
    shown.index.names = ["assumption", "end of range"]
    headings = {**HEADLINE_QUANTITIES,
                "cheapest_full_protection": "cheapest rule protecting every combination",
                "break_even_use_rate": "break-even use rate (a year)"}
    formats = {"per_dataset_under_protected": "{:,.0f}", "component_escalated_slight": "{:,.0f}",
               "minimal_escalation_burden": "{:,.1f}", "use_based_burden": "{:,.1f}",
               "break_even_use_rate": "{:.3g}"}
    return (shown.style.format(formats, na_rep="–")
            .relabel_index([headings[c] for c in shown.columns], axis="columns"))


def interval_table(summary: pd.DataFrame, metrics: list[str]) -> Styler:
    """Robustness summary as "median [5th–95th percentile]" per policy and metric.

    Examples
    --------
    >>> cols = pd.MultiIndex.from_product([["escalated"], ["low", "median", "high"]])
    >>> s = pd.DataFrame([[1.0, 2.0, 26.0]], index=["k_hop"], columns=cols)
    >>> "2 [1–26]" in interval_table(s, ["escalated"]).to_html()
    True
    """
    def cell(row: pd.Series, metric: str) -> str:
        fmt = "{:,.1f}" if metric in _DECIMAL else "{:,.0f}"
        low, med, high = (fmt.format(row[(metric, q)]) for q in ("low", "median", "high"))
        return f"{med} [{low}–{high}]"

    shown = pd.DataFrame({POLICY_COLUMNS.get(m, m): [cell(r, m) for _, r in summary.iterrows()]
                          for m in metrics}, index=summary.index)
    shown.index.name = "policy"
    return shown.style
