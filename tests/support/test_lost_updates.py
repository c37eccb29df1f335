"""Two county administrators on one support activity or agreement: the second save is
refused with a 409 page showing what the first changed, and the first save stays."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.security.forms import edit_form

from jamlik.support import services
from jamlik.support.models import Agreement, SupportActivity


def _open(client: Client, url: str) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200
    data = edit_form(page.content.decode())["data"]
    assert "version" in data and "loaded" in data, "hidden fields rendered"
    return {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}


@pytest.mark.parametrize(
    ("record", "model", "url", "field", "theirs"),
    [
        ("seminar", SupportActivity, "/stod/aktiviteter/{pk}/andra/?lan=01", "theme", "ANDT"),
        ("agreement", Agreement, "/stod/overenskommelser/{pk}/andra/?lan=01", "goals", "Nya mål"),
    ],
)
def test_second_save_is_refused_and_the_first_stays(
    records,
    client_for,
    record,
    model,
    url,
    field,
    theirs,  # noqa: ANN001
) -> None:
    pk = records[record].pk
    url = url.format(pk=pk)
    first, second = client_for("lan01"), client_for("admin")
    mine, others = _open(first, url), _open(second, url)
    assert mine["version"] == ["1"]
    assert first.post(url, mine | {field: [theirs]}).status_code == 302
    refused = second.post(url, others | {"title": ["Min titel"]})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert f'data-field="{field}"' in html and theirs in html
    assert 'data-field="title"' not in html and 'value="Min titel"' in html
    stored = model.objects.get(pk=pk)
    assert (getattr(stored, field), stored.version) == (theirs, 2)
    assert stored.title != "Min titel"


def test_a_stale_version_never_overwrites_in_the_service(records) -> None:  # noqa: ANN001
    from jamlik.core.versioning import VersionConflict

    agreement = records["agreement"]
    values = {"municipality": agreement.municipality, "start": agreement.start, "goals": "A"}
    services.save_agreement(agreement.county, values, agreement=agreement, version=1)
    with pytest.raises(VersionConflict) as refused:
        services.save_agreement(
            agreement.county, values | {"goals": "B"}, agreement=agreement, version=1
        )
    assert (refused.value.expected, refused.value.current_version) == (1, 2)
    assert refused.value.current.goals == "A"
    assert Agreement.objects.get(pk=agreement.pk).goals == "A"
