"""What an outsider tried against the forum: each attempt gets a clear answer, saves nothing it should not,
and leaks nothing of one member to another."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.utils import timezone

from network import services as core
from network.forum import services
from network.forum.models import Category, Reply, Revision
from tests.factories import MemberFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


def test_text_that_looks_like_a_stand_in_never_carries_a_readers_token(
    client, home_page, make_thread, replier
):
    thread = make_thread()
    services.add_reply(
        thread=thread, author=replier, body="[see](https://evil.example/?t=csrf-stand-in) csrf-stand-in"
    )
    reader = MemberFactory()
    client.force_login(reader)

    page = client.get(thread.get_absolute_url()).content.decode()

    assert "csrf-stand-in" in page  # the member's words, as written
    assert re.findall(r'href="(https://evil[^"]*)"', page) == ["https://evil.example/?t=csrf-stand-in"]


@pytest.mark.parametrize("value", ["²", "١٢", "junk", "99999999999999"])
def test_odd_quote_and_page_values_get_a_page_not_an_error(client, home_page, make_thread, replier, value):
    thread = make_thread()
    client.force_login(replier)

    assert client.get(thread.get_absolute_url(), {"quote": value}).status_code == HTTPStatus.OK
    assert client.get(thread.get_absolute_url(), {"page": value}).status_code == HTTPStatus.OK
    response = client.post(f"/network/forum/thread/{thread.pk}/reply/", {"body": "Hello", "quote": value})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "That cannot be quoted here" in response.content.decode() and "Hello" in response.content.decode()
    assert not Reply.objects.exists()


def test_quoting_a_hidden_reply_or_one_from_another_thread_saves_nothing(
    client, home_page, make_thread, starter, replier
):
    thread, other = make_thread(), make_thread(title="Another thread")
    hidden = services.add_reply(thread=thread, author=starter, body="Hidden words")
    hidden.hide(by=None, reason="Spam")
    elsewhere = services.add_reply(thread=other, author=starter, body="Elsewhere")
    client.force_login(replier)

    for quote in (hidden.pk, elsewhere.pk):
        response = client.post(
            f"/network/forum/thread/{thread.pk}/reply/", {"body": "Quoting", "quote": quote}
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Reply.objects.filter(body="Quoting").exists()
    with pytest.raises(services.ForumError):
        services.add_reply(thread=thread, author=replier, body="Via the service", quoted=hidden)


def test_a_moderator_moving_to_an_odd_category_is_told_so(client, home_page, make_thread):
    thread = make_thread()
    client.force_login(ModeratorFactory())

    response = client.post(
        f"/network/forum/thread/{thread.pk}/moderate/", {"action": "move", "category": "¹"}, follow=True
    )

    assert response.status_code == HTTPStatus.OK and "Please choose a category" in response.content.decode()


def test_quote_links_on_an_earlier_page_lead_to_the_form_on_the_last(client, home_page, make_thread, replier):
    thread = make_thread()
    first = services.add_reply(thread=thread, author=replier, body="First")
    for n in range(24):
        services.add_reply(thread=thread, author=replier, body=f"Reply {n}")
    client.force_login(MemberFactory())

    page_one = client.get(thread.get_absolute_url()).content.decode()
    link = re.search(rf'href="(\?[^"]*quote={first.pk}#reply-form)"', page_one).group(1).replace("&amp;", "&")
    landing = client.get(thread.get_absolute_url() + link.split("#")[0]).content.decode()

    assert "page=2" in link and "Quoting reply 1" in landing and 'id="reply-form"' in landing


def test_a_superuser_without_a_profile_reads_the_forum(client, home_page):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-1")
    client.force_login(admin)

    assert client.get("/network/forum/").status_code == HTTPStatus.OK


def test_mentioning_someone_in_every_reply_emails_them_once_an_hour(
    home_page, make_thread, replier, run_on_commit
):
    MemberFactory(profile__handle="helen", email="helen@example.org")
    thread = make_thread()

    with run_on_commit():
        for n in range(5):
            services.add_reply(thread=thread, author=replier, body=f"@helen look at this ({n})")

    assert len([m for m in mail.outbox if m.to == ["helen@example.org"]]) == 1


def test_removing_everything_removes_the_earlier_versions_of_a_kept_thread(
    home_page, make_thread, starter, replier
):
    thread = make_thread(body="My original private words")
    services.edit_thread(thread=thread, by=starter, title=thread.title, body="Edited words")
    services.add_reply(thread=thread, author=replier, body="An answer")
    assert [v["text"] for v in core.export_member_data(user=starter)["forum_earlier_versions"]] == [
        "My original private words"
    ]

    core.delete_account(user=starter, remove_content=True)

    assert not Revision.objects.exists()


def test_an_edit_from_a_page_read_before_the_thread_was_locked_is_refused(home_page, make_thread, starter):
    thread = make_thread()
    stale = type(thread).objects.get(pk=thread.pk)
    type(thread).objects.filter(pk=thread.pk).update(locked_at=timezone.now())

    with pytest.raises(services.ForumError):
        services.edit_thread(thread=stale, by=starter, title="Changed", body="Changed")
    assert Category.objects.get().threads.get().title != "Changed"


def test_two_spellings_of_a_page_share_its_copy_and_never_show_another(
    client, home_page, make_thread, replier
):
    thread = make_thread()
    for n in range(45):
        services.add_reply(thread=thread, author=replier, body=f"Reply number {n}")
    client.force_login(replier)

    assert (
        "Reply number 20" in client.get(thread.get_absolute_url(), {"page": "0000000000002"}).content.decode()
    )
    last = client.get(thread.get_absolute_url(), {"page": "000000000000"}).content.decode()  # out of range

    assert "Page 3 of 3" in last and "Reply number 44" in last
