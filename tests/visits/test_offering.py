"""Hosts offer visits on the site: the form's checks (time zones and daylight saving, dates, places), drafts,
publishing, changes that attendees hear about, cancelling and completing."""

from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from network.models import Theme
from tests.factories import BookingFactory, HostFactory, MemberFactory, ModeratorFactory, StudyVisitFactory
from visits import services
from visits.models import Booking, StudyVisit

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def exemplar(make_exemplar):
    Theme.objects.create(name="Peer support", slug="peer-support")
    return make_exemplar("Mental health peer-support network", region="south_west", themes=["peer-support"])


def next_year(month: int, day: int, hour: int, minute: int = 0) -> str:
    return f"{timezone.now().year + 1}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"


def days_ago(days: int, clock: str) -> str:
    return f"{(timezone.localdate() - timedelta(days=days)).isoformat()}T{clock}"


def last_sunday(month: int) -> int:
    year = timezone.now().year + 1
    day = max(d for d in range(25, 32) if datetime(year, month, d).weekday() == 6)
    return day


def offer(exemplar, **changes) -> dict:
    data = {
        "page": exemplar.pk,
        "title": "A day with the peer-support network",
        "description": "Meet the peer workers and the people they support.",
        "time_zone": "Europe/London",
        "starts_at": next_year(6, 10, 10),
        "ends_at": next_year(6, 10, 15, 30),
        "venue": "The Vassall Centre",
        "address": "Gill Avenue, Bristol BS16 2QQ",
        "capacity": "15",
        "ask_access_needs": "on",
        "ask_dietary_needs": "on",
        "ask_organisation": "on",
        "extra_questions_text": "What would you like to ask the peer workers?",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_host_offers_a_visit_as_a_draft_in_the_visits_own_time_zone(client, exemplar):
    host = HostFactory()
    client.force_login(host)

    response = client.post(reverse("visits:visit_create"), offer(exemplar, time_zone="America/New_York"))

    visit = StudyVisit.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert (visit.status, visit.host, visit.capacity) == ("draft", host, 15)
    assert visit.local_start.replace(tzinfo=None) == datetime.fromisoformat(next_year(6, 10, 10))
    assert visit.starts_at.utcoffset() == timedelta(0) or visit.starts_at == visit.local_start
    assert visit.local_start.utcoffset() == timedelta(hours=-4)  # New York's summer time
    assert visit.extra_questions == ["What would you like to ask the peer workers?"]
    assert (visit.region, [t.slug for t in visit.themes.all()]) == ("south_west", ["peer-support"])
    assert "America/New_York" in visit.when


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": next_year(6, 10, 9)}, "ends_at", "The end must come after the start."),
        (
            {"starts_at": days_ago(2, "10:00"), "ends_at": days_ago(2, "12:00")},
            "starts_at",
            "The start is in the past",
        ),
        ({"starts_at": next_year(3, last_sunday(3), 1, 30)}, "starts_at", "does not exist on"),
        (
            {
                "starts_at": next_year(10, last_sunday(10), 1, 30),
                "ends_at": next_year(10, last_sunday(10), 9),
            },
            "starts_at",
            "happens twice on",
        ),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"capacity": "-3"}, "capacity", "greater than or equal to 1"),
        ({"capacity": "100000"}, "capacity", "less than or equal to 500"),
        ({"capacity": "lots"}, "capacity", "Enter a whole number"),
        ({"ends_at": next_year(6, 25, 10)}, "ends_at", "at most 7 days"),
        (
            {"booking_closes_at": next_year(6, 11, 9)},
            "booking_closes_at",
            "close by the time the visit starts",
        ),
        ({"starts_at": "next Tuesday"}, "starts_at", "Enter a valid date/time"),
        ({"title": ""}, "title", "This field is required"),
        (
            {"time_zone": "Asia/Tokyo", "booking_opens_at": "0001-01-01T00:00"},
            "booking_opens_at",
            "Choose a date between",
        ),
        (
            {"time_zone": "America/New_York", "starts_at": "9999-12-31T22:00"},
            "starts_at",
            "Choose a date between",
        ),
        ({"booking_opens_at": next_year(6, 10, 11)}, "booking_opens_at", "open before the visit starts"),
        (
            {"co_host_handles": "nobody-here"},
            "co_host_handles",
            "No member has the profile address nobody-here",
        ),
    ],
)
def test_bad_offers_get_a_clear_message_on_the_field_and_save_nothing(
    client, exemplar, changes, field, message
):
    client.force_login(HostFactory())

    response = client.post(reverse("visits:visit_create"), offer(exemplar, **changes))

    assert response.status_code == HTTPStatus.OK
    assert message in " ".join(response.context["form"].errors[field])
    assert not StudyVisit.objects.exists()


def test_the_daylight_saving_checks_use_the_visits_zone_not_the_sites(client, exemplar):
    """01:30 on London's spring-forward day exists in New York, and is fine there."""
    client.force_login(HostFactory())
    day = last_sunday(3)

    client.post(
        reverse("visits:visit_create"),
        offer(
            exemplar,
            time_zone="America/New_York",
            starts_at=next_year(3, day, 1, 30),
            ends_at=next_year(3, day, 5),
        ),
    )

    assert StudyVisit.objects.get().local_start.hour == 1


def test_co_hosts_must_be_hosts_and_then_manage_the_visit(client, exemplar):
    host, co_host, member = HostFactory(), HostFactory(), MemberFactory()
    client.force_login(host)
    handle = member.network_profile.handle

    refused = client.post(reverse("visits:visit_create"), offer(exemplar, co_host_handles=handle))
    client.post(
        reverse("visits:visit_create"), offer(exemplar, co_host_handles=f"@{co_host.network_profile.handle}")
    )

    assert "must be hosts" in " ".join(refused.context["form"].errors["co_host_handles"])
    visit = StudyVisit.objects.get()
    client.force_login(co_host)
    assert client.get(reverse("visits:visit_edit", args=[visit.pk])).status_code == HTTPStatus.OK


@pytest.mark.parametrize("who", ["visitor", "member", "other host"])
def test_only_hosts_offer_and_only_a_visits_hosts_edit_it(client, exemplar, who):
    visit = StudyVisitFactory(page=exemplar, status="draft")
    if who == "member":
        client.force_login(MemberFactory())
    elif who == "other host":
        client.force_login(HostFactory())

    offered = client.post(reverse("visits:visit_create"), offer(exemplar))
    edited = client.post(reverse("visits:visit_edit", args=[visit.pk]), offer(exemplar, title="Taken over"))
    published = client.post(reverse("visits:visit_status", args=[visit.pk]), {"action": "publish"})

    expected = {
        "visitor": HTTPStatus.FOUND,
        "member": HTTPStatus.FORBIDDEN,
        "other host": HTTPStatus.NOT_FOUND,
    }[who]
    assert edited.status_code == published.status_code == expected
    assert offered.status_code == (HTTPStatus.FOUND if who == "other host" else expected)
    assert StudyVisit.objects.count() == (2 if who == "other host" else 1)  # their own, as a draft
    assert StudyVisit.objects.get(pk=visit.pk).title == visit.title != "Taken over"
    assert StudyVisit.objects.get(pk=visit.pk).status == "draft"


def test_publishing_a_draft_opens_it_and_a_past_start_cannot_be_published(exemplar):
    host = HostFactory()
    visit = StudyVisitFactory(page=exemplar, host=host, status="draft")
    stale = StudyVisitFactory(
        page=exemplar, host=host, status="draft", starts_at=timezone.now() - timedelta(hours=1)
    )

    services.publish_visit(visit=visit, by=host)

    assert StudyVisit.objects.get(pk=visit.pk).status == "published"
    with pytest.raises(services.OfferingError, match="start has passed"):
        services.publish_visit(visit=stale, by=host)


def test_changing_the_time_of_a_published_visit_raises_its_sequence_and_tells_those_booked(
    client, exemplar, run_on_commit
):
    host = HostFactory()
    visit = StudyVisitFactory(
        page=exemplar, host=host, starts_at=datetime(timezone.now().year + 1, 6, 10, 9, tzinfo=LONDON)
    )
    booked = BookingFactory(visit=visit, member=MemberFactory(email="amara@example.org"))
    BookingFactory(visit=visit, status="cancelled")
    client.force_login(host)
    form = client.get(reverse("visits:visit_edit", args=[visit.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    data["page"] = exemplar.pk
    data["starts_at"] = next_year(6, 10, 11)
    data["ends_at"] = next_year(6, 10, 16)
    mail.outbox.clear()

    with run_on_commit():
        response = client.post(reverse("visits:visit_edit", args=[visit.pk]), data)

    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["form"].errors
    visit.refresh_from_db()
    assert visit.sequence == 1 and visit.changed_at is not None
    assert visit.local_start.hour == 11
    assert [m.to for m in mail.outbox] == [[booked.member.email]]
    assert "11:00" in mail.outbox[0].body


def test_an_edit_that_changes_nothing_attendees_see_keeps_the_sequence(exemplar):
    host = HostFactory()
    visit = StudyVisitFactory(page=exemplar, host=host)
    BookingFactory(visit=visit)
    visit.needs_approval = True

    services.update_visit(visit=visit, by=host, changed=["needs_approval"])

    assert StudyVisit.objects.get(pk=visit.pk).sequence == 0
    assert mail.outbox == []


def test_cancelling_ends_every_booking_and_tells_each_member_why(exemplar, run_on_commit):
    host = HostFactory()
    visit = StudyVisitFactory(page=exemplar, host=host, capacity=1)
    held = BookingFactory(visit=visit)
    waiting = BookingFactory(visit=visit, status="waitlisted")
    gone = BookingFactory(visit=visit, status="cancelled")

    with pytest.raises(services.OfferingError, match="Say why"):
        services.cancel_visit(visit=visit, by=host, reason="  ")
    with run_on_commit():
        services.cancel_visit(visit=visit, by=host, reason="The centre is closed for repairs.")

    visit.refresh_from_db()
    assert (visit.status, visit.sequence) == ("cancelled", 1)
    assert {b.pk: b.status for b in Booking.objects.all()} == {
        held.pk: "cancelled",
        waiting.pk: "cancelled",
        gone.pk: "cancelled",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([held.member.email, waiting.member.email])
    assert all("The centre is closed for repairs." in m.body for m in mail.outbox)
    with pytest.raises(services.BookingError, match="not open for booking"):
        services.book_visit(visit=visit, member=MemberFactory())


def test_a_moderator_may_manage_any_visit_and_completing_needs_the_start_to_have_passed(exemplar):
    visit = StudyVisitFactory(page=exemplar)
    moderator = ModeratorFactory()

    with pytest.raises(services.OfferingError, match="has started"):
        services.complete_visit(visit=visit, by=moderator)
    services.complete_visit(visit=visit, by=moderator, now=visit.starts_at + timedelta(hours=1))

    assert StudyVisit.objects.get(pk=visit.pk).status == "completed"
    with pytest.raises(services.OfferingError):
        services.update_visit(visit=visit, by=moderator, changed=["title"])


def test_editors_change_a_visit_without_a_host_but_never_see_its_attendees(client, exemplar):
    from tests.factories import EditorFactory

    visit = StudyVisitFactory(page=exemplar, host=None)
    BookingFactory(visit=visit, answers={"access_needs": "Quiet room"})
    editor = EditorFactory()
    visit.venue = "The new venue"

    services.update_visit(visit=visit, by=editor, changed=["venue"])
    client.force_login(editor)
    dashboard = client.get(reverse("visits:visit_dashboard", args=[visit.pk]))

    assert StudyVisit.objects.get(pk=visit.pk).venue == "The new venue"
    assert dashboard.status_code == HTTPStatus.NOT_FOUND and "Quiet room" not in dashboard.text
    with pytest.raises(services.OfferingError):
        services.update_visit(visit=visit, by=MemberFactory(), changed=["venue"])


def test_an_edit_from_a_page_read_before_a_change_of_places_keeps_the_new_places_and_write_up(exemplar):
    host = HostFactory()
    visit = StudyVisitFactory(page=exemplar, host=host, capacity=2)
    for status in ("confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"):
        BookingFactory(visit=visit, status=status)
    form_copy = StudyVisit.objects.get(pk=visit.pk)  # what the edit form read

    services.change_capacity(visit=visit, capacity=5, by=host)
    StudyVisit.objects.filter(pk=visit.pk).update(write_up="Written meanwhile")
    form_copy.title = "A new title"
    services.update_visit(visit=form_copy, by=host, changed=["title"])

    saved = StudyVisit.objects.with_places_taken().get(pk=visit.pk)
    assert (saved.title, saved.capacity, saved.taken, saved.write_up) == (
        "A new title",
        5,
        5,
        "Written meanwhile",
    )


def test_editors_change_what_a_visit_is_but_not_who_hosts_it(exemplar):
    from tests.factories import EditorFactory

    visit = StudyVisitFactory(page=exemplar)
    outsider = HostFactory()

    with pytest.raises(services.OfferingError, match="choose its co-hosts"):
        services.update_visit(visit=visit, by=EditorFactory(), changed=[], co_hosts=[outsider])
    assert not visit.co_hosts.exists()


def test_the_offer_form_lists_only_the_projects_the_host_may_see(client, exemplar, make_exemplar):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from network import roles

    hidden = make_exemplar("Editors' secret pilot")
    restriction = PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(name=roles.EDITORS))
    client.force_login(HostFactory())

    form = client.get(reverse("visits:visit_create")).text

    assert exemplar.title in form and "secret pilot" not in form


def test_email_subjects_keep_a_titles_punctuation(exemplar, run_on_commit):
    host = HostFactory()
    visit = StudyVisitFactory(page=exemplar, host=host, title="Tea & talk at O'Brien's")
    BookingFactory(visit=visit)

    with run_on_commit():
        services.cancel_visit(visit=visit, by=host, reason="Ill")

    assert [m.subject for m in mail.outbox] == ["Cancelled: Tea & talk at O'Brien's"]
