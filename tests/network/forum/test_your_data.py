"""Threads and replies are part of a member's data: in their download, and in the choice they make when they
delete their account (keep them as a former member's, or remove them)."""

import pytest

from network import services as core
from network.forum import services
from network.forum.models import Reply, Thread

pytestmark = pytest.mark.django_db


def test_the_download_holds_the_members_threads_and_replies(make_thread, starter, replier):
    thread = make_thread()
    services.add_reply(thread=thread, author=replier, body="Not theirs")
    services.add_reply(thread=thread, author=starter, body="Their own answer")

    data = core.export_member_data(user=starter)

    assert [t["title"] for t in data["forum_threads"]] == [thread.title]
    assert [r["text"] for r in data["forum_replies"]] == ["Their own answer"]


def test_deleting_an_account_keeps_its_words_as_a_former_members(
    client, home_page, make_thread, starter, replier
):
    thread = make_thread()
    services.add_reply(thread=thread, author=starter, body="A note of my own")

    core.delete_account(user=starter, remove_content=False)

    client.force_login(replier)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "A note of my own" in page and "Former member" in page and "Amara" not in page


def test_removing_everything_keeps_others_replies_in_place(client, home_page, make_thread, starter, replier):
    answered = make_thread(title="Answered by others")
    services.add_reply(thread=answered, author=replier, body="The reply of someone else")
    services.add_reply(thread=answered, author=starter, body="My follow-up")
    lonely = make_thread(title="Nobody answered")
    theirs = make_thread(author=replier, title="Someone else's thread")
    services.add_reply(thread=theirs, author=starter, body="My words there")

    core.delete_account(user=starter, remove_content=True)

    assert not Thread.objects.filter(pk=lonely.pk).exists()
    assert not Reply.objects.filter(body__in=["My follow-up", "My words there"]).exists()
    answered.refresh_from_db()
    theirs.refresh_from_db()
    assert answered.author is None and answered.body == "" and answered.reply_count == 1
    assert theirs.reply_count == 0
    client.force_login(replier)
    page = client.get(answered.get_absolute_url()).content.decode()
    assert "The reply of someone else" in page and "Removed by its author." in page
    assert answered.category.__class__.objects.get(pk=answered.category_id).thread_count == 2
