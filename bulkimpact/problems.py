"""Input problems: collected, located and explained, never a traceback.

Every loader (inventory, rulebook, taxonomy, sweep configuration) reports bad
input the same way: all problems at once, each naming the file, the item (its
position and id), the field, the bad value and what would be valid.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

__all__ = ["Problem", "InputError", "file_problem", "read_text", "read_yaml", "short_repr",
           "problems_from_validation_error"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Examples
    --------
    >>> str(Problem("x.yaml", "datasets[3] (id 'pnr')", "persons",
    ...             "must be a positive integer", -5))
    "x.yaml: datasets[3] (id 'pnr'): field 'persons': must be a positive integer, got -5"
    """

    file: str
    item: str
    field: str | None
    message: str
    value: Any = None
    has_value: bool = True

    def __str__(self) -> str:
        parts = [self.file]
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(f"field '{self.field}'")
        text = ": ".join(parts) + ": " + self.message
        if self.has_value and self.value is not None:
            text += f", got {short_repr(self.value)}"
        return text


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 120, 120
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def short_repr(value: Any) -> str:
    """``repr`` bounded in length and depth (a value may be a huge shared structure).

    Examples
    --------
    >>> short_repr("x" * 500)[-10:], len(short_repr([[list(range(9))] * 9] * 9)) < 1000
    ("xxxxxxxxx'", True)
    """
    return _REPR.repr(value)


class InputError(ValueError):
    """Raised with every problem found in one or more input files.

    Examples
    --------
    >>> err = InputError([Problem("a.yaml", "", None, "empty file", has_value=False)])
    >>> print(err)
    a.yaml: empty file
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


_HAS_TIME = re.compile(r"\d[Tt ]+\d")
#: The deepest nesting of mappings and lists an input may have.
MAX_DEPTH = 64
#: The most nodes aliases (``*name``) may add to a document, counted before any is expanded.
MAX_ALIAS_NODES = 100_000


class _Refused(yaml.YAMLError):
    """A YAML document refused by a check of ours: a located message, no parser jargon."""

    def __init__(self, mark: yaml.Mark | None, message: str, field: str | None = None):
        super().__init__(message)
        self.problem_mark, self.problem, self.field = mark, message, field


class _Loader(yaml.SafeLoader):
    """Safe YAML loading, strict and bounded before anything is built.

    A key given twice in one mapping, nesting deeper than :data:`MAX_DEPTH`,
    aliases that would add more than :data:`MAX_ALIAS_NODES` nodes (counted on
    the parsed document, where an alias is one shared node) and an impossible
    date or a date with a time of day are each refused with their line.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: D102
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(self.peek_event().start_mark,
                               f"nested deeper than {MAX_DEPTH} levels; inputs are shallow "
                               "mappings and lists")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_data(self):  # noqa: D102
        node = self.get_single_node()
        if node is None:
            return None
        _check_alias_expansion(node)
        return self.construct_document(node)

    def construct_mapping(self, node, deep=False):  # noqa: D102
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, yaml.Mark] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = self.construct_object(key_node)
                if key in first:
                    raise _Refused(key_node.start_mark, f"given twice in one mapping (first "
                                   f"at line {first[key].line + 1}, again at line "
                                   f"{key_node.start_mark.line + 1}); keep one of them "
                                   "(merge their contents)", field=str(key))
                first[key] = key_node.start_mark
            for key_node, value_node in node.value:
                if value_node.tag.endswith(":timestamp") and _HAS_TIME.search(value_node.value):
                    raise _Refused(value_node.start_mark, f"{value_node.value!r} has a time of "
                                   "day; a date is expected: write YYYY-MM-DD",
                                   field=str(key_node.value))
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node: yaml.Node):  # noqa: D102
        try:
            value = super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _Refused(node.start_mark,
                           f"invalid date {node.value!r} ({exc}); write YYYY-MM-DD") from None
        if isinstance(value, datetime):
            raise _Refused(node.start_mark, f"{node.value!r} has a time of day; a date is "
                           "expected: write YYYY-MM-DD")
        return value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _check_alias_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases would expand it by more than :data:`MAX_ALIAS_NODES`.

    Sizes are counted on the composed graph (each node once, shared by its
    aliases), so a 2 KB "billion laughs" is answered in microseconds.
    """
    own, expanded = 0, {}
    seen: dict[int, yaml.Node] = {}
    shared: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        if children_done:
            expanded[id(node)] = 1 + sum(expanded[id(c)] for c in children)
            continue
        if id(node) in seen:
            if id(node) not in expanded:
                raise _Refused(node.start_mark, "an alias refers to a mapping or list that "
                               "contains it; write the data out")
            shared.add(id(node))
            continue
        seen[id(node)] = node
        own += 1
        stack.append((node, True))
        for c in children:
            if id(c) in expanded:
                shared.add(id(c))
            else:
                stack.append((c, False))
    if expanded[id(root)] - own > MAX_ALIAS_NODES:
        largest = seen[max(shared, key=expanded.__getitem__)]
        raise _Refused(largest.start_mark, f"aliases (*name) would expand the document by "
                       f"{expanded[id(root)] - own:,} nodes, more than {MAX_ALIAS_NODES:,} "
                       f"(the largest part repeated starts here, {expanded[id(largest)]:,} "
                       "nodes); write the repeated parts out")


def file_problem(path: str | Path, message: str) -> InputError:
    """An :class:`InputError` about a whole file (missing, empty, wrong format).

    Examples
    --------
    >>> print(file_problem("x.csv", "file not found"))
    x.csv: file not found
    """
    return InputError([Problem(str(path), "", None, message, has_value=False)])


def read_text(path: str | Path) -> str:
    """A file's UTF-8 text; a missing, too large (:mod:`bulkimpact.limits`) or non-UTF-8
    file is an :class:`InputError` naming it.

    Examples
    --------
    >>> read_text("/no/such/file.csv")
    Traceback (most recent call last):
    ...
    bulkimpact.problems.InputError: /no/such/file.csv: file not found
    """
    from .limits import check_file_size

    check_file_size(path)
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise file_problem(path, "file not found") from None
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise file_problem(path, f"not UTF-8 text ({exc.reason} at line {line}); save the "
                           "file as UTF-8") from None


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file, turning syntax errors into a located :class:`InputError`.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("a: [1, 2\\nb: 3\\n")
    >>> try:
    ...     read_yaml(f.name)
    ... except InputError as e:
    ...     print("line" in str(e))
    True
    >>> os.unlink(f.name)
    """
    path = Path(path)
    text = read_text(path)
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        reason = getattr(exc, "problem", None) or str(exc)
        if not isinstance(exc, _Refused):
            reason = f"malformed YAML: {reason}"
        raise InputError([Problem(str(path), where, getattr(exc, "field", None), reason,
                                  has_value=False)]) from None
    if data is None:
        raise file_problem(path, "file is empty")
    return data


def _item_label(data: Any, loc: Sequence[Any]) -> tuple[str, list[Any]]:
    """Split a pydantic location into an item label (with id) and the remaining field path."""
    item_parts: list[str] = []
    node = data
    rest = list(loc)
    # Walk list positions, naming each list element by its id where it has one.
    while len(rest) >= 2 and isinstance(rest[0], str) and isinstance(rest[1], int):
        key, index = rest[0], rest[1]
        label = f"{key}[{index}]"
        try:
            node = node[key][index]
            if isinstance(node, dict) and "id" in node:
                label += f" (id {short_repr(node['id'])})"
            elif isinstance(node, dict) and "name" in node:
                label += f" (name {short_repr(node['name'])})"
        except (KeyError, IndexError, TypeError):
            node = None
        item_parts.append(label)
        rest = rest[2:]
    return " / ".join(item_parts), rest


def problems_from_validation_error(
    file: str, data: Any, error: ValidationError, prefix: Sequence[Any] = ()
) -> list[Problem]:
    """Translate a pydantic ``ValidationError`` into located :class:`Problem` objects.

    ``data`` is the whole document; ``prefix`` is the location of the validated
    part inside it (for example ``("datasets", 3)``).
    """
    problems = []
    for err in error.errors():
        loc = [*prefix, *err["loc"]]
        loc = [p for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
        item, rest = _item_label(data, loc)
        field = ".".join(str(p) for p in rest) or None
        if err["type"] == "extra_forbidden":
            message = "unknown key (check its spelling); not allowed here"
            value, has_value = None, False
        elif err["type"] == "missing":
            message = "required, missing"
            value, has_value = None, False
        else:
            message = err["msg"].removeprefix("Value error, ")
            value, has_value = err.get("input"), True
            if isinstance(value, date):
                value = value.isoformat()
            if isinstance(value, dict | list):
                has_value = False
        problems.append(Problem(file, item, field, message, value, has_value))
    return problems
