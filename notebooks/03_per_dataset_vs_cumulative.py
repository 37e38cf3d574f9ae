# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # Per bulkdataset of in samenhang: de combinaties die zwaarder wegen dan elk van hun delen
#
# ## Vraag
# Welke te koppelen combinaties van bulkdatasets komen samen op een hoger niveau dan
# beoordeling per bulkdataset afzonderlijk aan elk van hun leden geeft, over hoeveel
# personen gaat het, en welke soorten gegevens komen er samen (het *mozaïek*)?

# %% [markdown] tags=["en"]
# # Per dataset or together: the combinations that are heavier than any of their parts
#
# ## Question
# Which linked combinations of bulk datasets reach a higher level than per-dataset
# assessment gives any of their members, how many persons do they concern, and which
# categories of data meet there (the *mosaic*)?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
top = 25  # combinations shown on the page (all of them are in raised_combinations.csv)
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)

# %%
from IPython.display import HTML

from bulkimpact.analysis import load_analysis
from bulkimpact.persons import distinct_linked_persons
from bulkimpact.present import bilingual as bl
from bulkimpact.present import (
    captions,
    combination_findings,
    combination_plots,
    downloads,
    figures,
    tables,
)
from bulkimpact.present.verdict import grounding_sentence

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness, seed)
names = analysis.rulebook.level_names()
sets = analysis.sets_frame()
raised = sets[sets["raised"]]
by_kind = raised["kind"].value_counts().to_dict()
persons = distinct_linked_persons(analysis.graph,
                                  [(s.members, s.persons) for s in analysis.sets if s.raised])
groups = combination_plots.raised_groups(sets)
mosaic = combination_findings.mosaic_frame(analysis)
mosaic_csv = downloads.csv(mosaic, out_dir, "raised_combinations")
_ = downloads.csv(sets, out_dir, "combinations")

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
record = analysis.to_json(readings=False)
# the first sentence names the reading, what is grounded, and what was not judged
bl.finding(lambda lang: grounding_sentence(openness, record["exposure_set_counts"],
                                           record["not_judged"], lang) + " "
           + combination_findings.cumulative_finding(len(raised), len(sets), by_kind, persons,
                                                     lang))

# %% [markdown] tags=["nl"]
# ## Werkwijze
# Het niveau van een combinatie is het niveau dat het regelboek geeft aan alles wat haar
# leden samen bevatten: de soorten gegevens bij elkaar, herleidbaarheid die via een
# koppeling wordt doorgegeven, de gekoppelde personen, en openbaar toegankelijk alleen als
# elk lid dat is. Het is nooit lager dan het zwaarste lid. Beoordeeld zijn elke koppeling,
# de bulkdatasets van elk onderzoek en elke keten van gekoppelde bulkdatasets die zwaarder
# is dan haar delen. Een combinatie die hoger uitkomt dan elk van haar leden, ziet
# beoordeling per bulkdataset afzonderlijk niet: dat is waar de CTIVD op doelt met
# bulkdatasets "in samenhang te bekijken".
#
# ### Welke sprongen, hoe vaak, hoe groot

# %% [markdown] tags=["en"]
# ## Method
# The level of a combination is the level the rulebook gives to everything its members hold
# together: the categories of data combined, identifiability carried across a link, the
# persons linked, and publicly accessible only if every member is. It is never below its
# heaviest member. Judged are every link, every investigation's datasets and every chain of
# linked datasets heavier than its parts. A combination that comes out higher than each of
# its members is one per-dataset assessment does not see: this is what the CTIVD means by
# looking at bulk datasets "in samenhang" (together).
#
# ### Which jumps, how often, how large

# %%
bl.each(lambda lang: HTML(figures.figure_html(
    combination_plots.raised_sets(
        sets, names, combination_findings.raised_title(groups, len(raised), names, lang),
        lang=lang),
    alt=combination_findings.raised_alt(groups, len(raised), names, lang),
    caption=captions.figure_caption("raised", lang))))

# %% [markdown] tags=["nl"]
# ### Het mozaïek: welke soorten gegevens waar samenkomen
# Per combinatie die zwaarder weegt dan haar leden: wat elk lid inbrengt, en de criteria die
# alleen op de combinatie van toepassing zijn; de combinaties met de meeste gekoppelde
# personen eerst.

# %% [markdown] tags=["en"]
# ### The mosaic: which categories meet where
# For each combination heavier than its members: what each member brings, and the criteria
# that fire only on the combination; the combinations linking the most persons first.

# %%
bl.each(lambda lang: [
    combination_findings.mosaic_rule_text(analysis, lang),
    tables.table(combination_findings.mosaic_frame(analysis, top, lang), lang,
                 ["combination", "member_categories", "member_levels", "combined_level",
                  "rules_only_together", "linked_persons"],
                 top=top, download=mosaic_csv)])

# %% [markdown] tags=["nl"]
# ## Wat dit betekent
# Elke combinatie hierboven blijft buiten beeld bij beoordeling per bulkdataset
# afzonderlijk: haar leden staan in lichtere regimes, zodat medewerkers met toegang tot elk
# lid ze kunnen samenvoegen tot iets wat het regelboek zelf hoger zou plaatsen. Rapport 04
# vergelijkt de beslisregels die dit gat dichten, en wat ze kosten.

# %% [markdown] tags=["en"]
# ## What it means
# Each combination above is one that per-dataset assessment does not see: its members sit
# in lighter regimes, so staff with access to each member can join them into something the
# rulebook itself would place higher. Report 04 compares the decision rules that close this
# gap, and what they cost.

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - "Gekoppelde personen" van één combinatie is het grootste verwachte aantal personen dat
#   via één koppeling binnen de combinatie wordt samengevoegd: een ondergrens voor de
#   combinatie. Het totaal in de bevinding telt elke persoon één keer, hoeveel van deze
#   combinaties hem ook bevatten.
# - Beoordeeld zijn elke koppeling, elk onderzoek en ketens tot de ingestelde omvang; grotere
#   combinaties (buurten van k stappen, hele componenten) zijn toe te voegen met de
#   parameter `include` van `bulkimpact assess`.
# - De inventaris is **fictief** en het regelboek een **illustratieve aanname**.

# %% [markdown] tags=["en"]
# ## Caveats
# - The "linked persons" of one combination is the largest expected number of persons
#   joined across any one link in it: a lower bound for the combination. The total in the
#   finding counts each person once, however many of these combinations hold them.
# - Judged are every link, every investigation and chains up to the set size; larger
#   combinations (k-hop neighbourhoods, whole components) can be added with the `include`
#   parameter of `bulkimpact assess`.
# - The inventory is **fictional** and the rulebook an **illustrative assumption**.

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang))
