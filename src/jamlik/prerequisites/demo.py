"""Invented demo data for Stockholms län: survey rounds 2019, 2021 and an open 2023 round,
mål-och-budget texts and interview codes for 21 kommuner.

Everything is generated from a fixed seed, so two runs give the same database, and every
row is marked ``is_demo``. The numbers are chosen so the platform can show findings of the
kind described in the domain notes from its own data: 9 of 21 kommuner with adopted public-
health goals in 2019, 13 of 21 with officials coordinating the work, safety, ANDT and crime
prevention as the most prioritised areas, and in 2021 larger gains for the four kommuner in
deepened collaboration on organisation, growing-up conditions, cross-sector collaboration
and mapping, but not on strategies, several areas or equity. None of it is real.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from jamlik.geo.models import Area
from jamlik.prerequisites import default_instrument as di
from jamlik.prerequisites import demo_texts as tx
from jamlik.prerequisites import services
from jamlik.prerequisites.models import (
    Document,
    GroupAssignment,
    Instrument,
    InterviewExcerpt,
    InterviewTheme,
    Response,
    ResponseStatus,
    Round,
    SupportGroup,
)

COUNTY = "01"
KOMMUNER = [
    "0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0136", "0138", "0139",
    "0160", "0163", "0181", "0182", "0183", "0184", "0186", "0188", "0191", "0192",
]  # fmt: skip
DEEPENED = ["0127", "0186", "0188", "0191"]
SOME = ["0114", "0123", "0126", "0136", "0138", "0139", "0181", "0183"]
SEED = 2019

# How many of the 21 kommuner give each answer in 2019 (best option first).
SINGLE_TARGETS: dict[str, list[tuple[str, int]]] = {
    "leaders_trained": [("yes", 7), ("no", 14)],
    "public_health_goals": [("yes", 9), ("no", 12)],
    "in_budget": [("yes", 6), ("partly", 8), ("no", 7)],
    "earmarked_budget": [("yes", 5), ("no", 16)],
    "equity_goal": [("yes", 4), ("no", 17)],
    "steering_group": [("managers", 5), ("officials", 7), ("no", 9)],
    "youth_strategy": [("yes", 8), ("no", 13)],
    "coordinator": [("dedicated", 6), ("part", 7), ("no", 8)],
    "follow_up": [("yes", 6), ("partly", 8), ("no", 7)],
    "citizen_dialogue": [("regularly", 4), ("sometimes", 9), ("never", 8)],
}
SCALE_TARGETS = [4, 7, 6, 4]  # kommuner answering 4, 3, 2, 1
PRIORITY_TARGETS = {
    "safety": 14, "andt": 13, "crime": 11, "growing_up": 9, "mental_health": 8, "violence": 7,
    "parenting": 6, "physical_activity": 5, "integration": 4, "equity": 3,
}  # fmt: skip
IMPROVED_BY_SUPPORT = {
    "political_priority", "leaders_trained", "earmarked_budget", "steering_group",
    "external_partners", "in_operations", "youth_strategy", "coordinator", "coordinator_time",
    "coordinator_mandate", "local_data_use", "data_sources", "follow_up",
}  # fmt: skip
TITLES = [
    "Folkhälsosamordnare på kommunledningskontoret",
    "Trygghetssamordnare med visst ansvar för folkhälsa",
    "Utvecklingsstrateg för social hållbarhet",
    "Preventionssamordnare inom socialtjänsten",
]


def _ranked(rng: random.Random, latent: dict[str, float], noise: float) -> list[str]:
    return sorted(KOMMUNER, key=lambda c: -(latent[c] + rng.gauss(0, noise)))


def _assign(order: list[str], targets: list[tuple[Any, int]]) -> dict[str, Any]:
    result, start = {}, 0
    for value, count in targets:
        for code in order[start : start + count]:
            result[code] = value
        start += count
    return result


def baseline_answers(rng: random.Random, latent: dict[str, float]) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = {c: {} for c in KOMMUNER}
    for item in di.ITEMS:
        key, kind = item["key"], item["kind"]
        if kind == "single_choice":
            for code, value in _assign(_ranked(rng, latent, 1.5), SINGLE_TARGETS[key]).items():
                answers[code][key] = value
        elif kind == "scale":
            targets = list(zip([4, 3, 2, 1], SCALE_TARGETS, strict=True))
            for code, value in _assign(_ranked(rng, latent, 1.5), targets).items():
                answers[code][key] = value
        elif key == "priority_areas":
            for option, count in PRIORITY_TARGETS.items():
                for code in _ranked(rng, latent, 1.5)[:count]:
                    answers[code].setdefault(key, []).append(option)
        elif kind == "multiple_choice":
            options = [o["key"] for o in item["options"]]
            for code in KOMMUNER:
                k = max(0, min(len(options), round(2 + latent[code] + rng.gauss(0, 0.7))))
                if k:
                    answers[code][key] = sorted(rng.sample(options, k))
    for code in KOMMUNER:
        _coordinator_details(rng, answers[code])
        answers[code]["priority_areas"] = sorted(answers[code].get("priority_areas", []))
    return answers


def _coordinator_details(rng: random.Random, a: dict[str, Any]) -> None:
    if a.get("coordinator") == "dedicated":
        a["coordinator_time"] = max(a.get("coordinator_time", 0), rng.choice([50, 75, 100]))
        a["coordination_description"] = TITLES[0]
    elif a.get("coordinator") == "part":
        a["coordinator_time"] = min(max(a.get("coordinator_time", 0), 10), 40) or 20
        a["coordination_description"] = rng.choice(TITLES[1:])
    else:
        a["coordinator_time"] = 0
        a.pop("coordination_description", None)


def _step(item: dict, value: Any, rng: random.Random, up: bool) -> Any:
    kind = item["kind"]
    if kind == "single_choice":
        keys = [o["key"] for o in item["options"]]  # best first
        i = keys.index(value) + (-1 if up else 1)
        return keys[min(max(i, 0), len(keys) - 1)]
    if kind == "scale":
        return min(4, max(1, value + (1 if up else -1)))
    if kind == "number":
        return min(100, max(0, value + (30 if up else -20)))
    if kind == "multiple_choice":
        chosen = set(value or [])
        options = [o["key"] for o in item["options"]]
        if up and len(chosen) < len(options):
            chosen.add(rng.choice(sorted(set(options) - chosen)))
        elif not up and chosen:
            chosen.discard(rng.choice(sorted(chosen)))
        return sorted(chosen)
    return value


def follow_up_answers(
    rng: random.Random, before: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    after = {}
    for code in KOMMUNER:
        a = dict(before[code])
        for item in di.ITEMS:
            key = item["key"]
            if item["kind"] == "text" or key not in a and item["kind"] != "multiple_choice":
                continue
            supported = code in DEEPENED and key in IMPROVED_BY_SUPPORT
            p_up = 1.0 if supported else 0.18
            roll = rng.random()
            if roll < p_up:
                a[key] = _step(item, a.get(key), rng, up=True)
            elif roll > 0.92 and not supported:
                a[key] = _step(item, a.get(key), rng, up=False)
            if a.get(key) == []:
                a.pop(key)
        _coordinator_details(rng, a)
        after[code] = a
    return after


def _document_text(
    rng: random.Random, name: str, year: int, answers: dict[str, Any], deepened: bool
) -> str:
    parts = [rng.choice(tx.INTRO), rng.choice(tx.ECONOMY), rng.choice(tx.HEALTH_PLAIN)]
    if answers.get("public_health_goals") == "yes":
        parts.append(rng.choice(tx.PUBLIC_HEALTH_GOAL))
    elif rng.random() < 0.15:
        parts.append(tx.PUBLIC_HEALTH_CUT[0])
    if rng.random() < 0.6:
        parts.append(rng.choice(tx.SUSTAINABILITY))
    if answers.get("equity_goal") == "yes" or rng.random() < 0.25:
        parts.append(rng.choice(tx.EQUITY))
    parts.append(rng.choice(tx.PREVENTION))
    if deepened and year >= 2021:
        parts.extend(tx.PREVENTION_DEEPENED)
    if "safety" in answers.get("priority_areas", []):
        parts.append(rng.choice(tx.SAFETY))
    parts.append(rng.choice(tx.CLOSING))
    text = "\n\n".join(parts)
    return text.format(k=name, year=year, next=year + 4)


def _scanned_pdf() -> bytes:
    """A PDF of two blank pages: what a scan without a text layer looks like to pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _clear(county: Area) -> None:
    """Remove the earlier demo rows that nothing of the users' hangs on.

    ``jamlik demo`` may run again after people have worked in the installation: a demo
    round someone answered in, the instrument a user's round uses and a demo theme a
    user coded an excerpt with stay (the seeder reuses them); the document themes are
    the county's own dictionaries and are only added when missing.
    """
    answered = Response.objects.filter(round__county=county, is_demo=False).values("round")
    Round.objects.filter(county=county, is_demo=True).exclude(pk__in=answered).delete()
    Instrument.objects.filter(county=county, is_demo=True, rounds__isnull=True).delete()
    Document.objects.filter(municipality__parent=county, is_demo=True).delete()
    InterviewExcerpt.objects.filter(municipality__parent=county, is_demo=True).delete()
    coded = InterviewExcerpt.objects.filter(theme__county=county).values("theme")
    demo_themes = InterviewTheme.objects.filter(county=county, is_demo=True)
    demo_themes.filter(parent__isnull=False).exclude(pk__in=coded).delete()
    demo_themes.filter(parent__isnull=True, children__isnull=True).exclude(pk__in=coded).delete()
    GroupAssignment.objects.filter(county=county, is_demo=True).delete()


INTERVIEW_THEMES = [
    ("Organisering och mandat", "Organisation and mandate",
     ["coordinator_team", "shared_ownership"], [
         ("Samordnarens roll", "The coordinator's role", ["coordinator_team"], "coordinator"),
         ("Samverkan över förvaltningsgränser", "Collaboration across departments",
          ["shared_ownership"], "collaboration"),
     ], None),
    ("Politisk förankring och prioritering", "Political backing and priority",
     ["motivated_decision_makers", "long_term_priority"], [
         ("Politikens engagemang", "Political engagement", ["motivated_decision_makers"],
          "politics"),
         ("Plats i budgeten", "Place in the budget", ["long_term_priority"], "budget"),
     ], None),
    ("Arbetet i vardagen", "Work in everyday operations", ["ordinary_operations"], [],
     "operations"),
    ("Kunskap och uppföljning", "Knowledge and follow-up", ["local_data"], [], "data"),
    ("Målgrupper och delaktighet", "Target groups and participation",
     ["target_groups_citizens"], [], "participation"),
]  # fmt: skip


def _interviews(rng: random.Random, county: Area, kommuner: dict[str, Area]) -> int:
    codable: list[tuple[InterviewTheme, str]] = []
    for order, (sv, en, prereqs, subs, quotes) in enumerate(INTERVIEW_THEMES, start=1):
        main, _new = InterviewTheme.objects.get_or_create(
            county=county,
            parent=None,
            name_sv=sv,
            is_demo=True,
            defaults={"name_en": en, "prerequisites": prereqs, "order": order},
        )
        if quotes:
            codable.append((main, quotes))
        for sub_order, (ssv, sen, sprereqs, squotes) in enumerate(subs, start=1):
            sub, _new = InterviewTheme.objects.get_or_create(
                county=county,
                parent=main,
                name_sv=ssv,
                is_demo=True,
                defaults={"name_en": sen, "prerequisites": sprereqs, "order": sub_order},
            )
            codable.append((sub, squotes))
    others = [c for c in KOMMUNER if c not in DEEPENED]
    interviewed = DEEPENED + sorted(rng.sample(others, 11))
    rows = []
    for year in (2019, 2021):
        for code in interviewed:
            for theme, quotes in rng.sample(codable, 3):
                rows.append(
                    InterviewExcerpt(
                        municipality=kommuner[code],
                        year=year,
                        theme=theme,
                        respondent_role=rng.choice(["strategist", "strategist", "manager"]),
                        text=rng.choice(tx.QUOTES[quotes]),
                        is_demo=True,
                    )
                )
    InterviewExcerpt.objects.bulk_create(rows)
    return len(rows)


def _open_round(
    county: Area, instrument: Instrument, kommuner: dict[str, Area], later: dict[str, Any]
) -> None:
    """2023: open, six kommuner have submitted and Botkyrka has begun a draft."""
    open_round = Round.objects.create(
        county=county,
        year=2023,
        instrument=instrument,
        is_open=True,
        published=False,
        is_demo=True,
    )
    for code in ("0186", "0114", "0126", "0160", "0182", "0188"):
        Response.objects.create(
            round=open_round,
            municipality=kommuner[code],
            status=ResponseStatus.SUBMITTED,
            answers=later[code],
            submitted_at=timezone.make_aware(dt.datetime(2023, 10, 2, 9)),
            is_demo=True,
        )
    draft = {k: v for k, v in later["0127"].items() if k in {"political_priority", "coordinator"}}
    Response.objects.create(
        round=open_round, municipality=kommuner["0127"], answers=draft, is_demo=True
    )


@transaction.atomic
def seed(progress: Callable[[str], None]) -> None:
    county = Area.objects.get(code=COUNTY)
    kommuner = {a.code: a for a in Area.objects.municipalities(COUNTY)}
    progress("prerequisites: clearing earlier demo data")
    _clear(county)
    rng = random.Random(SEED)
    instrument = services.ensure_default_instrument(county, is_demo=True)
    services.ensure_default_document_themes(county)

    progress("prerequisites: survey rounds 2019, 2021 and 2023")
    latent = {c: rng.gauss(0, 1) for c in KOMMUNER}
    by_year = {2019: baseline_answers(rng, latent)}
    by_year[2021] = follow_up_answers(rng, by_year[2019])
    taken = set(Round.objects.filter(county=county).values_list("year", flat=True))
    for year in (2019, 2021):
        if year in taken:
            continue  # a round someone answered in, or a user's own: left as it is
        round_ = Round.objects.create(
            county=county,
            year=year,
            instrument=instrument,
            is_open=False,
            published=True,
            is_demo=True,
        )
        stamp = timezone.make_aware(dt.datetime(year, 10, 15, 12, 0))
        Response.objects.bulk_create(
            Response(
                round=round_,
                municipality=kommuner[code],
                status=ResponseStatus.LOCKED,
                answers=by_year[year][code],
                submitted_at=stamp,
                is_demo=True,
            )
            for code in KOMMUNER
        )
    later = follow_up_answers(rng, by_year[2021])
    if 2023 not in taken:
        _open_round(county, instrument, kommuner, later)

    progress("prerequisites: mål och budget documents")
    for year in (2019, 2021):
        for code in KOMMUNER:
            name = kommuner[code].name
            title = f"Mål och budget {year} (påhittad)"
            text = _document_text(rng, name, year, by_year[year][code], code in DEEPENED)
            if code == "0192" and year == 2019:
                file_name, data = "mal-och-budget-2019-skannad.pdf", _scanned_pdf()
            elif code == "0191" and year == 2021:
                file_name, data = "mal-och-budget-2021.docx", _docx(text)
            else:
                file_name, data = f"mal-och-budget-{year}.txt", text.encode("utf-8")
            services.upload_document(kommuner[code], year, title, file_name, data, is_demo=True)

    progress("prerequisites: interview codes")
    _interviews(rng, county, kommuner)

    progress("prerequisites: evaluation groups 2019 → 2021")
    grouped = set(
        GroupAssignment.objects.filter(
            county=county, baseline_year=2019, follow_up_year=2021
        ).values_list("municipality__code", flat=True)
    )
    GroupAssignment.objects.bulk_create(
        GroupAssignment(
            county=county,
            municipality=kommuner[code],
            baseline_year=2019,
            follow_up_year=2021,
            group=SupportGroup.DEEPENED
            if code in DEEPENED
            else SupportGroup.SOME
            if code in SOME
            else SupportGroup.NONE,
            note="Påhittad gruppering för demonstration",
            is_demo=True,
        )
        for code in KOMMUNER
        if code not in grouped
    )
