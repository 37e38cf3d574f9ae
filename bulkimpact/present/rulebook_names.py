"""The rulebook and the taxonomy named for readers: the bundled rulebook's texts, the
categories of data, the criteria and levels, as sentences and tables.
"""

from __future__ import annotations

import pandas as pd

from ..rulebook import Rulebook
from .i18n import (
    NP_,
    translator,
)

__all__ = ["RULEBOOK_TEXTS", "CATEGORY_NAMES", "rulebook_text", "category_name", "criterion_name",
           "level_meanings_frame", "rulebook_frame"]


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
