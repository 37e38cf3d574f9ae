"""Sentences, titles and tables on the retention timeline (notebook 08), in Dutch and English.

Every sentence is computed from a :class:`bulkimpact.timeline.Timeline` (and a
:class:`bulkimpact.timeline.WhatIf`) and worded by the gettext catalogue
(:mod:`bulkimpact.present.i18n`). The Dutch uses the words of seed 000:
*bulkdataset*, *vernietigen*, *nieuwe eindtermijn* (Tijdelijke wet), and the
model's *relevantiebeoordeling* and *bewaartermijn*. Person figures are
expected numbers of distinct persons, and the sentences say so.

Examples
--------
>>> from bulkimpact.analysis import load_analysis
>>> from bulkimpact.timeline import retention_timeline
>>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
...                                      policies=["per_dataset", "minimal_escalation"]))
>>> print(timeline_finding(t, "en"))
On 12 May 2025, with 43 datasets held, per-dataset assessment left 49 combinations
under-protected, linking just over 2.2 million distinct persons (expected); the held set
changed on 88 days between 3 October 2022 and 2 December 2026.
>>> print(timeline_finding(t, "nl"))
Op 12 mei 2025, met 43 bulkdatasets in bewaring, liet de beoordeling per bulkdataset 49
combinaties onvoldoende beschermd, met naar verwachting ruim 2,2 miljoen verschillende
personen gekoppeld; wat werd bewaard veranderde op 88 dagen tussen 3 oktober 2022 en 2
december 2026.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..registry import HEADLINE
from .i18n import NN_, NP_, level_name, persons_figure, rule_name, translator
from .tables import Column, Table, table

if TYPE_CHECKING:
    from ..timeline import Timeline, TimelineStep, WhatIf

__all__ = ["TIMELINE_COLUMNS", "timeline_finding", "retention_sentences",
           "retention_law_sentences", "solver_sentence", "gantt_title",
           "gantt_alt", "rules_title", "rules_alt", "peak_table", "retention_table",
           "whatif_sentences", "whatif_rise_sentences", "whatif_title",
           "no_whatif_sentence", "whatif_table",
           "end_reason_name"]

_NOUNS = {
    "dataset": NN_("{n} dataset", "{n} datasets"),
    "combination": NN_("{n} combination", "{n} combinations"),
    "exposure set": NN_("{n} combination", "{n} combinations"),
    "day": NN_("{n} day", "{n} days"),
}

#: Columns of notebook 08's tables that :data:`bulkimpact.present.tables.COLUMNS` lacks.
TIMELINE_COLUMNS: dict[str, Column] = {
    "extensions": Column(NP_("column", "extensions (new end terms)")),
    "ends": Column(NP_("column", "held until"), "date"),
    "end_reason": Column(NP_("column", "ends by"), "text"),
    "destroyed": Column(NP_("column", "destroyed"), "date"),
    "held_past_term_days": Column(NP_("column", "days held past the term")),
    "under_protected_what_if": Column(NP_("column", "under-protected combinations, what-if")),
    "escalated_what_if": Column(NP_("column", "datasets escalated, what-if")),
    "escalation_cost_what_if": Column(NP_("column", "escalation cost, what-if (cost units)"),
                                      "cost"),
}

#: How a dataset's end is named, by :attr:`bulkimpact.timeline.Retention.end_reason`.
_END_REASONS = {
    "destroyed": NP_("end reason", "destroyed"),
    "relevance_deadline": NP_("end reason", "relevance deadline"),
    "extension": NP_("end reason", "last extension"),
    "none recorded": NP_("end reason", "no end recorded"),
    "what-if: destroyed": NP_("end reason", "destroyed (what-if)"),
    "what-if: extension refused": NP_("end reason", "extension refused (what-if)"),
}


def _n(noun: str, n: float, lang: str) -> str:
    t = translator(lang)
    return t.ngettext(*_NOUNS[noun], n).format(n=t.number(n))


def end_reason_name(reason: str, lang: str = "en") -> str:
    """How a dataset's end is named in the page's language.

    Examples
    --------
    >>> end_reason_name("extension", "nl"), end_reason_name("destroyed", "en")
    ('laatste verlenging', 'destroyed')
    """
    return translator(lang).pgettext("end reason", _END_REASONS.get(reason, reason))


def _peak(timeline: Timeline) -> TimelineStep:
    """The first step with the most combinations heavier together than alone."""
    return max(timeline.steps, key=lambda s: len(s.raised))


def timeline_finding(timeline: Timeline, lang: str = "en") -> str:
    """The one-line finding: the day most combinations were under-protected per dataset."""
    t = translator(lang)
    dated = [s for s in timeline.steps if s.start is not None]
    peak = _peak(timeline)
    span = t.gettext("the held set changed on {days} between {first} and {last}").format(
        days=_n("day", len(dated), lang), first=t.date(dated[0].start),
        last=t.date(dated[-1].start)) if dated else t.gettext("no dates are recorded")
    if not peak.raised:
        return t.gettext("On no day did the datasets held include a combination heavier than "
                         "its members alone; {span}.").format(span=span)
    when = t.date(peak.start) if peak.start else t.gettext("throughout")
    # TRANSLATORS: {date} a day; {held} "43 datasets"; {sets} "71 combinations"; {persons} a
    # number; {span} "the held set changed on 90 days between … and …".
    return t.gettext(
        "On {date}, with {held} held, per-dataset assessment left {sets} under-protected, "
        "linking {persons} distinct persons (expected); {span}.").format(
        date=when, held=_n("dataset", len(peak.held), lang),
        sets=_n("combination", len(peak.raised), lang),
        persons=persons_figure(peak.raised_linked_persons, lang),
        span=span)


def retention_sentences(timeline: Timeline, lang: str = "en") -> list[str]:
    """How the datasets' terms ran: extended, destroyed early, held past the term.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import retention_timeline
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["per_dataset"]))
    >>> for s in retention_sentences(t, "nl"):
    ...     print(s)
    Van de 45 bulkdatasets kregen er 7 minstens één nieuwe eindtermijn (Tijdelijke wet).
    2 bulkdatasets werden vernietigd voordat hun bewaartermijn afliep.
    """
    t = translator(lang)
    r = list(timeline.retention.values())
    total = len(r)
    extended = sum(bool(x.extensions) for x in r)
    early = sum(x.destroyed is not None and x.term_in_force is not None
                and x.destroyed < x.term_in_force for x in r)
    late = [x for x in r if x.held_past_term_days > 0]
    open_ended = sum(x.ends is None for x in r)
    # TRANSLATORS: {extended} a number; {total} "45 datasets".
    out = [t.ngettext(
        "Of {total}, {extended} got at least one new end term (Tijdelijke wet).",
        "Of {total}, {extended} got at least one new end term (Tijdelijke wet).",
        extended).format(total=_n("dataset", total, lang), extended=t.number(extended))]
    if early:
        out.append(t.ngettext("{n} dataset was destroyed before its retention term ran out.",
                              "{n} datasets were destroyed before their retention term ran "
                              "out.", early).format(n=t.number(early)))
    if late:
        out.append(t.ngettext(
            "{n} dataset was held past its term in force, {days} at most.",
            "{n} datasets were held past their term in force, {days} at most.",
            len(late)).format(n=t.number(len(late)),
                              days=_n("day", max(x.held_past_term_days for x in late), lang)))
    if open_ended:
        out.append(t.ngettext("{n} dataset has no end recorded: it counts as held to the end.",
                              "{n} datasets have no end recorded: they count as held to the "
                              "end.", open_ended).format(n=t.number(open_ended)))
    return out


def retention_law_sentences(timeline: Timeline, lang: str = "en") -> list[str]:
    """The retention terms checked against the rulebook's (art. 27 Wiv 2017): the datasets
    held indefinitely or beyond the term, or that none is.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import retention_timeline
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["per_dataset"]))
    >>> print(retention_law_sentences(t, "nl")[0])
    Alle 45 bulkdatasets hebben een termijn voor de relevantiebeoordeling binnen 18 maanden na
    verwerving, zoals artikel 27 Wiv 2017 voorschrijft, en elke nieuwe eindtermijn ligt binnen 12
    maanden na de termijn die zij verlengt (een aanname van het regelboek).
    """
    terms = timeline.analysis.rulebook.retention
    if terms is None:
        return []
    t = translator(lang)
    findings = timeline.findings
    total = len(timeline.retention)
    if not findings:
        return [t.gettext(
            "All {total} have a relevance deadline within {months} months of acquisition, as "
            "art. 27 Wiv 2017 requires, and every new end term lies within {extension} months "
            "of the term it extends (an assumption of the rulebook).").format(
            total=_n("dataset", total, lang), months=t.number(terms.relevance_months),
            extension=t.number(terms.extension_months or 0))]
    out = []
    indefinite = sorted({f["id"] for f in findings if f["kind"] == "retention_indefinite"})
    beyond = sorted({f["id"] for f in findings if f["kind"] == "retention_beyond_term"})
    if indefinite:
        # TRANSLATORS: {sets} "3 datasets"; {ids} their ids.
        out.append(t.ngettext(
            "{sets} has no relevance deadline and is not destroyed: it is held indefinitely "
            "({ids}).",
            "{sets} have no relevance deadline and are not destroyed: they are held "
            "indefinitely ({ids}).", len(indefinite)).format(
            sets=_n("dataset", len(indefinite), lang), ids=t.join(indefinite)))
    if beyond:
        out.append(t.ngettext(
            "{sets} has a relevance deadline later than {months} months after acquisition "
            "(art. 27 Wiv 2017), or a new end term more than {extension} months after the term "
            "it extends: held beyond the term ({ids}).",
            "{sets} have a relevance deadline later than {months} months after acquisition "
            "(art. 27 Wiv 2017), or a new end term more than {extension} months after the term "
            "it extends: held beyond the term ({ids}).", len(beyond)).format(
            sets=_n("dataset", len(beyond), lang), months=t.number(terms.relevance_months),
            extension=t.number(terms.extension_months or 0), ids=t.join(beyond)))
    return out


def solver_sentence(timeline: Timeline, lang: str = "en") -> str | None:
    """Whether minimal escalation is a proven optimum on every day, or on which days the
    solver stopped at its time limit (status "bounded": the best regime found, its bound and
    gap); None when the timeline has no minimal escalation.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import retention_timeline
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["minimal_escalation"]))
    >>> print(solver_sentence(t, "nl"))
    Minimale ophoging is op elke dag exact opgelost: de uitkomst is een bewezen optimum.
    """
    if "minimal_escalation" not in timeline.policies:
        return None
    t = translator(lang)
    rule = rule_name("minimal_escalation", lang)
    bounded = timeline.bounded_steps
    limit = t.decimal(timeline.analysis.params.time_limit)
    if not bounded:
        if not timeline.bounded:
            return t.gettext("{rule} is solved exactly on every day: the result is a proven "
                             "optimum.").format(rule=rule[:1].upper() + rule[1:])
        # TRANSLATORS: {limit} seconds.
        return t.gettext("{rule} may stop at {limit} seconds per solve, yet is solved to a "
                         "proven optimum on every day.").format(
            rule=rule[:1].upper() + rule[1:], limit=limit)
    gaps = [s.evaluation.outcomes["minimal_escalation"].params["mip_gap"] for s in bounded]
    # TRANSLATORS: {days} "3 days"; {limit} seconds; {dates} the days; {gap} a percentage.
    return t.gettext(
        "On {days} the solver of {rule} stopped at its time limit of {limit} seconds "
        "({dates}): those days show the best regime found, not a proven optimum (status "
        "‘bounded’); its cost lies at most {gap} above the proven bound. Every other day is "
        "solved exactly.").format(
        days=_n("day", len(bounded), lang), rule=rule, limit=limit,
        dates=t.join([t.date(s.start) for s in bounded if s.start is not None]),
        gap=f"{t.decimal(100 * max(gaps), 1)}%")


def gantt_title(timeline: Timeline, lang: str = "en") -> str:
    """The Gantt chart's title: how many are held at most, and when.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import retention_timeline
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["per_dataset"]))
    >>> gantt_title(t, "en")
    'At most 43 of 45 datasets were held at once, from 12 May 2025'
    """
    t = translator(lang)
    most = max(timeline.steps, key=lambda s: len(s.held))
    return t.gettext("At most {held} of {total} were held at once, from {date}").format(
        held=t.number(len(most.held)), total=_n("dataset", len(timeline.retention), lang),
        date=t.date(most.start) if most.start else "-")


def gantt_alt(timeline: Timeline, lang: str = "en") -> str:
    """Alt text of the Gantt chart: the datasets' terms in words."""
    return " ".join(retention_sentences(timeline, lang))


def rules_title(timeline: Timeline, lang: str = "en") -> str:
    """The title of the rules-over-time figure: per-dataset's worst day.

    Examples
    --------
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import retention_timeline
    >>> t = retention_timeline(load_analysis("data/synthetic/baseline.yaml",
    ...                                      policies=["per_dataset"]))
    >>> rules_title(t, "nl")
    'Onvoldoende bescherming volgt wat wordt bewaard: 49 combinaties op 12 mei 2025'
    """
    t = translator(lang)
    peak = _peak(timeline)
    return t.gettext("Under-protection follows what is held: {sets} on {date}").format(
        sets=_n("combination", len(peak.raised), lang),
        date=t.date(peak.start) if peak.start else "-")


def rules_alt(timeline: Timeline, lang: str = "en") -> str:
    """Alt text of the rules-over-time figure: each rule's worst day."""
    t = translator(lang)
    parts = []
    for name in timeline.policies:
        worst_u = max(timeline.steps, key=lambda s: s.evaluation.outcomes[name].under_protected)
        worst_e = max(timeline.steps, key=lambda s: s.evaluation.outcomes[name].escalated)
        parts.append(t.gettext(
            "{rule}: at most {under} under-protected ({date_u}) and {escalated} escalated "
            "({date_e}).").format(
            rule=rule_name(name, lang),
            under=_n("combination", worst_u.evaluation.outcomes[name].under_protected, lang),
            date_u=t.date(worst_u.start) if worst_u.start else "-",
            escalated=_n("dataset", worst_e.evaluation.outcomes[name].escalated, lang),
            date_e=t.date(worst_e.start) if worst_e.start else "-"))
    return " ".join(parts)


def peak_table(timeline: Timeline, lang: str = "en", download: str | None = None) -> Table:
    """Every rule's outcome on the day most combinations were under-protected per dataset."""
    t = translator(lang)
    peak = _peak(timeline)
    frame = peak.evaluation.to_frame()[list(HEADLINE)]
    caption = t.gettext("Every decision rule on {date}, with {held} held.").format(
        date=t.date(peak.start) if peak.start else "-",
        held=_n("dataset", len(peak.held), lang))
    return table(frame, lang, index="rule", caption=caption, download=download)


def retention_table(timeline: Timeline, lang: str = "en", download: str | None = None,
                    top: int | None = None) -> Table:
    """One row per dataset: acquired, relevance deadline, extensions, held until, why, level."""
    frame = timeline.retention_frame()
    frame["extensions"] = frame["extensions"].map(len)
    frame["end_reason"] = frame["end_reason"].map(lambda r: end_reason_name(r, lang))
    frame["level"] = [timeline.analysis.rulebook.level_names()[lv] for lv in frame["level"]]
    for col in ("acquired", "relevance_deadline", "ends"):
        frame[col] = [d.date() if not pd.isna(d) else None for d in frame[col]]
    return table(frame, lang, ["acquired", "relevance_deadline", "extensions", "ends",
                               "end_reason", "level"], index="dataset", extra=TIMELINE_COLUMNS,
                 download=download, top=top)


def whatif_title(w: WhatIf, lang: str = "en") -> str:
    """The what-if figure's title: which destruction, and what it removes that day."""
    t = translator(lang)
    c = w.changes[0]
    removed = len(w.affected())
    return t.gettext("Destroying {dataset} on {date} removes {sets}").format(
        dataset=c.dataset, date=t.date(c.ends), sets=_n("exposure set", removed, lang))


def whatif_sentences(w: WhatIf, lang: str = "en") -> list[str]:
    """What destroying (or refusing an extension) does: sets removed, each rule that day,
    and the rules under which a destruction leaves more under-protected.

    Examples
    --------
    >>> from datetime import date
    >>> from bulkimpact.analysis import load_analysis
    >>> from bulkimpact.timeline import parse_change, retention_timeline, what_if
    >>> a = load_analysis("data/synthetic/baseline.yaml",
    ...                   policies=["per_dataset", "minimal_escalation"])
    >>> w = what_if(retention_timeline(a), [parse_change("leak-recipe-site@2025-05-12",
    ...                                                  a.inventory)])
    >>> print(whatif_sentences(w, "en")[0])
    Destroying leak-recipe-site on 12 May 2025 removes 31 combinations, 17 of them heavier
    together than any of their members alone.
    """
    t = translator(lang)
    out = []
    first = w.first_day
    if first is None:
        return [t.gettext("The change alters nothing: the dataset had already ended.")]
    affected = w.affected()
    for c in w.changes:
        mine = affected[affected["change"] == c.label] if len(affected) else affected
        raised = int(mine["raised"].sum()) if len(mine) else 0
        verb = (t.gettext("Destroying {dataset} on {date}") if c.kind == "destroy"
                else t.gettext("Refusing the extension of {dataset} to {until}, so that it "
                               "ends on {date},"))
        # TRANSLATORS: {change} "Destroying x on 12 May 2025"; {sets} "36 exposure sets";
        # {raised} a number.
        out.append(t.gettext("{change} removes {sets}, {raised} of them heavier together than "
                             "any of their members alone.").format(
            change=verb.format(dataset=c.dataset, date=t.date(c.ends), until=t.date(c.day)),
            sets=_n("exposure set", len(mine), lang), raised=t.number(raised)))
    b, s = w.baseline.at(first), w.scenario.at(first)
    for name in w.baseline.policies:
        ob, os_ = b.evaluation.outcomes[name], s.evaluation.outcomes[name]
        if (ob.under_protected, ob.escalated) == (os_.under_protected, os_.escalated):
            continue  # the table shows it; a sentence only where the rule's figures move
        # TRANSLATORS: {rule} a decision rule's name; {after}/{before} "28 combinations" and
        # a number; {esc_after}/{esc_before} "4 datasets" and a number.
        out.append(t.gettext(
            "That day, the rule ‘{rule}’ leaves {after} under-protected instead of {before}, "
            "and escalates {esc_after} instead of {esc_before}.").format(
            rule=rule_name(name, lang), after=_n("combination", os_.under_protected, lang),
            before=t.number(ob.under_protected),
            esc_after=_n("dataset", os_.escalated, lang), esc_before=t.number(ob.escalated)))
    out += whatif_rise_sentences(w, lang)
    return out


def whatif_rise_sentences(w: WhatIf, lang: str = "en") -> list[str]:
    """Where a rule looks worse after the change, and why (:func:`bulkimpact.timeline.explain.
    rises`): its neighbourhood lost the dataset that lifted it, new combinations are judged,
    or its escalations were chosen anew."""
    from ..timeline.explain import rises

    t = translator(lang)
    gone = t.join([c.dataset for c in w.changes])
    levels = w.baseline.analysis.rulebook.level_names()
    out = []
    for r in rises(w):
        # TRANSLATORS: {rule} a decision rule; {date} a day; {after}/{before} "2 combinations"
        # and a number; {cost_after}/{cost_before} cost units.
        head = t.gettext(
            "Under the rule ‘{rule}’, from {date} {after} are under-protected instead of "
            "{before}, and escalation costs {cost_after} instead of {cost_before} cost "
            "units").format(
            rule=rule_name(r.policy, lang), date=t.date(r.day),
            after=_n("combination", r.under_protected[1], lang),
            before=t.number(r.under_protected[0]), cost_after=t.number(r.escalation_cost[1]),
            cost_before=t.number(r.escalation_cost[0]))
        if r.cause == "neighbourhood":
            lowered = t.join([t.gettext("{dataset} from {before} to {after}").format(
                dataset=n, before=level_name(levels[b], lang), after=level_name(levels[a], lang))
                for n, b, a in r.lowered])
            why = t.gettext("without {gone}, the datasets it lifted through their "
                            "neighbourhood fall back: {lowered}.").format(
                gone=gone, lowered=lowered)
        elif r.cause == "new_sets":
            why = t.gettext("without {gone}, {sets} are judged that were not judged "
                            "before.").format(gone=gone,
                                              sets=_n("combination", len(r.new_sets), lang))
        else:
            why = t.gettext("the escalations are chosen anew for the combinations that remain "
                            "without {gone}.").format(gone=gone)
        out.append(f"{head}: {why}")
    return out


def no_whatif_sentence(lang: str = "en") -> str:
    """Why a report shows no what-if: no combination held is ever heavier than its members.

    Destroying a dataset earlier is compared only when some dataset links others into a
    heavier combination; without one there is no linker to destroy.

    Examples
    --------
    >>> print(no_whatif_sentence("en"))
    No what-if is shown: on no day did the datasets held include a combination heavier than
    its members alone, so there is no linking dataset to destroy earlier.
    """
    return translator(lang).gettext(
        "No what-if is shown: on no day did the datasets held include a combination heavier "
        "than its members alone, so there is no linking dataset to destroy earlier.")


def whatif_table(w: WhatIf, lang: str = "en", download: str | None = None) -> Table:
    """Every rule on the day of the change: as held against the what-if."""
    first = w.first_day
    rows = {}
    if first is not None:
        b, s = w.baseline.at(first), w.scenario.at(first)
        for name in w.baseline.policies:
            ob, os_ = b.evaluation.outcomes[name], s.evaluation.outcomes[name]
            rows[name] = {"under_protected": ob.under_protected,
                          "under_protected_what_if": os_.under_protected,
                          "escalated": ob.escalated, "escalated_what_if": os_.escalated,
                          "escalation_cost": ob.escalation_cost,
                          "escalation_cost_what_if": os_.escalation_cost}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return table(frame, lang, index="rule", extra=TIMELINE_COLUMNS, download=download)
