"""The ``jamlik`` command, called in-process."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jamlik.cli import app

runner = CliRunner()


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ["demo", "serve", "init", "createadmin", "geo"]:
        assert command in result.output


@pytest.mark.django_db
def test_import_boundaries_command(shared_dir):
    from jamlik.geo.models import Area

    result = runner.invoke(
        app, ["geo", "import-boundaries", str(shared_dir / "reference/geo/kommuner.geojson")]
    )
    assert result.exit_code == 0, result.output
    assert "290" in result.output
    assert Area.objects.municipalities().exclude(boundary=None).count() == 290


@pytest.mark.django_db
def test_import_boundaries_command_reports_errors(tmp_path):
    bad = tmp_path / "x.geojson"
    bad.write_text("[]", encoding="utf-8")
    result = runner.invoke(app, ["geo", "import-boundaries", str(bad)])
    assert result.exit_code == 1
    assert "Nothing was stored" in result.output and "x.geojson" in result.output


@pytest.mark.django_db
def test_demo_seeding_is_idempotent():
    """Running the demo set-up twice leaves the same rows (every seeder is idempotent)."""
    from django.apps import apps

    from jamlik.setup import seed_demo

    seed_demo(lambda _m: None)
    first = {m._meta.label: m.objects.count() for m in apps.get_models()}
    seed_demo(lambda _m: None)
    second = {m._meta.label: m.objects.count() for m in apps.get_models()}
    assert first == second
    from jamlik.core.models import SiteState

    assert SiteState.get().demo_loaded
