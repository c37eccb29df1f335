"""The uncertain inputs of a scenario as a flat, named list.

The engine in :mod:`jamlik.economics.model` evaluates a scenario for many
values of these parameters at once (one row per draw). The tornado and the
Monte Carlo analysis both build such rows from this one list, so they can never
disagree about what is uncertain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from jamlik.economics.discounting import FloatArray
from jamlik.economics.inputs import (
    MAX_DECAY,
    MAX_PUBLIC_FUNDS_FACTOR,
    MIN_PUBLIC_FUNDS_FACTOR,
    Distribution,
    EffectMeasure,
    Estimate,
    Scenario,
)

#: Identifier of the marginal cost of public funds among the parameters.
PUBLIC_FUNDS_FACTOR = "public_funds_factor"

#: Two-sided 95 % normal quantile: a normal estimate's sd is (high - low) / (2 * Z95).
Z95 = 1.959963984540054

ParameterValues = Mapping[str, FloatArray]


@dataclass(frozen=True)
class Parameter:
    """One input of the model: its identifier, a readable label, its estimate
    and the bounds a drawn value is clipped to."""

    id: str
    label: str
    estimate: Estimate
    minimum: float | None = None
    maximum: float | None = None


def participants_id(i: int) -> str:
    """Identifier of intervention ``i``'s participants per year."""
    return f"intervention:{i}:participants"


def effect_id(i: int, outcome_key: str, part: str) -> str:
    """Identifier of intervention ``i``'s effect on an outcome: ``part`` is size or decay."""
    return f"intervention:{i}:effect:{outcome_key}:{part}"


def cost_id(i: int, j: int) -> str:
    """Identifier of the amount of intervention ``i``'s ``j``-th cost line."""
    return f"intervention:{i}:cost:{j}:amount"


def programme_cost_id(j: int) -> str:
    """Identifier of the amount of the ``j``-th programme cost line."""
    return f"programme:cost:{j}:amount"


def scenario_parameters(scenario: Scenario) -> tuple[Parameter, ...]:
    """Every numeric input of ``scenario`` in a fixed order.

    Identifiers are per intervention (index ``i`` in ``scenario.interventions``):
    ``intervention:<i>:participants``, ``intervention:<i>:effect:<outcome>:size``
    and ``:decay``, ``intervention:<i>:cost:<j>:amount``; programme costs are
    ``programme:cost:<j>:amount``.

    The order is: the discount rate, every intervention's participants, the
    outcomes, every intervention's effects, every intervention's costs, the
    programme costs, and last the public funds factor. Draws are taken in this
    order, so a one-intervention scenario draws exactly as it did before
    scenarios could hold several, and adding the factor leaves every other
    input's draws for a given seed as they were.
    """
    ivs = scenario.interventions
    several = len(ivs) > 1

    def named(label: str, i: int) -> str:
        return f"{label} ({ivs[i].name})" if several else label

    params: list[Parameter] = [
        Parameter("discount_rate", "Discount rate", scenario.discount_rate, 0.0, None)
    ]
    for i, iv in enumerate(ivs):
        params.append(
            Parameter(
                participants_id(i),
                named("Participants per year", i),
                iv.participants_per_year,
                0.0,
                None,
            )
        )
    for outcome in scenario.outcomes:
        params.append(
            Parameter(
                f"outcome:{outcome.key}:baseline_risk",
                f"Baseline risk – {outcome.name}",
                outcome.baseline_risk,
                0.0,
                1.0,
            )
        )
        params.append(
            Parameter(
                f"outcome:{outcome.key}:unit_cost",
                f"Cost per case and year – {outcome.name}",
                outcome.unit_cost,
                0.0,
                None,
            )
        )
    for i, iv in enumerate(ivs):
        for effect in iv.effects:
            name = scenario.outcome(effect.outcome_key).name
            upper = 1.0 if effect.measure is EffectMeasure.RELATIVE_RISK_REDUCTION else None
            params.append(
                Parameter(
                    effect_id(i, effect.outcome_key, "size"),
                    named(f"Effect – {name}", i),
                    effect.size,
                    None,
                    upper,
                )
            )
            params.append(
                Parameter(
                    effect_id(i, effect.outcome_key, "decay"),
                    named(f"Effect decay per year – {name}", i),
                    effect.decay_per_year,
                    0.0,
                    MAX_DECAY,
                )
            )
    for i, iv in enumerate(ivs):
        for j, line in enumerate(iv.costs):
            params.append(
                Parameter(
                    cost_id(i, j), named(f"Cost – {line.label}", i), line.amount_per_year, 0.0, None
                )
            )
    for j, line in enumerate(scenario.programme_costs):
        params.append(
            Parameter(
                programme_cost_id(j),
                f"Programme cost – {line.label}",
                line.amount_per_year,
                0.0,
                None,
            )
        )
    if scenario.public_funds_factor is not None:
        params.append(
            Parameter(
                PUBLIC_FUNDS_FACTOR,
                "Public funds factor (marginal cost of public funds)",
                scenario.public_funds_factor,
                MIN_PUBLIC_FUNDS_FACTOR,
                MAX_PUBLIC_FUNDS_FACTOR,
            )
        )
    return tuple(params)


def central_values(params: tuple[Parameter, ...], rows: int = 1) -> dict[str, FloatArray]:
    """Every parameter at its central value, repeated ``rows`` times."""
    return {p.id: np.full(rows, float(p.estimate.central)) for p in params}


def draw(
    params: tuple[Parameter, ...], rows: int, rng: np.random.Generator
) -> dict[str, FloatArray]:
    """Draw ``rows`` values of each parameter from its distribution.

    Triangular estimates use (low, central, high); normal estimates use the
    central value and the sd implied by a 95 % interval low..high, then are
    clipped to the parameter's domain (a relative risk reduction above 1 or a
    negative cost has no meaning). Parameters are drawn in a fixed order, so a
    seed gives the same draws every time.
    """
    values: dict[str, FloatArray] = {}
    for p in params:
        est = p.estimate
        if not est.is_uncertain:
            values[p.id] = np.full(rows, float(est.central))
            continue
        if est.distribution is Distribution.NORMAL:
            sd = (est.hi - est.lo) / (2.0 * Z95)
            sample = rng.normal(float(est.central), sd, rows)
        else:
            sample = rng.triangular(est.lo, float(est.central), est.hi, rows)
        if p.minimum is not None or p.maximum is not None:
            sample = np.clip(sample, p.minimum, p.maximum)
        values[p.id] = sample.astype(np.float64)
    return values
