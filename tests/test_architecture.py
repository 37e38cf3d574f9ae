"""The architecture the code promises, checked on the source.

Three layers: the core (data, model, decision, time, exploration, record level) computes;
presentation (``bulkimpact.present``) shows results and computes nothing; the faces (every
command line, the report driver) call both. The core never imports presentation or a
command line; presentation never imports a command line; each decision rule is defined once
(``bulkimpact.policies``) and only the decision layer makes rule results. Presentation derives
no linkage estimate, and each of its modules is small enough to read at once.
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


def source_module(node: ast.ImportFrom, package: str) -> str:
    """The module a ``from … import`` in a module of ``package`` imports from, absolute."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_in(source: str, package: str) -> list[tuple[int, str]]:
    """The bulkimpact modules ``source``, a module of ``package``, imports, absolute."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            target = source_module(node, package)
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


#: Lines a presentation module may have. A module should be read at once: about ten screens,
#: one concept. After the split by concept the sentence and figure modules are under 420
#: lines; tables, the exchange and the timeline pages sit just under 500. A module that
#: outgrows the budget presents two things and should be split, not granted more lines.
LINE_BUDGET = 500
#: Modules over the budget, each at most its present length until it is split: the message
#: catalogues, locale formats, names and catalogue maintenance of ``i18n`` (a split would
#: move ``python -m bulkimpact.present.i18n update`` and what the report driver imports).
OVER_BUDGET = {"bulkimpact.present.i18n": 717}


def test_each_presentation_module_can_be_read_at_once() -> None:
    long = {name: n for name, path in modules().items() if is_presentation(name)
            and (n := len(path.read_text(encoding="utf-8").splitlines()))
            > OVER_BUDGET.get(name, LINE_BUDGET)}
    assert long == {}


#: The modules that derive linkage estimates: overlaps, uniqueness and links (closed forms
#: and cells), the linkage graph, distinct persons, the combinations judged in the graph, and
#: the record level's synthetic population, extracts, exact counts and mosaic.
ESTIMATING = ("bulkimpact.estimates", "bulkimpact.cells", "bulkimpact.linkage",
              "bulkimpact.persons", "bulkimpact.combinations", "bulkimpact.synth.population",
              "bulkimpact.synth.extracts", "bulkimpact.synth.measure", "bulkimpact.synth.mosaic")
#: The record-level package: its results (classes) and constants are shown, its functions
#: compute.
RECORD_LEVEL = "bulkimpact.synth"


def estimate_derivations(source: str, package: str) -> list[str]:
    """What a module of ``package`` imports that would let it derive a linkage estimate: any
    import from (or of) an :data:`ESTIMATING` module, a record-level module imported whole,
    and a function imported from the record-level package."""
    import importlib
    import inspect

    def estimating(module: str) -> bool:
        return any(module == m or module.startswith(m + ".") for m in ESTIMATING)

    tree = ast.parse(source)
    # imports for annotations only (``if TYPE_CHECKING:``) never run, so derive nothing
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for n in ast.walk(block)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: {a.name}" for a in node.names
                      if estimating(a.name) or a.name.startswith(RECORD_LEVEL)]
        elif isinstance(node, ast.ImportFrom):
            target = source_module(node, package)
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if estimating(target) or estimating(full):
                    found.append(f"line {node.lineno}: {full}")
                elif target == RECORD_LEVEL or target.startswith(RECORD_LEVEL + "."):
                    value = getattr(importlib.import_module(target), alias.name, None)
                    if value is None or inspect.ismodule(value) or inspect.isfunction(value):
                        found.append(f"line {node.lineno}: {full}")
    return found


def test_presentation_derives_no_linkage_estimate() -> None:
    """Presentation shows the estimates the core derived: it imports nothing from the modules
    that derive them, and from the record level only result classes and constants (the
    reconciliation with the graph is :mod:`bulkimpact.synth.reconcile`'s, the agreement the
    :class:`~bulkimpact.synth.Validation`'s own)."""
    found = {name: bad for name, path in modules().items() if is_presentation(name)
             and (bad := estimate_derivations(path.read_text(encoding="utf-8"),
                                              name.rsplit(".", 1)[0]))}
    assert found == {}


def test_the_estimate_check_sees_a_derivation() -> None:
    """The imports the record-level validation page had before its computations moved to
    ``bulkimpact.synth`` are each caught; a result class, a constant and an import for
    annotations only are not."""
    old = ("from ..estimates import QiCells\n"
           "from ..linkage import edge_estimate\n"
           "from ..synth.validate import ALPHA, Validation, realisable_keys\n"
           "def f():\n    from ..persons import distinct_linked_persons\n"
           "    from ..synth import reconcile\n"
           "if TYPE_CHECKING:\n    from ..combinations import NotJudged\n")
    assert estimate_derivations(old, "bulkimpact.present") == [
        "line 1: bulkimpact.estimates.QiCells", "line 2: bulkimpact.linkage.edge_estimate",
        "line 3: bulkimpact.synth.validate.realisable_keys",
        "line 5: bulkimpact.persons.distinct_linked_persons",
        "line 6: bulkimpact.synth.reconcile"]
