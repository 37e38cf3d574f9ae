"""The one formatting layer every report table goes through (bulkimpact.present.tables)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from bulkimpact.present import bilingual, downloads
from bulkimpact.present.tables import COLUMNS, Column, cell, heading, table


def test_headline_table_groups_readings_and_formats_per_language() -> None:
    columns = pd.MultiIndex.from_product([["services", "ctivd"],
                                          ["under_protected", "total_burden"]])
    frame = pd.DataFrame([[1259319, 71550300.0, 3, 26.0]], index=["per_dataset"],
                         columns=columns)
    nl, en = table(frame, "nl", index="rule").html, table(frame, "en", index="rule").html
    assert "lezing van de diensten" in nl and "services&#x27; reading" in en
    assert ">1.259.319<" in nl and ">1,259,319<" in en
    assert ">71.550.300,0<" in nl and ">71,550,300.0<" in en
    assert ">26,0<" in nl  # a cost keeps its decimal; a count would not
    assert nl.count('class="bi-group"') == 2 and 'colspan="2"' in nl
    assert "per bulkdataset afzonderlijk" in nl
    assert 'title="elke bulkdataset naar zijn eigen aard"' in nl  # the rule's meaning


def test_long_table_shows_top_rows_and_links_the_whole(tmp_path) -> None:
    frame = pd.DataFrame({"under_protected": range(257)},
                         index=pd.Index([f"s{i}" for i in range(257)], name="dataset"))
    href = downloads.csv(frame, tmp_path / "02_linkage_graph_files", "links")
    html = table(frame, "nl", index="dataset", top=20, download=href).html
    assert html.count("<tr>") == 21  # heading row + 20
    assert "De eerste 20 van 257 rijen." in html
    assert 'href="02_linkage_graph_files/links.csv"' in html
    written = pd.read_csv(tmp_path / "02_linkage_graph_files" / "links.csv", index_col=0)
    assert len(written) == 257 and list(written.columns) == ["under_protected"]


def test_cells_never_show_raw_values() -> None:
    assert cell(True, "yesno", "en") == "yes" and cell(False, "yesno", "nl") == "nee"
    assert cell(float("nan"), "count") == cell(None, "cost") == "–"
    assert cell(26.0, "count", "en") == "26"
    assert cell("2026-11-30", "date", "nl") == "30 november 2026"
    assert cell("light", "level", "nl") == "licht"


def test_every_registered_heading_is_translated() -> None:
    for column in COLUMNS:
        assert heading(column, "nl") != heading(column, "en") or column in {"status"}, column


def test_unknown_kind_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="is not one of count, persons, decimal"):
        Column("x", "money")


def test_download_names_are_checked(tmp_path) -> None:
    with pytest.raises(ValueError, match="must be lower-case"):
        downloads.csv(pd.DataFrame(), tmp_path, "../escape")


def test_each_tags_every_language_and_role(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr("IPython.display.display",
                        lambda obj, metadata=None: shown.append((type(obj).__name__, metadata)))
    bilingual.set_languages("nl,en")
    try:
        bilingual.finding(lambda lang: f"**{lang}**")
    finally:
        bilingual.set_languages(None)
    assert shown == [("Markdown", {"bulkimpact": {"lang": "nl", "role": "finding"}}),
                     ("Markdown", {"bulkimpact": {"lang": "en", "role": "finding"}})]
    assert re.fullmatch(r"\('nl', 'en'\)", repr(bilingual.languages()))
