"""@handle in a thread or reply tells that member, once, if they may read it; they can stop such emails."""

import re

import pytest
from django.core import mail
from django.test import Client

from network.forum import services
from network.markup import mentioned_handles
from network.models import Profile
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
UNSUBSCRIBE = re.compile(r"https?://[^/\s]+(/network/unsubscribe/[^/\s]+/)")


def mailed_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_handles_are_found_in_text_but_not_in_code_or_email_addresses():
    text = "Thanks @Rosa-Kettering and @tom! Mail dele@example.org; `@not-me` is code.\n```\n@nor-me\n```"

    assert mentioned_handles(text) == {"rosa-kettering", "tom"}


def test_a_mentioned_member_is_told_once_and_can_stop_it(
    home_page, make_thread, starter, replier, run_on_commit
):
    MemberFactory(profile__handle="helen", profile__display_name="Helen Marsh", email="helen@example.org")
    thread = make_thread()

    with run_on_commit():
        services.add_reply(thread=thread, author=replier, body="@helen ran this part; @helen knows.")

    [message] = mailed_to("helen@example.org")
    assert (
        message.subject
        == "Dele Reader mentioned you in “Seeking examples of peer support in respiratory care”"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = UNSUBSCRIBE.search(message.body).group(1)
    assert "mentions of you" in Client().get(link).content.decode()
    Client().post(link)

    with run_on_commit():
        services.add_reply(thread=thread, author=replier, body="@helen one more thing")
    assert len(mailed_to("helen@example.org")) == 1  # she stopped mention emails


def test_a_watcher_who_is_mentioned_gets_one_email_not_two(
    home_page, make_thread, starter, replier, run_on_commit
):
    thread = make_thread()  # the starter watches it

    with run_on_commit():
        services.add_reply(thread=thread, author=replier, body="@amara we did this in Leeds.")

    assert len(mailed_to("amara@example.org")) == 1


def test_nobody_who_may_not_read_the_forum_is_told_and_nobody_of_their_own_words(
    home_page, make_thread, starter, replier, run_on_commit
):
    outsider = UserFactory(email="outsider@example.org")
    Profile.objects.filter(user=outsider).update(handle="outsider")
    suspended = MemberFactory(profile__handle="gone", email="gone@example.org")
    Profile.objects.filter(user=suspended).update(status=Profile.Status.SUSPENDED)
    thread = make_thread()

    with run_on_commit():
        services.add_reply(thread=thread, author=replier, body="@outsider @gone @dele @no-such-member hello")

    assert mailed_to("outsider@example.org") == mailed_to("gone@example.org") == []
    assert mailed_to("dele@example.org") == []  # the writer mentioned themselves


def test_a_new_thread_mentioning_someone_tells_them(
    client, home_page, category, starter, replier, run_on_commit
):
    client.force_login(starter)

    with run_on_commit():
        client.post(
            "/network/forum/category/health/new/", {"title": "Ideas?", "body": "What do you think, @dele?"}
        )

    [message] = mailed_to("dele@example.org")
    assert "mentioned you" in message.subject and "What do you think, @dele?" in message.body


def test_the_mention_helper_finds_members_by_handle_or_name_for_members_only(
    client, home_page, starter, replier
):
    from network.models import Profile

    applicant = UserFactory()
    Profile.objects.filter(user=applicant).update(handle="dele-applicant", display_name="Dele Applicant")

    assert client.get("/network/forum/people/", {"q": "de"}).status_code == 302  # a visitor: sign in
    client.force_login(starter)
    found = client.get("/network/forum/people/", {"q": "@de"}).json()["people"]
    by_name = client.get("/network/forum/people/", {"q": "Dele"}).json()["people"]

    assert found == by_name == [{"handle": "dele", "name": "Dele Reader"}]  # members only, not applicants
    assert client.get("/network/forum/people/", {"q": "d"}).json() == {"people": []}


def test_handles_with_underscores_are_mentions_too():
    assert mentioned_handles("Thanks @helen_m, and @_not_a_handle") == {"helen_m"}
