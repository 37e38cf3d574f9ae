"""Record-level synthetic world: a seeded population, extracts, exact measurement.

Every overlap, uniqueness and link that :mod:`bulkimpact.estimates` predicts is
counted here exactly, on persons, so the closed forms can be validated and a
reviewer can see concretely how combining two innocuous sets names people.

- :mod:`~bulkimpact.synth.population`: the seeded Dutch-like population.
- :mod:`~bulkimpact.synth.extracts`: datasets as noisy, biased samples of it.
- :mod:`~bulkimpact.synth.measure`: exact uniqueness, overlap and links (DuckDB).
- :mod:`~bulkimpact.synth.validate`: exact versus analytic per pair of an inventory,
  in one world per reference population.
- :mod:`~bulkimpact.synth.reconcile`: the validation's pairs beside the linkage graph, and
  why the two differ (the sentences a report states are presentation:
  :mod:`bulkimpact.present.validation`).
- :mod:`~bulkimpact.synth.mosaic`: two innocuous extracts that together name persons.
- :mod:`~bulkimpact.synth.cli`: ``bulkimpact synth population|uniqueness|validate``.
"""

from typing import TYPE_CHECKING, Any

#: Public name -> the submodule that defines it (loaded on first use: ``bulkimpact synth
#: uniqueness`` then imports DuckDB and what measures, not the inventory and graph code).
_EXPORTS = {
    "ExtractSpec": "extracts", "draw_extract": "extracts",
    "DEFAULT_QI_SETS": "measure", "LinkCount": "measure", "SourceError": "measure",
    "Uniqueness": "measure", "calibration_table": "measure", "connect": "measure",
    "key_links": "measure", "links": "measure", "overlap": "measure", "qi_links": "measure",
    "uniqueness": "measure", "uniqueness_table": "measure",
    "MosaicResult": "mosaic", "mosaic_example": "mosaic",
    "KOOT_2010": "population", "NL_PERSONS": "population", "PopulationParams": "population",
    "calibrate_age_tilt": "population", "population_table": "population",
    "write_population": "population",
    "Validation": "validate", "reference_populations": "validate",
    "validate_inventory": "validate",
}

if TYPE_CHECKING:
    from .extracts import ExtractSpec, draw_extract
    from .measure import (
        DEFAULT_QI_SETS,
        LinkCount,
        SourceError,
        Uniqueness,
        calibration_table,
        connect,
        key_links,
        links,
        overlap,
        qi_links,
        uniqueness,
        uniqueness_table,
    )
    from .mosaic import MosaicResult, mosaic_example
    from .population import (
        KOOT_2010,
        NL_PERSONS,
        PopulationParams,
        calibrate_age_tilt,
        population_table,
        write_population,
    )
    from .validate import (
        Validation,
        reference_populations,
        validate_inventory,
    )


__all__ = [
    "DEFAULT_QI_SETS",
    "ExtractSpec",
    "KOOT_2010",
    "LinkCount",
    "MosaicResult",
    "NL_PERSONS",
    "PopulationParams",
    "SourceError",
    "Uniqueness",
    "Validation",
    "calibrate_age_tilt",
    "calibration_table",
    "connect",
    "draw_extract",
    "key_links",
    "links",
    "mosaic_example",
    "overlap",
    "population_table",
    "qi_links",
    "reference_populations",
    "uniqueness",
    "uniqueness_table",
    "validate_inventory",
    "write_population",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
