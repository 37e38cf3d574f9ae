"""Seeded synthetic population of the Netherlands, one row per person.

The population is the ground truth of the record-level world: extracts
(:mod:`bulkimpact.synth.extracts`) are samples of it, and every overlap,
uniqueness and link between extracts is then counted exactly
(:mod:`bulkimpact.synth.measure`).

Realism that matters for re-identification: the age pyramid (CBS StatLine
37296ned), the skewed sizes of PC4 and PC6 areas and the areas' age tilt are
defined once, with their sources, in :mod:`bulkimpact.cells`, which the
estimates of uniqueness read too. Here they are drawn person by person:

* **Calibration.** The strength of the areas' age difference is calibrated (see
  :func:`calibrate_age_tilt`) so that the share of persons unique on date of
  birth + PC4 matches the published Dutch figure below. The geography is
  scaled with the number of persons (a 200,000-person world has about 45 PC4
  areas of the same sizes), so uniqueness figures do not depend on the size
  of the synthetic world.
* **Twins living together.** About 1.7 % of Dutch births are twin births
  (assumption, order of magnitude of CBS birth statistics); twins under 20 are
  modelled as living at the same postcode, which is what keeps date of birth
  + PC6 + sex from being 100 % unique.

Published figure calibrated against (verified from the paper's abstract):
Koot, van 't Noordende and de Laat (2010), "A study on the re-identifiability
of Dutch citizens", HotPETs 2010, pp. 35-49: in registry-office (GBA) data of
2.7 million Dutch citizens (~16 % of the population), **67.0 %** were unique on
date of birth + four-digit postcode, and **99.4 %** on date of birth + full
(six-character) postcode + sex. Other combinations are reported in the paper's
tables, which we could not check here and do not quote.
:func:`bulkimpact.synth.measure.calibration_table` puts the synthetic figures
next to these.

Identifiers (e-mail, phone, BSN, username, IP-like address) are unique per
person and fictional: e-mail domains use the reserved ``.example`` top-level
domain and BSNs do not satisfy the real eleven-test.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..cells import (
    AGE_GROUPS,
    KOOT_2010,
    MALE_SHARE,
    NL_PERSONS,
    PopulationParams,
    area_age_shares,
    capped_shares,
    expected_uniqueness_dob_pc4,
)
from ..files import atomic_output

__all__ = [
    "NL_PERSONS",
    "KOOT_2010",
    "AGE_GROUPS",
    "PopulationParams",
    "Geography",
    "build_geography",
    "population_batches",
    "population_table",
    "write_population",
    "expected_uniqueness_dob_pc4",
    "calibrate_age_tilt",
]

_LETTERS = np.array(list("ABCDEGHJKLMNPRSTVWXZ"))  # F, I, O, Q, U, Y are not used
_PAIRS = np.array([a + b for a in _LETTERS for b in _LETTERS
                   if a + b not in ("SA", "SD", "SS")])
_EMAIL_DOMAINS = np.array(["mail.example", "post.example", "net.example", "web.example",
                           "inbox.example", "provider.example"])
_EMAIL_DOMAIN_SHARES = np.array([0.30, 0.22, 0.18, 0.12, 0.10, 0.08])
_NAME_WORDS = np.array([
    "anna", "bram", "daan", "emma", "fenna", "gijs", "hugo", "iris", "jesse", "julia",
    "kees", "lars", "lieke", "luuk", "maud", "milan", "noor", "olaf", "puck", "roos",
    "sanne", "sem", "tess", "thijs", "vera", "wout", "yara", "zoe", "bas", "eva",
])
REFERENCE_DATE = np.datetime64("2024-01-01")


@dataclass(frozen=True)
class Geography:
    """Postcode areas of a synthetic world and the probability of living in each PC6."""

    pc6: np.ndarray            # postcode strings, e.g. "1234AB"
    pc6_pc4: np.ndarray        # index of the PC4 area of each PC6
    pc4: np.ndarray            # PC4 numbers
    pc4_municipality: np.ndarray  # municipality code of each PC4, e.g. "GM0363"
    pc4_age_cdf: np.ndarray    # cumulative age-group shares of each PC4 (areas x groups)
    pc6_cdf: np.ndarray        # cumulative probability of living in each PC6


def build_geography(persons: int, seed: int, params: PopulationParams | None = None) -> Geography:
    """Postcode geography for a world of ``persons`` residents.

    Parameters
    ----------
    persons : int
        Residents; the number of PC4 areas and municipalities scale with it.
    seed : int
        Seed; the same seed and size give the same geography.
    params : PopulationParams, optional
        Calibration; the default reproduces the Dutch figures.

    Returns
    -------
    Geography

    Examples
    --------
    >>> g = build_geography(200_000, seed=1)
    >>> len(g.pc4), round(200_000 / len(g.pc6))
    (45, 38)
    >>> str(g.pc6[0])[:4] == str(g.pc4[0]) and len(str(g.pc6[0])) == 6
    True
    """
    p = params or PopulationParams()
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    scale = persons / NL_PERSONS
    n_pc4 = int(min(max(1, round(p.pc4_areas * scale)), 9000))
    n_mun = int(min(max(1, round(p.municipalities * scale)), n_pc4))
    pc4 = np.sort(rng.choice(np.arange(1000, 10000), n_pc4, replace=False))
    pc4_share = capped_shares(rng.lognormal(0.0, p.pc4_sigma, n_pc4), p.pc4_max_ratio)
    # municipalities: contiguous runs of PC4 numbers, as in the real numbering
    cuts = np.sort(rng.choice(np.arange(1, n_pc4), n_mun - 1, replace=False)) if n_mun > 1 else []
    mun_index = np.zeros(n_pc4, dtype=np.int64)
    mun_index[np.asarray(cuts, dtype=np.int64)] = 1
    mun_index = np.cumsum(mun_index)
    mun_codes = np.sort(rng.choice(np.arange(1, 2000), n_mun, replace=False))
    municipality = np.char.add("GM", np.char.zfill(mun_codes.astype(str), 4))[mun_index]
    # PC6 codes per PC4 in proportion to its residents, at most the 397 letter pairs
    n_pc6 = np.clip(np.rint(pc4_share * persons / p.persons_per_pc6), 1, len(_PAIRS))
    n_pc6 = n_pc6.astype(np.int64)
    pc6_pc4 = np.repeat(np.arange(n_pc4), n_pc6)
    starts = np.repeat(np.cumsum(n_pc6) - n_pc6, n_pc6)
    letter = np.arange(len(pc6_pc4)) - starts
    pc6 = np.char.add(pc4[pc6_pc4].astype(str), _PAIRS[letter])
    tilt = rng.normal(0.0, p.age_tilt, n_pc4)
    age_cdf = np.cumsum(area_age_shares(p, tilt, pc4_share), axis=1)
    within = rng.lognormal(0.0, p.pc6_sigma, len(pc6_pc4))
    within /= np.bincount(pc6_pc4, weights=within)[pc6_pc4]
    weight = pc4_share[pc6_pc4] * within
    cdf = np.cumsum(weight)
    cdf /= cdf[-1]
    return Geography(pc6=pc6, pc6_pc4=pc6_pc4, pc4=pc4, pc4_municipality=municipality,
                     pc4_age_cdf=age_cdf, pc6_cdf=cdf)


def _scramble(ids: np.ndarray, modulus: int, seed: int, salt: int) -> np.ndarray:
    """A bijection of ``[0, modulus)`` (affine map with a multiplier coprime to it)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7, salt]))
    while True:
        a = int(rng.integers(modulus // 3, modulus - 1))
        if math.gcd(a, modulus) == 1:
            break
    b = int(rng.integers(0, modulus))
    # ids < 2**31 and a, b < 2**32 keep the product below 2**64
    return ((ids.astype(np.uint64) * np.uint64(a) + np.uint64(b)) % np.uint64(modulus)).astype(
        np.int64)


def _digits(values: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), width=width, padding="0")


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _identifiers(ids: np.ndarray, seed: int, rng: np.random.Generator) -> dict[str, pa.Array]:
    """Unique fictional identifiers per person, built column-wise in Arrow."""
    n = len(ids)
    word = pa.array(_NAME_WORDS[rng.integers(0, len(_NAME_WORDS), n)])
    word2 = pa.array(_NAME_WORDS[rng.integers(0, len(_NAME_WORDS), n)])
    domain = pa.array(_EMAIL_DOMAINS[np.searchsorted(np.cumsum(_EMAIL_DOMAIN_SHARES),
                                                     rng.random(n) * _EMAIL_DOMAIN_SHARES.sum())])
    ip = _scramble(ids, 2**32, seed, 1)
    octets = [pc.cast(pa.array((ip >> s) & 255), pa.string()) for s in (24, 16, 8, 0)]
    return {
        "email": _join(word, ".", word2, _digits(_scramble(ids, 10**9, seed, 2), 9), "@", domain),
        "phone": _join("06", _digits(_scramble(ids, 10**8, seed, 3), 8)),
        "bsn": _digits(_scramble(ids, 9 * 10**8, seed, 4) + 10**8, 9),
        "username": _join(word2, _digits(_scramble(ids, 10**9, seed, 5), 9)),
        "ip": pc.binary_join_element_wise(*octets, "."),
    }


SCHEMA = pa.schema([
    ("person_id", pa.int64()),
    ("date_of_birth", pa.date32()),
    ("sex", pa.string()),
    ("postcode", pa.string()),
    ("municipality", pa.string()),
    ("email", pa.string()),
    ("phone", pa.string()),
    ("bsn", pa.string()),
    ("username", pa.string()),
    ("ip", pa.string()),
    ("special_category", pa.bool_()),
    ("criminal", pa.bool_()),
])
"""Columns of a synthetic population."""

CHUNK = 1 << 20  # persons per generated batch; fixed so output depends only on size and seed


def population_batches(persons: int, seed: int = 0, params: PopulationParams | None = None
                       ) -> Iterator[pa.RecordBatch]:
    """Generate the population in batches of :data:`CHUNK` persons.

    Memory stays bounded by one batch (plus the geography, about 40 MB at the
    full Dutch size) whatever ``persons`` is. The output depends only on
    ``persons``, ``seed`` and ``params``.
    """
    if persons < 1:
        raise ValueError(f"persons must be at least 1, got {persons}")
    p = params or PopulationParams()
    geo = build_geography(persons, seed, p)
    lows = np.array([g[0] for g in p.age_groups])
    highs = np.array([g[1] for g in p.age_groups])
    pair_rate = p.twin_birth_rate / (1 + p.twin_birth_rate)
    for start in range(0, persons, CHUNK):
        n = min(CHUNK, persons - start)
        rng = np.random.default_rng(np.random.SeedSequence([seed, 2, start // CHUNK]))
        ids = np.arange(start, start + n, dtype=np.int64)
        pc6 = np.searchsorted(geo.pc6_cdf, rng.random(n), side="right")
        pc6 = np.minimum(pc6, len(geo.pc6) - 1)
        area_cdf = geo.pc4_age_cdf[geo.pc6_pc4[pc6]]
        group = (rng.random(n)[:, None] > area_cdf).sum(axis=1)
        group = np.minimum(group, len(lows) - 1)
        age_days = (lows[group] + rng.random(n) * (highs[group] - lows[group])) * 365.2425
        dob = REFERENCE_DATE - age_days.astype("timedelta64[D]") - np.timedelta64(1, "D")
        male = rng.random(n) < MALE_SHARE[np.minimum(group, len(MALE_SHARE) - 1)]
        # cohabiting twins: an even-indexed young person leads, the next person follows
        lead = np.zeros(n, dtype=bool)
        lead[0:n - 1:2] = True
        lead &= (age_days < p.twin_cohabit_age * 365.2425) & (rng.random(n) < 2 * pair_rate)
        follow = np.flatnonzero(lead) + 1
        dob[follow] = dob[follow - 1]
        pc6[follow] = pc6[follow - 1]
        same = rng.random(len(follow)) < p.twin_same_sex
        male[follow] = np.where(same, male[follow - 1], ~male[follow - 1])
        columns = {
            "person_id": pa.array(ids),
            "date_of_birth": pa.array(dob.astype("datetime64[D]"), type=pa.date32()),
            "sex": pa.array(np.where(male, "M", "F")),
            "postcode": pa.array(geo.pc6[pc6]),
            "municipality": pa.array(geo.pc4_municipality[geo.pc6_pc4[pc6]]),
            **_identifiers(ids, seed, rng),
            "special_category": pa.array(rng.random(n) < p.special_category_rate),
            "criminal": pa.array(rng.random(n) < p.criminal_rate),
        }
        yield pa.RecordBatch.from_arrays([columns[f.name] for f in SCHEMA], schema=SCHEMA)


def population_table(persons: int, seed: int = 0, params: PopulationParams | None = None
                     ) -> pa.Table:
    """The whole population as an Arrow table (for small worlds; see :func:`write_population`).

    Examples
    --------
    >>> t = population_table(1_000, seed=3)
    >>> t.num_rows, t.column_names[:4]
    (1000, ['person_id', 'date_of_birth', 'sex', 'postcode'])
    >>> population_table(1_000, seed=3).equals(t)
    True
    >>> len(set(t.column("email").to_pylist()))
    1000
    """
    return pa.Table.from_batches(list(population_batches(persons, seed, params)), schema=SCHEMA)


def write_population(out: str | os.PathLike[str], persons: int = NL_PERSONS, seed: int = 0,
                     params: PopulationParams | None = None, progress: bool = False) -> Path:
    """Generate a population and write it to Parquet, batch by batch, atomically.

    Parameters
    ----------
    out : path
        Parquet file to write; replaced only once complete.
    persons : int
        Residents (default: the Netherlands, 17.9 million).
    seed : int
        Seed; the same seed and size give the same file contents.
    params : PopulationParams, optional
        Calibration.
    progress : bool
        Show a progress bar of persons written on stderr.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import pyarrow.parquet as pq, tempfile, os
    >>> path = write_population(os.path.join(tempfile.mkdtemp(), "p.parquet"), 1_000, seed=3)
    >>> pq.read_metadata(path).num_rows
    1000
    """
    from tqdm import tqdm

    out = Path(out)
    with (atomic_output(out) as tmp,
          pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer,
          tqdm(total=persons, desc="persons", unit_scale=True, file=sys.stderr,
               disable=not progress) as bar):
        for batch in population_batches(persons, seed, params):
            writer.write_batch(batch, row_group_size=CHUNK)
            bar.update(batch.num_rows)
    return out


def calibrate_age_tilt(target: float = KOOT_2010[("date_of_birth", "pc4")],
                       params: PopulationParams | None = None) -> float:
    """The area age-profile spread at which date of birth + PC4 uniqueness equals ``target``.

    The default :attr:`PopulationParams.age_tilt` is this value, rounded.

    Examples
    --------
    >>> round(calibrate_age_tilt(), 2) == PopulationParams().age_tilt
    True
    """
    from scipy.optimize import brentq

    return float(brentq(lambda t: expected_uniqueness_dob_pc4(t, params) - target, 0.0, 4.0))
