"""Reports: a member tells the moderators about something another member wrote."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    class Reason(models.TextChoices):
        ABUSIVE = "abusive", _("Abusive, threatening or discriminatory")
        PRIVATE = "private", _("Shares someone's private information")
        SPAM = "spam", _("Spam or advertising")
        MISLEADING = "misleading", _("Misleading or unsafe advice")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        HIDDEN = "hidden", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")
        SUSPENDED = "suspended", _("Author suspended")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="network_reports"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    details = models.TextField(_("anything the moderators should know"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("note to the reporter"), blank=True, max_length=2000)

    class Meta:
        ordering = ["created_at"]
        permissions = [("moderate_content", "Can hide and restore what members wrote and decide reports")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="report_content_idx")]
        constraints = [
            models.UniqueConstraint(  # one open report per person per item; a second click changes nothing
                fields=["reporter", "content_type", "object_id"],
                condition=models.Q(status="open"),
                name="report_open_once_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.get_status_display()})"
