"""Scenario <-> plain JSON-ready dictionaries.

Saved scenarios, the API and the XLSX export all use this one format, so a
scenario typed in the editor, posted to the API or read back from the database
is validated by the same rules. Parsing errors name the path of the bad field
(e.g. ``outcomes[1].unit_cost.low``).

``public_funds_factor`` (an estimate, or ``null`` when not applied) and
``public_funds_factor_source`` were added later within format 1: scenarios
stored before them have neither key and load as "not applied".

Several interventions and programme costs came later still, within format 1:
``interventions`` is a list (each may record the ``registry_key`` of the
registry intervention and the ``plan_intervention`` id of the plan's choice it
was made from) and ``programme_costs`` a list of cost lines with a ``kind``
(structure or systematic). Rows stored before hold one ``intervention`` object
and no programme costs; they load as a one-item list. :func:`scenario_to_dict`
always writes the new form.

The pure model does not carry ``registry_key``/``plan_intervention`` (they are
links, not inputs); :func:`scenario_to_dict` takes them as ``links`` and
:func:`intervention_links` reads them back from a stored dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from jamlik.economics.inputs import (
    CostLine,
    Distribution,
    Effect,
    EffectMeasure,
    Estimate,
    Intervention,
    Outcome,
    Payer,
    ProgrammeCostKind,
    Scenario,
)
from jamlik.economics.price_index import PriceIndex
from jamlik.economics.validation import fail

T = TypeVar("T")

FORMAT_VERSION = 1


def estimate_to_dict(est: Estimate) -> dict[str, Any]:
    return {
        "central": est.central,
        "low": est.lo,
        "high": est.hi,
        "distribution": est.distribution.value,
    }


#: Keys of an intervention's links to the registry and the plan (not model inputs).
LINK_KEYS = ("registry_key", "plan_intervention")


def cost_to_dict(c: CostLine) -> dict[str, Any]:
    out: dict[str, Any] = {
        "label": c.label,
        "payer": c.payer.value,
        "amount_per_year": estimate_to_dict(c.amount_per_year),
        "first_year": c.first_year,
        "last_year": c.last_year,
        "price_year": c.price_year,
    }
    if c.kind is not None:
        out["kind"] = c.kind.value
    return out


def intervention_to_dict(iv: Intervention, link: Mapping[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": iv.name,
        "participants_per_year": estimate_to_dict(iv.participants_per_year),
        "ramp_up_years": iv.ramp_up_years,
        "delivery_years": iv.delivery_years,
        "costs": [cost_to_dict(c) for c in iv.costs],
        "effects": [
            {
                "outcome_key": e.outcome_key,
                "measure": e.measure.value,
                "size": estimate_to_dict(e.size),
                "decay_per_year": estimate_to_dict(e.decay_per_year),
                "source": e.source,
            }
            for e in iv.effects
        ],
    }
    for key in LINK_KEYS:
        if link and link.get(key) is not None:
            out[key] = link[key]
    return out


def scenario_to_dict(
    s: Scenario, links: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """A JSON-ready dictionary holding every input of ``s``.

    ``links`` gives, per intervention in order, its optional ``registry_key``
    and ``plan_intervention`` (see :func:`intervention_links`).
    """
    links = links or []
    return {
        "format": FORMAT_VERSION,
        "name": s.name,
        "price_year": s.price_year,
        "horizon_years": s.horizon_years,
        "discount_rate": estimate_to_dict(s.discount_rate),
        "discount_rate_source": s.discount_rate_source,
        "public_funds_factor": None
        if s.public_funds_factor is None
        else estimate_to_dict(s.public_funds_factor),
        "public_funds_factor_source": s.public_funds_factor_source,
        "illustrative": s.illustrative,
        "notes": s.notes,
        "price_index": None
        if s.price_index is None
        else {
            "name": s.price_index.name,
            "source": s.price_index.source,
            "values": {str(y): v for y, v in sorted(s.price_index.values.items())},
        },
        "outcomes": [
            {
                "key": o.key,
                "name": o.name,
                "baseline_risk": estimate_to_dict(o.baseline_risk),
                "unit_cost": estimate_to_dict(o.unit_cost),
                "price_year": o.price_year,
                "payer_shares": {p.value: share for p, share in o.payer_shares.items()},
                "duration_years": o.duration_years,
                "lag_years": o.lag_years,
                "source": o.source,
            }
            for o in s.outcomes
        ],
        "interventions": [
            intervention_to_dict(iv, links[i] if i < len(links) else None)
            for i, iv in enumerate(s.interventions)
        ],
        "programme_costs": [cost_to_dict(c) for c in s.programme_costs],
    }


def raw_interventions(data: Mapping[str, Any]) -> list[Any]:
    """The stored interventions, reading an old single ``intervention`` as a one-item list."""
    if isinstance(data, Mapping) and "interventions" not in data and "intervention" in data:
        return [data["intervention"]]
    return _list(data, "interventions", "")


def intervention_links(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per stored intervention: its ``registry_key`` and ``plan_intervention`` (or None)."""
    out = []
    for i, raw in enumerate(raw_interventions(data)):
        if not isinstance(raw, Mapping):
            raise fail(f"interventions[{i}]", "must be an object", raw)
        link: dict[str, Any] = {}
        key = raw.get("registry_key")
        if key is not None and not isinstance(key, str):
            raise fail(f"interventions[{i}].registry_key", "must be text", key)
        plan_iv = raw.get("plan_intervention")
        if plan_iv is not None and (isinstance(plan_iv, bool) or not isinstance(plan_iv, int)):
            raise fail(f"interventions[{i}].plan_intervention", "must be a whole number", plan_iv)
        link["registry_key"] = key or None
        link["plan_intervention"] = plan_iv
        out.append(link)
    return out


def _get(data: Mapping[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise fail(path, "must be an object", data)
    if key not in data:
        raise fail(f"{path}.{key}".lstrip("."), "is required", None)
    return data[key]


def _number(data: Mapping[str, Any], key: str, path: str) -> float:
    value = _get(data, key, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(f"{path}.{key}".lstrip("."), "must be a number", value)
    return float(value)


def _integer(data: Mapping[str, Any], key: str, path: str) -> int:
    value = _get(data, key, path)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise fail(f"{path}.{key}".lstrip("."), "must be a whole number", value)
    return value


def _text(data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
    if default is not None and key not in data:
        return default
    value = _get(data, key, path)
    if not isinstance(value, str):
        raise fail(f"{path}.{key}".lstrip("."), "must be text", value)
    return value


def _enum(data: Mapping[str, Any], key: str, path: str, enum: type[Any]) -> Any:
    value = _get(data, key, path)
    try:
        return enum(value)
    except ValueError:
        choices = [m.value for m in enum]
        raise fail(f"{path}.{key}".lstrip("."), f"must be one of {choices}", value) from None


def _estimate(data: Mapping[str, Any], key: str, path: str) -> Estimate:
    raw = _get(data, key, path)
    here = f"{path}.{key}".lstrip(".")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Estimate(float(raw))
    central = _number(raw, "central", here)
    low = _number(raw, "low", here) if raw.get("low") is not None else central
    high = _number(raw, "high", here) if raw.get("high") is not None else central
    dist = _enum(raw, "distribution", here, Distribution) if "distribution" in raw else None
    return Estimate(central, low, high, dist or Distribution.TRIANGULAR)


def _list(data: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = _get(data, key, path)
    if not isinstance(value, list):
        raise fail(f"{path}.{key}".lstrip("."), "must be a list", value)
    return value


def _shares(raw: Any, path: str) -> dict[Payer, float]:
    if not isinstance(raw, Mapping):
        raise fail(path, "must be an object of payer: share", raw)
    shares: dict[Payer, float] = {}
    for name, value in raw.items():
        try:
            payer = Payer(name)
        except ValueError:
            raise fail(path, f"payers must be among {[p.value for p in Payer]}", name) from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f"{path}.{name}", "must be a number", value)
        shares[payer] = float(value)
    return shares


def _each(data: Mapping[str, Any], key: str, path: str, parse: Callable[[Any, str], T]) -> list[T]:
    """Parse every entry of the list ``data[key]``, naming each by its place (``costs[2]``)."""
    where = f"{path}.{key}".lstrip(".")
    return [parse(raw, f"{where}[{i}]") for i, raw in enumerate(_list(data, key, path))]


def _outcome(raw: Any, p: str) -> Outcome:
    return Outcome(
        key=_text(raw, "key", p),
        name=_text(raw, "name", p),
        baseline_risk=_estimate(raw, "baseline_risk", p),
        unit_cost=_estimate(raw, "unit_cost", p),
        price_year=_integer(raw, "price_year", p),
        payer_shares=_shares(_get(raw, "payer_shares", p), f"{p}.payer_shares"),
        duration_years=_integer(raw, "duration_years", p),
        lag_years=_integer(raw, "lag_years", p),
        source=_text(raw, "source", p, ""),
    )


def _cost(raw: Any, p: str) -> CostLine:
    return CostLine(
        label=_text(raw, "label", p),
        payer=_enum(raw, "payer", p, Payer),
        amount_per_year=_estimate(raw, "amount_per_year", p),
        first_year=_integer(raw, "first_year", p),
        last_year=_integer(raw, "last_year", p),
        price_year=_integer(raw, "price_year", p),
    )


def _programme_cost(raw: Any, p: str) -> CostLine:
    line = _cost(raw, p)
    kind = _enum(raw, "kind", p, ProgrammeCostKind)
    return CostLine(
        line.label,
        line.payer,
        line.amount_per_year,
        line.first_year,
        line.last_year,
        line.price_year,
        kind,
    )


def _intervention(raw: Any, p: str) -> Intervention:
    return Intervention(
        name=_text(raw, "name", p),
        participants_per_year=_estimate(raw, "participants_per_year", p),
        ramp_up_years=_integer(raw, "ramp_up_years", p),
        delivery_years=_integer(raw, "delivery_years", p),
        costs=tuple(_each(raw, "costs", p, _cost)),
        effects=tuple(_each(raw, "effects", p, _effect)),
    )


def _effect(raw: Any, p: str) -> Effect:
    return Effect(
        outcome_key=_text(raw, "outcome_key", p),
        measure=_enum(raw, "measure", p, EffectMeasure),
        size=_estimate(raw, "size", p),
        decay_per_year=_estimate(raw, "decay_per_year", p)
        if "decay_per_year" in raw
        else Estimate(0.0),
        source=_text(raw, "source", p, ""),
    )


def scenario_from_dict(data: Mapping[str, Any]) -> Scenario:
    """Parse and validate a scenario; raises ``ValueError`` naming the bad field."""
    outcomes = _each(data, "outcomes", "", _outcome)
    if "interventions" in data or "intervention" not in data:
        interventions = _each(data, "interventions", "", _intervention)
    else:  # stored before scenarios held several: one object
        interventions = [_intervention(_get(data, "intervention", ""), "intervention")]
    programme = (
        _each(data, "programme_costs", "", _programme_cost) if "programme_costs" in data else []
    )
    index_raw = data.get("price_index")
    price_index = None
    if index_raw is not None:
        values_raw = _get(index_raw, "values", "price_index")
        if not isinstance(values_raw, Mapping):
            raise fail("price_index.values", "must be an object of year: level", values_raw)
        values: dict[int, float] = {}
        for year, level in values_raw.items():
            try:
                values[int(year)] = float(level)
            except (TypeError, ValueError):
                raise fail(f"price_index.values[{year}]", "must be a number", level) from None
        price_index = PriceIndex(
            name=_text(index_raw, "name", "price_index"),
            source=_text(index_raw, "source", "price_index"),
            values=values,
        )
    factor = (
        _estimate(data, "public_funds_factor", "")
        if data.get("public_funds_factor") is not None
        else None
    )
    return Scenario(
        name=_text(data, "name", ""),
        price_year=_integer(data, "price_year", ""),
        horizon_years=_integer(data, "horizon_years", ""),
        discount_rate=_estimate(data, "discount_rate", ""),
        discount_rate_source=_text(data, "discount_rate_source", ""),
        outcomes=tuple(outcomes),
        interventions=tuple(interventions),
        programme_costs=tuple(programme),
        price_index=price_index,
        illustrative=bool(data.get("illustrative", False)),
        notes=_text(data, "notes", "", ""),
        public_funds_factor=factor,
        public_funds_factor_source=_text(data, "public_funds_factor_source", "", ""),
    )
