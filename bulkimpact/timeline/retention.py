"""Retention of each dataset: when it is held, and the what-if changes that end it earlier.

The retention rule is stated in :mod:`bulkimpact.timeline` (the package docstring).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from ..inventory import Dataset, Inventory
from ..parameters import ParameterError

if TYPE_CHECKING:
    from ..rulebook import Rulebook


# --- retention of one dataset ------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """When one dataset is held: ``acquired <= day < ends``.

    ``ends`` is the first day the dataset is no longer held (None: no end
    recorded); ``end_reason`` says which date gave it: ``"destroyed"``,
    ``"relevance_deadline"``, ``"extension"``, ``"none recorded"``, or for a
    what-if ``"what-if: destroyed"`` / ``"what-if: extension refused"``.

    Examples
    --------
    >>> r = Retention("a", date(2024, 1, 1), date(2025, 7, 1), (date(2026, 7, 1),), None,
    ...               date(2026, 7, 1), "extension")
    >>> r.held_on(date(2026, 6, 30)), r.held_on(date(2026, 7, 1)), r.term_in_force
    (True, False, datetime.date(2026, 7, 1))
    """

    dataset: str
    acquired: date | None
    relevance_deadline: date | None
    extensions: tuple[date, ...]
    destroyed: date | None
    ends: date | None
    end_reason: str

    @property
    def term_in_force(self) -> date | None:
        """The last extension, else the relevance deadline (None when neither is given)."""
        return self.extensions[-1] if self.extensions else self.relevance_deadline

    @property
    def held_past_term_days(self) -> int:
        """Days held after the term in force (0 when destroyed in time or no term is known)."""
        term = self.term_in_force
        if self.ends is None or term is None or self.ends <= term:
            return 0
        return (self.ends - term).days

    def held_on(self, day: date) -> bool:
        """Whether the dataset is held on ``day``."""
        return ((self.acquired is None or self.acquired <= day)
                and (self.ends is None or day < self.ends))

    def to_json(self) -> dict[str, Any]:
        """Dates as ISO strings."""
        iso = _iso
        return {"id": self.dataset, "acquired": iso(self.acquired),
                "relevance_deadline": iso(self.relevance_deadline),
                "extensions": [d.isoformat() for d in self.extensions],
                "destroyed": iso(self.destroyed), "term_in_force": iso(self.term_in_force),
                "ends": iso(self.ends), "end_reason": self.end_reason,
                "held_past_term_days": self.held_past_term_days}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def retention_of(dataset: Dataset) -> Retention:
    """The retention of a dataset under the module's rule (see the module docstring).

    Examples
    --------
    >>> from bulkimpact.inventory import Dataset
    >>> d = Dataset(id="a", name="A", source="open", persons=10, population="nl",
    ...             fields=[{"name": "x", "category": "contact"}], acquired=date(2024, 1, 1),
    ...             relevance_deadline=date(2025, 7, 1), extensions=[date(2026, 7, 1)])
    >>> r = retention_of(d)
    >>> r.ends, r.end_reason
    (datetime.date(2026, 7, 1), 'extension')
    >>> retention_of(d.model_copy(update={"destroyed": date(2025, 1, 1)})).end_reason
    'destroyed'
    """
    term = dataset.extensions[-1] if dataset.extensions else dataset.relevance_deadline
    if dataset.destroyed is not None:
        ends, reason = dataset.destroyed, "destroyed"
    elif term is not None:
        ends, reason = term, "extension" if dataset.extensions else "relevance_deadline"
    else:
        ends, reason = None, "none recorded"
    return Retention(dataset.id, dataset.acquired, dataset.relevance_deadline,
                     tuple(dataset.extensions), dataset.destroyed, ends, reason)


# --- retention against the law's terms ---------------------------------------------------

#: Kinds of retention findings (``findings`` in the JSON of validate and timeline).
RETENTION_FINDINGS = {
    "retention_indefinite": "no relevance deadline and not destroyed: held indefinitely",
    "retention_beyond_term": "a relevance deadline or an extension past the term the rulebook "
                             "allows",
}


def retention_findings(inventory: Inventory, rulebook: Rulebook) -> list[dict[str, str]]:
    """Datasets held indefinitely or beyond the retention terms of the rulebook.

    Notes
    -----
    With ``rulebook.retention`` (none: no findings): a dataset with neither a
    relevance deadline nor an extension nor a destruction date is held
    indefinitely; a relevance deadline later than ``relevance_months`` after
    acquisition (art. 27 Wiv 2017: one and a half years), an extension later
    than ``extension_months`` after the term it extends, or a destruction
    later than the term in force allows, is beyond the term.

    Returns
    -------
    list of dict
        ``{"kind", "id", "message"}``, kinds of :data:`RETENTION_FINDINGS`.

    Examples
    --------
    >>> from bulkimpact.inventory import parse_inventory
    >>> from bulkimpact.rulebook import load_rulebook, default_rulebook_path
    >>> rb = load_rulebook(default_rulebook_path())
    >>> d = {"name": "A", "source": "open", "persons": 10, "population": "nl",
    ...      "fields": [{"name": "x", "category": "contact"}], "acquired": "2024-01-01"}
    >>> inv = parse_inventory({"title": "t", "fictional": True,
    ...     "populations": [{"id": "nl", "size": 100}], "datasets": [
    ...         {**d, "id": "kept", "relevance_deadline": "2025-07-01"},
    ...         {**d, "id": "late", "relevance_deadline": "2025-07-02"},
    ...         {**d, "id": "forever"}]})
    >>> [(f["kind"], f["id"]) for f in retention_findings(inv, rb)]
    [('retention_beyond_term', 'late'), ('retention_indefinite', 'forever')]
    """
    terms = rulebook.retention
    if terms is None:
        return []
    out = []

    def add(kind: str, d: Dataset, message: str) -> None:
        out.append({"kind": kind, "id": d.id, "message": f"dataset {d.id!r}: {message}"})

    source = terms.relevance_source.rstrip(".")
    allowed = f"{terms.relevance_months} months after acquisition ({source})"
    for d in inventory.datasets:
        if d.relevance_deadline is None and not d.extensions and d.destroyed is None:
            add("retention_indefinite", d, "no relevance deadline, no extension and no "
                f"destruction date: held indefinitely; the rulebook allows {allowed}")
            continue
        if d.acquired is None:
            continue
        limit = d.acquired + relativedelta(months=terms.relevance_months)
        term = d.relevance_deadline or limit
        if d.relevance_deadline is not None and d.relevance_deadline > limit:
            add("retention_beyond_term", d, f"relevance deadline {d.relevance_deadline} is "
                f"past {limit}, {allowed}")
        for extension in d.extensions:
            if terms.extension_months is not None and \
                    extension > term + relativedelta(months=terms.extension_months):
                add("retention_beyond_term", d, f"extension to {extension} reaches past "
                    f"{term + relativedelta(months=terms.extension_months)}, "
                    f"{terms.extension_months} months after the term it extends ({term}); "
                    f"{terms.extension_source}")
            term = extension
        if d.destroyed is not None and d.destroyed > limit \
                and d.relevance_deadline is None and not d.extensions:
            add("retention_beyond_term", d, f"destroyed on {d.destroyed} without a relevance "
                f"deadline, past {limit}, {allowed}")
    return out


# --- what-if changes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One what-if change: destroy ``dataset`` on ``day``, or refuse its extension to ``day``.

    ``kind`` is ``"destroy"`` or ``"refuse_extension"``; ``ends`` is the day
    the dataset is no longer held under the change, ``ends_before`` the day
    it ended without it.
    """

    kind: str
    dataset: str
    day: date
    ends: date
    ends_before: date | None

    @property
    def label(self) -> str:
        """``destroy ID@DATE`` or ``refuse-extension ID@DATE``."""
        verb = "destroy" if self.kind == "destroy" else "refuse-extension"
        return f"{verb} {self.dataset}@{self.day.isoformat()}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "dataset": self.dataset, "date": self.day.isoformat(),
                "ends": self.ends.isoformat(), "ends_before": _iso(self.ends_before),
                "changes_anything": self.ends_before is None or self.ends < self.ends_before}


def parse_change(text: str, inventory: Inventory, kind: str = "destroy",
                 argument: str | None = None) -> Change:
    """Parse ``ID@DATE`` into a :class:`Change`, checked against the inventory.

    For ``kind="destroy"`` the date is the day the dataset is destroyed (on or
    after its acquisition). For ``kind="refuse_extension"`` it is one of the
    dataset's extensions (the new end term to refuse): the dataset then ends
    at the term in force before it, and later extensions fall with it.

    Raises
    ------
    ParameterError
        Naming the argument, the value and what would be valid.

    Examples
    --------
    >>> from bulkimpact.inventory import load_inventory
    >>> inv = load_inventory("data/synthetic/baseline.yaml")
    >>> parse_change("leak-webshop-2019@2025-01-01", inv).ends
    datetime.date(2025, 1, 1)
    >>> c = parse_change("leak-webshop-2019@2025-09-01", inv, "refuse_extension")
    >>> c.ends, c.ends_before
    (datetime.date(2024, 9, 1), datetime.date(2025, 9, 1))
    >>> parse_change("leak-webshop@2025-01-01", inv)
    Traceback (most recent call last):
    ...
    bulkimpact.parameters.ParameterError: --destroy 'leak-webshop@2025-01-01': unknown dataset 'leak-webshop'; did you mean 'leak-webshop-2019'? Give ID@DATE with a dataset id of the inventory and an ISO date (YYYY-MM-DD)
    """  # noqa: E501
    if kind not in ("destroy", "refuse_extension"):
        raise ValueError(f"kind must be 'destroy' or 'refuse_extension', got {kind!r}")
    argument = argument or ("--destroy" if kind == "destroy" else "--refuse-extension")
    form = ("Give ID@DATE with a dataset id of the inventory and an ISO date (YYYY-MM-DD)")
    where = f"{argument} {text!r}"
    ident, sep, day_text = str(text).rpartition("@")
    if not sep or not ident or not day_text:
        raise ParameterError(f"{where}: not of the form ID@DATE. {form}, e.g. "
                             f"{inventory.datasets[0].id}@2025-01-01")
    ids = [d.id for d in inventory.datasets]
    if ident not in ids:
        close = difflib.get_close_matches(ident, ids, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ParameterError(f"{where}: unknown dataset {ident!r}{hint} {form}")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise ParameterError(f"{where}: {day_text!r} is not a date. {form}") from None
    dataset = inventory.dataset(ident)
    before = retention_of(dataset)
    if kind == "destroy":
        if dataset.acquired is not None and day < dataset.acquired:
            raise ParameterError(f"{where}: before the dataset was acquired "
                                 f"({dataset.acquired.isoformat()}); a dataset is destroyed "
                                 "on or after the day it was acquired")
        ends = day if before.ends is None else min(day, before.ends)
        return Change("destroy", ident, day, ends, before.ends)
    if day not in dataset.extensions:
        valid = ", ".join(f"{ident}@{e.isoformat()}" for e in dataset.extensions)
        raise ParameterError(
            f"{where}: {ident!r} has no extension to {day.isoformat()}; "
            + (f"valid: {valid}" if valid else "it has no extensions to refuse"))
    i = dataset.extensions.index(day)
    prior = dataset.extensions[i - 1] if i else dataset.relevance_deadline
    if prior is None:  # an extension without a relevance deadline: it ends when acquired
        prior = dataset.acquired or day
    ends = prior if before.ends is None else min(prior, before.ends)
    return Change("refuse_extension", ident, day, ends, before.ends)


def _apply(retention: Mapping[str, Retention], changes: Sequence[Change]) -> dict[str, Retention]:
    out = dict(retention)
    for c in changes:
        r = out[c.dataset]
        if r.ends is None or c.ends < r.ends:
            reason = ("what-if: destroyed" if c.kind == "destroy"
                      else "what-if: extension refused")
            out[c.dataset] = replace(r, ends=c.ends, end_reason=reason)
    return out


# --- the held inventory and its assessment -----------------------------------------------



#: The retention rule in one sentence (the JSON record carries it).
RETENTION_RULE = ("held from 'acquired' (or the first day of the timeline when absent) until "
                  "'destroyed' if given, otherwise until the term in force: the last "
                  "extension, else the relevance deadline; not held on that day")


def held_inventory(inventory: Inventory, held: Iterable[str]) -> Inventory:
    """The inventory as held: only the ``held`` datasets, their overlaps and investigations.

    Overlaps with datasets no longer held are dropped; an investigation keeps
    its held datasets and is dropped when fewer than two remain. What remains of
    an investigation is then judged like any combination (its part of three or
    more only when heavier than every set inside it,
    :func:`~bulkimpact.combinations.without_covered_parts`), as the timeline's
    restricted assessment judges it (:meth:`bulkimpact.assessor.Assessor.sets`).

    Examples
    --------
    >>> from bulkimpact.inventory import load_inventory
    >>> inv = load_inventory("data/synthetic/baseline.yaml")
    >>> sub = held_inventory(inv, ["leak-webshop-2019", "telecom-subscribers"])
    >>> [d.id for d in sub.datasets]
    ['leak-webshop-2019', 'telecom-subscribers']
    """
    keep = set(held)
    datasets = [d.model_copy(update={"overlaps": [o for o in d.overlaps if o.with_ in keep]})
                for d in inventory.datasets if d.id in keep]
    investigations = []
    for inv in inventory.investigations:
        members = [m for m in inv.datasets if m in keep]
        if len(members) >= 2:
            investigations.append(inv.model_copy(update={"datasets": members}))
    return inventory.model_copy(update={"datasets": datasets,
                                        "investigations": investigations})
