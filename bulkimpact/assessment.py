"""Assessment of one inventory: levels, links, exposure sets and policies, as one record.

This is what ``bulkimpact assess`` prints and what the reports start from. The
JSON shape is a contract for other tools: keys are added, never renamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .evaluate import DEFAULT_PARAMS, Evaluation, evaluate_policies
from .files import sha256
from .inventory import load_inventory
from .linkage import DEFAULT_OPENNESS, build_linkage_graph
from .policies import POLICIES
from .rulebook import default_rulebook_path, load_rulebook

__all__ = ["assess", "render_text"]


def assess(
    inventory_path: str | Path,
    rulebook_path: str | Path | None = None,
    openness: str = DEFAULT_OPENNESS,
    policies: Iterable[str] | None = None,
    params: Mapping[str, Any] | None = None,
    include: Iterable[str] = ("edge", "investigation"),
) -> dict[str, Any]:
    """Assess an inventory file: per-dataset levels, edges, exposure sets and policies.

    Returns the ``assess --json`` record. ``policies`` defaults to all six;
    pass an empty list for none.

    Examples
    --------
    >>> r = assess("data/synthetic/baseline.yaml", policies=["per_dataset"])
    >>> sorted(r)[:4]
    ['bulkimpact_version', 'datasets', 'edges', 'exposure_sets']
    >>> r["policies"]["per_dataset"]["escalated"]
    0
    """
    rulebook_path = Path(rulebook_path) if rulebook_path else default_rulebook_path()
    inventory = load_inventory(inventory_path)
    rulebook = load_rulebook(rulebook_path)
    G = build_linkage_graph(inventory, rulebook, openness)
    names = list(POLICIES) if policies is None else list(policies)
    evaluation: Evaluation = evaluate_policies(G, rulebook, names, params, include=include)
    return {
        "inventory": str(inventory_path),
        "rulebook": str(rulebook_path),
        "openness": openness,
        "levels": [{"level": lv.level, "name": lv.name} for lv in rulebook.levels],
        "datasets": [
            {
                "id": n,
                "level": a["level"],
                "rules": a["rules"],
                "persons": a["persons"],
                "cost": a["cost"],
                "public": a["public"],
                "name": a["name"],
                "identifiable": a["identifiable"],
                "categories": a["categories"],
            }
            for n, a in G.nodes(data=True)
        ],
        "edges": [
            {
                "a": a,
                "b": b,
                "keys": e["keys"],
                "expected_links": e["expected_links"],
                "strength": e["strength"],
                "source": e["source"],
                "qis": e["qis"],
                "expected_overlap": e["expected_overlap"],
                "false_links": e["false_links"],
                "assumptions": e["assumptions"],
            }
            for a, b, e in G.edges(data=True)
        ],
        "exposure_sets": [
            {
                "members": list(s.members),
                "kind": s.kind,
                "level": s.level,
                "persons": s.persons,
                "rules": list(s.rules),
                "member_level": s.member_level,
                "label": s.label,
            }
            for s in evaluation.sets
        ],
        "policies": {name: o.to_json() for name, o in evaluation.outcomes.items()},
        "params": {**DEFAULT_PARAMS, **(params or {})},
        "inputs": {
            "inventory_sha256": sha256(inventory_path),
            "rulebook_sha256": sha256(rulebook_path),
        },
        "fictional": inventory.fictional,
        "illustrative_rulebook": rulebook.illustrative,
        "bulkimpact_version": __version__,
    }


def render_text(record: Mapping[str, Any]) -> str:
    """The assessment as readable plain-text tables (the default ``assess`` output)."""
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
