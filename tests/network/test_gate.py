"""Every members-only page of the network, tried by everyone who is not a member."""

from http import HTTPStatus

import pytest

from network.models import Profile
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def someone():
    return MemberFactory(
        profile__handle="someone",
        profile__display_name="Visible Person",
        profile__organisation="Secret Org Ltd",
    )


def members_only_urls(someone) -> list[str]:
    return [
        "/network/",
        "/network/members/",
        "/network/members/?q=Secret",
        f"/network/members/{someone.network_profile.handle}/",
        "/network/profile/",
    ]


def test_visitors_are_sent_to_sign_in_from_every_members_only_page(client, home_page, someone):
    for url in members_only_urls(someone):
        response = client.get(url)

        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.parametrize(
    ("status", "explanation"),
    [
        (None, "Apply to join"),
        (Profile.Status.NEW, "Apply to join"),
        (Profile.Status.APPLICANT, "waiting for a moderator"),
        (Profile.Status.DECLINED, "was not approved"),
        (Profile.Status.SUSPENDED, "is suspended"),
    ],
)
def test_signed_in_non_members_get_an_explanation_and_no_member_data(
    client, home_page, someone, status, explanation
):
    client.force_login(UserFactory(profile=status) if status else UserFactory())

    for url in members_only_urls(someone):
        response = client.get(url)
        html = response.content.decode()

        assert response.status_code == HTTPStatus.FORBIDDEN, url
        assert explanation in html, url
        assert "Visible Person" not in html and "Secret Org" not in html, url


def test_a_deactivated_account_is_not_a_member_even_with_a_member_profile(
    client, home_page, someone, settings
):
    # A backend that lets inactive users sign in, so the gate itself is what is tested.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    member = MemberFactory()
    member.is_active = False
    member.save()
    client.force_login(member)
    assert client.get("/accounts/email/").status_code == HTTPStatus.OK  # really signed in

    response = client.get("/network/members/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Visible Person" not in response.content.decode()


def test_a_member_sees_the_members_pages(client, home_page, someone):
    client.force_login(MemberFactory())

    for url in members_only_urls(someone):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        # no shared cache (a proxy, a CDN) may keep what only members see and hand it to the next visitor
        assert "private" in response["Cache-Control"], url


def test_profiles_of_applicants_and_suspended_people_are_not_shown_even_to_members(client, home_page):
    applicant = UserFactory(profile=Profile.Status.APPLICANT, profile__handle="pending-person")
    suspended = UserFactory(profile=Profile.Status.SUSPENDED, profile__handle="suspended-person")
    client.force_login(MemberFactory())

    for user in (applicant, suspended):
        assert (
            client.get(f"/network/members/{user.network_profile.handle}/").status_code == HTTPStatus.NOT_FOUND
        )
    listing = client.get("/network/members/").content.decode()
    assert "pending-person" not in listing and "suspended-person" not in listing


def test_site_search_finds_no_member_for_a_visitor_or_a_member(client, home_page, someone):
    for viewer in (None, MemberFactory()):
        if viewer:
            client.force_login(viewer)
        html = client.get("/search/", {"q": "Visible Person"}).content.decode()

        assert "0 results" in html and "Secret Org" not in html


def test_the_admin_gates_explanation_is_never_kept_by_shared_caches(client, home_page):
    from tests.factories import EditorFactory

    editor = EditorFactory(profile=Profile.Status.SUSPENDED)
    Profile.objects.filter(user=editor).update(suspension_reason="Shared a member's address")
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == HTTPStatus.FORBIDDEN and "Shared a member" in response.content.decode()
    assert "private" in response["Cache-Control"]
