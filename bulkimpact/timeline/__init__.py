"""Retention timeline: which bulk datasets are held on each day, and what that adds up to.

A dataset is held from the day it was acquired until the day it ends, and the
held set changes only on those days. On each such day the cumulative
assessment (exposure sets, every decision rule, distinct persons) is made on
the datasets held then; a *what-if* moves end days (destroy a dataset, refuse
an extension) and compares the result with the baseline from then on.

The retention rule (the model's reading, not a statement about practice)
------------------------------------------------------------------------
A dataset is held on day ``t`` when ``acquired <= t < ends``, with ``ends``:

- the ``destroyed`` date, when the inventory gives one (on that day it is gone);
- otherwise the *term in force*: the last of its ``extensions`` when it has
  any, else its ``relevance_deadline``;
- no end at all when neither is recorded (held to the end of the timeline;
  the record says so), and a dataset without ``acquired`` is held from the
  first day of the timeline.

This reads art. 27 Wiv 2017 as the project's design notes summarise it: the
relevance of data acquired with special powers is to be assessed within a
term (the ``relevance_deadline``), failing which the data are destroyed. The
extensions stand for the Tijdelijke wet, which, in the words of seed 000,
created "de mogelijkheid gecreëerd tot het vaststellen van een nieuwe
eindtermijn voor een bulkdataset" (the possibility of setting a new end term
for a bulk dataset): each extension is one such new end term. A
``destroyed`` date after the term in force is kept (the dataset is held until
then) and reported as days held past the term. Seed 000 also records that the
CTIVD's complaints department ordered the services to destroy ("het
vernietigen van") five bulk datasets in 2022; the dates in the bundled
inventories are invented and say nothing about those or any real datasets.

Why it is fast
--------------
A combination's level depends only on its members and the links among them,
never on which other datasets are held, and links are pairwise. So the
linkage graph and the exposure sets that only restrict (links, chains,
connected subsets) are built once for the whole inventory, and on each day
kept when every member is held (one sparse product). Investigations (their
held parts), k-hop and component sets, and the rules that depend on the held
set (component, k_hop, threshold, minimal_escalation's MILP) are computed on
the held subgraph, with savings that change no figure:

- group levels are memoised across days (a group's level does not depend on
  what else is held), and a group holding a link whose pair is at the
  rulebook's top level is at the top level without scoring;
- the rules are judged on the raised sets only (no other set can be
  under-protected, authorised or a cover row);
- minimal escalation's criteria add up over datasets and do not change from
  day to day, so its blocks are cached by content and the last optimum is
  kept when it provably stays optimal (``_HeldAssessor._minimal_escalation``);
- the days are assessed on threads, each a contiguous run of days
  (HiGHS solves outside Python's lock).

The result equals a fresh :func:`~bulkimpact.analysis.load_analysis` of the
inventory as held that day (:func:`held_inventory`); the tests check it. The
MILP dominates the cost on dense graphs (``benchmarks/bench_timeline.py``,
figures in ``benchmarks/README.md``).
"""


from .held import TIMELINE_METRICS, TIMELINE_UNITS, held_inventory
from .retention import RETENTION_RULE, Change, Retention, parse_change, retention_of
from .steps import Timeline, TimelineStep, WhatIf, heaviest_linker, retention_timeline, what_if

__all__ = [
    "Retention",
    "retention_of",
    "Change",
    "parse_change",
    "held_inventory",
    "TimelineStep",
    "Timeline",
    "retention_timeline",
    "WhatIf",
    "what_if",
    "heaviest_linker",
    "TIMELINE_UNITS",
    "TIMELINE_METRICS",
    "RETENTION_RULE",
]

