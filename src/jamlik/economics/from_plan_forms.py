"""The form of "make a scenario from a plan": what the plan and the library cannot give.

The fields are made per draft (:class:`jamlik.economics.from_plan.PlanDraft`): one
baseline risk per outcome (never prefilled, see :mod:`from_plan`), participants for each
intervention the plan gives none, the horizon, the years of delivery, the discount rate
with its source, and optional programme-cost lines.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik.core import number_fields
from jamlik.economics.forms import PERCENT, _estimate
from jamlik.economics.from_plan import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_DISCOUNT_RATE_SOURCE,
    PlanDraft,
)
from jamlik.economics.inputs import MAX_HORIZON_YEARS, ProgrammeCostKind
from jamlik.economics.labels import COST_KIND_LABELS, PAYER_LABELS


def baseline_field(key: str) -> str:
    return f"baseline_{key}"


def unit_cost_field(key: str) -> str:
    return f"unit_cost_{key}"


def unit_cost_source_field(key: str) -> str:
    return f"unit_cost_source_{key}"


def participants_field(plan_intervention: int) -> str:
    return f"participants_{plan_intervention}"


class FromPlanForm(forms.Form):
    name = forms.CharField(label=_("Scenario name"), max_length=200)
    horizon_years = number_fields.IntegerField(
        label=_("Horizon (years)"), min_value=1, max_value=MAX_HORIZON_YEARS, initial=10
    )
    delivery_years = number_fields.IntegerField(
        label=_("Years the interventions are delivered"),
        min_value=1,
        max_value=MAX_HORIZON_YEARS,
        initial=5,
    )
    discount_rate = number_fields.FloatField(
        label=_("Discount rate, real (%)"),
        min_value=0,
        max_value=50,
        initial=round(100 * DEFAULT_DISCOUNT_RATE, 6),
    )
    discount_rate_source = forms.CharField(
        label=_("Source of the discount rate"), max_length=300, initial=DEFAULT_DISCOUNT_RATE_SOURCE
    )
    published = forms.BooleanField(label=_("Published (visible to everyone)"), required=False)

    def __init__(self, *args: Any, draft: PlanDraft, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.draft = draft
        for outcome in draft.outcomes:
            hint = ""
            if outcome.published_baseline is not None:
                hint = _("Published Swedish figure: %(value)s percent (%(source)s).") % {
                    "value": f"{100 * outcome.published_baseline:g}",
                    "source": outcome.baseline_source,
                }
            valued = outcome.unit_cost is not None
            if not valued:
                self.fields[unit_cost_field(outcome.key)] = number_fields.FloatField(
                    label=_("Cost per case and year (SEK): %(name)s")
                    % {"name": outcome.name(lang)},
                    min_value=0,
                    required=False,
                    help_text=_(
                        "The unit-cost table has no value for this outcome (%(why)s). Enter one "
                        "and its source, or leave it empty to leave the effects on it out."
                    )
                    % {"why": outcome.problem},
                )
                self.fields[unit_cost_source_field(outcome.key)] = forms.CharField(
                    label=_("Source of the cost: %(name)s") % {"name": outcome.name(lang)},
                    max_length=300,
                    required=False,
                )
            self.fields[baseline_field(outcome.key)] = number_fields.FloatField(
                label=_("Baseline risk in the target group (%%): %(name)s")
                % {"name": outcome.name(lang)},
                min_value=0,
                max_value=100,
                required=valued,
                help_text=hint
                or _(
                    "The share of the participants who would have the outcome without the "
                    "intervention, for your kommun's target group."
                ),
            )
        for costed in draft.needs_participants():
            self.fields[participants_field(costed.chosen.id)] = number_fields.FloatField(
                label=_("Participants per year: %(name)s") % {"name": costed.chosen.name},
                min_value=0,
                help_text=_("The plan gives no number of participants for this intervention."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        horizon, delivery = data.get("horizon_years"), data.get("delivery_years")
        if horizon is not None and delivery is not None and delivery > horizon:
            self.add_error("delivery_years", _("Must not be longer than the horizon."))
        for outcome in self.draft.outcomes:
            if outcome.unit_cost is not None:
                continue
            amount = data.get(unit_cost_field(outcome.key))
            if amount is None:
                continue
            if not (data.get(unit_cost_source_field(outcome.key)) or "").strip():
                self.add_error(
                    unit_cost_source_field(outcome.key), _("Name the source of the cost.")
                )
            if data.get(baseline_field(outcome.key)) is None and not self.has_error(
                baseline_field(outcome.key)
            ):
                self.add_error(
                    baseline_field(outcome.key), _("Enter the baseline risk of a valued outcome.")
                )
        return data

    def outcome_fields(self) -> list[forms.BoundField]:
        fields = []
        for o in self.draft.outcomes:
            if o.unit_cost is None:
                fields += [self[unit_cost_field(o.key)], self[unit_cost_source_field(o.key)]]
            fields.append(self[baseline_field(o.key)])
        return fields

    def participant_fields(self) -> list[forms.BoundField]:
        return [self[participants_field(c.chosen.id)] for c in self.draft.needs_participants()]

    def answers(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "horizon_years": d["horizon_years"],
            "delivery_years": d["delivery_years"],
            "discount_rate": d["discount_rate"] / PERCENT,
            "discount_rate_source": d["discount_rate_source"],
            "baseline_risks": {
                o.key: d[baseline_field(o.key)] / PERCENT
                for o in self.draft.outcomes
                if d.get(baseline_field(o.key)) is not None
            },
            "unit_costs": {
                o.key: (d[unit_cost_field(o.key)], d[unit_cost_source_field(o.key)].strip())
                for o in self.draft.outcomes
                if o.unit_cost is None and d.get(unit_cost_field(o.key)) is not None
            },
            "participants": {
                c.chosen.id: d[participants_field(c.chosen.id)]
                for c in self.draft.needs_participants()
            },
        }


class ProgrammeCostForm(forms.Form):
    label = forms.CharField(label=_("Cost item"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of cost"),
        initial=ProgrammeCostKind.STRUCTURE.value,
        choices=[(kind.value, label) for kind, label in COST_KIND_LABELS.items()],
    )
    payer = forms.ChoiceField(
        label=_("Paid by"),
        initial="kommun",
        choices=[(payer.value, label) for payer, label in PAYER_LABELS.items()],
    )
    amount = number_fields.FloatField(label=_("Amount per year (SEK)"), min_value=0)
    first_year = number_fields.IntegerField(label=_("First year"), min_value=1, initial=1)
    last_year = number_fields.IntegerField(label=_("Last year"), min_value=1)
    price_year = number_fields.IntegerField(label=_("Price year"), min_value=1900, max_value=2200)


ProgrammeCostFormSet = forms.formset_factory(
    ProgrammeCostForm, extra=2, can_delete=False, max_num=20
)


def programme_cost_dicts(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """Filled programme-cost rows in the stored form (see :mod:`serialization`)."""
    return [
        {
            "label": row["label"],
            "payer": row["payer"],
            "amount_per_year": _estimate(row, "amount"),
            "first_year": row["first_year"],
            "last_year": row["last_year"],
            "price_year": row["price_year"],
            "kind": row["kind"],
        }
        for row in (f.cleaned_data for f in formset.forms if f.has_changed())
        if row
    ]
