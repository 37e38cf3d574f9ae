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

Examples
--------
>>> import bulkimpact as bi
>>> G = bi.build_linkage_graph(bi.load_inventory("data/synthetic/sparse.yaml"),
...                            bi.load_rulebook(bi.default_rulebook_path()))
>>> ev = bi.evaluate_policies(G, bi.load_rulebook(bi.default_rulebook_path()))
>>> ev.outcomes["minimal_escalation"].under_protected
0
"""

__version__ = "0.1.0"

from .analysis import Analysis, load_analysis  # noqa: E402
from .assessment import assess  # noqa: E402
from .combinations import cumulative_level, exposure_sets  # noqa: E402
from .evaluate import Evaluation, PolicyOutcome, evaluate_policies  # noqa: E402
from .inventory import Inventory, load_inventory  # noqa: E402
from .linkage import build_linkage_graph  # noqa: E402
from .policies import POLICIES  # noqa: E402
from .problems import InputError  # noqa: E402
from .rulebook import Rulebook, default_rulebook_path, load_rulebook  # noqa: E402
from .sweep import robustness, run_sweep  # noqa: E402

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
