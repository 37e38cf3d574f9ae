# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Per dataset or together: the combinations that are heavier than any of their parts
#
# **Question.** Which linked combinations of datasets reach a higher level than per-dataset
# assessment gives any of their members, how many persons are linked in them, and which
# categories of data meet there (the *mosaic*)?

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "ctivd"
seed = 0
out_dir = "reports"
top = 25

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
# ## Exposure sets: every link, every investigation, every chain heavier than its parts
# The cumulative level of a linked set is the level of its union profile (categories
# together, identifiability carried across links, persons linked, public only if every member
# is) and never below its heaviest member.

# %%
from bulkimpact.persons import distinct_linked_persons

sets = analysis.sets_frame()
raised = sets[sets["raised"]]
raised_sets = [(s.members, s.persons) for s in analysis.sets if s.raised]
by_kind = raised["kind"].value_counts()
display(Markdown(
    f"Of **{findings.plural(len(sets), 'exposure set')}**, **{len(raised)}** "
    f"({findings.percent(len(raised), len(sets))}) reach a higher level together than any "
    f"member alone (" + ", ".join(f"{n} {k}" for k, n in by_kind.items()) + "). "
    f"Together they link an expected **"
    f"{findings.plural(distinct_linked_persons(analysis.graph, raised_sets), 'distinct person')}"
    "** (each person once, however many of these sets hold them)."
))
groups = plots.raised_groups(sets)
names = analysis.rulebook.level_names()
jumps = groups.groupby(["member_level", "level"], sort=False)["count"].sum() \
    .sort_values(ascending=False, kind="stable")
if len(jumps):
    (m_top, l_top), n_top = jumps.index[0], int(jumps.iloc[0])
    title = (f"{len(raised)} combinations are heavier than any of their members; "
             f"{n_top} of them join {names[m_top]} datasets into a {names[l_top]} combination")
else:
    title = "0 combinations are heavier than any of their members"
fig = plots.raised_sets(sets, names, title)
plots.show_figure(
    fig,
    alt=f"Two-panel chart of the {len(raised)} combinations that reach a higher level together "
        "than any member alone, grouped by kind and by the jump from the highest member level "
        "to the combination's level. " + "; ".join(
            f"{g.count} {g.kind} set(s) from {g.member_level} {names[g.member_level]} to "
            f"{g.level} {names[g.level]}, linking {g.persons_min:,.0f} to {g.persons_max:,.0f} "
            f"persons each (largest: {g.largest})" for g in groups.itertuples()) + ".",
    caption="Left: the jump in level, one row per kind of combination and jump; the number is "
            "how many combinations make it. Right: linked persons in each of those "
            "combinations (one dot each, log scale), the largest named.",
)

# %% [markdown]
# ## The mosaic: which categories meet where
# For each raised combination, what each member brings, and the rules that fire only on the
# combination.

# %%
G = analysis.graph
rb = analysis.rulebook
rows = []
for s in sorted((s for s in analysis.sets if s.raised), key=lambda s: -s.persons)[:top]:
    own_rules = set().union(*(G.nodes[m]["rules"] for m in s.members))
    rows.append({
        "combination": " + ".join(s.members),
        "what each member brings": " | ".join(
            f"{m}: {', '.join(G.nodes[m]['categories'])}" for m in s.members),
        "levels alone": ", ".join(str(G.nodes[m]["level"]) for m in s.members),
        "level together": analysis.level_name(s.level),
        "rules firing only together": ", ".join(
            rb.rule(r).label for r in s.rules if r not in own_rules),
        "linked persons": s.persons,
    })
mosaic = pd.DataFrame(rows)
if len(mosaic):
    common = mosaic["rules firing only together"].str.split(", ").explode().value_counts()
    display(Markdown(f"The rule that most often fires only on a combination: "
                     f"**{common.index[0]}** ({findings.plural(common.iloc[0], 'combination')})."))
mosaic.style.format({"linked persons": "{:,.0f}"}).hide(axis="index")

# %% [markdown]
# ## What it means
# Each raised combination is one the per-dataset regime does not see: its members sit in
# lighter regimes, so staff with access to each member can join them into something the
# rulebook itself would place higher. Report 04 compares the decision rules that close
# this gap and what they cost.
#
# ## Caveats
# "Linked persons" is the largest expected number of persons joined across any one link in
# the set (a lower bound for the set). Exposure sets are every link and every investigation's
# linked part; larger combinations (k-hop neighbourhoods, whole components) can be added with
# the `include` parameter of `bulkimpact assess`.
