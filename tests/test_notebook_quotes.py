"""Every quotation in the reports' Dutch prose is verbatim from a source document.

The notebooks' Dutch cells, the Dutch catalogue and the glossary's Dutch are read.

The Dutch cells of the notebooks quote the two source documents (in
``shared/seeds``, beside the repository) between double quotes; a quote of
25 characters or more must appear in a source word for word (whitespace,
line breaks and the shape of apostrophes aside; "…" marks an omission).
Citations (``<cite data-position=…>``) name a source; they are not quotations.
The test is skipped where the sources are neither in ``shared/seeds`` beside
the checkout or a folder above it, nor in ``$BULKIMPACT_SEEDS``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _seeds() -> Path:
    """``$BULKIMPACT_SEEDS``, or ``shared/seeds`` beside the checkout or one of its parents."""
    if os.environ.get("BULKIMPACT_SEEDS"):
        return Path(os.environ["BULKIMPACT_SEEDS"])
    return next((p / "shared" / "seeds" for p in ROOT.parents
                 if (p / "shared" / "seeds").is_dir()), ROOT.parent / "shared" / "seeds")


SEEDS = _seeds()
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def normalise(text: str) -> str:
    """One space for any whitespace, straight apostrophes."""
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def dutch_prose(source: str) -> str:
    """The text of the markdown cells tagged ``nl`` of a jupytext percent file, citations out."""
    parts = re.split(r"^(# %%.*)$", source, flags=re.MULTILINE)
    cells = [body for header, body in zip(parts[1::2], parts[2::2], strict=True)
             if "[markdown]" in header and 'tags=["nl"]' in header]
    lines = [line[2:] if line.startswith("# ") else line[1:]
             for body in cells for line in body.splitlines() if line.startswith("#")]
    prose = re.sub(r"(^|\s)> ", " ", " ".join(lines))
    return re.sub(r"<cite [^>]*>.*?</cite>", "", prose)  # citations name sources, not quotes


def quotations(prose: str) -> list[str]:
    """Passages between double quotes, 25 characters or longer (shorter ones are terms).

    Examples
    --------
    >>> quotations('Wat "openbaar" is, staat in "een besliskader om te bepalen of meerdere".')
    ['een besliskader om te bepalen of meerdere']
    """
    return [q for q in re.findall(r'"([^"]*)"', prose) if len(q) >= 25]


def unverified(prose: str, sources: str) -> list[str]:
    """The quotations of `prose` (or their parts around an omission) missing from `sources`.

    Examples
    --------
    >>> unverified('"een besliskader om te bepalen of … bulkdatasets"', normalise(
    ...     "een besliskader om te bepalen of meerdere bulkdatasets"))
    []
    >>> unverified('"een besliskader dat niemand ooit heeft bedacht"', "een besliskader")
    ['een besliskader dat niemand ooit heeft bedacht']
    """
    missing = []
    for quote in quotations(prose):
        parts = [p.strip(" .,") for p in re.split(r"\[…\]|…|\.\.\.", normalise(quote))]
        missing.extend(p for p in parts if p and p not in sources)
    return missing


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the checkout")
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_dutch_quotations_are_verbatim(notebook: Path) -> None:
    sources = normalise(" ".join(p.read_text("utf-8") for p in SEEDS.glob("*.txt")))
    missing = unverified(dutch_prose(notebook.read_text("utf-8")), sources)
    assert not missing, f"{notebook.name}: not in the sources: {missing[0]!r}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the checkout")
def test_dutch_catalogue_and_glossary_quotations_are_verbatim() -> None:
    """The Dutch catalogue's entries and the glossary's Dutch quote the sources word for word."""
    from bulkimpact.present import i18n

    sources = normalise(" ".join(p.read_text("utf-8") for p in SEEDS.glob("*.txt")))
    texts = [s for m in i18n.catalogue("nl") if m.id
             for s in ([m.string] if isinstance(m.string, str) else m.string)]
    texts += [str(t.get(k, "")) for t in i18n.glossary() for k in ("definitie", "toelichting")]
    quoted = [q for text in texts for q in quotations(text)]
    assert len(quoted) >= 5  # the rulebook's sources and the readings quote the nota
    missing = [m for text in texts for m in unverified(text, sources)]
    assert not missing, f"not in the sources: {missing[0]!r}"
