"""Downloads beside a report: its results as CSV (and JSON), linked by relative paths.

A report's notebook writes its tables into its ``out_dir`` (in a batch,
``reports/<inventory>/<report>_files/``), once for every language: columns
carry the ids of :data:`bulkimpact.present.tables.COLUMNS` and of the JSON,
values are unformatted (full precision, ``.`` as decimal mark), so a reader
can recompute every figure of the page. The link returned is relative to the
folder the report pages sit in (the parent of ``out_dir``), so the reports
folder works offline as a whole and can be zipped. With ``out_dir=None`` (a
notebook's default outside a batch) nothing is written and there is no link:
a plain run leaves no file in the directory it runs in.

Beside each ``name.csv`` stand two files for the Dutch pages: ``name.nl.csv``,
which Dutch Excel opens as intended (``;`` between fields, decimal comma,
Dutch headings, values rounded as the page shows them, UTF-8 with a byte
order mark so Excel detects the encoding), and ``name.nl.kolommen.csv``, the
data dictionary (column, meaning, unit). In every download a text cell that a
spreadsheet would run as a formula (one beginning with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is neutralised with a leading apostrophe
(OWASP, "CSV Injection").

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> out = pathlib.Path(tempfile.mkdtemp(), "00_overview_files")
>>> csv(pd.DataFrame({"under_protected": [3]}, index=pd.Index(["k_hop"], name="rule")),
...     out, "rules")
'00_overview_files/rules.csv'
>>> (out / "rules.csv").read_text()
'rule,under_protected\\nk_hop,3\\n'
>>> json_file({"b": 1.5}, out, "assessment")
'00_overview_files/assessment.json'
>>> print((out / "rules.nl.csv").read_text(encoding="utf-8-sig"), end="")
beslisregel;onvoldoende beschermde combinaties
buren tot k stappen;3
>>> csv(pd.DataFrame({"x": [1]}), None, "rules") is None
True
"""

from __future__ import annotations

import json
import math
import numbers
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..files import atomic_write
from .exchange_findings import EXCHANGE_COLUMNS
from .i18n import NP_, READINGS, RULES, decimal, reading_name, round_persons, rule_name, translator
from .tables import COLUMNS, Column, cell, heading, numeric_kind
from .timeline_findings import TIMELINE_COLUMNS

__all__ = ["csv", "json_file", "href", "neutralise", "dutch_spreadsheet", "data_dictionary",
           "dutch_links", "UNITS"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: What a spreadsheet runs as a formula when a cell begins with it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Columns of the downloads that no report table shows, named for the Dutch spreadsheet.
DOWNLOAD_COLUMNS: dict[str, Column] = {
    "under_protected_persons_held": Column(NP_("column", "distinct persons held in the datasets "
                                                         "of under-protected combinations")),
    "authorisations_potential": Column(NP_("column", "combinations needing an authorisation "
                                                     "whenever used")),
    "exposure_sets": Column(NP_("column", "combinations judged")),
    "persons_held": Column(NP_("column", "distinct persons held in the member datasets")),
    "name": Column(NP_("column", "name"), "text"),
    "rules": Column(NP_("column", "criteria that fire"), "text"),
    "assumptions": Column(NP_("column", "assumptions"), "text"),
    "date": Column(NP_("column", "date"), "date"),
    "first_provision": Column(NP_("column", "first provision"), "date"),
    "last_provision": Column(NP_("column", "last provision"), "date"),
    "window_days": Column(NP_("column", "window (days)")),
    "partners_heavier_structural": Column(NP_("column", "partners under a heavier safeguard, "
                                                        "structural")),
}
#: Download columns that are a report column under another id.
ALIASES = {"policy": "rule", "own_level": "level", "member_level": "max_member_level",
           "members": "datasets", "structural_heavier_from": "heavier_from_structural"}
#: Endings of a column id that name a statistic or a scenario of the column.
SUFFIXES = {"_low": NP_("column suffix", "5th percentile"),
            "_median": NP_("column suffix", "median"),
            "_high": NP_("column suffix", "95th percentile"),
            " (change)": NP_("column suffix", "change"),
            " (what-if)": NP_("column suffix", "what if")}
#: The unit of each kind of column (bulkimpact.present.tables.KINDS), for the data dictionary.
UNITS: dict[str, str] = {
    "count": NP_("unit", "number (rounded to a whole)"),
    "persons": NP_("unit", "expected number of distinct persons (rounded to 2 significant digits)"),
    "decimal": NP_("unit", "number"),
    "cost": NP_("unit", "cost units"),
    "rate": NP_("unit", "times a year (3 significant digits)"),
    "share": NP_("unit", "percentage"),
    "significant": NP_("unit", "number (3 significant digits)"),
    "yesno": NP_("unit", "yes or no"),
    "rule": NP_("unit", "name of a decision rule"),
    "level": NP_("unit", "level of the rulebook"),
    "reading": NP_("unit", "reading of the openness criterion"),
    "date": NP_("unit", "date"),
    "status": NP_("unit", "how the rule was computed"),
    "text": NP_("unit", "text"),
}


def _target(out_dir: str | os.PathLike[str], name: str, suffix: str) -> Path:
    if not _NAME.match(name):
        raise ValueError(f"download name {name!r} must be lower-case letters, digits, '_' or "
                         f"'-' (it becomes the file name {name}{suffix})")
    return Path(out_dir) / f"{name}{suffix}"


def href(out_dir: str | os.PathLike[str] | None, filename: str) -> str | None:
    """The link to ``out_dir/filename`` from the folder the report pages sit in (None: none)."""
    return None if out_dir is None else f"{Path(out_dir).name}/{filename}"


def neutralise(value: Any) -> Any:
    """`value`, with a leading apostrophe if it is text a spreadsheet would run as a formula.

    Examples
    --------
    >>> neutralise("=HYPERLINK('http://x')"), neutralise("-2+3"), neutralise("@SUM(A1)")
    ("'=HYPERLINK('http://x')", "'-2+3", "'@SUM(A1)")
    >>> neutralise("k_hop"), neutralise(-2.5), neutralise(chr(9) + "x") == "'" + chr(9) + "x"
    ('k_hop', -2.5, True)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with a named index (or several levels) as leading columns, text neutralised."""
    named = any(n is not None for n in frame.index.names)
    flat = frame.reset_index() if named else frame.reset_index(drop=True)
    flat.columns = [neutralise(c) if isinstance(c, str)
                    else tuple(neutralise(str(p)) for p in c) for c in flat.columns]
    return flat.apply(lambda column: column.map(neutralise))


def _group_name(group: object, lang: str) -> str:
    """A column group (an openness reading or a decision rule id) by its human name."""
    if str(group) in READINGS:
        return reading_name(str(group), lang)
    if str(group) in RULES:
        return rule_name(str(group), lang)
    return str(group)


def _resolve(name: str) -> tuple[Column | None, str]:
    """The column a download's column `name` stands for, and a Dutch qualifier ("" if none).

    Examples
    --------
    >>> col, more = _resolve("total_burden_median")
    >>> heading(col, "nl"), more
    ('totale lasten (kosteneenheden)', 'mediaan')
    >>> _resolve("level_ctivd")[1], _resolve("nothing_known")
    ('lezing van de CTIVD', (None, ''))
    """
    for suffix, label in SUFFIXES.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            col, more = _resolve(name[: -len(suffix)])
            qualifier = translator("nl").pgettext("column suffix", label)
            return col, f"{more}, {qualifier}" if more else qualifier
    name = ALIASES.get(name, name)
    if name in COLUMNS:
        return COLUMNS[name], ""
    for known in (EXCHANGE_COLUMNS, TIMELINE_COLUMNS, DOWNLOAD_COLUMNS):
        if name in known:
            return known[name], ""
    if name.startswith("level_") and name[len("level_"):] in READINGS:
        return COLUMNS["level"], reading_name(name[len("level_"):], "nl")
    if name in RULES or name in READINGS:
        return Column(_group_name(name, "nl"), "text"), ""
    return None, ""


def _spec(key: object) -> tuple[str, Column]:
    """A column's id and how its values are written (an unknown column: as text)."""
    name = str(key[-1] if isinstance(key, tuple) else key)
    col, _qualifier = _resolve(name)
    return name, col or Column(name, "text")


def _dutch_heading(key: object) -> str:
    name = str(key[-1] if isinstance(key, tuple) else key)
    col, qualifier = _resolve(name)
    shown = heading(col, "nl") if col else name  # no Dutch name: the id, as in the CSV
    if qualifier:
        shown = f"{shown} ({qualifier})"
    if isinstance(key, tuple) and len(key) > 1:
        shown = f"{_group_name(key[0], 'nl')}: {shown}"
    return shown


def _dutch_cell(value: Any, kind: str, digits: int) -> str:
    if value is None or value is pd.NaT or value is pd.NA:  # missing, as the tables show it
        return cell(None, kind, "nl", digits)
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        if value != value:  # NaN: shown as the tables show a missing value
            return cell(value, kind, "nl", digits)
        if math.isinf(value):
            return neutralise(str(value))
        if kind == "persons":  # rounded as the pages show it, but a number a spreadsheet sums
            return str(int(round_persons(float(value))))
        if numeric_kind(kind):
            return cell(value, kind, "nl", digits).replace(".", "")  # no thousands separator
        return decimal(float(value), "nl").replace(".", "")  # a number of a column without kind
    return neutralise(cell(value, kind, "nl", digits))


def dutch_spreadsheet(frame: pd.DataFrame) -> str:
    """`frame` as text Dutch Excel reads as intended: ``;``, decimal comma, Dutch headings.

    Values are rounded as the report's tables show them; names of rules,
    levels and readings are their Dutch names; no cell starts a formula.

    Examples
    --------
    >>> f = pd.DataFrame({"total_burden": [2530.26, -1.0], "status": ["=1+1", "exact"]},
    ...                  index=pd.Index(["per_dataset", "k_hop"], name="rule"))
    >>> print(dutch_spreadsheet(f), end="")
    beslisregel;totale lasten (kosteneenheden);berekening
    per bulkdataset afzonderlijk;2530,3;'=1+1
    buren tot k stappen;-1,0;rechtstreeks berekend
    """
    named = any(n is not None for n in frame.index.names)
    flat = frame.reset_index() if named else frame.reset_index(drop=True)
    shown = pd.DataFrame({
        _dutch_heading(key): [_dutch_cell(v, _spec(key)[1].kind, _spec(key)[1].digits)
                              for v in flat[key]]
        for key in flat.columns})
    shown.columns = [neutralise(c) for c in shown.columns]
    return shown.to_csv(index=False, sep=";", lineterminator="\r\n")


def data_dictionary(frame: pd.DataFrame) -> str:
    """The data dictionary of :func:`dutch_spreadsheet`'s file: column, meaning, unit.

    One row per column: the Dutch heading, the column's name in the CSV and the
    JSON, what it holds and its unit.

    Examples
    --------
    >>> f = pd.DataFrame({"total_burden": [1.0]}, index=pd.Index(["k_hop"], name="rule"))
    >>> print(data_dictionary(f), end="")
    kolom;naam in de CSV en de JSON;betekenis;eenheid
    beslisregel;rule;beslisregel;naam van een beslisregel
    totale lasten (kosteneenheden);total_burden;totale lasten;kosteneenheden
    """
    t = translator("nl")
    named = any(n is not None for n in frame.index.names)
    keys = list(frame.reset_index().columns if named else frame.columns)
    rows = []
    for key in keys:
        name, col = _spec(key)
        known, qualifier = _resolve(name)
        base = heading(known, "nl") if known else ""
        # a heading names its unit in brackets at the end: the meaning is the rest
        unit = re.fullmatch(r"(.*\S) \(([^()]*)\)", base)
        meaning = (unit.group(1) if unit else base) or t.gettext(
            "no Dutch description; see the name in the CSV")
        if qualifier:
            meaning = f"{meaning} ({qualifier})"
        if isinstance(key, tuple) and len(key) > 1:
            meaning = f"{_group_name(key[0], 'nl')}: {meaning}"
        rows.append({t.pgettext("column", "column"): _dutch_heading(key),
                     t.pgettext("column", "name in the CSV and the JSON"): "/".join(
                         map(str, key)) if isinstance(key, tuple) else str(key),
                     t.pgettext("column", "meaning"): meaning,
                     t.pgettext("column", "unit"): unit.group(2) if unit
                     else t.pgettext("unit", UNITS[col.kind])})
    return pd.DataFrame(rows).apply(lambda column: column.map(neutralise)).to_csv(
        index=False, sep=";", lineterminator="\r\n")


def csv(frame: pd.DataFrame, out_dir: str | os.PathLike[str] | None, name: str,
        dutch: pd.DataFrame | None = None) -> str | None:
    """Write `frame` as ``out_dir/name.csv`` (atomically); return the page's link to it.

    With ``out_dir=None`` nothing is written and None is returned.

    The index is written as the first column when it is named (or has
    several levels); an unnamed default index is left out. Beside it go the
    Dutch spreadsheet ``name.nl.csv`` and its data dictionary
    ``name.nl.kolommen.csv`` (see the module's docstring), made from `dutch`
    where given: the same rows and columns with their text in Dutch words. Text
    that a spreadsheet would run as a formula is neutralised in all three.
    """
    if out_dir is None:
        return None
    path = _target(out_dir, name, ".csv")
    atomic_write(path, _flat(frame).to_csv(index=False, lineterminator="\n"))
    # Excel detects UTF-8 only by its byte order mark
    worded = frame if dutch is None else dutch
    atomic_write(_target(out_dir, name, ".nl.csv"), "\ufeff" + dutch_spreadsheet(worded))
    atomic_write(_target(out_dir, name, ".nl.kolommen.csv"), "\ufeff" + data_dictionary(worded))
    return href(out_dir, path.name)


def dutch_links(link: str) -> tuple[str, str]:
    """The Dutch spreadsheet and its data dictionary beside the CSV at `link`.

    Examples
    --------
    >>> dutch_links("00_overview_files/rules.csv")
    ('00_overview_files/rules.nl.csv', '00_overview_files/rules.nl.kolommen.csv')
    """
    stem = link[: -len(".csv")]
    return f"{stem}.nl.csv", f"{stem}.nl.kolommen.csv"


def json_file(record: Any, out_dir: str | os.PathLike[str] | None, name: str) -> str | None:
    """Write `record` as ``out_dir/name.json`` (atomically, NaN refused); return the link
    (with ``out_dir=None``: nothing written, None)."""
    if out_dir is None:
        return None
    path = _target(out_dir, name, ".json")
    atomic_write(path, json.dumps(record, indent=2, allow_nan=False, ensure_ascii=False) + "\n")
    return href(out_dir, path.name)
