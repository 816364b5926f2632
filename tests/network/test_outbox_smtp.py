"""The outbox against a real SMTP server: a sign-up while the mail server is down still succeeds, and its
verification message arrives, once, when the server is back."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from network import outbox
from network.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.smtp]

PASSWORD = "a-long-enough-pass-phrase"


def test_the_smtp_server_receives_a_queued_message(smtp_server, run_on_commit):
    with run_on_commit():
        row = outbox.queue_email(to=["amara@example.org"], subject="Hello", body="It works.")

    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["amara@example.org"]]
    assert smtp_server.messages[0]["Message-ID"] == row.message_id


def test_a_sign_up_while_the_mail_server_is_down_gets_its_verification_mail_once_the_server_is_back(
    client, home_page, smtp_server, run_on_commit
):
    cache.clear()  # allauth's rate limits live in the cache: earlier sign-ups must not throttle this one
    smtp_server.stop()

    with run_on_commit():
        response = client.post(
            "/accounts/signup/",
            {"email": "back.online@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/confirm-email/"
    row = OutboxMessage.objects.get()
    assert row.to == ["back.online@example.org"]
    assert row.status == OutboxMessage.Status.PENDING
    assert row.attempts == 1
    assert "refused" in row.last_error.lower()

    smtp_server.start()
    sent = outbox.retry_due(now=row.next_attempt_at + timedelta(seconds=1))

    assert sent == 1
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["back.online@example.org"]]
    message = smtp_server.messages[0]
    assert message["Message-ID"] == row.message_id
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", body)
    assert link, body
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT

    assert outbox.retry_due(now=row.next_attempt_at + timedelta(days=1)) == 0
    assert len(smtp_server.envelopes) == 1

    # The link in the message that finally arrived is the one that verifies the address.
    client.post(link.group(1))
    assert EmailAddress.objects.get(email="back.online@example.org").verified
