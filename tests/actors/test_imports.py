"""Import and export: XLSX, CSV, JSON; all or nothing; errors name sheet, row, column, expectation."""

from __future__ import annotations

import io
import json

import pytest

from jamlik.actors.tabular import (
    FormatError,
    ImportRejected,
    read_csv,
    read_json,
    read_xlsx,
    write_xlsx,
)


def _import(user, county, sheets):  # noqa: ANN001, ANN202
    from jamlik.actors.services import import_sheets

    return import_sheets(user, county, sheets)


GOOD_ACTORS = [
    {
        "ref": "A1",
        "name": "Föreningen Ett",
        "org_number": "802400-1235",
        "type": "civil_society",
        "level": "local",
        "area": "0127",
        "areas_served": ["0127"],
    },
    {
        "ref": "A2",
        "name": "Botkyrka kommun, fritid",
        "type": "Kommunal förvaltning",
        "level": "Lokal",
        "area": "0127",
    },
]
GOOD_ACTIVITY = {
    "ref": "I1",
    "title": "Nattvandring",
    "actors": ["A1", "A2"],
    "malomraden": [5, 7],
    "problem_areas": ["crime", "Våld"],
    "orientation": "prevention",
    "prevention_level": "universal",
    "age_min": 13,
    "age_max": 18,
    "target_groups": ["young_people"],
    "settings": ["neighbourhood"],
    "area": "0127",
    "status": "ongoing",
}


def test_json_import_creates_records_and_reimport_updates(county, users):
    from jamlik.actors.models import Activity, Actor

    _doc, sheets = read_json({"actors": GOOD_ACTORS, "activities": [GOOD_ACTIVITY]})
    result = _import(users["botkyrka"], county, sheets)
    assert result.created == {"actors": 2, "activities": 1}
    activity = Activity.objects.get(ref="I1")
    assert activity.tag_keys("malomrade") == ["5", "7"]
    assert activity.tag_keys("problem_area") == ["crime", "violence"]
    assert Actor.objects.get(ref="A2").actor_type == "municipal"  # Swedish label accepted
    changed = dict(GOOD_ACTIVITY, status="completed")
    _doc, sheets = read_json({"activities": [changed]})
    result = _import(users["botkyrka"], county, sheets)
    assert result.updated == {"activities": 1}
    assert Activity.objects.get(ref="I1").status == "completed"


def test_errors_name_sheet_row_column_and_expectation_and_nothing_is_written(county, users):
    from jamlik.actors.models import Activity, Actor

    bad_activity = dict(
        GOOD_ACTIVITY, malomraden=[9], actors=["A1", "NOPE"], age_min=20, age_max=10
    )
    bad_actor = dict(GOOD_ACTORS[1], org_number="556016-0681", type="spaceship")
    _doc, sheets = read_json({"actors": [GOOD_ACTORS[0], bad_actor], "activities": [bad_activity]})
    with pytest.raises(ImportRejected) as exc:
        _import(users["botkyrka"], county, sheets)
    found = {(e.sheet, e.row, e.column) for e in exc.value.errors}
    assert ("actors", 2, "org_number") in found
    assert ("actors", 2, "type") in found
    assert ("activities", 1, "malomraden") in found
    type_error = next(e for e in exc.value.errors if e.column == "type")
    assert "one of municipal" in type_error.expected and type_error.value == "spaceship"
    assert "sheet actors, row 2, column org_number" in str(exc.value)
    assert not Actor.objects.exists() and not Activity.objects.exists()


def test_unknown_actor_reference_is_an_error(county, users):
    _doc, sheets = read_json(
        {"actors": GOOD_ACTORS, "activities": [dict(GOOD_ACTIVITY, actors=["A9"])]}
    )
    with pytest.raises(ImportRejected) as exc:
        _import(users["botkyrka"], county, sheets)
    assert [(e.sheet, e.row, e.column, e.value) for e in exc.value.errors] == [
        ("activities", 1, "actors", "A9")
    ]


def test_duplicate_refs_are_refused(county, users):
    _doc, sheets = read_json({"actors": [GOOD_ACTORS[0], GOOD_ACTORS[0]]})
    with pytest.raises(ImportRejected) as exc:
        _import(users["botkyrka"], county, sheets)
    assert exc.value.errors[0].row == 2 and exc.value.errors[0].column == "ref"


def test_swedish_csv_windows_1252_semicolons(county, users):
    from jamlik.actors.models import Actor

    text = "ref;name;type;level;area;areas_served\nA1;Föreningen Åland;civilsamhälle;lokal;0127;0127|01\n"
    sheets = read_csv(text.encode("cp1252"), "actors")
    _import(users["lan01"], county, sheets)
    actor = Actor.objects.get(ref="A1")
    assert actor.name == "Föreningen Åland"
    assert sorted(a.code for a in actor.areas_served.all()) == ["01", "0127"]


def test_csv_with_unknown_column_names_the_column(county):
    with pytest.raises(FormatError, match="unknown column"):
        read_csv(b"ref;name;colour\n", "actors")
    with pytest.raises(FormatError, match="missing required column"):
        read_csv(b"ref;name\n", "actors")


def test_xlsx_template_round_trip_with_error_rows(county, users):
    from openpyxl import load_workbook

    template = write_xlsx({})
    workbook = load_workbook(io.BytesIO(template))
    assert set(workbook.sheetnames) == {
        "instruktioner",
        "actors",
        "activities",
        "networks",
        "relations",
    }
    workbook["actors"].append(["A1", "Föreningen Ett", None, "civil_society", "local", "0127"])
    workbook["actors"].append(["A2", "Föreningen Två", None, "civil_society", "kosmisk", "0127"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as exc:
        _import(users["botkyrka"], county, read_xlsx(buffer.getvalue()))
    error = exc.value.errors[0]
    assert (error.sheet, error.row, error.column, error.value) == ("actors", 3, "level", "kosmisk")


def test_export_then_import_reproduces_the_map(small_map, users):
    from jamlik.actors.rows import county_rows
    from jamlik.actors.services import export_package

    package = export_package(small_map["county"])
    xlsx = write_xlsx(county_rows("01"))
    sheets = {s.sheet: s for s in read_xlsx(xlsx)}
    assert len(sheets["actors"].rows) == 4 and len(sheets["activities"].rows) == 3
    assert package["format"] == "jamlik.actor-map" and len(package["checksum"]) == 64
    assert package["version"].endswith(package["checksum"][:8])


def test_package_with_changed_content_is_refused(small_map, users):
    from jamlik.actors.services import export_package, import_county_package

    package = export_package(small_map["county"])
    package["actors"][0]["name"] = "Ändrad"
    with pytest.raises(FormatError, match="checksum"):
        import_county_package(users["admin"], json.dumps(package))


def test_national_import_keeps_provenance_and_replaces_older_package(small_map, users):
    from jamlik.actors.models import Actor, CountyPackage
    from jamlik.actors.services import export_package, import_county_package

    package = export_package(small_map["county"])
    package["county"] = "03"
    for row in package["actors"] + package["activities"]:
        row["area"] = "03"
        if "areas_served" in row:
            row["areas_served"] = []
        if "districts" in row:
            row["districts"] = []
    from jamlik.actors.services.packages import content_checksum

    package["checksum"] = content_checksum(package)
    result = import_county_package(users["admin"], package)
    imported = Actor.objects.filter(source_package=result.package)
    assert imported.count() == 4
    # Identical names in another county: merged with the Stockholm records.
    assert result.merged == 4
    assert all(a.canonical is not None for a in imported)
    again = import_county_package(users["admin"], package)
    assert CountyPackage.objects.filter(county__code="03").count() == 1
    assert Actor.objects.filter(source_package=again.package).count() == 4


def test_codes_that_lost_their_leading_zero_in_excel(county, users):
    from openpyxl import load_workbook

    from jamlik.actors.models import Actor

    workbook = load_workbook(io.BytesIO(write_xlsx({})))
    workbook["actors"].append(
        ["A1", "Föreningen Ett", None, "civil_society", "local", 127, "127, 1"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    _import(users["botkyrka"], county, read_xlsx(buffer.getvalue()))
    actor = Actor.objects.get(ref="A1")
    assert actor.area.code == "0127"
    assert sorted(a.code for a in actor.areas_served.all()) == ["01", "0127"]
