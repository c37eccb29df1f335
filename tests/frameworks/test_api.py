"""The frameworks API at /api/v1/frameworks (needs the Django project)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamlik import frameworks

pytestmark = pytest.mark.django_db


def test_list_names_and_versions(client) -> None:
    response = client.get("/api/v1/frameworks/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["name"] for r in rows] == list(frameworks.FRAMEWORK_NAMES)
    assert all(r["version"] and r["schema_version"] == 1 for r in rows)


def test_one_framework_as_json(client) -> None:
    response = client.get("/api/v1/frameworks/kvalitetsmodell")
    assert response.status_code == 200
    data = response.json()
    assert len(data["steps"]) == 8 and len(data["perspectives"]) == 4
    assert data["steps"][0]["checklist"][0]["name_en"]
    assert "source_path" not in data["meta"]


def test_unknown_name_is_404_json(client) -> None:
    response = client.get("/api/v1/frameworks/nonsense")
    assert response.status_code == 404
    assert "Unknown framework 'nonsense'" in response.json()["message"]


def test_county_override(client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = frameworks.default_path("stodtrappa").read_text(encoding="utf-8")
    path = tmp_path / "frameworks" / "01" / "stodtrappa.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace('version = "2026.1"', 'version = "lan01"'), encoding="utf-8")
    monkeypatch.setenv("JAMLIK_DATA_DIR", str(tmp_path))
    data = client.get("/api/v1/frameworks/stodtrappa?county=01").json()
    assert data["meta"]["version"] == "lan01" and data["meta"]["county"] == "01"
    assert client.get("/api/v1/frameworks/stodtrappa").json()["meta"]["version"] == "2026.1"
    bad = client.get("/api/v1/frameworks/stodtrappa?county=x1")
    assert bad.status_code == 422 and "two-digit" in bad.json()["message"]
    path.write_text("schema_version = 1\n", encoding="utf-8")
    broken = client.get("/api/v1/frameworks/stodtrappa?county=01")
    assert broken.status_code == 500
    assert "stodtrappa.toml" in broken.json()["message"]
    assert str(tmp_path) not in broken.json()["message"]
