"""Tables for reports: one formatting layer for every table a reader sees.

Reviewers read these tables without Python. Every table goes through
:func:`table`: columns say what they count and in which unit, numbers carry
the language's thousands separators (1.259.319 / 1,259,319), yes/no replaces
True/False, decision rules, regime levels and openness readings carry their
human names, and a long table shows its top rows with a link to the whole
table as CSV (:mod:`bulkimpact.present.downloads`). Nothing is truncated and
no raw DataFrame reaches a page.

Column headings are catalogue messages (context ``column``) listed once, in
:data:`COLUMNS`, keyed by the column's id: the same id the JSON and the CSV
downloads use, so one concept has one name in code, data and prose.

Examples
--------
>>> f = pd.DataFrame({"under_protected": [12, 0], "total_burden": [2530.26, 15.0],
...                   "raised": [True, False]}, index=["per_dataset", "use_based"])
>>> t = table(f, "nl", index="rule")
>>> "per bulkdataset afzonderlijk" in t.html and "2.530,3" in t.html and ">ja<" in t.html
True
>>> "dataframe" in t.html or "True" in t.html
False
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ..registry import METRICS, QUANTITIES, STATUS, TABLE
from .i18n import (
    N_,
    NP_,
    READINGS,
    RULES,
    level_name,
    persons_rounded,
    reading_name,
    rule_meaning,
    rule_name,
    translator,
)

__all__ = ["COLUMNS", "Column", "KINDS", "SOLVER_STATUS", "Table", "cell", "heading", "table",
           "solver_status", "numeric_kind", "COMPACT_COLUMNS", "POLICY_COLUMNS",
           "SHORT_POLICY_COLUMNS", "policy_table"]

#: How a column's values are written.
KINDS = ("count", "persons", "decimal", "cost", "rate", "share", "significant", "yesno", "rule",
         "level", "reading", "date", "status", "text")
#: How a decision rule was computed (``bulkimpact.policies.PolicyResult.status``), by name.
SOLVER_STATUS = {"exact": NP_("solver status", "computed directly"),
                 "optimal": NP_("solver status", "optimal (proven)")}


@dataclass(frozen=True)
class Column:
    """A column as reports show it.

    Attributes
    ----------
    heading : str
        English heading, a catalogue message in context ``column``; it names
        what is counted and the unit (``"total burden (cost units)"``).
    kind : str
        One of :data:`KINDS`: ``count`` (a whole, rounded), ``decimal`` and
        ``cost`` (``digits`` decimals), ``rate`` (a yearly rate, 3 significant
        digits), ``share`` (0–1 shown as a percentage), ``significant`` (3
        significant digits), ``yesno``, ``rule`` / ``level`` / ``reading`` (an
        id or name shown by its human name), ``date`` (day month year) or ``text``.
    digits : int
        Decimals of ``decimal`` and ``cost`` columns.
    """

    heading: str
    kind: str = "count"
    digits: int = 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column kind {self.kind!r} is not one of {', '.join(KINDS)}")


#: Every column id a report shows → how it is shown. Extend here, not in a notebook.
COLUMNS: dict[str, Column] = {
    # decision rules: the rule, and every metric as the registry declares it
    "rule": Column(NP_("column", "decision rule"), "rule"),
    **{key: Column(m.label, m.kind) for key, m in (*METRICS.items(), ("status", STATUS))},
    # datasets and combinations
    "dataset": Column(NP_("column", "dataset"), "text"),
    "datasets": Column(NP_("column", "datasets"), "text"),
    "level": Column(NP_("column", "level on its own"), "level"),
    "combined_level": Column(NP_("column", "level together"), "level"),
    "max_member_level": Column(NP_("column", "highest level of a member alone"), "level"),
    "raised": Column(NP_("column", "heavier together than alone"), "yesno"),
    "persons": Column(NP_("column", "records (persons in the dataset)")),
    "distinct_persons": Column(NP_("column", "expected distinct persons")),
    "linked_persons": Column(NP_("column", "expected persons linked")),
    "public": Column(NP_("column", "publicly accessible"), "yesno"),
    "reading": Column(NP_("column", "openness reading"), "reading"),
    "kind": Column(NP_("column", "kind of combination"), "text"),
    "size": Column(NP_("column", "datasets in the combination")),
    "acquired": Column(NP_("column", "acquired"), "date"),
    "relevance_deadline": Column(NP_("column", "relevance deadline"), "date"),
    "weight": Column(NP_("column", "expected links"), "significant"),
    "uses_per_year": Column(NP_("column", "uses a year"), "rate"),
    "break_even_use_rate": Column(NP_("column", "break-even use rate (a year)"), "rate"),
    # 00–03: inventory, rulebook, links, combinations heavier than their members
    "dataset_count": Column(NP_("column", "bulk datasets (number)")),
    "identifiable": Column(NP_("column", "identifiable persons"), "yesno"),
    "categories": Column(NP_("column", "categories of data"), "text"),
    "criteria": Column(NP_("column", "criteria that place it"), "text"),
    "level_number": Column(NP_("column", "level (number)")),
    "level_meaning": Column(NP_("column", "what the level means in practice (rulebook)"), "text"),
    "criterion": Column(NP_("column", "criterion of the rulebook"), "text"),
    "applies_to": Column(NP_("column", "kind of criterion"), "text"),
    "minimum_level": Column(NP_("column", "places at least in"), "level"),
    "is_assumption": Column(NP_("column", "assumption of this tool"), "yesno"),
    "rationale": Column(NP_("column", "rationale (as the rulebook words it)"), "text"),
    "rule_source": Column(NP_("column", "source (as the rulebook words it)"), "text"),
    "linked_through": Column(NP_("column", "linked through"), "text"),
    "expected_overlap": Column(NP_("column", "expected shared persons")),
    "expected_links": Column(NP_("column", "expected persons linked")),
    "strength": Column(NP_("column", "link strength (expected links / smaller set)"),
                       "significant"),
    "overlap_source": Column(NP_("column", "shared persons from"), "text"),
    "combination": Column(NP_("column", "combination"), "text"),
    "member_categories": Column(NP_("column", "what each dataset brings"), "text"),
    "member_levels": Column(NP_("column", "levels on their own"), "text"),
    "rules_only_together": Column(NP_("column", "criteria that fire only together"), "text"),
    "parameter": Column(NP_("column", "parameter"), "text"),
    "parameter_value": Column(NP_("column", "value of the parameter"), "text"),
    # 04: sensitivity and robustness (bulkimpact.sensitivity, bulkimpact.sweep)
    "assumption": Column(NP_("column", "assumption (range tried)"), "text"),
    "end": Column(NP_("column", "end of the range"), "text"),
    **{key: Column(q.column, q.kind) for key, q in QUANTITIES.items()},
    "cheapest_full_protection": Column(NP_("column", "cheapest rule protecting every "
                                                      "combination"), "rule"),
    "density": Column(NP_("column", "linkage density"), "significant"),
    # 05: openness readings
    "reading_label": Column(NP_("column", "what counts as publicly accessible"), "text"),
    "counts_as_public": Column(NP_("column", "counts as publicly accessible"), "text"),
    "never_public": Column(NP_("column", "never publicly accessible"), "text"),
    "reading_source": Column(NP_("column", "source of the reading"), "text"),
    "source": Column(NP_("column", "source of the data"), "text"),
    # 06: record-level validation (bulkimpact.synth)
    "qi": Column(NP_("column", "quasi-identifiers"), "text"),
    "unique": Column(NP_("column", "persons unique")),
    "fraction_unique": Column(NP_("column", "share unique"), "share"),
    "percent_unique": Column(NP_("column", "share unique (%)"), "decimal"),
    "published": Column(NP_("column", "published share unique (Koot et al. 2010)"), "share"),
    "synthetic": Column(NP_("column", "share unique in the synthetic population"), "share"),
    "world": Column(NP_("column", "synthetic world"), "text"),
    "reference": Column(NP_("column", "reference population"), "text"),
    "population": Column(NP_("column", "population"), "text"),
    "scale": Column(NP_("column", "synthetic persons per real person"), "significant"),
    "reason": Column(NP_("column", "reason"), "text"),
    "a": Column(NP_("column", "dataset A"), "text"),
    "b": Column(NP_("column", "dataset B"), "text"),
    "keys": Column(NP_("column", "shared keys"), "text"),
    "qis": Column(NP_("column", "shared quasi-identifiers"), "text"),
    "overlap_exact": Column(NP_("column", "shared persons counted")),
    "overlap_expected": Column(NP_("column", "shared persons expected")),
    "links_exact": Column(NP_("column", "links counted")),
    "links_expected": Column(NP_("column", "links expected"), "significant"),
    "links_sd": Column(NP_("column", "standard deviation of links"), "significant"),
    "links_expected_equal_cells": Column(NP_("column", "links expected with equal cells"),
                                         "significant"),
    "flag": Column(NP_("column", "outside the sampling error"), "text"),
    "pairs": Column(NP_("column", "pairs")),
    "measure": Column(NP_("column", "measure"), "text"),
    "population_size": Column(NP_("column", "persons in the reference population")),
    "synthetic_persons": Column(NP_("column", "synthetic persons")),
    "realised_datasets": Column(NP_("column", "datasets realised")),
    "pair_status": Column(NP_("column", "how worlds and graph compare"), "text"),
    "value": Column(NP_("column", "value")),
}

_YES_NO = (N_("yes"), N_("no"))


def heading(column: str | Column, lang: str = "en") -> str:
    """A column's heading in the language (the id itself for an unknown column).

    Examples
    --------
    >>> heading("total_burden", "nl"), heading("total_burden", "en")
    ('totale lasten (kosteneenheden)', 'total burden (cost units)')
    """
    col = COLUMNS.get(column) if isinstance(column, str) else column
    if col is None:
        return str(column)
    return translator(lang).pgettext("column", col.heading)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def cell(value: object, kind: str = "count", lang: str = "en", digits: int = 1) -> str:
    """One value as a table shows it (plain text, not yet escaped).

    Examples
    --------
    >>> cell(2400000, "count", "nl"), cell(0.586, "share", "nl"), cell(True, "yesno", "nl")
    ('2.400.000', '59%', 'ja')
    >>> cell(float("nan")), cell("k_hop", "rule", "nl"), cell("2026-11-30", "date", "nl")
    ('–', 'buren tot k stappen', '30 november 2026')
    >>> cell(26.0, "count", "en"), cell(71550300.0, "cost", "en")
    ('26', '71,550,300.0')
    """
    if _missing(value):
        return "–"
    t = translator(lang)
    if kind == "yesno":
        return t.gettext(_YES_NO[0] if bool(value) else _YES_NO[1])
    if kind == "rule":
        return rule_name(str(value), lang)
    if kind == "level":
        return level_name(str(value), lang)
    if kind == "reading":
        return reading_name(str(value), lang)
    if kind == "date":
        return t.date(value.isoformat() if isinstance(value, _dt.date) else str(value))
    if kind == "status":
        return solver_status(str(value), lang)
    if kind == "text" or not isinstance(value, numbers.Number):
        return str(value)
    if kind == "count":
        return t.number(value)
    if kind == "persons":  # expected distinct persons: a model figure, rounded as it supports
        return persons_rounded(float(value), lang)
    if kind in ("decimal", "cost"):
        return t.decimal(float(value), digits)
    if kind in ("rate", "significant"):
        return t.significant(float(value), 3)
    if kind == "share":
        return t.percent(float(value), 1.0)
    raise ValueError(f"column kind {kind!r} is not one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Table:
    """A formatted table: HTML for a report page (notebooks display it as is)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def to_html(self) -> str:
        """The HTML (as a pandas ``Styler`` would give it, for older callers)."""
        return self.html


def _column(key: object, columns: Mapping[str, Column]) -> Column:
    name = key[-1] if isinstance(key, tuple) else key
    if isinstance(name, str) and name in columns:
        return columns[name]
    return Column(str(name), "text")


def numeric_kind(kind: str) -> bool:
    """Whether values of this kind of column are numbers (right-aligned, decimal comma)."""
    return kind not in ("yesno", "rule", "level", "reading", "date", "status", "text")


def solver_status(status: str, lang: str = "en") -> str:
    """How a rule was computed, in words (a status the catalogue lacks is shown as it is).

    Examples
    --------
    >>> solver_status("optimal", "nl"), solver_status("time limit reached", "nl")
    ('optimaal (bewezen)', 'time limit reached')
    """
    if status in SOLVER_STATUS:
        return translator(lang).pgettext("solver status", SOLVER_STATUS[status])
    return status


def table(frame: pd.DataFrame, lang: str = "en", columns: Sequence[str] | None = None, *,
          index: str | Column | None = None, top: int | None = None,
          download: str | None = None, caption: str | None = None,
          extra: Mapping[str, Column] | None = None) -> Table:
    """`frame` as a report table in `lang`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Column ids are looked up in :data:`COLUMNS` (and `extra`); with a
        two-level column index, the first level names a group (an openness
        reading or a rule) and the last the column id.
    lang : str
        ``"nl"`` or ``"en"``.
    columns : sequence of str, optional
        Column ids to show, in order (every column when None).
    index : str or Column, optional
        How to show the row labels: a column id (``"rule"``, ``"dataset"``) or
        a :class:`Column`; None hides them.
    top : int, optional
        Show only the first `top` rows and say how many there are.
    download : str, optional
        Relative link to the whole table (CSV), named under the table.
    caption : str, optional
        A sentence above the table saying what it shows.
    extra : mapping, optional
        Columns not in :data:`COLUMNS` (a notebook's own), id → :class:`Column`.

    Returns
    -------
    Table
    """
    spec = {**COLUMNS, **(extra or {})}
    t = translator(lang)
    keys = [c for c in frame.columns if columns is None
            or (c[-1] if isinstance(c, tuple) else c) in columns]
    if columns is not None:
        order = {name: i for i, name in enumerate(columns)}
        if not isinstance(frame.columns, pd.MultiIndex):
            keys.sort(key=lambda c: order[c])
    rows = frame if top is None else frame.head(top)
    index_col = (spec.get(index, Column(index, "text")) if isinstance(index, str) else index)
    out = ['<table class="bi-table">']
    if caption:
        out.append(f"<caption>{_html.escape(caption)}</caption>")
    out.append("<thead>")
    if isinstance(frame.columns, pd.MultiIndex):
        groups: list[tuple[str, int]] = []
        for key in keys:
            if groups and groups[-1][0] == key[0]:
                groups[-1] = (key[0], groups[-1][1] + 1)
            else:
                groups.append((key[0], 1))
        group_kind = "reading" if all(g in READINGS for g, _ in groups) else (
            "rule" if all(g in RULES for g, _ in groups) else "text")
        out.append("<tr>" + ("<th></th>" if index_col else "") + "".join(
            f'<th colspan="{n}" class="bi-group">{_html.escape(cell(g, group_kind, lang))}</th>'
            for g, n in groups) + "</tr>")
    out.append("<tr>" + (f"<th>{_html.escape(heading(index_col, lang))}</th>" if index_col
                         else "") + "".join(
        f'<th class="{"bi-num" if numeric_kind(_column(k, spec).kind) else ""}">'
        f"{_html.escape(heading(_column(k, spec), lang))}</th>" for k in keys) + "</tr>")
    out.append("</thead><tbody>")
    for label, row in rows.iterrows():
        tds = []
        if index_col:
            name = cell(label, index_col.kind, lang, index_col.digits)
            title = (f' title="{_html.escape(rule_meaning(str(label), lang), quote=True)}"'
                     if index_col.kind == "rule" else "")
            tds.append(f"<th{title}>{_html.escape(name)}</th>")
        for key in keys:
            col = _column(key, spec)
            cls = f' class="bi-num" data-kind="{col.kind}"' if numeric_kind(col.kind) else ""
            tds.append(f"<td{cls}>{_html.escape(cell(row[key], col.kind, lang, col.digits))}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    notes = []
    if top is not None and len(frame) > top:
        notes.append(t.gettext("The first {shown} of {total} rows.").format(
            shown=t.number(top), total=t.number(len(frame))))
    if download:
        notes.append(t.gettext('The whole table: <a href="{href}">{name}</a> (CSV).').format(
            href=_html.escape(download, quote=True),
            name=_html.escape(download.rsplit("/", 1)[-1])))
    if download and lang == "nl" and download.endswith(".csv"):
        # the files bulkimpact.present.downloads.csv writes beside every CSV
        sheet, columns = (f"{download[:-len('.csv')]}{end}" for end in (".nl.csv",
                                                                        ".nl.kolommen.csv"))
        notes.append(t.gettext(
            'For a spreadsheet in Dutch: <a href="{href}">{name}</a>, its columns explained in '
            '<a href="{columns_href}">{columns_name}</a>.').format(
            href=_html.escape(sheet, quote=True), name=_html.escape(sheet.rsplit("/", 1)[-1]),
            columns_href=_html.escape(columns, quote=True),
            columns_name=_html.escape(columns.rsplit("/", 1)[-1])))
    if notes:
        out.append(f'<p class="bi-table-note">{" ".join(notes)}</p>')
    return Table("".join(out))


#: The metrics the rules table shows, in order (:data:`bulkimpact.registry.TABLE`).
POLICY_COLUMNS = TABLE

#: Short headings of the headline metrics, for a table with a column per metric and reading
#: (the index's verdict: twelve numbers a row must fit a laptop screen). Its caption names
#: the unit of the burden.
COMPACT_COLUMNS: dict[str, Column] = {key: Column(heading, METRICS[key].kind) for key, heading in (
    ("under_protected", NP_("column", "combinations under-protected")),
    ("escalated", NP_("column", "datasets escalated")),
    ("escalated_slight", NP_("column", "of which very slight intrusion")),
    ("total_burden", NP_("column", "total burden")))}

#: The few metrics of the short rules table (report 04 and the panel): fits a laptop screen
#: without scrolling sideways; every other metric is in the appendix and the download.
SHORT_POLICY_COLUMNS = ["under_protected", "under_protected_persons", "escalated",
                        "escalated_slight", "total_burden"]


def policy_table(frame: pd.DataFrame, columns: list[str] | None = None,
                 lang: str = "en", *, download: str | None = None,
                 caption: str | None = None) -> Table:
    """Headline metrics per decision rule, as a :func:`table` (rules by their names).

    Parameters
    ----------
    frame : pandas.DataFrame
        :meth:`bulkimpact.evaluate.Evaluation.to_frame` output (or a subset of
        its columns, possibly with a column MultiIndex whose last level is the metric).
    columns : list of str, optional
        Metrics to show, in order; default all of :data:`POLICY_COLUMNS` present.
    lang : str
        ``"nl"`` or ``"en"``.
    download, caption : str, optional
        As for :func:`table`.

    Examples
    --------
    >>> f = pd.DataFrame({"under_protected_persons": [1259319.0], "escalated": [3]},
    ...                  index=["per_dataset"])
    >>> html = policy_table(f).to_html()
    >>> "1.3 million" in html and "distinct persons in under-protected combinations" in html
    True
    >>> "1,3 miljoen" in policy_table(f, lang="nl").html
    True
    """
    wanted = columns or list(POLICY_COLUMNS)
    return table(frame, lang, wanted, index="rule", download=download, caption=caption)
