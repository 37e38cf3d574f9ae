"""Every report in every language from one run of its notebook.

A notebook runs once per input. Whatever it shows in words is made once per
language and tagged with that language; the report renderer
(:mod:`bulkimpact.report.render`) keeps one language's outputs per page.
Outputs without a tag (rare: a figure without words) appear on every page.

- **Prose** lives in markdown cells tagged with their language (``nl`` or
  ``en``); an untagged markdown cell is shown in every language.
- **Computed outputs** (sentences, tables, figures) come from
  :func:`each`: it calls ``make(lang)`` for every language the run renders
  and displays what it returns, tagged.
- **Roles** mark outputs the batch lifts onto the index: ``"finding"`` (the
  report's one-line finding) and ``"verdict"`` (the overview's headline
  table, figure and sentences); and the one output the batch's pages leave
  out: ``"banner"``, the notice on fictional data a notebook shows itself
  for a run without the batch (:mod:`bulkimpact.report.notice`), which the
  batch's own banner replaces.

The languages a run renders are set once, from the notebook's
``languages`` parameter (``"nl,en"`` by default; Dutch first).

Examples
--------
>>> set_languages("en")
('en',)
>>> [tag("nl"), tag("en", role="finding")]
[{'bulkimpact': {'lang': 'nl'}}, {'bulkimpact': {'lang': 'en', 'role': 'finding'}}]
>>> output_language({"metadata": {"bulkimpact": {"lang": "nl"}}}), output_role({})
('nl', None)
>>> set_languages(None)
('nl', 'en')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .i18n import LANGUAGES

__all__ = ["KEY", "ROLES", "each", "finding", "languages", "output_language", "output_role",
           "parse_languages", "set_languages", "shown_in", "tag", "verdict"]

#: The output-metadata key under which language and role are stored.
KEY = "bulkimpact"
#: Roles an output may have: what the batch lifts onto the index (finding, verdict) or
#: leaves out of its pages (banner).
ROLES = ("finding", "verdict", "banner")

_active: tuple[str, ...] = LANGUAGES


def parse_languages(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """Languages from ``"nl,en"``, ``["en"]`` or None (all, Dutch first), without repeats.

    Examples
    --------
    >>> parse_languages("en, nl"), parse_languages(None), parse_languages(["nl", "nl"])
    (('en', 'nl'), ('nl', 'en'), ('nl',))
    >>> parse_languages("de")
    Traceback (most recent call last):
    ...
    ValueError: language 'de' is not one of nl, en (give e.g. languages="nl,en")
    """
    if spec is None:
        return LANGUAGES
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    chosen = tuple(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))
    for lang in chosen:
        if lang not in LANGUAGES:
            raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)} "
                             '(give e.g. languages="nl,en")')
    if not chosen:
        raise ValueError(f"no language given: choose from {', '.join(LANGUAGES)}")
    return chosen


def set_languages(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """Set the languages :func:`each` renders in this process; returns them."""
    global _active
    _active = parse_languages(spec)
    return _active


def languages() -> tuple[str, ...]:
    """The languages :func:`each` renders, in order."""
    return _active


def tag(lang: str, role: str | None = None) -> dict[str, dict[str, str]]:
    """Display metadata marking an output as `lang` (and `role`)."""
    if role is not None and role not in ROLES:
        raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")
    inner = {"lang": lang} if role is None else {"lang": lang, "role": role}
    return {KEY: inner}


def each(make: Callable[[str], Any], role: str | None = None) -> None:
    """Display ``make(lang)`` for every language of the run, tagged with it.

    ``make`` returns something IPython can display (``Markdown``, ``HTML``, a
    pandas ``Styler``), a list or tuple of such things, a ``str`` (shown as
    Markdown), or None (nothing shown).
    """
    from IPython.display import Markdown, display

    for lang in _active:
        made = make(lang)
        for item in (made if isinstance(made, (list, tuple)) else [made]):
            if item is None:
                continue
            display(Markdown(item) if isinstance(item, str) else item, metadata=tag(lang, role))


def finding(make: Callable[[str], Any]) -> None:
    """:func:`each` with the role ``finding``: the report's one-line finding."""
    each(make, role="finding")


def verdict(make: Callable[[str], Any]) -> None:
    """:func:`each` with the role ``verdict``: lifted onto the index page."""
    each(make, role="verdict")


def _metadata(output: Mapping[str, Any]) -> Mapping[str, Any]:
    return (output.get("metadata") or {}).get(KEY) or {}


def shown_in(cell: Mapping[str, Any], lang: str) -> bool:
    """Whether a page (or a notebook) in `lang` keeps `cell`: it is tagged with `lang`, or
    with no language at all.

    Examples
    --------
    >>> [shown_in({"metadata": {"tags": tags}}, "en") for tags in (["nl"], ["en"], [])]
    [False, True, True]
    """
    tags = set((cell.get("metadata") or {}).get("tags", []))
    return not (tags & set(LANGUAGES)) - {lang}


def output_language(output: Mapping[str, Any]) -> str | None:
    """The language an executed notebook's output is tagged with (None: every language)."""
    return _metadata(output).get("lang")


def output_role(output: Mapping[str, Any]) -> str | None:
    """The role of an executed notebook's output (None: none)."""
    return _metadata(output).get("role")
