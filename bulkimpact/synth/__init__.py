"""Record-level synthetic world: a seeded population, extracts, exact measurement.

Every overlap, uniqueness and link that :mod:`bulkimpact.estimates` predicts is
counted here exactly, on persons, so the closed forms can be validated and a
reviewer can see concretely how combining two innocuous sets names people.
"""

from .population import (
    KOOT_2010,
    NL_PERSONS,
    PopulationParams,
    calibrate_age_tilt,
    population_table,
    write_population,
)

__all__ = [
    "KOOT_2010",
    "NL_PERSONS",
    "PopulationParams",
    "calibrate_age_tilt",
    "population_table",
    "write_population",
]
