"""Fixtures for the support tests: a small, hand-made set of records in Stockholms län."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.support import services
from jamlik.support.models import (
    ActivityKind,
    Agreement,
    AgreementStatus,
    Commitment,
    CommitmentStatus,
    ParticipantRole,
    Party,
    Phase,
)


@pytest.fixture
def records(geography, county):  # noqa: ANN001
    """Botkyrka: agreement in force; Lidingö: leadership visit; Nacka: seminar only."""
    k = {c: geography.get(code=c) for c in ("0127", "0186", "0182", "0180")}
    seminar = services.save_activity(
        county,
        {
            "kind": ActivityKind.SEMINAR,
            "title": "Seminarium",
            "date": date(2026, 3, 1),
            "subject_areas": ["andts"],
            "target_areas": [6],
        },
        [
            services.ParticipationInput(k["0182"], ParticipantRole.OFFICIAL, 3),
            services.ParticipationInput(k["0127"], ParticipantRole.MANAGER, 1),
        ],
    )
    visit = services.save_activity(
        county,
        {"kind": ActivityKind.LEADERSHIP_VISIT, "title": "Besök", "date": date(2026, 2, 1)},
        [services.ParticipationInput(k["0186"], ParticipantRole.POLITICIAN, 2)],
    )
    agreement = Agreement.objects.create(
        county=county,
        municipality=k["0127"],
        title="Överenskommelse Botkyrka",
        parties="Länsstyrelsen; Botkyrka",
        start=date(2025, 6, 1),
        end=date(2027, 5, 31),
        goals="Mål",
        status=AgreementStatus.ACTIVE,
    )
    lidingo_agreement = Agreement.objects.create(
        county=county,
        municipality=k["0186"],
        title="Utkast Lidingö",
        parties="x",
        start=date(2026, 1, 1),
        goals="Mål",
        status=AgreementStatus.DRAFT,
    )
    Commitment.objects.create(
        agreement=agreement,
        phase=Phase.BEFORE,
        party=Party.BOTH,
        text="Startmöte",
        due=date(2025, 6, 15),
        status=CommitmentStatus.DONE,
        done_on=date(2025, 6, 14),
    )
    late = Commitment.objects.create(
        agreement=agreement,
        phase=Phase.DURING,
        party=Party.MUNICIPALITY,
        text="Kartläggning",
        due=date(2026, 4, 1),
    )
    soon = Commitment.objects.create(
        agreement=agreement,
        phase=Phase.DURING,
        party=Party.COUNTY,
        text="Utbildning",
        due=date(2026, 6, 10),
    )
    return {
        "kommuner": k,
        "seminar": seminar,
        "visit": visit,
        "agreement": agreement,
        "draft": lidingo_agreement,
        "late": late,
        "soon": soon,
    }
