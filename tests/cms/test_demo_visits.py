"""The demo's study visits: a full one with a waiting list, one the host approves, a past one with feedback
and a write-up, each shown on its pages; made once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from visits.models import Booking, Feedback, StudyVisit

pytestmark = pytest.mark.django_db


def test_the_demo_offers_visits_the_way_a_host_would_and_runs_twice_without_duplicates(client):
    call_command("seed_demo", force=True)
    counts = (StudyVisit.objects.count(), Booking.objects.count(), Feedback.objects.count())

    call_command("seed_demo", force=True)

    assert (StudyVisit.objects.count(), Booking.objects.count(), Feedback.objects.count()) == counts
    full, approval = StudyVisit.objects.upcoming().order_by("starts_at").with_places_taken()
    past = StudyVisit.objects.get(status="completed")
    assert (full.left, full.waiting) == (0, 2)
    assert approval.needs_approval and set(approval.bookings.values_list("status", flat=True)) == {
        "requested"
    }
    assert past.write_up_html and past.bookings.filter(feedback__isnull=False).count() >= 5
    listing = client.get(reverse("visits:visit_list"))
    assert full.title in listing.text and "2 waiting" in listing.text
    past_page = client.get(past.get_absolute_url())
    assert "What attendees said" in past_page.text and "<svg" in past_page.text
    exemplar = client.get(approval.page.url)
    assert approval.title in exemplar.text and "From past study visits" in exemplar.text
