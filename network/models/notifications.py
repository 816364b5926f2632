"""Watching and being told: subscriptions to a target (a post, a thread, a category) and the notifications
they produced, one per person per new item, so nobody is told twice about the same comment."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Subscription(models.Model):
    """A person watching a target. `active=False` records that they stopped, so writing another comment
    does not quietly watch it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="subscription_once")
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "active"], name="subscription_target_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'watches' if self.active else 'stopped watching'} {self.content_type_id}:{self.object_id}"


class Notification(models.Model):
    """That `user` was told about `item` (a comment, a reply). Unique, so a retried job tells nobody twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)
    emailed = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="notification_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} told of {self.content_type_id}:{self.object_id}"
