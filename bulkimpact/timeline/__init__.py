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
Every day is assessed by the analysis's one :class:`~bulkimpact.assessor.Assessor`
restricted to the datasets held (:meth:`~bulkimpact.assessor.Assessor.assess`):
a combination's level depends only on its members and the links among them,
never on which other datasets are held, so levels, the exposure sets that only
restrict and minimal escalation's blocks are shared by all days (the
assessor's docstring lists each saving); along a run of days minimal
escalation starts from the last optimum (:class:`~bulkimpact.assessor.WarmStart`),
and the runs of days are assessed on threads (HiGHS solves outside Python's lock).

The result equals a fresh :func:`~bulkimpact.analysis.load_analysis` of the
inventory as held that day (:func:`held_inventory`); the tests check it. The
MILP dominates the cost on dense graphs (``benchmarks/bench_timeline.py``,
figures in ``benchmarks/README.md``).
"""


from .retention import (
    RETENTION_RULE,
    Change,
    Retention,
    held_inventory,
    parse_change,
    retention_of,
)
from .steps import (
    TIMELINE_METRICS,
    TIMELINE_UNITS,
    Timeline,
    TimelineStep,
    WhatIf,
    heaviest_linker,
    retention_timeline,
    what_if,
)

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

