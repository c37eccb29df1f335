"""``jamlik actors`` commands, called in-process."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jamlik.cli import app

runner = CliRunner()


def test_export_import_package_round_trip(small_map, tmp_path):
    from jamlik.actors.models import CountyPackage

    out = tmp_path / "map.json"
    result = runner.invoke(app, ["actors", "export", "--county", "01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    package = json.loads(out.read_text(encoding="utf-8"))
    assert package["county"] == "01" and len(package["actors"]) == 4
    refused = runner.invoke(app, ["actors", "import-package", str(out), "--user", "lan01"])
    assert refused.exit_code == 1 and "Refused" in refused.output
    ok = runner.invoke(app, ["actors", "import-package", str(out), "--user", "admin"])
    assert ok.exit_code == 0, ok.output
    assert CountyPackage.objects.count() == 1


def test_import_command_lists_row_errors(county, users, tmp_path):
    bad = tmp_path / "actors.csv"
    bad.write_text("ref;name;type;level;area\nA1;X;kosmisk;lokal;0127\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["actors", "import", str(bad), "--county", "01", "--user", "botkyrka", "--sheet", "actors"],
    )
    assert result.exit_code == 1
    assert "sheet actors, row 2, column type" in result.output


def test_import_command_xlsx(county, users, tmp_path):
    from jamlik.actors.models import Actor
    from jamlik.actors.tabular import write_xlsx

    path = tmp_path / "map.xlsx"
    path.write_bytes(
        write_xlsx(
            {
                "actors": [
                    {
                        "ref": "A1",
                        "name": "Föreningen Ett",
                        "type": "civil_society",
                        "level": "local",
                        "area": "0127",
                    }
                ]
            }
        )
    )
    result = runner.invoke(
        app, ["actors", "import", str(path), "--county", "01", "--user", "botkyrka"]
    )
    assert result.exit_code == 0, result.output
    assert Actor.objects.filter(ref="A1", area__code="0127").exists()
