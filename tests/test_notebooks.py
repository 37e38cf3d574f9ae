"""The real notebook suite, run with tiny parameters through the batch driver.

Each notebook must run to the end on the bundled baseline, and what it says
must agree with the package computed directly: the findings are computed,
never typed in, so a wrong number here is a wrong number in a report.

The suite runs once, in both languages, as ``bulkimpact report`` runs it;
the pages are then read as a reviewer would: every section in its place,
no code, no raw table, numbers in the page's language, every link and
download resolving to a file. The run is ``conftest.notebook_suite``; every
test that reads a report of the bundled notebooks is in this file, which
``make test`` gives to one worker (``--dist loadfile``), so it runs once.
"""

from __future__ import annotations

import html
import json
import re
from html import unescape
from pathlib import Path

import networkx as nx
import pytest

from bulkimpact.analysis import load_analysis
from bulkimpact.evaluate import cheapest_full_protection
from bulkimpact.persons import distinct_persons
from bulkimpact.present.dispute_findings import dispute_verdict, readings_verdict
from bulkimpact.present.reading_findings import openness_changes
from bulkimpact.present.rule_findings import frontier_title, rules_finding
from bulkimpact.present.tables import heading as column_heading
from bulkimpact.report.render import external_loads

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = "data/synthetic/baseline.yaml"
RULEBOOK = "data/rulebooks/default.yaml"

@pytest.fixture(scope="module")
def suite(notebook_suite: dict[str, dict]) -> dict[str, dict]:
    """Every notebook run once on the baseline (``conftest.notebook_suite``, shared)."""
    return notebook_suite


def _reports(suite: dict) -> dict[str, dict]:
    return {stem: nb for stem, nb in suite.items() if not stem.startswith("__")}


@pytest.fixture(scope="module")
def analysis():
    return load_analysis(ROOT / INVENTORY, ROOT / RULEBOOK, "ctivd")


def test_every_notebook_runs_and_renders_self_contained(suite: dict[str, dict]) -> None:
    for stem, nb in _reports(suite).items():
        assert nb["status"] == "OK", f"{stem}: {nb['error']}"
        assert external_loads(nb["html"]) == [], stem
        assert "load_analysis(" not in nb["html"], f"{stem} shows code input"
        fictional = "Fictional data" in nb["html"] or "Own input." in nb["html"]  # 07: the log
        assert fictional and "Illustrative rulebook" in nb["html"], stem
        assert 'alt="' in nb["html"] or stem == "00_overview" or "<img" not in nb["html"]


def test_overview_states_both_claims_as_computed(suite, analysis) -> None:
    from bulkimpact.present.verdict import verdict_sentence

    text = suite["00_overview"]["text"]
    # both claims measured; the cheapest rule is stated with its reading and condition
    for sentence in dispute_verdict(analysis.evaluation, analysis.rulebook)[:2]:
        assert sentence in text
    first = verdict_sentence(analysis.openness, analysis.verdict)
    assert first in text and first.startswith("Under the CTIVD reading")
    evaluations = {r: a.evaluation for r, a in analysis.readings().items()}
    assert list(evaluations) == ["services", "ctivd", "ctivd_no_purchased"]
    verdicts = readings_verdict(evaluations, analysis.rulebook)
    assert verdicts[0].startswith("Under the services' reading")  # the ministers' own first
    for sentence in verdicts:
        assert sentence in text
    assert f"**{analysis.graph.number_of_edges()} links**" in text


def test_inventory_states_its_finding_and_downloads_every_dataset(suite, analysis) -> None:
    from bulkimpact.present.inventory_findings import inventory_finding

    text = suite["01_inventory"]["text"]
    levels = analysis.levels_by_openness()["ctivd"]
    for lang in ("nl", "en"):
        assert inventory_finding(levels, analysis.rulebook, "ctivd", lang) in text
    table = (suite["__out__"] / "baseline" / "01_inventory_files" / "datasets.csv").read_text()
    for d in analysis.inventory.datasets:
        assert f"\n{d.id}," in table


def test_linkage_graph_names_the_largest_component(suite, analysis) -> None:
    giant = max(len(c) for c in nx.connected_components(analysis.graph))
    assert (f"{giant} of {analysis.graph.number_of_nodes()} datasets form one linked component"
            in suite["02_linkage_graph"]["text"])


def test_the_dutch_links_spreadsheet_words_its_assumptions_in_dutch(suite, analysis) -> None:
    """The links' assumptions are facts the core gives and the reports word: the Dutch
    spreadsheet of report 02 has them in Dutch, the CSV as the JSON gives them."""
    sheets = list(suite["__out__"].rglob("02_linkage_graph_files/links.nl.csv"))
    assert sheets, "report 02 wrote no Dutch spreadsheet of its links"
    dutch = sheets[0].read_text("utf-8-sig")
    english = sheets[0].with_name("links.csv").read_text("utf-8")
    assert "onafhankelijke trekkingen uit populatie" in dutch
    assert "independent random draws" not in dutch and "quasi-identifiers" not in dutch
    assert "independent random draws from population 'nl_residents'" in english


def test_cumulative_counts_the_raised_combinations(suite, analysis) -> None:
    raised = sum(s.raised for s in analysis.sets)
    assert raised > 0
    assert f"**{raised}**" in suite["03_per_dataset_vs_cumulative"]["text"]
    assert f"{raised} combinations are heavier than any of their members" in \
        suite["03_per_dataset_vs_cumulative"]["html"]


def test_decision_rules_sweep_and_robustness_ran(suite, analysis) -> None:
    text = suite["04_decision_rules"]["text"]
    appendix = suite["04_decision_rules_appendix"]["text"]
    assert "Failed scenarios: 0." in appendix
    ev = analysis.evaluation
    best = cheapest_full_protection(ev)
    assert best is not None
    for lang in ("nl", "en"):
        assert html.escape(frontier_title(ev, lang), quote=True) in suite[
            "04_decision_rules"]["pages"][lang]
        assert rules_finding(ev, lang) in text
    # the decision map's sentences: per reading, the cheapest rule and where it changes
    from bulkimpact.present.verdict import verdict_sentences

    verdicts = {r: a.verdict for r, a in analysis.readings().items()}
    for sentence in verdict_sentences(verdicts):
        assert sentence in text
    tip = next(t for t in analysis.verdict.tipping_points if t["assumption"] == "use_rate")
    assert tip["value"] == pytest.approx(ev.break_even_use_rate)
    assert "moves a headline figure most" in appendix


def test_openness_reports_the_datasets_that_change(suite, analysis) -> None:
    import pandas as pd

    a, b = analysis.with_openness("services"), analysis.with_openness("ctivd")
    levels = pd.DataFrame({"services": pd.Series(dict(a.graph.nodes(data="level"))),
                           "ctivd": pd.Series(dict(b.graph.nodes(data="level")))})
    changed = list(levels.index[levels["services"] != levels["ctivd"]])
    distinct = distinct_persons(analysis.graph, changed)
    records = sum(analysis.inventory.dataset(d).persons for d in changed)
    text = suite["05_openness_criterion"]["text"]
    # Question and answer count the same thing: expected distinct persons (and records, named so).
    for lang in ("nl", "en"):
        assert openness_changes(levels, ["services", "ctivd"], distinct, records, lang) in text
    assert " datasets changes " not in text  # plural forms from the catalogue


def test_record_level_validation_names_persons_and_checks_estimates(suite) -> None:
    text = suite["06_record_level_validation"]["text"]
    assert "persons are named" in text
    assert "are unique on date of birth + postcode (4 digits)" in text
    assert "op geboortedatum + postcode (4 cijfers)" in text
    assert "Synthetic example rows, not real people" in text
    assert "Synthetische voorbeeldrijen, geen echte mensen" in text
    assert "of exact overlaps lie within three standard deviations" in text


# --- the pages as a reviewer reads them ---------------------------------------------------

#: The sections every report has, in this order, per language (h2 headings); the last
#: one closes the page.
SECTIONS = {"nl": ["Vraag", "Bevinding", "Werkwijze", "Kanttekeningen"],
            "en": ["Question", "Finding", "Method", "Caveats"]}
_H2 = re.compile(r"<h2[^>]*>(.*?)</h2>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"')
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL)
_KIND_CELL = re.compile(r"<td([^>]*)>(.*?)</td>", re.DOTALL)


def _headings(page: str) -> list[str]:
    return [unescape(_TAG.sub("", h)).replace("¶", "").strip() for h in _H2.findall(page)]


def _pages(suite: dict):
    for stem, nb in _reports(suite).items():
        for lang, page in nb["pages"].items():
            yield stem, lang, page


def test_every_page_reads_question_finding_method_caveats(suite) -> None:
    for stem, lang, page in _pages(suite):
        headings = _headings(page)
        positions = [headings.index(h) if h in headings else -1 for h in SECTIONS[lang]]
        assert -1 not in positions, f"{stem}.{lang}: sections {headings}"
        assert positions == sorted(positions), f"{stem}.{lang}: order {headings}"
        assert headings[-1] == SECTIONS[lang][-1], f"{stem}.{lang}: caveats not last"
        assert f'<html lang="{lang}"' in page


def test_no_page_shows_code(suite) -> None:
    """No line of a code cell reaches a page (a heading left in a code cell would)."""
    for stem, lang, page in _pages(suite):
        text = unescape(_TAG.sub(" ", page.split("</style>")[-1]))
        code = [line.strip() for block in nb_code_cells(suite[stem]["source"])
                for line in block.splitlines()
                if len(line.strip()) > 12 and not line.strip().startswith("#")]
        shown = [line for line in code if line in text]
        assert not shown, f"{stem}.{lang} shows code: {shown[:3]}"


def nb_code_cells(source: str) -> list[str]:
    """The code cells of a jupytext percent file (markdown cells left out)."""
    cells = re.split(r"^# %%.*$", source, flags=re.MULTILINE)
    markers = re.findall(r"^# %%.*$", source, flags=re.MULTILINE)
    return [cell for marker, cell in zip(markers, cells[1:], strict=True)
            if "[markdown]" not in marker]


def test_no_raw_frames(suite) -> None:
    for stem, lang, page in _pages(suite):
        assert 'class="dataframe"' not in page, f"{stem}.{lang}: a raw DataFrame"
        assert not re.search(r"\d+ rows × \d+ columns", page), f"{stem}.{lang}: truncated frame"
        cells = [unescape(_TAG.sub("", c)).strip() for c in _CELL.findall(page)]
        for bad in ("True", "False", "nan", "NaN", "None", "…", "..."):
            assert bad not in cells, f"{stem}.{lang}: a table cell reads {bad!r}"
        counts = [unescape(_TAG.sub("", c)).strip() for attributes, c in _KIND_CELL.findall(page)
                  if 'data-kind="' not in attributes or 'data-kind="count"' in attributes]
        floats = [c for c in counts if re.fullmatch(r"-?\d+(,\d{3})*\.0|-?\d+(\.\d{3})*,0", c)]
        assert not floats, f"{stem}.{lang}: counts shown as floats {floats[:3]}"


#: Numbers in the other language's format: thousands separators of English on a Dutch
#: page (1,259,319 or 1,259.5), of Dutch on an English page (1.259.319 or 1.259,5).
FOREIGN = {"nl": re.compile(r"^-?\d{1,3}(,\d{3}){2,}$|^-?\d{1,3}(,\d{3})+\.\d+$"),
           "en": re.compile(r"^-?\d{1,3}(\.\d{3}){2,}$|^-?\d{1,3}(\.\d{3})+,\d+$")}


def test_numbers_are_formatted_for_the_page_language(suite) -> None:
    for stem, lang, page in _pages(suite):
        cells = [unescape(_TAG.sub("", c)).strip() for c in _CELL.findall(page)]
        numbers = [c for c in cells if re.fullmatch(r"-?[\d.,]+", c)]
        wrong = [c for c in numbers if FOREIGN[lang].match(c)]
        assert not wrong, f"{stem}.{lang}: numbers in the other language's format {wrong[:5]}"
        unseparated = [c for c in numbers if re.fullmatch(r"-?\d{5,}", c)]
        assert not unseparated, f"{stem}.{lang}: no thousands separators {unseparated[:5]}"
    overview = suite["00_overview"]["pages"]
    assert re.search(r">\d{1,3}(\.\d{3})+<", overview["nl"]), "no Dutch thousands in 00"
    assert re.search(r">\d{1,3}(,\d{3})+<", overview["en"]), "no English thousands in 00"


def test_every_page_links_index_neighbours_languages_and_downloads(suite) -> None:
    out = suite["__out__"]
    stems = sorted(_reports(suite))
    for stem, lang, page in _pages(suite):
        links = set(_HREF.findall(page))
        local = [h for h in links if not re.match(r"^[a-z]+:", h)]
        for href in local:
            target = (out / "baseline" / href.split("#")[0]).resolve()
            assert target.is_file(), f"{stem}.{lang}: link {href} resolves to no file"
        index = "../index.html" if lang == "nl" else f"../index.{lang}.html"
        assert index in links, f"{stem}.{lang}: no link to the index"
        other = "en" if lang == "nl" else "nl"
        assert f"{stem}.{other}.html" in links, f"{stem}.{lang}: no language switch"
        i = stems.index(stem)
        if i > 0:
            assert f"{stems[i - 1]}.{lang}.html" in links, f"{stem}.{lang}: no previous"
        if i + 1 < len(stems):
            assert f"{stems[i + 1]}.{lang}.html" in links, f"{stem}.{lang}: no next"
        csvs = [h for h in local if h.endswith(".csv")]
        assert csvs, f"{stem}.{lang}: no CSV download"
        assert 'class="bi-toc"' in page, f"{stem}.{lang}: no table of contents"


#: English, code and calques issue 21 (item 4) found on the Dutch pages.
NOT_ON_DUTCH_PAGES = ("Baseline inventory (fictional)", "Illustrative default rulebook",
                      "ctivd, None", "status van de oplosser", "low_intrusion_level", "Heatmap",
                      "frontier are beaten", "Beter is: naar linksonder", "per geval",
                      "Als-dan", "als-dan", "Het oordeel", "reactie van de ministers",
                      "De CTIVD:", "letterlijk genomen", "optimal", "openness <span",
                      # and what a policy writer's read found after them
                      "(notebook default)", "(batch)", "Doorgerekend op fictieve gegevens, bij",
                      "CTIVD, uitgebreid tot", "conform de Tijdelijke regeling, vallen")


def test_the_dutch_pages_hold_none_of_the_english_the_issue_lists(suite) -> None:
    out = suite["__out__"]
    pages = {f"{stem}.nl.html": nb["pages"]["nl"] for stem, nb in _reports(suite).items()}
    pages |= {name: (out / name).read_text("utf-8") for name in ("index.html", "glossary.nl.html")}
    for name, page in pages.items():
        text = unescape(page)
        assert [s for s in NOT_ON_DUTCH_PAGES if s in text] == [], name


def test_index_opens_with_the_verdict_and_each_report_finding(suite) -> None:
    out = suite["__out__"]
    for lang, name in (("nl", "index.html"), ("en", "index.en.html")):
        page = (out / name).read_text("utf-8")
        assert f'<html lang="{lang}"' in page
        heading = {"nl": "Kernboodschappen", "en": "Key messages"}[lang]
        verdict = page.split(f">{heading}</h2>", 1)
        assert len(verdict) == 2, f"{name}: no verdict"
        before_reports = verdict[1].split('id="reports"')[0]
        assert "<table" in before_reports and "<img" in before_reports, f"{name}: verdict"
        findings = re.findall(r'<div class="bi-finding">(.*?)</div>', page, re.DOTALL)
        assert len(findings) >= len(_reports(suite)), f"{name}: a report without its finding"
        for href in _HREF.findall(page):
            if not re.match(r"^[a-z]+:", href):
                assert (out / href.split("#")[0]).is_file(), f"{name}: {href}"
    assert (out / "assessment.json").exists() or any(out.rglob("assessment.json"))


def test_index_lists_each_assumption_once_and_marks_what_the_draws_vary(suite) -> None:
    """One list of all assumptions: each varied one at a time (linking to where), each named
    once, the ones the verdict's draws also vary marked "drawn" with their range if it
    differs."""
    from bulkimpact.present.i18n import translator
    from bulkimpact.sensitivity import ASSUMPTIONS
    from bulkimpact.verdict import DRAWN

    drawn = {sensitivity: note for sensitivity, note in DRAWN.values()}
    out = suite["__out__"]
    for lang, name, word in (("nl", "index.html", "getrokken"), ("en", "index.en.html", "drawn")):
        t = translator(lang)
        page = unescape((out / name).read_text("utf-8"))
        items = re.findall(r"<li>(.*?)</li>", page.split('class="bi-assumptions"', 1)[1]
                           .split("</ul>", 1)[0], re.DOTALL)
        assert len(items) == len(ASSUMPTIONS), name
        for key, a in ASSUMPTIONS.items():
            label = t.pgettext("assumption", a.label)
            item = next(i for i in items if i.startswith(label))
            assert (f"<em>{word}</em>" in item) == (key in drawn), (name, key)
            if drawn.get(key):
                assert t.pgettext("assumption", drawn[key]) in item, (name, key)
        intro = page.split('class="bi-assumptions"', 1)[0][-800:]  # the paragraph above
        assert re.search(r'href="[^"]*04_decision_rules_appendix\.[a-z.]*html"', intro), name


# --- notebook 07 (from tests/test_exchange.py: it reads the shared run) ---------------


def test_notebook_07_states_the_computed_findings_in_both_languages(suite, default_rulebook
                                                                    ) -> None:
    from bulkimpact.exchange import assess_exchange, load_exchange_log
    from bulkimpact.present import exchange_findings as ef

    rb, notebook_suite = default_rulebook, suite

    result = notebook_suite["07_structural_exchange"]
    assert result["status"] == "OK", result["error"]
    tmp_path = notebook_suite["__out__"]
    a = assess_exchange(load_exchange_log(ROOT / "data/synthetic/exchange/exchange_log.yaml", rb),
                         rb, window=90)
    for lang, sections in (("nl", ("Vraag", "Bevinding", "Werkwijze", "Kanttekeningen")),
                           ("en", ("Question", "Finding", "Method", "Caveats"))):
        page = (tmp_path / "baseline" / f"07_structural_exchange.{lang}.html").read_text()
        text = " ".join(page.replace("\n", " ").split())
        for heading in sections:
            assert f">{heading}" in page, (lang, heading)
        finding = ef.exchange_finding(a, lang)
        assert " ".join(finding.split()) in text, (lang, finding)
        assert ef.window_label(None, lang) in text  # the sensitivity table's last row
        for partner in a.timelines:
            assert partner in text
        assert "load_exchange_log(" not in page  # no code on the page
    files = tmp_path / "baseline" / "07_structural_exchange_files"
    assert json.loads((files / "exchange.json").read_text()) == json.loads(
        json.dumps(a.to_json() | {"log": a.to_json()["log"] | {
            "path": json.loads((files / "exchange.json").read_text())["log"]["path"]}}))
    assert (files / "window_sensitivity.csv").read_text().startswith("window_days,")


# --- pages for people: what was not judged, a few screens, nothing cut off at 1366×768 ------


def test_every_page_says_what_it_did_not_judge(suite, analysis) -> None:
    from bulkimpact.present.scope import exchange_not_judged_note, not_judged_note

    assert analysis.not_judged.heavier_larger_sets > 0  # the baseline leaves some out
    for stem, lang, page in _pages(suite):
        if stem.startswith("07_"):
            note = exchange_not_judged_note(lang)
        else:
            note = not_judged_note(analysis.not_judged, lang, over_time=stem.startswith("08_"))
        assert note._repr_html_() in page, f"{stem}.{lang}: no not-judged box"
    # the count is the JSON's
    record = json.loads(next(suite["__out__"].rglob("assessment.json")).read_text())
    assert record["not_judged"] == analysis.not_judged.to_json()


def test_every_alt_text_is_a_summary(suite) -> None:
    out = suite["__out__"]
    pages = {f"{stem}.{lang}": page for stem, lang, page in _pages(suite)}
    pages |= {name: (out / name).read_text("utf-8") for name in ("index.html", "index.en.html")}
    seen = 0
    for name, page in pages.items():
        for alt in re.findall(r'<img [^>]*alt="([^"]*)"', page):
            alt = unescape(alt)
            seen += 1
            assert alt.strip(), f"{name}: an image without alt text"
            assert len(alt) <= 400, f"{name}: alt of {len(alt)} characters: {alt[:80]}…"
            assert len(re.findall(r"[.!?](?:\s|$)", alt)) <= 4, f"{name}: {alt}"
    assert seen >= 20


def test_report_04_is_short_and_its_appendix_holds_the_detail(suite) -> None:
    for lang in ("nl", "en"):
        short = suite["04_decision_rules"]["pages"][lang]
        appendix = suite["04_decision_rules_appendix"]["pages"][lang]
        assert f'href="04_decision_rules_appendix.{lang}.html"' in short
        # what moved: every metric per rule, the regimes, the sweep, what-if, the draws
        for moved in ("escalation_cost", "authorisations"):
            assert html.escape(column_heading(moved, lang)) in appendix
            assert html.escape(column_heading(moved, lang)) not in short
        for download in ("regimes.csv", "sweep_share_escalated.csv", "sensitivity.csv",
                         "robustness.csv"):
            assert f"04_decision_rules_appendix_files/{download}" in appendix
            assert f"04_decision_rules_files/{download}" not in short
        assert appendix.count("<img") >= 4 and short.count("<img") == 2  # frontier and map


@pytest.fixture(scope="module")
def layouts(suite) -> dict:
    """The index and reports 00 and 04 laid out in Chromium at 1366×768 (both languages)."""
    from concurrent.futures import ThreadPoolExecutor

    from bulkimpact.report.layout import measure_page
    from bulkimpact.report.screenshots import find_chromium

    if find_chromium() is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    out = suite["__out__"]
    pages = [out / "index.html", out / "index.en.html",
             *sorted((out / "baseline").glob("*.html"))]
    with ThreadPoolExecutor(2) as pool:
        return dict(zip([p.relative_to(out).as_posix() for p in pages],
                        pool.map(measure_page, pages), strict=True))


#: Report 04 at 1366×768: at most this many screens (the detail is in its appendix).
SCREENS_04 = 6


def test_report_04_fits_a_few_screens(layouts) -> None:
    for lang in ("nl", "en"):
        layout = layouts[f"baseline/04_decision_rules.{lang}.html"]
        assert layout.screens <= SCREENS_04, f"04.{lang}: {layout.screens:.1f} screens"
        appendix = layouts[f"baseline/04_decision_rules_appendix.{lang}.html"]
        assert appendix.screens > SCREENS_04  # the detail did move


def test_verdict_and_rules_tables_need_no_sideways_scrolling_at_1366(layouts) -> None:
    for name, layout in layouts.items():
        assert layout.scroll_width <= layout.width, f"{name} scrolls sideways"
    for name in ("index.html", "index.en.html"):
        verdict = [t for t in layouts[name].tables if t.in_verdict]
        assert verdict and not any(t.scrolls for t in verdict), (name, verdict)
    for lang in ("nl", "en"):
        rules = [t for t in layouts[f"baseline/04_decision_rules.{lang}.html"].tables
                 if t.cls == "bi-table"]
        assert len(rules) == 1 and not rules[0].scrolls, rules
        overview = layouts[f"baseline/00_overview.{lang}.html"]
        assert not any(t.scrolls for t in overview.tables if t.cls == "bi-table")


def test_figure_text_is_at_least_11_px_at_1366(layouts) -> None:
    from bulkimpact.present.legibility import MIN_TEXT_PX

    figures = 0
    for name, layout in layouts.items():
        for figure in layout.figures:
            figures += 1
            assert figure.shown_font_px >= MIN_TEXT_PX, (
                f"{name}: text of {figure.shown_font_px:.1f} px in “{figure.alt[:60]}”")
    assert figures >= 20
