# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # Controle op persoonsniveau: kloppen de schattingen van koppelingen?
#
# ## Vraag
# Elk getal in de andere rapporten rust op formules: de verwachte overlap tussen twee
# bulkdatasets, het aandeel personen dat uniek is op een combinatie van gegevens, en het
# aantal koppelingen. Kloppen die formules als een synthetische populatie persoon voor persoon
# wordt opgebouwd en elke overlap en koppeling wordt *geteld*? En concreet: hoe maken twee
# onschuldige bulkdatasets samen personen met een gevoelig kenmerk herkenbaar?

# %% [markdown] tags=["en"]
# # Record-level validation: do the linkage estimates hold on persons?
#
# ## Question
# Every number in the other reports rests on closed-form estimates: the expected overlap of
# two datasets, the share of persons unique on a combination of fields, and the number of
# links. Do they hold when a synthetic population is built record by record and every overlap
# and link is *counted*? And concretely: how do two innocuous datasets together name people
# with a sensitive attribute?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)
world_persons = 300_000
validation_populations = []  # empty: every world the inventory needs
uniqueness_persons = 1_000_000
mosaic_persons = 200_000

# %%
import pandas as pd
from IPython.display import HTML

from bulkimpact.analysis import ParameterError, load_analysis
from bulkimpact.present import bilingual as bl
from bulkimpact.present import (
    downloads,
    figures,
    mosaic_findings,
    record_names,
    tables,
    validation_plots,
)
from bulkimpact.present import validation as compare
from bulkimpact.synth import (
    calibration_table,
    mosaic_example,
    population_table,
    reconcile,
    uniqueness_table,
    validate_inventory,
)
from bulkimpact.synth.mosaic import ADULT_AGE
from bulkimpact.synth.population import REFERENCE_DATE

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness, seed)
for name, value in (("world_persons", world_persons), ("uniqueness_persons", uniqueness_persons),
                    ("mosaic_persons", mosaic_persons)):
    if not isinstance(value, int) or value < 1_000:
        raise ParameterError(f"parameter {name!r}: an integer of at least 1,000, got {value!r}")
references = ([validation_populations] if isinstance(validation_populations, str)
              else list(validation_populations or []))
known = {p.id for p in analysis.inventory.populations}
for name in references:
    if name not in known:
        raise ParameterError(
            f"parameter 'validation_populations': {name!r} is not a population of "
            f"{analysis.inventory_path}; one of {sorted(known)}")

validation = validate_inventory(analysis.inventory, persons=world_persons, seed=seed,
                                reference=references or None, graph=analysis.graph)
edges = validation.to_frame()
mosaic = mosaic_example(mosaic_persons, seed)

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
bl.finding(lambda lang: compare.validation_finding(validation, mosaic, mosaic_persons,
                                                   lang=lang))

# %% [markdown] tags=["nl"]
# ## Werkwijze
# Alle personen in dit rapport zijn synthetisch: bulkimpact maakt ze zelf aan, met een vaste
# startwaarde. Er worden geen echte gegevens gebruikt.
#
# ### Hoe uniek zijn mensen op geboortedatum en postcode?
# Een synthetische, op Nederland lijkende populatie (scheve leeftijdsopbouw en ongelijke
# postcodegebieden, niet uniform), exact gemeten, naast de gepubliceerde Nederlandse cijfers
# van Koot, van 't Noordende en de Laat (2010).

# %% [markdown] tags=["en"]
# ## Method
# Every person in this report is synthetic: bulkimpact generates them itself, from a fixed
# seed. No real data are used.
#
# ### How unique are people on date of birth and postcode?
# A synthetic Dutch-like population (seeded; skewed age pyramid and postcode sizes, not
# uniform) measured exactly, next to the published Dutch figures of Koot, van 't Noordende
# and de Laat (2010).

# %%
population = population_table(uniqueness_persons, seed)
unique = uniqueness_table(population)
calibration = calibration_table(population)
bl.each(lambda lang: [
    compare.uniqueness_sentence(unique, calibration, uniqueness_persons, lang=lang),
    tables.table(unique.assign(qi=[record_names.field_names(q, lang) for q in unique["qi"]],
                               percent_unique=100 * unique["fraction_unique"],
                               synthetic_persons=unique["persons"]), lang,
                 ["qi", "synthetic_persons", "unique", "percent_unique"])])

# %% [markdown] tags=["nl"]
# ### Geteld tegenover geschat, paar voor paar
# De bulkdatasets van de inventaris worden gerealiseerd als uittreksels van een synthetische
# populatie die voor een referentiepopulatie staat, verkleind met behoud van verhoudingen
# (koppelkwaliteit als ruis op de sleutels). Bulkdatasets uit een populatie buiten die
# referentie (een gebied in het buitenland) krijgen een eigen wereld; een bulkdataset die op
# die schaal niet één synthetische persoon zou bevatten, wordt met de reden genoemd. Voor elk
# paar dat een sleutel of quasi-identificerende gegevens deelt, worden de overlap en de
# koppelingen exact geteld en naast de formules gezet, met de steekproeffout die elke
# schatting voorspelt.

# %% [markdown] tags=["en"]
# ### Counted against estimated, pair by pair
# The inventory's datasets are realised as extracts of a synthetic population standing for a
# reference population, scaled down with proportions kept (match quality as noise on the
# keys). Datasets of a population outside that reference (a region abroad) get a world of
# their own; a dataset too small to hold one synthetic person at that scale is named with the
# reason. For every pair that shares a key or quasi-identifiers, the overlap and the links are
# counted exactly and set beside the closed forms, with the sampling error each estimate
# predicts.

# %%
worlds = validation.worlds.rename(columns={"size": "population_size",
                                           "persons": "synthetic_persons",
                                           "datasets": "realised_datasets"})
missing = validation.datasets[validation.datasets["reason"] != ""]


def coverage(lang):
    out = [compare.coverage_sentence(validation, lang=lang),
           tables.table(worlds, lang, ["reference", "population_size", "synthetic_persons",
                                       "scale", "realised_datasets"])]
    if len(missing):
        out.append(tables.table(
            missing.assign(reason=[record_names.reason_text(r, lang)
                                   for r in missing.to_dict("records")]),
            lang, ["dataset", "population", "persons", "reason"]))
    return out


bl.each(coverage)

# %%
pair_columns = ["a", "b", "world", "keys", "qis", "overlap_exact", "overlap_expected",
                "links_exact", "links_expected", "links_sd", "links_expected_equal_cells",
                "flag"]
pairs_download = downloads.csv(edges, out_dir, "pairs")
# Flagged pairs first, then the pairs with the most expected links.
shown = pd.concat([validation.flagged, edges.sort_values("links_expected", ascending=False)]) \
    .drop_duplicates(subset=["a", "b", "world"])


def links(lang):
    text = compare.links_figure_text(validation, lang=lang)
    fig = validation_plots.exact_vs_estimated(edges, "links_expected", "links_exact", text["title"],
                                   lang=lang)
    return [compare.agreement_sentence(validation, lang=lang) + " "
            + compare.flag_sentence(validation, lang=lang),
            HTML(figures.figure_html(fig, alt=text["alt"], caption=text["caption"])),
            tables.table(compare.pairs_frame(shown, lang), lang, pair_columns, top=20,
                         download=pairs_download)]


bl.each(links)

# %% [markdown] tags=["nl"]
# ### Waar gelijke cellen tekortschieten
# De koppelgraaf kent van een quasi-identificerend gegeven alleen het aantal mogelijke waarden,
# en behandelt elke waarde als even waarschijnlijk. De synthetische populatie is scheef, zoals
# de echte: postcodes met één of twee bewoners liggen naast postcodes met honderden.

# %% [markdown] tags=["en"]
# ### Where equal cells fall short
# The linkage graph knows only how many values a quasi-identifier has, so it treats every
# value as equally likely. The synthetic population is skewed like the real one: postcodes of
# one or two residents sit beside postcodes of hundreds.

# %%
short = edges[edges["equal_cells_off"]]
bl.each(lambda lang: [compare.equal_cells_sentence(validation, lang=lang)] + (
    [tables.table(compare.pairs_frame(short, lang), lang,
                  ["a", "b", "world", "qis", "links_exact", "links_expected", "links_sd",
                   "links_expected_equal_cells"], top=20, download=pairs_download)]
    if len(short) else []))

# %% [markdown] tags=["nl"]
# ### De werelden naast de koppelgraaf
# De koppelgraaf houdt een paar voor een koppeling als op de volle omvang van de inventaris
# naar verwachting ten minste het minimum aan gekoppelde personen uit het regelboek wordt
# gekoppeld, via een gedeelde sleutel of via quasi-identificerende gegevens die uniek genoeg
# zijn (de drempel van het regelboek voor unieke quasi-identificerende gegevens). De werelden
# tellen elk paar dat iets deelt wat zij kunnen nabootsen.

# %% [markdown] tags=["en"]
# ### The worlds beside the linkage graph
# The graph holds a pair as a link when, at the inventory's full size, at least
# `min_expected_links` persons are expected to be linked, through a shared key or through
# quasi-identifiers unique enough (`qi_min_unique_fraction`). The worlds count every pair that
# shares something they can realise.

# %%
pairs = reconcile.compare_with_graph(validation, analysis.inventory, analysis.graph,
                                     analysis.rulebook)
counts = reconcile.reconciliation_counts(pairs)
differing = pairs[pairs["status"] != reconcile.BOTH]
worlds_vs_graph_download = downloads.csv(pairs, out_dir, "worlds_vs_graph")


def reconciliation(lang):
    named = counts.assign(pair_status=[record_names.status_name(s, lang) for s in counts["status"]])
    out = [compare.reconciliation_sentence(pairs, analysis.rulebook, lang=lang) + " "
           + compare.override_sentence(validation, lang=lang),
           tables.table(named, lang, ["pair_status", "pairs"])]
    if len(differing):
        frame = differing.assign(pair_status=[record_names.status_name(s, lang)
                                              for s in differing["status"]])
        # The particulars are worded in English by the validation; the Dutch page names the
        # status only.
        columns = ["a", "b", "pair_status"] + (["reason"] if lang == "en" else [])
        out.append(tables.table(frame, lang, columns, top=25,
                                download=worlds_vs_graph_download))
    return out


bl.each(reconciliation)

# %% [markdown] tags=["nl"]
# ### Een uitgewerkt mozaïek, alleen met synthetische personen
# Een gelekte forumdatabase (verzonnen) bevat geboortedatum, postcode, geslacht en een
# gezondheidskenmerk, maar geen naam of contactgegevens. Een gekochte klantenlijst van een
# webwinkel (verzonnen) bevat e-mailadres, telefoonnummer, geboortedatum, postcode en
# geslacht, en niets gevoeligs. Geen van beide maakt op zichzelf iemand met een
# gezondheidsprobleem herkenbaar. Gekoppeld op geboortedatum, postcode en geslacht wel: dan
# staan gegevens over gezondheid, bijzondere persoonsgegevens, naast een e-mailadres en
# telefoonnummer.

# %% [markdown] tags=["en"]
# ### A worked mosaic, with synthetic persons only
# A leaked forum database (fictional) holds date of birth, postcode, sex and a health flag,
# but no name or contact details. A purchased shop list (fictional) holds e-mail, phone, date
# of birth, postcode and sex, and nothing sensitive. Neither names a person with a health
# condition on its own. Joined on date of birth, postcode and sex, they do: health data, a
# special category of personal data, then sit beside an e-mail address and a phone number.

# %%
example = mosaic.examples(5)
bl.each(lambda lang: [
    mosaic_findings.mosaic_sentence(mosaic, lang=lang),
    tables.table(mosaic_findings.mosaic_frame(mosaic, lang), lang, ["measure", "value"]),
    mosaic_findings.examples_note(mosaic, len(example), ADULT_AGE, REFERENCE_DATE, lang=lang),
    mosaic_findings.examples_table(example, lang)])

# %% [markdown] tags=["nl"]
# ## Wat dit betekent

# %% [markdown] tags=["en"]
# ## What it means

# %%
bl.each(lambda lang: "\n".join(
    f"- {line}" for line in [*compare.verdict(validation, lang=lang),
                             mosaic_findings.mosaic_verdict(mosaic, mosaic_persons, lang=lang)]))

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - Alle personen zijn synthetisch; er worden geen echte gegevens gebruikt. Telefoonnummers en
#   postcodes in de voorbeeldrijen zijn gemaskeerd en gemarkeerd met SYNTH; alleen
#   volwassenen worden getoond.
# - De populatie is geijkt op twee gepubliceerde Nederlandse cijfers over uniciteit, niet op de
#   volledige verdeling.
# - Kleine verwachte aantallen (een paar koppelingen per paar op deze schaal) spreiden sterk
#   door toeval; de markeringen gebruiken daarvoor Poisson-staartkansen en tellen hoeveel
#   markeringen het toeval alleen zou geven.
# - Een wereld wordt verkleind, maar het aantal mogelijke waarden van een gegeven niet. Gegevens
#   als de geboortedatum maken daardoor in een klein uittreksel veel meer mensen uniek dan in
#   de volledige bulkdataset: de werelden controleren de formules op hun eigen schaal, niet de
#   getallen van de koppelgraaf.
# - Deelpopulaties (volwassenen) zijn willekeurige deelverzamelingen, niet naar leeftijd
#   geselecteerd, en elke bulkdataset wordt onafhankelijk van de andere getrokken.

# %% [markdown] tags=["en"]
# ## Caveats
# - All persons are synthetic; no real data are used. Phone numbers and postcodes in the
#   example rows are masked and marked SYNTH; only adults are shown.
# - The population is calibrated to two published Dutch uniqueness figures, not to the full
#   distribution.
# - Small expected counts (a few links per pair at this scale) scatter widely by chance; the
#   flags use Poisson tail probabilities for them and count how many flags chance alone would
#   raise.
# - A world is scaled down but a field's number of values is not, so quasi-identifiers such as
#   date of birth single out far more of a small extract than of the full dataset: the worlds
#   check the formulas at their own scale, not the graph's numbers.
# - Sub-populations (adults) are random subsets, not selected by age, and every set is drawn
#   independently of the others.

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang))
