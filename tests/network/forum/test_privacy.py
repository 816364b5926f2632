"""The forum is members-only: a visitor or a signed-in non-member reaches none of it by any address."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from network.forum import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def addresses(make_thread, replier):
    thread = make_thread(title="Confidential: our commissioning plans")
    reply = services.add_reply(thread=thread, author=replier, body="Members-only words about budgets")
    return [
        "/network/forum/",
        "/network/forum/category/health/",
        "/network/forum/category/health/new/",
        thread.get_absolute_url(),
        f"{thread.get_absolute_url()}?page=2",
        reply.get_absolute_url(),
        f"/network/forum/thread/{thread.pk}/unread/",
        f"/network/forum/thread/{thread.pk}/history/",
        f"/network/forum/thread/{thread.pk}/edit/",
        f"/network/forum/reply/{reply.pk}/edit/",
        "/network/forum/people/?q=am",
        reverse("network:report", args=[_type(thread), thread.pk]),
        reverse("network:report", args=[_type(reply), reply.pk]),
    ]


def _type(item) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item).pk


SECRETS = ("Confidential", "commissioning plans", "budgets", "Health and care", "Amara Okafor", "amara")


def _leaks(response) -> list[str]:
    body = response.content.decode()
    return [secret for secret in SECRETS if secret in body]


def test_a_visitor_is_asked_to_sign_in_everywhere_and_sees_nothing(client, home_page, addresses):
    for address in addresses:
        response = client.get(address)
        assert response.status_code == HTTPStatus.FOUND, address
        assert response["Location"].startswith("/accounts/login/"), address
        assert not _leaks(client.get(address, follow=True)), address


def test_a_signed_in_non_member_is_shown_how_to_join_and_nothing_else(client, home_page, addresses):
    client.force_login(UserFactory())
    for address in addresses:
        response = client.get(address)
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND), address
        assert not _leaks(response), address


def test_writing_is_refused_to_visitors_and_non_members(client, home_page, addresses, make_thread):
    from network.forum.models import Reply, Thread

    thread = Thread.objects.get()
    for viewer in (None, UserFactory()):
        if viewer:
            client.force_login(viewer)
        client.post(f"/network/forum/thread/{thread.pk}/reply/", {"body": "Let me in"})
        client.post("/network/forum/category/health/new/", {"title": "Hi", "body": "Let me in"})
    assert Reply.objects.count() == 1 and Thread.objects.count() == 1


def test_the_forum_is_in_no_public_search_feed_or_sitemap(client, home_page, addresses):
    for address in [
        "/search/?q=commissioning",
        "/sitemap.xml",
        "/network/blog/feed/",
        "/network/blog/?q=budget",
    ]:
        response = client.get(address)
        assert not _leaks(response), address
