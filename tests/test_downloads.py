"""Downloads: a Dutch spreadsheet and its data dictionary beside each CSV, no formula cells.

Hand-made frames with a formula in a text cell, a negative number, a decimal
and a rule id: the raw CSV keeps full precision but neutralises the formula;
the Dutch file is what Dutch Excel reads (``;``, decimal comma, Dutch
headings, byte order mark); the data dictionary names every column's meaning
and unit; English pages do not list the Dutch files.
"""

from __future__ import annotations

import csv as csvlib
import io
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from bulkimpact.present import downloads
from bulkimpact.report import navigation

FORMULAS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]
FORMULAS_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def written(tmp_path: Path) -> Path:
    frame = pd.DataFrame(
        {"total_burden": [2530.26, -1.04], "escalated": [3, 1234567],
         "status": ["=HYPERLINK(\"http://evil\")", "exact"], "raised": [True, False]},
        index=pd.Index(["per_dataset", "k_hop"], name="rule"))
    out = tmp_path / "04_decision_rules_files"
    assert downloads.csv(frame, out, "rules") == "04_decision_rules_files/rules.csv"
    return out


def _rows(path: Path, sep: str, encoding: str = "utf-8") -> list[list[str]]:
    return list(csvlib.reader(io.StringIO(path.read_text(encoding=encoding)), delimiter=sep))


def test_the_raw_csv_keeps_precision_and_neutralises_formulas(written: Path) -> None:
    rows = _rows(written / "rules.csv", ",")
    assert rows[0] == ["rule", "total_burden", "escalated", "status", "raised"]
    assert rows[1] == ["per_dataset", "2530.26", "3", "'=HYPERLINK(\"http://evil\")", "True"]
    assert rows[2] == ["k_hop", "-1.04", "1234567", "exact", "False"]  # a number stays one


def test_the_dutch_spreadsheet_is_what_dutch_excel_reads(written: Path) -> None:
    raw = (written / "rules.nl.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark"
    rows = _rows(written / "rules.nl.csv", ";", "utf-8-sig")
    assert rows[0][:3] == ["beslisregel", "totale lasten (kosteneenheden)",
                           "zwaarder geplaatste bulkdatasets"]
    assert len(rows[0]) == 5 and not any("_" in h for h in rows[0]), rows[0]  # no column ids
    assert rows[1][:3] == ["per bulkdataset afzonderlijk", "2530,3", "3"]
    assert rows[2][:3] == ["buren tot k stappen", "-1,0", "1234567"]  # rounded as shown
    assert rows[1][3].startswith("'=") and rows[1][4] == "ja" and rows[2][4] == "nee"
    assert b"\r\n" in raw


def test_the_data_dictionary_names_every_column_with_meaning_and_unit(written: Path) -> None:
    rows = _rows(written / "rules.nl.kolommen.csv", ";", "utf-8-sig")
    assert rows[0] == ["kolom", "naam in de CSV en de JSON", "betekenis", "eenheid"]
    sheet = _rows(written / "rules.nl.csv", ";", "utf-8-sig")
    assert [r[0] for r in rows[1:]] == sheet[0]
    by_id = {r[1]: r for r in rows[1:]}
    assert by_id["total_burden"][2:] == ["totale lasten", "kosteneenheden"]
    assert by_id["rule"][3] == "naam van een beslisregel"
    assert by_id["raised"][3] == "ja of nee"
    assert all(r[2] and r[3] for r in rows[1:])


@pytest.mark.parametrize("text", FORMULAS)
def test_no_download_holds_a_cell_that_starts_a_formula(tmp_path: Path, text: str) -> None:
    frame = pd.DataFrame({"dataset": [text], text: [1]})
    downloads.csv(frame, tmp_path, "t")
    for name, sep, enc in (("t.csv", ",", "utf-8"), ("t.nl.csv", ";", "utf-8-sig"),
                           ("t.nl.kolommen.csv", ";", "utf-8-sig")):
        content = (tmp_path / name).read_text(encoding=enc)
        cells = [c for row in csvlib.reader(io.StringIO(content, newline=""), delimiter=sep)
                 for c in row]
        assert not [c for c in cells if c.startswith(tuple(FORMULAS_START))], (name, cells)



def test_english_pages_do_not_list_the_dutch_files(written: Path) -> None:
    job = SimpleNamespace(files_dir=written, executed_path=written.parent / "none.ipynb")
    nl, en = navigation.downloads(job, "nl"), navigation.downloads(job, "en")
    assert "04_decision_rules_files/rules.nl.csv" in nl
    assert "04_decision_rules_files/rules.nl.kolommen.csv" in nl
    assert en == ["04_decision_rules_files/rules.csv"]


def test_a_dutch_table_links_the_spreadsheet_and_an_english_one_does_not() -> None:
    from bulkimpact.present import tables
    frame = pd.DataFrame({"under_protected": [1]}, index=["k_hop"])
    nl = tables.table(frame, "nl", index="rule", download="f/rules.csv").html
    en = tables.table(frame, "en", index="rule", download="f/rules.csv").html
    assert 'href="f/rules.nl.csv"' in nl and 'href="f/rules.nl.kolommen.csv"' in nl
    assert ".nl." not in en


def test_every_column_of_the_rules_download_has_a_dutch_heading(tmp_path: Path) -> None:
    from bulkimpact.assessor import evaluate_policies
    from bulkimpact.examples import toy_graph, toy_rulebook

    frame = evaluate_policies(toy_graph("services"), toy_rulebook()).to_frame()
    downloads.csv(frame.drop(columns=["pareto"], errors="ignore").rename_axis("rule"), tmp_path,
                  "rules")
    headings = _rows(tmp_path / "rules.nl.csv", ";", "utf-8-sig")[0]
    assert headings[0] == "beslisregel"
    assert [h for h in headings if "_" in h] == []  # no column id left untranslated
    dictionary = _rows(tmp_path / "rules.nl.kolommen.csv", ";", "utf-8-sig")[1:]
    assert not [r for r in dictionary if r[2].startswith("geen Nederlandse omschrijving")]


def test_a_column_without_a_name_keeps_its_numbers_and_missing_values(tmp_path: Path) -> None:
    frame = pd.DataFrame({"nameless_ratio": [90.0, float("nan"), 1234.5]})
    downloads.csv(frame, tmp_path, "w")
    rows = _rows(tmp_path / "w.nl.csv", ";", "utf-8-sig")
    assert rows == [["nameless_ratio"], ["90"], ["–"], ["1234,5"]]
    dictionary = _rows(tmp_path / "w.nl.kolommen.csv", ";", "utf-8-sig")
    assert dictionary[1][2] == "geen Nederlandse omschrijving; zie de naam in de CSV"


def test_missing_dates_and_values_are_written_as_the_tables_show_them(tmp_path: Path) -> None:
    frame = pd.DataFrame({"destroyed": [pd.Timestamp("2025-05-12"), pd.NaT],
                          "dataset": ["a", None]})
    downloads.csv(frame, tmp_path, "d")
    rows = _rows(tmp_path / "d.nl.csv", ";", "utf-8-sig")
    assert rows[1:] == [["12 mei 2025", "a"], ["–", "–"]]
