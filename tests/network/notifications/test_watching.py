"""Watching and being told: a new comment reaches every watcher who may see it, by one email each over real
SMTP, with a one-click unsubscribe link that works signed out and asks first when merely opened."""

import re
from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client

from network.blog.models import Post
from network.models import Notification, Profile, Subscription
from network.services import notifications
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
UNSUBSCRIBE = re.compile(r"https?://[^/\s]+(/network/unsubscribe/[^/\s]+/)")


def comment_as(client, user, post, body="A thought."):
    client.force_login(user)
    return client.post(f"/network/blog/comment/{post.pk}/", {"body": body})


@pytest.mark.smtp
def test_a_watcher_gets_one_email_over_smtp_with_one_click_unsubscribe(
    client, home_page, make_post, author, reader, smtp_server, run_on_commit
):
    post = make_post(title="Service users are experts too")
    notifications.watch_automatically(author, post)

    with run_on_commit():
        comment_as(client, reader, post, "We learned this the hard way.")

    assert [e.rcpt_tos for e in smtp_server.envelopes] == [[author.email]]
    message = smtp_server.messages[0]
    assert "Service users are experts too" in message["Subject"]
    link = UNSUBSCRIBE.search(message.get_content()).group(1)
    assert (
        message["List-Unsubscribe"] == f"<http://localhost:8000{link}>" or link in message["List-Unsubscribe"]
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A mail program's one-click POST: no session, no CSRF cookie.
    response = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == HTTPStatus.OK
    assert not notifications.is_watching(author, post)

    with run_on_commit():
        comment_as(client, reader, post, "One more.")
    assert len(smtp_server.envelopes) == 1  # nothing more


def test_opening_the_unsubscribe_link_only_asks(client, home_page, make_post, author, reader, run_on_commit):
    post = make_post()
    notifications.watch_automatically(author, post)
    with run_on_commit():
        comment_as(client, reader, post)
    link = UNSUBSCRIBE.search(mail.outbox[0].body).group(1)

    page = Client().get(link)  # a link scanner, or the person reading before deciding

    assert page.status_code == HTTPStatus.OK
    assert "Stop emails about “What a time bank taught us”?" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    assert notifications.is_watching(author, post)


def test_stopping_everything_turns_notification_email_off(
    client, home_page, make_post, author, reader, run_on_commit
):
    post = make_post()
    notifications.watch_automatically(author, post)
    with run_on_commit():
        comment_as(client, reader, post)
    link = UNSUBSCRIBE.search(mail.outbox[0].body).group(1)

    response = Client().post(link, {"everything": "on"})

    assert "no more emails about posts and discussions you watch" in response.content.decode()
    assert Profile.objects.get(user=author).email_notifications == Profile.EmailNotifications.NEVER


@pytest.mark.parametrize("token", ["nonsense", "MQ:1vZ:forged", "x" * 300])
def test_a_forged_or_broken_unsubscribe_link_changes_nothing(client, home_page, make_post, author, token):
    post = make_post()
    notifications.watch_automatically(author, post)

    response = Client().post(f"/network/unsubscribe/{token}/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "not valid" in response.content.decode()
    assert notifications.is_watching(author, post)


def test_watchers_who_may_not_see_the_comment_are_not_told(
    client, home_page, make_post, author, reader, run_on_commit
):
    post = make_post(visibility=Post.Visibility.MEMBERS)
    lapsed = MemberFactory(profile__handle="lapsed")
    quiet = MemberFactory(
        profile__handle="quiet", profile__email_notifications=Profile.EmailNotifications.NEVER
    )
    for person in (author, lapsed, quiet):
        notifications.watch_automatically(person, post)
    Profile.objects.filter(user=lapsed).update(status=Profile.Status.SUSPENDED)

    with run_on_commit():
        comment_as(client, reader, post)

    assert sorted(m.to[0] for m in mail.outbox) == [author.email]
    told = set(Notification.objects.values_list("user__email", flat=True))
    assert told == {author.email, quiet.email}  # the quiet member sees it on the site, unemailed


def test_the_watch_button_stops_and_restarts_emails(
    client, home_page, make_post, author, reader, run_on_commit
):
    post = make_post()
    notifications.watch_automatically(author, post)
    post_type = ContentType.objects.get_for_model(Post).pk
    client.force_login(author)

    response = client.post(
        f"/network/watch/{post_type}/{post.pk}/", {"watch": "off", "next": "https://evil.example/"}
    )
    assert response["Location"] == post.get_absolute_url()  # never sent elsewhere
    with run_on_commit():
        comment_as(Client(), reader, post)
    assert mail.outbox == []
    notifications.watch_automatically(author, post)  # writing there again does not quietly resume it
    assert not notifications.is_watching(author, post)

    client.force_login(author)
    client.post(f"/network/watch/{post_type}/{post.pk}/", {"watch": "on"})
    with run_on_commit():
        comment_as(Client(), reader, post, "Again.")
    assert [m.to for m in mail.outbox] == [[author.email]]


def test_nobody_watches_what_they_cannot_see_or_what_is_not_member_content(
    client, home_page, make_post, author, reader
):
    draft = make_post(status=Post.Status.DRAFT, published_at=None)
    post_type = ContentType.objects.get_for_model(Post).pk
    profile_type = ContentType.objects.get_for_model(Profile).pk
    client.force_login(reader)

    assert client.post(f"/network/watch/{post_type}/{draft.pk}/", {"watch": "on"}).status_code == 404
    assert (
        client.post(
            f"/network/watch/{profile_type}/{reader.network_profile.pk}/", {"watch": "on"}
        ).status_code
        == 404
    )
    assert client.post("/network/watch/999999/1/", {"watch": "on"}).status_code == 404
    assert client.get(f"/network/watch/{post_type}/{draft.pk}/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not Subscription.objects.filter(user=reader).exists()
    visitor = Client().post(f"/network/watch/{post_type}/{draft.pk}/", {"watch": "on"})
    assert visitor.status_code == HTTPStatus.FOUND and "/accounts/login/" in visitor["Location"]


def test_a_comment_costs_one_outbox_row_per_emailed_watcher_and_no_more(
    client, home_page, make_post, reader, django_assert_max_num_queries
):
    post = make_post()
    watchers = [MemberFactory(profile__handle=f"w{n}") for n in range(30)]
    for person in watchers:
        notifications.watch_automatically(person, post)
    client.force_login(reader)
    client.get(post.get_absolute_url())  # sessions and permissions warm, as for a member who read first

    with django_assert_max_num_queries(30 + 15):  # 12 fixed: session, post, comment, counts, watchers
        client.post(f"/network/blog/comment/{post.pk}/", {"body": "Thirty people hear of this."})

    assert Notification.objects.count() == 30


def test_the_post_page_offers_to_stop_or_start_as_the_reader_watches_or_not(
    client, home_page, make_post, author, reader
):
    post = make_post()
    notifications.watch_automatically(author, post)
    notifications.unwatch(reader, post)  # someone who once stopped
    MemberFactory()  # other members' watching is theirs

    client.force_login(author)
    assert "Stop emails about new comments" in client.get(post.get_absolute_url()).content.decode()
    client.force_login(reader)
    assert "Email me new comments" in client.get(post.get_absolute_url()).content.decode()

    client.post(f"/network/watch/{ContentType.objects.get_for_model(Post).pk}/{post.pk}/", {"watch": "on"})
    assert "Stop emails about new comments" in client.get(post.get_absolute_url()).content.decode()


def test_the_post_page_follows_watching_changed_by_commenting_and_by_the_emails_link(
    client, home_page, make_post, author, reader, run_on_commit
):
    """Whether a member watches is kept in the cache (notifications.is_watching); each way it changes shows
    on the member's next page."""
    post = make_post()
    client.force_login(reader)
    assert "Email me new comments" in client.get(post.get_absolute_url()).content.decode()  # kept now

    with run_on_commit():
        comment_as(client, reader, post)  # commenting watches the post
    assert "Stop emails about new comments" in client.get(post.get_absolute_url()).content.decode()

    with run_on_commit():
        comment_as(Client(), author, post, body="Thank you.")  # the reader is emailed, with its link
    link = UNSUBSCRIBE.search(mail.outbox[0].body).group(1)
    Client().post(link)  # one click, signed out

    assert "Email me new comments" in client.get(post.get_absolute_url()).content.decode()
