"""Chainable reads for network models."""

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone


class OutboxQuerySet(models.QuerySet):
    def due(self, now: datetime | None = None) -> "OutboxQuerySet":
        """Pending messages whose next attempt time has come."""
        return self.filter(status="pending", next_attempt_at__lte=now or timezone.now())

    def stale_sending(self, older_than: timedelta, now: datetime | None = None) -> "OutboxQuerySet":
        return self.filter(status="sending", claimed_at__lt=(now or timezone.now()) - older_than)

    def needing_attention(self) -> "OutboxQuerySet":
        return self.filter(status__in=["pending", "failed", "uncertain"])
