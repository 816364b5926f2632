"""Atom feeds: public posts for everyone; a member's private address for members-only posts too, revocable."""

from http import HTTPStatus

import pytest

from network.blog.models import Post

pytestmark = pytest.mark.django_db


def test_the_public_feeds_carry_public_posts_only(client, home_page, make_post, category):
    make_post(title="Open letter", visibility=Post.Visibility.PUBLIC, categories=[category])
    make_post(title="Members-only musings", categories=[category])

    for route in [
        "/network/blog/feed/",
        "/network/blog/feed/category/community-capacity/",
        "/network/blog/feed/members/amara/",
    ]:
        feed = client.get(route)
        assert feed["Content-Type"].startswith("application/atom+xml"), route
        body = feed.content.decode()
        assert "Open letter" in body and "Members-only musings" not in body, route


def test_a_private_feed_address_works_until_revoked(client, home_page, make_post, reader):
    make_post(title="Members-only musings")
    client.force_login(reader)
    client.post("/network/blog/feed/private/", {"action": "new"})
    address = client.get("/network/blog/feed/private/").context["address"]
    client.logout()

    feed = client.get(address)
    assert "Members-only musings" in feed.content.decode() and "no-store" in feed["Cache-Control"]

    client.force_login(reader)
    client.post("/network/blog/feed/private/", {"action": "revoke"})
    client.logout()
    assert client.get(address).status_code == HTTPStatus.NOT_FOUND
    assert client.get("/network/blog/feed/private/x/").status_code == HTTPStatus.NOT_FOUND


def test_a_private_feed_stops_when_its_member_is_suspended(client, home_page, make_post, reader):
    from network.models import Profile

    make_post(title="Members-only musings")
    client.force_login(reader)
    client.post("/network/blog/feed/private/", {"action": "new"})
    address = client.get("/network/blog/feed/private/").context["address"]
    Profile.objects.filter(user=reader).update(status=Profile.Status.SUSPENDED)

    assert client.get(address).status_code == HTTPStatus.NOT_FOUND


def test_a_kept_private_feed_still_checks_its_address_on_every_request(client, home_page, make_post, reader):
    """Feeds are kept once built (network.fragments); the secret address is checked even when no change
    to the data announces a deactivated account."""
    from django.contrib.auth import get_user_model

    make_post(title="Members-only musings")
    client.force_login(reader)
    client.post("/network/blog/feed/private/", {"action": "new"})
    address = client.get("/network/blog/feed/private/").context["address"]
    client.logout()
    assert "Members-only musings" in client.get(address).content.decode()  # now kept

    get_user_model().objects.filter(pk=reader.pk).update(is_active=False)  # sends no signal

    assert client.get(address).status_code == HTTPStatus.NOT_FOUND


def test_a_kept_public_feed_follows_every_change(client, home_page, make_post):
    post = make_post(title="Open letter", visibility=Post.Visibility.PUBLIC)
    assert "Open letter" in client.get("/network/blog/feed/").content.decode()  # now kept

    make_post(title="A second open letter", visibility=Post.Visibility.PUBLIC)
    assert "A second open letter" in client.get("/network/blog/feed/").content.decode()

    post.visibility = Post.Visibility.MEMBERS
    post.save()
    feed = client.get("/network/blog/feed/")
    assert "A second open letter" in feed.content.decode() and ">Open letter<" not in feed.content.decode()
    assert feed["Content-Type"].startswith("application/atom+xml")


def test_a_query_string_cannot_make_a_feed_render_again(
    client, home_page, make_post, django_assert_max_num_queries
):
    """Feeds read no parameters: `?anything` gets the kept copy, so nobody can fill the cache at will."""
    make_post(title="Open letter", visibility=Post.Visibility.PUBLIC)
    client.get("/network/blog/feed/")

    with django_assert_max_num_queries(0):
        assert "Open letter" in client.get("/network/blog/feed/", {"bust": "1"}).content.decode()
