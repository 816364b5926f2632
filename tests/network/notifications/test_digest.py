"""Members who choose a daily email get one a day listing what is new where they watch, and nothing at once;
they stop it with one click."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from network.forum import services as forum
from network.forum.models import Category
from network.models import Profile
from network.services import notifications
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
STOP = re.compile(r"https?://[^/\s]+(/network/unsubscribe/daily/[^/\s]+/)")


@pytest.fixture
def daily(db):
    member = MemberFactory(
        profile__handle="helen", profile__display_name="Helen Marsh", email="helen@example.org"
    )
    Profile.objects.filter(user=member).update(email_notifications=Profile.EmailNotifications.DAILY)
    return member


def to_helen() -> list:
    return [message for message in mail.outbox if message.to == ["helen@example.org"]]


def test_a_daily_member_gets_one_email_a_day_with_what_they_may_still_see(home_page, daily, run_on_commit):
    writer = MemberFactory(profile__display_name="Tom Host")
    category = Category.objects.create(name="Health", slug="health")
    thread = forum.start_thread(category=category, author=daily, title="Respite care", body="Ideas?")
    with run_on_commit():
        first = forum.add_reply(thread=thread, author=writer, body="A sitting service")
        regretted = forum.add_reply(thread=thread, author=writer, body="Buy watches")
        forum.add_reply(thread=thread, author=writer, body="@helen see above")
    regretted.hide(by=None, reason="Spam")
    assert to_helen() == []  # nothing at once

    with run_on_commit():
        assert notifications.send_digests() == 1
        assert notifications.send_digests() == 0  # one a day, however often the job runs

    [message] = to_helen()
    assert message.subject == "What is new in the discussions you watch (2)"
    assert first.get_absolute_url() in message.body and regretted.get_absolute_url() not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    forum.add_reply(thread=thread, author=writer, body="Next day")
    with run_on_commit():
        notifications.send_digests(now=timezone.now() + timedelta(days=1))
    assert len(to_helen()) == 2


def test_the_daily_emails_link_stops_it_in_one_click(home_page, daily, run_on_commit):
    writer = MemberFactory()
    thread = forum.start_thread(
        category=Category.objects.create(name="Health", slug="health"), author=daily, title="T", body="B"
    )
    with run_on_commit():
        forum.add_reply(thread=thread, author=writer, body="Hello")
        notifications.send_digests()
    link = STOP.search(to_helen()[0].body).group(1)

    assert "Stop emails about “the daily email about what you watch”?" in Client().get(link).content.decode()
    Client().post(link)

    assert Profile.objects.get(user=daily).email_notifications == Profile.EmailNotifications.NEVER
    assert Client().get("/network/unsubscribe/daily/forged/").status_code == 404


def test_switching_to_daily_does_not_mail_a_backlog(home_page, run_on_commit):
    quiet = MemberFactory(email="helen@example.org")
    Profile.objects.filter(user=quiet).update(email_notifications=Profile.EmailNotifications.NEVER)
    thread = forum.start_thread(
        category=Category.objects.create(name="Health", slug="health"), author=quiet, title="T", body="B"
    )
    forum.add_reply(thread=thread, author=MemberFactory(), body="Long ago")
    from network.models import Notification

    Notification.objects.update(created_at=timezone.now() - timedelta(days=30))
    Profile.objects.filter(user=quiet).update(email_notifications=Profile.EmailNotifications.DAILY)

    with run_on_commit():
        assert notifications.send_digests() == 0

    assert to_helen() == []


def test_a_reply_committed_just_after_a_run_is_in_the_next_email(home_page, daily, run_on_commit):
    from network.models import Notification

    writer = MemberFactory()
    thread = forum.start_thread(
        category=Category.objects.create(name="Health", slug="health"), author=daily, title="T", body="B"
    )
    with run_on_commit():
        forum.add_reply(thread=thread, author=writer, body="Before the run")
        notifications.send_digests()
    late = forum.add_reply(thread=thread, author=writer, body="Written before the run, committed after")
    sent_at = Profile.objects.get(user=daily).digest_sent_at
    Notification.objects.filter(object_id=late.pk).update(created_at=sent_at - timedelta(seconds=1))

    with run_on_commit():
        notifications.send_digests(now=sent_at + timedelta(days=1))

    assert late.get_absolute_url() in to_helen()[-1].body
