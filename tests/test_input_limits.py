"""Inputs that cannot explode (issue 19): every faulty file answered at once, located, no
traceback; Excel tables read; look-alike names flagged.

The corpus test runs every file of ``tests/bad_inputs*/``, ``tests/bad_rulebooks/``,
``tests/bad_exchange/`` and ``tests/bad_sweeps/`` through the command line in this process
(``bulkimpact.cli.main``): ``validate`` exits 1, a computing command exits 2, stderr holds
no traceback and names the file, and every problem names its item or field.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from bulkimpact.analysis import load_analysis
from bulkimpact.cli import main
from bulkimpact.exchange.log import load_exchange_log
from bulkimpact.inventory import load_inventory
from bulkimpact.limits import MAX_INPUT_ENV, candidate_links
from bulkimpact.lookalikes import skeleton
from bulkimpact.problems import InputError, read_yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BAD_INVENTORIES = sorted(HERE.glob("bad_inputs/*.yaml")) + sorted(
    p for p in HERE.glob("bad_inputs_csv/*") if p.is_dir())
BAD_RULEBOOKS = sorted(HERE.glob("bad_rulebooks/*.yaml"))
BAD_LOGS = sorted(HERE.glob("bad_exchange/*"))
BAD_SWEEPS = sorted(HERE.glob("bad_sweeps/*.yaml"))
#: Files whose problem is the whole file (no item or field to name).
WHOLE_FILE = {"empty.yaml", "top_level_list.yaml", "not_utf8.yaml", "not_any_encoding",
              "not_any_encoding.csv"}


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_corpus_holds_a_file_per_finding() -> None:
    names = {p.name for p in BAD_INVENTORIES + BAD_RULEBOOKS + BAD_LOGS + BAD_SWEEPS}
    for finding in ("duplicate_top_level_key.yaml", "alias_bomb.yaml", "deeply_nested.yaml",
                    "datetime_not_date.yaml", "date_far_future.yaml", "cost_infinite.yaml",
                    "min_expected_links_infinite.yaml", "short_row", "not_any_encoding",
                    "row_too_few_values.csv", "partner_lookalike.yaml",
                    "n_datasets_huge.yaml", "replicates_huge.yaml", "density_nan.yaml",
                    "grid_too_large.yaml"):
        assert finding in names, finding


def test_validate_refuses_every_bad_inventory_and_rulebook_with_exit_1(capsys) -> None:
    for path in BAD_INVENTORIES + BAD_RULEBOOKS:
        code, out, err = run(capsys, ["validate", "--json", str(path)])
        assert code == 1, (path.name, out, err)
        assert "Traceback" not in err, path.name
        (entry,) = json.loads(out)["files"]
        assert entry["problems"], path.name
        for problem in entry["problems"]:
            assert problem["file"].startswith(str(path)), (path.name, problem)
            if path.name not in WHOLE_FILE:
                assert problem["field"] or problem["item"], (path.name, problem)
        code, out, err = run(capsys, ["validate", str(path)])  # the text verdict too
        assert code == 1 and "Traceback" not in err and str(path) in err, path.name


def test_assess_refuses_every_bad_inventory_and_rulebook_with_exit_2(capsys) -> None:
    baseline = str(ROOT / "data" / "synthetic" / "baseline.yaml")
    argvs = ([["assess", str(p), "--no-readings"] for p in BAD_INVENTORIES]
             + [["assess", baseline, "--rulebook", str(p)] for p in BAD_RULEBOOKS])
    for argv in argvs:
        code, _, err = run(capsys, argv)
        path = argv[1] if argv[2] != "--rulebook" else argv[3]
        assert code == 2, (argv, err)
        assert err.startswith("bulkimpact: error: ") and "Traceback" not in err, argv
        assert path in err, (argv, err)


def test_exchange_refuses_every_bad_log_with_exit_2(capsys) -> None:
    for path in BAD_LOGS:
        code, _, err = run(capsys, ["exchange", str(path)])
        assert code == 2, (path.name, err)
        assert err.startswith("bulkimpact: error: ") and "Traceback" not in err, path.name
        assert str(path) in err, path.name
        if path.name not in WHOLE_FILE:
            assert "field '" in err, (path.name, err)


def test_sweep_refuses_every_bad_configuration_at_once_with_exit_2(capsys, tmp_path) -> None:
    out = tmp_path / "never.parquet"
    for path in BAD_SWEEPS:
        start = time.perf_counter()
        code, _, err = run(capsys, ["sweep", str(path), "--out", str(out), "--serial", "-q"])
        assert time.perf_counter() - start < 10, path.name
        assert code == 2, (path.name, err)
        assert "Traceback" not in err and str(path) in err, (path.name, err)
        # a field, or (the grid's size) the two fields it multiplies
        assert "field '" in err or ("grid points" in err and "replicates" in err), err
        assert not out.exists()


# --- YAML: strict and bounded --------------------------------------------------------------


def test_alias_bomb_is_refused_in_well_under_a_second() -> None:
    path = HERE / "bad_inputs" / "alias_bomb.yaml"
    assert path.stat().st_size < 2500
    start = time.perf_counter()
    with pytest.raises(InputError, match="aliases"):
        read_yaml(path)
    assert time.perf_counter() - start < 0.5


def test_a_few_aliases_and_merge_keys_still_work(tmp_path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text("base: &b {category: contact, key: email}\n"
                    "one: {<<: *b, name: e1}\ntwo: {<<: *b, name: e2, key: phone}\n")
    data = read_yaml(path)
    assert data["one"] == {"category": "contact", "key": "email", "name": "e1"}
    assert data["two"]["key"] == "phone"  # an explicit key overrides a merged one


def test_an_input_larger_than_the_limit_is_refused_naming_how_to_raise_it(
        capsys, monkeypatch) -> None:
    baseline = str(ROOT / "data" / "synthetic" / "baseline.yaml")
    monkeypatch.setenv(MAX_INPUT_ENV, "0.01")  # 10 kB; the baseline is larger
    code, _, err = run(capsys, ["validate", baseline])
    assert code == 1 and "input files may be at most 0.0 MB" not in err
    assert "may be at most" in err and MAX_INPUT_ENV in err and baseline in err
    monkeypatch.setenv(MAX_INPUT_ENV, "50")
    assert run(capsys, ["validate", baseline])[0] == 0
    monkeypatch.setenv(MAX_INPUT_ENV, "lots")
    code, _, err = run(capsys, ["validate", baseline])
    assert code == 1 and MAX_INPUT_ENV in err and "positive number of megabytes" in err


# --- the combination budget ----------------------------------------------------------------


def _one_key_inventory(path: Path, n: int) -> Path:
    path.write_text(yaml.safe_dump({
        "title": "dense (fictional)", "fictional": True,
        "populations": [{"id": "nl", "size": 10_000_000}],
        "datasets": [{"id": f"d{i}", "name": f"D{i}", "source": "open", "persons": 1000,
                      "population": "nl",
                      "fields": [{"name": "e", "category": "contact", "key": "email"}]}
                     for i in range(n)]}))
    return path


def test_candidate_links_count_pairs_per_key_by_hand(tmp_path) -> None:
    inv = load_inventory(_one_key_inventory(tmp_path / "four.yaml", 4))
    assert candidate_links(inv) == 6  # 4 datasets on one key: 4·3/2 pairs


def test_too_many_candidate_links_are_refused_before_the_graph(tmp_path, capsys) -> None:
    path = _one_key_inventory(tmp_path / "dense.yaml", 50)  # 1,225 candidate links
    with pytest.raises(InputError, match="max_sets=1,000"):
        load_analysis(path, max_sets=1000)
    assert load_analysis(path, max_sets=2000).inventory  # within the budget: loads
    code, _, err = run(capsys, ["assess", str(path), "--max-sets", "1000", "--json"])
    assert code == 2 and "1,225 links" in err and "Raise max_sets" in err
    assert "50 datasets share the key 'email'" in err


def test_two_thousand_datasets_on_one_key_are_refused_in_seconds(tmp_path, capsys) -> None:
    path = _one_key_inventory(tmp_path / "dense2000.yaml", 2000)
    start = time.perf_counter()
    code, _, err = run(capsys, ["assess", str(path), "--no-readings"])
    assert code == 2 and "1,999,000 links" in err and "max_sets=1,000,000" in err
    assert time.perf_counter() - start < 30  # measured 7 s on 2 shared cores (was 94 s)


# --- Excel tables --------------------------------------------------------------------------


def _comparable(inventory):
    return [d.model_dump(exclude={"name"}) for d in inventory.datasets]


def test_dutch_excel_and_bom_tables_read_as_the_plain_csv(capsys) -> None:
    plain = load_inventory(ROOT / "data" / "synthetic" / "csv_example")
    dutch = load_inventory(HERE / "excel_csv" / "dutch_excel")
    bom = load_inventory(HERE / "excel_csv" / "utf8_bom")
    assert _comparable(dutch) == _comparable(plain) and bom.datasets == plain.datasets
    assert "café" in dutch.datasets[0].name  # cp1252 é read as é
    assert any(f.match_quality == 0.95 for d in dutch.datasets for f in d.fields)  # 0,95
    assert any("Windows-1252" in n for n in dutch.input_notes)
    assert any("semicolons" in n for n in dutch.input_notes)
    assert any("byte-order mark" in n for n in bom.input_notes)
    code, out, err = run(capsys, ["validate", str(HERE / "excel_csv" / "dutch_excel")])
    assert code == 0 and "OK" in out and "note:" in err and "Windows-1252" in err
    code, out, _ = run(capsys, ["validate", "--json", str(HERE / "excel_csv" / "utf8_bom")])
    assert code == 0 and "byte-order mark" in json.dumps(json.loads(out)["files"][0]["notes"])


def test_an_exchange_log_from_dutch_excel_reads_as_the_plain_csv() -> None:
    plain = load_exchange_log(ROOT / "data" / "synthetic" / "exchange" / "exchange_log.csv")
    dutch = load_exchange_log(HERE / "excel_csv" / "exchange_dutch_excel.csv")
    assert dutch.provisions == plain.provisions
    assert any("semicolons" in n for n in dutch.input_notes)


# --- look-alikes ---------------------------------------------------------------------------


def test_skeletons_fold_what_a_reader_cannot_see() -> None:
    assert skeleton("Partner A") == skeleton("P\u0430rtner A") == skeleton("partner  a")
    assert skeleton("Partner A") == skeleton("PARTNER-A") == skeleton("Pártner A")
    assert skeleton("Partner A") != skeleton("Partner B")


def test_validate_warns_of_look_alike_ids_and_names(tmp_path, capsys) -> None:
    path = _one_key_inventory(tmp_path / "twins.yaml", 3)
    text = path.read_text().replace("id: d1", "id: D0").replace("name: D2", "name: D\u041e")
    path.write_text(text.replace("name: D1", "name: D 0"))
    code, out, err = run(capsys, ["validate", str(path)])
    assert code == 0 and "OK" in out  # warnings: two datasets may be meant
    assert err.count("probable duplicate") == 2, err
    assert "field 'id': looks like dataset id 'd0'" in err
    code, out, _ = run(capsys, ["validate", "--json", str(path)])
    fields = sorted(w["field"] for w in json.loads(out)["files"][0]["warnings"])
    assert fields == ["id", "name"]
