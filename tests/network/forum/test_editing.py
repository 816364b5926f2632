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


TRICKY = (  # markup, an entity, and the text of every stand-in the kept rendering holds
    "Quotes \" and ' <script>alert(1)</script> &amp; 00000000-0000-4000-8001-000000000000,\n"
    "00000000-0000-4000-8001-000000000001 and 00000000-0000-4000-8000-000000000000"
)


def django_fields(form) -> str:
    """The fields as Django renders them, every time (what the kept rendering must equal)."""
    from django.template.loader import render_to_string

    return render_to_string("network/includes/_form_fields.html", {"form": form})


def without_keys(html: str) -> str:
    import re

    return re.sub(r'(name="submission_key" value=")[^"]*"', r'\1"', html)


def test_the_edit_forms_show_what_was_written_exactly_as_django_renders_it(
    client, home_page, make_thread, starter, replier
):
    """The edit forms' fields are rendered once, each copy filled in with what this post says now."""
    from network.forum.forms import ReplyForm, ThreadForm
    from network.forum.models import Reply, Thread

    thread = make_thread(title='A "title" <b>with</b> & 00000000-0000-4000-8001-000000000001', body=TRICKY)
    reply = services.add_reply(thread=thread, author=replier, body=TRICKY + " (reply)")
    client.force_login(replier)
    page = client.get(f"/network/forum/reply/{reply.pk}/edit/").content.decode()
    expected = without_keys(django_fields(ReplyForm(instance=Reply(body=reply.body))))
    assert without_keys(expected) in without_keys(page)

    starter_client = Client()
    starter_client.force_login(starter)
    thread.refresh_from_db()
    page = starter_client.get(f"/network/forum/thread/{thread.pk}/edit/").content.decode()
    expected = django_fields(ThreadForm(instance=Thread(title=thread.title, body=thread.body)))
    assert without_keys(expected) in without_keys(page)

    services.edit_reply(reply=reply, by=replier, body="Changed since")  # each copy shows what it says now
    assert "Changed since</textarea>" in client.get(f"/network/forum/reply/{reply.pk}/edit/").content.decode()
    services.edit_thread(thread=thread, by=starter, title="Retitled", body="Rewritten")
    page = starter_client.get(f"/network/forum/thread/{thread.pk}/edit/").content.decode()
    assert 'value="Retitled"' in page and "Rewritten</textarea>" in page and "&lt;script" not in page


def test_each_edit_form_has_its_own_submission_key(client, home_page, make_thread, replier):
    import re

    reply = services.add_reply(thread=make_thread(), author=replier, body="Mine")
    client.force_login(replier)
    pages = [client.get(f"/network/forum/reply/{reply.pk}/edit/").content.decode() for _ in range(2)]
    keys = [re.search(r'name="submission_key" value="([^"]+)"', page).group(1) for page in pages]
    assert keys[0] != keys[1] and "00000000-0000-4000-8000-000000000000" not in keys


def test_the_kept_edit_form_follows_locking_and_hiding(client, home_page, make_thread, replier):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Mine")
    client.force_login(replier)
    assert client.get(f"/network/forum/reply/{reply.pk}/edit/").status_code == HTTPStatus.OK  # kept thread

    thread.locked_at = timezone.now()
    thread.save(update_fields=["locked_at"])
    assert client.get(f"/network/forum/reply/{reply.pk}/edit/").status_code == HTTPStatus.NOT_FOUND

    thread.locked_at = None
    thread.save(update_fields=["locked_at"])
    assert client.get(f"/network/forum/reply/{reply.pk}/edit/").status_code == HTTPStatus.OK
    reply.hide(by=None, reason="Off topic")
    assert client.get(f"/network/forum/reply/{reply.pk}/edit/").status_code == HTTPStatus.NOT_FOUND
