"""Dutch and English: catalogues complete, sentences rendered, formats per locale, glossary.

The computed sentences of :mod:`bulkimpact.present` (its ``*_findings`` modules) come from the
message catalogues of :mod:`bulkimpact.present.i18n`. These tests hold that
every message the code uses is translated into Dutch, that a Dutch sentence
shows Dutch numbers and plural forms and no English, that the English
sentences are those the notebooks print, and that the glossary names what
the issue asks and quotes its sources verbatim.
"""

from __future__ import annotations

import datetime as dt
import glob
import re
from pathlib import Path

import pandas as pd
import pytest

from bulkimpact.analysis import load_analysis
from bulkimpact.assessor import evaluate_policies
from bulkimpact.examples import toy_graph, toy_rulebook
from bulkimpact.present import dispute_findings, i18n, names, phrases, reading_findings
from bulkimpact.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bulkimpact"
BASELINE = ROOT / "data" / "synthetic" / "baseline.yaml"
DEFAULT_RULEBOOK = ROOT / "data" / "rulebooks" / "default.yaml"
#: The source documents (public, Dutch) the glossary quotes; outside the repository.
SEEDS = next((p / "shared" / "seeds" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
             ROOT.parent / "shared" / "seeds")

#: The terms the issue asks the glossary for (issue 11, item 6) and the brief's additions.
REQUIRED_TERMS = ["besliskader", "in samenhang wegen", "bulkdataset", "privacyinbreuk",
                  "zeer geringe inbreuk", "openbaarheidscriterium", "openbaar toegankelijk",
                  "Tijdelijke regeling", "bijzondere persoonsgegevens", "toegangsregime",
                  "waarborgenregime", "datalek", "verstrekking"]

#: English words that must not appear in a Dutch sentence (dataset ids are removed first).
ENGLISH = re.compile(r"\b(the|and|with|under|under-protected|escalates?|escalated|nothing|"
                     r"burden|cost units?|reading|persons?|datasets?|exposure|linked|"
                     r"authorisations?|Frontier|Break-even|Ministers|slight|outside|light|"
                     r"heavy|medium|needs?|whenever|holding|among|changes?|goes|go up)\b")


def _key(message) -> tuple[str | None, str]:
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def _strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def _ids(message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


# --- sentences in both languages ----------------------------------------------------------

def _sentences(main, evaluations: dict, rulebook, levels: pd.DataFrame, persons: pd.Series,
               lang: str) -> dict[str, list[str]]:
    return {
        "policy_findings": dispute_findings.policy_findings(main, rulebook, lang=lang),
        "dispute_verdict": dispute_findings.dispute_verdict(main, rulebook, lang=lang),
        "readings_verdict": dispute_findings.readings_verdict(evaluations, rulebook, lang=lang),
        "openness_findings": reading_findings.openness_findings(levels, list(levels.columns),
                                                                persons, lang=lang),
        "openness_unchanged": reading_findings.openness_findings(
            levels.assign(same=levels.iloc[:, 0])[[levels.columns[0], "same"]],
            [levels.columns[0], "same"], persons, lang=lang),
    }


def _levels(graphs: dict) -> pd.DataFrame:
    return pd.DataFrame({r: pd.Series(dict(G.nodes(data="level"))) for r, G in graphs.items()})


@pytest.fixture(scope="module")
def toy() -> dict[str, dict[str, list[str]]]:
    rb = toy_rulebook()
    graphs = {r: toy_graph(r) for r in ("services", "ctivd")}
    evaluations = {r: evaluate_policies(G, rb) for r, G in graphs.items()}
    persons = pd.Series(dict(graphs["services"].nodes(data="persons")))
    return {lang: _sentences(evaluations["services"], evaluations, rb, _levels(graphs), persons,
                             lang) for lang in i18n.LANGUAGES}


@pytest.fixture(scope="module")
def baseline() -> dict[str, dict[str, list[str]]]:
    analysis = load_analysis(BASELINE)
    readings = analysis.readings()
    evaluations = {r: a.evaluation for r, a in readings.items()}
    graphs = {r: readings[r].graph for r in ("services", "ctivd")}
    persons = pd.Series({d.id: d.persons for d in analysis.inventory.datasets})
    return {lang: _sentences(analysis.evaluation, evaluations, analysis.rulebook,
                             _levels(graphs), persons, lang) for lang in i18n.LANGUAGES}


@pytest.mark.parametrize("example", ["toy", "baseline"])
def test_both_languages_render_every_sentence(example: str, request) -> None:
    rendered = request.getfixturevalue(example)
    nl, en = rendered["nl"], rendered["en"]
    assert nl.keys() == en.keys()
    for kind in en:
        assert en[kind] and len(nl[kind]) == len(en[kind]), kind
        for dutch, english in zip(nl[kind], en[kind], strict=True):
            assert dutch and dutch != english, (kind, dutch)
            assert "{" not in dutch and "}" not in dutch, dutch  # every placeholder filled
            assert "{" not in english and "}" not in english, english
    # every claim of the verdict is there in both languages
    assert len(en["dispute_verdict"]) >= 4


@pytest.mark.parametrize("example", ["toy", "baseline"])
def test_no_english_in_dutch_sentences(example: str, request) -> None:
    rendered = request.getfixturevalue(example)
    english_msgids = [mid for m in i18n.catalogue("en") if m.id for mid in _ids(m)]
    fragments = {f.strip() for mid in english_msgids
                 for f in re.split(r"\{[a-z_]+\}", mid) if len(f.strip()) >= 12}
    for kind, sentences in rendered["nl"].items():
        for sentence in sentences:
            bare = re.sub(r"\(([a-z0-9, …-]+)\)", "()", sentence)  # dataset ids listed
            assert not ENGLISH.search(bare), (kind, ENGLISH.search(bare).group(0), sentence)
            for fragment in fragments:
                assert fragment not in sentence, (kind, fragment)


def test_dutch_numbers_and_plural_forms_in_the_toy_example(toy) -> None:
    nl, en = toy["nl"], toy["en"]
    # a thousand and more: a point in Dutch, a comma in English
    assert "4.000 verschillende personen" in nl["policy_findings"][0]
    assert "4,000 distinct persons" in en["policy_findings"][0]
    # plural forms: 1 combinatie / 2 combinaties; 3 bulkdatasets
    assert "1 combinatie onvoldoende beschermd" in nl["policy_findings"][0]
    assert "laat 1 van de 2 combinaties onvoldoende beschermd" in nl["dispute_verdict"][0]
    assert "3 van de 3 bulkdatasets" in nl["dispute_verdict"][1]
    # holding three light datasets for the default 1.5 years: 3 × 0.1 × 1.5 = 0.45
    assert "lasten 0,5 kosteneenheden" in nl["policy_findings"][0]


def test_dutch_numbers_in_the_baseline(baseline) -> None:
    nl, en = baseline["nl"], baseline["en"]
    text = "\n".join(s for sentences in nl.values() for s in sentences)
    numbers = re.findall(r"\b[1-9]\d{0,2}(?:[.,]\d{3})+\b", text)
    assert numbers and all("," not in n for n in numbers), numbers  # 2.530.366, never 2,530,366
    assert re.search(r"lasten \d+,\d kosteneenheden", text)  # decimal comma
    assert re.search(r"\(\d+%\)", text)  # 60%, no space before the sign
    english = "\n".join(s for sentences in en.values() for s in sentences)
    # the same figures, formatted per language
    for figure in re.findall(r"\b[1-9]\d{0,2}(?:,\d{3})+\b", english):
        assert figure.replace(",", ".") in text, figure


def test_plural_forms_and_unknown_nouns() -> None:
    assert names.plural(1, "dataset", lang="nl") == "1 bulkdataset"
    assert names.plural(2, "dataset", lang="nl") == "2 bulkdatasets"
    assert names.plural(1, "exposure set", lang="nl") == "1 combinatie"
    assert names.plural(3, "combination", lang="nl") == "3 combinaties"
    assert names.plural(1, "distinct person", lang="nl") == "1 persoon"
    assert names.plural(1000, "distinct person", lang="nl") == "1.000 verschillende personen"
    assert names.plural(1.0, "link") == "1 link"
    assert names.plural(0.6, "person") == "1 person"  # the form follows the shown number
    assert names.plural(2, "sheep", "sheep") == "2 sheep"  # English nouns outside the list
    with pytest.raises(ValueError, match="no 'nl' plural for 'sheep'"):
        names.plural(2, "sheep", lang="nl")


def test_openness_sentence_takes_the_verb_in_both_numbers() -> None:
    persons = pd.Series({"a": 10, "b": 5})
    one = pd.DataFrame({"services": [1, 2], "ctivd": [2, 2]}, index=["a", "b"])
    two = pd.DataFrame({"services": [1, 3], "ctivd": [2, 2]}, index=["a", "b"])
    (nl1,) = reading_findings.openness_findings(one, ["services", "ctivd"], persons, lang="nl")
    (nl2,) = reading_findings.openness_findings(two, ["services", "ctivd"], persons, lang="nl")
    (en2,) = reading_findings.openness_findings(two, ["services", "ctivd"], persons)
    assert "verandert 1 bulkdataset van niveau" in nl1 and "1 daarvan gaat" in nl1
    assert "veranderen 2 bulkdatasets van niveau" in nl2 and "1 daarvan gaat" in nl2
    assert "2 datasets change level" in en2 and "; 1 goes up." in en2


def test_english_is_the_default_and_unchanged(toy) -> None:
    rb = toy_rulebook()
    ev = evaluate_policies(toy_graph("services"), rb)
    assert (dispute_findings.policy_findings(ev, rb)
            == dispute_findings.policy_findings(ev, rb, lang="en"))
    assert dispute_findings.dispute_verdict(ev, rb) == toy["en"]["dispute_verdict"]
    assert toy["en"]["dispute_verdict"][2] == (
        "Frontier: **per dataset** and **authorisation per use** are not beaten on both "
        "under-protected combinations and total burden by any other rule.")
    assert phrases.percent(1, 3) == "33%" and names.plural(12000, "person") == "12,000 persons"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="not one of nl, en"):
        dispute_findings.dispute_verdict(evaluate_policies(toy_graph(), toy_rulebook()),
                                         toy_rulebook(), lang="fr")


# --- locale formats -------------------------------------------------------------------------

def test_locale_formats() -> None:
    assert i18n.number(1259319, "nl") == "1.259.319"
    assert i18n.number(1259319, "en") == "1,259,319"
    assert i18n.number(1000, "nl") == "1.000"
    assert i18n.decimal(1234.5, "nl", 1) == "1.234,5"
    assert i18n.percent(58, 100, "nl") == "58%" and i18n.percent(58, 100, "en") == "58%"
    assert i18n.date(dt.date(2026, 11, 30), "nl") == "30 november 2026"
    assert i18n.date(dt.date(2026, 11, 30), "en") == "30 November 2026"
    assert i18n.significant(1234.5, "en") == "1,230"  # never 1.23e+03
    assert i18n.join(["a", "b", "c"], "nl") == "a, b en c"


@pytest.mark.parametrize("x", [0.0, 0.35, 6.45, 55.45, 2.675, 1e7 + 0.5, 71946000.0, 1 / 3])
@pytest.mark.parametrize("digits", [0, 1, 3])
def test_english_numbers_round_as_python_formats_them(x: float, digits: int) -> None:
    assert i18n.decimal(x, "en", digits) == f"{x:,.{digits}f}"
    assert i18n.decimal(x, "nl", digits) == f"{x:,.{digits}f}".translate(
        str.maketrans({",": ".", ".": ","}))


# --- catalogues -------------------------------------------------------------------------------

def test_every_message_in_the_code_is_in_both_catalogues() -> None:
    used = {_key(m) for m in i18n.extract() if m.id}
    assert len(used) > 40
    for lang in i18n.LANGUAGES:
        held = {_key(m) for m in i18n.catalogue(lang) if m.id}
        assert used - held == set(), f"{lang}: run python -m bulkimpact.present.i18n update"
        assert held - used == set(), f"{lang}: entries no longer used"
        assert not i18n.catalogue(lang).obsolete


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_entry_is_translated_and_fills_only_offered_placeholders(lang: str) -> None:
    template = {_key(m): m for m in i18n.extract() if m.id}
    catalogue = i18n.catalogue(lang)
    assert catalogue.num_plurals == 2 and catalogue.plural_expr == "(n != 1)"
    for m in catalogue:
        if not m.id:
            continue
        assert not m.fuzzy, m.id
        strings = _strings(m)
        assert len(strings) == len(_ids(m)) and all(s.strip() for s in strings), \
            f"{lang}: no translation of {m.id!r}"
        offered = set().union(*(i18n.placeholders(i) for i in _ids(m)),
                              *(i18n.placeholders(c) for c in template[_key(m)].auto_comments))
        for s in strings:
            assert i18n.placeholders(s) <= offered, (lang, m.id, s)
            assert s.count("{") == s.count("}"), s


def test_dutch_translates_what_english_says() -> None:
    """A Dutch entry equal to its English msgid is a forgotten translation, save a few words."""
    same_in_dutch = {"{n} record", "{n} records", "{n} scenario", "postcode", "IBAN", "M",
                     "Status", "Parameters", "Notebook", "notebook"}
    for m in i18n.catalogue("nl"):
        if m.id:
            for mid, s in zip(_ids(m), _strings(m), strict=True):
                assert s != mid or mid in same_in_dutch, mid


def test_catalogue_names_match_the_bundled_rulebook() -> None:
    rb = load_rulebook(DEFAULT_RULEBOOK)
    assert set(i18n.READINGS) == set(rb.openness_variants)
    assert set(i18n.READING_LABELS) == {v.label for v in rb.openness_variants.values()}
    assert list(i18n.LEVELS) == rb.level_names()
    assert [i18n.level_name(n, "nl") for n in rb.level_names()] == [
        "buiten het bulkregime", "licht", "middelzwaar", "zwaar"]
    from bulkimpact.policies import POLICIES

    assert set(i18n.RULES) == set(POLICIES)
    for rule in POLICIES:
        assert i18n.rule_name(rule, "nl") != i18n.rule_name(rule, "en")
        assert i18n.rule_meaning(rule, "en") == phrases.RULE_MEANING[rule]


def test_catalogues_ship_as_package_data() -> None:
    """pyproject's package data covers the catalogues and the glossary (wheel and sdist)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bulkimpact"]
    shipped = {p for pattern in patterns for p in glob.glob(pattern, root_dir=PACKAGE,
                                                          recursive=True)}
    needed = {p.relative_to(PACKAGE).as_posix()
              for p in (PACKAGE / "present").rglob("*") if p.suffix in (".po", ".yaml")}
    assert needed and needed <= shipped, needed - shipped


# --- glossary ---------------------------------------------------------------------------------

def test_glossary_holds_the_terms_of_the_issue() -> None:
    terms = i18n.glossary()
    by_nl = {t["nl"]: t for t in terms}
    assert len(by_nl) == len(terms), "a Dutch term appears twice"
    missing = [t for t in REQUIRED_TERMS if t not in by_nl]
    assert missing == []
    sources = i18n.glossary_sources()
    for t in terms:
        assert set(t) <= {"nl", "en", "definition", "definitie", "quotes", "source", "tool_term",
                          "names", "note", "toelichting", "positions"}, t["nl"]
        assert t["nl"] and t["en"] and t["definition"], t["nl"]
        assert t.get("quotes") or t.get("tool_term"), f"{t['nl']}: neither quoted nor own"
        if t.get("quotes"):
            assert t.get("source") in sources, t["nl"]
    # the terms quoted from the sources, save the one no source document uses
    for term in REQUIRED_TERMS:
        assert by_nl[term].get("quotes") or term == "bijzondere persoonsgegevens", term
    assert "does not govern" in by_nl["bijzondere persoonsgegevens"]["note"]


def _dutch_gaps(terms: list[dict]) -> list[str]:
    """What a glossary lacks in Dutch: a `definitie` for every term, a `toelichting` beside
    every `note` (and none without one), each filled and not the English copied."""
    gaps = []
    for t in terms:
        name = t.get("nl", "?")
        if not str(t.get("definitie") or "").strip():
            gaps.append(f"{name}: no definitie")
        elif _normal(str(t["definitie"])) == _normal(str(t.get("definition", ""))):
            gaps.append(f"{name}: definitie is the English definition")
        if "note" in t and not str(t.get("toelichting") or "").strip():
            gaps.append(f"{name}: note without toelichting")
        if "toelichting" in t and "note" not in t:
            gaps.append(f"{name}: toelichting without note")
        if "note" in t and "toelichting" in t and _normal(str(t["note"])) == _normal(
                str(t["toelichting"])):
            gaps.append(f"{name}: toelichting is the English note")
    return gaps


def test_glossary_defines_every_term_in_dutch() -> None:
    terms = i18n.glossary()
    assert _dutch_gaps(terms) == []
    assert sum("toelichting" in t for t in terms) == sum("note" in t for t in terms) > 0


@pytest.mark.parametrize("term, gap", [
    ({"nl": "x", "definition": "An x."}, "x: no definitie"),
    ({"nl": "x", "definition": "An x.", "definitie": " "}, "x: no definitie"),
    ({"nl": "x", "definition": "An x.", "definitie": "An x."},
     "x: definitie is the English definition"),
    ({"nl": "x", "definition": "An x.", "definitie": "Een x.", "note": "N."},
     "x: note without toelichting"),
    ({"nl": "x", "definition": "An x.", "definitie": "Een x.", "toelichting": "T."},
     "x: toelichting without note"),
])
def test_glossary_dutch_check_fails_on_a_gap(term: dict, gap: str) -> None:
    assert gap in _dutch_gaps([term])


def test_glossary_names_are_the_catalogue_names() -> None:
    lookup = {"rule": i18n.rule_name, "reading": i18n.reading_name, "level": i18n.level_name}
    named = [t for t in i18n.glossary() if "names" in t]
    kinds = {t["names"]["kind"] for t in named}
    assert kinds == set(lookup)
    for t in named:
        name = lookup[t["names"]["kind"]]
        assert t["nl"] == name(t["names"]["id"], "nl"), t["nl"]
        assert t["en"] == name(t["names"]["id"], "en"), t["en"]
    levels = [t for t in named if t["names"]["kind"] == "level"]
    assert len(levels) == 4 and all("not levels or terms of the Tijdelijke regeling"
                                    in " ".join(t["note"].split()) for t in levels)


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the repo")
def test_glossary_quotes_its_sources_verbatim() -> None:
    seeds = {"nota-2026": "000_", "brief-2025": "002_"}
    texts = {key: _normal(next(SEEDS.glob(f"{prefix}*.txt")).read_text(encoding="utf-8"))
             for key, prefix in seeds.items()}
    quoted = 0
    for t in i18n.glossary():
        for quote in t.get("quotes", []):
            assert _normal(quote) in texts[t["source"]], (t["nl"], quote)
            quoted += 1
    assert quoted >= 15


def test_person_figures_are_rounded_to_what_the_model_supports() -> None:
    """Two significant digits, the side of the exact value in words, an interval rounded
    outwards; the exact value itself is the JSON's, not the reader's."""
    assert i18n.persons_figure(2_514_810, "nl") == "ruim 2,5 miljoen"
    assert i18n.persons_figure(2_514_810, "en") == "just over 2.5 million"
    assert i18n.persons_figure(2_480_000, "nl") == "bijna 2,5 miljoen"
    assert i18n.persons_figure(2_500_000, "nl") == "2,5 miljoen"
    assert i18n.persons_figure(1_000, "en") == "1,000"
    assert i18n.persons_figure(56_491_200, "nl") == "ruim 56 miljoen"
    assert i18n.persons_figure(8_000_000_000, "en") == "8 billion"
    assert i18n.persons_figure(2_514_810, "en", low=2_131_000, high=2_879_000) == (
        "just over 2.5 million (between 2.1 million and 2.9 million)")
    assert i18n.persons_figure(980, "nl", low=949, high=1_001) == "980 (tussen 940 en 1.100)"
