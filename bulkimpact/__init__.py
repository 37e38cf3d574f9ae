"""bulkimpact: cumulative privacy impact of bulk datasets held together.

The public API, by concept (each module's first lines say what it is for):

- inputs: :func:`load_inventory`, :func:`load_rulebook`, :func:`default_rulebook_path`,
  :class:`InputError`;
- the graph: :func:`build_linkage_graph`, the closed forms in :mod:`bulkimpact.estimates`;
- combinations: :func:`cumulative_level`, :func:`exposure_sets`;
- decision rules: :data:`POLICIES`, :func:`evaluate_policies`;
- one analysis as notebooks use it: :func:`load_analysis`; as the CLI prints it: :func:`assess`;
- many scenarios: :func:`run_sweep`, :func:`robustness` (:mod:`bulkimpact.sweep`);
- the record-level world: :mod:`bulkimpact.synth`; reports: :mod:`bulkimpact.report`.

Names are loaded on first use (SPEC 1, ``lazy_loader`` style): ``import
bulkimpact`` imports no submodule, so the command line starts at once and a
command pays only for what it uses.

Examples
--------
>>> import bulkimpact as bi
>>> G = bi.build_linkage_graph(bi.load_inventory("data/synthetic/sparse.yaml"),
...                            bi.load_rulebook(bi.default_rulebook_path()))
>>> ev = bi.evaluate_policies(G, bi.load_rulebook(bi.default_rulebook_path()))
>>> ev.outcomes["minimal_escalation"].under_protected
0
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public name -> the submodule that defines it.
_EXPORTS = {
    "Analysis": "analysis",
    "load_analysis": "analysis",
    "assess": "assessment",
    "cumulative_level": "combinations",
    "exposure_sets": "combinations",
    "Evaluation": "evaluate",
    "PolicyOutcome": "evaluate",
    "evaluate_policies": "assessor",
    "Inventory": "inventory",
    "load_inventory": "inventory",
    "build_linkage_graph": "linkage",
    "POLICIES": "policies",
    "InputError": "problems",
    "Rulebook": "rulebook",
    "default_rulebook_path": "rulebook",
    "load_rulebook": "rulebook",
    "robustness": "sweep",
    "run_sweep": "sweep",
}

__all__ = [
    "__version__",
    "Analysis",
    "Evaluation",
    "InputError",
    "Inventory",
    "POLICIES",
    "PolicyOutcome",
    "Rulebook",
    "assess",
    "build_linkage_graph",
    "cumulative_level",
    "default_rulebook_path",
    "evaluate_policies",
    "exposure_sets",
    "load_analysis",
    "load_inventory",
    "load_rulebook",
    "robustness",
    "run_sweep",
]

if TYPE_CHECKING:  # what the names are, for type checkers and IDEs
    from ._version import __version__
    from .analysis import Analysis, load_analysis
    from .assessment import assess
    from .assessor import evaluate_policies
    from .combinations import cumulative_level, exposure_sets
    from .evaluate import Evaluation, PolicyOutcome
    from .inventory import Inventory, load_inventory
    from .linkage import build_linkage_graph
    from .policies import POLICIES
    from .problems import InputError
    from .rulebook import Rulebook, default_rulebook_path, load_rulebook
    from .sweep import robustness, run_sweep


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from ._version import __version__ as value
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups do not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
