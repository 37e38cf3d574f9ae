"""Tables for reports: readable column names and number formats.

Reviewers read these tables without Python: columns say what they count, and
numbers carry thousands separators instead of scientific notation.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

__all__ = ["POLICY_COLUMNS", "policy_table"]

#: Headline metric → column heading in reports.
POLICY_COLUMNS = {
    "under_protected": "under-protected sets",
    "under_protected_persons": "linked persons in them",
    "escalated": "datasets escalated",
    "escalated_low": "of which low-intrusion alone",
    "escalated_persons": "persons in escalated datasets",
    "escalation_cost": "escalation cost",
    "level_increase": "levels raised",
    "authorisations": "authorisations (investigations)",
    "status": "solver status",
}


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
    >>> "1,259,319" in html and "linked persons in them" in html
    True
    """
    metric = (lambda c: c[-1]) if isinstance(frame.columns, pd.MultiIndex) else (lambda c: c)
    keep = [c for c in frame.columns if metric(c) in (columns or POLICY_COLUMNS)]
    shown = frame[keep]
    formats = {c: ("{:,.1f}" if metric(c) == "escalation_cost" else "{:,.0f}")
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
