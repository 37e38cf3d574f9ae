"""A scenario panel for analysts: change the inputs, watch the headline table and frontier move.

In JupyterLab (``make lab``; ipywidgets comes with the ``lab`` extra) pick the
inventory, the openness reading and the decision rules' parameters (``k``,
``t``, ``use_rate``, ``horizon_years``, ``max_set_size``), switch datasets off
(destroyed) or on again, and the headline table
(:meth:`~bulkimpact.analysis.Analysis.headline_frame` formatted with
:func:`~bulkimpact.present.tables.policy_table`) and the frontier of the chosen
reading (:func:`~bulkimpact.present.rule_plots.frontier_by_reading`) follow, within
a second on the bundled baseline. In a notebook (``notebooks/scenario_panel.py``)::

    from bulkimpact.analysis import load_analysis
    from bulkimpact.present.panel import scenario_panel

    scenario_panel(load_analysis(None))   # None: the bundled baseline

Switching a dataset off rebuilds the analysis on the inventory without it:
its known overlaps go, investigations lose it, and an investigation left with
fewer than two datasets is dropped (:func:`without_datasets`). Results are
memoised per scenario, so switching back is immediate. The widgets are a thin
layer over :meth:`ScenarioPanel.update`, which runs without a browser:

>>> from bulkimpact.analysis import load_analysis
>>> panel = scenario_panel(load_analysis("data/synthetic/baseline.yaml", openness="services"))
>>> start = panel.analysis
>>> sorted(panel.update(off={"telecom-subscribers", "passenger-records"}, k=2).scenario.off)
['passenger-records', 'telecom-subscribers']
>>> len(panel.analysis.inventory.datasets), panel.analysis.params.k
(43, 2)
>>> "minimal escalation" in panel.table.value, panel.figure.value.startswith("<figure")
(True, True)
>>> panel.update(off=(), k=1).analysis is start   # memoised: switching back is immediate
True
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd

from ..analysis import HEADLINE_METRICS, Analysis
from ..inventory import Inventory, load_inventory
from ..parameters import ParameterError, policy_params
from ..registry import PANEL
from ..resources import bundled_inventories, display_name
from . import figures, rule_findings, rule_plots, tables
from .i18n import rule_name

__all__ = ["Scenario", "ScenarioPanel", "TABLE_METRICS", "scenario_panel", "without_datasets"]

#: The columns of the headline table the panel shows per reading (as the overview does).
TABLE_METRICS = list(PANEL)
#: The rule parameters the panel offers, in the order shown.
PARAMETERS = ("k", "t", "use_rate", "horizon_years", "max_set_size")
_MEMO_SIZE = 64
_SCREEN_DPI = 90


@dataclass(frozen=True)
class Scenario:
    """What the panel shows: an inventory, a reading, datasets switched off, rule parameters."""

    inventory: str
    openness: str
    off: frozenset[str] = frozenset()
    k: int = 1
    t: float = 0.01
    use_rate: float = 0.1
    horizon_years: float = 1.0
    max_set_size: int = 3

    @classmethod
    def of(cls, analysis: Analysis) -> Scenario:
        """The scenario `analysis` was computed for (nothing switched off)."""
        return cls(str(analysis.inventory_path), analysis.openness,
                   **{name: getattr(analysis.assessor.params, name) for name in PARAMETERS})


def without_datasets(inventory: Inventory, off: Iterable[str]) -> Inventory:
    """`inventory` with the datasets `off` destroyed.

    Their known overlaps go with them; investigations lose them, and one left
    with fewer than two datasets is dropped.

    Raises
    ------
    ParameterError
        If `off` names a dataset the inventory does not hold, or every dataset.

    Examples
    --------
    >>> from bulkimpact.inventory import load_inventory
    >>> inv = load_inventory("data/synthetic/baseline.yaml")
    >>> smaller = without_datasets(inv, ["passenger-records", "hotel-registrations",
    ...                                  "ferry-bookings"])
    >>> len(inv.investigations) - len(smaller.investigations)   # inv-travel-pattern: 1 left
    1
    >>> without_datasets(inv, ["no-such-set"])
    Traceback (most recent call last):
    ...
    bulkimpact.parameters.ParameterError: cannot switch off 'no-such-set': not a dataset of ...
    """
    off = set(off)
    ids = [d.id for d in inventory.datasets]
    unknown = sorted(off - set(ids))
    if unknown:
        raise ParameterError(f"cannot switch off {', '.join(map(repr, unknown))}: not a dataset "
                             f"of {inventory.title!r}")
    if not off:
        return inventory
    kept = {i for i in ids if i not in off}
    if not kept:
        raise ParameterError("every dataset is switched off: switch at least one on")
    datasets = [
        d if all(o.with_ in kept for o in d.overlaps)
        else d.model_copy(update={"overlaps": [o for o in d.overlaps if o.with_ in kept]})
        for d in inventory.datasets if d.id in kept]
    investigations = []
    for inv in inventory.investigations:
        members = [m for m in inv.datasets if m in kept]
        if len(members) == len(inv.datasets):
            investigations.append(inv)
        elif len(members) >= 2:
            investigations.append(inv.model_copy(update={"datasets": members}))
    return inventory.model_copy(update={"datasets": datasets, "investigations": investigations})


def headline_html(analysis: Analysis, metrics: Sequence[str] = TABLE_METRICS) -> str:
    """The headline table as HTML: every rule under the headline readings, and under the
    analysis's own reading when it is not one of them."""
    frame = analysis.headline_frame()
    if analysis.openness not in frame.columns.get_level_values(0):
        own = analysis.evaluation.to_frame()[list(HEADLINE_METRICS)]
        frame = pd.concat([frame, pd.concat({analysis.openness: own}, axis=1)], axis=1)
    return tables.policy_table(frame, list(metrics)).to_html()


#: Characters per line of the panel figure's title: it fits the figure's default width.
TITLE_WIDTH = 62


def frontier_figure(analysis: Analysis) -> Any:
    """The frontier of the analysis's own reading, titled with the rules' and readings'
    names as the reports write them ("authorisation per use", not ``use_based``)."""
    ev = analysis.evaluation
    title = rule_findings.readings_frontier_title(ev, analysis.openness)
    return rule_plots.frontier_by_reading({analysis.openness: ev.to_frame()},
                                     {analysis.openness: ev.pareto},
                                     textwrap.fill(title, TITLE_WIDTH))


def frontier_html(analysis: Analysis) -> str:
    """The frontier of the analysis's own reading, as an HTML figure with alt text."""
    ev = analysis.evaluation
    alt = ("Scatter plot: total burden in cost units (x) against under-protected exposure "
           "sets (y), one marker per decision rule; frontier "
           f"{', '.join(rule_name(p) for p in ev.pareto)}. "
           + "; ".join(f"{rule_name(p)} burden {o.total_burden:,.1f}, {o.under_protected} "
                       "under-protected" for p, o in ev.outcomes.items()) + ".")
    return _figure_html(frontier_figure(analysis), alt)


def _figure_html(fig: Any, alt: str) -> str:
    """Like :func:`~bulkimpact.present.figures.figure_html`, drawn for the screen: a lower
    resolution and light compression take a third off the time and half the bytes sent to
    the browser (reports keep ``figure_html``). Saved with its tight bounding box, so the
    title and the legend below the axes are never cut off."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(figures.STYLE):
        fig.savefig(buffer, format="png", dpi=_SCREEN_DPI, bbox_inches="tight",
                    pad_inches=0.1, metadata={"Software": None},
                    pil_kwargs={"compress_level": 1})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    title = fig._suptitle.get_text() if fig._suptitle is not None else ""
    alt = f"{' '.join(title.split())}. {alt}" if title else alt
    return (f'<figure class="bulkimpact-figure" style="margin:0.5em 0"><img style="max-width:100%" '
            f'alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}"/></figure>')


class ScenarioPanel:
    """The widgets, the current :class:`Scenario` and its :class:`Analysis`.

    Attributes
    ----------
    scenario : Scenario
    analysis : Analysis
        The analysis of :attr:`scenario`.
    seconds : float
        Wall time of the last update (computation and drawing).
    widget : ipywidgets.VBox
        The panel; a notebook displays the panel itself as this widget.
    table, figure, status : ipywidgets.HTML
        The headline table, the frontier and the status line.
    """

    def __init__(self, analysis: Analysis,
                 inventories: Sequence[str | Path] | None = None) -> None:
        import ipywidgets as w

        self._w = w
        self.base = analysis
        self.scenario = Scenario.of(analysis)
        self.analysis = analysis
        self.seconds = 0.0
        # Scenario -> (analysis, table HTML, figure HTML); the start is drawn by _render.
        self._memo: OrderedDict[Scenario, tuple[Analysis, str, str]] = OrderedDict()
        # Linkage graphs and exposure sets by what they depend on (see _reuse).
        self._parts: OrderedDict[tuple, Any] = OrderedDict()
        self._inventories: dict[str, Inventory] = {self.scenario.inventory: analysis.inventory}
        self._syncing = False
        options, seen = [], set()
        for path in [self.scenario.inventory, *(
                inventories if inventories is not None else bundled_inventories())]:
            if Path(path).resolve() not in seen:
                seen.add(Path(path).resolve())
                options.append(str(path))
        self.inventory = w.Dropdown(
            options=[(display_name(p), p) for p in options], value=self.scenario.inventory,
            description="Inventory", layout=w.Layout(width="34em"),
            style={"description_width": "7em"})
        self.openness = w.Dropdown(
            options=[(f"{name}: {v.label}", name)
                     for name, v in analysis.rulebook.openness_variants.items()],
            value=self.scenario.openness, description="Reading",
            layout=w.Layout(width="34em"), style={"description_width": "7em"})
        slider = {"continuous_update": False, "style": {"description_width": "7em"},
                  "layout": w.Layout(width="26em")}
        self.params = {
            "k": w.IntSlider(value=self.scenario.k, min=0, max=4, description="k (hops)",
                             **slider),
            "t": w.FloatSlider(value=self.scenario.t, min=0.0, max=0.5, step=0.005,
                               readout_format=".3f", description="t (strength)", **slider),
            "use_rate": w.FloatLogSlider(value=max(self.scenario.use_rate, 1e-3), base=10,
                                         min=-3, max=1, step=0.1, readout_format=".3g",
                                         description="use_rate /yr", **slider),
            "horizon_years": w.FloatSlider(value=self.scenario.horizon_years, min=0.5, max=10,
                                           step=0.5, description="horizon (yr)", **slider),
            "max_set_size": w.IntSlider(value=self.scenario.max_set_size, min=2, max=4,
                                        description="max set size", **slider),
        }
        self.datasets = w.GridBox(layout=w.Layout(
            grid_template_columns="repeat(3, minmax(14em, 1fr))", max_height="16em",
            overflow="auto", border="1px solid #ddd", padding="2px"))
        self.all_on = w.Button(description="all datasets on", icon="undo",
                               layout=w.Layout(width="12em"))
        self.status = w.HTML()
        self.table = w.HTML()
        self.figure = w.HTML()
        self._checkboxes: dict[str, Any] = {}
        self._fill_datasets(analysis.inventory)
        for control in (self.inventory, self.openness, *self.params.values()):
            control.observe(self._changed, names="value")
        self.all_on.on_click(lambda _: self.update(off=frozenset()))
        self.widget = w.VBox([
            w.HTML("<b>Scenario</b>: the inventory, the openness reading and the rules' "
                   "parameters; untick a dataset to destroy it."),
            w.HBox([w.VBox([self.inventory, self.openness]),
                    w.VBox(list(self.params.values()))]),
            w.HBox([w.HTML("<b>Datasets held</b>"), self.all_on]), self.datasets,
            self.status, self.table, self.figure])
        self._render()

    # --- widgets -> scenario ---------------------------------------------------------

    def _fill_datasets(self, inventory: Inventory) -> None:
        w = self._w
        self._checkboxes = {
            d.id: w.Checkbox(value=d.id not in self.scenario.off, description=d.id,
                             indent=False, tooltip=d.name, layout=w.Layout(width="auto"))
            for d in inventory.datasets}
        for box in self._checkboxes.values():
            box.observe(self._changed, names="value")
        self.datasets.children = list(self._checkboxes.values())

    def _changed(self, _change: dict) -> None:
        if self._syncing:
            return
        if self.inventory.value != self.scenario.inventory:
            self.update(inventory=self.inventory.value, off=frozenset())
            return
        self.update(openness=self.openness.value,
                    off=frozenset(i for i, box in self._checkboxes.items() if not box.value),
                    **{name: control.value for name, control in self.params.items()})

    def _sync_widgets(self) -> None:
        self._syncing = True
        try:
            s = self.scenario
            self.inventory.value = s.inventory
            self.openness.value = s.openness
            for name, control in self.params.items():
                control.value = getattr(s, name)
            if set(self._checkboxes) != {d.id for d in self._load(s.inventory).datasets}:
                self._fill_datasets(self._load(s.inventory))
            for i, box in self._checkboxes.items():
                box.value = i not in s.off
        finally:
            self._syncing = False

    # --- scenario -> results ---------------------------------------------------------

    def _load(self, path: str) -> Inventory:
        if path not in self._inventories:
            self._inventories[path] = load_inventory(path)
        return self._inventories[path]

    def analysis_for(self, scenario: Scenario) -> Analysis:
        """The analysis of `scenario` (the rulebook and rule set of the start).

        Raises
        ------
        ParameterError
            For a parameter out of range or a dataset that does not exist.
        """
        if scenario in self._memo:
            return self._memo[scenario][0]
        if scenario == Scenario.of(self.base):
            return self.base
        base = self.base
        if scenario.openness not in base.rulebook.openness_variants:
            raise ParameterError(f"openness {scenario.openness!r} is not a variant of the "
                                 f"rulebook; allowed: {sorted(base.rulebook.openness_variants)}")
        params = policy_params(base.params, **{n: getattr(scenario, n) for n in PARAMETERS})
        analysis = Analysis(
            inventory_path=scenario.inventory, rulebook_path=base.rulebook_path,
            openness=scenario.openness, seed=base.seed,
            inventory=without_datasets(self._load(scenario.inventory), scenario.off),
            rulebook=base.rulebook, params=params, include=base.include,
            policies=base.policies)
        return analysis

    def _view(self, scenario: Scenario) -> tuple[Analysis, str, str]:
        """The analysis of `scenario` with its table and figure, drawn once per scenario."""
        if scenario not in self._memo:
            analysis = self.analysis_for(scenario)
            self._reuse(analysis, scenario)
            self._memo[scenario] = (analysis, headline_html(analysis), frontier_html(analysis))
            self._keep(analysis, scenario)
            while len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        self._memo.move_to_end(scenario)
        return self._memo[scenario]

    # The linkage graph of a reading depends only on the inventory (and what is switched off),
    # the exposure sets also on k and max_set_size: a change of t, use_rate or horizon_years
    # reuses both, a change of k either. Analysis computes them as cached properties, so
    # a reused one is set on the new analysis before it is asked for.

    @staticmethod
    def _keys(scenario: Scenario, reading: str) -> tuple[tuple, tuple]:
        graph = (scenario.inventory, scenario.off, reading)
        return graph, graph + (scenario.k, scenario.max_set_size)

    def _readings(self, analysis: Analysis) -> dict[str, Analysis]:
        return {**analysis.readings(), analysis.openness: analysis}

    def _reuse(self, analysis: Analysis, scenario: Scenario) -> None:
        for reading, each in self._readings(analysis).items():
            graph, sets = self._keys(scenario, reading)
            if graph in self._parts:
                each.graph = self._parts[graph]
            if sets in self._parts:
                each.sets = self._parts[sets]

    def _keep(self, analysis: Analysis, scenario: Scenario) -> None:
        for reading, each in self._readings(analysis).items():
            graph, sets = self._keys(scenario, reading)
            self._parts[graph], self._parts[sets] = each.graph, each.sets
            self._parts.move_to_end(graph)
            self._parts.move_to_end(sets)
        while len(self._parts) > 4 * _MEMO_SIZE:
            self._parts.popitem(last=False)

    def update(self, **changes: Any) -> ScenarioPanel:
        """Change the scenario (``inventory=``, ``openness=``, ``off=``, ``k=``, ``t=``,
        ``use_rate=``, ``horizon_years=``, ``max_set_size=``) and redraw.

        An invalid change is refused: the status line says why, and the panel
        keeps showing the last valid scenario. Returns the panel.
        """
        if "off" in changes:
            changes["off"] = frozenset(changes["off"])
        if "inventory" in changes:
            changes["inventory"] = str(changes["inventory"])
        start = time.perf_counter()
        try:
            scenario = replace(self.scenario, **changes)
            analysis, table, figure = self._view(scenario)
        except (ParameterError, ValueError, OSError) as exc:
            self._sync_widgets()
            self.status.value = (f'<span style="color:#b00020">Not applied: '
                                 f"{html.escape(str(exc))}</span>")
            return self
        self.scenario, self.analysis = scenario, analysis
        self.table.value, self.figure.value = table, figure
        self.seconds = time.perf_counter() - start
        self._sync_widgets()
        self._status()
        return self

    def _render(self) -> None:
        start = time.perf_counter()
        _, self.table.value, self.figure.value = self._view(self.scenario)
        self.seconds = time.perf_counter() - start
        self._status()

    def _status(self) -> None:
        s, held = self.scenario, len(self.analysis.inventory.datasets)
        off = f", {len(s.off)} switched off" if s.off else ""
        self.status.value = (
            f"{held} datasets held{off}; {len(self.analysis.inventory.investigations)} "
            f"investigations; reading <code>{html.escape(s.openness)}</code>; "
            + ", ".join(f"{n} = {getattr(s, n):g}" for n in PARAMETERS)
            + f" &middot; updated in {self.seconds:.2f} s")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def scenario_panel(analysis: Analysis,
                   inventories: Sequence[str | Path] | None = None) -> ScenarioPanel:
    """A :class:`ScenarioPanel` starting from `analysis`; display it in a notebook.

    Parameters
    ----------
    analysis : Analysis
        The starting point: its inventory, reading, parameters, rulebook and rules.
    inventories : sequence of path-like, optional
        Inventories to offer besides the starting one; default the bundled ones.
    """
    return ScenarioPanel(analysis, inventories)
