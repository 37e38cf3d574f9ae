"""Self-contained HTML from executed notebooks, and a check that it is.

The stock nbconvert ``lab`` template loads require.js, MathJax and mermaid
from a CDN. The ``bulkimpact_report`` template (under ``templates/``) extends
``lab`` with those blocks emptied; the exporter hides code and prompts and
embeds images, so a report reads the same with the network off.
:func:`external_loads` finds anything a browser would still fetch.
"""

from __future__ import annotations

import os
import re

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

from bulkimpact.present.bilingual import output_language, output_role, shown_in
from bulkimpact.resources import package_file

__all__ = [
    "TEMPLATE_NAME",
    "TEMPLATE_ROOT",
    "external_links",
    "external_loads",
    "language_view",
    "make_exporter",
    "render_html",
    "stable_styler_ids",
    "strip_css_comments",
    "stylesheet",
]

#: The report templates: package data (:mod:`importlib.resources`).
TEMPLATE_ROOT = package_file("report/templates")
TEMPLATE_NAME = "bulkimpact_report"

_TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:\s[^>]*)?)>")
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.DOTALL | re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""", re.IGNORECASE)
# Attributes whose value the browser fetches when the page loads.
_LOADING_ATTRIBUTES = {"src", "srcset", "data", "poster", "background", "xlink:href"}
_EXTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")
_STYLER_TABLE_ID = re.compile(r'<table id="T_([0-9a-f]{5})"')
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def make_exporter() -> HTMLExporter:
    """Build the HTML exporter every report shares.

    Code inputs and prompts are left out, images referenced from markdown are
    embedded, and the template loads nothing from the network. Cells tagged
    ``remove-cell`` are dropped and outputs of cells tagged ``remove-output``
    are hidden (for setup cells whose output means nothing to a reader).
    Building it costs a second or so; reuse one per process.

    Returns
    -------
    nbconvert.HTMLExporter
    """
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    return HTMLExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_ROOT)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def language_view(nb: nbformat.NotebookNode, lang: str | None) -> nbformat.NotebookNode:
    """The cells and outputs of `nb` a page in `lang` shows (all of them when None).

    A markdown cell tagged with another language is dropped, and so is an
    output tagged with another language (:mod:`bulkimpact.present.bilingual`);
    untagged cells and outputs stay. A page in a language also leaves out the
    notice a notebook shows itself for runs without the batch (role
    ``banner``, :mod:`bulkimpact.report.notice`): the batch opens the page with
    its own banner. `nb` is not modified.

    Examples
    --------
    >>> nl, en = nbformat.v4.new_markdown_cell("Vraag"), nbformat.v4.new_markdown_cell("Question")
    >>> nl.metadata["tags"], en.metadata["tags"] = ["nl"], ["en"]
    >>> code = nbformat.v4.new_code_cell("", outputs=[
    ...     nbformat.v4.new_output("display_data", {"text/plain": "ja"},
    ...                            metadata={"bulkimpact": {"lang": "nl"}}),
    ...     nbformat.v4.new_output("display_data", {"text/plain": "yes"},
    ...                            metadata={"bulkimpact": {"lang": "en"}})])
    >>> view = language_view(nbformat.v4.new_notebook(cells=[nl, en, code]), "en")
    >>> [c.source for c in view.cells[:-1]], [o.data["text/plain"] for o in view.cells[-1].outputs]
    (['Question'], ['yes'])
    >>> code.outputs.append(nbformat.v4.new_output(
    ...     "display_data", {"text/plain": "Fictional data."},
    ...     metadata={"bulkimpact": {"lang": "en", "role": "banner"}}))
    >>> [o.data["text/plain"] for o in language_view(nbformat.v4.new_notebook(cells=[code]),
    ...                                              "en").cells[0].outputs]
    ['yes']
    """
    if lang is None:
        return nb
    view = nbformat.from_dict(dict(nb))
    cells = []
    for cell in nb.cells:
        if not shown_in(cell, lang):
            continue
        if cell.cell_type == "code" and cell.get("outputs"):
            outputs = [o for o in cell.outputs
                       if output_language(o) in (None, lang) and output_role(o) != "banner"]
            if not outputs:
                continue
            cell = nbformat.from_dict({**cell, "outputs": outputs})
        cells.append(cell)
    view.cells = cells
    return view


def render_html(nb: nbformat.NotebookNode, exporter: HTMLExporter, title: str,
                source_dir: str | os.PathLike[str] | None = None,
                lang: str | None = None) -> str:
    """Render an executed notebook as a self-contained report page.

    Code cells without output are left out: with their code hidden they
    would only add empty space. With `lang`, only that language's cells and
    outputs are shown (:func:`language_view`) and the page says its language.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified).
    exporter : HTMLExporter
        From :func:`make_exporter`.
    title : str
        The page title.
    source_dir : path-like, optional
        The notebook's folder: images its markdown refers to by relative
        path are looked up there and embedded.

    Returns
    -------
    str
        The HTML document.
    """
    view = language_view(nb, lang)
    shown = nbformat.from_dict(dict(view))
    shown.cells = [c for c in view.cells if c.cell_type != "code" or c.get("outputs")]
    metadata = {"name": title}
    if source_dir is not None:
        metadata["path"] = str(source_dir)
    exporter.language_code = lang or "en"
    body, _ = exporter.from_notebook_node(shown, resources={"metadata": metadata})
    return stable_styler_ids(strip_css_comments(body))


def strip_css_comments(document: str) -> str:
    """Drop comments from the ``<style>`` blocks of `document`.

    The inlined JupyterLab stylesheet is a third of a megabyte, and its
    comments cite web addresses that a report has no use for.

    Examples
    --------
    >>> strip_css_comments("<style>/* see https://x.org */ p {margin: 0}</style><p>/* kept */</p>")
    '<style> p {margin: 0}</style><p>/* kept */</p>'
    """
    return _STYLE_BLOCK.sub(
        lambda m: m.group(1) + _CSS_COMMENT.sub("", m.group(2)) + m.group(3), document)


def stable_styler_ids(document: str) -> str:
    """Replace the random ids of pandas ``Styler`` tables by numbered ones.

    A styled DataFrame gets ids like ``T_3dbfd`` from a fresh uuid on every
    run, in its ``<table>`` and its CSS; numbering them in order of
    appearance makes reruns give identical reports.

    Examples
    --------
    >>> page = '<style>#T_3dbfd_row0 {color: red}</style><table id="T_3dbfd"><td id="T_3dbfd_row0">'
    >>> stable_styler_ids(page)
    '<style>#T_bi0_row0 {color: red}</style><table id="T_bi0"><td id="T_bi0_row0">'
    """
    for number, uuid in enumerate(dict.fromkeys(_STYLER_TABLE_ID.findall(document))):
        document = re.sub(rf"\bT_{uuid}(?![0-9a-zA-Z])", f"T_bi{number}", document)
    return document


def stylesheet() -> str:
    """The bulkimpact stylesheet (banner, index page), as the template inlines it."""
    return (TEMPLATE_ROOT / TEMPLATE_NAME / "static" / "bulkimpact.css").read_text("utf-8")


def _tags(document: str):
    for match in _TAG.finditer(document):
        attributes = {name.lower(): value.strip("\"'")
                      for name, value in _ATTRIBUTE.findall(match.group(2) or "")}
        yield match.group(1).lower(), attributes


def _is_inline(url: str) -> bool:
    url = url.strip()
    return url == "" or url.startswith(("data:", "#")) or url.lower() == "about:blank"


def external_loads(document: str) -> list[str]:
    """List what a browser would fetch from outside `document` when opening it.

    Checks ``src``-like attributes of every tag, ``<link href>``, and CSS
    ``url(...)`` and ``@import`` in ``<style>`` blocks and ``style``
    attributes. ``data:`` URIs and ``#fragment`` references are inline and
    allowed; anything else, relative paths included, would make the page
    depend on other files. Plain links (``<a href>``) are navigation, not
    loads; see :func:`external_links`. Text shown in the page (escaped
    markup) is not mistaken for a tag.

    Parameters
    ----------
    document : str
        An HTML document.

    Returns
    -------
    list of str
        The offending references, in document order.

    Examples
    --------
    >>> external_loads('<img src="data:image/png;base64,AAAA"><a href="https://x.org">x</a>')
    []
    >>> external_loads('<script src="https://cdn.example/require.js"></script>')
    ['https://cdn.example/require.js']
    >>> external_loads('<link rel="stylesheet" href="style.css">')
    ['style.css']
    >>> external_loads("<style>@import url('https://fonts.example/css');</style>")
    ['https://fonts.example/css']
    >>> external_loads('<pre>&lt;img src="https://shown.as/text.png"&gt;</pre>')
    []
    """
    found: list[str] = []
    for tag, attributes in _tags(document):
        for name, value in attributes.items():
            is_load = name in _LOADING_ATTRIBUTES or (tag == "link" and name == "href")
            if is_load and not _is_inline(value):
                found.append(value)
        if "style" in attributes:
            found.extend(_css_loads(attributes["style"]))
    for _, block, _ in _STYLE_BLOCK.findall(document):
        found.extend(_css_loads(block))
    return found


def _css_loads(css: str) -> list[str]:
    loads = [url for _, url in _CSS_URL.findall(css) if not _is_inline(url)]
    loads.extend(url for url in _CSS_IMPORT.findall(css) if not _is_inline(url))
    return list(dict.fromkeys(loads))


def external_links(document: str) -> list[str]:
    """List the hyperlinks of `document` that point to another site.

    Examples
    --------
    >>> external_links('<a href="#top">top</a> <a href="https://www.ctivd.nl/">CTIVD</a>')
    ['https://www.ctivd.nl/']
    """
    return [attributes["href"] for tag, attributes in _tags(document)
            if tag == "a" and _EXTERNAL.match(attributes.get("href", ""))]
