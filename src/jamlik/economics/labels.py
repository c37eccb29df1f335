"""Translated names of the model's enums, shared by forms, pages and exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from jamlik.economics.inputs import EffectMeasure, Payer, ProgrammeCostKind

# A message context keeps these apart from other apps' "State" (e.g. a status field).
PAYER_LABELS = {
    Payer.KOMMUN: pgettext_lazy("payer", "Municipality"),
    Payer.REGION: pgettext_lazy("payer", "Region"),
    Payer.STAT: pgettext_lazy("payer", "State"),
    Payer.OTHER: pgettext_lazy("payer", "Individual and others"),
}

MEASURE_LABELS = {
    EffectMeasure.RELATIVE_RISK_REDUCTION: gettext_lazy("relative risk reduction"),
    EffectMeasure.LOGIT_EFFECT_SIZE: gettext_lazy("effect size (Cox logit d)"),
}

COST_KIND_LABELS = {
    ProgrammeCostKind.STRUCTURE: gettext_lazy(
        "Structure (coordination, steering, data and analysis)"
    ),
    ProgrammeCostKind.SYSTEMATIC: gettext_lazy("Systematic quality work (mapping, follow-up)"),
}
