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
  date**, the first date at which the cumulative level exceeds every single
  provision's own level in the window;
- :func:`assess_exchange` compares per-provision and structural assessment
  (provisions, partners and expected distinct persons under a heavier
  safeguard, and from when) and the sensitivity of that verdict to the window.

The model (assumptions, stated once here and in every JSON record)
--------------------------------------------------------------------
*What a partner holds.* Only provisions with direction ``provided`` (made by
the service to the partner, art. 62) build up at the partner; ``received``
provisions (the partner questioned as informant, art. 39) are logged and
validated but hold nothing new for the partner.

*Window.* A rolling window of ``w`` days ending at date ``t`` holds the
provisions dated ``t - w < date <= t``; ``None`` is the partnership's whole
life (every provision up to ``t``). The cumulative level is evaluated at every
date the window's content changes (a provision made or one leaving the
window), up to the log's last date.

*Linking.* Two provisions to the same partner are linked when a field of each
carries the same key namespace (``ip``, ``email``, ``username``, …, the
taxonomy's linkage keys): the same identifier can recur in both, so their
records join per person. Linked groups are the connected components of that
graph among the window's provisions. A group of at least two provisions is
*identifiable* when a member is identifiable on its own (a field in an
identifying category, as :func:`bulkimpact.rulebook.dataset_profile` decides)
or when the members share a **resolving key**
(:data:`RESOLVING_KEYS`: IP addresses that resolve to a subscriber, e-mail
addresses, account names, telephone numbers): an identifier recurring across
provisions with new context each time singles out the person behind it. This
is an assumption of this tool, switchable with ``resolving_keys=()``.

*Union profile and level.* A group's profile is the union of its members'
categories, identifiable as above, its expected distinct persons, and not
public (the partner is bound to secrecy about what it receives, seed 002). Its
level is ``max(max own level of the members, rulebook.score(union profile))``,
the inventory's ``L(S)``; a single provision keeps its own level. The
partner's cumulative level at ``t`` is the highest level of any group in the
window. Adding provisions only adds members and merges groups, so a longer
window never lowers it.

*Persons.* Persons touched by different provisions are not summed: each
provision's persons are taken as an independent random draw from the log's
stated reference population of ``N`` persons, and a group concerns
``N (1 - prod_i (1 - n_i / N))`` **expected distinct persons**
(:func:`bulkimpact.persons.union_size`). Provisions about one incident often
touch the same people, so this is an upper estimate of the distinct persons
for a given total of persons touched.

*Heavier safeguard.* A provision comes under a heavier safeguard when the
level it is assessed at exceeds the rulebook's ``low_intrusion_level`` (the
ministers' "zeer geringe inbreuk"). Per provision, that level is its own;
structurally, the highest level of a group it belongs to while it is in the
window, from the date that group reaches it.

Examples
--------
>>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
>>> rb = load_rulebook(default_rulebook_path())
>>> log = parse_exchange_log({
...     "title": "toy", "fictional": True,
...     "population": {"name": "internet users", "size": 1_000_000},
...     "provisions": [
...         {"id": "a", "date": "2025-01-01", "partner": "P", "direction": "provided",
...          "legal_ground": "art62", "persons": 50, "level": "light",
...          "fields": [{"name": "ip", "category": "online_identifier", "key": "ip"}]},
...         {"id": "b", "date": "2025-01-20", "partner": "P", "direction": "provided",
...          "legal_ground": "art62", "persons": 40, "level": 1,
...          "fields": [{"name": "ip", "category": "online_identifier", "key": "ip"},
...                     {"name": "domain", "category": "technical"}]}]}, rulebook=rb)
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
    RESOLVING_KEYS,
    UNITS,
    WINDOWS,
    ApproachOutcome,
    ExchangeAssessment,
    GroupLevel,
    PartnerTimeline,
    TimelineStep,
    WindowLevel,
    WindowVerdict,
    assess_exchange,
    crossing_date,
    distinct_persons,
    level_at,
    linked_groups,
    partner_timeline,
    provision_profile,
    union_profile,
)
from .log import (
    CSV_COLUMNS,
    DIRECTIONS,
    LEGAL_GROUNDS,
    ExchangeField,
    ExchangeLog,
    ExchangePopulation,
    Provision,
    load_exchange_log,
    parse_exchange_log,
)

__all__ = [
    "DIRECTIONS", "LEGAL_GROUNDS", "CSV_COLUMNS", "RESOLVING_KEYS", "WINDOWS", "APPROACHES",
    "UNITS", "ExchangeField", "Provision", "ExchangePopulation", "ExchangeLog",
    "parse_exchange_log", "load_exchange_log", "provision_profile", "linked_groups",
    "distinct_persons", "union_profile", "GroupLevel", "WindowLevel", "level_at",
    "TimelineStep", "PartnerTimeline", "partner_timeline", "crossing_date", "ApproachOutcome",
    "WindowVerdict", "ExchangeAssessment", "assess_exchange",
]
