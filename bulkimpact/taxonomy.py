"""Taxonomy of field categories and linkage-key namespaces, kept as data.

The bundled taxonomy (``bulkimpact/data/taxonomy.yaml``) lists the categories a
dataset's fields can fall in and the key namespaces through which records in
different datasets can be joined. Analysts can extend it with their own file.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .problems import InputError, problems_from_validation_error, read_yaml
from .resources import package_file

__all__ = ["Category", "KeyNamespace", "Taxonomy", "load_taxonomy", "default_taxonomy"]

#: The bundled taxonomy, package data (:mod:`importlib.resources`).
DEFAULT_TAXONOMY_PATH = package_file("data/taxonomy.yaml")


class Category(BaseModel):
    """A field category (e.g. ``contact``, ``special_category``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    description: str = ""
    personal: bool = True
    identifying: bool = False
    quasi_identifier: bool = False
    special: bool = False


class KeyNamespace(BaseModel):
    """A namespace of linkage keys (e.g. ``email``): equal values mean the same person."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str


class Taxonomy(BaseModel):
    """Categories and key namespaces known to bulkimpact.

    Examples
    --------
    >>> tax = default_taxonomy()
    >>> tax.categories["contact"].identifying
    True
    >>> sorted(tax.personal_categories())[:2]
    ['comms_content', 'comms_metadata']
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    categories: dict[str, Category]
    key_namespaces: dict[str, KeyNamespace]
    # Scoring asks for these on every profile: derive them once (cached on the instance).
    @cached_property
    def personal(self) -> frozenset[str]:
        """Ids of categories that describe persons."""
        return frozenset(k for k, c in self.categories.items() if c.personal)

    @cached_property
    def identifying(self) -> frozenset[str]:
        """Ids of categories that identify a person on their own."""
        return frozenset(k for k, c in self.categories.items() if c.identifying)

    def personal_categories(self) -> frozenset[str]:
        """Ids of categories that describe persons."""
        return self.personal

    def identifying_categories(self) -> frozenset[str]:
        """Ids of categories that identify a person on their own."""
        return self.identifying


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Load and validate a taxonomy YAML file.

    Raises
    ------
    InputError
        With every problem located (file, item, field, value).
    """
    data = read_yaml(path)
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation_error(str(path), data, exc)) from None


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The bundled taxonomy."""
    return load_taxonomy(DEFAULT_TAXONOMY_PATH)
