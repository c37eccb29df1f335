"""Demo scenarios: Norrtälje (0188) and Botkyrka (0127), marked as invented.

Deterministic and idempotent: the same two rows are created or updated every run.
"""

from __future__ import annotations

from collections.abc import Callable

from jamlik.economics.examples import botkyrka_example, norrtalje_example
from jamlik.economics.models import Scenario
from jamlik.economics.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED
from jamlik.economics.serialization import scenario_to_dict
from jamlik.geo.models import Area

DEMO_SCENARIOS = (("0188", norrtalje_example), ("0127", botkyrka_example))


def seed(progress: Callable[[str], None]) -> None:
    for code, factory in DEMO_SCENARIOS:
        area = Area.objects.get(code=code)
        model = factory()
        progress(f"scenario {area.name}")
        if Scenario.objects.filter(area=area, name=model.name, is_demo=False).exists():
            continue  # the name is taken by a user's scenario, which is left alone
        Scenario.objects.update_or_create(
            area=area,
            name=model.name,
            is_demo=True,
            defaults={
                "inputs": scenario_to_dict(model),
                "published": True,
                "is_demo": True,
                "draws": DEFAULT_DRAWS,
                "seed": DEFAULT_SEED,
            },
        )
