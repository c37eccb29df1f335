"""Importing youth-survey microdata: areas mapped, indicators kept, aggregates stored staged,
everything refused with the rows named, nothing stored on a refusal; the demo file's truth."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.surveys.survey_files import SCALES, make_csv

from jamlik.geo.models import Area
from jamlik.geo.services import add_district
from jamlik.indicators.models import ImportRun, Indicator, Observation
from jamlik.surveys import services
from jamlik.surveys.estimates import weighted_proportion
from jamlik.surveys.microdata import MicrodataError
from jamlik.surveys.models import SurveyImport
from jamlik.surveys.scales import shipped_scale_text


@pytest.fixture
def tumba(botkyrka):  # noqa: ANN001
    return add_district(botkyrka, code="0127S04", name="Tumba")


def test_import_stores_staged_aggregates_with_given_intervals(county, botkyrka, users, tumba):
    data, rows = make_csv(district={"0127": "Tumba"})
    record = services.import_survey(county, "enkät.csv", data, user=users["lan01"])

    assert record.respondents == len(rows)
    assert record.year == 2024 and record.report["weighted"] is True
    run = record.import_run
    assert run.kind == ImportRun.Kind.SURVEY and not run.published
    # one current county-owned indicator per measure, survey, thresholds from the definition
    own = Indicator.objects.filter(owner=county, is_survey=True)
    assert own.count() == len(SCALES.measures())
    scale = own.get(source_id="family_conflict")
    assert scale.code == "ue01_family_conflict" and scale.series == scale.code
    assert scale.factors == ["family_conflict"] and scale.polarity == "low"
    assert scale.denominator_threshold == SCALES.min_respondents
    # the stored value is the weighted estimate, not recomputed from x/n
    flags = _flags(rows, "family_conflict")
    mine = [(f, w) for (k, f, w) in flags if k == "0127" and f is not None]
    expected = weighted_proportion(np.array([f for f, _ in mine]), np.array([w for _, w in mine]))
    stored = Observation.objects.get(
        import_run=run, indicator=scale, area=botkyrka, breakdown="total", category="total"
    )
    assert not stored.is_live
    assert stored.value == pytest.approx(expected.value, abs=1e-9)
    assert stored.lower == pytest.approx(expected.lower, abs=1e-9)
    assert stored.upper == pytest.approx(expected.upper, abs=1e-9)
    assert stored.numerator == expected.x and stored.denominator == expected.n
    # the district and the county level are stored too, and the group breakdowns
    assert Observation.objects.filter(import_run=run, area=tumba).exists()
    assert Observation.objects.filter(import_run=run, area=county).exists()
    assert set(Observation.objects.filter(import_run=run).values_list("breakdown", flat=True)) == {
        "total",
        "sex",
        "school_year",
        "school_year*sex",
    }


def _flags(rows: list[dict[str, object]], scale_id: str) -> list[tuple[str, float | None, float]]:
    """The scale's flag per row, by the definition's rule, computed here independently."""
    scale = next(s for s in SCALES.scales if s.id == scale_id)
    codes = {"0127": "0127", "Solna": "0184", "0186": "0186"}
    found = []
    for row in rows:
        answers = []
        for item in scale.items:
            q = SCALES.questions[item]
            raw = row[item]
            if raw == "" or int(raw) in q.missing:
                continue
            value = int(raw)
            answers.append(q.low + q.high - value if item in scale.reverse else value)
        if len(answers) < scale.required_items():
            flag = None
        else:
            mean = sum(answers) / len(answers)
            flag = float(mean > scale.cutpoint if scale.kind == "risk" else mean >= scale.cutpoint)
        found.append((codes[str(row["kommun"])], flag, float(row["vikt"])))
    return found


def test_kommun_of_another_county_is_refused_by_name(county, users):
    data, _rows = make_csv(kommuner=("0127", "Uppsala"))
    with pytest.raises(services.SurveyImportError) as refused:
        services.import_survey(county, "enkät.csv", data, user=users["lan01"])
    text = " ".join(refused.value.problems)
    assert "'Uppsala'" in text and "0380" in text and "not a kommun in Stockholms län" in text
    assert "rows" in text and "column kommun" in text
    assert not SurveyImport.objects.exists()
    assert not Observation.objects.filter(import_run__kind=ImportRun.Kind.SURVEY).exists()
    assert not Indicator.objects.filter(owner=county).exists()


def test_unknown_district_is_refused_with_its_rows(county, users, tumba):
    data, _rows = make_csv(district={"0127": "Tumba", "0186": "Nowhere"})
    with pytest.raises(services.SurveyImportError) as refused:
        services.import_survey(county, "enkät.csv", data, user=users["lan01"])
    (problem,) = refused.value.problems
    assert "'Nowhere'" in problem and "Lidingö" in problem and "column district" in problem
    assert not SurveyImport.objects.exists()


def test_identifying_column_is_refused_and_nothing_stored(county, users):
    data, _rows = make_csv(extra={"personnummer": ["200801011234"]})
    with pytest.raises(MicrodataError) as refused:
        services.import_survey(county, "enkät.csv", data, user=users["lan01"])
    assert any("personnummer" in p for p in refused.value.problems)
    assert not SurveyImport.objects.exists()
    assert not ImportRun.objects.filter(kind=ImportRun.Kind.SURVEY).exists()


def test_a_changed_definition_starts_a_new_indicator_version(county, users):
    data, _rows = make_csv(rows=60)
    services.import_survey(county, "a.csv", data, user=users["lan01"])
    first = Indicator.objects.get(owner=county, source_id="family_conflict", current=True)
    text = shipped_scale_text()
    changed = _with_cutpoint(text, "family_conflict", 3.0)
    services.save_scale_definition(county, changed, user=users["lan01"])
    services.import_survey(county, "b.csv", data, user=users["lan01"])
    second = Indicator.objects.get(owner=county, source_id="family_conflict", current=True)
    first.refresh_from_db()
    assert second.pk != first.pk and not first.current
    assert second.code == "ue01_family_conflict.v2" and second.series == first.series
    assert second.series_version == 2 and second.previous == first
    # a measure whose definition did not change keeps its indicator
    assert Indicator.objects.filter(owner=county, source_id="low_school_commitment").count() == 1
    assert SurveyImport.objects.order_by("-pk").first().scales_source == services.COUNTY


def _with_cutpoint(text: str, scale_id: str, cutpoint: float) -> str:
    head, tail = text.split(f'id = "{scale_id}"', 1)
    before, after = tail.split("cutpoint = ", 1)
    rest = after.split("\n", 1)[1]
    return f'{head}id = "{scale_id}"{before}cutpoint = {cutpoint}\n{rest}'


def test_bad_county_definition_is_refused_with_field(county, users):
    from jamlik.surveys.scales import ScaleFileError

    bad = shipped_scale_text().replace("min_respondents = 10", 'min_respondents = "ten"')
    with pytest.raises(ScaleFileError) as refused:
        services.save_scale_definition(county, bad, user=users["lan01"])
    assert "min_respondents" in str(refused.value)
    assert services.active_scales(county).source == services.SHIPPED


def test_series_code_fits_and_is_stable(county):
    long = services.series_code("ue", county, "parental_attitudes_substances_long_name")
    assert len(long) <= 32 and long == services.series_code(
        "ue", county, "parental_attitudes_substances_long_name"
    )
    assert len(services.version_code(long, 12)) <= 32


def test_demo_file_matches_its_known_truth(county, geography):
    """Import the invented demo file and compare every stored proportion with truth.json,
    the exact shares the generator built the file from."""
    from jamlik.indicators.demo import DISTRICTS

    for kommun_code, districts in DISTRICTS.items():
        kommun = Area.objects.get(code=kommun_code)
        for code, name, _score, _population in districts:
            add_district(kommun, code=code, name=name)
    record = services.import_survey(
        county, services.DEMO_FILE.name, services.DEMO_FILE.read_bytes(), is_demo=True
    )
    truth = json.loads((services.DEMO_FILE.parent / "truth.json").read_text(encoding="utf-8"))
    stored = {
        (o["indicator__source_id"], o["area__code"], o["breakdown"], o["category"]): o
        for o in Observation.objects.filter(import_run=record.import_run).values(
            "indicator__source_id",
            "area__code",
            "breakdown",
            "category",
            "value",
            "numerator",
            "denominator",
        )
    }
    checked = 0
    for key, expected in _truth_cells(truth):
        row = stored[key]
        assert row["numerator"] == expected["x"], key
        assert row["denominator"] == expected["n"], key
        if "value" in expected:
            assert row["value"] == pytest.approx(expected["value"], abs=1e-6), key
        checked += 1
    assert checked > 100
    # the report says how many each scale left out, as the generator built it
    assert record.report["excluded"] == truth["excluded"]
    assert record.respondents == truth["rows"]


def _truth_cells(truth: dict) -> list[tuple[tuple[str, str, str, str], dict]]:
    """truth.json's cells as (measure, area code, breakdown, category) → expected; the
    file names districts by name, the demo's district list gives their codes."""
    from jamlik.indicators.demo import DISTRICTS

    district_codes = {
        (kommun, name): code
        for kommun, districts in DISTRICTS.items()
        for code, name, _score, _population in districts
    }
    found = []
    for cell in truth["cells"]:
        if cell["level"] == "county":
            area = "01"
        elif cell["level"] == "district":
            area = district_codes[(cell["kommun"], cell["district"])]
        else:
            area = cell["kommun"]
        found.append(((cell["measure"], area, cell["breakdown"], cell["category"]), cell))
    return found


def test_refusals_name_the_files_own_rows_past_blank_lines(county, users):
    data, _rows = make_csv(kommuner=("0127", "Uppsala"))
    lines = data.split(b"\n")
    # two blank lines after the header: every respondent moves two rows down the file
    shifted = b"\n".join([lines[0], b"", b"", *lines[1:]])
    uppsala = [i + 1 for i, line in enumerate(shifted.split(b"\n")) if b"Uppsala" in line]
    with pytest.raises(services.SurveyImportError) as refused:
        services.import_survey(county, "enkät.csv", shifted, user=users["lan01"])
    text = " ".join(refused.value.problems)
    named = ", ".join(str(r) for r in uppsala[: services.ROWS_NAMED])
    assert named in text
    unshifted = ", ".join(str(r - 2) for r in uppsala[: services.ROWS_NAMED])
    assert unshifted not in text
