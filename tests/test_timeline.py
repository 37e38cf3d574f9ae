"""Retention timeline: held sets from the dates, the assessment per change, what-ifs, the CLI.

The toy inventory (``bulkimpact.examples``: forum –e-mail– adtech –device– health-app,
the adtech + health-app link heavy together) gets dates here so the timeline can be
worked out by hand; the baseline checks that restricting the full graph gives what a
fresh analysis of the inventory as held gives.
"""

from __future__ import annotations

import copy
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulkimpact.analysis import Analysis, load_analysis
from bulkimpact.cli import main
from bulkimpact.examples import _TOY
from bulkimpact.inventory import load_inventory, parse_inventory
from bulkimpact.parameters import ParameterError, policy_params
from bulkimpact.problems import InputError
from bulkimpact.rulebook import default_rulebook_path, load_rulebook
from bulkimpact.sweep import random_inventory
from bulkimpact.timeline import (
    TIMELINE_METRICS,
    TIMELINE_UNITS,
    held_inventory,
    parse_change,
    retention_of,
    retention_timeline,
    what_if,
)
from bulkimpact.timeline.retention import retention_findings

REPO = Path(__file__).resolve().parent.parent
BASELINE = REPO / "data" / "synthetic" / "baseline.yaml"
D = date.fromisoformat

#: The toy's dates: forum 2024-01-01 → 2025-07-01; adtech 2024-03-01 → 2025-09-01, extended
#: to 2026-09-01; health-app 2024-06-01, deadline 2025-12-01, destroyed 2025-02-01.
TOY_DATES = {
    "forum": {"acquired": "2024-01-01", "relevance_deadline": "2025-07-01"},
    "adtech": {"acquired": "2024-03-01", "relevance_deadline": "2025-09-01",
               "extensions": ["2026-09-01"]},
    "health-app": {"acquired": "2024-06-01", "relevance_deadline": "2025-12-01",
                   "destroyed": "2025-02-01"},
}


def toy_data() -> dict:
    data = copy.deepcopy(_TOY)
    for d in data["datasets"]:
        d.update(TOY_DATES[d["id"]])
    return data


def write(tmp_path: Path, data: dict, name: str = "inv.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def toy_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("toy"), toy_data(), "toy.yaml")


@pytest.fixture(scope="module")
def toy(toy_path: Path):
    return retention_timeline(load_analysis(toy_path, openness="services"))


@pytest.fixture(scope="module")
def baseline():
    return retention_timeline(load_analysis(BASELINE))


# --- the inventory field -----------------------------------------------------------------


def test_destroyed_is_read_and_checked_in_the_csv_format_too(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "datasets.csv").write_text(
        "id,name,source,persons,population,population_size,fictional,acquired,"
        "relevance_deadline,extensions,destroyed\n"
        "a,A,open,10,nl,1000,yes,2024-01-01,2025-07-01,2026-07-01;2027-07-01,2025-01-01\n"
        "b,B,open,10,nl,1000,yes,2024-06-01,,,2024-05-01\n", encoding="utf-8")
    (folder / "fields.csv").write_text("dataset,name,category\na,x,contact\nb,y,contact\n",
                                       encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_inventory(folder)
    text = str(exc.value)
    assert len(exc.value.problems) == 1, text
    assert "datasets.csv: datasets[1] (id 'b'): field 'destroyed': before the acquisition " \
           "date 2024-06-01" in text and "got '2024-05-01'" in text
    rows = (folder / "datasets.csv").read_text().replace("2024-05-01", "2024-07-01")
    (folder / "datasets.csv").write_text(rows, encoding="utf-8")
    inv = load_inventory(folder)
    assert inv.dataset("a").extensions == [D("2026-07-01"), D("2027-07-01")]
    assert inv.dataset("a").destroyed == D("2025-01-01")


# --- retention of one dataset ------------------------------------------------------------


def test_a_dataset_ends_when_destroyed_else_at_its_term_in_force() -> None:
    inv = parse_inventory(toy_data())
    r = {d.id: retention_of(d) for d in inv.datasets}
    assert (r["forum"].ends, r["forum"].end_reason) == (D("2025-07-01"), "relevance_deadline")
    assert (r["adtech"].ends, r["adtech"].end_reason) == (D("2026-09-01"), "extension")
    assert (r["health-app"].ends, r["health-app"].end_reason) == (D("2025-02-01"), "destroyed")
    assert r["forum"].held_on(D("2025-06-30")) and not r["forum"].held_on(D("2025-07-01"))
    assert not r["forum"].held_on(D("2023-12-31")) and r["forum"].held_on(D("2024-01-01"))


def test_destroyed_after_the_term_is_held_until_then_and_reported() -> None:
    data = toy_data()
    data["datasets"][0]["destroyed"] = "2025-08-01"  # forum's term: 2025-07-01
    r = retention_of(parse_inventory(data).dataset("forum"))
    assert r.ends == D("2025-08-01") and r.held_past_term_days == 31


def test_no_dates_means_held_throughout(tmp_path: Path) -> None:
    t = retention_timeline(load_analysis(write(tmp_path, copy.deepcopy(_TOY)),
                                         openness="services", policies=["per_dataset"]))
    assert len(t.steps) == 1 and t.steps[0].start is None
    assert set(t.steps[0].held) == {"forum", "adtech", "health-app"}
    assert all(r.end_reason == "none recorded" for r in t.retention.values())


# --- the hand-worked timeline ------------------------------------------------------------


def test_toy_held_set_changes_on_the_days_worked_out_by_hand(toy) -> None:
    assert [(s.start, s.held) for s in toy.steps] == [
        (D("2024-01-01"), ("forum",)),
        (D("2024-03-01"), ("forum", "adtech")),
        (D("2024-06-01"), ("forum", "adtech", "health-app")),
        (D("2025-02-01"), ("forum", "adtech")),
        (D("2025-07-01"), ("adtech",)),
        (D("2026-09-01"), ()),
    ]
    assert [s.end for s in toy.steps] == [s.start for s in toy.steps[1:]] + [None]
    assert toy.steps[2].entered == ("health-app",) and toy.steps[3].left == ("health-app",)
    assert toy.steps[1].days == 92


def test_toy_combinations_exist_only_while_both_members_are_held(toy) -> None:
    members = [[(s.members, s.kind, s.level) for s in step.sets] for step in toy.steps]
    investigation = (("adtech", "forum"), "investigation", 1)
    heavy = (("adtech", "health-app"), "edge", 3)
    assert members == [[], [investigation], [investigation, heavy], [investigation], [], []]


def test_toy_outcomes_per_rule_follow_the_heavy_link(toy) -> None:
    figures = [{n: (o.under_protected, o.escalated) for n, o in s.evaluation.outcomes.items()}
               for s in toy.steps]
    during = figures[2]
    assert during["per_dataset"] == (1, 0)
    assert during["component"] == (0, 3)        # everything linked goes to 3
    assert during["minimal_escalation"] == (0, 1)
    assert during["use_based"] == (0, 0)
    assert figures[3] == figures[1]             # health-app destroyed: back as before
    assert toy.at(D("2024-06-01")).evaluation.outcomes["per_dataset"].under_protected_sets \
        == (("adtech", "health-app"),)
    persons = toy.steps[2].evaluation.outcomes["per_dataset"].under_protected_persons
    assert persons == toy.steps[2].graph.edges["adtech", "health-app"]["expected_links"]


def test_at_gives_the_step_in_force(toy) -> None:
    assert toy.at(D("2024-07-15")).start == D("2024-06-01")
    assert toy.at(D("2025-02-01")).start == D("2025-02-01")
    before = toy.at(D("2020-01-01"))
    assert (before.start, before.end, before.held, before.sets) == (None, D("2024-01-01"), (), ())
    assert toy.at(D("2030-01-01")).held == ()


def test_frame_and_json_say_what_every_number_counts(toy) -> None:
    frame = toy.to_frame()
    assert len(frame) == len(toy.steps) * 6
    assert set(TIMELINE_METRICS) <= set(frame.columns)
    record = json.loads(json.dumps(toy.to_json(at=D("2024-07-01"))))
    assert set(record["units"]) >= {"datasets_held", "persons_held", "exposure_sets",
                                    *TIMELINE_METRICS}
    assert record["steps"][2]["policies"]["per_dataset"]["under_protected_sets"] == [
        ["adtech", "health-app"]]
    assert record["at"]["policies"]["minimal_escalation"]["units"]["escalated"] == "datasets"
    assert record["at"]["exposure_sets"] == 2 and len(record["at"]["sets"]) == 2
    assert record["datasets"][2]["end_reason"] == "destroyed"
    assert set(TIMELINE_UNITS) >= set(record["steps"][0]) - {"start", "end", "held", "entered",
                                                              "left", "policies"}


# --- what-if -----------------------------------------------------------------------------


def test_toy_destroying_adtech_removes_the_heavy_link_from_then_on(toy) -> None:
    inv = toy.analysis.inventory
    w = what_if(toy, [parse_change("adtech@2024-09-01", inv)])
    assert w.first_day == D("2024-09-01")
    assert w.scenario.at(D("2024-09-01")).held == ("forum", "health-app")
    assert w.scenario.at(D("2024-09-01")).sets == ()
    affected = w.affected()
    assert sorted(affected["members"]) == ["adtech, forum", "adtech, health-app"]
    assert affected["under_protected (per_dataset)"].sum() == 1
    diff = w.diff_frame()
    first = diff[(diff["date"] == "2024-09-01") & (diff["policy"] == "per_dataset")].iloc[0]
    assert (first["under_protected"], first["under_protected (what-if)"]) == (1, 0)
    comp = diff[(diff["date"] == "2024-09-01") & (diff["policy"] == "component")].iloc[0]
    assert (comp["escalated"], comp["escalated (what-if)"]) == (3, 0)
    # before the change the two timelines agree
    assert w.scenario.at(D("2024-06-01")).evaluation.to_frame().equals(
        toy.at(D("2024-06-01")).evaluation.to_frame())


def test_refusing_an_extension_ends_at_the_term_before_it(toy) -> None:
    inv = toy.analysis.inventory
    change = parse_change("adtech@2026-09-01", inv, "refuse_extension")
    assert (change.ends, change.ends_before) == (D("2025-09-01"), D("2026-09-01"))
    w = what_if(toy, [change])
    assert w.scenario.retention["adtech"].end_reason == "what-if: extension refused"
    assert w.scenario.at(D("2025-09-01")).held == ()
    assert toy.at(D("2025-09-01")).held == ("adtech",)


@pytest.mark.parametrize("argument, kind, message", [
    ("adtech", "destroy", "not of the form ID@DATE"),
    ("adtec@2024-09-01", "destroy", "unknown dataset 'adtec'; did you mean 'adtech'?"),
    ("adtech@2024-13-01", "destroy", "'2024-13-01' is not a date"),
    ("adtech@2023-01-01", "destroy", "before the dataset was acquired (2024-03-01)"),
    ("adtech@2025-09-01", "refuse_extension",
     "has no extension to 2025-09-01; valid: adtech@2026-09-01"),
    ("forum@2026-01-01", "refuse_extension", "it has no extensions to refuse"),
])
def test_a_bad_change_names_the_argument_and_what_is_valid(toy, argument: str, kind: str,
                                                           message: str) -> None:
    with pytest.raises(ParameterError) as exc:
        parse_change(argument, toy.analysis.inventory, kind)
    flag = "--destroy" if kind == "destroy" else "--refuse-extension"
    assert str(exc.value).startswith(f"{flag} {argument!r}: ")
    assert message in str(exc.value)


# --- restricting the full graph equals a fresh analysis ----------------------------------


def _fresh(tmp_path: Path, analysis: Analysis, held: tuple[str, ...]) -> Analysis:
    sub = held_inventory(analysis.inventory, held)
    path = write(tmp_path, sub.model_dump(mode="json", by_alias=True), f"held{len(held)}.yaml")
    # the timeline prices every day over the whole inventory's horizon
    return load_analysis(path, openness=analysis.openness, policies=analysis.policies,
                         horizon_years=analysis.assessor.params.horizon_years)


@pytest.mark.parametrize("day", ["2024-01-15", "2024-09-01", "2025-03-01", "2025-05-12",
                                 "2025-11-15", "2026-07-20"])
def test_restricted_assessment_equals_a_fresh_analysis_of_the_held_inventory(
        baseline, tmp_path: Path, day: str) -> None:
    step = baseline.at(D(day))
    fresh = _fresh(tmp_path, baseline.analysis, step.held)
    assert list(fresh.graph.nodes) == list(step.graph.nodes)
    assert sorted(map(sorted, fresh.graph.edges)) == sorted(map(sorted, step.graph.edges))

    def sets(ss):
        return [(s.members, s.kind, s.label, s.level, s.member_level, s.rules,
                 round(s.persons, 6), round(s.persons_held, 6), s.uses_per_year) for s in ss]

    assert sets(step.sets) == sets(fresh.sets)
    for name, o in fresh.evaluation.outcomes.items():
        mine = step.evaluation.outcomes[name].to_json()
        theirs = o.to_json()
        mine.pop("params"), theirs.pop("params")  # the solver's objective, a reuse flag
        assert mine.keys() == theirs.keys()
        for key, value in theirs.items():
            if isinstance(value, float):
                assert mine[key] == pytest.approx(value, rel=1e-9), (name, key)
            else:
                assert mine[key] == value, (name, key)
    assert step.evaluation.break_even_use_rate == pytest.approx(
        fresh.evaluation.break_even_use_rate)


# --- properties --------------------------------------------------------------------------


def _dated_random(seed: int, n: int, offsets: list[tuple[int, int]]) -> Analysis:
    inv, _tax = random_inventory(seed, n_datasets=n, density=0.4, min_persons=1e3,
                                 max_persons=1e6)
    start = D("2024-01-01")
    datasets = [d.model_copy(update={"acquired": start + timedelta(days=a),
                                     "relevance_deadline": start + timedelta(days=a + length)})
                for d, (a, length) in zip(inv.datasets, offsets, strict=False)]
    inv = inv.model_copy(update={"datasets": datasets})
    rb = load_rulebook(default_rulebook_path())
    return Analysis("<random>", str(default_rulebook_path()), "ctivd", 0, inv, rb,
                    policy_params(),
                    policies=("per_dataset", "component", "k_hop", "minimal_escalation"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 7),
       offsets=st.lists(st.tuples(st.integers(0, 300), st.integers(1, 400)), min_size=7,
                        max_size=7),
       victim=st.integers(0, 6), when=st.integers(0, 700))
def test_destroying_a_dataset_never_raises_a_level_nor_adds_an_exposure_set(
        seed: int, n: int, offsets: list[tuple[int, int]], victim: int, when: int) -> None:
    base = retention_timeline(_dated_random(seed, n, offsets))
    inv = base.analysis.inventory
    target = inv.datasets[victim % n]
    day = max(target.acquired, D("2024-01-01") + timedelta(days=when))
    w = what_if(base, [parse_change(f"{target.id}@{day.isoformat()}", inv)])
    for step in w.scenario.steps:
        if step.start is None or step.start < day:
            continue
        before = base.at(step.start)
        assert set(step.held) <= set(before.held)
        assert target.id not in step.held
        levels = {s.members: s.level for s in before.sets}
        for s in step.sets:
            # no investigations in these inventories: every set after is a set before
            assert s.members in levels
            assert s.level <= levels[s.members]
        after, was = step.evaluation.outcomes, before.evaluation.outcomes
        assert after["per_dataset"].under_protected <= was["per_dataset"].under_protected
        assert after["minimal_escalation"].under_protected == 0
        assert (after["minimal_escalation"].escalation_cost
                <= was["minimal_escalation"].escalation_cost + 1e-9)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(victim=st.sampled_from(["passenger-records", "telecom-subscribers", "adtech-location",
                               "leak-webshop-2019", "hotel-registrations"]),
       when=st.integers(0, 900))
def test_with_investigations_every_set_after_lies_in_a_set_before_no_heavier(
        baseline, victim: str, when: int) -> None:
    """An investigation that loses a member combines the rest: a set that may be new, but
    always a part of an earlier one and never heavier."""
    inv = baseline.analysis.inventory
    day = max(inv.dataset(victim).acquired, D("2024-01-01") + timedelta(days=when))
    w = what_if(baseline, [parse_change(f"{victim}@{day.isoformat()}", inv)])
    for step in w.scenario.steps:
        if step.start is None or step.start < day:
            continue
        before = baseline.at(step.start).sets
        for s in step.sets:
            assert any(set(s.members) <= set(b.members) and s.level <= b.level
                       for b in before), s.members


def test_the_minimal_escalation_kept_from_an_earlier_day_is_optimal(baseline) -> None:
    reused = [s for s in baseline.steps
              if s.evaluation.outcomes["minimal_escalation"].params.get("reused")]
    assert reused, "the baseline should exercise the reuse"
    from bulkimpact.assessor import Assessor
    from bulkimpact.policies import minimal_escalation

    for step in reused[:8]:
        scope = Assessor(step.graph, baseline.analysis.rulebook).scope()
        solved = minimal_escalation(scope, step.sets)
        o = step.evaluation.outcomes["minimal_escalation"]
        own = o.own_level
        cost = sum(step.graph.nodes[n]["cost"] * (r - own[n]) for n, r in solved.regime.items())
        assert o.escalation_cost == pytest.approx(cost)
        assert o.escalated == sum(r > own[n] for n, r in solved.regime.items())


# --- the command line --------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_one_line_per_change_and_the_day_asked_for(capsys, toy_path: Path) -> None:
    code, out, err = run(capsys, "timeline", str(toy_path), "--openness", "services",
                         "--at", "2024-07-01")
    assert code == 0, err
    assert "the held set changes on 6 days from 2024-01-01 to 2026-09-01" in out
    row = next(line.split() for line in out.splitlines() if line.startswith("2024-06-01"))
    assert row[:4] == ["2024-06-01", "3", "2", "1"] and row[4] == "1/0"  # per_dataset U/E
    assert "On 2024-07-01 (the held set of 2024-06-01 until 2025-02-01):" in out
    assert "per_dataset: 1 exposure sets under-protected" in out
    assert "held sets assessed" in err


def test_cli_json_with_a_what_if(capsys, toy_path: Path) -> None:
    code, out, err = run(capsys, "timeline", str(toy_path), "--openness", "services", "--json",
                         "--quiet", "--destroy", "adtech@2024-09-01",
                         "--refuse-extension", "adtech@2026-09-01")
    assert code == 0, err
    assert err == ""
    record = json.loads(out)
    assert [s["datasets_held"] for s in record["steps"]] == [1, 2, 3, 2, 1, 0]
    w = record["what_if"]
    assert w["first_date"] == "2024-09-01"
    assert [c["kind"] for c in w["changes"]] == ["destroy", "refuse_extension"]
    assert {tuple(s["members"]) for s in w["sets_removed"]} == {("adtech", "forum"),
                                                              ("adtech", "health-app")}
    heavy = next(s for s in w["sets_removed"] if s["members"] == ["adtech", "health-app"])
    assert heavy["under_protected"] == {"per_dataset": True, "component": False, "k_hop": False,
                                        "threshold": False, "minimal_escalation": False,
                                        "use_based": False}
    assert (heavy["date"], heavy["level"], heavy["raised"]) == ("2024-09-01", 3, True)
    first = next(d for d in w["diff"] if d["policy"] == "per_dataset")
    assert first["under_protected"] == {"baseline": 1, "what_if": 0, "change": -1}
    assert first["datasets_held"] == {"baseline": 3, "what_if": 2}


@pytest.mark.parametrize("argv, message", [
    (["--destroy", "adtec@2024-09-01"], "--destroy 'adtec@2024-09-01': unknown dataset"),
    # "--destroy adtech" (no date) is refused while parsing: tests/test_cli_options.py
    (["--refuse-extension", "forum@2025-07-01"], "it has no extensions to refuse"),
])
def test_cli_bad_change_exits_2_naming_the_argument(capsys, toy_path: Path, argv, message):
    code, out, err = run(capsys, "timeline", str(toy_path), *argv)
    assert code == 2
    assert err.startswith("bulkimpact: error: --") and message in err, err


def test_cli_bad_at_and_missing_file_exit_2(capsys, toy_path: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["timeline", str(toy_path), "--at", "2024-02-30"])
    assert exc.value.code == 2
    assert "argument --at: '2024-02-30' is not a date" in capsys.readouterr().err
    code, _out, err = run(capsys, "timeline", str(tmp_path / "missing.yaml"))
    assert code == 2 and err.startswith("bulkimpact: error: ") and "missing.yaml" in err


def test_cli_help_documents_the_conventions(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["timeline", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for flag in ("--at", "--destroy", "--refuse-extension", "--rulebook", "--json", "--quiet",
                 "exit status"):
        assert flag in text


def test_a_destruction_after_the_end_changes_nothing(toy) -> None:
    change = parse_change("forum@2026-01-01", toy.analysis.inventory)  # ended 2025-07-01
    assert (change.ends, change.to_json()["changes_anything"]) == (D("2025-07-01"), False)
    w = what_if(toy, [change])
    assert w.first_day is None and w.diff_frame().empty
    assert [s.held for s in w.scenario.steps] == [s.held for s in toy.steps]


def test_cli_at_before_the_first_acquisition(capsys, toy_path: Path) -> None:
    code, out, _err = run(capsys, "timeline", str(toy_path), "--openness", "services",
                          "--policy", "per_dataset", "--at", "2023-06-01")
    assert code == 0
    assert "On 2023-06-01 (before the first acquisition until 2024-01-01):" in out
    assert "0 datasets held" in out


def test_minimal_escalation_kept_from_day_to_day_is_the_days_own_optimum(baseline) -> None:
    """The timeline keeps the last optimum when rows only came that it meets or went with a
    dataset it had raised far enough (``Scope.escalation``): on every step
    of the baseline, of a what-if and of a run on three threads, the regime equals a fresh
    solve of that day's exposure sets, and both kinds of step occur."""
    from bulkimpact.assessor import Assessor
    from bulkimpact.policies import minimal_escalation

    a = baseline.analysis
    change = [parse_change("leak-recipe-site@2025-05-12", a.inventory)]
    threaded = retention_timeline(load_analysis(BASELINE), workers=3)
    kept = solved = 0
    for timeline in (baseline, what_if(baseline, change).scenario, threaded):
        for step in timeline.steps:
            o = step.evaluation.outcomes["minimal_escalation"]
            fresh = minimal_escalation(Assessor(step.graph, a.rulebook).scope(),
                                       [s for s in step.sets if s.raised])
            assert o.regime == fresh.regime, step.start
            assert o.under_protected == 0
            kept += bool(o.params.get("reused"))
            solved += not o.params.get("reused")
    assert kept > 10 and solved > 10
    assert [s.to_json() for s in threaded.steps] == [s.to_json() for s in baseline.steps]


def test_workers_must_be_positive(baseline) -> None:
    with pytest.raises(ValueError, match="workers must be a positive number"):
        retention_timeline(baseline.analysis, workers=0)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_memoised_group_levels_equal_the_rulebook_s(baseline, data) -> None:
    """The assessor's group levels (``Assessor.level``: memoised, and set to the top
    level without scoring when the group holds a top-level pair) equal
    ``cumulative_level`` of the group, on all links and on the threshold rule's strong ones;
    the drawn groups are connected, as components and k-hop balls are."""
    from bulkimpact.combinations import cumulative_level

    assessor = baseline.analysis.assessor
    rulebook = baseline.analysis.rulebook
    t = baseline.analysis.params.t
    for strong in (None, t):
        G = assessor.links(strong)
        start = data.draw(st.sampled_from(sorted(G)))
        group = {start}
        for _ in range(data.draw(st.integers(1, 12))):
            frontier = sorted({v for n in group for v in G[n]} - group)
            if not frontier:
                break
            group.add(data.draw(st.sampled_from(frontier)))
        assert assessor.level(group, strong) == cumulative_level(G, group, rulebook).level
    top = rulebook.max_level
    assert any(level == top for memo in assessor._levels.values() for level in memo.values())


def test_a_failing_day_stops_the_threads_and_is_raised(baseline, monkeypatch) -> None:
    """A solver failure on one day reaches the caller, and the runs of days not yet started
    are not started (a Ctrl-C takes the same path)."""
    from bulkimpact.assessor import Assessor
    from bulkimpact.policies import SolverError

    a = load_analysis(BASELINE)
    calls = []
    real = Assessor.assess

    def failing(self, held=None, warm=None, policies=None, bounded=False):
        calls.append(held)
        if len(calls) == 3:
            raise SolverError("HiGHS did not prove optimality (test)")
        return real(self, held, warm, policies, bounded)

    monkeypatch.setattr(Assessor, "assess", failing)
    with pytest.raises(SolverError, match="test"):
        retention_timeline(a, workers=2)
    assert len(calls) < len(baseline.steps) // 2


# --- retention by the law (art. 27 Wiv 2017) ----------------------------------------------


def test_retention_beyond_the_term_and_indefinite_are_findings(tmp_path: Path, capsys) -> None:
    # The bundled rulebook: relevance assessed within 18 months of acquisition (art. 27 Wiv
    # 2017), a new end term at most 12 months past the one it extends (its assumption).
    rb = load_rulebook(default_rulebook_path())
    assert (rb.retention.relevance_months, rb.retention.extension_months) == (18, 12)
    assert "Art. 27 Wiv 2017" in rb.retention.relevance_source
    data = toy_data()
    dates = {  # toy ids, each a case worked out by hand
        "forum": {"acquired": "2024-01-01", "relevance_deadline": "2025-07-02"},  # 18 m + 1 d
        "adtech": {"acquired": "2024-03-01", "relevance_deadline": "2025-09-01",  # exactly 18 m
                   "extensions": ["2026-09-01", "2027-10-01"]},  # 12 m, then 13 m: the second
        "health-app": {},  # no deadline, extension or destruction: held indefinitely
    }
    for d in data["datasets"]:
        for key in ("acquired", "relevance_deadline", "extensions", "destroyed"):
            d.pop(key, None)
        d.update(dates[d["id"]])
    path = write(tmp_path, data)
    found = retention_findings(load_inventory(path), rb)
    assert [(f["kind"], f["id"]) for f in found] == [
        ("retention_beyond_term", "forum"), ("retention_beyond_term", "adtech"),
        ("retention_indefinite", "health-app")]
    assert "extension to 2027-10-01" in found[1]["message"] and "12 months" in found[1]["message"]
    assert all(set(f) == {"kind", "id", "message"} for f in found)
    # validate --json and the timeline JSON carry them; validation itself still passes.
    code, out, _ = run(capsys, "validate", "--json", str(path))
    record = json.loads(out)
    assert code == 0 and record["ok"]
    assert record["files"][0]["findings"] == found
    timeline = retention_timeline(load_analysis(path, openness="services"))
    assert json.loads(json.dumps(timeline.to_json()))["findings"] == found
    # Page 08 says which datasets, in Dutch.
    from bulkimpact.present.timeline_findings import retention_law_sentences

    indefinite, beyond = retention_law_sentences(timeline, "nl")
    assert indefinite.startswith("1 bulkdataset") and "(health-app)" in indefinite
    assert "18 maanden" in beyond and "(adtech en forum)" in beyond


def test_the_toy_within_its_terms_has_no_retention_findings(toy) -> None:
    # forum and health-app: deadlines exactly 18 months on; adtech's extension 12 months on.
    assert toy.findings == [] and toy.to_json()["findings"] == []


# --- what-ifs explained ------------------------------------------------------------------

#: Four datasets a–b–c–d in a path (e-mail, phone, IP address links; 5,000 persons each of
#: 10,000, so 2,500 expected links a pair) and h, health data sharing e-mail addresses with a
#: and b. Investigation op uses a, b, c, d: five personal categories together (contact,
#: demographic, financial, online identifier, travel) are heavy; any three of them medium.
LIFT = {
    "title": "k-hop lift (hand-worked, fictional)", "fictional": True,
    "populations": [{"id": "nl", "size": 10_000}],
    "datasets": [
        {"id": i, "name": i.upper(), "source": "private", "persons": 5_000, "population": "nl",
         "acquired": "2024-01-01", "relevance_deadline": "2025-06-01", "fields": fields}
        for i, fields in (
            ("a", [{"name": "email", "category": "contact", "key": "email"},
                   {"name": "birth_year", "category": "demographic"}]),
            ("b", [{"name": "email", "category": "contact", "key": "email"},
                   {"name": "phone", "category": "contact", "key": "phone"},
                   {"name": "iban", "category": "financial"}]),
            ("c", [{"name": "phone", "category": "contact", "key": "phone"},
                   {"name": "ip", "category": "online_identifier", "key": "ip"}]),
            ("d", [{"name": "ip", "category": "online_identifier", "key": "ip"},
                   {"name": "flights", "category": "travel"}]),
            ("h", [{"name": "email", "category": "contact", "key": "email"},
                   {"name": "diagnosis", "category": "special_category"}]))],
    "investigations": [{"id": "op", "name": "Investigation", "datasets": ["a", "b", "c", "d"]}],
}


def test_a_destruction_that_lowers_k_hop_is_explained_where_it_happens(tmp_path: Path) -> None:
    # With h, a's neighbourhood {a, b, h} and b's {a, b, c, h} are heavy (h is heavy on its
    # own), so k-hop lifts a and b to heavy and op (heavy) is protected. Destroying h on
    # 1 June 2024 leaves every neighbourhood of op's members at medium ({a, b}, {a, b, c},
    # {b, c, d}, {c, d}): op is under-protected under k-hop from that day, and a and b fall
    # back from heavy to medium. No other combination changes: per dataset leaves op
    # under-protected both ways; the component {a, b, c, d} is heavy either way.
    from bulkimpact.present.timeline_findings import whatif_rise_sentences
    from bulkimpact.timeline.explain import rises

    analysis = load_analysis(write(tmp_path, LIFT), openness="ctivd")
    w = what_if(retention_timeline(analysis), [parse_change("h@2024-06-01", analysis.inventory)])
    [rise] = rises(w)
    assert (rise.policy, rise.day, rise.under_protected) == ("k_hop", D("2024-06-01"), (0, 1))
    assert rise.lowered == (("a", 3, 2), ("b", 3, 2))
    assert rise.cause == "neighbourhood" and rise.new_sets == ()
    [nl] = whatif_rise_sentences(w, "nl")
    assert "vanaf 1 juni 2024 1 combinatie onvoldoende beschermd in plaats van 0" in nl
    assert "zonder h vallen de bulkdatasets terug" in nl
    assert "a van ‘zwaar’ naar ‘middelzwaar’" in nl


# --- bounded solves, progress and interruption (issue 20: decisions on speed) ------------


def _stopped_early(monkeypatch: pytest.MonkeyPatch, ratio: float = 0.8) -> list[int]:
    """Every HiGHS solve ends as if its time limit were hit with a regime found: the real
    solve's regime, status 1, a dual bound ``ratio`` of its objective. Returns the calls."""
    from bulkimpact import policies

    calls: list[int] = []
    real = policies._milp

    def stopped(*args):
        res = real(*args)
        calls.append(1)
        res.status, res.message = 1, "Time limit reached. (fake)"
        res.mip_dual_bound, res.mip_gap = res.fun * ratio, 1.0 - ratio
        return res

    monkeypatch.setattr(policies, "_milp", stopped)
    return calls


def test_a_day_whose_solve_hits_the_time_limit_reports_the_best_regime_bound_and_gap(
        monkeypatch: pytest.MonkeyPatch, toy_path: Path, capsys) -> None:
    """The toy's one raised set (adtech + health-app, level 3) is held from 2024-06-01 to
    2025-02-01: that day minimal escalation solves; with every solve stopped at a fake time
    limit (dual bound 80 % of the objective) the day is bounded, with gap 0.2 and bound 0.8 ×
    the objective of the regime found, which still protects. Without --time-limit the same
    solve is an error (exit 1), as it is for assess."""
    calls = _stopped_early(monkeypatch)
    code, out, err = run(capsys, "timeline", str(toy_path), "--openness", "services", "--json",
                         "--time-limit", "5")
    assert code == 0, err
    record = json.loads(out)
    assert record["time_limit"] == 5.0 and record["bounded_steps"] == ["2024-06-01"]
    step = next(s for s in record["steps"] if s["start"] == "2024-06-01")
    m = step["policies"]["minimal_escalation"]
    assert m["status"] == "bounded" and m["under_protected"] == 0 and m["escalated"] == 1
    assert m["mip_gap"] == pytest.approx(0.2)
    assert m["bound"] == pytest.approx(0.8 * m["objective"]) and m["objective"] > 0
    others = [s["policies"]["minimal_escalation"] for s in record["steps"]
              if s["start"] != "2024-06-01"]
    assert {(o["status"], o["mip_gap"]) for o in others} == {("optimal", 0.0)}
    assert "bounded (time limit 5 s) on 1 of them" in err
    assert calls  # HiGHS was asked, and its stop accepted
    code, _out, err = run(capsys, "timeline", str(toy_path), "--openness", "services", "--json",
                          "--quiet")
    assert code == 1 and "HiGHS did not prove optimality (status 1" in err
    code, _out, err = run(capsys, "assess", str(toy_path), "--openness", "services", "--json")
    assert code == 1 and "HiGHS did not prove optimality (status 1" in err


def test_a_bounded_answer_is_not_reused_by_an_exact_run(
        monkeypatch: pytest.MonkeyPatch, toy_path: Path) -> None:
    _stopped_early(monkeypatch)
    analysis = load_analysis(toy_path, openness="services")
    t = retention_timeline(analysis, bounded=True, workers=1)
    assert [s.start for s in t.bounded_steps] == [D("2024-06-01")]
    blocks = analysis.assessor.blocks  # cached by content, marked bounded
    assert blocks and all(stopped for _regime, _gap, stopped in blocks.values())
    monkeypatch.undo()  # HiGHS proves again: the memo keeps exact and bounded answers apart
    exact = retention_timeline(analysis, workers=1)
    assert exact.bounded_steps == ()
    assert exact.at(D("2024-06-01")).evaluation.outcomes["minimal_escalation"].status == \
        "optimal"
    assert not any(stopped for _regime, _gap, stopped in blocks.values())  # solved again


def test_progress_counts_every_held_set_once(toy: object) -> None:
    seen: list[tuple[int, int]] = []
    t = retention_timeline(toy.analysis, workers=2,
                           progress=lambda done, total, ev: seen.append((done, total)))
    n = len(t.steps)
    assert seen == [(i, n) for i in range(1, n + 1)]


def test_an_interrupt_stops_the_threads_and_propagates(baseline) -> None:
    """Ctrl-C arrives (here: raised by the progress callback on the 5th held set): the runs
    not started are cancelled, the others stop after their day, no thread is left."""
    import threading

    before = threading.active_count()
    calls = []

    def interrupt(done: int, total: int, ev: object) -> None:
        calls.append(done)
        if done == 5:
            raise KeyboardInterrupt

    analysis = load_analysis(BASELINE, policies=["per_dataset", "minimal_escalation"])
    with pytest.raises(KeyboardInterrupt):
        retention_timeline(analysis, workers=2, progress=interrupt)
    assert 5 <= len(calls) <= 6 < len(baseline.steps)  # the other thread ends its own day
    assert threading.active_count() == before


def test_ctrl_c_on_the_command_line_exits_130_without_a_traceback(toy_path: Path) -> None:
    """A real SIGINT to a timeline whose days are slowed down to 0.3 s each."""
    import signal
    import subprocess

    code = (
        "import sys, time\n"
        "from bulkimpact.assessor import Assessor\n"
        "from bulkimpact.cli import main\n"
        "real = Assessor.assess\n"
        "def slow(self, *a, **k):\n"
        "    print('day', file=sys.stderr, flush=True)\n"
        "    time.sleep(0.3)\n"
        "    return real(self, *a, **k)\n"
        "Assessor.assess = slow\n"
        f"sys.exit(main(['timeline', {str(toy_path)!r}, '--workers', '2', '--quiet']))\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True,
                            stdout=subprocess.DEVNULL, cwd=REPO)
    assert proc.stderr.readline().strip() == "day"
    proc.send_signal(signal.SIGINT)
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 130, err
    assert "bulkimpact: interrupted" in err and "Traceback" not in err


def test_a_time_limit_hit_before_any_regime_is_found_falls_back_to_raising_the_block(
        monkeypatch: pytest.MonkeyPatch, toy_path: Path, capsys) -> None:
    """HiGHS stops without a regime (status 1, no x): the day still has a regime that
    protects, every dataset of the block at its top level (adtech and health-app to 3), with
    the gap to HiGHS's dual bound (the true optimum raises one dataset only, so the gap is
    well above 0 and below 1)."""
    from bulkimpact import policies

    real = policies._milp

    def nothing_found(*args):
        res = real(*args)
        res.status, res.x, res.message = 1, None, "Time limit reached. (fake)"
        res.mip_dual_bound = res.fun
        return res

    monkeypatch.setattr(policies, "_milp", nothing_found)
    code, out, err = run(capsys, "timeline", str(toy_path), "--openness", "services", "--json",
                         "--quiet", "--time-limit", "0.5")
    assert code == 0, err
    record = json.loads(out)
    assert record["bounded_steps"] == ["2024-06-01"]
    m = next(s for s in record["steps"] if s["start"] == "2024-06-01")["policies"][
        "minimal_escalation"]
    assert (m["status"], m["escalated"], m["under_protected"]) == ("bounded", 2, 0)
    assert 0.0 < m["mip_gap"] < 1.0
    assert m["bound"] == pytest.approx(m["objective"] * (1 - m["mip_gap"]))


def test_a_tie_break_stage_stopped_without_a_regime_keeps_the_cheapest_regime_found(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Costs of a third do not fold into one objective, so the cost is solved first and the
    tie-break after it; when the tie-break stage stops with nothing, the cost stage's regime
    (which meets the budget the tie-break adds) is the answer, marked bounded. Cover a–b at
    level 2: a costs 1/3, b 1/2: a is raised."""
    from bulkimpact import policies

    calls: list[int] = []
    real = policies._milp

    def second_stops(*args):
        res = real(*args)
        calls.append(res.status)
        if len(calls) == 2:
            res.status, res.x = 1, None
        return res

    monkeypatch.setattr(policies, "_milp", second_stops)
    own, costs = {"a": 1, "b": 1}, {"a": 1 / 3, "b": 1 / 2}
    found = policies.escalate([(("a", "b"), 2)], own, costs, ["a", "b"], 1.0, None,
                              {"a": 1, "b": 1}, bounded=True)
    assert len(calls) >= 2
    assert found.escalated == {"a": 2} and found.bounded
    with pytest.raises(policies.SolverError):
        calls.clear()
        policies.escalate([(("a", "b"), 2)], own, costs, ["a", "b"], 1.0, None,
                          {"a": 1, "b": 1})


def test_a_bounded_regime_kept_for_the_next_day_keeps_its_slack(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """By hand: each level step costs a 1, b 2, c 3, d 1; rows a–b and c–d at level 2. The
    solve stops with the optimum a + d (cost 2) and a dual bound of 1.6 (gap 0.2, slack 0.4).
    Next day d is gone with its row: a alone is kept (cost 1), and the optimum is at least
    1.6 - 1 = 0.6, so it stays bounded with gap 0.4 and bound 0.6."""
    from bulkimpact.assessor import Assessor, WarmStart

    _stopped_early(monkeypatch)
    G = nx.Graph()
    for n, cost in {"a": 1.0, "b": 2.0, "c": 3.0, "d": 1.0}.items():
        G.add_node(n, level=1, cost=cost, persons=1_000)
    assessor, warm = Assessor(G, None), WarmStart()
    day1 = assessor.scope(frozenset("abcd"), warm, bounded=True).escalation(
        frozenset({(("a", "b"), 2), (("c", "d"), 2)}), 1.0)
    assert (day1.escalated, day1.kept, day1.bounded) == ({"a": 2, "d": 2}, False, True)
    assert day1.gap == pytest.approx(0.2)
    day2 = assessor.scope(frozenset("abc"), warm, bounded=True).escalation(
        frozenset({(("a", "b"), 2)}), 1.0)
    assert (day2.escalated, day2.kept, day2.bounded) == ({"a": 2}, True, True)
    assert day2.gap == pytest.approx(0.4)
