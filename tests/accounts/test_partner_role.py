"""The partner role: held on a county for one organisation, and it opens nothing unpublished."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.support.joint_fixtures import make_actor

from jamlik.accounts.models import Role, RoleKind
from jamlik.accounts.services import create_user, grant_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(geography):  # noqa: ANN001, ANN201
    return make_actor(geography.get(code="01"), "PR Regionens folkhälsoenhet", "region")


def test_grant_checks_the_organisation(geography, region) -> None:  # noqa: ANN001
    user = create_user("pr-partner", "x-not-used-x")
    with pytest.raises(ValueError, match="names an organisation"):
        grant_role(user, RoleKind.PARTNER, geography.get(code="01"))
    with pytest.raises(ValueError, match="names an organisation"):
        grant_role(user, RoleKind.VIEWER, geography.get(code="01"), actor=region)
    with pytest.raises(ValueError, match="is not in"):
        grant_role(user, RoleKind.PARTNER, geography.get(code="03"), actor=region)
    with pytest.raises(ValueError):  # a kommun, not a county
        grant_role(user, RoleKind.PARTNER, geography.get(code="0127"), actor=region)
    role = grant_role(user, RoleKind.PARTNER, geography.get(code="01"), actor=region)
    assert role.actor == region


@pytest.mark.parametrize(
    ("kind", "area_code", "with_actor", "field"),
    [
        (RoleKind.PARTNER, "01", False, "actor"),
        (RoleKind.PARTNER, "03", True, "actor"),
        (RoleKind.PARTNER, "0127", True, "area"),
        (RoleKind.EDITOR, "0127", True, "actor"),
    ],
)
def test_role_form_validation_names_the_field(
    geography, region, kind, area_code, with_actor, field
) -> None:  # noqa: ANN001
    """The admin's role form refuses what grant_role refuses, on the right field."""
    user = create_user("pr-admin-form", "x-not-used-x")
    role = Role(
        user=user,
        kind=kind,
        area=geography.get(code=area_code),
        actor=region if with_actor else None,
    )
    with pytest.raises(ValidationError) as caught:
        role.clean()
    assert field in caught.value.message_dict


def test_partner_sees_nothing_unpublished(geography, region) -> None:  # noqa: ANN001
    user = create_user("pr-unpublished", "x-not-used-x")
    grant_role(user, RoleKind.PARTNER, geography.get(code="01"), actor=region)
    for code in ("01", "0127", "0186"):
        assert not user.has_perm("jamlik.view_area_unpublished", geography.get(code=code))
        assert not user.has_perm("jamlik.edit_area", geography.get(code=code))
    assert user.has_perm("jamlik.partner_county", geography.get(code="0127"))
    assert not user.has_perm("jamlik.partner_county", geography.get(code="03"))
