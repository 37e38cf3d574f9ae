"""Standalone pages of a batch: the index of all reports, and a failure page.

Both are small self-contained HTML documents that use the report stylesheet
inline and load nothing. They are Jinja2 templates (``templates/pages``) with
autoescape: every value is escaped unless it is HTML the package built itself
(the banner and input cells of :mod:`bulkimpact.report.provenance`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

import bulkimpact
from bulkimpact.files import atomic_write
from bulkimpact.positions import load_positions
from bulkimpact.present.bilingual import output_language, output_role
from bulkimpact.present.i18n import (
    RULES,
    glossary,
    level_meaning,
    level_name,
    reading_name,
    rule_meaning,
    rule_name,
    translator,
)
from bulkimpact.report.jobs import FAILED, NOT_RUN, OK, Job, JobResult, page_name
from bulkimpact.report.navigation import LANGUAGE_NAMES, glossary_name, index_name
from bulkimpact.report.provenance import (
    ERROR_ANCHOR,
    GENERATED_CLASS,
    banner_html,
    fictional_notice_html,
    input_file_html,
    local_moment,
)
from bulkimpact.report.render import stylesheet
from bulkimpact.report.templating import render

__all__ = ["failure_page", "glossary_page", "index_page", "lifted", "summary_line",
           "write_index_pages"]


def _render(template: str, lang: str = "en", **values: Any) -> str:
    return render(template, lang, stylesheet=Markup(stylesheet()), **values)


def _switch(lang: str, languages: Sequence[str], name: Any) -> list[SimpleNamespace]:
    return [SimpleNamespace(lang=other, name=LANGUAGE_NAMES.get(other, other), href=name(other))
            for other in languages if other != lang]


def failure_page(job: Job, error: str, details: str = "", lang: str = "en") -> str:
    """A report page for a job that could not be rendered at all.

    Parameters
    ----------
    job : Job
    error : str
        One-line summary.
    details : str
        Longer text (a traceback) shown below it.
    lang : str
        The page's language.

    Returns
    -------
    str
    """
    return _render("failure.html.j2", lang, title=job.notebook.title_in(lang),
                   banner=Markup(banner_html(job, FAILED, error, lang=lang)),
                   error_anchor=ERROR_ANCHOR, error=error, details=details)


def summary_line(results: Sequence[JobResult], seconds: float,
                 failed_inputs: Sequence[Any] = ()) -> str:
    """The batch summary: ``N reports, F failed, T s`` (and how many did not run, and
    how many inventories did not validate).

    Examples
    --------
    >>> summary_line([], 0.04)
    '0 reports, 0 failed, 0.0 s'
    >>> summary_line([], 0.04, ["broken"])
    '0 reports, 0 failed, 0.0 s, 1 inventory FAILED validation (no reports)'
    """
    failed = sum(1 for r in results if r.status == FAILED)
    not_run = sum(1 for r in results if r.status == NOT_RUN)
    invalid = len(failed_inputs)
    return (f"{len(results)} reports, {failed} failed, {seconds:.1f} s"
            + (f", {not_run} not run (interrupted)" if not_run else "")
            + (f", {invalid} {'inventory' if invalid == 1 else 'inventories'} FAILED "
               "validation (no reports)" if invalid else ""))


def _output_html(output: Any) -> str:
    data = output.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"])
    if "text/markdown" in data:
        from nbconvert.filters import markdown2html

        return markdown2html("".join(data["text/markdown"]))
    if "image/png" in data:
        return f'<img alt="" src="data:image/png;base64,{"".join(data["image/png"]).strip()}">'
    return ""


def lifted(job: Job, role: str, lang: str) -> list[Markup]:
    """The outputs of `job`'s executed notebook marked with `role` in `lang`, as HTML.

    Roles are set in the notebook (:func:`bulkimpact.present.bilingual.finding`,
    :func:`~bulkimpact.present.bilingual.verdict`); the index shows them, so
    it says nothing the reports do not.
    """
    if not job.executed_path.exists():
        return []
    path = job.executed_path
    return [Markup(_output_html(o)) for o in _tagged_outputs(path, path.stat().st_mtime_ns)
            if output_role(o) == role and output_language(o) == lang]


@functools.lru_cache(maxsize=64)
def _tagged_outputs(path: Path, mtime_ns: int) -> tuple[Any, ...]:
    """The outputs of an executed notebook that carry a role, read once per version of the
    file (every language's index reads the same notebooks)."""
    import nbformat

    del mtime_ns  # part of the cache key only
    nb = nbformat.read(path, as_version=4)
    return tuple(o for cell in nb.cells if cell.cell_type == "code"
                 for o in cell.get("outputs", []) if output_role(o) is not None)


def index_page(results: Sequence[JobResult], seconds: float,
               generated_at: str | None = None, failed_inputs: Sequence[Any] = (),
               lang: str = "en", languages: Sequence[str] = ("en",)) -> str:
    """The index of a batch in `lang`: the verdict first, then every report with its finding.

    The verdict is lifted from the first inventory's overview report (its
    outputs marked ``verdict``), each report's line from its ``finding``;
    how the reports were made (status, run times, inputs and hashes) follows
    in a folded block.

    Parameters
    ----------
    results : sequence of JobResult
        In the order to list them.
    seconds : float
        Wall time of the whole batch.
    generated_at : str, optional
        Shown on a line of its own; None leaves the line out.
    failed_inputs : sequence of InputFailure
        Inventories that did not validate (:class:`bulkimpact.report.batch.InputFailure`):
        listed first, FAILED, with every problem (file, item, field).
    lang : str
        The page's language.
    languages : sequence of str
        Every language of the batch, the main one first (for the language switch).

    Returns
    -------
    str
    """
    main = languages[0] if languages else lang
    inventories = list(dict.fromkeys(r.job.inventory for r in results))
    rulebooks = list(dict.fromkeys([r.job.rulebook for r in results]
                                   + [f.rulebook for f in failed_inputs]))
    t = translator(lang)
    files = [(kind, Markup(input_file_html(f, lang)))
             for kind, group in ((t.gettext("Inventory"), inventories),
                                 (t.gettext("Rulebook"), rulebooks))
             for f in group]
    scenarios: dict[str, list[SimpleNamespace]] = {}
    verdict: list[Markup] = []
    verdict_source = ""
    for r in results:
        stem = r.job.notebook.stem
        row = SimpleNamespace(
            job=r.job, status=r.status, error=r.error, failed_cell=r.failed_cell,
            seconds=t.decimal(r.seconds, 1), title=r.job.notebook.title_in(lang),
            href=f"{r.job.scenario}/{page_name(stem, lang)}",
            notebook=f"{r.job.scenario}/{stem}.ipynb", executed=r.job.executed_path.exists(),
            openness=_reading_shown(r.job.parameter_value("openness"), lang),
            finding=lifted(r.job, "finding", lang) if r.status == OK else [])
        scenarios.setdefault(r.job.scenario, []).append(row)
        if not verdict and r.status == OK:
            verdict = lifted(r.job, "verdict", lang)
            verdict_source = r.job.inventory.shown
    from ..sensitivity import ASSUMPTIONS
    from ..verdict import DRAWN

    table = load_positions()
    drawn = {sensitivity: note for sensitivity, note in DRAWN.values()}
    assumptions = [SimpleNamespace(
        label=t.pgettext("assumption", a.label), drawn=key in drawn,
        note=t.pgettext("assumption", drawn[key]) if drawn.get(key) else None)
        for key, a in ASSUMPTIONS.items()]
    # where the assumptions are varied: the appendix to report 04 (what-if and the draws),
    # else report 04 itself
    reports_04 = sorted((row.job.notebook.stem != "04_decision_rules_appendix", row.href)
                        for rows in scenarios.values() for row in rows
                        if row.job.notebook.stem.startswith("04_"))
    overview_04 = reports_04[0][1] if reports_04 else None
    cite = SimpleNamespace(version=bulkimpact.__version__,
                           when=local_moment(generated_at, lang) or "–",
                           inputs=", ".join(f.shown for f in (*inventories, *rulebooks)))
    return _render(
        "index.html.j2", lang, title="bulkimpact", scenarios=list(scenarios.items()),
        assumptions=assumptions, assumptions_href=overview_04,
        sources=[table.source(d, lang) for d in table.documents], cite=cite,
        files=files, failed_inputs=list(failed_inputs), verdict=verdict,
        verdict_source=verdict_source,
        notice=Markup(fictional_notice_html(inventories, rulebooks, lang)),
        counts=SimpleNamespace(
            total=len(results), failed=sum(1 for r in results if r.status == FAILED),
            not_run=sum(1 for r in results if r.status == NOT_RUN),
            invalid=len(failed_inputs), seconds=t.decimal(seconds, 1)),
        openness=", ".join(dict.fromkeys(r.openness for rows in scenarios.values()
                                         for r in rows if r.openness)),
        version=bulkimpact.__version__, generated_at=local_moment(generated_at, lang),
        generated_class=GENERATED_CLASS, OK=OK, FAILED=FAILED, NOT_RUN=NOT_RUN,
        glossary=glossary_name(lang),
        languages=_switch(lang, languages, lambda other: index_name(other, main)))


def _reading_shown(openness: object, lang: str) -> str:
    """A report's openness reading by its name in `lang`; empty for a report without one."""
    return reading_name(openness, lang) if isinstance(openness, str) else ""


def glossary_page(lang: str, languages: Sequence[str], rulebook: Any) -> str:
    """The glossary in `lang`: regime levels with their meaning, decision rules, terms.

    Parameters
    ----------
    lang : str
    languages : sequence of str
        Every language of the batch, the main one first.
    rulebook : bulkimpact.rulebook.Rulebook
        Its levels are listed with what they mean.
    """
    main = languages[0] if languages else lang
    other = "en" if lang == "nl" else "nl"
    dutch = lang == "nl"
    table = load_positions()
    # the documents as they identify themselves, and every position the reports cite
    sources = {key: table.source(key, lang) for key in table.documents}
    positions = [SimpleNamespace(id=p.id, who=table.actors[p.who](lang), what=p.what(lang),
                                 quote=" ".join(p.quote.split()),
                                 citation=table.citation(p.id, lang))
                 for p in table.positions]

    def own(entry: dict, dutch_key: str, english_key: str) -> Any:
        return entry.get(dutch_key) if dutch and entry.get(dutch_key) else entry.get(english_key)

    terms = [SimpleNamespace(
        term=entry[lang], other=entry[other],
        anchor=re.sub(r"[^a-z0-9]+", "-", entry["en"].lower()),
        definition=own(entry, "definitie", "definition"), note=own(entry, "toelichting", "note"),
        quotes=entry.get("quotes", []), source=entry.get("source", ""),
        tool_term=entry.get("tool_term", False))
        for entry in sorted(glossary(), key=lambda e: e[lang].lower())]
    levels = [SimpleNamespace(level=level.level, name=level_name(level.name, lang),
                              meaning=level_meaning(level.description or "", lang))
              for level in rulebook.levels]
    rules = [SimpleNamespace(id=rule, name=rule_name(rule, lang), meaning=rule_meaning(rule, lang))
             for rule in RULES]
    return _render("glossary.html.j2", lang, title=translator(lang).gettext("Glossary"),
                   terms=terms, levels=levels, rules=rules, sources=list(sources.items()),
                   positions=positions,
                   index=index_name(lang, main),
                   languages=_switch(lang, languages, glossary_name))


def write_index_pages(out_dir: Path, results: Sequence[JobResult], seconds: float,
                      generated_at: str | None, failed_inputs: Sequence[Any],
                      languages: Sequence[str]) -> Path:
    """Write the index and the glossary in every language; return the main index.

    The main language's index is ``index.html``, the others ``index.<lang>.html``.
    """
    from bulkimpact.rulebook import load_rulebook

    rulebook_files = [r.job.rulebook for r in results] + [f.rulebook for f in failed_inputs]
    rulebook = load_rulebook(rulebook_files[0].path) if rulebook_files else None
    main = languages[0]
    for lang in languages:
        atomic_write(out_dir / index_name(lang, main),
                     index_page(results, seconds, generated_at, failed_inputs, lang, languages))
        if rulebook is not None:
            atomic_write(out_dir / glossary_name(lang), glossary_page(lang, languages, rulebook))
    return out_dir / index_name(main, main)
