# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Scenario panel: what if the inventory, the reading or the rules change?
#
# Pick the inventory and the reading of the openness criterion, move the decision rules'
# parameters, or untick datasets to destroy them (and tick them to hold them again). The
# headline table (every decision rule under the three headline readings) and the frontier
# of the chosen reading follow; the status line says how long the update took. Run all
# cells first (Run > Run All Cells).
#
# The panel is `bulkimpact.present.panel`; everything it shows is computed by the package.
# The bundled inventories are fictional and the bundled rulebook is an illustrative
# assumption. This notebook is for JupyterLab (`make lab`); the HTML reports
# (`make reports`) do not include it.

# %% tags=["parameters"]
inventory = None  # a path, or None for the bundled data/synthetic/baseline.yaml
rulebook = None  # a path, or None for the bundled data/rulebooks/default.yaml
openness = "services"  # the ministers' reading first; any variant of the rulebook

# %%
from bulkimpact.analysis import load_analysis
from bulkimpact.present.panel import scenario_panel

panel = scenario_panel(load_analysis(inventory, rulebook, openness))
panel
