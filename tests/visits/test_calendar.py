"""Calendar invites: every calendar message visits writes is read back by icalendar and by vobject (an
independent parser), and checked as a real SMTP server receives it. A booking adds the visit to the
member's calendar; a change updates it (same UID, higher SEQUENCE); a cancellation removes it."""

from datetime import datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.core import mail
from django.utils import timezone

from tests.factories import HostFactory, MemberFactory, StudyVisitFactory
from visits import calendar, services
from visits.models import Booking

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def invites(to: str) -> list[tuple[str, str]]:
    """(method, calendar text) of each calendar part sent to `to`, in order."""
    found = []
    for message in mail.outbox:
        if to not in message.to:
            continue
        for content, mimetype in message.alternatives:
            if mimetype.startswith("text/calendar"):
                found.append((mimetype.split("method=")[1], content))
    return found


def both_parsers(text: str) -> tuple:
    """The one VEVENT as icalendar and as vobject read it; they must agree on what matters."""
    ours = icalendar.Calendar.from_ical(text)
    (event,) = ours.walk("VEVENT")
    theirs = vobject.readOne(text)
    other = theirs.vevent
    assert str(event["UID"]) == other.uid.value
    assert int(event["SEQUENCE"]) == int(other.sequence.value)
    assert event.decoded("DTSTART") == other.dtstart.value and event.decoded("DTEND") == other.dtend.value
    assert str(event["SUMMARY"]) == other.summary.value
    assert str(ours.get("METHOD", "")) == (theirs.method.value if hasattr(theirs, "method") else "")
    return ours, event, other


@pytest.fixture
def visit(home_page):
    start = datetime(timezone.now().year + 1, 6, 10, 9, 30, tzinfo=LONDON)
    return StudyVisitFactory(
        page=home_page,
        host=HostFactory(profile__display_name="Tom Breslin"),
        title="A morning at a GP-linked time bank",
        starts_at=start,
        ends_at=start + timedelta(hours=3, minutes=30),
        capacity=1,
        meeting_point="The surgery's front door",
    )


def test_a_confirmed_place_brings_an_invite_both_parsers_read_alike(visit, run_on_commit):
    member = MemberFactory(email="amara@example.org", profile__display_name="Amara Okafor")

    with run_on_commit():
        services.book_visit(visit=visit, member=member)

    ((method, text),) = invites("amara@example.org")
    ours, event, other = both_parsers(text)
    assert method == "REQUEST" and str(ours["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == calendar.uid(visit) and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == visit.starts_at and event.decoded("DTSTART").utcoffset() == timedelta(
        0
    )
    assert visit.when in str(event["DESCRIPTION"])  # the visit's own times, in the notes
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]).startswith("mailto:") and event["ORGANIZER"].params["CN"] == "Tom Breslin"
    assert str(event["ATTENDEE"]) == "mailto:amara@example.org"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert "The surgery's front door" in str(event["DESCRIPTION"]) and visit.venue in str(event["LOCATION"])
    assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    message = mail.outbox[-1]
    assert message.subject.startswith("Confirmed: study visit to") and "10 June" in message.subject
    assert [a[0] for a in message.attachments] == ["invite.ics"]


def test_a_change_of_time_updates_the_calendar_and_a_cancellation_removes_it(visit, run_on_commit):
    member = MemberFactory(email="amara@example.org")
    waiting = MemberFactory(email="waiting@example.org")
    with run_on_commit():  # each its own transaction, delivered before the next, as on the site
        booking = services.book_visit(visit=visit, member=member)
    with run_on_commit():
        services.book_visit(visit=visit, member=waiting)
    with run_on_commit():
        visit.starts_at += timedelta(hours=1)
        visit.ends_at += timedelta(hours=1)
        services.update_visit(visit=visit, by=visit.host, changed=["starts_at", "ends_at"])
    with run_on_commit():
        services.cancel_booking(booking=Booking.objects.get(pk=booking.pk), by=member)

    sent = invites("amara@example.org")
    assert [method for method, _ in sent] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [both_parsers(text)[1] for _, text in sent]
    assert len({str(event["UID"]) for event in events}) == 1
    assert [int(event["SEQUENCE"]) for event in events] == [0, 1, 2]  # a CANCEL raises it too
    assert events[1].decoded("DTSTART").astimezone(LONDON).hour == 10
    assert str(events[2]["STATUS"]) == "CANCELLED"
    # the waiting member had no calendar entry to update: told by plain email; promoted now, invited
    waiting_sent = invites("waiting@example.org")
    assert [method for method, _ in waiting_sent] == ["REQUEST"]
    assert int(both_parsers(waiting_sent[0][1])[1]["SEQUENCE"]) == 2


def test_cancelling_the_visit_cancels_every_attendees_event(visit, run_on_commit):
    visit.capacity = 2
    visit.save()
    members = [MemberFactory(email=f"m{n}@example.org") for n in range(2)]
    for member in members:
        services.book_visit(visit=visit, member=member)
    mail.outbox.clear()

    with run_on_commit():
        services.cancel_visit(visit=visit, by=visit.host, reason="The centre is flooded.")

    for member in members:
        ((method, text),) = invites(member.email)
        _, event, _ = both_parsers(text)
        assert method == "CANCEL" and str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_a_visit_over_the_october_clock_change_lasts_25_hours_and_other_zones_keep_their_own(home_page):
    year = timezone.now().year + 1
    sunday = max(d for d in range(25, 32) if datetime(year, 10, d).weekday() == 6)
    start = datetime(year, 10, sunday - 1, 10, 0, tzinfo=LONDON)
    long_visit = StudyVisitFactory(
        page=home_page, starts_at=start, ends_at=datetime(year, 10, sunday, 10, 0, tzinfo=LONDON)
    )
    auckland = ZoneInfo("Pacific/Auckland")
    far = StudyVisitFactory(
        page=home_page,
        time_zone="Pacific/Auckland",
        starts_at=datetime(year, 1, 2, 8, 0, tzinfo=auckland),
        ends_at=datetime(year, 1, 2, 12, 0, tzinfo=auckland),
    )

    for visit, zone, hours in ((long_visit, LONDON, 25), (far, auckland, 4)):
        text = calendar.feed([visit], name="test").to_ical().decode()
        _, event, other = both_parsers(text)
        for start, end in (
            (event.decoded("DTSTART"), event.decoded("DTEND")),
            (other.dtstart.value, other.dtend.value),
        ):
            assert end - start == timedelta(hours=hours)
            assert start == visit.starts_at and start.astimezone(zone).hour == visit.local_start.hour


def test_titles_and_notes_cannot_add_lines_and_long_text_folds_without_splitting_characters(visit):
    visit.title = "Café; visite à Montréal, \\ étude\r\nATTENDEE:mailto:evil@example.org"
    visit.description = (
        "Rencontre avec les pairs aidants — ✓ " * 20
    ) + "\r\nORGANIZER:mailto:evil@example.org"
    visit.save()
    booking = Booking(visit=visit, member=MemberFactory(email="amara@example.org"), status="confirmed")

    text = calendar.booking_invite(booking).to_ical()

    lines = text.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    text.decode("utf-8")  # every folded line is whole UTF-8: no character split
    for line in lines:
        line.decode("utf-8")
    _, event, other = both_parsers(text.decode())
    assert not isinstance(event.get("ATTENDEE"), list)  # icalendar too reads exactly one attendee
    assert len(other.contents["attendee"]) == 1 and other.attendee.value == "mailto:amara@example.org"
    assert len(other.contents["organizer"]) == 1 and "evil" not in other.organizer.value
    assert other.summary.value == "Café; visite à Montréal, \\ étude ATTENDEE:mailto:evil@example.org"
    assert "ORGANIZER:mailto:evil" in other.description.value  # kept as text, not as a property


@pytest.mark.smtp
def test_the_invite_arrives_over_smtp_as_calendars_expect_it(visit, smtp_server, run_on_commit):
    visit.venue = "Café Marée"
    visit.save()
    with run_on_commit():
        services.book_visit(visit=visit, member=MemberFactory(email="amara@example.org"))

    (message,) = smtp_server.messages
    assert "<visits@coproduce.localhost>" in message["From"]  # the ORGANIZER's address
    assert isinstance(message, EmailMessage) and message.get_content_type() == "multipart/mixed"
    alternative = next(
        part for part in message.iter_parts() if part.get_content_type() == "multipart/alternative"
    )
    kinds = [part.get_content_type() for part in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    part = list(alternative.iter_parts())[2]
    assert part.get_param("method") == "REQUEST" and part.get_content_charset() == "utf-8"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    attached = attachment.get_content()
    attached = attached.decode("utf-8") if isinstance(attached, bytes) else attached
    assert attached == part.get_content()  # the same calendar, every character intact
    assert "–" in attached and "Café" in attached


def test_the_visit_page_offers_the_visit_for_any_calendar_without_attendees(client, visit, make_exemplar):
    from django.urls import reverse

    booked = MemberFactory(email="amara@example.org")
    services.book_visit(visit=visit, member=booked)
    draft = StudyVisitFactory(page=visit.page, status="draft")
    hidden = StudyVisitFactory(page=make_exemplar("Closed pilot", members_only=True))

    page = client.get(visit.get_absolute_url()).text
    response = client.get(reverse("visits:visit_ics", args=[visit.pk]))
    refused = [client.get(reverse("visits:visit_ics", args=[v.pk])).status_code for v in (draft, hidden)]

    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    _, event, _ = both_parsers(text)
    assert str(event["UID"]) == calendar.uid(visit) and "ATTENDEE" not in text and "amara" not in text
    assert refused == [404, 404]
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in page and "outlook.live.com" in page
    assert f"{visit.starts_at.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%S}Z" in page


def test_a_members_private_feed_holds_their_visits_and_nothing_of_anyone_else(client, visit, make_exemplar):
    from django.urls import reverse

    amara = MemberFactory(email="amara@example.org", profile__feed_key="amara-secret-key-0123456789")
    dele = MemberFactory(email="dele@example.org", profile__feed_key="dele-secret-key-0123456789")
    other = StudyVisitFactory(page=visit.page, title="Dele's visit")
    services.book_visit(visit=visit, member=amara)
    services.book_visit(visit=other, member=dele)

    mine = client.get(reverse("visits:member_feed", args=["amara-secret-key-0123456789"]))
    again = client.get(
        reverse("visits:member_feed", args=["amara-secret-key-0123456789"]), HTTP_IF_NONE_MATCH=mine["ETag"]
    )
    amara.network_profile.feed_key = "renewed-key-0123456789"
    amara.network_profile.save()
    revoked = client.get(
        reverse("visits:member_feed", args=["amara-secret-key-0123456789"]), HTTP_IF_NONE_MATCH=mine["ETag"]
    )

    text = mine.content.decode()
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [calendar.uid(visit)]  # the invite's UID
    assert "Dele" not in text and "dele@example.org" not in text and "ATTENDEE" not in text
    assert vobject.readOne(text).vevent.uid.value == calendar.uid(visit)
    assert again.status_code == 304 and revoked.status_code == 404
    theirs = client.get(reverse("visits:member_feed", args=["dele-secret-key-0123456789"])).content.decode()
    assert "Dele's visit" in theirs and visit.title not in theirs  # kept per member, never passed on


def test_the_public_feed_lists_upcoming_public_visits_without_attendees(client, visit, make_exemplar):
    from django.urls import reverse

    services.book_visit(visit=visit, member=MemberFactory(email="amara@example.org"))
    hidden = StudyVisitFactory(
        page=make_exemplar("Closed pilot", members_only=True), title="Closed pilot day"
    )
    StudyVisitFactory(page=visit.page, status="draft", title="A draft")

    first = client.get(reverse("visits:public_feed"))
    unchanged = client.get(reverse("visits:public_feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    services.cancel_visit(visit=visit, by=visit.host, reason="Flooded")
    changed = client.get(reverse("visits:public_feed"), HTTP_IF_NONE_MATCH=first["ETag"])

    text = first.content.decode()
    assert visit.title in text and hidden.title not in text and "A draft" not in text
    assert "amara" not in text and "ATTENDEE" not in text
    assert unchanged.status_code == 304 and changed.status_code == 200
    (event,) = icalendar.Calendar.from_ical(changed.content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_each_confirmed_member_is_reminded_once_two_days_before(visit, run_on_commit):
    from django.core.management import call_command

    visit.capacity = 3
    visit.save()
    coming = MemberFactory(email="coming@example.org")
    services.book_visit(visit=visit, member=coming)
    gone = services.book_visit(visit=visit, member=MemberFactory(email="gone@example.org"))
    services.cancel_booking(booking=gone, by=gone.member)
    later = StudyVisitFactory(
        page=visit.page,
        starts_at=visit.starts_at + timedelta(days=5),
        ends_at=visit.ends_at + timedelta(days=5),
    )
    services.book_visit(visit=later, member=MemberFactory(email="later@example.org"))
    mail.outbox.clear()
    two_days_before = visit.starts_at - timedelta(days=2, hours=-1)

    with run_on_commit():
        first = services.send_reminders(now=two_days_before)
        second = services.send_reminders(now=two_days_before + timedelta(minutes=1))
    call_command("periodic", verbosity=0)  # the registered job finds nothing more to send

    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder: ")]
    assert (first, second) == (1, 0)
    assert [m.to for m in reminders] == [["coming@example.org"]] and visit.when in reminders[0].body


@pytest.mark.smtp
def test_while_the_mail_server_is_down_only_the_newest_invite_waits_and_arrives_once(
    visit, smtp_server, run_on_commit
):
    from network import outbox
    from network.models import OutboxMessage

    smtp_server.stop()
    with run_on_commit():
        services.book_visit(visit=visit, member=MemberFactory(email="amara@example.org"))
    for hours in (1, 2):  # two changes of time while the server is down
        with run_on_commit():
            moved = type(visit).objects.get(pk=visit.pk)
            moved.starts_at += timedelta(hours=hours)
            moved.ends_at += timedelta(hours=hours)
            services.update_visit(visit=moved, by=visit.host, changed=["starts_at", "ends_at"])

    waiting = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    assert waiting.count() == 1
    smtp_server.start()
    later = max(row.next_attempt_at for row in waiting) + timedelta(seconds=1)
    outbox.retry_due(now=later)
    outbox.retry_due(now=later + timedelta(hours=1))  # a second pass (a retry) sends nothing again

    invites_received = [m for m in smtp_server.messages if "amara@example.org" in m["To"]]
    (message,) = invites_received
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    _, event, _ = both_parsers(part.get_content())
    assert int(event["SEQUENCE"]) == 2 and str(event["UID"]) == calendar.uid(visit)
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SUPERSEDED).count() == 2


def test_an_update_never_overtakes_an_older_one_being_sent(visit, run_on_commit):
    from network import outbox
    from network.models import OutboxMessage

    services.book_visit(visit=visit, member=MemberFactory(email="amara@example.org"))  # not yet delivered
    older = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=older.pk).update(status=OutboxMessage.Status.SENDING)  # a worker has it
    visit.title = "A new title"
    services.update_visit(visit=visit, by=visit.host, changed=["title"])
    newer = OutboxMessage.objects.exclude(pk=older.pk).get()

    sent = outbox.deliver(message_id=newer.pk)

    newer.refresh_from_db()
    assert not sent and newer.status == OutboxMessage.Status.PENDING and mail.outbox == []


def test_an_older_invite_put_back_by_a_failure_is_never_sent_after_a_newer_one(visit):
    from network import outbox
    from network.models import OutboxMessage

    services.book_visit(visit=visit, member=MemberFactory(email="amara@example.org"))
    older = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=older.pk).update(status=OutboxMessage.Status.SENDING)  # being sent
    visit.title = "A new title"
    services.update_visit(visit=visit, by=visit.host, changed=["title"])
    OutboxMessage.objects.filter(pk=older.pk).update(status=OutboxMessage.Status.PENDING)  # its send failed

    newer = OutboxMessage.objects.exclude(pk=older.pk).get()
    assert outbox.deliver(message_id=newer.pk) and not outbox.deliver(message_id=older.pk)

    older.refresh_from_db()
    assert older.status == OutboxMessage.Status.SUPERSEDED
    assert [m.subject for m in mail.outbox] == [newer.subject]


def test_feeds_name_the_site_not_the_host_as_organiser(client, visit):
    from django.urls import reverse

    text = client.get(reverse("visits:public_feed")).content.decode()

    assert (
        "Tom Breslin" not in text
        and "Tom Breslin" not in client.get(reverse("visits:visit_ics", args=[visit.pk])).text
    )
