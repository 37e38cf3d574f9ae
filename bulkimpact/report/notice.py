"""The notice on fictional data and an illustrative rulebook, as a notebook shows it itself.

Every report of the batch opens with the provenance banner
(:mod:`bulkimpact.report.provenance`), which the driver writes. A notebook
run without the driver (plain ``papermill``, JupyterLab) has no driver to
write it, so each report notebook shows the banner's notice itself, as an
output of one of its own cells: :func:`show_notice`. That output carries the
role ``banner`` (:mod:`bulkimpact.present.bilingual`); the batch's pages
leave it out (:func:`bulkimpact.report.render.language_view`), since they
open with the full banner, whose first block is this same notice.

This module imports no notebook machinery (nbformat, nbconvert, papermill):
a notebook's kernel imports it.
"""

from __future__ import annotations

import os
from pathlib import Path  # noqa: F401  (the examples use it)
from typing import TYPE_CHECKING

from markupsafe import Markup

from bulkimpact.report.files import InputFile
from bulkimpact.report.templating import macros
from bulkimpact.resources import bundled_name

if TYPE_CHECKING:
    from bulkimpact.inventory import Inventory
    from bulkimpact.rulebook import Rulebook

__all__ = ["Notice", "fictional_notice_html", "is_bundled", "notice_files", "show_notice"]

#: How the notice stands out without a stylesheet: a warm rule on its left.
_STYLE = "border-left: 4px solid #b35806; padding: 0.1em 0.9em; margin: 0.5em 0"


def is_bundled(path: str | os.PathLike[str], kind: str) -> bool:
    """Tell whether `path` is one of bulkimpact's bundled files of `kind`.

    Bundled files are package data (:mod:`bulkimpact.resources`): the
    repository's ``data/`` in a source checkout, ``bulkimpact/_bundled/data/``
    in an installed wheel.

    Parameters
    ----------
    path : path-like
    kind : {"synthetic", "rulebooks"}
        Bundled fictional inventories or bundled illustrative rulebooks.

    Returns
    -------
    bool

    Examples
    --------
    >>> from bulkimpact.resources import bundled
    >>> is_bundled(bundled("data/synthetic/baseline.yaml"), "synthetic")
    True
    >>> is_bundled("/tmp/my_inventory.yaml", "synthetic")
    False
    """
    name = bundled_name(path)
    return name is not None and name.startswith(f"data/{kind}/")


def fictional_notice_html(inventories: list[InputFile], rulebooks: list[InputFile],
                          lang: str = "en") -> str:
    """The warning paragraphs on fictional data and on the rulebook's status.

    Examples
    --------
    >>> rb = InputFile(Path("/r/default.yaml"), "data/rulebooks/default.yaml", "0" * 64,
    ...                illustrative=True)
    >>> inv = InputFile(Path("/srv/inv.yaml"), "/srv/inv.yaml", "1" * 64)
    >>> text = fictional_notice_html([inv], [rb])
    >>> "Analyst-supplied inventory" in text, "Illustrative rulebook" in text
    (True, True)
    """
    return str(macros("provenance.html.j2", lang).fictional_notice(inventories, rulebooks))


def notice_files(rulebook: Rulebook, inventory: Inventory | None = None,
                 base: str | os.PathLike[str] | None = None
                 ) -> tuple[list[InputFile], list[InputFile]]:
    """The inventories and rulebooks a notice names, from the inputs a notebook loaded.

    An input is illustrative as the batch judges it: it says so itself
    (``fictional: true``, ``illustrative: true``) or it is a bundled file.

    Parameters
    ----------
    rulebook : Rulebook
        As loaded (:func:`bulkimpact.rulebook.load_rulebook`); it knows its file.
    inventory : Inventory, optional
        As loaded; None for a notebook that reads another input (07 reads an
        exchange log), whose notice then says it reads an input of its own.
    base : path-like, optional
        The directory paths are shown relative to (default: the working directory).

    Returns
    -------
    tuple of (list of InputFile, list of InputFile)

    Examples
    --------
    >>> import tempfile
    >>> from bulkimpact.rulebook import default_rulebook_path, load_rulebook
    >>> with tempfile.TemporaryDirectory() as elsewhere:
    ...     inventories, rulebooks = notice_files(load_rulebook(default_rulebook_path()),
    ...                                           base=elsewhere)
    >>> inventories, [(f.shown, f.illustrative) for f in rulebooks]
    ([], [('data/rulebooks/default.yaml (bundled with bulkimpact)', True)])
    """
    base = os.getcwd() if base is None else base
    rulebook_file = InputFile.from_path(
        _source(rulebook, "rulebook"), base, title=rulebook.title,
        illustrative=rulebook.illustrative or is_bundled(_source(rulebook, "rulebook"),
                                                         "rulebooks"))
    if inventory is None:
        return [], [rulebook_file]
    path = _source(inventory, "inventory")
    inventory_file = InputFile.from_path(
        path, base, title=inventory.title,
        illustrative=inventory.fictional or is_bundled(path, "synthetic"))
    return [inventory_file], [rulebook_file]


def _source(loaded: Rulebook | Inventory, what: str) -> str:
    if not loaded.source_path:
        raise ValueError(f"the {what} {loaded.title!r} was not read from a file, so the notice "
                         f"cannot name it: load it with load_{what}(PATH)")
    return loaded.source_path


class Notice:
    """The notice in one language as a notebook output: HTML set off by a rule on its left
    (plain nbconvert and JupyterLab have no bulkimpact stylesheet), or its text, one
    paragraph a line, where no HTML is shown (``text/plain``: a terminal).

    Examples
    --------
    >>> notice = Notice('<div class="bi-warning"><p><strong>Fictional data.</strong> Invented.'
    ...                 '</p><p><strong>Illustrative rulebook.</strong> Assumed.</p></div>')
    >>> print(repr(notice))
    Fictional data. Invented.
    Illustrative rulebook. Assumed.
    >>> notice._repr_html_().startswith('<div style="border-left')
    True
    """

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return f'<div style="{_STYLE}">{self.html}</div>'

    def __repr__(self) -> str:
        paragraphs = (Markup(part).striptags() for part in self.html.split("</p>"))
        return "\n".join(text for text in paragraphs if text)


def show_notice(rulebook: Rulebook, inventory: Inventory | None = None) -> None:
    """Show the notice on fictional data and the rulebook's status, in every language of
    the run, as this cell's output with the role ``banner``.

    Call it in a report notebook right after the inputs are loaded (and
    :func:`bulkimpact.present.bilingual.set_languages`), so that a run by plain
    papermill, converted by plain nbconvert, says what the data are.

    Parameters
    ----------
    rulebook : Rulebook
    inventory : Inventory, optional
        See :func:`notice_files`.
    """
    from bulkimpact.present import bilingual

    inventories, rulebooks = notice_files(rulebook, inventory)
    bilingual.each(lambda lang: Notice(fictional_notice_html(inventories, rulebooks, lang)),
                   role="banner")
