"""Authors edit their threads and replies: an "edited" mark for everyone, the earlier words for moderators only."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from network.forum import services
from network.forum.models import Revision
from tests.factories import ModeratorFactory

pytestmark = pytest.mark.django_db


def test_an_author_edits_a_reply_others_see_edited_and_moderators_the_earlier_words(
    client, home_page, make_thread, starter, replier
):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="We pay £10 an hour")
    client.force_login(replier)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="/network/forum/reply/{reply.pk}/edit/"' in page

    response = client.post(f"/network/forum/reply/{reply.pk}/edit/", {"body": "We pay £12 an hour"})

    assert response.status_code == HTTPStatus.FOUND
    reader = Client()
    reader.force_login(starter)
    seen = reader.get(thread.get_absolute_url()).content.decode()
    assert "£12 an hour" in seen and "£10" not in seen and "<span>edited</span>" in seen
    assert f"/network/forum/reply/{reply.pk}/edit/" not in seen  # not theirs to edit
    assert reader.get(f"/network/forum/thread/{thread.pk}/history/").status_code == HTTPStatus.NOT_FOUND
    moderator = Client()
    moderator.force_login(ModeratorFactory())
    assert (
        "We pay £10 an hour" in moderator.get(f"/network/forum/thread/{thread.pk}/history/").content.decode()
    )


def test_an_author_retitles_their_thread_and_the_old_title_is_kept(client, home_page, make_thread, starter):
    thread = make_thread()
    client.force_login(starter)

    response = client.post(
        f"/network/forum/thread/{thread.pk}/edit/", {"title": "Buddying after hospital", "body": thread.body}
    )

    thread.refresh_from_db()
    assert response["Location"] == thread.get_absolute_url() and thread.title == "Buddying after hospital"
    assert Revision.objects.get().title == "Seeking examples of peer support in respiratory care"


def test_others_and_locked_threads_cannot_be_edited_and_nothing_changes(
    client, home_page, make_thread, starter, replier
):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Original")
    client.force_login(starter)
    assert client.post(f"/network/forum/reply/{reply.pk}/edit/", {"body": "Hijacked"}).status_code == 404

    thread.locked_at = timezone.now()
    thread.save(update_fields=["locked_at"])
    client.force_login(replier)
    assert client.post(f"/network/forum/reply/{reply.pk}/edit/", {"body": "Late change"}).status_code == 404
    reply.refresh_from_db()
    assert reply.body == "Original" and not Revision.objects.exists()


def test_an_empty_edit_is_refused_with_a_message_and_nothing_saved(client, home_page, make_thread, replier):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Original")
    client.force_login(replier)

    response = client.post(f"/network/forum/reply/{reply.pk}/edit/", {"body": "   "})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please write your reply first." in response.content.decode()
    reply.refresh_from_db()
    assert reply.body == "Original"
