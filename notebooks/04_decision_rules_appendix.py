# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nl"]
# # Bijlage bij rapport 04: de beslisregels in detail
#
# ## Vraag
# Wat ligt onder de korte vergelijking van de beslisregels in rapport 04? Deze bijlage geeft
# alle cijfers per beslisregel, het regime van elke bulkdataset onder elke regel, een
# verkenning over koppeldichtheid, en hoe de kerncijfers verschuiven als de aannamen
# veranderen: één voor één en alle tegelijk.

# %% [markdown] tags=["en"]
# # Appendix to report 04: the decision rules in detail
#
# ## Question
# What lies beneath the short comparison of decision rules in report 04? This appendix gives
# every figure per decision rule, the regime of each dataset under each rule, a sweep over
# linkage density, and how the headline figures move when the assumptions change: one at a
# time and all at once.

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
sweep_densities = [0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3]  # key probability
sweep_replicates = 10  # random inventories per density
sweep_datasets = 30  # datasets in each random inventory
robustness_draws = 50  # Monte Carlo draws of all assumptions at once

# %%
from IPython.display import HTML

from bulkimpact.analysis import load_analysis
from bulkimpact.present import bilingual as bl
from bulkimpact.present import (
    captions,
    downloads,
    exploration_findings,
    exploration_plots,
    exploration_tables,
    figures,
    names,
    rule_findings,
    rule_plots,
    tables,
)
from bulkimpact.present.i18n import rule_name
from bulkimpact.sensitivity import HEADLINE_QUANTITIES, tornado
from bulkimpact.sweep import (
    SweepConfig,
    expand_scenarios,
    robustness,
    run_sweep,
    summarise_robustness,
)

bl.set_languages(languages)
analysis = load_analysis(inventory, rulebook, openness, seed, k=k, t=t, use_rate=use_rate,
                         horizon_years=horizon_years, max_set_size=max_set_size)
ev = analysis.evaluation
frame = ev.to_frame()
sensitivity = tornado(analysis.inventory, analysis.rulebook, openness, analysis.params)

# %%
# What the data are, shown by the notebook itself when no batch adds its banner.
from bulkimpact.report.notice import show_notice

show_notice(analysis.rulebook, analysis.inventory)

# %% [markdown] tags=["nl"]
# ## Bevinding

# %% [markdown] tags=["en"]
# ## Finding

# %%
bl.finding(lambda lang:
           exploration_findings.sensitivity_text(sensitivity, lang=lang)["sentences"][0])

# %% [markdown] tags=["nl"]
# ## Werkwijze
# Dezelfde inventaris, hetzelfde regelboek en dezelfde parameters als rapport 04; de zes
# beslisregels staan daar en in de begrippenlijst beschreven. Lasten staan in kosteneenheden:
# de eenmalige kosten, de jaarlijkse kosten en de kosten per gebruik van elk niveau komen uit
# het regelboek en zijn aannamen.
#
# ### Alle cijfers per beslisregel

# %% [markdown] tags=["en"]
# ## Method
# The same inventory, rulebook and parameters as report 04; the six decision rules are
# described there and in the glossary. Burdens are in cost units: each level's one-off,
# yearly and per-use costs come from the rulebook and are assumptions.
#
# ### Every figure per decision rule

# %%
rules_download = downloads.csv(frame.drop(columns=["status"], errors="ignore"), out_dir,
                               "rules")
bl.each(lambda lang: tables.policy_table(frame, lang=lang, download=rules_download,
                                         caption=captions.caption("rules", lang)))

# %% [markdown] tags=["nl"]
# ### Regime per bulkdataset onder elke regel
# Eerst het eigen niveau, dan het regime dat elke regel toekent; ophogingen zijn wat van de
# eerste kolom afwijkt (omlijnd, met een pijl). Bulkdatasets die onder elke regel hun eigen
# niveau houden, staan niet in de figuur; ze worden eronder geteld. De hele tabel staat in de
# download.

# %% [markdown] tags=["en"]
# ### Regime per dataset under each rule
# The own level first, then the regime each rule assigns; escalations are what differs from
# the first column (outlined, with an arrow). Datasets that keep their own level under every
# rule are left out of the picture and counted below it. The whole table is in the download.

# %%
regimes = ev.regimes()
level_names = analysis.rulebook.level_names()
escalated_any = regimes[regimes.drop(columns="own_level").gt(regimes["own_level"], axis=0)
                        .any(axis=1)]
regimes_download = downloads.csv(regimes, out_dir, "regimes")


def regime_figure(lang):
    text = rule_findings.regimes_text(regimes, ev, lang=lang)
    out = []
    if len(escalated_any):
        fig = rule_plots.regime_heatmap(escalated_any, level_names, text["title"], lang=lang)
        out.append(HTML(figures.figure_html(
            fig, alt=rule_plots.regimes_alt(escalated_any, level_names, lang=lang),
            caption=captions.caption("regimes", lang))))
    return [*out, text["summary"], HTML(captions.download_note(regimes_download, lang))]


bl.each(regime_figure)

# %% [markdown] tags=["nl"]
# ### Verkenning over koppeldichtheid: waar de regel ‘hele component’ bijna alles ophoogt
# Willekeurige, verzonnen inventarissen (met vaste startwaarde) waarin elke bulkdataset elk
# van tien soorten sleutels met een gegeven kans bevat. Naarmate die dichtheid groeit, ontstaat
# één groot verbonden geheel (percolatie) en trekt de regel ‘hele component’ de meeste
# bulkdatasets naar het zwaarste regime daarin; minimale ophoging heeft veel minder
# ophogingen nodig.

# %% [markdown] tags=["en"]
# ### Sweep over linkage density: where the whole-component rule escalates nearly everything
# Random fictional inventories (seeded) in which each dataset holds each of ten kinds of key
# with the given probability. As density grows, a giant linked component appears
# (percolation) and the whole-component rule drags most datasets into the heaviest regime it
# contains; minimal escalation needs far fewer escalations.

# %%
config = SweepConfig(seed=seed, replicates=sweep_replicates,
                     rulebook=analysis.rulebook_path,
                     grid={"density": sweep_densities, "n_datasets": [sweep_datasets],
                           "openness": [openness]},
                     params={"k": k, "t": t})
sweep = run_sweep(expand_scenarios(config), config.policies, config.params, serial=True)
failed = sweep[sweep["error"] != ""]
ok = sweep[sweep["error"] == ""]
mean = ok.groupby(["density", "policy"])["escalated"].mean().unstack() / sweep_datasets
mean = mean[[p for p in config.policies if p in mean.columns]]
sweep_download = downloads.csv(mean.rename_axis(columns=None), out_dir, "sweep_share_escalated")


def sweep_figure(lang):
    text = exploration_findings.sweep_text(mean, len(ok) // len(config.policies), sweep_datasets,
                               sweep_replicates, len(failed), lang=lang)
    shares = {p: tables.Column(rule_name(p, lang), "share") for p in mean.columns}
    return [HTML(figures.figure_html(exploration_plots.density_sweep(ok, text["title"], lang=lang),
                                   alt=text["alt"], caption=text["caption"])),
            text["summary"],
            tables.table(mean, lang, index="density", extra=shares, download=sweep_download,
                         caption=captions.caption("density", lang))]


bl.each(sweep_figure)

# %% [markdown] tags=["nl"]
# ### Wat als: één aanname tegelijk
# Elke aanname achter de kerncijfers gaat naar de onder- en de bovenkant van haar bereik,
# terwijl de andere blijven zoals aangenomen: de schattingen van koppelingen (overlap, aantal
# mogelijke waarden van quasi-identificerende gegevens, koppelkwaliteit), de eigen aannamen van
# het regelboek (drempels voor aantallen personen, het aandeel unieke personen waarboven
# gegevens herleidbaar worden, het aantal categorieën voor een breed profiel, de kosten van een
# toestemming) en de gebruiksfrequentie van combinaties buiten onderzoeken.

# %% [markdown] tags=["en"]
# ### What changes if: one assumption at a time
# Every assumption behind the headline is moved to the low and to the high end of its range,
# the others held as stated: the linkage estimates (overlaps, quasi-identifier cardinalities,
# match quality), the rulebook's own assumptions (person thresholds, the share unique for
# quasi-identifiers to identify, the number of categories that make a broad-profile mosaic,
# the cost of an authorisation) and the use rate of combinations outside investigations.

# %%
sensitivity_download = downloads.csv(sensitivity, out_dir, "sensitivity")


def sensitivity_figure(lang):
    text = exploration_findings.sensitivity_text(sensitivity, lang=lang)
    quantities = {q: names.quantity_name(q, lang) for q in HEADLINE_QUANTITIES}
    fig = exploration_plots.tornado(sensitivity, quantities, text["title"], lang=lang)
    return [HTML(figures.figure_html(fig, alt=text["alt"], caption=text["caption"])),
            "\n".join(f"- {line}" for line in text["sentences"]),
            exploration_tables.sensitivity_table(sensitivity, lang, download=sensitivity_download,
                                     caption=captions.caption("sensitivity", lang))]


bl.each(sensitivity_figure)

# %% [markdown] tags=["nl"]
# ### Robuustheid: alle aannamen tegelijk getrokken
# Een Monte-Carlosimulatie over dezelfde bereiken (vermenigvuldigingsfactoren log-uniform,
# de andere uniform). Intervallen lopen van het 5e tot het 95e percentiel van de trekkingen.

# %% [markdown] tags=["en"]
# ### Robustness: all assumptions drawn at once
# Monte Carlo over the same ranges (multiplicative factors log-uniform, the others uniform).
# Intervals run from the 5th to the 95th percentile of the draws.

# %%
draws = robustness(analysis.inventory, analysis.rulebook, openness, draws=robustness_draws,
                   seed=seed, params=analysis.params)
summary = summarise_robustness(draws)
summary = summary.reindex([p for p in ev.outcomes if p in summary.index])
flat = summary.copy()
flat.columns = [f"{metric}_{q}" for metric, q in summary.columns]
robustness_download = downloads.csv(flat.rename_axis("rule"), out_dir, "robustness")


def robustness_figure(lang):
    text = exploration_findings.robustness_text(summary, robustness_draws, lang=lang)
    metrics = {m: tables.heading(m, lang) for m in ("under_protected", "total_burden")}
    fig = exploration_plots.robustness_intervals(summary, metrics, text["title"], lang=lang)
    return [HTML(figures.figure_html(fig, alt=text["alt"], caption=text["caption"])),
            exploration_tables.interval_table(
                summary, ["under_protected", "escalated", "escalated_slight", "total_burden"],
                lang, download=robustness_download,
                caption=captions.caption("robustness", lang))]


bl.each(robustness_figure)

# %% [markdown] tags=["nl"]
# ## Kanttekeningen
# - Minimale ophoging is optimaal (bewezen, zonder marge) voor de beoordeelde combinaties:
#   koppelingen, onderzoeken en gekoppelde combinaties tot het opgegeven aantal bulkdatasets
#   die zwaarder wegen dan hun delen. Wie buren tot k stappen of hele componenten als
#   combinatie beoordeelt, vraagt meer. Het optimum is niet monotoon: een nieuwe bulkdataset
#   kan een ophoging van de ene naar de andere bulkdataset verplaatsen.
# - Zijn meerdere ophogingen even goedkoop, dan neemt het model die met de minste
#   bulkdatasets, en daarna die met de minste records (geteld in duizendtallen). Welke
#   bulkdatasets worden opgehoogd, en dus ook hoeveel personen, hangt daardoor niet af van een
#   toevallige keuze van de rekenmethode.
# - De bereiken van de aannamen zijn zelf aannamen; de trekkingen zijn onafhankelijk en
#   met een vaste startwaarde, zodat een nieuwe run dezelfde intervallen geeft.
# - De inventarissen van de verkenning zijn willekeurig en verzonnen. Het regelboek is een
#   illustratieve aanname: de criteria van de Tijdelijke regeling zijn niet volledig openbaar.

# %% [markdown] tags=["en"]
# ## Caveats
# - Minimal escalation is optimal (proven, zero gap) for the combinations judged: links,
#   investigations and linked combinations of up to the stated number of datasets heavier than
#   their parts. Judging k-hop neighbourhoods or whole components as combinations demands
#   more. Its optimum is not monotone: a new dataset can move an escalation from one dataset
#   to another.
# - Where several escalations cost the same, the model takes the one that raises the fewest
#   datasets, then the one that raises the fewest records (counted in thousands). Which
#   datasets are raised, and so how many persons, does not depend on a solver's chance choice.
# - The ranges of the assumptions are assumptions themselves; the draws are independent and
#   seeded, so a rerun gives the same intervals.
# - The sweep's inventories are random and fictional. The rulebook is an illustrative
#   assumption: the criteria of the Tijdelijke regeling are not public in full.

# %%
from bulkimpact.present.scope import not_judged_note

bl.each(lambda lang: not_judged_note(analysis.not_judged, lang))
