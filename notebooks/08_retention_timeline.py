# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # Bewaren in de tijd: welke bulkdatasets samen in bewaring zijn, en wat dat betekent

# %% [markdown] tags=["en"]
# # Retention over time: which bulk datasets are held together, and what that means

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
destroy = None  # "ID@YYYY-MM-DD" for the what-if; None: the heaviest linker on its peak day
time_limit = None  # seconds per minimal escalation solve (a day that hits it: "bounded")
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)

# %%
from IPython.display import HTML

from bulkimpact.analysis import load_analysis
from bulkimpact.present import bilingual as bl
from bulkimpact.present import downloads, figures
from bulkimpact.present import timeline_findings as tf
from bulkimpact.present import timeline_plots as tp
from bulkimpact.timeline import heaviest_linker, parse_change, retention_timeline, what_if

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness,
                         **({} if time_limit is None else {"time_limit": time_limit}))
timeline = retention_timeline(analysis, bounded=time_limit is not None)
if destroy is None and any(step.raised for step in timeline.steps):
    linker, peak_day, _sets = heaviest_linker(timeline)
    destroy = f"{linker}@{peak_day.isoformat()}"
# No combination heavier than its members on any day: no linker to destroy, no what-if.
scenario = (what_if(timeline, [parse_change(destroy, analysis.inventory, argument="destroy")])
            if destroy is not None else None)

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Vraag
# Een bulkdataset wordt niet voor altijd bewaard: de relevantie moet binnen een termijn worden
# beoordeeld, de Tijdelijke wet maakt een nieuwe eindtermijn mogelijk, en een bulkdataset kan
# worden vernietigd. Welke bulkdatasets zijn daardoor op welk moment samen in bewaring, hoeveel
# combinaties zijn dan onvoldoende beschermd als elke bulkdataset afzonderlijk wordt
# beoordeeld, welke bulkdatasets plaatst elke beslisregel zwaarder, en wat verandert er als één
# bulkdataset eerder wordt vernietigd?

# %% [markdown] tags=["en"]
# ## Question
# A bulk dataset is not kept for ever: its relevance must be assessed within a term, the
# Tijdelijke wet (Temporary Act) allows a new end term, and a dataset can be destroyed. Which
# datasets are therefore held together at which time, how many combinations are
# under-protected when each dataset is assessed on its own, what does each decision rule
# escalate, and what changes when one dataset is destroyed earlier?

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
bl.finding(lambda lang: tf.timeline_finding(timeline, lang))
bl.each(lambda lang: " ".join(tf.whatif_sentences(scenario, lang)[:1]) if scenario
        else tf.no_whatif_sentence(lang))

# %% [markdown] tags=["nl"]
# ## Werkwijze
# **Wat wordt bewaard.** Een bulkdataset telt als in bewaring vanaf de datum van verwerving
# tot de dag van vernietigen, of, als die niet is vastgelegd, tot de termijn die geldt: de
# laatste nieuwe eindtermijn, anders de termijn voor de relevantiebeoordeling. Op die dag is
# hij weg. Dit is de lezing van dit model, geen beschrijving van de praktijk. De termijn voor
# de relevantiebeoordeling staat voor artikel 27 Wiv 2017 zoals de ontwerpnotities van dit
# hulpmiddel het samenvatten; de verlengingen staan voor de Tijdelijke wet. In de woorden van
# de nota van 23 juni 2026: in die wet "is de mogelijkheid gecreëerd tot het vaststellen van
# een nieuwe eindtermijn voor een bulkdataset" (<cite
# data-position="tijdelijke-wet-eindtermijn">nota aan de minister van BZK, 23 juni 2026, p. 3,
# Toelichting, Achtergrond, 6e punt</cite>).
# Dezelfde nota vermeldt dat de afdeling klachtbehandeling van de CTIVD de diensten in 2022
# beval tot "het vernietigen van vijf bulkdatasets"
# (<cite data-position="ctivd-vijf-bulkdatasets-vernietigd">nota aan de minister van BZK, 23
# juni 2026, p. 3, Toelichting, Politieke context, 2e punt</cite>).
#
# **Wat wordt berekend.** Op elke dag waarop verandert wat in bewaring is, en alleen dan,
# volgt de volledige beoordeling van de bulkdatasets die dan samen in bewaring zijn:
# de combinaties (elke koppeling, elk onderzoek, elke keten van drie), het niveau van elke
# combinatie, elke beslisregel, en het verwachte aantal verschillende personen. Het niveau van
# een combinatie hangt alleen af van haar eigen bulkdatasets en hun koppelingen; daarom wordt
# de koppelgraaf één keer opgebouwd en per dag beperkt tot wat in bewaring is. De uitkomst is
# gelijk aan een volledig nieuwe beoordeling van de inventaris zoals die op die dag is; de
# tests controleren dat. Wat van een onderzoek overblijft nadat een bulkdataset is vernietigd,
# wordt beoordeeld als elke andere combinatie: het telt alleen mee als het zwaarder is dan elke
# beoordeelde combinatie die erin ligt. Minimale ophoging wordt elke dag exact opgelost; met een
# tijdslimiet per berekening toont een dag waarop die limiet wordt bereikt het beste gevonden
# regime, met de bewezen ondergrens en het verschil daartussen (status ‘begrensd’).
#
# **Wat als.** Voor de vergelijking wordt één bulkdataset eerder vernietigd: standaard de
# bulkdataset die op de dag met de meeste onvoldoende beschermde combinaties in de meeste daarvan
# zit, op die dag. Vanaf dat moment verdwijnen de combinaties waar hij in zat.

# %% [markdown] tags=["en"]
# ## Method
# **What is held.** A dataset counts as held from the day it was acquired until the day it is
# destroyed or, when that is not recorded, until the term in force: the last new end term,
# else the deadline of its relevance assessment. On that day it is gone. This is the model's
# reading, not a description of practice. The relevance deadline stands for art. 27 Wiv 2017
# as this tool's design notes summarise it; the extensions stand for the Tijdelijke wet, which
# according to the note of 23 June 2026 created the possibility of setting a new end term for
# a bulk dataset ("de mogelijkheid gecreëerd tot het vaststellen van een nieuwe eindtermijn
# voor een bulkdataset"). The same note records that the CTIVD's complaints department ordered
# the services in 2022 to destroy five bulk datasets ("het vernietigen van vijf
# bulkdatasets").
#
# **What is computed.** On every day the held set changes, and only then, the full assessment
# of the datasets held together: the combinations (every link, every investigation, every
# chain of three), each combination's level, every decision rule, and the expected number of
# distinct persons. A combination's level depends only on its own datasets and their links, so
# the linkage graph is built once and restricted each day to what is held. The result equals
# a fresh assessment of the inventory as held that day; the tests check it. What remains of an
# investigation after a dataset is destroyed is judged like any other combination: it counts
# only when heavier than every combination judged within it. Minimal escalation is solved
# exactly every day; with a time limit per solve, a day that reaches it shows the best regime
# found, with the proven bound and the gap between them (status ‘bounded’).
#
# **What-if.** For comparison, one dataset is destroyed earlier: by default the dataset in
# most of the under-protected combinations on the day they peak, on that day. From then on,
# the combinations it was part of are gone.

# %% [markdown] tags=["nl"]
# ### Bewaartermijnen
# Per bulkdataset de periode van bewaring, gekleurd naar het niveau op zichzelf, met de
# termijn voor de relevantiebeoordeling, de verlengingen en het vernietigen. De termijnen
# worden getoetst aan het regelboek: de relevantie moet binnen anderhalf jaar na verwerving
# zijn beoordeeld (artikel 27 Wiv 2017); een bulkdataset zonder zo'n termijn, of met een
# termijn of verlenging daarbuiten, wordt gemeld.

# %% [markdown] tags=["en"]
# ### Retention terms
# Per dataset the period it is held, coloured by its level on its own, with the relevance
# deadline, the extensions and the destruction. The terms are checked against the rulebook:
# relevance must be assessed within one and a half years of acquisition (art. 27 Wiv 2017); a
# dataset without such a deadline, or with a deadline or extension beyond it, is reported.

# %%
retention_csv = downloads.csv(timeline.retention_frame(), out_dir, "retention")
bl.each(lambda lang: [
    HTML(figures.figure_html(tp.retention_gantt(timeline, tf.gantt_title(timeline, lang), lang),
                           alt=tf.gantt_alt(timeline, lang))),
    "\n".join(f"- {s}" for s in [*tf.retention_sentences(timeline, lang),
                                  *tf.retention_law_sentences(timeline, lang)]),
    tf.retention_table(timeline, lang, download=retention_csv, top=25)])

# %% [markdown] tags=["nl"]
# ### Elke beslisregel in de tijd
# Boven: onvoldoende beschermde combinaties; onder: zwaarder geplaatste bulkdatasets, per
# beslisregel, op elke dag waarop verandert wat in bewaring is.

# %% [markdown] tags=["en"]
# ### Every decision rule over time
# Top: under-protected combinations; bottom: escalated datasets, per decision rule, on every
# day the held set changes.

# %%
steps_csv = downloads.csv(timeline.to_frame(), out_dir, "timeline")
record_json = downloads.json_file(
    {**timeline.to_json(), "what_if": scenario.to_json() if scenario else None},
    out_dir, "timeline")
bl.each(lambda lang: [
    HTML(figures.figure_html(tp.rules_over_time(timeline, tf.rules_title(timeline, lang), lang),
                           alt=tf.rules_alt(timeline, lang))),
    tf.solver_sentence(timeline, lang),
    tf.peak_table(timeline, lang, download=steps_csv)])

# %% [markdown] tags=["nl"]
# ### Wat als: eerder vernietigen
# Dezelfde lijnen met het eerder vernietigen (gestreept) naast de bewaring zoals vastgelegd
# (doorgetrokken), en elke beslisregel op de dag van het vernietigen.

# %% [markdown] tags=["en"]
# ### What-if: destroying earlier
# The same lines with the earlier destruction (dashed) beside the retention as recorded
# (solid), and every decision rule on the day of the destruction.

# %%
diff_csv = downloads.csv(scenario.diff_frame(), out_dir, "what_if") if scenario else None
bl.each(lambda lang: tf.no_whatif_sentence(lang) if scenario is None else [
    HTML(figures.figure_html(
        tp.rules_over_time(timeline, tf.whatif_title(scenario, lang), lang,
                           compare=scenario.scenario),
        alt=" ".join(tf.whatif_sentences(scenario, lang)))),
    "\n".join(f"- {s}" for s in tf.whatif_sentences(scenario, lang)),
    tf.whatif_table(scenario, lang, download=diff_csv)])

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - **Verzonnen gegevens.** De meegeleverde inventaris is verzonnen, ook de data van
#   verwerving, de termijnen, de verlengingen en het vernietigen: ze zeggen niets over de
#   werkelijke bulkdatasets van de AIVD of de MIVD, of over de vijf bulkdatasets die in 2022
#   werden vernietigd.
# - **De bewaarregel is een lezing.** Dat een bulkdataset precies tot de geldende termijn in
#   bewaring is, is een aanname van dit model. Wordt een bulkdataset later vernietigd dan de
#   termijn, dan telt hij tot het vernietigen mee en meldt het model hoeveel dagen te lang.
#   Een bulkdataset zonder vastgelegd einde telt tot het eind mee. Het model kent alleen hele
#   bulkdatasets: een relevantiebeoordeling die delen van een bulkdataset eerder laat
#   verdwijnen, ziet het niet.
# - **Illustratief regelboek.** De niveaus komen uit het meegeleverde, illustratieve
#   regelboek, niet uit de criteria van de Tijdelijke regeling.
# - **Vernietigen is niet altijd gunstig voor elke regel.** Het vernietigen van een
#   bulkdataset maakt geen combinatie zwaarder en voegt er geen toe (wel kan een onderzoek dat
#   een bulkdataset verliest de overige combineren: een kleinere, nooit zwaardere combinatie,
#   die alleen meetelt als zij zwaarder is dan elke beoordeelde combinatie die erin ligt).
#   Een beslisregel die zwaarder plaatst naar wat samenhangt, kan na het vernietigen minder
#   zwaarder plaatsen en daardoor op een dag meer combinaties onvoldoende beschermd laten.
# - **Personen.** Aantallen personen zijn verwachte aantallen verschillende personen onder de
#   aannames van de koppelgraaf (onafhankelijke trekkingen uit de referentiepopulaties, tenzij
#   een overlap is opgegeven).

# %% [markdown] tags=["en"]
# ## Caveats
# - **Invented data.** The bundled inventory is invented, including its acquisition dates,
#   terms, extensions and destructions: they say nothing about the real bulk datasets of the
#   AIVD or the MIVD, nor about the five bulk datasets destroyed in 2022.
# - **The retention rule is a reading.** That a dataset is held exactly until its term in force
#   is this model's assumption. A dataset destroyed later than its term counts until it is
#   destroyed, and the model reports how many days too long. A dataset with no end recorded
#   counts to the end. The model knows whole datasets only: a relevance assessment that lets
#   parts of a dataset go earlier is not seen.
# - **Illustrative rulebook.** The levels come from the bundled, illustrative rulebook, not
#   from the criteria of the Tijdelijke regeling.
# - **Destroying is not good for every rule.** Destroying a dataset never makes a combination
#   heavier nor adds one (an investigation that loses a dataset can combine the others: a
#   smaller combination, never a heavier one, which counts only when heavier than every
#   combination judged within it). A rule that escalates by what is connected may
#   escalate less after a destruction and so leave more under-protected on some day.
# - **Persons.** Person figures are expected numbers of distinct persons under the linkage
#   graph's assumptions (independent draws from the reference populations unless an overlap
#   is stated).

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang, over_time=True))
