"""Changes to indicator data: the catalogue, imports from files and from Kolada/PxWeb.

Every load goes through :func:`store_batches`: either every row of a file or
fetch is stored, with an :class:`ImportRun` saying who loaded what and when, or
nothing is.  Rows are written in batches of short transactions into a run that
stays incomplete (seen by nobody) until the last batch is in, and a load that
fails on the way is removed, so a million-row file never keeps anyone else's
save waiting for more than one batch.  When a row
brings a numerator and denominator but no value, the value and its 95 %
interval are computed here with :mod:`jamlik.stats` using the indicator's
value type (Wilson for proportions, exact/Byar's for rates).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from jamlik.core.bulk import insert_many
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.catalogue import load_catalogue
from jamlik.indicators.models import (
    OBSERVATION_COLUMNS,
    ImportRun,
    Indicator,
    Observation,
    ValueType,
)
from jamlik.sources import (
    KoladaClient,
    PxWebClient,
    load_query,
    parse_period,
)
from jamlik.sources import (
    Observation as SourceObservation,
)
from jamlik.sources.area_names import KnownArea
from jamlik.sources.errors import ImportProblem, ImportValidationError, QueryFileError
from jamlik.sources.observations import ObservationBatch
from jamlik.sources.questions import Answers, UnansweredQuestions, questions
from jamlik.sources.template import TemplateReader, open_import_file
from jamlik.stats.proportions import proportion
from jamlik.stats.rates import rate

STORE_CHUNK = 50_000


def sync_catalogue(*, update_existing: bool = True) -> int:
    """Create (and by default update) the catalogue's indicators from the shipped file.

    ``update_existing=False`` only adds missing indicators, leaving any edits
    made in the admin alone; the fetch and import commands use that.
    A county's own indicators (:mod:`jamlik.indicators.own`) are never touched, even
    if a later catalogue ships an entry with the same code.
    Returns the number of catalogue entries.
    """
    entries = load_catalogue()
    present = set(Indicator.objects.values_list("code", flat=True))
    owned = set(Indicator.objects.filter(owner__isnull=False).values_list("code", flat=True))
    with transaction.atomic():
        for order, entry in enumerate(entries):
            if entry.id in owned or (entry.id in present and not update_existing):
                continue
            Indicator.objects.update_or_create(
                code=entry.id,
                defaults={
                    "name_sv": entry.name_sv,
                    "name_en": entry.name_en,
                    "definition_sv": entry.definition_sv,
                    "definition_en": entry.definition_en,
                    "rationale_sv": entry.rationale_sv,
                    "rationale_en": entry.rationale_en,
                    "numerator_definition": entry.numerator_en,
                    "denominator_definition": entry.denominator_en,
                    "value_type": entry.value_type,
                    "unit": entry.unit,
                    "multiplier": entry.multiplier,
                    "polarity": entry.polarity,
                    "target_areas": list(entry.target_areas),
                    "problem_areas": list(entry.problem_areas),
                    "source": entry.source,
                    "source_id": entry.id if "Kolada" in entry.source else "",
                    "benchmark_confidence": entry.benchmark,
                    "is_survey": entry.survey,
                    "sort_order": order,
                },
            )
    return len(entries)


def _computed_values(
    indicator: Indicator, numerators: np.ndarray, denominators: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value and 95 % limits from counts, by the indicator's value type."""
    if indicator.value_type == ValueType.PROPORTION:
        table = proportion(numerators, denominators, multiplier=indicator.multiplier)
    elif indicator.value_type in (ValueType.RATE, ValueType.DSR):
        # A DSR needs counts by age; with only totals the crude rate is what we can compute.
        table = rate(numerators, denominators, multiplier=indicator.multiplier)
    else:
        nan = np.full(len(numerators), np.nan)
        return nan, nan, nan
    return (
        table["value"].to_numpy(dtype=float),
        table["lower"].to_numpy(dtype=float),
        table["upper"].to_numpy(dtype=float),
    )


#: Columns written by :func:`insert_rows`, in the order of :func:`build_rows`' tuples.
INSERT_COLUMNS = (*OBSERVATION_COLUMNS, "is_live")


@lru_cache(maxsize=4096)
def _period(label: str) -> tuple[str, int, int]:
    period = parse_period(label)
    return period.label, period.start_year, period.end_year


def _plain(values: np.ndarray) -> list[float | None]:
    return [None if x != x else x for x in values.tolist()]  # NaN → None


def batch_rows(
    batch: ObservationBatch,
    *,
    indicators: dict[str, Indicator],
    areas: dict[str, int],
    run: ImportRun | None,
    is_demo: bool = False,
    live: bool = True,
) -> list[tuple[Any, ...]]:
    """Row tuples (see ``INSERT_COLUMNS``) for a batch of canonical observations.

    Values and 95 % limits missing from rows that bring counts are computed
    per indicator in one vectorised call to :mod:`jamlik.stats`.  ``live``
    false stages the rows (see :mod:`jamlik.indicators.staging`).
    """
    value, lower, upper = batch.value.copy(), batch.lower.copy(), batch.upper.copy()
    with np.errstate(invalid="ignore"):
        counts = (
            np.isnan(value) & ~np.isnan(batch.numerator) & (np.nan_to_num(batch.denominator) != 0)
        )
    if counts.any():
        codes = np.asarray(batch.indicator, dtype=object)
        for code in set(codes[counts].tolist()):
            where = counts & (codes == code)
            computed = _computed_values(
                indicators[code], batch.numerator[where], batch.denominator[where]
            )
            value[where], lower[where], upper[where] = computed
    if batch.period_start is None or batch.period_end is None:
        parsed = [_period(label) for label in batch.period]
        labels = [p[0] for p in parsed]
        starts, ends = [p[1] for p in parsed], [p[2] for p in parsed]
    else:
        labels, starts, ends = batch.period, batch.period_start.tolist(), batch.period_end.tolist()
    n = len(batch)
    ids = {code: indicator.pk for code, indicator in indicators.items()}
    return list(
        zip(
            [ids[code] for code in batch.indicator],
            [areas[code] for code in batch.area],
            labels,
            starts,
            ends,
            batch.breakdown,
            batch.category,
            _plain(batch.numerator),
            _plain(batch.denominator),
            _plain(value),
            _plain(lower),
            _plain(upper),
            [note[:500] for note in batch.note],
            [source[:255] for source in batch.source],
            [run.pk if run is not None else None] * n,
            [is_demo] * n,
            batch.statuses(),
            [live] * n,
            strict=True,
        )
    )


def build_rows(
    observations: Sequence[SourceObservation],
    *,
    indicators: dict[str, Indicator],
    areas: dict[str, int],
    run: ImportRun | None,
    is_demo: bool = False,
    live: bool = True,
) -> list[tuple[Any, ...]]:
    """:func:`batch_rows` for a list of :class:`~jamlik.sources.Observation`."""
    return batch_rows(
        ObservationBatch.from_observations(observations),
        indicators=indicators,
        areas=areas,
        run=run,
        is_demo=is_demo,
        live=live,
    )


def insert_rows(rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert observation row tuples (see ``INSERT_COLUMNS``) in bulk
    (:func:`jamlik.core.bulk.insert_many`). Call inside a transaction."""
    insert_many(Observation._meta.db_table, INSERT_COLUMNS, rows)


def _check_references(
    batch: ObservationBatch,
    origin: str,
    indicators: dict[str, Indicator],
    areas: dict[str, int],
    limits: dict[str, Any] | None = None,
) -> None:
    from jamlik.indicators.own import limit_problems

    limited = limit_problems(zip(batch.indicator, batch.area, strict=True), limits or {})
    problems = [
        ImportProblem(origin, 0, "indicator", code, "an indicator id in the catalogue")
        for code in sorted(set(batch.indicator) - indicators.keys())
    ] + [
        ImportProblem(origin, 0, "area", code, "an area code known to Jämlik")
        for code in sorted(set(batch.area) - areas.keys())
    ]
    problems += [
        ImportProblem(origin, 0, column, value, expected)
        for column, value, expected, _code in limited
    ]
    if problems:
        raise ImportValidationError(problems)


def _replaced_count(
    batch: ObservationBatch, indicators: dict[str, Indicator], areas: dict[str, int]
) -> int:
    """How many live rows this batch would replace (one read per indicator in it)."""
    from jamlik.indicators.staging import live_rows

    labels = [_period(label)[0] for label in batch.period]
    ids = {code: indicator.pk for code, indicator in indicators.items()}
    keys = zip(
        [ids[c] for c in batch.indicator],
        [areas[c] for c in batch.area],
        labels,
        batch.breakdown,
        batch.category,
        strict=True,
    )
    return len(live_rows(keys))


def store_batches(
    batches: Iterable[ObservationBatch],
    *,
    kind: str,
    description: str,
    user: Any = None,
    actor: str = "",
    is_demo: bool = False,
    notes: Sequence[dict[str, Any]] = (),
) -> ImportRun:
    """Store batches of observations as one :class:`ImportRun`, all or nothing.

    Each batch is written staged in a short transaction of its own, into a run
    marked incomplete; when the last is in, the run is complete.  Unknown
    indicators or areas, a problem raised while the batches are read (a file
    checked as it streams), or any failure remove the run and every row it
    wrote, and the error is raised.  Runs from Kolada, PxWeb and the demo are
    then published at once (:func:`jamlik.indicators.staging.publish`: their
    rows replace the live rows with the same key, which are deleted, and the
    protected public table of the indicators they touch is rebuilt); file
    imports stay staged until a county administrator publishes them
    (:func:`set_published`).  ``updated`` counts the live rows the run replaces.
    """
    from jamlik.indicators.own import import_limits
    from jamlik.indicators.staging import discard, publish

    indicators = {i.code: i for i in Indicator.objects.all()}
    areas = dict(Area.objects.values_list("code", "id"))
    limits = import_limits()
    run = ImportRun.objects.create(
        kind=kind,
        user=user if getattr(user, "is_authenticated", False) else None,
        actor=actor or (getattr(user, "username", "") or _os_user()),
        description=description[:2000],
        is_demo=is_demo,
        complete=False,
        notes=list(notes),
    )
    try:
        rows = replaced = 0
        for batch in batches:
            _check_references(batch, description, indicators, areas, limits)
            replaced += _replaced_count(batch, indicators, areas)
            with transaction.atomic():
                insert_rows(
                    batch_rows(
                        batch,
                        indicators=indicators,
                        areas=areas,
                        run=run,
                        is_demo=is_demo,
                        live=False,
                    )
                )
            rows += len(batch)
        run.rows, run.created, run.updated = rows, rows - replaced, replaced
        run.complete = True
        run.save(update_fields=["rows", "created", "updated", "complete"])
        if ImportRun.published_on_load(kind):
            publish(run, user=None, discard_replaced=True)
    except BaseException:
        discard(run)
        raise
    return run


def store_observations(
    observations: Sequence[SourceObservation],
    *,
    kind: str,
    description: str,
    user: Any = None,
    actor: str = "",
    is_demo: bool = False,
    notes: Sequence[dict[str, Any]] = (),
) -> ImportRun:
    """:func:`store_batches` for a list of observations (a fetch from an open source).

    A source may repeat a row (overlapping requests); the last one wins.
    ``notes`` are the source's notes on the table (``ImportRun.notes``).
    """
    unique = list({o.key: o for o in observations}.values())
    return store_batches(
        _batched(unique),
        kind=kind,
        description=description,
        user=user,
        actor=actor,
        is_demo=is_demo,
        notes=notes,
    )


def _batched(observations: Sequence[SourceObservation]) -> Iterator[ObservationBatch]:
    for start in range(0, len(observations), STORE_CHUNK):
        yield ObservationBatch.from_observations(observations[start : start + STORE_CHUNK])


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def known_area_codes() -> set[str]:
    """Codes a file may refer to: riket, län, kommuner and districts."""
    return set(Area.objects.values_list("code", flat=True))


def editable_area_codes(user: Any) -> set[str]:
    """Area codes ``user`` may load data for: their kommuner, those kommuner's
    districts, the län they administer, and riket for national administrators."""
    from jamlik.accounts.services import areas_user_can_edit, counties_user_administers

    kommuner = areas_user_can_edit(user)
    codes = {a.code for a in kommuner}
    codes |= set(
        Area.objects.filter(level=AreaLevel.DISTRICT, parent__in=kommuner).values_list(
            "code", flat=True
        )
    )
    codes |= {a.code for a in counties_user_administers(user)}
    if getattr(user, "is_superuser", False):
        codes |= known_area_codes()
    return codes


def known_area_list() -> list[KnownArea]:
    """Every area with its name, level and parent, for reading area names in files
    (:mod:`jamlik.sources.area_names`; districts included)."""
    rows = Area.objects.values_list("code", "name", "level", "parent__code")
    return [KnownArea(code, name, level, parent) for code, name, level, parent in rows]


def template_reader(
    path: Path | str,
    *,
    user: Any = None,
    data: bytes | None = None,
    restrict_to_user: bool = False,
    answers: Answers | None = None,
) -> TemplateReader:
    """A reader over a template file, checked against the catalogue and the areas
    ``user`` may load (with ``restrict_to_user``), reading area names as codes.
    A county's own indicator takes rows for that county's areas only, an old
    definition none (:func:`jamlik.indicators.own.import_limits`), row by row."""
    from jamlik.indicators.own import import_limits

    if restrict_to_user:
        areas = editable_area_codes(user)
        expected = (
            "an area you may edit ("
            + ", ".join(sorted(areas)[:8])
            + ("…" if len(areas) > 8 else "")
            + ")"
        )
    else:
        areas, expected = known_area_codes(), None
    return open_import_file(
        path,
        known_areas=areas,
        known_indicators=set(Indicator.objects.values_list("code", flat=True)),
        data=data,
        area_expected=expected,
        areas=known_area_list(),
        answers=answers,
        indicator_limits=import_limits(),
    )


def answered_chunks(reader: TemplateReader) -> Iterator[ObservationBatch]:
    """The reader's chunks, then :class:`UnansweredQuestions` if the file left a question
    open (which area a name means, how ``984,748`` reads): such a file is never guessed."""
    yield from reader.chunks()
    still_open = questions(reader.warnings)
    if still_open:
        raise UnansweredQuestions(still_open)


def import_file(
    path: Path | str,
    *,
    user: Any = None,
    data: bytes | None = None,
    restrict_to_user: bool = False,
    answers: Answers | None = None,
) -> ImportRun:
    """Validate and store a template file (CSV/XLSX); all or nothing.

    With ``restrict_to_user`` (web uploads) every row must concern an area
    the user may edit; a row for any other area is a problem like any other
    and nothing is stored.  ``answers`` settle the file's questions (see
    :mod:`jamlik.sources.questions`); a question left open stores nothing.
    """
    reader = template_reader(
        path, user=user, data=data, restrict_to_user=restrict_to_user, answers=answers
    )
    run = store_batches(
        answered_chunks(reader),
        kind=ImportRun.Kind.FILE,
        description=f"File {reader.file}",
        user=user,
    )
    run.description = f"File {reader.file} ({reader.rows} rows)"
    run.save(update_fields=["description"])
    return run


def expand_area_codes(codes: Iterable[str]) -> list[str]:
    """Area codes to fetch: a län code brings its kommuner along (as in ``--area 01``)."""
    result: list[str] = []
    for code in codes:
        code = code.strip()
        if not code:
            continue
        result.append(code)
        area = Area.objects.filter(code=code).first()
        if area is not None and area.level == AreaLevel.COUNTY:
            result.extend(Area.objects.municipalities(code).values_list("code", flat=True))
    return list(dict.fromkeys(result))


def fetch_kolada(
    kpis: Sequence[str],
    area_codes: Sequence[str],
    years: Sequence[int],
    *,
    client: KoladaClient | None = None,
    user: Any = None,
) -> ImportRun:
    """Fetch KPI values from Kolada and store them (values Kolada lacks are kept as missing)."""
    client = client or KoladaClient()
    areas = expand_area_codes(area_codes)
    observations = client.fetch(kpis, areas, years)
    span = f"{min(years)}-{max(years)}" if years else "all years"
    return store_observations(
        observations,
        kind=ImportRun.Kind.KOLADA,
        description=f"Kolada {','.join(kpis)} for {len(areas)} areas, {span}",
        user=user,
    )


def fetch_pxweb(
    url: str, query_file: Path | str, *, client: PxWebClient | None = None, user: Any = None
) -> tuple[ImportRun, list[str]]:
    """Fetch a PxWeb table as described by a query file and store it; returns warnings too.

    The table's notes are kept on the run (mandatory ones are shown with its
    figures: :mod:`jamlik.indicators.source_notes`); a problem with the query
    file is reported with the file's name.
    """
    query = load_query(query_file)
    try:
        result = (client or PxWebClient()).fetch(query, url)
    except QueryFileError as exc:
        raise QueryFileError(f"{query_file}: {exc}") from exc
    run = store_observations(
        result.observations,
        kind=ImportRun.Kind.PXWEB,
        description=f"PxWeb {url or query.url} with {Path(query_file).name} ({result.calls} calls)",
        user=user,
        notes=[note.as_dict() for note in result.notes],
    )
    return run, result.warnings


def run_area_ids(run: ImportRun) -> set[int]:
    """The areas a run brought observations for (one query on the run's index)."""
    return set(
        Observation.objects.filter(import_run=run).values_list("area_id", flat=True).distinct()
    )


def may_publish(user: Any, run: ImportRun) -> bool:
    """Whether ``user`` may publish or unpublish ``run``: county administrator of
    every area the run touches (a run with riket or another county's areas
    needs that county's administrator, or a national one), once it is completely stored."""
    if not getattr(user, "is_authenticated", False) or not run.complete:
        return False
    areas = Area.objects.filter(pk__in=run_area_ids(run)).select_related("parent")
    return all(user.has_perm("jamlik.admin_county", a) for a in areas) and areas.exists()


def _county_runs(county: Area) -> Any:
    areas = Area.objects.filter(
        Q(pk=county.pk) | Q(parent=county) | Q(parent__parent=county)
    ).values("pk")
    touches = Observation.objects.filter(import_run=OuterRef("pk"), area__in=areas)
    return ImportRun.objects.filter(Exists(touches))


def county_import_runs(county: Area, limit: int = 100) -> list[ImportRun]:
    """Import runs with observations for ``county``, its kommuner or their districts,
    newest first."""
    return list(
        _county_runs(county)
        .select_related("user", "published_by")
        .order_by("-started_at", "-pk")[:limit]
    )


def run_touches_county(run: ImportRun, county: Area) -> bool:
    """Whether ``run`` has observations for ``county``, its kommuner or their districts."""
    return bool(_county_runs(county).filter(pk=run.pk).exists())


def set_published(run: ImportRun, *, user: Any, published: bool) -> ImportRun:
    """Publish (or withdraw) an import run's observations, recording who and when.

    Raises :class:`PermissionError` unless ``user`` is county administrator of
    every area the run touches; the caller turns that into a 403.
    """
    from jamlik.indicators import staging

    if not run.complete:
        raise staging.IncompleteRun(f"import run {run.pk} is not completely stored")
    if not may_publish(user, run):
        raise PermissionError("Only the county administrator of every area in the run may do this.")
    if published == run.published:
        return run
    return staging.publish(run, user=user) if published else staging.withdraw(run)


def comparisons_for_area(area: Area, user: Any = None) -> list[tuple[Indicator, Any, str]]:
    """How ``area`` compares with its county on every indicator: ``(indicator, comparison, period)``.

    For other apps that set activity against need (the actor map's gap view,
    the support app's need score).  ``comparison`` is a
    :class:`jamlik.stats.Comparison` (``BETTER``, ``SIMILAR``, ``WORSE``,
    ``MUCH_BETTER``/``MUCH_WORSE``, ``HIGHER``/``LOWER`` for indicators without
    polarity, or ``NOT_COMPARED`` when there is no value or interval), judged
    with the indicator's polarity, from the latest period that has a value for
    ``area``, after disclosure control.  ``period`` is that period's label
    (``""`` when the area has no value).  A district is compared with its
    kommun's county; a county or riket with riket.  Costs four queries.

    Only published observations count, unless ``user`` is given and may see
    the area's unpublished imports: a need or gap view shown to the public
    must never rest on data the public may not see.  Means and indices, which
    the pages rank in quintiles among the county's kommuner, are
    ``NOT_COMPARED`` here, since a ranking is not a judgement against the
    benchmark.
    """
    from jamlik.indicators.analysis import compare_with, indicator_map
    from jamlik.indicators.own import indicators_for
    from jamlik.indicators.queries import latest_rows, observation_frame, visibility_for
    from jamlik.stats import Comparison

    indicators = indicator_map(indicators_for(area))  # no other county's own indicators
    bench = area.county if area.level in (AreaLevel.MUNICIPALITY, AreaLevel.DISTRICT) else None
    bench = bench or Area.objects.country()
    frame = observation_frame(
        indicator_ids=indicators.keys(),
        area_ids=[area.pk, bench.pk],
        visibility=visibility_for(user),
    )
    frame = latest_rows(frame, among=[area.pk])
    compared = compare_with(
        frame[frame["area_id"] == area.pk], frame[frame["area_id"] == bench.pk], indicators
    )
    found = {
        int(r.indicator_id): (Comparison(r.comparison), str(r.period))
        for r in compared.itertuples()
    }
    return [(ind, *found.get(pk, (Comparison.NOT_COMPARED, ""))) for pk, ind in indicators.items()]
