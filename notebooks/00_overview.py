# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # Bulkdatasets in samenhang wegen: wat elke beslisregel beschermt, en tegen welke lasten
#
# ## Vraag
# De CTIVD acht het van belang bulkdatasets in samenhang te bekijken, omdat de opbrengsten
# binnen een onderzoek kunnen worden gecombineerd (<cite data-position="ctivd-in-samenhang">nota
# aan de minister van BZK, 23 juni 2026, p. 1–2, Kern, 4e punt</cite>). Hoeveel
# combinaties van bulkdatasets blijven onvoldoende beschermd als elke bulkdataset
# afzonderlijk wordt beoordeeld? Brengt in samenhang wegen bijna elke bulkdataset in een
# zwaarder regime, ook die met een zeer geringe inbreuk, zoals de ontwerp-beleidsreactie
# verwacht (<cite data-position="ministers-zeer-geringe-inbreuk">nota aan de minister van BZK,
# 23 juni 2026, p. 2, Kern, 5e punt</cite>)? En wat kost elke beslisregel? De
# antwoorden hieronder zijn doorgerekend op fictieve gegevens.

# %% [markdown] tags=["en"]
# # Weighing bulk datasets together: what each decision rule protects, and at what burden
#
# ## Question
# Does judging each bulk dataset on its own leave combinations of datasets under-protected,
# as the CTIVD holds? Does weighing them together pull nearly every dataset into a heavier
# regime, even those of very slight intrusion, as the draft policy response expects? And what
# does each decision rule cost?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
k = 1  # k-hop rule: neighbours weighed, in links
t = 0.01  # threshold rule: least link strength that counts
use_rate = 0.1  # assumed uses a year of a possible combination outside the investigations
horizon_years = None  # years the burden counts; None: the inventory's mean planned retention
max_set_size = 3  # largest chain of linked datasets judged as one combination
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)

# %%
from IPython.display import HTML

from bulkimpact.analysis import load_analysis
from bulkimpact.persons import distinct_persons
from bulkimpact.present import bilingual as bl
from bulkimpact.present import (
    captions,
    dispute_findings,
    downloads,
    figures,
    inventory_findings,
    reading_findings,
    rule_findings,
    rule_plots,
    tables,
)
from bulkimpact.present.verdict import verdict_sentence, verdict_sentences

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness, seed, k=k, t=t, use_rate=use_rate,
                         horizon_years=horizon_years, max_set_size=max_set_size)
ev = analysis.evaluation
rb = analysis.rulebook
readings = analysis.readings()
evaluations = {r: a.evaluation for r, a in readings.items()}
headline = analysis.headline_frame()

_ = downloads.json_file(analysis.to_json(), out_dir, "assessment")
_ = downloads.csv(headline.stack(level=0, future_stack=True).rename_axis(["rule", "reading"]),
                  out_dir, "headline")
_ = downloads.csv(ev.to_frame().drop(columns=["pareto"], errors="ignore").rename_axis("rule"),
                  out_dir, "rules")

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
verdicts = {r: a.verdict for r, a in readings.items()}
# the first sentence names the reading and the condition under which the answer changes
bl.finding(lambda lang: verdict_sentence(openness, analysis.verdict, lang) + " "
           + dispute_findings.overview_finding(ev, rb, openness, lang))
# kernboodschappen: each reading's verdict with its conditions, then both claims measured
bl.verdict(lambda lang: [*verdict_sentences(verdicts, lang),
                         *dispute_findings.verdict_sentences(ev, rb, lang)[:2]])

# %%
bl.verdict(lambda lang: tables.table(
    headline, lang, list(tables.COMPACT_COLUMNS), index="rule", extra=tables.COMPACT_COLUMNS,
    caption=captions.figure_caption("headline", lang)))

# %%
bl.verdict(lambda lang: HTML(figures.figure_html(
    rule_plots.frontier_by_reading({r: e.to_frame() for r, e in evaluations.items()},
                                   {r: e.pareto for r, e in evaluations.items()},
                                   rule_findings.readings_frontier_title(ev, openness, lang),
                                   lang=lang),
    alt=rule_findings.readings_frontier_alt(evaluations, lang),
    caption=captions.figure_caption("frontier", lang))))

# %% [markdown] tags=["nl"]
# ## Werkwijze
#
# **Het geschil.** De bron is de nota aan de minister van BZK van 23 juni 2026, die de
# ontwerp-beleidsreactie op CTIVD-toezichtrapport nr. 84 ter ondertekening voorlegt; de
# beleidsreactie zoals de ministers die hebben verzonden, is hier niet gelezen. Volgens de
# nota beveelt de CTIVD een besliskader aan "om te bepalen of meerdere bulkdatasets (al dan niet) in
# samenhang moet worden gewogen om de privacyinbreuk daarvan (goed) te kunnen beoordelen"
# (<cite data-position="ctivd-besliskader">nota aan de minister van BZK, 23 juni 2026, p. 1,
# Kern, 4e punt</cite>), want: "De opbrengsten kunnen immers uiteindelijk binnen een
# onderzoek worden gecombineerd." (<cite data-position="ctivd-in-samenhang">nota aan de minister
# van BZK, 23 juni 2026, p. 1–2, Kern, 4e punt</cite>). Van de dertien aanbevelingen
# is dit de enige die de ontwerp-beleidsreactie niet overneemt; de overige worden volledig of
# gedeeltelijk overgenomen (<cite data-position="ministers-een-aanbeveling-niet">nota aan de
# minister van BZK, 23 juni 2026, p. 1, Kern, 2e punt</cite>). De reden volgens de
# nota: "Hierdoor zouden ook bulkdatasets die een zeer geringe inbreuk maken op de
# persoonlijke levenssfeer zeer waarschijnlijk terecht komen in een zwaarder waarborgen- en
# toegangsregime." (<cite data-position="ministers-zeer-geringe-inbreuk">nota aan de minister
# van BZK, 23 juni 2026, p. 2, Kern, 5e punt</cite>). De diensten achten weging in
# samenhang ook niet wenselijk (<cite data-position="diensten-niet-wenselijk">nota aan de
# minister van BZK, 23 juni 2026, p. 2, Kern, 5e punt</cite>); de voorwaarden blijven
# bepaald "door de aard van die bulkdataset zelf, niet door alle andere sets waarmee deze in
# combinatie kan worden gebracht." (<cite data-position="ministers-aard-van-de-bulkdataset">nota
# aan de minister van BZK, 23 juni 2026, p. 2, Kern, 5e punt</cite>).
#
# **De meting.** Beide stellingen gaan over dezelfde twee dingen: welke bulkdatasets aan
# elkaar te koppelen zijn, en welk niveau een regelboek aan een bulkdataset of combinatie
# toekent. Daarom zijn ze te meten. Het instrument bepaalt het niveau van elke bulkdataset
# op zichzelf en van elke combinatie die te koppelen is: elk paar met een koppeling, de
# bulkdatasets van elk onderzoek en elke keten van gekoppelde bulkdatasets die zwaarder is
# dan haar delen. Een combinatie is onvoldoende beschermd als geen van haar bulkdatasets in
# een regime staat dat zo zwaar is als de combinatie zelf. Zes beslisregels worden naast
# elkaar gelegd, van beoordeling per bulkdataset afzonderlijk (de huidige praktijk) tot
# alles in samenhang wegen (de uitkomst waarvoor de ontwerp-beleidsreactie waarschuwt,
# <cite data-position="ministers-zeer-geringe-inbreuk">nota aan de minister van BZK, 23 juni
# 2026, p. 2, Kern, 5e punt</cite>). De
# lasten tellen het eenmalig zwaarder plaatsen van bulkdatasets en de toestemmingen per
# gebruik gedurende één jaar op in één kosteneenheid. Alles wordt doorgerekend in elke lezing
# van het openbaarheidscriterium, die van de diensten voorop; de zinnen hieronder volgen de
# lezing van dit rapport.
#
# ### De twee stellingen in elke lezing

# %% [markdown] tags=["en"]
# ## Method
#
# **The dispute.** The services place each bulk dataset in a safeguards-and-access regime on
# its own nature. The source is the memo to the Minister of the Interior of 23 June 2026,
# which puts the draft policy response to CTIVD report no. 84 forward for signature; the
# ministers' response as sent is not read here. The CTIVD recommends a decision framework
# (besliskader), in the memo's words "om te
# bepalen of meerdere bulkdatasets (al dan niet) in samenhang moet worden gewogen om de
# privacyinbreuk daarvan (goed) te kunnen beoordelen" (to determine whether several bulk
# datasets must be weighed together to judge their privacy intrusion), because "De
# opbrengsten kunnen immers uiteindelijk binnen een onderzoek worden gecombineerd" (their
# results can, after all, be combined within one investigation). Of thirteen
# recommendations, this is the one the draft policy response does not adopt; the others are
# adopted fully or in part: "Hierdoor zouden ook bulkdatasets die
# een zeer geringe inbreuk maken op de persoonlijke levenssfeer zeer waarschijnlijk terecht
# komen in een zwaarder waarborgen- en toegangsregime" (even bulk datasets of very slight
# intrusion would very probably end up in a heavier regime). The conditions stay set "door
# de aard van die bulkdataset zelf, niet door alle andere sets waarmee deze in combinatie kan
# worden gebracht" (by the nature of the dataset itself, not by all other sets it can be
# combined with).
#
# **The measurement.** Both claims are about the same two things: which datasets can be
# linked, and which level a rulebook gives a dataset or a combination. So both can be
# measured. The tool determines the level of every dataset on its own and of every
# combination that can be linked: every linked pair, every investigation's datasets, and
# every chain of linked datasets heavier than its parts. A combination is under-protected
# when none of its datasets sits in a regime as heavy as the combination. Six decision rules
# are compared, from judging each dataset on its own (today's practice) to weighing
# everything linked together (the outcome the draft policy response warns against). The
# burden adds one-off escalations and a year of authorisations per use in one cost unit.
# Everything is computed under each reading of the openness criterion, the services' first;
# the sentences below follow this
# report's reading.
#
# ### The two claims under each reading

# %%
bl.each(lambda lang: "\n".join(f"- {line}" for line in
                               dispute_findings.readings_verdict(evaluations, rb, lang)))

# %% [markdown] tags=["nl"]
# ### Beste afwegingen en omslagpunt, in de lezing van dit rapport

# %% [markdown] tags=["en"]
# ### Frontier and break-even, under this report's reading

# %%
bl.each(lambda lang: "\n".join(f"- {line}"
                               for line in dispute_findings.verdict_details(ev, rb, lang)))

# %% [markdown] tags=["nl"]
# ### Per beslisregel

# %% [markdown] tags=["en"]
# ### Per decision rule

# %%
bl.each(lambda lang: "\n".join(f"- {line}"
                               for line in dispute_findings.policy_findings(ev, rb, lang)))

# %% [markdown] tags=["nl"]
# ### De inventaris in één oogopslag

# %% [markdown] tags=["en"]
# ### The inventory at a glance

# %%
G = analysis.graph
levels = analysis.levels_by_openness([openness])
bl.each(lambda lang: [
    inventory_findings.inventory_glance(
        G.number_of_nodes(), sum(d.persons for d in analysis.inventory.datasets),
        distinct_persons(G, G.nodes), sum(1 for n in G if G.degree(n) > 0),
        G.number_of_edges(), len(analysis.sets), sum(1 for s in analysis.sets if s.raised),
        max_set_size, lang),
    tables.table(inventory_findings.level_counts_frame(levels, rb), lang, index="level")])

# %% [markdown] tags=["nl"]
# ### De lezingen van het openbaarheidscriterium
# Wat elke lezing als "openbaar toegankelijk" aanmerkt, met de woorden van de bron.

# %% [markdown] tags=["en"]
# ### The readings of the openness criterion
# What each reading counts as "openbaar toegankelijk" (publicly accessible), in the words of
# its source.

# %%
bl.each(lambda lang: "\n".join(f"- {line}" for line in
                               reading_findings.reading_definitions(rb, list(readings), lang)))

# %% [markdown] tags=["nl"]
# ### Invoer en instellingen
# Het pakket heeft de instellingen gecontroleerd voordat er iets werd berekend.

# %% [markdown] tags=["en"]
# ### Inputs and parameters
# The package validated the parameters before anything was computed.

# %%
bl.each(lambda lang: tables.table(inventory_findings.parameters_frame(analysis, lang), lang,
                                  index="parameter"))

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - De meegeleverde inventaris is **fictief** en het regelboek een **illustratieve
#   aanname**: de echte criteria van de Tijdelijke regeling zijn niet volledig openbaar. De
#   cijfers laten zien hoe de beslisregels zich gedragen op een aannemelijke inventaris, niet
#   wat de diensten werkelijk bewaren.
# - **Lasten.** De kosten van ophoging zijn het kostengewicht van een bulkdataset maal het
#   aantal niveaus dat hij stijgt, eenmalig betaald. De kosten van toestemming zijn het
#   gebruik per jaar maal de kosten van één toestemming op het niveau van de combinatie maal
#   de termijn in jaren. De kosten per niveau, het gebruik in de onderzoeken en het gebruik
#   van elke andere mogelijke combinatie zijn aannames; rapport 04 laat zien hoe ver de
#   uitkomst daarmee verschuift.
# - **Toestemming per gebruik** beschermt een combinatie alleen als *elk* gebruik vooraf is
#   toegestaan, op het niveau van de combinatie. Een gebruik zonder toestemming is in
#   werkelijkheid onvoldoende beschermd, ook al telt het in deze cijfers niet mee.
# - **Personen** zijn verwachte aantallen verschillende personen: bulkdatasets gelden als
#   onafhankelijke trekkingen uit hun referentiepopulatie (bekende overlap gaat voor), zodat
#   geen cijfer boven zijn populatie uitkomt. "Records" zijn opgetelde omvang van
#   bulkdatasets.
# - **Combinaties** zijn elke koppeling, de gekoppelde bulkdatasets van elk onderzoek en elke
#   gekoppelde combinatie tot het opgegeven aantal bulkdatasets die zwaarder is dan elk van
#   haar gekoppelde delen (een combinatie die niet zwaarder is dan een deel, is beschermd
#   zodra dat deel het is, en telt niet dubbel). Grotere combinaties kunnen nog zwaarder
#   zijn. Koppelingen zijn verwachtingen onder de vermelde aannames (onafhankelijke
#   trekkingen, kwaliteit van de sleutels).

# %% [markdown] tags=["en"]
# ## Caveats
# - The bundled inventory is **fictional** and the rulebook an **illustrative assumption**:
#   the real criteria of the Tijdelijke regeling are not public in full. The numbers show how
#   the decision rules behave on a plausible inventory, not what the services hold.
# - **Burden.** Escalation cost is a dataset's cost weight × the levels it rises, paid once.
#   Authorisation cost is uses a year × the cost of one authorisation at the combination's
#   level × the horizon in years. The costs per level, the investigations' use rates and the
#   rate for every other possible combination are assumptions; report 04 shows how far the
#   verdict moves with them.
# - **Authorisation per use** protects a combination only if *every* use is authorised
#   beforehand, at the combination's level. A use that is not authorised is under-protected
#   in fact, though not in these figures.
# - **Persons** are expected numbers of distinct persons: datasets are treated as
#   independent draws from their reference populations (known overlaps honoured), so no
#   figure exceeds its population. "Records" are sums of dataset sizes.
# - **Combinations** are every link, every investigation's linked datasets and every linked
#   combination of up to the stated number of datasets that is heavier than each of its
#   linked parts (one no heavier than a part is protected whenever the part is, and is not
#   counted twice). Larger combinations can be heavier still. Linkage counts are
#   expectations under stated assumptions (independent draws, match quality per key).

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang))
