"""Extracts: a bulk dataset as a noisy, possibly biased sample of the synthetic population.

An extract keeps a subset of the population's columns for a sample of its
persons, with the imperfections that decide real linkage: values that are
missing, mistyped keys, stale addresses and shifted dates of birth (together
the field's *match quality*), and sampling that favours some ages or regions.
Every extract keeps ``person_id``: the ground truth that no linkage rule uses
but that lets :mod:`bulkimpact.synth.measure` tell true links from false ones.

Key namespaces the population has no column for (``passport``, ``iban``,
``device``, ``licence_plate``, ``name_dob``) are derived from ``person_id`` by
a bijection, so they are unique per person and equal across extracts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ..files import atomic_output
from .measure import DERIVED, Source, SourceError, _Scope

__all__ = ["ExtractSpec", "draw_extract", "GENERIC_KEYS", "extract_columns"]

GENERIC_KEYS = ("passport", "device", "iban", "licence_plate", "name_dob")
"""Key namespaces derived from ``person_id`` (the population has no column for them)."""

_STRING_KEYS = ("email", "phone", "bsn", "username", "ip") + GENERIC_KEYS
_DATES = ("date_of_birth",)
_PLACES = ("postcode",)


@dataclass(frozen=True)
class ExtractSpec:
    """What one extract looks like.

    Attributes
    ----------
    id : str
        Name of the extract.
    persons : int
        Persons sampled (without replacement).
    columns : tuple of str
        Columns kept besides ``person_id``: population columns, derived
        quasi-identifiers (``pc4``, ``birth_year``, ``region``) and key
        namespaces (see :data:`GENERIC_KEYS`).
    quality : mapping of str to float
        Per column, the share of records whose value is recorded correctly
        (default 1). For a derived column the noise hits its base column.
    missing_share : float
        Of the incorrect values, the share left empty; the rest are mistyped
        (keys: one character changed), stale (postcode: another address) or
        shifted (date of birth: 1 to 400 days off).
    age_weights : tuple of (low, high, weight)
        Relative sampling weight of persons aged ``low <= age < high``
        (others weigh 1); empty for no age bias.
    region_weights : mapping of str to float
        Relative sampling weight by postcode region (first digit).
    """

    id: str
    persons: int
    columns: tuple[str, ...]
    quality: Mapping[str, float] = field(default_factory=dict)
    missing_share: float = 0.5
    age_weights: tuple[tuple[int, int, float], ...] = ()
    region_weights: Mapping[str, float] = field(default_factory=dict)


def extract_columns(population_columns: Sequence[str]) -> list[str]:
    """Every column an extract of this population may keep.

    Examples
    --------
    >>> extract_columns(["person_id", "postcode"])
    ['postcode', 'pc4', 'region', 'passport', 'device', 'iban', 'licence_plate', 'name_dob']
    """
    derived = [d for d, (base, _) in DERIVED.items() if base in population_columns]
    return ([c for c in population_columns if c != "person_id"] + derived
            + [k for k in GENERIC_KEYS if k not in population_columns])


def _generic_key(namespace: str) -> str:
    # odd multiplier modulo 2**40: a bijection of person ids, salted per namespace
    salt = sum(ord(c) * 7919 ** i for i, c in enumerate(namespace)) % (1 << 40)
    return (f"'{namespace[:3]}-' || lpad(CAST(((person_id * 2654435761 + {salt}) "
            f"& 1099511627775) AS VARCHAR), 13, '0')")


def _sample(con: duckdb.DuckDBPyConnection, view: str, spec: ExtractSpec,
            members: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    """Person ids of the sample: uniform, or weighted without replacement."""
    if members is None:
        members = con.execute(f"SELECT person_id FROM {view}").df()["person_id"].to_numpy()
    if spec.persons > len(members):
        raise ValueError(f"extract {spec.id!r}: {spec.persons:,} persons requested but the "
                         f"population has {len(members):,}")
    if not spec.age_weights and not spec.region_weights:
        return np.sort(rng.choice(members, spec.persons, replace=False))
    age_cases = " ".join(f"WHEN age >= {int(lo)} AND age < {int(hi)} THEN {float(w)}"
                         for lo, hi, w in spec.age_weights)
    age_w = f"CASE {age_cases} ELSE 1.0 END" if age_cases else "1.0"
    region_cases = " ".join(f"WHEN substr(postcode, 1, 1) = '{r}' THEN {float(w)}"
                            for r, w in spec.region_weights.items())
    region_w = f"CASE {region_cases} ELSE 1.0 END" if region_cases else "1.0"
    ids = pa.table({"person_id": pa.array(members, pa.int64()),
                    "ord": pa.array(np.arange(len(members)))})
    con.register("_members", ids)
    try:
        weight = con.execute(
            f"SELECT ({age_w}) * ({region_w}) AS w FROM (SELECT m.ord, p.postcode, "
            f"date_diff('year', p.date_of_birth, DATE '2024-01-01') AS age FROM _members m "
            f"JOIN {view} p USING (person_id)) ORDER BY ord").df()["w"].to_numpy()
    finally:
        con.unregister("_members")
    # Efraimidis-Spirakis: the n smallest Exp(1)/w are a weighted sample without replacement
    keys = rng.exponential(size=len(members)) / np.maximum(weight, 1e-300)
    chosen = np.argpartition(keys, spec.persons - 1)[: spec.persons]
    return np.sort(members[chosen])


def draw_extract(population: Source, spec: ExtractSpec, seed: int, *,
                 members: np.ndarray | None = None, out: str | os.PathLike[str] | None = None,
                 con: duckdb.DuckDBPyConnection | None = None) -> pa.Table | Path:
    """Draw one extract from a population.

    Parameters
    ----------
    population : path, pyarrow.Table or pandas.DataFrame
        A synthetic population (:func:`bulkimpact.synth.write_population`).
    spec : ExtractSpec
        Size, columns, match quality and sampling bias.
    seed : int
        Seed for the sample and the noise.
    members : numpy.ndarray, optional
        Person ids the extract is drawn from (a sub-population); default all.
    out : path, optional
        Write the extract to this Parquet file (atomically) instead of
        returning it; for extracts larger than memory.
    con : duckdb connection, optional

    Returns
    -------
    pyarrow.Table or pathlib.Path

    Examples
    --------
    >>> from bulkimpact.synth.population import population_table
    >>> pop = population_table(1_000, seed=1)
    >>> spec = ExtractSpec("shop", 200, ("email", "pc4", "date_of_birth"), {"email": 0.9})
    >>> ex = draw_extract(pop, spec, seed=2)
    >>> ex.num_rows, ex.column_names
    (200, ['person_id', 'email', 'pc4', 'date_of_birth'])
    >>> ex.equals(draw_extract(pop, spec, seed=2))
    True
    >>> 5 <= ex.column("email").null_count <= 20    # about 200 * 0.1 * 0.5 left empty
    True
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    with _Scope(con) as scope:
        view, pop_columns = scope.view(population, "population")
        valid = extract_columns(pop_columns)
        for c in list(spec.columns) + list(spec.quality):
            if c not in valid:
                raise SourceError(f"extract {spec.id!r}: unknown column {c!r}; "
                                  f"valid: {', '.join(valid)}")
        ids = _sample(scope.con, view, spec, members, rng)
        n = len(ids)
        quality = {DERIVED[c][0] if c in DERIVED else c: q for c, q in spec.quality.items()}
        noise: dict[str, pa.Array] = {"person_id": pa.array(ids, pa.int64())}
        base = {DERIVED[c][0] if c in DERIVED else c for c in spec.columns}
        exprs: dict[str, str] = {}
        for c in sorted(base):
            src = _generic_key(c) if c in GENERIC_KEYS and c not in pop_columns else f'p."{c}"'
            q = float(quality.get(c, 1.0))
            if q >= 1.0:
                exprs[c] = src
                continue
            noise[f"u_{c}"] = pa.array(rng.random(n))
            missing = (1 - q) * spec.missing_share
            if c in _STRING_KEYS:
                noise[f"v_{c}"] = pa.array(rng.random(n))
                pos = f"(1 + floor(s.v_{c} * length({src}))::BIGINT)"
                wrong = (f"left({src}, {pos} - 1) || CASE WHEN substr({src}, {pos}, 1) = 'x' "
                         f"THEN 'y' ELSE 'x' END || substr({src}, {pos} + 1)")
            elif c in _PLACES:
                codes = scope.con.execute(f"SELECT DISTINCT {c} FROM {view} ORDER BY 1").df()[c]
                noise[f"stale_{c}"] = pa.array(codes.to_numpy()[rng.integers(0, len(codes), n)])
                wrong = f"s.stale_{c}"
            elif c in _DATES:
                shift = rng.integers(1, 401, n) * rng.choice([-1, 1], n)
                noise[f"shift_{c}"] = pa.array(shift.astype(np.int32))
                wrong = f"{src} + s.shift_{c}"
            elif c == "sex":
                wrong = f"CASE WHEN {src} = 'M' THEN 'F' ELSE 'M' END"
            else:
                wrong = "NULL"
            exprs[c] = (f"CASE WHEN s.u_{c} < {missing} THEN NULL "
                        f"WHEN s.u_{c} < {1 - q} THEN {wrong} ELSE {src} END")
        inner = ", ".join([f"{e} AS \"{c}\"" for c, e in exprs.items()] + ["p.person_id"])
        outer = ["person_id"] + [
            DERIVED[c][1].format(f'"{DERIVED[c][0]}"') + f' AS "{c}"' if c in DERIVED
            else f'"{c}"' for c in spec.columns]
        scope.con.register("_noise", pa.table(noise))
        try:
            sql = (f"SELECT {', '.join(outer)} FROM (SELECT {inner} FROM {view} p "
                   f"JOIN _noise s USING (person_id)) ORDER BY person_id")
            if out is None:
                relation = scope.con.sql(sql)
                # duckdb 2 renamed .arrow() to .to_arrow_table()
                return (getattr(relation, "to_arrow_table", None) or relation.arrow)()
            return _copy_atomic(scope.con, sql, Path(out))
        finally:
            scope.con.unregister("_noise")


def _copy_atomic(con: duckdb.DuckDBPyConnection, sql: str, out: Path) -> Path:
    with atomic_output(out) as tmp:
        escaped = str(tmp).replace("'", "''")
        con.execute(f"COPY ({sql}) TO '{escaped}' (FORMAT parquet)")
    return out
