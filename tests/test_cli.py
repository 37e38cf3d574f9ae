"""The command line, run in-process: validate and assess (with the JSON contract)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import dataset, field, inventory_data, write_inventory

from bulkimpact.cli import main
from bulkimpact.rulebook import default_rulebook_path

BASELINE = Path(__file__).resolve().parent.parent / "data" / "synthetic" / "baseline.yaml"
POLICY_NAMES = {"per_dataset", "component", "k_hop", "threshold", "minimal_escalation",
                "use_based"}



def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- validate ------------------------------------------------------------------------------


def test_validate_good_files(capsys, small_inventory: Path) -> None:
    rulebook = str(default_rulebook_path())
    code, out, err = run(capsys, "validate", str(small_inventory), rulebook)
    assert (code, err) == (0, "")
    lines = [line for line in out.splitlines() if not line.startswith("  finding: ")]
    assert len(lines) == 2
    assert lines[0] == (f"{small_inventory}: OK: inventory 'test inventory': 3 datasets, "
                        "1 populations, 1 investigations (fictional)")
    # The inventory gives no relevance deadlines: each dataset is held indefinitely, a finding
    # under the rulebook's retention terms (art. 27 Wiv 2017), not a problem.
    findings = [line for line in out.splitlines() if line.startswith("  finding: ")]
    assert len(findings) == 3 and all("retention_indefinite" in f for f in findings)
    assert lines[1].startswith(f"{rulebook}: OK: rulebook ")
    assert ("4 levels, 8 rules, openness variants ctivd, ctivd_no_purchased, services, "
            "subjects_only, uk_part7a") in lines[1]


def test_validate_broken_inventory(capsys, tmp_path: Path, small_inventory: Path) -> None:
    data = inventory_data([dataset("a", [field("x", "horoscope")], persons=-5)])
    broken = write_inventory(tmp_path, data, "broken.yaml")
    code, out, err = run(capsys, "validate", str(small_inventory), str(broken))
    assert code == 1
    assert out.startswith(f"{small_inventory}: OK")  # the good file is still reported
    assert f"{broken}: 2 problem(s):" in err
    # Located by file, item and field, with the bad value (message wording may be refined).
    assert f"{broken}: datasets[0] (id 'a'): field 'persons': " in err
    assert "got -5" in err
    assert "unknown category" in err and "got 'horoscope'" in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title: [unclosed\n", "malformed YAML"),
        ("", "file is empty"),
        (None, "file not found"),
    ],
)
def test_validate_unreadable_files(capsys, tmp_path: Path, content: str | None,
                                   message: str) -> None:
    path = tmp_path / "input.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path))
    # Problems in a file are the verdict (1); a file that is not there is bad usage (2).
    assert code == (2 if content is None else 1) and out == ""
    assert f"{path}" in err and message in err
    assert "Traceback" not in err


def test_validate_anti_monotone_rulebook(capsys, tmp_path: Path) -> None:
    data = yaml.safe_load(default_rulebook_path().read_text(encoding="utf-8"))
    data["rules"][1]["when"] = {"identifiable": False}
    path = tmp_path / "rulebook.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    assert "rules[1] (id 'identifiable-not-public'): field 'when': 'identifiable: false'" in err


def test_validate_json_gives_the_verdict_per_file(capsys, tmp_path: Path,
                                                  small_inventory: Path) -> None:
    data = inventory_data([dataset("a", [field("x", "horoscope")], persons=-5)])
    broken = write_inventory(tmp_path, data, "broken.yaml")
    rulebook = str(default_rulebook_path())
    code, out, err = run(capsys, "validate", str(small_inventory), rulebook, str(broken),
                         "--json")
    assert (code, err) == (1, "")
    record = json.loads(out)
    assert record["ok"] is False
    good, book, bad = record["files"]
    assert (good["kind"], good["ok"], good["datasets"], good["fictional"]) == (
        "inventory", True, 3, True)
    assert (book["kind"], book["ok"], book["levels"]) == ("rulebook", True, 4)
    assert (bad["path"], bad["ok"], len(bad["problems"])) == (str(broken), False, 2)
    persons = next(p for p in bad["problems"] if p["field"] == "persons")
    assert (persons["file"], persons["item"], persons["value"]) == (
        str(broken), "datasets[0] (id 'a')", -5)
    assert persons["text"].startswith(f"{broken}: datasets[0] (id 'a'): field 'persons': ")


# --- assess --------------------------------------------------------------------------------

CONTRACT = {
    "top": {"inventory", "rulebook", "openness", "levels", "datasets", "edges",
            "exposure_sets", "policies"},
    "dataset": {"id", "level", "rules", "persons", "cost", "public"},
    "edge": {"a", "b", "keys", "expected_links", "strength", "source"},
    "exposure_set": {"members", "kind", "level", "persons", "rules"},
    "policy": {"regime", "under_protected", "under_protected_persons", "escalated",
               "escalated_low", "escalation_cost", "authorisations", "status"},
}


def assert_contract(record: dict) -> None:
    """The contract keys are present (keys may be added, never renamed or dropped)."""
    assert CONTRACT["top"] <= set(record)
    assert record["datasets"] and record["edges"] and record["exposure_sets"]
    for d in record["datasets"]:
        assert CONTRACT["dataset"] <= set(d), d
    for e in record["edges"]:
        assert CONTRACT["edge"] <= set(e), e
    for s in record["exposure_sets"]:
        assert CONTRACT["exposure_set"] <= set(s), s
    assert set(record["policies"]) == POLICY_NAMES
    for name, p in record["policies"].items():
        assert CONTRACT["policy"] <= set(p), name
        assert set(p["regime"]) == {d["id"] for d in record["datasets"]}


def test_assess_json_contract(capsys, small_inventory: Path) -> None:
    """Under the CTIVD reading: forum (identifiable, not public) 2; adtech and health 1.
    Links: forum–adtech (username), adtech–health (device)."""
    code, out, err = run(capsys, "assess", str(small_inventory), "--json")
    assert (code, err) == (0, "")
    record = json.loads(out)
    assert_contract(record)
    assert record["inventory"] == str(small_inventory)
    assert record["openness"] == "ctivd"
    assert [lv["name"] for lv in record["levels"]] == ["outside regime", "light", "medium",
                                                       "heavy"]
    levels = {d["id"]: d["level"] for d in record["datasets"]}
    assert levels == {"forum": 2, "adtech": 1, "health": 1}
    assert sorted((e["a"], e["b"], tuple(e["keys"])) for e in record["edges"]) == [
        ("adtech", "health", ("device",)), ("forum", "adtech", ("username",))]
    kinds = {tuple(s["members"]): s["kind"] for s in record["exposure_sets"]}
    assert kinds == {("adtech", "forum"): "investigation", ("adtech", "health"): "edge",
                     ("adtech", "forum", "health"): "chain"}
    assert all(p["status"] in ("exact", "optimal") for p in record["policies"].values())


@pytest.mark.skipif(not BASELINE.exists(), reason="data/synthetic/baseline.yaml not built")
def test_assess_json_contract_on_the_bundled_baseline(capsys) -> None:
    code, out, _ = run(capsys, "assess", str(BASELINE), "--json")
    assert code == 0
    record = json.loads(out)
    assert_contract(record)
    assert record["policies"]["minimal_escalation"]["under_protected"] == 0


def test_assess_policy_is_repeatable(capsys, small_inventory: Path) -> None:
    code, out, _ = run(capsys, "assess", str(small_inventory), "--json",
                       "--policy", "per_dataset", "--policy", "k_hop", "--k", "2")
    assert code == 0
    record = json.loads(out)
    assert list(record["policies"]) == ["per_dataset", "k_hop"]
    assert record["policies"]["k_hop"]["params"] == {"k": 2}


def test_assess_openness_changes_a_leaked_sets_publicity(capsys, small_inventory: Path) -> None:
    public = {}
    for variant in ("services", "ctivd"):
        code, out, _ = run(capsys, "assess", str(small_inventory), "--json",
                           "--openness", variant, "--policy", "per_dataset")
        assert code == 0
        record = json.loads(out)
        assert record["openness"] == variant
        public[variant] = {d["id"]: d["public"] for d in record["datasets"]}
    assert public["services"] == {"forum": True, "adtech": True, "health": False}
    # Under the CTIVD reading the leaked forum is not public; purchased ad-tech data still is.
    assert public["ctivd"] == {"forum": False, "adtech": True, "health": False}


def test_assess_unknown_openness_names_the_variants(capsys, small_inventory: Path) -> None:
    code, out, err = run(capsys, "assess", str(small_inventory), "--openness", "nsa")
    assert (code, out) == (2, "")
    assert err.startswith("bulkimpact: error: ")
    assert ("parameter 'openness': 'nsa' is not a variant of data/rulebooks/default.yaml; "
            "allowed: ['ctivd', 'ctivd_no_purchased', 'services', 'subjects_only', "
            "'uk_part7a']") in err
    assert "Traceback" not in err


def test_assess_broken_inventory_exits_2_with_problems(capsys, tmp_path: Path) -> None:
    data = inventory_data([dataset("a", [field("x", "contact")], population="mars")])
    broken = write_inventory(tmp_path, data, "broken.yaml")
    code, out, err = run(capsys, "assess", str(broken), "--json")
    assert (code, out) == (2, "")
    assert err.startswith("bulkimpact: error: 1 problem(s) in the input:\n")
    assert f"{broken}: datasets[0] (id 'a'): field 'population': unknown population" in err
    assert "['pop']" in err and "got 'mars'" in err
    assert "Traceback" not in err


def test_assess_unknown_policy_is_an_argument_error(capsys, small_inventory: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["assess", str(small_inventory), "--policy", "everything"])
    assert exc.value.code == 2
    assert "invalid choice: 'everything'" in capsys.readouterr().err


def test_assess_text_output_names_inputs_and_rules(capsys, small_inventory: Path,
                                                   tiny_rulebook_path: Path) -> None:
    code, out, _ = run(capsys, "assess", str(small_inventory), "--rulebook",
                       str(tiny_rulebook_path), "--openness", "services")
    assert code == 0
    assert out.startswith("Judged dataset by dataset, 2 of 3 exposure sets are under-protected")
    assert f"\nInventory: {small_inventory}\n           FICTIONAL data\n" in out
    assert f"Rulebook:  {tiny_rulebook_path}\n           ILLUSTRATIVE assumption" in out
    assert "Decision rules (" in out
    # forum + adtech (the investigation): identifiable + location, 2 > 1. adtech + health:
    # identifiable by no one, so the special category does not raise them.
    assert "Exposure sets: 3, of which 2 reach a higher level together" in out
    assert "investigation level light → medium, 100 persons: adtech + forum" in out


@pytest.mark.skipif(not BASELINE.exists(), reason="data/synthetic/baseline.yaml not built")
def test_assess_json_does_not_depend_on_string_hashing() -> None:
    """Two processes with different hash seeds give the same record: an investigation's
    linked parts once came in the order of a hash-ordered set (seed 5 swapped two)."""
    import os
    import subprocess
    import sys

    def record(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run([sys.executable, "-m", "bulkimpact", "assess", str(BASELINE),
                               "--json"], env=env, capture_output=True, text=True,
                              check=True).stdout

    assert record("0") == record("5")
