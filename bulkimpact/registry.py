"""One registry: every metric, decision rule and openness reading, declared once.

A metric is declared here with what it counts (its unit, the text ``assess --json``
carries under ``policy_units``), how a report shows it (its label, a catalogue
message in context ``column``, and how its values are written), whether lower is
better, and where its value comes from (an attribute of
:class:`~bulkimpact.evaluate.PolicyOutcome`). The JSON's units, the tables' columns,
the figures' axes, the glossary, the timeline and the sensitivity tornado read
it; no label is typed twice. Decision rules (:data:`RULES`) and openness readings
(:data:`READINGS`) are declared the same way; :data:`bulkimpact.policies.POLICIES`
holds the rules' functions under the same names (a test keeps them equal).

Labels are English catalogue messages (``bulkimpact.present.i18n`` translates
them; Dutch first in the reports). The core declares them and never shows them.

Adding a metric
---------------
Compute it in :func:`bulkimpact.evaluate.judge` as a field of
:class:`~bulkimpact.evaluate.PolicyOutcome`, then declare it in :data:`METRICS`
(and name it in a selection such as :data:`HEADLINE` to show it in the headline
table); its Dutch label goes in the Dutch catalogue. The README's development
section walks through an example.

Examples
--------
>>> METRICS["total_burden"].unit
'cost units: escalation_cost + authorisation_cost'
>>> METRICS["under_protected"].label, METRICS["under_protected"].lower_is_better
('under-protected combinations', True)
>>> RULES["use_based"].label, READINGS["ctivd"].label
('authorisation per use', 'CTIVD reading')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Metric", "Rule", "Reading", "Quantity", "METRICS", "RULES", "READINGS",
           "QUANTITIES", "NP_", "units",
           "HEADLINE", "JSON_ROWS", "TIMELINE", "PANEL", "TABLE"]


def NP_(context: str, message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a message with a context for the catalogue (``pgettext(context, …)`` shows it)."""
    return message


@dataclass(frozen=True)
class Metric:
    """A figure measured per decision rule.

    Attributes
    ----------
    key : str
        Its id: the :class:`~bulkimpact.evaluate.PolicyOutcome` attribute it is read
        from, the JSON key, the table column and the CSV header.
    unit : str
        What it counts, in words (the JSON's ``units``).
    label : str
        Its heading in reports (catalogue message, context ``column``).
    kind : str
        How values are written: ``count`` (whole), ``persons`` (expected distinct persons,
        rounded as the model supports; the JSON keeps the exact value), ``cost`` (one decimal),
        ``decimal`` (one decimal) or ``text``.
    lower_is_better : bool
        The direction a reader wants it to move (False where neither is better).
    axis : str or None
        Its label on a figure's axis (catalogue message, context ``figure``), where a
        figure plots it.
    """

    key: str
    unit: str
    label: str
    kind: str = "count"
    lower_is_better: bool = True
    axis: str | None = None


def _metrics(*metrics: Metric) -> dict[str, Metric]:
    return {m.key: m for m in metrics}


#: Every per-rule metric, in the order the JSON gives them.
METRICS: dict[str, Metric] = _metrics(
    Metric("under_protected", "exposure sets",
           NP_("column", "under-protected combinations"),
           axis=NP_("figure", "under-protected combinations")),
    Metric("under_protected_persons",
           "expected distinct persons linked in under-protected exposure sets",
           NP_("column", "distinct persons in under-protected combinations"), "persons",
           axis=NP_("figure", "distinct persons linked in under-protected sets")),
    Metric("under_protected_persons_held",
           "expected distinct persons held in the member datasets of under-protected "
           "exposure sets",
           NP_("column", "distinct persons held in the members of under-protected "
                         "combinations"), "persons"),
    Metric("escalated", "datasets", NP_("column", "datasets escalated"),
           axis=NP_("figure", "datasets escalated above their own level")),
    Metric("escalated_persons", "expected distinct persons held in escalated datasets",
           NP_("column", "distinct persons in escalated datasets"), "persons"),
    Metric("escalated_records",
           "records: the sum of the escalated datasets' sizes (a person in two datasets "
           "counts twice)", NP_("column", "records in escalated datasets")),
    Metric("escalated_outside_regime",
           "escalated datasets below the light level on their own (outside the regime)",
           NP_("column", "of which outside the regime alone")),
    Metric("escalated_light", "escalated datasets at the light level on their own",
           NP_("column", "of which light alone")),
    Metric("escalated_slight",
           "escalated datasets of slight intrusion on their own (outside the regime or light)",
           NP_("column", "of which of very slight intrusion alone")),
    Metric("escalated_low", "same as escalated_slight (kept for compatibility)",
           NP_("column", "of which of very slight intrusion alone")),
    Metric("escalation_cost", "cost units, one-off: sum of cost weight × levels raised",
           NP_("column", "escalation cost (cost units, one-off)"), "cost",
           axis=NP_("figure", "escalation cost (cost units, one-off)")),
    Metric("level_increase", "levels raised, summed over datasets",
           NP_("column", "levels raised")),
    Metric("authorisations", "investigations needing a case-by-case authorisation",
           NP_("column", "investigations needing authorisation")),
    Metric("authorisations_potential", "exposure sets that need an authorisation whenever used",
           NP_("column", "combinations needing authorisation whenever used")),
    Metric("authorisations_per_year",
           "authorisations a year (investigations' uses, plus the use rate for every other "
           "such combination)", NP_("column", "authorisations a year"), "decimal"),
    Metric("authorisation_cost",
           "cost units: authorisations a year × cost at the combination's level × horizon in "
           "years", NP_("column", "authorisation cost (cost units)"), "cost"),
    Metric("total_burden", "cost units: escalation_cost + authorisation_cost",
           NP_("column", "total burden (cost units)"), "cost",
           axis=NP_("figure", "total burden (cost units: one-off, holding, uses, "
                                   "authorisations)")),
)

#: Metrics with no unit of their own in the JSON but shown in tables.
STATUS = Metric("status", "how the rule's regime was found (exact, optimal)",
                NP_("column", "solver status"), "status", lower_is_better=False)

#: Selections, each an ordered tuple of metric ids.
#: The headline table per rule and reading (``assess --json`` ``readings``).
HEADLINE = ("under_protected", "under_protected_persons", "escalated", "escalated_slight",
            "escalated_persons", "total_burden")
#: Each rule's row of :meth:`bulkimpact.evaluate.Evaluation.rows` (sweeps, robustness).
JSON_ROWS = ("under_protected", "under_protected_persons", "escalated", "escalated_low",
             "escalated_persons", "escalation_cost", "level_increase", "authorisations",
             "status", "under_protected_persons_held", "escalated_records",
             "escalated_outside_regime", "escalated_light", "escalated_slight",
             "authorisations_potential", "authorisations_per_year", "authorisation_cost",
             "total_burden")
#: A timeline step's per-rule figures.
TIMELINE = ("under_protected", "under_protected_persons", "escalated", "escalated_persons",
            "escalated_slight", "escalation_cost", "authorisations_per_year", "total_burden")
#: The scenario panel's table.
PANEL = ("under_protected", "escalated", "escalated_slight", "total_burden")
#: The rules table of the reports, in order.
TABLE = ("under_protected", "under_protected_persons", "escalated", "escalated_slight",
         "escalated_outside_regime", "escalated_light", "escalated_persons",
         "escalated_records", "escalation_cost", "authorisations_per_year",
         "authorisation_cost", "total_burden", "level_increase", "authorisations", "status")


def units(keys: tuple[str, ...] | None = None) -> dict[str, str]:
    """What each metric counts (``keys``, default all), as the JSON's ``units`` give it.

    Examples
    --------
    >>> units(("escalated", "under_protected"))
    {'escalated': 'datasets', 'under_protected': 'exposure sets'}
    """
    return {k: METRICS[k].unit for k in (METRICS if keys is None else keys)}


@dataclass(frozen=True)
class Rule:
    """A decision rule's name in reports and one line on what it does (catalogue messages)."""

    key: str
    label: str
    meaning: str


#: Every decision rule, in the order reports list them (functions: bulkimpact.policies).
RULES: dict[str, Rule] = {r.key: r for r in (
    Rule("per_dataset", NP_("rule", "per dataset"),
         NP_("rule meaning", "each dataset on its own nature")),
    Rule("component", NP_("rule", "whole component"),
         NP_("rule meaning", "each dataset at the level of its whole linked component")),
    Rule("k_hop", NP_("rule", "k-hop neighbourhood"),
         NP_("rule meaning", "each dataset weighed with its neighbours up to k links away")),
    Rule("threshold", NP_("rule", "strong links only"),
         NP_("rule meaning", "components of strong links only")),
    Rule("minimal_escalation", NP_("rule", "minimal escalation"),
         NP_("rule meaning", "the cheapest escalation leaving nothing under-protected")),
    Rule("use_based", NP_("rule", "authorisation per use"),
         NP_("rule meaning",
             "no escalation; every use of a heavier combination authorised beforehand")),
)}


@dataclass(frozen=True)
class Reading:
    """An openness reading's name in reports (catalogue message, context ``reading``)."""

    key: str
    label: str


#: The openness readings the bundled rulebook defines: their names in reports.
READINGS: dict[str, Reading] = {r.key: r for r in (
    Reading("services", NP_("reading", "services' reading")),
    Reading("ctivd", NP_("reading", "CTIVD reading")),
    Reading("ctivd_no_purchased", NP_("reading", "CTIVD reading, purchased data included")),
    Reading("subjects_only", NP_("reading", "subjects-only reading")),
    Reading("uk_part7a", NP_("reading", "UK Part 7A-like reading")),
)}


@dataclass(frozen=True)
class Quantity:
    """A headline figure a reviewer quotes: one metric of one rule (the tornado's columns)."""

    key: str
    rule: str
    metric: str
    unit: str
    label: str
    column: str
    kind: str = "count"


#: The headline quantities of the sensitivity tornado, each one rule's metric.
QUANTITIES: dict[str, Quantity] = {q.key: q for q in (
    Quantity("per_dataset_under_protected", "per_dataset", "under_protected",
             "exposure sets per-dataset assessment leaves under-protected",
             NP_("quantity", "combinations left under-protected by assessment per dataset"),
             NP_("column", "combinations under-protected per dataset")),
    Quantity("component_escalated_slight", "component", "escalated_slight",
             "datasets of slight intrusion the component rule escalates",
             NP_("quantity", "datasets of very slight intrusion on their own escalated by the "
                             "whole-component rule"),
             NP_("column", "of very slight intrusion alone, escalated by the whole component")),
    Quantity("minimal_escalation_burden", "minimal_escalation", "total_burden",
             "burden of minimal escalation (cost units)",
             NP_("quantity", "burden of minimal escalation (cost units)"),
             NP_("column", "burden of minimal escalation (cost units)"), "cost"),
    Quantity("use_based_burden", "use_based", "total_burden",
             "burden of case-by-case authorisation (cost units)",
             NP_("quantity", "burden of authorisation per use (cost units)"),
             NP_("column", "burden of authorisation per use (cost units)"), "cost"),
)}
