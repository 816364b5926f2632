"""Hosts offer visits: create, change, publish, cancel and complete. A change attendees must know about
(time, place, what happens) raises the visit's calendar sequence and tells them, in the same transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network import fragments
from network.services.moderation import may_decide

from ..access import is_host, may_change, may_manage
from ..models import OFFER_FIELDS, Booking, StudyVisit
from ..pages import page_details
from .booking import BookingError, locked_visit, tell_member

__all__ = [
    "NOTICED_FIELDS",
    "OfferingError",
    "cancel_visit",
    "complete_visit",
    "copy_page_details",
    "create_visit",
    "hand_on_visit",
    "publish_visit",
    "refresh_page_details",
    "update_visit",
]

# what an attendee's calendar or plans depend on: a change to any of them on a published visit is news
NOTICED_FIELDS = (
    "page",
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue",
    "address",
    "meeting_point",
    "description",
    "agenda",
    "travel_and_access",
)


EDITABLE_FIELDS = (*OFFER_FIELDS, "extra_questions")  # what update_visit copies from the offer form


class OfferingError(BookingError):
    """A change to a visit that is not allowed, with a message for the host."""


def _check_manager(by, visit: StudyVisit) -> None:
    """`by` may change the visit; None is the site itself (a departing host's visits are cancelled so)."""
    if by is not None and not may_change(by, visit):
        raise OfferingError(_("Only the visit's hosts, the network's moderators and editors can change it."))


def copy_page_details(visit: StudyVisit) -> None:
    """The page's region and themes onto the visit, which the list filters on."""
    details = page_details(visit.page)
    visit.region = details.region
    visit.save(update_fields=["region"])
    visit.themes.set(details.theme_ids)


def refresh_page_details(*, page) -> int:
    """After the page is published again: its visits follow its region and themes. The number refreshed."""
    visits = list(StudyVisit.objects.filter(page_id=page.pk))
    for visit in visits:
        copy_page_details(visit)
    return len(visits)


@transaction.atomic
def create_visit(*, visit: StudyVisit, by, co_hosts=()) -> StudyVisit:
    """Save a new visit as a draft, hosted by `by` (a host or a moderator)."""
    if not is_host(by):
        raise OfferingError(_("Only hosts can offer study visits."))
    visit.host = by
    visit.status = StudyVisit.Status.DRAFT
    visit.save()
    visit.co_hosts.set([person for person in co_hosts if person.pk != by.pk])
    copy_page_details(visit)
    return visit


@transaction.atomic
def update_visit(*, visit: StudyVisit, by, changed: list[str], co_hosts=None, now=None) -> StudyVisit:
    """Save the host's edits: `visit` carries them and `changed` names the fields that changed; only those
    are copied onto the visit as it is now, under its lock, so what others changed meanwhile (places, the
    write-up) stays. On a published visit, news for attendees raises the calendar sequence and tells
    everyone booked. Only those who manage the visit choose its co-hosts (not editors: co-hosts see
    attendees)."""
    current = locked_visit(visit)
    _check_manager(by, current)
    if current.status in (StudyVisit.Status.CANCELLED, StudyVisit.Status.COMPLETED):
        raise OfferingError(_("A cancelled or completed visit can no longer be changed."))
    fields = [name for name in changed if name in EDITABLE_FIELDS]
    if "capacity" in fields and current.status != StudyVisit.Status.DRAFT:
        raise OfferingError(_("Change the places of a published visit on its attendees page."))
    for name in fields:
        setattr(current, name, getattr(visit, name))
    noticed = [name for name in fields if name in NOTICED_FIELDS]
    if current.status == StudyVisit.Status.PUBLISHED and noticed:
        current.sequence += 1
        current.changed_at = now or timezone.now()
        fields += ["sequence", "changed_at"]
    if fields:
        current.save(update_fields=fields)
    if co_hosts is not None:
        chosen = {person.pk for person in co_hosts if person.pk != current.host_id}
        if chosen != set(current.co_hosts.values_list("pk", flat=True)):
            if by is not None and not may_manage(by, current):
                raise OfferingError(
                    _("Only the visit's hosts and the network's moderators choose its co-hosts.")
                )
            current.co_hosts.set(chosen)
    if "page" in fields:
        copy_page_details(current)
    if current.status == StudyVisit.Status.PUBLISHED and noticed:
        _tell_attendees(current, "visit_changed", Booking.ACTIVE, invite="REQUEST")
    return current


@transaction.atomic
def hand_on_visit(*, visit: StudyVisit, host, by) -> StudyVisit:
    """A moderator gives the visit a new host, who must hold the host role; the old host leaves it (by None:
    the site, when a host's account is deleted)."""
    visit = locked_visit(visit)
    if by is not None and not may_decide(by):
        raise OfferingError(_("Only the network's moderators hand a visit on to another host."))
    if not is_host(host):
        raise OfferingError(_("Only a member with the host role can host a visit."))
    visit.host = host
    visit.save(update_fields=["host"])
    visit.co_hosts.remove(host)
    return visit


@transaction.atomic
def publish_visit(*, visit: StudyVisit, by, now=None) -> StudyVisit:
    now = now or timezone.now()
    visit = locked_visit(visit)
    _check_manager(by, visit)
    if visit.status != StudyVisit.Status.DRAFT:
        raise OfferingError(_("Only a draft can be published."))
    if visit.starts_at <= now:
        raise OfferingError(_("This visit's start has passed: change the date before publishing it."))
    visit.status, visit.published_at = StudyVisit.Status.PUBLISHED, now
    visit.save(update_fields=["status", "published_at"])
    return visit


@transaction.atomic
def cancel_visit(*, visit: StudyVisit, by, reason: str, now=None) -> StudyVisit:
    """Cancel a published visit: every active booking ends, and everyone who had one is told why."""
    now = now or timezone.now()
    visit = locked_visit(visit)
    _check_manager(by, visit)
    if visit.status != StudyVisit.Status.PUBLISHED:
        raise OfferingError(_("Only a published visit can be cancelled."))
    if visit.ends_at <= now:
        raise OfferingError(_("This visit has ended: mark it completed instead."))
    if not reason.strip():
        raise OfferingError(_("Say why the visit is cancelled: everyone booked will read it."))
    visit.status, visit.cancelled_reason = StudyVisit.Status.CANCELLED, reason.strip()
    visit.sequence += 1
    visit.changed_at = now
    visit.save(update_fields=["status", "cancelled_reason", "sequence", "changed_at"])
    told = _tell_attendees(visit, "visit_cancelled", Booking.ACTIVE, invite="CANCEL")
    Booking.objects.filter(pk__in=told).update(
        status=Booking.Status.CANCELLED, reason=_("The visit was cancelled."), changed_at=now
    )
    fragments.bump("visits")  # update() sends no signal
    return visit


@transaction.atomic
def complete_visit(*, visit: StudyVisit, by, now=None) -> StudyVisit:
    now = now or timezone.now()
    visit = locked_visit(visit)
    _check_manager(by, visit)
    if visit.status != StudyVisit.Status.PUBLISHED or visit.starts_at > now:
        raise OfferingError(_("Only a published visit that has started can be marked completed."))
    visit.status = StudyVisit.Status.COMPLETED
    visit.save(update_fields=["status"])
    return visit


def _tell_attendees(visit: StudyVisit, template: str, statuses, *, invite: str) -> list[int]:
    """One email per booked member through the outbox, with the calendar message (`invite`) for those
    whose calendars hold the visit (confirmed places); the bookings told, by key."""
    bookings = list(visit.bookings.filter(status__in=statuses).select_related("member__network_profile"))
    for booking in bookings:
        tell_member(
            booking, visit, template, invite=invite if booking.status == Booking.Status.CONFIRMED else None
        )
    return [booking.pk for booking in bookings]
