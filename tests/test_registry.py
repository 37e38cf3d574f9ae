"""One registry: every metric, rule and reading declared once, and read by everything else."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from bulkimpact import registry
from bulkimpact.evaluate import POLICY_UNITS, PolicyOutcome
from bulkimpact.policies import POLICIES
from bulkimpact.present import i18n, tables
from bulkimpact.timeline import TIMELINE_UNITS

PACKAGE = Path(registry.__file__).parent


def test_every_metric_is_a_measured_figure_and_every_rule_has_a_function() -> None:
    fields = {f.name for f in dataclasses.fields(PolicyOutcome)}
    assert set(registry.METRICS) <= fields
    assert list(registry.RULES) == list(POLICIES)
    for selection in (registry.HEADLINE, registry.TIMELINE, registry.PANEL, registry.TABLE,
                      registry.JSON_ROWS):
        assert set(selection) <= set(registry.METRICS) | {"status"}
    for q in registry.QUANTITIES.values():
        assert q.rule in registry.RULES and q.metric in registry.METRICS


def test_json_units_tables_and_names_read_the_registry() -> None:
    assert POLICY_UNITS == {k: m.unit for k, m in registry.METRICS.items()}
    assert {k: TIMELINE_UNITS[k] for k in registry.TIMELINE} == registry.units(registry.TIMELINE)
    for key, metric in registry.METRICS.items():
        assert tables.COLUMNS[key].heading == metric.label
        assert tables.COLUMNS[key].kind == metric.kind
    for key, rule in registry.RULES.items():
        assert i18n.rule_name(key, "en") == rule.label
        assert i18n.rule_name(key, "nl") != rule.label  # translated
    for key, reading in registry.READINGS.items():
        assert i18n.reading_name(key, "en") == reading.label


def labels() -> set[str]:
    out = {m.label for m in registry.METRICS.values()} | {registry.STATUS.label}
    out |= {r.label for r in registry.RULES.values()} | {r.meaning for r in registry.RULES.values()}
    out |= {r.label for r in registry.READINGS.values()}
    out |= {q.label for q in registry.QUANTITIES.values()} | set(registry.units().values())
    # one- and two-word units ("datasets", "exposure sets") are ordinary words and keys
    return {label for label in out if len(label.split()) >= 3}


def literals(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.JoinedStr):
            continue
    return found


def test_no_label_is_typed_twice() -> None:
    """Outside the registry no module spells a metric's, rule's or reading's label or unit
    (implicitly concatenated strings are one literal to the parser, so split labels count)."""
    wanted = labels()
    typed = {path.relative_to(PACKAGE).as_posix(): sorted(literals(path) & wanted)
             for path in PACKAGE.rglob("*.py") if path.name != "registry.py"}
    assert {k: v for k, v in typed.items() if v} == {}
