"""The openness readings in words: what each counts as publicly accessible, which datasets
change level between two readings, and what that does to the dispute's claims (report 05).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..evaluate import Evaluation
from ..rulebook import Rulebook
from .i18n import (
    NP_,
    reading_label,
    reading_name,
    translator,
)
from .names import (
    plural,
)
from .phrases import count_text
from .rulebook_names import rulebook_text

__all__ = ["openness_findings", "OPENNESS_FLAGS", "readings_frame", "openness_finding",
           "openness_changes", "levels_title", "sets_moved", "readings_compared",
           "reading_definitions"]


def openness_findings(levels: pd.DataFrame, variants: Sequence[str],
                      persons: pd.Series, lang: str = "en") -> list[str]:
    """Which datasets change level between openness readings, and how many records they hold.

    ``levels`` has one column per variant (dataset levels on their own);
    ``persons`` each dataset's size, summed into records (not distinct persons).

    Examples
    --------
    >>> lv = pd.DataFrame({"services": [1, 2], "ctivd": [2, 2]}, index=["a", "b"])
    >>> print(openness_findings(lv, ["services", "ctivd"], pd.Series({"a": 10, "b": 5}))[0])
    From the services reading to the ctivd reading, 1 dataset changes level (a),
    holding 10 records; 1 goes up.
    >>> print(openness_findings(lv, ["services", "ctivd"], pd.Series({"a": 1000, "b": 5}),
    ...                         lang="nl")[0])
    Van de lezing van de diensten naar de lezing van de CTIVD verandert 1 bulkdataset van
    niveau (a), met samen 1.000 records; 1 daarvan gaat naar een hoger niveau.
    """
    t = translator(lang)
    a, b = variants
    names = {"a": a, "b": b, "a_name": reading_name(a, lang), "b_name": reading_name(b, lang)}
    changed = levels.index[levels[a] != levels[b]]
    if not len(changed):
        # TRANSLATORS: {a} and {b} are reading ids ("services", "ctivd"); also offered:
        # {a_name} and {b_name}, their names in the language ("services' reading").
        return [t.gettext("No dataset changes level between the {a} and {b} readings.").format(
            **names)]
    up = int((levels.loc[changed, b] > levels.loc[changed, a]).sum())
    listed = ", ".join(changed[:8]) + (", …" if len(changed) > 8 else "")
    # TRANSLATORS: {datasets} is "N datasets"; {listed} their ids; {persons} "N records";
    # {a} and {b} are reading ids; also offered: {a_name} and {b_name}, their names.
    moved = t.ngettext(
        "From the {a} reading to the {b} reading, {datasets} changes level ({listed}), "
        "holding {persons}",
        "From the {a} reading to the {b} reading, {datasets} change level ({listed}), "
        "holding {persons}", len(changed)).format(
        datasets=plural(len(changed), "dataset", lang=lang), listed=listed,
        # A sum of dataset sizes counts records (a person in two datasets counts twice).
        persons=plural(persons[changed].sum(), "record", lang=lang), **names)
    rise = t.ngettext("{up} goes up", "{up} go up", up).format(up=count_text(up, t))
    return [f"{moved}; {rise}."]


#: What an openness reading may count as publicly accessible (the rulebook's flags).
OPENNESS_FLAGS = {
    "made_public_by_subjects": NP_("openness flag", "made public by the persons themselves"),
    "open_source": NP_("openness flag", "open sources and registers"),
    "leaked": NP_("openness flag", "data from a leak"),
    "paid": NP_("openness flag", "data offered for payment"),
}


def readings_frame(rulebook: Rulebook, readings: Sequence[str] | None = None,
                   lang: str = "en") -> pd.DataFrame:
    """The rulebook's openness readings: what counts as publicly accessible under each.

    Columns: ``reading_label``, ``counts_as_public``, ``never_public``,
    ``reading_source``; index ``reading`` (ids). The source is quoted as the
    rulebook gives it.
    """
    t = translator(lang)

    def flags(values: object) -> str:
        return t.join([t.pgettext("openness flag", OPENNESS_FLAGS[v]) if v in OPENNESS_FLAGS
                       else str(v) for v in sorted(values)]) or "–"

    rows = [{"reading": name, "reading_label": reading_label(v.label, lang),
             "counts_as_public": flags(v.counts_as_public), "never_public": flags(v.excludes),
             "reading_source": v.source or "–"}
            for name, v in rulebook.openness_variants.items()
            if readings is None or name in readings]
    return pd.DataFrame(rows).set_index("reading")


def openness_finding(levels: pd.DataFrame, variants: Sequence[str], distinct: float,
                     evaluations: Sequence[Evaluation], lang: str = "en") -> str:
    """05's one-line finding: datasets that change level between two readings, the distinct
    persons in them, and what that does to assessment per dataset.

    ``distinct`` is the expected number of distinct persons in the datasets
    that change (:func:`bulkimpact.persons.distinct_persons`).

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> evs = [evaluate_policies(toy_graph(r), toy_rulebook()) for r in ("services", "ctivd")]
    >>> lv = pd.DataFrame({"services": [1, 1], "ctivd": [2, 1]}, index=["a", "b"])
    >>> print(openness_finding(lv, ["services", "ctivd"], 1000.0, evs))
    ... # doctest: +NORMALIZE_WHITESPACE
    From the services' reading to the CTIVD reading, 1 dataset changes level, holding an
    expected 1,000 distinct persons; assessment per dataset then leaves 2 combinations
    under-protected instead of 1.
    >>> print(openness_finding(lv, ["services", "ctivd"], 1000.0, evs, "nl"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Van de lezing van de diensten naar de lezing van de CTIVD gaat 1 bulkdataset naar een
    ander niveau, met naar verwachting 1.000 verschillende personen; beoordeling per
    bulkdataset afzonderlijk laat dan 2 combinaties onvoldoende beschermd in plaats van 1.
    """
    t = translator(lang)
    a, b = variants
    changed = int((levels[a] != levels[b]).sum())
    names = {"a": reading_name(a, lang), "b": reading_name(b, lang)}
    if not changed:
        head = t.gettext("No dataset changes level between the {a} and the {b}").format(**names)
    else:
        head = t.ngettext(
            "From the {a} to the {b}, {datasets} changes level, holding an expected {persons}",
            "From the {a} to the {b}, {datasets} change level, holding an expected {persons}",
            changed).format(datasets=plural(changed, "dataset", lang=lang),
                            persons=plural(distinct, "distinct person", lang=lang), **names)
    ea, eb = (e.outcomes.get("per_dataset") for e in evaluations)
    if ea is None or eb is None:
        return head + "."
    if ea.under_protected == eb.under_protected:
        tail = t.gettext("assessment per dataset leaves {sets} under-protected under "
                         "both").format(sets=plural(eb.under_protected, "combination",
                                                    lang=lang))
    else:
        tail = t.gettext("assessment per dataset then leaves {sets} under-protected instead "
                         "of {before}").format(
            sets=plural(eb.under_protected, "combination", lang=lang),
            before=count_text(ea.under_protected, t))
    return f"{head}; {tail}."


def openness_changes(levels: pd.DataFrame, variants: Sequence[str], distinct: float,
                     records: float, lang: str = "en") -> str:
    """Which datasets change level, with their expected distinct persons and records.

    Examples
    --------
    >>> lv = pd.DataFrame({"services": [1, 2], "ctivd": [2, 2]}, index=["a", "b"])
    >>> print(openness_changes(lv, ["services", "ctivd"], 900.0, 1000))
    ... # doctest: +NORMALIZE_WHITESPACE
    1 dataset changes level (a), 1 of them to a heavier level; together they hold 1,000
    records, an expected 900 distinct persons (a person in two of them counts once).
    """
    t = translator(lang)
    a, b = variants
    changed = levels.index[levels[a] != levels[b]]
    if not len(changed):
        return t.gettext("No dataset changes level between the {a} and the {b}.").format(
            a=reading_name(a, lang), b=reading_name(b, lang))
    up = int((levels.loc[changed, b] > levels.loc[changed, a]).sum())
    return t.ngettext(
        "{datasets} changes level ({listed}), {up} of them to a heavier level; together they "
        "hold {records}, an expected {persons} (a person in two of them counts once).",
        "{datasets} change level ({listed}), {up} of them to a heavier level; together they "
        "hold {records}, an expected {persons} (a person in two of them counts once).",
        len(changed)).format(
        datasets=plural(len(changed), "dataset", lang=lang), listed=", ".join(changed),
        up=count_text(up, t), records=plural(records, "record", lang=lang),
        persons=plural(distinct, "distinct person", lang=lang))


def levels_title(changed: int, variants: Sequence[str], lang: str = "en") -> str:
    """Title of the figure of datasets per level under two readings."""
    t = translator(lang)
    a, b = variants
    # TRANSLATORS: also offered: {a} and {b}, the two readings' names.
    return t.ngettext("{datasets} changes level between the two readings",
                      "{datasets} change level between the two readings", changed).format(
        datasets=plural(changed, "dataset", lang=lang), a=reading_name(a, lang),
        b=reading_name(b, lang))


def sets_moved(moved: int, total: int, lang: str = "en") -> str:
    """How many combinations change their level together between two readings.

    Examples
    --------
    >>> sets_moved(1, 10), sets_moved(3, 10, "nl")
    ('1 of 10 combinations changes its level together between the readings.', \
'3 van de 10 combinaties krijgen tussen de lezingen een ander niveau in samenhang.')
    """
    t = translator(lang)
    return t.ngettext(
        "{moved} of {total} changes its level together between the readings.",
        "{moved} of {total} change their level together between the readings.", moved).format(
        moved=count_text(moved, t), total=plural(total, "combination", lang=lang))


def readings_compared(evaluations: Mapping[str, Evaluation], lang: str = "en") -> list[str]:
    """Both claims of the dispute under two openness readings, one sentence each.

    Examples
    --------
    >>> from bulkimpact.examples import toy_graph, toy_rulebook
    >>> from bulkimpact.assessor import evaluate_policies
    >>> evs = {r: evaluate_policies(toy_graph(r), toy_rulebook()) for r in ("services", "ctivd")}
    >>> print("\\n".join(readings_compared(evs)))  # doctest: +NORMALIZE_WHITESPACE
    Assessment per dataset leaves 1 combination under-protected under the services' reading
    and 2 under the CTIVD reading.
    The whole-component rule escalates 3 datasets under the services' reading and 3 under the
    CTIVD reading; minimal escalation 1 and 1.
    """
    t = translator(lang)
    (a, ea), (b, eb) = list(evaluations.items())[:2]
    oa, ob = ea.outcomes, eb.outcomes
    names = {"a": reading_name(a, lang), "b": reading_name(b, lang)}
    out = []
    if "per_dataset" in oa and "per_dataset" in ob:
        out.append(t.gettext("Assessment per dataset leaves {sets} under-protected under the {a} "
                             "and {other} under the {b}.").format(
            sets=plural(oa["per_dataset"].under_protected, "combination", lang=lang),
            other=count_text(ob["per_dataset"].under_protected, t), **names))
    if "component" in oa and "minimal_escalation" in oa:
        out.append(t.gettext("The whole-component rule escalates {datasets} under the {a} and "
                             "{other} under the {b}; minimal escalation {min_a} and "
                             "{min_b}.").format(
            datasets=plural(oa["component"].escalated, "dataset", lang=lang),
            other=count_text(ob["component"].escalated, t),
            min_a=count_text(oa["minimal_escalation"].escalated, t),
            min_b=count_text(ob["minimal_escalation"].escalated, t), **names))
    return out


def reading_definitions(rulebook: Rulebook, readings: Sequence[str], lang: str = "en") -> list[str]:
    """How each reading defines "openbaar toegankelijk": its name, label and definition.

    A definition that quotes the source is shown verbatim in both languages.
    """
    out = []
    for r in readings:
        v = rulebook.openness_variants[r]
        definition = rulebook_text(" ".join((v.definition or "").split()), lang)
        out.append(f"**{reading_name(r, lang)}** ({reading_label(v.label, lang)}): "
                   f"{definition or '–'}")
    return out
