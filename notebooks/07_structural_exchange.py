# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # Verstrekkingen aan private partners: per verstrekking of in onderlinge samenhang

# %% [markdown] tags=["en"]
# # Provisions to private partners: one by one, or as a whole

# %% tags=["parameters"]
exchange_log = None  # a path, or None for the bundled data/synthetic/exchange/exchange_log.yaml
window = 90  # rolling window in days; None for the whole partnership
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)

# %%
from IPython.display import HTML

from bulkimpact.exchange import assess_exchange, load_exchange_log
from bulkimpact.present import bilingual as bl
from bulkimpact.present import downloads, exchange_plots, plots
from bulkimpact.present import exchange_findings as ef
from bulkimpact.resources import BUNDLED_EXCHANGE_LOG, BUNDLED_RULEBOOK, resolve_input
from bulkimpact.rulebook import load_rulebook

bl.set_languages(languages)
book = load_rulebook(resolve_input(rulebook, BUNDLED_RULEBOOK))
log = load_exchange_log(resolve_input(exchange_log, BUNDLED_EXCHANGE_LOG), book)
assessment = assess_exchange(log, book, window=window)

# %% [markdown] tags=["nl"]
# ## Vraag
# De AIVD en de MIVD wisselen in het cyberdomein gegevens uit met private partijen: zij
# bevragen bedrijven als informant (artikel 39 Wiv 2017) en verstrekken hun gegevens
# (artikel 62 Wiv 2017). De ministers beoordelen elke verstrekking op zichzelf; de CTIVD ziet
# de samenwerking als structureel, "die daarom in onderlinge samenhang dient te worden
# beschouwd". Wanneer weegt wat één partner in de loop van de tijd ontvangt, in onderlinge
# samenhang, zwaarder dan elke verstrekking afzonderlijk, en hoeveel verstrekkingen en
# personen vallen dan onder een zwaardere waarborg?

# %% [markdown] tags=["en"]
# ## Question
# The AIVD and MIVD exchange data with private companies in the cyber domain: they question
# companies as informants (art. 39 Wiv 2017) and provide data to them (art. 62 Wiv 2017). The
# ministers judge each provision on its own; the CTIVD sees the cooperation as structural,
# to be considered "in onderlinge samenhang" (as a whole). When does what one partner receives
# over time weigh heavier as a whole than any single provision, and how many provisions and
# persons then come under a heavier safeguard?

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
bl.finding(lambda lang: ef.exchange_finding(assessment, lang))
bl.each(lambda lang: ef.comparison_sentences(assessment, lang))

# %% [markdown] tags=["nl"]
# ## Werkwijze
# **De twee lezingen.** De ministers schrijven in hun brief van 17 februari 2025: "De wet noch
# de wetsgeschiedenis maakt onderscheid tussen incidentele en structurele verstrekking. Het al
# dan niet structurele karakter van de samenwerking speelt volgens ons dan ook geen rol bij de
# beoordeling van de rechtmatigheid daarvan." Elke verstrekking moet "noodzakelijk,
# proportioneel en zorgvuldig" zijn en wordt op zichzelf gewogen. Dezelfde brief geeft het
# standpunt van de CTIVD weer: zij "ziet deze publiek-private samenwerkingsverbanden als een
# vorm van 'structurele' samenwerking, waarbij het ontvangen en verstrekken van gegevens op
# regelmatige basis plaatsvindt en die daarom in onderlinge samenhang dient te worden
# beschouwd." De ministers omschrijven de uitwisseling zelf als "het bij elkaar brengen van
# puzzelstukjes die in gezamenlijkheid een beter beeld geven van de dreiging".
#
# **De berekening.** Per verstrekking telt het niveau dat de verstrekking op zichzelf kreeg.
# Structureel telt wat een partner binnen een voortschrijdend venster (30, 90 of 365 dagen,
# of de hele duur van de samenwerking) heeft ontvangen. Verstrekkingen met hetzelfde soort
# sleutel (IP-adressen, e-mailadressen, accountnamen) zijn aan elkaar te koppelen; zo'n
# gekoppeld geheel wordt gewogen met hetzelfde regelboek als een bulkdataset: de categorieën
# gegevens samen, identificeerbaar zodra een verstrekking dat is of zodra een IP-adres,
# e-mailadres, accountnaam of telefoonnummer in meer dan één verstrekking terugkomt, en het
# verwachte aantal verschillende personen. De *grensdatum* is de eerste dag waarop het geheel
# zwaarder weegt dan elke verstrekking afzonderlijk in het venster. Een zwaardere waarborg
# betekent hier: een niveau boven 'licht', de grens die het regelboek trekt voor een
# zeer geringe inbreuk. Ontvangen gegevens (de partner als informant) tellen niet mee voor wat
# de partner in handen heeft.

# %% [markdown] tags=["en"]
# ## Method
# **The two readings.** The ministers write in their letter of 17 February 2025 that neither
# the law nor its legislative history distinguishes between incidental and structural
# provision ("De wet noch de wetsgeschiedenis maakt onderscheid tussen incidentele en
# structurele verstrekking"), so the structural character of the cooperation plays no part in
# judging whether it is lawful. Each provision must be necessary, proportionate and careful
# ("noodzakelijk, proportioneel en zorgvuldig") and is weighed on its own. The same letter
# reports the CTIVD's view: it sees these public-private partnerships as a form of
# 'structural' cooperation ("een vorm van 'structurele' samenwerking") in which data are
# received and provided regularly, "die daarom in onderlinge samenhang dient te worden
# beschouwd" (which must therefore be considered as a whole). The ministers themselves
# describe the exchange as bringing together pieces of a puzzle ("puzzelstukjes die in
# gezamenlijkheid een beter beeld geven van de dreiging").
#
# **The computation.** Per provision, a provision counts at the level it got on its own.
# Structurally, what a partner received within a rolling window (30, 90 or 365 days, or the
# whole partnership) counts together. Provisions that carry the same kind of key (IP
# addresses, e-mail addresses, account names) can be linked; such a linked group is scored
# with the same rulebook as a bulk dataset: the categories of data together, identifiable as
# soon as one provision is or as soon as an IP address, e-mail address, account name or
# telephone number recurs in more than one provision, and the expected number of distinct
# persons. The *crossing date* is the first day on which the whole weighs heavier than every
# single provision in the window. A heavier safeguard means a level above 'light', where the
# rulebook draws the line of very slight intrusion. Data received from a partner (questioned
# as informant) do not count towards what the partner holds.

# %%
bl.each(lambda lang: [ef.inputs_sentence(assessment, lang), ef.log_source(assessment, lang)])

# %% [markdown] tags=["nl"]
# ### Per partner: elke verstrekking tegenover het geheel
# Per partner het niveau van elke verstrekking op zichzelf (stippen) en het niveau van wat de
# partner in het venster in onderlinge samenhang heeft ontvangen (lijn), met de grensdatum.

# %% [markdown] tags=["en"]
# ### Per partner: each provision against the whole
# Per partner the level of each provision on its own (dots) and the level of what the partner
# received in the window as a whole (line), with the crossing date.

# %%
bl.each(lambda lang: HTML(plots.figure_html(
    exchange_plots.partner_timelines(assessment, ef.timeline_title(assessment, lang), lang),
    alt=" ".join(ef.partner_sentences(assessment, lang)).replace("**", ""),
    caption=ef.timeline_caption(assessment, lang))))
partners_csv = downloads.csv(assessment.partners_frame(), out_dir, "partners")
bl.each(lambda lang: [ef.partners_table(assessment, lang, download=partners_csv),
                      "\n".join(f"- {s}" for s in ef.partner_sentences(assessment, lang))])

# %% [markdown] tags=["nl"]
# ### Per verstrekking of structureel
# Hoeveel verstrekkingen, partners en verschillende personen elke lezing onder een zwaardere
# waarborg brengt, en vanaf wanneer.

# %% [markdown] tags=["en"]
# ### Per provision or structural
# How many provisions, partners and distinct persons each reading brings under a heavier
# safeguard, and from when.

# %%
provisions_csv = downloads.csv(assessment.provisions_frame(), out_dir, "provisions")
timeline_csv = downloads.csv(assessment.timeline_frame(), out_dir, "partner_timelines")
record_json = downloads.json_file(assessment.to_json(), out_dir, "exchange")
bl.each(lambda lang: ef.comparison_table(assessment, lang, download=provisions_csv))

# %% [markdown] tags=["nl"]
# ### Gevoeligheid voor de lengte van het venster
# Hetzelfde oordeel bij een venster van 30, 90 en 365 dagen en over de hele samenwerking. Een
# langer venster verlaagt het niveau van een partner nooit.

# %% [markdown] tags=["en"]
# ### Sensitivity to the window length
# The same verdict with a window of 30, 90 and 365 days and over the whole partnership. A
# longer window never lowers a partner's level.

# %%
sensitivity_csv = downloads.csv(assessment.sensitivity_frame(), out_dir, "window_sensitivity")
bl.each(lambda lang: [ef.sensitivity_sentence(assessment, lang),
                      ef.sensitivity_table(assessment, lang, download=sensitivity_csv)])

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - **Verzonnen gegevens.** Het meegeleverde logboek is verzonnen: de partners, data, velden
#   en aantallen zeggen niets over de werkelijke uitwisseling van de AIVD of de MIVD met
#   bedrijven. De brief van 17 februari 2025 noemt geen partners en spreekt van "het
#   staatsgeheime karakter van de samenwerkingen".
# - **Illustratief regelboek.** De niveaus komen uit het meegeleverde, illustratieve
#   regelboek, niet uit de waarborgen die de diensten werkelijk toepassen (een
#   samenwerkingsbeschrijving, weging van iedere partij en van het type gegevens).
# - **Koppelen is een aanname.** Dat een terugkerend IP-adres, e-mailadres, accountnaam of
#   telefoonnummer de persoon erachter identificeerbaar maakt, is een aanname van dit
#   hulpmiddel; zonder die aanname passeren minder partners de grens. Verstrekkingen zonder
#   gedeelde sleutel worden niet samengevoegd.
# - **Personen.** Het aantal verschillende personen is een verwachting: elke verstrekking
#   geldt als een onafhankelijke trekking uit de referentiepopulatie van het logboek.
#   Verstrekkingen over één incident raken vaak dezelfde mensen; dan ligt het werkelijke
#   aantal lager.
# - **Niet beoordeeld.** De rechtmatigheid van een verstrekking (noodzakelijk, proportioneel,
#   zorgvuldig) en de geheimhoudingsplicht van de partner vallen buiten deze berekening; die
#   gaat alleen over hoe zwaar wat een partner in handen krijgt in onderlinge samenhang weegt.

# %% [markdown] tags=["en"]
# ## Caveats
# - **Invented data.** The bundled log is invented: its partners, dates, fields and numbers say
#   nothing about the real exchange of the AIVD or the MIVD with companies. The letter of
#   17 February 2025 names no partners and speaks of the state-secret character of the
#   cooperations ("het staatsgeheime karakter van de samenwerkingen").
# - **Illustrative rulebook.** The levels come from the bundled, illustrative rulebook, not
#   from the safeguards the services actually apply (a description of each cooperation,
#   weighing of every party and of the type of data).
# - **Linking is an assumption.** That a recurring IP address, e-mail address, account name or
#   telephone number makes the person behind it identifiable is an assumption of this tool;
#   without it fewer partners cross. Provisions without a shared key are not joined.
# - **Persons.** The number of distinct persons is an expectation: each provision is taken as
#   an independent draw from the log's reference population. Provisions about one incident
#   often touch the same people; then the true number is lower.
# - **Not judged.** Whether a provision is lawful (necessary, proportionate, careful) and the
#   partner's duty of secrecy lie outside this computation, which only weighs what a partner
#   comes to hold as a whole.
