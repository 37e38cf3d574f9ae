# bulkimpact — two commands on a fresh machine: `make reports` and `make test`.
# Both create .venv with python3 -m venv and install the project into it with the extra the
# target needs (pyproject.toml: report, synth, dask, lab, test) when it is missing or
# pyproject.toml changed; a second run does not reinstall. pip shows its progress (the README
# states typical times).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --progress-bar on --disable-pip-version-check
WORKERS ?= 2

.PHONY: reports test lint notebooks lab lab-settings screenshots bench clean
.PRECIOUS: $(VENV)/.installed-%

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

## One stamp per extra installed: .venv/.installed-<extra>. The test extra holds every other
## one, so after `make test` no target installs again.
$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	@if [ -f $(VENV)/.installed-test ] && [ $(VENV)/.installed-test -nt pyproject.toml ] \
	    && [ "$*" != test ]; then \
	  echo "bulkimpact[$*]: already installed with the test extra"; \
	else \
	  echo "Installing bulkimpact[$*] into $(VENV) (pip shows each download)…"; \
	  $(PIP) -e '.[$*]'; \
	fi
	touch $@

## The main job: the whole notebook suite on the bundled synthetic data into reports/.
reports: $(VENV)/.installed-all
	$(BIN)/bulkimpact report --out reports --force --workers $(WORKERS)

## Lint, unit and property tests, doctests, notebook smoke tests.
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

## Paired .ipynb files next to the jupytext .py notebooks, both languages (for JupyterLab).
## For plain papermill + nbconvert, copies in one language elsewhere (README, papermill):
## bulkimpact notebooks --to-ipynb --lang nl --out DIR.
notebooks: $(VENV)/.installed-report
	$(BIN)/bulkimpact notebooks --to-ipynb

## JupyterLab on the project: installs the lab extra (JupyterLab, jupytext, ipywidgets; not
## again after `make test`), makes the .py notebooks open as notebooks, and opens the
## scenario panel.
lab: $(VENV)/.installed-lab lab-settings
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) \
	    --LabApp.default_url=/lab/tree/notebooks/scenario_panel.py

## In this environment's JupyterLab only, double-clicking a .py file opens it as a notebook
## (jupytext's viewer; right-click > Open With > Editor still edits it as text).
LAB_SETTINGS_DIR ?= $(VENV)/share/jupyter/lab/settings
lab-settings:
	mkdir -p $(LAB_SETTINGS_DIR)/overrides.d
	printf '%s\n' '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}}' > $(LAB_SETTINGS_DIR)/overrides.d/bulkimpact.json

## Headless Chromium screenshots of reports/ (needs Debian's chromium).
screenshots: $(VENV)/.installed-report
	$(BIN)/python -m bulkimpact.report.screenshots reports

bench: $(VENV)/.installed-dask
	$(BIN)/python benchmarks/bench_policies.py
	$(BIN)/python benchmarks/bench_sweep.py

## Everything `make reports` writes (every page, both languages, the glossaries), keeping
## reports/README.md.
clean:
	find reports -mindepth 1 -not -name README.md -exec rm -rf {} +
	rm -rf .pytest_cache .hypothesis
