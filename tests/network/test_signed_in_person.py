"""The signed-in person comes with their profile from the cache (network.auth_backends), and every change to
an account or profile counts on that person's next request, including those made without model signals."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from network.models import Profile
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-different-long-passphrase-42"


def _person_queries(client, path="/network/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == HTTPStatus.OK
    return [q["sql"] for q in queries if 'FROM "auth_user"' in q["sql"]]


def test_a_steady_reader_is_not_read_from_the_database_on_every_page(client, home_page):
    client.force_login(MemberFactory())

    assert _person_queries(client)  # the first page reads the person with their profile...
    assert not _person_queries(client)  # ...and keeps them


def test_an_account_deactivated_by_the_admins_bulk_action_is_signed_out_at_once(client, home_page):
    admin = MemberFactory(profile__handle="the-admin")
    get_user_model().objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    staff = Client()
    staff.force_login(admin)
    member = MemberFactory()
    client.force_login(member)
    assert client.get("/network/").status_code == HTTPStatus.OK  # the person is kept now

    # Wagtail's bulk "Set active state" updates accounts with no model signal
    response = staff.post(
        f"/admin/bulk/auth/user/set_active_state/?next=/admin/users/&id={member.pk}",
        {"mark_as_active": "False"},
    )

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:500]
    assert not get_user_model().objects.get(pk=member.pk).is_active
    assert client.get("/network/").status_code == HTTPStatus.FOUND  # signed out: to the sign-in page


def test_a_password_changed_in_one_browser_signs_the_other_out(client, home_page):
    member = MemberFactory()
    other_browser = Client()
    other_browser.force_login(member)
    assert other_browser.get("/network/").status_code == HTTPStatus.OK  # the person is kept now
    client.force_login(member)

    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert client.get("/network/").status_code == HTTPStatus.OK  # this browser stays signed in
    assert other_browser.get("/network/").status_code == HTTPStatus.FOUND


def _never_is_chosen(client) -> bool:
    page = client.get("/network/profile/").content.decode()
    radio = page.split('value="never"', 1)[1].split(">", 1)[0]
    return "checked" in radio


def test_a_profile_changed_without_signals_shows_on_the_persons_next_page(client, home_page):
    member = MemberFactory()
    client.force_login(member)
    assert not _never_is_chosen(client)  # the person is kept now, wanting emails

    # the one-click "stop everything" (network.services.notifications.unsubscribe) updates the profile in
    # one statement: no save, no signal
    Profile.objects.filter(user=member).update(email_notifications=Profile.EmailNotifications.NEVER)

    assert _never_is_chosen(client)


def test_saving_the_kept_person_never_writes_back_an_older_sign_in_time(home_page):
    """A sign-in elsewhere changes last_login (part of password-reset tokens) and bumps nothing: a full
    save of the kept copy must leave the newer time, so a reset link that sign-in cancelled stays so."""
    from datetime import timedelta

    from django.utils import timezone

    from network.auth_backends import AuthenticationBackend

    member = MemberFactory()
    backend = AuthenticationBackend()
    backend.get_user(member.pk)  # kept now
    later = timezone.now() + timedelta(minutes=5)
    get_user_model().objects.filter(pk=member.pk).update(last_login=later)

    backend.get_user(member.pk).save()

    assert get_user_model().objects.get(pk=member.pk).last_login == later
