"""What changes visits and bookings. Each function is one event in one transaction under the visit's row
lock (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so places are never given twice and
calendar invites (the next issue) can hang on each call."""

from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext as _

from network.access import is_member
from network.outbox import queue_message

from .. import calendar, conf
from ..models import Booking, StudyVisit

__all__ = [
    "AlreadyBooked",
    "BookingError",
    "book_visit",
    "cancel_booking",
    "fill_from_waitlist",
    "locked_visit",
    "places_taken",
    "promote_waitlisted",
    "raise_sequence",
    "send_reminders",
    "tell_member",
    "visit_url",
    "waitlist_position",
]

HOLDS_A_PLACE = Booking.HOLDS_A_PLACE
EMAIL = "visits/email/"


class BookingError(Exception):
    """A booking the visit refuses, with a message to show the member."""


class AlreadyBooked(BookingError):
    """The member has an active booking for this visit already."""


def locked_visit(visit: StudyVisit) -> StudyVisit:
    """The visit, read again under its row lock (call inside a transaction)."""
    return StudyVisit.objects.select_for_update().get(pk=visit.pk)


def places_taken(visit: StudyVisit) -> int:
    return Booking.objects.filter(visit=visit, status__in=HOLDS_A_PLACE).count()


def book_visit(
    *,
    visit: StudyVisit,
    member,
    answers: dict | None = None,
    background_check_confirmed: bool = False,
    now=None,
) -> Booking:
    """A place for the member (confirmed, or requested where the host approves each), or a place on the
    waiting list when the visit is full."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            visit = locked_visit(visit)
            if not is_member(member):
                raise BookingError(_("Only members can book study visits."))
            refusal = visit.booking_refusal(now)
            if refusal:
                raise BookingError(refusal)
            if visit.requires_background_check and not background_check_confirmed:
                raise BookingError(_("This visit asks every booker to confirm a background check."))
            if Booking.objects.filter(visit=visit, member=member, status__in=Booking.ACTIVE).exists():
                raise AlreadyBooked(_("You have booked this visit already."))
            if places_taken(visit) < visit.capacity:
                status = Booking.Status.REQUESTED if visit.needs_approval else Booking.Status.CONFIRMED
            else:
                status = Booking.Status.WAITLISTED
            booking = Booking.objects.create(
                visit=visit,
                member=member,
                status=status,
                answers=answers or {},
                background_check_confirmed=background_check_confirmed,
            )
            if status == Booking.Status.CONFIRMED:  # into their calendar, in this same transaction
                tell_member(booking, visit, "confirmed", invite="REQUEST")
            return booking
    except IntegrityError:  # the same member, twice at once: the one-active-booking constraint stopped it
        raise AlreadyBooked(_("You have booked this visit already.")) from None


@transaction.atomic
def cancel_booking(*, booking: Booking, by, now=None) -> Booking:
    """The member cancels their own booking, until the visit starts; a place it held goes at once to the
    first on the waiting list."""
    now = now or timezone.now()
    visit = locked_visit(booking.visit)
    booking = Booking.objects.get(pk=booking.pk)
    if booking.member_id != by.pk:
        raise BookingError(_("That is not your booking."))
    if booking.status not in Booking.ACTIVE:
        raise BookingError(_("This booking is cancelled already."))
    if visit.starts_at <= now:
        raise BookingError(_("The visit has started: it can no longer be cancelled here."))
    held = booking.status in HOLDS_A_PLACE
    confirmed = booking.status == Booking.Status.CONFIRMED
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status", "changed_at"])
    if confirmed:  # out of their calendar; a CANCEL raises the SEQUENCE (RFC 5546), so a later REQUEST counts
        raise_sequence(visit)
        tell_member(booking, visit, "cancelled", invite="CANCEL")
    if held:
        fill_from_waitlist(visit, now=now)
    return booking


def promote_waitlisted(visit: StudyVisit) -> Booking | None:
    """The first on the waiting list who is still a member takes a free place (call under the visit's
    lock); one whose membership is suspended keeps their turn until it is restored."""
    if places_taken(visit) >= visit.capacity:
        return None
    waiting = (
        Booking.objects.filter(visit=visit, status=Booking.Status.WAITLISTED)
        .select_related("member__network_profile")
        .order_by("created_at", "pk")
    )
    first = next((booking for booking in waiting.iterator(chunk_size=20) if is_member(booking.member)), None)
    if first is None:
        return None
    first.status = Booking.Status.REQUESTED if visit.needs_approval else Booking.Status.CONFIRMED
    first.save(update_fields=["status", "changed_at"])
    return first


def send_reminders(*, now=None) -> int:
    """The periodic job: each member with a confirmed place on a visit starting within
    VISITS_REMINDER_DAYS_BEFORE days is reminded once (the booking records it in the same transaction, under
    the visit's lock, so two runs at once never both send). Returns how many were reminded."""
    now = now or timezone.now()
    soon = StudyVisit.objects.filter(
        status=StudyVisit.Status.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=conf.REMINDER_DAYS_BEFORE),
        bookings__status=Booking.Status.CONFIRMED,
        bookings__reminded_at__isnull=True,
    ).distinct()
    return sum(_remind(visit, now) for visit in soon.only("pk"))


@transaction.atomic
def _remind(visit: StudyVisit, now) -> int:
    visit = locked_visit(visit)
    bookings = list(
        Booking.objects.filter(visit=visit, status=Booking.Status.CONFIRMED, reminded_at__isnull=True)
        .select_related("member__network_profile")
        .order_by("pk")
    )
    for booking in bookings:
        tell_member(booking, visit, "reminder")
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at", "changed_at"])
    return len(bookings)


def waitlist_position(booking: Booking) -> int | None:
    if booking.status != Booking.Status.WAITLISTED:
        return None
    ahead = Booking.objects.filter(visit_id=booking.visit_id, status=Booking.Status.WAITLISTED).filter(
        created_at__lt=booking.created_at
    ) | Booking.objects.filter(
        visit_id=booking.visit_id,
        status=Booking.Status.WAITLISTED,
        created_at=booking.created_at,
        pk__lt=booking.pk,
    )
    return ahead.count() + 1


def fill_from_waitlist(
    visit: StudyVisit, *, now: datetime | None = None, every: bool = False
) -> list[Booking]:
    """Free places go to the waiting list in its order (one, or `every` that fits), each member told; not
    once the visit has started or when it is not published (call under the visit's lock)."""
    if visit.status != StudyVisit.Status.PUBLISHED or visit.starts_at <= (now or timezone.now()):
        return []
    promoted = []
    while (booking := promote_waitlisted(visit)) is not None:
        tell_member(
            booking,
            visit,
            "promoted",
            invite="REQUEST" if booking.status == Booking.Status.CONFIRMED else None,
        )
        promoted.append(booking)
        if not every:
            break
    return promoted


def raise_sequence(visit: StudyVisit) -> None:
    """The visit's calendar SEQUENCE goes up by one (call under its lock): for every change attendees'
    calendars must take as newer, a CANCEL to one of them included."""
    visit.sequence += 1
    StudyVisit.objects.filter(pk=visit.pk).update(sequence=visit.sequence)


def tell_member(booking: Booking, visit: StudyVisit, what: str, *, invite: str | None = None) -> None:
    """Email the member about their booking (visits/email/<what>_subject.txt and _body.txt), as plain text
    and HTML, through the outbox. With `invite` ("REQUEST" or "CANCEL") the email carries the calendar
    message too (an iTIP part calendars act on, and the same as an .ics file), so the member's calendar
    adds, updates or cancels the visit."""
    member = booking.member
    if not member.email:
        return
    context = {
        "booking": booking,
        "visit": visit,
        "member": member,
        "local_start": visit.local_start,
        "visit_url": visit_url(visit),
        "site_url": conf.SITE_URL,
    }
    subject = " ".join(render_to_string(f"{EMAIL}{what}_subject.txt", context).split())
    body = render_to_string(f"{EMAIL}{what}_body.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[member.email])
    message.attach_alternative(
        f"<!doctype html><html><body>{linebreaks(urlize(body))}</body></html>", "text/html"
    )
    if invite is not None:
        # from the organiser the calendar names (RFC 6047: some clients warn when they differ)
        message.from_email = f"{conf.ORGANIZER_NAME} <{conf.ORGANIZER_EMAIL}>"
        booking.visit = visit  # the calendar reads the visit as it is now
        ics = calendar.booking_invite(booking, method=invite).to_ical().decode()
        message.attach_alternative(ics, f"text/calendar; method={invite}")
        # bytes: a str attachment of a non-text type loses its non-ASCII characters on the way to base64
        message.attach("invite.ics" if invite == "REQUEST" else "cancel.ics", ics.encode(), "application/ics")
        # only the newest state of this attendee's event is worth sending: a newer one replaces any still
        # waiting (the mail server down), and none overtakes an older one being sent
        queue_message(message, supersedes_key=f"visits:calendar:{visit.calendar_uid}:{member.pk}")
        return
    queue_message(message)


def visit_url(visit: StudyVisit) -> str:
    try:
        path = visit.get_absolute_url()
    except NoReverseMatch:  # a site that mounts the listing only
        path = reverse("visits:visit_list")
    return conf.SITE_URL + path
