"""Study visits and bookings. A visit carries a stable calendar UID and a sequence number from the start, so
calendar invites (the next issue) can follow every change; each change to a visit or a booking is one service
call in one transaction (visits.services)."""

import uuid
from zoneinfo import available_timezones

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_CAPACITY = 500
TIME_ZONES = sorted((zone, zone) for zone in available_timezones())


class StudyVisit(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.PROTECT, related_name="+", verbose_name=_("the page it visits")
    )
    title = models.CharField(_("title"), max_length=200)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONES, default=settings.TIME_ZONE
    )
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    needs_approval = models.BooleanField(_("hosts approve each booking"), default=False)
    booking_opens_at = models.DateTimeField(_("booking opens"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(_("booking closes"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # for calendars: one UID for every attendee and every update; the sequence rises with each change
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="visit_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY), name="visit_capacity_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        REQUESTED = "requested", _("Waiting for the host's approval")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined by the host")

    ACTIVE = (Status.CONFIRMED, Status.REQUESTED, Status.WAITLISTED)

    visit = models.ForeignKey(StudyVisit, on_delete=models.CASCADE, related_name="bookings")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    # the waiting list's order: when the member joined it (ties by key)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # one active booking per member per visit, whatever races
            models.UniqueConstraint(
                fields=["visit", "member"],
                condition=Q(status__in=["confirmed", "requested", "waitlisted"]),
                name="one_active_booking_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.visit_id}: {self.status}"
