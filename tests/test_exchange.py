"""Structural exchange (bulkimpact.exchange): hand-worked logs, properties, bad input, CLI.

The hand-worked logs below are small enough to follow with a calendar: each
test says why the crossing date is what it is. The corpus in
``tests/bad_exchange/`` holds logs that each break one thing, like
``tests/bad_inputs/`` for inventories.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulkimpact.cli import SEE_EXIT_STATUS, main
from bulkimpact.exchange import (
    WINDOWS,
    assess_exchange,
    crossing_date,
    exchange_graph,
    level_at,
    load_exchange_log,
    parse_exchange_log,
    partner_timeline,
    provision_level,
)
from bulkimpact.problems import InputError
from bulkimpact.resources import BUNDLED_EXCHANGE_LOG, bundled
from bulkimpact.rulebook import default_rulebook_path, load_rulebook

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BAD = HERE / "bad_exchange"
LOG_YAML = ROOT / "data" / "synthetic" / "exchange" / "exchange_log.yaml"
LOG_CSV = ROOT / "data" / "synthetic" / "exchange" / "exchange_log.csv"

IP = {"name": "src_ip", "category": "online_identifier", "key": "ip"}
CONN = {"name": "connection_times", "category": "comms_metadata"}
EMAIL = {"name": "victim_email", "category": "contact", "key": "email"}
ACCOUNT = {"name": "account", "category": "online_identifier", "key": "username"}
HASH = {"name": "sha256", "category": "technical"}
CITY = {"name": "ip_city", "category": "location"}


@pytest.fixture(scope="module")
def rb():
    return load_rulebook(default_rulebook_path())


def prov(pid: str, date: str, fields: list[dict], persons: int, level: Any,
         partner: str = "P", direction: str = "provided",
         overlaps: dict[str, float] | None = None) -> dict[str, Any]:
    return {"id": pid, "date": date, "partner": partner, "direction": direction,
            "legal_ground": "art62" if direction == "provided" else "art39",
            "fields": fields, "persons": persons, "level": level,
            "overlaps": [{"with": k, "persons": v} for k, v in (overlaps or {}).items()]}


def log_of(*provisions: dict, size: int = 1_000_000, rulebook=None):
    return parse_exchange_log({"title": "hand-worked", "fictional": True,
                               "population": {"name": "p", "size": size},
                               "provisions": list(provisions)}, "hand.yaml", rulebook)


# --- hand-worked logs ---------------------------------------------------------------------


def test_shared_ip_addresses_three_weeks_apart_cross_on_the_second_date(rb) -> None:
    # a and b both carry IP addresses of 100 persons drawn from 10,000: 100·100/10,000 = 1
    # expected shared person, the rulebook's linkage.min_expected_links, so they link. Light on
    # their own (an IP address alone does not identify); together the same addresses recur with
    # connection times: identifiable and not public, with communications metadata (medium).
    log = log_of(prov("a", "2025-01-01", [IP], 100, "light"),
                 prov("b", "2025-01-21", [IP, CONN], 100, 1),
                 prov("c", "2025-03-01", [HASH], 0, 0), size=10_000)
    assert crossing_date(log, "P", rb, window=30) == dt.date(2025, 1, 21)
    assert crossing_date(log, "P", rb, window=None) == dt.date(2025, 1, 21)
    # 20 days apart: a 20-day window never holds both.
    assert crossing_date(log, "P", rb, window=20) is None
    w = level_at(log, "P", "2025-01-21", rb, window=30)
    assert (w.level, w.own_level, w.raised) == (2, 1, True)
    assert set(w.rules) == {"personal-data", "identifiable-not-public", "revealing-behaviour"}
    assert w.heaviest_crossing.expected_shared_persons == pytest.approx(1.0)
    # Without the assumption that recurring IP addresses resolve to a person, no crossing.
    assert crossing_date(log, "P", rb, window=30, resolving_keys=()) is None


def test_a_thin_namespace_does_not_link(rb) -> None:
    # Two provisions of 3 IP addresses a year apart, drawn from a million: 3·3/10⁶ = 0.000009
    # expected shared persons, far below 1. The same namespace no longer links them.
    log = log_of(prov("a", "2024-01-01", [IP], 3, 1), prov("b", "2025-01-01", [IP, CONN], 3, 1))
    t = partner_timeline(log, "P", rb, window=None)
    assert t.crossing is None and t.peak_level == 1
    assert exchange_graph(log, rb).number_of_edges() == 0
    # The bundled log's old Sentinel crossing: 1,200 and 900 addresses from 15 million share
    # 1,200·900/15·10⁶ = 0.072 expected persons: no link unless the log states an overlap.
    sentinel = log_of(prov("a", "2024-02-05", [IP], 1200, 1),
                      prov("b", "2024-02-26", [IP, CONN], 900, 1), size=15_000_000)
    assert crossing_date(sentinel, "P", rb) is None
    stated = log_of(prov("a", "2024-02-05", [IP], 1200, 1),
                    prov("b", "2024-02-26", [IP, CONN], 900, 1, overlaps={"a": 850}),
                    size=15_000_000)
    t = partner_timeline(stated, "P", rb)
    assert t.crossing == dt.date(2024, 2, 26)
    assert [g.expected_shared_persons for g in t.crossing_groups] == [850.0]


def test_window_boundary_is_exclusive_at_w_days(rb) -> None:
    # q1 and q2 are exactly 90 days apart and share their 50 accounts (stated): a 90-day window
    # ending on q2's date holds dates after 2 January only, so q1 has left; 91 days hold it.
    log = log_of(prov("q1", "2025-01-01", [ACCOUNT], 50, 1),
                 prov("q2", "2025-04-01", [ACCOUNT], 50, 1, overlaps={"q1": 50}))
    assert (dt.date(2025, 4, 1) - dt.date(2025, 1, 1)).days == 90
    assert crossing_date(log, "P", rb, window=90) is None
    assert crossing_date(log, "P", rb, window=91) == dt.date(2025, 4, 1)
    assert crossing_date(log, "P", rb, window=30) is None
    assert crossing_date(log, "P", rb, window=None) == dt.date(2025, 4, 1)


def test_a_heavier_provision_in_the_window_does_not_mask_a_crossing(rb) -> None:
    # a (e-mail addresses, medium on its own) links b and c through IP addresses (10 persons
    # each from 100: 1 expected shared person per pair). b and c, light each, are medium
    # together on 25 January. Comparing the window's heaviest group with its heaviest
    # provision, a masked that until it left the 30-day window (31 January), and forever over
    # the whole partnership. The accumulation {b, c} itself weighs heavier than each of its
    # members: the partner crosses on 25 January in every window that holds b and c.
    log = log_of(prov("a", "2025-01-01", [EMAIL, IP], 10, "medium"),
                 prov("b", "2025-01-20", [IP], 10, "light"),
                 prov("c", "2025-01-25", [IP, CONN], 10, "light"),
                 prov("z", "2025-03-01", [HASH], 0, 0), size=100)
    for window in (6, 30, 365, None):
        t = partner_timeline(log, "P", rb, window=window)
        assert t.crossing == dt.date(2025, 1, 25), window
        assert [g.members for g in t.crossing_groups] == [("b", "c")]
    assert crossing_date(log, "P", rb, window=5) is None  # b has left when c comes
    w = level_at(log, "P", "2025-01-25", rb, window=None)
    assert (w.level, w.own_level) == (2, 2)  # the whole group is no heavier than a ...
    assert w.raised  # ... but {b, c} is heavier than b and c


def test_identity_meets_whereabouts_months_apart_only_in_a_long_window(rb) -> None:
    # Geolocated IP addresses (light) in June; victims' e-mail addresses with the IP addresses
    # they clicked from (medium) in November, 1,200 of them the same persons (stated). Identity
    # with whereabouts for 1,000+ linked persons is the heavy mosaic rule, but only a window of
    # more than 140 days holds both.
    log = log_of(prov("geo", "2024-06-17", [IP, CITY], 1500, "light"),
                 prov("vic", "2024-11-04", [EMAIL, IP], 1500, "medium",
                      overlaps={"geo": 1200}))
    assert crossing_date(log, "P", rb, window=90) is None
    assert crossing_date(log, "P", rb, window=365) == dt.date(2024, 11, 4)
    w = level_at(log, "P", "2024-11-04", rb, window=365)
    assert w.level == 3 and "mosaic-identity-location" in w.rules
    assert w.persons == pytest.approx(1500 + 1500 - 1200)  # the stated overlap, not a sum


def test_technical_only_partner_never_crosses_and_unlinked_sets_stay_apart(rb) -> None:
    # Provisions without a shared key are never joined: two light sets of different keys
    # stay light, as does a long technical exchange.
    log = log_of(*[prov(f"t{i}", f"2025-{i:02d}-05", [HASH], 0, 0) for i in range(1, 13)],
                 prov("u", "2025-02-10", [ACCOUNT], 5, 1),
                 prov("i", "2025-02-11", [IP], 5, 1), size=10)
    timeline = partner_timeline(log, "P", rb, window=None)
    assert timeline.crossing is None and timeline.peak_level == 1


def test_received_data_accumulate_with_provided_data_about_the_same_persons(rb) -> None:
    # a: IP addresses of 100 persons provided (light). r: the partner's answer as informant,
    # IP addresses with the city, 80 of them the same persons (stated). Together the same
    # addresses recur with whereabouts: heavier than each alone. Provided only: no crossing.
    log = log_of(prov("a", "2025-01-01", [IP], 100, 1),
                 prov("r", "2025-01-10", [IP, CITY], 100, 1, direction="received",
                      overlaps={"a": 80}))
    assert crossing_date(log, "P", rb, window=None) == dt.date(2025, 1, 10)
    assert level_at(log, "P", "2025-01-10", rb).provisions == ("a", "r")
    assert crossing_date(log, "P", rb, window=None, provided_only=True) is None
    assert level_at(log, "P", "2025-01-10", rb, provided_only=True).provisions == ("a",)
    both = assess_exchange(log, rb)
    only = assess_exchange(log, rb, provided_only=True)
    assert both.verdict.partners_crossing == 1 and only.verdict.partners_crossing == 0
    for a in (both, only):  # both views, whichever is chosen
        record = a.to_json()["partners"][0]
        assert record["with_received"]["crossing_date"] == "2025-01-10"
        assert record["provided_only"]["crossing_date"] is None
        assert record["with_received"]["provisions"] == 2
        assert record["provided_only"]["provisions"] == 1
    assert both.to_json()["view"] == "with_received"
    assert only.to_json()["view"] == "provided_only"


def test_distinct_persons_are_a_union_not_a_sum(rb) -> None:
    log = log_of(prov("a", "2025-01-01", [IP], 500, 1), prov("b", "2025-01-02", [IP], 500, 1),
                 size=1_000)
    # 1,000 (1 - 0.5 · 0.5) = 750
    assert level_at(log, "P", "2025-01-02", rb).persons == pytest.approx(750.0)


def test_per_provision_against_structural_on_a_hand_worked_log(rb) -> None:
    # P: a+b cross on 21 Jan (1 expected shared person; both raised to medium). Q: one medium
    # provision on its own. R: technical only.
    log = log_of(prov("a", "2025-01-01", [IP], 100, 1),
                 prov("b", "2025-01-21", [IP, CONN], 100, 1),
                 prov("q", "2025-02-01", [EMAIL], 40, 2, partner="Q"),
                 prov("r", "2025-02-02", [HASH], 0, 0, partner="R"), size=10_000)
    a = assess_exchange(log, rb, window=30)
    per, structural = a.verdict.per_provision, a.verdict.structural
    assert (per.provisions, per.partners, per.first) == (1, 1, dt.date(2025, 2, 1))
    assert per.persons == pytest.approx(40)
    assert (structural.provisions, structural.partners, structural.first) == \
        (3, 2, dt.date(2025, 1, 21))
    # 100 + 100 + 40 persons from 10,000: 10,000 (1 - 0.99 · 0.99 · 0.996)
    assert structural.persons == pytest.approx(10_000 * (1 - 0.99 * 0.99 * 0.996))
    assert a.verdict.provisions_raised == 2 and a.verdict.partners_crossing == 1
    rows = a.provisions_frame().set_index("id")
    assert rows.loc["a", "structural_since"] == dt.date(2025, 1, 21)
    assert list(rows["structural_level"]) == [2, 2, 2, 0]
    assert [v.window for v in a.sensitivity] == [30, 90, 365, None]
    partners = a.partners_frame().set_index("partner")
    assert partners.loc["P", "crossing_date"] == "2025-01-21"
    assert partners.loc["P", "heavier_from_structural"] == "2025-01-21"
    record = {p["partner"]: p for p in a.to_json()["partners"]}
    assert record["Q"]["crossing_date"] is None
    assert record["P"]["heavier_from_per_provision"] is None
    assert record["Q"]["heavier_from_per_provision"] == "2025-02-01"
    [accumulation] = record["P"]["crossing_accumulations"]
    assert accumulation["members"] == ["a", "b"]
    assert accumulation["expected_shared_persons"] == pytest.approx(1.0)


def test_heavier_from_is_the_first_date_above_light_not_the_date_of_the_peak(rb) -> None:
    # a+b: medium together on 21 January (60 shared persons, stated: identifiable through the
    # recurring IP addresses; identity with whereabouts, but for 60 linked persons, under the
    # heavy rule's 1,000). c on 1 March shares 1,200 persons with a: identity with whereabouts
    # for 1,000+ linked persons is heavy. a is under a heavier safeguard than light from
    # 21 January, at the heavy level from 1 March.
    log = log_of(prov("a", "2025-01-01", [IP, CITY], 1500, 1),
                 prov("b", "2025-01-21", [IP, CONN], 100, 1, overlaps={"a": 60}),
                 prov("c", "2025-03-01", [EMAIL, IP], 2000, 2, overlaps={"a": 1200}))
    a = assess_exchange(log, rb, window=None)
    t = a.timelines["P"]
    assert t.provision_levels["a"] == (1, 3, dt.date(2025, 3, 1))
    assert t.level_since["a"] == {1: dt.date(2025, 1, 1), 2: dt.date(2025, 1, 21),
                                  3: dt.date(2025, 3, 1)}
    assert t.above_since("a", 1) == dt.date(2025, 1, 21)
    assert a.verdict.structural.first == dt.date(2025, 1, 21)
    assert a.verdict.per_provision.first == dt.date(2025, 3, 1)
    record = a.to_json()["partners"][0]
    assert record["heavier_from_structural"] == "2025-01-21"
    assert record["heavier_from_per_provision"] == "2025-03-01"
    assert a.provisions_frame().set_index("id").loc["a", "structural_since"] == \
        dt.date(2025, 3, 1)


def test_levels_by_name_and_number_agree_and_unknown_ones_are_located(rb) -> None:
    a = log_of(prov("a", "2025-01-01", [IP], 1, "light"), rulebook=rb)
    b = log_of(prov("a", "2025-01-01", [IP], 1, 1), rulebook=rb)
    assert a.stated_level(a.provisions[0], rb) == b.stated_level(b.provisions[0], rb) == 1
    unchecked = log_of(prov("a", "2025-01-01", [IP], 1, "amber"))  # no rulebook: not checked
    with pytest.raises(InputError, match=r"hand.yaml: provisions\[0\] \(id 'a'\): field "
                                         r"'level': unknown level"):
        assess_exchange(unchecked, rb)


def test_a_mislabelled_provision_is_assessed_at_its_computed_level_and_flagged(rb) -> None:
    # Names and e-mail addresses of 300 persons, labelled outside the regime: the rulebook
    # gives them medium (identifiable, not public), so they count as medium and are reported.
    log = log_of(prov("m", "2025-01-01", [{"name": "name", "category": "direct_identifier"},
                                           EMAIL], 300, "outside regime"),
                 prov("ok", "2025-01-02", [IP], 10, "light"))
    assert provision_level(log.provisions[0], rb) == 2
    a = assess_exchange(log, rb)
    assert a.timelines["P"].provision_levels["m"][0] == 2
    assert a.verdict.per_provision.provisions == 1
    [finding] = a.to_json()["findings"]
    assert set(finding) == {"kind", "id", "message"}
    assert (finding["kind"], finding["id"]) == ("level_below_computed", "m")
    assert "level 0 (outside regime)" in finding["message"] and "level 2 (medium)" in \
        finding["message"]


def test_a_window_must_be_whole_days(rb) -> None:
    log = log_of(prov("a", "2025-01-01", [IP], 1, 1))
    for bad in (0, -3, 2.5):
        with pytest.raises(ValueError, match="whole number of days"):
            partner_timeline(log, "P", rb, window=bad)
    with pytest.raises(ValueError, match="no exchanges with partner 'X'"):
        partner_timeline(log, "X", rb)


# --- properties -----------------------------------------------------------------------------

FIELD_POOL = [IP, CONN, EMAIL, ACCOUNT, HASH, CITY,
              {"name": "phone", "category": "online_identifier", "key": "phone"},
              {"name": "hobby", "category": "special_category"}]


@st.composite
def logs(draw):
    n = draw(st.integers(1, 8))
    provisions = []
    for i in range(n):
        fields = draw(st.lists(st.sampled_from(FIELD_POOL), min_size=1, max_size=3,
                               unique_by=lambda f: f["name"]))
        personal = any(f["category"] != "technical" for f in fields)
        persons = draw(st.integers(1 if personal else 0, 5_000))
        provisions.append(prov(f"p{i}", (dt.date(2025, 1, 1) + dt.timedelta(
            days=draw(st.integers(0, 400)))).isoformat(), fields, persons,
            draw(st.integers(0, 3)), direction=draw(st.sampled_from(["provided"] * 3
                                                                   + ["received"]))))
    return log_of(*provisions, size=100_000)


@settings(max_examples=60, deadline=None)
@given(log=logs(), offsets=st.lists(st.integers(0, 420), min_size=1, max_size=4),
       windows=st.lists(st.one_of(st.integers(1, 500), st.none()), min_size=2, max_size=2))
def test_a_longer_window_never_lowers_a_partners_cumulative_level(log, offsets, windows) -> None:
    rb = load_rulebook(default_rulebook_path())
    short, long = sorted(windows, key=lambda w: float("inf") if w is None else w)
    for offset in offsets:
        at = dt.date(2025, 1, 1) + dt.timedelta(days=offset)
        a = level_at(log, "P", at, rb, window=short)
        b = level_at(log, "P", at, rb, window=long)
        assert a.level <= b.level
        assert a.persons <= b.persons + 1e-9
        assert set(a.provisions) <= set(b.provisions)
        assert a.level >= a.own_level  # never below a single provision's own level


@settings(max_examples=40, deadline=None)
@given(log=logs(), windows=st.lists(st.one_of(st.integers(1, 500), st.none()), min_size=2,
                                    max_size=2), provided_only=st.booleans())
def test_a_longer_window_never_hides_a_crossing_a_shorter_one_found(log, windows,
                                                                     provided_only) -> None:
    rb = load_rulebook(default_rulebook_path())
    short, long = sorted(windows, key=lambda w: float("inf") if w is None else w)
    if not log.exchanged("P", provided_only):
        return
    a = crossing_date(log, "P", rb, window=short, provided_only=provided_only)
    b = crossing_date(log, "P", rb, window=long, provided_only=provided_only)
    if a is not None:
        assert b is not None and b <= a


@settings(max_examples=30, deadline=None)
@given(log=logs())
def test_structural_never_brings_fewer_under_a_heavier_safeguard(log) -> None:
    rb = load_rulebook(default_rulebook_path())
    a = assess_exchange(log, rb, window=None, windows=WINDOWS) if log.provided() else None
    if a is None:
        return
    for v in a.sensitivity:
        assert v.structural.provisions >= v.per_provision.provisions
        assert v.structural.persons >= v.per_provision.persons - 1e-9
    by_window = {v.window: v for v in a.sensitivity}
    assert by_window[30].structural.provisions <= by_window[365].structural.provisions \
        <= by_window[None].structural.provisions


# --- the bundled log ------------------------------------------------------------------------


def test_bundled_log_yaml_and_csv_agree_and_tell_the_promised_story(rb) -> None:
    a, b = load_exchange_log(LOG_YAML, rb), load_exchange_log(LOG_CSV, rb)
    assert a.provisions == b.provisions and a.population == b.population
    assert a.fictional and b.fictional and a.title == b.title
    assert len(a.partners()) >= 4 and all(p.startswith("Fictional ") for p in a.partners())
    span = a.last_date() - min(p.date for p in a.provisions)
    assert span.days > 600  # two years
    assessment = assess_exchange(a, rb, window=90)
    crossings = {p: t.crossing for p, t in assessment.timelines.items()}
    # Sentinel Labs: the same infected hosts' IP addresses three weeks apart (850 shared, stated).
    assert crossings["Fictional Sentinel Labs"] == dt.date(2024, 2, 26)
    # Northwind Telecom: only with what it returned as informant (IP addresses with the city).
    assert crossings["Fictional Northwind Telecom"] == dt.date(2024, 4, 2)
    provided = assess_exchange(a, rb, window=90, provided_only=True)
    assert provided.timelines["Fictional Northwind Telecom"].crossing is None
    assert provided.timelines["Fictional Sentinel Labs"].crossing == dt.date(2024, 2, 26)
    whole = assess_exchange(a, rb, window=None)
    for never in ("Harbourlight CERT Services", "Bastion Cloud", "Quillpost Mail"):
        assert whole.timelines[f"Fictional {never}"].crossing is None, never
    # Every own level in the file is what the rulebook gives the provision on its own, but
    # for the one mislabelled on purpose, which is reported.
    mislabelled = {f["id"] for f in whole.findings}
    assert mislabelled == {"x2025-030"}
    for p in a.provisions:
        if p.id not in mislabelled:
            assert a.stated_level(p, rb) == provision_level(p, rb), p.id
    # The window matters: a year brings more provisions under a heavier safeguard than 90 days.
    sens = {v.window: v for v in assessment.sensitivity}
    assert sens[365].structural.provisions > sens[90].structural.provisions


def test_bundled_log_is_package_data_and_not_an_inventory() -> None:
    from bulkimpact.resources import bundled_inventories

    assert bundled(BUNDLED_EXCHANGE_LOG).resolve() == LOG_YAML.resolve()
    assert all("exchange" not in p.parts for p in bundled_inventories())
    # setup.py bundles data/synthetic recursively with these patterns: the log and its twin go
    # into the wheel.
    tree = ast.parse((ROOT / "setup.py").read_text())
    bundled_dirs = next(ast.literal_eval(node.value) for node in ast.walk(tree)
                        if isinstance(node, ast.Assign)
                        and getattr(node.targets[0], "id", "") == "BUNDLED")
    assert {"*.yaml", "*.csv"} <= set(bundled_dirs["data/synthetic"])
    assert "rglob" in (ROOT / "setup.py").read_text()


# --- bad input ------------------------------------------------------------------------------

#: file name -> (number of problems, message parts that must appear).
BAD_LOGS: dict[str, tuple[int, tuple[str, ...]]] = {
    "ground_mismatch.yaml": (1, ("provisions[1] (id 'bad-1')", "field 'legal_ground'",
                                 "goes with direction 'received'", "rests on art62")),
    "received_on_art62.yaml": (1, ("provisions[1] (id 'bad-1')", "field 'legal_ground'",
                                   "a received provision rests on art39")),
    "unknown_direction.yaml": (1, ("field 'direction'", "'provided' or 'received'",
                                   "got 'sent'")),
    "legal_ground_spelled.yaml": (1, ("field 'legal_ground'", "write 'art62'",
                                      "got 'art. 62'")),
    "unknown_category.yaml": (1, ("provisions[1] (id 'bad-1') / fields[0] (name 'c2_domain')",
                                  "field 'category'", "did you mean 'technical'?")),
    "unknown_key.yaml": (1, ("fields[0] (name 'src_ip')", "field 'key'", "did you mean 'ip'?")),
    "negative_persons.yaml": (1, ("field 'persons'", "greater than or equal to 0", "got -5")),
    "persons_exceed_population.yaml": (1, ("field 'persons'", "population size (100,000)")),
    "personal_zero_persons.yaml": (1, ("field 'persons'", "personal data (contact)",
                                       "at least 1")),
    "duplicate_id.yaml": (1, ("provisions[1] (id 'ok-1')", "field 'id'",
                              "first used by provisions[0]")),
    "overlap_other_partner.yaml": (1, ("provisions[1] (id 'bad-1') / overlaps[0]", "field 'with'",
                                       "an exchange with 'Partner A', not with 'Partner B'")),
    "overlap_unknown_id.yaml": (1, ("provisions[1] (id 'bad-1') / overlaps[0]", "field 'with'",
                                    "names no other provision", "got 'ok-9'")),
    "overlap_too_many.yaml": (1, ("provisions[1] (id 'bad-1') / overlaps[0]", "field 'persons'",
                                  "more than the smaller of the two (10)", "got 50")),
    "bad_date.yaml": (1, ("field 'date'", "valid date", "got 'next tuesday'")),
    "unknown_level_name.yaml": (1, ("field 'level'", "did you mean 'medium'?",
                                    "a number 0–3 or a name")),
    "level_too_high.yaml": (1, ("field 'level'", "no level 7 in the rulebook")),
    "missing_partner.yaml": (1, ("provisions[1] (id 'bad-1')", "field 'partner'",
                                 "required, missing")),
    "fields_empty.yaml": (1, ("field 'fields'", "at least 1 item")),
    "unknown_provision_key.yaml": (2, ("field 'persns'", "unknown key (check its spelling)",
                                       "field 'persons': required, missing")),
    "two_problems_at_once.yaml": (2, ("field 'legal_ground'", "did you mean 'online_identifier'?")),
    "bad_rows.csv": (2, ("row 4 (id 'bad-1'): field 'persons'", "got 'many'",
                         "row 5 (id 'bad-2') / fields[0] (name 'c2_domain'): field 'category'")),
    "bad_fields_column.csv": (2, ("row 3 (id 'bad-1'): field 'fields'", "name:category:key",
                                  "row 3 (id 'bad-1'): field 'legal_ground'")),
    "missing_column.csv": (2, ("row 1 (header): field 'level'", "required column")),
    # Issue 19: inputs bounded and strict, Excel tables, look-alike partners.
    "date_far_future.yaml": (1, ("provisions[1] (id 'bad-1')", "field 'date'",
                                 "between 1900-01-01 and 2199-12-31", "got '9999-12-31'")),
    "datetime_not_date.yaml": (1, ("line 16, column 11", "field 'date'", "has a time of day")),
    "duplicate_key.yaml": (1, ("line 23, column 5", "field 'persons'", "given twice")),
    "partner_lookalike.yaml": (1, ("provisions[1] (id 'bad-1')", "field 'partner'",
                                   "looks like partner 'Partner A' (provisions[0] (id 'ok-1'))",
                                   "CYRILLIC SMALL LETTER A")),
    "partner_lookalike.csv": (1, ("row 4 (id 'bad-1'): field 'partner'",
                                  "looks like partner 'Partner A' (row 3 (id 'ok-1'))")),
    "row_too_few_values.csv": (2, ("row 4: field 'level': 7 values, but the header has 10",
                                   "missing: level, fictional, population_size",
                                   "row 4 (id 'bad-1'): field 'level': required, missing")),
    "row_too_many_values.csv": (1, ("row 4: field 'description': 12 values, but the header",
                                    "put the value in double quotes", "got [' then scan']")),
    "not_any_encoding.csv": (1, ("not UTF-8 text (byte 0x81 on line 4)",
                                 "not Windows-1252 either", "CSV UTF-8")),
}


#: Logs whose one problem is the whole file's (its encoding).
WHOLE_FILE = {"not_any_encoding.csv"}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(BAD_LOGS)


@pytest.mark.parametrize("name", sorted(BAD_LOGS))
def test_every_bad_log_names_file_row_and_field(name: str, rb) -> None:
    count, parts = BAD_LOGS[name]
    with pytest.raises(InputError) as exc:
        load_exchange_log(BAD / name, rb)
    problems = exc.value.problems
    assert len(problems) == count, "\n".join(map(str, problems))
    for problem in problems:
        assert problem.file == str(BAD / name)
        if name in WHOLE_FILE:  # a problem of the whole file, not of a row
            assert not problem.item and not problem.field, problem
            continue
        assert problem.item.startswith(("provisions[", "row ", "line ")), problem
        assert problem.field, problem
    text = str(exc.value)
    for part in parts:
        assert part in text, f"{part!r} not in:\n{text}"


def test_whole_file_problems(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(InputError, match="file is empty"):
        load_exchange_log(empty)
    with pytest.raises(InputError, match="file not found"):
        load_exchange_log(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="unsupported exchange log format"):
        load_exchange_log(empty.rename(tmp_path / "log.txt"))
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    with pytest.raises(InputError, match="must be a mapping with keys 'title'"):
        load_exchange_log(listed)


# --- command line ---------------------------------------------------------------------------


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_cli_json_record(rb) -> None:
    code, out, err = run(["exchange", str(LOG_YAML), "--window", "90", "--json"])
    assert code == 0, err
    record = json.loads(out)
    assert set(record) == {"log", "rulebook", "window_days", "heavier_than", "resolving_keys",
                           "partners", "approaches", "provisions_raised", "sensitivity", "units",
                           "view", "views", "min_expected_links", "findings"}
    assert record["window_days"] == 90 and record["log"]["fictional"] is True
    assert set(record["partners"][0]) == {
        "partner", "provisions", "first_provision", "last_provision", "own_level_max",
        "cumulative_level_max", "crossing_date", "provisions_raised",
        "expected_distinct_persons", "heavier_from_per_provision", "heavier_from_structural",
        "provisions_received", "crossing_accumulations", "with_received", "provided_only"}
    assert set(record["views"]) == {"with_received", "provided_only"}
    assert [f["id"] for f in record["findings"]] == ["x2025-030"]
    assert [a["approach"] for a in record["approaches"]] == ["per_provision", "structural"]
    assert set(record["approaches"][0]) == {"approach", "window_days", "provisions", "partners",
                                            "expected_distinct_persons", "from"}
    assert [s["window_days"] for s in record["sensitivity"]] == [30, 90, 365, None]
    assert "expected number of distinct persons" in record["units"]["expected_distinct_persons"]
    sentinel = next(p for p in record["partners"] if p["partner"] == "Fictional Sentinel Labs")
    assert sentinel["crossing_date"] == "2024-02-26"
    [accumulation] = sentinel["crossing_accumulations"]
    assert accumulation["members"] == ["x2024-004", "x2024-007"]
    assert accumulation["expected_shared_persons"] == 850.0  # the evidence, stated in the log
    northwind = next(p for p in record["partners"] if p["partner"] == "Fictional Northwind Telecom")
    assert northwind["with_received"]["crossing_date"] == "2024-04-02"
    assert northwind["provided_only"]["crossing_date"] is None
    # The CSV twin gives the same record but for its path.
    _, csv_out, _ = run(["exchange", str(LOG_CSV), "--window", "90", "--json"])
    csv_record = json.loads(csv_out)
    csv_record["log"]["path"] = record["log"]["path"]
    assert csv_record == record


def test_cli_text_names_crossings_and_units() -> None:
    code, out, _ = run(["exchange", str(LOG_YAML)])
    assert code == 0
    assert "whole partnership" in out and "2024-02-26" in out and "never" in out
    assert "expected distinct persons" in out and "above level 1 (light)" in out


def test_cli_bad_input_exits_2_with_located_problems(tmp_path: Path) -> None:
    code, out, err = run(["exchange", str(BAD / "ground_mismatch.yaml")])
    assert code == 2 and out == ""
    assert err.startswith("bulkimpact: error: 1 problem(s) in the input:")
    assert "provisions[1] (id 'bad-1'): field 'legal_ground'" in err
    code, _, err = run(["exchange", str(tmp_path / "missing.yaml")])
    assert code == 2 and "file not found" in err
    code, _, err = run(["exchange", str(LOG_YAML), "--rulebook", str(tmp_path / "none.yaml")])
    assert code == 2 and "none.yaml" in err
    for window in ("0", "ninety"):
        with pytest.raises(SystemExit) as exc, contextlib.redirect_stderr(io.StringIO()) as e:
            main(["exchange", str(LOG_YAML), "--window", window])
        assert exc.value.code == 2
        assert "bulkimpact: error: argument --window" in e.getvalue()


def test_cli_help_documents_exit_status_and_json() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exc:
        main(["exchange", "--help"])
    assert exc.value.code == 0
    text = out.getvalue()
    assert " ".join(SEE_EXIT_STATUS.split()) in " ".join(text.split())
    assert "--json" in text and "--window DAYS" in text and "--rulebook PATH" in text
    assert "--quiet" not in text  # no progress bar, so no --quiet (the convention)


def test_csv_overlaps_column_is_read_and_a_bad_one_located(tmp_path: Path, rb) -> None:
    head = ("id,date,partner,direction,legal_ground,fields,persons,level,overlaps,fictional,"
            "population_size\n")
    first = "a,2025-01-01,P,provided,art62,src_ip:online_identifier:ip,100,light,,true,1000000\n"
    good = tmp_path / "good.csv"
    good.write_text(head + first + "b,2025-01-05,P,provided,art62,src_ip:online_identifier:ip,"
                    "100,light,a:80,,\n")
    log = load_exchange_log(good, rb)
    assert [(o.with_, o.persons) for o in log.provisions[1].overlaps] == [("a", 80.0)]
    # 80 IP addresses recur: identifiable (resolving key) and not public, medium above light.
    assert crossing_date(log, "P", rb) == dt.date(2025, 1, 5)
    assert exchange_graph(log, rb).edges["a", "b"]["expected_links"] == 80.0
    bad = tmp_path / "bad.csv"
    bad.write_text(head + first + "b,2025-01-05,P,provided,art62,src_ip:online_identifier:ip,"
                   "100,light,a:many,,\n")
    with pytest.raises(InputError, match=r"bad.csv: row 3 \(id 'b'\): field 'overlaps': write "
                                         r"the overlaps as id:persons"):
        load_exchange_log(bad, rb)


def test_cli_provided_only_switch_and_findings_in_the_text() -> None:
    code, out, err = run(["exchange", str(LOG_YAML), "--window", "90", "--provided-only",
                          "--json"])
    assert code == 0, err
    record = json.loads(out)
    assert record["view"] == "provided_only"
    crossing = {p["partner"]: p["crossing_date"] for p in record["partners"]}
    assert crossing["Fictional Northwind Telecom"] is None  # its answer as informant left out
    northwind = next(p for p in record["partners"] if p["partner"] == "Fictional Northwind Telecom")
    assert northwind["with_received"]["crossing_date"] == "2024-04-02"  # the other view, too
    assert record["views"]["with_received"]["partners_crossing"] == 2
    assert record["views"]["provided_only"]["partners_crossing"] == 1
    code, out, _ = run(["exchange", str(LOG_YAML)])
    assert code == 0 and "findings:" in out and "level_below_computed" in out
    assert "provided only: 1 of 5 partners cross" in out
