"""Vega-Lite charts for the prerequisites pages (each comes with its data table)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jamlik.core.charts import chart_block
from jamlik.core.templatetags.jamlik_format import fmt


def index_chart(scores: list, medians: Any) -> dict[str, Any]:
    rows = [
        {
            "kommun": s.municipality.name,
            "index": s.index.value,
            "level": s.index.level.value,
        }
        for s in scores
        if s.index.value is not None
    ]
    spec = {
        "data": {"values": rows},
        "height": {"step": 18},
        "layer": [
            {
                "mark": {"type": "bar", "color": "#0072B2"},
                "encoding": {
                    "y": {
                        "field": "kommun",
                        "type": "nominal",
                        "sort": "-x",
                        "title": None,
                        "axis": {"labelLimit": 360},
                    },
                    "x": {
                        "field": "index",
                        "type": "quantitative",
                        "scale": {"domain": [0, 100]},
                        "title": _("Overall index (0–100)"),
                    },
                    "tooltip": [{"field": "kommun"}, {"field": "index"}],
                },
            },
            {
                "mark": {"type": "rule", "color": "#000000", "strokeDash": [4, 3], "aria": False},
                "encoding": {"x": {"datum": medians.index}},
            },
        ],
    }
    return chart_block(
        spec,
        title=_("Overall index per kommun"),
        description=_(
            "Bars show each kommun's index; the dashed line is the county median (%(m)s)."
        )
        % {"m": fmt(medians.index, 1)},
        table_columns=[("kommun", _("Kommun")), ("index", _("Index"))],
        table_rows=rows,
    )


def profile_chart(rows: list) -> dict[str, Any]:
    data = []
    for row in rows:
        data.append({"prerequisite": row.name, "who": _("This kommun"), "score": row.score.value})
        data.append({"prerequisite": row.name, "who": _("County median"), "score": row.median})
    spec = {
        "data": {"values": data},
        "mark": {"type": "point", "filled": True, "size": 90},
        "encoding": {
            "y": {
                "field": "prerequisite",
                "type": "nominal",
                "title": None,
                "sort": None,
                "axis": {"labelLimit": 360},
            },
            "x": {
                "field": "score",
                "type": "quantitative",
                "scale": {"domain": [0, 100]},
                "title": _("Score (0–100)"),
            },
            "color": {"field": "who", "type": "nominal", "title": None},
            "shape": {"field": "who", "type": "nominal", "title": None},
            "tooltip": [{"field": "prerequisite"}, {"field": "who"}, {"field": "score"}],
        },
    }
    return chart_block(
        spec,
        title=_("Scores against the county median"),
        description=_("For each prerequisite: this kommun's score and the county median."),
        table_columns=[
            ("prerequisite", _("Prerequisite")),
            ("who", _("Series")),
            ("score", _("Score")),
        ],
        table_rows=data,
    )


def did_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    spec = {
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "rule", "color": "#555555"},
                "encoding": {
                    "y": {
                        "field": "outcome",
                        "type": "nominal",
                        "title": None,
                        "sort": None,
                        "axis": {"labelLimit": 360},
                    },
                    "x": {
                        "field": "lower",
                        "type": "quantitative",
                        "title": _("Difference-in-differences (points)"),
                    },
                    "x2": {"field": "upper"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 80, "color": "#D55E00"},
                "encoding": {
                    "y": {"field": "outcome", "type": "nominal", "sort": None},
                    "x": {"field": "did", "type": "quantitative"},
                    "tooltip": [
                        {"field": "outcome"},
                        {"field": "did"},
                        {"field": "lower"},
                        {"field": "upper"},
                        {"field": "p"},
                    ],
                },
            },
            {
                "mark": {"type": "rule", "strokeDash": [4, 3], "aria": False},
                "encoding": {"x": {"datum": 0}},
            },
        ],
    }
    return chart_block(
        spec,
        title=_("Difference-in-differences with 95% bootstrap intervals"),
        description=_(
            "Points: how much more the deepened-collaboration group changed than the comparison "
            "group; lines: 95% bootstrap interval. Right of the dashed zero line means a larger "
            "gain in the deepened group."
        ),
        table_columns=[
            ("outcome", _("Outcome")),
            ("did", _("DiD")),
            ("lower", _("Lower")),
            ("upper", _("Upper")),
            ("p", _("Exact p")),
        ],
        table_rows=rows,
    )
