"""``bulkimpact exchange LOG [--window DAYS] [--provided-only] [--rulebook PATH] [--json]``.

Registered in :data:`bulkimpact.cli.COMMANDS`; :func:`configure` adds the
arguments when the command is chosen. Exit status as every command
(:data:`bulkimpact.cli.EXIT_STATUS`): 0 ok, 2 an invalid log, rulebook or
option (every problem located by file, item or row, and field), 130
interrupted; 1 is not used.
"""

from __future__ import annotations

import argparse
import sys

from .assess import ExchangeAssessment, _iso, assess_exchange
from .log import load_exchange_log

__all__ = ["MAX_WINDOW_DAYS", "configure", "render_text"]

#: The longest ``--window``: a century of days (a longer one would pass the last date).
MAX_WINDOW_DAYS = 36_500

def render_text(assessment: ExchangeAssessment) -> str:
    """The plain-text result ``bulkimpact exchange`` prints (without ``--json``)."""
    a, rb = assessment, assessment.rulebook
    names = rb.level_names()
    window = f"{a.window}-day window" if a.window else "whole partnership"
    fictional = " [fictional data]" if a.log.fictional and "fictional" not in \
        a.log.title.lower() else ""
    view = ("provided only" if a.provided_only
            else "data received from the partners counted with data provided")
    lines = [f"{a.log.title}{fictional}: "
             f"{len(a.exchanged())} exchanges with {len(a.timelines)} partners ({view}); "
             f"rulebook {rb.title!r}; {window}",
             f"heavier safeguard = above level {a.threshold} ({names[a.threshold]}); persons "
             f"are expected distinct persons in a population of {a.log.population.size:,}; "
             f"two exchanges link when they share at least "
             f"{rb.linkage.min_expected_links:g} expected person(s)", ""]
    header = (f"{'partner':<32} {'prov.':>5} {'own max':>8} {'cumul. max':>10} "
              f"{'crossing':>10} {'raised':>6} {'persons':>10}")
    lines += [header, "-" * len(header)]
    for partner in a.timelines:
        r = a._partner_record(partner)
        lines.append(f"{partner[:32]:<32} {r['provisions']:>5} {r['own_level_max']:>8} "
                     f"{r['cumulative_level_max']:>10} {r['crossing_date'] or 'never':>10} "
                     f"{r['provisions_raised']:>6} {r['expected_distinct_persons']:>10,.0f}")
    lines += ["", "under a heavier safeguard:"]
    for o in (a.verdict.per_provision, a.verdict.structural):
        lines.append(f"  {o.approach:<14} {o.provisions} provisions, {o.partners} partners, "
                     f"{o.persons:,.0f} expected distinct persons, from "
                     f"{_iso(o.first) or 'never'}")
    lines += ["", "sensitivity to the window:"]
    for v in a.sensitivity:
        label = f"{v.window} days" if v.window else "whole partnership"
        lines.append(f"  {label:<18} {v.partners_crossing} "
                     f"{'partner crosses' if v.partners_crossing == 1 else 'partners cross'} "
                     "(first "
                     f"{_iso(v.first_crossing) or 'never'}); structural: "
                     f"{v.structural.provisions} provisions heavier, {v.provisions_raised} "
                     "raised above their own level")
    if a.other_verdict is not None:
        other = "with received data" if a.provided_only else "provided only"
        lines += ["", f"{other}: {a.other_verdict.partners_crossing} of "
                  f"{len(a.other_timelines)} partners cross (first "
                  f"{_iso(a.other_verdict.first_crossing) or 'never'})"]
    if a.findings:
        lines += ["", "findings:"] + [f"  {f['kind']}: {f['message']}" for f in a.findings]
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_OK, print_json
    from ..resources import BUNDLED_RULEBOOK, resolve_input
    from ..rulebook import load_rulebook

    rulebook = load_rulebook(resolve_input(args.rulebook, BUNDLED_RULEBOOK))
    log = load_exchange_log(args.log, rulebook)
    for note in log.input_notes:  # how a CSV table was read (encoding, separator)
        print(f"bulkimpact: note: {note}", file=sys.stderr)
    assessment = assess_exchange(log, rulebook, window=args.window,
                                 provided_only=args.provided_only)
    if args.json:
        print_json(assessment.to_json())
    else:
        print(render_text(assessment))
    return EXIT_OK


def configure(p: argparse.ArgumentParser) -> None:
    """Arguments of ``bulkimpact exchange LOG [--window DAYS] [--provided-only] [--rulebook PATH]
    [--json]``."""
    from ..cli import add_json, add_rulebook, examples, whole_number

    p.description = ("Structural exchange with private partners: per partner, the cumulative "
                     "level of what was exchanged (provided under art. 62 Wiv 2017 and "
                     "received under art. 39, linked where they are expected to share "
                     "persons) over a rolling window, the crossing date at which a linked "
                     "group first weighs heavier than each of its provisions on its own, "
                     "findings on mislabelled provisions, and per provision against structural "
                     "assessment (provisions, partners and expected distinct persons under "
                     "a heavier safeguard, and from when) for windows of 30, 90 and 365 days "
                     "and the whole partnership. Exit status 2 for an invalid log or "
                     "rulebook; 1 is not used.")
    p.add_argument("log", metavar="LOG", help="exchange log, YAML or CSV")
    p.add_argument("--window", type=whole_number("days", maximum=MAX_WINDOW_DAYS), default=None,
                   metavar="DAYS",
                   help=f"rolling window in days, at most {MAX_WINDOW_DAYS} (a century; "
                        "default: the whole partnership)")
    p.add_argument("--provided-only", action="store_true",
                   help="count only what the service provided (art. 62); by default data "
                        "received from a partner (art. 39) count too. The JSON gives both "
                        "views per partner either way")
    add_rulebook(p)
    add_json(p, "the JSON record (a stable contract)")
    p.epilog = examples("bulkimpact exchange data/synthetic/exchange/exchange_log.yaml",
                        "bulkimpact exchange data/synthetic/exchange/exchange_log.yaml "
                        "--window 90 --json")
    p.set_defaults(handler=_run)
