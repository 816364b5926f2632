"""A study visit from offer to waiting list, through the browser: the host offers and publishes a visit; a
member books and sees "confirmed"; another takes the last place; a third is waitlisted; the first cancels
and the third is promoted; the host downloads the attendee list and it opens with the right columns. A
visitor sees places left, never who booked."""

import csv
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.cms.conftest import catalogue, make_exemplar, sectors  # noqa: F401 - fixtures
from tests.e2e.conftest import as_member
from tests.factories import HostFactory, MemberFactory
from visits.models import Booking, StudyVisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "A morning at a time bank linked to a GP surgery"


@pytest.fixture(autouse=True)
def one_writer_at_a_time(settings):
    settings.USERSESSIONS_TRACK_ACTIVITY = False


def book(browser, live_server, member, organisation: str):
    page = as_member(browser, live_server, member)
    page.goto(f"{live_server.url}/visits/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Your organisation").fill(organisation)
    page.get_by_label("What would you like to ask the broker?").fill("How do referrals work?")
    page.get_by_role("button", name="Book a place").or_(
        page.get_by_role("button", name="Join the waiting list")
    ).click()
    return page


def test_a_visit_from_offer_to_waiting_list_and_promotion(live_server, browser, make_exemplar):  # noqa: F811
    make_exemplar("GP-linked time bank", region="london")
    host = HostFactory(profile__display_name="Tom Breslin")
    first, second, third = (
        MemberFactory(profile__display_name=name, email=f"{name.split()[0].lower()}@example.org")
        for name in ("Amara Okafor", "Dele Adeyemi", "Helen Marsh")
    )
    day = (timezone.localtime() + timedelta(days=20)).date()

    # the host offers a visit with two places and publishes it
    page = as_member(browser, live_server, host)
    page.goto(f"{live_server.url}/visits/")
    page.get_by_role("link", name="Visits you host").click()
    page.get_by_role("link", name="Offer a study visit").click()
    page.get_by_label("The project it visits").select_option(label="GP-linked time bank")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What you will see and do").fill(
        "See how GPs refer isolated patients to the time bank."
    )
    page.get_by_label("Starts").fill(f"{day.isoformat()}T09:30")
    page.get_by_label("Ends").fill(f"{day.isoformat()}T13:00")
    page.get_by_label("Venue").fill("Paxton Green Group Practice")
    page.get_by_label("Address").fill("1 Alleyn Park, London SE21 8AU")
    page.get_by_label("Places").fill("2")
    page.get_by_label("More questions for bookers").fill("What would you like to ask the broker?")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("Your visit is saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Publish the visit").click()
    expect(page.get_by_text("Published: members can now book.")).to_be_visible()
    visit = StudyVisit.objects.get()
    assert visit.local_start.strftime("%H:%M") == "09:30" and visit.status == "published"

    # a member books and sees "confirmed"; another takes the last place; a third is waitlisted
    page_first = book(browser, live_server, first, "Lewisham carers' forum")
    expect(page_first.get_by_text("Your place is confirmed.")).to_be_visible()
    page_second = book(browser, live_server, second, '=HYPERLINK("http://example.com")')
    expect(page_second.get_by_text("Your place is confirmed.")).to_be_visible()
    page_third = book(browser, live_server, third, "Bristol peer network")
    expect(page_third.locator("#book")).to_contain_text("On the waiting list: you are number 1")

    # the first cancels; the third is promoted at once
    page_first.get_by_role("button", name="Cancel my booking").click()
    expect(page_first.get_by_text("Your booking is cancelled.")).to_be_visible()
    page_third.reload()
    expect(page_third.locator("#book")).to_contain_text("Confirmed")
    assert Booking.objects.get(member=third).status == "confirmed"

    # a visitor sees places, not people
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}{visit.get_absolute_url()}")
    expect(visitor.get_by_text("Full")).to_be_visible()
    for name in ("Amara", "Dele", "Helen", "carers' forum", "referrals"):
        assert name not in visitor.content()

    # the host downloads the attendee list
    page.goto(f"{live_server.url}/visits/host/{visit.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the list of attendees (CSV)").click()
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    header = rows[0]
    assert header[:4] == ["Name", "Email", "Organisation", "Status"]
    assert "What would you like to ask the broker?" in header and "Access needs" in header
    names = {row[0]: row for row in rows[1:]}
    assert set(names) == {"Dele Adeyemi", "Helen Marsh"}
    assert names["Dele Adeyemi"][2].startswith("'=")  # a formula stays text in a spreadsheet
