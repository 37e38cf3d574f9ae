"""Inventory of bulk datasets: validated records of what is held, about whom, with which fields.

An inventory lists reference populations, datasets (with their fields, keys and
quasi-identifiers) and investigations that combine datasets. It is read from
YAML (the main format) or from a pair of CSV tables, validated up front with
pydantic, and every problem is reported at once with its file, item and field.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .cells import CELL_MODELS
from .csvtables import read_table
from .limits import InputDate
from .lookalikes import probable_duplicates
from .problems import (
    InputError,
    Problem,
    file_problem,
    problems_from_validation_error,
    read_yaml,
    short_repr,
)
from .taxonomy import Taxonomy, default_taxonomy

__all__ = [
    "Population",
    "DatasetField",
    "Overlap",
    "Access",
    "Dataset",
    "Investigation",
    "Inventory",
    "load_inventory",
    "population_chain",
    "smallest_common_population",
    "parse_inventory",
    "lookalike_names",
    "SOURCES",
]

SOURCES = ("government", "private", "open", "leaked", "purchased", "partner", "intercept", "other")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)


class Population(_Strict):
    """A reference population datasets are drawn from (e.g. Dutch residents)."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = ""
    size: int = Field(gt=0, description="number of persons in the population")
    part_of: str | None = Field(default=None, description="id of an enclosing population")
    disjoint: bool = Field(
        default=False, description="shares nobody with the other populations part of the same "
        "population (a region abroad beside the EU residents, both part of the world)")
    cells: str | None = Field(
        default=None, description="cell-size model of its quasi-identifiers (postcode sizes, "
        "age pyramid), a key of bulkimpact.cells.CELL_MODELS; without it, equally likely "
        "cells of each field's cardinality")
    description: str = ""


class DatasetField(_Strict):
    """One field (column) of a dataset."""

    name: str = Field(min_length=1)
    category: str
    cardinality: int | None = Field(
        default=None, ge=1, description="distinct values (for quasi-identifiers)"
    )
    key: str | None = Field(default=None, description="linkage key namespace, e.g. 'email'")
    match_quality: float = Field(
        default=1.0, ge=0.0, le=1.0, description="share of records whose key is usable"
    )


class Overlap(_Strict):
    """An analyst's known number of persons shared with another dataset."""

    with_: str = Field(alias="with")
    persons: float = Field(ge=0)
    note: str = ""


class Access(_Strict):
    """Who may work with the dataset."""

    staff: int | None = Field(default=None, ge=0)
    teams: int | None = Field(default=None, ge=0)


class Dataset(_Strict):
    """A bulk dataset."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    description: str = ""
    service: str = ""
    acquisition: str = ""
    source: Literal[SOURCES]  # type: ignore[valid-type]
    leaked: bool = False
    paid: bool = False
    made_public_by_subjects: bool = False
    technical_only: bool = False
    persons: int = Field(gt=0, strict=True)
    population: str
    fields: list[DatasetField] = Field(min_length=1)
    overlaps: list[Overlap] = []
    acquired: InputDate | None = None
    relevance_deadline: InputDate | None = None
    extensions: list[InputDate] = []
    destroyed: InputDate | None = Field(
        default=None, description="day the dataset was destroyed (held until the day before)")
    access: Access | None = None
    cost: float = Field(default=1.0, gt=0, description="weight of escalating this dataset")
    uses_per_year: float | None = Field(
        default=None, ge=0, allow_inf_nan=False,
        description="times the dataset is used a year (absent: the dataset_use_rate parameter)")

    def planned_retention_years(self) -> float | None:
        """Years from ``acquired`` to its planned end: ``destroyed``, else the last extension,
        else the relevance deadline (None when either end is unknown).

        Examples
        --------
        >>> from datetime import date
        >>> d = Dataset(id="a", name="A", source="open", persons=1, population="nl",
        ...             fields=[{"name": "x", "category": "technical"}],
        ...             acquired=date(2024, 1, 1), relevance_deadline=date(2025, 7, 2))
        >>> round(d.planned_retention_years(), 2)
        1.5
        """
        end = self.destroyed or (self.extensions[-1] if self.extensions
                                 else self.relevance_deadline)
        if self.acquired is None or end is None:
            return None
        return (end - self.acquired).days / 365.25

    def categories(self) -> frozenset[str]:
        """Categories of the dataset's fields."""
        return frozenset(f.category for f in self.fields)

    def keys(self) -> dict[str, float]:
        """Key namespaces with their best match quality."""
        keys: dict[str, float] = {}
        for f in self.fields:
            if f.key is not None:
                keys[f.key] = max(keys.get(f.key, 0.0), f.match_quality)
        return keys

    def quasi_identifiers(self, taxonomy: Taxonomy) -> dict[str, int]:
        """Quasi-identifier field names with their cardinality."""
        return {
            f.name: f.cardinality
            for f in self.fields
            if f.cardinality is not None and taxonomy.categories[f.category].quasi_identifier
        }


class Investigation(_Strict):
    """A named use that combines datasets."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = ""
    description: str = ""
    datasets: list[str] = Field(min_length=2)
    uses_per_year: float = Field(
        default=1.0, gt=0, allow_inf_nan=False,
        description="how often a year the investigation combines its datasets (each use "
                    "needs an authorisation under the use-based rule)")


class Inventory(_Strict):
    """A validated inventory.

    Examples
    --------
    >>> inv = parse_inventory({
    ...     "title": "toy", "fictional": True,
    ...     "populations": [{"id": "nl", "size": 1000}],
    ...     "datasets": [{"id": "a", "name": "A", "source": "leaked", "leaked": True,
    ...                   "persons": 100, "population": "nl",
    ...                   "fields": [{"name": "email", "category": "contact", "key": "email"}]}],
    ... })
    >>> inv.dataset("a").persons
    100
    >>> inv.population_size("nl")
    1000
    """

    title: str
    fictional: bool
    description: str = ""
    populations: list[Population] = Field(min_length=1)
    datasets: list[Dataset] = Field(min_length=1)
    investigations: list[Investigation] = []
    source_path: str | None = Field(default=None, exclude=True)
    input_notes: tuple[str, ...] = Field(
        default=(), exclude=True, description="how the files were read (CSV encoding, separator)")

    def planned_retention_years(self) -> float | None:
        """The mean planned retention of the datasets that state both ends, in years (None
        when none does): the horizon the inventory implies.

        Examples
        --------
        >>> round(load_inventory("data/synthetic/baseline.yaml").planned_retention_years(), 2)
        1.65
        """
        years = [y for d in self.datasets if (y := d.planned_retention_years()) is not None]
        return sum(years) / len(years) if years else None

    def dataset(self, dataset_id: str) -> Dataset:
        """The dataset with this id."""
        for d in self.datasets:
            if d.id == dataset_id:
                return d
        raise KeyError(dataset_id)

    def population(self, population_id: str) -> Population:
        """The population with this id."""
        for p in self.populations:
            if p.id == population_id:
                return p
        raise KeyError(population_id)

    def population_size(self, population_id: str) -> int:
        """Size of a population."""
        return self.population(population_id).size

    def population_ancestors(self, population_id: str) -> list[str]:
        """The population and its enclosing populations, innermost first."""
        return population_chain({p.id: p.part_of for p in self.populations}, population_id)

    def common_population(self, a: str, b: str) -> Population | None:
        """The smallest population enclosing both populations, or None if they are unrelated."""
        pid = smallest_common_population({p.id: p.part_of for p in self.populations}, a, b)
        return self.population(pid) if pid is not None else None


def population_chain(part_of: Mapping[str, str | None], population_id: str) -> list[str]:
    """A population and the populations enclosing it, innermost first.

    Examples
    --------
    >>> population_chain({"nl": "eu", "eu": None, "be": "eu"}, "nl")
    ['nl', 'eu']
    """
    chain = [population_id]
    while (parent := part_of[chain[-1]]) is not None:
        chain.append(parent)
    return chain


def smallest_common_population(part_of: Mapping[str, str | None], a: str, b: str) -> str | None:
    """The smallest population enclosing both ``a`` and ``b``, or None if they are unrelated.

    Examples
    --------
    >>> tree = {"nl": "eu", "eu": None, "be": "eu", "us": None}
    >>> smallest_common_population(tree, "nl", "be"), smallest_common_population(tree, "nl", "us")
    ('eu', None)
    """
    enclosing_b = set(population_chain(part_of, b))
    return next((p for p in population_chain(part_of, a) if p in enclosing_b), None)


def _as_date(value: Any) -> date | None:
    """A date given as a YAML date or an ISO string; None when absent or invalid (a date
    with a time of day, given from Python, is invalid: field validation reports it)."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None  # reported by field validation
    return None


def _suggest(value: Any, known: list[str], list_known: bool = True) -> str:
    """``; did you mean 'x'?`` for a near miss, then ``; known: [...]`` when short.

    Examples
    --------
    >>> _suggest("forun", ["forum", "shop"])
    "; did you mean 'forum'?; known: ['forum', 'shop']"
    """
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, known, n=1)
        if close:
            hint = f"; did you mean {close[0]!r}?"
    if list_known and known and len(known) <= 12:
        hint += f"; known: {known}"
    return hint


def _cross_check(data: dict[str, Any], file: str, taxonomy: Taxonomy) -> list[Problem]:
    """Checks that span items: ids, references, sizes, dates, taxonomy terms."""
    problems: list[Problem] = []
    populations = [p for p in data.get("populations") or [] if isinstance(p, dict)]
    datasets = [d for d in data.get("datasets") or [] if isinstance(d, dict)]
    investigations = [i for i in data.get("investigations") or [] if isinstance(i, dict)]
    pop_size = {p.get("id"): p.get("size") for p in populations}
    pop_parent = {p.get("id"): p.get("part_of") for p in populations}
    pop_ids = sorted(map(str, pop_size))
    categories = sorted(taxonomy.categories)
    namespaces = sorted(taxonomy.key_namespaces)
    persons_of = {d.get("id"): d.get("persons") for d in datasets}
    dataset_ids = sorted(map(str, persons_of))

    def item(kind: str, i: int, obj: dict[str, Any]) -> str:
        return f"{kind}[{i}] (id {short_repr(obj['id'])})" if "id" in obj else f"{kind}[{i}]"

    def add(where: str, field: str, message: str, value: Any = None, has_value: bool = True):
        problems.append(Problem(file, where, field, message, value, has_value))

    for kind, objs in (("populations", populations), ("datasets", datasets),
                       ("investigations", investigations)):
        seen: dict[Any, int] = {}
        for i, obj in enumerate(objs):
            oid = obj.get("id")
            if oid in seen:
                add(item(kind, i, obj), "id", f"duplicate id (first used by {kind}[{seen[oid]}])",
                    oid)
            else:
                seen[oid] = i
    for i, p in enumerate(populations):
        where, parent = item("populations", i, p), p.get("part_of")
        if parent is None:
            continue
        if parent not in pop_size:
            add(where, "part_of", "unknown population" + _suggest(parent, pop_ids), parent)
            continue
        chain, node = [p.get("id")], parent
        while node is not None and node not in chain and node in pop_parent:
            chain.append(node)
            node = pop_parent[node]
        if node in chain:
            add(where, "part_of", "populations nest in a cycle ("
                + " → ".join(map(str, [*chain, node])) + "); part_of must lead to an "
                "outermost population", parent)
        size, parent_size = p.get("size"), pop_size.get(parent)
        if isinstance(size, int) and isinstance(parent_size, int) and size > parent_size:
            add(where, "size", f"larger than population {parent!r} ({parent_size:,}) it is "
                "part_of; must be at most that", size)
    problems += _disjoint_problems(populations, file, item)
    for i, p in enumerate(populations):
        if p.get("cells") is not None and p.get("cells") not in CELL_MODELS:
            add(item("populations", i, p), "cells", "unknown cell-size model"
                + _suggest(p.get("cells"), sorted(CELL_MODELS)), p.get("cells"))
    for i, d in enumerate(datasets):
        where = item("datasets", i, d)
        pop = d.get("population")
        persons = d.get("persons")
        if pop is not None and pop not in pop_size:
            add(where, "population", "unknown population" + _suggest(pop, pop_ids), pop)
        elif (isinstance(persons, int) and isinstance(pop_size.get(pop), int)
              and persons > pop_size[pop]):
            add(where, "persons", f"exceeds the size of population {pop!r} "
                f"({pop_size[pop]:,}); must be at most that", persons)
        for j, f in enumerate(d.get("fields") or []):
            if not isinstance(f, dict):
                continue
            fwhere = f"{where} / fields[{j}]" + (f" (name {f['name']!r})" if "name" in f else "")
            cat = f.get("category")
            if cat is not None and cat not in taxonomy.categories:
                add(fwhere, "category", "unknown category" + _suggest(cat, categories, False)
                    + f"; one of {categories}", cat)
            key = f.get("key")
            if key is not None and key not in taxonomy.key_namespaces:
                add(fwhere, "key", "unknown key namespace" + _suggest(key, namespaces, False)
                    + f"; one of {namespaces}", key)
        for j, o in enumerate(d.get("overlaps") or []):
            if not isinstance(o, dict):
                continue
            other, shared = o.get("with"), o.get("persons")
            if other == d.get("id"):
                add(where, f"overlaps[{j}].with", "a dataset cannot overlap itself", other)
            elif other is not None and other not in persons_of:
                add(where, f"overlaps[{j}].with", "unknown dataset id"
                    + _suggest(other, dataset_ids), other)
            if isinstance(shared, int | float) and not isinstance(shared, bool):
                if isinstance(persons, int) and shared > persons:
                    add(where, f"overlaps[{j}].persons",
                        f"exceeds this dataset's persons ({persons:,})", shared)
                elif (isinstance(persons_of.get(other), int) and persons_of[other] > 0
                      and shared > persons_of[other]):
                    add(where, f"overlaps[{j}].persons",
                        f"exceeds the persons of {other!r} ({persons_of[other]:,})", shared)
        src = d.get("source")
        for flag, implied_by in (("leaked", "leaked"), ("paid", "purchased")):
            if src == implied_by and d.get(flag) is False:
                add(where, flag, f"source is {implied_by!r} but {flag} is false; "
                    f"set {flag}: true or change the source", False)
        acquired, deadline = _as_date(d.get("acquired")), _as_date(d.get("relevance_deadline"))
        if acquired and deadline and deadline < acquired:
            add(where, "relevance_deadline",
                f"before the acquisition date {acquired.isoformat()}", deadline.isoformat())
        start = deadline
        for j, e in enumerate(_as_date(x) for x in d.get("extensions") or []):
            if e is None:
                continue
            if start is not None and e <= start:
                add(where, f"extensions[{j}]", f"must be later than {start.isoformat()} "
                    "(extensions are successive new end terms)", e.isoformat())
            start = e
        destroyed = _as_date(d.get("destroyed"))
        if acquired and destroyed and destroyed < acquired:
            add(where, "destroyed", f"before the acquisition date {acquired.isoformat()}; a "
                "dataset is destroyed on or after the day it was acquired",
                destroyed.isoformat())
    for i, inv in enumerate(investigations):
        members = inv.get("datasets") or []
        for j, ds in enumerate(members):
            if ds not in persons_of:
                add(item("investigations", i, inv), f"datasets[{j}]",
                    "unknown dataset id" + _suggest(ds, dataset_ids), ds)
            elif ds in members[:j]:
                add(item("investigations", i, inv), f"datasets[{j}]",
                    "listed twice; an investigation combines distinct datasets", ds)
    return problems


def _disjoint_problems(populations: list[dict[str, Any]], file: str, item: Any) -> list[Problem]:
    """A population declared disjoint needs a parent, and its parent must hold it beside its
    siblings: the disjoint children's sizes plus the largest other child's at most the parent's."""
    problems: list[Problem] = []
    sizes = {p.get("id"): p.get("size") for p in populations}
    taken: dict[Any, list[str]] = {}
    for i, p in enumerate(populations):
        if p.get("disjoint") is not True:
            continue
        parent = p.get("part_of")
        if parent is None:
            problems.append(Problem(file, item("populations", i, p), "disjoint", "a population "
                                    "without part_of is already disjoint from every other; "
                                    "give part_of or leave disjoint out", True))
        elif parent in sizes:
            taken.setdefault(parent, []).append(p.get("id"))
    for i, p in enumerate(populations):
        apart = taken.get(p.get("id"))
        if not apart or not isinstance(p.get("size"), int):
            continue
        children = [c for c in populations if c.get("part_of") == p.get("id")]
        if not all(isinstance(c.get("size"), int) for c in children):
            continue
        need = sum(sizes[c] for c in apart) + max(
            (c["size"] for c in children if c.get("id") not in apart), default=0)
        if need > p["size"]:
            problems.append(Problem(
                file, item("populations", i, p), "size",
                f"too small for its disjoint part(s) {apart} beside its largest other part "
                f"({need:,} persons); must be at least that, or drop disjoint", p["size"]))
    return problems


def parse_inventory(
    data: Any, file: str = "<inventory>", taxonomy: Taxonomy | None = None
) -> Inventory:
    """Validate an inventory given as plain data (as read from YAML).

    Raises
    ------
    InputError
        Listing every problem found, each with file, item, field and value.
    """
    taxonomy = taxonomy or default_taxonomy()
    if not isinstance(data, dict):
        raise InputError([Problem(file, "", None, "must be a mapping with keys 'title', "
                                  "'fictional', 'populations', 'datasets'",
                                  type(data).__name__)])
    problems: list[Problem] = []
    inventory = None
    try:
        inventory = Inventory.model_validate({**data, "source_path": file})
    except ValidationError as exc:
        problems += problems_from_validation_error(file, data, exc)
    problems += _cross_check(data, file, taxonomy)
    if problems or inventory is None:
        raise InputError(problems)
    return inventory


_BOOL = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": False}


def _inventory_from_csv(datasets_csv: Path) -> tuple[dict[str, Any], list[Problem], list[str]]:
    """Build inventory data from ``datasets.csv`` and the ``fields.csv`` beside it.

    datasets.csv columns: id, name, source, persons, population, population_size and optionally
    service, acquisition, leaked, paid, made_public_by_subjects, technical_only, cost, title,
    description, fictional, acquired, relevance_deadline, destroyed (ISO dates) and extensions
    (ISO dates separated by ``;``). fields.csv columns: dataset, name, category and optionally
    cardinality, key, match_quality. Returns the data and the problems only the tables show
    (fields of unknown datasets, conflicting population sizes, rows of the wrong width) and
    notes on how each table was read (encoding, separator: :mod:`bulkimpact.csvtables`).
    """
    fields_csv = datasets_csv.with_name("fields.csv")
    tables = {p: read_table(p) for p in (datasets_csv, fields_csv)}
    problems = [p for t in tables.values() for p in t.problems]
    notes = [f"{p}: {n}" for p, t in tables.items() for n in t.notes]
    rows = tables[datasets_csv].rows
    ids = [row.get("id", "") for _, row in rows]
    fields_by_dataset: dict[str, list[dict[str, Any]]] = {}
    for line, row in tables[fields_csv].rows:
        f: dict[str, Any] = {"name": row.get("name"), "category": row.get("category")}
        for col, conv in (("cardinality", int), ("match_quality", float), ("key", str)):
            if row.get(col):
                try:
                    f[col] = conv(tables[fields_csv].number(row[col]))
                except ValueError:
                    f[col] = row[col]  # let validation report it with its location
        dataset = row.get("dataset", "")
        if dataset not in ids:
            problems.append(Problem(str(fields_csv), f"row {line}", "dataset",
                                    "no such dataset in datasets.csv" + _suggest(dataset, ids),
                                    dataset))
        fields_by_dataset.setdefault(dataset, []).append(f)
    populations: dict[str, int | str] = {}
    datasets = []
    for line, row in rows:
        d: dict[str, Any] = {k: v for k, v in row.items()
                             if k not in ("population_size", "title", "fictional")
                             and v not in (None, "")}
        for flag in ("leaked", "paid", "made_public_by_subjects", "technical_only"):
            if flag in d:
                d[flag] = _BOOL.get(d[flag].strip().lower(), d[flag])
        if "extensions" in d:
            d["extensions"] = [x.strip() for x in d["extensions"].split(";") if x.strip()]
        for col, conv in (("persons", int), ("cost", float)):
            if col in d:
                try:
                    d[col] = conv(tables[datasets_csv].number(d[col]))
                except ValueError:
                    pass
        d["fields"] = fields_by_dataset.get(row.get("id", ""), [])
        datasets.append(d)
        raw = row.get("population_size", "")
        size: int | str = int(raw) if raw.isdigit() else raw
        pop = row.get("population", "")
        if pop in populations and populations[pop] != size and raw != "":
            problems.append(Problem(str(datasets_csv), f"row {line} (id {row.get('id')!r})",
                                    "population_size", f"differs from the size given earlier "
                                    f"for population {pop!r} ({populations[pop]}); one "
                                    "population has one size", size))
        populations.setdefault(pop, size)
    title = next((r["title"] for _, r in rows if r.get("title")), datasets_csv.parent.name)
    fictional = any(_BOOL.get((r.get("fictional") or "").strip().lower(), False)
                    for _, r in rows)
    return {
        "title": title,
        "fictional": fictional,
        "populations": [{"id": k, "size": v} for k, v in populations.items()],
        "datasets": datasets,
    }, problems, notes


def lookalike_names(inventory: Inventory) -> list[Problem]:
    """Ids and names that look like another one but are spelt differently (probable
    duplicates: :mod:`bulkimpact.lookalikes`); warnings, as two datasets may be meant.

    Examples
    --------
    >>> inv = load_inventory("data/synthetic/baseline.yaml")
    >>> lookalike_names(inv)
    []
    >>> twin = inv.datasets[1].model_copy(update={"id": inv.datasets[0].id.upper()})
    >>> [p.field for p in lookalike_names(inv.model_copy(update={"datasets": [
    ...     inv.datasets[0], twin]}))]
    ['id']
    """
    file = inventory.source_path or "<inventory>"
    problems = []
    for kind, objs, fields in (("populations", inventory.populations, ("id",)),
                               ("datasets", inventory.datasets, ("id", "name")),
                               ("investigations", inventory.investigations, ("id",))):
        for name in fields:
            problems += probable_duplicates(file, f"{kind[:-1]} {name}", (
                (f"{kind}[{i}] (id {o.id!r})", name, getattr(o, name))
                for i, o in enumerate(objs)))
    return problems


def load_inventory(path: str | Path, taxonomy: Taxonomy | None = None) -> Inventory:
    """Load and validate an inventory from YAML, or from CSV tables.

    Parameters
    ----------
    path : str or Path
        A ``.yaml``/``.yml`` file, a ``datasets.csv`` (with ``fields.csv``
        beside it), or a directory holding those two CSV files.
    taxonomy : Taxonomy, optional
        Defaults to the bundled taxonomy.

    Raises
    ------
    InputError
        Listing every problem with file, item (position and id), field and value.

    Examples
    --------
    >>> inv = load_inventory("data/synthetic/csv_example")
    >>> len(inv.datasets), inv.datasets[0].fields[0].category, inv.fictional
    (5, 'direct_identifier', True)
    """
    path = Path(path)
    if path.is_dir():
        path = path / "datasets.csv"
    if path.suffix.lower() == ".csv":
        data, table_problems, notes = _inventory_from_csv(path)
        try:
            inventory = parse_inventory(data, str(path), taxonomy)
        except InputError as exc:
            raise InputError(table_problems + exc.problems) from None
        if table_problems:
            raise InputError(table_problems)
        return inventory.model_copy(update={"input_notes": tuple(notes)})
    elif path.suffix.lower() in (".yaml", ".yml"):
        data = read_yaml(path)
    else:
        raise file_problem(path, "unsupported inventory format; give a .yaml/.yml file, a "
                           "datasets.csv, or a directory with datasets.csv and fields.csv")
    return parse_inventory(data, str(path), taxonomy)
