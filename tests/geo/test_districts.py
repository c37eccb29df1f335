"""Districts: defined one by one or from a file, checked by kind, managed by the county's
administrators only (not even the kommun's own editors: districts are the county's),
deleted only without data, and given boundaries."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import shapely
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from jamlik.accounts.models import Role, RoleKind
from jamlik.geo import boundaries
from jamlik.geo.districts import DESO_CODE, code_problems, read_district_file
from jamlik.geo.models import Area, AreaLevel, DistrictKind
from jamlik.geo.services import (
    BoundaryError,
    DistrictInUse,
    add_district,
    define_districts,
    delete_district,
    import_district_boundaries,
)
from jamlik.sources.errors import ImportValidationError

NAMES = {"0127": "Botkyrka", "0180": "Stockholm"}
LIST = "/omrade/0127/delomraden/"


def _read(text: str, file: str = "d.csv") -> Any:
    return read_district_file(text.encode("utf-8"), file, kommun="0127", kommun_names=NAMES)


def _problems(text: str, file: str = "d.csv") -> list[tuple[int, str, str]]:
    with pytest.raises(ImportValidationError) as exc:
        _read(text, file)
    return [(p.row, p.column, p.value) for p in exc.value.problems]


# --- reading the file (pure) ------------------------------------------------------------


def test_swedish_headers_all_kinds_and_a_dropped_leading_zero() -> None:
    read = _read(
        "kommun;kod;namn;typ\n"
        "127;0127C1010;Alby centrum;DeSO\n"
        "0127;0127R004;Fittja;regso\n"
        "Botkyrka;BOT-N;Norra Botkyrka;stadsdel\n"
        ";;;\n"
        "0127;x.1;Övrigt;annan\n"
    )
    assert [(r.code, r.kind) for r in read.rows] == [
        ("0127C1010", DistrictKind.DESO),
        ("0127R004", DistrictKind.REGSO),
        ("BOT-N", DistrictKind.STADSDEL),
        ("x.1", DistrictKind.OTHER),
    ]
    assert read.blank_rows == 1 and read.rows_read == 5


def test_english_headers_and_no_kommun_column() -> None:
    read = _read("code,name,kind\n0127A0020,Tullinge,deso\n")
    assert read.rows[0].code == "0127A0020" and read.rows[0].kommun == "0127"


def test_every_problem_names_row_column_and_value() -> None:
    problems = _problems(
        "kommun;kod;namn;typ\n"
        "0127;0127D1010;Fel bokstav;deso\n"  # not A/B/C
        "0127;0180C1010;Fel kommun;deso\n"  # another kommun's DeSO
        "0127;0127R04;Kort;regso\n"
        "0180;S1;Stockholm;stadsdel\n"  # not this page's kommun
        "0127;0127;Som kommunkod;stadsdel\n"
        "0127;S2;;stadsdel\n"
        "0127;S3;Okänd typ;kvarter\n"
        "0127;S4;En;stadsdel\n"
        "0127;S4;Två;stadsdel\n"
    )
    assert problems == [
        (2, "kod", "0127D1010"),
        (3, "kod", "0180C1010"),
        (4, "kod", "0127R04"),
        (5, "kommun", "0180"),
        (6, "kod", "0127"),
        (7, "namn", ""),
        (8, "typ", "kvarter"),
        (10, "kod", "S4"),
    ]


def test_missing_columns_and_empty_files_are_named() -> None:
    assert _problems("kommun;namn\n0127;A\n") == [(1, "kod", ""), (1, "typ", "")]
    assert _problems("kod;namn;typ\n") == [(0, "", "")]
    with pytest.raises(ImportValidationError) as exc:
        read_district_file(b"x", "d.pdf", kommun="0127", kommun_names=NAMES)
    assert exc.value.problems[0].value == ".pdf"


def test_xlsx_through_the_reading_layer() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Delområden i Botkyrka"])
    sheet.append(["kommun", "kod", "namn", "typ"])
    sheet.append([127, "0127C1010", "Alby", "DeSO"])
    data = io.BytesIO()
    book.save(data)
    read = read_district_file(data.getvalue(), "d.xlsx", kommun="0127", kommun_names=NAMES)
    assert [(r.row, r.code) for r in read.rows] == [(3, "0127C1010")]


@given(
    st.from_regex(r"\A\d{4}[ABC]\d{4}\Z", fullmatch=True),
    st.sampled_from(["0127", "0180", "2584"]),
)
def test_a_deso_code_is_accepted_exactly_in_its_own_kommun(code: str, kommun: str) -> None:
    problems = list(code_problems("f", 1, code, DistrictKind.DESO, kommun))
    assert (not problems) == code.startswith(kommun)
    assert DESO_CODE.match(code)


@given(st.text(max_size=12))
def test_arbitrary_text_never_passes_as_a_deso_code_unless_it_is_one(code: str) -> None:
    ok = not list(code_problems("f", 1, code, DistrictKind.DESO, code[:4]))
    assert ok == bool(DESO_CODE.match(code))


# --- storing ------------------------------------------------------------------------------


def test_define_creates_then_updates_never_duplicates(botkyrka: Area) -> None:
    first = define_districts(
        botkyrka, b"kod;namn;typ\n0127C1010;Alby;deso\nS1;Tumba;stadsdel\n", "a.csv"
    )
    assert (first.created, first.updated) == (2, 0)
    second = define_districts(
        botkyrka, b"kod;namn;typ\n0127C1010;Alby centrum;deso\nS2;Tullinge;stadsdel\n", "b.csv"
    )
    assert (second.created, second.updated, second.rows_read) == (1, 1, 2)
    alby = Area.objects.get(code="0127C1010")
    assert (alby.name, alby.level, alby.parent, alby.district_kind) == (
        "Alby centrum",
        AreaLevel.DISTRICT,
        botkyrka,
        DistrictKind.DESO,
    )
    assert Area.objects.districts("0127").count() == 3


def test_all_or_nothing_and_codes_held_by_other_areas(botkyrka: Area) -> None:
    stockholm = Area.objects.get(code="0180")
    add_district(stockholm, code="S9", name="Kista", kind=DistrictKind.STADSDEL)
    with pytest.raises(ImportValidationError) as exc:
        define_districts(botkyrka, b"kod;namn;typ\nS1;Tumba;stadsdel\nS9;Kista;stadsdel\n", "c.csv")
    assert [(p.file, p.row, p.column, p.value) for p in exc.value.problems] == [
        ("c.csv", 3, "kod", "S9")
    ]
    assert not Area.objects.filter(code="S1").exists()


def test_add_district_checks_the_code_for_its_kind(botkyrka: Area) -> None:
    with pytest.raises(ValueError, match="four digits of its kommun"):
        add_district(botkyrka, code="0180C1010", name="X", kind=DistrictKind.DESO)
    with pytest.raises(ValueError, match="kommun or län code"):
        add_district(botkyrka, code="0180", name="X", kind=DistrictKind.OTHER)
    add_district(Area.objects.get(code="0180"), code="S9", name="Kista")
    with pytest.raises(ValueError, match="already used"):
        add_district(botkyrka, code="S9", name="X", kind=DistrictKind.OTHER)


def _observe(code: str) -> None:
    from jamlik.indicators.models import ImportRun, Indicator
    from jamlik.indicators.services import store_observations
    from jamlik.sources import Observation

    Indicator.objects.get_or_create(
        code="TDIST1",
        defaults={
            "name_sv": "Test",
            "name_en": "Test",
            "value_type": "proportion",
            "polarity": "low",
        },
    )
    store_observations(
        [Observation("TDIST1", code, "2024", value=12.0)],
        kind=ImportRun.Kind.FILE,
        description="test",
    )


def test_a_district_with_data_is_not_deleted(botkyrka: Area) -> None:
    district = add_district(botkyrka, code="S1", name="Tumba")
    _observe("S1")
    with pytest.raises(DistrictInUse):
        delete_district(district)
    assert Area.objects.filter(code="S1").exists()
    empty = add_district(botkyrka, code="S2", name="Tullinge")
    delete_district(empty)
    assert not Area.objects.filter(code="S2").exists()


# --- boundaries ---------------------------------------------------------------------------


def _halves(kommun: Area) -> list[shapely.Geometry]:
    """The kommun's shape cut in a western and an eastern half."""
    shape = boundaries.polygonal(boundaries.from_geojson(kommun.boundary))
    xmin, ymin, xmax, ymax = shape.bounds
    mid = (xmin + xmax) / 2
    return [
        shape.intersection(shapely.box(xmin, ymin, mid, ymax)),
        shape.intersection(shapely.box(mid, ymin, xmax, ymax)),
    ]


def _collection(shapes: list[Any], codes: list[str], prop: str = "deso", crs: Any = None) -> bytes:
    features = [
        {"type": "Feature", "properties": {prop: c}, "geometry": shapely.geometry.mapping(s)}
        for s, c in zip(shapes, codes, strict=True)
    ]
    data: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(data).encode()


@pytest.fixture
def two_desos(botkyrka: Area) -> list[Area]:
    return [
        add_district(botkyrka, code="0127A0010", name="Väst", kind=DistrictKind.DESO),
        add_district(botkyrka, code="0127C0020", name="Öst", kind=DistrictKind.DESO),
    ]


def test_boundaries_in_wgs84_are_stored_simplified(botkyrka: Area, two_desos: list[Area]) -> None:
    result = import_district_boundaries(
        botkyrka, _collection(_halves(botkyrka), ["0127A0010", "0127C0020"]), "d.geojson"
    )
    assert result.stored == 2 and result.crs == "WGS 84"
    west = Area.objects.get(code="0127A0010")
    assert west.boundary["type"] in ("Polygon", "MultiPolygon")
    assert west.lon < Area.objects.get(code="0127C0020").lon
    assert shapely.geometry.shape(west.boundary).is_valid


def test_boundaries_in_sweref99tm_are_reprojected(botkyrka: Area, two_desos: list[Area]) -> None:
    halves = _halves(botkyrka)
    moved = boundaries.reproject(
        shapely.geometry.base.np.array(halves, dtype=object),
        boundaries.WGS84,
        boundaries.SWEREF99_TM,
    )
    raw = _collection(list(moved), ["0127A0010", "0127C0020"], prop="kod")
    result = import_district_boundaries(botkyrka, raw, "sweref.geojson")
    assert result.crs == "SWEREF99 TM"
    west = shapely.geometry.shape(Area.objects.get(code="0127A0010").boundary)
    assert west.symmetric_difference(halves[0]).area < 0.02 * halves[0].area


def test_unknown_codes_are_all_listed_and_nothing_is_stored(
    botkyrka: Area, two_desos: list[Area]
) -> None:
    shapes = _halves(botkyrka)
    raw = _collection([*shapes, shapes[0]], ["0127A0010", "0127A9999", "0127B1111"])
    with pytest.raises(BoundaryError) as exc:
        import_district_boundaries(botkyrka, raw, "d.geojson")
    assert "feature 1 (0127A9999)" in str(exc.value) and "feature 2 (0127B1111)" in str(exc.value)
    assert Area.objects.get(code="0127A0010").boundary is None


def test_a_district_outside_its_kommun_is_refused(botkyrka: Area, two_desos: list[Area]) -> None:
    lidingo = Area.objects.get(code="0186")
    shape = boundaries.polygonal(boundaries.from_geojson(lidingo.boundary))
    raw = _collection([shape], ["0127A0010"])
    with pytest.raises(BoundaryError, match="outside Botkyrka"):
        import_district_boundaries(botkyrka, raw, "d.geojson")


def test_the_code_property_can_be_named(botkyrka: Area, two_desos: list[Area]) -> None:
    raw = _collection(_halves(botkyrka), ["0127A0010", "0127C0020"], prop="DesoKod2025")
    with pytest.raises(BoundaryError, match="no district code"):
        import_district_boundaries(botkyrka, raw, "d.geojson")
    assert (
        import_district_boundaries(botkyrka, raw, "d.geojson", code_property="desokod2025").stored
        == 2
    )


# --- pages and who may use them ------------------------------------------------------------


@pytest.fixture
def other_county_admin(geography: Any) -> Client:
    user = get_user_model().objects.create_user("lan03x", password="x")
    Role.objects.create(user=user, kind=RoleKind.COUNTY_ADMIN, area=Area.objects.get(code="03"))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _upload(client: Client, text: str, name: str = "d.csv", url: str = LIST + "fil/") -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode("utf-8"))})


def test_the_county_admin_manages_districts(client_for: Any) -> None:
    client = client_for("lan01")
    assert client.get(LIST).status_code == 200
    response = _upload(client, "kommun;kod;namn;typ\n0127;0127C1010;Alby;deso\n")
    assert response.status_code == 302
    html = client.get(LIST).content.decode()
    assert "0127C1010" in html and "Alby" in html
    assert (
        client.post("/omrade/0127C1010/andra/", {"name": "Alby C", "kind": "deso"}).status_code
        == 302
    )
    assert Area.objects.get(code="0127C1010").name == "Alby C"
    assert client.post("/omrade/0127C1010/ta-bort/").status_code == 302
    assert not Area.objects.filter(code="0127C1010").exists()


def test_refusals(
    client: Client, client_for: Any, other_county_admin: Client, botkyrka: Area
) -> None:
    add_district(botkyrka, code="S1", name="Tumba")
    urls = [LIST, "/omrade/S1/andra/", "/omrade/S1/ta-bort/", "/omrade/0127/nytt-delomrade/"]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
        assert client.get(url)["Location"].startswith("/konto/logga-in/")
        for refused in (
            client_for("botkyrka"),  # the kommun's own editor
            client_for("lidingo"),
            client_for("viewer"),
            other_county_admin,
        ):
            assert refused.get(url).status_code == 403, url
    for refused in (client_for("botkyrka"), client_for("lidingo"), other_county_admin):
        assert _upload(refused, "kod;namn;typ\nS2;X;stadsdel\n").status_code == 403
        assert refused.post("/omrade/S1/ta-bort/").status_code == 403
        assert refused.post("/omrade/S1/andra/", {"name": "X", "kind": "other"}).status_code == 403
    assert not Area.objects.filter(code="S2").exists()
    assert Area.objects.get(code="S1").name == "Tumba"


def test_a_bad_file_shows_every_problem_and_stores_nothing(client_for: Any) -> None:
    client = client_for("lan01")
    response = _upload(client, "kod;namn;typ\n0127C1010;Alby;deso\n0180C1010;Kista;deso\n")
    assert response.status_code == 400
    html = response.content.decode()
    assert "d.csv" in html and "0180C1010" in html and "<td>3</td>" in html
    assert not Area.objects.filter(code="0127C1010").exists()


def test_deleting_a_district_with_data_is_refused_with_the_reason(
    client_for: Any, botkyrka: Area
) -> None:
    add_district(botkyrka, code="S1", name="Tumba")
    _observe("S1")
    client = client_for("lan01")
    assert 'href="/omrade/S1/ta-bort/"' not in client.get(LIST).content.decode()
    response = client.post("/omrade/S1/ta-bort/")
    assert response.status_code == 409
    assert "kan inte tas bort" in response.content.decode()
    assert "lagrade värden" in response.content.decode()
    assert Area.objects.filter(code="S1").exists()


def test_boundary_upload_page(client_for: Any, botkyrka: Area, two_desos: list[Area]) -> None:
    client = client_for("lan01")
    raw = _collection(_halves(botkyrka), ["0127A0010", "0127X"])
    response = client.post(LIST + "granser/", {"file": SimpleUploadedFile("d.geojson", raw)})
    assert response.status_code == 400 and "0127X" in response.content.decode()
    raw = _collection(_halves(botkyrka), ["0127A0010", "0127C0020"])
    response = client.post(LIST + "granser/", {"file": SimpleUploadedFile("d.geojson", raw)})
    assert response.status_code == 302
    assert Area.objects.get(code="0127C0020").boundary is not None


def test_invented_demo_boundaries_tile_the_kommun(botkyrka: Area) -> None:
    from jamlik.geo.services import invent_district_boundaries

    for i in range(6):
        add_district(botkyrka, code=f"0127S0{i}", name=f"D{i}")
    assert invent_district_boundaries(botkyrka) == 6
    kommun = boundaries.polygonal(boundaries.from_geojson(botkyrka.boundary))
    cells = [shapely.geometry.shape(d.boundary) for d in Area.objects.districts("0127")]
    assert all(c.is_valid and c.area > 0 for c in cells)
    assert abs(shapely.union_all(cells).area - kommun.area) < 0.01 * kommun.area
    assert sum(c.area for c in cells) < 1.01 * kommun.area  # no overlaps
