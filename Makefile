# bulkimpact — two commands on a fresh machine: `make reports` and `make test`.
# Both create .venv with python3 -m venv and install the project into it when it is
# missing or pyproject.toml changed; a second run does not reinstall.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LAB_STAMP := $(VENV)/.lab-installed-stamp
WORKERS ?= 2

.PHONY: reports test lint notebooks lab lab-settings screenshots bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## The main job: the whole notebook suite on the bundled synthetic data into reports/.
reports: $(STAMP)
	$(BIN)/bulkimpact report --out reports --workers $(WORKERS)

## Lint, unit and property tests, doctests, notebook smoke tests.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -q

lint: $(STAMP)
	$(BIN)/ruff check .

## Paired .ipynb files next to the jupytext .py notebooks (for plain papermill / JupyterLab).
notebooks: $(STAMP)
	$(BIN)/bulkimpact notebooks --to-ipynb

## JupyterLab on the project: installs the lab extra (JupyterLab, jupytext, ipywidgets),
## makes the .py notebooks open as notebooks, and opens the scenario panel.
lab: $(LAB_STAMP) lab-settings
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) \
	    --LabApp.default_url=/lab/tree/notebooks/scenario_panel.py

$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	touch $(LAB_STAMP)

## In this environment's JupyterLab only, double-clicking a .py file opens it as a notebook
## (jupytext's viewer; right-click > Open With > Editor still edits it as text).
LAB_SETTINGS_DIR ?= $(VENV)/share/jupyter/lab/settings
lab-settings:
	mkdir -p $(LAB_SETTINGS_DIR)/overrides.d
	printf '%s\n' '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}}' > $(LAB_SETTINGS_DIR)/overrides.d/bulkimpact.json

## Headless Chromium screenshots of reports/ (needs Debian's chromium).
screenshots: $(STAMP)
	$(BIN)/python -m bulkimpact.report.screenshots reports

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_policies.py
	$(BIN)/python benchmarks/bench_sweep.py

clean:
	rm -rf reports/*/ reports/index.html .pytest_cache .hypothesis
