"""The batch driver end to end, on the fixture notebooks.

One batch runs three fixture notebooks (a table and a figure; a failure in
the third cell; a kernel that dies) for two inventories: the bundled
fictional baseline and an analyst's copy of it. The tests read what it wrote.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from html import unescape
from pathlib import Path

import nbformat
import pytest

import bulkimpact
from bulkimpact.report.batch import make_jobs, run_jobs, run_reports
from bulkimpact.report.cli import main
from bulkimpact.report.provenance import BANNER_TAG, GENERATED_CLASS
from bulkimpact.report.render import external_links, external_loads

REPO = Path(bulkimpact.__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
BASELINE = REPO / "data" / "synthetic" / "baseline.yaml"
RULEBOOK = REPO / "data" / "rulebooks" / "default.yaml"
NOTEBOOKS = ("00_fixture_table_figure", "01_fixture_fails", "02_fixture_kernel_dies")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


GENERATED_LINE = f'<p class="{GENERATED_CLASS}'


def without_generated_line(html: str) -> str:
    """The page without its "Generated at" line and its navigation (which links the reports
    of the batch that made it: a rerun of two notebooks links only those two)."""
    html = re.sub(r'<nav class="bi-nav".*?</nav>', "", html, flags=re.DOTALL)
    return "\n".join(line for line in html.splitlines() if GENERATED_LINE not in line)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder: the fixture notebooks, a rulebook, an analyst's inventory."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(FIXTURES, root / "notebooks", ignore=shutil.ignore_patterns("conftest.py"))
    shutil.copy(RULEBOOK, root / "rulebook.yaml")
    analyst = BASELINE.read_text("utf-8").replace("fictional: true", "fictional: false", 1)
    assert "fictional: false" in analyst
    (root / "analyst.yaml").write_text(analyst, "utf-8")
    return root


@pytest.fixture(scope="module")
def batch(workdir: Path):
    return run_reports([BASELINE, "analyst.yaml"], "rulebook.yaml", openness="services",
                       out_dir="out", workers=2, progress=False, cwd=workdir)


@pytest.fixture(scope="module")
def first_run_html(batch) -> dict[Path, str]:
    """Every report of the first run, read before anything reruns."""
    return {r.job.report_path: r.job.report_path.read_text("utf-8") for r in batch.results}


def report(workdir: Path, inventory: str, notebook: str) -> str:
    return (workdir / "out" / inventory / f"{notebook}.en.html").read_text("utf-8")


def test_statuses_and_exit_code(batch, first_run_html):
    statuses = {(r.job.scenario, r.job.notebook.stem): r.status for r in batch.results}
    expected = {"00_fixture_table_figure": "OK", "01_fixture_fails": "FAILED",
                "02_fixture_kernel_dies": "FAILED"}
    assert statuses == {(inv, nb): expected[nb] for inv in ("baseline", "analyst")
                        for nb in NOTEBOOKS}
    assert batch.exit_code == 1
    assert batch.summary().startswith("6 reports, 4 failed, ")
    failing = {r.job.notebook.stem: r for r in batch.results if r.job.scenario == "baseline"}
    assert failing["01_fixture_fails"].error == (
        "ValueError: fixture failure: the rulebook has no level 9")
    assert failing["01_fixture_fails"].failed_cell == 3
    assert failing["02_fixture_kernel_dies"].error.startswith("DeadKernelError")
    assert failing["02_fixture_kernel_dies"].failed_cell == 3


def test_index_lists_every_report_with_status_time_and_hashes(batch, workdir, first_run_html):
    index = (workdir / "out" / "index.en.html").read_text("utf-8")
    rows = re.findall(r"<tr[^>]*><td>(\w+)</td>(.*?)</tr>", index, re.DOTALL)
    assert len(rows) == 6
    for inventory, row in rows:
        link = re.search(r'<a href="([^"]+\.html)">', row).group(1)
        assert link.startswith(f"{inventory}/") and (workdir / "out" / link).is_file()
        assert re.search(r'class="bi-num">\d+\.\d s<', row)
        assert sha256(RULEBOOK)[:12] in row
        if "01_fixture_fails" in link:
            assert "FAILED</span> (cell 3)" in row
            assert "ValueError: fixture failure: the rulebook has no level 9" in row
        elif "00_fixture_table_figure" in link:
            assert '<span class="bi-status-ok">OK</span>' in row
    assert sha256(BASELINE) in index and sha256(workdir / "analyst.yaml") in index
    assert "6 reports, 4 failed" in index
    assert "Fictional data." in index and "Analyst-supplied inventory" in index


def test_failed_report_shows_cells_before_the_failure_and_the_error(workdir, first_run_html):
    html = report(workdir, "baseline", "01_fixture_fails")
    assert "Fixture: fails in its third cell" in html
    assert "Text before the failure, which the report must still show." in html
    assert "rows loaded before the failure: 3" in html
    assert "fixture failure: the rulebook has no level 9" in html
    assert "Traceback" in html and "ValueError" in html
    assert "bi-status-failed" in html and "in cell 3" in html
    # Cells after the failing one never ran: they are not in the report.
    assert "Findings written after the failure" not in html
    assert "this cell is never run" not in html
    assert "2 later cell(s) of the notebook did not run and are not shown." in html


def test_kernel_death_gives_a_failed_report(workdir, first_run_html):
    html = report(workdir, "baseline", "02_fixture_kernel_dies")
    assert "Fixture: the kernel dies" in html
    assert "DeadKernelError: Kernel died" in html
    assert "this cell is never run" not in html


def test_reports_are_self_contained_and_show_no_code(batch, workdir, first_run_html):
    pages = [workdir / "out" / "index.html"] + [r.job.report_path for r in batch.results]
    for page in pages:
        html = page.read_text("utf-8")
        assert external_loads(html) == [], page
        assert external_links(html) == [], page
        assert not re.search(r"https?://", html), page
        assert not re.search(r"<link\b", html, re.IGNORECASE), page
        assert not re.search(r"<script\b[^>]*\bsrc=", html, re.IGNORECASE), page
        # No element of a code input (the stylesheet names these classes, so look at tags).
        code_input = re.search(r'<div[^>]*class="[^"]*\b(jp-InputArea-editor|jp-InputPrompt|'
                               r'cm-editor|jp-CodeMirrorEditor)\b', html)
        assert code_input is None, (page, code_input)
    ok = report(workdir, "baseline", "00_fixture_table_figure")
    for code_text in ("fixture_code_marker_rng", "default_rng", "import matplotlib",
                      "plt.subplots", "read_text"):
        assert code_text not in ok
    # The outputs are there: the table, the embedded figure, the printed finding.
    assert "set-0" in ok and "<table" in ok
    assert re.search(r'<img[^>]+src="data:image/png;base64,', ok)
    assert "Largest dataset:" in ok


def test_banner_names_inputs_with_hashes_parameters_and_version(batch, workdir, first_run_html):
    html = report(workdir, "analyst", "00_fixture_table_figure")
    start = html.index('class="bi-banner"')
    banner = unescape(html[start:html.index("<h1", start)])
    assert sha256(workdir / "analyst.yaml") in banner
    assert sha256(workdir / "rulebook.yaml") in banner
    assert sha256(workdir / "notebooks" / "00_fixture_table_figure.py") in banner
    assert "analyst.yaml" in banner and "rulebook.yaml" in banner
    assert "Analyst-supplied inventory" in banner and "Fictional data." not in banner
    assert "Illustrative rulebook." in banner
    # The rulebook's label of the variant, and the injected value.
    assert "services' reading: leaked and purchased data count as publicly accessible" in banner
    assert "openness = 'services'</span> <span class=\"bi-muted\">(set by the batch)" in banner
    assert "n_rows = 4</span> <span class=\"bi-muted\">(notebook default)" in banner
    assert "seed = 0" in banner
    assert f"version <span class=\"bi-code\">{bulkimpact.__version__}</span>" in banner
    assert "bi-status-ok" in banner
    fictional = report(workdir, "baseline", "00_fixture_table_figure")
    assert "Fictional data." in fictional and sha256(BASELINE) in fictional
    # The banner comes first: before the notebook's own title.
    assert fictional.index("About this report") < fictional.index("<h1")


def test_executed_notebooks_are_saved_with_the_banner(workdir, first_run_html):
    ok = nbformat.read(workdir / "out" / "baseline" / "00_fixture_table_figure.ipynb", 4)
    # One banner per language, each shown only on its own page.
    assert [c.metadata["tags"] for c in ok.cells[:2]] == [[BANNER_TAG, "nl"], [BANNER_TAG, "en"]]
    assert "Over dit rapport" in ok.cells[0].source and "About this report" in ok.cells[1].source
    injected = [c for c in ok.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "openness = \"services\"" in injected[0].source
    assert any(o.get("output_type") == "display_data" for c in ok.cells
               for o in c.get("outputs", []))
    failed = nbformat.read(workdir / "out" / "baseline" / "01_fixture_fails.ipynb", 4)
    # Analysts get the whole notebook, including the cells that did not run.
    assert any("this cell is never run" in c.source for c in failed.cells)


def test_no_temporary_or_stray_files(batch, workdir, first_run_html):
    written = sorted(p.relative_to(workdir / "out").as_posix()
                     for p in (workdir / "out").rglob("*"))
    expected = sorted(["index.html", "index.en.html", "glossary.nl.html", "glossary.en.html",
                       "baseline", "analyst", ".bulkimpact", ".bulkimpact/output.json",
                       ".bulkimpact/lock", "baseline/.bulkimpact-result.json",
                       "analyst/.bulkimpact-result.json"]
                      + [f"{inv}/{nb}.{ext}" for inv in ("baseline", "analyst")
                         for nb in NOTEBOOKS for ext in ("nl.html", "en.html", "ipynb")])
    assert written == expected


def test_rerun_gives_identical_reports(workdir, first_run_html):
    again = run_reports([BASELINE], "rulebook.yaml", openness="services", out_dir="out",
                        only=["00", "01"], workers=2, progress=False, cwd=workdir)
    assert [r.status for r in again.results] == ["OK", "FAILED"]
    for result in again.results:
        before = first_run_html[result.job.report_path]
        after = result.job.report_path.read_text("utf-8")
        assert after.count(GENERATED_LINE) == 1
        assert without_generated_line(after) == without_generated_line(before)


def test_cli_exit_codes_and_summary(workdir, capsys, monkeypatch):
    monkeypatch.chdir(workdir)
    code = main(["report", "--inventory", "analyst.yaml", "--rulebook", "rulebook.yaml",
                 "--notebooks", str(workdir / "notebooks"), "--only", "01_fixture_fails",
                 "--out", str(workdir / "cli-out"), "--no-progress", "--no-timestamp"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED analyst/01_fixture_fails (cell 3): ValueError: fixture failure" in out
    assert re.search(r"^1 reports, 1 failed, \d+\.\d s$", out, re.MULTILINE)
    html = (workdir / "cli-out" / "analyst" / "01_fixture_fails.en.html").read_text("utf-8")
    assert GENERATED_LINE not in html


@pytest.mark.parametrize(("argv", "message"), [
    (["--inventory", "missing.yaml"], "inventory not found: missing.yaml"),
    (["--rulebook", "missing-rulebook.yaml"], "rulebook not found: missing-rulebook.yaml"),
    (["--openness", "public"], "unknown openness variant 'public'"),
    (["--only", "nope"], "no notebook named 'nope'"),
])
def test_cli_rejects_bad_inputs_before_running(workdir, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(workdir)
    base = ["report", "--inventory", "analyst.yaml", "--rulebook", "rulebook.yaml",
            "--out", "never"]
    code = main(base + argv)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert not (workdir / "never").exists()


def test_default_inputs_are_the_bundled_files_from_any_folder(tmp_path, capsys, monkeypatch):
    # No --inventory or --rulebook, in a folder without data/: the bundled baseline and
    # rulebook (package data) are used, and the report names them readably.
    monkeypatch.chdir(tmp_path)
    code = main(["report", "--notebooks", str(FIXTURES), "--only", "00_fixture_table_figure",
                 "--out", "out", "--no-timestamp"])
    capsys.readouterr()
    assert code == 0
    html = unescape((tmp_path / "out" / "baseline" / "00_fixture_table_figure.en.html")
                    .read_text("utf-8"))
    assert "data/synthetic/baseline.yaml (bundled with bulkimpact)" in html
    assert "data/rulebooks/default.yaml (bundled with bulkimpact)" in html
    assert "Fictional data" in html and "Illustrative rulebook" in html


CRASHING_RUNNER = '''
import os
from bulkimpact.report.jobs import JobResult

def run(job):
    if job.notebook.stem.startswith("01"):
        os._exit(7)
    return JobResult(job, "OK", 0.0)
'''


def test_a_job_that_kills_its_worker_fails_alone(workdir, tmp_path, monkeypatch):
    from bulkimpact.report.batch import make_jobs

    (tmp_path / "crashing_runner.py").write_text(CRASHING_RUNNER, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))  # spawned workers inherit sys.path
    import crashing_runner

    notebooks = [workdir / "notebooks" / f"{nb}.py" for nb in NOTEBOOKS]
    jobs = make_jobs(notebooks * 2, ["analyst.yaml"], "rulebook.yaml", cwd=workdir,
                     out_dir=tmp_path / "crash-out")
    results, interrupted = run_jobs(jobs, 2, progress=False, runner=crashing_runner.run)
    assert not interrupted
    assert [r.status for r in results] == ["OK", "FAILED", "OK"] * 2
    for result in results[1::3]:
        assert result.error == ("the worker process died (exit code 7) while running this "
                                "notebook")
        page = result.job.page_path("en").read_text("utf-8")
        assert "No report could be made." in page and "exit code 7" in page
        dutch = result.job.page_path("nl").read_text("utf-8")
        assert "Er kon geen rapport worden gemaakt." in dutch and "exit code 7" in dutch
        assert external_loads(page) == []


ENDLESS_RUNNER = '''
from bulkimpact.files import atomic_write

def run(job):
    while True:  # rewrite a large report until the batch is interrupted
        atomic_write(job.report_path, "x" * 20_000_000)
'''


def test_interrupt_stops_workers_and_leaves_no_partial_files(workdir, tmp_path, monkeypatch):
    import os
    import signal
    import threading
    import time

    from bulkimpact.report.batch import make_jobs

    (tmp_path / "endless_runner.py").write_text(ENDLESS_RUNNER, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import endless_runner

    notebooks = [workdir / "notebooks" / f"{nb}.py" for nb in NOTEBOOKS]
    out = tmp_path / "interrupted"
    jobs = make_jobs(notebooks, ["analyst.yaml"], "rulebook.yaml", cwd=workdir, out_dir=out)
    def interrupt_once_writing() -> None:
        deadline = time.monotonic() + 60
        while not any(out.rglob("*.html")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt_once_writing, daemon=True).start()
    results, interrupted = run_jobs(jobs, 2, progress=False, runner=endless_runner.run)
    assert interrupted
    assert any(out.rglob("*.html"))
    assert [r.status for r in results] == ["NOT RUN"] * 3
    files = sorted(p.name for p in out.rglob("*") if p.is_file())
    # Whole reports or none: no temporary file survives the interrupt.
    assert all(name.endswith(".html") for name in files), files
    for path in out.rglob("*.html"):
        assert path.stat().st_size == 20_000_000


def test_a_report_of_another_input_gets_no_inventory_and_says_so(tmp_path):
    """07 reads the exchange log: the batch injects no inventory or openness into a notebook
    that does not declare them, and its banner says they are not used."""
    from bulkimpact.report.provenance import banner_html

    own = tmp_path / "07_own_input.py"
    own.write_text('# %% tags=["parameters"]\nexchange_log = None\nrulebook = None\n'
                   'languages = "nl,en"\n'
                   'out_dir = "reports"\n', "utf-8")
    [job] = make_jobs([own], [BASELINE], RULEBOOK, cwd=tmp_path, out_dir="out",
                      openness="services")
    injected = job.injected_parameters()
    assert "inventory" not in injected and "openness" not in injected
    assert injected["languages"] == "nl,en" and job.undeclared_parameters() == []
    banner = banner_html(job, "OK", lang="en")
    assert banner.count("not used by this report") == 2 and "baseline.yaml" not in banner


def test_glossary_pages_end_with_their_caveats(workdir, first_run_html):
    """Like every report, the glossary ends with its caveats (the rulebook is an assumption),
    in the page's language."""
    for lang, heading in (("nl", "Kanttekeningen"), ("en", "Caveats")):
        page = (workdir / "out" / f"glossary.{lang}.html").read_text("utf-8")
        headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
        assert headings[-1] == heading, (lang, headings)
        assert "illustrati" in page[page.rindex(heading):]
