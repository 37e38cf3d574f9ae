"""Plain-language findings, computed from results (never typed in by hand).

Reports show these sentences to readers who never open Python; each one says
what it counts and under which rule, so a number is never shown bare.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .evaluate import Evaluation
from .rulebook import Rulebook

__all__ = ["plural", "percent", "policy_findings", "dispute_verdict", "openness_findings"]


def plural(n: float, singular: str, plural_form: str | None = None) -> str:
    """``"1 dataset"``, ``"3 datasets"``, with thousands separators.

    Examples
    --------
    >>> plural(1, "dataset"), plural(12000, "person")
    ('1 dataset', '12,000 persons')
    """
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{n:,.0f} {word}"


def percent(part: float, whole: float) -> str:
    """A share as a rounded percentage.

    Examples
    --------
    >>> percent(1, 3), percent(0, 0)
    ('33%', '0%')
    """
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def policy_findings(evaluation: Evaluation, rulebook: Rulebook) -> list[str]:
    """One sentence per policy on what it leaves under-protected and what it escalates.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.evaluate import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(policy_findings(ev, toy_rulebook())[0])
    **per_dataset** (each dataset on its own nature): 1 exposure set under-protected
    (4,000 linked persons); escalates nothing.
    """
    low = f"{rulebook.low_intrusion_level} {rulebook.levels[rulebook.low_intrusion_level].name}"
    n = evaluation.datasets
    explain = {
        "per_dataset": "each dataset on its own nature",
        "component": "each dataset at the level of its whole linked component",
        "k_hop": "each dataset weighed with its neighbours up to k links away",
        "threshold": "components of strong links only",
        "minimal_escalation": "the cheapest escalation leaving nothing under-protected",
        "use_based": "no escalation; combinations authorised when used",
    }
    out = []
    for name, o in evaluation.outcomes.items():
        params = ", ".join(f"{k}={v}" for k, v in o.params.items() if k in ("k", "t"))
        head = f"**{name}**" + (f" ({params})" if params else "")
        head += f" ({explain.get(name, name)})"
        under = (f"{plural(o.under_protected, 'exposure set')} under-protected "
                 f"({plural(o.under_protected_persons, 'linked person')})"
                 if o.under_protected else "no exposure set under-protected")
        if o.escalated:
            esc = (f"escalates {plural(o.escalated, 'dataset')} of {n} "
                   f"({percent(o.escalated, n)}), {o.escalated_low} of them at level {low} "
                   f"on their own, cost {o.escalation_cost:g}")
        else:
            esc = "escalates nothing"
        extra = ""
        if o.authorisations_potential:
            extra = (f"; {plural(o.authorisations, 'investigation')} "
                     f"{'needs' if o.authorisations == 1 else 'need'} a case-by-case "
                     f"authorisation, {plural(o.authorisations_potential, 'combination')} "
                     "would if used")
        if o.status not in ("exact",):
            extra += f"; solver status: {o.status}"
        out.append(f"{head}: {under}; {esc}{extra}.")
    return out


def dispute_verdict(evaluation: Evaluation, rulebook: Rulebook) -> list[str]:
    """The two claims of the dispute, each tested on this inventory.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.evaluate import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(dispute_verdict(ev, toy_rulebook())[0])
    CTIVD: per-dataset assessment leaves 1 of 2 exposure sets under-protected,
    with 4,000 linked persons.
    """
    o = evaluation.outcomes
    n_sets = len(evaluation.sets)
    n = evaluation.datasets
    lines = []
    if "per_dataset" in o:
        p = o["per_dataset"]
        lines.append(f"CTIVD: per-dataset assessment leaves {p.under_protected} of "
                     f"{plural(n_sets, 'exposure set')} under-protected, with "
                     f"{plural(p.under_protected_persons, 'linked person')}.")
    if "component" in o:
        c = o["component"]
        lines.append(f"Ministers: weighing whole linked components together escalates "
                     f"{c.escalated} of {plural(n, 'dataset')} ({percent(c.escalated, n)}), "
                     f"{c.escalated_low} of which are of the lowest personal level on their "
                     "own.")
    if "minimal_escalation" in o and "component" in o:
        m, c = o["minimal_escalation"], o["component"]
        lines.append(f"Optimal rule: protecting every exposure set needs only "
                     f"{plural(m.escalated, 'escalated dataset')} "
                     f"({m.escalated_low} of the lowest personal level), cost "
                     f"{m.escalation_cost:g} against {c.escalation_cost:g} for the component "
                     f"rule (solver: {m.status}).")
    return lines


def openness_findings(levels: pd.DataFrame, variants: Sequence[str],
                      persons: pd.Series) -> list[str]:
    """Which datasets change level between openness readings, and how many persons.

    ``levels`` has one column per variant (dataset levels on their own).

    Examples
    --------
    >>> lv = pd.DataFrame({"services": [1, 2], "ctivd": [2, 2]}, index=["a", "b"])
    >>> print(openness_findings(lv, ["services", "ctivd"], pd.Series({"a": 10, "b": 5}))[0])
    From the services reading to the ctivd reading, 1 dataset changes level (a),
    holding 10 persons; 1 goes up.
    """
    a, b = variants
    changed = levels.index[levels[a] != levels[b]]
    if not len(changed):
        return [f"No dataset changes level between the {a} and {b} readings."]
    up = int((levels.loc[changed, b] > levels.loc[changed, a]).sum())
    names = ", ".join(changed[:8]) + (", …" if len(changed) > 8 else "")
    return [f"From the {a} reading to the {b} reading, {plural(len(changed), 'dataset')} "
            f"changes level ({names}), holding {plural(persons[changed].sum(), 'person')}; "
            f"{up} {'goes' if up == 1 else 'go'} up."]
