"""No public forum feed; a member's private feed address carries the threads they watch, and nothing else."""

from http import HTTPStatus

import pytest
from django.db import connection

from network.forum import services
from network.models import Profile, Subscription
from network.services import notifications
from tests.factories import ModeratorFactory

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


# -- the kept copy (network.fragments.kept_response): served to the key's member only, never stale --------


def feed(client, key=KEY) -> str:
    response = client.get(f"/network/forum/feed/{key}/")
    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "private, no-store" and response["X-Robots-Tag"] == "noindex"
    return response.content.decode()


@pytest.fixture
def watcher(replier, make_thread):
    """The replier with a feed key, watching one thread (read once, so its feed is kept)."""
    Profile.objects.filter(user=replier).update(feed_key=KEY)
    thread = make_thread(title="Watched: time banks")
    notifications.watch(replier, thread)
    return thread


def test_a_kept_feed_costs_only_the_key_and_the_watch_list(
    client, home_page, watcher, django_assert_num_queries
):
    assert "Watched: time banks" in feed(client)
    with django_assert_num_queries(2):  # the key, then which threads they watch: nothing else
        assert "Watched: time banks" in feed(client)


def test_the_kept_feed_follows_replies_edits_hiding_and_merging(
    client, home_page, watcher, make_thread, starter, replier
):
    assert "(0 replies)" in feed(client)  # kept now

    services.add_reply(thread=watcher, author=starter, body="A reply about **credits**")
    assert "Watched: time banks (1 reply)" in feed(client) and "&lt;strong&gt;credits" in feed(client)

    services.edit_thread(thread=watcher, by=starter, title="Watched: time credits", body="Changed")
    assert "Watched: time credits" in feed(client)

    other = make_thread(title="Another: nurseries")
    services.merge_threads(source=watcher, into=other, by=ModeratorFactory())
    merged = feed(client)  # watchers of the merged thread watch the one it went into
    assert "Another: nurseries" in merged and "Watched: time credits" not in merged

    other.refresh_from_db()
    other.hide(by=None, reason="Spam")
    assert "Another: nurseries" not in feed(client)


def test_the_kept_feed_follows_the_members_watch_list_however_it_changes(
    client, home_page, watcher, make_thread, replier
):
    assert "Watched: time banks" in feed(client)
    later = make_thread(title="Later: housing")
    assert "Later: housing" not in feed(client)  # kept without it, and still right

    notifications.watch(replier, later)
    assert "Later: housing" in feed(client)

    notifications.unwatch(replier, later)
    assert "Later: housing" not in feed(client)

    # the one-click link in an email updates the row and bumps no version
    subscription = Subscription.objects.get(user=replier, object_id=watcher.pk, content_type__model="thread")
    assert (
        client.post(f"/network/unsubscribe/{notifications.unsubscribe_token(subscription)}/").status_code
        < 400
    )
    assert not Subscription.objects.get(pk=subscription.pk).active
    assert "Watched: time banks" not in feed(client)


def test_a_kept_feed_is_never_served_for_a_revoked_or_regenerated_key_or_a_former_member(
    client, home_page, watcher, replier
):
    assert "Watched: time banks" in feed(client)  # kept now

    Profile.objects.filter(user=replier).update(feed_key="n" * 43)  # regenerated
    assert client.get(f"/network/forum/feed/{KEY}/").status_code == HTTPStatus.NOT_FOUND
    assert "Watched: time banks" in feed(client, "n" * 43)

    Profile.objects.filter(user=replier).update(feed_key=KEY)
    assert "Watched: time banks" in feed(client)
    Profile.objects.filter(user=replier).update(feed_key="")  # revoked
    assert client.get(f"/network/forum/feed/{KEY}/").status_code == HTTPStatus.NOT_FOUND

    Profile.objects.filter(user=replier).update(feed_key=KEY)
    assert "Watched: time banks" in feed(client)
    Profile.objects.filter(user=replier).update(status=Profile.Status.SUSPENDED)
    assert client.get(f"/network/forum/feed/{KEY}/").status_code == HTTPStatus.NOT_FOUND

    # checked on every request, not only when the copy is made: a change that bumps no version too
    Profile.objects.filter(user=replier).update(status=Profile.Status.MEMBER)
    assert "Watched: time banks" in feed(client)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Profile._meta.db_table} SET feed_key = '' WHERE user_id = %s", [replier.pk])
    assert client.get(f"/network/forum/feed/{KEY}/").status_code == HTTPStatus.NOT_FOUND


def test_two_members_watching_the_same_threads_never_get_each_others_feed(
    client, home_page, watcher, make_thread, starter, replier
):
    """The same watch list: only the key tells their kept copies apart (each copy holds its own address)."""
    Profile.objects.filter(user=starter).update(feed_key="s" * 43)
    Subscription.objects.filter(user=starter).delete()
    notifications.watch(starter, watcher)
    replier_feed = feed(client)
    assert replier_feed == feed(client) and KEY in replier_feed  # the replier's copy, kept

    starters = feed(client, "s" * 43)

    assert "Watched: time banks" in starters and "s" * 43 in starters and KEY not in starters
