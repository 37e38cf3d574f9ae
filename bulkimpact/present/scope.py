"""What a report did not judge, said on every page in one box.

Combinations larger than ``max_set_size`` are not judged; every report says so, with the
count of linked combinations of the next size that are heavier than all their parts
(:class:`bulkimpact.combinations.NotJudged`, the ``not_judged`` record of ``assess
--json``). The timeline (report 08) judges the datasets held on each day with the same
limit, so the count over the whole inventory bounds any day's. The exchange (report 07)
judges each partner's linked exchanges whole, whatever their number, and weighs no two
partners together: that is what it leaves out.

Examples
--------
>>> from bulkimpact.combinations import NotJudged
>>> note = not_judged_note(NotJudged(3, 25, True), "en")
>>> print(note.text)
Not judged: linked combinations of more than 3 datasets. Of those with 4, 25 are heavier \
than all their parts (counted exactly).
>>> note._repr_html_().startswith('<div class="bi-box bi-not-judged" role="note">')
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .i18n import translator

if TYPE_CHECKING:
    from ..combinations import NotJudged

__all__ = ["NOT_JUDGED_CLASS", "ScopeNote", "exchange_not_judged_note", "not_judged_note"]

#: The class of the box every report page carries (a test finds it on every page).
NOT_JUDGED_CLASS = "bi-not-judged"


@dataclass(frozen=True)
class ScopeNote:
    """A sentence of what was not judged, shown as a box on the page."""

    text: str

    def _repr_html_(self) -> str:
        return (f'<div class="bi-box {NOT_JUDGED_CLASS}" role="note"><p>'
                f"{html.escape(self.text)}</p></div>")


def _how(not_judged: NotJudged, lang: str) -> str:
    t = translator(lang)
    return (t.gettext("counted exactly") if not_judged.exact else
            t.gettext("an upper bound: counting them all would take too long"))


def not_judged_note(not_judged: NotJudged, lang: str = "en", *,
                    over_time: bool = False) -> ScopeNote:
    """The combinations an inventory report did not judge, and how many of the next size
    are heavier than all their parts.

    Parameters
    ----------
    not_judged : NotJudged
        :attr:`bulkimpact.analysis.Analysis.not_judged`.
    lang : str
    over_time : bool
        The report judges the datasets held on each day (report 08): the count over the
        whole inventory is then an upper bound for any one day.

    Examples
    --------
    >>> from bulkimpact.combinations import NotJudged
    >>> print(not_judged_note(NotJudged(3, 1, False), "nl").text)
    Niet beoordeeld: gekoppelde combinaties van meer dan 3 bulkdatasets. Van de combinaties \
van 4 bulkdatasets weegt er 1 zwaarder dan al haar delen (een bovengrens: alles tellen zou te \
lang duren).
    >>> print(not_judged_note(NotJudged(None, 0, True), "en").text)
    Every linked combination is judged, whatever its size: none is left out.
    >>> print(not_judged_note(NotJudged(3, 2, True), "en", over_time=True).text)
    Not judged: linked combinations of more than 3 datasets held together. Over the whole \
inventory, 2 of those with 4 are heavier than all their parts (counted exactly); on any one \
day at most as many are left out.
    """
    t = translator(lang)
    if not_judged.max_set_size is None:
        return ScopeNote(t.gettext("Every linked combination is judged, whatever its size: "
                                   "none is left out."))
    size = not_judged.max_set_size
    n = not_judged.heavier_larger_sets
    if over_time:
        message = t.ngettext(
            "Not judged: linked combinations of more than {size} datasets held together. Over "
            "the whole inventory, {larger} of those with {next} is heavier than all its parts "
            "({how}); on any one day at most as many are left out.",
            "Not judged: linked combinations of more than {size} datasets held together. Over "
            "the whole inventory, {larger} of those with {next} are heavier than all their "
            "parts ({how}); on any one day at most as many are left out.", n)
    else:
        message = t.ngettext(
            "Not judged: linked combinations of more than {size} datasets. Of those with "
            "{next}, {larger} is heavier than all its parts ({how}).",
            "Not judged: linked combinations of more than {size} datasets. Of those with "
            "{next}, {larger} are heavier than all their parts ({how}).", n)
    return ScopeNote(message.format(size=t.number(size), next=t.number(size + 1),
                                    larger=t.number(n), how=_how(not_judged, lang)))


def exchange_not_judged_note(lang: str = "en") -> ScopeNote:
    """What the exchange report (07) does not judge: it has no largest combination, but
    weighs no two partners together.

    Examples
    --------
    >>> print(exchange_not_judged_note("en").text)
    Not judged: exchanges with different partners together. Within one partner and window, \
every linked group of exchanges is judged as a whole, whatever its size, so no larger \
combination is left out there.
    """
    return ScopeNote(translator(lang).gettext(
        "Not judged: exchanges with different partners together. Within one partner and "
        "window, every linked group of exchanges is judged as a whole, whatever its size, so "
        "no larger combination is left out there."))
