"""The analysis notebooks as files: finding them, reading them, pairing them.

Notebooks live in ``notebooks/`` as jupytext percent-format ``.py`` files
named ``NN_name.py``, their prose in both languages. The batch driver reads
them in memory; batch users who run plain ``papermill`` themselves need
``.ipynb`` files: :func:`write_paired_notebooks` writes them next to the
``.py`` files (both languages, paired for JupyterLab), and
:func:`write_language_notebooks` writes copies in one language elsewhere,
which plain papermill and plain nbconvert turn into a page in that language.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat

from bulkimpact.files import atomic_write
from bulkimpact.report.files import InputFile
from bulkimpact.resources import is_installed_copy

__all__ = [
    "NotebookInfo",
    "declared_parameters",
    "find_notebooks",
    "notebook_title",
    "notebook_titles",
    "in_language",
    "read_notebook",
    "write_language_notebooks",
    "write_paired_notebooks",
]

NOTEBOOK_GLOB = "[0-9][0-9]_*.py"
"""File names the driver treats as notebooks (other ``.py`` files are helpers)."""

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

_HEADING = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def find_notebooks(directory: str | os.PathLike[str], only: Sequence[str] = ()) -> list[Path]:
    """List the notebooks in `directory`, sorted by name, optionally a subset.

    Parameters
    ----------
    directory : path-like
        The notebook directory (``notebooks/``).
    only : sequence of str
        Names to keep; each may be the file name (``00_overview.py``), the
        stem (``00_overview``), the stem without its number (``overview``) or
        the number (``00``). Empty keeps all.

    Returns
    -------
    list of Path

    Raises
    ------
    FileNotFoundError
        If `directory` does not exist or holds no notebook.
    ValueError
        If a name in `only` matches no notebook; the message lists the names
        that would.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in ("00_overview.py", "10_policies.py", "helpers.py"):
    ...         _ = pathlib.Path(d, name).write_text("")
    ...     everything = [p.name for p in find_notebooks(d)]
    ...     chosen = [p.name for p in find_notebooks(d, ["policies", "00"])]
    >>> everything, chosen
    (['00_overview.py', '10_policies.py'], ['00_overview.py', '10_policies.py'])
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"notebook directory not found: {folder} (expected a folder of jupytext "
            f"percent-format notebooks named like 00_overview.py; pass --notebooks DIR)"
        )
    notebooks = sorted(folder.glob(NOTEBOOK_GLOB))
    if not notebooks:
        raise FileNotFoundError(
            f"no notebooks in {folder}: expected files named like 00_overview.py "
            f"(pattern {NOTEBOOK_GLOB})"
        )
    if not only:
        return notebooks
    chosen: list[Path] = []
    unknown = []
    for name in only:
        matches = [p for p in notebooks if name in (p.name, p.stem, p.stem[3:], p.stem[:2])]
        if not matches:
            unknown.append(name)
        chosen.extend(p for p in matches if p not in chosen)
    if unknown:
        available = ", ".join(p.stem for p in notebooks)
        raise ValueError(f"no notebook named {', '.join(map(repr, unknown))} in {folder}; "
                         f"available: {available}")
    return sorted(chosen)


def read_notebook(path: str | os.PathLike[str]) -> nbformat.NotebookNode:
    """Read a jupytext notebook (or an ``.ipynb``) with stable cell ids.

    jupytext gives every cell a random id, which would make two renderings of
    the same notebook differ; the ids are replaced by ``cell-0``, ``cell-1``...
    The notebook gets the ``python3`` kernelspec if it names none.

    Parameters
    ----------
    path : path-like
        A ``.py`` percent-format notebook or an ``.ipynb`` file.

    Returns
    -------
    nbformat.NotebookNode
    """
    nb = jupytext.read(path)
    renumber_cells(nb)
    nb.metadata.setdefault("kernelspec", dict(KERNELSPEC))
    return nb


def renumber_cells(nb: nbformat.NotebookNode) -> None:
    """Give the cells of `nb` the ids ``cell-0``, ``cell-1``, ... in order.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(t) for t in "ab"])
    >>> renumber_cells(nb); [c.id for c in nb.cells]
    ['cell-0', 'cell-1']
    """
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"


def notebook_title(nb: nbformat.NotebookNode, default: str) -> str:
    """Return the text of the notebook's first level-1 markdown heading.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("Intro\\n\\n# Who is in two datasets?\\nText")])
    >>> notebook_title(nb, "00_overview")
    'Who is in two datasets?'
    >>> notebook_title(nbformat.v4.new_notebook(), "00_overview")
    '00_overview'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _HEADING.search(cell.source)
            if match:
                return match.group(1)
    return default


def notebook_titles(nb: nbformat.NotebookNode, default: str) -> dict[str, str]:
    """The title in each language: the first level-1 heading of the cells tagged with it.

    A notebook without language tags has one title for every language.

    Examples
    --------
    >>> nl = nbformat.v4.new_markdown_cell("# Wie zit in twee sets?")
    >>> nl.metadata["tags"] = ["nl"]
    >>> en = nbformat.v4.new_markdown_cell("# Who is in two sets?")
    >>> en.metadata["tags"] = ["en"]
    >>> notebook_titles(nbformat.v4.new_notebook(cells=[nl, en]), "x")
    {'nl': 'Wie zit in twee sets?', 'en': 'Who is in two sets?'}
    """
    from bulkimpact.present.i18n import LANGUAGES

    titles = {}
    for lang in LANGUAGES:
        cells = [c for c in nb.cells if c.cell_type == "markdown"
                 and lang in c.metadata.get("tags", [])]
        titles[lang] = notebook_title(nbformat.v4.new_notebook(cells=cells), "") or \
            notebook_title(nb, default)
    return titles


def declared_parameters(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Return the names and default values (as source text) of the ``parameters`` cell.

    Only simple assignments ``name = value`` at the top level of the cell
    count, which is what papermill overrides.

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell('seed = 0\\nopenness = "services"  # or ctivd')
    >>> cell.metadata["tags"] = ["parameters"]
    >>> declared_parameters(nbformat.v4.new_notebook(cells=[cell]))
    {'seed': '0', 'openness': "'services'"}
    """
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            found: dict[str, str] = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    if node.value is None:
                        continue
                    text = ast.unparse(node.value)
                    for target in targets:
                        if isinstance(target, ast.Name):
                            found[target.id] = text
            return found
    return {}


@dataclass(frozen=True)
class NotebookInfo:
    """What the driver knows about a notebook before running it.

    Attributes
    ----------
    file : InputFile
        The ``.py`` file, its shown path and hash.
    title : str
        First level-1 heading (or the file stem).
    parameters : dict
        Declared parameters and their default values as source text.
    titles : dict
        The title in each language (:func:`notebook_titles`).
    """

    file: InputFile
    title: str
    parameters: dict[str, str]
    titles: dict[str, str] = field(default_factory=dict, compare=False)

    def title_in(self, lang: str) -> str:
        """The title in `lang` (the first heading when the notebook has none in it)."""
        return self.titles.get(lang) or self.title

    @property
    def stem(self) -> str:
        """The file name without ``.py``; also the report's file name."""
        return self.file.path.stem

    @classmethod
    def from_path(cls, path: str | os.PathLike[str], base: str | os.PathLike[str]) -> NotebookInfo:
        """Read and describe the notebook at `path` (see :meth:`InputFile.from_path`)."""
        file = InputFile.from_path(path, base)
        nb = read_notebook(file.path)
        return cls(file=file, title=notebook_title(nb, file.path.stem),
                   parameters=declared_parameters(nb),
                   titles=notebook_titles(nb, file.path.stem))


def write_paired_notebooks(
    notebooks: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str] | None = None
) -> list[Path]:
    """Write an ``.ipynb`` for each jupytext ``.py`` notebook, for plain papermill.

    papermill's command line reads only ``.ipynb``. The written files carry
    the jupytext pairing ``ipynb,py:percent`` (JupyterLab with jupytext keeps
    both in sync) and the ``python3`` kernelspec, so
    ``papermill notebooks/00_overview.ipynb out.ipynb -p seed 1`` works.

    Parameters
    ----------
    notebooks : iterable of path-like
        The ``.py`` notebooks (see :func:`find_notebooks`).
    out_dir : path-like, optional
        Where to write; by default next to each ``.py`` file, except for the
        notebooks bundled in an installed bulkimpact (not a checkout), whose
        ``.ipynb`` go to ``notebooks/`` in the working directory.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src = pathlib.Path(d, "00_demo.py")
    ...     _ = src.write_text('# %% tags=["parameters"]\\nseed = 0\\n')
    ...     [out] = write_paired_notebooks([src])
    ...     nb = nbformat.read(out, as_version=4)
    ...     out.name, nb.cells[0].metadata["tags"], nb.metadata["jupytext"]["formats"]
    ('00_demo.ipynb', ['parameters'], 'ipynb,py:percent')
    """
    written = []
    for source in map(Path, notebooks):
        nb = read_notebook(source)
        nb.metadata.setdefault("jupytext", {})["formats"] = "ipynb,py:percent"
        if out_dir is not None:
            folder = Path(out_dir)
        elif is_installed_copy(source):
            folder = Path("notebooks")  # never into the installed package
        else:
            folder = source.parent
        target = folder / f"{source.stem}.ipynb"
        atomic_write(target, nbformat.writes(nb) + "\n")
        if target.parent.resolve() == source.parent.resolve():
            # A pair, as jupytext --sync leaves it: the text file not older than the
            # .ipynb, else JupyterLab's jupytext refuses to open it ("is more recent than").
            os.utime(source)
        written.append(target)
    return written


def in_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """A copy of `nb` in one language: its cells tagged with another language left out and
    its ``languages`` parameter set to `lang`.

    Run as it is, the copy shows the prose and the computed output of `lang`
    only. The ``languages`` line of the ``parameters`` cell is rewritten (its
    comment says the copy is in one language); a notebook without that
    parameter keeps its parameters as they are.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A bilingual notebook (:func:`read_notebook`), not modified.
    lang : str
        One of :data:`bulkimpact.present.i18n.LANGUAGES`.

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    ValueError
        For a language bulkimpact does not write.

    Examples
    --------
    >>> nl = nbformat.v4.new_markdown_cell("## Vraag")
    >>> nl.metadata["tags"] = ["nl"]
    >>> en = nbformat.v4.new_markdown_cell("## Question")
    >>> en.metadata["tags"] = ["en"]
    >>> params = nbformat.v4.new_code_cell('seed = 0\\nlanguages = "nl,en"  # both\\nk = 1')
    >>> params.metadata["tags"] = ["parameters"]
    >>> copy = in_language(nbformat.v4.new_notebook(cells=[nl, en, params]), "en")
    >>> [c.source.splitlines()[:2] for c in copy.cells]  # doctest: +NORMALIZE_WHITESPACE
    [['## Question'], ['seed = 0', 'languages = "en"  # this copy holds the en text only;
      bulkimpact notebooks --to-ipynb --lang nl writes another']]
    """
    from bulkimpact.present.bilingual import parse_languages, shown_in
    from bulkimpact.present.i18n import LANGUAGES

    [lang] = parse_languages(lang)
    copy = nbformat.from_dict(dict(nb))
    copy.cells = [nbformat.from_dict(dict(cell)) for cell in nb.cells if shown_in(cell, lang)]
    others = ",".join(other for other in LANGUAGES if other != lang)
    line = (f'languages = "{lang}"  # this copy holds the {lang} text only; '
            f"bulkimpact notebooks --to-ipynb --lang {others} writes another")
    for cell in copy.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            cell.source = _with_assignment(cell.source, "languages", line)
    return copy


def _with_assignment(source: str, name: str, line: str) -> str:
    """`source` with the top-level assignment to `name` replaced by `line` (unchanged when
    there is none)."""
    lines = source.splitlines()
    for node in ast.parse(source).body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            lines[node.lineno - 1:node.end_lineno] = [line]
            return "\n".join(lines)
    return source


def write_language_notebooks(
    notebooks: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str], lang: str
) -> list[Path]:
    """Write an ``.ipynb`` in one language (:func:`in_language`) for each ``.py`` notebook.

    A report notebook holds its prose in both languages, in markdown cells
    tagged ``nl`` and ``en``; plain nbconvert shows every cell, so a copy for
    plain papermill and nbconvert holds one language. The copies are not
    paired with the ``.py`` (no jupytext ``formats``): saved from JupyterLab
    beside the ``.py``, a copy would write one language back into it, so they
    may not be written into a folder of the notebooks they come from.

    Parameters
    ----------
    notebooks : iterable of path-like
        The ``.py`` notebooks (see :func:`find_notebooks`).
    out_dir : path-like
        Where to write; created if missing.
    lang : str
        ``nl`` or ``en``.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ValueError
        If `out_dir` is the folder of one of `notebooks`, or `lang` is not a language.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src = pathlib.Path(d, "00_demo.py")
    ...     _ = src.write_text('# %% [markdown] tags=["nl"]\\n# # Titel\\n\\n'
    ...                        '# %% [markdown] tags=["en"]\\n# # Title\\n\\n'
    ...                        '# %% tags=["parameters"]\\nlanguages = "nl,en"\\n')
    ...     [out] = write_language_notebooks([src], pathlib.Path(d, "nl"), "nl")
    ...     nb = nbformat.read(out, as_version=4)
    ...     [c.source[:16] for c in nb.cells], "jupytext" in nb.metadata
    (['# Titel', 'languages = "nl"'], False)
    """
    folder = Path(out_dir)
    sources = [Path(source) for source in notebooks]
    for source in sources:
        if folder.resolve() == source.parent.resolve():
            raise ValueError(
                f"{folder}: the notebooks in one language may not be written beside the .py "
                f"notebooks they come from (JupyterLab would pair them and save one language "
                f"back into {source.name}); give another folder with --out DIR")
    written = []
    for source in sources:
        nb = in_language(read_notebook(source), lang)
        nb.metadata.pop("jupytext", None)
        target = folder / f"{source.stem}.ipynb"
        atomic_write(target, nbformat.writes(nb) + "\n")
        written.append(target)
    return written
