"""Web data entry against the database: who may enter what, what is stored, saving.

The checks are pure (:mod:`jamlik.indicators.entry`); here they meet the stored rows.
An entry is an import like any other: :func:`save_entry` stores the changed rows as
one staged ``ENTRY`` run through :func:`jamlik.indicators.services.store_batches`, and
the county publishes it on its import page.  Two people may have the same form open:
the form carries the stored numbers it showed, and a save whose cells were changed
by someone else in between is refused (:class:`EntryConflict`), the optimistic
concurrency of :mod:`jamlik.core.versioning` applied to cells instead of records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jamlik.accounts.rules import is_national
from jamlik.accounts.services import areas_user_can_edit, counties_user_administers
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.entry import (
    EMPTY_CELL,
    CellState,
    EnteredRow,
    EntryProblem,
    Numbers,
    PeriodPattern,
    StoredCell,
    build_batch,
    check_rows,
    cleared_problems,
    conflicts,
    edited_rows,
    entry_shape,
    period_pattern,
    period_problem,
)
from jamlik.indicators.models import ImportRun, Indicator, Observation
from jamlik.sources import parse_period
from jamlik.sources.observations import TOTAL

#: What the observations' ``source`` says for entered values.
ENTRY_SOURCE = "Jämlik web data entry"


class EntryRefused(Exception):  # noqa: N818 - a refusal, shown to the user as 403
    """The user may not enter this indicator (or for this kommun); the message says why."""


class EntryNotFound(Exception):  # noqa: N818 - shown as 404
    """The period is not one this indicator takes; the message says what it takes."""


class EntryInvalid(Exception):  # noqa: N818 - the form's errors
    """Rows broke the rules; nothing was stored."""

    def __init__(self, problems: Sequence[EntryProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class ChangedCell:
    """A cell someone else saved after the form was opened: kommun and its numbers now."""

    area: str
    name: str
    stored: StoredCell


class EntryConflict(Exception):  # noqa: N818 - the domain word, as in HTTP 409 Conflict
    """Someone else saved some of the edited cells in between; nothing was stored."""

    def __init__(self, cells: Sequence[ChangedCell], current: Mapping[str, StoredCell]) -> None:
        self.cells = list(cells)
        self.current = dict(current)
        super().__init__(", ".join(c.name for c in cells))


def latest_year() -> int:
    """The last year values may be entered for: this one."""
    return timezone.localdate().year


def current_definition(indicator: Indicator) -> Indicator | None:
    """The current version of the indicator's series, or None when there is none."""
    from jamlik.indicators.own import current_of

    found = current_of(indicator)
    return found if found.current else None


def _user_county_ids(user: Any) -> set[int]:
    """Counties the user may enter in: those they administer and their kommuner's."""
    ids = {a.pk for a in counties_user_administers(user)}
    ids |= {a.parent_id for a in areas_user_can_edit(user) if a.parent_id is not None}
    return ids


def entry_indicators(user: Any) -> list[Indicator]:
    """Web-entry indicators the user may enter: shared ones and their county's own,
    current definitions only."""
    if not getattr(user, "is_authenticated", False) or not areas_user_can_edit(user):
        return []
    query = Indicator.objects.filter(web_entry=True, current=True)
    if not is_national(user):
        query = query.filter(Q(owner__isnull=True) | Q(owner_id__in=_user_county_ids(user)))
    return list(query.select_related("owner").order_by("sort_order", "code"))


def check_may_enter(user: Any, indicator: Indicator) -> None:
    """Raise :class:`EntryRefused` unless the user may enter values for ``indicator``."""
    if not getattr(user, "is_authenticated", False) or not areas_user_can_edit(user):
        raise EntryRefused(_("Only editors and county administrators may enter values."))
    if not indicator.web_entry:
        raise EntryRefused(_("This indicator is not entered on the web; its data come by import."))
    if not indicator.current:
        newer = current_definition(indicator)
        if newer is None:
            raise EntryRefused(
                _("This definition of the indicator is no longer current; enter no new values.")
            )
        raise EntryRefused(
            _(
                "This definition of the indicator is no longer current: enter values for "
                "the current one, %(code)s %(name)s."
            )
            % {"code": newer.code, "name": newer.name}
        )
    if (
        indicator.owner_id is not None
        and not is_national(user)
        and indicator.owner_id not in _user_county_ids(user)
    ):
        raise EntryRefused(
            _("This is %(county)s's own indicator: only that county enters its values.")
            % {"county": indicator.owner.name if indicator.owner else ""}
        )


def entry_kommuner(user: Any, indicator: Indicator, county: Area | None = None) -> list[Area]:
    """The kommuner whose rows the user may fill in for ``indicator``: an editor's kommun,
    a county administrator's county (the owner county for an own indicator; a national
    administrator chooses a county, Stockholms län by default)."""
    kommuner = areas_user_can_edit(user)
    if indicator.owner_id is not None:
        kommuner = [a for a in kommuner if a.parent_id == indicator.owner_id]
    elif is_national(user):
        county = county or Area.objects.filter(level=AreaLevel.COUNTY).order_by("code").first()
        kommuner = [a for a in kommuner if county is not None and a.parent_id == county.pk]
    return sorted(kommuner, key=lambda a: a.code)


def checked_period(indicator: Indicator, label: str) -> tuple[str, PeriodPattern]:
    """The canonical period label and the indicator's pattern; :class:`EntryNotFound`
    when the indicator takes no such period."""
    pattern = indicator_pattern(indicator)
    problem = period_problem(label, pattern, latest_year())
    if problem is not None:
        raise EntryNotFound(problem)
    return parse_period(label).label, pattern


def indicator_pattern(indicator: Indicator) -> PeriodPattern:
    """The period pattern of the indicator's stored values (a year when it has none)."""
    labels = (
        Observation.objects.filter(indicator=indicator)
        .values_list("period", flat=True)
        .distinct()[:200]
    )
    return period_pattern(labels)


def stored_cells(indicator: Indicator, period: str, areas: Sequence[Area]) -> dict[str, StoredCell]:
    """Each area's stored total for the period: the newest staged row of a complete,
    unpublished run (awaiting publication), else the live row (published)."""
    codes = {a.pk: a.code for a in areas}
    rows = (
        Observation.objects.filter(
            indicator=indicator,
            period=period,
            breakdown=TOTAL,
            category=TOTAL,
            area_id__in=list(codes),
        )
        .filter(
            Q(is_live=True)
            | Q(is_live=False, import_run__published=False, import_run__complete=True)
        )
        .order_by("import_run__started_at", "import_run_id")
        .values_list("area_id", "numerator", "denominator", "value", "is_live")
    )
    live: dict[str, StoredCell] = {}
    staged: dict[str, StoredCell] = {}
    for area_id, numerator, denominator, value, is_live in rows:
        if is_live:
            live[codes[area_id]] = StoredCell(numerator, denominator, value, CellState.PUBLISHED)
        else:  # ordered oldest first: the newest staged row wins
            staged[codes[area_id]] = StoredCell(numerator, denominator, value, CellState.STAGED)
    return {**live, **staged}


@dataclass(frozen=True)
class EntrySaved:
    """A stored entry: the staged run and the kommuner it holds."""

    run: ImportRun | None
    kommuner: list[str]


def save_entry(
    user: Any,
    indicator: Indicator,
    period: str,
    rows: Sequence[EnteredRow],
    shown: Mapping[str, Numbers],
    kommuner: Sequence[Area],
) -> EntrySaved:
    """Check and store the rows the user changed, as one staged ``ENTRY`` run.

    ``rows`` must be for ``kommuner`` (the caller refuses others); ``shown`` is what
    the form showed per kommun.  Raises :class:`EntryInvalid` (nothing stored) when a
    row breaks a rule, :class:`EntryConflict` (nothing stored) when a changed cell was
    saved by someone else after the form showed it.  Unchanged rows are not stored
    again; nothing changed stores nothing (``run`` is None).  Older unpublished entries
    of the same cells are dropped: the newer entry replaces them before anyone
    published them, so publishing the runs in any order cannot bring an old number back.
    """
    check_may_enter(user, indicator)
    allowed = {a.code for a in kommuner}
    outside = sorted({row.area for row in rows} - allowed)
    if outside:
        raise EntryRefused(
            _("You may not enter values for %(areas)s.") % {"areas": ", ".join(outside)}
        )
    shape = entry_shape(indicator.value_type)
    problems = check_rows(rows, shape, indicator.value_type)
    if problems:
        raise EntryInvalid(problems)
    edited = edited_rows(rows, shown, shape)
    with transaction.atomic():
        # Serialises saves of one indicator: SQLite's writes begin IMMEDIATE (one writer);
        # on PostgreSQL the row lock makes a second save wait, then read what the first wrote.
        Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
        current = stored_cells(indicator, period, kommuner)
        changed = conflicts(edited, shown, current, shape)
        if changed:
            raise EntryConflict(
                [ChangedCell(r.area, r.name, current.get(r.area, EMPTY_CELL)) for r in changed],
                current,
            )
        problems = cleared_problems(edited, current)
        if problems:
            raise EntryInvalid(problems)
        to_store = [row for row in edited if not row.is_empty]
        if not to_store:
            return EntrySaved(None, [])
        from jamlik.indicators.services import store_batches

        description = ngettext(
            "Data entry: %(indicator)s %(period)s, %(count)s kommun",
            "Data entry: %(indicator)s %(period)s, %(count)s kommuner",
            len(to_store),
        ) % {"indicator": indicator.code, "period": period, "count": len(to_store)}
        run = store_batches(
            [build_batch(indicator.code, period, to_store, shape, source=ENTRY_SOURCE)],
            kind=ImportRun.Kind.ENTRY,
            description=description,
            user=user,
        )
        _drop_older_entries(run, indicator, period, [r.area for r in to_store])
    return EntrySaved(run, [r.name for r in to_store])


def _drop_older_entries(
    run: ImportRun, indicator: Indicator, period: str, area_codes: Sequence[str]
) -> None:
    """Remove the same cells from earlier unpublished entry runs (an emptied run goes)."""
    older = Observation.objects.filter(
        indicator=indicator,
        period=period,
        breakdown=TOTAL,
        category=TOTAL,
        area__code__in=list(area_codes),
        is_live=False,
        import_run__kind=ImportRun.Kind.ENTRY,
        import_run__published=False,
    ).exclude(import_run=run)
    run_ids = set(older.values_list("import_run_id", flat=True))
    if not run_ids:
        return
    older.delete()
    for other in ImportRun.objects.filter(pk__in=run_ids):
        left = Observation.objects.filter(import_run=other).count()
        if left == 0 and not other.superseded.exists():
            other.delete()
        else:
            other.rows = left
            other.created = min(other.created, left)
            other.updated = min(other.updated, left)
            other.save(update_fields=["rows", "created", "updated"])
