"""Shared fixtures for the core test suite.

``tests/helpers.py`` holds the builders (inventory dicts, the tiny test
rulebook, hand-made graphs); this file makes it importable under pytest's
``--import-mode=importlib`` and exposes the rulebooks as session fixtures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import (  # noqa: E402
    TINY_RULEBOOK_YAML,
    dataset,
    field,
    inventory_data,
    key_field,
    write_inventory,
)

from bulkimpact.rulebook import Rulebook, default_rulebook_path, load_rulebook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = "data/synthetic/baseline.yaml"

#: Test files with the longest end-to-end runs (the wheel, the notebook suite, batches,
#: Dask), longest first. ``make test`` hands whole files to its two workers in collection
#: order (``--dist loadfile --no-loadscope-reorder``): these start first, so that no worker
#: is left with one at the end while the other idles.
LONGEST_FIRST = ("test_wheel.py", "test_notebooks.py", "test_report_batch.py",
                 "test_papermill.py", "test_report_broken_input.py", "test_sweep_scheduler.py",
                 "test_sweep.py", "test_exchange.py", "test_timeline.py", "test_policies.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the longest test files first (see :data:`LONGEST_FIRST`).

    Each file runs on one worker (``--dist loadfile``), so a module's expensive fixtures
    (a report batch, the notebook suite) run once. (``xdist_group`` markers no longer group
    anything with pytest 9: pytest-xdist 3.8 renames node ids in a way pytest 9 ignores.)
    """
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
RULEBOOK = "data/rulebooks/default.yaml"


@pytest.fixture(scope="session")
def default_rulebook() -> Rulebook:
    """The bundled illustrative rulebook."""
    return load_rulebook(default_rulebook_path())


@pytest.fixture(scope="session")
def tiny_rulebook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny four-level test rulebook, written to a temporary file."""
    path = tmp_path_factory.mktemp("rulebooks") / "tiny.yaml"
    path.write_text(TINY_RULEBOOK_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_rulebook(tiny_rulebook_path: Path) -> Rulebook:
    """The tiny test rulebook, loaded (see ``helpers.TINY_RULEBOOK_YAML``)."""
    return load_rulebook(tiny_rulebook_path)


@pytest.fixture
def small_inventory(tmp_path: Path) -> Path:
    """A leaked forum (e-mail + username), an ad-tech set (username + location) and a
    health app (device + special category), with one investigation."""
    return write_inventory(tmp_path, inventory_data([
        dataset("forum", [key_field("email", "contact"), key_field("username")],
                source="leaked", leaked=True),
        dataset("adtech", [key_field("username"), key_field("device"), field("gps", "location")],
                source="purchased", paid=True),
        dataset("health", [key_field("device"), field("diagnosis", "special_category")]),
    ], investigations=[{"id": "op", "datasets": ["forum", "adtech"]}]))


#: Parameters that keep each notebook to seconds (defaults are sized for reports).
TINY = {
    "04_decision_rules_appendix": {"sweep_densities": [0.0, 0.2], "sweep_replicates": 2,
                          "sweep_datasets": 8, "robustness_draws": 4},
    "06_record_level_validation": {"world_persons": 30_000, "uniqueness_persons": 20_000,
                                   "mosaic_persons": 20_000},
}


@pytest.fixture(scope="session")
def notebook_suite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every bundled notebook run once on the baseline, as ``bulkimpact report`` runs it.

    Per notebook stem: status, error, output text, the English HTML, both pages and the
    source; ``"__out__"`` is the output folder. Every test that reads a report of the
    bundled notebooks is in tests/test_notebooks.py, so that one worker runs this batch.
    """
    from dataclasses import replace

    from bulkimpact.report.batch import make_jobs, run_jobs
    from bulkimpact.report.notebooks import find_notebooks
    from bulkimpact.report.pages import write_index_pages

    out = tmp_path_factory.mktemp("reports")
    notebooks = find_notebooks(ROOT / "notebooks")
    assert len(notebooks) >= 7
    jobs = [replace(job, params=TINY.get(job.notebook.stem, {}))
            for job in make_jobs(notebooks, [INVENTORY], RULEBOOK, out_dir=out, cwd=ROOT,
                                 timeout=300)]
    results, interrupted = run_jobs(jobs, workers=2, progress=False)
    assert not interrupted
    write_index_pages(out, results, 0.0, None, [], ("nl", "en"))
    found = {"__out__": out}
    for result in results:
        stem = result.job.notebook.stem
        executed = json.loads((out / "baseline" / f"{stem}.ipynb").read_text())
        texts = []
        for cell in executed["cells"]:
            for output in cell.get("outputs", []):
                for kind in ("text/markdown", "text/plain", "text/html"):
                    data = output.get("data", {}).get(kind)
                    if data:
                        texts.append("".join(data) if isinstance(data, list) else data)
                if output.get("name") == "stdout":
                    texts.append("".join(output.get("text", "")))
        pages = {lang: (out / "baseline" / f"{stem}.{lang}.html").read_text()
                 for lang in ("nl", "en")}
        found[stem] = {"status": result.status, "error": result.error,
                       "text": "\n".join(texts), "html": pages["en"], "pages": pages,
                       "source": result.job.notebook.file.path.read_text()}
    return found
