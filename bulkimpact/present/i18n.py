"""Dutch and English: message catalogues, locale formats and the glossary.

The computed sentences (the ``*_findings`` modules of :mod:`bulkimpact.present`) take their words
from gettext message catalogues, one per language, in
``bulkimpact/present/locale/<lang>/LC_MESSAGES/bulkimpact.po``. The ``.po``
files are the only form kept: they are read with Babel and turned into
:class:`babel.support.Translations` in memory on first use, so a fresh
``pip install -e .`` (or a wheel) needs no compile step.

Messages carry named placeholders (``{sets}``, ``{share}``, …) filled with
numbers already formatted for the language; plural forms come from the
catalogue (``ngettext``), so Dutch says "1 bulkdataset", "2 bulkdatasets".
A message may be offered more placeholders than its English text uses (a
translator comment in the catalogue lists them), because word order differs:
English "27 datasets of 45", Dutch "27 van de 45 bulkdatasets".

Locale formats come from Babel (CLDR): ``nl`` is formatted as ``nl_NL``,
``en`` as ``en_GB`` (day before month, no serial comma).

Names of decision rules, regime levels and openness readings are catalogue
entries too (:func:`rule_name`, :func:`level_name`, :func:`reading_name`).
The Dutch level names are this tool's names for the bundled rulebook's four
levels, not terms of the Tijdelijke regeling (whose criteria are not public in
full); the glossary says so.

Updating the catalogues after changing a message in the code::

    python -m bulkimpact.present.i18n update   # adds new messages, drops old ones
    # translate the new empty msgstr entries in locale/nl/…/bulkimpact.po
    python -m pytest tests/test_i18n.py        # fails while a Dutch entry is missing

Examples
--------
>>> t = translator("nl")
>>> t.ngettext("{n} dataset", "{n} datasets", 2).format(n=t.number(1259319))
'1.259.319 bulkdatasets'
>>> rule_name("per_dataset", "nl"), level_name("light", "nl")
('per bulkdataset afzonderlijk', 'licht')
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from babel.support import Translations

from ..registry import READINGS as _READINGS
from ..registry import RULES as _RULES

__all__ = ["LANGUAGES", "LOCALES", "DOMAIN", "Translator", "translator", "number", "decimal",
           "significant", "persons_figure", "persons_rounded", "round_persons", "PERSON_DIGITS",
           "percent", "date", "join",
           "plural_count", "rule_name", "rule_meaning",
           "level_name", "level_meaning", "reading_name", "reading_label", "glossary",
           "document_title", "TITLES", "terms",
           "glossary_sources", "NOUNS", "RULES", "LEVELS", "LEVEL_MEANINGS", "READINGS",
           "READING_LABELS", "catalogue_path", "catalogue", "extract", "update", "placeholders"]

#: The languages the reports are written in, Dutch first.
LANGUAGES = ("nl", "en")
#: Babel locale per language (formats of numbers, percentages, dates and lists).
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
#: gettext domain: the catalogue file name without ``.po``.
DOMAIN = "bulkimpact"

_HERE = Path(__file__).resolve().parent
LOCALE_DIR = _HERE / "locale"
GLOSSARY = _HERE / "glossary.yaml"
TERMS = _HERE / "terms.yaml"


# Markers: they return their arguments unchanged and only show the extractor
# (``python -m bulkimpact.present.i18n update``) which strings are messages.
def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a message for the catalogue; translate later with ``gettext``."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a message with a context; translate later with ``pgettext(context, …)``."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - gettext convention
    """Mark a message with plural forms; translate later with ``ngettext``."""
    return singular, plural


#: Counted nouns: English singular → the catalogue's plural message. ``{n}`` is
#: the number, formatted for the language.
NOUNS: dict[str, tuple[str, str]] = {
    "dataset": NN_("{n} dataset", "{n} datasets"),
    "exposure set": NN_("{n} combination", "{n} combinations"),
    "combination": NN_("{n} combination", "{n} combinations"),
    "distinct person": NN_("{n} distinct person", "{n} distinct persons"),
    "person": NN_("{n} person", "{n} persons"),
    "record": NN_("{n} record", "{n} records"),
    "investigation": NN_("{n} investigation", "{n} investigations"),
    "link": NN_("{n} link", "{n} links"),
    "connected component": NN_("{n} connected component", "{n} connected components"),
    "world": NN_("{n} world", "{n} worlds"),
    "pair": NN_("{n} pair", "{n} pairs"),
    "chain": NN_("{n} chain", "{n} chains"),
    "linkable pair": NN_("{n} linkable pair", "{n} linkable pairs"),
    "realised pair": NN_("{n} realised pair", "{n} realised pairs"),
}

#: Decision rules: id → (name, one line on what it does), both messages
#: (declared in :data:`bulkimpact.registry.RULES`).
RULES: dict[str, tuple[str, str]] = {k: (r.label, r.meaning) for k, r in _RULES.items()}

#: The bundled rulebook's level names (data/rulebooks/default.yaml). Other
#: rulebooks' names are shown as written there.
LEVELS = (NP_("level", "outside regime"), NP_("level", "light"), NP_("level", "medium"),
          NP_("level", "heavy"))

#: What the bundled rulebook's levels mean in practice (their ``description``), verbatim
#: (translated by their text; another rulebook's descriptions are shown as written).
LEVEL_MEANINGS = (
    NP_("level meaning",
        "No personal data (mainly technical sets), kept outside the bulk regime by policy."),
    NP_("level meaning", "Personal data of low intrusion; broad access for authorised staff."),
    NP_("level meaning",
        "Identifiable, non-public or large; restricted teams, shorter retention."),
    NP_("level meaning", "Sensitive or revealing; few named staff, prior approval per query."),
)

#: The bundled rulebook's openness readings: id → name.
READINGS: dict[str, str] = {k: r.label for k, r in _READINGS.items()}

#: The bundled rulebook's openness labels, verbatim (a test holds them to the file).
#: They are translated by their text, so a rulebook that words a reading otherwise
#: keeps its own label. Both languages say only what counts as publicly accessible:
#: sentences name the reading itself with :func:`reading_name`.
READING_LABELS = (
    NP_("reading label",
        "Services' reading (leaked and purchased data count as publicly accessible)"),
    NP_("reading label",
        "CTIVD reading (data from a leak are not publicly accessible; purchased data are)"),
    NP_("reading label", "CTIVD reading, purchased data also not publicly accessible"),
    NP_("reading label", "Only what the persons themselves made public"),
    NP_("reading label",
        "UK IPA Part 7A-like reading (made public by the persons, or published openly)"),
)


def catalogue_path(lang: str) -> Path:
    """The ``.po`` file of a language.

    Examples
    --------
    >>> catalogue_path("nl").relative_to(LOCALE_DIR).as_posix()
    'nl/LC_MESSAGES/bulkimpact.po'
    """
    _check(lang)
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    return lang


@functools.cache
def catalogue(lang: str) -> Catalog:
    """The language's catalogue as read from its ``.po`` file (cached)."""
    with catalogue_path(lang).open("rb") as f:
        return read_po(f, locale=LOCALES[lang], domain=DOMAIN)


def plural_count(n: Any) -> int:
    """The integer that picks a plural form: ``n`` rounded to a whole, as it is shown.

    Examples
    --------
    >>> plural_count(1.0), plural_count(0.6), plural_count(2.5)
    (1, 1, 2)
    """
    if isinstance(n, numbers.Integral):
        return int(n)
    return int(_exact(n).to_integral_value(rounding=ROUND_HALF_EVEN))


def _exact(x: Any) -> Decimal:
    """``x`` as a Decimal with its exact binary value, so rounding matches Python's format."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, numbers.Integral):
        return Decimal(int(x))
    return Decimal(float(x))


@dataclass(frozen=True)
class Translator:
    """gettext-like callables and locale formats for one language.

    ``ngettext`` accepts any number: the plural form follows the number as it
    is shown (rounded to a whole), so 1.2 persons are "1 person".

    Examples
    --------
    >>> t = translator("nl")
    >>> t.gettext("no combination under-protected")
    'geen combinatie onvoldoende beschermd'
    >>> [t.ngettext("{n} combination", "{n} combinations", k).format(n=k) for k in (1, 3)]
    ['1 combinatie', '3 combinaties']
    >>> t.number(1000), t.decimal(6.45, 1), t.percent(7, 12)
    ('1.000', '6,5', '58%')
    """

    lang: str
    translations: Translations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: float) -> str:
        return self.translations.ngettext(singular, plural, plural_count(n))

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: float) -> str:
        return self.translations.npgettext(context, singular, plural, plural_count(n))

    def has(self, message: str, context: str | None = None) -> bool:
        """Whether the catalogue translates ``message`` (else gettext returns it as is)."""
        entry = catalogue(self.lang).get(message, context=context)
        return entry is not None and bool(entry.string) and not entry.fuzzy

    def number(self, x: float) -> str:
        return number(x, self.lang)

    def decimal(self, x: float, digits: int | None = None) -> str:
        return decimal(x, self.lang, digits)

    def significant(self, x: float, digits: int = 3) -> str:
        return significant(x, self.lang, digits)

    def percent(self, part: float, whole: float) -> str:
        return percent(part, whole, self.lang)

    def date(self, d: _dt.date | str) -> str:
        return date(d, self.lang)

    def join(self, items: list[str]) -> str:
        return join(items, self.lang)


@functools.cache
def translator(lang: str = "en") -> Translator:
    """The :class:`Translator` of ``lang`` (``"nl"`` or ``"en"``), built once per process.

    Examples
    --------
    >>> nl, en = translator("nl"), translator("en")
    >>> nl.ngettext("{n} dataset", "{n} datasets", 1).format(n=1)
    '1 bulkdataset'
    >>> en.ngettext("{n} dataset", "{n} datasets", 1.0).format(n=1)
    '1 dataset'
    >>> translator("de")
    Traceback (most recent call last):
    ...
    ValueError: language 'de' is not one of nl, en
    """
    _check(lang)
    buf = io.BytesIO()
    write_mo(buf, catalogue(lang))  # fuzzy entries are left out, as gettext does
    buf.seek(0)
    return Translator(lang, Translations(fp=buf, domain=DOMAIN))


def decimal(x: float, lang: str = "en", digits: int | None = None) -> str:
    """``x`` with ``digits`` decimals (all of its shortest form when None), per locale.

    Rounding is Python's (half to even on the exact binary value), so English
    output equals ``f"{x:,.{digits}f}"``.

    Examples
    --------
    >>> decimal(55.45, "nl", 1), decimal(55.45, "en", 1), decimal(0.01, "nl"), decimal(1.0)
    ('55,5', '55.5', '0,01', '1')
    >>> decimal(1234567.891, "nl", 2)
    '1.234.567,89'
    """
    _check(lang)
    if digits is None:
        value = (Decimal(int(x)) if isinstance(x, numbers.Integral)
                 else Decimal(repr(float(x))).normalize())
        shown = max(0, -value.as_tuple().exponent)
        pattern = "#,##0" + ("." + "0" * shown if shown else "")
        return format_decimal(value, format=pattern, locale=LOCALES[lang],
                              decimal_quantization=False)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(_exact(x), format=pattern, locale=LOCALES[lang])


def number(x: float, lang: str = "en") -> str:
    """A count (or an expected count) rounded to a whole, with the locale's separators.

    Examples
    --------
    >>> number(1259319, "nl"), number(1259319, "en"), number(2530366.4, "nl")
    ('1.259.319', '1,259,319', '2.530.366')
    """
    return decimal(x, lang, 0)


def significant(x: float, lang: str = "en", digits: int = 3) -> str:
    """``x`` to ``digits`` significant digits, never in exponent form.

    Examples
    --------
    >>> significant(0.34312, "nl"), significant(0.34312, "en"), significant(12345.6, "nl")
    ('0,343', '0.343', '12.300')
    """
    if x == 0 or x != x:
        return decimal(x, lang)
    rounded = float(f"{float(x):.{digits}g}")
    return decimal(int(rounded) if rounded == int(rounded) else rounded, lang)


#: Significant digits a person figure is shown with: the figures rest on independence and
#: stated sizes, so a third digit would claim a precision the model does not have.
PERSON_DIGITS = 2


def persons_figure(x: float, lang: str = "en", low: float | None = None,
                   high: float | None = None) -> str:
    """A number of persons as a reader sees it: rounded to what the model supports.

    Parameters
    ----------
    x : float
        The exact expected number (the JSON keeps it).
    lang : str
        ``"nl"`` or ``"en"``.
    low, high : float, optional
        An interval around it (say, of the robustness draws), shown rounded
        outwards.

    Returns
    -------
    str
        ``x`` to :data:`PERSON_DIGITS` significant digits, millions and
        billions in words, with "ruim" / "just over" when the exact value is
        above the figure shown and "bijna" / "almost" when below.

    Examples
    --------
    >>> persons_figure(2_514_810, "nl"), persons_figure(2_514_810, "en")
    ('ruim 2,5 miljoen', 'just over 2.5 million')
    >>> persons_figure(2_514_810, "nl", low=2_131_000, high=2_871_000)
    'ruim 2,5 miljoen (tussen 2,1 miljoen en 2,9 miljoen)'
    >>> persons_figure(8_250, "nl"), persons_figure(12_960_000, "en"), persons_figure(37, "nl")
    ('ruim 8.200', 'almost 13 million', '37')
    """
    t = translator(lang)
    shown = round_persons(x, "nearest")
    figure = _persons_words(shown, lang)
    if x > shown + 0.5:
        figure = t.pgettext("persons figure", "just over {figure}").format(figure=figure)
    elif x < shown - 0.5:
        figure = t.pgettext("persons figure", "almost {figure}").format(figure=figure)
    if low is None or high is None:
        return figure
    return t.pgettext("persons figure", "{figure} (between {low} and {high})").format(
        figure=figure, low=_persons_words(round_persons(low, "down"), lang),
        high=_persons_words(round_persons(high, "up"), lang))


def persons_rounded(x: float, lang: str = "en") -> str:
    """Expected distinct persons as a table shows them: rounded to what the model supports
    (:data:`PERSON_DIGITS` significant digits), millions in words, without "just over".

    Examples
    --------
    >>> persons_rounded(2_519_440, "nl"), persons_rounded(2_820, "en"), persons_rounded(37, "nl")
    ('2,5 miljoen', '2,800', '37')
    """
    return _persons_words(round_persons(x, "nearest"), lang)


def round_persons(x: float, direction: str = "nearest") -> float:
    """``x`` to :data:`PERSON_DIGITS` significant digits (whole persons below 100),
    rounded ``"nearest"``, ``"down"`` or ``"up"``.

    Examples
    --------
    >>> round_persons(2_519_440), round_persons(2_519_440, "up"), round_persons(37.4)
    (2500000.0, 2600000.0, 37.0)
    """
    if abs(x) < 100:
        return float(round(x))
    step = 10.0 ** (math.floor(math.log10(abs(x))) - PERSON_DIGITS + 1)
    how = {"nearest": round, "down": math.floor, "up": math.ceil}[direction]
    return float(how(x / step) * step)


def _persons_words(x: float, lang: str) -> str:
    """A rounded figure: millions and more in words (CLDR), below that with separators."""
    if abs(x) < 1_000_000:
        return number(x, lang)
    return format_compact_decimal(x, locale=LOCALES[lang], format_type="long",
                                  fraction_digits=1)


def percent(part: float, whole: float, lang: str = "en") -> str:
    """``part`` as a share of ``whole``, a rounded percentage ("0%" when whole is 0).

    Examples
    --------
    >>> percent(7, 12, "nl"), percent(1, 3, "en"), percent(0, 0, "nl")
    ('58%', '33%', '0%')
    """
    _check(lang)
    if not whole:
        whole, part = 1, 0
    value = _exact(100 * part / whole).to_integral_value(rounding=ROUND_HALF_EVEN)
    return format_percent(value / 100, locale=LOCALES[lang])


def date(d: _dt.date | _dt.datetime | str, lang: str = "en") -> str:
    """A date written out, day first: "30 november 2026", "30 November 2026".

    Examples
    --------
    >>> date(_dt.date(2026, 11, 30), "nl"), date("2026-11-30", "en")
    ('30 november 2026', '30 November 2026')
    """
    _check(lang)
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d[:10])
    return format_date(d, format="d MMMM y", locale=LOCALES[lang])


def join(items: list[str], lang: str = "en") -> str:
    """Items joined as a list in the language: "a, b and c", "a, b en c".

    Examples
    --------
    >>> join(["a", "b", "c"], "en"), join(["a", "b"], "nl"), join(["a"], "nl")
    ('a, b and c', 'a en b', 'a')
    """
    _check(lang)
    return format_list(list(items), locale=LOCALES[lang]) if items else ""


def rule_name(rule: str, lang: str = "en") -> str:
    """A decision rule's human name (the id itself for a rule the catalogue lacks).

    Examples
    --------
    >>> rule_name("component", "nl"), rule_name("component", "en"), rule_name("mine", "nl")
    ('hele component', 'whole component', 'mine')
    """
    if rule not in RULES:
        return rule
    return translator(lang).pgettext("rule", RULES[rule][0])


def rule_meaning(rule: str, lang: str = "en") -> str:
    """One line on what a decision rule does (the id itself when unknown).

    Examples
    --------
    >>> rule_meaning("per_dataset", "nl")
    'elke bulkdataset naar zijn eigen aard'
    """
    if rule not in RULES:
        return rule
    return translator(lang).pgettext("rule meaning", RULES[rule][1])


def level_name(name: str, lang: str = "en") -> str:
    """A regime level's name in the language.

    The Dutch names of the bundled rulebook's levels are this tool's, not the
    Tijdelijke regeling's; a level the catalogue does not know keeps the name
    its rulebook gives it.

    Examples
    --------
    >>> [level_name(n, "nl") for n in ("outside regime", "light", "medium", "heavy")]
    ['buiten het bulkregime', 'licht', 'middelzwaar', 'zwaar']
    >>> level_name("amber", "nl")
    'amber'
    """
    return translator(lang).pgettext("level", name)


def level_meaning(description: str, lang: str = "en") -> str:
    """What a regime level means in practice, in the language (its rulebook description).

    Examples
    --------
    >>> level_meaning("Sensitive or revealing; few named staff, prior approval per query.", "en")
    'Sensitive or revealing; few named staff, prior approval per query.'
    """
    return translator(lang).pgettext("level meaning", description)


def reading_name(reading: str, lang: str = "en") -> str:
    """An openness reading's human name (``"<id> reading"`` for one the catalogue lacks).

    Examples
    --------
    >>> reading_name("services", "nl"), reading_name("ctivd", "en")
    ('lezing van de diensten', 'CTIVD reading')
    >>> reading_name("mine", "nl")
    'lezing mine'
    """
    t = translator(lang)
    if reading in READINGS:
        return t.pgettext("reading", READINGS[reading])
    return t.gettext("{reading} reading").format(reading=reading)


#: Titles of the bundled inventories, rulebook and exchange log, as their files write them
#: (English); the catalogues give them in each language.
TITLES = (
    NP_("title", "Baseline inventory (fictional)"),
    NP_("title", "Dense inventory (fictional)"),
    NP_("title", "Sparse inventory (fictional)"),
    NP_("title", "CSV example inventory (fictional)"),
    NP_("title", "Illustrative default rulebook (assumption, not the services' rulebook)"),
    NP_("title", "Exchange log with private partners in the cyber domain (fictional)"),
)


@functools.cache
def terms() -> dict[str, Any]:
    """The term list (``terms.yaml``): one Dutch word per concept, and what to avoid.

    Examples
    --------
    >>> by_nl = {t["nl"]: t for t in terms()["terms"]}
    >>> by_nl["toestemming per gebruik"]["en"], "als-dan" in by_nl["wat als"]["avoid"]
    ('authorisation per use', True)
    """
    with TERMS.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def document_title(title: str, lang: str = "en") -> str:
    """A file's title in `lang`: the catalogue's for a bundled file, else as its file writes it.

    Examples
    --------
    >>> document_title("Baseline inventory (fictional)", "nl")
    'Basisinventaris (fictief)'
    >>> document_title("Mijn inventaris", "nl")
    'Mijn inventaris'
    """
    return translator(lang).pgettext("title", title) if title in TITLES else title


def reading_label(label: str, lang: str = "en") -> str:
    """A rulebook's label of an openness reading, in the language.

    The bundled rulebook's labels are in the catalogue; any other label is
    returned as the rulebook words it.

    Examples
    --------
    >>> reading_label("CTIVD reading (data from a leak are not publicly accessible; "
    ...               "purchased data are)", "nl")
    'gegevens uit een datalek worden als niet openbaar toegankelijk vastgesteld; dat gekochte \
gegevens openbaar toegankelijk blijven, is een aanname van bulkimpact'
    """
    return translator(lang).pgettext("reading label", label)


@functools.cache
def _glossary(path: str) -> tuple[Mapping[str, Any], ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return tuple(data["terms"])


def glossary(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The Dutch–English glossary: one dict per term.

    Keys: ``nl``, ``en``, ``definition`` (English), optionally ``quotes`` (the
    Dutch source text, verbatim), ``source`` (a key of :func:`glossary_sources`),
    ``tool_term`` (true for this tool's own words, which no source uses),
    ``names`` (the catalogue name it glosses: ``{kind: rule|reading|level, id: …}``)
    and ``note``.

    Examples
    --------
    >>> terms = {t["nl"]: t for t in glossary()}
    >>> terms["besliskader"]["en"]
    'decision framework'
    >>> terms["licht"]["tool_term"], terms["licht"]["names"]
    (True, {'kind': 'level', 'id': 'light'})
    """
    return [dict(t) for t in _glossary(str(path or GLOSSARY))]


def glossary_sources(path: str | Path | None = None) -> dict[str, str]:
    """The glossary's sources: key → full reference."""
    data = yaml.safe_load(Path(path or GLOSSARY).read_text(encoding="utf-8"))
    return dict(data["sources"])


# --- catalogue maintenance --------------------------------------------------

#: Functions whose string arguments are messages (Babel keyword specifications).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3), "N_": None, "NP_": ((1, "c"), 2), "NN_": (1, 2)}
#: The report pages' templates (Jinja2, words in ``_()``): their messages are extracted too.
TEMPLATES = _HERE.parent / "report" / "templates" / "pages"
#: Modules the messages are extracted from.
SOURCES = ("../registry.py", "../sensitivity.py", "../verdict.py", "i18n.py", "verdict.py",
           "names.py", "phrases.py", "dispute_findings.py", "rule_findings.py",
           "exploration_findings.py", "reading_findings.py", "rulebook_names.py",
           "inventory_findings.py", "linkage_findings.py", "combination_findings.py",
           "captions.py", "tables.py", "figures.py", "reading_plots.py", "linkage_plots.py",
           "combination_plots.py", "rule_plots.py", "exploration_plots.py",
           "validation_plots.py", "validation.py", "record_names.py", "mosaic_findings.py",
           "downloads.py", "exploration_tables.py",
           "exchange_findings.py", "exchange_plots.py", "timeline_findings.py",
           "timeline_plots.py", "scope.py")
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(text: str) -> set[str]:
    """The named ``{placeholders}`` of a message.

    Examples
    --------
    >>> sorted(placeholders("{sets} of {total} ({share})"))
    ['sets', 'share', 'total']
    """
    return set(_PLACEHOLDER.findall(text))


def extract() -> Catalog:
    """The messages the code uses, with translator comments, as a template catalogue."""
    from babel.messages.extract import extract_from_file

    template = Catalog(domain=DOMAIN, project="bulkimpact")
    for name in SOURCES:
        for _lineno, message, comments, context in extract_from_file(
                "python", str(_HERE / name), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
                strip_comment_tags=True):
            template.add(message, context=context, auto_comments=comments)
    for path in sorted(TEMPLATES.glob("*.j2")):
        for _lineno, message, comments, context in extract_from_file(
                "jinja2.ext:babel_extract", str(path), keywords=KEYWORDS,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
                options={"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}):
            template.add(message, context=context, auto_comments=comments)
    return template


def update(lang: str) -> list[str]:
    """Merge the code's messages into a language's ``.po`` file; return the new msgids.

    English entries get their msgid as msgstr; Dutch ones stay empty until
    translated (the tests fail while one is). Entries no longer used are dropped.
    """
    from babel.messages.pofile import write_po

    template = extract()
    path = catalogue_path(lang)
    with path.open("rb") as f:
        cat = read_po(f, locale=LOCALES[lang], domain=DOMAIN)
    known = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in cat if m.id}
    created = cat.creation_date
    cat.update(template, no_fuzzy_matching=True)
    cat.obsolete.clear()
    cat.creation_date = created  # an update without new messages leaves the file as it was
    cat.msgid_bugs_address = "the bulkimpact issue tracker"
    added = []
    for m in cat:
        if not m.id:
            continue
        key = (m.id if isinstance(m.id, str) else m.id[0], m.context)
        if key not in known:
            added.append(key[0])
            if lang == "en":
                m.string = m.id if isinstance(m.id, str) else tuple(m.id)
    with path.open("wb") as f:
        write_po(f, cat, width=100, no_location=True, omit_header=False)
    catalogue.cache_clear()
    translator.cache_clear()
    return added


if __name__ == "__main__":  # pragma: no cover - maintenance command
    import sys

    if sys.argv[1:] != ["update"]:
        sys.exit("usage: python -m bulkimpact.present.i18n update")
    for lang in LANGUAGES:
        new = update(lang)
        print(f"{catalogue_path(lang)}: {len(new)} new message(s)"
              + "".join(f"\n  {m}" for m in new))
