"""The real notebook suite, run with tiny parameters through the batch driver.

Each notebook must run to the end on the bundled baseline, and what it says
must agree with the package computed directly: the findings are computed,
never typed in, so a wrong number here is a wrong number in a report.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from bulkimpact.analysis import load_analysis
from bulkimpact.evaluate import cheapest_full_protection
from bulkimpact.present.findings import dispute_verdict, openness_findings, readings_verdict
from bulkimpact.report.batch import make_jobs, run_jobs
from bulkimpact.report.notebooks import find_notebooks
from bulkimpact.report.render import external_loads

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = "data/synthetic/baseline.yaml"
RULEBOOK = "data/rulebooks/default.yaml"

#: Parameters that keep each notebook to seconds (defaults are sized for reports).
TINY = {
    "04_decision_rules": {"sweep_densities": [0.0, 0.2], "sweep_replicates": 2,
                          "sweep_datasets": 8, "robustness_draws": 4},
    "06_record_level_validation": {"world_persons": 30_000, "uniqueness_persons": 20_000,
                                   "mosaic_persons": 20_000},
}


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Run every notebook once; return per notebook its status, output text and HTML."""
    out = tmp_path_factory.mktemp("reports")
    notebooks = find_notebooks(ROOT / "notebooks")
    assert len(notebooks) >= 7
    jobs = [replace(job, params=TINY.get(job.notebook.stem, {}))
            for job in make_jobs(notebooks, [INVENTORY], RULEBOOK, out_dir=out, cwd=ROOT,
                                 timeout=300)]
    results, interrupted = run_jobs(jobs, workers=2, progress=False)
    assert not interrupted
    found = {}
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
        found[stem] = {"status": result.status, "error": result.error,
                       "text": "\n".join(texts),
                       "html": (out / "baseline" / f"{stem}.html").read_text()}
    return found


@pytest.fixture(scope="module")
def analysis():
    return load_analysis(ROOT / INVENTORY, ROOT / RULEBOOK, "ctivd")


def test_every_notebook_runs_and_renders_self_contained(suite: dict[str, dict]) -> None:
    for stem, nb in suite.items():
        assert nb["status"] == "OK", f"{stem}: {nb['error']}"
        assert external_loads(nb["html"]) == [], stem
        assert "load_analysis(" not in nb["html"], f"{stem} shows code input"
        assert "Fictional data" in nb["html"] and "Illustrative rulebook" in nb["html"], stem
        assert 'alt="' in nb["html"] or stem == "00_overview" or "<img" not in nb["html"]


def test_overview_states_both_claims_as_computed(suite, analysis) -> None:
    text = suite["00_overview"]["text"]
    for sentence in dispute_verdict(analysis.evaluation, analysis.rulebook):
        assert sentence in text
    evaluations = {r: a.evaluation for r, a in analysis.readings().items()}
    assert list(evaluations) == ["services", "ctivd", "ctivd_no_purchased"]
    verdicts = readings_verdict(evaluations, analysis.rulebook)
    assert verdicts[0].startswith("Under the services' reading")  # the ministers' own first
    for sentence in verdicts:
        assert sentence in text
    assert f"**{analysis.graph.number_of_edges()} links**" in text


def test_inventory_lists_every_dataset_with_its_level(suite, analysis) -> None:
    text = suite["01_inventory"]["text"]
    assert f"{len(analysis.inventory.datasets)} datasets; sources:" in text
    for d in analysis.inventory.datasets:
        assert d.id in text


def test_linkage_graph_names_the_largest_component(suite, analysis) -> None:
    giant = max(len(c) for c in nx.connected_components(analysis.graph))
    assert (f"{giant} of {analysis.graph.number_of_nodes()} datasets form one linked component"
            in suite["02_linkage_graph"]["text"])


def test_cumulative_counts_the_raised_combinations(suite, analysis) -> None:
    raised = sum(s.raised for s in analysis.sets)
    assert raised > 0
    assert f"**{raised}**" in suite["03_per_dataset_vs_cumulative"]["text"]
    assert f"{raised} combinations are heavier than any of their members" in \
        suite["03_per_dataset_vs_cumulative"]["html"]


def test_decision_rules_sweep_and_robustness_ran(suite, analysis) -> None:
    text = suite["04_decision_rules"]["text"]
    assert "Failed scenarios: 0." in text
    ev = analysis.evaluation
    best = cheapest_full_protection(ev)
    assert (f"{best} protects every combination at the lowest burden "
            f"({ev.outcomes[best].total_burden:,.1f} cost units)") in suite[
        "04_decision_rules"]["html"]
    rate = ev.break_even_use_rate
    assert f"Break-even at {rate:.3g} uses a year per possible combination" in text
    assert "moves a headline figure most" in text


def test_openness_reports_the_datasets_that_change(suite, analysis) -> None:
    import pandas as pd

    a, b = analysis.with_openness("services"), analysis.with_openness("ctivd")
    levels = pd.DataFrame({"services": pd.Series(dict(a.graph.nodes(data="level"))),
                           "ctivd": pd.Series(dict(b.graph.nodes(data="level")))})
    persons = pd.Series({d.id: d.persons for d in analysis.inventory.datasets})
    (sentence,) = openness_findings(levels, ["services", "ctivd"], persons)
    assert sentence in suite["05_openness_criterion"]["text"]


def test_record_level_validation_names_persons_and_checks_estimates(suite) -> None:
    text = suite["06_record_level_validation"]["text"]
    assert "persons are named" in text
    assert "are unique on date_of_birth + pc4" in text
    assert "of exact overlaps lie within three standard deviations" in text
