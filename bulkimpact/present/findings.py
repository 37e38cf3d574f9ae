"""Plain-language findings, computed from results (never typed in by hand).

Reports show these sentences to readers who never open Python; each one says
what it counts and under which rule, so a number is never shown bare.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..evaluate import Evaluation, PolicyOutcome, cheapest_full_protection
from ..rulebook import Rulebook

__all__ = ["plural", "percent", "policy_findings", "dispute_verdict", "openness_findings",
           "readings_verdict", "RULE_MEANING"]


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


#: One line on what each decision rule does, for sentences and tables.
RULE_MEANING = {
    "per_dataset": "each dataset on its own nature",
    "component": "each dataset at the level of its whole linked component",
    "k_hop": "each dataset weighed with its neighbours up to k links away",
    "threshold": "components of strong links only",
    "minimal_escalation": "the cheapest escalation leaving nothing under-protected",
    "use_based": "no escalation; every use of a heavier combination authorised beforehand",
}


def _cost(x: float) -> str:
    return f"{x:,.1f}"


def _slight(o: PolicyOutcome, rulebook: Rulebook) -> str:
    light = rulebook.levels[rulebook.low_intrusion_level].name
    return (f"{o.escalated_slight} of slight intrusion on their own "
            f"({o.escalated_outside_regime} outside the regime, {o.escalated_light} {light})")


def policy_findings(evaluation: Evaluation, rulebook: Rulebook) -> list[str]:
    """One sentence per policy: under-protection, escalation and its burden, in stated units.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.evaluate import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(policy_findings(ev, toy_rulebook())[0])
    **per_dataset** (each dataset on its own nature): 1 exposure set under-protected
    (4,000 distinct persons linked in them); escalates nothing; burden 0.0 cost units.
    """
    n = evaluation.datasets
    out = []
    for name, o in evaluation.outcomes.items():
        params = ", ".join(f"{k}={v}" for k, v in o.params.items() if k in ("k", "t"))
        head = f"**{name}**" + (f" ({params})" if params else "")
        head += f" ({RULE_MEANING.get(name, name)})"
        under = (f"{plural(o.under_protected, 'exposure set')} under-protected "
                 f"({plural(o.under_protected_persons, 'distinct person')} linked in them)"
                 if o.under_protected else "no exposure set under-protected")
        if o.escalated:
            esc = (f"escalates {plural(o.escalated, 'dataset')} of {n} "
                   f"({percent(o.escalated, n)}), {_slight(o, rulebook)}, holding "
                   f"{plural(o.escalated_persons, 'distinct person')} "
                   f"({plural(o.escalated_records, 'record')})")
        else:
            esc = "escalates nothing"
        if o.authorisations_potential:
            esc += (f"; {plural(o.authorisations_potential, 'combination')} "
                    f"{'needs' if o.authorisations_potential == 1 else 'need'} an "
                    f"authorisation whenever used, {o.authorisations_per_year:,.1f} a year "
                    f"({plural(o.authorisations, 'investigation')} among them)")
        burden = f"burden {_cost(o.total_burden)} cost units"
        if o.authorisation_cost and o.escalation_cost:
            burden += (f" ({_cost(o.escalation_cost)} escalation + "
                       f"{_cost(o.authorisation_cost)} authorisation)")
        status = f"; solver status: {o.status}" if o.status not in ("exact", "optimal") else ""
        out.append(f"{head}: {under}; {esc}; {burden}{status}.")
    return out


def _join(names: Sequence[str]) -> str:
    names = [f"**{n}**" for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def dispute_verdict(evaluation: Evaluation, rulebook: Rulebook) -> list[str]:
    """The two claims of the dispute, the frontier and the break-even rate, computed.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.evaluate import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(dispute_verdict(ev, toy_rulebook())[0])
    CTIVD: per-dataset assessment leaves 1 of 2 exposure sets under-protected,
    with 4,000 distinct persons linked in them.
    """
    o = evaluation.outcomes
    n_sets = len(evaluation.sets)
    n = evaluation.datasets
    lines = []
    if "per_dataset" in o:
        p = o["per_dataset"]
        lines.append(f"CTIVD: per-dataset assessment leaves {p.under_protected:,} of "
                     f"{plural(n_sets, 'exposure set')} under-protected, with "
                     f"{plural(p.under_protected_persons, 'distinct person')} linked in them.")
    if "component" in o:
        c = o["component"]
        lines.append(f"Ministers: weighing whole linked components together escalates "
                     f"{c.escalated} of {plural(n, 'dataset')} ({percent(c.escalated, n)}), "
                     f"{_slight(c, rulebook)}.")
    front = evaluation.pareto
    if front:
        lines.append(f"Frontier: {_join(front)} "
                     f"{'is' if len(front) == 1 else 'are'} not beaten on both "
                     "under-protected exposure sets and total burden by any other rule.")
    best = cheapest_full_protection(evaluation)
    if best is not None:
        b = o[best]
        lines.append(f"The cheapest rule that leaves nothing under-protected is **{best}**: "
                     f"burden {_cost(b.total_burden)} cost units, "
                     f"{plural(b.escalated, 'dataset')} escalated "
                     f"({b.escalated_slight} of slight intrusion on their own).")
    rate = evaluation.break_even_use_rate
    if rate is not None and "use_based" in o and "minimal_escalation" in o:
        assumed = evaluation.params.use_rate
        side = "below" if assumed < rate else "at or above"
        lines.append(f"Break-even: case-by-case authorisation costs less than minimal "
                     f"escalation while a possible combination outside the investigations is "
                     f"used fewer than {rate:,.3g} times a year; the assumed rate "
                     f"({assumed:g}) lies {side} it.")
    return lines


def readings_verdict(evaluations: Mapping[str, Evaluation], rulebook: Rulebook) -> list[str]:
    """Each claim under each openness reading, the ministers' own reading first.

    ``evaluations`` maps reading name → evaluation, in the order to report.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.evaluate import evaluate_policies
    >>> rb = toy_rulebook()
    >>> evs = {r: evaluate_policies(toy_graph(r), rb) for r in ("services", "ctivd")}
    >>> print(readings_verdict(evs, rb)[0])
    Under the services' reading ("Services' reading (leaked and purchased data count as
    publicly accessible)"): the component rule escalates 3 of 3 datasets, 3 of slight
    intrusion on their own (0 outside the regime, 3 light); per-dataset assessment leaves
    1 exposure set under-protected.
    """
    out = []
    for reading, ev in evaluations.items():
        o = ev.outcomes
        parts = []
        if "component" in o:
            c = o["component"]
            parts.append(f"the component rule escalates {c.escalated} of "
                         f"{plural(ev.datasets, 'dataset')}, {_slight(c, rulebook)}")
        if "per_dataset" in o:
            parts.append(f"per-dataset assessment leaves "
                         f"{plural(o['per_dataset'].under_protected, 'exposure set')} "
                         "under-protected")
        label = rulebook.openness_variants[reading].label
        name = "the services'" if reading == "services" else f"the {reading}"
        out.append(f"Under {name} reading (\"{label}\"): " + "; ".join(parts) + ".")
    return out


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
