"""A county's own indicators: created and kept in the UI, versioned by definition.

A county administrator adds measures the national catalogue lacks (a local survey
question, a school's attendance figure). They are ordinary :class:`Indicator` rows
with an ``owner`` county, so every page, map, gap view, export and the API treat them
as they treat the catalogue's; what differs lives here:

* **ids** – the county chooses the id (``series``); version 1 carries it as its code.
  It must not clash with any indicator code or catalogue id, case ignored, since a file
  names indicators by code.
* **versions** – a value collected under one definition must keep it. Changing a
  *defining* field (:data:`DEFINING_FIELDS`) of an indicator that already has values
  therefore starts a new row, code ``<series>.v<n>``, linked to the older one
  (``previous``), which stops being ``current``. Without values the change is made in
  place. This is how statistical agencies handle a break in a series (SCB marks a
  "tidsseriebrott" rather than rewriting old figures).
* **where** – an own indicator has values only for its county's areas
  (:func:`import_limits`), and a county's pages list its own indicators beside the
  catalogue (:func:`indicators_for`); other counties never see empty rows of them.
* **promotion** – a national administrator moves a series to the shared catalogue by
  clearing ``owner`` (``promoted_at`` records when).

Edits use the optimistic locking of :mod:`jamlik.core.versioning`: a save from an older
``version`` raises :class:`~jamlik.core.versioning.VersionConflict`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jamlik.core.versioning import claim, unchanged
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.models import Indicator, Observation

#: Longest id a county may choose: ``.v`` and two digits must still fit the 32 of ``code``.
MAX_SERIES_LENGTH = 24
SERIES_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")

#: Fields that say what a number means. Changing one when values exist starts a new version.
DEFINING_FIELDS = (
    "value_type",
    "multiplier",
    "unit",
    "definition_sv",
    "definition_en",
    "numerator_definition",
    "denominator_definition",
    "method",
)
#: Fields edited in place whatever the values: names, judgement, links, source, thresholds.
DESCRIBING_FIELDS = (
    "name_sv",
    "name_en",
    "polarity",
    "target_areas",
    "problem_areas",
    "factors",
    "source",
    "disclosure_threshold",
    "denominator_threshold",
    "web_entry",
)
EDITABLE_FIELDS = DEFINING_FIELDS + DESCRIBING_FIELDS


class OwnIndicatorError(ValueError):
    """A refused change, with the field it concerns (``""`` for the whole indicator)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def series_problem(series: str) -> str | None:
    """Why ``series`` cannot be a new id, in the reader's language, or None when it can."""
    if not series:
        return _("Give the indicator an id.")
    if len(series) > MAX_SERIES_LENGTH:
        return _("An id has at most %(max)s characters.") % {"max": MAX_SERIES_LENGTH}
    if not SERIES_PATTERN.match(series):
        return _("An id may hold only letters a-z, digits, _ and -.")
    if _taken(series):
        return _(
            "The id %(id)s is already used by an indicator (the catalogue's Kolada ids "
            "included); choose another."
        ) % {"id": series}
    return None


def _taken(series: str) -> bool:
    """Whether any indicator, series or catalogue entry already uses ``series``."""
    from jamlik.indicators.catalogue import load_catalogue

    folded = series.casefold()
    if any(entry.id.casefold() == folded for entry in load_catalogue()):
        return True
    return Indicator.objects.filter(Q(code__iexact=series) | Q(series__iexact=series)).exists()


def create_own(county: Area, *, series: str, user: Any = None, **fields: Any) -> Indicator:
    """Create version 1 of a county's own indicator, code = the chosen id."""
    if county.level != AreaLevel.COUNTY:
        raise OwnIndicatorError(_("Own indicators belong to a county."))
    problem = series_problem(series)
    if problem:
        raise OwnIndicatorError(problem, "series")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        indicator = Indicator(
            code=series,
            series=series,
            series_version=1,
            owner=county,
            current=True,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=timezone.now(),
            sort_order=_next_sort_order(),
            **fields,
        )
        indicator.full_clean(exclude=["version"])
        try:
            with transaction.atomic():
                indicator.save()
        except IntegrityError as exc:  # the same id saved by someone else a moment ago
            problem = series_problem(series) or _("Choose another id.")
            raise OwnIndicatorError(problem, "series") from exc
    return indicator


def _next_sort_order() -> int:
    """Own indicators sort after the catalogue's, in the order they were made."""
    highest = Indicator.objects.aggregate(m=Max("sort_order"))["m"] or 0
    return min(highest + 1, 32767)


def has_values(indicator: Indicator) -> bool:
    """Whether any value (staged or published) was stored under this definition."""
    return Observation.objects.filter(indicator=indicator).exists()


def defining_change(indicator: Indicator, values: Mapping[str, Any]) -> list[str]:
    """The defining fields ``values`` would change."""
    return [f for f in DEFINING_FIELDS if f in values and values[f] != getattr(indicator, f)]


@dataclass(frozen=True)
class Saved:
    """What a save did: the current row afterwards, and whether it is a new version."""

    indicator: Indicator
    new_version: bool
    changed: bool


def save_own(
    indicator: Indicator, values: Mapping[str, Any], *, expected: int | None, user: Any = None
) -> Saved:
    """Save an edit of an own indicator loaded at version ``expected``.

    A changed definition of an indicator with values starts version n+1 (the old row
    keeps its values and definition, and ``current`` turns false); anything else is
    written in place. Raises :class:`~jamlik.core.versioning.VersionConflict` when
    someone saved in between, and :class:`OwnIndicatorError` for an old version.
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if not indicator.current:
        newer = current_of(indicator)
        raise OwnIndicatorError(
            _("This is an old definition; edit the current one, %(code)s.") % {"code": newer.code}
        )
    with transaction.atomic():
        changes = defining_change(indicator, values)
        for name, value in values.items():
            setattr(indicator, name, value)
        if unchanged(indicator, values.keys()):
            return Saved(indicator, new_version=False, changed=False)
        claim(indicator, expected)
        if changes and has_values(indicator):
            return Saved(_new_version(indicator, user), new_version=True, changed=True)
        indicator.full_clean(exclude=["version"])
        indicator.save()
    return Saved(indicator, new_version=False, changed=True)


def _new_version(indicator: Indicator, user: Any) -> Indicator:
    """Version n+1 of ``indicator`` (its fields already changed in memory); the stored
    row of version n is left as it was, apart from ``current``."""
    series = indicator.series or indicator.code
    number = (
        Indicator.objects.filter(series=series).aggregate(m=Max("series_version"))["m"] or 1
    ) + 1
    older = Indicator.objects.get(pk=indicator.pk)
    Indicator.objects.filter(pk=older.pk).update(current=False)
    fresh = Indicator(
        **{
            f.attname: getattr(indicator, f.attname)
            for f in Indicator._meta.concrete_fields
            if f.name not in ("id", "version", "previous", "current")
        }
    )
    fresh.code = f"{series}.v{number}"
    fresh.series = series
    fresh.series_version = number
    fresh.previous = older
    fresh.current = True
    fresh.created_by = user if getattr(user, "is_authenticated", False) else None
    fresh.created_at = timezone.now()
    fresh.full_clean(exclude=["version", "previous"])
    fresh.save()
    return fresh


def versions(indicator: Indicator) -> list[Indicator]:
    """Every definition of the indicator's series, oldest first."""
    if not indicator.series:
        return [indicator]
    return list(Indicator.objects.filter(series=indicator.series).order_by("series_version"))


def current_of(indicator: Indicator) -> Indicator:
    """The current definition of the indicator's series (itself when current)."""
    if indicator.current or not indicator.series:
        return indicator
    found = Indicator.objects.filter(series=indicator.series, current=True).first()
    return found or indicator


def promote(indicator: Indicator, *, user: Any) -> list[Indicator]:
    """Move the indicator's whole series to the shared catalogue (national administrators)."""
    if not user.has_perm("jamlik.admin_national"):
        raise PermissionError("Only a national administrator may promote an indicator.")
    if indicator.owner_id is None:
        raise OwnIndicatorError(
            _("%(code)s is already in the shared catalogue.") % {"code": indicator.code}
        )
    rows = versions(indicator)
    now = timezone.now()
    with transaction.atomic():
        for row in rows:
            claim(row, None)
            row.owner = None
            row.promoted_at = now
            row.save(update_fields=["owner", "promoted_at", "version"])
    return rows


def own_indicators(county: Area) -> list[Indicator]:
    """The county's own indicators, every version, by series then version."""
    return list(
        Indicator.objects.filter(owner=county)
        .select_related("created_by")
        .order_by("series", "series_version")
    )


def indicators_for(area: Area | None) -> list[Indicator]:
    """What a page about ``area`` lists: the shared catalogue, and for a county (or one
    of its kommuner or districts) that county's own indicators in their current
    definition. Riket's pages list the catalogue only."""
    county = area.county if area is not None else None
    query = Q(owner__isnull=True)
    if county is not None:
        query |= Q(owner=county, current=True)
    return list(Indicator.objects.filter(query))


def county_area_codes(county: Area) -> frozenset[str]:
    """The county, its kommuner and their districts: where its own indicators have values."""
    return frozenset(
        Area.objects.filter(
            Q(pk=county.pk) | Q(parent=county) | Q(parent__parent=county)
        ).values_list("code", flat=True)
    )


@dataclass(frozen=True)
class Limit:
    """Where an indicator may get new values, and the problem text when a row is elsewhere."""

    areas: frozenset[str]
    column: str
    expected: str


def import_limits() -> dict[str, Limit]:
    """Indicators whose new values are limited, by code: an old definition takes none
    (its values stay as collected; new ones go to the current version), an own
    indicator takes values for its county's areas only. The catalogue's are absent."""
    from jamlik.sources.texts import Text

    limited = list(
        Indicator.objects.filter(Q(owner__isnull=False) | Q(current=False)).select_related("owner")
    )
    if not limited:
        return {}
    currents = {
        i.series: i.code
        for i in Indicator.objects.filter(
            series__in={i.series for i in limited if i.series}, current=True
        )
    }
    areas: dict[int, frozenset[str]] = {}
    limits: dict[str, Limit] = {}
    for ind in limited:
        if not ind.current:
            limits[ind.code] = Limit(
                frozenset(),
                "indicator",
                Text(
                    "the current definition of the indicator (%(current)s); %(code)s is an "
                    "old definition and takes no new values",
                    current=currents.get(ind.series, "?"),
                    code=ind.code,
                ),
            )
        elif ind.owner is not None:
            if ind.owner_id not in areas:
                areas[ind.owner_id] = county_area_codes(ind.owner)
            limits[ind.code] = Limit(
                areas[ind.owner_id],
                "area",
                Text(
                    "an area in %(county)s: %(code)s is that county's own indicator",
                    county=ind.owner.name,
                    code=ind.code,
                ),
            )
    return limits


def limit_problems(
    pairs: Iterable[tuple[str, str]], limits: Mapping[str, Limit]
) -> list[tuple[str, str, str, str]]:
    """``(indicator, area)`` pairs that break ``limits``, as ``(column, value, expected,
    indicator)``; one per distinct pair, for callers without row numbers."""
    found = []
    for code, area in sorted(set(pairs)):
        limit = limits.get(code)
        if limit is not None and area not in limit.areas:
            value = code if limit.column == "indicator" else area
            found.append((limit.column, value, limit.expected, code))
    return found
