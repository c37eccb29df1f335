"""The evidence section on an intervention's page and the league table."""

from __future__ import annotations

import re

import pytest

from jamlik.economics.price_index import scb_kpi
from jamlik.prevention import evidence_views
from jamlik.prevention.evidence import (
    CostEstimate,
    EffectEstimate,
    EvidenceEntry,
    EvidenceLibrary,
    OutcomeDefinition,
    library,
)

pytestmark = pytest.mark.django_db


def test_intervention_page_shows_effects_ratings_published_results_and_gaps(client) -> None:  # noqa: ANN001
    html = client.get("/prevention/insatser/multisystemic-therapy/?lan=01").content.decode()
    assert 'id="evidens"' in html
    assert "0,314" in html and "0,069" in html  # the adjusted ES and SE, Swedish decimals
    assert "Model Plus" in html
    assert "wsipp.wa.gov/BenefitCost/Program/36" in html
    assert '<th scope="col">' in html and "<caption>" in html
    # No Swedish cost: no ratio, and the page says which inputs are missing.
    assert "evidence-missing" in html
    assert "/prevention/insatser/evidens/" in html


def test_page_of_an_entry_without_figures_says_not_published(client) -> None:  # noqa: ANN001
    html = client.get("/prevention/insatser/komet/?lan=01").content.decode()
    assert 'id="evidens"' in html
    assert library().entries["komet"].missing[:40] in html
    assert "evidence-missing" in html


def test_league_table_renders_for_the_shipped_library(client) -> None:  # noqa: ANN001
    response = client.get("/prevention/insatser/evidens/?lan=01")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>" in html and 'scope="row"' in html and 'aria-sort="descending"' in html
    assert "/prevention/insatser/multisystemic-therapy/?lan=01#evidens" in html
    assert "64,36" in html  # WSIPP's published ratio for the Good Behavior Game
    for sort in ("name", "npv", "p", "rating", "nonsense"):
        assert client.get(f"/prevention/insatser/evidens/?lan=01&sort={sort}").status_code == 200


def _one_complete() -> EvidenceLibrary:
    """The shipped library with Komet given every input (test figures, not real ones)."""
    shipped = library()
    outcome = OutcomeDefinition(
        key="test_outcome",
        name_sv="Testutfall",
        name_en="Test outcome",
        unit_cost_keys=("sis_treatment_open",),
        duration_years=1,
        lag_years=0,
        payer_shares={"kommun": 1.0},
        baseline_risk=0.3,
        baseline_source="test prevalence",
    )
    komet = EvidenceEntry(
        intervention_key="komet",
        effects=(EffectEstimate("test_outcome", "rrr", 0.2, 0.05, 1.0, 2, "test source"),),
        cost=CostEstimate(5000.0, max(scb_kpi().values), "kommun", "test cost source"),
    )
    return EvidenceLibrary(
        outcomes={**shipped.outcomes, outcome.key: outcome},
        entries={**shipped.entries, "komet": komet},
    )


def test_league_table_with_one_complete_entry(client, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(evidence_views, "library", _one_complete)
    html = client.get("/prevention/insatser/evidens/?lan=01").content.decode()
    body = html[html.index("<tbody>") :]
    first_row = body[: body.index("</tr>")]
    assert "/prevention/insatser/komet/" in first_row  # sorted first: the only ratio
    assert re.search(r"<td>\d+,\d\d</td>", first_row), first_row
    assert "%" in first_row
    page = client.get("/prevention/insatser/komet/?lan=01").content.decode()
    assert "Nettonuvärde" in page or "Net present value" in page
    assert "evidence-missing" not in page
