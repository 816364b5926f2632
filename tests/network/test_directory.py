"""The member directory: search and filters that only match what members may see, in bounded queries."""

import re
from html import unescape
from http import HTTPStatus

import pytest

from network import services
from network.models import Profile, Theme
from tests.factories import MemberFactory, ModeratorFactory, ProfileFactory, UserFactory

CARD_NAME = re.compile(r'<h2 class="member-card__name"><a href="[^"]+">([^<]+)</a>')

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, home_page):
    member = MemberFactory(profile__display_name="Viewer")
    client.force_login(member)
    return member


def names(response) -> set[str]:
    """The names on the cards the member sees (the cards may come from the cache: read the page itself)."""
    return {unescape(name) for name in CARD_NAME.findall(response.content.decode())}


def test_search_matches_name_organisation_and_bio(client, viewer):
    MemberFactory(profile__display_name="Helen Marsh")
    MemberFactory(profile__display_name="Dele", profile__organisation="Lambeth Time Bank")
    MemberFactory(profile__display_name="Kwame", profile__bio="I run a peer support group")
    MemberFactory(profile__display_name="Nobody Relevant")

    assert names(client.get("/network/members/", {"q": "marsh"})) == {"Helen Marsh"}
    assert names(client.get("/network/members/", {"q": "time bank"})) == {"Dele"}
    assert names(client.get("/network/members/", {"q": "peer support"})) == {"Kwame"}


def test_search_and_filters_never_match_what_a_member_keeps_private(client, viewer):
    MemberFactory(
        profile__display_name="Private Org",
        profile__organisation="Hidden Trust",
        profile__organisation_visibility="private",
    )
    MemberFactory(
        profile__display_name="Private Region",
        profile__region=Profile.Region.WALES,
        profile__region_visibility="private",
    )
    MemberFactory(
        profile__display_name="Private Bio", profile__bio="secret hobby", profile__bio_visibility="private"
    )

    assert names(client.get("/network/members/", {"q": "Hidden Trust"})) == set()
    assert names(client.get("/network/members/", {"region": "wales"})) == set()
    assert names(client.get("/network/members/", {"q": "secret hobby"})) == set()
    html = client.get("/network/members/").content.decode()
    assert "Hidden Trust" not in html and "Wales" not in html.split("<select")[0]


def test_filters_by_region_role_and_theme_combine(client, viewer):
    theme = Theme.objects.get(slug="community-capacity")
    match = MemberFactory(
        profile__display_name="Match", profile__region="scotland", profile__relationship="carer"
    )
    match.network_profile.themes.add(theme)
    MemberFactory(
        profile__display_name="Wrong region", profile__region="wales", profile__relationship="carer"
    )
    other = MemberFactory(
        profile__display_name="Wrong theme", profile__region="scotland", profile__relationship="carer"
    )
    other.network_profile.themes.add(Theme.objects.get(slug="diverse-providers"))

    response = client.get(
        "/network/members/", {"region": "scotland", "relationship": "carer", "theme": theme.slug}
    )

    assert names(response) == {"Match"}
    assert "1 member match" in response.content.decode()


def test_only_approved_members_are_listed(client, viewer):
    UserFactory(profile=Profile.Status.APPLICANT, profile__display_name="Applicant")
    UserFactory(profile=Profile.Status.SUSPENDED, profile__display_name="Suspended")
    UserFactory(profile=Profile.Status.DECLINED, profile__display_name="Declined")

    assert names(client.get("/network/members/")) == {"Viewer"}


def test_the_directory_is_paginated_and_keeps_the_filters_in_page_links(client, viewer):
    for n in range(30):
        MemberFactory(profile__display_name=f"Carer {n:02}", profile__relationship="carer")

    first = client.get("/network/members/", {"relationship": "carer"})
    second = client.get("/network/members/", {"relationship": "carer", "page": 2})

    assert len(names(first)) == 24 and len(names(second)) == 6
    assert "relationship=carer&amp;page=2" in first.content.decode()
    assert names(first).isdisjoint(names(second))


def test_a_bad_page_number_shows_the_last_page_rather_than_an_error(client, viewer):
    assert client.get("/network/members/", {"page": "9999"}).status_code == HTTPStatus.OK
    assert client.get("/network/members/", {"page": "abc"}).status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [10, 500])
def test_directory_and_profile_pages_run_a_bounded_number_of_queries(
    client, viewer, django_assert_max_num_queries, count
):
    themes = list(Theme.objects.all()[:3])
    profiles = ProfileFactory.create_batch(count)
    for profile in profiles[:50]:
        profile.themes.set(themes)
    profiles[0].interests.add("time banking", "peer support")

    with django_assert_max_num_queries(20):
        response = client.get("/network/members/", {"q": ""})
    assert response.status_code == HTTPStatus.OK
    with django_assert_max_num_queries(20):
        assert client.get(profiles[0].get_absolute_url()).status_code == HTTPStatus.OK


def test_how_someone_relates_to_co_production_can_be_kept_private(client, viewer):
    MemberFactory(profile__display_name="Open Carer", profile__relationship="carer")
    MemberFactory(
        profile__display_name="Private Carer",
        profile__relationship="carer",
        profile__relationship_visibility="private",
    )

    assert names(client.get("/network/members/", {"relationship": "carer"})) == {"Open Carer"}
    private = Profile.objects.get(display_name="Private Carer")
    assert "Carer or family member" not in client.get(private.get_absolute_url()).content.decode()


def test_the_member_count_follows_approvals_suspensions_and_closed_accounts(client, viewer):
    def counted() -> int:
        status = re.search(
            r'<p role="status">(\d+) members?', client.get("/network/members/").content.decode()
        )
        return int(status.group(1))

    moderator = ModeratorFactory()
    MemberFactory()
    applicant = UserFactory(profile=Profile.Status.APPLICANT).network_profile
    assert counted() == 3  # the viewer, the moderator and one other; now cached

    services.approve_member(profile=applicant, by=moderator)
    assert counted() == 4

    services.suspend_member(profile=applicant, by=moderator, reason="Spam")
    assert counted() == 3

    other = Profile.objects.members().exclude(user__in=[viewer, moderator]).get().user
    other.is_active = False
    other.save()
    assert counted() == 2
    assert counted() == len(names(client.get("/network/members/")))


def test_the_cards_are_rendered_once_and_follow_every_profile_change(
    client, viewer, django_assert_max_num_queries
):
    MemberFactory(
        profile__display_name="Helen Marsh",
        profile__organisation="Leeds Time Bank",
        profile__interests_visibility="members",
    )
    assert "Leeds Time Bank" in client.get("/network/members/").content.decode()

    with django_assert_max_num_queries(3):  # session, user and profile: the cards come from the cache
        again = client.get("/network/members/")
    assert "Leeds Time Bank" in again.content.decode()

    helen = Profile.objects.get(display_name="Helen Marsh")
    helen.organisation = "Bradford Time Bank"
    helen.save()
    assert "Bradford Time Bank" in client.get("/network/members/").content.decode()
    theme = Theme.objects.get(slug="community-capacity")
    helen.themes.add(theme)
    assert theme.name in client.get("/network/members/").content.decode().split("Helen Marsh", 1)[1]
    services.suspend_member(profile=helen, by=ModeratorFactory(), reason="Spam")
    assert "Helen Marsh" not in client.get("/network/members/").content.decode()


def test_another_member_signing_in_keeps_the_rendered_cards(client, viewer, django_assert_max_num_queries):
    """A sign-in saves only the account's last_login, which no card shows: the kept cards stay kept."""
    from django.test import Client

    from tests.factories import PASSWORD

    other = MemberFactory(profile__display_name="Helen Marsh")
    client.get("/network/members/")
    signed_in = Client().post("/accounts/login/", {"login": other.email, "password": PASSWORD})
    assert signed_in.status_code == HTTPStatus.FOUND and other.__class__.objects.get(pk=other.pk).last_login

    with django_assert_max_num_queries(3):  # session, user and profile: the cards still come from the cache
        assert "Helen Marsh" in client.get("/network/members/").content.decode()
