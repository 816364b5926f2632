"""Moderators pin, lock, move, hide and restore on the forum's own pages; each action is in the audit log, and
nobody else can do any of it."""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry

from network.forum import services
from network.forum.models import Category, Reply, Thread
from tests.factories import ModeratorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return ModeratorFactory(profile__handle="priya", profile__display_name="Priya Moderator")


def moderate(client, thread, **data):
    return client.post(f"/network/forum/thread/{thread.pk}/moderate/", data)


def test_a_pinned_thread_heads_its_category_and_a_locked_one_takes_no_replies(
    client, home_page, make_thread, replier, moderator
):
    older = make_thread(title="An older question")
    make_thread(title="A newer question")
    client.force_login(moderator)

    moderate(client, older, action="pin")
    moderate(client, older, action="lock")

    listing = client.get("/network/forum/category/health/").content.decode()
    assert listing.index("An older question") < listing.index("A newer question")
    assert "Pinned" in listing and "Locked" in listing
    member = Client()
    member.force_login(replier)
    response = member.post(f"/network/forum/thread/{older.pk}/reply/", {"body": "Me too"})
    assert (
        response.status_code == HTTPStatus.BAD_REQUEST
        and "This thread is locked" in response.content.decode()
    )
    assert not Reply.objects.exists()
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"network_forum.pin", "network_forum.lock"} <= actions


def test_moving_a_thread_recounts_both_categories(client, home_page, make_thread, moderator, category):
    thread = make_thread()
    care = Category.objects.create(name="Social care", slug="social-care")
    client.force_login(moderator)

    moderate(client, thread, action="move", category=care.pk)

    category.refresh_from_db()
    care.refresh_from_db()
    assert (category.thread_count, care.thread_count) == (0, 1)
    assert thread.title in client.get("/network/forum/category/social-care/").content.decode()
    assert "Social care</a></p>" in client.get(thread.get_absolute_url()).content.decode()


def test_a_moderator_hides_a_reply_from_the_thread_page_and_members_stop_seeing_it(
    client, home_page, make_thread, replier, starter, moderator
):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Buy cheap watches")
    client.force_login(ModeratorFactory())
    client.get(thread.get_absolute_url())  # the moderators' copy of the replies is kept now, with its forms
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    page = browser.get(thread.get_absolute_url()).content.decode()
    form = rf'action="/network/forum/reply/{reply.pk}/moderate/".*?name="csrfmiddlewaretoken" value="([^"]+)"'
    token = re.search(form, page, re.S).group(1)  # this moderator's own token, filled into the kept copy

    response = browser.post(
        f"/network/forum/reply/{reply.pk}/moderate/", {"action": "hide", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == HTTPStatus.FOUND
    reply.refresh_from_db()
    assert reply.is_hidden
    member = Client()
    member.force_login(starter)
    assert "Buy cheap watches" not in member.get(thread.get_absolute_url()).content.decode()
    thread.refresh_from_db()
    assert thread.reply_count == 0
    assert ModelLogEntry.objects.filter(action="network.hide").exists()


def test_members_cannot_moderate_and_nothing_changes(client, home_page, make_thread, replier):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Mine")
    client.force_login(replier)

    for action in ("pin", "lock", "hide"):
        moderate(client, thread, action=action)
    client.post(f"/network/forum/reply/{reply.pk}/moderate/", {"action": "hide"})

    thread.refresh_from_db()
    reply.refresh_from_db()
    assert not thread.pinned and not thread.is_locked and not thread.is_hidden and not reply.is_hidden
    assert "Moderate this thread" not in client.get(thread.get_absolute_url()).content.decode()


def test_a_hidden_thread_stays_visible_to_moderators_who_can_restore_it(
    client, home_page, make_thread, moderator
):
    thread = make_thread()
    client.force_login(moderator)

    moderate(client, thread, action="hide", reason="Duplicate")
    assert "Moderators hid this thread: Duplicate" in client.get(thread.get_absolute_url()).content.decode()
    moderate(client, thread, action="restore")

    assert not Thread.objects.get(pk=thread.pk).is_hidden


def test_merging_moves_every_post_in_order_keeps_links_and_sends_the_old_address_on(
    client, home_page, make_thread, starter, replier, moderator
):
    from network.services import notifications

    into = make_thread(title="Peer support after hospital")
    services.add_reply(thread=into, author=replier, body="Existing answer")
    source = make_thread(title="Buddying on discharge?", body="Same question, asked again")
    first = services.add_reply(thread=source, author=replier, body="Reply in the duplicate", quoted=source)
    second = services.add_reply(thread=source, author=starter, body="Thanks")
    watcher = ModeratorFactory()
    notifications.watch(watcher, source)
    client.force_login(moderator)

    response = moderate(client, source, action="merge", into=into.pk)

    assert response.status_code == HTTPStatus.FOUND
    into.refresh_from_db()
    numbers = list(into.replies.order_by("number").values_list("body", "number"))
    assert numbers == [
        ("Existing answer", 1),
        ("Same question, asked again", 2),
        ("Reply in the duplicate", 3),
        ("Thanks", 4),
    ]
    assert (into.reply_count, into.last_number, into.last_visible_number) == (4, 4, 4)
    first.refresh_from_db()
    assert first.quoted.body == "Same question, asked again" and not first.quotes_opening_post
    assert client.get(source.get_absolute_url())["Location"] == into.get_absolute_url()
    assert client.get(second.get_absolute_url())["Location"].startswith(into.get_absolute_url())
    assert notifications.is_watching(watcher, into)
    category = into.category
    category.refresh_from_db()
    assert category.thread_count == 1
    assert ModelLogEntry.objects.get(action="network_forum.merge").data["title"] == "Buddying on discharge?"


def test_a_thread_cannot_be_merged_into_itself_or_a_missing_one(client, home_page, make_thread, moderator):
    thread = make_thread()
    client.force_login(moderator)

    for target in (thread.pk, 999999, "²"):
        page = client.get(moderate(client, thread, action="merge", into=target)["Location"]).content.decode()
        assert "cannot be merged into itself" in page or "Please give the number" in page
    thread.refresh_from_db()
    assert thread.merged_into is None and not thread.is_hidden


def test_merging_keeps_hidden_posts_hidden_chains_lead_on_and_activity_never_goes_back(
    client, home_page, make_thread, starter, replier, moderator
):
    from datetime import timedelta

    from django.utils import timezone

    from network.services import notifications

    hidden = make_thread(title="Spam", body="BUY WATCHES")
    hidden.hide(by=None, reason="Spam")
    a, b, c = make_thread(title="A"), make_thread(title="B"), make_thread(title="C")
    Thread.objects.filter(pk=a.pk).update(created_at=timezone.now() - timedelta(days=30))
    fresh = services.add_reply(thread=b, author=replier, body="Fresh today")
    watcher = ModeratorFactory()
    notifications.watch(watcher, a)
    assert not notifications.is_watching(watcher, b)  # kept: "not watching"
    client.force_login(moderator)

    moderate(client, hidden, action="merge", into=b.pk)
    moderate(client, a, action="merge", into=b.pk)
    moderate(client, b, action="merge", into=c.pk)

    member = Client()
    member.force_login(starter)
    assert "BUY WATCHES" not in member.get(c.get_absolute_url()).content.decode()
    assert Thread.objects.get(pk=hidden.pk).merged_into is None  # refused: show it first
    assert member.get(a.get_absolute_url())["Location"] == c.get_absolute_url()
    c.refresh_from_db()
    assert c.last_reply_id == fresh.pk and c.last_activity_at >= fresh.created_at
    assert notifications.is_watching(watcher, c)


def test_a_merged_thread_cannot_be_shown_again_as_an_empty_ghost(client, home_page, make_thread, moderator):
    from network.services import moderation

    source, into = make_thread(title="Duplicate"), make_thread(title="Original")
    services.merge_threads(source=source, into=into, by=moderator)
    source.refresh_from_db()

    with pytest.raises(moderation.NotAllowed):
        moderation.restore(item=source, by=ModeratorFactory())
    assert Thread.objects.get(pk=source.pk).is_hidden
