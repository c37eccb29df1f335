"""Interview themes (editable, linked to prerequisites), coded excerpts, and the county's
document summary."""

from __future__ import annotations

import pytest
from django.utils import translation

from jamlik.prerequisites import results, services
from jamlik.prerequisites.models import InterviewExcerpt, InterviewTheme


def test_themes_sub_themes_and_excerpts(county, botkyrka, users):
    main = services.save_interview_theme(
        county, name_sv="Organisering", name_en="Organisation", prerequisites=["coordinator_team"]
    )
    sub = services.save_interview_theme(
        county, name_sv="Mandat", name_en="Mandate", prerequisites=[], parent=main
    )
    excerpt = services.add_excerpt(botkyrka, 2021, sub, "strategist", " Citat. ", users["lan01"])
    assert excerpt.text == "Citat." and excerpt.created_by == users["lan01"]
    with pytest.raises(ValueError, match="empty"):
        services.add_excerpt(botkyrka, 2021, sub, "strategist", "  ")
    other = services.save_interview_theme(county, name_sv="B", name_en="B", prerequisites=[])
    with translation.override("en"):  # noqa: SIM117 - several checks share the language
        with pytest.raises(ValueError, match="cannot itself become a sub-theme"):
            services.save_interview_theme(
                county, name_sv="X", name_en="X", prerequisites=[], parent=other, theme=main
            )
        with pytest.raises(ValueError, match="another main theme"):
            services.save_interview_theme(
                county, name_sv="X", name_en="X", prerequisites=[], parent=sub
            )
        with pytest.raises(ValueError, match="unknown prerequisites"):
            services.save_interview_theme(county, name_sv="X", name_en="X", prerequisites=["nope"])


def test_county_admin_edits_a_theme_and_others_cannot(demo, client_for):
    theme = InterviewTheme.objects.filter(county=demo, parent__isnull=True).first()
    url = "/forutsattningar/lan/01/intervjuteman/"
    data = {
        "theme_id": theme.pk,
        "name_sv": "Nytt namn",
        "name_en": "New name",
        "prerequisites": ["local_data"],
    }
    assert client_for("viewer").post(url, data).status_code == 403
    assert client_for("lan01").post(url, data).status_code == 302
    theme.refresh_from_db()
    assert (theme.name_sv, theme.prerequisites) == ("Nytt namn", ["local_data"])
    page = client_for("lan01").get(url).content.decode()
    assert "Nytt namn" in page


def test_profile_links_interview_codes_to_prerequisites(demo):
    from jamlik.prerequisites.models import Round

    round_ = Round.objects.get(county=demo, year=2021)
    kommun = demo.children.get(code="0127")
    data = results.profile(round_, kommun, show_quotes=True)
    linked = sum(row.interview_count for row in data["rows"])
    assert linked >= InterviewExcerpt.objects.filter(municipality=kommun, year=2021).count()
    hidden = results.profile(round_, kommun, show_quotes=False)
    assert all(not row.quotes for row in hidden["rows"])


def test_document_summary_reports_scans_apart(demo):
    summary = results.document_summary(demo, 2019)
    assert summary["unreadable"] == ["Nynäshamn"]
    assert summary["analysed"] == 20
    health = next(t for t in summary["themes"] if t.key == "health")
    assert health.kommuner_without == 0 and health.mean_count > 0
    assert 0 < summary["without_folkhalsa"] < 20
