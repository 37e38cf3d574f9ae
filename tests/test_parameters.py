"""Decision-rule parameters are checked once, at the boundary, and reach what they name."""

from __future__ import annotations

import json
import math

import pytest
from helpers import dataset, field, graph, key_field

from bulkimpact.assessor import evaluate_policies
from bulkimpact.cli import main
from bulkimpact.evaluate import break_even_use_rate
from bulkimpact.parameters import ParameterError, PolicyParams, policy_params
from bulkimpact.rulebook import Rulebook


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("t", math.nan, "parameter 't' (minimum link strength the threshold rule counts): "
                    "must be a finite number, got nan"),
    ("t", math.inf, "must be a finite number, got inf"),
    ("t", -0.1, "parameter 't'"),
    ("k", -1, "parameter 'k'"),
    ("k", 1.5, "parameter 'k'"),
    ("time_limit", 0, "parameter 'time_limit'"),
    ("use_rate", -1, "parameter 'use_rate'"),
    ("use_rate", math.nan, "must be a finite number"),
    ("horizon_years", 0, "parameter 'horizon_years'"),
    ("max_set_size", 1, "parameter 'max_set_size'"),
])
def test_bad_values_are_refused_naming_the_parameter(name, value, expected) -> None:
    with pytest.raises(ParameterError) as exc:
        policy_params({name: value})
    assert expected in str(exc.value)


def test_unknown_names_are_refused_with_a_suggestion() -> None:
    with pytest.raises(ParameterError, match=r"unknown parameter 'use_rates' \(did you mean "
                                             r"'use_rate'\?\)"):
        policy_params({"use_rates": 1})


def test_defaults_are_defined_once_and_whole_floats_are_integers() -> None:
    assert policy_params() == PolicyParams()
    assert policy_params({"k": 2.0}).k == 2


@pytest.mark.parametrize("flag", [["--threshold", "nan"], ["--use-rate", "-1"],
                                  ["--time-limit", "inf"], ["--max-set-size", "1"]])
def test_cli_refuses_bad_parameters_without_writing_json(capsys, small_inventory, flag) -> None:
    with pytest.raises(SystemExit) as exc:  # refused while parsing, by the option's name
        main(["assess", str(small_inventory), "--json", *flag])
    out, err = capsys.readouterr()
    assert (exc.value.code, out) == (2, "")
    assert err.splitlines()[-1].startswith(f"bulkimpact: error: argument {flag[0]}: expected")
    assert "Traceback" not in err


def test_assess_json_has_no_nan_and_names_units(capsys, small_inventory) -> None:
    assert main(["assess", str(small_inventory), "--json"]) == 0
    out = capsys.readouterr().out
    record = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    assert {"pareto", "break_even_use_rate", "policy_units", "exposure_set_units",
            "readings"} <= set(record)
    for p in record["policies"].values():
        assert {"authorisations_per_year", "authorisation_cost", "total_burden",
                "escalated_records", "units"} <= set(p)
        burden = p["burden"]
        assert p["total_burden"] == burden["total"] == pytest.approx(
            burden["one_off"] + burden["horizon_years"] * burden["per_year"])
        assert burden["one_off"] == p["escalation_cost"]
    assert list(record["readings"]) == ["services", "ctivd", "ctivd_no_purchased"]


def test_break_even_use_rate_by_hand(tiny_rulebook: Rulebook) -> None:
    """H (name + username + device) links to A (username + gps) and B (device + diagnosis).
    Pairs: H+A at 2, H+B at 3 (both raised); the chain A+H+B is at 3 too, no heavier than
    H+B, so it is not judged apart. An investigation uses H+A four times a year. With
    authorisation costs [0, 0.1, 0.3, 1.0] per level: the investigation's yearly cost
    A = 4 × 0.3 = 1.2; one use of the other combination B = 1.0 (H+B). Minimal escalation
    raises H to 3 (cost 2 × 1 = 2). Break-even r* = (2 - 1.2) / 1.0 = 0.8 uses a year; over
    two years (2/2 - 1.2) < 0: 0."""
    rb = tiny_rulebook.model_copy(update={"authorisation": tiny_rulebook.authorisation
                                          .model_copy(update={"cost": [0, 0.1, 0.3, 1.0]})})
    G = graph([
        dataset("H", [field("name", "direct_identifier"), key_field("username"),
                      key_field("device")]),
        dataset("A", [key_field("username"), field("gps", "location")]),
        dataset("B", [key_field("device"), field("diagnosis", "special_category")]),
    ], rb, investigations=[{"id": "op", "datasets": ["H", "A"], "uses_per_year": 4}])
    ev = evaluate_policies(G, rb, ["minimal_escalation", "use_based"],
                           {"use_rate": 0.8, "horizon_years": 1.0})
    assert [(s.members, s.level) for s in ev.sets] == [(("A", "H"), 2), (("B", "H"), 3)]
    assert ev.outcomes["minimal_escalation"].total_burden == 2.0
    assert ev.break_even_use_rate == pytest.approx(0.8)
    u = ev.outcomes["use_based"]
    assert (u.authorisations, u.authorisations_potential) == (1, 2)
    assert u.authorisations_per_year == pytest.approx(4 + 0.8)
    assert u.total_burden == pytest.approx(2.0)  # at the break-even rate, equal burdens
    own = ev.outcomes["use_based"].own_level
    assert break_even_use_rate(ev.sets, own, rb, 2.0, horizon_years=2.0) == 0.0
