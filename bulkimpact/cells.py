"""How the persons of a reference population spread over quasi-identifier values (cells).

Uniqueness on date of birth, postcode and sex depends on how unequal the cells
are: many people share popular birth years and large postcodes, so fewer are
unique than with equally likely cells. This module is the one place where a
population's cell-size distributions are defined. The record-level synthetic
world (:mod:`bulkimpact.synth.population`) draws its persons from them, and the
estimates (:func:`bulkimpact.estimates.qi_uniqueness`) compute uniqueness from
them with the closed form for unequal cells, ``sum_c n p_c (1 - p_c)^(n-1) / n``.

An inventory population names its distributions with ``cells`` (one of
:data:`CELL_MODELS`); a population without it falls back to equally likely
cells of the fields' stated cardinalities.

Distributions of the Dutch model, and where they come from:

* **Age pyramid.** Shares of the five CBS age brackets (under 20, 20-40,
  40-65, 65-80, 80 and over) are CBS StatLine table 37296ned, 1 January 2019
  (3,791,838 / 4,309,987 / 5,866,334 / 2,515,184 / 798,820 of 17,282,163).
  The split into five-year groups inside each bracket is our assumption
  (a smooth shape with the post-war baby boom in the 50-65 groups); dates of
  birth are uniform within a group.
* **Postcodes.** Dutch postcodes are ``1234AB``: four digits (PC4, about
  4,000 areas with residents) and two letters (PC6, about 38 residents on
  average). Persons per PC4 are lognormal, and so are persons per PC6 within
  a PC4. Areas differ in age profile, with a spread calibrated
  (:func:`bulkimpact.synth.population.calibrate_age_tilt`) so that the share
  of persons unique on date of birth + PC4 matches Koot et al. (2010).
* **Twins living together.** About 1.7 % of births are twin births
  (assumption); twins under 20 live at the same postcode and share a date of
  birth, so they are never unique on date of birth + postcode.
* **Sex.** The share of men per age group (order of magnitude of CBS figures;
  an assumption).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

__all__ = [
    "NL_PERSONS",
    "KOOT_2010",
    "AGE_GROUPS",
    "MALE_SHARE",
    "PopulationParams",
    "CELL_MODELS",
    "QI_DIMENSIONS",
    "cell_classes",
    "expected_uniqueness_dob_pc4",
]

NL_PERSONS = 17_900_000
"""Residents of the Netherlands, rounded (CBS: 17.8 M on 1 January 2023)."""

KOOT_2010 = {
    ("date_of_birth", "pc4"): 0.670,
    ("date_of_birth", "postcode", "sex"): 0.994,
}
"""Fractions unique published by Koot, van 't Noordende and de Laat (2010)."""

# Five-year groups (lower age, relative weight inside its CBS bracket).
# Bracket totals: CBS 37296ned, 1 January 2019; the split within brackets is
# an assumed smooth shape, see the module docstring.
_CBS_BRACKETS = ((0, 20, 3_791_838), (20, 40, 4_309_987), (40, 65, 5_866_334),
                 (65, 80, 2_515_184), (80, 105, 798_820))
_WITHIN_BRACKET = {
    0: (0.93, 0.96, 1.02, 1.09), 20: (1.00, 1.01, 0.99, 1.00),
    40: (0.95, 0.96, 1.02, 1.06, 1.01), 65: (1.05, 1.00, 0.95),
    80: (0.55, 0.28, 0.12, 0.04, 0.01),
}


def _age_groups() -> tuple[tuple[int, int, float], ...]:
    groups = []
    for lo, hi, total in _CBS_BRACKETS:
        weights = np.asarray(_WITHIN_BRACKET[lo])
        share = total / sum(t for _, _, t in _CBS_BRACKETS)
        for i, w in enumerate(weights / weights.sum()):
            groups.append((lo + 5 * i, min(lo + 5 * i + 5, hi), float(share * w)))
    return tuple(groups)


AGE_GROUPS = _age_groups()
"""(lower age, upper age exclusive, share of persons) per five-year group."""

MALE_SHARE = np.array([0.512] * 4 + [0.505] * 9 + [0.48, 0.47, 0.46] + [0.40, 0.34, 0.27,
                                                                         0.20, 0.15])
"""Share of men per five-year group: about even until 65, then women outlive men
(order of magnitude of CBS figures; an assumption)."""


@dataclass(frozen=True)
class PopulationParams:
    """Calibration of a Dutch-like population.

    Attributes
    ----------
    pc4_areas, municipalities : int
        PC4 areas with residents and municipalities at the full
        :data:`NL_PERSONS`; scaled with the number of persons.
    persons_per_pc6 : float
        Mean residents per six-character postcode.
    pc4_sigma, pc6_sigma : float
        Lognormal spread of residents per PC4 and per PC6 within a PC4
        (assumed), PC4 areas capped at ``pc4_max_ratio`` times the mean
        (about 31,000 residents at the Dutch scale).
    age_tilt : float
        How much areas differ in age profile (student quarters, new family
        suburbs, retirement villages): area ``j`` weights age group ``g`` by
        ``exp(a_j (mid_g - 40) / 20)`` with ``a_j ~ Normal(0, age_tilt)``,
        re-balanced so the national pyramid is kept. Calibrated by
        :func:`bulkimpact.synth.population.calibrate_age_tilt` to the
        published date of birth + PC4 uniqueness; it absorbs everything this
        model leaves out.
    twin_birth_rate : float
        Share of births that are twin births; twins under ``twin_cohabit_age``
        live at the same postcode and share a date of birth.
    twin_same_sex : float
        Probability that twins have the same sex.
    special_category_rate, criminal_rate : float
        Prevalence of the sensitive flags (a health condition or other art. 9
        attribute; a criminal record). Illustrative assumptions.
    """

    pc4_areas: int = 4_070
    municipalities: int = 342
    persons_per_pc6: float = 38.0
    pc4_sigma: float = 0.9
    pc4_max_ratio: float = 7.0
    pc6_sigma: float = 0.8
    age_tilt: float = 1.46
    twin_birth_rate: float = 0.017
    twin_cohabit_age: int = 20
    twin_same_sex: float = 0.65
    special_category_rate: float = 0.06
    criminal_rate: float = 0.02
    age_groups: tuple[tuple[int, int, float], ...] = field(default=AGE_GROUPS, repr=False)


def group_shares_days(p: PopulationParams) -> tuple[np.ndarray, np.ndarray]:
    """Share of persons and number of days of each age group."""
    shares = np.array([g[2] for g in p.age_groups])
    days = np.array([(g[1] - g[0]) * 365.2425 for g in p.age_groups])
    return shares / shares.sum(), days


def area_age_shares(p: PopulationParams, tilt: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Age-group shares per area, tilted by ``tilt`` and re-balanced to the national pyramid."""
    shares, _ = group_shares_days(p)
    mid = np.array([(g[0] + g[1]) / 2 for g in p.age_groups])
    tilted = np.exp(np.outer(tilt, (mid - 40.0) / 20.0))
    base = shares.copy()
    weight = size / size.sum()
    for _ in range(20):  # fixed point: size-weighted mean of the areas = national shares
        w = base * tilted
        w /= w.sum(axis=1, keepdims=True)
        base *= shares / (weight @ w)
    w = base * tilted
    return w / w.sum(axis=1, keepdims=True)


def capped_shares(weights: np.ndarray, max_ratio: float) -> np.ndarray:
    """Normalise weights to shares, no share above ``max_ratio`` times the mean."""
    w = weights / weights.mean()
    for _ in range(5):  # clipping lowers the mean; a few rounds settle it
        w = np.minimum(w, max_ratio)
        w = w / w.mean()
    return w / w.sum()


@dataclass(frozen=True)
class CellModel:
    """A population's cell-size distributions: the Dutch calibration, optionally from an age on.

    ``min_age`` keeps persons of that age and older (adults: 18), cutting the
    pyramid inside the group that holds it.
    """

    label: str
    params: PopulationParams = field(default_factory=PopulationParams)
    min_age: int = 0

    def age_params(self) -> PopulationParams:
        """The calibration with the age groups below ``min_age`` cut off."""
        if not self.min_age:
            return self.params
        groups = tuple((max(lo, self.min_age), hi, share * (hi - max(lo, self.min_age))
                        / (hi - lo)) for lo, hi, share in self.params.age_groups
                       if hi > self.min_age)
        return PopulationParams(**{**vars(self.params), "age_groups": groups})


CELL_MODELS = {
    "nl": CellModel("Dutch residents: CBS age pyramid, skewed postcode sizes, calibrated to "
                    "Koot et al. (2010)"),
    "nl_adults": CellModel("Dutch residents aged 18 and over: the Dutch model from age 18",
                           min_age=18),
}
"""Cell-size models an inventory population may name in ``cells``."""

QI_DIMENSIONS = {"date_of_birth": "age", "birth_year": "age", "pc4": "area",
                 "postcode": "area", "sex": "sex"}
"""Quasi-identifier field names a cell model covers, with the dimension each refines."""

_FINENESS = {"date_of_birth": 2, "birth_year": 1, "postcode": 2, "pc4": 1, "sex": 1}

# Quantile points that stand for the distributions: enough for three decimals of uniqueness.
_AREA_POINTS, _TILT_POINTS, _PC6_POINTS = 100, 7, 4


def _quantiles(points: int) -> np.ndarray:
    from scipy.special import ndtri  # the normal quantile function, without scipy.stats

    return ndtri((np.arange(points) + 0.5) / points)


def cell_classes(model: str, qis: Iterable[str], persons: float
                 ) -> tuple[np.ndarray, np.ndarray, float]:
    """Cells of a population on some quasi-identifiers, as classes of equally likely cells.

    Parameters
    ----------
    model : str
        A key of :data:`CELL_MODELS`.
    qis : iterable of str
        Quasi-identifier names, each a key of :data:`QI_DIMENSIONS`.
    persons : float
        Size of the population; its geography is scaled to it, as the
        synthetic world's is (a world of 200,000 has about 45 PC4 areas).

    Returns
    -------
    (probabilities, counts, never_unique)
        ``counts[i]`` cells each hold a person with probability
        ``probabilities[i]`` (together they sum to 1), and the share of
        persons never unique on these cells (cohabiting twins, when date of
        birth and a postcode are both among them).

    Notes
    -----
    A person lives in a PC4 area (lognormal sizes capped as in the world),
    and in a PC6 inside it (lognormal shares); the area's age profile is
    tilted and re-balanced to the national pyramid
    (:func:`area_age_shares`); a date of birth is uniform over the days of
    the person's five-year group, a birth year over its years; sex follows
    :data:`MALE_SHARE`. A quasi-identifier coarser than another on the same
    dimension adds nothing (a date of birth fixes the birth year). The
    distributions are represented by quantile points (100 of PC4 sizes, 7
    of the age tilt, 4 of PC6 sizes within an area).

    Examples
    --------
    >>> p, counts, twins = cell_classes("nl", ["sex"], 17_900_000)
    >>> round(float(counts @ p), 6), int(counts.sum()), twins
    (1.0, 2, 0.0)
    """
    return _classes(CELL_MODELS[model].age_params(), frozenset(qis), float(persons))


@lru_cache(maxsize=256)
def _classes(prm: PopulationParams, qis: frozenset[str], persons: float,
             area_points: int = _AREA_POINTS, tilt_points: int = _TILT_POINTS
             ) -> tuple[np.ndarray, np.ndarray, float]:
    """:func:`cell_classes` for a calibration, with the quantile points to use."""
    finest: dict[str, str] = {}
    for q in qis:
        dim = QI_DIMENSIONS[q]
        if dim not in finest or _FINENESS[q] > _FINENESS[finest[dim]]:
            finest[dim] = q
    age, area, sex = finest.get("age"), finest.get("area"), finest.get("sex")
    shares, days = group_shares_days(prm)
    n_pc4 = int(min(max(1, round(prm.pc4_areas * persons / NL_PERSONS)), 9000))
    points = min(area_points, n_pc4)
    size = capped_shares(np.exp(prm.pc4_sigma * _quantiles(points)), prm.pc4_max_ratio)
    tilt = prm.age_tilt * _quantiles(tilt_points)
    # each size quantile paired with every tilt quantile (independent)
    area_share = np.repeat(size, tilt_points) / tilt_points       # persons' share of the class
    area_count = np.full(area_share.shape, n_pc4 / points / tilt_points)  # areas in the class
    ages = area_age_shares(prm, np.tile(tilt, points), np.repeat(size, tilt_points))
    if area is None:  # no geography: the national pyramid
        area_share, area_count, ages = np.ones(1), np.ones(1), shares[None, :]
    elif area == "postcode":
        within = np.exp(prm.pc6_sigma * _quantiles(_PC6_POINTS))
        within /= within.mean()
        # PC6 codes per area (at most the 397 letter pairs); the k-th quantile's PC6 holds
        # within_k / n_pc6 of its area's persons
        n_pc6 = np.clip(np.rint(area_share / area_count * persons / prm.persons_per_pc6), 1, 397)
        area_share = np.outer(area_share, within / _PC6_POINTS).ravel()
        area_count = np.outer(area_count * n_pc6, np.full(_PC6_POINTS, 1 / _PC6_POINTS)).ravel()
        ages = np.repeat(ages, _PC6_POINTS, axis=0)
    male = MALE_SHARE[-len(shares):]
    share = area_share[:, None] * ages  # (area classes, age groups)
    if sex is not None:
        share = np.stack([share * male, share * (1 - male)], axis=-1)
    if age is None:  # persons of every age share a cell
        share = share.sum(axis=1)
        count = np.broadcast_to(area_count.reshape((-1,) + (1,) * (share.ndim - 1)),
                                share.shape)
    else:
        per_group = days if age == "date_of_birth" else days / 365.2425  # days or years
        count = area_count[:, None] * per_group[None, :]  # cells in each class
        if sex is not None:
            count = np.stack([count, count], axis=-1)
    p, counts = (share / count).ravel(), count.ravel().astype(float)
    never = 0.0
    if age == "date_of_birth" and area is not None:
        young = shares[np.array([g[0] for g in prm.age_groups]) < prm.twin_cohabit_age].sum()
        never = young * 2 * prm.twin_birth_rate / (1 + prm.twin_birth_rate)
        if sex is not None:
            never *= prm.twin_same_sex
    keep = p > 0
    return p[keep], counts[keep], float(never)


def expected_uniqueness_dob_pc4(age_tilt: float, params: PopulationParams | None = None,
                                tilt_points: int = 15) -> float:
    """Expected share of persons unique on date of birth + PC4 at the Dutch scale.

    Parameters
    ----------
    age_tilt : float
        Spread of the areas' age profiles (see :class:`PopulationParams`).
    params : PopulationParams, optional
        Other calibration values (PC4 sizes, age groups, twins).
    tilt_points : int
        Quantile points of the tilt distribution to average over.

    Returns
    -------
    float

    Notes
    -----
    The cells of :func:`cell_classes` with every PC4 area a quantile point, in
    the Poisson limit of :func:`bulkimpact.estimates.fraction_unique_weighted`
    over the whole population: ``sum_c p_c exp(-(N-1) p_c)``, less the
    cohabiting twins, who are never unique. Deterministic.

    Examples
    --------
    >>> round(expected_uniqueness_dob_pc4(0.0), 3)
    0.764
    >>> round(expected_uniqueness_dob_pc4(PopulationParams().age_tilt), 3)
    0.67
    """
    prm = replace(params or PopulationParams(), age_tilt=age_tilt)
    p, counts, never = _classes(prm, frozenset({"date_of_birth", "pc4"}), float(NL_PERSONS),
                                area_points=prm.pc4_areas, tilt_points=tilt_points)
    return float(counts @ (p * np.exp(-(NL_PERSONS - 1) * p)) * (1 - never))


def covered(qis: Iterable[str]) -> bool:
    """Whether a cell model covers every one of these quasi-identifiers.

    Examples
    --------
    >>> covered(["date_of_birth", "pc4"]), covered(["date_of_birth", "name_dob"])
    (True, False)
    """
    return all(q in QI_DIMENSIONS for q in qis)
