# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Decision rules side by side: under-protection against escalation
#
# **Question.** For each decision rule (per dataset, whole component, k-hop neighbourhood,
# strong links only, minimal escalation, use-based authorisation): how many combinations are
# left under-protected, how many datasets are escalated, how many of those are of very slight
# intrusion on their own (the ministers' concern), and what does each rule cost when
# escalations and case-by-case authorisations are counted on one scale? Where does weighing
# whole components together escalate nearly everything, and which assumption moves the
# verdict most?

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
sweep_densities = [0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3]
sweep_replicates = 10
sweep_datasets = 30
robustness_draws = 50

# %% [markdown]
# ## Inputs and parameters

# %%
import pandas as pd
from IPython.display import Markdown, display

from bulkimpact.present import findings, plots, tables

# Reports show whole cells: a reviewer cannot widen a truncated column.
pd.set_option("display.max_colwidth", None)

from bulkimpact.analysis import load_analysis
from bulkimpact.evaluate import cheapest_full_protection
from bulkimpact.sweep import (
    SweepConfig,
    expand_scenarios,
    robustness,
    run_sweep,
    summarise_robustness,
)

analysis = load_analysis(inventory, rulebook, openness, seed, k=k, t=t, use_rate=use_rate,
                         horizon_years=horizon_years, max_set_size=max_set_size)
params = analysis.parameters_frame()
for name, value in (("sweep densities", sweep_densities),
                    ("sweep replicates per density", sweep_replicates),
                    ("datasets per sweep scenario", sweep_datasets),
                    ("robustness draws", robustness_draws)):
    params.loc[name] = str(value)
params

# %% [markdown]
# ## All decision rules on this inventory

# %%
ev = analysis.evaluation
frame = ev.to_frame()
display(Markdown("\n".join(f"- {line}"
                           for line in findings.policy_findings(ev, analysis.rulebook))))
tables.policy_table(frame)

# %%
best = cheapest_full_protection(ev)
fig = plots.policy_frontier(
    frame,
    (f"{best} protects every combination at the lowest burden "
     f"({frame.loc[best, 'total_burden']:,.1f} cost units)" if best
     else "No rule protects every combination"),
    pareto=ev.pareto)
plots.show_figure(
    fig,
    alt="Scatter plot of total burden in cost units (x) against under-protected exposure sets "
        f"(y) per decision rule; frontier: {', '.join(ev.pareto)}. " + "; ".join(
            f"{p}: burden {r['total_burden']:,.1f}, {int(r['under_protected'])} under-protected"
            for p, r in frame.iterrows()),
    caption="Total burden (escalation cost + a year of authorisations) against "
            "under-protection. Rules on the frontier are beaten by no other on both.",
)

# %% [markdown]
# ## Escalate once, or authorise every use?
# Case-by-case authorisation (`use_based`) escalates nothing but pays for every use of a
# combination that is heavier than its members, at the combination's level. Investigations
# combine their datasets as often as the inventory says; every other possible combination is
# used at an assumed yearly rate. Above the break-even rate, authorising every use costs more
# than escalating once.

# %%
from bulkimpact.evaluate import authorisation_burden_line

fixed, per_use = authorisation_burden_line(
    ev.sets, ev.outcomes["minimal_escalation"].own_level, analysis.rulebook)
rate = ev.break_even_use_rate
escalation = ev.outcomes["minimal_escalation"].total_burden
if rate is None:
    verdict = ("No combination outside the investigations needs an authorisation, so the use "
               "rate does not matter.")
    title = "The use rate does not move the comparison"
else:
    cheaper = "use_based" if use_rate < rate else "minimal_escalation"
    verdict = (f"Break-even at {rate:.3g} uses a year per possible combination: at the assumed "
               f"rate of {use_rate:g}, **{cheaper}** is the cheaper way to protect every "
               f"combination ({ev.outcomes['use_based'].total_burden:,.1f} against "
               f"{escalation:,.1f} cost units over {horizon_years:g} year(s)).")
    title = f"Authorising every use costs more than escalating above {rate:.3g} uses a year"
fig = plots.break_even(fixed, per_use, escalation, horizon_years, use_rate, rate, title)
plots.show_figure(
    fig,
    alt=f"Line chart on a logarithmic use-rate axis. Case-by-case authorisation costs "
        f"{horizon_years:g} × ({fixed:,.2f} + rate × {per_use:,.2f}) cost units; minimal "
        f"escalation costs {escalation:,.1f} once. {verdict}",
    caption="Burden of the two rules that protect every combination, as the use rate of "
            "combinations outside investigations varies; investigations' own rates fixed.",
)
display(Markdown(verdict))

# %% [markdown]
# ## Regime per dataset under each rule
# The own level first, then the regime each rule assigns; escalations are what differs from
# the first column (outlined, with an arrow). Datasets that keep their own level under every
# rule are left out of the picture and counted below it.

# %%
regimes = ev.regimes()
level_names = analysis.rulebook.level_names()
raised_by = regimes.drop(columns="own_level").gt(regimes["own_level"], axis=0)
escalated_any = regimes[raised_by.any(axis=1)]
counts = raised_by.sum()
most = counts.idxmax()
# the protecting rule that escalates least (use_based escalates nothing: it authorises uses)
protecting = [r for r, o in ev.outcomes.items()
              if o.under_protected == 0 and r != most and counts.get(r, 0) > 0]
fewest = min(protecting, key=lambda r: counts[r]) if protecting else None
if len(escalated_any):
    title = f"{most} raises {counts[most]} of {len(regimes)} datasets"
    if fewest is not None:
        title += (f"; {fewest} raises {counts[fewest]} and still leaves no combination "
                  "under-protected")
    fig = plots.regime_heatmap(escalated_any, level_names, title)
    plots.show_figure(
        fig, alt=plots.regimes_alt(escalated_any, level_names),
        caption="Regime level of each dataset that some rule raises: first its own level, then "
                "the level each rule assigns. Outlined cells with an arrow are raised above the "
                "own level.")
kept = len(regimes) - len(escalated_any)
display(Markdown(
    f"{findings.plural(len(escalated_any), 'dataset')} of {len(regimes)} are escalated by at "
    f"least one rule; the other {findings.plural(kept, 'dataset')} "
    f"{'keeps its' if kept == 1 else 'keep their'} own level under every rule. Datasets raised, "
    "per rule: " + ", ".join(f"{rule} {n}" for rule, n in counts.items()) + "."))

# %% [markdown]
# ## Sweep over linkage density: where the component rule escalates nearly everything
# Random fictional inventories (seeded) in which each dataset holds each of ten key namespaces
# with the given probability. As density grows, a giant linked component appears
# (percolation) and the component rule drags most datasets into the heaviest regime it
# contains; the optimal rule needs far fewer escalations.

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
crossing = mean.index[mean["component"] >= 0.5]
at = crossing[0] if len(crossing) else None
title = (f"From density {at:g} the component rule escalates half of all datasets or more"
         if at is not None else "The component rule stays below half of the datasets here")
fig = plots.density_sweep(ok, title)
plots.show_figure(
    fig,
    alt="Two line charts against linkage density. Left: percentage of datasets escalated per "
        "rule and the size of the largest linked component. Right: under-protected sets. "
        + "; ".join(f"density {d:g}: component {100 * r['component']:.0f}%, minimal "
                    f"{100 * r['minimal_escalation']:.0f}%" for d, r in mean.iterrows()),
    caption=f"{len(ok) // len(config.policies)} scenarios of {sweep_datasets} datasets "
            f"({sweep_replicates} per density); {len(failed)} failed.",
)
display(Markdown(
    f"At the highest density swept ({max(sweep_densities):g}) the component rule escalates "
    f"{100 * mean['component'].iloc[-1]:.0f}% of datasets on average; minimal escalation "
    f"{100 * mean['minimal_escalation'].iloc[-1]:.0f}%, leaving no combination "
    f"under-protected. Failed scenarios: {len(failed)}."))
(100 * mean).round(1).rename_axis(columns="% of datasets escalated")

# %% [markdown]
# ## What changes if: one assumption at a time
# Every assumption behind the headline is moved to the low and to the high end of its range,
# the others held as stated: the linkage estimates (overlaps, quasi-identifier cardinalities,
# match quality) and the rulebook's own assumptions (person thresholds, the share unique for
# quasi-identifiers to identify, the number of categories that make a broad-profile mosaic,
# the cost of an authorisation), and the use rate of combinations outside investigations.

# %%
from bulkimpact.sensitivity import (
    ASSUMPTIONS,
    HEADLINE_QUANTITIES,
    biggest_mover,
    tornado,
)

table = tornado(analysis.inventory, analysis.rulebook, openness, analysis.params)
stated = table.iloc[0]
movers = {q: biggest_mover(table, q) for q in HEADLINE_QUANTITIES}
flips = table[(table["end"] != "stated")
              & (table["cheapest_full_protection"] != stated["cheapest_full_protection"])]
top_q = max(movers, key=lambda q: abs(movers[q][2] - movers[q][1]) / max(abs(stated[q]), 1e-9))
name, lo, hi = movers[top_q]
sentences = [
    f"Relative to its stated value, the assumption that moves a headline figure most is "
    f"**{ASSUMPTIONS[name].label}**: {HEADLINE_QUANTITIES[top_q]} goes from {lo:,.4g} (low "
    f"end) to {hi:,.4g} (high end), against {stated[top_q]:,.4g} as stated."]
if len(flips):
    sentences.append(
        "The verdict (the cheapest rule that protects every combination, "
        f"**{stated['cheapest_full_protection']}** as stated) changes under "
        + "; ".join(f"{ASSUMPTIONS[r['assumption']].label} at its {r['end']} end "
                    f"(→ {r['cheapest_full_protection']})" for _, r in flips.iterrows()) + ".")
else:
    sentences.append(f"No single assumption at either end of its range changes the verdict: "
                     f"**{stated['cheapest_full_protection']}** stays the cheapest rule that "
                     "protects every combination.")
fig = plots.tornado(table, HEADLINE_QUANTITIES,
                    f"{ASSUMPTIONS[name].label.split(' (')[0].capitalize()} moves the headline "
                    "most")
plots.show_figure(
    fig,
    alt="Four tornado charts, one per headline figure, with one bar per assumption from its "
        "low-end to its high-end value. " + " ".join(
            f"{HEADLINE_QUANTITIES[q]}: widest swing {ASSUMPTIONS[m[0]].label} "
            f"({m[1]:,.4g} to {m[2]:,.4g})." for q, m in movers.items()),
    caption="Each bar: the headline figure with one assumption at the low (light) or high "
            "(dark) end of its range, all others as stated; the line is the stated value.",
)
display(Markdown("\n".join(f"- {x}" for x in sentences)))
tables.sensitivity_table(table)

# %% [markdown]
# ## Robustness: all assumptions drawn at once
# Monte Carlo over the same ranges (multiplicative factors log-uniform, the others uniform).
# Intervals are 5–95 % of the draws.

# %%
draws = robustness(analysis.inventory, analysis.rulebook, openness, draws=robustness_draws,
                   seed=seed, params=analysis.params)
summary = summarise_robustness(draws)
fig = plots.robustness_intervals(
    summary, {"under_protected": "under-protected exposure sets",
              "total_burden": "total burden (cost units)"},
    f"Per-dataset assessment leaves {summary.loc['per_dataset', ('under_protected', 'low')]:.0f}"
    f"–{summary.loc['per_dataset', ('under_protected', 'high')]:.0f} sets under-protected "
    "across draws")
plots.show_figure(
    fig,
    alt="Interval plots per decision rule (median and 5–95% interval) of under-protected sets "
        "and total burden: " + "; ".join(
            f"{p}: under-protected {r[('under_protected', 'median')]:.0f} "
            f"[{r[('under_protected', 'low')]:.0f}–{r[('under_protected', 'high')]:.0f}], "
            f"burden {r[('total_burden', 'median')]:,.1f} "
            f"[{r[('total_burden', 'low')]:,.1f}–{r[('total_burden', 'high')]:,.1f}]"
            for p, r in summary.iterrows()),
    caption=f"{robustness_draws} draws of all uncertain inputs; median and 5–95% interval.",
)
tables.interval_table(summary, ["under_protected", "escalated", "escalated_slight",
                                "total_burden"])

# %% [markdown]
# ## What it means
# The two claims are about different rules: under-protection is what the per-dataset rule
# leaves (the CTIVD's point), escalation is what the component rule costs (the ministers'
# point). The rules in between show how much of each a decision framework has to accept.

# %%
o = ev.outcomes
lines = findings.dispute_verdict(ev, analysis.rulebook)
if best is not None and "component" in o and o["component"].total_burden > 0:
    lines.append(f"On this inventory, {best} costs "
                 f"{o[best].total_burden / o['component'].total_burden:.0%} of the component "
                 "rule's burden.")
display(Markdown("\n".join(f"- {line}" for line in lines)))

# %% [markdown]
# ## Caveats
# - Minimal escalation is optimal (proven, zero gap) for the exposure sets judged: links,
#   investigations and linked combinations of up to the stated number of datasets heavier
#   than their parts; judging
#   k-hop neighbourhoods or whole components as exposure sets demands more. Its optimum is not
#   monotone: a new dataset can move an escalation from one set to another.
# - Case-by-case authorisation (`use_based`) assumes that **every use is authorised before it
#   happens**, at the combination's level; the burden counts those authorisations, not the
#   cost of a use that slips through. The authorisation costs per level, the use rates and the
#   horizon are assumptions, shown above with the break-even rate and the tornado.
# - The sweep's inventories are random and fictional; the rulebook is illustrative.
