"""An actor-map activity names the registry intervention it delivers: a select of the
county's registry (the county's own copy replaces the shipped entry), an unknown key
refused, the free-text method kept, and the activity page linking to the registry."""

from __future__ import annotations

import pytest

from jamlik.actors.forms import ActivityForm
from jamlik.actors.models import Activity
from jamlik.prevention import services as prevention

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(small_map):  # noqa: ANN001
    prevention.install_shipped_interventions()
    return small_map


def _data(small_map, **extra):  # noqa: ANN001, ANN003, ANN202
    return {
        "title": "KiVa i Botkyrkas skolor",
        "actors": [small_map["actors"][0].pk],
        "orientation": "prevention",
        "prevention_level": "universal",
        "area": small_map["botkyrka"].pk,
        "malomraden": ["1"],
        "method": "KiVa, med egna tillägg",
        "evidence": "unknown",
        "status": "ongoing",
        **extra,
    }


def test_the_select_offers_the_countys_registry(users, registry) -> None:  # noqa: ANN001
    county = registry["county"]
    shipped = prevention.intervention_for(county, "kiva")
    values = {
        f.name: getattr(shipped, f.name)
        for f in type(shipped)._meta.concrete_fields
        if f.name not in ("id", "county", "key", "updated_at", "version")
    }
    prevention.save_intervention(county, "kiva", values | {"name": "KiVa (länets version)"})
    form = ActivityForm(user=users["botkyrka"], county=county)
    choices = dict(form.fields["intervention_key"].choices)
    assert choices[""] == "—" and choices["kiva"] == "KiVa (länets version)"
    assert "komet" in choices
    assert len([k for k in choices if k == "kiva"]) == 1


def test_an_unknown_key_is_refused(users, registry) -> None:  # noqa: ANN001
    form = ActivityForm(
        _data(registry, intervention_key="no-such-programme"),
        user=users["botkyrka"],
        county=registry["county"],
    )
    assert not form.is_valid() and "intervention_key" in form.errors


def test_saved_from_the_form_and_shown_linked_on_the_activity_page(
    client,
    client_for,
    registry,  # noqa: ANN001
) -> None:
    editor = client_for("botkyrka")
    response = editor.post(
        "/aktorer/insats/ny/?county=01", _data(registry, intervention_key="kiva")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(title="KiVa i Botkyrkas skolor")
    assert (activity.intervention_key, activity.method) == ("kiva", "KiVa, med egna tillägg")
    html = client.get(f"/aktorer/insats/{activity.pk}/").content.decode()
    assert 'data-intervention-key="kiva"' in html
    assert "/prevention/insatser/kiva/?lan=01" in html and "KiVa, med egna tillägg" in html
    # Emptied again: no registry row on the page.
    page = editor.get(f"/aktorer/insats/{activity.pk}/andra/")
    assert page.status_code == 200
    again = editor.post(
        f"/aktorer/insats/{activity.pk}/andra/",
        _data(registry, intervention_key="", version=str(activity.version)),
    )
    assert again.status_code == 302
    assert Activity.objects.get(pk=activity.pk).intervention_key == ""
    assert (
        "data-intervention-key"
        not in client.get(f"/aktorer/insats/{activity.pk}/").content.decode()
    )


def test_a_stored_key_the_registry_lacks_stays_and_shows_as_text(client, users, registry) -> None:  # noqa: ANN001
    from jamlik.actors import services

    activity = services.save_activity(
        users["admin"],
        {
            "title": "Gammalt program",
            "orientation": "prevention",
            "area": registry["botkyrka"],
            "intervention_key": "retired-programme",
        },
        actors=[registry["actors"][0]],
    )
    assert activity.intervention_key == "retired-programme"
    form = ActivityForm(instance=activity, user=users["botkyrka"], county=registry["county"])
    assert "retired-programme" in dict(form.fields["intervention_key"].choices)
    html = client.get(f"/aktorer/insats/{activity.pk}/").content.decode()
    assert 'data-intervention-key="retired-programme"' in html
    assert "/prevention/insatser/retired-programme/" not in html


def _sheets(**activity):  # noqa: ANN003, ANN202
    from jamlik.actors.tabular import read_json

    actor = {
        "ref": "KA1",
        "name": "Kedjeföreningen",
        "type": "civil_society",
        "level": "local",
        "area": "0127",
    }
    row = {
        "ref": "KI1",
        "title": "Kedjeinsats",
        "actors": ["KA1"],
        "malomraden": [1],
        "orientation": "prevention",
        "area": "0127",
        **activity,
    }
    return read_json({"actors": [actor], "activities": [row]})[1]


def test_import_reads_the_registry_key_and_refuses_an_unknown_one(users, registry) -> None:  # noqa: ANN001
    from jamlik.actors.services import import_sheets
    from jamlik.actors.tabular import ImportRejected

    county = registry["county"]
    before = Activity.objects.count()
    with pytest.raises(ImportRejected) as refused:
        import_sheets(users["botkyrka"], county, _sheets(intervention_key="no-such-programme"))
    assert [(e.sheet, e.row, e.column, e.value) for e in refused.value.errors] == [
        ("activities", 1, "intervention_key", "no-such-programme")
    ]
    assert "registry" in refused.value.errors[0].expected
    assert Activity.objects.count() == before, "nothing written"
    import_sheets(users["botkyrka"], county, _sheets(intervention_key="kiva"))
    activity = Activity.objects.get(county=county, ref="KI1")
    assert activity.intervention_key == "kiva"
    # A file without the key (made before the column) keeps the key; a new key replaces it.
    import_sheets(users["botkyrka"], county, _sheets(title="Kedjeinsats, ny titel"))
    again = Activity.objects.get(pk=activity.pk)
    assert (again.title, again.intervention_key) == ("Kedjeinsats, ny titel", "kiva")
    import_sheets(users["botkyrka"], county, _sheets(intervention_key="olweus"))
    assert Activity.objects.get(pk=activity.pk).intervention_key == "olweus"


def test_export_carries_the_registry_key(registry) -> None:  # noqa: ANN001
    from jamlik.actors.rows import county_rows

    activity = Activity.objects.filter(county=registry["county"]).first()
    assert activity is not None
    Activity.objects.filter(pk=activity.pk).update(intervention_key="kiva")
    rows = county_rows(registry["county"].code)["activities"]
    assert any(r.get("intervention_key") == "kiva" for r in rows)


def test_an_activity_without_a_key_reads_as_before_in_round_snapshots(registry) -> None:  # noqa: ANN001
    """Snapshots stored before the field existed have no ``intervention_key``: an activity
    without one gives the same row, so no round reports a change that did not happen."""
    from jamlik.actors.rows import activity_row, diff_rows

    activity = Activity.objects.filter(county=registry["county"]).first()
    old_snapshot_row = activity_row(activity)
    assert "intervention_key" not in old_snapshot_row
    Activity.objects.filter(pk=activity.pk).update(intervention_key="kiva")
    now = activity_row(Activity.objects.get(pk=activity.pk))
    assert diff_rows(old_snapshot_row, now) == {"intervention_key": [None, "kiva"]}
