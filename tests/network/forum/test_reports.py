"""Forum replies and threads are reported from their page and decided in the one moderation queue."""

from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client

from network.forum import services
from network.forum.models import Reply
from tests.factories import ModeratorFactory
from tests.network.moderation.conftest import decide_url, queue_item_url

pytestmark = pytest.mark.django_db


def test_a_reported_reply_hidden_from_the_queue_is_gone_for_members_and_the_reporter_is_told(
    client, home_page, make_thread, starter, replier, run_on_commit
):
    thread = make_thread()
    reply = services.add_reply(thread=thread, author=replier, body="Abusive words about a member")
    client.force_login(starter)
    report_url = f"/network/report/{ContentType.objects.get_for_model(Reply).pk}/{reply.pk}/"
    assert "A reply in “Seeking examples" in client.get(report_url).content.decode()
    with run_on_commit():
        client.post(report_url, {"reason": "abusive"})

    moderator = Client()
    moderator.force_login(ModeratorFactory(email="mo@example.org"))
    queue = moderator.get("/admin/network_reports/").content.decode()
    assert "A reply in “Seeking examples of peer support in respiratory care”" in queue
    assert "Abusive words about a member" in moderator.get(queue_item_url(reply)).content.decode()
    with run_on_commit():
        response = moderator.post(decide_url(reply, "hide"), {"reason": "Abuse", "note": "", "report": ""})

    assert response.status_code == HTTPStatus.FOUND
    assert "Abusive words" not in client.get(thread.get_absolute_url()).content.decode()
    assert [m.subject for m in mail.outbox if m.to == ["amara@example.org"]] == [
        "Your report: A reply in “Seeking examples of peer support in respiratory care”"
    ]
    thread.refresh_from_db()
    assert thread.reply_count == 0
