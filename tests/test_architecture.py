"""The architecture the code promises, checked on the source.

Three layers: the core (data, model, decision, time, exploration, record level) computes;
presentation (``bulkimpact.present``) shows results and computes nothing; the faces (every
command line, the report driver) call both. The core never imports presentation or a
command line; presentation never imports a command line; each decision rule is defined once
(``bulkimpact.policies``) and only the decision layer makes rule results.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bulkimpact"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_cli(module: str) -> bool:
    return module.split(".")[-1] in ("cli", "__main__")


def is_presentation(module: str) -> bool:
    return module.startswith("bulkimpact.present")


def is_face(module: str) -> bool:
    """Command lines and the report driver."""
    return is_cli(module) or module.startswith("bulkimpact.report")


def is_core(module: str) -> bool:
    """Everything but presentation, the faces and the package's lazy top level (which
    re-exports the public API and may name anything)."""
    return not (is_presentation(module) or is_face(module) or module == "bulkimpact")


def imports(path: Path) -> list[tuple[int, str]]:
    """Every bulkimpact module ``path`` imports (at any depth of the file), absolute."""
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rsplit(".", 1)[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[tuple[int, str]]:
    """The bulkimpact modules ``source``, a module of ``package``, imports, absolute."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("bulkimpact"):
                found.append((node.lineno, target))
                # "from . import cli" or "from bulkimpact import present"
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name.startswith("bulkimpact")]
    return found


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def offenders(layer, forbidden) -> dict[str, list[str]]:
    known = modules()
    out: dict[str, list[str]] = {}
    for name, path in known.items():
        if not layer(name):
            continue
        bad = [f"line {line}: {target}" for line, target in imports(path)
               if target in known and forbidden(target)]
        if bad:
            out[name] = bad
    return out


def test_the_core_imports_neither_presentation_nor_a_command_line() -> None:
    assert offenders(is_core, lambda t: is_presentation(t) or is_face(t)) == {}


def test_presentation_imports_no_command_line() -> None:
    assert offenders(is_presentation, is_face) == {}


def test_no_package_init_imports_its_command_line() -> None:
    assert offenders(lambda m: m != "bulkimpact" and modules()[m].name == "__init__.py",
                     is_cli) == {}


def test_each_decision_rule_is_defined_once() -> None:
    """Only bulkimpact.policies defines a function named like a rule, and only the decision
    layer (policies, the assessor) makes a rule's result."""
    from bulkimpact.policies import POLICIES

    defined: dict[str, list[str]] = {}
    makers = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in POLICIES:
                defined.setdefault(node.name, []).append(name)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "PolicyResult"
                    and name not in ("bulkimpact.policies", "bulkimpact.assessor")):
                makers.append(f"{name} line {node.lineno}")
    assert defined == {rule: ["bulkimpact.policies"] for rule in POLICIES}
    assert makers == []


def test_the_checks_see_a_violation() -> None:
    """The import walk resolves relative imports, also inside functions: a core module
    importing presentation or a command line would be caught."""
    assert "bulkimpact.assessor" in [t for _l, t in imports(PACKAGE / "timeline" / "steps.py")]
    source = "def f():\n    from ..present import rule_findings\n    from .cli import configure\n"
    targets = [t for _line, t in imports_in(source, "bulkimpact.timeline")]
    assert "bulkimpact.present.rule_findings" in targets
    assert "bulkimpact.timeline.cli" in targets


def test_presentation_modules_import_each_other_without_a_circle() -> None:
    """``present/`` is organised by what it presents; names, tables, figures and sentences
    import downwards only (a circle would make the order of imports matter)."""
    import networkx as nx

    known = modules()
    G = nx.DiGraph()
    for name, path in known.items():
        if is_presentation(name):
            G.add_node(name)
            for _line, target in imports(path):
                if target in known and is_presentation(target) and target != name:
                    G.add_edge(name, target)
    assert list(nx.simple_cycles(G)) == []
