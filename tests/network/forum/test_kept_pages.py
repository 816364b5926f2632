"""The index, a category's threads and a thread's replies are rendered once per audience and kept
(network.fragments); what is each member's own (Report on others' replies only, what is new to them) is
filled in per request, and every change shows on the next page."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network.forum import services
from network.forum.models import Category
from tests.factories import MemberFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


def reply_reports(html: str) -> dict[int, bool]:
    """For each reply on the page, whether it offers Report."""
    articles = re.findall(
        r'<article class="comment forum-reply[^"]*" id="reply-(\d+)".*?</article>', html, re.S
    )
    bodies = re.split(r'<article class="comment forum-reply', html)[1:]
    return {int(pk): "Report<span" in body for pk, body in zip(articles, bodies, strict=True)}


def test_each_member_gets_report_on_others_replies_only_and_their_own_new_mark(
    client, home_page, make_thread, starter, replier
):
    thread = make_thread()
    mine = services.add_reply(thread=thread, author=starter, body="The starter adds a detail")
    theirs = services.add_reply(thread=thread, author=replier, body="A reply from Dele")
    client.force_login(starter)
    as_starter = client.get(thread.get_absolute_url()).content.decode()  # kept with the starter's page

    other = Client()
    other.force_login(replier)
    as_replier = other.get(thread.get_absolute_url()).content.decode()

    assert reply_reports(as_starter) == {mine.pk: False, theirs.pk: True}
    assert reply_reports(as_replier) == {mine.pk: True, theirs.pk: False}
    assert "New since you last read" not in as_replier  # they wrote the last reply: read to there
    newer = services.add_reply(thread=thread, author=replier, body="And another thought")
    again = client.get(thread.get_absolute_url()).content.decode()
    new_mark = again.index("New since you last read")
    assert again.index(f'id="reply-{theirs.pk}"') < again.index(f'id="reply-{newer.pk}"') < new_mark
    assert new_mark < again.index("And another thought")  # at the top of the first reply they have not read


def test_the_kept_replies_follow_hiding_locking_and_renaming(
    client, home_page, make_thread, starter, replier
):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Something regrettable")
    client.force_login(starter)
    assert "Something regrettable" in client.get(thread.get_absolute_url()).content.decode()  # kept

    reply.hide(by=None, reason="Off topic")
    assert "Something regrettable" not in client.get(thread.get_absolute_url()).content.decode()
    moderator = Client()
    moderator.force_login(ModeratorFactory())
    assert "Hidden by moderators" in moderator.get(thread.get_absolute_url()).content.decode()

    reply.restore()
    replier.network_profile.display_name = "Dele R."
    replier.network_profile.save()
    assert "Dele R." in client.get(thread.get_absolute_url()).content.decode()

    thread.refresh_from_db()
    thread.locked_at = timezone.now()
    thread.save(update_fields=["locked_at"])
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "This thread is locked" in page and "quote=" not in page


def test_the_kept_category_marks_what_is_new_to_each_member(client, home_page, make_thread, starter, replier):
    thread = make_thread()
    client.force_login(replier)
    assert "New<span" in client.get("/network/forum/category/health/").content.decode()  # kept now
    client.get(thread.get_absolute_url())
    assert "New<span" not in client.get("/network/forum/category/health/").content.decode()

    services.add_reply(thread=thread, author=starter, body="Anyone?")
    listing = client.get("/network/forum/category/health/").content.decode()
    assert "Unread<span" in listing and "Anyone" not in listing
    starter_client = Client()
    starter_client.force_login(starter)
    assert "Unread<span" not in starter_client.get("/network/forum/category/health/").content.decode()

    make_thread(title="A second question")
    assert "A second question" in client.get("/network/forum/category/health/").content.decode()
    assert '<td data-label="Threads">2</td>' in client.get("/network/forum/").content.decode()


def test_a_kept_thread_hidden_renamed_or_recategorised_shows_so_at_once(
    client, home_page, make_thread, replier, category
):
    thread = make_thread()
    client.force_login(replier)
    assert client.get(thread.get_absolute_url()).status_code == 200  # the thread is kept now

    category.name = "Health and care"
    category.save()
    assert "Health and care</a></p>" in client.get(thread.get_absolute_url()).content.decode()

    thread.hide(by=None, reason="Spam")
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert client.post(f"/network/forum/thread/{thread.pk}/reply/", {"body": "Hello?"}).status_code == 404
    thread.restore()
    thread.title = "Peer support after hospital: examples?"
    thread.save()
    assert client.get(thread.get_absolute_url(), follow=True).redirect_chain == []  # its new address works
    assert "Peer support after hospital" in client.get(thread.get_absolute_url()).content.decode()


def test_the_kept_opening_post_offers_each_member_their_own_actions(
    client, home_page, make_thread, starter, replier
):
    thread = make_thread()
    client.force_login(starter)
    as_starter = client.get(thread.get_absolute_url()).content.decode()  # kept with the starter's view
    other = Client()
    other.force_login(replier)
    as_replier = other.get(thread.get_absolute_url()).content.decode()

    assert f"/network/forum/thread/{thread.pk}/edit/" in as_starter and "Report an issue" not in as_starter
    assert f"/network/forum/thread/{thread.pk}/edit/" not in as_replier and "Report an issue" in as_replier
    assert "Stop emails about new replies" in as_starter  # the starter watches it
    assert "Email me new replies" in as_replier
    assert "csrf-stand-in" not in as_replier  # each form has the reader's own token


def test_the_new_thread_form_is_rendered_once_and_each_copy_has_its_own_submission_key(
    client, home_page, category, replier
):
    from network.fragments import KEY_STAND_IN

    client.force_login(replier)
    pages = [client.get("/network/forum/category/health/new/").content.decode() for _ in range(2)]

    keys = [re.search(r'name="submission_key" value="([^"]+)"', page).group(1) for page in pages]
    assert keys[0] != keys[1] and KEY_STAND_IN not in keys
    assert 'name="title"' in pages[1] and 'data-mentions="/network/forum/people/"' in pages[1]
    typed = client.post("/network/forum/category/health/new/", {"title": "", "body": "Kept what I typed"})
    assert "Kept what I typed" in typed.content.decode()  # a form with errors is never the blank copy


def test_how_far_a_member_has_read_is_kept_and_follows_every_page_they_read(
    client, home_page, make_thread, starter, replier
):
    thread = make_thread()
    for n in range(45):  # three pages
        services.add_reply(thread=thread, author=starter, body=f"Reply {n}")
    client.force_login(replier)
    url = thread.get_absolute_url()

    first = client.get(url).content.decode()  # never opened: nothing is "new since you last read"
    assert "Jump to the first unread reply" not in first
    assert "Jump to the first unread reply" in client.get(url).content.decode()  # pages 2 and 3 are not
    with CaptureQueriesContext(connection) as queries:  # read to here, kept: no query of the forum's
        assert "Jump to the first unread reply" in client.get(url).content.decode()
    assert [q["sql"] for q in queries if "network_forum" in q["sql"]] == []

    other_tab = Client()
    other_tab.force_login(replier)
    other_tab.get(url, {"page": 3})  # read to the end elsewhere
    assert "Jump to the first unread reply" not in client.get(url).content.decode()

    services.add_reply(thread=thread, author=starter, body="One more")
    page = client.get(url, {"page": 3}).content.decode()
    assert page.index("New since you last read") < page.index("One more")
    assert "Jump to the first unread reply" not in client.get(url, {"page": 3}).content.decode()


def test_a_read_racing_a_members_reading_elsewhere_is_not_kept_past_its_commit(
    client, home_page, make_thread, starter, replier, django_capture_on_commit_callbacks
):
    """Another tab's request reads the row between this write and its commit, and keeps what it read under
    the version the write bumped: the bump at commit makes that copy unreachable."""
    from django.db import transaction

    from network import fragments

    thread = make_thread()
    for n in range(3):
        services.add_reply(thread=thread, author=starter, body=f"Reply {n}")
    assert services.read_up_to_one(replier, thread.pk) is None  # kept: never opened

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.mark_read(replier, thread, 3, known=None)
        fragments.fragment(**services.read_names(replier.pk, thread.pk), build=lambda: (None,))  # the race

    assert services.read_up_to_one(replier, thread.pk) == 3
    client.force_login(replier)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "New since you last read" not in page and "Jump to the first unread reply" not in page


def test_a_kept_category_follows_renaming_restricting_and_removing_it(
    client, home_page, category, make_thread, replier
):
    make_thread(title="Peer support at discharge")
    client.force_login(replier)
    assert "Health" in client.get("/network/forum/category/health/").content.decode()  # kept now
    assert client.get("/network/forum/category/health/new/").status_code == HTTPStatus.OK

    category.name, category.description = "Health and care", "Now with social care"
    category.save()
    page = client.get("/network/forum/category/health/").content.decode()
    assert "Health and care" in page and "Now with social care" in page

    category.moderators_only = True
    category.save()
    refused = client.get("/network/forum/category/health/new/")
    assert (
        refused.status_code == HTTPStatus.FOUND and refused["Location"] == "/network/forum/category/health/"
    )

    empty = Category.objects.create(name="Early years", slug="early-years")
    assert client.get("/network/forum/category/early-years/").status_code == HTTPStatus.OK  # kept
    empty.delete()  # one with threads cannot be deleted
    assert client.get("/network/forum/category/early-years/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/network/forum/category/early-years/new/").status_code == HTTPStatus.NOT_FOUND


def test_what_is_new_in_a_kept_category_is_each_members_own(client, home_page, make_thread, starter, replier):
    thread = make_thread()
    client.force_login(replier)
    other = Client()
    other.force_login(MemberFactory())
    assert "New<span" in client.get("/network/forum/category/health/").content.decode()
    assert "New<span" in other.get("/network/forum/category/health/").content.decode()  # both kept

    client.get(thread.get_absolute_url())  # the replier reads it; the other member does not

    assert "New<span" not in client.get("/network/forum/category/health/").content.decode()
    assert "New<span" in other.get("/network/forum/category/health/").content.decode()
    services.add_reply(thread=thread, author=starter, body="More")
    assert "Unread<span" in client.get("/network/forum/category/health/").content.decode()
