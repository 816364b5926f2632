"""The outbox: every email, written in the same transaction as the change that caused it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..querysets import OutboxQuerySet


class OutboxMessage(models.Model):
    """One email, written in the same transaction as the change that caused it, delivered by a task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Claimed for sending but never confirmed (the worker died mid-send): it may or may not have
        # reached the server, so it is not retried by itself.
        UNCERTAIN = "uncertain", _("Delivery uncertain")
        # A newer message about the same thing (same `supersedes_key`) was queued before this one went out:
        # only the newest is sent, so an older calendar update never arrives after a newer one.
        SUPERSEDED = "superseded", _("Replaced by a newer message")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    from_email = models.CharField(_("from"), max_length=320)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    body_subtype = models.CharField(max_length=20, default="plain")
    # [[content, mimetype], ...], e.g. an HTML part
    alternatives = models.JSONField(default=list, blank=True)
    # [{"filename", "content" (base64), "mimetype"}, ...], e.g. a calendar invite
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The person a message is about, when that is not its recipient (e.g. an application sent to
    # moderators), so deleting that person's account deletes it too.
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Messages that say the latest state of one thing (a calendar event for one attendee) share a key.
    supersedes_key = models.CharField(max_length=200, blank=True, default="", db_index=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        permissions = [("retry_outboxmessage", "Can retry outgoing messages")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def message_id(self) -> str:
        """A Message-ID fixed per row, so a receiving server can spot a copy."""
        return f"<{self.id}@coproduce.outbox>"
