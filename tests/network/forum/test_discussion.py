"""Members start threads and reply, quoting and reading: the forum's heart, as two members would use it."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from network.forum import services
from network.forum.models import Category, Reply, Thread

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def reply_as(client, thread, body="Yes: our buddies met people at the ward door.", **fields):
    return client.post(f"/network/forum/thread/{thread.pk}/reply/", {"body": body, **fields})


def test_a_member_starts_a_thread_that_shows_in_its_category_and_the_index(
    client, home_page, starter, category
):
    client.force_login(starter)

    response = client.post(
        "/network/forum/category/health/new/",
        {"title": "Time banks in GP surgeries?", "body": "Who has tried *this*?"},
    )

    thread = Thread.objects.get()
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == thread.get_absolute_url()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Time banks in GP surgeries?" in page and "<em>this</em>" in page
    assert "Time banks in GP surgeries?" in client.get("/network/forum/category/health/").content.decode()
    index = client.get("/network/forum/").content.decode()
    assert re.search(r"Health</a>.*?<td data-label=\"Threads\">1</td>", index, re.S)


def test_a_reply_quoting_and_mentioning_the_starter_tells_them_once(
    client, home_page, make_thread, starter, replier, run_on_commit
):
    """Done when: A starts a thread; B replies quoting A; A gets exactly one email; A sees the thread
    unread until opening it, and "jump to first unread" lands on B's reply."""
    thread = make_thread()
    client.force_login(replier)
    page = client.get(thread.get_absolute_url(), {"quote": "opening"}).content.decode()
    assert "Quoting the opening post" in page

    with run_on_commit():
        response = reply_as(client, thread, body="@amara we did this in Leeds.", quote="opening")

    reply = Reply.objects.get()
    assert response["Location"] == reply.get_absolute_url()
    assert reply.quotes_opening_post and reply.number == 1
    assert [message.to for message in mail.outbox] == [["amara@example.org"]]
    assert "@amara we did this in Leeds." in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    reader = Client()
    reader.force_login(starter)
    listing = reader.get("/network/forum/category/health/").content.decode()
    assert "Unread" in listing
    jump = reader.get(f"/network/forum/thread/{thread.pk}/unread/", follow=True)
    assert jump.redirect_chain[-1][0].endswith(f"#reply-{reply.pk}")
    shown = jump.content.decode()
    assert "we did this in Leeds" in shown and "Amara Okafor" in shown  # the quote names the starter
    assert f'href="{thread.get_absolute_url()}">wrote</a>' in shown  # and links back
    assert "Unread" not in reader.get("/network/forum/category/health/").content.decode()


def test_reading_writes_once_when_it_moves_forward_and_never_for_a_page_read_before(
    client, home_page, make_thread, replier, starter
):
    thread = make_thread()
    services.add_reply(thread=thread, author=replier, body="One")
    client.force_login(starter)

    def writes() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(thread.get_absolute_url()).status_code == HTTPStatus.OK
        return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]

    assert len(writes()) == 1  # read up to reply 1: one upsert
    assert writes() == []  # read before: nothing
    services.add_reply(thread=thread, author=replier, body="Two")
    assert len(writes()) == 1


def test_a_replys_link_finds_its_page_after_earlier_replies_are_hidden(
    client, home_page, make_thread, replier, starter
):
    thread = make_thread()
    replies = [services.add_reply(thread=thread, author=replier, body=f"Reply {n}") for n in range(25)]
    client.force_login(starter)
    assert client.get(replies[22].get_absolute_url())["Location"].endswith(f"?page=2#reply-{replies[22].pk}")

    for reply in replies[:5]:
        reply.hide(by=None, reason="Off topic")

    assert client.get(replies[22].get_absolute_url())["Location"] == (
        f"{thread.get_absolute_url()}#reply-{replies[22].pk}"
    )  # 17 visible before it: page 1 now
    thread.refresh_from_db()
    assert thread.reply_count == 20


def test_sending_a_reply_twice_makes_one(client, home_page, make_thread, replier):
    thread = make_thread()
    client.force_login(replier)
    key = "6f1c4b8e-1111-4a2b-9c3d-2e5f6a7b8c9d"

    first, second = reply_as(client, thread, submission_key=key), reply_as(client, thread, submission_key=key)

    assert Reply.objects.count() == 1 and first["Location"] == second["Location"]


def test_a_locked_thread_refuses_replies_with_a_clear_message_and_saves_nothing(
    client, home_page, make_thread, replier
):
    from django.utils import timezone

    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(locked_at=timezone.now())
    client.force_login(replier)

    response = reply_as(client, thread, body="Still talking")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "This thread is locked" in page and "Still talking" in page  # what they wrote is kept
    assert not Reply.objects.exists()
    assert "This thread is locked" in client.get(thread.get_absolute_url()).content.decode()


def test_a_hidden_thread_is_gone_for_members_and_takes_no_replies(client, home_page, make_thread, replier):
    thread = make_thread()
    thread.hide(by=None, reason="Spam")
    client.force_login(replier)

    assert client.get(thread.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert reply_as(client, thread).status_code == HTTPStatus.NOT_FOUND
    assert "Seeking examples" not in client.get("/network/forum/category/health/").content.decode()
    assert not Reply.objects.exists()


def test_only_moderators_start_threads_in_an_announcements_category(client, home_page, replier):
    from tests.factories import ModeratorFactory

    Category.objects.create(name="Announcements", slug="news", moderators_only=True)
    client.force_login(replier)

    response = client.post("/network/forum/category/news/new/", {"title": "Hello", "body": "Everyone"})

    assert response.status_code == HTTPStatus.FOUND
    assert "Only moderators start threads" in client.get(response["Location"]).content.decode()
    assert not Thread.objects.exists()
    client.force_login(ModeratorFactory())
    client.post("/network/forum/category/news/new/", {"title": "Welcome", "body": "Our first news"})
    assert Thread.objects.get().title == "Welcome"


def test_a_thread_with_no_title_is_refused_with_what_was_typed_kept(client, home_page, starter, category):
    client.force_login(starter)

    response = client.post("/network/forum/category/health/new/", {"title": "  ", "body": "My long question"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "Please give the thread a title." in page and "My long question" in page
    assert "<title>Error:" in page
    assert not Thread.objects.exists()
