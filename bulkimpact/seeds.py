"""One seed scheme: every random stream is a child of the user's seed, by numpy's SeedSequence.

A scenario, a world, an extract or a robustness draw gets its stream from the
user's seed and a path of integers naming it (``(seed, index)``,
``(seed, world, dataset)``, …), so streams are independent of each other, of
the order in which they are drawn and of the worker that draws them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["child_seed", "child_rng"]


def child_seed(seed: int, *path: int) -> int:
    """A 63-bit integer seed for the stream named ``path`` under ``seed``.

    Examples
    --------
    >>> child_seed(0, 1) == child_seed(0, 1), child_seed(0, 1) == child_seed(0, 2)
    (True, False)
    >>> 0 <= child_seed(7, 3, 4) < 2**63
    True
    """
    state = np.random.SeedSequence([seed, *path]).generate_state(1, dtype=np.uint64)[0]
    return int(state) % (2**63)


def child_rng(seed: int, *path: int) -> np.random.Generator:
    """A generator for the stream named ``path`` under ``seed``.

    Examples
    --------
    >>> float(child_rng(0, 1).random()) == float(child_rng(0, 1).random())
    True
    """
    return np.random.default_rng(np.random.SeedSequence([seed, *path]))
