"""Calendar data for study visits (RFC 5545 with iTIP methods, RFC 5546), built with icalendar as pure
functions: an invite, update or cancellation for one attendee, and feeds of many visits.

The UID never changes for a visit, so calendars update the event instead of adding a copy; SEQUENCE is the
visit's, raised by every change attendees must see (visits.services.offering). icalendar escapes and folds
the text (commas, semicolons, backslashes, newlines, 75-octet lines without splitting a character), and a
value cannot start a line of its own: a title with CR LF in it stays inside its property."""

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from . import conf
from .models import Booking, StudyVisit

PRODID = "-//Coproduce//Study visits//EN"


def uid(visit: StudyVisit) -> str:
    return f"{visit.calendar_uid}@{conf.CALENDAR_DOMAIN}"


def visit_url(visit: StudyVisit) -> str:
    return conf.SITE_URL + visit.get_absolute_url()


def notes(visit: StudyVisit) -> str:
    """What the event's notes say (Outlook shows the email's body instead: it says the same)."""
    parts = [f"When: {visit.when}", visit.description]
    if visit.meeting_point:
        parts.append(f"Meeting point: {visit.meeting_point}")
    parts.append(f"Where: {visit.venue}, {_one_line(visit.address)}")
    if visit.travel_and_access:
        parts.append(f"Travel and access: {visit.travel_and_access}")
    parts.append(f"Your booking and the visit's page: {visit_url(visit)}")
    return "\n\n".join(part.strip() for part in parts if part.strip())


def visit_event(
    visit: StudyVisit,
    *,
    cancelled: bool = False,
    stamp: datetime | None = None,
    organizer_name: str | None = None,
) -> Event:
    """The visit as one VEVENT, with no attendee: for feeds, and the base of every invite."""
    event = Event()
    event.add("uid", uid(visit))
    event.add("sequence", visit.sequence)
    event.add("dtstamp", _utc(stamp))
    # In UTC, which every calendar reads alike: a VTIMEZONE listing each change as an RDATE (what icalendar
    # writes) is misread by some readers (dateutil, so vobject, put the end of a visit over the October change
    # an hour early); the times shown are the reader's own, and the notes give the visit's (`when`).
    event.add("dtstart", _utc(visit.starts_at))
    event.add("dtend", _utc(visit.ends_at))
    event.add("summary", _one_line(visit.title))
    event.add("description", notes(visit))
    event.add("location", f"{visit.venue}, {_one_line(visit.address)}")
    event.add("url", visit_url(visit))
    organizer = vCalAddress(f"mailto:{conf.ORGANIZER_EMAIL}")
    organizer.params["cn"] = vText(_one_line(organizer_name or host_name(visit)))
    event.add("organizer", organizer)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def booking_invite(booking: Booking, *, method: str = "REQUEST", stamp: datetime | None = None) -> Calendar:
    """One iTIP message about a booked visit for one attendee: REQUEST (a new place, or an update with a
    higher SEQUENCE) or CANCEL (their place, or the whole visit, is cancelled)."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    visit = booking.visit
    cancelled = method == "CANCEL"
    event = visit_event(visit, cancelled=cancelled, stamp=stamp)
    attendee = vCalAddress(f"mailto:{booking.member.email}")
    attendee.params["cn"] = vText(_one_line(member_name(booking.member)))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    return _calendar([event], method=method)


def feed(visits, *, name: str, stamp: datetime | None = None) -> Calendar:
    """A subscription calendar (no METHOD): the same UIDs as the invites, cancelled visits as cancelled."""
    # feeds and downloads reach people who may not read profiles: the site, not the host, organises
    events = [
        visit_event(
            v,
            cancelled=v.status == StudyVisit.Status.CANCELLED,
            stamp=stamp,
            organizer_name=conf.ORGANIZER_NAME,
        )
        for v in visits
    ]
    calendar = _calendar(events, method=None)
    calendar.add("x-wr-calname", name)
    return calendar


def google_calendar_url(visit: StudyVisit) -> str:
    query = {
        "action": "TEMPLATE",
        "text": visit.title,
        "dates": f"{_utc(visit.starts_at):%Y%m%dT%H%M%SZ}/{_utc(visit.ends_at):%Y%m%dT%H%M%SZ}",
        "details": notes(visit),
        "location": f"{visit.venue}, {_one_line(visit.address)}",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_url(visit: StudyVisit) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": visit.title,
        "startdt": _utc(visit.starts_at).isoformat().replace("+00:00", "Z"),
        "enddt": _utc(visit.ends_at).isoformat().replace("+00:00", "Z"),
        "body": notes(visit),
        "location": f"{visit.venue}, {_one_line(visit.address)}",
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)


def host_name(visit: StudyVisit) -> str:
    profile = getattr(visit.host, "network_profile", None) if visit.host_id else None
    return str(profile) if profile else conf.ORGANIZER_NAME


def member_name(member) -> str:
    profile = getattr(member, "network_profile", None)
    return str(profile) if profile else member.get_full_name() or member.email


def _calendar(events: list[Event], *, method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    return calendar


def _utc(moment: datetime | None) -> datetime:
    return (moment or timezone.now()).astimezone(UTC)


def _one_line(text: str) -> str:
    """Properties that are one line in every calendar (a title, a name) get no line breaks."""
    return " ".join(str(text).split())
