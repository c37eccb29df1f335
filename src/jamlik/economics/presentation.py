"""Charts and tables for an analysis: one place builds them for pages and PDFs.

Each function returns a ``chart_block`` context (Vega-Lite spec plus the same
numbers as a table) or plain rows, so the results page, the comparison page,
the PDF and the kommun section all show identical figures.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jamlik.core.charts import PALETTE, chart_block
from jamlik.economics.inputs import PAYERS, Effect, Intervention, Payer
from jamlik.economics.labels import COST_KIND_LABELS, MEASURE_LABELS, PAYER_LABELS
from jamlik.economics.parameters import PUBLIC_FUNDS_FACTOR
from jamlik.economics.services import Analysis

MSEK = 1_000_000


def payer_label(payer: Payer) -> str:
    return str(PAYER_LABELS[payer])


def payer_colour_scale() -> dict[str, Any]:
    """The same colour for a payer in every chart, in the fixed payer order."""
    return {"domain": [payer_label(p) for p in PAYERS], "range": PALETTE[: len(PAYERS)]}


def parameter_label(analysis: Analysis, parameter_id: str) -> str:
    """A translated name for a model input (ids come from :mod:`parameters`).

    With several interventions, an intervention's inputs are followed by its name.
    """
    parts = parameter_id.split(":")
    s = analysis.inputs
    if parameter_id == "discount_rate":
        return _("Discount rate")
    if parameter_id == PUBLIC_FUNDS_FACTOR:
        return _("Public funds factor")
    if parts[0] == "outcome":
        name = s.outcome(parts[1]).name
        template = {
            "baseline_risk": _("Baseline risk – %(name)s"),
            "unit_cost": _("Cost per case and year – %(name)s"),
        }[parts[2]]
        return template % {"name": name}
    if parts[0] == "programme":
        line = s.programme_costs[int(parts[2])]
        return _("Programme cost – %(name)s") % {"name": line.label}
    iv = s.interventions[int(parts[1])]
    if parts[2] == "participants":
        label = _("Participants per year")
    elif parts[2] == "effect":
        name = s.outcome(parts[3]).name
        template = {
            "size": _("Effect – %(name)s"),
            "decay": _("Effect decay per year – %(name)s"),
        }[parts[4]]
        label = template % {"name": name}
    else:
        label = _("Cost – %(name)s") % {"name": iv.costs[int(parts[3])].label}
    return f"{label} ({iv.name})" if len(s.interventions) > 1 else label


def key_figures(analysis: Analysis) -> dict[str, Any]:
    """Headline figures. Unprefixed money figures are unadjusted (plain kronor);
    ``societal_*`` carry the public funds factor and are shown beside them only
    when ``public_funds_factor`` is set."""
    r, mc = analysis.result, analysis.montecarlo
    return {
        "npv": r.npv,
        "pv_savings": r.pv_savings,
        "pv_costs": r.pv_costs,
        "bcr": r.benefit_cost_ratio,
        "break_even_year": r.break_even_year,
        "irr_percent": None
        if r.internal_rate_of_return is None
        else 100 * r.internal_rate_of_return,
        "probability_percent": 100 * mc.probability_benefits_exceed_costs,
        "kommun_probability_percent": 100 * mc.probability_by_payer[Payer.KOMMUN],
        "npv_p05": mc.npv.p05,
        "npv_p95": mc.npv.p95,
        "npv_mean": mc.npv.mean,
        "draws": mc.draws,
        "seed": mc.seed,
        "discount_rate_percent": 100 * analysis.inputs.discount_rate.central,
        "discount_rate_source": analysis.inputs.discount_rate_source,
        "horizon": analysis.inputs.horizon_years,
        "price_year": analysis.inputs.price_year,
        "public_funds_factor": analysis.inputs.public_funds_factor,
        "public_funds_factor_source": analysis.inputs.public_funds_factor_source,
        "societal_npv": r.societal_npv,
        "societal_pv_savings": r.societal_pv_savings,
        "societal_pv_costs": r.societal_pv_costs,
        "societal_bcr": r.societal_benefit_cost_ratio,
        "societal_probability_percent": 100 * mc.probability_societal_benefits_exceed_costs,
        "societal_npv_p05": mc.societal_npv.p05,
        "societal_npv_p95": mc.societal_npv.p95,
    }


def societal_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """The result for society without and with the public funds factor, side by side
    (empty when the scenario applies no factor)."""
    if analysis.inputs.public_funds_factor is None:
        return []
    f = key_figures(analysis)
    money = [
        (_("Savings, present value"), f["pv_savings"], f["societal_pv_savings"]),
        (_("Costs, present value"), f["pv_costs"], f["societal_pv_costs"]),
        (_("Net present value, all payers"), f["npv"], f["societal_npv"]),
        (
            _("Net present value, 5th–95th percentile"),
            (f["npv_p05"], f["npv_p95"]),
            (f["societal_npv_p05"], f["societal_npv_p95"]),
        ),
    ]
    rows: list[dict[str, Any]] = [
        {"label": label, "kind": "money", "plain": plain, "adjusted": adjusted}
        for label, plain, adjusted in money
    ]
    rows[-1]["kind"] = "range"
    rows.append(
        {
            "label": _("Benefit-cost ratio"),
            "kind": "ratio",
            "plain": f["bcr"],
            "adjusted": f["societal_bcr"],
        }
    )
    rows.append(
        {
            "label": _("Chance that savings exceed costs"),
            "kind": "percent",
            "plain": f["probability_percent"],
            "adjusted": f["societal_probability_percent"],
        }
    )
    return rows


def npv_axis_title(applied: bool) -> str:
    """Axis title of charts of the societal NPV, naming the factor when it is applied."""
    if applied:
        return _("Net present value with the public funds factor (MSEK)")
    return _("Net present value (MSEK)")


def payer_rows(analysis: Analysis) -> list[dict[str, Any]]:
    mc = analysis.montecarlo
    rows = []
    for payer in PAYERS:
        pr = analysis.result.by_payer[payer]
        interval = mc.npv_by_payer[payer]
        rows.append(
            {
                "payer": payer_label(payer),
                "pv_savings": pr.pv_savings,
                "pv_costs": pr.pv_costs,
                "npv": pr.npv,
                "npv_p05": interval.p05,
                "npv_p95": interval.p95,
                "probability_percent": 100 * mc.probability_by_payer[payer],
            }
        )
    return rows


def npv_by_payer_chart(analysis: Analysis) -> dict[str, Any]:
    rows = payer_rows(analysis)
    data = [{"payer": r["payer"], "npv_msek": r["npv"] / MSEK} for r in rows]
    spec = {
        "data": {"values": data},
        "mark": {"type": "bar"},
        "height": 160,
        "encoding": {
            "y": {"field": "payer", "type": "nominal", "title": None, "sort": None},
            "x": {
                "field": "npv_msek",
                "type": "quantitative",
                "title": _("Net present value (MSEK)"),
            },
            "color": {
                "field": "payer",
                "type": "nominal",
                "legend": None,
                "scale": payer_colour_scale(),
            },
            "tooltip": [
                {"field": "payer", "type": "nominal", "title": _("Payer")},
                {"field": "npv_msek", "type": "quantitative", "title": "MSEK", "format": ",.2f"},
            ],
        },
    }
    return chart_block(
        spec,
        title=_("Net present value by payer"),
        description=_("Present value of savings minus costs for each payer, in million SEK."),
        table_columns=[
            ("payer", _("Payer")),
            ("pv_savings", _("Savings, present value (SEK)")),
            ("pv_costs", _("Costs, present value (SEK)")),
            ("npv", _("Net present value (SEK)")),
            ("npv_p05", _("NPV, 5th percentile (SEK)")),
            ("npv_p95", _("NPV, 95th percentile (SEK)")),
            ("probability_percent", _("Chance savings exceed costs (percent)")),
        ],
        table_rows=rows,
    )


def yearly_rows(analysis: Analysis) -> list[dict[str, Any]]:
    r = analysis.result
    rows = []
    for i, year in enumerate(r.years):
        row: dict[str, Any] = {"year": year}
        for payer in PAYERS:
            row[f"savings_{payer.value}"] = r.savings_per_year[payer][i]
        row["costs"] = sum(r.costs_per_year[p][i] for p in PAYERS)
        row["net"] = r.net_per_year[i]
        rows.append(row)
    return rows


def yearly_columns() -> list[tuple[str, str]]:
    columns = [("year", _("Year"))]
    columns += [
        (f"savings_{p.value}", _("Savings, %(payer)s (SEK)") % {"payer": payer_label(p)})
        for p in PAYERS
    ]
    columns += [("costs", _("Intervention costs (SEK)")), ("net", _("Net (SEK)"))]
    return columns


def savings_per_year_chart(analysis: Analysis, csv_url: str | None = None) -> dict[str, Any]:
    rows = yearly_rows(analysis)
    bars = [
        {
            "year": row["year"],
            "payer": payer_label(p),
            "order": i,
            "msek": row[f"savings_{p.value}"] / MSEK,
        }
        for row in rows
        for i, p in enumerate(PAYERS)
    ]
    costs = [{"year": row["year"], "msek": row["costs"] / MSEK} for row in rows]
    spec = {
        "height": 260,
        "layer": [
            {
                "data": {"values": bars},
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {"field": "year", "type": "ordinal", "title": _("Year")},
                    "y": {
                        "field": "msek",
                        "type": "quantitative",
                        "stack": "zero",
                        "title": _("Savings and costs (MSEK, undiscounted)"),
                    },
                    "color": {
                        "field": "payer",
                        "type": "nominal",
                        "title": _("Savings for"),
                        "scale": payer_colour_scale(),
                    },
                    "order": {"field": "order", "type": "quantitative"},
                    "tooltip": [
                        {"field": "year", "type": "ordinal", "title": _("Year")},
                        {"field": "payer", "type": "nominal", "title": _("Payer")},
                        {
                            "field": "msek",
                            "type": "quantitative",
                            "format": ",.2f",
                            "title": "MSEK",
                        },
                    ],
                },
            },
            {
                "data": {"values": costs},
                "mark": {
                    "type": "line",
                    "point": {"shape": "diamond", "filled": True, "size": 70, "color": "#000000"},
                    "color": "#000000",
                    "strokeDash": [6, 3],
                },
                "encoding": {
                    "x": {"field": "year", "type": "ordinal"},
                    "y": {"field": "msek", "type": "quantitative"},
                    "tooltip": [
                        {"field": "year", "type": "ordinal", "title": _("Year")},
                        {
                            "field": "msek",
                            "type": "quantitative",
                            "format": ",.2f",
                            "title": _("Costs (MSEK)"),
                        },
                    ],
                },
            },
        ],
    }
    return chart_block(
        spec,
        title=_("Savings per year by payer"),
        description=_(
            "Stacked bars: yearly savings for each payer. Dashed black line with diamonds: "
            "yearly cost of the interventions and the programme. Undiscounted, in million SEK at the price year."
        ),
        table_columns=yearly_columns(),
        table_rows=rows,
        csv_url=csv_url,
    )


def tornado_rows(analysis: Analysis) -> list[dict[str, Any]]:
    return [
        {
            "label": parameter_label(analysis, bar.parameter_id),
            "low_value": bar.low_value,
            "high_value": bar.high_value,
            "npv_at_low": bar.npv_at_low,
            "npv_at_high": bar.npv_at_high,
            "swing": bar.swing,
        }
        for bar in analysis.tornado.bars
    ]


def tornado_chart(analysis: Analysis, limit: int = 12) -> dict[str, Any]:
    rows = tornado_rows(analysis)
    data = [
        {
            "label": r["label"],
            "from": min(r["npv_at_low"], r["npv_at_high"]) / MSEK,
            "to": max(r["npv_at_low"], r["npv_at_high"]) / MSEK,
            "order": i,
        }
        for i, r in enumerate(rows[:limit])
    ]
    base = analysis.tornado.base_npv / MSEK
    spec = {
        "height": {"step": 26},
        "layer": [
            {
                "data": {"values": data},
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {
                        "field": "label",
                        "type": "nominal",
                        "sort": {"field": "order"},
                        "title": None,
                        "axis": {"labelLimit": 320},
                    },
                    "x": {
                        "field": "from",
                        "type": "quantitative",
                        "title": npv_axis_title(analysis.tornado.public_funds_factor_applied),
                    },
                    "x2": {"field": "to"},
                    "color": {"value": "#0072B2"},
                    "tooltip": [
                        {"field": "label", "type": "nominal", "title": _("Input")},
                        {
                            "field": "from",
                            "type": "quantitative",
                            "format": ",.2f",
                            "title": _("Lowest NPV"),
                        },
                        {
                            "field": "to",
                            "type": "quantitative",
                            "format": ",.2f",
                            "title": _("Highest NPV"),
                        },
                    ],
                },
            },
            {
                "data": {"values": [{"base": base}]},
                "mark": {"type": "rule", "color": "#000000", "strokeDash": [4, 3]},
                "encoding": {"x": {"field": "base", "type": "quantitative"}},
            },
        ],
    }
    description = _(
        "Each bar shows the net present value when one input moves from its low to its "
        "high value while all others stay at their central value. Dashed line: the central result."
    )
    if analysis.tornado.public_funds_factor_applied:
        description += " " + _(
            "Net present values for society, with the savings and costs of the municipality, "
            "region and state multiplied by the public funds factor."
        )
    return chart_block(
        spec,
        title=_("Sensitivity: which inputs matter most"),
        description=description,
        table_columns=[
            ("label", _("Input")),
            ("low_value", _("Low value")),
            ("high_value", _("High value")),
            ("npv_at_low", _("NPV at low value (SEK)")),
            ("npv_at_high", _("NPV at high value (SEK)")),
            ("swing", _("Swing (SEK)")),
        ],
        table_rows=rows,
    )


def histogram_rows(analysis: Analysis, bins: int = 30) -> list[dict[str, Any]]:
    return [
        {"start": start, "end": end, "count": count}
        for start, end, count in analysis.montecarlo.histogram(bins)
    ]


def montecarlo_chart(analysis: Analysis) -> dict[str, Any]:
    rows = histogram_rows(analysis)
    data = [{"start": r["start"] / MSEK, "end": r["end"] / MSEK, "count": r["count"]} for r in rows]
    spec = {
        "height": 220,
        "layer": [
            {
                "data": {"values": data},
                "mark": {
                    "type": "bar",
                    "color": "#56B4E9",
                    "stroke": "#0b4f6c",
                    "strokeWidth": 0.5,
                },
                "encoding": {
                    "x": {
                        "field": "start",
                        "type": "quantitative",
                        "title": npv_axis_title(analysis.montecarlo.public_funds_factor_applied),
                    },
                    "x2": {"field": "end"},
                    "y": {"field": "count", "type": "quantitative", "title": _("Number of draws")},
                    "y2": {"datum": 0},
                    "tooltip": [
                        {
                            "field": "start",
                            "type": "quantitative",
                            "format": ",.2f",
                            "title": _("From (MSEK)"),
                        },
                        {
                            "field": "end",
                            "type": "quantitative",
                            "format": ",.2f",
                            "title": _("To (MSEK)"),
                        },
                        {"field": "count", "type": "quantitative", "title": _("Draws")},
                    ],
                },
            },
            {
                "data": {"values": [{"zero": 0}]},
                "mark": {"type": "rule", "color": "#a4161a", "strokeWidth": 2},
                "encoding": {"x": {"field": "zero", "type": "quantitative"}},
            },
        ],
    }
    mc = analysis.montecarlo
    description = _(
        "Histogram of %(draws)s simulated net present values (seed %(seed)s). Red line: zero; "
        "draws to its right are those where savings exceed costs."
    ) % {"draws": mc.draws, "seed": mc.seed}
    if mc.public_funds_factor_applied:
        description += " " + _(
            "Net present values for society, with the savings and costs of the municipality, "
            "region and state multiplied by the public funds factor."
        )
    return chart_block(
        spec,
        title=_("Uncertainty: distribution of the net present value"),
        description=description,
        table_columns=[
            ("start", _("From (SEK)")),
            ("end", _("To (SEK)")),
            ("count", _("Number of draws")),
        ],
        table_rows=rows,
    )


def outcome_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """One row per outcome and intervention with an effect on it (an outcome no
    intervention affects gets one row without an effect)."""
    s = analysis.inputs
    several = len(s.interventions) > 1
    rows = []
    for o in s.outcomes:
        pairs: list[tuple[Intervention | None, Effect | None]] = [
            (iv, e) for iv in s.interventions for e in iv.effects if e.outcome_key == o.key
        ]
        pairs = pairs or [(None, None)]
        for n, (iv, e) in enumerate(pairs):
            rows.append(
                {
                    "name": o.name,
                    "first": n == 0,
                    "span": len(pairs),
                    "intervention": iv.name if (iv is not None and several) else "",
                    "baseline_risk": o.baseline_risk,
                    "unit_cost": o.unit_cost,
                    "price_year": o.price_year,
                    "shares": ", ".join(
                        f"{payer_label(p)} {100 * share:.0f} %"
                        for p, share in o.payer_shares.items()
                    ),
                    "duration": o.duration_years,
                    "lag": o.lag_years,
                    "measure": str(MEASURE_LABELS[e.measure]) if e else "–",
                    "effect": e.size if e else None,
                    "decay": e.decay_per_year if e else None,
                    "source": "; ".join(
                        dict.fromkeys(x for x in (o.source, e.source if e else "") if x)
                    ),
                    "pv_savings": analysis.result.pv_savings_by_outcome[o.key],
                }
            )
    return rows


def cost_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """Every cost line: each intervention's, then the programme costs (``kind`` says which)."""
    s = analysis.inputs
    rows = [
        {
            "label": c.label,
            "belongs_to": iv.name,
            "kind": "",
            "payer": payer_label(c.payer),
            "amount": c.amount_per_year,
            "years": f"{c.first_year}–{c.last_year}",
            "price_year": c.price_year,
        }
        for iv in s.interventions
        for c in iv.costs
    ]
    rows += [
        {
            "label": c.label,
            "belongs_to": _("Programme"),
            "kind": str(COST_KIND_LABELS[c.kind]) if c.kind else "",
            "payer": payer_label(c.payer),
            "amount": c.amount_per_year,
            "years": f"{c.first_year}–{c.last_year}",
            "price_year": c.price_year,
        }
        for c in s.programme_costs
    ]
    return rows


def intervention_rows(
    analysis: Analysis, links: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Each intervention's contribution (savings from the cases it avoids, its own
    costs) and the programme costs as a line of their own; the rows sum to the totals.

    ``links`` (from :func:`serialization.intervention_links`) adds each
    intervention's ``registry_key``, so the page can link to the registry.
    """
    s, r = analysis.inputs, analysis.result
    links = links or []
    rows: list[dict[str, Any]] = []
    for i, (iv, contribution) in enumerate(zip(s.interventions, r.by_intervention, strict=True)):
        rows.append(
            {
                "name": iv.name,
                "registry_key": links[i].get("registry_key") if i < len(links) else None,
                "participants": iv.participants_per_year,
                "ramp_up_years": iv.ramp_up_years,
                "delivery_years": iv.delivery_years,
                "pv_savings": contribution.pv_savings,
                "pv_costs": contribution.pv_costs,
                "npv": contribution.npv,
                "programme": False,
            }
        )
    if s.programme_costs:
        rows.append(
            {
                "name": _("Programme costs (structure and systematic quality work)"),
                "registry_key": None,
                "participants": None,
                "pv_savings": 0.0,
                "pv_costs": r.programme_pv_costs,
                "npv": -r.programme_pv_costs,
                "programme": True,
            }
        )
    return rows
