"""Exact counts on record-level data: uniqueness, overlap and links, in DuckDB.

Every function takes its data as a *source*: a Parquet path, a pyarrow Table
or a pandas DataFrame. DuckDB scans it in place (Arrow zero-copy, Parquet
streamed), so memory stays within a few times the columns touched, and with
a ``temp_directory`` larger-than-memory joins and aggregations spill to disk.

Quasi-identifier names may be population columns or derived ones:
``pc4`` (first four characters of ``postcode``), ``birth_year`` (year of
``date_of_birth``) and ``region`` (first digit of the postcode).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .population import KOOT_2010

__all__ = [
    "DERIVED",
    "DEFAULT_QI_SETS",
    "SourceError",
    "connect",
    "Uniqueness",
    "uniqueness",
    "uniqueness_table",
    "calibration_table",
    "overlap",
    "LinkCount",
    "key_links",
    "qi_links",
    "links",
]

Source = str | os.PathLike[str] | pa.Table | pd.DataFrame

DERIVED = {
    "pc4": ("postcode", "substr({}, 1, 4)"),
    "birth_year": ("date_of_birth", "year({})"),
    "region": ("postcode", "substr({}, 1, 1)"),
}
"""Derived quasi-identifiers: name -> (base column, SQL expression of it)."""

DEFAULT_QI_SETS = (
    ("date_of_birth", "pc4"),
    ("date_of_birth", "postcode"),
    ("date_of_birth", "postcode", "sex"),
)
"""The quasi-identifier sets of the notebook's uniqueness table."""


class SourceError(ValueError):
    """A source or column that cannot be used; the message names it and what is valid."""


def connect(memory_limit: str | None = None, threads: int | None = None,
            temp_directory: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection set up for large scans.

    Parameters
    ----------
    memory_limit : str, optional
        e.g. ``"4GB"``; DuckDB spills to ``temp_directory`` beyond it.
    threads : int, optional
        Worker threads (default: all cores).
    temp_directory : str, optional
        Where to spill for out-of-core runs.

    Examples
    --------
    >>> connect(threads=1).execute("select 1 + 1").fetchone()
    (2,)
    """
    con = duckdb.connect()
    # insertion order is meaningless here; dropping it lets DuckDB stream with less memory
    con.execute("SET preserve_insertion_order = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if temp_directory:
        con.execute(f"SET temp_directory = '{temp_directory}'")
    return con


_counter = itertools.count()


class _Scope:
    """Registers sources as views on a connection and drops them afterwards."""

    def __init__(self, con: duckdb.DuckDBPyConnection | None):
        self.con = con if con is not None else connect()
        self.names: list[str] = []
        self.labels: dict[str, str] = {}

    def view(self, source: Source, label: str = "source") -> tuple[str, list[str]]:
        """Register ``source`` as a view; errors name the file (or ``label`` for tables)."""
        name = f"_src{next(_counter)}"
        if isinstance(source, (pa.Table, pd.DataFrame)):
            self.con.register(name, source)
        else:
            path = Path(source)
            label = str(path)
            if not path.is_file():
                raise SourceError(f"{path}: no such Parquet file")
            escaped = str(path).replace("'", "''")
            try:
                self.con.execute(
                    f"CREATE TEMP VIEW {name} AS SELECT * FROM read_parquet('{escaped}')")
            except duckdb.Error as exc:
                reason = str(exc).splitlines()[0]
                raise SourceError(f"{path}: not a readable Parquet file ({reason})") from None
        self.names.append(name)
        self.labels[name] = label
        columns = [r[0] for r in self.con.execute(f"DESCRIBE {name}").fetchall()]
        return name, columns

    def __enter__(self) -> _Scope:
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.names:
            try:
                self.con.execute(f"DROP VIEW IF EXISTS {name}")
                self.con.unregister(name)
            except duckdb.Error:
                pass


def qi_expression(name: str, columns: Sequence[str], label: str = "source") -> str:
    """SQL expression for a quasi-identifier, deriving it when the column is absent.

    Raises
    ------
    SourceError
        When the column is neither present nor derivable; names the valid ones.

    Examples
    --------
    >>> qi_expression("pc4", ["postcode"])
    'substr("postcode", 1, 4)'
    >>> qi_expression("age", ["postcode"])
    Traceback (most recent call last):
    ...
    bulkimpact.synth.measure.SourceError: source: unknown column 'age'; valid: postcode, pc4, region
    """
    if name in columns:
        return f'"{name}"'
    if name in DERIVED and DERIVED[name][0] in columns:
        base, template = DERIVED[name]
        return template.format(f'"{base}"')
    valid = list(columns) + [d for d, (base, _) in DERIVED.items() if base in columns]
    raise SourceError(f"{label}: unknown column {name!r}; valid: {', '.join(valid)}")


def _qi_list(qi: Sequence[str] | str) -> list[str]:
    names = [q.strip() for q in (qi.split(",") if isinstance(qi, str) else qi) if q.strip()]
    if not names:
        raise SourceError("no quasi-identifier columns given")
    return names


@dataclass(frozen=True)
class Uniqueness:
    """How many persons a set of quasi-identifiers singles out.

    Attributes
    ----------
    qi : tuple of str
    persons : int
        Rows in the source.
    unique : int
        Rows whose value combination no other row has (rows with a missing
        value in any quasi-identifier are never unique).
    classes : pandas.DataFrame
        Equivalence-class size distribution: ``size``, ``classes``, ``persons``.
    """

    qi: tuple[str, ...]
    persons: int
    unique: int
    classes: pd.DataFrame

    @property
    def fraction_unique(self) -> float:
        """Share of persons who are unique."""
        return self.unique / self.persons if self.persons else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "qi": list(self.qi), "persons": self.persons, "unique": self.unique,
            "fraction_unique": self.fraction_unique,
            "class_sizes": [
                {"size": int(r.size), "classes": int(r.classes), "persons": int(r.persons)}
                for r in self.classes.itertuples()
            ],
        }


def uniqueness(source: Source, qi: Sequence[str] | str, *,
               con: duckdb.DuckDBPyConnection | None = None) -> Uniqueness:
    """Exact share of persons unique on a set of quasi-identifiers.

    Parameters
    ----------
    source : path, pyarrow.Table or pandas.DataFrame
        One row per person.
    qi : sequence of str, or a comma-separated string
        Columns, or derived columns (see :data:`DERIVED`).
    con : duckdb connection, optional

    Returns
    -------
    Uniqueness

    Notes
    -----
    One ``GROUP BY`` over the quasi-identifiers gives each class's size; a
    second, tiny aggregation turns those into the class-size distribution.
    For a world with ``C`` equally likely cells the expected share is
    :func:`bulkimpact.estimates.fraction_unique`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"postcode": ["1011AB", "1011AC", "2000ZZ"], "sex": ["F", "F", "M"]})
    >>> u = uniqueness(df, ["pc4", "sex"])
    >>> u.unique, round(u.fraction_unique, 3)
    (1, 0.333)
    >>> u.classes.to_dict("list")
    {'size': [1, 2], 'classes': [1, 1], 'persons': [1, 2]}
    """
    names = _qi_list(qi)
    with _Scope(con) as scope:
        view, columns = scope.view(source)
        exprs = [qi_expression(q, columns, scope.labels[view]) for q in names]
        bases = sorted({DERIVED[q][0] if q not in columns else q for q in names})
        # count(column) comes from Parquet statistics: a filter only when there are nulls
        non_null = ", ".join(f'count("{b}")' for b in bases)
        counts = scope.con.execute(f"SELECT count(*), {non_null} FROM {view}").fetchone()
        persons = counts[0]
        where = ("" if all(c == persons for c in counts[1:]) else
                 "WHERE " + " AND ".join(f"({e}) IS NOT NULL" for e in exprs))
        classes = scope.con.execute(
            f"SELECT k AS size, count(*) AS classes, k * count(*) AS persons FROM "
            f"(SELECT count(*) AS k FROM {view} {where} GROUP BY {', '.join(exprs)}) "
            f"GROUP BY k ORDER BY k"
        ).df()
    classes = classes.astype({"size": "int64", "classes": "int64", "persons": "int64"})
    unique = int(classes.loc[classes["size"] == 1, "persons"].sum())
    return Uniqueness(tuple(names), int(persons), unique, classes)


def uniqueness_table(source: Source, qi_sets: Sequence[Sequence[str]] = DEFAULT_QI_SETS, *,
                     con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Share unique for several quasi-identifier sets, one row each.

    Examples
    --------
    >>> from bulkimpact.synth.population import population_table
    >>> t = uniqueness_table(population_table(1_000, seed=1))
    >>> list(t.columns)
    ['qi', 'persons', 'unique', 'fraction_unique', 'largest_class']
    >>> bool(t["fraction_unique"].is_monotonic_increasing)
    True
    """
    rows = []
    for qi in qi_sets:
        u = uniqueness(source, qi, con=con)
        rows.append({"qi": " + ".join(u.qi), "persons": u.persons, "unique": u.unique,
                     "fraction_unique": u.fraction_unique,
                     "largest_class": int(u.classes["size"].max()) if len(u.classes) else 0})
    return pd.DataFrame(rows)


def calibration_table(source: Source, *,
                      con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Synthetic uniqueness next to the published Dutch figures (Koot et al. 2010).

    Returns
    -------
    pandas.DataFrame
        ``qi``, ``synthetic`` (share unique in the source), ``published``
        (Koot, van 't Noordende and de Laat 2010, HotPETs; 2.7 M registry
        records), ``difference`` (synthetic - published, in share points).

    Examples
    --------
    >>> from bulkimpact.synth.population import population_table
    >>> calibration_table(population_table(1_000, seed=1))["published"].tolist()
    [0.67, 0.994]
    """
    qi_sets = list(KOOT_2010)
    table = uniqueness_table(source, qi_sets, con=con)
    return pd.DataFrame({
        "qi": table["qi"],
        "synthetic": table["fraction_unique"],
        "published": [KOOT_2010[q] for q in qi_sets],
        "difference": table["fraction_unique"] - [KOOT_2010[q] for q in qi_sets],
    })


def overlap(a: Source, b: Source, *, on: str = "person_id",
            con: duckdb.DuckDBPyConnection | None = None) -> int:
    """Exact number of persons present in both sources (by the ground-truth ``on`` column).

    Examples
    --------
    >>> import pandas as pd
    >>> overlap(pd.DataFrame({"person_id": [1, 2, 3]}), pd.DataFrame({"person_id": [3, 4, 1]}))
    2
    """
    with _Scope(con) as scope:
        va, _ = scope.view(a, "a")
        vb, _ = scope.view(b, "b")
        return int(scope.con.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT {on} FROM {va}) "
            f"JOIN (SELECT DISTINCT {on} FROM {vb}) USING ({on})").fetchone()[0])


@dataclass(frozen=True)
class LinkCount:
    """Record pairs joined by a linkage rule, split by ground truth."""

    true: int
    false: int

    @property
    def total(self) -> int:
        """All joined pairs."""
        return self.true + self.false


def _pairs_sql(va: str, ca: list[str], vb: str, cb: list[str],
               keys: Sequence[str], qis: Sequence[str], la: str = "a", lb: str = "b") -> str:
    """SQL for (person_a, person_b, channel) linked by a key (``'k'``) or by QIs unique in both.

    A pair linked by both channels appears once per channel.
    """
    parts = []
    for k in keys:
        if k not in ca or k not in cb:
            side, cols = (la, ca) if k not in ca else (lb, cb)
            raise SourceError(f"{side}: unknown key column {k!r}; valid: {', '.join(cols)}")
        parts.append(f"SELECT a.person_id AS pa, b.person_id AS pb, 'k' AS ch FROM {va} a "
                     f"JOIN {vb} b ON a.\"{k}\" = b.\"{k}\"")
    if qis:
        ea = [qi_expression(q, ca, la) for q in qis]
        eb = [qi_expression(q, cb, lb) for q in qis]
        cols = [f"q{i}" for i in range(len(qis))]

        def unique_side(view: str, exprs: list[str]) -> str:
            sel = ", ".join(f"{e} AS {c}" for e, c in zip(exprs, cols, strict=True))
            not_null = " AND ".join(f"({e}) IS NOT NULL" for e in exprs)
            return (f"SELECT {', '.join(cols)}, any_value(person_id) AS pid FROM "
                    f"(SELECT {sel}, person_id FROM {view} WHERE {not_null}) "
                    f"GROUP BY ALL HAVING count(*) = 1")

        parts.append(f"SELECT ua.pid AS pa, ub.pid AS pb, 'q' AS ch "
                     f"FROM ({unique_side(va, ea)}) ua "
                     f"JOIN ({unique_side(vb, eb)}) ub USING ({', '.join(cols)})")
    if not parts:
        raise SourceError("give at least one key or quasi-identifier to link on")
    return " UNION ".join(parts) if len(parts) > 1 else parts[0]


def _link_counts(con: duckdb.DuckDBPyConnection, va: str, ca: list[str], vb: str,
                 cb: list[str], keys: Sequence[str] = (), qis: Sequence[str] = (),
                 la: str = "a", lb: str = "b") -> dict[str, LinkCount]:
    """Links through the keys, through the QIs and through either, in one query.

    ``va`` and ``vb`` are views already on ``con`` with columns ``ca`` and ``cb``.
    Returns ``{"keys": ..., "qis": ..., "any": ...}``.
    """
    sql = _pairs_sql(va, ca, vb, cb, keys, qis, la, lb)
    if len(keys) + bool(qis) == 1:  # one join: no pair twice, nothing to group
        true, false = con.execute("SELECT count(*) FILTER (WHERE pa = pb), count(*) FILTER "
                                  f"(WHERE pa <> pb) FROM ({sql})").fetchall()[0]
        found, none = LinkCount(int(true or 0), int(false or 0)), LinkCount(0, 0)
        return {"keys": found if keys else none, "qis": found if qis else none, "any": found}
    row = con.execute(
        "SELECT count(*) FILTER (WHERE pa = pb AND k), count(*) FILTER (WHERE pa <> pb AND k), "
        "count(*) FILTER (WHERE pa = pb AND q), count(*) FILTER (WHERE pa <> pb AND q), "
        "count(*) FILTER (WHERE pa = pb), count(*) FILTER (WHERE pa <> pb) "
        f"FROM (SELECT pa, pb, bool_or(ch = 'k') AS k, bool_or(ch = 'q') AS q FROM ({sql}) "
        "GROUP BY pa, pb)").fetchall()[0]
    n = [int(x or 0) for x in row]
    return {"keys": LinkCount(n[0], n[1]), "qis": LinkCount(n[2], n[3]),
            "any": LinkCount(n[4], n[5])}


def links(a: Source, b: Source, *, keys: Sequence[str] = (), qis: Sequence[str] = (),
          con: duckdb.DuckDBPyConnection | None = None) -> LinkCount:
    """Exact links between two extracts through exact keys and/or quasi-identifiers.

    A pair of records is linked when any listed key is equal in both, or when
    their quasi-identifier values are unique in each set and equal. Links
    between the same person (by ``person_id``, the ground truth no linkage
    rule sees) are true, others false.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"person_id": [1, 2, 3], "email": ["x", "y", None],
    ...                   "sex": ["F", "M", "M"]})
    >>> b = pd.DataFrame({"person_id": [1, 3, 4], "email": ["x", "z", "y"],
    ...                   "sex": ["F", "M", "F"]})
    >>> links(a, b, keys=["email"])
    LinkCount(true=1, false=1)
    >>> links(a, b, qis=["sex"])      # 'F' is unique in a but not in b
    LinkCount(true=0, false=0)
    """
    with _Scope(con) as scope:
        va, ca = scope.view(a, "a")
        vb, cb = scope.view(b, "b")
        return _link_counts(scope.con, va, ca, vb, cb, keys, qis,
                            scope.labels[va], scope.labels[vb])["any"]


def key_links(a: Source, b: Source, key: str, *,
              con: duckdb.DuckDBPyConnection | None = None) -> LinkCount:
    """Exact links through one exact key (see :func:`links`).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"person_id": [1, 2], "phone": ["06-1", "06-2"]})
    >>> key_links(a, a, "phone")
    LinkCount(true=2, false=0)
    """
    return links(a, b, keys=[key], con=con)


def qi_links(a: Source, b: Source, qi: Sequence[str] | str, *,
             con: duckdb.DuckDBPyConnection | None = None) -> LinkCount:
    """Exact links through quasi-identifiers unique in both sets (see :func:`links`).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"person_id": [1, 2], "postcode": ["1011AB", "2000CD"]})
    >>> b = pd.DataFrame({"person_id": [2, 9], "postcode": ["2000CD", "1011ZZ"]})
    >>> qi_links(a, b, "pc4")
    LinkCount(true=1, false=1)
    """
    return links(a, b, qis=_qi_list(qi), con=con)
