"""Record-level synthetic world: a seeded population, extracts, exact measurement.

Every overlap, uniqueness and link that :mod:`bulkimpact.estimates` predicts is
counted here exactly, on persons, so the closed forms can be validated and a
reviewer can see concretely how combining two innocuous sets names people.

- :mod:`~bulkimpact.synth.population`: the seeded Dutch-like population.
- :mod:`~bulkimpact.synth.extracts`: datasets as noisy, biased samples of it.
- :mod:`~bulkimpact.synth.measure`: exact uniqueness, overlap and links (DuckDB).
- :mod:`~bulkimpact.synth.validate`: exact versus analytic per pair of an inventory,
  in one world per reference population.
- the validation beside the linkage graph, with the sentences a report states, is
  presentation: :mod:`bulkimpact.present.validation`.
- :mod:`~bulkimpact.synth.mosaic`: two innocuous extracts that together name persons.
- :mod:`~bulkimpact.synth.cli`: ``bulkimpact synth population|uniqueness|validate``.
"""

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
