"""County and kommun pages, and the map they draw."""

from __future__ import annotations

import re

from jamlik.geo.models import Area
from jamlik.geo.services import import_boundaries


def test_county_page_lists_its_26_kommuner_as_links(client, geography):
    response = client.get("/omrade/01/?map=rutor")
    assert response.status_code == 200
    html = response.content.decode()
    for area in Area.objects.municipalities("01"):
        assert f'href="/omrade/{area.code}/"' in html
    assert html.count('class="tile-code"') == 26


def test_county_page_draws_real_shapes_once_boundaries_are_imported(client, shared_dir, geography):
    import_boundaries(shared_dir / "reference/geo/kommuner.geojson")
    html = client.get("/omrade/01/").content.decode()
    assert len(re.findall(r"<path d=\"M", html)) == 26
    assert 'class="tile-code"' not in html


def test_kommun_page_names_code_county_and_districts(client, botkyrka):
    html = client.get("/omrade/0127/").content.decode()
    assert "Botkyrka" in html and "0127" in html and "Stockholms län" in html
    assert "coming soon" not in html.lower() and "kommer snart" not in html.lower()


def test_unknown_area_is_404(client, geography):
    assert client.get("/omrade/9999/").status_code == 404


def test_pages_are_swedish_by_default_and_english_on_request(client, geography):
    sv = client.get("/omrade/01/").content.decode()
    assert '<html lang="sv">' in sv and "Kommuner" in sv
    client.post("/i18n/setlang/", {"language": "en", "next": "/omrade/01/"})
    en = client.get("/omrade/01/").content.decode()
    assert '<html lang="en">' in en and "Municipalities" in en


def test_demo_banner_shows_only_when_demo_data_is_loaded(client, geography):
    from jamlik.core.models import SiteState

    assert "demo-banner" not in client.get("/").content.decode()
    SiteState.objects.update_or_create(pk=1, defaults={"demo_loaded": True})
    assert "demo-banner" in client.get("/").content.decode()


def test_swedish_even_when_the_browser_asks_for_english(client, geography):
    html = client.get("/omrade/01/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in html
