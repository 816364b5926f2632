"""'Helpful' marks: one per member per reply, a toggle, counted right, never on one's own reply."""

import re
from http import HTTPStatus

import pytest
from django.test import Client

from network import services as core
from network.forum import services
from network.forum.models import Reaction
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def mark(client, reply):
    return client.post(f"/network/forum/reply/{reply.pk}/helpful/")


def pressed(html: str, reply) -> str:
    form = re.search(rf'action="/network/forum/reply/{reply.pk}/helpful/".*?aria-pressed="(\w+)"', html, re.S)
    return form.group(1) if form else "absent"


def test_members_mark_a_reply_helpful_once_each_and_can_take_it_back(
    client, home_page, make_thread, starter, replier
):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Try a named contact")
    other = MemberFactory()
    client.force_login(starter)

    assert mark(client, reply).status_code == HTTPStatus.FOUND
    second = Client()
    second.force_login(other)
    mark(second, reply)
    page = client.get(thread.get_absolute_url()).content.decode()

    assert "2 members found this helpful" in page
    assert pressed(page, reply) == "true"
    assert (
        pressed(Client().get(thread.get_absolute_url()).content.decode(), reply) == "absent"
    )  # a visitor: no

    mark(client, reply)  # taken back
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "1 member found this helpful" in page and pressed(page, reply) == "false"
    assert Reaction.objects.count() == 1


def test_nobody_marks_their_own_reply_and_is_told_why(client, home_page, make_thread, replier):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Mine")
    client.force_login(replier)

    assert pressed(client.get(thread.get_absolute_url()).content.decode(), reply) == "absent"
    response = mark(client, reply)

    assert "You cannot mark your own reply" in client.get(response["Location"], follow=True).content.decode()
    assert not Reaction.objects.exists()


def test_a_deleted_account_takes_its_marks_with_it(client, home_page, make_thread, starter, replier):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Useful")
    client.force_login(starter)
    mark(client, reply)

    core.delete_account(user=starter, remove_content=False)

    reply.refresh_from_db()
    assert reply.helpful_count == 0 and not Reaction.objects.exists()
