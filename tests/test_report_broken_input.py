"""A report batch survives a broken input, and stops cleanly on Ctrl-C.

- ``report --inventory good.yaml --inventory broken.yaml``: each inventory is
  validated on its own; the good one renders, the index marks the broken one
  FAILED with every problem (file, item, field), the command exits 1.
- Ctrl-C (SIGINT to the command's process group, as a terminal sends it)
  while kernels run: exit 130 within seconds, reports not made marked NOT
  RUN, one clean line on stderr and no traceback from a worker or a dying
  kernel.
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
from html import unescape
from pathlib import Path

import pytest

import bulkimpact
from bulkimpact.cli import main
from bulkimpact.problems import InputError
from bulkimpact.report.batch import make_jobs

REPO = Path(bulkimpact.__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
BASELINE = REPO / "data" / "synthetic" / "baseline.yaml"
RULEBOOK = REPO / "data" / "rulebooks" / "default.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one fixture notebook, a rulebook, a good and a broken inventory."""
    root = tmp_path_factory.mktemp("broken-input")
    (root / "notebooks").mkdir()
    shutil.copy(FIXTURES / "00_fixture_table_figure.py", root / "notebooks")
    shutil.copy(RULEBOOK, root / "rulebook.yaml")
    shutil.copy(BASELINE, root / "good.yaml")
    text = BASELINE.read_text("utf-8")
    # Two problems: the first dataset's persons negative, a population that does not exist.
    first_persons = re.search(r"^(\s+persons:\s*)(\d[\d_]*)", text, re.MULTILINE)
    assert first_persons, "baseline.yaml has no persons field"
    text = text[:first_persons.start(2)] + "-5" + text[first_persons.end(2):]
    first_population = re.search(r"^(\s+population:\s*)(\S+)", text, re.MULTILINE)
    assert first_population, "baseline.yaml has no population field"
    text = text[:first_population.start(2)] + "atlantis" + text[first_population.end(2):]
    (root / "broken.yaml").write_text(text, "utf-8")
    return root


def _args(*inventories: str, out: str) -> list[str]:
    argv = ["report", "--rulebook", "rulebook.yaml", "--notebooks", "notebooks",
            "--out", out, "--quiet", "--no-timestamp", "--workers", "1"]
    for inventory in inventories:
        argv += ["--inventory", inventory]
    return argv


def test_a_broken_inventory_fails_alone_and_the_good_one_renders(project, capsys,
                                                                 monkeypatch) -> None:
    monkeypatch.chdir(project)
    code = main(_args("good.yaml", "broken.yaml", out="out") + ["--json"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    record = json.loads(captured.out)
    assert (record["reports"], record["ok"], record["failed"], record["failed_inventories"]) == (
        1, 1, 0, 1)
    (result,) = record["results"]
    assert (result["inventory"], result["notebook"], result["status"]) == (
        "good.yaml", "00_fixture_table_figure", "OK")
    (failure,) = record["inventories"]
    assert (failure["inventory"], failure["status"]) == ("broken.yaml", "FAILED")
    fields = {p["field"] for p in failure["problems"]}
    assert {"persons", "population"} <= fields
    assert all(p["file"].endswith("broken.yaml") and p["item"].startswith("datasets[")
               for p in failure["problems"] if p["field"] in ("persons", "population"))
    assert record["summary"].endswith("1 inventory FAILED validation (no reports)")
    # The good inventory's report is there; nothing was made for the broken one.
    assert (project / "out" / "good" / "00_fixture_table_figure.nl.html").is_file()
    assert not (project / "out" / "broken").exists()
    index = unescape((project / "out" / "index.en.html").read_text("utf-8"))
    row = re.search(r'<tr class="bi-row-failed"><td>broken</td>(.*?)</tr>', index, re.DOTALL)
    assert row, "the index has no FAILED row for the broken inventory"
    assert "FAILED" in row.group(1) and "inventory did not validate" in row.group(1)
    for problem in failure["problems"]:
        assert problem["text"] in row.group(1)  # file: item: field: message, got value
    assert '<span class="bi-status-ok">OK</span>' in index


def test_a_batch_of_broken_inventories_only_lists_them(project, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    code = main(_args("broken.yaml", out="only-broken"))
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    lines = out.splitlines()
    assert lines[0] == "FAILED broken.yaml: 2 problem(s) in the input; no reports for it"
    assert any("field 'persons'" in line and "got -5" in line for line in lines)
    assert any("field 'population'" in line and "'atlantis'" in line for line in lines)
    assert re.search(r"^0 reports, 0 failed, \d+\.\d s, 1 inventory FAILED validation",
                     out, re.MULTILINE)
    index = (project / "only-broken" / "index.html").read_text("utf-8")
    assert "bi-row-failed" in index and "broken.yaml" in index


def test_make_jobs_still_refuses_a_broken_inventory(project) -> None:
    with pytest.raises(InputError) as exc:
        make_jobs([project / "notebooks" / "00_fixture_table_figure.py"],
                  ["good.yaml", "broken.yaml"], "rulebook.yaml", cwd=project)
    assert {p.field for p in exc.value.problems} >= {"persons", "population"}


def test_a_broken_rulebook_or_a_missing_inventory_stops_before_anything_runs(
        project, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    (project / "bad-rulebook.yaml").write_text("levels: [unclosed\nrules: []\n", "utf-8")
    argv = _args("good.yaml", out="never")
    argv[argv.index("rulebook.yaml")] = "bad-rulebook.yaml"
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("bulkimpact: error: ") and "bad-rulebook.yaml" in err
    assert main(_args("good.yaml", "missing.yaml", out="never")) == 2
    assert "inventory not found: missing.yaml" in capsys.readouterr().err
    assert not (project / "never").exists()


SLOW_NOTEBOOK = '''\
# %% [markdown]
# # Fixture: slow

# %% tags=["parameters"]
inventory = "inventory.yaml"
rulebook = "rulebook.yaml"
openness = "services"
seed = 0
out_dir = "."
marker = "started"

# %%
import time
from pathlib import Path

Path(marker).touch()
time.sleep(300)
'''


def test_ctrl_c_stops_the_batch_with_one_clean_line(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    for name in ("00_slow_a", "01_slow_b"):
        (tmp_path / "notebooks" / f"{name}.py").write_text(
            SLOW_NOTEBOOK.replace('marker = "started"', f'marker = "{name}.started"'), "utf-8")
    shutil.copy(RULEBOOK, tmp_path / "rulebook.yaml")
    shutil.copy(BASELINE, tmp_path / "inventory.yaml")
    argv = [sys.executable, "-m", "bulkimpact", "report", "--inventory", "inventory.yaml",
            "--rulebook", "rulebook.yaml", "--notebooks", "notebooks", "--out", "out",
            "--workers", "2", "--quiet"]
    # A session of its own: the SIGINT goes to the whole group, as a terminal's Ctrl-C does.
    proc = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        markers = [tmp_path / f"{name}.started" for name in ("00_slow_a", "01_slow_b")]
        deadline = time.monotonic() + 180
        while not all(m.exists() for m in markers):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the slow notebooks did not start in 180 s"
            time.sleep(0.2)
        time.sleep(0.5)
        interrupted = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        seconds = time.monotonic() - interrupted
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert seconds < 30, f"stopping took {seconds:.1f} s"
    assert "Traceback" not in err and "DeadKernelError" not in err, err
    assert "Task exception was never retrieved" not in err, err
    assert err.strip().splitlines() == [
        "bulkimpact: interrupted: the reports not made are NOT RUN; an inventory's earlier "
        "reports, if any, are kept"], err
    assert re.search(r"^2 reports, 0 failed, \d+\.\d s, 2 not run \(interrupted\)$", out,
                     re.MULTILINE), out
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert index.count("NOT RUN</span>") == 4  # in the list of reports and in the build table


def test_workers_start_with_sigint_ignored() -> None:
    """A Ctrl-C while a worker is still importing must not print its traceback: the
    worker ignores SIGINT from its first instruction (inherited across exec)."""
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("needs /proc")
    from bulkimpact.report.batch import _Pool
    from bulkimpact.report.execute import run_job

    previous = signal.getsignal(signal.SIGINT)
    pool = _Pool(run_job)
    try:
        worker = pool.start()
        ignored = next(line for line in Path(f"/proc/{worker.process.pid}/status")
                       .read_text().splitlines() if line.startswith("SigIgn:"))
    finally:
        pool.stop(now=True)
    assert int(ignored.split()[1], 16) & (1 << (signal.SIGINT - 1)), ignored
    assert signal.getsignal(signal.SIGINT) is previous  # this process handles it as before


NOISY_RUNNER = '''
import atexit
import logging
import sys
import time
from pathlib import Path


def _dying_kernel_noise():
    # What a stopped worker's kernel client prints as the process ends: a traceback from
    # its background event loop, and asyncio's report of a task nobody awaited.
    print("Traceback (most recent call last):\\nnbclient.exceptions.DeadKernelError: "
          "Kernel died", file=sys.stderr, flush=True)
    logging.getLogger("asyncio").error("Task exception was never retrieved")


def run(job):
    atexit.register(_dying_kernel_noise)
    Path(job.report_path.parent).mkdir(parents=True, exist_ok=True)
    (job.report_path.parent / (job.notebook.stem + ".started")).touch()
    while True:
        time.sleep(0.05)
'''


def test_a_stopped_worker_prints_nothing(project, tmp_path, monkeypatch, capfd) -> None:
    """Deterministic half of the Ctrl-C check: whatever a worker would print while it is
    being stopped (here: at its exit) does not reach the terminal."""
    import threading

    from bulkimpact.report.batch import run_jobs

    (tmp_path / "noisy_runner.py").write_text(NOISY_RUNNER, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))  # spawned workers inherit sys.path
    import noisy_runner

    out = tmp_path / "out"
    notebook = project / "notebooks" / "00_fixture_table_figure.py"
    jobs = make_jobs([notebook, notebook], ["good.yaml"], "rulebook.yaml", cwd=project,
                     out_dir=out)

    def interrupt_once_running() -> None:
        deadline = time.monotonic() + 60
        while not any(out.rglob("*.started")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt_once_running, daemon=True).start()
    results, interrupted = run_jobs(jobs, 1, progress=False, runner=noisy_runner.run)
    assert interrupted and [r.status for r in results] == ["NOT RUN"] * 2
    captured = capfd.readouterr()
    assert "DeadKernelError" not in captured.err and "Traceback" not in captured.err
    assert "Task exception was never retrieved" not in captured.err
