"""Builders shared by the core tests: inventories as plain data, a tiny rulebook, graphs.

Inventories are written as the dicts an analyst's YAML would give and go
through :func:`bulkimpact.inventory.parse_inventory`, so every test exercises
the same validation as real input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from bulkimpact.inventory import Inventory, parse_inventory
from bulkimpact.linkage import build_linkage_graph
from bulkimpact.rulebook import Profile, Rulebook

#: Population of the hand-solved inventories: two sets of 10,000 share 100 persons.
POPULATION = 1_000_000
PERSONS = 10_000

#: A rulebook small enough to score in one's head. Levels 0–3, low intrusion = 1:
#: any personal category -> 1; identifiable + location -> 2; identifiable + special -> 3.
#: No size or openness clauses, so persons and publicity never change a level.
TINY_RULEBOOK_YAML = """\
title: Tiny test rulebook
illustrative: true
levels:
  - {level: 0, name: none}
  - {level: 1, name: light}
  - {level: 2, name: medium}
  - {level: 3, name: heavy}
low_intrusion_level: 1
openness_variants:
  services:
    label: Only what the subjects made public
    counts_as_public: [made_public_by_subjects]
rules:
  - id: personal
    label: Any personal category
    rationale: test rule
    assumption: true
    when: {min_personal_categories: 1}
    level: 1
  - id: identity-location
    label: Identifiable with location
    rationale: test rule
    assumption: true
    when: {identifiable: true, all_categories: [location]}
    level: 2
  - id: identity-special
    label: Identifiable with special category
    rationale: test rule
    assumption: true
    when: {identifiable: true, any_categories: [special_category]}
    level: 3
"""


def field(name: str, category: str, key: str | None = None, **extra: Any) -> dict[str, Any]:
    """One field record."""
    f: dict[str, Any] = {"name": name, "category": category, **extra}
    if key is not None:
        f["key"] = key
    return f


def key_field(namespace: str, category: str = "online_identifier", **extra: Any) -> dict[str, Any]:
    """A linkage-key field named after its namespace."""
    return field(namespace, category, key=namespace, **extra)


def dataset(
    dataset_id: str,
    fields: list[dict[str, Any]],
    persons: int = PERSONS,
    population: str = "pop",
    source: str = "private",
    **extra: Any,
) -> dict[str, Any]:
    """One dataset record."""
    return {"id": dataset_id, "name": dataset_id.upper(), "source": source,
            "persons": persons, "population": population, "fields": fields, **extra}


def inventory_data(
    datasets: list[dict[str, Any]],
    populations: list[dict[str, Any]] | None = None,
    investigations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A whole inventory as plain data (population ``pop`` of 1,000,000 by default)."""
    return {
        "title": "test inventory",
        "fictional": True,
        "populations": populations or [{"id": "pop", "size": POPULATION}],
        "datasets": datasets,
        "investigations": investigations or [],
    }


def inventory(datasets: list[dict[str, Any]], **kwargs: Any) -> Inventory:
    """A validated inventory."""
    return parse_inventory(inventory_data(datasets, **kwargs))


def graph(datasets: list[dict[str, Any]], rulebook: Rulebook, openness: str = "services",
          **kwargs: Any) -> nx.Graph:
    """The linkage graph of an inventory given as dataset records."""
    return build_linkage_graph(inventory(datasets, **kwargs), rulebook, openness)


def add_node(
    G: nx.Graph,
    node: str,
    level: int,
    categories: frozenset[str] | set[str] = frozenset(),
    identifiable: bool = False,
    persons: float = 1_000.0,
    public: bool = False,
    cost: float = 1.0,
    qis: dict[str, int] | None = None,
    population_size: int = POPULATION,
) -> None:
    """A hand-made node with every attribute that combinations and policies read."""
    G.add_node(
        node,
        level=level,
        profile=Profile(frozenset(categories), identifiable, float(persons), public),
        persons=persons,
        cost=cost,
        qis=dict(qis or {}),
        population_size=population_size,
    )


def add_edge(G: nx.Graph, a: str, b: str, links: float, smaller: float | None = None) -> None:
    """A hand-made edge with ``expected_links`` and ``strength``."""
    if smaller is None:
        smaller = min(G.nodes[a]["persons"], G.nodes[b]["persons"])
    G.add_edge(a, b, expected_links=float(links), strength=float(links) / smaller)


def write_inventory(tmp_path: Path, data: dict, name: str = "inventory.yaml") -> Path:
    """An inventory written as YAML, as an analyst would."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
