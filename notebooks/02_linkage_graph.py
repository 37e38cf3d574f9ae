# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The linkage graph: which datasets can be combined, through what, and how strongly
#
# **Question.** Which datasets can be linked to which, through which shared keys or
# quasi-identifiers, and how many persons are expected to be linked across each pair?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
out_dir = "reports"

# %% [markdown]
# ## Inputs and parameters

# %%
import networkx as nx
import pandas as pd
from IPython.display import Markdown, display

from bulkimpact.present import findings, plots

# Reports show whole cells: a reviewer cannot widen a truncated column.
pd.set_option("display.max_colwidth", None)

from bulkimpact.analysis import load_analysis

analysis = load_analysis(inventory, rulebook, openness, seed)
analysis.parameters_frame()

# %% [markdown]
# ## The graph
# Each circle is a dataset, coloured by its level on its own; each line a possible link.

# %%
G = analysis.graph
components = sorted(nx.connected_components(G), key=len, reverse=True)
giant = components[0]
isolated = sum(1 for c in components if len(c) == 1)
fig = plots.linkage_graph(
    G, analysis.rulebook.level_names(),
    f"{len(giant)} of {G.number_of_nodes()} datasets form one linked component",
    seed=seed)
plots.show_figure(
    fig,
    alt=(f"Network diagram of {G.number_of_nodes()} datasets and {G.number_of_edges()} links. "
         f"The largest linked component has {len(giant)} datasets; {isolated} datasets have no "
         "link. Node colour shows the level on its own, size the persons, line width the link "
         "strength."),
    caption="Linkage graph. Colour: level of the dataset on its own. Size: persons. "
            "Width: link strength.",
)
display(Markdown(
    f"- {findings.plural(len(components), 'connected component')}; sizes: "
    + ", ".join(str(len(c)) for c in components if len(c) > 1)
    + f"; {findings.plural(isolated, 'dataset')} without any link.\n"
    f"- Highest-degree datasets: " + ", ".join(
        f"{n} ({d} links)" for n, d in sorted(G.degree, key=lambda x: -x[1])[:5]) + "."
))

# %% [markdown]
# ## What carries the links

# %%
channels = pd.Series([ch for *_, e in G.edges(data=True)
                      for ch in e["keys"] + (["QIs"] if e["qis"] else [])]).value_counts()
fig = plots.links_by_channel(
    G, f"'{channels.index[0]}' carries the most links ({channels.iloc[0]})")
plots.show_figure(
    fig,
    alt="Bar charts of links per key namespace or quasi-identifier set: " + ", ".join(
        f"{k}: {v}" for k, v in channels.items()),
    caption="Left: links (edges) each key or QI set carries. Right: expected linked persons.",
)

# %% [markdown]
# ## Every link with its assumptions
# Expected shared persons and links are estimates (independent random draws from the
# population, match quality per key) unless the analyst stated a known overlap
# (`source = override`).

# %%
edges = analysis.edges_frame().sort_values("expected links", ascending=False)
overrides = int((edges["source"] == "override").sum())
display(Markdown(f"{findings.plural(len(edges), 'link')}, {overrides} with an analyst's "
                 "known overlap; the rest estimated."))
edges.style.format({"expected shared persons": "{:,.0f}", "expected links": "{:,.0f}",
                    "strength": "{:.4f}"}).hide(axis="index")

# %% [markdown]
# ## Caveats
# Links are *possible* combinations: a key shared between two datasets means records can be
# joined, not that anyone did. The formulas (overlap `n_a × n_b / N`, uniqueness
# `(1 − 1/C)^(n−1)`, links = overlap × match quality) are checked against a record-level
# synthetic population in report 06.
