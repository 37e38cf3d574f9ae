# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # Het openbaarheidscriterium: zijn gelekte en gekochte gegevens ‘openbaar toegankelijk’?
#
# ## Vraag
# Bij het bepalen van de privacyinbreuk van een bulkdataset weegt mee of de gegevens openbaar
# toegankelijk zijn. Volgens de nota aan de minister van 23 juni 2026 kunnen de diensten
# bulkdatasets uit een datalek en bulkdatasets die tegen betaling beschikbaar worden gesteld,
# aanmerken als openbaar toegankelijk (<cite
# data-position="diensten-datalek-en-betaald-openbaar">nota aan de minister van BZK, 23 juni
# 2026, p. 2, Kern, 11e punt</cite>); de CTIVD
# stelt dat gegevens uit een datalek doorgaans niet door de betrokkenen zelf openbaar zijn
# gemaakt en daarom als niet openbaar toegankelijk moeten worden vastgesteld
# (<cite data-position="ctivd-datalek-doorgaans">nota aan de minister van BZK, 23 juni 2026, p.
# 2, Kern, 10e punt</cite>). Welke bulkdatasets en combinaties krijgen onder die twee lezingen
# een
# ander niveau, hoeveel verschillende personen betreft dat, en wat betekent het voor elke
# beslisregel?

# %% [markdown] tags=["en"]
# # The openness criterion: are leaked and purchased data "publicly accessible"?
#
# ## Question
# The privacy intrusion of a bulk dataset is weighed partly by whether its data are publicly
# accessible. According to the memo to the minister of 23 June 2026, the services may treat
# bulk datasets from a leak and bulk datasets offered for payment as publicly accessible; the
# CTIVD holds that data from a leak, usually not made public by the persons concerned, should
# be set down as not publicly accessible. Which datasets and combinations
# change level between the two readings, how many distinct persons does that concern, and
# what does it do to each decision rule?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)
compare = ["services", "ctivd"]

# %%
import pandas as pd
from IPython.display import HTML

from bulkimpact.analysis import ParameterError, load_analysis
from bulkimpact.persons import distinct_persons
from bulkimpact.present import bilingual as bl
from bulkimpact.present import (
    captions,
    downloads,
    figures,
    inventory_findings,
    reading_findings,
    reading_plots,
    tables,
)
from bulkimpact.present.i18n import level_name
from bulkimpact.present.verdict import verdict_sentences

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness, seed)
if len(compare) != 2 or not set(compare) <= set(analysis.rulebook.openness_variants):
    raise ParameterError(f"parameter 'compare': two of "
                         f"{sorted(analysis.rulebook.openness_variants)}, got {compare!r}")
a, b = (analysis.with_openness(v) for v in compare)
levels = analysis.levels_by_openness(compare)
changed_ids = list(levels.index[levels[compare[0]] != levels[compare[1]]])
# Persons in the datasets that change: expected distinct persons (a person in two counts once).
distinct = distinct_persons(analysis.graph, changed_ids)
records = sum(analysis.inventory.dataset(d).persons for d in changed_ids)

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
# the first sentences: each compared reading's verdict, with the condition that changes it
bl.finding(lambda lang: " ".join(verdict_sentences({v: analysis.with_openness(v).verdict
                                                    for v in compare}, lang)) + " "
           + reading_findings.openness_finding(levels, compare, distinct,
                                       [a.evaluation, b.evaluation], lang=lang))

# %% [markdown] tags=["nl"]
# ## Werkwijze
# Het regelboek legt elke lezing van het openbaarheidscriterium vast als een opsomming van
# wat als openbaar toegankelijk wordt aangemerkt. Beide standpunten staan in de nota aan de
# minister van BZK van 23 juni 2026, die de ontwerp-beleidsreactie ter ondertekening voorlegt.
# De nota geeft het standpunt van de CTIVD zo weer:
#
# > "De CTIVD stelt dat rekening moet worden gehouden met de omstandigheid dat gegevens uit een
# > datalek openbaar toegankelijk kunnen zijn, maar doorgaans niet door de betrokkenen zelf
# > openbaar zijn gemaakt. De gegevens zouden daarmee als 'niet openbaar toegankelijk' moeten
# > worden vastgesteld." (<cite data-position="ctivd-datalek-doorgaans">nota aan de minister van
# > BZK, 23 juni 2026, p. 2, Kern, 10e punt</cite>)
#
# De diensten herkennen zich niet in de constatering van de CTIVD dat de invulling en weging
# van het criterium discutabel is (<cite data-position="diensten-herkennen-zich-niet">nota aan
# de minister van BZK, 23 juni 2026, p. 2, Kern, 10e punt</cite>). Dit aspect van de
# aanbeveling wordt daarom niet overgenomen (<cite
# data-position="ministers-aspect-niet-overgenomen">nota aan de minister van BZK, 23 juni 2026,
# p. 2, Kern, 11e punt</cite>): de aanbeveling over het openbaarheidscriterium wordt dus deels
# overgenomen en deels niet. De
# diensten hebben de regels rond het openbaarheidscriterium tijdens de onderzoeksperiode al
# "verduidelijkt en verscherpt", conform de aanbeveling van de CTIVD
# (<cite data-position="diensten-verduidelijkt-en-verscherpt">nota aan de minister van BZK, 23
# juni 2026, p. 2, Kern, 9e punt</cite>). Hun grond voor de eigen lezing:
#
# > "De beleidsreactie vermeldt dat de diensten - in lijn met het CTIVD rapport nr. 74 en de
# > Memorie van Toelichting bij Wetboek van Strafvordering -, bulkdatasets met daarin gegevens
# > afkomstig uit een datalek en bulkdatasets die tegen betaling beschikbaar worden gesteld,
# > kunnen aanmerken als 'openbaar toegankelijk'." (<cite
# > data-position="diensten-datalek-en-betaald-openbaar">nota aan de minister van BZK, 23 juni
# > 2026, p. 2, Kern, 11e punt</cite>)
#
# Over tegen betaling verkregen gegevens geven de bronnen geen standpunt van de CTIVD. Dat
# zulke gegevens in de lezing van de CTIVD openbaar toegankelijk blijven, is een aanname van
# dit hulpmiddel; de lezing ‘uitgebreid tot gekochte gegevens’ toont de andere mogelijkheid.
# Onder elke lezing bepaalt bulkimpact het niveau van elke bulkdataset
# op zichzelf, welke combinaties in samenhang zwaarder wegen dan hun delen, en de uitkomst van
# elke beslisregel. Personen tellen als het verwachte aantal verschillende personen: wie in
# twee bulkdatasets voorkomt, telt één keer. De som van de omvang van bulkdatasets heet hier
# records.
#
# ### De lezingen zoals het regelboek ze vastlegt

# %% [markdown] tags=["en"]
# ## Method
# The rulebook encodes each reading of the openness criterion as a list of what counts as
# publicly accessible. Both positions are set out in the note to the Minister of the Interior
# of 23 June 2026 (in Dutch). On the services' side, it says that the services may count bulk
# datasets holding data from a data leak, and bulk datasets made available for payment, as
# "openbaar toegankelijk" (publicly accessible). On the CTIVD's side, that data from a leak
# may be publicly accessible but usually ("doorgaans") were not made public by the persons
# concerned themselves, and should therefore be classed as "niet openbaar toegankelijk" (not
# publicly accessible). The services ground their reading in CTIVD report no. 74 and the
# explanatory memorandum to the Code of Criminal Procedure; they already clarified and
# tightened the rules on the criterion during the investigation, and this aspect of the
# recommendation is not adopted, so that recommendation is adopted only in part. (Our
# rendering; the Dutch text is quoted on the Dutch page.)
#
# The sources give no position of the CTIVD on purchased data. That they stay publicly
# accessible under the CTIVD's reading is this tool's assumption; the reading "purchased data
# included" shows the alternative.
# Under each reading bulkimpact sets the level of every dataset on its own, finds the
# combinations heavier together than their parts, and measures every decision rule. Persons
# are counted as the expected number of distinct persons: someone in two datasets counts
# once. The sum of dataset sizes is called records here.
#
# ### The readings, as the rulebook encodes them

# %%
bl.each(lambda lang: tables.table(
    reading_findings.readings_frame(analysis.rulebook, compare, lang=lang), lang,
    ["counts_as_public", "never_public", "reading_source"], index="reading",
    caption=captions.caption("readings", lang)))

# %% [markdown] tags=["nl"]
# ### Bulkdatasets die van niveau veranderen

# %% [markdown] tags=["en"]
# ### Datasets that change level

# %%
level_names = [lv.name for lv in analysis.rulebook.levels]


def changed_frame(lang):
    """The datasets that change level, their source, size and level under each reading."""
    frame = pd.DataFrame(
        {"source": [inventory_findings.source_name(analysis.inventory.dataset(d).source, lang)
                    for d in changed_ids],
         "persons": [analysis.inventory.dataset(d).persons for d in changed_ids]},
        index=pd.Index(changed_ids, name="dataset"))
    for v in compare:
        frame[v] = [f"{levels.loc[d, v]} {level_name(level_names[levels.loc[d, v]], lang)}"
                    for d in changed_ids]
    return frame


def level_columns(lang):
    return {v: tables.Column(tables.heading("level", lang) + " · "
                             + tables.cell(v, "reading", lang), "text") for v in compare}


changed_download = downloads.csv(
    levels.loc[changed_ids].assign(
        source=[analysis.inventory.dataset(d).source for d in changed_ids],
        persons=[analysis.inventory.dataset(d).persons for d in changed_ids]
    ).rename_axis("dataset"), out_dir, "datasets_changing_level")
bl.each(lambda lang: [
    reading_findings.openness_changes(levels, compare, distinct, records, lang=lang),
    tables.table(changed_frame(lang), lang, index="dataset", extra=level_columns(lang),
                 caption=captions.caption("changed_datasets", lang),
                 download=changed_download)])

# %%
counts = analysis.level_counts(levels)
bl.each(lambda lang: HTML(figures.figure_html(
    reading_plots.levels_by_variant(
        counts, reading_findings.levels_title(len(changed_ids), compare, lang), lang=lang),
    alt=reading_plots.levels_alt(counts, lang=lang),
    caption=captions.caption("levels_by_reading", lang))))

# %% [markdown] tags=["nl"]
# ### Combinaties en beslisregels onder elke lezing
# Een combinatie is een groep bulkdatasets die gekoppeld kunnen worden of in één onderzoek
# samen worden gebruikt. Per lezing: hoeveel combinaties onvoldoende beschermd blijven, met
# hoeveel verschillende personen, en hoeveel bulkdatasets elke regel in een zwaarder regime
# brengt.

# %% [markdown] tags=["en"]
# ### Combinations and decision rules under each reading
# A combination is a group of datasets that can be linked or are used together in one
# investigation. Per reading: how many combinations stay under-protected, with how many
# distinct persons, and how many datasets each rule escalates.

# %%
def set_levels(x):
    return {s.members: s.level for s in x.sets}


sa, sb = set_levels(a), set_levels(b)
moved = [m for m in sa.keys() & sb.keys() if sa[m] != sb[m]]
metrics = ["under_protected", "under_protected_persons", "escalated", "escalated_slight",
           "total_burden"]
side = pd.concat({v: x.evaluation.to_frame()[metrics] for v, x in zip(compare, (a, b),
                                                                       strict=True)}, axis=1)
comparison_download = downloads.csv(
    pd.concat({v: x.evaluation.to_frame()[metrics] for v, x in zip(compare, (a, b),
                                                                    strict=True)},
              names=["reading", "rule"]), out_dir, "rules_by_reading")
bl.each(lambda lang: [
    reading_findings.sets_moved(len(moved), len(sa.keys() | sb.keys()), lang=lang),
    tables.policy_table(side, metrics, lang=lang, download=comparison_download,
                        caption=captions.caption("rules_by_reading", lang))])

# %% [markdown] tags=["nl"]
# ## Wat dit betekent
# Of gelekte en gekochte gegevens als openbaar toegankelijk worden aangemerkt, bepaalt het
# niveau van
# elke bulkdataset die alleen via een datalek of een verkoop openbaar is. De lezing verschuift
# daarmee beide kanten van het geschil: het niveau van bulkdatasets op zichzelf, en welke
# combinaties daarboven uitkomen.

# %% [markdown] tags=["en"]
# ## What it means
# Whether leaked and purchased data count as public decides the level of every dataset whose
# only claim to openness is a leak or a sale. The reading moves both sides of the dispute: the
# levels datasets have on their own, and which combinations rise above them.

# %%
bl.each(lambda lang: "\n".join(
    f"- {line}" for line in reading_findings.readings_compared(
        dict(zip(compare, (a.evaluation, b.evaluation), strict=True)), lang=lang)))

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - Het regelboek is een illustratieve aanname: de criteria van de Tijdelijke regeling zijn
#   niet volledig openbaar. De lezingen ‘diensten’ en ‘CTIVD’ volgen de nota van 23 juni 2026
#   voor gegevens uit een datalek; wat de lezing ‘CTIVD’ met gekochte gegevens doet, is een
#   aanname van dit hulpmiddel, en de uitbreiding tot gekochte gegevens een schakelaar ervan.
# - Het regelboek kent nog twee lezingen ter vergelijking. ‘Zelf openbaar gemaakt’ is een
#   veralgemening van de grond van de CTIVD, niet haar standpunt. De lezing naar Brits voorbeeld
#   benadert de Britse toets uit 2024 voor gegevensverzamelingen met een lage of geen
#   verwachting van privacy
#   (één factor: of de betrokkenen de gegevens zelf openbaar maakten); het is een benadering,
#   niet de Britse toets, en Brits recht geldt niet voor de Nederlandse diensten.
# - Aantallen verschillende personen zijn verwachtingen: bulkdatasets gelden als onafhankelijke
#   trekkingen uit hun referentiepopulatie, tenzij de inventaris een bekende overlap opgeeft.

# %% [markdown] tags=["en"]
# ## Caveats
# - The rulebook is an illustrative assumption: the criteria of the Tijdelijke regeling are not
#   public in full. The services' and CTIVD readings follow the note of 23 June 2026; extending
#   the latter to purchased data is a switch of this tool.
# - The rulebook has two more readings for comparison. "Subjects only" generalises the CTIVD's
#   ground; it is not the CTIVD's position. The UK Part 7A-like reading approximates the UK's
#   2024 test for datasets with low or no expectation of privacy (one factor: whether the
#   persons themselves made the data public); it is an approximation, not the UK test, and UK
#   law does not govern the Dutch services.
# - Numbers of distinct persons are expectations: datasets are taken as independent draws from
#   their reference population, unless the inventory states a known overlap.

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang))
