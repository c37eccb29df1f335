"""The county board's own work (pillar 1): units inside the county board actor.

Units are actors of their own (``ActorType.COUNTY_BOARD_UNIT``, ``Actor.part_of`` the
county board). The rules of a unit's place (same county, not itself, no cycles, a county
board unit inside a county board) hold in the form, the service and the import; the
package format carries ``part_of`` by ref and still reads packages without it; the
county's actor-map pages show the units apart from the external actors.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from tests.security.forms import edit_form

from jamlik.actors.choices import ActorLevel, ActorType, TagDimension
from jamlik.actors.units import part_of_problem, reaches

# ---- pure rules ------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=30))
def test_reaches_follows_a_forest_and_never_loops(picks: list[int]) -> None:
    # Node i + 1 hangs under some earlier node: a forest, so no node reaches itself from
    # its parent, and every node reaches each of its ancestors.
    parents: dict[int, int | None] = {0: None}
    for i, pick in enumerate(picks, start=1):
        parents[i] = pick % i
    for node, parent in parents.items():
        assert not reaches(parent, parents, node)
        ancestor = parent
        while ancestor is not None:
            assert reaches(parent, parents, ancestor)
            ancestor = parents[ancestor]
    # A stored loop that does not pass the target ends the walk.
    assert not reaches(1, {1: 2, 2: 1}, 3)


def test_part_of_rules() -> None:
    unit, board = ActorType.COUNTY_BOARD_UNIT, ActorType.COUNTY_BOARD
    assert part_of_problem(actor_type=unit, parent_type=board) is None
    assert part_of_problem(actor_type=ActorType.MUNICIPAL, parent_type=None) is None
    assert part_of_problem(actor_type=ActorType.MUNICIPAL, parent_type=ActorType.REGION) is None
    assert part_of_problem(actor_type=unit, parent_type=None)
    assert part_of_problem(actor_type=unit, parent_type=ActorType.REGION)
    assert part_of_problem(actor_type=unit, parent_type=unit)
    assert part_of_problem(actor_type=unit, parent_type=board, same_county=False)
    assert part_of_problem(actor_type=board, parent_type=board, is_self=True)
    assert part_of_problem(actor_type=board, parent_type=unit, cycle=True)


# ---- a small map with a county board and one unit ---------------------------------------


@pytest.fixture
def board_map(small_map, users):  # noqa: ANN001, ANN201
    from jamlik.actors import services

    admin, county = users["admin"], small_map["county"]
    board = services.save_actor(
        admin,
        {
            "name": "Länsstyrelsen i testlän",
            "actor_type": ActorType.COUNTY_BOARD,
            "level": ActorLevel.REGIONAL,
            "area": county,
        },
    )
    unit = services.save_actor(
        admin,
        {
            "name": "Länsstyrelsen i testlän, enheten för regional tillväxt",
            "actor_type": ActorType.COUNTY_BOARD_UNIT,
            "level": ActorLevel.REGIONAL,
            "area": county,
            "part_of": board,
        },
    )
    work = services.save_activity(
        admin,
        {
            "title": "Jämlik hälsa i tillväxtstrategin",
            "orientation": "promotion",
            "area": county,
            "status": "ongoing",
        },
        actors=[unit],
        tags={TagDimension.TARGET_AREA: ["3", "4"]},
    )
    return {**small_map, "board": board, "unit": unit, "work": work}


def _new_actor_form(client: Client, query: str = "") -> dict[str, list[str]]:
    page = client.get(f"/aktorer/aktor/ny/{query}")
    assert page.status_code == 200
    return {k: v for k, v in edit_form(page.content.decode())["data"].items()}


def test_county_admin_adds_a_unit_to_the_board(board_map, client_for) -> None:  # noqa: ANN001
    from jamlik.actors.models import Actor

    client = client_for("lan01")
    data = _new_actor_form(client) | {
        "name": ["Länsstyrelsen i testlän, samhällsplaneringsenheten"],
        "actor_type": [ActorType.COUNTY_BOARD_UNIT],
        "level": [ActorLevel.REGIONAL],
        "area": [str(board_map["county"].pk)],
        "part_of": [str(board_map["board"].pk)],
    }
    response = client.post("/aktorer/aktor/ny/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Actor.objects.get(name="Länsstyrelsen i testlän, samhällsplaneringsenheten")
    assert unit.part_of == board_map["board"] and unit.county == board_map["county"]


def test_add_a_unit_from_the_boards_page(board_map, client_for) -> None:  # noqa: ANN001
    board = board_map["board"]
    page = client_for("lan01").get(f"/aktorer/aktor/{board.pk}/").content.decode()
    assert f"/aktorer/aktor/ny/?part_of={board.pk}" in page
    form = _new_actor_form(client_for("lan01"), f"?part_of={board.pk}")
    assert form["part_of"] == [str(board.pk)]
    assert form["actor_type"] == [ActorType.COUNTY_BOARD_UNIT]
    assert form["area"] == [str(board.area_id)]
    # Not offered to a kommun's editor, who may not edit the county-wide board.
    other = client_for("botkyrka").get(f"/aktorer/aktor/{board.pk}/").content.decode()
    assert "?part_of=" not in other


@pytest.mark.parametrize(
    ("parent", "actor_type"),
    [
        (None, ActorType.COUNTY_BOARD_UNIT),  # a unit must be part of something
        ("region", ActorType.COUNTY_BOARD_UNIT),  # … of a county board, not the region
        ("unit", ActorType.COUNTY_BOARD_UNIT),  # … nor of another unit
    ],
)
def test_form_refuses_a_unit_outside_a_county_board(board_map, client_for, parent, actor_type):  # noqa: ANN001
    from jamlik.actors.models import Actor

    parents = {"region": board_map["actors"][3], "unit": board_map["unit"]}
    client = client_for("lan01")
    before = Actor.objects.count()
    data = _new_actor_form(client) | {
        "name": ["En enhet som inte hör hemma"],
        "actor_type": [actor_type],
        "level": [ActorLevel.REGIONAL],
        "area": [str(board_map["county"].pk)],
        "part_of": [str(parents[parent].pk)] if parent else [""],
    }
    response = client.post("/aktorer/aktor/ny/", data)
    assert response.status_code == 200
    assert "part_of" in response.context["form"].errors
    assert Actor.objects.count() == before


def test_form_refuses_self_cycles_and_other_counties(board_map, users) -> None:  # noqa: ANN001
    from jamlik.actors import services
    from jamlik.actors.forms import ActorForm
    from jamlik.actors.models import Actor
    from jamlik.geo.models import Area

    board, unit = board_map["board"], board_map["unit"]
    lan01, admin = users["lan01"], users["admin"]

    def form_for(actor: Actor, part_of: Actor, user=lan01) -> ActorForm:  # noqa: ANN001
        data = {
            "name": actor.name,
            "actor_type": actor.actor_type,
            "level": actor.level,
            "area": actor.area_id,
            "part_of": part_of.pk,
        }
        return ActorForm(data, instance=actor, user=user)

    # The board inside its own unit: a cycle.
    cycle = form_for(board, unit)
    assert not cycle.is_valid() and "part_of" in cycle.errors
    # Itself: not even offered.
    itself = form_for(board, board)
    assert not itself.is_valid() and "part_of" in itself.errors
    # A county board of another county: refused even for the national administrator,
    # to whom every county's actors are offered.
    uppsala = Area.objects.get(code="03")
    other = services.save_actor(
        admin,
        {
            "name": "Länsstyrelsen i annat län",
            "actor_type": ActorType.COUNTY_BOARD,
            "level": ActorLevel.REGIONAL,
            "area": uppsala,
        },
    )
    elsewhere = form_for(unit, other, user=admin)
    assert not elsewhere.is_valid() and "part_of" in elsewhere.errors
    assert "same county" in str(elsewhere.errors["part_of"]) or "samma län" in str(
        elsewhere.errors["part_of"]
    )


def test_service_is_the_last_line(board_map, users) -> None:  # noqa: ANN001
    from jamlik.actors import services
    from jamlik.actors.models import Actor

    admin, county = users["admin"], board_map["county"]
    before = Actor.objects.count()
    with pytest.raises(ValueError):
        services.save_actor(
            admin,
            {
                "name": "Enhet utan länsstyrelse",
                "actor_type": ActorType.COUNTY_BOARD_UNIT,
                "level": ActorLevel.REGIONAL,
                "area": county,
            },
        )
    board = board_map["board"]
    with pytest.raises(ValueError):
        services.save_actor(admin, {"part_of": board_map["unit"]}, actor=board)
    assert Actor.objects.count() == before
    board.refresh_from_db()
    assert board.part_of is None
    # A kommun's editor may not add a unit to the county-wide board.
    with pytest.raises(PermissionDenied):
        services.save_actor(
            users["botkyrka"],
            {
                "name": "Smygenhet",
                "actor_type": ActorType.COUNTY_BOARD_UNIT,
                "level": ActorLevel.REGIONAL,
                "area": county,
                "part_of": board,
            },
        )


def test_edit_page_refuses_others(board_map, client_for) -> None:  # noqa: ANN001
    url = f"/aktorer/aktor/{board_map['unit'].pk}/andra/"
    assert client_for("botkyrka").get(url).status_code == 403
    assert client_for("viewer").get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/konto/" in anonymous["Location"]
    assert client_for("lan01").get(url).status_code == 200


def test_api_carries_part_of_and_keeps_it_when_left_out(board_map, client_for) -> None:  # noqa: ANN001
    import json

    from jamlik.actors.models import Actor

    client, board = client_for("lan01"), board_map["board"]
    body = {
        "name": "Länsstyrelsen i testlän, miljöenheten",
        "type": "county_board_unit",
        "level": "regional",
        "area": "01",
    }

    def send(method: str, url: str, data: dict) -> object:
        return getattr(client, method)(url, json.dumps(data), content_type="application/json")

    assert send("post", "/api/v1/actors", body).status_code == 422  # a unit needs its board
    assert send("post", "/api/v1/actors", body | {"part_of": 2**40}).status_code == 422
    created = send("post", "/api/v1/actors", body | {"part_of": board.pk})
    assert created.status_code == 201, created.content
    assert created.json()["part_of"] == board.pk
    url = f"/api/v1/actors/{created.json()['id']}"
    kept = send("put", url, body | {"name": "Länsstyrelsen i testlän, miljö"})
    assert kept.status_code == 200 and kept.json()["part_of"] == board.pk
    assert Actor.objects.get(pk=created.json()["id"]).part_of == board
    assert client.get(f"/api/v1/actors/{board_map['unit'].pk}").json()["part_of"] == board.pk


# ---- pages -------------------------------------------------------------------------------


def test_actor_pages_show_part_of_and_units(board_map) -> None:  # noqa: ANN001
    client = Client()
    unit_page = client.get(f"/aktorer/aktor/{board_map['unit'].pk}/").content.decode()
    assert f'href="/aktorer/aktor/{board_map["board"].pk}/"' in unit_page
    board_page = client.get(f"/aktorer/aktor/{board_map['board'].pk}/").content.decode()
    assert 'id="units-h"' in board_page
    assert "enheten för regional tillväxt" in board_page
    assert "/aktorer/lansstyrelsen/?county=01" in board_page


def test_county_board_page_groups_by_target_area(board_map) -> None:  # noqa: ANN001
    from jamlik.actors.board import county_board_work

    work = county_board_work(board_map["county"])
    mine = [u for u in work.units if u.actor.pk == board_map["unit"].pk]
    assert len(mine) == 1 and [a.pk for a in mine[0].activities] == [board_map["work"].pk]
    counts = {g.key: g.count for g in work.by_target_area}
    assert set(counts) == {str(n) for n in range(1, 9)}  # every målområde, empty ones too
    assert counts["3"] >= 1 and counts["4"] >= 1
    # The board's units only: the kommuner's activities are not the board's own work.
    own = {a.pk for a in work.activities}
    assert not own & {a.pk for a in board_map["activities"]}

    html = Client().get("/aktorer/lansstyrelsen/?county=01").content.decode()
    assert "Jämlik hälsa i tillväxtstrategin" in html
    assert 'id="ta-3"' in html and 'id="ta-4"' in html
    assert 'aria-current="page"' in html
    # Reachable from the county's actor-map tabs and the county page's section.
    directory = Client().get("/aktorer/?county=01").content.decode()
    assert 'href="/aktorer/lansstyrelsen/' in directory
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from jamlik.actors.sections import area_sections

    section = area_sections(board_map["county"], RequestFactory().get("/"))[0]
    html = render_to_string(section.template, section.context)
    assert "/aktorer/lansstyrelsen/?county=01" in html


def test_county_board_page_without_units(small_map) -> None:  # noqa: ANN001
    response = Client().get("/aktorer/lansstyrelsen/?county=01")
    assert response.status_code == 200
    assert 'id="none-h"' in response.content.decode()
    assert Client().get("/aktorer/lansstyrelsen/?county=99").status_code == 404


def test_directory_lists_units_apart(board_map) -> None:  # noqa: ANN001
    html = Client().get("/aktorer/?county=01&view=actors").content.decode()
    table, _sep, rest = html.partition('id="board-units-h"')
    assert "enheten för regional tillväxt" not in table  # not among the external actors
    assert "enheten för regional tillväxt" in rest
    assert "Länsstyrelsen i testlän" in table  # the board itself is an actor of the map
    # Asked for by sector, the units are the list.
    units = (
        Client().get("/aktorer/?county=01&view=actors&sector=county_board_unit").content.decode()
    )
    assert "enheten för regional tillväxt" in units and 'id="board-units-h"' not in units


def test_network_draws_units_with_the_board(board_map, users) -> None:  # noqa: ANN001
    from jamlik.actors import graph, services, svg_graph
    from jamlik.actors.choices import RelationKind

    services.add_relation(
        users["admin"], board_map["unit"], board_map["actors"][3], RelationKind.COLLABORATES
    )
    analysis = graph.county_network("01")
    svg = svg_graph.render_network_svg(analysis, title="t", description="d")
    unit_node = re.search(
        rf'href="/aktorer/aktor/{board_map["unit"].pk}/"[^>]*>.*?<circle [^>]*fill="([^"]+)"', svg
    )
    assert unit_node and unit_node.group(1) == svg_graph.SECTOR_STYLE[ActorType.COUNTY_BOARD][0]
    assert "(L = " in svg
    assert [e["key"] for e in svg_graph.legend()] == list(svg_graph.SECTOR_STYLE)
    # The board and its own unit are one sector for brokerage.
    g = graph.build_graph(
        [
            (1, "Board", "county_board"),
            (2, "Unit", "county_board_unit"),
            (3, "Kommun", "municipal"),
        ],
        [(3, 1, "collaborates"), (3, 2, "collaborates")],
        [],
    )
    assert graph.brokerage(g, 3) == 0


# ---- import and export --------------------------------------------------------------------


def test_package_round_trip_carries_part_of(board_map, users) -> None:  # noqa: ANN001
    from jamlik.actors.models import Actor
    from jamlik.actors.services import export_package, import_county_package

    doc = export_package(board_map["county"])
    assert doc["format_version"] == 2
    rows = {r["ref"]: r for r in doc["actors"]}
    unit_row = rows[board_map["unit"].ref]
    assert unit_row["type"] == ActorType.COUNTY_BOARD_UNIT
    assert unit_row["part_of"] == board_map["board"].ref
    assert "part_of" not in rows[board_map["board"].ref]  # only when set

    result = import_county_package(users["admin"], doc)
    imported = Actor.objects.get(source_package=result.package, ref=board_map["unit"].ref)
    assert imported.actor_type == ActorType.COUNTY_BOARD_UNIT
    assert imported.part_of.ref == board_map["board"].ref
    assert imported.part_of.source_package == result.package  # the package's own board
    # Exported again, the package's records give the same rows.
    again = {r["ref"]: r for r in export_package(board_map["county"])["actors"]}
    assert again[board_map["unit"].ref] == unit_row


def test_version_1_package_without_part_of_still_imports(small_map, users) -> None:  # noqa: ANN001
    from jamlik.actors.models import Actor
    from jamlik.actors.services import import_county_package
    from jamlik.actors.services.packages import content_checksum

    content = {
        "actors": [
            {
                "ref": "V1",
                "name": "Gammal förening",
                "org_number": "",
                "type": "civil_society",
                "level": "local",
                "area": "0127",
                "areas_served": ["0127"],
                "contact": "",
                "website": "",
            }
        ],
        "activities": [],
        "networks": [],
        "relations": [],
    }
    doc = {
        "format": "jamlik.actor-map",
        "format_version": 1,
        "county": "01",
        "version": "2025-01-01.old",
        "exported_at": "2025-01-01T00:00:00+00:00",
        "checksum": content_checksum(content),
        **content,
    }
    result = import_county_package(users["admin"], doc)
    actor = Actor.objects.get(source_package=result.package, ref="V1")
    assert actor.part_of is None and result.package.format_version == 1


def test_package_of_a_newer_format_is_refused_clearly(users) -> None:  # noqa: ANN001
    from jamlik.actors.services import import_county_package
    from jamlik.actors.tabular import FormatError

    with pytest.raises(FormatError, match="format_version.*1, 2.*got 3"):
        import_county_package(
            users["admin"],
            {"format": "jamlik.actor-map", "format_version": 3, "county": "01"},
        )


def _sheet(rows: list[dict]) -> list:  # noqa: ANN401
    from jamlik.actors.tabular import SheetRows

    return [SheetRows("actors", list(enumerate(rows, start=2)))]


def _row(ref: str, type_: str, part_of: str = "") -> dict[str, str]:
    return {
        "ref": ref,
        "name": f"Aktör {ref}",
        "type": type_,
        "level": "regional",
        "area": "01",
        "part_of": part_of,
    }


@pytest.mark.parametrize(
    ("rows", "bad_row", "value"),
    [
        ([_row("U1", "county_board_unit")], 2, ""),  # a unit with no board
        ([_row("U1", "county_board_unit", "NOPE")], 2, "NOPE"),  # unknown ref
        ([_row("R1", "region"), _row("U1", "county_board_unit", "R1")], 3, "R1"),
        ([_row("B1", "county_board", "B1")], 2, "B1"),  # itself
        (
            [_row("B1", "county_board", "B2"), _row("B2", "county_board", "B1")],
            2,
            "B2",
        ),  # a cycle (both rows are named)
    ],
)
def test_import_refuses_bad_units_naming_row_and_column(small_map, users, rows, bad_row, value):  # noqa: ANN001
    from jamlik.actors.models import Actor
    from jamlik.actors.services import import_sheets
    from jamlik.actors.tabular import ImportRejected

    before = Actor.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        import_sheets(users["lan01"], small_map["county"], _sheet(rows))
    errors = [(e.sheet, e.row, e.column, e.value) for e in rejected.value.errors]
    assert ("actors", bad_row, "part_of", value) in errors
    assert Actor.objects.count() == before  # all or nothing


def test_import_places_units_whatever_the_row_order(small_map, users) -> None:  # noqa: ANN001
    from jamlik.actors.models import Actor
    from jamlik.actors.services import import_sheets
    from jamlik.actors.tabular import read_xlsx, write_xlsx

    county = small_map["county"]
    rows = [_row("U1", "county_board_unit", "B1"), _row("B1", "county_board")]
    for row in rows:
        row |= {"org_number": "", "areas_served": [], "contact": "", "website": ""}
    # Through the spreadsheet template, as a county would send it.
    sheets = read_xlsx(
        write_xlsx({"actors": rows, "activities": [], "networks": [], "relations": []})
    )
    result = import_sheets(users["lan01"], county, sheets)
    assert result.created["actors"] == 2
    unit = Actor.objects.get(county=county, ref="U1")
    assert unit.part_of == Actor.objects.get(county=county, ref="B1")
    # A file made before the column (no part_of) keeps the unit where it is.
    old = {k: v for k, v in rows[0].items() if k != "part_of"} | {"name": "Nytt namn"}
    import_sheets(users["lan01"], county, _sheet([old]))
    unit.refresh_from_db()
    assert unit.name == "Nytt namn" and unit.part_of.ref == "B1"


# ---- demo ----------------------------------------------------------------------------------


def test_demo_rows_place_the_board_units(geography) -> None:  # noqa: ANN001
    from jamlik.actors.demo import BOARD_REF, build_rows

    rows = build_rows(list(geography.municipalities("01")), {})
    actors = {r["ref"]: r for r in rows["actors"]}
    assert actors[BOARD_REF]["name"] == "Länsstyrelsen i Stockholms län"
    assert actors[BOARD_REF]["type"] == ActorType.COUNTY_BOARD
    units = {r["name"] for r in rows["actors"] if r.get("part_of") == BOARD_REF}
    assert {
        "Länsstyrelsen i Stockholms län, enheten för social hållbarhet",
        "Länsstyrelsen i Stockholms län, brottsförebyggande samordning",
        "Länsstyrelsen i Stockholms län, ANDTS-samordning",
        "Länsstyrelsen i Stockholms län, enheten för regional tillväxt",
        "Länsstyrelsen i Stockholms län, samhällsplaneringsenheten",
    } <= units
    assert all(
        actors[r]["type"] == ActorType.COUNTY_BOARD_UNIT for r in actors if actors[r].get("part_of")
    )
    growth_planning = [a for a in rows["activities"] if set(a["actors"]) & {"DL02", "DL03"}]
    assert len(growth_planning) >= 4 and all(a["malomraden"] for a in growth_planning)


def test_demo_map_seeded_before_the_units_is_brought_up_to_date(geography, users) -> None:  # noqa: ANN001
    """A demo database made before the units: the three older units are moved into the new
    board actor once, with the growth and planning units; a second run changes nothing."""
    from jamlik.actors.demo import BOARD_REF, REGIONAL, _add_board_units
    from jamlik.actors.models import Activity, Actor, ChangeLogEntry

    county = geography.get(code="01")
    old = [n for n, *_ in REGIONAL if n.startswith("Länsstyrelsen i Stockholms län,")]
    for index, name in enumerate(old, start=1):
        Actor.objects.create(
            name=name,
            ref=f"DA9{index:02d}",
            actor_type=ActorType.COUNTY_BOARD,
            level=ActorLevel.REGIONAL,
            area=county,
            is_demo=True,
        )
    _add_board_units(county)
    board = Actor.objects.get(county=county, ref=BOARD_REF, source_package=None)
    assert board.actor_type == ActorType.COUNTY_BOARD and board.is_demo
    units = Actor.objects.filter(part_of=board)
    assert {u.name for u in units} >= set(old)
    assert set(units.values_list("actor_type", flat=True)) == {ActorType.COUNTY_BOARD_UNIT}
    assert Activity.objects.filter(actors__part_of=board, is_demo=True).count() >= 4
    counts = (Actor.objects.count(), Activity.objects.count(), ChangeLogEntry.objects.count())
    _add_board_units(county)
    assert (Actor.objects.count(), Activity.objects.count(), ChangeLogEntry.objects.count()) == (
        counts
    )


def test_demo_uppsala_package_from_before_the_units_is_replaced_once(geography, users) -> None:  # noqa: ANN001
    from jamlik.actors.demo import _refresh_uppsala_package
    from jamlik.actors.demo_national import uppsala_package
    from jamlik.actors.models import Actor, CountyPackage
    from jamlik.actors.services import import_county_package
    from jamlik.actors.services.packages import content_checksum

    doc = uppsala_package()
    board = next(a["ref"] for a in doc["actors"] if a["type"] == ActorType.COUNTY_BOARD)
    doc["actors"] = [
        {k: v for k, v in a.items() if k != "part_of"}
        | ({"type": ActorType.COUNTY_BOARD} if a.get("part_of") else {})
        for a in doc["actors"]
        if a["ref"] != board
    ]
    doc["format_version"] = 1
    doc["checksum"] = content_checksum(doc)
    import_county_package(users["admin"], doc)
    _refresh_uppsala_package()
    package = CountyPackage.objects.get(county__code="03")
    assert package.format_version == 2
    unit = Actor.objects.get(source_package=package, actor_type=ActorType.COUNTY_BOARD_UNIT)
    assert unit.part_of.actor_type == ActorType.COUNTY_BOARD
    _refresh_uppsala_package()
    assert CountyPackage.objects.get(county__code="03").pk == package.pk
