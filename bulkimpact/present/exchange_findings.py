"""Sentences and tables on structural exchange (notebook 07), in Dutch and English.

Every sentence is computed from a :class:`bulkimpact.exchange.ExchangeAssessment`
and worded by the gettext catalogue (:mod:`bulkimpact.present.i18n`); the
Dutch speaks of *verstrekkingen*, judged *per verstrekking* (art. 62 Wiv 2017,
the ministers) or *structureel, in onderlinge samenhang* (the CTIVD), in the
words of the letter of 17 February 2025. Person figures are expected numbers of
distinct persons (:mod:`bulkimpact.exchange`), and every sentence says so.

Examples
--------
>>> from bulkimpact.exchange import assess_exchange, load_exchange_log
>>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
>>> rb = load_rulebook(default_rulebook_path())
>>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"), rb,
...                     window=90)
>>> print(exchange_finding(a, "en"))
Over a rolling window of 90 days, for 2 of 5 partners data received and provided weigh heavier
together than each exchange on its own: first on 26 February 2024.
>>> print(exchange_finding(a, "nl"))
Over een voortschrijdend venster van 90 dagen wegen bij 2 van de 5 partners de ontvangen en
verstrekte gegevens in onderlinge samenhang zwaarder dan elke uitwisseling afzonderlijk: voor het
eerst op 26 februari 2024.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from .i18n import NN_, NP_, document_title, level_name, persons_figure, translator
from .tables import Column, Table, table

if TYPE_CHECKING:
    from ..exchange import ApproachOutcome, ExchangeAssessment

__all__ = ["EXCHANGE_COLUMNS", "inputs_sentence", "log_source", "window_phrase", "window_label",
           "approach_name", "views_sentence", "level_finding_sentences",
           "shared_persons_phrase",
           "exchange_finding", "partner_sentences", "comparison_sentences",
           "sensitivity_sentence", "partners_table", "comparison_table", "sensitivity_table",
           "timeline_caption", "timeline_title"]

#: Counted nouns of this module: English singular → the catalogue's plural message.
_NOUNS = {
    "partner": NN_("{n} partner", "{n} partners"),
    "provision": NN_("{n} provision", "{n} provisions"),
    "exchange": NN_("{n} exchange", "{n} exchanges"),
    "expected shared person": NN_("{n} expected shared person", "{n} expected shared persons"),
    "expected distinct person": NN_("{n} expected distinct person",
                                    "{n} expected distinct persons"),
}

#: The columns of notebook 07's tables (ids as in the JSON record), for :func:`tables.table`.
EXCHANGE_COLUMNS: dict[str, Column] = {
    "partner": Column(NP_("column", "partner"), "text"),
    "approach": Column(NP_("column", "approach"), "text"),
    "window": Column(NP_("column", "window"), "text"),
    "provisions": Column(NP_("column", "exchanges with the partner")),
    "provisions_received": Column(NP_("column", "of which received from the partner")),
    "partners": Column(NP_("column", "partners")),
    "own_level_max": Column(NP_("column", "heaviest exchange on its own"), "level"),
    "cumulative_level_max": Column(NP_("column", "highest cumulative level"), "level"),
    "crossing_date": Column(NP_("column", "crossing date"), "date"),
    "provisions_raised": Column(NP_("column", "exchanges heavier together than alone")),
    "expected_distinct_persons": Column(NP_("column", "expected distinct persons"), "persons"),
    "heavier_from_per_provision": Column(NP_("column", "heavier safeguard from, per provision"),
                                         "date"),
    "heavier_from_structural": Column(NP_("column", "heavier safeguard from, structural"),
                                      "date"),
    "from": Column(NP_("column", "heavier safeguard from"), "date"),
    "partners_crossing": Column(NP_("column", "partners crossing")),
    "first_crossing": Column(NP_("column", "first crossing"), "date"),
    "provisions_heavier_per_provision": Column(NP_("column", "provisions under a heavier "
                                                             "safeguard, per provision")),
    "provisions_heavier_structural": Column(NP_("column", "provisions under a heavier "
                                                          "safeguard, structural")),
    "expected_distinct_persons_heavier_structural": Column(
        NP_("column", "expected distinct persons under a heavier safeguard, structural"),
        "persons"),
}


def _n(noun: str, n: float, lang: str) -> str:
    t = translator(lang)
    # expected distinct persons are model figures: shown as far as the model supports
    shown = persons_figure(n, lang) if noun == "expected distinct person" else t.number(n)
    return t.ngettext(*_NOUNS[noun], n).format(n=shown)


def shared_persons_phrase(n: float, lang: str = "en") -> str:
    """Expected shared persons, counted: "850 expected shared persons".

    Examples
    --------
    >>> shared_persons_phrase(850, "nl")
    '850 naar verwachting gedeelde personen'
    """
    return _n("expected shared person", n, lang)


def window_phrase(window: int | None, lang: str = "en") -> str:
    """The window in a sentence: "a rolling window of 90 days", "the whole partnership".

    Examples
    --------
    >>> window_phrase(30, "nl"), window_phrase(None, "en")
    ('een voortschrijdend venster van 30 dagen', 'the whole partnership')
    """
    t = translator(lang)
    if window is None:
        return t.pgettext("window", "the whole partnership")
    return t.npgettext("window", "a rolling window of {days} day",
                       "a rolling window of {days} days", window).format(days=t.number(window))


def window_label(window: int | None, lang: str = "en") -> str:
    """The window as a table row label: "90 days", "whole partnership".

    Examples
    --------
    >>> window_label(365, "nl"), window_label(None, "nl")
    ('365 dagen', 'hele samenwerking')
    """
    t = translator(lang)
    if window is None:
        return t.pgettext("window label", "whole partnership")
    return t.npgettext("window label", "{days} day", "{days} days", window).format(
        days=t.number(window))


def approach_name(approach: str, window: int | None = None, lang: str = "en") -> str:
    """An approach by name: "per provision (art. 62 Wiv 2017)" or "structural, over …".

    Examples
    --------
    >>> approach_name("per_provision", lang="nl")
    'per verstrekking (artikel 62 Wiv 2017)'
    >>> approach_name("structural", 90, "en")
    'structural, over a rolling window of 90 days'
    """
    t = translator(lang)
    if approach == "per_provision":
        return t.pgettext("approach", "per provision (art. 62 Wiv 2017)")
    if approach == "structural":
        return t.pgettext("approach", "structural, over {window}").format(
            window=window_phrase(window, lang))
    raise ValueError(f"approach {approach!r} is not per_provision or structural")


def _date(d: dt.date | str | None, lang: str) -> str:
    return translator(lang).date(d) if d is not None else "–"


def _level(a: ExchangeAssessment, level: int, lang: str) -> str:
    return level_name(a.rulebook.level_names()[level], lang)


def inputs_sentence(a: ExchangeAssessment, lang: str = "en") -> str:
    """What was assessed: the log, its exchanges both ways, dates, population and link threshold.

    Examples
    --------
    >>> from bulkimpact.exchange import assess_exchange, load_exchange_log
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"), rb)
    >>> print(inputs_sentence(a, "en"))  # doctest: +ELLIPSIS
    The log *Exchange log ... (fictional)* holds 51 provisions to and 12 answers from 5 partners
    (art. 62 and art. 39 Wiv 2017), from 10 January 2024 to 15 December 2025. Persons are drawn
    from a reference population of 15,000,000 (...); two exchanges with one partner are linked
    when they are expected to share at least 1 person.
    """
    t = translator(lang)
    provided = a.log.provided()
    received = len(a.log.provisions) - len(provided)
    dates = [p.date for p in a.log.provisions]
    return t.gettext(
        "The log *{title}* holds {provisions} to and {received} answers from {partners} "
        "(art. 62 and art. 39 Wiv 2017), from {start} to {end}. Persons are drawn from a "
        "reference population of {size} ({population}); two exchanges with one partner are "
        "linked when they are expected to share at least {threshold} person.").format(
        title=document_title(a.log.title, lang), provisions=_n("provision", len(provided), lang),
        received=t.number(received), partners=_n("partner", len(a.log.partners()), lang),
        start=t.date(min(dates)), end=t.date(max(dates)),
        size=t.number(a.log.population.size), population=a.log.population.name,
        threshold=t.number(a.rulebook.linkage.min_expected_links))


def log_source(a: ExchangeAssessment, lang: str = "en") -> str:
    """The exchange log read: its path as a reader finds it and its SHA-256.

    Examples
    --------
    >>> from bulkimpact.exchange import assess_exchange, load_exchange_log
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"),
    ...                     load_rulebook(default_rulebook_path()))
    >>> print(log_source(a, "en"))  # doctest: +ELLIPSIS
    Exchange log: `data/synthetic/exchange/exchange_log.yaml` (SHA-256 ...).
    """
    import hashlib
    from pathlib import Path

    from ..resources import display_name

    path = a.log.source_path
    if path is None or not Path(path).is_file():
        return translator(lang).gettext("Exchange log: given in memory, not read from a file.")
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return translator(lang).gettext("Exchange log: `{path}` (SHA-256 {sha256}).").format(
        path=display_name(path), sha256=digest)


def exchange_finding(a: ExchangeAssessment, lang: str = "en") -> str:
    """The one-line finding: for how many partners an accumulation crosses, and from when."""
    t = translator(lang)
    v = a.verdict
    total = len(a.timelines)
    window = window_phrase(a.window, lang)
    if v.partners_crossing == 0:
        return (t.gettext("Over {window}, for no partner do the data provided weigh heavier "
                          "together than each provision on its own.") if a.provided_only else
                t.gettext("Over {window}, for no partner do the data received and provided "
                          "weigh heavier together than each exchange on its own.")
                ).format(window=window)
    if a.provided_only:
        # TRANSLATORS: {crossing} of {total} partners; plural by {total}.
        message = t.ngettext(
            "Over {window}, for {crossing} of {total} partner the data provided weigh heavier "
            "together than each provision on its own: first on {date}.",
            "Over {window}, for {crossing} of {total} partners the data provided weigh heavier "
            "together than each provision on its own: first on {date}.", total)
    else:
        # TRANSLATORS: {crossing} of {total} partners; plural by {total}.
        message = t.ngettext(
            "Over {window}, for {crossing} of {total} partner data received and provided "
            "weigh heavier together than each exchange on its own: first on {date}.",
            "Over {window}, for {crossing} of {total} partners data received and provided "
            "weigh heavier together than each exchange on its own: first on {date}.", total)
    return message.format(window=window, crossing=t.number(v.partners_crossing),
                          total=t.number(total), date=t.date(v.first_crossing))


def views_sentence(a: ExchangeAssessment, lang: str = "en") -> str:
    """Both views side by side: what counting the data received adds to the provided-only view.

    Examples
    --------
    >>> from bulkimpact.exchange import assess_exchange, load_exchange_log
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"),
    ...                     load_rulebook(default_rulebook_path()), window=90)
    >>> print(views_sentence(a, "en"))
    Counting only what the services provided, 1 of 5 partners crosses; with the data received
    from the partners as well, 2 do. Under a heavier safeguard, structurally: 8 provisions
    provided only, 10 exchanges with the data received.
    """
    t = translator(lang)
    if a.other_verdict is None:
        return ""
    both, only = ((a.other_verdict, a.verdict) if a.provided_only
                  else (a.verdict, a.other_verdict))
    total = len(a.log.partners())
    # TRANSLATORS: plural by {only}, the partners crossing when only provisions count.
    return t.ngettext(
        "Counting only what the services provided, {only} of {total} partners crosses; with "
        "the data received from the partners as well, {both} do. Under a heavier safeguard, "
        "structurally: {only_provisions} provided only, {both_exchanges} with the data "
        "received.",
        "Counting only what the services provided, {only} of {total} partners cross; with "
        "the data received from the partners as well, {both} do. Under a heavier safeguard, "
        "structurally: {only_provisions} provided only, {both_exchanges} with the data "
        "received.", only.partners_crossing).format(
        only=t.number(only.partners_crossing), both=t.number(both.partners_crossing),
        total=t.number(total),
        only_provisions=_n("provision", only.structural.provisions, lang),
        both_exchanges=_n("exchange", both.structural.provisions, lang))


def level_finding_sentences(a: ExchangeAssessment, lang: str = "en") -> list[str]:
    """One sentence per provision whose stated level is below the rulebook's for its fields.

    Examples
    --------
    >>> from bulkimpact.exchange import assess_exchange, load_exchange_log
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"),
    ...                     load_rulebook(default_rulebook_path()))
    >>> print(level_finding_sentences(a, "nl")[0])
    Verstrekking x2025-030 (Fictional Quillpost Mail, 15 december 2025) staat in het logboek op
    het niveau ‘buiten het bulkregime’, maar de velden geven volgens het regelboek het niveau
    ‘middelzwaar’; de verstrekking telt daarom als ‘middelzwaar’.
    """
    t = translator(lang)
    by_id = {p.id: p for p in a.log.provisions}
    out = []
    for f in a.findings:
        if f["kind"] != "level_below_computed":
            continue
        p = by_id[f["id"]]
        out.append(t.gettext(
            "Provision {id} ({partner}, {date}) is stated in the log at the {stated} level, but "
            "its fields give the {computed} level under the rulebook; it counts as "
            "{computed}.").format(
            id=p.id, partner=p.partner, date=t.date(p.date),
            stated=_level(a, a.log.stated_level(p, a.rulebook), lang),
            computed=_level(a, a.graph.nodes[p.id]["level"], lang)))
    return out


def partner_sentences(a: ExchangeAssessment, lang: str = "en") -> list[str]:
    """One sentence per partner: its crossing, the evidence that links it, or that it never
    crosses.

    Examples
    --------
    >>> from bulkimpact.exchange import assess_exchange, load_exchange_log
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"),
    ...                     load_rulebook(default_rulebook_path()), window=90)
    >>> print(partner_sentences(a, "en")[1])
    **Fictional Sentinel Labs**: on 26 February 2024, 2 exchanges that together concern just
    over 1,200 expected distinct persons reach the medium level, above each of them on its own
    (at most light); what links them: 850 expected shared persons.
    """
    t = translator(lang)
    out = []
    for partner, timeline in a.timelines.items():
        if timeline.crossing is not None:
            group = max(timeline.crossing_groups, key=lambda g: (g.level, len(g.members)))
            out.append(t.gettext(
                "**{partner}**: on {date}, {exchanges} that together concern {persons} reach "
                "the {level} level, above each of them on its own (at most {own}); what links "
                "them: {shared}.").format(
                partner=partner, date=t.date(timeline.crossing),
                exchanges=_n("exchange", len(group.members), lang),
                persons=_n("expected distinct person", group.persons, lang),
                level=_level(a, group.level, lang), own=_level(a, group.member_level, lang),
                shared=_n("expected shared person", group.expected_shared_persons, lang)))
        else:
            out.append(t.gettext(
                "**{partner}**: no linked group of its exchanges ever weighs heavier than each of "
                "them on its own (at most the {level} level).").format(
                partner=partner, level=_level(a, timeline.peak_level, lang)))
    return out


def _approach_sentence(a: ExchangeAssessment, o: ApproachOutcome, lang: str) -> str:
    t = translator(lang)
    light = _level(a, a.threshold, lang)
    name = approach_name(o.approach, o.window, lang)
    if o.provisions == 0:
        return t.gettext("**{approach}**: no provision comes under a heavier safeguard than "
                         "the {light} level.").format(approach=name, light=light)
    if not a.provided_only:
        return t.ngettext(
            "**{approach}**: {exchanges} with {partners}, provided or received, comes under a "
            "heavier safeguard than the {light} level, concerning {persons}, from {date}.",
            "**{approach}**: {exchanges} with {partners}, provided or received, come under a "
            "heavier safeguard than the {light} level, concerning {persons}, from {date}.",
            o.provisions).format(
            approach=name, exchanges=_n("exchange", o.provisions, lang),
            partners=_n("partner", o.partners, lang), light=light,
            persons=_n("expected distinct person", o.persons, lang), date=t.date(o.first))
    return t.ngettext(
        "**{approach}**: {provisions} to {partners} comes under a heavier safeguard than the "
        "{light} level, concerning {persons}, from {date}.",
        "**{approach}**: {provisions} to {partners} come under a heavier safeguard than the "
        "{light} level, concerning {persons}, from {date}.", o.provisions).format(
        approach=name, provisions=_n("provision", o.provisions, lang),
        partners=_n("partner", o.partners, lang), light=light,
        persons=_n("expected distinct person", o.persons, lang), date=t.date(o.first))


def comparison_sentences(a: ExchangeAssessment, lang: str = "en") -> list[str]:
    """Per approach: provisions, partners and expected distinct persons under a heavier
    safeguard, and from when (the chosen window)."""
    return [_approach_sentence(a, a.verdict.per_provision, lang),
            _approach_sentence(a, a.verdict.structural, lang)]


def sensitivity_sentence(a: ExchangeAssessment, lang: str = "en") -> str:
    """How the number of partners that cross moves with the window length."""
    t = translator(lang)
    counts = {v.window: v.partners_crossing for v in a.sensitivity}
    if len(set(counts.values())) == 1:
        n = next(iter(counts.values()))
        return t.ngettext(
            "The window does not change the verdict: {n} partner crosses with every window, "
            "from {shortest} to the whole partnership.",
            "The window does not change the verdict: {n} partners cross with every window, "
            "from {shortest} to the whole partnership.", n).format(
            n=t.number(n), shortest=window_label(min((w for w in counts if w), default=None),
                                                 lang))
    items = [t.pgettext("window item", "{n} over the whole partnership").format(n=t.number(n))
             if w is None else t.npgettext("window item", "{n} with a window of {days} day",
                                           "{n} with a window of {days} days", w
                                           ).format(n=t.number(n), days=t.number(w))
             for w, n in counts.items()]
    return t.gettext("How many partners cross depends on the window: {items}.").format(
        items=t.join(items))


def timeline_title(a: ExchangeAssessment, lang: str = "en") -> str:
    """The timeline figure's title: its finding, short.

    Examples
    --------
    >>> from bulkimpact.exchange import assess_exchange, load_exchange_log
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> a = assess_exchange(load_exchange_log("data/synthetic/exchange/exchange_log.yaml"),
    ...                     load_rulebook(default_rulebook_path()), window=365)
    >>> timeline_title(a, "en")
    'For 2 of 5 partners linked exchanges weigh heavier than each alone, first on 26 February 2024'
    """
    t = translator(lang)
    v = a.verdict
    if v.partners_crossing == 0:
        return t.gettext("For no partner do linked exchanges weigh heavier than each alone")
    return t.ngettext(
        "For {crossing} of {total} partner linked exchanges weigh heavier than each alone, "
        "first on {date}",
        "For {crossing} of {total} partners linked exchanges weigh heavier than each alone, "
        "first on {date}", len(a.timelines)).format(
        crossing=t.number(v.partners_crossing), total=t.number(len(a.timelines)),
        date=t.date(v.first_crossing))


def timeline_caption(a: ExchangeAssessment, lang: str = "en") -> str:
    """The caption of the per-partner timeline figure."""
    return translator(lang).gettext(
        "One panel per partner. Dots: each provision at its own level, on its date; squares: "
        "data received from the partner. Line: the cumulative level of the exchange over "
        "{window}. Dashed line: the crossing date, the first day on which linked exchanges "
        "weigh heavier than each of them on its own.").format(
        window=window_phrase(a.window, lang))


def _names(a: ExchangeAssessment, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    names = a.rulebook.level_names()
    for c in columns:
        frame[c] = [names[int(v)] for v in frame[c]]
    return frame


def partners_table(a: ExchangeAssessment, lang: str = "en", download: str | None = None
                   ) -> Table:
    """One row per partner: provisions, levels, crossing date, persons, heavier from when."""
    frame = _names(a, a.partners_frame(), ["own_level_max", "cumulative_level_max"])
    frame = frame.set_index("partner")
    return table(frame, lang, ["provisions", "provisions_received", "own_level_max",
                               "cumulative_level_max",
                               "crossing_date", "provisions_raised", "expected_distinct_persons",
                               "heavier_from_per_provision", "heavier_from_structural"],
                 index="partner", extra=EXCHANGE_COLUMNS, download=download)


def comparison_table(a: ExchangeAssessment, lang: str = "en", download: str | None = None
                     ) -> Table:
    """Per approach: provisions, partners, expected distinct persons, from when."""
    frame = a.comparison_frame()
    frame.index = [approach_name(r, a.window, lang) for r in frame["approach"]]
    return table(frame, lang, ["provisions", "partners", "expected_distinct_persons", "from"],
                 index="approach", extra=EXCHANGE_COLUMNS, download=download)


def sensitivity_table(a: ExchangeAssessment, lang: str = "en", download: str | None = None
                      ) -> Table:
    """The verdict per window length."""
    frame = a.sensitivity_frame()
    frame.index = [window_label(None if pd.isna(w) else int(w), lang)
                   for w in frame["window_days"]]
    return table(frame, lang, ["partners_crossing", "first_crossing", "provisions_raised",
                               "provisions_heavier_per_provision",
                               "provisions_heavier_structural",
                               "expected_distinct_persons_heavier_structural"],
                 index="window", extra=EXCHANGE_COLUMNS, download=download)
