# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Record-level validation: do the linkage estimates hold on persons?
#
# **Question.** Every number in the other reports rests on closed-form estimates: expected
# overlap `n_a n_b / N`, uniqueness `(1 − 1/C)^(n−1)`, links = overlap × link probability. Do
# they hold when a synthetic population is built record by record and every overlap, unique
# person and link is *counted*? And concretely: how do two innocuous datasets together name
# people with a sensitive attribute?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
out_dir = "reports"
world_persons = 300_000
validation_populations = []  # empty: every world the inventory needs
uniqueness_persons = 1_000_000
mosaic_persons = 200_000

# %% [markdown]
# ## Inputs and parameters

# %%
import pandas as pd
from IPython.display import Markdown, display

from bulkimpact.present import plots
from bulkimpact.present import validation as compare

# Reports show whole cells: a reviewer cannot widen a truncated column.
pd.set_option("display.max_colwidth", None)

from bulkimpact.analysis import ParameterError, load_analysis
from bulkimpact.synth import (
    calibration_table,
    mosaic_example,
    population_table,
    uniqueness_table,
    validate_inventory,
)

analysis = load_analysis(inventory, rulebook, openness, seed)
for name, value in (("world_persons", world_persons), ("uniqueness_persons", uniqueness_persons),
                    ("mosaic_persons", mosaic_persons)):
    if not isinstance(value, int) or value < 1_000:
        raise ParameterError(f"parameter {name!r}: an integer of at least 1,000, got {value!r}")
params = analysis.parameters_frame()
references = ([validation_populations] if isinstance(validation_populations, str)
              else list(validation_populations or []))
known = {p.id for p in analysis.inventory.populations}
for name in references:
    if name not in known:
        raise ParameterError(
            f"parameter 'validation_populations': {name!r} is not a population of "
            f"{analysis.inventory_path}; one of {sorted(known)}")
params.loc["populations realised for validation"] = (
    ", ".join(references) or "every world the inventory needs")
for name, value in (("synthetic persons (each validation world)", world_persons),
                    ("synthetic persons (uniqueness)", uniqueness_persons),
                    ("synthetic persons (mosaic)", mosaic_persons)):
    params.loc[name] = f"{value:,}"
params

# %% [markdown]
# ## How unique are people on date of birth and postcode?
# A synthetic Dutch-like population (seeded; skewed age pyramid and postcode sizes, not
# uniform) measured exactly, next to the published Dutch figures of Koot, van 't Noordende
# and de Laat (2010).

# %%
population = population_table(uniqueness_persons, seed)
table = uniqueness_table(population)
calibration = calibration_table(population)
display(Markdown(
    f"In a synthetic population of {uniqueness_persons:,} persons, "
    + "; ".join(f"**{r.fraction_unique:.1%}** are unique on {r.qi}"
                for r in table.itertuples()) + ". Published (Koot et al. 2010): "
    + "; ".join(f"{r.qi}: {r.published:.1%} (synthetic {r.synthetic:.1%})"
                for r in calibration.itertuples()) + "."))
table.style.format({"fraction_unique": "{:.1%}", "persons": "{:,}", "unique": "{:,}"}) \
    .hide(axis="index")

# %% [markdown]
# ## Exact against estimated, link by link
# The inventory's datasets are realised as extracts of a synthetic population standing for a
# reference population, scaled down with proportions kept (match quality as noise on the
# keys). Datasets of a population outside that reference (a region abroad) get a world of
# their own; a dataset too small to hold one synthetic person at that scale is named with
# the reason. For every pair that shares a key or quasi-identifiers, the overlap and the
# links are counted exactly and set beside the closed forms, with the sampling error each
# estimate predicts.

# %%
validation = validate_inventory(analysis.inventory, persons=world_persons, seed=seed,
                                reference=references or None, graph=analysis.graph)
edges = validation.to_frame()
display(Markdown(compare.coverage_sentence(validation)))
validation.worlds.style.format({"size": "{:,}", "persons": "{:,}", "scale": "{:.3g}"}) \
    .hide(axis="index")

# %%
missing = validation.datasets[validation.datasets["reason"] != ""]
missing[["dataset", "population", "persons", "reason"]].style.format({"persons": "{:,}"}) \
    .hide(axis="index")

# %%
agree = compare.agreement(validation)
within, rel = agree["within"], agree["deviation"]
display(Markdown(
    f"**{within:.0%}** of exact overlaps lie within three standard deviations of the "
    f"hypergeometric estimate (about 99.7% expected if the formula holds). Summed over all "
    f"pairs, exact links differ from the estimate by **{rel:.1%}** (quasi-identifiers on the "
    f"population's own cell sizes), and by {agree['deviation_equal_cells']:.1%} with equal "
    f"cells, the linkage graph's model. " + compare.flag_sentence(validation)))
fig = plots.exact_vs_estimated(
    edges, "links_expected", "links_exact",
    f"Counted links follow the estimates (total deviation {rel:.1%})")
plots.show_figure(
    fig,
    alt=f"Log-log scatter of estimated (x) against exactly counted (y) links for {len(edges)} "
        f"pairs of datasets, with the identity line; total deviation {rel:.1%}.",
    caption="Each point one pair of datasets in one world; on the dashed line exact = "
            "estimated. Small counts scatter by sampling noise; pairs with no link counted "
            "or expected cannot be drawn on log axes.",
)
cols = ["a", "b", "world", "keys", "qis", "overlap_exact", "overlap_expected", "links_exact",
        "links_expected", "links_sd", "links_expected_equal_cells", "flag"]
shown = pd.concat([validation.flagged,
                   edges.sort_values("links_expected", ascending=False).head(20)])
shown[cols].drop_duplicates(subset=["a", "b", "world"]).style.format(
    {"overlap_expected": "{:,.1f}", "links_expected": compare.count_format,
     "links_sd": compare.count_format, "links_expected_equal_cells": compare.count_format}
).hide(axis="index")

# %% [markdown]
# ## Where equal cells fall short
# The linkage graph knows only how many values a quasi-identifier has, so it treats every
# value as equally likely. The synthetic population is skewed like the real one: postcodes of
# one or two residents sit beside postcodes of hundreds.

# %%
display(Markdown(compare.equal_cells_sentence(validation)))
short = edges[edges["equal_cells_off"]]
short[["a", "b", "world", "qis", "links_exact", "links_expected", "links_sd",
       "links_expected_equal_cells"]].style.format(
    {"links_expected": compare.count_format, "links_sd": compare.count_format,
     "links_expected_equal_cells": compare.count_format}).hide(axis="index")

# %% [markdown]
# ## The worlds beside the linkage graph
# The graph holds a pair as a link when, at the inventory's full size, at least
# `min_expected_links` persons are expected to be linked, through a shared key or through
# quasi-identifiers unique enough (`qi_min_unique_fraction`). The worlds count every pair that
# shares something they can realise.

# %%
pairs = compare.compare_with_graph(validation, analysis.inventory, analysis.graph,
                                   analysis.rulebook)
display(Markdown(compare.reconciliation_sentence(pairs, analysis.rulebook) + " "
                 + compare.override_sentence(validation)))
compare.reconciliation_counts(pairs).style.hide(axis="index")

# %%
pairs[pairs["status"] != compare.BOTH][["a", "b", "status", "reason"]].style.hide(axis="index")

# %% [markdown]
# ## A worked mosaic, with synthetic persons only
# A leaked forum database (fictional) holds date of birth, postcode, sex and a health flag,
# but no name or contact details. A purchased shop list (fictional) holds e-mail, phone, date
# of birth, postcode and sex, and nothing sensitive. Neither names a person with a health
# condition on its own. Joined on date of birth, postcode and sex, they do.

# %%
from bulkimpact.synth.mosaic import ADULT_AGE
from bulkimpact.synth.population import REFERENCE_DATE

mosaic = mosaic_example(mosaic_persons, seed)
display(Markdown(
    f"Of {mosaic.forum_persons:,} forum records and {mosaic.shop_persons:,} shop records, "
    f"{mosaic.shared_persons:,} persons are in both. Joining on date of birth, postcode and sex "
    f"links {len(mosaic.linked):,} record pairs: **{mosaic.named:,} persons are named** "
    f"(e-mail and phone now sit next to their forum record), **{mosaic.named_sensitive:,} of "
    f"them with a health condition**, and {mosaic.false_links:,} links are wrong (a different "
    f"person, wrongly attributed)."))
mosaic.summary().style.format({"value": "{:,}"}).hide(axis="index")

# %%
example = mosaic.examples(5)
display(Markdown(
    f"**Synthetic example rows, not real people.** {len(example)} of the "
    f"{mosaic.named_sensitive:,} persons the join names with a health condition: e-mail and "
    "phone from the shop list beside the forum's health flag. "
    f"Every person here was generated by bulkimpact; only adults (aged {ADULT_AGE} or over on "
    f"{str(REFERENCE_DATE)}, the synthetic population's reference date) are shown, phone "
    "numbers and postcodes are masked and marked SYNTH, and the e-mail addresses use the "
    "reserved `.example` domain. The counts above use the unmasked synthetic records."))
example.style.hide(axis="index").set_caption(
    "Synthetic persons (invented by bulkimpact), masked for display")

# %% [markdown]
# ## What it means

# %%
display(Markdown(
    "\n".join(f"- {line}" for line in compare.verdict(validation)) + "\n"
    f"- The mosaic is concrete: two sets that each hold nothing that names a person with a "
    f"health condition together name {mosaic.named_sensitive:,} such persons in a synthetic "
    f"population of {mosaic_persons:,}."))

# %% [markdown]
# ## Caveats
# All persons here are synthetic; no real data are used. The population is calibrated to two
# published Dutch uniqueness figures, not to the full distribution. Small expected counts
# (a few links per pair at this scale) scatter widely by chance; the flags use Poisson tail
# probabilities for them and count how many flags chance alone would raise. A world is
# scaled down but a field's number of values is not, so quasi-identifiers such as date of
# birth single out far more of a small extract than of the full dataset: the worlds check
# the formulas at their own scale, not the graph's numbers. Sub-populations (adults) are
# random subsets, not selected by age, and every set is drawn independently of the others.
