"""The refactored engine gives the same answers: stored outputs, byte for byte.

``tests/golden/`` holds what ``assess --json`` printed for every bundled inventory, the
baseline's ``timeline --json`` and ``exchange --json``. A change that moves figures on purpose
rewrites them (``tests/golden/make_golden.py``) and names the figures in its commit; any other
difference is a regression. Every field is compared: none of these outputs has an order-free
field (lists come in the inventory's order, sets in a canonical order).
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "golden"))

from make_golden import COMMANDS, output_of, stored  # noqa: E402


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_is_byte_identical_to_the_stored_one(name: str, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    got, want = output_of(COMMANDS[name]), stored(name)
    if got != want:
        diff = difflib.unified_diff(want.decode().splitlines(), got.decode().splitlines(),
                                    "stored", "now", n=2, lineterm="")
        pytest.fail(f"{name} differs from tests/golden/{name}.json.gz:\n"
                    + "\n".join(list(diff)[:60]))
