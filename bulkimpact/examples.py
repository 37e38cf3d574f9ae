"""A three-dataset toy inventory, small enough to solve by hand, for examples and docs.

``forum`` (a leaked forum database: e-mail addresses) links by e-mail to
``adtech`` (a purchased ad-tech location set: e-mail, device id, locations),
which links by device id to ``health-app`` (a leaked health-app database:
device id and health data, no direct identifier). Each is light on its own
under the services' openness reading; ``adtech`` + ``health-app`` together
name persons with health data (level 3).
"""

from __future__ import annotations

import networkx as nx

from .inventory import Inventory, parse_inventory
from .linkage import build_linkage_graph
from .rulebook import Rulebook, default_rulebook_path, load_rulebook

__all__ = ["toy_inventory", "toy_rulebook", "toy_graph"]

_TOY = {
    "title": "Toy inventory (fictional)",
    "fictional": True,
    "description": "Three invented datasets used in documentation examples.",
    "populations": [{"id": "nl", "name": "Invented country", "size": 1_000_000}],
    "datasets": [
        {"id": "forum", "name": "Leaked forum database (fictional)", "source": "leaked",
         "leaked": True, "persons": 50_000, "population": "nl",
         "fields": [{"name": "email", "category": "contact", "key": "email"},
                    {"name": "username", "category": "online_identifier", "key": "username"}]},
        {"id": "adtech", "name": "Purchased ad-tech location data (fictional)",
         "source": "purchased", "paid": True, "persons": 200_000, "population": "nl",
         "fields": [{"name": "email", "category": "contact", "key": "email",
                     "match_quality": 0.8},
                    {"name": "device_id", "category": "online_identifier", "key": "device"},
                    {"name": "gps_trace", "category": "location"}]},
        {"id": "health-app", "name": "Leaked health-app database (fictional)",
         "source": "leaked", "leaked": True, "persons": 20_000, "population": "nl",
         "fields": [{"name": "device_id", "category": "online_identifier", "key": "device"},
                    {"name": "diagnosis", "category": "special_category"}]},
    ],
    "investigations": [{"id": "op-toy", "name": "Invented investigation",
                        "datasets": ["forum", "adtech"]}],
}


def toy_inventory() -> Inventory:
    """The toy inventory.

    Examples
    --------
    >>> [d.id for d in toy_inventory().datasets]
    ['forum', 'adtech', 'health-app']
    """
    return parse_inventory(_TOY, "<toy>")


def toy_rulebook() -> Rulebook:
    """The bundled illustrative rulebook."""
    return load_rulebook(default_rulebook_path())


def toy_graph(openness: str = "services") -> nx.Graph:
    """Linkage graph of the toy inventory under an openness variant.

    Examples
    --------
    >>> G = toy_graph("services")
    >>> sorted(sorted(e) for e in G.edges())
    [['adtech', 'forum'], ['adtech', 'health-app']]
    >>> G.edges["adtech", "health-app"]["keys"], G.nodes["adtech"]["level"]
    (['device'], 1)
    """
    return build_linkage_graph(toy_inventory(), toy_rulebook(), openness)
