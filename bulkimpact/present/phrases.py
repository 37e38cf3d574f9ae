"""The small phrases every computed sentence shares: shares, counts, costs and rule names.

Reports show sentences to readers who never open Python; each one says what it
counts and under which rule, so a number is never shown bare. Every sentence takes
``lang``: ``"en"`` (the default) or ``"nl"``. The words come from the message
catalogues of :mod:`bulkimpact.present.i18n`, numbers are formatted for the language
(Dutch 1.259.319 and 55,5) and counted nouns take the catalogue's plural forms
(:func:`bulkimpact.present.names.plural`). Sentences name decision rules and openness
readings by their human names, in every language
(:func:`~bulkimpact.present.i18n.rule_name`, :func:`~bulkimpact.present.i18n.reading_name`);
the glossary page gives the id the JSON and the CSV downloads use beside each name.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

from ..evaluate import PolicyOutcome
from ..rulebook import Rulebook
from .i18n import (
    RULES,
    Translator,
    level_name,
    rule_meaning,
    rule_name,
    translator,
)

__all__ = ["percent", "RULE_MEANING", "rule_text", "count_text", "cost_text", "param_text",
           "slight_text", "bold_rules", "capitalised", "bold_rule"]


def percent(part: float, whole: float, lang: str = "en") -> str:
    """A share as a rounded percentage.

    Examples
    --------
    >>> percent(1, 3), percent(0, 0), percent(7, 12, lang="nl")
    ('33%', '0%', '58%')
    """
    return translator(lang).percent(part, whole)


#: One line on what each decision rule does, in English (for other languages:
#: :func:`bulkimpact.present.i18n.rule_meaning`).
RULE_MEANING = {rule: rule_meaning(rule, "en") for rule in RULES}


def rule_text(name: str, t: Translator) -> str:
    """A rule named in a sentence: by its human name in every language (the glossary and
    every table give the id the JSON uses beside it)."""
    return rule_name(name, t.lang)


def count_text(x: float, t: Translator) -> str:
    """A count (or an expected count) as a whole number in the translator's language.

    Examples
    --------
    >>> count_text(1259319.4, translator("nl")), count_text(1259319.4, translator("en"))
    ('1.259.319', '1,259,319')
    """
    return t.number(x)


def cost_text(x: float, t: Translator) -> str:
    """Cost units with one decimal, in the translator's language.

    Examples
    --------
    >>> cost_text(1234.56, translator("nl")), cost_text(0.5, translator("en"))
    ('1.234,6', '0.5')
    """
    return t.decimal(x, 1)


def param_text(v: object, t: Translator) -> str:
    """A parameter's value: a number in the translator's language, anything else as written.

    Examples
    --------
    >>> param_text(0.5, translator("nl")), param_text(True, translator("nl"))
    ('0,5', 'True')
    """
    return t.decimal(v) if isinstance(v, numbers.Real) and not isinstance(v, bool) else str(v)


def slight_text(o: PolicyOutcome, rulebook: Rulebook, t: Translator) -> str:
    """The escalated datasets of very slight intrusion on their own, split into those outside
    the regime and those at the rulebook's light level."""
    light = level_name(rulebook.levels[rulebook.low_intrusion_level].name, t.lang)
    # TRANSLATORS: the escalated datasets at or below the rulebook's light level on their
    # own, the ministers' "zeer geringe inbreuk"; {light} is the level's name.
    return t.gettext("{count} of very slight intrusion on their own "
                     "({outside} outside the regime, {light_count} {light})").format(
        count=count_text(o.escalated_slight, t), outside=count_text(o.escalated_outside_regime, t),
        light_count=count_text(o.escalated_light, t), light=light)


def bold_rules(names: Sequence[str], t: Translator) -> str:
    """Rules by their names, in bold, joined as a list in the translator's language.

    Examples
    --------
    >>> bold_rules(["component", "per_dataset"], translator("nl"))
    '**hele component** en **per bulkdataset afzonderlijk**'
    """
    return t.join([f"**{rule_text(n, t)}**" for n in names])


def capitalised(text: str) -> str:
    """A title or sentence that starts with a rule's name, capitalised."""
    return text[:1].upper() + text[1:]


def bold_rule(name: str, lang: str) -> str:
    """A rule by its name in the language, in bold (Markdown).

    Examples
    --------
    >>> bold_rule("component", "en")
    '**whole component**'
    """
    return f"**{rule_name(name, lang)}**"
