"""Visits in a member's data: their bookings and feedback join their download; deleting their account ends
their bookings (the waiting list moves up) and hands on or cancels the visits they host; their profile
shows the visits they host, never the ones they booked."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from network import roles, services
from network.hooks import profile_activity
from tests.factories import BookingFactory, HostFactory, MemberFactory, ModeratorFactory, StudyVisitFactory
from visits.models import Booking, Feedback, StudyVisit
from visits.wagtail_hooks import hosted_visits

pytestmark = pytest.mark.django_db


@pytest.fixture
def exemplar(make_exemplar):
    return make_exemplar("Peer-support network")


def past_visit(page, **fields) -> StudyVisit:
    start = timezone.now() - timedelta(days=30)
    return StudyVisitFactory(
        page=page, starts_at=start, ends_at=start + timedelta(hours=4), status="completed", **fields
    )


# -- the download ------------------------------------------------------------------------------------------


def test_the_download_holds_their_bookings_answers_and_feedback_and_nothing_of_others(exemplar):
    member, other = MemberFactory(), MemberFactory()
    upcoming = StudyVisitFactory(page=exemplar, title="Upcoming at the time bank")
    BookingFactory(
        visit=upcoming,
        member=member,
        answers={"access_needs": "Step-free access, please", "extra": []},
        background_check_confirmed=True,
    )
    BookingFactory(visit=upcoming, member=other, answers={"access_needs": "Other person's needs"})
    done = past_visit(exemplar, title="Last spring's visit")
    attended = BookingFactory(visit=done, member=member, attendance=Booking.Attendance.ATTENDED)
    Feedback.objects.create(booking=attended, usefulness=4, confidence=5, comment="Eye-opening.")
    Feedback.objects.create(
        booking=BookingFactory(visit=done, member=other), usefulness=1, confidence=1, comment="Not theirs"
    )

    data = services.export_member_data(user=member)

    bookings = {row["visit"]: row for row in data["visit_bookings"]}
    assert set(bookings) == {"Upcoming at the time bank", "Last spring's visit"}
    assert bookings["Upcoming at the time bank"]["answers"]["access_needs"] == "Step-free access, please"
    assert bookings["Upcoming at the time bank"]["background_check_confirmed"] is True
    assert bookings["Last spring's visit"]["attendance"] == "attended"
    assert all(row["when"] and row["booked"] and row["status"] for row in data["visit_bookings"])
    assert data["visit_feedback"] == [
        {
            "visit": "Last spring's visit",
            "usefulness": 4,
            "confidence": 5,
            "comment": "Eye-opening.",
            "given": attended.feedback.created_at.isoformat(),
        }
    ]
    assert "Other person" not in repr(data) and "Not theirs" not in repr(data)
    assert data["visits_hosted"] == []


def test_the_download_names_the_visits_they_host_and_co_host(exemplar):
    host, co_host = HostFactory(), HostFactory()
    theirs = StudyVisitFactory(page=exemplar, host=host, title="Their own visit")
    shared = StudyVisitFactory(page=exemplar, title="A shared visit", status="draft")
    shared.co_hosts.add(host)
    StudyVisitFactory(page=exemplar, host=co_host, title="Someone else's visit")

    data = services.export_member_data(user=host)

    assert sorted(data["visits_hosted"], key=lambda row: row["title"]) == [
        {"title": "A shared visit", "when": shared.when, "status": "draft", "role": "co-host"},
        {"title": "Their own visit", "when": theirs.when, "status": "published", "role": "host"},
    ]


# -- deleting an account -----------------------------------------------------------------------------------


@pytest.mark.parametrize("remove_content", [False, True])
def test_deleting_an_account_cancels_their_place_and_the_waiting_list_moves_up(exemplar, remove_content):
    leaving, waiting = MemberFactory(), MemberFactory()
    visit = StudyVisitFactory(page=exemplar, capacity=1)
    BookingFactory(visit=visit, member=leaving, status=Booking.Status.CONFIRMED)
    promoted = BookingFactory(visit=visit, member=waiting, status=Booking.Status.WAITLISTED)

    services.delete_account(user=leaving, remove_content=remove_content)

    promoted.refresh_from_db()
    assert promoted.status == Booking.Status.CONFIRMED
    assert list(Booking.objects.filter(visit=visit)) == [promoted]


def test_deleting_an_account_deletes_past_bookings_with_their_feedback(exemplar):
    leaving, staying = MemberFactory(), MemberFactory()
    done = past_visit(exemplar)
    Feedback.objects.create(booking=BookingFactory(visit=done, member=leaving), usefulness=5, confidence=4)
    kept = Feedback.objects.create(
        booking=BookingFactory(visit=done, member=staying), usefulness=2, confidence=2
    )

    services.delete_account(user=leaving, remove_content=False)

    assert list(Feedback.objects.all()) == [kept]
    assert list(Booking.objects.values_list("member", flat=True)) == [staying.pk]


def test_a_visit_they_co_host_passes_to_the_first_co_host(exemplar):
    leaving, first, second = HostFactory(), HostFactory(), HostFactory()
    visit = StudyVisitFactory(page=exemplar, host=leaving)
    visit.co_hosts.add(first)
    visit.co_hosts.add(second)
    booked = BookingFactory(visit=visit)

    services.delete_account(user=leaving, remove_content=False)

    visit.refresh_from_db()
    assert (visit.host, visit.status) == (first, "published")
    assert list(visit.co_hosts.all()) == [second]
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CONFIRMED


def test_an_upcoming_visit_they_host_alone_is_cancelled_and_everyone_booked_is_told(exemplar, run_on_commit):
    leaving = HostFactory()
    visit = StudyVisitFactory(page=exemplar, host=leaving)
    confirmed = BookingFactory(visit=visit)
    waiting = BookingFactory(visit=visit, status=Booking.Status.WAITLISTED)

    with run_on_commit():
        services.delete_account(user=leaving, remove_content=False)

    visit.refresh_from_db()
    assert (visit.status, visit.host, visit.sequence) == ("cancelled", None, 1)
    assert visit.cancelled_reason == "The host has left the network."
    assert set(visit.bookings.values_list("status", flat=True)) == {"cancelled"}
    told = sorted(message.to[0] for message in mail.outbox if visit.title in message.subject + message.body)
    assert told == sorted([confirmed.member.email, waiting.member.email])
    assert all(
        "The host has left the network." in message.body for message in mail.outbox if message.to[0] in told
    )


def test_past_visits_keep_their_write_up_and_lose_their_host(exemplar):
    leaving = HostFactory()
    done = past_visit(exemplar, host=leaving, write_up="We saw how **time credits** work.")
    Feedback.objects.create(booking=BookingFactory(visit=done), usefulness=5, confidence=5)

    services.delete_account(user=leaving, remove_content=True)

    done.refresh_from_db()
    assert (done.host, done.status) == (None, "completed")
    assert "time credits" in done.write_up_html
    assert Feedback.objects.filter(booking__visit=done).count() == 1  # the attendees' feedback stays


def test_a_draft_they_host_alone_goes_only_when_they_remove_their_content(exemplar):
    kept_by, removed_by = HostFactory(), HostFactory()
    kept = StudyVisitFactory(page=exemplar, host=kept_by, status="draft", published_at=None)
    removed = StudyVisitFactory(page=exemplar, host=removed_by, status="draft", published_at=None)

    services.delete_account(user=kept_by, remove_content=False)
    services.delete_account(user=removed_by, remove_content=True)

    kept.refresh_from_db()
    assert kept.host is None
    assert not StudyVisit.objects.filter(pk=removed.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deleting_a_host_and_booker_commits_as_one(make_exemplar):
    """Outside a test transaction: the hooks' services nest inside the deletion's own transaction."""
    exemplar = make_exemplar("Time bank")
    leaving = HostFactory()
    hosted = StudyVisitFactory(page=exemplar, host=leaving)
    elsewhere = StudyVisitFactory(page=exemplar, capacity=1)
    BookingFactory(visit=elsewhere, member=leaving)
    waiting = BookingFactory(visit=elsewhere, status=Booking.Status.WAITLISTED)

    services.delete_account(user=leaving, remove_content=False)

    hosted.refresh_from_db()
    waiting.refresh_from_db()
    assert (hosted.status, waiting.status) == ("cancelled", "confirmed")
    assert not Booking.objects.filter(member_id=leaving.pk).exists()


# -- the profile page --------------------------------------------------------------------------------------


def test_a_profile_shows_the_visits_they_host_but_never_the_ones_they_booked(client, exemplar):
    host, reader = HostFactory(), MemberFactory()
    StudyVisitFactory(page=exemplar, host=host, title="Hosted: a day at the time bank")
    co_hosted = StudyVisitFactory(page=exemplar, title="Co-hosted: the peer workers")
    co_hosted.co_hosts.add(host)
    StudyVisitFactory(page=exemplar, host=host, title="Draft: not yet", status="draft")
    StudyVisitFactory(page=exemplar, host=host, title="Cancelled: called off", status="cancelled")
    BookingFactory(visit=StudyVisitFactory(page=exemplar, title="Booked: somewhere else"), member=host)
    client.force_login(reader)

    response = client.get(reverse("network:profile_detail", args=[host.network_profile.handle]))

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Hosted: a day at the time bank" in page and "Co-hosted: the peer workers" in page
    assert "Booked: somewhere else" not in page
    assert "Draft: not yet" not in page and "Cancelled: called off" not in page


def test_a_visit_to_a_restricted_page_shows_only_to_those_who_may_see_the_page(client, make_exemplar):
    host, reader = HostFactory(), MemberFactory()
    members_only = make_exemplar("Members-only project", members_only=True)
    editors_only = make_exemplar("Editors-only project")
    restriction = PageViewRestriction.objects.create(
        page=editors_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name=roles.EDITORS))
    StudyVisitFactory(page=members_only, host=host, title="For members")
    StudyVisitFactory(page=editors_only, host=host, title="For editors")

    to_visitor = [item.title for item in profile_activity(host.network_profile, AnonymousUser())]
    to_member = [item.title for item in hosted_visits(host.network_profile, reader)]
    client.force_login(reader)
    page = client.get(reverse("network:profile_detail", args=[host.network_profile.handle])).content.decode()

    assert "For members" not in to_visitor and "For editors" not in to_visitor
    assert to_member == ["For members"]
    assert "For members" in page and "For editors" not in page


def test_a_suspended_host_leaving_still_cancels_their_visits_and_tells_those_booked(exemplar, run_on_commit):
    leaving = HostFactory()
    visit = StudyVisitFactory(page=exemplar, host=leaving)
    booked = BookingFactory(visit=visit)
    services.suspend_member(profile=leaving.network_profile, by=ModeratorFactory(), reason="Spam")
    mail.outbox.clear()

    with run_on_commit():
        services.delete_account(user=leaving, remove_content=False)

    visit.refresh_from_db()
    assert visit.status == "cancelled" and visit.cancelled_reason == "The host has left the network."
    assert [m.to for m in mail.outbox if visit.title in m.subject + m.body] == [[booked.member.email]]


def test_a_kept_profile_shows_a_visit_they_start_hosting(client, exemplar):
    host, reader = HostFactory(), MemberFactory()
    client.force_login(reader)
    url = reverse("network:profile_detail", args=[host.network_profile.handle])
    before = client.get(url).content.decode()

    StudyVisitFactory(page=exemplar, host=host, title="Newly offered: a morning with peer workers")

    assert "Newly offered" not in before and "Newly offered" in client.get(url).content.decode()


def test_a_kept_profile_never_passes_a_visit_to_a_restricted_page_from_a_moderator_to_a_member(
    client, make_exemplar
):
    page = make_exemplar("Moderators' pilot")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(name=roles.MODERATORS))
    host, moderator, member = HostFactory(), ModeratorFactory(), MemberFactory()
    StudyVisitFactory(page=page, host=host, title="Inside the moderators pilot")
    url = reverse("network:profile_detail", args=[host.network_profile.handle])

    client.force_login(moderator)
    as_moderator = client.get(url).content.decode()
    client.force_login(member)
    as_member = client.get(url).content.decode()

    assert "Inside the moderators pilot" in as_moderator
    assert "Inside the moderators pilot" not in as_member
