"""Booking a study visit: places, the waiting list, cancelling with promotion, and never overbooking, even
when many members book at once."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connections
from django.utils import timezone

from tests.factories import MemberFactory, UserFactory
from visits import services
from visits.models import Booking, StudyVisit

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_visit(home_page):
    host = MemberFactory()

    def make(**fields) -> StudyVisit:
        start = timezone.now() + timedelta(days=10)
        fields.setdefault("title", "A day with a GP-linked time bank")
        fields.setdefault("starts_at", start)
        fields.setdefault("ends_at", start + timedelta(hours=5))
        fields.setdefault("capacity", 2)
        fields.setdefault("status", StudyVisit.Status.PUBLISHED)
        return StudyVisit.objects.create(page=home_page, host=host, **fields)

    return make


def test_places_then_the_waiting_list_in_order_and_a_cancellation_promotes_the_first(make_visit):
    visit = make_visit(capacity=2)
    first, second, third, fourth = (MemberFactory() for _ in range(4))

    bookings = [services.book_visit(visit=visit, member=member) for member in (first, second, third, fourth)]

    assert [b.status for b in bookings] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [services.waitlist_position(b) for b in bookings] == [None, None, 1, 2]
    services.cancel_booking(booking=bookings[0], by=first)
    bookings = [Booking.objects.get(pk=b.pk) for b in bookings]
    assert [b.status for b in bookings] == ["cancelled", "confirmed", "confirmed", "waitlisted"]
    assert services.waitlist_position(bookings[3]) == 1


def test_a_visit_needing_approval_takes_requests_that_hold_places(make_visit):
    visit = make_visit(capacity=1, needs_approval=True)

    first = services.book_visit(visit=visit, member=MemberFactory())
    second = services.book_visit(visit=visit, member=MemberFactory())

    assert (first.status, second.status) == ("requested", "waitlisted")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": StudyVisit.Status.DRAFT}, "not open for booking"),
        ({"status": StudyVisit.Status.CANCELLED}, "not open for booking"),
        ({"booking_closes_at": timezone.now() - timedelta(hours=1)}, "has closed"),
        ({"booking_opens_at": timezone.now() + timedelta(days=1)}, "has not opened"),
    ],
)
def test_closed_draft_or_cancelled_visits_refuse_bookings_and_save_nothing(make_visit, change, message):
    visit = make_visit(**change)

    with pytest.raises(services.BookingError, match=message):
        services.book_visit(visit=visit, member=MemberFactory())
    assert not Booking.objects.exists()


def test_one_active_booking_per_member_and_only_members_book(make_visit):
    visit = make_visit()
    member = MemberFactory()
    services.book_visit(visit=visit, member=member)

    with pytest.raises(services.AlreadyBooked):
        services.book_visit(visit=visit, member=member)
    with pytest.raises(services.BookingError, match="Only members"):
        services.book_visit(visit=visit, member=UserFactory())
    with pytest.raises(IntegrityError):  # the database holds the rule too, whatever the code does
        Booking.objects.create(visit=visit, member=member, status=Booking.Status.WAITLISTED)


def test_nobody_cancels_another_members_booking_or_after_the_start(make_visit):
    visit = make_visit()
    member, other = MemberFactory(), MemberFactory()
    booking = services.book_visit(visit=visit, member=member)

    with pytest.raises(services.BookingError, match="not your booking"):
        services.cancel_booking(booking=booking, by=other)
    with pytest.raises(services.BookingError, match="has started"):
        services.cancel_booking(booking=booking, by=member, now=visit.starts_at + timedelta(minutes=1))
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


def test_the_database_refuses_an_end_before_the_start_and_absurd_capacities(make_visit):
    from django.db import transaction

    for fields in (
        {"ends_at": timezone.now()},  # before the start
        {"capacity": 0},
        {"capacity": 100_000},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_visit(**fields)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_members_booking_at_once_fill_fifteen_places_and_queue_the_rest(make_visit):
    visit = make_visit(capacity=15)
    members = [MemberFactory() for _ in range(50)]
    start = threading.Barrier(len(members))
    errors = []

    def book(member):
        try:
            start.wait(10)
            services.book_visit(visit=visit, member=member)
            with pytest.raises(services.AlreadyBooked):  # a double click: refused
                services.book_visit(visit=visit, member=member)
        except BaseException as error:  # noqa: BLE001 - pytest's failures too: reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=book, args=(member,)) for member in members]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)

    assert errors == []
    bookings = list(Booking.objects.filter(visit=visit).order_by("created_at", "pk"))
    assert len(bookings) == 50 and len({b.member_id for b in bookings}) == 50  # nobody twice
    assert sum(b.status == "confirmed" for b in bookings) == 15
    assert sum(b.status == "waitlisted" for b in bookings) == 35
    confirmed_last = max(b.created_at for b in bookings if b.status == "confirmed")
    assert all(b.created_at >= confirmed_last for b in bookings if b.status == "waitlisted")  # in order


def test_the_member_a_cancellation_promotes_is_told_by_email(make_visit, run_on_commit):
    from django.core import mail

    visit = make_visit(capacity=1)
    first, waiting = MemberFactory(), MemberFactory(email="next@example.org")
    held = services.book_visit(visit=visit, member=first)
    services.book_visit(visit=visit, member=waiting)

    with run_on_commit():
        services.cancel_booking(booking=held, by=first)

    # the one who cancelled: their calendar's event is cancelled; the next: promoted, with an invite
    assert [m.to for m in mail.outbox] == [[first.email], ["next@example.org"]]
    assert visit.title in mail.outbox[1].subject + mail.outbox[1].body
    assert [mimetype for _, mimetype in mail.outbox[1].alternatives][-1] == "text/calendar; method=REQUEST"


def test_a_suspended_member_on_the_waiting_list_is_passed_over_for_the_next(make_visit):
    from network.services import suspend_member
    from tests.factories import ModeratorFactory

    visit = make_visit(capacity=1)
    holder, suspended, next_one = MemberFactory(), MemberFactory(), MemberFactory()
    held = services.book_visit(visit=visit, member=holder)
    services.book_visit(visit=visit, member=suspended)
    services.book_visit(visit=visit, member=next_one)
    suspend_member(profile=suspended.network_profile, by=ModeratorFactory(), reason="Spam")

    services.cancel_booking(booking=held, by=holder)

    statuses = dict(Booking.objects.filter(visit=visit).values_list("member_id", "status"))
    assert statuses == {holder.pk: "cancelled", suspended.pk: "waitlisted", next_one.pk: "confirmed"}
