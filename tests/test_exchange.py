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
    distinct_persons,
    level_at,
    load_exchange_log,
    parse_exchange_log,
    partner_timeline,
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
         partner: str = "P", direction: str = "provided") -> dict[str, Any]:
    return {"id": pid, "date": date, "partner": partner, "direction": direction,
            "legal_ground": "art62" if direction == "provided" else "art39",
            "fields": fields, "persons": persons, "level": level}


def log_of(*provisions: dict, size: int = 1_000_000, rulebook=None):
    return parse_exchange_log({"title": "hand-worked", "fictional": True,
                               "population": {"name": "p", "size": size},
                               "provisions": list(provisions)}, "hand.yaml", rulebook)


# --- hand-worked logs ---------------------------------------------------------------------


def test_shared_ip_addresses_three_weeks_apart_cross_on_the_second_date(rb) -> None:
    # a and b both carry IP addresses (light on their own: an IP address alone does not
    # identify). Together the same addresses recur with connection times: identifiable
    # and not public (medium), with communications metadata (medium): 2 > 1 on 21 January.
    log = log_of(prov("a", "2025-01-01", [IP], 100, "light"),
                 prov("b", "2025-01-21", [IP, CONN], 100, 1),
                 prov("c", "2025-03-01", [HASH], 0, 0))
    assert crossing_date(log, "P", rb, window=30) == dt.date(2025, 1, 21)
    assert crossing_date(log, "P", rb, window=None) == dt.date(2025, 1, 21)
    # 20 days apart: a 20-day window never holds both.
    assert crossing_date(log, "P", rb, window=20) is None
    w = level_at(log, "P", "2025-01-21", rb, window=30)
    assert (w.level, w.own_level, w.raised) == (2, 1, True)
    assert set(w.rules) == {"personal-data", "identifiable-not-public", "revealing-behaviour"}
    # Without the assumption that recurring IP addresses resolve to a person, no crossing.
    assert crossing_date(log, "P", rb, window=30, resolving_keys=()) is None


def test_window_boundary_is_exclusive_at_w_days(rb) -> None:
    # q1 and q2 are exactly 90 days apart: a 90-day window ending on q2's date holds dates
    # after 2 January only, so q1 has left; a 91-day window still holds it.
    log = log_of(prov("q1", "2025-01-01", [ACCOUNT], 50, 1),
                 prov("q2", "2025-04-01", [ACCOUNT], 50, 1))
    assert (dt.date(2025, 4, 1) - dt.date(2025, 1, 1)).days == 90
    assert crossing_date(log, "P", rb, window=90) is None
    assert crossing_date(log, "P", rb, window=91) == dt.date(2025, 4, 1)
    assert crossing_date(log, "P", rb, window=30) is None
    assert crossing_date(log, "P", rb, window=None) == dt.date(2025, 4, 1)


def test_a_crossing_can_come_when_the_heaviest_provision_leaves_the_window(rb) -> None:
    # a (e-mail addresses, medium on its own) links b and c through IP addresses. While a is
    # in the window the group is medium, no heavier than a. On 31 January a leaves the 30-day
    # window; b and c, light each, are medium together: the crossing date.
    log = log_of(prov("a", "2025-01-01", [EMAIL, IP], 10, "medium"),
                 prov("b", "2025-01-20", [IP], 10, "light"),
                 prov("c", "2025-01-25", [IP, CONN], 10, "light"),
                 prov("z", "2025-03-01", [HASH], 0, 0))
    timeline = partner_timeline(log, "P", rb, window=30)
    assert timeline.crossing == dt.date(2025, 1, 31)
    assert [s.date for s in timeline.steps][:4] == [dt.date(2025, 1, d) for d in (1, 20, 25, 31)]
    # Over the whole partnership a never leaves: no provision is ever exceeded.
    assert crossing_date(log, "P", rb, window=None) is None


def test_identity_meets_whereabouts_months_apart_only_in_a_long_window(rb) -> None:
    # Geolocated IP addresses (light) in June; victims' e-mail addresses with the IP addresses
    # they clicked from (medium) in November: identity + location for 1,000+ persons is the
    # heavy mosaic rule, but only a window of more than 140 days holds both.
    log = log_of(prov("geo", "2024-06-17", [IP, CITY], 1500, "light"),
                 prov("vic", "2024-11-04", [EMAIL, IP], 400, "medium"))
    assert crossing_date(log, "P", rb, window=90) is None
    assert crossing_date(log, "P", rb, window=365) == dt.date(2024, 11, 4)
    w = level_at(log, "P", "2024-11-04", rb, window=365)
    assert w.level == 3 and "mosaic-identity-location" in w.rules
    assert w.persons == pytest.approx(1500 + 400 - 1500 * 400 / 1_000_000)


def test_technical_only_partner_never_crosses_and_unlinked_sets_stay_apart(rb) -> None:
    # Provisions without a shared key are never joined: two light sets of different keys
    # stay light, as does a long technical exchange.
    log = log_of(*[prov(f"t{i}", f"2025-{i:02d}-05", [HASH], 0, 0) for i in range(1, 13)],
                 prov("u", "2025-02-10", [ACCOUNT], 5, 1),
                 prov("i", "2025-02-11", [IP], 5, 1))
    timeline = partner_timeline(log, "P", rb, window=None)
    assert timeline.crossing is None and timeline.peak_level == 1


def test_received_provisions_do_not_build_up_at_the_partner(rb) -> None:
    log = log_of(prov("a", "2025-01-01", [IP], 100, 1),
                 prov("r", "2025-01-10", [IP], 100, 1, direction="received"))
    assert crossing_date(log, "P", rb, window=None) is None
    assert level_at(log, "P", "2025-01-10", rb).provisions == ("a",)


def test_distinct_persons_are_a_union_not_a_sum() -> None:
    log = log_of(prov("a", "2025-01-01", [IP], 500, 1), prov("b", "2025-01-02", [IP], 500, 1),
                 size=1_000)
    assert distinct_persons(log.provisions, 1_000) == pytest.approx(750.0)
    assert level_at(log, "P", "2025-01-02", load_rulebook(default_rulebook_path())
                    ).persons == pytest.approx(750.0)


def test_per_provision_against_structural_on_a_hand_worked_log(rb) -> None:
    # P: a+b cross on 21 Jan (both raised to medium). Q: one medium provision on its own.
    # R: technical only.
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


def test_heavier_from_is_the_first_date_above_light_not_the_date_of_the_peak(rb) -> None:
    # a+b: medium together on 21 January (identifiable through the recurring IP addresses;
    # identity with whereabouts, but for 600 persons, under the heavy rule's 1,000). c on
    # 1 March adds 2,000 persons: identity with whereabouts for 1,000+ persons is heavy. a is
    # under a heavier safeguard than light from 21 January, at the heavy level from 1 March.
    log = log_of(prov("a", "2025-01-01", [IP, CITY], 500, 1),
                 prov("b", "2025-01-21", [IP, CONN], 100, 1),
                 prov("c", "2025-03-01", [EMAIL, IP], 2000, 2))
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
    assert a.own_level(a.provisions[0], rb) == b.own_level(b.provisions[0], rb) == 1
    unchecked = log_of(prov("a", "2025-01-01", [IP], 1, "amber"))  # no rulebook: not checked
    with pytest.raises(InputError, match=r"hand.yaml: provisions\[0\] \(id 'a'\): field "
                                         r"'level': unknown level"):
        assess_exchange(unchecked, rb)


def test_a_window_must_be_whole_days(rb) -> None:
    log = log_of(prov("a", "2025-01-01", [IP], 1, 1))
    for bad in (0, -3, 2.5):
        with pytest.raises(ValueError, match="whole number of days"):
            partner_timeline(log, "P", rb, window=bad)
    with pytest.raises(ValueError, match="no provisions to partner 'X'"):
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
    assert crossings["Fictional Sentinel Labs"] == dt.date(2024, 2, 26)  # early
    assert all(c is None or c >= dt.date(2024, 2, 26) for c in crossings.values())
    whole = assess_exchange(a, rb, window=None)
    assert whole.timelines["Fictional Harbourlight CERT Services"].crossing is None  # never
    # Every own level in the file is what the rulebook gives the provision on its own.
    from bulkimpact.exchange import provision_profile

    for p in a.provisions:
        assert a.own_level(p, rb) == rb.score(provision_profile(p)).level, p.id
    # The window matters: more partners cross with a year than with 90 days.
    sens = {v.window: v for v in assessment.sensitivity}
    assert sens[365].partners_crossing > sens[90].partners_crossing


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
}


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
        assert problem.item.startswith(("provisions[", "row ")), problem
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
                           "partners", "approaches", "provisions_raised", "sensitivity", "units"}
    assert record["window_days"] == 90 and record["log"]["fictional"] is True
    assert set(record["partners"][0]) == {
        "partner", "provisions", "first_provision", "last_provision", "own_level_max",
        "cumulative_level_max", "crossing_date", "provisions_raised",
        "expected_distinct_persons", "heavier_from_per_provision", "heavier_from_structural"}
    assert [a["approach"] for a in record["approaches"]] == ["per_provision", "structural"]
    assert set(record["approaches"][0]) == {"approach", "window_days", "provisions", "partners",
                                            "expected_distinct_persons", "from"}
    assert [s["window_days"] for s in record["sensitivity"]] == [30, 90, 365, None]
    assert "expected number of distinct persons" in record["units"]["expected_distinct_persons"]
    sentinel = next(p for p in record["partners"] if p["partner"] == "Fictional Sentinel Labs")
    assert sentinel["crossing_date"] == "2024-02-26"
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
