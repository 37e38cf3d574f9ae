"""The sentences, titles and tables of reports 00–03, in both languages, on the baseline.

Each is computed (never typed in): the Dutch and the English say the same numbers, every
placeholder is filled, and the Dutch carries no English words of the catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from bulkimpact.analysis import load_analysis
from bulkimpact.persons import distinct_linked_persons
from bulkimpact.present import (
    captions,
    combination_findings,
    combination_plots,
    dispute_findings,
    inventory_findings,
    linkage_findings,
    reading_plots,
    rule_findings,
    rule_plots,
    rulebook_names,
    tables,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def baseline():
    return load_analysis(ROOT / "data/synthetic/baseline.yaml",
                         ROOT / "data/rulebooks/default.yaml", "ctivd")


def _sentences(a, lang: str) -> dict[str, list[str]]:
    ev, rb, G = a.evaluation, a.rulebook, a.graph
    evaluations = {r: x.evaluation for r, x in a.readings().items()}
    levels = a.levels_by_openness()
    sets = a.sets_frame()
    raised = sets[sets["raised"]]
    groups = combination_plots.raised_groups(sets)
    names = rb.level_names()
    persons = distinct_linked_persons(G, [(s.members, s.persons) for s in a.sets if s.raised])
    giant = max(len(c) for c in nx.connected_components(G))
    return {
        "overview_finding": [dispute_findings.overview_finding(ev, rb, "ctivd", lang)],
        "verdict_sentences": dispute_findings.verdict_sentences(ev, rb, lang),
        "verdict_details": dispute_findings.verdict_details(ev, rb, lang),
        "frontier": [rule_findings.readings_frontier_title(ev, "ctivd", lang),
                     rule_findings.readings_frontier_alt(evaluations, lang)],
        "inventory_glance": [inventory_findings.inventory_glance(45, 8e7, 6e7, 40, 257, 311, 71, 3,
                                                       lang)],
        "inventory": [inventory_findings.inventory_finding(levels["ctivd"], rb, "ctivd", lang),
                      inventory_findings.inventory_levels_title(levels, rb, lang),
                      reading_plots.levels_alt(a.level_counts(levels), lang)],
        "linkage": [linkage_findings.linkage_finding(G, lang),
                    linkage_findings.linkage_title(giant, 45, lang),
                    linkage_findings.linkage_alt(G, lang), linkage_findings.channel_title(G, lang),
                    linkage_findings.channel_alt(G, lang),
                    linkage_findings.links_text(257, 5, lang),
                    *linkage_findings.components_text(G, lang)],
        "cumulative": [combination_findings.cumulative_finding(len(raised), len(sets),
                                                   raised["kind"].value_counts().to_dict(),
                                                   persons, lang),
                       combination_findings.raised_title(groups, len(raised), names, lang),
                       combination_findings.raised_alt(groups, len(raised), names, lang),
                       combination_findings.mosaic_rule_text(a, lang)],
        "captions": [captions.figure_caption(k, lang) for k in captions.REPORT_CAPTIONS],
    }


def test_every_sentence_in_both_languages(baseline) -> None:
    nl, en = _sentences(baseline, "nl"), _sentences(baseline, "en")
    for kind in en:
        assert len(nl[kind]) == len(en[kind]) > 0, kind
        for dutch, english in zip(nl[kind], en[kind], strict=True):
            assert dutch and english and dutch != english, (kind, dutch)
            for text in (dutch, english):
                assert "{" not in text and "}" not in text, text
            # the same numbers in both (Dutch 1.234, English 1,234)
            numbers = [re.sub(r"[.,]", "", n) for n in re.findall(r"\d[\d.,]*\d|\d", english)]
            for n in numbers:
                assert n in re.sub(r"[.,]", "", dutch), (kind, n, dutch)


def test_one_name_for_very_slight_intrusion(baseline) -> None:
    for lang, words in (("en", "very slight intrusion"), ("nl", "zeer geringe inbreuk")):
        text = " ".join(s for v in _sentences(baseline, lang).values() for s in v)
        assert words in text
        for other in ("low-intrusion", "lowest personal level", "slight alone"):
            assert other not in text


def test_report_tables_are_for_people(baseline) -> None:
    for lang, yes in (("nl", ">ja<"), ("en", ">yes<")):
        frames = [
            (inventory_findings.datasets_table_frame(baseline, lang), "dataset"),
            (rulebook_names.rulebook_frame(baseline.rulebook, lang), "criterion"),
            (rulebook_names.level_meanings_frame(baseline.rulebook, lang), "level"),
            (inventory_findings.parameters_frame(baseline, lang), "parameter"),
            (linkage_findings.links_frame(baseline, lang).drop(columns="assumptions"), None),
            (combination_findings.mosaic_frame(baseline, 25, lang), None),
        ]
        for frame, index in frames:
            html = tables.table(frame, lang, index=index, top=25).html
            assert not re.search(r">(True|False|nan|None)<", html), html[:200]
            assert not re.search(r">\d{5,}<", html), "a number without separators"
        assert yes in tables.table(frames[0][0], lang, index="dataset").html
    dutch = tables.table(inventory_findings.datasets_table_frame(baseline, "nl"), "nl",
                         index="dataset")
    assert "bijzondere persoonsgegevens" in dutch.html and "datalek" in dutch.html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_figures_label_in_the_page_language(baseline, lang: str) -> None:
    levels = baseline.levels_by_openness()
    fig = reading_plots.levels_by_variant(baseline.level_counts(levels), "T", lang=lang)
    assert fig.axes[0].get_ylabel() == {"nl": "bulkdatasets", "en": "datasets"}[lang]
    sets = baseline.sets_frame()
    fig = combination_plots.raised_sets(sets, baseline.rulebook.level_names(), "T", lang=lang)
    ticks = " ".join(t.get_text() for t in fig.axes[0].get_xticklabels())
    assert ("zwaar" if lang == "nl" else "heavy") in ticks
    ev = baseline.evaluation
    fig = rule_plots.frontier_by_reading({"ctivd": ev.to_frame()}, {"ctivd": ev.pareto}, "T",
                                    lang=lang)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"nl": "per bulkdataset afzonderlijk", "en": "per dataset"}[lang] in legend
