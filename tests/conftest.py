"""Shared fixtures for the core test suite.

``tests/helpers.py`` holds the builders (inventory dicts, the tiny test
rulebook, hand-made graphs); this file makes it importable under pytest's
``--import-mode=importlib`` and exposes the rulebooks as session fixtures.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import (  # noqa: E402
    TINY_RULEBOOK_YAML,
    dataset,
    field,
    inventory_data,
    key_field,
    write_inventory,
)

from bulkimpact.rulebook import Rulebook, default_rulebook_path, load_rulebook  # noqa: E402


@pytest.fixture(scope="session")
def default_rulebook() -> Rulebook:
    """The bundled illustrative rulebook."""
    return load_rulebook(default_rulebook_path())


@pytest.fixture(scope="session")
def tiny_rulebook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny four-level test rulebook, written to a temporary file."""
    path = tmp_path_factory.mktemp("rulebooks") / "tiny.yaml"
    path.write_text(TINY_RULEBOOK_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_rulebook(tiny_rulebook_path: Path) -> Rulebook:
    """The tiny test rulebook, loaded (see ``helpers.TINY_RULEBOOK_YAML``)."""
    return load_rulebook(tiny_rulebook_path)


@pytest.fixture
def small_inventory(tmp_path: Path) -> Path:
    """A leaked forum (e-mail + username), an ad-tech set (username + location) and a
    health app (device + special category), with one investigation."""
    return write_inventory(tmp_path, inventory_data([
        dataset("forum", [key_field("email", "contact"), key_field("username")],
                source="leaked", leaked=True),
        dataset("adtech", [key_field("username"), key_field("device"), field("gps", "location")],
                source="purchased", paid=True),
        dataset("health", [key_field("device"), field("diagnosis", "special_category")]),
    ], investigations=[{"id": "op", "datasets": ["forum", "adtech"]}]))
