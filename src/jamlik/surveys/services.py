"""Youth-survey imports: a county's microdata file in, its own survey indicators out.

The pure pipeline (:mod:`jamlik.surveys.microdata` reads, :mod:`~jamlik.surveys.scoring`
scores, :mod:`~jamlik.surveys.aggregate` sums) never touches the database; this module
maps the file's kommun and district names to areas of the county, keeps one county-owned
:class:`~jamlik.indicators.models.Indicator` per measure (a new version when a measure's
definition changes, so old values keep the definition they were computed under), and
stores the aggregates as one staged import run with
:func:`jamlik.indicators.services.store_batches`.  No respondent row is ever stored:
only counts, shares and intervals per area × year × group.  The county publishes the run
on its import page, where disclosure control hides every group with fewer respondents
than the scale definition's ``min_respondents``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from jamlik.core.versioning import save_versioned
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.models import ImportRun, Indicator, ValueType
from jamlik.sources.area_names import AreaNames, KnownArea
from jamlik.sources.observations import ObservationBatch
from jamlik.surveys.models import ScaleDefinition, SurveyImport

#: How the definition checksum is kept in ``Indicator.method`` (read back by :func:`_digest_of`).
DIGEST_LINE = "Definition checksum (sha256): "
_DIGEST = re.compile(re.escape(DIGEST_LINE) + r"([0-9a-f]{64})")
#: Codes of the shipped catalogue and own indicators fit 32 characters.
CODE_LENGTH = 32
#: At most this many row numbers named per problem.
ROWS_NAMED = 10

#: The invented demo file (scripts/make_demo_youth_survey.py writes it, with its truth).
DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo" / "ungdomsenkat_2024_demo.csv"

SHIPPED = "shipped"
COUNTY = "county"


class SurveyImportError(ValueError):
    """A file refused before anything was stored; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# ---- the scale definition in force -------------------------------------------------------


@dataclass(frozen=True)
class ActiveScales:
    """The definition that scores a county's files: its own, else the shipped one."""

    scales: Any  # jamlik.surveys.scales.ScaleSet
    text: str
    source: str  # SHIPPED or COUNTY
    record: ScaleDefinition | None


def active_scales(county: Area) -> ActiveScales:
    from jamlik.surveys.scales import load_scale_set, shipped_scale_text

    record = ScaleDefinition.objects.filter(county=county).first()
    if record is not None:
        scales = load_scale_set(record.text, source=f"{county.code}-ungdomsenkat.toml")
        return ActiveScales(scales, record.text, COUNTY, record)
    text = shipped_scale_text()
    return ActiveScales(load_scale_set(text), text, SHIPPED, None)


def save_scale_definition(
    county: Area, text: str, *, user: Any = None, version: int | None = None
) -> ScaleDefinition:
    """Store the county's own definition after checking it whole (``ScaleFileError``
    names the entry and field); a stale ``version`` raises ``VersionConflict``."""
    from jamlik.surveys.scales import load_scale_set

    load_scale_set(text, source=f"{county.code}-ungdomsenkat.toml")
    record = ScaleDefinition.objects.filter(county=county).first() or ScaleDefinition(county=county)
    record.text = text
    record.updated_by = user if getattr(user, "is_authenticated", False) else None
    return save_versioned(record, version)


def reset_scale_definition(county: Area) -> bool:
    """Go back to the shipped definition; True if the county had its own."""
    deleted, _rows = ScaleDefinition.objects.filter(county=county).delete()
    return bool(deleted)


# ---- areas --------------------------------------------------------------------------------


def _rows(frame: Any, mask: Any) -> str:
    """The file's row numbers of the first rows matching ``mask`` (1 = header line)."""
    rows = frame["row"] if "row" in frame else frame.index.to_series(index=frame.index) + 2
    numbers = [int(i) for i in rows[np.asarray(mask)][:ROWS_NAMED]]
    more = int(np.asarray(mask).sum()) - len(numbers)
    shown = ", ".join(str(n) for n in numbers)
    return shown + (f" … (+{more})" if more > 0 else "")


def map_areas(
    county: Area, respondents: Any
) -> tuple[dict[str, str], dict[tuple[str, str], str], list[str]]:
    """File values → area codes: kommun values to the county's kommuner, (kommun value,
    district value) to districts of that kommun, and every problem (rows named).

    A kommun of another county, a value that names no kommun, a district unknown under
    its kommun: each is a problem; nothing is guessed (misspellings get a suggestion).
    """
    frame = respondents.frame
    file = respondents.file
    everywhere = [
        KnownArea(code, name, level, parent)
        for code, name, level, parent in Area.objects.filter(
            level__in=[AreaLevel.MUNICIPALITY, AreaLevel.COUNTY]
        ).values_list("code", "name", "level", "parent__code")
    ]
    kommuner = AreaNames([a for a in everywhere if a.parent == county.code])
    national = AreaNames(everywhere)
    names = {a.code: a.name for a in everywhere}
    problems: list[str] = []
    kommun_codes: dict[str, str] = {}
    for value in sorted(set(frame["kommun"].astype(str))):
        mask = frame["kommun"].astype(str) == value
        reading = kommuner.read(value)
        if reading.exact:
            kommun_codes[value] = str(reading.code)
            continue
        elsewhere = national.read(value)
        if elsewhere.exact:
            problems.append(
                f"{file}, rows {_rows(frame, mask)}, column kommun: {value!r} is "
                f"{names.get(str(elsewhere.code), '')} ({elsewhere.code}), not a kommun "
                f"in {county.name}"
            )
            continue
        hint = ", ".join(a.label for a in reading.candidates[:3])
        problems.append(
            f"{file}, rows {_rows(frame, mask)}, column kommun: {value!r} is not a kommun "
            f"in {county.name}" + (f" (did you mean {hint}?)" if hint else "")
        )
    district_codes: dict[tuple[str, str], str] = {}
    pairs = frame.loc[frame["district"].astype(str) != "", ["kommun", "district"]]
    pairs = pairs.astype(str).drop_duplicates()
    by_kommun: dict[str, AreaNames] = {}
    for kommun_value, district_value in sorted(pairs.itertuples(index=False, name=None)):
        code = kommun_codes.get(kommun_value)
        if code is None:
            continue
        if code not in by_kommun:
            by_kommun[code] = AreaNames(
                KnownArea(c, n, AreaLevel.DISTRICT, code)
                for c, n in Area.objects.filter(
                    level=AreaLevel.DISTRICT, parent__code=code
                ).values_list("code", "name")
            )
        reading = by_kommun[code].read(district_value)
        if reading.exact:
            district_codes[(kommun_value, district_value)] = str(reading.code)
            continue
        mask = (frame["kommun"].astype(str) == kommun_value) & (
            frame["district"].astype(str) == district_value
        )
        hint = ", ".join(a.label for a in reading.candidates[:3])
        problems.append(
            f"{file}, rows {_rows(frame, mask)}, column district: {district_value!r} is not "
            f"a district of {names.get(code, code)} known to Jämlik"
            + (f" (did you mean {hint}?)" if hint else "")
        )
    return kommun_codes, district_codes, problems


# ---- the county's survey indicators ------------------------------------------------------


def _shortened(text: str, room: int) -> str:
    import hashlib

    if len(text) <= room:
        return text
    tail = hashlib.sha256(text.encode()).hexdigest()[:4]
    return f"{text[: room - 5]}~{tail}"


def series_code(prefix: str, county: Area, measure: str) -> str:
    """``<prefix><county>_<measure>`` (``ue01_family_conflict``), shortened with a stable
    checksum when a long measure id would not fit the 32 characters of a code."""
    return _shortened(f"{prefix}{county.code}_{measure}", CODE_LENGTH)


def version_code(series: str, number: int) -> str:
    """The code of a definition version: the series itself, then ``<series>.v<n>``."""
    if number == 1:
        return series
    suffix = f".v{number}"
    return _shortened(series, CODE_LENGTH - len(suffix)) + suffix


def _digest_of(indicator: Indicator) -> str:
    found = _DIGEST.search(indicator.method or "")
    return found.group(1) if found else ""


def _method_text(scales: Any, measure: Any, digest: str) -> str:
    if hasattr(measure, "cutpoint"):
        rule = ">" if measure.kind == "risk" else "≥"
        how = (
            f"Share of respondents whose mean score over the items {', '.join(measure.items)}"
            + (f" (reversed: {', '.join(measure.reverse)})" if measure.reverse else "")
            + f" is {rule} {measure.cutpoint:g}; respondents who answered fewer than "
            f"{measure.min_items:.0%} of the items are left out."
        )
    else:
        how = (
            f"Share of respondents answering {measure.question} with "
            f"{', '.join(str(c) for c in measure.yes)} among those who answered."
        )
    return (
        f"{how} Design-weighted where the file has weights (Wilson interval on Kish's "
        f"effective sample size), else Wilson; {scales.confidence:.0%} confidence. "
        f"Groups with fewer than {scales.min_respondents} respondents are not shown.\n"
        f"{DIGEST_LINE}{digest}"
    )


def _indicator_fields(scales: Any, measure: Any, digest: str, order: int) -> dict[str, Any]:
    scale = hasattr(measure, "cutpoint")
    return {
        "name_sv": measure.name_sv[:255],
        "name_en": measure.name_en[:255],
        "definition_sv": measure.definition_sv,
        "definition_en": measure.definition_en,
        "value_type": ValueType.PROPORTION,
        "multiplier": 100,
        "unit": "",
        "polarity": measure.polarity,
        "factors": [measure.factor] if scale else list(measure.factors),
        "target_areas": [] if scale else list(measure.target_areas),
        "problem_areas": [] if scale else list(measure.problem_areas),
        "source": scales.survey_sv[:255],
        "source_id": measure.id[:64],
        "method": _method_text(scales, measure, digest),
        "is_survey": True,
        "benchmark_confidence": scales.confidence,
        # A sample survey's share reveals no count of persons in the population; small
        # groups of respondents are what could identify someone, so the denominator
        # (respondents who answered) carries the threshold and the numerator none.
        "disclosure_threshold": 0,
        "denominator_threshold": scales.min_respondents,
        "sort_order": 5000 + order,
    }


def ensure_indicators(county: Area, scales: Any, *, user: Any = None) -> dict[str, Indicator]:
    """The county's current indicator per measure, created or versioned as needed.

    A measure whose definition checksum changed gets a new indicator (code
    ``<series>.v<n>``, ``previous`` the old one, which stops being current); texts that
    do not change the definition (names, explanations) are updated in place.
    """
    now = timezone.now()
    creator = user if getattr(user, "is_authenticated", False) else None
    found: dict[str, Indicator] = {}
    for order, measure_id in enumerate(scales.measures()):
        measure = scales.measure(measure_id)
        digest = scales.definition_digest(measure_id)
        series = series_code(scales.code_prefix, county, measure_id)
        fields = _indicator_fields(scales, measure, digest, order)
        current = Indicator.objects.filter(owner=county, series=series, current=True).first()
        if current is not None and _digest_of(current) == digest:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
            found[measure_id] = current
            continue
        number = 1 if current is None else current.series_version + 1
        code = version_code(series, number)
        if current is not None:
            current.current = False
            current.save(update_fields=["current"])
        found[measure_id] = Indicator.objects.create(
            code=code,
            owner=county,
            series=series,
            series_version=number,
            previous=current,
            current=True,
            created_by=creator,
            created_at=now,
            **fields,
        )
    return found


def survey_indicators(county: Area, *, current_only: bool = True) -> list[Indicator]:
    """The county's survey indicators (owned by the county, ``is_survey``)."""
    query = Indicator.objects.filter(owner=county, is_survey=True)
    if current_only:
        query = query.filter(current=True)
    return list(query.order_by("sort_order", "code"))


# ---- the import ---------------------------------------------------------------------------


def _batch(
    cells: Iterable[Any],
    indicators: dict[str, Indicator],
    area_of: Any,
    source: str,
) -> ObservationBatch:
    columns: dict[str, list[Any]] = {
        k: []
        for k in (
            "indicator",
            "area",
            "period",
            "breakdown",
            "category",
            "numerator",
            "denominator",
            "value",
            "lower",
            "upper",
        )
    }
    for cell in cells:
        columns["indicator"].append(indicators[cell.measure].code)
        columns["area"].append(area_of(cell))
        columns["period"].append(str(cell.year))
        columns["breakdown"].append(cell.breakdown)
        columns["category"].append(cell.category)
        for name, value in (
            ("numerator", cell.x),
            ("denominator", cell.n),
            ("value", cell.value),
            ("lower", cell.lower),
            ("upper", cell.upper),
        ):
            columns[name].append(np.nan if value is None else float(value))
    n = len(columns["indicator"])
    return ObservationBatch(
        indicator=columns["indicator"],
        area=columns["area"],
        period=columns["period"],
        breakdown=columns["breakdown"],
        category=columns["category"],
        numerator=np.asarray(columns["numerator"], dtype=float),
        denominator=np.asarray(columns["denominator"], dtype=float),
        value=np.asarray(columns["value"], dtype=float),
        lower=np.asarray(columns["lower"], dtype=float),
        upper=np.asarray(columns["upper"], dtype=float),
        note=[""] * n,
        source=[source] * n,
    )


def import_survey(
    county: Area,
    name: str,
    data: bytes,
    *,
    user: Any = None,
    year: int | None = None,
    is_demo: bool = False,
) -> SurveyImport:
    """Read, score and aggregate a microdata file and store the aggregates, all or nothing.

    Raises :class:`jamlik.surveys.microdata.MicrodataError` for a file that cannot be
    read or carries what identifies a person, and :class:`SurveyImportError` for rows
    whose kommun or district is not one of the county's; nothing is stored then.  The
    stored run is staged: the county publishes it on its import page.
    """
    from jamlik.indicators.services import store_batches
    from jamlik.surveys.aggregate import aggregate
    from jamlik.surveys.microdata import read_microdata
    from jamlik.surveys.scoring import score

    active = active_scales(county)
    scales = active.scales
    respondents = read_microdata(name, data, scales, year=year)
    kommun_codes, district_codes, problems = map_areas(county, respondents)
    if problems:
        raise SurveyImportError(problems)
    scored = score(respondents, scales)
    cells = aggregate(respondents, scored, scales)

    def area_of(cell: Any) -> str:
        if cell.level == "county":
            return county.code
        if cell.level == "district":
            return district_codes[(cell.kommun, cell.district)]
        return kommun_codes[cell.kommun]

    years = sorted({int(y) for y in respondents.frame["year"].unique()})
    label = "–".join(str(y) for y in (years[0], years[-1])) if len(years) > 1 else str(years[0])
    source = f"{scales.survey_sv} {label}"
    with transaction.atomic():
        indicators = ensure_indicators(county, scales, user=user)
        run = store_batches(
            [_batch(cells, indicators, area_of, source)],
            kind=ImportRun.Kind.SURVEY,
            # Names and numbers only: the description is shown as stored, in either language.
            description=(
                f"{scales.survey_sv} {label}, {county.name}: {respondents.file} "
                f"(n = {respondents.rows_read})"
            ),
            user=user,
            actor="" if user is not None else "jamlik",
            is_demo=is_demo,
        )
        report = {
            "weighted": bool(respondents.weighted),
            "years": years,
            "kommuner": sorted(set(kommun_codes.values())),
            "districts": sorted(set(district_codes.values())),
            "excluded": {k: int(v) for k, v in scored.excluded.items()},
            "answered": {k: int(v) for k, v in scored.answered.items()},
            "cells": run.rows,
            "min_respondents": scales.min_respondents,
            "confidence": scales.confidence,
        }
        return SurveyImport.objects.create(
            county=county,
            survey=scales.survey_sv[:120],
            year=years[-1],
            file_name=respondents.file[:255],
            file_format=respondents.format,
            scales_digest=scales.digest,
            scales_source=active.source,
            respondents=respondents.rows_read,
            respondents_used=len(respondents.frame),
            report=report,
            import_run=run,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            is_demo=is_demo,
        )


def county_imports(county: Area) -> list[SurveyImport]:
    return list(
        SurveyImport.objects.filter(county=county).select_related("import_run", "uploaded_by")
    )


def has_survey_data(kommun: Area, user: Any = None) -> bool:
    """Whether the reader may see any survey value for ``kommun`` (published, or staged
    when ``user`` may see the kommun's unpublished imports)."""
    from jamlik.indicators.models import Observation, PublicObservation
    from jamlik.indicators.queries import visibility_for

    county = kommun.parent
    if county is None:
        return False
    ids = Indicator.objects.filter(owner=county, is_survey=True).values("pk")
    if PublicObservation.objects.filter(indicator__in=ids, area=kommun).exists():
        return True
    visibility = visibility_for(user)
    if not visibility.sees_staged:
        return False
    return Observation.objects.filter(
        visibility.staged_q(), indicator__in=ids, area=kommun
    ).exists()


# ---- reading the stored aggregates for pages ---------------------------------------------

SEX_CHOICES = ("female", "male")


def school_year_label(code: str) -> str:
    """``ak9`` → ``åk 9``, ``gy2`` → ``gy 2`` (as Swedish schools write them)."""
    found = re.fullmatch(r"(ak|gy)(\d+)", code or "")
    if not found:
        return code
    return f"{'åk' if found.group(1) == 'ak' else 'gy'} {found.group(2)}"


def _measures(county: Area, indicators: Sequence[Indicator]) -> list[Any]:
    from jamlik.surveys import profile

    try:
        scales = {s.id: s for s in active_scales(county).scales.scales}
    except ValueError:
        scales = {}
    found = []
    for indicator in indicators:
        scale = scales.get(indicator.source_id)
        kind = profile.INDICATOR if scale is None else scale.kind
        found.append(
            profile.Measure(
                indicator.code,
                indicator.name,
                kind,
                indicator.polarity,
                tuple(indicator.factors or ()),
            )
        )
    return found


def _estimates(frame: Any, area_id: int, year: int) -> dict[str, Any]:
    from jamlik.surveys import profile

    rows = frame[(frame["area_id"] == area_id) & (frame["period_end"] == year)]
    return {
        str(r.code): profile.estimate(
            r.value,
            r.lower,
            r.upper,
            r.denominator,
            suppressed=bool(r.suppressed),
            published=bool(r.published),
        )
        for r in rows.itertuples()
    }


@dataclass
class DistrictColumn:
    area: Area
    estimates: dict[str, Any]


@dataclass
class SurveyPage:
    """Everything the kommun's survey page shows (see :func:`survey_page`)."""

    kommun: Area
    county: Area
    years: list[int]
    year: int | None
    sex: str
    school_year: str
    school_years: list[tuple[str, str]]
    rows: list[Any]
    top: float
    ticks: list[tuple[float, float]]
    districts: list[DistrictColumn]
    district_rows: list[tuple[Any, list[Any]]]
    survey: str
    respondents: int | None
    weighted: bool | None
    min_respondents: int
    unpublished: bool

    @property
    def risk_rows(self) -> list[Any]:
        return [r for r in self.rows if r.measure.kind == "risk"]

    @property
    def protective_rows(self) -> list[Any]:
        return [r for r in self.rows if r.measure.kind == "protective"]

    @property
    def indicator_rows(self) -> list[Any]:
        return [r for r in self.rows if r.measure.kind not in ("risk", "protective")]


def _group(sex: str, school_year: str) -> tuple[str, str]:
    from jamlik.sources.observations import compose_breakdown

    return compose_breakdown({"sex": sex or "total", "school_year": school_year or "total"})


def _frame(indicators: Sequence[Indicator], areas: Sequence[Area], user: Any, **group: Any) -> Any:
    from jamlik.indicators.queries import observation_frame, visibility_for

    frame = observation_frame(
        indicator_ids=[i.pk for i in indicators],
        area_ids=[a.pk for a in areas],
        visibility=visibility_for(user),
        **group,
    )
    codes = {i.pk: i.code for i in indicators}
    frame["code"] = frame["indicator_id"].map(codes)
    return frame


def survey_page(
    kommun: Area,
    *,
    user: Any = None,
    year: int | None = None,
    sex: str = "",
    school_year: str = "",
) -> SurveyPage | None:
    """The kommun's risk and protective profile for one year and group, as ``user`` may
    see it (public: published only; roles: staged too, through the indicators' visibility
    layer).  None when the reader may see no survey value for the kommun."""
    from jamlik.surveys import profile

    county = kommun.parent
    if county is None:
        return None
    indicators = survey_indicators(county)
    if not indicators:
        return None
    sex = sex if sex in SEX_CHOICES else ""
    districts = list(Area.objects.filter(level=AreaLevel.DISTRICT, parent=kommun).order_by("code"))
    school = _frame(indicators[:1], [county], user, breakdown="school_year", category=None)
    codes = sorted(set(school["category"].astype(str)), key=lambda c: (c[:2] != "ak", c))
    school_years = [(c, school_year_label(c)) for c in codes]
    school_year = school_year if school_year in codes else ""
    breakdown, category = _group(sex, school_year)
    frame = _frame(
        indicators, [kommun, county, *districts], user, breakdown=breakdown, category=category
    )
    mine = frame[frame["area_id"] == kommun.pk]
    mine = mine[mine["value"].notna() | mine["suppressed"]]
    years = sorted({int(y) for y in mine["period_end"]}, reverse=True)
    if not years:
        return None
    year = year if year in years else years[0]
    measures = _measures(county, indicators)
    own = _estimates(frame, kommun.pk, year)
    bench = _estimates(frame, county.pk, year)
    rows, top = profile.build_rows(measures, own, bench)
    columns = [
        DistrictColumn(d, found)
        for d in districts
        if (found := _estimates(frame, d.pk, year))
        and any(e.shown or e.suppressed for e in found.values())
    ]
    district_rows = [(row, [c.estimates.get(row.measure.key) for c in columns]) for row in rows]
    record = SurveyImport.objects.filter(county=county, year=year).order_by("-created_at").first()
    answered = [e.n for e in own.values() if e.n is not None and not e.suppressed]
    scales = active_scales(county).scales
    return SurveyPage(
        kommun=kommun,
        county=county,
        years=years,
        year=year,
        sex=sex,
        school_year=school_year,
        school_years=school_years,
        rows=rows,
        top=top,
        ticks=profile.ticks(top),
        districts=columns,
        district_rows=district_rows if columns else [],
        survey=record.survey if record else scales.survey_sv,
        respondents=int(max(answered)) if answered else None,
        weighted=bool(record.report.get("weighted")) if record else None,
        min_respondents=scales.min_respondents,
        unpublished=bool((~frame["published"]).any()) if not frame.empty else False,
    )


# ---- the prevention star: factors the survey points to -----------------------------------


@dataclass(frozen=True)
class ScaleEvidence:
    """A scale's latest published share for a kommun against the county's."""

    factor: str
    kind: str
    name: str
    code: str
    survey: str
    year: int
    value: float
    lower: float | None
    upper: float | None
    county_value: float | None
    flag: str


def scale_evidence(kommun: Area) -> list[ScaleEvidence]:
    """Per survey scale, the kommun's latest published total share and the county's (the
    public's view: a suggestion shown to anyone never rests on unpublished data).  Empty
    when the kommun has no published survey data."""
    from jamlik.surveys import profile

    county = kommun.parent
    if county is None:
        return []
    indicators = survey_indicators(county)
    measures = [m for m in _measures(county, indicators) if m.kind in ("risk", "protective")]
    if not measures:
        return []
    chosen = [i for i in indicators if i.code in {m.key for m in measures}]
    frame = _frame(chosen, [kommun, county], None, breakdown="total", category="total")
    mine = frame[(frame["area_id"] == kommun.pk) & frame["value"].notna()]
    if mine.empty:
        return []
    year = int(mine["period_end"].max())
    own, bench = _estimates(frame, kommun.pk, year), _estimates(frame, county.pk, year)
    record = SurveyImport.objects.filter(county=county, year=year).order_by("-created_at").first()
    survey = record.survey if record else (chosen[0].source if chosen else "")
    found = []
    for measure in measures:
        mine_e, theirs = own.get(measure.key), bench.get(measure.key)
        if mine_e is None or not mine_e.shown:
            continue
        found.append(
            ScaleEvidence(
                factor=measure.factors[0] if measure.factors else "",
                kind=measure.kind,
                name=measure.name,
                code=measure.key,
                survey=survey,
                year=year,
                value=float(mine_e.value),
                lower=mine_e.lower,
                upper=mine_e.upper,
                county_value=theirs.value if theirs is not None and theirs.shown else None,
                flag=profile.flag(measure.kind, mine_e, theirs),
            )
        )
    return found
