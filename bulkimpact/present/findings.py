"""Plain-language findings, computed from results (never typed in by hand).

Reports show these sentences to readers who never open Python; each one says
what it counts and under which rule, so a number is never shown bare.

Every function takes ``lang``: ``"en"`` (the default) or ``"nl"``. The words
come from the message catalogues of :mod:`bulkimpact.present.i18n`, numbers
are formatted for the language (Dutch 1.259.319 and 55,5) and counted nouns
take the catalogue's plural forms. Sentences name decision rules and
openness readings by their human names, in every language
(:func:`~bulkimpact.present.i18n.rule_name`,
:func:`~bulkimpact.present.i18n.reading_name`); the glossary page gives the id
the JSON and the CSV downloads use beside each name.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..evaluate import Evaluation, PolicyOutcome, cheapest_full_protection
from ..rulebook import Rulebook
from .i18n import (
    NP_,
    RULES,
    Translator,
    level_name,
    reading_label,
    reading_name,
    rule_meaning,
    rule_name,
    translator,
)
from .names import (  # noqa: F401 - also offered here, as before
    ASSUMPTION_NAMES,
    QUANTITY_NAMES,
    assumption_name,
    kind_name,
    plural,
    quantity_name,
)
from .tables import solver_status

__all__ = ["plural", "percent", "policy_findings", "dispute_verdict", "openness_findings",
           "readings_verdict", "RULE_MEANING", "ASSUMPTION_NAMES", "QUANTITY_NAMES",
           "assumption_name", "quantity_name", "rules_finding", "frontier_title", "frontier_alt",
           "regimes_text", "sweep_text", "sensitivity_text",
           "robustness_text", "burden_share", "SOURCE_NAMES", "OPENNESS_FLAGS", "source_name",
           "readings_frame", "openness_finding", "openness_changes", "levels_title",
           "sets_moved", "readings_compared", "CAPTIONS", "caption",
           "download_note"]


def percent(part: float, whole: float, lang: str = "en") -> str:
    """A share as a rounded percentage.

    Examples
    --------
    >>> percent(1, 3), percent(0, 0), percent(7, 12, lang="nl")
    ('33%', '0%', '58%')
    """
    return translator(lang).percent(part, whole)


#: One line on what each decision rule does, in English (for other languages:
#: :func:`bulkimpact.present.i18n.rule_meaning`).
RULE_MEANING = {rule: rule_meaning(rule, "en") for rule in RULES}


def _rule(name: str, t: Translator) -> str:
    """A rule named in a sentence: by its human name in every language (the glossary and
    every table give the id the JSON uses beside it)."""
    return rule_name(name, t.lang)


def _count(x: float, t: Translator) -> str:
    return t.number(x)


def _cost(x: float, t: Translator) -> str:
    return t.decimal(x, 1)


def _param(v: object, t: Translator) -> str:
    return t.decimal(v) if isinstance(v, numbers.Real) and not isinstance(v, bool) else str(v)


def _slight(o: PolicyOutcome, rulebook: Rulebook, t: Translator) -> str:
    light = level_name(rulebook.levels[rulebook.low_intrusion_level].name, t.lang)
    # TRANSLATORS: the escalated datasets at or below the rulebook's light level on their
    # own, the ministers' "zeer geringe inbreuk"; {light} is the level's name.
    return t.gettext("{count} of very slight intrusion on their own "
                     "({outside} outside the regime, {light_count} {light})").format(
        count=_count(o.escalated_slight, t), outside=_count(o.escalated_outside_regime, t),
        light_count=_count(o.escalated_light, t), light=light)


def policy_findings(evaluation: Evaluation, rulebook: Rulebook, lang: str = "en") -> list[str]:
    """One sentence per policy: under-protection, escalation and its burden, in stated units.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(policy_findings(ev, toy_rulebook())[0])
    **per dataset** (each dataset on its own nature): 1 combination under-protected
    (4,000 distinct persons linked in them); escalates nothing; burden 0.5 cost units.
    >>> print(policy_findings(ev, toy_rulebook(), lang="nl")[0])
    **per bulkdataset afzonderlijk** (elke bulkdataset naar zijn eigen aard): 1 combinatie
    onvoldoende beschermd (met de gekoppelde gegevens van 4.000 verschillende personen); brengt
    geen bulkdataset in een zwaarder regime; lasten 0,5 kosteneenheden.
    """
    t = translator(lang)
    n = evaluation.datasets
    out = []
    for name, o in evaluation.outcomes.items():
        params = ", ".join(f"{k}={_param(v, t)}" for k, v in o.params.items() if k in ("k", "t"))
        head = f"**{_rule(name, t)}**" + (f" ({params})" if params else "")
        head += f" ({rule_meaning(name, lang)})"
        if o.under_protected:
            # TRANSLATORS: {sets} is "N exposure sets", {persons} "N distinct persons".
            under = t.gettext("{sets} under-protected ({persons} linked in them)").format(
                sets=plural(o.under_protected, "exposure set", lang=lang),
                persons=plural(o.under_protected_persons, "distinct person", lang=lang))
        else:
            under = t.gettext("no combination under-protected")
        if o.escalated:
            # TRANSLATORS: also offered: {escalated} (the bare number escalated) and
            # {total_datasets} ("N datasets", all of them); {slight} is a whole clause.
            esc = t.gettext("escalates {datasets} of {total} ({share}), {slight}, "
                            "holding {persons} ({records})").format(
                datasets=plural(o.escalated, "dataset", lang=lang),
                escalated=_count(o.escalated, t), total=_count(n, t),
                total_datasets=plural(n, "dataset", lang=lang),
                share=t.percent(o.escalated, n), slight=_slight(o, rulebook, t),
                persons=plural(o.escalated_persons, "distinct person", lang=lang),
                records=plural(o.escalated_records, "record", lang=lang))
        else:
            esc = t.gettext("escalates nothing")
        if o.authorisations_potential:
            # TRANSLATORS: the use-based rule; {per_year} is uses a year, {investigations}
            # "N investigations" among the combinations.
            esc += "; " + t.ngettext(
                "{combinations} needs an authorisation whenever used, {per_year} a year "
                "({investigations} among them)",
                "{combinations} need an authorisation whenever used, {per_year} a year "
                "({investigations} among them)", o.authorisations_potential).format(
                combinations=plural(o.authorisations_potential, "combination", lang=lang),
                per_year=t.decimal(o.authorisations_per_year, 1),
                investigations=plural(o.authorisations, "investigation", lang=lang))
        burden = t.gettext("burden {cost} cost units").format(cost=_cost(o.total_burden, t))
        if o.authorisation_cost and o.escalation_cost:
            burden += " " + t.gettext("({escalation} escalation + "
                                      "{authorisation} authorisation)").format(
                escalation=_cost(o.escalation_cost, t),
                authorisation=_cost(o.authorisation_cost, t))
        status = ("; " + t.gettext("solver status: {status}").format(
            status=solver_status(o.status, lang))
                  if o.status not in ("exact", "optimal") else "")
        out.append(f"{head}: {under}; {esc}; {burden}{status}.")
    return out


def _join(names: Sequence[str], t: Translator) -> str:
    return t.join([f"**{_rule(n, t)}**" for n in names])


def dispute_verdict(evaluation: Evaluation, rulebook: Rulebook, lang: str = "en") -> list[str]:
    """The two claims of the dispute, the frontier and the break-even rate, computed.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(dispute_verdict(ev, toy_rulebook())[0])
    The CTIVD's point, computed on fictional data: per-dataset assessment leaves 1 of 2
    combinations under-protected, with 4,000 distinct persons linked in them.
    >>> print(dispute_verdict(ev, toy_rulebook(), lang="nl")[0])
    Het punt van de CTIVD, doorgerekend op fictieve gegevens: wie elke bulkdataset
    afzonderlijk beoordeelt, laat 1 van de 2 combinaties onvoldoende beschermd, met de
    gekoppelde gegevens van 4.000 verschillende personen.
    """
    return list(_claims(evaluation, rulebook, lang).values())


def _claims(evaluation: Evaluation, rulebook: Rulebook, lang: str) -> dict[str, str]:
    """:func:`dispute_verdict`'s sentences by what they say (``ctivd``, ``ministers``,
    ``frontier``, ``cheapest``, ``break_even``), those that apply, in that order."""
    t = translator(lang)
    o = evaluation.outcomes
    n_sets = len(evaluation.sets)
    n = evaluation.datasets
    lines: dict[str, str] = {}
    if "per_dataset" in o:
        p = o["per_dataset"]
        lines["ctivd"] = (t.gettext(
            "CTIVD: per-dataset assessment leaves {under} of {sets} under-protected, "
            "with {persons} linked in them.").format(
            under=_count(p.under_protected, t), sets=plural(n_sets, "exposure set", lang=lang),
            persons=plural(p.under_protected_persons, "distinct person", lang=lang)))
    if "component" in o:
        c = o["component"]
        # TRANSLATORS: also offered: {datasets} ("N datasets" escalated) and {total}.
        lines["ministers"] = (t.gettext(
            "Ministers: weighing whole linked components together escalates {escalated} of "
            "{total_datasets} ({share}), {slight}.").format(
            escalated=_count(c.escalated, t), datasets=plural(c.escalated, "dataset", lang=lang),
            total=_count(n, t), total_datasets=plural(n, "dataset", lang=lang),
            share=t.percent(c.escalated, n), slight=_slight(c, rulebook, t)))
    front = evaluation.pareto
    if front:
        # TRANSLATORS: {rules} lists the rules on the Pareto frontier of (under-protected
        # exposure sets, total burden): no other rule is better on both.
        lines["frontier"] = (t.ngettext(
            "Frontier: {rules} is not beaten on both under-protected combinations and total "
            "burden by any other rule.",
            "Frontier: {rules} are not beaten on both under-protected combinations and total "
            "burden by any other rule.", len(front)).format(rules=_join(front, t)))
    best = cheapest_full_protection(evaluation)
    if best is not None:
        b = o[best]
        if b.escalated:
            lines["cheapest"] = (t.gettext(
                "The cheapest rule that leaves nothing under-protected is **{rule}**: burden "
                "{cost} cost units, {datasets} escalated ({slight} of very slight intrusion on "
                "their own).").format(
                rule=_rule(best, t), cost=_cost(b.total_burden, t),
                datasets=plural(b.escalated, "dataset", lang=lang),
                slight=_count(b.escalated_slight, t)))
        else:
            lines["cheapest"] = t.gettext(
                "The cheapest rule that leaves nothing under-protected is **{rule}**: burden "
                "{cost} cost units, without escalating any dataset.").format(
                rule=_rule(best, t), cost=_cost(b.total_burden, t))
    rate = evaluation.break_even_use_rate
    if rate is not None and "use_based" in o and "minimal_escalation" in o:
        assumed = evaluation.params.use_rate
        values = {"rate": t.significant(rate, 3), "assumed": t.decimal(assumed)}
        if assumed < rate:
            line = t.gettext(
                "Break-even: case-by-case authorisation costs less than minimal escalation "
                "while a possible combination outside the investigations is used fewer than "
                "{rate} times a year; the assumed rate ({assumed}) lies below it.")
        else:
            line = t.gettext(
                "Break-even: case-by-case authorisation costs less than minimal escalation "
                "while a possible combination outside the investigations is used fewer than "
                "{rate} times a year; the assumed rate ({assumed}) lies at or above it.")
        lines["break_even"] = line.format(**values)
    return lines


def readings_verdict(evaluations: Mapping[str, Evaluation], rulebook: Rulebook,
                     lang: str = "en") -> list[str]:
    """Each claim under each openness reading, the ministers' own reading first.

    ``evaluations`` maps reading name → evaluation, in the order to report.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> rb = toy_rulebook()
    >>> evs = {r: evaluate_policies(toy_graph(r), rb) for r in ("services", "ctivd")}
    >>> print(readings_verdict(evs, rb)[0])
    Under the services' reading ("Services' reading (leaked and purchased data count as
    publicly accessible)"): the component rule escalates 3 of 3 datasets, 3 of very
    slight intrusion on their own (0 outside the regime, 3 light); per-dataset assessment
    leaves 1 combination under-protected.
    >>> print(readings_verdict(evs, rb, lang="nl")[1])
    Volgens de lezing van de CTIVD (gegevens uit een datalek worden als niet openbaar
    toegankelijk vastgesteld; dat gekochte gegevens openbaar toegankelijk blijven, is een
    aanname van bulkimpact): de regel **hele component** brengt 3 van de 3 bulkdatasets in
    een zwaarder regime, waarvan 2 met op zichzelf een zeer geringe inbreuk (0 buiten het
    bulkregime, 2 licht); beoordeling per bulkdataset afzonderlijk laat 2 combinaties
    onvoldoende beschermd.
    """
    t = translator(lang)
    out = []
    for reading, ev in evaluations.items():
        o = ev.outcomes
        parts = []
        if "component" in o:
            c = o["component"]
            # TRANSLATORS: also offered: {rule} (the component rule's name), {datasets}
            # ("N datasets" escalated) and {total}.
            parts.append(t.gettext(
                "the component rule escalates {escalated} of {total_datasets}, "
                "{slight}").format(
                rule=rule_name("component", lang), escalated=_count(c.escalated, t),
                datasets=plural(c.escalated, "dataset", lang=lang),
                total=_count(ev.datasets, t),
                total_datasets=plural(ev.datasets, "dataset", lang=lang),
                slight=_slight(c, rulebook, t)))
        if "per_dataset" in o:
            parts.append(t.gettext("per-dataset assessment leaves {sets} under-protected").format(
                sets=plural(o["per_dataset"].under_protected, "exposure set", lang=lang)))
        label = reading_label(rulebook.openness_variants[reading].label, lang)
        # TRANSLATORS: {reading} names the reading by its id ("services'", "ctivd");
        # {name} is its name in the language ("services' reading"); {label} says what
        # counts as publicly accessible under it; {findings} are the clauses above.
        out.append(t.gettext('Under the {reading} reading ("{label}"): {findings}.').format(
            reading="services'" if reading == "services" else reading,
            name=reading_name(reading, lang), label=label, findings="; ".join(parts)))
    return out


def openness_findings(levels: pd.DataFrame, variants: Sequence[str],
                      persons: pd.Series, lang: str = "en") -> list[str]:
    """Which datasets change level between openness readings, and how many records they hold.

    ``levels`` has one column per variant (dataset levels on their own);
    ``persons`` each dataset's size, summed into records (not distinct persons).

    Examples
    --------
    >>> lv = pd.DataFrame({"services": [1, 2], "ctivd": [2, 2]}, index=["a", "b"])
    >>> print(openness_findings(lv, ["services", "ctivd"], pd.Series({"a": 10, "b": 5}))[0])
    From the services reading to the ctivd reading, 1 dataset changes level (a),
    holding 10 records; 1 goes up.
    >>> print(openness_findings(lv, ["services", "ctivd"], pd.Series({"a": 1000, "b": 5}),
    ...                         lang="nl")[0])
    Van de lezing van de diensten naar de lezing van de CTIVD verandert 1 bulkdataset van
    niveau (a), met samen 1.000 records; 1 daarvan gaat naar een hoger niveau.
    """
    t = translator(lang)
    a, b = variants
    names = {"a": a, "b": b, "a_name": reading_name(a, lang), "b_name": reading_name(b, lang)}
    changed = levels.index[levels[a] != levels[b]]
    if not len(changed):
        # TRANSLATORS: {a} and {b} are reading ids ("services", "ctivd"); also offered:
        # {a_name} and {b_name}, their names in the language ("services' reading").
        return [t.gettext("No dataset changes level between the {a} and {b} readings.").format(
            **names)]
    up = int((levels.loc[changed, b] > levels.loc[changed, a]).sum())
    listed = ", ".join(changed[:8]) + (", …" if len(changed) > 8 else "")
    # TRANSLATORS: {datasets} is "N datasets"; {listed} their ids; {persons} "N records";
    # {a} and {b} are reading ids; also offered: {a_name} and {b_name}, their names.
    moved = t.ngettext(
        "From the {a} reading to the {b} reading, {datasets} changes level ({listed}), "
        "holding {persons}",
        "From the {a} reading to the {b} reading, {datasets} change level ({listed}), "
        "holding {persons}", len(changed)).format(
        datasets=plural(len(changed), "dataset", lang=lang), listed=listed,
        # A sum of dataset sizes counts records (a person in two datasets counts twice).
        persons=plural(persons[changed].sum(), "record", lang=lang), **names)
    rise = t.ngettext("{up} goes up", "{up} go up", up).format(up=_count(up, t))
    return [f"{moved}; {rise}."]


# --- 04: decision rules side by side ---------------------------------------------------------

def _cap(text: str) -> str:
    """A title or sentence that starts with a rule's name, capitalised."""
    return text[:1].upper() + text[1:]


def _bold_rule(name: str, lang: str) -> str:
    return f"**{rule_name(name, lang)}**"


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
            under=_count(p.under_protected, t),
            sets=plural(len(evaluation.sets), "combination", lang=lang),
            component=_bold_rule("component", lang), escalated=_count(c.escalated, t),
            datasets=plural(evaluation.datasets, "dataset", lang=lang),
            slight=_count(c.escalated_slight, t)))
    best = cheapest_full_protection(evaluation)
    if best is None:
        parts.append(t.gettext("No rule protects every combination."))
    elif o[best].escalated:
        parts.append(t.gettext(
            "The rule {rule} protects every combination by escalating {datasets}, for {cost} "
            "cost units.").format(rule=_bold_rule(best, lang),
                             datasets=plural(o[best].escalated, "dataset", lang=lang),
                             cost=_cost(o[best].total_burden, t)))
    else:
        parts.append(t.gettext(
            "The rule {rule} protects every combination without escalating a dataset, for "
            "{cost} cost units.").format(rule=_bold_rule(best, lang),
                                         cost=_cost(o[best].total_burden, t)))
    return " ".join(parts)


def frontier_title(evaluation: Evaluation, lang: str = "en") -> str:
    """Title of the burden–protection figure: the cheapest rule that protects everything."""
    t = translator(lang)
    best = cheapest_full_protection(evaluation)
    if best is None:
        return t.gettext("No rule protects every combination")
    return _cap(t.gettext("{rule} protects every combination at the lowest burden "
                          "({cost} cost units) with the stated assumptions").format(
        rule=rule_name(best, lang), cost=_cost(evaluation.outcomes[best].total_burden, t)))


def frontier_alt(frame: pd.DataFrame, pareto: Sequence[str], lang: str = "en") -> str:
    """Alt text of the burden–protection figure: every rule's two values."""
    t = translator(lang)
    rules = "; ".join(t.gettext("{rule}: burden {cost} cost units, {sets} under-protected").format(
        rule=rule_name(p, lang), cost=_cost(r["total_burden"], t),
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
    title = _cap(t.gettext("{rule} raises {raised} of {datasets}").format(
        rule=rule_name(most, lang), raised=_count(counts[most], t),
        datasets=plural(len(regimes), "dataset", lang=lang)))
    if fewest is not None:
        title += t.gettext("; {rule} raises {raised} and still leaves no combination "
                           "under-protected").format(rule=rule_name(fewest, lang),
                                                     raised=_count(counts[fewest], t))
    summary = t.gettext("{escalated} of {total} are escalated by at least one rule; the other "
                        "{kept} keep their own level under every rule. Datasets raised, per "
                        "rule: {per_rule}.").format(
        escalated=_count(escalated, t), total=plural(len(regimes), "dataset", lang=lang),
        kept=_count(kept, t),
        per_rule=t.join([f"{rule_name(r, lang)} {_count(n, t)}" for r, n in counts.items()]))
    return {"title": title, "summary": summary}


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
        datasets=plural(n_datasets, "dataset", lang=lang), replicates=_count(replicates, t),
        failed=_count(failed, t))
    last = mean.iloc[-1]
    summary = t.gettext("At the highest density swept ({density}) the whole-component rule "
                        "escalates {component} of datasets on average, minimal escalation "
                        "{minimal}, leaving no combination under-protected. Failed scenarios: "
                        "{failed}.").format(
        density=t.decimal(float(mean.index[-1])), component=t.percent(last["component"], 1),
        minimal=t.percent(last["minimal_escalation"], 1), failed=_count(failed, t))
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
            rule=_bold_rule(verdict_rule, lang), changes="; ".join(
                f"{assumption_name(r['assumption'], lang)} {ends.get(r['end'], r['end'])} "
                f"(→ {rule_name(str(r['cheapest_full_protection']), lang)})"
                for _, r in flips.iterrows())))
    else:
        sentences.append(t.gettext(
            "No single assumption at either end of its range changes the verdict: {rule} stays "
            "the cheapest rule that protects every combination.").format(
            rule=_bold_rule(verdict_rule, lang)))
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
        low=_count(summary.loc["per_dataset", ("under_protected", "low")], t),
        high=_count(summary.loc["per_dataset", ("under_protected", "high")], t))
    rows = "; ".join(t.gettext("{rule}: under-protected {median} [{low}–{high}], burden "
                               "{burden} [{burden_low}–{burden_high}] cost units").format(
        rule=rule_name(p, lang), median=_count(r[("under_protected", "median")], t),
        low=_count(r[("under_protected", "low")], t),
        high=_count(r[("under_protected", "high")], t),
        burden=_cost(r[("total_burden", "median")], t),
        burden_low=_cost(r[("total_burden", "low")], t),
        burden_high=_cost(r[("total_burden", "high")], t)) for p, r in summary.iterrows())
    alt = t.gettext("Interval plots per decision rule (median and 5–95% interval) of "
                    "under-protected combinations and total burden: {rows}.").format(rows=rows)
    caption = t.ngettext("{n} draw of all uncertain inputs; median and 5–95% interval.",
                         "{n} draws of all uncertain inputs; median and 5–95% interval.",
                         draws).format(n=t.number(draws))
    return {"title": title, "alt": alt, "caption": caption}


def burden_share(evaluation: Evaluation, lang: str = "en") -> str | None:
    """What the cheapest fully protecting rule costs as a share of the component rule."""
    t = translator(lang)
    o = evaluation.outcomes
    best = cheapest_full_protection(evaluation)
    if best is None or "component" not in o or o["component"].total_burden <= 0:
        return None
    return t.gettext("On this inventory, {rule} costs {share} of the burden of the "
                     "whole-component rule.").format(
        rule=_bold_rule(best, lang),
        share=t.percent(o[best].total_burden, o["component"].total_burden))


# --- 05: the openness criterion --------------------------------------------------------------

#: Where a dataset's data come from (the inventory's ``source``): id → message.
SOURCE_NAMES = {
    "leaked": NP_("source", "leaked"), "purchased": NP_("source", "purchased"),
    "open": NP_("source", "open source"), "private": NP_("source", "private party"),
    "government": NP_("source", "government"), "partner": NP_("source", "partner service"),
    "other": NP_("source", "other"),
}

#: What an openness reading may count as publicly accessible (the rulebook's flags).
OPENNESS_FLAGS = {
    "made_public_by_subjects": NP_("openness flag", "made public by the persons themselves"),
    "open_source": NP_("openness flag", "open sources and registers"),
    "leaked": NP_("openness flag", "data from a leak"),
    "paid": NP_("openness flag", "data offered for payment"),
}


def source_name(source: str, lang: str = "en") -> str:
    """A dataset's source in the language (as written when unknown).

    Examples
    --------
    >>> source_name("leaked", "nl"), source_name("purchased", "en")
    ('datalek', 'purchased')
    """
    if source not in SOURCE_NAMES:
        return source
    return translator(lang).pgettext("source", SOURCE_NAMES[source])


def readings_frame(rulebook: Rulebook, readings: Sequence[str] | None = None,
                   lang: str = "en") -> pd.DataFrame:
    """The rulebook's openness readings: what counts as publicly accessible under each.

    Columns: ``reading_label``, ``counts_as_public``, ``never_public``,
    ``reading_source``; index ``reading`` (ids). The source is quoted as the
    rulebook gives it.
    """
    t = translator(lang)

    def flags(values: object) -> str:
        return t.join([t.pgettext("openness flag", OPENNESS_FLAGS[v]) if v in OPENNESS_FLAGS
                       else str(v) for v in sorted(values)]) or "–"

    rows = [{"reading": name, "reading_label": reading_label(v.label, lang),
             "counts_as_public": flags(v.counts_as_public), "never_public": flags(v.excludes),
             "reading_source": v.source or "–"}
            for name, v in rulebook.openness_variants.items()
            if readings is None or name in readings]
    return pd.DataFrame(rows).set_index("reading")


def openness_finding(levels: pd.DataFrame, variants: Sequence[str], distinct: float,
                     evaluations: Sequence[Evaluation], lang: str = "en") -> str:
    """05's one-line finding: datasets that change level between two readings, the distinct
    persons in them, and what that does to assessment per dataset.

    ``distinct`` is the expected number of distinct persons in the datasets
    that change (:func:`bulkimpact.persons.distinct_persons`).

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> evs = [evaluate_policies(toy_graph(r), toy_rulebook()) for r in ("services", "ctivd")]
    >>> lv = pd.DataFrame({"services": [1, 1], "ctivd": [2, 1]}, index=["a", "b"])
    >>> print(openness_finding(lv, ["services", "ctivd"], 1000.0, evs))
    ... # doctest: +NORMALIZE_WHITESPACE
    From the services' reading to the CTIVD reading, 1 dataset changes level, holding an
    expected 1,000 distinct persons; assessment per dataset then leaves 2 combinations
    under-protected instead of 1.
    >>> print(openness_finding(lv, ["services", "ctivd"], 1000.0, evs, "nl"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Van de lezing van de diensten naar de lezing van de CTIVD gaat 1 bulkdataset naar een
    ander niveau, met naar verwachting 1.000 verschillende personen; beoordeling per
    bulkdataset afzonderlijk laat dan 2 combinaties onvoldoende beschermd in plaats van 1.
    """
    t = translator(lang)
    a, b = variants
    changed = int((levels[a] != levels[b]).sum())
    names = {"a": reading_name(a, lang), "b": reading_name(b, lang)}
    if not changed:
        head = t.gettext("No dataset changes level between the {a} and the {b}").format(**names)
    else:
        head = t.ngettext(
            "From the {a} to the {b}, {datasets} changes level, holding an expected {persons}",
            "From the {a} to the {b}, {datasets} change level, holding an expected {persons}",
            changed).format(datasets=plural(changed, "dataset", lang=lang),
                            persons=plural(distinct, "distinct person", lang=lang), **names)
    ea, eb = (e.outcomes.get("per_dataset") for e in evaluations)
    if ea is None or eb is None:
        return head + "."
    if ea.under_protected == eb.under_protected:
        tail = t.gettext("assessment per dataset leaves {sets} under-protected under "
                         "both").format(sets=plural(eb.under_protected, "combination",
                                                    lang=lang))
    else:
        tail = t.gettext("assessment per dataset then leaves {sets} under-protected instead "
                         "of {before}").format(
            sets=plural(eb.under_protected, "combination", lang=lang),
            before=_count(ea.under_protected, t))
    return f"{head}; {tail}."


def openness_changes(levels: pd.DataFrame, variants: Sequence[str], distinct: float,
                     records: float, lang: str = "en") -> str:
    """Which datasets change level, with their expected distinct persons and records.

    Examples
    --------
    >>> lv = pd.DataFrame({"services": [1, 2], "ctivd": [2, 2]}, index=["a", "b"])
    >>> print(openness_changes(lv, ["services", "ctivd"], 900.0, 1000))
    ... # doctest: +NORMALIZE_WHITESPACE
    1 dataset changes level (a), 1 of them to a heavier level; together they hold 1,000
    records, an expected 900 distinct persons (a person in two of them counts once).
    """
    t = translator(lang)
    a, b = variants
    changed = levels.index[levels[a] != levels[b]]
    if not len(changed):
        return t.gettext("No dataset changes level between the {a} and the {b}.").format(
            a=reading_name(a, lang), b=reading_name(b, lang))
    up = int((levels.loc[changed, b] > levels.loc[changed, a]).sum())
    return t.ngettext(
        "{datasets} changes level ({listed}), {up} of them to a heavier level; together they "
        "hold {records}, an expected {persons} (a person in two of them counts once).",
        "{datasets} change level ({listed}), {up} of them to a heavier level; together they "
        "hold {records}, an expected {persons} (a person in two of them counts once).",
        len(changed)).format(
        datasets=plural(len(changed), "dataset", lang=lang), listed=", ".join(changed),
        up=_count(up, t), records=plural(records, "record", lang=lang),
        persons=plural(distinct, "distinct person", lang=lang))


def levels_title(changed: int, variants: Sequence[str], lang: str = "en") -> str:
    """Title of the figure of datasets per level under two readings."""
    t = translator(lang)
    a, b = variants
    # TRANSLATORS: also offered: {a} and {b}, the two readings' names.
    return t.ngettext("{datasets} changes level between the two readings",
                      "{datasets} change level between the two readings", changed).format(
        datasets=plural(changed, "dataset", lang=lang), a=reading_name(a, lang),
        b=reading_name(b, lang))


def sets_moved(moved: int, total: int, lang: str = "en") -> str:
    """How many combinations change their level together between two readings.

    Examples
    --------
    >>> sets_moved(1, 10), sets_moved(3, 10, "nl")
    ('1 of 10 combinations changes its level together between the readings.', \
'3 van de 10 combinaties krijgen tussen de lezingen een ander niveau in samenhang.')
    """
    t = translator(lang)
    return t.ngettext(
        "{moved} of {total} changes its level together between the readings.",
        "{moved} of {total} change their level together between the readings.", moved).format(
        moved=_count(moved, t), total=plural(total, "combination", lang=lang))


def readings_compared(evaluations: Mapping[str, Evaluation], lang: str = "en") -> list[str]:
    """Both claims of the dispute under two openness readings, one sentence each.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> evs = {r: evaluate_policies(toy_graph(r), toy_rulebook()) for r in ("services", "ctivd")}
    >>> print("\\n".join(readings_compared(evs)))  # doctest: +NORMALIZE_WHITESPACE
    Assessment per dataset leaves 1 combination under-protected under the services' reading
    and 2 under the CTIVD reading.
    The whole-component rule escalates 3 datasets under the services' reading and 3 under the
    CTIVD reading; minimal escalation 1 and 1.
    """
    t = translator(lang)
    (a, ea), (b, eb) = list(evaluations.items())[:2]
    oa, ob = ea.outcomes, eb.outcomes
    names = {"a": reading_name(a, lang), "b": reading_name(b, lang)}
    out = []
    if "per_dataset" in oa and "per_dataset" in ob:
        out.append(t.gettext("Assessment per dataset leaves {sets} under-protected under the {a} "
                             "and {other} under the {b}.").format(
            sets=plural(oa["per_dataset"].under_protected, "combination", lang=lang),
            other=_count(ob["per_dataset"].under_protected, t), **names))
    if "component" in oa and "minimal_escalation" in oa:
        out.append(t.gettext("The whole-component rule escalates {datasets} under the {a} and "
                             "{other} under the {b}; minimal escalation {min_a} and "
                             "{min_b}.").format(
            datasets=plural(oa["component"].escalated, "dataset", lang=lang),
            other=_count(ob["component"].escalated, t),
            min_a=_count(oa["minimal_escalation"].escalated, t),
            min_b=_count(ob["minimal_escalation"].escalated, t), **names))
    return out


# --- 00–03: overview, inventory, linkage graph, per dataset or together ----------------------

#: Captions of the figures and tables of reports 00–03 (context ``caption``).
REPORT_CAPTIONS = {
    "frontier": NP_("caption", "Each decision rule under each reading of the openness "
                               "criterion. Rules on the frontier (heavy outline, dashed line) are "
                               "beaten by no other rule on both axes. Better: towards the bottom "
                               "left."),
    "levels": NP_("caption", "Bulk datasets per level on their own, under each reading of the "
                             "openness criterion."),
    "graph": NP_("caption", "Linkage graph. Colour: level of the bulk dataset on its own. Size: "
                            "persons in it. Line width: link strength."),
    "channels": NP_("caption", "Left: the links each key or set of quasi-identifiers carries. "
                               "Right: the persons expected to be linked through them."),
    "headline": NP_("caption", "Each row is a decision rule; each block of columns one reading "
                               "of the openness criterion, the ministers' (the services') "
                               "first. Burden, in one cost unit: the one-off cost of heavier "
                               "regimes plus, over the horizon, holding and using every dataset "
                               "in its regime and every authorisation per use."),
    "raised": NP_("caption", "Left: the jump in level, one row per kind of combination and jump; "
                             "the number says how many combinations make it. Right: the linked "
                             "persons of each of those combinations (one dot each, log scale), "
                             "the largest named."),
}


def figure_caption(name: str, lang: str = "en") -> str:
    """A caption of :data:`REPORT_CAPTIONS`, in the language.

    Examples
    --------
    >>> figure_caption("levels", "nl")
    'Bulkdatasets per niveau op zichzelf, in elke lezing van het openbaarheidscriterium.'
    """
    return translator(lang).pgettext("caption", REPORT_CAPTIONS[name])


def verdict_sentences(evaluation: Evaluation, rulebook: Rulebook, lang: str = "en") -> list[str]:
    """The three sentences the index opens with: the CTIVD's claim, the ministers' claim,
    and the cheapest rule that protects every combination (or that none does).

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> len(verdict_sentences(ev, toy_rulebook())), verdict_sentences(ev, toy_rulebook(), "nl")[0]
    (3, 'Het punt van de CTIVD, doorgerekend op fictieve gegevens: wie elke bulkdataset \
afzonderlijk beoordeelt, laat 1 van de 2 combinaties onvoldoende beschermd, met de gekoppelde \
gegevens van 4.000 verschillende personen.')
    """
    claims = _claims(evaluation, rulebook, lang)
    out = [claims[k] for k in ("ctivd", "ministers") if k in claims]
    out.append(claims.get("cheapest") or translator(lang).gettext(
        "No decision rule leaves every combination protected."))
    return out


def verdict_details(evaluation: Evaluation, rulebook: Rulebook, lang: str = "en") -> list[str]:
    """The rest of :func:`dispute_verdict` after :func:`verdict_sentences`: the frontier and
    the break-even use rate."""
    claims = _claims(evaluation, rulebook, lang)
    return [claims[k] for k in ("frontier", "break_even") if k in claims]


def overview_finding(evaluation: Evaluation, rulebook: Rulebook, reading: str,
                     lang: str = "en") -> str:
    """Report 00's finding in one or two sentences: both claims measured, and what resolves them.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("ctivd"), toy_rulebook())
    >>> print(overview_finding(ev, toy_rulebook(), "ctivd"))
    Under the CTIVD reading, judging each bulk dataset on its own leaves 2 of 2 combinations
    under-protected, and weighing whole linked components together escalates 3 of 3 datasets,
    2 of them of very slight intrusion on their own. Every combination is protected at the
    lowest burden by **authorisation per use**, without escalating any dataset.
    """
    t = translator(lang)
    o = evaluation.outcomes
    n_sets, n = len(evaluation.sets), evaluation.datasets
    parts = []
    if "per_dataset" in o and "component" in o:
        p, c = o["per_dataset"], o["component"]
        # TRANSLATORS: {reading} is the reading's name ("CTIVD reading"); {under} a number;
        # {sets} "N combinations"; {escalated} a number; {datasets} "N datasets" (all);
        # {slight} a number.
        parts.append(t.gettext(
            "Under the {reading}, judging each bulk dataset on its own leaves {under} of {sets} "
            "under-protected, and weighing whole linked components together escalates "
            "{escalated} of {datasets}, {slight} of them of very slight intrusion on their "
            "own.").format(
            reading=reading_name(reading, lang), under=_count(p.under_protected, t),
            sets=plural(n_sets, "combination", lang=lang), escalated=_count(c.escalated, t),
            datasets=plural(n, "dataset", lang=lang), slight=_count(c.escalated_slight, t)))
    best = cheapest_full_protection(evaluation)
    if best is not None and o[best].escalated:
        parts.append(t.gettext(
            "Every combination is protected at the lowest burden by **{rule}**, which "
            "escalates {datasets}.").format(rule=rule_name(best, lang),
                                  datasets=plural(o[best].escalated, "dataset", lang=lang)))
    elif best is not None:
        parts.append(t.gettext(
            "Every combination is protected at the lowest burden by **{rule}**, without "
            "escalating any dataset.").format(rule=rule_name(best, lang)))
    else:
        parts.append(t.gettext("No decision rule leaves every combination protected."))
    return " ".join(parts)


def readings_frontier_title(evaluation: Evaluation, reading: str, lang: str = "en") -> str:
    """Title of the frontier figure of report 00 (every reading): what the report's reading finds.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("ctivd"), toy_rulebook())
    >>> readings_frontier_title(ev, "ctivd", "nl")
    'In de lezing van de CTIVD beschermt toestemming per gebruik elke combinatie tegen de \
laagste lasten'
    """
    t = translator(lang)
    best = cheapest_full_protection(evaluation)
    if best is None:
        return t.gettext("Under the {reading}, no rule protects every combination").format(
            reading=reading_name(reading, lang))
    return t.gettext("Under the {reading}, {rule} protects every combination at the lowest "
                     "burden").format(reading=reading_name(reading, lang),
                                      rule=rule_name(best, lang))


def readings_frontier_alt(evaluations: Mapping[str, Evaluation], lang: str = "en") -> str:
    """Alt text of report 00's frontier figure: every rule's two values under every reading."""
    t = translator(lang)
    panels = []
    for reading, ev in evaluations.items():
        rules = "; ".join(
            t.gettext("{rule}: burden {cost} cost units, {sets} under-protected").format(
                rule=rule_name(name, lang), cost=_cost(o.total_burden, t),
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


def inventory_glance(n_datasets: int, records: float, distinct: float, linked: int,
                     links: int, sets: int, raised: int, max_set_size: int,
                     lang: str = "en") -> str:
    """Report 00's inventory in one paragraph: sizes, links, combinations judged and raised.

    Examples
    --------
    >>> print(inventory_glance(45, 9e6, 7e6, 40, 257, 311, 23, 3, "nl"))
    De inventaris telt **45 bulkdatasets** met **9.000.000 records** over naar verwachting
    **7 miljoen verschillende personen**. **40** bulkdatasets zijn te koppelen aan ten minste
    één andere, via **257 koppelingen**. Van de **311 combinaties** die zijn beoordeeld (elke
    koppeling, elk onderzoek en elke gekoppelde combinatie van ten hoogste 3 bulkdatasets die
    zwaarder is dan haar gekoppelde delen) komen er **23** samen op een hoger niveau dan elk
    lid afzonderlijk.
    """
    t = translator(lang)
    return t.gettext(
        "The inventory holds **{datasets}** with **{records}** about an expected "
        "**{persons}**. **{linked}** datasets can be linked to at least one other, through "
        "**{links}**. Of the **{sets}** judged (every link, every investigation, and every "
        "linked combination of up to {size} datasets that is heavier than its linked parts), "
        "**{raised}** reach a higher level together than any member alone.").format(
        datasets=plural(n_datasets, "dataset", lang=lang),
        records=plural(records, "record", lang=lang),
        persons=plural(distinct, "distinct person", lang=lang), linked=_count(linked, t),
        links=plural(links, "link", lang=lang), sets=plural(sets, "exposure set", lang=lang),
        size=_count(max_set_size, t), raised=_count(raised, t))


#: The bundled rulebook's texts that are not quotations, in the catalogue by their text
#: (context ``rulebook``); a rulebook that words them otherwise keeps its own words.
RULEBOOK_TEXTS = (
    NP_("rulebook", "Contains personal data"),
    NP_("rulebook", "Identifiable persons, not publicly accessible"),
    NP_("rulebook", "Identifiable data on a million persons or more"),
    NP_("rulebook", "Identifiable financial, travel or communications metadata"),
    NP_("rulebook", "Special categories or criminal data about identifiable persons"),
    NP_("rulebook", "Communications content of identifiable persons"),
    NP_("rulebook", "Mosaic: identity with whereabouts"),
    NP_("rulebook", "Mosaic: a broad profile (five or more personal categories)"),
    NP_("rulebook", "As the CTIVD reading, with the purchased-data switch off: the ministers' "
                    "reply names \"gegevens afkomstig uit een datalek en bulkdatasets die tegen "
                    "betaling beschikbaar worden gesteld\" together, so the CTIVD's objection "
                    "may be read to reach both."),
    # the rationale and source of each criterion of the bundled rulebook
    NP_("rulebook", "A bulk dataset is a large collection mostly about persons who are not "
                    "and will not become a subject of investigation; here any personal data "
                    "put it at least in the light regime. Datasets without personal data stay "
                    "at level 0 (the services' policy keeps datasets with mainly technical "
                    "data outside the bulk regime; the CTIVD found no legal basis for that "
                    "policy)."),
    NP_("rulebook", "assumption; no public criterion. The definition it rests on: Tijdelijke "
                    "regeling verdere verwerking bulkdatasets Wiv 2017, art. 1, \"omvangrijke "
                    "gegevensverzamelingen waarbij het merendeel van de gegevens betrekking "
                    "heeft op organisaties en personen die geen onderwerp van onderzoek van "
                    "een dienst zijn en dat ook niet zullen worden\" (as quoted in the Nota "
                    "aan de minister van BZK, 23 juni 2026, kenmerk 2026-0000298961)."),
    NP_("rulebook", "The regulation weighs how far a dataset is accessible to everyone; "
                    "identifiable data that are not publicly accessible intrude more. How "
                    "much openness weighs, and that it lifts identifiable data to the medium "
                    "level, are this rulebook's assumptions."),
    NP_("rulebook", "assumption for the level and the identifiability condition; the factor "
                    "itself is the Tijdelijke regeling's, as reported in the Nota aan de "
                    "minister van BZK, 23 juni 2026 (kenmerk 2026-0000298961): \"De "
                    "Tijdelijke regeling schrijft voor dat de diensten meewegen in hoeverre "
                    "de bulkdatasets voor eenieder toegankelijk is bij het bepalen van de "
                    "privacyinbreuk die wordt gemaakt door een bulkdataset.\" How it is "
                    "weighed is not public."),
    NP_("rulebook", "Size multiplies the intrusion; threshold chosen for illustration."),
    NP_("rulebook", "assumption; no public criterion (the threshold of one million persons is "
                    "illustrative)."),
    NP_("rulebook", "Transactions, travel and communication patterns reveal a person's life "
                    "and contacts."),
    NP_("rulebook", "assumption; no public criterion."),
    NP_("rulebook", "Health, religion or belief, ethnicity, political opinions, sexual life, "
                    "biometrics, trade-union membership and criminal data are taken to be the "
                    "most sensitive categories. By analogy only: the GDPR names them as "
                    "special categories and criminal data, and the UK regime asks for a "
                    "specific warrant for bulk personal datasets with such data; neither law "
                    "governs the AIVD/MIVD."),
    NP_("rulebook", "assumption; no public criterion. By analogy: art. 9 and 10 GDPR, special "
                    "categories of personal data and criminal data (does not govern the "
                    "AIVD/MIVD). By analogy: UK Investigatory Powers Act 2016, Part 7, "
                    "specific warrants for bulk personal datasets with sensitive data (does "
                    "not govern the AIVD/MIVD)."),
    NP_("rulebook", "Content reveals what people say and think; the most intrusive kind of "
                    "data."),
    NP_("rulebook", "Knowing who someone is and where they have been allows tracking; four "
                    "spatio-temporal points single out most people (de Montjoye et al. 2013). "
                    "Weighing what datasets reveal together is the CTIVD's recommendation, "
                    "which the ministers did not adopt."),
    NP_("rulebook", "assumption; no public criterion. Weighing together (\"in samenhang\") is "
                    "the CTIVD's recommendation in rapport nr. 84, as reported in the Nota "
                    "aan de minister van BZK, 23 juni 2026 (kenmerk 2026-0000298961): \"het "
                    "van belang is bulkdatasets in samenhang te bekijken. De opbrengsten "
                    "kunnen immers uiteindelijk binnen een onderzoek worden gecombineerd\"; "
                    "the same Nota states that the Tijdelijke regeling \"schrijft deze "
                    "werkwijze niet voor\". By analogy: Article 29 Working Party, WP248 "
                    "rev.01 (guidelines on data protection impact assessment under the GDPR), "
                    "criterion \"matching or combining datasets\" (does not govern the "
                    "AIVD/MIVD)."),
    NP_("rulebook", "When many aspects of a life meet (contact, whereabouts, money, travel, "
                    "contacts), the combination is a profile, more intrusive than its parts. "
                    "The threshold of five categories is illustrative."),
    NP_("rulebook", "assumption; no public criterion. Weighing together (\"in samenhang\") is "
                    "the CTIVD's recommendation in rapport nr. 84, which the ministers did "
                    "not adopt (Nota aan de minister van BZK, 23 juni 2026, kenmerk "
                    "2026-0000298961)."),
)

#: The taxonomy's categories of data (``bulkimpact/data/taxonomy.yaml``): id → name.
CATEGORY_NAMES = {
    "direct_identifier": NP_("category", "direct identifier"),
    "contact": NP_("category", "contact details"),
    "online_identifier": NP_("category", "online identifier"),
    "location": NP_("category", "location"),
    "demographic": NP_("category", "demographic quasi-identifier"),
    "financial": NP_("category", "financial"),
    "travel": NP_("category", "travel"),
    "comms_metadata": NP_("category", "communications metadata"),
    "comms_content": NP_("category", "communications content"),
    "special_category": NP_("category", "special categories"),
    "criminal": NP_("category", "criminal"),
    "technical": NP_("category", "technical (non-personal)"),
}


def rulebook_text(text: str, lang: str = "en") -> str:
    """A label or description of the bundled rulebook in the language (else as written).

    Examples
    --------
    >>> rulebook_text("Contains personal data", "nl"), rulebook_text("Mine", "nl")
    ('Bevat persoonsgegevens', 'Mine')
    """
    return translator(lang).pgettext("rulebook", text)


def category_name(category: str, lang: str = "en") -> str:
    """A category of data by its name in the language (the id when unknown).

    Examples
    --------
    >>> category_name("special_category", "nl"), category_name("location")
    ('bijzondere persoonsgegevens', 'location')
    """
    if category not in CATEGORY_NAMES:
        return category
    return translator(lang).pgettext("category", CATEGORY_NAMES[category])


def criterion_name(rulebook: Rulebook, rule_id: str, lang: str = "en") -> str:
    """A rulebook rule (a criterion that places a dataset in a level) by its label."""
    return rulebook_text(rulebook.rule(rule_id).label, lang)


def reading_definitions(rulebook: Rulebook, readings: Sequence[str], lang: str = "en") -> list[str]:
    """How each reading defines "openbaar toegankelijk": its name, label and definition.

    A definition that quotes the source is shown verbatim in both languages.
    """
    out = []
    for r in readings:
        v = rulebook.openness_variants[r]
        definition = rulebook_text(" ".join((v.definition or "").split()), lang)
        out.append(f"**{reading_name(r, lang)}** ({reading_label(v.label, lang)}): "
                   f"{definition or '–'}")
    return out


#: The report's parameters, named for readers (context ``parameter``).
PARAMETER_NAMES = {
    "inventory": NP_("parameter", "inventory"),
    "inventory_sha256": NP_("parameter", "inventory SHA-256"),
    "fictional": NP_("parameter", "inventory is fictional"),
    "rulebook": NP_("parameter", "rulebook"),
    "rulebook_sha256": NP_("parameter", "rulebook SHA-256"),
    "illustrative": NP_("parameter", "rulebook is an illustrative assumption"),
    "openness": NP_("parameter", "reading of the openness criterion"),
    "include": NP_("parameter", "combinations judged"),
    "seed": NP_("parameter", "seed"),
    "k": NP_("parameter", "k: neighbours weighed, in links"),
    "t": NP_("parameter", "t: least link strength that counts"),
    "time_limit": NP_("parameter", "time limit of the solver (seconds)"),
    "use_rate": NP_("parameter", "assumed uses a year of a combination outside the "
                                 "investigations"),
    "horizon_years": NP_("parameter", "horizon of the burden (years)"),
    "dataset_use_rate": NP_("parameter", "assumed uses a year of a dataset that states none"),
    "compliance": NP_("parameter", "share of combination uses authorised beforehand"),
    "max_set_size": NP_("parameter", "largest combination judged (datasets)"),
    "max_sets": NP_("parameter", "most combinations enumerated"),
    "version": NP_("parameter", "bulkimpact version"),
}


def parameters_frame(analysis: Any, lang: str = "en") -> pd.DataFrame:
    """The inputs and parameters of a report as a table (index ``parameter``, column ``value``).

    ``analysis`` is a :class:`bulkimpact.analysis.Analysis`.
    """
    from .. import __version__
    from ..files import sha256
    from ..resources import display_name

    t = translator(lang)
    yes, no = t.gettext("yes"), t.gettext("no")
    rb = analysis.rulebook
    values: dict[str, str] = {
        "inventory": display_name(analysis.inventory_path),
        "inventory_sha256": sha256(analysis.inventory_path),
        "fictional": yes if analysis.inventory.fictional else no,
        "rulebook": display_name(analysis.rulebook_path),
        "rulebook_sha256": sha256(analysis.rulebook_path),
        "illustrative": yes if rb.illustrative else no,
        "openness": f"{reading_name(analysis.openness, lang)}: "
                    f"{reading_label(rb.openness_variants[analysis.openness].label, lang)}",
        "include": t.join([kind_name(k, lang) for k in analysis.include]),
        "seed": str(analysis.seed),
    }
    for k, v in analysis.assessor.params.to_json().items():  # the horizon resolved
        values[k] = _param(v, t) if isinstance(v, numbers.Real) else str(v)
    values["version"] = __version__
    rows = [(t.pgettext("parameter", PARAMETER_NAMES[k]) if k in PARAMETER_NAMES else k, v)
            for k, v in values.items()]
    return pd.DataFrame(rows, columns=["parameter", "parameter_value"]).set_index("parameter")


def inventory_finding(levels: pd.Series, rulebook: Rulebook, reading: str,
                      lang: str = "en") -> str:
    """Report 01's finding: how many datasets are heavier than the light level on their own,
    and how many are of very slight intrusion. ``levels`` holds each dataset's own level.

    Examples
    --------
    >>> from bulkimpact.examples import toy_rulebook
    >>> lv = pd.Series({"a": 1, "b": 2, "c": 3, "d": 0})
    >>> print(inventory_finding(lv, toy_rulebook(), "ctivd"))
    Judged each on its own nature, as the Tijdelijke regeling prescribes (here with the
    illustrative rulebook), 2 of 4 datasets sit in a regime heavier than light under the CTIVD
    reading; 2 are of very slight intrusion (1 outside the regime, 1 light).
    """
    t = translator(lang)
    low = rulebook.low_intrusion_level
    light = level_name(rulebook.levels[low].name, lang)
    heavier = int((levels > low).sum())
    slight = levels[levels <= low]
    # TRANSLATORS: {heavier} is a number; {datasets} "N datasets" (all); {light} the name of
    # the lightest level with personal data; {reading} the reading's name; {slight},
    # {outside} and {light_count} numbers.
    return t.gettext(
        "Judged each on its own nature, in line with the Tijdelijke regeling, {heavier} of "
        "{datasets} sit in a regime heavier than {light} under the {reading}; {slight} are of "
        "very slight intrusion ({outside} outside the regime, {light_count} {light}).").format(
        heavier=_count(heavier, t), datasets=plural(len(levels), "dataset", lang=lang),
        light=light, reading=reading_name(reading, lang), slight=_count(len(slight), t),
        outside=_count(int((slight < low).sum()), t),
        light_count=_count(int((slight == low).sum()), t))


def inventory_levels_title(levels: pd.DataFrame, rulebook: Rulebook, lang: str = "en") -> str:
    """Title of report 01's levels figure: the reading that places most datasets above light.

    ``levels`` has one column per reading (each dataset's own level).
    """
    t = translator(lang)
    low = rulebook.low_intrusion_level
    heavy = {v: int((levels[v] > low).sum()) for v in levels.columns}
    most = max(heavy, key=heavy.get)
    # TRANSLATORS: {datasets} is "N datasets"; {light} a level's name; {reading} a reading's.
    return t.gettext("{datasets} are above the {light} level under the {reading}, the most "
                     "of any reading").format(datasets=plural(heavy[most], "dataset", lang=lang),
                                       light=level_name(rulebook.levels[low].name, lang),
                                       reading=reading_name(most, lang))


def level_counts_frame(levels: pd.DataFrame, rulebook: Rulebook) -> pd.DataFrame:
    """Datasets per level (index ``level``, names) and reading (columns ``(reading, count)``)."""
    names = [lv.name for lv in rulebook.levels]
    counts = {(v, "dataset_count"): levels[v].value_counts().reindex(range(len(names)),
                                                                     fill_value=0).to_numpy()
              for v in levels.columns}
    frame = pd.DataFrame(counts, index=pd.Index(names, name="level"))
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    return frame


def level_meanings_frame(rulebook: Rulebook, lang: str = "en") -> pd.DataFrame:
    """What each level means in practice, as the rulebook describes it (index ``level``)."""
    from .i18n import level_meaning

    rows = [{"level": lv.name, "level_number": lv.level,
             "level_meaning": level_meaning(" ".join(lv.description.split()), lang)}
            for lv in rulebook.levels]
    return pd.DataFrame(rows).set_index("level")


def rulebook_frame(rulebook: Rulebook, lang: str = "en") -> pd.DataFrame:
    """The rulebook's criteria: label, what they judge, minimum level, assumption or not.

    Index ``criterion`` (the label in the language); the rationale and source of the bundled
    rulebook in the language too, another rulebook's as it words them.
    """
    t = translator(lang)
    one = t.gettext("a property of the data")
    together = t.gettext("a mosaic of categories, in one dataset or a combination")
    rows = [{"criterion": rulebook_text(r.label, lang),
             "applies_to": together if r.kind == "mosaic" else one,
             "minimum_level": rulebook.levels[r.level].name, "is_assumption": bool(r.assumption),
             "rationale": rulebook_text(" ".join(r.rationale.split()), lang),
             "rule_source": rulebook_text(" ".join((r.source or "–").split()), lang)}
            for r in rulebook.rules]
    return pd.DataFrame(rows).set_index("criterion")


def datasets_table_frame(analysis: Any, lang: str = "en") -> pd.DataFrame:
    """Report 01's datasets for the page: heaviest first, categories and criteria by name.

    Index ``dataset``; columns ``source``, ``persons``, ``public``, ``identifiable``,
    ``level``, ``categories``, ``criteria``.
    """

    G, rb = analysis.graph, analysis.rulebook
    rows = []
    for d in analysis.inventory.datasets:
        node = G.nodes[d.id]
        rows.append({
            "dataset": d.id, "source": source_name(d.source, lang), "persons": d.persons,
            "public": bool(node["public"]), "identifiable": bool(node["identifiable"]),
            "level": rb.levels[node["level"]].name, "_level": node["level"],
            "categories": ", ".join(category_name(c, lang) for c in node["categories"]),
            "criteria": "; ".join(criterion_name(rb, r, lang) for r in node["rules"]) or "–",
        })
    frame = pd.DataFrame(rows).sort_values(["_level", "persons"], ascending=False, kind="stable")
    return frame.drop(columns="_level").set_index("dataset")


def linkage_title(giant: int, n_datasets: int, lang: str = "en") -> str:
    """Title of report 02's graph: the largest linked component.

    Examples
    --------
    >>> linkage_title(30, 45), linkage_title(30, 45, "nl")
    ('30 of 45 datasets form one linked component', \
'30 van de 45 bulkdatasets vormen één gekoppeld geheel')
    """
    t = translator(lang)
    return t.ngettext("{giant} of {datasets} forms one linked component",
                      "{giant} of {datasets} form one linked component", giant).format(
        giant=_count(giant, t), datasets=plural(n_datasets, "dataset", lang=lang))


def linkage_finding(G: Any, lang: str = "en") -> str:
    """Report 02's finding: how much of the inventory is linked, and through how many links."""
    import networkx as nx

    t = translator(lang)
    comps = sorted(nx.connected_components(G), key=len, reverse=True)
    giant = len(comps[0]) if comps else 0
    isolated = sum(1 for c in comps if len(c) == 1)
    # TRANSLATORS: {title} is "N of M datasets form one linked component"; {links} "N links";
    # {isolated} a number.
    return t.gettext("{title}, through {links} in all; {isolated} have no link to any "
                     "other.").format(title=linkage_title(giant, G.number_of_nodes(), lang),
                                      links=plural(G.number_of_edges(), "link", lang=lang),
                                      isolated=_count(isolated, t))


def linkage_alt(G: Any, lang: str = "en") -> str:
    """Alt text of report 02's graph."""
    import networkx as nx

    t = translator(lang)
    comps = sorted(nx.connected_components(G), key=len, reverse=True)
    return t.gettext("Network diagram of {datasets} and {links}. The largest linked component "
                     "has {giant} datasets; {isolated} have no link. Colour shows the level on "
                     "its own, size the persons, line width the link strength.").format(
        datasets=plural(G.number_of_nodes(), "dataset", lang=lang),
        links=plural(G.number_of_edges(), "link", lang=lang),
        giant=_count(len(comps[0]) if comps else 0, t),
        isolated=_count(sum(1 for c in comps if len(c) == 1), t))


def components_text(G: Any, lang: str = "en") -> list[str]:
    """Report 02's components and best-linked datasets, as list items."""
    import networkx as nx

    t = translator(lang)
    comps = sorted(nx.connected_components(G), key=len, reverse=True)
    sizes = [len(c) for c in comps if len(c) > 1]
    isolated = sum(1 for c in comps if len(c) == 1)
    top = sorted(G.degree, key=lambda x: -x[1])[:5]
    return [
        # TRANSLATORS: {components} "N connected components"; {sizes} their sizes;
        # {isolated} "N datasets".
        t.gettext("{components} of linked datasets, of {sizes} datasets; {isolated} without "
                  "any link.").format(components=plural(len(sizes), "connected component",
                                                        lang=lang),
                                      sizes=t.join([_count(s, t) for s in sizes]),
                                      isolated=plural(isolated, "dataset", lang=lang)),
        t.gettext("Most links: {datasets}.").format(datasets=", ".join(
            f"{n} ({plural(d, 'link', lang=lang)})" for n, d in top)),
    ]


def channels(G: Any) -> pd.Series:
    """Links per key namespace (and ``QIs`` for quasi-identifiers), most first."""
    return pd.Series([ch for *_, e in G.edges(data=True)
                      for ch in e["keys"] + (["QIs"] if e["qis"] else [])],
                     dtype=object).value_counts()


def _channel(name: str, lang: str) -> str:
    if name == "QIs":
        return translator(lang).gettext("quasi-identifiers")
    if lang == "en":
        return name  # the key namespace as the inventory names it
    from .validation import field_names  # keys named for Dutch readers where known

    return field_names(name, lang)


def channel_title(G: Any, lang: str = "en") -> str:
    """Title of report 02's channel figure: the key that carries the most links."""
    t = translator(lang)
    c = channels(G)
    if c.empty:
        return t.gettext("No key links any two datasets")
    # TRANSLATORS: {channel} is a key namespace ("email") or "quasi-identifiers"; {count}
    # a number of links.
    return t.gettext("“{channel}” carries the most links ({count})").format(
        channel=_channel(c.index[0], lang), count=_count(c.iloc[0], t))


def channel_alt(G: Any, lang: str = "en") -> str:
    """Alt text of report 02's channel figure."""
    t = translator(lang)
    return t.gettext("Bar charts of the links each key namespace or set of quasi-identifiers "
                     "carries: {counts}.").format(counts=", ".join(
        f"{_channel(k, lang)}: {_count(v, t)}" for k, v in channels(G).items()))


#: Where a link's expected overlap comes from (the edge's ``source``).
OVERLAP_SOURCES = {"estimate": NP_("overlap", "estimate"),
                   "override": NP_("overlap", "known overlap (analyst)")}


def links_frame(analysis: Any, lang: str | None = None) -> pd.DataFrame:
    """Every link, strongest first: ids as columns; with ``lang``, the source named for readers.

    Columns: ``a``, ``b``, ``linked_through``, ``expected_overlap``,
    ``expected_links``, ``strength``, ``overlap_source``, ``assumptions``.
    """
    t = translator(lang or "en")
    rows = [{"a": a, "b": b, "linked_through": ", ".join(
                 _channel(k, lang) if lang else k for k in e["keys"] + e["qis"]),
             "expected_overlap": e["expected_overlap"], "expected_links": e["expected_links"],
             "strength": e["strength"],
             "overlap_source": (t.pgettext("overlap", OVERLAP_SOURCES[e["source"]])
                                if lang and e["source"] in OVERLAP_SOURCES else e["source"]),
             "assumptions": "; ".join(e["assumptions"])}
            for a, b, e in analysis.graph.edges(data=True)]
    frame = pd.DataFrame(rows, columns=["a", "b", "linked_through",
                                        "expected_overlap", "expected_links", "strength",
                                        "overlap_source", "assumptions"])
    return frame.sort_values("expected_links", ascending=False, kind="stable").reset_index(
        drop=True)


def links_text(n_links: int, overrides: int, lang: str = "en") -> str:
    """How many links there are and how many rest on an analyst's known overlap.

    Examples
    --------
    >>> print(links_text(257, 3, "nl"))
    257 koppelingen, waarvan 3 met een door de analist opgegeven bekende overlap; de rest is
    geschat.
    """
    t = translator(lang)
    return t.gettext("{links}, {overrides} with an analyst's known overlap; the rest "
                     "estimated.").format(links=plural(n_links, "link", lang=lang),
                                          overrides=_count(overrides, t))


def cumulative_finding(raised: int, sets: int, by_kind: Mapping[str, int], persons: float,
                       lang: str = "en") -> str:
    """Report 03's finding: the combinations heavier than any member, and the persons in them.

    Examples
    --------
    >>> print(cumulative_finding(23, 311, {"edge": 20, "chain": 3}, 1234567.8, "nl"))
    **23** van de 311 combinaties (7%) komen samen op een hoger niveau dan elk van hun
    bulkdatasets afzonderlijk (20 paren en 3 ketens); samen koppelen ze gegevens over naar
    verwachting **ruim 1,2 miljoen verschillende personen**.
    """
    t = translator(lang)
    nouns = {"edge": "pair", "chain": "chain", "investigation": "investigation"}
    kinds = t.join([plural(n, nouns[k], lang=lang) if k in nouns else f"{_count(n, t)} {k}"
                    for k, n in by_kind.items()])
    # TRANSLATORS: {raised} a number; {sets} "N combinations"; {share} a percentage;
    # {kinds} "20 pairs and 3 chains"; {persons} "N distinct persons".
    return t.gettext("**{raised}** of {sets} ({share}) reach a higher level together than any "
                     "of their datasets alone ({kinds}); together they link an expected "
                     "**{persons}**.").format(
        raised=_count(raised, t), sets=plural(sets, "combination", lang=lang),
        share=t.percent(raised, sets), kinds=kinds,
        persons=plural(persons, "distinct person", lang=lang))


def raised_title(groups: pd.DataFrame, raised: int, level_names: Sequence[str],
                 lang: str = "en") -> str:
    """Title of report 03's figure: the combinations heavier than their members, and the
    most common jump. ``groups`` is :func:`bulkimpact.present.plots.raised_groups` output."""
    t = translator(lang)
    head = t.ngettext("{n} combination is heavier than any of its members",
                      "{n} combinations are heavier than any of their members", raised).format(
        n=_count(raised, t))
    if groups.empty:
        return head
    jumps = groups.groupby(["member_level", "level"], sort=False)["count"].sum() \
        .sort_values(ascending=False, kind="stable")
    (m, lv), n = jumps.index[0], int(jumps.iloc[0])
    # TRANSLATORS: {head} "N combinations are heavier …"; {n} a number; {member} and {level}
    # level names ("light", "heavy").
    return t.ngettext("{head}; {n} of them joins {member} datasets into a {level} combination",
                      "{head}; {n} of them join {member} datasets into a {level} combination",
                      n).format(head=head, n=_count(n, t),
                                member=level_name(level_names[m], lang),
                                level=level_name(level_names[lv], lang))


def raised_alt(groups: pd.DataFrame, raised: int, level_names: Sequence[str],
               lang: str = "en") -> str:
    """Alt text of report 03's figure: every row, its jump, count and persons."""

    t = translator(lang)
    rows = "; ".join(t.gettext(
        "{count} {kind} from level {member} to level {level}, linking {low} to {high} persons "
        "each (largest: {largest})").format(
        count=_count(g.count, t), kind=kind_name(g.kind, lang),
        member=f"{g.member_level} {level_name(level_names[g.member_level], lang)}",
        level=f"{g.level} {level_name(level_names[g.level], lang)}",
        low=_count(g.persons_min, t), high=_count(g.persons_max, t),
        largest=g.largest.replace(", ", " + ")) for g in groups.itertuples())
    return t.gettext("Two-panel chart of the {raised} combinations that reach a higher level "
                     "together than any member alone, grouped by kind and by the jump from the "
                     "highest member level to the combination's level. {rows}.").format(
        raised=_count(raised, t), rows=rows)


def mosaic_frame(analysis: Any, top: int | None = None, lang: str | None = None) -> pd.DataFrame:
    """The combinations heavier than their members, most linked persons first.

    Columns: ``combination``, ``member_categories`` (what each member brings),
    ``member_levels``, ``combined_level``, ``rules_only_together`` (criteria that fire on
    the combination only), ``linked_persons``, ``kind``. Without ``lang`` (a download),
    ids; with it, names in the language.
    """
    G, rb = analysis.graph, analysis.rulebook
    raised = sorted((s for s in analysis.sets if s.raised), key=lambda s: -s.persons)
    rows = []
    for s in raised[:top]:
        own = set().union(*(G.nodes[m]["rules"] for m in s.members))
        only = [r for r in s.rules if r not in own]

        def cats(m: str) -> str:
            return ", ".join(category_name(c, lang) if lang else c
                             for c in G.nodes[m]["categories"])

        rows.append({
            "combination": " + ".join(s.members),
            "member_categories": " | ".join(f"{m}: {cats(m)}" for m in s.members),
            "member_levels": ", ".join(str(G.nodes[m]["level"]) for m in s.members),
            "combined_level": rb.levels[s.level].name if lang else s.level,
            "rules_only_together": "; ".join(criterion_name(rb, r, lang) if lang else r
                                             for r in only) or "–",
            "linked_persons": s.persons, "kind": s.kind,
        })
    return pd.DataFrame(rows, columns=["combination", "member_categories", "member_levels",
                                       "combined_level", "rules_only_together",
                                       "linked_persons", "kind"])


def mosaic_rule_text(analysis: Any, lang: str = "en") -> str | None:
    """The criterion that most often fires on a combination only, and how often."""
    frame = mosaic_frame(analysis)
    rules = frame["rules_only_together"].str.split("; ").explode()
    rules = rules[rules != "–"].value_counts()
    if rules.empty:
        return None
    t = translator(lang)
    return t.gettext("The criterion that most often fires only on a combination: **{rule}** "
                     "({combinations}).").format(
        rule=criterion_name(analysis.rulebook, rules.index[0], lang),
        combinations=plural(rules.iloc[0], "combination", lang=lang))


__all__ += ["REPORT_CAPTIONS", "figure_caption", "verdict_sentences", "verdict_details",
            "overview_finding",
            "readings_frontier_title", "readings_frontier_alt", "inventory_glance",
            "RULEBOOK_TEXTS", "CATEGORY_NAMES", "rulebook_text", "category_name",
            "criterion_name", "reading_definitions", "PARAMETER_NAMES", "parameters_frame",
            "inventory_finding", "inventory_levels_title", "level_counts_frame",
            "level_meanings_frame", "rulebook_frame", "datasets_table_frame", "linkage_title",
            "linkage_finding", "linkage_alt", "components_text", "channels", "channel_title",
            "channel_alt", "OVERLAP_SOURCES", "links_frame", "links_text",
            "cumulative_finding", "raised_title", "raised_alt", "mosaic_frame",
            "mosaic_rule_text"]


# --- captions of figures and tables ---------------------------------------------------------

#: Captions that state what a figure or table shows (no numbers): key → message.
CAPTIONS = {
    "decision_map_title": NP_("caption", "Which rule protects every combination at least cost "
                                         "depends on how often combinations are used"),
    "decision_map": NP_("caption", "The cheapest rule that leaves no combination "
                                   "under-protected, per reading, use rate and horizon, with "
                                   "every use authorised beforehand; computed on fictional data "
                                   "with the illustrative rulebook."),
    "levels_by_reading": NP_("caption", "Datasets per level on their own, under each reading."),
    "readings": NP_("caption", "What each reading compared here counts as publicly "
                               "accessible, and where the rulebook takes it from."),
    "changed_datasets": NP_("caption", "Datasets whose level on their own differs between the "
                                       "two readings."),
    "rules_by_reading": NP_("caption", "Each decision rule under each reading."),
    "rules": NP_("caption", "Each decision rule on this inventory."),
    "regimes": NP_("caption", "Regime level of each dataset that some rule raises: first its "
                              "own level, then the level each rule assigns. Outlined cells with "
                              "an arrow are raised above the own level."),
    "frontier": NP_("caption", "Total burden (one-off costs plus, over the horizon, holding, "
                               "uses and authorisations) against under-protection. Rules on the "
                               "frontier are beaten by no other on both axes at once."),
    "sensitivity": NP_("caption", "Each headline figure with one assumption at an end of its "
                                  "range, the others as stated."),
    "robustness": NP_("caption", "Median [5th–95th percentile] over the draws."),
    "density": NP_("caption", "Mean share of datasets escalated per linkage density."),
}


def caption(key: str, lang: str = "en") -> str:
    """A caption of :data:`CAPTIONS` in the language.

    Examples
    --------
    >>> caption("rules_by_reading", "nl")
    'Elke beslisregel onder elke lezing.'
    """
    return translator(lang).pgettext("caption", CAPTIONS[key])


# --- 04: downloads named under a figure ------------------------------------------------------

def download_note(href: str | None, lang: str = "en") -> str:
    """A link to a whole table as CSV, as tables name it under a shortened table (HTML);
    empty when there is no download (a plain run without ``out_dir``).

    Examples
    --------
    >>> download_note("04_decision_rules_files/regimes.csv", "nl")
    'De hele tabel: <a href="04_decision_rules_files/regimes.csv">regimes.csv</a> (CSV).'
    """
    import html

    if href is None:
        return ""
    return translator(lang).gettext('The whole table: <a href="{href}">{name}</a> (CSV).').format(
        href=html.escape(href, quote=True), name=html.escape(href.rsplit("/", 1)[-1]))
