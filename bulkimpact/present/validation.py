"""A validation beside the linkage graph and the closed forms, in tables and sentences.

:func:`~bulkimpact.synth.validate.validate_inventory` counts, per pair of
realised datasets, what the closed forms predict; the :class:`~bulkimpact.synth.Validation`
it returns carries its agreement with them, and :mod:`bulkimpact.synth.reconcile` sets its
pairs beside the linkage graph. This module says what a reader needs from those results:
which datasets could not be realised and why, which pairs the worlds and the graph both hold
and why the others differ, which counts lie outside the sampling error of their estimate,
and where the equal-cells model of the linkage graph falls short of the counts. It computes
nothing itself. Names of fields, statuses and flags: :mod:`bulkimpact.present.record_names`;
the mosaic: :mod:`bulkimpact.present.mosaic_findings`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..rulebook import Rulebook
from ..synth.reconcile import (
    APART,
    BOTH,
    FEW_LINKS,
    NOT_REALISED,
    OTHER,
    QI_THRESHOLD,
    UNREALISABLE,
)
from ..synth.validate import ALPHA, Validation
from .i18n import NN_, translator
from .names import plural
from .record_names import field_names, flag_names

__all__ = ["coverage_sentence", "reconciliation_sentence", "flag_sentence",
           "equal_cells_sentence", "override_sentence", "verdict", "count_format",
           "uniqueness_sentence", "agreement_sentence", "links_figure_text", "pairs_frame",
           "validation_finding"]


def coverage_sentence(validation: Validation, lang: str = "en") -> str:
    """Which datasets are realised, in which worlds, and how many are not.

    Examples
    --------
    >>> ds = pd.DataFrame({"dataset": ["a", "b"], "worlds": ["nl", ""],
    ...                    "reason": ["", "fewer than one synthetic person: ..."],
    ...                    "reason_kind": ["", "fewer"]})
    >>> w = pd.DataFrame({"reference": ["nl"], "scale": [0.01], "datasets": [1]})
    >>> v = Validation(pd.DataFrame(), ds, w, 1_000, 0)
    >>> print(coverage_sentence(v))  # doctest: +NORMALIZE_WHITESPACE
    1 of 2 datasets is realised, in 1 world (nl: 1 dataset, one synthetic person per 100
    real ones). Not realised: 1 dataset with fewer than one synthetic person (b).
    >>> print(coverage_sentence(v, "nl"))  # doctest: +NORMALIZE_WHITESPACE
    1 van de 2 bulkdatasets is gerealiseerd, in 1 synthetische wereld (nl: 1 bulkdataset,
    één synthetische persoon per 100 echte). Niet gerealiseerd: 1 bulkdataset met minder
    dan één synthetische persoon (b).
    """
    t = translator(lang)
    ds = validation.datasets
    done = int((ds["reason"] == "").sum())
    details = "; ".join(
        t.gettext("{reference}: {datasets}, one synthetic person per {ratio} real ones").format(
            reference=w.reference, datasets=plural(w.datasets, "dataset", lang=lang),
            ratio=t.number(1 / w.scale)) for w in validation.worlds.itertuples())
    text = t.ngettext("{done} of {datasets} is realised, in {worlds} ({details}).",
                      "{done} of {datasets} are realised, in {worlds} ({details}).", done).format(
        done=t.number(done), datasets=plural(len(ds), "dataset", lang=lang),
        worlds=plural(len(validation.worlds), "world", lang=lang), details=details)
    missing = ds[ds["reason"] != ""]
    if not len(missing):
        return text + " " + t.gettext("Every dataset of the inventory is realised.")
    kinds = missing["reason_kind"]
    parts = []
    for k in dict.fromkeys(kinds):
        n = plural(int((kinds == k).sum()), "dataset", lang=lang)
        listed = ", ".join(missing.loc[kinds == k, "dataset"])
        if k == "fewer":
            parts.append(t.gettext("{datasets} with fewer than one synthetic person "
                                   "({listed})").format(datasets=n, listed=listed))
        elif k == "outside":
            parts.append(t.gettext("{datasets} of a population outside every world "
                                   "({listed})").format(datasets=n, listed=listed))
        else:
            parts.append(f"{n}: {t.gettext('not realised')} ({listed})")
    return text + " " + t.gettext("Not realised: {parts}.").format(parts="; ".join(parts))


def reconciliation_sentence(table: pd.DataFrame, rulebook: Rulebook, lang: str = "en") -> str:
    """How the realised pairs and the graph's links agree, and why they differ.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> t = pd.DataFrame({"realised": [True, True, False], "in_graph": [True, False, True],
    ...                   "status": [BOTH, FEW_LINKS, NOT_REALISED]})
    >>> rulebook = load_rulebook(default_rulebook_path())
    >>> print(reconciliation_sentence(t, rulebook))  # doctest: +NORMALIZE_WHITESPACE
    The worlds realise 2 linkable pairs and the graph has 2 links; 1 pair is both. 1
    realised pair is not a link of the graph: 1 expects fewer than 1 link at full size
    (the rulebook's min_expected_links). 1 link of the graph is not realised: 1 involves a
    dataset that is not realised.
    """
    t = translator(lang)
    counts = table["status"].value_counts()
    linkage = rulebook.linkage
    both = int(counts.get(BOTH, 0))
    text = t.ngettext("The worlds realise {realised} and the graph has {links}; {both} is both.",
                      "The worlds realise {realised} and the graph has {links}; {both} are both.",
                      both).format(
        realised=plural(int(table["realised"].sum()), "linkable pair", lang=lang),
        links=plural(int(table["in_graph"].sum()), "link", lang=lang),
        both=plural(both, "pair", lang=lang))
    share = t.percent(linkage.qi_min_unique_fraction, 1)
    minimum = plural(linkage.min_expected_links, "link", lang=lang)

    def why(status: str, n: int) -> str:
        forms = {
            QI_THRESHOLD: t.ngettext(
                "{n} joins only on quasi-identifiers unique in fewer than {share} of a set at "
                "the inventory's full size (the rulebook's qi_min_unique_fraction): a field's "
                "cells do not shrink with the scaled-down world, so the same fields single out "
                "far more of a small extract",
                "{n} join only on quasi-identifiers unique in fewer than {share} of a set at "
                "the inventory's full size (the rulebook's qi_min_unique_fraction): a field's "
                "cells do not shrink with the scaled-down world, so the same fields single out "
                "far more of a small extract", n),
            FEW_LINKS: t.ngettext(
                "{n} expects fewer than {minimum} at full size (the rulebook's "
                "min_expected_links)",
                "{n} expect fewer than {minimum} at full size (the rulebook's "
                "min_expected_links)", n),
            OTHER: t.ngettext("{n} differs for another reason (see the table)",
                              "{n} differ for another reason (see the table)", n),
            NOT_REALISED: t.ngettext("{n} involves a dataset that is not realised",
                                     "{n} involve a dataset that is not realised", n),
            APART: t.ngettext(
                "{n} joins datasets realised in different worlds (the graph assumes random "
                "draws within their common population)",
                "{n} join datasets realised in different worlds (the graph assumes random "
                "draws within their common population)", n),
            UNREALISABLE: t.ngettext(
                "{n} links only through fields the synthetic population does not hold",
                "{n} link only through fields the synthetic population does not hold", n),
        }
        return forms[status].format(n=t.number(n), share=share, minimum=minimum)

    groups = ((QI_THRESHOLD, FEW_LINKS, OTHER), (NOT_REALISED, APART, UNREALISABLE))
    for statuses, head in zip(groups, (
            NN_("{total} realised pair is not a link of the graph: {reasons}.",
                "{total} realised pairs are not links of the graph: {reasons}."),
            NN_("{total} link of the graph is not realised: {reasons}.",
                "{total} links of the graph are not realised: {reasons}.")), strict=True):
        found = {s: int(counts[s]) for s in statuses if counts.get(s, 0)}
        if not found:
            continue
        total = sum(found.values())
        text += " " + t.ngettext(*head, total).format(
            total=t.number(total), reasons="; ".join(why(s, n) for s, n in found.items()))
    return text


def flag_sentence(validation: Validation, lang: str = "en") -> str:
    """How many counts lie outside their predicted sampling error, against chance.

    Examples
    --------
    >>> e = pd.DataFrame({"a": ["x", "y"], "b": ["z", "z"], "qis": ["", "sex"],
    ...                   "flag": ["", "links"]})
    >>> v = Validation(e, pd.DataFrame(), pd.DataFrame(), 1_000, 0)
    >>> print(flag_sentence(v))  # doctest: +NORMALIZE_WHITESPACE
    1 of 2 pairs has a count outside the sampling error its estimate predicts (two-sided
    probability below 0.27%, about three standard deviations): y × z (links). With 5
    counts checked, about 0.014 would be by chance alone.
    """
    t = translator(lang)
    edges = validation.edges
    if not len(edges):
        return t.gettext("No pair was realised, so no count could be checked.")
    checks = validation.checks
    flagged = validation.flagged
    pairs = len(edges[["a", "b"]].drop_duplicates())
    counted = (plural(len(edges), "pair", lang=lang) if pairs == len(edges) else
               t.gettext("{realisations} pair realisations ({pairs}, {second} of them realised "
                         "in a second world)").format(
                   realisations=t.number(len(edges)), pairs=plural(pairs, "pair", lang=lang),
                   second=t.number(len(edges) - pairs)))
    head = t.ngettext(
        "{flagged} of {counted} has a count outside the sampling error its estimate predicts "
        "(two-sided probability below {alpha}, about three standard deviations)",
        "{flagged} of {counted} have a count outside the sampling error its estimate predicts "
        "(two-sided probability below {alpha}, about three standard deviations)",
        len(flagged)).format(flagged=t.number(len(flagged)), counted=counted,
                             alpha=t.decimal(100 * ALPHA, 2) + "%")
    listed = "; ".join(f"{r.a} × {r.b} ({flag_names(r.flag, lang)})" for r in flagged.itertuples())
    return (head + (f": {listed}." if listed else ".") + " " + t.gettext(
        "With {checks} counts checked, about {chance} would be by chance alone.").format(
        checks=t.number(checks), chance=t.significant(checks * ALPHA, 2)))


def equal_cells_sentence(validation: Validation, lang: str = "en") -> str:
    """Where equal cells (the linkage graph's model) fall short of the counted QI links.

    Equal cells put a shared person's uniqueness at ``(1 - 1/C)^(n_a + n_b -
    m - 1)``; in a population with unequal cells, persons alone or nearly
    alone in their cell stay unique in extracts of any size. The sentence
    names the pairs whose count lies outside the sampling error under equal
    cells but not under the population's own cell sizes, and totals both
    estimates per quasi-identifier set.
    """
    t = translator(lang)
    w = validation.equal_cells_shortfall()
    if w is None:
        return t.gettext("No pair joins on quasi-identifiers.")
    off = validation.off_only_with_equal_cells
    text = t.gettext(
        "On {qis}, equal cells predict {expected} true links over {pairs} where {counted} are "
        "counted; the population's own cell sizes predict {skewed}.").format(
        qis=field_names(w["qis"], lang), expected=t.decimal(w["expected"], 1),
        pairs=plural(w["pairs"], "pair", lang=lang),
        counted=t.number(w["counted"]), skewed=t.decimal(w["skewed"], 1))
    if len(off):
        item = t.gettext("{a} × {b} on {qis}: {equal} links with equal cells, {skewed} with the "
                         "population's cells, {counted} counted")
        listed = "; ".join(item.format(
            a=r.a, b=r.b, qis=field_names(r.qis, lang),
            equal=t.significant(r.links_expected_equal_cells, 2),
            skewed=t.significant(r.links_expected, 2), counted=t.number(r.links_exact))
            for r in off.itertuples())
        text += " " + t.gettext("Under equal cells {pairs} would lie outside the sampling error "
                                "that the skew-aware estimate respects ({listed}).").format(
            pairs=plural(len(off), "pair", lang=lang), listed=listed)
    return text + " " + t.gettext(
        "Persons alone or nearly alone in their cell of the population stay unique in extracts "
        "of any size, which equal cells cannot represent; the linkage graph knows only each "
        "field's number of values and misses such links too.")


def override_sentence(validation: Validation, lang: str = "en") -> str:
    """Which realised pairs the graph scores with an analyst's stated overlap instead.

    The worlds draw every dataset independently, so for those pairs they
    check the independent-draw estimate, not the analyst's figure. Needs the
    ``graph_source`` column (:func:`validate_inventory` with ``graph``).

    Examples
    --------
    >>> e = pd.DataFrame({"a": ["p", "q"], "b": ["t", "t"],
    ...                   "graph_source": ["override", "estimate"]})
    >>> print(override_sentence(Validation(e, pd.DataFrame(), pd.DataFrame(), 1_000, 0)))
    ... # doctest: +NORMALIZE_WHITESPACE
    1 realised pair has an overlap stated by the analyst in the graph (p × t); the worlds
    draw every set independently, so there they check the independent-draw estimate, not
    the analyst's figure.
    """
    t = translator(lang)
    edges = validation.edges
    if "graph_source" not in edges:
        return ""
    stated = edges[edges["graph_source"] == "override"][["a", "b"]].drop_duplicates()
    if not len(stated):
        return t.gettext("No realised pair has an overlap stated by the analyst.")
    return t.ngettext(
        "{pairs} has an overlap stated by the analyst in the graph ({listed}); the worlds draw "
        "every set independently, so there they check the independent-draw estimate, not the "
        "analyst's figure.",
        "{pairs} have an overlap stated by the analyst in the graph ({listed}); the worlds draw "
        "every set independently, so there they check the independent-draw estimate, not the "
        "analyst's figure.", len(stated)).format(
        pairs=plural(len(stated), "realised pair", lang=lang),
        listed=", ".join(f"{r.a} × {r.b}" for r in stated.itertuples()))


def verdict(validation: Validation, lang: str = "en") -> list[str]:
    """What the validation says about the closed forms, one sentence per finding.

    The closed forms agree with the counts when at least 95% of overlaps lie
    within three standard deviations, the summed link deviation is at most
    10%, and no more counts are flagged than three times what chance would
    give (at least three).
    """
    t = translator(lang)
    a = validation.agreement()
    values = {"within": t.percent(a["within"], 1), "deviation": t.decimal(100 * a["deviation"], 1)
              + "%", "flagged": t.number(a["flagged"]),
              "chance": t.significant(a["by_chance"], 2)}
    if validation.agrees:
        first = t.gettext(
            "The closed forms, with quasi-identifiers on the population's own cell sizes, agree "
            "with the counts within sampling error ({within} of overlaps within three standard "
            "deviations; total link deviation {deviation}; {flagged} counts flagged where chance "
            "alone gives about {chance}).")
    else:
        first = t.gettext(
            "The closed forms, with quasi-identifiers on the population's own cell sizes, "
            "deviate from the counts more than sampling error explains: treat the linkage "
            "estimates in the other reports with caution ({within} of overlaps within three "
            "standard deviations; total link deviation {deviation}; {flagged} counts flagged "
            "where chance alone gives about {chance}).")
    lines = [first.format(**values)]
    off = validation.edges[validation.edges["equal_cells_off"]]
    equal = t.decimal(100 * a["deviation_equal_cells"], 1) + "%"
    if len(off):
        lines.append(t.ngettext(
            "With equal cells, the model of the linkage graph, the total link deviation is "
            "{deviation} and {pairs} falls outside the sampling error: links through "
            "quasi-identifiers with unequal values ({qis}) are undercounted by equal cells, as "
            "they are in the graph.",
            "With equal cells, the model of the linkage graph, the total link deviation is "
            "{deviation} and {pairs} fall outside the sampling error: links through "
            "quasi-identifiers with unequal values ({qis}) are undercounted by equal cells, as "
            "they are in the graph.", len(off)).format(
            deviation=equal, pairs=plural(len(off), "pair", lang=lang),
            qis=", ".join(sorted({field_names(q, lang) for q in off["qis"] if q}))))
    else:
        lines.append(t.gettext("Equal cells, the model of the linkage graph, are within "
                               "sampling error too (total link deviation {deviation}).").format(
            deviation=equal))
    return lines


def count_format(x: float) -> str:
    """An expected count for a table: one decimal from 0.1 up, two significant digits below.

    Examples
    --------
    >>> count_format(40898.4), count_format(5.83), count_format(2.1e-05)
    ('40,898.4', '5.8', '2.1e-05')
    """
    return f"{x:,.1f}" if abs(x) >= 0.1 else f"{x:.2g}"


# --- sentences and tables of report 06 -----------------------------------------------------

def _pct(x: float, t: Any, digits: int = 1) -> str:
    """A share (0–1) as a percentage with `digits` decimals, per locale."""
    return t.decimal(100 * x, digits) + "%"


def uniqueness_sentence(table: pd.DataFrame, calibration: pd.DataFrame, persons: int,
                        lang: str = "en") -> str:
    """How many synthetic persons are unique on each quasi-identifier set, beside Koot et al.

    ``table`` is :func:`bulkimpact.synth.uniqueness_table`, ``calibration``
    :func:`bulkimpact.synth.calibration_table`.

    Examples
    --------
    >>> u = pd.DataFrame({"qi": ["date_of_birth + pc4"], "fraction_unique": [0.7129]})
    >>> c = pd.DataFrame({"qi": ["date_of_birth + pc4"], "published": [0.67],
    ...                   "synthetic": [0.7129]})
    >>> print(uniqueness_sentence(u, c, 20_000, "nl"))  # doctest: +NORMALIZE_WHITESPACE
    In een synthetische populatie van 20.000 personen is uniek: **71,3%** op geboortedatum +
    postcode (4 cijfers). Gepubliceerd (Koot e.a. 2010): geboortedatum + postcode (4 cijfers):
    67,0% (synthetisch 71,3%).
    """
    t = translator(lang)
    unique = t.gettext("**{share}** are unique on {qi}")
    published = t.gettext("{qi}: {published} (synthetic {synthetic})")
    return t.gettext("In a synthetic population of {persons}, {shares}. Published (Koot et al. "
                     "2010): {published}.").format(
        persons=plural(persons, "person", lang=lang),
        shares="; ".join(unique.format(share=_pct(r.fraction_unique, t),
                                       qi=field_names(r.qi, lang)) for r in table.itertuples()),
        published="; ".join(published.format(qi=field_names(r.qi, lang),
                                              published=_pct(r.published, t),
                                              synthetic=_pct(r.synthetic, t))
                            for r in calibration.itertuples()))


def agreement_sentence(validation: Validation, lang: str = "en") -> str:
    """Overlaps within their sampling error, and the summed deviation of the links."""
    t = translator(lang)
    a = validation.agreement()
    return t.gettext(
        "**{within}** of exact overlaps lie within three standard deviations of the "
        "hypergeometric estimate (about 99.7% expected if the formula holds). Summed over all "
        "pairs, exact links differ from the estimate by **{deviation}** (quasi-identifiers on "
        "the population's own cell sizes), and by {equal} with equal cells, the linkage "
        "graph's model.").format(within=t.percent(a["within"], 1),
                                 deviation=_pct(a["deviation"], t),
                                 equal=_pct(a["deviation_equal_cells"], t))


def links_figure_text(validation: Validation, lang: str = "en") -> dict[str, str]:
    """Title, alt text and caption of the figure of counted against estimated links."""
    t = translator(lang)
    a = validation.agreement()
    deviation = _pct(a["deviation"], t)
    title = (t.gettext("Counted links follow the estimates (total deviation {deviation})")
             if validation.agrees else
             t.gettext("Counted links depart from the estimates (total deviation {deviation})"))
    alt = t.gettext("Log-log scatter of estimated (x) against counted (y) links for {pairs} of "
                    "datasets, with the identity line; total deviation {deviation}.")
    caption = t.gettext("Each point one pair of datasets in one world; on the dashed line "
                        "counted = estimated. Small counts scatter by sampling noise; pairs with "
                        "no link counted or expected cannot be drawn on log axes.")
    return {"title": title.format(deviation=deviation),
            "alt": alt.format(pairs=plural(len(validation.edges), "pair", lang=lang),
                              deviation=deviation),
            "caption": caption}


def pairs_frame(edges: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Pair rows of a validation with keys, quasi-identifiers and flags named in `lang`."""
    return edges.assign(keys=[field_names(k, lang, ", ") for k in edges["keys"]],
                        qis=[field_names(q, lang) for q in edges["qis"]],
                        flag=[flag_names(f, lang) for f in edges["flag"]])


def validation_finding(validation: Validation, mosaic: Any, persons: int,
                       lang: str = "en") -> str:
    """06's one-line finding: do the closed forms hold, and what does the mosaic show."""
    t = translator(lang)
    a = validation.agreement()
    head = (t.gettext("Counted person by person in synthetic worlds, the linkage estimates hold "
                      "within sampling error: {within} of overlaps lie within three standard "
                      "deviations and the links differ by {deviation} in total.")
            if validation.agrees else
            t.gettext("Counted person by person in synthetic worlds, the linkage estimates "
                      "deviate more than sampling error explains: {within} of overlaps lie "
                      "within three standard deviations and the links differ by {deviation} in "
                      "total."))
    return head.format(within=t.percent(a["within"], 1), deviation=_pct(a["deviation"], t)) + \
        " " + t.gettext("Joined on date of birth, postcode and sex, a fictional leaked forum and "
                        "a purchased shop list name {named} persons with a health condition in "
                        "a synthetic population of {persons}.").format(
            named=t.number(mosaic.named_sensitive), persons=t.number(persons))
