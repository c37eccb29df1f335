"""The indicator page: compare areas, trend, inequality, funnel, definition; and its CSV parts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jamlik.core.charts import chart_block
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators import analysis, charts
from jamlik.indicators.cross_tables import cross_table, csv_columns
from jamlik.indicators.figure_cache import public_cached
from jamlik.indicators.gap_blocks import gap_blocks
from jamlik.indicators.labels import (
    MEASURE_EXPLANATIONS,
    MEASURE_LABELS,
    breakdown_label,
    is_composite,
)
from jamlik.indicators.models import Indicator
from jamlik.indicators.pages import (
    PeerBenchmark,
    clean_number,
    methods_url,
    peer_benchmark,
    peer_values,
)
from jamlik.indicators.presentation import comparison_marker
from jamlik.indicators.queries import (
    Visibility,
    latest_rows,
    observation_frame,
    periods_and_breakdowns,
    visibility_for,
)
from jamlik.indicators.viewstate import BREAKDOWNS, NAMED_BREAKDOWNS, Benchmark, ViewState

#: The kommun whose gaps between groups the page shows when none is in focus.
DEFAULT_GAP_AREA = "0127"


def indicator_parts(
    indicator: Indicator, state: ViewState, *, visibility: Visibility | None = None
) -> dict[str, Any]:
    """Rows for the compare-areas, trend, groups and funnel views of one indicator.

    The areas are looked up per request; the rows are computed once per
    publication for the public (:func:`jamlik.indicators.figure_cache.public_cached`,
    keyed on the indicator's settings, the areas and the period shown) and
    afresh for a reader who may see staged rows.
    """
    visibility = visibility or Visibility.public()
    country = Area.objects.country()
    focus = (
        Area.objects.filter(code=state.area).select_related("parent").first()
        if state.area
        else None
    )
    county = (
        (focus.county if focus else None)
        or indicator.owner  # a county's own indicator: its county's kommuner
        or Area.objects.filter(code="01").first()
        or Area.objects.counties().first()
    )
    if state.areas:
        areas = list(Area.objects.filter(code__in=state.areas))
    else:
        areas = list(Area.objects.municipalities(county.code)) if county else []
    bench = country if state.benchmark is Benchmark.COUNTRY or county is None else county
    # a peer group: each kommun shown against its own group or similar kommuner
    peers = peer_benchmark(areas, state, focus=focus if focus in areas else None)
    trend_area = focus or county or country
    periods, breakdowns = periods_and_breakdowns(indicator.pk, visibility=visibility)
    period = state.period if state.period in periods else ""
    known = {a.pk: a for a in (*areas, country, *([county] if county else []))}
    parts = (
        indicator.pk,
        indicator.polarity,
        indicator.value_type,
        indicator.multiplier,
        tuple(sorted(known)),
        tuple(a.pk for a in areas),
        not state.areas,
        bench.pk,
        county.pk if county else None,
        trend_area.pk,
        period,
        None if peers is None else (state.bench, tuple(sorted(peers.peer_ids.items()))),
    )
    rows = public_cached(
        "indicator-figures",
        parts,
        visibility,
        lambda: indicator_rows(
            indicator,
            areas=areas,
            known=known,
            bench=bench,
            county=county,
            country=country,
            trend_area=trend_area,
            period=period,
            county_kommuner=not state.areas,
            visibility=visibility,
            peer_group=peers,
            focus=focus,
        ),
    )
    return {
        "areas": areas,
        "county": county,
        "country": country,
        "bench": peers or bench,
        "peers": peers,
        "trend_area": trend_area,
        "periods": periods,
        "stored_breakdowns": breakdowns,
        **rows,
    }


def indicator_rows(
    indicator: Indicator,
    *,
    areas: list[Area],
    known: dict[int, Area],
    bench: Area,
    county: Area | None,
    country: Area,
    trend_area: Area,
    period: str,
    county_kommuner: bool,
    visibility: Visibility,
    peer_group: PeerBenchmark | None = None,
    focus: Area | None = None,
) -> dict[str, Any]:
    """The rows behind the indicator page's charts, tables and CSV files: ``areas``
    compared with ``bench`` in ``period`` (the latest when empty), the series of
    ``trend_area``, the county and Sweden, and the funnel plot (plain data, no model
    instances: it is cached).  ``county_kommuner`` says that ``areas`` are exactly the
    county's kommuner, among whom means and indices are ranked in quintiles.  With
    ``peer_group`` each kommun is compared with its own peers' mean, and the benchmark line
    is the mean of the peers of ``focus`` (none without a kommun in focus)."""
    ind = {indicator.pk: indicator}
    names = {pk: a.name for pk, a in known.items()}
    codes = {pk: a.code for pk, a in known.items()}
    area_ids = [a.pk for a in areas]
    frame = observation_frame(
        indicator_ids=[indicator.pk], area_ids=list(known), visibility=visibility
    )
    chosen = frame[frame["period"] == period] if period else frame
    latest = latest_rows(chosen, among=area_ids)
    shown = latest[latest["area_id"].isin(area_ids)]
    if county_kommuner and county is not None:
        # The kommuner ranked are those shown, already read: no second query.
        peers = frame[
            frame["area_id"].isin(area_ids) & frame["period"].isin(set(shown["period"].astype(str)))
        ]
        ranks = analysis.peer_quintiles(peers.assign(peer_group=county.pk), ind)
    else:
        ranks = analysis.county_quintiles(shown, ind, county, visibility=visibility)
    if peer_group is not None:
        peer_rows = peer_values(peer_group, [indicator.pk])
        peer_rows = peer_rows.merge(
            shown[["indicator_id", "period"]].drop_duplicates(), on=["indicator_id", "period"]
        )
        bench_rows = analysis.peer_means(peer_rows, peer_group.peer_ids)
    else:
        bench_rows = latest[latest["area_id"] == bench.pk]
    compared = analysis.compare_with(shown, bench_rows, ind, quintiles_by=ranks)
    compare_rows = [
        {
            "area": names[int(r["area_id"])],
            "code": codes[int(r["area_id"])],
            "period": r["period"],
            "value": clean_number(r["value"]),
            "lower": clean_number(r["lower"]),
            "upper": clean_number(r["upper"]),
            "numerator": None if r["suppressed"] else clean_number(r["numerator"]),
            "denominator": clean_number(r["denominator"]),
            "comparison": str(comparison_marker(r["comparison"]).label),
            "symbol": comparison_marker(r["comparison"]).symbol,
            "suppressed": bool(r["suppressed"]),
            "published": bool(r["published"]),
            "status": "" if r["published"] else _("unpublished"),
        }
        for r in compared.sort_values("value", ascending=False, na_position="last").to_dict(
            "records"
        )
    ]
    if peer_group is not None:
        own = compared[compared["area_id"] == (focus.pk if focus else -1)]
        bench_value = clean_number(own["benchmark"].iloc[0]) if not own.empty else None
    else:
        bench_row = latest[latest["area_id"] == bench.pk]
        bench_value = clean_number(bench_row["value"].iloc[0]) if not bench_row.empty else None
    series_ids = [trend_area.pk] + [
        a.pk for a in (county, country) if a is not None and a.pk != trend_area.pk
    ]
    trend_rows = [
        {
            "series": names.get(int(r["area_id"]), ""),
            "period": r["period"],
            "year": int(r["period_end"]),
            "value": clean_number(r["value"]),
            "lower": clean_number(r["lower"]),
            "upper": clean_number(r["upper"]),
        }
        for r in frame[frame["area_id"].isin(series_ids)]
        .sort_values(["area_id", "period_end"])
        .to_dict("records")
        if clean_number(r["value"]) is not None
    ]
    points, limits = analysis.funnel(indicator, latest[latest["area_id"].isin(area_ids)])
    by_id = {r["code"]: r for r in compare_rows}
    for p in points:
        row = by_id.get(codes[p["area_id"]], {})
        p["area"] = names[p["area_id"]]
        p["comparison"] = row.get("comparison", "")
        del p["area_id"]
    return {
        "bench_value": bench_value,
        "compare_rows": compare_rows,
        "trend_rows": trend_rows,
        "funnel_points": points,
        "funnel_limits": limits,
        "is_demo": bool(frame["is_demo"].any()) if not frame.empty else False,
    }


def measure_choices(state: ViewState) -> list[dict[str, Any]]:
    """Every summary measure the analyst may choose, with its one-line meaning and method."""
    return [
        {
            "key": key,
            "label": label,
            "explanation": MEASURE_EXPLANATIONS[key],
            "url": methods_url(key),
            "checked": key in state.measures,
        }
        for key, label in MEASURE_LABELS.items()
    ]


def breakdown_choices(stored: list[str], state: ViewState) -> list[tuple[str, str]]:
    """The breakdowns the reader may choose: sex, education and district always (the
    page says when there are no values), then the indicator's other single dimensions
    that have a name (``age``), its cross tables ("Kön × ålder") and the one in the
    link.  ``stored`` are the indicator's breakdowns."""
    singles = [b for b in stored if b in NAMED_BREAKDOWNS and b not in BREAKDOWNS]
    composites = sorted((b for b in stored if is_composite(b)), key=lambda b: (b.count("*"), b))
    keys = list(dict.fromkeys([*BREAKDOWNS, *singles, *composites, state.breakdown]))
    return [(b, breakdown_label(b)) for b in keys]


def indicator_page(indicator: Indicator, state: ViewState, *, user: Any = None) -> dict[str, Any]:
    """Context for the indicator page: four charts with tables and CSV, plus metadata.

    Published data only, unless ``user`` may see unpublished imports for some areas.
    """
    visibility = visibility_for(user)
    parts = indicator_parts(indicator, state, visibility=visibility)
    base = reverse("indicators:indicator-csv", args=[indicator.code]) + state.to_query()
    sep = "&" if "?" in base else "?"
    unit = indicator.unit_label
    value_cols = [("value", _("Value")), ("lower", _("Lower 95 %")), ("upper", _("Upper 95 %"))]
    compare_chart = chart_block(
        charts.compare_areas_bars(
            parts["compare_rows"],
            unit=unit,
            benchmark=parts["bench_value"],
            benchmark_label=parts["bench"].name,
        ),
        title=_("Compared with %(bench)s") % {"bench": parts["bench"].name},
        description=_(
            "%(indicator)s for each area with 95 %% intervals; the dashed line is %(bench)s."
        )
        % {"indicator": indicator.name, "bench": parts["bench"].name},
        table_columns=[
            ("area", _("Area")),
            ("period", _("Period")),
            *value_cols,
            ("numerator", _("Numerator")),
            ("denominator", _("Denominator")),
            ("comparison", _("Comparison")),
            *(
                [("status", _("Status"))]
                if any(not r["published"] for r in parts["compare_rows"])
                else []
            ),
        ],
        table_rows=parts["compare_rows"],
        csv_url=base + sep + "part=compare",
        method_url=methods_url("compare"),
    )
    trend_chart = chart_block(
        charts.trend_chart(parts["trend_rows"], unit=unit),
        title=_("Trend: %(area)s") % {"area": parts["trend_area"].name},
        description=_("%(indicator)s over time with 95 %% intervals as shaded bands.")
        % {"indicator": indicator.name},
        table_columns=[("series", _("Area")), ("period", _("Period")), *value_cols],
        table_rows=parts["trend_rows"],
        csv_url=base + sep + "part=trend",
        method_url=methods_url("trend"),
    )
    funnel_chart = None
    if parts["funnel_points"]:
        funnel_chart = chart_block(
            charts.funnel_plot(
                parts["funnel_points"],
                parts["funnel_limits"],
                x_title=_("Population") if indicator.value_type == "proportion" else _("Events"),
                unit=unit,
            ),
            title=_("Funnel plot"),
            description=_(
                "Each area against its size; points outside the dashed %(low)s and %(high)s control limits differ more than chance explains."
            )
            % {"low": "95 %", "high": "99,8 %"},
            table_columns=[
                ("area", _("Area")),
                ("x", _("Size")),
                ("value", _("Value")),
                ("comparison", _("Comparison")),
            ],
            table_rows=parts["funnel_points"],
            csv_url=base + sep + "part=funnel",
            method_url=methods_url("funnel"),
        )
    gap_area = (
        parts["trend_area"]
        if parts["trend_area"].level == AreaLevel.MUNICIPALITY
        else next((a for a in parts["areas"] if a.code == DEFAULT_GAP_AREA), None)
        or Area.objects.filter(code=DEFAULT_GAP_AREA).first()
    )
    cross = None
    gaps: list[dict[str, Any]] = []
    if gap_area and is_composite(state.breakdown):
        cross = cross_table(
            indicator, gap_area, state.breakdown, period=state.period, visibility=visibility
        )
        cross["csv_url"] = base + sep + "part=groups"
    elif gap_area:
        gaps = gap_blocks(
            gap_area,
            state.breakdown,
            [indicator],
            measures=state.measures or None,
            visibility=visibility,
        )
    return {
        **parts,
        "indicator": indicator,
        "state": state,
        "compare_chart": compare_chart,
        "trend_chart": trend_chart,
        "funnel_chart": funnel_chart,
        "gap_area": gap_area,
        "gaps": gaps,
        "cross": cross,
        "breakdowns": breakdown_choices(parts["stored_breakdowns"], state),
        "measure_choices": measure_choices(state),
        "methods_url": methods_url(
            "proportion" if indicator.value_type == "proportion" else "rate"
        ),
        "suppress_url": methods_url("suppress"),
        "quintile_ranked": indicator.value_type in analysis.QUINTILE_RANKED,
        "quintile_url": methods_url("quantiles"),
    }


def indicator_csv(
    indicator: Indicator, state: ViewState, part: str, *, user: Any = None
) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Columns and rows for one of the indicator page's CSV downloads (published data
    only, unless ``user`` may see unpublished imports)."""
    visibility = visibility_for(user)
    if part == "groups" and is_composite(state.breakdown):
        # The groups of a cross table are its cells and margins, one row each.
        area = (
            Area.objects.filter(code=state.area).first()
            or Area.objects.filter(code=DEFAULT_GAP_AREA).first()
        )
        if area is None:
            return [("indicator", "indicator"), *csv_columns(state.breakdown)], []
        table = cross_table(
            indicator, area, state.breakdown, period=state.period, visibility=visibility
        )
        columns = [("indicator", "indicator"), *csv_columns(state.breakdown)]
        return columns, [{**r, "indicator": indicator.code} for r in table["rows"]]
    if part in ("groups", "gap-trend"):
        area = (
            Area.objects.filter(code=state.area).first() or Area.objects.filter(code="0127").first()
        )
        blocks = (
            gap_blocks(
                area,
                state.breakdown,
                [indicator],
                measures=state.measures or None,
                with_trend=part == "gap-trend",
                visibility=visibility,
            )
            if area
            else []
        )
        if part == "gap-trend":
            return [
                ("indicator", "indicator"),
                ("area", "area"),
                ("key", "measure"),
                ("period", "period"),
                ("value", "value"),
                ("lower", "lower_95"),
                ("upper", "upper_95"),
            ], [
                {**r, "indicator": indicator.code, "area": area.code if area else ""}
                for b in blocks
                if b["trend"]
                for r in b["trend"]["rows"]
            ]
        rows = [
            {**r, "indicator": indicator.code, "area": area.code if area else ""}
            for b in blocks
            for r in b["rows"]
        ]
        return [
            ("indicator", "indicator"),
            ("area", "area"),
            ("group", "group"),
            ("value", "value"),
            ("lower", "lower_95"),
            ("upper", "upper_95"),
        ], rows
    parts = indicator_parts(indicator, state, visibility=visibility)
    if part == "trend":
        return [
            ("series", "area"),
            ("period", "period"),
            ("value", "value"),
            ("lower", "lower_95"),
            ("upper", "upper_95"),
        ], parts["trend_rows"]
    if part == "funnel":
        return [
            ("area", "area"),
            ("x", "size"),
            ("value", "value"),
            ("comparison", "comparison"),
        ], parts["funnel_points"]
    return [
        ("code", "area"),
        ("area", "area_name"),
        ("period", "period"),
        ("value", "value"),
        ("lower", "lower_95"),
        ("upper", "upper_95"),
        ("numerator", "numerator"),
        ("denominator", "denominator"),
        ("comparison", "comparison"),
    ], parts["compare_rows"]
