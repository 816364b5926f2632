from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from network import outbox
from network.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_periodic_delivers_due_mail_and_publishes_scheduled_exemplars(make_exemplar, settings):
    settings.NETWORK_OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = outbox.queue_email(
        to=["a@example.org"], subject="Hello", body="Body"
    )  # on_commit never fires here
    page = make_exemplar("Scheduled one")
    page.title = "Scheduled one, revised"
    page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))

    call_command("periodic")

    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Hello"]
    page.refresh_from_db()
    assert page.title == "Scheduled one, revised"
