"""Sweeps and robustness: seeded scenarios, same numbers on Dask, failures recorded."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from bulkimpact.assessor import evaluate_policies
from bulkimpact.cli import main
from bulkimpact.examples import toy_inventory, toy_rulebook
from bulkimpact.inventory import load_inventory
from bulkimpact.linkage import build_linkage_graph
from bulkimpact.policies import FAST_POLICIES
from bulkimpact.rulebook import default_rulebook_path, load_rulebook
from bulkimpact.sensitivity import ASSUMPTIONS
from bulkimpact.sweep import (
    Scenario,
    SweepConfig,
    expand_scenarios,
    random_inventory,
    robustness,
    run_scenario,
    run_sweep,
    scale_rulebook,
    summarise_robustness,
)


def test_scenario_seeds_are_stable_and_distinct() -> None:
    cfg = SweepConfig(seed=7, replicates=3, grid={"density": [0.01, 0.1]})
    first, again = expand_scenarios(cfg), expand_scenarios(cfg)
    assert [s.seed for s in first] == [s.seed for s in again]
    assert len({s.seed for s in first}) == 6
    other = expand_scenarios(SweepConfig(seed=8, replicates=3, grid={"density": [0.01, 0.1]}))
    assert {s.seed for s in first}.isdisjoint(s.seed for s in other)


def test_linkage_density_controls_the_graph() -> None:
    """Mean degree grows with the shared-key density; the random-graph model links pairs."""
    rb = load_rulebook(default_rulebook_path())

    def mean_edges(model: str, density: float) -> float:
        counts = []
        for seed in range(8):
            inv, tax = random_inventory(seed, 20, model, density)
            counts.append(build_linkage_graph(inv, rb, "ctivd", tax).number_of_edges())
        return sum(counts) / len(counts)

    assert mean_edges("shared_key", 0.02) < mean_edges("shared_key", 0.3)
    # Erdős–Rényi: 190 pairs at p = 0.5 is about 95 key links (plus any QI links).
    assert mean_edges("random_graph", 0.5) >= 80
    with pytest.raises(ValueError, match="model must be 'shared_key' or 'random_graph'"):
        random_inventory(1, model="lattice")


def test_component_rule_escalates_more_as_the_graph_percolates() -> None:
    cfg = SweepConfig(seed=1, replicates=8, policies=["component", "per_dataset"],
                      grid={"n_datasets": [20], "density": [0.0, 0.3]})
    df = run_sweep(expand_scenarios(cfg), cfg.policies, serial=True)
    share = (df[df["policy"] == "component"].groupby("density")["escalated"].mean() / 20)
    assert share[0.3] > share[0.0]
    assert (df[df["policy"] == "per_dataset"]["escalated"] == 0).all()


def test_dask_local_cluster_gives_the_serial_numbers() -> None:
    cfg = SweepConfig(seed=3, replicates=3, policies=list(FAST_POLICIES),
                      grid={"n_datasets": [10], "density": [0.05, 0.2]})
    scenarios = expand_scenarios(cfg)
    serial = run_sweep(scenarios, cfg.policies, serial=True)
    cluster = run_sweep(scenarios, cfg.policies, workers=2, chunk_size=2)
    pd.testing.assert_frame_equal(serial, cluster)
    assert len(serial) == len(scenarios) * len(FAST_POLICIES)


def test_a_failing_scenario_is_recorded_and_the_rest_go_on() -> None:
    rb = str(default_rulebook_path())
    good = Scenario(index=0, seed=1, n_datasets=5, rulebook=rb)
    bad = Scenario(index=1, seed=2, n_datasets=5, rulebook=rb, openness="no-such-reading")
    df = run_sweep([good, bad], ["per_dataset"], serial=True)
    failed = df[df["error"] != ""]
    assert list(failed["index"]) == [1] and list(failed["seed"]) == [2]
    assert "unknown openness variant 'no-such-reading'" in failed["error"].iloc[0]
    assert (df.loc[df["index"] == 0, "error"] == "").all()


def test_run_scenario_matches_a_direct_evaluation() -> None:
    rb = load_rulebook(default_rulebook_path())
    s = Scenario(index=0, seed=11, n_datasets=12, density=0.2,
                 rulebook=str(default_rulebook_path()))
    rows = {r["policy"]: r for r in run_scenario(s, ["per_dataset", "minimal_escalation"])}
    inv, tax = random_inventory(11, 12, "shared_key", 0.2)
    G = build_linkage_graph(inv, rb, "ctivd", tax)
    ev = evaluate_policies(G, rb, ["per_dataset", "minimal_escalation"])
    for name, outcome in ev.outcomes.items():
        assert rows[name]["under_protected"] == outcome.under_protected
        assert rows[name]["escalation_cost"] == outcome.escalation_cost
    assert rows["per_dataset"]["largest_component"] == max(
        len(c) for c in nx.connected_components(G))


def test_threshold_scale_moves_person_thresholds_only() -> None:
    rb = load_rulebook(default_rulebook_path())
    half = scale_rulebook(rb, 0.5)
    for before, after in zip(rb.rules, half.rules, strict=True):
        if before.when.min_persons:
            assert after.when.min_persons == before.when.min_persons * 0.5
        assert after.level == before.level and after.id == before.id


def test_robustness_without_uncertainty_reproduces_the_point_estimate() -> None:
    """Degenerate ranges: every draw is the unperturbed inventory, so the interval is a point."""
    fixed = {name: (a.neutral, a.neutral) for name, a in ASSUMPTIONS.items()}
    draws = robustness(toy_inventory(), toy_rulebook(), "services", draws=4, ranges=fixed)
    summary = summarise_robustness(draws)
    point = evaluate_policies(build_linkage_graph(toy_inventory(), toy_rulebook(), "services"),
                              toy_rulebook()).to_frame()
    for policy in point.index:
        for metric in ("under_protected", "escalated", "escalation_cost"):
            assert summary.loc[policy, (metric, "low")] == point.loc[policy, metric]
            assert summary.loc[policy, (metric, "high")] == point.loc[policy, metric]


def test_robustness_varies_the_rulebooks_assumptions_too() -> None:
    """Only the mosaic-breadth count varies (4–6): the draws record it, and the
    under-protected sets move with it on the baseline."""
    fixed = {name: (a.neutral, a.neutral) for name, a in ASSUMPTIONS.items()}
    fixed["breadth_categories"] = (4, 6)
    inv = load_inventory("data/synthetic/baseline.yaml")
    draws = robustness(inv, toy_rulebook(), "ctivd", draws=6, seed=2,
                       policies=["per_dataset"], params={"max_set_size": 2})
    assert draws["breadth_categories"].between(4, 6).all()
    assert draws["under_protected"].nunique() > 1


def test_robustness_intervals_widen_with_uncertainty() -> None:
    draws = robustness(toy_inventory(), toy_rulebook(), "services", draws=30, seed=5,
                       policies=["per_dataset"])
    summary = summarise_robustness(draws)
    assert summary.loc["per_dataset", ("under_protected_persons", "high")] > summary.loc[
        "per_dataset", ("under_protected_persons", "low")]


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(text)
    return path


def _fail_on_seven_datasets(monkeypatch) -> None:
    """A scenario of 7 datasets fails when it runs (a configuration cannot ask for a
    failing one any more: sizes are checked on load)."""
    import bulkimpact.sweep.runner as runner

    real = runner.random_inventory

    def flaky(seed, n_datasets, *args, **kwargs):
        if n_datasets == 7:
            raise ValueError("a scenario that fails when it runs")
        return real(seed, n_datasets, *args, **kwargs)

    monkeypatch.setattr(runner, "random_inventory", flaky)


def test_sweep_command_writes_parquet_and_exits_nonzero_on_failures(tmp_path: Path, capsys,
                                                                    monkeypatch) -> None:
    ok = _config(tmp_path, "seed: 1\nreplicates: 2\npolicies: [per_dataset, component]\n"
                           "grid: {n_datasets: [6], density: [0.1]}\n")
    out = tmp_path / "ok.parquet"
    assert main(["sweep", str(ok), "--out", str(out), "--serial", "--quiet"]) == 0
    assert len(pd.read_parquet(out)) == 4
    # A scenario that fails when it runs is recorded.
    _fail_on_seven_datasets(monkeypatch)
    bad = _config(tmp_path, "seed: 1\npolicies: [per_dataset]\n"
                            "grid: {n_datasets: [6, 7]}\n")
    out_bad = tmp_path / "bad.parquet"
    assert main(["sweep", str(bad), "--out", str(out_bad), "--serial", "--quiet"]) == 1
    frame = pd.read_parquet(out_bad)
    assert (frame["error"] != "").sum() == 1 and (frame["error"] == "").sum() == 1
    out = capsys.readouterr().out  # the summary is the result: on stdout
    assert "1 failed" in out and "scenario 1 (seed " in out
    assert not list(tmp_path.glob(".*.tmp"))  # atomic write left nothing behind


def test_sweep_config_checks_readings_and_params_on_load(tmp_path: Path, capsys) -> None:
    """An unknown openness reading or policy parameter stops the sweep before any scenario."""
    for text, expected in (
            ("grid: {openness: [ctivd, nonsense]}\n",
             "field 'grid.openness': unknown readings ['nonsense']"),
            ("params: {treshold: 0.1}\n", "unknown parameter 'treshold'"),
            ("params: {t: .nan}\n", "field 'params.t': Input should be a finite number"),
            ("grid: {n_datasets: [100000000]}\n", "field 'grid.n_datasets.0'"),
            ("replicates: 1000000000000\n", "field 'replicates'"),
            ("grid: {density: [.nan]}\n", "field 'grid.density.0': Input should be a finite"),
            ("replicates: 2000\ngrid: {density: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, "
             "0.9, 1.0]}\n", "10 grid points × 2,000 replicates make 20,000 scenarios")):
        path = _config(tmp_path, "seed: 1\n" + text)
        out = tmp_path / "never.parquet"
        assert main(["sweep", str(path), "--out", str(out), "--serial", "--quiet"]) == 2
        err = capsys.readouterr().err
        assert expected in err and err.startswith("bulkimpact: error: ")
        assert not out.exists()


def test_sweep_config_errors_are_located(tmp_path: Path, capsys) -> None:
    path = _config(tmp_path, "seed: 1\ngrid: {densty: [0.1]}\n")
    assert main(["sweep", str(path), "--out", str(tmp_path / "x.parquet"), "--serial"]) == 2
    err = capsys.readouterr().err
    assert "sweep.yaml" in err and "densty" in err and "unknown key" in err
    assert "Traceback" not in err


def test_size_mix_is_a_grid_axis() -> None:
    cfg = SweepConfig(grid={"n_datasets": [10], "min_persons": [1e3], "max_persons": [1e4, 1e7]})
    small, large = expand_scenarios(cfg)
    assert (small.max_persons, large.max_persons) == (1e4, 1e7)
    inv, _ = random_inventory(small.seed, 10, min_persons=small.min_persons,
                              max_persons=small.max_persons)
    assert all(1e3 <= d.persons <= 1e4 for d in inv.datasets)


def test_sweep_json_summary_and_the_old_progress_flag(tmp_path: Path, capsys,
                                                     monkeypatch) -> None:
    import json

    _fail_on_seven_datasets(monkeypatch)
    bad = _config(tmp_path, "seed: 1\npolicies: [per_dataset]\ngrid: {n_datasets: [6, 7]}\n")
    out = tmp_path / "r.parquet"
    # --no-progress is the old spelling of --quiet: still accepted.
    assert main(["sweep", str(bad), "--out", str(out), "--serial", "--no-progress",
                 "--json"]) == 1
    captured = capsys.readouterr()
    record = json.loads(captured.out)
    assert (record["scenarios"], record["failed"], record["rows"]) == (2, 1, 2)
    assert record["policies"] == ["per_dataset"] and record["out"] == str(out)
    (failure,) = record["failures"]
    assert failure["index"] == 1 and isinstance(failure["seed"], int) and failure["error"]
    assert captured.err == ""  # no progress bar, nothing else
    missing = tmp_path / "no-such-dir" / "r.parquet"
    assert main(["sweep", str(bad), "--out", str(missing), "--serial", "--quiet"]) == 2
    assert "bulkimpact: error: --out" in capsys.readouterr().err
