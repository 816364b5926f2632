"""Moderators work the applications queue in the Wagtail admin."""

from http import HTTPStatus

import pytest
from django.core import mail

from network.models import Profile
from tests.factories import EditorFactory, MemberFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return UserFactory(
        email="jo@example.org",
        profile=Profile.Status.APPLICANT,
        profile__display_name="Jo Applicant",
        profile__application_reason="I run a time bank",
    )


def test_a_moderator_sees_the_applications_queue(client, home_page, applicant):
    client.force_login(ModeratorFactory())

    response = client.get("/admin/network_profiles/", {"status": "applicant"})

    assert response.status_code == HTTPStatus.OK
    assert "Jo Applicant" in response.content.decode()


def test_a_moderator_approves_an_application_from_the_admin(client, home_page, applicant, run_on_commit):
    client.force_login(ModeratorFactory())
    url = f"/admin/network_profiles/{applicant.network_profile.pk}/moderate/"
    assert "I run a time bank" in client.get(url).content.decode()

    with run_on_commit():
        response = client.post(url, {"action": "approve", "text": "Welcome!"})

    assert response.status_code == HTTPStatus.FOUND
    applicant.network_profile.refresh_from_db()
    assert applicant.network_profile.status == Profile.Status.MEMBER
    assert mail.outbox[-1].to == ["jo@example.org"] and "Welcome!" in mail.outbox[-1].body


def test_suspending_from_the_admin_needs_a_reason(client, home_page):
    member = MemberFactory()
    client.force_login(ModeratorFactory())
    url = f"/admin/network_profiles/{member.network_profile.pk}/moderate/"

    response = client.post(url, {"action": "suspend", "text": ""})

    assert response.status_code == HTTPStatus.OK
    assert "Please give a reason" in response.content.decode()
    member.network_profile.refresh_from_db()
    assert member.network_profile.status == Profile.Status.MEMBER


@pytest.mark.parametrize("factory", [MemberFactory, EditorFactory])
def test_people_who_are_not_moderators_cannot_moderate(client, home_page, applicant, factory):
    client.force_login(factory())

    response = client.post(
        f"/admin/network_profiles/{applicant.network_profile.pk}/moderate/", {"action": "approve"}
    )

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    applicant.network_profile.refresh_from_db()
    assert applicant.network_profile.status == Profile.Status.APPLICANT


def test_the_moderators_dashboard_lists_waiting_applications(client, home_page, applicant):
    client.force_login(ModeratorFactory())

    html = client.get("/admin/").content.decode()

    assert "1 membership application waiting" in html and "Jo Applicant" in html


def test_an_editors_dashboard_does_not_show_applications(client, home_page, applicant):
    client.force_login(EditorFactory())

    assert "Jo Applicant" not in client.get("/admin/").content.decode()


def test_a_moderator_cannot_decide_about_their_own_membership(client, home_page):
    from network import services

    moderator = ModeratorFactory()
    services.suspend_member(profile=moderator.network_profile, by=None, reason="Abuse")
    client.force_login(moderator)

    response = client.post(
        f"/admin/network_profiles/{moderator.network_profile.pk}/moderate/", {"action": "reinstate"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    moderator.network_profile.refresh_from_db()
    assert moderator.network_profile.status == Profile.Status.SUSPENDED


def test_a_suspended_moderator_cannot_use_the_admin_until_reinstated(client, home_page):
    from network import services

    moderator = ModeratorFactory()
    services.suspend_member(profile=moderator.network_profile, by=None, reason="Abuse")
    client.force_login(moderator)

    blocked = client.get("/admin/")
    services.reinstate_member(profile=moderator.network_profile, by=None)
    client.force_login(moderator)

    assert blocked.status_code == HTTPStatus.FORBIDDEN and "suspended" in blocked.content.decode()
    assert client.get("/admin/").status_code == HTTPStatus.OK
