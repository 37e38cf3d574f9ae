"""The architecture the code promises: the core never imports the presentation layer."""

from __future__ import annotations

import argparse
import ast
import inspect
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bulkimpact"
#: Modules allowed to import bulkimpact.present: the presentation itself, the report
#: driver that renders pages, and the command line (the face: its text views).
ALLOWED = ("present/", "report/")


def is_cli(rel: str) -> bool:
    """A command-line module: ``cli.py`` of the package or of a subpackage (the one rule)."""
    return rel.rsplit("/", 1)[-1] == "cli.py"


def imported_modules(path: Path) -> list[str]:
    """Every module `path` imports, relative imports resolved inside bulkimpact."""
    rel = path.relative_to(PACKAGE).with_suffix("")
    package = ["bulkimpact", *rel.parts[:-1]]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found += [module] + [f"{module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


def test_no_package_init_and_no_core_or_presentation_module_imports_a_cli() -> None:
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if is_cli(rel) or rel == "__main__.py":
            continue
        if found := [m for m in imported_modules(path)
                     if m.startswith("bulkimpact") and m.rsplit(".", 1)[-1] == "cli"]:
            offenders[rel] = found
    assert offenders == {}


def _handlers(parser) -> list:
    """The handler of every verb under `parser` (verbs of verbs too, as ``synth``)."""
    parser.configured()
    if (handler := parser.get_default("handler")) is not None:
        return [handler]
    verbs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [h for p in verbs.choices.values() for h in _handlers(p)]


def test_every_verb_lives_in_a_cli_module() -> None:
    from bulkimpact.cli import build_parser

    handlers = _handlers(build_parser())
    assert len(handlers) == 10  # validate, assess, sweep, 3 synth, report, notebooks, ...
    for handler in handlers:
        assert Path(inspect.getsourcefile(handler)).name == "cli.py", handler


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
        if rel.startswith(ALLOWED) or is_cli(rel):
            continue
        if found := imports_present(path):
            offenders[rel] = found
    assert offenders == {}
