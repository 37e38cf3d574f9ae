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

import pandas as pd

from ..evaluate import Evaluation, PolicyOutcome, cheapest_full_protection
from ..rulebook import Rulebook
from .i18n import (
    NOUNS,
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
           "readings_verdict", "RULE_MEANING"]


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
    return t.gettext("{count} of slight intrusion on their own "
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
            "{cost} cost units, {datasets} escalated ({slight} of slight intrusion on their "
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
    publicly accessible)"): the component rule escalates 3 of 3 datasets, 3 of slight
    intrusion on their own (0 outside the regime, 3 light); per-dataset assessment leaves
    1 exposure set under-protected.
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
