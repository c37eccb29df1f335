"""Prevention pages show names, not keys or codes, and read numbers the Swedish way."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.indicators.models import Indicator
from jamlik.prevention import services
from jamlik.prevention.models import IndicatorTarget, Intervention

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(geography):  # noqa: ANN001
    return services.create_plan(
        geography.get(code="0127"), title="Botkyrkas plan", start=date(2026, 1, 1)
    )


@pytest.fixture
def indicator(db):  # noqa: ANN001
    return Indicator.objects.create(
        code="N15428",
        name_sv="Elever i åk 9 som är behöriga till gymnasiet, andel (%)",
        name_en="Pupils in year 9 eligible for upper secondary school, share (%)",
        value_type="proportion",
        polarity="high",
    )


def test_target_is_named_by_its_indicator(client_for, plan, indicator) -> None:  # noqa: ANN001
    editor = client_for("botkyrka")
    response = editor.post(
        f"/prevention/planer/{plan.pk}/mal/",
        {
            "indicator_code": "N15428",
            "label": "",
            "baseline_value": "78,9",
            "baseline_period": "2024",
            "target_value": "1 200",
            "target_period": "2028",
        },
    )
    assert response.status_code == 302
    target = IndicatorTarget.objects.get(plan=plan)
    assert target.label == indicator.name_sv
    assert (target.baseline_value, target.target_value) == (78.9, 1200.0)
    html = editor.get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert "N15428 (N15428)" not in html
    assert f'{indicator.name_sv} <span class="muted">(N15428)</span>' in html
    assert "78,9 (2024)" in html


def test_old_targets_labelled_with_their_code_show_the_name(client_for, plan, indicator) -> None:  # noqa: ANN001
    IndicatorTarget.objects.create(
        plan=plan,
        indicator_code="N15428",
        label="N15428",
        baseline_value=70,
        baseline_period="2024",
        target_value=80,
        target_period="2028",
    )
    html = client_for("botkyrka").get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert "N15428 (N15428)" not in html and indicator.name_sv in html


def test_ambiguous_baseline_is_refused_with_a_question(client_for, plan, indicator) -> None:  # noqa: ANN001
    client_for("botkyrka").post(
        f"/prevention/planer/{plan.pk}/mal/",
        {
            "indicator_code": "N15428",
            "baseline_value": "1.200",
            "baseline_period": "2024",
            "target_value": "80",
            "target_period": "2028",
        },
    )
    assert not IndicatorTarget.objects.filter(plan=plan).exists()


def test_intervention_settings_shown_by_label(client) -> None:  # noqa: ANN001
    services.install_shipped_interventions()
    intervention = next(i for i in Intervention.objects.all() if "family" in i.settings)
    html = client.get(f"/prevention/insatser/{intervention.key}/", HTTP_ACCEPT_LANGUAGE="sv")
    text = html.content.decode()
    assert "Familj" in text
    assert ">family<" not in text and "family," not in text
