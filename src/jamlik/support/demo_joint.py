"""Demo records for joint support: organisers, kinds of support, experts, the partner role.

Everything here is invented and marked ``is_demo`` (experts) or attached to the demo
activities of :mod:`jamlik.support.demo`, which this runs after. Idempotent: it deletes
its own experts and the demo activities' organisers first. Without the actor map's demo
(``jamlik.actors.demo``) there is no organisation to name, and it does nothing.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model

from jamlik.geo.models import Area, AreaLevel
from jamlik.support.models import (
    ActivityKind,
    ActivityOrganiser,
    Expert,
    OrganiserRole,
    SupportActivity,
    SupportType,
)

COUNTY = "01"
LEAD = "Länsstyrelsen i Stockholms län, enheten för social hållbarhet"
REGION = "Regionens folkhälsoenhet"
CO_ORGANISERS = [
    REGION,
    "Kommunförbundet i länet",
    "Institutet för folkhälsovetenskap (påhittat)",
    "Centrum för preventionsforskning (påhittat)",
]
PROCESS_KINDS = {
    ActivityKind.DIALOGUE,
    ActivityKind.LEADERSHIP_VISIT,
    ActivityKind.DEVELOPMENT_PROJECT,
    ActivityKind.FOLLOW_UP_MEETING,
}
#: (name, title, organisation, subject-area keys, what they can help with)
EXPERTS = [
    (
        "Agnes Påhittsdotter",
        "Folkhälsostrateg",
        REGION,
        ["public_health", "parenting_support"],
        "Lägesbilder, Stockholmsenkäten och föräldraskapsstöd i kommunernas planer.",
    ),
    (
        "Bruno Exempelsson",
        "ANDTS-samordnare",
        "Länsstyrelsen i Stockholms län, ANDTS-samordning",
        ["andts"],
        "Tillsyn, ansvarsfull alkoholservering och lokala ANDTS-program.",
    ),
    (
        "Cecilia Demoström",
        "Forskare i prevention",
        "Centrum för preventionsforskning (påhittat)",
        ["crime_prevention", "violence_prevention"],
        "Val av evidensbaserade program och hur de följs upp.",
    ),
    (
        "David Testberg",
        "Utvecklingsledare",
        "Kommunförbundet i länet",
        ["public_health", "integration"],
        "Samverkan mellan kommunerna och processtöd i det lokala arbetet.",
    ),
    (
        "Eva Låtsasson",
        "Sakkunnig i mäns våld mot kvinnor",
        "Länsstyrelsen i Stockholms län, enheten för social hållbarhet",
        ["mens_violence", "gender_equality"],
        "Handlingsplaner mot våld och jämställdhetsintegrering.",
    ),
    (
        "Filip Fiktivsson",
        "Friluftsfrämjare",
        None,
        ["outdoor_life", "public_health"],
        "Friluftsliv och fysisk aktivitet för barn och unga.",
    ),
]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _support_type(kind: str) -> str:
    """Knowledge support for the meetings where knowledge is passed on, process support
    for the work done with one kommun."""
    return SupportType.PROCESS if kind in PROCESS_KINDS else SupportType.KNOWLEDGE


def seed(progress: Callable[[str], None]) -> None:
    from jamlik.accounts.models import RoleKind
    from jamlik.accounts.services import grant_role
    from jamlik.actors.models import Actor

    county = Area.objects.filter(code=COUNTY, level=AreaLevel.COUNTY).first()
    if county is None:
        return
    actors = {
        a.name: a
        for a in Actor.objects.filter(county=county, name__in=[LEAD, *CO_ORGANISERS])
        .exclude(source_package__isnull=False)
        .order_by("pk")
    }
    if LEAD not in actors:
        return  # no actor map demo: nothing to name as organiser
    progress("joint support: organisers, kinds of support, experts")
    region_user = get_user_model().objects.filter(username="region").first()
    if region_user is not None and REGION in actors:
        grant_role(region_user, RoleKind.PARTNER, county, actor=actors[REGION])

    activities = list(SupportActivity.objects.filter(county=county, is_demo=True).order_by("pk"))
    ActivityOrganiser.objects.filter(activity__in=activities).delete()
    Expert.objects.filter(county=county, is_demo=True).delete()
    rng = random.Random(18)
    partners = [actors[n] for n in CO_ORGANISERS if n in actors]
    organisers = []
    for index, activity in enumerate(activities):
        organisers.append(
            ActivityOrganiser(
                activity=activity,
                actor=actors[LEAD],
                role=OrganiserRole.LEAD,
                hours=Decimal(rng.choice([4, 8, 16, 24])),
            )
        )
        if partners and index % 3 == 0:  # about a third are joint support
            partner = partners[(index // 3) % len(partners)]
            organisers.append(
                ActivityOrganiser(
                    activity=activity,
                    actor=partner,
                    role=OrganiserRole.CO_ORGANISER,
                    hours=Decimal(rng.choice([2, 4, 6, 8])),
                    note="Gemensam planering och genomförande",
                )
            )
        SupportActivity.objects.filter(pk=activity.pk).update(
            support_type=_support_type(activity.kind)
        )
    ActivityOrganiser.objects.bulk_create(organisers)

    for name, title, organisation, subjects, description in EXPERTS:
        expert = Expert.objects.create(
            county=county,
            name=name,
            title=title,
            organisation=Actor.objects.filter(county=county, name=organisation)
            .order_by("pk")
            .first()
            if organisation
            else None,
            email=_ascii(name).lower().replace(" ", ".") + "@example.se",
            subject_areas=subjects,
            description=description,
            is_demo=True,
        )
        matching = [a for a in activities if set(a.subject_areas) & set(subjects)]
        if matching:
            expert.activities.set(rng.sample(matching, min(3, len(matching))))
