"""Loading inventories and rulebooks: good files load, bad ones are refused with a teaching message.

The corpus in ``tests/bad_inputs/`` holds small inventories that each break one
thing; the table below says which parts of the message matter for each: the
item (position and id), the field, the bad value and the words that say what
would be valid. ``tests/bad_rulebooks/`` does the same for rulebooks.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulkimpact.inventory import load_inventory, parse_inventory
from bulkimpact.linkage import build_linkage_graph
from bulkimpact.problems import InputError
from bulkimpact.rulebook import default_rulebook_path, load_rulebook

HERE = Path(__file__).resolve().parent
BAD_INPUTS = HERE / "bad_inputs"
BAD_RULEBOOKS = HERE / "bad_rulebooks"
SYNTHETIC = HERE.parent / "data" / "synthetic"

#: The words every unknown-category message ends with (the valid categories).
CATEGORIES = ("one of ['comms_content', 'comms_metadata', 'contact', 'criminal', 'demographic', "
              "'direct_identifier', 'financial', 'location', 'online_identifier', "
              "'special_category', 'technical', 'travel']")

#: file stem -> (number of problems, message parts that must appear).
BAD_INVENTORIES: dict[str, tuple[int, tuple[str, ...]]] = {
    "malformed_yaml": (1, ("line 23, column 53", "malformed YAML", "expected ',' or ']'")),
    "empty": (1, ("file is empty",)),
    "top_level_list": (1, ("must be a mapping with keys 'title', 'fictional', 'populations', "
                           "'datasets'", "got 'list'")),
    "missing_persons": (1, ("datasets[1] (id 'forum')", "field 'persons'", "required, missing")),
    "negative_persons": (1, ("datasets[1] (id 'forum')", "field 'persons'", "greater than 0",
                             "got -5")),
    "persons_string": (1, ("datasets[1] (id 'forum')", "field 'persons'", "valid integer",
                           "got 'many'")),
    "unknown_top_level_key": (2, ("field 'datsets'", "unknown key (check its spelling)",
                                  "field 'datasets': required, missing")),
    "unknown_dataset_key": (2, ("datasets[1] (id 'forum')", "field 'persns'",
                                "unknown key (check its spelling)",
                                "field 'persons': required, missing")),
    "unknown_field_key": (1, ("datasets[1] (id 'forum') / fields[0] (name 'email')",
                              "field 'cardinalty'", "unknown key (check its spelling)")),
    "duplicate_dataset_id": (1, ("datasets[1] (id 'shop')", "field 'id'",
                                 "duplicate id (first used by datasets[0])", "got 'shop'")),
    "duplicate_population_id": (1, ("populations[1] (id 'nl')", "field 'id'",
                                    "duplicate id (first used by populations[0])", "got 'nl'")),
    "unknown_population": (1, ("datasets[1] (id 'forum')", "field 'population'",
                               "unknown population; known: ['nl']", "got 'nl_residents'")),
    "part_of_unknown": (1, ("populations[0] (id 'nl')", "field 'part_of'",
                            "unknown population; known: ['nl']", "got 'wereld'")),
    "persons_exceed_population": (1, ("datasets[1] (id 'forum')", "field 'persons'",
                                      "exceeds the size of population 'nl' (17,900,000)",
                                      "must be at most that", "got 20000000")),
    "match_quality_above_one": (1, ("datasets[0] (id 'shop') / fields[0] (name 'email')",
                                    "field 'match_quality'", "less than or equal to 1",
                                    "got 1.5")),
    "cardinality_zero": (1, ("datasets[1] (id 'forum') / fields[1] (name 'birth_year')",
                             "field 'cardinality'", "greater than or equal to 1", "got 0")),
    "unknown_category": (1, ("datasets[1] (id 'forum') / fields[0] (name 'email')",
                             "field 'category'", "unknown category; did you mean 'contact'?",
                             CATEGORIES, "got 'contacts'")),
    "unknown_key_namespace": (1, ("datasets[0] (id 'shop') / fields[0] (name 'email')",
                                  "field 'key'", "unknown key namespace; did you mean 'email'?",
                                  "one of ['bsn', 'device', 'email', 'iban', 'ip', "
                                  "'licence_plate', 'name_dob', 'passport', 'phone', 'username']",
                                  "got 'e-mail'")),
    "overlap_unknown_dataset": (1, ("datasets[0] (id 'shop')", "field 'overlaps[0].with'",
                                    "unknown dataset id; did you mean 'forum'?",
                                    "got 'forun'")),
    "overlap_self": (1, ("datasets[0] (id 'shop')", "field 'overlaps[0].with'",
                         "a dataset cannot overlap itself", "got 'shop'")),
    "overlap_exceeds_persons": (1, ("datasets[0] (id 'shop')", "field 'overlaps[0].persons'",
                                    "exceeds this dataset's persons (1,000)", "got 1500")),
    "investigation_unknown_dataset": (1, ("investigations[0] (id 'inv-1')",
                                          "field 'datasets[1]'", "unknown dataset id",
                                          "got 'forun'")),
    "investigation_one_dataset": (1, ("investigations[0] (id 'inv-1')", "field 'datasets'",
                                      "at least 2 items")),
    "deadline_before_acquired": (1, ("datasets[0] (id 'shop')", "field 'relevance_deadline'",
                                     "before the acquisition date 2024-06-01",
                                     "got '2024-01-01'")),
    "extensions_not_increasing": (1, ("datasets[0] (id 'shop')", "field 'extensions[1]'",
                                      "must be later than 2026-12-01",
                                      "successive new end terms", "got '2026-06-01'")),
    "leaked_source_not_flagged": (1, ("datasets[1] (id 'forum')", "field 'leaked'",
                                      "source is 'leaked' but leaked is false",
                                      "set leaked: true or change the source")),
    "purchased_not_paid": (1, ("datasets[1] (id 'forum')", "field 'paid'",
                               "source is 'purchased' but paid is false",
                               "set paid: true or change the source")),
    "invalid_source": (1, ("datasets[1] (id 'forum')", "field 'source'",
                           "'government', 'private', 'open', 'leaked', 'purchased', 'partner', "
                           "'intercept' or 'other'", "got 'hacked'")),
    "invalid_date": (1, ("datasets[0] (id 'shop')", "field 'acquired'", "valid date",
                         "day value is outside expected range", "got '2024-02-30'")),
    "bad_id_pattern": (1, ("datasets[0] (id 'web shop')", "field 'id'", "should match pattern",
                           "[A-Za-z0-9._-]", "got 'web shop'")),
    "fields_empty": (1, ("datasets[0] (id 'shop')", "field 'fields'", "at least 1 item")),
    "fictional_missing": (1, ("field 'fictional'", "required, missing")),
    "three_problems": (3, ("datasets[1] (id 'forum')", "field 'persons'", "got -5",
                           "unknown category", "got 'contacts'",
                           "investigations[0] (id 'inv-1')", "unknown dataset id",
                           "got 'forun'")),
    "part_of_cycle": (2, ("populations[0] (id 'nl')", "field 'part_of'",
                              "populations nest in a cycle (nl → residents → nl)",
                              "must lead to an outermost population", "got 'residents'")),
    "part_of_larger_than_parent": (1, ("populations[0] (id 'nl')", "field 'size'",
                                           "larger than population 'amsterdam' (900,000)",
                                           "must be at most that", "got 17900000")),
    "investigation_repeats_dataset": (1, ("investigations[0] (id 'inv-1')",
                                              "field 'datasets[1]'", "listed twice",
                                              "combines distinct datasets", "got 'shop'")),
    "duplicate_investigation_id": (1, ("investigations[1] (id 'inv-1')", "field 'id'",
                                           "duplicate id (first used by investigations[0])",
                                           "got 'inv-1'")),
    "overlap_exceeds_other_dataset": (1, ("datasets[1] (id 'forum')",
                                              "field 'overlaps[0].persons'",
                                              "exceeds the persons of 'shop' (1,000)",
                                              "got 1500")),
    "quoted_dates_not_cross_checked": (1, ("datasets[0] (id 'shop')",
                                               "field 'relevance_deadline'",
                                               "before the acquisition date 2024-06-01",
                                               "got '2024-01-01'")),
    "persons_boolean": (1, ("datasets[1] (id 'forum')", "field 'persons'",
                                "valid integer", "got True")),
    "destroyed_before_acquired": (1, ("datasets[0] (id 'shop')", "field 'destroyed'",
                                      "before the acquisition date 2024-06-01",
                                      "destroyed on or after the day it was acquired",
                                      "got '2024-01-01'")),
    "destroyed_invalid_date": (1, ("datasets[0] (id 'shop')", "field 'destroyed'",
                                   "valid date", "day value is outside expected range",
                                   "got '2025-02-30'")),
    # Issue 19: inputs bounded and strict.
    "duplicate_top_level_key": (1, ("line 24, column 1", "field 'datasets'",
                                    "given twice in one mapping (first at line 7, again at "
                                    "line 24)")),
    "duplicate_field_key": (1, ("line 22, column 5", "field 'persons'",
                                "first at line 20, again at line 22")),
    "alias_bomb": (1, ("line 14, column 5", "would expand the document by 8,335,593,937 nodes",
                       "more than 100,000")),
    "deeply_nested": (1, ("line 4", "nested deeper than 64 levels")),
    "datetime_not_date": (1, ("line 22, column 15", "field 'acquired'",
                              "'2024-03-01T10:00:00' has a time of day", "write YYYY-MM-DD")),
    "date_far_future": (1, ("datasets[1] (id 'forum')", "field 'destroyed'",
                            "must lie between 1900-01-01 and 2199-12-31", "got '9999-12-31'")),
    "cost_infinite": (1, ("datasets[1] (id 'forum')", "field 'cost'", "finite number",
                          "got inf")),
    "overlap_nan": (1, ("datasets[1] (id 'forum') / overlaps[0]", "field 'persons'",
                        "finite number", "got nan")),
    "not_utf8": (1, ("not UTF-8 text", "at line 17", "save the file as UTF-8")),
}

def _message(path: Path) -> InputError:
    with pytest.raises(InputError) as exc:
        load_inventory(path)
    return exc.value


def test_corpus_and_table_agree() -> None:
    """Every bad input has an entry in one of the tables, and every entry has a file."""
    on_disk = {p.stem for p in BAD_INPUTS.glob("*.yaml")}
    tabled = set(BAD_INVENTORIES) | {"invalid_date_unquoted"}
    assert on_disk == tabled
    assert len(BAD_INVENTORIES) >= 24


@pytest.mark.parametrize("stem", sorted(BAD_INVENTORIES))
def test_bad_inventory_is_refused_with_a_located_message(stem: str) -> None:
    count, parts = BAD_INVENTORIES[stem]
    path = BAD_INPUTS / f"{stem}.yaml"
    err = _message(path)
    text = str(err)
    assert len(err.problems) == count, text
    assert all(p.file == str(path) for p in err.problems)
    for part in (path.name, *parts):
        assert part in text, f"{part!r} missing from:\n{text}"
    assert "Traceback" not in text


def test_unquoted_impossible_date_is_refused_with_its_line() -> None:
    path = BAD_INPUTS / "invalid_date_unquoted.yaml"
    text = str(_message(path))
    assert "line 13" in text and "2024-13-45" in text


def test_three_problems_are_reported_together() -> None:
    err = _message(BAD_INPUTS / "three_problems.yaml")
    fields = sorted(p.field for p in err.problems)
    assert fields == ["category", "datasets[1]", "persons"]
    assert [p.value for p in err.problems].count(-5) == 1


# --------------------------------------------------------------------- all problems at once

def _valid() -> dict[str, Any]:
    """A valid three-dataset inventory, as YAML would give it."""
    email = {"name": "email", "category": "contact", "key": "email", "match_quality": 0.9}
    return {
        "title": "Property test (fictional)",
        "fictional": True,
        "populations": [{"id": "world", "size": 8_000_000_000},
                        {"id": "nl", "size": 17_900_000, "part_of": "world"}],
        "datasets": [
            {"id": "a", "name": "A (fictional)", "source": "leaked", "leaked": True,
             "persons": 1000, "population": "nl", "fields": [dict(email)]},
            {"id": "b", "name": "B (fictional)", "source": "leaked", "leaked": True,
             "persons": 2000, "population": "nl", "fields": [dict(email)]},
            {"id": "c", "name": "C (fictional)", "source": "private", "persons": 3000,
             "population": "world", "fields": [dict(email)],
             "overlaps": [{"with": "a", "persons": 10}],
             "acquired": date(2024, 1, 1), "relevance_deadline": date(2025, 1, 1)},
        ],
        "investigations": [{"id": "inv", "datasets": ["a", "b"]}],
    }


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def corrupt(data: dict[str, Any]) -> None:
        node: Any = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    return corrupt


#: Independent corruptions of :func:`_valid`, each causing exactly one problem.
CORRUPTIONS = {
    "negative persons": _set(("datasets", 0, "persons"), -5),
    "unknown category": _set(("datasets", 1, "fields", 0, "category"), "contacts"),
    "match quality > 1": _set(("datasets", 0, "fields", 0, "match_quality"), 1.5),
    "unknown key namespace": _set(("datasets", 2, "fields", 0, "key"), "e-mail"),
    "unknown investigation dataset": _set(("investigations", 0, "datasets", 1), "forun"),
    "unknown part_of": _set(("populations", 1, "part_of"), "wereld"),
    "purchased, not paid": _set(("datasets", 1, "source"), "purchased"),
    "deadline before acquired": _set(("datasets", 2, "relevance_deadline"), date(2023, 1, 1)),
    "overlap with itself": _set(("datasets", 2, "overlaps", 0, "with"), "c"),
    "unknown top-level key": _set(("comment",), "typo"),
}


def test_valid_base_loads() -> None:
    parse_inventory(_valid())


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(sorted(CORRUPTIONS)), min_size=1))
def test_every_problem_is_reported_at_once(names: set[str]) -> None:
    data = copy.deepcopy(_valid())
    data["datasets"][1]["paid"] = False  # only a problem once the source is 'purchased'
    for name in names:
        CORRUPTIONS[name](data)
    with pytest.raises(InputError) as exc:
        parse_inventory(data, "prop.yaml")
    assert len(exc.value.problems) == len(names), str(exc.value)


# --------------------------------------------------------------------- bundled inventories

#: Every bundled inventory (the exchange log of report 07 lives beside them and is not one).
SYNTHETIC_YAML = sorted(p for p in SYNTHETIC.rglob("*.yaml") if "exchange" not in p.parts)


def test_bundled_inventories_exist() -> None:
    assert {p.name for p in SYNTHETIC_YAML} >= {"baseline.yaml", "sparse.yaml", "dense.yaml"}


@pytest.mark.parametrize("path", SYNTHETIC_YAML, ids=lambda p: p.relative_to(SYNTHETIC).as_posix())
def test_bundled_yaml_loads_and_says_it_is_fictional(path: Path) -> None:
    inv = load_inventory(path)
    assert inv.fictional is True
    assert "(fictional)" in inv.title
    assert "invented" in inv.description and "real services" in inv.description
    assert all("fictional" in d.name.lower() for d in inv.datasets)


def test_csv_example_loads_from_folder_and_from_file() -> None:
    folder = load_inventory(SYNTHETIC / "csv_example")
    file = load_inventory(SYNTHETIC / "csv_example" / "datasets.csv")
    assert folder.model_dump() == file.model_dump()
    assert len(folder.datasets) == 5
    assert all("fictional" in d.name.lower() for d in folder.datasets)


def test_yaml_and_csv_of_the_same_inventory_are_equal() -> None:
    from_csv = load_inventory(SYNTHETIC / "csv_example")
    from_yaml = load_inventory(SYNTHETIC / "csv_example" / "inventory.yaml")
    # The CSV format has no inventory-level 'fictional' or 'description' (the loader sets
    # fictional: false); everything else must be identical.
    skip = {"fictional", "description"}
    assert from_csv.model_dump(exclude=skip) == from_yaml.model_dump(exclude=skip)
    assert from_csv.title == from_yaml.title == "CSV example inventory (fictional)"


def test_csv_problem_is_located(tmp_path: Path) -> None:
    for name in ("datasets.csv", "fields.csv"):
        (tmp_path / name).write_text((SYNTHETIC / "csv_example" / name).read_text())
    fields = tmp_path / "fields.csv"
    fields.write_text(fields.read_text().replace("email,0.95", "email,high"))
    with pytest.raises(InputError) as exc:
        load_inventory(tmp_path)
    text = str(exc.value)
    for part in ("datasets[0] (id 'csv-leak-webshop') / fields[1] (name 'email')",
                 "field 'match_quality'", "valid number", "got 'high'"):
        assert part in text, text


@pytest.fixture(scope="module")
def baseline_graphs() -> dict[str, nx.Graph]:
    inv = load_inventory(SYNTHETIC / "baseline.yaml")
    rb = load_rulebook(default_rulebook_path())
    return {o: build_linkage_graph(inv, rb, openness=o) for o in ("services", "ctivd")}


def test_baseline_graph_has_the_intended_shape(baseline_graphs: dict[str, nx.Graph]) -> None:
    """One large component, a few small ones, isolated technical sets, IP-linked technical sets."""
    G = baseline_graphs["ctivd"]
    sizes = sorted(map(len, nx.connected_components(G)), reverse=True)
    assert 40 <= G.number_of_nodes() <= 50
    assert sizes[0] >= 0.7 * G.number_of_nodes()
    assert sum(2 <= s <= 5 for s in sizes) >= 2
    isolated = [n for n in nx.isolates(G)]
    assert len(isolated) >= 4 and all(G.nodes[n]["technical_only"] for n in isolated)
    linked_technical = [n for n in G if G.nodes[n]["technical_only"] and G.degree(n) > 0]
    assert len(linked_technical) >= 2


def test_baseline_levels_give_decision_rules_something_to_disagree_about(
    baseline_graphs: dict[str, nx.Graph],
) -> None:
    services, ctivd = baseline_graphs["services"], baseline_graphs["ctivd"]
    for G in (services, ctivd):
        assert set(nx.get_node_attributes(G, "level").values()) == {0, 1, 2, 3}
    # Leaked, paid or open sets that are light under the services' reading and link to others.
    light_linked = [n for n in services if services.nodes[n]["level"] == 1
                    and services.nodes[n]["source"] in ("leaked", "purchased", "open")
                    and services.degree(n) > 0]
    assert len(light_linked) >= 5
    assert sum(services.nodes[n]["level"] < ctivd.nodes[n]["level"] for n in services) >= 5
    # Weighing together would escalate some light sets: they neighbour heavier ones.
    assert any(ctivd.nodes[m]["level"] > ctivd.nodes[n]["level"]
               for n in ctivd if ctivd.nodes[n]["level"] <= 1 for m in ctivd[n])


# --------------------------------------------------------------------- bad rulebooks

BAD_RULEBOOK_MESSAGES: dict[str, tuple[str, ...]] = {
    "unknown_category_in_rule": ("rules[1] (id 'special')", "field 'when.any_categories'",
                                 "unknown category", CATEGORIES, "got 'health'"),
    "rule_without_source": ("rules[0] (id 'personal-data')",
                            "every rule needs a 'source', or 'assumption: true' when it has none"),
    "rule_level_above_max": ("rule 'special' demands level 4, but the highest level is 3",),
    "identifiable_false": ("rules[1] (id 'special')", "field 'when'",
                           "'identifiable: false' would let identifiability lower a level",
                           "only 'identifiable: true' is allowed"),
    "levels_not_numbered": ("levels must be numbered 0, 1, 2, … in order", "got [0, 1, 3, 4]"),
    "unknown_openness_ground": ("field 'openness_variants.ctivd.counts_as_public.1'",
                                "'made_public_by_subjects', 'open_source', 'leaked' or 'paid'",
                                "got 'hacked'"),
    "min_expected_links_infinite": ("field 'linkage.min_expected_links'", "finite number",
                                    "got inf"),
    "min_persons_nan": ("rules[2] (id 'identifiable-large')", "field 'when.min_persons'",
                        "finite number", "got nan"),
    "duplicate_key": ("line 4, column 1", "field 'illustrative'", "given twice"),
}


def test_rulebook_corpus_and_table_agree() -> None:
    assert {p.stem for p in BAD_RULEBOOKS.glob("*.yaml")} == set(BAD_RULEBOOK_MESSAGES)


@pytest.mark.parametrize("stem", sorted(BAD_RULEBOOK_MESSAGES))
def test_bad_rulebook_is_refused_with_a_located_message(stem: str) -> None:
    path = BAD_RULEBOOKS / f"{stem}.yaml"
    with pytest.raises(InputError) as exc:
        load_rulebook(path)
    text = str(exc.value)
    assert len(exc.value.problems) == 1, text
    for part in (path.name, *BAD_RULEBOOK_MESSAGES[stem]):
        assert part in text, f"{part!r} missing from:\n{text}"
