# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # De koppelingsgraaf: welke bulkdatasets te combineren zijn, waarlangs, en hoe sterk
#
# ## Vraag
# Welke bulkdatasets zijn aan elkaar te koppelen, via welke gedeelde sleutels of
# quasi-identificatoren, en over hoeveel personen zijn naar verwachting gegevens uit beide te
# koppelen?

# %% [markdown] tags=["en"]
# # The linkage graph: which datasets can be combined, through what, and how strongly
#
# ## Question
# Which bulk datasets can be linked to which, through which shared keys or
# quasi-identifiers, and for how many persons can records of both be expected to be joined?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
top = 25  # links shown on the page (all of them are in links.csv)
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)

# %%
import networkx as nx
from IPython.display import HTML

from bulkimpact.analysis import load_analysis
from bulkimpact.present import bilingual as bl
from bulkimpact.present import captions, downloads, figures, linkage_findings, linkage_plots, tables

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness, seed)
G = analysis.graph
giant = max((len(c) for c in nx.connected_components(G)), default=0)
links = linkage_findings.links_frame(analysis)
links_csv = downloads.csv(links, out_dir, "links",
                          dutch=linkage_findings.links_frame(analysis, "nl"))

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
bl.finding(lambda lang: linkage_findings.linkage_finding(G, lang))

# %% [markdown] tags=["nl"]
# ## Werkwijze
# Twee bulkdatasets zijn te koppelen als ze een sleutel delen (e-mailadres, telefoonnummer,
# gebruikersnaam en dergelijke) of quasi-identificatoren (zoals geboortedatum en postcode)
# waarop genoeg personen uniek zijn. Hoeveel personen in beide staan, volgt uit hun omvang en
# de populatie waaruit ze komen, tenzij de analist een bekende overlap opgeeft; hoeveel
# daarvan werkelijk te koppelen zijn, hangt af van de kwaliteit van de sleutel. De sterkte
# van een koppeling is het verwachte aantal gekoppelde personen gedeeld door de omvang van
# de kleinste bulkdataset. Elke bulkdataset krijgt de kleur van zijn niveau op zichzelf in
# de lezing van dit rapport.
#
# ### De graaf

# %% [markdown] tags=["en"]
# ## Method
# Two bulk datasets can be linked when they share a key (e-mail address, phone number,
# username and the like) or quasi-identifiers (such as date of birth and postcode) on which
# enough persons are unique. How many persons are in both follows from their sizes and the
# population they are drawn from, unless the analyst states a known overlap; how many of
# them can actually be joined depends on the quality of the key. A link's strength is the
# expected number of persons joined divided by the size of the smaller dataset. Each dataset
# has the colour of its level on its own under this report's reading.
#
# ### The graph

# %%
names = analysis.rulebook.level_names()
bl.each(lambda lang: [
    HTML(figures.figure_html(
        linkage_plots.linkage_graph(
            G, names, linkage_findings.linkage_title(giant, G.number_of_nodes(), lang),
            seed=seed, lang=lang),
        alt=linkage_findings.linkage_alt(G, lang), caption=captions.figure_caption("graph", lang))),
    "\n".join(f"- {line}" for line in linkage_findings.components_text(G, lang))])

# %% [markdown] tags=["nl"]
# ### Waarlangs de koppelingen lopen

# %% [markdown] tags=["en"]
# ### What carries the links

# %%
bl.each(lambda lang: HTML(figures.figure_html(
    linkage_plots.links_by_channel(G, linkage_findings.channel_title(G, lang), lang=lang),
    alt=linkage_findings.channel_alt(G, lang), caption=captions.figure_caption("channels", lang))))

# %% [markdown] tags=["nl"]
# ### De koppelingen met de meeste gekoppelde personen
# Verwachte gedeelde en gekoppelde personen zijn schattingen (onafhankelijke trekkingen uit
# de populatie, kwaliteit per sleutel), tenzij de analist een bekende overlap opgaf. De
# volledige lijst, met de aannames per koppeling, staat in het CSV-bestand.

# %% [markdown] tags=["en"]
# ### The links joining the most persons
# Expected shared and linked persons are estimates (independent draws from the population,
# match quality per key) unless the analyst stated a known overlap. The whole list, with each
# link's assumptions, is in the CSV file.

# %%
overrides = int((links["overlap_source"] == "override").sum())
bl.each(lambda lang: [
    linkage_findings.links_text(len(links), overrides, lang),
    tables.table(linkage_findings.links_frame(analysis, lang), lang,
                 ["a", "b", "linked_through", "expected_overlap", "expected_links", "strength",
                  "overlap_source"], top=top, download=links_csv)])

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - Een koppeling is een *mogelijke* combinatie: een gedeelde sleutel betekent dat records te
#   koppelen zijn, niet dat iemand dat heeft gedaan.
# - De schattingen gaan uit van onafhankelijke trekkingen uit de populatie. De overlap is
#   `n_a × n_b / N`, tenzij de analist een overlap opgeeft of de populaties elkaar uitsluiten;
#   het aandeel unieke personen volgt uit de verdeling van de celgrootten in de populatie
#   (postcode, leeftijd) waar die bekend is, en anders uit `(1 − 1/C)^(n−1)`; het aantal
#   koppelingen is de overlap maal de kwaliteit van de sleutel. Rapport 06 toetst deze
#   schattingen aan een synthetische populatie op persoonsniveau.
# - De inventaris is **fictief**; de bulkdatasets en hun onderlinge overlap zijn verzonnen.

# %% [markdown] tags=["en"]
# ## Caveats
# - A link is a *possible* combination: a key shared between two datasets means records can
#   be joined, not that anyone did.
# - The estimates assume independent draws from the population. The overlap is
#   `n_a × n_b / N` unless the analyst states one or the populations are disjoint; the share
#   of unique persons follows from the population's cell sizes (postcode, age) where they are
#   known, and from `(1 − 1/C)^(n−1)` otherwise; links are the overlap times the key's match
#   quality. Report 06 checks these estimates against a record-level synthetic population.
# - The inventory is **fictional**; the datasets and their overlaps are made up.

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang))
