"""Rulebook: monotone scoring, refusal of anti-monotone conditions, openness variants."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import TINY_RULEBOOK_YAML, dataset, inventory, key_field
from hypothesis import given, settings
from hypothesis import strategies as st

from bulkimpact.estimates import QiCells
from bulkimpact.linkage import build_linkage_graph
from bulkimpact.problems import InputError
from bulkimpact.rulebook import (
    Profile,
    Rulebook,
    dataset_profile,
    is_public,
    load_rulebook,
    qi_identifiable,
)
from bulkimpact.taxonomy import default_taxonomy

CATEGORIES = sorted(default_taxonomy().categories)


@st.composite
def profile_pairs(draw: st.DrawFn) -> tuple[Profile, Profile]:
    """A profile ``p`` and a profile ``p2`` that asks for at least as much on every axis."""
    cats = draw(st.sets(st.sampled_from(CATEGORIES)))
    more_cats = cats | draw(st.sets(st.sampled_from(CATEGORIES)))
    identifiable = draw(st.booleans())
    persons = draw(st.floats(0, 1e8))
    public = draw(st.booleans())
    p = Profile(frozenset(cats), identifiable, persons, public)
    p2 = Profile(
        frozenset(more_cats),
        identifiable or draw(st.booleans()),
        persons + draw(st.floats(0, 1e8)),
        public and draw(st.booleans()),
    )
    return p, p2


@settings(max_examples=60, deadline=None)
@given(pair=profile_pairs())
def test_bundled_rulebook_score_is_monotone(
    default_rulebook: Rulebook, pair: tuple[Profile, Profile]
) -> None:
    p, p2 = pair
    low, high = default_rulebook.score(p), default_rulebook.score(p2)
    assert high.level >= low.level
    # A rule that fires on p also fires on the larger profile: nothing is lost.
    assert set(low.rules) <= set(high.rules)


def test_score_reports_the_rules_that_fired_highest_first(default_rulebook: Rulebook) -> None:
    """Direct identifier + special category, identifiable, 50,000 persons, not public:
    personal-data (1), identifiable-not-public (2) and special-categories (3) fire;
    identifiable-large needs 10^6 persons, the mosaic rules need location or five categories."""
    p = Profile(frozenset({"direct_identifier", "special_category"}), True, 5e4, False)
    score = default_rulebook.score(p)
    assert score.level == 3
    assert score.rules == ("special-categories", "identifiable-not-public", "personal-data")


def test_lowest_level_when_no_rule_fires(default_rulebook: Rulebook) -> None:
    score = default_rulebook.score(Profile(frozenset({"technical"}), False, 1e9, False))
    assert (score.level, score.rules) == (0, ())


def write_rulebook(tmp_path: Path, rules_yaml: str | None = None, **changes: object) -> Path:
    """The tiny rulebook, with its rules replaced and top-level keys changed."""
    data = yaml.safe_load(TINY_RULEBOOK_YAML)
    if rules_yaml is not None:
        data["rules"] = yaml.safe_load(rules_yaml)
    data.update(changes)
    path = tmp_path / "rulebook.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{identifiable: false}",
         "'identifiable: false' would let identifiability lower a level"),
        ("{not_public: false, any_categories: [location]}",
         "'not_public: false' would make a level fall when sets are combined"),
        ("{max_persons: 1000}", "'max_persons' would let more persons lower a level"),
    ],
)
def test_loader_refuses_anti_monotone_conditions(tmp_path: Path, when: str, message: str) -> None:
    path = write_rulebook(tmp_path, f"""
- id: bad
  label: anti-monotone
  rationale: would let a combination fall
  assumption: true
  when: {when}
  level: 2
""")
    with pytest.raises(InputError) as exc:
        load_rulebook(path)
    [problem] = exc.value.problems
    assert str(problem).startswith(f"{path}: rules[0] (id 'bad'): field 'when': ")
    assert message in str(problem)


def test_loader_reports_every_problem_at_once(tmp_path: Path) -> None:
    path = write_rulebook(tmp_path, """
- id: no-provenance
  label: no source, not marked an assumption
  rationale: r
  when: {identifiable: true}
  level: 2
- id: unknown-category
  label: l
  rationale: r
  assumption: true
  when: {any_categories: [horoscope]}
  level: 1
""")
    with pytest.raises(InputError) as exc:
        load_rulebook(path)
    text = str(exc.value)
    assert "rules[0] (id 'no-provenance')" in text
    assert "every rule needs a 'source', or 'assumption: true'" in text
    assert "rules[1] (id 'unknown-category'): field 'when.any_categories': unknown category" in text
    assert "'horoscope'" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"levels": [{"level": 0, "name": "a"}, {"level": 2, "name": "b"}]},
         r"levels must be numbered 0, 1, 2, … in order, got \[0, 2\]"),
        ({"low_intrusion_level": 7},
         "field 'low_intrusion_level': above the highest level 3, got 7"),
    ],
)
def test_loader_checks_levels(tmp_path: Path, changes: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_rulebook(write_rulebook(tmp_path, **changes))


def test_loader_refuses_rule_above_top_level_and_duplicate_ids(tmp_path: Path) -> None:
    rule = ("{id: x, label: l, rationale: r, assumption: true, when: {identifiable: true}, "
            "level: %d}")
    with pytest.raises(InputError, match="rule 'x' demands level 4, but the highest level is 3"):
        load_rulebook(write_rulebook(tmp_path, f"[{rule % 4}]"))
    with pytest.raises(InputError, match=r"rules\[1\] \(id 'x'\): field 'id': duplicate rule id "
                       r"\(first used by rules\[0\]\), got 'x'"):
        load_rulebook(write_rulebook(tmp_path, f"[{rule % 1}, {rule % 2}]"))


# --- openness ------------------------------------------------------------------------------

EMAIL = [key_field("email", "contact")]


def openness_inventory():
    return inventory([
        dataset("leak", EMAIL, source="leaked", leaked=True),
        dataset("bought", EMAIL, source="purchased", paid=True),
        dataset("selfpub", EMAIL, source="private", made_public_by_subjects=True),
        dataset("opensrc", EMAIL, source="open"),
        dataset("private", EMAIL, source="private"),
        dataset("soldleak", EMAIL, source="leaked", leaked=True, paid=True),
    ])


ALL_READINGS = {"services", "ctivd", "ctivd_no_purchased", "subjects_only", "uk_part7a"}


@pytest.mark.parametrize(
    ("dataset_id", "public_under"),
    [
        # Seed 000: the services count leaked and purchased data as public; the CTIVD holds
        # that data from a leak are not (the persons did not make them public themselves).
        ("leak", {"services"}),
        # Purchased data: public under the CTIVD reading unless its switch is off.
        ("bought", {"services", "ctivd"}),
        ("selfpub", ALL_READINGS),
        # Open registers stay public under the CTIVD reading; only subjects_only drops them.
        ("opensrc", ALL_READINGS - {"subjects_only"}),
        ("private", set()),
        # A leak offered for sale is still data from a leak: not public under ctivd.
        ("soldleak", {"services"}),
    ],
)
def test_openness_variants(default_rulebook: Rulebook, dataset_id: str,
                           public_under: set[str]) -> None:
    d = openness_inventory().dataset(dataset_id)
    assert set(default_rulebook.openness_variants) == ALL_READINGS
    for variant in ALL_READINGS:
        assert is_public(d, default_rulebook, variant) == (variant in public_under), variant


def test_openness_decides_a_leaked_sets_level(default_rulebook: Rulebook) -> None:
    """A leaked e-mail list (identifiable, 10,000 persons): public under the services' reading,
    so only personal-data fires (level 1); not public under the CTIVD's reading, so
    identifiable-not-public fires too (level 2)."""
    inv = openness_inventory()
    services = build_linkage_graph(inv, default_rulebook, "services")
    ctivd = build_linkage_graph(inv, default_rulebook, "ctivd")
    assert (services.nodes["leak"]["public"], services.nodes["leak"]["level"]) == (True, 1)
    assert services.nodes["leak"]["rules"] == ["personal-data"]
    assert (ctivd.nodes["leak"]["public"], ctivd.nodes["leak"]["level"]) == (False, 2)
    assert ctivd.nodes["leak"]["rules"] == ["identifiable-not-public", "personal-data"]


def test_unknown_openness_variant_names_the_known_ones(default_rulebook: Rulebook) -> None:
    d = openness_inventory().dataset("leak")
    with pytest.raises(ValueError, match=r"unknown openness variant 'cia'; this rulebook has "
                                         r"\['ctivd', 'ctivd_no_purchased', 'services', "
                                         r"'subjects_only', 'uk_part7a'\]"):
        is_public(d, default_rulebook, "cia")


# --- identifiability -----------------------------------------------------------------------


def test_quasi_identifiers_identify_only_when_unique_enough(default_rulebook: Rulebook) -> None:
    """Population 1,000,000, threshold: half unique. (1 - 1/C)^999,999 >= 0.5 needs
    C >= 1 / (1 - 0.5^(1/999,999)) = 1,442,695.0 (about 10^6 / ln 2)."""
    assert qi_identifiable(QiCells({"code": 1_442_696}, 1_000_000), 0.5)
    assert not qi_identifiable(QiCells({"code": 1_442_694}, 1_000_000), 0.5)
    assert not qi_identifiable(QiCells({"code": 1}, 1), 0.5)  # one cell never singles out

    def profile(dob: int, postcode: int) -> Profile:
        inv = inventory([dataset("d", [
            {"name": "dob", "category": "demographic", "cardinality": dob},
            {"name": "postcode", "category": "demographic", "cardinality": postcode},
        ])])
        return dataset_profile(inv.dataset("d"), inv, default_rulebook, "ctivd")

    assert profile(36_500, 4_000).identifiable  # 1.46e8 cells
    assert not profile(100, 1_000).identifiable  # 1e5 cells
