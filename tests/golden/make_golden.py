"""Write the stored outputs that tests/test_golden.py compares against.

Run from the repository root when a change is meant to move figures, and say in the commit
which figures moved and why:

    .venv/bin/python tests/golden/make_golden.py
"""

from __future__ import annotations

import contextlib
import gzip
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name -> the command line whose stdout is stored (run from the repository root).
COMMANDS: dict[str, list[str]] = {
    "assess_baseline": ["assess", "data/synthetic/baseline.yaml", "--json"],
    "assess_sparse": ["assess", "data/synthetic/sparse.yaml", "--json"],
    "assess_dense": ["assess", "data/synthetic/dense.yaml", "--json"],
    "assess_csv_example": ["assess", "data/synthetic/csv_example", "--json"],
    "timeline_baseline": ["timeline", "data/synthetic/baseline.yaml", "--json", "--quiet"],
    "exchange": ["exchange", "data/synthetic/exchange/exchange_log.yaml", "--json"],
}


def output_of(argv: list[str]) -> bytes:
    """What ``bulkimpact ARGV`` prints on stdout (run in this process)."""
    from bulkimpact.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    if code != 0:
        raise RuntimeError(f"bulkimpact {' '.join(argv)} exited {code}")
    return out.getvalue().encode("utf-8")


def stored(name: str) -> bytes:
    return gzip.decompress((HERE / f"{name}.json.gz").read_bytes())


if __name__ == "__main__":
    for name in sys.argv[1:] or COMMANDS:
        data = output_of(COMMANDS[name])
        # mtime=0: the file depends on its content only
        (HERE / f"{name}.json.gz").write_bytes(gzip.compress(data, mtime=0))
        print(f"{name}: {len(data)} bytes")
