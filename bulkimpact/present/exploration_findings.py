"""What changes if: the titles, sentences and alt texts of the linkage-density sweep, the
one-at-a-time sensitivity analysis and the Monte Carlo intervals (report 04).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .i18n import (
    rule_name,
    translator,
)
from .names import (
    assumption_name,
    plural,
    quantity_name,
)
from .phrases import bold_rule, cost_text, count_text

__all__ = ["sweep_text", "sensitivity_text", "robustness_text"]


def sweep_text(mean: pd.DataFrame, scenarios: int, n_datasets: int, replicates: int,
               failed: int, lang: str = "en") -> dict[str, str]:
    """Title, alt text, caption and summary of the linkage-density sweep.

    ``mean`` is the mean share of datasets escalated (0–1): densities (rows) ×
    rules (columns).
    """
    t = translator(lang)
    crossing = mean.index[mean["component"] >= 0.5] if "component" in mean else []
    if len(crossing):
        title = t.gettext("From linkage density {density} on, the whole-component rule "
                          "escalates half of all datasets or more").format(
            density=t.decimal(float(crossing[0])))
    else:
        title = t.gettext("The whole-component rule stays below half of the datasets here")
    points = "; ".join(t.gettext("density {density}: whole component {component}, minimal "
                                 "escalation {minimal}").format(
        density=t.decimal(float(d)), component=t.percent(r["component"], 1),
        minimal=t.percent(r["minimal_escalation"], 1)) for d, r in mean.iterrows())
    alt = t.gettext("Two line charts against linkage density. Left: share of datasets "
                    "escalated per rule and the size of the largest linked component. Right: "
                    "under-protected combinations. {points}.").format(points=points)
    caption = t.gettext("{scenarios} of {datasets} each ({replicates} per density); "
                        "{failed} failed.").format(
        scenarios=t.ngettext("{n} scenario", "{n} scenarios", scenarios).format(
            n=t.number(scenarios)),
        datasets=plural(n_datasets, "dataset", lang=lang), replicates=count_text(replicates, t),
        failed=count_text(failed, t))
    last = mean.iloc[-1]
    summary = t.gettext("At the highest density swept ({density}) the whole-component rule "
                        "escalates {component} of datasets on average, minimal escalation "
                        "{minimal}, leaving no combination under-protected. Failed scenarios: "
                        "{failed}.").format(
        density=t.decimal(float(mean.index[-1])), component=t.percent(last["component"], 1),
        minimal=t.percent(last["minimal_escalation"], 1), failed=count_text(failed, t))
    return {"title": title, "alt": alt, "caption": caption, "summary": summary}


def sensitivity_text(table: pd.DataFrame, lang: str = "en") -> dict[str, Any]:
    """Title, sentences, alt text and caption of the one-at-a-time sensitivity analysis.

    ``table`` is :func:`bulkimpact.sensitivity.tornado` output. Keys:
    ``title``, ``sentences`` (a list), ``alt``, ``caption``.
    """
    from ..sensitivity import HEADLINE_QUANTITIES, biggest_mover

    t = translator(lang)
    stated = table.iloc[0]
    movers = {q: biggest_mover(table, q) for q in HEADLINE_QUANTITIES}
    flips = table[(table["end"] != "stated")
                  & (table["cheapest_full_protection"] != stated["cheapest_full_protection"])]
    top = max(movers, key=lambda q: abs(movers[q][2] - movers[q][1])
              / max(abs(stated[q]), 1e-9))
    name, lo, hi = movers[top]
    sentences = [t.gettext(
        "Relative to its stated value, the assumption that moves a headline figure most is "
        "**{assumption}**: {quantity} goes from {low} (low end) to {high} (high end), against "
        "{stated} as stated.").format(
        assumption=assumption_name(name, lang), quantity=quantity_name(top, lang),
        low=t.significant(lo, 4), high=t.significant(hi, 4),
        stated=t.significant(stated[top], 4))]
    verdict_rule = stated["cheapest_full_protection"]
    if len(flips):
        ends = {"low": t.gettext("at its low end"), "high": t.gettext("at its high end")}
        sentences.append(t.gettext(
            "The verdict (the cheapest rule that protects every combination, {rule} as stated) "
            "changes under {changes}.").format(
            rule=bold_rule(verdict_rule, lang), changes="; ".join(
                f"{assumption_name(r['assumption'], lang)} {ends.get(r['end'], r['end'])} "
                f"(→ {rule_name(str(r['cheapest_full_protection']), lang)})"
                for _, r in flips.iterrows())))
    else:
        sentences.append(t.gettext(
            "No single assumption at either end of its range changes the verdict: {rule} stays "
            "the cheapest rule that protects every combination.").format(
            rule=bold_rule(verdict_rule, lang)))
    title = t.gettext("{assumption} moves the headline most").format(
        assumption=assumption_name(name, lang).split(" (")[0].capitalize())
    alt = t.gettext("Four tornado charts, one per headline figure, with one bar per assumption "
                    "from its low-end to its high-end value.") + " " + " ".join(
        t.gettext("{quantity}: widest swing {assumption} ({low} to {high}).").format(
            quantity=quantity_name(q, lang), assumption=assumption_name(m[0], lang),
            low=t.significant(m[1], 4), high=t.significant(m[2], 4))
        for q, m in movers.items())
    caption = t.gettext("Each bar: the headline figure with one assumption at the low (light) "
                        "or high (dark) end of its range, all others as stated; the line is the "
                        "stated value.")
    return {"title": title, "sentences": sentences, "alt": alt, "caption": caption}


def robustness_text(summary: pd.DataFrame, draws: int, lang: str = "en") -> dict[str, str]:
    """Title, alt text and caption of the Monte Carlo intervals (``summarise_robustness``)."""
    t = translator(lang)
    title = t.gettext("Assessment per dataset leaves {low}–{high} combinations under-protected "
                      "across draws").format(
        low=count_text(summary.loc["per_dataset", ("under_protected", "low")], t),
        high=count_text(summary.loc["per_dataset", ("under_protected", "high")], t))
    rows = "; ".join(t.gettext("{rule}: under-protected {median} [{low}–{high}], burden "
                               "{burden} [{burden_low}–{burden_high}] cost units").format(
        rule=rule_name(p, lang), median=count_text(r[("under_protected", "median")], t),
        low=count_text(r[("under_protected", "low")], t),
        high=count_text(r[("under_protected", "high")], t),
        burden=cost_text(r[("total_burden", "median")], t),
        burden_low=cost_text(r[("total_burden", "low")], t),
        burden_high=cost_text(r[("total_burden", "high")], t)) for p, r in summary.iterrows())
    alt = t.gettext("Interval plots per decision rule (median and 5–95% interval) of "
                    "under-protected combinations and total burden: {rows}.").format(rows=rows)
    caption = t.ngettext("{n} draw of all uncertain inputs; median and 5–95% interval.",
                         "{n} draws of all uncertain inputs; median and 5–95% interval.",
                         draws).format(n=t.number(draws))
    return {"title": title, "alt": alt, "caption": caption}
