"""Spreadsheet exports must not turn text someone typed into a live formula.

An editor (or anyone whose text reaches an export) can type ``=HYPERLINK(...)`` or
``=WEBSERVICE(...)``; when a county officer opens the export in Excel the formula runs.
XLSX cells written from user text must be plain strings (openpyxl makes any string that
starts with ``=`` a formula), and CSV cells must not start with ``=``, ``+``, ``-`` or
``@`` (OWASP "CSV injection": prefix such values with an apostrophe).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from openpyxl import load_workbook

from .forms import edit_form, with_marker

FORMULA = '=HYPERLINK("http://evil.example/","Klicka här")'
TRIGGERS = ("=", "+", "-", "@")


def xlsx_formula_cells(content: bytes, needle: str = "evil.example") -> list[str]:
    wb = load_workbook(io.BytesIO(content))
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and needle in c.value and c.data_type == "f"
    ]


def csv_live_cells(content: bytes, needle: str = "evil.example") -> list[str]:
    text = content.decode("utf-8-sig")
    found = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if needle in cell and cell.lstrip().startswith(TRIGGERS):
                found.append(cell)
    return found


def _plant_actor_name(as_user: Any) -> None:
    from jamlik.actors.models import Activity, Actor

    editor = as_user("botkyrka")
    actor = Actor.objects.filter(area__code="0127").order_by("pk").first()
    url = f"/aktorer/aktor/{actor.pk}/andra/"
    assert (
        editor.post(
            url, with_marker(edit_form(editor.get(url).content.decode()), FORMULA, "name")
        ).status_code
        == 302
    )
    activity = Activity.objects.filter(area__code="0127").order_by("pk").first()
    url = f"/aktorer/insats/{activity.pk}/andra/"
    assert (
        editor.post(
            url, with_marker(edit_form(editor.get(url).content.decode()), FORMULA, "title")
        ).status_code
        == 302
    )


def test_actor_xlsx_export_has_no_formulas_from_user_text(as_user, demo) -> None:  # noqa: ANN001
    _plant_actor_name(as_user)
    response = as_user(None).get("/aktorer/export/01/xlsx/")
    assert response.status_code == 200
    assert xlsx_formula_cells(response.content) == []


def test_actor_csv_export_neutralises_formulas(as_user, demo) -> None:  # noqa: ANN001
    _plant_actor_name(as_user)
    response = as_user(None).get("/aktorer/export/01/csv/")
    assert response.status_code == 200
    assert "evil.example" in response.content.decode("utf-8-sig"), "the title is exported"
    assert csv_live_cells(response.content) == []


def _plant_scenario_name(as_user: Any) -> int:
    from jamlik.economics.models import Scenario

    scenario = Scenario.objects.get(area__code="0127")
    inputs = dict(scenario.inputs) | {"name": FORMULA}
    body = {"kommun": "0127", "inputs": inputs, "published": True}
    response = as_user("botkyrka").put(
        f"/api/v1/economics/scenarios/{scenario.pk}",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return scenario.pk


def test_scenario_xlsx_has_no_formulas_from_user_text(as_user, demo) -> None:  # noqa: ANN001
    pk = _plant_scenario_name(as_user)
    xlsx = as_user(None).get(f"/ekonomi/scenario/{pk}/scenario.xlsx")
    assert xlsx.status_code == 200
    assert xlsx_formula_cells(xlsx.content) == []


def test_scenario_csv_has_no_formulas_from_user_text(as_user, demo) -> None:  # noqa: ANN001
    pk = _plant_scenario_name(as_user)
    csv_file = as_user(None).get(f"/ekonomi/scenario/{pk}/per-ar.csv")
    assert csv_file.status_code == 200
    assert csv_live_cells(csv_file.content) == []


def _plant_answer() -> None:
    """A kommun's free-text answer reaches the county admin's round export."""
    from jamlik.prerequisites.models import Response

    response = Response.objects.get(municipality__code="0127", round__year=2023)
    response.answers = dict(response.answers) | {"coordination_description": FORMULA}
    response.save()


def test_survey_answer_xlsx_has_no_formulas(as_user, demo) -> None:  # noqa: ANN001
    _plant_answer()
    xlsx = as_user("lan01").get("/forutsattningar/lan/01/omgang/2023/export.xlsx")
    assert xlsx.status_code == 200
    assert xlsx_formula_cells(xlsx.content) == []


def test_survey_answer_csv_has_no_formulas(as_user, demo) -> None:  # noqa: ANN001
    _plant_answer()
    csv_file = as_user("lan01").get("/forutsattningar/lan/01/omgang/2023/export.csv")
    assert csv_file.status_code == 200
    assert "evil.example" in csv_file.content.decode("utf-8-sig"), "the answer is exported"
    assert csv_live_cells(csv_file.content) == []
