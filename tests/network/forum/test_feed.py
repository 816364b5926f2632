"""No public forum feed; a member's private feed address carries the threads they watch, and nothing else."""

from http import HTTPStatus

import pytest

from network.forum import services
from network.models import Profile
from network.services import notifications

pytestmark = pytest.mark.django_db
KEY = "k" * 43


def test_the_private_feed_carries_watched_threads_with_their_latest_reply(
    client, home_page, make_thread, starter, replier
):
    Profile.objects.filter(user=replier).update(feed_key=KEY)
    watched = make_thread(title="Watched: time banks")
    services.add_reply(thread=watched, author=replier, body="First")  # replying watches it
    services.add_reply(thread=watched, author=starter, body="The **latest** word")
    make_thread(title="Not watched: nurseries")
    stopped = make_thread(title="Stopped: housing")
    notifications.unwatch(replier, stopped)
    hidden = make_thread(title="Hidden: spam")
    notifications.watch(replier, hidden)
    hidden.hide(by=None, reason="Spam")

    response = client.get(f"/network/forum/feed/{KEY}/")  # a feed reader: no session

    feed = response.content.decode()
    assert response.status_code == HTTPStatus.OK and response["Cache-Control"] == "private, no-store"
    assert "Watched: time banks (2 replies)" in feed and "&lt;strong&gt;latest&lt;/strong&gt;" in feed
    assert "nurseries" not in feed and "housing" not in feed and "Spam" not in feed


def test_a_wrong_revoked_or_former_members_key_finds_nothing(client, home_page, make_thread, replier):
    make_thread()
    assert client.get(f"/network/forum/feed/{KEY}/").status_code == HTTPStatus.NOT_FOUND
    Profile.objects.filter(user=replier).update(feed_key=KEY, status=Profile.Status.SUSPENDED)
    assert client.get(f"/network/forum/feed/{KEY}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/network/forum/feed/").status_code == HTTPStatus.NOT_FOUND  # no public feed


def test_the_forum_index_shows_the_members_feed_address(client, home_page, replier):
    client.force_login(replier)
    assert "your private feed page" in client.get("/network/forum/").content.decode()

    Profile.objects.filter(user=replier).update(feed_key=KEY)

    assert f"/network/forum/feed/{KEY}/" in client.get("/network/forum/").content.decode()
