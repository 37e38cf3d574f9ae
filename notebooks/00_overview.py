# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Weighing bulk datasets together: what each decision rule protects, and at what burden
#
# **The dispute.** Dutch intelligence services hold *bulk datasets*: large collections in which
# most people are not, and never will be, a subject of investigation. Each set is placed in a
# safeguards-and-access regime on its own nature. The oversight committee CTIVD (report 84,
# 2026) recommended a decision framework to weigh datasets *together*, because results of
# different sets "kunnen immers uiteindelijk binnen een onderzoek worden gecombineerd" (can,
# after all, be combined within an investigation). The ministers declined that one
# recommendation: weighing together would pull even datasets "die een zeer geringe inbreuk
# maken op de persoonlijke levenssfeer zeer waarschijnlijk" into a heavier regime; the
# conditions follow "de aard van die bulkdataset zelf, niet door alle andere sets waarmee deze
# in combinatie kan worden gebracht".
#
# **The question.** Both claims are statements about a graph of datasets and a rulebook, so
# both can be measured: how many combinations does per-dataset assessment leave
# under-protected, how many datasets of slight intrusion does weighing together escalate, and
# what does each decision rule cost, counting escalations and case-by-case authorisations on
# one scale? The answer is given under the ministers' own reading of the openness criterion
# first, then under the CTIVD's.

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
out_dir = "reports"
k = 1
t = 0.01
use_rate = 0.1
horizon_years = 1.0
max_set_size = 3

# %%
import pandas as pd
from IPython.display import Markdown, display

from bulkimpact.present import findings, plots, tables

# Reports show whole cells: a reviewer cannot widen a truncated column.
pd.set_option("display.max_colwidth", None)

from bulkimpact.analysis import load_analysis
from bulkimpact.evaluate import cheapest_full_protection

analysis = load_analysis(inventory, rulebook, openness, seed, k=k, t=t, use_rate=use_rate,
                         horizon_years=horizon_years, max_set_size=max_set_size)

# %% [markdown]
# ## Headline: the two claims under each reading of the openness criterion
# Each row is a decision rule; each block of columns one reading of which data count as
# publicly accessible, the ministers' (services') reading first. Person figures are expected
# numbers of *distinct* persons; the burden adds one-off escalations and a year's
# case-by-case authorisations in the same cost units.

# %%
readings = analysis.readings()
evaluations = {r: a.evaluation for r, a in readings.items()}
display(Markdown("\n".join(f"- {line}" for line in
                           findings.readings_verdict(evaluations, analysis.rulebook))))
tables.policy_table(analysis.headline_frame(),
                    ["under_protected", "escalated", "escalated_slight", "total_burden"])

# %%
ev = analysis.evaluation
best = cheapest_full_protection(ev)
fig = plots.frontier_by_reading(
    {r: e.to_frame() for r, e in evaluations.items()},
    {r: e.pareto for r, e in evaluations.items()},
    (f"Under the {openness} reading, {best} protects every combination at the lowest burden"
     if best else f"Under the {openness} reading, no rule protects every combination"))
plots.show_figure(
    fig,
    alt="Three scatter plots, one per openness reading: total burden in cost units (x) "
        "against under-protected exposure sets (y), one marker per decision rule. "
        + " ".join(
            f"{r}: frontier {', '.join(e.pareto)}; " + "; ".join(
                f"{p} burden {o.total_burden:,.1f}, {o.under_protected} under-protected"
                for p, o in e.outcomes.items()) + "."
            for r, e in evaluations.items()),
    caption="Each decision rule under each reading. Rules on the frontier (heavy outline, "
            "dashed line) are beaten by no other rule on both axes.",
)

# %% [markdown]
# ## What it means, under the reading of this report

# %%
display(Markdown("\n".join(f"- {line}" for line in
                           findings.dispute_verdict(analysis.evaluation, analysis.rulebook))))

# %% [markdown]
# ## The inventory at a glance

# %%
from bulkimpact.persons import distinct_persons

G = analysis.graph
n_linked = sum(1 for n in G if G.degree(n) > 0)
raised = [s for s in analysis.sets if s.raised]
records = sum(d.persons for d in analysis.inventory.datasets)
display(Markdown(
    f"The inventory holds **{findings.plural(G.number_of_nodes(), 'dataset')}** with "
    f"**{findings.plural(records, 'record')}** about an expected "
    f"**{findings.plural(distinct_persons(G, G.nodes), 'distinct person')}**. "
    f"**{n_linked}** datasets can be linked to at least one other, through "
    f"**{findings.plural(G.number_of_edges(), 'link')}**. Of the "
    f"**{findings.plural(len(analysis.sets), 'exposure set')}** judged (every link, every "
    f"investigation, and every linked combination of up to {max_set_size} datasets that is "
    "heavier than its linked parts), "
    f"**{len(raised)}** reach a higher level together than any member alone."
))
analysis.datasets_frame()["level"].value_counts().sort_index().rename("datasets").to_frame()

# %% [markdown]
# ## Per decision rule, under the reading of this report

# %%
display(Markdown("\n".join(f"- {line}" for line in
                           findings.policy_findings(analysis.evaluation, analysis.rulebook))))

# %% [markdown]
# ## The readings compared
# How each reading defines "openbaar toegankelijk" (publicly accessible), in the words of its
# source.

# %%
display(Markdown("\n".join(
    f"- **{r}** ({analysis.rulebook.openness_variants[r].label}): "
    f"{analysis.rulebook.openness_variants[r].definition}" for r in readings)))

# %% [markdown]
# ## Inputs and parameters
# The parameters were validated by the package before anything was computed.

# %%
analysis.parameters_frame()

# %% [markdown]
# ## The other reports
# - [01 Inventory](01_inventory.html): datasets, categories, openness, levels and why.
# - [02 Linkage graph](02_linkage_graph.html): which datasets link, through what, how strongly.
# - [03 Per dataset vs cumulative](03_per_dataset_vs_cumulative.html): the combinations that
#   reach a higher level than any member.
# - [04 Decision rules](04_decision_rules.html): all rules side by side, burden, density
#   sweep, what changes if an assumption moves.
# - [05 Openness criterion](05_openness_criterion.html): the services' and the CTIVD's reading
#   of leaked and paid data.
# - [06 Record-level validation](06_record_level_validation.html): the estimates checked
#   against a synthetic population, and one worked mosaic.

# %% [markdown]
# ## Caveats
# - The bundled inventory is **fictional** and the rulebook an **illustrative assumption**:
#   the services' real criteria are not public in full. The numbers show how the decision
#   rules behave on a plausible inventory, not what the real services hold.
# - **Burden.** Escalation cost is the datasets' cost weight × levels raised, paid once.
#   Authorisation cost is uses per year × the rulebook's cost per authorisation at the
#   combination's level × the horizon in years; the costs per level, the investigations' use
#   rates and the rate for every other possible combination are assumptions (report 04 shows
#   how far the verdict moves with them).
# - **Case-by-case authorisation** (`use_based`) protects a combination only if *every* use
#   is authorised before it happens, at the combination's level; a use that is not authorised
#   is unprotected, and the rule then leaves it under-protected in fact though not in these
#   figures.
# - **Persons** are expected numbers of distinct persons: datasets are treated as independent
#   draws from their reference populations (known overlaps honoured), so no figure exceeds its
#   population; "records" are sums of dataset sizes.
# - **Exposure sets** are every link, every investigation's linked datasets and every linked
#   combination of up to the stated number of datasets that is heavier than each of its
#   linked parts (one no heavier than a part is protected whenever the part is, and is not
#   counted twice); larger combinations can be heavier still. Linkage counts are
#   expectations under stated assumptions (independent draws, match quality per key).
