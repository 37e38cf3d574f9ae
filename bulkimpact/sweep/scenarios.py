"""Sweep scenarios: seeded random inventories with a controlled linkage density, and the
sweep configuration (a grid of scenario parameters, validated on load)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..inventory import Inventory, parse_inventory
from ..parameters import policy_params
from ..policies import POLICIES
from ..problems import InputError, problems_from_validation_error, read_yaml
from ..rulebook import Rulebook, default_rulebook_path, load_rulebook
from ..seeds import child_seed
from ..taxonomy import KeyNamespace, Taxonomy, default_taxonomy

__all__ = ["Scenario", "SweepGrid", "SweepConfig", "random_inventory", "scale_rulebook",
           "load_sweep_config", "expand_scenarios"]

POPULATION = 17_900_000
#: Categories drawn for synthetic datasets, with relative weights (common ones first).
CATEGORY_WEIGHTS = {
    "contact": 0.45, "online_identifier": 0.35, "demographic": 0.35, "location": 0.2,
    "financial": 0.15, "travel": 0.12, "comms_metadata": 0.12, "direct_identifier": 0.15,
    "special_category": 0.06, "criminal": 0.04, "comms_content": 0.03,
}
SHARED_KEYS = ("email", "phone", "username", "ip", "device", "iban", "passport",
               "licence_plate", "name_dob", "bsn")


@dataclass(frozen=True)
class Scenario:
    """One generated inventory setting; ``seed`` fixes everything random in it."""

    index: int
    seed: int
    n_datasets: int = 30
    model: str = "shared_key"
    density: float = 0.05
    leaked_share: float = 0.3
    paid_share: float = 0.1
    technical_share: float = 0.1
    min_persons: float = 1e3
    max_persons: float = 1e7
    openness: str = "ctivd"
    rulebook: str = ""
    threshold_scale: float = 1.0


def _seed_for(base_seed: int, index: int) -> int:
    """A stable per-scenario seed (independent of worker, order and platform)."""
    return child_seed(base_seed, index)


def _round(x: float, decimals: int) -> float:
    """``float(np.round(x, decimals))`` without numpy's per-scalar overhead (~7 µs a call).

    Same algorithm as numpy (scale by ``10**decimals``, round half to even,
    divide back), so the same float to the last bit.

    Examples
    --------
    >>> _round(0.8125, 3) == float(np.round(0.8125, 3)), _round(1.005, 2)
    (True, 1.0)
    """
    scale = 10.0 ** decimals
    return round(x * scale) / scale


def random_inventory(
    seed: int,
    n_datasets: int = 30,
    model: Literal["shared_key", "random_graph"] = "shared_key",
    density: float = 0.05,
    leaked_share: float = 0.3,
    paid_share: float = 0.1,
    technical_share: float = 0.1,
    min_persons: float = 1e3,
    max_persons: float = 1e7,
) -> tuple[Inventory, Taxonomy]:
    """A random fictional inventory with a controlled linkage density.

    Parameters
    ----------
    seed : int
        Everything random follows from it.
    n_datasets : int
    model : {"shared_key", "random_graph"}
        ``shared_key``: each dataset holds each of ten key namespaces with
        probability ``density`` (links arise from shared keys, so hubs and
        a giant component appear as density grows). ``random_graph``: each
        pair of datasets is linked with probability ``density`` through a key
        namespace of its own (Erdős–Rényi).
    leaked_share, paid_share, technical_share : float
        Shares of leaked, purchased and mainly technical datasets.
    min_persons, max_persons : float
        Sizes are log-uniform between these.

    Returns
    -------
    (Inventory, Taxonomy)
        The taxonomy is the bundled one, extended with per-edge key
        namespaces for the random-graph model.

    Examples
    --------
    >>> inv, tax = random_inventory(seed=1, n_datasets=5, density=0.3)
    >>> len(inv.datasets), inv.fictional
    (5, True)
    >>> random_inventory(seed=1, n_datasets=5)[0] == random_inventory(seed=1, n_datasets=5)[0]
    True
    """
    if model not in ("shared_key", "random_graph"):
        raise ValueError(f"model must be 'shared_key' or 'random_graph', got {model!r}")
    rng = np.random.default_rng(seed)
    taxonomy = default_taxonomy()
    cats = list(CATEGORY_WEIGHTS)
    probs = [CATEGORY_WEIGHTS[c] for c in cats]  # floats: compared once per draw
    pair_keys: dict[int, list[str]] = {i: [] for i in range(n_datasets)}
    if model == "random_graph":
        namespaces = dict(taxonomy.key_namespaces)
        for i, j in itertools.combinations(range(n_datasets), 2):
            if rng.random() < density:
                name = f"link-{i}-{j}"
                namespaces[name] = KeyNamespace(label=f"generated link {i}–{j}")
                pair_keys[i].append(name)
                pair_keys[j].append(name)
        taxonomy = Taxonomy(categories=taxonomy.categories, key_namespaces=namespaces)
    datasets = []
    for i in range(n_datasets):
        technical = rng.random() < technical_share
        leaked = not technical and rng.random() < leaked_share
        paid = not technical and not leaked and rng.random() < paid_share
        persons = int(math.exp(rng.uniform(math.log(min_persons), math.log(max_persons))))
        fields: list[dict[str, Any]] = []
        if technical:
            fields.append({"name": "netflow", "category": "technical"})
        else:
            chosen = [c for c, p in zip(cats, probs, strict=True) if rng.random() < p]
            for c in chosen or ["contact"]:
                if c == "demographic":
                    fields += [{"name": "date_of_birth", "category": c, "cardinality": 36_500},
                               {"name": "pc4", "category": c, "cardinality": 4_000}]
                else:
                    fields.append({"name": c, "category": c})
        keys = ([k for k in SHARED_KEYS if rng.random() < density]
                if model == "shared_key" else pair_keys[i])
        for k in keys:
            category = "technical" if technical and k == "ip" else (
                "contact" if k in ("email", "phone") else "online_identifier")
            fields.append({"name": f"key_{k}", "category": category, "key": k,
                           "match_quality": _round(rng.uniform(0.6, 1.0), 3)})
        source = "leaked" if leaked else "purchased" if paid else (
            "open" if rng.random() < 0.1 else "government")
        datasets.append({
            "id": f"d{i:03d}", "name": f"synthetic dataset {i}", "source": source,
            "leaked": leaked, "paid": paid, "technical_only": technical,
            "made_public_by_subjects": source == "open" and rng.random() < 0.5,
            "persons": persons, "population": "nl", "fields": fields,
            "cost": _round(rng.uniform(0.5, 2.0), 2),
        })
    data = {
        "title": f"random inventory (fictional, seed {seed})", "fictional": True,
        "populations": [{"id": "nl", "size": POPULATION}], "datasets": datasets,
    }
    return parse_inventory(data, f"<random seed={seed}>", taxonomy), taxonomy


def scale_rulebook(rulebook: Rulebook, scale: float) -> Rulebook:
    """The rulebook with every ``min_persons`` threshold multiplied by ``scale``.

    Examples
    --------
    >>> rb = load_rulebook(default_rulebook_path())
    >>> big = scale_rulebook(rb, 10)
    >>> big.rule("identifiable-large").when.min_persons
    10000000.0
    """
    if scale == 1.0:
        return rulebook
    rules = [
        r.model_copy(update={"when": r.when.model_copy(update={
            "min_persons": r.when.min_persons * scale})}) if r.when.min_persons else r
        for r in rulebook.rules
    ]
    return rulebook.model_copy(update={"rules": rules})


#: The most datasets one scenario may have, and the most scenarios one sweep may run.
MAX_SCENARIO_DATASETS = 2_000
MAX_SCENARIOS = 10_000

_Share = Annotated[float, Field(ge=0, le=1)]
_Persons = Annotated[float, Field(ge=1, le=POPULATION)]


class SweepGrid(BaseModel):
    """Scenario parameters; every list is a grid axis, the sweep runs their product. Every
    number must be finite and in range (shares and densities 0–1, persons 1–the population).

    Attributes
    ----------
    n_datasets : list of int, default [30]
        Datasets per generated inventory.
    model : list of {"shared_key", "random_graph"}, default ["shared_key"]
        Shared-key model (each dataset holds each key namespace with chance
        ``density``) or random graph (each pair linked with chance ``density``).
    density : list of float, default [0.05]
        Linkage density of the model.
    leaked_share, paid_share, technical_share : list of float, defaults [0.3], [0.1], [0.1]
        Shares of datasets from a leak, bought, and technical-only.
    min_persons, max_persons : list of float, defaults [1e3], [1e7]
        Dataset sizes are log-uniform in ``[min_persons, max_persons]`` (the size mix).
    openness : list of str, default ["ctivd"]
        Openness readings of the rulebook.
    threshold_scale : list of float, default [1.0]
        Multiplies every ``min_persons`` threshold of the rulebook.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    n_datasets: list[Annotated[int, Field(ge=2, le=MAX_SCENARIO_DATASETS)]] = Field(
        default=[30], min_length=1)
    model: list[Literal["shared_key", "random_graph"]] = Field(default=["shared_key"],
                                                                min_length=1)
    density: list[_Share] = Field(default=[0.05], min_length=1)
    leaked_share: list[_Share] = Field(default=[0.3], min_length=1)
    paid_share: list[_Share] = Field(default=[0.1], min_length=1)
    technical_share: list[_Share] = Field(default=[0.1], min_length=1)
    min_persons: list[_Persons] = Field(default=[1e3], min_length=1)
    max_persons: list[_Persons] = Field(default=[1e7], min_length=1)
    openness: list[str] = Field(default=["ctivd"], min_length=1)
    threshold_scale: list[Annotated[float, Field(gt=0, le=1e6)]] = Field(default=[1.0],
                                                                         min_length=1)

    def points(self) -> int:
        """The number of grid points (the product of the axes' lengths)."""
        return math.prod(len(v) for v in self.model_dump().values())


class SweepConfig(BaseModel):
    """A sweep: a grid of scenario parameters, replicates, policies and their parameters.

    Read from YAML by :func:`load_sweep_config`; every field is optional. The
    bundled ``data/sweeps/example.yaml`` shows each one with a comment.

    Attributes
    ----------
    name : str, default "sweep"
        Shown in the summary.
    seed : int, default 0
        Base seed; each scenario gets its own stable seed from it.
    replicates : int ≥ 1, default 1
        Seeded inventories per grid point.
    rulebook : str or None
        Rulebook YAML (default: the bundled illustrative rulebook).
    grid : SweepGrid
        The scenario parameters, each a list (an axis of the grid).
    policies : list of str, default all six
        Decision rules to evaluate (``bulkimpact.policies.POLICIES``).
    params : dict of str to float
        Decision-rule parameters (``k``, ``t``, ``use_rate``, …, as
        :class:`bulkimpact.parameters.PolicyParams`).

    Examples
    --------
    >>> config = load_sweep_config("data/sweeps/example.yaml")
    >>> config.replicates, config.grid.n_datasets, len(expand_scenarios(config))
    (2, [10, 20], 8)
    >>> SweepConfig(replicates=2, grid={"density": [0.01, 0.1]}).scenarios()
    4
    >>> try:
    ...     SweepConfig(replicates=10**12)
    ... except ValueError as e:
    ...     print(str(e).splitlines()[2].strip()[:40])
    Input should be less than or equal to 10
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str = "sweep"
    seed: int = Field(default=0, ge=0)
    replicates: int = Field(default=1, ge=1, le=MAX_SCENARIOS)
    rulebook: str | None = None
    grid: SweepGrid = SweepGrid()
    policies: list[str] = Field(default_factory=lambda: list(POLICIES))
    params: dict[str, float] = Field(default_factory=dict)

    def scenarios(self) -> int:
        """The number of scenarios: grid points × replicates."""
        return self.grid.points() * self.replicates

    @model_validator(mode="after")
    def _bounded(self) -> SweepConfig:
        if self.scenarios() > MAX_SCENARIOS:
            raise ValueError(f"{self.grid.points():,} grid points × {self.replicates:,} "
                             f"replicates make {self.scenarios():,} scenarios; a sweep runs at "
                             f"most {MAX_SCENARIOS:,}: shorten a grid axis or replicates, or "
                             "split the sweep")
        return self


def load_sweep_config(path: str | Path) -> SweepConfig:
    """Load and validate a sweep configuration YAML file."""
    data = read_yaml(path)
    try:
        config = SweepConfig.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation_error(str(path), data, exc)) from None
    unknown = sorted(set(config.policies) - set(POLICIES))
    if unknown:
        raise ValueError(f"{path}: field 'policies': unknown {unknown}; "
                         f"choose from {sorted(POLICIES)}")
    try:
        policy_params(config.params)
    except ValueError as exc:
        raise ValueError(f"{path}: field 'params': {exc}") from None
    rulebook = load_rulebook(config.rulebook or default_rulebook_path())
    bad = sorted(set(config.grid.openness) - set(rulebook.openness_variants))
    if bad:
        raise ValueError(f"{path}: field 'grid.openness': unknown readings {bad}; the rulebook "
                         f"has {sorted(rulebook.openness_variants)}")
    return config


def expand_scenarios(config: SweepConfig) -> list[Scenario]:
    """Every grid point × replicate, each with its own stable seed.

    Examples
    --------
    >>> cfg = SweepConfig(replicates=2, grid={"density": [0.01, 0.1]})
    >>> [(s.density, s.index) for s in expand_scenarios(cfg)]
    [(0.01, 0), (0.01, 1), (0.1, 2), (0.1, 3)]
    """
    grid = config.grid.model_dump()
    axes = list(grid)
    rulebook = config.rulebook or str(default_rulebook_path())
    scenarios = []
    for values in itertools.product(*(grid[a] for a in axes)):
        for _ in range(config.replicates):
            index = len(scenarios)
            scenarios.append(Scenario(index=index, seed=_seed_for(config.seed, index),
                                      rulebook=rulebook, **dict(zip(axes, values, strict=True))))
    return scenarios
