"""Helpers for the economics page tests: saved scenarios and editor POST data."""

from __future__ import annotations

from typing import Any

from jamlik.economics.examples import norrtalje_example
from jamlik.economics.forms import initial_from_inputs
from jamlik.economics.models import Scenario
from jamlik.economics.serialization import scenario_to_dict
from jamlik.geo.models import Area


def saved_scenario(code: str, *, published: bool, name: str | None = None) -> Scenario:
    data = scenario_to_dict(norrtalje_example())
    if name:
        data["name"] = name
    return Scenario.objects.create(
        area=Area.objects.get(code=code),
        name=data["name"],
        inputs=data,
        published=published,
        draws=500,
    )


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def editor_post(data: dict[str, Any] | None = None, **overrides: Any) -> dict[str, str]:
    """POST data for the editor that reproduces ``data`` (default: the Norrtälje example)."""
    data = data or scenario_to_dict(norrtalje_example())
    rows = initial_from_inputs(data, published=False, draws=500, seed=1)
    post: dict[str, str] = {k: _flat(v) for k, v in rows.main.items() if v not in (False, None)}
    sets = [
        ("interventions", rows.interventions, 1, 20),
        ("outcomes", rows.outcomes, 1, 30),
        ("effects", rows.effects, 0, 100),
        ("costs", rows.costs, 0, 60),
    ]
    for prefix, items, least, most in sets:
        post[f"{prefix}-TOTAL_FORMS"] = str(len(items))
        post[f"{prefix}-INITIAL_FORMS"] = "0"
        post[f"{prefix}-MIN_NUM_FORMS"] = str(least)
        post[f"{prefix}-MAX_NUM_FORMS"] = str(most)
        for i, row in enumerate(items):
            post |= {f"{prefix}-{i}-{k}": _flat(v) for k, v in row.items()}
    post |= {k: _flat(v) for k, v in overrides.items()}
    return post
