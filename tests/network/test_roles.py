"""The roles of DESIGN.md as groups: who gets into the Wagtail admin, and what they may do there."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group

from network import roles
from tests.factories import EditorFactory, HostFactory, MemberFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


def test_the_four_role_groups_exist_after_migrating():
    names = set(Group.objects.values_list("name", flat=True))

    assert {roles.MEMBERS, roles.HOSTS, roles.MODERATORS, roles.EDITORS} <= names


@pytest.mark.parametrize("factory", [MemberFactory, HostFactory])
def test_members_and_hosts_have_no_way_into_the_admin(client, home_page, factory):
    client.force_login(factory())

    response = client.get("/admin/")

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert not response.get("Location", "").startswith("/admin/")


def test_an_editor_can_edit_pages_but_not_publish_or_manage_people(home_page):
    editor = EditorFactory()
    perms = home_page.permissions_for_user(editor)

    assert editor.has_perm("wagtailadmin.access_admin")
    assert perms.can_edit() and perms.can_add_subpage()
    assert not perms.can_publish()
    assert not editor.has_perm("auth.change_user")
    assert editor.has_perm("wagtaildocs.add_document")


def test_a_moderator_publishes_pages_and_manages_members_and_mail(home_page):
    moderator = ModeratorFactory()

    assert home_page.permissions_for_user(moderator).can_publish()
    assert moderator.has_perm("network.moderate_profile")
    assert moderator.has_perm("network.retry_outboxmessage")


def test_a_moderator_cannot_edit_user_accounts_so_cannot_make_anyone_an_administrator(client, home_page):
    from django.contrib.auth import get_user_model

    target = MemberFactory(email="someone@example.org")
    client.force_login(ModeratorFactory())

    response = client.post(
        f"/admin/users/edit/{target.pk}/",
        {"email": "attacker@evil.example", "is_superuser": "on", "first_name": "x", "last_name": "y"},
    )

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    target = get_user_model().objects.get(pk=target.pk)
    assert not target.is_superuser and target.email == "someone@example.org"


def test_an_editor_reaches_the_admin_dashboard(client, home_page):
    client.force_login(EditorFactory())

    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_staff_must_set_up_two_factor_authentication_before_using_the_admin(client, home_page, settings):
    from allauth.mfa.models import Authenticator

    settings.STAFF_MFA_REQUIRED = True
    editor = EditorFactory()
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/accounts/2fa/totp/activate/"
    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={"secret": "x"})
    # set up, but this session has not used it yet (tests/cms/test_sign_in_routes.py goes on from here)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/reauthenticate/?next=/admin/"
    client.force_login(MemberFactory())
    assert client.get("/network/").status_code == HTTPStatus.OK  # members without admin rights are not asked
