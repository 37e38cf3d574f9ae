"""Captions that say what a figure or table shows (no numbers), and the download link
named under a shortened table.
"""

from __future__ import annotations

from .i18n import (
    NP_,
    translator,
)

__all__ = ["REPORT_CAPTIONS", "figure_caption", "CAPTIONS", "caption", "download_note"]


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
