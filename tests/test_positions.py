"""Positions as the sources give them: the table is verbatim, and every attribution cites it.

The table (``bulkimpact/data/positions.yaml``) holds each position the reports
attribute to someone, with the source's exact words. These tests hold that
every row is verbatim in the document it names, that each document is named
as it identifies itself, and that every Dutch sentence of the reports that
attributes a position (the CTIVD, the ministers, the services or the
Evaluatiecommissie followed by "stelt", "vindt", "acht", … or by a quotation)
cites a row: in a notebook with ``<cite data-position="ID">`` in the same
paragraph, in the glossary with ``positions: [ID]`` on the term, in the Dutch
catalogue with a translator comment ``# standpunt: ID`` on the entry.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from markupsafe import escape

from bulkimpact.positions import PositionTable, load_positions, normalise_quote
from bulkimpact.present import i18n
from bulkimpact.problems import InputError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def seeds_dir() -> Path | None:
    """The source documents: ``$BULKIMPACT_SEEDS``, or ``shared/seeds`` beside a parent."""
    if os.environ.get("BULKIMPACT_SEEDS"):
        return Path(os.environ["BULKIMPACT_SEEDS"])
    for parent in ROOT.parents:
        if (parent / "shared" / "seeds").is_dir():
            return parent / "shared" / "seeds"
    return None


SEEDS = seeds_dir()
needs_seeds = pytest.mark.skipif(SEEDS is None, reason="the source documents are not beside "
                                                       "the checkout")

#: Who can hold a position, as the Dutch text names them.
ACTOR = re.compile(r"\b(CTIVD|ministers?|diensten|Evaluatiecommissie|beleidsreactie)\b")
#: Verbs and phrases that attribute a position to the actor named in the same sentence.
ATTRIBUTES = re.compile(
    r"\b(stelt|stellen|vindt|vinden|acht|achten|oordeelt|oordelen|vreest|vrezen|meent|menen|"
    r"noemt|noemen|vermeldt|vermelden|concludeert|concluderen|beveelt|bevelen|zegt|zeggen|"
    r"herkennen|waarschuwt|waarschuwen|kiezen|kiest|volgens|aanmerken|beval)\b")
CITE = re.compile(r'<cite data-position="([a-z0-9-]+)">(.*?)</cite>', re.DOTALL)
#: Quotations are between double quotes; single quotes mark names and terms.
QUOTE = re.compile(r'"([^"]{25,})"')


def seed_text(prefix: str) -> str:
    return normalise_quote(next(SEEDS.glob(f"{prefix}*.txt")).read_text(encoding="utf-8"))


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (a full stop, ? or ! followed by a capital ends one)."""
    return [s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z‘\"(])", paragraph) if s.strip()]


def attributing(paragraph: str) -> list[str]:
    """The sentences of `paragraph` that attribute a position to an actor.

    Examples
    --------
    >>> attributing("De CTIVD stelt dat het anders moet. Dit hulpmiddel telt combinaties.")
    ['De CTIVD stelt dat het anders moet.']
    >>> attributing('Volgens de diensten "zijn gegevens uit een datalek openbaar".')
    ['Volgens de diensten "zijn gegevens uit een datalek openbaar".']
    >>> attributing("De lezing van de CTIVD is een instelling van dit hulpmiddel.")
    []
    """
    text = CITE.sub("", paragraph)
    return [s for s in sentences(text) if ACTOR.search(s)
            and (ATTRIBUTES.search(s) or QUOTE.search(s) or re.search(ACTOR.pattern + ":", s))]


def uncited(paragraph: str, cited: list[str], table: PositionTable) -> list[str]:
    """What `paragraph` attributes or quotes that its cited rows do not back.

    Examples
    --------
    >>> t = load_positions()
    >>> uncited("De CTIVD stelt dat het anders moet.", [], t)
    ['no position cited: De CTIVD stelt dat het anders moet.']
    >>> uncited('De CTIVD: "in samenhang te bekijken, want dat is beter"', ["ctivd-amvb"], t)
    ["quotation not in the cited rows ['ctivd-amvb']: in samenhang te bekijken, want dat is beter"]
    >>> uncited('De CTIVD: "het van belang is bulkdatasets in samenhang te bekijken"',
    ...         ["ctivd-in-samenhang"], t)
    []
    """
    problems = []
    if not cited:
        problems += [f"no position cited: {s}" for s in attributing(paragraph)]
    rows = [normalise_quote(table.position(i).quote) for i in cited]
    for match in QUOTE.finditer(re.sub(r"<[^>]+>", " ", CITE.sub("", paragraph))):
        quote = normalise_quote(match.group(1))
        parts = [p.strip(" .,") for p in re.split(r"\[…\]|…|\.\.\.", quote)]
        if not any(all(p in row for p in parts if p) for row in rows):
            problems.append(f"quotation not in the cited rows {cited}: {quote}")
    return problems


# --- the table ------------------------------------------------------------------------------

def test_the_table_loads_and_names_every_actor_of_the_issue() -> None:
    table = load_positions()
    assert {"ctivd", "diensten", "ministers", "evaluatiecommissie"} <= set(table.actors)
    assert {p.who for p in table.positions} >= {"ctivd", "diensten", "ministers",
                                                "evaluatiecommissie"}
    assert {p.document for p in table.positions} == set(table.documents)
    for p in table.positions:
        assert p.what.nl != p.what.en and p.locator.nl.startswith("p. "), p.id
    # seed 000 is a memo about a draft: what it reports of the ministers is the draft's
    assert not [p.id for p in table.positions if p.document == "nota-2026"
                and p.who == "ministers"]


def test_the_glossary_page_lists_every_position_a_report_can_cite() -> None:
    from bulkimpact.report.pages import glossary_page
    from bulkimpact.rulebook import load_rulebook

    table = load_positions()
    page = glossary_page("nl", ["nl", "en"], load_rulebook(ROOT / "data/rulebooks/default.yaml"))
    for p in table.positions:
        assert f'<tr id="{p.id}">' in page and str(escape(table.citation(p.id, "nl"))) in page
    assert str(escape(table.source("nota-2026", "nl"))) in page


@needs_seeds
def test_every_quote_is_verbatim_in_its_document() -> None:
    table = load_positions()
    texts = {key: seed_text(doc.seed) for key, doc in table.documents.items()}
    for p in table.positions:
        assert normalise_quote(p.quote) in texts[p.document], p.id
    assert len(table.positions) >= 25


@needs_seeds
def test_documents_are_named_as_they_identify_themselves() -> None:
    table = load_positions()
    nota, brief = table.documents["nota-2026"], table.documents["brief-2025"]
    nota_text, brief_text = seed_text(nota.seed), seed_text(brief.seed)
    # seed 000 is a memo to the minister about a draft, not the ministers' reply
    assert "TER ONDERTEKENING" in nota_text and "ter ondertekening" in nota.status.nl
    assert nota.kind.nl.startswith("nota aan de minister") and "reactie" not in nota.kind.nl
    assert "23 juni 2026" in nota_text and "2026-0000298961" in nota.reference.nl
    assert "2026-0000298961" in nota_text
    assert "17 februari 2025" in brief_text
    for kenmerk in ("9da7db95-or1-1.9", "DIS2025004863"):
        assert kenmerk in brief_text and kenmerk in brief.reference.nl
    for doc, text in ((nota, nota_text), (brief, brief_text)):
        assert normalise_quote(doc.title) in text


@needs_seeds
def test_every_locator_names_a_section_of_its_document() -> None:
    table = load_positions()
    for p in table.positions:
        section = p.locator.nl.split(", ")[1].split(" (")[0]
        assert section in seed_text(table.documents[p.document].seed), (p.id, section)


def test_a_broken_table_is_refused_with_the_row_and_field(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "bulkimpact" / "data" / "positions.yaml").read_text("utf-8"))
    data["positions"][2]["who"] = "de premier"
    path = tmp_path / "positions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=r"positions.yaml.*'de premier' is not one of"):
        load_positions(path)
    with pytest.raises(KeyError, match="nearest: ctivd-amvb"):
        load_positions().position("ctivd-amv")


# --- every attribution cites a row ----------------------------------------------------------

def dutch_paragraphs(source: str) -> list[str]:
    """The paragraphs and list items of the markdown cells tagged ``nl`` of a notebook."""
    parts = re.split(r"^(# %%.*)$", source, flags=re.MULTILINE)
    paragraphs: list[str] = []
    for header, body in zip(parts[1::2], parts[2::2], strict=True):
        if "[markdown]" not in header or 'tags=["nl"]' not in header:
            continue
        lines = [line[2:] if line.startswith("# ") else line[1:]
                 for line in body.splitlines() if line.startswith("#")]
        current: list[str] = []
        for line in lines + [""]:
            if not line.strip() or re.match(r"\s*(?:[-*]|\d+\.)\s|#", line):
                if current:
                    paragraphs.append(" ".join(current))
                current = [line.lstrip("> ")] if line.strip() else []
            else:
                current.append(line.lstrip("> "))
    return paragraphs


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_attribution_in_a_notebook_cites_a_position(notebook: Path) -> None:
    table = load_positions()
    problems = []
    for paragraph in dutch_paragraphs(notebook.read_text("utf-8")):
        cites = CITE.findall(paragraph)
        for position_id, shown in cites:
            assert " ".join(shown.split()) == table.citation(position_id, "nl"), (
                f"{notebook.name}: the citation of {position_id} must read "
                f"{table.citation(position_id, 'nl')!r}, not {shown!r}")
        problems += uncited(paragraph, [i for i, _ in cites], table)
    assert not problems, f"{notebook.name}: {problems}"


def test_every_attribution_in_the_glossary_cites_a_position() -> None:
    table = load_positions()
    problems = []
    for term in i18n.glossary():
        cited = list(term.get("positions", []))
        for field in ("definitie", "toelichting"):
            problems += [f"{term['nl']}: {p}" for p in uncited(str(term.get(field, "")), cited,
                                                                table)]
    assert not problems, problems


def test_every_attribution_in_the_dutch_catalogue_cites_a_position() -> None:
    table = load_positions()
    with i18n.catalogue_path("nl").open("rb") as f:
        catalogue = read_po(f, locale="nl_NL")
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        cited = [c.split(":", 1)[1].strip() for c in message.user_comments
                 if c.startswith("standpunt:")]
        strings = [message.string] if isinstance(message.string, str) else message.string
        for text in strings:
            problems += uncited(re.sub(r"\{[a-z_]+\}", "X", text), cited, table)
    assert not problems, problems
