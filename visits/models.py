"""Study visits, bookings and feedback. A visit carries a stable calendar UID and a sequence number from the
start, so calendar invites (the next issue) can follow every change; each change to a visit or a booking is
one service call in one transaction (visits.services)."""

import uuid
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from network.markup import render_markdown

from .querysets import BookingQuerySet, StudyVisitQuerySet

MAX_CAPACITY = 500
MAX_EXTRA_QUESTIONS = 5
TIME_ZONES = sorted((zone, zone) for zone in available_timezones())
# what a host fills in when offering a visit, in the form's order (status, hosts, the write-up and, once
# published, the places change through services of their own)
OFFER_FIELDS = (
    "page",
    "title",
    "description",
    "agenda",
    "time_zone",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "meeting_point",
    "travel_and_access",
    "capacity",
    "needs_approval",
    "booking_opens_at",
    "booking_closes_at",
    "ask_access_needs",
    "ask_dietary_needs",
    "ask_organisation",
    "requires_background_check",
)


class StudyVisit(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.PROTECT, related_name="+", verbose_name=_("the page it visits")
    )
    title = models.CharField(_("title"), max_length=200)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # none: a former member whose account was deleted; the past visit and its write-up stay
        on_delete=models.SET_NULL,
        related_name="hosted_visits",
        verbose_name=_("host"),
    )
    co_hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_hosted_visits", verbose_name=_("co-hosts")
    )
    description = models.TextField(
        _("what you will see and do"), max_length=5000, default="", help_text=_("Markdown is allowed.")
    )
    description_html = models.TextField(editable=False, default="")
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True, help_text=_("Markdown is allowed."))
    agenda_html = models.TextField(editable=False, default="")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONES, default=settings.TIME_ZONE
    )
    venue = models.CharField(_("venue"), max_length=200, default="")
    address = models.TextField(_("address"), max_length=500, default="")
    meeting_point = models.CharField(_("meeting point"), max_length=300, blank=True)
    travel_and_access = models.TextField(_("travel and access"), max_length=3000, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    needs_approval = models.BooleanField(_("hosts approve each booking"), default=False)
    booking_opens_at = models.DateTimeField(_("booking opens"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(_("booking closes"), null=True, blank=True)
    ask_access_needs = models.BooleanField(_("ask about access needs"), default=True)
    ask_dietary_needs = models.BooleanField(_("ask about dietary needs"), default=True)
    ask_organisation = models.BooleanField(_("ask for their organisation"), default=True)
    extra_questions = models.JSONField(_("more questions for bookers"), default=list, blank=True)
    requires_background_check = models.BooleanField(
        _("bookers must confirm a background check"),
        default=False,
        help_text=_("For a visit where people meet children or adults at risk."),
    )
    # copied from the page it visits when saved (visits.conf.PAGE_DETAILS), so listings filter on their own
    region = models.CharField(_("region"), max_length=100, blank=True, db_index=True)
    themes = models.ManyToManyField("network.Theme", blank=True, related_name="+", verbose_name=_("themes"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    cancelled_reason = models.TextField(_("why it was cancelled"), blank=True)
    write_up = models.TextField(
        _("write-up"), max_length=20_000, blank=True, help_text=_("Markdown is allowed.")
    )
    write_up_html = models.TextField(editable=False, default="")
    # for calendars: one UID for every attendee and every update; the sequence rises with each change
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    changed_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )  # last change attendees were told

    objects = StudyVisitQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("study visit")
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

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        self.agenda_html = render_markdown(self.agenda) if self.agenda else ""
        self.write_up_html = render_markdown(self.write_up) if self.write_up else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            rendered = {
                "description": "description_html",
                "agenda": "agenda_html",
                "write_up": "write_up_html",
            }
            kwargs["update_fields"] = {*update_fields, *(rendered[f] for f in update_fields if f in rendered)}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def when(self) -> str:
        """Start and end in the visit's own time zone, whatever zone the reader's pages use."""
        start, end = self.local_start, self.local_end
        if start.date() == end.date():
            text = f"{date_format(start, 'l j F Y, H:i')}–{date_format(end, 'H:i')}"
        else:
            text = f"{date_format(start, 'l j F Y, H:i')} to {date_format(end, 'l j F Y, H:i')}"
        return f"{text} ({start.tzname()}, {self.time_zone})"

    def booking_refusal(self, now) -> str | None:
        """Why the visit takes no booking at `now`, or None when it does."""
        if self.status != self.Status.PUBLISHED or not self.page.live:
            return _("This visit is not open for booking.")
        if self.starts_at <= now or (self.booking_closes_at and self.booking_closes_at <= now):
            return _("Booking for this visit has closed.")
        if self.booking_opens_at and self.booking_opens_at > now:
            opens = date_format(self.booking_opens_at.astimezone(self.zone), "j F Y, H:i")
            return _("Booking for this visit has not opened yet: it opens on %(when)s.") % {"when": opens}
        return None

    def is_hosted_by(self, user) -> bool:
        """The host or a co-host (moderators manage every visit: see visits.access)."""
        if not user.is_authenticated:
            return False
        return self.host_id == user.pk or self.co_hosts.filter(pk=user.pk).exists()


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        REQUESTED = "requested", _("Waiting for the host's approval")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined by the host")
        REMOVED = "removed", _("Removed by the host")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not checked in")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    ACTIVE = (Status.CONFIRMED, Status.REQUESTED, Status.WAITLISTED)
    HOLDS_A_PLACE = (Status.CONFIRMED, Status.REQUESTED)

    visit = models.ForeignKey(StudyVisit, on_delete=models.CASCADE, related_name="bookings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_bookings"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # {"access_needs": str, "dietary_needs": str, "organisation": str, "extra": [{"question", "answer"}]}
    answers = models.JSONField(default=dict, blank=True)
    background_check_confirmed = models.BooleanField(default=False)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default="", blank=True)
    # the host's reason when they declined, added or removed the booking
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    feedback_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)  # the reminder before the visit
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the waiting list's order: when the member joined it (ties by key)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

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

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Feedback(models.Model):
    """One attendee's answers after the visit; shown to others only in aggregate (visits.feedback)."""

    class Usefulness(models.IntegerChoices):
        NOT_AT_ALL = 1, _("Not at all useful")
        A_LITTLE = 2, _("A little useful")
        SOMEWHAT = 3, _("Somewhat useful")
        USEFUL = 4, _("Useful")
        VERY = 5, _("Very useful")

    class Confidence(models.IntegerChoices):
        NOT_AT_ALL = 1, _("Not at all confident")
        NOT = 2, _("Not confident")
        NOT_SURE = 3, _("Not sure")
        CONFIDENT = 4, _("Confident")
        VERY = 5, _("Very confident")

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    usefulness = models.PositiveSmallIntegerField(_("how useful was the visit?"), choices=Usefulness.choices)
    confidence = models.PositiveSmallIntegerField(
        _("how confident are you to use what you saw in your own work?"), choices=Confidence.choices
    )
    comment = models.TextField(_("anything else?"), max_length=3000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5), name="feedback_usefulness_1_5"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=1, confidence__lte=5), name="feedback_confidence_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"feedback on booking {self.booking_id}"
