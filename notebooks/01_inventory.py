# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The inventory: what is held, about whom, and how heavy each dataset is on its own
#
# **Question.** Before weighing datasets together: what does each dataset hold, is it
# publicly accessible under each reading of the openness criterion, and which regime does the
# rulebook give it on its own nature (the status quo)?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
out_dir = "reports"

# %% [markdown]
# ## Inputs and parameters

# %%
import pandas as pd
from IPython.display import Markdown, display

from bulkimpact.present import findings, plots

# Reports show whole cells: a reviewer cannot widen a truncated column.
pd.set_option("display.max_colwidth", None)

from bulkimpact.analysis import load_analysis

analysis = load_analysis(inventory, rulebook, openness, seed)
analysis.parameters_frame()

# %% [markdown]
# ## Datasets
# Each dataset with its source, size, the categories of data it holds, and its level on its
# own under the selected openness reading, with the rules that fired.

# %%
datasets = analysis.datasets_frame()
display(Markdown(
    f"{findings.plural(len(datasets), 'dataset')}; sources: "
    + ", ".join(f"{n} {s}" for s, n in datasets['source'].value_counts().items()) + "."
))
datasets

# %% [markdown]
# ## Levels under each reading of the openness criterion

# %%
levels = analysis.levels_by_openness()
counts = analysis.level_counts(levels)
heavy = {v: int((levels[v] >= 2).sum()) for v in levels.columns}
most = max(heavy, key=heavy.get)
fig = plots.levels_by_variant(
    counts, f"{heavy[most]} datasets reach level 2 or above under the {most} reading, "
            "the most of any reading")
plots.show_figure(fig, alt=plots.levels_alt(counts),
                  caption="Datasets per level on their own, by openness reading.")
counts

# %% [markdown]
# ## The rulebook that produced these levels
# Every rule has a label, a rationale and a source, or is marked an assumption.

# %%
pd.DataFrame([{
    "rule": r.id, "label": r.label, "kind": r.kind, "minimum level": analysis.level_name(r.level),
    "rationale": r.rationale, "source": r.source or "",
    "assumption": "yes" if r.assumption else "no",
} for r in analysis.rulebook.rules]).set_index("rule")

# %% [markdown]
# ## What it means
# The levels above are the *status quo*: each dataset judged only by what it holds. The
# following reports ask what happens when sets that can be linked are combined.
#
# ## Caveats
# The inventory is fictional and the rulebook an illustrative assumption (see the banner).
# "Public" depends on the openness reading: the services count leaked and purchased data as
# publicly accessible, the CTIVD does not.
