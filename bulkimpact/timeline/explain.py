"""Why a destruction can make a rule look worse: where its gaps or cost rise, and the cause.

Destroying a dataset never makes a combination heavier, yet a rule's
under-protected combinations or escalation cost can rise afterwards: a rule
that weighs a dataset with its neighbourhood (``k_hop``, ``component``,
``threshold``) loses the dataset that lifted its neighbours, and minimal
escalation chooses its escalations anew for the combinations that remain.
:func:`rises` finds, per rule, the first day this happens in a what-if and
what changed that day, so notebook 08 can say so where it happens and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .steps import WhatIf

__all__ = ["Rise", "rises"]


@dataclass(frozen=True)
class Rise:
    """A rule whose figures rise after a change, on the first day they do.

    ``under_protected`` and ``escalation_cost`` are (baseline, what-if) that
    day; ``lowered`` the datasets held in both whose regime under the rule
    fell, with (baseline, what-if) regimes; ``new_sets`` the combinations
    judged only in the what-if.
    """

    policy: str
    day: date
    under_protected: tuple[int, int]
    escalation_cost: tuple[float, float]
    lowered: tuple[tuple[str, int, int], ...]
    new_sets: tuple[tuple[str, ...], ...]

    @property
    def cause(self) -> str:
        """``"neighbourhood"`` (datasets lost the level their neighbours gave them),
        ``"new_sets"`` (combinations judged only after the change) or ``"reoptimised"``."""
        if self.lowered:
            return "neighbourhood"
        return "new_sets" if self.new_sets else "reoptimised"


def rises(w: WhatIf) -> list[Rise]:
    """Per rule, the first day on or after the change its gaps or escalation cost rise.

    Examples
    --------
    Destroying the baseline's heaviest linker on its peak day makes no rule look worse:

    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import parse_change, retention_timeline, what_if
    >>> a = load_analysis("data/synthetic/baseline.yaml", policies=["per_dataset", "k_hop"])
    >>> rises(what_if(retention_timeline(a),
    ...               [parse_change("leak-recipe-site@2025-05-12", a.inventory)]))
    []
    """
    diff = w.diff_frame()
    out: list[Rise] = []
    if diff.empty:
        return out
    for name in w.baseline.policies:
        mine = diff[diff["policy"] == name]
        worse = mine[(mine["under_protected (change)"] > 0)
                     | (mine["escalation_cost (change)"] > 1e-9)]
        if worse.empty:
            continue
        row = worse.iloc[0]
        day = row["date"].date()
        b, s = w.baseline.at(day), w.scenario.at(day)
        ob, os_ = b.evaluation.outcomes[name], s.evaluation.outcomes[name]
        lowered = tuple((n, ob.regime[n], os_.regime[n]) for n in sorted(s.held)
                        if n in ob.regime and n in os_.regime and os_.regime[n] < ob.regime[n])
        before = {x.members for x in b.sets}
        new_sets = tuple(sorted(x.members for x in s.sets if x.members not in before))
        out.append(Rise(name, day, (int(row["under_protected"]),
                                    int(row["under_protected (what-if)"])),
                        (float(row["escalation_cost"]), float(row["escalation_cost (what-if)"])),
                        lowered, new_sets))
    return out
