"""Plain-language findings, computed from results (never typed in by hand).

Reports show these sentences to readers who never open Python; each one says
what it counts and under which rule, so a number is never shown bare.

Every function takes ``lang``: ``"en"`` (the default) or ``"nl"``. The words
come from the message catalogues of :mod:`bulkimpact.present.i18n`, numbers
are formatted for the language (Dutch 1.259.319 and 55,5) and counted nouns
take the catalogue's plural forms. English sentences name decision rules and
openness readings by their ids (``per_dataset``, ``ctivd``), as the JSON and
the tables do; Dutch sentences use the catalogue's names
(:func:`~bulkimpact.present.i18n.rule_name`,
:func:`~bulkimpact.present.i18n.reading_name`).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..evaluate import Evaluation, PolicyOutcome, cheapest_full_protection
from ..rulebook import Rulebook
from .i18n import (
    NOUNS,
    NP_,
    RULES,
    Translator,
    level_name,
    plural_count,
    reading_label,
    reading_name,
    rule_meaning,
    rule_name,
    translator,
)

__all__ = ["plural", "percent", "policy_findings", "dispute_verdict", "openness_findings",
           "readings_verdict", "RULE_MEANING", "ASSUMPTION_NAMES", "QUANTITY_NAMES",
           "assumption_name", "quantity_name", "rules_finding", "frontier_title", "frontier_alt",
           "break_even_text", "regimes_text", "sweep_text", "sensitivity_text",
           "robustness_text", "burden_share", "SOURCE_NAMES", "OPENNESS_FLAGS", "source_name",
           "readings_frame", "openness_finding", "openness_changes", "levels_title",
           "sets_moved", "readings_compared", "CAPTIONS", "caption"]


def plural(n: float, singular: str, plural_form: str | None = None, lang: str = "en") -> str:
    """``"1 dataset"``, ``"3 datasets"``, with the language's thousands separators.

    Nouns in :data:`bulkimpact.present.i18n.NOUNS` take the catalogue's plural
    forms in every language; other English nouns add ``s`` (or take
    ``plural_form``). A noun the catalogue lacks has no Dutch form: asking for
    one raises rather than let English into a Dutch page.

    Examples
    --------
    >>> plural(1, "dataset"), plural(12000, "person")
    ('1 dataset', '12,000 persons')
    >>> plural(1, "dataset", lang="nl"), plural(12000, "distinct person", lang="nl")
    ('1 bulkdataset', '12.000 verschillende personen')
    >>> plural(3, "exposure set", lang="nl")
    '3 combinaties'
    """
    t = translator(lang)
    forms = NOUNS.get(singular)
    if forms is not None and (plural_form is None or forms[1] == "{n} " + plural_form):
        return t.ngettext(*forms, n).format(n=t.number(n))
    if lang != "en":
        raise ValueError(f"no {lang!r} plural for {singular!r}: add it to "
                         "bulkimpact.present.i18n.NOUNS and translate it in the catalogue")
    word = singular if plural_count(n) == 1 else (plural_form or singular + "s")
    return f"{t.number(n)} {word}"


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
    """A rule named in a sentence: its id in English (as JSON and tables name it), else its name."""
    return name if t.lang == "en" else rule_name(name, t.lang)


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
    >>> from bulkimpact.evaluate import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(policy_findings(ev, toy_rulebook())[0])
    **per_dataset** (each dataset on its own nature): 1 exposure set under-protected
    (4,000 distinct persons linked in them); escalates nothing; burden 0.0 cost units.
    >>> print(policy_findings(ev, toy_rulebook(), lang="nl")[0])
    **per bulkdataset afzonderlijk** (elke bulkdataset naar zijn eigen aard): 1 combinatie
    onvoldoende beschermd (met de gekoppelde gegevens van 4.000 verschillende personen); brengt
    geen bulkdataset in een zwaarder regime; lasten 0,0 kosteneenheden.
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
            under = t.gettext("no exposure set under-protected")
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
        status = ("; " + t.gettext("solver status: {status}").format(status=o.status)
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
    >>> from bulkimpact.evaluate import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(dispute_verdict(ev, toy_rulebook())[0])
    CTIVD: per-dataset assessment leaves 1 of 2 exposure sets under-protected,
    with 4,000 distinct persons linked in them.
    >>> print(dispute_verdict(ev, toy_rulebook(), lang="nl")[0])
    De CTIVD: wie elke bulkdataset afzonderlijk beoordeelt, laat 1 van de 2 combinaties
    onvoldoende beschermd, met de gekoppelde gegevens van 4.000 verschillende personen.
    """
    t = translator(lang)
    o = evaluation.outcomes
    n_sets = len(evaluation.sets)
    n = evaluation.datasets
    lines = []
    if "per_dataset" in o:
        p = o["per_dataset"]
        lines.append(t.gettext(
            "CTIVD: per-dataset assessment leaves {under} of {sets} under-protected, "
            "with {persons} linked in them.").format(
            under=_count(p.under_protected, t), sets=plural(n_sets, "exposure set", lang=lang),
            persons=plural(p.under_protected_persons, "distinct person", lang=lang)))
    if "component" in o:
        c = o["component"]
        # TRANSLATORS: also offered: {datasets} ("N datasets" escalated) and {total}.
        lines.append(t.gettext(
            "Ministers: weighing whole linked components together escalates {escalated} of "
            "{total_datasets} ({share}), {slight}.").format(
            escalated=_count(c.escalated, t), datasets=plural(c.escalated, "dataset", lang=lang),
            total=_count(n, t), total_datasets=plural(n, "dataset", lang=lang),
            share=t.percent(c.escalated, n), slight=_slight(c, rulebook, t)))
    front = evaluation.pareto
    if front:
        # TRANSLATORS: {rules} lists the rules on the Pareto frontier of (under-protected
        # exposure sets, total burden): no other rule is better on both.
        lines.append(t.ngettext(
            "Frontier: {rules} is not beaten on both under-protected exposure sets and total "
            "burden by any other rule.",
            "Frontier: {rules} are not beaten on both under-protected exposure sets and total "
            "burden by any other rule.", len(front)).format(rules=_join(front, t)))
    best = cheapest_full_protection(evaluation)
    if best is not None:
        b = o[best]
        lines.append(t.gettext(
            "The cheapest rule that leaves nothing under-protected is **{rule}**: burden "
            "{cost} cost units, {datasets} escalated ({slight} of very slight intrusion on their "
            "own).").format(
            rule=_rule(best, t), cost=_cost(b.total_burden, t),
            datasets=plural(b.escalated, "dataset", lang=lang),
            slight=_count(b.escalated_slight, t)))
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
        lines.append(line.format(**values))
    return lines


def readings_verdict(evaluations: Mapping[str, Evaluation], rulebook: Rulebook,
                     lang: str = "en") -> list[str]:
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
    publicly accessible)"): the component rule escalates 3 of 3 datasets, 3 of very
    slight intrusion on their own (0 outside the regime, 3 light); per-dataset assessment
    leaves 1 exposure set under-protected.
    >>> print(readings_verdict(evs, rb, lang="nl")[1])
    Volgens de lezing van de CTIVD (gegevens uit een datalek zijn niet openbaar toegankelijk,
    gekochte gegevens wel): de regel **hele component** brengt 3 van de 3 bulkdatasets in
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

#: The assumptions of :data:`bulkimpact.sensitivity.ASSUMPTIONS`, named for readers: id → message.
ASSUMPTION_NAMES = {
    "overlap_factor": NP_("assumption", "overlaps between datasets (× 0.5–2)"),
    "cardinality_factor": NP_("assumption", "quasi-identifier cardinalities (× 0.5–2)"),
    "match_quality_shift": NP_("assumption", "match quality of keys (−0.15 to +0.05)"),
    "threshold_factor": NP_("assumption", "rulebook person thresholds (× 0.5–2)"),
    "identifiability_share": NP_("assumption", "share unique for quasi-identifiers to identify "
                                               "(0.25–0.75; stated 0.5)"),
    "breadth_categories": NP_("assumption",
                              "categories for a broad-profile mosaic (4–6; stated 5)"),
    "authorisation_cost_factor": NP_("assumption", "authorisation cost per use (× 0.5–2)"),
    "use_rate_factor": NP_("assumption",
                           "use rate of combinations outside investigations (× 0.1–10)"),
}

#: The headline quantities of :data:`bulkimpact.sensitivity.HEADLINE_QUANTITIES`: id → message.
QUANTITY_NAMES = {
    "per_dataset_under_protected": NP_("quantity", "combinations left under-protected by "
                                                   "assessment per dataset"),
    "component_escalated_slight": NP_("quantity", "datasets of very slight intrusion on their "
                                                  "own escalated by the whole-component rule"),
    "minimal_escalation_burden": NP_("quantity", "burden of minimal escalation (cost units)"),
    "use_based_burden": NP_("quantity", "burden of authorisation per use (cost units)"),
}


def assumption_name(name: str, lang: str = "en") -> str:
    """An assumption of the sensitivity analysis, named in the language (the id when unknown).

    Examples
    --------
    >>> assumption_name("overlap_factor", "nl")
    'overlap tussen bulkdatasets (× 0,5–2)'
    """
    if name not in ASSUMPTION_NAMES:
        return name
    return translator(lang).pgettext("assumption", ASSUMPTION_NAMES[name])


def quantity_name(name: str, lang: str = "en") -> str:
    """A headline quantity of the sensitivity analysis, named in the language."""
    if name not in QUANTITY_NAMES:
        return name
    return translator(lang).pgettext("quantity", QUANTITY_NAMES[name])


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
    >>> from bulkimpact.evaluate import evaluate_policies
    >>> ev = evaluate_policies(toy_graph("services"), toy_rulebook())
    >>> print(rules_finding(ev))  # doctest: +NORMALIZE_WHITESPACE
    Assessment **per dataset** leaves 1 of 2 combinations under-protected; weighing each
    **whole component** together escalates 3 of 3 datasets, 3 of them of very slight
    intrusion on their own. The rule **authorisation per use** protects every combination
    without escalating a dataset, for 0.1 cost units.
    >>> print(rules_finding(ev, "nl"))  # doctest: +NORMALIZE_WHITESPACE
    Wie elke bulkdataset afzonderlijk beoordeelt, laat 1 van de 2 combinaties onvoldoende
    beschermd; wie de bulkdatasets per verbonden geheel in samenhang weegt (regel **hele
    component**), brengt 3 van de 3 bulkdatasets in een zwaarder regime, waarvan 3 met op
    zichzelf een zeer geringe inbreuk. De regel **toestemming per gebruik** beschermt elke
    combinatie zonder een bulkdataset zwaarder te behandelen, voor 0,1 kosteneenheden.
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
                          "({cost} cost units)").format(
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


def break_even_text(evaluation: Evaluation, fixed: float, per_use: float,
                    lang: str = "en") -> dict[str, str]:
    """Title, verdict, alt text and caption of the break-even figure.

    Keys: ``title``, ``verdict``, ``alt``, ``caption``.
    """
    t = translator(lang)
    rate = evaluation.break_even_use_rate
    p = evaluation.params
    o = evaluation.outcomes
    escalation = o["minimal_escalation"].total_burden
    if rate is None:
        verdict = t.gettext("No combination outside the investigations needs an authorisation, "
                            "so the use rate does not matter.")
        title = t.gettext("The use rate does not move the comparison")
    else:
        cheaper = "use_based" if p.use_rate < rate else "minimal_escalation"
        verdict = t.ngettext(
            "Break-even at {rate} uses a year per possible combination: at the assumed rate of "
            "{assumed}, {rule} is the cheaper way to protect every combination ({use_based} "
            "against {escalation} cost units over {years} year).",
            "Break-even at {rate} uses a year per possible combination: at the assumed rate of "
            "{assumed}, {rule} is the cheaper way to protect every combination ({use_based} "
            "against {escalation} cost units over {years} years).", p.horizon_years).format(
            rate=t.significant(rate, 3), assumed=t.decimal(p.use_rate),
            rule=_bold_rule(cheaper, lang), use_based=_cost(o["use_based"].total_burden, t),
            escalation=_cost(escalation, t), years=t.decimal(p.horizon_years))
        title = t.gettext("Authorising every use costs more than escalating above {rate} uses "
                          "a year").format(rate=t.significant(rate, 3))
    alt = t.gettext("Line chart on a logarithmic use-rate axis. Authorisation per use costs "
                    "{years} × ({fixed} + rate × {per_use}) cost units; minimal escalation "
                    "costs {escalation} once.").format(
        years=t.decimal(p.horizon_years), fixed=t.decimal(fixed, 2), per_use=t.decimal(per_use, 2),
        escalation=_cost(escalation, t)) + " " + verdict.replace("**", "")
    caption = t.gettext("Burden of the two rules that protect every combination, as the use "
                        "rate of combinations outside investigations varies; the investigations' "
                        "own rates are fixed.")
    return {"title": title, "verdict": verdict, "alt": alt, "caption": caption}


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
    >>> from bulkimpact.evaluate import evaluate_policies
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
    >>> from bulkimpact.evaluate import evaluate_policies
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


# --- captions of figures and tables ---------------------------------------------------------

#: Captions that state what a figure or table shows (no numbers): key → message.
CAPTIONS = {
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
    "frontier": NP_("caption", "Total burden (escalation cost + a year of authorisations) "
                               "against under-protection. Rules on the frontier are beaten by "
                               "no other on both."),
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
