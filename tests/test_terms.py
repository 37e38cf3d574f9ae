"""Dutch as a ministry writes it: one word per concept, no English or code in Dutch text.

The term list (``bulkimpact/present/terms.yaml``) names the word the reports
use for each concept, whether a source document uses it, and the calques and
drifting synonyms to avoid; it also lists English words and code identifiers
that never stand in Dutch text. These tests read every Dutch string of the
catalogue, the glossary's Dutch, the Dutch cells of the notebooks and the
Dutch titles of the bundled files against it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulkimpact.positions import load_positions, normalise_quote
from bulkimpact.present import i18n

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
SEEDS = next((p / "shared" / "seeds" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
             None)


def offences(text: str) -> list[str]:
    """What `text` (Dutch) says that the term list rules out.

    Quotations (between double quotes), formulas, placeholders, HTML tags and
    citations are left out: a quotation is the source's, not ours.

    Examples
    --------
    >>> offences("Baseline inventory (fictional)")
    ['English: Baseline inventory', 'English: fictional']
    >>> found = offences("De regel hoogt 3 bulkdatasets op, als-dan.")
    >>> [o.split(" (say: ")[1] for o in found]
    ['in een zwaarder regime plaatsen)', 'wat als)']
    >>> offences('De nota: "het oordeel van de Evaluatiecommissie". {rule_id}')
    []
    >>> offences("boven low_intrusion_level van het regelboek")
    ['English: low_intrusion_level', 'code: low_intrusion_level']
    """
    text = re.sub(r"<cite [^>]*>.*?</cite>|<[^>]+>|\{[a-z_]+\}|%\([a-z_]+\)s", " ", text)
    text = re.sub(r"`[^`]*[×^/][^`]*`", " ", text)  # a formula, not an identifier
    text = " ".join(re.sub(r'"[^"]*"', " ", text).split())
    found = []
    for word in i18n.terms()["english"]:
        flags = 0 if word in ("None",) or "_" in word else re.IGNORECASE
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, flags):
            found.append(f"English: {word}")
    found += [f"code: {c}" for c in re.findall(r"(?<![\w.-])[a-z]+(?:_[a-z0-9]+)+\b", text)]
    for term in i18n.terms()["terms"]:
        for pattern in term["avoid"]:
            if re.search(rf"(?<![\w-]){pattern}(?![\w-])", text, re.IGNORECASE):
                found.append(f"avoid {pattern!r} (say: {term['nl']})")
    return found


def dutch_catalogue() -> list[tuple[str, str]]:
    out = []
    for m in i18n.catalogue("nl"):
        if m.id:
            strings = [m.string] if isinstance(m.string, str) else list(m.string)
            out += [(str(m.id), s) for s in strings]
    return out


def test_the_term_list_names_its_sources_truly() -> None:
    listed = i18n.terms()
    documents = set(load_positions().documents) | {"tool"}
    assert {t["source"] for t in listed["terms"]} <= documents
    words = {t["nl"] for t in listed["terms"]}
    for required in ("bulkdataset", "in samenhang wegen", "verstrekking", "toestemming",
                     "privacyinbreuk", "openbaarheidscriterium"):
        assert required in words
    if SEEDS is not None:
        texts = {key: normalise_quote(next(SEEDS.glob(f"{doc.seed}*.txt")).read_text("utf-8"))
                 .lower() for key, doc in load_positions().documents.items()}
        for t in listed["terms"]:
            if t["source"] != "tool":
                stem = t["nl"].split()[0] if t["nl"] == "in samenhang wegen" else t["nl"]
                assert stem.lower() in texts[t["source"]], t["nl"]


def test_the_glossary_uses_the_term_list_words() -> None:
    glossary = {t["nl"]: t for t in i18n.glossary()}
    shared = [t for t in i18n.terms()["terms"] if t["nl"] in glossary]
    assert len(shared) >= 6
    for t in shared:
        assert t["en"].split(" (")[0] in glossary[t["nl"]]["en"], t["nl"]


def test_no_dutch_catalogue_entry_reads_as_a_translation() -> None:
    bad = [(mid[:60], s[:120], offences(s)) for mid, s in dutch_catalogue() if offences(s)]
    assert bad == []


def test_the_glossary_dutch_has_no_english_or_avoided_terms() -> None:
    bad = []
    for t in i18n.glossary():
        for field in ("nl", "definitie", "toelichting"):
            if problems := offences(str(t.get(field, ""))):
                bad.append((t["nl"], field, problems))
    assert bad == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_dutch_notebook_cell_reads_as_a_translation(notebook: Path) -> None:
    parts = re.split(r"^(# %%.*)$", notebook.read_text("utf-8"), flags=re.MULTILINE)
    prose = " ".join(
        " ".join(line[2:] if line.startswith("# ") else line[1:]
                 for line in body.splitlines() if line.startswith("#"))
        for header, body in zip(parts[1::2], parts[2::2], strict=True)
        if "[markdown]" in header and 'tags=["nl"]' in header)
    assert offences(re.sub(r"(^|\s)> ", " ", prose)) == []


def test_bundled_titles_are_dutch_on_dutch_pages() -> None:
    for title in i18n.TITLES:
        dutch = i18n.document_title(title, "nl")
        assert dutch != title and offences(dutch) == [], dutch
        assert i18n.document_title(title, "en") == title
