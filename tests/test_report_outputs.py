"""What ``bulkimpact report`` may touch in ``--out``, and batches that degrade gracefully.

One test per finding of issue 19 on the output side: a user's folder and files are never
overwritten; ``--out`` that is a file or cannot be written is refused before any notebook
runs; folder names derived from hostile inventory names stay inside ``--out``; a run killed
with SIGKILL leaves the previous result intact and no worker behind; two runs into one
folder both end up in the index; ``-p inventory=...`` is refused; one inventory's crash
does not stop the others; report 08 renders on the CSV example.

The notebooks here are tiny (one cell that prints a line), so each job costs little more
than starting a kernel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

import bulkimpact
from bulkimpact.report import batch as batch_module
from bulkimpact.report.batch import plan_jobs, run_reports
from bulkimpact.report.cli import main
from bulkimpact.report.outdir import MARKER, RESULT, OutputFolder, folder_name

REPO = Path(bulkimpact.__file__).resolve().parent.parent
BASELINE = REPO / "data" / "synthetic" / "baseline.yaml"
RULEBOOK = REPO / "data" / "rulebooks" / "default.yaml"

TINY = '''# %% [markdown]
# # Tiny {n}

# %% tags=["parameters"]
inventory = "inventory.yaml"
rulebook = "rulebook.yaml"
out_dir = "."
pause = 0

# %%
import time
from pathlib import Path

time.sleep(pause if "{n}" == "01" else 0)  # only the second notebook is ever slow
print("tiny {n} read", len(Path(inventory).read_text(encoding="utf-8")), "characters")
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: two tiny notebooks, the bundled rulebook, two inventories."""
    (tmp_path / "notebooks").mkdir()
    for n in ("00", "01"):
        (tmp_path / "notebooks" / f"{n}_tiny.py").write_text(TINY.format(n=n), "utf-8")
    shutil.copy(RULEBOOK, tmp_path / "rulebook.yaml")
    shutil.copy(BASELINE, tmp_path / "first.yaml")
    shutil.copy(BASELINE, tmp_path / "second.yaml")
    return tmp_path


def report_cli(project: Path, *args: str) -> list[str]:
    return ["report", "--rulebook", "rulebook.yaml", "--notebooks", str(project / "notebooks"),
            "--no-progress", "--no-timestamp", *args]


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` outside bulkimpact's own state folder, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".bulkimpact" not in p.relative_to(folder).parts}


@pytest.fixture
def no_notebook_runs(monkeypatch):
    """Fail the test if any job starts."""
    def refuse(*args, **kwargs):
        raise AssertionError("a notebook ran")
    monkeypatch.setattr(batch_module, "run_jobs", refuse)


# --- a user's folder ------------------------------------------------------------------------

def test_a_folder_that_is_not_a_bulkimpact_output_is_refused(project, capsys, monkeypatch,
                                                            no_notebook_runs):
    monkeypatch.chdir(project)
    mine = project / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", "utf-8")
    code = main(report_cli(project, "--inventory", "first.yaml", "--out", "mine"))
    err = capsys.readouterr().err
    assert code == 2
    assert "is not empty and is not a bulkimpact output folder" in err and "--force" in err
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_own_index_is_never_overwritten_not_even_with_force(project, capsys, monkeypatch,
                                                            no_notebook_runs):
    # `--out .` in a folder with an index.html of the user's own.
    (project / "index.html").write_text("<html>my own index</html>", "utf-8")
    monkeypatch.chdir(project)
    before = files_under(project)
    for extra in ([], ["--force"]):
        code = main(report_cli(project, "--inventory", "first.yaml", "--out", ".", *extra))
        err = capsys.readouterr().err
        assert code == 2, extra
        expected = ("holds index.html, which bulkimpact did not write" if extra
                    else "is not a bulkimpact output folder")
        assert expected in err, (extra, err)
    assert files_under(project) == before
    assert not (project / ".bulkimpact").exists()


def test_force_writes_beside_the_users_files(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    mine = project / "mine"
    (mine / "first").mkdir(parents=True)  # a folder of the user's with the inventory's name
    (mine / "first" / "data.txt").write_text("keep me", "utf-8")
    (mine / "notes.txt").write_text("my notes", "utf-8")
    code = main(report_cli(project, "--inventory", "first.yaml", "--only", "00", "--out",
                           "mine", "--force"))
    capsys.readouterr()
    assert code == 0
    assert (mine / "notes.txt").read_text("utf-8") == "my notes"
    assert sorted(p.name for p in (mine / "first").iterdir()) == ["data.txt"]
    [folder] = [p for p in mine.iterdir() if p.name.startswith("first-")]
    assert (folder / "00_tiny.en.html").is_file() and (mine / MARKER).is_file()
    assert f'href="{folder.name}/00_tiny.nl.html"' in (mine / "index.html").read_text("utf-8")


@pytest.mark.parametrize(("kind", "out"), [("file", "taken"), ("file", "taken/sub"),
                                           ("unwritable", "taken")])
def test_out_that_cannot_be_a_folder_is_refused_before_anything_runs(
        project, capsys, monkeypatch, no_notebook_runs, kind, out):
    monkeypatch.chdir(project)
    if kind == "file":
        (project / "taken").write_text("a file", "utf-8")
        expected = "is a file, not a folder"
    else:  # root writes anywhere, so the permission check itself is stood in for here
        monkeypatch.setattr("bulkimpact.report.outdir.os.access", lambda *a, **k: False)
        expected = "(permission denied): choose a folder you can write to"
    code = main(report_cli(project, "--inventory", "first.yaml", "--out", out))
    err = capsys.readouterr().err
    assert code == 2 and expected in err, err
    assert (project / "taken").is_file() == (kind == "file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_out_is_refused_before_anything_runs(project, capsys, monkeypatch,
                                                       no_notebook_runs):
    monkeypatch.chdir(project)
    (project / "ro").mkdir(mode=0o555)
    code = main(report_cli(project, "--inventory", "first.yaml", "--out", "ro/out"))
    assert code == 2 and "permission denied" in capsys.readouterr().err


# --- folder names ---------------------------------------------------------------------------

def test_hostile_inventory_names_give_safe_unique_folders(project, monkeypatch):
    monkeypatch.chdir(project)
    names = ["...yaml", "..yaml", "index.html.yaml", "a#b.yaml", "a?b%c.yaml"]
    for name in names:
        shutil.copy(BASELINE, project / name)
    batch = run_reports(names, "rulebook.yaml", notebooks_dir="notebooks", only=["00"],
                        out_dir="out/reports", progress=False, timestamp=False)
    assert batch.exit_code == 0, [r.error for r in batch.results]
    folders = [r.job.scenario for r in batch.results]
    assert folders == ["inventory", f"inventory-{folders[1][-8:]}", "index-html", "a-b",
                       "a-b-c"]
    out = project / "out" / "reports"
    # Nothing was written beside or above the output folder.
    assert sorted(p.name for p in (project / "out").iterdir()) == ["reports"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".bulkimpact", "index.html", "index.en.html", "glossary.nl.html", "glossary.en.html",
         *folders])
    # Pages and notebooks name the files where they are, not the staging folder.
    for path in out.rglob("*"):
        if path.suffix in (".html", ".ipynb", ".json"):
            assert "partial-" not in path.read_text("utf-8"), path
    index = (out / "index.html").read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)"', index)
    for folder in folders:
        assert f"{folder}/00_tiny.nl.html" in links
    for link in links:
        if not link.startswith("#"):
            assert (out / link).is_file(), link


def test_a_folder_name_of_another_inventory_is_not_taken_over(tmp_path):
    out = tmp_path / "out"
    with OutputFolder(out) as folder:
        folder.stage("baseline")
        folder.commit("baseline", {"inventory": "/elsewhere/baseline.yaml", "reports": []})
    mine = folder_name(Path("/here/baseline.yaml"), out)
    assert mine.startswith("baseline-") and len(mine) == len("baseline-") + 8
    assert folder_name(Path("/elsewhere/baseline.yaml"), out) == "baseline"


# --- killed runs, workers, locks -------------------------------------------------------------

def test_a_result_moved_aside_by_a_killed_commit_is_put_back(tmp_path):
    """Killed between the two renames of a commit: the next run puts the old result back."""
    out = tmp_path / "out"
    with OutputFolder(out) as folder:
        (folder.stage("baseline") / "page.html").write_text("previous", "utf-8")
        folder.commit("baseline", {"inventory": "/d/baseline.yaml", "reports": []})
    os.replace(out / "baseline", out / ".bulkimpact" / "replaced-baseline-4242")
    (out / ".bulkimpact" / "partial-20260101-000000-4242").mkdir()  # its staging folder
    with OutputFolder(out):
        assert (out / "baseline" / "page.html").read_text("utf-8") == "previous"
        assert [p.name for p in (out / ".bulkimpact").iterdir() if "4242" in p.name] == []


def start_report(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bulkimpact", *report_cli(project, *args)], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def staged_page(out: Path) -> bool:
    return any(out.glob(".bulkimpact/partial-*/*/00_tiny.en.html"))


def test_sigkill_leaves_the_previous_result_intact_and_no_worker_writing(project, capsys,
                                                                       monkeypatch):
    # The runs before and after the killed one are in process (only the killed one needs a
    # process of its own), which spares two Python start-ups and imports.
    monkeypatch.chdir(project)
    out = project / "out"
    assert main(report_cli(project, "--inventory", "first.yaml", "--out", "out")) == 0, \
        capsys.readouterr()
    before = files_under(out)
    assert "first/00_tiny.en.html" in before and "first/01_tiny.en.html" in before
    # Rerun with a slow second notebook and kill the whole process group once the first
    # notebook's page of the new run is written (in the staging folder).
    run = start_report(project, "--inventory", "first.yaml", "--out", "out", "--workers", "2",
                       "-p", "pause=120")
    wait_for(lambda: staged_page(out))
    processes = psutil.Process(run.pid).children(recursive=True)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    # Every worker is gone; the kernels (in sessions of their own) follow their worker.
    psutil.wait_procs(processes, timeout=15)
    assert not [p for p in processes if p.is_running() and p.status() != "zombie"]
    snapshot = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    time.sleep(2)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == snapshot
    # The previous result is exactly as it was; the unfinished run is marked partial.
    assert files_under(out) == before
    [partial] = out.glob(".bulkimpact/partial-*")
    assert "unfinished run" in (partial / "PARTIAL.txt").read_text("utf-8")
    # The next run removes the partial folder and replaces the result in one step.
    assert main(report_cli(project, "--inventory", "first.yaml", "--out", "out", "--only",
                           "00")) == 0, capsys.readouterr()
    assert not list(out.glob(".bulkimpact/partial-*"))
    assert sorted(files_under(out)) == sorted(before)  # 01 carried over, 00 made anew


def test_workers_die_with_the_driver(project):
    """SIGKILL to the driver alone (not its group): its workers must not go on."""
    out = project / "out"
    run = start_report(project, "--inventory", "first.yaml", "--out", "out", "--workers", "2",
                       "-p", "pause=120")
    wait_for(lambda: len([p for p in psutil.Process(run.pid).children(recursive=True)
                          if "ipykernel" in " ".join(p.cmdline())]) == 2)
    processes = psutil.Process(run.pid).children(recursive=True)
    assert len(processes) >= 4  # two workers, two kernels
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    gone, alive = psutil.wait_procs(processes, timeout=15)
    assert not [p for p in alive if p.status() != "zombie"], alive
    assert not (out / "first").exists()


def test_two_runs_into_one_folder_both_end_up_in_the_index(project, capsys, monkeypatch):
    # One run in a process of its own, the other in this one at the same time.
    monkeypatch.chdir(project)
    other = start_report(project, "--inventory", "first.yaml", "--out", "out", "--only", "00")
    here = main(report_cli(project, "--inventory", "second.yaml", "--out", "out", "--only",
                           "00"))
    output = other.communicate(timeout=300)
    assert [other.returncode, here] == [0, 0], (output, capsys.readouterr())
    index = (project / "out" / "index.html").read_text("utf-8")
    assert 'href="first/00_tiny.nl.html"' in index and 'href="second/00_tiny.nl.html"' in index
    # They were serialised by the lock: both results are whole.
    for name in ("first", "second"):
        result = json.loads((project / "out" / name / RESULT).read_text("utf-8"))
        assert [r["status"] for r in result["reports"]] == ["OK"]


# --- provenance and batches ------------------------------------------------------------------

def test_inventory_given_as_a_parameter_is_refused(project, capsys, monkeypatch,
                                                    no_notebook_runs):
    monkeypatch.chdir(project)
    code = main(report_cli(project, "-p", "inventory=second.yaml", "--out", "out"))
    err = capsys.readouterr().err
    assert code == 2
    assert "-p inventory=... is not accepted: pass --inventory PATH" in err
    assert not (project / "out").exists()


def test_an_inventory_that_crashes_the_driver_fails_alone(project, monkeypatch):
    from bulkimpact import inventory as inventory_module

    real = inventory_module.load_inventory

    def crashing(path, *args, **kwargs):
        if Path(path).name == "second.yaml":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(inventory_module, "load_inventory", crashing)
    jobs, failures = plan_jobs([project / "notebooks" / "00_tiny.py"],
                               ["first.yaml", "second.yaml"], "rulebook.yaml", cwd=project)
    assert [job.scenario for job in jobs] == ["first"]
    [failure] = failures
    assert failure.scenario == "second"
    assert str(failure.problems[0]) == (
        "second.yaml: could not be read: RecursionError: maximum recursion depth exceeded")


def test_failed_inventory_is_listed_and_the_others_render(project, monkeypatch):
    (project / "broken.yaml").write_text("datasets: 3\n", "utf-8")
    monkeypatch.chdir(project)
    batch = run_reports(["broken.yaml", "first.yaml"], "rulebook.yaml",
                        notebooks_dir="notebooks", only=["00"], out_dir="out", progress=False)
    assert batch.exit_code == 1
    assert [r.status for r in batch.results] == ["OK"]
    index = (project / "out" / "index.en.html").read_text("utf-8")
    assert "broken.yaml" in index and "FAILED" in index
    assert 'href="first/00_tiny.en.html"' in index


def test_report_08_renders_on_the_csv_example_and_says_there_is_no_linker(tmp_path):
    inventory = REPO / "data" / "synthetic" / "csv_example" / "datasets.csv"
    batch = run_reports([inventory], RULEBOOK, notebooks_dir=REPO / "notebooks", only=["08"],
                        out_dir=tmp_path / "out", progress=False, timestamp=False,
                        cwd=tmp_path)
    assert [(r.status, r.error) for r in batch.results] == [("OK", None)]
    pages = {lang: batch.results[0].job.page_path(lang).read_text("utf-8")
             for lang in ("nl", "en")}
    assert "there is no linking dataset to destroy earlier" in pages["en"]
    assert "Er is dus geen koppelende bulkdataset om eerder te vernietigen." in pages["nl"]
