"""The visits on offer, a visit's page, booking through it and cancelling: what members and visitors see,
and what they never see (attendees, their answers, drafts, visits to pages they may not read)."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import Theme
from tests.factories import BookingFactory, MemberFactory, StudyVisitFactory, UserFactory
from visits import services
from visits.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def exemplars(make_exemplar):
    Theme.objects.create(name="Peer support", slug="peer-support")
    Theme.objects.create(name="Time banking", slug="time-banking")
    return {
        "peer": make_exemplar("Peer-support network", region="south_west", themes=["peer-support"]),
        "time": make_exemplar("GP-linked time bank", region="london", themes=["time-banking"]),
    }


def titles(response) -> list[str]:
    return [visit.title for visit in response.context["visits"]]


def test_the_list_shows_published_upcoming_visits_with_places_left_and_filters(client, exemplars):
    soon = timezone.now() + timedelta(days=3)
    later = (timezone.now() + timedelta(days=70)).replace(day=15)
    peer = StudyVisitFactory(
        title="Peer support day",
        page=exemplars["peer"],
        capacity=2,
        starts_at=soon,
        ends_at=soon + timedelta(hours=3),
    )
    time = StudyVisitFactory(
        title="Time bank morning",
        page=exemplars["time"],
        capacity=1,
        starts_at=later,
        ends_at=later + timedelta(hours=3),
    )
    StudyVisitFactory(title="A draft", page=exemplars["time"], status="draft")
    StudyVisitFactory(
        title="Long gone",
        page=exemplars["time"],
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    for visit in (peer, time):
        services.copy_page_details(visit)  # as the offer form does on save
    BookingFactory(visit=time)
    BookingFactory(visit=peer, status="cancelled")

    everything = client.get(reverse("visits:visit_list"))
    by_region = client.get(reverse("visits:visit_list"), {"region": "london"})
    by_theme = client.get(reverse("visits:visit_list"), {"theme": "peer-support"})
    by_month = client.get(reverse("visits:visit_list"), {"month": later.strftime("%Y-%m")})
    with_places = client.get(reverse("visits:visit_list"), {"places": "on"})
    nonsense = client.get(reverse("visits:visit_list"), {"region": "atlantis", "month": "9999-99"})

    assert titles(everything) == ["Peer support day", "Time bank morning"]
    assert "2 places left of 2" in everything.text and "Full" in everything.text
    assert titles(by_region) == ["Time bank morning"]
    assert titles(by_theme) == ["Peer support day"]
    assert titles(by_month) == ["Time bank morning"]
    assert titles(with_places) == ["Peer support day"]
    assert nonsense.status_code == HTTPStatus.OK and titles(nonsense) == titles(everything)


def test_a_member_books_through_the_visit_page_answering_its_questions(client, exemplars):
    visit = StudyVisitFactory(
        page=exemplars["peer"], capacity=1, extra_questions=["What do you hope to learn?"]
    )
    member = MemberFactory()
    client.force_login(member)

    page = client.get(visit.get_absolute_url())
    booked = client.post(
        reverse("visits:visit_book", args=[visit.pk]),
        {
            "organisation": "Bristol carers' forum",
            "access_needs": "Step-free access",
            "extra_0": "How peers are paid",
        },
        follow=True,
    )

    assert "Book a place" in page.text and "What do you hope to learn?" in page.text
    assert "Your place is confirmed." in booked.text
    booking = Booking.objects.get(member=member)
    assert booking.answers == {
        "organisation": "Bristol carers' forum",
        "access_needs": "Step-free access",
        "dietary_needs": "",
        "extra": [{"question": "What do you hope to learn?", "answer": "How peers are paid"}],
    }
    assert "Cancel my booking" in booked.text


def test_the_last_place_goes_then_the_waiting_list_then_a_cancellation_promotes(client, exemplars):
    visit = StudyVisitFactory(page=exemplars["peer"], capacity=1)
    first, second = MemberFactory(), MemberFactory()
    client.force_login(first)
    client.post(reverse("visits:visit_book", args=[visit.pk]), {})
    client.force_login(second)

    waiting = client.post(reverse("visits:visit_book", args=[visit.pk]), {}, follow=True)
    client.force_login(first)
    mine = Booking.objects.get(member=first)
    client.post(reverse("visits:booking_cancel", args=[mine.pk]))
    client.force_login(second)
    promoted = client.get(visit.get_absolute_url())

    assert "number 1 on the waiting list" in waiting.text
    assert Booking.objects.get(member=second).status == "confirmed"
    assert "Confirmed" in promoted.text


def test_a_second_booking_booking_after_closing_and_a_missing_background_check_are_refused(client, exemplars):
    member = MemberFactory()
    client.force_login(member)
    open_visit = StudyVisitFactory(page=exemplars["peer"])
    closed = StudyVisitFactory(
        page=exemplars["peer"], booking_closes_at=timezone.now() - timedelta(minutes=1)
    )
    checked = StudyVisitFactory(page=exemplars["peer"], requires_background_check=True)
    client.post(reverse("visits:visit_book", args=[open_visit.pk]), {})

    again = client.post(reverse("visits:visit_book", args=[open_visit.pk]), {}, follow=True)
    late = client.post(reverse("visits:visit_book", args=[closed.pk]), {}, follow=True)
    unchecked = client.post(reverse("visits:visit_book", args=[checked.pk]), {"organisation": "Kept"})

    assert "You have booked this visit already." in again.text
    assert "Booking for this visit has closed." in late.text
    assert unchecked.status_code == HTTPStatus.BAD_REQUEST
    assert "confirm a background check" in unchecked.text and 'value="Kept"' in unchecked.text
    assert Booking.objects.filter(member=member).count() == 1


def test_a_cancel_request_for_another_members_booking_finds_nothing(client, exemplars):
    booking = BookingFactory(visit=StudyVisitFactory(page=exemplars["peer"]))
    client.force_login(MemberFactory())

    response = client.post(reverse("visits:booking_cancel", args=[booking.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


@pytest.mark.parametrize("viewer", ["visitor", "non-member", "member", "attendee"])
def test_the_visit_page_shows_counts_but_no_attendee_and_no_answer_to_anyone(client, exemplars, viewer):
    visit = StudyVisitFactory(page=exemplars["peer"], capacity=3)
    attendee = MemberFactory(first_name="Zebedee", last_name="Quartermain")
    BookingFactory(
        visit=visit,
        member=attendee,
        answers={"access_needs": "Hearing loop please", "organisation": "Org-Secret"},
    )
    if viewer == "non-member":
        client.force_login(UserFactory())
    elif viewer == "member":
        client.force_login(MemberFactory())
    elif viewer == "attendee":
        client.force_login(attendee)

    pages = [
        client.get(url)
        for url in (visit.get_absolute_url(), reverse("visits:visit_list"), reverse("visits:visit_past"))
    ]

    for page in pages:
        assert "Hearing loop please" not in page.text and "Org-Secret" not in page.text
        assert "Quartermain" not in page.text or viewer == "attendee"
    assert "2 of 3 left" in pages[0].text


def test_drafts_and_visits_to_members_only_pages_stay_hidden(client, exemplars, make_exemplar):
    secret = make_exemplar("Closed pilot", members_only=True)
    draft = StudyVisitFactory(title="Not ready yet", page=exemplars["peer"], status="draft")
    restricted = StudyVisitFactory(title="Inside the pilot", page=secret)
    host_of_draft = draft.host

    as_visitor = [
        client.get(url)
        for url in (draft.get_absolute_url(), restricted.get_absolute_url(), reverse("visits:visit_list"))
    ]
    client.force_login(MemberFactory())
    as_member = [client.get(url) for url in (draft.get_absolute_url(), restricted.get_absolute_url())]
    client.force_login(host_of_draft)
    as_host = client.get(draft.get_absolute_url())

    assert [r.status_code for r in as_visitor[:2]] == [HTTPStatus.NOT_FOUND] * 2
    assert "Inside the pilot" not in as_visitor[2].text and "Not ready yet" not in as_visitor[2].text
    assert [r.status_code for r in as_member] == [HTTPStatus.NOT_FOUND, HTTPStatus.OK]
    assert as_host.status_code == HTTPStatus.OK and "A draft" in as_host.text


def test_visitors_are_asked_to_sign_in_and_cannot_book(client, exemplars):
    visit = StudyVisitFactory(page=exemplars["peer"])

    page = client.get(visit.get_absolute_url())
    posted = client.post(reverse("visits:visit_book", args=[visit.pk]), {})

    assert "Sign in to book" in page.text
    assert posted.status_code == HTTPStatus.FOUND and "/accounts/login/" in posted["Location"]
    assert not Booking.objects.exists()


def test_your_bookings_lists_only_your_own(client, exemplars):
    mine = BookingFactory(visit=StudyVisitFactory(title="Mine", page=exemplars["peer"]))
    BookingFactory(visit=StudyVisitFactory(title="Someone else's", page=exemplars["peer"]))
    client.force_login(mine.member)

    response = client.get(reverse("visits:booking_list"))

    assert "Mine" in response.text and "Someone else" not in response.text


def test_the_list_and_the_visit_page_make_the_same_queries_for_few_and_many_visits(
    client, exemplars, django_assert_max_num_queries
):
    client.force_login(MemberFactory())
    StudyVisitFactory.create_batch(2, page=exemplars["peer"])
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("visits:visit_list"))
    visits = StudyVisitFactory.create_batch(18, page=exemplars["time"])
    for visit in visits:
        BookingFactory.create_batch(2, visit=visit)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("visits:visit_list"))


def test_a_visit_follows_its_pages_region_and_themes_when_the_page_is_published_again(client, exemplars):
    page = exemplars["peer"]
    visit = StudyVisitFactory(page=page)
    page.region = "wales"
    page.themes.set(Theme.objects.filter(slug="time-banking"))

    page.save_revision().publish()

    response = client.get(reverse("visits:visit_list"), {"region": "wales", "theme": "time-banking"})
    assert titles(response) == [visit.title]


def test_the_exemplar_page_shows_its_upcoming_visits_and_follows_bookings(client, exemplars):
    page = exemplars["time"]
    visit = StudyVisitFactory(title="Time bank morning", page=page, capacity=2)
    StudyVisitFactory(title="Elsewhere", page=exemplars["peer"])
    StudyVisitFactory(title="Still a draft", page=page, status="draft")
    before = client.get(page.url)

    BookingFactory(visit=visit)
    after = client.get(page.url)
    services.cancel_visit(visit=visit, by=visit.host, reason="Flooded")
    cancelled = client.get(page.url)

    assert "Upcoming study visits" in before.text and "Time bank morning" in before.text
    assert "Elsewhere" not in before.text and "Still a draft" not in before.text
    assert "2 places left of 2" in before.text and "1 place left of 2" in after.text
    assert "Time bank morning" not in cancelled.text


def test_kept_pages_follow_bookings_and_never_pass_from_a_member_to_a_visitor(
    client, exemplars, make_exemplar
):
    secret = make_exemplar("Closed pilot", members_only=True)
    restricted = StudyVisitFactory(title="Inside the pilot", page=secret, capacity=2)
    member = MemberFactory()
    client.force_login(member)
    seen = [client.get(reverse("visits:visit_list")), client.get(restricted.get_absolute_url())]

    client.post(reverse("visits:visit_book", args=[restricted.pk]), {})
    after = [client.get(reverse("visits:visit_list")), client.get(restricted.get_absolute_url())]
    client.logout()
    visitor = [client.get(reverse("visits:visit_list")), client.get(restricted.get_absolute_url())]

    assert "Inside the pilot" in seen[0].text and "2 of 2 left" in seen[1].text
    assert "1 place left of 2" in after[0].text and "1 of 2 left" in after[1].text
    assert "Inside the pilot" not in visitor[0].text and visitor[1].status_code == HTTPStatus.NOT_FOUND


def test_the_kept_visit_holds_no_credentials_of_its_host(client, exemplars):
    from django.core.cache import cache

    visit = StudyVisitFactory(page=exemplars["peer"])
    client.get(visit.get_absolute_url())

    kept = b"".join(cache._cache.values())  # local memory: every kept value, pickled
    assert visit.title.encode() in kept and visit.host.password.encode() not in kept


def test_a_visit_to_an_unpublished_page_leaves_the_list_and_takes_no_booking(client, exemplars):
    page = exemplars["peer"]
    visit = StudyVisitFactory(title="Peer support day", page=page)
    member = MemberFactory()
    page.unpublish()

    listing = client.get(reverse("visits:visit_list"))
    client.force_login(member)
    detail = client.get(visit.get_absolute_url())

    assert "Peer support day" not in listing.text and detail.status_code == HTTPStatus.NOT_FOUND
    with pytest.raises(services.BookingError, match="not open for booking"):
        services.book_visit(visit=visit, member=member)


def test_a_visit_is_listed_under_its_own_month_and_shown_on_its_own_day(client, exemplars):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    year = timezone.now().year + 1
    start = datetime(year, 3, 31, 21, 0, tzinfo=ZoneInfo("America/New_York"))  # 1 April in London
    visit = StudyVisitFactory(
        title="Evening in New York",
        page=exemplars["peer"],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="America/New_York",
    )

    march = client.get(reverse("visits:visit_list"), {"month": f"{year}-03"})

    assert titles(march) == ["Evening in New York"]
    assert f"March {year}" in march.text and f"April {year}" not in march.text  # the months offered
    assert "31 March" in client.get(visit.get_absolute_url()).text


def test_the_host_is_named_to_members_only_and_a_kept_page_follows_their_leaving(client, exemplars):
    from network.services import delete_account

    visit = StudyVisitFactory(
        page=exemplars["peer"],
        status="completed",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    name = visit.host.network_profile.display_name
    as_visitor = client.get(visit.get_absolute_url()).text
    client.force_login(MemberFactory())
    as_member = client.get(visit.get_absolute_url()).text

    delete_account(user=visit.host, remove_content=False)
    after = client.get(visit.get_absolute_url()).text

    assert name not in as_visitor and "a member of the network" in as_visitor
    assert name in as_member
    assert name not in after and "a former member" in after


def test_kept_pages_show_places_the_host_adds(client, exemplars):
    visit = StudyVisitFactory(page=exemplars["peer"], capacity=2)
    before = client.get(visit.get_absolute_url()).text

    services.change_capacity(visit=visit, capacity=9, by=visit.host)

    assert "2 of 2 left" in before and "9 of 9 left" in client.get(visit.get_absolute_url()).text


def test_kept_booking_lists_follow_new_bookings_and_stay_each_members_own(client, exemplars):
    member, other = MemberFactory(), MemberFactory()
    first = StudyVisitFactory(title="First visit", page=exemplars["peer"])
    second = StudyVisitFactory(title="Second visit", page=exemplars["peer"])
    services.book_visit(visit=first, member=member)
    client.force_login(member)
    before = client.get(reverse("visits:booking_list")).text

    services.book_visit(visit=second, member=member)
    after = client.get(reverse("visits:booking_list")).text
    client.force_login(other)
    theirs = client.get(reverse("visits:booking_list")).text

    assert "First visit" in before and "Second visit" not in before
    assert "Second visit" in after
    assert "First visit" not in theirs and "You have not booked a visit yet" in theirs
