"""The navigation of a report page: index, previous and next report, languages, contents.

Every page links to the index (the verdict), to the report before and after
it in the batch, to the glossary, to itself in the other languages, to its
own sections (the ``##`` headings) and to its downloads, all by relative
paths, so the reports folder works offline as a whole and can be zipped.
"""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

from bulkimpact.report.jobs import Job, page_name
from bulkimpact.report.templating import macros

__all__ = ["LANGUAGE_NAMES", "contents", "downloads", "glossary_name", "index_name", "nav_html",
           "with_nav"]

#: Each language by its own name (a language switch names the language it leads to).
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_BODY = re.compile(r"<body\b[^>]*>")


def index_name(lang: str, main: str) -> str:
    """The index page's file name in `lang`: ``index.html`` in the main language.

    Examples
    --------
    >>> index_name("nl", "nl"), index_name("en", "nl")
    ('index.html', 'index.en.html')
    """
    return "index.html" if lang == main else f"index.{lang}.html"


def glossary_name(lang: str) -> str:
    """The glossary page's file name in `lang`.

    Examples
    --------
    >>> glossary_name("nl")
    'glossary.nl.html'
    """
    return f"glossary.{lang}.html"


def contents(page: str) -> list[SimpleNamespace]:
    """The ``<h2>`` sections of a rendered page: their anchors and plain text.

    Examples
    --------
    >>> page = '<h2 id="Vraag">Vraag<a class="anchor-link" href="#Vraag">¶</a></h2>'
    >>> [(h.id, h.text) for h in contents(page)]
    [('Vraag', 'Vraag')]
    """
    found = []
    for anchor, inner in _H2.findall(page):
        text = html.unescape(_TAGS.sub("", inner)).replace("¶", "").strip()
        found.append(SimpleNamespace(id=html.unescape(anchor), text=text))
    return found


def downloads(job: Job, lang: str = "nl") -> list[str]:
    """Relative links to the files the notebook wrote, and to the executed notebook.

    The Dutch spreadsheets and their data dictionaries (``*.nl.csv``, beside
    each CSV) are offered on the Dutch pages only.
    """
    folder = job.files_dir
    files = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    links = [f"{folder.name}/{name}" for name in files if not name.startswith(".")
             and (lang == "nl" or ".nl." not in name)]
    if job.executed_path.exists():
        links.append(job.executed_path.name)
    return links


def nav_html(job: Job, lang: str, page: str) -> str:
    """The navigation block of `job`'s page in `lang` (`page`: the rendered page)."""
    main = job.languages[0]
    before, after = job.neighbours()
    facts = SimpleNamespace(
        index=f"../{index_name(lang, main)}", glossary=f"../{glossary_name(lang)}",
        previous=(SimpleNamespace(href=page_name(before.stem, lang), title=before.title_in(lang))
                  if before else None),
        next=(SimpleNamespace(href=page_name(after.stem, lang), title=after.title_in(lang))
              if after else None),
        languages=[SimpleNamespace(lang=other, name=LANGUAGE_NAMES.get(other, other),
                                   href=page_name(job.notebook.stem, other))
                   for other in job.languages if other != lang],
        contents=contents(page), downloads=downloads(job, lang))
    return str(macros("nav.html.j2", lang).nav(facts))


def with_nav(page: str, nav: str) -> str:
    """`page` with `nav` placed first in its body."""
    match = _BODY.search(page)
    if match is None:
        return nav + page
    return page[: match.end()] + "\n" + nav + page[match.end():]
