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
provided_only = False  # True: count only what the services provided (art. 62 Wiv 2017)
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
languages = "nl,en"  # the languages to render, Dutch first
out_dir = None  # where downloads go: a folder, or None for none (the batch injects one)

# %%
from IPython.display import HTML

from bulkimpact.exchange import assess_exchange, load_exchange_log
from bulkimpact.present import bilingual as bl
from bulkimpact.present import downloads, exchange_plots, figures
from bulkimpact.present import exchange_findings as ef
from bulkimpact.resources import BUNDLED_EXCHANGE_LOG, BUNDLED_RULEBOOK, resolve_input
from bulkimpact.rulebook import load_rulebook

bl.set_languages(languages)
book = load_rulebook(resolve_input(rulebook, BUNDLED_RULEBOOK))
log = load_exchange_log(resolve_input(exchange_log, BUNDLED_EXCHANGE_LOG), book)
assessment = assess_exchange(log, book, window=window, provided_only=provided_only)

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(book)  # the rulebook; the exchange log is named on the page

# %% [markdown] tags=["nl"]
# ## Vraag
# **De juridische vraag.** De AIVD en de MIVD werken in het cyberdomein samen met bedrijven.
# De ministers van BZK en Defensie schrijven in hun brief van 17 februari 2025 (kenmerk AIVD
# 9da7db95-or1-1.9, MIVD DIS2025004863, *Reactie op de brief van de CTIVD inzake de grondslag
# voor publiek-private samenwerkingen in het cyberdomein*): "De samenwerking met private
# partijen bestaat uit een wederzijdse uitwisseling van gegevens." (<cite
# data-position="ministers-wederzijdse-uitwisseling">Kamerbrief van de ministers van BZK en
# Defensie, 17 februari 2025, p. 2, Visie op samenwerking</cite>) Bedrijven worden bevraagd
# als informant (artikel 39 Wiv 2017); de diensten verstrekken hun gegevens (artikel 62 Wiv
# 2017).
#
# Volgens de weergave van het standpunt van de CTIVD in die brief heeft de commissie in
# december 2023 laten weten "dat het verstrekken van gegevens op grond van artikel 62 van de
# Wiv 2017 in de huidige omstandigheden vanwege een ontoereikende grondslag onrechtmatig is"
# (<cite data-position="ctivd-verstrekking-onrechtmatig">Kamerbrief van de ministers van BZK
# en Defensie, 17 februari 2025, p. 1, Verkorte weergave standpunt CTIVD</cite>). Zij ziet de
# samenwerking als "een vorm van 'structurele' samenwerking, waarbij het ontvangen en
# verstrekken van gegevens op regelmatige basis plaatsvindt en die daarom in onderlinge
# samenhang dient te worden beschouwd" (<cite
# data-position="ctivd-structurele-samenwerking">Kamerbrief van de ministers van BZK en
# Defensie, 17 februari 2025, p. 1, Verkorte weergave standpunt CTIVD</cite>), heeft
# geoordeeld "dat artikelen 39 en 62 van de Wiv 2017 niet voldoen als grondslag voor deze vorm
# van publiek-private samenwerking" (<cite data-position="ctivd-artikelen-39-en-62">Kamerbrief
# van de ministers van BZK en Defensie, 17 februari 2025, p. 1–2, Verkorte weergave standpunt
# CTIVD</cite>) en stelt voor "om op basis van artikel 96 van de Wiv 2017 een Algemene
# Maatregel van Bestuur (AMvB) op te stellen" (<cite data-position="ctivd-amvb">Kamerbrief van
# de ministers van BZK en Defensie, 17 februari 2025, p. 2, Verkorte weergave standpunt
# CTIVD</cite>).
#
# De ministers volgen dat niet: "De wet noch de wetsgeschiedenis maakt onderscheid tussen
# incidentele en structurele verstrekking." (<cite
# data-position="ministers-structureel-geen-rol">Kamerbrief van de ministers van BZK en
# Defensie, 17 februari 2025, p. 2, Het wettelijk kader</cite>) Een AMvB biedt volgens hen
# geen oplossing, "aangezien er met een AMvB geen nieuwe grondslag kan worden gecreëerd"
# (<cite data-position="ministers-amvb-geen-grondslag">Kamerbrief van de ministers van BZK en
# Defensie, 17 februari 2025, p. 2, Het wettelijk kader</cite>); bovendien moet de
# samenwerkingspartner "in de AMvB worden aangeduid" (<cite
# data-position="ministers-artikel-96-partner">Kamerbrief van de ministers van BZK en
# Defensie, 17 februari 2025, p. 3, Vergroten voorzienbaarheid</cite>), wat het staatsgeheime
# karakter van de samenwerkingen niet toelaat. Zij kiezen voor "het opstellen en publiceren
# van beleidsregels" (<cite data-position="ministers-beleidsregels">Kamerbrief van de
# ministers van BZK en Defensie, 17 februari 2025, p. 3, Vergroten voorzienbaarheid</cite>).
#
# **Wat deze berekening kan bijdragen, en wat niet.** Of artikel 39 en 62 Wiv 2017 een
# toereikende grondslag bieden, en of een AMvB of beleidsregels de juiste weg zijn, is een
# juridische vraag; een rekenmodel beantwoordt die niet. Wat het wel kan laten zien, is hoeveel
# persoonsgegevens zich per partner opstapelen, en vanaf wanneer: per verstrekking
# afzonderlijk of in onderlinge samenhang, en met alleen de verstrekte gegevens of met de
# ontvangen gegevens erbij. Daarmee wordt zichtbaar wat het verschil tussen beide lezingen in
# gegevens en personen betekent.

# %% [markdown] tags=["en"]
# ## Question
# **The legal question.** The AIVD and MIVD cooperate with companies in the cyber domain. The
# ministers of the Interior and of Defence write in their letter of 17 February 2025
# (reference AIVD 9da7db95-or1-1.9, MIVD DIS2025004863, a reply to the CTIVD's letter on the
# legal basis for public-private cooperation in the cyber domain) that the cooperation consists
# of a mutual exchange of data ("een wederzijdse uitwisseling van gegevens"). Companies are
# questioned as informants (art. 39 Wiv 2017); the services provide data to them (art. 62 Wiv
# 2017).
#
# As that letter renders the CTIVD's position, the committee said in December 2023 that
# providing data under art. 62 Wiv 2017 is, in the present circumstances, unlawful for want of
# a sufficient legal basis ("vanwege een ontoereikende grondslag onrechtmatig"). It sees the
# cooperation as structural, with data received and provided on a regular basis ("het
# ontvangen en verstrekken van gegevens op regelmatige basis"), to be considered as a whole;
# it found art. 39 and 62 Wiv 2017 insufficient as a basis for this form of cooperation and
# proposes an order in council (AMvB) under art. 96 Wiv 2017.
#
# The ministers do not follow this: neither the law nor its legislative history distinguishes
# incidental from structural provision. An AMvB would offer no solution because it cannot
# create a new legal basis ("geen nieuwe grondslag"), and it must name the partner, which the
# state-secret character of the cooperations rules out. They choose to draw up and publish
# policy rules (beleidsregels).
#
# **What this computation can add, and what not.** Whether art. 39 and 62 Wiv 2017 give a
# sufficient basis, and whether an AMvB or policy rules are the right route, is a legal
# question that a quantitative model does not answer. What it can show is how much personal
# data accumulates per partner, and from when: per provision or as a whole, and with only the
# data provided or with the data received as well. That makes visible what the difference
# between the two readings means in data and persons.

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
bl.finding(lambda lang: ef.exchange_finding(assessment, lang))
bl.each(lambda lang: [ef.views_sentence(assessment, lang),
                      *ef.comparison_sentences(assessment, lang),
                      *ef.level_finding_sentences(assessment, lang)])

# %% [markdown] tags=["nl"]
# ## Werkwijze
# **De twee lezingen.** De ministers schrijven in hun brief van 17 februari 2025: "De wet noch
# de wetsgeschiedenis maakt onderscheid tussen incidentele en structurele verstrekking. Het al
# dan niet structurele karakter van de samenwerking speelt volgens ons dan ook geen rol bij de
# beoordeling van de rechtmatigheid daarvan." (<cite
# data-position="ministers-structureel-geen-rol">Kamerbrief van de ministers van BZK en
# Defensie, 17 februari 2025, p. 2, Het wettelijk kader</cite>). Elke
# verstrekking moet "noodzakelijk, proportioneel en zorgvuldig" zijn
# (<cite data-position="ministers-voorwaarden-artikel-62">Kamerbrief van de ministers van BZK en
# Defensie, 17 februari 2025, p. 2, Het wettelijk kader</cite>) en wordt op zichzelf gewogen.
# Dezelfde brief
# geeft het standpunt van de CTIVD weer: zij "ziet deze publiek-private samenwerkingsverbanden
# als een vorm van 'structurele' samenwerking, waarbij het ontvangen en verstrekken van
# gegevens op regelmatige basis plaatsvindt en die daarom in onderlinge samenhang dient te
# worden beschouwd." (<cite data-position="ctivd-structurele-samenwerking">Kamerbrief van de
# ministers van BZK en Defensie, 17 februari 2025, p. 1, Verkorte weergave standpunt
# CTIVD</cite>). De ministers omschrijven de
# uitwisseling zelf als "het bij elkaar brengen van puzzelstukjes die in gezamenlijkheid een
# beter beeld geven van de dreiging" (<cite data-position="ministers-puzzelstukjes">Kamerbrief
# van de ministers van BZK en Defensie, 17 februari 2025, p. 1, Betreft (inleidende
# alinea's)</cite>).
#
# **De berekening.** Per verstrekking telt het niveau van de verstrekking op zichzelf: het
# niveau dat het regelboek aan haar velden geeft (een lager niveau in het logboek wordt
# gemeld). Structureel telt wat binnen een voortschrijdend venster (30, 90 of 365 dagen, of de
# hele duur van de samenwerking) met een partner is uitgewisseld: wat de diensten verstrekten
# en, tenzij alleen de verstrekkingen worden bekeken, wat zij van de partner ontvingen. Twee
# uitwisselingen worden alleen aan elkaar gekoppeld als zij hetzelfde soort sleutel dragen
# (IP-adressen, e-mailadressen, accountnamen) én naar verwachting ten minste zoveel personen
# gemeen hebben als het regelboek voor een koppeling tussen bulkdatasets eist; het logboek kan
# een bekende overlap opgeven. Zo'n gekoppeld geheel wordt gewogen met hetzelfde regelboek en
# dezelfde rekenregels als een combinatie van bulkdatasets. De *grensdatum* is de eerste dag
# waarop een gekoppeld geheel zwaarder weegt dan elke uitwisseling daarin afzonderlijk. Een
# zwaardere waarborg betekent hier: een niveau boven 'licht', de grens die het regelboek
# trekt voor een zeer geringe inbreuk.

# %% [markdown] tags=["en"]
# ## Method
# **The two readings.** The ministers weigh each provision on its own: it must be necessary,
# proportionate and careful ("noodzakelijk, proportioneel en zorgvuldig"). The CTIVD considers
# the exchange with a partner as a whole ("in onderlinge samenhang"). The ministers themselves
# describe the exchange as bringing together pieces of a puzzle ("puzzelstukjes die in
# gezamenlijkheid een beter beeld geven van de dreiging").
#
# **The computation.** Per provision, a provision counts at its own level: the level the
# rulebook gives its fields (a lower level stated in the log is reported). Structurally, what
# was exchanged with a partner within a rolling window (30, 90 or 365 days, or the whole
# partnership) counts together: what the services provided and, unless only provisions are
# viewed, what they received from the partner. Two exchanges are linked only when they carry
# the same kind of key (IP addresses, e-mail addresses, account names) and are expected to
# share at least as many persons as the rulebook requires for a link between bulk datasets;
# the log may state a known overlap. Such a linked group is scored with the same rulebook and
# the same formulas as a combination of bulk datasets. The *crossing date* is the first day
# on which a linked group weighs heavier than each of its exchanges on its own. A heavier
# safeguard means a level above 'light', where the rulebook draws the line of very slight
# intrusion.

# %%
bl.each(lambda lang: [ef.inputs_sentence(assessment, lang), ef.log_source(assessment, lang)])

# %% [markdown] tags=["nl"]
# ### Per partner: elke uitwisseling tegenover het geheel
# Per partner het niveau van elke uitwisseling op zichzelf (stippen: verstrekt; vierkantjes:
# ontvangen) en het niveau van de uitwisseling in het venster in onderlinge samenhang (lijn),
# met de grensdatum en het verwachte aantal gedeelde personen waarop de koppeling berust.

# %% [markdown] tags=["en"]
# ### Per partner: each exchange against the whole
# Per partner the level of each exchange on its own (dots: provided; squares: received) and
# the level of the exchange in the window as a whole (line), with the crossing date and the
# expected shared persons the link rests on.

# %%
bl.each(lambda lang: HTML(figures.figure_html(
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
# Dezelfde uitkomst bij een venster van 30, 90 en 365 dagen en over de hele samenwerking. Een
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
#   staatsgeheime karakter van de samenwerkingen" (<cite
#   data-position="ministers-artikel-96-partner">Kamerbrief van de ministers van BZK en
#   Defensie, 17 februari 2025, p. 3, Vergroten voorzienbaarheid</cite>).
# - **Illustratief regelboek.** De niveaus komen uit het meegeleverde, illustratieve
#   regelboek, niet uit de waarborgen die de diensten werkelijk toepassen (een
#   samenwerkingsbeschrijving, weging van iedere partij en van het type gegevens).
# - **Koppelen is een aanname.** Dat een terugkerend IP-adres, e-mailadres, accountnaam of
#   telefoonnummer de persoon erachter identificeerbaar maakt, is een aanname van dit
#   hulpmiddel; zonder die aanname passeren minder partners de grens. Uitwisselingen zonder
#   gedeelde sleutel, of met naar verwachting te weinig gedeelde personen, worden niet
#   samengevoegd; een opgegeven overlap weegt zwaarder dan de schatting.
# - **Personen.** Het aantal verschillende personen is een verwachting: elke uitwisseling
#   geldt als een onafhankelijke trekking uit de referentiepopulatie van het logboek, tenzij
#   het logboek een overlap opgeeft. Uitwisselingen over één incident raken vaak dezelfde
#   mensen; zonder opgegeven overlap ligt het werkelijke aantal dan lager en worden zulke
#   uitwisselingen mogelijk ten onrechte niet gekoppeld.
# - **Niet beoordeeld.** Of de grondslag toereikend is, de rechtmatigheid van een
#   verstrekking (noodzakelijk, proportioneel, zorgvuldig) en de geheimhoudingsplicht van de
#   partner vallen buiten deze berekening; die gaat alleen over hoe zwaar de uitwisseling met
#   een partner in onderlinge samenhang weegt.

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
#   without it fewer partners cross. Exchanges without a shared key, or expected to share too
#   few persons, are not joined; a stated overlap outweighs the estimate.
# - **Persons.** The number of distinct persons is an expectation: each exchange is taken as
#   an independent draw from the log's reference population, unless the log states an
#   overlap. Exchanges about one incident often touch the same people; without a stated
#   overlap the true number is then lower, and such exchanges may wrongly stay unlinked.
# - **Not judged.** Whether the legal basis suffices, whether a provision is lawful
#   (necessary, proportionate, careful) and the partner's duty of secrecy lie outside this
#   computation, which only weighs the exchange with a partner as a whole.

# %%
from bulkimpact.present.scope import exchange_not_judged_note

bl.each(exchange_not_judged_note)
