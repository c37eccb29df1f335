"""The scenario editor: a main form and four formsets (interventions, outcomes,
effects, costs).

A scenario holds several interventions; each effect row names an intervention and
an outcome (by name), and each cost row belongs to an intervention or is a
programme cost of kind structure or systematic quality work. The forms only
collect numbers; :func:`build_inputs` turns them into the scenario dictionary
that the pure model validates, so the editor and the API obey exactly the same
rules. Percentages in the form become shares in the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jamlik.core import number_fields
from jamlik.core.number_fields import NumberInputError, read_number
from jamlik.core.version_forms import VersionedForm
from jamlik.economics.inputs import (
    MAX_HORIZON_YEARS,
    MAX_PUBLIC_FUNDS_FACTOR,
    MIN_PUBLIC_FUNDS_FACTOR,
    Distribution,
    EffectMeasure,
    Payer,
)
from jamlik.economics.labels import COST_KIND_LABELS, PAYER_LABELS
from jamlik.economics.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS
from jamlik.economics.price_index import as_lines, scb_kpi
from jamlik.economics.serialization import raw_interventions

PERCENT = 100.0


def _num(
    label: Any, *, required: bool = True, help_text: Any = "", **kwargs: Any
) -> number_fields.FloatField:
    return number_fields.FloatField(label=label, required=required, help_text=help_text, **kwargs)


def _year(label: Any, **kwargs: Any) -> number_fields.IntegerField:
    return number_fields.IntegerField(label=label, min_value=1900, max_value=2200, **kwargs)


class ScenarioForm(VersionedForm, forms.Form):
    name = forms.CharField(label=_("Scenario name"), max_length=200)
    published = forms.BooleanField(label=_("Published (visible to everyone)"), required=False)
    price_year = _year(_("Price year"), help_text=_("All amounts are shown in this year's prices."))
    horizon_years = number_fields.IntegerField(
        label=_("Horizon (years)"), min_value=1, max_value=MAX_HORIZON_YEARS
    )
    discount_rate = _num(
        _("Discount rate, real (%)"),
        help_text=_(
            "You choose the rate and name its source below. Swedish authorities mostly use "
            "3–4 percent real (Lilieqvist, Uppsala University, 2010)."
        ),
    )
    discount_rate_low = _num(_("Discount rate, low (%)"), required=False)
    discount_rate_high = _num(_("Discount rate, high (%)"), required=False)
    discount_rate_source = forms.CharField(label=_("Source of the discount rate"), max_length=300)
    # Optional and never defaulted: the user enters and cites the value (see inputs.Scenario).
    public_funds_factor = _num(
        _("Public funds factor"),
        required=False,
        min_value=MIN_PUBLIC_FUNDS_FACTOR,
        max_value=MAX_PUBLIC_FUNDS_FACTOR,
        help_text=_(
            "Optional; leave empty to not apply it. You choose the value and name its source, "
            "e.g. the tax factor (skattefaktor) 1.3 in Trafikverket's ASEK, or WSIPP's "
            "deadweight cost of taxation of 50 percent (factor 1.5, varied 1.0–2.0)."
        ),
    )
    public_funds_factor_low = _num(
        _("Public funds factor, low"),
        required=False,
        min_value=MIN_PUBLIC_FUNDS_FACTOR,
        max_value=MAX_PUBLIC_FUNDS_FACTOR,
    )
    public_funds_factor_high = _num(
        _("Public funds factor, high"),
        required=False,
        min_value=MIN_PUBLIC_FUNDS_FACTOR,
        max_value=MAX_PUBLIC_FUNDS_FACTOR,
    )
    public_funds_factor_source = forms.CharField(
        label=_("Source of the public funds factor"), required=False, max_length=300
    )
    price_index_name = forms.CharField(label=_("Price index name"), required=False, max_length=200)
    price_index_source = forms.CharField(
        label=_("Price index source"), required=False, max_length=300
    )
    price_index_values = forms.CharField(
        label=_("Price index values"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Used when some amounts are in another price year. One year per line: "
            "year;level. New scenarios start with SCB's KPI annual averages (1980=100); "
            "add later years as SCB publishes them, or replace the series and its source."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    draws = number_fields.IntegerField(
        label=_("Monte Carlo draws"), min_value=100, max_value=MAX_DRAWS, initial=DEFAULT_DRAWS
    )
    seed = number_fields.IntegerField(label=_("Random seed"), min_value=0, initial=DEFAULT_SEED)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        factor = data.get("public_funds_factor")
        source = (data.get("public_funds_factor_source") or "").strip()
        has_range = any(
            data.get(f"public_funds_factor_{end}") is not None for end in ("low", "high")
        )
        if factor is None and "public_funds_factor" not in self.errors:
            if has_range:
                self.add_error(
                    "public_funds_factor",
                    _("Enter a central value, or leave the low and high values empty too."),
                )
            elif source:
                self.add_error(
                    "public_funds_factor", _("Enter the factor, or leave its source empty.")
                )
        elif factor is not None and not source:
            self.add_error(
                "public_funds_factor_source",
                _("Name the source of the factor (for example ASEK or WSIPP)."),
            )
        return data

    def clean_price_index_values(self) -> dict[str, float]:
        text = self.cleaned_data.get("price_index_values") or ""
        values: dict[str, float] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.replace("\t", ";").split(";")
            try:
                year = int(read_number(parts[0], whole=True))
                level = float(read_number(parts[1]))
            except (IndexError, NumberInputError):
                raise forms.ValidationError(
                    _("Line %(line)s: expected year;level, got %(text)s"),
                    params={"line": number, "text": line},
                ) from None
            values[str(year)] = level
        return values


class OutcomeForm(forms.Form):
    name = forms.CharField(label=_("Outcome"), max_length=200)
    baseline_risk = _num(_("Baseline risk per participant (%)"), min_value=0, max_value=100)
    baseline_risk_low = _num(_("Baseline risk, low (%)"), required=False)
    baseline_risk_high = _num(_("Baseline risk, high (%)"), required=False)
    unit_cost = _num(_("Cost per case and year (SEK)"), min_value=0)
    unit_cost_low = _num(_("Cost per case and year, low"), required=False)
    unit_cost_high = _num(_("Cost per case and year, high"), required=False)
    price_year = _year(_("Price year of the cost"))
    share_kommun = _num(_("Share paid by the municipality (%)"), initial=0)
    share_region = _num(_("Share paid by the region (%)"), initial=0)
    share_stat = _num(_("Share paid by the state (%)"), initial=0)
    share_other = _num(_("Share paid by the individual and others (%)"), initial=0)
    duration_years = number_fields.IntegerField(
        label=_("Duration of a case (years)"), min_value=1, max_value=MAX_HORIZON_YEARS, initial=1
    )
    lag_years = number_fields.IntegerField(
        label=_("Years from participation to the outcome"),
        min_value=0,
        max_value=MAX_HORIZON_YEARS,
        initial=0,
    )
    source = forms.CharField(label=_("Source of the figures"), max_length=500)


class InterventionForm(forms.Form):
    name = forms.CharField(label=_("Intervention"), max_length=200)
    participants = _num(_("Participants per year (full scale)"), min_value=0)
    participants_low = _num(_("Participants, low"), required=False, min_value=0)
    participants_high = _num(_("Participants, high"), required=False, min_value=0)
    ramp_up_years = number_fields.IntegerField(
        label=_("Ramp-up (years to full reach)"),
        min_value=1,
        max_value=MAX_HORIZON_YEARS,
        initial=1,
    )
    delivery_years = number_fields.IntegerField(
        label=_("Years the intervention is delivered"), min_value=1, max_value=MAX_HORIZON_YEARS
    )
    # Links kept through an edit: the registry intervention and the plan's choice.
    registry_key = forms.SlugField(required=False, widget=forms.HiddenInput)
    plan_intervention = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class EffectForm(forms.Form):
    intervention = forms.CharField(
        label=_("Intervention"),
        max_length=200,
        help_text=_("The name of one of the interventions above."),
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=200, help_text=_("The name of one of the outcomes above.")
    )
    # An initial value for every select keeps an untouched blank row "unchanged"
    # (browsers always submit a select's first option).
    measure = forms.ChoiceField(
        label=_("Effect measure"),
        initial=EffectMeasure.RELATIVE_RISK_REDUCTION.value,
        choices=[
            (
                EffectMeasure.RELATIVE_RISK_REDUCTION.value,
                _("Relative risk reduction (0.2 = 20 percent fewer cases)"),
            ),
            (
                EffectMeasure.LOGIT_EFFECT_SIZE.value,
                _("Effect size, Cox logit d (positive = fewer cases)"),
            ),
        ],
    )
    effect = _num(_("Effect"))
    effect_low = _num(_("Effect, low (lower 95-percent limit)"), required=False)
    effect_high = _num(_("Effect, high (upper 95-percent limit)"), required=False)
    decay = _num(_("Effect decay per year (%)"), min_value=0, max_value=99, initial=0)
    decay_low = _num(_("Decay, low (%)"), required=False)
    decay_high = _num(_("Decay, high (%)"), required=False)
    source = forms.CharField(label=_("Source of the effect"), max_length=500, required=False)


#: A cost row's kind: an intervention's own cost, or a programme cost of a kind.
INTERVENTION_COST = "intervention"


class CostForm(forms.Form):
    label = forms.CharField(label=_("Cost item"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of cost"),
        initial=INTERVENTION_COST,
        choices=[
            (INTERVENTION_COST, _("Cost of an intervention")),
            *[(kind.value, label) for kind, label in COST_KIND_LABELS.items()],
        ],
        help_text=_(
            "Programme costs hold the work together (structure) or follow it up "
            "(systematic quality work) and belong to no single intervention."
        ),
    )
    belongs_to = forms.CharField(
        label=_("Intervention"),
        max_length=200,
        required=False,
        help_text=_(
            "For an intervention's cost: its name (may be left empty with one intervention)."
        ),
    )
    payer = forms.ChoiceField(
        label=_("Paid by"),
        initial=Payer.KOMMUN.value,
        choices=[(payer.value, label) for payer, label in PAYER_LABELS.items()],
    )
    amount = _num(_("Amount per year (SEK)"), min_value=0)
    amount_low = _num(_("Amount, low"), required=False)
    amount_high = _num(_("Amount, high"), required=False)
    first_year = number_fields.IntegerField(label=_("First year"), min_value=1, initial=1)
    last_year = number_fields.IntegerField(label=_("Last year"), min_value=1)
    price_year = _year(_("Price year"))


InterventionFormSet = forms.formset_factory(
    InterventionForm, extra=1, can_delete=True, min_num=1, validate_min=True, max_num=20
)
OutcomeFormSet = forms.formset_factory(
    OutcomeForm, extra=1, can_delete=True, min_num=1, validate_min=True, max_num=30
)
EffectFormSet = forms.formset_factory(EffectForm, extra=1, can_delete=True, max_num=100)
CostFormSet = forms.formset_factory(CostForm, extra=1, can_delete=True, max_num=60)


@dataclass
class EditorForms:
    """The editor's main form and formsets, validated together."""

    form: ScenarioForm
    interventions: forms.BaseFormSet
    outcomes: forms.BaseFormSet
    effects: forms.BaseFormSet
    costs: forms.BaseFormSet

    @classmethod
    def bind(cls, data: Any, version: int | None) -> EditorForms:
        return cls(
            ScenarioForm(data, version=version),
            InterventionFormSet(data, prefix="interventions"),
            OutcomeFormSet(data, prefix="outcomes"),
            EffectFormSet(data, prefix="effects"),
            CostFormSet(data, prefix="costs"),
        )

    @classmethod
    def initial(cls, rows: EditorRows | None, version: int | None = None) -> EditorForms:
        if rows is None:
            return cls(
                ScenarioForm(initial=new_scenario_initial()),
                InterventionFormSet(prefix="interventions"),
                OutcomeFormSet(prefix="outcomes"),
                EffectFormSet(prefix="effects"),
                CostFormSet(prefix="costs"),
            )
        return cls(
            ScenarioForm(initial=rows.main, version=version),
            InterventionFormSet(initial=rows.interventions, prefix="interventions"),
            OutcomeFormSet(initial=rows.outcomes, prefix="outcomes"),
            EffectFormSet(initial=rows.effects, prefix="effects"),
            CostFormSet(initial=rows.costs, prefix="costs"),
        )

    def is_valid(self) -> bool:
        parts = (self.form, self.interventions, self.outcomes, self.effects, self.costs)
        return all([part.is_valid() for part in parts])  # validate every part, show all errors

    def context(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "interventions": self.interventions,
            "outcomes": self.outcomes,
            "effects": self.effects,
            "costs": self.costs,
        }


@dataclass
class EditorRows:
    """Initial values of the editor's main form and each formset."""

    main: dict[str, Any]
    interventions: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    effects: list[dict[str, Any]]
    costs: list[dict[str, Any]]


def _estimate(
    data: dict[str, Any],
    name: str,
    scale: float = 1.0,
    dist: Distribution = Distribution.TRIANGULAR,
) -> dict[str, Any]:
    central = data[name] / scale
    low = data.get(f"{name}_low")
    high = data.get(f"{name}_high")
    return {
        "central": central,
        "low": central if low is None else low / scale,
        "high": central if high is None else high / scale,
        "distribution": dist.value,
    }


def _rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.has_changed()
    ]


def build_inputs(editor: EditorForms) -> dict[str, Any]:
    """The scenario dictionary (see :mod:`serialization`) from valid forms.

    Raises ``ValueError`` when an effect or cost row names an intervention or
    outcome that is not in the scenario.
    """
    d = editor.form.cleaned_data
    interventions: list[dict[str, Any]] = []
    by_name: dict[str, dict[str, Any]] = {}
    for row in _rows(editor.interventions):
        item: dict[str, Any] = {
            "name": row["name"],
            "participants_per_year": _estimate(row, "participants"),
            "ramp_up_years": row["ramp_up_years"],
            "delivery_years": row["delivery_years"],
            "costs": [],
            "effects": [],
        }
        if row.get("registry_key"):
            item["registry_key"] = row["registry_key"]
        if row.get("plan_intervention"):
            item["plan_intervention"] = row["plan_intervention"]
        interventions.append(item)
        by_name.setdefault(row["name"].strip().casefold(), item)
    outcome_dicts = []
    outcome_keys: dict[str, str] = {}
    used: set[str] = set()
    for i, row in enumerate(_rows(editor.outcomes), start=1):
        key = slugify(row["name"])[:40] or f"outcome-{i}"
        while key in used:
            key = f"{key}-{i}"
        used.add(key)
        outcome_keys.setdefault(row["name"].strip().casefold(), key)
        outcome_dicts.append(
            {
                "key": key,
                "name": row["name"],
                "baseline_risk": _estimate(row, "baseline_risk", PERCENT),
                "unit_cost": _estimate(row, "unit_cost"),
                "price_year": row["price_year"],
                "payer_shares": {
                    p.value: row[f"share_{p.value}"] / PERCENT
                    for p in Payer
                    if row[f"share_{p.value}"]
                },
                "duration_years": row["duration_years"],
                "lag_years": row["lag_years"],
                "source": row["source"],
            }
        )
    iv_names = {k: v["name"] for k, v in by_name.items()}
    outcome_names = {r["name"].strip().casefold(): r["name"] for r in outcome_dicts}
    for n, row in enumerate(_rows(editor.effects), start=1):
        owner = by_name.get(row["intervention"].strip().casefold())
        key = outcome_keys.get(row["outcome"].strip().casefold())
        if owner is None:
            raise ValueError(_unknown(_("Effect"), n, row["intervention"], iv_names))
        if key is None:
            raise ValueError(_unknown(_("Effect"), n, row["outcome"], outcome_names))
        owner["effects"].append(
            {
                "outcome_key": key,
                "measure": row["measure"],
                "size": _estimate(row, "effect", dist=Distribution.NORMAL),
                "decay_per_year": _estimate(row, "decay", PERCENT),
                "source": row.get("source") or "",
            }
        )
    programme = []
    for n, row in enumerate(_rows(editor.costs), start=1):
        line: dict[str, Any] = {
            "label": row["label"],
            "payer": row["payer"],
            "amount_per_year": _estimate(row, "amount"),
            "first_year": row["first_year"],
            "last_year": row["last_year"],
            "price_year": row["price_year"],
        }
        if row["kind"] != INTERVENTION_COST:
            programme.append(line | {"kind": row["kind"]})
            continue
        wanted = (row.get("belongs_to") or "").strip()
        if not wanted and len(interventions) == 1:
            interventions[0]["costs"].append(line)
            continue
        owner = by_name.get(wanted.casefold())
        if owner is None:
            raise ValueError(_unknown(_("Cost"), n, wanted, iv_names))
        owner["costs"].append(line)
    index_values = d.get("price_index_values") or {}
    return {
        "name": d["name"],
        "price_year": d["price_year"],
        "horizon_years": d["horizon_years"],
        "discount_rate": _estimate(d, "discount_rate", PERCENT),
        "discount_rate_source": d["discount_rate_source"],
        "public_funds_factor": None
        if d.get("public_funds_factor") is None
        else _estimate(d, "public_funds_factor"),
        "public_funds_factor_source": d.get("public_funds_factor_source") or "",
        "notes": d.get("notes") or "",
        "illustrative": False,
        "price_index": {
            "name": d.get("price_index_name") or "",
            "source": d.get("price_index_source") or "",
            "values": index_values,
        }
        if index_values or d.get("price_index_name")
        else None,
        "outcomes": outcome_dicts,
        "interventions": interventions,
        "programme_costs": programme,
    }


def _unknown(row_kind: Any, number: int, name: str, known: dict[str, str]) -> str:
    """Message for an effect or cost row naming an intervention or outcome not entered."""
    return _("%(row)s %(n)s names “%(name)s”, which is not among %(known)s.") % {
        "row": row_kind,
        "n": number,
        "name": name,
        "known": ", ".join(f"“{v}”" for v in known.values()) or "–",
    }


def _tidy(value: float) -> float | int:
    """Round away float noise (0.3 * 100) and show whole numbers without decimals."""
    value = round(value, 9)
    return int(value) if float(value).is_integer() else value


def _split(est: dict[str, Any], name: str, scale: float = 1.0) -> dict[str, Any]:
    return {
        name: _tidy(est["central"] * scale),
        f"{name}_low": _tidy(est["low"] * scale),
        f"{name}_high": _tidy(est["high"] * scale),
    }


def _cost_row(c: dict[str, Any], kind: str, belongs_to: str) -> dict[str, Any]:
    return {
        "label": c["label"],
        "kind": kind,
        "belongs_to": belongs_to,
        "payer": c["payer"],
        **_split(c["amount_per_year"], "amount"),
        "first_year": c["first_year"],
        "last_year": c["last_year"],
        "price_year": c["price_year"],
    }


def initial_from_inputs(
    data: dict[str, Any], *, published: bool, draws: int, seed: int
) -> EditorRows:
    """Initial values for the editor from a stored scenario dictionary (old rows with one
    ``intervention`` object too)."""
    stored = raw_interventions(data)
    index = data.get("price_index") or {}
    main: dict[str, Any] = {
        "name": data["name"],
        "published": published,
        "price_year": data["price_year"],
        "horizon_years": data["horizon_years"],
        **_split(data["discount_rate"], "discount_rate", PERCENT),
        "discount_rate_source": data["discount_rate_source"],
        **(
            _split(data["public_funds_factor"], "public_funds_factor")
            if data.get("public_funds_factor")
            else {}
        ),
        "public_funds_factor_source": data.get("public_funds_factor_source", ""),
        "price_index_name": index.get("name", ""),
        "price_index_source": index.get("source", ""),
        "price_index_values": "\n".join(
            f"{y};{number_fields.format_number(v)}" for y, v in (index.get("values") or {}).items()
        ),
        "notes": data.get("notes", ""),
        "draws": draws,
        "seed": seed,
    }
    interventions = [
        {
            "name": iv["name"],
            **_split(iv["participants_per_year"], "participants"),
            "ramp_up_years": iv["ramp_up_years"],
            "delivery_years": iv["delivery_years"],
            "registry_key": iv.get("registry_key") or "",
            "plan_intervention": iv.get("plan_intervention"),
        }
        for iv in stored
    ]
    names = {o["key"]: o["name"] for o in data["outcomes"]}
    outcomes = [
        {
            "name": o["name"],
            **_split(o["baseline_risk"], "baseline_risk", PERCENT),
            **_split(o["unit_cost"], "unit_cost"),
            "price_year": o["price_year"],
            **{
                f"share_{p.value}": _tidy(PERCENT * o["payer_shares"].get(p.value, 0.0))
                for p in Payer
            },
            "duration_years": o["duration_years"],
            "lag_years": o["lag_years"],
            "source": o.get("source", ""),
        }
        for o in data["outcomes"]
    ]
    effects = [
        {
            "intervention": iv["name"],
            "outcome": names.get(e["outcome_key"], e["outcome_key"]),
            "measure": e["measure"],
            **_split(e["size"], "effect"),
            **_split(e["decay_per_year"], "decay", PERCENT),
            "source": e.get("source", ""),
        }
        for iv in stored
        for e in iv["effects"]
    ]
    costs = [_cost_row(c, INTERVENTION_COST, iv["name"]) for iv in stored for c in iv["costs"]]
    costs += [_cost_row(c, c["kind"], "") for c in data.get("programme_costs") or []]
    return EditorRows(main, interventions, outcomes, effects, costs)


def new_scenario_initial() -> dict[str, Any]:
    """A new scenario starts with the shipped KPI series, visible and editable."""
    index = scb_kpi()
    return {
        "price_index_name": index.name,
        "price_index_source": index.source,
        "price_index_values": as_lines(index),
    }
