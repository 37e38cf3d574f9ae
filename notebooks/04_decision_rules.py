# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # Beslisregels naast elkaar: onvoldoende bescherming tegenover ophoging
#
# ## Vraag
# Wanneer moeten bulkdatasets in samenhang worden gewogen? Voor zes beslisregels, van
# beoordeling per bulkdataset afzonderlijk tot het in samenhang wegen van alles wat gekoppeld kan
# worden: hoeveel combinaties blijven onvoldoende beschermd, hoeveel bulkdatasets komen in een
# zwaarder regime (en hoeveel daarvan maken op zichzelf een zeer geringe inbreuk), wat kost
# elke regel, en welke aanname verschuift de uitkomst het meest?

# %% [markdown] tags=["en"]
# # Decision rules side by side: under-protection against escalation
#
# ## Question
# When must bulk datasets be weighed together? For six decision rules, from assessing each
# dataset on its own to weighing everything that can be linked together: how many
# combinations stay under-protected, how many datasets are escalated to a heavier regime (and
# how many of those are of very slight intrusion on their own), what does each rule cost, and
# which assumption moves the verdict most?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)
k = 1  # the k-hop rule weighs neighbours up to k links away
t = 0.01  # strong links only: link strength at least t
use_rate = 0.1  # uses a year of each possible combination outside investigations
horizon_years = None  # years the burden counts; None: the inventory's mean planned retention
max_set_size = 3  # largest linked combination judged (datasets)

# %%
from IPython.display import HTML

from bulkimpact.analysis import load_analysis
from bulkimpact.present import bilingual as bl
from bulkimpact.present import (
    captions,
    dispute_findings,
    downloads,
    figures,
    rule_findings,
    rule_plots,
    tables,
)
from bulkimpact.present.verdict import (
    decision_map_alt,
    decision_map_figure,
    verdict_sentence,
    verdict_sentences,
)

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness, seed, k=k, t=t, use_rate=use_rate,
                         horizon_years=horizon_years, max_set_size=max_set_size)
ev = analysis.evaluation
frame = ev.to_frame()

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
bl.finding(lambda lang: verdict_sentence(openness, analysis.verdict, lang) + " "
           + rule_findings.rules_finding(ev, lang=lang))

# %% [markdown] tags=["nl"]
# ## Werkwijze
# De CTIVD beveelt een besliskader aan. De nota aan de minister van 23 juni 2026 omschrijft
# die aanbeveling als het opstellen van "een besliskader om te bepalen of meerdere
# bulkdatasets (al dan niet) in samenhang moet worden gewogen om de privacyinbreuk daarvan
# (goed) te kunnen beoordelen" (<cite data-position="ctivd-besliskader">nota aan de minister van
# BZK, 23 juni 2026, p. 1, Kern, 4e punt</cite>). Het is de enige van de dertien
# aanbevelingen die de ontwerp-beleidsreactie niet overneemt
# (<cite data-position="ministers-een-aanbeveling-niet">nota aan de minister van BZK, 23 juni
# 2026, p. 1, Kern, 2e punt</cite>), met als reden:
#
# > "Hierdoor zouden ook bulkdatasets die een zeer geringe inbreuk maken op de persoonlijke
# > levenssfeer zeer waarschijnlijk terecht komen in een zwaarder waarborgen- en
# > toegangsregime." (<cite data-position="ministers-zeer-geringe-inbreuk">nota aan de minister
# > van BZK, 23 juni 2026, p. 2, Kern, 5e punt</cite>)
#
# bulkimpact maakt beide beweringen meetbaar. Een combinatie (bulkdatasets die gekoppeld
# kunnen worden of in één onderzoek samen worden gebruikt) is onvoldoende beschermd als zij
# samen zwaarder weegt dan het regime van elk van haar leden. Een bulkdataset wordt opgehoogd
# als een regel hem in een zwaarder regime plaatst dan zijn eigen niveau. De zes regels:
#
# - **per bulkdataset afzonderlijk**: elke bulkdataset naar zijn eigen aard, de huidige
#   werkwijze;
# - **hele component**: elke bulkdataset op het niveau van alle bulkdatasets waarmee hij via
#   koppelingen verbonden is: de uitkomst waarvoor de ontwerp-beleidsreactie waarschuwt
#   (<cite data-position="ministers-alle-in-samenhang">nota aan de minister van BZK, 23 juni
#   2026, p. 2, Kern, 5e punt</cite>);
# - **buren tot k stappen**: elke bulkdataset gewogen met zijn buren tot k koppelingen ver;
# - **alleen sterke koppelingen**: als hele component, maar alleen langs sterke koppelingen;
# - **minimale ophoging**: de goedkoopste ophogingen die geen combinatie onvoldoende beschermd
#   laten, exact berekend;
# - **toestemming per gebruik**: niets ophogen, maar elk gebruik van een zwaardere combinatie
#   vooraf laten toestaan, op het niveau van die combinatie.
#
# Lasten staan in kosteneenheden: de eenmalige kosten, de jaarlijkse kosten en de kosten per
# gebruik van elk niveau komen uit het regelboek en zijn aannamen. Alle cijfers per
# beslisregel, het regime van elke bulkdataset, de verkenning over koppeldichtheid en de
# gevoeligheid voor de aannamen staan in de
# [bijlage bij dit rapport](04_decision_rules_appendix.nl.html).
#
# ### Alle beslisregels op deze inventaris

# %% [markdown] tags=["en"]
# ## Method
# The CTIVD recommends a decision framework (besliskader): in the words of the memo to the
# minister of 23 June 2026, a framework to determine whether several bulk datasets must be
# weighed together in order to judge their privacy intrusion properly. It is the only one of
# thirteen recommendations that the draft policy response does not adopt: weighing together
# would very probably put even bulk datasets of
# very slight intrusion into a heavier regime of safeguards and access (our rendering; the
# Dutch text is quoted on the Dutch page).
#
# bulkimpact makes both claims measurable. A combination (datasets that can be linked, or are
# used together in one investigation) is under-protected when together it weighs heavier than
# the regime of each of its members. A dataset is escalated when a rule puts it in a heavier
# regime than its own level. The six rules:
#
# - **per dataset**: each dataset on its own nature, the current practice;
# - **whole component**: each dataset at the level of all datasets it is linked to, the
#   outcome the draft policy response warns against;
# - **k-hop neighbourhood**: each dataset weighed with its neighbours up to k links away;
# - **strong links only**: as whole component, but along strong links only;
# - **minimal escalation**: the cheapest escalations that leave no combination
#   under-protected, computed exactly;
# - **authorisation per use**: escalate nothing, but have every use of a heavier combination
#   authorised beforehand, at that combination's level.
#
# Burdens are in cost units: each level's one-off, yearly and per-use costs come from the
# rulebook and are assumptions. Every figure per decision rule, the regime of each
# dataset, the sweep over linkage density and the sensitivity to the assumptions are in the
# [appendix to this report](04_decision_rules_appendix.en.html).
#
# ### All decision rules on this inventory

# %%
rules_download = downloads.csv(frame.drop(columns=["status"], errors="ignore"), out_dir,
                               "rules")
bl.each(lambda lang: [
    tables.policy_table(frame, tables.SHORT_POLICY_COLUMNS, lang=lang, download=rules_download,
                        caption=captions.caption("rules", lang)),
    HTML(figures.figure_html(
        rule_plots.policy_frontier(frame, rule_findings.frontier_title(ev, lang), pareto=ev.pareto,
                              lang=lang),
        alt=rule_findings.frontier_alt(frame, ev.pareto, lang=lang),
        caption=captions.caption("frontier", lang)))])

# %% [markdown] tags=["nl"]
# ### Welke regel is het goedkoopst, en onder welke voorwaarden?
# Alle regels worden op dezelfde manier geprijsd: de eenmalige kosten van een zwaarder regime,
# plus over de periode de jaarlijkse kosten van het bewaren en gebruiken van elke bulkdataset
# in zijn regime en van elke toestemming per gebruik. De kaart toont per lezing welke regel die
# niets onvoldoende beschermd laat het goedkoopst is, bij elke combinatie van
# gebruiksfrequentie en periode; de stippellijn is berekend, niet afgelezen uit het raster.

# %% [markdown] tags=["en"]
# ### Which rule is cheapest, and under which conditions?
# Every rule is priced the same way: the one-off cost of a heavier regime, plus over the horizon
# the yearly cost of holding and using every dataset in its regime and of every authorisation
# per use. The map shows, per reading, which rule that leaves nothing under-protected is
# cheapest at each use rate and horizon; the dashed line is computed, not read off the grid.

# %%
verdicts = {r: a.verdict for r, a in analysis.readings().items()}


def decision_map(lang):
    fig = decision_map_figure(verdicts, captions.caption("decision_map_title", lang), lang)
    return [HTML(figures.figure_html(fig, alt=decision_map_alt(verdicts, lang),
                                   caption=captions.caption("decision_map", lang))),
            *verdict_sentences(verdicts, lang)]


bl.each(decision_map)

# %% [markdown] tags=["nl"]
# ## Wat dit betekent
# De twee beweringen gaan over verschillende regels: onvoldoende bescherming is wat beoordeling
# per bulkdataset afzonderlijk laat liggen (het punt van de CTIVD), ophoging is wat de regel
# ‘hele component’ kost (het punt van de ontwerp-beleidsreactie). De regels daartussen laten
# zien hoeveel van elk een besliskader moet aanvaarden.

# %% [markdown] tags=["en"]
# ## What it means
# The two claims are about different rules: under-protection is what assessment per dataset
# leaves (the CTIVD's point), escalation is what the whole-component rule costs (the
# draft policy response's point). The rules in between show how much of each a decision
# framework has to
# accept.

# %%
# both claims (the first two lines) are the finding's above; the rest reads them together
bl.each(lambda lang: "\n".join(
    f"- {line}"
    for line in [*dispute_findings.dispute_verdict(ev, analysis.rulebook, lang=lang)[2:],
                 rule_findings.burden_share(ev, lang=lang)] if line))

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - Toestemming per gebruik veronderstelt dat **elk gebruik vooraf wordt toegestaan**, op het
#   niveau van de combinatie; de lasten tellen die toestemmingen, niet de schade van een
#   gebruik dat ertussendoor glipt. De kosten per niveau, de gebruiksfrequenties en de
#   tijdshorizon zijn aannamen; de kaart hierboven en de
#   [bijlage](04_decision_rules_appendix.nl.html) laten hun gewicht zien.
# - Het regelboek is een illustratieve aanname: de criteria van de Tijdelijke regeling zijn
#   niet volledig openbaar.

# %% [markdown] tags=["en"]
# ## Caveats
# - Authorisation per use assumes that **every use is authorised before it happens**, at the
#   combination's level; the burden counts those authorisations, not the harm of a use that
#   slips through. The costs per level, the use rates and the horizon are assumptions; the map
#   above and the [appendix](04_decision_rules_appendix.en.html) show their weight.
# - The rulebook is an illustrative assumption: the criteria of the Tijdelijke regeling are
#   not public in full.

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang))
