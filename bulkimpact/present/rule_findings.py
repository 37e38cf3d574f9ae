"""The decision rules side by side, in words: which rule protects every combination at
least burden, which rule raises which datasets, and the frontier figures' titles and alt
texts (reports 00 and 04).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..evaluate import Evaluation, cheapest_full_protection
from .i18n import (
    reading_name,
    rule_name,
    translator,
)
from .names import (
    plural,
)
from .phrases import bold_rule, capitalised, cost_text, count_text

__all__ = ["rules_finding", "frontier_title", "frontier_alt", "regimes_text", "burden_share",
           "readings_frontier_title", "readings_frontier_alt"]


def rules_finding(evaluation: Evaluation, lang: str = "en") -> str:
    """04's one-line finding: what assessment per dataset leaves, what the component rule
    escalates, and the cheapest rule that protects every combination.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(rules_finding(ev))  # doctest: +NORMALIZE_WHITESPACE
    Assessment **per dataset** leaves 1 of 2 combinations under-protected; weighing each
    **whole component** together escalates 3 of 3 datasets, 3 of them of very slight
    intrusion on their own. The rule **authorisation per use** protects every combination
    without escalating a dataset, for 0.5 cost units.
    >>> print(rules_finding(ev, "nl"))  # doctest: +NORMALIZE_WHITESPACE
    Wie elke bulkdataset afzonderlijk beoordeelt, laat 1 van de 2 combinaties onvoldoende
    beschermd; wie de bulkdatasets per verbonden geheel in samenhang weegt (regel **hele
    component**), brengt 3 van de 3 bulkdatasets in een zwaarder regime, waarvan 3 met op
    zichzelf een zeer geringe inbreuk. De regel **toestemming per gebruik** beschermt elke
    combinatie zonder een bulkdataset zwaarder te behandelen, voor 0,5 kosteneenheden.
    """
    t = translator(lang)
    o = evaluation.outcomes
    parts = []
    if "per_dataset" in o and "component" in o:
        p, c = o["per_dataset"], o["component"]
        parts.append(t.gettext(
            "Assessment **per dataset** leaves {under} of {sets} under-protected; weighing each "
            "{component} together escalates {escalated} of {datasets}, {slight} of them of very "
            "slight intrusion on their own.").format(
            under=count_text(p.under_protected, t),
            sets=plural(len(evaluation.sets), "combination", lang=lang),
            component=bold_rule("component", lang), escalated=count_text(c.escalated, t),
            datasets=plural(evaluation.datasets, "dataset", lang=lang),
            slight=count_text(c.escalated_slight, t)))
    best = cheapest_full_protection(evaluation)
    if best is None:
        parts.append(t.gettext("No rule protects every combination."))
    elif o[best].escalated:
        parts.append(t.gettext(
            "The rule {rule} protects every combination by escalating {datasets}, for {cost} "
            "cost units.").format(rule=bold_rule(best, lang),
                             datasets=plural(o[best].escalated, "dataset", lang=lang),
                             cost=cost_text(o[best].total_burden, t)))
    else:
        parts.append(t.gettext(
            "The rule {rule} protects every combination without escalating a dataset, for "
            "{cost} cost units.").format(rule=bold_rule(best, lang),
                                         cost=cost_text(o[best].total_burden, t)))
    return " ".join(parts)


def frontier_title(evaluation: Evaluation, lang: str = "en") -> str:
    """Title of the burden–protection figure: the cheapest rule that protects everything."""
    t = translator(lang)
    best = cheapest_full_protection(evaluation)
    if best is None:
        return t.gettext("No rule protects every combination")
    return capitalised(t.gettext("{rule} protects every combination at the lowest burden "
                          "({cost} cost units) with the stated assumptions").format(
        rule=rule_name(best, lang), cost=cost_text(evaluation.outcomes[best].total_burden, t)))


def frontier_alt(frame: pd.DataFrame, pareto: Sequence[str], lang: str = "en") -> str:
    """Alt text of the burden–protection figure: every rule's two values."""
    t = translator(lang)
    rules = "; ".join(t.gettext("{rule}: burden {cost} cost units, {sets} under-protected").format(
        rule=rule_name(p, lang), cost=cost_text(r["total_burden"], t),
        sets=plural(r["under_protected"], "combination", lang=lang)) for p, r in frame.iterrows())
    return t.gettext("Scatter plot of total burden in cost units (x) against under-protected "
                     "combinations (y) per decision rule; on the frontier: {front}. "
                     "{rules}.").format(front=t.join([rule_name(p, lang) for p in pareto]),
                                        rules=rules)


def regimes_text(regimes: pd.DataFrame, evaluation: Evaluation,
                 lang: str = "en") -> dict[str, str]:
    """Title and summary sentence of the regime heat map (datasets × rules).

    ``regimes`` is :meth:`bulkimpact.evaluate.Evaluation.regimes` output.
    Keys: ``title`` (the rule that raises most, and the protecting rule that
    raises fewest), ``summary`` (datasets raised by some rule, and per rule).
    """
    t = translator(lang)
    raised_by = regimes.drop(columns="own_level").gt(regimes["own_level"], axis=0)
    counts = raised_by.sum()
    escalated = int(raised_by.any(axis=1).sum())
    kept = len(regimes) - escalated
    most = counts.idxmax()
    protecting = [r for r, o in evaluation.outcomes.items()
                  if o.under_protected == 0 and r != most and counts.get(r, 0) > 0]
    fewest = min(protecting, key=lambda r: counts[r]) if protecting else None
    title = capitalised(t.gettext("{rule} raises {raised} of {datasets}").format(
        rule=rule_name(most, lang), raised=count_text(counts[most], t),
        datasets=plural(len(regimes), "dataset", lang=lang)))
    if fewest is not None:
        title += t.gettext("; {rule} raises {raised} and still leaves no combination "
                           "under-protected").format(rule=rule_name(fewest, lang),
                                                     raised=count_text(counts[fewest], t))
    summary = t.gettext("{escalated} of {total} are escalated by at least one rule; the other "
                        "{kept} keep their own level under every rule. Datasets raised, per "
                        "rule: {per_rule}.").format(
        escalated=count_text(escalated, t), total=plural(len(regimes), "dataset", lang=lang),
        kept=count_text(kept, t),
        per_rule=t.join([f"{rule_name(r, lang)} {count_text(n, t)}" for r, n in counts.items()]))
    return {"title": title, "summary": summary}


def burden_share(evaluation: Evaluation, lang: str = "en") -> str | None:
    """What the cheapest fully protecting rule costs as a share of the component rule."""
    t = translator(lang)
    o = evaluation.outcomes
    best = cheapest_full_protection(evaluation)
    if best is None or "component" not in o or o["component"].total_burden <= 0:
        return None
    return t.gettext("On this inventory, {rule} costs {share} of the burden of the "
                     "whole-component rule.").format(
        rule=bold_rule(best, lang),
        share=t.percent(o[best].total_burden, o["component"].total_burden))


def readings_frontier_title(evaluation: Evaluation, reading: str, lang: str = "en") -> str:
    """Title of the frontier figure of report 00 (every reading): what the report's reading finds.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("ctivd"), toy_rulebook())
    >>> readings_frontier_title(ev, "ctivd", "nl")
    'In de lezing van de CTIVD beschermt toestemming per gebruik elke combinatie tegen de \
laagste lasten bij de gestelde aannamen'
    """
    t = translator(lang)
    best = cheapest_full_protection(evaluation)
    if best is None:
        return t.gettext("Under the {reading}, no rule protects every combination").format(
            reading=reading_name(reading, lang))
    return t.gettext("Under the {reading}, {rule} protects every combination at the lowest "
                     "burden with the stated assumptions").format(
        reading=reading_name(reading, lang), rule=rule_name(best, lang))


def readings_frontier_alt(evaluations: Mapping[str, Evaluation], lang: str = "en") -> str:
    """Alt text of report 00's frontier figure: every rule's two values under every reading."""
    t = translator(lang)
    panels = []
    for reading, ev in evaluations.items():
        rules = "; ".join(
            t.gettext("{rule}: burden {cost} cost units, {sets} under-protected").format(
                rule=rule_name(name, lang), cost=cost_text(o.total_burden, t),
                sets=plural(o.under_protected, "combination", lang=lang))
            for name, o in ev.outcomes.items())
        # TRANSLATORS: one panel of the figure: {reading} its name, {front} the rules on the
        # frontier, {rules} every rule's values.
        panels.append(t.gettext("{reading}: frontier {front}; {rules}.").format(
            reading=reading_name(reading, lang),
            front=t.join([rule_name(p, lang) for p in ev.pareto]), rules=rules))
    return t.gettext("Scatter plots, one per reading of the openness criterion: total burden "
                     "in cost units (x) against under-protected combinations (y), one marker "
                     "per decision rule.") + " " + " ".join(panels)
