"""Scale-out: a sweep on a real ``dask scheduler`` with two ``dask worker`` processes.

The scheduler and workers are separate processes started with Dask's own
command line on 127.0.0.1, on ports the system picks (``--port 0``; the
address is read from a scheduler file); ``bulkimpact sweep --scheduler
tcp://…`` must give exactly the frame of a serial run. Every process is
stopped in the fixture's teardown, and every wait is bounded.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from bulkimpact.cli import main

STARTUP_SECONDS = 90


def _dask_command() -> list[str]:
    here = Path(sys.executable).parent
    for candidate in (here / "dask", shutil.which("dask")):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    pytest.skip("the `dask` command line is not installed")


def _stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM, then SIGKILL after 15 s. Call it for the workers before the scheduler: a
    worker closing while its scheduler goes away can hang in its own shutdown."""
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two single-threaded workers; yields the scheduler's address."""
    from dask.distributed import Client

    dask = _dask_command()
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    logs = {name: open(folder / f"{name}.log", "wb")  # noqa: SIM115 (closed in finally)
            for name in ("scheduler", "worker-a", "worker-b")}
    env = dict(os.environ)
    processes: list[subprocess.Popen] = []
    try:
        processes.append(subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            stdout=logs["scheduler"], stderr=subprocess.STDOUT, cwd=folder, env=env))
        deadline = time.monotonic() + STARTUP_SECONDS
        while not scheduler_file.exists():
            if processes[0].poll() is not None or time.monotonic() > deadline:
                pytest.fail("dask scheduler did not start:\n"
                            + (folder / "scheduler.log").read_text(errors="replace"))
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written whole, but give the writer a moment
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for name in ("worker-a", "worker-b"):
            processes.append(subprocess.Popen(
                [*dask, "worker", address, "--name", name, "--host", "127.0.0.1",
                 "--nworkers", "1", "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--death-timeout", "60", "--local-directory", str(folder / name)],
                stdout=logs[name], stderr=subprocess.STDOUT, cwd=folder, env=env))
        with Client(address, timeout=STARTUP_SECONDS) as client:
            client.wait_for_workers(2, timeout=STARTUP_SECONDS)
        yield address
    finally:
        _stop(processes[1:])  # the workers first
        _stop(processes[:1])
        for log in logs.values():
            log.close()


def test_sweep_on_a_real_scheduler_gives_the_serial_frame(scheduler: str, tmp_path: Path,
                                                           capsys) -> None:
    from dask.distributed import Client

    config = tmp_path / "sweep.yaml"
    config.write_text("seed: 5\nreplicates: 3\n"
                      "policies: [per_dataset, component, k_hop, threshold]\n"
                      "grid: {n_datasets: [8], density: [0.1, 0.3], openness: [services, ctivd]}\n",
                      encoding="utf-8")
    distributed, serial = tmp_path / "dask.parquet", tmp_path / "serial.parquet"
    assert main(["sweep", str(config), "--out", str(distributed), "--scheduler", scheduler,
                 "--quiet"]) == 0
    assert main(["sweep", str(config), "--out", str(serial), "--serial", "--quiet"]) == 0
    capsys.readouterr()

    def frame(path: Path) -> pd.DataFrame:
        return (pd.read_parquet(path).sort_values(["index", "policy"], kind="stable")
                .reset_index(drop=True))

    got, expected = frame(distributed), frame(serial)
    assert len(expected) == 12 * 4 and (expected["error"] == "").all()
    pd.testing.assert_frame_equal(got, expected)
    # Both workers took part: the scenarios really ran out of this process.
    with Client(scheduler, timeout=30) as client:
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2 and all(count > 0 for count in executed.values()), executed
