"""Combinations heavier together than any member, in words: how many, which jumps, the
persons they link and the criteria that fire only together (report 03).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .i18n import (
    level_name,
    translator,
)
from .names import (
    kind_name,
    plural,
)
from .phrases import count_text
from .rulebook_names import category_name, criterion_name

__all__ = ["cumulative_finding", "raised_title", "raised_alt", "mosaic_frame", "mosaic_rule_text"]


def cumulative_finding(raised: int, sets: int, by_kind: Mapping[str, int], persons: float,
                       lang: str = "en") -> str:
    """Report 03's finding: the combinations heavier than any member, and the persons in them.

    Examples
    --------
    >>> print(cumulative_finding(23, 311, {"edge": 20, "chain": 3}, 1234567.8, "nl"))
    **23** van de 311 combinaties (7%) komen samen op een hoger niveau dan elk van hun
    bulkdatasets afzonderlijk (20 paren en 3 ketens); samen koppelen ze gegevens over naar
    verwachting **ruim 1,2 miljoen verschillende personen**.
    """
    t = translator(lang)
    nouns = {"edge": "pair", "chain": "chain", "investigation": "investigation"}
    kinds = t.join([plural(n, nouns[k], lang=lang) if k in nouns else f"{count_text(n, t)} {k}"
                    for k, n in by_kind.items()])
    # TRANSLATORS: {raised} a number; {sets} "N combinations"; {share} a percentage;
    # {kinds} "20 pairs and 3 chains"; {persons} "N distinct persons".
    return t.gettext("**{raised}** of {sets} ({share}) reach a higher level together than any "
                     "of their datasets alone ({kinds}); together they link an expected "
                     "**{persons}**.").format(
        raised=count_text(raised, t), sets=plural(sets, "combination", lang=lang),
        share=t.percent(raised, sets), kinds=kinds,
        persons=plural(persons, "distinct person", lang=lang))


def raised_title(groups: pd.DataFrame, raised: int, level_names: Sequence[str],
                 lang: str = "en") -> str:
    """Title of report 03's figure: the combinations heavier than their members, and the
    most common jump. ``groups`` is
    :func:`bulkimpact.present.combination_plots.raised_groups` output."""
    t = translator(lang)
    head = t.ngettext("{n} combination is heavier than any of its members",
                      "{n} combinations are heavier than any of their members", raised).format(
        n=count_text(raised, t))
    if groups.empty:
        return head
    jumps = groups.groupby(["member_level", "level"], sort=False)["count"].sum() \
        .sort_values(ascending=False, kind="stable")
    (m, lv), n = jumps.index[0], int(jumps.iloc[0])
    # TRANSLATORS: {head} "N combinations are heavier …"; {n} a number; {member} and {level}
    # level names ("light", "heavy").
    return t.ngettext("{head}; {n} of them joins {member} datasets into a {level} combination",
                      "{head}; {n} of them join {member} datasets into a {level} combination",
                      n).format(head=head, n=count_text(n, t),
                                member=level_name(level_names[m], lang),
                                level=level_name(level_names[lv], lang))


def raised_alt(groups: pd.DataFrame, raised: int, level_names: Sequence[str],
               lang: str = "en") -> str:
    """Alt text of report 03's figure: every row, its jump, count and persons."""

    t = translator(lang)
    rows = "; ".join(t.gettext(
        "{count} {kind} from level {member} to level {level}, linking {low} to {high} persons "
        "each (largest: {largest})").format(
        count=count_text(g.count, t), kind=kind_name(g.kind, lang),
        member=f"{g.member_level} {level_name(level_names[g.member_level], lang)}",
        level=f"{g.level} {level_name(level_names[g.level], lang)}",
        low=count_text(g.persons_min, t), high=count_text(g.persons_max, t),
        largest=g.largest.replace(", ", " + ")) for g in groups.itertuples())
    return t.gettext("Two-panel chart of the {raised} combinations that reach a higher level "
                     "together than any member alone, grouped by kind and by the jump from the "
                     "highest member level to the combination's level. {rows}.").format(
        raised=count_text(raised, t), rows=rows)


def mosaic_frame(analysis: Any, top: int | None = None, lang: str | None = None) -> pd.DataFrame:
    """The combinations heavier than their members, most linked persons first.

    Columns: ``combination``, ``member_categories`` (what each member brings),
    ``member_levels``, ``combined_level``, ``rules_only_together`` (criteria that fire on
    the combination only), ``linked_persons``, ``kind``. Without ``lang`` (a download),
    ids; with it, names in the language.
    """
    G, rb = analysis.graph, analysis.rulebook
    raised = sorted((s for s in analysis.sets if s.raised), key=lambda s: -s.persons)
    rows = []
    for s in raised[:top]:
        own = set().union(*(G.nodes[m]["rules"] for m in s.members))
        only = [r for r in s.rules if r not in own]

        def cats(m: str) -> str:
            return ", ".join(category_name(c, lang) if lang else c
                             for c in G.nodes[m]["categories"])

        rows.append({
            "combination": " + ".join(s.members),
            "member_categories": " | ".join(f"{m}: {cats(m)}" for m in s.members),
            "member_levels": ", ".join(str(G.nodes[m]["level"]) for m in s.members),
            "combined_level": rb.levels[s.level].name if lang else s.level,
            "rules_only_together": "; ".join(criterion_name(rb, r, lang) if lang else r
                                             for r in only) or "–",
            "linked_persons": s.persons, "kind": s.kind,
        })
    return pd.DataFrame(rows, columns=["combination", "member_categories", "member_levels",
                                       "combined_level", "rules_only_together",
                                       "linked_persons", "kind"])


def mosaic_rule_text(analysis: Any, lang: str = "en") -> str | None:
    """The criterion that most often fires on a combination only, and how often."""
    frame = mosaic_frame(analysis)
    rules = frame["rules_only_together"].str.split("; ").explode()
    rules = rules[rules != "–"].value_counts()
    if rules.empty:
        return None
    t = translator(lang)
    return t.gettext("The criterion that most often fires only on a combination: **{rule}** "
                     "({combinations}).").format(
        rule=criterion_name(analysis.rulebook, rules.index[0], lang),
        combinations=plural(rules.iloc[0], "combination", lang=lang))
