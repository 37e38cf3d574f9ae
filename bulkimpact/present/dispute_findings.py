"""The dispute's claims, computed: what each decision rule leaves and escalates, the CTIVD's
and the ministers' claims, the frontier and the break-even rate, under each reading.

The index (report 00) opens with :func:`verdict_sentences`; :func:`policy_findings` gives
one sentence per rule. Every number comes from an :class:`bulkimpact.evaluate.Evaluation`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..evaluate import Evaluation, cheapest_full_protection
from ..rulebook import Rulebook
from .i18n import (
    reading_label,
    reading_name,
    rule_meaning,
    rule_name,
    translator,
)
from .names import (
    plural,
)
from .phrases import bold_rules, cost_text, count_text, param_text, rule_text, slight_text
from .tables import solver_status

__all__ = ["policy_findings", "dispute_verdict", "readings_verdict", "verdict_sentences",
           "verdict_details", "overview_finding"]


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
        params = ", ".join(f"{k}={param_text(v, t)}" for k, v in o.params.items()
                           if k in ("k", "t"))
        head = f"**{rule_text(name, t)}**" + (f" ({params})" if params else "")
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
                escalated=count_text(o.escalated, t), total=count_text(n, t),
                total_datasets=plural(n, "dataset", lang=lang),
                share=t.percent(o.escalated, n), slight=slight_text(o, rulebook, t),
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
        burden = t.gettext("burden {cost} cost units").format(cost=cost_text(o.total_burden, t))
        if o.authorisation_cost and o.escalation_cost:
            burden += " " + t.gettext("({escalation} escalation + "
                                      "{authorisation} authorisation)").format(
                escalation=cost_text(o.escalation_cost, t),
                authorisation=cost_text(o.authorisation_cost, t))
        status = ("; " + t.gettext("solver status: {status}").format(
            status=solver_status(o.status, lang))
                  if o.status not in ("exact", "optimal") else "")
        out.append(f"{head}: {under}; {esc}; {burden}{status}.")
    return out


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
            under=count_text(p.under_protected, t), sets=plural(n_sets, "exposure set", lang=lang),
            persons=plural(p.under_protected_persons, "distinct person", lang=lang)))
    if "component" in o:
        c = o["component"]
        # TRANSLATORS: also offered: {datasets} ("N datasets" escalated) and {total}.
        lines["ministers"] = (t.gettext(
            "Ministers: weighing whole linked components together escalates {escalated} of "
            "{total_datasets} ({share}), {slight}.").format(
            escalated=count_text(c.escalated, t),
            datasets=plural(c.escalated, "dataset", lang=lang),
            total=count_text(n, t), total_datasets=plural(n, "dataset", lang=lang),
            share=t.percent(c.escalated, n), slight=slight_text(c, rulebook, t)))
    front = evaluation.pareto
    if front:
        # TRANSLATORS: {rules} lists the rules on the Pareto frontier of (under-protected
        # exposure sets, total burden): no other rule is better on both.
        lines["frontier"] = (t.ngettext(
            "Frontier: {rules} is not beaten on both under-protected combinations and total "
            "burden by any other rule.",
            "Frontier: {rules} are not beaten on both under-protected combinations and total "
            "burden by any other rule.", len(front)).format(rules=bold_rules(front, t)))
    best = cheapest_full_protection(evaluation)
    if best is not None:
        b = o[best]
        if b.escalated:
            lines["cheapest"] = (t.gettext(
                "The cheapest rule that leaves nothing under-protected is **{rule}**: burden "
                "{cost} cost units, {datasets} escalated ({slight} of very slight intrusion on "
                "their own).").format(
                rule=rule_text(best, t), cost=cost_text(b.total_burden, t),
                datasets=plural(b.escalated, "dataset", lang=lang),
                slight=count_text(b.escalated_slight, t)))
        else:
            lines["cheapest"] = t.gettext(
                "The cheapest rule that leaves nothing under-protected is **{rule}**: burden "
                "{cost} cost units, without escalating any dataset.").format(
                rule=rule_text(best, t), cost=cost_text(b.total_burden, t))
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
    Under the services' reading ("leaked and purchased data count as publicly accessible"):
    the component rule escalates 3 of 3 datasets, 3 of very
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
                rule=rule_name("component", lang), escalated=count_text(c.escalated, t),
                datasets=plural(c.escalated, "dataset", lang=lang),
                total=count_text(ev.datasets, t),
                total_datasets=plural(ev.datasets, "dataset", lang=lang),
                slight=slight_text(c, rulebook, t)))
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
    2 of them of very slight intrusion on their own. With the stated assumptions, every
    combination is protected at the lowest burden by **authorisation per use**, without
    escalating any dataset.
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
            reading=reading_name(reading, lang), under=count_text(p.under_protected, t),
            sets=plural(n_sets, "combination", lang=lang), escalated=count_text(c.escalated, t),
            datasets=plural(n, "dataset", lang=lang), slight=count_text(c.escalated_slight, t)))
    best = cheapest_full_protection(evaluation)
    if best is not None and o[best].escalated:
        parts.append(t.gettext(
            "With the stated assumptions, every combination is protected at the lowest burden "
            "by **{rule}**, which escalates {datasets}.").format(rule=rule_name(best, lang),
                                  datasets=plural(o[best].escalated, "dataset", lang=lang)))
    elif best is not None:
        parts.append(t.gettext(
            "With the stated assumptions, every combination is protected at the lowest burden "
            "by **{rule}**, without escalating any dataset.").format(rule=rule_name(best, lang)))
    else:
        parts.append(t.gettext("No decision rule leaves every combination protected."))
    return " ".join(parts)
