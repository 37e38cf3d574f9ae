"""A validation beside the linkage graph and the closed forms, in tables and sentences.

:func:`~bulkimpact.synth.validate.validate_inventory` counts, per pair of
realised datasets, what the closed forms predict. This module says what a
reader needs from it: which datasets could not be realised and why, which
pairs the worlds and the graph both hold and why the others differ, which
counts lie outside the sampling error of their estimate, and where the
equal-cells model of the linkage graph falls short of the counts. Every
sentence is computed from these results.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..estimates import QiCells
from ..inventory import Inventory
from ..linkage import edge_estimate
from ..persons import PopulationTree, tree_cells
from ..rulebook import Rulebook
from ..synth.validate import ALPHA, Validation, realisable_keys
from ..taxonomy import Taxonomy, default_taxonomy
from .i18n import NN_, NP_, translator
from .names import plural

__all__ = [
    "BOTH",
    "compare_with_graph",
    "reconciliation_counts",
    "coverage_sentence",
    "reconciliation_sentence",
    "flag_sentence",
    "equal_cells_sentence",
    "override_sentence",
    "agreement",
    "verdict",
    "count_format",
    "STATUS_NAMES",
    "FIELD_NAMES",
    "FLAG_NAMES",
    "MOSAIC_MEASURES",
    "status_name",
    "field_names",
    "flag_names",
    "reason_text",
    "uniqueness_sentence",
    "agreement_sentence",
    "links_figure_text",
    "pairs_frame",
    "mosaic_frame",
    "mosaic_sentence",
    "examples_note",
    "examples_table",
    "mosaic_verdict",
    "validation_finding",
]

BOTH = "realised and in the graph"
QI_THRESHOLD = "realised, not in the graph: quasi-identifiers too rarely unique at full size"
FEW_LINKS = "realised, not in the graph: fewer expected links than the minimum"
OTHER = "realised, not in the graph: other"
NOT_REALISED = "in the graph, not realised: a dataset is not realised"
APART = "in the graph, not realised: the datasets are realised in different worlds"
UNREALISABLE = "in the graph, not realised: linked only through fields the world lacks"
_ORDER = [BOTH, QI_THRESHOLD, FEW_LINKS, OTHER, NOT_REALISED, APART, UNREALISABLE]


def compare_with_graph(validation: Validation, inventory: Inventory, graph: Any,
                       rulebook: Rulebook, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Every pair that a world realises or the graph links, and why the two differ.

    Parameters
    ----------
    validation : Validation
    inventory : Inventory
    graph : networkx.Graph
        The linkage graph of the same inventory (:func:`bulkimpact.build_linkage_graph`).
    rulebook : Rulebook
        Its ``linkage`` thresholds decide which estimated pairs are edges.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``a``, ``b``, ``in_graph``, ``realised``,
        ``worlds``, ``status`` (one of the module's categories, e.g.
        :data:`BOTH`) and ``reason`` (the particulars).

    Notes
    -----
    A realised pair is not an edge when, at the inventory's full size,
    :func:`bulkimpact.linkage.edge_estimate` finds its shared
    quasi-identifiers unique in fewer than ``qi_min_unique_fraction`` of a
    set (and it shares no key), or expects fewer than ``min_expected_links``
    links. The world is scaled down but a field's cells are not (36,500
    dates of birth), so the same fields make far more of a small extract
    unique. An edge is not realised when a dataset has no synthetic person,
    when its datasets live in different worlds (the graph then assumes
    random draws within their common population), or when it links only
    through fields the synthetic population does not hold.
    """
    taxonomy = taxonomy or default_taxonomy()
    edges = validation.edges
    worlds: dict[tuple[str, str], list[str]] = {}
    for a, b, w in zip(edges.get("a", []), edges.get("b", []), edges.get("world", []),
                       strict=True):
        worlds.setdefault(_pair(a, b), []).append(w)
    placed = dict(zip(validation.datasets["dataset"], validation.datasets["worlds"],
                      strict=True))
    missing = validation.not_realised
    pairs = set(worlds) | {_pair(a, b) for a, b in graph.edges()}
    rows = []
    for a, b in sorted(pairs):
        in_graph, realised = graph.has_edge(a, b), (a, b) in worlds
        if realised and in_graph:
            status, reason = BOTH, ""
        elif realised:
            status, reason = _why_not_an_edge(inventory.dataset(a), inventory.dataset(b),
                                              inventory, rulebook, taxonomy)
        elif a in missing or b in missing:
            status = NOT_REALISED
            reason = "; ".join(f"{d}: {missing[d]}" for d in (a, b) if d in missing)
        elif not set(placed[a].split(", ")) & set(placed[b].split(", ")):
            status = APART
            common = graph.edges[a, b].get("population")
            reason = (f"{a} in {placed[a]}, {b} in {placed[b]}; the graph assumes random "
                      f"draws within {common!r}")
        else:
            status = UNREALISABLE
            reason = f"the graph links them through {_channels(graph.edges[a, b])}"
        rows.append({"a": a, "b": b, "in_graph": in_graph, "realised": realised,
                     "worlds": ", ".join(worlds.get((a, b), [])), "status": status,
                     "reason": reason})
    table = pd.DataFrame(rows, columns=["a", "b", "in_graph", "realised", "worlds", "status",
                                        "reason"])
    order = table["status"].map({s: i for i, s in enumerate(_ORDER)})
    return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _channels(edge: dict[str, Any]) -> str:
    return ", ".join(list(edge.get("keys", [])) + list(edge.get("qis", []))) or "nothing"


def _why_not_an_edge(a: Any, b: Any, inventory: Inventory, rulebook: Rulebook,
                     taxonomy: Taxonomy) -> tuple[str, str]:
    """Status and particulars of a realised pair that the graph does not link."""
    est = edge_estimate(a, b, inventory, rulebook, taxonomy)
    shared_keys = set(realisable_keys(a)) & set(realisable_keys(b))
    qi_a, qi_b = a.quasi_identifiers(taxonomy), b.quasi_identifiers(taxonomy)
    shared_qis = sorted(set(qi_a) & set(qi_b))
    minimum = rulebook.linkage.min_expected_links
    if est is None and not shared_keys and shared_qis:
        # the uniqueness the graph used: each set's population, its own cells where it has them
        shared = {q: min(qi_a[q], qi_b[q]) for q in shared_qis}
        tree = PopulationTree.of(inventory)
        qis = {d.id: QiCells(shared, *tree_cells(tree, d.population)) for d in (a, b)}
        unique = {d.id: qis[d.id].fraction_unique(d.persons) for d in (a, b)}
        least = min(unique, key=unique.__getitem__)
        cells = (f"{qis[least].cells:,.0f} equal cells"
                 if qis[least].uniqueness_model == "uniform" else "the population's cell sizes")
        return QI_THRESHOLD, (f"{' + '.join(shared_qis)}: {cells} leave a share "
                              f"of {unique[least]:.2g} of {least} unique, below the "
                              f"rulebook's {rulebook.linkage.qi_min_unique_fraction:.0%}")
    if est is not None and est["expected_links"] < minimum:
        return FEW_LINKS, f"{est['expected_links']:.2g} expected links (minimum {minimum:g})"
    return OTHER, "the graph's estimate differs from the world's pairing"


def reconciliation_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Pairs per status, in a fixed order (statuses with no pair left out).

    Examples
    --------
    >>> t = pd.DataFrame({"status": [BOTH, BOTH, APART]})
    >>> reconciliation_counts(t).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'status': ['realised and in the graph',
                'in the graph, not realised: the datasets are realised in different worlds'],
     'pairs': [2, 1]}
    """
    counts = table["status"].value_counts()
    return pd.DataFrame({"status": [s for s in _ORDER if s in counts],
                         "pairs": [int(counts[s]) for s in _ORDER if s in counts]})


#: The pair statuses of :func:`compare_with_graph`, as readers see them: status → message.
STATUS_NAMES = {
    BOTH: NP_("pair status", "realised and in the graph"),
    QI_THRESHOLD: NP_("pair status", "realised, not in the graph: quasi-identifiers too rarely "
                                     "unique at full size"),
    FEW_LINKS: NP_("pair status", "realised, not in the graph: fewer expected links than the "
                                  "minimum"),
    OTHER: NP_("pair status", "realised, not in the graph: other"),
    NOT_REALISED: NP_("pair status", "in the graph, not realised: a dataset is not realised"),
    APART: NP_("pair status", "in the graph, not realised: the datasets are realised in "
                              "different worlds"),
    UNREALISABLE: NP_("pair status", "in the graph, not realised: linked only through fields "
                                     "the world lacks"),
}

#: Fields that link records (keys and quasi-identifiers), named for readers: id → message.
FIELD_NAMES = {
    "date_of_birth": NP_("field", "date of birth"), "birth_year": NP_("field", "year of birth"),
    "pc4": NP_("field", "postcode (4 digits)"), "postcode": NP_("field", "postcode"),
    "sex": NP_("field", "sex"), "email": NP_("field", "e-mail"), "phone": NP_("field", "phone"),
    "ip": NP_("field", "IP address"), "iban": NP_("field", "IBAN"),
    "username": NP_("field", "user name"), "device": NP_("field", "device"),
    "passport": NP_("field", "passport number"),
    "licence_plate": NP_("field", "licence plate"),
    "name_dob": NP_("field", "name and date of birth"),
}

#: The counts a flag names (``overlap``, ``links``, ``false links``): id → message.
FLAG_NAMES = {"overlap": NP_("flag", "shared persons"), "links": NP_("flag", "links"),
              "false links": NP_("flag", "false links")}


def status_name(status: str, lang: str = "en") -> str:
    """A pair status in the language (as given when unknown).

    Examples
    --------
    >>> status_name(BOTH, "nl")
    'gerealiseerd en in de koppelgraaf'
    """
    if status not in STATUS_NAMES:
        return status
    return translator(lang).pgettext("pair status", STATUS_NAMES[status])


def field_names(fields: str, lang: str = "en", sep: str = " + ") -> str:
    """Field ids (``"date_of_birth,pc4"`` or ``"date_of_birth + pc4"``) named in the language.

    Examples
    --------
    >>> field_names("date_of_birth,pc4", "nl"), field_names("sex + postcode", "en")
    ('geboortedatum + postcode (4 cijfers)', 'sex + postcode')
    """
    t = translator(lang)
    ids = [f.strip() for f in fields.replace(" + ", ",").split(",") if f.strip()]
    return sep.join(t.pgettext("field", FIELD_NAMES[f]) if f in FIELD_NAMES else f for f in ids)


def flag_names(flag: str, lang: str = "en") -> str:
    """A pair's flag (``"overlap, links"``) in the language ("" when none)."""
    t = translator(lang)
    ids = [f.strip() for f in flag.split(",") if f.strip()]
    return ", ".join(t.pgettext("flag", FLAG_NAMES[f]) if f in FLAG_NAMES else f for f in ids)


def _reason_kind(reason: str) -> str:
    if reason.startswith("fewer than one synthetic person"):
        return "fewer"
    if reason.startswith("population ") and " lies outside " in reason:
        return "outside"
    return reason


def reason_text(reason: str, lang: str = "en") -> str:
    """Why a dataset is not realised, in the language (English as the validation words it).

    Examples
    --------
    >>> reason_text("population 'region_a' lies outside 'nl_residents'", "nl")
    'populatie region_a valt buiten nl_residents'
    >>> print(reason_text("fewer than one synthetic person: 400 persons at one synthetic person "
    ...                   "per 596,667 give 0.00067", "nl"))  # doctest: +NORMALIZE_WHITESPACE
    minder dan één synthetische persoon: bij één synthetische persoon per 596.667 echte blijft
    er 0,00067 over
    """
    if lang == "en":
        return reason
    t = translator(lang)
    m = re.match(r"population '(.+)' lies outside '(.+)'$", reason)
    if m:
        return t.gettext("population {population} lies outside {reference}").format(
            population=m.group(1), reference=m.group(2))
    m = re.search(r"at one synthetic person per ([\d,]+) give ([0-9.e+-]+)$", reason)
    if m:
        return t.gettext("fewer than one synthetic person: at one synthetic person per {ratio} "
                         "real ones, {expected} remain").format(
            ratio=t.number(int(m.group(1).replace(",", ""))),
            expected=t.decimal(float(m.group(2))))
    if reason == "not realised":
        return t.gettext("not realised")
    return reason


def coverage_sentence(validation: Validation, lang: str = "en") -> str:
    """Which datasets are realised, in which worlds, and how many are not.

    Examples
    --------
    >>> ds = pd.DataFrame({"dataset": ["a", "b"], "worlds": ["nl", ""],
    ...                    "reason": ["", "fewer than one synthetic person: ..."]})
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
    kinds = missing["reason"].map(_reason_kind)
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
            parts.append(f"{n}: {reason_text(k, lang)} ({listed})")
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
    checks = 2 * len(edges) + int((edges["qis"] != "").sum())
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
    edges = validation.edges
    if not len(edges) or "qi_links_exact" not in edges:
        return t.gettext("No pair joins on quasi-identifiers.")
    qi = edges.dropna(subset=["qi_links_exact"])
    off = edges[edges["equal_cells_off"] & (edges["flag"].str.find("links") < 0)]
    totals = qi.groupby("qis")[["qi_links_exact", "qi_links_expected",
                                "qi_links_expected_skewed"]].sum()
    worst = (totals["qi_links_exact"] - totals["qi_links_expected"]).idxmax()
    w = totals.loc[worst]
    text = t.gettext(
        "On {qis}, equal cells predict {expected} true links over {pairs} where {counted} are "
        "counted; the population's own cell sizes predict {skewed}.").format(
        qis=field_names(worst, lang), expected=t.decimal(w["qi_links_expected"], 1),
        pairs=plural(int((qi["qis"] == worst).sum()), "pair", lang=lang),
        counted=t.number(w["qi_links_exact"]), skewed=t.decimal(w["qi_links_expected_skewed"], 1))
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


def agreement(validation: Validation) -> dict[str, float]:
    """Headline agreement of a validation.

    Returns
    -------
    dict
        ``within``: share of exact overlaps within three standard deviations
        of the hypergeometric estimate; ``deviation``: summed absolute
        difference of exact and expected links over the summed expectation
        (skew-aware QI links); ``deviation_equal_cells``: the same with equal
        cells; ``flagged``: counts outside their sampling error;
        ``by_chance``: how many of those chance alone would give.

    Examples
    --------
    >>> e = pd.DataFrame({"a": ["x"], "b": ["y"], "qis": [""], "overlap_z": [1.0],
    ...                   "links_exact": [90], "links_expected": [100.0],
    ...                   "links_expected_equal_cells": [100.0], "flag": [""]})
    >>> agreement(Validation(e, pd.DataFrame(), pd.DataFrame(), 1_000, 0))["deviation"]
    0.1
    """
    edges = validation.edges
    z = edges["overlap_z"].replace([float("inf"), float("-inf")], float("nan")).dropna()

    def deviation(column: str) -> float:
        return float((edges["links_exact"] - edges[column]).abs().sum()
                     / max(edges[column].sum(), 1e-9))

    checks = 2 * len(edges) + int((edges["qis"] != "").sum())
    return {"within": float((z.abs() <= 3).mean()) if len(z) else float("nan"),
            "deviation": deviation("links_expected"),
            "deviation_equal_cells": deviation("links_expected_equal_cells"),
            "flagged": float(len(validation.flagged)), "by_chance": checks * ALPHA}


def verdict(validation: Validation, lang: str = "en") -> list[str]:
    """What the validation says about the closed forms, one sentence per finding.

    The closed forms agree with the counts when at least 95% of overlaps lie
    within three standard deviations, the summed link deviation is at most
    10%, and no more counts are flagged than three times what chance would
    give (at least three).
    """
    t = translator(lang)
    a = agreement(validation)
    values = {"within": t.percent(a["within"], 1), "deviation": t.decimal(100 * a["deviation"], 1)
              + "%", "flagged": t.number(a["flagged"]),
              "chance": t.significant(a["by_chance"], 2)}
    if _agrees(a):
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


def _agrees(a: dict[str, float]) -> bool:
    return (a["within"] >= 0.95 and a["deviation"] <= 0.1
            and a["flagged"] <= max(3.0, 3 * a["by_chance"]))


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
    a = agreement(validation)
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
    a = agreement(validation)
    deviation = _pct(a["deviation"], t)
    title = (t.gettext("Counted links follow the estimates (total deviation {deviation})")
             if _agrees(a) else
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


#: The measures of :meth:`bulkimpact.synth.mosaic.MosaicResult.summary`: English → message.
MOSAIC_MEASURES = {
    "persons in forum leak": NP_("mosaic", "persons in the forum leak"),
    "persons in shop list": NP_("mosaic", "persons in the shop list"),
    "persons in both (truth)": NP_("mosaic", "persons in both (truth)"),
    "record pairs linked": NP_("mosaic", "record pairs linked"),
    "persons named (correct links)": NP_("mosaic", "persons named (correct links)"),
    "named with a health condition": NP_("mosaic", "named with a health condition"),
    "wrong links": NP_("mosaic", "wrong links"),
}


def mosaic_frame(mosaic: Any, lang: str = "en") -> pd.DataFrame:
    """The mosaic's counts (``measure``, ``value``) with the measures named in `lang`."""
    t = translator(lang)
    summary = mosaic.summary()
    return summary.assign(measure=[t.pgettext("mosaic", MOSAIC_MEASURES[m])
                                   if m in MOSAIC_MEASURES else m for m in summary["measure"]])


def mosaic_sentence(mosaic: Any, lang: str = "en") -> str:
    """What joining the fictional forum leak and shop list reveals, in counts."""
    t = translator(lang)
    return t.ngettext(
        "Of {forum} forum records and {shop} shop records, {shared} are in both. Joining on "
        "date of birth, postcode and sex links {pairs} record pairs: **{named} is named** "
        "(e-mail and phone now sit next to the forum record), **{sensitive} of them with a "
        "health condition**, and {false} links are wrong (a different person, wrongly "
        "attributed).",
        "Of {forum} forum records and {shop} shop records, {shared} are in both. Joining on "
        "date of birth, postcode and sex links {pairs} record pairs: **{named} are named** "
        "(e-mail and phone now sit next to their forum record), **{sensitive} of them with a "
        "health condition**, and {false} links are wrong (a different person, wrongly "
        "attributed).", mosaic.named).format(
        forum=t.number(mosaic.forum_persons), shop=t.number(mosaic.shop_persons),
        shared=plural(mosaic.shared_persons, "person", lang=lang),
        pairs=t.number(len(mosaic.linked)), named=plural(mosaic.named, "person", lang=lang),
        sensitive=t.number(mosaic.named_sensitive), false=t.number(mosaic.false_links))


def examples_note(mosaic: Any, shown: int, adult_age: int, reference_date: Any,
                  lang: str = "en") -> str:
    """The warning above the example rows: synthetic, adults only, masked."""
    t = translator(lang)
    return t.gettext(
        "**Synthetic example rows, not real people.** {shown} of the {sensitive} persons the "
        "join names with a health condition: e-mail and phone from the shop list beside the "
        "forum's health flag. Every person here was generated by bulkimpact; only adults (aged "
        "{age} or over on {date}, the synthetic population's reference date) are shown, phone "
        "numbers and postcodes are masked and marked SYNTH, and the e-mail addresses use the "
        "reserved `.example` domain. The counts above use the unmasked synthetic records.").format(
        shown=t.number(shown), sensitive=t.number(mosaic.named_sensitive), age=adult_age,
        date=t.date(str(reference_date)))


#: Columns of the example rows (:meth:`~bulkimpact.synth.mosaic.MosaicResult.examples`), in order.
_EXAMPLE_COLUMNS = [
    ("synthetic", NP_("column", "synthetic")), ("e-mail (shop)", NP_("column", "e-mail (shop)")),
    ("phone (shop, masked)", NP_("column", "phone (shop, masked)")),
    ("date of birth", NP_("column", "date of birth")), ("age", NP_("column", "age")),
    ("postcode (masked)", NP_("column", "postcode (masked)")), ("sex", NP_("column", "sex")),
    ("health condition (forum)", NP_("column", "health condition (forum)")),
]


#: Sex as the synthetic population codes it: code → message (Dutch V for F).
_SEX = {"F": NP_("sex", "F"), "M": NP_("sex", "M")}


def examples_table(examples: pd.DataFrame, lang: str = "en") -> Any:
    """The synthetic example rows as a report table, marked synthetic in `lang`."""
    from . import tables

    t = translator(lang)
    frame = examples.rename(columns={c: "age" for c in examples.columns
                                     if str(c).startswith("age on ")})
    frame = frame.assign(synthetic=t.gettext("yes: invented person"),
                         **{"health condition (forum)": t.gettext("yes")})
    if "date of birth" in frame:
        frame["date of birth"] = [t.date(d) for d in frame["date of birth"]]
    if "sex" in frame:
        frame["sex"] = [t.pgettext("sex", _SEX[v]) if v in _SEX else v for v in frame["sex"]]
    ids = {c: f"example_{i}" for i, (c, _) in enumerate(_EXAMPLE_COLUMNS)}
    extra = {ids[c]: tables.Column(h, "count" if c == "age" else "text")
             for c, h in _EXAMPLE_COLUMNS}
    shown = frame[[c for c, _ in _EXAMPLE_COLUMNS if c in frame]].rename(columns=ids)
    return tables.table(shown, lang, extra=extra, caption=t.gettext(
        "Synthetic persons (invented by bulkimpact), masked for display"))


def mosaic_verdict(mosaic: Any, persons: int, lang: str = "en") -> str:
    """The mosaic in one sentence: two innocuous sets together name sensitive persons."""
    t = translator(lang)
    return t.gettext(
        "The mosaic is concrete: two sets that each hold nothing that names a person with a "
        "health condition together name {named} such persons in a synthetic population of "
        "{persons}.").format(named=t.number(mosaic.named_sensitive),
                             persons=t.number(persons))


def validation_finding(validation: Validation, mosaic: Any, persons: int,
                       lang: str = "en") -> str:
    """06's one-line finding: do the closed forms hold, and what does the mosaic show."""
    t = translator(lang)
    a = agreement(validation)
    head = (t.gettext("Counted person by person in synthetic worlds, the linkage estimates hold "
                      "within sampling error: {within} of overlaps lie within three standard "
                      "deviations and the links differ by {deviation} in total.")
            if _agrees(a) else
            t.gettext("Counted person by person in synthetic worlds, the linkage estimates "
                      "deviate more than sampling error explains: {within} of overlaps lie "
                      "within three standard deviations and the links differ by {deviation} in "
                      "total."))
    return head.format(within=t.percent(a["within"], 1), deviation=_pct(a["deviation"], t)) + \
        " " + t.gettext("Joined on date of birth, postcode and sex, a fictional leaked forum and "
                        "a purchased shop list name {named} persons with a health condition in "
                        "a synthetic population of {persons}.").format(
            named=t.number(mosaic.named_sensitive), persons=t.number(persons))
