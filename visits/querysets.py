"""Chainable reads of visits and bookings."""

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone


class StudyVisitQuerySet(models.QuerySet):
    def listed(self):
        """What the public listing shows: published, changed, cancelled or completed, never a draft."""
        return self.exclude(status="draft")

    def upcoming(self, now=None):
        return self.filter(status="published", starts_at__gt=now or timezone.now())

    def past(self, now=None):
        return self.filter(status__in=["published", "completed"], starts_at__lte=now or timezone.now())

    def hosted_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(host=user) | Q(co_hosts=user)).distinct()

    def with_places_taken(self):
        return self.annotate(
            taken=Count("bookings", filter=Q(bookings__status__in=["confirmed", "requested"])),
            waiting=Count("bookings", filter=Q(bookings__status="waitlisted")),
        )


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=["confirmed", "requested", "waitlisted"])

    def holding_places(self):
        return self.filter(status__in=["confirmed", "requested"])

    def waitlisted(self):
        return self.filter(status="waitlisted").order_by("created_at", "pk")
