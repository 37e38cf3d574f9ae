"""Structural exchange with private partners: each provision on its own, or over time together.

Seed 002 (the ministers' letter of 17 February 2025) describes the services'
exchange of mainly technical data with companies in the cyber domain.
Companies are questioned as informants (art. 39 Wiv 2017); the services
provide data to them under art. 62 Wiv 2017, each provision judged on its own
("De wet noch de wetsgeschiedenis maakt onderscheid tussen incidentele en
structurele verstrekking"). The CTIVD sees the exchange as structural, to be
considered "in onderlinge samenhang". This module makes both readings
computable for an **exchange log**:

- :func:`load_exchange_log` reads and validates a log (YAML or CSV), every
  problem at once, each naming file, item or row, field and what is valid;
- :func:`level_at` is the cumulative level of what one partner has received
  in a window ending at a date, scored with the same :class:`Rulebook`;
- :func:`partner_timeline` follows it over time and finds the **crossing
  date**, the first date at which the cumulative level exceeds every single
  provision's own level in the window;
- :func:`assess_exchange` compares per-provision and structural assessment
  (provisions, partners and expected distinct persons under a heavier
  safeguard, and from when) and the sensitivity of that verdict to the window.

The model (assumptions, stated once here and in every JSON record)
--------------------------------------------------------------------
*What a partner holds.* Only provisions with direction ``provided`` (made by
the service to the partner, art. 62) build up at the partner; ``received``
provisions (the partner questioned as informant, art. 39) are logged and
validated but hold nothing new for the partner.

*Window.* A rolling window of ``w`` days ending at date ``t`` holds the
provisions dated ``t - w < date <= t``; ``None`` is the partnership's whole
life (every provision up to ``t``). The cumulative level is evaluated at every
date the window's content changes (a provision made or one leaving the
window), up to the log's last date.

*Linking.* Two provisions to the same partner are linked when a field of each
carries the same key namespace (``ip``, ``email``, ``username``, …, the
taxonomy's linkage keys): the same identifier can recur in both, so their
records join per person. Linked groups are the connected components of that
graph among the window's provisions. A group of at least two provisions is
*identifiable* when a member is identifiable on its own (a field in an
identifying category, as :func:`bulkimpact.rulebook.dataset_profile` decides)
or when the members share a **resolving key**
(:data:`RESOLVING_KEYS`: IP addresses that resolve to a subscriber, e-mail
addresses, account names, telephone numbers): an identifier recurring across
provisions with new context each time singles out the person behind it. This
is an assumption of this tool, switchable with ``resolving_keys=()``.

*Union profile and level.* A group's profile is the union of its members'
categories, identifiable as above, its expected distinct persons, and not
public (the partner is bound to secrecy about what it receives, seed 002). Its
level is ``max(max own level of the members, rulebook.score(union profile))``,
the inventory's ``L(S)``; a single provision keeps its own level. The
partner's cumulative level at ``t`` is the highest level of any group in the
window. Adding provisions only adds members and merges groups, so a longer
window never lowers it.

*Persons.* Persons touched by different provisions are not summed: each
provision's persons are taken as an independent random draw from the log's
stated reference population of ``N`` persons, and a group concerns
``N (1 - prod_i (1 - n_i / N))`` **expected distinct persons**
(:func:`bulkimpact.persons.union_size`). Provisions about one incident often
touch the same people, so this is an upper estimate of the distinct persons
for a given total of persons touched.

*Heavier safeguard.* A provision comes under a heavier safeguard when the
level it is assessed at exceeds the rulebook's ``low_intrusion_level`` (the
ministers' "zeer geringe inbreuk"). Per provision, that level is its own;
structurally, the highest level of a group it belongs to while it is in the
window, from the date that group reaches it.

Examples
--------
>>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
>>> rb = load_rulebook(default_rulebook_path())
>>> log = parse_exchange_log({
...     "title": "toy", "fictional": True,
...     "population": {"name": "internet users", "size": 1_000_000},
...     "provisions": [
...         {"id": "a", "date": "2025-01-01", "partner": "P", "direction": "provided",
...          "legal_ground": "art62", "persons": 50, "level": "light",
...          "fields": [{"name": "ip", "category": "online_identifier", "key": "ip"}]},
...         {"id": "b", "date": "2025-01-20", "partner": "P", "direction": "provided",
...          "legal_ground": "art62", "persons": 40, "level": 1,
...          "fields": [{"name": "ip", "category": "online_identifier", "key": "ip"},
...                     {"name": "domain", "category": "technical"}]}]}, rulebook=rb)
>>> level_at(log, "P", "2025-01-20", rb, window=30).level
2
>>> partner_timeline(log, "P", rb, window=10).crossing is None
True
>>> partner_timeline(log, "P", rb, window=30).crossing
datetime.date(2025, 1, 20)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .inventory import _suggest
from .persons import PopulationTree, union_size
from .problems import (
    InputError,
    Problem,
    file_problem,
    problems_from_validation_error,
    read_yaml,
)
from .rulebook import Profile, Rulebook
from .taxonomy import Taxonomy, default_taxonomy

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DIRECTIONS",
    "LEGAL_GROUNDS",
    "RESOLVING_KEYS",
    "WINDOWS",
    "APPROACHES",
    "UNITS",
    "ExchangeField",
    "Provision",
    "ExchangePopulation",
    "ExchangeLog",
    "parse_exchange_log",
    "load_exchange_log",
    "provision_profile",
    "linked_groups",
    "union_profile",
    "WindowLevel",
    "level_at",
    "TimelineStep",
    "PartnerTimeline",
    "partner_timeline",
    "crossing_date",
    "ApproachOutcome",
    "WindowVerdict",
    "ExchangeAssessment",
    "assess_exchange",
    "configure",
]

#: Which way the data went: ``provided`` by the service to the partner, or
#: ``received`` by the service from it.
DIRECTIONS = ("provided", "received")
#: Legal ground → the direction it covers (seed 002): art. 62 Wiv 2017 for providing data,
#: art. 39 Wiv 2017 (informant) for questioning a company.
LEGAL_GROUNDS = {"art62": "provided", "art39": "received"}
_GROUND_TEXT = {"art62": "art. 62 Wiv 2017, providing data",
                "art39": "art. 39 Wiv 2017, questioning a company as informant"}
#: Key namespaces whose values resolve to a person when they recur across provisions
#: (an IP address to its subscriber, an e-mail address or account name to its holder):
#: an assumption of this tool (see the module's notes).
RESOLVING_KEYS = ("ip", "email", "username", "phone")
#: The windows the sensitivity compares, in days; None is the partnership's whole life.
WINDOWS: tuple[int | None, ...] = (30, 90, 365, None)
#: The two readings compared: the ministers' (each provision on its own, art. 62) and the
#: CTIVD's (structural, "in onderlinge samenhang").
APPROACHES = ("per_provision", "structural")
#: What each number of the JSON record counts.
UNITS = {
    "provisions": "provisions by the service to a partner (direction 'provided')",
    "partners": "partners with at least one such provision",
    "expected_distinct_persons": (
        "expected number of distinct persons: each provision's persons touched an independent "
        "random draw from the log's reference population, N (1 - prod (1 - n_i/N)); not a sum"),
    "level": "regime level of the rulebook (0 lowest)",
    "crossing_date": ("first date at which the partner's cumulative level exceeds every single "
                      "provision's own level in the window; null if never"),
    "heavier": "assessed above the rulebook's low_intrusion_level",
    "window_days": "rolling window in days (provisions dated t - w < date <= t); null = whole "
                   "partnership",
}
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


# --- the log ---------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExchangeField(_Strict):
    """One field of a provision: its name, taxonomy category and optional linkage key."""

    name: str = Field(min_length=1)
    category: str
    key: str | None = Field(default=None, description="linkage key namespace, e.g. 'ip'")


class Provision(_Strict):
    """One provision (verstrekking) to, or questioning of, a private partner."""

    id: str = Field(pattern=ID_PATTERN)
    date: dt.date
    partner: str = Field(min_length=1)
    direction: Literal[DIRECTIONS]  # type: ignore[valid-type]
    legal_ground: Literal[tuple(LEGAL_GROUNDS)]  # type: ignore[valid-type]
    fields: list[ExchangeField] = Field(min_length=1)
    persons: int = Field(ge=0, strict=True, description="persons touched")
    level: int | str = Field(description="the level it got on its own: a level number or name")
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

    def partners(self) -> list[str]:
        """Partner names, in order of their first provision."""
        return list(dict.fromkeys(p.partner for p in sorted(self.provisions, key=_order)))

    def provided(self, partner: str | None = None) -> list[Provision]:
        """Provisions by the service (direction ``provided``) by date, to one partner or all."""
        return sorted((p for p in self.provisions if p.direction == "provided"
                       and (partner is None or p.partner == partner)), key=_order)

    def own_level(self, provision: Provision, rulebook: Rulebook) -> int:
        """A provision's own level as a number of the rulebook's levels."""
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

    def add(where: str, name: str, message: str, value: Any = None, has_value: bool = True):
        problems.append(Problem(file, where, name, message, value, has_value))

    for i, p in enumerate(provisions):
        if not isinstance(p, dict):
            continue
        where = f"provisions[{i}] (id {p['id']!r})" if "id" in p else f"provisions[{i}]"
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
        level = p.get("level")
        if rulebook is not None and isinstance(level, int | str) and not isinstance(level, bool):
            try:
                _resolve_level(level, rulebook)
            except ValueError as exc:
                add(where, "level", str(exc), level)
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
CSV_OPTIONAL = ("description", "title", "fictional", "population", "population_size")


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


def _log_from_csv(path: Path) -> tuple[dict[str, Any], list[Problem], list[int]]:
    """Build log data from a CSV table: the data, the problems only the table shows, and the
    file line of each provision row (leading ``#`` comment lines are skipped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise file_problem(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise file_problem(path, f"not UTF-8 text ({exc.reason})") from None
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and (lines[skipped].startswith("#") or not lines[skipped].strip()):
        skipped += 1
    reader = csv.DictReader(io.StringIO("".join(lines[skipped:])))
    header = reader.fieldnames or []
    problems: list[Problem] = []
    missing = [c for c in CSV_COLUMNS if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS + CSV_OPTIONAL]
    if not header:
        raise file_problem(path, "no header row; the columns are " + ", ".join(CSV_COLUMNS))
    where_header = f"row {skipped + 1} (header)"
    for c in missing:
        problems.append(Problem(str(path), where_header, c, "required column, missing; the "
                                "columns are " + ", ".join(CSV_COLUMNS), has_value=False))
    for c in unknown:
        problems.append(Problem(str(path), where_header, c, "unknown column (check its "
                                "spelling)" + _suggest(c, list(CSV_COLUMNS + CSV_OPTIONAL),
                                                       False), has_value=False))
    provisions, rows = [], []
    meta: dict[str, tuple[str, int]] = {}
    for row in reader:
        line = skipped + reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        p: dict[str, Any] = {k: v.strip() for k, v in row.items()
                             if k in CSV_COLUMNS + ("description",) and isinstance(v, str)
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
    return data, problems, rows


_PROVISION_ITEM = re.compile(r"^provisions\[(\d+)\]")


def _rows_named(problems: Iterable[Problem], rows: Sequence[int]) -> list[Problem]:
    """Problems located at ``provisions[i]`` relocated to the CSV row they came from."""
    out = []
    for p in problems:
        match = _PROVISION_ITEM.match(p.item)
        if match and int(match.group(1)) < len(rows):
            item = f"row {rows[int(match.group(1))]}" + p.item[match.end():]
            p = Problem(p.file, item, p.field, p.message, p.value, p.has_value)
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


# --- profiles, links and the cumulative level --------------------------------------------------


def provision_profile(provision: Provision, taxonomy: Taxonomy | None = None) -> Profile:
    """The profile of one provision, built as :func:`bulkimpact.rulebook.dataset_profile` does.

    Identifiable when a field's category identifies on its own; persons are
    the persons touched; never public (the partner keeps it secret, seed 002).

    Examples
    --------
    >>> p = Provision(id="a", date="2025-01-01", partner="P", direction="provided",
    ...               legal_ground="art62", persons=3, level=1,
    ...               fields=[{"name": "mail", "category": "contact", "key": "email"}])
    >>> provision_profile(p)
    Profile(categories=frozenset({'contact'}), identifiable=True, persons=3.0, public=False)
    """
    taxonomy = taxonomy or default_taxonomy()
    categories = provision.categories()
    return Profile(categories=categories,
                   identifiable=bool(categories & taxonomy.identifying_categories()),
                   persons=float(provision.persons), public=False)


def linked_groups(provisions: Sequence[Provision]) -> list[list[Provision]]:
    """Provisions joined by shared key namespaces: connected components, each sorted by date.

    Examples
    --------
    >>> def prov(i, *keys):
    ...     return Provision(id=i, date="2025-01-01", partner="P", direction="provided",
    ...                      legal_ground="art62", persons=1, level=1, fields=[
    ...                          {"name": k, "category": "online_identifier", "key": k}
    ...                          for k in keys] or [{"name": "h", "category": "technical"}])
    >>> [[p.id for p in g] for g in linked_groups(
    ...     [prov("a", "ip"), prov("b", "ip", "email"), prov("c", "email"), prov("d")])]
    [['a', 'b', 'c'], ['d']]
    """
    parent = list(range(len(provisions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for i, p in enumerate(provisions):
        for key in p.keys():
            j = first_with.setdefault(key, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[Provision]] = {}
    for i, p in enumerate(provisions):
        groups.setdefault(find(i), []).append(p)
    return sorted((sorted(g, key=_order) for g in groups.values()),
                  key=lambda g: _order(g[0]))


def _shared_keys(group: Sequence[Provision]) -> frozenset[str]:
    seen: dict[str, int] = {}
    for p in group:
        for key in p.keys():
            seen[key] = seen.get(key, 0) + 1
    return frozenset(k for k, n in seen.items() if n >= 2)


def _tree(population_size: float) -> PopulationTree:
    return PopulationTree({"population": float(population_size)}, {"population": None})


def distinct_persons(provisions: Iterable[Provision], population_size: float) -> float:
    """Expected distinct persons touched by provisions (independent draws; not a sum).

    Examples
    --------
    >>> def prov(i, n):
    ...     return Provision(id=i, date="2025-01-01", partner="P", direction="provided",
    ...                      legal_ground="art62", persons=n, level=1,
    ...                      fields=[{"name": "ip", "category": "online_identifier"}])
    >>> distinct_persons([prov("a", 500), prov("b", 500)], 1_000)
    750.0
    """
    return union_size([("population", p.persons) for p in provisions], _tree(population_size))


def union_profile(group: Sequence[Provision], population_size: float,
                  taxonomy: Taxonomy | None = None,
                  resolving_keys: Collection[str] = RESOLVING_KEYS) -> Profile:
    """The profile of a linked group of provisions, as the partner holds them together.

    Notes
    -----
    Categories: union. Identifiable: a member identifiable on its own, or a
    key namespace of ``resolving_keys`` shared by at least two members (the
    same IP address, e-mail address or account name recurring with new context
    each time). Persons: expected distinct persons (:func:`distinct_persons`).
    Public: never. Every clause only grows as members are added.

    Examples
    --------
    >>> def prov(i, n, *fields):
    ...     return Provision(id=i, date="2025-01-01", partner="P", direction="provided",
    ...                      legal_ground="art62", persons=n, level=1, fields=list(fields))
    >>> ip = {"name": "ip", "category": "online_identifier", "key": "ip"}
    >>> p = union_profile([prov("a", 500, ip), prov("b", 500, ip)], 1_000)
    >>> p.identifiable, p.persons
    (True, 750.0)
    >>> union_profile([prov("a", 500, ip), prov("b", 500, ip)], 1_000,
    ...               resolving_keys=()).identifiable
    False
    """
    taxonomy = taxonomy or default_taxonomy()
    profiles = [provision_profile(p, taxonomy) for p in group]
    identifiable = any(p.identifiable for p in profiles) or (
        len(group) >= 2 and bool(_shared_keys(group) & set(resolving_keys)))
    return Profile(categories=frozenset().union(*(p.categories for p in profiles)),
                   identifiable=identifiable,
                   persons=distinct_persons(group, population_size), public=False)


@dataclass(frozen=True)
class GroupLevel:
    """A linked group in a window: members, level and why."""

    members: tuple[str, ...]
    level: int
    member_level: int
    persons: float
    rules: tuple[str, ...]
    shared_keys: tuple[str, ...]

    @property
    def raised(self) -> bool:
        """Whether the group is heavier than each of its members on its own."""
        return self.level > self.member_level


@dataclass(frozen=True)
class WindowLevel:
    """A partner's cumulative level at a date over a window.

    ``level`` is the highest level of any linked group of the window's
    provisions; ``own_level`` the highest own level of a single provision;
    ``persons`` the expected distinct persons the window's provisions touch.
    """

    partner: str
    date: dt.date
    window: int | None
    provisions: tuple[str, ...]
    level: int
    own_level: int
    persons: float
    groups: tuple[GroupLevel, ...]

    @property
    def raised(self) -> bool:
        """Whether the cumulative level exceeds every single provision's own level."""
        return self.level > self.own_level

    @property
    def rules(self) -> tuple[str, ...]:
        """Rules fired on the heaviest raised group (empty when none is raised)."""
        raised = [g for g in self.groups if g.raised]
        return max(raised, key=lambda g: g.level).rules if raised else ()


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _in_window(p: Provision, at: dt.date, window: int | None) -> bool:
    return p.date <= at and (window is None or (at - p.date).days < window)


def _check_window(window: int | None) -> None:
    if window is not None and (isinstance(window, bool) or not isinstance(window, int)
                               or window < 1):
        raise ValueError(f"window must be a whole number of days ≥ 1, or None for the whole "
                         f"partnership, got {window!r}")


def _levels(provisions: Sequence[Provision], log: ExchangeLog, rulebook: Rulebook,
            taxonomy: Taxonomy, resolving_keys: Collection[str],
            own: dict[str, int]) -> list[GroupLevel]:
    out = []
    for group in linked_groups(provisions):
        member_level = max(own[p.id] for p in group)
        shared = tuple(sorted(_shared_keys(group)))
        if len(group) == 1:  # a single provision is no combination: its own level
            out.append(GroupLevel((group[0].id,), member_level, member_level,
                                  float(group[0].persons), (), shared))
            continue
        profile = union_profile(group, log.population.size, taxonomy, resolving_keys)
        score = rulebook.score(profile, taxonomy)
        out.append(GroupLevel(tuple(p.id for p in group), max(member_level, score.level),
                              member_level, profile.persons, score.rules, shared))
    return out


def level_at(log: ExchangeLog, partner: str, at: dt.date | str, rulebook: Rulebook,
             window: int | None = None, taxonomy: Taxonomy | None = None,
             resolving_keys: Collection[str] = RESOLVING_KEYS) -> WindowLevel:
    """The cumulative level of what ``partner`` has received in the window ending ``at``.

    Parameters
    ----------
    window : int or None
        Days: the provisions dated ``at - window < date <= at``; None for the
        whole partnership up to ``at``.

    Notes
    -----
    ``level = max over linked groups G of max(max_{p in G} own(p),
    rulebook(union profile of G))`` (:func:`union_profile`); 0 provisions give
    the rulebook's lowest level.

    Examples
    --------
    See the module's example; a date with nothing in the window:

    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> log = load_exchange_log(_BUNDLED_EXAMPLE)
    >>> level_at(log, log.partners()[0], "2000-01-01", rb).provisions
    ()
    """
    _check_window(window)
    taxonomy = taxonomy or default_taxonomy()
    at = _as_date(at)
    inside = [p for p in log.provided(partner) if _in_window(p, at, window)]
    own = {p.id: log.own_level(p, rulebook) for p in inside}
    groups = _levels(inside, log, rulebook, taxonomy, resolving_keys, own)
    lowest = rulebook.levels[0].level
    return WindowLevel(
        partner=partner, date=at, window=window, provisions=tuple(p.id for p in inside),
        level=max((g.level for g in groups), default=lowest),
        own_level=max(own.values(), default=lowest),
        persons=distinct_persons(inside, log.population.size), groups=tuple(groups))


@dataclass(frozen=True)
class TimelineStep:
    """One date of a partner's timeline: the window's cumulative level from that date on."""

    date: dt.date
    level: int
    own_level: int
    provisions: int
    persons: float
    raised: bool
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerTimeline:
    """A partner's cumulative level over time, its crossing date and per-provision levels.

    ``provision_levels`` maps each provision (to this partner) to ``(own level,
    structural level, date from which the structural level applies)``; the
    structural level is the highest level of a group it belonged to while in
    the window.
    """

    partner: str
    window: int | None
    steps: tuple[TimelineStep, ...]
    crossing: dt.date | None
    provision_levels: dict[str, tuple[int, int, dt.date]] = field(default_factory=dict)

    @property
    def peak_level(self) -> int:
        """The highest cumulative level reached."""
        return max((s.level for s in self.steps), default=0)

    def to_frame(self) -> pd.DataFrame:
        """One row per step: date, level, own_level (highest single provision), provisions,
        expected_distinct_persons (in the window), raised."""
        import pandas as pd

        return pd.DataFrame([{"partner": self.partner, "date": s.date, "level": s.level,
                              "own_level": s.own_level, "provisions": s.provisions,
                              "expected_distinct_persons": s.persons, "raised": s.raised}
                             for s in self.steps])


def _change_dates(provisions: Sequence[Provision], window: int | None,
                  until: dt.date) -> list[dt.date]:
    dates = {p.date for p in provisions}
    if window is not None:
        dates |= {p.date + dt.timedelta(days=window) for p in provisions}
    return sorted(d for d in dates if d <= until)


def partner_timeline(log: ExchangeLog, partner: str, rulebook: Rulebook,
                     window: int | None = None, taxonomy: Taxonomy | None = None,
                     resolving_keys: Collection[str] = RESOLVING_KEYS,
                     until: dt.date | str | None = None) -> PartnerTimeline:
    """A partner's cumulative level at every date its window changes, and its crossing date.

    Parameters
    ----------
    until : date, optional
        Last date evaluated; the log's last date by default.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> log = load_exchange_log(_BUNDLED_EXAMPLE)
    >>> t = partner_timeline(log, "Fictional Sentinel Labs", rb, window=90)
    >>> t.crossing is not None and t.peak_level > 0
    True
    """
    _check_window(window)
    taxonomy = taxonomy or default_taxonomy()
    provisions = log.provided(partner)
    if not provisions:
        raise ValueError(f"no provisions to partner {partner!r} in the log; partners: "
                         f"{log.partners()}")
    end = _as_date(until) if until is not None else log.last_date()
    steps, crossing = [], None
    levels: dict[str, tuple[int, int, dt.date]] = {
        p.id: (log.own_level(p, rulebook),) * 2 + (p.date,) for p in provisions}
    for at in _change_dates(provisions, window, end):
        w = level_at(log, partner, at, rulebook, window, taxonomy, resolving_keys)
        steps.append(TimelineStep(at, w.level, w.own_level, len(w.provisions), w.persons,
                                  w.raised, w.rules))
        if crossing is None and w.raised:
            crossing = at
        for g in w.groups:
            for pid in g.members:
                own, structural, since = levels[pid]
                if g.level > structural:
                    levels[pid] = (own, g.level, at)
    return PartnerTimeline(partner, window, tuple(steps), crossing, levels)


def crossing_date(log: ExchangeLog, partner: str, rulebook: Rulebook,
                  window: int | None = None, **kwargs: Any) -> dt.date | None:
    """The first date at which the partner's cumulative level exceeds every single provision's
    own level in the window; None if it never does (see :func:`partner_timeline`)."""
    return partner_timeline(log, partner, rulebook, window, **kwargs).crossing


# --- per provision against structural ------------------------------------------------------------


@dataclass(frozen=True)
class ApproachOutcome:
    """What one approach brings under a heavier safeguard (above the low-intrusion level).

    ``first`` is the date from which the first provision is under it (None if none is).
    """

    approach: str
    window: int | None
    provisions: int
    partners: int
    persons: float
    first: dt.date | None


@dataclass(frozen=True)
class WindowVerdict:
    """The verdict under one window length."""

    window: int | None
    partners_crossing: int
    first_crossing: dt.date | None
    provisions_raised: int
    structural: ApproachOutcome
    per_provision: ApproachOutcome

    def row(self) -> dict[str, Any]:
        """One row of the sensitivity table (the JSON keys)."""
        return {"window_days": self.window, "partners_crossing": self.partners_crossing,
                "first_crossing": _iso(self.first_crossing),
                "provisions_raised": self.provisions_raised,
                "provisions_heavier_per_provision": self.per_provision.provisions,
                "provisions_heavier_structural": self.structural.provisions,
                "partners_heavier_structural": self.structural.partners,
                "expected_distinct_persons_heavier_structural": self.structural.persons,
                "structural_heavier_from": _iso(self.structural.first)}


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _outcomes(log: ExchangeLog, timelines: dict[str, PartnerTimeline], window: int | None,
              threshold: int) -> tuple[ApproachOutcome, ApproachOutcome, int]:
    by_id = {p.id: p for p in log.provided()}
    result = []
    for approach in APPROACHES:
        heavier: dict[str, dt.date] = {}
        for t in timelines.values():
            for pid, (own, structural, since) in t.provision_levels.items():
                if approach == "per_provision" and own > threshold:
                    heavier[pid] = by_id[pid].date
                elif approach == "structural" and structural > threshold:
                    heavier[pid] = by_id[pid].date if own > threshold else since
        result.append(ApproachOutcome(
            approach, window, len(heavier), len({by_id[p].partner for p in heavier}),
            distinct_persons([by_id[p] for p in heavier], log.population.size),
            min(heavier.values(), default=None)))
    raised = sum(structural > own for t in timelines.values()
                 for own, structural, _ in t.provision_levels.values())
    return result[0], result[1], raised


@dataclass(frozen=True)
class ExchangeAssessment:
    """Per-provision against structural assessment of an exchange log.

    ``timelines`` (partner → :class:`PartnerTimeline`) and ``verdict`` are
    for the chosen ``window``; ``sensitivity`` repeats the verdict for every
    window of :data:`WINDOWS` (and the chosen one).
    """

    log: ExchangeLog
    rulebook: Rulebook
    window: int | None
    threshold: int
    timelines: dict[str, PartnerTimeline]
    verdict: WindowVerdict
    sensitivity: tuple[WindowVerdict, ...]
    resolving_keys: tuple[str, ...] = RESOLVING_KEYS

    def partners_frame(self) -> pd.DataFrame:
        """One row per partner: provisions, levels, crossing date, distinct persons."""
        import pandas as pd

        return pd.DataFrame([self._partner_record(p) for p in self.timelines])

    def _partner_record(self, partner: str) -> dict[str, Any]:
        t = self.timelines[partner]
        provisions = self.log.provided(partner)
        levels = t.provision_levels
        own_heavier = [self.log.own_level(p, self.rulebook) > self.threshold for p in provisions]
        structural = [(levels[p.id][1], levels[p.id][2]) for p in provisions]
        per_from = min((p.date for p, h in zip(provisions, own_heavier, strict=True) if h),
                       default=None)
        str_from = min((p.date if h else s[1] for p, h, s in
                        zip(provisions, own_heavier, structural, strict=True)
                        if h or s[0] > self.threshold), default=None)
        return {
            "partner": partner,
            "provisions": len(provisions),
            "first_provision": _iso(provisions[0].date),
            "last_provision": _iso(provisions[-1].date),
            "own_level_max": max(levels[p.id][0] for p in provisions),
            "cumulative_level_max": t.peak_level,
            "crossing_date": _iso(t.crossing),
            "provisions_raised": sum(levels[p.id][1] > levels[p.id][0] for p in provisions),
            "expected_distinct_persons": distinct_persons(provisions, self.log.population.size),
            "heavier_from_per_provision": _iso(per_from),
            "heavier_from_structural": _iso(str_from),
        }

    def timeline_frame(self) -> pd.DataFrame:
        """Every partner's timeline steps (see :meth:`PartnerTimeline.to_frame`)."""
        import pandas as pd

        frames = [t.to_frame() for t in self.timelines.values()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def provisions_frame(self) -> pd.DataFrame:
        """One row per provision to a partner: own level, structural level and since when."""
        import pandas as pd

        rows = []
        for partner, t in self.timelines.items():
            for p in self.log.provided(partner):
                own, structural, since = t.provision_levels[p.id]
                rows.append({"id": p.id, "partner": partner, "date": p.date,
                             "persons_touched": p.persons, "own_level": own,
                             "structural_level": structural,
                             "structural_since": since if structural > own else None,
                             "categories": ", ".join(sorted(p.categories())),
                             "keys": ", ".join(sorted(p.keys()))})
        return pd.DataFrame(rows)

    def comparison_frame(self) -> pd.DataFrame:
        """Per approach (rows): provisions, partners, expected distinct persons under a
        heavier safeguard, and from when (chosen window)."""
        import pandas as pd

        return pd.DataFrame([_approach_record(o) for o in
                             (self.verdict.per_provision, self.verdict.structural)])

    def sensitivity_frame(self) -> pd.DataFrame:
        """The verdict per window length (rows; None = whole partnership)."""
        import pandas as pd

        return pd.DataFrame([v.row() for v in self.sensitivity])

    def to_json(self) -> dict[str, Any]:
        """The record ``bulkimpact exchange --json`` prints (a stable contract)."""
        rb, log = self.rulebook, self.log
        return {
            "log": {"title": log.title, "fictional": log.fictional, "path": log.source_path,
                    "population": {"name": log.population.name, "size": log.population.size},
                    "provisions": len(log.provisions),
                    "provisions_provided": len(log.provided()),
                    "partners": len(self.timelines)},
            "rulebook": {"title": rb.title, "illustrative": rb.illustrative,
                         "path": rb.source_path, "levels": rb.level_names()},
            "window_days": self.window,
            "heavier_than": {"level": self.threshold,
                             "name": rb.level_names()[self.threshold]},
            "resolving_keys": list(self.resolving_keys),
            "partners": [self._partner_record(p) for p in self.timelines],
            "approaches": [_approach_record(o) for o in
                           (self.verdict.per_provision, self.verdict.structural)],
            "provisions_raised": self.verdict.provisions_raised,
            "sensitivity": [v.row() for v in self.sensitivity],
            "units": dict(UNITS),
        }


def _approach_record(o: ApproachOutcome) -> dict[str, Any]:
    return {"approach": o.approach, "window_days": o.window, "provisions": o.provisions,
            "partners": o.partners, "expected_distinct_persons": o.persons,
            "from": _iso(o.first)}


def _verdict(log: ExchangeLog, rulebook: Rulebook, window: int | None, threshold: int,
             taxonomy: Taxonomy, resolving_keys: Collection[str]
             ) -> tuple[dict[str, PartnerTimeline], WindowVerdict]:
    timelines = {partner: partner_timeline(log, partner, rulebook, window, taxonomy,
                                           resolving_keys)
                 for partner in log.partners() if log.provided(partner)}
    per_provision, structural, raised = _outcomes(log, timelines, window, threshold)
    crossings = [t.crossing for t in timelines.values() if t.crossing is not None]
    return timelines, WindowVerdict(window, len(crossings), min(crossings, default=None),
                                    raised, structural, per_provision)


def assess_exchange(log: ExchangeLog, rulebook: Rulebook, window: int | None = None,
                    windows: Sequence[int | None] = WINDOWS, taxonomy: Taxonomy | None = None,
                    resolving_keys: Collection[str] = RESOLVING_KEYS) -> ExchangeAssessment:
    """Per provision against structural: every partner's timeline and the verdict per window.

    Parameters
    ----------
    window : int or None
        The window of the timelines and the main verdict (days; None = whole
        partnership).
    windows : sequence
        The windows of the sensitivity table (the chosen window is added).

    Raises
    ------
    ValueError
        A level the rulebook does not have (located by file, item and field),
        or a window that is not a whole number of days ≥ 1.

    Examples
    --------
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> a = assess_exchange(load_exchange_log(_BUNDLED_EXAMPLE), rb, window=90)
    >>> [v.window for v in a.sensitivity]
    [30, 90, 365, None]
    >>> a.verdict.structural.provisions >= a.verdict.per_provision.provisions
    True
    """
    _check_window(window)
    for w in windows:
        _check_window(w)
    taxonomy = taxonomy or default_taxonomy()
    problems = _cross_check({"provisions": [p.model_dump(mode="json") for p in log.provisions]},
                            log.source_path or "<exchange log>", taxonomy, rulebook)
    if problems:
        raise InputError(problems)
    threshold = rulebook.low_intrusion_level
    keys = tuple(resolving_keys)
    timelines, verdict = _verdict(log, rulebook, window, threshold, taxonomy, keys)
    sensitivity = []
    for w in list(dict.fromkeys([*windows, window])):
        sensitivity.append(verdict if w == window else
                           _verdict(log, rulebook, w, threshold, taxonomy, keys)[1])
    sensitivity.sort(key=lambda v: math.inf if v.window is None else v.window)
    return ExchangeAssessment(log, rulebook, window, threshold, timelines, verdict,
                              tuple(sensitivity), keys)


# --- the command line ----------------------------------------------------------------------------


def _positive_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of days ≥ 1, got {text!r}"
                                         ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of days ≥ 1, got {text!r}")
    return value


def render_text(assessment: ExchangeAssessment) -> str:
    """The plain-text result ``bulkimpact exchange`` prints (without ``--json``)."""
    a, rb = assessment, assessment.rulebook
    names = rb.level_names()
    window = f"{a.window}-day window" if a.window else "whole partnership"
    fictional = " [fictional data]" if a.log.fictional and "fictional" not in \
        a.log.title.lower() else ""
    lines = [f"{a.log.title}{fictional}: "
             f"{len(a.log.provided())} provisions to {len(a.timelines)} partners; "
             f"rulebook {rb.title!r}; {window}",
             f"heavier safeguard = above level {a.threshold} ({names[a.threshold]}); persons "
             f"are expected distinct persons in a population of {a.log.population.size:,}", ""]
    header = (f"{'partner':<32} {'prov.':>5} {'own max':>8} {'cumul. max':>10} "
              f"{'crossing':>10} {'raised':>6} {'persons':>10}")
    lines += [header, "-" * len(header)]
    for partner in a.timelines:
        r = a._partner_record(partner)
        lines.append(f"{partner[:32]:<32} {r['provisions']:>5} {r['own_level_max']:>8} "
                     f"{r['cumulative_level_max']:>10} {r['crossing_date'] or 'never':>10} "
                     f"{r['provisions_raised']:>6} {r['expected_distinct_persons']:>10,.0f}")
    lines += ["", "under a heavier safeguard:"]
    for o in (a.verdict.per_provision, a.verdict.structural):
        lines.append(f"  {o.approach:<14} {o.provisions} provisions, {o.partners} partners, "
                     f"{o.persons:,.0f} expected distinct persons, from "
                     f"{_iso(o.first) or 'never'}")
    lines += ["", "sensitivity to the window:"]
    for v in a.sensitivity:
        label = f"{v.window} days" if v.window else "whole partnership"
        lines.append(f"  {label:<18} {v.partners_crossing} "
                     f"{'partner crosses' if v.partners_crossing == 1 else 'partners cross'} "
                     "(first "
                     f"{_iso(v.first_crossing) or 'never'}); structural: "
                     f"{v.structural.provisions} provisions heavier, {v.provisions_raised} "
                     "raised above their own level")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, print_json
    from .resources import BUNDLED_RULEBOOK, resolve_input
    from .rulebook import load_rulebook

    rulebook = load_rulebook(resolve_input(args.rulebook, BUNDLED_RULEBOOK))
    log = load_exchange_log(args.log, rulebook)
    assessment = assess_exchange(log, rulebook, window=args.window)
    if args.json:
        print_json(assessment.to_json())
    else:
        print(render_text(assessment))
    return EXIT_OK


def configure(p: argparse.ArgumentParser) -> None:
    """Arguments of ``bulkimpact exchange LOG [--window DAYS] [--rulebook PATH] [--json]``."""
    from .cli import add_json

    p.description = ("Structural exchange with private partners: per partner, the cumulative "
                     "level of what it has received (provisions under art. 62 Wiv 2017) over "
                     "a rolling window, the crossing date at which it first exceeds every "
                     "single provision's own level, and per provision against structural "
                     "assessment (provisions, partners and expected distinct persons under "
                     "a heavier safeguard, and from when) for windows of 30, 90 and 365 days "
                     "and the whole partnership. Exit status 2 for an invalid log or "
                     "rulebook; 1 is not used.")
    p.add_argument("log", metavar="LOG", help="exchange log, YAML or CSV")
    p.add_argument("--window", type=_positive_days, default=None, metavar="DAYS",
                   help="rolling window in days (default: the whole partnership)")
    p.add_argument("--rulebook", metavar="PATH", default=None,
                   help="rulebook YAML (default: the bundled data/rulebooks/default.yaml)")
    add_json(p, "the JSON record (a stable contract)")
    p.set_defaults(handler=_run)
