"""After the visit: attendees give feedback once, hosts write the visit up, and others see only counts, and
only once five people have answered."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import BookingFactory, HostFactory, MemberFactory, ModeratorFactory, StudyVisitFactory
from visits import charts, services
from visits.models import Booking, Feedback, StudyVisit

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def past_visit(home_page):
    """A visit that took place yesterday, with a co-host."""
    start = timezone.now() - timedelta(days=1)
    visit = StudyVisitFactory(page=home_page, starts_at=start, ends_at=start + timedelta(hours=5))
    visit.co_hosts.add(HostFactory())
    return visit


def answer(visit, usefulness=4, confidence=3, comment="") -> Feedback:
    booking = BookingFactory(visit=visit)
    return services.give_feedback(
        booking=booking, by=booking.member, usefulness=usefulness, confidence=confidence, comment=comment
    )


def after_the_visit(visit, user) -> BeautifulSoup:
    request = RequestFactory().get("/")
    request.user = user
    html = Template("{% load visits_feedback %}{% visit_after visit %}").render(
        Context({"visit": visit, "request": request})
    )
    return BeautifulSoup(html, "html.parser")


def table_counts(table) -> dict[str, int]:
    return {row.th.get_text(strip=True): int(row.td.get_text()) for row in table.tbody.find_all("tr")}


# giving feedback


def test_only_the_attendee_gives_feedback_once_and_only_after_the_visit(past_visit):
    booking = BookingFactory(visit=past_visit)

    with pytest.raises(services.FeedbackError, match="not your booking"):
        services.give_feedback(booking=booking, by=MemberFactory(), usefulness=5, confidence=5)
    with pytest.raises(services.FeedbackError, match="once the visit has ended"):
        services.give_feedback(
            booking=booking, by=booking.member, usefulness=5, confidence=5, now=past_visit.starts_at
        )
    services.give_feedback(booking=booking, by=booking.member, usefulness=5, confidence=4, comment=" Good. ")
    with pytest.raises(services.AlreadyGaveFeedback, match="already"):
        services.give_feedback(booking=booking, by=booking.member, usefulness=1, confidence=1)

    feedback = Feedback.objects.get()
    assert (feedback.booking, feedback.usefulness, feedback.confidence, feedback.comment) == (
        booking,
        5,
        4,
        "Good.",
    )


@pytest.mark.parametrize(
    "booking_fields",
    [
        {"attendance": Booking.Attendance.NO_SHOW},
        {"status": Booking.Status.CANCELLED},
        {"status": Booking.Status.WAITLISTED},
        {"status": Booking.Status.REMOVED},
    ],
    ids=["no-show", "cancelled", "waitlisted", "removed"],
)
def test_a_no_show_or_a_booking_without_a_place_cannot_give_feedback(past_visit, booking_fields):
    booking = BookingFactory(visit=past_visit, **booking_fields)

    with pytest.raises(services.FeedbackError):
        services.give_feedback(booking=booking, by=booking.member, usefulness=5, confidence=5)
    assert not Feedback.objects.exists()


def test_a_cancelled_visit_takes_no_feedback(past_visit):
    booking = BookingFactory(visit=past_visit)
    StudyVisit.objects.filter(pk=past_visit.pk).update(status=StudyVisit.Status.CANCELLED)

    with pytest.raises(services.FeedbackError, match="confirmed place"):
        services.give_feedback(booking=booking, by=booking.member, usefulness=5, confidence=5)


def test_two_submissions_at_once_leave_one_answer_and_the_second_is_told_why(past_visit, monkeypatch):
    booking = BookingFactory(visit=past_visit)
    Feedback.objects.create(booking=booking, usefulness=3, confidence=3)
    # the second submission checked before the first was saved, so only the database can stop it
    monkeypatch.setattr(services.feedback, "_refusal", lambda *args: None)

    with pytest.raises(services.AlreadyGaveFeedback, match="already"):
        services.give_feedback(booking=booking, by=booking.member, usefulness=5, confidence=5)
    assert Feedback.objects.get().usefulness == 3


def test_the_form_is_for_the_bookings_member_only(client, past_visit):
    booking = BookingFactory(visit=past_visit)
    url = reverse("visits:feedback_form", args=[booking.pk])

    assert client.get(url).status_code == HTTPStatus.FOUND  # a visitor is sent to sign in
    client.force_login(MemberFactory())
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url, {"usefulness": 5, "confidence": 5}).status_code == HTTPStatus.NOT_FOUND
    client.force_login(booking.member)
    page = BeautifulSoup(client.get(url).content, "html.parser")
    legends = [legend.get_text(strip=True) for legend in page.select("form fieldset legend")]
    assert legends == [
        "How useful was the visit?",
        "How confident are you to use what you saw in your own work?",
    ]
    assert len(page.select('input[type="radio"][name="usefulness"]')) == 5
    assert all(page.find("label", attrs={"for": radio["id"]}) for radio in page.select('input[type="radio"]'))

    response = client.post(url, {"usefulness": 4, "confidence": 5, "comment": "Worth the trip."})

    assert response.status_code == HTTPStatus.FOUND
    assert Feedback.objects.get().comment == "Worth the trip."
    again = client.get(url)
    assert b"already" in again.content
    assert not BeautifulSoup(again.content, "html.parser").select("main form")


@pytest.mark.parametrize(
    "data",
    [{}, {"usefulness": 6, "confidence": 3}, {"usefulness": "x", "confidence": 3}, {"usefulness": 4}],
    ids=["empty", "out-of-range", "not-a-number", "one-scale-missing"],
)
def test_bad_feedback_input_shows_the_form_again_with_errors_and_saves_nothing(client, past_visit, data):
    booking = BookingFactory(visit=past_visit)
    client.force_login(booking.member)

    response = client.post(reverse("visits:feedback_form", args=[booking.pk]), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert BeautifulSoup(response.content, "html.parser").select(".errorlist")
    assert not Feedback.objects.exists()


def test_a_no_show_is_told_why_and_sees_no_form(client, past_visit):
    booking = BookingFactory(visit=past_visit, attendance=Booking.Attendance.NO_SHOW)
    client.force_login(booking.member)
    url = reverse("visits:feedback_form", args=[booking.pk])

    response = client.get(url)
    client.post(url, {"usefulness": 5, "confidence": 5})

    assert b"could not come" in response.content
    assert not BeautifulSoup(response.content, "html.parser").select("main form")
    assert not Feedback.objects.exists()


def test_the_attendee_is_invited_to_answer_on_the_visit_until_they_have(past_visit):
    booking = BookingFactory(visit=past_visit)
    link = reverse("visits:feedback_form", args=[booking.pk])

    invited = after_the_visit(past_visit, booking.member).find("a", href=link)
    services.give_feedback(booking=booking, by=booking.member, usefulness=4, confidence=4)

    assert invited and invited.get_text() == "Tell the hosts how it went"
    assert not after_the_visit(past_visit, booking.member).find("a", href=link)
    assert not after_the_visit(past_visit, MemberFactory()).select("a.button")


# results


def test_four_answers_show_nothing_and_the_fifth_shows_the_charts_and_tables(past_visit):
    for usefulness, confidence in [(5, 4), (5, 5), (4, 4), (2, 1)]:
        answer(past_visit, usefulness, confidence)
    assert services.results(past_visit) is None
    assert not after_the_visit(past_visit, AnonymousUser()).select("svg, table")
    assert "at least five people" in after_the_visit(past_visit, past_visit.host).get_text()

    answer(past_visit, 5, 4)

    results = services.results(past_visit)
    assert results.answered == 5
    assert [point.count for point in results.usefulness.points] == [0, 1, 0, 1, 3]
    page = after_the_visit(past_visit, AnonymousUser())
    assert len(page.select("svg[role=img]")) == 2
    usefulness, confidence = page.select("table")
    assert "How useful was the visit?" in usefulness.caption.get_text()
    assert table_counts(usefulness) == {
        "Not at all useful": 0,
        "A little useful": 1,
        "Somewhat useful": 0,
        "Useful": 1,
        "Very useful": 3,
    }
    assert table_counts(confidence) == {
        "Not at all confident": 1,
        "Not confident": 0,
        "Not sure": 0,
        "Confident": 3,
        "Very confident": 1,
    }
    bar_values = [text.get_text() for text in page.select("svg")[0].find_all("text")][1::2]
    assert bar_values == ["0", "1", "0", "1", "3"]


def test_comments_and_names_reach_only_hosts_and_moderators_and_only_from_five_answers(past_visit):
    for n in range(4):
        answer(past_visit, comment=f"Secret thought {n}")
    host = past_visit.host
    assert services.feedback_comments(visit=past_visit, viewer=host) is None

    last = answer(past_visit, comment="Secret thought 4")

    attendee = last.booking.member
    for viewer in (AnonymousUser(), MemberFactory(), attendee):
        text = after_the_visit(past_visit, viewer).get_text()
        assert "Secret thought" not in text
        assert attendee.get_full_name() not in text
    for viewer in (host, past_visit.co_hosts.get(), ModeratorFactory()):
        text = after_the_visit(past_visit, viewer).get_text()
        assert all(f"Secret thought {n}" in text for n in range(5))
        assert attendee.first_name not in text and attendee.email not in text


def test_the_pages_results_add_up_only_visits_that_show_their_own(
    home_page, past_visit, django_assert_num_queries
):
    for _ in range(5):
        answer(past_visit, usefulness=5, comment="Not for the public")
    small = StudyVisitFactory(page=home_page, starts_at=past_visit.starts_at, ends_at=past_visit.ends_at)
    answer(small, usefulness=1)  # one answer: adding it would reveal it by subtraction
    StudyVisit.objects.filter(pk=past_visit.pk).update(write_up="We met the **time bank** brokers.")
    past_visit.refresh_from_db()
    past_visit.save()

    results = services.results_for_page(home_page)

    assert results.answered == 5
    assert [point.count for point in results.usefulness.points] == [0, 0, 0, 0, 5]
    tag = Template("{% load visits_feedback %}{% page_visit_results page %}")
    with django_assert_num_queries(2):  # the counts over visits that reached five, the write-ups
        html = tag.render(Context({"page": home_page}))
    page = BeautifulSoup(html, "html.parser")
    assert len(page.select("svg")) == 2
    assert page.find("strong").get_text() == "time bank"
    assert "Not for the public" not in html


def test_the_chart_is_well_formed_svg_with_a_title_a_desc_and_escaped_text():
    scale = services.ScaleResult(
        name="usefulness",
        question='Useful? <script>alert("x")</script> & more',
        points=tuple(services.feedback.Point(value, f"Point {value} <b>", value) for value in range(1, 6)),
    )

    svg = charts.scale_chart(scale, answered=15, element_id="chart-1")

    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-1-title chart-1-desc"
    assert root.get("viewBox").startswith("0 0 ") and root.get("width") == "100%"
    assert root.find(f"{SVG}title").text == 'Useful? <script>alert("x")</script> & more'
    assert "15 people answered" in root.find(f"{SVG}desc").text
    assert [text.text for text in root.iter(f"{SVG}text")][:2] == ["Point 1 <b>", "1"]
    assert not root.findall(f".//{SVG}script") and "<script" not in svg
    table = BeautifulSoup(charts.scale_table(scale, answered=15), "html.parser")
    assert table.caption and table_counts(table)["Point 5 <b>"] == 5


# the write-up


def test_the_write_up_is_sanitised(past_visit):
    services.write_up_visit(
        visit=past_visit,
        by=past_visit.host,
        text="We saw *much*.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
    )

    past_visit.refresh_from_db()
    assert "<em>much</em>" in past_visit.write_up_html
    assert "<script" not in past_visit.write_up_html
    assert "href" not in past_visit.write_up_html  # the javascript: link stays text
    shown = after_the_visit(past_visit, AnonymousUser())
    assert shown.select_one(".prose em").get_text() == "much"
    assert not shown.find("script")


def test_the_write_up_waits_for_the_visit_to_start(home_page):
    visit = StudyVisitFactory(page=home_page)

    with pytest.raises(services.WriteUpError, match="once it has started"):
        services.write_up_visit(visit=visit, by=visit.host, text="Too soon")


def test_only_hosts_co_hosts_and_moderators_write_up_a_visit(client, past_visit):
    url = reverse("visits:write_up", args=[past_visit.pk])

    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND and "login" in response["Location"]
    for outsider in (MemberFactory(), HostFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert client.post(url, {"text": "Mine now"}).status_code == HTTPStatus.NOT_FOUND
    with pytest.raises(services.WriteUpError):
        services.write_up_visit(visit=past_visit, by=MemberFactory(), text="Mine now")
    past_visit.refresh_from_db()
    assert past_visit.write_up == ""

    for n, writer in enumerate((past_visit.host, past_visit.co_hosts.get(), ModeratorFactory())):
        client.force_login(writer)
        assert client.get(url).status_code == HTTPStatus.OK
        assert client.post(url, {"text": f"Version {n}"}).status_code == HTTPStatus.FOUND
        past_visit.refresh_from_db()
        assert past_visit.write_up_html == f"<p>Version {n}</p>\n"
    form = BeautifulSoup(client.get(url).content, "html.parser")
    assert form.find("textarea", attrs={"name": "text"}).get_text().strip() == "Version 2"


def test_a_write_up_preview_saves_nothing_and_a_too_long_one_shows_an_error(client, past_visit):
    client.force_login(past_visit.host)
    url = reverse("visits:write_up", args=[past_visit.pk])

    preview = client.post(url, {"text": "**Draft**", "preview": "1"})
    too_long = client.post(url, {"text": "x" * 20_001})

    assert BeautifulSoup(preview.content, "html.parser").select_one(".preview strong").get_text() == "Draft"
    assert too_long.status_code == HTTPStatus.BAD_REQUEST
    assert BeautifulSoup(too_long.content, "html.parser").select(".errorlist")
    past_visit.refresh_from_db()
    assert past_visit.write_up == ""


# asking for feedback


def test_each_attendee_is_asked_for_feedback_once_after_the_visit(past_visit, home_page, run_on_commit):
    attendee = BookingFactory(visit=past_visit)
    BookingFactory(visit=past_visit, attendance=Booking.Attendance.NO_SHOW)
    BookingFactory(visit=past_visit, status=Booking.Status.CANCELLED)
    answered = BookingFactory(visit=past_visit)
    Feedback.objects.create(booking=answered, usefulness=4, confidence=4)
    BookingFactory(visit=StudyVisitFactory(page=home_page))  # still to come
    mail.outbox.clear()

    with run_on_commit():
        assert services.request_feedback() == 1
    with run_on_commit():
        assert services.request_feedback() == 0

    (message,) = mail.outbox
    assert message.to == [attendee.member.email]
    assert past_visit.title in message.subject
    assert reverse("visits:feedback_form", args=[attendee.pk]) in message.body


def test_no_one_is_asked_about_a_visit_that_ended_long_ago(past_visit):
    BookingFactory(visit=past_visit)

    assert services.request_feedback(now=timezone.now() + timedelta(days=30)) == 0
