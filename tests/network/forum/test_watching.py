"""Members watch a category for new threads, and stop with a button or the email's one-click link."""

import re

import pytest
from django.core import mail
from django.test import Client

from network.forum import services
from network.services import notifications

pytestmark = pytest.mark.django_db
UNSUBSCRIBE = re.compile(r"https?://[^/\s]+(/network/unsubscribe/[^/\s]+/)")


def test_a_member_watching_a_category_hears_of_each_new_thread_once_and_can_stop(
    client, home_page, category, starter, replier, run_on_commit
):
    client.force_login(replier)
    client.post("/network/forum/category/health/watch/", {"watch": "on"})
    assert (
        "Stop emails about new threads here" in client.get("/network/forum/category/health/").content.decode()
    )

    with run_on_commit():
        services.start_thread(category=category, author=starter, title="Respite care ideas", body="Anyone?")

    [message] = [m for m in mail.outbox if m.to == ["dele@example.org"]]
    assert message.subject == "New thread in Health: “Respite care ideas”"
    link = UNSUBSCRIBE.search(message.body).group(1)
    assert "new threads in Health" in Client().get(link).content.decode()
    Client().post(link)
    assert not notifications.is_watching(replier, category)
    assert "Email me new threads here" in client.get("/network/forum/category/health/").content.decode()

    with run_on_commit():
        services.start_thread(category=category, author=starter, title="Another one", body="Hello")
    assert len([m for m in mail.outbox if m.to == ["dele@example.org"]]) == 1


def test_the_starter_is_not_told_of_their_own_thread(client, home_page, category, starter, run_on_commit):
    notifications.watch(starter, category)

    with run_on_commit():
        services.start_thread(category=category, author=starter, title="Mine", body="Hello")

    assert not [m for m in mail.outbox if m.to == ["amara@example.org"]]
