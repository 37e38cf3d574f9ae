"""The bundled rulebook's sources hold: a law that does not govern the services is cited only
as a labelled analogy, and a rule without a verified provision says it is an assumption."""

from __future__ import annotations

import re

import pytest

from bulkimpact.rulebook import default_rulebook_path, load_rulebook

#: Laws and guidance that do not govern the AIVD/MIVD: citable only by analogy.
FOREIGN = ("GDPR", "AVG", "Investigatory Powers Act", "IPA", "WP248", "Working Party")


@pytest.fixture(scope="module")
def rules():
    return load_rulebook(default_rulebook_path()).rules


def test_a_law_that_does_not_govern_the_services_is_only_an_analogy(rules) -> None:
    for rule in rules:
        for field in ("source", "rationale"):
            text = " ".join((getattr(rule, field) or "").split())
            for law in FOREIGN:
                if re.search(rf"\b{re.escape(law)}\b", text):
                    assert "analogy" in text.lower(), (rule.id, field, law)
        source = " ".join((rule.source or "").split())
        if any(re.search(rf"\b{re.escape(law)}\b", source) for law in FOREIGN):
            assert "does not govern the AIVD/MIVD" in source, rule.id


def test_every_rule_without_a_wiv_provision_is_an_assumption_and_says_so(rules) -> None:
    for rule in rules:
        source = (rule.source or "").strip()
        cites_wiv = re.search(r"\bart(?:ikel|\.)\s*\d+\s+(?:van de\s+)?Wiv 2017", source)
        if not cites_wiv:
            assert rule.assumption, rule.id
            assert source.lower().startswith("assumption"), rule.id


def test_no_rule_claims_a_criterion_of_the_tijdelijke_regeling_as_its_own(rules) -> None:
    # The regulation's criteria are not public in full: a rule may quote what public
    # documents report of it, and must then still carry the assumption flag.
    for rule in rules:
        if "Tijdelijke regeling" in (rule.source or ""):
            assert rule.assumption, rule.id
