"""One analysis: validated notebook parameters and everything computed from them.

Every notebook starts the same way: its ``parameters`` cell (papermill) names
an inventory, a rulebook, an openness variant, a seed and a few policy
parameters; :func:`load_analysis` validates them once at the boundary (clear
errors naming the parameter and what is allowed), loads the inputs, builds the
linkage graph and evaluates the policies. Notebooks then only show results.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ._version import __version__
from .assessor import Assessor
from .combinations import (
    EXPOSURE_KINDS,
    SET_PERSON_UNITS,
    ExposureSet,
    NotJudged,
    exposure_set_counts,
    exposure_sets_frame,
)
from .evaluate import POLICY_UNITS, Evaluation
from .files import sha256
from .inventory import Inventory, load_inventory
from .limits import check_combination_budget
from .linkage import build_linkage_graph
from .parameters import (
    DEFAULT_INCLUDE,
    DEFAULT_OPENNESS,
    READINGS,
    ParameterError,
    PolicyParams,
    policy_params,
)
from .policies import POLICIES
from .registry import HEADLINE
from .rulebook import Rulebook, default_rulebook_path, load_rulebook
from .verdict import Verdict, verdict

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Analysis", "load_analysis", "ParameterError", "HEADLINE_METRICS"]

#: The figures the headline table shows per decision rule and openness reading.
HEADLINE_METRICS = HEADLINE


@dataclass
class Analysis:
    """Inputs, linkage graph, exposure sets and policy outcomes of one run.

    Examples
    --------
    >>> a = load_analysis("data/synthetic/baseline.yaml", openness="services")
    >>> a.graph.number_of_nodes() == len(a.inventory.datasets)
    True
    >>> "minimal_escalation" in a.evaluation.outcomes
    True
    """

    inventory_path: str
    rulebook_path: str
    openness: str
    seed: int
    inventory: Inventory
    rulebook: Rulebook
    params: PolicyParams = field(default_factory=PolicyParams)
    include: tuple[str, ...] = DEFAULT_INCLUDE
    policies: tuple[str, ...] = tuple(POLICIES)
    _by_openness: dict[str, Analysis] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def graph(self) -> nx.Graph:
        """The linkage graph under this openness variant."""
        return build_linkage_graph(self.inventory, self.rulebook, self.openness)

    @cached_property
    def assessor(self) -> Assessor:
        """The one assessor of this analysis: every rule, on the whole inventory or a held
        subset (the timeline's)."""
        return Assessor(self.graph, self.rulebook, self.params, self.include, self.policies)

    @property
    def sets(self) -> list[ExposureSet]:
        """The exposure sets the policies are judged on."""
        return list(self.evaluation.sets)

    @property
    def evaluation(self) -> Evaluation:
        """Every policy measured on :attr:`sets`."""
        return self.assessor.evaluate()

    def with_openness(self, openness: str) -> Analysis:
        """The same analysis under another openness variant.

        Reuses the loaded inputs, and each variant is built once: the analyses
        of one inventory share a memo, so a notebook asking twice pays once.

        Examples
        --------
        >>> a = load_analysis("data/synthetic/baseline.yaml", openness="ctivd")
        >>> b = a.with_openness("services")
        >>> a.with_openness("ctivd") is a, a.with_openness("services") is b
        (True, True)
        """
        if openness not in self.rulebook.openness_variants:
            raise ParameterError(f"openness {openness!r} is not a variant of {self.rulebook_path}; "
                                 f"allowed: {sorted(self.rulebook.openness_variants)}")
        self._by_openness.setdefault(self.openness, self)
        if openness not in self._by_openness:
            self._by_openness[openness] = replace(self, openness=openness)
        return self._by_openness[openness]

    def readings(self, readings: tuple[str, ...] = READINGS) -> dict[str, Analysis]:
        """This analysis under each openness reading the rulebook defines (ministers' first)."""
        return {r: self.with_openness(r) for r in readings if r in self.rulebook.openness_variants}

    def evaluate_readings(self, readings: tuple[str, ...] = READINGS) -> None:
        """Evaluate this analysis and each reading side by side, one thread per core.

        The readings share nothing that changes: each has its own graph,
        assessor and verdict. What runs side by side is minimal escalation's
        solver, which lets the other thread run while it works; the answers are
        the same as one after another.
        """
        family = [self, *(a for a in self.readings(readings).values() if a is not self)]
        with ThreadPoolExecutor(max_workers=min(len(family), os.cpu_count() or 1)) as pool:
            # each reading's verdict too: its solves run while the other thread works
            for _ in pool.map(lambda a: (a.evaluation, a.verdict), family):
                pass

    def headline_frame(self, metrics: tuple[str, ...] = HEADLINE_METRICS) -> pd.DataFrame:
        """Decision rules (rows) × openness readings and metrics (columns).

        Examples
        --------
        >>> a = load_analysis("data/synthetic/sparse.yaml", policies=["per_dataset"])
        >>> a.headline_frame(("under_protected",)).columns.tolist()[:2]
        [('services', 'under_protected'), ('ctivd', 'under_protected')]
        """
        import pandas as pd

        return pd.concat({r: a.evaluation.to_frame()[list(metrics)]
                          for r, a in self.readings().items()}, axis=1)

    def to_json(self, readings: bool = True) -> dict[str, Any]:
        """The ``assess --json`` record: a view of this analysis (a contract: keys are added).

        With ``readings``, ``readings`` holds each headline reading's policy
        figures and Pareto set, so the headline table can be recomputed.
        """
        if readings:
            _ = self.graph  # built once, before any thread asks for it
            # what the exposure sets leave out, counted while the readings are solved (HiGHS
            # lets this thread run meanwhile)
            with ThreadPoolExecutor(max_workers=1) as side:
                counting = side.submit(lambda: self.not_judged)
                self.evaluate_readings()
                counting.result()
        G, ev = self.graph, self.evaluation
        record: dict[str, Any] = {
            "inventory": self.inventory_path,
            "rulebook": self.rulebook_path,
            "openness": self.openness,
            "openness_definition": self.rulebook.openness_variants[self.openness].definition,
            "levels": [{"level": lv.level, "name": lv.name,
                        "authorisation_cost": self.rulebook.authorisation_cost(lv.level)}
                       for lv in self.rulebook.levels],
            "datasets": [
                {"id": n, "level": a["level"], "rules": a["rules"], "persons": a["persons"],
                 "cost": a["cost"], "public": a["public"], "name": a["name"],
                 "identifiable": a["identifiable"], "categories": a["categories"],
                 "population": a["population"], "fraction_unique": a["fraction_unique"],
                 "uniqueness_model": a["uniqueness_model"]}
                for n, a in G.nodes(data=True)
            ],
            "edges": [
                {"a": a, "b": b, "keys": e["keys"], "expected_links": e["expected_links"],
                 "strength": e["strength"], "source": e["source"], "qis": e["qis"],
                 "expected_overlap": e["expected_overlap"], "false_links": e["false_links"],
                 "assumptions": e["assumptions"]}
                for a, b, e in G.edges(data=True)
            ],
            "exposure_sets": [
                {"members": list(s.members), "kind": s.kind, "level": s.level,
                 "persons": s.persons, "rules": list(s.rules), "member_level": s.member_level,
                 "label": s.label, "persons_held": s.persons_held,
                 "uses_per_year": s.uses_per_year, "grounded": s.grounded}
                for s in ev.sets
            ],
            "exposure_set_counts": exposure_set_counts(G, ev.sets),
            "exposure_set_units": dict(SET_PERSON_UNITS),
            "policies": {name: o.to_json() for name, o in ev.outcomes.items()},
            "policy_units": dict(POLICY_UNITS),
            "pareto": list(ev.pareto),
            "pareto_axes": ["under_protected", "total_burden"],
            "break_even_use_rate": ev.break_even_use_rate,
            "params": self.assessor.params.to_json(),
            "horizon_source": self.assessor.horizon_source,
            "include": list(self.include),
            "inputs": {
                "inventory_sha256": sha256(self.inventory_path),
                "rulebook_sha256": sha256(self.rulebook_path),
            },
            "fictional": self.inventory.fictional,
            "illustrative_rulebook": self.rulebook.illustrative,
            "bulkimpact_version": __version__,
        }
        record["not_judged"] = self.not_judged.to_json()
        # this reading's verdict as conditions (each reading's is under "readings")
        record["verdict"] = self.verdict.to_json()
        if readings:
            record["readings"] = {
                r: {"definition": a.rulebook.openness_variants[r].definition,
                    "label": a.rulebook.openness_variants[r].label,
                    "pareto": list(a.evaluation.pareto),
                    "break_even_use_rate": a.evaluation.break_even_use_rate,
                    "policies": {n: {m: getattr(o, m) for m in HEADLINE_METRICS}
                                 for n, o in a.evaluation.outcomes.items()},
                    **a.verdict.to_json()}
                for r, a in self.readings().items()}
        return record

    @cached_property
    def not_judged(self) -> NotJudged:
        """What the exposure sets leave out: the linked combinations one dataset larger than
        ``max_set_size`` that are heavier than all their parts
        (:func:`bulkimpact.combinations.not_judged`)."""
        from .combinations import not_judged

        return not_judged(self.graph, self.rulebook, self.params.max_set_size,
                          self.params.max_sets)

    @cached_property
    def verdict(self) -> Verdict:
        """Which protecting rule is cheapest under which conditions (:mod:`bulkimpact.verdict`):
        the decision map, tipping points and rank shares of this reading."""
        return verdict(self.assessor, self.evaluation, seed=self.seed)

    def level_name(self, level: int) -> str:
        """Name of a regime level, e.g. ``"2 medium"``."""
        return f"{level} {self.rulebook.levels[level].name}"

    def levels_by_openness(self, variants: list[str] | None = None) -> pd.DataFrame:
        """Each dataset's own level (rows) under each openness reading (columns).

        Examples
        --------
        >>> a = load_analysis("data/synthetic/baseline.yaml")
        >>> list(a.levels_by_openness(["services", "ctivd"]).columns)
        ['services', 'ctivd']
        """
        import pandas as pd

        variants = variants or list(self.rulebook.openness_variants)
        return pd.DataFrame({
            v: pd.Series(dict(self.with_openness(v).graph.nodes(data="level")))
            for v in variants})

    def level_counts(self, levels: pd.DataFrame) -> pd.DataFrame:
        """Datasets per level (rows named like ``"2 medium"``) for each column of ``levels``."""
        import pandas as pd

        counts = pd.DataFrame({v: levels[v].value_counts().reindex(
            range(len(self.rulebook.levels)), fill_value=0) for v in levels.columns})
        counts.index = [self.level_name(i) for i in counts.index]
        return counts

    def parameters_frame(self) -> pd.DataFrame:
        """The validated parameters and input hashes, as a table for the report.

        Input files are named as a reader can find them (a bundled file by its
        bundled name, not its site-packages path: :func:`bulkimpact.resources.display_name`).
        """
        import pandas as pd

        from .resources import display_name

        rows = [
            ("inventory", display_name(self.inventory_path)),
            ("inventory SHA-256", sha256(self.inventory_path)),
            ("inventory is fictional", "yes" if self.inventory.fictional else "no"),
            ("rulebook", display_name(self.rulebook_path)),
            ("rulebook SHA-256", sha256(self.rulebook_path)),
            ("rulebook is an illustrative assumption",
             "yes" if self.rulebook.illustrative else "no"),
            ("openness variant", f"{self.openness}: "
                                 f"{self.rulebook.openness_variants[self.openness].label}"),
            ("openness definition", self.rulebook.openness_variants[self.openness].definition
             or "(the rulebook gives none)"),
            ("exposure sets judged", ", ".join(self.include)),
            ("seed", str(self.seed)),
            *((f"policy parameter {k}", str(v))
              for k, v in self.assessor.params.to_json().items()),
            ("bulkimpact version", __version__),
        ]
        return pd.DataFrame(rows, columns=["parameter", "value"]).set_index("parameter")

    def datasets_frame(self) -> pd.DataFrame:
        """One row per dataset: what it holds and its level on its own, with why."""
        import pandas as pd

        G = self.graph
        rows = []
        for d in self.inventory.datasets:
            node = G.nodes[d.id]
            rows.append({
                "dataset": d.id,
                "name": d.name,
                "source": d.source,
                "persons": d.persons,
                "categories": ", ".join(node["categories"]),
                "public": node["public"],
                "identifiable": node["identifiable"],
                "level": self.level_name(node["level"]),
                "rules that fired": ", ".join(node["rules"]) or "(none)",
            })
        return pd.DataFrame(rows).set_index("dataset")

    def edges_frame(self) -> pd.DataFrame:
        """One row per link: keys/QIs, expected overlap and links, strength, assumptions."""
        import pandas as pd

        rows = [{
            "a": a, "b": b,
            "linked through": ", ".join(e["keys"] + e["qis"]),
            "expected shared persons": e["expected_overlap"],
            "expected links": e["expected_links"],
            "strength": e["strength"],
            "source": e["source"],
            "assumptions": "; ".join(e["assumptions"]),
        } for a, b, e in self.graph.edges(data=True)]
        return pd.DataFrame(rows)

    def sets_frame(self) -> pd.DataFrame:
        """Exposure sets as a table."""
        return exposure_sets_frame(self.sets)


def load_analysis(
    inventory: str | Path | None,
    rulebook: str | Path | None = None,
    openness: str = DEFAULT_OPENNESS,
    seed: int = 0,
    include: tuple[str, ...] | list[str] = DEFAULT_INCLUDE,
    policies: tuple[str, ...] | list[str] | None = None,
    **params: Any,
) -> Analysis:
    """Validate notebook parameters and load the inputs.

    Parameters
    ----------
    inventory, rulebook : path or None
        Inventory (YAML/CSV) and rulebook YAML, relative to the working
        directory; None means the bundled ``data/synthetic/baseline.yaml`` and
        ``data/rulebooks/default.yaml`` (:mod:`bulkimpact.resources`).
    openness : str
        An openness variant the rulebook defines.
    seed : int
    include : sequence of str
        Exposure-set kinds (see :func:`bulkimpact.combinations.exposure_sets`).
    policies : sequence of str, optional
        Default all.
    **params
        Decision-rule parameters (:class:`bulkimpact.parameters.PolicyParams`:
        ``k``, ``t``, ``time_limit``, ``use_rate``, ``horizon_years``,
        ``max_set_size``, ``max_sets``).

    Raises
    ------
    ParameterError
        Naming the parameter, the value and what is allowed.
    bulkimpact.problems.InputError
        For problems inside the inventory or rulebook files, and for an inventory that
        could form more links than ``max_sets``
        (:func:`bulkimpact.limits.check_combination_budget`).
    """
    from .resources import default_inventory_path

    inventory = default_inventory_path() if inventory is None else inventory
    rulebook = rulebook or default_rulebook_path()
    for name, path in (("inventory", inventory), ("rulebook", rulebook)):
        if not Path(path).exists():
            raise ParameterError(f"parameter {name!r}: no such file or directory: {path}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ParameterError(f"parameter 'seed': must be an integer, got {seed!r}")
    checked = policy_params(params)
    bad_kinds = sorted(set(include) - set(EXPOSURE_KINDS))
    if bad_kinds:
        raise ParameterError(f"parameter 'include': unknown kinds {bad_kinds}; allowed: "
                             f"{list(EXPOSURE_KINDS)}")
    names = tuple(policies) if policies is not None else tuple(POLICIES)
    bad_policies = sorted(set(names) - set(POLICIES))
    if bad_policies:
        raise ParameterError(f"parameter 'policies': unknown {bad_policies}; allowed: "
                             f"{sorted(POLICIES)}")
    rb = load_rulebook(rulebook)
    if openness not in rb.openness_variants:
        raise ParameterError(f"parameter 'openness': {openness!r} is not a variant of "
                             f"{rulebook}; allowed: {sorted(rb.openness_variants)}")
    inv = load_inventory(inventory)
    check_combination_budget(inv, checked.max_sets, checked.max_set_size)
    return Analysis(
        inventory_path=str(inventory), rulebook_path=str(rulebook), openness=openness,
        seed=seed, inventory=inv, rulebook=rb,
        params=checked, include=tuple(include), policies=names,
    )
