"""The verdict in words: per reading, the cheapest protecting rule and when it changes.

Every sentence is computed from a :class:`bulkimpact.verdict.Verdict` (decision map,
tipping points, rank shares) and worded by the catalogues, Dutch first. Each names the
reading it uses and the condition under which the answer flips, so a reader can check it.

Examples
--------
>>> from bulkimpact.analysis import load_analysis
>>> a = load_analysis("data/synthetic/baseline.yaml")
>>> s = verdict_sentence("ctivd", a.verdict, "en")
>>> s.startswith("Under the CTIVD reading, authorisation per use")
True
>>> "uses a year" in s and "draws" in s
True
>>> verdict_sentence("ctivd", a.verdict, "nl").startswith("In de lezing van de CTIVD")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import reading_name, rule_name, translator

if TYPE_CHECKING:
    from ..verdict import Verdict

__all__ = ["verdict_sentence", "verdict_sentences"]


def _condition(tip: dict, lang: str) -> str:
    """One tipping point as a clause: where it lies, and which rule is cheaper past it."""
    t = translator(lang)
    rule = rule_name(tip["to"], lang) if tip["to"] else t.gettext("no rule")
    value = t.significant(tip["value"], 2)
    if tip["assumption"] == "use_rate":
        message = (t.gettext("above {value} uses a year of a possible combination, {rule} is "
                             "cheaper") if tip["from"] == "use_based" else
                   t.gettext("below {value} uses a year of a possible combination, {rule} is "
                             "cheaper"))
    elif tip["assumption"] == "horizon_years":
        message = t.gettext("over a horizon of {value} years or more, {rule} is cheaper")
    elif tip["from"] == "use_based":
        message = t.gettext("as soon as not every use is authorised beforehand, {rule} is "
                            "cheaper")
    else:
        message = t.gettext("only if every use is authorised beforehand is {rule} cheaper")
    return message.format(value=value, rule=rule)


def verdict_sentence(reading: str, verdict: Verdict, lang: str = "en") -> str:
    """The cheapest protecting rule under ``reading``, how often it wins the draws, and the
    conditions under which another is cheaper."""
    t = translator(lang)
    if verdict.cheapest is None:
        return t.gettext("Under the {reading}, no rule protects every combination.").format(
            reading=reading_name(reading, lang))
    share = verdict.rank_shares.get(verdict.cheapest, 0.0)
    head = t.gettext(
        "Under the {reading}, {rule} protects every combination at least cost with the stated "
        "assumptions (cheapest in {share} of {draws} draws over the uncertain ones)").format(
        reading=reading_name(reading, lang), rule=rule_name(verdict.cheapest, lang),
        share=t.percent(share, 1.0), draws=t.number(verdict.draws))
    conditions = [_condition(tip, lang) for tip in verdict.tipping_points]
    if not conditions:
        return head + t.gettext("; no use rate, horizon or compliance tried changes that.")
    return head + "; " + "; ".join(conditions) + "."


def verdict_sentences(verdicts: dict[str, Verdict], lang: str = "en") -> list[str]:
    """:func:`verdict_sentence` for each reading, in the order given (ministers' first)."""
    return [verdict_sentence(r, v, lang) for r, v in verdicts.items()]
