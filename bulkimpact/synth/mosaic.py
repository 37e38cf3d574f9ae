"""The mosaic effect, shown on persons: two innocuous extracts that together name people.

Set A is a leaked export of an online health forum: no name, no e-mail, no
phone, only date of birth, postcode, sex and whether the member reports a
health condition (a special category). On its own it identifies nobody
directly. Set B is a web shop's customer list: e-mail, phone, date of birth,
postcode and sex, and nothing sensitive. Each would sit in a light regime on
its own nature. Joined on date of birth + postcode + sex where that
combination is unique in both sets, B's contact details attach to A's health
flag: persons are named together with a special-category attribute, the
combined profile (contact + special category) that a mosaic rule escalates.

Every person here is synthetic. Rows meant for a page go through
:meth:`MosaicResult.examples`, which shows adults only and masks what would
look like a real person's details (phone numbers and postcodes); the counts
are computed on the unmasked synthetic records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from ..seeds import child_seed
from .extracts import ExtractSpec, draw_extract
from .measure import Source, _Scope, connect, overlap, qi_expression
from .population import REFERENCE_DATE, population_table

__all__ = ["MosaicResult", "mosaic_example", "link_records", "mask_phone", "mask_postcode",
           "ADULT_AGE"]

FORUM = ("date_of_birth", "postcode", "sex", "special_category")
SHOP = ("email", "phone", "date_of_birth", "postcode", "sex")
QI = ("date_of_birth", "postcode", "sex")
ADULT_AGE = 18
"""Youngest age shown in example rows, at the population's reference date."""


def mask_phone(phone: str) -> str:
    """A synthetic phone number as shown on a page: marked synthetic, middle digits hidden.

    Examples
    --------
    >>> mask_phone("0612345678")
    'SYNTH 06-XXXX-5678'
    """
    phone = str(phone)
    return f"SYNTH {phone[:2]}-XXXX-{phone[-4:]}"


def mask_postcode(postcode: str) -> str:
    """A synthetic postcode as shown on a page: marked synthetic, only the first two digits.

    Examples
    --------
    >>> mask_postcode("1234AB")
    'SYNTH 12XX XX'
    """
    return f"SYNTH {str(postcode)[:2]}XX XX"


@dataclass(frozen=True)
class MosaicResult:
    """What joining the two extracts reveals.

    Attributes
    ----------
    forum_persons, shop_persons, shared_persons : int
        Sizes of the two extracts and the persons in both (ground truth).
    linked : pandas.DataFrame
        One row per linked record pair: ``email``, ``phone``,
        ``date_of_birth``, ``postcode``, ``sex``, ``special_category`` (from
        the forum), ``correct`` (both records are the same person).
    categories_forum, categories_shop, categories_combined : tuple of str
        Field categories of each set and of the linked profile.
    """

    forum_persons: int
    shop_persons: int
    shared_persons: int
    linked: pd.DataFrame
    categories_forum: tuple[str, ...] = ("demographic", "special_category")
    categories_shop: tuple[str, ...] = ("contact", "demographic")
    categories_combined: tuple[str, ...] = ("contact", "demographic", "special_category")

    @property
    def named(self) -> int:
        """Persons correctly linked: named by e-mail and phone with the forum's attributes."""
        return int(self.linked["correct"].sum())

    @property
    def named_sensitive(self) -> int:
        """Correctly linked persons whose forum record reports a health condition."""
        return int((self.linked["correct"] & self.linked["special_category"]).sum())

    @property
    def false_links(self) -> int:
        """Linked pairs that are two different people (wrongly attributed)."""
        return int((~self.linked["correct"]).sum())

    def summary(self) -> pd.DataFrame:
        """The counts as a two-column table for a notebook."""
        return pd.DataFrame({
            "measure": ["persons in forum leak", "persons in shop list",
                        "persons in both (truth)", "record pairs linked",
                        "persons named (correct links)",
                        "named with a health condition", "wrong links"],
            "value": [self.forum_persons, self.shop_persons, self.shared_persons,
                      len(self.linked), self.named, self.named_sensitive, self.false_links],
        })

    def examples(self, n: int = 5, *, min_age: int = ADULT_AGE,
                 reference_date: Any = REFERENCE_DATE) -> pd.DataFrame:
        """Up to ``n`` persons named with a health condition, as safe to show on a page.

        Only correct links of adults (at least ``min_age`` at ``reference_date``,
        the synthetic population's reference date), and every row says it is
        synthetic. The phone number and postcode are masked
        (:func:`mask_phone`, :func:`mask_postcode`); the e-mail addresses are in
        the reserved ``.example`` domain. Display only: the counts of this
        result come from the unmasked synthetic records.

        Examples
        --------
        >>> r = mosaic_example(persons=20_000, seed=1)
        >>> rows = r.examples(3)
        >>> list(rows.columns)  # doctest: +NORMALIZE_WHITESPACE
        ['synthetic', 'e-mail (shop)', 'phone (shop, masked)', 'date of birth',
         'age on 2024-01-01', 'postcode (masked)', 'sex', 'health condition (forum)']
        >>> bool((rows["age on 2024-01-01"] >= 18).all())
        True
        >>> bool(rows["phone (shop, masked)"].str.startswith("SYNTH").all())
        True
        """
        ref = pd.Timestamp(reference_date)
        named = self.linked[self.linked["correct"] & self.linked["special_category"]]
        dob = pd.to_datetime(named["date_of_birth"])
        # completed years at the reference date
        age = (ref.year - dob.dt.year) - ((dob.dt.month > ref.month)
                                          | ((dob.dt.month == ref.month)
                                             & (dob.dt.day > ref.day))).astype(int)
        adults = named[age >= min_age].head(n)
        return pd.DataFrame({
            "synthetic": "yes: invented person",
            "e-mail (shop)": adults["email"],
            "phone (shop, masked)": adults["phone"].map(mask_phone),
            "date of birth": pd.to_datetime(adults["date_of_birth"]).dt.strftime("%Y-%m-%d"),
            f"age on {ref:%Y-%m-%d}": age[adults.index].astype(int),
            "postcode (masked)": adults["postcode"].map(mask_postcode),
            "sex": adults["sex"],
            "health condition (forum)": "yes",
        }).reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {r.measure: int(r.value) for r in self.summary().itertuples()}


def link_records(a: Source, b: Source, qi: tuple[str, ...], *, columns_a: tuple[str, ...],
                 columns_b: tuple[str, ...],
                 con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Record pairs whose quasi-identifiers are equal and unique in each set, with chosen columns.

    Examples
    --------
    >>> a = pd.DataFrame({"person_id": [1, 2, 3], "sex": ["F", "M", "M"], "sick": [1, 0, 1]})
    >>> b = pd.DataFrame({"person_id": [1, 3], "sex": ["F", "M"], "email": ["x@e", "y@e"]})
    >>> link_records(a, b, ("sex",), columns_a=("sick",), columns_b=("email",))
       sick email  correct
    0     1   x@e     True
    """
    with _Scope(con) as scope:
        va, ca = scope.view(a, "a")
        vb, cb = scope.view(b, "b")
        ea = [qi_expression(q, ca, "a") for q in qi]
        eb = [qi_expression(q, cb, "b") for q in qi]
        keys = [f"q{i}" for i in range(len(qi))]

        def unique(view: str, exprs: list[str], extra: tuple[str, ...], side: str) -> str:
            sel = ", ".join([f"{e} AS {k}" for e, k in zip(exprs, keys, strict=True)]
                            + ["person_id"] + [f'"{c}"' for c in extra])
            aggs = ", ".join([f"any_value(person_id) AS pid_{side}"]
                             + [f'any_value("{c}") AS "{c}"' for c in extra])
            not_null = " AND ".join(f"{k} IS NOT NULL" for k in keys)
            return (f"SELECT {', '.join(keys)}, {aggs} FROM (SELECT {sel} FROM {view}) "
                    f"WHERE {not_null} GROUP BY ALL HAVING count(*) = 1")

        out = [f'"{c}"' for c in columns_a + columns_b]
        return scope.con.execute(
            f"SELECT {', '.join(out)}, pid_a = pid_b AS correct "
            f"FROM ({unique(va, ea, columns_a, 'a')}) JOIN ({unique(vb, eb, columns_b, 'b')}) "
            f"USING ({', '.join(keys)}) ORDER BY pid_a").df()


def mosaic_example(persons: int = 200_000, seed: int = 0, *, forum_share: float = 0.02,
                   shop_share: float = 0.25, population: Source | None = None,
                   con: duckdb.DuckDBPyConnection | None = None) -> MosaicResult:
    """Two innocuous extracts that together name synthetic persons with a health condition.

    Parameters
    ----------
    persons : int
        Size of the synthetic world (ignored when ``population`` is given).
    seed : int
    forum_share, shop_share : float
        Sizes of the forum leak and the shop list as shares of the population.
    population : source, optional
        An existing synthetic population.
    con : duckdb connection, optional

    Returns
    -------
    MosaicResult

    Examples
    --------
    >>> r = mosaic_example(persons=20_000, seed=1)
    >>> r.forum_persons, r.shop_persons
    (400, 5000)
    >>> r.named > 0.9 * r.shared_persons and r.named_sensitive > 0
    True
    """
    con = con if con is not None else connect()
    if population is None:
        population = population_table(persons, seed)
    with _Scope(con) as scope:
        view, _ = scope.view(population, "population")
        total = scope.con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    forum = draw_extract(population, ExtractSpec("forum", round(total * forum_share), FORUM),
                         child_seed(seed, 1), con=con)
    shop = draw_extract(population, ExtractSpec("shop", round(total * shop_share), SHOP),
                        child_seed(seed, 2), con=con)
    shared = overlap(forum, shop, con=con)
    linked = link_records(forum, shop, QI, columns_a=("special_category",),
                          columns_b=("email", "phone", "date_of_birth", "postcode", "sex"),
                          con=con)
    linked = linked[["email", "phone", "date_of_birth", "postcode", "sex", "special_category",
                     "correct"]]
    return MosaicResult(forum.num_rows, shop.num_rows, shared, linked)
