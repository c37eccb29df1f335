"""Every change to prerequisites data goes through here (views and the API only call these).

Permission checks are the caller's job (views use ``accounts.decorators``); these
functions enforce the *workflow*: a locked or submitted response cannot be edited, a
closed round takes no answers, answers must fit their items, uploads must be usable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamlik.accounts.reminders import Reminder
from jamlik.core.versioning import claim
from jamlik.geo.models import Area, AreaLevel
from jamlik.prerequisites import default_instrument, default_themes, textanalysis
from jamlik.prerequisites.extraction import ExtractionStatus, extract
from jamlik.prerequisites.item_text import ITEM_FIELDS, kind_problems
from jamlik.prerequisites.models import (
    Document,
    DocumentStatus,
    DocumentTheme,
    GroupAssignment,
    Instrument,
    InterviewExcerpt,
    InterviewTheme,
    Item,
    Response,
    ResponseStatus,
    Round,
    SupportGroup,
)
from jamlik.prerequisites.scoring import item_points
from jamlik.prerequisites.specs import dimension_keys, item_spec, prerequisite_keys


class WorkflowError(ValueError):
    """An action the response's or round's state does not allow; the message says why."""


# ---- instruments ------------------------------------------------------------


@transaction.atomic
def ensure_default_instrument(county: Area, *, is_demo: bool = False) -> Instrument:
    """The county's copy of Jämlik's default instrument (created once, then left alone)."""
    instrument, created = Instrument.objects.get_or_create(
        county=county,
        version=default_instrument.VERSION,
        defaults={
            "title_sv": default_instrument.TITLE_SV,
            "title_en": default_instrument.TITLE_EN,
            "caps": dict(default_instrument.DEFAULT_CAPS),
            "is_demo": is_demo,
        },
    )
    if created:
        for order, spec in enumerate(default_instrument.ITEMS, start=1):
            Item.objects.create(
                instrument=instrument,
                key=spec["key"],
                order=order,
                kind=spec["kind"],
                prerequisite=spec["prerequisite"],
                dimensions=list(spec.get("dimensions", [])),
                weight=spec.get("weight", 1),
                text_sv=spec["text_sv"],
                text_en=spec["text_en"],
                options=spec.get("options", []),
                scale=[list(s) for s in spec.get("scale", [])],
                full_at=spec.get("full_at"),
                unit_sv=spec.get("unit_sv", ""),
                unit_en=spec.get("unit_en", ""),
                summary=spec.get("summary", {}),
                option_summary=spec.get("option_summary", {}),
            )
    return instrument


@transaction.atomic
def copy_instrument(instrument: Instrument, version: str) -> Instrument:
    """A new version of an instrument with the same items, to be edited on the
    instrument page before a new round uses it; rounds keep pointing at the version they
    were run with."""
    version = version.strip()
    if not version:
        raise ValueError(_("A version name is needed."))
    if Instrument.objects.filter(county=instrument.county, version=version).exists():
        raise ValueError(_("Version %(v)s already exists.") % {"v": version})
    items = list(instrument.items.all())
    copy = Instrument.objects.get(pk=instrument.pk)  # leave the caller's object as it was
    copy.pk, copy.version, copy.is_demo = None, version, False
    copy.save()
    for item in items:
        item.pk, item.instrument = None, copy
        item.save()
    return copy


def is_frozen(instrument: Instrument) -> bool:
    """An instrument's questions are frozen once any round using it has an answer:
    changing them would change what earlier answers mean. (Opening the survey form
    creates an empty draft; that alone does not freeze anything.)"""
    responses = Response.objects.filter(round__instrument=instrument).only("status", "answers")
    return any(r.status != ResponseStatus.DRAFT or r.answers for r in responses)


def _ensure_not_frozen(instrument: Instrument) -> None:
    if is_frozen(instrument):
        raise WorkflowError(
            _("Version %(v)s already has answers; copy it to a new version to change questions.")
            % {"v": instrument.version}
        )


@transaction.atomic
def save_item(
    instrument: Instrument,
    data: Mapping[str, Any],
    item: Item | None = None,
    *,
    version: int | None = None,
) -> Item:
    """Add (``item=None``) or change a question of an instrument that is not frozen.

    ``data`` holds the model's fields in their stored shapes (see ``item_text``). The
    checks repeat the form's, so no caller can store a question scoring cannot read.
    A changed question must still be at ``version`` (the one the editor loaded; None: no
    check), else ``VersionConflict``.
    """
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    _ensure_not_frozen(instrument)
    if data["prerequisite"] not in prerequisite_keys(instrument.county):
        raise ValueError(_("Unknown prerequisite: %(key)s") % {"key": data["prerequisite"]})
    unknown = sorted(set(data.get("dimensions", [])) - set(dimension_keys(instrument.county)))
    if unknown:
        raise ValueError(_("Unknown dimensions: %(keys)s") % {"keys": ", ".join(unknown)})
    summary = data.get("summary") or {}
    problems = kind_problems(
        data["kind"],
        data.get("options", []),
        data.get("scale", []),
        data.get("full_at"),
        summary.get("options", []),
    )
    if problems:
        raise ValueError("; ".join(f"{field}: {text}" for field, text in problems.items()))
    if item is None:
        key = data["key"]
        if instrument.items.filter(key=key).exists():
            raise ValueError(_("The key %(key)s is already used in this version.") % {"key": key})
        item = Item(instrument=instrument, key=key)
    elif item.instrument_id != instrument.pk:
        raise ValueError("the item belongs to another instrument")
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    option_keys = {o["key"] for o in item.options}
    item.option_summary = {k: v for k, v in (item.option_summary or {}).items() if k in option_keys}
    if item.pk is not None:
        claim(item, version)
    item.save()
    return item


@transaction.atomic
def delete_item(item: Item) -> None:
    _ensure_not_frozen(item.instrument)
    item.delete()


@transaction.atomic
def update_scoring(
    instrument: Instrument,
    weights: Mapping[str, float],
    caps: Mapping[str, float],
    strong_from: float,
    developing_from: float,
) -> None:
    """Change item weights, index caps and level thresholds (all-or-nothing)."""
    if not 0 <= developing_from < strong_from <= 100:
        raise ValueError(
            f"thresholds must satisfy 0 ≤ developing ({developing_from}) < strong "
            f"({strong_from}) ≤ 100"
        )
    items = {i.key: i for i in instrument.items.all()}
    for key, weight in weights.items():
        if key not in items:
            raise ValueError(f"unknown item {key!r}")
        if weight < 0:
            raise ValueError(f"item {key}: the weight must not be negative (got {weight})")
    if any(v < 0 for v in caps.values()) or not any(v > 0 for v in caps.values()):
        raise ValueError("caps must be zero or more, and at least one must be positive")
    for key, weight in weights.items():
        items[key].weight = weight
        items[key].save(update_fields=["weight"])
    instrument.caps = dict(caps)
    instrument.strong_from, instrument.developing_from = strong_from, developing_from
    instrument.save(update_fields=["caps", "strong_from", "developing_from"])


# ---- rounds and responses ------------------------------------------------------


def create_round(county: Area, year: int, instrument: Instrument | None = None) -> Round:
    if county.level != AreaLevel.COUNTY:
        raise ValueError(f"{county} is not a county")
    if not 1990 <= year <= 2100:
        raise ValueError(f"year {year} is not plausible")
    if Round.objects.filter(county=county, year=year).exists():
        raise ValueError(
            _("There is already a %(year)s round for %(county)s.")
            % {"year": year, "county": county.name}
        )
    instrument = instrument or ensure_default_instrument(county)
    return Round.objects.create(county=county, year=year, instrument=instrument)


def set_round_state(
    round_: Round, *, is_open: bool | None = None, published: bool | None = None
) -> Round:
    """Open or close a round for answers; publish or unpublish its results."""
    if is_open is not None:
        round_.is_open = is_open
    if published is not None:
        round_.published = published
    round_.save(update_fields=["is_open", "published"])
    return round_


REMINDER_TOPIC = "prerequisites:survey"


def unsubmitted_kommuner(round_: Round) -> list[Area]:
    """Kommuner with no response in the round, or only a draft."""
    done = set(
        round_.responses.filter(
            status__in=(ResponseStatus.SUBMITTED, ResponseStatus.LOCKED)
        ).values_list("municipality_id", flat=True)
    )
    return [k for k in Area.objects.municipalities(round_.county.code) if k.pk not in done]


def survey_reminders(round_: Round) -> list[Reminder]:
    """One reminder (in Swedish) per kommun yet to submit; none when the round is closed."""
    if not round_.is_open:
        return []
    with translation.override("sv"):
        return [
            Reminder(
                topic=f"{REMINDER_TOPIC}:{round_.year}",
                kommun=kommun,
                subject=_("Reminder: the %(year)s prerequisites survey for %(kommun)s")
                % {"year": round_.year, "kommun": kommun.name},
                body=_(
                    "The %(year)s survey of municipalities' prerequisites for public-health "
                    "work in %(county)s is open. %(kommun)s has not yet submitted its answers. "
                    "Please fill in and submit the survey here:"
                )
                % {"year": round_.year, "county": round_.county.name, "kommun": kommun.name},
                path=reverse("prerequisites:survey", args=[kommun.code, round_.year]),
            )
            for kommun in unsubmitted_kommuner(round_)
        ]


def response_for(round_: Round, municipality: Area) -> Response:
    if municipality.level != AreaLevel.MUNICIPALITY or municipality.parent_id != round_.county_id:
        raise ValueError(f"{municipality} is not a kommun in {round_.county.name}")
    response, _ = Response.objects.get_or_create(round=round_, municipality=municipality)
    return response


def clean_answers(round_: Round, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate answers against the round's items; raise ValueError naming the item."""
    items = {i.key: i for i in round_.instrument.items.all()}
    unknown = sorted(set(raw) - set(items))
    if unknown:
        raise ValueError(f"unknown items: {', '.join(unknown)}")
    cleaned: dict[str, Any] = {}
    for key, value in raw.items():
        if value in (None, "", []):
            continue
        item = items[key]
        if item.kind == "text":
            cleaned[key] = str(value)[:4000]
            continue
        item_points(item_spec(item), value)  # raises ValueError on a bad answer
        if item.kind in ("scale", "number"):
            number = float(str(value).replace(",", "."))
            cleaned[key] = int(number) if item.kind == "scale" else number
        elif item.kind == "multiple_choice":
            cleaned[key] = sorted(set(value if isinstance(value, list | tuple) else [value]))
        else:
            cleaned[key] = value
    return cleaned


@transaction.atomic
def save_answers(
    response: Response,
    raw: Mapping[str, Any],
    user: Any = None,
    *,
    submit: bool = False,
    version: int | None = None,
) -> Response:
    """Store a draft (or submit it). Only a draft in an open round can change, and only
    if it is still at ``version`` (the one the editor loaded; None: no check), else
    ``VersionConflict`` with the stored answers."""
    response = Response.objects.select_for_update().select_related("round").get(pk=response.pk)
    if not response.round.is_open:
        raise WorkflowError(_("The round is closed; ask the county administrator."))
    if response.status != ResponseStatus.DRAFT:
        raise WorkflowError(
            _(
                "The response is %(status)s; the county administrator must reopen it before "
                "it can change."
            )
            % {"status": response.get_status_display().lower()}
        )
    response.answers = clean_answers(response.round, raw)
    if submit:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = user if getattr(user, "is_authenticated", False) else None
    claim(response, version)
    response.save()
    return response


TRANSITIONS = {
    "lock": ({ResponseStatus.SUBMITTED}, ResponseStatus.LOCKED),
    "reopen": ({ResponseStatus.SUBMITTED, ResponseStatus.LOCKED}, ResponseStatus.DRAFT),
}


def change_status(response: Response, action: str) -> Response:
    """County-administrator actions: lock a submitted response, reopen one for changes."""
    if action not in TRANSITIONS:
        raise WorkflowError(f"unknown action {action!r}")
    allowed, target = TRANSITIONS[action]
    if response.status not in allowed:
        message = (
            _("Only a submitted response can be locked; this one is %(status)s.")
            if action == "lock"
            else _("Only a submitted or locked response can be reopened; this one is %(status)s.")
        )
        raise WorkflowError(message % {"status": response.get_status_display().lower()})
    response.status = target
    with transaction.atomic():
        claim(response, None)  # forms opened before a lock or reopen are stale
        response.save(update_fields=["status", "updated_at", "version"])
    return response


# ---- documents -------------------------------------------------------------


def ensure_default_document_themes(county: Area) -> list[DocumentTheme]:
    for order, (key, (sv, en, lines)) in enumerate(default_themes.DEFAULT_THEMES.items(), 1):
        DocumentTheme.objects.get_or_create(
            county=county,
            key=key,
            defaults={
                "name_sv": sv,
                "name_en": en,
                "terms": "\n".join(lines),
                "order": order,
                "goal_theme": key in default_themes.GOAL_THEMES,
            },
        )
    return list(DocumentTheme.objects.filter(county=county))


def theme_dictionaries(county: Area) -> tuple[list[textanalysis.ThemeDictionary], list[str], str]:
    """Parsed dictionaries, goal-theme keys and a key that changes when a dictionary does.

    A county that has not saved its own dictionaries gets the defaults (nothing is written)."""
    rows = [
        (t.key, t.name_sv, t.terms, t.goal_theme)
        for t in DocumentTheme.objects.filter(county=county)
    ] or [
        (key, sv, "\n".join(lines), key in default_themes.GOAL_THEMES)
        for key, (sv, _en, lines) in default_themes.DEFAULT_THEMES.items()
    ]
    parsed = [
        textanalysis.ThemeDictionary.parse(key, name, terms.splitlines())
        for key, name, terms, _goal in rows
    ]
    digest = hashlib.sha256(
        "\n".join(f"{key}|{terms}|{goal}" for key, _n, terms, goal in rows).encode()
    ).hexdigest()
    return parsed, [key for key, _n, _t, goal in rows if goal], digest


def analyse_document(document: Document, *, force: bool = False) -> dict:
    """The document's analysis with the county's current dictionaries (cached by key)."""
    if document.status != DocumentStatus.OK:
        return {}
    themes, goal_keys, digest = theme_dictionaries(document.municipality.parent)
    if document.analysis_key == digest and document.analysis and not force:
        return document.analysis
    document.analysis = textanalysis.analyse(document.text, themes, goal_keys).to_dict()
    document.analysis_key = digest
    document.save(update_fields=["analysis", "analysis_key"])
    return document.analysis


@transaction.atomic
def upload_document(
    municipality: Area,
    year: int,
    title: str,
    file_name: str,
    data: bytes,
    user: Any = None,
    *,
    is_demo: bool = False,
) -> Document:
    """Extract and analyse an uploaded mål och budget. Raises ``UploadError`` if unusable."""
    if municipality.level != AreaLevel.MUNICIPALITY:
        raise ValueError(f"{municipality} is not a kommun")
    extracted = extract(file_name, data)
    document = Document.objects.create(
        municipality=municipality,
        year=year,
        title=title.strip() or file_name,
        file_name=file_name,
        file_type=extracted.file_type,
        size=len(data),
        pages=extracted.pages,
        status=DocumentStatus.OK
        if extracted.status == ExtractionStatus.OK
        else DocumentStatus.NO_TEXT,
        text=extracted.text,
        is_demo=is_demo,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    analyse_document(document)
    return document


def delete_document(document: Document) -> None:
    document.delete()


def update_document_theme(theme: DocumentTheme, *, name_sv: str, name_en: str, terms: str) -> None:
    """Change a dictionary; refuses one that does not parse. Analyses refresh lazily."""
    textanalysis.ThemeDictionary.parse(theme.key, name_sv, terms.splitlines())
    theme.name_sv, theme.name_en, theme.terms = name_sv.strip(), name_en.strip(), terms.strip()
    theme.save()


# ---- interviews ---------------------------------------------------------------


def save_interview_theme(
    county: Area,
    *,
    name_sv: str,
    name_en: str,
    prerequisites: list[str],
    parent: InterviewTheme | None = None,
    description: str = "",
    theme: InterviewTheme | None = None,
) -> InterviewTheme:
    from jamlik.prerequisites.specs import prerequisite_keys

    unknown = sorted(set(prerequisites) - set(prerequisite_keys(county)))
    if unknown:
        raise ValueError(_("unknown prerequisites: %(list)s") % {"list": ", ".join(unknown)})
    if parent is not None and (
        parent.county_id != county.pk
        or parent.parent_id is not None
        or (theme is not None and parent.pk == theme.pk)
    ):
        raise ValueError(_("A sub-theme's main theme must be another main theme in the county."))
    if theme is not None and parent is not None and theme.children.exists():
        raise ValueError(_("A theme with sub-themes cannot itself become a sub-theme."))
    theme = theme or InterviewTheme(county=county)
    theme.parent, theme.name_sv, theme.name_en = parent, name_sv.strip(), name_en.strip()
    theme.prerequisites, theme.description = list(prerequisites), description
    theme.save()
    return theme


def add_excerpt(
    municipality: Area, year: int, theme: InterviewTheme, role: str, text: str, user: Any = None
) -> InterviewExcerpt:
    if theme.county_id != municipality.parent_id:
        raise ValueError("the theme belongs to another county")
    if not text.strip():
        raise ValueError("the excerpt is empty")
    return InterviewExcerpt.objects.create(
        municipality=municipality,
        year=year,
        theme=theme,
        respondent_role=role,
        text=text.strip(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


# ---- evaluation groups ----------------------------------------------------------


@transaction.atomic
def set_groups(
    county: Area, baseline_year: int, follow_up_year: int, groups: Mapping[str, str]
) -> int:
    """Replace the hand-set groups for a comparison. ``groups`` maps kommun code → group;
    an empty value removes the kommun from the comparison."""
    if baseline_year >= follow_up_year:
        raise ValueError("the follow-up year must come after the baseline year")
    kommuner = {a.code: a for a in Area.objects.municipalities(county.code)}
    valid = set(SupportGroup.values)
    for code, group in groups.items():
        if code not in kommuner:
            raise ValueError(f"{code} is not a kommun in {county.name}")
        if group and group not in valid:
            raise ValueError(f"{code}: unknown group {group!r}; expected one of {sorted(valid)}")
    GroupAssignment.objects.filter(
        county=county, baseline_year=baseline_year, follow_up_year=follow_up_year
    ).delete()
    rows = [
        GroupAssignment(
            county=county,
            municipality=kommuner[code],
            baseline_year=baseline_year,
            follow_up_year=follow_up_year,
            group=group,
        )
        for code, group in groups.items()
        if group
    ]
    GroupAssignment.objects.bulk_create(rows)
    return len(rows)
