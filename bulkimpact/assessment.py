"""Assessment of one inventory: levels, links, exposure sets and policies, as one record.

This is what ``bulkimpact assess`` prints and what the reports start from. The
JSON shape is a contract for other tools: keys are added, never renamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .analysis import load_analysis
from .parameters import DEFAULT_INCLUDE, DEFAULT_OPENNESS
from .policies import POLICIES

__all__ = ["assess", "render_text"]


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


def render_text(record: Mapping[str, Any]) -> str:
    """The assessment as readable plain-text tables (the default ``assess`` output)."""
    import pandas as pd

    names = {lv["level"]: lv["name"] for lv in record["levels"]}
    out = [
        f"Inventory: {record['inventory']}"
        + ("  (FICTIONAL data)" if record.get("fictional") else ""),
        f"Rulebook:  {record['rulebook']}"
        + ("  (ILLUSTRATIVE assumption)" if record.get("illustrative_rulebook") else ""),
        f"Openness:  {record['openness']}",
        "",
        "Datasets, each on its own nature:",
    ]
    ds = pd.DataFrame(record["datasets"])
    ds["level"] = [f"{lv} {names[lv]}" for lv in ds["level"]]
    ds["rules"] = [", ".join(r) for r in ds["rules"]]
    out.append(ds[["id", "level", "persons", "public", "rules"]].to_string(index=False))
    out += ["", f"Links ({len(record['edges'])}):"]
    if record["edges"]:
        ed = pd.DataFrame(record["edges"])
        ed["keys"] = [", ".join(k + q) for k, q in zip(ed["keys"], ed["qis"], strict=True)]
        ed["expected_links"] = ed["expected_links"].round(0)
        ed["strength"] = ed["strength"].round(4)
        out.append(ed[["a", "b", "keys", "expected_links", "strength", "source"]]
                   .to_string(index=False))
    raised = [s for s in record["exposure_sets"] if s["level"] > s["member_level"]]
    out += ["", f"Exposure sets: {len(record['exposure_sets'])}, of which {len(raised)} reach a "
            "higher level together than any member alone:"]
    if raised:
        ex = pd.DataFrame(raised)
        ex["members"] = [" + ".join(m) for m in ex["members"]]
        ex["rules"] = [", ".join(r) for r in ex["rules"]]
        out.append(ex[["kind", "members", "member_level", "level", "persons", "rules"]]
                   .to_string(index=False))
    if record["policies"]:
        out += ["", "Decision rules:"]
        pol = pd.DataFrame({n: {k: v for k, v in p.items()
                                if not isinstance(v, dict | list)}
                            for n, p in record["policies"].items()}).T
        out.append(pol.to_string())
    return "\n".join(out)
