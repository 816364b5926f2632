"""A thread's page reads what it keeps in Redis in a few round trips, not one per key (cms.cache.MemoRedisCache:
the production cache), and still shows every change on the next request."""

import secrets
from http import HTTPStatus
from unittest import mock

import pytest
from django.test import Client

from network.forum import services
from network.services import notifications
from tests.factories import ModeratorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def memo_redis():
    from django.core.cache import caches
    from django.test import override_settings

    from tests.network.redis_support import redis_url_or_need

    url = redis_url_or_need()
    config = {
        "default": {
            "BACKEND": "cms.cache.MemoRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-forum-{secrets.token_hex(4)}",
        }
    }
    with override_settings(CACHES=config):
        cache = caches["default"]
        try:
            yield cache
        finally:
            cache.clear()


def round_trips(client: Client, path: str) -> list[tuple]:
    from redis import Redis

    with mock.patch.object(
        Redis, "execute_command", autospec=True, side_effect=Redis.execute_command
    ) as calls:
        assert client.get(path).status_code == HTTPStatus.OK
    return [call.args[1:] for call in calls.call_args_list]


@pytest.mark.parametrize("page", [None, 2])
def test_a_thread_page_reads_its_kept_parts_in_two_round_trips(
    client, home_page, make_thread, starter, replier, memo_redis, page
):
    thread = make_thread()
    for n in range(25):
        services.add_reply(thread=thread, author=starter if n % 2 else replier, body=f"Reply {n}")
    client.force_login(replier)
    path = thread.get_absolute_url() + (f"?page={page}" if page else "")
    client.get(path)  # everything kept and read to here, as for a steady reader

    commands = round_trips(client, path)

    forum_keys = [
        c for c in commands if any("fragments:forum" in str(k) or ":thread:" in str(k) for k in c[1:])
    ]
    watching = [c for c in commands if any("network:watching" in str(k) for k in c[1:])]
    assert [c[0] for c in forum_keys] == ["MGET", "MGET"], forum_keys  # thread version; then kept parts
    assert len(watching) == 1 and watching[0][0] == "MGET"  # with the thread's version
    # the request's MGET, the session, the person, its activity mark, the site, the moderators' right,
    # the two above and the menu
    assert len(commands) <= 9, [c[:2] for c in commands]


def test_the_prefetched_page_still_shows_every_change_on_the_next_request(
    client, home_page, make_thread, starter, replier, memo_redis
):
    thread = make_thread()
    services.add_reply(thread=thread, author=starter, body="The first reply")
    client.force_login(replier)
    assert "The first reply" in client.get(thread.get_absolute_url()).content.decode()

    reply = services.add_reply(thread=thread, author=starter, body="A second thought")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "A second thought" in page and "Jump to the first unread reply" in page

    services.toggle_helpful(reply=reply, user=replier)
    assert 'aria-pressed="true"' in client.get(thread.get_absolute_url()).content.decode()

    assert "Email me new replies" in client.get(thread.get_absolute_url()).content.decode()
    notifications.watch(replier, thread)
    assert "Stop emails about new replies" in client.get(thread.get_absolute_url()).content.decode()

    reply.hide(by=None, reason="Off topic")
    assert "A second thought" not in client.get(thread.get_absolute_url()).content.decode()

    moderator = Client()
    moderator.force_login(ModeratorFactory())
    assert "Hidden by moderators" in moderator.get(thread.get_absolute_url()).content.decode()
    assert "A second thought" not in client.get(thread.get_absolute_url()).content.decode()  # not theirs
    assert "A second thought" not in client.get(thread.get_absolute_url() + "?page=99").content.decode()
