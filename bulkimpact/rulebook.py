"""Rulebook: ordered access regimes and the rules that place a profile in one, kept as data.

A rulebook YAML file lists the regime levels (lowest first), the openness
variants (which grounds make a dataset count as publicly accessible) and the
rules. Each rule has a label, a rationale and a source (or is marked an
assumption), a condition on a *profile* and the minimum level it demands. A
profile's level is the highest level among the rules that fire, so scoring is
monotone by construction: conditions may only ask for *more* (categories,
identifiability, persons, non-public), never for less. The loader refuses
conditions that would break this.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .estimates import QiCells
from .inventory import Dataset, Inventory
from .problems import InputError, Problem, problems_from_validation_error, read_yaml
from .taxonomy import Taxonomy, default_taxonomy

__all__ = [
    "Level",
    "Condition",
    "Rule",
    "OpennessVariant",
    "Rulebook",
    "Profile",
    "Score",
    "RetentionTerms",
    "OPENNESS_GROUNDS",
    "load_rulebook",
    "default_rulebook_path",
    "openness_grounds",
    "is_public",
    "qi_identifiable",
    "dataset_profile",
    "category_bits",
]

#: Grounds on which a dataset may count as publicly accessible.
OPENNESS_GROUNDS = ("made_public_by_subjects", "open_source", "leaked", "paid")


def default_rulebook_path() -> Path:
    """Path of the bundled illustrative rulebook (``data/rulebooks/default.yaml``).

    Package data (see :mod:`bulkimpact.resources`): found in an installed wheel
    as in a source checkout. Relative to the working directory when it lies
    beneath it, so reports name it the way a reader of the repository would.
    """
    from .resources import default_rulebook_path as bundled_rulebook

    return bundled_rulebook()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Level(_Strict):
    """One access regime."""

    level: int = Field(ge=0)
    name: str
    description: str = ""


class Condition(_Strict):
    """When a rule fires. Every given clause must hold; all are monotone."""

    all_categories: frozenset[str] = frozenset()
    any_categories: frozenset[str] = frozenset()
    min_personal_categories: int | None = Field(default=None, ge=1)
    identifiable: Literal[True] | None = None
    min_persons: float | None = Field(default=None, ge=0)
    not_public: Literal[True] | None = None

    @model_validator(mode="before")
    @classmethod
    def _explain_anti_monotone(cls, data: Any) -> Any:
        if isinstance(data, dict):
            if data.get("identifiable") is False:
                raise ValueError("'identifiable: false' would let identifiability lower a "
                                 "level; only 'identifiable: true' is allowed")
            if data.get("not_public") is False:
                raise ValueError("'not_public: false' would make a level fall when sets are "
                                 "combined; only 'not_public: true' is allowed")
            if "max_persons" in data:
                raise ValueError("'max_persons' would let more persons lower a level; "
                                 "use min_persons only")
        return data


class Rule(_Strict):
    """A rule: a labelled, sourced condition demanding a minimum level."""

    id: str
    label: str
    rationale: str
    source: str | None = None
    assumption: bool = False
    kind: Literal["dataset", "mosaic"] = "dataset"
    when: Condition
    level: int = Field(ge=0)

    @model_validator(mode="after")
    def _needs_provenance(self) -> Rule:
        if not self.source and not self.assumption:
            raise ValueError("every rule needs a 'source', or 'assumption: true' "
                             "when it has none")
        return self


class OpennessVariant(_Strict):
    """A reading of the openness criterion: which grounds make a dataset public.

    A dataset counts as publicly accessible when it has a ground in
    ``counts_as_public`` and none in ``excludes`` (under the CTIVD's reading,
    data from a leak are not publicly accessible, whatever else holds).
    ``definition`` quotes or states the reading in the words of its source.
    """

    label: str
    description: str = ""
    definition: str = ""
    counts_as_public: frozenset[Literal[OPENNESS_GROUNDS]]  # type: ignore[valid-type]
    excludes: frozenset[Literal[OPENNESS_GROUNDS]] = frozenset()  # type: ignore[valid-type]
    source: str | None = None


class Identifiability(_Strict):
    """When quasi-identifiers alone make persons identifiable."""

    min_unique_fraction: float = Field(default=0.5, gt=0, le=1)
    assumption: bool = True
    rationale: str = ""


class Authorisation(_Strict):
    """What a case-by-case authorisation of a combination costs, per level.

    ``cost[l]`` is the cost of authorising one use of a combination whose
    cumulative level is ``l``, in the unit of the datasets' escalation
    ``cost`` weights (raising a dataset of weight 1 by one level costs 1).
    Costs may not fall as the level rises.
    """

    cost: list[float] = Field(default_factory=list)
    assumption: bool = True
    rationale: str = ""

    @model_validator(mode="after")
    def _finite_non_decreasing(self) -> Authorisation:
        if any(not math.isfinite(c) or c < 0 for c in self.cost):
            raise ValueError(f"authorisation costs must be finite and non-negative, "
                             f"got {self.cost}")
        if any(b < a for a, b in zip(self.cost, self.cost[1:], strict=False)):
            raise ValueError(f"authorisation costs may not fall as the level rises, "
                             f"got {self.cost}")
        return self


class CostSchedule(_Strict):
    """One cost per level (lowest first), finite, non-negative and never falling as the level
    rises; an assumption with its rationale unless a source gives it."""

    values: list[float]
    assumption: bool = True
    rationale: str = ""

    @model_validator(mode="after")
    def _finite_non_decreasing(self) -> CostSchedule:
        if any(not math.isfinite(c) or c < 0 for c in self.values):
            raise ValueError(f"costs must be finite and non-negative, got {self.values}")
        if any(b < a for a, b in zip(self.values, self.values[1:], strict=False)):
            raise ValueError(f"costs may not fall as the level rises, got {self.values}")
        return self


class Costs(_Strict):
    """What a regime costs, per level, in the unit of the datasets' ``cost`` weights.

    ``one_off[l]``: placing a dataset of weight 1 at level ``l`` (a change from ``L`` to ``r``
    costs its weight × ``one_off[r] − one_off[L]``); ``per_year[l]``: holding a dataset at
    ``l`` for a year (controls, logging, review); ``per_use[l]``: each use of a dataset or of
    a combination at ``l`` (the prior authorisation a heavier level demands).
    """

    one_off: CostSchedule | None = None
    per_year: CostSchedule | None = None
    per_use: CostSchedule | None = None


class Linkage(_Strict):
    """When two datasets count as linkable."""

    min_expected_links: float = Field(default=1.0, ge=0)
    qi_min_unique_fraction: float = Field(default=0.05, ge=0, le=1)
    rationale: str = ""


class RetentionTerms(_Strict):
    """How long a bulk dataset may be held before its relevance is assessed, with the source.

    ``relevance_months``: months from acquisition within which the relevance
    must be assessed (art. 27 Wiv 2017: at most one and a half years).
    ``extension_months``: the longest a new end term may reach past the term
    in force (None: extensions are not checked).
    """

    relevance_months: int = Field(default=18, gt=0)
    relevance_source: str = ""
    extension_months: int | None = Field(default=None, gt=0)
    extension_source: str = ""
    assumption: bool = True
    rationale: str = ""


@dataclass(frozen=True)
class Profile:
    """What the rulebook scores: one dataset, or a linked set of datasets.

    Examples
    --------
    >>> Profile(frozenset({"contact"}), identifiable=True, persons=10.0, public=False)
    Profile(categories=frozenset({'contact'}), identifiable=True, persons=10.0, public=False)
    """

    categories: frozenset[str]
    identifiable: bool
    persons: float
    public: bool


@dataclass(frozen=True)
class Score:
    """A level with the ids of the rules that fired (highest level first)."""

    level: int
    rules: tuple[str, ...] = field(default=())


class Rulebook(_Strict):
    """A validated rulebook.

    Examples
    --------
    >>> rb = load_rulebook(default_rulebook_path())
    >>> rb.level_names()[0]
    'outside regime'
    >>> p = Profile(frozenset({"contact", "special_category"}), True, 5e4, False)
    >>> rb.score(p).level
    3
    """

    title: str
    illustrative: bool
    description: str = ""
    levels: list[Level] = Field(min_length=2)
    low_intrusion_level: int = Field(ge=0)
    identifiability: Identifiability = Identifiability()
    linkage: Linkage = Linkage()
    authorisation: Authorisation = Authorisation()
    costs: Costs = Costs()
    retention: RetentionTerms | None = None
    openness_variants: dict[str, OpennessVariant] = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)
    source_path: str | None = Field(default=None, exclude=True)

    @property
    def max_level(self) -> int:
        """The highest (heaviest) level."""
        return self.levels[-1].level

    def authorisation_cost(self, level: int) -> float:
        """Cost of one use at ``level``: of a dataset held there, or of a combination
        authorised case by case at that level (0 when not priced).

        ``costs.per_use``; a rulebook without it prices uses by ``authorisation.cost``.

        Examples
        --------
        >>> rb = load_rulebook(default_rulebook_path())
        >>> [rb.authorisation_cost(lv) for lv in range(4)]
        [0.0, 0.0, 0.2, 0.5]
        """
        schedule = self.costs.per_use
        costs = schedule.values if schedule is not None else self.authorisation.cost
        return float(costs[level]) if level < len(costs) else 0.0

    def _scheduled(self, kind: str, level: int, absent: float) -> float:
        """Cost schedule ``kind``'s value at ``level`` (0 beyond it); ``absent`` without one."""
        schedule = getattr(self.costs, kind)
        if schedule is None:
            return absent
        return float(schedule.values[level]) if level < len(schedule.values) else 0.0

    def dataset_use_cost(self, level: int) -> float:
        """Cost of one use of a dataset held at ``level``: ``costs.per_use`` (0 in a rulebook
        that prices no use of a dataset: one without ``costs.per_use``).

        Examples
        --------
        >>> [load_rulebook(default_rulebook_path()).dataset_use_cost(lv) for lv in range(4)]
        [0.0, 0.0, 0.2, 0.5]
        """
        return self._scheduled("per_use", level, 0.0)

    def one_off_cost(self, level: int) -> float:
        """Cost of placing a dataset of weight 1 at ``level`` (``costs.one_off``; without
        it, the level's number: each level raised costs 1, as before costs were priced).

        Examples
        --------
        >>> [load_rulebook(default_rulebook_path()).one_off_cost(lv) for lv in range(4)]
        [0.0, 1.0, 2.0, 3.0]
        """
        return self._scheduled("one_off", level, float(level))

    def per_year_cost(self, level: int) -> float:
        """Cost of holding a dataset at ``level`` for a year (``costs.per_year``; 0 without).

        Examples
        --------
        >>> [load_rulebook(default_rulebook_path()).per_year_cost(lv) for lv in range(4)]
        [0.0, 0.1, 0.3, 0.6]
        """
        return self._scheduled("per_year", level, 0.0)

    def with_costs_scaled(self, kind: str, factor: float) -> Rulebook:
        """This rulebook with one cost schedule (``one_off``, ``per_year`` or ``per_use``)
        multiplied by ``factor`` (the sensitivity analysis varies them).

        Examples
        --------
        >>> rb = load_rulebook(default_rulebook_path()).with_costs_scaled("per_use", 2.0)
        >>> rb.authorisation_cost(3)
        1.0
        """
        current = {"one_off": self.one_off_cost, "per_year": self.per_year_cost,
                   "per_use": self.authorisation_cost}[kind]
        old = getattr(self.costs, kind)
        schedule = CostSchedule(values=[current(lv.level) * factor for lv in self.levels],
                                assumption=old.assumption if old else True,
                                rationale=old.rationale if old else "")
        return self.model_copy(update={"costs": self.costs.model_copy(update={kind: schedule})})

    def level_names(self) -> list[str]:
        """Names of the levels, lowest first."""
        return [lv.name for lv in self.levels]

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def score(self, profile: Profile, taxonomy: Taxonomy | None = None) -> Score:
        """Level of a profile: the highest level among the rules that fire.

        A rule fires when every clause of its condition holds. The lowest level
        applies when no rule fires. Returns the level and the ids of the rules
        that fired, highest level first.
        """
        personal = (taxonomy or default_taxonomy()).personal
        cats, persons = profile.categories, profile.persons
        fired = []
        # The innermost loop of every sweep: the clauses inline, cheapest first.
        for rule in self._rules_by_level:
            c = rule.when
            if ((c.identifiable is not None and not profile.identifiable)
                    or (c.not_public is not None and profile.public)
                    or (c.min_persons is not None and persons < c.min_persons)
                    or not c.all_categories <= cats
                    or (c.any_categories and not c.any_categories & cats)
                    or (c.min_personal_categories is not None
                        and len(cats & personal) < c.min_personal_categories)):
                continue
            fired.append(rule)
        level = fired[0].level if fired else self.levels[0].level
        return Score(level, tuple(r.id for r in fired))

    def score_levels(self, categories: np.ndarray, identifiable: np.ndarray,
                     persons: np.ndarray, public: np.ndarray, bits: Mapping[str, int],
                     taxonomy: Taxonomy | None = None) -> np.ndarray:
        """:meth:`score`'s level of many profiles at once, the same rules clause by clause.

        ``categories`` holds each profile's categories as an integer bit mask
        (category ``c`` is bit ``bits[c]``; ``bits`` must name every category
        of the profiles, the rules and the taxonomy's personal ones, at most 63).

        Examples
        --------
        >>> rb = load_rulebook(default_rulebook_path())
        >>> bits = category_bits(rb)
        >>> p = Profile(frozenset({"contact", "special_category"}), True, 5e4, False)
        >>> mask = np.array([bits["contact"] | bits["special_category"]])
        >>> rb.score_levels(mask, np.array([True]), np.array([5e4]), np.array([False]),
        ...                 bits).tolist() == [rb.score(p).level]
        True
        """
        personal = (taxonomy or default_taxonomy()).personal
        n_personal = None
        level = np.full(len(categories), self.levels[0].level, dtype=np.int64)
        for rule in reversed(self._rules_by_level):  # the highest fired level last
            c = rule.when
            fires = np.ones(len(categories), dtype=bool)
            if c.identifiable is not None:
                fires &= identifiable
            if c.not_public is not None:
                fires &= ~public
            if c.min_persons is not None:
                fires &= persons >= c.min_persons
            if c.all_categories:
                need = _mask(c.all_categories, bits)
                fires &= (categories & need) == need
            if c.any_categories:
                fires &= (categories & _mask(c.any_categories, bits)) != 0
            if c.min_personal_categories is not None:
                if n_personal is None:  # a count per personal category: any numpy has it
                    n_personal = sum(((categories & bits[k]) != 0).astype(np.int64)
                                     for k in sorted(personal & bits.keys()))
                fires &= np.asarray(n_personal) >= c.min_personal_categories
            level[fires] = rule.level
        return level

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Rulebook:
        """A copy with fields updated; derived caches are dropped, not copied.

        (A copied ``_rules_by_level`` would keep scoring with the old rules.)

        Examples
        --------
        >>> rb = load_rulebook(default_rulebook_path())
        >>> p = Profile(frozenset({"contact", "special_category"}), True, 5e4, False)
        >>> rb.score(p).level, rb.model_copy(update={"rules": rb.rules[:1]}).score(p).level
        (3, 1)
        """
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("_rules_by_level", None)
        return copy

    @cached_property
    def _rules_by_level(self) -> tuple[Rule, ...]:
        """Rules, highest level first (stable): scoring reports them in this order."""
        return tuple(sorted(self.rules, key=lambda r: -r.level))


def category_bits(rulebook: Rulebook, categories: Iterable[str] = (),
                  taxonomy: Taxonomy | None = None) -> dict[str, int] | None:
    """One bit per category (the taxonomy's, the rules' and ``categories``), for
    :meth:`Rulebook.score_levels`; None when more than 63 categories do not fit a mask.

    Examples
    --------
    >>> bits = category_bits(load_rulebook(default_rulebook_path()))
    >>> bits["contact"] & bits["location"], len(bits) <= 63
    (0, True)
    """
    names = set((taxonomy or default_taxonomy()).categories) | set(categories)
    for rule in rulebook.rules:
        names |= rule.when.all_categories | rule.when.any_categories
    if len(names) > 63:
        return None
    return {name: 1 << i for i, name in enumerate(sorted(names))}


def _mask(names: Iterable[str], bits: Mapping[str, int]) -> int:
    """The bit mask of ``names``."""
    mask = 0
    for name in names:
        mask |= bits[name]
    return mask


def _cross_check(data: dict[str, Any], file: str, taxonomy: Taxonomy) -> list[Problem]:
    """Checks that span items: level numbering, rule levels, rule ids, taxonomy terms."""
    problems = []
    levels = [lv.get("level") for lv in data.get("levels") or [] if isinstance(lv, dict)]
    numbered = all(isinstance(n, int) for n in levels)
    if numbered and levels != list(range(len(levels))):
        problems.append(Problem(file, "levels", "level",
                                "levels must be numbered 0, 1, 2, … in order", levels))
    top = len(levels) - 1 if numbered else None
    costs = (data.get("authorisation") or {}).get("cost") if isinstance(
        data.get("authorisation"), dict) else None
    if numbered and isinstance(costs, list) and len(costs) != len(levels):
        problems.append(Problem(file, "authorisation", "cost",
                                f"one cost per level: {len(levels)} values, lowest level "
                                "first", costs))
    schedules = data.get("costs") if isinstance(data.get("costs"), dict) else {}
    for name, schedule in schedules.items():
        values = schedule.get("values") if isinstance(schedule, dict) else None
        if numbered and isinstance(values, list) and len(values) != len(levels):
            problems.append(Problem(file, f"costs.{name}", "values",
                                    f"one cost per level: {len(levels)} values, lowest level "
                                    "first", values))
    low = data.get("low_intrusion_level")
    if top is not None and isinstance(low, int) and low > top:
        problems.append(Problem(file, "", "low_intrusion_level",
                                f"above the highest level {top}", low))
    known = sorted(taxonomy.categories)
    seen: dict[Any, int] = {}
    for i, rule in enumerate(data.get("rules") or []):
        if not isinstance(rule, dict):
            continue
        where = f"rules[{i}] (id {rule.get('id')!r})"
        if rule.get("id") in seen:
            problems.append(Problem(file, where, "id", f"duplicate rule id (first used by "
                                    f"rules[{seen[rule.get('id')]}])", rule.get("id")))
        seen.setdefault(rule.get("id"), i)
        level = rule.get("level")
        if top is not None and isinstance(level, int) and level > top:
            problems.append(Problem(file, where, "level", f"rule {rule.get('id')!r} demands "
                                    f"level {level}, but the highest level is {top}", level))
        if not isinstance(rule.get("when"), dict):
            continue
        for clause in ("all_categories", "any_categories"):
            for cat in rule["when"].get(clause) or []:
                if cat not in taxonomy.categories:
                    problems.append(Problem(file, where, f"when.{clause}",
                                            f"unknown category; one of {known}", cat))
    return problems


def load_rulebook(path: str | Path, taxonomy: Taxonomy | None = None) -> Rulebook:
    """Load and validate a rulebook YAML file.

    Raises
    ------
    InputError
        Listing every problem with file, rule, field and value.

    Examples
    --------
    >>> rb = load_rulebook(default_rulebook_path())
    >>> list(rb.openness_variants)[:3]
    ['services', 'ctivd', 'ctivd_no_purchased']
    """
    data = read_yaml(path)
    problems: list[Problem] = []
    rulebook = None
    try:
        rulebook = Rulebook.model_validate({**data, "source_path": str(path)})
    except ValidationError as exc:
        problems += problems_from_validation_error(str(path), data, exc)
    except TypeError:
        problems.append(Problem(str(path), "", None, "must be a mapping", has_value=False))
    if isinstance(data, dict):
        problems += _cross_check(data, str(path), taxonomy or default_taxonomy())
    if problems or rulebook is None:
        raise InputError(problems)
    return rulebook


def openness_grounds(dataset: Dataset) -> frozenset[str]:
    """The grounds on which a dataset could count as publicly accessible.

    Examples
    --------
    >>> from bulkimpact.inventory import Dataset
    >>> d = Dataset(id="x", name="x", source="leaked", leaked=True, persons=1,
    ...             population="p", fields=[{"name": "e", "category": "contact"}])
    >>> sorted(openness_grounds(d))
    ['leaked']
    """
    grounds = set()
    if dataset.made_public_by_subjects:
        grounds.add("made_public_by_subjects")
    if dataset.source == "open":
        grounds.add("open_source")
    if dataset.leaked:
        grounds.add("leaked")
    if dataset.paid:
        grounds.add("paid")
    return frozenset(grounds)


def is_public(dataset: Dataset, rulebook: Rulebook, openness: str) -> bool:
    """Whether a dataset counts as publicly accessible under an openness variant."""
    variant = rulebook.openness_variants.get(openness)
    if variant is None:
        raise ValueError(f"unknown openness variant {openness!r}; "
                         f"this rulebook has {sorted(rulebook.openness_variants)}")
    grounds = openness_grounds(dataset)
    return bool(grounds & variant.counts_as_public) and not grounds & variant.excludes


def qi_identifiable(qis: QiCells, min_unique_fraction: float) -> bool:
    """Whether quasi-identifiers single out enough people in their population.

    A person counts as identifiable by quasi-identifiers when at least
    ``min_unique_fraction`` of the population is unique on them
    (:meth:`bulkimpact.estimates.QiCells.fraction_unique` with ``n`` = the
    population: its own cell sizes where it has them, else equally likely cells).

    Examples
    --------
    >>> qi_identifiable(QiCells({"dob": 36_500, "postcode": 450_000}, 17_900_000), 0.5)
    True
    >>> qi_identifiable(QiCells({"birth_year": 100}, 17_900_000), 0.5)
    False
    >>> qi_identifiable(QiCells({"date_of_birth": 36_500, "pc4": 4_000}, 17_900_000, "nl"), 0.7)
    False
    """
    if qis.uniqueness_model == "uniform" and qis.cells <= 1:
        return False
    return qis.fraction_unique(qis.population) >= min_unique_fraction


def dataset_profile(
    dataset: Dataset,
    inventory: Inventory,
    rulebook: Rulebook,
    openness: str,
    taxonomy: Taxonomy | None = None,
) -> Profile:
    """The profile of one dataset: categories, identifiability, persons, openness.

    Identifiable when a field's category identifies on its own (taxonomy
    ``identifying``), or when the dataset's quasi-identifiers together are
    unique enough in its population (:func:`qi_identifiable`).
    """
    taxonomy = taxonomy or default_taxonomy()
    categories = dataset.categories()
    population = inventory.population(dataset.population)
    qis = QiCells(dataset.quasi_identifiers(taxonomy), population.size, population.cells)
    identifiable = bool(categories & taxonomy.identifying_categories()) or qi_identifiable(
        qis, rulebook.identifiability.min_unique_fraction)
    return Profile(
        categories=categories,
        identifiable=identifiable,
        persons=float(dataset.persons),
        public=is_public(dataset, rulebook, openness),
    )
