"""Hosts manage their attendees: approve and decline requests, add and remove people, change the number of
places, check people in on the day and write to everyone coming. Each function is one event in one
transaction under the visit's row lock; each checks that `by` manages the visit (its host, a co-host or a
moderator) and raises a `BookingError` with a message for the host otherwise. Members hear of what is done
to their booking by email, through the outbox, in the same transaction."""

from datetime import datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network import fragments
from network.access import is_member
from network.outbox import queue_templated_email

from ..access import may_manage
from ..models import MAX_CAPACITY, Booking, StudyVisit
from .booking import (
    EMAIL,
    AlreadyBooked,
    BookingError,
    fill_from_waitlist,
    locked_visit,
    places_taken,
    raise_sequence,
    tell_member,
    visit_url,
)

__all__ = [
    "MESSAGES_PER_DAY",
    "NotAllowed",
    "VisitFull",
    "add_attendee",
    "approve_booking",
    "change_capacity",
    "check_in",
    "check_in_is_open",
    "decline_booking",
    "message_attendees",
    "remove_attendee",
]

# How many messages the hosts of one visit may send its attendees in a day, all hosts together: enough for
# directions, a change of room and a thank-you, not enough to flood fifteen inboxes.
MESSAGES_PER_DAY = 10
MESSAGE_WINDOW_SECONDS = 24 * 60 * 60


class NotAllowed(BookingError):
    """`by` does not manage the visit."""


class VisitFull(BookingError):
    """Every place is taken."""


def _check_manager(by, visit: StudyVisit) -> None:
    if not may_manage(by, visit):
        raise NotAllowed(_("Only the visit's hosts and the network's moderators can manage its bookings."))


def _locked(booking: Booking, by) -> tuple[StudyVisit, Booking]:
    """The booking's visit under its row lock and the booking read again after it (its status may have
    changed since the page was shown)."""
    visit = locked_visit(StudyVisit(pk=booking.visit_id))
    _check_manager(by, visit)
    return visit, Booking.objects.select_related("member").get(pk=booking.pk)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("Please give a reason: the member is told it."))
    if len(reason) > 1000:
        raise BookingError(_("Please keep the reason to 1000 characters."))
    return reason


@transaction.atomic
def approve_booking(*, booking: Booking, by) -> Booking:
    """A request becomes a confirmed place; the member is told."""
    visit, booking = _locked(booking, by)
    if booking.status != Booking.Status.REQUESTED:
        raise BookingError(_("Only a request waiting for approval can be approved."))
    booking.status = Booking.Status.CONFIRMED
    booking.save(update_fields=["status", "changed_at"])
    tell_member(booking, visit, "approved", invite="REQUEST")
    return booking


@transaction.atomic
def decline_booking(*, booking: Booking, by, reason: str, now: datetime | None = None) -> Booking:
    """A request, or a place on the waiting list, is declined with a reason the member is told; a place the
    request held goes to the first on the waiting list."""
    reason = _reason(reason)
    visit, booking = _locked(booking, by)
    if booking.status not in (Booking.Status.REQUESTED, Booking.Status.WAITLISTED):
        raise BookingError(_("Only a request or a place on the waiting list can be declined."))
    held = booking.status == Booking.Status.REQUESTED
    booking.status = Booking.Status.DECLINED
    booking.reason = reason
    booking.save(update_fields=["status", "reason", "changed_at"])
    tell_member(booking, visit, "declined")
    if held:
        fill_from_waitlist(visit, now=now)
    return booking


@transaction.atomic
def remove_attendee(*, booking: Booking, by, reason: str, now: datetime | None = None) -> Booking:
    """A confirmed attendee is removed, before the visit starts, with a reason they are told; their place
    goes to the first on the waiting list."""
    now = now or timezone.now()
    reason = _reason(reason)
    visit, booking = _locked(booking, by)
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a confirmed attendee can be removed."))
    if visit.starts_at <= now:
        raise BookingError(_("The visit has started: mark whether they came instead."))
    booking.status = Booking.Status.REMOVED
    booking.reason = reason
    booking.save(update_fields=["status", "reason", "changed_at"])
    raise_sequence(visit)  # a CANCEL raises the SEQUENCE (RFC 5546)
    tell_member(booking, visit, "removed", invite="CANCEL")
    fill_from_waitlist(visit, now=now)
    return booking


@transaction.atomic
def add_attendee(*, visit: StudyVisit, member, by, reason: str = "", now: datetime | None = None) -> Booking:
    """A host gives a member a confirmed place themselves (someone who asked by phone, a colleague), never
    beyond the visit's places; the member is told."""
    now = now or timezone.now()
    visit = locked_visit(visit)
    _check_manager(by, visit)
    reason = (reason or "").strip()[:1000]
    if not is_member(member):
        raise BookingError(_("Only members can be added to a visit."))
    if visit.status == StudyVisit.Status.DRAFT:
        raise BookingError(_("Publish the visit before you add people to it."))
    if visit.status != StudyVisit.Status.PUBLISHED or visit.ends_at <= now:
        raise BookingError(_("This visit is over or cancelled: nobody can be added to it."))
    active = Booking.objects.filter(visit=visit, member=member, status__in=Booking.ACTIVE).first()
    if active is not None:
        raise AlreadyBooked(
            _("They have a booking for this visit already (%(status)s).")
            % {"status": active.get_status_display()}
        )
    taken = places_taken(visit)
    if taken >= visit.capacity:
        raise VisitFull(
            _(
                "The visit is full (%(taken)d of %(capacity)d places taken). Add a place first, or approve "
                "someone from the waiting list."
            )
            % {"taken": taken, "capacity": visit.capacity}
        )
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                visit=visit, member=member, status=Booking.Status.CONFIRMED, added_by=by, reason=reason
            )
    except IntegrityError:  # they booked at this very moment: the one-active-booking constraint held
        raise AlreadyBooked(_("They have a booking for this visit already.")) from None
    tell_member(booking, visit, "added", invite="REQUEST")
    return booking


@transaction.atomic
def change_capacity(*, visit: StudyVisit, capacity: int, by, now: datetime | None = None) -> list[Booking]:
    """Set the number of places. Never below the places taken (confirmed or waiting for approval); more
    places go at once to the waiting list, in its order. Returns the bookings promoted. (Calendars do not
    show places, so the visit's sequence stays.)"""
    visit = locked_visit(visit)
    _check_manager(by, visit)
    if not 1 <= capacity <= MAX_CAPACITY:
        raise BookingError(_("A visit has between 1 and %(max)d places.") % {"max": MAX_CAPACITY})
    taken = places_taken(visit)
    if capacity < taken:
        raise BookingError(
            ngettext(
                "%(taken)d person holds a place on this visit (confirmed or waiting for approval), so it "
                "needs at least %(taken)d place. Remove or decline someone first.",
                "%(taken)d people hold places on this visit (confirmed or waiting for approval), so it "
                "needs at least %(taken)d places. Remove or decline someone first.",
                taken,
            )
            % {"taken": taken}
        )
    StudyVisit.objects.filter(pk=visit.pk).update(capacity=capacity)  # save() would re-render Markdown
    fragments.bump("visits")  # update() sends no signal: kept pages show the places
    visit.capacity = capacity
    return fill_from_waitlist(visit, now=now, every=True)


def check_in_is_open(visit: StudyVisit, *, now: datetime | None = None) -> bool:
    """Check-in opens on the visit's day, in the visit's own time zone, and stays open after it."""
    today = timezone.localdate(now or timezone.now(), visit.zone)
    return today >= visit.local_start.date()


@transaction.atomic
def check_in(*, booking: Booking, by, attendance: str, now: datetime | None = None) -> Booking:
    """Record whether a confirmed attendee came ("attended", "no_show", or "" to clear it)."""
    if attendance not in Booking.Attendance.values:
        raise BookingError(_("Choose whether they attended or did not come."))
    visit, booking = _locked(booking, by)
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only confirmed attendees can be checked in."))
    if not check_in_is_open(visit, now=now):
        raise BookingError(_("Check-in opens on the day of the visit."))
    booking.attendance = attendance
    booking.save(update_fields=["attendance", "changed_at"])
    return booking


@transaction.atomic
def message_attendees(*, visit: StudyVisit, by, subject: str, body: str) -> int:
    """One email to each confirmed attendee, replies going to the writer (and the host); returns how many
    were written. A visit's hosts together send at most MESSAGES_PER_DAY a day."""
    visit = locked_visit(visit)
    _check_manager(by, visit)
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    if not subject or not body:
        raise BookingError(_("Please write a subject and a message."))
    if len(subject) > 200 or len(body) > 5000:
        raise BookingError(_("Please keep the subject to 200 characters and the message to 5000."))
    key = f"visits:messages:{visit.pk}:{int(timezone.now().timestamp()) // MESSAGE_WINDOW_SECONDS}"
    if cache.get(key, 0) >= MESSAGES_PER_DAY:
        raise BookingError(
            _("This visit's attendees have had %(count)d messages today: please send the next one tomorrow.")
            % {"count": MESSAGES_PER_DAY}
        )
    emails = list(
        Booking.objects.filter(visit=visit, status=Booking.Status.CONFIRMED)
        .exclude(member__email="")
        .order_by("created_at", "pk")
        .values_list("member__email", flat=True)
    )
    host_email = visit.host.email if visit.host_id else ""  # no host: a former member's deleted account
    reply_to = list(dict.fromkeys(e for e in (by.email, host_email) if e))
    context = {"visit": visit, "sender": by, "message": body, "visit_url": visit_url(visit)}
    for email in emails:
        queue_templated_email(
            template_prefix=f"{EMAIL}host_message",
            context={**context, "subject": subject},
            to=[email],
            reply_to=reply_to,
        )
    if emails:
        transaction.on_commit(lambda: _count_message(key))
    return len(emails)


def _count_message(key: str) -> None:
    cache.add(key, 0, MESSAGE_WINDOW_SECONDS + 60)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, MESSAGE_WINDOW_SECONDS + 60)
