"""Example rows of the synthetic world look synthetic: marked, adults only, masked details."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from bulkimpact.synth import mosaic_example
from bulkimpact.synth.mosaic import ADULT_AGE, mask_phone, mask_postcode
from bulkimpact.synth.population import REFERENCE_DATE


@pytest.fixture(scope="module")
def mosaic():
    return mosaic_example(persons=100_000, seed=4)


def test_examples_are_marked_synthetic_adults_with_masked_phone_and_postcode(mosaic) -> None:
    rows = mosaic.examples(20)
    assert len(rows) == 20
    assert rows["synthetic"].str.contains("invented").all()
    age = rows[f"age on {pd.Timestamp(REFERENCE_DATE):%Y-%m-%d}"]
    assert (age >= ADULT_AGE).all()
    born = pd.to_datetime(rows["date of birth"])
    cutoff = pd.Timestamp(REFERENCE_DATE) - pd.DateOffset(years=ADULT_AGE)
    assert (born <= cutoff).all()
    assert rows["phone (shop, masked)"].str.fullmatch(r"SYNTH 06-XXXX-\d{4}").all()
    assert rows["postcode (masked)"].str.fullmatch(r"SYNTH \d{2}XX XX").all()
    assert rows["e-mail (shop)"].str.endswith(".example").all()
    # nothing shown has the shape of a real Dutch mobile number or postcode
    shown = " ".join(rows.astype(str).to_numpy().ravel())
    assert not re.search(r"\b06\d{8}\b", shown)
    assert not re.search(r"\b\d{4} ?[A-Z]{2}\b", shown)


def test_examples_are_drawn_from_the_named_persons_and_leave_the_counts_alone(mosaic) -> None:
    before = (mosaic.named, mosaic.named_sensitive, mosaic.false_links, len(mosaic.linked))
    rows = mosaic.examples(5)
    named = mosaic.linked[mosaic.linked["correct"] & mosaic.linked["special_category"]]
    assert set(rows["e-mail (shop)"]) <= set(named["email"])
    assert (mosaic.named, mosaic.named_sensitive, mosaic.false_links,
            len(mosaic.linked)) == before
    # the underlying synthetic records are untouched: real-length numbers, full postcodes
    assert named["phone"].str.len().eq(10).all()
    assert named["postcode"].str.fullmatch(r"\d{4}[A-Z]{2}").all()


def test_the_population_still_holds_minors_the_examples_leave_out(mosaic) -> None:
    named = mosaic.linked[mosaic.linked["correct"] & mosaic.linked["special_category"]]
    minors = pd.to_datetime(named["date_of_birth"]) > (
        pd.Timestamp(REFERENCE_DATE) - pd.DateOffset(years=ADULT_AGE))
    assert minors.any()  # else the filter would be untested
    shown = set(mosaic.examples(len(named))["e-mail (shop)"])
    assert not shown & set(named[minors]["email"])


def test_masks() -> None:
    assert mask_phone("0698765432") == "SYNTH 06-XXXX-5432"
    assert mask_postcode("9712CP") == "SYNTH 97XX XX"
