# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The openness criterion: are leaked and purchased data "publicly accessible"?
#
# **Question.** The rulebook weighs how far a dataset is accessible to everyone. The services
# count datasets from a data leak and datasets offered for payment as publicly accessible; the
# CTIVD holds that data from a leak were, as a rule, not made public by the persons concerned,
# and so are *not* publicly accessible (whether purchased data count is a separate switch:
# the `ctivd_no_purchased` reading). Which datasets and combinations change level between the
# two readings, how many persons does that concern, and what does it do to each decision rule?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
out_dir = "reports"
compare = ["services", "ctivd"]

# %% [markdown]
# ## Inputs and parameters

# %%
import pandas as pd
from IPython.display import Markdown, display

from bulkimpact.present import findings, plots, tables

# Reports show whole cells: a reviewer cannot widen a truncated column.
pd.set_option("display.max_colwidth", None)

from bulkimpact.analysis import ParameterError, load_analysis

analysis = load_analysis(inventory, rulebook, openness, seed)
if len(compare) != 2 or not set(compare) <= set(analysis.rulebook.openness_variants):
    raise ParameterError(f"parameter 'compare': two of "
                         f"{sorted(analysis.rulebook.openness_variants)}, got {compare!r}")
params = analysis.parameters_frame()
params.loc["readings compared"] = " vs ".join(compare)
params

# %% [markdown]
# ## The readings, as the rulebook encodes them

# %%
display(Markdown("\n".join(
    f"- **{name}** ({v.label}): {v.definition}"
    for name, v in analysis.rulebook.openness_variants.items() if name in compare)))
pd.DataFrame([{"reading": name, "label": v.label,
               "counts as public": ", ".join(sorted(v.counts_as_public)),
               "never public (overrides)": ", ".join(sorted(v.excludes)) or "–",
               "source": v.source or ""}
              for name, v in analysis.rulebook.openness_variants.items()]).set_index("reading")

# %% [markdown]
# ## Datasets that change level

# %%
a, b = (analysis.with_openness(v) for v in compare)
levels = analysis.levels_by_openness(compare)
persons = pd.Series({d.id: d.persons for d in analysis.inventory.datasets})
display(Markdown("\n".join(f"- {s}" for s in findings.openness_findings(levels, compare,
                                                                        persons))))
source = pd.Series({d.id: d.source for d in analysis.inventory.datasets})
changed = levels[levels[compare[0]] != levels[compare[1]]].assign(
    source=source, persons=persons)
changed

# %%
counts = analysis.level_counts(levels)
fig = plots.levels_by_variant(
    counts, f"{len(changed)} datasets change level between the {compare[0]} and "
            f"{compare[1]} readings")
plots.show_figure(fig, alt=plots.levels_alt(counts),
                  caption="Datasets per level on their own, under each reading.")

# %% [markdown]
# ## Combinations and decision rules under each reading

# %%
def set_levels(x):
    return {s.members: s.level for s in x.sets}


sa, sb = set_levels(a), set_levels(b)
moved = [m for m in sa.keys() & sb.keys() if sa[m] != sb[m]]
display(Markdown(
    f"{findings.plural(len(moved), 'exposure set')} of {len(sa.keys() | sb.keys())} change "
    f"their cumulative level between the readings."))
side = pd.concat({v: x.evaluation.to_frame()[["under_protected", "under_protected_persons",
                                              "escalated", "escalated_low",
                                              "escalation_cost"]]
                  for v, x in zip(compare, (a, b), strict=True)}, axis=1)
tables.policy_table(side)

# %% [markdown]
# ## What it means
# Whether leaked and purchased data count as public decides the level of every dataset whose
# only claim to openness is a leak or a sale. The reading moves both sides of the dispute:
# the levels datasets have on their own, and which combinations rise above them.

# %%
ea, eb = a.evaluation.outcomes, b.evaluation.outcomes
display(Markdown(
    f"- Per-dataset assessment leaves {ea['per_dataset'].under_protected} combinations "
    f"under-protected under the {compare[0]} reading and {eb['per_dataset'].under_protected} "
    f"under the {compare[1]} reading.\n"
    f"- The component rule escalates {ea['component'].escalated} datasets under the "
    f"{compare[0]} reading and {eb['component'].escalated} under the {compare[1]} reading; "
    f"minimal escalation {ea['minimal_escalation'].escalated} and "
    f"{eb['minimal_escalation'].escalated}."))
#
# ## Caveats
# The third reading in the rulebook (`uk_part7a`) approximates the UK's 2024 test for
# datasets with low or no expectation of privacy (one factor: whether the persons themselves
# made the data public); it is an approximation, not the UK test.
