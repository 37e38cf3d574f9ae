"""The exchange log: provisions to (and questionings of) private partners, validated.

A log is read from YAML or CSV (:func:`load_exchange_log`) and validated like an
inventory: every problem at once, each naming the file, the item (``provisions[3]
(id 'x')`` in YAML, ``row 5 (id 'x')`` in CSV), the field and what would be
valid. See :mod:`bulkimpact.exchange` for what the log is used for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..csvtables import read_table
from ..inventory import _suggest
from ..limits import InputDate
from ..lookalikes import probable_duplicates
from ..problems import (
    InputError,
    Problem,
    file_problem,
    problems_from_validation_error,
    read_yaml,
    short_repr,
)
from ..rulebook import Rulebook
from ..taxonomy import Taxonomy, default_taxonomy

__all__ = ["DIRECTIONS", "LEGAL_GROUNDS", "CSV_COLUMNS", "ExchangeField", "ProvisionOverlap",
           "Provision", "ExchangePopulation", "ExchangeLog", "parse_exchange_log",
           "load_exchange_log"]

#: Which way the data went: ``provided`` by the service to the partner, or
#: ``received`` by the service from it.
DIRECTIONS = ("provided", "received")
#: Legal ground → the direction it covers (seed 002): art. 62 Wiv 2017 for providing data,
#: art. 39 Wiv 2017 (informant) for questioning a company.
LEGAL_GROUNDS = {"art62": "provided", "art39": "received"}
_GROUND_TEXT = {"art62": "art. 62 Wiv 2017, providing data",
                "art39": "art. 39 Wiv 2017, questioning a company as informant"}
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


# --- the log ---------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class ExchangeField(_Strict):
    """One field of a provision: its name, taxonomy category and optional linkage key."""

    name: str = Field(min_length=1)
    category: str
    key: str | None = Field(default=None, description="linkage key namespace, e.g. 'ip'")


class ProvisionOverlap(_Strict):
    """Persons an earlier or later exchange with the same partner is known to share.

    As an inventory's ``overlaps``: a stated figure always wins over the
    independence estimate (0 states that the two share nobody).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    with_: str = Field(alias="with")
    persons: float = Field(ge=0)
    note: str = ""


class Provision(_Strict):
    """One provision (verstrekking) to, or questioning of, a private partner."""

    id: str = Field(pattern=ID_PATTERN)
    date: InputDate
    partner: str = Field(min_length=1)
    direction: Literal[DIRECTIONS]  # type: ignore[valid-type]
    legal_ground: Literal[tuple(LEGAL_GROUNDS)]  # type: ignore[valid-type]
    fields: list[ExchangeField] = Field(min_length=1)
    persons: int = Field(ge=0, strict=True, description="persons touched")
    level: int | str = Field(description="the level it got on its own: a level number or name")
    overlaps: list[ProvisionOverlap] = []
    description: str = ""

    def categories(self) -> frozenset[str]:
        """Categories of the provision's fields."""
        return frozenset(f.category for f in self.fields)

    def keys(self) -> frozenset[str]:
        """Key namespaces of the provision's fields."""
        return frozenset(f.key for f in self.fields if f.key is not None)


class ExchangePopulation(_Strict):
    """The reference population persons touched are drawn from (for distinct persons)."""

    name: str = ""
    size: int = Field(gt=0, strict=True)


class ExchangeLog(_Strict):
    """A validated exchange log.

    Examples
    --------
    >>> log = load_exchange_log(_BUNDLED_EXAMPLE)
    >>> log.fictional, len(log.partners()) >= 3
    (True, True)
    """

    title: str
    fictional: bool
    description: str = ""
    population: ExchangePopulation
    provisions: list[Provision] = Field(min_length=1)
    source_path: str | None = Field(default=None, exclude=True)
    input_notes: tuple[str, ...] = Field(
        default=(), exclude=True, description="how the file was read (CSV encoding, separator)")

    def partners(self) -> list[str]:
        """Partner names, in order of their first provision."""
        return list(dict.fromkeys(p.partner for p in sorted(self.provisions, key=_order)))

    def provided(self, partner: str | None = None) -> list[Provision]:
        """Provisions by the service (direction ``provided``) by date, to one partner or all."""
        return sorted((p for p in self.provisions if p.direction == "provided"
                       and (partner is None or p.partner == partner)), key=_order)

    def exchanged(self, partner: str | None = None, provided_only: bool = False
                  ) -> list[Provision]:
        """Provisions both ways (or only those ``provided``) by date, with one partner or all."""
        return sorted((p for p in self.provisions
                       if (not provided_only or p.direction == "provided")
                       and (partner is None or p.partner == partner)), key=_order)

    def stated_level(self, provision: Provision, rulebook: Rulebook) -> int:
        """The level the log states for a provision, as a number of the rulebook's levels."""
        return _resolve_level(provision.level, rulebook)

    def last_date(self) -> dt.date:
        """The date of the log's last provision."""
        return max(p.date for p in self.provisions)


def _order(p: Provision) -> tuple[dt.date, str]:
    return (p.date, p.id)


#: The bundled fictional log, by its name in the repository (doctests run at its root).
_BUNDLED_EXAMPLE = "data/synthetic/exchange/exchange_log.yaml"


def _resolve_level(level: int | str, rulebook: Rulebook) -> int:
    """A level given as a number or a name, as a number; ValueError if the rulebook lacks it.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> _resolve_level("medium", rb), _resolve_level(3, rb), _resolve_level("2", rb)
    (2, 3, 2)
    """
    names = rulebook.level_names()
    if isinstance(level, str) and level.strip().isdigit():
        level = int(level.strip())
    if isinstance(level, int) and not isinstance(level, bool):
        if 0 <= level <= rulebook.max_level:
            return level
        raise ValueError(f"no level {level} in the rulebook; a number 0–{rulebook.max_level} "
                         f"or a name {names}")
    if level in names:
        return names.index(level)
    raise ValueError("unknown level" + _suggest(level, names, False)
                     + f"; a number 0–{rulebook.max_level} or a name {names}")


def _where(i: int, provision: dict[str, Any]) -> str:
    """``provisions[i] (id 'x')``: where a provision stands, for a message."""
    if "id" in provision:
        return f"provisions[{i}] (id {short_repr(provision['id'])})"
    return f"provisions[{i}]"


def _cross_check(data: dict[str, Any], file: str, taxonomy: Taxonomy,
                 rulebook: Rulebook | None) -> list[Problem]:
    """Checks beyond one field's type: ids, grounds, taxonomy terms, levels, persons."""
    problems: list[Problem] = []
    provisions = data.get("provisions")
    provisions = provisions if isinstance(provisions, list) else []
    categories = sorted(taxonomy.categories)
    namespaces = sorted(taxonomy.key_namespaces)
    population = data.get("population")
    size = population.get("size") if isinstance(population, dict) else None
    seen: dict[Any, int] = {}
    partner_of = {p.get("id"): (p.get("partner"), p.get("persons")) for p in provisions
                  if isinstance(p, dict)}

    def add(where: str, name: str, message: str, value: Any = None, has_value: bool = True):
        problems.append(Problem(file, where, name, message, value, has_value))

    for i, p in enumerate(provisions):
        if not isinstance(p, dict):
            continue
        where = _where(i, p)
        pid = p.get("id")
        if pid in seen:
            add(where, "id", f"duplicate id (first used by provisions[{seen[pid]}])", pid)
        elif pid is not None:
            seen[pid] = i
        ground, direction = p.get("legal_ground"), p.get("direction")
        if ground in LEGAL_GROUNDS and direction in DIRECTIONS \
                and LEGAL_GROUNDS[ground] != direction:
            fit = next(g for g, d in LEGAL_GROUNDS.items() if d == direction)
            add(where, "legal_ground",
                f"{ground} is {_GROUND_TEXT[ground]}; it goes with direction "
                f"{LEGAL_GROUNDS[ground]!r}, but the direction is {direction!r}; a "
                f"{direction} provision rests on {fit} ({_GROUND_TEXT[fit]})", ground)
        elif isinstance(ground, str) and ground not in LEGAL_GROUNDS:
            close = ground.replace(".", "").replace(" ", "").lower()
            if close in LEGAL_GROUNDS:
                add(where, "legal_ground", f"write {close!r} ({_GROUND_TEXT[close]}); the "
                    f"grounds are {list(LEGAL_GROUNDS)}", ground)
        personal = []
        for j, f in enumerate(p.get("fields") or []):
            if not isinstance(f, dict):
                continue
            fwhere = f"{where} / fields[{j}]" + (f" (name {f['name']!r})" if "name" in f else "")
            cat = f.get("category")
            if isinstance(cat, str) and cat not in taxonomy.categories:
                add(fwhere, "category", "unknown category" + _suggest(cat, categories, False)
                    + f"; one of {categories}", cat)
            elif isinstance(cat, str) and taxonomy.categories[cat].personal:
                personal.append(cat)
            key = f.get("key")
            if isinstance(key, str) and key not in taxonomy.key_namespaces:
                add(fwhere, "key", "unknown key namespace" + _suggest(key, namespaces, False)
                    + f"; one of {namespaces}", key)
        persons = p.get("persons")
        if isinstance(persons, int) and not isinstance(persons, bool):
            if isinstance(size, int) and persons > size:
                add(where, "persons", f"exceeds the log's population size ({size:,}); must be "
                    "at most that", persons)
            if persons == 0 and personal:
                add(where, "persons", f"0, but the fields hold personal data "
                    f"({', '.join(sorted(set(personal)))}); give the number of persons "
                    "touched (at least 1)", persons)
        for j, o in enumerate(p.get("overlaps") or []):
            other = o.get("with") if isinstance(o, dict) else None
            if not isinstance(other, str):
                continue
            owhere = f"{where} / overlaps[{j}]"
            if other not in partner_of or other == pid:
                add(owhere, "with", "names no other provision of the log; give the id of "
                    "an exchange with the same partner", other)
            elif partner_of[other][0] != p.get("partner"):
                add(owhere, "with", f"is an exchange with {partner_of[other][0]!r}, not with "
                    f"{p.get('partner')!r}; persons are shared only within one partner's "
                    "exchange", other)
            else:
                shared, sizes = o.get("persons"), (persons, partner_of[other][1])
                if isinstance(shared, int | float) and all(isinstance(n, int) for n in sizes) \
                        and shared > min(sizes):
                    add(owhere, "persons", f"more than the smaller of the two ({min(sizes)}); "
                        "two exchanges share at most the persons of the smaller", shared)
        level = p.get("level")
        if rulebook is not None and isinstance(level, int | str) and not isinstance(level, bool):
            try:
                _resolve_level(level, rulebook)
            except ValueError as exc:
                add(where, "level", str(exc), level)
    # One partner spelt two ways would count as two and split what accumulates.
    problems += probable_duplicates(file, "partner", (
        (_where(i, p), "partner", p.get("partner"))
        for i, p in enumerate(provisions) if isinstance(p, dict)))
    return problems


def parse_exchange_log(data: Any, file: str = "<exchange log>", rulebook: Rulebook | None = None,
                       taxonomy: Taxonomy | None = None) -> ExchangeLog:
    """Validate an exchange log given as plain data (as read from YAML).

    With a ``rulebook``, every provision's ``level`` is checked against its
    levels too (otherwise only that it is a number or a name).

    Raises
    ------
    InputError
        Listing every problem found, each with file, item, field and value.

    Examples
    --------
    >>> try:
    ...     parse_exchange_log({"title": "t", "fictional": True, "population": {"size": 10},
    ...         "provisions": [{"id": "a", "date": "2025-01-01", "partner": "P",
    ...             "direction": "provided", "legal_ground": "art39", "persons": 1, "level": 1,
    ...             "fields": [{"name": "ip", "category": "online_identifier"}]}]}, "x.yaml")
    ... except InputError as e:
    ...     print(e)  # doctest: +NORMALIZE_WHITESPACE
    x.yaml: provisions[0] (id 'a'): field 'legal_ground': art39 is art. 39 Wiv 2017,
    questioning a company as informant; it goes with direction 'received', but the direction
    is 'provided'; a provided provision rests on art62 (art. 62 Wiv 2017, providing data),
    got 'art39'
    """
    taxonomy = taxonomy or default_taxonomy()
    if not isinstance(data, dict):
        raise InputError([Problem(file, "", None, "must be a mapping with keys 'title', "
                                  "'fictional', 'population', 'provisions'",
                                  type(data).__name__)])
    problems: list[Problem] = []
    log = None
    cross = _cross_check(data, file, taxonomy, rulebook)
    # A misspelt legal ground gets one message, the cross-check's (it names the spelling).
    grounds = {(p.item, p.field) for p in cross if p.field == "legal_ground"}
    try:
        log = ExchangeLog.model_validate({**data, "source_path": file})
    except ValidationError as exc:
        problems += [p for p in problems_from_validation_error(file, data, exc)
                     if (p.item, p.field) not in grounds]
    problems += cross
    if problems or log is None:
        raise InputError(problems)
    return log


_BOOL = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
#: CSV columns: one row per provision.
CSV_COLUMNS = ("id", "date", "partner", "direction", "legal_ground", "fields", "persons", "level")
CSV_OPTIONAL = ("description", "overlaps", "title", "fictional", "population", "population_size")


def _csv_fields(text: str) -> list[dict[str, Any]] | str:
    """``name:category[:key]; …`` as field mappings (the text itself when it does not parse).

    Examples
    --------
    >>> _csv_fields("src_ip:online_identifier:ip; domain:technical")
    [{'name': 'src_ip', 'category': 'online_identifier', 'key': 'ip'}, \
{'name': 'domain', 'category': 'technical'}]
    """
    out: list[dict[str, Any]] = []
    for part in (s.strip() for s in text.split(";")):
        if not part:
            continue
        bits = [b.strip() for b in part.split(":")]
        if len(bits) not in (2, 3) or not all(bits):
            return text
        f: dict[str, Any] = {"name": bits[0], "category": bits[1]}
        if len(bits) == 3:
            f["key"] = bits[2]
        out.append(f)
    return out


def _csv_overlaps(text: str) -> list[dict[str, Any]] | str:
    """``id:persons; …`` as overlap mappings (the text itself when it does not parse).

    Examples
    --------
    >>> _csv_overlaps("x2024-004:850; x2024-007:0")
    [{'with': 'x2024-004', 'persons': 850.0}, {'with': 'x2024-007', 'persons': 0.0}]
    """
    out: list[dict[str, Any]] = []
    for part in (s.strip() for s in text.split(";")):
        if not part:
            continue
        other, _, persons = part.rpartition(":")
        try:
            out.append({"with": other.strip(), "persons": float(persons)})
        except ValueError:
            return text
        if not other.strip():
            return text
    return out


def _log_from_csv(path: Path) -> tuple[dict[str, Any], list[Problem], list[int]]:
    """Build log data from a CSV table: the data, the problems only the table shows, and the
    file line of each provision row (leading ``#`` comment lines are skipped)."""
    table = read_table(path, comments=True)
    header = table.header
    problems: list[Problem] = list(table.problems)
    missing = [c for c in CSV_COLUMNS if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS + CSV_OPTIONAL]
    where_header = f"row {table.header_line} (header)"
    for c in missing:
        problems.append(Problem(str(path), where_header, c, "required column, missing; the "
                                "columns are " + ", ".join(CSV_COLUMNS), has_value=False))
    for c in unknown:
        problems.append(Problem(str(path), where_header, c, "unknown column (check its "
                                "spelling)" + _suggest(c, list(CSV_COLUMNS + CSV_OPTIONAL),
                                                       False), has_value=False))
    provisions, rows = [], []
    meta: dict[str, tuple[str, int]] = {}
    for line, row in table.rows:
        p: dict[str, Any] = {k: v.strip() for k, v in row.items()
                             if k in CSV_COLUMNS + ("description", "overlaps")
                             and isinstance(v, str)
                             and v.strip() != ""}
        if "persons" in p:
            try:
                p["persons"] = int(p["persons"].replace("_", ""))
            except ValueError:
                pass  # reported by validation, with the row
        if "level" in p and p["level"].isdigit():
            p["level"] = int(p["level"])
        if "fields" in p:
            parsed = _csv_fields(p["fields"])
            if isinstance(parsed, str):
                problems.append(Problem(
                    str(path), f"row {line}" + (f" (id {p['id']!r})" if "id" in p else ""),
                    "fields", "write the fields as name:category or name:category:key, "
                    "separated by ';' (e.g. 'src_ip:online_identifier:ip; domain:technical')",
                    parsed))
                # A stand-in, so validation reports this row's other fields, not this one twice.
                parsed = [{"name": "unparsed", "category": "technical"}]
            p["fields"] = parsed
        if "overlaps" in p:
            overlaps = _csv_overlaps(p["overlaps"])
            if isinstance(overlaps, str):
                problems.append(Problem(
                    str(path), f"row {line}" + (f" (id {p['id']!r})" if "id" in p else ""),
                    "overlaps", "write the overlaps as id:persons, separated by ';' (e.g. "
                    "'x2024-004:850')", overlaps))
                overlaps = []
            p["overlaps"] = overlaps
        for col in ("title", "fictional", "population", "population_size"):
            value = (row.get(col) or "").strip()
            if not value:
                continue
            if col in meta and meta[col][0] != value:
                problems.append(Problem(str(path), f"row {line}", col, f"differs from row "
                                        f"{meta[col][1]} ({meta[col][0]!r}); the log has one "
                                        f"{col}", value))
            meta.setdefault(col, (value, line))
        provisions.append(p)
        rows.append(line)
    data: dict[str, Any] = {"provisions": provisions}
    if "title" in meta:
        data["title"] = meta["title"][0]
    else:
        data["title"] = path.stem
    if "fictional" in meta:
        data["fictional"] = _BOOL.get(meta["fictional"][0].lower(), meta["fictional"][0])
    population: dict[str, Any] = {"name": meta["population"][0]} if "population" in meta else {}
    if "population_size" in meta:
        raw = meta["population_size"][0].replace("_", "")
        population["size"] = int(raw) if raw.isdigit() else raw
    data["population"] = population
    data["input_notes"] = tuple(f"{path}: {n}" for n in table.notes)
    return data, problems, rows


_PROVISION_ITEM = re.compile(r"^provisions\[(\d+)\]")
_ANY_PROVISION = re.compile(r"provisions\[(\d+)\]")


def _rows_named(problems: Iterable[Problem], rows: Sequence[int]) -> list[Problem]:
    """Problems located at ``provisions[i]`` relocated to the CSV row they came from (in the
    message too, where it points at another provision)."""
    def row(match: re.Match[str]) -> str:
        i = int(match.group(1))
        return f"row {rows[i]}" if i < len(rows) else match.group(0)

    out = []
    for p in problems:
        match = _PROVISION_ITEM.match(p.item)
        if match and int(match.group(1)) < len(rows):
            p = Problem(p.file, _ANY_PROVISION.sub(row, p.item), p.field,
                        _ANY_PROVISION.sub(row, p.message), p.value, p.has_value)
        elif not p.item and p.field in ("population.size", "population", "fictional", "title"):
            column = {"population.size": "population_size"}.get(p.field, p.field)
            p = Problem(p.file, "every row", column, p.message + " (a column of the table)",
                        p.value, p.has_value)
        out.append(p)
    return out


def load_exchange_log(path: str | Path, rulebook: Rulebook | None = None,
                      taxonomy: Taxonomy | None = None) -> ExchangeLog:
    """Load and validate an exchange log from YAML or CSV.

    Parameters
    ----------
    path : str or Path
        A ``.yaml``/``.yml`` file with ``title``, ``fictional``, ``population``
        (``name``, ``size``) and ``provisions``; or a ``.csv`` table, one row
        per provision, columns ``id, date, partner, direction, legal_ground,
        fields, persons, level`` and optionally ``description, title,
        fictional, population, population_size``. In CSV, ``fields`` is
        ``name:category[:key]`` items separated by ``;``; leading lines
        starting with ``#`` are comments.
    rulebook : Rulebook, optional
        When given, every ``level`` is checked against its levels.

    Raises
    ------
    InputError
        Every problem, each naming the file, the item (``provisions[3] (id
        'x')`` in YAML, ``row 5 (id 'x')`` in CSV), the field and what is valid.

    Examples
    --------
    >>> a = load_exchange_log("data/synthetic/exchange/exchange_log.yaml")
    >>> b = load_exchange_log("data/synthetic/exchange/exchange_log.csv")
    >>> a.provisions == b.provisions and a.population == b.population
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data, table_problems, rows = _log_from_csv(path)
        try:
            log = parse_exchange_log(data, str(path), rulebook, taxonomy)
        except InputError as exc:
            raise InputError(table_problems + _rows_named(exc.problems, rows)) from None
        if table_problems:
            raise InputError(table_problems)
        return log
    if suffix in (".yaml", ".yml"):
        return parse_exchange_log(read_yaml(path), str(path), rulebook, taxonomy)
    if not path.exists():
        raise file_problem(path, "file not found")
    raise file_problem(path, "unsupported exchange log format; give a .yaml/.yml or .csv file")
