"""Structural exchange with private partners: each provision on its own, or over time together.

Seed 002 (the ministers' letter of 17 February 2025) describes the services'
exchange of mainly technical data with companies in the cyber domain.
Companies are questioned as informants (art. 39 Wiv 2017); the services
provide data to them under art. 62 Wiv 2017, each provision judged on its own
("De wet noch de wetsgeschiedenis maakt onderscheid tussen incidentele en
structurele verstrekking"). The CTIVD sees the exchange as structural, to be
considered "in onderlinge samenhang". This module makes both readings
computable for an **exchange log**:

- :func:`load_exchange_log` reads and validates a log (YAML or CSV), every
  problem at once, each naming file, item or row, field and what is valid;
- :func:`level_at` is the cumulative level of what one partner has received
  in a window ending at a date, scored with the same :class:`Rulebook`;
- :func:`partner_timeline` follows it over time and finds the **crossing
  date**, the first date at which a linked group of what the partner holds
  weighs heavier than each of its members on its own;
- :func:`assess_exchange` compares per-provision and structural assessment
  (provisions, partners and expected distinct persons under a heavier
  safeguard, and from when), both with the data received from a partner and
  with only what was provided, and the sensitivity of that verdict to the window.

The exchange is scored with the inventory's engine: provisions are nodes of a
linkage graph (:func:`exchange_graph`), a linked group's level is
:func:`bulkimpact.combinations.cumulative_level`, distinct persons are
:func:`bulkimpact.persons.distinct_persons`.

The model (assumptions, stated once here and in every JSON record)
--------------------------------------------------------------------
*What a partner's exchange holds.* Seed 002 describes the cooperation as
"het ontvangen en verstrekken van gegevens op regelmatige basis": data
``provided`` to the partner (art. 62) and data ``received`` from it (art. 39,
the partner questioned as informant) both belong to one partner's exchange
and accumulate where they concern the same persons. ``provided_only=True``
shows the view in which only what the service provided counts.

*Own level.* A provision's own level is the level the rulebook gives its
fields (as a dataset's); a stated level below it is a finding
(:func:`level_findings`), and the provision is assessed at the higher of the two.

*Window.* A rolling window of ``w`` days ending at date ``t`` holds the
exchanges dated ``t - w < date <= t``; ``None`` is the partnership's whole
life. The cumulative level is evaluated at every date the window's content
changes, up to the log's last date.

*Linking, by evidence.* Two exchanges with the same partner are linked when
they carry the same key namespace (``ip``, ``email``, ``username``, …) *and*
the expected number of persons they share, ``n_a n_b / N`` in the log's
reference population (or the ``overlaps`` the log states), reaches the
rulebook's ``linkage.min_expected_links``: the threshold inventory links use.
Linked groups are the connected components among the window's exchanges. A
group of at least two is *identifiable* when a member is identifiable on its
own, or when it is joined through a **resolving key**
(:data:`RESOLVING_KEYS`: IP addresses that resolve to a subscriber, e-mail
addresses, account names, telephone numbers): an assumption of this tool,
switchable with ``resolving_keys=()``.

*Level and crossing.* A group's level is ``L(S)`` of the inventory. The
partner's cumulative level at ``t`` is the highest level of any group in the
window. The partner *crosses* at ``t`` when a linked group of its exchanges,
over any stretch of the window ending at ``t``, weighs heavier than each of its
members on its own; since a shorter window is such a stretch, a longer window
never hides a crossing a shorter one finds.

*Persons.* Each exchange's persons are taken as an independent random draw
from the log's reference population of ``N`` persons, stated overlaps
honoured; a group concerns :func:`bulkimpact.persons.distinct_persons`.

*Heavier safeguard.* An exchange comes under a heavier safeguard when the
level it is assessed at exceeds the rulebook's ``low_intrusion_level`` (the
ministers' "zeer geringe inbreuk"). Per provision, that level is its own;
structurally, the highest level of a group it belongs to while it is in the
window, from the date that group reaches it.

Examples
--------
>>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
>>> rb = load_rulebook(default_rulebook_path())
>>> ip = {"name": "ip", "category": "online_identifier", "key": "ip"}
>>> log = parse_exchange_log({
...     "title": "toy", "fictional": True,
...     "population": {"name": "internet users", "size": 1_000_000},
...     "provisions": [
...         {"id": "a", "date": "2025-01-01", "partner": "P", "direction": "provided",
...          "legal_ground": "art62", "persons": 2_000, "level": "light", "fields": [ip]},
...         {"id": "b", "date": "2025-01-20", "partner": "P", "direction": "provided",
...          "legal_ground": "art62", "persons": 1_500, "level": 1,
...          "fields": [ip, {"name": "times", "category": "comms_metadata"}]}]}, rulebook=rb)
>>> level_at(log, "P", "2025-01-20", rb, window=30).level
2
>>> partner_timeline(log, "P", rb, window=10).crossing is None
True
>>> partner_timeline(log, "P", rb, window=30).crossing
datetime.date(2025, 1, 20)
"""

from __future__ import annotations

from .assess import (
    APPROACHES,
    FINDING_KINDS,
    RESOLVING_KEYS,
    UNITS,
    VIEWS,
    WINDOWS,
    ApproachOutcome,
    ExchangeAssessment,
    GroupLevel,
    PartnerStep,
    PartnerTimeline,
    WindowLevel,
    WindowVerdict,
    assess_exchange,
    crossing_date,
    exchange_graph,
    level_at,
    level_findings,
    linked_groups,
    partner_timeline,
    provision_level,
    provision_profile,
)
from .log import (
    CSV_COLUMNS,
    DIRECTIONS,
    LEGAL_GROUNDS,
    ExchangeField,
    ExchangeLog,
    ExchangePopulation,
    Provision,
    ProvisionOverlap,
    load_exchange_log,
    parse_exchange_log,
)

__all__ = [
    "DIRECTIONS", "LEGAL_GROUNDS", "CSV_COLUMNS", "RESOLVING_KEYS", "WINDOWS", "APPROACHES",
    "VIEWS", "UNITS", "FINDING_KINDS", "ExchangeField", "ProvisionOverlap", "Provision",
    "ExchangePopulation", "ExchangeLog", "parse_exchange_log", "load_exchange_log",
    "provision_profile", "provision_level", "level_findings", "exchange_graph",
    "linked_groups", "GroupLevel", "WindowLevel", "level_at", "PartnerStep",
    "PartnerTimeline", "partner_timeline", "crossing_date", "ApproachOutcome",
    "WindowVerdict", "ExchangeAssessment", "assess_exchange",
]
