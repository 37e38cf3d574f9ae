# %% [markdown]
# # Weighing bulk datasets together: what each decision rule protects and what it escalates
#
# **The dispute.** Dutch intelligence services hold *bulk datasets*: large collections in which
# most people are not, and never will be, a subject of investigation. Each set is placed in a
# safeguards-and-access regime on its own nature. The oversight committee CTIVD (report 84,
# 2026) recommended a decision framework to weigh datasets *together*, because results of
# different sets can be combined within one investigation. The ministers declined that one
# recommendation: weighing together would "zeer waarschijnlijk" (very probably) pull even
# datasets of very slight intrusion into a heavier regime; the conditions follow "de aard van
# die bulkdataset zelf, niet door alle andere sets waarmee deze in combinatie kan worden
# gebracht" (the nature of the dataset itself, not all other sets it can be combined with).
#
# **The question.** Both claims are statements about a graph of datasets and a rulebook, so
# both can be measured: how many combinations does per-dataset assessment leave
# under-protected, and how many datasets does weighing together escalate, under each
# decision rule?

# %% tags=["parameters"]
inventory = "data/synthetic/baseline.yaml"
rulebook = "data/rulebooks/default.yaml"
openness = "ctivd"
seed = 0
out_dir = "reports"
k = 1
t = 0.01

# %% [markdown]
# ## Inputs and parameters
# The parameters are validated by the package before anything is computed.

# %%
import pandas as pd
from IPython.display import Markdown, display

from bulkimpact import findings, plots, tables

# Reports show whole cells: a reviewer cannot widen a truncated column.
pd.set_option("display.max_colwidth", None)

from bulkimpact.analysis import load_analysis

analysis = load_analysis(inventory, rulebook, openness, seed, k=k, t=t)
analysis.parameters_frame()

# %% [markdown]
# ## The inventory at a glance

# %%
G = analysis.graph
n_linked = sum(1 for n in G if G.degree(n) > 0)
raised = [s for s in analysis.sets if s.raised]
display(Markdown(
    f"The inventory holds **{findings.plural(G.number_of_nodes(), 'dataset')}** "
    f"with **{findings.plural(sum(d.persons for d in analysis.inventory.datasets), 'record')}** "
    f"about persons. **{n_linked}** of them can be linked to at least one other dataset, through "
    f"**{findings.plural(G.number_of_edges(), 'link')}**. Of the "
    f"**{findings.plural(len(analysis.sets), 'exposure set')}** judged (every link and every "
    f"investigation), **{len(raised)}** reach a higher level together than any member alone."
))
analysis.datasets_frame()["level"].value_counts().sort_index().rename("datasets").to_frame()

# %% [markdown]
# ## Headline: the two claims, measured

# %%
display(Markdown("\n".join(f"- {line}" for line in
                           findings.dispute_verdict(analysis.evaluation, analysis.rulebook))))
frame = analysis.evaluation.to_frame()
tables.policy_table(frame, ["under_protected", "under_protected_persons", "escalated",
                            "escalated_low", "escalation_cost", "authorisations", "status"])

# %%
best = frame.loc["minimal_escalation"]
comp = frame.loc["component"]
fig = plots.policy_frontier(
    frame,
    f"Protecting every combination needs {int(best['escalated'])} escalations, "
    f"not {int(comp['escalated'])}",
)
plots.show_figure(
    fig,
    alt=("Scatter plot, one point per decision rule: datasets escalated (x) against "
         "under-protected exposure sets (y). " + "; ".join(
             f"{p}: {int(r['escalated'])} escalated, {int(r['under_protected'])} under-protected"
             for p, r in frame.iterrows())),
    caption="Each decision rule as a point; bottom left is better on both counts.",
)

# %% [markdown]
# ## Per decision rule

# %%
display(Markdown("\n".join(f"- {line}" for line in
                           findings.policy_findings(analysis.evaluation, analysis.rulebook))))

# %% [markdown]
# ## The other reports
# - [01 Inventory](01_inventory.html): datasets, categories, openness, levels and why.
# - [02 Linkage graph](02_linkage_graph.html): which datasets link, through what, how strongly.
# - [03 Per dataset vs cumulative](03_per_dataset_vs_cumulative.html): the combinations that
#   reach a higher level than any member.
# - [04 Decision rules](04_decision_rules.html): all rules side by side, density sweep,
#   robustness.
# - [05 Openness criterion](05_openness_criterion.html): the services' and the CTIVD's reading
#   of leaked and paid data.
# - [06 Record-level validation](06_record_level_validation.html): the estimates checked
#   against a synthetic population, and one worked mosaic.
#
# ## Caveats
# The bundled inventory is **fictional** and the rulebook an **illustrative assumption**: the
# services' real criteria are not public in full. The numbers show how the decision rules
# behave on a plausible inventory, not what the real services hold. Linkage counts are
# expectations under stated assumptions (independent draws from a population, match quality
# per key); the robustness section of report 04 shows how far they move.
