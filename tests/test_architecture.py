"""The architecture the code promises: the core never imports the presentation layer."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bulkimpact"
#: Modules allowed to import bulkimpact.present: the presentation itself, the report
#: driver that renders pages, and the command lines (the faces: their text views).
ALLOWED = ("present/", "report/")


def imports_present(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = ("." * node.level) + (node.module or "")
            names = [a.name for a in node.names]
            if "present" in module.split(".") or (module.strip(".") in ("", "bulkimpact")
                                                  and "present" in names):
                found.append(f"line {node.lineno}: from {module} import {', '.join(names)}")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith("bulkimpact.present")]
    return found


def test_the_core_never_imports_the_presentation_layer() -> None:
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(ALLOWED) or rel.rsplit("/", 1)[-1] == "cli.py":
            continue
        if found := imports_present(path):
            offenders[rel] = found
    assert offenders == {}
