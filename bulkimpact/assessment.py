"""Assessment of one inventory: levels, links, exposure sets and policies, as one record.

This is what ``bulkimpact assess --json`` prints and what the reports start from. The
JSON shape is a contract for other tools: keys are added, never renamed. Its plain-text
view is the command line's (:func:`bulkimpact.cli.render_assessment`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .analysis import load_analysis
from .parameters import DEFAULT_INCLUDE, DEFAULT_OPENNESS
from .policies import POLICIES

__all__ = ["assess"]


def assess(
    inventory_path: str | Path,
    rulebook_path: str | Path | None = None,
    openness: str = DEFAULT_OPENNESS,
    policies: Iterable[str] | None = None,
    params: Mapping[str, Any] | None = None,
    include: Iterable[str] = DEFAULT_INCLUDE,
    readings: bool = True,
) -> dict[str, Any]:
    """Assess an inventory file: per-dataset levels, edges, exposure sets and policies.

    Returns the ``assess --json`` record, a view of
    :class:`bulkimpact.analysis.Analysis` (:meth:`~bulkimpact.analysis.Analysis.to_json`).
    ``policies`` defaults to all six; pass an empty list for none. With
    ``readings``, the record also holds every rule under each headline openness
    reading (``readings``).

    Examples
    --------
    >>> r = assess("data/synthetic/baseline.yaml", policies=["per_dataset"], readings=False)
    >>> sorted(r)[:4]
    ['break_even_use_rate', 'bulkimpact_version', 'datasets', 'edges']
    >>> r["policies"]["per_dataset"]["escalated"]
    0
    """
    analysis = load_analysis(inventory_path, rulebook_path, openness,
                             policies=list(POLICIES) if policies is None else list(policies),
                             include=tuple(include), **dict(params or {}))
    return analysis.to_json(readings=readings)
