"""The ``bulkimpact synth`` commands: outputs, JSON, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bulkimpact.synth import population_table, uniqueness
from bulkimpact.synth.cli import main

INVENTORY = textwrap.dedent("""\
    title: toy
    fictional: true
    populations:
      - {id: nl, size: 17900000}
    datasets:
      - id: shop
        name: Shop
        source: private
        persons: 3000000
        population: nl
        fields:
          - {name: email, category: contact, key: email, match_quality: 0.9}
          - {name: date_of_birth, category: demographic, cardinality: 36500}
      - id: telco
        name: Telco
        source: private
        persons: 5000000
        population: nl
        fields:
          - {name: email, category: contact, key: email}
          - {name: date_of_birth, category: demographic, cardinality: 36500}
    """)


@pytest.fixture(scope="module")
def population_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "pop.parquet"
    assert main(["synth", "population", "--persons", "20000", "--seed", "3",
                 "--out", str(path)]) == 0
    return path


def test_population_file_has_the_contract_columns(population_file):
    schema = pq.read_schema(population_file)
    for name in ("person_id", "date_of_birth", "sex", "postcode", "email", "phone"):
        assert name in schema.names
    assert schema.field("date_of_birth").type == pa.date32()
    table = pq.read_table(population_file)
    assert table.num_rows == 20_000
    assert table.equals(population_table(20_000, seed=3))


def test_uniqueness_json_matches_the_function(population_file, capsys):
    assert main(["synth", "uniqueness", str(population_file), "--qi",
                 "date_of_birth,pc4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = uniqueness(population_file, ["date_of_birth", "pc4"])
    assert out["fraction_unique"] == pytest.approx(expected.fraction_unique)
    assert sum(c["persons"] for c in out["class_sizes"]) == 20_000
    assert out["class_sizes"][0]["size"] == 1


def test_uniqueness_text_names_the_share(population_file, capsys):
    assert main(["synth", "uniqueness", str(population_file), "--qi", "birth_year,sex"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "of 20,000 persons are unique on birth_year + sex" in first


def test_unknown_qi_column_is_one_line_with_valid_columns(population_file, capsys):
    assert main(["synth", "uniqueness", str(population_file), "--qi", "date_of_birth,age"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(population_file) in err and "'age'" in err and "valid:" in err and "pc4" in err


def test_missing_parquet_file_is_named(tmp_path, capsys):
    missing = tmp_path / "nope.parquet"
    assert main(["synth", "uniqueness", str(missing), "--qi", "sex"]) == 2
    assert capsys.readouterr().err.strip() == f"bulkimpact: error: {missing}: no such Parquet file"


def test_validate_json_has_relative_errors(tmp_path, capsys):
    path = tmp_path / "inv.yaml"
    path.write_text(INVENTORY)
    assert main(["synth", "validate", str(path), "--persons", "30000", "--seed", "2",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (edge,) = out["edges"]
    assert (edge["a"], edge["b"], edge["keys"]) == ("shop", "telco", "email")
    assert abs(edge["overlap_z"]) < 4
    assert edge["overlap_rel_error"] == pytest.approx(
        edge["overlap_exact"] / edge["overlap_expected"] - 1)
    assert abs(edge["key_links_rel_error"]) < 0.1


def test_validate_missing_inventory(tmp_path, capsys):
    assert main(["synth", "validate", str(tmp_path / "none.yaml")]) == 2
    assert "none.yaml: no such inventory file" in capsys.readouterr().err


def test_module_entry_point_has_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "bulkimpact.synth.cli", "synth", "uniqueness",
         str(tmp_path / "x.parquet"), "--qi", "sex"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "x.parquet: no such Parquet file" in proc.stderr
    assert proc.stderr.startswith("bulkimpact: error: ")


def test_package_cli_wires_synth(population_file, capsys):
    cli = pytest.importorskip("bulkimpact.cli")
    assert cli.main(["synth", "uniqueness", str(population_file), "--qi", "sex"]) == 0
    assert "unique on sex" in capsys.readouterr().out


def test_population_json_and_a_missing_out_folder(tmp_path, capsys):
    out = tmp_path / "p.parquet"
    assert main(["synth", "population", "--persons", "1000", "--seed", "1", "--out", str(out),
                 "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["out"], record["persons"], record["seed"]) == (str(out), 1000, 1)
    assert pq.read_metadata(out).num_rows == 1000
    nowhere = tmp_path / "no-such-dir" / "p.parquet"
    assert main(["synth", "population", "--persons", "10", "--out", str(nowhere)]) == 2
    assert "bulkimpact: error: --out" in capsys.readouterr().err
