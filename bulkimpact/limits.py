"""Limits on inputs: how large a file, how far a date and how much work an inventory may ask.

Every input is bounded before work starts, so a faulty or hostile file is
answered in seconds with a message saying which limit it passed and how to
raise it, instead of running for minutes and gigabytes:

- an input file (inventory, rulebook, exchange log, sweep configuration, CSV
  table) may be at most :func:`max_input_bytes` long: 5 MB unless the
  environment variable ``BULKIMPACT_MAX_INPUT_MB`` says otherwise (YAML is read
  at about 50-60 kB a second on a busy 2-core machine, measured: 5 MB takes well
  over a minute and holds some 30,000 datasets, far beyond the combination budget
  of a dense inventory);
- a date lies between :data:`FIRST_DATE` and :data:`LAST_DATE` (:data:`InputDate`),
  so retention terms and timelines computed from it never overflow;
- an inventory whose datasets could form more candidate links than the
  analysis may examine (``max_sets``) is refused before the linkage graph is
  built (:func:`check_combination_budget`).
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator

from .problems import InputError, Problem

if TYPE_CHECKING:
    from .inventory import Inventory

__all__ = ["MAX_INPUT_ENV", "DEFAULT_MAX_INPUT_MB", "max_input_bytes", "check_file_size",
           "FIRST_DATE", "LAST_DATE", "InputDate", "candidate_links",
           "check_combination_budget"]

#: The environment variable that raises (or lowers) the input size limit, in megabytes.
MAX_INPUT_ENV = "BULKIMPACT_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 5.0

#: The earliest and latest dates an input may hold.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)


def max_input_bytes() -> int:
    """The largest input file read, in bytes: ``BULKIMPACT_MAX_INPUT_MB`` or 5 MB.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("BULKIMPACT_MAX_INPUT_MB", None) and None
    >>> max_input_bytes()
    5000000
    """
    raw = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not raw:
        return int(DEFAULT_MAX_INPUT_MB * 1_000_000)
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = float("nan")
    if not megabytes > 0 or megabytes == float("inf"):
        raise InputError([Problem(f"environment variable {MAX_INPUT_ENV}", "", None,
                                  "must be a positive number of megabytes", raw)])
    return int(megabytes * 1_000_000)


def check_file_size(path: str | Path, limit: int | None = None) -> None:
    """Refuse a file longer than ``limit`` bytes (default :func:`max_input_bytes`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
    ...     _ = f.write("x" * 2_000_000); f.flush()
    ...     try:
    ...         check_file_size(f.name, limit=1_000_000)
    ...     except InputError as e:
    ...         print(str(e).split(": ", 1)[1])
    file is 2 MB; input files may be at most 1 MB (set the environment variable \
BULKIMPACT_MAX_INPUT_MB to raise the limit, e.g. BULKIMPACT_MAX_INPUT_MB=50)
    """
    limit = max_input_bytes() if limit is None else limit
    try:
        size = Path(path).stat().st_size
    except OSError:
        return  # a missing file is reported by the reader
    if size > limit:
        raise InputError([Problem(
            str(path), "", None, f"file is {size / 1e6:.3g} MB; input files may be at most "
            f"{limit / 1e6:.3g} MB (set the environment variable {MAX_INPUT_ENV} to raise "
            f"the limit, e.g. {MAX_INPUT_ENV}={max(50, int(size / 1e6) + 1)})",
            has_value=False)])


def _within_bounds(value: date) -> date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"must lie between {FIRST_DATE.isoformat()} and "
                         f"{LAST_DATE.isoformat()}")
    return value


#: A date between :data:`FIRST_DATE` and :data:`LAST_DATE` (a pydantic field type). A
#: date with a time of day is refused by the YAML reader, with its line.
InputDate = Annotated[date, AfterValidator(_within_bounds)]


def candidate_links(inventory: Inventory) -> int:
    """An upper bound on the links of an inventory: pairs sharing a key namespace or a
    quasi-identifier, counted per namespace and name (the linkage graph's candidate pairs,
    :func:`bulkimpact.linkage.build_linkage_graph`, without forming a pair).

    Examples
    --------
    >>> from bulkimpact.inventory import load_inventory
    >>> inv = load_inventory("data/synthetic/csv_example")
    >>> 0 < candidate_links(inv) <= len(inv.datasets) * (len(inv.datasets) - 1) // 2 * 3
    True
    """
    from .taxonomy import default_taxonomy

    taxonomy = default_taxonomy()
    holders: Counter[tuple[str, str]] = Counter()
    for d in inventory.datasets:
        holders.update({("key", k) for k in d.keys()}
                       | {("qi", q) for q in d.quasi_identifiers(taxonomy)})
    return sum(n * (n - 1) // 2 for n in holders.values())


def check_combination_budget(inventory: Inventory, max_sets: int, max_set_size: int) -> None:
    """Refuse an inventory that could form more than ``max_sets`` candidate links.

    Every link is an exposure set judged and, with chains, the start of more;
    checked before the linkage graph is built, so an inventory far too dense is
    answered at once.

    Raises
    ------
    InputError
        Naming the inventory, the count, the limit and how to raise it.

    Examples
    --------
    >>> from bulkimpact.inventory import parse_inventory
    >>> inv = parse_inventory({"title": "t", "fictional": True,
    ...     "populations": [{"id": "nl", "size": 10**6}],
    ...     "datasets": [{"id": f"d{i}", "name": "D", "source": "open", "persons": 10,
    ...                   "population": "nl", "fields": [{"name": "e", "category": "contact",
    ...                   "key": "email"}]} for i in range(50)]}, "dense.yaml")
    >>> check_combination_budget(inv, max_sets=2000, max_set_size=3)
    >>> try:
    ...     check_combination_budget(inv, max_sets=1000, max_set_size=3)
    ... except InputError as e:
    ...     print(str(e)[:89])
    dense.yaml: 50 datasets could form up to 1,225 links (pairs sharing a key namespace or a
    """
    links = candidate_links(inventory)
    if links <= max_sets:
        return
    shared = Counter(k for d in inventory.datasets for k in d.keys()).most_common(1)
    widest = f"; {shared[0][1]:,} datasets share the key {shared[0][0]!r}" if shared else ""
    raise InputError([Problem(
        inventory.source_path or "<inventory>", "", None,
        f"{len(inventory.datasets):,} datasets could form up to {links:,} links (pairs "
        f"sharing a key namespace or a quasi-identifier){widest}; the analysis examines at "
        f"most max_sets={max_sets:,} combinations (of up to max_set_size={max_set_size}). "
        "Raise max_sets (assess --max-sets, or the parameter max_sets) if the machine can "
        "take it, or split the inventory", has_value=False)])
