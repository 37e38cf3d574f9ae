# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # De inventaris: wat er is, over wie, en hoe zwaar elke bulkdataset op zichzelf weegt
#
# ## Vraag
# Wat bevat elke bulkdataset, is hij openbaar toegankelijk in elke lezing van het
# openbaarheidscriterium, en in welk regime plaatst het regelboek hem naar zijn eigen aard,
# zoals nu gebeurt?

# %% [markdown] tags=["en"]
# # The inventory: what is held, about whom, and how heavy each dataset is on its own
#
# ## Question
# What does each bulk dataset hold, is it publicly accessible under each reading of the
# openness criterion, and which regime does the rulebook give it on its own nature, as
# happens today?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)

# %%
from IPython.display import HTML

from bulkimpact.analysis import load_analysis
from bulkimpact.present import bilingual as bl
from bulkimpact.present import (
    captions,
    downloads,
    figures,
    inventory_findings,
    reading_plots,
    rulebook_names,
    tables,
)

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness, seed)
rb = analysis.rulebook
levels = analysis.levels_by_openness()
datasets = analysis.datasets_frame()

# The whole inventory, with ids (categories, criteria) as the JSON names them.
table_of_datasets = (datasets.drop(columns=["level"])
                     .rename(columns={"rules that fired": "rules"})
                     .assign(level=levels[openness],
                             **{f"level_{r}": levels[r] for r in levels.columns}))
_ = downloads.csv(table_of_datasets, out_dir, "datasets")
rules = rulebook_names.rulebook_frame(rb).reset_index().assign(rule=[r.id for r in rb.rules])
_ = downloads.csv(rules.set_index("rule"), out_dir, "rulebook")

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
bl.finding(lambda lang: inventory_findings.inventory_finding(levels[openness], rb, openness, lang))

# %% [markdown] tags=["nl"]
# ## Werkwijze
# Het regelboek kent elke bulkdataset een niveau toe op grond van wat hij zelf bevat: de
# soorten gegevens, of personen herleidbaar zijn, hoeveel personen erin staan en of de
# gegevens openbaar toegankelijk zijn. Het niveau is het hoogste dat een van de criteria
# voorschrijft. Zo werkt de huidige praktijk: volgens de nota aan de minister van BZK van
# 23 juni 2026 blijft het uitgangspunt, conform de Tijdelijke regeling, dat de voorwaarden
# worden bepaald "door de aard van die bulkdataset zelf"
# (<cite data-position="ministers-aard-van-de-bulkdataset">nota aan de minister van BZK, 23 juni
# 2026, p. 2, Kern, 5e punt</cite>). Of gegevens openbaar toegankelijk zijn, hangt
# af van de lezing van het openbaarheidscriterium. Volgens de nota kunnen de diensten
# bulkdatasets uit een datalek en bulkdatasets die tegen betaling beschikbaar worden gesteld,
# aanmerken als openbaar toegankelijk (<cite
# data-position="diensten-datalek-en-betaald-openbaar">nota aan de minister van BZK, 23 juni
# 2026, p. 2, Kern, 11e punt</cite>); de
# CTIVD stelt dat gegevens uit een datalek doorgaans niet door de betrokkenen zelf openbaar
# zijn gemaakt en daarom als niet openbaar toegankelijk moeten worden vastgesteld
# (<cite data-position="ctivd-datalek-doorgaans">nota aan de minister van BZK, 23 juni 2026, p.
# 2, Kern, 10e punt</cite>). De bevinding volgt de lezing van dit rapport; de figuur
# toont elke lezing.
#
# ### Wat de niveaus betekenen

# %% [markdown] tags=["en"]
# ## Method
# The rulebook gives each bulk dataset a level from what it holds itself: the categories of
# data, whether persons are identifiable, how many persons it holds and whether its data are
# publicly accessible. The level is the highest any criterion demands. This is today's
# practice: according to the note to the minister of BZK of 23 June 2026, the starting point
# remains, in line with the Tijdelijke regeling, that the conditions are set "door de aard
# van die bulkdataset zelf" (by the nature of the dataset itself). Whether data are publicly
# accessible depends on the reading of the openness criterion. According to the memo, the
# services may treat bulk datasets from a leak and bulk datasets offered for payment as
# publicly accessible; the CTIVD holds that data from a leak were usually not made public by
# the persons concerned and should be set down as not publicly accessible. The finding follows
# this report's reading; the figure shows every reading.
#
# ### What the levels mean

# %%
bl.each(lambda lang: tables.table(rulebook_names.level_meanings_frame(rb, lang), lang,
                                  ["level_number", "level_meaning"], index="level"))

# %% [markdown] tags=["nl"]
# ### Niveaus in elke lezing van het openbaarheidscriterium

# %% [markdown] tags=["en"]
# ### Levels under each reading of the openness criterion

# %%
counts = analysis.level_counts(levels)
bl.each(lambda lang: [
    HTML(figures.figure_html(
        reading_plots.levels_by_variant(
            counts, inventory_findings.inventory_levels_title(levels, rb, lang), lang=lang),
        alt=reading_plots.levels_alt(counts, lang),
        caption=captions.figure_caption("levels", lang))),
    tables.table(inventory_findings.level_counts_frame(levels, rb), lang, index="level")])

# %% [markdown] tags=["nl"]
# ### De bulkdatasets
# Elke bulkdataset met de herkomst van zijn gegevens, zijn omvang, de soorten gegevens erin
# en zijn niveau op zichzelf in de lezing van dit rapport, met de criteria die dat niveau
# bepalen; de zwaarste eerst. De namen van de bulkdatasets zijn verzonnen.

# %% [markdown] tags=["en"]
# ### The datasets
# Each dataset with the source of its data, its size, the categories of data it holds and
# its level on its own under this report's reading, with the criteria that set it; heaviest
# first. The datasets' names are made up.

# %%
link = downloads.href(out_dir, "datasets.csv")
bl.each(lambda lang: tables.table(
    inventory_findings.datasets_table_frame(analysis, lang), lang,
    ["source", "persons", "public", "identifiable", "level", "categories", "criteria"],
    index="dataset", top=25, download=link))

# %% [markdown] tags=["nl"]
# ### Het regelboek dat deze niveaus toekent
# Elk criterium heeft een motivering en een bron, of is gemarkeerd als aanname. Motivering en
# bron zijn die van het regelboek; voor het meegeleverde regelboek staan ze hier in het
# Nederlands, met de bronnen letterlijk geciteerd.

# %% [markdown] tags=["en"]
# ### The rulebook that produced these levels
# Every criterion has a rationale and a source, or is marked an assumption; both as the
# rulebook words them.

# %%
bl.each(lambda lang: tables.table(rulebook_names.rulebook_frame(rb, lang), lang, index="criterion"))

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - De inventaris is **fictief** en het regelboek een **illustratieve aanname**: de criteria
#   van de Tijdelijke regeling zijn niet volledig openbaar, en dit regelboek verzint er geen.
# - De niveaus hierboven zijn de huidige praktijk: elke bulkdataset beoordeeld op wat hij
#   zelf bevat. De volgende rapporten laten zien wat er gebeurt als bulkdatasets die te
#   koppelen zijn, worden gecombineerd.
# - Wat "openbaar toegankelijk" is, hangt af van de lezing van het openbaarheidscriterium;
#   de Werkwijze hierboven geeft de standpunten van de diensten en de CTIVD met hun bron.
# - "Records" zijn het aantal personen in een bulkdataset; wie in twee bulkdatasets staat,
#   telt twee keer.

# %% [markdown] tags=["en"]
# ## Caveats
# - The inventory is **fictional** and the rulebook an **illustrative assumption**: the
#   criteria of the Tijdelijke regeling are not public in full, and this rulebook invents
#   none of them.
# - The levels above are today's practice: each dataset judged by what it holds itself. The
#   following reports show what happens when datasets that can be linked are combined.
# - What counts as "publicly accessible" depends on the reading of the openness criterion;
#   the Method above gives the positions of the services and the CTIVD with their source.
# - "Records" are the persons in a dataset; a person in two datasets counts twice.

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang))
