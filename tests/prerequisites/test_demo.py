"""The demo reproduces findings of the kind in DOMAIN.md from the platform's own data, and
seeding twice gives the same content."""

from __future__ import annotations

from django.utils import translation

from jamlik.prerequisites import evaluation_report, results
from jamlik.prerequisites.demo import seed
from jamlik.prerequisites.models import Document, InterviewExcerpt, Response, Round


def _fingerprint():
    return (
        sorted(
            (r.round.year, r.municipality.code, r.status, str(sorted(r.answers.items())))
            for r in Response.objects.select_related("round", "municipality")
        ),
        sorted((d.municipality.code, d.year, d.status, d.text) for d in Document.objects.all()),
        sorted(
            (e.municipality.code, e.year, e.theme.name_sv, e.text)
            for e in InterviewExcerpt.objects.select_related("theme")
        ),
    )


def test_seeding_twice_gives_the_same_data(demo):
    first = _fingerprint()
    seed(lambda _m: None)
    assert _fingerprint() == first
    assert Response.objects.filter(is_demo=False).count() == 0


def test_baseline_summary_sentences(demo):
    with translation.override("sv"):
        sentences, ranking = results.summary_sentences(Round.objects.get(county=demo, year=2019))
    texts = [s.text for s in sentences]
    assert "9 av 21 kommuner har antagit ett eller flera folkhälsomål." in texts
    assert "13 av 21 kommuner har tjänstepersoner som samordnar folkhälsoarbetet." in texts
    top = [(s.option, s.count) for s in ranking[:3]]
    assert top == [("safety", 14), ("andt", 13), ("crime", 11)]
    counts = {s.option: s.count for s in ranking}
    assert counts["equity"] == 3 and counts["growing_up"] == 9


def test_evaluation_shows_gains_on_four_dimensions_and_not_on_three(demo):
    rounds = {r.year: r for r in Round.objects.filter(county=demo)}
    with translation.override("en"):
        data = evaluation_report.build(demo, rounds[2019], rounds[2021])
    verdicts = {r.key: r.verdict for r in data["rows"] if r.kind == "dimension"}
    stronger = {k for k, v in verdicts.items() if v == "stronger"}
    assert stronger == {
        "organisation_leadership_resources",
        "conditions_growing_up",
        "cross_sector_collaboration",
        "mapping_follow_up",
    }
    assert data["n_treated"] == 4 and data["n_control"] == 17
    assert len(data["per_group"]) == 8  # the index and seven dimensions
    organisation = data["per_group"][1]["cells"]
    assert [c["n"] for c in organisation] == [4, 8, 9]
    assert organisation[0]["mean"] > organisation[1]["mean"]
    joined = " ".join(data["limits"])
    assert "5985" in joined  # C(21, 4) assignments
    assert "8 of its 17 kommuner received some support" in joined
    assert "set by hand" in joined


def test_scanned_document_is_not_counted_as_zero(demo):
    scanned = Document.objects.get(municipality__code="0192", year=2019)
    assert scanned.status == "no_text" and scanned.analysis == {}
    docx = Document.objects.get(municipality__code="0191", year=2021)
    assert docx.file_type == "docx" and docx.analysis["words"] > 100


def test_a_change_of_instrument_version_is_stated(demo):
    from jamlik.prerequisites import services

    rounds = {r.year: r for r in Round.objects.filter(county=demo)}
    follow_up = rounds[2021]
    follow_up.instrument = services.copy_instrument(follow_up.instrument, "2021.1")
    follow_up.save()
    with translation.override("en"):
        data = evaluation_report.build(demo, rounds[2019], follow_up)
    assert any("2019.1 and 2021.1" in limit for limit in data["limits"])
