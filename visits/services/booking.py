"""What changes visits and bookings. Each function is one event in one transaction under the visit's row
lock (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so places are never given twice and
calendar invites (the next issue) can hang on each call."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from network.access import is_member
from network.outbox import queue_templated_email

from .. import conf
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
            return Booking.objects.create(
                visit=visit,
                member=member,
                status=status,
                answers=answers or {},
                background_check_confirmed=background_check_confirmed,
            )
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
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status", "changed_at"])
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
        tell_member(booking, visit, "promoted")
        promoted.append(booking)
        if not every:
            break
    return promoted


def tell_member(booking: Booking, visit: StudyVisit, what: str) -> None:
    """Email the member about their booking (visits/email/<what>_subject.txt and _body.txt)."""
    member = booking.member
    if not member.email:
        return
    queue_templated_email(
        template_prefix=f"{EMAIL}{what}",
        context={
            "booking": booking,
            "visit": visit,
            "member": member,
            "local_start": visit.local_start,
            "visit_url": visit_url(visit),
            "site_url": conf.SITE_URL,
        },
        to=[member.email],
    )


def visit_url(visit: StudyVisit) -> str:
    try:
        path = visit.get_absolute_url()
    except NoReverseMatch:  # a site that mounts the listing only
        path = reverse("visits:visit_list")
    return conf.SITE_URL + path
