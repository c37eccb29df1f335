"""Pages for the support ladder, agreements and need against support (thin)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.core.charts import chart_block
from jamlik.core.exports import csv_response
from jamlik.core.version_forms import HIDDEN, conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel
from jamlik.support import services
from jamlik.support.access import can_view_activity, sees_all_support, visible_activities
from jamlik.support.forms import (
    ActivityForm,
    AgreementForm,
    CommitmentForm,
    CommitmentStatusForm,
    FollowUpForm,
    NeedComponentForm,
)
from jamlik.support.models import (
    ActivityKind,
    Agreement,
    Commitment,
    FollowUpMeeting,
    NeedComponentSetting,
    ParticipantRole,
    SupportActivity,
    SupportType,
)
from jamlik.support.pages import (
    apply_posted_form,
    county_from,
    login_first,
    require,
    save_posted_form,
)

CountyRecord = TypeVar("CountyRecord", SupportActivity, Agreement, NeedComponentSetting)

VIEW = "jamlik.view_area_unpublished"
ADMIN = "jamlik.admin_county"
PARTNER = "jamlik.partner_county"


def today() -> date:
    return date.today()


def _administered(
    request: HttpRequest, model: type[CountyRecord], pk: int | None
) -> tuple[CountyRecord | None, Area]:
    """The county record to change (None for a new one) and its county, for its administrators only."""
    record = get_object_or_404(model, pk=pk) if pk else None
    county = record.county if record else county_from(request)
    require(request, ADMIN, county)
    return record, county


@login_first
def ladder_overview(request: HttpRequest) -> HttpResponse:
    county = county_from(request)
    require(request, VIEW, county)
    rows = services.ladder_for_county(county, today(), request.LANGUAGE_CODE)
    framework = services.ladder_framework(county)
    counts = {
        step.number: sum(r.status.step == step.number for r in rows) for step in framework.steps
    }
    years = services.year_span(rows, today())
    chart = _ladder_chart(county, rows, years, framework, request.LANGUAGE_CODE)
    return render(
        request,
        "support/ladder.html",
        {
            "county": county,
            "rows": rows,
            "years": years,
            "chart": chart,
            "steps": [(s.number, s.name(request.LANGUAGE_CODE)) for s in framework.steps],
            "step_counts": counts,
            "none_count": sum(r.status.step == 0 for r in rows),
            "joint_kommuner": sum(r.joint_count > 0 for r in rows),
            "demo": any(r.is_demo for r in rows),
            "can_admin": request.user.has_perm(ADMIN, county),
        },
    )


def _ladder_chart(county: Area, rows: list, years: list[int], framework, lang: str) -> dict:  # noqa: ANN001
    """Stacked bars: kommuner by the highest step they reached, per year (with its table)."""
    step_label = {0: _("No support on record")} | {
        s.number: f"{s.number}. {s.name(lang)}" for s in framework.steps
    }
    per_year = [
        {
            "year": str(y),
            "step": step_label[n],
            "order": n,
            "kommuner": sum(1 for r in rows if r.status.years.get(y, 0) == n),
        }
        for y in years
        for n in sorted(step_label)
    ]
    spec = {
        "data": {"values": per_year},
        "height": 220,
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": _("Year"),
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "kommuner", "type": "quantitative", "title": _("Municipalities")},
            "color": {
                "field": "step",
                "type": "nominal",
                "title": _("Highest step that year"),
                "legend": {"orient": "bottom", "columns": 1},  # one column fits a phone
                "sort": [step_label[n] for n in sorted(step_label)],
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [{"field": "year"}, {"field": "step"}, {"field": "kommuner"}],
        },
    }
    return chart_block(
        spec,
        title=_("Municipalities by highest ladder step reached, per year"),
        description=_(
            "Stacked bars: for each year, how many municipalities reached each step of the support ladder."
        ),
        table_columns=[("year", _("Year")), ("step", _("Step")), ("kommuner", _("Municipalities"))],
        table_rows=per_year,
        csv_url=f"{reverse('support:ladder-csv')}?lan={county.code}",
    )


@login_first
def municipality_ladder(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    require(request, VIEW, area)
    row = services.ladder_for_municipality(area, today(), request.LANGUAGE_CODE)
    framework = services.ladder_framework(services.county_of(area))
    return render(
        request,
        "support/municipality.html",
        {
            "area": area,
            "row": row,
            "steps": framework.steps,
            "changes": [
                (c, framework.steps[c.step - 1].name(request.LANGUAGE_CODE) if c.step else "")
                for c in row.status.changes
            ],
            "activities": services.activities_for_municipality(area)[:100],
            "participants": services.participants_by_year_and_role(area),
            "roles": ParticipantRole.choices,
            "agreements": Agreement.objects.filter(municipality=area),
            "demo": row.is_demo,
        },
    )


def _refuse_unless_sees_some(request: HttpRequest, county: Area) -> bool:
    """403 unless the user sees all the county's support or is its partner; returns
    whether the user sees only a partner's share."""
    if sees_all_support(request.user, county):
        return False
    require(request, PARTNER, county)
    return True


@login_first
def activity_list(request: HttpRequest) -> HttpResponse:
    county = county_from(request)
    partner_only = _refuse_unless_sees_some(request, county)
    activities = services.with_organisers(
        visible_activities(request.user, county)
        .prefetch_related("participations__municipality")
        .order_by("-date", "title")
    )
    kind = request.GET.get("kind", "")
    if kind:
        activities = activities.filter(kind=kind)
    support_type = request.GET.get("type", "")
    if support_type == "none":
        activities = activities.filter(support_type="")
    elif support_type in SupportType.values:
        activities = activities.filter(support_type=support_type)
    else:
        support_type = ""
    joint = request.GET.get("joint", "")
    if joint == "1":
        activities = services.joint_activities(activities)
    elif joint == "0":
        activities = services.joint_activities(activities, joint=False)
    else:
        joint = ""
    return render(
        request,
        "support/activity_list.html",
        {
            "county": county,
            "activities": activities[:300],
            "kinds": SupportActivity._meta.get_field("kind").choices,
            "kind": kind,
            "support_types": SupportType.choices,
            "support_type": support_type,
            "joint": joint,
            "partner_only": partner_only,
            "partner_names": services.partner_actor_names(request.user) if partner_only else [],
            "demo": activities.filter(is_demo=True).exists(),
            "can_admin": request.user.has_perm(ADMIN, county),
        },
    )


@login_first
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(SupportActivity.objects.select_related("county"), pk=pk)
    if not can_view_activity(request.user, activity):
        raise PermissionDenied
    from jamlik import frameworks

    lang = request.LANGUAGE_CODE
    ladder = frameworks.load("stodtrappa", county=activity.county.code)
    areas = frameworks.load("malomraden", county=activity.county.code).areas
    organisers = services.ordered_organisers(activity)
    return render(
        request,
        "support/activity_detail.html",
        {
            "activity": activity,
            "participations": activity.participations.select_related("municipality").order_by(
                "municipality__code", "role"
            ),
            "subject_names": [
                ladder.subject_areas.get(k).name(lang)
                for k in activity.subject_areas
                if k in ladder.subject_areas
            ],
            "target_names": [
                f"{a.number}. {a.name(lang)}" for a in areas if a.number in activity.target_areas
            ],
            "organisers": organisers,
            "organiser_rows": [
                (o, None if o.hours is None else float(o.hours)) for o in organisers
            ],
            "total_hours": float(sum((o.hours or Decimal(0) for o in organisers), Decimal(0))),
            "any_hours": any(o.hours is not None for o in organisers),
            "is_joint": services.is_joint(organisers),
            "experts": activity.experts.select_related("organisation").order_by("name"),
            "sees_all": sees_all_support(request.user, activity.county),
            "can_admin": request.user.has_perm(ADMIN, activity.county),
            "demo": activity.is_demo,
        },
    )


@login_first
def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    activity, county = _administered(request, SupportActivity, pk)
    form = ActivityForm(request.POST or None, instance=activity, county=county)
    context = {"form": form, "county": county, "activity": activity}
    try:
        saved = save_posted_form(
            request,
            form,
            lambda: services.save_activity(
                county,
                form.activity_values(),
                form.participations(),
                activity=activity,
                user=request.user,
                version=form.loaded_version(),
                organisers=form.organisers(),
                experts=form.chosen_experts(),
            ),
            _("The activity was saved."),
        )
    except VersionConflict as conflict:
        stored = ActivityForm(instance=conflict.current, county=county)
        return conflict_response(
            request, "support/activity_form.html", context, form, conflict, stored
        )
    if saved is not None:
        return redirect("support:activity", pk=saved.pk)
    return render(request, "support/activity_form.html", context)


@require_POST
@login_first
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(SupportActivity.objects.select_related("county"), pk=pk)
    require(request, ADMIN, activity.county)
    county_code = activity.county.code
    services.delete_activity(activity)
    messages.success(request, _("The activity was deleted."))
    return redirect(f"{reverse('support:activities')}?lan={county_code}")


@login_first
def agreement_list(request: HttpRequest) -> HttpResponse:
    county = county_from(request)
    require(request, VIEW, county)
    views = [services.agreement_view(a, today()) for a in services.agreements_for_county(county)]
    return render(
        request,
        "support/agreement_list.html",
        {
            "county": county,
            "views": views,
            "demo": any(v.agreement.is_demo for v in views),
            "can_admin": request.user.has_perm(ADMIN, county),
        },
    )


@login_first
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.select_related("county", "municipality"), pk=pk)
    require(request, VIEW, agreement.municipality)
    can_admin = request.user.has_perm(ADMIN, agreement.county)
    return render(
        request,
        "support/agreement_detail.html",
        {
            "view": services.agreement_view(agreement, today()),
            "agreement": agreement,
            "today": today(),
            "activities": agreement.activities.order_by("date"),
            "meetings": agreement.follow_up_meetings.all(),
            "can_admin": can_admin,
            "commitment_form": CommitmentForm() if can_admin else None,
            "follow_up_form": FollowUpForm() if can_admin else None,
            "status_choices": Commitment._meta.get_field("status").choices,
            "demo": agreement.is_demo,
        },
    )


@login_first
def agreement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agreement, county = _administered(request, Agreement, pk)
    form = AgreementForm(request.POST or None, instance=agreement, county=county)
    context = {"form": form, "title": _("Agreement"), "county": county}
    try:
        saved = save_posted_form(
            request,
            form,
            lambda: services.save_agreement(
                county,
                {k: v for k, v in form.cleaned_data.items() if k not in HIDDEN},
                agreement=agreement,
                version=form.loaded_version(),
            ),
            _("The agreement was saved."),
        )
    except VersionConflict as conflict:
        stored = AgreementForm(instance=conflict.current, county=county)
        return conflict_response(request, "support/form.html", context, form, conflict, stored)
    if saved is not None:
        return redirect("support:agreement", pk=saved.pk)
    return render(request, "support/form.html", context)


@require_POST
@login_first
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    require(request, ADMIN, agreement.county)
    form = CommitmentForm(request.POST)
    apply_posted_form(
        request,
        form,
        lambda: services.add_commitment(agreement, **form.cleaned_data),
        _("The commitment was added."),
        _("The commitment was not added: %(errors)s"),
    )
    return redirect("support:agreement", pk=agreement.pk)


@require_POST
@login_first
def commitment_status(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("agreement__county"), pk=pk)
    require(request, ADMIN, commitment.agreement.county)
    form = CommitmentStatusForm(request.POST)
    if form.is_valid():
        services.set_commitment_status(
            commitment, form.cleaned_data["status"], today(), form.cleaned_data["note"] or None
        )
        messages.success(request, _("The commitment was updated."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("support:agreement", pk=commitment.agreement_id)


@require_POST
@login_first
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    require(request, ADMIN, agreement.county)
    form = FollowUpForm(request.POST, instance=FollowUpMeeting(agreement=agreement))
    apply_posted_form(
        request,
        form,
        form.save,
        _("The follow-up meeting was added."),
        _("The meeting was not added: %(errors)s"),
    )
    return redirect("support:agreement", pk=agreement.pk)


def _period(request: HttpRequest) -> tuple[date, date, int]:
    try:
        years = max(1, min(5, int(request.GET.get("years", "2"))))
    except ValueError:
        years = 2
    last = today()
    first = date(last.year - years, last.month, min(last.day, 28))
    return first, last, years


@login_first
def need_view(request: HttpRequest) -> HttpResponse:
    county = county_from(request)
    require(request, VIEW, county)
    first, last, years = _period(request)
    result = services.need_against_support(county, first, last)
    points = [
        {
            "kommun": result.names[r.code],
            "need": round(r.need, 1) if r.need is not None else None,
            "support": r.support,
            "flag": _("High need, little support") if r.flagged else _("Other"),
        }
        for r in result.rows
        if r.need is not None
    ]
    chart = None
    if points:
        spec = {
            "data": {"values": points},
            "height": 360,
            "layer": [
                {
                    "mark": {"type": "point", "filled": True, "size": 90},
                    "encoding": {
                        "x": {
                            "field": "support",
                            "type": "quantitative",
                            "title": _("Support received (weighted activities)"),
                        },
                        "y": {
                            "field": "need",
                            "type": "quantitative",
                            "title": _("Need score (0–100)"),
                            "scale": {"domain": [0, 100]},
                        },
                        "color": {"field": "flag", "type": "nominal", "title": ""},
                        "shape": {"field": "flag", "type": "nominal", "title": ""},
                        "tooltip": [{"field": "kommun"}, {"field": "need"}, {"field": "support"}],
                    },
                },
                {
                    "mark": {"type": "text", "dx": 8, "align": "left", "fontSize": 11},
                    "encoding": {
                        "x": {"field": "support", "type": "quantitative"},
                        "y": {"field": "need", "type": "quantitative"},
                        "text": {"field": "kommun"},
                    },
                },
            ],
        }
        chart = chart_block(
            spec,
            title=_("Need against support, %(first)s–%(last)s") % {"first": first, "last": last},
            description=_(
                "Each point is a municipality: need score upwards, support received to the right. "
                "Points marked as high need and little support are in the top third for need and the bottom third for support."
            ),
            table_columns=[
                ("kommun", _("Municipality")),
                ("need", _("Need score")),
                ("support", _("Support")),
                ("flag", _("Assessment")),
            ],
            table_rows=points,
            csv_url=f"{reverse('support:need-csv')}?lan={county.code}&years={years}",
        )
    indicator_choices = services_indicator_choices()
    can_admin = request.user.has_perm(ADMIN, county)
    return render(
        request,
        "support/need.html",
        {
            "county": county,
            "result": result,
            "chart": chart,
            "years": years,
            "can_admin": can_admin,
            "component_form": NeedComponentForm(indicator_choices=indicator_choices)
            if can_admin
            else None,
            "demo": SupportActivity.objects.filter(county=county, is_demo=True).exists(),
            "flagged": [r for r in result.rows if r.flagged],
            "weights": [
                (ActivityKind(kind.value).label, weight)
                for kind, weight in services.need.DEFAULT_SUPPORT_WEIGHTS.items()
            ],
            "agreement_weight": services.need.AGREEMENT_WEIGHT_PER_YEAR,
        },
    )


def services_indicator_choices() -> list[tuple[str, str]]:
    from jamlik.prevention.services import indicator_choices

    return indicator_choices()


@require_POST
@login_first
def need_component_save(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    setting, county = _administered(request, NeedComponentSetting, pk)
    if request.POST.get("delete") and setting is not None:
        setting.delete()
        messages.success(request, _("The component was removed."))
        return redirect(f"{_need_url()}?lan={county.code}")
    form = NeedComponentForm(
        request.POST, instance=setting, indicator_choices=services_indicator_choices()
    )
    if form.is_valid():
        try:
            services.save_need_component(county, form.cleaned_data, setting=setting)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The need composition was saved."))
    else:
        messages.error(
            request,
            _("The component was not saved: %(errors)s") % {"errors": form.errors.as_text()},
        )
    return redirect(f"{_need_url()}?lan={county.code}")


def _need_url() -> str:
    return reverse("support:need")


@login_first
def ladder_csv(request: HttpRequest) -> HttpResponse:
    county = county_from(request)
    require(request, VIEW, county)
    rows = services.ladder_for_county(county, today(), request.LANGUAGE_CODE)
    years = services.year_span(rows, today())
    columns = [
        ("code", _("Code")),
        ("name", _("Municipality")),
        ("step", _("Step now")),
        ("step_name", _("Step name")),
        ("since", _("Since")),
        ("last_activity", _("Latest activity")),
        ("joint", _("Joint activities")),
    ]
    columns += [(str(y), str(y)) for y in years]
    data = []
    for r in rows:
        row = {
            "code": r.municipality.code,
            "name": r.municipality.name,
            "step": r.status.step,
            "step_name": r.step_name,
            "since": r.status.since or "",
            "last_activity": r.last_activity or "",
            "joint": r.joint_count,
        }
        row.update({str(y): r.status.years.get(y, "") for y in years})
        data.append(row)
    return csv_response(
        f"stodtrappa-{county.code}.csv", columns, data, demo=any(r.is_demo for r in rows)
    )


@login_first
def need_csv(request: HttpRequest) -> HttpResponse:
    county = county_from(request)
    require(request, VIEW, county)
    first, last, _years = _period(request)
    result = services.need_against_support(county, first, last)
    columns = [
        ("code", _("Code")),
        ("name", _("Municipality")),
        ("need", _("Need score")),
        ("coverage", _("Data coverage")),
        ("support", _("Support received")),
        ("joint", _("Joint activities")),
        ("gap", _("Need rank minus support rank")),
        ("flagged", _("High need, little support")),
        ("first", _("From")),
        ("last", _("To")),
    ]
    data = [
        {
            "code": r.code,
            "name": result.names[r.code],
            "need": "" if r.need is None else round(r.need, 1),
            "coverage": round(r.coverage, 2),
            "support": r.support,
            "joint": result.joint.get(r.code, 0),
            "gap": "" if r.gap is None else round(r.gap, 1),
            "flagged": r.flagged,
            "first": first,
            "last": last,
        }
        for r in result.rows
    ]
    demo = SupportActivity.objects.filter(county=county, is_demo=True).exists()
    return csv_response(f"behov-mot-stod-{county.code}.csv", columns, data, demo=demo)
