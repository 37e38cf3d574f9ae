"""Decision-rule parameters: one typed model, defaults defined once, checked at the boundary.

Every entry point (``assess``, notebooks, sweeps, robustness) passes its
parameters through :func:`policy_params`, which refuses unknown names (with a
suggestion), NaN, infinities, negative rates and sizes, and returns a frozen
:class:`PolicyParams`. Internals trust it. Each policy takes only the
parameters it names in its signature (:func:`params_for`).
"""

from __future__ import annotations

import difflib
import inspect
import math
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "PolicyParams",
    "ParameterError",
    "policy_params",
    "params_for",
    "DEFAULT_INCLUDE",
    "DEFAULT_OPENNESS",
    "DEFAULT_HORIZON_YEARS",
    "READINGS",
]

#: Exposure sets judged by default: every link, every investigation, and every connected
#: combination of up to ``max_set_size`` datasets heavier than its linked parts (so a chain
#: A–B–C whose union is heavier than every pair is judged).
DEFAULT_INCLUDE: tuple[str, ...] = ("edge", "investigation", "chain")

#: The openness reading used when none is named.
DEFAULT_OPENNESS = "ctivd"

#: The horizon when neither the parameter nor the inventory gives one: art. 27 Wiv 2017's term
#: for assessing relevance (one and a half years).
DEFAULT_HORIZON_YEARS = 1.5

#: The openness readings the headline compares: the ministers' (services') reading first,
#: then the CTIVD's with purchased data counted public and not.
READINGS: tuple[str, ...] = ("services", "ctivd", "ctivd_no_purchased")


#: Names users reach for (the command line's flags) and the parameter they mean.
ALIASES = {"threshold": "t", "time-limit": "time_limit", "use-rate": "use_rate",
           "horizon": "horizon_years", "max-set-size": "max_set_size", "radius": "k"}


class ParameterError(ValueError):
    """A parameter is invalid: names it, the value, and what is allowed."""


class PolicyParams(BaseModel):
    """Parameters of the decision rules and of how burden is counted.

    Examples
    --------
    >>> PolicyParams().k, PolicyParams().max_set_size
    (1, 3)
    >>> PolicyParams(t=0.5).t
    0.5
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    k: int = Field(default=1, ge=0, strict=True,
                   description="radius of the k_hop rule and of k_hop exposure sets")
    t: float = Field(default=0.01, ge=0,
                     description="minimum link strength the threshold rule counts")
    time_limit: float = Field(default=60.0, gt=0,
                              description="seconds the minimal_escalation solver may use")
    use_rate: float = Field(
        default=0.1, ge=0,
        description="uses per year of a possible combination outside any investigation "
                    "(assumption)")
    horizon_years: float | None = Field(
        default=None, gt=0,
        description="years over which yearly costs count against one-off costs (default: "
                    "the inventory's mean planned retention, else 1.5: the art. 27 term)")
    dataset_use_rate: float = Field(
        default=12.0, ge=0,
        description="uses per year of a dataset that states none (assumption)")
    compliance: float = Field(
        default=1.0, ge=0, le=1,
        description="share of combination uses authorised before they happen under the "
                    "use-based rule (assumption)")
    max_set_size: int = Field(
        default=3, ge=2, strict=True,
        description="largest connected combination judged as an exposure set")
    max_sets: int = Field(
        default=1_000_000, ge=1, strict=True,
        description="refuse to examine more connected combinations than this")

    def to_json(self) -> dict[str, Any]:
        """The parameters as plain JSON values."""
        return self.model_dump()


def _explain(error: dict[str, Any], model: type[BaseModel]) -> str:
    name = ".".join(str(p) for p in error["loc"]) or "parameters"
    if error["type"] == "extra_forbidden":
        close = ([ALIASES[name]] if name in ALIASES
                 else difflib.get_close_matches(name, list(model.model_fields), n=1))
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return (f"unknown parameter {name!r}{hint}; allowed: "
                f"{sorted(model.model_fields)}")
    info = model.model_fields.get(name)
    what = f" ({info.description})" if info is not None and info.description else ""
    value = error.get("input")
    if isinstance(value, float) and not math.isfinite(value):
        return f"parameter {name!r}{what}: must be a finite number, got {value!r}"
    return f"parameter {name!r}{what}: {error['msg'].lower()}, got {value!r}"


def policy_params(params: Mapping[str, Any] | PolicyParams | None = None,
                  **overrides: Any) -> PolicyParams:
    """Validate decision-rule parameters over the defaults.

    Raises
    ------
    ParameterError
        One line per problem, naming the parameter, what it is for, what is
        allowed and the value given.

    Examples
    --------
    >>> policy_params({"k": 2}).k
    2
    >>> policy_params({"t": float("nan")})
    Traceback (most recent call last):
    ...
    bulkimpact.parameters.ParameterError: parameter 't' (minimum link strength the threshold rule counts): must be a finite number, got nan
    >>> policy_params({"threshold": 1})
    Traceback (most recent call last):
    ...
    bulkimpact.parameters.ParameterError: unknown parameter 'threshold' (did you mean 't'?); allowed: ['compliance', 'dataset_use_rate', 'horizon_years', 'k', 'max_set_size', 'max_sets', 't', 'time_limit', 'use_rate']
    """  # noqa: E501
    if isinstance(params, PolicyParams):
        base = params.model_dump()
    else:
        base = dict(params or {})
    base.update(overrides)
    # Whole numbers given as floats (YAML "2.0", argparse) are integers; 2.5 is refused.
    for name in ("k", "max_set_size", "max_sets"):
        value = base.get(name)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            base[name] = int(value)
    try:
        return PolicyParams(**base)
    except ValidationError as exc:
        raise ParameterError("\n".join(_explain(e, PolicyParams) for e in exc.errors())) from None


def params_for(policy: Callable[..., Any], params: PolicyParams) -> dict[str, Any]:
    """The parameters a policy names in its signature, and only those.

    Examples
    --------
    >>> def k_rule(G, sets, rulebook, k=1): ...
    >>> params_for(k_rule, PolicyParams(k=3))
    {'k': 3}
    """
    names = inspect.signature(policy).parameters
    return {name: value for name, value in params.model_dump().items() if name in names}
