"""Demo: two invented demo plans shared as examples (exchange of experience, issue 18).

Botkyrka's plan is shared with the county board and its partners, every part; Norrtälje's
with all counties, its summary and results only, so the demo shows both audiences and a
plan whose steps and interventions stay private. Runs after the prevention demo, which
makes the plans; running it again first makes every demo plan private.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from jamlik.prevention.models import Plan, SharedPart, Sharing

# kommun code, sharing, parts, days ago it was shared
SHARED = [
    ("0127", Sharing.COUNTY, [p.value for p in SharedPart], 40),
    ("0188", Sharing.ALL, [SharedPart.SUMMARY.value, SharedPart.RESULTS.value], 12),
]


def seed(progress: Callable[[str], None]) -> None:
    progress("prevention: shared demo plans")
    demo = Plan.objects.filter(is_demo=True)
    demo.update(sharing=Sharing.PRIVATE, shared_parts=[], shared_at=None)
    now = timezone.now()
    for code, sharing, parts, days in SHARED:
        plan = demo.filter(municipality__code=code).order_by("pk").first()
        if plan is None:
            progress(f"prevention: no demo plan for {code}; nothing shared")
            continue
        # Straight to the rows: the demo has no editor to act for; the version rises like
        # any other save, so a form opened before it is stopped.
        Plan.objects.filter(pk=plan.pk).update(
            sharing=sharing,
            shared_parts=parts,
            shared_at=now - timedelta(days=days),
            version=F("version") + 1,
        )
