"""Chainable reads of visits and bookings."""

from django.db import models
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest
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
        """Each visit with `taken` (places held), `left` (places free) and `waiting` (on the waiting list)."""
        return self.annotate(
            taken=Count("bookings", filter=Q(bookings__status__in=["confirmed", "requested"]), distinct=True),
            waiting=Count("bookings", filter=Q(bookings__status="waitlisted"), distinct=True),
        ).annotate(left=Greatest(F("capacity") - F("taken"), Value(0)))


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=["confirmed", "requested", "waitlisted"])

    def holding_places(self):
        return self.filter(status__in=["confirmed", "requested"])

    def waitlisted(self):
        return self.filter(status="waitlisted").order_by("created_at", "pk")
