"""Input problems: collected, located and explained, never a traceback.

Every loader (inventory, rulebook, taxonomy, sweep configuration) reports bad
input the same way: all problems at once, each naming the file, the item (its
position and id), the field, the bad value and what would be valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

__all__ = ["Problem", "InputError", "file_problem", "read_text", "read_yaml",
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
            text += f", got {self.value!r}"
        return text


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


class _Loader(yaml.SafeLoader):
    """Safe YAML loading in which an impossible date is a located error, not a crash."""

    def construct_yaml_timestamp(self, node: yaml.Node):  # noqa: D102
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid date {node.value!r} ({exc}); write YYYY-MM-DD",
                node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def file_problem(path: str | Path, message: str) -> InputError:
    """An :class:`InputError` about a whole file (missing, empty, wrong format).

    Examples
    --------
    >>> print(file_problem("x.csv", "file not found"))
    x.csv: file not found
    """
    return InputError([Problem(str(path), "", None, message, has_value=False)])


def read_text(path: str | Path) -> str:
    """A file's UTF-8 text; a missing or non-UTF-8 file is an :class:`InputError` naming it.

    Examples
    --------
    >>> read_text("/no/such/file.csv")
    Traceback (most recent call last):
    ...
    bulkimpact.problems.InputError: /no/such/file.csv: file not found
    """
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise file_problem(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise file_problem(path, f"not UTF-8 text ({exc.reason})") from None


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
        raise InputError(
            [Problem(str(path), where, None, f"malformed YAML: {reason}", has_value=False)]
        ) from None
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
                label += f" (id {node['id']!r})"
            elif isinstance(node, dict) and "name" in node:
                label += f" (name {node['name']!r})"
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
            if isinstance(value, dict | list):
                has_value = False
        problems.append(Problem(file, item, field, message, value, has_value))
    return problems
